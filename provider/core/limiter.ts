import { onProcessReset } from "./process-state";
/**
 * How many requests may be in flight at once to one vendor host: a counting semaphore with a
 * first-come-first-served queue and a deadline on the wait.
 *
 * Written here rather than taken from a library: Bottleneck (last release 2019) is unmaintained;
 * p-limit's current majors are ESM-only while this package is CommonJS for Node >= 20, and its last
 * CommonJS major (3.x, 2020) is no longer maintained. Neither can withdraw a queued task at a
 * deadline, and a request that waited too long for a slot must fail without being sent, never be
 * sent late. The whole mechanism is the forty lines below.
 */

/** A request waited longer than allowed for a free slot; it was never sent. */
export class SlotWaitTimeout extends Error {
    constructor(
        readonly host: string,
        readonly waitedMs: number,
        readonly maxConcurrent: number,
    ) {
        super(
            `not sent: no free connection slot to ${host} within ${waitedMs} ms (${maxConcurrent} requests already in flight)`,
        );
        this.name = "SlotWaitTimeout";
    }
}

/** Gives the slot back; calling it more than once has no further effect. */
export type ReleaseSlot = () => void;

export class HostLimiter {
    private inFlight = 0;
    private readonly queue: Array<(release: ReleaseSlot) => void> = [];

    constructor(
        readonly host: string,
        readonly maxConcurrent: number,
    ) {}

    /** A slot, once one is free; fails with {@link SlotWaitTimeout} if none frees up within `maxWaitMs`. */
    acquire(maxWaitMs: number): Promise<ReleaseSlot> {
        if (this.inFlight < this.maxConcurrent) {
            this.inFlight++;
            return Promise.resolve(this.releaser());
        }
        return new Promise((resolve, reject) => {
            const grant = (release: ReleaseSlot) => {
                clearTimeout(timer);
                resolve(release);
            };
            const timer = setTimeout(() => {
                this.queue.splice(this.queue.indexOf(grant), 1);
                reject(new SlotWaitTimeout(this.host, maxWaitMs, this.maxConcurrent));
            }, maxWaitMs);
            this.queue.push(grant);
        });
    }

    /** Requests holding a slot now (for tests and diagnostics). */
    get active(): number {
        return this.inFlight;
    }

    private releaser(): ReleaseSlot {
        let released = false;
        return () => {
            if (released) return;
            released = true;
            const next = this.queue.shift();
            // The slot passes straight to the next waiter, so the in-flight count stays the same.
            if (next === undefined) this.inFlight--;
            else next(this.releaser());
        };
    }
}

// Process-wide on purpose: every resource of every type that talks to one host shares one limit.
const limiters = new Map<string, HostLimiter>();
onProcessReset(() => {
    limiters.clear();
});

/** The limiter of a host (`name:port`); the first caller sets its limit, later ones share it. */
export function limiterForHost(host: string, maxConcurrent: number): HostLimiter {
    let limiter = limiters.get(host);
    if (limiter === undefined) {
        limiter = new HostLimiter(host, maxConcurrent);
        limiters.set(host, limiter);
    }
    return limiter;
}
