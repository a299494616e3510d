import type { VendorErrorKind } from "./errors";
import type { VendorErrorDescription } from "./http";
import { redactedExcerpt } from "./redact";

/**
 * The one reader of vendor error bodies. A vendor declares where its bodies keep the message and
 * the code; whatever cannot be read that way (a proxy's HTML page, a 5xx text, an empty body)
 * becomes a short redacted excerpt of the text, so a message never loses what the vendor said.
 */

type BodyRecord = Record<string, unknown>;

/** Where one error item keeps a value: field names tried in order, or a function for structured values. */
export type ErrorField = readonly string[] | ((item: BodyRecord) => string | undefined);

/** How one vendor's error bodies read. */
export interface ErrorBodyFormat {
    /** Turns the body text into a value; `JSON.parse` unless told (a lossless JSON parser, an XML decoder). */
    parse?: ((body: string) => unknown) | undefined;
    /**
     * The field holding a list of error items (`errors` of JSON:API); when absent the whole body is
     * the one item. Omit `message` too for a vendor whose error bodies are never structured.
     */
    itemsAt?: string | undefined;
    /** Where an item's message is; the messages of every item are joined with `separator`. */
    message?: ErrorField | undefined;
    /** Where the first item's code is. */
    code?: ErrorField | undefined;
    /** Joins the items' messages and any `details`; `"; "` unless told. */
    separator?: string | undefined;
    /** More the body says after the messages (VoiceTel's failed batch items), each part already worded. */
    details?: ((body: BodyRecord) => string[]) | undefined;
    /** The kind when the body says more than the status (an expired token in a 400, a code table). */
    kind?: ((status: number, description: VendorErrorDescription) => VendorErrorKind | undefined) | undefined;
}

/** What to show of an error body that could not be parsed: its first 200 characters, if any, redacted before the cut. */
export function bodyExcerpt(body: string): string | undefined {
    return redactedExcerpt(body, 200);
}

function isRecord(value: unknown): value is BodyRecord {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldText(item: BodyRecord, field: ErrorField): string | undefined {
    if (typeof field === "function") return field(item);
    for (const name of field) {
        const value = item[name];
        if (typeof value === "string") return value;
    }
    return undefined;
}

/** The message and code the format finds in a parsed body; undefined when it finds neither. */
function structured(format: ErrorBodyFormat, parsed: unknown): VendorErrorDescription | undefined {
    if (format.message === undefined || !isRecord(parsed)) return undefined;
    const listed = format.itemsAt === undefined ? [parsed] : parsed[format.itemsAt];
    const items = Array.isArray(listed) ? listed.filter(isRecord) : [];
    const messages = items
        .map((item) => (format.message === undefined ? undefined : fieldText(item, format.message)))
        .filter((message): message is string => message !== undefined && message !== "");
    const parts = [...messages, ...(format.details?.(parsed) ?? [])];
    const first = items[0];
    const code = format.code === undefined || first === undefined ? undefined : fieldText(first, format.code);
    if (parts.length === 0 && code === undefined) return undefined;
    return { message: parts.length === 0 ? undefined : parts.join(format.separator ?? "; "), code };
}

/**
 * The `describeError` of a vendor connection (core/http.ts): the body read as `format` says,
 * else an excerpt of its text; then the kind, when the format tells one.
 */
export function errorBodyReader(format: ErrorBodyFormat): (status: number, body: string) => VendorErrorDescription {
    return (status, body) => {
        let description: VendorErrorDescription | undefined;
        try {
            description = structured(format, (format.parse ?? JSON.parse)(body));
        } catch {
            description = undefined;
        }
        if (description?.message === undefined) description = { ...description, message: bodyExcerpt(body) };
        const kind = format.kind?.(status, description);
        return kind === undefined ? description : { ...description, kind };
    };
}
