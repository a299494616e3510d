import { getTrunk, getTrunkOutput, listTrunks, listTrunksOutput } from "../../../provider/vendors/portsip";
import { PortSipV12Simulator } from "../../simulators/portsip-v12";
import { PortSipV22Simulator } from "../../simulators/portsip-v22";
import { errorOf, lifecycle, requestLog } from "../harness";
import { portSipConfig, tuningConfig } from "../config";
import { asLookedUp, outputOf, resolved, setProgramConfig } from "../lookups";

/**
 * portsip.getTrunk / listTrunks against both PortSIP simulators, as a program calls them: pinned
 * and detected generations, v12 ids beyond 2^53, v12's readable password as a secret.
 */

const ADMIN = "admin";
const PBX_PASSWORD = "canary-lookup-pbx-pw-8Ue";
const TRUNK_PASSWORD = "canary-lookup-trunk-pw-3Kd";

const LOGIN = { username: ADMIN, password: PBX_PASSWORD };
const v12 = new PortSipV12Simulator({ adminUser: ADMIN, adminPassword: PBX_PASSWORD });
const v22 = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: PBX_PASSWORD });

const config = (): Record<string, string> => ({
    ...portSipConfig(v12.baseUrl, LOGIN, "v12", "v12"),
    ...portSipConfig(v22.baseUrl, LOGIN, "v22", "v22"),
    ...portSipConfig(v22.baseUrl, LOGIN, "auto22"),
    ...tuningConfig("portsip", { retryBaseDelayMs: 5, requestTimeoutMs: 1000 }),
});
const { created } = lifecycle({
    type: "portsip:Trunk",
    simulators: [v12, v22],
    config,
    secrets: [PBX_PASSWORD, TRUNK_PASSWORD],
});

/** Properties of the resource that are the program's, not the PBX's. */
const PROGRAM_ONLY = ["waitUntilOnline", "onlineTimeoutSeconds"];

const V12_TRUNK = {
    connection: "v12",
    name: "carrier-b",
    hostname: "SIP.Carrier-B.example",
    authId: "7001",
    password: TRUNK_PASSWORD,
    registerInterval: 300,
};

const V22_TRUNK = {
    connection: "v22",
    name: "carrier-a",
    hostname: "sip.carrier-a.example",
    authId: "100200",
    password: TRUNK_PASSWORD,
    concurrency: 30,
    didNumbers: ["4155550100-4155550199"],
    additionalIps: ["203.0.113.10"],
};

/** A v22 trunk made in the PBX's web UI. */
function v22Trunk(name: string, hostname: string): string {
    return v22.addTrunk({
        name,
        transport: "UDP",
        hostname,
        port: 5060,
        outbound_server: "",
        outbound_server_port: 0,
        concurrency: 5,
        auth_mode: "IP_AUTH",
    });
}

beforeEach(() => {
    setProgramConfig(config());
});

describe("getTrunk on v12", () => {
    it("finds a trunk by name (case aside) and by id, with what the created resource outputs; the password a secret", async () => {
        const { id, outs } = await created(V12_TRUNK);
        expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
        v12.server.clearLog();
        const expected = asLookedUp(id, outs, PROGRAM_ONLY);

        await expect(resolved(await getTrunk({ connection: "v12", name: "Carrier-B" }))).resolves.toEqual({
            plain: expected,
            secrets: ["password"],
        });
        await expect(resolved(await getTrunk({ connection: "v12", id }))).resolves.toEqual({
            plain: expected,
            secrets: ["password"],
        });
        expect(requestLog(v12.server).every((line) => line.startsWith("GET "))).toBe(true);
        const output = await outputOf(getTrunkOutput({ connection: "v12", id: Promise.resolve(id) }));
        expect(output).toEqual({ value: expected, secret: true });
    });

    it("fails when nothing matches, naming the vendor, the connection and what was looked for", async () => {
        await expect(getTrunk({ connection: "v12", name: "nowhere" })).rejects.toThrow(
            'PortSIP: no trunk named "nowhere" on connection "v12"',
        );
        await expect(getTrunk({ connection: "v12", id: "123456789012345678" })).rejects.toThrow(
            'PortSIP: no trunk with id 123456789012345678 on connection "v12"',
        );
    });

    it("refuses to choose between trunks whose names differ only in case, naming their ids", async () => {
        const first = v12.addTrunk({
            name: "twin",
            auth_mode: "IP_AUTH",
            protocol: "UDP",
            hostname: "a.example",
            port: 5060,
        });
        const second = v12.addTrunk({
            name: "TWIN",
            auth_mode: "IP_AUTH",
            protocol: "UDP",
            hostname: "b.example",
            port: 5060,
        });
        const error = await errorOf(getTrunk({ connection: "v12", name: "twin" }));
        expect(error.message).toBe(
            `PortSIP: 2 trunks named "twin" on connection "v12" (ids ${first}, ${second}); look it up by id to choose one`,
        );
    });
});

describe("getTrunk on v16+/v22", () => {
    it("finds a trunk by name and by id, pinned or detected, with what the created resource outputs (its write-only password aside)", async () => {
        const { id, outs } = await created(V22_TRUNK);
        v22.server.clearLog();
        const { password: _writeOnly, ...expected } = asLookedUp(id, outs, PROGRAM_ONLY);

        await expect(resolved(await getTrunk({ connection: "v22", name: "carrier-a" }))).resolves.toEqual({
            plain: expected,
            secrets: [],
        });
        expect(
            requestLog(v22.server).every((line) => line.startsWith("GET ") || line.startsWith("POST /api/auth/")),
        ).toBe(true);
        const detected = await getTrunk({ connection: "auto22", id });
        expect(detected).toEqual({ ...expected, connection: "auto22" });
        await expect(outputOf(getTrunkOutput({ connection: "v22", id }))).resolves.toEqual({
            value: expected,
            secret: false,
        });
    });

    it("reports concurrency, which a resource manages only when declared", async () => {
        const id = v22Trunk("ui-made", "sip.ui.example");
        await expect(getTrunk({ connection: "v22", id })).resolves.toMatchObject({
            id,
            name: "ui-made",
            authMode: "IP_AUTH",
            concurrency: 5,
            apiVersion: "v22",
        });
    });

    it("fails when nothing matches, naming the vendor, the connection and what was looked for", async () => {
        await expect(getTrunk({ connection: "v22", name: "nowhere" })).rejects.toThrow(
            'PortSIP: no trunk named "nowhere" on connection "v22"',
        );
        await expect(getTrunk({ connection: "v22", id: "Tm9UcnVuaw==" })).rejects.toThrow(
            'PortSIP: no trunk with id Tm9UcnVuaw== on connection "v22"',
        );
    });

    it("refuses to choose between trunks of one name, naming their ids", async () => {
        const first = v22Trunk("twin", "a.example");
        const second = v22Trunk("twin", "b.example");
        const error = await errorOf(getTrunk({ connection: "v22", name: "twin" }));
        expect(error.message).toBe(
            `PortSIP: 2 trunks named "twin" on connection "v22" (ids ${first}, ${second}); look it up by id to choose one`,
        );
    });
});

describe("wrong connection", () => {
    it("fails on a connection without settings, naming them", async () => {
        await expect(getTrunk({ connection: "east", name: "x" })).rejects.toThrow(
            "PortSIP: missing setting portsip:east.url: run `pulumi config set portsip:east.url <value>` or set the PORTSIP_EAST_URL environment variable",
        );
        await expect(listTrunks()).rejects.toThrow("PortSIP: missing setting portsip:url");
    });

    it.each(["v12", "v22"])("fails with the login's refusal on %s, naming the settings to check", async (name) => {
        setProgramConfig({ ...config(), [`portsip:${name}.password`]: "canary-wrong-pbx-pw" });
        const error = await errorOf(getTrunk({ connection: name, name: "x" }));
        expect(error.message).toContain(`check portsip:${name}.username / portsip:${name}.password`);
    });
});

describe("listTrunks", () => {
    it.each(["v12", "v22"] as const)("lists every trunk of a %s PBX as lookups report them", async (generation) => {
        const declared = generation === "v12" ? V12_TRUNK : V22_TRUNK;
        const a = await created(declared);
        // Its own DIDs: a DID number can belong to one trunk only.
        const second = generation === "v12" ? {} : { didNumbers: ["4155550300"] };
        const b = await created({ ...declared, ...second, name: "second", hostname: "sip.second.example" });
        const listed = await Promise.all(
            (await listTrunks({ connection: generation })).map(async (trunk) => resolved(trunk)),
        );
        const expected = [a, b].map(({ id, outs }) => {
            const { password, ...rest } = asLookedUp(id, outs, PROGRAM_ONLY);
            return generation === "v12"
                ? { plain: { ...rest, password }, secrets: ["password"] }
                : { plain: rest, secrets: [] };
        });
        expect(listed).toEqual(expected);
        const output = await outputOf(listTrunksOutput({ connection: generation }));
        expect(output).toEqual({ value: expected.map((item) => item.plain), secret: generation === "v12" });
    });
});
