import type * as pulumi from "@pulumi/pulumi";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { openvox, portsip, telecomcenter, voicetel } from "../../provider";
import type { SimulatorServer } from "../simulators/core/server";
import { OpenVoxSimulator } from "../simulators/openvox";
import { PortSipV12Simulator } from "../simulators/portsip-v12";
import { PortSipV22Simulator } from "../simulators/portsip-v22";
import { TelecomCenterSimulator } from "../simulators/telecomcenter";
import { VoiceTelSimulator } from "../simulators/voicetel";
import { dynamicResources, E2EEnvironment } from "./harness";

/**
 * The most dangerous moment of a create, on the real pulumi engine, for every API variant: the
 * vendor commits the create POST, and the answer is lost (a 502 from a proxy in front of it).
 * After `pulumi up` the vendor must hold exactly one object, the stack must record it, and a
 * preview must find nothing to do: no duplicate, no orphan, no pending repair.
 */

const ADMIN = "admin";
const PASSWORD = "canary-after-commit-pw-8Tq";
const SIP_PASSWORD = "canary-after-commit-sip-3Lx";
const TUNING = { requestTimeoutMs: "3000", retryBaseDelayMs: "20", maxRetries: "3" };

function tuning(namespace: string): ConfigMap {
    return Object.fromEntries(Object.entries(TUNING).map(([key, value]) => [`${namespace}:${key}`, { value }]));
}

interface Variant {
    name: string;
    server: SimulatorServer;
    start(): Promise<void>;
    config(): ConfigMap;
    /** Declares the one resource of the program. */
    declare(): pulumi.CustomResource;
    /** The vendor's create request. */
    createPath: RegExp;
    /** The ids the stack would record for the objects the vendor holds. */
    vendorIds(): string[];
}

const telecomCenterSim = new TelecomCenterSimulator({ username: ADMIN, password: PASSWORD });
const voiceTelSim = new VoiceTelSimulator({ apiKey: "canary-after-commit-key-5Vn0q" });
const portSipV12Sim = new PortSipV12Simulator({ adminUser: ADMIN, adminPassword: PASSWORD });
const portSipV22Sim = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: PASSWORD });
const openVoxJsonSim = new OpenVoxSimulator({ username: ADMIN, password: PASSWORD });
const openVoxXmlSim = new OpenVoxSimulator({ username: ADMIN, password: PASSWORD });

function portSipVariant(name: string, sim: PortSipV12Simulator | PortSipV22Simulator, createPath: RegExp): Variant {
    return {
        name,
        server: sim.server,
        start: async () => {
            await sim.start();
        },
        config: () => ({
            "portsip:pbx.url": { value: sim.baseUrl },
            "portsip:pbx.username": { value: ADMIN },
            "portsip:pbx.password": { value: PASSWORD, secret: true },
            ...tuning("portsip"),
        }),
        declare: () =>
            new portsip.Trunk("trunk", {
                connection: "pbx",
                name: "ac-trunk",
                hostname: "sip.carrier.example",
                authId: "7001",
                password: SIP_PASSWORD,
                waitUntilOnline: false,
            }),
        createPath,
        vendorIds: () => sim.listTrunks().map((trunk) => trunk.id),
    };
}

function openVoxVariant(name: string, sim: OpenVoxSimulator, format: "json" | "xml"): Variant {
    return {
        name,
        server: sim.server,
        start: async () => {
            await sim.start();
        },
        config: () => ({
            "openvox:pbx.url": { value: sim.server.baseUrl },
            "openvox:pbx.username": { value: ADMIN },
            "openvox:pbx.password": { value: PASSWORD, secret: true },
            "openvox:pbx.format": { value: format },
            ...tuning("openvox"),
        }),
        declare: () =>
            new openvox.SipTrunk("trunk", {
                connection: "pbx",
                name: "ac-trunk",
                trunkType: "register",
                host: "sip.itsp.example",
                username: "6100",
                password: SIP_PASSWORD,
            }),
        createPath: /\/siptrunk\/add$/,
        vendorIds: () => sim.listTrunks().map((trunk) => trunk.trunkname),
    };
}

const VARIANTS: Variant[] = [
    {
        name: "telecom.center",
        server: telecomCenterSim.server,
        start: async () => {
            await telecomCenterSim.start();
            telecomCenterSim.addCustomer("c1");
        },
        config: () => ({
            "telecomcenter:username": { value: ADMIN },
            "telecomcenter:password": { value: PASSWORD, secret: true },
            "telecomcenter:baseUrl": { value: telecomCenterSim.server.baseUrl },
            ...tuning("telecomcenter"),
        }),
        declare: () =>
            new telecomcenter.TerminationGateway("gateway", {
                customerId: "c1",
                name: "ac-gateway",
                host: "gw.example.com",
                authorizationName: "u1",
                authorizationPassword: SIP_PASSWORD,
            }),
        createPath: /\/termination_gateways$/,
        vendorIds: () => telecomCenterSim.gateways().map((gateway) => gateway.id),
    },
    {
        name: "VoiceTel",
        server: voiceTelSim.server,
        start: async () => {
            await voiceTelSim.start();
        },
        config: () => ({
            "voicetel:apiKey": { value: "canary-after-commit-key-5Vn0q", secret: true },
            "voicetel:baseUrl": { value: voiceTelSim.server.baseUrl },
            ...tuning("voicetel"),
        }),
        declare: () => new voicetel.AccountGateway("gateway", { host: "45.33.10.7" }),
        createPath: /\/gateways\/add\/$/,
        vendorIds: () =>
            voiceTelSim
                .listRoutes()
                .filter((route) => !route.system)
                .map((route) => String(route.route)),
    },
    portSipVariant("PortSIP v12", portSipV12Sim, /^\/api\/providers\/create$/),
    portSipVariant("PortSIP v22", portSipV22Sim, /^\/api\/providers$/),
    openVoxVariant("OpenVox JSON", openVoxJsonSim, "json"),
    openVoxVariant("OpenVox XML", openVoxXmlSim, "xml"),
];

const env = new E2EEnvironment("after-commit");

beforeAll(async () => {
    for (const variant of VARIANTS) await variant.start();
});

afterAll(async () => {
    for (const variant of VARIANTS) await variant.server.stop();
    env.cleanup();
});

describe.each(VARIANTS.map((variant) => [variant.name, variant] as const))(
    "%s: the create POST is committed, its answer is a 502",
    (_name, variant) => {
        const project = `after-commit-${variant.name.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()}`;

        it("leaves exactly one vendor object, recorded in the stack, and nothing to do", async () => {
            const stack = await env.stack({
                project,
                stack: "e2e",
                program: () => Promise.resolve({ id: variant.declare().id }),
                config: variant.config(),
            });
            variant.server.injectFaults({
                fault: {
                    kind: "status",
                    status: 502,
                    headers: { "Content-Type": "text/html" },
                    body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
                },
                times: 1,
                method: "POST",
                path: variant.createPath,
                when: "after",
            });
            const up = await stack.up().then(
                (result) => result.summary.result,
                (error: unknown) => (error instanceof Error ? error.message : String(error)),
            );
            // The fault was met: the vendor committed a create whose answer was lost.
            expect(variant.server.pendingFaults()).toBe(0);

            const vendorIds = variant.vendorIds();
            expect({ up, vendorIds: vendorIds.length }).toEqual({ up: "succeeded", vendorIds: 1 });
            const recorded = dynamicResources(env.checkpoint(project, "e2e")).map((resource) => resource.id);
            expect(recorded).toEqual(vendorIds);
            await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
        });
    },
);
