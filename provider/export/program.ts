/**
 * The TypeScript program `pulumi-voip export` writes: one resource per vendor object, each
 * adopting its object by id, secrets read from stack config. Pure: text in, text out.
 */

/** One resource of the program. */
export interface ProgramResource {
    /** The class as the program names it: `portsip.Trunk`. */
    className: string;
    /** The Pulumi resource name. */
    name: string;
    /** The vendor's id of the object the resource adopts. */
    id: string;
    /** One line saying which object it is: `PortSIP trunk 12 "carrier-a"`. */
    describe: string;
    /** Canonical inputs without secrets, in the order they are written. */
    inputs: Record<string, unknown>;
    /** Secret inputs: input key → the stack config key the program reads it from. */
    secretConfigKeys: Record<string, string>;
}

export interface ProgramOptions {
    /** The vendor namespace the program imports: `portsip`. */
    namespace: string;
    /** The command line that wrote it, for the header. */
    commandLine: string;
    /** Whether every resource gets `retainOnDelete: true`. */
    retainOnDelete: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const INDENT = "    ";
/** Arrays of plain values at most this long stay on one line, as Prettier would keep them. */
const INLINE_WIDTH = 80;

function propertyKey(key: string): string {
    return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** A value as a TypeScript literal, indented for `depth`. Plain JSON only: what the vendors return. */
export function literal(value: unknown, depth = 0): string {
    if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number") {
        if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value}`);
        return String(value);
    }
    const inner = INDENT.repeat(depth + 1);
    const closing = INDENT.repeat(depth);
    if (Array.isArray(value)) {
        if (value.length === 0) return "[]";
        const plain = value.every((item) => item === null || typeof item !== "object");
        const oneLine = `[${value.map((item) => literal(item)).join(", ")}]`;
        if (plain && oneLine.length <= INLINE_WIDTH) return oneLine;
        return `[\n${value.map((item) => `${inner}${literal(item, depth + 1)},\n`).join("")}${closing}]`;
    }
    if (typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
        if (entries.length === 0) return "{}";
        const lines = entries.map(([key, item]) => `${inner}${propertyKey(key)}: ${literal(item, depth + 1)},\n`);
        return `{\n${lines.join("")}${closing}}`;
    }
    throw new Error(`cannot write a value of type ${typeof value}`);
}

function resourceStatement(resource: ProgramResource, retainOnDelete: boolean): string {
    const body: string[] = [];
    const argIndent = INDENT.repeat(2);
    for (const [key, value] of Object.entries(resource.inputs)) {
        body.push(`${argIndent}${propertyKey(key)}: ${literal(value, 2)},`);
    }
    for (const [key, configKey] of Object.entries(resource.secretConfigKeys)) {
        body.push(`${argIndent}${propertyKey(key)}: config.requireSecret(${JSON.stringify(configKey)}),`);
    }
    body.push(`${argIndent}adopt: { id: ${JSON.stringify(resource.id)} },`);
    const options = retainOnDelete ? `\n${INDENT}{ retainOnDelete: true },` : "";
    return [
        `// ${resource.describe}`,
        `new ${resource.className}(`,
        `${INDENT}${JSON.stringify(resource.name)},`,
        `${INDENT}{`,
        ...body,
        `${INDENT}},${options}`,
        `);`,
    ].join("\n");
}

/** The whole program text. */
export function programText(resources: readonly ProgramResource[], options: ProgramOptions): string {
    const needsConfig = resources.some((resource) => Object.keys(resource.secretConfigKeys).length > 0);
    const header = [
        `// Written by \`${options.commandLine}\`: ${resources.length} object(s).`,
        "// Each resource adopts the object it was exported from (`adopt: { id }`), so the first `pulumi up`",
        "// creates nothing and changes nothing while the program still says what the vendor holds.",
        ...(options.retainOnDelete
            ? [
                  "// `retainOnDelete: true` keeps an object on the vendor when its resource or the stack is",
                  "// deleted; remove it from a resource once Pulumi should delete that object.",
              ]
            : []),
        ...(needsConfig
            ? ["// Secrets come from stack config: `pulumi config set --secret <key>` for each one read below."]
            : []),
    ];
    const imports = [
        ...(needsConfig ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
        `import { ${options.namespace} } from "pulumi-voip";`,
    ];
    const parts = [header.join("\n"), imports.join("\n")];
    if (needsConfig) parts.push("const config = new pulumi.Config();");
    parts.push(...resources.map((resource) => resourceStatement(resource, options.retainOnDelete)));
    return `${parts.join("\n\n")}\n`;
}

/**
 * A Pulumi resource name for an object, from how it is labelled: lower case letters, digits and
 * dashes; made unique within `taken` with a `-2`, `-3`... suffix.
 */
export function resourceName(label: string, fallback: string, taken: Set<string>): string {
    const base =
        label
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-+|-+$/g, "") || fallback;
    let name = base;
    for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
    taken.add(name);
    return name;
}

/**
 * The stack config key of one secret input: `carrierAPassword` for resource `carrier-a`, input
 * `password`; made unique within `taken` (`carrier-a-2` and `carrier-a2` would both read
 * `carrierA2Password`, and one trunk must never be given another's password).
 */
export function secretConfigKey(resource: string, input: string, taken: Set<string>): string {
    const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
    const words = resource.split("-").filter((word) => word !== "");
    const camel = words.map((word, index) => (index === 0 ? word : capitalized(word))).join("");
    const base = `${camel}${capitalized(input)}`;
    let key = base;
    for (let suffix = 2; taken.has(key); suffix++) key = `${base}${suffix}`;
    taken.add(key);
    return key;
}
