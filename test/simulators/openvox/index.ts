import { createHash, randomBytes } from "node:crypto";
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { Router } from "../core/router";
import { SimulatorServer, type SimRequest, type SimResponse } from "../core/server";

/**
 * Simulator of the OpenVox UC-series IPPBX HTTP API v0.0.1 (a near-copy of Yeastar S-Series API v1.1.0), limited
 * to what the SIP-trunk resource calls: `login` and `siptrunk/{add,query,update,delete}`.
 *
 * Source of truth: OpenVox's UC IPPBX API v0.0.1 documentation ("the docs" below), with Yeastar's S-Series API where
 * OpenVox copied it. Where they are silent the simulator picks the strict plausible behaviour and says so next to the
 * code ("docs silent"), so a client that passes here does not lean on leniency the real PBX may not have.
 */

/**
 * Every errno the simulator can answer with. Only `30003` (failed login) is documented by OpenVox; the others carry
 * Yeastar S-Series meanings (from Yeastar's errno table) and the 9xxxx codes are simulator-only, deliberately outside
 * every vendor range so nobody mistakes them for real codes.
 */
export const OPENVOX_ERRNO = {
    /** [Yeastar] XML packet format not supported: a `type=xml` body that is not well-formed `<xml>…</xml>`. */
    badXml: "10002",
    /** [Yeastar] Unsupported API request: unknown endpoint or `type`, bad enum or format, non-string value, unknown field. */
    unsupported: "10003",
    /** [Yeastar] A required parameter is empty (missing or blank). */
    missingParameter: "10004",
    /** [Yeastar] New configuration applied too frequently; only produced by `rejectNextWrites`. */
    tooFrequent: "10025",
    /** [Yeastar] Only JSON supported: a `type=json` body that is not a JSON object. */
    notJson: "20000",
    /** [Yeastar] Only POST supported. */
    onlyPost: "20001",
    /** [Yeastar] Login failed, client IP locked out. */
    lockedOut: "20002",
    /** [Yeastar] No such token (never issued, logged out, or dropped by a PBX restart). */
    noSuchToken: "20004",
    /** [Yeastar] Token missing or blank. */
    tokenEmpty: "20005",
    /** [Yeastar] Token timed out (idle longer than the token lifetime). */
    tokenExpired: "20006",
    /** [Yeastar] Data empty: a body is required but none was sent; also `unknownQueryNameIsError`. */
    dataEmpty: "20007",
    /** [Yeastar] Port error: the login's event-report `port` is not 0-65535. */
    portError: "20008",
    /** [OpenVox, documented] Login failed (bad username or password). */
    loginFailed: "30003",
    /** [simulator-only] A trunk with this name already exists (add, rename). */
    duplicateName: "90001",
    /** [simulator-only] No trunk with this id (update) / name (delete with `unknownDeleteNameIsError`). */
    unknownTrunk: "90002",
} as const;

export type TrunkType = "register" | "peer" | "account";

export interface RegisterTrunkInput {
    trunkname: string;
    trunktype: "register";
    host: string;
    port: string;
    /** Defaults to `host` (docs silent; `query` always returns a domain). */
    domain?: string;
    username: string;
    authname: string;
    password: string;
    fromuser?: string;
}

export interface PeerTrunkInput {
    trunkname: string;
    trunktype: "peer";
    host: string;
    port: string;
    domain?: string;
}

export interface AccountTrunkInput {
    trunkname: string;
    trunktype: "account";
    username: string;
    authname: string;
    password: string;
}

/**
 * Yeastar S-Series DOD settings (`{dod_number}-{dod_name}-{extension|group}` entries joined by commas), which OpenVox
 * does not list. Only accepted when the simulator runs with `dod: true`.
 */
export interface DodFields {
    extensionsdod: string;
    extensionsgroupdod: string;
}

export const DOD_FIELDS = ["extensionsdod", "extensionsgroupdod"] as const;

export type TrunkInput = (RegisterTrunkInput | PeerTrunkInput | AccountTrunkInput) & Partial<DodFields>;

/** A trunk exactly as `siptrunk/query` returns it (same keys, same order, every value a string). */
export interface RegisterTrunk {
    id: string;
    trunkname: string;
    tech: "pjsip";
    trunktype: "register";
    host: string;
    port: string;
    domain: string;
    username: string;
    authname: string;
    fromuser: string;
    password: string;
}

export interface PeerTrunk {
    id: string;
    trunkname: string;
    tech: "pjsip";
    trunktype: "peer";
    host: string;
    port: string;
    domain: string;
}

export interface AccountTrunk {
    id: string;
    trunkname: string;
    tech: "pjsip";
    trunktype: "account";
    username: string;
    authname: string;
    password: string;
}

/** With `dod: true` every trunk also carries both DOD fields (blank when unset), after its own fields. */
export type OpenVoxTrunk = (RegisterTrunk | PeerTrunk | AccountTrunk) & Partial<DodFields>;

/** Fields an admin can change in the web UI; the trunk type is fixed once created (see `editTrunk`). */
export type TrunkEdit = Partial<
    Record<
        | "trunkname"
        | "host"
        | "port"
        | "domain"
        | "username"
        | "authname"
        | "password"
        | "fromuser"
        | "extensionsdod"
        | "extensionsgroupdod",
        string
    >
>;

export type LoginOutcome = "success" | "bad-credentials" | "locked-out" | "malformed";

export interface LoginAttempt {
    /** Simulator clock (ms). */
    at: number;
    ip: string;
    /** The username as sent, when it was a string. */
    username: string | undefined;
    outcome: LoginOutcome;
    /** The errno answered, when the attempt failed. */
    errno: string | undefined;
}

export interface LoginStats {
    successes: number;
    /** Wrong username or password (the attempts that count towards a lockout). */
    failures: number;
    /** How many times an IP got locked. */
    lockouts: number;
    /** Attempts refused with `20002` because the IP was locked. */
    rejectedWhileLocked: number;
    /** Attempts refused before the credential check (bad body, missing field, bad port). */
    malformed: number;
}

export interface SessionInfo {
    token: string;
    username: string;
    /** The client IP that logged in (see `CLIENT_IP_HEADER`). */
    ip: string;
    createdAt: number;
    lastUsedAt: number;
    /** Where the PBX would push event reports; recorded for assertions, never contacted. */
    eventReport: { ipaddr: string; port: string; url: string | undefined; urltag: string | undefined };
    version: string | undefined;
}

export interface OpenVoxSimulatorOptions {
    /** API username configured in the PBX's API settings. */
    username: string;
    /** API password in plain text; clients must send its lowercase MD5 hex digest. */
    password: string;
    /** Idle lifetime of a token; every authenticated call refreshes it. Default 30 minutes (documented). */
    tokenIdleMs?: number;
    /** Consecutive failed logins from one IP that lock it. Default 5 (documented). */
    lockoutThreshold?: number;
    /** How long a locked IP stays locked. Default 10 minutes (documented). */
    lockoutMs?: number;
    /** Injectable clock (ms) for token expiry and lockouts. Default `Date.now`. */
    now?: () => number;
    /** API version path segments served. Default `["v0.0.1"]`; add `"v1.1.0"` to also accept the docs' stray paths. */
    apiVersions?: readonly string[];
    /** When true a login invalidates the user's earlier tokens (they answer `20004`). Default false. */
    singleSession?: boolean;
    /** Default true: `update` must carry every field of the trunk's type. False merges with the stored trunk. */
    strictUpdate?: boolean;
    /** Default true: fields the endpoint or trunk type does not define are refused with `10003`. */
    rejectUnknownFields?: boolean;
    /** Default false: `query` answers only the trunks found. True: any unknown name fails with `20007`. */
    unknownQueryNameIsError?: boolean;
    /** Default false: `delete` of an unknown name succeeds. True: fails with `90002` and deletes nothing. */
    unknownDeleteNameIsError?: boolean;
    /** Errno for a duplicate trunk name. Default `90001`. */
    duplicateNameErrno?: string;
    /**
     * Default false: the Yeastar DOD fields (`extensionsdod`, `extensionsgroupdod`) are unknown fields (10003), as
     * OpenVox does not list them. True: accepted as optional on every trunk type (10003 when an entry is not
     * `{number}-{name}-{target}`), stored, and returned by `query` (blank when unset); an `update` without them clears
     * them, like any optional field of the full-record update.
     */
    dod?: boolean;
}

/**
 * The harness binds to 127.0.0.1 and does not expose the peer address, so every real client is "127.0.0.1". Tests
 * that need distinct client IPs (per-IP lockout) send this simulator-only header; a real PBX would use the socket.
 */
export const CLIENT_IP_HEADER = "x-sim-client-ip";

type Format = "json" | "xml";
type WireValue = string | WireObject | WireObject[];
interface WireObject {
    [key: string]: WireValue;
}
type Outcome<T> = { ok: true; value: T } | { ok: false; errno: string };
/** A request whose answer format (`?type=`) is already known. */
interface OpenVoxRequest extends SimRequest {
    format: Format;
}
type OpenVoxHandler = (req: SimRequest, format: Format) => WireObject;

/** Per-type fields from the docs' add/update tables; `domain` is optional as in OpenVox's XML examples. */
const TYPE_FIELDS: Record<TrunkType, { required: readonly string[]; optional: readonly string[] }> = {
    register: { required: ["host", "port", "username", "authname", "password"], optional: ["domain", "fromuser"] },
    peer: { required: ["host", "port"], optional: ["domain"] },
    account: { required: ["username", "authname", "password"], optional: [] },
};

/**
 * The docs' tables say Int for these although examples send strings, and the login example sends `"urltag": 1`
 * although its table says String, so JSON numbers are accepted here and only here; they are stored as strings.
 */
const NUMERIC_TOLERANT_FIELDS = new Set(["port", "id", "urltag"]);

const LOGIN_FIELDS = new Set(["username", "password", "port", "url", "version", "urltag"]);

const CORS_HEADERS: Record<string, string> = {
    "Access-control-allow-origin": "*",
    "Access-control-allow-methods": "GET, POST, OPTIONS, PUT, DELETE",
};

interface StoredTrunk {
    id: number;
    trunk: NormalizedTrunk;
}

type NormalizedTrunk = (
    | (Omit<RegisterTrunkInput, "domain" | "fromuser"> & { domain: string; fromuser: string })
    | (Omit<PeerTrunkInput, "domain"> & { domain: string })
    | AccountTrunkInput
) &
    Partial<DodFields>;

interface IpLockState {
    consecutiveFailures: number;
    lockedUntil: number | undefined;
}

const xmlParser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Values stay verbatim strings: "05060" must not become 5060 and a password's spaces must survive.
    parseTagValue: false,
    trimValues: false,
});

// fast-xml-parser marks its builder and validator deprecated in favour of separate packages that are not declared
// dependencies of this repo; the bundled ones are what package.json provides.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const xmlBuilder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    format: true,
    indentBy: "    ",
    suppressEmptyNode: false,
});

export function md5Hex(text: string): string {
    return createHash("md5").update(text, "utf8").digest("hex");
}

export class OpenVoxSimulator {
    readonly server: SimulatorServer;
    /** Every login attempt, in order. */
    readonly loginAttempts: LoginAttempt[] = [];
    readonly loginStats: LoginStats = { successes: 0, failures: 0, lockouts: 0, rejectedWhileLocked: 0, malformed: 0 };

    private readonly username: string;
    private readonly passwordMd5: string;
    private readonly tokenIdleMs: number;
    private readonly lockoutThreshold: number;
    private readonly lockoutMs: number;
    private readonly now: () => number;
    private readonly apiVersions: ReadonlySet<string>;
    private readonly singleSession: boolean;
    private readonly strictUpdate: boolean;
    private readonly rejectUnknownFields: boolean;
    private readonly unknownQueryNameIsError: boolean;
    private readonly unknownDeleteNameIsError: boolean;
    private readonly duplicateNameErrno: string;
    private readonly dod: boolean;
    private readonly router: Router<OpenVoxRequest, WireObject>;

    private readonly sessions = new Map<string, SessionInfo>();
    /** Tokens erased for idleness: they answer `20006` rather than `20004`, which is what tells a client to re-login. */
    private readonly expiredTokens = new Set<string>();
    private readonly ipLocks = new Map<string, IpLockState>();
    private readonly trunks = new Map<number, StoredTrunk>();
    /** Ids are never reused, like an SQL autoincrement (docs silent). */
    private nextId = 1;
    private writeRejections: { remaining: number; errno: string } = { remaining: 0, errno: OPENVOX_ERRNO.tooFrequent };
    /** See `expireTokensAfter`: authenticated calls still to serve before every token times out. */
    private tokenExpiryCountdown: number | undefined;

    constructor(options: OpenVoxSimulatorOptions) {
        this.username = options.username;
        this.passwordMd5 = md5Hex(options.password);
        this.tokenIdleMs = options.tokenIdleMs ?? 30 * 60_000;
        this.lockoutThreshold = options.lockoutThreshold ?? 5;
        this.lockoutMs = options.lockoutMs ?? 10 * 60_000;
        this.now = options.now ?? Date.now;
        this.apiVersions = new Set(options.apiVersions ?? ["v0.0.1"]);
        this.singleSession = options.singleSession ?? false;
        this.strictUpdate = options.strictUpdate ?? true;
        this.rejectUnknownFields = options.rejectUnknownFields ?? true;
        this.unknownQueryNameIsError = options.unknownQueryNameIsError ?? false;
        this.unknownDeleteNameIsError = options.unknownDeleteNameIsError ?? false;
        this.duplicateNameErrno = options.duplicateNameErrno ?? OPENVOX_ERRNO.duplicateName;
        this.dod = options.dod ?? false;
        this.router = this.buildRouter();
        this.server = new SimulatorServer("openvox", (req) => this.handle(req));
    }

    /** Starts on 127.0.0.1 (random port by default) and returns e.g. `http://127.0.0.1:41234`. */
    start(port = 0): Promise<string> {
        return this.server.start(port);
    }

    stop(): Promise<void> {
        return this.server.stop();
    }

    // ---- sessions and lockout (out of band) ----

    /** Marks every live token as timed out; their next use answers `20006`. */
    expireAllTokens(): void {
        for (const token of this.sessions.keys()) this.expiredTokens.add(token);
        this.sessions.clear();
    }

    /**
     * The next `calls` authenticated calls are served normally; then every token live at that moment times out, so
     * the call after them answers `20006`. Deterministic "the token expires in the middle of a run".
     */
    expireTokensAfter(calls: number): void {
        this.tokenExpiryCountdown = calls;
    }

    /** Forgets every token as a PBX restart would; their next use answers `20004`. */
    forgetAllTokens(): void {
        this.sessions.clear();
        this.expiredTokens.clear();
    }

    /** Tokens still valid at the current simulator time. */
    activeSessions(): SessionInfo[] {
        const now = this.now();
        return [...this.sessions.values()]
            .filter((session) => now - session.lastUsedAt < this.tokenIdleMs)
            .map((session) => ({ ...session, eventReport: { ...session.eventReport } }));
    }

    /** Client IPs locked right now. */
    blockedIps(): string[] {
        const now = this.now();
        return [...this.ipLocks.entries()]
            .filter(([, state]) => state.lockedUntil !== undefined && now < state.lockedUntil)
            .map(([ip]) => ip);
    }

    /** What an admin deleting the IP from the PBX's blocked-IP list does (Yeastar lists it there as "API-IP"). */
    unblockIp(ip: string): boolean {
        return this.ipLocks.delete(ip);
    }

    /** The next `count` add/update/delete calls fail with `errno` (default `10025`) and change nothing. */
    rejectNextWrites(count: number, errno: string = OPENVOX_ERRNO.tooFrequent): void {
        this.writeRejections = { remaining: count, errno };
    }

    // ---- trunk store (out of band, as an admin in the PBX web UI) ----

    listTrunks(): OpenVoxTrunk[] {
        return this.sortedTrunks().map((stored) => this.wireTrunk(stored));
    }

    getTrunk(name: string): OpenVoxTrunk | undefined {
        const stored = this.findByName(name);
        return stored === undefined ? undefined : this.wireTrunk(stored);
    }

    getTrunkById(id: string | number): OpenVoxTrunk | undefined {
        const stored = this.trunks.get(Number(id));
        return stored === undefined ? undefined : this.wireTrunk(stored);
    }

    /** Adds a trunk with the API's validation; throws on anything the API would refuse. */
    addTrunk(input: TrunkInput): OpenVoxTrunk {
        const checked = this.validateTrunk(toFieldMap(input), []);
        if (!checked.ok) throw new Error(`OpenVox simulator: addTrunk refused with errno ${checked.errno}`);
        if (this.findByName(checked.value.trunkname) !== undefined) {
            throw new Error(`OpenVox simulator: addTrunk refused, trunk ${checked.value.trunkname} exists`);
        }
        return this.wireTrunk(this.insert(checked.value));
    }

    /**
     * Edits some fields of an existing trunk (an admin changes one field in the UI, unlike the API's full-record
     * update). The trunk type cannot change: the PBX UI only offers it when creating a trunk (docs silent).
     */
    editTrunk(name: string, changes: TrunkEdit): OpenVoxTrunk {
        const stored = this.findByName(name);
        if (stored === undefined) throw new Error(`OpenVox simulator: editTrunk: no trunk named ${name}`);
        const merged = toFieldMap(stored.trunk);
        // `{ host: undefined }` means "not edited"; Object.entries types the value as plain string.
        for (const [key, value] of Object.entries(changes) as [string, string | undefined][]) {
            if (value !== undefined) merged.set(key, value);
        }
        const checked = this.validateTrunk(merged, []);
        if (!checked.ok) throw new Error(`OpenVox simulator: editTrunk refused with errno ${checked.errno}`);
        const clash = this.findByName(checked.value.trunkname);
        if (clash !== undefined && clash.id !== stored.id) {
            throw new Error(`OpenVox simulator: editTrunk refused, trunk ${checked.value.trunkname} exists`);
        }
        stored.trunk = checked.value;
        return this.wireTrunk(stored);
    }

    deleteTrunk(name: string): boolean {
        const stored = this.findByName(name);
        if (stored === undefined) return false;
        return this.trunks.delete(stored.id);
    }

    // ---- HTTP ----

    private handle(req: SimRequest): SimResponse {
        const typeParam = req.query.get("type");
        let format: Format;
        if (typeParam === null || typeParam === "json") {
            // docs silent on a missing `type`; the documented heartbeat and logout templates carry none, so JSON.
            format = "json";
        } else if (typeParam === "xml") {
            format = "xml";
        } else {
            // docs silent: an unknown `type` (including "JSON") is refused; JSON is the only format left to answer in.
            return this.render("json", failed(OPENVOX_ERRNO.unsupported));
        }
        // Any other method is refused before the path is looked at, so even an unknown path answers "only POST".
        if (req.method !== "POST") return this.render(format, failed(OPENVOX_ERRNO.onlyPost));
        return this.render(format, this.router.dispatch({ ...req, format }));
    }

    /** `/api/<version>/<endpoint>`, for the configured versions only; an unknown path or version is "unsupported". */
    private buildRouter(): Router<OpenVoxRequest, WireObject> {
        // A version is one non-empty path segment; with none configured no path matches (`(?!)`).
        const versions = [...this.apiVersions]
            .filter((version) => /^[^/]+$/.test(version))
            .map((version) => version.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
        const version = versions.length === 0 ? "(?!)" : versions.join("|");
        const post = (name: string, handler: (req: OpenVoxRequest) => WireObject) => ({
            method: "POST",
            path: new RegExp(`/api/(?:${version})/${name}`),
            handler,
        });
        return new Router<OpenVoxRequest, WireObject>(
            [
                post("login", (req) => this.login(req, req.format)),
                post(
                    "siptrunk/add",
                    this.authorized((r, f) => this.writeGate() ?? this.add(r, f)),
                ),
                post(
                    "siptrunk/query",
                    this.authorized((r, f) => this.query(r, f)),
                ),
                post(
                    "siptrunk/update",
                    this.authorized((r, f) => this.writeGate() ?? this.update(r, f)),
                ),
                post(
                    "siptrunk/delete",
                    this.authorized((r, f) => this.writeGate() ?? this.remove(r, f)),
                ),
            ],
            {
                notFound: () => failed(OPENVOX_ERRNO.unsupported),
                methodNotAllowed: () => failed(OPENVOX_ERRNO.onlyPost),
            },
        );
    }

    /**
     * Every endpoint but login needs the token from the query string; a valid one is refreshed even if the call then
     * fails, since the docs count any interaction as activity.
     */
    private authorized(run: OpenVoxHandler): (req: OpenVoxRequest) => WireObject {
        return (req) => {
            if (this.tokenExpiryCountdown !== undefined) {
                if (this.tokenExpiryCountdown <= 0) {
                    this.tokenExpiryCountdown = undefined;
                    this.expireAllTokens();
                } else {
                    this.tokenExpiryCountdown -= 1;
                }
            }
            const session = this.authenticate(req.query.get("token"));
            if (!session.ok) return failed(session.errno);
            return run(req, req.format);
        };
    }

    private render(format: Format, payload: WireObject): SimResponse {
        if (format === "json") {
            return {
                status: 200,
                headers: { ...CORS_HEADERS, "Content-Type": "application/json; charset=utf-8" },
                body: JSON.stringify(payload),
            };
        }
        const document = {
            "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
            xml: toXmlTree(payload),
        };
        return {
            status: 200,
            headers: { ...CORS_HEADERS, "Content-Type": "text/xml; charset=utf-8" },
            body: xmlBuilder.build(document),
        };
    }

    // ---- authentication ----

    private login(req: SimRequest, format: Format): WireObject {
        const ip = clientIp(req);
        const now = this.now();
        const lock = this.currentLock(ip, now);
        const record = (username: string | undefined, outcome: LoginOutcome, errno?: string): WireObject => {
            this.loginAttempts.push({ at: now, ip, username, outcome, errno });
            return errno === undefined ? success() : failed(errno);
        };

        // Checked before the body: a locked IP gets 20002 even with the right password, and the attempt neither
        // counts as a failure nor extends the lock (docs silent).
        if (lock?.lockedUntil !== undefined) {
            this.loginStats.rejectedWhileLocked += 1;
            return record(undefined, "locked-out", OPENVOX_ERRNO.lockedOut);
        }

        // docs silent: requests refused before the credential check are "malformed" and do not count towards the
        // lockout, which the docs tie to wrong passwords.
        const malformed = (username: string | undefined, errno: string): WireObject => {
            this.loginStats.malformed += 1;
            return record(username, "malformed", errno);
        };
        const body = parseBody(req.rawBody, format);
        if (!body.ok) return malformed(undefined, body.errno);
        const fields = body.value;
        const username = fields.get("username");
        const required = requireFields(fields, ["username", "password", "port"]);
        if (!required.ok) return malformed(username, required.errno);
        const unknown = this.unknownField(fields, LOGIN_FIELDS);
        if (unknown !== undefined) return malformed(username, unknown);
        if (!isEventPort(fields.get("port"))) return malformed(username, OPENVOX_ERRNO.portError);
        if (!isUrlTag(fields.get("urltag"))) return malformed(username, OPENVOX_ERRNO.unsupported);

        // Exact comparison: the docs demand the 32 lowercase hex MD5, so an uppercase digest or the plain password
        // fails like a wrong password (docs silent on case-insensitivity).
        if (username !== this.username || fields.get("password") !== this.passwordMd5) {
            this.loginStats.failures += 1;
            const state = lock ?? { consecutiveFailures: 0, lockedUntil: undefined };
            state.consecutiveFailures += 1;
            // The failure that reaches the threshold still answers 30003; the lock applies from the next attempt.
            if (state.consecutiveFailures >= this.lockoutThreshold) {
                state.lockedUntil = now + this.lockoutMs;
                this.loginStats.lockouts += 1;
            }
            this.ipLocks.set(ip, state);
            return record(username, "bad-credentials", OPENVOX_ERRNO.loginFailed);
        }

        // "Five consecutive" failures: a success resets the count (docs silent).
        this.ipLocks.delete(ip);
        if (this.singleSession) {
            for (const [token, session] of this.sessions) {
                if (session.username === username) this.sessions.delete(token);
            }
        }
        const token = randomBytes(16).toString("hex");
        this.sessions.set(token, {
            token,
            username,
            ip,
            createdAt: now,
            lastUsedAt: now,
            eventReport: {
                ipaddr: ip,
                port: fields.get("port") ?? "",
                url: fields.get("url"),
                urltag: fields.get("urltag"),
            },
            version: fields.get("version"),
        });
        this.loginStats.successes += 1;
        this.loginAttempts.push({ at: now, ip, username, outcome: "success", errno: undefined });
        return success({ token });
    }

    /** The lock state of `ip`, after dropping a lock that has run out (which also resets its failure count). */
    private currentLock(ip: string, now: number): IpLockState | undefined {
        const state = this.ipLocks.get(ip);
        if (state?.lockedUntil !== undefined && now >= state.lockedUntil) {
            this.ipLocks.delete(ip);
            return undefined;
        }
        return state;
    }

    private authenticate(token: string | null): Outcome<SessionInfo> {
        if (token === null || token === "") return { ok: false, errno: OPENVOX_ERRNO.tokenEmpty };
        const session = this.sessions.get(token);
        if (session === undefined) {
            return {
                ok: false,
                errno: this.expiredTokens.has(token) ? OPENVOX_ERRNO.tokenExpired : OPENVOX_ERRNO.noSuchToken,
            };
        }
        const now = this.now();
        // Idle for the full lifetime means erased: a token last used exactly `tokenIdleMs` ago is already gone.
        if (now - session.lastUsedAt >= this.tokenIdleMs) {
            this.sessions.delete(token);
            this.expiredTokens.add(token);
            return { ok: false, errno: OPENVOX_ERRNO.tokenExpired };
        }
        session.lastUsedAt = now;
        return { ok: true, value: session };
    }

    // ---- SIP trunks ----

    private writeGate(): WireObject | undefined {
        if (this.writeRejections.remaining <= 0) return undefined;
        this.writeRejections.remaining -= 1;
        return failed(this.writeRejections.errno);
    }

    private add(req: SimRequest, format: Format): WireObject {
        const body = parseBody(req.rawBody, format);
        if (!body.ok) return failed(body.errno);
        const checked = this.validateTrunk(body.value, []);
        if (!checked.ok) return failed(checked.errno);
        // docs silent on duplicates; names must be unique because query and delete address trunks by name.
        if (this.findByName(checked.value.trunkname) !== undefined) return failed(this.duplicateNameErrno);
        this.insert(checked.value);
        // Documented: no id, no echo of the object.
        return success();
    }

    private query(req: SimRequest, format: Format): WireObject {
        const body = parseBody(req.rawBody, format);
        if (!body.ok) return failed(body.errno);
        const selection = this.select(body.value);
        if (!selection.ok) return failed(selection.errno);
        if (selection.value.missing.length > 0 && this.unknownQueryNameIsError) {
            return failed(OPENVOX_ERRNO.dataEmpty);
        }
        // docs silent: matches come back in id order whatever the order of the names asked for.
        return success({ trunks: selection.value.found.map((stored) => toWireObject(this.wireTrunk(stored))) });
    }

    private update(req: SimRequest, format: Format): WireObject {
        const body = parseBody(req.rawBody, format);
        if (!body.ok) return failed(body.errno);
        const fields = body.value;
        const rawId = fields.get("id");
        if (rawId === undefined || rawId.trim() === "") return failed(OPENVOX_ERRNO.missingParameter);
        if (!/^[1-9][0-9]*$/.test(rawId)) return failed(OPENVOX_ERRNO.unsupported);
        const stored = this.trunks.get(Number(rawId));

        let candidate = fields;
        if (!this.strictUpdate) {
            if (stored === undefined) return failed(OPENVOX_ERRNO.unknownTrunk);
            // A type change cannot be merged (the old type's fields do not belong to the new one): full record needed.
            const typeChanges = fields.has("trunktype") && fields.get("trunktype") !== stored.trunk.trunktype;
            if (!typeChanges) {
                candidate = toFieldMap(stored.trunk);
                for (const [key, value] of fields) candidate.set(key, value);
            }
        }
        // Strict (default): the docs mark every field Required, so update is a full replacement: a missing field is
        // a 10004 rather than "keep the old value", and omitted optionals (domain, fromuser) fall back to their
        // defaults. A trunk type change is allowed when the new type's fields are all present (docs silent).
        const checked = this.validateTrunk(candidate, ["id"]);
        if (!checked.ok) return failed(checked.errno);
        if (stored === undefined) return failed(OPENVOX_ERRNO.unknownTrunk);
        const clash = this.findByName(checked.value.trunkname);
        if (clash !== undefined && clash.id !== stored.id) return failed(this.duplicateNameErrno);
        stored.trunk = checked.value;
        return success();
    }

    private remove(req: SimRequest, format: Format): WireObject {
        const body = parseBody(req.rawBody, format);
        if (!body.ok) return failed(body.errno);
        const selection = this.select(body.value);
        if (!selection.ok) return failed(selection.errno);
        // docs silent: an unknown name is a no-op success by default; in error mode nothing is deleted at all.
        if (selection.value.missing.length > 0 && this.unknownDeleteNameIsError) {
            return failed(OPENVOX_ERRNO.unknownTrunk);
        }
        for (const stored of selection.value.found) this.trunks.delete(stored.id);
        return success();
    }

    /**
     * Resolves the documented `trunkname` selector: the literal `all`, or one or more names joined by commas.
     * docs silent: names are matched exactly (case-sensitive, no trimming, so "a, b" looks for " b"); an empty
     * element ("a,,b", "a,") is refused with 10003; `all` is a selector only as the whole value and is an ordinary
     * (never existing, since such names are refused) name inside a list.
     */
    private select(fields: ReadonlyMap<string, string>): Outcome<{ found: StoredTrunk[]; missing: string[] }> {
        const required = requireFields(fields, ["trunkname"]);
        if (!required.ok) return required;
        const unknown = this.unknownField(fields, new Set(["trunkname"]));
        if (unknown !== undefined) return { ok: false, errno: unknown };
        const selector = fields.get("trunkname") ?? "";
        if (selector === "all") return { ok: true, value: { found: this.sortedTrunks(), missing: [] } };
        const names = selector.split(",");
        if (names.some((name) => name === "")) return { ok: false, errno: OPENVOX_ERRNO.unsupported };
        const wanted = new Set(names);
        const found = this.sortedTrunks().filter((stored) => wanted.has(stored.trunk.trunkname));
        const foundNames = new Set(found.map((stored) => stored.trunk.trunkname));
        return { ok: true, value: { found, missing: [...wanted].filter((name) => !foundNames.has(name)) } };
    }

    /**
     * Validates a complete trunk record: 10004 for a missing/blank required field (checked first), 10003 for a bad
     * `trunktype`, a field the type does not define, an unaddressable name or a bad SIP port.
     */
    private validateTrunk(
        fields: ReadonlyMap<string, string>,
        extraAllowed: readonly string[],
    ): Outcome<NormalizedTrunk> {
        const typed = this.validateTypedTrunk(fields, this.dod ? [...extraAllowed, ...DOD_FIELDS] : extraAllowed);
        if (!typed.ok || !this.dod) return typed;
        const extensionsdod = fields.get("extensionsdod") ?? "";
        const extensionsgroupdod = fields.get("extensionsgroupdod") ?? "";
        if (!isDodList(extensionsdod) || !isDodList(extensionsgroupdod)) {
            return { ok: false, errno: OPENVOX_ERRNO.unsupported };
        }
        return { ok: true, value: { ...typed.value, extensionsdod, extensionsgroupdod } };
    }

    /** The trunk record of the API plus, with `dod: true`, the two DOD fields. */
    private wireTrunk(stored: StoredTrunk): OpenVoxTrunk {
        const trunk = toWireTrunk(stored);
        if (!this.dod) return trunk;
        return {
            ...trunk,
            extensionsdod: stored.trunk.extensionsdod ?? "",
            extensionsgroupdod: stored.trunk.extensionsgroupdod ?? "",
        };
    }

    private validateTypedTrunk(
        fields: ReadonlyMap<string, string>,
        extraAllowed: readonly string[],
    ): Outcome<NormalizedTrunk> {
        const base = requireFields(fields, ["trunkname", "trunktype"]);
        if (!base.ok) return base;
        const trunktype = fields.get("trunktype") ?? "";
        if (!isTrunkType(trunktype)) return { ok: false, errno: OPENVOX_ERRNO.unsupported };
        const spec = TYPE_FIELDS[trunktype];
        const required = requireFields(fields, spec.required);
        if (!required.ok) return required;
        // Strict: a field of another type (host on an account trunk) or a Yeastar-only one (extensionsdod, unless the
        // simulator runs with `dod: true`) is refused rather than silently ignored, so a client sending it notices
        // here (docs silent).
        const allowed = new Set(["trunkname", "trunktype", ...spec.required, ...spec.optional, ...extraAllowed]);
        const unknown = this.unknownField(fields, allowed);
        if (unknown !== undefined) return { ok: false, errno: unknown };

        const get = (key: string): string => fields.get(key) ?? "";
        const trunkname = get("trunkname");
        // `all` and commas are selectors in query/delete, so such a trunk could never be addressed alone
        // (docs silent on whether the PBX refuses them; refused here). Case-insensitive so "ALL"
        // cannot collide with a selector a case-folding PBX might honour.
        if (trunkname.includes(",") || trunkname.toLowerCase() === "all") {
            return { ok: false, errno: OPENVOX_ERRNO.unsupported };
        }
        switch (trunktype) {
            case "register":
            case "peer": {
                if (!isSipPort(get("port"))) return { ok: false, errno: OPENVOX_ERRNO.unsupported };
                const host = get("host");
                const domain = get("domain").trim() === "" ? host : get("domain");
                if (trunktype === "peer")
                    return { ok: true, value: { trunkname, trunktype, host, port: get("port"), domain } };
                return {
                    ok: true,
                    value: {
                        trunkname,
                        trunktype,
                        host,
                        port: get("port"),
                        domain,
                        username: get("username"),
                        authname: get("authname"),
                        password: get("password"),
                        fromuser: get("fromuser"),
                    },
                };
            }
            case "account":
                return {
                    ok: true,
                    value: {
                        trunkname,
                        trunktype,
                        username: get("username"),
                        authname: get("authname"),
                        password: get("password"),
                    },
                };
        }
    }

    private unknownField(fields: ReadonlyMap<string, string>, allowed: ReadonlySet<string>): string | undefined {
        if (!this.rejectUnknownFields) return undefined;
        for (const key of fields.keys()) {
            if (!allowed.has(key)) return OPENVOX_ERRNO.unsupported;
        }
        return undefined;
    }

    private insert(trunk: NormalizedTrunk): StoredTrunk {
        const stored: StoredTrunk = { id: this.nextId, trunk };
        this.nextId += 1;
        this.trunks.set(stored.id, stored);
        return stored;
    }

    private findByName(name: string): StoredTrunk | undefined {
        for (const stored of this.trunks.values()) {
            if (stored.trunk.trunkname === name) return stored;
        }
        return undefined;
    }

    private sortedTrunks(): StoredTrunk[] {
        return [...this.trunks.values()].sort((a, b) => a.id - b.id);
    }
}

function success(extra: WireObject = {}): WireObject {
    return { status: "Success", ...extra };
}

function failed(errno: string): WireObject {
    return { status: "Failed", errno };
}

function clientIp(req: SimRequest): string {
    const header = req.headers[CLIENT_IP_HEADER];
    const value = Array.isArray(header) ? header[0] : header;
    return value === undefined || value === "" ? "127.0.0.1" : value;
}

/**
 * Parses a request body by the `type` parameter, never by Content-Type (the docs send XML as application/json).
 * Result: field name → string value. docs silent on malformed bodies: an empty body is 20007 "data empty"; JSON
 * that is not an object is 20000 "only JSON supported"; XML that is not a well-formed `<xml>` document with one
 * flat level of elements is 10002; a value that is not a string (nested element, repeated element, bool, null,
 * number outside `NUMERIC_TOLERANT_FIELDS`) is 10003.
 */
function parseBody(rawBody: string, format: Format): Outcome<Map<string, string>> {
    if (rawBody.trim() === "") return { ok: false, errno: OPENVOX_ERRNO.dataEmpty };
    return format === "json" ? parseJsonBody(rawBody) : parseXmlBody(rawBody);
}

function parseJsonBody(rawBody: string): Outcome<Map<string, string>> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(rawBody);
    } catch {
        return { ok: false, errno: OPENVOX_ERRNO.notJson };
    }
    if (!isPlainObject(parsed)) return { ok: false, errno: OPENVOX_ERRNO.notJson };
    const fields = new Map<string, string>();
    for (const [key, value] of Object.entries(parsed)) {
        if (typeof value === "string") {
            fields.set(key, value);
        } else if (typeof value === "number" && Number.isFinite(value) && NUMERIC_TOLERANT_FIELDS.has(key)) {
            fields.set(key, String(value));
        } else {
            return { ok: false, errno: OPENVOX_ERRNO.unsupported };
        }
    }
    return { ok: true, value: fields };
}

function parseXmlBody(rawBody: string): Outcome<Map<string, string>> {
    // The parser alone accepts unclosed tags; the validator is what makes a broken packet a 10002.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    if (XMLValidator.validate(rawBody) !== true) return { ok: false, errno: OPENVOX_ERRNO.badXml };
    let parsed: unknown;
    try {
        parsed = xmlParser.parse(rawBody);
    } catch {
        // The parser refuses names such as __proto__; to the client that is just an unusable packet.
        return { ok: false, errno: OPENVOX_ERRNO.badXml };
    }
    if (!isPlainObject(parsed)) return { ok: false, errno: OPENVOX_ERRNO.badXml };
    const keys = Object.keys(parsed);
    if (keys.length !== 1 || keys[0] !== "xml") return { ok: false, errno: OPENVOX_ERRNO.badXml };
    const root = parsed.xml;
    const fields = new Map<string, string>();
    if (typeof root === "string") {
        // <xml/> or <xml>  </xml>: no fields; text directly inside <xml> is not a packet.
        return root.trim() === "" ? { ok: true, value: fields } : { ok: false, errno: OPENVOX_ERRNO.badXml };
    }
    if (!isPlainObject(root)) return { ok: false, errno: OPENVOX_ERRNO.badXml };
    for (const [key, value] of Object.entries(root)) {
        if (key === "#text") {
            // Indentation between elements is fine; real text mixed with elements is not.
            if (typeof value === "string" && value.trim() === "") continue;
            return { ok: false, errno: OPENVOX_ERRNO.badXml };
        }
        if (typeof value !== "string") return { ok: false, errno: OPENVOX_ERRNO.unsupported };
        fields.set(key, value);
    }
    return { ok: true, value: fields };
}

/** Arrays become `<item id="N">` children, N being the 0-based index (OpenVox query/trunklist examples). */
function toXmlTree(value: WireObject): Record<string, unknown> {
    const tree: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
        if (typeof child === "string") {
            tree[key] = child;
        } else if (Array.isArray(child)) {
            tree[key] =
                child.length === 0
                    ? ""
                    : { item: child.map((element, index) => ({ "@_id": String(index), ...toXmlTree(element) })) };
        } else {
            tree[key] = toXmlTree(child);
        }
    }
    return tree;
}

function requireFields(fields: ReadonlyMap<string, string>, names: readonly string[]): Outcome<undefined> {
    for (const name of names) {
        // docs silent: a blank value counts as empty, as 10004 is "a required parameter is empty".
        const value = fields.get(name);
        if (value === undefined || value.trim() === "") return { ok: false, errno: OPENVOX_ERRNO.missingParameter };
    }
    return { ok: true, value: undefined };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** docs silent (Yeastar's format): blank, or `{dod_number}-{dod_name}-{target}` entries joined by commas. */
function isDodList(value: string): boolean {
    if (value === "") return true;
    return value.split(",").every((entry) => /^\+?[0-9]+-[^,]+-[^,-]+$/.test(entry));
}

function isTrunkType(value: string): value is TrunkType {
    return value === "register" || value === "peer" || value === "account";
}

/** docs silent: a SIP port is 1-65535 in plain decimal ("05060" and "5060.0" refused). */
function isSipPort(value: string): boolean {
    return /^[1-9][0-9]{0,4}$/.test(value) && Number(value) <= 65535;
}

/** Event-report port: Yeastar documents 0-65536, which cannot all be ports; 0-65535 accepted. */
function isEventPort(value: string | undefined): boolean {
    return value !== undefined && /^(0|[1-9][0-9]{0,4})$/.test(value) && Number(value) <= 65535;
}

function isUrlTag(value: string | undefined): boolean {
    return value === undefined || value === "0" || value === "1";
}

function toFieldMap(trunk: TrunkInput | NormalizedTrunk): Map<string, string> {
    const fields = new Map<string, string>();
    for (const [key, value] of Object.entries(trunk)) {
        if (typeof value === "string") fields.set(key, value);
    }
    return fields;
}

function toWireTrunk(stored: StoredTrunk): OpenVoxTrunk {
    const { trunk } = stored;
    const id = String(stored.id);
    // Key order as in the documented query example.
    switch (trunk.trunktype) {
        case "register":
            return {
                id,
                trunkname: trunk.trunkname,
                tech: "pjsip",
                trunktype: "register",
                host: trunk.host,
                port: trunk.port,
                domain: trunk.domain,
                username: trunk.username,
                authname: trunk.authname,
                fromuser: trunk.fromuser,
                password: trunk.password,
            };
        case "peer":
            return {
                id,
                trunkname: trunk.trunkname,
                tech: "pjsip",
                trunktype: "peer",
                host: trunk.host,
                port: trunk.port,
                domain: trunk.domain,
            };
        case "account":
            return {
                id,
                trunkname: trunk.trunkname,
                tech: "pjsip",
                trunktype: "account",
                username: trunk.username,
                authname: trunk.authname,
                password: trunk.password,
            };
    }
}

function toWireObject(trunk: OpenVoxTrunk): WireObject {
    return { ...trunk };
}
