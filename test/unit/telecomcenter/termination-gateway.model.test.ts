import { checkInputs } from "../../../provider/core/check";
import { diffInputs } from "../../../provider/core/diff";
import {
    changedWireAttributes,
    fromWire,
    inputSchema,
    REPLACE_ON_CHANGES,
    SECRET_INPUTS,
    toWireAttributes,
    upgradeState,
    VENDOR_DEFAULTED,
    type TerminationGatewayInputs,
    type WireResource,
} from "../../../provider/vendors/telecomcenter/termination-gateway/model";

function check(news: Record<string, unknown>) {
    return checkInputs(inputSchema(), news, SECRET_INPUTS);
}

function wire(attributes: Partial<WireResource["attributes"]> = {}, customerId?: string): WireResource {
    return {
        id: "7d952482-1bff-4401-9d46-63126c9bc69d",
        type: "termination_gateways",
        attributes: {
            name: "gw",
            host: "sip.example.com",
            port: null,
            codecs: ["PCMU", "PCMA", "telephone-event/8000"],
            src_rewrite_rule: null,
            src_rewrite_result: null,
            dst_rewrite_rule: null,
            dst_rewrite_result: null,
            authorization_name: null,
            authorization_password: null,
            network_protocol: "IPv4_only",
            operator: true,
            ...attributes,
        },
        ...(customerId === undefined
            ? {}
            : { relationships: { customer: { data: { id: customerId, type: "customers" } } } }),
    };
}

describe("termination gateway inputs", () => {
    it("canonicalizes: defaults for port and protocol, lower-case host", async () => {
        expect(await check({ customerId: "c1", name: "gw", host: "SIP.Example.com" })).toEqual({
            inputs: {
                connection: "default",
                customerId: "c1",
                name: "gw",
                host: "sip.example.com",
                port: 5060,
                networkProtocol: "IPv4_only",
            },
            failures: [],
        });
        expect((await check({ connection: "east", customerId: "c1", name: "gw", host: "gw" })).inputs).toMatchObject({
            connection: "east",
        });
    });

    it("refuses a connection name that cannot form a config key", async () => {
        expect((await check({ connection: "1st", customerId: "c1", name: "gw", host: "gw" })).failures).toEqual([
            {
                property: "connection",
                reason: "must start with a letter and hold only letters, digits, '-' or '_', at most 63 (it names stack config keys telecomcenter:<connection>.username, ...)",
            },
        ]);
    });

    it.each([
        [{ port: 0 }, "port", "must be between 1 and 65535"],
        [{ port: 70000 }, "port", "must be between 1 and 65535"],
        [{ port: 50.5 }, "port", "must be a whole number"],
        [{ name: "" }, "name", "must not be empty"],
        [{ host: "sip:gw.example.com" }, "host", 'must be a bare host without a scheme (got "sip:gw.example.com")'],
        [
            { host: "gw.example.com:5080" },
            "host",
            'must not carry a port; use the port property (got "gw.example.com:5080")',
        ],
        [{ host: "bad_host!" }, "host", 'must be a valid hostname or IP address (got "bad_host!")'],
        [
            { codecs: ["PCMU", "G729"] },
            "codecs",
            expect.stringContaining(
                '[1]: must be one of g729, G722, GSM, PCMA, PCMU, OPUS, telephone-event/8000 (got "G729")',
            ),
        ],
        [{ codecs: ["PCMU", "PCMU"] }, "codecs", "must not repeat a value"],
        [{ codecs: [] }, "codecs", "must not be empty"],
        [
            { networkProtocol: "IPv5" },
            "networkProtocol",
            expect.stringContaining(
                'must be one of IPv4_only, IPv6_only, IPv4_pref, IPv6_pref, Dualstack (got "IPv5")',
            ),
        ],
        [{ srcRewriteRule: "([" }, "srcRewriteRule", "must be a valid regular expression"],
        [
            { dstRewriteResult: "\\1" },
            "dstRewriteResult",
            "needs dstRewriteRule: a result without a rule rewrites nothing",
        ],
    ])("rejects %j naming %s", async (patch, property, reason) => {
        const { failures } = await check({ customerId: "c1", name: "gw", host: "gw.example.com", ...patch });
        expect(failures).toEqual([{ property, reason }]);
    });

    it("never reports the password against its own property (its value would be printed)", async () => {
        const { failures } = await check({
            customerId: "c1",
            name: "gw",
            host: "gw.example.com",
            authorizationName: "u",
            authorizationPassword: "",
        });
        expect(failures).toEqual([
            { property: "", reason: "authorizationPassword: must not be empty; leave it out instead" },
        ]);
    });

    it("requires authorizationName with a password", async () => {
        const { failures } = await check({
            customerId: "c1",
            name: "gw",
            host: "gw.example.com",
            authorizationPassword: "pw-123",
        });
        expect(failures).toEqual([
            {
                property: "authorizationName",
                reason: "is required when authorizationPassword is set",
            },
        ]);
    });
});

describe("termination gateway wire mapping", () => {
    const inputs: TerminationGatewayInputs = {
        connection: "default",
        customerId: "c1",
        name: "gw",
        host: "sip.example.com",
        port: 5060,
        networkProtocol: "IPv4_only",
    };

    it("sends every writable attribute, null for what is left out, and no codecs unless managed", () => {
        expect(toWireAttributes(inputs)).toEqual({
            name: "gw",
            host: "sip.example.com",
            port: 5060,
            src_rewrite_rule: null,
            src_rewrite_result: null,
            dst_rewrite_rule: null,
            dst_rewrite_result: null,
            authorization_name: null,
            authorization_password: null,
            network_protocol: "IPv4_only",
        });
    });

    it("patches only what changed, with null to clear", () => {
        expect(changedWireAttributes({ ...inputs, srcRewriteRule: "^0" }, { ...inputs, port: 5080 })).toEqual({
            port: 5080,
            src_rewrite_rule: null,
        });
    });

    it("reads port null as 5060 and leaves unmanaged codecs out", () => {
        expect(fromWire(wire({}, "c1"), { customerId: "c0" }).inputs).toEqual(inputs);
    });

    it("reports managed codecs, the customer from the relationship, and a readable password", () => {
        const { inputs: read, outs } = fromWire(
            wire({ codecs: ["PCMA"], authorization_name: "u", authorization_password: "pw2" }, "c9"),
            {
                customerId: "c1",
                codecs: ["PCMU"],
                authorizationPassword: "pw1",
            },
        );
        expect(read).toMatchObject({
            customerId: "c9",
            codecs: ["PCMA"],
            authorizationName: "u",
            authorizationPassword: "pw2",
        });
        expect(outs.operator).toBe(true);
    });

    it("keeps the known password when the server masks it", () => {
        const { inputs: read } = fromWire(wire({ authorization_name: "u" }), {
            customerId: "c1",
            authorizationPassword: "pw1",
        });
        expect(read.authorizationPassword).toBe("pw1");
    });
});

describe("connections in the diff and the state", () => {
    const rules = {
        inputKeys: Object.keys(inputSchema().shape),
        replaceOnChanges: REPLACE_ON_CHANGES,
        vendorDefaulted: VENDOR_DEFAULTED,
    };
    const news = {
        connection: "default",
        customerId: "c1",
        name: "gw",
        host: "sip.example.com",
        port: 5060,
        networkProtocol: "IPv4_only",
    };

    it("replaces the gateway when the connection changes: another connection is another operator", () => {
        expect(diffInputs(rules, news, { ...news, connection: "east" })).toMatchObject({
            replaces: ["connection"],
            changed: ["connection"],
        });
    });

    it("reads state of 0.1 (no connection, versions 0 and 1) as the default connection: no diff", () => {
        const { connection: _none, ...legacy } = news;
        for (const version of [0, 1]) {
            const upgraded = upgradeState({ ...legacy, operator: true, stateVersion: version });
            expect(upgraded).toMatchObject({ connection: "default", customerId: "c1", operator: true });
            expect(diffInputs(rules, upgraded as unknown as Record<string, unknown>, news).changes).toBe(false);
        }
        expect(upgradeState({ ...news, connection: "east" }).connection).toBe("east");
    });

    it("keeps the program's connection when reading a gateway back", () => {
        expect(fromWire(wire({}, "c1"), { connection: "east", customerId: "c1" }).outs.connection).toBe("east");
        expect(fromWire(wire({}, "c1"), { customerId: "c1" }).outs.connection).toBe("default");
    });
});
