import { forgetClaims } from "../../../provider/core/claims";
import { resetRouteCache } from "../../../provider/vendors/voicetel/account-gateway/routes";
import { VoiceTelSimulator } from "../../simulators/voicetel";
import { lifecycle, requestLog } from "../harness";
import { tuningConfig, voiceTelConfig } from "../config";

/** Creates that never orphan or duplicate a route: a route left by an interrupted run, a failing lookup. */

const API_KEY = "canary-voicetel-recovery-key-61";
const LIST = "/v2.1/gateways/list/";
const ADD = "/v2.1/gateways/add/";

const sim = new VoiceTelSimulator({ apiKey: API_KEY });
const { logLines, created } = lifecycle({
    type: "voicetel:AccountGateway",
    simulators: [sim],
    config: () => ({
        ...voiceTelConfig(sim.server.baseUrl, API_KEY),
        ...tuningConfig("voicetel", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 2 }),
    }),
});

function routesWith(address: string): number[] {
    return sim
        .listRoutes()
        .filter((route) => !route.system && route.gateway === address)
        .map((route) => route.route);
}

describe("a route left by an interrupted or failed create", () => {
    it("is adopted instead of refused as a second gateway with the same address, with an info line", async () => {
        const leftover = sim.addRoute("45.33.10.7:5060");
        sim.server.clearLog();
        const { id, outs } = await created({ host: "45.33.10.7" });
        expect(id).toBe(String(leftover));
        expect(outs).toMatchObject({ routeId: leftover, address: "45.33.10.7:5060" });
        expect(requestLog(sim.server)).toEqual([`POST ${LIST} -> 200`]);
        expect(logLines).toContainEqual(
            `pulumi-voip: VoiceTel: create account gateway "45.33.10.7:5060": adopted the existing account gateway ${id}, which matches the declared inputs exactly; it was left by an interrupted or failed create`,
        );
    });

    it("is adopted by one resource only: a second resource with the address gets VoiceTel's refusal", async () => {
        const leftover = sim.addRoute("45.33.10.8:5060");
        const first = await created({ host: "45.33.10.8" });
        expect(first.id).toBe(String(leftover));
        await expect(created({ host: "45.33.10.8", port: 5060 })).rejects.toThrow(
            `route ${leftover} already has this address`,
        );
        expect(routesWith("45.33.10.8:5060")).toEqual([leftover]);
    });
});

describe("a lost add answer followed by a failing lookup", () => {
    it("says the add may have succeeded, and the next create adopts the route", async () => {
        sim.server.injectFaults({
            fault: { kind: "status", status: 502, body: "" },
            times: 1,
            path: /gateways\/add/,
            when: "after",
        });
        // The list before the add succeeds; every list after the add has been sent fails.
        const pending = created({ host: "45.33.10.9" });
        const listFails = new Promise<void>((resolve) => {
            const poll = setInterval(() => {
                if (sim.server.requests.some((entry) => entry.path === ADD)) {
                    clearInterval(poll);
                    sim.server.injectFaults({
                        fault: { kind: "status", status: 503, body: "" },
                        times: 1000,
                        path: /gateways\/list/,
                    });
                    resolve();
                }
            }, 1);
        });
        sim.server.latencyMs = 20;
        const [error] = await Promise.all([
            pending.then(
                () => undefined,
                (e: unknown) => e as Error,
            ),
            listFails,
        ]);
        sim.server.latencyMs = 0;
        expect(error?.message).toMatch(
            /^VoiceTel: create account gateway "45\.33\.10\.9:5060" may have succeeded: .*HTTP 502.*; looking for it afterwards failed too: .*HTTP 503.* The next `pulumi up` looks for it again and adopts it if it exists \(or creates it if not\)/,
        );
        expect(routesWith("45.33.10.9:5060")).toHaveLength(1);

        sim.server.clearFaults();
        resetRouteCache();
        forgetClaims();
        const { id } = await created({ host: "45.33.10.9" });
        expect(routesWith("45.33.10.9:5060")).toEqual([Number(id)]);
    });
});
