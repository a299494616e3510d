import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ADOPT_KEY, AdoptInput } from "./resource-class";

/*
 * Type-level checks that tie a resource's hand-written public types (zod-free, documented) to its
 * declaration. Each check is the union of what does not match, spelled for the reader of the
 * compiler error, and `never` when everything does; `MustMatch` makes a mismatch fail `tsc`.
 * Import with `import type` only: the published declarations must not reach zod.
 */

/** Fails to compile unless `Problems` is `never`; the error names each problem. */
export type MustMatch<Problems extends never> = Problems;

/** Hidden inputs (`__…`) are the class's own bookkeeping, absent from the public types. */
type Hidden = `__${string}`;
/** Property names of every member of a union. */
type KeysOf<T> = T extends unknown ? keyof T : never;
/** The property's type across the members of a union; `undefined` where a member lacks it. */
type ValueAt<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : undefined) : never;
/** Names of the optional properties of any member of a union. */
type OptionalKeys<T> = T extends unknown
    ? { [K in keyof T]-?: Pick<T, K> extends Required<Pick<T, K>> ? never : K }[keyof T]
    : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Whether the schema leaves a list's items unchecked (`z.unknown()`), in any member of a union. */
type HoldsUnknownItems<T> = T extends readonly (infer Item)[] ? (unknown extends Item ? true : false) : false;
/**
 * `A` (the hand-written type) describes the same values as `B` (the schema's). Where the schema
 * leaves list items unchecked, the hand-written type may name what they are.
 */
type Matches<A, B> =
    Same<A, B> extends true ? true : [A] extends [B] ? (true extends HoldsUnknownItems<B> ? true : false) : false;
/** A value as the program gives it, with every `pulumi.Input` level resolved (`unknown` stays `unknown`). */
type Plain<T> = unknown extends T
    ? T
    : T extends pulumi.OutputInstance<infer Value>
      ? Plain<Value>
      : T extends Promise<infer Value>
        ? Plain<Value>
        : T extends readonly (infer Item)[]
          ? Plain<Item>[]
          : T extends object
            ? { [K in keyof T]: Plain<T[K]> }
            : T;

/** What the checks read of a declaration (`typeof <definition>`, declared with `satisfies`). */
interface Declared {
    inputSchema(): z.ZodType;
    computedOutputs: readonly PropertyKey[];
    nameInput?: PropertyKey;
    read(id: string, state: never): Promise<unknown>;
}

type SchemaInput<D extends Declared> = z.input<ReturnType<D["inputSchema"]>>;
type SchemaOutput<D extends Declared> = z.output<ReturnType<D["inputSchema"]>>;
type PublicInputKey<D extends Declared> = Exclude<keyof SchemaInput<D>, Hidden> & string;
/** The stored state the hooks work with (the type of `read`'s state). */
type StoredState<D extends Declared> = Parameters<D["read"]>[1];

/**
 * How `Args` differs from what the schema accepts: the same property names (hidden ones aside),
 * each property's value (unwrapped from `pulumi.Input`) of the same type, and no property optional
 * in `Args` that the schema requires (the name input is filled by the class). `adopt`, which
 * every resource takes and the runner handles outside the schema, is declared as `AdoptInput`.
 */
export type ArgsMismatch<Args, D extends Declared> =
    | `${Exclude<PublicInputKey<D>, KeysOf<Args>>}: in the schema, missing from Args`
    | `${Exclude<KeysOf<Args>, PublicInputKey<D> | typeof ADOPT_KEY> & string}: in Args, missing from the schema`
    | (Matches<NonNullable<Plain<ValueAt<Args, typeof ADOPT_KEY>>>, AdoptInput> extends true
          ? never
          : `${typeof ADOPT_KEY}: every Args declares it (optional) as AdoptInput`)
    | {
          [K in PublicInputKey<D> & KeysOf<Args>]: Matches<
              NonNullable<Plain<ValueAt<Args, K>>>,
              NonNullable<SchemaInput<D>[K]>
          > extends true
              ? never
              : `${K}: Args and the schema accept different values`;
      }[PublicInputKey<D> & KeysOf<Args>]
    | `${Exclude<PublicInputKey<D>, OptionalKeys<SchemaInput<D>> | D["nameInput"]> &
          OptionalKeys<Args>}: optional in Args, required by the schema`;

/**
 * How the public `State` (every property an Output of the class) differs from the stored state:
 * exactly the schema's outputs (hidden ones aside) and the declared computed outputs, each of the
 * same type; and every stored property that is not an input is declared computed. `AlwaysSet`
 * names inputs that canonicalization always fills although the schema's type leaves them optional:
 * `State` declares them without `undefined`.
 */
export type StateMismatch<State, D extends Declared, AlwaysSet extends keyof State = never> =
    | `${Exclude<Exclude<keyof SchemaOutput<D>, Hidden> | D["computedOutputs"][number], keyof State> & string}: stored, missing from State`
    | `${Exclude<keyof State, keyof SchemaOutput<D> | D["computedOutputs"][number]> & string}: in State, never stored`
    | `${Exclude<KeysOf<StoredState<D>>, keyof SchemaOutput<D> | D["computedOutputs"][number]> & string}: stored, not an input, not in computedOutputs`
    | {
          [K in keyof State & string]: Matches<
              State[K],
              K extends keyof SchemaOutput<D>
                  ? K extends AlwaysSet
                      ? NonNullable<SchemaOutput<D>[K]>
                      : SchemaOutput<D>[K]
                  : ValueAt<StoredState<D>, K>
          > extends true
              ? never
              : `${K}: State and the stored state hold different values`;
      }[keyof State & string];
