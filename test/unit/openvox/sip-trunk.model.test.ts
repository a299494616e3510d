import { checkInputs } from "../../../provider/core/check";
import { diffInputs } from "../../../provider/core/diff";
import { UNKNOWN } from "../../../provider/core/unknowns";
import { sipTrunk } from "../../../provider/vendors/openvox/sip-trunk/definition";
import {
    DELETE_BEFORE_REPLACE,
    inputSchema,
    REPLACE_ON_CHANGES,
    SECRET_INPUTS,
    trunkNameProblem,
    type SipTrunkInputs,
} from "../../../provider/vendors/openvox/sip-trunk/model";
import { fromWire, toWire, type WireTrunk } from "../../../provider/vendors/openvox/sip-trunk/wire";

function check(news: Record<string, unknown>) {
    return checkInputs(inputSchema(), news, SECRET_INPUTS);
}

async function valid(news: Record<string, unknown>): Promise<SipTrunkInputs> {
    const result = await check(news);
    expect(result.failures).toEqual([]);
    return result.inputs as unknown as SipTrunkInputs;
}

const REGISTER = {
    name: "itsp-a",
    trunkType: "register",
    host: "sip.itsp.example",
    username: "6100",
    password: "pw-1",
};
const PEER = { name: "peer-a", trunkType: "peer", host: "198.51.100.7" };
const ACCOUNT = { name: "branch-a", trunkType: "account", username: "7100", password: "pw-2" };

describe("SIP trunk inputs: canonical form per type", () => {
    it("register: port 5060, authName = username, lower-case host, default connection", async () => {
        expect(await check({ ...REGISTER, host: "SIP.ITSP.Example" })).toEqual({
            inputs: {
                connection: "default",
                name: "itsp-a",
                trunkType: "register",
                host: "sip.itsp.example",
                port: 5060,
                username: "6100",
                authName: "6100",
                password: "pw-1",
            },
            failures: [],
        });
    });

    it("register: keeps every optional property given", async () => {
        expect(
            await valid({
                ...REGISTER,
                connection: "east",
                port: 5080,
                domain: "Voip.ITSP.example",
                authName: "auth-6100",
                fromUser: "+4930123",
            }),
        ).toEqual({
            connection: "east",
            name: "itsp-a",
            trunkType: "register",
            host: "sip.itsp.example",
            port: 5080,
            domain: "voip.itsp.example",
            username: "6100",
            authName: "auth-6100",
            password: "pw-1",
            fromUser: "+4930123",
        });
    });

    it("peer: host and port only", async () => {
        expect(await valid(PEER)).toEqual({
            connection: "default",
            name: "peer-a",
            trunkType: "peer",
            host: "198.51.100.7",
            port: 5060,
        });
    });

    it("account: credentials only, authName defaulting to username", async () => {
        expect(await valid(ACCOUNT)).toEqual({
            connection: "default",
            name: "branch-a",
            trunkType: "account",
            username: "7100",
            authName: "7100",
            password: "pw-2",
        });
    });

    it("sorts DOD lists (extensions numerically, groups by name) and drops empty ones", async () => {
        const inputs = await valid({
            ...PEER,
            extensionDods: [
                { number: "5503302", name: "support", extension: "1001" },
                { number: "5503301", name: " sales ", extension: "200" },
            ],
            groupDods: [
                { number: "+15550100", name: "main", group: "support" },
                { number: "+15550101", name: "main", group: "sales" },
            ],
        });
        expect(inputs.extensionDods).toEqual([
            { number: "5503301", name: "sales", extension: "200" },
            { number: "5503302", name: "support", extension: "1001" },
        ]);
        expect(inputs.groupDods?.map((dod) => dod.group)).toEqual(["sales", "support"]);
        expect(await valid({ ...PEER, extensionDods: [], groupDods: [] })).not.toHaveProperty("extensionDods");
        expect(await valid({ ...PEER, extensionDods: [], groupDods: [] })).not.toHaveProperty("groupDods");
    });
});

describe("SIP trunk inputs: each type takes exactly its own properties", () => {
    it.each<[string, Record<string, unknown>, { property: string; reason: string }[]]>([
        [
            "a peer trunk with a password (reported without naming the secret's value)",
            { ...PEER, password: "x" },
            [
                {
                    property: "",
                    reason: "password: is not a property of a peer trunk (it takes host, port?, domain?); remove it",
                },
            ],
        ],
        [
            "a peer trunk with a username",
            { ...PEER, username: "u" },
            [
                {
                    property: "username",
                    reason: "is not a property of a peer trunk (it takes host, port?, domain?); remove it",
                },
            ],
        ],
        [
            "a register trunk without a password",
            { ...REGISTER, password: undefined },
            [{ property: "", reason: "password: is required for a register trunk" }],
        ],
        [
            "a register trunk without a host",
            { ...REGISTER, host: undefined },
            [{ property: "host", reason: "is required for a register trunk" }],
        ],
        [
            "an account trunk with a host and a port",
            { ...ACCOUNT, host: "h.example.com", port: 5060 },
            [
                {
                    property: "host",
                    reason: "is not a property of an account trunk (it takes username, password, authName?); remove it",
                },
                {
                    property: "port",
                    reason: "is not a property of an account trunk (it takes username, password, authName?); remove it",
                },
            ],
        ],
        [
            "an account trunk with a fromUser",
            { ...ACCOUNT, fromUser: "x" },
            [
                {
                    property: "fromUser",
                    reason: "is not a property of an account trunk (it takes username, password, authName?); remove it",
                },
            ],
        ],
        [
            "an account trunk without a username",
            { ...ACCOUNT, username: undefined },
            [{ property: "username", reason: "is required for an account trunk" }],
        ],
    ])("refuses %s", async (_case, news, failures) => {
        expect((await check(news)).failures).toEqual(failures);
    });
});

describe("SIP trunk inputs: property rules", () => {
    it.each<[Record<string, unknown>, string, string]>([
        [
            { name: "all" },
            "name",
            'must not be "all": the API reads it as every trunk (a delete would remove them all)',
        ],
        [
            { name: "ALL" },
            "name",
            'must not be "ALL": the API reads it as every trunk (a delete would remove them all)',
        ],
        [{ name: "a,b" }, "name", 'must not contain a comma: the API reads "a,b" as a list of trunks'],
        [{ name: "" }, "name", "must not be empty"],
        [{ name: "has space" }, "name", 'must be 1-31 letters, digits, "-" or "_" (got "has space")'],
        [{ name: "x".repeat(32) }, "name", `must be 1-31 letters, digits, "-" or "_" (got "${"x".repeat(32)}")`],
        [{ trunkType: "sip" }, "trunkType", 'must be one of register, peer, account (got "sip")'],
        [{ port: 0 }, "port", "must be between 1 and 65535"],
        [{ port: 70000 }, "port", "must be between 1 and 65535"],
        [{ host: "sip:pbx.example.com" }, "host", 'must be a bare host without a scheme (got "sip:pbx.example.com")'],
        [
            { connection: "1east" },
            "connection",
            "must start with a letter and hold only letters, digits, '-' or '_', at most 63 (it names stack config keys openvox:<connection>.url, ...)",
        ],
        [{ username: "61 00" }, "username", "must not contain spaces or control characters"],
        [{ password: "" }, "", "password: must not be empty"],
        [{ password: "a\nb" }, "", "password: must not contain control characters"],
        [{ nickname: "x" }, "", "nickname: unknown property"],
        [
            { extensionDods: [{ number: "5503301", name: "sales-line", extension: "1000" }] },
            "extensionDods",
            '[0].name: must not contain "-", "," or control characters (they separate DOD entries)',
        ],
        [
            { extensionDods: [{ number: "55-03", name: "sales", extension: "1000" }] },
            "extensionDods",
            "[0].number: must be a phone number: digits with an optional leading +",
        ],
        [
            { extensionDods: [{ number: "5503301", name: "sales", extension: "ten" }] },
            "extensionDods",
            "[0].extension: must be an extension number",
        ],
        [
            {
                extensionDods: [
                    { number: "5503301", name: "a", extension: "1000" },
                    { number: "5503302", name: "b", extension: "1000" },
                ],
            },
            "extensionDods",
            "must bind each extension at most once",
        ],
        [
            { groupDods: [{ number: "5503301", name: "a", group: "sales,support" }] },
            "groupDods",
            '[0].group: must not contain "-", "," or control characters (they separate DOD entries)',
        ],
        [
            { groupDods: [{ number: "5503301", name: "a", group: "sales", extension: "1" }] },
            "groupDods",
            "[0].extension: unknown property",
        ],
    ])("%j fails on %s", async (patch, property, reason) => {
        expect((await check({ ...REGISTER, ...patch })).failures).toEqual([{ property, reason }]);
    });

    it("refuses exactly the names the API could not address alone", () => {
        expect(trunkNameProblem("to-108-16_b")).toBeUndefined();
        expect(trunkNameProblem("x".repeat(31))).toBeUndefined();
        expect(trunkNameProblem("All")).toContain("every trunk");
        expect(trunkNameProblem("a,")).toContain("list of trunks");
    });

    it("tolerates unknown values during preview and canonicalizes the known ones", async () => {
        expect(await check({ ...PEER, connection: "default", host: UNKNOWN, port: UNKNOWN })).toEqual({
            inputs: { ...PEER, connection: "default", host: UNKNOWN, port: UNKNOWN },
            failures: [],
        });
        expect(
            await check({ ...REGISTER, host: "SIP.Example.com", trunkType: UNKNOWN, connection: "default" }),
        ).toEqual({
            inputs: { ...REGISTER, host: "sip.example.com", trunkType: UNKNOWN, connection: "default" },
            failures: [],
        });
        // A secret computed by another resource is unknown too; the type's rules still apply to the rest.
        expect((await check({ ...ACCOUNT, password: UNKNOWN })).inputs).toMatchObject({
            password: UNKNOWN,
            authName: "7100",
        });
    });
});

describe("wire mapping", () => {
    it("sends the full register record, every value a string, domain and fromuser included", async () => {
        expect(toWire(await valid(REGISTER))).toEqual({
            trunkname: "itsp-a",
            trunktype: "register",
            host: "sip.itsp.example",
            port: "5060",
            domain: "sip.itsp.example",
            username: "6100",
            authname: "6100",
            password: "pw-1",
            fromuser: "",
        });
    });

    it("sends the id for update, and DOD lists in the vendor's format", async () => {
        const inputs = await valid({
            ...PEER,
            port: 5062,
            domain: "voip.example.net",
            extensionDods: [
                { number: "5503302", name: "support", extension: "1001" },
                { number: "5503301", name: "sales", extension: "1000" },
            ],
            groupDods: [{ number: "5503300", name: "main", group: "sales" }],
        });
        expect(toWire(inputs, { id: "7" })).toEqual({
            id: "7",
            trunkname: "peer-a",
            trunktype: "peer",
            host: "198.51.100.7",
            port: "5062",
            domain: "voip.example.net",
            extensionsdod: "5503301-sales-1000,5503302-support-1001",
            extensionsgroupdod: "5503300-main-sales",
        });
    });

    it("sends account credentials only; clears DOD fields only when asked", async () => {
        const inputs = await valid(ACCOUNT);
        expect(toWire(inputs)).toEqual({
            trunkname: "branch-a",
            trunktype: "account",
            username: "7100",
            authname: "7100",
            password: "pw-2",
        });
        expect(toWire(inputs, { id: "3", clearDods: true })).toMatchObject({
            id: "3",
            extensionsdod: "",
            extensionsgroupdod: "",
        });
    });

    const wireRegister: WireTrunk = {
        id: "12",
        trunkname: "itsp-a",
        tech: "pjsip",
        trunktype: "register",
        host: "sip.itsp.example",
        port: "5060",
        domain: "sip.itsp.example",
        username: "6100",
        authname: "6100",
        fromuser: "",
        password: "pw-1",
    };

    it("reads back exactly the canonical inputs it was written from", async () => {
        const inputs = await valid(REGISTER);
        expect(fromWire(wireRegister, inputs)).toEqual({
            inputs,
            outs: { ...inputs, trunkId: "12", tech: "pjsip" },
        });
        const peer = await valid(PEER);
        expect(
            fromWire(
                {
                    id: "2",
                    trunkname: "peer-a",
                    trunktype: "peer",
                    host: "198.51.100.7",
                    port: "5060",
                    domain: "198.51.100.7",
                },
                peer,
            ).inputs,
        ).toEqual(peer);
        const account = await valid(ACCOUNT);
        expect(
            fromWire(
                {
                    id: "3",
                    trunkname: "branch-a",
                    trunktype: "account",
                    username: "7100",
                    authname: "7100",
                    password: "pw-2",
                },
                account,
            ).inputs,
        ).toEqual(account);
    });

    it("shows out-of-band edits as drift, in canonical form", async () => {
        const prior = await valid(REGISTER);
        const { inputs } = fromWire(
            {
                ...wireRegister,
                host: "SIP2.ITSP.example",
                domain: "other.example",
                fromuser: "+4930",
                password: "changed-in-ui",
                extensionsdod: "5503302-support-1001,5503301-late-night-1000",
                extensionsgroupdod: "",
            },
            prior,
        );
        expect(inputs).toEqual({
            ...prior,
            host: "sip2.itsp.example",
            domain: "other.example",
            fromUser: "+4930",
            password: "changed-in-ui",
            // A DOD name holding "-" (set in the UI) is kept whole.
            extensionDods: [
                { number: "5503301", name: "late-night", extension: "1000" },
                { number: "5503302", name: "support", extension: "1001" },
            ],
        });
    });

    it("keeps a domain equal to the host only when the program sets it; keeps a password the PBX masks", async () => {
        const prior = await valid({ ...REGISTER, domain: "sip.itsp.example" });
        expect(fromWire(wireRegister, prior).inputs).toHaveProperty("domain", "sip.itsp.example");
        const { password: _password, ...masked } = wireRegister;
        expect(fromWire(masked, prior).inputs).toHaveProperty("password", "pw-1");
    });

    it("refuses records it cannot read", async () => {
        const prior = await valid(REGISTER);
        expect(() => fromWire({ ...wireRegister, trunktype: "iax" }, prior)).toThrow(
            'trunk "itsp-a": unknown trunk type "iax"',
        );
        expect(() => fromWire({ ...wireRegister, port: "50 60" }, prior)).toThrow(
            'trunk "itsp-a": the PBX answered a port that is not a number',
        );
    });
});

describe("replace rules", () => {
    const rules = { ...sipTrunk, inputKeys: Object.keys(inputSchema().shape) };
    const checked = async (news: Record<string, unknown>) => (await check(news)).inputs;
    let olds: Record<string, unknown> = {};
    beforeAll(async () => {
        olds = { ...(await valid(REGISTER)), trunkId: "12", tech: "pjsip" };
    });

    it("updates credentials, host and DOD lists in place", async () => {
        for (const patch of [{ password: "new" }, { host: "other.example" }, { authName: "x" }, { port: 5070 }]) {
            expect(diffInputs(rules, olds, await checked({ ...REGISTER, ...patch }))).toMatchObject({
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        }
    });

    it("replaces on a new name, type or connection, deleting first (names are unique on a PBX)", async () => {
        expect(diffInputs(rules, olds, await checked({ ...REGISTER, name: "itsp-b" }))).toMatchObject({
            replaces: ["name"],
            deleteBeforeReplace: true,
        });
        expect(diffInputs(rules, olds, await checked({ ...ACCOUNT, name: "itsp-a" }))).toMatchObject({
            replaces: ["trunkType"],
            deleteBeforeReplace: true,
        });
        expect(diffInputs(rules, olds, await checked({ ...REGISTER, connection: "west" }))).toMatchObject({
            replaces: ["connection"],
        });
        expect(REPLACE_ON_CHANGES).toEqual(["connection", "name", "trunkType"]);
        expect(DELETE_BEFORE_REPLACE).toBe(true);
    });

    it("sees no change between the canonical inputs and the outputs they produced", async () => {
        expect(diffInputs(rules, olds, await checked(REGISTER)).changes).toBe(false);
    });
});
