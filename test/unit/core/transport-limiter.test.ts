import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { VendorApiError } from "../../../provider/core/errors";
import { vendorRequest, type VendorConnection } from "../../../provider/core/http";
import { HostLimiter, SlotWaitTimeout } from "../../../provider/core/limiter";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("HostLimiter", () => {
    it("fails a wait that outlasts its deadline, and that waiter never gets a slot later", async () => {
        const limiter = new HostLimiter("pbx.example:443", 1);
        const releaseFirst = await limiter.acquire(1000);
        const started = Date.now();
        await expect(limiter.acquire(100)).rejects.toBeInstanceOf(SlotWaitTimeout);
        expect(Date.now() - started).toBeGreaterThanOrEqual(95);
        releaseFirst();
        expect(limiter.active).toBe(0);
        // The slot given back went to nobody: the timed-out waiter left the queue.
        const releaseNext = await limiter.acquire(0);
        expect(limiter.active).toBe(1);
        releaseNext();
        releaseNext(); // a second release gives back nothing more
        expect(limiter.active).toBe(0);
    });

    it("hands freed slots to waiters first come, first served", async () => {
        const limiter = new HostLimiter("pbx.example:443", 1);
        const order: string[] = [];
        const release = await limiter.acquire(1000);
        const waiters = ["b", "c"].map(async (name) => {
            const releaseMine = await limiter.acquire(1000);
            order.push(name);
            releaseMine();
        });
        release();
        await Promise.all(waiters);
        expect(order).toEqual(["b", "c"]);
        expect(limiter.active).toBe(0);
    });

    it("names the host, the wait and the limit", () => {
        expect(new SlotWaitTimeout("pbx.example:443", 300, 2).message).toBe(
            "not sent: no free connection slot to pbx.example:443 within 300 ms (2 requests already in flight)",
        );
    });
});

describe("the per-host limit in vendorRequest", () => {
    let server: http.Server;
    let baseUrl: string;
    let hits: string[];

    beforeEach(async () => {
        hits = [];
        server = http.createServer((req, res) => {
            hits.push(req.url ?? "");
            const answer = () => {
                res.writeHead(200, { "Content-Type": "application/json" });
                res.end(JSON.stringify({ ok: true }));
            };
            if (req.url === "/limited" && hits.filter((url) => url === "/limited").length === 1) {
                res.writeHead(503, { "Retry-After": "1" });
                res.end();
            } else if (req.url === "/slow") {
                setTimeout(answer, 250);
            } else {
                answer();
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterEach(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) =>
            server.close(() => {
                resolve();
            }),
        );
    });

    function connection(requestTimeoutMs: number): VendorConnection {
        return {
            vendor: "Acme",
            baseUrl,
            tuning: { requestTimeoutMs, maxRetries: 2, retryBaseDelayMs: 10, maxConcurrency: 1 },
            describeError: () => ({}),
        };
    }

    function get(path: string, requestTimeoutMs: number): Promise<string> {
        return vendorRequest(connection(requestTimeoutMs), {
            operation: "read",
            method: "GET",
            path,
            idempotent: true,
            parse: () => path,
        });
    }

    it("fails a request that waits longer than requestTimeoutMs for a slot, and never sends it late", async () => {
        const outcomes = await Promise.allSettled([get("/slow", 400), get("/slow", 400), get("/slow", 400)]);
        await sleep(600); // a late send would show up in `hits` by now
        const sent = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
        const refused = outcomes.flatMap((outcome) =>
            outcome.status === "rejected" ? [outcome.reason as unknown] : [],
        );
        expect(refused.length).toBeGreaterThanOrEqual(1);
        for (const reason of refused) {
            expect(VendorApiError.isInstance(reason, "Timeout")).toBe(true);
            expect((reason as Error).message).toContain("not sent: no free connection slot");
        }
        expect(hits).toHaveLength(sent);
    });

    it("holds no slot while waiting to retry", async () => {
        const finished: string[] = [];
        const limited = get("/limited", 2000).then((path) => finished.push(path));
        await sleep(150); // the first attempt got its 503 and is waiting out Retry-After: 1
        await get("/quick", 2000).then((path) => finished.push(path));
        await limited;
        expect(finished).toEqual(["/quick", "/limited"]);
        expect(hits).toEqual(["/limited", "/quick", "/limited"]);
    });
});
