import { backoffDelayMs, sleep } from "./backoff";
import { claim, isClaimed } from "./claims";
import type { HttpTuning } from "./config";
import { VendorApiError } from "./errors";
import { log } from "./log";

/**
 * How one resource type creates a vendor object without ever orphaning or duplicating one.
 *
 * `Candidate` is an existing object as the lookup sees it; `Created` what the create call answers.
 */
export interface CreatePlan<Candidate, Created> {
    /** For messages. */
    vendor: string;
    operation: string;
    object: string;
    /** Display name of the object, e.g. "termination gateway". */
    noun: string;
    /**
     * What ids are unique within (account, PBX; see core/claims.ts): claims of one scope never
     * meet another's. The resource's `adoption.scope` gives the same for the same inputs.
     */
    scope: string;
    /**
     * The connection's tuning, the same the transport uses: the create call is sent at most
     * `maxRetries + 1` times, which also bounds the lookups after a lost answer; they back off from
     * `retryBaseDelayMs`.
     */
    tuning: Pick<HttpTuning, "maxRetries" | "retryBaseDelayMs">;
    /** The existing objects with the natural key of the declared inputs. */
    lookup(): Promise<Candidate[]>;
    /** The id the stack records for this object. */
    idOf(candidate: Candidate): string;
    /**
     * The declared properties the candidate differs in, compared in canonical form; secrets the
     * vendor does not read back (write-only or masked) are left out. Empty: an exact match.
     */
    differences(candidate: Candidate): string[];
    /**
     * For vendors whose natural key is unique: the error for an object with the key that cannot
     * be adopted (`reason` says why). Left out where the key is not unique: such objects are ignored.
     */
    conflict?(candidate: Candidate, reason: string): Error;
    /** The error when several exact matches appeared after a lost answer (another writer raced this create). */
    raced?(ids: string[]): Error;
    /** Sends the (non-idempotent) create call. */
    send(): Promise<Created>;
    /** What `create` returns for an existing object it adopts. */
    adopt(candidate: Candidate): Promise<Created>;
    /** The id of what `send` made. */
    createdId(created: Created): string;
}

function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, item]) => item !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
    }
    return value === undefined ? "undefined" : JSON.stringify(value);
}

/**
 * The properties in which two canonical input objects differ (a property set on one side only
 * differs), sorted: what {@link CreatePlan.differences} reports for an object read back.
 */
export function differingProperties(declared: object, actual: object): string[] {
    const left = declared as Record<string, unknown>;
    const right = actual as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].filter((key) => canonicalJson(left[key]) !== canonicalJson(right[key])).sort();
}

export function isAmbiguous(error: unknown): boolean {
    return (
        VendorApiError.isInstance(error) &&
        (error.kind === "Server" ||
            error.kind === "Network" ||
            error.kind === "Timeout" ||
            error.kind === "BadResponse")
    );
}

function attemptsOf(plan: Pick<CreatePlan<unknown, unknown>, "tuning">): number {
    return plan.tuning.maxRetries + 1;
}

function backoff(plan: Pick<CreatePlan<unknown, unknown>, "tuning">, attempt: number): Promise<void> {
    return sleep(backoffDelayMs(plan.tuning.retryBaseDelayMs, attempt - 1));
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the object, or adopts the one an interrupted or failed earlier create left behind.
 *
 * 1. Before the first attempt, the objects with the natural key are looked up. One that matches
 *    the declared inputs exactly and that no other resource of this process took (core/claims.ts) is adopted
 *    (the engine forgets a create that crashed or failed ambiguously: the object is on the vendor
 *    and in no stack). Several exact matches fail, naming them. Where the key is unique, any
 *    other object with it fails through `conflict`.
 * 2. The create call is sent. After an ambiguous failure (5xx, reset, timeout, unreadable answer)
 *    the object may or may not exist: the lookup is made again (with backoff, bounded) and a new
 *    exact match is adopted; if none appeared the call is sent again. If the lookup cannot be
 *    made, the error says the create may have succeeded: the next `pulumi up` adopts it (step 1).
 */
export async function createWithoutDuplicates<Candidate, Created>(
    plan: CreatePlan<Candidate, Created>,
): Promise<{ id: string; created: Created }> {
    const existing = await plan.lookup();
    const before = new Set(existing.map((candidate) => plan.idOf(candidate)));
    const leftover = adoptable(plan, existing);
    if (leftover !== undefined) {
        log.info(
            `${plan.vendor}: ${plan.operation} "${plan.object}": adopted the existing ${plan.noun} ${plan.idOf(leftover)}, which matches the declared inputs exactly; it was left by an interrupted or failed create`,
        );
        return adopt(plan, leftover);
    }
    for (let attempt = 1; ; attempt++) {
        let sendError: unknown;
        try {
            const created = await plan.send();
            const id = plan.createdId(created);
            claim(plan.scope, id);
            return { id, created };
        } catch (error) {
            if (!isAmbiguous(error)) throw error;
            sendError = error;
        }
        const appeared = (await lookupAfterLostAnswer(plan, sendError)).filter(
            (candidate) =>
                !before.has(plan.idOf(candidate)) &&
                !isClaimed(plan.scope, plan.idOf(candidate)) &&
                plan.differences(candidate).length === 0,
        );
        if (appeared.length > 1) {
            const ids = appeared.map((candidate) => plan.idOf(candidate));
            throw (
                plan.raced?.(ids) ??
                severalMatches(
                    plan,
                    ids,
                    "(all appeared while it was being created: another writer made the same at the same time?)",
                )
            );
        }
        const found = appeared[0];
        if (found !== undefined) {
            log.debug(`${plan.vendor}: ${plan.operation} "${plan.object}" failed ambiguously but the object exists`);
            return adopt(plan, found);
        }
        if (attempt >= attemptsOf(plan)) throw sendError;
        await backoff(plan, attempt);
    }
}

/** The one exact, unclaimed match among existing objects; throws when that is not clear-cut. */
function adoptable<Candidate>(plan: CreatePlan<Candidate, unknown>, existing: Candidate[]): Candidate | undefined {
    const exact: Candidate[] = [];
    for (const candidate of existing) {
        const differences = plan.differences(candidate);
        const claimed = isClaimed(plan.scope, plan.idOf(candidate));
        if (differences.length === 0 && !claimed) {
            exact.push(candidate);
        } else if (plan.conflict !== undefined) {
            throw plan.conflict(
                candidate,
                claimed
                    ? "and another resource of this program has it"
                    : `and differs from the declared inputs in: ${differences.join(", ")}`,
            );
        }
    }
    if (exact.length > 1) {
        throw severalMatches(
            plan,
            exact.map((candidate) => plan.idOf(candidate)),
            "(left by interrupted or failed creates?)",
        );
    }
    return exact[0];
}

async function adopt<Candidate, Created>(
    plan: CreatePlan<Candidate, Created>,
    candidate: Candidate,
): Promise<{ id: string; created: Created }> {
    const id = plan.idOf(candidate);
    claim(plan.scope, id);
    return { id, created: await plan.adopt(candidate) };
}

function severalMatches(plan: CreatePlan<unknown, unknown>, ids: string[], why: string): Error {
    return new Error(
        `${plan.vendor}: ${plan.operation} "${plan.object}": ${plan.noun}s ${ids.join(", ")} all match the declared inputs exactly ${why}; remove the extra ones, then run pulumi up again`,
    );
}

/** The lookup after a lost create answer, retried with backoff: giving up early would orphan the object. */
async function lookupAfterLostAnswer<Candidate>(
    plan: CreatePlan<Candidate, unknown>,
    sendError: unknown,
): Promise<Candidate[]> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await plan.lookup();
        } catch (lookupError) {
            if (attempt >= attemptsOf(plan)) {
                throw new Error(
                    `${plan.vendor}: ${plan.operation} "${plan.object}" may have succeeded: its answer was lost (${messageOf(sendError)}); looking for it afterwards failed too: ${messageOf(lookupError)}. Nothing was recorded in the stack. The next \`pulumi up\` looks for it again and adopts it if it exists (or creates it if not)`,
                );
            }
            await backoff(plan, attempt);
        }
    }
}
