import type * as pulumi from "@pulumi/pulumi";
import { claim, isClaimed } from "./claims";
import { DEFAULT_CONNECTION } from "./connection";
import { diffInputs, type DiffRules } from "./diff";
import { ResourceInitError } from "./errors";
import { log } from "./log";
import { ADOPT_KEY } from "./resource-class";
import { isUnknown } from "./unknowns";

/*
 * `adopt`: a create-time instruction every resource takes. Instead of creating a vendor object,
 * `create` takes over the one that exists (found by natural key or by id) and brings it to the
 * declared inputs with the resource's own update. The key and its public type live in resource-class.ts, zod-free for the published declarations.
 */

export { ADOPT_KEY, type AdoptInput } from "./resource-class";

/** How a resource type finds the object `adopt` takes over. */
export interface Adoption<Inputs, Outputs> {
    /** The natural key of the declared inputs, for messages: `name "carrier" of customer c1`. */
    describeKey(inputs: Inputs): string;
    /** Ids of the existing objects with the natural key of the declared inputs, on their connection. */
    findByKey(inputs: Inputs): Promise<string[]>;
    /**
     * What ids are unique within for these inputs (account, PBX; see core/claims.ts): the `scope`
     * of the resource's create plan, so an object taken by either path is refused by both.
     */
    scope(inputs: Inputs): string;
    /** The state `read` is given to read object `id` for these inputs; default: the inputs. */
    readState?(inputs: Inputs, id: string): Outputs;
}

/** What adoption needs of a resource definition (a subset of it). */
export interface Adoptable {
    vendor: string;
    noun: string;
    secretInputs: readonly string[];
    adoption: Adoption<object, object>;
    read(id: string, state: object): Promise<{ outs: object } | undefined>;
    update(id: string, olds: object, news: object): Promise<object>;
}

/** Splits the `adopt` instruction from the other inputs (the hooks never see it). */
export function withoutAdopt(props: Record<string, unknown>): {
    props: Record<string, unknown>;
    adopt: unknown;
} {
    const { [ADOPT_KEY]: adopt, ...rest } = props;
    return { props: rest, adopt };
}

/** The check failure for an `adopt` value, or undefined when it is valid (or unknown during preview). */
export function checkAdopt(value: unknown): pulumi.dynamic.CheckFailure | undefined {
    if (value === undefined || value === null || typeof value === "boolean" || isUnknown(value)) return undefined;
    if (typeof value === "object" && !Array.isArray(value)) {
        const entries = Object.entries(value as Record<string, unknown>);
        const id = (value as Record<string, unknown>)["id"];
        const idValid = isUnknown(id) || (typeof id === "string" && id.trim() !== "");
        if (idValid && entries.every(([key]) => key === "id")) return undefined;
    }
    return {
        property: ADOPT_KEY,
        reason: 'adopt must be true (find the object by its natural key), false, or { id: "<the object\'s id>" }',
    };
}

/** The object id `adopt` asks for, `"key"` for the natural key, or undefined for a plain create. */
function adoptionTarget(adopt: unknown): { id: string } | "key" | undefined {
    if (adopt === true) return "key";
    if (typeof adopt === "object" && adopt !== null && typeof (adopt as { id?: unknown }).id === "string") {
        return { id: (adopt as { id: string }).id };
    }
    return undefined;
}

/** Whether `create` must adopt rather than create. */
export function isAdoption(adopt: unknown): boolean {
    return adoptionTarget(adopt) !== undefined;
}

/**
 * What `read` is given for the object: the declared inputs without their secrets, so a secret the
 * vendor does not read back (masked, write-only) is not taken for the declared one: it cannot be
 * compared, so the update sets it.
 */
function readState(definition: Adoptable, inputs: Record<string, unknown>, id: string): object {
    const state = (definition.adoption.readState?.(inputs, id) ?? inputs) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(state).filter(([key]) => !definition.secretInputs.includes(key)));
}

function connectionOf(inputs: Record<string, unknown>): string {
    const connection = inputs["connection"];
    return typeof connection === "string" ? connection : DEFAULT_CONNECTION;
}

/**
 * Takes over the existing object instead of creating one. Refuses (before any write, never
 * creating) when none or several match, when another resource of this run adopted it, or when it
 * differs in a property that cannot be changed in place. An object that matches is left
 * untouched (no write); otherwise the resource's own update brings it to the declared inputs. A
 * failure from then on records the object in the stack as read before the update (a
 * ResourceInitError), so the next `pulumi up` finishes the update; nothing is ever deleted.
 */
export async function adoptExisting(
    definition: Adoptable,
    rules: DiffRules,
    inputs: Record<string, unknown>,
    adopt: unknown,
    described: string | undefined,
): Promise<{ id: string; outs: object }> {
    const target = adoptionTarget(adopt);
    if (target === undefined) throw new Error("adoptExisting called without an adoption target");
    const { adoption } = definition;
    const connection = connectionOf(inputs);
    const key = target === "key" ? adoption.describeKey(inputs) : `id ${target.id}`;
    const subject = `${definition.vendor}: ${described ?? `adopt ${definition.noun}`}`;
    const where = `${key} on connection "${connection}"`;
    const ids = target === "key" ? await adoption.findByKey(inputs) : [target.id];
    if (ids.length > 1) {
        throw new Error(
            `${subject}: ${ids.length} ${definition.noun}s have ${where} (ids ${ids.join(", ")}); nothing was adopted or created: choose one with adopt: { id: "..." }`,
        );
    }
    const id = ids[0];
    const found = id === undefined ? undefined : await definition.read(id, readState(definition, inputs, id));
    if (id === undefined || found === undefined) {
        throw new Error(
            `${subject}: no ${definition.noun} has ${where}; nothing was adopted or created (remove adopt to create one)`,
        );
    }
    // Taken by another resource of this run: adopted, created, or adopted as a create's leftover.
    const scope = adoption.scope(inputs);
    if (isClaimed(scope, id)) {
        throw new Error(`${subject}: ${definition.noun} ${id} (${where}) is already adopted by another resource`);
    }
    const { changed, replaces } = diffInputs(rules, found.outs as Record<string, unknown>, inputs);
    if (replaces.length > 0) {
        throw new Error(
            `${subject}: ${definition.noun} ${id} (${where}) differs in ${replaces.join(", ")}, which cannot be changed in place; nothing was changed: declare the object's current values, or remove adopt to create a new one`,
        );
    }
    claim(scope, id);
    const named = `${definition.vendor}: adopted ${definition.noun} ${id} (${where})`;
    if (changed.length === 0) {
        log.info(`${named}; it already matches the declared inputs: nothing changed`);
        return { id, outs: found.outs };
    }
    try {
        const outs = await definition.update(id, found.outs, inputs);
        log.info(`${named}; updated: ${changed.join(", ")}`);
        return { id, outs };
    } catch (error) {
        throw new ResourceInitError(
            id,
            found.outs as Record<string, unknown>,
            new Error(
                `${named}, but updating ${changed.join(", ")} failed: ${error instanceof Error ? error.message : String(error)}. It is kept in the stack; the next pulumi up updates it again`,
            ),
        );
    }
}
