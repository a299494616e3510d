import { createWithoutDuplicates } from "../../../core/create";
import type { ResourceDefinition } from "../../../core/resource-definition";
import { telecomCenterTuning, VENDOR } from "../client";
import { createGateway, deleteGateway, getGateway, listGateways, updateGateway } from "./api";
import {
    changedWireAttributes,
    fromWire,
    inputSchema,
    REPLACE_ON_CHANGES,
    SECRET_INPUTS,
    STATE_VERSION,
    toWireAttributes,
    upgradeState,
    VENDOR_DEFAULTED,
    type TerminationGatewayInputs,
    type TerminationGatewayOutputs,
    type WireResource,
} from "./model";

/** Does this gateway hold exactly the attributes we asked for? Used to recognise our own create. */
function matches(resource: WireResource, inputs: TerminationGatewayInputs): boolean {
    const actual: Record<string, unknown> = resource.attributes;
    // The password is left out: an account may mask it in answers.
    return Object.entries(toWireAttributes(inputs)).every(
        ([key, value]) => key === "authorization_password" || JSON.stringify(actual[key]) === JSON.stringify(value),
    );
}

export const terminationGateway: ResourceDefinition<TerminationGatewayInputs, TerminationGatewayOutputs> = {
    type: "telecomcenter:TerminationGateway",
    vendor: VENDOR,
    noun: "termination gateway",
    stateVersion: STATE_VERSION,
    inputSchema,
    secretInputs: SECRET_INPUTS,
    replaceOnChanges: REPLACE_ON_CHANGES,
    vendorDefaulted: VENDOR_DEFAULTED,
    // Gateway names are not unique (nothing documents it): the new one can exist beside the old.
    deleteBeforeReplace: false,
    upgradeState,

    async create(inputs) {
        const tuning = telecomCenterTuning();
        const sameName = { "customer.id": inputs.customerId, name: inputs.name };
        const created = await createWithoutDuplicates({
            vendor: VENDOR,
            operation: "create termination gateway",
            object: inputs.name,
            attempts: tuning.maxRetries + 1,
            baseDelayMs: tuning.retryBaseDelayMs,
            snapshot: async () => new Set((await listGateways(sameName)).map((gateway) => gateway.id)),
            send: () => createGateway(inputs.customerId, toWireAttributes(inputs), inputs.name),
            findCreated: async (before) => {
                const candidates = (await listGateways(sameName)).filter(
                    (gateway) => !before.has(gateway.id) && matches(gateway, inputs),
                );
                // Two new identical gateways would mean another writer raced us: adopt neither.
                return candidates.length === 1 ? await getGateway(candidates[0]?.id ?? "") : undefined;
            },
        });
        const { outs } = fromWire(created, inputs);
        return { id: created.id, outs };
    },

    async read(id, state) {
        const gateway = await getGateway(id);
        return gateway === undefined ? undefined : fromWire(gateway, state);
    },

    async update(id, olds, news) {
        const changes = changedWireAttributes(olds, news);
        const gateway = Object.keys(changes).length === 0 ? await getGateway(id) : await updateGateway(id, changes);
        if (gateway === undefined)
            throw new Error(`${VENDOR}: termination gateway ${id} disappeared during update; run pulumi refresh`);
        return fromWire(gateway, news).outs;
    },

    async delete(id) {
        await deleteGateway(id);
    },
};
