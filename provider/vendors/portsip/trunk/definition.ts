import { inventory } from "./inventory";
import { readIntSetting } from "../../../core/config";
import { createWithoutDuplicates, differingProperties } from "../../../core/create";
import { ResourceInitError } from "../../../core/errors";
import { log } from "../../../core/log";
import type { ResourceDefinition } from "../../../core/resource-definition";
import {
    ENV_PREFIX,
    GENERATIONS,
    NAMESPACE,
    pbxConnection,
    VENDOR,
    type Generation,
    type PbxConnection,
} from "../connection";
import { currentGeneration, trunkGeneration, type Candidate, type TrunkGeneration } from "./generations";
import {
    changedProperties,
    DEFAULT_ONLINE_TIMEOUT_SECONDS,
    REPLACE_ON_CHANGES,
    SECRET_INPUTS,
    setOrDelete,
    STATE_VERSION,
    upgradeInputs,
    upgradeState,
    VENDOR_DEFAULTED,
    type TrunkInputs,
    type TrunkOutputs,
} from "./model";
import { inputSchema } from "./validation";

/**
 * The hooks of portsip:Trunk. Each hook picks the API generation once (the one the trunk was
 * written with, or the one its PBX speaks now) and leaves everything that differs between
 * generations to that generation's module.
 */

const NOUN = "trunk";

function describe(name: string, id: string): string {
    return `trunk "${name}" (${id})`;
}

function pollIntervalMs(): number {
    return readIntSetting(
        { configKey: `${NAMESPACE}:statusPollIntervalMs`, envVar: `${ENV_PREFIX}_STATUS_POLL_INTERVAL_MS` },
        VENDOR,
        2_000,
        10,
    );
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * Polls the trunk's status until ONLINE, logging progress (it reaches the Pulumi output). Throws
 * a ResourceInitError on timeout: the trunk exists and is recorded in the stack with its outputs,
 * and the next `pulumi up` waits again.
 */
async function waitUntilOnline(
    connection: PbxConnection,
    generation: TrunkGeneration,
    id: string,
    outs: TrunkOutputs,
): Promise<TrunkOutputs> {
    const timeoutSeconds = outs.onlineTimeoutSeconds ?? DEFAULT_ONLINE_TIMEOUT_SECONDS;
    const label = describe(outs.name, id);
    const started = Date.now();
    const interval = pollIntervalMs();
    let status = outs.status;
    let lastLog = -Infinity;
    for (;;) {
        const elapsed = Date.now() - started;
        if (status === "ONLINE") {
            if (elapsed > 0 && lastLog > -Infinity) log.info(`${VENDOR}: ${label} is ONLINE after ${seconds(elapsed)}`);
            return { ...outs, status };
        }
        if (elapsed >= timeoutSeconds * 1000) {
            const final = { ...outs, status };
            throw new ResourceInitError(
                id,
                final,
                new Error(
                    `${VENDOR}: ${label} is still ${status} after ${timeoutSeconds} s (waitUntilOnline); it exists and ` +
                        `is kept in the stack: check its registration on the PBX, then run pulumi up again`,
                ),
            );
        }
        if (elapsed - lastLog >= 5_000) {
            log.info(
                `${VENDOR}: waiting for ${label} to be ONLINE: ${status} after ${seconds(elapsed)} (timeout ${timeoutSeconds} s)`,
            );
            lastLog = elapsed;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(interval, timeoutSeconds * 1000 - elapsed)));
        status = await generation.status(connection, id);
    }
}

/** The id of the trunk made (or adopted) for `inputs`. */
async function createOnPbx(
    connection: PbxConnection,
    generation: TrunkGeneration,
    inputs: TrunkInputs,
): Promise<string> {
    const { conflict } = generation;
    const { id } = await createWithoutDuplicates({
        vendor: VENDOR,
        operation: "create trunk",
        object: inputs.name,
        noun: NOUN,
        scope: connection.url,
        tuning: connection.tuning,
        lookup: () => generation.findByKey(connection, inputs),
        idOf: (candidate) => candidate.id,
        differences: (candidate) => differingProperties(inputs, candidate.inputs),
        ...(conflict === undefined
            ? {}
            : { conflict: (candidate: Candidate, reason: string) => conflict(inputs, candidate, reason) }),
        send: () => generation.create(connection, inputs),
        adopt: (candidate) => Promise.resolve(candidate.id),
        createdId: (created) => created,
    });
    return id;
}

/**
 * A failure once the trunk exists: it is recorded in the stack with its id (the next up finishes
 * it) instead of orphaned. Core completes the properties for the engine (plain JSON, state
 * version, no secret input).
 */
function keptInStack(id: string, known: Record<string, unknown>, error: unknown): ResourceInitError {
    return new ResourceInitError(id, error instanceof ResourceInitError ? error.properties : known, error);
}

/**
 * The generation the trunk was written with: its id only means something there. Only hand-edited
 * state lacks it; then the PBX is asked.
 */
async function writtenWith(state: TrunkOutputs): Promise<TrunkGeneration> {
    const stored = storedGeneration(state);
    return stored === undefined ? currentGeneration(state.connection) : trunkGeneration(stored);
}

/** The generation recorded in the state (absent only from hand-edited state). */
function storedGeneration(state: TrunkOutputs): Generation | undefined {
    return GENERATIONS.find((name) => name === (state as Partial<TrunkOutputs>).apiVersion);
}

function disappeared(id: string, during: string): Error {
    return new Error(`${VENDOR}: trunk ${id} disappeared during ${during}; run pulumi refresh`);
}

/**
 * The outputs of an update: what the PBX reads back for the properties this update changed, and
 * the prior state for the others. A field that drifted on the PBX but that the program did not
 * change was left alone by the update (never reset behind the user's back); it is reported by the
 * next refresh, shown in review, and put back only then.
 */
export function keepUntouched(
    generation: TrunkGeneration,
    olds: TrunkOutputs,
    news: TrunkInputs,
    outs: TrunkOutputs,
): TrunkOutputs {
    const changed = new Set(changedProperties(olds, news, generation.updatableKeys));
    const result: Record<string, unknown> = { ...outs };
    const before = olds as unknown as Record<string, unknown>;
    for (const key of generation.updatableKeys) {
        if (!changed.has(key)) setOrDelete(result, key, before[key]);
    }
    return result as unknown as TrunkOutputs;
}

export const trunk = {
    token: "portsip:Trunk",
    vendor: VENDOR,
    noun: NOUN,
    stateVersion: STATE_VERSION,
    inputSchema,
    computedOutputs: ["apiVersion", "status", "shared"],
    secretInputs: SECRET_INPUTS,
    nameInput: "name",
    replaceOnChanges: REPLACE_ON_CHANGES,
    vendorDefaulted: VENDOR_DEFAULTED,
    // Natural keys are unique on the PBX (v12: the name; v22: hostname + auth id, one IP_AUTH trunk
    // per host, DID pools): a replacement could not be created next to the trunk it replaces.
    deleteBeforeReplace: true,
    upgradeState,
    upgradeInputs,

    inventory,

    adoption: {
        // v12 compares names as the PBX does (case aside, unique); v16+/v22 exactly, where they may repeat.
        describeKey: (inputs) => `name "${inputs.name}"`,
        findByKey: async (inputs) => {
            const generation = await currentGeneration(inputs.connection);
            const found = await generation.find(pbxConnection(inputs.connection), inputs.name);
            return found.map((candidate) => candidate.id);
        },
        // As the create plan's: ids are unique per PBX, whatever the connection is named.
        scope: (inputs) => pbxConnection(inputs.connection).url,
    },

    async create(inputs) {
        const connection = pbxConnection(inputs.connection);
        const generation = await currentGeneration(inputs.connection);
        const id = await createOnPbx(connection, generation, inputs);
        let known: Record<string, unknown> = { ...inputs, apiVersion: generation.name, status: "UNKNOWN" };
        try {
            const found = await generation.read(connection, id, inputs);
            if (found === undefined) throw disappeared(id, "create");
            known = { ...found.outs };
            const outs = inputs.waitUntilOnline
                ? await waitUntilOnline(connection, generation, id, found.outs)
                : found.outs;
            return { id, outs };
        } catch (error) {
            throw keptInStack(id, known, error);
        }
    },

    async read(id, state) {
        const connection = pbxConnection(state.connection);
        const generation = await writtenWith(state);
        return generation.read(connection, id, state);
    },

    async update(id, olds, news) {
        const connection = pbxConnection(news.connection);
        const generation = await currentGeneration(news.connection);
        const stored = storedGeneration(olds);
        if (stored !== undefined && stored !== generation.name) {
            throw new Error(
                `${VENDOR}: ${describe(news.name, id)} was created through the ${stored} API, but the PBX of ` +
                    `connection "${news.connection}" now speaks ${generation.name}; trunk ids differ between generations: ` +
                    `remove it from the stack (pulumi state delete) and let Pulumi create it again`,
            );
        }
        if (!(await generation.update(connection, id, olds, news))) throw disappeared(id, "update");
        const found = await generation.read(connection, id, news);
        if (found === undefined) throw disappeared(id, "update");
        const outs = keepUntouched(generation, olds, news, found.outs);
        return news.waitUntilOnline ? waitUntilOnline(connection, generation, id, outs) : outs;
    },

    async delete(id, state) {
        const connection = pbxConnection(state.connection);
        const generation = await writtenWith(state);
        await generation.destroy(connection, id);
    },
} satisfies ResourceDefinition<TrunkInputs, TrunkOutputs>;
