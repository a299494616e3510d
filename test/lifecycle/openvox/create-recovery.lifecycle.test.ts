import { ResourceInitError } from "../../../provider/core/errors";
import { OpenVoxSimulator } from "../../simulators/openvox";
import { errorOf, lifecycle } from "../harness";
import { openVoxConfig, tuningConfig } from "../config";

/**
 * Creates that never orphan or duplicate a trunk: a failure after the add keeps the trunk in the
 * stack, and a trunk left by an interrupted run is adopted.
 */

const USER = "api-recovery";
const PASSWORD = "canary-openvox-recovery-pw-1Qa";
const SIP_PASSWORD = "canary-openvox-recovery-sip-4Lk";

const pbx = new OpenVoxSimulator({ username: USER, password: PASSWORD });
const { provider, logLines, checked } = lifecycle({
    type: "openvox:SipTrunk",
    simulators: [pbx],
    config: () => ({
        ...openVoxConfig(pbx.server.baseUrl, { username: USER, password: PASSWORD }),
        ...tuningConfig("openvox", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 2 }),
    }),
    secrets: [SIP_PASSWORD],
});

/** What the engine reads from a ResourceInitError: the object is recorded in the stack. */
interface KeptInStack {
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
}

async function failure(promise: Promise<unknown>): Promise<Error> {
    const error = await errorOf(promise);
    expect(JSON.stringify(error)).not.toContain(SIP_PASSWORD);
    return error;
}

function requestLog(): string[] {
    return pbx.server.requests.map((entry) => `${entry.path.replace("/api/v0.0.1/", "")} -> ${String(entry.outcome)}`);
}

describe("a failure after the add", () => {
    it("keeps the trunk in the stack when the answer read back cannot be mapped (a field missing)", async () => {
        const inputs = await checked({
            name: "rc-unmapped",
            trunkType: "register",
            host: "sip.itsp.example",
            username: "6100",
            password: SIP_PASSWORD,
        });
        const poll = setInterval(() => {
            if (pbx.server.requests.some((entry) => entry.path.endsWith("/siptrunk/add"))) {
                clearInterval(poll);
                // The read after the add answers a record without the host a register trunk must have.
                pbx.server.injectFaults({
                    fault: {
                        kind: "status",
                        status: 200,
                        body: {
                            status: "Success",
                            trunks: [{ id: "7", trunkname: "rc-unmapped", trunktype: "register" }],
                        },
                    },
                    times: 1,
                    path: /\/siptrunk\/query$/,
                });
            }
        }, 1);
        pbx.server.latencyMs = 20;
        const error = await failure(provider.create(inputs));
        expect(pbx.getTrunk("rc-unmapped")).toBeDefined();
        expect(error).toBeInstanceOf(ResourceInitError);
        const init = error as unknown as KeptInStack;
        expect(init.id).toBe("rc-unmapped");
        expect(init.properties).toMatchObject({ name: "rc-unmapped", trunkType: "register", stateVersion: 1 });
        expect(init.properties).not.toHaveProperty("password");
        expect(init.reasons[0]).toMatch(/host/);
    });
});

describe("a trunk left by an interrupted or failed create", () => {
    it("is adopted when it matches the declared inputs exactly, with an info line, and nothing is added", async () => {
        const leftover = pbx.addTrunk({
            trunkname: "rc-leftover",
            trunktype: "register",
            host: "sip.itsp.example",
            port: "5060",
            username: "6100",
            authname: "6100",
            password: SIP_PASSWORD,
        });
        pbx.server.clearLog();
        const { id, outs } = await provider.create(
            await checked({
                name: "rc-leftover",
                trunkType: "register",
                host: "sip.itsp.example",
                username: "6100",
                password: SIP_PASSWORD,
            }),
        );
        expect(id).toBe("rc-leftover");
        expect(outs).toMatchObject({ trunkId: leftover.id, host: "sip.itsp.example" });
        expect(requestLog()).toEqual(["login -> 200", "siptrunk/query -> 200"]);
        expect(logLines).toContainEqual(
            `pulumi-voip: OpenVox PBX "default": create SIP trunk "rc-leftover": adopted the existing SIP trunk rc-leftover, which matches the declared inputs exactly; it was left by an interrupted or failed create`,
        );
    });

    it("is refused when its readable password differs, naming the property but never the value", async () => {
        pbx.addTrunk({
            trunkname: "rc-password",
            trunktype: "register",
            host: "sip.itsp.example",
            port: "5060",
            username: "6100",
            authname: "6100",
            password: "canary-other-sip-pw",
        });
        const error = await failure(
            provider.create(
                await checked({
                    name: "rc-password",
                    trunkType: "register",
                    host: "sip.itsp.example",
                    username: "6100",
                    password: SIP_PASSWORD,
                }),
            ),
        );
        expect(error.message).toMatch(/already exists \(id \d+\) and differs from the declared inputs in: password;/);
        expect(error.message).not.toContain("canary-other-sip-pw");
    });
});
