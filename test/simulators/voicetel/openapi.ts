import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { SchemaDocument } from "./schema-walker";

/**
 * The OpenAPI documents the simulator's answers are checked against.
 *
 * The gateways document is the vendor's own (v2.1.6), kept unchanged in `test/contract/openapi/`, so
 * the repository's tests stand on their own.
 *
 * The vendor's numbers and account documents are not in the repository; `SUPPLEMENT` transcribes only the response
 * schemas of the three endpoints the simulator adds (`numbers/list`, `numbers/route`, `account/apikey`), from
 * VoiceTel's `vendor/api-specs/numbers.json` and `account.json` v2.1.6 (fact sheet sources S4, S5).
 */

interface MediaType {
    schema: unknown;
}

export interface ResponseDocument extends SchemaDocument {
    paths: Record<string, { post?: { responses: Record<string, { content?: Record<string, MediaType> }> } }>;
}

export const GATEWAYS_DOCUMENT = JSON.parse(
    readFileSync(path.join(__dirname, "..", "..", "contract", "openapi", "voicetel-v2.1-gateways.json"), "utf8"),
) as ResponseDocument;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { "application/json": { schema: ref(name) } } });
const str = { type: "string" };
const int = { type: "integer" };

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
            numberRouteEntry: {
                type: "object",
                required: ["number", "route"],
                properties: { number: str, route: int },
            },
            numberRouteFailEntry: {
                type: "object",
                required: ["number", "route", "message"],
                properties: { number: str, route: int, message: { type: "string", enum: ["Failed", "Invalid Route"] } },
            },
            numbersRouteResponse: {
                type: "object",
                required: ["statusCode", "status", "message", "numbers"],
                properties: {
                    statusCode: str,
                    status: str,
                    message: { type: "string", enum: ["Route results"] },
                    numbers: { type: "array", items: ref("numberRouteEntry") },
                },
            },
            numbersRouteConflictResponse: {
                type: "object",
                required: ["statusCode", "status", "message", "numbers_success", "numbers_failed"],
                properties: {
                    statusCode: str,
                    status: str,
                    message: { type: "string", enum: ["Route result"] },
                    numbers_success: { type: ["array", "null"], items: ref("numberRouteEntry") },
                    numbers_failed: { type: "array", items: ref("numberRouteFailEntry") },
                },
            },
            // The vendor's apiKeyResponse has no `required`; all three are listed here because its examples have them.
            apiKeyResponse: {
                type: "object",
                required: ["statusCode", "status", "apikey"],
                properties: { statusCode: str, status: str, apikey: str },
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
        "/v2.1/numbers/route/": {
            post: {
                responses: {
                    "200": json("numbersRouteResponse"),
                    "400": json("errorResponse"),
                    "401": json("errorResponse"),
                    "409": json("numbersRouteConflictResponse"),
                },
            },
        },
        // 400, 401 and 429 are documented by description only (no body schema).
        "/v2.1/account/apikey/": {
            post: { responses: { "200": json("apiKeyResponse"), "400": {}, "401": {}, "429": {} } },
        },
    },
};
