import { VendorApiError } from "../../../provider/core/errors";
import { loginCount, resetSessions, withSession } from "../../../provider/core/session";

function authError(): VendorApiError {
    return new VendorApiError({
        kind: "Auth",
        vendor: "PBX",
        operation: "log in",
        status: 401,
        vendorMessage: "bad password",
    });
}

describe("withSession", () => {
    afterEach(resetSessions);

    it("logs in once for many concurrent calls and shares the token", async () => {
        let logins = 0;
        const results = await Promise.all(
            Array.from({ length: 10 }, (_, index) =>
                withSession({
                    key: "pbx-a",
                    login: async () => {
                        logins++;
                        await new Promise((resolve) => setTimeout(resolve, 10));
                        return `token-${logins}`;
                    },
                    call: (token) => Promise.resolve(`${token}/${index}`),
                    isExpired: () => false,
                }),
            ),
        );
        expect(logins).toBe(1);
        expect(results[9]).toBe("token-1/9");
    });

    it("renews an expired token once and retries the call once", async () => {
        let logins = 0;
        const valid = new Set<string>();
        const plan = {
            key: "pbx-b",
            login: () => {
                const token = `token-${++logins}`;
                valid.add(token);
                return Promise.resolve(token);
            },
            call: (token: string) => (valid.has(token) ? Promise.resolve(token) : Promise.reject(new Error("expired"))),
            isExpired: (error: unknown) => error instanceof Error && error.message === "expired",
        };
        await expect(withSession(plan)).resolves.toBe("token-1");
        valid.clear();
        await expect(Promise.all([withSession(plan), withSession(plan)])).resolves.toEqual(["token-2", "token-2"]);
        expect(loginCount("pbx-b")).toBe(2);
    });

    it("never logs in again after the credentials were refused", async () => {
        let attempts = 0;
        const plan = {
            key: "pbx-c",
            login: () => {
                attempts++;
                return Promise.reject(authError());
            },
            call: () => Promise.resolve("never"),
            isExpired: () => false,
        };
        const errors = await Promise.all(Array.from({ length: 5 }, () => withSession(plan).catch((e: unknown) => e)));
        await expect(withSession(plan)).rejects.toThrow("PBX: log in failed (HTTP 401): bad password");
        expect(errors.every((error) => VendorApiError.isInstance(error, "Auth"))).toBe(true);
        expect(attempts).toBe(1);
    });

    it("tries the login again after a transient failure", async () => {
        let attempts = 0;
        const plan = {
            key: "pbx-d",
            login: () =>
                ++attempts === 1
                    ? Promise.reject(
                          new VendorApiError({ kind: "Server", vendor: "PBX", operation: "log in", status: 503 }),
                      )
                    : Promise.resolve("t"),
            call: (token: string) => Promise.resolve(token),
            isExpired: () => false,
        };
        await expect(withSession(plan)).rejects.toThrow("HTTP 503");
        await expect(withSession(plan)).resolves.toBe("t");
    });
});
