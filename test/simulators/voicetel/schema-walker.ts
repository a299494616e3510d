/**
 * A tiny validator for the subset of JSON Schema (OpenAPI 3.1) that the VoiceTel documents use: `$ref` to
 * `#/components/schemas/…`, `type` (a name or a list of names), `required`, `properties`, `items`, `enum`.
 * Unknown keywords throw instead of being ignored, so a document that grows a keyword this walker does not
 * understand fails loudly rather than validating everything.
 *
 * Deliberately stricter than the documents in one way: properties a schema does not declare are reported
 * (none of the schemas sets `additionalProperties`, so JSON Schema would allow them), because a faithful
 * simulator must not invent fields.
 */

export interface SchemaDocument {
    components: { schemas: Record<string, unknown> };
}

const ANNOTATIONS = new Set(["description", "example"]);
const SUPPORTED = new Set(["$ref", "type", "required", "properties", "items", "enum", ...ANNOTATIONS]);
const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean", "null"]);

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string[] {
    if (value === null) return ["null"];
    if (Array.isArray(value)) return ["array"];
    if (typeof value === "number") return Number.isInteger(value) ? ["integer", "number"] : ["number"];
    return [typeof value];
}

function asSchema(schema: unknown, at: string): Record<string, unknown> {
    if (!isRecord(schema)) throw new Error(`schema at ${at} is not an object`);
    for (const keyword of Object.keys(schema)) {
        if (!SUPPORTED.has(keyword)) throw new Error(`unsupported schema keyword "${keyword}" at ${at}`);
    }
    return schema;
}

function resolve(doc: SchemaDocument, ref: unknown): unknown {
    const prefix = "#/components/schemas/";
    if (typeof ref !== "string" || !ref.startsWith(prefix)) throw new Error(`unsupported $ref ${String(ref)}`);
    const target = doc.components.schemas[ref.slice(prefix.length)];
    if (target === undefined) throw new Error(`dangling $ref ${ref}`);
    return target;
}

/** Returns one message per violation (empty when `value` conforms); `at` is a JSONPath-like location. */
export function validate(doc: SchemaDocument, schema: unknown, value: unknown, at = "$"): string[] {
    const node = asSchema(schema, at);
    if (node.$ref !== undefined) {
        if (Object.keys(node).some((keyword) => keyword !== "$ref" && !ANNOTATIONS.has(keyword))) {
            throw new Error(`$ref with sibling keywords at ${at}`);
        }
        return validate(doc, resolve(doc, node.$ref), value, at);
    }
    const errors: string[] = [];
    if (node.type !== undefined) {
        const allowed = Array.isArray(node.type) ? (node.type as unknown[]) : [node.type];
        for (const type of allowed) {
            if (typeof type !== "string" || !TYPES.has(type)) throw new Error(`unsupported type at ${at}`);
        }
        const actual = typeOf(value);
        if (!allowed.some((type) => actual.includes(type as string))) {
            return [`${at}: expected ${allowed.join("|")}, got ${actual[0] ?? "?"} ${JSON.stringify(value)}`];
        }
    }
    if (node.enum !== undefined) {
        if (!Array.isArray(node.enum)) throw new Error(`enum is not an array at ${at}`);
        if (!(node.enum as unknown[]).some((candidate) => candidate === value)) {
            errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(node.enum)}`);
        }
    }
    if (isRecord(value)) {
        const properties = node.properties === undefined ? {} : node.properties;
        if (!isRecord(properties)) throw new Error(`properties is not an object at ${at}`);
        const required = node.required ?? [];
        if (!Array.isArray(required)) throw new Error(`required is not an array at ${at}`);
        for (const name of required as unknown[]) {
            if (typeof name !== "string") throw new Error(`required holds a non-string at ${at}`);
            if (!(name in value)) errors.push(`${at}: missing required property "${name}"`);
        }
        for (const [name, child] of Object.entries(value)) {
            const childSchema = properties[name];
            if (childSchema === undefined) {
                if (node.properties !== undefined) errors.push(`${at}: undeclared property "${name}"`);
                continue;
            }
            errors.push(...validate(doc, childSchema, child, `${at}.${name}`));
        }
    }
    if (Array.isArray(value) && node.items !== undefined) {
        value.forEach((item: unknown, index) => {
            errors.push(...validate(doc, node.items, item, `${at}[${index}]`));
        });
    }
    return errors;
}

/** Walks every schema of the document once, so an unsupported keyword anywhere is found without sample data. */
export function assertSupported(doc: SchemaDocument): void {
    const visit = (schema: unknown, at: string): void => {
        const node = asSchema(schema, at);
        if (isRecord(node.properties)) {
            for (const [name, child] of Object.entries(node.properties)) visit(child, `${at}.properties.${name}`);
        }
        if (node.items !== undefined) visit(node.items, `${at}.items`);
    };
    for (const [name, schema] of Object.entries(doc.components.schemas)) visit(schema, name);
}
