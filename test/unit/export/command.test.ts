import * as net from "node:net";
import { inventoryOf } from "../../../provider/core/inventory";
import { EXIT, runExport, type ExportIo } from "../../../provider/export/command";
import { literal, programText, resourceName, secretConfigKey } from "../../../provider/export/program";
import { TelecomCenterSimulator } from "../../simulators/telecomcenter";

/**
 * `pulumi-voip export` as a user meets it on the command line: its help, usage errors, exit
 * statuses and messages, credentials from the environment, secrets never printed. The round trip
 * on the real engine, per API variant, is test/e2e/export.e2e.test.ts.
 */

const USER = "operator-export-unit";
const PASSWORD = "canary-export-unit-api-pw-4Jd";
const GATEWAY_SECRET = "canary-export-unit-gw-pw-8Xc";

const sim = new TelecomCenterSimulator({ username: USER, password: PASSWORD });
const ENV_KEYS = [
    "TELECOMCENTER_USERNAME",
    "TELECOMCENTER_PASSWORD",
    "TELECOMCENTER_BASE_URL",
    "TELECOMCENTER_MAX_RETRIES",
];
const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));

interface Run {
    status: number;
    stdout: string;
    stderr: string;
}

async function exportWith(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
    const run = { stdout: "", stderr: "" };
    const io: ExportIo = {
        stdout: (text) => (run.stdout += text),
        stderr: (text) => (run.stderr += text),
        env,
        cwd: process.cwd(),
    };
    return { status: await runExport(args, io), ...run };
}

/** The default connection's settings in the environment only, as the command reads them without --stack. */
function useEnvironment({ password = PASSWORD, baseUrl = sim.server.baseUrl, maxRetries = "" } = {}): void {
    for (const key of ENV_KEYS) Reflect.deleteProperty(process.env, key);
    Object.assign(process.env, {
        TELECOMCENTER_USERNAME: USER,
        TELECOMCENTER_PASSWORD: password,
        TELECOMCENTER_BASE_URL: baseUrl,
    });
    if (maxRetries !== "") process.env["TELECOMCENTER_MAX_RETRIES"] = maxRetries;
}

beforeAll(async () => {
    await sim.start();
    sim.addCustomer("cust-1");
    sim.createGateway("cust-1", {
        name: "carrier-a",
        host: "sip.carrier-a.example.com",
        authorization_name: "acme",
        authorization_password: GATEWAY_SECRET,
        operator: true,
    });
    sim.createGateway("cust-1", { name: "carrier-a", host: "203.0.113.9", port: 5080, operator: true });
});

afterAll(async () => {
    await sim.stop();
    for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = value;
    }
});

describe("pulumi-voip export on the command line", () => {
    it("prints its help on standard output and exits 0", async () => {
        const run = await exportWith(["--help"]);
        expect(run.status).toBe(EXIT.ok);
        expect(run.stdout).toContain("usage: pulumi-voip export --vendor <vendor>");
        expect(run.stdout).toContain("telecomcenter | voicetel | portsip | openvox");
        expect(run.stderr).toBe("");
    });

    it.each([
        [[], "--vendor is required"],
        [["--vendor", "acme"], '--vendor must be one of telecomcenter, voicetel, portsip, openvox, not "acme"'],
        [["--vendor", "portsip", "--set-secrets"], "--set-secrets needs --stack"],
        [["--vendor", "portsip", "--bogus"], "Unknown option '--bogus'"],
        [["--vendor", "portsip", "extra"], "Unexpected argument 'extra'"],
    ])("refuses %j with exit 2, saying why, before any request", async (args, reason) => {
        sim.server.clearLog();
        const run = await exportWith(args);
        expect(run.status).toBe(EXIT.usage);
        expect(run.stderr).toContain(`pulumi-voip export: ${reason}`);
        expect(run.stderr).toContain("usage: pulumi-voip export");
        expect(run.stdout).toBe("");
        expect(sim.server.requests).toEqual([]);
    });

    it("reads credentials from the environment, writes the program, and prints the secret commands without values", async () => {
        useEnvironment();
        const run = await exportWith(["--vendor", "telecomcenter"]);
        expect(run.status).toBe(EXIT.ok);
        expect(run.stdout).toContain('import { telecomcenter } from "pulumi-voip";');
        // Same name twice within a customer: two resource names.
        expect(run.stdout).toContain('new telecomcenter.TerminationGateway(\n    "carrier-a",');
        expect(run.stdout).toContain('new telecomcenter.TerminationGateway(\n    "carrier-a-2",');
        expect(run.stdout).toContain('authorizationPassword: config.requireSecret("carrierAAuthorizationPassword"),');
        expect(run.stderr).toContain("pulumi config set --secret carrierAAuthorizationPassword\n");
        expect(run.stderr).toContain("pulumi-voip export: wrote 2 resource(s)\n");
        for (const secret of [GATEWAY_SECRET, PASSWORD]) {
            expect(run.stdout).not.toContain(secret);
            expect(run.stderr).not.toContain(secret);
        }
        expect(sim.server.requests.every((request) => request.method === "GET")).toBe(true);
    });

    it("fails with exit 1 naming the vendor, the operation and the status when the credentials are refused", async () => {
        const wrong = "canary-export-unit-wrong-pw-2Lk";
        useEnvironment({ password: wrong });
        const run = await exportWith(["--vendor", "telecomcenter"]);
        expect(run.status).toBe(EXIT.failed);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(/pulumi-voip export: telecom\.center: list termination gateways.*HTTP 401/);
        expect(run.stderr).not.toContain(wrong);
    });

    it("fails with exit 1 when the vendor cannot be reached", async () => {
        const closed = await new Promise<number>((resolve) => {
            const server = net.createServer().listen(0, "127.0.0.1", () => {
                const { port } = server.address() as net.AddressInfo;
                server.close(() => {
                    resolve(port);
                });
            });
        });
        useEnvironment({ baseUrl: `http://127.0.0.1:${closed}`, maxRetries: "0" });
        const run = await exportWith(["--vendor", "telecomcenter"]);
        expect(run.status).toBe(EXIT.failed);
        expect(run.stderr).toMatch(/pulumi-voip export: telecom\.center: list termination gateways/);
        expect(run.stdout).toBe("");
    });

    it("fails with exit 1 when --stack is given and no pulumi CLI is on PATH", async () => {
        const run = await exportWith(["--vendor", "telecomcenter", "--stack", "dev"], { PATH: "/nonexistent" });
        expect(run.status).toBe(EXIT.failed);
        expect(run.stderr).toContain("pulumi-voip export: the pulumi CLI is not on PATH (needed by --stack)");
    });
});

describe("the exported program's text", () => {
    it("writes plain values as TypeScript literals, long lists one item per line", () => {
        expect(literal({ a: 1, "b-c": [true, null, "x"], d: {} })).toBe(
            '{\n    a: 1,\n    "b-c": [true, null, "x"],\n    d: {},\n}',
        );
        const long = Array.from({ length: 12 }, (_, index) => `415555010${index}`);
        expect(literal(long).split("\n")).toHaveLength(14);
        expect(() => literal(Number.NaN)).toThrow("cannot write the number NaN");
    });

    it("names resources from their labels, uniquely, and secrets from resource and input", () => {
        const taken = new Set<string>();
        expect(resourceName("Carrier A", "trunk-1", taken)).toBe("carrier-a");
        expect(resourceName("carrier_a", "trunk-2", taken)).toBe("carrier-a-2");
        expect(resourceName("--", "trunk-3", taken)).toBe("trunk-3");
        const keys = new Set<string>();
        expect(secretConfigKey("carrier-a-2", "password", keys)).toBe("carrierA2Password");
        // Another resource whose name reads the same: never the same key, so never another's secret.
        expect(secretConfigKey("carrier-a2", "password", keys)).toBe("carrierA2Password2");
    });

    it("leaves out retainOnDelete and config when asked and not needed", () => {
        const text = programText(
            [
                {
                    className: "voicetel.AccountGateway",
                    name: "gw",
                    id: "12",
                    describe: "VoiceTel account gateway 12",
                    inputs: { host: "45.33.10.1" },
                    secretConfigKeys: {},
                },
            ],
            { namespace: "voicetel", commandLine: "pulumi-voip export --vendor voicetel", retainOnDelete: false },
        );
        expect(text).not.toContain("retainOnDelete");
        expect(text).not.toContain("pulumi.Config");
        expect(text).toContain(
            'new voicetel.AccountGateway(\n    "gw",\n    {\n        host: "45.33.10.1",\n        adopt: { id: "12" },\n    },\n);',
        );
    });
});

describe("inventoryOf", () => {
    it("converts each object on its own, naming one it cannot represent with the reason", () => {
        const items = inventoryOf(
            [{ id: "1" }, { id: "2" }],
            (wire) => ({ id: wire.id, label: `"t${wire.id}"` }),
            (wire) => {
                if (wire.id === "2") throw new Error('unknown trunk type "iax"');
                return { name: `t${wire.id}` };
            },
        );
        expect(items).toEqual([
            { id: "1", outs: { name: "t1" } },
            { id: "2", label: '"t2"', problem: 'unknown trunk type "iax"' },
        ]);
    });
});
