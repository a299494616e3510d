import type { Stack } from "@pulumi/pulumi/automation";
import { portsip } from "../../provider";
import { PortSipV12Simulator } from "../simulators/portsip-v12";
import { PortSipV22Simulator } from "../simulators/portsip-v22";
import { changes, dynamicResources, E2EEnvironment, recorder } from "./harness";

/**
 * A stack written by pulumi-voip 0.1 keeps working, with no diff, under a program that declares
 * `didNumbers` and `additionalIps` as lists. pulumi-voip 0.1 stored both as `;`-joined text
 * (state version 1). The stack is first deployed by the program, then its checkpoint is put back
 * into exactly what 0.1 wrote for the same trunks (inputs and outputs below, taken from a
 * checkpoint 0.1.0 wrote; only `__provider` is the current one, which 0.1 serialized the same
 * way), and the PBXs hold what 0.1 sent them (the entries in the order the user wrote them).
 * On the real engine: preview, refresh and up show no change; the state reaches version 2 at the
 * refresh; a later change to a list is an ordinary update.
 */

const ADMIN = "admin";
const env = new E2EEnvironment("state-upgrade");
const east = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: "canary-east-admin-pw-Qe4" });
const west = new PortSipV12Simulator({ adminUser: ADMIN, adminPassword: "canary-west-admin-pw-Lm7" });

const PROJECT = "state-upgrade";
const STACK = "e2e";

/** The program of today: the same trunks 0.1 deployed, with lists in the order the user wrote them. */
let eastDids = ["4155550300", "4155550100 - 4155550199"];

function program(): Promise<Record<string, unknown>> {
    new portsip.Trunk("e", {
        connection: "east",
        authMode: "IP_AUTH",
        hostname: "198.51.100.7",
        didNumbers: eastDids,
        additionalIps: ["203.0.113.10", "198.51.100.0/24", "2001:DB8::/32"],
    });
    new portsip.Trunk("w", {
        connection: "west",
        authMode: "IP_AUTH",
        hostname: "198.51.100.8",
        additionalIps: ["203.0.113.10", "198.51.100.0/24"],
    });
    return Promise.resolve({});
}

/** What 0.1 stored as inputs of trunk "e" (v22), declared with the joined text of the same entries. */
const V01_EAST_INPUTS = {
    additionalIps: "203.0.113.10/32;198.51.100.0/24;2001:db8::/32",
    adjustSdpDirection: true,
    authMode: "IP_AUTH",
    connection: "east",
    didNumbers: "4155550300;4155550100-4155550199",
    enabled: true,
    hostname: "198.51.100.7",
    inLan: false,
    keepAlive: true,
    keepAliveInterval: 360,
    name: "e",
    outboundServerPort: 0,
    port: 5060,
    registerInterval: 600,
    registration: false,
    removeSrtpInfo: true,
    rewriteViaIp: true,
    singleViaHeader: true,
    stirShakenSignatureRequired: false,
    transport: "UDP",
    verifyPort: true,
    waitUntilOnline: false,
};

/** What 0.1 stored as inputs of trunk "w" (v12). */
const V01_WEST_INPUTS = {
    additionalIps: "203.0.113.10/32;198.51.100.0/24",
    authMode: "IP_AUTH",
    connection: "west",
    hostname: "198.51.100.8",
    inLan: false,
    inParameters: [],
    name: "w",
    outParameters: [],
    outboundServerPort: 0,
    port: 5060,
    registerInterval: 600,
    registration: false,
    singleViaHeader: true,
    transport: "UDP",
    waitUntilOnline: false,
};

const V01_STATE: Record<string, { inputs: Record<string, unknown>; outputs: Record<string, unknown> }> = {
    e: {
        inputs: V01_EAST_INPUTS,
        outputs: { ...V01_EAST_INPUTS, apiVersion: "v22", shared: false, stateVersion: 1, status: "ONLINE" },
    },
    w: {
        inputs: V01_WEST_INPUTS,
        outputs: { ...V01_WEST_INPUTS, apiVersion: "v12", stateVersion: 1, status: "ONLINE" },
    },
};

interface DeploymentResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? "";
}

/** The trunks' stored inputs and outputs, as 0.1 wrote them; everything else of the checkpoint as it is. */
async function rewriteAs01(stack: Stack): Promise<void> {
    const exported = await stack.exportStack();
    const deployment = exported.deployment as { resources: DeploymentResource[] };
    for (const resource of deployment.resources) {
        const v01 = V01_STATE[nameOf(resource.urn)];
        if (v01 === undefined || !resource.type.startsWith("pulumi-nodejs:dynamic/")) continue;
        resource.inputs = { ...v01.inputs, __provider: resource.inputs?.["__provider"] };
        resource.outputs = { ...v01.outputs, __provider: resource.outputs?.["__provider"] };
    }
    await stack.importStack(exported);
}

function stored(name: string) {
    const found = dynamicResources(env.checkpoint(PROJECT, STACK)).find((resource) => nameOf(resource.urn) === name);
    if (found === undefined) throw new Error(`no resource ${name} in the checkpoint`);
    const { __provider: _in, ...inputs } = found.inputs ?? {};
    const { __provider: _out, ...outputs } = found.outputs ?? {};
    return { id: found.id ?? "", inputs, outputs };
}

function trunkWrites(): string[] {
    const writes = (sim: { server: { requests: { method: string; path: string }[] } }) =>
        sim.server.requests
            .filter((entry) => entry.method === "POST" && !entry.path.includes("sign_in"))
            .map((entry) => `${entry.method} ${entry.path}`);
    return [...writes(east), ...writes(west)];
}

function clearLogs(): void {
    east.server.clearLog();
    west.server.clearLog();
}

let stack: Stack;

beforeAll(async () => {
    await east.start();
    await west.start();
    stack = await env.stack({
        project: PROJECT,
        stack: STACK,
        program,
        config: {
            "portsip:east.url": { value: east.baseUrl },
            "portsip:east.username": { value: ADMIN },
            "portsip:east.password": { value: "canary-east-admin-pw-Qe4", secret: true },
            "portsip:east.apiVersion": { value: "v22" },
            "portsip:west.url": { value: `${west.baseUrl}/api` },
            "portsip:west.username": { value: ADMIN },
            "portsip:west.password": { value: "canary-west-admin-pw-Lm7", secret: true },
            "portsip:west.apiVersion": { value: "v12" },
        },
    });
    const result = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    // The PBXs hold what 0.1 sent: the canonical entries in the order the user wrote them.
    east.editTrunk(stored("e").id, {
        did_numbers: "4155550300;4155550100-4155550199",
        additional_ips: "203.0.113.10/32;198.51.100.0/24;2001:db8::/32",
    });
    west.editTrunk(stored("w").id, { ips: ["203.0.113.10/32", "198.51.100.0/24"] });
    await rewriteAs01(stack);
});

afterAll(async () => {
    await east.stop();
    await west.stop();
    env.cleanup();
});

describe("state written by pulumi-voip 0.1 (joined text, state version 1) under a program of lists", () => {
    it("starts from exactly what 0.1 stored", () => {
        for (const name of ["e", "w"]) {
            expect(stored(name)).toMatchObject({ inputs: V01_STATE[name]!.inputs, outputs: V01_STATE[name]!.outputs });
        }
    });

    it("previews no change, with no write to either PBX", async () => {
        clearLogs();
        const rec = recorder();
        await stack.preview({ expectNoChanges: true, onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(changes(rec.record)).toEqual([]);
        expect(trunkWrites()).toEqual([]);
    });

    it("refreshes with no change, storing the lists and state version 2", async () => {
        const rec = recorder();
        const refresh = await stack.refresh({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        const counted = refresh.summary.resourceChanges ?? {};
        expect(Object.keys(counted).filter((op) => op !== "same")).toEqual([]);
        expect(changes(rec.record)).toEqual([]);
        expect(stored("e").outputs).toMatchObject({
            stateVersion: 2,
            didNumbers: ["4155550100-4155550199", "4155550300"],
            additionalIps: ["198.51.100.0/24", "203.0.113.10/32", "2001:db8::/32"],
        });
        expect(stored("e").inputs["didNumbers"]).toEqual(["4155550100-4155550199", "4155550300"]);
        expect(stored("w").outputs).toMatchObject({
            stateVersion: 2,
            additionalIps: ["198.51.100.0/24", "203.0.113.10/32"],
        });
    });

    it("then previews and deploys no change", async () => {
        clearLogs();
        await stack.preview({ expectNoChanges: true });
        const result = await stack.up();
        expect(Object.keys(result.summary.resourceChanges ?? {}).filter((op) => op !== "same")).toEqual([]);
        expect(trunkWrites()).toEqual([]);
    });

    it("updates a list in place as any other property, joined with ';' on the v22 wire", async () => {
        eastDids = [...eastDids, "4155550400"];
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(changes(rec.record)).toEqual(["e update [didNumbers]"]);
        clearLogs();
        await stack.up();
        const patch = east.server.requests.find(
            (entry) => entry.method === "POST" && entry.path !== "/api/auth/sign_in",
        );
        expect(JSON.parse(patch?.rawBody ?? "{}")).toEqual({
            did_numbers: "4155550100-4155550199;4155550300;4155550400",
        });
        await stack.preview({ expectNoChanges: true });
    });
});
