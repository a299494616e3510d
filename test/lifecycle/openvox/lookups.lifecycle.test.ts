import { getSipTrunk, getSipTrunkOutput, listSipTrunks, listSipTrunksOutput } from "../../../provider/vendors/openvox";
import { OpenVoxSimulator, type OpenVoxTrunk } from "../../simulators/openvox";
import { errorOf, lifecycle } from "../harness";
import { openVoxConfig, tuningConfig } from "../config";
import { asLookedUp, outputOf, resolved, setProgramConfig } from "../lookups";

/**
 * openvox.getSipTrunk / listSipTrunks as a program calls them, against a PBX speaking JSON (`json`,
 * also the default connection) and one speaking XML with DOD (`xml`): every trunk type.
 */

const USER = "api-lookups";
const PASSWORD = "canary-openvox-lookup-pw-4Hs";
const SIP_PASSWORD = "canary-openvox-lookup-sip-7Pw";

const LOGIN = { username: USER, password: PASSWORD };
const json = new OpenVoxSimulator(LOGIN);
const xml = new OpenVoxSimulator({ username: USER, password: PASSWORD, dod: true });
const FORMATS = { json, xml } as const;

const config = (): Record<string, string> => ({
    ...openVoxConfig(json.server.baseUrl, LOGIN),
    ...openVoxConfig(json.server.baseUrl, LOGIN, "json"),
    ...openVoxConfig(xml.server.baseUrl, LOGIN, "xml", "xml"),
    ...tuningConfig("openvox", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 3 }),
});
const { created } = lifecycle({
    type: "openvox:SipTrunk",
    simulators: [json, xml],
    config,
    secrets: [PASSWORD, SIP_PASSWORD],
});

beforeEach(() => {
    for (const sim of [json, xml]) for (const trunk of sim.listTrunks()) sim.deleteTrunk(trunk.trunkname);
    setProgramConfig(config());
});

const REGISTER = {
    name: "itsp-a",
    trunkType: "register",
    host: "SIP.Itsp.example",
    username: "1001",
    password: SIP_PASSWORD,
    fromUser: "acme",
};
const PEER = { name: "peer-b", trunkType: "peer", host: "10.0.0.20", port: 5070 };
const ACCOUNT = { name: "branch-c", trunkType: "account", username: "2002", password: SIP_PASSWORD };

/** The PBX's query answer listing `trunk` twice under two ids, in the connection's format. */
function doubled(format: keyof typeof FORMATS, trunk: OpenVoxTrunk): string | Record<string, unknown> {
    const twins = [trunk, { ...trunk, id: "99" }];
    if (format === "json") return { status: "Success", trunks: twins };
    const items = twins.map(
        (twin, index) =>
            `<item id="${index}">${Object.entries(twin)
                .map(([key, value]) => `<${key}>${String(value)}</${key}>`)
                .join("")}</item>`,
    );
    return `<?xml version="1.0" encoding="utf-8"?><xml><status>Success</status><trunks>${items.join("")}</trunks></xml>`;
}

describe.each(["json", "xml"] as const)("getSipTrunk over %s", (format) => {
    const sim = FORMATS[format];

    it("finds every trunk type by name, with what the created resource outputs; passwords secret", async () => {
        const made = [];
        for (const declared of [REGISTER, PEER, ACCOUNT]) made.push(await created({ ...declared, connection: format }));
        sim.server.clearLog();
        for (const [index, declared] of [REGISTER, PEER, ACCOUNT].entries()) {
            const { id, outs } = made[index]!;
            const expected = asLookedUp(id, outs);
            const found = await resolved(await getSipTrunk({ connection: format, name: declared.name }));
            expect(found).toEqual({ plain: expected, secrets: declared.trunkType === "peer" ? [] : ["password"] });
            const output = await outputOf(getSipTrunkOutput({ connection: format, name: Promise.resolve(id) }));
            expect(output).toEqual({ value: expected, secret: declared.trunkType !== "peer" });
        }
        // Read only: logins and queries, never a write.
        expect(new Set(sim.server.requests.map((entry) => entry.path.split("/").pop()))).toEqual(new Set(["query"]));
    });

    it("fails when the PBX has no trunk of that name, naming the vendor, the connection and the name", async () => {
        await expect(getSipTrunk({ connection: format, name: "nowhere" })).rejects.toThrow(
            `OpenVox: no SIP trunk named "nowhere" on connection "${format}"`,
        );
    });

    it("refuses to choose when the PBX answers several trunks of one name, naming their ids", async () => {
        const { outs } = await created({ ...PEER, connection: format });
        sim.server.injectFaults({
            fault: { kind: "status", status: 200, body: doubled(format, sim.getTrunk(PEER.name)!) },
            times: 1,
            path: /siptrunk\/query$/,
        });
        const error = await errorOf(getSipTrunk({ connection: format, name: PEER.name }));
        expect(error.message).toBe(
            `OpenVox: 2 SIP trunks named "peer-b" on connection "${format}" (ids ${String(outs["trunkId"])}, 99); look it up by id to choose one`,
        );
    });
});

describe("wrong connection", () => {
    it("fails on a connection without settings, naming them", async () => {
        await expect(getSipTrunk({ connection: "east", name: "x" })).rejects.toThrow(
            "OpenVox: missing setting openvox:east.url: run `pulumi config set openvox:east.url <value>` or set the OPENVOX_EAST_URL environment variable",
        );
    });

    it("fails with the login's refusal, naming the settings to check", async () => {
        setProgramConfig({ ...config(), "openvox:password": "canary-wrong-api-pw" });
        const error = await errorOf(getSipTrunk({ name: "x" }));
        expect(error.message).toContain("check openvox:username and openvox:password");
    });
});

describe("listSipTrunks", () => {
    it.each(["json", "xml"] as const)("lists every trunk of a PBX speaking %s", async (format) => {
        const made = [];
        for (const declared of [REGISTER, PEER, ACCOUNT]) made.push(await created({ ...declared, connection: format }));
        const listed = await Promise.all(
            (await listSipTrunks({ connection: format })).map(async (trunk) => (await resolved(trunk)).plain),
        );
        expect(listed).toEqual(made.map(({ id, outs }) => asLookedUp(id, outs)));
        await expect(outputOf(listSipTrunksOutput({ connection: format }))).resolves.toEqual({
            value: listed,
            secret: true,
        });
    });

    it("lists nothing on an empty PBX (the default connection)", async () => {
        await expect(listSipTrunks()).resolves.toEqual([]);
    });
});
