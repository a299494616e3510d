import { isLosslessNumber } from "lossless-json";
import { z } from "zod";
import { unlessNotFound, VendorApiError } from "../../../../core/errors";
import { DECIMAL_ID_SHAPE, requireIdShape, type IdShape } from "../../../../core/ids";
import { parseLossless, pbxRequest, stringifyLossless, V12_DIALECT, wireId as wireIdValue } from "../../client";
import { VENDOR, type PbxConnection } from "../../connection";
import { canonicalCidrList } from "../ip";
import {
    changedProperties,
    DEFAULT_REGISTER_INTERVAL,
    V12_AUTH_MODES,
    V12_TRANSPORTS,
    type AuthMode,
    type InputProblem,
    type TrunkInputs,
    type TrunkOutputs,
} from "../model";
import type { Candidate, TrunkGeneration } from "./generation";
import {
    canonicalHost,
    carried,
    createdAnswer,
    lookupPrior,
    nonEmpty,
    normalizeStatus,
    optionalText,
    PAGE_SIZE,
    parseWire,
    setDefined,
    wireFlag,
    wireId,
    wireText,
    wireWhole,
} from "./wire";

/**
 * The legacy PortSIP v12 trunk API: `/api/providers/<verb>`, ids that are int64 numbers (often
 * beyond 2^53, kept exact), `show` returning the whole record (password included), and an update
 * that replaces the whole record.
 */

/** v12 ids are int64 numbers, often above 2^53: decimal text. */
export const V12_ID_SHAPE: IdShape = DECIMAL_ID_SHAPE;

/** Fields only v16+/v22 has. */
const V22_FIELDS = [
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

// ---------------------------------------------------------------- wire schemas

/** A trunk as `show` and `list` answer it; fields this package does not know are kept for the update. */
export const V12_TRUNK = z.looseObject({
    id: wireId.optional(),
    name: wireText,
    auth_mode: wireText,
    protocol: wireText,
    hostname: wireText,
    port: wireWhole,
    auth_id: wireText,
    password: wireText,
    require_register: wireFlag,
    reregister_interval: wireWhole,
    outbound_server: wireText,
    outbound_server_port: wireWhole,
    provider_in_lan: wireFlag,
    single_via_header: wireFlag,
    ips: z.array(z.string()).nullish(),
    in_parameters: z.array(z.unknown()).nullish(),
    out_parameters: z.array(z.unknown()).nullish(),
    status: wireText,
});
type V12Trunk = z.output<typeof V12_TRUNK>;

const V12_LIST = z.looseObject({
    providers: z.array(V12_TRUNK.extend({ id: wireId })).nullish(),
    page_count: z.number().int().nullish(),
});

/** The raw record (big numbers kept exact, to send back in an update) and what it says. */
interface Shown {
    record: Record<string, unknown>;
    trunk: V12Trunk;
}

// ---------------------------------------------------------------- to the wire

type Projection = (inputs: TrunkInputs) => unknown;

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

/** The v12 create body: the whole record. */
export function toV12Create(inputs: TrunkInputs): Record<string, unknown> {
    const body: Record<string, unknown> = {};
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
    current: Record<string, unknown>,
): Record<string, unknown> | undefined {
    const { status: _status, id: currentId, ...record } = current;
    const changed = new Set(changedProperties(olds, news, Object.keys(V12_WRITABLE)));
    if (changed.size === 0) return undefined;
    for (const [key, [wire, project]] of Object.entries(V12_WRITABLE)) {
        if (changed.has(key) || record[wire] === undefined || record[wire] === null) record[wire] = project(news);
    }
    return { id: currentId ?? wireIdValue(id), ...record };
}

// ---------------------------------------------------------------- from the wire

/** Deep copy with exact big numbers turned into their decimal text (Pulumi values are doubles). */
export function plainJson(value: unknown): unknown {
    if (isLosslessNumber(value)) return value.value;
    if (Array.isArray(value)) return value.map(plainJson);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainJson(item)]));
    }
    return value;
}

/** Canonical inputs and outputs from a v12 `show` (which does return the password, so its drift shows, as a secret). */
export function fromV12(trunk: V12Trunk, prior: TrunkInputs): { inputs: TrunkInputs; outs: TrunkOutputs } {
    const authMode = (optionalText(trunk.auth_mode) ?? prior.authMode) as AuthMode;
    const inputs: Record<string, unknown> = {
        ...carried(prior),
        name: optionalText(trunk.name) ?? prior.name,
        authMode,
        transport: optionalText(trunk.protocol) ?? prior.transport,
        hostname: canonicalHost(optionalText(trunk.hostname) ?? prior.hostname),
        port: trunk.port ?? prior.port,
        registration: trunk.require_register ?? authMode === "REGISTER_AUTH",
        registerInterval: trunk.reregister_interval ?? DEFAULT_REGISTER_INTERVAL,
        outboundServerPort: trunk.outbound_server_port ?? 0,
        inLan: trunk.provider_in_lan ?? false,
        singleViaHeader: trunk.single_via_header ?? true,
        inParameters: plainJson(trunk.in_parameters ?? []),
        outParameters: plainJson(trunk.out_parameters ?? []),
    };
    setDefined(inputs, "authId", optionalText(trunk.auth_id));
    const password = trunk.password === undefined || trunk.password === null ? prior.password : trunk.password;
    setDefined(inputs, "password", optionalText(password));
    const outbound = optionalText(trunk.outbound_server);
    setDefined(inputs, "outboundServer", outbound === undefined ? undefined : canonicalHost(outbound));
    setDefined(inputs, "additionalIps", nonEmpty(canonicalCidrList(trunk.ips ?? [])));
    const canonical = inputs as TrunkInputs;
    return { inputs: canonical, outs: { ...canonical, apiVersion: "v12", status: normalizeStatus(trunk.status) } };
}

// ---------------------------------------------------------------- endpoints

function v12Id(id: string, operation: string): string {
    return requireIdShape(id, V12_ID_SHAPE, { vendor: VENDOR, operation });
}

function create(connection: PbxConnection, inputs: TrunkInputs): Promise<string> {
    return pbxRequest(connection, V12_DIALECT, {
        operation: "create trunk",
        object: inputs.name,
        method: "POST",
        path: "/providers/create",
        body: stringifyLossless(toV12Create(inputs)),
        idempotent: false,
        parse: (body) => parseWire(createdAnswer, parseLossless(body), "the create answer").id,
    });
}

/** The record, or `undefined` when the PBX does not know the id. */
function show(connection: PbxConnection, id: string): Promise<Shown | undefined> {
    v12Id(id, "read trunk");
    return unlessNotFound(
        pbxRequest(connection, V12_DIALECT, {
            operation: "read trunk",
            object: id,
            method: "GET",
            path: "/providers/show",
            params: { id },
            idempotent: true,
            parse: (body) => {
                const record = parseLossless(body);
                const trunk = parseWire(V12_TRUNK, record, "the trunk");
                return { record: record as Record<string, unknown>, trunk };
            },
        }),
        undefined,
    );
}

/** Every trunk, across all pages (1-based `pagination`). */
async function list(connection: PbxConnection): Promise<(V12Trunk & { id: string })[]> {
    const all: (V12Trunk & { id: string })[] = [];
    for (let page = 1; ; page++) {
        const answer = await pbxRequest(connection, V12_DIALECT, {
            operation: "list trunks",
            method: "GET",
            path: "/providers/list",
            params: { pagination: String(page), pagesize: String(PAGE_SIZE), sort_by: "DEFAULT" },
            idempotent: true,
            parse: (body) => parseWire(V12_LIST, parseLossless(body), "the list"),
        });
        const items = answer.providers ?? [];
        all.push(...items);
        if (page >= (answer.page_count ?? 0) || items.length === 0) return all;
    }
}

function nameTaken(inputs: TrunkInputs, candidate: Candidate, reason: string): VendorApiError {
    return new VendorApiError({
        kind: "Conflict",
        vendor: VENDOR,
        operation: "create trunk",
        object: inputs.name,
        vendorMessage: `a trunk with this name already exists (id ${candidate.id}) ${reason}; trunk names are unique on a v12 PBX: choose another name, or delete that trunk first`,
    });
}

export const v12: TrunkGeneration = {
    name: "v12",
    hasDidPools: false,
    updatableKeys: Object.keys(V12_WRITABLE),

    inputProblems(inputs) {
        const problems: InputProblem[] = [];
        const why = `is a PortSIP v16+/v22 field; the PBX of connection "${inputs.connection}" speaks v12`;
        const record = inputs as Record<string, unknown>;
        for (const key of V22_FIELDS) if (record[key] !== undefined) problems.push({ path: key, message: why });
        if (!V12_AUTH_MODES.includes(inputs.authMode)) {
            problems.push({
                path: "authMode",
                message: `${inputs.authMode} needs PortSIP v16+/v22; v12 knows IP_AUTH and REGISTER_AUTH`,
            });
        }
        if (!V12_TRANSPORTS.includes(inputs.transport)) {
            problems.push({
                path: "transport",
                message: `${inputs.transport} needs PortSIP v16+/v22; v12 knows UDP and TCP`,
            });
        }
        if (inputs.port === 0)
            problems.push({ path: "port", message: "must be a whole number from 1 to 65535 on PortSIP v12" });
        return problems;
    },

    withDefaults: (inputs) => ({
        ...inputs,
        inParameters: inputs.inParameters ?? [],
        outParameters: inputs.outParameters ?? [],
    }),

    /** Names are unique on a v12 PBX (case aside): the key is the name. */
    async findByKey(connection, inputs) {
        const name = inputs.name.toLowerCase();
        return (await list(connection))
            .filter((trunk) => trunk.name?.toLowerCase() === name)
            .map((trunk) => ({ id: trunk.id, inputs: fromV12(trunk, inputs).inputs }));
    },
    conflict: nameTaken,
    create,

    async read(connection, id, prior) {
        const shown = await show(connection, id);
        return shown === undefined ? undefined : fromV12(shown.trunk, prior);
    },

    async status(connection, id) {
        return normalizeStatus((await show(connection, id))?.trunk.status);
    },

    async update(connection, id, olds, news) {
        const shown = await show(connection, id);
        if (shown === undefined) return false;
        const body = toV12Update(id, olds, news, shown.record);
        if (body === undefined) return true;
        v12Id(id, "update trunk");
        await pbxRequest(connection, V12_DIALECT, {
            operation: "update trunk",
            object: id,
            method: "POST",
            path: "/providers/update",
            body: stringifyLossless(body),
            // The same full record sent twice leaves the same trunk.
            idempotent: true,
            parse: () => undefined,
        });
        return true;
    },

    /** Deleting a trunk the PBX does not know (400 "Invalid provider ID supplied.") succeeds. */
    async destroy(connection, id) {
        v12Id(id, "delete trunk");
        await unlessNotFound(
            pbxRequest(connection, V12_DIALECT, {
                operation: "delete trunk",
                object: id,
                method: "POST",
                path: "/providers/destroy",
                body: stringifyLossless({ id: wireIdValue(id) }),
                idempotent: true,
                parse: () => undefined,
            }),
            undefined,
        );
    },

    /** Names are unique on a v12 PBX case aside, so a name matches as the PBX compares it. */
    async find(connection, name) {
        const wanted = name?.toLowerCase();
        return (await list(connection))
            .filter((trunk) => wanted === undefined || trunk.name?.toLowerCase() === wanted)
            .map((trunk) => ({ id: trunk.id, outs: fromV12(trunk, lookupPrior(connection.name)).outs }));
    },

    async findById(connection, id) {
        const shown = await show(connection, id);
        return shown === undefined ? undefined : { id, outs: fromV12(shown.trunk, lookupPrior(connection.name)).outs };
    },
};
