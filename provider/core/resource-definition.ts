import type * as pulumi from "@pulumi/pulumi";
import { ADOPT_KEY, adoptExisting, checkAdopt, isAdoption, withoutAdopt, type Adoption } from "./adopt";
import { checkInputs, withoutProvider, type InputSchema } from "./check";
import { setStackConfig } from "./config";
import { diffInputs, type DiffRules } from "./diff";
import { ResourceInitError, VendorApiError } from "./errors";
import type { InventoryItem } from "./inventory";
import { log } from "./log";
import { redact, registerSecret } from "./redact";
import { isUnknown } from "./unknowns";
import { PULUMI_NAME_KEY, STATE_VERSION_KEY, type ClassDeclaration, type ResourceToken } from "./resource-class";
import type { HookName } from "./delegate";

export type { HookName } from "./delegate";

/** Property names of every member of a union; any name for a shape-agnostic `object`. */
type NamesOf<T> = [keyof T] extends [never] ? string : (T extends unknown ? keyof T : never) & string;

/** Input names of a resource. */
export type InputKey<Inputs> = NamesOf<Inputs>;

/** Outputs that are not inputs: computed by the vendor or by the hooks. */
export type ComputedKey<Inputs, Outputs> = [keyof Outputs] extends [never]
    ? string
    : Exclude<NamesOf<Outputs>, NamesOf<Inputs>>;

/**
 * The one declaration of a resource type: from it derive the public resource class
 * ({@link resourceClass}), the runtime registry entry, the dynamic-provider hooks ({@link runHook}:
 * every resource goes through the same check, diff, state versioning, error wrapping and output
 * sanitizing, so they all behave alike) and the registry-driven tests.
 *
 * `Inputs` are the canonical Pulumi inputs (lowerCamelCase); `Outputs` are the stored state: the
 * canonical inputs echoed, plus {@link computedOutputs}. `stateVersion` is added by the runner.
 * Declare it with `satisfies ResourceDefinition<Inputs, Outputs>` (not a type annotation) so the
 * precise schema and key types stay visible to the type-level checks of the public types.
 */
export interface ResourceDefinition<Inputs extends object, Outputs extends Inputs>
    extends Omit<DiffRules, "inputKeys">, ClassDeclaration {
    /**
     * `<vendor namespace>:<Type>`, e.g. `telecomcenter:TerminationGateway`: the registry key, and the
     * Pulumi type token `pulumi-nodejs:dynamic/<vendor namespace>:<Type>` of the resource class.
     */
    token: ResourceToken;
    /** Display name of the vendor, e.g. "telecom.center". */
    vendor: string;
    /** Display name of the object, e.g. "termination gateway". */
    noun: string;
    /** Bump when the stored shape changes; {@link upgradeState} must read every older version. */
    stateVersion: number;
    /**
     * The input schema; wrap its factory in core/once.ts's `once`, as every call of a hook asks
     * for it and building a schema costs more than running it. Validation that
     * needs I/O is an asynchronous refinement of it; it runs during preview, so it must tolerate
     * unknown values, and report a problem against a property rather than throw. A schema whose
     * shape declares `PULUMI_NAME_KEY` (optional) receives the Pulumi resource name there in `check`.
     */
    inputSchema(): InputSchema;
    /** Every output that is not an input. */
    computedOutputs: readonly ComputedKey<Inputs, Outputs>[];
    /** Inputs that are secrets: never named with their value in a check failure; secret in the state. */
    secretInputs: readonly InputKey<Inputs>[];
    /** The input that defaults to the Pulumi resource name. */
    nameInput?: InputKey<Inputs>;
    /**
     * How users name one object in messages, from its inputs or state (unknown values possible).
     * Default: the `name` property.
     */
    label?(props: Record<string, unknown>): string | undefined;
    /**
     * Turns stored state of any earlier version into the current shape. Default: the state as
     * stored (for a shape that has not changed yet).
     */
    upgradeState?(state: Record<string, unknown>, fromVersion: number): Outputs;
    /**
     * Inputs of any earlier shape in the current one; needed once an input's shape changes. The
     * engine's refresh diff hands `diff` the inputs stored in the state as `news`, neither checked
     * nor versioned: without this, the first refresh after an upgrade shows the new shape as drift.
     * Must leave current-shape inputs and unknown values unchanged.
     */
    upgradeInputs?(inputs: Record<string, unknown>): Record<string, unknown>;
    /**
     * How the `adopt` input finds an existing object (by natural key; by id through `read`).
     * Adoption replaces `create`: the object is read and, where it differs, brought to the inputs by `update`.
     */
    adoption: Adoption<Inputs, Outputs>;
    /**
     * Every object of the named connection as a resource managing it would output (one listing,
     * read only), for `pulumi-voip export`; objects it cannot represent carry the reason instead.
     */
    inventory(connection: string): Promise<InventoryItem<Outputs>[]>;
    create(inputs: Inputs): Promise<{ id: string; outs: Outputs }>;
    /** `undefined` when the object no longer exists. */
    read(id: string, state: Outputs): Promise<{ outs: Outputs; inputs: Inputs } | undefined>;
    update(id: string, olds: Outputs, news: Inputs): Promise<Outputs>;
    /** Must succeed when the object is already gone. */
    delete(id: string, state: Outputs): Promise<void>;
}

/** Hooks are declared as methods, so a definition of any shape fits the registry. */
export type AnyResourceDefinition = ResourceDefinition<object, object>;

type Props = Record<string, unknown>;

function storedVersion(state: Props): number {
    const version = state[STATE_VERSION_KEY];
    return typeof version === "number" ? version : 0;
}

function upgrade(definition: AnyResourceDefinition, props: Props): Props {
    const state = withoutProvider(props);
    const version = storedVersion(state);
    if (version > definition.stateVersion) {
        throw new Error(
            `${definition.vendor} ${definition.noun}: the state was written by a newer pulumi-voip (state version ${version}, this one reads up to ${definition.stateVersion}); upgrade pulumi-voip`,
        );
    }
    if (version === definition.stateVersion || definition.upgradeState === undefined) return state;
    return definition.upgradeState(state, version) as Props;
}

/** Outputs must be plain JSON: `undefined` anywhere crashes the host (pulumi/pulumi#2205). */
function sanitize(definition: AnyResourceDefinition, outs: object): Props {
    const plain = JSON.parse(JSON.stringify(outs)) as Props;
    return { ...plain, [STATE_VERSION_KEY]: definition.stateVersion };
}

function inputKeys(definition: AnyResourceDefinition): string[] {
    return Object.keys(definition.inputSchema().shape).filter((key) => key !== PULUMI_NAME_KEY);
}

function rulesOf(definition: AnyResourceDefinition): DiffRules {
    return { ...definition, inputKeys: inputKeys(definition) };
}

/**
 * Registers for redaction every secret input value in the hook's property bags (inputs, olds,
 * news, state) before the hook does anything, so no message the hook produces can show one.
 */
function registerSecretInputs(definition: AnyResourceDefinition, args: unknown[]): void {
    for (const arg of args) {
        if (arg === null || typeof arg !== "object") continue;
        for (const key of definition.secretInputs) {
            const value = (arg as Props)[key];
            if (typeof value === "string" && !isUnknown(value)) registerSecret(value);
        }
    }
}

const PROVIDER_KEY = "__provider";

/** The Pulumi resource name the class passes (older state has none), and the props without it. */
function withoutPulumiName(props: Props): { props: Props; pulumiName: string | undefined } {
    const { [PULUMI_NAME_KEY]: pulumiName, ...rest } = props;
    return { props: rest, pulumiName: typeof pulumiName === "string" ? pulumiName : undefined };
}

function withPulumiName(props: Props, pulumiName: string | undefined): Props {
    return pulumiName === undefined ? props : { ...props, [PULUMI_NAME_KEY]: pulumiName };
}

/**
 * A partial create or update as the engine needs it. The engine shows only `reasons`, and stores
 * `properties` as the outputs exactly as given: without `__provider` the next refresh or destroy
 * cannot load the provider, and undefined values would crash the host. Secret inputs are left
 * out rather than stored in plaintext; the update the engine runs for a partially created
 * resource at the next `pulumi up` sets them again.
 */
function completeInitError(
    definition: AnyResourceDefinition,
    error: ResourceInitError,
    props: Props,
): ResourceInitError {
    const secret = new Set(definition.secretInputs);
    const kept = Object.entries(sanitize(definition, error.properties)).filter(([key]) => !secret.has(key));
    const properties = withPulumiName(Object.fromEntries(kept), withoutPulumiName(props).pulumiName);
    if (props[PROVIDER_KEY] !== undefined) properties[PROVIDER_KEY] = props[PROVIDER_KEY];
    return new ResourceInitError(error.id, properties, error);
}

/**
 * Dynamic providers receive the stack config recorded at the last `pulumi up`, not the current
 * one, in refresh and destroy (they run no program): a credential rotated in the config since is
 * not seen, and the vendor refuses the old one.
 */
const STALE_CREDENTIAL_HINT =
    "refresh and destroy use the credentials from the stack config recorded at the last `pulumi up`; if you " +
    "changed them since, run `pulumi up` (or `pulumi refresh --run-program`, `pulumi destroy --run-program`) first";

/** How users name one object in messages: the definition's `label`, else its `name` property. */
export function labelOf(definition: AnyResourceDefinition, props: Props): string | undefined {
    if (definition.label !== undefined) return definition.label(props);
    const name = props["name"];
    return typeof name === "string" && !isUnknown(name) ? name : undefined;
}

const HOOK_VERBS: Partial<Record<HookName, string>> = {
    create: "create",
    read: "refresh",
    update: "update",
    delete: "delete",
};

/**
 * What the failed hook was doing, as a user names it: `create trunk "carrier"`. A lookup, login or
 * version probe made on the way names only itself; this says which resource it served.
 */
function hookSubject(definition: AnyResourceDefinition, hook: HookName, args: unknown[]): string | undefined {
    const props = (hook === "create" ? args[0] : hook === "update" ? args[2] : args[1]) as Props | undefined;
    const verb = hook === "create" && isAdoption(props?.[ADOPT_KEY]) ? "adopt" : HOOK_VERBS[hook];
    if (verb === undefined) return undefined;
    const id = hook === "create" ? undefined : (args[0] as string | undefined);
    let label: string | undefined;
    try {
        label = props === undefined ? undefined : labelOf(definition, props);
    } catch {
        label = undefined;
    }
    const object = label ?? id;
    const named = object === undefined || object === "" ? "" : ` "${object}"`;
    const identified = id !== undefined && id !== "" && id !== object ? ` (id ${id})` : "";
    return `${verb} ${definition.noun}${named}${identified}`;
}

/** Errors leave the provider redacted, whatever produced them, and completed for the engine. */
function clean(definition: AnyResourceDefinition, hook: HookName, args: unknown[], error: unknown): unknown {
    if (error instanceof ResourceInitError) {
        const props = (hook === "create" ? args[0] : hook === "update" ? args[2] : {}) as Props;
        return completeInitError(definition, error, props);
    }
    const during = hookSubject(definition, hook, args);
    if (VendorApiError.isInstance(error)) {
        const credentialRefused = error.kind === "Auth" || error.kind === "Forbidden";
        const hint = credentialRefused && (hook === "read" || hook === "delete") ? STALE_CREDENTIAL_HINT : undefined;
        // The hook's own call (`create trunk "carrier"`) already says what it was doing.
        const ownCall =
            during?.startsWith(`${error.operation} `) === true || error.operation === `${hook} ${definition.noun}`;
        return error.with({ hint, during: ownCall ? undefined : during });
    }
    const message = redact(error instanceof Error ? error.message : String(error));
    const vendorPrefix = `${definition.vendor}: `;
    const own = message.startsWith(vendorPrefix) ? message.slice(vendorPrefix.length) : message;
    const cleaned = new Error(
        during === undefined || own.startsWith(during) ? message : `${vendorPrefix}${during}: ${own}`,
    );
    if (error instanceof Error) cleaned.name = error.name;
    return cleaned;
}

/** Runs one dynamic-provider hook for `definition`. */
export async function runHook(definition: AnyResourceDefinition, hook: HookName, args: unknown[]): Promise<unknown> {
    try {
        registerSecretInputs(definition, args);
        switch (hook) {
            case "configure":
                setStackConfig((args[0] as pulumi.dynamic.ConfigureRequest).config);
                return undefined;
            case "check": {
                const { props: named, pulumiName } = withoutPulumiName(args[1] as Props);
                const { props: news, adopt } = withoutAdopt(named);
                const schema = definition.inputSchema();
                // Only a schema that declares the key is handed the name (a strict one refuses unknown keys).
                const given = PULUMI_NAME_KEY in schema.shape ? withPulumiName(news, pulumiName) : news;
                const outcome = await checkInputs(schema, given, definition.secretInputs);
                const adoptFailure = checkAdopt(adopt);
                const inputs = withPulumiName(withoutPulumiName(outcome.inputs).props, pulumiName);
                if (adopt !== undefined && adopt !== null) inputs[ADOPT_KEY] = adopt;
                const failures = adoptFailure === undefined ? outcome.failures : [...outcome.failures, adoptFailure];
                return { inputs, failures };
            }
            case "diff": {
                const olds = upgrade(definition, args[1] as Props);
                // `adopt` only tells `create` what to do: changing it on an existing resource changes nothing.
                const { props: given } = withoutAdopt(withoutProvider(args[2] as Props));
                const news = definition.upgradeInputs?.(given) ?? given;
                const outcome = diffInputs(rulesOf(definition), olds, news);
                return {
                    changes: outcome.changes,
                    replaces: outcome.replaces,
                    deleteBeforeReplace: outcome.deleteBeforeReplace,
                };
            }
            case "create": {
                const { props: named, pulumiName } = withoutPulumiName(withoutProvider(args[0] as Props));
                const { props: inputs, adopt } = withoutAdopt(named);
                const { id, outs } = isAdoption(adopt)
                    ? await adoptExisting(
                          definition,
                          rulesOf(definition),
                          inputs,
                          adopt,
                          hookSubject(definition, hook, args),
                      )
                    : await definition.create(inputs);
                return { id, outs: withPulumiName(sanitize(definition, outs), pulumiName) };
            }
            case "read": {
                const id = args[0] as string;
                const { props: state, pulumiName } = withoutPulumiName(upgrade(definition, args[1] as Props));
                const found = await definition.read(id, state);
                if (found === undefined) {
                    // An empty id tells the engine the object is gone; throwing would fail the refresh.
                    const resource = pulumiName === undefined ? "" : ` (Pulumi resource "${pulumiName}")`;
                    log.warn(
                        `${definition.vendor} ${definition.noun} ${id} no longer exists; it is removed from the stack${resource}`,
                    );
                    return { id: "", props: {} };
                }
                return {
                    id,
                    props: withPulumiName(sanitize(definition, found.outs), pulumiName),
                    inputs: withPulumiName(JSON.parse(JSON.stringify(found.inputs)) as Props, pulumiName),
                };
            }
            case "update": {
                const id = args[0] as string;
                const { props: olds, pulumiName: stored } = withoutPulumiName(upgrade(definition, args[1] as Props));
                const { props: named, pulumiName } = withoutPulumiName(withoutProvider(args[2] as Props));
                const { props: news } = withoutAdopt(named);
                const outs = await definition.update(id, olds, news);
                return { outs: withPulumiName(sanitize(definition, outs), pulumiName ?? stored) };
            }
            case "delete": {
                const id = args[0] as string;
                const { props: state } = withoutPulumiName(upgrade(definition, args[1] as Props));
                await definition.delete(id, state);
                return undefined;
            }
        }
    } catch (error) {
        throw clean(definition, hook, args, error);
    }
}
