import { VendorApiError } from "../../../core/errors";
import { voiceTelExchange, voiceTelRequest, type VoiceTelCall } from "../client";
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
export function listRoutes(connection: string): Promise<Route[]> {
    return voiceTelRequest({
        connection,
        operation: "list account gateways",
        path: LIST,
        // A read: safe to send again after any failure.
        idempotent: true,
        parse: parseListAnswer,
    });
}

export type BatchResult<Answer, Item> =
    { ok: true; value: Answer } | { ok: false; conflict: BatchConflict<Item>; error: VendorApiError };

function conflictOf<Item>(parse: (body: string) => BatchConflict<Item>) {
    return (status: number, body: string) => (status === 409 ? parse(body) : undefined);
}

async function batch<Answer, Item>(
    call: VoiceTelCall<Answer>,
    parseConflict: (body: string) => BatchConflict<Item>,
): Promise<BatchResult<Answer, Item>> {
    const answer = await voiceTelExchange(call, conflictOf(parseConflict));
    return answer.ok ? answer : { ok: false, conflict: answer.value, error: answer.error };
}

/**
 * Adds one gateway. 200 lists every gateway of the account afterwards (without saying which one is
 * new); 409 says which gateway strings were and were not added.
 */
export function addGateway(connection: string, address: string): Promise<BatchResult<Route[], string>> {
    return batch(
        {
            connection,
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
    connection: string,
    routeId: number,
    address: string,
): Promise<BatchResult<Route[], UpdatedRoute>> {
    return batch(
        {
            connection,
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
export function removeGateway(connection: string, routeId: number): Promise<BatchResult<number[], number>> {
    return batch(
        {
            connection,
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
export async function numbersOnRoute(connection: string, routeId: number): Promise<string[]> {
    const answer = await voiceTelExchange(
        {
            connection,
            operation: "list DIDs routed to account gateway",
            object: `route ${routeId}`,
            path: NUMBERS_LIST,
            body: numbersListRequest(routeId),
            idempotent: true,
            parse: parseNumbersAnswer,
        },
        (status, body) => (status === 404 && isNumbersNotFound(body) ? ([] as string[]) : undefined),
    );
    return answer.value;
}
