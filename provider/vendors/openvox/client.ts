import { createHash } from "node:crypto";
import {
    connectionSetting,
    readFirstSetting,
    readHttpTuning,
    requireSetting,
    type HttpTuning,
    type Setting,
} from "../../core/config";
import { VendorApiError } from "../../core/errors";
import { serviceUrl } from "../../core/ids";
import { bodyExcerpt, vendorRequest, type VendorConnection, type VendorErrorDescription } from "../../core/http";
import { log } from "../../core/log";
import { registerSecret } from "../../core/redact";
import { withSession } from "../../core/session";
import { contentType, decodeBody, encodeBody, FORMATS, type Format, type WireRecord } from "./codec";
import { describeErrno, explainErrno, EXPIRED_TOKEN_ERRNOS, TOO_FREQUENT_ERRNO } from "./errno";

/** Display name used in every message. */
export const VENDOR = "OpenVox";
export const NAMESPACE = "openvox";
export const ENV_PREFIX = "OPENVOX";
export const DEFAULT_CONNECTION = "default";
/** The only API version OpenVox documents ("the first supported API version", fact sheet §2). */
export const DEFAULT_API_VERSION = "v0.0.1";
/**
 * Login demands a port on which the PBX would push event reports; nothing has to listen there
 * (fact sheet §3.1). The value the fact sheet recommends.
 */
export const DEFAULT_EVENT_PORT = "8260";
/**
 * Requests in flight at once to one PBX unless `openvox:maxConcurrency` says otherwise: an
 * embedded appliance that may refuse configuration applied too frequently (errno 10025) is best
 * written to one request at a time.
 */
export const DEFAULT_MAX_CONCURRENCY = 1;
/** Where a connection's settings live, for messages. */
export function connectionKeys(connection: string): { url: string; username: string; password: string } {
    const key = (field: string) =>
        connection === DEFAULT_CONNECTION ? `${NAMESPACE}:${field}` : `${NAMESPACE}:${connection}.${field}`;
    return { url: key("url"), username: key("username"), password: key("password") };
}

/** One PBX as named in stack config: `openvox:<connection>.<field>` or `OPENVOX_<CONNECTION>_<FIELD>`. */
export interface OpenVoxConnection {
    /** The connection's name in stack config (`default` also answers to `openvox:<field>`). */
    name: string;
    /** e.g. `http://pbx.example.com:9011`, without the API path. */
    url: string;
    username: string;
    /** Plain API password; only its MD5 digest is ever sent. */
    password: string;
    format: Format;
    apiVersion: string;
    eventPort: string;
    tuning: HttpTuning;
}

function settings(connection: string, field: string, secret = false): Setting[] {
    return connectionSetting(NAMESPACE, ENV_PREFIX, connection, field, secret);
}

function optionalSetting(connection: string, field: string): string | undefined {
    return readFirstSetting(settings(connection, field));
}

/**
 * A required setting. For the default connection the message names the short form
 * (`openvox:url`); for a named one, `openvox:<connection>.url`.
 */
function requiredSetting(connection: string, field: string, secret = false): string {
    const candidates = settings(connection, field, secret);
    const value = readFirstSetting(candidates);
    if (value !== undefined) return value;
    const named = candidates[candidates.length - 1];
    if (named === undefined) throw new Error(`${VENDOR}: no setting for ${field}`);
    return requireSetting(named, VENDOR);
}

/** The connection's settings, read at call time from stack config or the environment. */
export function readConnection(name: string): OpenVoxConnection {
    const keys = connectionKeys(name);
    const url = serviceUrl(requiredSetting(name, "url"), {
        vendor: VENDOR,
        configKey: keys.url,
        example: "http://192.0.2.10:9011",
        credentialKeys: `${keys.username} and ${keys.password}`,
    });
    const username = requiredSetting(name, "username");
    const password = requiredSetting(name, "password", true);
    const rawFormat = (optionalSetting(name, "format") ?? "json").toLowerCase();
    if (!(FORMATS as readonly string[]).includes(rawFormat)) {
        throw new Error(`${VENDOR}: the format of connection "${name}" must be json or xml (got "${rawFormat}")`);
    }
    const eventPort = optionalSetting(name, "eventPort") ?? DEFAULT_EVENT_PORT;
    if (!/^\d{1,5}$/.test(eventPort) || Number(eventPort) > 65535) {
        throw new Error(`${VENDOR}: the eventPort of connection "${name}" must be 0-65535 (got "${eventPort}")`);
    }
    const tuning = readHttpTuning(NAMESPACE, ENV_PREFIX, VENDOR);
    const concurrencySet =
        readFirstSetting([{ configKey: `${NAMESPACE}:maxConcurrency`, envVar: `${ENV_PREFIX}_MAX_CONCURRENCY` }]) !==
        undefined;
    return {
        name,
        url: url.toString().replace(/\/+$/, ""),
        username,
        password,
        format: rawFormat as Format,
        apiVersion: optionalSetting(name, "apiVersion") ?? DEFAULT_API_VERSION,
        eventPort,
        tuning: concurrencySet ? tuning : { ...tuning, maxConcurrency: DEFAULT_MAX_CONCURRENCY },
    };
}

/** How the connection is named in messages: `OpenVox PBX "east"`. */
export function connectionLabel(connection: OpenVoxConnection): string {
    return `${VENDOR} PBX "${connection.name}"`;
}

/**
 * Non-2xx answers never come from the PBX itself (it answers 200 even to failures); they come from
 * a proxy or a crashed service. A short excerpt of the body is all there is to say.
 */
function describeTransportError(_status: number, body: string): VendorErrorDescription {
    return { message: bodyExcerpt(body) };
}

function vendorConnection(connection: OpenVoxConnection): VendorConnection {
    return {
        vendor: connectionLabel(connection),
        baseUrl: `${connection.url}/api/${encodeURIComponent(connection.apiVersion)}`,
        baseUrlSetting: connection.name === "default" ? "openvox:url" : `openvox:${connection.name}.url`,
        tuning: connection.tuning,
        describeError: describeTransportError,
    };
}

export function md5Hex(text: string): string {
    return createHash("md5").update(text, "utf8").digest("hex");
}

/** The `status`/`errno` envelope every answer carries: anything but `Success` is a failure. */
function checkEnvelope(
    connection: OpenVoxConnection,
    endpoint: string,
    operation: string,
    object: string | undefined,
    payload: WireRecord,
): void {
    const status = payload["status"];
    if (status === "Success") return;
    const request = `POST /${endpoint}`;
    if (typeof status !== "string") {
        throw new VendorApiError({
            kind: "BadResponse",
            vendor: connectionLabel(connection),
            operation,
            object,
            vendorMessage: "the answer has no status",
            request,
        });
    }
    const errnoValue = payload["errno"];
    const errno = typeof errnoValue === "string" && errnoValue !== "" ? errnoValue : undefined;
    if (errno === undefined) {
        throw new VendorApiError({
            kind: "BadRequest",
            vendor: connectionLabel(connection),
            operation,
            object,
            vendorMessage: `the PBX answered "${status}" without an errno`,
            request,
        });
    }
    throw new VendorApiError({
        kind: explainErrno(errno, endpoint).kind,
        vendor: connectionLabel(connection),
        operation,
        object,
        vendorCode: errno,
        vendorMessage: describeErrno(errno, endpoint),
        request,
    });
}

interface RawCall {
    endpoint: string;
    operation: string;
    object?: string | undefined;
    params?: Record<string, string>;
    fields?: Record<string, string> | undefined;
    idempotent: boolean;
}

/** One POST, its answer decoded and its envelope checked. No session handling here. */
async function post(connection: OpenVoxConnection, call: RawCall): Promise<WireRecord> {
    const { format } = connection;
    return vendorRequest(vendorConnection(connection), {
        operation: call.operation,
        object: call.object,
        method: "POST",
        path: `/${call.endpoint}`,
        // Query parameters never appear in messages (core/http.ts); the token is also registered as a secret.
        params: { ...call.params, type: format },
        headers: { "Content-Type": contentType(format), Accept: format === "json" ? "application/json" : "text/xml" },
        body: encodeBody(format, call.fields ?? {}),
        idempotent: call.idempotent,
        parse: (text) => {
            const payload = decodeBody(format, text);
            checkEnvelope(connection, call.endpoint, call.operation, call.object, payload);
            return payload;
        },
    });
}

/**
 * Logs in: the API password travels only as its lowercase MD5 digest (documented). A refusal is
 * an Auth/Forbidden error that core/session.ts remembers: no later call of this run sends the
 * login again, so the PBX's lockout (5 failed logins → 10 minutes) cannot be reached from here.
 */
async function login(connection: OpenVoxConnection): Promise<string> {
    const digest = md5Hex(connection.password);
    registerSecret(digest);
    try {
        const payload = await post(connection, {
            endpoint: "login",
            operation: "log in",
            object: connection.username,
            fields: { username: connection.username, password: digest, port: connection.eventPort },
            // Never sent twice for one attempt: a login lost after the PBX checked it (reset, timeout, 5xx)
            // may have counted as a failure, and 5 failures lock the address out for 10 minutes. Only a
            // refused connection or a 429 (the PBX never saw it) is sent again (core/http.ts).
            idempotent: false,
        });
        const token = payload["token"];
        if (typeof token !== "string" || token === "") {
            throw new VendorApiError({
                kind: "BadResponse",
                vendor: connectionLabel(connection),
                operation: "log in",
                object: connection.username,
                vendorMessage: "the login succeeded but the answer carries no token",
                request: "POST /login",
            });
        }
        registerSecret(token);
        log.debug(`${connectionLabel(connection)}: logged in as ${connection.username}`);
        return token;
    } catch (error) {
        // Any login the PBX answered with `Failed` is final for this run, whatever the errno: it is
        // remembered as refused (core/session.ts) and never sent again.
        if (VendorApiError.isInstance(error) && error.vendorCode !== undefined) throw refusedLogin(connection, error);
        throw error;
    }
}

function refusedLogin(connection: OpenVoxConnection, error: VendorApiError): VendorApiError {
    const keys = connectionKeys(connection.name);
    const advice =
        error.kind === "Auth"
            ? `check ${keys.username} and ${keys.password} (the API user of the PBX's API settings, not a web-UI user)`
            : "fix the cause on the PBX first";
    return new VendorApiError({
        kind: error.kind === "Forbidden" ? "Forbidden" : "Auth",
        vendor: connectionLabel(connection),
        operation: "log in",
        object: connection.username,
        vendorCode: error.vendorCode,
        vendorMessage: `${error.vendorMessage ?? "refused"}. Not retried in this run: 5 failed logins lock this address out of the PBX for 10 minutes; ${advice}`,
        request: error.request,
    });
}

function sessionKey(connection: OpenVoxConnection): string {
    return `${NAMESPACE} ${connection.url} ${connection.apiVersion} ${connection.username}`;
}

function isExpiredToken(error: unknown): boolean {
    return (
        VendorApiError.isInstance(error, "Auth") &&
        error.vendorCode !== undefined &&
        EXPIRED_TOKEN_ERRNOS.includes(error.vendorCode)
    );
}

export interface OpenVoxCall {
    /** e.g. `siptrunk/query`. */
    endpoint: string;
    operation: string;
    object?: string | undefined;
    fields?: Record<string, string> | undefined;
    /** See core/http.ts: only idempotent calls are repeated after an ambiguous transport failure. */
    idempotent: boolean;
}

/**
 * One authenticated call: shares the connection's login with every other call of the run, logs
 * in again once if the token expired and repeats the call once, and repeats a write the PBX
 * refused as too frequent (errno 10025: it did nothing) after a backoff.
 */
export function openVoxCall(connection: OpenVoxConnection, call: OpenVoxCall): Promise<WireRecord> {
    return withSession({
        key: sessionKey(connection),
        login: () => login(connection),
        call: (token) => postWithBackoff(connection, call, token),
        isExpired: isExpiredToken,
        secretOf: (token) => token,
    });
}

async function postWithBackoff(connection: OpenVoxConnection, call: OpenVoxCall, token: string): Promise<WireRecord> {
    const { maxRetries, retryBaseDelayMs } = connection.tuning;
    for (let attempt = 0; ; attempt++) {
        try {
            return await post(connection, { ...call, params: { token } });
        } catch (error) {
            const tooFrequent = VendorApiError.isInstance(error) && error.vendorCode === TOO_FREQUENT_ERRNO;
            if (!tooFrequent || attempt >= maxRetries) throw error;
            const delay = retryBaseDelayMs * 2 ** attempt * (1 + Math.random() * 0.2);
            log.debug(
                `${connectionLabel(connection)}: ${call.operation} refused as too frequent; retry ${attempt + 1}/${maxRetries} in ${Math.round(delay)} ms`,
            );
            await new Promise((resolve) => setTimeout(resolve, delay));
        }
    }
}
