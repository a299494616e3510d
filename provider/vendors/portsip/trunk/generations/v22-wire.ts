import { z } from "zod";
import { sameValue } from "../../../../core/diff";
import { didListFromWire } from "../dids";
import { cidrListFromWire } from "../ip";
import { joinForWire } from "../joined";
import {
    changedProperties,
    DEFAULT_KEEP_ALIVE_INTERVAL,
    DEFAULT_REGISTER_INTERVAL,
    OUTBOUND_HOST_PARTS,
    OUTBOUND_USER_PARTS,
    type InboundParameters,
    type OutboundParameters,
    type OutboundPartValue,
    type TrunkInputs,
    type TrunkOutputs,
} from "../model";
import { INBOUND_DEFAULTS, sparseInbound, sparseOutbound } from "../parameters";
import {
    canonicalHost,
    carried,
    nonEmpty,
    normalizeStatus,
    optionalText,
    setDefined,
    wireFlag,
    wireId,
    wireText,
    wireWhole,
} from "./wire";

/**
 * The wire form of a trunk on PortSIP v16+/v22 (documented as v22): the schemas of what the PBX
 * answers, and the mapping both ways. Nested parameters travel whole; some lists travel
 * `;`-joined.
 */

export type WireRecord = Record<string, unknown>;

/**
 * `/api/providers` answers have used both `"DEFAULT"` and `{"value": "DEFAULT"}` for
 * `privacy_types_supported`; both are read, and an update writes back the shape the PBX used.
 */
const privacy = z.union([z.string(), z.looseObject({ value: z.string() })]).nullish();

function privacyValue(value: z.output<typeof privacy>): string | undefined {
    return typeof value === "object" && value !== null ? value.value : (value ?? undefined);
}

const V22_INBOUND = z.looseObject({
    caller_num: wireText,
    caller_display_name: wireText,
    called_num: wireText,
    privacy_types_supported: privacy,
    enable_stir_shaken_validation: wireFlag,
    pai_header_parameter_name: wireText,
    drop_calls_with_verification_status: z.array(z.string()).nullish(),
    pass_api_header_to_uad: wireFlag,
});

const outboundPart = z.looseObject({ value: z.string(), custom_value: wireText }).nullish();
const OUTBOUND_PARTS = [...OUTBOUND_USER_PARTS, ...OUTBOUND_HOST_PARTS];

const V22_OUTBOUND = z.looseObject({
    ...(Object.fromEntries(OUTBOUND_PARTS.map((part) => [snake(part), outboundPart])) as Record<
        string,
        typeof outboundPart
    >),
    privacy_types_supported: privacy,
});

/** The detailed representation (`GET /api/providers/{id}`). */
export const V22_TRUNK = z.looseObject({
    id: wireId.optional(),
    name: wireText,
    enabled: wireFlag,
    brand: wireText,
    auth_mode: wireText,
    transport: wireText,
    hostname: wireText,
    port: wireWhole,
    auth_id: wireText,
    username: wireText,
    registration: wireFlag,
    register_interval: wireWhole,
    outbound_server: wireText,
    outbound_server_port: wireWhole,
    inlan: wireFlag,
    single_via_header: wireFlag,
    rewrite_via_ip: wireFlag,
    verify_port: wireFlag,
    keep_alive: wireFlag,
    keep_alive_interval: wireWhole,
    concurrency: wireWhole,
    additional_ips: wireText,
    adjust_sdp_direction: wireFlag,
    remove_srtp_info: wireFlag,
    stir_shaken_signature_required: wireFlag,
    did_numbers: wireText,
    inbound_parameters: V22_INBOUND.nullish(),
    outbound_parameters: V22_OUTBOUND.nullish(),
    shared: wireFlag,
});
export type V22Trunk = z.output<typeof V22_TRUNK>;

/** A page of summaries (`GET /api/providers`): what the natural key is matched on. */
export const V22_LIST = z.looseObject({
    items: z.array(z.looseObject({ id: wireId, name: wireText, hostname: wireText, port: wireWhole })).nullish(),
    count: z.number().int().nullish(),
});

/** `GET /api/providers/{id}/status`. */
export const V22_STATUS = z.looseObject({ status: z.string() });

// ---------------------------------------------------------------- to the wire

function snake(camel: string): string {
    return camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

type Projection = (inputs: TrunkInputs) => unknown;

/**
 * `concurrency` is required by the v22 create call and has no documented default. A trunk created
 * without it gets this value; afterwards a program that leaves it out does not manage it.
 */
export const DEFAULT_CONCURRENCY_ON_CREATE = 0;

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

/** What a v22 update writes: the flat fields and the nested parameters. */
export const V22_UPDATABLE = [...Object.keys(V22_WRITABLE), "inboundParameters", "outboundParameters"];

/** Optional text fields: left out of a create body when not set (an update sends "" to clear them). */
const OMIT_ON_CREATE_WHEN_UNSET: readonly string[] = ["authId", "username", "password", "additionalIps", "didNumbers"];

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
    for (const key of OUTBOUND_PARTS) wire[snake(key)] = partWire(source[key]);
    if (outbound?.privacyTypesSupported !== undefined) wire["privacy_types_supported"] = outbound.privacyTypesSupported;
    return wire;
}

/** The v22 create body: every field, defaults included, so the stored trunk is what the program says. */
export function toV22Create(inputs: TrunkInputs): WireRecord {
    const body: WireRecord = {};
    for (const [key, [wire, project]] of Object.entries(V22_WRITABLE)) {
        const value = (inputs as Record<string, unknown>)[key];
        if (OMIT_ON_CREATE_WHEN_UNSET.includes(key) && value === undefined) continue;
        body[wire] = project(inputs);
    }
    body["auth_mode"] = inputs.authMode;
    if (inputs.brand !== undefined) body["brand"] = inputs.brand;
    body["inbound_parameters"] = fullInboundWire(inputs.inboundParameters);
    body["outbound_parameters"] = fullOutboundWire(inputs.outboundParameters);
    return body;
}

/** A nested wire object as the server sent it, ready to send back: nulls dropped, privacy kept in the server's shape. */
function nestedFromServer(value: WireRecord | null | undefined): WireRecord {
    const result: WireRecord = {};
    for (const [key, item] of Object.entries(value ?? {})) {
        if (item === null || item === undefined) continue;
        result[key] =
            typeof item === "object" && !Array.isArray(item)
                ? Object.fromEntries(Object.entries(item as WireRecord).filter(([, v]) => v !== null))
                : item;
    }
    return result;
}

function defaultOutbound(key: string): unknown {
    return key === "privacy_types_supported" ? "DEFAULT" : { value: "DEFAULT" };
}

/**
 * The v22 partial update: only the fields whose desired value changed. A changed nested object is
 * sent whole (the merge semantics of nested objects are undocumented): what the PBX holds now, with
 * the changed entries replaced, so entries nobody changed in the program stay as they are.
 */
export function toV22Update(olds: TrunkInputs, news: TrunkInputs, current: V22Trunk): WireRecord {
    const body: WireRecord = {};
    for (const key of changedProperties(olds, news, Object.keys(V22_WRITABLE))) {
        const entry = V22_WRITABLE[key];
        if (entry !== undefined) body[entry[0]] = entry[1](news);
    }
    const oldInbound = fullInboundWire(olds.inboundParameters);
    const newInbound = fullInboundWire(news.inboundParameters);
    const inboundChanges = Object.keys(newInbound).filter((key) => !sameValue(oldInbound[key], newInbound[key]));
    if (inboundChanges.length > 0) {
        const nested = nestedFromServer(current.inbound_parameters);
        // The inbound privacy is always sent flat, whichever shape the PBX answered with.
        const privacyNow = privacyValue(current.inbound_parameters?.privacy_types_supported);
        if (privacyNow !== undefined) nested["privacy_types_supported"] = privacyNow;
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
        const nested = nestedFromServer(current.outbound_parameters);
        const legacyPrivacy = typeof current.outbound_parameters?.privacy_types_supported === "object";
        for (const key of outboundChanges) {
            const value = newOutbound[key] ?? defaultOutbound(key);
            nested[key] = key === "privacy_types_supported" && legacyPrivacy ? { value } : value;
        }
        body["outbound_parameters"] = nested;
    }
    return body;
}

// ---------------------------------------------------------------- from the wire

function inboundFromWire(wire: V22Trunk["inbound_parameters"]): InboundParameters | undefined {
    if (wire === null || wire === undefined) return undefined;
    const camelCased: Record<string, unknown> = {};
    for (const key of Object.keys(INBOUND_DEFAULTS)) camelCased[key] = wire[snake(key)];
    camelCased["privacyTypesSupported"] = privacyValue(wire.privacy_types_supported);
    return sparseInbound(camelCased);
}

function outboundFromWire(wire: V22Trunk["outbound_parameters"]): OutboundParameters | undefined {
    if (wire === null || wire === undefined) return undefined;
    const camelCased: Record<string, unknown> = { privacyTypesSupported: privacyValue(wire.privacy_types_supported) };
    for (const part of OUTBOUND_PARTS) {
        const item = wire[snake(part)] as z.output<typeof outboundPart>;
        if (item !== null && item !== undefined) {
            camelCased[part] = { value: item.value, customValue: optionalText(item.custom_value) };
        }
    }
    return sparseOutbound(camelCased);
}

/**
 * Canonical inputs and outputs from a v22 GET. The password is write-only (never read back), so
 * the prior one is kept: it never shows as drift, and a changed password in the program still
 * differs from the state and updates. `concurrency` is reported only when the program manages it.
 */
export function fromV22(
    wire: V22Trunk,
    status: string,
    prior: TrunkInputs,
): { inputs: TrunkInputs; outs: TrunkOutputs } {
    const inputs: Record<string, unknown> = {
        ...carried(prior),
        name: optionalText(wire.name) ?? prior.name,
        enabled: wire.enabled ?? true,
        authMode: optionalText(wire.auth_mode) ?? prior.authMode,
        transport: optionalText(wire.transport) ?? prior.transport,
        hostname: canonicalHost(optionalText(wire.hostname) ?? prior.hostname),
        port: wire.port ?? prior.port,
        registration: wire.registration ?? true,
        registerInterval: wire.register_interval ?? DEFAULT_REGISTER_INTERVAL,
        outboundServerPort: wire.outbound_server_port ?? 0,
        inLan: wire.inlan ?? false,
        singleViaHeader: wire.single_via_header ?? true,
        rewriteViaIp: wire.rewrite_via_ip ?? true,
        verifyPort: wire.verify_port ?? true,
        keepAlive: wire.keep_alive ?? true,
        keepAliveInterval: wire.keep_alive_interval ?? DEFAULT_KEEP_ALIVE_INTERVAL,
        adjustSdpDirection: wire.adjust_sdp_direction ?? true,
        removeSrtpInfo: wire.remove_srtp_info ?? true,
        stirShakenSignatureRequired: wire.stir_shaken_signature_required ?? false,
    };
    setDefined(inputs, "brand", optionalText(wire.brand));
    setDefined(inputs, "authId", optionalText(wire.auth_id));
    setDefined(inputs, "username", optionalText(wire.username));
    setDefined(inputs, "password", prior.password);
    const outbound = optionalText(wire.outbound_server);
    setDefined(inputs, "outboundServer", outbound === undefined ? undefined : canonicalHost(outbound));
    if (prior.concurrency !== undefined) inputs["concurrency"] = wire.concurrency ?? prior.concurrency;
    setDefined(inputs, "additionalIps", nonEmpty(cidrListFromWire(wire.additional_ips ?? "")));
    setDefined(inputs, "didNumbers", nonEmpty(didListFromWire(wire.did_numbers ?? "")));
    setDefined(inputs, "inboundParameters", inboundFromWire(wire.inbound_parameters));
    setDefined(inputs, "outboundParameters", outboundFromWire(wire.outbound_parameters));
    const canonical = inputs as TrunkInputs;
    const outs: TrunkOutputs = { ...canonical, apiVersion: "v22", status: normalizeStatus(status) };
    setDefined(outs as unknown as Record<string, unknown>, "shared", wire.shared ?? undefined);
    return { inputs: canonical, outs };
}
