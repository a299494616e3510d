import { TelecomCenterSimulator } from "../../simulators/telecomcenter";
import { errorOf, lifecycle } from "../harness";
import { telecomCenterConfig, tuningConfig } from "../config";

/**
 * Creates that never orphan or duplicate a gateway: a lost answer followed by a failing lookup, a
 * name with a comma (an OR in a JSON:API filter), and a gateway left by an interrupted run.
 */

const USER = "op-recovery";
const PASSWORD = "canary-recovery-pw-8Kd";

const sim = new TelecomCenterSimulator({ username: USER, password: PASSWORD });
const { provider, logLines, checked } = lifecycle({
    type: "telecomcenter:TerminationGateway",
    simulators: [sim],
    config: () => ({
        ...telecomCenterConfig(sim.server.baseUrl, { username: USER, password: PASSWORD }),
        ...tuningConfig("telecomcenter", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 2 }),
    }),
});

function named(name: string): string[] {
    return sim
        .gateways()
        .filter((gateway) => gateway.name === name)
        .map((gateway) => gateway.id);
}

function posts(): number {
    return sim.server.requests.filter((entry) => entry.method === "POST").length;
}

beforeAll(() => {
    sim.addCustomer("c1");
    sim.addCustomer("c2");
});

describe("a lost create answer followed by a failing lookup", () => {
    it("says the create may have succeeded, and the next create adopts the gateway instead of a second one", async () => {
        const inputs = await checked({ customerId: "c1", name: "rc-lost", host: "gw.example.com" });
        sim.server.injectFaults({
            fault: { kind: "status", status: 502, body: "" },
            times: 1,
            method: "POST",
            when: "after",
        });
        // The lookup before the POST succeeds; every lookup after the POST has been sent fails.
        const poll = setInterval(() => {
            if (sim.server.requests.some((entry) => entry.method === "POST")) {
                clearInterval(poll);
                sim.server.injectFaults({
                    fault: { kind: "status", status: 503, body: "" },
                    times: 1000,
                    method: "GET",
                });
            }
        }, 1);
        sim.server.latencyMs = 20;
        const error = await errorOf(provider.create(inputs));
        sim.server.latencyMs = 0;
        expect(error.message).toMatch(
            /^telecom\.center: create termination gateway "rc-lost" may have succeeded: .*HTTP 502.*; looking for it afterwards failed too: .*HTTP 503.* The next `pulumi up` looks for it again and adopts it if it exists \(or creates it if not\)/,
        );
        // The post-ambiguity lookup was retried (with backoff), not given up after one answer.
        const lookups = sim.server.requests.filter((entry) => entry.method === "GET").length;
        expect(lookups).toBeGreaterThan(1 + 3);
        expect(sim.server.requests.filter((entry) => entry.method === "POST")).toHaveLength(1);
        expect(named("rc-lost")).toHaveLength(1);

        sim.server.clearFaults();
        const { id } = await provider.create(inputs);
        expect(named("rc-lost")).toEqual([id]);
    });
});

describe("a name with a comma", () => {
    it("never takes the filter's OR for an exact name: one gateway after a lost answer", async () => {
        sim.createGateway("c1", { name: "rc", host: "gw.example.com" });
        sim.createGateway("c1", { name: "comma", host: "gw.example.com" });
        const inputs = await checked({ customerId: "c1", name: "rc,comma", host: "gw.example.com" });
        sim.server.injectFaults({
            fault: { kind: "status", status: 502, body: "" },
            times: 1,
            method: "POST",
            when: "after",
        });
        const { id } = await provider.create(inputs);
        expect(named("rc,comma")).toEqual([id]);
        expect(named("rc")).toHaveLength(1);
        expect(named("comma")).toHaveLength(1);
        // Never a `filter[name]` holding a comma.
        for (const entry of sim.server.requests) {
            expect(new URLSearchParams(entry.query).get("filter[name]") ?? "").not.toContain(",");
        }
    });

    it("adopts an exact leftover whose name has a comma, and no other gateway of the OR", async () => {
        sim.createGateway("c1", { name: "left", host: "gw.example.com" });
        const leftover = sim.createGateway("c1", { name: "left,over", host: "gw.example.com", operator: true });
        const { id } = await provider.create(
            await checked({ customerId: "c1", name: "left,over", host: "gw.example.com" }),
        );
        expect(id).toBe(leftover.id);
        expect(posts()).toBe(0);
    });
});

describe("a gateway left by an interrupted or failed create", () => {
    it("is adopted when it matches the declared inputs exactly, with an info line naming it", async () => {
        const inputs = await checked({
            customerId: "c1",
            name: "rc-leftover",
            host: "gw.example.com",
            codecs: ["PCMA"],
            authorizationName: "u",
            authorizationPassword: "canary-leftover-sip-pw",
        });
        const leftover = sim.createGateway("c1", {
            name: "rc-leftover",
            host: "gw.example.com",
            codecs: ["PCMA"],
            authorization_name: "u",
            authorization_password: "canary-leftover-sip-pw",
            operator: true,
        });
        const { id, outs } = await provider.create(inputs);
        expect(id).toBe(leftover.id);
        expect(outs).toMatchObject({ name: "rc-leftover", codecs: ["PCMA"], customerId: "c1" });
        expect(named("rc-leftover")).toEqual([id]);
        expect(posts()).toBe(0);
        expect(logLines).toContainEqual(
            `pulumi-voip: telecom.center: create termination gateway "rc-leftover": adopted the existing termination gateway ${id}, which matches the declared inputs exactly; it was left by an interrupted or failed create`,
        );
    });

    it("ignores a same-name gateway that differs, one of another customer, one made in the customer UI", async () => {
        const other = sim.createGateway("c1", { name: "rc-differs", host: "other.example.com", operator: true });
        const elsewhere = sim.createGateway("c2", { name: "rc-differs", host: "gw.example.com", operator: true });
        // Identical, but made by the customer in their UI (operator false): never a leftover of an API create.
        const byCustomer = sim.createGateway("c1", { name: "rc-differs", host: "gw.example.com" });
        const { id } = await provider.create(
            await checked({ customerId: "c1", name: "rc-differs", host: "gw.example.com" }),
        );
        expect([other.id, elsewhere.id, byCustomer.id]).not.toContain(id);
        expect(named("rc-differs")).toHaveLength(4);
    });

    it("does not adopt one whose readable password differs", async () => {
        const leftover = sim.createGateway("c1", {
            name: "rc-password",
            host: "gw.example.com",
            authorization_name: "u",
            authorization_password: "canary-old-sip-pw",
            operator: true,
        });
        const { id } = await provider.create(
            await checked({
                customerId: "c1",
                name: "rc-password",
                host: "gw.example.com",
                authorizationName: "u",
                authorizationPassword: "canary-new-sip-pw",
            }),
        );
        expect(id).not.toBe(leftover.id);
    });

    it("fails naming every exact match when there are several, and creates nothing", async () => {
        const first = sim.createGateway("c1", { name: "rc-twice", host: "gw.example.com", operator: true });
        const second = sim.createGateway("c1", { name: "rc-twice", host: "gw.example.com", operator: true });
        const error = await errorOf(
            provider.create(await checked({ customerId: "c1", name: "rc-twice", host: "gw.example.com" })),
        );
        expect(error.message).toBe(
            `telecom.center: create termination gateway "rc-twice": termination gateways ${first.id}, ${second.id} all match the declared inputs exactly (left by interrupted or failed creates?); remove the extra ones, then run pulumi up again`,
        );
        expect(posts()).toBe(0);
    });

    it("is adopted by one resource only: an identical second resource of the same run gets its own", async () => {
        const leftover = sim.createGateway("c1", { name: "rc-claimed", host: "gw.example.com", operator: true });
        const inputs = await checked({ customerId: "c1", name: "rc-claimed", host: "gw.example.com" });
        const first = await provider.create(inputs);
        const second = await provider.create(inputs);
        expect(first.id).toBe(leftover.id);
        expect(second.id).not.toBe(leftover.id);
        expect(named("rc-claimed")).toHaveLength(2);
    });
});
