import { setStackConfig } from "../../../provider/core/config";
import { runHook, type AnyResourceDefinition } from "../../../provider/core/resource-definition";
import { UNKNOWN } from "../../../provider/core/unknowns";
import { resetPortSipRun } from "../../../provider/vendors/portsip/run-state";
import { toV12Create } from "../../../provider/vendors/portsip/trunk/generations/v12";
import {
    fromV22,
    toV22Create,
    toV22Update,
    V22_TRUNK,
} from "../../../provider/vendors/portsip/trunk/generations/v22-wire";
import {
    STATE_VERSION,
    upgradeInputs,
    upgradeState,
    type TrunkInputs,
} from "../../../provider/vendors/portsip/trunk/model";
import { trunk } from "../../../provider/vendors/portsip/trunk/definition";

/**
 * `didNumbers` and `additionalIps` are lists (sets, kept sorted), joined with `;` only on the v22
 * wire; state written by pulumi-voip 0.1 (state version 1, the lists as joined text) upgrades to
 * exactly what the program's lists check to, so an upgraded stack shows no change.
 */

const definition = trunk as unknown as AnyResourceDefinition;

beforeEach(() => {
    setStackConfig({ get: (key) => ({ "portsip:east.apiVersion": "v22", "portsip:west.apiVersion": "v12" })[key] });
    resetPortSipRun();
});
afterAll(() => {
    setStackConfig(undefined);
});

/**
 * What pulumi-voip 0.1.0 stored for a v22 trunk declared with
 * `didNumbers: "4155550300; 4155550100 - 4155550199"` and
 * `additionalIps: "203.0.113.10;198.51.100.0/24;2001:DB8::/32"` (taken from a checkpoint it wrote;
 * the inputs are the same without `apiVersion`, `shared`, `status` and `stateVersion`).
 */
const V01_OUTPUTS = {
    additionalIps: "203.0.113.10/32;198.51.100.0/24;2001:db8::/32",
    adjustSdpDirection: true,
    apiVersion: "v22",
    authMode: "IP_AUTH",
    connection: "east",
    didNumbers: "4155550300;4155550100-4155550199",
    enabled: true,
    hostname: "198.51.100.7",
    inLan: false,
    keepAlive: true,
    keepAliveInterval: 360,
    name: "e",
    outboundServerPort: 0,
    port: 5060,
    registerInterval: 600,
    registration: false,
    removeSrtpInfo: true,
    rewriteViaIp: true,
    shared: false,
    singleViaHeader: true,
    stateVersion: 1,
    status: "ONLINE",
    stirShakenSignatureRequired: false,
    transport: "UDP",
    verifyPort: true,
    waitUntilOnline: false,
};

function v01Inputs(): Record<string, unknown> {
    const { apiVersion: _a, shared: _s, status: _t, stateVersion: _v, ...inputs } = V01_OUTPUTS;
    return inputs;
}

/** The same trunk as the program declares it now, in the order the user wrote the entries. */
const PROGRAM = {
    connection: "east",
    name: "e",
    authMode: "IP_AUTH",
    hostname: "198.51.100.7",
    didNumbers: ["4155550300", "4155550100 - 4155550199"],
    additionalIps: ["203.0.113.10", "198.51.100.0/24", "2001:DB8::/32"],
};

async function checked(news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = (await runHook(definition, "check", [{}, news])) as {
        inputs: Record<string, unknown>;
        failures: unknown[];
    };
    expect(result.failures).toEqual([]);
    return result.inputs;
}

async function diff(olds: Record<string, unknown>, news: Record<string, unknown>) {
    return (await runHook(definition, "diff", ["id-1", olds, news])) as { changes: boolean };
}

describe("state written by 0.1 (joined text, state version 1)", () => {
    it("upgrades to the canonical lists: sorted, since the order is not significant", () => {
        expect(STATE_VERSION).toBe(2);
        const upgraded = upgradeState(V01_OUTPUTS) as unknown as Record<string, unknown>;
        expect(upgraded).toEqual({
            ...V01_OUTPUTS,
            additionalIps: ["198.51.100.0/24", "203.0.113.10/32", "2001:db8::/32"],
            didNumbers: ["4155550300", "4155550100-4155550199"].sort(),
        });
        expect(upgraded["didNumbers"]).toEqual(["4155550100-4155550199", "4155550300"]);
    });

    it("shows no change against the same program written with lists", async () => {
        const news = await checked(PROGRAM);
        expect(news["didNumbers"]).toEqual(["4155550100-4155550199", "4155550300"]);
        await expect(diff(V01_OUTPUTS, news)).resolves.toMatchObject({ changes: false });
        // A real change is still one.
        const more = await checked({ ...PROGRAM, didNumbers: [...PROGRAM.didNumbers, "4155550400"] });
        await expect(diff(V01_OUTPUTS, more)).resolves.toMatchObject({ changes: true });
    });

    it("shows no change in the refresh diff, where the engine passes the stored 0.1 inputs as news", async () => {
        // The engine frames a refresh as: olds = the refreshed (current-shape) outputs, news = stored inputs.
        const refreshed = { ...(upgradeState(V01_OUTPUTS) as unknown as Record<string, unknown>), stateVersion: 2 };
        await expect(diff(refreshed, v01Inputs())).resolves.toMatchObject({ changes: false });
        await expect(diff(refreshed, { ...v01Inputs(), didNumbers: "4155550300" })).resolves.toMatchObject({
            changes: true,
        });
    });

    it("upgrades v12 state, and an empty joined text to no list", () => {
        expect(upgradeState({ additionalIps: "203.0.113.10/32;198.51.100.0/24", apiVersion: "v12" })).toEqual({
            additionalIps: ["198.51.100.0/24", "203.0.113.10/32"],
            apiVersion: "v12",
        });
        expect(upgradeState({ additionalIps: "", didNumbers: "" })).toEqual({});
    });

    it("leaves current-shape values and unknown values of a preview as they are", () => {
        const current = { didNumbers: ["300", "100-199"], additionalIps: UNKNOWN, name: "x" };
        expect(upgradeInputs(current)).toEqual(current);
    });
});

describe("lists on the wire", () => {
    async function inputs(extra: Record<string, unknown>): Promise<TrunkInputs> {
        return (await checked({ ...PROGRAM, ...extra })) as unknown as TrunkInputs;
    }

    it("v22: joined with ';' in canonical order; a reordered program is no change", async () => {
        const declared = await inputs({});
        expect(toV22Create(declared)).toMatchObject({
            did_numbers: "4155550100-4155550199;4155550300",
            additional_ips: "198.51.100.0/24;203.0.113.10/32;2001:db8::/32",
        });
        const reordered = await inputs({
            didNumbers: ["4155550100-4155550199", "4155550300"],
            additionalIps: ["2001:db8::/32", "198.51.100.0/24", "203.0.113.10/32"],
        });
        expect(reordered).toEqual(declared);
        await expect(diff({ ...declared, stateVersion: STATE_VERSION }, reordered)).resolves.toMatchObject({
            changes: false,
        });
    });

    it("v22: an emptied list is cleared with an empty string; an empty list is no list", async () => {
        const declared = await inputs({});
        const emptied = await inputs({ didNumbers: [] });
        expect(emptied.didNumbers).toBeUndefined();
        expect(toV22Update(declared, emptied, V22_TRUNK.parse({}))).toEqual({ did_numbers: "" });
    });

    it("v22 read: the PBX's joined text in any order, spaces or a trailing ';' reads as the canonical list", async () => {
        const prior = await inputs({});
        const wire = {
            ...toV22Create(prior),
            did_numbers: "4155550300; 4155550100-4155550199;",
            additional_ips: "2001:DB8::/32;203.0.113.10;198.51.100.0/24",
        };
        expect(fromV22(V22_TRUNK.parse(wire), "ONLINE", prior).inputs).toEqual(prior);
        const unreadable = fromV22(
            V22_TRUNK.parse({ ...wire, additional_ips: "zz;203.0.113.10" }),
            "ONLINE",
            prior,
        ).inputs;
        expect(unreadable.additionalIps).toEqual(["203.0.113.10/32", "zz"]);
        expect(fromV22(V22_TRUNK.parse({ ...wire, did_numbers: "" }), "ONLINE", prior).inputs).not.toHaveProperty(
            "didNumbers",
        );
    });

    it("v12: the list as the PBX's `ips` list", async () => {
        const declared = (await checked({
            connection: "west",
            name: "w",
            authMode: "IP_AUTH",
            hostname: "198.51.100.8",
            additionalIps: ["203.0.113.10", "198.51.100.0/24"],
        })) as unknown as TrunkInputs;
        expect(toV12Create(declared)["ips"]).toEqual(["198.51.100.0/24", "203.0.113.10/32"]);
    });

    it("an element unknown during preview is kept for the engine, the known ones checked", async () => {
        const result = (await runHook(definition, "check", [
            {},
            { ...PROGRAM, didNumbers: [UNKNOWN, "4155550300"] },
        ])) as { inputs: Record<string, unknown>; failures: unknown[] };
        expect(result.failures).toEqual([]);
        expect(result.inputs["didNumbers"]).toEqual([UNKNOWN, "4155550300"]);
        expect(result.inputs["additionalIps"]).toEqual(["198.51.100.0/24", "203.0.113.10/32", "2001:db8::/32"]);
    });
});
