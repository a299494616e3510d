import { inventoryOf, type InventoryItem } from "../../../core/inventory";
import { readConnection } from "../client";
import { listTrunks } from "./api";
import type { SipTrunkOutputs } from "./model";
import { fromWire } from "./wire";

/**
 * Every SIP trunk of the PBX as a SipTrunk managing it would output, for `pulumi-voip export`.
 * Kept out of lookup.ts, whose published declarations must not reach the zod-typed model.
 */
export async function inventory(connection: string): Promise<InventoryItem<SipTrunkOutputs>[]> {
    return inventoryOf(
        await listTrunks(readConnection(connection)),
        (trunk) => ({ id: trunk.trunkname, label: `"${trunk.trunkname}"` }),
        (trunk) => fromWire(trunk, { connection }).outs,
    );
}
