import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * The shared harness of every vendor simulator: an HTTP server bound to 127.0.0.1 only, a log of
 * every request it received, injectable latency and faults. A vendor simulator supplies only its
 * `handle` function (routing, auth, state, the vendor's status codes and error bodies).
 */

export interface SimRequest {
    method: string;
    /** Path without the query string, e.g. `/api/providers/12`. */
    path: string;
    query: URLSearchParams;
    /** Lower-cased header names, as Node gives them. */
    headers: http.IncomingHttpHeaders;
    /** The raw body exactly as sent (strict simulators parse it themselves). */
    rawBody: string;
}

export interface SimResponse {
    status: number;
    headers?: Record<string, string>;
    /** A string is sent as it is; anything else is sent as JSON. `undefined` sends no body. */
    body?: unknown;
}

export type Fault =
    /** Answer with this status (and optional body/headers) instead of the real handler. */
    | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
    /** Destroy the socket without answering (the client sees ECONNRESET / socket hang up). */
    | { kind: "reset" }
    /** Never answer; the connection stays open until the client gives up or the server stops. */
    | { kind: "hang" }
    /**
     * Send the real status and headers (with the full Content-Length) and the first half of the
     * body, then destroy the socket: the client sees a truncated answer. Always runs the handler.
     */
    | { kind: "cut" }
    /** Send the real status and headers, then never a byte of the body. Always runs the handler. */
    | { kind: "stall-body" }
    /** Send the real answer `chunkBytes` at a time, `intervalMs` apart. Always runs the handler. */
    | { kind: "drip"; chunkBytes?: number; intervalMs: number }
    /**
     * Connection refused: the listening socket is closed before the targeted request can connect,
     * so the client's connect fails with ECONNREFUSED and the vendor never sees the request. See
     * {@link SimulatorServer.injectAt} for how the target is reached deterministically.
     */
    | { kind: "refuse"; reopenAfterMs?: number }
    /**
     * Not a transport fault: `run` changes the vendor's state just before this request is handled
     * (e.g. every token expires), then the request is answered normally.
     */
    | { kind: "tamper"; run: () => void };

export interface FaultRule {
    fault: Fault;
    /** How many matching requests this rule still applies to. */
    times: number;
    /** Only requests with this method (upper case). */
    method?: string;
    /** Only requests whose path matches. */
    path?: RegExp;
    /** Only the request with this arrival number (see {@link SimulatorServer.injectAt}). */
    atRequest?: number;
    /** With `atRequest`: how far the fault reaches past that request (see {@link FaultScope}). */
    scope?: FaultScope;
    /** Set by the server: the exchange (`METHOD /path`) a `retries` fault is following. */
    exchange?: string;
    /**
     * `before` (default): the request is not processed at all, like a proxy or rate limiter in front
     * of the API. `after`: the real handler runs (state changes are committed) and then the fault
     * replaces its answer, which is what makes a failed POST ambiguous for a client.
     */
    when?: "before" | "after";
}

/**
 * How far a fault injected at one request reaches:
 * - `once`: that request only;
 * - `retries`: that request and every request right after it with the same method and path, i.e.
 *   the client's retries of that exchange, until the client sends something else;
 * - `onward`: that request and every later one, until the faults are cleared.
 */
export type FaultScope = "once" | "retries" | "onward";

export interface RequestLogEntry {
    method: string;
    path: string;
    query: string;
    headers: http.IncomingHttpHeaders;
    rawBody: string;
    /** The status actually sent, or the transport fault that answered instead. */
    outcome: number | "reset" | "hang" | "cut" | "stall-body" | "drip";
    /** True when an injected fault produced the outcome. */
    faulted: boolean;
    /** True when the vendor logic ran (no fault, or an `after` fault). */
    reachedVendor: boolean;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export class SimulatorServer {
    /** Every request received, in arrival order. */
    readonly requests: RequestLogEntry[] = [];
    /** Added before every answer (ms). */
    latencyMs = 0;
    private readonly faults: FaultRule[] = [];
    private readonly server: http.Server;
    private readonly hungSockets = new Set<Socket>();
    private url: string | undefined;
    private port = 0;
    /** Requests received since start, never reset: the numbering {@link injectAt} targets. */
    private received = 0;
    /** Set while the listening socket is closed by a `refuse` fault. */
    private refusing: { reopened: Promise<void>; reopen: () => void } | undefined;

    constructor(
        readonly vendor: string,
        private readonly handle: SimHandler,
    ) {
        this.server = http.createServer((req, res) => {
            void this.serve(req, res);
        });
        this.server.keepAliveTimeout = 1000;
    }

    /** Starts listening on 127.0.0.1 (never on another interface) and returns the base URL. */
    async start(port = 0): Promise<string> {
        await new Promise<void>((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, "127.0.0.1", () => {
                resolve();
            });
        });
        const address = this.server.address() as AddressInfo;
        this.port = address.port;
        this.url = `http://127.0.0.1:${address.port}`;
        return this.url;
    }

    get baseUrl(): string {
        if (this.url === undefined) throw new Error(`${this.vendor} simulator is not started`);
        return this.url;
    }

    async stop(): Promise<void> {
        await this.reopen();
        for (const socket of this.hungSockets) socket.destroy();
        this.hungSockets.clear();
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => {
            this.server.close(() => {
                resolve();
            });
        });
    }

    /** Queues fault rules; each matching request consumes one application of the first rule that matches. */
    injectFaults(...rules: FaultRule[]): void {
        this.faults.push(...rules.map((rule) => ({ ...rule })));
    }

    /**
     * Injects `fault` at the request that arrives `offset` requests from now (0: the next one),
     * whatever its method and path: "fault the k-th exchange of this operation". Requests that a
     * `refuse` fault kept from connecting do not count, since the server never sees them.
     *
     * `refuse` at offset k closes the listening socket once the answer to request k-1 is sent (at
     * once when k is 0). While a refusal is pending every answer carries `Connection: close` and
     * idle keep-alive sockets are closed, so the client cannot reuse a connection and its next
     * request has to connect. The socket stays closed, so every retry of that request is refused
     * too, until {@link reopen} or `reopenAfterMs`: a refusal that outlasts the client's retries
     * is deterministic, a short one would race the client's backoff timer.
     */
    injectAt(offset: number, fault: Fault, when: "before" | "after" = "before", scope: FaultScope = "once"): void {
        const atRequest = this.received + offset;
        if (fault.kind === "refuse" && offset === 0) {
            this.refuseConnections(fault.reopenAfterMs);
            return;
        }
        this.faults.push({ fault, times: scope === "once" ? 1 : Infinity, when, atRequest, scope });
    }

    /** Listens again after a `refuse` fault (on the same port); resolves at once if listening. */
    async reopen(): Promise<void> {
        const refusing = this.refusing;
        if (refusing === undefined) return;
        refusing.reopen();
        await refusing.reopened;
    }

    clearFaults(): void {
        this.faults.length = 0;
    }

    /** Fault applications still pending. */
    pendingFaults(): number {
        return this.faults.reduce((sum, rule) => sum + rule.times, 0);
    }

    clearLog(): void {
        this.requests.length = 0;
    }

    /** Requests that reached the vendor logic (not answered by a `before` fault). */
    handledRequests(filter?: { method?: string; path?: RegExp }): RequestLogEntry[] {
        return this.requests.filter(
            (entry) =>
                entry.reachedVendor &&
                (filter?.method === undefined || entry.method === filter.method) &&
                (filter?.path === undefined || filter.path.test(entry.path)),
        );
    }

    private refuseConnections(reopenAfterMs: number | undefined): void {
        if (this.refusing !== undefined) return;
        let reopen: () => void = () => undefined;
        const reopened = new Promise<void>((resolve) => {
            let done = false;
            reopen = () => {
                if (done) return;
                done = true;
                this.server.listen(this.port, "127.0.0.1", () => {
                    this.refusing = undefined;
                    resolve();
                });
            };
        });
        this.refusing = { reopened, reopen };
        // close() stops accepting at once (and closes idle connections); its callback waits for
        // open connections to end, which is not needed here.
        this.server.close();
        this.server.closeIdleConnections();
        if (reopenAfterMs !== undefined) setTimeout(reopen, reopenAfterMs);
    }

    /** A refusal aimed at the request after `index`: it must find no reusable connection. */
    private refusalAfter(index: number): Extract<Fault, { kind: "refuse" }> | undefined {
        const rule = this.faults.find(
            (candidate) => candidate.atRequest === index + 1 && candidate.fault.kind === "refuse",
        );
        if (rule === undefined) return undefined;
        this.faults.splice(this.faults.indexOf(rule), 1);
        return rule.fault as Extract<Fault, { kind: "refuse" }>;
    }

    private takeFault(method: string, path: string, index: number): FaultRule | undefined {
        const exchange = `${method} ${path}`;
        for (const rule of [...this.faults]) {
            // A `retries` fault ends at the first request that is not a retry of its exchange.
            if (
                rule.scope === "retries" &&
                rule.atRequest === index &&
                rule.exchange !== undefined &&
                rule.exchange !== exchange
            ) {
                this.faults.splice(this.faults.indexOf(rule), 1);
            }
        }
        const rule = this.faults.find(
            (candidate) =>
                candidate.times > 0 &&
                (candidate.atRequest === undefined ||
                    candidate.atRequest === index ||
                    (candidate.scope === "onward" && candidate.atRequest < index)) &&
                (candidate.method === undefined || candidate.method === method) &&
                (candidate.path === undefined || candidate.path.test(path)),
        );
        if (rule === undefined) return undefined;
        rule.times -= 1;
        if (rule.times === 0) this.faults.splice(this.faults.indexOf(rule), 1);
        if (rule.scope === "retries") {
            rule.exchange = exchange;
            rule.atRequest = index + 1;
        }
        return rule;
    }

    private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const index = this.received++;
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const method = (req.method ?? "GET").toUpperCase();
        const simRequest: SimRequest = {
            method,
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            rawBody: Buffer.concat(chunks).toString("utf8"),
        };
        const entry: RequestLogEntry = {
            method,
            path: url.pathname,
            query: url.search,
            headers: req.headers,
            rawBody: simRequest.rawBody,
            outcome: 0,
            faulted: false,
            reachedVendor: false,
        };
        this.requests.push(entry);

        if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));

        const rule = this.takeFault(method, url.pathname, index);
        if (rule?.fault.kind === "tamper") rule.fault.run();
        const alwaysHandled = rule !== undefined && ["cut", "stall-body", "drip", "tamper"].includes(rule.fault.kind);
        let response: SimResponse | undefined;
        if (rule === undefined || rule.when === "after" || alwaysHandled) {
            entry.reachedVendor = true;
            try {
                response = await this.handle(simRequest);
            } catch (error) {
                response = { status: 500, body: { error: `simulator bug: ${String(error)}` } };
            }
        }
        if (rule !== undefined && rule.fault.kind !== "tamper") {
            entry.faulted = true;
            const real = response ?? { status: 500 };
            switch (rule.fault.kind) {
                case "reset":
                    entry.outcome = "reset";
                    req.socket.destroy();
                    return;
                case "hang":
                    entry.outcome = "hang";
                    this.hungSockets.add(req.socket);
                    req.socket.once("close", () => this.hungSockets.delete(req.socket));
                    return;
                case "status":
                    response = { status: rule.fault.status, body: rule.fault.body, headers: rule.fault.headers ?? {} };
                    break;
                case "cut": {
                    entry.outcome = "cut";
                    const { status, headers, payload } = encode(real);
                    res.writeHead(status, { ...headers, "Content-Length": String(payload.length) });
                    res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
                    return;
                }
                case "stall-body": {
                    entry.outcome = "stall-body";
                    const { status, headers, payload } = encode(real);
                    res.writeHead(status, { ...headers, "Content-Length": String(payload.length) });
                    res.flushHeaders();
                    this.hungSockets.add(req.socket);
                    req.socket.once("close", () => this.hungSockets.delete(req.socket));
                    return;
                }
                case "drip": {
                    entry.outcome = "drip";
                    const { status, headers, payload } = encode(real);
                    res.writeHead(status, { ...headers, "Content-Length": String(payload.length) });
                    res.flushHeaders();
                    const { chunkBytes = 1, intervalMs } = rule.fault;
                    const step = Math.max(1, chunkBytes);
                    for (let offset = 0; offset < payload.length && !req.socket.destroyed; offset += step) {
                        await new Promise((resolve) => setTimeout(resolve, intervalMs));
                        res.write(payload.subarray(offset, offset + step));
                    }
                    res.end();
                    return;
                }
                case "refuse":
                    // Reached only for a refusal aimed at a request that arrived anyway (a pooled
                    // connection the client reused): refuse from the next connection on.
                    this.refuseConnections(rule.fault.reopenAfterMs);
                    req.socket.destroy();
                    entry.outcome = "reset";
                    return;
            }
        }
        const final = response ?? { status: 500 };
        entry.outcome = final.status;
        const refusal = this.refusalAfter(index);
        if (refusal !== undefined || this.faults.some((pending) => pending.fault.kind === "refuse"))
            res.shouldKeepAlive = false;
        if (refusal !== undefined)
            res.once("finish", () => {
                this.refuseConnections(refusal.reopenAfterMs);
            });
        send(res, final);
    }
}

/** The status, headers and body bytes of an answer, as {@link send} puts them on the wire. */
function encode(response: SimResponse): { status: number; headers: Record<string, string>; payload: Buffer } {
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    let payload = "";
    if (typeof response.body === "string") {
        payload = response.body;
    } else if (response.body !== undefined) {
        payload = JSON.stringify(response.body);
        if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
            headers["Content-Type"] = "application/json";
        }
    }
    return { status: response.status, headers, payload: Buffer.from(payload, "utf8") };
}

function send(res: http.ServerResponse, response: SimResponse): void {
    const { status, headers, payload } = encode(response);
    res.writeHead(status, headers);
    res.end(response.body === undefined ? undefined : payload);
}
