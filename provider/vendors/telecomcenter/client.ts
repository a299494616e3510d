import { basicAuthorization } from "../../core/redact";
import {
    declareConnections,
    withCredentialAdvice,
    type Endpoint,
    type ResolvedConnection,
} from "../../core/connection";
import { errorBodyReader } from "../../core/error-body";

/** Display name used in every message. */
export const VENDOR = "telecom.center";
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
export const CONNECTIONS = declareConnections({
    namespace: "telecomcenter",
    envPrefix: "TELECOMCENTER",
    vendor: VENDOR,
    fields: { username: {}, password: { secret: true }, baseUrl: { optional: true } },
    baseUrlField: "baseUrl",
    defaultBaseUrl: "https://api.telecom.center",
    credentialFields: ["username", "password"],
    identityFields: ["username", "password"],
});

/**
 * JSON:API error documents: `errors[].detail`, else their title, with the first code. 401 and 5xx
 * bodies are not promised to be JSON, so anything unparseable becomes a short excerpt of the text.
 */
export const describeJsonApiError = errorBodyReader({
    itemsAt: "errors",
    message: ["detail", "title"],
    code: ["code"],
});

/** An operator account with its settings read: the endpoint of its calls, its tuning and its account key. */
export interface TelecomCenterConnection extends ResolvedConnection<typeof CONNECTIONS.declaration.fields> {
    endpoint: Endpoint;
}

/** Credentials and endpoint of a named connection, read from stack config or the environment. */
export function telecomCenterConnection(name: string): TelecomCenterConnection {
    const resolved = CONNECTIONS.resolve(name);
    const authorization = basicAuthorization(resolved.values.username, resolved.values.password);
    return {
        ...resolved,
        endpoint: {
            vendor: VENDOR,
            baseUrl: resolved.baseUrl + API_PREFIX,
            baseUrlSetting: resolved.baseUrlSetting,
            tuning: resolved.tuning,
            describeError: withCredentialAdvice(describeJsonApiError, resolved.credentialAdvice),
            shape: (body) => ({
                headers: { Authorization: authorization, "Content-Type": MEDIA_TYPE, Accept: MEDIA_TYPE },
                body: body === undefined ? undefined : JSON.stringify(body),
            }),
        },
    };
}
