/**
 * Keeps credentials out of every error message and log line. Whoever reads a credential registers
 * it here the moment it is read (see `config.ts`), so a later message that happens to quote it,
 * e.g. a vendor echoing a token, a URL with a token in its query, is cleaned before anyone sees it.
 */

const REDACTED = "[REDACTED]";

// Process-wide on purpose: one provider process serves every resource of a deployment, and a
// secret read for one resource must be hidden in every message of every other. This module is
// loaded at run time from the installed package and is never serialized into the state.
const knownSecrets = new Set<string>();

/** Values shorter than this are not registered: masking "1" everywhere would garble messages. */
const MIN_SECRET_LENGTH = 4;

export function registerSecret(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
    knownSecrets.add(value);
    // The same value often travels encoded.
    knownSecrets.add(encodeURIComponent(value));
    knownSecrets.add(Buffer.from(value, "utf8").toString("base64"));
}

/** Query-string and JSON/XML fields that carry credentials, whatever their value. */
const SECRET_FIELD =
    /((?:^|[?&\s"'<,{])(?:token|access_token|api_key|apikey|apiKey|password|passwd|secret)["']?\s*[=:>]\s*["']?)([^&"'<\s,}]+)/g;
const AUTH_HEADER = /(authorization["']?\s*[:=]\s*["']?(?:basic|bearer)\s+)([A-Za-z0-9+/=._~-]+)/gi;

export function redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length)) {
        result = result.split(secret).join(REDACTED);
    }
    return result.replace(AUTH_HEADER, `$1${REDACTED}`).replace(SECRET_FIELD, `$1${REDACTED}`);
}

/** For tests: forget registered secrets. */
export function clearRegisteredSecrets(): void {
    knownSecrets.clear();
}
