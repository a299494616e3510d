import { z } from "zod";
import { diffInputs } from "../../../core/diff";
import { PULUMI_NAME_KEY } from "../../../core/resource-class";
import { hostSchema } from "../../../core/validators";
import { isUnknown } from "../../../core/unknowns";
import { CONNECTIONS, type Generation } from "../connection";
import { canonicalDidList, didListFromWire, parseDidEntry, parseDidPool } from "./dids";
import { bool, enumOf, int, text } from "./fields";
import { canonicalCidrList, cidrListFromWire, parseCidr, parseCidrList } from "./ip";
import { inboundSchema, outboundSchema } from "./parameters";
import { AUTH_MODES, TRANSPORTS } from "./vocabulary";
// The vocabulary is part of the model; it lives apart only so public types need no zod.
export * from "./vocabulary";
export type { InboundParameters, OutboundParameters, OutboundPartValue } from "./parameters";

/**
 * PortSIP trunk ("provider" in PortSIP's API): the Pulumi inputs and outputs, and the rules that
 * need nothing but the inputs. This schema is pure (no I/O, nothing remembered): what depends on
 * the PBX (its API generation, the DID pools of the stack's other trunks on it) is checked by the
 * asynchronous refinements of `validation.ts`, and each generation's wire form lives in
 * `generations/`.
 */

// ---------------------------------------------------------------- defaults and rules

/**
 * Version of the stored state's shape. 1 (pulumi-voip 0.1): `additionalIps` and `didNumbers` as
 * `;`-joined strings. 2: both are lists. See {@link upgradeState}.
 */
export const STATE_VERSION = 2;
export const DEFAULT_PORT = 5060;
export const DEFAULT_REGISTER_INTERVAL = 600;
export const DEFAULT_KEEP_ALIVE_INTERVAL = 360;
export const DEFAULT_ONLINE_TIMEOUT_SECONDS = 120;
const INT32_MAX = 2 ** 31 - 1;

/** A PBX connection is another PBX; `authMode` and `brand` are create-only on v22 (documented). */
export const REPLACE_ON_CHANGES = ["connection", "authMode", "brand"] as const;
/** Left out of the program, the PBX keeps whatever it has: no documented default exists. */
export const VENDOR_DEFAULTED = ["concurrency"] as const;
export const SECRET_INPUTS = ["password"] as const;

// ---------------------------------------------------------------- schema

/**
 * A list input with one entry per element: each element is checked on its own (a problem is
 * reported at its index), then the list as a whole. The result is the canonical list, or nothing
 * for an empty one (the PBX holds "none" as an empty string, which reads back as nothing).
 */
function entryList(rules: {
    example: string;
    parseEntry: (entry: string) => object;
    parseList: (list: readonly string[]) => object;
    canonical: (list: readonly string[]) => string[];
}) {
    const notAList = (input: unknown) =>
        typeof input === "string"
            ? `must be a list with one entry per element, e.g. ${rules.example}; the ';'-joined text of pulumi-voip 0.1 is no longer accepted`
            : "must be a list of strings";
    return z
        .array(
            z.string({ error: "must be a string" }).superRefine((entry, ctx) => {
                const parsed = rules.parseEntry(entry);
                if ("problem" in parsed) ctx.addIssue({ code: "custom", message: String(parsed.problem) });
            }),
            { error: (issue) => notAList(issue.input) },
        )
        .superRefine((list, ctx) => {
            if (ctx.issues.length > 0) return;
            const parsed = rules.parseList(list);
            if ("problem" in parsed) ctx.addIssue({ code: "custom", message: String(parsed.problem) });
        })
        .transform((list) => (list.length === 0 ? undefined : rules.canonical(list)));
}

function cidrList() {
    return entryList({
        example: '["198.51.100.0/24", "2001:db8::/32"]',
        parseEntry: parseCidr,
        parseList: parseCidrList,
        canonical: canonicalCidrList,
    });
}

function didPool() {
    return entryList({
        example: '["4155550100-4155550199", "4155550300"]',
        parseEntry: parseDidEntry,
        parseList: parseDidPool,
        canonical: canonicalDidList,
    });
}

function shape() {
    return {
        connection: CONNECTIONS.nameSchema(),
        name: z
            .string({ error: "must be a string" })
            .min(1, "must not be empty")
            .max(64, "must be at most 64 characters"),
        enabled: bool().optional(),
        brand: text(64).optional(),
        authMode: enumOf(AUTH_MODES).default("REGISTER_AUTH"),
        transport: enumOf(TRANSPORTS).default("UDP"),
        hostname: hostSchema(),
        port: int(0, 65535).default(DEFAULT_PORT),
        authId: text(64).optional(),
        username: text(64).optional(),
        password: text(256).optional(),
        registration: bool().optional(),
        registerInterval: int(0, INT32_MAX).default(DEFAULT_REGISTER_INTERVAL),
        outboundServer: hostSchema().optional(),
        outboundServerPort: int(0, 65535).default(0),
        inLan: bool().default(false),
        singleViaHeader: bool().default(true),
        rewriteViaIp: bool().optional(),
        verifyPort: bool().optional(),
        keepAlive: bool().optional(),
        keepAliveInterval: int(0, INT32_MAX).optional(),
        concurrency: int(0, INT32_MAX).optional(),
        additionalIps: cidrList().optional(),
        adjustSdpDirection: bool().optional(),
        removeSrtpInfo: bool().optional(),
        stirShakenSignatureRequired: bool().optional(),
        didNumbers: didPool().optional(),
        inboundParameters: inboundSchema().optional(),
        outboundParameters: outboundSchema().optional(),
        inParameters: z.array(z.unknown(), { error: "must be a list" }).optional(),
        outParameters: z.array(z.unknown(), { error: "must be a list" }).optional(),
        waitUntilOnline: bool().default(false),
        onlineTimeoutSeconds: int(1, 3600).optional(),
        // Declared, so the runner hands `check` the Pulumi resource name (it never sees the URN).
        [PULUMI_NAME_KEY]: z.string().optional(),
    };
}

/** A problem of one input property, as a refinement reports it. */
export interface InputProblem {
    path: string;
    message: string;
}

/** The rules across properties that hold on every generation. */
export function crossPropertyProblems(inputs: ParsedInputs): InputProblem[] {
    const problems: InputProblem[] = [];
    const registration = inputs.registration ?? inputs.authMode === "REGISTER_AUTH";
    if (inputs.outboundServer === undefined && inputs.outboundServerPort !== 0) {
        problems.push({ path: "outboundServerPort", message: "needs outboundServer (0 means no outbound proxy)" });
    }
    if (inputs.outboundServer !== undefined && inputs.outboundServerPort === 0 && inputs.transport !== "UDP") {
        problems.push({
            path: "outboundServerPort",
            message: "must be from 1 to 65535 with an outboundServer over TCP or TLS",
        });
    }
    if (inputs.authMode === "REGISTER_AUTH" && registration && inputs.authId === undefined) {
        problems.push({ path: "authId", message: "is required to register (authMode REGISTER_AUTH)" });
    }
    if (inputs.onlineTimeoutSeconds !== undefined && !inputs.waitUntilOnline) {
        problems.push({ path: "onlineTimeoutSeconds", message: "applies only with waitUntilOnline: true" });
    }
    return problems;
}

/** Every input field on its own. */
export function fieldsSchema() {
    return z.strictObject(shape());
}

/**
 * The inputs as far as they can be checked without the PBX: every field, and the rules across
 * fields that hold on every generation. No I/O, nothing remembered.
 */
export function pureInputSchema() {
    return fieldsSchema().superRefine((inputs, ctx) => {
        if (ctx.issues.length > 0) return;
        for (const { path, message } of crossPropertyProblems(inputs)) {
            ctx.addIssue({ code: "custom", path: [path], message });
        }
    });
}

// ---------------------------------------------------------------- types

/** The inputs as the pure schema gives them: the hidden resource name still present. */
export type ParsedInputs = z.output<ReturnType<typeof fieldsSchema>>;

export type TrunkInputs = Omit<ParsedInputs, typeof PULUMI_NAME_KEY>;

export interface TrunkOutputs extends TrunkInputs {
    /** The API generation the trunk was written with. */
    apiVersion: Generation;
    /** Registration / keep-alive status: ONLINE or OFFLINE (v16 words REGISTERED/UNREGISTERED are mapped). */
    status: string;
    /** v22: whether the system admin shares the trunk with tenants. */
    shared?: boolean;
}

/**
 * Properties among `keys` whose desired value changed between the stored state and the program;
 * one the program leaves to the vendor (see {@link VENDOR_DEFAULTED}) is not a change.
 */
export function changedProperties(olds: TrunkInputs, news: TrunkInputs, keys: readonly string[]): string[] {
    const rules = { inputKeys: keys, replaceOnChanges: [], vendorDefaulted: VENDOR_DEFAULTED };
    return diffInputs(rules, olds, news).changed;
}

/** Sets `key`, or removes it for `undefined` (outputs must not hold `undefined`). */
export function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
    if (value === undefined) Reflect.deleteProperty(target, key);
    else target[key] = value;
}

// ---------------------------------------------------------------- state versions

/** Lists that state versions 0 and 1 (pulumi-voip 0.1) stored as `;`-joined text, and how to read that text. */
const JOINED_BEFORE_VERSION_2 = { additionalIps: cidrListFromWire, didNumbers: didListFromWire } as const;

/**
 * Inputs or state of any version, with the lists as lists. Versions 0 and 1 stored
 * `additionalIps` and `didNumbers` as the canonical `;`-joined text, exactly what the PBX holds;
 * read as the PBX's text, it gives the canonical list the program now declares for the same
 * entries, so an upgraded stack shows no change. Values already lists, and unknown values of a
 * preview, pass unchanged.
 */
export function upgradeInputs(props: Record<string, unknown>): Record<string, unknown> {
    const result = { ...props };
    for (const [key, fromText] of Object.entries(JOINED_BEFORE_VERSION_2)) {
        const value = result[key];
        if (typeof value !== "string" || isUnknown(value)) continue;
        const list = fromText(value);
        setOrDelete(result, key, list.length === 0 ? undefined : list);
    }
    return result;
}

/** State of versions 0 (before versioning) and 1 differs from version 2 only in the joined lists. */
export function upgradeState(state: Record<string, unknown>): TrunkOutputs {
    return upgradeInputs(state) as unknown as TrunkOutputs;
}
