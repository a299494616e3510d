import { inventoryOf, type InventoryItem } from "../../../core/inventory";
import { telecomCenterConnection } from "../client";
import { listGateways } from "./api";
import { fromWire, type TerminationGatewayOutputs } from "./model";

/**
 * Every termination gateway of the operator account, across its customers, as a gateway resource
 * managing it would output (codecs reported as the account holds them), for `pulumi-voip export`.
 * Kept out of lookup.ts, whose published declarations must not reach the zod-typed model.
 */
export async function inventory(connection: string): Promise<InventoryItem<TerminationGatewayOutputs>[]> {
    const gateways = await listGateways(telecomCenterConnection(connection), {}, { includeCustomer: true });
    return inventoryOf(
        gateways,
        (gateway) => ({ id: gateway.id, label: `"${gateway.attributes.name}"` }),
        (gateway) => {
            const customerId = gateway.relationships?.customer.data.id;
            if (customerId === undefined) throw new Error("the account names no customer for it");
            return fromWire(gateway, { connection, customerId, codecs: [], authorizationPassword: undefined }).outs;
        },
    );
}
