/**
 * The one backoff of the provider: exponential with up to 20% jitter, so resources that failed
 * together do not retry together. The transport's retry loop, the safe create's lookups and
 * OpenVox's too-frequent writes all wait through it.
 */

/**
 * The wait after `doublings` doublings of `baseDelayMs`, with jitter: `baseDelayMs * 2^doublings * [1, 1.2)`.
 * @param baseDelayMs the first step (the `retryBaseDelayMs` setting of the vendor).
 * @param doublings how many times the step has doubled so far (0 for the first wait).
 */
export function backoffDelayMs(baseDelayMs: number, doublings: number): number {
    return baseDelayMs * 2 ** doublings * (1 + Math.random() * 0.2);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
