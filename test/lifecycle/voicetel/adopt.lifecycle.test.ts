import { resetProcessState } from "../../../provider/core/process-state";
import { setResolverForTests } from "../../../provider/vendors/voicetel/account-gateway/host";
import { VoiceTelSimulator } from "../../simulators/voicetel";
import { errorOf, lifecycle } from "../harness";
import { resolveFrom } from "./hosts";
import { tuningConfig, voiceTelConfig } from "../config";

/**
 * `adopt` on a VoiceTel AccountGateway: take over a gateway (route) that exists, by host and port
 * or by route id, instead of adding one; never add, never remove.
 */

const HOME_KEY = "canary-voicetel-adopt-key-3f1b";
const EAST_KEY = "canary-voicetel-adopt-east-key-9c2d";
const HOSTS: Record<string, string> = { "sip.carrier.example.com": "45.33.20.1" };
const LIST = "/v2.1/gateways/list/";

// Duplicates allowed: an account can hold two routes with one address (older rules).
const home = new VoiceTelSimulator({ apiKey: HOME_KEY, hosts: HOSTS, allowDuplicateGateways: true });
const east = new VoiceTelSimulator({ apiKey: EAST_KEY, hosts: HOSTS, firstRouteId: 5000 });
const { provider, logLines, configure, checked, created } = lifecycle({
    type: "voicetel:AccountGateway",
    simulators: [home, east],
    config: () => ({
        ...voiceTelConfig(home.server.baseUrl, HOME_KEY),
        ...voiceTelConfig(east.server.baseUrl, EAST_KEY, "east"),
        ...tuningConfig("voicetel", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 1 }),
    }),
    secrets: [HOME_KEY, EAST_KEY],
});

/** Every call other than the list (VoiceTel's only read). */
function writes(sim: VoiceTelSimulator): string[] {
    return sim.server.requests.map((entry) => entry.path).filter((path) => path !== LIST);
}

beforeEach(() => {
    resolveFrom(HOSTS);
    for (const sim of [home, east]) {
        for (const route of sim.listRoutes()) if (!route.system) sim.deleteRoute(route.route);
        sim.server.clearLog();
    }
});
afterAll(() => {
    setResolverForTests(undefined);
});

const DECLARED = { host: "45.33.20.7", port: 5070 };

describe("adopt: true (by host and port)", () => {
    it("takes over the gateway with zero writes; the outputs are the created ones", async () => {
        const made = await created(DECLARED);
        resetProcessState();
        await configure();
        home.server.clearLog();
        logLines.length = 0;
        const adopted = await provider.create(await checked({ ...DECLARED, adopt: true }));
        expect(adopted).toEqual(made);
        expect(writes(home)).toEqual([]);
        expect(logLines.join("\n")).toContain(
            `VoiceTel: adopted account gateway ${made.id} (address 45.33.20.7:5070 on connection "default"); it already matches the declared inputs: nothing changed`,
        );
    });

    it("refuses when no gateway has the address, adding nothing", async () => {
        home.addRoute("45.33.20.8:5070");
        home.server.clearLog();
        const error = await errorOf(provider.create(await checked({ ...DECLARED, adopt: true })));
        expect(error.message).toBe(
            'VoiceTel: adopt account gateway "45.33.20.7:5070": no account gateway has address 45.33.20.7:5070 on connection "default"; nothing was adopted or created (remove adopt to create one)',
        );
        expect(writes(home)).toEqual([]);
    });

    it("refuses when several gateways have the address, naming them", async () => {
        const first = home.addRoute("45.33.20.7:5070");
        const second = home.addRoute("45.33.20.7:5070");
        home.server.clearLog();
        const error = await errorOf(provider.create(await checked({ ...DECLARED, adopt: true })));
        expect(error.message).toContain(
            `2 account gateways have address 45.33.20.7:5070 on connection "default" (ids ${first}, ${second}); nothing was adopted or created`,
        );
        expect(writes(home)).toEqual([]);
    });

    it("refuses a gateway of another connection's account", async () => {
        home.addRoute("45.33.20.7:5070");
        const error = await errorOf(provider.create(await checked({ ...DECLARED, connection: "east", adopt: true })));
        expect(error.message).toContain('no account gateway has address 45.33.20.7:5070 on connection "east"');
        expect(writes(east)).toEqual([]);
    });
});

describe("adopt: { id } (the route id)", () => {
    it("moves the gateway to the declared address in one update; the state then works like a created one", async () => {
        const route = home.addRoute("45.33.20.9:5060");
        home.server.clearLog();
        const { id, outs } = await provider.create(await checked({ ...DECLARED, adopt: { id: String(route) } }));
        expect(id).toBe(String(route));
        expect(writes(home)).toHaveLength(1);
        expect(home.getRoute(route)).toMatchObject({ gateway: "45.33.20.7:5070" });
        const reference = await created({ host: "sip.carrier.example.com" });
        const keys = (props: Record<string, unknown>): string[] => Object.keys(props).sort();
        expect(keys(outs as Record<string, unknown>)).toEqual(keys(reference.outs as Record<string, unknown>));
        expect(outs).toMatchObject({ host: "45.33.20.7", port: 5070, routeId: route, address: "45.33.20.7:5070" });

        expect((await provider.read(id, outs)).props).toEqual(outs);
        for (const adopt of [true, false, { id }, undefined]) {
            expect((await provider.diff(id, outs, await checked({ ...DECLARED, adopt }))).changes).toBe(false);
        }
        await provider.delete(id, outs);
        expect(home.getRoute(route)).toBeUndefined();
    });

    it("refuses a route id of another connection's account", async () => {
        const route = home.addRoute("45.33.20.7:5070");
        const error = await errorOf(
            provider.create(await checked({ ...DECLARED, connection: "east", adopt: { id: String(route) } })),
        );
        expect(error.message).toBe(
            `VoiceTel: adopt account gateway "45.33.20.7:5070": no account gateway has id ${route} on connection "east"; nothing was adopted or created (remove adopt to create one)`,
        );
        expect(writes(east)).toEqual([]);
        expect(writes(home)).toEqual([]);
    });
});
