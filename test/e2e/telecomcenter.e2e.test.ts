import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { telecomcenter } from "../../provider";
import type { TerminationGatewayArgs } from "../../provider/vendors/telecomcenter";
import { TelecomCenterSimulator } from "../simulators/telecomcenter";
import {
    changes,
    dynamicResources,
    E2EEnvironment,
    recorder,
    REPO_ROOT,
    telecomCenterConfig,
    tuningConfig,
} from "./harness";

/**
 * telecom.center TerminationGateway on the real pulumi engine: preview, up, no-change preview,
 * drift and refresh, in-place update, replace, out-of-band delete, destroy from another checkout,
 * secrets audit, preview-time validation, and faults during a 20-gateway up.
 */

const API_USER = "operator-e2e";
const API_PASSWORD = "canary-api-password-7Q2x";
const SIP_PASSWORD = "canary-sip-password-K9vd";

const env = new E2EEnvironment("telecomcenter");
const API_LOGIN = { username: API_USER, password: API_PASSWORD };
const sim = new TelecomCenterSimulator(API_LOGIN);

/** What the program declares; tests change it between operations. */
let desired: Record<string, TerminationGatewayArgs> = {};

function program(): Promise<Record<string, unknown>> {
    const ids: Record<string, unknown> = {};
    for (const [name, args] of Object.entries(desired)) {
        ids[name] = new telecomcenter.TerminationGateway(name, args).id;
    }
    return Promise.resolve(ids);
}

async function newStack(project: string, programDir?: string): Promise<Stack> {
    return env.stack({
        project,
        stack: "e2e",
        program,
        programDir,
        config: {
            ...telecomCenterConfig(sim.server.baseUrl, API_LOGIN),
            ...tuningConfig("telecomcenter", { retryBaseDelayMs: 20, requestTimeoutMs: 3000, maxRetries: 8 }),
        },
    });
}

function gatewayNamed(name: string) {
    const found = sim.gateways().filter((gateway) => gateway.name === name);
    expect(found).toHaveLength(1);
    return found[0]!;
}

beforeAll(async () => {
    await sim.start();
    sim.addCustomer("cust-1");
    sim.addCustomer("cust-2");
});

afterAll(async () => {
    await sim.stop();
    env.cleanup();
});

describe("telecomcenter.TerminationGateway on the pulumi engine", () => {
    let stack: Stack;
    /** Where this stack's program runs first: a copy of the package, so the last test can take its dist/ away. */
    let firstCheckout: string;

    beforeAll(async () => {
        firstCheckout = env.copyOfPackage("first-checkout");
        stack = await newStack("tc-lifecycle", firstCheckout);
        desired = {
            "gw-a": {
                customerId: "cust-1",
                host: "SIP.Carrier-A.example.com",
                codecs: ["PCMA", "PCMU"],
                authorizationName: "acme",
                // Deliberately a plain string: the resource must still store it as a secret.
                authorizationPassword: SIP_PASSWORD,
            },
            "gw-b": { customerId: "cust-1", host: "198.51.100.7" },
        };
    });

    it("previews the creates without calling the API", async () => {
        const rec = recorder();
        const result = await stack.preview({ onEvent: rec.onEvent, diff: true });
        expect(result.changeSummary).toMatchObject({ create: 3 });
        expect(changes(rec.record)).toEqual(["gw-a create", "gw-b create"]);
        expect(sim.server.requests).toHaveLength(0);
    });

    it("creates the gateways with canonical values", async () => {
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        const a = gatewayNamed("gw-a");
        expect(a).toMatchObject({
            customer_id: "cust-1",
            host: "sip.carrier-a.example.com",
            port: 5060,
            codecs: ["PCMA", "PCMU"],
            authorization_name: "acme",
            authorization_password: SIP_PASSWORD,
            network_protocol: "IPv4_only",
            operator: true,
        });
        expect(result.outputs["gw-a"]?.value).toBe(a.id);
        expect(gatewayNamed("gw-b")).toMatchObject({
            host: "198.51.100.7",
            codecs: ["PCMU", "PCMA", "telephone-event/8000"],
        });
    });

    it("shows no changes on the next preview", async () => {
        await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
    });

    it("sees exactly the out-of-band edit on refresh, then puts it back", async () => {
        sim.editGateway(gatewayNamed("gw-a").id, { host: "rogue.example.net" });
        const refreshRec = recorder();
        const refresh = await stack.refresh({ onEvent: refreshRec.onEvent, onOutput: refreshRec.onOutput });
        expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
        expect(changes(refreshRec.record)).toEqual(["gw-a update [host]"]);
        expect(refreshRec.record.stdout).toContain("[diff: ~host]");
        const refreshed = dynamicResources(env.checkpoint("tc-lifecycle", "e2e")).find((r) =>
            r.urn.endsWith("::gw-a"),
        )!;
        // Both the outputs and the inputs now say what the vendor has: the next preview diffs against reality.
        expect(refreshed.outputs?.["host"]).toBe("rogue.example.net");
        expect(refreshed.inputs?.["host"]).toBe("rogue.example.net");

        const previewRec = recorder();
        await stack.preview({ onEvent: previewRec.onEvent });
        expect(changes(previewRec.record)).toEqual(["gw-a update [host]"]);

        await stack.up();
        expect(gatewayNamed("gw-a").host).toBe("sip.carrier-a.example.com");
        await stack.preview({ expectNoChanges: true });
    });

    it("updates in place", async () => {
        const before = gatewayNamed("gw-b").id;
        desired["gw-b"] = { ...desired["gw-b"]!, port: 5080, dstRewriteRule: "^00", dstRewriteResult: "+" };
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        expect(changes(rec.record)).toEqual(["gw-b update [dstRewriteResult,dstRewriteRule,port]"]);
        await stack.up();
        expect(gatewayNamed("gw-b")).toMatchObject({
            id: before,
            port: 5080,
            dst_rewrite_rule: "^00",
            dst_rewrite_result: "+",
        });
    });

    it("replaces the gateway when the customer changes", async () => {
        const before = gatewayNamed("gw-b").id;
        desired["gw-b"] = { ...desired["gw-b"]!, customerId: "cust-2" };
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        expect(changes(rec.record)).toContain("gw-b replace [customerId]");
        expect(changes(rec.record).filter((step) => step.startsWith("gw-a"))).toEqual([]);
        await stack.up();
        const after = gatewayNamed("gw-b");
        expect(after.id).not.toBe(before);
        expect(after.customer_id).toBe("cust-2");
        expect(sim.getGateway(before)).toBeUndefined();
    });

    it("drops a gateway deleted out of band on refresh, and recreates it on up", async () => {
        sim.deleteGateway(gatewayNamed("gw-b").id);
        const rec = recorder();
        const refresh = await stack.refresh({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
        expect(rec.record.stdout).toContain("no longer exists; it is removed from the stack");
        // The refresh is handed no URN: the name comes from the state the class seeded it into.
        expect(rec.record.stdout).toContain('no longer exists; it is removed from the stack (Pulumi resource "gw-b")');
        expect(dynamicResources(env.checkpoint("tc-lifecycle", "e2e")).map((r) => r.urn.split("::").pop())).toEqual([
            "gw-a",
        ]);

        const previewRec = recorder();
        await stack.preview({ onEvent: previewRec.onEvent });
        expect(changes(previewRec.record)).toEqual(["gw-b create"]);
        await stack.up();
        expect(gatewayNamed("gw-b").customer_id).toBe("cust-2");
    });

    it("keeps every secret out of the state, and the serialized provider small and credential-free", () => {
        const text = env.backendText();
        expect(text).not.toContain(API_PASSWORD);
        expect(text).not.toContain(SIP_PASSWORD);
        expect(text).not.toContain(Buffer.from(`${API_USER}:${API_PASSWORD}`).toString("base64"));

        const gwA = dynamicResources(env.checkpoint("tc-lifecycle", "e2e")).find((r) => r.urn.endsWith("::gw-a"))!;
        const secretSig = "4dabf18193072939515e22adb298388d";
        expect(gwA.inputs?.["authorizationPassword"]).toHaveProperty([secretSig]);
        expect(gwA.outputs?.["authorizationPassword"]).toHaveProperty([secretSig]);
        const serialized = gwA.outputs?.["__provider"];
        expect(typeof serialized).toBe("string");
        expect((serialized as string).length).toBeLessThan(8_000);
        expect(serialized).toContain('require("pulumi-voip/dist/provider/runtime")');
        expect(serialized).not.toContain(REPO_ROOT);
    });

    it("refreshes and destroys from a copy of the package at another path", async () => {
        const other = env.copyOfPackage("other-checkout");
        // With the first copy's compiled code out of the way, only the other copy can serve the provider.
        const parked = path.join(firstCheckout, "dist.parked");
        fs.renameSync(path.join(firstCheckout, "dist"), parked);
        try {
            const moved = await env.stack({ project: "tc-lifecycle", stack: "e2e", program, programDir: other });
            sim.editGateway(gatewayNamed("gw-b").id, { port: 5090 });
            const rec = recorder();
            await moved.refresh({ onEvent: rec.onEvent });
            expect(changes(rec.record)).toEqual(["gw-b update [port]"]);
            await moved.destroy();
        } finally {
            fs.renameSync(parked, path.join(firstCheckout, "dist"));
        }
        expect(sim.gateways()).toEqual([]);
    });
});

describe("unknown values during preview", () => {
    it("validates what is known and creates what depends on another resource's output", async () => {
        const stack = await env.stack({
            project: "tc-unknowns",
            stack: "e2e",
            program: () => {
                const first = new telecomcenter.TerminationGateway("first", {
                    customerId: "cust-1",
                    host: "first.example.com",
                });
                // Unknown until `first` exists: check sees Pulumi's unknown sentinel for name and port.
                new telecomcenter.TerminationGateway("second", {
                    customerId: "cust-1",
                    host: "second.example.com",
                    name: pulumi.interpolate`${first.id}-backup`,
                    port: first.port.apply((port) => port + 1),
                });
                return Promise.resolve({});
            },
            config: telecomCenterConfig(sim.server.baseUrl, API_LOGIN),
        });
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        expect(changes(rec.record)).toEqual(["first create", "second create"]);
        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        const first = gatewayNamed("first");
        expect(gatewayNamed(`${first.id}-backup`).port).toBe(5061);
        await stack.destroy();
    });
});

describe("preview-time validation", () => {
    // The engine stops a preview at the first resource that fails `check`, so each case runs alone.
    it.each<[string, Partial<TerminationGatewayArgs>, string, string]>([
        ["port 0", { port: 0 }, "port", "must be between 1 and 65535"],
        ["port 70000", { port: 70000 }, "port", "must be between 1 and 65535"],
        ["an empty name", { name: "" }, "name", "must not be empty"],
        [
            "an unknown codec",
            { codecs: ["PCMU", "G729" as "g729"] },
            "codecs",
            '[1]: must be one of g729, G722, GSM, PCMA, PCMU, OPUS, telephone-event/8000 (got "G729")',
        ],
        [
            "an unknown network protocol",
            { networkProtocol: "IPv5" as "IPv4_only" },
            "networkProtocol",
            'must be one of IPv4_only, IPv6_only, IPv4_pref, IPv6_pref, Dualstack (got "IPv5")',
        ],
    ])(
        "fails at preview on %s, naming the property, with zero calls to the API",
        async (_case, patch, property, reason) => {
            const stack = await newStack("tc-validation");
            desired = { "bad-gw": { customerId: "cust-1", host: "a.example.com", ...patch } };
            sim.server.clearLog();
            const rec = recorder();
            const error = await stack.preview({ onOutput: rec.onOutput }).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(Error);
            expect(rec.record.stdout).toContain(`resource 'bad-gw': property ${property} value {`);
            expect(rec.record.stdout).toContain(`has a problem: ${reason}`);
            expect(sim.server.requests).toHaveLength(0);
        },
    );
});

describe("faults during a 20-gateway up", () => {
    it("ends with exactly 20 gateways, no duplicates and no error", async () => {
        const stack = await newStack("tc-faults");
        desired = Object.fromEntries(
            Array.from({ length: 20 }, (_, index) => [
                `burst-${index}`,
                { customerId: "cust-1", host: `gw${index}.example.com` },
            ]),
        );
        const before = sim.gateways().length;
        sim.server.clearLog();
        sim.server.injectFaults(
            { fault: { kind: "status", status: 429, headers: { "Retry-After": "1" }, body: "" }, times: 8 },
            { fault: { kind: "status", status: 503, body: "" }, times: 4 },
            // The vendor commits these creates but the client only sees a failure.
            { fault: { kind: "status", status: 500, body: "" }, times: 3, method: "POST", when: "after" },
            { fault: { kind: "reset" }, times: 2, method: "POST", when: "after" },
            { fault: { kind: "reset" }, times: 2, method: "GET" },
        );
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.summary.resourceChanges).toMatchObject({ create: 21 });
        expect(sim.server.pendingFaults()).toBe(0);
        const burst = sim.gateways().filter((gateway) => gateway.name.startsWith("burst-"));
        expect(burst).toHaveLength(20);
        expect(new Set(burst.map((gateway) => gateway.name)).size).toBe(20);
        expect(sim.gateways()).toHaveLength(before + 20);
        const ids = dynamicResources(env.checkpoint("tc-faults", "e2e")).map((r) => r.id);
        expect(new Set(ids)).toEqual(new Set(burst.map((gateway) => gateway.id)));

        await stack.destroy();
        expect(sim.gateways().filter((gateway) => gateway.name.startsWith("burst-"))).toEqual([]);
    });
});
