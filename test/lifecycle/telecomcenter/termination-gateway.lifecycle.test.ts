import { UNKNOWN } from "../../../provider/core/unknowns";
import { TelecomCenterSimulator } from "../../simulators/telecomcenter";
import { lifecycle, requestLog } from "../harness";
import { telecomCenterConfig, tuningConfig } from "../config";

/** The hooks as the engine calls them against the telecom.center simulator (see ../harness.ts). */

const USER = "op-lifecycle";
const PASSWORD = "canary-lifecycle-pw-3Jq";
const SIP_PASSWORD = "canary-lifecycle-sip-8Hz";

const sim = new TelecomCenterSimulator({ username: USER, password: PASSWORD });
const { provider, configure, checked } = lifecycle({
    type: "telecomcenter:TerminationGateway",
    simulators: [sim],
    config: () => ({
        ...telecomCenterConfig(sim.server.baseUrl, { username: USER, password: PASSWORD }),
        ...tuningConfig("telecomcenter", { retryBaseDelayMs: 5, requestTimeoutMs: 500 }),
    }),
});

beforeAll(() => {
    sim.addCustomer("c1");
    sim.addCustomer("c2");
});

const CREATE_LOOKUP = (name: string) =>
    `GET /api/rest/public/operator/termination_gateways?page%5Bnumber%5D=1&page%5Bsize%5D=100&filter%5Bcustomer.id%5D=c1&filter%5Bname%5D=${name} -> 200`;
const POST = "POST /api/rest/public/operator/termination_gateways?include=customer";

describe("TerminationGateway hooks", () => {
    it("creates with one lookup and one POST, and returns canonical outputs", async () => {
        const inputs = await checked({
            customerId: "c1",
            name: "lc-create",
            host: "GW.Example.com",
            authorizationName: "u",
            authorizationPassword: SIP_PASSWORD,
        });
        const { id, outs } = await provider.create(inputs);
        expect(outs).toEqual({
            connection: "default",
            customerId: "c1",
            name: "lc-create",
            host: "gw.example.com",
            port: 5060,
            networkProtocol: "IPv4_only",
            authorizationName: "u",
            authorizationPassword: SIP_PASSWORD,
            operator: true,
            stateVersion: 2,
        });
        expect(sim.getGateway(id)).toMatchObject({ host: "gw.example.com", port: 5060, customer_id: "c1" });
        expect(requestLog(sim.server)).toEqual([CREATE_LOOKUP("lc-create"), `${POST} -> 201`]);
    });

    it("diffs: nothing after create, in place for a port, replace for the customer, never for outputs", async () => {
        const inputs = await checked({ customerId: "c1", name: "lc-diff", host: "gw.example.com" });
        const { id, outs } = await provider.create(inputs);
        await expect(provider.diff(id, outs, inputs)).resolves.toEqual({
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        await expect(provider.diff(id, outs, { ...inputs, port: 5080 })).resolves.toEqual({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        await expect(provider.diff(id, outs, { ...inputs, customerId: "c2" })).resolves.toMatchObject({
            replaces: ["customerId"],
        });
        await expect(provider.diff(id, outs, { ...inputs, host: UNKNOWN })).resolves.toMatchObject({
            changes: true,
            replaces: [],
        });
    });

    it("updates with a partial PATCH of the changed attributes only", async () => {
        const inputs = await checked({
            customerId: "c1",
            name: "lc-update",
            host: "gw.example.com",
            srcRewriteRule: "^0",
        });
        const { id, outs } = await provider.create(inputs);
        sim.server.clearLog();
        const news = await checked({ customerId: "c1", name: "lc-update", host: "gw.example.com", port: 5070 });
        const updated = await provider.update(id, outs, news);
        expect(updated.outs).toMatchObject({ port: 5070, stateVersion: 2 });
        expect(updated.outs).not.toHaveProperty("srcRewriteRule");
        expect(sim.server.requests.map((entry) => JSON.parse(entry.rawBody) as unknown)).toEqual([
            { data: { id, type: "termination_gateways", attributes: { port: 5070, src_rewrite_rule: null } } },
        ]);
    });

    it("reads drift back as canonical inputs, and reports a deleted gateway as gone", async () => {
        const inputs = await checked({ customerId: "c1", name: "lc-read", host: "gw.example.com", codecs: ["PCMA"] });
        const { id, outs } = await provider.create(inputs);
        sim.editGateway(id, { host: "other.example.com", port: null, codecs: ["OPUS", "PCMA"] });
        const read = await provider.read(id, outs);
        expect(read.inputs).toEqual({ ...inputs, host: "other.example.com", codecs: ["OPUS", "PCMA"] });
        expect(read.props).toMatchObject({ host: "other.example.com", port: 5060, operator: true });

        sim.deleteGateway(id);
        await expect(provider.read(id, outs)).resolves.toEqual({ id: "", props: {} });
        await expect(provider.delete(id, outs)).resolves.toBeUndefined();
    });

    it("reads state written before versioning (version 0)", async () => {
        const inputs = await checked({ customerId: "c1", name: "lc-v0", host: "gw.example.com" });
        const { id, outs } = await provider.create(inputs);
        const { stateVersion: _version, connection: _connection, ...legacy } = outs as Record<string, unknown>;
        const read = await provider.read(id, legacy);
        expect(read.props).toMatchObject({ connection: "default", stateVersion: 2, host: "gw.example.com" });
        await expect(provider.read(id, { ...legacy, stateVersion: 99 })).rejects.toThrow(
            "the state was written by a newer pulumi-voip (state version 99, this one reads up to 2); upgrade pulumi-voip",
        );
    });

    it("adopts the gateway a POST created when its answer was lost, instead of creating a second one", async () => {
        const inputs = await checked({ customerId: "c1", name: "lc-ambiguous", host: "gw.example.com" });
        sim.server.injectFaults({
            fault: { kind: "status", status: 502, body: "" },
            times: 1,
            method: "POST",
            when: "after",
        });
        const { id } = await provider.create(inputs);
        expect(
            sim
                .gateways()
                .filter((gateway) => gateway.name === "lc-ambiguous")
                .map((gateway) => gateway.id),
        ).toEqual([id]);
        expect(requestLog(sim.server)).toEqual([
            CREATE_LOOKUP("lc-ambiguous"),
            `${POST} -> 502`,
            CREATE_LOOKUP("lc-ambiguous"),
            `GET /api/rest/public/operator/termination_gateways/${id}?include=customer -> 200`,
        ]);
    });

    it("sends the POST again when the vendor did not act on it", async () => {
        const inputs = await checked({ customerId: "c1", name: "lc-retry", host: "gw.example.com" });
        sim.server.injectFaults({ fault: { kind: "status", status: 503, body: "" }, times: 1, method: "POST" });
        await provider.create(inputs);
        expect(sim.gateways().filter((gateway) => gateway.name === "lc-retry")).toHaveLength(1);
        expect(requestLog(sim.server)).toEqual([
            CREATE_LOOKUP("lc-retry"),
            `${POST} -> 503`,
            CREATE_LOOKUP("lc-retry"),
            `${POST} -> 201`,
        ]);
    });

    it("reports vendor validation errors with vendor, operation, object, status and message", async () => {
        const inputs = await checked({ customerId: "no-such-customer", name: "lc-422", host: "gw.example.com" });
        const error = (await provider.create(inputs).catch((e: unknown) => e)) as Error;
        expect(error.message).toMatch(
            /^telecom\.center: create termination gateway "lc-422" failed \(HTTP 422, code 100\): .+/,
        );
    });

    it("fails with one clear message on bad credentials, without the password anywhere", async () => {
        await configure({ "telecomcenter:password": "canary-wrong-pw-0Lm" });
        const inputs = await checked({ customerId: "c1", name: "lc-401", host: "gw.example.com" });
        const error = (await provider.create(inputs).catch((e: unknown) => e)) as Error;
        expect(error.message).toMatch(
            /^telecom\.center: create termination gateway "lc-401": list termination gateways failed \(HTTP 401/,
        );
        expect(error.message).toMatch(/\(check telecomcenter:username \/ telecomcenter:password; not retried\)$/);
        expect(error.message).not.toContain("canary-wrong-pw-0Lm");
        expect(JSON.stringify(error)).not.toContain("canary");
        // A 401 is not retried.
        expect(sim.server.requests).toHaveLength(1);
    });

    it("names the missing setting and where to set it", async () => {
        await configure({ "telecomcenter:username": "" });
        delete process.env["TELECOMCENTER_USERNAME"];
        const inputs = await checked({ customerId: "c1", name: "lc-nocreds", host: "gw.example.com" });
        await expect(provider.create(inputs)).rejects.toThrow(
            'telecom.center: create termination gateway "lc-nocreds": missing setting telecomcenter:username: run `pulumi config set telecomcenter:username <value>` or set the TELECOMCENTER_USERNAME environment variable',
        );
    });

    it("falls back to environment variables when the stack config has no credentials", async () => {
        await configure({ "telecomcenter:username": "", "telecomcenter:password": "" });
        process.env["TELECOMCENTER_USERNAME"] = USER;
        process.env["TELECOMCENTER_PASSWORD"] = PASSWORD;
        try {
            const inputs = await checked({ customerId: "c1", name: "lc-env", host: "gw.example.com" });
            await expect(provider.create(inputs)).resolves.toMatchObject({ outs: { name: "lc-env" } });
        } finally {
            delete process.env["TELECOMCENTER_USERNAME"];
            delete process.env["TELECOMCENTER_PASSWORD"];
        }
    });

    it("sends exactly the JSON:API media type, never with a charset", async () => {
        const inputs = await checked({ customerId: "c1", name: "lc-media", host: "gw.example.com" });
        await provider.create(inputs);
        for (const entry of sim.server.requests) {
            expect(entry.headers["content-type"]).toBe("application/vnd.api+json");
            expect(entry.headers["accept"]).toBe("application/vnd.api+json");
        }
    });

    it("keeps credentials out of debug log lines", async () => {
        const lines: string[] = [];
        const spy = jest.spyOn(console, "error").mockImplementation((line: unknown) => {
            lines.push(String(line));
        });
        process.env["PULUMI_VOIP_DEBUG"] = "1";
        try {
            const inputs = await checked({
                customerId: "c1",
                name: "lc-debug",
                host: "gw.example.com",
                authorizationName: "u",
                authorizationPassword: SIP_PASSWORD,
            });
            sim.server.injectFaults({ fault: { kind: "status", status: 503, body: "" }, times: 1, method: "GET" });
            const { id, outs } = await provider.create(inputs);
            await provider.read(id, outs);
        } finally {
            delete process.env["PULUMI_VOIP_DEBUG"];
            spy.mockRestore();
        }
        expect(lines.some((line) => line.includes("retry 1/5"))).toBe(true);
        const all = lines.join("\n");
        expect(all).not.toContain(PASSWORD);
        expect(all).not.toContain(SIP_PASSWORD);
        expect(all).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString("base64"));
    });

    it("treats a 404 on delete as already deleted", async () => {
        await expect(
            provider.delete("5d1b7a3c-0000-4000-8000-000000000000", { stateVersion: 1 }),
        ).resolves.toBeUndefined();
        expect(requestLog(sim.server)).toEqual([
            "DELETE /api/rest/public/operator/termination_gateways/5d1b7a3c-0000-4000-8000-000000000000 -> 404",
        ]);
    });
});
