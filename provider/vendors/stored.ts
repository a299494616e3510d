import { diffInputs } from "../core/diff";
import { ResourceInitError, VendorApiError } from "../core/errors";

/**
 * After a create or an update, what the vendor reads back must be what was asked. A vendor that
 * accepts a field and silently drops it (a PBX model without DOD support) would otherwise leave a
 * resource whose every later preview shows an update that never converges. The comparison is the
 * one the next `diff` makes (canonical stored outputs against canonical inputs), so a difference
 * found here is exactly a change the next preview would show.
 */
export interface StoredCheck {
    /** For messages: vendor (or connection), operation, object. */
    vendor: string;
    operation: string;
    object: string;
    /** Every input property name. */
    inputKeys: readonly string[];
    /** Properties the vendor fills when the program leaves them out (see core/diff.ts). */
    vendorDefaulted?: readonly string[] | undefined;
    /** Never compared nor shown: write-only secrets cannot be read back, readable ones are not quoted. */
    secretInputs: readonly string[];
    /** The canonical inputs sent. */
    asked: object;
    /** The outputs built from the read-back. */
    stored: object;
}

/** The input properties the vendor did not store as asked. */
export function unstoredProperties(check: StoredCheck): string[] {
    const outcome = diffInputs(
        { inputKeys: check.inputKeys, replaceOnChanges: [], vendorDefaulted: check.vendorDefaulted },
        check.stored as Record<string, unknown>,
        check.asked as Record<string, unknown>,
    );
    return outcome.changed.filter((key) => !check.secretInputs.includes(key));
}

function shown(value: unknown): string {
    if (value === undefined || value === null) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Fails naming each property the vendor did not store, with what was asked and what it holds. */
export function assertStoredAsAsked(check: StoredCheck): void {
    const missing = unstoredProperties(check);
    if (missing.length === 0) return;
    const asked = check.asked as Record<string, unknown>;
    const stored = check.stored as Record<string, unknown>;
    const details = missing.map((key) => `${key} (asked ${shown(asked[key])}, stored ${shown(stored[key])})`);
    throw new VendorApiError({
        kind: "Validation",
        vendor: check.vendor,
        operation: check.operation,
        object: check.object,
        vendorMessage:
            `the request was accepted but ${missing.length === 1 ? "this property was" : "these properties were"} ` +
            `not stored as asked: ${details.join("; ")}. The vendor may not support ${missing.length === 1 ? "it" : "them"} ` +
            "(model, firmware or account); change the program to what it can store",
    });
}

/**
 * {@link assertStoredAsAsked} after a create: the object exists, so a failure is a
 * {@link ResourceInitError} carrying its id and stored outputs (the engine keeps it in the stack
 * instead of orphaning it; the next `pulumi up` tries again with an update).
 */
export function assertCreatedAsAsked(check: StoredCheck, id: string): void {
    try {
        assertStoredAsAsked(check);
    } catch (error) {
        // core's runHook makes the properties plain JSON, stamps the state version and drops secret inputs.
        throw new ResourceInitError(id, check.stored as Record<string, unknown>, error);
    }
}
