import { unlessNotFound, VendorApiError } from "../../../core/errors";
import { DECIMAL_ID_SHAPE, requireIdShape, type IdShape } from "../../../core/ids";
import { idText, parseLossless, pbxRequest, stringifyLossless, wireId } from "../client";
import { VENDOR, type PbxConnection } from "../connection";
import type { WireRecord } from "./model";

/**
 * One function per endpoint of both generations. No Pulumi types here. Every id is checked to have
 * its generation's shape before it is sent (it comes from the stack's state).
 */

/** v12 ids are int64 numbers, often above 2^53: decimal text. */
export const V12_ID_SHAPE: IdShape = DECIMAL_ID_SHAPE;

/**
 * v16+/v22 ids are opaque strings (PortSIP tells clients never to parse or build them); the ones
 * PBXs issue are standard base64 of a decimal snowflake, e.g. `NzAwNTUxOTA5NzczMTQ4MTYw`, which
 * never holds `/`. Anything else (`..`, a slash, a blank) could reach another route.
 */
export const V22_ID_SHAPE: IdShape = {
    description: "a PortSIP v16+/v22 id (base64 text: letters, digits, +, - or _, with = padding at the end)",
    pattern: /^[A-Za-z0-9+_-]{1,128}={0,2}$/,
};

function v12Id(id: string, operation: string): string {
    return requireIdShape(id, V12_ID_SHAPE, { vendor: VENDOR, operation });
}

function v22Id(id: string, operation: string): string {
    return requireIdShape(id, V22_ID_SHAPE, { vendor: VENDOR, operation });
}

const PAGE_SIZE = 100;

function record(value: unknown, what: string): WireRecord {
    if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error(`${what} is not an object`);
    return value as WireRecord;
}

function createdId(body: string): string {
    const id = idText(record(parseLossless(body), "the create answer")["id"]);
    if (id === undefined) throw new Error("the create answer has no id");
    return id;
}

// ---------------------------------------------------------------- v12: /api/providers/<verb>

export function v12Create(connection: PbxConnection, body: WireRecord, label: string): Promise<string> {
    return pbxRequest(connection, "v12", {
        operation: "create trunk",
        object: label,
        method: "POST",
        path: "/providers/create",
        body: stringifyLossless(body),
        idempotent: false,
        parse: createdId,
    });
}

/** The raw record (big numbers kept exact), or `undefined` when the PBX does not know the id. */
export async function v12Show(connection: PbxConnection, id: string): Promise<WireRecord | undefined> {
    v12Id(id, "read trunk");
    return unlessNotFound(
        pbxRequest(connection, "v12", {
            operation: "read trunk",
            object: id,
            method: "GET",
            path: "/providers/show",
            params: { id },
            idempotent: true,
            parse: (body) => record(parseLossless(body), "the trunk"),
        }),
        undefined,
    );
}

/** Every trunk, across all pages (1-based `pagination`). */
export async function v12List(connection: PbxConnection): Promise<WireRecord[]> {
    const all: WireRecord[] = [];
    for (let page = 1; ; page++) {
        const answer = await pbxRequest(connection, "v12", {
            operation: "list trunks",
            method: "GET",
            path: "/providers/list",
            params: { pagination: String(page), pagesize: String(PAGE_SIZE), sort_by: "DEFAULT" },
            idempotent: true,
            parse: (body) => record(parseLossless(body), "the list"),
        });
        const items = Array.isArray(answer["providers"]) ? (answer["providers"] as unknown[]) : [];
        all.push(...items.map((item) => record(item, "a list item")));
        const pages = typeof answer["page_count"] === "number" ? answer["page_count"] : 0;
        if (page >= pages || items.length === 0) return all;
    }
}

/** Replaces the whole record (the body must be complete and carry the id). */
export async function v12Update(connection: PbxConnection, id: string, body: WireRecord): Promise<void> {
    v12Id(id, "update trunk");
    await pbxRequest(connection, "v12", {
        operation: "update trunk",
        object: id,
        method: "POST",
        path: "/providers/update",
        body: stringifyLossless(body),
        // The same full record sent twice leaves the same trunk.
        idempotent: true,
        parse: () => undefined,
    });
}

/** Deleting a trunk the PBX does not know (400 "Invalid provider ID supplied.") succeeds. */
export async function v12Destroy(connection: PbxConnection, id: string): Promise<void> {
    v12Id(id, "delete trunk");
    await unlessNotFound(
        pbxRequest(connection, "v12", {
            operation: "delete trunk",
            object: id,
            method: "POST",
            path: "/providers/destroy",
            body: stringifyLossless({ id: wireId(id) }),
            idempotent: true,
            parse: () => undefined,
        }),
        undefined,
    );
}

// ---------------------------------------------------------------- v16+/v22: /api/providers[/{id}]

/** The trunk's path, once its id is known to have the v22 shape. */
function trunkPath(id: string, operation: string): string {
    return `/providers/${encodeURIComponent(v22Id(id, operation))}`;
}

export function v22Create(connection: PbxConnection, body: WireRecord, label: string): Promise<string> {
    return pbxRequest(connection, "v22", {
        operation: "create trunk",
        object: label,
        method: "POST",
        path: "/providers",
        body: JSON.stringify(body),
        idempotent: false,
        parse: createdId,
    });
}

/** The detailed representation, or `undefined` when the PBX does not know the id (404). */
export async function v22Get(connection: PbxConnection, id: string): Promise<WireRecord | undefined> {
    const path = trunkPath(id, "read trunk");
    return unlessNotFound(
        pbxRequest(connection, "v22", {
            operation: "read trunk",
            object: id,
            method: "GET",
            path,
            idempotent: true,
            parse: (body) => record(JSON.parse(body), "the trunk"),
        }),
        undefined,
    );
}

/** Summaries of the trunks with this exact name (OData filter), across all pages. */
export async function v22ListByName(connection: PbxConnection, name: string): Promise<WireRecord[]> {
    const all: WireRecord[] = [];
    const filter = `name eq '${name.replace(/'/g, "''")}'`;
    for (let skip = 0; ; skip += PAGE_SIZE) {
        const answer = await pbxRequest(connection, "v22", {
            operation: "list trunks",
            object: name,
            method: "GET",
            path: "/providers",
            params: { filter, skip: String(skip), top: String(PAGE_SIZE) },
            idempotent: true,
            parse: (body) => record(JSON.parse(body), "the list"),
        });
        const items = Array.isArray(answer["items"]) ? (answer["items"] as unknown[]) : [];
        all.push(...items.map((item) => record(item, "a list item")));
        const count = typeof answer["count"] === "number" ? answer["count"] : 0;
        if (items.length === 0 || skip + items.length >= count) return all;
    }
}

/** A partial update: fields left out keep their value. */
export async function v22Update(connection: PbxConnection, id: string, body: WireRecord): Promise<void> {
    const path = trunkPath(id, "update trunk");
    await pbxRequest(connection, "v22", {
        operation: "update trunk",
        object: id,
        method: "POST",
        path,
        body: JSON.stringify(body),
        idempotent: true,
        parse: () => undefined,
    });
}

/**
 * Deletes; an id the PBX does not know answers 400 "Invalid provider ID supplied." (documented,
 * not 404): taken as already deleted once a GET confirms the trunk is absent.
 */
export async function v22Destroy(connection: PbxConnection, id: string): Promise<void> {
    const path = `${trunkPath(id, "delete trunk")}/destroy`;
    try {
        await pbxRequest(connection, "v22", {
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
            (await v22Get(connection, id)) === undefined;
        if (!gone) throw error;
    }
}

/** `ONLINE` / `OFFLINE` (v16: `REGISTERED` / `UNREGISTERED`), as the PBX words it. */
export async function v22Status(connection: PbxConnection, id: string): Promise<string> {
    const path = `${trunkPath(id, "read trunk status")}/status`;
    return pbxRequest(connection, "v22", {
        operation: "read trunk status",
        object: id,
        method: "GET",
        path,
        idempotent: true,
        parse: (body) => {
            const status = record(JSON.parse(body), "the status")["status"];
            if (typeof status !== "string") throw new Error("the status answer has no status");
            return status;
        },
    });
}
