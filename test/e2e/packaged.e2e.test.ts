import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { TelecomCenterSimulator } from "../simulators/telecomcenter";
import { E2EEnvironment, REPO_ROOT } from "./harness";

/**
 * The package as a user gets it: `npm pack`, installed into a fresh project next to a given
 * `@pulumi/pulumi`, a README-style program type-checked with the compiler options `pulumi new
 * typescript` writes (strict, no `skipLibCheck`, no `esModuleInterop`), then a stack run through
 * that project's own SDK (its Automation API, its dynamic-provider host) on the real CLI. It runs
 * on the oldest SDK the peer range claims and on the one we develop with, so the range is honest.
 */

const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
    devDependencies: Record<string, string>;
};
const peerFloor = /^>=\s*([0-9.]+)/.exec(packageJson.peerDependencies["@pulumi/pulumi"] ?? "")?.[1];
const developedWith = packageJson.devDependencies["@pulumi/pulumi"];

const USER = "op-packaged";
const PASSWORD = "canary-packaged-operator-pw-5Rt";
const SIP_PASSWORD = "canary-packaged-sip-pw-9Kd";

/** What a user pastes from README: a gateway, its config, an export. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { telecomcenter, VendorApiError } from "pulumi-voip";

const config = new pulumi.Config();
const gateway = new telecomcenter.TerminationGateway("carrier", {
    customerId: config.require("customerId"),
    host: "SIP.Carrier.example.com",
    codecs: ["PCMA", "PCMU"],
    authorizationName: "acme",
    authorizationPassword: config.requireSecret("sipPassword"),
});
export const gatewayId: pulumi.Output<string> = gateway.id;
export const port: pulumi.Output<number> = gateway.port;
// Errors are typed: a program can tell a vendor's refusal from its own bugs.
process.on("unhandledRejection", (error: unknown) => {
    if (error instanceof VendorApiError) console.error(error.vendor, error.kind);
});
`;

/** The tsconfig.json of \`pulumi new typescript\`. */
const TSCONFIG = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: false,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
};

/** Runs in the fresh project with its own SDK: up, preview (no changes expected), destroy. */
const RUNNER = `const { LocalWorkspace } = require("@pulumi/pulumi/automation");
(async () => {
    const settings = JSON.parse(process.env.RUNNER_SETTINGS);
    const stack = await LocalWorkspace.createOrSelectStack(
        { projectName: "packaged", stackName: "dev", program: async () => {
            // Each operation runs the program afresh, as the language host does.
            delete require.cache[require.resolve("./bin/index.js")];
            return { ...require("./bin/index.js") };
        } },
        { workDir: __dirname, envVars: settings.env, projectSettings: { name: "packaged", runtime: "nodejs", main: __dirname } },
    );
    await stack.setAllConfig(settings.config);
    const up = await stack.up();
    const preview = await stack.preview({ expectNoChanges: true });
    const outputs = await stack.outputs();
    await stack.destroy();
    process.stdout.write(JSON.stringify({
        upSummary: up.summary.resourceChanges,
        previewChanges: preview.changeSummary,
        gatewayId: outputs.gatewayId && outputs.gatewayId.value,
        port: outputs.port && outputs.port.value,
    }) + "\\n");
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
`;

const env = new E2EEnvironment("packaged");
const sim = new TelecomCenterSimulator({ username: USER, password: PASSWORD });
let tarball: string;

beforeAll(async () => {
    await sim.start();
    sim.addCustomer("c-packaged");
    const packDir = path.join(env.root, "pack");
    fs.mkdirSync(packDir);
    const packed = JSON.parse(
        execFileSync("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: REPO_ROOT, encoding: "utf8" }),
    ) as { filename: string }[];
    tarball = path.join(packDir, packed[0]?.filename ?? "");
}, 120_000);
afterAll(async () => {
    await sim.stop();
    env.cleanup();
});

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env: { ...process.env, ...extraEnv } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (code) => {
            if (code === 0) resolve(stdout);
            else reject(new Error(`${command} ${args.join(" ")} exited ${String(code)}:\n${stdout}\n${stderr}`));
        });
    });
}

it("ships what users need and nothing of the test tree", () => {
    const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    for (const file of [
        "package/LICENSE",
        "package/CHANGELOG.md",
        "package/README.md",
        "package/dist/provider/index.d.ts",
        "package/dist/provider/index.d.ts.map",
        "package/dist/provider/runtime.js",
        "package/dist/provider/runtime.js.map",
        "package/provider/runtime.ts",
    ]) {
        expect(listing).toContain(file);
    }
    expect(listing.filter((file) => file.startsWith("package/test/"))).toEqual([]);
});

describe.each([
    ["the oldest SDK the peer range claims", peerFloor ?? "missing"],
    ["the SDK it is developed with", developedWith ?? "missing"],
])("installed into a fresh project with @pulumi/pulumi of %s (%s)", (_label, sdkVersion) => {
    const project = path.join(env.root, `project-${sdkVersion}`);

    beforeAll(async () => {
        fs.mkdirSync(project, { recursive: true });
        fs.writeFileSync(
            path.join(project, "package.json"),
            JSON.stringify({ name: "packaged", private: true, main: "bin/index.js" }, null, 2),
        );
        fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
        fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
        fs.writeFileSync(path.join(project, "runner.js"), RUNNER);
        const typescript = packageJson.devDependencies["typescript"] ?? "5";
        await run(
            "npm",
            [
                "install",
                "--no-audit",
                "--no-fund",
                "--save-exact",
                tarball,
                `@pulumi/pulumi@${sdkVersion}`,
                `typescript@${typescript}`,
            ],
            project,
        );
    }, 300_000);

    it("type-checks a README program with the compiler options of `pulumi new typescript`", async () => {
        await expect(run(path.join(project, "node_modules", ".bin", "tsc"), ["-p", "."], project)).resolves.toBe("");
    }, 120_000);

    it("runs a stack through the installed package: up, preview with no changes, destroy", async () => {
        const settings = {
            env: env.envVars(),
            config: {
                "telecomcenter:username": { value: USER },
                "telecomcenter:password": { value: PASSWORD, secret: true },
                "telecomcenter:baseUrl": { value: sim.server.baseUrl },
                "packaged:customerId": { value: "c-packaged" },
                "packaged:sipPassword": { value: SIP_PASSWORD, secret: true },
            },
        };
        const output = await run("node", ["runner.js"], project, {
            RUNNER_SETTINGS: JSON.stringify(settings),
            PATH: settings.env.PATH ?? "",
        });
        const result = JSON.parse(output.trim().split("\n").pop() ?? "{}") as {
            upSummary: Record<string, number>;
            previewChanges: Record<string, number>;
            gatewayId: string;
            port: number;
        };
        expect(result.upSummary["create"]).toBe(2); // the stack and the gateway
        expect(Object.keys(result.previewChanges)).toEqual(["same"]);
        expect(result.gatewayId).toMatch(/^[0-9a-f-]{36}$/);
        expect(result.port).toBe(5060);
        // Every checkpoint the backend wrote (history and backups too): the installed package, not
        // this checkout, serves the provider, and no credential is stored in plain text.
        const stored = env.backendText();
        expect(stored).toContain('require(\\"pulumi-voip/dist/provider/runtime\\")');
        expect(stored).not.toContain(PASSWORD);
        expect(stored).not.toContain(SIP_PASSWORD);
        expect(sim.gateways()).toEqual([]);
    }, 300_000);
});
