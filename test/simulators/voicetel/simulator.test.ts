import { VoiceTelSimulator, VOICETEL_MESSAGES, type VoiceTelSimulatorOptions } from "./index";
import { unsupportedKeywords, validateSchema } from "../core/json-schema";
import { GATEWAYS_DOCUMENT, SUPPLEMENT, type ResponseDocument } from "./openapi";

const KEY = "0123456789abcdef0123456789abcdef";
const OTHER_KEY = "fedcba9876543210fedcba9876543210";
const HOSTS = {
    "sip.example.com": "203.0.113.50",
    "SIP2.Example.com": "198.51.100.7",
    "lan.example.com": "192.168.1.10",
    "public.example.net": "8.8.4.4",
};
const LIST = "/v2.1/gateways/list/";
const ADD = "/v2.1/gateways/add/";
const UPDATE = "/v2.1/gateways/update/";
const REMOVE = "/v2.1/gateways/remove/";
const NUMBERS_LIST = "/v2.1/numbers/list/";

const SYSTEM_ROWS = [
    { route: "1", gateway: "USER" },
    { route: "2", gateway: "T30" },
    { route: "3", gateway: "VOICE_BRIDGE" },
    { route: "4", gateway: "DID" },
    { route: "5", gateway: "T38" },
    { route: "6", gateway: "RTC_BRIDGE" },
    { route: "8", gateway: "SDN" },
];

const baseOptions: VoiceTelSimulatorOptions = {
    apiKey: KEY,
    hosts: HOSTS,
    otherAccounts: [
        {
            apiKey: OTHER_KEY,
            accountNumber: 2222222222,
            gateways: ["198.51.100.99:5060"],
            dids: [{ number: "3125550100", route: 1000 }],
        },
    ],
};
const sim = new VoiceTelSimulator(baseOptions);

interface Recorded {
    method: string;
    path: string;
    status: number;
    contentType: string | null;
    body: unknown;
    /** Answered by an injected fault: not the vendor logic, so not subject to the documents. */
    faulted: boolean;
}
/** Every answer the tests received, checked against the OpenAPI documents by the last describe block. */
const recorded: Recorded[] = [];

interface CallOptions {
    /** Key for `Authorization: Bearer …`; null sends no header. Default: the main account's key. */
    bearer?: string | null;
    /** A raw Authorization header, overriding `bearer`. */
    authorization?: string;
    method?: string;
    /** null sends no Content-Type header of our own. Default: application/json when there is a body. */
    contentType?: string | null;
    rawBody?: string;
    simulator?: VoiceTelSimulator;
}

interface Reply {
    status: number;
    body: unknown;
    headers: Headers;
}

async function call(path: string, body?: Record<string, unknown>, options: CallOptions = {}): Promise<Reply> {
    const simulator = options.simulator ?? sim;
    const headers: Record<string, string> = {};
    const authorization =
        options.authorization ?? (options.bearer === null ? undefined : `Bearer ${options.bearer ?? KEY}`);
    if (authorization !== undefined) headers.Authorization = authorization;
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    const contentType =
        options.contentType === undefined && payload !== undefined ? "application/json" : options.contentType;
    if (contentType !== undefined && contentType !== null) headers["Content-Type"] = contentType;
    const method = options.method ?? "POST";
    const response = await fetch(`${simulator.server.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    const parsed: unknown = text === "" ? undefined : JSON.parse(text);
    recorded.push({
        method,
        path,
        status: response.status,
        contentType: response.headers.get("content-type"),
        body: parsed,
        faulted: simulator.server.requests.at(-1)?.faulted ?? false,
    });
    return { status: response.status, body: parsed, headers: response.headers };
}

const list = (options?: CallOptions) => call(LIST, {}, options);
const add = (gateways: string[], options?: CallOptions) =>
    call(ADD, { gateways: gateways.map((gateway) => ({ gateway })) }, options);
const update = (gateways: { route: number; gateway: string }[], options?: CallOptions) =>
    call(UPDATE, { gateways }, options);
const remove = (routes: number[], options?: CallOptions) =>
    call(REMOVE, { routes: routes.map((route) => ({ route })) }, options);

function error(status: number, message: string) {
    return { statusCode: String(status), status: "Error", message };
}

function listBody(userRows: { route: string; gateway: string }[]) {
    return { statusCode: "200", status: "Success", gateways: [...SYSTEM_ROWS, ...userRows] };
}

/** Runs `body` against a separately configured simulator (options override the shared ones). */
async function withSimulator(
    overrides: Partial<VoiceTelSimulatorOptions>,
    body: (simulator: VoiceTelSimulator) => Promise<void>,
): Promise<void> {
    // Without the other account of the shared simulator, whose seed would not fit every option.
    const simulator = new VoiceTelSimulator({ apiKey: KEY, hosts: HOSTS, ...overrides });
    await simulator.start();
    try {
        await body(simulator);
    } finally {
        await simulator.stop();
    }
}

beforeAll(async () => {
    await sim.start();
});

afterAll(async () => {
    await sim.stop();
});

beforeEach(() => {
    sim.reset();
});

describe("authentication", () => {
    it.each([LIST, ADD, UPDATE, REMOVE, NUMBERS_LIST])(
        "%s answers 401 to a wrong key and 400 to none",
        async (path) => {
            expect(await call(path, {}, { bearer: "wrong" })).toMatchObject({
                status: 401,
                body: error(401, "Unauthorized"),
            });
            expect(await call(path, {}, { bearer: null })).toMatchObject({
                status: 400,
                body: error(400, "Field Required: apikey"),
            });
        },
    );

    it("accepts the key as a Bearer header", async () => {
        expect(await list()).toMatchObject({ status: 200, body: listBody([]) });
    });

    it("accepts the key as the body field apikey", async () => {
        expect(await call(LIST, { apikey: KEY }, { bearer: null })).toMatchObject({ status: 200, body: listBody([]) });
    });

    it("treats the Bearer scheme name case-insensitively", async () => {
        expect((await list({ authorization: `bearer ${KEY}` })).status).toBe(200);
    });

    it("answers 400 Field Required: apikey when no key is sent anywhere", async () => {
        const reply = await call(LIST, {}, { bearer: null });
        expect(reply).toMatchObject({ status: 400, body: error(400, "Field Required: apikey") });
        expect(await call(LIST, { apikey: "" }, { bearer: null })).toMatchObject({
            status: 400,
            body: error(400, "Field Required: apikey"),
        });
    });

    it("answers 400 when the body key is not a string", async () => {
        expect(await call(LIST, { apikey: 12345 }, { bearer: null })).toMatchObject({
            status: 400,
            body: error(400, "Invalid Field: apikey"),
        });
    });

    it("answers 401 for a wrong key in the header or in the body", async () => {
        expect(await list({ bearer: "not-the-key" })).toMatchObject({ status: 401, body: error(401, "Unauthorized") });
        expect(await call(LIST, { apikey: "not-the-key" }, { bearer: null })).toMatchObject({
            status: 401,
            body: error(401, "Unauthorized"),
        });
    });

    it("lets the header win over the body key", async () => {
        expect((await call(LIST, { apikey: KEY }, { bearer: "wrong" })).status).toBe(401);
        expect((await call(LIST, { apikey: "wrong" }, { bearer: KEY })).status).toBe(200);
    });

    it("refuses a header with another scheme or without a token, without falling back to the body", async () => {
        expect((await call(LIST, { apikey: KEY }, { authorization: `Basic ${KEY}` })).status).toBe(401);
        expect((await call(LIST, { apikey: KEY }, { authorization: "Bearer" })).status).toBe(401);
    });

    it("checks the key before the fields", async () => {
        expect(await call(ADD, {}, { bearer: "wrong" })).toMatchObject({
            status: 401,
            body: error(401, "Unauthorized"),
        });
        expect(await call(ADD, {}, { bearer: null })).toMatchObject({
            status: 400,
            body: error(400, "Field Required: apikey"),
        });
    });

    it("scopes every key to its own account", async () => {
        sim.addRoute("203.0.113.10:5060");
        expect((await list({ bearer: OTHER_KEY })).body).toEqual(
            listBody([{ route: "1000", gateway: "198.51.100.99:5060" }]),
        );
        expect((await list()).body).toEqual(listBody([{ route: "1000", gateway: "203.0.113.10:5060" }]));
    });

    it("refuses the old key after a rotation and accepts the new one", async () => {
        const newKey = sim.rotateApiKey("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        expect(newKey).toBe("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        expect((await list()).status).toBe(401);
        expect((await list({ bearer: newKey })).status).toBe(200);
        expect(sim.rotateApiKey()).toMatch(/^[0-9a-f]{32}$/);
        expect(() => sim.rotateApiKey(OTHER_KEY)).toThrow(/another account/);
    });
});

describe("transport", () => {
    it("accepts every path with and without the trailing slash", async () => {
        expect((await call("/v2.1/gateways/list", {})).status).toBe(200);
        expect((await call("/v2.1/gateways/add", { gateways: [] })).status).toBe(200);
    });

    it("answers 405 with Allow: POST to other methods", async () => {
        const reply = await call(LIST, undefined, { method: "GET" });
        expect(reply).toMatchObject({ status: 405, body: error(405, "Method Not Allowed") });
        expect(reply.headers.get("allow")).toBe("POST");
        expect((await call(REMOVE, undefined, { method: "DELETE" })).status).toBe(405);
    });

    it("answers 404 to unknown paths, including v2.2 ones", async () => {
        expect(await call("/v2.1/gateways/get/", {})).toMatchObject({ status: 404, body: error(404, "Not Found") });
        expect((await call("/v2.2/gateways", {})).status).toBe(404);
        expect((await call("/V2.1/gateways/list/", {})).status).toBe(404);
    });

    it("allows an empty body when the key is in the header", async () => {
        expect(await call(LIST)).toMatchObject({ status: 200, body: listBody([]) });
    });

    it("requires a JSON content type for a non-empty body, parameters allowed", async () => {
        const raw = JSON.stringify({ apikey: KEY });
        expect(await call(LIST, undefined, { rawBody: raw, contentType: "text/plain", bearer: null })).toMatchObject({
            status: 400,
            body: error(400, VOICETEL_MESSAGES.badContentType),
        });
        const form = { rawBody: raw, contentType: "application/json; charset=utf-8", bearer: null };
        expect((await call(LIST, undefined, form)).status).toBe(200);
    });

    it("answers 400 to malformed JSON and to JSON that is not an object", async () => {
        expect(await call(LIST, undefined, { rawBody: "{apikey:" })).toMatchObject({
            status: 400,
            body: error(400, "Malformed JSON body"),
        });
        expect((await call(LIST, undefined, { rawBody: "[]" })).status).toBe(400);
        expect((await call(LIST, undefined, { rawBody: "null" })).status).toBe(400);
    });

    it("answers with statusCode equal to the HTTP status and a JSON content type", async () => {
        const reply = await list();
        expect(reply.headers.get("content-type")).toBe("application/json");
        expect((reply.body as { statusCode: string }).statusCode).toBe("200");
    });
});

describe("gateways/list", () => {
    it("always lists the system routes 1-6 and 8, with string ids, and no message", async () => {
        expect((await list()).body).toEqual({ statusCode: "200", status: "Success", gateways: SYSTEM_ROWS });
    });

    it("lists user gateways after the system routes, by ascending id, exactly as stored", async () => {
        sim.addRoute("203.0.113.10:5060");
        sim.addRoute("SIP.example.com");
        expect((await list()).body).toEqual(
            listBody([
                { route: "1000", gateway: "203.0.113.10:5060" },
                { route: "1001", gateway: "SIP.example.com" },
            ]),
        );
    });
});

describe("gateways/add", () => {
    it("answers 200 with every user gateway, keys route (string) and IP, and no marker of the new one", async () => {
        expect(await add(["203.0.113.10:5060"])).toMatchObject({
            status: 200,
            body: {
                statusCode: "200",
                status: "Success",
                message: "Gateways Entered",
                gateways: [{ route: "1000", IP: "203.0.113.10:5060" }],
            },
        });
        expect((await add(["198.51.100.5"])).body).toEqual({
            statusCode: "200",
            status: "Success",
            message: "Gateways Entered",
            gateways: [
                { route: "1000", IP: "203.0.113.10:5060" },
                { route: "1001", IP: "198.51.100.5" },
            ],
        });
    });

    it("allocates ids from 1000 in submission order and never reuses one", async () => {
        await add(["203.0.113.10:5060", "203.0.113.11:5060"]);
        expect((await remove([1001])).status).toBe(200);
        expect((await add(["203.0.113.12:5060"])).body).toMatchObject({
            gateways: [
                { route: "1000", IP: "203.0.113.10:5060" },
                { route: "1002", IP: "203.0.113.12:5060" },
            ],
        });
    });

    it.each([
        "8.8.8.8",
        "1.1.1.1:5060",
        "100.63.255.255",
        "100.128.0.1",
        "172.15.255.255",
        "172.32.0.1",
        "192.169.0.1",
        "223.255.255.254",
        "203.0.113.10:1",
        "203.0.113.10:65535",
        "192.0.2.1",
        "198.51.100.1",
        "sip.example.com",
        "sip.example.com:5080",
        "SIP.EXAMPLE.COM",
        "sip2.example.com:5061",
        "public.example.net",
    ])("accepts the routable address %s and stores it as sent", async (address) => {
        expect((await add([address])).body).toEqual({
            statusCode: "200",
            status: "Success",
            message: "Gateways Entered",
            gateways: [{ route: "1000", IP: address }],
        });
        expect(sim.getRoute(1000)).toEqual({ route: 1000, gateway: address, system: false });
    });

    it.each([
        ["private 10/8", "10.1.2.3"],
        ["loopback", "127.0.0.1:5060"],
        ["private 192.168/16", "192.168.0.10"],
        ["private 172.16/12 (low end)", "172.16.5.5"],
        ["private 172.16/12 (high end)", "172.31.255.255"],
        ["shared 100.64/10", "100.64.0.1"],
        ["shared 100.64/10 (high end)", "100.127.255.255"],
        ["link-local", "169.254.1.1"],
        ["this-network 0/8", "0.1.2.3"],
        ["multicast", "224.0.0.5"],
        ["multicast (high end)", "239.1.1.1"],
        ["reserved 240/4", "240.0.0.1"],
        ["broadcast", "255.255.255.255"],
        ["benchmarking 198.18/15", "198.19.0.1"],
        ["IETF protocol assignments", "192.0.0.8"],
        ["IPv6", "2001:db8::1"],
        ["bracketed IPv6 with port", "[2001:db8::1]:5060"],
        ["port 0", "203.0.113.10:0"],
        ["port above 65535", "203.0.113.10:65536"],
        ["empty port", "203.0.113.10:"],
        ["port with a leading zero", "203.0.113.10:05060"],
        ["non-numeric port", "203.0.113.10:sip"],
        ["octet above 255", "256.1.1.1"],
        ["three octets", "203.0.113"],
        ["five octets", "1.2.3.4.5"],
        ["octet with a leading zero", "203.000.113.10"],
        ["unresolvable hostname", "unknown.example.com"],
        ["hostname resolving to a private address", "lan.example.com"],
        ["single-label name", "localhost"],
        ["trailing dot", "sip.example.com."],
        ["label starting with a hyphen", "-sip.example.com"],
        ["underscore", "sip_example.com"],
        ["empty string", ""],
        ["leading space", " 203.0.113.10"],
        ["URI", "sip:203.0.113.10"],
        ["scheme with slashes", "sip://203.0.113.10"],
        ["CIDR", "203.0.113.10/24"],
    ])("refuses %s (%j) in added_failed and stores nothing", async (_label, address) => {
        expect(await add([address])).toMatchObject({
            status: 409,
            body: {
                statusCode: "409",
                status: "Error",
                message: "At least one one gateway could not be added.",
                added_success: [],
                added_failed: [address],
            },
        });
        expect(sim.listRoutes().filter((route) => !route.system)).toEqual([]);
    });

    it("commits the successful items of a partially failed batch although it answers 409", async () => {
        const reply = await add(["203.0.113.10:5060", "10.0.0.1:5060", "198.51.100.5:5060"]);
        expect(reply.status).toBe(409);
        expect(reply.body).toEqual({
            statusCode: "409",
            status: "Error",
            message: "At least one one gateway could not be added.",
            added_success: ["203.0.113.10:5060", "198.51.100.5:5060"],
            added_failed: ["10.0.0.1:5060"],
        });
        expect((await list()).body).toEqual(
            listBody([
                { route: "1000", gateway: "203.0.113.10:5060" },
                { route: "1001", gateway: "198.51.100.5:5060" },
            ]),
        );
    });

    it("refuses an exact duplicate, already stored or earlier in the same batch, but not a differently written one", async () => {
        sim.addRoute("203.0.113.10:5060");
        expect((await add(["203.0.113.10:5060"])).body).toMatchObject({
            added_success: [],
            added_failed: ["203.0.113.10:5060"],
        });
        expect((await add(["203.0.113.20", "203.0.113.20"])).body).toMatchObject({
            added_success: ["203.0.113.20"],
            added_failed: ["203.0.113.20"],
        });
        expect((await add(["203.0.113.10"])).status).toBe(200);
        expect(
            sim
                .listRoutes()
                .filter((route) => !route.system)
                .map((route) => route.gateway),
        ).toEqual(["203.0.113.10:5060", "203.0.113.20", "203.0.113.10"]);
    });

    it("answers 200 with the current gateways to an empty batch", async () => {
        sim.addRoute("203.0.113.10:5060");
        expect((await call(ADD, { gateways: [] })).body).toEqual({
            statusCode: "200",
            status: "Success",
            message: "Gateways Entered",
            gateways: [{ route: "1000", IP: "203.0.113.10:5060" }],
        });
    });

    it.each<[string, Record<string, unknown>, string]>([
        ["no gateways", {}, "Field Required: gateways"],
        ["gateways null", { gateways: null }, "Field Required: gateways"],
        ["gateways not an array", { gateways: { gateway: "203.0.113.10" } }, "Invalid Field: gateways"],
        ["an item that is a bare string", { gateways: ["203.0.113.10"] }, "Invalid Field: gateways"],
        ["an item without gateway", { gateways: [{ ip: "203.0.113.10" }] }, "Field Required: gateway"],
        ["a gateway that is not a string", { gateways: [{ gateway: 3405803786 }] }, "Invalid Field: gateway"],
    ])("answers 400 to %s and applies nothing", async (_label, body, message) => {
        const withValidFirst = Array.isArray(body.gateways)
            ? { gateways: [{ gateway: "203.0.113.10" }, ...body.gateways] }
            : body;
        expect(await call(ADD, withValidFirst)).toMatchObject({ status: 400, body: error(400, message) });
        expect(sim.listRoutes()).toHaveLength(7);
    });
});

describe("gateways/update", () => {
    beforeEach(() => {
        sim.addRoute("203.0.113.10:5060");
        sim.addRoute("203.0.113.11:5060");
    });

    it("answers 200 with integer route ids and the stored addresses", async () => {
        expect(await update([{ route: 1000, gateway: "198.51.100.20:5060" }])).toMatchObject({
            status: 200,
            body: {
                statusCode: "200",
                status: "Success",
                message: "Gateway updated",
                gateways: [{ gateway: "198.51.100.20:5060", route: 1000 }],
            },
        });
        expect(sim.getRoute(1000)).toEqual({ route: 1000, gateway: "198.51.100.20:5060", system: false });
    });

    it("updates a batch, keeping the singular message", async () => {
        const items = [
            { route: 1001, gateway: "sip.example.com" },
            { route: 1000, gateway: "198.51.100.20" },
        ];
        expect((await update(items)).body).toEqual({
            statusCode: "200",
            status: "Success",
            message: "Gateway updated",
            gateways: [
                { gateway: "sip.example.com", route: 1001 },
                { gateway: "198.51.100.20", route: 1000 },
            ],
        });
    });

    it("answers 409 Invalid number or route for unknown, system, reserved and foreign routes", async () => {
        const items = [4242, 4, 7, 1, 999].map((route) => ({ route, gateway: "198.51.100.20:5060" }));
        expect(await update(items)).toMatchObject({
            status: 409,
            body: {
                statusCode: "409",
                status: "Error",
                message: "Update result",
                update_success: [],
                update_failed: items.map((item) => ({ ...item, message: "Invalid number or route" })),
            },
        });
        expect(sim.getRoute(4)).toEqual({ route: 4, gateway: "DID", system: true });
        // With the other account's key, route 1000 is that account's own gateway, not this one.
        const foreign = await update([{ route: 1000, gateway: "198.51.100.20:5060" }], { bearer: OTHER_KEY });
        expect(foreign.status).toBe(200);
        expect(sim.getRoute(1000)?.gateway).toBe("203.0.113.10:5060");
    });

    it("answers 409 with the address message for an invalid address and keeps the old one", async () => {
        expect((await update([{ route: 1000, gateway: "10.0.0.1:5060" }])).body).toEqual({
            statusCode: "409",
            status: "Error",
            message: "Update result",
            update_success: [],
            update_failed: [
                {
                    gateway: "10.0.0.1:5060",
                    route: 1000,
                    message: "Gateway should be a routable IP or Hostname and optional port",
                },
            ],
        });
        expect(sim.getRoute(1000)?.gateway).toBe("203.0.113.10:5060");
    });

    it("commits the successful items of a partially failed batch", async () => {
        const reply = await update([
            { route: 1000, gateway: "198.51.100.20:5060" },
            { route: 5000, gateway: "198.51.100.21:5060" },
            { route: 1001, gateway: "unknown.example.com" },
        ]);
        expect(reply).toMatchObject({
            status: 409,
            body: {
                statusCode: "409",
                status: "Error",
                message: "Update result",
                update_success: [{ gateway: "198.51.100.20:5060", route: 1000 }],
                update_failed: [
                    { gateway: "198.51.100.21:5060", route: 5000, message: "Invalid number or route" },
                    {
                        gateway: "unknown.example.com",
                        route: 1001,
                        message: "Gateway should be a routable IP or Hostname and optional port",
                    },
                ],
            },
        });
        expect(sim.getRoute(1000)?.gateway).toBe("198.51.100.20:5060");
        expect(sim.getRoute(1001)?.gateway).toBe("203.0.113.11:5060");
    });

    it("refuses another route's address but accepts a route's own", async () => {
        expect((await update([{ route: 1001, gateway: "203.0.113.10:5060" }])).body).toMatchObject({
            update_failed: [{ route: 1001, message: "Gateway should be a routable IP or Hostname and optional port" }],
        });
        expect((await update([{ route: 1000, gateway: "203.0.113.10:5060" }])).status).toBe(200);
    });

    it.each<[string, Record<string, unknown>, string]>([
        ["no gateways", {}, "Field Required: gateways"],
        [
            "a route id sent as a string, as list returns it",
            { gateways: [{ route: "1000", gateway: "8.8.8.8" }] },
            "Invalid Field: route",
        ],
        ["a fractional route id", { gateways: [{ route: 1000.5, gateway: "8.8.8.8" }] }, "Invalid Field: route"],
        ["an item without route", { gateways: [{ gateway: "8.8.8.8" }] }, "Field Required: route"],
        ["an item without gateway", { gateways: [{ route: 1000 }] }, "Field Required: gateway"],
    ])("answers 400 to %s and applies nothing", async (_label, body, message) => {
        const withValidFirst = Array.isArray(body.gateways)
            ? { gateways: [{ route: 1001, gateway: "8.8.8.8" }, ...body.gateways] }
            : body;
        expect(await call(UPDATE, withValidFirst)).toMatchObject({ status: 400, body: error(400, message) });
        expect(sim.getRoute(1001)?.gateway).toBe("203.0.113.11:5060");
    });
});

describe("gateways/remove", () => {
    beforeEach(() => {
        sim.addRoute("203.0.113.10:5060");
        sim.addRoute("203.0.113.11:5060");
    });

    it("answers 200 with integer route ids and deletes the gateway", async () => {
        expect(await remove([1000])).toMatchObject({
            status: 200,
            body: { statusCode: "200", status: "Success", message: "Gateways Removed", routes: [{ route: 1000 }] },
        });
        expect(sim.getRoute(1000)).toBeUndefined();
        expect((await list()).body).toEqual(listBody([{ route: "1001", gateway: "203.0.113.11:5060" }]));
    });

    it("refuses to remove a gateway while DIDs are routed to it, and removes it once they are detached", async () => {
        sim.attachDids(1000, ["2015551234", "2015551235"]);
        expect(await remove([1000])).toMatchObject({
            status: 409,
            body: {
                statusCode: "409",
                status: "Error",
                message: "At least one one route could not be removed. Please make sure no DID are routed to gateway.",
                removed_success: [],
                removed_failed: [{ route: 1000 }],
            },
        });
        expect(sim.getRoute(1000)?.gateway).toBe("203.0.113.10:5060");
        sim.detachDids(["2015551234"]);
        expect((await remove([1000])).status).toBe(409);
        sim.detachDids(["2015551235"]);
        expect((await remove([1000])).status).toBe(200);
        expect(sim.listDids()).toEqual([
            { number: "2015551234", route: 4 },
            { number: "2015551235", route: 4 },
        ]);
    });

    it("removes the free routes of a partially failed batch", async () => {
        sim.attachDids(1000, ["2015551234"]);
        expect((await remove([1000, 1001])).body).toEqual({
            statusCode: "409",
            status: "Error",
            message: VOICETEL_MESSAGES.removeConflict,
            removed_success: [{ route: 1001 }],
            removed_failed: [{ route: 1000 }],
        });
        expect(sim.getRoute(1001)).toBeUndefined();
        expect(sim.getRoute(1000)).toBeDefined();
    });

    it("puts unknown, system, reserved and repeated routes in removed_failed", async () => {
        expect((await remove([1001, 1001, 4242, 4, 7])).body).toEqual({
            statusCode: "409",
            status: "Error",
            message: VOICETEL_MESSAGES.removeConflict,
            removed_success: [{ route: 1001 }],
            removed_failed: [{ route: 1001 }, { route: 4242 }, { route: 4 }, { route: 7 }],
        });
        expect(sim.listRoutes().filter((route) => route.system)).toHaveLength(7);
    });

    it.each<[string, Record<string, unknown>, string]>([
        ["the older spec's gateways key instead of routes", { gateways: [{ route: 1000 }] }, "Field Required: routes"],
        ["a route id sent as a string", { routes: [{ route: "1000" }] }, "Invalid Field: route"],
        ["an item without route", { routes: [{ id: 1000 }] }, "Field Required: route"],
    ])("answers 400 to %s and removes nothing", async (_label, body, message) => {
        expect(await call(REMOVE, body)).toMatchObject({ status: 400, body: error(400, message) });
        expect(sim.listRoutes()).toHaveLength(9);
    });
});

describe("numbers/list", () => {
    beforeEach(() => {
        sim.addRoute("203.0.113.10:5060");
        sim.attachDids(1000, ["2015551234"]);
        sim.attachDids(4, ["3125550199"]);
        sim.attachDids(2, ["2015550000"]);
    });

    it("lists every DID with string number, string route and the gateway address or system name", async () => {
        expect(await call(NUMBERS_LIST, {})).toMatchObject({
            status: 200,
            body: {
                statusCode: "200",
                status: "Success",
                numbers: [
                    { number: "2015550000", route: "2", ip: "T30" },
                    { number: "2015551234", route: "1000", ip: "203.0.113.10:5060" },
                    { number: "3125550199", route: "4", ip: "DID" },
                ],
            },
        });
    });

    it("filters by route and by partial number", async () => {
        expect((await call(NUMBERS_LIST, { route: 1000 })).body).toEqual({
            statusCode: "200",
            status: "Success",
            numbers: [{ number: "2015551234", route: "1000", ip: "203.0.113.10:5060" }],
        });
        expect((await call(NUMBERS_LIST, { number: 201555 })).body).toMatchObject({
            numbers: [{ number: "2015550000" }, { number: "2015551234" }],
        });
    });

    it("answers 404 with the error in numbers (no message) when nothing matches", async () => {
        const notFound = { status: 404, body: { statusCode: "404", status: "Error", numbers: "Not Found" } };
        expect(await call(NUMBERS_LIST, { route: 1001 })).toMatchObject(notFound);
        expect(await call(NUMBERS_LIST, {}, { bearer: OTHER_KEY })).toMatchObject({ status: 200 });
        sim.removeDids(["2015551234", "3125550199", "2015550000"]);
        const reply = await call(NUMBERS_LIST, {});
        expect(reply.body).toEqual(notFound.body);
    });

    it("answers 400 to filters of the wrong type", async () => {
        expect(await call(NUMBERS_LIST, { route: "1000" })).toMatchObject({
            status: 400,
            body: error(400, "Invalid Field: route"),
        });
        expect((await call(NUMBERS_LIST, { number: "201" })).body).toEqual(error(400, "Invalid Field: number"));
    });
});

describe("out-of-band store", () => {
    it("lists and gets system routes, never route 7", () => {
        expect(sim.listRoutes()).toEqual(
            SYSTEM_ROWS.map((row) => ({ route: Number(row.route), gateway: row.gateway, system: true })),
        );
        expect(sim.getRoute(4)).toEqual({ route: 4, gateway: "DID", system: true });
        expect(sim.getRoute(7)).toBeUndefined();
        expect(sim.getRoute(1000)).toBeUndefined();
    });

    it("shares the id counter and the store with the API", async () => {
        expect(sim.addRoute("203.0.113.10:5060")).toBe(1000);
        expect((await add(["203.0.113.11:5060"])).body).toMatchObject({
            gateways: [
                { route: "1000", IP: "203.0.113.10:5060" },
                { route: "1001", IP: "203.0.113.11:5060" },
            ],
        });
        sim.setRouteHost(1001, "sip.example.com:5070");
        sim.deleteRoute(1000);
        expect((await list()).body).toEqual(listBody([{ route: "1001", gateway: "sip.example.com:5070" }]));
    });

    it("refuses what the API would refuse", () => {
        sim.addRoute("203.0.113.10:5060");
        sim.attachDids(1000, ["2015551234"]);
        expect(() => sim.addRoute("10.0.0.1")).toThrow(/would refuse/);
        expect(() => sim.addRoute("203.0.113.10:5060")).toThrow(/would refuse/);
        expect(() => {
            sim.setRouteHost(1000, "lan.example.com");
        }).toThrow(/would refuse/);
        expect(() => {
            sim.setRouteHost(4, "203.0.113.20");
        }).toThrow(/not a user gateway/);
        expect(() => {
            sim.deleteRoute(4);
        }).toThrow(/not a user gateway/);
        expect(() => {
            sim.deleteRoute(1000);
        }).toThrow(/still has DIDs/);
        expect(() => {
            sim.attachDids(7, ["2015550000"]);
        }).toThrow(/does not exist/);
        expect(() => {
            sim.attachDids(1000, ["201555"]);
        }).toThrow(/10-digit/);
        expect(() => {
            sim.detachDids(["2015559999"]);
        }).toThrow(/not on the account/);
        expect(() => {
            sim.removeDids(["2015559999"]);
        }).toThrow(/not on the account/);
        expect(sim.listRoutes()).toHaveLength(8);
        expect(sim.listDids()).toEqual([{ number: "2015551234", route: 1000 }]);
    });

    it("hands out copies, not the store itself", () => {
        sim.addRoute("203.0.113.10:5060");
        const route = sim.getRoute(1000)!;
        route.gateway = "8.8.8.8";
        sim.listRoutes()[7]!.gateway = "8.8.8.8";
        expect(sim.getRoute(1000)?.gateway).toBe("203.0.113.10:5060");
    });

    it("reaches other accounts by number and restores the seed on reset", async () => {
        const other = sim.accountByNumber(2222222222);
        expect(other.listDids()).toEqual([{ number: "3125550100", route: 1000 }]);
        other.detachDids(["3125550100"]);
        expect((await remove([1000], { bearer: OTHER_KEY })).status).toBe(200);
        sim.reset();
        expect(other.getRoute(1000)).toEqual({ route: 1000, gateway: "198.51.100.99:5060", system: false });
        expect(other.listDids()).toEqual([{ number: "3125550100", route: 1000 }]);
        expect(() => sim.accountByNumber(42)).toThrow(/no account 42/);
    });

    it("validates its options", () => {
        expect(() => new VoiceTelSimulator({ apiKey: KEY, firstRouteId: 8 })).toThrow(/firstRouteId/);
        expect(() => new VoiceTelSimulator({ apiKey: KEY, hosts: { "a.example.com": "example" } })).toThrow(/IPv4/);
        expect(() => new VoiceTelSimulator({ apiKey: KEY, gateways: ["10.0.0.1"] })).toThrow(/would refuse/);
        expect(
            () => new VoiceTelSimulator({ apiKey: KEY, otherAccounts: [{ apiKey: KEY, accountNumber: 1 }] }),
        ).toThrow(/unique/);
    });
});

describe("options", () => {
    it("allowDuplicateGateways lets add store the same address twice", async () => {
        await withSimulator({ allowDuplicateGateways: true }, async (other) => {
            expect((await add(["203.0.113.10:5060", "203.0.113.10:5060"], { simulator: other })).body).toEqual({
                statusCode: "200",
                status: "Success",
                message: "Gateways Entered",
                gateways: [
                    { route: "1000", IP: "203.0.113.10:5060" },
                    { route: "1001", IP: "203.0.113.10:5060" },
                ],
            });
        });
    });

    it("normalizeDefaultPort stores :5060 and then sees the explicit form as a duplicate", async () => {
        await withSimulator({ normalizeDefaultPort: true }, async (other) => {
            expect((await add(["203.0.113.10"], { simulator: other })).body).toMatchObject({
                gateways: [{ route: "1000", IP: "203.0.113.10:5060" }],
            });
            expect((await add(["203.0.113.10:5060"], { simulator: other })).status).toBe(409);
            expect(
                (await update([{ route: 1000, gateway: "sip.example.com" }], { simulator: other })).body,
            ).toMatchObject({
                gateways: [{ gateway: "sip.example.com:5060", route: 1000 }],
            });
        });
    });

    it("allowTestNets: false refuses the spec's own example addresses", async () => {
        await withSimulator({ allowTestNets: false }, async (other) => {
            expect(
                (await add(["203.0.113.10:5060", "sip.example.com", "8.8.8.8"], { simulator: other })).body,
            ).toMatchObject({
                added_success: ["8.8.8.8"],
                added_failed: ["203.0.113.10:5060", "sip.example.com"],
            });
        });
    });

    it("firstRouteId and seeded gateways and DIDs", async () => {
        const seeded = {
            firstRouteId: 20000,
            gateways: ["203.0.113.10:5060", "sip.example.com"],
            dids: [{ number: "2015551234", route: 20001 }, { number: "2015551235" }],
        };
        await withSimulator(seeded, async (other) => {
            expect((await list({ simulator: other })).body).toEqual(
                listBody([
                    { route: "20000", gateway: "203.0.113.10:5060" },
                    { route: "20001", gateway: "sip.example.com" },
                ]),
            );
            expect(other.listDids()).toEqual([
                { number: "2015551234", route: 20001 },
                { number: "2015551235", route: 4 },
            ]);
            expect((await remove([20001], { simulator: other })).status).toBe(409);
        });
    });
});

describe("fault injection", () => {
    it("an after fault commits the add although the client sees a 500", async () => {
        sim.server.injectFaults({
            fault: { kind: "status", status: 500, body: { message: "Internal Server Error" } },
            times: 1,
            path: /\/gateways\/add\/?$/,
            when: "after",
        });
        expect(await add(["203.0.113.10:5060"])).toMatchObject({
            status: 500,
            body: { message: "Internal Server Error" },
        });
        expect(sim.getRoute(1000)).toEqual({ route: 1000, gateway: "203.0.113.10:5060", system: false });
        expect(sim.server.requests.at(-1)).toMatchObject({ outcome: 500, faulted: true, reachedVendor: true });
        // The retry the client would naturally make is now refused as a duplicate.
        expect((await add(["203.0.113.10:5060"])).body).toMatchObject({ added_failed: ["203.0.113.10:5060"] });
    });

    it("a before fault commits nothing", async () => {
        sim.server.injectFaults({ fault: { kind: "status", status: 503 }, times: 1, path: /gateways\/add/ });
        expect((await add(["203.0.113.10:5060"])).status).toBe(503);
        expect(sim.getRoute(1000)).toBeUndefined();
        expect(sim.server.requests.at(-1)).toMatchObject({ outcome: 503, faulted: true, reachedVendor: false });
        expect(sim.server.pendingFaults()).toBe(0);
    });
});

describe("schema walker", () => {
    const listSchema = { $ref: "#/components/schemas/gatewaysListResponse" };
    const validate = (schema: unknown, value: unknown) =>
        validateSchema(schema, value, { document: GATEWAYS_DOCUMENT, closed: true });

    it("understands every keyword of the documents", () => {
        expect([...unsupportedKeywords(GATEWAYS_DOCUMENT), ...unsupportedKeywords(SUPPLEMENT)]).toEqual([]);
        expect(Object.keys(GATEWAYS_DOCUMENT.paths).sort()).toEqual([ADD, LIST, REMOVE, UPDATE]);
    });

    it("accepts a conforming body and reports each kind of violation", () => {
        expect(
            validate(listSchema, {
                statusCode: "200",
                status: "Success",
                gateways: [{ route: "1", gateway: "USER" }],
            }),
        ).toEqual([]);
        const wrong = { statusCode: 200, status: "Success", gateways: [{ route: 1 }], message: "x" };
        expect(validate(listSchema, wrong)).toEqual([
            "$.statusCode: expected string, got number",
            "$.gateways[0].gateway: required",
            "$.gateways[0].route: expected string, got number",
            "$.message: not declared",
        ]);
        expect(validate(listSchema, { status: "Success" })).toEqual(["$.statusCode: required", "$.gateways: required"]);
    });

    it("checks enums, integers and type lists", () => {
        const addConflict = { $ref: "#/components/schemas/gatewaysAddConflictResponse" };
        const body = {
            statusCode: "409",
            status: "Error",
            message: "At least one gateway could not be added.",
            added_success: [],
            added_failed: [],
        };
        expect(validate(addConflict, body)).toEqual([
            '$.message: "At least one gateway could not be added." is not one of At least one one gateway could not be added.',
        ]);
        const removed = { $ref: "#/components/schemas/gatewayRemovedEntry" };
        expect(validate(removed, { route: 1000.5 })).toEqual(["$.route: expected integer, got number"]);
        const arrayOrNull = { type: "object", properties: { numbers_success: { type: ["array", "null"] } } };
        expect(validate(arrayOrNull, { numbers_success: null })).toEqual([]);
        expect(validate(arrayOrNull, { numbers_success: "none" })).toEqual([
            "$.numbers_success: expected array|null, got string",
        ]);
    });

    it("reports keywords it does not understand, and throws on a dangling $ref", () => {
        expect(validate({ type: "string", pattern: "x" }, "x")).toEqual(["$: unsupported keyword 'pattern'"]);
        expect(() => validate({ $ref: "#/components/schemas/nope" }, {})).toThrow(/dangling/);
    });
});

// Must stay last: it checks the answers recorded by every test above.
describe("OpenAPI conformance of every recorded answer", () => {
    const normalize = (path: string) => (path.endsWith("/") ? path : `${path}/`);
    const errorSchema = { $ref: "#/components/schemas/errorResponse" };
    const conforms = (document: ResponseDocument, schema: unknown, body: unknown) =>
        validateSchema(schema, body, { document, closed: true });

    function problems(entry: Recorded): string[] {
        const where = `${entry.method} ${entry.path} → ${entry.status}`;
        if (entry.contentType !== "application/json") return [`${where}: content-type ${String(entry.contentType)}`];
        const statusCode =
            typeof entry.body === "object" ? (entry.body as { statusCode?: unknown } | null)?.statusCode : undefined;
        const found: string[] =
            statusCode === String(entry.status) ? [] : [`${where}: statusCode ${String(statusCode)}`];
        for (const doc of [GATEWAYS_DOCUMENT, SUPPLEMENT] as ResponseDocument[]) {
            const operation = doc.paths[normalize(entry.path)]?.post;
            if (operation === undefined) continue;
            const response = operation.responses[String(entry.status)];
            const schema = response?.content?.["application/json"]?.schema;
            if (schema !== undefined)
                return [...found, ...conforms(doc, schema, entry.body).map((e) => `${where}: ${e}`)];
            // An operation's undocumented status may only be the simulator's 405.
            if (entry.status !== 405) return [...found, `${where}: status not documented`];
        }
        if (![400, 401, 404, 405].includes(entry.status)) found.push(`${where}: unexpected undocumented status`);
        return [...found, ...conforms(GATEWAYS_DOCUMENT, errorSchema, entry.body).map((e) => `${where}: ${e}`)];
    }

    it("every simulator answer matches the response schema of its path and status", () => {
        const answers = recorded.filter((entry) => !entry.faulted);
        expect(answers.length).toBeGreaterThan(100);
        expect(answers.flatMap(problems)).toEqual([]);
    });

    it("the tests received every documented status of every endpoint", () => {
        const seen = new Set(
            recorded.filter((entry) => !entry.faulted).map((entry) => `${normalize(entry.path)} ${entry.status}`),
        );
        const documented = [GATEWAYS_DOCUMENT, SUPPLEMENT].flatMap((doc) =>
            Object.entries(doc.paths).flatMap(([path, item]) =>
                Object.keys(item.post?.responses ?? {}).map((status) => `${path} ${status}`),
            ),
        );
        expect(documented).toHaveLength(19);
        expect(documented.filter((key) => !seen.has(key))).toEqual([]);
    });

    it("catches a wrong answer (the check can fail)", () => {
        const wrong: Recorded = {
            method: "POST",
            path: LIST,
            status: 200,
            contentType: "application/json",
            body: { statusCode: "200", status: "Success", gateways: [{ route: 1, gateway: "USER" }] },
            faulted: false,
        };
        expect(problems(wrong)).toEqual([
            "POST /v2.1/gateways/list/ → 200: $.gateways[0].route: expected string, got number",
        ]);
        expect(problems({ ...wrong, status: 418, body: error(418, "teapot") })).toEqual([
            "POST /v2.1/gateways/list/ → 418: status not documented",
        ]);
    });
});
