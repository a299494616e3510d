import { SimulatorServer } from "../simulators/core/server";
import { findLeaks, leakForms } from "./canaries";

/**
 * The matrix's own instruments, shown able to fail: a detector that never fires would make
 * every cell pass. The simulator's new fault kinds are checked here on a bare server too.
 */

describe("leak detection", () => {
    const secret = `pw&<"'+/= x`;

    it("finds the secret in every encoded form", () => {
        for (const { form, text } of leakForms(secret)) {
            expect(findLeaks([secret], [{ where: "text", text: `before ${text} after` }])).toContainEqual({
                where: "text",
                form,
                secret: expect.any(String) as unknown,
            });
        }
        expect(findLeaks([secret], [{ where: "text", text: "nothing here" }])).toEqual([]);
    });

    it("finds base64 of user:pass (Basic auth)", () => {
        const header = `Basic ${Buffer.from(`op:${secret}`).toString("base64")}`;
        expect(findLeaks([`op:${secret}`], [{ where: "log", text: header }])).toHaveLength(1);
    });
});

describe("simulator faults at the k-th request", () => {
    const server = new SimulatorServer("test", () => ({ status: 200, body: { ok: true, padding: "x".repeat(64) } }));
    let url: string;
    beforeAll(async () => {
        url = await server.start();
    });
    afterAll(() => server.stop());
    afterEach(async () => {
        await server.reopen();
        server.clearFaults();
    });

    const get = (path = "/a") =>
        fetch(`${url}${path}`).then(async (response) => ({ status: response.status, body: await response.text() }));

    it("cuts the body of the targeted request only", async () => {
        server.injectAt(1, { kind: "cut" });
        await expect(get()).resolves.toMatchObject({ status: 200 });
        await expect(get()).rejects.toThrow();
        await expect(get()).resolves.toMatchObject({ status: 200 });
    });

    it("refuses connections from the targeted request until reopened", async () => {
        server.injectAt(1, { kind: "refuse" });
        await expect(get()).resolves.toMatchObject({ status: 200 });
        await expect(get()).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
        await expect(get()).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
        await server.reopen();
        await expect(get()).resolves.toMatchObject({ status: 200 });
    });

    it("follows the retries of an exchange (scope retries) and stops at the next exchange", async () => {
        server.injectAt(0, { kind: "status", status: 503 }, "before", "retries");
        await expect(get("/a")).resolves.toMatchObject({ status: 503 });
        await expect(get("/a")).resolves.toMatchObject({ status: 503 });
        await expect(get("/b")).resolves.toMatchObject({ status: 200 });
        await expect(get("/a")).resolves.toMatchObject({ status: 200 });
    });

    it("keeps answering from the targeted request on (scope onward)", async () => {
        server.injectAt(1, { kind: "status", status: 502 }, "after", "onward");
        await expect(get("/a")).resolves.toMatchObject({ status: 200 });
        await expect(get("/b")).resolves.toMatchObject({ status: 502 });
        await expect(get("/c")).resolves.toMatchObject({ status: 502 });
        expect(server.requests.slice(-2).every((entry) => entry.reachedVendor)).toBe(true);
    });

    it("sends headers and then nothing (stall-body), and drips a body slowly", async () => {
        server.injectAt(0, { kind: "stall-body" });
        const stalled = await fetch(`${url}/a`, { signal: AbortSignal.timeout(200) });
        expect(stalled.status).toBe(200);
        await expect(stalled.text()).rejects.toThrow();
        server.injectAt(0, { kind: "drip", chunkBytes: 16, intervalMs: 5 });
        const started = Date.now();
        await expect(get()).resolves.toMatchObject({
            status: 200,
            body: expect.stringContaining("padding") as unknown,
        });
        expect(Date.now() - started).toBeGreaterThanOrEqual(20);
    });

    it("runs a tamper action and answers normally", async () => {
        const run = jest.fn();
        server.injectAt(0, { kind: "tamper", run });
        await expect(get()).resolves.toMatchObject({ status: 200 });
        expect(run).toHaveBeenCalledTimes(1);
    });
});
