import type { Stack } from "@pulumi/pulumi/automation";
import { portsip, telecomcenter } from "../../provider";
import { PortSipV12Simulator } from "../simulators/portsip-v12";
import { TelecomCenterSimulator } from "../simulators/telecomcenter";
import {
    changes,
    dynamicResources,
    E2EEnvironment,
    portSipConfig,
    recorder,
    telecomCenterConfig,
    tuningConfig,
} from "./harness";

/**
 * Lookups in a program on the real pulumi engine: they read the stack's config (secrets
 * decrypted), run during preview and up, their results feed resources and stack outputs, and a
 * password the vendor returns reaches the state only encrypted.
 */

const API_USER = "operator-lookups-e2e";
const API_PASSWORD = "canary-lookups-api-pw-6Fe";
const GATEWAY_PASSWORD = "canary-lookups-gateway-pw-1Xv";
const PBX_PASSWORD = "canary-lookups-pbx-pw-0Lp";
const TRUNK_PASSWORD = "canary-lookups-trunk-pw-9Ma";

const env = new E2EEnvironment("lookups");
const telecom = new TelecomCenterSimulator({ username: API_USER, password: API_PASSWORD });
const pbx = new PortSipV12Simulator({ adminUser: "admin", adminPassword: PBX_PASSWORD });

/** What each run of the program saw, for the assertions. */
let seen: { names: string[] } = { names: [] };

async function program(): Promise<Record<string, unknown>> {
    const existing = await telecomcenter.getTerminationGateway({ customerId: "cust-1", name: "carrier-existing" });
    seen = { names: (await telecomcenter.listTerminationGateways({ customerId: "cust-1" })).map((g) => g.name) };
    // A resource declared from what the lookup found: the backup gateway points at the same host.
    const backup = new telecomcenter.TerminationGateway("backup", {
        customerId: existing.customerId,
        host: existing.host,
        port: existing.port + 1,
    });
    const trunk = portsip.getTrunkOutput({ connection: "hq", name: "carrier-v12" });
    return {
        existingId: existing.id,
        existingHost: existing.host,
        existingPassword: existing.authorizationPassword,
        backupHost: backup.host,
        trunk,
    };
}

let stack: Stack;
let gatewayId: string;
let trunkId: string;

beforeAll(async () => {
    await telecom.start();
    await pbx.start();
    telecom.addCustomer("cust-1");
    gatewayId = telecom.createGateway("cust-1", {
        name: "carrier-existing",
        host: "sip.existing.example.com",
        authorization_name: "acme",
        authorization_password: GATEWAY_PASSWORD,
    }).id;
    trunkId = pbx.addTrunk({
        name: "carrier-v12",
        auth_mode: "REGISTER_AUTH",
        protocol: "UDP",
        hostname: "sip.carrier.example",
        port: 5060,
        auth_id: "7001",
        password: TRUNK_PASSWORD,
    });
    stack = await env.stack({
        project: "lookups",
        stack: "e2e",
        program,
        config: {
            ...telecomCenterConfig(telecom.server.baseUrl, { username: API_USER, password: API_PASSWORD }),
            ...tuningConfig("telecomcenter", { retryBaseDelayMs: 20 }),
            ...portSipConfig(pbx.baseUrl, { username: "admin", password: PBX_PASSWORD }, "hq", "v12"),
        },
    });
});

afterAll(async () => {
    await telecom.stop();
    await pbx.stop();
    env.cleanup();
});

describe("lookups in a program on the pulumi engine", () => {
    it("run during preview with the stack's config, sending only reads", async () => {
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        expect(changes(rec.record)).toEqual(["backup create"]);
        expect(seen.names).toEqual(["carrier-existing"]);
        expect(telecom.server.requests.length).toBeGreaterThan(0);
        expect(telecom.server.requests.every((request) => request.method === "GET")).toBe(true);
        expect(
            pbx.server.requests.every((request) => request.method === "GET" || request.path.endsWith("/verify")),
        ).toBe(true);
    });

    it("feed resources and stack outputs on up; returned passwords are secret outputs", async () => {
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.outputs["existingId"]).toEqual({ value: gatewayId, secret: false });
        expect(result.outputs["existingHost"]).toEqual({ value: "sip.existing.example.com", secret: false });
        expect(result.outputs["existingPassword"]).toEqual({ value: GATEWAY_PASSWORD, secret: true });
        expect(result.outputs["backupHost"]).toEqual({ value: "sip.existing.example.com", secret: false });
        const trunk = result.outputs["trunk"];
        expect(trunk?.secret).toBe(true);
        expect(trunk?.value).toMatchObject({
            id: trunkId,
            connection: "hq",
            apiVersion: "v12",
            name: "carrier-v12",
            hostname: "sip.carrier.example",
            authId: "7001",
            password: TRUNK_PASSWORD,
        });
        const backup = dynamicResources(env.checkpoint("lookups", "e2e")).find((r) => r.urn.endsWith("::backup"));
        expect(backup?.outputs?.["port"]).toBe(5061);
        expect(telecom.gateways().map((gateway) => gateway.name)).toEqual(["carrier-existing", "backup"]);
        // The program listed the customer's gateways before the engine created the backup.
        expect(seen.names).toEqual(["carrier-existing"]);
    });

    it("keep every returned secret out of the state's plain text", async () => {
        await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
        expect(seen.names).toEqual(["carrier-existing", "backup"]);
        const text = env.backendText();
        for (const secret of [GATEWAY_PASSWORD, TRUNK_PASSWORD, API_PASSWORD, PBX_PASSWORD]) {
            expect(text).not.toContain(secret);
        }
    });
});
