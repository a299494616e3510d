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
 * `adopt` on the real pulumi engine: objects made outside Pulumi are taken over by `up` with no
 * create at the vendor, the next preview is clean, and `destroy` with `retainOnDelete: true`
 * leaves them where they were.
 */

const API_USER = "operator-adopt-e2e";
const API_PASSWORD = "canary-adopt-api-pw-5Hd";
const PBX_PASSWORD = "canary-adopt-pbx-pw-8Wq";
const TRUNK_PASSWORD = "canary-adopt-trunk-pw-2Nc";

const env = new E2EEnvironment("adopt");
const telecom = new TelecomCenterSimulator({ username: API_USER, password: API_PASSWORD });
const pbx = new PortSipV12Simulator({ adminUser: "admin", adminPassword: PBX_PASSWORD });

function program(): Promise<Record<string, unknown>> {
    const gateway = new telecomcenter.TerminationGateway(
        "carrier-gw",
        { customerId: "cust-1", name: "carrier-existing", host: "sip.existing.example.com", adopt: true },
        { retainOnDelete: true },
    );
    // Differs from the PBX's trunk in its host: adoption updates it in place.
    const trunk = new portsip.Trunk(
        "carrier-trunk",
        {
            connection: "hq",
            name: "carrier-v12",
            hostname: "sip.new-carrier.example",
            authId: "7001",
            password: TRUNK_PASSWORD,
            adopt: true,
        },
        { retainOnDelete: true },
    );
    return Promise.resolve({ gatewayId: gateway.id, trunkId: trunk.id });
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
        operator: true,
    }).id;
    trunkId = pbx.addTrunk({
        name: "carrier-v12",
        auth_mode: "REGISTER_AUTH",
        protocol: "UDP",
        hostname: "sip.old-carrier.example",
        port: 5060,
        auth_id: "7001",
        password: TRUNK_PASSWORD,
        require_register: true,
    });
    telecom.server.clearLog();
    pbx.server.clearLog();
    stack = await env.stack({
        project: "adopt",
        stack: "e2e",
        program,
        config: {
            ...telecomCenterConfig(telecom.server.baseUrl, { username: API_USER, password: API_PASSWORD }),
            ...tuningConfig("telecomcenter", { retryBaseDelayMs: 20 }),
            ...portSipConfig(pbx.baseUrl, { username: "admin", password: PBX_PASSWORD }, "hq", "v12"),
        },
    });
}, 120_000);

afterAll(async () => {
    await telecom.stop();
    await pbx.stop();
    env.cleanup();
});

/** Requests that wrote to a simulator, logins aside. */
function writes(): string[] {
    return [...telecom.server.requests, ...pbx.server.requests]
        .filter((request) => request.method !== "GET" && !request.path.endsWith("/verify"))
        .map((request) => `${request.method} ${request.path}`);
}

describe("adopt on the pulumi engine", () => {
    it("up takes over both objects without creating any, and says what it adopted and changed", async () => {
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.outputs["gatewayId"]?.value).toBe(gatewayId);
        expect(result.outputs["trunkId"]?.value).toBe(trunkId);
        // No create at either vendor: the only write is the trunk's one update.
        expect(writes()).toEqual(["POST /api/providers/update"]);
        expect(telecom.gateways()).toHaveLength(1);
        expect(pbx.listTrunks()).toHaveLength(1);
        expect(pbx.getTrunk(trunkId)).toMatchObject({ hostname: "sip.new-carrier.example" });
        expect(result.stdout).toContain(
            `adopted termination gateway ${gatewayId} (name "carrier-existing" of customer cust-1 on connection "default"); it already matches`,
        );
        expect(result.stdout).toContain(
            `adopted trunk ${trunkId} (name "carrier-v12" on connection "hq"); updated: hostname`,
        );
        const stored = dynamicResources(env.checkpoint("adopt", "e2e"));
        expect(stored.map((resource) => resource.outputs?.["adopt"])).toEqual([undefined, undefined]);
        expect(env.backendText()).not.toContain(TRUNK_PASSWORD);
    });

    it("previews no changes afterwards", async () => {
        const rec = recorder();
        await stack.preview({ expectNoChanges: true, onEvent: rec.onEvent });
        expect(changes(rec.record)).toEqual([]);
    });

    it("destroy with retainOnDelete keeps both objects on the vendors", async () => {
        telecom.server.clearLog();
        pbx.server.clearLog();
        const result = await stack.destroy();
        expect(result.summary.result).toBe("succeeded");
        expect(writes()).toEqual([]);
        expect(telecom.gateways().map((gateway) => gateway.id)).toEqual([gatewayId]);
        expect(pbx.listTrunks().map((trunk) => trunk.id)).toEqual([trunkId]);
    });
});
