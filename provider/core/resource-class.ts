import * as pulumi from "@pulumi/pulumi";
import { runtimeProvider } from "./delegate";
import { secretInput, withSecretOutputs } from "./resource-options";

/*
 * The public resource classes, built from each resource's declaration. Kept free of zod (even in
 * types): the published declarations of the classes import this file, and a user's project
 * compiles them without the settings zod's typings need.
 */

/** `<vendor namespace>:<Type>`, e.g. `telecomcenter:TerminationGateway`. */
export type ResourceToken = `${string}:${string}`;

/** The key of the stored state's shape version: seeded like every stored key, never a public output. */
export const STATE_VERSION_KEY = "stateVersion";

/**
 * A hidden input of every resource: its Pulumi resource name. The runner keeps it in the state
 * beside what the hooks return (they never see it), so a refresh, which is handed no URN, can name
 * the resource in what it reports. Not compared by `diff`, not a public output. The one exception
 * to "hooks never see it": an input schema whose shape declares this key receives the name in
 * `check` (for a check that must name the resource, such as one comparing it with the others of
 * the stack); the runner keeps it out of the canonical inputs the schema returns.
 */
export const PULUMI_NAME_KEY = "__pulumiName";

/**
 * An input of every resource, for `create` only: take over an existing vendor object instead of
 * creating one (see core/adopt.ts). Never stored, never compared by `diff`.
 */
export const ADOPT_KEY = "adopt";

/**
 * What `adopt` accepts: `true` adopts the one existing object with the resource's natural key,
 * `{ id }` the object with that id (the id the resource records), `false` creates as usual.
 */
export type AdoptInput = boolean | { id: string };

/**
 * What the class needs of a resource's declaration (`ResourceDefinition` extends it). Structural
 * and zod-free: the schema is only asked for its keys.
 */
export interface ClassDeclaration {
    token: ResourceToken;
    /** Every input key is a key of the schema's shape. */
    inputSchema(): { shape: object };
    computedOutputs: readonly string[];
    /** Wrapped as secrets when given, and always added to `additionalSecretOutputs`. */
    secretInputs: readonly string[];
    /** The input that defaults to the Pulumi resource name. */
    nameInput?: string;
    /**
     * Values the class passes when the program leaves an input out, where the schema's default
     * would come too late (for example a key that must be present during a preview with unknowns).
     */
    programDefaults?: Readonly<Record<string, unknown>>;
    /** Resource options the program's own options override, e.g. `deleteBeforeReplace: true`. */
    optionDefaults?: Readonly<Pick<pulumi.CustomResourceOptions, "deleteBeforeReplace">>;
}

/**
 * A resource object: every property of `State` as an Output (the JSDoc of `State` shows in
 * editors), plus what every Pulumi custom resource has (`id`, `urn`).
 */
export type ResourceInstance<State> = pulumi.dynamic.Resource & {
    readonly [K in keyof State]-?: pulumi.Output<State[K]>;
};

/** The constructor of a pulumi-voip resource class. */
export interface ResourceClass<Args, State> {
    /**
     * Declares the resource.
     *
     * @param name The Pulumi resource name (unique in the stack); where the resource has a name
     *     property, also its default.
     * @param args The resource's properties (see its Args type).
     * @param opts Pulumi resource options. Secret inputs are always added to `additionalSecretOutputs`.
     */
    new (name: string, args: Args, opts?: pulumi.CustomResourceOptions): ResourceInstance<State>;
}

/** The vendor namespace and the class's type name of a token. */
export function splitToken(token: ResourceToken): { namespace: string; typeName: string } {
    const separator = token.indexOf(":");
    return { namespace: token.slice(0, separator), typeName: token.slice(separator + 1) };
}

/**
 * Every stored key, given or not: Pulumi makes an Output only for the keys present in the props.
 * A key given as undefined is left out of the inputs by the engine.
 */
function seededProps(
    declaration: ClassDeclaration,
    inputKeys: readonly string[],
    name: string,
    args: Record<string, unknown>,
): Record<string, unknown> {
    const secret = new Set(declaration.secretInputs);
    const props: Record<string, unknown> = {};
    for (const key of inputKeys) {
        const given = args[key] ?? declaration.programDefaults?.[key];
        const value = key === declaration.nameInput ? (given ?? name) : given;
        props[key] = secret.has(key) ? secretInput(value as pulumi.Input<string | undefined> | undefined) : value;
    }
    if (args[ADOPT_KEY] !== undefined) props[ADOPT_KEY] = args[ADOPT_KEY];
    props[PULUMI_NAME_KEY] = name;
    for (const key of declaration.computedOutputs) props[key] = undefined;
    props[STATE_VERSION_KEY] = undefined;
    return props;
}

function optionsFor(
    declaration: ClassDeclaration,
    opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions {
    const options = { ...declaration.optionDefaults, ...opts };
    return declaration.secretInputs.length === 0 ? options : withSecretOutputs(options, [...declaration.secretInputs]);
}

/**
 * The resource class of a declaration. Export it as `export const X: ResourceClass<XArgs, XState>`
 * together with `export type X = InstanceType<typeof X>`, so `X` works as a type, with `instanceof`
 * and as a base class.
 */
export function resourceClass<Args, State>(declaration: ClassDeclaration): ResourceClass<Args, State> {
    // One provider object per type: Pulumi serializes it once per program, not once per resource.
    const provider = runtimeProvider(declaration.token);
    const { namespace, typeName } = splitToken(declaration.token);
    const inputKeys = Object.keys(declaration.inputSchema().shape).filter((key) => key !== PULUMI_NAME_KEY);
    const DeclaredResource = class extends pulumi.dynamic.Resource {
        constructor(name: string, args: Args, opts?: pulumi.CustomResourceOptions) {
            const given = (args ?? {}) as Record<string, unknown>;
            // The SDK makes four promises per stored key and records a stack trace on each (`new
            // Error().stack`, kept only for its promise-leak report). With ts-node's source maps, as
            // `pulumi up` runs TypeScript programs, those traces were most of the program's time at
            // 200 resources of 30-odd keys each; none is taken while the resource is registered.
            const stackTraceLimit = Error.stackTraceLimit;
            Error.stackTraceLimit = 0;
            try {
                super(
                    provider,
                    name,
                    seededProps(declaration, inputKeys, name, given),
                    optionsFor(declaration, opts),
                    namespace,
                    typeName,
                );
            } finally {
                Error.stackTraceLimit = stackTraceLimit;
            }
        }
    };
    Object.defineProperty(DeclaredResource, "name", { value: typeName });
    return DeclaredResource as unknown as ResourceClass<Args, State>;
}
