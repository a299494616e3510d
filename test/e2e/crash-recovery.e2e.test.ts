import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import { openvox, portsip, telecomcenter, voicetel } from "../../provider";
import type { SimulatorServer } from "../simulators/core/server";
import { OpenVoxSimulator } from "../simulators/openvox";
import { PortSipV22Simulator } from "../simulators/portsip-v22";
import { TelecomCenterSimulator } from "../simulators/telecomcenter";
import { VoiceTelSimulator } from "../simulators/voicetel";
import { dynamicResources, E2EEnvironment, pulumiCliPrefix, REPO_ROOT } from "./harness";

/**
 * A `pulumi up` killed (SIGKILL to the CLI and every process it started, the dynamic-provider
 * plugin included) while one create per vendor is in flight: each vendor holds the object, and
 * the stack holds only pending creates. The documented recovery must leave exactly one object
 * per resource, each recorded in the stack, and a clean `preview --expect-no-changes`.
 */

const TC_USER = "operator-crash";
const TC_PASSWORD = "canary-crash-tc-pw-5Rd";
const VOICETEL_KEY = "canary-crash-voicetel-key-0b1";
const PBX_PASSWORD = "canary-crash-pbx-pw-8Js";
const TRUNK_PASSWORD = "canary-crash-trunk-pw-2Xc";
const OPENVOX_PASSWORD = "canary-crash-openvox-pw-6Fy";
const STACK = "e2e";

const env = new E2EEnvironment("crash");
const telecom = new TelecomCenterSimulator({ username: TC_USER, password: TC_PASSWORD });
const voiceTel = new VoiceTelSimulator({ apiKey: VOICETEL_KEY });
const pbx = new PortSipV22Simulator({ adminUser: "admin", adminPassword: PBX_PASSWORD });
const ippbx = new OpenVoxSimulator({ username: "api", password: OPENVOX_PASSWORD });

function program(): Promise<Record<string, unknown>> {
    const gateway = new telecomcenter.TerminationGateway("tc-gw", { customerId: "cust-1", host: "sip.crash.example" });
    const route = new voicetel.AccountGateway("vt-gw", { host: "45.33.40.1" });
    const trunk = new portsip.Trunk("ps-trunk", {
        connection: "pbx",
        hostname: "sip.crash-carrier.example",
        authId: "4400",
        password: TRUNK_PASSWORD,
    });
    const sipTrunk = new openvox.SipTrunk("ov-trunk", { trunkType: "peer", host: "192.0.2.44" });
    return Promise.resolve({ gateway: gateway.id, route: route.id, trunk: trunk.id, sipTrunk: sipTrunk.id });
}

function config(): ConfigMap {
    return {
        "telecomcenter:username": { value: TC_USER },
        "telecomcenter:password": { value: TC_PASSWORD, secret: true },
        "telecomcenter:baseUrl": { value: telecom.server.baseUrl },
        "voicetel:apiKey": { value: VOICETEL_KEY, secret: true },
        "voicetel:baseUrl": { value: voiceTel.server.baseUrl },
        "portsip:pbx.url": { value: pbx.baseUrl },
        "portsip:pbx.username": { value: "admin" },
        "portsip:pbx.password": { value: PBX_PASSWORD, secret: true },
        "portsip:pbx.apiVersion": { value: "v22" },
        "openvox:url": { value: ippbx.server.baseUrl },
        "openvox:username": { value: "api" },
        "openvox:password": { value: OPENVOX_PASSWORD, secret: true },
    };
}

const servers: SimulatorServer[] = [telecom.server, voiceTel.server, pbx.server, ippbx.server];

/** The create call of each vendor, as its simulator logs it on arrival. */
const CREATE_CALLS: [SimulatorServer, RegExp][] = [
    [telecom.server, /\/termination_gateways$/],
    [voiceTel.server, /\/gateways\/add\/$/],
    [pbx.server, /^\/api\/providers$/],
    [ippbx.server, /\/siptrunk\/add$/],
];

function createsReceived(): boolean {
    return CREATE_CALLS.every(([server, create]) =>
        server.requests.some((entry) => entry.method === "POST" && create.test(entry.path)),
    );
}

/** The pids of every process below `pid` (read from /proc), deepest last. */
function descendants(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // The command name may hold spaces and parentheses: the fields start after the last ")".
            const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
        } catch {
            // The process ended while being read.
        }
    }
    const found: number[] = [];
    const queue = [pid];
    while (queue.length > 0) {
        for (const child of children.get(queue.shift()!) ?? []) {
            found.push(child);
            queue.push(child);
        }
    }
    return found;
}

function processGroupOf(pid: number): number | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    } catch {
        return undefined;
    }
}

function killHard(pid: number): void {
    try {
        process.kill(pid, "SIGKILL");
    } catch {
        // Already gone.
    }
}

/** What the Automation API reads from a finished command. */
interface CommandOutcome {
    stdout: string;
    stderr: string;
    code: number;
}

/**
 * SIGKILL to the CLI's process group and to every process it started, in whatever group the
 * engine put it (plugins may get their own): nothing gets to clean up, as in a crash or OOM kill.
 */
function crash(cliPid: number): string[] {
    const below = descendants(cliPid);
    const commands = [cliPid, ...below].map(commandLineOf);
    const groups = new Set([cliPid, ...below.map(processGroupOf).filter((group) => group !== undefined)]);
    for (const group of groups) if (group > 1 && group !== process.pid) killHard(-group);
    for (const pid of [cliPid, ...below]) killHard(pid);
    return commands;
}

function commandLineOf(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    } catch {
        return "";
    }
}

/**
 * The pinned CLI, started as the leader of a new process group (so the whole group can be
 * killed), with what the Automation API's own runner adds: `--non-interactive`, the CLI's
 * directory first on PATH, PULUMI_AUTOMATION_API.
 */
function killableCommand(real: PulumiCommand, started: (pid: number) => void): PulumiCommand {
    const run = (
        args: string[],
        cwd: string,
        additionalEnv: Record<string, string>,
        onOutput?: (data: string) => void,
    ): Promise<CommandOutcome> => {
        if (!args.includes("--non-interactive")) args.push("--non-interactive");
        const childEnv = {
            ...process.env,
            ...additionalEnv,
            PATH: `${path.dirname(real.command)}:${additionalEnv["PATH"] ?? process.env["PATH"] ?? ""}`,
            PULUMI_AUTOMATION_API: "true",
        };
        return new Promise((resolve, reject) => {
            const child = spawn(real.command, args, { cwd, env: childEnv, detached: true });
            if (child.pid !== undefined) started(child.pid);
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (data: Buffer) => {
                stdout += data.toString();
                onOutput?.(data.toString());
            });
            child.stderr.on("data", (data: Buffer) => {
                stderr += data.toString();
            });
            child.on("error", reject);
            child.on("close", (code, signal) => {
                const result: CommandOutcome = { stdout, stderr, code: code ?? -1 };
                if (code === 0) resolve(result);
                else reject(new Error(`pulumi ${args[0] ?? ""} ended with ${signal ?? String(code)}: ${stderr}`));
            });
        });
    };
    return { command: real.command, version: real.version, run } as unknown as PulumiCommand;
}

async function crashingStack(project: string, started: (pid: number) => void): Promise<Stack> {
    const real = await PulumiCommand.get({ root: pulumiCliPrefix() });
    const workDir = path.join(env.root, `work-${project}-${path.basename(REPO_ROOT)}`);
    return LocalWorkspace.selectStack(
        { projectName: project, stackName: STACK, program },
        {
            workDir,
            pulumiCommand: killableCommand(real, started),
            envVars: env.envVars(),
            projectSettings: { name: project, runtime: "nodejs", main: REPO_ROOT },
        },
    );
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

beforeAll(async () => {
    await telecom.start();
    telecom.addCustomer("cust-1");
    await voiceTel.start();
    await pbx.start();
    await ippbx.start();
});

afterAll(async () => {
    await Promise.all([telecom.stop(), voiceTel.stop(), pbx.stop(), ippbx.stop()]);
    env.cleanup();
});

/** Every vendor empty, every log cleared: each scenario starts from nothing. */
function resetVendors(): void {
    for (const gateway of telecom.gateways()) telecom.deleteGateway(gateway.id);
    voiceTel.reset();
    pbx.reset();
    for (const trunk of ippbx.listTrunks()) ippbx.deleteTrunk(trunk.trunkname);
    for (const server of servers) {
        server.clearFaults();
        server.clearLog();
    }
}

/**
 * Starts `pulumi up` of the program and SIGKILLs the CLI and everything it started once every
 * vendor has received its create call; returns the command lines of the processes killed.
 */
async function crashUp(project: string): Promise<string[]> {
    resetVendors();
    for (const [server, create] of CREATE_CALLS) {
        // The vendor makes the object and its answer never comes: the create stays in flight.
        server.injectFaults({ fault: { kind: "hang" }, times: 1, method: "POST", path: create, when: "after" });
    }
    let cliPid: number | undefined;
    const crashing = await crashingStack(project, (pid) => {
        cliPid = pid;
    });
    const up = crashing.up().then(
        () => "completed",
        (error: unknown) => String(error),
    );
    const deadline = Date.now() + 120_000;
    while (!createsReceived() && Date.now() < deadline) await sleep(10);
    expect(createsReceived()).toBe(true);
    const killed = crash(cliPid!);
    expect(await up).toMatch(/SIGKILL/);
    for (const server of servers) server.clearFaults();
    return killed;
}

interface Deployment {
    pending_operations?: { type: string; resource: { urn: string } }[];
}

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? "";
}

/** The pending operations of the stack, as "type name". */
async function pendingOperations(stack: Stack): Promise<string[]> {
    const deployment = (await stack.exportStack()).deployment as Deployment;
    return (deployment.pending_operations ?? []).map((op) => `${op.type} ${nameOf(op.resource.urn)}`).sort();
}

/** The resources the stack records, as "name id". */
function recorded(project: string): string[] {
    return dynamicResources(env.checkpoint(project, STACK))
        .map((resource) => `${nameOf(resource.urn)} ${resource.id ?? ""}`)
        .sort();
}

/** Every vendor's objects, as "resource name, object id". */
function vendorObjects(): string[] {
    return [
        ...telecom.gateways().map((gateway) => `tc-gw ${gateway.id}`),
        ...voiceTel
            .listRoutes()
            .filter((route) => !route.system)
            .map((route) => `vt-gw ${route.route}`),
        ...pbx.listTrunks().map((trunk) => `ps-trunk ${trunk.id}`),
        ...ippbx.listTrunks().map((trunk) => `ov-trunk ${trunk.trunkname}`),
    ].sort();
}

const PENDING_CREATES = ["creating ov-trunk", "creating ps-trunk", "creating tc-gw", "creating vt-gw"];

const ADOPTED = [
    /pulumi-voip: telecom\.center: create termination gateway "tc-gw": adopted the existing termination gateway [0-9a-f-]{36}, which matches the declared inputs exactly; it was left by an interrupted or failed create/,
    /pulumi-voip: VoiceTel: create account gateway "45\.33\.40\.1:5060": adopted the existing account gateway \d+,/,
    /pulumi-voip: PortSIP: create trunk "ps-trunk": adopted the existing trunk \S+,/,
    /pulumi-voip: OpenVox PBX "default": create SIP trunk "ov-trunk": adopted the existing SIP trunk ov-trunk,/,
];

describe("a pulumi up killed (CLI and provider, SIGKILL) while one create per vendor is in flight", () => {
    it("leaves the objects on the vendors and pending creates plus a lock in the stack; the documented recovery adopts each one", async () => {
        const project = "crash-documented";
        const stack = await env.stack({ project, stack: STACK, program, config: config() });
        const killed = await crashUp(project);
        expect(killed.some((command) => command.includes("pulumi-resource-pulumi-nodejs"))).toBe(true);

        // Each vendor made its object; the stack knows them only as pending creates.
        const left = vendorObjects();
        expect(left.map((entry) => entry.split(" ")[0])).toEqual(["ov-trunk", "ps-trunk", "tc-gw", "vt-gw"]);
        expect(await pendingOperations(stack)).toEqual(PENDING_CREATES);
        expect(recorded(project)).toEqual([]);

        // The killed run still holds the stack's lock: every operation is refused until it is removed.
        await expect(stack.up()).rejects.toThrow(/the stack is currently locked by 1 lock\(s\).*pulumi cancel/s);

        // 1. `pulumi cancel --yes` removes the lock.
        await stack.cancel();
        // 2. `pulumi refresh --clear-pending-creates --yes` forgets the pending creates (a plain
        //    non-interactive refresh keeps them); the objects stay on the vendors.
        await stack.refresh();
        expect(await pendingOperations(stack)).toEqual(PENDING_CREATES);
        await stack.refresh({ clearPendingCreates: true });
        expect(await pendingOperations(stack)).toEqual([]);
        // 3. `pulumi up --yes`: each create finds the object its interrupted create left, and adopts it.
        let output = "";
        const up = await stack.up({
            onOutput: (out) => {
                output += out;
            },
        });
        expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
        for (const line of ADOPTED) expect(output).toMatch(line);
        expect(vendorObjects()).toEqual(left);
        expect(recorded(project)).toEqual(left);
        expect(await pendingOperations(stack)).toEqual([]);
        // 4. Nothing left to do.
        await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
    });

    it("recovers without duplicates with `pulumi cancel` and `pulumi up` alone, but the pending creates stay until cleared", async () => {
        const project = "crash-shortcut";
        const stack = await env.stack({ project, stack: STACK, program, config: config() });
        await crashUp(project);
        const left = vendorObjects();
        await stack.cancel();
        let output = "";
        await stack.up({
            onOutput: (out) => {
                output += out;
            },
        });
        expect(output).toMatch(
            /Attempting to deploy or update resources with 4 pending operations from previous deployment/,
        );
        for (const line of ADOPTED) expect(output).toMatch(line);
        expect(vendorObjects()).toEqual(left);
        expect(recorded(project)).toEqual(left);
        await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
        // The engine keeps them, and warns on every run, until `pulumi refresh --clear-pending-creates`.
        expect(await pendingOperations(stack)).toEqual(PENDING_CREATES);
        await stack.refresh({ clearPendingCreates: true });
        expect(await pendingOperations(stack)).toEqual([]);
        expect(recorded(project)).toEqual(left);
    });
});
