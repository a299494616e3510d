import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import type { ZodType } from "zod";
import { DEFINITIONS } from "../provider/runtime";

/**
 * Generates README.md's reference of every resource from the code: the public `Args` and outputs
 * declarations (their types and JSDoc, read with the TypeScript compiler API) and the runtime
 * definitions (which inputs replace, which are secret, which the vendor defaults, and the
 * defaults the input schema fills in). `npm run docs` writes it between the markers;
 * test/contract/readme-reference.test.ts fails when README.md differs.
 */

// ---------------------------------------------------------------------------------------------
// Adapter: the only code that knows the shape of the runtime definitions and how the public
// classes and interfaces are named. Everything below works from `ResourceFacts` alone.
// ---------------------------------------------------------------------------------------------

/** What the reference needs to know about one resource, besides its declarations. */
export interface ResourceFacts {
    /** The Pulumi type token, e.g. `telecomcenter:TerminationGateway`. */
    typeToken: string;
    /** The class as users reach it from the package: `<namespace>.<Class>`. */
    className: string;
    /** The exported type of the constructor's `args`: `<namespace>.<Name>`. */
    argsName: string;
    /** The exported class or interface whose properties are the resource's outputs. */
    outputsName: string;
    replaceOnChanges: readonly string[];
    secretInputs: readonly string[];
    /** Inputs that, left out, are the vendor's to decide (not managed). */
    vendorDefaulted: readonly string[];
    /**
     * The value the input schema gives `input` when the program leaves it out, whatever else the
     * program sets; `undefined` when it gives none (required, optional, or a default that depends
     * on other inputs).
     */
    schemaDefault(input: string): { value: unknown } | undefined;
}

/** The declarations `provider/runtime.ts` registers, in its order. */
export function registeredResources(): ResourceFacts[] {
    return DEFINITIONS.map((definition) => {
        const [namespace, type] = definition.token.split(":");
        const fields = definition.inputSchema().shape as Record<string, ZodType | undefined>;
        return {
            typeToken: definition.token,
            className: `${namespace}.${type}`,
            argsName: `${namespace}.${type}Args`,
            outputsName: `${namespace}.${type}State`,
            replaceOnChanges: definition.replaceOnChanges,
            secretInputs: definition.secretInputs,
            vendorDefaulted: definition.vendorDefaulted ?? [],
            // Each field alone, as `check` fills in what a program leaves out while other values
            // are unknown: only an unconditional default survives this.
            schemaDefault(input) {
                const parsed = fields[input]?.safeParse(undefined);
                return parsed?.success === true && parsed.data !== undefined ? { value: parsed.data } : undefined;
            },
        };
    });
}

// ---------------------------------------------------------------------------------------------

export const REPO_ROOT = path.resolve(__dirname, "..");
export const README = path.join(REPO_ROOT, "README.md");
const PACKAGE_ENTRY = path.join(REPO_ROOT, "provider", "index.ts");

export const BEGIN_MARKER = "<!-- BEGIN GENERATED REFERENCE: npm run docs -->";
export const END_MARKER = "<!-- END GENERATED REFERENCE -->";

/** A literal union this long or shorter is spelled out where it is used; longer ones are listed once. */
const INLINE_LITERALS = 5;

interface Property {
    name: string;
    type: string;
    optional: boolean;
    doc: string;
}

/** Compiles the package once and answers questions about its public declarations. */
class Declarations {
    private readonly checker: ts.TypeChecker;
    private readonly entry: ts.Symbol;
    /** Named types met while rendering, in order, for the "Types" list of the current resource. */
    private referenced = new Map<string, ts.Symbol>();

    constructor() {
        const program = ts.createProgram([PACKAGE_ENTRY], {
            strict: true,
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true,
            skipLibCheck: true,
            noEmit: true,
        });
        this.checker = program.getTypeChecker();
        const source = program.getSourceFile(PACKAGE_ENTRY);
        const entry = source === undefined ? undefined : this.checker.getSymbolAtLocation(source);
        if (entry === undefined) throw new Error(`reference: cannot read ${PACKAGE_ENTRY}`);
        this.entry = entry;
    }

    /** The declaration behind an exported `<namespace>.<Name>` of the package. */
    exported(qualifiedName: string): ts.Symbol {
        let symbol = this.entry;
        for (const part of qualifiedName.split(".")) {
            const found = this.checker.getExportsOfModule(this.resolved(symbol)).find((s) => s.name === part);
            if (found === undefined) throw new Error(`reference: the package exports no ${qualifiedName}`);
            symbol = found;
        }
        return this.resolved(symbol);
    }

    private resolved(symbol: ts.Symbol): ts.Symbol {
        return symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    }

    startResource(): void {
        this.referenced = new Map();
    }

    /** Named types the properties rendered since {@link startResource} refer to. */
    referencedTypes(): [string, ts.Symbol][] {
        const seen = new Set<string>();
        const result: [string, ts.Symbol][] = [];
        // Listing a type can reference further types: keep going until none is new.
        for (let added = true; added;) {
            added = false;
            for (const [name, symbol] of [...this.referenced]) {
                if (seen.has(name)) continue;
                seen.add(name);
                result.push([name, symbol]);
                added = true;
                this.describeType(symbol); // registers what its members refer to
            }
        }
        return result;
    }

    /**
     * Properties of an interface, a class (its own `declare`d properties) or a union of
     * interfaces. For a union, each property says which members have it.
     */
    properties(
        symbol: ts.Symbol,
        keepUndefined = false,
    ): { variants: string[] | undefined; properties: (Property & { in?: string[] })[] } {
        const declaration = symbol.declarations?.[0];
        if (
            declaration !== undefined &&
            ts.isTypeAliasDeclaration(declaration) &&
            ts.isUnionTypeNode(declaration.type)
        ) {
            return this.unionProperties(declaration.type);
        }
        return { variants: undefined, properties: this.memberProperties(symbol, keepUndefined) };
    }

    private memberProperties(symbol: ts.Symbol, keepUndefined = false): Property[] {
        const type = this.checker.getDeclaredTypeOfSymbol(symbol);
        return this.checker.getPropertiesOfType(type).flatMap((property) => {
            const declaration = property.valueDeclaration;
            if (declaration === undefined || declaration.getSourceFile().isDeclarationFile) return [];
            if (!ts.isPropertySignature(declaration) && !ts.isPropertyDeclaration(declaration)) return [];
            if (declaration.type === undefined) return [];
            return [
                {
                    name: property.name,
                    type: this.render(declaration.type, keepUndefined),
                    optional: declaration.questionToken !== undefined,
                    doc: this.doc(property),
                },
            ];
        });
    }

    private unionProperties(union: ts.UnionTypeNode): {
        variants: string[];
        properties: (Property & { in: string[] })[];
    } {
        const members = union.types.map((member) => {
            const symbol = ts.isTypeReferenceNode(member)
                ? this.checker.getSymbolAtLocation(member.typeName)
                : undefined;
            if (symbol === undefined) throw new Error(`reference: cannot read union member ${member.getText()}`);
            return this.memberProperties(this.resolved(symbol));
        });
        // The discriminant: the property every member has, as a different literal in each.
        const discriminant = members[0]?.find((property) =>
            members.every((member) =>
                member.some((other) => other.name === property.name && /^"[^"]*"$/.test(other.type)),
            ),
        );
        if (discriminant === undefined) throw new Error("reference: a union of args needs a literal discriminant");
        const variants = members.map(
            (member) => member.find((property) => property.name === discriminant.name)?.type ?? "",
        );
        const labels = variants.map((variant) => code(variant.replace(/^"|"$/g, "")));
        type Merged = Property & { in: string[]; docs: Map<string, string[]>; required: string[] };
        const merged = new Map<string, Merged>();
        members.forEach((member, index) => {
            const variant = labels[index] ?? "";
            for (const property of member) {
                const entry: Merged = merged.get(property.name) ?? {
                    ...property,
                    in: [],
                    docs: new Map<string, string[]>(),
                    required: [],
                };
                entry.in.push(variant);
                if (!property.optional) entry.required.push(variant);
                if (!entry.type.split(" | ").includes(property.type)) entry.type = `${entry.type} | ${property.type}`;
                entry.docs.set(property.doc, [...(entry.docs.get(property.doc) ?? []), variant]);
                merged.set(property.name, entry);
            }
        });
        const memberDocs = union.types.map((member, index) => `${labels[index] ?? ""}: ${this.nodeDoc(member)}`);
        const properties = [...merged.values()].map((entry) => {
            const everywhere = entry.in.length === variants.length;
            const { in: presentIn, required } = entry;
            let doc = entry.doc;
            if (entry.name === discriminant.name) {
                // Each member's JSDoc says what its kind is.
                doc = memberDocs.join(" ");
            } else if (entry.docs.size > 1) {
                // Told per member, with the one default they document said once, at the end.
                const parts = [...entry.docs].map(([text, where]) => ({ where, ...documentedDefault(text) }));
                const documented = parts.find((part) => part.value !== undefined)?.value;
                const told = parts.map((part) => `${part.where.join(", ")}: ${part.rest}`).join(" ");
                doc = documented === undefined ? told : `${told} Default: ${documented}.`;
            }
            const requiredFor =
                required.length > 0 && required.length < presentIn.length
                    ? `Required for ${required.join(", ")}. `
                    : "";
            return {
                name: entry.name,
                type: entry.type,
                optional: required.length < presentIn.length,
                doc: `${requiredFor}${doc}`,
                in: everywhere ? [] : presentIn,
            };
        });
        // Properties of every kind first, then those of some kinds, each in declaration order.
        const everywhereFirst = [
            ...properties.filter((property) => property.in.length === 0),
            ...properties.filter((property) => property.in.length > 0),
        ];
        return { variants: variants.map((variant) => `${discriminant.name}: ${variant}`), properties: everywhereFirst };
    }

    /** The JSDoc of the declaration a type reference names. */
    private nodeDoc(node: ts.TypeNode): string {
        const symbol = ts.isTypeReferenceNode(node) ? this.checker.getSymbolAtLocation(node.typeName) : undefined;
        return symbol === undefined ? "" : this.doc(this.resolved(symbol));
    }

    /** One type alias or interface for the "Types" list: its definition and its JSDoc. */
    describeType(symbol: ts.Symbol): { definition: string | undefined; properties: Property[]; doc: string } {
        const declaration = symbol.declarations?.[0];
        const doc = this.doc(symbol);
        if (declaration !== undefined && ts.isTypeAliasDeclaration(declaration)) {
            const literals = this.literalValues(symbol);
            if (literals !== undefined) return { definition: literals.join(" | "), properties: [], doc };
            const params = declaration.typeParameters?.map((parameter) => parameter.getText()) ?? [];
            const generic = params.length > 0 ? `<${params.join(", ")}>` : "";
            return { definition: `${symbol.name}${generic} = ${this.render(declaration.type)}`, properties: [], doc };
        }
        return { definition: undefined, properties: this.memberProperties(symbol), doc };
    }

    /** The values of an alias for a union of string literals (`"UDP" | "TCP"`); otherwise undefined. */
    private literalValues(symbol: ts.Symbol): string[] | undefined {
        const type = this.checker.getDeclaredTypeOfSymbol(symbol);
        if (!type.isUnion() || !type.types.every((member) => member.isStringLiteral())) return undefined;
        const values = type.types.flatMap((member) => (member.isStringLiteral() ? [member.value] : []));
        return this.declaredOrder(symbol, values).map((value) => JSON.stringify(value));
    }

    /**
     * `values` in the order the source lists them (the checker orders a union by creation), for
     * an alias of literals or of `(typeof LIST)[number]` over an `as const` array.
     */
    private declaredOrder(symbol: ts.Symbol, values: string[]): string[] {
        const declaration = symbol.declarations?.[0];
        if (declaration === undefined || !ts.isTypeAliasDeclaration(declaration)) return values;
        let listed: readonly ts.Node[] = [];
        const type = declaration.type;
        if (ts.isUnionTypeNode(type)) listed = type.types;
        if (ts.isIndexedAccessTypeNode(type)) {
            const query = ts.isParenthesizedTypeNode(type.objectType) ? type.objectType.type : type.objectType;
            const list = ts.isTypeQueryNode(query) ? this.checker.getSymbolAtLocation(query.exprName) : undefined;
            const initializer = list?.valueDeclaration;
            if (initializer !== undefined && ts.isVariableDeclaration(initializer) && initializer.initializer) {
                const expression = ts.isAsExpression(initializer.initializer)
                    ? initializer.initializer.expression
                    : initializer.initializer;
                if (ts.isArrayLiteralExpression(expression)) listed = expression.elements;
            }
        }
        const order = listed.flatMap((node) => {
            const literal = ts.isLiteralTypeNode(node) ? node.literal : node;
            return ts.isStringLiteral(literal) ? [literal.text] : [];
        });
        const sameSet = order.length === values.length && values.every((value) => order.includes(value));
        return sameSet ? order : values;
    }

    /**
     * A type as users write it: `pulumi.Input` and `pulumi.Output` unwrapped, `| undefined`
     * dropped (optionality is stated apart), short literal unions spelled out.
     */
    render(node: ts.TypeNode, keepUndefined = false): string {
        if (ts.isTypeReferenceNode(node)) {
            const name = node.typeName.getText();
            const args = node.typeArguments ?? [];
            if (/^(pulumi\.)?(Input|Output)$/.test(name) && args[0] !== undefined) {
                return this.render(args[0], keepUndefined);
            }
            const target = this.checker.getSymbolAtLocation(node.typeName);
            const symbol = target === undefined ? undefined : this.resolved(target);
            const own = symbol?.declarations?.some((d) => !d.getSourceFile().isDeclarationFile) === true;
            if (symbol !== undefined && own) {
                const literals = this.literalValues(symbol);
                if (literals !== undefined && literals.length <= INLINE_LITERALS) return literals.join(" | ");
                if (!symbol.declarations?.some((d) => ts.isTypeParameterDeclaration(d))) {
                    this.referenced.set(symbol.name, symbol);
                }
            }
            const rendered = args.map((arg) => this.render(arg));
            return rendered.length === 0 ? name : `${name}<${rendered.join(", ")}>`;
        }
        if (ts.isUnionTypeNode(node)) {
            const kept = node.types.filter((member) => keepUndefined || member.kind !== ts.SyntaxKind.UndefinedKeyword);
            return kept.map((member) => this.render(member)).join(" | ");
        }
        if (ts.isArrayTypeNode(node)) {
            const element = this.render(node.elementType);
            return element.includes(" ") ? `(${element})[]` : `${element}[]`;
        }
        if (ts.isParenthesizedTypeNode(node)) return `(${this.render(node.type)})`;
        return node.getText().replace(/\s+/g, " ");
    }

    /** The JSDoc text on one line, `{@link X}` as code. */
    private doc(symbol: ts.Symbol): string {
        const parts = symbol.getDocumentationComment(this.checker);
        const text = parts.map((part) => part.text).join("");
        return text
            .replace(/\{@link\s+([^}\s|]+)\s*\}/g, "`$1`")
            .replace(/\s+/g, " ")
            .trim();
    }
}

function code(text: string): string {
    return `\`${text}\``;
}

/** Markdown that prints as written: no raw `<`, no `|` read as table syntax. */
function prose(text: string): string {
    return text.replace(/(`[^`]*`)|</g, (match: string, span: string | undefined) => span ?? "&lt;");
}

/** The "Default:" sentence of a JSDoc text, and the text without it. */
export function documentedDefault(doc: string): { value: string | undefined; rest: string } {
    const sentence = /(?:^|\s)Default:?\s+((?:[^.`]|`[^`]*`|\.(?=\S))+)\.(?=\s|$)/.exec(doc);
    if (sentence?.[1] !== undefined) {
        return {
            value: sentence[1].trim(),
            rest: `${doc.slice(0, sentence.index)}${doc.slice(sentence.index + sentence[0].length)}`.trim(),
        };
    }
    const marked = /(`[^`]+`) \(default\)/.exec(doc);
    return { value: marked?.[1], rest: doc };
}

/**
 * What the reference says an input defaults to. The schema's own default is the fact; a JSDoc
 * "Default:" that does not mention it is an error, so the two cannot drift apart.
 */
export function defaultText(
    input: string,
    doc: string,
    schema: { value: unknown } | undefined,
    vendorDefaulted: boolean,
): { text: string | undefined; doc: string } {
    const documented = documentedDefault(doc);
    if (schema !== undefined) {
        const value = JSON.stringify(schema.value);
        const plain = typeof schema.value === "string" ? schema.value : value;
        if (documented.value !== undefined && !documented.value.includes(plain)) {
            throw new Error(
                `reference: ${input}: the JSDoc says "Default: ${documented.value}" but the input schema fills in ${value}`,
            );
        }
        return { text: code(value), doc: documented.rest };
    }
    if (vendorDefaulted) return { text: "the vendor's, not managed when left out", doc: documented.rest };
    if (documented.value === undefined) return { text: undefined, doc };
    const literal = /^(-?\d+(\.\d+)?|true|false|\[\])$/.test(documented.value);
    return { text: literal ? code(documented.value) : documented.value, doc: documented.rest };
}

function heading(level: number, text: string): string {
    return `${"#".repeat(level)} ${text}`;
}

function renderResource(declarations: Declarations, facts: ResourceFacts): string[] {
    declarations.startResource();
    const lines: string[] = [];
    const classSymbol = declarations.exported(facts.className);
    const args = declarations.properties(declarations.exported(facts.argsName));
    const inputNames = new Set(args.properties.map((property) => property.name));
    for (const [list, names] of Object.entries({
        replaceOnChanges: facts.replaceOnChanges,
        secretInputs: facts.secretInputs,
        vendorDefaulted: facts.vendorDefaulted,
    })) {
        const unknown = names.filter((name) => !inputNames.has(name));
        if (unknown.length > 0)
            throw new Error(`reference: ${facts.typeToken} ${list} names no input ${unknown.join(", ")}`);
    }

    lines.push(heading(3, code(facts.className)), "");
    const summary = declarations.describeType(classSymbol).doc;
    lines.push(`Type token \`${facts.typeToken}\`. ${prose(summary)}`, "");

    lines.push(heading(4, `Inputs (${code(facts.argsName)})`), "");
    if (args.variants !== undefined) {
        lines.push(`One of ${args.variants.map(code).join(", ")}; each takes only its own properties.`, "");
    }
    for (const property of args.properties) {
        const facts_: string[] = [code(property.type)];
        const { text, doc } = defaultText(
            `${facts.className}.${property.name}`,
            property.doc,
            facts.schemaDefault(property.name),
            facts.vendorDefaulted.includes(property.name),
        );
        if (!property.optional) facts_.push("required");
        else facts_.push(text === undefined ? "optional" : `default ${text}`);
        if (property.in !== undefined && property.in.length > 0) {
            facts_.push(`${property.in.join(", ")} only`);
        }
        if (facts.replaceOnChanges.includes(property.name)) facts_.push("**replaces on change**");
        if (facts.secretInputs.includes(property.name)) facts_.push("**secret**");
        lines.push(`- ${code(property.name)} (${facts_.join(", ")}): ${prose(doc)}`);
    }
    lines.push("");

    const outputs = declarations.properties(declarations.exported(facts.outputsName), true);
    lines.push(heading(4, "Outputs"), "");
    lines.push("Besides `id` and `urn`:", "");
    for (const property of outputs.properties) {
        const facts_: string[] = [code(property.type)];
        if (property.optional) facts_.push("optional");
        if (!inputNames.has(property.name)) facts_.push("computed");
        if (facts.secretInputs.includes(property.name)) facts_.push("**secret**");
        lines.push(`- ${code(property.name)} (${facts_.join(", ")}): ${prose(property.doc)}`);
    }
    lines.push("");

    const types = declarations.referencedTypes();
    if (types.length > 0) {
        lines.push(heading(4, "Types"), "");
        for (const [name, symbol] of types) {
            const described = declarations.describeType(symbol);
            if (described.definition !== undefined) {
                const doc = described.doc === "" ? "" : ` ${prose(described.doc)}`;
                lines.push(`- ${code(name)}: ${code(described.definition)}.${doc}`);
                continue;
            }
            lines.push(`- ${code(name)}: ${prose(described.doc)}`);
            for (const property of described.properties) {
                const { text, doc } = defaultText(`${name}.${property.name}`, property.doc, undefined, false);
                const facts_ = [
                    code(property.type),
                    property.optional ? (text === undefined ? "optional" : `default ${text}`) : "required",
                ];
                lines.push(`    - ${code(property.name)} (${facts_.join(", ")}): ${prose(doc)}`);
            }
        }
        lines.push("");
    }
    return lines;
}

/** The reference section, markers excluded. */
export function generateReference(resources: readonly ResourceFacts[] = registeredResources()): string {
    const declarations = new Declarations();
    const lines: string[] = [
        "<!-- Generated from the code by scripts/reference.ts; edit the JSDoc, then run npm run docs. -->",
        "",
    ];
    for (const facts of resources) lines.push(...renderResource(declarations, facts));
    return `${lines.join("\n").trimEnd()}\n`;
}

/** `markdown` with `reference` between the markers, which must each be there once. */
export function withReference(markdown: string, reference: string): string {
    const begin = markdown.indexOf(BEGIN_MARKER);
    const end = markdown.indexOf(END_MARKER);
    if (begin < 0 || end < begin || markdown.indexOf(BEGIN_MARKER, begin + 1) >= 0) {
        throw new Error(`README.md needs the markers ${BEGIN_MARKER} and ${END_MARKER}, once each, in that order`);
    }
    return `${markdown.slice(0, begin + BEGIN_MARKER.length)}\n\n${reference}\n${markdown.slice(end)}`;
}

if (require.main === module) {
    const readme = fs.readFileSync(README, "utf8");
    const updated = withReference(readme, generateReference());
    if (process.argv.includes("--check")) {
        if (updated !== readme) {
            console.error("README.md's reference is out of date: run npm run docs");
            process.exit(1);
        }
    } else if (updated !== readme) {
        fs.writeFileSync(README, updated);
        console.log("README.md: reference updated");
    } else {
        console.log("README.md: reference up to date");
    }
}
