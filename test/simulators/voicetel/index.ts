import { randomBytes } from "node:crypto";
import { Router } from "../core/router";
import { SimulatorServer, type SimRequest, type SimResponse } from "../core/server";
import { hasPort, isIpv4Literal, isValidGateway, type AddressRules } from "./address";

/**
 * Stateful simulator of the VoiceTel REST API v2.1 gateways ("routes") endpoints the provider calls, plus
 * `numbers/list`, which the provider reads to explain a remove refusal (DIDs still routed to the gateway).
 *
 * Sources: VoiceTel's Gateways API v2.1 documentation and the vendor's OpenAPI document
 * `test/contract/openapi/voicetel-v2.1-gateways.json` (v2.1.6). Comments marked "simulator choice" are places where both are silent.
 */

/** System routes always listed before user gateways; 7 is never enumerated by the vendor. */
export const VOICETEL_SYSTEM_ROUTES: ReadonlyMap<number, string> = new Map([
    [1, "USER"],
    [2, "T30"],
    [3, "VOICE_BRIDGE"],
    [4, "DID"],
    [5, "T38"],
    [6, "RTC_BRIDGE"],
    [8, "SDN"],
]);
/** Ids 1-8 are reserved: 7 is not a system route, but no user gateway may ever get it either. */
const RESERVED_ROUTE_MAX = 8;
/** New DIDs, and DIDs detached from a gateway, land on route 4 (`DID`), as the vendor's numbers/add documents. */
export const VOICETEL_DEFAULT_DID_ROUTE = 4;
/** The example account number of the vendor's docs. */
export const VOICETEL_DEFAULT_ACCOUNT_NUMBER = 1234567890;

/** Verbatim vendor strings (including the "one one" typo), and the simulator's own for undocumented cases. */
export const VOICETEL_MESSAGES = {
    gatewaysEntered: "Gateways Entered",
    gatewayUpdated: "Gateway updated",
    gatewaysRemoved: "Gateways Removed",
    addConflict: "At least one one gateway could not be added.",
    updateConflict: "Update result",
    invalidRoute: "Invalid number or route",
    invalidGateway: "Gateway should be a routable IP or Hostname and optional port",
    removeConflict: "At least one one route could not be removed. Please make sure no DID are routed to gateway.",
    numbersNotFound: "Not Found",
    // Simulator choices (the vendor documents no text for them); clients must not depend on them.
    unauthorized: "Unauthorized",
    notFound: "Not Found",
    methodNotAllowed: "Method Not Allowed",
    badContentType: "Content-Type must be application/json",
    badJson: "Malformed JSON body",
} as const;

/** `Field Required: apikey` is the documented example; simulator choice: the same pattern for every missing field. */
function fieldRequired(name: string): string {
    return `Field Required: ${name}`;
}

/** Simulator choice: a field that is present with the wrong JSON type (e.g. a route id sent as "1000"). */
function invalidField(name: string): string {
    return `Invalid Field: ${name}`;
}

export interface VoiceTelRoute {
    route: number;
    /** host[:port] exactly as stored, or the type name for system routes. */
    gateway: string;
    system: boolean;
}

export interface VoiceTelDid {
    /** 10-digit number; a string, as the numbers endpoints answer it. */
    number: string;
    route: number;
}

export interface VoiceTelAccountOptions {
    /** The account's single API key (VoiceTel issues one per account); any string, though real keys are 32 hex chars. */
    apiKey: string;
    /** Identifies the account for {@link VoiceTelSimulator.accountByNumber}; defaults to 1234567890 for the main account. */
    accountNumber?: number;
    /** User gateways present at start, created in order with ids from `firstRouteId`. Validated like the API. */
    gateways?: readonly string[];
    /** DIDs present at start; `route` defaults to 4 (`DID`). */
    dids?: readonly { number: string; route?: number }[];
}

export interface VoiceTelSimulatorOptions extends VoiceTelAccountOptions {
    /** Further accounts, each with its own key, routes and DIDs, to prove isolation between keys. */
    otherAccounts?: readonly (VoiceTelAccountOptions & { accountNumber: number })[];
    /** Static DNS: hostname (case-insensitive) → IPv4. Unlisted names do not resolve. */
    hosts?: Readonly<Record<string, string>>;
    /** Accept the TEST-NET blocks the spec's examples use (default true). */
    allowTestNets?: boolean;
    /** Allow two routes with the same address string (default false: the duplicate goes to `added_failed`). */
    allowDuplicateGateways?: boolean;
    /** Store `host` as `host:5060` (default false: stored exactly as sent; the vendor does not say it normalizes). */
    normalizeDefaultPort?: boolean;
    /** First user route id per account (default 1000, the spec's example; simulator choice: ids are never reused). */
    firstRouteId?: number;
}

interface StoreRules {
    address: AddressRules;
    allowDuplicateGateways: boolean;
    normalizeDefaultPort: boolean;
    firstRouteId: number;
    /** One key per account: a rotation must not hand out a key another account holds. */
    keyTaken: (key: string) => boolean;
}

type UpdateOutcome = "ok" | "invalidRoute" | "invalidGateway";

const DID_PATTERN = /^[2-9]\d{9}$/;

/**
 * One VoiceTel account: its key, user gateways and DIDs. Public methods are the out-of-band edits a user would make
 * in the vendor portal; they apply the same rules as the API and throw on what the API would refuse.
 */
export class VoiceTelAccount {
    private key: string;
    private readonly gateways = new Map<number, string>();
    private readonly dids = new Map<string, number>();
    private nextRouteId: number;

    constructor(
        private readonly seed: VoiceTelAccountOptions & { accountNumber: number },
        private readonly rules: StoreRules,
    ) {
        this.key = seed.apiKey;
        this.nextRouteId = rules.firstRouteId;
        this.reset();
    }

    get accountNumber(): number {
        return this.seed.accountNumber;
    }

    get apiKey(): string {
        return this.key;
    }

    /** Restores the seeded state (key, gateways, DIDs, id counter). */
    reset(): void {
        this.key = this.seed.apiKey;
        this.gateways.clear();
        this.dids.clear();
        this.nextRouteId = this.rules.firstRouteId;
        for (const gateway of this.seed.gateways ?? []) this.addRoute(gateway);
        for (const did of this.seed.dids ?? []) this.attachDids(did.route ?? VOICETEL_DEFAULT_DID_ROUTE, [did.number]);
    }

    /** Replaces the key as a portal password change would; the old key is refused (401) from now on. */
    rotateApiKey(newKey: string = randomBytes(16).toString("hex")): string {
        if (newKey === "") throw new Error("VoiceTel simulator: an API key cannot be empty");
        if (newKey !== this.key && this.rules.keyTaken(newKey)) {
            throw new Error("VoiceTel simulator: another account already holds that API key");
        }
        this.key = newKey;
        return newKey;
    }

    /** Every route in the order `gateways/list` returns them: system routes, then user gateways by ascending id. */
    listRoutes(): VoiceTelRoute[] {
        const system = [...VOICETEL_SYSTEM_ROUTES].map(([route, gateway]) => ({ route, gateway, system: true }));
        return [...system, ...this.userRoutes().map((route) => ({ ...route, system: false }))];
    }

    getRoute(route: number): VoiceTelRoute | undefined {
        const systemName = VOICETEL_SYSTEM_ROUTES.get(route);
        if (systemName !== undefined) return { route, gateway: systemName, system: true };
        const gateway = this.gateways.get(route);
        return gateway === undefined ? undefined : { route, gateway, system: false };
    }

    /** Adds a gateway out of band and returns its route id. */
    addRoute(gateway: string): number {
        const route = this.tryAdd(gateway);
        if (route === undefined) throw new Error(`VoiceTel simulator: the API would refuse gateway "${gateway}"`);
        return route;
    }

    /** Changes a user gateway's address out of band. */
    setRouteHost(route: number, gateway: string): void {
        const outcome = this.tryUpdate(route, gateway);
        if (outcome === "invalidRoute") throw new Error(`VoiceTel simulator: ${route} is not a user gateway`);
        if (outcome === "invalidGateway") {
            throw new Error(`VoiceTel simulator: the API would refuse gateway "${gateway}"`);
        }
    }

    /** Deletes a user gateway out of band; refused, like the API, while DIDs are routed to it. */
    deleteRoute(route: number): void {
        if (!this.gateways.has(route)) throw new Error(`VoiceTel simulator: ${route} is not a user gateway`);
        if (!this.tryRemove(route)) {
            throw new Error(`VoiceTel simulator: route ${route} still has DIDs routed to it`);
        }
    }

    /** Routes DIDs to a route (system or user), adding them to the account when new. */
    attachDids(route: number, numbers: readonly string[]): void {
        if (!this.isRoutable(route)) throw new Error(`VoiceTel simulator: route ${route} does not exist`);
        for (const number of numbers) {
            if (!DID_PATTERN.test(number)) throw new Error(`VoiceTel simulator: "${number}" is not a 10-digit DID`);
        }
        for (const number of numbers) this.dids.set(number, route);
    }

    /** Moves DIDs back to the default route 4 (`DID`), as un-routing them in the portal would. */
    detachDids(numbers: readonly string[]): void {
        for (const number of numbers) {
            if (!this.dids.has(number)) throw new Error(`VoiceTel simulator: DID ${number} is not on the account`);
        }
        for (const number of numbers) this.dids.set(number, VOICETEL_DEFAULT_DID_ROUTE);
    }

    /** Releases DIDs from the account. */
    removeDids(numbers: readonly string[]): void {
        for (const number of numbers) {
            if (!this.dids.has(number)) throw new Error(`VoiceTel simulator: DID ${number} is not on the account`);
        }
        for (const number of numbers) this.dids.delete(number);
    }

    /** DIDs by ascending number, optionally only those routed to `route`. */
    listDids(route?: number): VoiceTelDid[] {
        return [...this.dids]
            .filter(([, didRoute]) => route === undefined || didRoute === route)
            .map(([number, didRoute]) => ({ number, route: didRoute }))
            .sort((a, b) => a.number.localeCompare(b.number));
    }

    /** @internal User gateways by ascending id. */
    userRoutes(): { route: number; gateway: string }[] {
        return [...this.gateways].map(([route, gateway]) => ({ route, gateway })).sort((a, b) => a.route - b.route);
    }

    /** @internal Returns the new route id, or undefined when the API would put the string in `added_failed`. */
    tryAdd(gateway: string): number | undefined {
        const stored = this.storedForm(gateway);
        if (stored === undefined || this.isDuplicate(stored, undefined)) return undefined;
        const route = this.nextRouteId;
        this.nextRouteId += 1;
        this.gateways.set(route, stored);
        return route;
    }

    /** @internal */
    tryUpdate(route: number, gateway: string): UpdateOutcome {
        // Simulator choice: the route is checked before the address, so an unknown route with a bad address reports
        // "Invalid number or route" (the failure that makes the rest of the item meaningless).
        if (!this.gateways.has(route)) return "invalidRoute";
        const stored = this.storedForm(gateway);
        // Simulator choice: the duplicate rule of add also applies to update (so the store never holds duplicates
        // unless allowed); the vendor's only address message is reused because the enum offers nothing closer.
        if (stored === undefined || this.isDuplicate(stored, route)) return "invalidGateway";
        this.gateways.set(route, stored);
        return "ok";
    }

    /** @internal False when the route is not a user gateway or DIDs are routed to it. */
    tryRemove(route: number): boolean {
        if (!this.gateways.has(route) || this.listDids(route).length > 0) return false;
        this.gateways.delete(route);
        return true;
    }

    /** @internal The `ip` column of `numbers/list`: the gateway address, or the system route's name. */
    addressOf(route: number): string {
        return this.getRoute(route)?.gateway ?? "";
    }

    private isRoutable(route: number): boolean {
        return VOICETEL_SYSTEM_ROUTES.has(route) || this.gateways.has(route);
    }

    private storedForm(gateway: string): string | undefined {
        if (!isValidGateway(gateway, this.rules.address)) return undefined;
        return this.rules.normalizeDefaultPort && !hasPort(gateway) ? `${gateway}:5060` : gateway;
    }

    private isDuplicate(stored: string, except: number | undefined): boolean {
        if (this.rules.allowDuplicateGateways) return false;
        return [...this.gateways].some(([route, gateway]) => route !== except && gateway === stored);
    }
}

type Body = Record<string, unknown>;
type Parsed<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

function answer(status: number, body: Record<string, unknown>): SimResponse {
    return { status, body };
}

/** The common error body (`errorResponse`); HTTP status and `statusCode` always agree (simulator choice). */
function errorResponse(status: number, message: string, headers?: Record<string, string>): SimResponse {
    return { status, body: { statusCode: String(status), status: "Error", message }, ...(headers ? { headers } : {}) };
}

function fail<T>(status: number, message: string): Parsed<T> {
    return { ok: false, response: errorResponse(status, message) };
}

function isObject(value: unknown): value is Body {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates the whole batch before touching state: a malformed item makes the request a 400 and nothing is applied.
 * Simulator choice: the vendor documents per-item failures only for semantic problems (bad route, bad address), so
 * schema violations (missing field, wrong JSON type) are treated as a bad request for the whole batch.
 */
function parseBatch<T>(
    body: Body,
    arrayField: string,
    fields: Record<keyof T & string, "string" | "integer">,
): Parsed<T[]> {
    const items = body[arrayField];
    if (items === undefined || items === null) return fail(400, fieldRequired(arrayField));
    if (!Array.isArray(items)) return fail(400, invalidField(arrayField));
    const parsed: T[] = [];
    for (const item of items as unknown[]) {
        if (!isObject(item)) return fail(400, invalidField(arrayField));
        for (const [name, type] of Object.entries(fields)) {
            const value = item[name];
            if (value === undefined || value === null) return fail(400, fieldRequired(name));
            const typeOk = type === "string" ? typeof value === "string" : Number.isSafeInteger(value);
            if (!typeOk) return fail(400, invalidField(name));
        }
        parsed.push(item as T);
    }
    return { ok: true, value: parsed };
}

export class VoiceTelSimulator {
    readonly server: SimulatorServer;
    private readonly accounts: VoiceTelAccount[];
    // Everything is POST, reads included (documented); the trailing slash is optional: the spec's paths carry it,
    // the vendor's own examples sometimes omit it.
    private readonly router = new Router<SimRequest, SimResponse>(
        [
            { method: "POST", path: /\/v2\.1\/gateways\/list\/?/, handler: this.authorized(gatewaysList) },
            { method: "POST", path: /\/v2\.1\/gateways\/add\/?/, handler: this.authorized(gatewaysAdd) },
            { method: "POST", path: /\/v2\.1\/gateways\/update\/?/, handler: this.authorized(gatewaysUpdate) },
            { method: "POST", path: /\/v2\.1\/gateways\/remove\/?/, handler: this.authorized(gatewaysRemove) },
            { method: "POST", path: /\/v2\.1\/numbers\/list\/?/, handler: this.authorized(numbersList) },
        ],
        {
            notFound: () => errorResponse(404, VOICETEL_MESSAGES.notFound),
            // 405 and its body are a simulator choice.
            methodNotAllowed: (_req, allow) =>
                errorResponse(405, VOICETEL_MESSAGES.methodNotAllowed, { Allow: allow.join(", ") }),
        },
    );

    constructor(options: VoiceTelSimulatorOptions) {
        const firstRouteId = options.firstRouteId ?? 1000;
        if (!Number.isSafeInteger(firstRouteId) || firstRouteId <= RESERVED_ROUTE_MAX) {
            throw new Error(`VoiceTel simulator: firstRouteId must be an integer above ${RESERVED_ROUTE_MAX}`);
        }
        const hosts = new Map<string, string>();
        for (const [name, ip] of Object.entries(options.hosts ?? {})) {
            if (!isIpv4Literal(ip)) throw new Error(`VoiceTel simulator: hosts["${name}"] must be an IPv4 address`);
            hosts.set(name.toLowerCase(), ip);
        }
        const rules: StoreRules = {
            address: { hosts, allowTestNets: options.allowTestNets ?? true },
            allowDuplicateGateways: options.allowDuplicateGateways ?? false,
            normalizeDefaultPort: options.normalizeDefaultPort ?? false,
            firstRouteId,
            keyTaken: (key) => this.accounts.some((account) => account.apiKey === key),
        };
        const seeds = [
            { ...options, accountNumber: options.accountNumber ?? VOICETEL_DEFAULT_ACCOUNT_NUMBER },
            ...(options.otherAccounts ?? []),
        ];
        const keys = seeds.map((seed) => seed.apiKey);
        const numbers = seeds.map((seed) => seed.accountNumber);
        if (keys.includes("") || new Set(keys).size !== keys.length || new Set(numbers).size !== numbers.length) {
            throw new Error("VoiceTel simulator: API keys must be non-empty and keys and account numbers unique");
        }
        this.accounts = seeds.map((seed) => new VoiceTelAccount(seed, rules));
        this.server = new SimulatorServer("voicetel", (req) => this.router.dispatch(req));
    }

    /** Starts the server; clients append the documented paths (e.g. `/v2.1/gateways/list/`) to the returned URL. */
    start(port?: number): Promise<string> {
        return this.server.start(port);
    }

    stop(): Promise<void> {
        return this.server.stop();
    }

    /** Restores every account's seeded state and clears faults, the request log, latency and the rate-limit window. */
    reset(): void {
        for (const account of this.accounts) account.reset();
        this.server.clearFaults();
        this.server.clearLog();
        this.server.latencyMs = 0;
    }

    /** The main account (the one described by the top-level options). */
    get account(): VoiceTelAccount {
        const [main] = this.accounts;
        if (main === undefined) throw new Error("unreachable: the main account always exists");
        return main;
    }

    accountByNumber(accountNumber: number): VoiceTelAccount {
        const found = this.accounts.find((account) => account.accountNumber === accountNumber);
        if (found === undefined) throw new Error(`VoiceTel simulator: no account ${accountNumber}`);
        return found;
    }

    // Out-of-band edits on the main account; see VoiceTelAccount for other accounts.

    listRoutes(): VoiceTelRoute[] {
        return this.account.listRoutes();
    }

    getRoute(route: number): VoiceTelRoute | undefined {
        return this.account.getRoute(route);
    }

    addRoute(gateway: string): number {
        return this.account.addRoute(gateway);
    }

    setRouteHost(route: number, gateway: string): void {
        this.account.setRouteHost(route, gateway);
    }

    deleteRoute(route: number): void {
        this.account.deleteRoute(route);
    }

    attachDids(route: number, numbers: readonly string[]): void {
        this.account.attachDids(route, numbers);
    }

    detachDids(numbers: readonly string[]): void {
        this.account.detachDids(numbers);
    }

    removeDids(numbers: readonly string[]): void {
        this.account.removeDids(numbers);
    }

    listDids(route?: number): VoiceTelDid[] {
        return this.account.listDids(route);
    }

    rotateApiKey(newKey?: string): string {
        return this.account.rotateApiKey(newKey);
    }

    /** Every endpoint reads a JSON body and authenticates its key (header or body) before it runs. */
    private authorized(run: (account: VoiceTelAccount, body: Body) => SimResponse): (req: SimRequest) => SimResponse {
        return (req) => {
            const body = parseBody(req);
            if (!body.ok) return body.response;
            const account = this.authenticate(req, body.value);
            if (!account.ok) return account.response;
            return run(account.value, body.value);
        };
    }

    /**
     * The key travels as `Authorization: Bearer <key>` or as body field `apikey`; when both are present the header
     * wins (documented). A missing key is 400 `Field Required: apikey` (documented example); a wrong one 401.
     */
    private authenticate(req: SimRequest, body: Body): Parsed<VoiceTelAccount> {
        const header = req.headers.authorization;
        let key: string;
        // Simulator choice: an empty Authorization header counts as absent rather than as a wrong key.
        if (header !== undefined && header.trim() !== "") {
            // Simulator choice: a header with another scheme, or "Bearer" without a token, is a wrong key (401):
            // the header wins, so the body key is not consulted.
            const match = /^Bearer +(\S+) *$/i.exec(header);
            if (match?.[1] === undefined) return fail(401, VOICETEL_MESSAGES.unauthorized);
            key = match[1];
        } else {
            const bodyKey = body.apikey;
            if (bodyKey === undefined || bodyKey === null || bodyKey === "") return fail(400, fieldRequired("apikey"));
            if (typeof bodyKey !== "string") return fail(400, invalidField("apikey"));
            key = bodyKey;
        }
        const account = this.accounts.find((candidate) => candidate.apiKey === key);
        return account === undefined ? fail(401, VOICETEL_MESSAGES.unauthorized) : { ok: true, value: account };
    }
}

/**
 * Simulator choices: an empty body is `{}` (so `list` with the key only in the header works; the vendor documents the
 * header alone as sufficient); a non-empty body must be declared `application/json` (the only media type in the spec) and be
 * a JSON object.
 */
function parseBody(req: SimRequest): Parsed<Body> {
    if (req.rawBody.trim() === "") return { ok: true, value: {} };
    const mediaType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (mediaType !== "application/json") return fail(400, VOICETEL_MESSAGES.badContentType);
    let parsed: unknown;
    try {
        parsed = JSON.parse(req.rawBody);
    } catch {
        return fail(400, VOICETEL_MESSAGES.badJson);
    }
    return isObject(parsed) ? { ok: true, value: parsed } : fail(400, VOICETEL_MESSAGES.badJson);
}

/** `gatewaysListResponse`: no `message`; route ids are strings; system routes first. */
function gatewaysList(account: VoiceTelAccount): SimResponse {
    const gateways = account.listRoutes().map(({ route, gateway }) => ({ route: String(route), gateway }));
    return answer(200, { statusCode: "200", status: "Success", gateways });
}

/**
 * `gatewaysAddResponse` lists every user gateway after the add with keys `route` (string) and `IP`, and does not say
 * which are new (documented). Simulator choice: system routes are not in it, rows ascend by id.
 * Any failed item turns the answer into a 409 whose `added_success` items are nonetheless committed.
 */
function gatewaysAdd(account: VoiceTelAccount, body: Body): SimResponse {
    const items = parseBatch<{ gateway: string }>(body, "gateways", { gateway: "string" });
    if (!items.ok) return items.response;
    const added: string[] = [];
    const failed: string[] = [];
    for (const { gateway } of items.value) {
        // Simulator choice: both arrays echo the strings as submitted (the docs call them "gateway strings").
        (account.tryAdd(gateway) === undefined ? failed : added).push(gateway);
    }
    if (failed.length > 0) {
        return answer(409, {
            statusCode: "409",
            status: "Error",
            message: VOICETEL_MESSAGES.addConflict,
            added_success: added,
            added_failed: failed,
        });
    }
    const gateways = account.userRoutes().map(({ route, gateway }) => ({ route: String(route), IP: gateway }));
    return answer(200, { statusCode: "200", status: "Success", message: VOICETEL_MESSAGES.gatewaysEntered, gateways });
}

/** `gatewaysUpdateResponse`: route ids are integers here; items are applied in order, so a repeated route's last wins. */
function gatewaysUpdate(account: VoiceTelAccount, body: Body): SimResponse {
    const items = parseBatch<{ route: number; gateway: string }>(body, "gateways", {
        route: "integer",
        gateway: "string",
    });
    if (!items.ok) return items.response;
    const updated: { gateway: string; route: number }[] = [];
    const failed: { gateway: string; route: number; message: string }[] = [];
    for (const { route, gateway } of items.value) {
        const outcome = account.tryUpdate(route, gateway);
        if (outcome === "ok") {
            updated.push({ gateway: account.addressOf(route), route });
        } else {
            const message =
                outcome === "invalidRoute" ? VOICETEL_MESSAGES.invalidRoute : VOICETEL_MESSAGES.invalidGateway;
            failed.push({ gateway, route, message });
        }
    }
    if (failed.length > 0) {
        return answer(409, {
            statusCode: "409",
            status: "Error",
            message: VOICETEL_MESSAGES.updateConflict,
            update_success: updated,
            update_failed: failed,
        });
    }
    return answer(200, {
        statusCode: "200",
        status: "Success",
        message: VOICETEL_MESSAGES.gatewayUpdated,
        gateways: updated,
    });
}

/**
 * `gatewaysRemoveResponse`. The body field is `routes` (the older spec listed `gateways`, a bug fixed by v2.1.5). Per
 * item (simulator choice): routes without DIDs go, others (and unknown or system routes) land in `removed_failed`.
 */
function gatewaysRemove(account: VoiceTelAccount, body: Body): SimResponse {
    const items = parseBatch<{ route: number }>(body, "routes", { route: "integer" });
    if (!items.ok) return items.response;
    const removed: { route: number }[] = [];
    const failed: { route: number }[] = [];
    for (const { route } of items.value) (account.tryRemove(route) ? removed : failed).push({ route });
    if (failed.length > 0) {
        return answer(409, {
            statusCode: "409",
            status: "Error",
            message: VOICETEL_MESSAGES.removeConflict,
            removed_success: removed,
            removed_failed: failed,
        });
    }
    return answer(200, {
        statusCode: "200",
        status: "Success",
        message: VOICETEL_MESSAGES.gatewaysRemoved,
        routes: removed,
    });
}

/** Simulator choice: filters are optional, but one that is present must have its documented type (integer). */
function optionalInteger(body: Body, name: string): Parsed<number | undefined> {
    const value = body[name];
    if (value === undefined || value === null) return { ok: true, value: undefined };
    return typeof value === "number" && Number.isSafeInteger(value) && value >= 0
        ? { ok: true, value }
        : fail(400, invalidField(name));
}

/**
 * `numbers/list` with optional `route` (integer) and `number` (integer, partial match) filters. No match is a 404
 * whose error value sits in `numbers`, not `message` (documented quirk).
 */
function numbersList(account: VoiceTelAccount, body: Body): SimResponse {
    const route = optionalInteger(body, "route");
    if (!route.ok) return route.response;
    const number = optionalInteger(body, "number");
    if (!number.ok) return number.response;
    const fragment = number.value === undefined ? "" : String(number.value);
    const rows = account
        .listDids(route.value)
        .filter((did) => did.number.includes(fragment))
        .map((did) => ({ number: did.number, route: String(did.route), ip: account.addressOf(did.route) }));
    if (rows.length === 0) {
        return answer(404, { statusCode: "404", status: "Error", numbers: VOICETEL_MESSAGES.numbersNotFound });
    }
    return answer(200, { statusCode: "200", status: "Success", numbers: rows });
}
