import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { OpenVoxSimulator } from "../test/simulators/openvox";
import { PortSipV22Simulator } from "../test/simulators/portsip-v22";
import { TelecomCenterSimulator } from "../test/simulators/telecomcenter";
import { VoiceTelSimulator } from "../test/simulators/voicetel";
import { changes, E2EEnvironment, recorder, REPO_ROOT } from "../test/e2e/harness";

/**
 * `npm run demo`: the root stack (Pulumi.yaml → examples/demo) against local simulators of the
 * vendor APIs, on the real pulumi CLI: preview, up, an out-of-band change, refresh (the drift),
 * up (puts it back), destroy. Prints what happens at each step.
 */

const heading = (text: string): void => {
    process.stdout.write(`\n\x1b[1m=== ${text} ===\x1b[0m\n`);
};
const say = (text: string): void => {
    process.stdout.write(`${text}\n`);
};

async function run(): Promise<void> {
    const telecomCenter = new TelecomCenterSimulator({ username: "demo-operator", password: "demo-operator-password" });
    const voiceTel = new VoiceTelSimulator({ apiKey: "demo-voicetel-api-key" });
    const portSip = new PortSipV22Simulator({ adminUser: "admin", adminPassword: "demo-portsip-password" });
    const openVox = new OpenVoxSimulator({ username: "api", password: "demo-openvox-password" });
    await Promise.all([telecomCenter.start(), voiceTel.start(), portSip.start(), openVox.start()]);
    telecomCenter.addCustomer("demo-customer");
    const env = new E2EEnvironment("demo");

    const vendorView = (): void => {
        for (const gateway of telecomCenter.gateways()) {
            say(`  telecom.center gateway ${gateway.name}: ${gateway.host}:${String(gateway.port)}`);
        }
        for (const route of voiceTel.listRoutes().filter((candidate) => !candidate.system)) {
            say(`  VoiceTel route ${route.route}: ${route.gateway}`);
        }
        for (const trunk of portSip.listTrunks()) {
            say(`  PortSIP trunk ${trunk.name}: ${trunk.hostname}:${String(trunk.port)}`);
        }
        for (const trunk of openVox.listTrunks()) {
            const where = "host" in trunk ? `${trunk.host}:${trunk.port}` : `account ${trunk.username}`;
            say(`  OpenVox trunk ${trunk.trunkname} (${trunk.trunktype}): ${where}`);
        }
    };

    try {
        heading("Simulators (127.0.0.1 only)");
        say(`  telecom.center Operator API: ${telecomCenter.server.baseUrl}`);
        say(`  VoiceTel Gateways API v2.1:  ${voiceTel.server.baseUrl}`);
        say(`  PortSIP PBX (v22):           ${portSip.server.baseUrl}`);
        say(`  OpenVox IPPBX:               ${openVox.server.baseUrl}`);

        // The root program, exactly as `pulumi up` in the repository root would run it.
        const programModule = path.join(REPO_ROOT, "examples", "demo", "index.ts");
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program module is loaded like the language host does
        const program = require(programModule) as () => Promise<Record<string, unknown>>;
        const project = (/^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) ?? [])[1];
        const stack: Stack = await env.stack({
            project: project ?? "pulumi-voip-demo",
            stack: "demo",
            program,
            config: {
                "telecomcenter:username": { value: "demo-operator" },
                "telecomcenter:password": { value: "demo-operator-password", secret: true },
                "telecomcenter:baseUrl": { value: telecomCenter.server.baseUrl },
                "voicetel:apiKey": { value: "demo-voicetel-api-key", secret: true },
                "voicetel:baseUrl": { value: voiceTel.server.baseUrl },
                "portsip:hq.url": { value: portSip.server.baseUrl },
                "portsip:hq.username": { value: "admin" },
                "portsip:hq.password": { value: "demo-portsip-password", secret: true },
                "portsip:hq.apiVersion": { value: "v22" },
                "openvox:branch.url": { value: openVox.server.baseUrl },
                "openvox:branch.username": { value: "api" },
                "openvox:branch.password": { value: "demo-openvox-password", secret: true },
                [`${project ?? "pulumi-voip-demo"}:sipPassword`]: { value: "demo-sip-password", secret: true },
            },
        });
        const print = (out: string): void => {
            process.stdout.write(out);
        };
        const requests = (): number =>
            [telecomCenter, voiceTel, portSip, openVox].reduce((sum, sim) => sum + sim.server.requests.length, 0);

        heading("1. pulumi preview: what would be created (no vendor API call is made)");
        await stack.preview({ onOutput: print, diff: true });
        say(`  requests the simulators received during preview: ${requests()}`);

        heading("2. pulumi up");
        await stack.up({ onOutput: print });
        vendorView();

        heading("3. pulumi preview --expect-no-changes");
        await stack.preview({ expectNoChanges: true, onOutput: print });

        heading("4. Someone edits objects in the vendors' UIs");
        const gateway = telecomCenter.gateways()[0];
        const route = voiceTel.listRoutes().find((candidate) => !candidate.system);
        const trunk = openVox.listTrunks()[0];
        const pbxTrunk = portSip.listTrunks()[0];
        if (gateway === undefined || route === undefined || trunk === undefined || pbxTrunk === undefined) {
            throw new Error("the up created nothing");
        }
        portSip.editTrunk(pbxTrunk.id, { port: 5070 });
        telecomCenter.editGateway(gateway.id, { host: "sip.rogue.example.net", port: 5099 });
        voiceTel.setRouteHost(route.route, "45.33.10.99:5060");
        openVox.editTrunk(trunk.trunkname, { port: "5062" });
        vendorView();

        heading("5. pulumi refresh: the drift, and nothing else");
        const rec = recorder();
        await stack.refresh({ onOutput: print, onEvent: rec.onEvent });
        say(`  drift found: ${changes(rec.record).join("; ") || "none"}`);

        heading("6. pulumi preview: what up would do about it");
        await stack.preview({ onOutput: print, diff: true });

        heading("7. pulumi up: puts the vendors back in line with the program");
        await stack.up({ onOutput: print });
        vendorView();

        heading("8. pulumi destroy");
        await stack.destroy({ onOutput: print });
        vendorView();
        await stack.workspace.removeStack("demo");
        say("\nDemo finished.");
    } finally {
        await Promise.all([telecomCenter.stop(), voiceTel.stop(), portSip.stop(), openVox.stop()]);
        env.cleanup();
    }
}

run().catch((error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
