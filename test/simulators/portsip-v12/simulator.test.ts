import { isSafeNumber, LosslessNumber, parse } from "lossless-json";
import { PortSipV12Simulator, type PortSipV12SimulatorOptions } from ".";

interface Reply {
    status: number;
    text: string;
    headers: Headers;
}

interface CallOptions {
    token?: string;
    /** A string is sent verbatim (big ids must not pass through JSON.stringify); an object is stringified. */
    body?: string | Record<string, unknown>;
    contentType?: string;
}

const ADMIN = { name: "admin", password: "s3cret" };

/** A minimal valid create body; callers add fields. */
function trunkBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "carrier-a",
        auth_mode: "REGISTER_AUTH",
        protocol: "UDP",
        hostname: "sip.carrier-a.example",
        port: 5060,
        ...overrides,
    };
}

/** What a careful client does: safe numbers as `number`, anything bigger kept exact as a `LosslessNumber`. */
function parseLossless(text: string): unknown {
    return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : new LosslessNumber(digits)));
}

/** The exact digits of the `"id":…` member of a raw JSON text. */
function rawId(text: string): string {
    const match = /"id":(\d+)/.exec(text);
    if (match?.[1] === undefined) throw new Error(`no numeric id in ${text}`);
    return match[1];
}

describe("PortSipV12Simulator", () => {
    let clock = 1_700_000_000_000;
    let sim: PortSipV12Simulator;
    let base: string;

    async function startWith(options: PortSipV12SimulatorOptions = {}): Promise<void> {
        await sim.stop();
        sim = new PortSipV12Simulator({
            adminUser: ADMIN.name,
            adminPassword: ADMIN.password,
            now: () => clock,
            ...options,
        });
        base = await sim.start();
    }

    async function call(method: "GET" | "POST", path: string, options: CallOptions = {}): Promise<Reply> {
        const headers: Record<string, string> = {};
        if (options.token !== undefined) headers.access_token = options.token;
        let body: string | undefined;
        if (options.body !== undefined) {
            body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
            headers["Content-Type"] = options.contentType ?? "application/json";
        }
        const response = await fetch(`${base}${path}`, { method, headers, body });
        return { status: response.status, text: await response.text(), headers: response.headers };
    }

    async function login(): Promise<string> {
        const reply = await call("POST", "/api/account/credentials/verify", { body: ADMIN });
        expect(reply.status).toBe(200);
        return (JSON.parse(reply.text) as { access_token: string }).access_token;
    }

    async function createTrunk(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
        const reply = await call("POST", "/api/providers/create", { token, body: trunkBody(overrides) });
        expect(reply.status).toBe(200);
        return rawId(reply.text);
    }

    async function show(token: string, id: string): Promise<Reply> {
        return call("GET", `/api/providers/show?id=${id}`, { token });
    }

    beforeEach(async () => {
        clock = 1_700_000_000_000;
        sim = new PortSipV12Simulator({ adminUser: ADMIN.name, adminPassword: ADMIN.password, now: () => clock });
        base = await sim.start();
    });

    afterEach(async () => {
        await sim.stop();
    });

    describe("login", () => {
        it("answers the documented token body and counts the login", async () => {
            const reply = await call("POST", "/api/account/credentials/verify", { body: ADMIN });
            expect(reply.status).toBe(200);
            expect(reply.headers.get("content-type")).toBe("application/json");
            const body = JSON.parse(reply.text) as Record<string, unknown>;
            expect(body).toEqual({
                access_token: expect.stringMatching(/^[0-9A-F]{32}$/) as unknown,
                expires: 600,
                role: "admin",
                api_version: "12.0.0",
                id: "1",
                name: "admin",
            });
            expect(sim.counters).toEqual({ loginsSucceeded: 1, loginsFailed: 0, authRejections: 0 });
        });

        it("accepts the older doc's `username` spelling and a domain when none is configured", async () => {
            const reply = await call("POST", "/api/account/credentials/verify", {
                body: { username: "admin", password: "s3cret", domain: "pbx.example" },
            });
            expect(reply.status).toBe(200);
        });

        it("refuses a wrong password with 400 and the err_code body", async () => {
            const reply = await call("POST", "/api/account/credentials/verify", {
                body: { name: "admin", password: "wrong" },
            });
            expect(reply.status).toBe(400);
            expect(JSON.parse(reply.text)).toEqual({ err_code: "1040001", msg: "name or domain incorrect" });
            expect(sim.counters.loginsFailed).toBe(1);
            expect(sim.counters.loginsSucceeded).toBe(0);
        });

        it("refuses a wrong domain when one is configured, and disagreeing name/username", async () => {
            await startWith({ domain: "pbx.example" });
            const wrongDomain = await call("POST", "/api/account/credentials/verify", {
                body: { ...ADMIN, domain: "other.example" },
            });
            expect(wrongDomain.status).toBe(400);
            const disagree = await call("POST", "/api/account/credentials/verify", {
                body: { ...ADMIN, username: "root" },
            });
            expect(disagree.status).toBe(400);
            expect(sim.counters.loginsFailed).toBe(2);
        });

        it("reports expires as a string when asked (as the v12 overview's sample does)", async () => {
            await startWith({ expiresFormat: "string", tokenLifetimeMs: 1500 });
            const reply = await call("POST", "/api/account/credentials/verify", { body: ADMIN });
            expect((JSON.parse(reply.text) as { expires: unknown }).expires).toBe("2");
        });
    });

    describe("tokens", () => {
        it("refuses a request without a token with 401 and counts it", async () => {
            const reply = await call("GET", "/api/providers/list");
            expect(reply.status).toBe(401);
            expect(JSON.parse(reply.text)).toEqual({ err_code: "401", msg: "access token invalid" });
            expect(sim.counters.authRejections).toBe(1);
        });

        it("accepts the token as ?access_token= too (OLD-SET)", async () => {
            const token = await login();
            const reply = await call("GET", `/api/providers/list?access_token=${token}`);
            expect(reply.status).toBe(200);
        });

        it("ignores an Authorization: Bearer header", async () => {
            const token = await login();
            const response = await fetch(`${base}/api/providers/list`, {
                headers: { Authorization: `Bearer ${token}` },
            });
            expect(response.status).toBe(401);
        });

        it("expireAllTokens makes the next call 401", async () => {
            const token = await login();
            expect((await call("GET", "/api/providers/list", { token })).status).toBe(200);
            sim.expireAllTokens();
            expect((await call("GET", "/api/providers/list", { token })).status).toBe(401);
        });

        it("expires a token after its lifetime, sliding on each call", async () => {
            await startWith({ tokenLifetimeMs: 10_000 });
            const token = await login();
            clock += 9_000;
            expect((await call("GET", "/api/providers/list", { token })).status).toBe(200);
            clock += 9_000; // 18 s after login but 9 s after the last call
            expect((await call("GET", "/api/providers/list", { token })).status).toBe(200);
            clock += 10_000;
            expect((await call("GET", "/api/providers/list", { token })).status).toBe(401);
        });

        it("expires without sliding when sliding is off", async () => {
            await startWith({ tokenLifetimeMs: 10_000, slidingExpiry: false });
            const token = await login();
            clock += 9_000;
            expect((await call("GET", "/api/providers/list", { token })).status).toBe(200);
            clock += 1_000;
            expect((await call("GET", "/api/providers/list", { token })).status).toBe(401);
        });

        it("can answer 400 for a bad token instead (undocumented status, switch)", async () => {
            await startWith({ authErrorStatus: 400 });
            const reply = await call("GET", "/api/providers/list", { token: "0".repeat(32) });
            expect(reply.status).toBe(400);
            expect(JSON.parse(reply.text)).toEqual({ err_code: "400", msg: "access token invalid" });
        });
    });

    describe("providers", () => {
        it("create answers 200 with a bare 18-19 digit id that JSON.parse would corrupt", async () => {
            const token = await login();
            const reply = await call("POST", "/api/providers/create", { token, body: trunkBody() });
            expect(reply.status).toBe(200);
            expect(reply.text).toMatch(/^\{"id":[1-9]\d{17,18}\}$/);
            const id = rawId(reply.text);
            expect(BigInt(id) > 2n ** 53n).toBe(true);
            // The whole point: a plain JSON.parse does not give the id back.
            const naive = (JSON.parse(reply.text) as { id: number }).id;
            expect(BigInt(naive)).not.toBe(BigInt(id));
            const exact = parseLossless(reply.text) as { id: { value: string } };
            expect(exact.id.value).toBe(id);
            expect(sim.listTrunks().map((trunk) => trunk.id)).toEqual([id]);
        });

        it("show returns the full documented object, password included, with the exact id", async () => {
            const token = await login();
            const id = await createTrunk(token, {
                auth_id: "100200",
                password: "p@ss",
                ips: ["203.0.113.10", "203.0.113.11"],
            });
            const reply = await show(token, id);
            expect(reply.status).toBe(200);
            expect(reply.text.startsWith(`{"id":${id},"name":"carrier-a",`)).toBe(true);
            const body = parseLossless(reply.text) as Record<string, unknown>;
            expect(Object.keys(body)).toEqual([
                "id",
                "name",
                "auth_mode",
                "protocol",
                "hostname",
                "port",
                "auth_id",
                "password",
                "require_register",
                "reregister_interval",
                "outbound_server",
                "outbound_server_port",
                "provider_in_lan",
                "single_via_header",
                "ips",
                "in_parameters",
                "out_parameters",
                "status",
            ]);
            expect(reply.text).toContain(
                `"auth_id":"100200","password":"p@ss","require_register":true,"reregister_interval":600,` +
                    `"outbound_server":"","outbound_server_port":0,"provider_in_lan":false,"single_via_header":true,` +
                    `"ips":["203.0.113.10","203.0.113.11"]`,
            );
            expect(reply.text.endsWith(`"out_parameters":[],"status":"ONLINE"}`)).toBe(true);
        });

        it("keeps big numbers inside the free-form arrays exactly", async () => {
            const token = await login();
            const raw =
                '{"name":"big","auth_mode":"IP_AUTH","protocol":"TCP","hostname":"10.0.0.1","port":5060,' +
                '"in_parameters":[{"tenant_id":884757570370146304}]}';
            const created = await call("POST", "/api/providers/create", { token, body: raw });
            expect(created.status).toBe(200);
            const reply = await show(token, rawId(created.text));
            expect(reply.text).toContain('"in_parameters":[{"tenant_id":884757570370146304}]');
        });

        it("accepts the id as a JSON string or number, and a corrupted id finds nothing", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const asString = await call("POST", "/api/providers/update", {
                token,
                body: `{"id":"${id}","name":"renamed","auth_mode":"REGISTER_AUTH","protocol":"UDP","hostname":"h.example","port":5060}`,
            });
            expect(asString.status).toBe(200);
            // What a JSON parser without big-integer support makes of the id. A random id can happen to
            // be a double exactly (then it survives); the neighbouring id stands for the corruption then.
            const rounded = String(Number(id));
            const corrupted = rounded === id ? (BigInt(id) + 1n).toString() : rounded;
            expect(corrupted).not.toBe(id);
            const reply = await show(token, corrupted);
            expect(reply.status).toBe(400);
            expect(JSON.parse(reply.text)).toEqual({ err_code: "400", msg: "Invalid provider ID supplied." });
        });

        it("update replaces the whole record: fields left out return to their defaults", async () => {
            const token = await login();
            const id = await createTrunk(token, {
                auth_id: "100200",
                password: "p@ss",
                require_register: false,
                reregister_interval: 120,
                outbound_server: "proxy.example",
                outbound_server_port: 5080,
                provider_in_lan: true,
                single_via_header: false,
                ips: ["203.0.113.10"],
            });
            const reply = await call("POST", "/api/providers/update", {
                token,
                body: `{"id":${id},"name":"carrier-a","auth_mode":"REGISTER_AUTH","protocol":"TCP","hostname":"sip.carrier-a.example","port":5061}`,
            });
            expect(reply.status).toBe(200);
            expect(reply.text).toBe("");
            const trunk = sim.getTrunk(id);
            expect(trunk).toEqual({
                id,
                name: "carrier-a",
                auth_mode: "REGISTER_AUTH",
                protocol: "TCP",
                hostname: "sip.carrier-a.example",
                port: 5061,
                auth_id: "",
                password: "",
                require_register: true,
                reregister_interval: 600,
                outbound_server: "",
                outbound_server_port: 0,
                provider_in_lan: false,
                single_via_header: true,
                ips: [],
                in_parameters: [],
                out_parameters: [],
                status: "ONLINE",
                extra: {},
            });
        });

        it("keeps undocumented fields exactly, and a full-replace update that leaves them out wipes them", async () => {
            const token = await login();
            const reply = await call("POST", "/api/providers/create", {
                token,
                body: '{"name":"x-extra","auth_mode":"IP_AUTH","protocol":"UDP","hostname":"h.example","port":5060,"did_pool":[{"tenant_id":373302079663509504,"number_mask":"100;200"}]}',
            });
            const id = (parseLossless(reply.text) as { id: { value: string } }).id.value;
            expect((await show(token, id)).text).toContain(
                '"did_pool":[{"tenant_id":373302079663509504,"number_mask":"100;200"}]',
            );
            sim.setExtraFields(id, { username: "ui-user" });
            expect(sim.getTrunk(id)?.extra).toMatchObject({ username: "ui-user" });
            await call("POST", "/api/providers/update", {
                token,
                body: `{"id":${id},"name":"x-extra","auth_mode":"IP_AUTH","protocol":"UDP","hostname":"h.example","port":5060,"username":"ui-user"}`,
            });
            expect(sim.getTrunk(id)?.extra).toEqual({ username: "ui-user" });
        });

        it("update refuses a body without a required field, without an id, or with an unknown id", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const noName = await call("POST", "/api/providers/update", {
                token,
                body: `{"id":${id},"auth_mode":"REGISTER_AUTH","protocol":"UDP","hostname":"h.example","port":5060}`,
            });
            expect(noName.status).toBe(400);
            expect(JSON.parse(noName.text)).toEqual({ err_code: "400", msg: "name is required" });
            const noId = await call("POST", "/api/providers/update", { token, body: trunkBody() });
            expect(JSON.parse(noId.text)).toEqual({ err_code: "400", msg: "id is required" });
            const unknown = await call("POST", "/api/providers/update", {
                token,
                body: `{"id":123456789012345678,"name":"x","auth_mode":"IP_AUTH","protocol":"UDP","hostname":"h.example","port":5060}`,
            });
            expect(unknown.status).toBe(400);
            expect(JSON.parse(unknown.text)).toEqual({ err_code: "400", msg: "Invalid provider ID supplied." });
            expect(sim.getTrunk(id)?.name).toBe("carrier-a");
        });

        it("destroy answers 200 with no body, then 400 for the same id", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const first = await call("POST", "/api/providers/destroy", { token, body: `{"id":${id}}` });
            expect(first.status).toBe(200);
            expect(first.text).toBe("");
            expect(sim.listTrunks()).toEqual([]);
            const second = await call("POST", "/api/providers/destroy", { token, body: `{"id":${id}}` });
            expect(second.status).toBe(400);
            expect(JSON.parse(second.text)).toEqual({ err_code: "400", msg: "Invalid provider ID supplied." });
            expect((await show(token, id)).status).toBe(400);
        });

        it.each([
            ["a missing field", { hostname: undefined }, "hostname is required"],
            ["TLS (absent in v12)", { protocol: "TLS" }, "protocol is invalid"],
            ["a lower-case enum", { auth_mode: "ip_auth" }, "auth_mode is invalid"],
            ["a port as text", { port: "5060" }, "port is invalid"],
            ["port 0", { port: 0 }, "port is invalid"],
            ["a null", { password: null }, "password is invalid"],
            ["ips that is not an array", { ips: "203.0.113.1" }, "ips is invalid"],
            ["a boolean as text", { provider_in_lan: "true" }, "provider_in_lan is invalid"],
            ["an unknown status", { status: "UP" }, "status is invalid"],
            ["a URL as hostname", { hostname: "sip://carrier.example:5060" }, "hostname is invalid"],
            ["a bad outbound server", { outbound_server: "proxy example" }, "outbound_server is invalid"],
        ])("create refuses %s", async (_label, overrides, msg) => {
            const token = await login();
            const reply = await call("POST", "/api/providers/create", { token, body: trunkBody(overrides) });
            expect(reply.status).toBe(400);
            expect(JSON.parse(reply.text)).toEqual({ err_code: "400", msg });
            expect(sim.listTrunks()).toEqual([]);
        });

        it("create refuses a duplicate name (ignoring case), bad JSON and a non-JSON media type", async () => {
            const token = await login();
            await createTrunk(token);
            const duplicate = await call("POST", "/api/providers/create", {
                token,
                body: trunkBody({ name: "CARRIER-A" }),
            });
            expect(JSON.parse(duplicate.text)).toEqual({ err_code: "400", msg: "provider name already exists" });
            const badJson = await call("POST", "/api/providers/create", { token, body: "{name:" });
            expect(JSON.parse(badJson.text)).toEqual({ err_code: "400", msg: "invalid JSON body" });
            const form = await call("POST", "/api/providers/create", {
                token,
                body: "name=x",
                contentType: "application/x-www-form-urlencoded",
            });
            expect(JSON.parse(form.text)).toEqual({ err_code: "400", msg: "Content-Type must be application/json" });
            expect(sim.listTrunks()).toHaveLength(1);
        });

        it("create ignores a client-chosen id and the body's status", async () => {
            const token = await login();
            const id = await createTrunk(token, { id: 42, status: "OFFLINE" });
            expect(id).not.toBe("42");
            expect(sim.getTrunk(id)?.status).toBe("ONLINE");
        });

        it("lists 1-based pages with page_count, in creation or name order", async () => {
            const token = await login();
            const ids = [
                await createTrunk(token, { name: "charlie" }),
                await createTrunk(token, { name: "alpha" }),
                await createTrunk(token, { name: "bravo" }),
            ];
            const page2 = await call("GET", "/api/providers/list?pagination=2&pagesize=2", { token });
            expect(page2.status).toBe(200);
            const body = parseLossless(page2.text) as { providers: { name: string }[] } & Record<string, unknown>;
            expect({ ...body, providers: body.providers.map((p) => p.name) }).toEqual({
                sort_by: "DEFAULT",
                page_count: 2,
                pagesize: 2,
                pagination: 2,
                count: 3,
                providers: ["bravo"],
            });
            expect(page2.text).toContain(`"providers":[{"id":${ids[2] ?? ""},"name":"bravo"`);

            const byName = await call("GET", "/api/providers/list?pagination=1&pagesize=10&sort_by=optional", {
                token,
            });
            const names = (parseLossless(byName.text) as { providers: { name: string }[] }).providers.map(
                (p) => p.name,
            );
            expect(names).toEqual(["alpha", "bravo", "charlie"]);

            const defaults = parseLossless((await call("GET", "/api/providers/list", { token })).text) as Record<
                string,
                unknown
            >;
            expect([defaults.pagination, defaults.pagesize, defaults.page_count]).toEqual([1, 10, 1]);

            const past = parseLossless((await call("GET", "/api/providers/list?pagination=9", { token })).text) as {
                providers: unknown[];
            };
            expect(past.providers).toEqual([]);
        });

        it.each([["pagination=0"], ["pagesize=101"], ["pagesize=abc"], ["sort_by=NAME"]])(
            "list refuses %s",
            async (query) => {
                const token = await login();
                const reply = await call("GET", `/api/providers/list?${query}`, { token });
                expect(reply.status).toBe(400);
                expect(JSON.parse(reply.text)).toMatchObject({ err_code: "400" });
            },
        );

        it("can write ids as JSON strings (servers seem to send both, switch)", async () => {
            await startWith({ idFormat: "string" });
            const token = await login();
            const reply = await call("POST", "/api/providers/create", { token, body: trunkBody() });
            expect(reply.text).toMatch(/^\{"id":"[1-9]\d{17,18}"\}$/);
        });

        it("answers 404 for unknown paths (including /api/info) and 405 for a wrong method", async () => {
            expect((await call("GET", "/api/info")).status).toBe(404);
            const token = await login();
            expect((await call("GET", "/api/providers", { token })).status).toBe(404);
            const wrong = await call("GET", "/api/providers/create", { token });
            expect(wrong.status).toBe(405);
            expect(wrong.headers.get("allow")).toBe("POST");
        });
    });

    describe("status", () => {
        it("follows setTrunkStatus, onlineAfterMs, and the REGISTERED wording switch", async () => {
            await startWith({ onlineAfterMs: 5_000, statusVocabulary: "REGISTERED_UNREGISTERED" });
            const token = await login();
            const id = await createTrunk(token);
            const statusText = async (): Promise<string> => {
                const reply = await show(token, id);
                return (JSON.parse(reply.text) as { status: string }).status;
            };
            expect(await statusText()).toBe("UNREGISTERED");
            clock += 5_000;
            expect(await statusText()).toBe("REGISTERED");
            sim.setTrunkStatus(id, "OFFLINE");
            expect(await statusText()).toBe("UNREGISTERED");
            expect(sim.getTrunk(id)?.status).toBe("OFFLINE");
            sim.setTrunkStatus(id, undefined);
            expect(await statusText()).toBe("REGISTERED");
        });

        it("starts OFFLINE when initialStatus says so", async () => {
            await startWith({ initialStatus: "OFFLINE" });
            const token = await login();
            const id = await createTrunk(token);
            expect(sim.getTrunk(id)?.status).toBe("OFFLINE");
        });
    });

    describe("out-of-band edits", () => {
        it("add, edit, delete and list as the web UI would, seen by the API", async () => {
            const token = await login();
            const id = sim.addTrunk({
                name: "ui-made",
                auth_mode: "IP_AUTH",
                protocol: "TCP",
                hostname: "198.51.100.7",
                port: 5060,
            });
            expect(id).toMatch(/^[1-9]\d{17,18}$/);
            const shown = await show(token, id);
            expect(shown.text).toContain(`"id":${id},"name":"ui-made","auth_mode":"IP_AUTH"`);
            expect(shown.text).toContain('"require_register":false');

            sim.editTrunk(id, { port: 5070, password: "changed" });
            const edited = parseLossless((await show(token, id)).text) as Record<string, unknown>;
            expect([edited.port, edited.password, edited.name]).toEqual([5070, "changed", "ui-made"]);

            expect(sim.listTrunks().map((trunk) => trunk.name)).toEqual(["ui-made"]);
            expect(sim.deleteTrunk(id)).toBe(true);
            expect(sim.deleteTrunk(id)).toBe(false);
            expect((await show(token, id)).status).toBe(400);
            expect(() => {
                sim.editTrunk(id, { port: 1 });
            }).toThrow(/no trunk/);
        });

        it("getTrunk returns copies, not the stored record", async () => {
            const token = await login();
            const id = await createTrunk(token, { ips: ["203.0.113.1"] });
            const copy = sim.getTrunk(id);
            copy?.ips.push("evil");
            expect(sim.getTrunk(id)?.ips).toEqual(["203.0.113.1"]);
        });
    });

    describe("faults", () => {
        it("an `after` fault commits the create although the client sees a 500", async () => {
            const token = await login();
            sim.server.injectFaults({
                fault: { kind: "status", status: 500, body: "Internal Server Error" },
                times: 1,
                method: "POST",
                path: /^\/api\/providers\/create$/,
                when: "after",
            });
            const reply = await call("POST", "/api/providers/create", { token, body: trunkBody() });
            expect(reply.status).toBe(500);
            expect(reply.text).toBe("Internal Server Error");
            const listed = await call("GET", "/api/providers/list", { token });
            expect((parseLossless(listed.text) as { count: number }).count).toBe(1);
            expect(sim.listTrunks().map((trunk) => trunk.name)).toEqual(["carrier-a"]);
            expect(sim.server.handledRequests({ method: "POST", path: /create$/ })).toHaveLength(1);
        });

        it("reset forgets trunks, tokens and counters", async () => {
            const token = await login();
            await createTrunk(token);
            sim.reset();
            expect(sim.listTrunks()).toEqual([]);
            expect(sim.counters.loginsSucceeded).toBe(0);
            expect(sim.server.requests).toEqual([]);
            expect((await call("GET", "/api/providers/list", { token })).status).toBe(401);
        });
    });
});
