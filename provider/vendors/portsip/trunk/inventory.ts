import type { InventoryItem } from "../../../core/inventory";
import { pbxConnection } from "../connection";
import { currentGeneration } from "./generations";
import type { TrunkOutputs } from "./model";

/**
 * Every trunk of the PBX as a Trunk managing it would output, for `pulumi-voip export`. Kept out of
 * lookup.ts, whose published declarations must not reach the zod-typed model.
 */
export async function inventory(connection: string): Promise<InventoryItem<TrunkOutputs>[]> {
    const generation = await currentGeneration(connection);
    return generation.find(pbxConnection(connection));
}
