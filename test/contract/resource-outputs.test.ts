import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { openvox, portsip, telecomcenter, voicetel } from "../../provider";
import { terminationGateway } from "../../provider/vendors/telecomcenter/termination-gateway/provider";
import { trunk as portsipTrunk } from "../../provider/vendors/portsip/trunk/provider";
import { accountGateway } from "../../provider/vendors/voicetel/account-gateway/provider";
import { sipTrunk } from "../../provider/vendors/openvox/sip-trunk/provider";
import type { AnyResourceDefinition } from "../../provider/core/resource-definition";
import type { TerminationGatewayOutputs } from "../../provider/vendors/telecomcenter/termination-gateway/model";
import type { TrunkOutputs } from "../../provider/vendors/portsip/trunk/model";
import type { AccountGatewayOutputs } from "../../provider/vendors/voicetel/account-gateway/model";
import type { SipTrunkOutputs } from "../../provider/vendors/openvox/sip-trunk/model";

/**
 * Every resource class must expose an Output for every input property (given or not) and every
 * computed output: Pulumi creates Output properties only for keys present in the props passed to
 * the constructor, so a forgotten key is `undefined` on the resource object at run time.
 */

interface Case {
    definition: AnyResourceDefinition;
    construct: (name: string) => pulumi.CustomResource;
    computed: string[];
}

const cases: Case[] = [
    {
        definition: terminationGateway,
        construct: (name) => new telecomcenter.TerminationGateway(name, { customerId: "c", host: "h.example.com" }),
        computed: ["operator", "stateVersion"],
    },
    {
        definition: portsipTrunk,
        construct: (name) => new portsip.Trunk(name, { hostname: "sip.example.com" }),
        computed: ["apiVersion", "status", "shared", "stateVersion"],
    },
    {
        definition: accountGateway,
        construct: (name) => new voicetel.AccountGateway(name, { host: "45.33.10.7" }),
        computed: ["routeId", "address", "stateVersion"],
    },
    {
        definition: sipTrunk,
        construct: (name) => new openvox.SipTrunk(name, { trunkType: "peer", host: "sip.example.com" }),
        computed: ["trunkId", "tech", "stateVersion"],
    },
];

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) =>
                Promise.resolve({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
            call: () => Promise.resolve({}),
        },
        "contract",
        "test",
        true,
    );
});

describe.each(cases.map((c) => [c.definition.type, c] as const))("%s", (type, c) => {
    it("has the type token pulumi-nodejs:dynamic/<namespace>:<Type>", async () => {
        const resource = c.construct("token");
        const urn = await new Promise<string>((resolve) => resource.urn.apply(resolve));
        const [namespace, typeName] = type.split(":");
        expect(urn).toContain(`::pulumi-nodejs:dynamic/${namespace ?? ""}:${typeName ?? ""}::token`);
    });

    it("exposes an Output for every input and computed property", () => {
        const resource = c.construct("outputs") as unknown as Record<string, unknown>;
        const keys = [...Object.keys(c.definition.inputSchema().shape), ...c.computed];
        const missing = keys.filter((key) => !pulumi.Output.isInstance(resource[key]));
        expect(missing).toEqual([]);
    });
});

/**
 * The public declarations are the package's documentation: editors show the JSDoc of each class,
 * constructor, Args property and output, and the types say which values an output can hold. Read
 * with the TypeScript compiler from the resource sources, which the emitted `.d.ts` files mirror.
 */
/** The value types of a resource class's Output properties. */
type DeclaredOutputs<R> = {
    [
        K in keyof R as K extends "id" | "urn" ? never : R[K] extends pulumi.Output<infer _T> ? K : never
    ]: R[K] extends pulumi.Output<infer T> ? T : never;
};
/** `true` when every stored state (each member of a union) fits the declared output types. */
type StoredFits<Stored, R> = Stored extends Partial<DeclaredOutputs<R>> ? true : false;

describe("public declarations", () => {
    it("declares output types that the stored state of each resource fits (checked when this file compiles)", () => {
        const fits: [
            StoredFits<TerminationGatewayOutputs, telecomcenter.TerminationGateway>,
            // The v12 parameter lists are the PBX's JSON, deep-copied; the model does not look inside.
            StoredFits<Omit<TrunkOutputs, "inParameters" | "outParameters">, portsip.Trunk>,
            StoredFits<AccountGatewayOutputs, voicetel.AccountGateway>,
            StoredFits<SipTrunkOutputs, openvox.SipTrunk>,
        ] = [true, true, true, true];
        expect(fits).toEqual([true, true, true, true]);
    });

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

    function exportedClasses(): ts.ClassDeclaration[] {
        return sources.flatMap((source) =>
            source.statements.filter(
                (statement): statement is ts.ClassDeclaration =>
                    ts.isClassDeclaration(statement) &&
                    (ts.getCombinedModifierFlags(statement) & ts.ModifierFlags.Export) !== 0,
            ),
        );
    }

    function outputs(declaration: ts.ClassDeclaration): ts.PropertyDeclaration[] {
        return declaration.members.filter(ts.isPropertyDeclaration);
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

    /** The `T` of a `pulumi.Output<T>` property. */
    function outputValueType(property: ts.PropertyDeclaration): ts.Type {
        const type = checker.getTypeAtLocation(property);
        const valueType = checker.getTypeOfSymbolAtLocation(checker.getPropertyOfType(type, "get")!, property);
        return checker.getReturnTypeOfSignature(valueType.getCallSignatures()[0]!);
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

    it("reads the four resource classes", () => {
        expect(
            exportedClasses()
                .map((declaration) => declaration.name?.text)
                .sort(),
        ).toEqual(["AccountGateway", "SipTrunk", "TerminationGateway", "Trunk"]);
    });

    it("documents every class and its constructor's name, args and opts", () => {
        const problems = exportedClasses().flatMap((declaration) => {
            const className = declaration.name?.text ?? "?";
            const found: string[] = [];
            if (!documented(checker.getSymbolAtLocation(declaration.name!)!)) found.push(`${className}: no JSDoc`);
            const constructor = declaration.members.find(ts.isConstructorDeclaration);
            if (constructor === undefined) return [...found, `${className}: no constructor`];
            const comment = ts.getJSDocCommentsAndTags(constructor).find(ts.isJSDoc);
            if (comment?.comment === undefined) found.push(`${className} constructor: no description`);
            const params = ts
                .getJSDocTags(constructor)
                .filter(ts.isJSDocParameterTag)
                .filter((tag) => tag.comment !== undefined)
                .map((tag) => tag.name.getText());
            for (const parameter of ["name", "args", "opts"]) {
                if (!params.includes(parameter)) found.push(`${className} constructor: no @param ${parameter}`);
            }
            return found;
        });
        expect(problems).toEqual([]);
    });

    it("documents every output", () => {
        const undocumented = exportedClasses().flatMap((declaration) =>
            outputs(declaration)
                .filter((property) => !documented(checker.getSymbolAtLocation(property.name)!))
                .map((property) => `${declaration.name?.text ?? "?"}.${property.name.getText()}`),
        );
        expect(undocumented).toEqual([]);
    });

    it("types every output without any or unknown", () => {
        const loose = exportedClasses().flatMap((declaration) =>
            outputs(declaration).flatMap((property) =>
                looseParts(outputValueType(property), `${declaration.name?.text ?? "?"}.${property.name.getText()}`),
            ),
        );
        expect(loose).toEqual([]);
    });

    it("does not declare the stored state's version as an output", () => {
        const declared = exportedClasses().flatMap((declaration) =>
            outputs(declaration)
                .filter((property) => property.name.getText() === "stateVersion")
                .map(() => declaration.name?.text),
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
