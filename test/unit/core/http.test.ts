import { VendorApiError } from "../../../provider/core/errors";
import { vendorRequest, type VendorConnection, type VendorRequest } from "../../../provider/core/http";
import { SimulatorServer } from "../../simulators/core/server";

/** A counter service: every request that reaches it bumps a counter (so duplicates are visible). */
function counterServer() {
    let hits = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const server = new SimulatorServer("test", async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        hits++;
        return { status: 200, body: { hits } };
    });
    return { server, hits: () => hits, maxInFlight: () => maxInFlight };
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

describe("vendorRequest", () => {
    let sim: ReturnType<typeof counterServer>;
    let baseUrl: string;
    beforeEach(async () => {
        sim = counterServer();
        baseUrl = await sim.server.start();
    });
    afterEach(() => sim.server.stop());

    it("retries 429, 5xx, resets and hung requests for idempotent calls", async () => {
        sim.server.injectFaults(
            { fault: { kind: "status", status: 429, headers: { "Retry-After": "0" } }, times: 1 },
            { fault: { kind: "status", status: 503 }, times: 1 },
            { fault: { kind: "reset" }, times: 1 },
        );
        await expect(vendorRequest(connection(baseUrl), request("GET", true))).resolves.toBe(1);
        expect(sim.server.requests.map((entry) => entry.outcome)).toEqual([429, 503, "reset", 200]);
    });

    it("gives up on a hung request after the timeout and retries it", async () => {
        sim.server.injectFaults({ fault: { kind: "hang" }, times: 1 });
        await expect(vendorRequest(connection(baseUrl, { requestTimeoutMs: 200 }), request("GET", true))).resolves.toBe(
            1,
        );
        expect(sim.server.requests.map((entry) => entry.outcome)).toEqual(["hang", 200]);
    });

    it("waits at least as long as Retry-After says", async () => {
        sim.server.injectFaults({ fault: { kind: "status", status: 429, headers: { "Retry-After": "1" } }, times: 1 });
        const started = Date.now();
        await vendorRequest(connection(baseUrl), request("GET", true));
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });

    it("retries a non-idempotent call after 429 but never after an ambiguous 5xx", async () => {
        sim.server.injectFaults({ fault: { kind: "status", status: 429, headers: { "Retry-After": "0" } }, times: 1 });
        await expect(vendorRequest(connection(baseUrl), request("POST", false))).resolves.toBe(1);

        sim.server.injectFaults({ fault: { kind: "status", status: 500, body: "boom" }, times: 1, when: "after" });
        const error = await vendorRequest(connection(baseUrl), request("POST", false)).catch((e: unknown) => e);
        expect(VendorApiError.isInstance(error, "Server")).toBe(true);
        expect((error as Error).message).toBe(
            'Acme: count "c1" failed (HTTP 500): boom [transient: retrying later may help]',
        );
        // The vendor acted once (hit 2) and was not asked again.
        expect(sim.hits()).toBe(2);
    });

    it("stops after maxRetries and reports the last failure", async () => {
        sim.server.injectFaults({ fault: { kind: "status", status: 502, body: "bad gateway" }, times: 10 });
        const error = await vendorRequest(connection(baseUrl, { maxRetries: 2 }), request("GET", true)).catch(
            (e: unknown) => e,
        );
        expect((error as VendorApiError).status).toBe(502);
        expect(sim.server.requests).toHaveLength(3);
    });

    it("does not retry a client error", async () => {
        sim.server.injectFaults({ fault: { kind: "status", status: 400, body: "nope" }, times: 1 });
        await expect(vendorRequest(connection(baseUrl), request("GET", true))).rejects.toThrow("(HTTP 400): nope");
        expect(sim.server.requests).toHaveLength(1);
    });

    it("shares one concurrency limit per host across connections", async () => {
        const a = connection(baseUrl, { maxConcurrency: 2 });
        const b = { ...connection(baseUrl, { maxConcurrency: 2 }), vendor: "Acme other resource" };
        await Promise.all(
            Array.from({ length: 12 }, (_, index) => vendorRequest(index % 2 === 0 ? a : b, request("GET", true))),
        );
        expect(sim.maxInFlight()).toBe(2);
    });
});
