import { hostResolutionProblem, setResolverForTests } from "../../../provider/vendors/voicetel/account-gateway/host";
import type { Route } from "../../../provider/vendors/voicetel/account-gateway/model";
import {
    cachedRoutes,
    freshRoutes,
    listRequestCount,
    oneAtATime,
    resetRouteCache,
    writing,
} from "../../../provider/vendors/voicetel/account-gateway/routes";

/** A list request that the test answers when it wants to. */
function deferredList() {
    const calls: ((routes: Route[]) => void)[] = [];
    const failures: ((error: Error) => void)[] = [];
    const fetch = () =>
        new Promise<Route[]>((resolve, reject) => {
            calls.push(resolve);
            failures.push(reject);
        });
    return { fetch, calls, failures };
}

const ROUTES: Route[] = [{ routeId: 1000, address: "45.33.10.7:5060" }];
const tick = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
    resetRouteCache();
});

describe("the per-account route list", () => {
    it("serves concurrent and later reads of one account from one list request", async () => {
        const list = deferredList();
        const reads = Array.from({ length: 50 }, () => cachedRoutes("acct-a", list.fetch));
        expect(list.calls).toHaveLength(1);
        list.calls[0]!(ROUTES);
        for (const read of reads) await expect(read).resolves.toBe(ROUTES);
        await expect(cachedRoutes("acct-a", list.fetch)).resolves.toBe(ROUTES);
        expect(list.calls).toHaveLength(1);
        expect(listRequestCount()).toBe(1);
    });

    it("keeps accounts apart", () => {
        const list = deferredList();
        void cachedRoutes("acct-a", list.fetch);
        void cachedRoutes("acct-b", list.fetch);
        expect(list.calls).toHaveLength(2);
        for (const resolve of list.calls) resolve(ROUTES);
    });

    it("never serves a list from before a write to a read that starts after it", async () => {
        const list = deferredList();
        const early = cachedRoutes("acct-a", list.fetch);
        let finishWrite: () => void = () => undefined;
        const write = writing("acct-a", () => new Promise<void>((resolve) => (finishWrite = resolve)));
        // A read during the write does not join the list from before the write.
        const during = cachedRoutes("acct-a", list.fetch);
        expect(list.calls).toHaveLength(2);
        finishWrite();
        await write;
        list.calls[0]!([]);
        list.calls[1]!([]);
        await Promise.all([early, during]);
        // The write ended after both lists started: the next read asks again.
        const after = cachedRoutes("acct-a", list.fetch);
        expect(list.calls).toHaveLength(3);
        list.calls[2]!(ROUTES);
        await expect(after).resolves.toBe(ROUTES);
    });

    it("drops the list after a failed write too", async () => {
        const list = deferredList();
        const first = cachedRoutes("acct-a", list.fetch);
        list.calls[0]!(ROUTES);
        await first;
        await expect(writing("acct-a", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
        void cachedRoutes("acct-a", list.fetch);
        expect(list.calls).toHaveLength(2);
        list.calls[1]!(ROUTES);
    });

    it("does not keep a failed list", async () => {
        const list = deferredList();
        const failed = cachedRoutes("acct-a", list.fetch);
        list.failures[0]!(new Error("503"));
        await expect(failed).rejects.toThrow("503");
        void cachedRoutes("acct-a", list.fetch);
        expect(list.calls).toHaveLength(2);
        list.calls[1]!(ROUTES);
    });

    it("freshRoutes always asks, and its answer serves later reads", async () => {
        const list = deferredList();
        const first = cachedRoutes("acct-a", list.fetch);
        list.calls[0]!([]);
        await first;
        const fresh = freshRoutes("acct-a", list.fetch);
        expect(list.calls).toHaveLength(2);
        list.calls[1]!(ROUTES);
        await expect(fresh).resolves.toBe(ROUTES);
        await expect(cachedRoutes("acct-a", list.fetch)).resolves.toBe(ROUTES);
        expect(list.calls).toHaveLength(2);
    });
});

describe("one create at a time per account", () => {
    it("never runs two tasks of one account at once, in order, and goes on after a failure", async () => {
        let running = 0;
        let most = 0;
        const order: number[] = [];
        const task = (index: number) => async () => {
            running += 1;
            most = Math.max(most, running);
            await tick();
            await tick();
            order.push(index);
            running -= 1;
            if (index === 2) throw new Error("task 2 failed");
            return index;
        };
        const results = await Promise.allSettled(
            Array.from({ length: 6 }, (_, index) => oneAtATime("acct-a", task(index))),
        );
        expect(most).toBe(1);
        expect(order).toEqual([0, 1, 2, 3, 4, 5]);
        expect(results.map((result) => result.status)).toEqual([
            "fulfilled",
            "fulfilled",
            "rejected",
            "fulfilled",
            "fulfilled",
            "fulfilled",
        ]);
    });

    it("runs tasks of different accounts side by side", async () => {
        let running = 0;
        let most = 0;
        const task = async () => {
            running += 1;
            most = Math.max(most, running);
            await tick();
            running -= 1;
        };
        await Promise.all([oneAtATime("acct-a", task), oneAtATime("acct-b", task), oneAtATime("acct-c", task)]);
        expect(most).toBe(3);
    });
});

describe("the DNS check of hostnames", () => {
    const asked: string[] = [];
    const records: Record<string, string[] | string> = {
        "sip.example.com": ["45.33.10.7", "45.33.10.8"],
        "lan.example.com": ["45.33.10.7", "192.168.1.10"],
        "cgnat.example.com": ["100.64.1.1"],
        "empty.example.com": [],
        "new.example.com": "ENOTFOUND",
        "nodata.example.com": "ENODATA",
        "offline.example.com": "ECONNREFUSED",
    };
    const consoleError = jest.spyOn(console, "error").mockImplementation(() => undefined);

    beforeEach(() => {
        asked.length = 0;
        consoleError.mockClear();
        setResolverForTests((host) => {
            asked.push(host);
            const record = records[host];
            if (typeof record === "string") return Promise.reject(Object.assign(new Error(record), { code: record }));
            return Promise.resolve(record ?? []);
        });
    });
    afterAll(() => {
        setResolverForTests(undefined);
        consoleError.mockRestore();
    });

    it("accepts a name whose every address is public, asking DNS once per name", async () => {
        await expect(hostResolutionProblem("sip.example.com")).resolves.toBeUndefined();
        await expect(hostResolutionProblem("sip.example.com")).resolves.toBeUndefined();
        expect(asked).toEqual(["sip.example.com"]);
    });

    it("refuses a name with a non-public address, saying which and why", async () => {
        await expect(hostResolutionProblem("lan.example.com")).resolves.toBe(
            'host "lan.example.com" resolves to 192.168.1.10, a private address (192.168.0.0/16, RFC 1918); VoiceTel sends calls only to a routable public IPv4 address. If its public record is published later, set hostResolvesLater: true',
        );
        await expect(hostResolutionProblem("cgnat.example.com")).resolves.toContain(
            "resolves to 100.64.1.1, a carrier-grade NAT address",
        );
    });

    it("refuses a name without IPv4 addresses, pointing at hostResolvesLater", async () => {
        await expect(hostResolutionProblem("new.example.com")).resolves.toBe(
            'host "new.example.com" does not resolve to an IPv4 address (DNS: ENOTFOUND); VoiceTel refuses a gateway it cannot resolve to a routable public IPv4 address. If the name will exist before VoiceTel needs it, set hostResolvesLater: true',
        );
        await expect(hostResolutionProblem("nodata.example.com")).resolves.toContain("(DNS: ENODATA)");
        await expect(hostResolutionProblem("empty.example.com")).resolves.toContain("has no IPv4 address in DNS");
    });

    it("only warns when DNS cannot be asked: VoiceTel decides then", async () => {
        await expect(hostResolutionProblem("offline.example.com")).resolves.toBeUndefined();
        expect(consoleError).toHaveBeenCalledWith(
            'pulumi-voip: warning: VoiceTel account gateway: could not check that host "offline.example.com" resolves to a public IPv4 address (DNS: ECONNREFUSED); VoiceTel checks it when the gateway is saved',
        );
    });

    it("never asks DNS about an IPv4 address", async () => {
        await expect(hostResolutionProblem("45.33.10.7")).resolves.toBeUndefined();
        expect(asked).toEqual([]);
    });
});
