import { VendorApiError } from "./errors";
import { log } from "./log";

/**
 * Creates a vendor object with a non-idempotent call without ever leaving a duplicate.
 *
 * The HTTP layer retries a POST only when the vendor certainly did not act on it (429, refused
 * connection). After an ambiguous failure (5xx, reset, timeout, unreadable answer) the object may
 * or may not exist; this looks for it among the objects that were not there before the attempt
 * and adopts it if found, or sends the POST again if not.
 */
export interface CreateWithoutDuplicates<Created> {
    /** For messages. */
    vendor: string;
    operation: string;
    object: string;
    /** How many times the create call may be sent in all. */
    attempts: number;
    baseDelayMs: number;
    /** What exists before the first attempt (identifiers of candidate objects). */
    snapshot: () => Promise<ReadonlySet<string>>;
    send: () => Promise<Created>;
    /** The object this create made, if the vendor made it: one that matches and was not in `before`. */
    findCreated: (before: ReadonlySet<string>) => Promise<Created | undefined>;
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

export async function createWithoutDuplicates<Created>(plan: CreateWithoutDuplicates<Created>): Promise<Created> {
    const before = await plan.snapshot();
    for (let attempt = 1; ; attempt++) {
        try {
            return await plan.send();
        } catch (error) {
            if (!isAmbiguous(error)) throw error;
            const found = await plan.findCreated(before);
            if (found !== undefined) {
                log.debug(
                    `${plan.vendor}: ${plan.operation} "${plan.object}" failed ambiguously but the object exists; adopting it`,
                );
                return found;
            }
            if (attempt >= plan.attempts) throw error;
            const delay = plan.baseDelayMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.2);
            await new Promise((resolve) => setTimeout(resolve, delay));
        }
    }
}
