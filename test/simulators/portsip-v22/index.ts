import { isIP } from "node:net";
import { z } from "zod";
import { type Route, Router, type RouteParams } from "../core/router";
import { SimulatorServer, type SimRequest, type SimResponse } from "../core/server";
import {
    type Clock,
    headerValue,
    INT32_MAX,
    isHostOrIp,
    isPlainObject,
    mediaType,
    randomBigId,
    randomV22Token,
    TokenStore,
} from "../portsip-common";

/**
 * Stateful fake of the PortSIP PBX v16+/v22 trunk API (`/api/providers[/{id}]`), after PortSIP's
 * REST API pages and the providers/auth subset of its OpenAPI 22.x document
 * (`test/contract/openapi/portsip-v22-providers.json`), whose response schemas every success answer
 * here conforms to (checked by `simulator.test.ts`). Where they are silent, the choice made here is
 * marked "undocumented" next to the code.
 *
 * What clients must cope with, reproduced on purpose:
 * - create answers 201 with `{id}` only, update 200 with no body, destroy 204; destroy of an
 *   unknown id is 400 (documented), GET/update of one is 404;
 * - `password` is write-only; `auth_mode` and `brand` are create-only;
 * - updates are partial (top level merge; `inbound_parameters`/`outbound_parameters` merge per key);
 * - blank fields come back as `null`; the list returns summaries only;
 * - ids are opaque strings (base64 of a snowflake), never sequential.
 */

export const V22_AUTH_MODES = ["IP_AUTH", "REGISTER_AUTH", "ACCEPT_REGISTER", "TEAMS", "WHATS_APP"] as const;
export type V22AuthMode = (typeof V22_AUTH_MODES)[number];
export const V22_TRANSPORTS = ["UDP", "TCP", "TLS"] as const;
export type V22Transport = (typeof V22_TRANSPORTS)[number];
export const INBOUND_HEADER_PARTS = [
    "REQUEST_LINE_URI_USER_PART",
    "CONTACT_USER_PART",
    "TO_DISPLAY_NAME",
    "TO_USER_PART",
    "FROM_DISPLAY_NAME",
    "FROM_USER_PART",
    "REMOTE_PARTY_ID_CALLED_PARTY_DISPLAY_NAME",
    "REMOTE_PARTY_ID_CALLED_PARTY_USER_PART",
    "REMOTE_PARTY_ID_CALLING_PARTY_DISPLAY_NAME",
    "REMOTE_PARTY_ID_CALLING_PARTY_USER_PART",
    "P_ASSERTED_IDENTITY_DISPLAY_NAME",
    "P_ASSERTED_IDENTITY_USER_PART",
    "P_PREFERRED_IDENTIFY_DISPLAY_NAME",
    "P_PREFERRED_IDENTIFY_USER_PART",
    "P_CALLED_PARTY_ID_DISPLAY_NAME",
    "P_CALLED_PARTY_ID_USER_PART",
    "DEFAULT",
] as const;
export type InboundHeaderPart = (typeof INBOUND_HEADER_PARTS)[number];
export const PRIVACY_TYPES = ["DEFAULT", "NONE", "ID", "USER", "HEADER", "SESSION"] as const;
export type PrivacyType = (typeof PRIVACY_TYPES)[number];
/** The v22.0/22.1 outbound form `{ "value": … }` allowed only these (documented in those versions' schema). */
const LEGACY_PRIVACY_TYPES = ["ID", "USER", "HEADER", "DEFAULT"] as const;
export const VERIFICATION_STATUSES = [
    "No-TN-Validation",
    "TN-Validation-Failed",
    "TN-Validation-Passed-B",
    "TN-Validation-Passed-C",
    "TN-Validation-Failed-A",
    "TN-Validation-Failed-B",
    "TN-Validation-Failed-C",
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];
export const OUTBOUND_USER_KEYS = [
    "request_line_uri_user_part",
    "contact_user_part",
    "to_display_name",
    "to_user_part",
    "from_display_name",
    "from_user_part",
    "remote_party_id_called_party_display_name",
    "remote_party_id_called_party_user_part",
    "remote_party_id_calling_party_display_name",
    "remote_party_id_calling_party_user_part",
    "p_asserted_identity_display_name",
    "p_asserted_identity_user_part",
    "p_preferred_identify_display_name",
    "p_preferred_identify_user_part",
    "p_called_party_id_display_name",
    "p_called_party_id_user_part",
] as const;
export type OutboundUserKey = (typeof OUTBOUND_USER_KEYS)[number];
export const OUTBOUND_HOST_KEYS = [
    "request_line_uri_host_part",
    "contact_host_part",
    "to_host_part",
    "from_host_part",
    "remote_party_id_called_party_host_part",
    "remote_party_id_calling_party_host_part",
    "p_asserted_identity_host_part",
    "p_preferred_identify_host_part",
    "p_called_party_id_host_part",
] as const;
export type OutboundHostKey = (typeof OUTBOUND_HOST_KEYS)[number];
export const OUTBOUND_USER_VALUES = [
    "AUTH_ID",
    "CALLER_NUM",
    "CALLED_NUM",
    "CALLER_DISPLAY_NAME",
    "OUTBOUND_CALLER_ID",
    "ORIGINATOR_CALLER_ID",
    "OUTBOUND_CALLER_ID_AND_ORIGINATOR_CALLER_ID",
    "ANONYMOUS",
    "DEFAULT",
    "CUSTOM",
] as const;
export type OutboundUserValue = (typeof OUTBOUND_USER_VALUES)[number];
export const OUTBOUND_HOST_VALUES = [
    "TRUNK_HOST_PORT",
    "OUT_HOST_PORT",
    "CONTACT_URI",
    "SIP_DOMAIN",
    "DEFAULT",
    "CUSTOM",
] as const;
export type OutboundHostValue = (typeof OUTBOUND_HOST_VALUES)[number];

const INVALID_ID_MESSAGE = "Invalid provider ID supplied.";

/** The documented fixed `client_id` of the OAuth password grant (PortSIP's authentication page). */
export const PORTSIP_OAUTH_CLIENT_ID = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";

export type V22Status = "ONLINE" | "OFFLINE";

export interface V22InboundParameters {
    caller_num: InboundHeaderPart;
    caller_display_name: InboundHeaderPart;
    called_num: InboundHeaderPart;
    privacy_types_supported: PrivacyType;
    enable_stir_shaken_validation: boolean;
    pai_header_parameter_name: string;
    drop_calls_with_verification_status: VerificationStatus[];
    pass_api_header_to_uad: boolean;
}

export interface V22OutboundPart<V extends string> {
    value: V;
    /** `null` = blank; only meaningful with `CUSTOM`. */
    custom_value: string | null;
}

export type V22OutboundParameters = Record<OutboundUserKey, V22OutboundPart<OutboundUserValue>> &
    Record<OutboundHostKey, V22OutboundPart<OutboundHostValue>> & { privacy_types_supported: PrivacyType };

/** The stored trunk; `null` marks a blank field (documented: blank fields are sent as `null`). */
export interface V22TrunkFields {
    name: string;
    enabled: boolean;
    brand: string | null;
    auth_mode: V22AuthMode;
    transport: V22Transport;
    hostname: string;
    port: number;
    auth_id: string | null;
    username: string | null;
    /** Write-only on the API; visible here only, as the PBX's own database would hold it. */
    password: string | null;
    registration: boolean;
    register_interval: number;
    outbound_server: string;
    outbound_server_port: number;
    inlan: boolean;
    single_via_header: boolean;
    rewrite_via_ip: boolean;
    verify_port: boolean;
    keep_alive: boolean;
    keep_alive_interval: number;
    concurrency: number;
    additional_ips: string | null;
    adjust_sdp_direction: boolean;
    remove_srtp_info: boolean;
    stir_shaken_signature_required: boolean;
    did_numbers: string | null;
    inbound_parameters: V22InboundParameters;
    outbound_parameters: V22OutboundParameters;
    /** Fields this simulator does not model (22.3+ additions, whose types are undocumented), echoed as received. */
    extra: Record<string, unknown>;
}

export interface V22Assignee {
    did_numbers: string | null;
    concurrency: number | null;
}

export interface V22Trunk extends V22TrunkFields {
    id: string;
    /** Tenant id of the tenant admin who created it; `null` = the system admin. */
    owner: string | null;
    shared: boolean;
    status: V22Status;
    assignees: Record<string, V22Assignee>;
}

export interface V22Tenant {
    /** Opaque id; generated when absent. */
    id?: string;
    /** The tenant's SIP domain, sent as `domain` at login. */
    domain: string;
    username: string;
    password: string;
    name?: string;
}

export interface PortSipV22SimulatorOptions {
    /** System admin user name. Default `admin`. */
    adminUser?: string;
    /** Default `admin-secret`. */
    adminPassword?: string;
    /** Tenant admins, who log in with `domain` and may not create IP_AUTH trunks. */
    tenants?: V22Tenant[];
    /** Access token lifetime; `expires_in` reports it in whole seconds. Default 1 800 000 (1800 s). */
    tokenLifetimeMs?: number;
    /** Which login routes the emulated version has (sign_in arrived in 22.2). Default: all. */
    loginRoutes?: { signIn?: boolean; oauth?: boolean; login?: boolean };
    /** Blank fields as `null` (documented, default) or left out. */
    blankFields?: "null" | "omit";
    /** Emit `outbound_parameters.privacy_types_supported` as `{value}` like v22.0/22.1 (22.2+ send the string). */
    legacyPrivacyObject?: boolean;
    /** `auth_mode`/`brand` in an update body (undocumented): 400 (default, strict) or silently ignored. */
    createOnlyFieldsOnUpdate?: "reject" | "ignore";
    /** `ONLINE`/`OFFLINE` (v22) or `REGISTERED`/`UNREGISTERED` (v16) from `/status`. */
    statusVocabulary?: "ONLINE_OFFLINE" | "REGISTERED_UNREGISTERED";
    /** New trunks report OFFLINE this long (registration delay); `Infinity` = until `setTrunkStatus`. */
    onlineAfterMs?: number;
    /**
     * Requests per minute before 429 (per server, i.e. per client IP on 127.0.0.1). Off by default. The
     * documented limit is 10,000 per minute per IP from v22.1.7; the answer when it is hit is undocumented.
     */
    rateLimitPerMinute?: number;
    now?: Clock;
}

export interface PortSipV22Counters {
    loginsSucceeded: number;
    loginsFailed: number;
    /** Requests refused for a missing, unknown or expired Bearer token. */
    authRejections: number;
}

type Role = "SystemAdmin" | "Admin";

interface Session {
    role: Role;
    /** `null` for the system admin. */
    tenantId: string | null;
    username: string;
}

interface StoredTrunk {
    id: string;
    owner: string | null;
    fields: V22TrunkFields;
    createdAt: number;
    forcedStatus: V22Status | undefined;
    assignees: Map<string, V22Assignee>;
}

/** A configured tenant with its id settled. */
export interface V22ResolvedTenant {
    id: string;
    domain: string;
    username: string;
    password: string;
    name: string;
}

type Json = Record<string, unknown>;
type Result<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

// ---------------------------------------------------------------- request schemas

const portSchema = z.int().min(0).max(65535);
const nonNegativeInt32 = z.int().min(0).max(INT32_MAX);
const privacySchema = z.union([z.enum(PRIVACY_TYPES), z.strictObject({ value: z.enum(LEGACY_PRIVACY_TYPES) })]);

// Nested objects are closed (unknown keys refused): unlike the top level, their key sets are not
// documented to grow, so an unknown key there is far more likely a client typo.
const inboundSchema = z.strictObject({
    caller_num: z.enum(INBOUND_HEADER_PARTS).optional(),
    caller_display_name: z.enum(INBOUND_HEADER_PARTS).optional(),
    called_num: z.enum(INBOUND_HEADER_PARTS).optional(),
    privacy_types_supported: privacySchema.optional(),
    enable_stir_shaken_validation: z.boolean().optional(),
    pai_header_parameter_name: z.string().min(1).max(64).optional(),
    drop_calls_with_verification_status: z.array(z.enum(VERIFICATION_STATUSES)).optional(),
    pass_api_header_to_uad: z.boolean().optional(),
});

function partSchema<V extends string>(values: readonly [V, ...V[]]) {
    return z.strictObject({ value: z.enum(values), custom_value: z.string().max(256).optional() });
}

function optionalKeys<K extends string, S extends z.ZodType>(
    keys: readonly K[],
    schema: S,
): Record<K, z.ZodOptional<S>> {
    return Object.fromEntries(keys.map((key) => [key, schema.optional()])) as Record<K, z.ZodOptional<S>>;
}

const outboundSchema = z.strictObject({
    ...optionalKeys(OUTBOUND_USER_KEYS, partSchema(OUTBOUND_USER_VALUES)),
    ...optionalKeys(OUTBOUND_HOST_KEYS, partSchema(OUTBOUND_HOST_VALUES)),
    privacy_types_supported: privacySchema.optional(),
});

/** The update schema's properties (OpenAPI document); every one optional there. */
const writableShape = {
    name: z.string().min(1).max(64),
    enabled: z.boolean(),
    transport: z.enum(V22_TRANSPORTS),
    hostname: z.string().min(1).max(255),
    port: portSchema,
    auth_id: z.string().max(64),
    username: z.string().max(64),
    password: z.string(),
    registration: z.boolean(),
    register_interval: nonNegativeInt32,
    outbound_server: z.string().max(255),
    outbound_server_port: portSchema,
    inlan: z.boolean(),
    single_via_header: z.boolean(),
    rewrite_via_ip: z.boolean(),
    verify_port: z.boolean(),
    keep_alive: z.boolean(),
    keep_alive_interval: nonNegativeInt32,
    concurrency: nonNegativeInt32,
    additional_ips: z.string(),
    adjust_sdp_direction: z.boolean(),
    remove_srtp_info: z.boolean(),
    stir_shaken_signature_required: z.boolean(),
    did_numbers: z.string(),
    inbound_parameters: inboundSchema,
    outbound_parameters: outboundSchema,
};
const createOnlyShape = {
    brand: z.string().min(1).max(64),
    auth_mode: z.enum(V22_AUTH_MODES),
};

// The top level is open: keys this simulator does not know are kept and echoed (the field set grows with
// every minor release). `null`
// is refused everywhere because no schema type admits it; send "" to blank a text field.
const updateSchema = z.looseObject(writableShape).partial();
const editSchema = z.looseObject({ ...writableShape, ...createOnlyShape }).partial();
const createSchema = editSchema.required({
    name: true,
    transport: true,
    hostname: true,
    port: true,
    outbound_server: true,
    outbound_server_port: true,
    concurrency: true,
});

/** Wire-shaped input of `addTrunk` (what `POST /api/providers` accepts). */
export type V22CreateInput = z.input<typeof createSchema>;
/** Wire-shaped input of `editTrunk`: any update field, plus the create-only ones the UI may change. */
export type V22EditInput = z.input<typeof editSchema>;
type ParsedInput = z.output<typeof editSchema>;

const KNOWN_KEYS = new Set<string>([...Object.keys(writableShape), ...Object.keys(createOnlyShape)]);
// Read-only response fields a read-modify-write client may send back: ignored, not echoed as extras.
const READ_ONLY_KEYS = new Set(["id", "shared"]);

const signInSchema = z.object({
    username: z.string().min(1).max(64),
    password: z.string(),
    domain: z.string().min(1).max(280).optional(),
});

/**
 * The one list query the provider sends: `filter=name eq '<name>'` (OData, a quote inside the name
 * doubled), with `skip` and `top`. Which fields PortSIP lets a filter name is undocumented, so the
 * simulator accepts exactly this filter and refuses any other filter or query parameter with the
 * vendor's 400: a client that starts relying on more must first teach the simulator.
 */
const NAME_FILTER = /^name eq '((?:[^']|'')*)'$/;
const LIST_PARAMETERS = new Set(["filter", "skip", "top"]);

// ---------------------------------------------------------------- routing

type Handler = (req: SimRequest, params: RouteParams) => SimResponse;
type BearerHandler = (req: SimRequest, id: string, session: Session) => SimResponse;

export class PortSipV22Simulator {
    readonly server: SimulatorServer;
    readonly adminUser: string;
    readonly adminPassword: string;
    readonly tenants: readonly V22ResolvedTenant[];
    private readonly now: Clock;
    private readonly accessTokens: TokenStore<Session>;
    private readonly trunks = new Map<string, StoredTrunk>();
    private readonly router: Router<SimRequest, SimResponse>;
    private stats: PortSipV22Counters = { loginsSucceeded: 0, loginsFailed: 0, authRejections: 0 };
    private rateWindow = { start: 0, count: 0 };

    constructor(private readonly options: PortSipV22SimulatorOptions = {}) {
        this.now = options.now ?? Date.now;
        this.adminUser = options.adminUser ?? "admin";
        this.adminPassword = options.adminPassword ?? "admin-secret";
        const takenTenantIds = new Set<string>();
        this.tenants = (options.tenants ?? []).map((tenant) => {
            const id = tenant.id ?? newOpaqueId((candidate) => takenTenantIds.has(candidate));
            takenTenantIds.add(id);
            return { ...tenant, id, name: tenant.name ?? tenant.domain };
        });
        this.accessTokens = new TokenStore(this.now);
        this.router = this.buildRouter();
        this.server = new SimulatorServer("portsip-v22", (req) => this.handle(req));
    }

    /** Starts on 127.0.0.1 and returns `http://127.0.0.1:<port>`; clients append `/api/...`. */
    start(port = 0): Promise<string> {
        return this.server.start(port);
    }

    stop(): Promise<void> {
        return this.server.stop();
    }

    get baseUrl(): string {
        return this.server.baseUrl;
    }

    get counters(): PortSipV22Counters {
        return { ...this.stats };
    }

    /** Every access token stops working. */
    expireAllTokens(): void {
        this.accessTokens.expireAll();
    }

    /** Forgets trunks, sessions, counters, the request log and pending faults. */
    reset(): void {
        this.trunks.clear();
        this.expireAllTokens();
        this.stats = { loginsSucceeded: 0, loginsFailed: 0, authRejections: 0 };
        this.rateWindow = { start: 0, count: 0 };
        this.server.clearLog();
        this.server.clearFaults();
    }

    // ---------------------------------------------------------------- out-of-band (PBX web UI)

    listTrunks(): V22Trunk[] {
        return [...this.trunks.values()].map((trunk) => this.view(trunk));
    }

    getTrunk(id: string): V22Trunk | undefined {
        const trunk = this.trunks.get(id);
        return trunk === undefined ? undefined : this.view(trunk);
    }

    /** Adds a trunk as the web UI would, with the API's validation and defaults; throws when invalid. */
    addTrunk(input: V22CreateInput, owner: string | null = null): string {
        const written = this.write("create", input, undefined, owner);
        if (!written.ok) throw new Error(`portsip-v22 simulator: invalid trunk: ${describe(written.response)}`);
        return this.insert(written.value, owner);
    }

    /** Changes the given fields like the web UI, which may also change `auth_mode` and `brand`; throws when invalid. */
    editTrunk(id: string, changes: V22EditInput): void {
        const trunk = this.mustFind(id);
        const written = this.write("edit", changes, trunk, trunk.owner);
        if (!written.ok) throw new Error(`portsip-v22 simulator: invalid edit: ${describe(written.response)}`);
        trunk.fields = written.value;
    }

    deleteTrunk(id: string): boolean {
        return this.trunks.delete(id);
    }

    /** Forces the `/status` answer; `undefined` returns to automatic (OFFLINE while disabled or registering). */
    setTrunkStatus(id: string, status: V22Status | undefined): void {
        this.mustFind(id).forcedStatus = status;
    }

    /** Shares a trunk with a tenant as the web UI does; the API then reports it `shared`. */
    assignTrunk(id: string, tenantId: string, assignee: Partial<V22Assignee> = {}): void {
        this.mustFind(id).assignees.set(tenantId, {
            did_numbers: assignee.did_numbers ?? null,
            concurrency: assignee.concurrency ?? null,
        });
    }

    private mustFind(id: string): StoredTrunk {
        const trunk = this.trunks.get(id);
        if (trunk === undefined) throw new Error(`portsip-v22 simulator: no trunk ${id}`);
        return trunk;
    }

    private insert(fields: V22TrunkFields, owner: string | null): string {
        const id = newOpaqueId((candidate) => this.trunks.has(candidate));
        this.trunks.set(id, {
            id,
            owner,
            fields,
            createdAt: this.now(),
            forcedStatus: undefined,
            assignees: new Map(),
        });
        return id;
    }

    private view(trunk: StoredTrunk): V22Trunk {
        return {
            id: trunk.id,
            owner: trunk.owner,
            ...structuredClone(trunk.fields),
            shared: trunk.assignees.size > 0,
            status: this.statusOf(trunk),
            assignees: Object.fromEntries([...trunk.assignees].map(([tenant, a]) => [tenant, { ...a }])),
        };
    }

    private statusOf(trunk: StoredTrunk): V22Status {
        if (trunk.forcedStatus !== undefined) return trunk.forcedStatus;
        // Undocumented: a disabled trunk neither registers nor answers keep-alives.
        if (!trunk.fields.enabled) return "OFFLINE";
        const delay = this.options.onlineAfterMs;
        if (delay !== undefined && this.now() < trunk.createdAt + delay) return "OFFLINE";
        return "ONLINE";
    }

    // ---------------------------------------------------------------- HTTP plumbing

    /** Paths are under `/api`; an id segment is URL-decoded (a badly encoded one matches no route: 404). */
    private buildRouter(): Router<SimRequest, SimResponse> {
        const logins = { signIn: true, oauth: true, login: true, ...this.options.loginRoutes };
        const one = /\/api\/providers\/(?<id>[^/]+)/;
        const status = /\/api\/providers\/(?<id>[^/]+)\/status/;
        const destroy = /\/api\/providers\/(?<id>[^/]+)\/destroy/;
        const routes: Route<SimRequest, SimResponse>[] = [
            { method: "GET", path: "/api/info", handler: (req) => this.info(req) },
            { method: "GET", path: "/api/providers", handler: this.bearer((req, _id, s) => this.list(req, s)) },
            { method: "POST", path: "/api/providers", handler: this.bearer((req, _id, s) => this.create(req, s)) },
            { method: "GET", path: one, handler: this.bearer((_req, id, s) => this.show(id, s)) },
            { method: "POST", path: one, handler: this.bearer((req, id, s) => this.update(req, id, s)) },
            { method: "GET", path: status, handler: this.bearer((_req, id, s) => this.status(id, s)) },
            { method: "POST", path: destroy, handler: this.bearer((_req, id, s) => this.destroy(id, s)) },
        ];
        if (logins.signIn)
            routes.push({ method: "POST", path: "/api/auth/sign_in", handler: (req) => this.signIn(req) });
        if (logins.oauth)
            routes.push({ method: "POST", path: "/api/login/oauth/token", handler: (req) => this.oauth(req) });
        if (logins.login) routes.push({ method: "POST", path: "/api/login", handler: (req) => this.signIn(req) });
        return new Router(routes, {
            notFound: () => notFound("not found"),
            methodNotAllowed: (_req, allow) => ({
                ...v22Error(405, "METHOD_NOT_ALLOWED", "method not allowed"),
                headers: { Allow: allow.join(", ") },
            }),
        });
    }

    /** A route that needs a live Bearer token; `id` is the route's id segment ("" on routes without one). */
    private bearer(run: BearerHandler): Handler {
        return (req, params) => {
            const token = bearerToken(req);
            const session = token === undefined ? undefined : this.accessTokens.get(token)?.data;
            if (token === undefined || session === undefined) {
                this.stats.authRejections += 1;
                return unauthorized();
            }
            return run(req, params.id ?? "", session);
        };
    }

    private handle(req: SimRequest): SimResponse {
        return this.rateLimit() ?? this.router.dispatch(req);
    }

    private rateLimit(): SimResponse | undefined {
        const limit = this.options.rateLimitPerMinute;
        if (limit === undefined) return undefined;
        const now = this.now();
        if (now - this.rateWindow.start >= 60_000) this.rateWindow = { start: now, count: 0 };
        if (this.rateWindow.count >= limit) {
            const retryAfter = Math.max(1, Math.ceil((this.rateWindow.start + 60_000 - now) / 1000));
            return {
                ...v22Error(429, "TOO_MANY_REQUESTS", "rate limit exceeded"),
                headers: { "Retry-After": String(retryAfter) },
            };
        }
        this.rateWindow.count += 1;
        return undefined;
    }

    // ---------------------------------------------------------------- authentication

    private credentials(username: string, password: string, domain: string | undefined): Session | undefined {
        if (domain === undefined) {
            return username === this.adminUser && password === this.adminPassword
                ? { role: "SystemAdmin", tenantId: null, username }
                : undefined;
        }
        // SIP domains compare without case, like host names.
        const tenant = this.tenants.find((candidate) => candidate.domain.toLowerCase() === domain.toLowerCase());
        if (tenant?.username !== username || tenant.password !== password) return undefined;
        return { role: "Admin", tenantId: tenant.id, username };
    }

    private issueTokens(session: Session): SimResponse {
        const accessToken = randomV22Token();
        this.accessTokens.issue(accessToken, this.tokenLifetimeMs(), session);
        return jsonResponse(200, {
            token_type: "Bearer",
            access_token: accessToken,
            // Part of the documented answer. The provider logs in again instead of refreshing, so
            // nothing here takes it back.
            refresh_token: randomV22Token(),
            expires_in: Math.max(1, Math.ceil(this.tokenLifetimeMs() / 1000)),
        });
    }

    private tokenLifetimeMs(): number {
        return this.options.tokenLifetimeMs ?? 1_800_000;
    }

    private loginFailed(response: SimResponse): SimResponse {
        this.stats.loginsFailed += 1;
        return response;
    }

    private loginSucceeded(session: Session): SimResponse {
        this.stats.loginsSucceeded += 1;
        return this.issueTokens(session);
    }

    /**
     * `/auth/sign_in` and `POST /login` take the same documented body. `POST /login`'s answer is
     * undocumented; it is given the token shape here so a client can use the route.
     */
    private signIn(req: SimRequest): SimResponse {
        const body = readJsonBody(req);
        if (!body.ok) return this.loginFailed(body.response);
        const parsed = signInSchema.safeParse(body.value);
        if (!parsed.success) return this.loginFailed(validationError(parsed.error));
        const { username, password, domain } = parsed.data;
        const session = this.credentials(username, password, domain);
        if (session === undefined) return this.loginFailed(loginRejected());
        return this.loginSucceeded(session);
    }

    private oauth(req: SimRequest): SimResponse {
        // The documented request is a form; any other media type is read as no fields at all.
        const form =
            mediaType(req.headers) === "application/x-www-form-urlencoded"
                ? new URLSearchParams(req.rawBody)
                : new URLSearchParams();
        // The provider sends the password grant only; the refresh grant is not served.
        if (form.get("grant_type") !== "password") {
            return this.loginFailed(fieldError("grant_type", "must be password"));
        }
        const clientOk = form.get("client_id") === PORTSIP_OAUTH_CLIENT_ID;
        const username = form.get("username");
        const password = form.get("password");
        const scope = form.get("scope");
        if (!clientOk || username === null || password === null || (scope !== null && scope !== "all")) {
            return this.loginFailed(loginRejected());
        }
        const session = this.credentials(username, password, form.get("domain") ?? undefined);
        if (session === undefined) return this.loginFailed(loginRejected());
        return this.loginSucceeded(session);
    }

    private info(req: SimRequest): SimResponse {
        const body: Json = {
            web_domain: "pbx.example.test",
            private_ipv4: "127.0.0.1",
            public_ipv4: "127.0.0.1",
            enable_ipv6: false,
            private_ipv6: "::1",
            public_ipv6: "::1",
            primary_dns_server: "127.0.0.1",
            secondary_dns_server: "127.0.0.1",
        };
        // An unknown `domain` still gets the system metadata: the doc says tenant fields are
        // returned "together" when the domain is known and is silent on the other case.
        const domain = req.query.get("domain")?.toLowerCase();
        const tenant = this.tenants.find((candidate) => candidate.domain.toLowerCase() === domain);
        if (tenant !== undefined) {
            Object.assign(body, {
                name: tenant.name,
                domain: tenant.domain,
                website: "",
                enable_ms365_integration: false,
            });
        }
        return jsonResponse(200, body);
    }

    // ---------------------------------------------------------------- providers

    private visible(trunk: StoredTrunk, session: Session): boolean {
        return session.tenantId === null || trunk.owner === session.tenantId || trunk.assignees.has(session.tenantId);
    }

    private mayModify(trunk: StoredTrunk, session: Session): boolean {
        // Administration guide: tenant admins cannot modify trunks of the system admin or of other tenants.
        return session.tenantId === null || trunk.owner === session.tenantId;
    }

    private list(req: SimRequest, session: Session): SimResponse {
        const skip = readIntParam(req.query.get("skip"), 0, 0, INT32_MAX);
        if (skip === undefined) return fieldError("skip", "must be an integer >= 0");
        const top = readIntParam(req.query.get("top"), 100, 1, 100);
        if (top === undefined) return fieldError("top", "must be an integer from 1 to 100");

        for (const parameter of req.query.keys()) {
            if (!LIST_PARAMETERS.has(parameter)) return fieldError(parameter, "not supported by this simulator");
        }
        let rows = [...this.trunks.values()].filter((trunk) => this.visible(trunk, session));
        const filter = req.query.get("filter");
        if (filter !== null) {
            const name = NAME_FILTER.exec(filter)?.[1]?.replace(/''/g, "'");
            if (name === undefined) return fieldError("filter", "only name eq '<text>' is supported");
            rows = rows.filter((trunk) => trunk.fields.name === name);
        }
        return jsonResponse(200, {
            count: rows.length,
            items: rows.slice(skip, skip + top).map((trunk) => this.blank(this.summary(trunk))),
        });
    }

    /** The list's summary representation (the OpenAPI list item schema). */
    private summary(trunk: StoredTrunk): Json {
        const f = trunk.fields;
        return {
            id: trunk.id,
            name: f.name,
            enabled: f.enabled,
            brand: f.brand,
            hostname: f.hostname,
            port: f.port,
            did_numbers: f.did_numbers,
            shared: trunk.assignees.size > 0,
        };
    }

    private create(req: SimRequest, session: Session): SimResponse {
        const body = readJsonBody(req);
        if (!body.ok) return body.response;
        const written = this.write("create", body.value, undefined, session.tenantId);
        if (!written.ok) return written.response;
        return jsonResponse(201, { id: this.insert(written.value, session.tenantId) });
    }

    private show(id: string, session: Session): SimResponse {
        const trunk = this.trunks.get(id);
        if (trunk === undefined) return providerNotFound();
        if (!this.visible(trunk, session)) return forbidden();
        return jsonResponse(200, this.toWire(trunk));
    }

    private update(req: SimRequest, id: string, session: Session): SimResponse {
        const trunk = this.trunks.get(id);
        if (trunk === undefined) return providerNotFound();
        if (!this.mayModify(trunk, session)) return forbidden();
        const body = readJsonBody(req);
        if (!body.ok) return body.response;
        const written = this.write("update", body.value, trunk, trunk.owner);
        if (!written.ok) return written.response;
        trunk.fields = written.value;
        // "200 OK" with no content (OpenAPI document).
        return { status: 200 };
    }

    private destroy(id: string, session: Session): SimResponse {
        const trunk = this.trunks.get(id);
        // Documented: 400 "Invalid provider ID supplied." (not 404) for an unknown id.
        if (trunk === undefined) return fieldError("id", INVALID_ID_MESSAGE, INVALID_ID_MESSAGE);
        if (!this.mayModify(trunk, session)) return forbidden();
        // Undocumented whether rules that name the trunk block its deletion; rules are not modelled, so nothing does.
        this.trunks.delete(trunk.id);
        return { status: 204 };
    }

    private status(id: string, session: Session): SimResponse {
        const trunk = this.trunks.get(id);
        if (trunk === undefined) return providerNotFound();
        if (!this.visible(trunk, session)) return forbidden();
        const status = this.statusOf(trunk);
        const word =
            this.options.statusVocabulary === "REGISTERED_UNREGISTERED"
                ? status === "ONLINE"
                    ? "REGISTERED"
                    : "UNREGISTERED"
                : status;
        return jsonResponse(200, { status: word });
    }

    // ---------------------------------------------------------------- validation and storage

    /**
     * One path for every write (API create/update, web-UI add/edit): schema, then merge (update and
     * edit are partial), then permission, then cross-field rules, then uniqueness against the other trunks.
     */
    private write(
        kind: "create" | "update" | "edit",
        body: unknown,
        current: StoredTrunk | undefined,
        owner: string | null,
    ): Result<V22TrunkFields> {
        let input = body;
        if (kind === "update" && isPlainObject(body)) {
            const createOnly = Object.keys(createOnlyShape).find((key) => key in body);
            if (createOnly !== undefined) {
                if ((this.options.createOnlyFieldsOnUpdate ?? "reject") === "reject") {
                    return fail(fieldError(createOnly, "can only be set when the trunk is created"));
                }
                input = Object.fromEntries(Object.entries(body).filter(([key]) => !(key in createOnlyShape)));
            }
        }
        const schema = kind === "create" ? createSchema : kind === "update" ? updateSchema : editSchema;
        const parsed = schema.safeParse(input);
        if (!parsed.success) return fail(validationError(parsed.error));

        const fields = applyInput(current?.fields ?? defaultFields(), parsed.data);
        if (owner !== null && fields.auth_mode === "IP_AUTH") {
            // Administration guide: IP-based trunks are for the system admin only.
            return fail(forbidden("tenant admins cannot create IP_AUTH trunks"));
        }
        if (owner === null && (fields.auth_mode === "TEAMS" || fields.auth_mode === "WHATS_APP")) {
            return fail(fieldError("auth_mode", "Teams and WhatsApp trunks are created by tenant admins only"));
        }
        const problem = checkFields(fields) ?? this.conflict(fields, current?.id);
        return problem === undefined ? { ok: true, value: fields } : fail(problem);
    }

    private conflict(fields: V22TrunkFields, self: string | undefined): SimResponse | undefined {
        const host = fields.hostname.toLowerCase();
        const pool = fields.did_numbers === null ? [] : (parseDidPool(fields.did_numbers) ?? []);
        for (const other of this.trunks.values()) {
            if (other.id === self || other.fields.hostname.toLowerCase() !== host) continue;
            // Administration guide: an IP-based trunk is added once per provider; register-type trunks must
            // differ in hostname plus authentication ID.
            if (fields.auth_mode === "IP_AUTH" && other.fields.auth_mode === "IP_AUTH") {
                return fieldError("hostname", "an IP_AUTH trunk for this hostname already exists");
            }
            const registerTypes = ["REGISTER_AUTH", "ACCEPT_REGISTER"];
            if (
                registerTypes.includes(fields.auth_mode) &&
                registerTypes.includes(other.fields.auth_mode) &&
                (fields.auth_id ?? "") === (other.fields.auth_id ?? "")
            ) {
                return fieldError("auth_id", "hostname and auth_id are already used by another trunk");
            }
            const otherPool = other.fields.did_numbers === null ? [] : (parseDidPool(other.fields.did_numbers) ?? []);
            if (pool.some((a) => otherPool.some((b) => a[0] <= b[1] && b[0] <= a[1]))) {
                return fieldError("did_numbers", "overlaps the DID pool of another trunk of the same provider");
            }
        }
        return undefined;
    }

    /** The detailed representation (GET /providers/{id}); `password` is never included. */
    private toWire(trunk: StoredTrunk): Json {
        const f = trunk.fields;
        const outbound: Json = { ...f.outbound_parameters };
        if (this.options.legacyPrivacyObject === true) {
            outbound.privacy_types_supported = { value: f.outbound_parameters.privacy_types_supported };
        }
        const wire: Json = {
            id: trunk.id,
            name: f.name,
            enabled: f.enabled,
            brand: f.brand,
            auth_mode: f.auth_mode,
            transport: f.transport,
            hostname: f.hostname,
            port: f.port,
            auth_id: f.auth_id,
            username: f.username,
            registration: f.registration,
            register_interval: f.register_interval,
            outbound_server: f.outbound_server,
            outbound_server_port: f.outbound_server_port,
            inlan: f.inlan,
            single_via_header: f.single_via_header,
            rewrite_via_ip: f.rewrite_via_ip,
            verify_port: f.verify_port,
            keep_alive: f.keep_alive,
            keep_alive_interval: f.keep_alive_interval,
            concurrency: f.concurrency,
            additional_ips: f.additional_ips,
            adjust_sdp_direction: f.adjust_sdp_direction,
            remove_srtp_info: f.remove_srtp_info,
            stir_shaken_signature_required: f.stir_shaken_signature_required,
            did_numbers: f.did_numbers,
            inbound_parameters: { ...f.inbound_parameters },
            outbound_parameters: outbound,
            shared: trunk.assignees.size > 0,
        };
        for (const [key, value] of Object.entries(f.extra)) if (!(key in wire)) wire[key] = value;
        return this.blank(wire);
    }

    /** Applies the `blankFields` choice: documented `null`s, or the keys left out. */
    private blank(value: Json): Json {
        return this.options.blankFields === "omit" ? (dropNulls(value) as Json) : value;
    }
}

// ---------------------------------------------------------------- defaults and merging

function defaultInbound(): V22InboundParameters {
    // Undocumented server defaults: the enums' own `DEFAULT` member; the rest per the OpenAPI document.
    return {
        caller_num: "DEFAULT",
        caller_display_name: "DEFAULT",
        called_num: "DEFAULT",
        privacy_types_supported: "DEFAULT",
        enable_stir_shaken_validation: false,
        pai_header_parameter_name: "verstat",
        drop_calls_with_verification_status: [],
        pass_api_header_to_uad: false,
    };
}

function defaultOutbound(): V22OutboundParameters {
    const parts = Object.fromEntries(
        [...OUTBOUND_USER_KEYS, ...OUTBOUND_HOST_KEYS].map((key) => [key, { value: "DEFAULT", custom_value: null }]),
    ) as Record<OutboundUserKey, V22OutboundPart<OutboundUserValue>> &
        Record<OutboundHostKey, V22OutboundPart<OutboundHostValue>>;
    return { ...parts, privacy_types_supported: "DEFAULT" };
}

/** What a create starts from; the required fields are always overwritten by the create body. */
function defaultFields(): V22TrunkFields {
    return {
        name: "",
        enabled: true,
        brand: null,
        // Undocumented default.
        auth_mode: "REGISTER_AUTH",
        transport: "UDP",
        hostname: "",
        port: 0,
        auth_id: null,
        username: null,
        password: null,
        registration: true,
        register_interval: 600,
        outbound_server: "",
        outbound_server_port: 0,
        inlan: false,
        single_via_header: true,
        rewrite_via_ip: true,
        verify_port: true,
        keep_alive: true,
        keep_alive_interval: 360,
        concurrency: 0,
        additional_ips: null,
        adjust_sdp_direction: true,
        remove_srtp_info: true,
        stir_shaken_signature_required: false,
        did_numbers: null,
        inbound_parameters: defaultInbound(),
        outbound_parameters: defaultOutbound(),
        extra: {},
    };
}

function normalizePrivacy(value: PrivacyType | { value: PrivacyType }): PrivacyType {
    return typeof value === "string" ? value : value.value;
}

/** Partial merge (undocumented): top-level keys replace; nested parameter objects merge one level deep. */
function applyInput(current: V22TrunkFields, input: ParsedInput): V22TrunkFields {
    const next = structuredClone(current);
    const { inbound_parameters: inbound, outbound_parameters: outbound, ...rest } = input;
    for (const [key, value] of Object.entries(rest)) {
        if (value === undefined || READ_ONLY_KEYS.has(key)) continue;
        if (KNOWN_KEYS.has(key)) (next as unknown as Json)[key] = value;
        else next.extra[key] = value;
    }
    if (inbound !== undefined) {
        const { privacy_types_supported: privacy, ...others } = inbound;
        Object.assign(next.inbound_parameters, others);
        if (privacy !== undefined) next.inbound_parameters.privacy_types_supported = normalizePrivacy(privacy);
    }
    if (outbound !== undefined) {
        const { privacy_types_supported: privacy, ...parts } = outbound;
        for (const [key, part] of Object.entries(parts)) {
            (next.outbound_parameters as unknown as Record<string, V22OutboundPart<string>>)[key] = {
                value: part.value,
                custom_value: part.custom_value ?? null,
            };
        }
        if (privacy !== undefined) next.outbound_parameters.privacy_types_supported = normalizePrivacy(privacy);
    }
    return next;
}

// ---------------------------------------------------------------- cross-field rules (mostly undocumented)

function isIpOrCidr(token: string): boolean {
    const [address = "", prefix, ...rest] = token.split("/");
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    if (!/^[0-9]{1,3}$/.test(prefix)) return false;
    return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** `3000;12000-18000` → ranges, or `undefined` when an entry is malformed (leading 0 or +, start > end). */
function parseDidPool(text: string): [bigint, bigint][] | undefined {
    if (text.trim() === "") return [];
    const ranges: [bigint, bigint][] = [];
    for (const raw of text.split(";")) {
        const match = /^([1-9][0-9]{0,19})(?:-([1-9][0-9]{0,19}))?$/.exec(raw.trim());
        if (match?.[1] === undefined) return undefined;
        const start = BigInt(match[1]);
        const end = match[2] === undefined ? start : BigInt(match[2]);
        if (start > end) return undefined;
        ranges.push([start, end]);
    }
    return ranges;
}

function checkFields(f: V22TrunkFields): SimResponse | undefined {
    if (!isHostOrIp(f.hostname)) return fieldError("hostname", "must be a host name or an IP address");
    // OpenAPI document: "For TCP, port number 0 is reserved and cannot be used"; TLS runs over TCP.
    if (f.port === 0 && f.transport !== "UDP") return fieldError("port", "port 0 is reserved for TCP and TLS");
    if (f.outbound_server !== "") {
        if (!isHostOrIp(f.outbound_server))
            return fieldError("outbound_server", "must be a host name or an IP address");
        // An empty outbound server with port 0 means "no outbound proxy" (undocumented); a real one
        // needs a port on TCP/TLS.
        if (f.outbound_server_port === 0 && f.transport !== "UDP") {
            return fieldError("outbound_server_port", "port 0 is reserved for TCP and TLS");
        }
    }
    if (f.additional_ips !== null && f.additional_ips.trim() !== "") {
        // Empty entries (`a;;b`, a trailing `;`) are refused too: the server would have to guess.
        if (!f.additional_ips.split(";").every((token) => isIpOrCidr(token.trim()))) {
            return fieldError("additional_ips", "entries must be IPv4/IPv6 addresses or CIDR blocks separated by ';'");
        }
    }
    if (f.did_numbers !== null) {
        const pool = parseDidPool(f.did_numbers);
        if (pool === undefined) {
            return fieldError(
                "did_numbers",
                "entries must be numbers or ranges like 12000-18000 without a leading 0 or +",
            );
        }
        // Overlap inside one pool is refused as well: it can only be a mistake.
        const sorted = [...pool].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        for (let i = 1; i < sorted.length; i += 1) {
            const previous = sorted[i - 1];
            const range = sorted[i];
            if (previous !== undefined && range !== undefined && range[0] <= previous[1]) {
                return fieldError("did_numbers", "entries overlap");
            }
        }
    }
    const outbound = f.outbound_parameters as unknown as Record<string, unknown>;
    for (const key of [...OUTBOUND_USER_KEYS, ...OUTBOUND_HOST_KEYS]) {
        const part = outbound[key] as V22OutboundPart<string>;
        // Undocumented but implied: CUSTOM means "use custom_value", so it must have one.
        if (part.value === "CUSTOM" && (part.custom_value === null || part.custom_value === "")) {
            return fieldError(`outbound_parameters.${key}.custom_value`, "required when value is CUSTOM");
        }
    }
    return undefined;
}

// ---------------------------------------------------------------- wire helpers

function fail(response: SimResponse): { ok: false; response: SimResponse } {
    return { ok: false, response };
}

function jsonResponse(status: number, body: Json): SimResponse {
    return { status, headers: { "Content-Type": "application/json" }, body };
}

/** The documented error shape (the API's About page): `{"errors":[{code, message, detail?}]}`. */
function v22Error(status: number, code: string, message: string, detail?: Json): SimResponse {
    return jsonResponse(status, { errors: [detail === undefined ? { code, message } : { code, message, detail }] });
}

function fieldError(field: string, reason: string, message = "field validation failed"): SimResponse {
    return v22Error(400, "VALIDATE_FAILED", message, { field, reason });
}

function validationError(error: z.ZodError): SimResponse {
    const issue = error.issues[0];
    if (issue === undefined) return fieldError("body", "invalid");
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") path.push(issue.keys[0] ?? "");
    return fieldError(path.length === 0 ? "body" : path.join("."), issue.message);
}

function unauthorized(): SimResponse {
    return v22Error(401, "UNAUTHORIZED", "unauthorized");
}

function loginRejected(): SimResponse {
    return v22Error(400, "UNAUTHORIZED", "Login failed, authentication error");
}

function forbidden(message = "permission denied"): SimResponse {
    return v22Error(403, "FORBIDDEN", message);
}

function notFound(message: string): SimResponse {
    return v22Error(404, "NOT_FOUND", message);
}

function providerNotFound(): SimResponse {
    return notFound("provider not found");
}

function describe(response: SimResponse): string {
    return `${String(response.status)} ${JSON.stringify(response.body)}`;
}

function bearerToken(req: SimRequest): string | undefined {
    const match = /^Bearer +(\S+)$/i.exec(headerValue(req.headers, "authorization") ?? "");
    return match?.[1];
}

function readJsonBody(req: SimRequest): Result<unknown> {
    if (mediaType(req.headers) !== "application/json") {
        return fail(fieldError("body", "Content-Type must be application/json"));
    }
    try {
        return { ok: true, value: JSON.parse(req.rawBody) as unknown };
    } catch {
        return fail(fieldError("body", "not valid JSON"));
    }
}

function readIntParam(text: string | null, fallback: number, min: number, max: number): number | undefined {
    if (text === null) return fallback;
    if (!/^[0-9]{1,10}$/.test(text)) return undefined;
    const value = Number(text);
    return value >= min && value <= max ? value : undefined;
}

/**
 * A random snowflake-sized number, as decimal text, in standard base64 (24 characters for 18 digits): the
 * documented example id `NzAwNTUxOTA5NzczMTQ4MTYw` decodes to `700551909773148160`.
 */
function newOpaqueId(taken: (id: string) => boolean): string {
    for (;;) {
        const snowflake = randomBigId(10n ** 17n, 10n ** 18n, () => false);
        const id = Buffer.from(snowflake.toString()).toString("base64");
        if (!taken(id)) return id;
    }
}

function dropNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(dropNulls);
    if (!isPlainObject(value)) return value;
    return Object.fromEntries(
        Object.entries(value)
            .filter(([, item]) => item !== null)
            .map(([key, item]) => [key, dropNulls(item)]),
    );
}
