/**
 * The one named place for what a provider process keeps between hook calls: stack config,
 * login sessions, registered secrets, create claims, per-host limiters, detected PBX generations,
 * DID claims, DNS answers, route lists. One provider process serves one `pulumi` run, so all of
 * it is per run; this module is loaded at run time from the installed package and never serialized.
 *
 * Each module that holds such state registers how to forget it, once, when it loads; tests (and
 * anything else that simulates a new run inside one process) call {@link resetProcessState}
 * instead of remembering every module's own reset.
 */

const forgetters: (() => void)[] = [];

/** Called once by each module that holds process-wide state, at load. */
export function onProcessReset(forget: () => void): void {
    forgetters.push(forget);
}

/** Forgets everything a provider process keeps, as when the engine starts a new run. */
export function resetProcessState(): void {
    for (const forget of forgetters) forget();
}
