import { setResolverForTests } from "../../../provider/vendors/voicetel/account-gateway/host";
import {
    getAccountGateway,
    getAccountGatewayOutput,
    listAccountGateways,
    listAccountGatewaysOutput,
} from "../../../provider/vendors/voicetel";
import { VoiceTelSimulator } from "../../simulators/voicetel";
import { errorOf, lifecycle, requestLog } from "../harness";
import { resolveFrom } from "./hosts";
import { tuningConfig, voiceTelConfig } from "../config";
import { asLookedUp, outputOf, resolved, setProgramConfig } from "../lookups";

/** voicetel.getAccountGateway / listAccountGateways against the simulator, as a program calls them. */

const API_KEY = "canary-voicetel-lookup-key-71ce";
const HOSTS: Record<string, string> = { "sip.carrier.example.com": "45.33.20.1" };

// Duplicates allowed: an account can hold two routes one address apart only in case or `:5060`, or
// by an older rule; a lookup must never pick one.
const sim = new VoiceTelSimulator({ apiKey: API_KEY, hosts: HOSTS, allowDuplicateGateways: true });
const config = (): Record<string, string> => ({
    ...voiceTelConfig(sim.server.baseUrl, API_KEY),
    ...tuningConfig("voicetel", { retryBaseDelayMs: 5, requestTimeoutMs: 500, maxRetries: 3 }),
});
const { created } = lifecycle({ type: "voicetel:AccountGateway", simulators: [sim], config, secrets: [API_KEY] });

/** Properties of the resource that are the program's, not VoiceTel's. */
const PROGRAM_ONLY = ["hostResolvesLater"];

beforeEach(() => {
    resolveFrom(HOSTS);
    setProgramConfig(config());
});
afterAll(() => {
    setResolverForTests(undefined);
});

describe("getAccountGateway", () => {
    it("finds a gateway by route id and by host and port, with what the created resource outputs", async () => {
        const { id, outs } = await created({ host: "SIP.Carrier.Example.com", port: 5070 });
        sim.addRoute("45.33.20.9:5060");
        sim.server.clearLog();
        const expected = asLookedUp(id, outs, PROGRAM_ONLY);

        expect(await getAccountGateway({ routeId: Number(id) })).toEqual(expected);
        expect(await getAccountGateway({ host: "sip.carrier.example.com.", port: 5070 })).toEqual(expected);
        // Read only: the list is VoiceTel's only read.
        expect(requestLog(sim.server)).toEqual([
            "POST /v2.1/gateways/list/ -> 200",
            "POST /v2.1/gateways/list/ -> 200",
        ]);
        const output = await outputOf(getAccountGatewayOutput({ routeId: Promise.resolve(Number(id)) }));
        expect(output).toEqual({ value: expected, secret: false });
    });

    it("takes port 5060 when the lookup names none, as the resource does", async () => {
        const route = sim.addRoute("45.33.20.7");
        const found = await getAccountGateway({ host: "45.33.20.7" });
        expect(found).toEqual({
            id: String(route),
            connection: "default",
            host: "45.33.20.7",
            port: 5060,
            routeId: route,
            address: "45.33.20.7",
        });
        await expect(resolved(found)).resolves.toMatchObject({ secrets: [] });
    });

    it("fails when nothing matches, a system route included, naming the vendor, the connection and what was looked for", async () => {
        await expect(getAccountGateway({ routeId: 4 })).rejects.toThrow(
            'VoiceTel: no account gateway with route id 4 on connection "default"',
        );
        await expect(getAccountGateway({ host: "45.33.20.99", port: 5080 })).rejects.toThrow(
            'VoiceTel: no account gateway at 45.33.20.99:5080 on connection "default"',
        );
    });

    it("refuses to choose between routes of one address, naming their route ids", async () => {
        const first = sim.addRoute("45.33.20.5:5060");
        const second = sim.addRoute("45.33.20.5");
        const error = await errorOf(getAccountGateway({ host: "45.33.20.5" }));
        expect(error.message).toBe(
            `VoiceTel: 2 account gateways at 45.33.20.5:5060 on connection "default" (ids ${first}, ${second}); look it up by id to choose one`,
        );
    });

    it("fails on a connection without settings, or whose key is refused, as the resource does", async () => {
        await expect(getAccountGateway({ connection: "east", routeId: 1000 })).rejects.toThrow(
            "VoiceTel: missing setting voicetel:east.apiKey: run `pulumi config set --secret voicetel:east.apiKey <value>` or set the VOICETEL_EAST_API_KEY environment variable",
        );
        setProgramConfig({ ...config(), "voicetel:apiKey": "canary-wrong-key" });
        const error = await errorOf(getAccountGateway({ routeId: 1000 }));
        expect(error.message).toContain("(check voicetel:apiKey; not retried)");
    });
});

describe("listAccountGateways", () => {
    it("lists the account's gateways, never its system routes", async () => {
        const a = await created({ host: "sip.carrier.example.com" });
        const b = sim.addRoute("45.33.20.3:5090");
        const listed = await listAccountGateways();
        expect(listed).toEqual([
            asLookedUp(a.id, a.outs, PROGRAM_ONLY),
            {
                id: String(b),
                connection: "default",
                host: "45.33.20.3",
                port: 5090,
                routeId: b,
                address: "45.33.20.3:5090",
            },
        ]);
        await expect(outputOf(listAccountGatewaysOutput())).resolves.toEqual({ value: listed, secret: false });
    });

    it("fails on a connection without settings", async () => {
        await expect(listAccountGateways({ connection: "east" })).rejects.toThrow(
            "VoiceTel: missing setting voicetel:east.apiKey",
        );
    });
});
