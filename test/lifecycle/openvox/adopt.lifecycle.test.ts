import { resetProcessState } from "../../../provider/core/process-state";
import { OpenVoxSimulator } from "../../simulators/openvox";
import { errorOf, lifecycle } from "../harness";
import { openVoxConfig, tuningConfig } from "../config";

/**
 * `adopt` on an OpenVox SipTrunk, over both formats (JSON, XML with DOD): take over a trunk that
 * exists (by name, which is unique on a PBX and is the resource id) instead of creating one.
 */

const USER = "api-adopt";
const PASSWORD = "canary-openvox-adopt-pw-3Kt";
const SIP_PASSWORD = "canary-openvox-adopt-sip-8Qw";

const LOGIN = { username: USER, password: PASSWORD };
const json = new OpenVoxSimulator(LOGIN);
const xml = new OpenVoxSimulator({ username: USER, password: PASSWORD, dod: true });
const FORMATS = { json, xml } as const;

const { provider, logLines, configure, checked, created } = lifecycle({
    type: "openvox:SipTrunk",
    simulators: [json, xml],
    config: () => ({
        ...openVoxConfig(json.server.baseUrl, LOGIN, "json"),
        ...openVoxConfig(xml.server.baseUrl, LOGIN, "xml", "xml"),
        ...tuningConfig("openvox", { retryBaseDelayMs: 5, requestTimeoutMs: 500 }),
    }),
    secrets: [PASSWORD, SIP_PASSWORD],
});

beforeEach(() => {
    for (const sim of [json, xml]) {
        for (const trunk of sim.listTrunks()) sim.deleteTrunk(trunk.trunkname);
        sim.server.clearLog();
    }
});

/** Every call that changes the PBX (OpenVox's API is all POSTs: judged by endpoint). */
function writes(sim: OpenVoxSimulator): string[] {
    return sim.server.requests
        .map((entry) => entry.path)
        .filter((path) => /\/siptrunk\/(add|update|delete)$/.test(path));
}

const REGISTER = {
    name: "adopt-itsp",
    trunkType: "register",
    host: "sip.itsp.example",
    username: "1001",
    password: SIP_PASSWORD,
    fromUser: "acme",
};

/** A register trunk made in the PBX's web UI. */
function existing(sim: OpenVoxSimulator, name: string, host: string): void {
    sim.addTrunk({
        trunkname: name,
        trunktype: "register",
        host,
        port: "5060",
        username: "1001",
        authname: "1001",
        password: SIP_PASSWORD,
        fromuser: "acme",
    });
    sim.server.clearLog();
}

describe.each(["json", "xml"] as const)("over %s", (format) => {
    const sim = FORMATS[format];
    const declared = { ...REGISTER, connection: format };

    it("takes over a trunk that already matches with zero writes; the outputs are the created ones", async () => {
        const made = await created(declared);
        resetProcessState();
        await configure();
        sim.server.clearLog();
        logLines.length = 0;
        const adopted = await provider.create(await checked({ ...declared, adopt: true }));
        expect(adopted).toEqual(made);
        expect(writes(sim)).toEqual([]);
        expect(logLines.join("\n")).toContain(
            `adopted SIP trunk adopt-itsp (name "adopt-itsp" on connection "${format}"); it already matches the declared inputs: nothing changed`,
        );
    });

    it("updates a differing trunk with exactly one write, to what a created one records", async () => {
        existing(sim, "adopt-itsp", "old.itsp.example");
        const adopted = await provider.create(await checked({ ...declared, adopt: true }));
        expect(adopted.id).toBe("adopt-itsp");
        expect(writes(sim)).toEqual([expect.stringMatching(/\/siptrunk\/update$/)]);
        expect(sim.getTrunk("adopt-itsp")).toMatchObject({ host: "sip.itsp.example" });
        const reference = await created({ ...declared, name: "reference" });
        expect(adopted.outs).toEqual({ ...reference.outs, name: "adopt-itsp", trunkId: adopted.outs["trunkId"] });
    });

    it("leaves a state that refresh, diff, update and delete treat like a created one", async () => {
        existing(sim, "adopt-itsp", "old.itsp.example");
        const { id, outs } = await provider.create(await checked({ ...declared, adopt: { id: "adopt-itsp" } }));
        expect((await provider.read(id, outs)).props).toEqual(outs);
        for (const adopt of [true, false, undefined]) {
            expect((await provider.diff(id, outs, await checked({ ...declared, adopt }))).changes).toBe(false);
        }
        const updated = await provider.update(id, outs, await checked({ ...declared, fromUser: "other" }));
        expect(updated.outs).toMatchObject({ fromUser: "other" });
        await provider.delete(id, updated.outs);
        expect(sim.listTrunks()).toEqual([]);
    });

    it("refuses when no trunk has the name, creating nothing", async () => {
        existing(sim, "another", "old.itsp.example");
        const error = await errorOf(provider.create(await checked({ ...declared, adopt: true })));
        expect(error.message).toBe(
            `OpenVox: adopt SIP trunk "adopt-itsp": no SIP trunk has name "adopt-itsp" on connection "${format}"; nothing was adopted or created (remove adopt to create one)`,
        );
        expect(writes(sim)).toEqual([]);
    });

    it("refuses an id (trunk name) that would mean renaming, which replaces, changing nothing", async () => {
        existing(sim, "portal-name", "old.itsp.example");
        const error = await errorOf(provider.create(await checked({ ...declared, adopt: { id: "portal-name" } })));
        expect(error.message).toContain("differs in name, which cannot be changed in place; nothing was changed");
        expect(writes(sim)).toEqual([]);
    });
});

it("refuses a trunk of another connection's PBX", async () => {
    existing(json, "adopt-itsp", "sip.itsp.example");
    const error = await errorOf(provider.create(await checked({ ...REGISTER, connection: "xml", adopt: true })));
    expect(error.message).toContain('no SIP trunk has name "adopt-itsp" on connection "xml"');
    expect(writes(xml)).toEqual([]);
    expect(xml.listTrunks()).toEqual([]);
});
