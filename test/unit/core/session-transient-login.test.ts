import { VendorApiError } from "../../../provider/core/errors";
import { resetProcessState } from "../../../provider/core/process-state";
import { loginCount, MAX_FAILED_LOGINS, withSession, type SessionPlan } from "../../../provider/core/session";

/** Logins that fail transiently `failures` times, then hand out a token. */
function plan(key: string, failures: number, retryDelayMs?: number): SessionPlan<string, string> {
    let attempts = 0;
    return {
        key,
        login: () => {
            attempts += 1;
            if (attempts <= failures) {
                return Promise.reject(
                    new VendorApiError({ kind: "Server", vendor: "acme", operation: "log in", status: 503 }),
                );
            }
            return Promise.resolve(`token-${attempts}`);
        },
        call: (token) => Promise.resolve(`called with ${token}`),
        isExpired: () => false,
        ...(retryDelayMs === undefined ? {} : { transientLoginRetryDelayMs: retryDelayMs }),
    };
}

beforeEach(resetProcessState);

describe("a login that fails transiently", () => {
    it("is tried again by the session when the vendor has no lockout, within the cap", async () => {
        await expect(withSession(plan("no-lockout", MAX_FAILED_LOGINS - 1, 1))).resolves.toBe(
            `called with token-${MAX_FAILED_LOGINS}`,
        );
        expect(loginCount("no-lockout")).toBe(MAX_FAILED_LOGINS);
    });

    it("stops at the cap of failed logins per run, never sending one more", async () => {
        await expect(withSession(plan("always-down", 100, 1))).rejects.toThrow(/HTTP 503/);
        expect(loginCount("always-down")).toBe(MAX_FAILED_LOGINS);
        await expect(withSession(plan("always-down", 100, 1))).rejects.toThrow(/failed logins in this run/);
        expect(loginCount("always-down")).toBe(MAX_FAILED_LOGINS);
    });

    it("is not tried again for a vendor that locks addresses out (no retry delay given)", async () => {
        await expect(withSession(plan("lockout", 1))).rejects.toThrow(/HTTP 503/);
        expect(loginCount("lockout")).toBe(1);
    });
});
