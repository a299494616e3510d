import { readFileSync } from "node:fs";
import * as path from "node:path";
import { type Schema, validateSchema, type WalkOptions } from "../core/json-schema";

/**
 * Checks HTTP answers against PortSIP's own OpenAPI 3.1 document (the providers/auth subset in
 * `test/contract/openapi/`); bodies go through the one schema walker of ../core/json-schema.ts.
 */

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

/** The vendor's own document, kept in the repository as a test fixture. */
export const PORTSIP_OPENAPI_PATH = path.resolve(__dirname, "../../contract/openapi/portsip-v22-providers.json");

export function loadPortSipOpenApi(file = PORTSIP_OPENAPI_PATH): OpenApiDocument {
    return JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
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
