import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    LocalWorkspace,
    PulumiCommand,
    type ConfigMap,
    type EngineEvent,
    type PulumiFn,
    type Stack,
    type StepEventMetadata,
} from "@pulumi/pulumi/automation";
import * as connectionConfig from "../lifecycle/config";
import type { Login } from "../lifecycle/config";

/**
 * Drives the real `pulumi` CLI (built by scripts/ensure-pulumi-cli.sh) through the Automation API
 * with inline programs: the Node language host cannot be built here, and inline programs do not
 * need it. The engine, the file backend, the secrets manager and the dynamic-provider plugin
 * process are all the real ones.
 */

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

let cliPrefix: string | undefined;

/** The directory whose `bin/` holds the pinned CLI; builds it on first use if needed. */
export function pulumiCliPrefix(): string {
    if (cliPrefix === undefined) {
        const output = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-pulumi-cli.sh")], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
        });
        cliPrefix = output.trim().split("\n").pop() ?? "";
    }
    return cliPrefix;
}

/** Asserts what the provider process needs: the compiled runtime, reachable as `pulumi-voip`. */
export function assertPackageReady(programDir = REPO_ROOT): void {
    const runtime = path.join(programDir, "node_modules", "pulumi-voip", "dist", "provider", "runtime.js");
    if (!fs.existsSync(runtime)) {
        throw new Error(`${runtime} is missing: run the tests through \`npm test\` (it builds and links the package)`);
    }
}

export interface ResourceStep {
    urn: string;
    name: string;
    type: string;
    op: string;
    /** Input properties whose values differ between the old and the new state. */
    diffs: string[];
}

export interface OperationRecord {
    steps: ResourceStep[];
    stdout: string;
}

export class E2EEnvironment {
    readonly root: string;
    readonly backendDir: string;
    readonly passphrase = "e2e-passphrase";
    private command: PulumiCommand | undefined;

    constructor(label: string) {
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-voip-${label}-`));
        this.backendDir = path.join(this.root, "backend");
        fs.mkdirSync(this.backendDir, { recursive: true });
        fs.mkdirSync(path.join(this.root, "home"), { recursive: true });
    }

    envVars(): Record<string, string> {
        const bin = path.join(pulumiCliPrefix(), "bin");
        return {
            PATH: `${bin}:${process.env["PATH"] ?? ""}`,
            PULUMI_HOME: path.join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${this.backendDir}`,
            PULUMI_CONFIG_PASSPHRASE: this.passphrase,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
        };
    }

    private async pulumiCommand(): Promise<PulumiCommand> {
        this.command ??= await PulumiCommand.get({ root: pulumiCliPrefix() });
        return this.command;
    }

    /**
     * A stack whose program runs inline in this process. `programDir` is where the engine starts
     * the dynamic-provider plugin, so `pulumi-voip` must resolve from it.
     */
    async stack(options: {
        project: string;
        stack: string;
        program: PulumiFn;
        config?: ConfigMap;
        programDir?: string;
    }): Promise<Stack> {
        const programDir = options.programDir ?? REPO_ROOT;
        assertPackageReady(programDir);
        const workDir = path.join(this.root, `work-${options.project}-${path.basename(programDir)}`);
        fs.mkdirSync(workDir, { recursive: true });
        const stack = await LocalWorkspace.createOrSelectStack(
            { projectName: options.project, stackName: options.stack, program: options.program },
            {
                workDir,
                pulumiCommand: await this.pulumiCommand(),
                envVars: this.envVars(),
                projectSettings: { name: options.project, runtime: "nodejs", main: programDir },
            },
        );
        if (options.config !== undefined) await stack.setAllConfig(options.config);
        return stack;
    }

    /**
     * The package at another path, as a second checkout or an installed copy has it: package.json,
     * the compiled dist/ (copied) and node_modules (hard links; its `pulumi-voip` link is relative,
     * so it points at the copy). Lives under this environment's temporary directory, so a test may
     * take the copy's dist/ away to prove nothing else serves the provider; the checkout is never touched.
     */
    copyOfPackage(name: string): string {
        const copy = path.join(this.root, name);
        fs.mkdirSync(copy);
        for (const entry of ["package.json", "dist"]) execFileSync("cp", ["-a", path.join(REPO_ROOT, entry), copy]);
        execFileSync("cp", ["-al", path.join(REPO_ROOT, "node_modules"), copy]);
        return copy;
    }

    /** Every file the backend wrote (state, backups, history), concatenated: what a secrets audit reads. */
    backendText(): string {
        const texts: string[] = [];
        const walk = (dir: string): void => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const full = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(full);
                else texts.push(fs.readFileSync(full, "utf8"));
            }
        };
        walk(this.backendDir);
        return texts.join("\n");
    }

    /** The latest checkpoint of a stack, read from the file backend (secrets stay encrypted). */
    checkpoint(project: string, stack: string): Checkpoint {
        const file = path.join(this.backendDir, ".pulumi", "stacks", project, `${stack}.json`);
        return JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
    }

    cleanup(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

export interface CheckpointResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

export interface Checkpoint {
    checkpoint: { latest?: { resources?: CheckpointResource[] } };
}

/** The dynamic resources of a checkpoint (not the stack or the default provider). */
export function dynamicResources(checkpoint: Checkpoint): CheckpointResource[] {
    return (checkpoint.checkpoint.latest?.resources ?? []).filter((resource) =>
        resource.type.startsWith("pulumi-nodejs:dynamic/"),
    );
}

/**
 * Collects the steps the engine reports, with the properties whose inputs changed. Dynamic
 * providers send no list of changed keys, so the CLI's display (`[diff: ~host]`) compares old and
 * new inputs; this does the same, so tests assert what a user reads. A refresh step reports its
 * outcome (update, delete) only when it ends, so refreshes are taken from the outputs event.
 */
export function recorder(): {
    onEvent: (event: EngineEvent) => void;
    onOutput: (out: string) => void;
    record: OperationRecord;
} {
    const record: OperationRecord = { steps: [], stdout: "" };
    const refreshed = new Set<string>();
    const add = (metadata: StepEventMetadata): void => {
        record.steps.push({
            urn: metadata.urn,
            name: metadata.urn.split("::").pop() ?? "",
            type: metadata.type,
            op: metadata.op,
            diffs: changedInputs(metadata.old?.inputs, metadata.new?.inputs),
        });
    };
    return {
        record,
        onOutput: (out) => {
            record.stdout += out;
        },
        onEvent: (event) => {
            const pre = event.resourcePreEvent?.metadata;
            if (pre !== undefined && pre.type.startsWith("pulumi-nodejs:dynamic/")) {
                if (pre.op === "refresh") refreshed.add(pre.urn);
                else add(pre);
            }
            const done = event.resOutputsEvent?.metadata;
            if (done !== undefined && refreshed.has(done.urn)) add(done);
        },
    };
}

function changedInputs(olds: Record<string, unknown> | undefined, news: Record<string, unknown> | undefined): string[] {
    if (olds === undefined || news === undefined) return [];
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    return [...keys]
        .filter((key) => key !== "__provider" && JSON.stringify(olds[key]) !== JSON.stringify(news[key]))
        .sort();
}

/** Steps other than `same`, as "name op [diffs]" strings: a compact, exact assertion target. */
export function changes(record: OperationRecord): string[] {
    return record.steps
        .filter((step) => step.op !== "same")
        .map((step) => `${step.name} ${step.op}${step.diffs.length > 0 ? ` [${step.diffs.join(",")}]` : ""}`)
        .sort();
}

/** Stack config as `setAllConfig` takes it: credentials (passwords, API keys) stored as secrets. */
function stackConfig(config: Record<string, string>): ConfigMap {
    return Object.fromEntries(
        Object.entries(config).map(([key, value]) => {
            const secret = connectionConfig.CREDENTIAL_KEYS.some(
                (name) => key.endsWith(`:${name}`) || key.endsWith(`.${name}`),
            );
            return [key, secret ? { value, secret } : { value }];
        }),
    );
}

/** A telecom.center connection's stack config (the default connection when `connection` is absent). */
export function telecomCenterConfig(baseUrl: string, login: Login, connection?: string): ConfigMap {
    return stackConfig(connectionConfig.telecomCenterConfig(baseUrl, login, connection));
}

/** A PortSIP connection's stack config; without `apiVersion` the provider detects the API generation. */
export function portSipConfig(url: string, login: Login, connection?: string, apiVersion?: string): ConfigMap {
    return stackConfig(connectionConfig.portSipConfig(url, login, connection, apiVersion));
}

/** A VoiceTel connection's stack config. */
export function voiceTelConfig(baseUrl: string, apiKey: string, connection?: string): ConfigMap {
    return stackConfig(connectionConfig.voiceTelConfig(baseUrl, apiKey, connection));
}

/** An OpenVox connection's stack config; without `format` the provider speaks JSON. */
export function openVoxConfig(url: string, login: Login, connection?: string, format?: string): ConfigMap {
    return stackConfig(connectionConfig.openVoxConfig(url, login, connection, format));
}

/** A vendor's tuning settings, shortened so that retries and timeouts fit in a test. */
export function tuningConfig(vendor: string, tuning: connectionConfig.Tuning): ConfigMap {
    return stackConfig(connectionConfig.tuningConfig(vendor, tuning));
}
