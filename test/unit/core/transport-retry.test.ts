import { decideRetry, MAX_RETRY_AFTER_MS, MAX_TOTAL_RETRY_WAIT_MS, parseRetryAfter } from "../../../provider/core/http";

describe("parseRetryAfter", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");

    it("reads delta-seconds", () => {
        expect(parseRetryAfter("120", now)).toBe(120_000);
        expect(parseRetryAfter(" 0 ", now)).toBe(0);
    });

    it("reads an HTTP-date as the time left until it, and a past date as no wait", () => {
        expect(parseRetryAfter("Mon, 30 Nov 2026 12:01:30 GMT", now)).toBe(90_000);
        expect(parseRetryAfter("Mon, 30 Nov 2026 11:00:00 GMT", now)).toBe(0);
    });

    it("ignores an absent or unreadable value", () => {
        expect(parseRetryAfter(undefined, now)).toBeUndefined();
        expect(parseRetryAfter("soon", now)).toBeUndefined();
        expect(parseRetryAfter("-5", now)).toBeUndefined();
    });
});

describe("decideRetry", () => {
    const plan = { retryNumber: 1, maxRetries: 5, retryBaseDelayMs: 250, waitedMs: 0, retryAfterMs: undefined };

    it("waits out a Retry-After up to the bound exactly", () => {
        expect(decideRetry({ ...plan, retryAfterMs: MAX_RETRY_AFTER_MS })).toEqual({
            retry: true,
            delayMs: MAX_RETRY_AFTER_MS,
        });
        expect(decideRetry({ ...plan, retryAfterMs: 1500 })).toEqual({ retry: true, delayMs: 1500 });
    });

    it("refuses a Retry-After over the bound instead of retrying early", () => {
        expect(decideRetry({ ...plan, retryAfterMs: MAX_RETRY_AFTER_MS + 1000 })).toEqual({
            retry: false,
            retryAfterTooLong: true,
        });
    });

    it("refuses a Retry-After longer than what is left of the total retry wait", () => {
        const waitedMs = MAX_TOTAL_RETRY_WAIT_MS - 30_000;
        expect(decideRetry({ ...plan, waitedMs, retryAfterMs: 40_000 })).toEqual({
            retry: false,
            retryAfterTooLong: true,
        });
        expect(decideRetry({ ...plan, waitedMs, retryAfterMs: 30_000 })).toEqual({ retry: true, delayMs: 30_000 });
    });

    it("backs off exponentially with up to 20% jitter", () => {
        for (const retryNumber of [1, 2, 3]) {
            const decision = decideRetry({ ...plan, retryNumber });
            if (!decision.retry) throw new Error("expected a retry");
            expect(decision.delayMs).toBeGreaterThanOrEqual(250 * 2 ** retryNumber);
            expect(decision.delayMs).toBeLessThanOrEqual(250 * 2 ** retryNumber * 1.2);
        }
    });

    it("stops after maxRetries and when the backoff would exceed the total retry wait", () => {
        expect(decideRetry({ ...plan, retryNumber: 6 })).toEqual({ retry: false, retryAfterTooLong: false });
        expect(decideRetry({ ...plan, waitedMs: MAX_TOTAL_RETRY_WAIT_MS - 100 })).toEqual({
            retry: false,
            retryAfterTooLong: false,
        });
    });
});
