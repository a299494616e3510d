import type { Generation, PbxConnection } from "../../connection";
import type { InputProblem, TrunkInputs, TrunkOutputs } from "../model";

/**
 * One PortSIP API generation, as the trunk resource uses it. Each generation (v12, v16+/v22)
 * implements this once, with its own wire schemas, wire mapping and endpoints; the provider picks
 * the generation once per connection and never asks which one it holds.
 */
export interface TrunkGeneration {
    readonly name: Generation;

    // ------------------------------------------------------------ inputs

    /** Rules only this generation has (fields it lacks, values it cannot hold). */
    inputProblems(inputs: TrunkInputs): InputProblem[];
    /** Whether trunks hold DID pools, which must not overlap between the stack's trunks on one PBX. */
    readonly hasDidPools: boolean;
    /** The inputs with this generation's defaults filled in, as reading the trunk back gives them. */
    withDefaults(inputs: TrunkInputs): TrunkInputs;
    /**
     * The properties an update writes. One the program did not change keeps its prior output
     * (see `keepUntouched` in the provider).
     */
    readonly updatableKeys: readonly string[];

    // ------------------------------------------------------------ endpoints

    /** Trunks that already have the natural key of `inputs`, read back as inputs (for adoption). */
    findByKey(connection: PbxConnection, inputs: TrunkInputs): Promise<Candidate[]>;
    /**
     * Why a trunk with the key cannot be adopted: the name is taken (v12 names are unique); absent
     * when the PBX refuses its own conflicts clearly.
     */
    readonly conflict?: (inputs: TrunkInputs, candidate: Candidate, reason: string) => Error;
    /** Sends the create; the new trunk's id. */
    create(connection: PbxConnection, inputs: TrunkInputs): Promise<string>;
    /** The trunk as the PBX holds it now; `undefined` when the PBX does not know the id. */
    read(connection: PbxConnection, id: string, prior: TrunkInputs): Promise<ReadTrunk | undefined>;
    /** Registration status: ONLINE, OFFLINE, or what else the PBX says. */
    status(connection: PbxConnection, id: string): Promise<string>;
    /**
     * Writes the properties whose desired value changed from `olds` to `news`, leaving the rest as
     * the PBX has them; `false` when the trunk is gone.
     */
    update(connection: PbxConnection, id: string, olds: TrunkInputs, news: TrunkInputs): Promise<boolean>;
    /** Deletes; succeeds when the trunk is already gone. */
    destroy(connection: PbxConnection, id: string): Promise<void>;

    // ------------------------------------------------------------ lookups (read only)

    /**
     * Every trunk on the PBX, read whole as a lookup reports it (see `lookupPrior`); with `name`,
     * only the trunks this generation knows by that name.
     */
    find(connection: PbxConnection, name?: string): Promise<FoundTrunk[]>;
    /** One trunk as a lookup reports it; `undefined` when the PBX does not know the id. */
    findById(connection: PbxConnection, id: string): Promise<FoundTrunk | undefined>;
}

/** A trunk a lookup found: its id and what a Trunk resource managing it would output. */
export interface FoundTrunk {
    id: string;
    outs: TrunkOutputs;
}

/** A trunk found by its natural key. */
export interface Candidate {
    id: string;
    /** What it holds, read back as inputs (the write-only password as declared). */
    inputs: TrunkInputs;
}

export interface ReadTrunk {
    inputs: TrunkInputs;
    outs: TrunkOutputs;
}
