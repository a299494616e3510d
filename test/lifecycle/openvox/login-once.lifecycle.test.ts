import { OpenVoxSimulator } from "../../simulators/openvox";
import { lifecycle } from "../harness";

/**
 * OpenVox locks a client address out for 10 minutes after 5 failed logins in 10 minutes. A login
 * the PBX checked but whose answer was lost (timeout, reset) may have counted as one of them, so
 * the transport must never send it again: one login request per hook, whatever the tuning says.
 */

const USER = "api-login-once";
const PASSWORD = "canary-openvox-login-once-pw-7Kd";
const WRONG_PASSWORD = "canary-openvox-login-once-wrong-3Vc";

let pbx: OpenVoxSimulator;
// A fresh PBX per test: a lockout left by one test must not decide the next. Registered before the
// harness, so the PBX listens before the harness configures the provider with its URL.
beforeEach(async () => {
    pbx = new OpenVoxSimulator({ username: USER, password: PASSWORD });
    await pbx.start();
});
afterEach(async () => {
    await pbx.stop();
});
const { provider, configure } = lifecycle({
    type: "openvox:SipTrunk",
    simulators: [],
    config: () => ({
        "openvox:url": pbx.server.baseUrl,
        "openvox:username": USER,
        "openvox:password": PASSWORD,
        "openvox:requestTimeoutMs": "200",
        "openvox:maxRetries": "4",
        "openvox:retryBaseDelayMs": "5",
    }),
});

const STATE = {
    connection: "default",
    name: "lo-peer",
    trunkType: "peer",
    host: "192.0.2.1",
    port: 5060,
    trunkId: "1",
    stateVersion: 1,
};

describe("login on a PBX slower than requestTimeoutMs", () => {
    it("sends exactly one login per read with a wrong password: two reads count two failures, far from the lockout", async () => {
        await configure({ "openvox:password": WRONG_PASSWORD });
        // The PBX checks each login (and counts the failure) but its answer never arrives in time.
        pbx.server.injectFaults({ fault: { kind: "hang" }, times: 100, path: /\/login$/, when: "after" });
        for (let read = 0; read < 2; read++) {
            await expect(provider.read("lo-peer", STATE)).rejects.toThrow(
                /^OpenVox PBX "default": refresh SIP trunk "lo-peer": log in "api-login-once" failed: no complete answer within 200 ms/,
            );
        }
        expect(pbx.server.requests.map((entry) => entry.path.replace("/api/v0.0.1/", ""))).toEqual(["login", "login"]);
        expect(pbx.loginStats.failures).toBe(2);
        expect(pbx.loginStats.lockouts).toBe(0);
    });

    it("sends one login per read with the right password too, and the next read logs in", async () => {
        await configure();
        pbx.server.injectFaults({ fault: { kind: "reset" }, times: 1, path: /\/login$/, when: "after" });
        await expect(provider.read("lo-peer", STATE)).rejects.toThrow(/log in "api-login-once" failed/);
        expect(pbx.loginAttempts.map((attempt) => attempt.outcome)).toEqual(["success"]);
        // A lost login is not a refusal: the next read logs in again (and finds no such trunk).
        await expect(provider.read("lo-peer", STATE)).resolves.toEqual({ id: "", props: {} });
        expect(pbx.loginAttempts.map((attempt) => attempt.outcome)).toEqual(["success", "success"]);
    });
});
