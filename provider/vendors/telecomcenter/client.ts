import { basicAuthorization } from "../../core/redact";
import { readHttpTuning, readSetting, requireSetting } from "../../core/config";
import {
    bodyExcerpt,
    vendorRequest,
    type HttpMethod,
    type VendorConnection,
    type VendorErrorDescription,
} from "../../core/http";

/** Display name used in every message. */
export const VENDOR = "telecom.center";
export const DEFAULT_BASE_URL = "https://api.telecom.center";
/** Every path of the Operator API starts here. */
export const API_PREFIX = "/api/rest/public/operator";
/**
 * JSON:API media type. It must be sent exactly: with a parameter such as `; charset=utf-8` the
 * API answers 415 (documented), so bodies are sent as pre-serialized strings.
 */
export const MEDIA_TYPE = "application/vnd.api+json";

interface Session {
    connection: VendorConnection;
    authorization: string;
}

/** Credentials and endpoint, read at call time from stack config or the environment. */
function session(): Session {
    const username = requireSetting({ configKey: "telecomcenter:username", envVar: "TELECOMCENTER_USERNAME" }, VENDOR);
    const password = requireSetting(
        { configKey: "telecomcenter:password", envVar: "TELECOMCENTER_PASSWORD", secret: true },
        VENDOR,
    );
    const baseUrl =
        readSetting({ configKey: "telecomcenter:baseUrl", envVar: "TELECOMCENTER_BASE_URL" }) ?? DEFAULT_BASE_URL;
    return {
        connection: {
            vendor: VENDOR,
            baseUrl: baseUrl.replace(/\/+$/, "") + API_PREFIX,
            baseUrlSetting: "telecomcenter:baseUrl",
            tuning: readHttpTuning("telecomcenter", "TELECOMCENTER", VENDOR),
            describeError: describeJsonApiError,
        },
        authorization: basicAuthorization(username, password),
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
    const { connection, authorization } = session();
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

/** Retry settings of the current connection, for multi-call operations such as a safe create. */
export function telecomCenterTuning() {
    return session().connection.tuning;
}
