import { createHash } from "node:crypto";
import { OpenVoxSimulator } from "../../simulators/openvox";
import { errorOf, lifecycle } from "../harness";
import { openVoxConfig, tuningConfig } from "../config";

/**
 * The hooks as the engine calls them (see ../harness.ts) against OpenVox simulators: `east`
 * speaks JSON (the default connection points at it too), `west` speaks XML and supports DOD.
 */

const USER = "api-lifecycle";
const PASSWORD = "canary-openvox-api-pw-5Rt";
const LOGIN = { username: USER, password: PASSWORD };
const SIP_PASSWORD = "canary-openvox-sip-pw-2Wq";
const WRONG_PASSWORD = "canary-openvox-wrong-pw-9Yb";

const east = new OpenVoxSimulator(LOGIN);
const west = new OpenVoxSimulator({ username: USER, password: PASSWORD, dod: true });
/** A PBX that answers a delete of an unknown name with an errno instead of success. */
const strict = new OpenVoxSimulator({ username: USER, password: PASSWORD, unknownDeleteNameIsError: true });
const sims = [east, west, strict];
const { provider, configure, checked } = lifecycle({
    type: "openvox:SipTrunk",
    simulators: sims,
    config: () => ({
        ...openVoxConfig(east.server.baseUrl, LOGIN),
        ...openVoxConfig(east.server.baseUrl, LOGIN, "east"),
        ...openVoxConfig(west.server.baseUrl, LOGIN, "west", "xml"),
        ...openVoxConfig(strict.server.baseUrl, LOGIN, "strict"),
        ...tuningConfig("openvox", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 3 }),
    }),
});

/** `endpoint -> HTTP status` for every request a simulator received. */
function requestLog(sim: OpenVoxSimulator): string[] {
    return sim.server.requests.map((entry) => `${entry.path.replace("/api/v0.0.1/", "")} -> ${String(entry.outcome)}`);
}

function bodies(sim: OpenVoxSimulator, endpoint: string): unknown[] {
    return sim.server.requests
        .filter((entry) => entry.path.endsWith(`/${endpoint}`))
        .map((entry) => JSON.parse(entry.rawBody) as unknown);
}

function md5(text: string): string {
    return createHash("md5").update(text, "utf8").digest("hex");
}

/** Every token any simulator issued, from the query strings it received. */
function issuedTokens(): string[] {
    return sims.flatMap((sim) =>
        sim.server.requests
            .map((entry) => new URLSearchParams(entry.query).get("token"))
            .filter((token): token is string => token !== null && token !== ""),
    );
}

function expectNoSecret(text: string): void {
    for (const secret of [
        PASSWORD,
        SIP_PASSWORD,
        WRONG_PASSWORD,
        md5(PASSWORD),
        md5(WRONG_PASSWORD),
        ...issuedTokens(),
    ]) {
        expect(text).not.toContain(secret);
    }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
    const error = await errorOf(promise);
    expectNoSecret(error.message);
    expectNoSecret(JSON.stringify(error));
    return error;
}

const REGISTER = {
    name: "lc-register",
    trunkType: "register",
    host: "SIP.ITSP.example",
    username: "6100",
    password: SIP_PASSWORD,
};

beforeEach(() => {
    for (const sim of sims) sim.loginAttempts.length = 0;
});

describe("create", () => {
    it("logs in with the MD5 digest, looks the name up, adds, finds the trunk by name and returns canonical outputs", async () => {
        const inputs = await checked({ ...REGISTER, connection: "east" });
        const { id, outs } = await provider.create(inputs);
        expect(id).toBe("lc-register");
        const trunk = east.getTrunk("lc-register");
        expect(outs).toEqual({
            connection: "east",
            name: "lc-register",
            trunkType: "register",
            host: "sip.itsp.example",
            port: 5060,
            username: "6100",
            authName: "6100",
            password: SIP_PASSWORD,
            trunkId: trunk?.id,
            tech: "pjsip",
            stateVersion: 1,
        });
        expect(requestLog(east)).toEqual([
            "login -> 200",
            "siptrunk/query -> 200",
            "siptrunk/add -> 200",
            "siptrunk/query -> 200",
        ]);
        expect(bodies(east, "login")).toEqual([{ username: USER, password: md5(PASSWORD), port: "8260" }]);
        expect(bodies(east, "siptrunk/add")).toEqual([
            {
                trunkname: "lc-register",
                trunktype: "register",
                host: "sip.itsp.example",
                port: "5060",
                domain: "sip.itsp.example",
                username: "6100",
                authname: "6100",
                password: SIP_PASSWORD,
                fromuser: "",
            },
        ]);
        for (const entry of east.server.requests) {
            const query = new URLSearchParams(entry.query);
            expect(query.get("type")).toBe("json");
            expect(query.has("token")).toBe(!entry.path.endsWith("/login"));
        }
    });

    it("speaks XML on an XML connection, for all three trunk types, with DOD settings", async () => {
        const created: { outs?: unknown }[] = [];
        for (const news of [
            { ...REGISTER, name: "lc-x-register", connection: "west", fromUser: "+4930" },
            { name: "lc-x-peer", trunkType: "peer", host: "198.51.100.7", port: 5062, connection: "west" },
            {
                name: "lc-x-account",
                trunkType: "account",
                username: "7100",
                password: SIP_PASSWORD,
                connection: "west",
                extensionDods: [{ number: "5503301", name: "sales", extension: "1000" }],
                groupDods: [{ number: "5503300", name: "main", group: "support" }],
            },
        ]) {
            created.push(await provider.create(await checked(news)));
        }
        expect(created.map(({ outs }) => outs)).toEqual([
            expect.objectContaining({ name: "lc-x-register", fromUser: "+4930", password: SIP_PASSWORD }),
            {
                connection: "west",
                name: "lc-x-peer",
                trunkType: "peer",
                host: "198.51.100.7",
                port: 5062,
                trunkId: west.getTrunk("lc-x-peer")?.id,
                tech: "pjsip",
                stateVersion: 1,
            },
            expect.objectContaining({
                trunkType: "account",
                authName: "7100",
                extensionDods: [{ number: "5503301", name: "sales", extension: "1000" }],
                groupDods: [{ number: "5503300", name: "main", group: "support" }],
            }),
        ]);
        expect(west.getTrunk("lc-x-account")).toMatchObject({
            extensionsdod: "5503301-sales-1000",
            extensionsgroupdod: "5503300-main-support",
        });
        // One login for the three trunks; every body is an XML document, every answer was parsed as XML.
        expect(west.loginAttempts.map((attempt) => attempt.outcome)).toEqual(["success"]);
        for (const entry of west.server.requests) {
            expect(new URLSearchParams(entry.query).get("type")).toBe("xml");
            expect(entry.rawBody.startsWith('<?xml version="1.0" encoding="UTF-8"?><xml>')).toBe(true);
        }
        const add = west.server.requests.find((entry) => entry.path.endsWith("/siptrunk/add"));
        expect(add?.rawBody).toBe(
            `<?xml version="1.0" encoding="UTF-8"?><xml><trunkname>lc-x-register</trunkname><trunktype>register</trunktype><host>sip.itsp.example</host><port>5060</port><domain>sip.itsp.example</domain><username>6100</username><authname>6100</authname><password>${SIP_PASSWORD}</password><fromuser>+4930</fromuser></xml>`,
        );
        expect(east.server.requests).toEqual([]);
    });

    it("shares one login among concurrent creates on a connection, one per connection", async () => {
        const names = Array.from({ length: 8 }, (_, index) => `lc-many-${index}`);
        await Promise.all(
            names.flatMap((name) => [
                checked({ name, trunkType: "peer", host: "192.0.2.1", connection: "east" }).then((inputs) =>
                    provider.create(inputs),
                ),
                checked({ name, trunkType: "peer", host: "192.0.2.1", connection: "west" }).then((inputs) =>
                    provider.create(inputs),
                ),
            ]),
        );
        expect(east.loginAttempts).toHaveLength(1);
        expect(west.loginAttempts).toHaveLength(1);
        expect(east.listTrunks().filter((trunk) => trunk.trunkname.startsWith("lc-many-"))).toHaveLength(8);
        expect(west.listTrunks().filter((trunk) => trunk.trunkname.startsWith("lc-many-"))).toHaveLength(8);
    });

    it("refuses a name that already exists on the PBX, without sending the add", async () => {
        east.addTrunk({ trunkname: "lc-taken", trunktype: "peer", host: "192.0.2.9", port: "5060" });
        const inputs = await checked({ name: "lc-taken", trunkType: "peer", host: "192.0.2.1", connection: "east" });
        const error = await failure(provider.create(inputs));
        expect(error.message).toBe(
            `OpenVox PBX "east": create SIP trunk "lc-taken" failed: a peer trunk with this name already exists (id ${east.getTrunk("lc-taken")?.id}) and differs from the declared inputs in: host; trunk names are unique on a PBX: choose another name, or delete that trunk first`,
        );
        expect(requestLog(east)).toEqual(["login -> 200", "siptrunk/query -> 200"]);
    });

    it("reports a 200 + Failed answer with its errno and meaning (DOD on a PBX without DOD support)", async () => {
        const inputs = await checked({
            name: "lc-dod",
            trunkType: "peer",
            host: "192.0.2.1",
            extensionDods: [{ number: "5503301", name: "sales", extension: "1000" }],
        });
        const error = await failure(provider.create(inputs));
        expect(error.message).toBe(
            'OpenVox PBX "default": create SIP trunk "lc-dod" failed (code 10003): unsupported API request: an unknown endpoint, field or value (Yeastar\'s meaning of this code)',
        );
        expect(east.getTrunk("lc-dod")).toBeUndefined();
    });

    it("adopts the trunk an add created when its answer was lost, instead of adding it twice", async () => {
        const inputs = await checked({ name: "lc-ambiguous", trunkType: "peer", host: "192.0.2.1" });
        east.server.injectFaults({
            fault: { kind: "status", status: 502, body: "" },
            times: 1,
            path: /\/siptrunk\/add$/,
            when: "after",
        });
        const { outs } = await provider.create(inputs);
        expect(outs).toMatchObject({ name: "lc-ambiguous", trunkId: east.getTrunk("lc-ambiguous")?.id });
        expect(requestLog(east)).toEqual([
            "login -> 200",
            "siptrunk/query -> 200",
            "siptrunk/add -> 502",
            "siptrunk/query -> 200",
        ]);
    });

    it("sends the add again when the PBX certainly did not act on it", async () => {
        const inputs = await checked({ name: "lc-retry", trunkType: "peer", host: "192.0.2.1" });
        east.server.injectFaults({ fault: { kind: "reset" }, times: 1, path: /\/siptrunk\/add$/ });
        await provider.create(inputs);
        expect(east.listTrunks().filter((trunk) => trunk.trunkname === "lc-retry")).toHaveLength(1);
        expect(requestLog(east)).toEqual([
            "login -> 200",
            "siptrunk/query -> 200",
            "siptrunk/add -> reset",
            "siptrunk/query -> 200",
            "siptrunk/add -> 200",
            "siptrunk/query -> 200",
        ]);
    });

    it("retries writes the PBX refused as too frequent (errno 10025)", async () => {
        const inputs = await checked({ name: "lc-throttled", trunkType: "peer", host: "192.0.2.1" });
        east.rejectNextWrites(2);
        await provider.create(inputs);
        expect(requestLog(east)).toEqual([
            "login -> 200",
            "siptrunk/query -> 200",
            "siptrunk/add -> 200",
            "siptrunk/add -> 200",
            "siptrunk/add -> 200",
            "siptrunk/query -> 200",
        ]);
        expect(east.listTrunks().filter((trunk) => trunk.trunkname === "lc-throttled")).toHaveLength(1);
    });
});

describe("sessions", () => {
    it("logs in again once when the token expired, and repeats the call once", async () => {
        const inputs = await checked({ name: "lc-expiry", trunkType: "peer", host: "192.0.2.1" });
        const { outs } = await provider.create(inputs);
        east.server.clearLog();
        east.expireAllTokens();
        const read = await provider.read("lc-expiry", outs);
        expect(read.props).toMatchObject({ name: "lc-expiry" });
        expect(requestLog(east)).toEqual(["siptrunk/query -> 200", "login -> 200", "siptrunk/query -> 200"]);
        expect(east.loginAttempts.map((attempt) => attempt.outcome)).toEqual(["success", "success"]);
    });

    it("survives a token that expires in the middle of a create", async () => {
        const inputs = await checked({ name: "lc-mid-expiry", trunkType: "peer", host: "192.0.2.1" });
        await provider.read("warm-up", { ...inputs, trunkId: "", stateVersion: 1 });
        east.server.clearLog();
        // The name lookup is served; the add then meets an expired token.
        east.expireTokensAfter(1);
        await provider.create(inputs);
        expect(requestLog(east)).toEqual([
            "siptrunk/query -> 200",
            "siptrunk/add -> 200",
            "login -> 200",
            "siptrunk/add -> 200",
            "siptrunk/query -> 200",
        ]);
        expect(east.listTrunks().filter((trunk) => trunk.trunkname === "lc-mid-expiry")).toHaveLength(1);
    });

    it("stops at a refused login with one clear message and never sends the login again", async () => {
        await configure({ "openvox:east.password": WRONG_PASSWORD });
        const errors = await Promise.all(
            ["lc-denied-1", "lc-denied-2", "lc-denied-3"].map(async (name) =>
                failure(
                    provider.create(await checked({ name, trunkType: "peer", host: "192.0.2.1", connection: "east" })),
                ),
            ),
        );
        const later = await failure(
            provider.read("lc-denied-1", {
                connection: "east",
                name: "lc-denied-1",
                trunkType: "peer",
                host: "192.0.2.1",
                port: 5060,
                trunkId: "1",
                stateVersion: 1,
            }),
        );
        const refused = (during: string): string =>
            `OpenVox PBX "east": ${during}: log in "api-lifecycle" failed (code 30003): login failed: wrong API username or password. Not retried in this run: 5 failed logins lock this address out of the PBX for 10 minutes; check openvox:east.username and openvox:east.password (the API user of the PBX's API settings, not a web-UI user)`;
        expect(errors.map((error) => error.message)).toEqual([
            refused('create SIP trunk "lc-denied-1"'),
            refused('create SIP trunk "lc-denied-2"'),
            refused('create SIP trunk "lc-denied-3"'),
        ]);
        // A refresh adds why a credential changed in the stack config since the last up was not used.
        expect(
            later.message.startsWith(
                `${refused('refresh SIP trunk "lc-denied-1"')}. refresh and destroy use the credentials from the stack config`,
            ),
        ).toBe(true);
        expect(east.loginAttempts.map((attempt) => attempt.outcome)).toEqual(["bad-credentials"]);
        expect(requestLog(east)).toEqual(["login -> 200"]);
        expect(east.blockedIps()).toEqual([]);
    });

    it("explains a lockout and does not add to it", async () => {
        const lockedSim = new OpenVoxSimulator({ username: USER, password: PASSWORD });
        const base = await lockedSim.start();
        try {
            for (let attempt = 0; attempt < 5; attempt++) {
                await fetch(`${base}/api/v0.0.1/login?type=json`, {
                    method: "POST",
                    body: JSON.stringify({ username: USER, password: md5("nope"), port: "8260" }),
                });
            }
            await configure({
                "openvox:locked.url": base,
                "openvox:locked.username": USER,
                "openvox:locked.password": PASSWORD,
            });
            const inputs = await checked({
                name: "lc-locked",
                trunkType: "peer",
                host: "192.0.2.1",
                connection: "locked",
            });
            const first = await failure(provider.create(inputs));
            const second = await failure(provider.create(inputs));
            expect(first.message).toBe(
                'OpenVox PBX "locked": create SIP trunk "lc-locked": log in "api-lifecycle" failed (code 20002): login refused: this client address is locked out after repeated failed logins; wait 10 minutes or ask the PBX administrator to remove it from the blocked-IP list (Yeastar\'s meaning of this code). Not retried in this run: 5 failed logins lock this address out of the PBX for 10 minutes; fix the cause on the PBX first',
            );
            expect(second.message).toBe(first.message);
            expect(lockedSim.loginStats.rejectedWhileLocked).toBe(1);
        } finally {
            await lockedSim.stop();
        }
    });

    it("never repeats a login lost in transport (the PBX may have counted it)", async () => {
        const inputs = await checked({ name: "lc-login-faults", trunkType: "peer", host: "192.0.2.1" });
        east.server.injectFaults({ fault: { kind: "reset" }, times: 10, path: /\/login$/ });
        const error = await failure(provider.create(inputs));
        expect(error.message).toMatch(
            /^OpenVox PBX "default": create SIP trunk "lc-login-faults": log in "api-lifecycle" failed: connection failed/,
        );
        expect(requestLog(east)).toEqual(["login -> reset"]);
        east.server.clearFaults();
        // Not a refusal: the next call may log in.
        await expect(provider.create(inputs)).resolves.toMatchObject({ id: "lc-login-faults" });
    });

    it("never writes a token, the API password or its digest to a log line", async () => {
        const lines: string[] = [];
        const spy = jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
            lines.push(args.map(String).join(" "));
        });
        process.env["PULUMI_VOIP_DEBUG"] = "1";
        try {
            const inputs = await checked({ name: "lc-logs", trunkType: "peer", host: "192.0.2.1" });
            east.server.injectFaults({ fault: { kind: "status", status: 503, body: "" }, times: 2, path: /query$/ });
            const { outs } = await provider.create(inputs);
            east.expireAllTokens();
            await provider.read("lc-logs", outs);
            east.rejectNextWrites(1);
            await provider.delete("lc-logs", outs);
        } finally {
            delete process.env["PULUMI_VOIP_DEBUG"];
            spy.mockRestore();
        }
        expect(lines.some((line) => line.includes("token expired, logging in again"))).toBe(true);
        expect(lines.some((line) => line.includes("retry 1/3"))).toBe(true);
        expect(issuedTokens().length).toBeGreaterThan(0);
        expectNoSecret(lines.join("\n"));
    });
});

describe("read, update, delete", () => {
    it("reads drift back as canonical inputs, follows an out-of-band rename by id, and reports a deleted trunk as gone", async () => {
        const inputs = await checked({ ...REGISTER, name: "lc-read" });
        const { outs } = await provider.create(inputs);
        east.editTrunk("lc-read", { host: "OTHER.example", password: "changed-in-ui", fromuser: "+4930" });
        const read = await provider.read("lc-read", outs);
        expect(read).toEqual({
            id: "lc-read",
            props: {
                ...outs,
                host: "other.example",
                password: "changed-in-ui",
                fromUser: "+4930",
                domain: "sip.itsp.example",
            },
            inputs: {
                ...inputs,
                host: "other.example",
                password: "changed-in-ui",
                fromUser: "+4930",
                domain: "sip.itsp.example",
            },
        });
        east.server.clearLog();
        east.editTrunk("lc-read", { trunkname: "lc-read-renamed" });
        const renamed = await provider.read("lc-read", outs);
        expect(renamed.inputs).toMatchObject({ name: "lc-read-renamed" });
        expect(requestLog(east)).toEqual(["siptrunk/query -> 200", "siptrunk/query -> 200"]);
        expect(bodies(east, "siptrunk/query")).toEqual([{ trunkname: "lc-read" }, { trunkname: "all" }]);

        east.deleteTrunk("lc-read-renamed");
        await expect(provider.read("lc-read", outs)).resolves.toEqual({ id: "", props: {} });
    });

    it("updates with the full record built from the desired state, sent to the trunk's current id", async () => {
        const inputs = await checked({ ...REGISTER, name: "lc-update", fromUser: "+4930", connection: "west" });
        const { outs } = await provider.create(inputs);
        west.editTrunk("lc-update", { domain: "set-in-ui.example", extensionsdod: "5503309-ui-1009" });
        west.server.clearLog();
        const news = await checked({
            ...REGISTER,
            name: "lc-update",
            port: 5080,
            password: "n3w-pw",
            connection: "west",
        });
        const updated = await provider.update("lc-update", outs, news);
        expect(updated.outs).toEqual({ ...news, trunkId: outs["trunkId"], tech: "pjsip", stateVersion: 1 });
        expect(requestLog(west)).toEqual(["siptrunk/query -> 200", "siptrunk/update -> 200", "siptrunk/query -> 200"]);
        expect(west.server.requests[1]?.rawBody).toBe(
            `<?xml version="1.0" encoding="UTF-8"?><xml><id>${String(outs["trunkId"])}</id><trunkname>lc-update</trunkname><trunktype>register</trunktype><host>sip.itsp.example</host><port>5080</port><domain>sip.itsp.example</domain><username>6100</username><authname>6100</authname><password>n3w-pw</password><fromuser></fromuser><extensionsdod></extensionsdod><extensionsgroupdod></extensionsgroupdod></xml>`,
        );
        expect(west.getTrunk("lc-update")).toMatchObject({
            domain: "sip.itsp.example",
            fromuser: "",
            extensionsdod: "",
        });
    });

    it("fails an update of a trunk deleted out of band, telling the user to refresh", async () => {
        const inputs = await checked({ name: "lc-update-gone", trunkType: "peer", host: "192.0.2.1" });
        const { outs } = await provider.create(inputs);
        east.deleteTrunk("lc-update-gone");
        const error = await failure(provider.update("lc-update-gone", outs, { ...inputs, port: 5070 }));
        expect(error.message).toBe(
            'OpenVox PBX "default": update SIP trunk "lc-update-gone" failed: the trunk no longer exists on the PBX; run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it',
        );
    });

    it("deletes by name only, and treats a trunk already gone as deleted (whatever the PBX answers)", async () => {
        const inputs = await checked({ name: "lc-delete", trunkType: "peer", host: "192.0.2.1", connection: "strict" });
        const { outs } = await provider.create(inputs);
        strict.server.clearLog();
        await provider.delete("lc-delete", outs);
        expect(bodies(strict, "siptrunk/delete")).toEqual([{ trunkname: "lc-delete" }]);
        expect(strict.getTrunk("lc-delete")).toBeUndefined();
        strict.server.clearLog();
        // This PBX answers Failed/90002 for an unknown name: the lookup shows the trunk is gone.
        await provider.delete("lc-delete", outs);
        expect(requestLog(strict)).toEqual(["siptrunk/delete -> 200", "siptrunk/query -> 200"]);
    });

    it("never sends a selector: a state naming `all` or a list is refused before any call", async () => {
        for (const name of ["all", "a,b"]) {
            const error = await failure(
                provider.delete(name, { connection: "east", name, trunkType: "peer", trunkId: "1", stateVersion: 1 }),
            );
            expect(error.message).toContain(
                `OpenVox PBX "east": delete SIP trunk "${name}" failed: refused before sending: the name must not`,
            );
        }
        expect(east.server.requests).toEqual([]);
    });

    it("reads state written before versioning (version 0)", async () => {
        const inputs = await checked({ name: "lc-v0", trunkType: "peer", host: "192.0.2.1" });
        const { outs } = await provider.create(inputs);
        const { stateVersion: _version, ...legacy } = outs as Record<string, unknown>;
        const read = await provider.read("lc-v0", legacy);
        expect(read.props).toMatchObject({ stateVersion: 1, name: "lc-v0" });
    });
});

describe("check and settings", () => {
    it("refuses selector names and type mismatches at check, with zero API calls", async () => {
        const cases: [Record<string, unknown>, { property: string; reason: string }][] = [
            [
                { name: "all", trunkType: "peer", host: "192.0.2.1" },
                {
                    property: "name",
                    reason: 'must not be "all": the API reads it as every trunk (a delete would remove them all)',
                },
            ],
            [
                { name: "a,b", trunkType: "peer", host: "192.0.2.1" },
                { property: "name", reason: 'must not contain a comma: the API reads "a,b" as a list of trunks' },
            ],
            [
                { name: "p", trunkType: "peer", host: "192.0.2.1", password: SIP_PASSWORD },
                {
                    property: "",
                    reason: "password: is not a property of a peer trunk (it takes host, port?, domain?); remove it",
                },
            ],
            [
                { name: "r", trunkType: "register", host: "192.0.2.1", username: "u" },
                { property: "", reason: "password: is required for a register trunk" },
            ],
        ];
        for (const [news, failure] of cases) {
            const result = await provider.check({}, { __provider: "serialized", ...news });
            expect(result.failures).toEqual([failure]);
            expect(JSON.stringify(result.failures)).not.toContain(SIP_PASSWORD);
        }
        expect(sims.flatMap((sim) => sim.server.requests)).toEqual([]);
    });

    it("names the missing setting and where to set it, for the default and a named connection", async () => {
        await configure({ "openvox:url": "", "openvox:north.username": USER, "openvox:north.password": PASSWORD });
        delete process.env["OPENVOX_URL"];
        delete process.env["OPENVOX_NORTH_URL"];
        await expect(
            provider.create(await checked({ name: "lc-nourl", trunkType: "peer", host: "192.0.2.1" })),
        ).rejects.toThrow(
            'OpenVox: create SIP trunk "lc-nourl": missing setting openvox:url: run `pulumi config set openvox:url <value>` or set the OPENVOX_URL environment variable',
        );
        await expect(
            provider.create(
                await checked({ name: "lc-nourl", trunkType: "peer", host: "192.0.2.1", connection: "north" }),
            ),
        ).rejects.toThrow(
            'OpenVox: create SIP trunk "lc-nourl": missing setting openvox:north.url: run `pulumi config set openvox:north.url <value>` or set the OPENVOX_NORTH_URL environment variable',
        );
        await configure({ "openvox:east.password": "" });
        delete process.env["OPENVOX_EAST_PASSWORD"];
        await expect(
            provider.create(
                await checked({ name: "lc-nopw", trunkType: "peer", host: "192.0.2.1", connection: "east" }),
            ),
        ).rejects.toThrow(
            'OpenVox: create SIP trunk "lc-nopw": missing setting openvox:east.password: run `pulumi config set --secret openvox:east.password <value>` or set the OPENVOX_EAST_PASSWORD environment variable',
        );
    });

    it("refuses a bad format or URL with the setting's name", async () => {
        await configure({ "openvox:east.format": "yaml" });
        const inputs = await checked({ name: "lc-format", trunkType: "peer", host: "192.0.2.1", connection: "east" });
        await expect(provider.create(inputs)).rejects.toThrow(
            'OpenVox: create SIP trunk "lc-format": the format of connection "east" must be json or xml (got "yaml")',
        );
        await configure({ "openvox:east.url": "pbx.example.com:9011" });
        await expect(provider.create(inputs)).rejects.toThrow(
            'OpenVox: create SIP trunk "lc-format": openvox:east.url must start with http:// or https://',
        );
    });

    it("falls back to environment variables for a named connection", async () => {
        await configure();
        process.env["OPENVOX_SOUTH_URL"] = east.server.baseUrl;
        process.env["OPENVOX_SOUTH_USERNAME"] = USER;
        process.env["OPENVOX_SOUTH_PASSWORD"] = PASSWORD;
        try {
            const inputs = await checked({ name: "lc-env", trunkType: "peer", host: "192.0.2.1", connection: "south" });
            await expect(provider.create(inputs)).resolves.toMatchObject({
                outs: { connection: "south", name: "lc-env" },
            });
        } finally {
            delete process.env["OPENVOX_SOUTH_URL"];
            delete process.env["OPENVOX_SOUTH_USERNAME"];
            delete process.env["OPENVOX_SOUTH_PASSWORD"];
        }
    });
});
