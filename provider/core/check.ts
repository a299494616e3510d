import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { isUnknown, unknownPaths } from "./unknowns";

/**
 * `check` for every resource: validates inputs with the resource's zod schema before any API call,
 * reports failures per property, tolerates values that are unknown during preview, and returns the
 * canonical form of the inputs (so the engine's input-vs-input preview diff is the semantic one).
 */

export type InputSchema = z.ZodObject;

export interface CheckOutcome {
    inputs: Record<string, unknown>;
    failures: pulumi.dynamic.CheckFailure[];
}

const PROVIDER_KEY = "__provider";

export function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
    const { [PROVIDER_KEY]: _provider, ...rest } = props;
    return rest;
}

/**
 * Validates with the schema's asynchronous refinements too: rules that need I/O (a DNS answer,
 * what a server supports, what other resources of the run claimed) are refinements of the schema,
 * awaited here, so nothing has to be fetched ahead and cached for a synchronous parse.
 */
export async function checkInputs(
    schema: InputSchema,
    news: Record<string, unknown>,
    secretKeys: readonly string[],
): Promise<CheckOutcome> {
    const raw = withoutProvider(news);
    const unknown = unknownPaths(raw);
    const result = await schema.safeParseAsync(raw);
    if (result.success) return { inputs: result.data, failures: [] };

    const failures = result.error.issues
        .filter((issue) => !unknown.some((path) => startsWith(issue.path, path)))
        .flatMap((issue) => toFailures(issue, raw, schema, secretKeys));
    if (failures.length > 0 || unknown.length === 0) return { inputs: raw, failures: dedupe(failures) };

    // Only unknown values failed to parse: canonicalize every known top-level property on its own,
    // keep the unknown ones as they are. Cross-property rules wait until the values are known.
    const inputs: Record<string, unknown> = {};
    const fields = schema.shape as Record<string, z.ZodType | undefined>;
    // Properties left out still get their defaults, or the preview would show them as changing.
    for (const [key, field] of Object.entries(fields)) {
        if (field === undefined) continue;
        if (key in raw) continue;
        const fallback = await defaultOf(field);
        if (fallback !== undefined) inputs[key] = fallback;
    }
    for (const [key, value] of Object.entries(raw)) {
        const field = fields[key];
        if (field === undefined || isUnknown(value) || unknown.some((path) => path[0] === key)) {
            inputs[key] = value;
            continue;
        }
        const parsed = await field.safeParseAsync(value);
        inputs[key] = parsed.success ? parsed.data : value;
    }
    return { inputs, failures: [] };
}

/** What a schema field makes of a property left out: its default, or undefined when it has none. */
export async function defaultOf(field: z.ZodType): Promise<unknown> {
    const parsed = await field.safeParseAsync(undefined);
    return parsed.success ? parsed.data : undefined;
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
    return prefix.length <= path.length && prefix.every((key, index) => path[index] === key);
}

function formatPath(path: readonly PropertyKey[]): string {
    return path
        .map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`))
        .join("");
}

function toFailures(
    issue: z.core.$ZodIssue,
    raw: Record<string, unknown>,
    schema: InputSchema,
    secretKeys: readonly string[],
): pulumi.dynamic.CheckFailure[] {
    if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => failure([...issue.path, key], "unknown property", schema, secretKeys));
    }
    const top = issue.path[0];
    const missing =
        issue.code === "invalid_type" && top !== undefined && raw[String(top)] === undefined && issue.path.length === 1;
    return [failure(issue.path, missing ? "is required" : issue.message, schema, secretKeys)];
}

/**
 * The engine prints a failure as `property <property> value {<value>} has a problem: <reason>`,
 * the value being the program's input, so the reason names only what is below the property
 * (`[0].number: ...`), never the property again. The engine shows a value the program marked
 * secret as `{[secret]}`, but a plain string given to a secret input (`password: "..."`) in the
 * clear; so a failure of a secret input, or of a key the schema does not know (a misspelt
 * `password` is a secret too), is reported against no property: the engine then prints
 * `has a problem: <reason>`, and the reason carries the full path instead.
 */
function failure(
    path: readonly PropertyKey[],
    message: string,
    schema: InputSchema,
    secretKeys: readonly string[],
): pulumi.dynamic.CheckFailure {
    const top = path[0];
    const property = top === undefined ? "" : String(top);
    const printable = property !== "" && property in schema.shape && !secretKeys.includes(property);
    if (!printable) return { property: "", reason: `${path.length > 0 ? formatPath(path) : "inputs"}: ${message}` };
    const below = path.slice(1);
    return { property, reason: below.length > 0 ? `${formatPath(below)}: ${message}` : message };
}

function dedupe(failures: pulumi.dynamic.CheckFailure[]): pulumi.dynamic.CheckFailure[] {
    const seen = new Set<string>();
    return failures.filter((failure) => {
        const key = `${failure.property}\u0000${failure.reason}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}
