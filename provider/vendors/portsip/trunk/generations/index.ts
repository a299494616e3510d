import { resolveGeneration, type Generation } from "../../connection";
import type { TrunkGeneration } from "./generation";
import { v12 } from "./v12";
import { v22 } from "./v22";

export type { Candidate, FoundTrunk, ReadTrunk, TrunkGeneration } from "./generation";

const BY_NAME: Record<Generation, TrunkGeneration> = { v12, v22 };

/** The implementation of a generation by its name (as pinned, detected, or stored in a trunk's state). */
export function trunkGeneration(name: Generation): TrunkGeneration {
    return BY_NAME[name];
}

/** The generation the PBX of `connection` speaks now: pinned, or detected once per run. */
export async function currentGeneration(connection: string): Promise<TrunkGeneration> {
    return BY_NAME[await resolveGeneration(connection)];
}
