import { resetRouteCache } from "../../../provider/vendors/voicetel/account-gateway/routes";
import { VoiceTelSimulator } from "../../simulators/voicetel";
import { errorOf, lifecycle } from "../harness";
import { tuningConfig, voiceTelConfig } from "../config";

/**
 * Named connections: several VoiceTel accounts in one stack, in one provider process. The
 * default connection reads the un-named keys (`voicetel:apiKey`), `east` reads
 * `voicetel:east.apiKey`, `west` only its environment variables. Each account is its own
 * simulator, so a request sent to the wrong account shows up in the wrong request log.
 */

const DEFAULT_KEY = "canary-voicetel-default-key-5e2a";
const EAST_KEY = "canary-voicetel-east-key-71c0";
const WEST_KEY = "canary-voicetel-west-key-0b9d";

const LIST = "/v2.1/gateways/list/";
const ADD = "/v2.1/gateways/add/";
const UPDATE = "/v2.1/gateways/update/";
const REMOVE = "/v2.1/gateways/remove/";

const home = new VoiceTelSimulator({ apiKey: DEFAULT_KEY });
const east = new VoiceTelSimulator({ apiKey: EAST_KEY, firstRouteId: 5000 });
const west = new VoiceTelSimulator({ apiKey: WEST_KEY, firstRouteId: 7000 });
const SIMULATORS = [home, east, west];
const { provider, configure, checked, created } = lifecycle({
    type: "voicetel:AccountGateway",
    simulators: SIMULATORS,
    config: () => ({
        ...voiceTelConfig(home.server.baseUrl, DEFAULT_KEY),
        ...voiceTelConfig(east.server.baseUrl, EAST_KEY, "east"),
        ...tuningConfig("voicetel", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 1 }),
    }),
});

function requestLog(sim: VoiceTelSimulator): string[] {
    return sim.server.requests.map((entry) => `${entry.path} -> ${String(entry.outcome)}`);
}

function userRoutes(sim: VoiceTelSimulator) {
    return sim.listRoutes().filter((route) => !route.system);
}

describe("two accounts in one process", () => {
    it("creates, reads, updates and deletes each gateway on its own account", async () => {
        // The same address on both accounts at once: each account gets its own route.
        const [onHome, onEast] = await Promise.all([
            created({ host: "45.33.10.7" }),
            created({ connection: "east", host: "45.33.10.7" }),
        ]);
        expect(onHome).toMatchObject({ id: "1000", outs: { connection: "default", routeId: 1000 } });
        expect(onEast).toMatchObject({ id: "5000", outs: { connection: "east", routeId: 5000 } });
        expect(userRoutes(home)).toEqual([{ route: 1000, gateway: "45.33.10.7:5060", system: false }]);
        expect(userRoutes(east)).toEqual([{ route: 5000, gateway: "45.33.10.7:5060", system: false }]);
        expect(requestLog(home)).toEqual([`${LIST} -> 200`, `${ADD} -> 200`]);
        expect(requestLog(east)).toEqual([`${LIST} -> 200`, `${ADD} -> 200`]);
        // Each account saw only its own key.
        expect(home.server.requests.every((entry) => entry.rawBody.includes(DEFAULT_KEY))).toBe(true);
        expect(east.server.requests.every((entry) => entry.rawBody.includes(EAST_KEY))).toBe(true);

        for (const sim of SIMULATORS) sim.server.clearLog();
        resetRouteCache();
        await expect(provider.read(onEast.id, onEast.outs)).resolves.toMatchObject({
            inputs: { connection: "east", host: "45.33.10.7" },
        });
        expect(requestLog(east)).toEqual([`${LIST} -> 200`]);
        expect(requestLog(home)).toEqual([]);

        const moved = await provider.update(
            onEast.id,
            onEast.outs,
            await checked({ connection: "east", host: "45.33.10.8" }),
        );
        expect(moved.outs).toMatchObject({ connection: "east", address: "45.33.10.8:5060" });
        expect(east.getRoute(5000)?.gateway).toBe("45.33.10.8:5060");
        expect(home.getRoute(1000)?.gateway).toBe("45.33.10.7:5060");

        await provider.delete(onEast.id, moved.outs);
        expect(userRoutes(east)).toEqual([]);
        expect(userRoutes(home)).toHaveLength(1);
        expect(requestLog(home)).toEqual([]);
        expect(requestLog(east).filter((line) => line.startsWith(UPDATE) || line.startsWith(REMOVE))).toEqual([
            `${UPDATE} -> 200`,
            `${REMOVE} -> 200`,
        ]);
    });

    it("reads a connection given only in the environment: VOICETEL_<CONNECTION>_API_KEY / _BASE_URL", async () => {
        process.env["VOICETEL_WEST_API_KEY"] = WEST_KEY;
        process.env["VOICETEL_WEST_BASE_URL"] = west.server.baseUrl;
        try {
            await expect(created({ connection: "west", host: "45.33.10.9" })).resolves.toMatchObject({ id: "7000" });
        } finally {
            delete process.env["VOICETEL_WEST_API_KEY"];
            delete process.env["VOICETEL_WEST_BASE_URL"];
        }
        expect(userRoutes(west)).toEqual([{ route: 7000, gateway: "45.33.10.9:5060", system: false }]);
        expect(requestLog(home)).toEqual([]);
    });

    it("runs creates of one account one at a time, even under two connection names", async () => {
        await configure({ "voicetel:alias.apiKey": DEFAULT_KEY, "voicetel:alias.baseUrl": home.server.baseUrl });
        const [first, second] = await Promise.all([
            created({ host: "45.33.10.7" }),
            created({ connection: "alias", host: "45.33.10.8" }),
        ]);
        expect([first.id, second.id].sort()).toEqual(["1000", "1001"]);
        // One queue per account: the second create lists again after the first one's add.
        expect(requestLog(home)).toEqual([`${LIST} -> 200`, `${ADD} -> 200`, `${LIST} -> 200`, `${ADD} -> 200`]);
    });

    it("replaces the gateway when its connection changes: the route lives in another account", async () => {
        const { id, outs } = await created({ host: "45.33.10.7" });
        const diff = await provider.diff(id, outs, await checked({ connection: "east", host: "45.33.10.7" }));
        expect(diff).toMatchObject({ changes: true, replaces: ["connection"], deleteBeforeReplace: true });
    });
});

describe("state written by 0.1 (no connection)", () => {
    it("is the default connection: no diff for the unchanged program, and refresh and delete reach its account", async () => {
        const { id, outs } = await created({ host: "45.33.10.7" });
        const { connection: _connection, ...legacy } = { ...outs, stateVersion: 1 } as Record<string, unknown>;
        // A 0.1 program passes no connection.
        const news = await checked({ host: "45.33.10.7" });
        await expect(provider.diff(id, legacy, news)).resolves.toMatchObject({ changes: false, replaces: [] });

        for (const sim of SIMULATORS) sim.server.clearLog();
        resetRouteCache();
        const read = await provider.read(id, legacy);
        expect(read.props).toMatchObject({ connection: "default", routeId: 1000, stateVersion: 2 });
        await provider.delete(id, legacy);
        expect(userRoutes(home)).toEqual([]);
        expect(requestLog(east)).toEqual([]);
    });
});

describe("messages name the connection's keys", () => {
    it("a refused key of a named connection names voicetel:<connection>.apiKey", async () => {
        await configure({ "voicetel:east.apiKey": "canary-voicetel-wrong-key-2f" });
        const error = await errorOf(created({ connection: "east", host: "45.33.10.7" }));
        expect(error.message).toBe(
            'VoiceTel: create account gateway "45.33.10.7:5060": list account gateways failed (HTTP 401): Unauthorized (check voicetel:east.apiKey; not retried)',
        );
        expect(requestLog(east)).toEqual([`${LIST} -> 401`]);
    });

    it("a refused key of the default connection names voicetel:apiKey, on refresh too", async () => {
        const { id, outs } = await created({ host: "45.33.10.7" });
        await configure({ "voicetel:apiKey": "canary-voicetel-wrong-key-3e" });
        resetRouteCache();
        const error = await errorOf(provider.read(id, outs));
        expect(error.message).toContain("failed (HTTP 401): Unauthorized (check voicetel:apiKey; not retried)");
    });

    it("a missing key names the connection's key and environment variable", async () => {
        const error = await errorOf(created({ connection: "north", host: "45.33.10.7" }));
        expect(error.message).toBe(
            'VoiceTel: create account gateway "45.33.10.7:5060": missing setting voicetel:north.apiKey: run `pulumi config set --secret voicetel:north.apiKey <value>` or set the VOICETEL_NORTH_API_KEY environment variable',
        );
        for (const sim of SIMULATORS) expect(sim.server.requests).toEqual([]);
    });

    it("refuses a connection name that cannot form a config key, at preview", async () => {
        const result = await provider.check({}, { __provider: "serialized", connection: "east.1", host: "45.33.10.7" });
        expect(result.failures).toEqual([
            {
                property: "connection",
                reason: "must start with a letter and hold only letters, digits, '-' or '_', at most 63 (it names stack config keys voicetel:<connection>.apiKey, ...)",
            },
        ]);
    });
});
