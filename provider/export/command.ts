import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import { defaultOf } from "../core/check";
import { withStackConfig } from "../core/config";
import { DEFAULT_CONNECTION } from "../core/connection";
import type { InventoryItem } from "../core/inventory";
import { resetProcessState } from "../core/process-state";
import { redact, registerSecret } from "../core/redact";
import { ADOPT_KEY, PULUMI_NAME_KEY, splitToken } from "../core/resource-class";
import { labelOf, runHook, type AnyResourceDefinition } from "../core/resource-definition";
import { DEFINITIONS } from "../runtime";
import { programText, resourceName, secretConfigKey, type ProgramResource } from "./program";

/**
 * `pulumi-voip export`: lists every object of one vendor connection and writes a TypeScript program
 * that adopts them all. Each object's inputs are what the resource's own `check` makes of what the
 * vendor holds, so the first `pulumi up` finds nothing to change; an object `check` refuses (or
 * the package cannot read) is named and skipped.
 */

export const EXPORT_USAGE = `usage: pulumi-voip export --vendor <vendor> [options] > index.ts

Lists every object of one vendor connection and writes a Pulumi TypeScript program (standard output)
with one resource per object, each adopting its object (\`adopt: { id }\`): \`pulumi up\` on it creates
nothing, and changes nothing while the program still says what the vendor holds.

  --vendor <vendor>       ${vendorNamespaces().join(" | ")}
  --connection <name>     the named connection, with the settings resources use (default: default)
  --stack <stack>         read the connection's settings from this stack's config (run in the
                          project's directory; needs the pulumi CLI); without it, from the
                          environment (e.g. PORTSIP_HQ_URL)
  --set-secrets           store each secret the program reads (trunk passwords the vendor returns)
                          in --stack's config, encrypted, with \`pulumi config set --secret\`;
                          without it, the commands to run are printed
  --no-retain-on-delete   leave out \`retainOnDelete: true\` (by default objects stay on the vendor
                          when their resource or the stack is deleted)
  --help                  this text

Progress, skipped objects and config commands go to standard error; secret values never do.
Exit status: 0 every object exported; 3 program written, some objects skipped (named on standard
error); 1 nothing written (vendor, credential or pulumi CLI failure); 2 usage error.`;

export const EXIT = { ok: 0, failed: 1, usage: 2, skipped: 3 } as const;

/** Where the command writes and how it runs the pulumi CLI (a test runs the command in-process). */
export interface ExportIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /**
     * The environment of the `pulumi` CLI runs (`--stack`). Connection settings missing from the
     * stack config are read from this process's environment, as the resources read them.
     */
    env: NodeJS.ProcessEnv;
    /** Where the `pulumi` CLI runs: the project's directory. */
    cwd: string;
}

function vendorNamespaces(): string[] {
    return [...new Set(DEFINITIONS.map((definition) => splitToken(definition.token).namespace))];
}

class UsageError extends Error {}

interface ExportOptions {
    vendor: string;
    connection: string;
    stack?: string | undefined;
    setSecrets: boolean;
    retainOnDelete: boolean;
    commandLine: string;
}

function parseOptions(args: readonly string[]): ExportOptions | "help" {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...args],
            options: {
                vendor: { type: "string" },
                connection: { type: "string" },
                stack: { type: "string" },
                "set-secrets": { type: "boolean" },
                "no-retain-on-delete": { type: "boolean" },
                help: { type: "boolean" },
            },
            allowPositionals: false,
            strict: true,
        });
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    const { values } = parsed;
    if (values.help === true) return "help";
    const vendor = values.vendor;
    if (vendor === undefined) throw new UsageError("--vendor is required");
    if (!vendorNamespaces().includes(vendor)) {
        throw new UsageError(`--vendor must be one of ${vendorNamespaces().join(", ")}, not "${vendor}"`);
    }
    if (values["set-secrets"] === true && values.stack === undefined) {
        throw new UsageError("--set-secrets needs --stack: the stack whose config stores the secrets");
    }
    return {
        vendor,
        connection: values.connection ?? DEFAULT_CONNECTION,
        stack: values.stack,
        setSecrets: values["set-secrets"] === true,
        retainOnDelete: values["no-retain-on-delete"] !== true,
        commandLine: ["pulumi-voip export", ...args].join(" "),
    };
}

/** Runs the pulumi CLI; its failure becomes an error quoting what it printed (redacted). */
function pulumiCli(io: ExportIo, args: string[], input?: string): string {
    try {
        return execFileSync("pulumi", args, {
            cwd: io.cwd,
            env: io.env,
            encoding: "utf8",
            input,
            stdio: ["pipe", "pipe", "pipe"],
            maxBuffer: 64 * 1024 * 1024,
        });
    } catch (error) {
        const failed = error as { code?: string; stderr?: string; message: string };
        if (failed.code === "ENOENT") throw new Error("the pulumi CLI is not on PATH (needed by --stack)");
        const said = (failed.stderr ?? "").trim() || failed.message;
        throw new Error(`\`pulumi ${args.filter((arg) => arg !== "--show-secrets").join(" ")}\` failed: ${said}`);
    }
}

/** The stack's config, secrets decrypted, as the provider's `configure` would receive it. */
function stackConfig(io: ExportIo, stack: string): Map<string, string> {
    const text = pulumiCli(io, ["config", "--show-secrets", "--json", "--stack", stack]);
    const entries = JSON.parse(text) as Record<string, { value?: unknown; secret?: boolean }>;
    const values = new Map<string, string>();
    for (const [key, entry] of Object.entries(entries)) {
        if (typeof entry.value !== "string") continue;
        if (entry.secret === true) registerSecret(entry.value);
        values.set(key, entry.value);
    }
    return values;
}

type Found = { definition: AnyResourceDefinition; item: InventoryItem<object> };

/** The inputs of an object's outputs: input keys only, no computed output. */
function inputsOf(definition: AnyResourceDefinition, outs: Record<string, unknown>): Record<string, unknown> {
    const keys = Object.keys(definition.inputSchema().shape).filter((key) => !key.startsWith("__"));
    return Object.fromEntries(keys.filter((key) => outs[key] !== undefined).map((key) => [key, outs[key]]));
}

/** The input's value when a program leaves it out (the schema's default, else the class's), or undefined. */
async function inputDefault(definition: AnyResourceDefinition, key: string): Promise<unknown> {
    const field = (definition.inputSchema().shape as Record<string, z.ZodType | undefined>)[key];
    const fallback = field === undefined ? undefined : await defaultOf(field);
    return fallback ?? definition.programDefaults?.[key];
}

interface Exported {
    resource?: ProgramResource;
    skipped?: string;
    secrets: Map<string, string>;
}

/**
 * One object as a resource of the program: its inputs as the resource's own `check` canonicalizes
 * them (so `pulumi up` sees no difference), inputs equal to their defaults left out, secrets moved
 * to stack config. An object `check` refuses is skipped with its reasons.
 */
async function exportOne(found: Found, taken: { names: Set<string>; configKeys: Set<string> }): Promise<Exported> {
    const { definition, item } = found;
    const noun = `${definition.vendor} ${definition.noun}`;
    if ("problem" in item) {
        return { skipped: `${noun} ${item.id} ${item.label}: ${item.problem}`, secrets: new Map() };
    }
    const outs = item.outs as Record<string, unknown>;
    const label = labelOf(definition, outs) ?? item.id;
    const name = resourceName(label, `${definition.noun.replace(/\s+/g, "-")}-${item.id}`, taken.names);
    const given = inputsOf(definition, outs);
    for (const key of definition.secretInputs) {
        if (typeof given[key] === "string") registerSecret(given[key]);
    }
    const props: Record<string, unknown> = { ...given, [ADOPT_KEY]: { id: item.id }, [PULUMI_NAME_KEY]: name };
    const checked = (await runHook(definition, "check", [{}, props])) as {
        inputs: Record<string, unknown>;
        failures: { property: string; reason: string }[];
    };
    const describe = `${noun} ${item.id}${label === item.id ? "" : ` (${label})`}`;
    if (checked.failures.length > 0) {
        taken.names.delete(name);
        const reasons = checked.failures.map((failure) =>
            failure.property === "" ? failure.reason : `${failure.property}: ${failure.reason}`,
        );
        return {
            skipped: `${describe}: no ${definition.noun} can represent it: ${reasons.join("; ")}`,
            secrets: new Map(),
        };
    }
    const inputs: Record<string, unknown> = {};
    const secretConfigKeys: Record<string, string> = {};
    const secrets = new Map<string, string>();
    for (const key of Object.keys(given)) {
        const value = checked.inputs[key];
        if (value === undefined) continue;
        if (definition.secretInputs.includes(key)) {
            const configKey = secretConfigKey(name, key, taken.configKeys);
            secretConfigKeys[key] = configKey;
            secrets.set(configKey, value as string);
        } else if (key === definition.nameInput || !isDeepStrictEqual(value, await inputDefault(definition, key))) {
            inputs[key] = value;
        }
    }
    const { namespace, typeName } = splitToken(definition.token);
    return {
        resource: { className: `${namespace}.${typeName}`, name, id: item.id, describe, inputs, secretConfigKeys },
        secrets,
    };
}

async function exportConnection(options: ExportOptions, io: ExportIo): Promise<number> {
    const config = options.stack === undefined ? new Map<string, string>() : stackConfig(io, options.stack);
    return withStackConfig({ get: (key) => config.get(key) }, () => exportObjects(options, io));
}

async function exportObjects(options: ExportOptions, io: ExportIo): Promise<number> {
    const definitions = DEFINITIONS.filter((definition) => splitToken(definition.token).namespace === options.vendor);
    const found: Found[] = [];
    for (const definition of definitions) {
        io.stderr(`listing ${definition.vendor} ${definition.noun}s on connection "${options.connection}"...`);
        const items = await definition.inventory(options.connection);
        io.stderr(`found ${items.length} ${definition.noun}(s)`);
        found.push(...items.map((item) => ({ definition, item })));
    }
    const taken = { names: new Set<string>(), configKeys: new Set<string>() };
    const resources: ProgramResource[] = [];
    const secrets = new Map<string, string>();
    const skipped: string[] = [];
    for (const [index, one] of found.entries()) {
        const exported = await exportOne(one, taken);
        if (exported.resource !== undefined) resources.push(exported.resource);
        if (exported.skipped !== undefined) skipped.push(exported.skipped);
        for (const [key, value] of exported.secrets) secrets.set(key, value);
        if ((index + 1) % 100 === 0 && index + 1 < found.length) io.stderr(`checked ${index + 1} of ${found.length}`);
    }
    for (const reason of skipped) io.stderr(`skipped ${reason}`);
    if (secrets.size > 0) {
        if (options.setSecrets && options.stack !== undefined) {
            for (const [key, value] of secrets) {
                // The value goes on standard input: never on a command line, where `ps` would show it.
                pulumiCli(io, ["config", "set", "--secret", "--stack", options.stack, key], value);
            }
            io.stderr(`stored ${secrets.size} secret(s) in the config of stack ${options.stack}, encrypted`);
        } else {
            io.stderr("the program reads these secrets from stack config; set each one (the vendor's value) with:");
            for (const key of secrets.keys()) io.stderr(`  pulumi config set --secret ${key}`);
            io.stderr("(or run the export again with --stack <stack> --set-secrets to store them)");
        }
    }
    io.stdout(
        programText(resources, {
            namespace: options.vendor,
            commandLine: options.commandLine,
            retainOnDelete: options.retainOnDelete,
        }),
    );
    io.stderr(`wrote ${resources.length} resource(s)${skipped.length > 0 ? `; skipped ${skipped.length}` : ""}`);
    return skipped.length > 0 ? EXIT.skipped : EXIT.ok;
}

/** `pulumi-voip export ...`: the exit status, having written the program or said why not. */
export async function runExport(args: readonly string[], io: ExportIo): Promise<number> {
    const say = (line: string) => {
        io.stderr(`pulumi-voip export: ${redact(line)}\n`);
    };
    let options: ExportOptions | "help";
    try {
        options = parseOptions(args);
    } catch (error) {
        say((error as Error).message);
        io.stderr(`${EXPORT_USAGE}\n`);
        return EXIT.usage;
    }
    if (options === "help") {
        io.stdout(`${EXPORT_USAGE}\n`);
        return EXIT.ok;
    }
    resetProcessState();
    try {
        return await exportConnection(options, { ...io, stderr: say });
    } catch (error) {
        say(error instanceof Error ? error.message : String(error));
        return EXIT.failed;
    }
}
