import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { openvox, portsip, telecomcenter, voicetel } from "../provider";
import { E2EEnvironment } from "../test/e2e/harness";
import { BENCH_CREDENTIALS, type ChildMessage, type ParentMessage, type SimulatorAddresses } from "./bench-simulators";

/**
 * `npm run bench`: what pulumi-voip costs on top of the engine, for every API variant.
 *
 * For each size N (BENCH_COUNT, default 200 and 1000) it times `up`, a no-change `preview`,
 * `refresh` and `destroy` of N no-op dynamic resources (the engine's own floor, measured in the
 * same run) and then of N resources of each variant (BENCH_VENDOR, default all) against the
 * simulators, at 0 ms and at 20 ms per request (BENCH_LATENCIES). The simulators run in a process
 * of their own. Per operation it reports the time, the ratio to the floor, the API requests per
 * resource and the peak resident memory (VmHWM) of the dynamic-provider process. BENCH_PROFILE=1
 * writes a CPU profile of every provider process to bench-profiles/ (open it in Chrome DevTools;
 * `--cpu-prof` itself is refused in NODE_OPTIONS, so a preloaded hook starts the profiler).
 *
 * Compare ratios, not absolute times: shared machines are noisy.
 */

const VARIANTS = ["telecomcenter", "voicetel", "portsip-v12", "portsip-v22", "openvox-json", "openvox-xml"] as const;
type Variant = (typeof VARIANTS)[number];
const OPERATIONS = ["up", "preview", "refresh", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];

function listSetting<T extends string>(name: string, allowed: readonly T[] | undefined, fallback: string): T[] {
    const values = (process.env[name] ?? fallback)
        .split(",")
        .map((value) => value.trim())
        .filter((value) => value !== "");
    for (const value of values) {
        if (allowed !== undefined && !allowed.includes(value as T)) {
            throw new Error(`${name}: "${value}" is not one of ${allowed.join(", ")}`);
        }
    }
    return values as T[];
}

const SIZES = listSetting(`BENCH_COUNT`, undefined, "200,1000").map(Number);
const CHOSEN = listSetting<Variant>("BENCH_VENDOR", VARIANTS, VARIANTS.join(","));
const LATENCIES = listSetting("BENCH_LATENCIES", undefined, "0,20").map(Number);
const PROFILE_DIR = process.env["BENCH_PROFILE"] === "1" ? path.resolve("bench-profiles") : undefined;

function progress(message: string): void {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---- the engine's floor -------------------------------------------------------------------------

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

// ---- the variants --------------------------------------------------------------------------------

const { user, password } = BENCH_CREDENTIALS;

interface VariantSetup {
    config(addresses: SimulatorAddresses): ConfigMap;
    declare(index: number): void;
}

/** A distinct documentation-range IPv4 address per index (TEST-NET-3 and neighbours). */
function addressFor(index: number): string {
    return `45.33.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

function openVoxSetup(format: "json" | "xml"): VariantSetup {
    return {
        config: (addresses) => ({
            "openvox:bench.url": { value: addresses.openvox },
            "openvox:bench.username": { value: user },
            "openvox:bench.password": { value: password, secret: true },
            "openvox:bench.format": { value: format },
        }),
        declare: (index) => {
            new openvox.SipTrunk(`trunk-${index}`, {
                connection: "bench",
                trunkType: "peer",
                host: `peer${index}.example.net`,
            });
        },
    };
}

function portSipSetup(generation: "v12" | "v22"): VariantSetup {
    return {
        config: (addresses) => ({
            "portsip:bench.url": {
                value: generation === "v12" ? `${addresses.portsipV12}/api` : addresses.portsipV22,
            },
            "portsip:bench.username": { value: user },
            "portsip:bench.password": { value: password, secret: true },
            // Pinned, as a production stack should be: no version probe.
            "portsip:bench.apiVersion": { value: generation },
            "portsip:statusPollIntervalMs": { value: "20" },
        }),
        declare: (index) => {
            new portsip.Trunk(`trunk-${index}`, {
                connection: "bench",
                hostname: `trunk${index}.example.net`,
                authId: String(100000 + index),
                password: "bench-trunk-secret",
                // A v16+/v22 field (required by its create call); v12 refuses it.
                ...(generation === "v22" ? { concurrency: 30 } : {}),
            });
        },
    };
}

const SETUPS: Record<Variant, VariantSetup> = {
    telecomcenter: {
        config: (addresses) => ({
            "telecomcenter:username": { value: user },
            "telecomcenter:password": { value: password, secret: true },
            "telecomcenter:baseUrl": { value: addresses.telecomcenter },
        }),
        declare: (index) => {
            new telecomcenter.TerminationGateway(`gw-${index}`, {
                customerId: "bench-customer",
                host: `gw${index}.example.com`,
            });
        },
    },
    voicetel: {
        config: (addresses) => ({
            "voicetel:apiKey": { value: password, secret: true },
            "voicetel:baseUrl": { value: addresses.voicetel },
        }),
        declare: (index) => {
            new voicetel.AccountGateway(`gw-${index}`, { host: addressFor(index) });
        },
    },
    "portsip-v12": portSipSetup("v12"),
    "portsip-v22": portSipSetup("v22"),
    "openvox-json": openVoxSetup("json"),
    "openvox-xml": openVoxSetup("xml"),
};

// ---- the simulator process -----------------------------------------------------------------------

class Simulators {
    private constructor(
        private readonly child: ChildProcess,
        readonly addresses: SimulatorAddresses,
    ) {}

    static start(): Promise<Simulators> {
        const child = fork(path.join(__dirname, "bench-simulators.ts"), [], {
            execArgv: ["-r", "ts-node/register"],
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
            stdio: ["ignore", "inherit", "inherit", "ipc"],
        });
        return new Promise((resolve, reject) => {
            child.once("error", reject);
            child.once("exit", (code) => {
                reject(new Error(`simulator process exited (${String(code)})`));
            });
            child.once("message", (message: ChildMessage) => {
                if ("ready" in message) resolve(new Simulators(child, message.ready));
            });
        });
    }

    private ask(message: ParentMessage, answer: (reply: ChildMessage) => boolean): Promise<ChildMessage> {
        return new Promise((resolve) => {
            const listener = (reply: ChildMessage): void => {
                if (!answer(reply)) return;
                this.child.off("message", listener);
                resolve(reply);
            };
            this.child.on("message", listener);
            this.child.send(message);
        });
    }

    async requests(): Promise<number> {
        const reply = await this.ask({ count: true }, (message) => "requests" in message);
        return "requests" in reply ? reply.requests : 0;
    }

    async setLatency(latencyMs: number): Promise<void> {
        await this.ask({ latencyMs }, (message) => "latencySet" in message);
    }

    stop(): void {
        this.child.removeAllListeners("exit");
        this.child.send({ stop: true });
    }
}

// ---- peak memory of the provider process ---------------------------------------------------------

/**
 * Polls /proc for dynamic-provider processes and keeps the highest VmHWM (peak resident set) seen.
 * The last sample before a process exits is within one poll of its true peak.
 */
class ProviderMemory {
    private peakKb = 0;
    private timer: NodeJS.Timeout | undefined;

    start(): void {
        this.peakKb = 0;
        this.timer = setInterval(() => {
            this.sample();
        }, 100);
    }

    stop(): number {
        if (this.timer !== undefined) clearInterval(this.timer);
        this.sample();
        return this.peakKb / 1024;
    }

    private sample(): void {
        for (const pid of fs.readdirSync("/proc")) {
            if (!/^\d+$/.test(pid)) continue;
            try {
                const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
                if (!command.includes("cmd/dynamic-provider")) continue;
                const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
                if (match !== null) this.peakKb = Math.max(this.peakKb, Number(match[1]));
            } catch {
                // The process ended between listing and reading.
            }
        }
    }
}

// ---- measuring -----------------------------------------------------------------------------------

interface Measurement {
    seconds: number;
    requests: number;
    peakRssMb: number;
}

type Row = Record<Operation, Measurement>;

/**
 * Preloaded (`--require`) into every Node process the CLI starts when BENCH_PROFILE=1: it profiles
 * only the dynamic-provider process and writes the profile when that process ends. Plain
 * JavaScript, written next to the bench's backend, because it runs outside ts-node.
 */
const PROFILE_HOOK = `
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");
if ((process.argv[1] ?? "").includes("dynamic-provider") && process.env.BENCH_PROFILE_DIR) {
    const session = new inspector.Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.setSamplingInterval", { interval: 500 });
    session.post("Profiler.start");
    let written = false;
    const write = () => {
        if (written) return;
        written = true;
        // In-process sessions answer synchronously, so this works inside an exit handler.
        session.post("Profiler.stop", (error, result) => {
            if (error) return;
            const file = path.join(process.env.BENCH_PROFILE_DIR, "provider-" + process.pid + ".cpuprofile");
            fs.writeFileSync(file, JSON.stringify(result.profile));
        });
    };
    process.on("exit", write);
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
        process.on(signal, () => {
            write();
            process.exit(0);
        });
    }
}
`;

class BenchEnvironment extends E2EEnvironment {
    override envVars(): Record<string, string> {
        const vars = super.envVars();
        if (PROFILE_DIR === undefined) return vars;
        const hook = path.join(this.root, "profile-hook.js");
        if (!fs.existsSync(hook)) fs.writeFileSync(hook, PROFILE_HOOK);
        return { ...vars, NODE_OPTIONS: `--require ${hook}`, BENCH_PROFILE_DIR: PROFILE_DIR };
    }
}

async function measure(stack: Stack, simulators: Simulators | undefined, label: string): Promise<Row> {
    const memory = new ProviderMemory();
    const row: Partial<Row> = {};
    for (const operation of OPERATIONS) {
        const before = simulators === undefined ? 0 : await simulators.requests();
        memory.start();
        const started = process.hrtime.bigint();
        if (operation === "up") await stack.up();
        else if (operation === "preview") {
            const preview = await stack.preview();
            const changed = Object.entries(preview.changeSummary).filter(([op]) => op !== "same");
            if (changed.length > 0)
                throw new Error(`${label}: the preview after up is not clean: ${JSON.stringify(changed)}`);
        } else if (operation === "refresh") await stack.refresh();
        else await stack.destroy();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const peakRssMb = memory.stop();
        const requests = simulators === undefined ? 0 : (await simulators.requests()) - before;
        row[operation] = { seconds, requests, peakRssMb };
        progress(
            `${label}: ${operation} ${seconds.toFixed(1)} s, ${requests} requests, provider peak ${peakRssMb.toFixed(0)} MB`,
        );
    }
    return row as Row;
}

function table(size: number, floor: Row, rows: { label: string; row: Row }[]): string {
    const lines = [
        `N = ${size}`,
        `${"variant".padEnd(30)}${"operation".padEnd(10)}${"time s".padStart(8)}${"x floor".padStart(9)}${"req/res".padStart(9)}${"peak MB".padStart(9)}`,
    ];
    for (const { label, row } of [{ label: "no-op (engine floor)", row: floor }, ...rows]) {
        for (const operation of OPERATIONS) {
            const m = row[operation];
            lines.push(
                `${label.padEnd(30)}${operation.padEnd(10)}${m.seconds.toFixed(1).padStart(8)}` +
                    (m.seconds / floor[operation].seconds).toFixed(2).padStart(9) +
                    `${(m.requests / size).toFixed(2).padStart(9)}${m.peakRssMb.toFixed(0).padStart(9)}`,
            );
        }
    }
    return lines.join("\n");
}

async function main(): Promise<void> {
    if (PROFILE_DIR !== undefined) fs.mkdirSync(PROFILE_DIR, { recursive: true });
    const env = new BenchEnvironment("bench");
    const simulators = await Simulators.start();
    const reports: string[] = [];
    try {
        for (const size of SIZES) {
            progress(`N = ${size}: engine floor`);
            const floorStack = await env.stack({
                project: `bench-noop-${size}`,
                stack: "bench",
                program: () => {
                    for (let i = 0; i < size; i++) new Noop(`noop-${i}`, i);
                    return Promise.resolve();
                },
            });
            const floor = await measure(floorStack, undefined, `no-op N=${size}`);
            const rows: { label: string; row: Row }[] = [];
            for (const variant of CHOSEN) {
                const setup = SETUPS[variant];
                const stack = await env.stack({
                    project: `bench-${variant}-${size}`,
                    stack: "bench",
                    program: () => {
                        for (let i = 0; i < size; i++) setup.declare(i);
                        return Promise.resolve();
                    },
                    config: setup.config(simulators.addresses),
                });
                for (const latency of LATENCIES) {
                    await simulators.setLatency(latency);
                    const label = `${variant}, ${latency} ms`;
                    rows.push({ label, row: await measure(stack, simulators, `${label} N=${size}`) });
                }
            }
            await simulators.setLatency(0);
            const report = table(size, floor, rows);
            reports.push(report);
            console.log(`\n${report}\n`);
        }
        console.log("pulumi-voip benchmark: one run, file backend, engine default parallelism (8)");
        console.log("x floor: time / the no-op resource's time for the same operation and N, same run");
        console.log("req/res: API requests per resource; peak MB: the dynamic-provider process's VmHWM\n");
        console.log(reports.join("\n\n"));
    } finally {
        simulators.stop();
        env.cleanup();
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
