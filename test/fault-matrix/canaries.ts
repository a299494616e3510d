import type { SimulatorServer } from "../simulators/core/server";

/**
 * Canary secrets and every form in which one could leak: a secret quoted in JSON, in XML, in a
 * URL, or base64-encoded (as in Basic auth) is still the secret.
 */

function xmlEscaped(text: string): string {
    return text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;");
}

export function leakForms(secret: string): { form: string; text: string }[] {
    return [
        { form: "raw", text: secret },
        { form: "JSON-escaped", text: JSON.stringify(secret).slice(1, -1) },
        { form: "XML-escaped", text: xmlEscaped(secret) },
        { form: "URL-encoded", text: encodeURIComponent(secret) },
        { form: "form-encoded", text: new URLSearchParams({ s: secret }).toString().slice(2) },
        { form: "base64", text: Buffer.from(secret, "utf8").toString("base64") },
    ];
}

/** Below this length a "token" could match by chance (ids, ports): such values are not canaries. */
const MIN_TOKEN_LENGTH = 12;

/** Every token the client presented to the simulator: headers, query and body fields that carry one. */
export function presentedTokens(server: SimulatorServer): string[] {
    const tokens = new Set<string>();
    for (const entry of server.requests) {
        const authorization = entry.headers["authorization"];
        if (typeof authorization === "string") tokens.add(authorization.split(/\s+/).pop() ?? "");
        const accessHeader = entry.headers["access_token"];
        if (typeof accessHeader === "string") tokens.add(accessHeader);
        const query = new URLSearchParams(entry.query);
        for (const key of ["token", "access_token"]) tokens.add(query.get(key) ?? "");
        for (const match of entry.rawBody.matchAll(/"(?:refresh_token|token|access_token)"\s*:\s*"([^"]+)"/g)) {
            tokens.add(match[1] ?? "");
        }
    }
    return [...tokens].filter((token) => token.length >= MIN_TOKEN_LENGTH);
}

export interface Leak {
    where: string;
    form: string;
    secret: string;
}

/** Every canary (in every form) found in any of the texts, named by where it was found. */
export function findLeaks(canaries: readonly string[], texts: readonly { where: string; text: string }[]): Leak[] {
    const leaks: Leak[] = [];
    for (const secret of canaries) {
        for (const { form, text: encoded } of leakForms(secret)) {
            for (const { where, text } of texts) {
                if (text.includes(encoded)) leaks.push({ where, form, secret: `${secret.slice(0, 6)}…` });
            }
        }
    }
    return leaks;
}
