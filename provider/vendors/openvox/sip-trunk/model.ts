import { z } from "zod";
import type { IdShape } from "../../../core/ids";
import { hostSchema, portSchema } from "../../../core/validators";
import { CONNECTIONS } from "../client";
import { TRUNK_TYPES, type TrunkType } from "./vocabulary";
import { once } from "../../../core/once";
// The vocabulary is part of the model; it lives apart only so public types need no zod.
export * from "./vocabulary";

/**
 * OpenVox SIP trunk: Pulumi inputs (a discriminated union on `trunkType`), their schema and
 * canonical form. The wire record of the `siptrunk/*` endpoints and the mapping to it are in
 * wire.ts.
 */

/** SIP port used when a register or peer trunk leaves `port` out (Yeastar documents 5060 as the default). */
export const DEFAULT_SIP_PORT = 5060;

export const STATE_VERSION = 1;

/**
 * The name is the trunk's natural key (query and delete address trunks by name), the type cannot
 * change once created (the PBX UI offers it only when adding a trunk), and a connection is another
 * PBX: each of these replaces the trunk.
 */
export const REPLACE_ON_CHANGES = ["connection", "name", "trunkType"] as const;
/**
 * Names are unique on a PBX, so a replacement that keeps the name (a type change) can only be
 * created once the old trunk is gone; the engine's rule is per resource type, so every replace
 * deletes first.
 */
export const DELETE_BEFORE_REPLACE = true;
export const SECRET_INPUTS = ["password"] as const;

/** Names the API reads as a selector, not a trunk: `trunkname: "all"` queries (and deletes!) every trunk. */
const SELECTOR_NAME = "all";
const TRUNK_NAME = /^[A-Za-z0-9_-]{1,31}$/;

/** The properties each trunk type takes beyond `connection`, `name`, `trunkType` and the DOD lists. */
export const TYPE_PROPERTIES: Readonly<
    Record<TrunkType, { required: readonly string[]; optional: readonly string[] }>
> = {
    register: { required: ["host", "username", "password"], optional: ["port", "domain", "authName", "fromUser"] },
    peer: { required: ["host"], optional: ["port", "domain"] },
    account: { required: ["username", "password"], optional: ["authName"] },
};

const COMMON_PROPERTIES = ["connection", "name", "trunkType", "extensionDods", "groupDods"] as const;

// ---- field schemas (factories composed into inputSchema, which is built once per process) ----

export function trunkNameSchema() {
    return z.string({ error: "must be a string" }).superRefine((value, ctx) => {
        const problem = trunkNameProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    });
}

/** Why the API could not address a trunk by this name, or undefined when it can. */
export function trunkNameProblem(value: string): string | undefined {
    if (value === "") return "must not be empty";
    if (value.toLowerCase() === SELECTOR_NAME)
        return `must not be "${value}": the API reads it as every trunk (a delete would remove them all)`;
    if (value.includes(",")) return `must not contain a comma: the API reads "${value}" as a list of trunks`;
    if (!TRUNK_NAME.test(value)) return `must be 1-31 letters, digits, "-" or "_" (got "${value}")`;
    return undefined;
}

/** The resource id: the trunk's name at create, so it has the shape every created name has. */
export const TRUNK_NAME_ID_SHAPE: IdShape = {
    description: `a trunk name (1-31 letters, digits, "-" or "_", never "all")`,
    pattern: /^(?!all$)[A-Za-z0-9_-]{1,31}$/i,
};

/** `trunkId` in the state: the PBX's numeric id, blank when a create could not read it back. */
export const TRUNK_NUMBER_SHAPE: IdShape = {
    description: "the PBX's numeric trunk id (digits), or blank",
    pattern: /^(?:[0-9]{1,10})?$/,
};

function trunkTypeSchema() {
    return z.enum(TRUNK_TYPES, {
        error: (issue) => `must be one of ${TRUNK_TYPES.join(", ")} (got ${JSON.stringify(issue.input)})`,
    });
}

/** A SIP user or auth name: no spaces or control characters (they cannot travel in a SIP header). */
function sipIdentifier() {
    return z
        .string({ error: "must be a string" })
        .min(1, "must not be empty")
        .max(64, "must be at most 64 characters")
        .regex(/^[^\s\p{Cc}]*$/u, "must not contain spaces or control characters");
}

function passwordSchema() {
    return z
        .string({ error: "must be a string" })
        .min(1, "must not be empty")
        .max(128, "must be at most 128 characters")
        .regex(/^[^\p{Cc}]*$/u, "must not contain control characters");
}

/** Parts of a DOD entry must not contain the wire's separators: `-` between parts, `,` between entries. */
function dodPart(what: string, max: number) {
    return z
        .string({ error: "must be a string" })
        .trim()
        .min(1, "must not be empty")
        .max(max, `must be at most ${max} characters`)
        .regex(/^[^,\-\p{Cc}]*$/u, `must not contain "-", "," or control characters (they separate ${what} entries)`);
}

function dodNumber() {
    return z
        .string({ error: "must be a string" })
        .regex(/^\+?[0-9]{1,32}$/, "must be a phone number: digits with an optional leading +");
}

/**
 * An object taking exactly these keys. Unknown keys are reported at their own path
 * (`groupDods[0].extension: unknown property`): core/check.ts reports a nested `unrecognized_keys`
 * issue as if the key were a top-level property.
 */
function exactObject<Shape extends z.ZodRawShape>(shape: Shape) {
    return z.looseObject(shape).superRefine((value, ctx) => {
        for (const key of Object.keys(value)) {
            if (!(key in shape)) ctx.addIssue({ code: "custom", path: [key], message: "unknown property" });
        }
    });
}

function extensionDodSchema() {
    return exactObject({
        number: dodNumber(),
        name: dodPart("DOD", 32),
        extension: z.string({ error: "must be a string" }).regex(/^[0-9]{1,16}$/, "must be an extension number"),
    }).transform(({ number, name, extension }): ExtensionDod => ({ number, name, extension }));
}

function groupDodSchema() {
    return exactObject({ number: dodNumber(), name: dodPart("DOD", 32), group: dodPart("DOD", 63) }).transform(
        ({ number, name, group }): GroupDod => ({ number, name, group }),
    );
}

function distinct<T>(items: T[], key: (item: T) => string): boolean {
    return new Set(items.map(key)).size === items.length;
}

function extensionDodsSchema() {
    return z
        .array(extensionDodSchema())
        .refine((items) => distinct(items, (item) => item.extension), "must bind each extension at most once");
}

function groupDodsSchema() {
    return z
        .array(groupDodSchema())
        .refine((items) => distinct(items, (item) => item.group), "must bind each extension group at most once");
}

// ---- inputs ----

export interface ExtensionDod {
    /** The outbound caller number (DOD) presented for calls from `extension`. */
    number: string;
    name: string;
    extension: string;
}

export interface GroupDod {
    number: string;
    name: string;
    group: string;
}

interface CommonInputs {
    connection: string;
    name: string;
    extensionDods?: ExtensionDod[];
    groupDods?: GroupDod[];
}

export interface RegisterTrunkInputs extends CommonInputs {
    trunkType: "register";
    host: string;
    port: number;
    domain?: string;
    username: string;
    authName: string;
    password: string;
    fromUser?: string;
}

export interface PeerTrunkInputs extends CommonInputs {
    trunkType: "peer";
    host: string;
    port: number;
    domain?: string;
}

export interface AccountTrunkInputs extends CommonInputs {
    trunkType: "account";
    username: string;
    authName: string;
    password: string;
}

/** Canonical inputs: defaults filled (port 5060, authName = username), host lower case, DOD lists sorted. */
export type SipTrunkInputs = RegisterTrunkInputs | PeerTrunkInputs | AccountTrunkInputs;

export type SipTrunkOutputs = SipTrunkInputs & {
    /** The PBX's numeric id of the trunk (a string, as the API sends it). */
    trunkId: string;
    /** The SIP stack the PBX runs the trunk on, e.g. `pjsip` (read only). */
    tech?: string;
};

function commonShape() {
    return {
        connection: CONNECTIONS.nameSchema(),
        name: trunkNameSchema(),
        extensionDods: extensionDodsSchema().optional(),
        groupDods: groupDodsSchema().optional(),
    };
}

/** Exactly the properties of each trunk type: a property of another type is an error, not ignored. */
export function trunkVariantsSchema() {
    const common = commonShape();
    return z.discriminatedUnion("trunkType", [
        z.strictObject({
            ...common,
            trunkType: z.literal("register"),
            host: hostSchema(),
            port: portSchema().default(DEFAULT_SIP_PORT),
            domain: hostSchema().optional(),
            username: sipIdentifier(),
            authName: sipIdentifier().optional(),
            password: passwordSchema(),
            fromUser: sipIdentifier().optional(),
        }),
        z.strictObject({
            ...common,
            trunkType: z.literal("peer"),
            host: hostSchema(),
            port: portSchema().default(DEFAULT_SIP_PORT),
            domain: hostSchema().optional(),
        }),
        z.strictObject({
            ...common,
            trunkType: z.literal("account"),
            username: sipIdentifier(),
            authName: sipIdentifier().optional(),
            password: passwordSchema(),
        }),
    ]);
}

type ParsedVariant = z.output<ReturnType<typeof trunkVariantsSchema>>;

function article(type: string): string {
    return /^[aeiou]/.test(type) ? "an" : "a";
}

function propertiesOf(type: TrunkType): string {
    const { required, optional } = TYPE_PROPERTIES[type];
    return [...required, ...optional.map((key) => `${key}?`)].join(", ");
}

/**
 * The input schema the runner checks with. The core needs one object schema (its keys are the
 * input keys, each field canonicalizes on its own while other values are still unknown), so every
 * property is declared here and {@link trunkVariantsSchema} — the discriminated union — decides
 * which properties the chosen type requires or forbids. Its issues are rephrased per type.
 */
export const inputSchema = once(() => {
    const variants = trunkVariantsSchema();
    return z
        .strictObject({
            connection: CONNECTIONS.nameSchema(),
            name: trunkNameSchema(),
            trunkType: trunkTypeSchema(),
            host: hostSchema().optional(),
            port: portSchema().optional(),
            domain: hostSchema().optional(),
            username: sipIdentifier().optional(),
            authName: sipIdentifier().optional(),
            password: passwordSchema().optional(),
            fromUser: sipIdentifier().optional(),
            extensionDods: extensionDodsSchema().optional(),
            groupDods: groupDodsSchema().optional(),
        })
        .superRefine((value, ctx) => {
            const result = variants.safeParse(value);
            if (result.success) return;
            const type = value.trunkType;
            const record = value as Record<string, unknown>;
            for (const issue of result.error.issues) {
                if (issue.code === "unrecognized_keys") {
                    for (const key of issue.keys) {
                        ctx.addIssue({
                            code: "custom",
                            path: [key],
                            message: `is not a property of ${article(type)} ${type} trunk (it takes ${propertiesOf(type)}); remove it`,
                        });
                    }
                } else if (
                    issue.code === "invalid_type" &&
                    issue.path.length === 1 &&
                    record[String(issue.path[0])] === undefined
                ) {
                    ctx.addIssue({
                        code: "custom",
                        path: issue.path,
                        message: `is required for ${article(type)} ${type} trunk`,
                    });
                } else {
                    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
                }
            }
        })
        .overwrite((value) => {
            const result = variants.safeParse(value);
            return result.success ? canonicalize(result.data) : value;
        });
});

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Extensions in numeric order (then text order), groups by name: the order never makes a diff. */
export function sortExtensionDods(items: ExtensionDod[]): ExtensionDod[] {
    return [...items].sort(
        (a, b) =>
            Number(a.extension) - Number(b.extension) ||
            compareText(a.extension, b.extension) ||
            compareText(a.number, b.number),
    );
}

export function sortGroupDods(items: GroupDod[]): GroupDod[] {
    return [...items].sort((a, b) => compareText(a.group, b.group) || compareText(a.number, b.number));
}

/** Defaults that depend on other fields, and the canonical order of the DOD lists; an empty list means none. */
function canonicalize(parsed: ParsedVariant): SipTrunkInputs {
    const { extensionDods, groupDods, ...rest } = parsed;
    const inputs = (
        rest.trunkType === "peer" ? { ...rest } : { ...rest, authName: rest.authName ?? rest.username }
    ) as SipTrunkInputs;
    if (extensionDods !== undefined && extensionDods.length > 0)
        inputs.extensionDods = sortExtensionDods(extensionDods);
    if (groupDods !== undefined && groupDods.length > 0) inputs.groupDods = sortGroupDods(groupDods);
    return inputs;
}

/** Every input property name, for documentation and tests. */
export const INPUT_PROPERTIES = [
    ...COMMON_PROPERTIES,
    ...new Set(Object.values(TYPE_PROPERTIES).flatMap(({ required, optional }) => [...required, ...optional])),
];
