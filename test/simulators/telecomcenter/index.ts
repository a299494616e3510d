import { randomUUID } from "node:crypto";

import { Router, type RouteParams } from "../core/router";
import { SimulatorServer, type SimRequest, type SimResponse } from "../core/server";

/**
 * A stateful simulator of the telecom.center Operator API, `termination_gateways` resource.
 *
 * Spec: telecom.center's Operator API documentation; where it is silent the comment next to the code says
 * "undocumented" and what the simulator does instead. The documented error bodies suggest the server is Rails with
 * jsonapi-resources (JR), so error codes, titles, details and the order of checks copy JR's defaults (read from
 * cerebris/jsonapi-resources `lib/jsonapi/{exceptions,request,paginator,acts_as_resource_controller}.rb`). Where
 * neither the vendor nor JR decides, the simulator picks the strictest plausible answer, so that a client that
 * works here also works against the real API; every such place carries a "Strict choice" comment.
 */

export const MEDIA_TYPE = "application/vnd.api+json";
export const OPERATOR_API_PREFIX = "/api/rest/public/operator";

const GATEWAYS_PATH = `${OPERATOR_API_PREFIX}/termination_gateways`;
const GATEWAY_PATH = new RegExp(`${GATEWAYS_PATH}/(?<id>[^/]+)`);
const GATEWAY_TYPE = "termination_gateways";
const CUSTOMER_TYPE = "customers";

export const CODECS = ["g729", "G722", "GSM", "PCMA", "PCMU", "OPUS", "telephone-event/8000"] as const;
export type Codec = (typeof CODECS)[number];
export const NETWORK_PROTOCOLS = ["IPv4_only", "IPv6_only", "IPv4_pref", "IPv6_pref", "Dualstack"] as const;
export type NetworkProtocol = (typeof NETWORK_PROTOCOLS)[number];
/** The documented example default; the real default depends on the commercial account's configuration. */
export const DEFAULT_CODECS: readonly Codec[] = ["PCMU", "PCMA", "telephone-event/8000"];
export const DEFAULT_NETWORK_PROTOCOL: NetworkProtocol = "IPv4_only";

/** The writable wire attributes of a gateway (snake_case, exactly as on the wire). */
export interface GatewayAttributes {
    name: string;
    host: string;
    port: number | null;
    src_rewrite_rule: string | null;
    src_rewrite_result: string | null;
    dst_rewrite_rule: string | null;
    dst_rewrite_result: string | null;
    authorization_name: string | null;
    authorization_password: string | null;
    codecs: Codec[];
    network_protocol: NetworkProtocol;
}

export interface GatewayRecord extends GatewayAttributes {
    id: string;
    /** The owning customer (the not-updatable `customer` relationship). */
    customer_id: string;
    /** Read-only on the wire: true when created through the API or by staff, false when created in the customer UI. */
    operator: boolean;
}

export interface CustomerRecord {
    id: string;
    name: string;
    language: "EN" | "RU" | "LT" | "LV";
    capacity_limit: number | null;
    sip_account_limit: number | null;
}

/** Just enough of `termination_routes` to model the documented gateway→route delete cascade. */
export interface RouteRecord {
    id: string;
    customer_id: string;
    gateway_id: string;
    name: string;
}

export interface JsonApiError {
    title: string;
    detail: string;
    code: string;
    source?: { pointer: string };
    status: string;
}

export interface TelecomCenterSimulatorOptions {
    username: string;
    password: string;
    /**
     * Answer `authorization_password: null` in every response instead of echoing the stored value. Undocumented
     * whether the API echoes it; the docs' examples show it in clear text, so echoing is the default.
     */
    maskPasswords?: boolean;
    /** The largest accepted `page[size]` (undocumented); default 100. */
    pageSizeMax?: number;
}

/** Input of the out-of-band create: what a user (or staff) would type in the vendor UI. */
export type OutOfBandGatewayInput = Pick<GatewayAttributes, "name" | "host"> &
    Partial<GatewayAttributes> & { operator?: boolean };

// Order of the docs' attribute table; also the serialisation order of the documented examples (after `operator`).
const WRITABLE_ATTRIBUTES = [
    "name",
    "host",
    "port",
    "src_rewrite_rule",
    "src_rewrite_result",
    "dst_rewrite_rule",
    "dst_rewrite_result",
    "authorization_name",
    "authorization_password",
    "codecs",
    "network_protocol",
] as const satisfies readonly (keyof GatewayAttributes)[];
type WritableAttribute = (typeof WRITABLE_ATTRIBUTES)[number];

const GATEWAY_FIELDS = ["id", "operator", ...WRITABLE_ATTRIBUTES, "customer"] as const;
const CUSTOMER_ATTRIBUTES = ["name", "language", "capacity_limit", "sip_account_limit"] as const;
const CUSTOMER_FIELDS = ["id", ...CUSTOMER_ATTRIBUTES] as const;
const FILTERS = ["id", "customer.id", "name", "host"] as const;
type FilterKey = (typeof FILTERS)[number];
// Undocumented which fields sort; these four do, others answer 400 code 114. The default order is creation order.
const SORTABLE = ["id", "name", "host", "port"] as const;
type SortField = (typeof SORTABLE)[number];
const DEFAULT_PAGE_SIZE = 50;
const MAX_PORT = 65535;

type Action = "index" | "show" | "create" | "update" | "destroy";
type QueryFamily = "fields" | "include" | "filter" | "sort" | "page";

const QUERY_FAMILIES: Record<Action, readonly QueryFamily[]> = {
    index: ["fields", "include", "filter", "sort", "page"],
    show: ["fields", "include"],
    create: ["fields", "include"],
    update: ["fields", "include"],
    // Strict choice: JR ignores query parameters on destroy; nothing documents any, so none is accepted.
    destroy: [],
};

interface ParsedQuery {
    /** Sparse fieldsets by resource type; a type that is absent means "every field". */
    fields: Map<string, Set<string>>;
    includeCustomer: boolean;
    filters: Map<FilterKey, string[]>;
    sort: { field: SortField; descending: boolean }[];
    page: { number: number; size: number };
    /** The query parameters JR copies into pagination links (everything except `page`). */
    linkParams: [string, string][];
}

class ApiFailure extends Error {
    constructor(
        readonly status: number,
        readonly errors: JsonApiError[],
        readonly headers: Record<string, string> = {},
    ) {
        super(`HTTP ${status}: ${errors.map((error) => error.detail).join("; ")}`);
    }
}

// JR's `JSONAPI::Error#to_hash` member order: title, detail, code, source, status.
function jrError(status: number, code: string, title: string, detail: string, pointer?: string): JsonApiError {
    return { title, detail, code, ...(pointer === undefined ? {} : { source: { pointer } }), status: String(status) };
}

const errors = {
    invalidResource: (type: string) => jrError(400, "101", "Invalid resource", `${type} is not a valid resource.`),
    filterNotAllowed: (filter: string) => jrError(400, "102", "Filter not allowed", `${filter} is not allowed.`),
    invalidField: (type: string, field: string) =>
        jrError(400, "104", "Invalid field", `${field} is not a valid field for ${type}.`),
    paramNotAllowed: (param: string) => jrError(400, "105", "Param not allowed", `${param} is not allowed.`),
    pageParamNotAllowed: (param: string) =>
        jrError(400, "105", "Page parameter not allowed", `${param} is not an allowed page parameter.`),
    paramMissing: (param: string) =>
        jrError(400, "106", "Missing Parameter", `The required parameter, ${param}, is missing.`),
    missingKey: () => jrError(400, "109", "A key is required", "The resource object does not contain a key."),
    keyNotInUrl: (key: string) =>
        jrError(400, "110", "Key is not included in URL", `The URL does not support the key ${key}`),
    invalidInclude: (type: string, relationship: string) =>
        jrError(400, "112", "Invalid field", `${relationship} is not a valid includable relationship of ${type}`),
    invalidSort: (field: string) =>
        jrError(400, "114", "Invalid sort criteria", `${field} is not a valid sort criteria for ${GATEWAY_TYPE}`),
    invalidLinksObject: () => jrError(400, "115", "Invalid Links Object", "Data is not a valid Links Object."),
    typeMismatch: (type: string) =>
        jrError(400, "116", "Type Mismatch", `${type} is not a valid type for this operation.`),
    invalidPageObject: () => jrError(400, "117", "Invalid Page Object", "Invalid Page Object."),
    invalidPageValue: (page: string, value: string, detail?: string) =>
        jrError(
            400,
            "118",
            "Invalid page value",
            detail ?? `${value} is not a valid value for ${page} page parameter.`,
        ),
    invalidFieldFormat: () => jrError(400, "119", "Invalid field format", "Fields must specify a type."),
    invalidFiltersSyntax: (filters: string) =>
        jrError(400, "120", "Invalid filters syntax", `${filters} is not a valid syntax for filtering.`),
    invalidDataFormat: () => jrError(400, "122", "Invalid data format", "Data must be a hash."),
    badRequest: (detail: string) => jrError(400, "400", "Bad Request", detail),
    recordNotFound: (id: string) =>
        jrError(404, "404", "Record not found", `The record identified by ${id} could not be found.`),
    validation: (field: string, message: string, relationship = false) =>
        jrError(
            422,
            "100",
            message,
            `${field} - ${message}`,
            relationship ? `/data/relationships/${field}` : `/data/attributes/${field}`,
        ),
};

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
    return typeof value === "string" && (list as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Renders a client-supplied value for an error detail, as Ruby's string interpolation roughly would. */
function display(value: unknown): string {
    if (typeof value === "string") return value;
    // JSON.stringify is typed as returning string, but it returns undefined for undefined and functions.
    const json = JSON.stringify(value) as string | undefined;
    return json ?? "undefined";
}

/** Rails' `CGI.escape`, which `Hash#to_query` uses for the pagination links. */
function cgiEscape(text: string): string {
    return encodeURIComponent(text)
        .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, "+");
}

/**
 * Returns the validation message for one attribute value, or undefined when it is valid. The rules are
 * undocumented: `host` non-empty, `port` 1–65535, `codecs` a non-empty list from the enum without duplicates,
 * `network_protocol` from the enum. The messages are Rails' stock ones where Rails has one. Strict choice: a JSON
 * type that Rails would silently cast (e.g. `"5060"` for port, `123` for name) is rejected, because the real
 * casting rules are unknown.
 */
function attributeError(name: WritableAttribute, value: unknown): string | undefined {
    switch (name) {
        case "name":
        case "host":
            if (value === null || value === undefined) return "can't be blank";
            if (typeof value !== "string") return "must be a string";
            return value.trim() === "" ? "can't be blank" : undefined;
        case "port":
            if (value === null) return undefined;
            if (typeof value !== "number" || !Number.isFinite(value)) return "is not a number";
            if (!Number.isInteger(value)) return "must be an integer";
            if (value < 1) return "must be greater than or equal to 1";
            if (value > MAX_PORT) return `must be less than or equal to ${MAX_PORT}`;
            return undefined;
        case "codecs": {
            // Strict choice: null and [] are both "blank"; the server would otherwise have no codec to offer.
            if (value === null || value === undefined) return "can't be blank";
            if (!Array.isArray(value)) return "must be an array";
            const items: unknown[] = value;
            if (items.length === 0) return "can't be blank";
            // Exact, case-sensitive names: the documented list mixes `g729` with upper-case names.
            if (!items.every((item) => isOneOf(CODECS, item))) return "is not included in the list";
            return new Set(items).size === items.length ? undefined : "contains duplicate values";
        }
        case "network_protocol":
            return isOneOf(NETWORK_PROTOCOLS, value) ? undefined : "is not included in the list";
        case "src_rewrite_rule":
        case "src_rewrite_result":
        case "dst_rewrite_rule":
        case "dst_rewrite_result":
        case "authorization_name":
        case "authorization_password":
            // Regex validity is not checked (undocumented, and the vendor's dialect is POSIX, not JS).
            return value === null || typeof value === "string" ? undefined : "must be a string";
    }
}

interface FieldError {
    field: string;
    message: string;
    relationship: boolean;
}

/**
 * Validates attributes whose keys are already known to be writable. On create a missing required attribute is
 * "blank"; on update only the attributes present are checked (PATCH is partial).
 */
function validateAttributes(
    input: Record<string, unknown>,
    mode: "create" | "update",
): { values: Partial<GatewayAttributes>; problems: FieldError[] } {
    const values: Record<string, unknown> = {};
    const problems: FieldError[] = [];
    for (const name of WRITABLE_ATTRIBUTES) {
        const present = Object.prototype.hasOwnProperty.call(input, name);
        if (!present && !(mode === "create" && (name === "name" || name === "host"))) continue;
        const value = input[name];
        const message = attributeError(name, value);
        if (message !== undefined) {
            problems.push({ field: name, message, relationship: false });
        } else {
            values[name] = Array.isArray(value) ? [...value] : value;
        }
    }
    return { values, problems };
}

/** The body is invented (Rails' production 404 is not JSON:API); clients should not parse it. */
function routeNotFound(request: SimRequest): never {
    throw new ApiFailure(404, [
        jrError(404, "404", "Route not found", `No route matches [${request.method}] "${request.path}"`),
    ]);
}

function copyGateway(record: GatewayRecord): GatewayRecord {
    return { ...record, codecs: [...record.codecs] };
}

export class TelecomCenterSimulator {
    readonly server: SimulatorServer;
    /** See the `maskPasswords` option; may be flipped between requests. */
    maskPasswords: boolean;
    readonly pageSizeMax: number;
    private readonly username: string;
    private readonly password: string;
    private readonly customerStore = new Map<string, CustomerRecord>();
    // Map iteration order is insertion order, which is the default (creation) order of list responses.
    private readonly gatewayStore = new Map<string, GatewayRecord>();
    private readonly routeStore = new Map<string, RouteRecord>();
    /**
     * Strict choice: only the documented routes exist. Rails would also route PUT to update, tolerate a trailing
     * slash and serve relationship routes; a client must not rely on any of those, so they answer 404 here. Rails
     * routes before any controller filter runs, so an unknown route is a 404 even without credentials, and a known
     * path with another method is no route either (no 405).
     */
    private readonly router = new Router<SimRequest, SimResponse>(
        [
            { method: "GET", path: GATEWAYS_PATH, handler: this.action("no-body", (r, url) => this.index(r, url)) },
            { method: "POST", path: GATEWAYS_PATH, handler: this.action("body", (r, url) => this.create(r, url)) },
            {
                method: "GET",
                path: GATEWAY_PATH,
                handler: this.action("no-body", (r, url, id) => this.show(r, url, id)),
            },
            {
                method: "PATCH",
                path: GATEWAY_PATH,
                handler: this.action("body", (r, url, id) => this.update(r, url, id)),
            },
            {
                method: "DELETE",
                path: GATEWAY_PATH,
                handler: this.action("no-body", (r, _url, id) => this.destroy(r, id)),
            },
        ],
        { notFound: routeNotFound, methodNotAllowed: routeNotFound },
    );

    constructor(options: TelecomCenterSimulatorOptions) {
        const pageSizeMax = options.pageSizeMax ?? 100;
        if (!Number.isInteger(pageSizeMax) || pageSizeMax < 1) {
            throw new Error(`pageSizeMax must be a positive integer, got ${String(pageSizeMax)}`);
        }
        this.username = options.username;
        this.password = options.password;
        this.maskPasswords = options.maskPasswords ?? false;
        this.pageSizeMax = pageSizeMax;
        this.server = new SimulatorServer("telecom.center", (request) => this.handle(request));
    }

    /** Returns the base URL (`http://127.0.0.1:PORT`); clients append `/api/rest/public/operator/...`. */
    start(): Promise<string> {
        return this.server.start();
    }

    stop(): Promise<void> {
        return this.server.stop();
    }

    // ---- Out-of-band access (what a user of the vendor UI, or telecom.center staff, would do) ----

    addCustomer(id: string, name?: string): CustomerRecord {
        if (this.customerStore.has(id)) throw new Error(`customer ${id} already exists`);
        const customer: CustomerRecord = {
            id,
            name: name ?? `Customer ${id}`,
            language: "EN",
            capacity_limit: null,
            sip_account_limit: null,
        };
        this.customerStore.set(id, customer);
        return { ...customer };
    }

    /** Deleting a customer cascades to its gateways and routes (undocumented; like the gateway→route cascade). */
    deleteCustomer(id: string): void {
        if (!this.customerStore.delete(id)) throw new Error(`customer ${id} does not exist`);
        for (const gateway of [...this.gatewayStore.values()]) {
            if (gateway.customer_id === id) this.removeGateway(gateway.id);
        }
        for (const route of [...this.routeStore.values()]) {
            if (route.customer_id === id) this.routeStore.delete(route.id);
        }
    }

    /** Every gateway, in creation order (copies: editing them does not change the store). */
    gateways(): GatewayRecord[] {
        return [...this.gatewayStore.values()].map(copyGateway);
    }

    getGateway(id: string): GatewayRecord | undefined {
        const record = this.gatewayStore.get(id);
        return record === undefined ? undefined : copyGateway(record);
    }

    /**
     * Creates a gateway as the customer UI would; `operator` defaults to false for that reason. The API's
     * validation rules apply (the UI writes through the same model), so an invalid input throws.
     */
    createGateway(customerId: string, attrs: OutOfBandGatewayInput): GatewayRecord {
        if (!this.customerStore.has(customerId)) throw new Error(`customer ${customerId} does not exist`);
        const { operator, ...rest } = attrs;
        const values = this.checkOutOfBand(rest, "create");
        return copyGateway(this.insertGateway(customerId, values, operator ?? false));
    }

    /** Edits a gateway as the customer UI would (drift). The API's validation rules apply. */
    editGateway(id: string, attributesPatch: Partial<GatewayAttributes>): GatewayRecord {
        const record = this.gatewayStore.get(id);
        if (record === undefined) throw new Error(`gateway ${id} does not exist`);
        const values = this.checkOutOfBand(attributesPatch, "update");
        Object.assign(record, values);
        return copyGateway(record);
    }

    /** Deletes a gateway out of band; its routes go with it, as on the API. */
    deleteGateway(id: string): void {
        if (!this.gatewayStore.has(id)) throw new Error(`gateway ${id} does not exist`);
        this.removeGateway(id);
    }

    addRoute(customerId: string, gatewayId: string, name = "route"): RouteRecord {
        const gateway = this.gatewayStore.get(gatewayId);
        if (gateway === undefined) throw new Error(`gateway ${gatewayId} does not exist`);
        if (gateway.customer_id !== customerId) throw new Error(`gateway ${gatewayId} belongs to another customer`);
        const route: RouteRecord = { id: randomUUID(), customer_id: customerId, gateway_id: gatewayId, name };
        this.routeStore.set(route.id, route);
        return { ...route };
    }

    routes(): RouteRecord[] {
        return [...this.routeStore.values()].map((route) => ({ ...route }));
    }

    private checkOutOfBand(input: Record<string, unknown>, mode: "create" | "update"): Partial<GatewayAttributes> {
        const unknown = Object.keys(input).filter((key) => !isOneOf(WRITABLE_ATTRIBUTES, key));
        if (unknown.length > 0) throw new Error(`not writable gateway attributes: ${unknown.join(", ")}`);
        const { values, problems } = validateAttributes(input, mode);
        if (problems.length > 0) {
            throw new Error(`invalid gateway: ${problems.map((p) => `${p.field} - ${p.message}`).join("; ")}`);
        }
        return values;
    }

    private insertGateway(customerId: string, values: Partial<GatewayAttributes>, operator: boolean): GatewayRecord {
        const record: GatewayRecord = {
            id: randomUUID(),
            customer_id: customerId,
            operator,
            name: values.name ?? "",
            host: values.host ?? "",
            // Undocumented: an omitted port reads back as null (the documented example), not as the documented 5060.
            port: values.port ?? null,
            src_rewrite_rule: values.src_rewrite_rule ?? null,
            src_rewrite_result: values.src_rewrite_result ?? null,
            dst_rewrite_rule: values.dst_rewrite_rule ?? null,
            dst_rewrite_result: values.dst_rewrite_result ?? null,
            authorization_name: values.authorization_name ?? null,
            authorization_password: values.authorization_password ?? null,
            codecs: values.codecs ?? [...DEFAULT_CODECS],
            network_protocol: values.network_protocol ?? DEFAULT_NETWORK_PROTOCOL,
        };
        this.gatewayStore.set(record.id, record);
        return record;
    }

    /** The documented side effect: deleting a gateway deletes every route linked to it. */
    private removeGateway(id: string): void {
        this.gatewayStore.delete(id);
        for (const route of [...this.routeStore.values()]) {
            if (route.gateway_id === id) this.routeStore.delete(route.id);
        }
    }

    // ---- HTTP ----

    private handle(request: SimRequest): SimResponse {
        try {
            return this.router.dispatch(request);
        } catch (error) {
            if (error instanceof ApiFailure) {
                return {
                    status: error.status,
                    headers: { "Content-Type": MEDIA_TYPE, ...error.headers },
                    body: { errors: error.errors },
                };
            }
            throw error;
        }
    }

    /**
     * A controller action behind JR's filters. Strict choice: authentication runs before JR's media-type checks (an
     * application before_action), so a client with bad credentials always learns that first. JR order: Content-Type
     * (actions with a body only; undocumented for GET/DELETE), then Accept (every method).
     */
    private action(
        kind: "body" | "no-body",
        run: (request: SimRequest, baseUrl: string, id: string) => SimResponse,
    ): (request: SimRequest, params: RouteParams) => SimResponse {
        return (request, params) => {
            this.authenticate(request);
            if (kind === "body") this.checkContentType(request);
            this.checkAccept(request);
            const baseUrl = `http://${request.headers.host ?? "127.0.0.1"}`;
            return run(request, baseUrl, params.id ?? "");
        };
    }

    private authenticate(request: SimRequest): void {
        const header = request.headers.authorization ?? "";
        const space = header.indexOf(" ");
        const scheme = space < 0 ? header : header.slice(0, space);
        let ok = false;
        // Rails compares the scheme case-insensitively and decodes the base64 leniently.
        if (scheme.toLowerCase() === "basic") {
            const decoded = Buffer.from(header.slice(space + 1).trim(), "base64").toString("utf8");
            const colon = decoded.indexOf(":");
            ok = colon >= 0 && decoded.slice(0, colon) === this.username && decoded.slice(colon + 1) === this.password;
        }
        if (!ok) {
            // Undocumented body and header; this is JR's and Rails' Basic-auth answer.
            throw new ApiFailure(401, [jrError(401, "401", "Unauthorized", "Invalid credentials")], {
                "WWW-Authenticate": 'Basic realm="Operator API"',
            });
        }
    }

    /**
     * Documented (HDR): the Content-Type must be exactly the JSON:API media type; parameters such as a charset give
     * 415. Strict choice: the comparison is byte-exact (no case folding, no whitespace trimming), and a missing
     * header is a 415 too (JR's behaviour).
     */
    private checkContentType(request: SimRequest): void {
        const contentType = request.headers["content-type"];
        if (contentType !== MEDIA_TYPE) {
            throw new ApiFailure(415, [
                jrError(
                    415,
                    "415",
                    "Unsupported media type",
                    `All requests that create or update must use the '${MEDIA_TYPE}' Content-Type. This request specified '${contentType ?? ""}'.`,
                ),
            ]);
        }
    }

    /**
     * JR's rule, which is stricter than the JSON:API spec: an Accept header that is present and non-blank must list
     * the bare JSON:API media type or `* / *` (so `Accept: application/json` alone is a 406, and a JSON:API type
     * that only appears with parameters is the documented 406).
     */
    private checkAccept(request: SimRequest): void {
        const accept = request.headers.accept ?? "";
        const mediaTypes = (accept.match(/.+".+"[^,]*|[^,]+/g) ?? []).map((part) => part.trim()).filter(Boolean);
        const acceptable =
            mediaTypes.length === 0 ||
            mediaTypes.some((mediaType) => mediaType === MEDIA_TYPE || mediaType.startsWith("*/*"));
        if (!acceptable) {
            throw new ApiFailure(406, [
                jrError(
                    406,
                    "406",
                    "Not acceptable",
                    `All requests must use the '${MEDIA_TYPE}' Accept without media type parameters. This request specified '${accept}'.`,
                ),
            ]);
        }
    }

    private index(request: SimRequest, baseUrl: string): SimResponse {
        const { query } = this.parseRequest(request, "index", () => undefined);
        let records = [...this.gatewayStore.values()];
        for (const [key, accepted] of query.filters) {
            records = records.filter((record) => accepted.includes(filterValue(record, key)));
        }
        if (query.sort.length > 0) {
            // Array.prototype.sort is stable, so ties keep creation order.
            records.sort((a, b) => {
                for (const { field, descending } of query.sort) {
                    const order = compareField(a, b, field);
                    if (order !== 0) return descending ? -order : order;
                }
                return 0;
            });
        }
        const { number, size } = query.page;
        const total = records.length;
        const pageRecords = records.slice((number - 1) * size, number * size);

        const body: Record<string, unknown> = {
            data: pageRecords.map((record) => this.serializeGateway(record, baseUrl, query)),
        };
        const included = this.included(pageRecords, baseUrl, query);
        if (included.length > 0) body.included = included;
        body.meta = { record_count: total };
        body.links = this.paginationLinks(baseUrl, query, total);
        return this.document(200, body);
    }

    private show(request: SimRequest, baseUrl: string, id: string): SimResponse {
        const { query } = this.parseRequest(request, "show", () => undefined);
        const record = this.findOr404(id);
        return this.single(200, record, baseUrl, query);
    }

    private create(request: SimRequest, baseUrl: string): SimResponse {
        const { query, parsedBody } = this.parseRequest(request, "create", (body) => {
            const data = requireData(body);
            verifyType(data.type);
            verifyPermittedParams(data, "create");
            return { data, customerId: parseCustomerLinkage(data.relationships) };
        });
        const attributes = isPlainObject(parsedBody?.data.attributes) ? parsedBody.data.attributes : {};
        const { values, problems } = validateAttributes(attributes, "create");
        // Rails validates `belongs_to :customer` (declared first in a model) before the attributes; "must exist"
        // covers both a missing relationship and an id that is not one of this operator's customers.
        const customerId = parsedBody?.customerId;
        if (customerId === undefined || !this.customerStore.has(customerId)) {
            problems.unshift({ field: "customer", message: "must exist", relationship: true });
        }
        if (problems.length > 0 || customerId === undefined) {
            throw new ApiFailure(
                422,
                problems.map((problem) => errors.validation(problem.field, problem.message, problem.relationship)),
            );
        }
        const record = this.insertGateway(customerId, values, true);
        return this.single(201, record, baseUrl, query);
    }

    private update(request: SimRequest, baseUrl: string, id: string): SimResponse {
        const { query, parsedBody } = this.parseRequest(request, "update", (body) => {
            const data = requireData(body);
            if (data.id === undefined || data.id === null) throw new ApiFailure(400, [errors.missingKey()]);
            // JR compares `to_s` forms, so a non-string id only passes if it prints as the URL id; ours are UUIDs.
            if (display(data.id) !== id) throw new ApiFailure(400, [errors.keyNotInUrl(display(data.id))]);
            verifyType(data.type);
            verifyPermittedParams(data, "update");
            return data;
        });
        const record = this.findOr404(id);
        const attributes = isPlainObject(parsedBody?.attributes) ? parsedBody.attributes : {};
        const { values, problems } = validateAttributes(attributes, "update");
        if (problems.length > 0) {
            throw new ApiFailure(
                422,
                problems.map((problem) => errors.validation(problem.field, problem.message)),
            );
        }
        Object.assign(record, values);
        return this.single(200, record, baseUrl, query);
    }

    private destroy(request: SimRequest, id: string): SimResponse {
        this.parseRequest(request, "destroy", () => undefined);
        this.findOr404(id);
        this.removeGateway(id);
        // Documented: 204, empty body, and still the JSON:API Content-Type.
        return { status: 204, headers: { "Content-Type": MEDIA_TYPE } };
    }

    private findOr404(id: string): GatewayRecord {
        // Strict choice: ids match exactly (a Postgres uuid column would also match an upper-case spelling).
        const record = this.gatewayStore.get(id);
        if (record === undefined) throw new ApiFailure(404, [errors.recordNotFound(id)]);
        return record;
    }

    /**
     * Parses the query string and (for writes) the body in JR's order, collecting errors the way JR does: a bad
     * include or filter syntax is recorded and parsing goes on; any other error stops it. All come back together.
     */
    private parseRequest<T>(
        request: SimRequest,
        action: Action,
        parseBody: (body: unknown) => T,
    ): { query: ParsedQuery; parsedBody: T | undefined } {
        const { plain, bracketed } = splitQuery(request.query, QUERY_FAMILIES[action]);
        const collected: JsonApiError[] = [];
        const parsed: ParsedQuery = {
            fields: new Map(),
            includeCustomer: false,
            filters: new Map(),
            sort: [],
            page: { number: 1, size: Math.min(DEFAULT_PAGE_SIZE, this.pageSizeMax) },
            linkParams: [],
        };
        let parsedBody: T | undefined;
        try {
            // JR raises the JSON parser's error before looking at anything else.
            const body = action === "create" || action === "update" ? parseJsonBody(request.rawBody) : undefined;
            parseFields(plain, bracketed, parsed);
            parseInclude(plain, parsed, collected);
            parseFilters(plain, bracketed, parsed, collected);
            parseSort(plain, parsed);
            if (action === "index") this.parsePage(plain, bracketed, parsed);
            if (action === "create" || action === "update") parsedBody = parseBody(body);
        } catch (error) {
            if (error instanceof ApiFailure) throw new ApiFailure(error.status, [...collected, ...error.errors]);
            throw error;
        }
        if (collected.length > 0) throw new ApiFailure(400, collected);
        for (const [key, value] of request.query) {
            if (!key.startsWith("page")) parsed.linkParams.push([key, value]);
        }
        return { query: parsed, parsedBody };
    }

    private parsePage(plain: Map<string, string>, bracketed: Map<string, Map<string, string>>, parsed: ParsedQuery) {
        // Strict choice: JR would read a bare `page=N` as the page number; only `page[number]`/`page[size]` pass.
        if (plain.has("page")) throw new ApiFailure(400, [errors.invalidPageObject()]);
        const page = bracketed.get("page") ?? new Map<string, string>();
        for (const key of page.keys()) {
            if (key !== "number" && key !== "size") throw new ApiFailure(400, [errors.pageParamNotAllowed(key)]);
        }
        // Strict choice: JR's `to_i` would read "5x" as 5; anything but plain digits is a 118 here.
        const rawSize = page.get("size");
        if (rawSize !== undefined) {
            if (!/^\d+$/.test(rawSize)) throw new ApiFailure(400, [errors.invalidPageValue("size", rawSize)]);
            const size = Number(rawSize);
            if (size < 1) throw new ApiFailure(400, [errors.invalidPageValue("size", String(size))]);
            if (size > this.pageSizeMax) {
                throw new ApiFailure(400, [
                    errors.invalidPageValue(
                        "size",
                        String(size),
                        `size exceeds maximum page size of ${this.pageSizeMax}.`,
                    ),
                ]);
            }
            parsed.page.size = size;
        }
        const rawNumber = page.get("number");
        if (rawNumber !== undefined) {
            if (!/^\d+$/.test(rawNumber) || Number(rawNumber) < 1) {
                throw new ApiFailure(400, [
                    errors.invalidPageValue("number", /^\d+$/.test(rawNumber) ? String(Number(rawNumber)) : rawNumber),
                ]);
            }
            parsed.page.number = Number(rawNumber);
        }
    }

    /** JR's paged paginator: first and last always, prev when number > 1, next when a later page exists. */
    private paginationLinks(baseUrl: string, query: ParsedQuery, total: number): Record<string, string> {
        const { number, size } = query.page;
        const pageCount = Math.ceil(total / size);
        const link = (pageNumber: number): string => {
            const pairs: [string, string][] = [
                ...query.linkParams,
                ["page[number]", String(pageNumber)],
                ["page[size]", String(size)],
            ];
            // Rails' Hash#to_query: CGI-escaped key=value strings, sorted.
            const encoded = pairs.map(([key, value]) => `${cgiEscape(key)}=${cgiEscape(value)}`).sort();
            return `${baseUrl}${GATEWAYS_PATH}?${encoded.join("&")}`;
        };
        const links: Record<string, string> = { first: link(1) };
        if (number > 1) links.prev = link(number - 1);
        if (number < pageCount) links.next = link(number + 1);
        links.last = link(pageCount === 0 ? 1 : pageCount);
        return links;
    }

    private single(status: number, record: GatewayRecord, baseUrl: string, query: ParsedQuery): SimResponse {
        const body: Record<string, unknown> = { data: this.serializeGateway(record, baseUrl, query) };
        const included = this.included([record], baseUrl, query);
        if (included.length > 0) body.included = included;
        return this.document(status, body);
    }

    private document(status: number, body: Record<string, unknown>): SimResponse {
        return { status, headers: { "Content-Type": MEDIA_TYPE }, body };
    }

    private serializeGateway(record: GatewayRecord, baseUrl: string, query: ParsedQuery): Record<string, unknown> {
        const fieldset = query.fields.get(GATEWAY_TYPE);
        const wanted = (field: string) => fieldset === undefined || fieldset.has(field);
        const attributes: Record<string, unknown> = {};
        for (const name of ["operator", ...WRITABLE_ATTRIBUTES] as const) {
            if (!wanted(name)) continue;
            if (name === "authorization_password" && this.maskPasswords) attributes[name] = null;
            else attributes[name] = name === "codecs" ? [...record.codecs] : record[name];
        }
        const resource: Record<string, unknown> = {
            id: record.id,
            type: GATEWAY_TYPE,
            links: { self: `${baseUrl}${GATEWAYS_PATH}/${record.id}` },
        };
        // JR leaves out an empty attributes member (a fieldset naming no attribute).
        if (Object.keys(attributes).length > 0) resource.attributes = attributes;
        // The documented representation has no relationships member; linkage appears only with the include
        // (undocumented, as is the include's effect).
        if (query.includeCustomer && wanted("customer")) {
            resource.relationships = { customer: { data: { type: CUSTOMER_TYPE, id: record.customer_id } } };
        }
        return resource;
    }

    /** With `include=customer`: the customers of the returned gateways, each once, in order of first appearance. */
    private included(records: GatewayRecord[], baseUrl: string, query: ParsedQuery): Record<string, unknown>[] {
        if (!query.includeCustomer) return [];
        const fieldset = query.fields.get(CUSTOMER_TYPE);
        const seen = new Set<string>();
        const result: Record<string, unknown>[] = [];
        for (const record of records) {
            const customer = this.customerStore.get(record.customer_id);
            if (customer === undefined || seen.has(customer.id)) continue;
            seen.add(customer.id);
            const attributes: Record<string, unknown> = {};
            for (const name of CUSTOMER_ATTRIBUTES) {
                if (fieldset === undefined || fieldset.has(name)) attributes[name] = customer[name];
            }
            const resource: Record<string, unknown> = {
                id: customer.id,
                type: CUSTOMER_TYPE,
                links: { self: `${baseUrl}${OPERATOR_API_PREFIX}/customers/${encodeURIComponent(customer.id)}` },
            };
            if (Object.keys(attributes).length > 0) resource.attributes = attributes;
            result.push(resource);
        }
        return result;
    }
}

function filterValue(record: GatewayRecord, key: FilterKey): string {
    switch (key) {
        case "id":
            return record.id;
        case "customer.id":
            return record.customer_id;
        case "name":
            return record.name;
        case "host":
            return record.host;
    }
}

/**
 * Strict choice where the database decides on the real server: code-point order for strings (the "C" collation),
 * and PostgreSQL's default for nulls (last when ascending, first when descending, since descending negates this).
 */
function compareField(a: GatewayRecord, b: GatewayRecord, field: SortField): number {
    const x = a[field];
    const y = b[field];
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
}

/**
 * Groups the query string by JSON:API family. Rack keeps the last of repeated keys. Strict choice: JR ignores
 * query parameters it does not know; here they are a 400 (code 105), so that a typo such as `filters[name]`
 * fails loudly instead of silently widening a list.
 */
function splitQuery(
    query: URLSearchParams,
    allowed: readonly QueryFamily[],
): { plain: Map<string, string>; bracketed: Map<string, Map<string, string>> } {
    const plain = new Map<string, string>();
    const bracketed = new Map<string, Map<string, string>>();
    const lastValues = new Map<string, string>();
    for (const [key, value] of query) lastValues.set(key, value);
    for (const [key, value] of lastValues) {
        const match = /^([a-z_]+)(?:\[([^[\]]+)\])?$/.exec(key);
        const family = match?.[1];
        const sub = match?.[2];
        const bracketsAllowed = family === "fields" || family === "filter" || family === "page";
        if (!isOneOf(allowed, family) || (sub !== undefined && !bracketsAllowed)) {
            throw new ApiFailure(400, [errors.paramNotAllowed(key)]);
        }
        if (sub === undefined) {
            plain.set(family, value);
        } else {
            const group = bracketed.get(family) ?? new Map<string, string>();
            group.set(sub, value);
            bracketed.set(family, group);
        }
    }
    return { plain, bracketed };
}

function parseFields(plain: Map<string, string>, bracketed: Map<string, Map<string, string>>, parsed: ParsedQuery) {
    if (plain.has("fields")) throw new ApiFailure(400, [errors.invalidFieldFormat()]);
    for (const [type, value] of bracketed.get("fields") ?? []) {
        const valid: readonly string[] | undefined =
            type === GATEWAY_TYPE ? GATEWAY_FIELDS : type === CUSTOMER_TYPE ? CUSTOMER_FIELDS : undefined;
        if (valid === undefined) throw new ApiFailure(400, [errors.invalidResource(type)]);
        // JR reports an empty list as the field "nil".
        if (value === "") throw new ApiFailure(400, [errors.invalidField(type, "nil")]);
        const names = value.split(",");
        for (const name of names) {
            if (!valid.includes(name)) throw new ApiFailure(400, [errors.invalidField(type, name)]);
        }
        parsed.fields.set(type, new Set(names));
    }
}

function parseInclude(plain: Map<string, string>, parsed: ParsedQuery, collected: JsonApiError[]): void {
    const raw = plain.get("include");
    if (raw === undefined) return;
    for (const path of raw.split(",").filter((part) => part !== "")) {
        const [head, ...rest] = path.split(".");
        if (head !== "customer") {
            collected.push(errors.invalidInclude(GATEWAY_TYPE, head ?? ""));
            return;
        }
        // The customers resource's own relationships are out of scope; nothing below `customer` is includable.
        if (rest.length > 0) {
            collected.push(errors.invalidInclude(CUSTOMER_TYPE, rest[0] ?? ""));
            return;
        }
    }
    parsed.includeCustomer = raw.split(",").includes("customer");
}

/** Undocumented matching rules: exact and case-sensitive; a comma separates alternatives (OR); no trimming. */
function parseFilters(
    plain: Map<string, string>,
    bracketed: Map<string, Map<string, string>>,
    parsed: ParsedQuery,
    collected: JsonApiError[],
): void {
    const bare = plain.get("filter");
    if (bare !== undefined) {
        collected.push(errors.invalidFiltersSyntax(bare));
        return;
    }
    for (const [key, value] of bracketed.get("filter") ?? []) {
        if (!isOneOf(FILTERS, key)) throw new ApiFailure(400, [errors.filterNotAllowed(key)]);
        parsed.filters.set(key, value.split(","));
    }
}

function parseSort(plain: Map<string, string>, parsed: ParsedQuery): void {
    const raw = plain.get("sort");
    if (raw === undefined || raw === "") return;
    for (const criterion of raw.split(",")) {
        const descending = criterion.startsWith("-");
        const field = descending ? criterion.slice(1) : criterion;
        if (!isOneOf(SORTABLE, field)) throw new ApiFailure(400, [errors.invalidSort(field)]);
        parsed.sort.push({ field, descending });
    }
}

/** Rails' JSON params parser as JR installs it: an empty body means "no params". */
function parseJsonBody(rawBody: string): unknown {
    if (rawBody === "") return {};
    let body: unknown;
    try {
        body = JSON.parse(rawBody);
    } catch (error) {
        throw new ApiFailure(400, [errors.badRequest(error instanceof Error ? error.message : String(error))]);
    }
    if (!isPlainObject(body)) {
        throw new ApiFailure(400, [jrError(400, "400", "Bad Request", "Request must be a hash")]);
    }
    return body;
}

/** Rails' `params.require(:data)`: absent and blank values (null, false, "", {}, []) are all "missing". */
function requireData(body: unknown): Record<string, unknown> {
    const data = isPlainObject(body) ? body.data : undefined;
    const blank =
        data === undefined ||
        data === null ||
        data === false ||
        (typeof data === "string" && data.trim() === "") ||
        (Array.isArray(data) && data.length === 0) ||
        (isPlainObject(data) && Object.keys(data).length === 0);
    if (blank) throw new ApiFailure(400, [errors.paramMissing("data")]);
    if (!isPlainObject(data)) throw new ApiFailure(400, [errors.invalidDataFormat()]);
    return data;
}

function verifyType(type: unknown): void {
    if (type === undefined || type === null) throw new ApiFailure(400, [errors.paramMissing("type")]);
    if (type !== GATEWAY_TYPE) throw new ApiFailure(400, [errors.invalidResource(display(type))]);
}

/**
 * JR's `verify_permitted_params`: the first member, attribute or relationship that is not allowed stops the
 * request with 105. `operator` is read-only and so not allowed; `id` is not allowed on create (ids are the
 * server's UUIDs); the customer relationship is not updatable, so it is not allowed on update (both
 * undocumented). `links`/`meta` members are rejected as JR does. Strict choice: `attributes`/`relationships` that are not objects are a 122 (JR would crash with a 500).
 */
function verifyPermittedParams(data: Record<string, unknown>, mode: "create" | "update"): void {
    for (const [key, value] of Object.entries(data)) {
        switch (key) {
            case "type":
                break;
            case "id":
                // On update JR has already consumed the id (compared with the URL).
                if (mode === "create") throw new ApiFailure(400, [errors.paramNotAllowed("id")]);
                break;
            case "attributes":
                if (!isPlainObject(value)) throw new ApiFailure(400, [errors.invalidDataFormat()]);
                for (const name of Object.keys(value)) {
                    if (!isOneOf(WRITABLE_ATTRIBUTES, name)) throw new ApiFailure(400, [errors.paramNotAllowed(name)]);
                }
                break;
            case "relationships":
                if (!isPlainObject(value)) throw new ApiFailure(400, [errors.invalidDataFormat()]);
                for (const name of Object.keys(value)) {
                    if (mode === "update" || name !== "customer") {
                        throw new ApiFailure(400, [errors.paramNotAllowed(name)]);
                    }
                }
                break;
            default:
                throw new ApiFailure(400, [errors.paramNotAllowed(key)]);
        }
    }
}

/**
 * JR's `parse_to_one_relationship` for `relationships.customer`. Returns undefined when no customer is linked (a
 * 422 "must exist" later). Strict choice: a non-string id is a 115; JR would cast `123` to "123", but JSON:API ids
 * are strings and the provider must send one.
 */
function parseCustomerLinkage(relationships: unknown): string | undefined {
    if (!isPlainObject(relationships) || !("customer" in relationships)) return undefined;
    const link = relationships.customer;
    if (link === null) return undefined;
    if (!isPlainObject(link)) throw new ApiFailure(400, [errors.invalidLinksObject()]);
    const linkage = link.data;
    if (linkage === undefined || linkage === null) return undefined;
    if (!isPlainObject(linkage) || Object.keys(linkage).length !== 2 || !("type" in linkage) || !("id" in linkage)) {
        throw new ApiFailure(400, [errors.invalidLinksObject()]);
    }
    if (linkage.type !== CUSTOMER_TYPE) throw new ApiFailure(400, [errors.typeMismatch(display(linkage.type))]);
    if (linkage.id === null) return undefined;
    if (typeof linkage.id !== "string") throw new ApiFailure(400, [errors.invalidLinksObject()]);
    return linkage.id;
}
