import { forgetClaims } from "../../../provider/core/claims";
import { ResourceInitError } from "../../../provider/core/errors";
import { PortSipV12Simulator } from "../../simulators/portsip-v12";
import { PortSipV22Simulator } from "../../simulators/portsip-v22";
import { lifecycle } from "../harness";
import { portSipConfig, tuningConfig } from "../config";

/**
 * Creates that never orphan or duplicate a trunk: a failure after the trunk exists keeps its id,
 * and a trunk left by an interrupted run is adopted (or refused when it differs).
 */

const ADMIN = "admin";
const PBX_PASSWORD = "canary-pbx-recovery-pw-7Yh";
const TRUNK_PASSWORD = "canary-trunk-recovery-pw-3Dd";

const LOGIN = { username: ADMIN, password: PBX_PASSWORD };
const v12 = new PortSipV12Simulator({ adminUser: ADMIN, adminPassword: PBX_PASSWORD });
const v22 = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: PBX_PASSWORD, onlineAfterMs: 200 });
const { provider, logLines, checked } = lifecycle({
    type: "portsip:Trunk",
    simulators: [v12, v22],
    config: () => ({
        ...portSipConfig(v12.baseUrl, LOGIN, "v12", "v12"),
        ...portSipConfig(v22.baseUrl, LOGIN, "v22", "v22"),
        ...tuningConfig("portsip", {
            retryBaseDelayMs: 5,
            requestTimeoutMs: 1000,
            maxRetries: 2,
            statusPollIntervalMs: 20,
        }),
    }),
    secrets: [TRUNK_PASSWORD, PBX_PASSWORD],
});

/** What the engine reads from a ResourceInitError: the object is recorded in the stack. */
interface KeptInStack {
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
}

async function failure(promise: Promise<unknown>): Promise<Error> {
    const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(JSON.stringify(error)).not.toContain(TRUNK_PASSWORD);
    expect((error as Error).message).not.toContain(TRUNK_PASSWORD);
    return error as Error;
}

const V22_TRUNK = {
    connection: "v22",
    name: "rc-carrier",
    hostname: "sip.carrier-rc.example",
    authId: "100200",
    password: TRUNK_PASSWORD,
};

const V12_TRUNK = {
    connection: "v12",
    name: "rc-carrier-12",
    hostname: "sip.carrier-rc12.example",
    authId: "7001",
    password: TRUNK_PASSWORD,
};

/** Answers 503 to every status poll from the moment the PBX has answered one status read. */
function failStatusPollsAfterFirstRead(): void {
    const poll = setInterval(() => {
        if (v22.server.requests.some((entry) => entry.path.endsWith("/status") && entry.outcome === 200)) {
            clearInterval(poll);
            v22.server.injectFaults({
                fault: { kind: "status", status: 503, body: "" },
                times: 1000,
                path: /\/status$/,
            });
        }
    }, 1);
}

describe("a failure after the trunk exists", () => {
    it("keeps the trunk's id when a status poll of waitUntilOnline fails, without the password", async () => {
        const inputs = await checked({ ...V22_TRUNK, waitUntilOnline: true, onlineTimeoutSeconds: 30 });
        v22.server.latencyMs = 5;
        failStatusPollsAfterFirstRead();
        const error = await failure(provider.create(inputs));
        const trunks = v22.listTrunks();
        expect(trunks).toHaveLength(1);
        expect(error).toBeInstanceOf(ResourceInitError);
        const init = error as unknown as KeptInStack;
        expect(init.id).toBe(trunks[0]?.id);
        expect(init.properties).toMatchObject({ name: "rc-carrier", apiVersion: "v22", stateVersion: 2 });
        expect(init.properties).not.toHaveProperty("password");
        expect(init.reasons[0]).toMatch(/HTTP 503/);
    });

    it("keeps the trunk's id, without the password, when the read after the create fails", async () => {
        const inputs = await checked(V22_TRUNK);
        v22.server.injectFaults({
            fault: { kind: "status", status: 503, body: "" },
            times: 1000,
            method: "GET",
            path: /^\/api\/providers\/[^/]+$/,
        });
        const error = await failure(provider.create(inputs));
        expect(error).toBeInstanceOf(ResourceInitError);
        expect((error as unknown as KeptInStack).id).toBe(v22.listTrunks()[0]?.id);
        expect((error as unknown as KeptInStack).properties).not.toHaveProperty("password");
    });
});

describe("a trunk left by an interrupted or failed create", () => {
    it.each([
        ["v22", V22_TRUNK, v22],
        ["v12", V12_TRUNK, v12],
    ] as const)("is adopted on %s when it matches the declared inputs exactly", async (_generation, trunk, sim) => {
        const inputs = await checked(trunk);
        const { id: leftover } = await provider.create(inputs);
        // A new `pulumi up` (a new provider process) knows nothing of the first create.
        forgetClaims();
        sim.server.clearLog();
        const { id, outs } = await provider.create(inputs);
        expect(id).toBe(leftover);
        expect(outs).toMatchObject({ name: trunk.name, hostname: trunk.hostname });
        expect(sim.listTrunks()).toHaveLength(1);
        expect(
            sim.server.requests.filter((entry) => /create$|providers$/.test(entry.path) && entry.method === "POST"),
        ).toEqual([]);
        expect(logLines).toContainEqual(
            `pulumi-voip: PortSIP: create trunk "${trunk.name}": adopted the existing trunk ${id}, which matches the declared inputs exactly; it was left by an interrupted or failed create`,
        );
    });

    it("is refused on v12 (names are unique) when it differs, naming the properties that differ", async () => {
        const { id } = await provider.create(await checked(V12_TRUNK));
        forgetClaims();
        const error = await failure(
            provider.create(await checked({ ...V12_TRUNK, hostname: "other.carrier-rc12.example", authId: "7002" })),
        );
        expect(error.message).toBe(
            `PortSIP: create trunk "rc-carrier-12" failed: a trunk with this name already exists (id ${id}) and differs from the declared inputs in: authId, hostname; trunk names are unique on a v12 PBX: choose another name, or delete that trunk first`,
        );
        expect(v12.listTrunks()).toHaveLength(1);
    });

    it("is not adopted on v22 when it differs: the PBX decides (its own clear refusal)", async () => {
        await provider.create(await checked(V22_TRUNK));
        forgetClaims();
        const error = await failure(provider.create(await checked({ ...V22_TRUNK, port: 5070 })));
        expect(error.message).toMatch(/hostname and auth_id are already used/);
        expect(v22.listTrunks()).toHaveLength(1);
    });
});
