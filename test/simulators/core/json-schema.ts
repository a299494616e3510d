/**
 * One checker of values against the JSON-Schema subset (OpenAPI 3.1) the vendors' own documents in
 * `test/contract/openapi/` use: `$ref` to `#/components/schemas/…`, `type` (a name or a list of
 * names), `enum`, `required`, `properties`, `items`, `allOf`, `oneOf`, string and number bounds and
 * the `format`s those documents name. Any other keyword is reported as a violation rather than
 * ignored, so a document that grows a keyword this walker does not understand fails loudly instead
 * of validating everything.
 */

export type Schema = Record<string, unknown>;

/** Where `$ref`s point: an OpenAPI document's reusable schemas. */
export interface SchemaDocument {
    components?: { schemas?: Record<string, unknown> };
}

export interface WalkOptions {
    /** The document `$ref`s resolve in; a `$ref` without one is a broken document. */
    document?: SchemaDocument;
    /**
     * Treat every object that declares `properties` as closed. The documents' objects are open, but
     * an undeclared key in an answer is almost always a misspelt field, and a faithful simulator
     * must not invent fields.
     */
    closed?: boolean;
    /**
     * Accept `null` for a declared, non-required property. PortSIP's document says "Blank fields are
     * explicitly included as null values" in its description, which its schemas never spell out.
     */
    nullForBlank?: boolean;
}

const ANNOTATIONS = new Set(["readOnly", "default", "example", "description"]);
const SUPPORTED_KEYWORDS = new Set([
    "$ref",
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
    ...ANNOTATIONS,
]);
const REF_PREFIX = "#/components/schemas/";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every violation of `schema` by `value`, as `where: what` lines; empty when it conforms. */
export function validateSchema(schema: unknown, value: unknown, options: WalkOptions = {}, where = "$"): string[] {
    const errors: string[] = [];
    walk(asSchema(schema, where), value, options, where, errors);
    return errors;
}

/** Every schema of `document`'s components, each walked once without data: the keywords no walk would understand. */
export function unsupportedKeywords(document: SchemaDocument): string[] {
    const problems: string[] = [];
    const visit = (schema: unknown, where: string): void => {
        const node = asSchema(schema, where);
        for (const keyword of Object.keys(node)) {
            if (!SUPPORTED_KEYWORDS.has(keyword)) problems.push(`${where}: unsupported keyword '${keyword}'`);
        }
        if (isPlainObject(node.properties)) {
            for (const [name, child] of Object.entries(node.properties)) visit(child, `${where}.properties.${name}`);
        }
        if (node.items !== undefined) visit(node.items, `${where}.items`);
        for (const keyword of ["allOf", "oneOf"]) {
            const branches: unknown = node[keyword];
            if (!Array.isArray(branches)) continue;
            branches.forEach((branch: unknown, index) => {
                visit(branch, `${where}.${keyword}[${String(index)}]`);
            });
        }
    };
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) visit(schema, name);
    return problems;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asSchema(schema: unknown, where: string): Schema {
    if (!isPlainObject(schema)) throw new Error(`schema at ${where} is not an object`);
    return schema;
}

function resolve(ref: unknown, options: WalkOptions, where: string): Schema {
    if (typeof ref !== "string" || !ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${String(ref)}`);
    const target = options.document?.components?.schemas?.[ref.slice(REF_PREFIX.length)];
    if (target === undefined) throw new Error(`dangling $ref ${ref} at ${where}`);
    return asSchema(target, ref);
}

function walk(schema: Schema, value: unknown, options: WalkOptions, where: string, errors: string[]): void {
    for (const keyword of Object.keys(schema)) {
        if (!SUPPORTED_KEYWORDS.has(keyword)) errors.push(`${where}: unsupported keyword '${keyword}'`);
    }
    if (schema.$ref !== undefined) {
        if (Object.keys(schema).some((keyword) => keyword !== "$ref" && !ANNOTATIONS.has(keyword))) {
            throw new Error(`$ref with sibling keywords at ${where}`);
        }
        walk(resolve(schema.$ref, options, where), value, options, where, errors);
        return;
    }
    const allOf = schema.allOf as Schema[] | undefined;
    for (const sub of allOf ?? []) walk(sub, value, options, where, errors);
    const oneOf = schema.oneOf as Schema[] | undefined;
    if (oneOf !== undefined) {
        // PortSIP's oneOf branches are objects without `required`, so under plain JSON Schema every
        // object matches all of them and "exactly one" could never hold. Branches are judged closed
        // instead, which is what tells its two sign-in answers apart.
        const matching = oneOf.filter(
            (sub) => validateSchema(sub, value, { ...options, closed: true }, where).length === 0,
        );
        if (matching.length !== 1) errors.push(`${where}: matches ${String(matching.length)} oneOf branches, not 1`);
    }

    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? (schema.type as unknown[]) : [schema.type];
        if (!types.some((type) => hasType(value, type))) {
            errors.push(`${where}: expected ${types.join("|")}, got ${describeValue(value)}`);
            return;
        }
    }
    const enumValues = schema.enum as unknown[] | undefined;
    if (enumValues !== undefined && !enumValues.includes(value)) {
        errors.push(`${where}: ${JSON.stringify(value)} is not one of ${enumValues.join(", ")}`);
    }
    if (typeof value === "string") checkString(schema, value, where, errors);
    if (typeof value === "number") checkNumber(schema, value, where, errors);
    if (Array.isArray(value) && schema.items !== undefined) {
        value.forEach((item, index) => {
            walk(asSchema(schema.items, where), item, options, `${where}[${String(index)}]`, errors);
        });
    }
    if (isPlainObject(value)) checkObject(schema, value, options, where, errors);
}

function hasType(value: unknown, type: unknown): boolean {
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
            throw new Error(`unsupported type '${String(type)}'`);
    }
}

function checkString(schema: Schema, value: string, where: string, errors: string[]): void {
    // JSON Schema counts code points, not UTF-16 units.
    const length = Array.from(value).length;
    const { minLength, maxLength, format } = schema as { minLength?: number; maxLength?: number; format?: string };
    if (minLength !== undefined && length < minLength) errors.push(`${where}: shorter than ${String(minLength)}`);
    if (maxLength !== undefined && length > maxLength) errors.push(`${where}: longer than ${String(maxLength)}`);
    // PortSIP spells the format `date_time`, not JSON Schema's `date-time`.
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
