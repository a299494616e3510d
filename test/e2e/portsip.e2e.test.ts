import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { portsip } from "../../provider";
import type { TrunkArgs } from "../../provider/vendors/portsip";
import { PortSipV12Simulator } from "../simulators/portsip-v12";
import { PortSipV22Simulator } from "../simulators/portsip-v22";
import {
    changes,
    dynamicResources,
    E2EEnvironment,
    portSipConfig,
    recorder,
    tuningConfig,
    type OperationRecord,
} from "./harness";

/**
 * portsip.Trunk on the real pulumi engine, one stack managing trunks on two PBXs at once: "east"
 * (PortSIP v22, generation pinned) and "west" (PortSIP v12, generation detected). Preview without
 * API calls, up, no-change preview, drift and refresh, in-place update, a password change that is
 * never shown, replace on an auth-mode change, out-of-band delete, secrets audit, refresh and
 * destroy from another checkout; preview-time validation; faults during a 20-trunk up.
 */

const ADMIN = "admin";
const EAST_ADMIN_PASSWORD = "canary-east-admin-pw-6Hb";
const WEST_ADMIN_PASSWORD = "canary-west-admin-pw-1Tq";
const SIP_PASSWORDS = {
    east: "canary-east-trunk-pw-Ud3",
    eastNew: "canary-east-trunk-pw2-Xw8",
    west: "canary-west-trunk-pw-Pf5",
    westNew: "canary-west-trunk-pw2-Nc0",
};
const ALL_SECRETS = [EAST_ADMIN_PASSWORD, WEST_ADMIN_PASSWORD, ...Object.values(SIP_PASSWORDS)];

const env = new E2EEnvironment("portsip");
const east = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: EAST_ADMIN_PASSWORD, onlineAfterMs: 400 });
const west = new PortSipV12Simulator({ adminUser: ADMIN, adminPassword: WEST_ADMIN_PASSWORD });

/** What the program declares; tests change it between operations. */
let desired: Record<string, TrunkArgs> = {};
/** Trunks whose name depends on another trunk's output (unknown during preview until it exists). */
let mirrorOf: string | undefined;
/** Everything the CLI printed, across operations: audited for secrets at the end. */
let allOutput = "";

function program(): Promise<Record<string, unknown>> {
    const trunks: Record<string, portsip.Trunk> = {};
    for (const [name, args] of Object.entries(desired)) trunks[name] = new portsip.Trunk(name, args);
    const source = mirrorOf === undefined ? undefined : trunks[mirrorOf];
    if (source !== undefined) {
        new portsip.Trunk("east-mirror", {
            connection: "east",
            authMode: "IP_AUTH",
            hostname: "203.0.113.50",
            name: source.transport.apply((transport) => `mirror-${transport.toLowerCase()}`),
        });
    }
    return Promise.resolve(Object.fromEntries(Object.entries(trunks).map(([name, trunk]) => [name, trunk.id])));
}

function connectionConfig(pinWest: boolean) {
    return {
        ...portSipConfig(east.baseUrl, { username: ADMIN, password: EAST_ADMIN_PASSWORD }, "east", "v22"),
        ...portSipConfig(
            `${west.baseUrl}/api`,
            { username: ADMIN, password: WEST_ADMIN_PASSWORD },
            "west",
            pinWest ? "v12" : undefined,
        ),
        ...tuningConfig("portsip", {
            retryBaseDelayMs: 20,
            requestTimeoutMs: 3000,
            maxRetries: 8,
            statusPollIntervalMs: 50,
        }),
    };
}

function newStack(project: string, pinWest = false, programDir?: string): Promise<Stack> {
    return env.stack({ project, stack: "e2e", program, config: connectionConfig(pinWest), programDir });
}

function tracked(): ReturnType<typeof recorder> {
    const rec = recorder();
    return {
        ...rec,
        onOutput: (out: string) => {
            allOutput += out;
            rec.onOutput(out);
        },
    };
}

function eastTrunk(name: string) {
    const found = east.listTrunks().filter((trunk) => trunk.name === name);
    expect(found).toHaveLength(1);
    return found[0]!;
}

function westTrunk(name: string) {
    const found = west.listTrunks().filter((trunk) => trunk.name === name);
    expect(found).toHaveLength(1);
    return found[0]!;
}

function stateOf(project: string, name: string) {
    return dynamicResources(env.checkpoint(project, "e2e")).find((resource) => resource.urn.endsWith(`::${name}`))!;
}

function logOf(sim: { server: { requests: { method: string; path: string; outcome: unknown }[] } }): string[] {
    return sim.server.requests.map((entry) => `${entry.method} ${entry.path} -> ${String(entry.outcome)}`);
}

function sorted(record: OperationRecord): string[] {
    return changes(record).filter((step) => !step.startsWith("east-mirror"));
}

beforeAll(async () => {
    await east.start();
    await west.start();
});

afterAll(async () => {
    await east.stop();
    await west.stop();
    env.cleanup();
});

describe("portsip.Trunk on two PBXs (v22 and v12) on the pulumi engine", () => {
    const project = "ps-two-pbx";
    let stack: Stack;
    /** Where this stack's program runs first: a copy of the package, so the last test can take its dist/ away. */
    let firstCheckout: string;

    beforeAll(async () => {
        firstCheckout = env.copyOfPackage("first-checkout");
        stack = await newStack(project, false, firstCheckout);
        desired = {
            "east-a": {
                connection: "east",
                hostname: "SIP.Carrier-A.example",
                authId: "100200",
                // Deliberately a plain string: the resource must still store it as a secret.
                password: SIP_PASSWORDS.east,
                concurrency: 30,
                didNumbers: ["4155550100-4155550199"],
                waitUntilOnline: true,
            },
            "east-b": { connection: "east", authMode: "IP_AUTH", hostname: "198.51.100.7", didNumbers: ["4155550300"] },
            "west-a": {
                connection: "west",
                hostname: "sip.carrier-b.example",
                authId: "7001",
                password: SIP_PASSWORDS.west,
            },
        };
        mirrorOf = "west-a";
    });

    it("previews the creates without calling the pinned PBX, and detects the other's generation once", async () => {
        const rec = tracked();
        const result = await stack.preview({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(result.changeSummary).toMatchObject({ create: 5 });
        expect(changes(rec.record)).toEqual(["east-a create", "east-b create", "east-mirror create", "west-a create"]);
        expect(east.server.requests).toHaveLength(0);
        expect(logOf(west)).toEqual(["GET /api/info -> 404"]);
    });

    it("creates every trunk with one login per PBX, waiting for east-a to be ONLINE", async () => {
        east.server.clearLog();
        west.server.clearLog();
        const rec = tracked();
        const result = await stack.up({ onOutput: rec.onOutput });
        expect(result.summary.result).toBe("succeeded");
        expect(east.counters.loginsSucceeded).toBe(1);
        expect(west.counters.loginsSucceeded).toBe(1);
        expect(rec.record.stdout).toMatch(/trunk "east-a" \(.+\) is ONLINE after/);
        const a = eastTrunk("east-a");
        expect(a).toMatchObject({
            hostname: "sip.carrier-a.example",
            password: SIP_PASSWORDS.east,
            concurrency: 30,
            did_numbers: "4155550100-4155550199",
        });
        expect(result.outputs["east-a"]?.value).toBe(a.id);
        const w = westTrunk("west-a");
        // The v12 id in the state is exactly the PBX's 18–19 digit id.
        expect(result.outputs["west-a"]?.value).toBe(w.id);
        expect(w.id).toMatch(/^[1-9][0-9]{17,18}$/);
        expect(stateOf(project, "west-a").outputs).toMatchObject({ apiVersion: "v12", status: "ONLINE" });
        expect(eastTrunk("mirror-udp").auth_mode).toBe("IP_AUTH");
    });

    it("shows no changes on the next preview", async () => {
        await expect(
            stack.preview({ expectNoChanges: true, onOutput: (out) => (allOutput += out) }),
        ).resolves.toBeDefined();
    });

    it("sees exactly the out-of-band edits on both PBXs on refresh, then puts them back", async () => {
        east.editTrunk(eastTrunk("east-a").id, { port: 5099 });
        west.editTrunk(westTrunk("west-a").id, { reregister_interval: 60 });
        const rec = tracked();
        const refresh = await stack.refresh({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(refresh.summary.resourceChanges).toMatchObject({ update: 2 });
        expect(changes(rec.record)).toEqual(["east-a update [port]", "west-a update [registerInterval]"]);
        expect(rec.record.stdout).toContain("[diff: ~port]");
        expect(stateOf(project, "east-a").inputs?.["port"]).toBe(5099);

        const previewRec = tracked();
        await stack.preview({ onEvent: previewRec.onEvent, onOutput: previewRec.onOutput });
        expect(changes(previewRec.record)).toEqual(["east-a update [port]", "west-a update [registerInterval]"]);
        await stack.up({ onOutput: (out) => (allOutput += out) });
        expect(eastTrunk("east-a").port).toBe(5060);
        expect(westTrunk("west-a").reregister_interval).toBe(600);
    });

    it("updates in place: partially on v22, the whole record (exact id, nothing reset) on v12", async () => {
        const [aBefore, wBefore] = [eastTrunk("east-a").id, westTrunk("west-a").id];
        // Someone changes a field on the v12 PBX that the program does not touch now (no refresh).
        west.editTrunk(wBefore, { single_via_header: false });
        desired["east-a"] = {
            ...desired["east-a"]!,
            concurrency: 40,
            inboundParameters: { callerNum: "FROM_USER_PART" },
        };
        desired["west-a"] = { ...desired["west-a"]!, port: 5070 };
        const rec = tracked();
        await stack.preview({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(changes(rec.record)).toEqual(["east-a update [concurrency,inboundParameters]", "west-a update [port]"]);
        east.server.clearLog();
        west.server.clearLog();
        await stack.up({ onOutput: (out) => (allOutput += out) });
        expect(eastTrunk("east-a")).toMatchObject({ id: aBefore, concurrency: 40 });
        expect(eastTrunk("east-a").inbound_parameters.caller_num).toBe("FROM_USER_PART");
        const patch = east.server.requests.find(
            (entry) => entry.method === "POST" && /^\/api\/providers\/[^/]+$/.test(entry.path),
        )!;
        expect(Object.keys(JSON.parse(patch.rawBody) as object).sort()).toEqual(["concurrency", "inbound_parameters"]);
        expect(westTrunk("west-a")).toMatchObject({ id: wBefore, port: 5070, single_via_header: false });
        const update = west.server.requests.find((entry) => entry.path === "/api/providers/update")!;
        expect(update.rawBody).toContain(`"id":${wBefore}`);
    });

    it("changes the trunk passwords in place without showing them anywhere", async () => {
        desired["east-a"] = { ...desired["east-a"]!, password: SIP_PASSWORDS.eastNew };
        desired["west-a"] = { ...desired["west-a"]!, password: SIP_PASSWORDS.westNew };
        const rec = tracked();
        await stack.preview({ onEvent: rec.onEvent, onOutput: rec.onOutput, diff: true });
        // The engine hands secrets to the display only as "[secret]", so the update names no property.
        expect(sorted(rec.record)).toEqual(["east-a update", "west-a update"]);
        expect(rec.record.stdout).toMatch(/password\s*: \[secret\]/);
        const upRec = tracked();
        await stack.up({ onOutput: upRec.onOutput, diff: true });
        expect(eastTrunk("east-a").password).toBe(SIP_PASSWORDS.eastNew);
        expect(westTrunk("west-a").password).toBe(SIP_PASSWORDS.westNew);
        // The field changed on the PBX earlier and never in the program is still as the PBX has it.
        expect(westTrunk("west-a").single_via_header).toBe(false);
        for (const secret of ALL_SECRETS) {
            expect(rec.record.stdout).not.toContain(secret);
            expect(upRec.record.stdout).not.toContain(secret);
        }
        await stack.preview({ expectNoChanges: true });
    });

    it("replaces a trunk (deleting it first) when its auth mode changes, on both generations", async () => {
        const [bBefore, wBefore] = [eastTrunk("east-b").id, westTrunk("west-a").id];
        desired["east-b"] = { ...desired["east-b"]!, authMode: "REGISTER_AUTH", authId: "300" };
        desired["west-a"] = { ...desired["west-a"]!, authMode: "IP_AUTH", authId: undefined, password: undefined };
        const rec = tracked();
        await stack.preview({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(changes(rec.record)).toEqual(
            expect.arrayContaining([
                "east-b replace [authId,authMode,registration]",
                "west-a replace [authId,authMode,password,registration]",
            ]),
        );
        expect(sorted(rec.record).filter((step) => step.startsWith("east-a"))).toEqual([]);
        await stack.up({ onOutput: (out) => (allOutput += out) });
        const b = eastTrunk("east-b");
        expect(b.id).not.toBe(bBefore);
        expect(b).toMatchObject({ auth_mode: "REGISTER_AUTH", auth_id: "300", did_numbers: "4155550300" });
        expect(east.getTrunk(bBefore)).toBeUndefined();
        const w = westTrunk("west-a");
        expect(w.id).not.toBe(wBefore);
        expect(w.auth_mode).toBe("IP_AUTH");
        expect(west.getTrunk(wBefore)).toBeUndefined();
        await stack.preview({ expectNoChanges: true });
    });

    it("drops a trunk deleted out of band on refresh, and recreates it on up", async () => {
        west.deleteTrunk(westTrunk("west-a").id);
        const rec = tracked();
        const refresh = await stack.refresh({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
        expect(rec.record.stdout).toContain("no longer exists; it is removed from the stack");
        expect(dynamicResources(env.checkpoint(project, "e2e")).map((r) => r.urn.split("::").pop())).not.toContain(
            "west-a",
        );
        const up = await stack.up({ onOutput: (out) => (allOutput += out) });
        expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
        expect(westTrunk("west-a").auth_mode).toBe("IP_AUTH");
    });

    it("keeps every secret out of the state and the CLI output", () => {
        const text = env.backendText();
        for (const secret of ALL_SECRETS) {
            expect(text).not.toContain(secret);
            expect(allOutput).not.toContain(secret);
        }
        const secretSig = "4dabf18193072939515e22adb298388d";
        const a = stateOf(project, "east-a");
        expect(a.inputs?.["password"]).toHaveProperty([secretSig]);
        expect(a.outputs?.["password"]).toHaveProperty([secretSig]);
        // The hidden resource-name input never reaches the stored inputs or outputs.
        for (const resource of dynamicResources(env.checkpoint(project, "e2e"))) {
            expect(Object.keys({ ...resource.inputs, ...resource.outputs })).not.toContain("__resourceName");
        }
        const serialized = a.outputs?.["__provider"] as string;
        expect(serialized.length).toBeLessThan(8_000);
        expect(serialized).toContain('require("pulumi-voip/dist/provider/runtime")');
    });

    it("refreshes and destroys from a copy of the package at another path", async () => {
        const other = env.copyOfPackage("other-checkout");
        // With the first copy's compiled code out of the way, only the other copy can serve the provider.
        const parked = path.join(firstCheckout, "dist.parked");
        fs.renameSync(path.join(firstCheckout, "dist"), parked);
        try {
            const moved = await env.stack({ project, stack: "e2e", program, programDir: other });
            east.editTrunk(eastTrunk("east-a").id, { keep_alive_interval: 30 });
            const rec = tracked();
            await moved.refresh({ onEvent: rec.onEvent, onOutput: rec.onOutput });
            expect(changes(rec.record)).toEqual(["east-a update [keepAliveInterval]"]);
            await moved.destroy({ onOutput: (out) => (allOutput += out) });
        } finally {
            fs.renameSync(parked, path.join(firstCheckout, "dist"));
        }
        expect(east.listTrunks()).toEqual([]);
        expect(west.listTrunks()).toEqual([]);
    });
});

describe("preview-time validation (both generations pinned: zero API calls)", () => {
    // The engine stops a preview at the first resource that fails `check`, so each case runs alone.
    it.each<[string, Record<string, TrunkArgs>, string, string, string]>([
        [
            "port 70000",
            { bad: { connection: "east", hostname: "a.example", authId: "1", port: 70000 } },
            "bad",
            "port",
            "must be a whole number from 0 to 65535",
        ],
        [
            "a 65-character name",
            { bad: { connection: "east", hostname: "a.example", authId: "1", name: "n".repeat(65) } },
            "bad",
            "name",
            "must be at most 64 characters",
        ],
        [
            "a CIDR block with host bits",
            { bad: { connection: "east", hostname: "a.example", authId: "1", additionalIps: ["192.0.2.5/24"] } },
            "bad",
            "additionalIps",
            '[0]: "192.0.2.5/24" has host bits set; the block is 192.0.2.0/24',
        ],
        [
            "a v22 field on the v12 PBX",
            { bad: { connection: "west", hostname: "a.example", authId: "1", didNumbers: ["100"] } },
            "bad",
            "didNumbers",
            'is a PortSIP v16+/v22 field; the PBX of connection "west" speaks v12',
        ],
    ])(
        "fails at preview on %s, naming the property, with zero API calls",
        async (_case, trunks, resource, property, reason) => {
            const stack = await newStack("ps-validation", true);
            desired = trunks;
            mirrorOf = undefined;
            east.server.clearLog();
            west.server.clearLog();
            const rec = tracked();
            const error = await stack.preview({ onOutput: rec.onOutput }).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(Error);
            expect(rec.record.stdout).toContain(`resource '${resource}': property ${property} value {`);
            expect(rec.record.stdout).toContain(`has a problem: ${reason}`);
            expect(east.server.requests).toHaveLength(0);
            expect(west.server.requests).toHaveLength(0);
        },
    );
});

describe("DID pools of two trunks of the stack on one PBX", () => {
    it("fails at preview naming both resources, with zero API calls", async () => {
        const stack = await newStack("ps-validation", true);
        desired = {
            first: { connection: "east", hostname: "a.example", authId: "1", didNumbers: ["4155550100-4155550199"] },
            second: { connection: "east", hostname: "b.example", authId: "2", didNumbers: ["4155550150"] },
        };
        mirrorOf = undefined;
        east.server.clearLog();
        const rec = tracked();
        await expect(stack.preview({ onOutput: rec.onOutput })).rejects.toBeInstanceOf(Error);
        // Whichever of the two the engine checks second is the one reported; the message names both.
        const expected = [
            `resource 'second': property didNumbers value {[{4155550150}]} has a problem: 4155550150 of resource "second" overlaps 4155550100-4155550199 of resource "first" (trunk "first", connection "east") on the same PBX`,
            `resource 'first': property didNumbers value {[{4155550100-4155550199}]} has a problem: 4155550100-4155550199 of resource "first" overlaps 4155550150 of resource "second" (trunk "second", connection "east") on the same PBX`,
        ];
        expect(expected.filter((message) => rec.record.stdout.includes(message))).toHaveLength(1);
        expect(east.server.requests).toHaveLength(0);
    });
});

describe("faults during a 20-trunk up", () => {
    it("ends with exactly 20 trunks, no duplicates, one renewed login and no error", async () => {
        const stack = await newStack("ps-faults", true);
        mirrorOf = undefined;
        desired = Object.fromEntries(
            Array.from({ length: 20 }, (_, index) => [
                `burst-${index}`,
                { connection: "east", authMode: "IP_AUTH" as const, hostname: `gw${index}.example.com` },
            ]),
        );
        east.reset();
        east.server.injectFaults(
            // Spread over the trunks' calls (the login is one request, which would take them all in a row).
            {
                fault: { kind: "status", status: 429, headers: { "Retry-After": "1" }, body: "" },
                times: 4,
                path: /^\/api\/providers/,
            },
            { fault: { kind: "status", status: 503, body: "" }, times: 4, path: /^\/api\/providers/ },
            { fault: { kind: "status", status: 503, body: "" }, times: 1, path: /sign_in$/ },
            // The PBX commits these creates but the client only sees a failure.
            {
                fault: { kind: "status", status: 500, body: "" },
                times: 2,
                method: "POST",
                path: /^\/api\/providers$/,
                when: "after",
            },
            { fault: { kind: "reset" }, times: 2, method: "POST", path: /^\/api\/providers$/, when: "after" },
            { fault: { kind: "reset" }, times: 2, method: "GET" },
            // The token stops being accepted once mid-run (a PBX restart): one renewed login.
            {
                fault: {
                    kind: "status",
                    status: 401,
                    body: { errors: [{ code: "UNAUTHORIZED", message: "unauthorized" }] },
                },
                times: 1,
                method: "GET",
                path: /^\/api\/providers\/[^/]+$/,
            },
        );
        const result = await stack.up({ onOutput: (out) => (allOutput += out) });
        expect(result.summary.result).toBe("succeeded");
        expect(result.summary.resourceChanges).toMatchObject({ create: 21 });
        expect(east.server.pendingFaults()).toBe(0);
        const burst = east.listTrunks().filter((trunk) => trunk.hostname.startsWith("gw"));
        expect(burst).toHaveLength(20);
        expect(new Set(burst.map((trunk) => trunk.name)).size).toBe(20);
        expect(east.counters.loginsSucceeded).toBe(2);
        const ids = dynamicResources(env.checkpoint("ps-faults", "e2e")).map((r) => r.id);
        expect(new Set(ids)).toEqual(new Set(burst.map((trunk) => trunk.id)));
        await stack.destroy();
        expect(east.listTrunks()).toEqual([]);
    });
});
