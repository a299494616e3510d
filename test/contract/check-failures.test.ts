import type * as pulumi from "@pulumi/pulumi";
import { setStackConfig } from "../../provider/core/config";
import { runHook, type AnyResourceDefinition } from "../../provider/core/resource-definition";
import { resetProcessState } from "../../provider/core/process-state";
import { DEFINITIONS } from "../../provider/runtime";

/**
 * The engine prints a check failure as `property <property> value {<value>} has a problem:
 * <reason>`. So a reason never starts with its own property again (`port: ...`); what lies below
 * the property (`[0].number: ...`) is still named. A failure reported against no property prints
 * `has a problem: <reason>`, so its reason must name the property itself. A failing secret input
 * is never reported against its property (the engine would print a plain value in the clear),
 * and its reason never carries the value.
 */

const SECRET = "s3cret-value-never-printed";

/** Per registered resource type: inputs that pass, and patches of them that must fail. */
interface Case {
    valid: Record<string, unknown>;
    /** Each bad patch, with the property (or, when reported against none, the path) it must name. */
    bad: [Record<string, unknown>, string][];
}

const cases: Record<string, Case> = {
    "telecomcenter:TerminationGateway": {
        valid: { customerId: "c1", name: "gw", host: "gw.example.com" },
        bad: [
            [{ port: 70000 }, "port"],
            [{ host: "sip:gw.example.com" }, "host"],
            [{ codecs: ["PCMU", "G729"] }, "codecs"],
            [{ name: "" }, "name"],
            [{ authorizationName: "acme", authorizationPassword: "" }, "authorizationPassword"],
            [{ hots: "typo" }, "hots"],
        ],
    },
    "voicetel:AccountGateway": {
        valid: { host: "45.33.10.7" },
        bad: [
            [{ port: 0 }, "port"],
            [{ host: "10.0.0.1" }, "host"],
            [{ host: undefined }, "host"],
            [{ hostResolvesLater: "yes" }, "hostResolvesLater"],
            [{ prefix: "9" }, "prefix"],
        ],
    },
    "portsip:Trunk": {
        valid: { connection: "v22", name: "t", hostname: "sip.example.com", authId: "1" },
        bad: [
            [{ port: 70000 }, "port"],
            [{ transport: "SCTP" }, "transport"],
            [{ outboundServerPort: 5060 }, "outboundServerPort"],
            [{ outboundParameters: { fromUserPart: { value: "CUSTOM" } } }, "outboundParameters"],
            [{ connection: "v12", concurrency: 3 }, "concurrency"],
            [{ password: "" }, "password"],
            [{ password: 42 }, "password"],
            [{ codecs: ["PCMU"] }, "codecs"],
        ],
    },
    "openvox:SipTrunk": {
        valid: {
            connection: "hq",
            name: "carrier",
            trunkType: "register",
            host: "sip.example.com",
            username: "6100",
            password: "pw",
        },
        bad: [
            [{ port: 70000 }, "port"],
            [{ name: "a,b" }, "name"],
            [{ extensionDods: [{ number: "5503301", name: "sales-line", extension: "1000" }] }, "extensionDods"],
            [{ password: undefined }, "password"],
            [{ trunkType: "peer", username: undefined, password: SECRET }, "password"],
            [{ passwrod: SECRET }, "passwrod"],
        ],
    },
};

beforeEach(() => {
    resetProcessState();
    const config: Record<string, string> = { "portsip:v12.apiVersion": "v12", "portsip:v22.apiVersion": "v22" };
    setStackConfig({ get: (key) => config[key] });
});
afterAll(() => {
    setStackConfig(undefined);
});

async function check(definition: AnyResourceDefinition, news: Record<string, unknown>) {
    const defined = Object.fromEntries(Object.entries(news).filter(([, value]) => value !== undefined));
    return (await runHook(definition, "check", [{}, defined])) as {
        failures: pulumi.dynamic.CheckFailure[];
    };
}

/** The property a reason names first, as a label: `port: `, `extensionDods[0]...`, `outboundParameters.x`. */
function leadingLabel(reason: string): string | undefined {
    return /^([A-Za-z_]\w*)(?=[:[.])/.exec(reason)?.[1];
}

it("has a case for every registered resource type", () => {
    expect(DEFINITIONS.map((definition) => definition.token).filter((token) => !(token in cases))).toEqual([]);
});

describe.each(
    DEFINITIONS.flatMap((definition) => {
        const found = cases[definition.token];
        return found === undefined ? [] : [[definition.token, definition, found] as const];
    }),
)("%s", (_token, definition, { valid, bad }) => {
    const secretInputs: readonly string[] = definition.secretInputs;
    it("accepts the valid inputs the bad ones start from", async () => {
        expect((await check(definition, valid)).failures).toEqual([]);
    });

    it.each(bad)("%j: a failure names %s once", async (patch, named) => {
        const { failures } = await check(definition, { ...valid, ...patch });
        expect(failures.length).toBeGreaterThan(0);
        for (const failure of failures) {
            if (failure.property === "") {
                expect(leadingLabel(failure.reason)).toBeDefined();
            } else {
                expect(leadingLabel(failure.reason)).not.toBe(failure.property);
                expect(failure.reason.startsWith(`${failure.property}:`)).toBe(false);
                expect(secretInputs).not.toContain(failure.property);
            }
            expect(failure.reason).not.toContain(SECRET);
        }
        const names = failures.map((failure) => failure.property || leadingLabel(failure.reason));
        expect(names).toContain(named);
    });
});

describe("the rule itself", () => {
    it("spots a reason that repeats its property, top-level or nested", () => {
        expect(leadingLabel("port: must be between 1 and 65535")).toBe("port");
        expect(leadingLabel("extensionDods[0].number: must be a phone number")).toBe("extensionDods");
        expect(leadingLabel("outboundParameters.fromUserPart: is required")).toBe("outboundParameters");
        expect(leadingLabel("[0].number: must be a phone number")).toBeUndefined();
        expect(leadingLabel("must be between 1 and 65535")).toBeUndefined();
    });
});
