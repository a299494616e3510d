import { VendorApiError, type VendorErrorKind } from "../../../provider/core/errors";
import { MAX_FAILED_LOGINS, loginCount, resetSessions, withSession } from "../../../provider/core/session";

/**
 * A connection stops logging in after a few failed logins in one run, whatever the failure, so a
 * broken login can never add up to a vendor's lockout (OpenVox: 5 failed logins in 10 minutes).
 */

function failure(kind: VendorErrorKind): VendorApiError {
    return new VendorApiError({ kind, vendor: "PBX", operation: "log in", object: "api-user", status: 503 });
}

const FAILURES: [string, () => Error][] = [
    ["refused connections", () => failure("Network")],
    ["timeouts", () => failure("Timeout")],
    ["5xx answers", () => failure("Server")],
    ["bad answers", () => failure("BadResponse")],
    ["errors of the login code itself", () => new Error("no token in the answer")],
];

describe("withSession: the login attempt limit", () => {
    afterEach(resetSessions);

    it("allows 3 failed logins per connection per run", () => {
        expect(MAX_FAILED_LOGINS).toBe(3);
    });

    it.each(FAILURES)(
        "stops logging in after %s, then fails every call at once naming the connection",
        async (_, fail) => {
            let attempts = 0;
            let calls = 0;
            const plan = {
                key: "openvox https://pbx.example api-user",
                login: () => {
                    attempts++;
                    return Promise.reject(fail());
                },
                call: () => {
                    calls++;
                    return Promise.resolve("never");
                },
                isExpired: () => false,
            };
            const first: unknown[] = [];
            for (let index = 0; index < MAX_FAILED_LOGINS; index++)
                first.push(await withSession(plan).catch((e: unknown) => e));
            // The calls that sent a login see its own failure.
            expect(first.map((error) => (error as Error).message).filter((m) => m.includes("in this run"))).toEqual([]);
            expect(attempts).toBe(MAX_FAILED_LOGINS);
            const after = await Promise.all(
                Array.from({ length: 4 }, () => withSession(plan).catch((e: unknown) => e)),
            );
            expect(attempts).toBe(MAX_FAILED_LOGINS);
            expect(loginCount(plan.key)).toBe(MAX_FAILED_LOGINS);
            expect(calls).toBe(0);
            for (const error of after) {
                expect(error).toBeInstanceOf(Error);
                const message = (error as Error).message;
                expect(message).toContain("openvox https://pbx.example api-user");
                expect(message).toContain("3 failed logins in this run");
                expect(message).toContain("no more logins are sent on this connection until the next run");
                expect(message).toContain("lockout");
                expect(VendorApiError.isInstance(error)).toBe(false);
            }
        },
    );

    it("counts a login that throws before it sends anything", async () => {
        let attempts = 0;
        const plan = {
            key: "pbx-sync",
            login: (): Promise<string> => {
                attempts++;
                throw new Error("cannot build the login request");
            },
            call: () => Promise.resolve("never"),
            isExpired: () => false,
        };
        for (let index = 0; index < 5; index++) await withSession(plan).catch(() => undefined);
        expect(attempts).toBe(MAX_FAILED_LOGINS);
    });

    it("counts failures across token renewals and keeps other connections apart", async () => {
        let attempts = 0;
        const valid = new Set<string>();
        const broken = {
            key: "pbx-renew",
            login: () => {
                attempts++;
                if (attempts === 1) {
                    valid.add("t1");
                    return Promise.resolve("t1");
                }
                return Promise.reject(failure("Server"));
            },
            call: (token: string) => (valid.has(token) ? Promise.resolve(token) : Promise.reject(new Error("expired"))),
            isExpired: (error: unknown) => error instanceof Error && error.message === "expired",
        };
        await expect(withSession(broken)).resolves.toBe("t1");
        valid.clear();
        for (let index = 0; index < 5; index++) await withSession(broken).catch(() => undefined);
        // One successful login, then three failed renewals: the successful one does not count.
        expect(attempts).toBe(1 + MAX_FAILED_LOGINS);
        await expect(withSession(broken)).rejects.toThrow("pbx-renew: 3 failed logins in this run");

        const healthy = {
            key: "pbx-other",
            login: () => Promise.resolve("ok"),
            call: (t: string) => Promise.resolve(t),
            isExpired: () => false,
        };
        await expect(withSession(healthy)).resolves.toBe("ok");
    });

    it("still stops at the first refused credential", async () => {
        let attempts = 0;
        const plan = {
            key: "pbx-refused",
            login: () => {
                attempts++;
                return Promise.reject(failure("Auth"));
            },
            call: () => Promise.resolve("never"),
            isExpired: () => false,
        };
        for (let index = 0; index < 5; index++) await withSession(plan).catch(() => undefined);
        expect(attempts).toBe(1);
    });
});
