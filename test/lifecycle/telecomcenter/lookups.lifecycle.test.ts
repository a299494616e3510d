import {
    getTerminationGateway,
    getTerminationGatewayOutput,
    listTerminationGateways,
    listTerminationGatewaysOutput,
} from "../../../provider/vendors/telecomcenter";
import { TelecomCenterSimulator } from "../../simulators/telecomcenter";
import { errorOf, lifecycle, requestLog } from "../harness";
import { telecomCenterConfig, tuningConfig } from "../config";
import { asLookedUp, outputOf, resolved, setProgramConfig } from "../lookups";

/** telecomcenter.getTerminationGateway / listTerminationGateways against the simulator, as a program calls them. */

const USER = "op-lookups";
const PASSWORD = "canary-lookups-pw-5Tb";
const SIP_PASSWORD = "canary-lookups-sip-2Wd";
const UNKNOWN_ID = "0b6a2c3e-9a7d-4f51-8d3e-6f1b2a3c4d5e";

const sim = new TelecomCenterSimulator({ username: USER, password: PASSWORD });
const config = (): Record<string, string> => ({
    ...telecomCenterConfig(sim.server.baseUrl, { username: USER, password: PASSWORD }),
    ...tuningConfig("telecomcenter", { retryBaseDelayMs: 5, requestTimeoutMs: 500 }),
});
const { created } = lifecycle({
    type: "telecomcenter:TerminationGateway",
    simulators: [sim],
    config,
    secrets: [PASSWORD, SIP_PASSWORD],
});

beforeAll(() => {
    sim.addCustomer("c1");
    sim.addCustomer("c2");
});
beforeEach(() => {
    for (const gateway of sim.gateways()) sim.deleteGateway(gateway.id);
    setProgramConfig(config());
});

const GATEWAY = {
    customerId: "c1",
    name: "lookup-a",
    host: "GW-A.Example.com",
    codecs: ["PCMA", "PCMU"],
    dstRewriteRule: "^00",
    dstRewriteResult: "+",
    authorizationName: "acme",
    authorizationPassword: SIP_PASSWORD,
};

describe("getTerminationGateway", () => {
    it("finds a gateway by id and by customer and name, with what the created resource outputs; the password a secret", async () => {
        const { id, outs } = await created(GATEWAY);
        sim.server.clearLog();
        const expected = asLookedUp(id, outs);

        const byId = await resolved(await getTerminationGateway({ id }));
        expect(byId).toEqual({ plain: expected, secrets: ["authorizationPassword"] });
        const byName = await resolved(await getTerminationGateway({ customerId: "c1", name: "lookup-a" }));
        expect(byName).toEqual({ plain: expected, secrets: ["authorizationPassword"] });
        // Read only: no write of any kind.
        expect(requestLog(sim.server).every((line) => line.startsWith("GET "))).toBe(true);
    });

    it("reports the account's default codecs, which a resource leaves unmanaged", async () => {
        const made = sim.createGateway("c1", { name: "ui-made", host: "10.0.0.9", operator: false });
        const { plain, secrets } = await resolved(await getTerminationGateway({ id: made.id }));
        expect(plain).toEqual({
            id: made.id,
            connection: "default",
            customerId: "c1",
            name: "ui-made",
            host: "10.0.0.9",
            port: 5060,
            codecs: ["PCMU", "PCMA", "telephone-event/8000"],
            networkProtocol: "IPv4_only",
            operator: false,
        });
        expect(secrets).toEqual([]);
    });

    it("has an Output form taking Inputs, secret when the gateway has a password", async () => {
        const { id, outs } = await created(GATEWAY);
        const withPassword = await outputOf(getTerminationGatewayOutput({ id: Promise.resolve(id) }));
        expect(withPassword).toEqual({ value: { ...asLookedUp(id, outs) }, secret: true });
        const plainGateway = sim.createGateway("c1", { name: "no-secret", host: "10.0.0.8" });
        const without = await outputOf(getTerminationGatewayOutput({ customerId: "c1", name: "no-secret" }));
        expect(without.secret).toBe(false);
        expect(without.value.id).toBe(plainGateway.id);
    });

    it("fails when nothing matches, naming the vendor, the connection and what was looked for", async () => {
        await expect(getTerminationGateway({ id: UNKNOWN_ID })).rejects.toThrow(
            `telecom.center: no termination gateway with id ${UNKNOWN_ID} on connection "default"`,
        );
        await expect(getTerminationGateway({ customerId: "c1", name: "nowhere" })).rejects.toThrow(
            'telecom.center: no termination gateway named "nowhere" of customer c1 on connection "default"',
        );
    });

    it("refuses to choose between gateways of one name, naming their ids", async () => {
        const first = sim.createGateway("c1", { name: "twin", host: "10.0.0.1" });
        const second = sim.createGateway("c1", { name: "twin", host: "10.0.0.2" });
        sim.createGateway("c2", { name: "twin", host: "10.0.0.3" });
        const error = await errorOf(getTerminationGateway({ customerId: "c1", name: "twin" }));
        expect(error.message).toBe(
            `telecom.center: 2 termination gateways named "twin" of customer c1 on connection "default" (ids ${first.id}, ${second.id}); look it up by id to choose one`,
        );
    });

    it("fails on a connection without settings, or whose credentials are refused, as the resource does", async () => {
        await expect(getTerminationGateway({ connection: "east", id: UNKNOWN_ID })).rejects.toThrow(
            "telecom.center: missing setting telecomcenter:east.username: run `pulumi config set telecomcenter:east.username <value>` or set the TELECOMCENTER_EAST_USERNAME environment variable",
        );
        setProgramConfig({ ...config(), "telecomcenter:password": "wrong-password" });
        const error = await errorOf(getTerminationGateway({ id: UNKNOWN_ID }));
        expect(error.message).toContain("HTTP 401");
        expect(error.message).toContain("(check telecomcenter:username / telecomcenter:password; not retried)");
    });
});

describe("listTerminationGateways", () => {
    it("lists every gateway of one customer as lookups report them", async () => {
        const a = await created(GATEWAY);
        const b = await created({ customerId: "c1", name: "lookup-b", host: "10.1.1.1", codecs: ["G722"] });
        await created({ customerId: "c2", name: "other", host: "10.1.1.2" });
        const listed = await listTerminationGateways({ customerId: "c1" });
        const plain = await Promise.all(listed.map(async (result) => (await resolved(result)).plain));
        expect(plain).toEqual([asLookedUp(a.id, a.outs), asLookedUp(b.id, b.outs)]);

        const output = await outputOf(listTerminationGatewaysOutput({ customerId: "c1" }));
        expect(output).toEqual({ value: plain, secret: true });
        await expect(listTerminationGateways({ customerId: "c-none" })).resolves.toEqual([]);
    });

    it("fails on a connection without settings", async () => {
        await expect(listTerminationGateways({ connection: "east", customerId: "c1" })).rejects.toThrow(
            "telecom.center: missing setting telecomcenter:east.username",
        );
    });
});
