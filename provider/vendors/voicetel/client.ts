import { createHash } from "node:crypto";
import {
    connectionConfigKey,
    readConnectionSetting,
    readHttpTuning,
    requireConnectionSetting,
    withCredentialAdvice,
    type ConnectionNamespace,
} from "../../core/config";
import { VendorApiError } from "../../core/errors";
import { bodyExcerpt, vendorRequest, type VendorConnection, type VendorErrorDescription } from "../../core/http";

/** Display name used in every message. */
export const VENDOR = "VoiceTel";
export const NAMESPACE = "voicetel";
export const ENV_PREFIX = "VOICETEL";
export const DEFAULT_BASE_URL = "https://api.voicetel.com";

/**
 * Named connections: each is one VoiceTel account. A resource names its connection (`default`
 * unless told otherwise); its settings are stack config `voicetel:<connection>.apiKey` (secret) and
 * `voicetel:<connection>.baseUrl`, or `VOICETEL_<CONNECTION>_API_KEY` / `..._BASE_URL`. The
 * `default` connection also answers to `voicetel:apiKey` / `VOICETEL_API_KEY`, the keys of a
 * one-account stack.
 */
const CONNECTIONS: ConnectionNamespace = { namespace: NAMESPACE, envPrefix: ENV_PREFIX, vendor: VENDOR };

interface Account {
    connection: VendorConnection;
    apiKey: string;
    /**
     * Identifies the account inside this process (per-account create queue and list cache): the
     * base URL and a digest of the key, so two connection names for one account share them. Never
     * shown anywhere.
     */
    key: string;
}

/** Credentials and endpoint of a connection, read at call time from stack config or the environment. */
function account(name: string): Account {
    const apiKey = requireConnectionSetting(CONNECTIONS, name, "apiKey", true);
    const baseUrl = (readConnectionSetting(CONNECTIONS, name, "baseUrl") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    return {
        connection: {
            vendor: VENDOR,
            baseUrl,
            baseUrlSetting: connectionConfigKey(NAMESPACE, name, "baseUrl"),
            tuning: readHttpTuning(NAMESPACE, ENV_PREFIX, VENDOR),
            describeError: withCredentialAdvice(describeVoiceTelError, CONNECTIONS, name, ["apiKey"]),
        },
        apiKey,
        key: `${baseUrl}#${createHash("sha256").update(apiKey, "utf8").digest("hex").slice(0, 16)}`,
    };
}

/** The account a connection points at, for per-account state in this process. */
export function accountKey(connection: string): string {
    return account(connection).key;
}

/** Retry settings of a connection, for multi-call operations such as a safe create. */
export function voiceTelTuning(connection: string) {
    return account(connection).connection.tuning;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function quoted(items: unknown): string | undefined {
    if (!Array.isArray(items) || items.length === 0) return undefined;
    return items
        .map((item) => {
            if (typeof item === "string") return JSON.stringify(item);
            if (isRecord(item)) {
                const route =
                    typeof item["route"] === "string" || typeof item["route"] === "number"
                        ? `route ${item["route"]}`
                        : "";
                const gateway = typeof item["gateway"] === "string" ? ` ${JSON.stringify(item["gateway"])}` : "";
                const message = typeof item["message"] === "string" ? `: ${item["message"]}` : "";
                return `${route}${gateway}${message}`.trim();
            }
            return JSON.stringify(item);
        })
        .join(", ");
}

/**
 * VoiceTel v2.1 error bodies: `{statusCode, status: "Error", message}`, and for 409 the batch
 * answers, whose failed items are appended so the message says what failed. `numbers/list`
 * answers "nothing found" with the text in `numbers` instead of `message` (documented quirk).
 * Bodies that are not JSON (proxies, 5xx pages) become a short excerpt.
 */
export function describeVoiceTelError(_status: number, body: string): VendorErrorDescription {
    try {
        const parsed = JSON.parse(body) as unknown;
        if (isRecord(parsed)) {
            const base =
                typeof parsed["message"] === "string"
                    ? parsed["message"]
                    : typeof parsed["numbers"] === "string"
                      ? parsed["numbers"]
                      : undefined;
            const failed = [
                ["added_failed", "not added"],
                ["update_failed", "not updated"],
                ["removed_failed", "not removed"],
                ["numbers_failed", "not routed"],
            ]
                .map(([key, label]) => {
                    const items = quoted(parsed[key as string]);
                    return items === undefined ? undefined : `${label as string}: ${items}`;
                })
                .filter((part): part is string => part !== undefined);
            const message = [base, ...failed.map((part) => `(${part})`)].filter((part) => part !== undefined);
            if (message.length > 0) return { message: message.join(" ") };
        }
    } catch {
        // Not JSON: fall through to the raw excerpt.
    }
    return { message: bodyExcerpt(body) };
}

export interface VoiceTelCall<T> {
    /** The named connection (the account) to call. */
    connection: string;
    /** What is being done, for messages: "create account gateway". */
    operation: string;
    /** The object concerned, for messages. */
    object?: string | undefined;
    /** The documented path, with its trailing slash: `/v2.1/gateways/list/`. */
    path: string;
    /** Body fields besides the key. */
    body?: Record<string, unknown>;
    idempotent: boolean;
    parse: (body: string) => T;
}

/** An answer: the 2xx value, or a non-2xx answer the caller knows how to read (a 409 batch result). */
export type Exchange<T, E> = { ok: true; value: T } | { ok: false; value: E; error: VendorApiError };

/**
 * Sends one documented POST. The key travels as the vendor documents it: `Authorization: Bearer`
 * (the security scheme, which wins when both are present) and the body field `apikey` (which
 * every request schema lists as required), so either reading of the API is satisfied.
 *
 * `errorAnswer` reads a non-2xx body the caller expects (409 batch results, the numbers 404);
 * returning undefined means "not one of those", and the {@link VendorApiError} is thrown.
 */
export async function voiceTelExchange<T, E>(
    call: VoiceTelCall<T>,
    errorAnswer: (status: number, body: string) => E | undefined,
): Promise<Exchange<T, E>> {
    const { connection, apiKey } = account(call.connection);
    let errorBody: { status: number; body: string } | undefined;
    const capturing: VendorConnection = {
        ...connection,
        describeError: (status, body) => {
            errorBody = { status, body };
            return connection.describeError(status, body);
        },
    };
    try {
        const value = await vendorRequest(capturing, {
            operation: call.operation,
            object: call.object,
            method: "POST",
            path: call.path,
            headers: {
                Authorization: `Bearer ${apiKey}`,
                "Content-Type": "application/json",
                Accept: "application/json",
            },
            body: JSON.stringify({ apikey: apiKey, ...call.body }),
            idempotent: call.idempotent,
            parse: (body) => call.parse(body),
        });
        return { ok: true, value };
    } catch (error) {
        if (VendorApiError.isInstance(error) && errorBody !== undefined && errorBody.status === error.status) {
            let answer: E | undefined;
            try {
                answer = errorAnswer(errorBody.status, errorBody.body);
            } catch {
                answer = undefined;
            }
            if (answer !== undefined) return { ok: false, value: answer, error };
        }
        throw error;
    }
}

export async function voiceTelRequest<T>(call: VoiceTelCall<T>): Promise<T> {
    const answer = await voiceTelExchange(call, () => undefined);
    if (answer.ok) return answer.value;
    throw answer.error;
}
