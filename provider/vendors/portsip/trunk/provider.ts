import { readIntSetting } from "../../../core/config";
import { createWithoutDuplicates } from "../../../core/create";
import { ResourceInitError } from "../../../core/errors";
import { log } from "../../../core/log";
import type { ResourceDefinition } from "../../../core/resource-definition";
import { isUnknown } from "../../../core/unknowns";
import { prepareGeneration } from "../connection";
import {
    ENV_PREFIX,
    NAMESPACE,
    pbxConnection,
    resolveGeneration,
    VENDOR,
    type Generation,
    type PbxConnection,
} from "../connection";
import {
    v12Create,
    v12Destroy,
    v12List,
    v12Show,
    v12Update,
    v22Create,
    v22Destroy,
    v22Get,
    v22ListByName,
    v22Status,
    v22Update,
} from "./api";
import {
    canonicalHost,
    DEFAULT_ONLINE_TIMEOUT_SECONDS,
    fromV12,
    fromV22,
    inputSchema,
    keepUntouched,
    normalizeStatus,
    REPLACE_ON_CHANGES,
    SECRET_INPUTS,
    STATE_VERSION,
    toV12Create,
    toV12Update,
    toV22Create,
    toV22Update,
    upgradeState,
    VENDOR_DEFAULTED,
    type TrunkInputs,
    type TrunkOutputs,
    type WireRecord,
} from "./model";
import { idText } from "../client";

const NOUN = "trunk";

function describe(name: string, id: string): string {
    return `trunk "${name}" (${id})`;
}

/** The trunk as the PBX holds it now, as outputs; `undefined` when the PBX does not know the id. */
async function readTrunk(
    connection: PbxConnection,
    generation: Generation,
    id: string,
    prior: TrunkInputs,
): Promise<{ inputs: TrunkInputs; outs: TrunkOutputs } | undefined> {
    if (generation === "v12") {
        const wire = await v12Show(connection, id);
        return wire === undefined ? undefined : fromV12(wire, prior);
    }
    const wire = await v22Get(connection, id);
    if (wire === undefined) return undefined;
    return fromV22(wire, await v22Status(connection, id), prior);
}

async function currentStatus(connection: PbxConnection, generation: Generation, id: string): Promise<string> {
    if (generation === "v22") return normalizeStatus(await v22Status(connection, id));
    const wire = await v12Show(connection, id);
    return normalizeStatus(wire?.["status"]);
}

function pollIntervalMs(): number {
    return readIntSetting(
        { configKey: `${NAMESPACE}:statusPollIntervalMs`, envVar: `${ENV_PREFIX}_STATUS_POLL_INTERVAL_MS` },
        VENDOR,
        2_000,
        10,
    );
}

/**
 * Polls the trunk's status until ONLINE, logging progress (it reaches the Pulumi output). Throws
 * a ResourceInitError on timeout: the trunk exists and is recorded in the stack with its outputs,
 * and the next `pulumi up` waits again.
 */
async function waitUntilOnline(
    connection: PbxConnection,
    generation: Generation,
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
                { ...JSON.parse(JSON.stringify(final)), stateVersion: STATE_VERSION } as Record<string, unknown>,
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
        status = await currentStatus(connection, generation, id);
    }
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

async function createOnPbx(connection: PbxConnection, generation: Generation, inputs: TrunkInputs): Promise<string> {
    const common = {
        vendor: VENDOR,
        operation: "create trunk",
        object: inputs.name,
        attempts: connection.tuning.maxRetries + 1,
        baseDelayMs: connection.tuning.retryBaseDelayMs,
    };
    const sameTrunk = (item: WireRecord) =>
        item["name"] === inputs.name &&
        typeof item["hostname"] === "string" &&
        canonicalHost(item["hostname"]) === inputs.hostname;
    if (generation === "v12") {
        const ids = async () => (await v12List(connection)).filter(sameTrunk).map((item) => idText(item["id"]) ?? "");
        return createWithoutDuplicates({
            ...common,
            snapshot: async () => new Set(await ids()),
            send: () => v12Create(connection, toV12Create(inputs), inputs.name),
            findCreated: async (before) => {
                const fresh = (await ids()).filter((id) => id !== "" && !before.has(id));
                // Two new matching trunks would mean another writer raced us: adopt neither.
                return fresh.length === 1 ? fresh[0] : undefined;
            },
        });
    }
    const ids = async () =>
        (await v22ListByName(connection, inputs.name))
            .filter((item) => sameTrunk(item) && item["port"] === inputs.port)
            .map((item) => idText(item["id"]) ?? "");
    return createWithoutDuplicates({
        ...common,
        snapshot: async () => new Set(await ids()),
        send: () => v22Create(connection, toV22Create(inputs), inputs.name),
        findCreated: async (before) => {
            const fresh = (await ids()).filter((id) => id !== "" && !before.has(id));
            return fresh.length === 1 ? fresh[0] : undefined;
        },
    });
}

/** The generation recorded in the state (absent only from hand-edited state). */
function storedGeneration(state: TrunkOutputs): Generation | undefined {
    const value = (state as Partial<TrunkOutputs>).apiVersion;
    return value === "v12" || value === "v22" ? value : undefined;
}

function disappeared(id: string, during: string): Error {
    return new Error(`${VENDOR}: trunk ${id} disappeared during ${during}; run pulumi refresh`);
}

export const trunk: ResourceDefinition<TrunkInputs, TrunkOutputs> = {
    type: "portsip:Trunk",
    vendor: VENDOR,
    noun: NOUN,
    stateVersion: STATE_VERSION,
    inputSchema,
    secretInputs: SECRET_INPUTS,
    replaceOnChanges: REPLACE_ON_CHANGES,
    vendorDefaulted: VENDOR_DEFAULTED,
    // Natural keys are unique on the PBX (v12: the name; v22: hostname + auth id, one IP_AUTH trunk
    // per host, DID pools): a replacement could not be created next to the trunk it replaces.
    deleteBeforeReplace: true,
    upgradeState,

    async prepareCheck(news) {
        const connection = news["connection"];
        await prepareGeneration(typeof connection === "string" && !isUnknown(connection) ? connection : "default");
    },

    async create(inputs) {
        const connection = pbxConnection(inputs.connection);
        const generation = await resolveGeneration(inputs.connection);
        const id = await createOnPbx(connection, generation, inputs);
        let outs: TrunkOutputs;
        try {
            const found = await readTrunk(connection, generation, id, inputs);
            if (found === undefined) throw disappeared(id, "create");
            outs = found.outs;
        } catch (error) {
            // The trunk exists: record it (as asked for) rather than orphan it; the next up finishes it.
            const properties = { ...inputs, apiVersion: generation, status: "UNKNOWN", stateVersion: STATE_VERSION };
            throw new ResourceInitError(id, JSON.parse(JSON.stringify(properties)) as Record<string, unknown>, error);
        }
        if (inputs.waitUntilOnline) outs = await waitUntilOnline(connection, generation, id, outs);
        return { id, outs };
    },

    async read(id, state) {
        const connection = pbxConnection(state.connection);
        // The generation the trunk was written with: its id only means something there.
        const generation = storedGeneration(state) ?? (await resolveGeneration(state.connection));
        return readTrunk(connection, generation, id, state);
    },

    async update(id, olds, news) {
        const connection = pbxConnection(news.connection);
        const generation = await resolveGeneration(news.connection);
        const stored = storedGeneration(olds);
        if (stored !== undefined && stored !== generation) {
            throw new Error(
                `${VENDOR}: ${describe(news.name, id)} was created through the ${stored} API, but the PBX of ` +
                    `connection "${news.connection}" now speaks ${generation}; trunk ids differ between generations: ` +
                    `remove it from the stack (pulumi state delete) and let Pulumi create it again`,
            );
        }
        if (generation === "v12") {
            const current = await v12Show(connection, id);
            if (current === undefined) throw disappeared(id, "update");
            const body = toV12Update(id, olds, news, current);
            if (body !== undefined) await v12Update(connection, id, body);
        } else {
            const current = await v22Get(connection, id);
            if (current === undefined) throw disappeared(id, "update");
            const body = toV22Update(olds, news, current);
            if (Object.keys(body).length > 0) await v22Update(connection, id, body);
        }
        const found = await readTrunk(connection, generation, id, news);
        if (found === undefined) throw disappeared(id, "update");
        const outs = keepUntouched(generation, olds, news, found.outs);
        return news.waitUntilOnline ? waitUntilOnline(connection, generation, id, outs) : outs;
    },

    async delete(id, state) {
        const connection = pbxConnection(state.connection);
        const generation = storedGeneration(state) ?? (await resolveGeneration(state.connection));
        if (generation === "v12") await v12Destroy(connection, id);
        else await v22Destroy(connection, id);
    },
};
