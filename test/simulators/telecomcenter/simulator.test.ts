import { MEDIA_TYPE, TelecomCenterSimulator, type JsonApiError } from "./index";

const USER = "operator-user";
// A colon in the password checks that only the first colon of the decoded credentials separates the two.
const PASS = "s3cret:with-colon";
const GW = "/api/rest/public/operator/termination_gateways";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Resource {
    id: string;
    type: string;
    links: { self: string };
    attributes?: Record<string, unknown>;
    relationships?: Record<string, unknown>;
}
interface SingleDoc {
    data: Resource;
    included?: Resource[];
}
interface ListDoc {
    data: Resource[];
    included?: Resource[];
    meta: { record_count: number };
    links: Record<string, string>;
}
interface ErrorDoc {
    errors: JsonApiError[];
}
interface Reply {
    status: number;
    headers: Headers;
    text: string;
    json: unknown;
}

function basic(user: string, password: string): string {
    return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

let sim: TelecomCenterSimulator;
let base: string;

async function call(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; rawBody?: string | Uint8Array } = {},
): Promise<Reply> {
    // Like the vendor's examples: Basic auth and the JSON:API Content-Type on every request.
    const headers: Record<string, string> = {
        Authorization: basic(USER, PASS),
        "Content-Type": MEDIA_TYPE,
        ...options.headers,
    };
    for (const [name, value] of Object.entries(headers)) if (value === "") Reflect.deleteProperty(headers, name);
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${base}${path}`, { method, headers, body });
    const text = await response.text();
    return {
        status: response.status,
        headers: response.headers,
        text,
        json: text === "" ? undefined : JSON.parse(text),
    };
}

function gatewayBody(attributes: Record<string, unknown>, customerId = "cust-1", id?: string): unknown {
    return {
        data: {
            ...(id === undefined ? {} : { id }),
            type: "termination_gateways",
            attributes,
            relationships: { customer: { data: { type: "customers", id: customerId } } },
        },
    };
}

async function createGateway(attributes: Record<string, unknown>, customerId = "cust-1"): Promise<string> {
    const reply = await call("POST", GW, { body: gatewayBody(attributes, customerId) });
    expect(reply.status).toBe(201);
    return (reply.json as SingleDoc).data.id;
}

const DEFAULTS = {
    operator: true,
    port: null,
    src_rewrite_rule: null,
    src_rewrite_result: null,
    dst_rewrite_rule: null,
    dst_rewrite_result: null,
    authorization_name: null,
    authorization_password: null,
    codecs: ["PCMU", "PCMA", "telephone-event/8000"],
    network_protocol: "IPv4_only",
};

function resource(id: string, attributes: Record<string, unknown>): Resource {
    return {
        id,
        type: "termination_gateways",
        links: { self: `${base}${GW}/${id}` },
        attributes: { ...DEFAULTS, ...attributes },
    };
}

function jr(status: number, code: string, title: string, detail: string, pointer?: string): JsonApiError {
    return { title, detail, code, ...(pointer === undefined ? {} : { source: { pointer } }), status: String(status) };
}

function validation(field: string, message: string, relationship = false): JsonApiError {
    const pointer = relationship ? `/data/relationships/${field}` : `/data/attributes/${field}`;
    return jr(422, "100", message, `${field} - ${message}`, pointer);
}

beforeEach(async () => {
    sim = new TelecomCenterSimulator({ username: USER, password: PASS });
    sim.addCustomer("cust-1", "Acme");
    sim.addCustomer("cust-2", "Globex");
    base = await sim.start();
});

afterEach(async () => {
    await sim.stop();
});

describe("authentication", () => {
    it("answers 401 with the JR error body and WWW-Authenticate when credentials are missing", async () => {
        const reply = await call("GET", GW, { headers: { Authorization: "" } });
        expect(reply.status).toBe(401);
        expect(reply.headers.get("www-authenticate")).toBe('Basic realm="Operator API"');
        expect(reply.headers.get("content-type")).toBe(MEDIA_TYPE);
        expect(reply.json).toEqual({
            errors: [{ title: "Unauthorized", detail: "Invalid credentials", code: "401", status: "401" }],
        });
    });

    it("rejects a wrong password and a non-Basic scheme, accepts a lower-case scheme", async () => {
        expect((await call("GET", GW, { headers: { Authorization: basic(USER, "nope") } })).status).toBe(401);
        expect((await call("GET", GW, { headers: { Authorization: "Bearer abc" } })).status).toBe(401);
        const lower = `basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;
        expect((await call("GET", GW, { headers: { Authorization: lower } })).status).toBe(200);
    });

    it("does not create anything for an unauthenticated POST", async () => {
        const reply = await call("POST", GW, {
            body: gatewayBody({ name: "a", host: "h" }),
            headers: { Authorization: "" },
        });
        expect(reply.status).toBe(401);
        expect(sim.gateways()).toEqual([]);
    });

    it("answers 404 for unknown routes and methods, before authentication", async () => {
        const unknown = await call("GET", "/api/rest/public/operator/nope", { headers: { Authorization: "" } });
        expect(unknown.status).toBe(404);
        expect((await call("PUT", `${GW}/x`, { body: {} })).status).toBe(404);
        expect((await call("GET", `${GW}/`)).status).toBe(404);
    });
});

describe("media types", () => {
    it.each([
        ["application/json", "application/json"],
        ["application/vnd.api+json; charset=utf-8", "application/vnd.api+json; charset=utf-8"],
    ])("answers 415 to a POST with Content-Type %s", async (contentType, echoed) => {
        const reply = await call("POST", GW, {
            body: gatewayBody({ name: "a", host: "h" }),
            headers: { "Content-Type": contentType },
        });
        expect(reply.status).toBe(415);
        expect(reply.headers.get("content-type")).toBe(MEDIA_TYPE);
        expect(reply.json).toEqual({
            errors: [
                jr(
                    415,
                    "415",
                    "Unsupported media type",
                    `All requests that create or update must use the 'application/vnd.api+json' Content-Type. This request specified '${echoed}'.`,
                ),
            ],
        });
        expect(sim.gateways()).toEqual([]);
    });

    it("answers 415 to a POST without Content-Type and to a PATCH with a charset", async () => {
        const noType = await call("POST", GW, {
            rawBody: new TextEncoder().encode(JSON.stringify(gatewayBody({ name: "a", host: "h" }))),
            headers: { "Content-Type": "" },
        });
        expect(noType.status).toBe(415);
        expect((noType.json as ErrorDoc).errors[0]?.detail).toContain("This request specified ''.");
        const id = await createGateway({ name: "a", host: "h" });
        const patch = await call("PATCH", `${GW}/${id}`, {
            body: { data: { id, type: "termination_gateways", attributes: { name: "b" } } },
            headers: { "Content-Type": "application/vnd.api+json;charset=UTF-8" },
        });
        expect(patch.status).toBe(415);
        expect(sim.getGateway(id)?.name).toBe("a");
    });

    it("does not check Content-Type on GET and DELETE", async () => {
        const id = await createGateway({ name: "a", host: "h" });
        expect((await call("GET", GW, { headers: { "Content-Type": "" } })).status).toBe(200);
        expect((await call("GET", `${GW}/${id}`, { headers: { "Content-Type": "text/plain" } })).status).toBe(200);
        expect((await call("DELETE", `${GW}/${id}`, { headers: { "Content-Type": "" } })).status).toBe(204);
    });

    it("answers 406 when Accept names the JSON:API type only with parameters, or only another type", async () => {
        const withParams = await call("GET", GW, { headers: { Accept: "application/vnd.api+json; charset=utf-8" } });
        expect(withParams.status).toBe(406);
        expect(withParams.json).toEqual({
            errors: [
                jr(
                    406,
                    "406",
                    "Not acceptable",
                    "All requests must use the 'application/vnd.api+json' Accept without media type parameters. This request specified 'application/vnd.api+json; charset=utf-8'.",
                ),
            ],
        });
        expect((await call("GET", GW, { headers: { Accept: "application/json" } })).status).toBe(406);
    });

    it("accepts the bare JSON:API type, */* and a list holding either", async () => {
        for (const accept of [
            MEDIA_TYPE,
            "*/*",
            "application/json, text/plain, */*",
            "application/vnd.api+json; ext=bulk, application/vnd.api+json",
        ]) {
            expect((await call("GET", GW, { headers: { Accept: accept } })).status).toBe(200);
        }
    });

    it("checks Content-Type before Accept, as JR does", async () => {
        const reply = await call("POST", GW, {
            body: gatewayBody({ name: "a", host: "h" }),
            headers: { "Content-Type": "application/json", Accept: "application/json" },
        });
        expect(reply.status).toBe(415);
    });
});

describe("create", () => {
    it("answers 201 with the documented full representation for a minimal gateway", async () => {
        const reply = await call("POST", GW, { body: gatewayBody({ name: "Gateway", host: "testing.api.com" }) });
        expect(reply.status).toBe(201);
        expect(reply.headers.get("content-type")).toBe(MEDIA_TYPE);
        const doc = reply.json as SingleDoc;
        expect(doc.data.id).toMatch(UUID_V4);
        expect(doc).toEqual({ data: resource(doc.data.id, { name: "Gateway", host: "testing.api.com" }) });
        expect(Object.keys(doc.data)).toEqual(["id", "type", "links", "attributes"]);
        expect(sim.gateways()).toEqual([
            {
                id: doc.data.id,
                customer_id: "cust-1",
                name: "Gateway",
                host: "testing.api.com",
                ...DEFAULTS,
            },
        ]);
    });

    it("stores and echoes every writable attribute", async () => {
        const attributes = {
            name: "acme-out",
            host: "sip.carrier.example",
            port: 5080,
            src_rewrite_rule: "^00",
            src_rewrite_result: "+",
            dst_rewrite_rule: "^0",
            dst_rewrite_result: "44",
            authorization_name: "acme",
            authorization_password: "pw",
            codecs: ["g729", "OPUS"],
            network_protocol: "Dualstack",
        };
        const reply = await call("POST", GW, { body: gatewayBody(attributes, "cust-2") });
        expect(reply.status).toBe(201);
        const id = (reply.json as SingleDoc).data.id;
        expect(reply.json).toEqual({ data: resource(id, attributes) });
        expect(sim.getGateway(id)).toEqual({ id, customer_id: "cust-2", operator: true, ...attributes });
    });

    it("gives each gateway a distinct UUID v4", async () => {
        const first = await createGateway({ name: "a", host: "h" });
        const second = await createGateway({ name: "a", host: "h" });
        expect(second).toMatch(UUID_V4);
        expect(second).not.toBe(first);
    });

    it("adds the customer linkage and included customer with include=customer", async () => {
        const reply = await call("POST", `${GW}?include=customer`, { body: gatewayBody({ name: "a", host: "h" }) });
        expect(reply.status).toBe(201);
        const id = (reply.json as SingleDoc).data.id;
        expect(reply.json).toEqual({
            data: {
                ...resource(id, { name: "a", host: "h" }),
                relationships: { customer: { data: { type: "customers", id: "cust-1" } } },
            },
            included: [
                {
                    id: "cust-1",
                    type: "customers",
                    links: { self: `${base}/api/rest/public/operator/customers/cust-1` },
                    attributes: { name: "Acme", language: "EN", capacity_limit: null, sip_account_limit: null },
                },
            ],
        });
    });

    it("answers 422 listing the customer, name and host when all are missing", async () => {
        const reply = await call("POST", GW, { body: { data: { type: "termination_gateways", attributes: {} } } });
        expect(reply.status).toBe(422);
        expect(reply.json).toEqual({
            errors: [
                validation("customer", "must exist", true),
                validation("name", "can't be blank"),
                validation("host", "can't be blank"),
            ],
        });
    });

    it("answers 422 with the relationship pointer for a customer that does not exist", async () => {
        const reply = await call("POST", GW, { body: gatewayBody({ name: "a", host: "h" }, "cust-404") });
        expect(reply.status).toBe(422);
        expect(reply.json).toEqual({ errors: [validation("customer", "must exist", true)] });
        expect(sim.gateways()).toEqual([]);
    });

    it.each<[string, Record<string, unknown>, string, string]>([
        ["port 0", { port: 0 }, "port", "must be greater than or equal to 1"],
        ["port 65536", { port: 65536 }, "port", "must be less than or equal to 65535"],
        ["port as a string", { port: "5060" }, "port", "is not a number"],
        ["fractional port", { port: 5060.5 }, "port", "must be an integer"],
        ["empty codecs", { codecs: [] }, "codecs", "can't be blank"],
        ["null codecs", { codecs: null }, "codecs", "can't be blank"],
        ["codecs not an array", { codecs: "PCMU" }, "codecs", "must be an array"],
        ["wrong-case codec", { codecs: ["G729"] }, "codecs", "is not included in the list"],
        ["undocumented codec spelling", { codecs: ["telephone-event"] }, "codecs", "is not included in the list"],
        ["duplicate codecs", { codecs: ["PCMU", "PCMU"] }, "codecs", "contains duplicate values"],
        ["unknown protocol", { network_protocol: "ipv4_only" }, "network_protocol", "is not included in the list"],
        ["blank name", { name: "   " }, "name", "can't be blank"],
        ["numeric name", { name: 12 }, "name", "must be a string"],
        ["numeric auth name", { authorization_name: 5 }, "authorization_name", "must be a string"],
    ])("answers 422 for %s", async (_label, override, field, message) => {
        const reply = await call("POST", GW, { body: gatewayBody({ name: "a", host: "h", ...override }) });
        expect(reply.status).toBe(422);
        expect(reply.json).toEqual({ errors: [validation(field, message)] });
        expect(sim.gateways()).toEqual([]);
    });

    it("stores an explicit port 5060 as 5060 (only an omitted port reads back null)", async () => {
        const id = await createGateway({ name: "a", host: "h", port: 5060 });
        expect(sim.getGateway(id)?.port).toBe(5060);
    });

    const customer = { customer: { data: { type: "customers", id: "cust-1" } } };
    it.each<[string, unknown, JsonApiError]>([
        [
            "the read-only operator attribute",
            { data: { type: "termination_gateways", attributes: { name: "a", host: "h", operator: true } } },
            jr(400, "105", "Param not allowed", "operator is not allowed."),
        ],
        [
            "an unknown attribute",
            { data: { type: "termination_gateways", attributes: { name: "a", host: "h", tech_prefix: "1" } } },
            jr(400, "105", "Param not allowed", "tech_prefix is not allowed."),
        ],
        [
            "a client-supplied id",
            gatewayBody({ name: "a", host: "h" }, "cust-1", "7d952482-1bff-4401-9d46-63126c9bc69d"),
            jr(400, "105", "Param not allowed", "id is not allowed."),
        ],
        [
            "an unknown relationship",
            {
                data: {
                    type: "termination_gateways",
                    attributes: { name: "a", host: "h" },
                    relationships: { routes: {} },
                },
            },
            jr(400, "105", "Param not allowed", "routes is not allowed."),
        ],
        [
            "a missing type",
            { data: { attributes: { name: "a", host: "h" }, relationships: customer } },
            jr(400, "106", "Missing Parameter", "The required parameter, type, is missing."),
        ],
        [
            "a wrong type",
            { data: { type: "gateways", attributes: { name: "a", host: "h" }, relationships: customer } },
            jr(400, "101", "Invalid resource", "gateways is not a valid resource."),
        ],
        [
            "a missing data member",
            { type: "termination_gateways" },
            jr(400, "106", "Missing Parameter", "The required parameter, data, is missing."),
        ],
        [
            "data that is not an object",
            { data: [{ type: "termination_gateways" }] },
            jr(400, "122", "Invalid data format", "Data must be a hash."),
        ],
        [
            "a customer linkage of the wrong type",
            {
                data: {
                    type: "termination_gateways",
                    attributes: { name: "a", host: "h" },
                    relationships: { customer: { data: { type: "accounts", id: "cust-1" } } },
                },
            },
            jr(400, "116", "Type Mismatch", "accounts is not a valid type for this operation."),
        ],
        [
            "a numeric customer id",
            {
                data: {
                    type: "termination_gateways",
                    attributes: { name: "a", host: "h" },
                    relationships: { customer: { data: { type: "customers", id: 1 } } },
                },
            },
            jr(400, "115", "Invalid Links Object", "Data is not a valid Links Object."),
        ],
        ["a body that is not an object", [], jr(400, "400", "Bad Request", "Request must be a hash")],
    ])("answers 400 for %s", async (_label, body, error) => {
        const reply = await call("POST", GW, { body });
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual({ errors: [error] });
        expect(sim.gateways()).toEqual([]);
    });

    it("answers 400 Bad Request for malformed JSON", async () => {
        const reply = await call("POST", GW, { rawBody: '{"data": ' });
        expect(reply.status).toBe(400);
        const [error, ...rest] = (reply.json as ErrorDoc).errors;
        expect(rest).toEqual([]);
        expect(error).toEqual({ title: "Bad Request", detail: expect.any(String), code: "400", status: "400" });
    });

    it("reports a bad include together with a later body error, and creates nothing", async () => {
        const reply = await call("POST", `${GW}?include=routes`, {
            body: { data: { type: "gateways", attributes: { name: "a", host: "h" } } },
        });
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual({
            errors: [
                jr(
                    400,
                    "112",
                    "Invalid field",
                    "routes is not a valid includable relationship of termination_gateways",
                ),
                jr(400, "101", "Invalid resource", "gateways is not a valid resource."),
            ],
        });
        expect(sim.gateways()).toEqual([]);
    });
});

describe("read one", () => {
    it("answers 200 with the same representation as the create", async () => {
        const created = await call("POST", GW, { body: gatewayBody({ name: "a", host: "h", port: 5062 }) });
        const id = (created.json as SingleDoc).data.id;
        const reply = await call("GET", `${GW}/${id}`);
        expect(reply.status).toBe(200);
        expect(reply.headers.get("content-type")).toBe(MEDIA_TYPE);
        expect(reply.json).toEqual(created.json);
    });

    it("answers 404 with the JR body for an unknown id", async () => {
        const id = "7d952482-1bff-4401-9d46-63126c9bc69d";
        const reply = await call("GET", `${GW}/${id}`);
        expect(reply.status).toBe(404);
        expect(reply.json).toEqual({
            errors: [jr(404, "404", "Record not found", `The record identified by ${id} could not be found.`)],
        });
    });

    it("honours sparse fieldsets and rejects bad ones", async () => {
        const id = await createGateway({ name: "a", host: "h" });
        const sparse = await call("GET", `${GW}/${id}?fields[termination_gateways]=host,name`);
        expect(sparse.json).toEqual({
            data: {
                id,
                type: "termination_gateways",
                links: { self: `${base}${GW}/${id}` },
                attributes: { name: "a", host: "h" },
            },
        });
        const badField = await call("GET", `${GW}/${id}?fields[termination_gateways]=name,colour`);
        expect(badField.status).toBe(400);
        expect(badField.json).toEqual({
            errors: [jr(400, "104", "Invalid field", "colour is not a valid field for termination_gateways.")],
        });
        const badType = await call("GET", `${GW}/${id}?fields[gateways]=name`);
        expect(badType.json).toEqual({
            errors: [jr(400, "101", "Invalid resource", "gateways is not a valid resource.")],
        });
    });

    it("rejects query parameters that GET one does not take", async () => {
        const id = await createGateway({ name: "a", host: "h" });
        const reply = await call("GET", `${GW}/${id}?filter[name]=a`);
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual({ errors: [jr(400, "105", "Param not allowed", "filter[name] is not allowed.")] });
    });
});

describe("list", () => {
    it("returns data, meta.record_count and first/last links", async () => {
        const a = await createGateway({ name: "a", host: "h1" });
        const b = await createGateway({ name: "b", host: "h2" }, "cust-2");
        const reply = await call("GET", GW);
        expect(reply.status).toBe(200);
        const page = `${base}${GW}?page%5Bnumber%5D=1&page%5Bsize%5D=50`;
        expect(reply.json).toEqual({
            data: [resource(a, { name: "a", host: "h1" }), resource(b, { name: "b", host: "h2" })],
            meta: { record_count: 2 },
            links: { first: page, last: page },
        });
        expect(Object.keys(reply.json as ListDoc)).toEqual(["data", "meta", "links"]);
    });

    it("returns an empty page with last pointing at page 1 when nothing matches", async () => {
        const reply = await call("GET", `${GW}?filter[name]=none`);
        const page = `${base}${GW}?filter%5Bname%5D=none&page%5Bnumber%5D=1&page%5Bsize%5D=50`;
        expect(reply.json).toEqual({ data: [], meta: { record_count: 0 }, links: { first: page, last: page } });
    });

    it("filters exactly and case-sensitively, with commas meaning OR", async () => {
        const a = await createGateway({ name: "Alpha", host: "h1" });
        const b = await createGateway({ name: "beta", host: "h2" }, "cust-2");
        const c = await createGateway({ name: "gamma", host: "h1" }, "cust-2");
        const ids = async (query: string) =>
            ((await call("GET", `${GW}?${query}`)).json as ListDoc).data.map((item) => item.id);
        expect(await ids("filter[name]=Alpha")).toEqual([a]);
        expect(await ids("filter[name]=alpha")).toEqual([]);
        expect(await ids("filter[name]=Alph")).toEqual([]);
        expect(await ids("filter[name]=beta,Alpha")).toEqual([a, b]);
        expect(await ids("filter[customer.id]=cust-2")).toEqual([b, c]);
        expect(await ids(`filter[id]=${c}`)).toEqual([c]);
        expect(await ids("filter[host]=h1")).toEqual([a, c]);
        expect(await ids("filter[host]=h1&filter[customer.id]=cust-2")).toEqual([c]);
        expect(await ids("filter%5Bname%5D=beta")).toEqual([b]);
    });

    it("answers 400 code 102 for an unknown filter and 120 for a bare filter", async () => {
        const unknown = await call("GET", `${GW}?filter[port]=5060`);
        expect(unknown.status).toBe(400);
        expect(unknown.json).toEqual({ errors: [jr(400, "102", "Filter not allowed", "port is not allowed.")] });
        const bare = await call("GET", `${GW}?filter=name`);
        expect(bare.json).toEqual({
            errors: [jr(400, "120", "Invalid filters syntax", "name is not a valid syntax for filtering.")],
        });
    });

    it("answers 400 code 105 for an unknown query parameter", async () => {
        const reply = await call("GET", `${GW}?filters[name]=a`);
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual({ errors: [jr(400, "105", "Param not allowed", "filters[name] is not allowed.")] });
    });

    it("paginates with page[number]/page[size] and prev/next links that keep the filters", async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i += 1) ids.push(await createGateway({ name: "n", host: `h${i}` }));
        const reply = await call("GET", `${GW}?filter[name]=n&page[number]=2&page[size]=2`);
        const doc = reply.json as ListDoc;
        expect(doc.data.map((item) => item.id)).toEqual(ids.slice(2, 4));
        expect(doc.meta).toEqual({ record_count: 5 });
        const link = (n: number) => `${base}${GW}?filter%5Bname%5D=n&page%5Bnumber%5D=${n}&page%5Bsize%5D=2`;
        expect(doc.links).toEqual({ first: link(1), prev: link(1), next: link(3), last: link(3) });

        const last = (await call("GET", `${GW}?page[number]=3&page[size]=2`)).json as ListDoc;
        expect(last.data.map((item) => item.id)).toEqual(ids.slice(4));
        expect(Object.keys(last.links)).toEqual(["first", "prev", "last"]);

        const beyond = (await call("GET", `${GW}?page[number]=9&page[size]=2`)).json as ListDoc;
        expect(beyond.data).toEqual([]);
        expect(beyond.links.prev).toBe(`${base}${GW}?page%5Bnumber%5D=8&page%5Bsize%5D=2`);
        expect(beyond.links.next).toBeUndefined();
    });

    it("defaults to 50 per page", async () => {
        for (let i = 0; i < 51; i += 1) sim.createGateway("cust-1", { name: `g${i}`, host: "h" });
        const doc = (await call("GET", GW)).json as ListDoc;
        expect(doc.data).toHaveLength(50);
        expect(doc.meta.record_count).toBe(51);
        expect(doc.links.next).toBe(`${base}${GW}?page%5Bnumber%5D=2&page%5Bsize%5D=50`);
        expect(doc.links.last).toBe(`${base}${GW}?page%5Bnumber%5D=2&page%5Bsize%5D=50`);
        expect(((await call("GET", `${GW}?page[size]=100`)).json as ListDoc).data).toHaveLength(51);
    });

    it.each<[string, JsonApiError]>([
        ["page[size]=0", jr(400, "118", "Invalid page value", "0 is not a valid value for size page parameter.")],
        ["page[size]=101", jr(400, "118", "Invalid page value", "size exceeds maximum page size of 100.")],
        ["page[size]=ten", jr(400, "118", "Invalid page value", "ten is not a valid value for size page parameter.")],
        ["page[size]=-5", jr(400, "118", "Invalid page value", "-5 is not a valid value for size page parameter.")],
        ["page[number]=0", jr(400, "118", "Invalid page value", "0 is not a valid value for number page parameter.")],
        [
            "page[number]=1.5",
            jr(400, "118", "Invalid page value", "1.5 is not a valid value for number page parameter."),
        ],
        ["page[offset]=10", jr(400, "105", "Page parameter not allowed", "offset is not an allowed page parameter.")],
        ["page=2", jr(400, "117", "Invalid Page Object", "Invalid Page Object.")],
    ])("answers 400 for %s", async (query, error) => {
        const reply = await call("GET", `${GW}?${query}`);
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual({ errors: [error] });
    });

    it("honours the pageSizeMax option", async () => {
        await sim.stop();
        sim = new TelecomCenterSimulator({ username: USER, password: PASS, pageSizeMax: 10 });
        base = await sim.start();
        const tooBig = await call("GET", `${GW}?page[size]=11`);
        expect(tooBig.json).toEqual({
            errors: [jr(400, "118", "Invalid page value", "size exceeds maximum page size of 10.")],
        });
        expect(((await call("GET", GW)).json as ListDoc).links.first).toBe(
            `${base}${GW}?page%5Bnumber%5D=1&page%5Bsize%5D=10`,
        );
        expect(() => new TelecomCenterSimulator({ username: USER, password: PASS, pageSizeMax: 0 })).toThrow(
            "pageSizeMax must be a positive integer, got 0",
        );
    });

    it("sorts by id, name, host and port; nulls last ascending and first descending", async () => {
        const a = await createGateway({ name: "b", host: "h", port: 5070 });
        const b = await createGateway({ name: "a", host: "h" });
        const c = await createGateway({ name: "c", host: "h", port: 5060 });
        const d = await createGateway({ name: "a", host: "h", port: 5080 });
        const ids = async (sort: string) =>
            ((await call("GET", `${GW}?sort=${sort}`)).json as ListDoc).data.map((item) => item.id);
        expect(await ids("name")).toEqual([b, d, a, c]);
        expect(await ids("-name")).toEqual([c, a, b, d]);
        expect(await ids("port")).toEqual([c, a, d, b]);
        expect(await ids("-port")).toEqual([b, d, a, c]);
        expect(await ids("name,-port")).toEqual([b, d, a, c]);
        expect(await ids("name,port")).toEqual([d, b, a, c]);
        expect(await ids("id")).toEqual([a, b, c, d].sort());
    });

    it("answers 400 code 114 for an unsortable field", async () => {
        const reply = await call("GET", `${GW}?sort=-network_protocol`);
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual({
            errors: [
                jr(
                    400,
                    "114",
                    "Invalid sort criteria",
                    "network_protocol is not a valid sort criteria for termination_gateways",
                ),
            ],
        });
    });

    it("includes each customer once with include=customer and keeps include in the links", async () => {
        const a = await createGateway({ name: "a", host: "h" });
        const b = await createGateway({ name: "b", host: "h" }, "cust-2");
        const c = await createGateway({ name: "c", host: "h" });
        const reply = await call("GET", `${GW}?include=customer&fields[customers]=name`);
        const doc = reply.json as ListDoc;
        expect(doc.data.map((item) => item.relationships)).toEqual(
            ["cust-1", "cust-2", "cust-1"].map((id) => ({ customer: { data: { type: "customers", id } } })),
        );
        expect(doc.data.map((item) => item.id)).toEqual([a, b, c]);
        expect(doc.included).toEqual([
            {
                id: "cust-1",
                type: "customers",
                links: { self: `${base}/api/rest/public/operator/customers/cust-1` },
                attributes: { name: "Acme" },
            },
            {
                id: "cust-2",
                type: "customers",
                links: { self: `${base}/api/rest/public/operator/customers/cust-2` },
                attributes: { name: "Globex" },
            },
        ]);
        expect(doc.links.first).toBe(
            `${base}${GW}?fields%5Bcustomers%5D=name&include=customer&page%5Bnumber%5D=1&page%5Bsize%5D=50`,
        );
    });

    it("has no relationships member and no included without include (documented shape)", async () => {
        await createGateway({ name: "a", host: "h" });
        const doc = (await call("GET", GW)).json as ListDoc;
        expect(doc.data[0]?.relationships).toBeUndefined();
        expect(doc.included).toBeUndefined();
    });

    it("answers 400 code 112 for a bad include", async () => {
        const bad = await call("GET", `${GW}?include=gateway`);
        expect(bad.status).toBe(400);
        expect(bad.json).toEqual({
            errors: [
                jr(
                    400,
                    "112",
                    "Invalid field",
                    "gateway is not a valid includable relationship of termination_gateways",
                ),
            ],
        });
        const nested = await call("GET", `${GW}?include=customer.routes`);
        expect(nested.json).toEqual({
            errors: [jr(400, "112", "Invalid field", "routes is not a valid includable relationship of customers")],
        });
    });
});

describe("update", () => {
    it("applies a partial update, clears attributes set to null and answers 200 with the full resource", async () => {
        const id = await createGateway({
            name: "a",
            host: "h",
            port: 5060,
            authorization_name: "user",
            authorization_password: "pw",
            codecs: ["PCMA"],
        });
        const reply = await call("PATCH", `${GW}/${id}`, {
            body: {
                data: {
                    id,
                    type: "termination_gateways",
                    attributes: { host: "h2", authorization_name: null, port: null, codecs: ["OPUS", "PCMU"] },
                },
            },
        });
        expect(reply.status).toBe(200);
        expect(reply.headers.get("content-type")).toBe(MEDIA_TYPE);
        const expected = { name: "a", host: "h2", authorization_password: "pw", codecs: ["OPUS", "PCMU"] };
        expect(reply.json).toEqual({ data: resource(id, expected) });
        expect(sim.getGateway(id)).toEqual({ id, customer_id: "cust-1", ...DEFAULTS, ...expected });
    });

    it("accepts a PATCH without attributes and changes nothing", async () => {
        const id = await createGateway({ name: "a", host: "h" });
        const before = sim.getGateway(id);
        const reply = await call("PATCH", `${GW}/${id}`, { body: { data: { id, type: "termination_gateways" } } });
        expect(reply.status).toBe(200);
        expect(sim.getGateway(id)).toEqual(before);
    });

    it.each<[string, (id: string) => unknown, JsonApiError]>([
        [
            "a body id that differs from the URL",
            () => ({ data: { id: "other", type: "termination_gateways", attributes: { name: "x" } } }),
            jr(400, "110", "Key is not included in URL", "The URL does not support the key other"),
        ],
        [
            "a missing body id",
            () => ({ data: { type: "termination_gateways", attributes: { name: "x" } } }),
            jr(400, "109", "A key is required", "The resource object does not contain a key."),
        ],
        [
            "a missing type",
            (id) => ({ data: { id, attributes: { name: "x" } } }),
            jr(400, "106", "Missing Parameter", "The required parameter, type, is missing."),
        ],
        [
            "the customer relationship",
            (id) => ({
                data: {
                    id,
                    type: "termination_gateways",
                    relationships: { customer: { data: { type: "customers", id: "cust-2" } } },
                },
            }),
            jr(400, "105", "Param not allowed", "customer is not allowed."),
        ],
        [
            "the read-only operator attribute",
            (id) => ({ data: { id, type: "termination_gateways", attributes: { operator: false } } }),
            jr(400, "105", "Param not allowed", "operator is not allowed."),
        ],
    ])("answers 400 for %s and changes nothing", async (_label, body, error) => {
        const id = await createGateway({ name: "a", host: "h" });
        const reply = await call("PATCH", `${GW}/${id}`, { body: body(id) });
        expect(reply.status).toBe(400);
        expect(reply.json).toEqual({ errors: [error] });
        expect(sim.getGateway(id)).toEqual({ id, customer_id: "cust-1", ...DEFAULTS, name: "a", host: "h" });
    });

    it("answers 422 for values that fail validation, null name and null protocol included", async () => {
        const id = await createGateway({ name: "a", host: "h" });
        const reply = await call("PATCH", `${GW}/${id}`, {
            body: {
                data: { id, type: "termination_gateways", attributes: { name: null, port: 0, network_protocol: null } },
            },
        });
        expect(reply.status).toBe(422);
        expect(reply.json).toEqual({
            errors: [
                validation("name", "can't be blank"),
                validation("port", "must be greater than or equal to 1"),
                validation("network_protocol", "is not included in the list"),
            ],
        });
        expect(sim.getGateway(id)?.name).toBe("a");
    });

    it("answers 404 for an unknown id whose body matches the URL", async () => {
        const id = "0b6f7c1e-2f8a-4b7e-9c1d-5a3e2f1b0c9d";
        const reply = await call("PATCH", `${GW}/${id}`, {
            body: { data: { id, type: "termination_gateways", attributes: { name: "x" } } },
        });
        expect(reply.status).toBe(404);
        expect(reply.json).toEqual({
            errors: [jr(404, "404", "Record not found", `The record identified by ${id} could not be found.`)],
        });
    });
});

describe("delete", () => {
    it("answers 204 with an empty body and the JSON:API Content-Type, then 404", async () => {
        const id = await createGateway({ name: "a", host: "h" });
        const reply = await call("DELETE", `${GW}/${id}`);
        expect(reply.status).toBe(204);
        expect(reply.text).toBe("");
        expect(reply.headers.get("content-type")).toBe(MEDIA_TYPE);
        expect(sim.gateways()).toEqual([]);
        expect((await call("GET", `${GW}/${id}`)).status).toBe(404);
        const again = await call("DELETE", `${GW}/${id}`);
        expect(again.status).toBe(404);
        expect(again.json).toEqual({
            errors: [jr(404, "404", "Record not found", `The record identified by ${id} could not be found.`)],
        });
    });

    it("deletes the routes linked to the gateway and only those", async () => {
        const doomed = await createGateway({ name: "a", host: "h" });
        const kept = await createGateway({ name: "b", host: "h" });
        sim.addRoute("cust-1", doomed, "r1");
        const keptRoute = sim.addRoute("cust-1", kept, "r2");
        expect((await call("DELETE", `${GW}/${doomed}`)).status).toBe(204);
        expect(sim.routes()).toEqual([keptRoute]);
    });

    it("rejects query parameters on DELETE and deletes nothing", async () => {
        const id = await createGateway({ name: "a", host: "h" });
        const reply = await call("DELETE", `${GW}/${id}?include=customer`);
        expect(reply.json).toEqual({ errors: [jr(400, "105", "Param not allowed", "include is not allowed.")] });
        expect(sim.gateways()).toHaveLength(1);
    });
});

describe("maskPasswords", () => {
    it("answers authorization_password null everywhere while storing the real value", async () => {
        await sim.stop();
        sim = new TelecomCenterSimulator({ username: USER, password: PASS, maskPasswords: true });
        sim.addCustomer("cust-1");
        base = await sim.start();
        const created = await call("POST", GW, {
            body: gatewayBody({ name: "a", host: "h", authorization_name: "u", authorization_password: "pw" }),
        });
        const id = (created.json as SingleDoc).data.id;
        expect((created.json as SingleDoc).data.attributes?.authorization_password).toBeNull();
        expect((created.json as SingleDoc).data.attributes?.authorization_name).toBe("u");
        expect(sim.getGateway(id)?.authorization_password).toBe("pw");
        expect(
            ((await call("GET", `${GW}/${id}`)).json as SingleDoc).data.attributes?.authorization_password,
        ).toBeNull();
        expect(((await call("GET", GW)).json as ListDoc).data[0]?.attributes?.authorization_password).toBeNull();
        const patched = await call("PATCH", `${GW}/${id}`, {
            body: { data: { id, type: "termination_gateways", attributes: { authorization_password: "pw2" } } },
        });
        expect((patched.json as SingleDoc).data.attributes?.authorization_password).toBeNull();
        expect(sim.getGateway(id)?.authorization_password).toBe("pw2");
        sim.maskPasswords = false;
        expect(((await call("GET", `${GW}/${id}`)).json as SingleDoc).data.attributes?.authorization_password).toBe(
            "pw2",
        );
    });

    it("echoes the password by default (what the docs show)", async () => {
        const id = await createGateway({ name: "a", host: "h", authorization_password: "pw" });
        expect(((await call("GET", `${GW}/${id}`)).json as SingleDoc).data.attributes?.authorization_password).toBe(
            "pw",
        );
    });
});

describe("out-of-band store access", () => {
    it("creates a UI gateway with operator false that the API lists", async () => {
        const ui = sim.createGateway("cust-2", { name: "ui", host: "pbx.example", codecs: ["PCMA"] });
        expect(ui).toEqual({
            id: ui.id,
            customer_id: "cust-2",
            ...DEFAULTS,
            operator: false,
            name: "ui",
            host: "pbx.example",
            codecs: ["PCMA"],
        });
        expect(ui.id).toMatch(UUID_V4);
        const doc = (await call("GET", `${GW}?filter[customer.id]=cust-2`)).json as ListDoc;
        expect(doc.data).toEqual([
            resource(ui.id, { operator: false, name: "ui", host: "pbx.example", codecs: ["PCMA"] }),
        ]);
        expect(sim.createGateway("cust-1", { name: "staff", host: "h", operator: true }).operator).toBe(true);
    });

    it("shows an out-of-band edit (drift) and an out-of-band delete through the API", async () => {
        const id = await createGateway({ name: "a", host: "h", port: 5060 });
        const edited = sim.editGateway(id, { port: 5070, dst_rewrite_rule: "^1" });
        expect(edited.port).toBe(5070);
        const read = (await call("GET", `${GW}/${id}`)).json as SingleDoc;
        expect(read.data.attributes).toEqual({ ...DEFAULTS, name: "a", host: "h", port: 5070, dst_rewrite_rule: "^1" });
        sim.deleteGateway(id);
        expect((await call("GET", `${GW}/${id}`)).status).toBe(404);
    });

    it("returns copies, so that editing a returned record does not change the store", async () => {
        const id = await createGateway({ name: "a", host: "h" });
        const copy = sim.getGateway(id)!;
        copy.name = "changed";
        copy.codecs.push("GSM");
        expect(sim.getGateway(id)?.name).toBe("a");
        expect(sim.gateways()[0]?.codecs).toEqual(DEFAULTS.codecs);
        expect(sim.getGateway("missing")).toBeUndefined();
    });

    it("applies the API's validation to out-of-band writes and refuses unknown records", () => {
        const gateway = sim.createGateway("cust-1", { name: "a", host: "h" });
        expect(() => sim.editGateway(gateway.id, { port: 0 })).toThrow(
            "invalid gateway: port - must be greater than or equal to 1",
        );
        expect(() => sim.createGateway("cust-9", { name: "a", host: "h" })).toThrow("customer cust-9 does not exist");
        expect(() => sim.createGateway("cust-1", { name: "", host: "h" })).toThrow(
            "invalid gateway: name - can't be blank",
        );
        expect(() => sim.editGateway("missing", { name: "x" })).toThrow("gateway missing does not exist");
        expect(() => {
            sim.deleteGateway("missing");
        }).toThrow("gateway missing does not exist");
        expect(() => sim.addCustomer("cust-1")).toThrow("customer cust-1 already exists");
        expect(sim.getGateway(gateway.id)?.port).toBeNull();
    });

    it("cascades an out-of-band customer delete to its gateways and routes", () => {
        const gone = sim.createGateway("cust-1", { name: "a", host: "h" });
        const kept = sim.createGateway("cust-2", { name: "b", host: "h" });
        sim.addRoute("cust-1", gone.id);
        const keptRoute = sim.addRoute("cust-2", kept.id);
        sim.deleteCustomer("cust-1");
        expect(sim.gateways().map((gateway) => gateway.id)).toEqual([kept.id]);
        expect(sim.routes()).toEqual([keptRoute]);
    });
});

describe("fault injection", () => {
    it("commits a create behind an `after` fault although the client sees a 500", async () => {
        sim.server.injectFaults({ fault: { kind: "status", status: 500 }, method: "POST", when: "after", times: 1 });
        const reply = await call("POST", GW, { body: gatewayBody({ name: "ambiguous", host: "h" }) });
        expect(reply.status).toBe(500);
        expect(reply.text).toBe("");
        const stored = sim.gateways();
        expect(stored.map((gateway) => gateway.name)).toEqual(["ambiguous"]);
        expect(
            sim.server.requests.map((entry) => [entry.method, entry.outcome, entry.faulted, entry.reachedVendor]),
        ).toEqual([["POST", 500, true, true]]);
        const listed = (await call("GET", `${GW}?filter[name]=ambiguous`)).json as ListDoc;
        expect(listed.data.map((item) => item.id)).toEqual([stored[0]?.id]);
    });

    it("commits nothing behind a `before` fault", async () => {
        sim.server.injectFaults({ fault: { kind: "status", status: 503 }, method: "POST", times: 1 });
        expect((await call("POST", GW, { body: gatewayBody({ name: "a", host: "h" }) })).status).toBe(503);
        expect(sim.gateways()).toEqual([]);
        expect(sim.server.handledRequests({ method: "POST" })).toEqual([]);
    });
});
