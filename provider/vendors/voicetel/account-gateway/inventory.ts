import { inventoryOf, type InventoryItem } from "../../../core/inventory";
import { voiceTelConnection } from "../client";
import { listRoutes } from "./api";
import { fromRoute, isUserRoute, type AccountGatewayOutputs, type Route } from "./model";

/*
 * For `pulumi-voip export`. Kept out of lookup.ts, whose published declarations must not reach
 * the zod-typed model.
 */

/** The account's gateways: its user routes (the system routes are not gateways). */
export async function gatewaysOf(connection: string): Promise<Route[]> {
    return (await listRoutes(voiceTelConnection(connection))).filter((route) => isUserRoute(route.routeId));
}

/** Every gateway of the account as an AccountGateway managing it would output. */
export async function inventory(connection: string): Promise<InventoryItem<AccountGatewayOutputs>[]> {
    return inventoryOf(
        await gatewaysOf(connection),
        (route) => ({ id: String(route.routeId), label: `route ${route.routeId} (${route.address})` }),
        (route) => fromRoute(route, { connection }).outs,
    );
}
