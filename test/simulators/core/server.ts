import * as http from "node:http";
import type { AddressInfo } from "node:net";

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
    | { kind: "hang" };

export interface FaultRule {
    fault: Fault;
    /** How many matching requests this rule still applies to. */
    times: number;
    /** Only requests with this method (upper case). */
    method?: string;
    /** Only requests whose path matches. */
    path?: RegExp;
    /**
     * `before` (default): the request is not processed at all, like a proxy or rate limiter in front
     * of the API. `after`: the real handler runs (state changes are committed) and then the fault
     * replaces its answer, which is what makes a failed POST ambiguous for a client.
     */
    when?: "before" | "after";
}

export interface RequestLogEntry {
    method: string;
    path: string;
    query: string;
    headers: http.IncomingHttpHeaders;
    rawBody: string;
    /** The status actually sent, or `reset` / `hang` when a fault answered. */
    outcome: number | "reset" | "hang";
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
    private readonly hungSockets = new Set<import("node:net").Socket>();
    private url: string | undefined;

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
        this.url = `http://127.0.0.1:${address.port}`;
        return this.url;
    }

    get baseUrl(): string {
        if (this.url === undefined) throw new Error(`${this.vendor} simulator is not started`);
        return this.url;
    }

    async stop(): Promise<void> {
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

    private takeFault(method: string, path: string): FaultRule | undefined {
        const rule = this.faults.find(
            (candidate) =>
                candidate.times > 0 &&
                (candidate.method === undefined || candidate.method === method) &&
                (candidate.path === undefined || candidate.path.test(path)),
        );
        if (rule === undefined) return undefined;
        rule.times -= 1;
        if (rule.times === 0) this.faults.splice(this.faults.indexOf(rule), 1);
        return rule;
    }

    private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
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

        const rule = this.takeFault(method, url.pathname);
        let response: SimResponse | undefined;
        if (rule === undefined || rule.when === "after") {
            entry.reachedVendor = true;
            try {
                response = await this.handle(simRequest);
            } catch (error) {
                response = { status: 500, body: { error: `simulator bug: ${String(error)}` } };
            }
        }
        if (rule !== undefined) {
            entry.faulted = true;
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
            }
        }
        const final = response ?? { status: 500 };
        entry.outcome = final.status;
        send(res, final);
    }
}

function send(res: http.ServerResponse, response: SimResponse): void {
    const headers: Record<string, string> = { ...(response.headers ?? {}) };
    let payload: string | undefined;
    if (typeof response.body === "string") {
        payload = response.body;
    } else if (response.body !== undefined) {
        payload = JSON.stringify(response.body);
        if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
            headers["Content-Type"] = "application/json";
        }
    }
    res.writeHead(response.status, headers);
    res.end(payload);
}
