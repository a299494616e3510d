import type { HttpTuning } from "../../core/config";
import { declareConnections } from "../../core/connection";
import { VendorApiError } from "../../core/errors";
import { serviceUrl } from "../../core/ids";
import { vendorRequest, type VendorConnection, type VendorErrorDescription } from "../../core/http";
import { log } from "../../core/log";
import { portSipRun } from "./run-state";

/**
 * Named connections to PortSIP PBXs and the API generation each one speaks.
 *
 * One stack may manage trunks on many PBXs. Each trunk names its connection (`default` unless
 * told otherwise); the connection's settings come from stack config `portsip:<connection>.<field>`
 * or the environment `PORTSIP_<CONNECTION>_<FIELD>` (the `default` connection also answers to
 * `portsip:<field>` / `PORTSIP_<FIELD>`): `url`, `username`, `password` (secret), optional
 * `domain` (tenant admins) and optional `apiVersion` (`v12` or `v22`).
 */

export const VENDOR = "PortSIP";
export const NAMESPACE = "portsip";
export const ENV_PREFIX = "PORTSIP";

export const CONNECTIONS = declareConnections({
    namespace: NAMESPACE,
    envPrefix: ENV_PREFIX,
    vendor: VENDOR,
    fields: {
        url: {},
        username: {},
        password: { secret: true },
        domain: { optional: true },
        apiVersion: { optional: true },
    },
    baseUrlField: "url",
    credentialFields: ["username", "password"],
    identityFields: ["username", "domain"],
});

/** The two API generations: legacy v12 (`/api/providers/<verb>`) and v16+ (documented as v22). */
export const GENERATIONS = ["v12", "v22"] as const;
export type Generation = (typeof GENERATIONS)[number];

export interface PbxConnection {
    name: string;
    /** Base URL without `/api`, e.g. `https://pbx.example.com:8887`. */
    url: string;
    username: string;
    password: string;
    /** Tenant SIP domain, for tenant admins; the system admin leaves it out. */
    domain: string | undefined;
    tuning: HttpTuning;
}

const configKey = CONNECTIONS.configKey;

/**
 * `http(s)://host[:port]`, the part before `/api`. Credentials in the URL are refused without being
 * repeated (core/ids.ts): the URL appears in messages and debug lines.
 */
function normalizeUrl(name: string, raw: string): string {
    const url = serviceUrl(raw, {
        vendor: VENDOR,
        configKey: configKey(name, "url"),
        example: "https://pbx.example.com:8887",
        credentialKeys: `${configKey(name, "username")} and ${configKey(name, "password")}`,
    });
    const path = url.pathname.replace(/\/+$/, "").replace(/\/api$/, "");
    if (path !== "") {
        throw new Error(
            `${VENDOR}: ${configKey(name, "url")} must be http(s)://host[:port] (the part before /api), got "${url.origin}${url.pathname}"`,
        );
    }
    return url.origin;
}

/** The connection's URL when configured; no error when it is not (check may not need it). */
export function connectionUrl(name: string): string | undefined {
    const raw = CONNECTIONS.read(name, "url");
    return raw === undefined ? undefined : normalizeUrl(name, raw);
}

/** Everything needed to call the PBX; fails naming the setting (and where to set it) that is missing. */
export function pbxConnection(name: string): PbxConnection {
    const { values, tuning } = CONNECTIONS.resolve(name);
    return {
        name,
        url: normalizeUrl(name, values.url),
        username: values.username,
        password: values.password,
        domain: values.domain,
        tuning,
    };
}

/** How `apiVersion` may be written: v16 rewrote the API, and v16 to v22.x share the resource-style generation. */
const PINNED_SPELLINGS: Partial<Record<string, Generation>> = {
    v12: "v12",
    "12": "v12",
    v16: "v22",
    "16": "v22",
    v22: "v22",
    "22": "v22",
};

/** The generation pinned in config, `undefined` when not pinned; throws on a value that is neither. */
export function pinnedGeneration(name: string): Generation | undefined {
    const raw = CONNECTIONS.read(name, "apiVersion");
    if (raw === undefined) return undefined;
    const pinned = PINNED_SPELLINGS[raw.trim().toLowerCase()];
    if (pinned !== undefined) return pinned;
    throw new Error(
        `${VENDOR}: ${configKey(name, "apiVersion")} must be "v12" or "v22" (v16 and later speak v22), got "${raw}"`,
    );
}

/** What `GET /api/info` says about the generation: v16+ answers 200 with `web_domain`, v12 has no such route. */
export function generationFromInfo(status: number, body: string): Generation | undefined {
    if (status === 200) {
        try {
            const parsed = JSON.parse(body) as unknown;
            if (typeof parsed === "object" && parsed !== null && "web_domain" in parsed) return "v22";
        } catch {
            return undefined;
        }
        return undefined;
    }
    if (status === 404 || status === 405) return "v12";
    return undefined;
}

function undetectable(name: string, url: string, why: string): Error {
    return new Error(
        `${VENDOR}: cannot tell which API generation the PBX of connection "${name}" (${url}) speaks: ${why}; ` +
            `pin it with \`pulumi config set ${configKey(name, "apiVersion")} v22\` (or v12)`,
    );
}

/** One unauthenticated `GET /api/info`: it needs the URL, not the credentials. */
async function detect(name: string, url: string): Promise<Generation> {
    const http: VendorConnection = {
        vendor: VENDOR,
        baseUrl: `${url}/api`,
        tuning: CONNECTIONS.tuning(),
        describeError: (): VendorErrorDescription => ({}),
    };
    let outcome: { status: number; body: string };
    try {
        outcome = await vendorRequest(http, {
            operation: `detect the API generation of connection "${name}"`,
            method: "GET",
            path: "/info",
            idempotent: true,
            parse: (body, response) => ({ status: response.status, body }),
        });
    } catch (error) {
        if (!VendorApiError.isInstance(error) || error.status === undefined) throw error;
        // A 4xx answer is an answer: v12 has no /api/info.
        outcome = { status: error.status, body: "" };
    }
    const generation = generationFromInfo(outcome.status, outcome.body);
    if (generation === undefined) {
        throw undetectable(name, url, `GET /api/info answered HTTP ${outcome.status}`);
    }
    log.debug(`${VENDOR}: connection "${name}" (${url}) speaks ${generation} (detected)`);
    return generation;
}

/**
 * The generation of a connection's PBX: pinned (no call at all), else detected once per PBX per
 * run (concurrent hooks share the one detection).
 */
export function resolveGeneration(name: string): Promise<Generation> {
    try {
        const pinned = pinnedGeneration(name);
        if (pinned !== undefined) return Promise.resolve(pinned);
        const url = normalizeUrl(name, CONNECTIONS.require(name, "url"));
        const known = portSipRun.generations.get(url);
        if (known !== undefined) return known;
        const detection = detect(name, url);
        portSipRun.generations.set(url, detection);
        detection.catch(() => {
            if (portSipRun.generations.get(url) === detection) portSipRun.generations.delete(url);
        });
        return detection;
    } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
}

/**
 * The generation as `check` needs it, where a problem is reported against `connection`: a
 * missing or malformed URL names its setting, and a PBX that cannot be asked gets advice to pin
 * the generation (pinned connections keep previews free of API calls).
 */
export async function generationForCheck(name: string): Promise<Generation> {
    const pinned = pinnedGeneration(name);
    if (pinned !== undefined) return pinned;
    // A missing URL fails naming its setting and where to set it.
    const url = normalizeUrl(name, CONNECTIONS.require(name, "url"));
    try {
        return await resolveGeneration(name);
    } catch (error) {
        throw VendorApiError.isInstance(error)
            ? undetectable(name, url, error.message.replace(`${VENDOR}: `, ""))
            : error;
    }
}
