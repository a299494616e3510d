import { isIP } from "node:net";
import { isLosslessNumber } from "lossless-json";
import { z } from "zod";
import { sameValue } from "../../../core/diff";
import { wireId } from "../client";
import { hostSchema } from "../../../core/validators";
import { CONNECTIONS, connectionUrl, generationForCheck, type Generation } from "../connection";
import { isUnknown } from "../../../core/unknowns";
import { canonicalDidList, claimDids, didListFromWire, parseDidEntry, parseDidPool } from "./dids";
import { canonicalCidrList, cidrListFromWire, parseCidr, parseCidrList } from "./ip";
import { joinForWire } from "./joined";
import {
    AUTH_MODES,
    V12_AUTH_MODES,
    TRANSPORTS,
    V12_TRANSPORTS,
    INBOUND_HEADER_PARTS,
    PRIVACY_TYPES,
    VERIFICATION_STATUSES,
    OUTBOUND_USER_VALUES,
    OUTBOUND_HOST_VALUES,
    OUTBOUND_USER_PARTS,
    OUTBOUND_HOST_PARTS,
    type AuthMode,
} from "./vocabulary";
// The vocabulary is part of the model; it lives apart only so public types need no zod.
export * from "./vocabulary";

/**
 * PortSIP trunk ("provider" in PortSIP's API): Pulumi inputs, the wire shapes of both API
 * generations (v12 and v16+/v22), and the mapping between them. Wire (snake_case) names never
 * leave this file.
 */

// ---------------------------------------------------------------- enums (spelled as the API spells them)

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
/**
 * `concurrency` is required by the v22 create call and has no documented default. A trunk created
 * without it gets this value; afterwards a program that leaves it out does not manage it.
 */
export const DEFAULT_CONCURRENCY_ON_CREATE = 0;
const INT32_MAX = 2 ** 31 - 1;

/** A PBX connection is another PBX; `authMode` and `brand` are create-only on v22 (documented). */
export const REPLACE_ON_CHANGES = ["connection", "authMode", "brand"] as const;
/** Left out of the program, the PBX keeps whatever it has: no documented default exists. */
export const VENDOR_DEFAULTED = ["concurrency"] as const;
export const SECRET_INPUTS = ["password"] as const;
/** The hidden input carrying the Pulumi resource name to `check` (it never sees the URN). */
export const RESOURCE_NAME_KEY = "__resourceName";

/** Fields only PortSIP v16+/v22 has. */
export const V22_ONLY = [
    "enabled",
    "brand",
    "username",
    "rewriteViaIp",
    "verifyPort",
    "keepAlive",
    "keepAliveInterval",
    "concurrency",
    "adjustSdpDirection",
    "removeSrtpInfo",
    "stirShakenSignatureRequired",
    "didNumbers",
    "inboundParameters",
    "outboundParameters",
] as const;
/** Fields only PortSIP v12 has (their items are undocumented). */
export const V12_ONLY = ["inParameters", "outParameters"] as const;

const V22_BOOLEAN_DEFAULTS = {
    enabled: true,
    rewriteViaIp: true,
    verifyPort: true,
    keepAlive: true,
    adjustSdpDirection: true,
    removeSrtpInfo: true,
    stirShakenSignatureRequired: false,
} as const;

const INBOUND_DEFAULTS: Record<string, unknown> = {
    callerNum: "DEFAULT",
    callerDisplayName: "DEFAULT",
    calledNum: "DEFAULT",
    privacyTypesSupported: "DEFAULT",
    enableStirShakenValidation: false,
    paiHeaderParameterName: "verstat",
    dropCallsWithVerificationStatus: [],
    passApiHeaderToUad: false,
};

// ---------------------------------------------------------------- schema

function enumOf<const T extends readonly [string, ...string[]]>(values: T) {
    return z.enum(values, {
        error: (issue) => `must be one of ${values.join(", ")} (got ${JSON.stringify(issue.input)})`,
    });
}

function bool() {
    return z.boolean({ error: "must be true or false" });
}

function int(min: number, max: number) {
    const range = `must be a whole number from ${min} to ${max}`;
    return z.number({ error: range }).int(range).min(min, range).max(max, range);
}

function text(max: number) {
    return z
        .string({ error: "must be a string" })
        .min(1, "must not be empty; leave it out instead")
        .max(max, `must be at most ${max} characters`);
}

function outboundPart<const T extends readonly [string, ...string[]]>(values: T) {
    return z
        .strictObject({
            value: enumOf(values),
            customValue: z
                .string({ error: "must be a string" })
                .min(1, "must not be empty")
                .max(256, "must be at most 256 characters")
                .optional(),
        })
        .superRefine((part, ctx) => {
            if (part.value === "CUSTOM" && part.customValue === undefined) {
                ctx.addIssue({ code: "custom", path: ["customValue"], message: "is required when value is CUSTOM" });
            }
            if (part.value !== "CUSTOM" && part.customValue !== undefined) {
                ctx.addIssue({ code: "custom", path: ["customValue"], message: "is used only when value is CUSTOM" });
            }
        });
}

function partsShape<K extends string, S extends z.ZodType>(keys: readonly K[], schema: () => S) {
    return Object.fromEntries(keys.map((key) => [key, schema().optional()])) as Record<K, z.ZodOptional<S>>;
}

function inboundSchema() {
    return z.strictObject({
        callerNum: enumOf(INBOUND_HEADER_PARTS).optional(),
        callerDisplayName: enumOf(INBOUND_HEADER_PARTS).optional(),
        calledNum: enumOf(INBOUND_HEADER_PARTS).optional(),
        privacyTypesSupported: enumOf(PRIVACY_TYPES).optional(),
        enableStirShakenValidation: bool().optional(),
        paiHeaderParameterName: text(64).optional(),
        dropCallsWithVerificationStatus: z
            .array(enumOf(VERIFICATION_STATUSES), { error: "must be a list" })
            .refine((list) => new Set(list).size === list.length, "must not repeat a value")
            .optional(),
        passApiHeaderToUad: bool().optional(),
    });
}

function outboundSchema() {
    return z.strictObject({
        ...partsShape(OUTBOUND_USER_PARTS, () => outboundPart(OUTBOUND_USER_VALUES)),
        ...partsShape(OUTBOUND_HOST_PARTS, () => outboundPart(OUTBOUND_HOST_VALUES)),
        privacyTypesSupported: enumOf(PRIVACY_TYPES).optional(),
    });
}

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
        [RESOURCE_NAME_KEY]: z.string().optional(),
    };
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/**
 * Canonical inputs, validated without any API call when the connection's generation is pinned:
 * defaults filled (per generation), host names in lower case, CIDR and DID lists normalized,
 * nested parameters without their `DEFAULT` entries. Fields the PBX's generation lacks fail here,
 * as does a DID pool overlapping another trunk's of this stack on the same PBX.
 */
export function inputSchema() {
    // The generation found by the refinement of one parse, for the canonicalization that follows it.
    let generation: Generation | undefined;
    return objectSchema()
        .superRefine((inputs, ctx) => {
            generation = undefined;
            // Field-level problems first: the cross-field rules (and the DID claim) need valid fields.
            if (ctx.issues.length > 0) return;
            let problems = 0;
            const issue = (path: string, message: string) => {
                problems++;
                ctx.addIssue({ code: "custom", path: [path], message });
            };
            try {
                generation = generationForCheck(inputs.connection);
            } catch (error) {
                issue("connection", errorText(error));
            }
            const registration = inputs.registration ?? inputs.authMode === "REGISTER_AUTH";
            const record = inputs as Record<string, unknown>;
            if (generation === "v12") {
                const why = `is a PortSIP v16+/v22 field; the PBX of connection "${inputs.connection}" speaks v12`;
                for (const key of V22_ONLY) if (record[key] !== undefined) issue(key, why);
                if (!V12_AUTH_MODES.includes(inputs.authMode)) {
                    issue("authMode", `${inputs.authMode} needs PortSIP v16+/v22; v12 knows IP_AUTH and REGISTER_AUTH`);
                }
                if (!V12_TRANSPORTS.includes(inputs.transport)) {
                    issue("transport", `${inputs.transport} needs PortSIP v16+/v22; v12 knows UDP and TCP`);
                }
                if (inputs.port === 0) issue("port", "must be a whole number from 1 to 65535 on PortSIP v12");
            }
            if (generation === "v22") {
                const why = `is a PortSIP v12 field; the PBX of connection "${inputs.connection}" speaks v16+/v22`;
                for (const key of V12_ONLY) if (record[key] !== undefined) issue(key, why);
                if (inputs.port === 0 && inputs.transport !== "UDP") {
                    issue("port", "0 (no port) is allowed only with transport UDP");
                }
            }
            if (inputs.outboundServer === undefined && inputs.outboundServerPort !== 0) {
                issue("outboundServerPort", "needs outboundServer (0 means no outbound proxy)");
            }
            if (inputs.outboundServer !== undefined && inputs.outboundServerPort === 0 && inputs.transport !== "UDP") {
                issue("outboundServerPort", "must be from 1 to 65535 with an outboundServer over TCP or TLS");
            }
            if (inputs.authMode === "REGISTER_AUTH" && registration && inputs.authId === undefined) {
                issue("authId", "is required to register (authMode REGISTER_AUTH)");
            }
            if (inputs.onlineTimeoutSeconds !== undefined && !inputs.waitUntilOnline) {
                issue("onlineTimeoutSeconds", "applies only with waitUntilOnline: true");
            }
            // Last, and only for an otherwise valid trunk: a claim is recorded for the trunks checked after it.
            if (problems === 0 && generation === "v22") claimOrFail(inputs, issue);
        })
        .overwrite((inputs) => canonicalize(inputs, generation));
}

function resourceName(inputs: { name: string; [RESOURCE_NAME_KEY]?: string | undefined }): string {
    return inputs[RESOURCE_NAME_KEY] ?? inputs.name;
}

/** Trunks of one PBX: the same URL is the same PBX even under two connection names. */
function pbxKey(connection: string): string {
    return connectionUrl(connection) ?? `connection:${connection}`;
}

function claimOrFail(
    inputs: { connection: string; name: string; didNumbers?: string[] | undefined; [RESOURCE_NAME_KEY]?: string },
    issue: (path: string, message: string) => void,
): void {
    const parsed = inputs.didNumbers === undefined ? { ranges: [] } : parseDidPool(inputs.didNumbers);
    if ("problem" in parsed) return;
    const self = resourceName(inputs);
    // A trunk without DIDs still records its (empty) claim, releasing one it made earlier in this run.
    const clash = claimDids(pbxKey(inputs.connection), {
        resource: self,
        trunk: inputs.name,
        connection: inputs.connection,
        ranges: parsed.ranges,
    });
    if (clash === undefined) return;
    const [mine, theirs] = clash.ranges;
    issue(
        "didNumbers",
        `${mine.text} of resource "${self}" overlaps ${theirs.text} of resource "${clash.claim.resource}" ` +
            `(trunk "${clash.claim.trunk}", connection "${clash.claim.connection}") on the same PBX; ` +
            `a DID number can belong to one trunk only`,
    );
}

function objectSchema() {
    return z.strictObject(shape());
}

type ParsedInputs = z.output<ReturnType<typeof objectSchema>>;

function canonicalize<T extends Record<string, unknown>>(inputs: T, generation: Generation | undefined): T {
    const { [RESOURCE_NAME_KEY]: _hidden, ...result } = inputs as Record<string, unknown>;
    result["registration"] ??= result["authMode"] === "REGISTER_AUTH";
    if (generation === "v22") {
        for (const [key, value] of Object.entries(V22_BOOLEAN_DEFAULTS)) result[key] ??= value;
        result["keepAliveInterval"] ??= DEFAULT_KEEP_ALIVE_INTERVAL;
        setOrDelete(result, "inboundParameters", sparseInbound(result["inboundParameters"]));
        setOrDelete(result, "outboundParameters", sparseOutbound(result["outboundParameters"]));
    }
    if (generation === "v12") {
        result["inParameters"] ??= [];
        result["outParameters"] ??= [];
    }
    return result as T;
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
    if (value === undefined) Reflect.deleteProperty(target, key);
    else target[key] = value;
}

/** Inbound parameters without the entries that equal the PBX's defaults; `undefined` when all do. */
export function sparseInbound(value: unknown): InboundParameters | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined || item === null) continue;
        const canonical = Array.isArray(item) ? [...(item as string[])].sort() : item;
        if (sameValue(canonical, INBOUND_DEFAULTS[key])) continue;
        result[key] = canonical;
    }
    return Object.keys(result).length === 0 ? undefined : result;
}

/** Outbound parameters without `DEFAULT` entries; `undefined` when all are. */
export function sparseOutbound(value: unknown): OutboundParameters | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (key === "privacyTypesSupported") {
            if (item !== undefined && item !== null && item !== "DEFAULT") result[key] = item;
            continue;
        }
        const part = item as { value?: unknown; customValue?: unknown } | undefined | null;
        if (part?.value === undefined || part.value === null || part.value === "DEFAULT") continue;
        result[key] =
            part.value === "CUSTOM" && typeof part.customValue === "string"
                ? { value: part.value, customValue: part.customValue }
                : { value: part.value };
    }
    return Object.keys(result).length === 0 ? undefined : result;
}

// ---------------------------------------------------------------- types

export type InboundParameters = z.output<ReturnType<typeof inboundSchema>>;
export type OutboundParameters = z.output<ReturnType<typeof outboundSchema>>;
export type OutboundPartValue = { value: string; customValue?: string };

export type TrunkInputs = Omit<ParsedInputs, typeof RESOURCE_NAME_KEY>;

export interface TrunkOutputs extends TrunkInputs {
    /** The API generation the trunk was written with. */
    apiVersion: Generation;
    /** Registration / keep-alive status: ONLINE or OFFLINE (v16 words REGISTERED/UNREGISTERED are mapped). */
    status: string;
    /** v22: whether the system admin shares the trunk with tenants. */
    shared?: boolean;
}

export type WireRecord = Record<string, unknown>;

// ---------------------------------------------------------------- wire mapping

type Projection = (inputs: TrunkInputs) => unknown;

/** Pulumi property → [v22 wire name, value to send]. Create-only fields are separate. */
const V22_WRITABLE: Record<string, [string, Projection]> = {
    name: ["name", (i) => i.name],
    enabled: ["enabled", (i) => i.enabled ?? true],
    transport: ["transport", (i) => i.transport],
    hostname: ["hostname", (i) => i.hostname],
    port: ["port", (i) => i.port],
    authId: ["auth_id", (i) => i.authId ?? ""],
    username: ["username", (i) => i.username ?? ""],
    password: ["password", (i) => i.password ?? ""],
    registration: ["registration", (i) => i.registration ?? i.authMode === "REGISTER_AUTH"],
    registerInterval: ["register_interval", (i) => i.registerInterval],
    outboundServer: ["outbound_server", (i) => i.outboundServer ?? ""],
    outboundServerPort: ["outbound_server_port", (i) => i.outboundServerPort],
    inLan: ["inlan", (i) => i.inLan],
    singleViaHeader: ["single_via_header", (i) => i.singleViaHeader],
    rewriteViaIp: ["rewrite_via_ip", (i) => i.rewriteViaIp ?? true],
    verifyPort: ["verify_port", (i) => i.verifyPort ?? true],
    keepAlive: ["keep_alive", (i) => i.keepAlive ?? true],
    keepAliveInterval: ["keep_alive_interval", (i) => i.keepAliveInterval ?? DEFAULT_KEEP_ALIVE_INTERVAL],
    concurrency: ["concurrency", (i) => i.concurrency ?? DEFAULT_CONCURRENCY_ON_CREATE],
    additionalIps: ["additional_ips", (i) => joinForWire(i.additionalIps)],
    adjustSdpDirection: ["adjust_sdp_direction", (i) => i.adjustSdpDirection ?? true],
    removeSrtpInfo: ["remove_srtp_info", (i) => i.removeSrtpInfo ?? true],
    stirShakenSignatureRequired: ["stir_shaken_signature_required", (i) => i.stirShakenSignatureRequired ?? false],
    didNumbers: ["did_numbers", (i) => joinForWire(i.didNumbers)],
};

/** Optional text fields: left out of a create body when not set (an update sends "" to clear them). */
const OMIT_ON_CREATE_WHEN_UNSET = ["authId", "username", "password", "additionalIps", "didNumbers"] as const;

/** Pulumi property → [v12 wire name, value to send]. v12 update replaces the whole record. */
const V12_WRITABLE: Record<string, [string, Projection]> = {
    name: ["name", (i) => i.name],
    authMode: ["auth_mode", (i) => i.authMode],
    transport: ["protocol", (i) => i.transport],
    hostname: ["hostname", (i) => i.hostname],
    port: ["port", (i) => i.port],
    authId: ["auth_id", (i) => i.authId ?? ""],
    password: ["password", (i) => i.password ?? ""],
    registration: ["require_register", (i) => i.registration ?? i.authMode === "REGISTER_AUTH"],
    registerInterval: ["reregister_interval", (i) => i.registerInterval],
    outboundServer: ["outbound_server", (i) => i.outboundServer ?? ""],
    outboundServerPort: ["outbound_server_port", (i) => i.outboundServerPort],
    inLan: ["provider_in_lan", (i) => i.inLan],
    singleViaHeader: ["single_via_header", (i) => i.singleViaHeader],
    additionalIps: ["ips", (i) => i.additionalIps ?? []],
    inParameters: ["in_parameters", (i) => i.inParameters ?? []],
    outParameters: ["out_parameters", (i) => i.outParameters ?? []],
};

function snake(camel: string): string {
    return camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function camel(snakeCase: string): string {
    return snakeCase.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** Every inbound key with its default filled in, in wire names. */
function fullInboundWire(inbound: InboundParameters | undefined): WireRecord {
    const merged: Record<string, unknown> = { ...INBOUND_DEFAULTS, ...(inbound ?? {}) };
    return Object.fromEntries(Object.entries(merged).map(([key, value]) => [snake(key), value]));
}

function partWire(part: OutboundPartValue | undefined): WireRecord {
    if (part === undefined) return { value: "DEFAULT" };
    return part.customValue === undefined
        ? { value: part.value }
        : { value: part.value, custom_value: part.customValue };
}

/** Every outbound part (DEFAULT unless set), in wire names. `privacy_types_supported` only when set. */
function fullOutboundWire(outbound: OutboundParameters | undefined): WireRecord {
    const source = (outbound ?? {}) as Record<string, OutboundPartValue | undefined>;
    const wire: WireRecord = {};
    for (const key of [...OUTBOUND_USER_PARTS, ...OUTBOUND_HOST_PARTS]) wire[snake(key)] = partWire(source[key]);
    if (outbound?.privacyTypesSupported !== undefined) wire["privacy_types_supported"] = outbound.privacyTypesSupported;
    return wire;
}

/** The v22 create body: every field, defaults included, so the stored trunk is what the program says. */
export function toV22Create(inputs: TrunkInputs): WireRecord {
    const body: WireRecord = {};
    for (const [key, [wire, project]] of Object.entries(V22_WRITABLE)) {
        const value = (inputs as Record<string, unknown>)[key];
        if ((OMIT_ON_CREATE_WHEN_UNSET as readonly string[]).includes(key) && value === undefined) continue;
        body[wire] = project(inputs);
    }
    body["auth_mode"] = inputs.authMode;
    if (inputs.brand !== undefined) body["brand"] = inputs.brand;
    body["inbound_parameters"] = fullInboundWire(inputs.inboundParameters);
    body["outbound_parameters"] = fullOutboundWire(inputs.outboundParameters);
    return body;
}

/** Properties whose desired value changed between the stored state and the program. */
export function changedProperties(olds: TrunkInputs, news: TrunkInputs, keys: readonly string[]): string[] {
    const before = olds as Record<string, unknown>;
    const after = news as Record<string, unknown>;
    return keys.filter((key) => {
        if ((VENDOR_DEFAULTED as readonly string[]).includes(key) && after[key] === undefined) return false;
        return !sameValue(before[key], after[key]);
    });
}

/** A nested wire object as the server sent it, ready to send back: nulls dropped, privacy kept in the server's shape. */
function nestedFromServer(value: unknown): WireRecord {
    if (typeof value !== "object" || value === null) return {};
    const result: WireRecord = {};
    for (const [key, item] of Object.entries(value as WireRecord)) {
        if (item === null || item === undefined) continue;
        if (typeof item === "object" && !Array.isArray(item)) {
            const part = Object.fromEntries(Object.entries(item as WireRecord).filter(([, v]) => v !== null));
            result[key] = part;
        } else {
            result[key] = item;
        }
    }
    return result;
}

/**
 * The v22 partial update: only the fields whose desired value changed. A changed nested object is
 * sent whole (the merge semantics of nested objects are undocumented): what the PBX holds now, with
 * the changed entries replaced, so entries nobody changed in the program stay as they are.
 */
export function toV22Update(olds: TrunkInputs, news: TrunkInputs, current: WireRecord): WireRecord {
    const body: WireRecord = {};
    for (const key of changedProperties(olds, news, Object.keys(V22_WRITABLE))) {
        const entry = V22_WRITABLE[key];
        if (entry !== undefined) body[entry[0]] = entry[1](news);
    }
    const oldInbound = fullInboundWire(olds.inboundParameters);
    const newInbound = fullInboundWire(news.inboundParameters);
    const inboundChanges = Object.keys(newInbound).filter((key) => !sameValue(oldInbound[key], newInbound[key]));
    if (inboundChanges.length > 0) {
        const nested = nestedFromServer(current["inbound_parameters"]);
        const privacy = nested["privacy_types_supported"];
        if (typeof privacy === "object" && privacy !== null) {
            nested["privacy_types_supported"] = (privacy as WireRecord)["value"];
        }
        for (const key of inboundChanges) nested[key] = newInbound[key];
        body["inbound_parameters"] = nested;
    }
    const oldOutbound = fullOutboundWire(olds.outboundParameters);
    const newOutbound = fullOutboundWire(news.outboundParameters);
    const outboundKeys = [...Object.keys(newOutbound), "privacy_types_supported"];
    const outboundChanges = [...new Set(outboundKeys)].filter(
        (key) => !sameValue(oldOutbound[key] ?? defaultOutbound(key), newOutbound[key] ?? defaultOutbound(key)),
    );
    if (outboundChanges.length > 0) {
        const nested = nestedFromServer(current["outbound_parameters"]);
        const legacyPrivacy = typeof nested["privacy_types_supported"] === "object";
        for (const key of outboundChanges) {
            const value = newOutbound[key] ?? defaultOutbound(key);
            nested[key] = key === "privacy_types_supported" && legacyPrivacy ? { value } : value;
        }
        body["outbound_parameters"] = nested;
    }
    return body;
}

function defaultOutbound(key: string): unknown {
    return key === "privacy_types_supported" ? "DEFAULT" : { value: "DEFAULT" };
}

/** The v12 create body: the whole record. */
export function toV12Create(inputs: TrunkInputs): WireRecord {
    const body: WireRecord = {};
    for (const [wire, project] of Object.values(V12_WRITABLE)) body[wire] = project(inputs);
    return body;
}

/**
 * The v12 update body. v12 replaces the whole record, so the body is the record the PBX holds now
 * (read just before, big numbers kept exact, fields this package does not know kept too), with
 * the fields whose desired value changed set from the program: a field nobody changed in the
 * program keeps what the PBX has, even if it drifted since the last refresh. The id is sent back
 * exactly as the PBX wrote it. `undefined` when nothing changed (no call needed).
 */
export function toV12Update(
    id: string,
    olds: TrunkInputs,
    news: TrunkInputs,
    current: WireRecord,
): WireRecord | undefined {
    const { status: _status, id: currentId, ...record } = current;
    const changed = new Set(changedProperties(olds, news, Object.keys(V12_WRITABLE)));
    if (changed.size === 0) return undefined;
    for (const [key, [wire, project]] of Object.entries(V12_WRITABLE)) {
        if (changed.has(key) || record[wire] === undefined || record[wire] === null) record[wire] = project(news);
    }
    return { id: currentId ?? wireId(id), ...record };
}

/**
 * The outputs of an update: what the PBX reads back for the properties this update changed, and
 * the prior state for the others. A field that drifted on the PBX but that the program did not
 * change was left alone by the update (never reset behind the user's back); it is reported by the
 * next refresh, shown in review, and put back only then.
 */
export function keepUntouched(
    generation: Generation,
    olds: TrunkOutputs,
    news: TrunkInputs,
    outs: TrunkOutputs,
): TrunkOutputs {
    const keys =
        generation === "v12"
            ? Object.keys(V12_WRITABLE)
            : [...Object.keys(V22_WRITABLE), "inboundParameters", "outboundParameters"];
    const changed = new Set(changedProperties(olds, news, keys));
    const result: Record<string, unknown> = { ...outs };
    const before = olds as unknown as Record<string, unknown>;
    for (const key of keys) {
        if (changed.has(key)) continue;
        setOrDelete(result, key, before[key]);
    }
    return result as unknown as TrunkOutputs;
}

// ---------------------------------------------------------------- reading

function optionalText(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

function boolOr(value: unknown, fallback: boolean): boolean {
    return typeof value === "boolean" ? value : fallback;
}

function intOr(value: unknown, fallback: number): number {
    return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}

/** The same canonical form as `hostSchema` gives inputs, so a case-only difference is no drift. */
export function canonicalHost(value: string): string {
    const trimmed = value.trim();
    return isIP(trimmed) === 0 ? trimmed.toLowerCase().replace(/\.$/, "") : trimmed;
}

export function normalizeStatus(value: unknown): string {
    if (value === "ONLINE" || value === "REGISTERED") return "ONLINE";
    if (value === "OFFLINE" || value === "UNREGISTERED") return "OFFLINE";
    return typeof value === "string" && value !== "" ? value : "UNKNOWN";
}

/** Deep copy with exact big numbers turned into their decimal text (Pulumi values are doubles). */
export function plainJson(value: unknown): unknown {
    if (isLosslessNumber(value)) return value.value;
    if (Array.isArray(value)) return value.map(plainJson);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainJson(item)]));
    }
    return value;
}

function nonEmpty(list: string[]): string[] | undefined {
    return list.length === 0 ? undefined : list;
}

function setDefined(target: Record<string, unknown>, key: string, value: unknown): void {
    if (value !== undefined) target[key] = value;
}

function inboundFromWire(value: unknown): InboundParameters | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const camelCased: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as WireRecord)) {
        const unwrapped =
            key === "privacy_types_supported" && typeof item === "object" && item !== null
                ? (item as WireRecord)["value"]
                : item;
        camelCased[camel(key)] = unwrapped;
    }
    return sparseInbound(camelCased);
}

function outboundFromWire(value: unknown): OutboundParameters | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const camelCased: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as WireRecord)) {
        if (key === "privacy_types_supported") {
            camelCased["privacyTypesSupported"] =
                typeof item === "object" && item !== null ? (item as WireRecord)["value"] : item;
            continue;
        }
        if (typeof item !== "object" || item === null) continue;
        const part = item as WireRecord;
        camelCased[camel(key)] = { value: part["value"], customValue: optionalText(part["custom_value"]) };
    }
    return sparseOutbound(camelCased);
}

/** Properties that are the program's, not the PBX's: carried over from the prior state. */
function carried(prior: TrunkInputs): Partial<TrunkInputs> {
    const result: Record<string, unknown> = { connection: prior.connection, waitUntilOnline: prior.waitUntilOnline };
    setDefined(result, "onlineTimeoutSeconds", prior.onlineTimeoutSeconds);
    return result;
}

/**
 * Canonical inputs and outputs from a v22 GET. The password is write-only (never read back), so
 * the prior one is kept: it never shows as drift, and a changed password in the program still
 * differs from the state and updates. `concurrency` is reported only when the program manages it.
 */
export function fromV22(
    wire: WireRecord,
    status: string,
    prior: TrunkInputs,
): { inputs: TrunkInputs; outs: TrunkOutputs } {
    const authMode = (optionalText(wire["auth_mode"]) ?? prior.authMode) as AuthMode;
    const inputs: Record<string, unknown> = {
        ...carried(prior),
        name: optionalText(wire["name"]) ?? prior.name,
        enabled: boolOr(wire["enabled"], true),
        authMode,
        transport: optionalText(wire["transport"]) ?? prior.transport,
        hostname: canonicalHost(optionalText(wire["hostname"]) ?? prior.hostname),
        port: intOr(wire["port"], prior.port),
        registration: boolOr(wire["registration"], true),
        registerInterval: intOr(wire["register_interval"], DEFAULT_REGISTER_INTERVAL),
        outboundServerPort: intOr(wire["outbound_server_port"], 0),
        inLan: boolOr(wire["inlan"], false),
        singleViaHeader: boolOr(wire["single_via_header"], true),
        rewriteViaIp: boolOr(wire["rewrite_via_ip"], true),
        verifyPort: boolOr(wire["verify_port"], true),
        keepAlive: boolOr(wire["keep_alive"], true),
        keepAliveInterval: intOr(wire["keep_alive_interval"], DEFAULT_KEEP_ALIVE_INTERVAL),
        adjustSdpDirection: boolOr(wire["adjust_sdp_direction"], true),
        removeSrtpInfo: boolOr(wire["remove_srtp_info"], true),
        stirShakenSignatureRequired: boolOr(wire["stir_shaken_signature_required"], false),
    };
    setDefined(inputs, "brand", optionalText(wire["brand"]));
    setDefined(inputs, "authId", optionalText(wire["auth_id"]));
    setDefined(inputs, "username", optionalText(wire["username"]));
    setDefined(inputs, "password", prior.password);
    const outbound = optionalText(wire["outbound_server"]);
    setDefined(inputs, "outboundServer", outbound === undefined ? undefined : canonicalHost(outbound));
    if (prior.concurrency !== undefined) inputs["concurrency"] = intOr(wire["concurrency"], prior.concurrency);
    setDefined(inputs, "additionalIps", nonEmpty(cidrListFromWire(optionalText(wire["additional_ips"]) ?? "")));
    setDefined(inputs, "didNumbers", nonEmpty(didListFromWire(optionalText(wire["did_numbers"]) ?? "")));
    setDefined(inputs, "inboundParameters", inboundFromWire(wire["inbound_parameters"]));
    setDefined(inputs, "outboundParameters", outboundFromWire(wire["outbound_parameters"]));
    const canonical = inputs as TrunkInputs;
    const outs: TrunkOutputs = { ...canonical, apiVersion: "v22", status: normalizeStatus(status) };
    if (typeof wire["shared"] === "boolean") outs.shared = wire["shared"];
    return { inputs: canonical, outs };
}

/** Canonical inputs and outputs from a v12 `show` (which does return the password, so its drift shows, as a secret). */
export function fromV12(wire: WireRecord, prior: TrunkInputs): { inputs: TrunkInputs; outs: TrunkOutputs } {
    const authMode = (optionalText(wire["auth_mode"]) ?? prior.authMode) as AuthMode;
    const inputs: Record<string, unknown> = {
        ...carried(prior),
        name: optionalText(wire["name"]) ?? prior.name,
        authMode,
        transport: optionalText(wire["protocol"]) ?? prior.transport,
        hostname: canonicalHost(optionalText(wire["hostname"]) ?? prior.hostname),
        port: intOr(wire["port"], prior.port),
        registration: boolOr(wire["require_register"], authMode === "REGISTER_AUTH"),
        registerInterval: intOr(wire["reregister_interval"], DEFAULT_REGISTER_INTERVAL),
        outboundServerPort: intOr(wire["outbound_server_port"], 0),
        inLan: boolOr(wire["provider_in_lan"], false),
        singleViaHeader: boolOr(wire["single_via_header"], true),
        inParameters: Array.isArray(wire["in_parameters"]) ? plainJson(wire["in_parameters"]) : [],
        outParameters: Array.isArray(wire["out_parameters"]) ? plainJson(wire["out_parameters"]) : [],
    };
    setDefined(inputs, "authId", optionalText(wire["auth_id"]));
    const password = wire["password"];
    setDefined(inputs, "password", typeof password === "string" ? optionalText(password) : prior.password);
    const outbound = optionalText(wire["outbound_server"]);
    setDefined(inputs, "outboundServer", outbound === undefined ? undefined : canonicalHost(outbound));
    const ips = Array.isArray(wire["ips"])
        ? (wire["ips"] as unknown[]).filter((item): item is string => typeof item === "string")
        : [];
    setDefined(inputs, "additionalIps", nonEmpty(canonicalCidrList(ips)));
    const canonical = inputs as TrunkInputs;
    return { inputs: canonical, outs: { ...canonical, apiVersion: "v12", status: normalizeStatus(wire["status"]) } };
}

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
        setOrDelete(result, key, nonEmpty(fromText(value)));
    }
    return result;
}

/** State of versions 0 (before versioning) and 1 differs from version 2 only in the joined lists. */
export function upgradeState(state: Record<string, unknown>): TrunkOutputs {
    return upgradeInputs(state) as unknown as TrunkOutputs;
}
