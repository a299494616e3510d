import { TelecomCenterSimulator } from "../../simulators/telecomcenter";
import { errorOf, lifecycle } from "../harness";
import { telecomCenterConfig, tuningConfig } from "../config";

/**
 * Named connections: several telecom.center operators in one stack, in one provider process.
 * The default connection reads the un-named keys (`telecomcenter:username`), `east` reads
 * `telecomcenter:east.username`, `west` only its environment variables. Each operator is its own
 * simulator (with a customer of the same id on each), so a request sent to the wrong operator
 * shows up in the wrong request log.
 */

const HOME = { username: "op-home", password: "canary-tc-home-pw-8Qs" };
const EAST = { username: "op-east", password: "canary-tc-east-pw-2Wd" };
const WEST = { username: "op-west", password: "canary-tc-west-pw-6Rk" };

const home = new TelecomCenterSimulator(HOME);
const east = new TelecomCenterSimulator(EAST);
const west = new TelecomCenterSimulator(WEST);
const SIMULATORS = [home, east, west];
const { provider, configure, checked, created } = lifecycle({
    type: "telecomcenter:TerminationGateway",
    simulators: SIMULATORS,
    config: () => ({
        ...telecomCenterConfig(home.server.baseUrl, HOME),
        ...telecomCenterConfig(east.server.baseUrl, EAST, "east"),
        ...tuningConfig("telecomcenter", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 1 }),
    }),
});

function methods(sim: TelecomCenterSimulator): string[] {
    return sim.server.requests.map((entry) => `${entry.method} -> ${String(entry.outcome)}`);
}

beforeAll(() => {
    for (const sim of SIMULATORS) sim.addCustomer("c1");
});
beforeEach(() => {
    for (const sim of SIMULATORS) {
        for (const gateway of sim.gateways()) sim.deleteGateway(gateway.id);
        sim.server.clearLog();
    }
});

describe("two operators in one process", () => {
    it("creates, reads, updates and deletes each gateway on its own operator", async () => {
        // The same customer id and name on both operators at once: each operator gets its own gateway.
        const [onHome, onEast] = await Promise.all([
            created({ customerId: "c1", name: "trunk", host: "gw.example.com" }),
            created({ connection: "east", customerId: "c1", name: "trunk", host: "gw.example.com" }),
        ]);
        expect(onHome.outs).toMatchObject({ connection: "default", name: "trunk" });
        expect(onEast.outs).toMatchObject({ connection: "east", name: "trunk" });
        expect(home.gateways().map((gateway) => gateway.id)).toEqual([onHome.id]);
        expect(east.gateways().map((gateway) => gateway.id)).toEqual([onEast.id]);
        expect(methods(home)).toEqual(["GET -> 200", "POST -> 201"]);
        expect(methods(east)).toEqual(["GET -> 200", "POST -> 201"]);
        // Each operator saw only its own credentials.
        const basic = (user: { username: string; password: string }) =>
            `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`;
        expect(home.server.requests.every((entry) => entry.headers["authorization"] === basic(HOME))).toBe(true);
        expect(east.server.requests.every((entry) => entry.headers["authorization"] === basic(EAST))).toBe(true);

        for (const sim of SIMULATORS) sim.server.clearLog();
        await expect(provider.read(onEast.id, onEast.outs)).resolves.toMatchObject({
            inputs: { connection: "east", name: "trunk" },
        });
        const news = await checked({
            connection: "east",
            customerId: "c1",
            name: "trunk",
            host: "gw.example.com",
            port: 5070,
        });
        const updated = await provider.update(onEast.id, onEast.outs, news);
        expect(updated.outs).toMatchObject({ connection: "east", port: 5070 });
        expect(east.getGateway(onEast.id)?.port).toBe(5070);
        expect(home.getGateway(onHome.id)?.port).toBe(5060);

        await provider.delete(onEast.id, updated.outs);
        expect(east.gateways()).toEqual([]);
        expect(home.gateways()).toHaveLength(1);
        expect(methods(east)).toEqual(["GET -> 200", "PATCH -> 200", "DELETE -> 204"]);
        expect(methods(home)).toEqual([]);
    });

    it("reads a connection given only in the environment: TELECOMCENTER_<CONNECTION>_USERNAME, ...", async () => {
        process.env["TELECOMCENTER_WEST_USERNAME"] = WEST.username;
        process.env["TELECOMCENTER_WEST_PASSWORD"] = WEST.password;
        process.env["TELECOMCENTER_WEST_BASE_URL"] = west.server.baseUrl;
        try {
            const { id } = await created({ connection: "west", customerId: "c1", name: "env", host: "gw.example.com" });
            expect(west.gateways().map((gateway) => gateway.id)).toEqual([id]);
        } finally {
            delete process.env["TELECOMCENTER_WEST_USERNAME"];
            delete process.env["TELECOMCENTER_WEST_PASSWORD"];
            delete process.env["TELECOMCENTER_WEST_BASE_URL"];
        }
        expect(methods(home)).toEqual([]);
    });

    it("replaces the gateway when its connection changes: it lives in another operator account", async () => {
        const { id, outs } = await created({ customerId: "c1", name: "moving", host: "gw.example.com" });
        const news = await checked({ connection: "east", customerId: "c1", name: "moving", host: "gw.example.com" });
        await expect(provider.diff(id, outs, news)).resolves.toMatchObject({
            changes: true,
            replaces: ["connection"],
        });
    });
});

describe("state written by 0.1 (no connection)", () => {
    it("is the default connection: no diff for the unchanged program, and refresh and delete reach its operator", async () => {
        const { id, outs } = await created({ customerId: "c1", name: "legacy", host: "gw.example.com" });
        const { connection: _connection, ...legacy } = { ...outs, stateVersion: 1 } as Record<string, unknown>;
        // A 0.1 program passes no connection.
        const news = await checked({ customerId: "c1", name: "legacy", host: "gw.example.com" });
        await expect(provider.diff(id, legacy, news)).resolves.toMatchObject({ changes: false, replaces: [] });

        for (const sim of SIMULATORS) sim.server.clearLog();
        const read = await provider.read(id, legacy);
        expect(read.props).toMatchObject({ connection: "default", name: "legacy", stateVersion: 2 });
        await provider.delete(id, legacy);
        expect(home.gateways()).toEqual([]);
        expect(methods(home)).toEqual(["GET -> 200", "DELETE -> 204"]);
        expect(methods(east)).toEqual([]);
    });
});

describe("messages name the connection's keys", () => {
    it("refused credentials of a named connection name telecomcenter:<connection>.username / .password", async () => {
        await configure({ "telecomcenter:east.password": "canary-tc-wrong-pw-4Tg" });
        const error = await errorOf(
            created({ connection: "east", customerId: "c1", name: "refused", host: "gw.example.com" }),
        );
        expect(error.message).toMatch(
            /^telecom\.center: create termination gateway "refused": list termination gateways failed \(HTTP 401.*\(check telecomcenter:east\.username \/ telecomcenter:east\.password; not retried\)$/,
        );
        expect(error.message).not.toContain("canary");
        expect(methods(east)).toEqual(["GET -> 401"]);
    });

    it("refused credentials of the default connection name the un-named keys, on delete too", async () => {
        const { id, outs } = await created({ customerId: "c1", name: "rotated", host: "gw.example.com" });
        await configure({ "telecomcenter:password": "canary-tc-wrong-pw-9Pz" });
        const error = await errorOf(provider.delete(id, outs));
        expect(error.message).toContain("(check telecomcenter:username / telecomcenter:password; not retried)");
    });

    it("a missing setting names the connection's key and environment variable", async () => {
        const error = await errorOf(
            created({ connection: "north", customerId: "c1", name: "nowhere", host: "gw.example.com" }),
        );
        expect(error.message).toBe(
            'telecom.center: create termination gateway "nowhere": missing setting telecomcenter:north.username: run `pulumi config set telecomcenter:north.username <value>` or set the TELECOMCENTER_NORTH_USERNAME environment variable',
        );
        for (const sim of SIMULATORS) expect(sim.server.requests).toEqual([]);
    });
});
