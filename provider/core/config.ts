import { AsyncLocalStorage } from "node:async_hooks";
import { registerSecret } from "./redact";
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

/** A stack config for one piece of work and what it awaits, over the process-wide one. */
const scopedConfig = new AsyncLocalStorage<StackConfig>();

/**
 * Runs `work` with its settings read from `config` (then the environment), leaving the
 * process-wide stack config, and what other work reads, as it is.
 */
export function withStackConfig<T>(config: StackConfig, work: () => Promise<T>): Promise<T> {
    return scopedConfig.run(config, work);
}

export interface Setting {
    /** Namespaced stack config key, e.g. `telecomcenter:username`. */
    configKey: string;
    /** Environment variable used when the stack config has no value. */
    envVar: string;
    /** Registered for redaction as soon as it is read. */
    secret?: boolean;
}

/**
 * Stack config first (the scoped one of {@link withStackConfig}, else the process-wide one), then
 * the environment. Secrets are registered for redaction when read.
 */
export function readSetting(setting: Setting): string | undefined {
    const fromConfig = (scopedConfig.getStore() ?? stackConfig)?.get(setting.configKey);
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

/** What every vendor gets unless its declaration or its settings say otherwise. */
export const DEFAULT_HTTP_TUNING: Readonly<Required<HttpTuning>> = {
    requestTimeoutMs: 30_000,
    maxRetries: 5,
    retryBaseDelayMs: 250,
    maxConcurrency: 8,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
};

/**
 * A vendor's HTTP tuning: `<namespace>:<key>` in stack config, else `<PREFIX>_<KEY>`, else the
 * vendor's own `defaults` (OpenVox writes to a PBX one request at a time), else {@link DEFAULT_HTTP_TUNING}.
 */
export function readHttpTuning(
    namespace: string,
    envPrefix: string,
    vendor: string,
    defaults: Partial<HttpTuning> = {},
): HttpTuning {
    const fallback = { ...DEFAULT_HTTP_TUNING, ...defaults };
    const read = (key: keyof HttpTuning, env: string, min: number) =>
        readIntSetting({ configKey: `${namespace}:${key}`, envVar: `${envPrefix}_${env}` }, vendor, fallback[key], min);
    return {
        requestTimeoutMs: read("requestTimeoutMs", "REQUEST_TIMEOUT_MS", 1),
        maxRetries: read("maxRetries", "MAX_RETRIES", 0),
        retryBaseDelayMs: read("retryBaseDelayMs", "RETRY_BASE_DELAY_MS", 1),
        maxConcurrency: read("maxConcurrency", "MAX_CONCURRENCY", 1),
        maxResponseBytes: read("maxResponseBytes", "MAX_RESPONSE_BYTES", 1),
    };
}
