import { inventory } from "./inventory";
import { createWithoutDuplicates, differingProperties } from "../../../core/create";
import { ResourceInitError, VendorApiError } from "../../../core/errors";
import { requireIdShape } from "../../../core/ids";
import { registerSecret } from "../../../core/redact";
import type { ResourceDefinition } from "../../../core/resource-definition";
import { assertCreatedAsAsked, assertStoredAsAsked, type StoredCheck } from "../../stored";
import { connectionLabel, readConnection, VENDOR, type OpenVoxConnection } from "../client";
import { DEFAULT_CONNECTION } from "../../../core/connection";
import { addTrunk, assertSingleName, deleteTrunk, getTrunk, listTrunks, trunksNamed, updateTrunk } from "./api";
import {
    DELETE_BEFORE_REPLACE,
    inputSchema,
    REPLACE_ON_CHANGES,
    SECRET_INPUTS,
    STATE_VERSION,
    TRUNK_NAME_ID_SHAPE,
    TRUNK_NUMBER_SHAPE,
    type SipTrunkInputs,
    type SipTrunkOutputs,
} from "./model";
import { fromWire, supportsDod, toWire, type WireTrunk } from "./wire";

function connectionFor(inputs: Pick<SipTrunkInputs, "connection" | "trunkType"> & { password?: string }) {
    if (inputs.password !== undefined) registerSecret(inputs.password);
    return readConnection(inputs.connection);
}

function nameTaken(connection: OpenVoxConnection, name: string, trunk: WireTrunk, reason: string): VendorApiError {
    return new VendorApiError({
        kind: "Conflict",
        vendor: connectionLabel(connection),
        operation: "create SIP trunk",
        object: name,
        vendorMessage: `a ${trunk.trunktype} trunk with this name already exists (id ${trunk.id}) ${reason}; trunk names are unique on a PBX: choose another name, or delete that trunk first`,
    });
}

/** How a trunk read back differs from the declared inputs; a record that cannot be read differs in all. */
function differences(trunk: WireTrunk, inputs: SipTrunkInputs): string[] {
    try {
        return differingProperties(inputs, fromWire(trunk, inputs).inputs);
    } catch {
        return ["(unreadable record)"];
    }
}

function disappeared(connection: OpenVoxConnection, operation: string, name: string, cause: string): VendorApiError {
    return new VendorApiError({
        kind: "NotFound",
        vendor: connectionLabel(connection),
        operation,
        object: name,
        vendorMessage: cause,
    });
}

/** The name, id and `trunkId` come from the state: checked before any request that could use them. */
function checkStoredIds(connection: OpenVoxConnection, operation: string, id: string, state: SipTrunkOutputs): void {
    assertSingleName(connection, operation, state.name);
    const use = { vendor: connectionLabel(connection), operation };
    requireIdShape(id, TRUNK_NAME_ID_SHAPE, use);
    requireIdShape(state.trunkId, TRUNK_NUMBER_SHAPE, { ...use, name: "trunkId", object: id });
}

/** What `update` or `create` must find stored: the inputs as asked, compared as the next diff would. */
function storedCheck(
    connection: OpenVoxConnection,
    operation: string,
    asked: SipTrunkInputs,
    stored: SipTrunkOutputs,
): StoredCheck {
    return {
        vendor: connectionLabel(connection),
        operation,
        object: asked.name,
        inputKeys: Object.keys(inputSchema().shape),
        secretInputs: SECRET_INPUTS,
        asked,
        stored,
    };
}

/** The outputs of a create, once the trunk read back holds what was asked (a PBX may drop DOD fields). */
function createdAsAsked(
    connection: OpenVoxConnection,
    inputs: SipTrunkInputs,
    created: WireTrunk,
): { id: string; outs: SipTrunkOutputs } {
    const { outs } = fromWire(created, inputs);
    assertCreatedAsAsked(storedCheck(connection, "create SIP trunk", inputs, outs), inputs.name);
    return { id: inputs.name, outs };
}

export const sipTrunk = {
    token: "openvox:SipTrunk",
    vendor: VENDOR,
    noun: "SIP trunk",
    stateVersion: STATE_VERSION,
    inputSchema,
    computedOutputs: ["trunkId", "tech"],
    secretInputs: SECRET_INPUTS,
    nameInput: "name",
    // Sent even when left out, so the key is present in a preview where other values are unknown
    // (a missing connection would then read as a change of PBX, which replaces).
    programDefaults: { connection: DEFAULT_CONNECTION },
    replaceOnChanges: REPLACE_ON_CHANGES,
    deleteBeforeReplace: DELETE_BEFORE_REPLACE,

    inventory,

    adoption: {
        describeKey: (inputs) => `name "${inputs.name}"`,
        findByKey: async (inputs) =>
            (await trunksNamed(connectionFor(inputs), inputs.name)).map((trunk) => trunk.trunkname),
        // The resource id is the trunk's name: adopting another name shows as a rename, which replaces.
        readState: (inputs, id) => ({ ...inputs, name: id, trunkId: "" }),
        // As the create plan's: names are unique per PBX, whatever the connection is named.
        scope: (inputs) => connectionFor(inputs).url,
    },

    /**
     * `add` answers no id: the trunk is found by its name afterwards (names are unique on a PBX, and
     * the name is the resource id). The add is not idempotent: see {@link createWithoutDuplicates}.
     */
    async create(inputs) {
        const connection = connectionFor(inputs);
        const { created: adopted } = await createWithoutDuplicates<WireTrunk, WireTrunk | undefined>({
            vendor: connectionLabel(connection),
            operation: "create SIP trunk",
            object: inputs.name,
            noun: "SIP trunk",
            scope: connection.url,
            tuning: connection.tuning,
            lookup: async () => {
                const trunk = await getTrunk(connection, inputs.name);
                return trunk === undefined ? [] : [trunk];
            },
            idOf: (trunk) => trunk.trunkname,
            differences: (trunk) => differences(trunk, inputs),
            conflict: (trunk, reason) => nameTaken(connection, inputs.name, trunk, reason),
            send: async () => {
                await addTrunk(connection, toWire(inputs));
                return undefined;
            },
            adopt: (trunk) => Promise.resolve(trunk),
            createdId: () => inputs.name,
        });
        // From here the PBX has the trunk (it accepted the add): a failure records it rather than orphan it.
        const keptInStack = (error: unknown) => new ResourceInitError(inputs.name, { ...inputs, trunkId: "" }, error);
        const created =
            adopted ??
            (await getTrunk(connection, inputs.name).catch((error: unknown) => {
                throw keptInStack(error);
            }));
        if (created === undefined) {
            throw disappeared(
                connection,
                "create SIP trunk",
                inputs.name,
                "the PBX accepted the trunk but a query by its name finds none",
            );
        }
        try {
            return createdAsAsked(connection, inputs, created);
        } catch (error) {
            // A trunk stored other than asked is already kept in the stack by its own error.
            throw error instanceof ResourceInitError ? error : keptInStack(error);
        }
    },

    /**
     * By name. A name that is gone may have been renamed in the PBX UI: the trunk is then looked for
     * by its id, and the new name shows as drift (renaming replaces, so the next up puts it back).
     */
    async read(id, state) {
        const connection = connectionFor(state);
        checkStoredIds(connection, "read SIP trunk", id, state);
        let trunk = await getTrunk(connection, state.name);
        if (trunk === undefined && state.trunkId !== "") {
            trunk = (await listTrunks(connection)).find((candidate) => candidate.id === state.trunkId);
        }
        return trunk === undefined ? undefined : fromWire(trunk, state);
    },

    /** The full record from the desired state, sent to the id the name has now, then read back. */
    async update(id, olds, news) {
        const connection = connectionFor(news);
        checkStoredIds(connection, "update SIP trunk", id, olds);
        const current = await getTrunk(connection, olds.name);
        if (current === undefined) {
            throw disappeared(
                connection,
                "update SIP trunk",
                olds.name,
                "the trunk no longer exists on the PBX; run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it",
            );
        }
        await updateTrunk(connection, toWire(news, { id: current.id, clearDods: supportsDod(current) }));
        const updated = await getTrunk(connection, news.name);
        if (updated === undefined) {
            throw disappeared(connection, "update SIP trunk", news.name, "the trunk vanished right after its update");
        }
        const { outs } = fromWire(updated, news);
        assertStoredAsAsked(storedCheck(connection, "update SIP trunk", news, outs));
        return outs;
    },

    /** By name, never a list or `all`; a trunk that is already gone counts as deleted. */
    async delete(id, state) {
        const connection = connectionFor(state);
        checkStoredIds(connection, "delete SIP trunk", id, state);
        await deleteTrunk(connection, state.name);
    },
} satisfies ResourceDefinition<SipTrunkInputs, SipTrunkOutputs>;
