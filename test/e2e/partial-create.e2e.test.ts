import type { Stack } from "@pulumi/pulumi/automation";
import { portsip } from "../../provider";
import type { TrunkArgs } from "../../provider/vendors/portsip";
import { PortSipV22Simulator } from "../simulators/portsip-v22";
import { dynamicResources, E2EEnvironment, recorder } from "./harness";

/**
 * A create that leaves the vendor object behind but cannot finish it (here: a PortSIP trunk that
 * never comes ONLINE within its wait) on the real pulumi engine. The engine keeps such a resource
 * from the error's id and properties alone: the user must read the vendor's reason, and the plain
 * `pulumi refresh` and `pulumi destroy` that follow must work on what the engine stored.
 */

const ADMIN = "admin";
const ADMIN_PASSWORD = "canary-partial-admin-pw-8Kd";
const TRUNK_PASSWORD = "canary-partial-trunk-pw-Qe4";
const PROJECT = "ps-partial";

const env = new E2EEnvironment("partial");
// New trunks stay OFFLINE until the test says otherwise: the wait for ONLINE times out.
const pbx = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: ADMIN_PASSWORD, onlineAfterMs: Infinity });

const TRUNK: TrunkArgs = {
    connection: "east",
    name: "slow-carrier",
    hostname: "sip.slow-carrier.example",
    authId: "900100",
    password: TRUNK_PASSWORD,
    didNumbers: ["4155550900"],
    waitUntilOnline: true,
    onlineTimeoutSeconds: 1,
};

function program(): Promise<Record<string, unknown>> {
    const trunk = new portsip.Trunk("slow", TRUNK);
    return Promise.resolve({ id: trunk.id });
}

function newStack(): Promise<Stack> {
    return env.stack({
        project: PROJECT,
        stack: "e2e",
        program,
        config: {
            "portsip:east.url": { value: pbx.baseUrl },
            "portsip:east.username": { value: ADMIN },
            "portsip:east.password": { value: ADMIN_PASSWORD, secret: true },
            "portsip:east.apiVersion": { value: "v22" },
            "portsip:retryBaseDelayMs": { value: "20" },
            "portsip:requestTimeoutMs": { value: "3000" },
            "portsip:statusPollIntervalMs": { value: "50" },
        },
    });
}

function storedTrunk(): { id?: string; outputs?: Record<string, unknown>; initErrors?: string[] } | undefined {
    return dynamicResources(env.checkpoint(PROJECT, "e2e")).find((resource) => resource.urn.endsWith("::slow"));
}

beforeAll(async () => {
    await pbx.start();
});

afterAll(async () => {
    await pbx.stop();
    env.cleanup();
});

describe("a partially created trunk on the pulumi engine", () => {
    let stack: Stack;
    let allOutput = "";

    beforeAll(async () => {
        stack = await newStack();
    });

    it("fails the up with the vendor's reason and records the trunk with its id", async () => {
        const rec = recorder();
        const error = await stack.up({ onOutput: rec.onOutput }).catch((e: unknown) => e);
        allOutput += rec.record.stdout + String(error);
        expect(error).toBeInstanceOf(Error);
        const trunks = pbx.listTrunks();
        expect(trunks).toHaveLength(1);
        const id = trunks[0]!.id;
        expect(rec.record.stdout).toContain(
            `PortSIP: trunk "slow-carrier" (${id}) is still OFFLINE after 1 s (waitUntilOnline); it exists and is kept in the stack`,
        );

        const stored = storedTrunk();
        expect(stored?.id).toBe(id);
        expect(stored?.initErrors?.join("\n")).toContain("is still OFFLINE after 1 s");
        // What refresh and destroy need: the serialized provider and a state version.
        expect(typeof stored?.outputs?.["__provider"]).toBe("string");
        expect(stored?.outputs).toMatchObject({
            name: "slow-carrier",
            hostname: "sip.slow-carrier.example",
            status: "OFFLINE",
            stateVersion: expect.any(Number) as unknown,
        });
    });

    it("refreshes the partially created trunk", async () => {
        const rec = recorder();
        const result = await stack.refresh({ onOutput: rec.onOutput });
        allOutput += rec.record.stdout;
        expect(result.summary.result).toBe("succeeded");
        expect(storedTrunk()?.id).toBe(pbx.listTrunks()[0]!.id);
    });

    it("destroys it: the PBX holds no trunk afterwards", async () => {
        const rec = recorder();
        const result = await stack.destroy({ onOutput: rec.onOutput });
        allOutput += rec.record.stdout;
        expect(result.summary.result).toBe("succeeded");
        expect(pbx.listTrunks()).toEqual([]);
        expect(storedTrunk()).toBeUndefined();
    });

    it("never showed or stored a password in plaintext", () => {
        const stored = env.backendText();
        for (const secret of [ADMIN_PASSWORD, TRUNK_PASSWORD]) {
            expect(allOutput).not.toContain(secret);
            expect(stored).not.toContain(secret);
        }
    });
});
