import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import * as voip from "../../provider";
import { PULUMI_NAME_KEY, splitToken, STATE_VERSION_KEY, type ResourceClass } from "../../provider/core/resource-class";
import type { AnyResourceDefinition } from "../../provider/core/resource-definition";
import { DEFINITIONS } from "../../provider/runtime";

/**
 * Every registered resource type, from its declaration: its public class (exported as
 * `<vendor namespace>.<Type>` of its token) must expose an Output for every input property (given
 * or not) and every computed output, since Pulumi creates Output properties only for keys present
 * in the props passed to the constructor (a forgotten key is `undefined` on the resource object at
 * run time); send secret inputs as secrets; and fill the inputs it defaults.
 */

const registered: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered[args.name] = args.inputs as Record<string, unknown>;
                return Promise.resolve({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> });
            },
            call: () => Promise.resolve({}),
        },
        "contract",
        "test",
        true,
    );
});

type AnyArgs = Record<string, unknown>;

function publicClass(definition: AnyResourceDefinition): ResourceClass<AnyArgs, object> {
    const { namespace, typeName } = splitToken(definition.token);
    const exported = (voip as unknown as Record<string, Record<string, unknown> | undefined>)[namespace]?.[typeName];
    if (typeof exported !== "function") throw new Error(`pulumi-voip exports no ${namespace}.${typeName}`);
    return exported as ResourceClass<AnyArgs, object>;
}

function urnOf(resource: pulumi.CustomResource): Promise<string> {
    return new Promise<string>((resolve) => resource.urn.apply(resolve));
}

const SECRET_GIVEN = "plain-string-secret";

describe.each(DEFINITIONS.map((definition) => [definition.token, definition] as const))("%s", (token, definition) => {
    const Class = publicClass(definition);

    it("has the type token pulumi-nodejs:dynamic/<namespace>:<Type>", async () => {
        const resource = new Class("token", {});
        const { namespace, typeName } = splitToken(token);
        expect(await urnOf(resource)).toContain(`::pulumi-nodejs:dynamic/${namespace}:${typeName}::token`);
        expect(resource).toBeInstanceOf(Class);
        expect(resource).toBeInstanceOf(pulumi.CustomResource);
    });

    it("records one stack trace as it registers (its source position), not one per promise", () => {
        // The SDK also records a trace on each of the four promises it makes per key, kept only for
        // its promise-leak report; with source maps (ts-node, as `pulumi up` runs TypeScript) those
        // were most of a program's time. The one that gives the engine the declaration's position stays.
        const limit = Error.stackTraceLimit;
        const original = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
        const traces: string[] = [];
        Error.prepareStackTrace = (_error, callSites) => {
            if (callSites.length > 0) traces.push(callSites[0]?.getFunctionName() ?? "");
            return "";
        };
        try {
            new Class("traces", {});
        } finally {
            if (original === undefined) Reflect.deleteProperty(Error, "prepareStackTrace");
            else Object.defineProperty(Error, "prepareStackTrace", original);
        }
        expect(traces).toEqual(["callsites"]);
        expect(Error.stackTraceLimit).toBe(limit);
    });

    it("exposes an Output for every input and computed property", () => {
        const resource = new Class("outputs", {}) as unknown as Record<string, unknown>;
        const keys = [...Object.keys(definition.inputSchema().shape), ...definition.computedOutputs, STATE_VERSION_KEY];
        expect(keys.filter((key) => !pulumi.Output.isInstance(resource[key]))).toEqual([]);
    });

    it("sends plain-string secret inputs as secrets, and fills in the inputs it defaults", async () => {
        const given = Object.fromEntries(definition.secretInputs.map((key) => [key, SECRET_GIVEN]));
        const resource = new Class("defaults", given) as unknown as Record<string, pulumi.Output<unknown>>;
        await urnOf(resource as unknown as pulumi.CustomResource);
        for (const key of definition.secretInputs) {
            await expect(pulumi.isSecret(resource[key]!)).resolves.toBe(true);
        }
        const defaulted = {
            [PULUMI_NAME_KEY]: "defaults",
            ...definition.programDefaults,
            ...(definition.nameInput === undefined ? {} : { [definition.nameInput]: "defaults" }),
        };
        const { __provider: _provider, ...inputs } = registered["defaults"] ?? {};
        // Left-out inputs are absent (the engine drops keys given as undefined); secrets are wrapped.
        const secrets = Object.fromEntries(definition.secretInputs.map((key) => [key, expect.anything()]));
        expect(inputs).toEqual({ ...defaulted, ...secrets });
    });
});

/**
 * The public declarations are the package's documentation: editors show the JSDoc of each class,
 * constructor, Args property and output, and the types say which values an output can hold. Read
 * with the TypeScript compiler from the resource sources, which the emitted `.d.ts` files mirror.
 * (That each class's Args and State match its declaration is checked where they are written, by
 * the compiler: see `provider/core/declared-types.ts`.)
 */
describe("public declarations", () => {
    const root = path.resolve(__dirname, "../..");
    const resourceFiles = ts.sys
        .readDirectory(path.join(root, "provider/vendors"), [".ts"])
        .filter((file) => file.endsWith("/resource.ts"));
    const parsed = ts.getParsedCommandLineOfConfigFile(
        path.join(root, "tsconfig.build.json"),
        {},
        {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
                throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
            },
        },
    );
    const program = ts.createProgram(resourceFiles, parsed?.options ?? {});
    const checker = program.getTypeChecker();
    const sources = resourceFiles.map((file) => program.getSourceFile(file)!);

    function documented(symbol: ts.Symbol): boolean {
        return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== "";
    }

    /** A resource class as published: `export const X: ResourceClass<XArgs, XState>`. */
    interface PublicClass {
        name: string;
        declaration: ts.VariableDeclaration;
        state: ts.Type;
    }

    function publicClasses(): PublicClass[] {
        return sources.flatMap((source) =>
            source.statements
                .filter(ts.isVariableStatement)
                .filter((statement) =>
                    statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword),
                )
                .flatMap((statement) => statement.declarationList.declarations)
                .flatMap((declaration) => {
                    const type = declaration.type;
                    if (type === undefined || !ts.isTypeReferenceNode(type)) return [];
                    if (type.typeName.getText() !== "ResourceClass" || type.typeArguments?.length !== 2) return [];
                    const state = checker.getTypeFromTypeNode(type.typeArguments[1]!);
                    return [{ name: declaration.name.getText(), declaration, state }];
                }),
        );
    }

    /** The outputs of a class: its State properties, each an Output of the resource object. */
    function outputs(resourceClass: PublicClass): ts.Symbol[] {
        return checker.getPropertiesOfType(resourceClass.state);
    }

    /** Where, inside a type, `any` or `unknown` hides (an alias such as `Record<string, unknown>` included). */
    function looseParts(type: ts.Type, at: string, seen = new Set<ts.Type>()): string[] {
        if (seen.has(type)) return [];
        seen.add(type);
        if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [`${at}: ${checker.typeToString(type)}`];
        if (type.isUnionOrIntersection()) return type.types.flatMap((member) => looseParts(member, at, seen));
        if (!(type.flags & ts.TypeFlags.Object)) return [];
        const typeArguments = checker.getTypeArguments(type as ts.TypeReference);
        const indexed = checker.getIndexInfosOfType(type).flatMap((info) => looseParts(info.type, `${at}[]`, seen));
        const members = checker.getPropertiesOfType(type).flatMap((property) => {
            const declaration = property.valueDeclaration ?? property.declarations?.[0];
            if (declaration === undefined) return [];
            return looseParts(checker.getTypeOfSymbolAtLocation(property, declaration), `${at}.${property.name}`, seen);
        });
        return [...typeArguments.flatMap((argument) => looseParts(argument, `${at}<>`, seen)), ...indexed, ...members];
    }

    /** The value type of an output (a State property). */
    function outputValueType(resourceClass: PublicClass, property: ts.Symbol): ts.Type {
        return checker.getTypeOfSymbolAtLocation(property, resourceClass.declaration);
    }

    function argsTypes(): { name: string; type: ts.Type }[] {
        return sources.flatMap((source) =>
            source.statements
                .filter(
                    (statement): statement is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
                        (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) &&
                        statement.name.text.endsWith("Args"),
                )
                .map((statement) => ({
                    name: statement.name.text,
                    type: checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(statement.name)!),
                })),
        );
    }

    it("reads the class of every registered resource type", () => {
        expect(
            publicClasses()
                .map((resourceClass) => resourceClass.name)
                .sort(),
        ).toEqual(DEFINITIONS.map((definition) => splitToken(definition.token).typeName).sort());
    });

    it("documents every class and its constructor's name, args and opts", () => {
        const problems = publicClasses().flatMap((resourceClass) => {
            const className = resourceClass.name;
            const found: string[] = [];
            if (!documented(checker.getSymbolAtLocation(resourceClass.declaration.name)!))
                found.push(`${className}: no JSDoc`);
            const [constructor] = checker.getTypeAtLocation(resourceClass.declaration).getConstructSignatures();
            if (constructor === undefined) return [...found, `${className}: no constructor`];
            if (ts.displayPartsToString(constructor.getDocumentationComment(checker)).trim() === "")
                found.push(`${className} constructor: no description`);
            const params = constructor
                .getJsDocTags()
                .filter((tag) => tag.name === "param" && tag.text !== undefined)
                .map((tag) => tag.text?.find((part) => part.kind === "parameterName")?.text);
            for (const parameter of ["name", "args", "opts"]) {
                if (!params.includes(parameter)) found.push(`${className} constructor: no @param ${parameter}`);
            }
            return found;
        });
        expect(problems).toEqual([]);
    });

    it("documents every output", () => {
        const undocumented = publicClasses().flatMap((resourceClass) =>
            outputs(resourceClass)
                .filter((property) => !documented(property))
                .map((property) => `${resourceClass.name}.${property.name}`),
        );
        expect(undocumented).toEqual([]);
    });

    it("types every output without any or unknown", () => {
        const loose = publicClasses().flatMap((resourceClass) =>
            outputs(resourceClass).flatMap((property) =>
                looseParts(outputValueType(resourceClass, property), `${resourceClass.name}.${property.name}`),
            ),
        );
        expect(loose).toEqual([]);
    });

    it("does not declare the stored state's version as an output", () => {
        const declared = publicClasses().flatMap((resourceClass) =>
            outputs(resourceClass)
                .filter((property) => property.name === STATE_VERSION_KEY)
                .map(() => resourceClass.name),
        );
        expect(declared).toEqual([]);
    });

    it("documents every property of every Args type", () => {
        const args = argsTypes();
        expect(args.length).toBeGreaterThanOrEqual(10);
        const undocumented = args.flatMap(({ name, type }) => {
            const members = type.isUnion() ? type.types : [type];
            return members.flatMap((member) =>
                checker
                    .getPropertiesOfType(member)
                    .filter((property) => !documented(property))
                    .map((property) => `${name}.${property.name}`),
            );
        });
        expect([...new Set(undocumented)]).toEqual([]);
    });
});
