import { readIntSetting } from "../../../core/config";
import { createWithoutDuplicates, differingProperties } from "../../../core/create";
import { ResourceInitError, VendorApiError } from "../../../core/errors";
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
    RESOURCE_NAME_KEY,
    SECRET_INPUTS,
    STATE_VERSION,
    toV12Create,
    toV12Update,
    toV22Create,
    toV22Update,
    upgradeInputs,
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

/**
 * Trunks with the natural key of the declared inputs, as full records (the v22 list holds
 * summaries): v12 names are unique (case aside); on v22 the key is name, hostname and port.
 */
async function trunksWithKey(
    connection: PbxConnection,
    generation: Generation,
    inputs: TrunkInputs,
): Promise<WireRecord[]> {
    if (generation === "v12") {
        const name = inputs.name.toLowerCase();
        return (await v12List(connection)).filter(
            (item) => typeof item["name"] === "string" && item["name"].toLowerCase() === name,
        );
    }
    const summaries = (await v22ListByName(connection, inputs.name)).filter(
        (item) =>
            item["name"] === inputs.name &&
            typeof item["hostname"] === "string" &&
            canonicalHost(item["hostname"]) === inputs.hostname &&
            item["port"] === inputs.port,
    );
    const records = await Promise.all(summaries.map((item) => v22Get(connection, idText(item["id"]) ?? "")));
    return records.filter((record): record is WireRecord => record !== undefined);
}

/** Read-back inputs of a trunk; the v22 password is write-only, so it reads back as the declared one. */
function readBack(generation: Generation, record: WireRecord, inputs: TrunkInputs): TrunkInputs {
    return generation === "v12" ? fromV12(record, inputs).inputs : fromV22(record, "", inputs).inputs;
}

/** The id of the trunk made (or adopted) for `inputs`. */
async function createOnPbx(connection: PbxConnection, generation: Generation, inputs: TrunkInputs): Promise<string> {
    const { id } = await createWithoutDuplicates({
        vendor: VENDOR,
        operation: "create trunk",
        object: inputs.name,
        noun: NOUN,
        scope: connection.url,
        attempts: connection.tuning.maxRetries + 1,
        baseDelayMs: connection.tuning.retryBaseDelayMs,
        lookup: () => trunksWithKey(connection, generation, inputs),
        idOf: (record) => idText(record["id"]) ?? "",
        differences: (record) => differingProperties(inputs, readBack(generation, record, inputs)),
        // v22 names are not unique, and the PBX refuses its own conflicts (hostname + auth id) clearly.
        ...(generation === "v12"
            ? { conflict: (record: WireRecord, reason: string) => nameTaken(inputs, record, reason) }
            : {}),
        send: () =>
            generation === "v12"
                ? v12Create(connection, toV12Create(inputs), inputs.name)
                : v22Create(connection, toV22Create(inputs), inputs.name),
        adopt: (record) => Promise.resolve(idText(record["id"]) ?? ""),
        createdId: (created) => created,
    });
    return id;
}

function nameTaken(inputs: TrunkInputs, record: WireRecord, reason: string): VendorApiError {
    return new VendorApiError({
        kind: "Conflict",
        vendor: VENDOR,
        operation: "create trunk",
        object: inputs.name,
        vendorMessage: `a trunk with this name already exists (id ${idText(record["id"]) ?? "?"}) ${reason}; trunk names are unique on a v12 PBX: choose another name, or delete that trunk first`,
    });
}

/**
 * A failure once the trunk exists: it is recorded in the stack with its id (the next up finishes
 * it) instead of orphaned. Never with the password: the properties are stored as they are.
 */
function keptInStack(id: string, known: Record<string, unknown>, error: unknown): ResourceInitError {
    const base = error instanceof ResourceInitError ? error.properties : known;
    const { password: _password, ...properties } = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    return new ResourceInitError(id, { ...properties, stateVersion: STATE_VERSION }, error);
}

/** The generation recorded in the state (absent only from hand-edited state). */
function storedGeneration(state: TrunkOutputs): Generation | undefined {
    const value = (state as Partial<TrunkOutputs>).apiVersion;
    return value === "v12" || value === "v22" ? value : undefined;
}

function disappeared(id: string, during: string): Error {
    return new Error(`${VENDOR}: trunk ${id} disappeared during ${during}; run pulumi refresh`);
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
    // Lets `check` name this resource when its DID pool overlaps another's. Never stored.
    resourceNameInput: RESOURCE_NAME_KEY,
    replaceOnChanges: REPLACE_ON_CHANGES,
    vendorDefaulted: VENDOR_DEFAULTED,
    // Natural keys are unique on the PBX (v12: the name; v22: hostname + auth id, one IP_AUTH trunk
    // per host, DID pools): a replacement could not be created next to the trunk it replaces.
    deleteBeforeReplace: true,
    upgradeState,
    upgradeInputs,

    async prepareCheck(news) {
        const connection = news["connection"];
        await prepareGeneration(typeof connection === "string" && !isUnknown(connection) ? connection : "default");
    },

    async create(inputs) {
        const connection = pbxConnection(inputs.connection);
        const generation = await resolveGeneration(inputs.connection);
        const id = await createOnPbx(connection, generation, inputs);
        let known: Record<string, unknown> = { ...inputs, apiVersion: generation, status: "UNKNOWN" };
        try {
            const found = await readTrunk(connection, generation, id, inputs);
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
} satisfies ResourceDefinition<TrunkInputs, TrunkOutputs>;
