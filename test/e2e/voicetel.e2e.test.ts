import type { Stack } from "@pulumi/pulumi/automation";
import { voicetel } from "../../provider";
import type { AccountGatewayArgs } from "../../provider/vendors/voicetel";
import { VoiceTelSimulator } from "../simulators/voicetel";
import {
    changes,
    dynamicResources,
    E2EEnvironment,
    recorder,
    REPO_ROOT,
    tuningConfig,
    voiceTelConfig,
} from "./harness";

/**
 * voicetel.AccountGateway on the real pulumi engine: preview, up, no-change preview, drift and
 * refresh (one list for the whole refresh), in-place update, replace, out-of-band delete, secrets
 * audit, destroy refused while DIDs are routed to a gateway and then succeeding, preview-time
 * validation, and faults during a 20-gateway up on one account.
 *
 * Hosts are public IPv4 addresses, or hostnames with `hostResolvesLater` (the provider process
 * uses the machine's DNS, and these tests must not depend on the network); the simulator
 * resolves hostnames through its own static map, as VoiceTel would through public DNS.
 */

const API_KEY = "canary-voicetel-e2e-key-5b8e20c4";

const env = new E2EEnvironment("voicetel");
const sim = new VoiceTelSimulator({
    apiKey: API_KEY,
    hosts: { "sip.carrier-a.example.com": "45.33.30.1", "sbc.carrier-a.example.com": "45.33.30.2" },
});

/** What the program declares; tests change it between operations. */
let desired: Record<string, AccountGatewayArgs> = {};

function program(): Promise<Record<string, unknown>> {
    const routeIds: Record<string, unknown> = {};
    for (const [name, args] of Object.entries(desired)) {
        routeIds[name] = new voicetel.AccountGateway(name, args).routeId;
    }
    return Promise.resolve(routeIds);
}

function config() {
    return {
        ...voiceTelConfig(sim.server.baseUrl, API_KEY),
        ...tuningConfig("voicetel", { retryBaseDelayMs: 20, requestTimeoutMs: 3000, maxRetries: 8 }),
    };
}

async function newStack(project: string): Promise<Stack> {
    return env.stack({ project, stack: "e2e", program, config: config() });
}

function userRoutes() {
    return sim.listRoutes().filter((route) => !route.system);
}

function routeWith(address: string) {
    const found = userRoutes().filter((route) => route.gateway === address);
    expect(found).toHaveLength(1);
    return found[0]!;
}

function resourceNamed(project: string, name: string) {
    const found = dynamicResources(env.checkpoint(project, "e2e")).find((r) => r.urn.endsWith(`::${name}`));
    expect(found).toBeDefined();
    return found!;
}

/** List calls the simulator answered (the only read the API has). */
function listCalls(): number {
    return sim.server.handledRequests({ path: /^\/v2\.1\/gateways\/list\/?$/ }).length;
}

beforeAll(async () => {
    await sim.start();
});

afterAll(async () => {
    await sim.stop();
    env.cleanup();
});

describe("voicetel.AccountGateway on the pulumi engine", () => {
    const project = "vt-lifecycle";
    let stack: Stack;

    beforeAll(async () => {
        stack = await newStack(project);
        desired = {
            "gw-a": { host: "SIP.Carrier-A.example.com", hostResolvesLater: true },
            "gw-b": { host: "45.33.31.7" },
            "gw-c": { host: "45.33.31.8", port: 5061 },
        };
    });

    it("previews the creates without calling the API", async () => {
        const rec = recorder();
        const result = await stack.preview({ onEvent: rec.onEvent, diff: true });
        expect(result.changeSummary).toMatchObject({ create: 4 });
        expect(changes(rec.record)).toEqual(["gw-a create", "gw-b create", "gw-c create"]);
        expect(sim.server.requests).toHaveLength(0);
    });

    it("creates each gateway with its own route id as id and output", async () => {
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        const a = routeWith("sip.carrier-a.example.com:5060");
        const b = routeWith("45.33.31.7:5060");
        const c = routeWith("45.33.31.8:5061");
        expect(userRoutes()).toHaveLength(3);
        expect(result.outputs["gw-a"]?.value).toBe(a.route);
        expect(result.outputs["gw-b"]?.value).toBe(b.route);
        expect(result.outputs["gw-c"]?.value).toBe(c.route);
        const stored = resourceNamed(project, "gw-a");
        expect(stored.id).toBe(String(a.route));
        expect(stored.outputs).toMatchObject({
            connection: "default",
            host: "sip.carrier-a.example.com",
            port: 5060,
            hostResolvesLater: true,
            routeId: a.route,
            address: "sip.carrier-a.example.com:5060",
            stateVersion: 2,
        });
    });

    it("shows no changes on the next preview", async () => {
        await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
    });

    it("sees exactly the out-of-band edit on refresh, with one list for all gateways, then puts it back", async () => {
        const a = routeWith("sip.carrier-a.example.com:5060");
        sim.setRouteHost(a.route, "sbc.carrier-a.example.com");
        const lists = listCalls();
        const refreshRec = recorder();
        const refresh = await stack.refresh({ onEvent: refreshRec.onEvent, onOutput: refreshRec.onOutput });
        expect(listCalls() - lists).toBe(1);
        expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
        expect(changes(refreshRec.record)).toEqual(["gw-a update [host]"]);
        expect(refreshRec.record.stdout).toContain("[diff: ~host]");
        const refreshed = resourceNamed(project, "gw-a");
        // Outputs and inputs say what VoiceTel has; no port stored means 5060, which is no drift.
        expect(refreshed.outputs).toMatchObject({ host: "sbc.carrier-a.example.com", port: 5060 });
        expect(refreshed.inputs).toMatchObject({ host: "sbc.carrier-a.example.com", port: 5060 });

        const previewRec = recorder();
        await stack.preview({ onEvent: previewRec.onEvent });
        expect(changes(previewRec.record)).toEqual(["gw-a update [host]"]);

        await stack.up();
        expect(sim.getRoute(a.route)?.gateway).toBe("sip.carrier-a.example.com:5060");
        await stack.preview({ expectNoChanges: true });
    });

    it("updates host and port in place, keeping the route id", async () => {
        const before = routeWith("45.33.31.7:5060").route;
        desired["gw-b"] = { host: "45.33.31.17", port: 5080 };
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        expect(changes(rec.record)).toEqual(["gw-b update [host,port]"]);
        await stack.up();
        expect(sim.getRoute(before)?.gateway).toBe("45.33.31.17:5080");
        expect(userRoutes()).toHaveLength(3);
    });

    it("replaces a gateway on request: the old route goes first, then the same address gets a new route", async () => {
        const before = routeWith("45.33.31.8:5061").route;
        const urn = resourceNamed(project, "gw-c").urn;
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent, replace: [urn] });
        expect(changes(rec.record)).toContain("gw-c replace");
        const up = await stack.up({ replace: [urn] });
        expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
        const after = routeWith("45.33.31.8:5061").route;
        expect(after).not.toBe(before);
        expect(sim.getRoute(before)).toBeUndefined();
        expect(up.outputs["gw-c"]?.value).toBe(after);
        expect(resourceNamed(project, "gw-c").id).toBe(String(after));
    });

    it("drops a gateway removed out of band on refresh, and recreates it on up", async () => {
        const b = routeWith("45.33.31.17:5080").route;
        sim.deleteRoute(b);
        const rec = recorder();
        const refresh = await stack.refresh({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
        expect(rec.record.stdout).toContain(
            `VoiceTel account gateway ${b} no longer exists; it is removed from the stack`,
        );
        expect(dynamicResources(env.checkpoint(project, "e2e")).map((r) => r.urn.split("::").pop())).toEqual([
            "gw-a",
            "gw-c",
        ]);

        const previewRec = recorder();
        await stack.preview({ onEvent: previewRec.onEvent });
        expect(changes(previewRec.record)).toEqual(["gw-b create"]);
        await stack.up();
        expect(routeWith("45.33.31.17:5080").route).toBeGreaterThan(b);
    });

    it("keeps the API key out of the state, and the serialized provider small and key-free", () => {
        const text = env.backendText();
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(Buffer.from(API_KEY).toString("base64"));
        const stored = resourceNamed(project, "gw-a");
        const serialized = stored.outputs?.["__provider"];
        expect(typeof serialized).toBe("string");
        expect((serialized as string).length).toBeLessThan(8_000);
        expect(serialized).toContain('require("pulumi-voip/dist/provider/runtime")');
        expect(serialized).toContain('"voicetel:AccountGateway"');
        expect(serialized).not.toContain(REPO_ROOT);
    });

    it("refuses to destroy a gateway that DIDs are routed to, naming it, and destroys it once they are moved", async () => {
        const a = routeWith("sip.carrier-a.example.com:5060").route;
        sim.attachDids(a, ["2015550111", "2015550112"]);
        const rec = recorder();
        const error = await stack.destroy({ onOutput: rec.onOutput }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(rec.record.stdout).toContain(
            `VoiceTel: delete account gateway "route ${a} (sip.carrier-a.example.com:5060)" failed (HTTP 409): At least one one route could not be removed. Please make sure no DID are routed to gateway. [2 DIDs are still routed to route ${a}: 2015550111, 2015550112.`,
        );
        // Only the gateway with DIDs is left, in VoiceTel and in the state.
        expect(userRoutes().map((route) => route.route)).toEqual([a]);
        expect(dynamicResources(env.checkpoint(project, "e2e")).map((r) => r.urn.split("::").pop())).toEqual(["gw-a"]);

        sim.detachDids(["2015550111", "2015550112"]);
        const destroyed = await stack.destroy();
        expect(destroyed.summary.result).toBe("succeeded");
        expect(userRoutes()).toEqual([]);
        expect(dynamicResources(env.checkpoint(project, "e2e"))).toEqual([]);
    });
});

describe("unknown values during preview", () => {
    it("validates what is known and creates what depends on another gateway's output", async () => {
        const stack = await env.stack({
            project: "vt-unknowns",
            stack: "e2e",
            program: () => {
                const first = new voicetel.AccountGateway("first", { host: "45.33.32.1" });
                // Unknown until `first` exists: check sees Pulumi's unknown sentinel for the port.
                new voicetel.AccountGateway("second", {
                    host: "45.33.32.2",
                    port: first.routeId.apply((route) => 5000 + (route % 1000)),
                });
                return Promise.resolve({});
            },
            config: config(),
        });
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        expect(changes(rec.record)).toEqual(["first create", "second create"]);
        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        const first = routeWith("45.33.32.1:5060").route;
        expect(routeWith(`45.33.32.2:${5000 + (first % 1000)}`)).toBeDefined();
        await stack.destroy();
        expect(userRoutes()).toEqual([]);
    });
});

describe("preview-time validation", () => {
    // The engine stops a preview at the first resource that fails `check`, so each case runs alone.
    const PUBLIC = "VoiceTel sends calls only to a routable public IPv4 address";
    it.each<[string, Partial<AccountGatewayArgs>, string, string]>([
        [
            "a private address",
            { host: "10.20.30.40" },
            "host",
            `10.20.30.40 is a private address (10.0.0.0/8, RFC 1918); ${PUBLIC}`,
        ],
        [
            "a CGNAT address",
            { host: "100.64.1.1" },
            "host",
            `100.64.1.1 is a carrier-grade NAT address (100.64.0.0/10, RFC 6598); ${PUBLIC}`,
        ],
        [
            "a loopback address",
            { host: "127.0.0.1" },
            "host",
            `127.0.0.1 is a loopback address (127.0.0.0/8); ${PUBLIC}`,
        ],
        [
            "a link-local address",
            { host: "169.254.1.1" },
            "host",
            `169.254.1.1 is a link-local address (169.254.0.0/16); ${PUBLIC}`,
        ],
        [
            "a documentation address",
            { host: "203.0.113.10" },
            "host",
            `203.0.113.10 is a documentation address (203.0.113.0/24, TEST-NET-3); ${PUBLIC}`,
        ],
        [
            "a .local name",
            { host: "pbx.office.local" },
            "host",
            `"pbx.office.local" is under .local, a special-use domain that never resolves on the public Internet; ${PUBLIC}`,
        ],
        ["a scheme", { host: "sip:45.33.33.1" }, "host", 'must be a bare host without a scheme (got "sip:45.33.33.1")'],
        ["a path", { host: "45.33.33.1/sip" }, "host", 'must be a bare host without a path (got "45.33.33.1/sip")'],
        [
            "a port in the host",
            { host: "45.33.33.1:5060" },
            "host",
            'must not carry a port; use the port property (got "45.33.33.1:5060")',
        ],
        [
            "IPv6",
            { host: "2001:db8::10" },
            "host",
            'must be an IPv4 address or a hostname: VoiceTel does not route to IPv6 (got "2001:db8::10")',
        ],
        ["port 0", { port: 0 }, "port", "must be between 1 and 65535"],
        ["port 70000", { port: 70000 }, "port", "must be between 1 and 65535"],
    ])(
        "fails at preview on %s, naming the property, with zero calls to the API",
        async (_case, patch, property, reason) => {
            const stack = await newStack("vt-validation");
            desired = { "bad-gw": { host: "45.33.33.1", ...patch } };
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

describe("faults during a 20-gateway up on one account", () => {
    it("gives every gateway its own, right route id, with no duplicates and no error; a refresh lists once", async () => {
        const project = "vt-faults";
        const stack = await newStack(project);
        desired = Object.fromEntries(
            Array.from({ length: 20 }, (_, index) => [`burst-${index}`, { host: `45.33.40.${index + 1}` }]),
        );
        // Someone else's gateway on the account, left alone throughout.
        const foreign = sim.addRoute("45.33.41.1:5060");
        sim.server.clearLog();
        // Creates of one account run one at a time, so every fault lands on the same chain of calls.
        const add = /gateways\/add/;
        const list = /gateways\/list/;
        sim.server.injectFaults(
            // Refused before VoiceTel acts: retried as they are (429 honours Retry-After).
            { fault: { kind: "status", status: 429, headers: { "Retry-After": "1" }, body: "" }, times: 3, path: add },
            { fault: { kind: "status", status: 503, body: "" }, times: 2, path: list },
            { fault: { kind: "reset" }, times: 2, path: list },
            // Ambiguous for an add: the provider looks for the route before it sends the add again.
            { fault: { kind: "status", status: 503, body: "" }, times: 2, path: add },
            // VoiceTel commits these adds but the provider only sees a failure: the lookup adopts them.
            { fault: { kind: "status", status: 500, body: "" }, times: 3, path: add, when: "after" },
            { fault: { kind: "reset" }, times: 2, path: add, when: "after" },
        );
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.summary.resourceChanges).toMatchObject({ create: 21 });
        expect(sim.server.pendingFaults()).toBe(0);

        expect(userRoutes()).toHaveLength(21);
        expect(new Set(userRoutes().map((route) => route.gateway)).size).toBe(21);
        const resources = dynamicResources(env.checkpoint(project, "e2e"));
        expect(resources).toHaveLength(20);
        for (const resource of resources) {
            const index = Number(resource.urn.split("burst-").pop());
            // The id is the route that holds exactly this gateway's address.
            expect(sim.getRoute(Number(resource.id))?.gateway).toBe(`45.33.40.${index + 1}:5060`);
            expect(result.outputs[`burst-${index}`]?.value).toBe(Number(resource.id));
        }

        sim.server.clearLog();
        const refresh = await stack.refresh();
        expect(refresh.summary.resourceChanges).toMatchObject({ same: 21 });
        expect(listCalls()).toBe(1);
        expect(sim.server.requests).toHaveLength(1);

        await stack.destroy();
        expect(userRoutes().map((route) => route.route)).toEqual([foreign]);
        sim.deleteRoute(foreign);
    });
});
