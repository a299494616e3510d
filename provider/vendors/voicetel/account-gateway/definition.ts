import { inventory } from "./inventory";
import { createWithoutDuplicates, differingProperties } from "../../../core/create";
import { VendorApiError } from "../../../core/errors";
import { requireIdShape } from "../../../core/ids";
import type { ResourceDefinition } from "../../../core/resource-definition";
import { VENDOR, voiceTelConnection, type VoiceTelConnection } from "../client";
import { addGateway, listRoutes, numbersOnRoute, removeGateway, updateGateway } from "./api";
import { isUnknown } from "../../../core/unknowns";
import { hostResolutionProblem } from "./host";
import {
    DEFAULT_DID_ROUTE,
    fromRoute,
    inputSchema,
    INVALID_ROUTE_MESSAGE,
    isUserRoute,
    newRoutesFor,
    ROUTE_ID_SHAPE,
    DEFAULT_PORT,
    REPLACE_ON_CHANGES,
    sameAddress,
    SECRET_INPUTS,
    STATE_VERSION,
    toAddress,
    upgradeState,
    VENDOR_DEFAULTED,
    type AccountGatewayInputs,
    type AccountGatewayOutputs,
    type BatchConflict,
    type Route,
} from "./model";
import { cachedRoutes, freshRoutes, oneAtATime, writing } from "./routes";

const CREATE = "create account gateway";
const UPDATE = "update account gateway";
const DELETE = "delete account gateway";
/** Why VoiceTel refuses an address; its add answer gives no per-item reason. */
const ADDRESS_RULES =
    "VoiceTel refuses an address that does not resolve to a routable public IPv4 address, and an address another route already has";

/** The route id the resource id stands for, checked before any request (the id comes from the state). */
function routeIdOf(id: string, operation: string): number {
    return Number(requireIdShape(id, ROUTE_ID_SHAPE, { vendor: VENDOR, operation }));
}

/** The DNS half of the host rules, before any API call (the syntax and IPv4 half ran at preview). */
async function assertResolvable(inputs: AccountGatewayInputs, operation: string): Promise<void> {
    if (inputs.hostResolvesLater) return;
    const problem = await hostResolutionProblem(inputs.host);
    if (problem !== undefined) {
        throw new Error(`${VENDOR}: ${operation} "${toAddress(inputs)}" not sent: ${problem}`);
    }
}

function ids(routes: readonly Route[]): Set<number> {
    return new Set(routes.map((route) => route.routeId));
}

/** The one route a create made, undefined when none is visible; never a pick among several. */
function theOne(address: string, candidates: Route[]): Route | undefined {
    if (candidates.length <= 1) return candidates[0];
    throw raced(
        address,
        candidates.map((route) => String(route.routeId)),
    );
}

function raced(address: string, routeIds: string[]): Error {
    const list = routeIds.join(", ");
    return new Error(
        `${VENDOR}: ${CREATE} "${address}": routes ${list} all appeared with this address while it was being added, and VoiceTel's answer does not say which one is this gateway's; another writer added the same address at the same time. Remove the surplus routes in the VoiceTel portal, then run pulumi up again`,
    );
}

function addRefused(address: string, before: readonly Route[], conflict: BatchConflict<string>, error: VendorApiError) {
    const holder = before.find((route) => isUserRoute(route.routeId) && sameAddress(route.address, address));
    const hint =
        holder === undefined
            ? `VoiceTel gives no reason. ${ADDRESS_RULES}`
            : `route ${holder.routeId} already has this address, and VoiceTel refuses a second gateway with the same address; if an earlier run left that route behind, remove it in the VoiceTel portal and run pulumi up again`;
    return new VendorApiError({
        kind: "Conflict",
        vendor: VENDOR,
        operation: CREATE,
        object: address,
        status: error.status,
        vendorMessage: `${error.vendorMessage ?? conflict.message} [${hint}]`,
    });
}

/**
 * One add, and the route it made: the add answer lists every gateway of the account afterwards;
 * the new one is the route that was not in `before` and has the address sent. Creates of one
 * account run one at a time (see {@link oneAtATime}), so no other create of ours can add it.
 */
async function addAndIdentify(
    connection: VoiceTelConnection,
    address: string,
    before: readonly Route[],
): Promise<Route> {
    const known = ids(before);
    const result = await writing(connection.account, () => addGateway(connection, address));
    if (result.ok) {
        const found = theOne(address, newRoutesFor(address, known, result.value));
        if (found !== undefined) return found;
    } else if (!result.conflict.succeeded.some((added) => sameAddress(added, address))) {
        throw addRefused(address, before, result.conflict, result.error);
    }
    // Added (200 or listed in added_success), but the answer does not show the route: ask the list.
    const found = theOne(
        address,
        newRoutesFor(address, known, await freshRoutes(connection.account, () => listRoutes(connection))),
    );
    if (found !== undefined) return found;
    throw new Error(
        `${VENDOR}: ${CREATE} "${address}": VoiceTel answered that the gateway was added, but no new route with this address is listed; check the account's gateways in the VoiceTel portal before running pulumi up again`,
    );
}

function describeDids(dids: readonly string[]): string {
    const shown = dids.slice(0, 10).join(", ");
    return dids.length > 10 ? `${shown} and ${dids.length - 10} more` : shown;
}

export const accountGateway = {
    token: "voicetel:AccountGateway",
    vendor: VENDOR,
    noun: "account gateway",
    stateVersion: STATE_VERSION,
    inputSchema,
    computedOutputs: ["routeId", "address"],
    secretInputs: SECRET_INPUTS,
    replaceOnChanges: REPLACE_ON_CHANGES,
    vendorDefaulted: VENDOR_DEFAULTED,
    // Addresses are unique per account: a replacement with the same address can only be added
    // once the old route is gone. Also the resource option's default, which a program may override.
    deleteBeforeReplace: true,
    optionDefaults: { deleteBeforeReplace: true },
    upgradeState,
    label: (props) =>
        typeof props["host"] === "string" && !isUnknown(props["host"])
            ? `${props["host"]}:${typeof props["port"] === "number" ? props["port"] : DEFAULT_PORT}`
            : undefined,

    inventory,

    adoption: {
        describeKey: (inputs) => `address ${toAddress(inputs)}`,
        findByKey: async (inputs) => {
            const connection = voiceTelConnection(inputs.connection);
            const routes = await cachedRoutes(connection.account, () => listRoutes(connection));
            const address = toAddress(inputs);
            return routes
                .filter((route) => isUserRoute(route.routeId) && sameAddress(route.address, address))
                .map((route) => String(route.routeId));
        },
        // As the create plan's: route ids are unique per account, whatever the connection is named.
        scope: (inputs) => voiceTelConnection(inputs.connection).account,
    },

    async create(inputs) {
        const address = toAddress(inputs);
        await assertResolvable(inputs, CREATE);
        const connection = voiceTelConnection(inputs.connection);
        // Per account, not per connection name: two names for one account share its queue and list.
        const { account } = connection;
        const { created } = await oneAtATime(account, () => {
            let before: Route[] | undefined;
            return createWithoutDuplicates({
                vendor: VENDOR,
                operation: CREATE,
                object: address,
                noun: "account gateway",
                scope: account,
                tuning: connection.tuning,
                // Each write drops the cached list, so the lookup after a lost answer asks VoiceTel again.
                lookup: async () => {
                    const routes = await cachedRoutes(account, () => listRoutes(connection));
                    before ??= routes;
                    return routes.filter((route) => isUserRoute(route.routeId) && sameAddress(route.address, address));
                },
                idOf: (route) => String(route.routeId),
                // The address is the whole gateway; hostResolvesLater is the program's, not VoiceTel's.
                differences: (route) => differingProperties(inputs, fromRoute(route, inputs).inputs),
                // No conflict: a route with the address always matches; a claimed one is refused by VoiceTel (409).
                raced: (routeIds) => raced(address, routeIds),
                send: () => addAndIdentify(connection, address, before ?? []),
                adopt: (route) => Promise.resolve(route),
                createdId: (route) => String(route.routeId),
            });
        });
        return { id: String(created.routeId), outs: fromRoute(created, inputs).outs };
    },

    async read(id, state) {
        const routeId = routeIdOf(id, "read account gateway");
        const connection = voiceTelConnection(state.connection);
        const routes = await cachedRoutes(connection.account, () => listRoutes(connection));
        const route = routes.find((candidate) => candidate.routeId === routeId);
        return route === undefined ? undefined : fromRoute(route, state);
    },

    async update(id, olds, news) {
        const routeId = routeIdOf(id, UPDATE);
        const address = toAddress(news);
        if (sameAddress(toAddress(olds), address)) {
            // Only hostResolvesLater changed: nothing to tell VoiceTel.
            return fromRoute({ routeId, address: olds.address }, news).outs;
        }
        await assertResolvable(news, UPDATE);
        const connection = voiceTelConnection(news.connection);
        const result = await writing(connection.account, () => updateGateway(connection, routeId, address));
        if (result.ok) {
            const stored = result.value.find((route) => route.routeId === routeId)?.address ?? address;
            return fromRoute({ routeId, address: stored }, news).outs;
        }
        const applied = result.conflict.succeeded.find((route) => route.routeId === routeId);
        if (applied !== undefined) return fromRoute({ routeId, address: applied.address }, news).outs;
        const failure = result.conflict.failed.find((route) => route.routeId === routeId)?.message;
        const hint =
            failure === INVALID_ROUTE_MESSAGE
                ? `route ${routeId} is no longer a gateway of this account (removed outside Pulumi?); run pulumi refresh, then pulumi up creates it again`
                : ADDRESS_RULES;
        throw new VendorApiError({
            kind: "Conflict",
            vendor: VENDOR,
            operation: UPDATE,
            object: `route ${routeId}`,
            status: result.error.status,
            vendorMessage: `${result.error.vendorMessage ?? failure ?? result.conflict.message} [${hint}]`,
        });
    },

    async delete(id, state) {
        const routeId = routeIdOf(id, DELETE);
        const connection = voiceTelConnection(state.connection);
        const { account } = connection;
        const result = await writing(account, () => removeGateway(connection, routeId));
        if (result.ok || result.conflict.succeeded.includes(routeId)) return;
        // The 409 gives no reason: DIDs still routed to the route, or the route is gone already.
        const label = typeof state.address === "string" ? `route ${routeId} (${state.address})` : `route ${routeId}`;
        const dids = await numbersOnRoute(connection, routeId);
        if (dids.length > 0) {
            throw new VendorApiError({
                kind: "Conflict",
                vendor: VENDOR,
                operation: DELETE,
                object: label,
                status: result.error.status,
                vendorMessage: `${result.conflict.message} [${dids.length} DID${dids.length === 1 ? " is" : "s are"} still routed to route ${routeId}: ${describeDids(dids)}. VoiceTel cannot remove a gateway that DIDs are routed to: route them to another gateway, or back to route ${DEFAULT_DID_ROUTE} (DID), then run the operation again]`,
            });
        }
        const routes = await freshRoutes(account, () => listRoutes(connection));
        if (!routes.some((route) => route.routeId === routeId)) return; // Already gone: deleted is deleted.
        throw result.error;
    },
} satisfies ResourceDefinition<AccountGatewayInputs, AccountGatewayOutputs>;
