import { connectionRequest, type ConnectionCall } from "../../../core/connection";
import type { VendorApiError } from "../../../core/errors";
import type { VoiceTelConnection } from "../client";
import {
    addRequest,
    isNumbersNotFound,
    numbersListRequest,
    parseAddAnswer,
    parseAddConflict,
    parseListAnswer,
    parseNumbersAnswer,
    parseRemoveAnswer,
    parseRemoveConflict,
    parseUpdateAnswer,
    parseUpdateConflict,
    removeRequest,
    updateRequest,
    type BatchConflict,
    type Route,
    type UpdatedRoute,
} from "./model";

/** One function per endpoint of the v2.1 gateways API (all POST, paths with their trailing slash). No Pulumi types here. */

const LIST = "/v2.1/gateways/list/";
const ADD = "/v2.1/gateways/add/";
const UPDATE = "/v2.1/gateways/update/";
const REMOVE = "/v2.1/gateways/remove/";
const NUMBERS_LIST = "/v2.1/numbers/list/";

/** Every route of the account, system routes included: the only read the API has. */
export function listRoutes(connection: VoiceTelConnection): Promise<Route[]> {
    return connectionRequest(connection.endpoint, {
        operation: "list account gateways",
        method: "POST",
        path: LIST,
        // A read: safe to send again after any failure.
        idempotent: true,
        parse: parseListAnswer,
    });
}

export type BatchResult<Answer, Item> =
    { ok: true; value: Answer } | { ok: false; conflict: BatchConflict<Item>; error: VendorApiError };

/** A batch call: what the endpoint itself passes on, with `body` fields besides the key. */
type BatchCall<Answer> = Omit<ConnectionCall<Answer>, "method" | "parse" | "parseError"> & {
    parse: (body: string) => Answer;
};

/** A batch write: its 2xx answer, or the 409 answer saying which items failed. */
function batch<Answer, Item>(
    connection: VoiceTelConnection,
    call: BatchCall<Answer>,
    parseConflict: (body: string) => BatchConflict<Item>,
): Promise<BatchResult<Answer, Item>> {
    return connectionRequest<BatchResult<Answer, Item>>(connection.endpoint, {
        ...call,
        method: "POST",
        parse: (body) => ({ ok: true, value: call.parse(body) }),
        parseError: (status, body, error) =>
            status === 409 ? { ok: false, conflict: parseConflict(body), error } : undefined,
    });
}

/**
 * Adds one gateway. 200 lists every gateway of the account afterwards (without saying which one is
 * new); 409 says which gateway strings were and were not added.
 */
export function addGateway(connection: VoiceTelConnection, address: string): Promise<BatchResult<Route[], string>> {
    return batch(
        connection,
        {
            operation: "create account gateway",
            object: address,
            path: ADD,
            body: addRequest(address),
            // Sent twice, it would add twice: only retried when VoiceTel certainly did not act on it.
            idempotent: false,
            parse: parseAddAnswer,
        },
        parseAddConflict,
    );
}

/** Sets a route's `host:port`. Setting the same address twice leaves the same route: safe to retry. */
export function updateGateway(
    connection: VoiceTelConnection,
    routeId: number,
    address: string,
): Promise<BatchResult<Route[], UpdatedRoute>> {
    return batch(
        connection,
        {
            operation: "update account gateway",
            object: `route ${routeId}`,
            path: UPDATE,
            body: updateRequest(routeId, address),
            idempotent: true,
            parse: parseUpdateAnswer,
        },
        parseUpdateConflict,
    );
}

/**
 * Removes a route. Sent again after it succeeded, it answers 409 for a route that is gone, which
 * the caller tells apart from "DIDs still routed to it": safe to retry.
 */
export function removeGateway(connection: VoiceTelConnection, routeId: number): Promise<BatchResult<number[], number>> {
    return batch(
        connection,
        {
            operation: "delete account gateway",
            object: `route ${routeId}`,
            path: REMOVE,
            body: removeRequest(routeId),
            idempotent: true,
            parse: parseRemoveAnswer,
        },
        parseRemoveConflict,
    );
}

/** The DIDs routed to a route (none is a 404 with `numbers: "Not Found"`, not an empty list). */
export function numbersOnRoute(connection: VoiceTelConnection, routeId: number): Promise<string[]> {
    return connectionRequest(connection.endpoint, {
        operation: "list DIDs routed to account gateway",
        object: `route ${routeId}`,
        method: "POST",
        path: NUMBERS_LIST,
        body: numbersListRequest(routeId),
        idempotent: true,
        parse: parseNumbersAnswer,
        parseError: (status, body) => (status === 404 && isNumbersNotFound(body) ? [] : undefined),
    });
}
