import type { Route } from "./model";
import { onProcessReset } from "../../../core/process-state";

/**
 * Per-account state of the provider process: the account's route list, shared by every read of
 * one run, and a queue that lets one create run at a time per account.
 *
 * Process-wide on purpose: one provider process serves every resource of one `pulumi` operation
 * (this module is loaded from the installed package and never serialized). The only read the
 * API has lists every route of the account, so a refresh of N gateways must share one list:
 *
 * - concurrent reads join the list request in flight, later reads reuse its answer;
 * - every write of this process drops the list, both when it starts and when it ends, so no read
 *   that starts after a write has finished is served a list from before it;
 * - a failed list is not kept.
 */

const lists = new Map<string, Promise<Route[]>>();
const queues = new Map<string, Promise<void>>();
let listRequests = 0;
onProcessReset(() => {
    lists.clear();
    queues.clear();
    listRequests = 0;
});

/** The account's routes: the list of this run if there is one, else a new list request. */
export function cachedRoutes(account: string, fetch: () => Promise<Route[]>): Promise<Route[]> {
    const cached = lists.get(account);
    if (cached !== undefined) return cached;
    listRequests += 1;
    const request = fetch();
    lists.set(account, request);
    request.catch(() => {
        if (lists.get(account) === request) lists.delete(account);
    });
    return request;
}

/** A list made after this call (for decisions that must see the latest state); it becomes the cached one. */
export function freshRoutes(account: string, fetch: () => Promise<Route[]>): Promise<Route[]> {
    lists.delete(account);
    return cachedRoutes(account, fetch);
}

/** Runs a write; the account's cached list is dropped before and after it, whatever its outcome. */
export async function writing<T>(account: string, write: () => Promise<T>): Promise<T> {
    lists.delete(account);
    try {
        return await write();
    } finally {
        lists.delete(account);
    }
}

/**
 * Runs `task` after every task queued before it for the same account has settled. Creates go
 * through here: the add answer lists every route without marking the new one, so the new route
 * is told apart by comparing with the list taken just before, which holds only if no other create
 * of ours runs in between.
 */
export function oneAtATime<T>(account: string, task: () => Promise<T>): Promise<T> {
    const previous = queues.get(account) ?? Promise.resolve();
    const run = previous.then(task);
    const settled = run.then(
        () => undefined,
        () => undefined,
    );
    queues.set(account, settled);
    void settled.then(() => {
        if (queues.get(account) === settled) queues.delete(account);
    });
    return run;
}

/** How many list requests this process started (for tests and benchmarks). */
export function listRequestCount(): number {
    return listRequests;
}

/** For tests: forget cached lists (queued tasks still run). */
export function resetRouteCache(): void {
    lists.clear();
    listRequests = 0;
}
