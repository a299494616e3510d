import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { telecomcenter } from "../provider";
import { TelecomCenterSimulator } from "../test/simulators/telecomcenter";
import { E2EEnvironment } from "../test/e2e/harness";

/**
 * `npm run bench`: the cost pulumi-voip adds on top of the engine. For N resources, times
 * up / refresh / destroy of (a) a no-op dynamic resource — the engine's own floor, measured in the
 * same run on the same machine — and (b) telecom.center gateways against the simulator, with
 * no latency and with 20 ms per request. Reports absolute times and the ratios b/a; compare
 * ratios, not absolute times (shared machines are noisy).
 */

const COUNT = Number(process.env["BENCH_COUNT"] ?? "50");

class NoopProvider implements pulumi.dynamic.ResourceProvider {
    create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        return Promise.resolve({ id: `noop-${String(inputs["index"])}`, outs: inputs });
    }
    read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
        return Promise.resolve({ id, props });
    }
}
const noop = new NoopProvider();
class Noop extends pulumi.dynamic.Resource {
    constructor(name: string, index: number) {
        super(noop, name, { index }, undefined, "bench", "Noop");
    }
}

interface Timings {
    up: number;
    refresh: number;
    destroy: number;
}

async function time(action: () => Promise<unknown>): Promise<number> {
    const started = process.hrtime.bigint();
    await action();
    return Number(process.hrtime.bigint() - started) / 1e9;
}

async function measure(stack: Stack): Promise<Timings> {
    const up = await time(() => stack.up());
    const refresh = await time(() => stack.refresh());
    const destroy = await time(() => stack.destroy());
    return { up, refresh, destroy };
}

async function main(): Promise<void> {
    const env = new E2EEnvironment("bench");
    const sim = new TelecomCenterSimulator({ username: "bench", password: "bench-password" });
    await sim.start();
    sim.addCustomer("bench-customer");
    const config = {
        "telecomcenter:username": { value: "bench" },
        "telecomcenter:password": { value: "bench-password", secret: true },
        "telecomcenter:baseUrl": { value: sim.server.baseUrl },
    };
    try {
        const floorStack = await env.stack({
            project: "bench-noop",
            stack: "bench",
            program: () => {
                for (let i = 0; i < COUNT; i++) new Noop(`noop-${i}`, i);
                return Promise.resolve();
            },
        });
        const gatewayProgram = () => {
            for (let i = 0; i < COUNT; i++) {
                new telecomcenter.TerminationGateway(`gw-${i}`, {
                    customerId: "bench-customer",
                    host: `gw${i}.example.com`,
                });
            }
            return Promise.resolve();
        };
        const gatewayStack = await env.stack({ project: "bench-gw", stack: "bench", program: gatewayProgram, config });

        const floor = await measure(floorStack);
        sim.server.latencyMs = 0;
        const fast = await measure(gatewayStack);
        const requestsFast = sim.server.requests.length;
        sim.server.clearLog();
        sim.server.latencyMs = 20;
        const slow = await measure(gatewayStack);

        const row = (label: string, t: Timings): string =>
            `${label.padEnd(38)} up ${t.up.toFixed(1).padStart(6)} s   refresh ${t.refresh.toFixed(1).padStart(6)} s   destroy ${t.destroy.toFixed(1).padStart(6)} s`;
        const ratio = (label: string, t: Timings): string =>
            `${label.padEnd(38)} up ${(t.up / floor.up).toFixed(2).padStart(6)} x   refresh ${(t.refresh / floor.refresh).toFixed(2).padStart(6)} x   destroy ${(t.destroy / floor.destroy).toFixed(2).padStart(6)} x`;
        console.log(`\npulumi-voip benchmark, N = ${COUNT} resources, one run, file backend, default parallelism\n`);
        console.log(row("no-op dynamic resource (engine floor)", floor));
        console.log(row("TerminationGateway, 0 ms API latency", fast));
        console.log(row("TerminationGateway, 20 ms API latency", slow));
        console.log("\nratios to the engine floor (same run):");
        console.log(ratio("TerminationGateway, 0 ms API latency", fast));
        console.log(ratio("TerminationGateway, 20 ms API latency", slow));
        console.log(
            `\nAPI requests for up+refresh+destroy of ${COUNT} gateways: ${requestsFast} (${(requestsFast / COUNT).toFixed(1)} per gateway)`,
        );
    } finally {
        await sim.stop();
        env.cleanup();
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
