import { z } from "zod";
import { DEFAULT_CONNECTION } from "../../../core/connection";
import type { IdShape } from "../../../core/ids";
import { canonicalHost, portSchema } from "../../../core/validators";
import { CONNECTIONS } from "../client";
import { gatewayHostSchema, hostResolutionProblem } from "./host";
import { once } from "../../../core/once";

/**
 * VoiceTel account gateway ("route"): Pulumi inputs, the v2.1 wire shapes, and the mapping between
 * them. Wire names (`apikey`, `added_failed`, `IP`, ...) never leave this file.
 */

/** The port a gateway without one means (SIP's default; every example of the API uses it). */
export const DEFAULT_PORT = 5060;
/** Route ids 1-8 are the account's system routes (USER, T30, ..., SDN); never managed here. */
export const SYSTEM_ROUTE_MAX = 8;
/** Where DIDs land when they are not routed to a gateway (`DID`). */
export const DEFAULT_DID_ROUTE = 4;

/** 2 added `connection`; state of 0.1 (versions 0 and 1) has none and means the default connection. */
export const STATE_VERSION = 2;

/**
 * `gateways/update` changes a route's host and port in place. Another connection is another
 * account: its gateway is another route, so the route is replaced.
 */
export const REPLACE_ON_CHANGES = ["connection"] as const;
export const VENDOR_DEFAULTED = [] as const;
export const SECRET_INPUTS = [] as const;

/** Canonical inputs: port defaulted, host lower-cased, so preview diffs are semantic; a host name DNS refuses fails. */
export const inputSchema = once(() => {
    return z
        .strictObject({
            connection: CONNECTIONS.nameSchema(),
            host: gatewayHostSchema(),
            port: portSchema().default(DEFAULT_PORT),
            hostResolvesLater: z.boolean({ error: "must be true or false" }).default(false),
        })
        .superRefine(async (inputs, ctx) => {
            // DNS, asked once per name per run about a valid host, so a name that cannot work fails at preview.
            if (inputs.hostResolvesLater || ctx.issues.some((issue) => issue.path?.[0] === "host")) return;
            const problem = await hostResolutionProblem(inputs.host);
            if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["host"], message: problem });
        });
});

export type AccountGatewayInputs = z.output<ReturnType<typeof inputSchema>>;

export interface AccountGatewayOutputs extends AccountGatewayInputs {
    /** The route id (also the resource id, as a string): what DIDs are routed to. */
    routeId: number;
    /** The gateway exactly as VoiceTel stores it, `host:port`. */
    address: string;
}

/** One user or system route as the API reports it, with its id as a number. */
export interface Route {
    routeId: number;
    address: string;
}

/** The `host:port` string sent to the API. The port is always explicit, so the stored string is predictable. */
export function toAddress(inputs: Pick<AccountGatewayInputs, "host" | "port">): string {
    return `${inputs.host}:${inputs.port}`;
}

/** Host and port of a stored gateway string; a missing port means {@link DEFAULT_PORT}. */
export function parseAddress(address: string): { host: string; port: number } {
    const trimmed = address.trim();
    const match = /^(.*):(\d{1,5})$/.exec(trimmed);
    const port = match === null ? Number.NaN : Number(match[2]);
    const hasPort = match !== null && port >= 1 && port <= 65535;
    const host = hasPort ? (match[1] ?? "") : trimmed;
    return { host: canonicalHost(host), port: hasPort ? port : DEFAULT_PORT };
}

/** Whether two gateway strings denote the same host and port (case, trailing dot and `:5060` aside). */
export function sameAddress(a: string, b: string): boolean {
    const left = parseAddress(a);
    const right = parseAddress(b);
    return left.host === right.host && left.port === right.port;
}

export function isUserRoute(routeId: number): boolean {
    return routeId > SYSTEM_ROUTE_MAX;
}

/**
 * The route id a resource id stands for. The id is the decimal route id; anything else (or a
 * system route) cannot have been written by this provider.
 */
export function parseRouteId(id: string): number | undefined {
    if (!ROUTE_ID_SHAPE.pattern.test(id)) return undefined;
    const route = Number(id);
    return isUserRoute(route) ? route : undefined;
}

/** A gateway route id as the provider writes it: decimal, no leading zero, above the system routes (1-8). */
export const ROUTE_ID_SHAPE: IdShape = {
    description: `a gateway route id (a decimal number above ${SYSTEM_ROUTE_MAX}, without leading zeros)`,
    pattern: /^(?:9|[1-9][0-9]{1,14})$/,
};

/**
 * The routes a create made: in `after`, not in `before`, with the address that was sent. The add
 * answer does not say which route is new; this is the only safe reading of it. More than one
 * means someone else added the same address at the same time: the caller must not pick one.
 */
export function newRoutesFor(address: string, before: ReadonlySet<number>, after: readonly Route[]): Route[] {
    return after.filter(
        (route) => isUserRoute(route.routeId) && !before.has(route.routeId) && sameAddress(route.address, address),
    );
}

/**
 * Canonical inputs and outputs from a listed route; `connection` and `hostResolvesLater` are the
 * program's, not VoiceTel's.
 */
export function fromRoute(
    route: Route,
    prior: Partial<Pick<AccountGatewayInputs, "connection" | "hostResolvesLater">>,
): { inputs: AccountGatewayInputs; outs: AccountGatewayOutputs } {
    const { host, port } = parseAddress(route.address);
    const inputs: AccountGatewayInputs = {
        connection: prior.connection ?? DEFAULT_CONNECTION,
        host,
        port,
        hostResolvesLater: prior.hostResolvesLater ?? false,
    };
    return { inputs, outs: { ...inputs, routeId: route.routeId, address: route.address } };
}

/**
 * State of 0.1 (version 0, before versioning, and version 1) has no `connection`: those gateways
 * were made with the un-named keys, which the default connection reads. Otherwise the same shape.
 */
export function upgradeState(state: Record<string, unknown>): AccountGatewayOutputs {
    const connection = typeof state["connection"] === "string" ? state["connection"] : DEFAULT_CONNECTION;
    return { ...state, connection } as unknown as AccountGatewayOutputs;
}

// ---- Wire: request bodies (the key is added by the client) ----------------------------------------------------------

export function addRequest(address: string): Record<string, unknown> {
    return { gateways: [{ gateway: address }] };
}

/** Route ids are integers in update and remove requests (strings in list and add answers). */
export function updateRequest(routeId: number, address: string): Record<string, unknown> {
    return { gateways: [{ route: routeId, gateway: address }] };
}

export function removeRequest(routeId: number): Record<string, unknown> {
    return { routes: [{ route: routeId }] };
}

export function numbersListRequest(routeId: number): Record<string, unknown> {
    return { route: routeId };
}

// ---- Wire: answers --------------------------------------------------------------------------------------------------

/** Route ids arrive as strings ("1000") in list and add answers and as integers elsewhere; both are read. */
function routeIdSchema() {
    return z
        .union([z.string().regex(/^\d+$/, "must be a decimal route id"), z.number().int().nonnegative()])
        .transform(Number);
}

function parseJson<S extends z.ZodType>(schema: S, body: string): z.output<S> {
    return schema.parse(JSON.parse(body));
}

// The answer schemas are built once (core/once.ts): every hook reads the list, and a batch write's answer follows.
const listAnswer = once(() =>
    z.object({ gateways: z.array(z.object({ route: routeIdSchema(), gateway: z.string() })) }),
);
const addAnswer = once(() => z.object({ gateways: z.array(z.object({ route: routeIdSchema(), IP: z.string() })) }));
const addConflict = once(() =>
    z.object({
        message: z.string(),
        added_success: z.array(z.string()).nullish(),
        added_failed: z.array(z.string()).nullish(),
    }),
);

/** `gatewaysListResponse`: system routes first, then user gateways, keys `route` (string) and `gateway`. */
export function parseListAnswer(body: string): Route[] {
    return parseJson(listAnswer(), body).gateways.map((row) => ({ routeId: row.route, address: row.gateway }));
}

/** `gatewaysAddResponse`: every account gateway after the add, keys `route` (string) and `IP` (upper case). */
export function parseAddAnswer(body: string): Route[] {
    return parseJson(addAnswer(), body).gateways.map((row) => ({ routeId: row.route, address: row.IP }));
}

/** A batch answered 409: some items may have been applied nonetheless. */
export interface BatchConflict<Item> {
    /** The vendor's message, verbatim ("At least one one gateway could not be added."). */
    message: string;
    succeeded: Item[];
    failed: Item[];
}

/** `gatewaysAddConflictResponse`: gateway strings that were and were not added. */
export function parseAddConflict(body: string): BatchConflict<string> {
    const parsed = parseJson(addConflict(), body);
    return { message: parsed.message, succeeded: parsed.added_success ?? [], failed: parsed.added_failed ?? [] };
}

export interface UpdatedRoute extends Route {
    /** Why the item failed, for failed items: "Invalid number or route" or the address message. */
    message?: string;
}

/** The vendor's reason for an update item on a route that is not (or no longer) a gateway of the account. */
export const INVALID_ROUTE_MESSAGE = "Invalid number or route";

const updatedRowSchema = once(() =>
    z.object({ route: routeIdSchema(), gateway: z.string(), message: z.string().optional() }),
);
const updateAnswer = once(() => z.object({ gateways: z.array(updatedRowSchema()) }));
const updateConflict = once(() =>
    z.object({
        message: z.string(),
        update_success: z.array(updatedRowSchema()).nullish(),
        update_failed: z.array(updatedRowSchema()).nullish(),
    }),
);

function toUpdated(row: { route: number; gateway: string; message?: string | undefined }): UpdatedRoute {
    return row.message === undefined
        ? { routeId: row.route, address: row.gateway }
        : { routeId: row.route, address: row.gateway, message: row.message };
}

/** `gatewaysUpdateResponse`: the updated routes, route ids as integers. */
export function parseUpdateAnswer(body: string): Route[] {
    return parseJson(updateAnswer(), body).gateways.map(toUpdated);
}

/** `gatewaysUpdateConflictResponse`: `update_failed` items carry the vendor's reason. */
export function parseUpdateConflict(body: string): BatchConflict<UpdatedRoute> {
    const parsed = parseJson(updateConflict(), body);
    return {
        message: parsed.message,
        succeeded: (parsed.update_success ?? []).map(toUpdated),
        failed: (parsed.update_failed ?? []).map(toUpdated),
    };
}

const removedRow = once(() => z.object({ route: routeIdSchema() }));
const removeAnswer = once(() => z.object({ routes: z.array(removedRow()) }));
const removeConflict = once(() =>
    z.object({
        message: z.string(),
        removed_success: z.array(removedRow()).nullish(),
        removed_failed: z.array(removedRow()).nullish(),
    }),
);

/** `gatewaysRemoveResponse`: the removed route ids. */
export function parseRemoveAnswer(body: string): number[] {
    return parseJson(removeAnswer(), body).routes.map((row) => row.route);
}

/** `gatewaysRemoveConflictResponse`: no per-item reason (DIDs still routed, or no such route). */
export function parseRemoveConflict(body: string): BatchConflict<number> {
    const parsed = parseJson(removeConflict(), body);
    return {
        message: parsed.message,
        succeeded: (parsed.removed_success ?? []).map((row) => row.route),
        failed: (parsed.removed_failed ?? []).map((row) => row.route),
    };
}

const numbersAnswer = once(() =>
    z.object({ numbers: z.array(z.object({ number: z.union([z.string(), z.number()]) })) }),
);
const numbersNotFound = once(() => z.object({ numbers: z.literal("Not Found") }));

/** `numbers/list` rows (DIDs) routed to a route: the numbers, as strings. */
export function parseNumbersAnswer(body: string): string[] {
    return parseJson(numbersAnswer(), body).numbers.map((row) => String(row.number));
}

/** `numbers/list` says "no DID matches" with HTTP 404 and `numbers: "Not Found"` (documented quirk), not `[]`. */
export function isNumbersNotFound(body: string): boolean {
    const parsed = numbersNotFound().safeParse(JSON.parse(body));
    return parsed.success;
}
