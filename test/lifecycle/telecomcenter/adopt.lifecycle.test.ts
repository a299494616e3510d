import { ResourceInitError } from "../../../provider/core/errors";
import { resetProcessState } from "../../../provider/core/process-state";
import { TelecomCenterSimulator } from "../../simulators/telecomcenter";
import { errorOf, lifecycle, requestLog } from "../harness";
import { telecomCenterConfig, tuningConfig } from "../config";

/**
 * `adopt` on a TerminationGateway: take over a gateway that exists (by name within the customer,
 * or by id) instead of creating one; never create, never delete; the state afterwards is the one
 * a create would have recorded.
 */

const HOME = { username: "op-adopt", password: "canary-tc-adopt-pw-4Hs" };
const EAST = { username: "op-adopt-east", password: "canary-tc-adopt-east-pw-7Jq" };
const SIP_PASSWORD = "canary-tc-adopt-sip-9Lp";

const home = new TelecomCenterSimulator(HOME);
const east = new TelecomCenterSimulator(EAST);
const { provider, logLines, configure, checked, created } = lifecycle({
    type: "telecomcenter:TerminationGateway",
    simulators: [home, east],
    config: () => ({
        ...telecomCenterConfig(home.server.baseUrl, HOME),
        ...telecomCenterConfig(east.server.baseUrl, EAST, "east"),
        ...tuningConfig("telecomcenter", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 1 }),
    }),
    secrets: [HOME.password, EAST.password, SIP_PASSWORD],
});

const DECLARED = {
    customerId: "c1",
    name: "adopt-gw",
    host: "new.example.com",
    port: 5080,
    codecs: ["PCMA", "PCMU"],
    authorizationName: "acme",
    authorizationPassword: SIP_PASSWORD,
};

/** Every request other than a read. */
function writes(sim: TelecomCenterSimulator): string[] {
    return requestLog(sim.server).filter((line) => !line.startsWith("GET "));
}

beforeAll(() => {
    home.addCustomer("c1");
    east.addCustomer("c1");
});
beforeEach(() => {
    for (const sim of [home, east]) {
        for (const gateway of sim.gateways()) sim.deleteGateway(gateway.id);
        sim.server.clearLog();
    }
});

/** A gateway made outside Pulumi, as the portal's staff (operator) would. */
function existing(name: string, host = "old.example.com"): string {
    const { id } = home.createGateway("c1", { name, host, operator: true });
    home.server.clearLog();
    return id;
}

describe("adopt: true (by name within the customer)", () => {
    it("takes over a gateway that already matches with zero writes; the outputs are the created ones", async () => {
        const made = await created(DECLARED);
        resetProcessState(); // a new run, whose stack does not know the gateway
        await configure();
        home.server.clearLog();
        logLines.length = 0;

        const adopted = await provider.create(await checked({ ...DECLARED, adopt: true }));
        expect(adopted).toEqual(made);
        expect(writes(home)).toEqual([]);
        expect(home.gateways()).toHaveLength(1);
        expect(logLines.join("\n")).toContain(
            `telecom.center: adopted termination gateway ${made.id} (name "adopt-gw" of customer c1 on connection "default"); it already matches the declared inputs: nothing changed`,
        );
    });

    it("updates a differing gateway with exactly one write, to what a created one records", async () => {
        const id = existing("adopt-gw");
        const adopted = await provider.create(await checked({ ...DECLARED, adopt: true }));
        expect(adopted.id).toBe(id);
        expect(writes(home)).toEqual([
            `PATCH /api/rest/public/operator/termination_gateways/${id}?include=customer -> 200`,
        ]);
        expect(logLines.join("\n")).toContain(
            `adopted termination gateway ${id} (name "adopt-gw" of customer c1 on connection "default"); updated: host, port, codecs, authorizationName, authorizationPassword`,
        );

        const reference = await created({ ...DECLARED, name: "reference" });
        expect(adopted.outs).toEqual({ ...reference.outs, name: "adopt-gw" });
        expect(adopted.outs).not.toHaveProperty("adopt");
    });

    it("leaves a state that refresh, diff, update and delete treat like a created one", async () => {
        existing("adopt-gw");
        const inputs = await checked({ ...DECLARED, adopt: true });
        const { id, outs } = await provider.create(inputs);

        const refreshed = await provider.read(id, outs);
        expect(refreshed.props).toEqual(outs);
        // adopt is a create-time instruction: changing or dropping it shows no diff.
        for (const adopt of [true, false, { id }, undefined]) {
            const diff = await provider.diff(id, outs, await checked({ ...DECLARED, adopt }));
            expect(diff.changes).toBe(false);
        }
        home.server.clearLog();
        const updated = await provider.update(
            id,
            outs,
            await checked({ ...DECLARED, host: "third.example.com", adopt: true }),
        );
        expect(updated.outs).toMatchObject({ host: "third.example.com" });
        expect(updated.outs).not.toHaveProperty("adopt");
        expect(writes(home)).toEqual([
            `PATCH /api/rest/public/operator/termination_gateways/${id}?include=customer -> 200`,
        ]);
        await provider.delete(id, updated.outs);
        expect(home.gateways()).toEqual([]);
    });

    it("refuses when no gateway has the name, creating nothing", async () => {
        existing("another");
        const error = await errorOf(provider.create(await checked({ ...DECLARED, adopt: true })));
        expect(error.message).toBe(
            'telecom.center: adopt termination gateway "adopt-gw": no termination gateway has name "adopt-gw" of customer c1 on connection "default"; nothing was adopted or created (remove adopt to create one)',
        );
        expect(writes(home)).toEqual([]);
        expect(home.gateways()).toHaveLength(1);
    });

    it("refuses when several gateways of the customer have the name, naming them, changing nothing", async () => {
        const first = existing("adopt-gw");
        const second = existing("adopt-gw", "other.example.com");
        const error = await errorOf(provider.create(await checked({ ...DECLARED, adopt: true })));
        expect(error.message).toBe(
            `telecom.center: adopt termination gateway "adopt-gw": 2 termination gateways have name "adopt-gw" of customer c1 on connection "default" (ids ${first}, ${second}); nothing was adopted or created: choose one with adopt: { id: "..." }`,
        );
        expect(writes(home)).toEqual([]);
    });

    it("refuses a second resource of the same run adopting the same gateway", async () => {
        const id = existing("adopt-gw");
        await provider.create(await checked({ ...DECLARED, adopt: true }));
        const error = await errorOf(provider.create(await checked({ ...DECLARED, adopt: { id } })));
        expect(error.message).toContain(
            `termination gateway ${id} (id ${id} on connection "default") is already adopted`,
        );
    });

    it("keeps a gateway one resource adopted from a plain create of the same run that finds it as a leftover", async () => {
        const made = await created(DECLARED);
        resetProcessState(); // a new run, whose stack does not know the gateway
        await configure();
        const adopted = await provider.create(await checked({ ...DECLARED, adopt: true }));
        expect(adopted.id).toBe(made.id);

        // The same inputs on another resource: the exact match is taken, so a new gateway is made.
        const other = await provider.create(await checked(DECLARED));
        expect(other.id).not.toBe(made.id);
        expect(home.gateways().map((gateway) => gateway.id)).toEqual([made.id, other.id]);
    });

    it("refuses to adopt a gateway a plain create of the same run took over as a leftover", async () => {
        const made = await created(DECLARED);
        resetProcessState();
        await configure();
        const leftover = await provider.create(await checked(DECLARED));
        expect(leftover.id).toBe(made.id);
        home.server.clearLog();

        const error = await errorOf(provider.create(await checked({ ...DECLARED, adopt: true })));
        expect(error.message).toBe(
            `telecom.center: adopt termination gateway "adopt-gw": termination gateway ${made.id} (name "adopt-gw" of customer c1 on connection "default") is already adopted by another resource`,
        );
        expect(writes(home)).toEqual([]);
        expect(home.gateways()).toHaveLength(1);
    });
});

describe("an account that masks passwords", () => {
    afterEach(() => {
        home.maskPasswords = false;
    });

    it("writes the declared password, which it cannot compare, in the one update", async () => {
        const { id } = home.createGateway("c1", {
            name: "adopt-gw",
            host: "new.example.com",
            port: 5080,
            codecs: ["PCMA", "PCMU"],
            authorization_name: "acme",
            authorization_password: "portal-password",
            operator: true,
        });
        home.maskPasswords = true;
        home.server.clearLog();
        const adopted = await provider.create(await checked({ ...DECLARED, adopt: true }));
        expect(adopted.id).toBe(id);
        expect(writes(home)).toEqual([
            `PATCH /api/rest/public/operator/termination_gateways/${id}?include=customer -> 200`,
        ]);
        expect(home.getGateway(id)).toMatchObject({ authorization_password: SIP_PASSWORD });
        expect(logLines.join("\n")).toContain("; updated: authorizationPassword");
    });
});

describe("adopt: { id }", () => {
    it("takes over the gateway with that id, renaming it in the one update", async () => {
        const id = existing("portal-name");
        const { id: adoptedId, outs } = await provider.create(await checked({ ...DECLARED, adopt: { id } }));
        expect(adoptedId).toBe(id);
        expect(outs).toMatchObject({ name: "adopt-gw", host: "new.example.com" });
        expect(home.getGateway(id)).toMatchObject({ name: "adopt-gw", host: "new.example.com" });
        expect(writes(home)).toEqual([
            `PATCH /api/rest/public/operator/termination_gateways/${id}?include=customer -> 200`,
        ]);
    });

    it("refuses an id of another connection's account, naming the connection", async () => {
        const id = existing("adopt-gw");
        const error = await errorOf(provider.create(await checked({ ...DECLARED, connection: "east", adopt: { id } })));
        expect(error.message).toBe(
            `telecom.center: adopt termination gateway "adopt-gw": no termination gateway has id ${id} on connection "east"; nothing was adopted or created (remove adopt to create one)`,
        );
        expect(writes(east)).toEqual([]);
        expect(writes(home)).toEqual([]);
        expect(east.gateways()).toEqual([]);
    });

    it("refuses by name on another connection too", async () => {
        existing("adopt-gw");
        const error = await errorOf(provider.create(await checked({ ...DECLARED, connection: "east", adopt: true })));
        expect(error.message).toContain(
            'no termination gateway has name "adopt-gw" of customer c1 on connection "east"',
        );
        expect(east.gateways()).toEqual([]);
    });
});

describe("a failure after adoption", () => {
    it("keeps the gateway, and records it in the stack as read (the next up updates it again)", async () => {
        const id = existing("adopt-gw");
        home.server.injectFaults({ fault: { kind: "status", status: 422, body: "" }, times: 10, method: "PATCH" });
        const error = await errorOf(provider.create(await checked({ ...DECLARED, adopt: true })));
        expect(error).toBeInstanceOf(ResourceInitError);
        const init = error as unknown as { id: string; properties: Record<string, unknown>; message: string };
        expect(init.id).toBe(id);
        expect(init.properties).toMatchObject({ name: "adopt-gw", host: "old.example.com" });
        expect(init.message).toContain(`adopted termination gateway ${id}`);
        expect(home.getGateway(id)).toMatchObject({ host: "old.example.com" });
        expect(writes(home).filter((line) => !line.startsWith("PATCH "))).toEqual([]);
    });
});

describe("check", () => {
    it("refuses an adopt value of another shape", async () => {
        const result = await provider.check({}, { __provider: "serialized", ...DECLARED, adopt: { name: "x" } });
        expect(result.failures).toEqual([
            {
                property: "adopt",
                reason: 'adopt must be true (find the object by its natural key), false, or { id: "<the object\'s id>" }',
            },
        ]);
    });
});
