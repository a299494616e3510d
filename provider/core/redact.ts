import { onProcessReset } from "./process-state";
/**
 * Keeps credentials out of every error message and log line. Whoever reads a credential registers
 * it here the moment it is read (`config.ts` for connection settings, `runHook` for a resource's
 * secret inputs, `session.ts` for tokens), so a later message that happens to quote it, e.g. a
 * vendor echoing a password in a JSON, XML or form body, is cleaned before anyone sees it.
 */

const REDACTED = "[REDACTED]";

/**
 * Registered secrets shorter than this are masked only where they stand as a whole delimited
 * value (a quoted string, an XML element's text, a `key=value` or `key: value` value), never inside
 * free text: masking "ab" or "1" wherever it occurs would garble every message (ids, words, HTTP
 * statuses) and, by showing where the letters were cut, would reveal the secret anyway.
 */
const MIN_FREE_TEXT_LENGTH = 4;

interface SecretPattern {
    /** Matches the secret raw and JSON-, XML- and URL-encoded (any mix of them, per character). */
    source: string;
    /** Raw length, for longest-first ordering. */
    length: number;
    delimitedOnly: boolean;
}

// Process-wide on purpose: one provider process serves every resource of a deployment, and a
// secret read for one resource must be hidden in every message of every other. This module is
// loaded at run time from the installed package and is never serialized into the state.
const knownSecrets = new Map<string, SecretPattern>();
let compiled: RegExp | undefined;
onProcessReset(clearRegisteredSecrets);

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** A hex number as written by any encoder: either letter case, optional leading zeros. */
function hexPattern(value: number, minDigits: number): string {
    const digits = value.toString(16).padStart(minDigits, "0");
    return digits.replace(/[a-f]/g, (letter) => `[${letter}${letter.toUpperCase()}]`);
}

const JSON_SHORT_ESCAPES: Record<string, string> = {
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
};

const XML_NAMED_ENTITIES: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&apos;",
};

/** Every way one character of a secret can be written by a JSON, XML or URL encoder. */
function characterPattern(char: string): string {
    const codePoint = char.codePointAt(0) ?? 0;
    const forms = new Set<string>([escapeRegExp(char)]);
    // JSON: short escapes and \uXXXX (a surrogate pair beyond the BMP).
    const shortEscape = JSON_SHORT_ESCAPES[char];
    if (shortEscape !== undefined) forms.add(escapeRegExp(shortEscape));
    const units = Array.from({ length: char.length }, (_, index) => char.charCodeAt(index));
    forms.add(units.map((unit) => `\\\\u${hexPattern(unit, 4)}`).join(""));
    // XML: named entities and decimal or hexadecimal character references.
    const entity = XML_NAMED_ENTITIES[char];
    if (entity !== undefined) forms.add(escapeRegExp(entity));
    forms.add(`&#0*${codePoint};`);
    forms.add(`&#[xX]0*${hexPattern(codePoint, 1)};`);
    // URL: percent-encoded UTF-8 bytes; `+` for a space in forms and query strings.
    const bytes = [...Buffer.from(char, "utf8")];
    forms.add(bytes.map((byte) => `%${hexPattern(byte, 2)}`).join(""));
    if (char === " ") forms.add("\\+");
    return `(?:${[...forms].join("|")})`;
}

function encodedPattern(secret: string): string {
    // Code points, not grapheme clusters: encoders escape code point by code point.
    return Array.from(secret, characterPattern).join("");
}

function base64Forms(value: string): string[] {
    const standard = Buffer.from(value, "utf8").toString("base64");
    const urlSafe = Buffer.from(value, "utf8").toString("base64url");
    return [...new Set([standard, standard.replace(/=+$/, ""), urlSafe])];
}

function patternFor(secret: string): SecretPattern {
    const alternatives = [encodedPattern(secret), ...base64Forms(secret).map(escapeRegExp)];
    return {
        source: `(?:${alternatives.join("|")})`,
        length: secret.length,
        delimitedOnly: secret.length < MIN_FREE_TEXT_LENGTH,
    };
}

// A short secret is masked only between delimiters that make it a whole value: an opening quote,
// `=`, `:` or `>` before it, a closing quote, `&`, `<`, `,`, `;`, a bracket, whitespace or the end after it.
const VALUE_START = `(?<=(?:["'=>]|:\\s*))`;
const VALUE_END = `(?=["'&<,;}\\]\\s]|$)`;

function secretsRegExp(): RegExp | undefined {
    if (knownSecrets.size === 0) return undefined;
    if (compiled === undefined) {
        // Longest first, so a secret that contains another is replaced whole.
        const patterns = [...knownSecrets.values()].sort((a, b) => b.length - a.length);
        const source = patterns
            .map((pattern) => (pattern.delimitedOnly ? `${VALUE_START}${pattern.source}${VALUE_END}` : pattern.source))
            .join("|");
        compiled = new RegExp(source, "g");
    }
    return compiled;
}

export function registerSecret(value: string | undefined): void {
    if (value === undefined || value === "" || knownSecrets.has(value)) return;
    knownSecrets.set(value, patternFor(value));
    compiled = undefined;
}

/**
 * Registers a user name and password sent as HTTP Basic credentials: the base64 of `user:password`
 * is not the base64 of the password, so registering the password alone would not hide it.
 */
export function registerBasicCredential(user: string, password: string): void {
    registerSecret(password);
    registerSecret(`${user}:${password}`);
}

/** The `Authorization` header value for HTTP Basic, its credentials registered for redaction. */
export function basicAuthorization(user: string, password: string): string {
    registerBasicCredential(user, password);
    return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/**
 * Names of fields that carry credentials, whatever their value (registered or not): JSON and
 * XML fields, query and form parameters, headers. Case-insensitive; `_`/`-` separators optional.
 */
const SECRET_FIELD_NAME =
    "(?:authorization[-_]?password|auth[-_]?password|sip[-_]?password|access[-_]?token|refresh[-_]?token|" +
    "auth[-_]?token|api[-_]?key|client[-_]?secret|secret|token|password|passwd|pass|pwd)";
/**
 * The name (optionally quoted, also as `\"` inside an escaped JSON string, or an XML start tag)
 * and its separator; the value that follows is found by {@link valueEnd}. The name must start a
 * field (after a delimiter such as a quote, space, `?`, `&`, `{` or `,`): `openvox:east.password:`
 * in a message naming a setting is not a field.
 */
const SECRET_FIELD = new RegExp(
    `(?<![^\\s"'<>?&{,;[(-])(?:<${SECRET_FIELD_NAME}(?:\\s[^<>]*)?>|(\\\\?["']?)${SECRET_FIELD_NAME}\\1\\s*[:=]\\s*)`,
    "gi",
);
/** An `Authorization` header and its scheme; its credentials run to the closing quote or the line end. */
const AUTH_HEADER = /authorization["']?\s*[:=]\s*(["']?)(?:basic|bearer|digest|token)\s+/gi;

/** Backslashes immediately before `index`. */
function backslashesBefore(text: string, index: number): number {
    let count = 0;
    while (index - count - 1 >= 0 && text[index - count - 1] === "\\") count++;
    return count;
}

/**
 * Where the value starting at `start` ends (exclusive), after a field name ending with `separator`.
 * Quoted values run to their closing quote, escaped quotes and any spaces or commas included; an
 * XML element's text runs to the next tag; a `key=value` value (query, form) to the next `&`, quote,
 * tag or line end. An unquoted value after `:` is a JSON number or literal, or a header or YAML
 * token: it ends at whitespace too, so a vendor's free text such as `password: is too short` keeps
 * most of its words. A value cut off (an excerpt) runs to the end of the text.
 */
function valueEnd(text: string, start: number, separator: string): number {
    if (separator === ">") {
        let index = start;
        while (index < text.length) {
            if (text.startsWith("<![CDATA[", index)) {
                const close = text.indexOf("]]>", index);
                index = close === -1 ? text.length : close + 3;
            } else if (text[index] === "<") {
                return index;
            } else index++;
        }
        return index;
    }
    if (text.startsWith('\\"', start)) {
        // A JSON string inside a JSON string: the value closes at `\"` whose own backslash is not
        // escaped, i.e. a quote preceded by 1, 5, 9... backslashes (4k+1).
        for (let index = start + 2; index < text.length; index++) {
            if (text[index] === '"' && backslashesBefore(text, index) % 4 === 1) return index - 1;
        }
        return text.length;
    }
    const quote = text[start];
    if (quote === '"' || quote === "'") {
        for (let index = start + 1; index < text.length; index++) {
            if (text[index] === quote && backslashesBefore(text, index) % 2 === 0) return index + 1;
        }
        return text.length;
    }
    const stop = separator === "=" ? /[&"<>\r\n]/g : /[\s,}\]&"<>]/g;
    stop.lastIndex = start;
    const found = stop.exec(text);
    return found === null ? text.length : found.index;
}

/** The value with its quotes kept and its content masked; empty values and `null` stay as they are. */
function maskedValue(value: string): string {
    const trimmed = value.trimEnd();
    const trailing = value.slice(trimmed.length);
    if (trimmed === "" || trimmed === "null") return value;
    for (const quote of ['\\"', '"', "'"]) {
        if (trimmed.startsWith(quote)) {
            if (trimmed.length === quote.length) return `${quote}${REDACTED}${trailing}`;
            const closed = trimmed.endsWith(quote) && trimmed.length >= 2 * quote.length;
            const inner = closed ? trimmed.slice(quote.length, -quote.length) : trimmed.slice(quote.length);
            if (inner === "") return value;
            return `${quote}${REDACTED}${closed ? quote : ""}${trailing}`;
        }
    }
    return `${REDACTED}${trailing}`;
}

/** Masks, after every match of `prefix`, the value that runs to `endOf(start, match)`. */
function maskAfter(text: string, prefix: RegExp, endOf: (start: number, match: RegExpExecArray) => number): string {
    let result = "";
    let copied = 0;
    prefix.lastIndex = 0;
    for (let match = prefix.exec(text); match !== null; match = prefix.exec(text)) {
        const start = match.index + match[0].length;
        if (start < copied) continue;
        const end = endOf(start, match);
        result += text.slice(copied, start) + maskedValue(text.slice(start, end));
        copied = end;
        prefix.lastIndex = Math.max(end, start + 1);
    }
    return result + text.slice(copied);
}

function authHeaderEnd(text: string, start: number, quote: string): number {
    if (quote === "") {
        const lineEnd = text.slice(start).search(/[\r\n]/);
        return lineEnd === -1 ? text.length : start + lineEnd;
    }
    for (let index = start; index < text.length; index++) {
        if (text[index] === quote && backslashesBefore(text, index) % 2 === 0) return index;
    }
    return text.length;
}

export function redact(text: string): string {
    const secrets = secretsRegExp();
    const withoutSecrets = secrets === undefined ? text : text.replace(secrets, REDACTED);
    const withoutHeaders = maskAfter(withoutSecrets, AUTH_HEADER, (start, match) =>
        authHeaderEnd(withoutSecrets, start, match[1] ?? ""),
    );
    return maskAfter(withoutHeaders, SECRET_FIELD, (start, match) =>
        valueEnd(withoutHeaders, start, match[0].trimEnd().slice(-1)),
    );
}

/**
 * At most `max` characters of `text`, redacted *before* it is cut: cutting first could leave the
 * head of a secret that no longer matches in full. A cut never splits the redaction marker.
 * `undefined` when there is nothing to show.
 */
export function redactedExcerpt(text: string, max = 200): string | undefined {
    const cleaned = redact(text.trim());
    if (cleaned === "") return undefined;
    if (cleaned.length <= max) return cleaned;
    let cut = max;
    const marker = cleaned.lastIndexOf(REDACTED, cut);
    if (marker !== -1 && marker < cut && marker + REDACTED.length > cut) cut = marker + REDACTED.length;
    return cleaned.slice(0, cut);
}

/** For tests: forget registered secrets. */
export function clearRegisteredSecrets(): void {
    knownSecrets.clear();
    compiled = undefined;
}
