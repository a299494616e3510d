import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { telecomcenter } from "../../provider";
import type { TerminationGatewayArgs } from "../../provider/vendors/telecomcenter";
import { TelecomCenterSimulator } from "../simulators/telecomcenter";
import { changes, dynamicResources, E2EEnvironment, pulumiCliPrefix, recorder } from "./harness";
import { installLanguageHostStandin } from "./language-host-standin";

/**
 * The engine's import route with supplied state (`pulumi import --file`, each resource with
 * `inputs` and `outputs`, CLI 3.254+): the engine skips the provider's `read` and takes the state as
 * given, then runs the provider's `check` on the inputs. For a pulumi-voip resource both must carry
 * the serialized provider (`__provider`), which dynamic resources need to be loaded at all.
 *
 * Proven here on the real CLI: an object the stack forgot (`pulumi state delete`) is brought back
 * from such a file with no vendor request, with its secret still a secret; the program's preview
 * is then clean, and refresh, update and destroy work on it.
 */

const API_USER = "operator-import";
const API_PASSWORD = "canary-import-api-pass-5Tq";
const SIP_PASSWORD = "canary-import-sip-pass-8Lm";

const env = new E2EEnvironment("import-route");
const sim = new TelecomCenterSimulator({ username: API_USER, password: API_PASSWORD });
const standin = installLanguageHostStandin(path.join(env.root, "standin"));

let desired: TerminationGatewayArgs = {
    customerId: "cust-1",
    host: "sip.import.example.com",
    codecs: ["PCMA"],
    authorizationName: "acme",
    authorizationPassword: SIP_PASSWORD,
};

function cli(stack: Stack, args: string[]): string {
    const vars = env.envVars();
    try {
        return execFileSync(path.join(pulumiCliPrefix(), "bin", "pulumi"), [...args, "--stack", stack.name], {
            cwd: stack.workspace.workDir,
            env: { ...process.env, ...vars, ...standin.env, PATH: `${standin.binDir}:${vars["PATH"] ?? ""}` },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (error) {
        const failed = error as { stdout?: string; stderr?: string };
        throw new Error(`pulumi ${args.join(" ")} failed:\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
    }
}

beforeAll(async () => {
    await sim.start();
    sim.addCustomer("cust-1");
});

afterAll(async () => {
    await sim.stop();
    env.cleanup();
});

describe("pulumi import --file with supplied inputs and outputs", () => {
    let stack: Stack;

    beforeAll(async () => {
        stack = await env.stack({
            project: "import-route",
            stack: "e2e",
            program: () => {
                new telecomcenter.TerminationGateway("gw", desired);
                return Promise.resolve();
            },
            config: {
                "telecomcenter:username": { value: API_USER },
                "telecomcenter:password": { value: API_PASSWORD, secret: true },
                "telecomcenter:baseUrl": { value: sim.server.baseUrl },
            },
        });
        await stack.up();
    });

    it("adopts a forgotten gateway with no vendor request; preview, refresh, update and destroy then work", async () => {
        const exported = JSON.parse(cli(stack, ["stack", "export", "--show-secrets"])) as {
            deployment: { resources: { urn: string; type: string; id: string; inputs: object; outputs: object }[] };
        };
        const original = exported.deployment.resources.find((resource) => resource.type.includes("TerminationGateway"));
        expect(original).toBeDefined();
        const gateway = original!;
        cli(stack, ["state", "delete", gateway.urn, "--yes"]);
        expect(dynamicResources(env.checkpoint("import-route", "e2e"))).toEqual([]);
        expect(sim.gateways()).toHaveLength(1);

        const importFile = path.join(env.root, "import.json");
        fs.writeFileSync(
            importFile,
            JSON.stringify({
                resources: [
                    {
                        type: gateway.type,
                        name: "gw",
                        id: gateway.id,
                        inputs: gateway.inputs,
                        outputs: gateway.outputs,
                    },
                ],
            }),
        );
        const requestsBefore = sim.server.requests.length;
        const output = cli(stack, [
            "import",
            "--file",
            importFile,
            "--yes",
            "--protect=false",
            "--generate-code=false",
        ]);
        expect(output).toContain("1 imported");
        expect(sim.server.requests.length).toBe(requestsBefore);

        const [imported] = dynamicResources(env.checkpoint("import-route", "e2e"));
        expect(imported?.id).toBe(gateway.id);
        // The engine stored the secret encrypted, as it does for a created gateway.
        expect(env.backendText()).not.toContain(SIP_PASSWORD);
        expect(JSON.stringify(imported?.outputs)).toContain("ciphertext");

        const preview = recorder();
        await stack.preview({ onEvent: preview.onEvent });
        expect(changes(preview.record)).toEqual([]);

        const refresh = recorder();
        await stack.refresh({ onEvent: refresh.onEvent });
        expect(changes(refresh.record)).toEqual([]);

        desired = { ...desired, host: "sbc.import.example.com" };
        const update = recorder();
        await stack.up({ onEvent: update.onEvent });
        expect(changes(update.record)).toEqual(["gw update [host]"]);
        expect(sim.gateways().map((stored) => [stored.id, stored.host])).toEqual([
            [gateway.id, "sbc.import.example.com"],
        ]);

        await stack.destroy();
        expect(sim.gateways()).toEqual([]);
    });
});
