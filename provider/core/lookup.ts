import * as pulumi from "@pulumi/pulumi";
import { withStackConfig, type StackConfig } from "./config";
import { DEFAULT_CONNECTION } from "./connection";

/**
 * What every vendor's read-only lookups (`portsip.getTrunk`, `voicetel.listAccountGateways`, ...)
 * share: the program's stack config as the source of connection settings, the one-match rule with
 * its messages, and the two forms Pulumi's own `get*` functions come in (a Promise, and an
 * `...Output` variant that takes Inputs).
 *
 * Lookups run in the program's process, where the dynamic provider's `configure` hook never
 * runs: the settings come from the program's own stack config (`pulumi config set`, secrets
 * decrypted by the engine), then the same environment variables the resources read.
 */

/**
 * The program's stack config, read at each access: inline programs of the Automation API each see
 * their own config through the same `pulumi.runtime` call.
 */
const PROGRAM_CONFIG: StackConfig = { get: (key) => pulumi.runtime.getConfig(key) };

/**
 * Runs one lookup against the program's stack config. Only the lookup (and what it awaits) reads
 * it: the process-wide stack config that `configure` sets for the hooks is left as it is.
 */
export function lookup<T>(run: () => Promise<T>): Promise<T> {
    try {
        return withStackConfig(PROGRAM_CONFIG, run);
    } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
}

/** The connection a lookup uses: the one it names, else `default`. */
export function connectionOf(args: { connection?: string | undefined }): string {
    return args.connection ?? DEFAULT_CONNECTION;
}

/** What a lookup was asked for, for its messages. */
export interface LookupSubject {
    /** Display name of the vendor: `PortSIP`. */
    vendor: string;
    /** The object, singular: `trunk`. */
    noun: string;
    /** The connection searched. */
    connection: string;
    /** How the object was described: `named "carrier-a"`, `with id 1234`. */
    described: string;
}

/**
 * The one object found; none or several fail with a message naming the vendor, the connection
 * and what was looked for (and, for several, their ids: a lookup never picks one).
 */
export function exactlyOne<T>(found: readonly T[], subject: LookupSubject, idOf: (item: T) => string): T {
    const where = `on connection "${subject.connection}"`;
    if (found.length === 1) return found[0] as T;
    if (found.length === 0) {
        throw new Error(`${subject.vendor}: no ${subject.noun} ${subject.described} ${where}`);
    }
    const ids = found.map(idOf).join(", ");
    throw new Error(
        `${subject.vendor}: ${found.length} ${subject.noun}s ${subject.described} ${where} (ids ${ids}); look it up by id to choose one`,
    );
}

/** A field the vendor returned that must stay secret: a secret Output, or nothing when absent. */
export function secretField(value: string | undefined): pulumi.Output<string> | undefined {
    return value === undefined ? undefined : pulumi.secret(value);
}

/** Copies the defined entries of `values` onto `target` (results never hold `undefined` keys). */
export function assignDefined<T extends object>(target: T, values: Partial<T>): T {
    for (const [key, value] of Object.entries(values)) {
        if (value !== undefined) (target as Record<string, unknown>)[key] = value;
    }
    return target;
}

/** Deeply plain arguments (Inputs resolved) of an `...Output` variant. */
export type PlainArgs<Args> = pulumi.Unwrap<Args>;

/** The arguments of a lookup as its `...Output` variant takes them: each one an Input (each member of a union on its own). */
export type LookupInputs<Args> = Args extends unknown ? { [Key in keyof Args]: pulumi.Input<Args[Key]> } : never;

/**
 * The `...Output` variant of a Promise lookup, as Pulumi's own functions have it: takes Inputs,
 * runs once they are known (not during a preview in which one of them is unknown), and is secret
 * when any field of the result is.
 */
export function lookupOutput<Args, Result>(
    args: Args,
    run: (plain: PlainArgs<Args>) => Promise<Result>,
): pulumi.Output<pulumi.Unwrap<Result>> {
    return pulumi.output(args).apply((plain) => run(plain).then((result) => pulumi.output(result))) as pulumi.Output<
        pulumi.Unwrap<Result>
    >;
}
