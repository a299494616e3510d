import { setStackConfig } from "../../provider/core/config";
import { runtimeProvider } from "../../provider/core/delegate";
import { clearRegisteredSecrets } from "../../provider/core/redact";
import { resetSessions } from "../../provider/core/session";
import { resetPortSipRun } from "../../provider/vendors/portsip/run-state";
import { type Schema, validateSchema } from "../simulators/core/json-schema";
import type { RequestLogEntry } from "../simulators/core/server";
import { PortSipV22Simulator } from "../simulators/portsip-v22";
import {
    checkResponse,
    findOperation,
    loadPortSipOpenApi,
    type OpenApiDocument,
} from "../simulators/portsip-v22/openapi-check";

/**
 * The requests portsip:Trunk sends to a v16+/v22 PBX, and the simulator's answers to exactly those
 * requests, checked against PortSIP's own OpenAPI document (the providers/auth/info subset): every
 * operation exists, every query parameter is declared and in range, every JSON body satisfies the
 * request schema (treated as closed: an undeclared key would be a misspelt field), and every
 * answer satisfies the documented response.
 */

interface Parameter {
    name: string;
    in: string;
    schema?: Schema;
}

interface FullOperation {
    parameters?: Parameter[];
    requestBody?: { content?: Record<string, { schema?: Schema }> };
}

const ADMIN = "admin";
const PASSWORD = "canary-contract-pw-2Wd";
const sim = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: PASSWORD });
const provider = runtimeProvider("portsip:Trunk");
let doc: OpenApiDocument;

function operationOf(entry: RequestLogEntry): FullOperation | undefined {
    return findOperation(doc, entry.method, entry.path.replace(/^\/api/, "")) as FullOperation | undefined;
}

/** What is wrong with one request, per the document. */
function requestProblems(entry: RequestLogEntry): string[] {
    const where = `${entry.method} ${entry.path}`;
    const operation = operationOf(entry);
    if (operation === undefined) return [`${where}: no such operation in the document`];
    const problems: string[] = [];
    const declared = new Map(
        (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => [p.name, p.schema ?? {}]),
    );
    for (const [name, value] of new URLSearchParams(entry.query)) {
        const schema = declared.get(name);
        if (schema === undefined) {
            problems.push(`${where}: query parameter ${name} is not declared`);
            continue;
        }
        const typed = schema["type"] === "integer" ? Number(value) : value;
        problems.push(...validateSchema(schema, typed).map((error) => `${where} ?${name}: ${error}`));
    }
    const content = operation.requestBody?.content;
    if (content === undefined) {
        if (entry.rawBody !== "") problems.push(`${where}: the operation takes no body but one was sent`);
        return problems;
    }
    const mediaType = (entry.headers["content-type"] ?? "").split(";")[0]?.trim();
    const schema = content[mediaType ?? ""]?.schema;
    if (schema === undefined) return [...problems, `${where}: media type '${mediaType ?? ""}' is not documented`];
    problems.push(
        ...validateSchema(schema, JSON.parse(entry.rawBody), { closed: true }).map((error) => `${where}: ${error}`),
    );
    return problems;
}

async function bearer(): Promise<string> {
    const reply = await fetch(`${sim.baseUrl}/api/auth/sign_in`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: ADMIN, password: PASSWORD }),
    });
    return ((await reply.json()) as { access_token: string }).access_token;
}

/** Sends `entry` again with a valid token and checks the answer against the document. */
async function answerProblems(entry: RequestLogEntry, token: string): Promise<string[]> {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (entry.rawBody !== "") headers["Content-Type"] = String(entry.headers["content-type"]);
    const reply = await fetch(`${sim.baseUrl}${entry.path}${entry.query}`, {
        method: entry.method,
        headers,
        body: entry.rawBody === "" ? undefined : entry.rawBody,
    });
    const observed = { status: reply.status, headers: reply.headers, text: await reply.text() };
    return checkResponse(doc, entry.method, entry.path.replace(/^\/api/, ""), observed, {
        closed: true,
        nullForBlank: true,
    });
}

beforeAll(async () => {
    doc = loadPortSipOpenApi();
    await sim.start();
    const config: Record<string, string> = {
        "portsip:url": sim.baseUrl,
        "portsip:username": ADMIN,
        "portsip:password": PASSWORD,
        "portsip:apiVersion": "v22",
        "portsip:auto.url": sim.baseUrl,
        "portsip:auto.username": ADMIN,
        "portsip:auto.password": PASSWORD,
    };
    await provider.configure({ config: { get: (key) => config[key], require: (key) => config[key] ?? "" } });
});
afterAll(async () => {
    await sim.stop();
    setStackConfig(undefined);
    clearRegisteredSecrets();
    resetSessions();
    resetPortSipRun();
});

describe("portsip:Trunk against PortSIP's v22 OpenAPI document", () => {
    let log: RequestLogEntry[] = [];

    beforeAll(async () => {
        const check = async (news: Record<string, unknown>) =>
            (await provider.check({}, { __provider: "p", ...news })).inputs as Record<string, unknown>;
        const rich = await check({
            name: "contract-a",
            brand: "Generic",
            authMode: "REGISTER_AUTH",
            transport: "TLS",
            hostname: "sip.carrier.example",
            port: 5061,
            authId: "100200",
            username: "acct",
            password: "canary-contract-trunk-9Pp",
            outboundServer: "proxy.carrier.example",
            outboundServerPort: 5061,
            concurrency: 30,
            additionalIps: ["203.0.113.0/24", "2001:db8::/32"],
            didNumbers: ["4155550100-4155550199"],
            inboundParameters: {
                callerNum: "P_ASSERTED_IDENTITY_USER_PART",
                enableStirShakenValidation: true,
                dropCallsWithVerificationStatus: ["TN-Validation-Failed"],
            },
            outboundParameters: {
                fromUserPart: { value: "CUSTOM", customValue: "4155550100" },
                privacyTypesSupported: "ID",
            },
        });
        const created = await provider.create(rich);
        await provider.read(created.id, created.outs);
        const changed = await check({
            ...rich,
            password: "canary-contract-trunk2-7Kk",
            username: undefined,
            inboundParameters: { callerNum: "FROM_USER_PART" },
            outboundParameters: { toHostPart: { value: "SIP_DOMAIN" } },
            enabled: false,
        });
        const updated = await provider.update(created.id, created.outs, changed);
        await provider.delete(created.id, updated.outs);
        // An unknown id on delete (400), confirmed gone with a GET (404).
        await provider.delete(created.id, updated.outs);
        // Generation detection through GET /api/info, and a minimal trunk.
        const minimal = await check({ name: "contract-b", hostname: "198.51.100.9", authMode: "IP_AUTH" });
        await provider.create({ ...minimal, connection: "auto" });
        log = [...sim.server.requests];
    });

    it("sends only documented operations, parameters and bodies", () => {
        expect(
            log.map((entry) => `${entry.method} ${entry.path.replace(/\/providers\/[^/]+/, "/providers/{id}")}`),
        ).toEqual([
            "POST /api/auth/sign_in",
            "GET /api/providers",
            "POST /api/providers",
            "GET /api/providers/{id}",
            "GET /api/providers/{id}/status",
            "GET /api/providers/{id}",
            "GET /api/providers/{id}/status",
            "GET /api/providers/{id}",
            "POST /api/providers/{id}",
            "GET /api/providers/{id}",
            "GET /api/providers/{id}/status",
            "POST /api/providers/{id}/destroy",
            "POST /api/providers/{id}/destroy",
            "GET /api/providers/{id}",
            "GET /api/info",
            "GET /api/providers",
            "POST /api/providers",
            "GET /api/providers/{id}",
            "GET /api/providers/{id}/status",
        ]);
        expect(log.flatMap(requestProblems)).toEqual([]);
    });

    it("would notice a misspelt field, an undeclared parameter or an undocumented operation", () => {
        const create = log.find((entry) => entry.method === "POST" && entry.path === "/api/providers")!;
        const body = JSON.parse(create.rawBody) as Record<string, unknown>;
        expect(requestProblems({ ...create, rawBody: JSON.stringify({ ...body, in_lan: true }) })).toEqual([
            "POST /api/providers: $.in_lan: not declared",
        ]);
        const { concurrency: _c, ...withoutConcurrency } = body;
        expect(requestProblems({ ...create, rawBody: JSON.stringify(withoutConcurrency) })).toEqual([
            "POST /api/providers: $.concurrency: required",
        ]);
        const list = log.find((entry) => entry.method === "GET" && entry.path === "/api/providers")!;
        expect(requestProblems({ ...list, query: "?top=500&page=2" })).toEqual([
            "GET /api/providers ?top: $: above 100",
            "GET /api/providers: query parameter page is not declared",
        ]);
        expect(requestProblems({ ...list, method: "DELETE" })).toEqual([
            "DELETE /api/providers: no such operation in the document",
        ]);
    });

    it("gets documented answers from the simulator to exactly those requests", async () => {
        sim.reset();
        const token = await bearer();
        const problems: string[] = [];
        // Replayed in order against a fresh PBX: the create makes the id the later requests use.
        let id: string | undefined;
        for (const entry of log) {
            if (entry.path === "/api/auth/sign_in" || entry.path === "/api/info") {
                const reply = await fetch(`${sim.baseUrl}${entry.path}`, {
                    method: entry.method,
                    headers: entry.rawBody === "" ? {} : { "Content-Type": "application/json" },
                    body: entry.rawBody === "" ? undefined : entry.rawBody,
                });
                const observed = { status: reply.status, headers: reply.headers, text: await reply.text() };
                problems.push(
                    ...checkResponse(doc, entry.method, entry.path.replace(/^\/api/, ""), observed, { closed: true }),
                );
                continue;
            }
            const match = /^\/api\/providers\/([^/]+)/.exec(entry.path);
            const replay =
                match?.[1] !== undefined && id !== undefined
                    ? { ...entry, path: entry.path.replace(match[1], encodeURIComponent(id)) }
                    : entry;
            if (entry.method === "POST" && entry.path === "/api/providers") {
                const created = await fetch(`${sim.baseUrl}/api/providers`, {
                    method: "POST",
                    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
                    body: entry.rawBody,
                });
                const observed = { status: created.status, headers: created.headers, text: await created.text() };
                problems.push(...checkResponse(doc, "POST", "/providers", observed, { closed: true }));
                id = (JSON.parse(observed.text) as { id: string }).id;
                continue;
            }
            problems.push(...(await answerProblems(replay, token)));
        }
        expect(problems).toEqual([]);
        expect(log.every((entry) => typeof entry.outcome === "number" && entry.outcome < 500)).toBe(true);
    });

    it("never puts a password in a URL or a query string", () => {
        for (const entry of log) expect(`${entry.path}${entry.query}`).not.toMatch(/canary/);
    });
});
