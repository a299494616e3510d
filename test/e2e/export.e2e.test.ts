import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import ts from "typescript";
import * as voip from "../../provider";
import { EXIT, runExport } from "../../provider/export/command";
import { typeCheck } from "../contract/typecheck";
import { OpenVoxSimulator } from "../simulators/openvox";
import { PortSipV12Simulator } from "../simulators/portsip-v12";
import { PortSipV22Simulator } from "../simulators/portsip-v22";
import type { RequestLogEntry } from "../simulators/core/server";
import { TelecomCenterSimulator } from "../simulators/telecomcenter";
import { VoiceTelSimulator } from "../simulators/voicetel";
import { changes, dynamicResources, E2EEnvironment, recorder, REPO_ROOT } from "./harness";

/**
 * The round trip of `pulumi-voip export` on the real pulumi engine, for every API variant: objects
 * made outside Pulumi (at least five, of varied shapes, secrets among them) are exported to a
 * program; `pulumi up` on it adopts them all with no vendor write; a preview right after is clean;
 * one edit in the program updates exactly that object; `destroy` keeps every object, as the
 * exported `retainOnDelete` says. An object no resource can represent is named and skipped.
 */

const ADMIN_PASSWORD = "canary-export-admin-pw-7Rt";
const SECRETS = ["canary-export-secret-1-Qa", "canary-export-secret-2-Wb", "canary-export-secret-3-Ec"] as const;

interface Variant {
    /** The API variant, as the test names it. */
    label: string;
    vendor: "telecomcenter" | "voicetel" | "portsip" | "openvox";
    connection: string;
    start(): Promise<unknown>;
    stop(): Promise<void>;
    /** The connection's settings, as stack config. */
    config(): ConfigMap;
    /** Makes the objects out of band; ids of those a resource can represent, and the one it cannot (if any). */
    seed(): { ids: string[]; unrepresentable?: string };
    /** Ids of every object the vendor holds now. */
    ids(): string[];
    /** Requests since the last clear that changed something at the vendor. */
    writes(): string[];
    clearLog(): void;
    /** One edit of the exported program: a text only one object's resource holds, and its replacement. */
    edit: { from: string; to: string; property: string; applied(): boolean };
}

function requestsOf(requests: readonly RequestLogEntry[], isWrite: (request: RequestLogEntry) => boolean): string[] {
    return requests.filter(isWrite).map((request) => `${request.method} ${request.path}`);
}

const tuning = (vendor: string): ConfigMap => ({
    [`${vendor}:retryBaseDelayMs`]: { value: "20" },
    [`${vendor}:requestTimeoutMs`]: { value: "3000" },
});

function telecomCenter(): Variant {
    const sim = new TelecomCenterSimulator({ username: "operator-export", password: ADMIN_PASSWORD });
    let editedId = "";
    return {
        label: "telecom.center",
        vendor: "telecomcenter",
        connection: "default",
        start: () => sim.start(),
        stop: () => sim.stop(),
        config: () => ({
            "telecomcenter:username": { value: "operator-export" },
            "telecomcenter:password": { value: ADMIN_PASSWORD, secret: true },
            "telecomcenter:baseUrl": { value: sim.server.baseUrl },
            ...tuning("telecomcenter"),
        }),
        seed: () => {
            sim.addCustomer("cust-1");
            sim.addCustomer("cust-2");
            const ids = [
                sim.createGateway("cust-1", {
                    name: "carrier-a",
                    host: "sip.carrier-a.example.com",
                    authorization_name: "acme",
                    authorization_password: SECRETS[0],
                    codecs: ["PCMA", "PCMU"],
                    operator: true,
                }).id,
                sim.createGateway("cust-1", {
                    name: "carrier-b",
                    host: "203.0.113.20",
                    port: 5080,
                    src_rewrite_rule: "^00",
                    src_rewrite_result: "+",
                    network_protocol: "IPv4_only",
                    operator: true,
                }).id,
                // The same name under another customer: a second resource name.
                sim.createGateway("cust-2", { name: "carrier-a", host: "sip.other.example.com", operator: true }).id,
                sim.createGateway("cust-2", {
                    name: "dual",
                    host: "sip.dual.example.com",
                    network_protocol: "Dualstack",
                    dst_rewrite_rule: "^1",
                    dst_rewrite_result: "001",
                }).id,
                sim.createGateway("cust-1", {
                    name: "ui-made",
                    host: "sip.ui.example.com",
                    authorization_name: "ui",
                    authorization_password: SECRETS[1],
                }).id,
            ];
            editedId = ids[1]!;
            return { ids };
        },
        ids: () => sim.gateways().map((gateway) => gateway.id),
        writes: () => requestsOf(sim.server.requests, (request) => request.method !== "GET"),
        clearLog: () => {
            sim.server.clearLog();
        },
        edit: {
            from: '"203.0.113.20"',
            to: '"203.0.113.21"',
            property: "host",
            applied: () => sim.gateways().find((gateway) => gateway.id === editedId)?.host === "203.0.113.21",
        },
    };
}

function voiceTel(): Variant {
    const apiKey = "canary-export-voicetel-key-Hn3";
    const sim = new VoiceTelSimulator({ apiKey });
    let editedRoute = 0;
    return {
        label: "VoiceTel",
        vendor: "voicetel",
        connection: "default",
        start: () => sim.start(),
        stop: () => sim.stop(),
        config: () => ({
            "voicetel:apiKey": { value: apiKey, secret: true },
            "voicetel:baseUrl": { value: sim.server.baseUrl },
            ...tuning("voicetel"),
        }),
        seed: () => {
            const routes = [
                sim.account.addRoute("45.33.10.1"),
                sim.account.addRoute("45.33.10.2:5080"),
                sim.account.addRoute("45.33.10.3:5061"),
                sim.account.addRoute("45.33.10.4"),
                sim.account.addRoute("45.33.10.5:6060"),
            ];
            editedRoute = routes[1]!;
            return { ids: routes.map(String) };
        },
        ids: () =>
            sim.account
                .listRoutes()
                .filter((route) => !route.system)
                .map((route) => String(route.route)),
        writes: () => requestsOf(sim.server.requests, (request) => /gateways\/(add|update|remove)/.test(request.path)),
        clearLog: () => {
            sim.server.clearLog();
        },
        edit: {
            from: "port: 5080",
            to: "port: 5090",
            property: "port",
            applied: () => sim.account.addressOf(editedRoute).endsWith(":5090"),
        },
    };
}

function portSipV12(): Variant {
    const sim = new PortSipV12Simulator({ adminUser: "admin", adminPassword: ADMIN_PASSWORD });
    let editedId = "";
    return {
        label: "PortSIP v12",
        vendor: "portsip",
        connection: "hq",
        start: () => sim.start(),
        stop: () => sim.stop(),
        config: () => ({
            "portsip:hq.url": { value: sim.baseUrl },
            "portsip:hq.username": { value: "admin" },
            "portsip:hq.password": { value: ADMIN_PASSWORD, secret: true },
            "portsip:hq.apiVersion": { value: "v12" },
            ...tuning("portsip"),
        }),
        seed: () => {
            const base = { protocol: "UDP", port: 5060 } as const;
            const ids = [
                sim.addTrunk({
                    ...base,
                    name: "carrier-v12-a",
                    auth_mode: "REGISTER_AUTH",
                    hostname: "sip.a.example.com",
                    auth_id: "7001",
                    password: SECRETS[0],
                    require_register: true,
                }),
                sim.addTrunk({ ...base, name: "carrier-v12-b", auth_mode: "IP_AUTH", hostname: "203.0.113.30" }),
                sim.addTrunk({
                    ...base,
                    name: "carrier-v12-tcp",
                    auth_mode: "REGISTER_AUTH",
                    protocol: "TCP",
                    port: 5061,
                    hostname: "sip.tcp.example.com",
                    auth_id: "7003",
                    password: SECRETS[1],
                }),
                sim.addTrunk({
                    ...base,
                    name: "carrier-v12-proxy",
                    auth_mode: "IP_AUTH",
                    hostname: "sip.proxy.example.com",
                    outbound_server: "proxy.example.com",
                    outbound_server_port: 5070,
                    ips: ["198.51.100.7"],
                }),
                sim.addTrunk({
                    ...base,
                    name: "Carrier V12 Lan",
                    auth_mode: "IP_AUTH",
                    hostname: "10.0.0.5",
                    provider_in_lan: true,
                    reregister_interval: 120,
                }),
            ];
            editedId = ids[1]!;
            return { ids };
        },
        ids: () => sim.listTrunks().map((trunk) => trunk.id),
        writes: () =>
            requestsOf(sim.server.requests, (request) => request.method !== "GET" && !request.path.endsWith("/verify")),
        clearLog: () => {
            sim.server.clearLog();
        },
        edit: {
            from: '"203.0.113.30"',
            to: '"203.0.113.31"',
            property: "hostname",
            applied: () => sim.getTrunk(editedId)?.hostname === "203.0.113.31",
        },
    };
}

function portSipV22(): Variant {
    const sim = new PortSipV22Simulator({ adminUser: "admin", adminPassword: ADMIN_PASSWORD });
    let editedId = "";
    return {
        label: "PortSIP v22",
        vendor: "portsip",
        connection: "default",
        start: () => sim.start(),
        stop: () => sim.stop(),
        config: () => ({
            "portsip:url": { value: sim.baseUrl },
            "portsip:username": { value: "admin" },
            "portsip:password": { value: ADMIN_PASSWORD, secret: true },
            "portsip:apiVersion": { value: "v22" },
            ...tuning("portsip"),
        }),
        seed: () => {
            const base = { transport: "UDP", port: 5060, outbound_server: "", outbound_server_port: 0 } as const;
            const ids = [
                sim.addTrunk({
                    ...base,
                    name: "carrier-a",
                    concurrency: 30,
                    auth_mode: "REGISTER_AUTH",
                    hostname: "sip.a.example.com",
                    auth_id: "acme",
                    password: SECRETS[0],
                    did_numbers: "4155550100-4155550199",
                    additional_ips: "198.51.100.0/24",
                }),
                sim.addTrunk({
                    ...base,
                    name: "carrier-b",
                    concurrency: 0,
                    auth_mode: "IP_AUTH",
                    hostname: "203.0.113.40",
                    enabled: false,
                }),
                sim.addTrunk({
                    ...base,
                    name: "carrier-tls",
                    concurrency: 10,
                    transport: "TLS",
                    port: 5061,
                    auth_mode: "REGISTER_AUTH",
                    hostname: "sip.tls.example.com",
                    auth_id: "tls",
                    password: SECRETS[1],
                    keep_alive: true,
                    keep_alive_interval: 30,
                }),
                sim.addTrunk({
                    ...base,
                    name: "carrier-dids",
                    concurrency: 5,
                    auth_mode: "IP_AUTH",
                    hostname: "sip.dids.example.com",
                    did_numbers: "4155550300;4155550301",
                }),
                sim.addTrunk({
                    ...base,
                    name: "carrier-proxy",
                    concurrency: 0,
                    auth_mode: "IP_AUTH",
                    hostname: "sip.proxy.example.com",
                    outbound_server: "proxy.example.com",
                    outbound_server_port: 5070,
                }),
            ];
            // A DID pool overlapping carrier-a's: no two trunks of one program may claim a number,
            // so the export names it and leaves it out.
            const unrepresentable = sim.addTrunk({
                ...base,
                name: "overlapping-dids",
                concurrency: 0,
                auth_mode: "IP_AUTH",
                hostname: "sip.overlap.example.com",
                did_numbers: "4155550150",
            });
            editedId = ids[1]!;
            return { ids, unrepresentable };
        },
        ids: () => sim.listTrunks().map((trunk) => trunk.id),
        writes: () =>
            requestsOf(
                sim.server.requests,
                (request) => request.method === "POST" && request.path.startsWith("/api/providers"),
            ),
        clearLog: () => {
            sim.server.clearLog();
        },
        edit: {
            from: '"203.0.113.40"',
            to: '"203.0.113.41"',
            property: "hostname",
            applied: () => sim.getTrunk(editedId)?.hostname === "203.0.113.41",
        },
    };
}

function openVox(format: "json" | "xml"): Variant {
    const sim = new OpenVoxSimulator({ username: "api", password: ADMIN_PASSWORD });
    return {
        label: `OpenVox ${format.toUpperCase()}`,
        vendor: "openvox",
        connection: "pbx",
        start: () => sim.start(),
        stop: () => sim.stop(),
        config: () => ({
            "openvox:pbx.url": { value: sim.server.baseUrl },
            "openvox:pbx.username": { value: "api" },
            "openvox:pbx.password": { value: ADMIN_PASSWORD, secret: true },
            "openvox:pbx.format": { value: format },
            ...tuning("openvox"),
        }),
        seed: () => {
            const trunks = [
                sim.addTrunk({
                    trunkname: "itsp-register",
                    trunktype: "register",
                    host: "sip.itsp.example.com",
                    port: "5060",
                    username: "ov",
                    authname: "ov",
                    password: SECRETS[0],
                    fromuser: "4155550100",
                }),
                sim.addTrunk({ trunkname: "peer-a", trunktype: "peer", host: "203.0.113.50", port: "5060" }),
                sim.addTrunk({
                    trunkname: "peer-b",
                    trunktype: "peer",
                    host: "sip.peer-b.example.com",
                    port: "5080",
                    domain: "peer-b.example.com",
                }),
                sim.addTrunk({
                    trunkname: "branch",
                    trunktype: "account",
                    username: "branch",
                    authname: "branch-auth",
                    password: SECRETS[1],
                }),
                sim.addTrunk({
                    trunkname: "itsp-two",
                    trunktype: "register",
                    host: "sip.two.example.com",
                    port: "5061",
                    domain: "two.example.com",
                    username: "two",
                    authname: "two-auth",
                    password: SECRETS[2],
                }),
            ];
            return { ids: trunks.map((trunk) => trunk.trunkname) };
        },
        ids: () => sim.listTrunks().map((trunk) => trunk.trunkname),
        writes: () => requestsOf(sim.server.requests, (request) => /siptrunk\/(add|update|delete)/.test(request.path)),
        clearLog: () => {
            sim.server.clearLog();
        },
        edit: {
            from: '"203.0.113.50"',
            to: '"203.0.113.51"',
            property: "host",
            applied: () => {
                const trunk = sim.listTrunks().find((one) => one.trunkname === "peer-a");
                return trunk !== undefined && "host" in trunk && trunk.host === "203.0.113.51";
            },
        },
    };
}

/** Runs the exported program's text as the stack's inline program, with the package it imports. */
function programOf(text: string): () => Promise<void> {
    const js = ts.transpileModule(text, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    }).outputText;
    const modules: Record<string, unknown> = { "pulumi-voip": voip, "@pulumi/pulumi": pulumi };
    return () => {
        const load = (id: string): unknown => {
            if (!(id in modules)) throw new Error(`the exported program imports ${id}`);
            return modules[id];
        };
        // Compiled in this realm (jest's), so the program's arrays are arrays to the SDK's serializer;
        // a vm.Script would give them another realm's Array.
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        const run = new Function("require", "exports", "module", js) as (
            require: (id: string) => unknown,
            exports: object,
            module: object,
        ) => void;
        run(load, {}, { exports: {} });
        return Promise.resolve();
    };
}

const env = new E2EEnvironment("export");
const exportedPrograms: Record<string, string> = {};

afterAll(() => {
    env.cleanup();
});

describe.each([
    ["telecomcenter", telecomCenter],
    ["voicetel", voiceTel],
    ["portsip-v12", portSipV12],
    ["portsip-v22", portSipV22],
    ["openvox-json", () => openVox("json")],
    ["openvox-xml", () => openVox("xml")],
] as const)("export round trip: %s", (key, makeVariant) => {
    const variant: Variant = makeVariant();
    let stack: Stack;
    let seeded: { ids: string[]; unrepresentable?: string };
    let program = "";
    let stderr = "";
    let status = -1;

    beforeAll(async () => {
        await variant.start();
        seeded = variant.seed();
        stack = await env.stack({
            project: `export-${key}`,
            stack: "e2e",
            program: () => programOf(program)(),
            config: variant.config(),
        });
        variant.clearLog();
        status = await runExport(
            ["--vendor", variant.vendor, "--connection", variant.connection, "--stack", "e2e", "--set-secrets"],
            {
                stdout: (text) => (program += text),
                stderr: (text) => (stderr += text),
                env: { ...process.env, ...env.envVars() },
                cwd: stack.workspace.workDir,
            },
        );
        // In memory only, at a path inside the checkout, so the type check resolves its node_modules.
        exportedPrograms[path.join(REPO_ROOT, "exported", `${key}.ts`)] = program;
    }, 240_000);

    afterAll(async () => {
        await variant.stop();
    });

    it("writes one adopting resource per object, secrets only as stack config, with no vendor write", () => {
        expect(status).toBe(seeded.unrepresentable === undefined ? EXIT.ok : EXIT.skipped);
        expect(variant.writes()).toEqual([]);
        for (const id of seeded.ids) expect(program).toContain(`adopt: { id: ${JSON.stringify(id)} }`);
        expect(program.match(/adopt: \{ id:/g)).toHaveLength(seeded.ids.length);
        expect(program.match(/\{ retainOnDelete: true \}/g)).toHaveLength(seeded.ids.length);
        if (seeded.unrepresentable !== undefined) {
            expect(program).not.toContain(seeded.unrepresentable);
            expect(stderr).toMatch(new RegExp(`skipped .*${seeded.unrepresentable}`));
        }
        expect(stderr).toContain(`wrote ${seeded.ids.length} resource(s)`);
        for (const secret of [...SECRETS, ADMIN_PASSWORD]) {
            expect(program).not.toContain(secret);
            expect(stderr).not.toContain(secret);
        }
    });

    it("up adopts every object: no vendor create, no write", async () => {
        const rec = recorder();
        const result = await stack.up({ onEvent: rec.onEvent });
        expect(result.summary.result).toBe("succeeded");
        expect(rec.record.steps.filter((step) => step.op === "create")).toHaveLength(seeded.ids.length);
        expect(variant.writes()).toEqual([]);
        expect(variant.ids().sort()).toEqual(
            [...seeded.ids, ...(seeded.unrepresentable === undefined ? [] : [seeded.unrepresentable])].sort(),
        );
        const stored = dynamicResources(env.checkpoint(`export-${key}`, "e2e"));
        expect(stored.map((resource) => resource.id).sort()).toEqual([...seeded.ids].sort());
        const text = env.backendText();
        for (const secret of [...SECRETS, ADMIN_PASSWORD]) expect(text).not.toContain(secret);
    });

    it("previews no changes right after", async () => {
        const rec = recorder();
        await stack.preview({ expectNoChanges: true, onEvent: rec.onEvent });
        expect(changes(rec.record)).toEqual([]);
    });

    it("one edit in the program updates exactly that object", async () => {
        expect(program.split(variant.edit.from)).toHaveLength(2);
        program = program.replace(variant.edit.from, variant.edit.to);
        variant.clearLog();
        const rec = recorder();
        await stack.up({ onEvent: rec.onEvent });
        const changed = changes(rec.record);
        expect(changed).toHaveLength(1);
        expect(changed[0]).toMatch(new RegExp(` update \\[${variant.edit.property}\\]$`));
        expect(variant.writes()).toHaveLength(1);
        expect(variant.edit.applied()).toBe(true);
    });

    it("destroy keeps every object (retainOnDelete)", async () => {
        variant.clearLog();
        const result = await stack.destroy();
        expect(result.summary.result).toBe("succeeded");
        expect(variant.writes()).toEqual([]);
        expect(variant.ids().length).toBe(seeded.ids.length + (seeded.unrepresentable === undefined ? 0 : 1));
    });
});

test("every exported program type-checks as a user's project compiles it", () => {
    expect(Object.keys(exportedPrograms)).toHaveLength(6);
    expect(typeCheck(exportedPrograms)).toEqual([]);
}, 120_000);
