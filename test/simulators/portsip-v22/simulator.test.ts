import { z } from "zod";
import { PORTSIP_OAUTH_CLIENT_ID, PortSipV22Simulator, type PortSipV22SimulatorOptions, type V22CreateInput } from ".";
import { validateSchema } from "../core/json-schema";
import { checkResponse, loadPortSipOpenApi, type OpenApiDocument } from "./openapi-check";

interface Reply {
    status: number;
    text: string;
    headers: Headers;
}

interface CallOptions {
    token?: string;
    /** Sent as JSON (`Content-Type: application/json`). */
    json?: unknown;
    /** Sent as `application/x-www-form-urlencoded`. */
    form?: Record<string, string>;
    /** Sent verbatim with `contentType`. */
    raw?: { text: string; contentType: string };
}

type Json = Record<string, unknown>;

const ADMIN = { username: "admin", password: "s3cret" };
const TENANT = { id: "TENANT-A", domain: "a.example", username: "alice", password: "alice-pw" };

/** The documented error body (the API's About page), checked strictly. */
const errorBodySchema = z.strictObject({
    errors: z
        .array(
            z.strictObject({
                code: z.string().regex(/^[A-Z_]+$/),
                message: z.string().min(1),
                detail: z.unknown().optional(),
            }),
        )
        .length(1),
});

function trunkBody(overrides: Json = {}): Json {
    return {
        name: "carrier-a",
        auth_mode: "REGISTER_AUTH",
        transport: "UDP",
        hostname: "sip.carrier-a.example",
        port: 5060,
        auth_id: "100200",
        username: "100200",
        password: "p@ss",
        outbound_server: "",
        outbound_server_port: 0,
        concurrency: 30,
        ...overrides,
    };
}

function parse(reply: Reply): Json {
    return JSON.parse(reply.text) as Json;
}

function expectError(reply: Reply, status: number, error: Json): void {
    expect(reply.status).toBe(status);
    const body = errorBodySchema.parse(JSON.parse(reply.text));
    expect(body.errors[0]).toEqual(error);
}

function validationFailed(field: string): Json {
    return {
        code: "VALIDATE_FAILED",
        message: "field validation failed",
        detail: { field, reason: expect.any(String) as unknown },
    };
}

describe("PortSipV22Simulator", () => {
    let clock = 1_700_000_000_000;
    let sim: PortSipV22Simulator;
    let base: string;

    async function startWith(options: PortSipV22SimulatorOptions = {}): Promise<void> {
        await sim.stop();
        sim = new PortSipV22Simulator({
            adminUser: ADMIN.username,
            adminPassword: ADMIN.password,
            tenants: [TENANT],
            now: () => clock,
            ...options,
        });
        base = await sim.start();
    }

    async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
        const headers: Record<string, string> = {};
        if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
        let body: string | undefined;
        if (options.json !== undefined) {
            body = JSON.stringify(options.json);
            headers["Content-Type"] = "application/json";
        } else if (options.form !== undefined) {
            body = new URLSearchParams(options.form).toString();
            headers["Content-Type"] = "application/x-www-form-urlencoded";
        } else if (options.raw !== undefined) {
            body = options.raw.text;
            headers["Content-Type"] = options.raw.contentType;
        }
        const response = await fetch(`${base}${path}`, { method, headers, body });
        return { status: response.status, text: await response.text(), headers: response.headers };
    }

    async function login(credentials: Json = ADMIN): Promise<string> {
        const reply = await call("POST", "/api/auth/sign_in", { json: credentials });
        expect(reply.status).toBe(200);
        return (parse(reply) as { access_token: string }).access_token;
    }

    async function createTrunk(token: string, overrides: Json = {}): Promise<string> {
        const reply = await call("POST", "/api/providers", { token, json: trunkBody(overrides) });
        expect(reply.status).toBe(201);
        return (parse(reply) as { id: string }).id;
    }

    async function getTrunk(token: string, id: string): Promise<Json> {
        const reply = await call("GET", `/api/providers/${id}`, { token });
        expect(reply.status).toBe(200);
        return parse(reply);
    }

    beforeEach(async () => {
        clock = 1_700_000_000_000;
        sim = new PortSipV22Simulator({
            adminUser: ADMIN.username,
            adminPassword: ADMIN.password,
            tenants: [TENANT],
            now: () => clock,
        });
        base = await sim.start();
    });

    afterEach(async () => {
        await sim.stop();
    });

    describe("login", () => {
        it("sign_in answers the token body and counts the login", async () => {
            const reply = await call("POST", "/api/auth/sign_in", { json: ADMIN });
            expect(reply.status).toBe(200);
            expect(parse(reply)).toEqual({
                token_type: "Bearer",
                access_token: expect.stringMatching(/^[A-Z0-9=]{48}$/) as unknown,
                refresh_token: expect.stringMatching(/^[A-Z0-9=]{48}$/) as unknown,
                expires_in: 1800,
            });
            expect(sim.counters).toEqual({ loginsSucceeded: 1, loginsFailed: 0, authRejections: 0 });
        });

        it("the OAuth password grant takes a form with the documented client_id", async () => {
            const form = { grant_type: "password", ...ADMIN, scope: "all", client_id: PORTSIP_OAUTH_CLIENT_ID };
            const ok = await call("POST", "/api/login/oauth/token", { form });
            expect(ok.status).toBe(200);
            expect(Object.keys(parse(ok)).sort()).toEqual([
                "access_token",
                "expires_in",
                "refresh_token",
                "token_type",
            ]);

            const wrongClient = await call("POST", "/api/login/oauth/token", { form: { ...form, client_id: "x" } });
            expectError(wrongClient, 400, { code: "UNAUTHORIZED", message: "Login failed, authentication error" });
            const asJson = await call("POST", "/api/login/oauth/token", { json: form });
            expectError(asJson, 400, validationFailed("grant_type"));
            expect(sim.counters).toMatchObject({ loginsSucceeded: 1, loginsFailed: 2 });
        });

        it("POST /api/login answers the same token body", async () => {
            const reply = await call("POST", "/api/login", { json: ADMIN });
            expect(reply.status).toBe(200);
            expect((parse(reply) as { token_type: string }).token_type).toBe("Bearer");
        });

        it("refuses a wrong password with 400 UNAUTHORIZED and counts it", async () => {
            const reply = await call("POST", "/api/auth/sign_in", { json: { ...ADMIN, password: "nope" } });
            expectError(reply, 400, { code: "UNAUTHORIZED", message: "Login failed, authentication error" });
            const missing = await call("POST", "/api/auth/sign_in", { json: { username: "admin" } });
            expectError(missing, 400, validationFailed("password"));
            expect(sim.counters).toMatchObject({ loginsSucceeded: 0, loginsFailed: 2 });
        });

        it("tenant admins log in with their domain; the system admin without one", async () => {
            const tenant = await call("POST", "/api/auth/sign_in", {
                json: { username: "alice", password: "alice-pw", domain: "A.EXAMPLE" },
            });
            expect(tenant.status).toBe(200);
            const adminWithDomain = await call("POST", "/api/auth/sign_in", {
                json: { ...ADMIN, domain: "a.example" },
            });
            expect(adminWithDomain.status).toBe(400);
        });

        it("older versions lack sign_in (404)", async () => {
            await startWith({ loginRoutes: { signIn: false } });
            expect((await call("POST", "/api/auth/sign_in", { json: ADMIN })).status).toBe(404);
            expect((await call("POST", "/api/login", { json: ADMIN })).status).toBe(200);
        });
    });

    describe("tokens", () => {
        it("a missing, malformed or unknown Bearer token gets 401", async () => {
            const unauthorized = { code: "UNAUTHORIZED", message: "unauthorized" };
            expectError(await call("GET", "/api/providers"), 401, unauthorized);
            expectError(await call("GET", "/api/providers", { token: "NOT-ISSUED" }), 401, unauthorized);
            const token = await login();
            const response = await fetch(`${base}/api/providers`, { headers: { access_token: token } });
            expect(response.status).toBe(401);
            expect(sim.counters.authRejections).toBe(3);
        });

        it("expireAllTokens makes the next call 401", async () => {
            const token = await login();
            expect((await call("GET", "/api/providers", { token })).status).toBe(200);
            sim.expireAllTokens();
            expect((await call("GET", "/api/providers", { token })).status).toBe(401);
        });

        it("an access token lives exactly tokenLifetimeMs, with no sliding", async () => {
            await startWith({ tokenLifetimeMs: 5_000 });
            const reply = await call("POST", "/api/auth/sign_in", { json: ADMIN });
            const { access_token: token, expires_in: expiresIn } = parse(reply) as {
                access_token: string;
                expires_in: number;
            };
            expect(expiresIn).toBe(5);
            clock += 4_999;
            expect((await call("GET", "/api/providers", { token })).status).toBe(200);
            clock += 1;
            expect((await call("GET", "/api/providers", { token })).status).toBe(401);
        });
    });

    describe("providers", () => {
        it("create answers 201 with only an opaque base64 id", async () => {
            const token = await login();
            const reply = await call("POST", "/api/providers", { token, json: trunkBody() });
            expect(reply.status).toBe(201);
            const body = parse(reply) as { id: string };
            expect(Object.keys(body)).toEqual(["id"]);
            expect(body.id).toMatch(/^[A-Za-z0-9]{24}$/);
            expect(Buffer.from(body.id, "base64").toString()).toMatch(/^[1-9]\d{17}$/);
        });

        it("GET returns the whole object with documented defaults, nulls for blanks, and no password", async () => {
            const token = await login();
            const id = await createTrunk(token, {
                name: "minimal",
                auth_mode: undefined,
                auth_id: undefined,
                username: undefined,
                password: undefined,
            });
            const trunk = await getTrunk(token, id);
            expect(trunk).toEqual({
                id,
                name: "minimal",
                enabled: true,
                brand: null,
                auth_mode: "REGISTER_AUTH",
                transport: "UDP",
                hostname: "sip.carrier-a.example",
                port: 5060,
                auth_id: null,
                username: null,
                registration: true,
                register_interval: 600,
                outbound_server: "",
                outbound_server_port: 0,
                inlan: false,
                single_via_header: true,
                rewrite_via_ip: true,
                verify_port: true,
                keep_alive: true,
                keep_alive_interval: 360,
                concurrency: 30,
                additional_ips: null,
                adjust_sdp_direction: true,
                remove_srtp_info: true,
                stir_shaken_signature_required: false,
                did_numbers: null,
                inbound_parameters: {
                    caller_num: "DEFAULT",
                    caller_display_name: "DEFAULT",
                    called_num: "DEFAULT",
                    privacy_types_supported: "DEFAULT",
                    enable_stir_shaken_validation: false,
                    pai_header_parameter_name: "verstat",
                    drop_calls_with_verification_status: [],
                    pass_api_header_to_uad: false,
                },
                outbound_parameters: expect.objectContaining({
                    from_user_part: { value: "DEFAULT", custom_value: null },
                    contact_host_part: { value: "DEFAULT", custom_value: null },
                    privacy_types_supported: "DEFAULT",
                }) as unknown,
                shared: false,
            });
            expect(Object.keys(trunk.outbound_parameters as Json)).toHaveLength(26);
            expect(trunk).not.toHaveProperty("password");
        });

        it("stores the richer object: header parameters, DID pool, IPs, STIR/SHAKEN", async () => {
            const token = await login();
            const id = await createTrunk(token, {
                brand: "Generic",
                transport: "TLS",
                port: 5061,
                additional_ips: "198.51.100.0/24; 2001:db8::/32;203.0.113.7",
                did_numbers: "3000;12000-18000",
                stir_shaken_signature_required: true,
                inbound_parameters: {
                    caller_num: "P_ASSERTED_IDENTITY_USER_PART",
                    enable_stir_shaken_validation: true,
                    drop_calls_with_verification_status: ["TN-Validation-Failed", "No-TN-Validation"],
                },
                outbound_parameters: {
                    from_user_part: { value: "CUSTOM", custom_value: "4155550100" },
                    request_line_uri_host_part: { value: "SIP_DOMAIN" },
                    privacy_types_supported: { value: "ID" },
                },
                remove_plus_prefix: true,
            });
            const trunk = await getTrunk(token, id);
            expect(trunk).toMatchObject({
                brand: "Generic",
                transport: "TLS",
                additional_ips: "198.51.100.0/24; 2001:db8::/32;203.0.113.7",
                did_numbers: "3000;12000-18000",
                stir_shaken_signature_required: true,
                remove_plus_prefix: true,
                inbound_parameters: {
                    caller_num: "P_ASSERTED_IDENTITY_USER_PART",
                    enable_stir_shaken_validation: true,
                    drop_calls_with_verification_status: ["TN-Validation-Failed", "No-TN-Validation"],
                },
                outbound_parameters: {
                    from_user_part: { value: "CUSTOM", custom_value: "4155550100" },
                    request_line_uri_host_part: { value: "SIP_DOMAIN", custom_value: null },
                    privacy_types_supported: "ID",
                },
            });
        });

        it("update is partial, answers 200 with no body, and merges nested parameters per key", async () => {
            const token = await login();
            const id = await createTrunk(token, {
                inbound_parameters: { caller_num: "FROM_USER_PART", called_num: "TO_USER_PART" },
                outbound_parameters: { from_user_part: { value: "AUTH_ID" } },
            });
            const before = await getTrunk(token, id);
            const reply = await call("POST", `/api/providers/${id}`, {
                token,
                json: { port: 5080, inbound_parameters: { called_num: "REQUEST_LINE_URI_USER_PART" } },
            });
            expect(reply.status).toBe(200);
            expect(reply.text).toBe("");
            const after = await getTrunk(token, id);
            expect(after).toEqual({
                ...before,
                port: 5080,
                inbound_parameters: {
                    ...(before.inbound_parameters as Json),
                    caller_num: "FROM_USER_PART",
                    called_num: "REQUEST_LINE_URI_USER_PART",
                },
            });
            expect(sim.getTrunk(id)?.password).toBe("p@ss");
        });

        it("password is write-only: an update changes it, no read shows it", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const reply = await call("POST", `/api/providers/${id}`, { token, json: { password: "new-secret" } });
            expect(reply.status).toBe(200);
            expect(sim.getTrunk(id)?.password).toBe("new-secret");
            const shown = await call("GET", `/api/providers/${id}`, { token });
            expect(shown.text).not.toContain("password");
            expect(shown.text).not.toContain("new-secret");
            const listed = await call("GET", "/api/providers", { token });
            expect(listed.text).not.toContain("new-secret");
        });

        it.each([
            ["auth_mode", "IP_AUTH"],
            ["brand", "Other"],
        ])("update refuses the create-only field %s", async (field, value) => {
            const token = await login();
            const id = await createTrunk(token, { brand: "Generic" });
            const reply = await call("POST", `/api/providers/${id}`, { token, json: { [field]: value } });
            expectError(reply, 400, validationFailed(field));
            expect(sim.getTrunk(id)).toMatchObject({ auth_mode: "REGISTER_AUTH", brand: "Generic" });
        });

        it("can ignore create-only fields in updates instead (switch)", async () => {
            await startWith({ createOnlyFieldsOnUpdate: "ignore" });
            const token = await login();
            const id = await createTrunk(token);
            const reply = await call("POST", `/api/providers/${id}`, {
                token,
                json: { auth_mode: "IP_AUTH", concurrency: 5 },
            });
            expect(reply.status).toBe(200);
            expect(sim.getTrunk(id)).toMatchObject({ auth_mode: "REGISTER_AUTH", concurrency: 5 });
        });

        it.each<[string, Json, string]>([
            ["a missing required field", { concurrency: undefined }, "concurrency"],
            ["a missing outbound_server", { outbound_server: undefined }, "outbound_server"],
            ["a lower-case enum", { transport: "udp" }, "transport"],
            ["an unknown auth_mode", { auth_mode: "PASSWORD" }, "auth_mode"],
            ["a port above 65535", { port: 65536 }, "port"],
            ["port 0 on TCP", { transport: "TCP", port: 0 }, "port"],
            ["a name longer than 64", { name: "n".repeat(65) }, "name"],
            ["an empty brand", { brand: "" }, "brand"],
            ["a negative concurrency", { concurrency: -1 }, "concurrency"],
            ["a null", { auth_id: null }, "auth_id"],
            ["a number as text", { port: "5060" }, "port"],
            ["a bad host name", { hostname: "sip carrier.example" }, "hostname"],
            ["a bad CIDR", { additional_ips: "198.51.100.0/33" }, "additional_ips"],
            ["an empty IP entry", { additional_ips: "198.51.100.1;" }, "additional_ips"],
            ["a DID with a leading 0", { did_numbers: "0412345" }, "did_numbers"],
            ["a DID with +", { did_numbers: "+14155550100" }, "did_numbers"],
            ["a reversed DID range", { did_numbers: "200-100" }, "did_numbers"],
            ["overlapping DID entries", { did_numbers: "100-200;150" }, "did_numbers"],
            [
                "an unknown inbound key",
                { inbound_parameters: { caller_number: "DEFAULT" } },
                "inbound_parameters.caller_number",
            ],
            [
                "a host value on a user key",
                { outbound_parameters: { from_user_part: { value: "SIP_DOMAIN" } } },
                "outbound_parameters.from_user_part.value",
            ],
            [
                "CUSTOM without custom_value",
                { outbound_parameters: { to_host_part: { value: "CUSTOM" } } },
                "outbound_parameters.to_host_part.custom_value",
            ],
            [
                "an unknown verification status",
                { inbound_parameters: { drop_calls_with_verification_status: ["TN-Validation-Passed-A"] } },
                "inbound_parameters.drop_calls_with_verification_status.0",
            ],
            ["a Teams trunk by the system admin", { auth_mode: "TEAMS" }, "auth_mode"],
        ])("create refuses %s", async (_label, overrides, field) => {
            const token = await login();
            const reply = await call("POST", "/api/providers", { token, json: trunkBody(overrides) });
            expectError(reply, 400, validationFailed(field));
            expect(sim.listTrunks()).toEqual([]);
        });

        it("create refuses bad JSON, a non-JSON media type and a non-object body", async () => {
            const token = await login();
            const badJson = await call("POST", "/api/providers", {
                token,
                raw: { text: "{", contentType: "application/json" },
            });
            expectError(badJson, 400, validationFailed("body"));
            const text = await call("POST", "/api/providers", {
                token,
                raw: { text: JSON.stringify(trunkBody()), contentType: "text/plain" },
            });
            expectError(text, 400, validationFailed("body"));
            expectError(
                await call("POST", "/api/providers", { token, json: [trunkBody()] }),
                400,
                validationFailed("body"),
            );
        });

        it("enforces hostname+auth_id, single IP_AUTH per host and DID pool uniqueness", async () => {
            const token = await login();
            await createTrunk(token, { did_numbers: "1000-1999" });
            const sameAuth = await call("POST", "/api/providers", { token, json: trunkBody({ name: "b" }) });
            expectError(sameAuth, 400, validationFailed("auth_id"));
            const otherAuth = await call("POST", "/api/providers", {
                token,
                json: trunkBody({ name: "b", auth_id: "999", did_numbers: "1500" }),
            });
            expectError(otherAuth, 400, validationFailed("did_numbers"));
            await createTrunk(token, { name: "b", auth_id: "999", did_numbers: "2000" });
            await createTrunk(token, { name: "ip", auth_mode: "IP_AUTH", hostname: "198.51.100.9" });
            const secondIp = await call("POST", "/api/providers", {
                token,
                json: trunkBody({ name: "ip2", auth_mode: "IP_AUTH", hostname: "198.51.100.9" }),
            });
            expectError(secondIp, 400, validationFailed("hostname"));
            // Names are not unique (undocumented): a second "carrier-a" elsewhere is fine.
            await createTrunk(token, { hostname: "other.example" });
            expect(sim.listTrunks()).toHaveLength(4);
        });

        it("update validates the merged result (TCP with a stored port 0)", async () => {
            const token = await login();
            const id = await createTrunk(token, { port: 0 });
            const reply = await call("POST", `/api/providers/${id}`, { token, json: { transport: "TCP" } });
            expectError(reply, 400, validationFailed("port"));
            const both = await call("POST", `/api/providers/${id}`, { token, json: { transport: "TCP", port: 5060 } });
            expect(both.status).toBe(200);
        });

        it("unknown ids: GET and update 404, destroy 400 as documented", async () => {
            const token = await login();
            const missing = "NzAwNTUxOTA5NzczMTQ4MTYw";
            const notFound = { code: "NOT_FOUND", message: "provider not found" };
            expectError(await call("GET", `/api/providers/${missing}`, { token }), 404, notFound);
            expectError(await call("POST", `/api/providers/${missing}`, { token, json: { port: 1 } }), 404, notFound);
            expectError(await call("GET", `/api/providers/${missing}/status`, { token }), 404, notFound);
            expectError(await call("POST", `/api/providers/${missing}/destroy`, { token }), 400, {
                code: "VALIDATE_FAILED",
                message: "Invalid provider ID supplied.",
                detail: { field: "id", reason: "Invalid provider ID supplied." },
            });
        });

        it("destroy answers 204 with no body; the trunk is gone", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const reply = await call("POST", `/api/providers/${id}/destroy`, { token });
            expect(reply.status).toBe(204);
            expect(reply.text).toBe("");
            expect(sim.getTrunk(id)).toBeUndefined();
            expect((await call("GET", `/api/providers/${id}`, { token })).status).toBe(404);
            expect((await call("POST", `/api/providers/${id}/destroy`, { token })).status).toBe(400);
        });

        it("wrong methods get 405, unknown paths 404", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const put = await call("PUT", `/api/providers/${id}`, { token, json: {} });
            expect(put.status).toBe(405);
            expect(put.headers.get("allow")).toBe("GET, POST");
            const get = await call("GET", "/api/auth/sign_in");
            expect(get.status).toBe(405);
            expect(get.headers.get("allow")).toBe("POST");
            expect((await call("GET", "/api/trunks", { token })).status).toBe(404);
            expect((await call("GET", "/providers", { token })).status).toBe(404);
        });
    });

    describe("list", () => {
        async function seed(token: string): Promise<void> {
            await createTrunk(token, { name: "delta", hostname: "d.example", port: 5062, brand: "Twilio" });
            await createTrunk(token, { name: "alpha", hostname: "a.example", port: 5060, enabled: false });
            await createTrunk(token, { name: "charlie", hostname: "c.example", port: 5061, brand: "Twilio" });
            await createTrunk(token, { name: "bravo", hostname: "b.carrier.example", port: 5070 });
        }

        async function names(token: string, query: string): Promise<{ count: number; names: string[] }> {
            const reply = await call("GET", `/api/providers?${query}`, { token });
            expect(reply.status).toBe(200);
            const body = parse(reply) as { count: number; items: { name: string }[] };
            return { count: body.count, names: body.items.map((item) => item.name) };
        }

        it("returns summaries only, in creation order by default", async () => {
            const token = await login();
            await seed(token);
            const reply = await call("GET", "/api/providers", { token });
            const body = parse(reply) as { count: number; items: Json[] };
            expect(body.count).toBe(4);
            expect(body.items[0]).toEqual({
                id: expect.any(String) as unknown,
                name: "delta",
                enabled: true,
                brand: "Twilio",
                hostname: "d.example",
                port: 5062,
                did_numbers: null,
                shared: false,
            });
        });

        it("filters by exact name (a doubled quote is a quote) and pages; count is the total before paging", async () => {
            const token = await login();
            await seed(token);
            await createTrunk(token, { name: "o'hara", hostname: "o.example" });
            const byName = (name: string) => `filter=${encodeURIComponent(`name eq '${name.replace(/'/g, "''")}'`)}`;
            expect(await names(token, byName("charlie"))).toEqual({ count: 1, names: ["charlie"] });
            expect(await names(token, byName("o'hara"))).toEqual({ count: 1, names: ["o'hara"] });
            expect(await names(token, byName("Charlie"))).toEqual({ count: 0, names: [] });
            expect(await names(token, "skip=1&top=2")).toEqual({ count: 5, names: ["alpha", "charlie"] });
        });

        it.each<[string, string]>([
            ["top=0", "top"],
            ["top=101", "top"],
            ["skip=-1", "skip"],
            ["skip=x", "skip"],
            [`filter=${encodeURIComponent("password eq 'x'")}`, "filter"],
            [`filter=${encodeURIComponent("name eq 5")}`, "filter"],
            [`filter=${encodeURIComponent("name eq 'x' and")}`, "filter"],
            [`filter=${encodeURIComponent("name eq 'it's'")}`, "filter"],
            [`filter=${encodeURIComponent("brand eq 'Twilio'")}`, "filter"],
            ["filter=", "filter"],
            ["orderby=name", "orderby"],
            ["search=carrier", "search"],
        ])("refuses %s", async (query, field) => {
            const token = await login();
            expectError(await call("GET", `/api/providers?${query}`, { token }), 400, validationFailed(field));
        });
    });

    describe("status", () => {
        it("ONLINE by default, OFFLINE while disabled, forced by setTrunkStatus", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const status = async (): Promise<unknown> =>
                parse(await call("GET", `/api/providers/${id}/status`, { token })).status;
            expect(await status()).toBe("ONLINE");
            await call("POST", `/api/providers/${id}`, { token, json: { enabled: false } });
            expect(await status()).toBe("OFFLINE");
            sim.setTrunkStatus(id, "ONLINE");
            expect(await status()).toBe("ONLINE");
            sim.setTrunkStatus(id, undefined);
            expect(await status()).toBe("OFFLINE");
        });

        it("stays OFFLINE for onlineAfterMs (registration delay), and speaks v16 words on request", async () => {
            await startWith({ onlineAfterMs: 3_000, statusVocabulary: "REGISTERED_UNREGISTERED" });
            const token = await login();
            const id = await createTrunk(token);
            const status = async (): Promise<unknown> =>
                parse(await call("GET", `/api/providers/${id}/status`, { token })).status;
            expect(await status()).toBe("UNREGISTERED");
            clock += 2_999;
            expect(await status()).toBe("UNREGISTERED");
            clock += 1;
            expect(await status()).toBe("REGISTERED");
        });
    });

    describe("tenants and sharing", () => {
        it("a tenant admin may not create IP_AUTH, nor touch the system admin's trunks", async () => {
            const admin = await login();
            const adminTrunk = await createTrunk(admin);
            const tenant = await login({ username: "alice", password: "alice-pw", domain: "a.example" });
            const forbidden = { code: "FORBIDDEN", message: expect.any(String) as unknown };
            const ip = await call("POST", "/api/providers", {
                token: tenant,
                json: trunkBody({ auth_mode: "IP_AUTH", hostname: "198.51.100.1" }),
            });
            expectError(ip, 403, forbidden);
            expectError(await call("GET", `/api/providers/${adminTrunk}`, { token: tenant }), 403, forbidden);
            expectError(
                await call("POST", `/api/providers/${adminTrunk}`, { token: tenant, json: { port: 1 } }),
                403,
                forbidden,
            );
            expectError(await call("POST", `/api/providers/${adminTrunk}/destroy`, { token: tenant }), 403, forbidden);

            const own = await createTrunk(tenant, { auth_mode: "TEAMS", hostname: "sip.pstnhub.microsoft.com" });
            expect(sim.getTrunk(own)?.owner).toBe("TENANT-A");
            const listed = parse(await call("GET", "/api/providers", { token: tenant })) as { items: Json[] };
            expect(listed.items.map((item) => item.id)).toEqual([own]);
        });

        it("a trunk shared through the web UI is `shared`, visible to the tenant, still not theirs to change", async () => {
            const token = await login();
            const id = await createTrunk(token, { did_numbers: "1000-1999" });
            const tenant = await login({ username: "alice", password: "alice-pw", domain: "a.example" });
            expect((await call("GET", `/api/providers/${id}`, { token: tenant })).status).toBe(403);

            sim.assignTrunk(id, "TENANT-A", { did_numbers: "1000-1099", concurrency: 5 });
            expect(sim.getTrunk(id)?.assignees).toEqual({ "TENANT-A": { did_numbers: "1000-1099", concurrency: 5 } });
            expect((await getTrunk(token, id)).shared).toBe(true);
            expect((await call("GET", `/api/providers/${id}`, { token: tenant })).status).toBe(200);
            expect((await call("POST", `/api/providers/${id}`, { token: tenant, json: { port: 1 } })).status).toBe(403);
        });
    });

    describe("switches", () => {
        it("blankFields omit leaves blank keys out", async () => {
            await startWith({ blankFields: "omit" });
            const token = await login();
            const id = await createTrunk(token, { auth_id: undefined });
            const trunk = await getTrunk(token, id);
            expect(trunk).not.toHaveProperty("brand");
            expect(trunk).not.toHaveProperty("auth_id");
            expect(trunk).not.toHaveProperty("did_numbers");
            expect((trunk.outbound_parameters as Json).from_user_part).toEqual({ value: "DEFAULT" });
        });

        it("legacyPrivacyObject writes the v22.0/22.1 object form", async () => {
            await startWith({ legacyPrivacyObject: true });
            const token = await login();
            const id = await createTrunk(token, { outbound_parameters: { privacy_types_supported: "HEADER" } });
            const trunk = await getTrunk(token, id);
            expect((trunk.outbound_parameters as Json).privacy_types_supported).toEqual({ value: "HEADER" });
            expect((trunk.inbound_parameters as Json).privacy_types_supported).toBe("DEFAULT");
        });

        it("rate limit answers 429 with Retry-After, then recovers after the minute", async () => {
            await startWith({ rateLimitPerMinute: 3 });
            const token = await login();
            expect((await call("GET", "/api/providers", { token })).status).toBe(200);
            expect((await call("GET", "/api/providers", { token })).status).toBe(200);
            clock += 20_000;
            const limited = await call("GET", "/api/providers", { token });
            expectError(limited, 429, { code: "TOO_MANY_REQUESTS", message: "rate limit exceeded" });
            expect(limited.headers.get("retry-after")).toBe("40");
            clock += 40_000;
            expect((await call("GET", "/api/providers", { token })).status).toBe(200);
        });
    });

    describe("out-of-band edits", () => {
        it("add, edit (create-only fields too), delete and list as the web UI would, seen by the API", async () => {
            const token = await login();
            const id = sim.addTrunk(trunkBody({ name: "ui-made", brand: "Generic" }) as V22CreateInput);
            expect((await getTrunk(token, id)).name).toBe("ui-made");

            sim.editTrunk(id, { auth_mode: "ACCEPT_REGISTER", port: 5090, password: "ui-secret" });
            const edited = await getTrunk(token, id);
            expect([edited.auth_mode, edited.port, edited.brand]).toEqual(["ACCEPT_REGISTER", 5090, "Generic"]);
            expect(sim.getTrunk(id)?.password).toBe("ui-secret");

            expect(() => {
                sim.editTrunk(id, { port: 70000 });
            }).toThrow(/port/);
            expect(() => sim.addTrunk(trunkBody({ transport: "SCTP" }) as V22CreateInput)).toThrow(/transport/);

            expect(sim.listTrunks().map((trunk) => trunk.name)).toEqual(["ui-made"]);
            expect(sim.deleteTrunk(id)).toBe(true);
            expect((await call("GET", `/api/providers/${id}`, { token })).status).toBe(404);
        });

        it("getTrunk returns a copy", async () => {
            const token = await login();
            const id = await createTrunk(token, {
                inbound_parameters: { drop_calls_with_verification_status: ["No-TN-Validation"] },
            });
            sim.getTrunk(id)?.inbound_parameters.drop_calls_with_verification_status.push("TN-Validation-Failed");
            expect(sim.getTrunk(id)?.inbound_parameters.drop_calls_with_verification_status).toEqual([
                "No-TN-Validation",
            ]);
        });
    });

    describe("faults", () => {
        it("an `after` fault commits the create although the client sees a 500", async () => {
            const token = await login();
            sim.server.injectFaults({
                fault: {
                    kind: "status",
                    status: 500,
                    body: { errors: [{ code: "UNKNOWN", message: "unknown error" }] },
                },
                times: 1,
                method: "POST",
                path: /^\/api\/providers$/,
                when: "after",
            });
            const reply = await call("POST", "/api/providers", { token, json: trunkBody() });
            expect(reply.status).toBe(500);
            const listed = parse(await call("GET", "/api/providers", { token })) as { count: number; items: Json[] };
            expect(listed.count).toBe(1);
            expect(listed.items[0]?.name).toBe("carrier-a");
            // A blind retry of the create now collides with the committed trunk.
            const retry = await call("POST", "/api/providers", { token, json: trunkBody() });
            expectError(retry, 400, validationFailed("auth_id"));
        });
    });

    describe("OpenAPI conformance", () => {
        let doc: OpenApiDocument;

        beforeAll(() => {
            doc = loadPortSipOpenApi();
        });

        /** Drives every documented operation and returns each answer with the path it was for. */
        async function tour(): Promise<{ method: string; path: string; reply: Reply }[]> {
            const seen: { method: string; path: string; reply: Reply }[] = [];
            const record = async (method: string, path: string, options: CallOptions = {}): Promise<Reply> => {
                const reply = await call(method, path, options);
                seen.push({ method, path: path.replace(/^\/api/, "").split("?")[0] ?? "", reply });
                return reply;
            };
            const tokens = parse(await record("POST", "/api/auth/sign_in", { json: ADMIN })) as {
                access_token: string;
            };
            const token = tokens.access_token;
            await record("POST", "/api/auth/sign_in", { json: { ...ADMIN, password: "bad" } });
            await record("POST", "/api/login", { json: ADMIN });
            await record("GET", "/api/info");
            await record("GET", "/api/info?domain=a.example");
            const created = parse(
                await record("POST", "/api/providers", {
                    token,
                    json: trunkBody({
                        brand: "Generic",
                        did_numbers: "5000-5999",
                        additional_ips: "203.0.113.0/24",
                        inbound_parameters: { caller_num: "FROM_USER_PART", privacy_types_supported: "SESSION" },
                        outbound_parameters: { from_user_part: { value: "CUSTOM", custom_value: "x" } },
                    }),
                }),
            ) as { id: string };
            const sparse = parse(
                await record("POST", "/api/providers", {
                    token,
                    json: trunkBody({ name: "sparse", hostname: "s.example", auth_id: undefined, username: undefined }),
                }),
            ) as { id: string };
            await record("POST", "/api/providers", { token, json: trunkBody({ port: -1 }) });
            await record("GET", "/api/providers", { token });
            await record("GET", "/api/providers");
            await record("GET", "/api/providers?top=0", { token });
            await record("GET", `/api/providers/${created.id}`, { token });
            await record("GET", `/api/providers/${sparse.id}`, { token });
            await record("GET", "/api/providers/MTExMTExMTExMTExMTExMTEx", { token });
            await record("POST", `/api/providers/${created.id}`, { token, json: { concurrency: 3 } });
            await record("GET", `/api/providers/${created.id}/status`, { token });
            await record("POST", `/api/providers/${sparse.id}/destroy`, { token });
            await record("POST", `/api/providers/${sparse.id}/destroy`, { token });
            return seen;
        }

        it.each([
            ["null", { nullForBlank: true }],
            ["omit", { nullForBlank: false }],
        ] as const)("every answer conforms with blankFields=%s", async (blankFields, walk) => {
            await startWith({ blankFields });
            const seen = await tour();
            expect(seen).toHaveLength(18);
            const errors = seen.flatMap(({ method, path, reply }) =>
                checkResponse(doc, method, path, reply, { closed: true, ...walk }),
            );
            // The one deliberate deviation: the document gives `POST /login` a 200 with no content,
            // while the simulator answers the token body so a client can use the route (its real answer is unknown).
            expect(errors).toEqual(["POST /login: 200 documents no content but a body was sent"]);
            // Error answers have no schema in the document; they must follow the shape the About page documents.
            for (const { reply } of seen.filter((entry) => entry.reply.status >= 400)) {
                expect(errorBodySchema.safeParse(JSON.parse(reply.text)).success).toBe(true);
            }
            expect(new Set(seen.map(({ reply }) => reply.status))).toEqual(new Set([200, 201, 204, 400, 401, 404]));
        });

        it("GET /providers/{id} emits every documented property, blanks as null", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const trunk = await getTrunk(token, id);
            const schema = (
                doc.paths["/providers/{id}"]?.get?.responses["200"]?.content?.["application/json"]?.schema as {
                    properties: Json;
                }
            ).properties;
            expect(Object.keys(trunk).sort()).toEqual(Object.keys(schema).sort());
        });

        it("the walker catches what it should (it can fail)", async () => {
            const token = await login();
            const id = await createTrunk(token);
            const reply = await call("GET", `/api/providers/${id}`, { token });
            const options = { closed: true, nullForBlank: true };
            expect(checkResponse(doc, "GET", `/providers/${id}`, reply, options)).toEqual([]);
            const mutate = (change: (body: Json) => void): string[] => {
                const body = parse(reply);
                change(body);
                return checkResponse(doc, "GET", `/providers/${id}`, { ...reply, text: JSON.stringify(body) }, options);
            };
            expect(mutate((b) => (b.port = 70000))).toEqual([`GET /providers/${id}: $.port: above 65535`]);
            expect(mutate((b) => (b.transport = "SCTP"))).toEqual([
                `GET /providers/${id}: $.transport: "SCTP" is not one of UDP, TCP, TLS`,
            ]);
            expect(mutate((b) => (b.password = "leak"))).toEqual([`GET /providers/${id}: $.password: not declared`]);
            expect(mutate((b) => ((b.inbound_parameters as Json).caller_num = 1))).toEqual([
                `GET /providers/${id}: $.inbound_parameters.caller_num: expected string, got number`,
            ]);
            expect(
                checkResponse(doc, "GET", `/providers/${id}`, reply, { closed: true, nullForBlank: false }),
            ).toContain(`GET /providers/${id}: $.brand: expected string, got null`);
            expect(checkResponse(doc, "POST", `/providers/${id}`, { ...reply, status: 200 })).toEqual([
                `POST /providers/${id}: 200 documents no content but a body was sent`,
            ]);
            expect(checkResponse(doc, "GET", `/providers/${id}/destroy`, reply)).toEqual([
                `GET /providers/${id}/destroy: no such operation in the document`,
            ]);
            expect(checkResponse(doc, "POST", `/providers/${id}/destroy`, { ...reply, status: 404 })).toEqual([
                `POST /providers/${id}/destroy: status 404 is not documented`,
            ]);
            expect(validateSchema({ type: "string", pattern: "x" }, "x")).toEqual(["$: unsupported keyword 'pattern'"]);
        });
    });
});
