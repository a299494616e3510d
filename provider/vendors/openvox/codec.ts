import { XMLBuilder, XMLParser } from "fast-xml-parser";

/**
 * The two body formats of the OpenVox API, chosen per request by the `type` query parameter
 * (as OpenVox documents it): JSON objects of string values, or `<xml>` documents with one element per
 * field, where an array is a wrapper element of `<item id="N">` children (N = 0-based index).
 * Both directions go through fast-xml-parser; nothing here builds or scans XML by hand.
 *
 * Parsers and builders are created per call: module-level instances would be captured if this
 * module were ever serialized (pulumi/pulumi#5294), and creating them is cheap.
 */

export type Format = "json" | "xml";

export const FORMATS = ["json", "xml"] as const;

/** A decoded answer: strings, nested records and arrays, as the PBX sent them. */
export type WireValue = string | WireRecord | WireValue[];
export interface WireRecord {
    [key: string]: WireValue;
}

/** Content-Type sent with each format. The PBX picks the parser by `type`, not by this header. */
export function contentType(format: Format): string {
    return format === "json" ? "application/json; charset=utf-8" : "application/xml; charset=utf-8";
}

/** A request body: every value is a string on the wire (documented). */
export function encodeBody(format: Format, fields: Readonly<Record<string, string>>): string {
    if (format === "json") return JSON.stringify(fields);
    // fast-xml-parser marks its bundled builder deprecated in favour of a package this project does not
    // depend on; the bundled one escapes text (& < > " ') exactly as needed.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false });
    const text: string = builder.build({ "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" }, xml: { ...fields } });
    return text;
}

/** Parses an answer of either format into a record; throws with a short reason when it is not one. */
export function decodeBody(format: Format, text: string): WireRecord {
    return format === "json" ? decodeJson(text) : decodeXml(text);
}

function decodeJson(text: string): WireRecord {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new Error(`the answer is not JSON (${describeText(text)})`);
    }
    const value = toWireValue(parsed);
    if (!isRecord(value)) throw new Error("the JSON answer is not an object");
    return value;
}

/** `<!DOCTYPE` or `<!ENTITY`, in any case: markup declarations, never part of a PBX answer. */
const DECLARATION = /<!\s*(?:DOCTYPE|ENTITY)\b/i;

function decodeXml(text: string): WireRecord {
    // Refused before the parser sees it: entity expansion lets a broken or hostile answer grow
    // without bound or carry text that was never in the body. The caller reports it as BadResponse.
    if (DECLARATION.test(text)) {
        throw new Error("the answer declares a DOCTYPE or entities, which the PBX never sends; refused unparsed");
    }
    const parser = new XMLParser({
        ignoreAttributes: true,
        ignoreDeclaration: true,
        ignorePiTags: true,
        // Values stay verbatim strings: "05060" must not become 5060, a password keeps its spaces.
        parseTagValue: false,
        trimValues: false,
        isArray: (name) => name === "item",
    });
    let parsed: unknown;
    try {
        parsed = parser.parse(text);
    } catch (error) {
        throw new Error(`the answer is not XML (${error instanceof Error ? error.message : String(error)})`);
    }
    const root = isPlainObject(parsed) ? parsed["xml"] : undefined;
    if (root === undefined) throw new Error(`the answer has no <xml> root element (${describeText(text)})`);
    const value = fromXmlNode(root);
    if (typeof value === "string" && value.trim() === "") return {};
    if (!isRecord(value)) throw new Error("the <xml> root element holds text instead of fields");
    return value;
}

/** Drops indentation text between elements and turns `<x><item/>…</x>` wrappers into arrays. */
function fromXmlNode(node: unknown): WireValue {
    if (Array.isArray(node)) return node.map(fromXmlNode);
    if (!isPlainObject(node)) return typeof node === "string" ? node : String(node);
    const entries = Object.entries(node).filter(
        ([key, value]) => !(key === "#text" && typeof value === "string" && value.trim() === ""),
    );
    const [only] = entries;
    if (entries.length === 1 && only !== undefined && only[0] === "item" && Array.isArray(only[1])) {
        return only[1].map(fromXmlNode);
    }
    const record: WireRecord = {};
    for (const [key, value] of entries) record[key] = fromXmlNode(value);
    return record;
}

/** JSON numbers and booleans become strings: the docs' tables say Int where the examples send strings. */
function toWireValue(value: unknown): WireValue {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(toWireValue);
    if (isPlainObject(value)) {
        const record: WireRecord = {};
        for (const [key, child] of Object.entries(value)) record[key] = toWireValue(child);
        return record;
    }
    return "";
}

export function isRecord(value: WireValue | undefined): value is WireRecord {
    return typeof value === "object" && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeText(text: string): string {
    const trimmed = text.trim();
    if (trimmed === "") return "empty body";
    return `starts with ${JSON.stringify(trimmed.slice(0, 40))}`;
}
