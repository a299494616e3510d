import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { TelecomCenterSimulator } from "../test/simulators/telecomcenter";
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
    await telecomCenter.start();
    telecomCenter.addCustomer("demo-customer");
    const env = new E2EEnvironment("demo");
    const vendorView = (): void => {
        for (const gateway of telecomCenter.gateways()) {
            say(`  telecom.center gateway ${gateway.name}: ${gateway.host}:${String(gateway.port)} (id ${gateway.id})`);
        }
        if (telecomCenter.gateways().length === 0) say("  telecom.center: no gateways");
    };

    try {
        heading("Simulators (127.0.0.1 only)");
        say(`  telecom.center Operator API: ${telecomCenter.server.baseUrl}`);

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
                sipPassword: { value: "demo-sip-password", secret: true },
            },
        });
        const print = (out: string): void => {
            process.stdout.write(out);
        };

        heading("1. pulumi preview: what would be created (no vendor API call is made)");
        await stack.preview({ onOutput: print, diff: true });
        say(`  requests the simulator received during preview: ${telecomCenter.server.requests.length}`);

        heading("2. pulumi up");
        await stack.up({ onOutput: print });
        vendorView();

        heading("3. pulumi preview --expect-no-changes");
        await stack.preview({ expectNoChanges: true, onOutput: print });

        heading("4. Someone edits a gateway in the vendor's UI");
        const primary = telecomCenter.gateways().find((gateway) => gateway.name === "carrier-primary");
        if (primary === undefined) throw new Error("carrier-primary was not created");
        telecomCenter.editGateway(primary.id, { host: "sip.rogue.example.net", port: 5099 });
        vendorView();

        heading("5. pulumi refresh: the drift, and nothing else");
        const rec = recorder();
        await stack.refresh({ onOutput: print, onEvent: rec.onEvent });
        say(`  drift found: ${changes(rec.record).join("; ") || "none"}`);

        heading("6. pulumi preview: what up would do about it");
        await stack.preview({ onOutput: print, diff: true });

        heading("7. pulumi up: puts the vendor back in line with the program");
        await stack.up({ onOutput: print });
        vendorView();

        heading("8. pulumi destroy");
        await stack.destroy({ onOutput: print });
        vendorView();
        await stack.workspace.removeStack("demo");
        say("\nDemo finished.");
    } finally {
        await telecomCenter.stop();
        env.cleanup();
    }
}

run().catch((error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
