import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isPlainObject } from "../portsip-common";

/**
 * A small checker of HTTP answers against PortSIP's own OpenAPI 3.1 document (the providers/auth
 * subset in `test/contract/openapi/`). It walks only the JSON-Schema keywords that document
 * uses and refuses any other keyword, so a newer document cannot silently pass unchecked.
 */

export type Schema = Record<string, unknown>;

interface ResponseSpec {
    content?: Record<string, { schema?: Schema }>;
    headers?: Record<string, unknown>;
}

interface Operation {
    responses: Record<string, ResponseSpec>;
}

export interface OpenApiDocument {
    info: { description?: string };
    paths: Record<string, Record<string, Operation>>;
}

export interface WalkOptions {
    /**
     * Treat every object that declares `properties` as closed. The document's objects are open, but
     * an undeclared key in a simulator answer is almost always a misspelt field.
     */
    closed?: boolean;
    /**
     * Accept `null` for a declared, non-required property. The document's own `info.description`
     * says "Blank fields are explicitly included as null values", which its schemas never spell out.
     */
    nullForBlank?: boolean;
}

const SUPPORTED_KEYWORDS = new Set([
    "type",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "format",
    "properties",
    "required",
    "items",
    "allOf",
    "oneOf",
    // Annotations only.
    "readOnly",
    "default",
    "example",
    "description",
]);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The vendor's own document, kept in the repository as a test fixture. */
export const PORTSIP_OPENAPI_PATH = path.resolve(__dirname, "../../contract/openapi/portsip-v22-providers.json");

export function loadPortSipOpenApi(file = PORTSIP_OPENAPI_PATH): OpenApiDocument {
    return JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
}

/** Every violation of `schema` by `value`, as `where: what` lines; empty when it conforms. */
export function validateSchema(schema: Schema, value: unknown, options: WalkOptions = {}, where = "$"): string[] {
    const errors: string[] = [];
    walk(schema, value, options, where, errors);
    return errors;
}

function walk(schema: Schema, value: unknown, options: WalkOptions, where: string, errors: string[]): void {
    for (const keyword of Object.keys(schema)) {
        if (!SUPPORTED_KEYWORDS.has(keyword)) errors.push(`${where}: unsupported keyword '${keyword}'`);
    }
    const allOf = schema.allOf as Schema[] | undefined;
    for (const sub of allOf ?? []) walk(sub, value, options, where, errors);
    const oneOf = schema.oneOf as Schema[] | undefined;
    if (oneOf !== undefined) {
        // The document's oneOf branches are objects without `required`, so under plain JSON Schema
        // every object matches all of them and "exactly one" could never hold. Branches are judged
        // closed instead, which is what tells the two sign-in answers apart.
        const matching = oneOf.filter(
            (sub) => validateSchema(sub, value, { ...options, closed: true }, where).length === 0,
        );
        if (matching.length !== 1) errors.push(`${where}: matches ${String(matching.length)} oneOf branches, not 1`);
    }

    const type = schema.type as string | undefined;
    if (type !== undefined && !hasType(value, type)) {
        errors.push(`${where}: expected ${type}, got ${describeValue(value)}`);
        return;
    }
    const enumValues = schema.enum as unknown[] | undefined;
    if (enumValues !== undefined && !enumValues.includes(value)) {
        errors.push(`${where}: ${JSON.stringify(value)} is not one of ${enumValues.join(", ")}`);
    }
    if (typeof value === "string") checkString(schema, value, where, errors);
    if (typeof value === "number") checkNumber(schema, value, where, errors);
    if (Array.isArray(value) && schema.items !== undefined) {
        value.forEach((item, index) => {
            walk(schema.items as Schema, item, options, `${where}[${String(index)}]`, errors);
        });
    }
    if (isPlainObject(value)) checkObject(schema, value, options, where, errors);
}

function hasType(value: unknown, type: string): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return typeof value === "number" && Number.isInteger(value);
        case "number":
            return typeof value === "number" && Number.isFinite(value);
        case "boolean":
            return typeof value === "boolean";
        case "array":
            return Array.isArray(value);
        case "object":
            return isPlainObject(value);
        case "null":
            return value === null;
        default:
            throw new Error(`unsupported type '${type}'`);
    }
}

function checkString(schema: Schema, value: string, where: string, errors: string[]): void {
    // JSON Schema counts code points, not UTF-16 units.
    const length = Array.from(value).length;
    const { minLength, maxLength, format } = schema as { minLength?: number; maxLength?: number; format?: string };
    if (minLength !== undefined && length < minLength) errors.push(`${where}: shorter than ${String(minLength)}`);
    if (maxLength !== undefined && length > maxLength) errors.push(`${where}: longer than ${String(maxLength)}`);
    if (format === "date_time" && !RFC3339.test(value)) errors.push(`${where}: not an RFC 3339 date-time`);
}

function checkNumber(schema: Schema, value: number, where: string, errors: string[]): void {
    const { minimum, maximum, format } = schema as { minimum?: number; maximum?: number; format?: string };
    if (minimum !== undefined && value < minimum) errors.push(`${where}: below ${String(minimum)}`);
    if (maximum !== undefined && value > maximum) errors.push(`${where}: above ${String(maximum)}`);
    if (format === "int32" && (value < -(2 ** 31) || value > 2 ** 31 - 1)) errors.push(`${where}: outside int32`);
    if (format === "int64" && !Number.isSafeInteger(value)) errors.push(`${where}: not an exact int64`);
}

function checkObject(
    schema: Schema,
    value: Record<string, unknown>,
    options: WalkOptions,
    where: string,
    errors: string[],
): void {
    const properties = schema.properties as Record<string, Schema> | undefined;
    const required = (schema.required as string[] | undefined) ?? [];
    for (const name of required) {
        if (value[name] === undefined) errors.push(`${where}.${name}: required`);
    }
    if (properties === undefined) return;
    for (const [name, item] of Object.entries(value)) {
        const sub = properties[name];
        if (sub === undefined) {
            if (options.closed === true) errors.push(`${where}.${name}: not declared`);
            continue;
        }
        if (item === null && options.nullForBlank === true && !required.includes(name)) continue;
        walk(sub, item, options, `${where}.${name}`, errors);
    }
}

function describeValue(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    return typeof value;
}

export interface ObservedResponse {
    status: number;
    headers: Headers;
    text: string;
}

/**
 * Checks one answer of `METHOD /api<path>` against the operation's documented responses: the
 * status must be documented (exactly or as `4XX`), the media type must be one declared, a JSON body
 * must satisfy the schema, declared headers must be present, and a 2xx without declared content
 * must have an empty body.
 */
export function checkResponse(
    doc: OpenApiDocument,
    method: string,
    apiPath: string,
    response: ObservedResponse,
    options: WalkOptions = {},
): string[] {
    const operation = findOperation(doc, method, apiPath);
    if (operation === undefined) return [`${method} ${apiPath}: no such operation in the document`];
    const status = String(response.status);
    const spec = operation.responses[status] ?? operation.responses[`${status.charAt(0)}XX`];
    if (spec === undefined) return [`${method} ${apiPath}: status ${status} is not documented`];

    const errors: string[] = [];
    for (const header of Object.keys(spec.headers ?? {})) {
        if (!response.headers.has(header)) errors.push(`${method} ${apiPath}: header ${header} missing`);
    }
    if (spec.content === undefined) {
        if (response.status < 300 && response.text !== "") {
            errors.push(`${method} ${apiPath}: ${status} documents no content but a body was sent`);
        }
        return errors;
    }
    const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
    const content = spec.content[mediaType];
    if (content === undefined) {
        errors.push(`${method} ${apiPath}: media type '${mediaType}' is not documented`);
        return errors;
    }
    if (mediaType === "application/json" && content.schema !== undefined) {
        let body: unknown;
        try {
            body = JSON.parse(response.text);
        } catch {
            return [...errors, `${method} ${apiPath}: body is not JSON`];
        }
        errors.push(...validateSchema(content.schema, body, options).map((error) => `${method} ${apiPath}: ${error}`));
    }
    return errors;
}

/** The operation for a concrete path; literal segments beat `{param}` ones (`/providers/export`). */
export function findOperation(doc: OpenApiDocument, method: string, apiPath: string): Operation | undefined {
    const segments = apiPath.split("/").slice(1);
    let best: { operation: Operation; literals: number } | undefined;
    for (const [template, item] of Object.entries(doc.paths)) {
        const parts = template.split("/").slice(1);
        if (parts.length !== segments.length) continue;
        const matches = parts.every((part, index) => part.startsWith("{") || part === segments[index]);
        const operation = item[method.toLowerCase()];
        if (!matches || operation === undefined) continue;
        const literals = parts.filter((part) => !part.startsWith("{")).length;
        if (best === undefined || literals > best.literals) best = { operation, literals };
    }
    return best?.operation;
}
