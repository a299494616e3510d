import {
    declareConnections,
    withCredentialAdvice,
    type Endpoint,
    type ResolvedConnection,
} from "../../core/connection";
import { errorBodyReader } from "../../core/error-body";

/** Display name used in every message. */
export const VENDOR = "VoiceTel";

/**
 * Named connections: each is one VoiceTel account. A resource names its connection (`default`
 * unless told otherwise); its settings are stack config `voicetel:<connection>.apiKey` (secret) and
 * `voicetel:<connection>.baseUrl`, or `VOICETEL_<CONNECTION>_API_KEY` / `..._BASE_URL`. The
 * `default` connection also answers to `voicetel:apiKey` / `VOICETEL_API_KEY`, the keys of a
 * one-account stack.
 */
export const CONNECTIONS = declareConnections({
    namespace: "voicetel",
    envPrefix: "VOICETEL",
    vendor: VENDOR,
    fields: { apiKey: { secret: true }, baseUrl: { optional: true } },
    baseUrlField: "baseUrl",
    defaultBaseUrl: "https://api.voicetel.com",
    credentialFields: ["apiKey"],
    identityFields: ["apiKey"],
});

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

const FAILED_ITEMS = [
    ["added_failed", "not added"],
    ["update_failed", "not updated"],
    ["removed_failed", "not removed"],
    ["numbers_failed", "not routed"],
] as const;

/**
 * VoiceTel v2.1 error bodies: `{statusCode, status: "Error", message}`, and for 409 the batch
 * answers, whose failed items are appended so the message says what failed. `numbers/list`
 * answers "nothing found" with the text in `numbers` instead of `message` (documented quirk).
 * Bodies that are not JSON (proxies, 5xx pages) become a short excerpt.
 */
export const describeVoiceTelError = errorBodyReader({
    message: ["message", "numbers"],
    separator: " ",
    details: (body) =>
        FAILED_ITEMS.flatMap(([key, label]) => {
            const items = quoted(body[key]);
            return items === undefined ? [] : [`(${label}: ${items})`];
        }),
});

/** An account with its settings read: the endpoint of its calls, its tuning and its account key. */
export interface VoiceTelConnection extends ResolvedConnection<typeof CONNECTIONS.declaration.fields> {
    endpoint: Endpoint;
}

/**
 * A named connection's account. Every documented call is a POST whose key travels as the vendor
 * documents it: `Authorization: Bearer` (the security scheme, which wins when both are present)
 * and the body field `apikey` (which every request schema lists as required), so either reading
 * of the API is satisfied.
 */
export function voiceTelConnection(name: string): VoiceTelConnection {
    const resolved = CONNECTIONS.resolve(name);
    const { apiKey } = resolved.values;
    return {
        ...resolved,
        endpoint: {
            vendor: VENDOR,
            baseUrl: resolved.baseUrl,
            baseUrlSetting: resolved.baseUrlSetting,
            tuning: resolved.tuning,
            describeError: withCredentialAdvice(describeVoiceTelError, resolved.credentialAdvice),
            shape: (body) => ({
                headers: {
                    Authorization: `Bearer ${apiKey}`,
                    "Content-Type": "application/json",
                    Accept: "application/json",
                },
                body: JSON.stringify({ apikey: apiKey, ...(body as Record<string, unknown> | undefined) }),
            }),
        },
    };
}
