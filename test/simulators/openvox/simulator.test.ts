import { createHash } from "node:crypto";
import { XMLParser } from "fast-xml-parser";
import { CLIENT_IP_HEADER, OpenVoxSimulator, type OpenVoxSimulatorOptions } from "./index";

const USER = "apiuser";
const PASSWORD = "S3cret pass!";
const START = Date.UTC(2024, 4, 19, 4, 6, 7);
const MINUTE = 60_000;

function md5(text: string): string {
    return createHash("md5").update(text).digest("hex");
}

interface CallOptions {
    token?: string;
    /** `null` leaves the parameter out. */
    type?: string | null;
    method?: string;
    headers?: Record<string, string>;
}

interface Reply {
    status: number;
    headers: Headers;
    text: string;
}

const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    isArray: (name) => name === "item",
});

let clock = START;
let sim: OpenVoxSimulator;
let base: string;

async function boot(options: Partial<OpenVoxSimulatorOptions> = {}): Promise<void> {
    await sim.stop();
    sim = new OpenVoxSimulator({ username: USER, password: PASSWORD, now: () => clock, ...options });
    base = await sim.start();
}

beforeEach(async () => {
    clock = START;
    sim = new OpenVoxSimulator({ username: USER, password: PASSWORD, now: () => clock });
    base = await sim.start();
});

afterEach(async () => {
    await sim.stop();
});

/** Sends `body` verbatim when it is a string, else as JSON, like a client would. */
async function call(endpoint: string, body?: unknown, options: CallOptions = {}): Promise<Reply> {
    const params = new URLSearchParams();
    if (options.token !== undefined) params.set("token", options.token);
    const type = options.type === undefined ? "json" : options.type;
    if (type !== null) params.set("type", type);
    const query = params.toString();
    const method = options.method ?? "POST";
    const response = await fetch(`${base}/api/v0.0.1/${endpoint}${query === "" ? "" : `?${query}`}`, {
        method,
        headers: { "Content-Type": "application/json; charset=utf-8", ...options.headers },
        body:
            method === "GET" || body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
}

async function callJson(endpoint: string, body?: unknown, options: CallOptions = {}): Promise<unknown> {
    const reply = await call(endpoint, body, options);
    expect(reply.status).toBe(200);
    return JSON.parse(reply.text) as unknown;
}

async function callXml(endpoint: string, body: string | undefined, options: CallOptions = {}): Promise<unknown> {
    const reply = await call(endpoint, body, { ...options, type: "xml" });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    expect(reply.text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<xml>')).toBe(true);
    return xml.parse(reply.text) as unknown;
}

function loginBody(password = md5(PASSWORD), username = USER): Record<string, unknown> {
    return { username, password, port: "8260" };
}

async function login(headers: Record<string, string> = {}): Promise<string> {
    const body = (await callJson("login", loginBody(), { headers })) as { status: string; token: string };
    expect(body.status).toBe("Success");
    return body.token;
}

const REGISTER = {
    trunkname: "to-108-16",
    trunktype: "register",
    host: "172.16.108.16",
    port: "5060",
    username: "6100",
    authname: "6100",
    password: "@123456wW",
};
const PEER = { trunkname: "to-18-16-2", trunktype: "peer", host: "172.16.108.17", port: "5062" };
const ACCOUNT = { trunkname: "acct-1", trunktype: "account", username: "7100", authname: "7100a", password: "pw7100" };

function failedWith(errno: string): { status: string; errno: string } {
    return { status: "Failed", errno };
}

describe("login", () => {
    it("accepts the lowercase MD5 of the password and returns a 32-hex token, HTTP 200 with CORS headers", async () => {
        const reply = await call("login", loginBody());
        expect(reply.status).toBe(200);
        expect(reply.headers.get("access-control-allow-origin")).toBe("*");
        expect(reply.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS, PUT, DELETE");
        const body = JSON.parse(reply.text) as Record<string, string>;
        expect(Object.keys(body)).toEqual(["status", "token"]);
        expect(body.status).toBe("Success");
        expect(body.token).toMatch(/^[0-9a-f]{32}$/);
        expect(sim.loginStats).toEqual({
            successes: 1,
            failures: 0,
            lockouts: 0,
            rejectedWhileLocked: 0,
            malformed: 0,
        });
        expect(sim.activeSessions().map((s) => [s.token, s.username, s.eventReport.port])).toEqual([
            [body.token, USER, "8260"],
        ]);
    });

    it("accepts the documented example's numeric urltag and the optional url/version fields", async () => {
        const body = await callJson("login", { ...loginBody(), version: "1.0.2", url: "10.0.0.5:8260", urltag: 1 });
        expect(body).toEqual({ status: "Success", token: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown });
        expect(sim.activeSessions()[0]?.eventReport).toEqual({
            ipaddr: "127.0.0.1",
            port: "8260",
            url: "10.0.0.5:8260",
            urltag: "1",
        });
    });

    it("answers 200 + Failed/30003 for a wrong password, the plain password, an upper-case digest, a wrong user", async () => {
        for (const body of [
            loginBody(md5("wrong")),
            loginBody(PASSWORD),
            loginBody(md5(PASSWORD).toUpperCase()),
            loginBody(md5(PASSWORD), "admin"),
        ]) {
            const reply = await call("login", body);
            expect(reply.status).toBe(200);
            expect(reply.text).toBe('{"status":"Failed","errno":"30003"}');
        }
        expect(sim.loginStats.failures).toBe(4);
        expect(sim.loginStats.successes).toBe(0);
        expect(sim.activeSessions()).toEqual([]);
    });

    it("refuses malformed logins without counting them towards the lockout", async () => {
        expect(await callJson("login", { username: USER, password: md5(PASSWORD) })).toEqual(failedWith("10004"));
        expect(await callJson("login", { ...loginBody(), port: "70000" })).toEqual(failedWith("20008"));
        expect(await callJson("login", { ...loginBody(), port: "http" })).toEqual(failedWith("20008"));
        expect(await callJson("login", { ...loginBody(), urltag: "2" })).toEqual(failedWith("10003"));
        expect(await callJson("login", { ...loginBody(), extra: "x" })).toEqual(failedWith("10003"));
        expect(await callJson("login", "not json")).toEqual(failedWith("20000"));
        expect(sim.loginStats).toEqual({
            successes: 0,
            failures: 0,
            lockouts: 0,
            rejectedWhileLocked: 0,
            malformed: 6,
        });
        expect(await callJson("login", loginBody())).toMatchObject({ status: "Success" });
    });

    it("locks the client IP after 5 consecutive failures for 10 minutes, without extending the lock", async () => {
        for (let attempt = 1; attempt <= 5; attempt += 1) {
            expect(await callJson("login", loginBody(md5("bad")))).toEqual(failedWith("30003"));
        }
        expect(sim.blockedIps()).toEqual(["127.0.0.1"]);
        // Even the right password is refused while locked.
        expect(await callJson("login", loginBody())).toEqual(failedWith("20002"));
        clock += 10 * MINUTE - 1;
        expect(await callJson("login", loginBody(md5("bad")))).toEqual(failedWith("20002"));
        expect(await callJson("login", loginBody())).toEqual(failedWith("20002"));
        // Another client IP is not affected.
        expect(await callJson("login", loginBody(), { headers: { [CLIENT_IP_HEADER]: "10.1.1.1" } })).toMatchObject({
            status: "Success",
        });
        clock += 1;
        expect(sim.blockedIps()).toEqual([]);
        expect(await callJson("login", loginBody())).toMatchObject({ status: "Success" });
        expect(sim.loginStats).toEqual({
            successes: 2,
            failures: 5,
            lockouts: 1,
            rejectedWhileLocked: 3,
            malformed: 0,
        });
        expect(sim.loginAttempts.map((a) => [a.ip, a.outcome, a.errno])).toEqual([
            ["127.0.0.1", "bad-credentials", "30003"],
            ["127.0.0.1", "bad-credentials", "30003"],
            ["127.0.0.1", "bad-credentials", "30003"],
            ["127.0.0.1", "bad-credentials", "30003"],
            ["127.0.0.1", "bad-credentials", "30003"],
            ["127.0.0.1", "locked-out", "20002"],
            ["127.0.0.1", "locked-out", "20002"],
            ["127.0.0.1", "locked-out", "20002"],
            ["10.1.1.1", "success", undefined],
            ["127.0.0.1", "success", undefined],
        ]);
    });

    it("counts only consecutive failures: a success in between resets the count", async () => {
        for (let attempt = 1; attempt <= 4; attempt += 1) await callJson("login", loginBody(md5("bad")));
        await login();
        for (let attempt = 1; attempt <= 4; attempt += 1) await callJson("login", loginBody(md5("bad")));
        expect(await callJson("login", loginBody())).toMatchObject({ status: "Success" });
        expect(sim.loginStats.lockouts).toBe(0);
    });

    it("honours the configured threshold and lets an admin unblock the IP", async () => {
        await boot({ lockoutThreshold: 2, lockoutMs: 60_000 });
        await callJson("login", loginBody(md5("bad")));
        expect(await callJson("login", loginBody(md5("bad")))).toEqual(failedWith("30003"));
        expect(await callJson("login", loginBody())).toEqual(failedWith("20002"));
        expect(sim.unblockIp("127.0.0.1")).toBe(true);
        expect(await callJson("login", loginBody())).toMatchObject({ status: "Success" });
    });
});

describe("tokens", () => {
    it("distinguishes a missing (20005), unknown (20004) and timed-out (20006) token", async () => {
        expect(await callJson("siptrunk/query", { trunkname: "all" })).toEqual(failedWith("20005"));
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: "" })).toEqual(failedWith("20005"));
        const unknown = "0123456789abcdef0123456789abcdef";
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: unknown })).toEqual(failedWith("20004"));
        // The token belongs in the query string; a header is not looked at.
        const token = await login();
        expect(
            await callJson("siptrunk/query", { trunkname: "all" }, { headers: { Authorization: `Bearer ${token}` } }),
        ).toEqual(failedWith("20005"));
    });

    it("expires after the idle lifetime, each use sliding the window", async () => {
        const token = await login();
        clock += 29 * MINUTE;
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toEqual({
            status: "Success",
            trunks: [],
        });
        clock += 29 * MINUTE;
        // A failed call is still an interaction and refreshes the token.
        expect(await callJson("siptrunk/query", {}, { token })).toEqual(failedWith("10004"));
        clock += 30 * MINUTE - 1;
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toMatchObject({ status: "Success" });
        clock += 30 * MINUTE;
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toEqual(failedWith("20006"));
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toEqual(failedWith("20006"));
        expect(sim.activeSessions()).toEqual([]);
    });

    it("expires on the real clock with a shortened lifetime", async () => {
        await boot({ tokenIdleMs: 50, now: Date.now });
        const token = await login();
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toMatchObject({ status: "Success" });
        await new Promise((resolve) => setTimeout(resolve, 120));
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toEqual(failedWith("20006"));
    });

    it("expireAllTokens makes live tokens answer 20006; forgetAllTokens makes them unknown (20004)", async () => {
        const first = await login();
        const second = await login();
        sim.expireAllTokens();
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: first })).toEqual(failedWith("20006"));
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: second })).toEqual(failedWith("20006"));
        const third = await login();
        sim.forgetAllTokens();
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: third })).toEqual(failedWith("20004"));
    });

    it("keeps several tokens valid unless singleSession is set", async () => {
        await boot({ singleSession: true });
        const first = await login();
        const second = await login();
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: first })).toEqual(failedWith("20004"));
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: second })).toMatchObject({
            status: "Success",
        });
    });
});

describe("transport", () => {
    let token: string;
    beforeEach(async () => {
        token = await login();
    });

    it("answers every refusal with HTTP 200 and a Failed body", async () => {
        expect(await callJson("siptrunk/query", undefined, { token, method: "GET" })).toEqual(failedWith("20001"));
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token, method: "PUT" })).toEqual(
            failedWith("20001"),
        );
        expect(await callJson("siptrunk/list", { trunkname: "all" }, { token })).toEqual(failedWith("10003"));
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token, type: "JSON" })).toEqual(
            failedWith("10003"),
        );
        expect(await callJson("siptrunk/add", "{trunkname:", { token })).toEqual(failedWith("20000"));
        expect(await callJson("siptrunk/add", [REGISTER], { token })).toEqual(failedWith("20000"));
        expect(await callJson("siptrunk/add", "", { token })).toEqual(failedWith("20007"));
        expect(await callJson("siptrunk/add", { ...REGISTER, port: true }, { token })).toEqual(failedWith("10003"));
        expect(await callJson("siptrunk/add", { ...REGISTER, host: null }, { token })).toEqual(failedWith("10003"));
        expect(sim.listTrunks()).toEqual([]);
    });

    it("serves the docs' stray v1.1.0 paths only when configured", async () => {
        const viaV110 = async (): Promise<unknown> => {
            const response = await fetch(`${base}/api/v1.1.0/siptrunk/query?token=${token}&type=json`, {
                method: "POST",
                body: JSON.stringify({ trunkname: "all" }),
            });
            return JSON.parse(await response.text()) as unknown;
        };
        expect(await viaV110()).toEqual(failedWith("10003"));
        await boot({ apiVersions: ["v0.0.1", "v1.1.0"] });
        token = await login();
        expect(await viaV110()).toEqual({ status: "Success", trunks: [] });
    });
});

describe("siptrunk add and query", () => {
    let token: string;
    beforeEach(async () => {
        token = await login();
    });

    it("add returns exactly {status: Success} with no id; query returns the full record, every value a string", async () => {
        const reply = await call("siptrunk/add", REGISTER, { token });
        expect(reply.status).toBe(200);
        expect(reply.text).toBe('{"status":"Success"}');
        const body = (await callJson("siptrunk/query", { trunkname: "to-108-16" }, { token })) as {
            trunks: Record<string, unknown>[];
        };
        expect(body).toEqual({
            status: "Success",
            trunks: [
                {
                    id: "1",
                    trunkname: "to-108-16",
                    tech: "pjsip",
                    trunktype: "register",
                    host: "172.16.108.16",
                    port: "5060",
                    domain: "172.16.108.16",
                    username: "6100",
                    authname: "6100",
                    fromuser: "",
                    password: "@123456wW",
                },
            ],
        });
        expect(Object.keys(body.trunks[0]!)).toEqual([
            "id",
            "trunkname",
            "tech",
            "trunktype",
            "host",
            "port",
            "domain",
            "username",
            "authname",
            "fromuser",
            "password",
        ]);
        for (const value of Object.values(body.trunks[0]!)) expect(typeof value).toBe("string");
    });

    it("stores a numeric port as a string and keeps an explicit domain and fromuser", async () => {
        const add = { ...REGISTER, port: 5070, domain: "sip.example.net", fromuser: "+4930123" };
        expect(await callJson("siptrunk/add", add, { token })).toEqual({ status: "Success" });
        expect(sim.getTrunk("to-108-16")).toMatchObject({
            port: "5070",
            domain: "sip.example.net",
            fromuser: "+4930123",
        });
    });

    it("stores peer and account trunks with only their own fields", async () => {
        expect(await callJson("siptrunk/add", PEER, { token })).toEqual({ status: "Success" });
        expect(await callJson("siptrunk/add", ACCOUNT, { token })).toEqual({ status: "Success" });
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toEqual({
            status: "Success",
            trunks: [
                {
                    id: "1",
                    trunkname: "to-18-16-2",
                    tech: "pjsip",
                    trunktype: "peer",
                    host: "172.16.108.17",
                    port: "5062",
                    domain: "172.16.108.17",
                },
                {
                    id: "2",
                    trunkname: "acct-1",
                    tech: "pjsip",
                    trunktype: "account",
                    username: "7100",
                    authname: "7100a",
                    password: "pw7100",
                },
            ],
        });
    });

    it.each([
        ["a missing password", { ...REGISTER, password: undefined }, "10004"],
        ["a blank host", { ...REGISTER, host: "  " }, "10004"],
        ["a missing trunktype", { ...REGISTER, trunktype: undefined }, "10004"],
        ["a missing trunkname", { ...REGISTER, trunkname: undefined }, "10004"],
        ["a missing account authname", { ...ACCOUNT, authname: undefined }, "10004"],
        ["an unknown trunktype", { ...REGISTER, trunktype: "sip" }, "10003"],
        ["the name all", { ...REGISTER, trunkname: "all" }, "10003"],
        ["the name ALL", { ...REGISTER, trunkname: "ALL" }, "10003"],
        ["a name with a comma", { ...REGISTER, trunkname: "a,b" }, "10003"],
        ["a Yeastar-only field", { ...REGISTER, extensionsdod: "100-x-1001" }, "10003"],
        ["a host on an account trunk", { ...ACCOUNT, host: "1.2.3.4" }, "10003"],
        ["fromuser on a peer trunk", { ...PEER, fromuser: "" }, "10003"],
        ["an out-of-range port", { ...REGISTER, port: "70000" }, "10003"],
        ["a zero-padded port", { ...REGISTER, port: "05060" }, "10003"],
        ["a numeric username", { ...REGISTER, username: 6100 }, "10003"],
    ])("refuses %s", async (_label, body, errno) => {
        expect(await callJson("siptrunk/add", body, { token })).toEqual(failedWith(errno));
        expect(sim.listTrunks()).toEqual([]);
    });

    it("refuses a duplicate name with the simulator-only errno 90001 and keeps the original", async () => {
        await callJson("siptrunk/add", REGISTER, { token });
        expect(await callJson("siptrunk/add", { ...PEER, trunkname: REGISTER.trunkname }, { token })).toEqual(
            failedWith("90001"),
        );
        expect(sim.listTrunks().map((t) => [t.id, t.trunktype])).toEqual([["1", "register"]]);
    });

    it("query selects one name, a comma list (id order), all, or nothing", async () => {
        for (const name of ["a", "b", "c"]) await callJson("siptrunk/add", { ...PEER, trunkname: name }, { token });
        const names = async (trunkname: string): Promise<unknown> => {
            const body = (await callJson("siptrunk/query", { trunkname }, { token })) as {
                trunks: { trunkname: string }[];
            };
            return body.trunks.map((t) => t.trunkname);
        };
        expect(await names("b")).toEqual(["b"]);
        expect(await names("c,a")).toEqual(["a", "c"]);
        expect(await names("a,nope,c,a")).toEqual(["a", "c"]);
        expect(await names("all")).toEqual(["a", "b", "c"]);
        expect(await names("nope")).toEqual([]);
        expect(await names("a, b")).toEqual(["a"]);
        expect(await callJson("siptrunk/query", { trunkname: "a,,b" }, { token })).toEqual(failedWith("10003"));
        expect(await callJson("siptrunk/query", {}, { token })).toEqual(failedWith("10004"));
        expect(await callJson("siptrunk/query", { trunkname: "a", id: "1" }, { token })).toEqual(failedWith("10003"));
    });

    it("query fails with 20007 for an unknown name when unknownQueryNameIsError is set", async () => {
        await boot({ unknownQueryNameIsError: true });
        token = await login();
        await callJson("siptrunk/add", PEER, { token });
        expect(await callJson("siptrunk/query", { trunkname: `${PEER.trunkname},nope` }, { token })).toEqual(
            failedWith("20007"),
        );
    });
});

describe("siptrunk update", () => {
    let token: string;
    beforeEach(async () => {
        token = await login();
        await callJson("siptrunk/add", { ...REGISTER, domain: "sip.example.net", fromuser: "+4930" }, { token });
        await callJson("siptrunk/add", PEER, { token });
    });

    it("refuses a partial update with 10004 and changes nothing", async () => {
        const before = sim.listTrunks();
        expect(await callJson("siptrunk/update", { id: "1", host: "10.9.9.9" }, { token })).toEqual(
            failedWith("10004"),
        );
        // Everything but the password: JSON.stringify drops the undefined key.
        expect(await callJson("siptrunk/update", { id: "1", ...REGISTER, password: undefined }, { token })).toEqual(
            failedWith("10004"),
        );
        expect(sim.listTrunks()).toEqual(before);
    });

    it("replaces the whole record: omitted optionals fall back to their defaults, the id stays", async () => {
        const update = { id: "1", ...REGISTER, host: "172.16.108.100", password: "n3w" };
        expect(await callJson("siptrunk/update", update, { token })).toEqual({ status: "Success" });
        expect(sim.getTrunkById("1")).toEqual({
            id: "1",
            trunkname: "to-108-16",
            tech: "pjsip",
            trunktype: "register",
            host: "172.16.108.100",
            port: "5060",
            domain: "172.16.108.100",
            username: "6100",
            authname: "6100",
            fromuser: "",
            password: "n3w",
        });
    });

    it("checks the id: missing 10004, malformed 10003, unknown 90002; a numeric id is accepted", async () => {
        expect(await callJson("siptrunk/update", REGISTER, { token })).toEqual(failedWith("10004"));
        expect(await callJson("siptrunk/update", { ...REGISTER, id: "abc" }, { token })).toEqual(failedWith("10003"));
        expect(await callJson("siptrunk/update", { ...REGISTER, id: "99" }, { token })).toEqual(failedWith("90002"));
        expect(await callJson("siptrunk/update", { ...PEER, id: 2, port: "5099" }, { token })).toEqual({
            status: "Success",
        });
        expect(sim.getTrunkById(2)).toMatchObject({ port: "5099" });
    });

    it("renames by id, refuses a rename onto another trunk's name, and allows a full type change", async () => {
        expect(await callJson("siptrunk/update", { ...PEER, id: "2", trunkname: "renamed" }, { token })).toEqual({
            status: "Success",
        });
        expect(sim.getTrunk(PEER.trunkname)).toBeUndefined();
        expect(sim.getTrunk("renamed")?.id).toBe("2");
        expect(
            await callJson("siptrunk/update", { ...PEER, id: "2", trunkname: REGISTER.trunkname }, { token }),
        ).toEqual(failedWith("90001"));
        expect(
            await callJson("siptrunk/update", { ...ACCOUNT, id: "1", trunkname: REGISTER.trunkname }, { token }),
        ).toEqual({ status: "Success" });
        expect(sim.getTrunkById("1")).toEqual({
            id: "1",
            trunkname: REGISTER.trunkname,
            tech: "pjsip",
            trunktype: "account",
            username: "7100",
            authname: "7100a",
            password: "pw7100",
        });
    });

    it("merges a partial update only when strictUpdate is false", async () => {
        await boot({ strictUpdate: false });
        token = await login();
        await callJson("siptrunk/add", REGISTER, { token });
        expect(await callJson("siptrunk/update", { id: "1", password: "merged" }, { token })).toEqual({
            status: "Success",
        });
        expect(sim.getTrunkById("1")).toMatchObject({ host: REGISTER.host, password: "merged" });
    });
});

describe("siptrunk delete", () => {
    let token: string;
    beforeEach(async () => {
        token = await login();
        for (const name of ["t1", "t2", "t3", "t4"])
            await callJson("siptrunk/add", { ...PEER, trunkname: name }, { token });
    });

    const names = (): string[] => sim.listTrunks().map((t) => t.trunkname);

    it("deletes a single trunk by name", async () => {
        expect(await callJson("siptrunk/delete", { trunkname: "t2" }, { token })).toEqual({ status: "Success" });
        expect(names()).toEqual(["t1", "t3", "t4"]);
    });

    it("deletes every trunk of a comma-separated list and nothing else", async () => {
        expect(await callJson("siptrunk/delete", { trunkname: "t3,t1" }, { token })).toEqual({ status: "Success" });
        expect(names()).toEqual(["t2", "t4"]);
    });

    it("deletes every trunk for the literal all", async () => {
        expect(await callJson("siptrunk/delete", { trunkname: "all" }, { token })).toEqual({ status: "Success" });
        expect(names()).toEqual([]);
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toEqual({
            status: "Success",
            trunks: [],
        });
    });

    it("treats an unknown name as a no-op success and never reuses ids", async () => {
        expect(await callJson("siptrunk/delete", { trunkname: "ghost" }, { token })).toEqual({ status: "Success" });
        expect(names()).toEqual(["t1", "t2", "t3", "t4"]);
        await callJson("siptrunk/delete", { trunkname: "t4" }, { token });
        await callJson("siptrunk/add", { ...PEER, trunkname: "t5" }, { token });
        expect(sim.getTrunk("t5")?.id).toBe("5");
        expect(await callJson("siptrunk/delete", {}, { token })).toEqual(failedWith("10004"));
        expect(await callJson("siptrunk/delete", { trunkname: "t1," }, { token })).toEqual(failedWith("10003"));
        expect(names()).toEqual(["t1", "t2", "t3", "t5"]);
    });

    it("with unknownDeleteNameIsError, a list with an unknown name fails with 90002 and deletes nothing", async () => {
        await boot({ unknownDeleteNameIsError: true });
        token = await login();
        sim.addTrunk({ trunkname: "t1", trunktype: "peer", host: "h", port: "5060" });
        expect(await callJson("siptrunk/delete", { trunkname: "t1,ghost" }, { token })).toEqual(failedWith("90002"));
        expect(names()).toEqual(["t1"]);
    });
});

describe("XML encoding", () => {
    it("logs in with an XML body and answers in XML", async () => {
        const body = `<?xml version="1.0" encoding="UTF-8" ?>
<xml>
\t<username>${USER}</username>
\t<password>${md5(PASSWORD)}</password>
\t<port>8260</port>
\t<urltag>1</urltag>
</xml>`;
        const parsed = (await callXml("login", body, { headers: { "Content-Type": "application/xml" } })) as {
            xml: { status: string; token: string };
        };
        expect(parsed.xml.status).toBe("Success");
        expect(parsed.xml.token).toMatch(/^[0-9a-f]{32}$/);
        expect(Object.keys(parsed.xml)).toEqual(["status", "token"]);
    });

    it("round-trips add and query in XML (sent with a JSON Content-Type, as the docs do)", async () => {
        const token = await login();
        const add = `<?xml version="1.0" encoding="UTF-8" ?>
<xml>
<trunkname>to-108-16-test</trunkname>
<trunktype>register</trunktype>
<host>172.16.108.16</host>
<port>5060</port>
<domain>172.16.108.16</domain>
<username>6100</username>
<authname>6100</authname>
<password> R &amp; &lt;q&gt; </password>
</xml>`;
        const reply = await call("siptrunk/add", add, { token, type: "xml" });
        expect(reply.text).toBe(
            '<?xml version="1.0" encoding="utf-8"?>\n<xml>\n    <status>Success</status>\n</xml>\n',
        );
        await callJson("siptrunk/add", PEER, { token });
        const parsed = await callXml("siptrunk/query", "<xml><trunkname>all</trunkname></xml>", { token });
        expect(parsed).toEqual({
            "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
            xml: {
                status: "Success",
                trunks: {
                    item: [
                        {
                            "@_id": "0",
                            id: "1",
                            trunkname: "to-108-16-test",
                            tech: "pjsip",
                            trunktype: "register",
                            host: "172.16.108.16",
                            port: "5060",
                            domain: "172.16.108.16",
                            username: "6100",
                            authname: "6100",
                            fromuser: "",
                            // This test parser trims values; the raw text below shows the spaces are sent.
                            password: "R & <q>",
                        },
                        {
                            "@_id": "1",
                            id: "2",
                            trunkname: "to-18-16-2",
                            tech: "pjsip",
                            trunktype: "peer",
                            host: "172.16.108.17",
                            port: "5062",
                            domain: "172.16.108.17",
                        },
                    ],
                },
            },
        });
        const raw = await call("siptrunk/query", "<xml><trunkname>to-108-16-test</trunkname></xml>", {
            token,
            type: "xml",
        });
        expect(raw.text).toContain("\n            <password> R &amp; &lt;q&gt; </password>\n");
        // XML is only an encoding of the one store: the value is kept verbatim.
        expect(sim.getTrunk("to-108-16-test")).toMatchObject({ password: " R & <q> " });
    });

    it("updates and deletes in XML", async () => {
        const token = await login();
        sim.addTrunk({ trunkname: "p1", trunktype: "peer", host: "10.0.0.1", port: "5060" });
        sim.addTrunk({ trunkname: "p2", trunktype: "peer", host: "10.0.0.2", port: "5060" });
        const update =
            "<xml><id>1</id><trunkname>p1</trunkname><trunktype>peer</trunktype><host>10.0.0.9</host><port>5080</port></xml>";
        expect(await callXml("siptrunk/update", update, { token })).toMatchObject({ xml: { status: "Success" } });
        expect(sim.getTrunk("p1")).toMatchObject({ host: "10.0.0.9", port: "5080", domain: "10.0.0.9" });
        expect(await callXml("siptrunk/delete", "<xml><trunkname>p1,p2</trunkname></xml>", { token })).toMatchObject({
            xml: { status: "Success" },
        });
        expect(sim.listTrunks()).toEqual([]);
        expect(await callXml("siptrunk/query", "<xml><trunkname>all</trunkname></xml>", { token })).toEqual({
            "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
            xml: { status: "Success", trunks: "" },
        });
    });

    it("answers failures in XML with the errno element", async () => {
        const token = await login();
        const cases: [string, string][] = [
            ["<xml><trunkname>p1</trunkname><trunktype>peer</trunktype></xml>", "10004"],
            ["<xml><trunkname>p1</trunkname>", "10002"],
            ['{"trunkname":"p1"}', "10002"],
            ["<root><trunkname>p1</trunkname></root>", "10002"],
            ["<xml>text<trunkname>p1</trunkname></xml>", "10002"],
            ["<xml><trunkname><b>p1</b></trunkname></xml>", "10003"],
            ["<xml><trunkname>p1</trunkname><trunkname>p2</trunkname></xml>", "10003"],
        ];
        for (const [body, errno] of cases) {
            expect(await callXml("siptrunk/add", body, { token })).toEqual({
                "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
                xml: { status: "Failed", errno },
            });
        }
        expect(await callXml("siptrunk/query", "<xml/>", {})).toMatchObject({
            xml: { status: "Failed", errno: "20005" },
        });
        expect(sim.listTrunks()).toEqual([]);
    });
});

describe("out-of-band admin edits", () => {
    it("adds, edits, renames and deletes trunks that the API then sees", async () => {
        const token = await login();
        const added = sim.addTrunk({ ...ACCOUNT, trunktype: "account" });
        expect(added).toEqual({
            id: "1",
            trunkname: "acct-1",
            tech: "pjsip",
            trunktype: "account",
            username: "7100",
            authname: "7100a",
            password: "pw7100",
        });
        sim.editTrunk("acct-1", { password: "changed-in-ui", trunkname: "acct-renamed" });
        expect(await callJson("siptrunk/query", { trunkname: "acct-renamed" }, { token })).toEqual({
            status: "Success",
            trunks: [{ ...added, trunkname: "acct-renamed", password: "changed-in-ui" }],
        });
        expect(await callJson("siptrunk/query", { trunkname: "acct-1" }, { token })).toEqual({
            status: "Success",
            trunks: [],
        });
        expect(sim.deleteTrunk("acct-renamed")).toBe(true);
        expect(sim.deleteTrunk("acct-renamed")).toBe(false);
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toEqual({
            status: "Success",
            trunks: [],
        });
    });

    it("sees API writes and applies the API's validation", () => {
        sim.addTrunk({ trunkname: "p", trunktype: "peer", host: "10.0.0.1", port: "5060" });
        expect(sim.getTrunk("p")).toEqual({
            id: "1",
            trunkname: "p",
            tech: "pjsip",
            trunktype: "peer",
            host: "10.0.0.1",
            port: "5060",
            domain: "10.0.0.1",
        });
        expect(() => sim.addTrunk({ trunkname: "p", trunktype: "peer", host: "h", port: "5060" })).toThrow(/exists/);
        expect(() => sim.addTrunk({ trunkname: "all", trunktype: "peer", host: "h", port: "5060" })).toThrow(/10003/);
        expect(() => sim.editTrunk("p", { username: "x" })).toThrow(/10003/);
        expect(() => sim.editTrunk("nope", { host: "x" })).toThrow(/no trunk/);
        expect(sim.editTrunk("p", { host: "10.0.0.2" })).toMatchObject({ host: "10.0.0.2", domain: "10.0.0.1" });
        expect(sim.getTrunk("missing")).toBeUndefined();
        expect(sim.getTrunkById(42)).toBeUndefined();
    });
});

describe("faults and write throttling", () => {
    it("an `after` fault commits the add although the client saw a 500", async () => {
        const token = await login();
        sim.server.injectFaults({
            fault: { kind: "status", status: 500, body: "internal error" },
            path: /\/siptrunk\/add$/,
            times: 1,
            when: "after",
        });
        const reply = await call("siptrunk/add", REGISTER, { token });
        expect(reply.status).toBe(500);
        expect(reply.text).toBe("internal error");
        expect(sim.getTrunk(REGISTER.trunkname)?.id).toBe("1");
        const entry = sim.server.requests.at(-1);
        expect([entry?.faulted, entry?.reachedVendor, entry?.outcome]).toEqual([true, true, 500]);
        // A blind retry now collides with the trunk the client believes was never created.
        expect(await callJson("siptrunk/add", REGISTER, { token })).toEqual(failedWith("90001"));
    });

    it("a `before` fault never reaches the PBX", async () => {
        const token = await login();
        sim.server.injectFaults({ fault: { kind: "status", status: 503 }, path: /\/siptrunk\/add$/, times: 1 });
        expect((await call("siptrunk/add", REGISTER, { token })).status).toBe(503);
        expect(sim.listTrunks()).toEqual([]);
    });

    it("rejectNextWrites answers 10025 and commits nothing", async () => {
        const token = await login();
        sim.rejectNextWrites(2);
        expect(await callJson("siptrunk/add", REGISTER, { token })).toEqual(failedWith("10025"));
        expect(await callJson("siptrunk/delete", { trunkname: "all" }, { token })).toEqual(failedWith("10025"));
        expect(sim.listTrunks()).toEqual([]);
        expect(await callJson("siptrunk/add", REGISTER, { token })).toEqual({ status: "Success" });
    });
});

describe("expireTokensAfter", () => {
    it("serves the given number of authenticated calls, then times out every live token", async () => {
        const token = await login();
        sim.expireTokensAfter(2);
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toMatchObject({ status: "Success" });
        // Logins do not count: they carry no token.
        const other = await login();
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toMatchObject({ status: "Success" });
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token })).toEqual(failedWith("20006"));
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: other })).toEqual(failedWith("20006"));
        // Once: a fresh login works from then on.
        const fresh = await login();
        expect(await callJson("siptrunk/query", { trunkname: "all" }, { token: fresh })).toMatchObject({
            status: "Success",
        });
    });
});

describe("DOD fields (Yeastar lineage, off unless dod: true)", () => {
    const DOD = { extensionsdod: "5503301-sales-1000,5503302-support-1001", extensionsgroupdod: "5503300-main-sales" };

    it("refuses them as unknown fields by default, as OpenVox does not list them", async () => {
        const token = await login();
        expect(await callJson("siptrunk/add", { ...REGISTER, ...DOD }, { token })).toEqual(failedWith("10003"));
        expect(sim.listTrunks()).toEqual([]);
    });

    it("with dod: true, stores them on every trunk type, returns them (blank when unset) and clears them on update", async () => {
        await boot({ dod: true });
        const token = await login();
        expect(await callJson("siptrunk/add", { ...REGISTER, ...DOD }, { token })).toEqual({ status: "Success" });
        expect(await callJson("siptrunk/add", { ...ACCOUNT, extensionsdod: "5503303-acct-1002" }, { token })).toEqual({
            status: "Success",
        });
        expect(await callJson("siptrunk/add", PEER, { token })).toEqual({ status: "Success" });
        const all = (await callJson("siptrunk/query", { trunkname: "all" }, { token })) as {
            trunks: Record<string, string>[];
        };
        expect(
            all.trunks.map((trunk) => [trunk["trunkname"], trunk["extensionsdod"], trunk["extensionsgroupdod"]]),
        ).toEqual([
            ["to-108-16", DOD.extensionsdod, DOD.extensionsgroupdod],
            ["acct-1", "5503303-acct-1002", ""],
            ["to-18-16-2", "", ""],
        ]);
        // The DOD keys come after the type's own fields.
        expect(Object.keys(all.trunks[1] ?? {})).toEqual([
            "id",
            "trunkname",
            "tech",
            "trunktype",
            "username",
            "authname",
            "password",
            "extensionsdod",
            "extensionsgroupdod",
        ]);
        expect(await callJson("siptrunk/update", { id: "1", ...REGISTER }, { token })).toEqual({ status: "Success" });
        expect(sim.getTrunk("to-108-16")).toMatchObject({ extensionsdod: "", extensionsgroupdod: "" });
    });

    it("with dod: true, refuses a malformed entry with 10003", async () => {
        await boot({ dod: true });
        const token = await login();
        for (const extensionsdod of ["5503301-1000", "5503301-sales-1000,", "sales-5503301-1000", "5503301-a-b-"]) {
            expect(await callJson("siptrunk/add", { ...PEER, extensionsdod }, { token })).toEqual(failedWith("10003"));
        }
        expect(sim.listTrunks()).toEqual([]);
    });
});
