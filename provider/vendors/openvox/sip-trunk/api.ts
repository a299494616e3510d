import { z } from "zod";
import { once } from "../../../core/once";
import { badResponse, unlessNotFound, VendorApiError } from "../../../core/errors";
import { connectionLabel, openVoxCall, type OpenVoxConnection } from "../client";
import type { WireRecord, WireValue } from "../codec";
import { trunkNameProblem } from "./model";
import { wireTrunkSchema, type WireTrunk } from "./wire";

/**
 * One function per endpoint of `siptrunk/*`. No Pulumi types here. Query and delete address trunks
 * by name, and a name is also a selector (`all`, comma lists): every name is checked to be one
 * single trunk before it is sent.
 */

export function assertSingleName(connection: OpenVoxConnection, operation: string, name: string): void {
    // Never send a selector: `all` or a list would touch several trunks. Other odd names (made in the
    // PBX UI) are still addressable and may be read or deleted.
    const selector = name.trim() === "" || name.trim().toLowerCase() === "all" || name.includes(",");
    const problem = trunkNameProblem(name);
    if (selector && problem !== undefined) {
        throw new VendorApiError({
            kind: "BadRequest",
            vendor: connectionLabel(connection),
            operation,
            object: name,
            vendorMessage: `refused before sending: the name ${problem}`,
        });
    }
}

const trunkList = once(() => z.array(wireTrunkSchema()));

function trunksOf(connection: OpenVoxConnection, operation: string, object: string | undefined, payload: WireRecord) {
    const raw: WireValue | undefined = payload["trunks"];
    // XML renders an empty list as an empty element; JSON may leave the key out.
    if (raw === undefined || raw === "") return [];
    // JSON could send a bare object for a single trunk.
    const list = Array.isArray(raw) ? raw : [raw];
    const parsed = trunkList().safeParse(list);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? "" : `trunks.${issue.path.join(".")}: `;
    throw badResponse(
        connectionLabel(connection),
        operation,
        object,
        `unexpected trunk record: ${where}${issue?.message ?? ""}`,
    );
}

/** The trunk with exactly this name, or `undefined` when the PBX has none. */
export async function getTrunk(connection: OpenVoxConnection, name: string): Promise<WireTrunk | undefined> {
    return (await trunksNamed(connection, name))[0];
}

/** Every record the PBX answers for exactly this name: one, or none (names are unique on a PBX). */
export async function trunksNamed(connection: OpenVoxConnection, name: string): Promise<WireTrunk[]> {
    const operation = "read SIP trunk";
    assertSingleName(connection, operation, name);
    // Some firmware answers an unknown name with "data empty" instead of an empty list.
    const payload = await unlessNotFound(
        openVoxCall(connection, {
            path: "/siptrunk/query",
            operation,
            object: name,
            body: { trunkname: name },
            idempotent: true,
        }),
        undefined,
    );
    if (payload === undefined) return [];
    return trunksOf(connection, operation, name, payload).filter((trunk) => trunk.trunkname === name);
}

/** Every SIP trunk of the PBX (the documented `all` selector, used for reading only). */
export async function listTrunks(connection: OpenVoxConnection): Promise<WireTrunk[]> {
    const payload = await unlessNotFound(
        openVoxCall(connection, {
            path: "/siptrunk/query",
            operation: "list SIP trunks",
            body: { trunkname: "all" },
            idempotent: true,
        }),
        undefined,
    );
    return payload === undefined ? [] : trunksOf(connection, "list SIP trunks", undefined, payload);
}

/** Answers only `Success`: no id, no echo (documented). Not idempotent: a second add fails on the name. */
export async function addTrunk(connection: OpenVoxConnection, fields: Record<string, string>): Promise<void> {
    const name = fields["trunkname"] ?? "";
    assertSingleName(connection, "create SIP trunk", name);
    await openVoxCall(connection, {
        path: "/siptrunk/add",
        operation: "create SIP trunk",
        object: name,
        body: fields,
        idempotent: false,
    });
}

/** A full replacement of the trunk with this `id` (documented: every field is required). */
export async function updateTrunk(connection: OpenVoxConnection, fields: Record<string, string>): Promise<void> {
    await openVoxCall(connection, {
        path: "/siptrunk/update",
        operation: "update SIP trunk",
        object: fields["trunkname"],
        body: fields,
        // The same full record twice leaves the same trunk.
        idempotent: true,
    });
}

/**
 * Deletes the trunk with exactly this name. The PBX's answer for a name it does not know is not
 * documented (success, or some errno): after a refusal the trunk is looked up, and a trunk that is
 * gone counts as deleted.
 */
export async function deleteTrunk(connection: OpenVoxConnection, name: string): Promise<void> {
    const operation = "delete SIP trunk";
    assertSingleName(connection, operation, name);
    try {
        await openVoxCall(connection, {
            path: "/siptrunk/delete",
            operation,
            object: name,
            body: { trunkname: name },
            idempotent: true,
        });
    } catch (error) {
        if (!VendorApiError.isInstance(error) || error.vendorCode === undefined) throw error;
        if ((await getTrunk(connection, name)) !== undefined) throw error;
    }
}
