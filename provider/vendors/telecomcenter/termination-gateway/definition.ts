import { inventory } from "./inventory";
import { createWithoutDuplicates, differingProperties } from "../../../core/create";
import type { ResourceDefinition } from "../../../core/resource-definition";
import { telecomCenterConnection, VENDOR } from "../client";
import { createGateway, deleteGateway, getGateway, listGatewaysNamed, updateGateway } from "./api";
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

/**
 * How a listed gateway differs from the declared inputs (canonical form). A password the account
 * masks reads back as the declared one. A gateway the customer made in their UI (`operator`
 * false) is never what an API create left behind.
 */
function differences(gateway: WireResource, inputs: TerminationGatewayInputs): string[] {
    const differing = differingProperties(inputs, fromWire(gateway, inputs).inputs);
    return gateway.attributes.operator ? differing : [...differing, "operator"];
}

/** What gateway ids are claimed within: the operator account, not the connection name, and the customer (a gateway never changes customer). */
function claimScope(inputs: Pick<TerminationGatewayInputs, "connection" | "customerId">): string {
    return `${telecomCenterConnection(inputs.connection).account}|${inputs.customerId}`;
}

export const terminationGateway = {
    token: "telecomcenter:TerminationGateway",
    vendor: VENDOR,
    noun: "termination gateway",
    stateVersion: STATE_VERSION,
    inputSchema,
    computedOutputs: ["operator"],
    secretInputs: SECRET_INPUTS,
    nameInput: "name",
    replaceOnChanges: REPLACE_ON_CHANGES,
    vendorDefaulted: VENDOR_DEFAULTED,
    // Gateway names are not unique (nothing documents it): the new one can exist beside the old.
    deleteBeforeReplace: false,
    upgradeState,

    inventory,

    adoption: {
        describeKey: (inputs) => `name "${inputs.name}" of customer ${inputs.customerId}`,
        scope: claimScope,
        findByKey: async (inputs) =>
            (await listGatewaysNamed(telecomCenterConnection(inputs.connection), inputs.customerId, inputs.name)).map(
                (gateway) => gateway.id,
            ),
    },

    async create(inputs) {
        const connection = telecomCenterConnection(inputs.connection);
        const { created } = await createWithoutDuplicates({
            vendor: VENDOR,
            operation: "create termination gateway",
            object: inputs.name,
            noun: "termination gateway",
            scope: claimScope(inputs),
            tuning: connection.tuning,
            // Names are not unique: other same-name gateways of the customer are simply not ours.
            lookup: () => listGatewaysNamed(connection, inputs.customerId, inputs.name),
            idOf: (gateway) => gateway.id,
            differences: (gateway) => differences(gateway, inputs),
            send: () => createGateway(connection, inputs.customerId, toWireAttributes(inputs), inputs.name),
            adopt: async (gateway) => (await getGateway(connection, gateway.id)) ?? gateway,
            createdId: (gateway) => gateway.id,
        });
        const { outs } = fromWire(created, inputs);
        return { id: created.id, outs };
    },

    async read(id, state) {
        const gateway = await getGateway(telecomCenterConnection(state.connection), id);
        return gateway === undefined ? undefined : fromWire(gateway, state);
    },

    async update(id, olds, news) {
        const changes = changedWireAttributes(olds, news);
        // Changing the connection replaces the gateway, so olds (upgraded: a 0.1 state names none) name the same one.
        const connection = telecomCenterConnection(olds.connection);
        const gateway =
            Object.keys(changes).length === 0
                ? await getGateway(connection, id)
                : await updateGateway(connection, id, changes);
        if (gateway === undefined)
            throw new Error(`${VENDOR}: termination gateway ${id} disappeared during update; run pulumi refresh`);
        return fromWire(gateway, news).outs;
    },

    async delete(id, state) {
        await deleteGateway(telecomCenterConnection(state.connection), id);
    },
} satisfies ResourceDefinition<TerminationGatewayInputs, TerminationGatewayOutputs>;
