import { isLosslessNumber, isSafeNumber, LosslessNumber, parse, stringify } from "lossless-json";
import { z } from "zod";
import { Router } from "../core/router";
import { SimulatorServer, type SimRequest, type SimResponse } from "../core/server";
import {
    type Clock,
    headerValue,
    INT32_MAX,
    INT64_MAX,
    isHostOrIp,
    isPlainObject,
    mediaType,
    randomBigId,
    randomUpperHex,
    TokenStore,
} from "../portsip-common";

/**
 * Stateful fake of the legacy PortSIP PBX v12 trunk API (`/api/providers/<verb>`), after PortSIP's
 * v12 REST pages (login, providers). Where they are silent, the choice made here is marked
 * "undocumented" next to the code.
 *
 * Wire quirks reproduced on purpose, because they are what a client gets wrong:
 * - ids are 18–19 digit int64 values written as bare JSON numbers (beyond 2^53), so a client
 *   using `JSON.parse` corrupts them; the text is produced with `lossless-json` so they are exact;
 * - `update` replaces the whole record: every field the body leaves out is reset to its default;
 * - `show` returns the trunk password in clear text (documented field list);
 * - the token travels in an `access_token` header (or `?access_token=`), and slides on every call.
 */

export const V12_AUTH_MODES = ["IP_AUTH", "REGISTER_AUTH"] as const;
export type V12AuthMode = (typeof V12_AUTH_MODES)[number];
export const V12_PROTOCOLS = ["UDP", "TCP"] as const;
export type V12Protocol = (typeof V12_PROTOCOLS)[number];
export type V12Status = "ONLINE" | "OFFLINE";

/** Every writable field of a v12 provider ("trunk"); the names are the wire names. */
export interface V12TrunkFields {
    name: string;
    auth_mode: V12AuthMode;
    protocol: V12Protocol;
    hostname: string;
    port: number;
    auth_id: string;
    password: string;
    require_register: boolean;
    reregister_interval: number;
    outbound_server: string;
    outbound_server_port: number;
    provider_in_lan: boolean;
    single_via_header: boolean;
    /** Item shapes are undocumented: stored and echoed unchanged, big numbers included. */
    ips: unknown[];
    in_parameters: unknown[];
    out_parameters: unknown[];
}

/** A trunk as the out-of-band methods show it; `id` is the exact decimal text of the int64. */
export interface V12Trunk extends V12TrunkFields {
    id: string;
    status: V12Status;
    /**
     * Fields outside the documented object (`username`, `did_pool`, seen by third-party clients of
     * real v12-era servers): stored and echoed as received; a full-replace update that leaves one out wipes it.
     */
    extra: Record<string, unknown>;
}

export interface PortSipV12SimulatorOptions {
    /** Default `admin`. */
    adminUser?: string;
    /** Default `admin-secret`. */
    adminPassword?: string;
    /** When set, a login that carries `domain` must name this SIP domain. Absent `domain` is always fine. */
    domain?: string;
    /** Token lifetime; the login answer reports it in whole seconds (`expires`). Default 600 000 (600 s). */
    tokenLifetimeMs?: number;
    /** Each authenticated call extends the token (documented). Default true. */
    slidingExpiry?: boolean;
    /** Status for a missing/expired/unknown token (undocumented). Default 401. */
    authErrorStatus?: 400 | 401;
    /** How ids are written in responses (servers seem to send both). Default `number` (bare digits, the hard case). */
    idFormat?: "number" | "string";
    /** `expires` in the login answer: an integer (older account doc) or a string (v12 sample). Default `number`. */
    expiresFormat?: "number" | "string";
    /** The seed's enum (`ONLINE`/`OFFLINE`) or its own description's words (`REGISTERED`/`UNREGISTERED`). */
    statusVocabulary?: "ONLINE_OFFLINE" | "REGISTERED_UNREGISTERED";
    /** Status of a newly created trunk (when it changes is undocumented). Default `ONLINE`. */
    initialStatus?: V12Status;
    /** When set, a new trunk reports OFFLINE for this long, then `initialStatus` (registration delay). */
    onlineAfterMs?: number;
    /** Reject a second trunk with the same name, ignoring case (undocumented; an assumption). Default true. */
    uniqueNames?: boolean;
    /** `api_version` in the login answer. Default `12.0.0`. */
    apiVersion?: string;
    /** Time source for token expiry and registration delay; tests pass a fake clock. */
    now?: Clock;
}

export interface PortSipV12Counters {
    loginsSucceeded: number;
    loginsFailed: number;
    /** Requests refused because of a missing, unknown or expired token. */
    authRejections: number;
}

interface StoredTrunk {
    id: bigint;
    fields: V12TrunkFields;
    /** Undocumented top-level fields, echoed as received (see {@link V12Trunk.extra}). */
    extra: Record<string, unknown>;
    createdAt: number;
    /** Set by `setTrunkStatus`; otherwise the status follows `initialStatus` / `onlineAfterMs`. */
    forcedStatus: V12Status | undefined;
}

interface Session {
    user: string;
}

type ResolvedOptions = Required<Omit<PortSipV12SimulatorOptions, "domain" | "onlineAfterMs" | "now">> &
    Pick<PortSipV12SimulatorOptions, "domain" | "onlineAfterMs">;

type Result<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

function fail(response: SimResponse): { ok: false; response: SimResponse } {
    return { ok: false, response };
}

type Json = Record<string, unknown>;

const REQUIRED_FIELDS = ["name", "auth_mode", "protocol", "hostname", "port"] as const;
/** Fields without a default (undocumented): required by create and, because update replaces, by update too. */
export type V12RequiredField = (typeof REQUIRED_FIELDS)[number];

const ANY_STATUS = ["ONLINE", "OFFLINE", "REGISTERED", "UNREGISTERED"] as const;

// Lengths are undocumented for v12; the v22 limits (64) are the plausible strict choice.
const bodySchema = z.object({
    name: z.string().min(1).max(64),
    auth_mode: z.enum(V12_AUTH_MODES),
    protocol: z.enum(V12_PROTOCOLS),
    hostname: z.string().min(1).max(255),
    // v12 has no "port 0 = none" note (v22 has); a SIP server port must be real.
    port: z.int().min(1).max(65535),
    auth_id: z.string().max(64).optional(),
    password: z.string().max(128).optional(),
    require_register: z.boolean().optional(),
    reregister_interval: z.int().min(0).max(INT32_MAX).optional(),
    outbound_server: z.string().max(255).optional(),
    // 0 is the "no outbound proxy" default (undocumented).
    outbound_server_port: z.int().min(0).max(65535).optional(),
    provider_in_lan: z.boolean().optional(),
    single_via_header: z.boolean().optional(),
    ips: z.array(z.unknown()).optional(),
    in_parameters: z.array(z.unknown()).optional(),
    out_parameters: z.array(z.unknown()).optional(),
    // The doc lists `status` among the body fields; the server owns it, so a valid value is accepted and ignored.
    status: z.enum(ANY_STATUS).optional(),
});

const INVALID_ID_MESSAGE = "Invalid provider ID supplied.";

export class PortSipV12Simulator {
    readonly server: SimulatorServer;
    readonly adminUser: string;
    readonly adminPassword: string;
    private readonly options: ResolvedOptions;
    private readonly now: Clock;
    private readonly tokens: TokenStore<Session>;
    private readonly trunks = new Map<bigint, StoredTrunk>();
    private stats: PortSipV12Counters = { loginsSucceeded: 0, loginsFailed: 0, authRejections: 0 };
    // Paths are exact: no trailing slash, no version segment (documented). `/api/info` is deliberately absent,
    // so generation detection sees the 404 of a server without it (not part of the v12 API).
    private readonly router = new Router<SimRequest, SimResponse>(
        [
            { method: "POST", path: "/api/account/credentials/verify", handler: (req) => this.login(req) },
            { method: "POST", path: "/api/providers/create", handler: this.authorized((req) => this.create(req)) },
            { method: "POST", path: "/api/providers/update", handler: this.authorized((req) => this.update(req)) },
            { method: "POST", path: "/api/providers/destroy", handler: this.authorized((req) => this.destroy(req)) },
            { method: "GET", path: "/api/providers/show", handler: this.authorized((req) => this.show(req)) },
            { method: "GET", path: "/api/providers/list", handler: this.authorized((req) => this.list(req)) },
        ],
        {
            notFound: () => v12Error(404, "404", "not found"),
            methodNotAllowed: (_req, allow) => ({
                ...v12Error(405, "405", "method not allowed"),
                headers: { ...JSON_HEADERS, Allow: allow.join(", ") },
            }),
        },
    );

    constructor(options: PortSipV12SimulatorOptions = {}) {
        this.now = options.now ?? Date.now;
        this.options = {
            adminUser: options.adminUser ?? "admin",
            adminPassword: options.adminPassword ?? "admin-secret",
            domain: options.domain,
            tokenLifetimeMs: options.tokenLifetimeMs ?? 600_000,
            slidingExpiry: options.slidingExpiry ?? true,
            authErrorStatus: options.authErrorStatus ?? 401,
            idFormat: options.idFormat ?? "number",
            expiresFormat: options.expiresFormat ?? "number",
            statusVocabulary: options.statusVocabulary ?? "ONLINE_OFFLINE",
            initialStatus: options.initialStatus ?? "ONLINE",
            onlineAfterMs: options.onlineAfterMs,
            uniqueNames: options.uniqueNames ?? true,
            apiVersion: options.apiVersion ?? "12.0.0",
        };
        this.adminUser = this.options.adminUser;
        this.adminPassword = this.options.adminPassword;
        this.tokens = new TokenStore<Session>(this.now);
        this.server = new SimulatorServer("portsip-v12", (req) => this.router.dispatch(req));
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

    get counters(): PortSipV12Counters {
        return { ...this.stats };
    }

    /** Every issued token stops working at once, as after a PBX restart. */
    expireAllTokens(): void {
        this.tokens.expireAll();
    }

    /** Forgets trunks, tokens, counters, the request log and pending faults. */
    reset(): void {
        this.trunks.clear();
        this.tokens.expireAll();
        this.stats = { loginsSucceeded: 0, loginsFailed: 0, authRejections: 0 };
        this.server.clearLog();
        this.server.clearFaults();
    }

    // ---- out-of-band access, as an administrator in the PBX web UI ----

    listTrunks(): V12Trunk[] {
        return [...this.trunks.values()].map((trunk) => this.view(trunk));
    }

    getTrunk(id: string | bigint): V12Trunk | undefined {
        const trunk = this.trunks.get(toBigId(id));
        return trunk === undefined ? undefined : this.view(trunk);
    }

    /** Adds a trunk with the API's create defaults for the fields not given; returns its id as decimal text. */
    addTrunk(fields: Partial<V12TrunkFields> & Pick<V12TrunkFields, V12RequiredField>): string {
        const id = randomBigId(10n ** 17n, INT64_MAX, (candidate) => this.trunks.has(candidate));
        this.trunks.set(id, {
            id,
            fields: withDefaults(cloneFields(fields)),
            extra: {},
            createdAt: this.now(),
            forcedStatus: undefined,
        });
        return id.toString();
    }

    /** Changes only the given fields (the web UI edits one form, unlike the API's full replace). */
    editTrunk(id: string | bigint, changes: Partial<V12TrunkFields>): void {
        const trunk = this.mustFind(id);
        trunk.fields = { ...trunk.fields, ...cloneFields(changes) };
    }

    /** Sets undocumented fields as a newer PBX build or another client would (`did_pool`, `username`). */
    setExtraFields(id: string | bigint, extra: Record<string, unknown>): void {
        const trunk = this.mustFind(id);
        trunk.extra = { ...trunk.extra, ...cloneFields(extra as Partial<V12TrunkFields>) };
    }

    deleteTrunk(id: string | bigint): boolean {
        return this.trunks.delete(toBigId(id));
    }

    /** Forces the registration status (`undefined` returns to the automatic one). */
    setTrunkStatus(id: string | bigint, status: V12Status | undefined): void {
        this.mustFind(id).forcedStatus = status;
    }

    private mustFind(id: string | bigint): StoredTrunk {
        const trunk = this.trunks.get(toBigId(id));
        if (trunk === undefined) throw new Error(`portsip-v12 simulator: no trunk ${id.toString()}`);
        return trunk;
    }

    private view(trunk: StoredTrunk): V12Trunk {
        return {
            id: trunk.id.toString(),
            ...cloneFields(trunk.fields),
            status: this.statusOf(trunk),
            extra: cloneFields(trunk.extra as Partial<V12TrunkFields>),
        };
    }

    private statusOf(trunk: StoredTrunk): V12Status {
        if (trunk.forcedStatus !== undefined) return trunk.forcedStatus;
        const delay = this.options.onlineAfterMs;
        if (delay !== undefined && this.now() < trunk.createdAt + delay) return "OFFLINE";
        return this.options.initialStatus;
    }

    // ---- HTTP ----

    /** Every route but login needs a live token (header or query), which slides on every call when so configured. */
    private authorized(run: (req: SimRequest) => SimResponse): (req: SimRequest) => SimResponse {
        return (req) => {
            const token = headerValue(req.headers, "access_token") ?? req.query.get("access_token") ?? undefined;
            const session = token === undefined ? undefined : this.tokens.get(token);
            if (token === undefined || session === undefined) {
                this.stats.authRejections += 1;
                return v12Error(
                    this.options.authErrorStatus,
                    String(this.options.authErrorStatus),
                    "access token invalid",
                );
            }
            if (this.options.slidingExpiry) this.tokens.extend(token, this.options.tokenLifetimeMs);
            return run(req);
        };
    }

    private login(req: SimRequest): SimResponse {
        const read = readBody(req);
        if (!read.ok) {
            this.stats.loginsFailed += 1;
            return read.response;
        }
        const body = read.value;
        // The older account doc says `username`, working clients send `name`: accept either, and
        // refuse a body whose two spellings disagree rather than guess which one the server reads.
        const names = [body.name, body.username].filter((value) => value !== undefined);
        const { password, domain } = body;
        if (names.length === 0 || password === undefined) {
            this.stats.loginsFailed += 1;
            return v12Error(400, "400", names.length === 0 ? "name is required" : "password is required");
        }
        const domainOk =
            domain === undefined || (typeof domain === "string" && (this.options.domain ?? domain) === domain);
        if (!names.every((name) => name === this.adminUser) || password !== this.adminPassword || !domainOk) {
            this.stats.loginsFailed += 1;
            return v12Error(400, "1040001", "name or domain incorrect");
        }
        this.stats.loginsSucceeded += 1;
        const token = this.issueToken({ user: this.adminUser });
        return jsonResponse(200, {
            access_token: token,
            expires: this.expiresValue(),
            role: "admin",
            api_version: this.options.apiVersion,
            id: "1",
            name: this.adminUser,
        });
    }

    private issueToken(session: Session): string {
        const token = randomUpperHex(16);
        this.tokens.issue(token, this.options.tokenLifetimeMs, session);
        return token;
    }

    private expiresValue(): number | string {
        const seconds = Math.max(1, Math.ceil(this.options.tokenLifetimeMs / 1000));
        return this.options.expiresFormat === "string" ? String(seconds) : seconds;
    }

    private create(req: SimRequest): SimResponse {
        const read = readBody(req);
        if (!read.ok) return read.response;
        // An `id` in a create body is ignored: the server assigns ids (documented), and a client that
        // expects its own id to stick finds out on the next read.
        const parsed = parseTrunkBody(read.value);
        if (!parsed.ok) return parsed.response;
        const fields = parsed.value;
        const conflict = this.nameConflict(fields.name, undefined);
        if (conflict !== undefined) return conflict;
        const id = randomBigId(10n ** 17n, INT64_MAX, (candidate) => this.trunks.has(candidate));
        this.trunks.set(id, {
            id,
            fields,
            extra: extraFields(read.value),
            createdAt: this.now(),
            forcedStatus: undefined,
        });
        // 200, not 201 (DOCUMENTED).
        return jsonResponse(200, { id: this.wireId(id) });
    }

    private update(req: SimRequest): SimResponse {
        const read = readBody(req);
        if (!read.ok) return read.response;
        const body = read.value;
        if (body.id === undefined) return v12Error(400, "400", "id is required");
        const trunk = this.findByWireId(body.id);
        if (trunk === undefined) return v12Error(400, "400", INVALID_ID_MESSAGE);
        // Full replacement (undocumented, but the doc marks every update field required): the body is
        // read exactly like a create body, so every field it leaves out takes its create default;
        // nothing is merged from the stored record.
        const parsed = parseTrunkBody(body);
        if (!parsed.ok) return parsed.response;
        const fields = parsed.value;
        const conflict = this.nameConflict(fields.name, trunk.id);
        if (conflict !== undefined) return conflict;
        trunk.fields = fields;
        // Full replacement wipes undocumented fields the body leaves out (a third-party client saw `did_pool` go).
        trunk.extra = extraFields(body);
        // The documented sample response is empty.
        return { status: 200 };
    }

    private destroy(req: SimRequest): SimResponse {
        const read = readBody(req);
        if (!read.ok) return read.response;
        const trunk = read.value.id === undefined ? undefined : this.findByWireId(read.value.id);
        if (trunk === undefined) return v12Error(400, "400", INVALID_ID_MESSAGE);
        this.trunks.delete(trunk.id);
        return { status: 200 };
    }

    private show(req: SimRequest): SimResponse {
        const id = req.query.get("id");
        // Unknown ids answer like destroy's documented 400 (show's answer is undocumented), not 404.
        const trunk = id === null ? undefined : this.findByWireId(id);
        if (trunk === undefined) return v12Error(400, "400", INVALID_ID_MESSAGE);
        return jsonResponse(200, this.toWire(trunk));
    }

    private list(req: SimRequest): SimResponse {
        // 1-based pages (the documented sample's last page equals page_count); default page 1 of 10,
        // at most 100 per page (assumed).
        const pagination = readPositiveInt(req.query.get("pagination"), 1);
        const pagesize = readPositiveInt(req.query.get("pagesize"), 10);
        if (pagination === undefined) return v12Error(400, "400", "pagination is invalid");
        if (pagesize === undefined || pagesize > 100) return v12Error(400, "400", "pagesize is invalid");
        // PortSIP's own softphone sends `sort_by=default` in lower case.
        const sortBy = (req.query.get("sort_by") ?? "DEFAULT").toUpperCase();
        if (sortBy !== "DEFAULT" && sortBy !== "OPTIONAL") return v12Error(400, "400", "sort_by is invalid");

        const all = [...this.trunks.values()];
        // DEFAULT = creation order (Map order); OPTIONAL = by name (undocumented; an assumption).
        if (sortBy === "OPTIONAL")
            all.sort((a, b) => (a.fields.name < b.fields.name ? -1 : a.fields.name > b.fields.name ? 1 : 0));
        const start = (pagination - 1) * pagesize;
        return jsonResponse(200, {
            sort_by: sortBy,
            page_count: Math.ceil(all.length / pagesize),
            pagesize,
            pagination,
            count: all.length,
            providers: all.slice(start, start + pagesize).map((trunk) => this.toWire(trunk)),
        });
    }

    private nameConflict(name: string, self: bigint | undefined): SimResponse | undefined {
        if (!this.options.uniqueNames) return undefined;
        const lower = name.toLowerCase();
        for (const trunk of this.trunks.values()) {
            if (trunk.id !== self && trunk.fields.name.toLowerCase() === lower) {
                return v12Error(400, "400", "provider name already exists");
            }
        }
        return undefined;
    }

    /** Ids arrive as JSON numbers or strings (clients send both); anything else, or an unknown id, finds nothing. */
    private findByWireId(value: unknown): StoredTrunk | undefined {
        let text: string | undefined;
        if (isLosslessNumber(value)) text = value.value;
        else if (typeof value === "number" && Number.isSafeInteger(value)) text = String(value);
        else if (typeof value === "string") text = value;
        if (text === undefined || !/^[1-9][0-9]{0,18}$/.test(text)) return undefined;
        return this.trunks.get(BigInt(text));
    }

    private wireId(id: bigint): bigint | string {
        return this.options.idFormat === "string" ? id.toString() : id;
    }

    private wireStatus(status: V12Status): string {
        if (this.options.statusVocabulary === "ONLINE_OFFLINE") return status;
        return status === "ONLINE" ? "REGISTERED" : "UNREGISTERED";
    }

    /** The documented `show` field list, in its order of appearance; the password is included (documented). */
    private toWire(trunk: StoredTrunk): Json {
        const f = trunk.fields;
        return {
            id: this.wireId(trunk.id),
            name: f.name,
            auth_mode: f.auth_mode,
            protocol: f.protocol,
            hostname: f.hostname,
            port: f.port,
            auth_id: f.auth_id,
            password: f.password,
            require_register: f.require_register,
            reregister_interval: f.reregister_interval,
            outbound_server: f.outbound_server,
            outbound_server_port: f.outbound_server_port,
            provider_in_lan: f.provider_in_lan,
            single_via_header: f.single_via_header,
            ips: f.ips,
            in_parameters: f.in_parameters,
            out_parameters: f.out_parameters,
            status: this.wireStatus(this.statusOf(trunk)),
            ...trunk.extra,
        };
    }
}

const JSON_HEADERS = { "Content-Type": "application/json" };

function jsonResponse(status: number, body: Json): SimResponse {
    const text = stringify(body);
    if (text === undefined) throw new Error("unserializable response");
    return { status, headers: JSON_HEADERS, body: text };
}

/** Error body shape `{err_code, msg}`, undocumented; third-party clients read it so, `err_code` a string. */
function v12Error(status: number, errCode: string, msg: string): SimResponse {
    return jsonResponse(status, { err_code: errCode, msg });
}

/**
 * Parses a JSON request body without losing digits: safe numbers become `number`, anything else
 * (ids beyond 2^53, numbers inside the free-form arrays) stays a `LosslessNumber` and is written
 * back unchanged. Returns the value, or the 400 answer to send.
 */
function readBody(req: SimRequest): Result<Json> {
    // The docs always send JSON; a form or text body is refused rather than half-understood.
    if (mediaType(req.headers) !== "application/json") {
        return fail(v12Error(400, "400", "Content-Type must be application/json"));
    }
    let value: unknown;
    try {
        value = parseExact(req.rawBody);
    } catch {
        return fail(v12Error(400, "400", "invalid JSON body"));
    }
    if (!isPlainObject(value) || isLosslessNumber(value)) {
        return fail(v12Error(400, "400", "body must be a JSON object"));
    }
    return { ok: true, value };
}

function parseTrunkBody(body: Json): Result<V12TrunkFields> {
    for (const field of REQUIRED_FIELDS) {
        if (body[field] === undefined) return fail(v12Error(400, "400", `${field} is required`));
    }
    const parsed = bodySchema.safeParse(body);
    if (!parsed.success) {
        const field = parsed.error.issues[0]?.path[0];
        return fail(v12Error(400, "400", `${typeof field === "string" ? field : "body"} is invalid`));
    }
    // Host fields are not free text: a URL, a host:port or a typo with a space would never register.
    if (!isHostOrIp(parsed.data.hostname)) return fail(v12Error(400, "400", "hostname is invalid"));
    const outbound = parsed.data.outbound_server;
    if (outbound !== undefined && outbound !== "" && !isHostOrIp(outbound)) {
        return fail(v12Error(400, "400", "outbound_server is invalid"));
    }
    // withDefaults copies only the stored fields, which drops the ignored `status`.
    return { ok: true, value: withDefaults(parsed.data) };
}

/** Top-level keys outside the documented object (and not `id`), kept exactly (big numbers included). */
function extraFields(body: Json): Record<string, unknown> {
    const known = new Set<string>([...Object.keys(bodySchema.shape), "id"]);
    return Object.fromEntries(Object.entries(body).filter(([key]) => !known.has(key)));
}

function parseExact(text: string): unknown {
    return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits)));
}

/** Create defaults (undocumented), also what a full-replace update falls back to for omitted fields. */
function withDefaults(fields: Partial<V12TrunkFields> & Pick<V12TrunkFields, V12RequiredField>): V12TrunkFields {
    return {
        name: fields.name,
        auth_mode: fields.auth_mode,
        protocol: fields.protocol,
        hostname: fields.hostname,
        port: fields.port,
        // Undocumented defaults: empty credentials, as a blank web form would save.
        auth_id: fields.auth_id ?? "",
        password: fields.password ?? "",
        require_register: fields.require_register ?? fields.auth_mode === "REGISTER_AUTH",
        reregister_interval: fields.reregister_interval ?? 600,
        outbound_server: fields.outbound_server ?? "",
        outbound_server_port: fields.outbound_server_port ?? 0,
        provider_in_lan: fields.provider_in_lan ?? false,
        single_via_header: fields.single_via_header ?? true,
        ips: fields.ips ?? [],
        in_parameters: fields.in_parameters ?? [],
        out_parameters: fields.out_parameters ?? [],
    };
}

/** Deep copy that keeps `LosslessNumber`s and bigints exact. */
function cloneFields<T extends Partial<V12TrunkFields>>(fields: T): T {
    const text = stringify(fields);
    if (text === undefined) throw new Error("unserializable trunk fields");
    return parseExact(text) as T;
}

/** Out-of-band ids: any text that is not a decimal int64 simply matches no trunk. */
function toBigId(id: string | bigint): bigint {
    return typeof id === "bigint" ? id : /^[0-9]{1,19}$/.test(id) ? BigInt(id) : -1n;
}

function readPositiveInt(text: string | null, fallback: number): number | undefined {
    if (text === null) return fallback;
    return /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : undefined;
}
