import { createHash } from "node:crypto";
import { backoffDelayMs, sleep } from "../../core/backoff";
import type { HttpTuning } from "../../core/config";
import { connectionRequest, declareConnections, type ConnectionCall, type Endpoint } from "../../core/connection";
import { errorBodyReader } from "../../core/error-body";
import { VendorApiError } from "../../core/errors";
import { serviceUrl } from "../../core/ids";
import { log } from "../../core/log";
import { registerSecret } from "../../core/redact";
import { withSession } from "../../core/session";
import { contentType, decodeBody, encodeBody, FORMATS, type Format, type WireRecord } from "./codec";
import { describeErrno, explainErrno, EXPIRED_TOKEN_ERRNOS, TOO_FREQUENT_ERRNO } from "./errno";

/** Display name used in every message. */
export const VENDOR = "OpenVox";
/** The only API version OpenVox documents (the first supported API version). */
export const DEFAULT_API_VERSION = "v0.0.1";
/**
 * Login demands a port on which the PBX would push event reports; nothing has to listen there.
 * The value OpenVox's examples use.
 */
export const DEFAULT_EVENT_PORT = "8260";
/**
 * Requests in flight at once to one PBX unless `openvox:maxConcurrency` says otherwise: an
 * embedded appliance that may refuse configuration applied too frequently (errno 10025) is best
 * written to one request at a time.
 */
export const DEFAULT_MAX_CONCURRENCY = 1;

/**
 * Named connections: each is one PBX, `openvox:<connection>.<field>` or `OPENVOX_<CONNECTION>_<FIELD>`
 * (the `default` connection also answers to `openvox:<field>` / `OPENVOX_<FIELD>`).
 */
export const CONNECTIONS = declareConnections({
    namespace: "openvox",
    envPrefix: "OPENVOX",
    vendor: VENDOR,
    fields: {
        url: {},
        username: {},
        password: { secret: true },
        format: { optional: true },
        apiVersion: { optional: true },
        eventPort: { optional: true },
    },
    baseUrlField: "url",
    credentialFields: ["username", "password"],
    identityFields: ["username"],
    tuningDefaults: { maxConcurrency: DEFAULT_MAX_CONCURRENCY },
});

/** Where a connection's settings live, for messages. */
export function connectionKeys(connection: string): { url: string; username: string; password: string } {
    return {
        url: CONNECTIONS.configKey(connection, "url"),
        username: CONNECTIONS.configKey(connection, "username"),
        password: CONNECTIONS.configKey(connection, "password"),
    };
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
    /** Read once with the settings; the transport and the safe create both use this one. */
    tuning: HttpTuning;
}

/** The connection's settings, read from stack config or the environment. */
export function readConnection(name: string): OpenVoxConnection {
    const { values, tuning } = CONNECTIONS.resolve(name);
    const keys = connectionKeys(name);
    const url = serviceUrl(values.url, {
        vendor: VENDOR,
        configKey: keys.url,
        example: "http://192.0.2.10:9011",
        credentialKeys: `${keys.username} and ${keys.password}`,
    });
    const rawFormat = (values.format ?? "json").toLowerCase();
    if (!(FORMATS as readonly string[]).includes(rawFormat)) {
        throw new Error(`${VENDOR}: the format of connection "${name}" must be json or xml (got "${rawFormat}")`);
    }
    const eventPort = values.eventPort ?? DEFAULT_EVENT_PORT;
    if (!/^\d{1,5}$/.test(eventPort) || Number(eventPort) > 65535) {
        throw new Error(`${VENDOR}: the eventPort of connection "${name}" must be 0-65535 (got "${eventPort}")`);
    }
    return {
        name,
        url: url.toString().replace(/\/+$/, ""),
        username: values.username,
        password: values.password,
        format: rawFormat as Format,
        apiVersion: values.apiVersion ?? DEFAULT_API_VERSION,
        eventPort,
        tuning,
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
const describeTransportError = errorBodyReader({});

/**
 * The PBX's API: every call a POST in the connection's format, its token (none for the login) a
 * query parameter; query parameters never appear in messages (core/http.ts), and the token is
 * also registered as a secret.
 */
function endpoint(connection: OpenVoxConnection, token: string | undefined): Endpoint {
    const { format } = connection;
    const params: Record<string, string> = token === undefined ? { type: format } : { token, type: format };
    return {
        vendor: connectionLabel(connection),
        baseUrl: `${connection.url}/api/${encodeURIComponent(connection.apiVersion)}`,
        baseUrlSetting: connectionKeys(connection.name).url,
        tuning: connection.tuning,
        describeError: describeTransportError,
        shape: (fields) => ({
            headers: {
                "Content-Type": contentType(format),
                Accept: format === "json" ? "application/json" : "text/xml",
            },
            body: encodeBody(format, (fields as Record<string, string> | undefined) ?? {}),
            params,
        }),
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

/** One call of the PBX's API: `path` names the endpoint (`/siptrunk/query`), `body` holds its fields. */
export type OpenVoxCall = Omit<ConnectionCall<WireRecord>, "method" | "body" | "parse" | "parseError"> & {
    body?: Record<string, string> | undefined;
};

/** One POST, its answer decoded and its envelope checked. No session handling here. */
function post(connection: OpenVoxConnection, token: string | undefined, call: OpenVoxCall): Promise<WireRecord> {
    const endpointName = call.path.replace(/^\//, "");
    return connectionRequest(endpoint(connection, token), {
        ...call,
        method: "POST",
        parse: (text) => {
            const payload = decodeBody(connection.format, text);
            checkEnvelope(connection, endpointName, call.operation, call.object, payload);
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
        const payload = await post(connection, undefined, {
            path: "/login",
            operation: "log in",
            object: connection.username,
            body: { username: connection.username, password: digest, port: connection.eventPort },
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
    return `${CONNECTIONS.declaration.namespace} ${connection.url} ${connection.apiVersion} ${connection.username}`;
}

function isExpiredToken(error: unknown): boolean {
    return (
        VendorApiError.isInstance(error, "Auth") &&
        error.vendorCode !== undefined &&
        EXPIRED_TOKEN_ERRNOS.includes(error.vendorCode)
    );
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
            return await post(connection, token, call);
        } catch (error) {
            const tooFrequent = VendorApiError.isInstance(error) && error.vendorCode === TOO_FREQUENT_ERRNO;
            if (!tooFrequent || attempt >= maxRetries) throw error;
            const delay = backoffDelayMs(retryBaseDelayMs, attempt);
            log.debug(
                `${connectionLabel(connection)}: ${call.operation} refused as too frequent; retry ${attempt + 1}/${maxRetries} in ${Math.round(delay)} ms`,
            );
            await sleep(delay);
        }
    }
}
