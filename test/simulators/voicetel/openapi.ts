import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { SchemaDocument } from "../core/json-schema";

/**
 * The OpenAPI documents the simulator's answers are checked against.
 *
 * The gateways document is the vendor's own (v2.1.6), kept unchanged in `test/contract/openapi/`, so
 * the repository's tests stand on their own.
 *
 * The vendor's numbers document is not in the repository; `SUPPLEMENT` transcribes only the response schemas of
 * the one numbers endpoint the simulator adds (`numbers/list`), from VoiceTel's `numbers.json` v2.1.6.
 */

interface MediaType {
    schema: unknown;
}

export interface ResponseDocument extends SchemaDocument {
    components: { schemas: Record<string, unknown> };
    paths: Record<string, { post?: { responses: Record<string, { content?: Record<string, MediaType> }> } }>;
}

export const GATEWAYS_DOCUMENT = JSON.parse(
    readFileSync(path.join(__dirname, "..", "..", "contract", "openapi", "voicetel-v2.1-gateways.json"), "utf8"),
) as ResponseDocument;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { "application/json": { schema: ref(name) } } });
const str = { type: "string" };

export const SUPPLEMENT: ResponseDocument = {
    components: {
        schemas: {
            errorResponse: {
                type: "object",
                required: ["statusCode", "status", "message"],
                properties: { statusCode: str, status: str, message: str },
            },
            numberListEntry: {
                type: "object",
                required: ["number", "route", "ip"],
                properties: { number: str, route: str, ip: str },
            },
            numbersListResponse: {
                type: "object",
                required: ["statusCode", "status", "numbers"],
                properties: { statusCode: str, status: str, numbers: { type: "array", items: ref("numberListEntry") } },
            },
            numbersListNotFound: {
                type: "object",
                required: ["statusCode", "status", "numbers"],
                properties: { statusCode: str, status: str, numbers: { type: "string", enum: ["Not Found"] } },
            },
        },
    },
    paths: {
        "/v2.1/numbers/list/": {
            post: {
                responses: {
                    "200": json("numbersListResponse"),
                    "400": json("errorResponse"),
                    "401": json("errorResponse"),
                    "404": json("numbersListNotFound"),
                },
            },
        },
    },
};
