import { onProcessReset } from "./process-state";

/**
 * The vendor objects resources of this provider process have taken: made, adopted as the
 * leftover of an interrupted create (core/create.ts), or taken over with `adopt`
 * (core/adopt.ts). One process serves every resource of one `pulumi` operation, so one list
 * serves both ways: an object one resource took is never taken by another in the same run.
 *
 * An object is named by its id within a scope: what its ids are unique within, an account or a
 * device, named by the vendor API's URL (with the account's digest where one URL serves many), so
 * the scopes of two vendors never meet.
 */

const claims = new Set<string>();
onProcessReset(forgetClaims);

function claimKey(scope: string, id: string): string {
    return JSON.stringify([scope, id]);
}

/** Records that a resource of this run has taken object `id` of `scope`. */
export function claim(scope: string, id: string): void {
    claims.add(claimKey(scope, id));
}

/** Whether a resource of this run has taken object `id` of `scope`. */
export function isClaimed(scope: string, id: string): boolean {
    return claims.has(claimKey(scope, id));
}

/** For tests: a new provider process (a new `pulumi up`) knows no claims. */
export function forgetClaims(): void {
    claims.clear();
}
