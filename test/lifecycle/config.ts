/**
 * Stack config of one vendor connection, as a test sets it: `vendor:key` for the default
 * connection, `vendor:name.key` for the named connection `name`. The lifecycle harness takes these
 * maps as they are; the e2e harness marks their credentials secret.
 */

/** Credentials a simulator accepts. */
export interface Login {
    readonly username: string;
    readonly password: string;
}

/** The per-vendor tuning settings the tests shorten (milliseconds, counts). */
export interface Tuning {
    readonly retryBaseDelayMs?: number;
    readonly requestTimeoutMs?: number;
    readonly maxRetries?: number;
    readonly statusPollIntervalMs?: number;
}

/** Keys whose values are credentials: what the e2e stacks store as secrets. */
export const CREDENTIAL_KEYS: readonly string[] = ["password", "apiKey"];

function connectionConfig(
    vendor: string,
    connection: string | undefined,
    settings: Record<string, string | undefined>,
): Record<string, string> {
    const prefix = connection === undefined ? `${vendor}:` : `${vendor}:${connection}.`;
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(settings)) if (value !== undefined) config[`${prefix}${key}`] = value;
    return config;
}

/** A telecom.center connection (the default one when `connection` is absent). */
export function telecomCenterConfig(baseUrl: string, login: Login, connection?: string): Record<string, string> {
    return connectionConfig("telecomcenter", connection, { ...login, baseUrl });
}

/** A PortSIP connection; without `apiVersion` the provider detects the API generation. */
export function portSipConfig(
    url: string,
    login: Login,
    connection?: string,
    apiVersion?: string,
): Record<string, string> {
    return connectionConfig("portsip", connection, { url, ...login, apiVersion });
}

/** A VoiceTel connection. */
export function voiceTelConfig(baseUrl: string, apiKey: string, connection?: string): Record<string, string> {
    return connectionConfig("voicetel", connection, { apiKey, baseUrl });
}

/** An OpenVox connection; without `format` the provider speaks JSON. */
export function openVoxConfig(url: string, login: Login, connection?: string, format?: string): Record<string, string> {
    return connectionConfig("openvox", connection, { url, ...login, format });
}

/** A vendor's tuning settings, shortened so that retries and timeouts fit in a test. */
export function tuningConfig(vendor: string, tuning: Tuning): Record<string, string> {
    return connectionConfig(
        vendor,
        undefined,
        Object.fromEntries(Object.entries(tuning).map(([key, value]) => [key, String(value)])),
    );
}
