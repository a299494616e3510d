import { registerSecret } from "./redact";
import type { VendorErrorDescription } from "./http";
import { onProcessReset } from "./process-state";

/**
 * Stack configuration as the dynamic provider's `configure(req)` hands it over: every key of the
 * stack, namespaced (`telecomcenter:password`), secrets already decrypted. It is kept in the
 * memory of the provider process only, never in the serialized provider or in the state.
 */
export interface StackConfig {
    get(key: string): string | undefined;
}

// Process-wide: one provider process serves every resource of a deployment and receives the same
// stack config for each serialized provider it loads.
let stackConfig: StackConfig | undefined;
onProcessReset(() => {
    stackConfig = undefined;
});

export function setStackConfig(config: StackConfig | undefined): void {
    stackConfig = config;
}

export interface Setting {
    /** Namespaced stack config key, e.g. `telecomcenter:username`. */
    configKey: string;
    /** Environment variable used when the stack config has no value. */
    envVar: string;
    /** Registered for redaction as soon as it is read. */
    secret?: boolean;
}

/** Stack config first, then the environment. Secrets are registered for redaction when read. */
export function readSetting(setting: Setting): string | undefined {
    const fromConfig = stackConfig?.get(setting.configKey);
    const value = fromConfig !== undefined && fromConfig !== "" ? fromConfig : process.env[setting.envVar];
    const result = value === undefined || value === "" ? undefined : value;
    if (setting.secret === true) registerSecret(result);
    return result;
}

/** Like {@link readSetting}, failing with a message that names both places to set it. */
export function requireSetting(setting: Setting, vendor: string): string {
    const value = readSetting(setting);
    if (value === undefined) {
        const how =
            setting.secret === true
                ? `pulumi config set --secret ${setting.configKey} <value>`
                : `pulumi config set ${setting.configKey} <value>`;
        throw new Error(
            `${vendor}: missing setting ${setting.configKey}: run \`${how}\` or set the ${setting.envVar} environment variable`,
        );
    }
    return value;
}

/** An optional positive integer setting (timeouts, limits), with its default. */
export function readIntSetting(setting: Setting, vendor: string, fallback: number, min = 0): number {
    const raw = readSetting(setting);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
        throw new Error(
            `${vendor}: ${setting.configKey} (or ${setting.envVar}) must be an integer >= ${min}, got "${raw}"`,
        );
    }
    return value;
}

/** Default of `<vendor>:maxResponseBytes`: far above any answer of these APIs, far below trouble. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** The HTTP tuning every vendor connection accepts, under the vendor's own namespace. */
export interface HttpTuning {
    /**
     * Deadline of one attempt (ms): connect, headers and the whole body. Also the longest a request
     * waits for a free slot of its host's concurrency limit; one that waits longer is not sent.
     */
    requestTimeoutMs: number;
    /** Retries after the first attempt, for retryable failures. */
    maxRetries: number;
    /** First backoff step (ms); doubles each retry, with jitter; Retry-After wins when longer. */
    retryBaseDelayMs: number;
    /** Requests in flight at once to this vendor host, shared by every resource. */
    maxConcurrency: number;
    /** Largest answer body accepted (bytes, after decompression); {@link DEFAULT_MAX_RESPONSE_BYTES} when absent. */
    maxResponseBytes?: number | undefined;
}

export function readHttpTuning(namespace: string, envPrefix: string, vendor: string): HttpTuning {
    const setting = (key: string, env: string): Setting => ({
        configKey: `${namespace}:${key}`,
        envVar: `${envPrefix}_${env}`,
    });
    return {
        requestTimeoutMs: readIntSetting(setting("requestTimeoutMs", "REQUEST_TIMEOUT_MS"), vendor, 30_000, 1),
        maxRetries: readIntSetting(setting("maxRetries", "MAX_RETRIES"), vendor, 5),
        retryBaseDelayMs: readIntSetting(setting("retryBaseDelayMs", "RETRY_BASE_DELAY_MS"), vendor, 250, 1),
        maxConcurrency: readIntSetting(setting("maxConcurrency", "MAX_CONCURRENCY"), vendor, 8, 1),
        maxResponseBytes: readIntSetting(
            setting("maxResponseBytes", "MAX_RESPONSE_BYTES"),
            vendor,
            DEFAULT_MAX_RESPONSE_BYTES,
            1,
        ),
    };
}

/**
 * A named connection's setting, for vendors where one stack talks to several servers (PBXs):
 * stack config `<namespace>:<connection>.<field>` (e.g. `portsip:east.password`), then the
 * environment `<PREFIX>_<CONNECTION>_<FIELD>` (e.g. `PORTSIP_EAST_PASSWORD`). The connection
 * named `default` also answers to `<namespace>:<field>` and `<PREFIX>_<FIELD>`.
 */
export function connectionSetting(
    namespace: string,
    envPrefix: string,
    connection: string,
    field: string,
    secret = false,
): Setting[] {
    const envName = (part: string) =>
        part
            .replace(/([a-z])([A-Z])/g, "$1_$2")
            .replace(/[^A-Za-z0-9]+/g, "_")
            .toUpperCase();
    const named: Setting = {
        configKey: `${namespace}:${connection}.${field}`,
        envVar: `${envPrefix}_${envName(connection)}_${envName(field)}`,
        secret,
    };
    if (connection !== "default") return [named];
    return [named, { configKey: `${namespace}:${field}`, envVar: `${envPrefix}_${envName(field)}`, secret }];
}

/** The first of several settings that has a value. */
export function readFirstSetting(settings: Setting[]): string | undefined {
    for (const setting of settings) {
        const value = readSetting(setting);
        if (value !== undefined) return value;
    }
    return undefined;
}

/** Like {@link readFirstSetting}, failing with a message that names where to set it. */
export function requireFirstSetting(settings: Setting[], vendor: string): string {
    const value = readFirstSetting(settings);
    if (value !== undefined) return value;
    const first = settings[0];
    if (first === undefined) throw new Error(`${vendor}: no setting to read`);
    return requireSetting(first, vendor);
}

/** The connection a resource uses when it names none; it also answers to the un-named keys. */
export const DEFAULT_CONNECTION = "default";

/**
 * A connection name: it becomes part of stack config keys (`voicetel:east.apiKey`) and environment
 * variable names (`VOICETEL_EAST_API_KEY`), so it is kept to what both can spell.
 */
export const CONNECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** What a connection name that fails {@link CONNECTION_NAME} is told, naming one of the keys it would form. */
export function connectionNameRule(namespace: string, exampleField: string): string {
    return `must start with a letter and hold only letters, digits, '-' or '_', at most 63 (it names stack config keys ${namespace}:<connection>.${exampleField}, ...)`;
}

/** One vendor's named connections: where their settings live and how messages name the vendor. */
export interface ConnectionNamespace {
    /** Stack config namespace, e.g. `voicetel`. */
    namespace: string;
    /** Environment variable prefix, e.g. `VOICETEL`. */
    envPrefix: string;
    /** Display name of the vendor, for messages. */
    vendor: string;
}

/**
 * The key a user sets for a connection's field, as messages name it: `voicetel:apiKey` for the
 * `default` connection (the key a one-account stack already has), `voicetel:east.apiKey` otherwise.
 */
export function connectionConfigKey(namespace: string, connection: string, field: string): string {
    return connection === DEFAULT_CONNECTION ? `${namespace}:${field}` : `${namespace}:${connection}.${field}`;
}

/** A connection's field, from {@link connectionSetting}'s places in order; undefined when none has it. */
export function readConnectionSetting(
    vendor: ConnectionNamespace,
    connection: string,
    field: string,
    secret = false,
): string | undefined {
    return readFirstSetting(connectionSetting(vendor.namespace, vendor.envPrefix, connection, field, secret));
}

/**
 * Like {@link readConnectionSetting}, failing with a message that names the key and environment
 * variable of {@link connectionConfigKey} (the short form for the `default` connection).
 */
export function requireConnectionSetting(
    vendor: ConnectionNamespace,
    connection: string,
    field: string,
    secret = false,
): string {
    const places = connectionSetting(vendor.namespace, vendor.envPrefix, connection, field, secret);
    const value = readFirstSetting(places);
    if (value !== undefined) return value;
    const named = places.find((place) => place.configKey === connectionConfigKey(vendor.namespace, connection, field));
    if (named === undefined) throw new Error(`${vendor.vendor}: no setting for ${field}`);
    return requireSetting(named, vendor.vendor);
}

/**
 * One policy for every vendor's refused credentials: a 401 or 403 answer names the connection's
 * keys that hold what the vendor refused (`Unauthorized (check voicetel:east.apiKey; not
 * retried)`); the answer alone does not say which account or which setting.
 */
export function credentialAdvice(vendor: ConnectionNamespace, connection: string, fields: readonly string[]): string {
    const keys = fields.map((field) => connectionConfigKey(vendor.namespace, connection, field));
    return `check ${keys.join(" / ")}; not retried`;
}

/** A vendor's `describeError` with {@link credentialAdvice} added to its 401 and 403 messages. */
export function withCredentialAdvice(
    describe: (status: number, body: string) => VendorErrorDescription,
    vendor: ConnectionNamespace,
    connection: string,
    fields: readonly string[],
): (status: number, body: string) => VendorErrorDescription {
    const advice = credentialAdvice(vendor, connection, fields);
    return (status, body) => {
        const description = describe(status, body);
        if (status !== 401 && status !== 403) return description;
        const message =
            description.message === undefined || description.message === "" ? "refused" : description.message;
        return { ...description, message: `${message} (${advice})` };
    };
}
