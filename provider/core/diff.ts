import { containsUnknown } from "./unknowns";

/**
 * `diff` for every resource, from per-resource rules. `olds` are the stored outputs (which mirror
 * the canonical inputs), `news` the checked inputs. Only input properties are compared.
 */

export interface DiffRules {
    /** Every input property name. */
    inputKeys: readonly string[];
    /** A change to one of these cannot be made in place: the vendor object is replaced. */
    replaceOnChanges: readonly string[];
    /**
     * Properties whose absence from the program means "whatever the vendor defaults to": not
     * managed, so a value found on the vendor is not a change.
     */
    vendorDefaulted?: readonly string[];
    /**
     * Delete the old object before creating its replacement: for objects whose natural key must be
     * unique on the vendor side, where create-before-delete would fail.
     */
    deleteBeforeReplace?: boolean;
}

export interface DiffOutcome {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
    /** The properties that differ, for tests and messages. */
    changed: string[];
}

export function diffInputs(
    rules: DiffRules,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): DiffOutcome {
    const changed = rules.inputKeys.filter((key) => {
        const next = news[key];
        if ((next === undefined || next === null) && rules.vendorDefaulted?.includes(key) === true) return false;
        if (containsUnknown(next)) return true;
        return !sameValue(olds[key], next);
    });
    const replaces = changed.filter((key) => rules.replaceOnChanges.includes(key));
    return {
        changes: changed.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && rules.deleteBeforeReplace === true,
        changed,
    };
}

/** Deep equality of JSON-like values where an absent value and null mean the same thing. */
export function sameValue(a: unknown, b: unknown): boolean {
    if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
        if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
        return a.every((item, index) => sameValue(item, b[index]));
    }
    if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
        const left = a as Record<string, unknown>;
        const right = b as Record<string, unknown>;
        const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
        return [...keys].every((key) => sameValue(left[key], right[key]));
    }
    return a === b;
}
