import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { readHttpTuning, setStackConfig } from "../../../provider/core/config";
import { kindForStatus, VendorApiError } from "../../../provider/core/errors";
import { vendorRequest, type VendorConnection, type VendorRequest } from "../../../provider/core/http";

/**
 * Transport failures a vendor simulator cannot produce: answers cut or stalled after the headers,
 * bodies dripping a byte at a time, oversized bodies, redirects. Raw node:http servers on
 * 127.0.0.1, one per test, so each test also has its own per-host concurrency limiter.
 */

type RawHandler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

interface RawServer {
    url: string;
    hits: () => number;
    close: () => Promise<void>;
}

const servers: RawServer[] = [];

async function rawServer(handler: RawHandler): Promise<RawServer> {
    let hits = 0;
    const server = http.createServer((req, res) => {
        hits++;
        const hit = hits;
        req.resume();
        req.on("end", () => {
            handler(req, res, hit);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const raw: RawServer = {
        url: `http://127.0.0.1:${port}`,
        hits: () => hits,
        close: async () => {
            server.closeAllConnections();
            await new Promise<void>((resolve) =>
                server.close(() => {
                    resolve();
                }),
            );
        },
    };
    servers.push(raw);
    return raw;
}

afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
});

const OK_BODY = JSON.stringify({ hits: 1, padding: "x".repeat(200) });

function answerOk(res: http.ServerResponse): void {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(OK_BODY) });
    res.end(OK_BODY);
}

/** Headers say 200 and the full length, half the body goes out, then the connection drops. */
function answerCutOff(res: http.ServerResponse): void {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(OK_BODY) });
    res.write(OK_BODY.slice(0, 40), () => setTimeout(() => res.socket?.destroy(), 20));
}

/** Headers say 200, a few bytes of body, then nothing more. */
function answerStalled(res: http.ServerResponse): void {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(OK_BODY) });
    res.write(OK_BODY.slice(0, 10));
}

/** The first request gets `first`, every later one a complete 200. */
function firstThenOk(first: (res: http.ServerResponse) => void): RawHandler {
    return (_req, res, hit) => {
        if (hit === 1) first(res);
        else answerOk(res);
    };
}

function connection(baseUrl: string, overrides: Partial<VendorConnection["tuning"]> = {}): VendorConnection {
    return {
        vendor: "Acme",
        baseUrl,
        tuning: { requestTimeoutMs: 500, maxRetries: 3, retryBaseDelayMs: 10, maxConcurrency: 4, ...overrides },
        describeError: (_status, body) => ({ message: body === "" ? undefined : body }),
    };
}

function request(method: "GET" | "POST", idempotent: boolean): VendorRequest<number> {
    return {
        operation: "count",
        object: "c1",
        method,
        path: "/count",
        idempotent,
        parse: (body) => (JSON.parse(body) as { hits: number }).hits,
    };
}

async function failureOf(promise: Promise<unknown>): Promise<VendorApiError> {
    const outcome = await promise.then(
        () => undefined,
        (error: unknown) => error,
    );
    if (!VendorApiError.isInstance(outcome)) throw new Error(`expected a VendorApiError, got ${String(outcome)}`);
    return outcome;
}

describe("an answer that starts and then fails", () => {
    it("retries a GET whose 200 body is cut off", async () => {
        const server = await rawServer(firstThenOk(answerCutOff));
        await expect(vendorRequest(connection(server.url), request("GET", true))).resolves.toBe(1);
        expect(server.hits()).toBe(2);
    });

    it("reports a POST whose 200 body is cut off as an ambiguous network failure, not a client error", async () => {
        const server = await rawServer((_req, res) => {
            answerCutOff(res);
        });
        const error = await failureOf(vendorRequest(connection(server.url), request("POST", false)));
        expect(error.kind).toBe("Network");
        expect(error.retryable).toBe(true);
        expect(error.message).toContain("cut off after HTTP 200 headers");
        expect(server.hits()).toBe(1);
    });

    it("retries a GET whose 200 body stalls, within the request timeout", async () => {
        const server = await rawServer(firstThenOk(answerStalled));
        const started = Date.now();
        await expect(
            vendorRequest(connection(server.url, { requestTimeoutMs: 300 }), request("GET", true)),
        ).resolves.toBe(1);
        expect(server.hits()).toBe(2);
        expect(Date.now() - started).toBeLessThan(2000);
    });

    it("reports a POST whose 200 body stalls as a Timeout", async () => {
        const server = await rawServer((_req, res) => {
            answerStalled(res);
        });
        const error = await failureOf(
            vendorRequest(connection(server.url, { requestTimeoutMs: 300 }), request("POST", false)),
        );
        expect(error.kind).toBe("Timeout");
        expect(server.hits()).toBe(1);
    });

    it("never maps a 2xx or 3xx status to a client-error kind", () => {
        for (const status of [200, 201, 204, 301, 302, 307]) {
            expect(["BadRequest", "Auth", "Forbidden", "NotFound", "Conflict", "Validation"]).not.toContain(
                kindForStatus(status),
            );
        }
    });
});

describe("deadline and size of an attempt", () => {
    it("bounds a body that drips one byte every 50 ms by requestTimeoutMs", async () => {
        const body = "y".repeat(1000);
        const server = await rawServer((_req, res) => {
            res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": body.length });
            let sent = 0;
            const timer = setInterval(() => {
                if (res.destroyed || sent >= body.length) {
                    clearInterval(timer);
                    return;
                }
                res.write(body[sent++]);
            }, 50);
            res.on("close", () => {
                clearInterval(timer);
            });
        });
        const started = Date.now();
        const error = await failureOf(
            vendorRequest(connection(server.url, { requestTimeoutMs: 300, maxRetries: 1 }), request("GET", true)),
        );
        expect(Date.now() - started).toBeLessThan(2000);
        expect(error.kind).toBe("Timeout");
        expect(error.message).toContain("within 300 ms");
        expect(server.hits()).toBe(2);
    });

    it("refuses a body over maxResponseBytes, naming the limit", async () => {
        const body = JSON.stringify({ hits: 1, padding: "z".repeat(5000) });
        const server = await rawServer((_req, res) => {
            // Chunked (no Content-Length), so the limit must be enforced while reading.
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(body);
        });
        const error = await failureOf(
            vendorRequest(connection(server.url, { maxResponseBytes: 1024 }), request("GET", true)),
        );
        expect(error.kind).toBe("BadResponse");
        expect(error.message).toContain("1024 bytes");
        expect(error.message).toContain("maxResponseBytes");
        expect(server.hits()).toBe(1);
    });

    it("accepts a body up to the default limit", async () => {
        const server = await rawServer((_req, res) => {
            answerOk(res);
        });
        await expect(vendorRequest(connection(server.url), request("GET", true))).resolves.toBe(1);
    });
});

describe("redirects", () => {
    it("refuses a 302 to another server without contacting it or showing its query or userinfo", async () => {
        const target = await rawServer((_req, res) => {
            answerOk(res);
        });
        const targetHost = new URL(target.url).host;
        const origin = await rawServer((_req, res) => {
            res.writeHead(302, { Location: `http://admin:hunter2@${targetHost}/count?token=s3cr3t-token` });
            res.end();
        });
        const post: VendorRequest<number> = {
            ...request("POST", false),
            headers: { access_token: "header-token" },
            body: JSON.stringify({ apiKey: "body-key" }),
        };
        const error = await failureOf(vendorRequest(connection(origin.url), post));
        expect(target.hits()).toBe(0);
        expect(origin.hits()).toBe(1);
        expect(error.status).toBe(302);
        expect(error.retryable).toBe(false);
        expect(error.message).toContain(`redirect to ${targetHost} refused`);
        expect(error.message).toContain("base URL");
        for (const secret of ["hunter2", "admin", "s3cr3t-token", "token=", "/count?"]) {
            expect(error.message).not.toContain(secret);
        }
    });

    it("names the base URL setting when the connection says which one it is", async () => {
        const origin = await rawServer((_req, res) => {
            res.writeHead(301, { Location: "https://api.example.net/v2/count" });
            res.end();
        });
        const error = await failureOf(
            vendorRequest({ ...connection(origin.url), baseUrlSetting: "acme:baseUrl" }, request("GET", true)),
        );
        expect(error.message).toContain("redirect to api.example.net refused; set acme:baseUrl to the final address");
        expect(origin.hits()).toBe(1);
    });
});

describe("Retry-After", () => {
    function rateLimitedOnce(retryAfter: () => string) {
        return rawServer((_req, res, hit) => {
            if (hit === 1) {
                res.writeHead(429, { "Retry-After": retryAfter(), "Content-Type": "text/plain" });
                res.end("slow down");
            } else {
                answerOk(res);
            }
        });
    }

    it("waits out a short delta-seconds Retry-After, never less", async () => {
        const server = await rateLimitedOnce(() => "1");
        const started = Date.now();
        await expect(vendorRequest(connection(server.url), request("POST", false))).resolves.toBe(1);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
        expect(server.hits()).toBe(2);
    });

    it("waits until an HTTP-date Retry-After, never less", async () => {
        let until = 0;
        const server = await rateLimitedOnce(() => {
            until = (Math.floor(Date.now() / 1000) + 2) * 1000;
            return new Date(until).toUTCString();
        });
        await expect(vendorRequest(connection(server.url), request("GET", true))).resolves.toBe(1);
        expect(Date.now()).toBeGreaterThanOrEqual(until);
        expect(server.hits()).toBe(2);
    });

    it("fails at once when the vendor asks to wait longer than the provider waits, saying when to retry", async () => {
        const server = await rateLimitedOnce(() => "3600");
        const started = Date.now();
        const error = await failureOf(vendorRequest(connection(server.url), request("GET", true)));
        expect(Date.now() - started).toBeLessThan(1000);
        expect(error.kind).toBe("RateLimited");
        expect(error.status).toBe(429);
        expect(error.message).toMatch(/the vendor asks to wait 3600 s; retry after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
        const retryAt = Date.parse(/retry after (\S+Z)/.exec(error.message)?.[1] ?? "");
        expect(Math.abs(retryAt - (started + 3_600_000))).toBeLessThan(5000);
        expect(server.hits()).toBe(1);
    });

    it("reports a long Retry-After on a 503 at once too, keeping the 503's kind", async () => {
        const server = await rawServer((_req, res) => {
            res.writeHead(503, { "Retry-After": "600" });
            res.end("maintenance");
        });
        const error = await failureOf(vendorRequest(connection(server.url), request("GET", true)));
        expect(error.kind).toBe("Server");
        expect(error.message).toContain("(HTTP 503): maintenance; the vendor asks to wait 600 s; retry after ");
        expect(server.hits()).toBe(1);
    });
});

describe("tuning", () => {
    afterEach(() => {
        setStackConfig(undefined);
    });

    it("reads <vendor>:maxResponseBytes, defaulting to 10 MiB", () => {
        expect(readHttpTuning("acme", "ACME", "Acme").maxResponseBytes).toBe(10 * 1024 * 1024);
        setStackConfig({ get: (key) => (key === "acme:maxResponseBytes" ? "2048" : undefined) });
        expect(readHttpTuning("acme", "ACME", "Acme").maxResponseBytes).toBe(2048);
    });
});
