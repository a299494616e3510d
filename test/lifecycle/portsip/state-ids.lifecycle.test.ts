import { PortSipV12Simulator } from "../../simulators/portsip-v12";
import { PortSipV22Simulator } from "../../simulators/portsip-v22";
import { lifecycle } from "../harness";
import { portSipConfig, tuningConfig } from "../config";
import { BAD_IDS, expectRefusedBeforeAnyRequest } from "../state-ids";
import { MAX_FAILED_LOGINS } from "../../../provider/core/session";

/**
 * What comes from outside the program (ids in the state, the PBX URL in stack config) is checked
 * before anything is sent, and a login is never sent twice for one attempt.
 */

const ADMIN = "admin";
const PBX_PASSWORD = "canary-pbx-state-ids-pw-6Tn";
const URL_PASSWORD = "canary-pbx-url-pw-2Gv";

const LOGIN = { username: ADMIN, password: PBX_PASSWORD };
const v12 = new PortSipV12Simulator({ adminUser: ADMIN, adminPassword: PBX_PASSWORD });
const v22 = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: PBX_PASSWORD });
const { provider, configure } = lifecycle({
    type: "portsip:Trunk",
    simulators: [v12, v22],
    config: () => ({
        ...portSipConfig(v12.baseUrl, LOGIN, "v12", "v12"),
        ...portSipConfig(v22.baseUrl, LOGIN, "v22", "v22"),
        ...tuningConfig("portsip", { retryBaseDelayMs: 5, maxRetries: 4, requestTimeoutMs: 300 }),
    }),
});

function state(generation: "v12" | "v22"): Record<string, unknown> {
    return {
        connection: generation,
        name: "si-trunk",
        authMode: "IP_AUTH",
        transport: "UDP",
        hostname: "sip.example.com",
        port: 5060,
        registerInterval: 600,
        outboundServerPort: 0,
        inLan: false,
        singleViaHeader: true,
        waitUntilOnline: false,
        apiVersion: generation,
        status: "ONLINE",
        stateVersion: 1,
    };
}

const NOUNS = { read: "read trunk", update: "read trunk", delete: "delete trunk" };

describe("ids from the state", () => {
    it.each([...BAD_IDS, "0123", "-1"])(
        "v12: refuses the id %j before any request, for read, update and delete",
        async (id) => {
            await expectRefusedBeforeAnyRequest(provider, v12.server, id, state("v12"), NOUNS);
        },
    );

    it.each([...BAD_IDS, "a/b", "a.b"])(
        "v22: refuses the id %j before any request, for read, update and delete",
        async (id) => {
            await expectRefusedBeforeAnyRequest(provider, v22.server, id, state("v22"), NOUNS);
        },
    );

    it("v12 takes an 18-digit id above 2^53 and v22 an opaque base64 id, encoded in the path", async () => {
        jest.spyOn(console, "error").mockImplementation(() => undefined);
        await expect(provider.read("884757570370146304", state("v12"))).resolves.toEqual({ id: "", props: {} });
        await expect(provider.read("NzAwNTUxOTA5NzczMTQ4MTYw", state("v22"))).resolves.toEqual({ id: "", props: {} });
        expect(v22.server.requests.map((entry) => `${entry.method} ${entry.path}`)).toContain(
            "GET /api/providers/NzAwNTUxOTA5NzczMTQ4MTYw",
        );
        jest.restoreAllMocks();
    });
});

describe("the PBX URL", () => {
    it.each(["v12", "v22"] as const)(
        "%s: refuses user:pass@ in the URL naming the key, without repeating it, before any request",
        async (generation) => {
            const server = generation === "v12" ? v12.server : v22.server;
            const withCredentials = server.baseUrl.replace("http://", `http://${ADMIN}:${URL_PASSWORD}@`);
            await configure({ [`portsip:${generation}.url`]: withCredentials });
            const error = await provider.read("1", state(generation)).then(
                () => undefined,
                (e: unknown) => e as Error,
            );
            expect(error?.message).toBe(
                `PortSIP: refresh trunk "si-trunk" (id 1): portsip:${generation}.url must not carry a user name or password ("user:pass@host"); the value is not shown here. Remove them from the URL and set portsip:${generation}.username and portsip:${generation}.password instead`,
            );
            expect(server.requests).toEqual([]);
        },
    );

    it("reports it at check when the generation is detected, without the password and without a request", async () => {
        const withCredentials = v22.baseUrl.replace("http://", `http://${ADMIN}:${URL_PASSWORD}@`);
        await configure({
            "portsip:url": withCredentials,
            "portsip:username": ADMIN,
            "portsip:password": PBX_PASSWORD,
        });
        const result = await provider.check(
            {},
            { __provider: "serialized", name: "si-check", hostname: "sip.example.com" },
        );
        expect(JSON.stringify(result.failures)).toContain("portsip:url must not carry a user name or password");
        expect(JSON.stringify(result)).not.toContain(URL_PASSWORD);
        expect(v22.server.requests).toEqual([]);
    });
});

describe("logins on a PBX slower than requestTimeoutMs", () => {
    // PortSIP documents no lockout of failed logins: the session tries a transiently failed login
    // again, but the transport never re-sends one, and the run's cap of failed logins holds.
    it.each([
        ["v12", /\/api\/account\/credentials\/verify$/],
        ["v22", /\/api\/auth\/sign_in$/],
    ] as const)(
        "%s: never re-sent by the transport; at most the cap of failed logins per run",
        async (generation, path) => {
            const server = generation === "v12" ? v12.server : v22.server;
            server.injectFaults({ fault: { kind: "hang" }, times: 100, path, when: "after" });
            await expect(provider.read("1", state(generation))).rejects.toThrow(
                /log in to connection .* no complete answer within 300 ms/,
            );
            await expect(provider.read("1", state(generation))).rejects.toThrow(
                new RegExp(`${MAX_FAILED_LOGINS} failed logins in this run`),
            );
            expect(server.requests).toHaveLength(MAX_FAILED_LOGINS);
            for (const entry of server.requests) expect(entry.path).toMatch(path);
        },
    );
});
