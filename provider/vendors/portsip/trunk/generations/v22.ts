import { unlessNotFound, VendorApiError } from "../../../../core/errors";
import { requireIdShape, type IdShape } from "../../../../core/ids";
import { pbxRequest, V22_DIALECT } from "../../client";
import { VENDOR, type PbxConnection } from "../../connection";
import { DEFAULT_KEEP_ALIVE_INTERVAL, setOrDelete, type InputProblem, type TrunkInputs } from "../model";
import { sparseInbound, sparseOutbound } from "../parameters";
import type { FoundTrunk, TrunkGeneration } from "./generation";
import {
    fromV22,
    toV22Create,
    toV22Update,
    V22_LIST,
    V22_STATUS,
    V22_TRUNK,
    V22_UPDATABLE,
    type V22Trunk,
} from "./v22-wire";
import { canonicalHost, createdAnswer, lookupPrior, normalizeStatus, PAGE_SIZE, parseWire } from "./wire";

/**
 * PortSIP v16+ (documented as v22): `/api/providers[/{id}]`, opaque string ids, a detailed GET
 * without the password, a separate status call, and partial updates.
 */

/**
 * v16+/v22 ids are opaque strings (PortSIP tells clients never to parse or build them); the ones
 * PBXs issue are standard base64 of a decimal snowflake, e.g. `NzAwNTUxOTA5NzczMTQ4MTYw`, which
 * never holds `/`. Anything else (`..`, a slash, a blank) could reach another route.
 */
export const V22_ID_SHAPE: IdShape = {
    description: "a PortSIP v16+/v22 id (base64 text: letters, digits, +, - or _, with = padding at the end)",
    pattern: /^[A-Za-z0-9+_-]{1,128}={0,2}$/,
};

/** Fields only v12 has (their items are undocumented). */
const V12_FIELDS = ["inParameters", "outParameters"] as const;

const V22_BOOLEAN_DEFAULTS = {
    enabled: true,
    rewriteViaIp: true,
    verifyPort: true,
    keepAlive: true,
    adjustSdpDirection: true,
    removeSrtpInfo: true,
    stirShakenSignatureRequired: false,
} as const;

/** The trunk's path, once its id is known to have the v22 shape. */
function trunkPath(id: string, operation: string): string {
    return `/providers/${encodeURIComponent(requireIdShape(id, V22_ID_SHAPE, { vendor: VENDOR, operation }))}`;
}

function create(connection: PbxConnection, inputs: TrunkInputs): Promise<string> {
    return pbxRequest(connection, V22_DIALECT, {
        operation: "create trunk",
        object: inputs.name,
        method: "POST",
        path: "/providers",
        body: JSON.stringify(toV22Create(inputs)),
        idempotent: false,
        parse: (body) => parseWire(createdAnswer, JSON.parse(body), "the create answer").id,
    });
}

/** The detailed representation, or `undefined` when the PBX does not know the id (404). */
function get(connection: PbxConnection, id: string): Promise<V22Trunk | undefined> {
    const path = trunkPath(id, "read trunk");
    return unlessNotFound(
        pbxRequest(connection, V22_DIALECT, {
            operation: "read trunk",
            object: id,
            method: "GET",
            path,
            idempotent: true,
            parse: (body) => parseWire(V22_TRUNK, JSON.parse(body), "the trunk"),
        }),
        undefined,
    );
}

/**
 * Summaries of the trunks with this exact name (OData filter), or of every trunk without a name,
 * across all pages, with what matches the key.
 */
async function listByName(connection: PbxConnection, name?: string) {
    const all = [];
    const filter: Record<string, string> =
        name === undefined ? {} : { filter: `name eq '${name.replace(/'/g, "''")}'` };
    for (let skip = 0; ; skip += PAGE_SIZE) {
        const answer = await pbxRequest(connection, V22_DIALECT, {
            operation: "list trunks",
            object: name,
            method: "GET",
            path: "/providers",
            params: { ...filter, skip: String(skip), top: String(PAGE_SIZE) },
            idempotent: true,
            parse: (body) => parseWire(V22_LIST, JSON.parse(body), "the list"),
        });
        const items = answer.items ?? [];
        all.push(...items);
        if (items.length === 0 || skip + items.length >= (answer.count ?? 0)) return all;
    }
}

/** `ONLINE` / `OFFLINE` (v16: `REGISTERED` / `UNREGISTERED`), as the PBX words it. */
function status(connection: PbxConnection, id: string): Promise<string> {
    const path = `${trunkPath(id, "read trunk status")}/status`;
    return pbxRequest(connection, V22_DIALECT, {
        operation: "read trunk status",
        object: id,
        method: "GET",
        path,
        idempotent: true,
        parse: (body) => parseWire(V22_STATUS, JSON.parse(body), "the status answer").status,
    });
}

/**
 * A trunk read whole as a lookup reports it: `concurrency` too (the resource reports it only when
 * the program manages it). The password is write-only on v22: a lookup never has it.
 */
async function found(connection: PbxConnection, id: string): Promise<FoundTrunk | undefined> {
    const trunk = await get(connection, id);
    if (trunk === undefined) return undefined;
    const prior = lookupPrior(connection.name);
    const withConcurrency =
        typeof trunk.concurrency === "number" ? { ...prior, concurrency: trunk.concurrency } : prior;
    return { id, outs: fromV22(trunk, await status(connection, id), withConcurrency).outs };
}

export const v22: TrunkGeneration = {
    name: "v22",
    hasDidPools: true,
    updatableKeys: V22_UPDATABLE,

    inputProblems(inputs) {
        const problems: InputProblem[] = [];
        const why = `is a PortSIP v12 field; the PBX of connection "${inputs.connection}" speaks v16+/v22`;
        const record = inputs as Record<string, unknown>;
        for (const key of V12_FIELDS) if (record[key] !== undefined) problems.push({ path: key, message: why });
        if (inputs.port === 0 && inputs.transport !== "UDP") {
            problems.push({ path: "port", message: "0 (no port) is allowed only with transport UDP" });
        }
        return problems;
    },

    withDefaults(inputs) {
        const result: Record<string, unknown> = { ...inputs };
        for (const [key, value] of Object.entries(V22_BOOLEAN_DEFAULTS)) result[key] ??= value;
        result["keepAliveInterval"] ??= DEFAULT_KEEP_ALIVE_INTERVAL;
        setOrDelete(result, "inboundParameters", sparseInbound(result["inboundParameters"]));
        setOrDelete(result, "outboundParameters", sparseOutbound(result["outboundParameters"]));
        return result as TrunkInputs;
    },

    /** Names are not unique on v22: the key is name, hostname and port; the list holds summaries, so each match is read whole. */
    async findByKey(connection, inputs) {
        const matches = (await listByName(connection, inputs.name)).filter(
            (item) =>
                item.name === inputs.name &&
                typeof item.hostname === "string" &&
                canonicalHost(item.hostname) === inputs.hostname &&
                item.port === inputs.port,
        );
        const records = await Promise.all(
            matches.map(async (item) => ({ id: item.id, trunk: await get(connection, item.id) })),
        );
        return records.flatMap(({ id, trunk }) =>
            trunk === undefined ? [] : [{ id, inputs: fromV22(trunk, "", inputs).inputs }],
        );
    },
    create,

    async read(connection, id, prior) {
        const trunk = await get(connection, id);
        if (trunk === undefined) return undefined;
        return fromV22(trunk, await status(connection, id), prior);
    },

    status: async (connection, id) => normalizeStatus(await status(connection, id)),

    async update(connection, id, olds, news) {
        const current = await get(connection, id);
        if (current === undefined) return false;
        const body = toV22Update(olds, news, current);
        if (Object.keys(body).length === 0) return true;
        await pbxRequest(connection, V22_DIALECT, {
            operation: "update trunk",
            object: id,
            method: "POST",
            path: trunkPath(id, "update trunk"),
            body: JSON.stringify(body),
            idempotent: true,
            parse: () => undefined,
        });
        return true;
    },

    /**
     * Deletes; an id the PBX does not know answers 400 "Invalid provider ID supplied." (documented,
     * not 404): taken as already deleted once a GET confirms the trunk is absent.
     */
    async destroy(connection, id) {
        const path = `${trunkPath(id, "delete trunk")}/destroy`;
        try {
            await pbxRequest(connection, V22_DIALECT, {
                operation: "delete trunk",
                object: id,
                method: "POST",
                path,
                idempotent: true,
                parse: () => undefined,
            });
        } catch (error) {
            const gone =
                VendorApiError.isInstance(error) &&
                (error.kind === "NotFound" || error.status === 400) &&
                (await get(connection, id)) === undefined;
            if (!gone) throw error;
        }
    },

    /** Names are not unique on v22: every trunk with exactly this name. Each is read whole (the list holds summaries). */
    async find(connection, name) {
        const items = (await listByName(connection, name)).filter((item) => name === undefined || item.name === name);
        const trunks = await Promise.all(items.map((item) => found(connection, item.id)));
        // A trunk deleted between the list and its read is not there any more.
        return trunks.filter((trunk): trunk is FoundTrunk => trunk !== undefined);
    },

    findById: found,
};
