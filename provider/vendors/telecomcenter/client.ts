import { createHash } from "node:crypto";
import { basicAuthorization } from "../../core/redact";
import {
    connectionConfigKey,
    readConnectionSetting,
    readHttpTuning,
    requireConnectionSetting,
    withCredentialAdvice,
    type ConnectionNamespace,
} from "../../core/config";
import {
    bodyExcerpt,
    vendorRequest,
    type HttpMethod,
    type VendorConnection,
    type VendorErrorDescription,
} from "../../core/http";

/** Display name used in every message. */
export const VENDOR = "telecom.center";
export const NAMESPACE = "telecomcenter";
export const ENV_PREFIX = "TELECOMCENTER";
export const DEFAULT_BASE_URL = "https://api.telecom.center";
/** Every path of the Operator API starts here. */
export const API_PREFIX = "/api/rest/public/operator";
/**
 * JSON:API media type. It must be sent exactly: with a parameter such as `; charset=utf-8` the
 * API answers 415 (documented), so bodies are sent as pre-serialized strings.
 */
export const MEDIA_TYPE = "application/vnd.api+json";

/**
 * Named connections: each is one operator account. A resource names its connection (`default`
 * unless told otherwise); its settings are stack config `telecomcenter:<connection>.username`,
 * `.password` (secret) and `.baseUrl`, or `TELECOMCENTER_<CONNECTION>_USERNAME`, `..._PASSWORD`,
 * `..._BASE_URL`. The `default` connection also answers to `telecomcenter:username`, ... and
 * `TELECOMCENTER_USERNAME`, ..., the keys of a one-operator stack.
 */
const CONNECTIONS: ConnectionNamespace = { namespace: NAMESPACE, envPrefix: ENV_PREFIX, vendor: VENDOR };

interface Session {
    connection: VendorConnection;
    authorization: string;
    /**
     * Identifies the operator account inside this process (the create claims of core/create.ts):
     * the base URL, the user name and a digest of the password. Never shown anywhere.
     */
    account: string;
}

/** Credentials and endpoint of a connection, read at call time from stack config or the environment. */
function session(name: string): Session {
    const username = requireConnectionSetting(CONNECTIONS, name, "username");
    const password = requireConnectionSetting(CONNECTIONS, name, "password", true);
    const baseUrl = (readConnectionSetting(CONNECTIONS, name, "baseUrl") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    const digest = createHash("sha256").update(`${username}\n${password}`, "utf8").digest("hex").slice(0, 16);
    return {
        connection: {
            vendor: VENDOR,
            baseUrl: baseUrl + API_PREFIX,
            baseUrlSetting: connectionConfigKey(NAMESPACE, name, "baseUrl"),
            tuning: readHttpTuning(NAMESPACE, ENV_PREFIX, VENDOR),
            describeError: withCredentialAdvice(describeJsonApiError, CONNECTIONS, name, ["username", "password"]),
        },
        authorization: basicAuthorization(username, password),
        account: `${baseUrl}#${digest}`,
    };
}

/**
 * JSON:API error documents: `errors[0].detail`, else its title, with its code. 401 and 5xx bodies
 * are not promised to be JSON, so anything unparseable becomes a short excerpt of the text.
 */
export function describeJsonApiError(_status: number, body: string): VendorErrorDescription {
    try {
        const parsed = JSON.parse(body) as { errors?: { detail?: unknown; title?: unknown; code?: unknown }[] };
        const messages = (parsed.errors ?? [])
            .map((error) =>
                typeof error.detail === "string"
                    ? error.detail
                    : typeof error.title === "string"
                      ? error.title
                      : undefined,
            )
            .filter((message): message is string => message !== undefined);
        const code = parsed.errors?.[0]?.code;
        if (messages.length > 0)
            return { message: messages.join("; "), code: typeof code === "string" ? code : undefined };
    } catch {
        // Not JSON: fall through to the raw excerpt.
    }
    return { message: bodyExcerpt(body) };
}

export interface TelecomCenterCall<T> {
    /** The named connection (the operator account) to call. */
    connection: string;
    operation: string;
    object?: string | undefined;
    method: HttpMethod;
    path: string;
    params?: Record<string, string>;
    body?: unknown;
    idempotent: boolean;
    parse: (body: string, status: number) => T;
}

export function telecomCenterRequest<T>(call: TelecomCenterCall<T>): Promise<T> {
    const { connection, authorization } = session(call.connection);
    return vendorRequest(connection, {
        operation: call.operation,
        object: call.object,
        method: call.method,
        path: call.path,
        params: call.params,
        headers: { Authorization: authorization, "Content-Type": MEDIA_TYPE, Accept: MEDIA_TYPE },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        idempotent: call.idempotent,
        parse: (body, response) => call.parse(body, response.status),
    });
}

/** Retry settings of a connection, for multi-call operations such as a safe create. */
export function telecomCenterTuning(connection: string) {
    return session(connection).connection.tuning;
}

/** The operator account a connection points at, for per-account state in this process. */
export function operatorAccount(connection: string): string {
    return session(connection).account;
}
