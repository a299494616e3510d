import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { setStackConfig } from "../../provider/core/config";
import { runtimeProvider } from "../../provider/core/delegate";
import { clearRegisteredSecrets } from "../../provider/core/redact";
import { setResolverForTests } from "../../provider/vendors/voicetel/account-gateway/host";
import { resetRouteCache } from "../../provider/vendors/voicetel/account-gateway/routes";
import { VoiceTelSimulator } from "../simulators/voicetel";
import { validateSchema } from "../simulators/core/json-schema";
import { GATEWAYS_DOCUMENT, SUPPLEMENT, type ResponseDocument } from "../simulators/voicetel/openapi";

/**
 * Every request voicetel.AccountGateway sends, and every answer the simulator gives it, checked
 * against VoiceTel's own OpenAPI document (gateways.json v2.1.6) and, for `numbers/list`, the
 * transcribed schemas of numbers.json. A recording proxy sits between the provider and the
 * simulator, so what is checked is exactly what crossed the wire. Also: the serialized provider
 * holds no key.
 */

const API_KEY = "canary-voicetel-contract-key-77d2";
const HOSTS = { "sip.carrier.example.com": "45.33.50.1" };

interface Exchange {
    method: string;
    path: string;
    requestHeaders: http.IncomingHttpHeaders;
    requestBody: string;
    status: number;
    responseContentType: string | null;
    responseBody: string;
}

/** Forwards every request to `target` and records both directions. */
class RecordingProxy {
    readonly exchanges: Exchange[] = [];
    private readonly server: http.Server;
    url = "";

    constructor(private readonly target: () => string) {
        this.server = http.createServer((req, res) => {
            void this.forward(req, res);
        });
    }

    async start(): Promise<void> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise((resolve) => this.server.close(resolve));
    }

    private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const requestBody = Buffer.concat(chunks).toString("utf8");
        const headers: Record<string, string> = {};
        for (const name of ["authorization", "content-type", "accept"]) {
            const value = req.headers[name];
            if (typeof value === "string") headers[name] = value;
        }
        const answer = await fetch(`${this.target()}${req.url ?? "/"}`, {
            method: req.method ?? "GET",
            headers,
            body: requestBody === "" ? undefined : requestBody,
        });
        const responseBody = await answer.text();
        this.exchanges.push({
            method: req.method ?? "GET",
            path: new URL(req.url ?? "/", "http://x").pathname,
            requestHeaders: req.headers,
            requestBody,
            status: answer.status,
            responseContentType: answer.headers.get("content-type"),
            responseBody,
        });
        res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "text/plain" });
        res.end(responseBody);
    }
}

/** `numbers/list` request body, transcribed from VoiceTel's numbers.json v2.1.6 (not in the repository). */
const NUMBERS_LIST_REQUEST = {
    type: "object",
    required: ["apikey"],
    properties: { apikey: { type: "string" }, route: { type: "integer" }, number: { type: "integer" } },
};

interface Operation {
    requestBody?: { content?: Record<string, { schema: unknown }> };
    responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

function operationOf(path: string): { doc: ResponseDocument; operation: Operation } | undefined {
    for (const doc of [GATEWAYS_DOCUMENT, SUPPLEMENT] as ResponseDocument[]) {
        const operation = doc.paths[path]?.post;
        if (operation !== undefined) return { doc, operation };
    }
    return undefined;
}

function requestProblems(entry: Exchange): string[] {
    const where = `request ${entry.method} ${entry.path}`;
    const found = operationOf(entry.path);
    if (found === undefined) return [`${where}: not a documented path (with its trailing slash)`];
    const problems: string[] = [];
    if (entry.method !== "POST") problems.push(`${where}: method is not POST`);
    if (entry.requestHeaders["content-type"] !== "application/json") problems.push(`${where}: content-type`);
    if (entry.requestHeaders["authorization"] !== `Bearer ${API_KEY}`) problems.push(`${where}: no Bearer key`);
    const schema =
        found.operation.requestBody?.content?.["application/json"]?.schema ??
        (entry.path === "/v2.1/numbers/list/" ? NUMBERS_LIST_REQUEST : undefined);
    if (schema === undefined) return [...problems, `${where}: no request schema`];
    const body = JSON.parse(entry.requestBody) as unknown;
    return [...problems, ...conformance(found.doc, schema, body).map((problem) => `${where}: ${problem}`)];
}

/** The simulator must not invent fields, so every declared object is checked closed. */
function conformance(document: ResponseDocument, schema: unknown, body: unknown): string[] {
    return validateSchema(schema, body, { document, closed: true });
}

function responseProblems(entry: Exchange): string[] {
    const where = `answer ${entry.path} → ${entry.status}`;
    const found = operationOf(entry.path);
    const schema = found?.operation.responses[String(entry.status)]?.content?.["application/json"]?.schema;
    if (found === undefined || schema === undefined) return [`${where}: status not documented`];
    const problems: string[] = [];
    if (entry.responseContentType !== "application/json") problems.push(`${where}: content-type`);
    const body = JSON.parse(entry.responseBody) as { statusCode?: unknown };
    if (body.statusCode !== String(entry.status)) problems.push(`${where}: statusCode ${String(body.statusCode)}`);
    return [...problems, ...conformance(found.doc, schema, body).map((problem) => `${where}: ${problem}`)];
}

const sim = new VoiceTelSimulator({ apiKey: API_KEY, hosts: HOSTS });
const proxy = new RecordingProxy(() => sim.server.baseUrl);
const provider = runtimeProvider("voicetel:AccountGateway");

function configure(overrides: Record<string, string> = {}): Promise<void> {
    const config: Record<string, string> = {
        "voicetel:apiKey": API_KEY,
        "voicetel:baseUrl": proxy.url,
        "voicetel:retryBaseDelayMs": "5",
        ...overrides,
    };
    return provider.configure({ config: { get: (key) => config[key], require: (key) => config[key] ?? "" } });
}

async function create(host: string, port?: number) {
    const checked = await provider.check({}, { host, ...(port === undefined ? {} : { port }) });
    return provider.create(checked.inputs);
}

beforeAll(async () => {
    await sim.start();
    await proxy.start();
    setResolverForTests((host) => Promise.resolve(host in HOSTS ? [HOSTS[host as keyof typeof HOSTS]] : []));
    await configure();
});

afterAll(async () => {
    await proxy.stop();
    await sim.stop();
    setResolverForTests(undefined);
    setStackConfig(undefined);
    clearRegisteredSecrets();
});

describe("the provider's traffic against VoiceTel's OpenAPI document", () => {
    beforeAll(async () => {
        // Every hook and every answer the provider handles: create, refused create, read, update,
        // refused update, delete, delete refused by DIDs, delete of a route already gone, bad key.
        const a = await create("sip.carrier.example.com");
        const b = await create("45.33.50.2", 5080);
        await create("45.33.50.2", 5080).catch(() => undefined);
        resetRouteCache();
        await provider.read(a.id, a.outs);
        // Checked inputs, as the engine sends them to update (defaults filled in).
        const updated = await provider.update(a.id, a.outs, {
            connection: "default",
            host: "45.33.50.3",
            port: 5060,
            hostResolvesLater: false,
        });
        await provider
            .update(a.id, updated.outs, {
                connection: "default",
                host: "45.33.50.2",
                port: 5080,
                hostResolvesLater: false,
            })
            .catch(() => undefined);
        sim.attachDids(Number(b.id), ["2015550199"]);
        await provider.delete(b.id, b.outs).catch(() => undefined);
        sim.detachDids(["2015550199"]);
        await provider.delete(b.id, b.outs);
        await provider.delete(b.id, b.outs);
        sim.deleteRoute(Number(a.id));
        await provider
            .update(a.id, updated.outs, {
                connection: "default",
                host: "45.33.50.4",
                port: 5060,
                hostResolvesLater: false,
            })
            .catch(() => undefined);
        await configure({ "voicetel:apiKey": "canary-voicetel-contract-wrong-1" });
        resetRouteCache();
        await provider.read(a.id, a.outs).catch(() => undefined);
        await configure();
    });

    it("sends only documented requests: POST, JSON, the key as Bearer and in the body, the documented fields and types", () => {
        const wrongKey = proxy.exchanges.filter((entry) => entry.status === 401);
        const requests = proxy.exchanges.filter((entry) => entry.status !== 401);
        expect(requests.length).toBeGreaterThan(10);
        expect(requests.flatMap(requestProblems)).toEqual([]);
        expect(wrongKey.map((entry) => entry.requestHeaders["authorization"])).toEqual([
            "Bearer canary-voicetel-contract-wrong-1",
        ]);
    });

    it("receives only answers that match the document for their path and status", () => {
        expect(proxy.exchanges.flatMap(responseProblems)).toEqual([]);
    });

    it("exercised every endpoint and every answer the provider handles", () => {
        const seen = new Set(proxy.exchanges.map((entry) => `${entry.path} ${entry.status}`));
        expect([...seen].sort()).toEqual([
            "/v2.1/gateways/add/ 200",
            "/v2.1/gateways/add/ 409",
            "/v2.1/gateways/list/ 200",
            "/v2.1/gateways/list/ 401",
            "/v2.1/gateways/remove/ 200",
            "/v2.1/gateways/remove/ 409",
            "/v2.1/gateways/update/ 200",
            "/v2.1/gateways/update/ 409",
            "/v2.1/numbers/list/ 200",
            "/v2.1/numbers/list/ 404",
        ]);
    });

    it("catches a request or an answer that breaks the document (the check can fail)", () => {
        const good = proxy.exchanges.find((entry) => entry.path === "/v2.1/gateways/update/" && entry.status === 200)!;
        const body = JSON.parse(good.requestBody) as { gateways: { route: unknown; gateway: string }[] };
        const stringRoute = JSON.stringify({ ...body, gateways: [{ ...body.gateways[0], route: "1000" }] });
        expect(requestProblems({ ...good, requestBody: stringRoute })).toEqual([
            "request POST /v2.1/gateways/update/: $.gateways[0].route: expected integer, got string",
        ]);
        const { apikey: _key, ...withoutKey } = body as unknown as Record<string, unknown>;
        expect(requestProblems({ ...good, requestBody: JSON.stringify(withoutKey) })).toEqual([
            "request POST /v2.1/gateways/update/: $.apikey: required",
        ]);
        expect(requestProblems({ ...good, path: "/v2.1/gateways/update" })).toEqual([
            "request POST /v2.1/gateways/update: not a documented path (with its trailing slash)",
        ]);
        expect(
            responseProblems({
                ...good,
                responseBody: JSON.stringify({
                    statusCode: "200",
                    status: "Success",
                    message: "Gateway updated",
                    gateways: [{ route: "1000", gateway: "x" }],
                }),
            }),
        ).toEqual(["answer /v2.1/gateways/update/ → 200: $.gateways[0].route: expected integer, got string"]);
    });
});

describe("voicetel:AccountGateway serialized", () => {
    it("serializes to a small closure without the API key, even when the key is live in the process", async () => {
        process.env["VOICETEL_API_KEY"] = API_KEY;
        try {
            const serializedProvider = runtimeProvider("voicetel:AccountGateway");
            const { text } = await pulumi.runtime.serializeFunction(() => serializedProvider, { allowSecrets: false });
            expect(text.length).toBeLessThan(8_000);
            expect(text).toContain('"voicetel:AccountGateway"');
            expect(text).toContain("pulumi-voip/dist/provider/runtime");
            expect(text).not.toContain(API_KEY);
        } finally {
            delete process.env["VOICETEL_API_KEY"];
        }
    });
});
