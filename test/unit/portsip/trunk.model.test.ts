import { PULUMI_NAME_KEY } from "../../../provider/core/resource-class";
import { SimulatorServer } from "../../simulators/core/server";
import { setStackConfig } from "../../../provider/core/config";
import { checkInputs } from "../../../provider/core/check";
import { diffInputs } from "../../../provider/core/diff";
import {
    describeV12Error,
    describeV22Error,
    idText,
    parseLossless,
    stringifyLossless,
    wireId,
} from "../../../provider/vendors/portsip/client";
import { resetProcessState } from "../../../provider/core/process-state";
import { generationForCheck, generationFromInfo, pinnedGeneration } from "../../../provider/vendors/portsip/connection";
import { claimDids, parseDidPool } from "../../../provider/vendors/portsip/trunk/dids";
import { fromV12, toV12Create, toV12Update, V12_TRUNK } from "../../../provider/vendors/portsip/trunk/generations/v12";
import {
    fromV22,
    toV22Create,
    toV22Update,
    V22_TRUNK,
} from "../../../provider/vendors/portsip/trunk/generations/v22-wire";
import { parseWire } from "../../../provider/vendors/portsip/trunk/generations/wire";
import { parseCidrList } from "../../../provider/vendors/portsip/trunk/ip";
import {
    changedProperties,
    REPLACE_ON_CHANGES,
    SECRET_INPUTS,
    type TrunkInputs,
} from "../../../provider/vendors/portsip/trunk/model";
import { trunk } from "../../../provider/vendors/portsip/trunk/definition";
import { inputSchema } from "../../../provider/vendors/portsip/trunk/validation";

/** Pure rules of portsip:Trunk: validation, canonical form, wire mapping both ways, replace rules. */

let config: Record<string, string> = {};

function useConfig(values: Record<string, string>): void {
    config = {
        "portsip:v12.apiVersion": "v12",
        "portsip:v22.apiVersion": "v22",
        "portsip:v22.url": "http://pbx-22.invalid:8888",
        ...values,
    };
    setStackConfig({ get: (key) => config[key] });
}

beforeEach(() => {
    resetProcessState();
    useConfig({});
});
afterAll(() => {
    setStackConfig(undefined);
});

function check(news: Record<string, unknown>) {
    return checkInputs(inputSchema(), news, SECRET_INPUTS);
}

async function canonical(news: Record<string, unknown>): Promise<TrunkInputs> {
    const result = await check(news);
    expect(result.failures).toEqual([]);
    return result.inputs as TrunkInputs;
}

const BASE22 = { connection: "v22", name: "t", hostname: "sip.example.com", authId: "1" };
const BASE12 = { connection: "v12", name: "t", hostname: "sip.example.com", authId: "1" };

describe("validation (no API call: the generation is pinned)", () => {
    it.each<[string, Record<string, unknown>, string, string]>([
        ["an empty name", { name: "" }, "name", "must not be empty"],
        ["a 65-character name", { name: "x".repeat(65) }, "name", "must be at most 64 characters"],
        ["port 70000", { port: 70000 }, "port", "must be a whole number from 0 to 65535"],
        ["port 1.5", { port: 1.5 }, "port", "must be a whole number from 0 to 65535"],
        ["port 0 over TCP", { port: 0, transport: "TCP" }, "port", "0 (no port) is allowed only with transport UDP"],
        ["an unknown transport", { transport: "SCTP" }, "transport", 'must be one of UDP, TCP, TLS (got "SCTP")'],
        [
            "an unknown auth mode",
            { authMode: "DIGEST" },
            "authMode",
            'must be one of IP_AUTH, REGISTER_AUTH, ACCEPT_REGISTER, TEAMS, WHATS_APP (got "DIGEST")',
        ],
        [
            "a host with a scheme",
            { hostname: "sip:a.example" },
            "hostname",
            'must be a bare host without a scheme (got "sip:a.example")',
        ],
        [
            "an additional IP that is no address",
            { additionalIps: ["203.0.113.1", "nope"] },
            "additionalIps",
            '[1]: "nope" is not an IPv4 or IPv6 address or CIDR block',
        ],
        [
            "a CIDR block with host bits",
            { additionalIps: ["192.0.2.5/24"] },
            "additionalIps",
            '[0]: "192.0.2.5/24" has host bits set; the block is 192.0.2.0/24',
        ],
        [
            "a prefix too long",
            { additionalIps: ["2001:db8::/129"] },
            "additionalIps",
            '[0]: "2001:db8::/129": the prefix length must be at most 128',
        ],
        [
            "an empty CIDR entry",
            { additionalIps: ["192.0.2.0/24", ""] },
            "additionalIps",
            '[1]: "" is not an IPv4 or IPv6 address or CIDR block',
        ],
        [
            "the ';'-joined CIDR text of 0.1",
            { additionalIps: "192.0.2.0/24;198.51.100.7" },
            "additionalIps",
            `must be a list with one entry per element, e.g. ["198.51.100.0/24", "2001:db8::/32"]; the ';'-joined text of pulumi-voip 0.1 is no longer accepted`,
        ],
        ["a CIDR entry that is not a string", { additionalIps: [24] }, "additionalIps", "[0]: must be a string"],
        [
            "a repeated CIDR block",
            { additionalIps: ["192.0.2.1", "192.0.2.1/32"] },
            "additionalIps",
            '"192.0.2.1/32" is listed twice',
        ],
        [
            "a DID starting with +",
            { didNumbers: ["+14155550100"] },
            "didNumbers",
            '[0]: "+14155550100" must be a number or a range like 12000-18000 of up to 20 digits, not starting with + or 0',
        ],
        [
            "a DID starting with 0",
            { didNumbers: ["100", "0044"] },
            "didNumbers",
            '[1]: "0044" must be a number or a range like 12000-18000 of up to 20 digits, not starting with + or 0',
        ],
        ["a reversed range", { didNumbers: ["200-100"] }, "didNumbers", '[0]: range "200-100" ends before it starts'],
        [
            "overlapping entries",
            { didNumbers: ["150", "100-200"] },
            "didNumbers",
            'entries "100-200" and "150" overlap',
        ],
        [
            "the ';'-joined DID text of 0.1",
            { didNumbers: "100;200" },
            "didNumbers",
            `must be a list with one entry per element, e.g. ["4155550100-4155550199", "4155550300"]; the ';'-joined text of pulumi-voip 0.1 is no longer accepted`,
        ],
        [
            "an outbound port without a server",
            { outboundServerPort: 5060 },
            "outboundServerPort",
            "needs outboundServer (0 means no outbound proxy)",
        ],
        [
            "an outbound server over TCP without a port",
            { transport: "TCP", outboundServer: "proxy.example" },
            "outboundServerPort",
            "must be from 1 to 65535 with an outboundServer over TCP or TLS",
        ],
        [
            "a register trunk without auth id",
            { authId: undefined },
            "authId",
            "is required to register (authMode REGISTER_AUTH)",
        ],
        [
            "a timeout without waiting",
            { onlineTimeoutSeconds: 30 },
            "onlineTimeoutSeconds",
            "applies only with waitUntilOnline: true",
        ],
        [
            "a timeout over an hour",
            { waitUntilOnline: true, onlineTimeoutSeconds: 3601 },
            "onlineTimeoutSeconds",
            "must be a whole number from 1 to 3600",
        ],
        ["a negative concurrency", { concurrency: -1 }, "concurrency", "must be a whole number from 0 to 2147483647"],
        [
            "CUSTOM without a custom value",
            { outboundParameters: { fromUserPart: { value: "CUSTOM" } } },
            "outboundParameters",
            "fromUserPart.customValue: is required when value is CUSTOM",
        ],
        [
            "a custom value without CUSTOM",
            { outboundParameters: { toHostPart: { value: "SIP_DOMAIN", customValue: "x" } } },
            "outboundParameters",
            "toHostPart.customValue: is used only when value is CUSTOM",
        ],
        [
            "a user value on a host part",
            { outboundParameters: { toHostPart: { value: "CALLER_NUM" } } },
            "outboundParameters",
            'toHostPart.value: must be one of TRUNK_HOST_PORT, OUT_HOST_PORT, CONTACT_URI, SIP_DOMAIN, DEFAULT, CUSTOM (got "CALLER_NUM")',
        ],
        [
            "a repeated verification status",
            {
                inboundParameters: {
                    dropCallsWithVerificationStatus: ["TN-Validation-Failed", "TN-Validation-Failed"],
                },
            },
            "inboundParameters",
            "dropCallsWithVerificationStatus: must not repeat a value",
        ],
        ["an unknown property", { codecs: ["PCMU"] }, "", "codecs: unknown property"],
        [
            "a v12 field",
            { inParameters: [] },
            "inParameters",
            'is a PortSIP v12 field; the PBX of connection "v22" speaks v16+/v22',
        ],
        [
            "a bad connection name",
            { connection: "east pbx" },
            "connection",
            "must start with a letter and hold only letters, digits, '-' or '_', at most 63 (it names stack config keys portsip:<connection>.url, ...)",
        ],
    ])("fails on %s, naming the property", async (_case, patch, property, reason) => {
        expect((await check({ ...BASE22, ...patch })).failures).toEqual([{ property, reason }]);
    });

    it.each<[string, Record<string, unknown>, string, string]>([
        ["TLS", { transport: "TLS" }, "transport", "TLS needs PortSIP v16+/v22; v12 knows UDP and TCP"],
        [
            "ACCEPT_REGISTER",
            { authMode: "ACCEPT_REGISTER" },
            "authMode",
            "ACCEPT_REGISTER needs PortSIP v16+/v22; v12 knows IP_AUTH and REGISTER_AUTH",
        ],
        ["port 0", { port: 0 }, "port", "must be a whole number from 1 to 65535 on PortSIP v12"],
        [
            "a DID pool",
            { didNumbers: ["100"] },
            "didNumbers",
            'is a PortSIP v16+/v22 field; the PBX of connection "v12" speaks v12',
        ],
        [
            "concurrency",
            { concurrency: 10 },
            "concurrency",
            'is a PortSIP v16+/v22 field; the PBX of connection "v12" speaks v12',
        ],
        [
            "inbound parameters",
            { inboundParameters: {} },
            "inboundParameters",
            'is a PortSIP v16+/v22 field; the PBX of connection "v12" speaks v12',
        ],
    ])("fails %s on a v12 PBX", async (_case, patch, property, reason) => {
        expect((await check({ ...BASE12, ...patch })).failures).toEqual([{ property, reason }]);
    });

    it("accepts port 0 on v22 over UDP (no port), and reports a bad password without its value", async () => {
        expect((await canonical({ ...BASE22, port: 0 })).port).toBe(0);
        expect((await check({ ...BASE22, password: 5 })).failures).toEqual([
            { property: "", reason: "password: must be a string" },
        ]);
    });

    it("rejects an apiVersion that is neither v12 nor v22, on the connection property", async () => {
        useConfig({ "portsip:v22.apiVersion": "v13" });
        expect((await check(BASE22)).failures).toEqual([
            {
                property: "connection",
                reason: 'PortSIP: portsip:v22.apiVersion must be "v12" or "v22" (v16 and later speak v22), got "v13"',
            },
        ]);
    });
});

describe("canonical form", () => {
    it("fills each generation's defaults and nothing of the other's", async () => {
        const v22 = await canonical({ ...BASE22, authMode: "IP_AUTH", authId: undefined });
        expect(v22).toEqual({
            connection: "v22",
            name: "t",
            authMode: "IP_AUTH",
            transport: "UDP",
            hostname: "sip.example.com",
            port: 5060,
            registration: false,
            registerInterval: 600,
            outboundServerPort: 0,
            inLan: false,
            singleViaHeader: true,
            enabled: true,
            rewriteViaIp: true,
            verifyPort: true,
            keepAlive: true,
            keepAliveInterval: 360,
            adjustSdpDirection: true,
            removeSrtpInfo: true,
            stirShakenSignatureRequired: false,
            waitUntilOnline: false,
        });
        expect(await canonical(BASE12)).toEqual({
            connection: "v12",
            name: "t",
            authMode: "REGISTER_AUTH",
            transport: "UDP",
            hostname: "sip.example.com",
            port: 5060,
            authId: "1",
            registration: true,
            registerInterval: 600,
            outboundServerPort: 0,
            inLan: false,
            singleViaHeader: true,
            inParameters: [],
            outParameters: [],
            waitUntilOnline: false,
        });
    });

    it("normalizes hosts, CIDR and DID lists (sorted: they are sets), and drops the hidden resource name", async () => {
        const inputs = await canonical({
            ...BASE22,
            hostname: "SIP.Example.COM.",
            outboundServer: "Proxy.Example",
            outboundServerPort: 5070,
            additionalIps: [" 203.0.113.7 ", "2001:DB8:0:0::/64", "198.51.100.0/24"],
            didNumbers: ["4155550100 - 4155550199", " 3000"],
            [PULUMI_NAME_KEY]: "res",
        });
        expect(inputs).toMatchObject({
            hostname: "sip.example.com",
            outboundServer: "proxy.example",
            additionalIps: ["198.51.100.0/24", "203.0.113.7/32", "2001:db8::/64"],
            didNumbers: ["3000", "4155550100-4155550199"],
        });
        expect(inputs).not.toHaveProperty(PULUMI_NAME_KEY);
    });

    it("keeps only the nested parameters that differ from the PBX's defaults", async () => {
        const inputs = await canonical({
            ...BASE22,
            inboundParameters: {
                callerNum: "DEFAULT",
                calledNum: "TO_USER_PART",
                paiHeaderParameterName: "verstat",
                dropCallsWithVerificationStatus: ["TN-Validation-Failed-C", "No-TN-Validation"],
            },
            outboundParameters: {
                fromUserPart: { value: "DEFAULT" },
                toHostPart: { value: "CUSTOM", customValue: "carrier.example" },
                privacyTypesSupported: "DEFAULT",
            },
        });
        expect(inputs.inboundParameters).toEqual({
            calledNum: "TO_USER_PART",
            dropCallsWithVerificationStatus: ["No-TN-Validation", "TN-Validation-Failed-C"],
        });
        expect(inputs.outboundParameters).toEqual({ toHostPart: { value: "CUSTOM", customValue: "carrier.example" } });
        expect(await canonical({ ...BASE22, inboundParameters: { callerNum: "DEFAULT" } })).not.toHaveProperty(
            "inboundParameters",
        );
    });
});

describe("DID pools of several trunks on one PBX", () => {
    it("names both resources, ignores another PBX and the resource itself, and releases a dropped pool", async () => {
        await canonical({ ...BASE22, name: "a", didNumbers: ["100-199"], [PULUMI_NAME_KEY]: "res-a" });
        expect(
            (await check({ ...BASE22, name: "b", didNumbers: ["150"], [PULUMI_NAME_KEY]: "res-b" })).failures,
        ).toEqual([
            {
                property: "didNumbers",
                reason: '150 of resource "res-b" overlaps 100-199 of resource "res-a" (trunk "a", connection "v22") on the same PBX; a DID number can belong to one trunk only',
            },
        ]);
        // Another connection name for the same URL is the same PBX.
        useConfig({ "portsip:alias.apiVersion": "v22", "portsip:alias.url": "http://pbx-22.invalid:8888" });
        expect(
            (await check({ ...BASE22, connection: "alias", didNumbers: ["199"], [PULUMI_NAME_KEY]: "res-c" })).failures,
        ).toHaveLength(1);
        useConfig({ "portsip:other.apiVersion": "v22", "portsip:other.url": "http://pbx-other.invalid" });
        expect(
            (await check({ ...BASE22, connection: "other", didNumbers: ["150"], [PULUMI_NAME_KEY]: "res-d" })).failures,
        ).toEqual([]);
        // res-a checked again (a replace) keeps its own claim; then without DIDs it releases it.
        await canonical({ ...BASE22, name: "a", didNumbers: ["100-199"], [PULUMI_NAME_KEY]: "res-a" });
        await canonical({ ...BASE22, name: "a", [PULUMI_NAME_KEY]: "res-a" });
        expect(
            (await check({ ...BASE22, name: "b", didNumbers: ["150"], [PULUMI_NAME_KEY]: "res-b" })).failures,
        ).toEqual([]);
    });

    it("parses pools exactly beyond 2^53", () => {
        const parsed = parseDidPool(["99999999999999999990-99999999999999999999"]);
        expect(parsed).toEqual({
            ranges: [
                {
                    text: "99999999999999999990-99999999999999999999",
                    start: 99999999999999999990n,
                    end: 99999999999999999999n,
                },
            ],
        });
        expect(claimDids("x", { resource: "r", trunk: "t", connection: "c", ranges: [] })).toBeUndefined();
    });

    it("CIDR parsing covers IPv6 compression", () => {
        expect(parseCidrList(["2001:0db8:0000:0000:0000:0000:0000:0001", "::1"])).toEqual({
            entries: ["::1/128", "2001:db8::1/128"],
        });
    });
});

describe("replace rules", () => {
    it("replaces (deleting first) on connection, auth mode and brand; updates in place otherwise", async () => {
        expect(REPLACE_ON_CHANGES).toEqual(["connection", "authMode", "brand"]);
        const olds = (await canonical(BASE22)) as unknown as Record<string, unknown>;
        const rules = { ...trunk, inputKeys: Object.keys(inputSchema().shape) };
        expect(diffInputs(rules, olds, { ...olds, brand: "Generic" })).toMatchObject({
            replaces: ["brand"],
            deleteBeforeReplace: true,
        });
        expect(diffInputs(rules, olds, { ...olds, port: 5080 })).toMatchObject({
            changes: true,
            replaces: [],
            changed: ["port"],
        });
        // concurrency left out of the program is not managed.
        expect(diffInputs(rules, { ...olds, concurrency: 9 }, olds)).toMatchObject({ changes: false });
    });
});

describe("wire mapping", () => {
    const full22 = async () =>
        await canonical({
            ...BASE22,
            password: "pw",
            brand: "Generic",
            didNumbers: ["100"],
            outboundParameters: { fromUserPart: { value: "CUSTOM", customValue: "x" } },
        });

    it("v22 create sends every field, nested objects whole, optional texts only when set", async () => {
        const body = toV22Create(await full22());
        expect(body).toMatchObject({
            name: "t",
            enabled: true,
            brand: "Generic",
            auth_mode: "REGISTER_AUTH",
            transport: "UDP",
            hostname: "sip.example.com",
            port: 5060,
            auth_id: "1",
            password: "pw",
            registration: true,
            register_interval: 600,
            outbound_server: "",
            outbound_server_port: 0,
            inlan: false,
            single_via_header: true,
            rewrite_via_ip: true,
            verify_port: true,
            keep_alive: true,
            keep_alive_interval: 360,
            concurrency: 0,
            adjust_sdp_direction: true,
            remove_srtp_info: true,
            stir_shaken_signature_required: false,
            did_numbers: "100",
        });
        expect(body).not.toHaveProperty("username");
        expect(body).not.toHaveProperty("additional_ips");
        expect(body["inbound_parameters"]).toEqual({
            caller_num: "DEFAULT",
            caller_display_name: "DEFAULT",
            called_num: "DEFAULT",
            privacy_types_supported: "DEFAULT",
            enable_stir_shaken_validation: false,
            pai_header_parameter_name: "verstat",
            drop_calls_with_verification_status: [],
            pass_api_header_to_uad: false,
        });
        const outbound = body["outbound_parameters"] as Record<string, unknown>;
        expect(Object.keys(outbound)).toHaveLength(25);
        expect(outbound["from_user_part"]).toEqual({ value: "CUSTOM", custom_value: "x" });
        expect(outbound["p_called_party_id_host_part"]).toEqual({ value: "DEFAULT" });
    });

    it("v22 update sends only what changed, clears with an empty string, keeps a legacy privacy shape", async () => {
        const olds = await full22();
        const { didNumbers: _dids, ...withoutDids } = olds;
        const news = await canonical({
            ...withoutDids,
            port: 5070,
            outboundParameters: { fromUserPart: { value: "CUSTOM", customValue: "x" }, privacyTypesSupported: "ID" },
        });
        const current = {
            outbound_parameters: {
                from_user_part: { value: "CUSTOM", custom_value: "x" },
                privacy_types_supported: { value: "DEFAULT" },
            },
        };
        expect(toV22Update(olds, news, V22_TRUNK.parse(current))).toEqual({
            port: 5070,
            did_numbers: "",
            outbound_parameters: {
                from_user_part: { value: "CUSTOM", custom_value: "x" },
                privacy_types_supported: { value: "ID" },
            },
        });
        expect(toV22Update(olds, olds, V22_TRUNK.parse(current))).toEqual({});
    });

    it("v22 read gives canonical inputs; nulls mean unset; the password and unmanaged concurrency come from the prior state", async () => {
        const prior = await full22();
        const wire = {
            ...toV22Create(prior),
            id: "NzAw",
            password: undefined,
            username: null,
            additional_ips: null,
            concurrency: 77,
            shared: true,
            outbound_parameters: {
                from_user_part: { value: "CUSTOM", custom_value: "x" },
                to_user_part: { value: "DEFAULT", custom_value: null },
                privacy_types_supported: { value: "DEFAULT" },
            },
        };
        const { inputs, outs } = fromV22(V22_TRUNK.parse(wire), "REGISTERED", prior);
        expect(inputs).toEqual(prior);
        expect(outs).toMatchObject({ status: "ONLINE", apiVersion: "v22", shared: true });
        expect(fromV22(V22_TRUNK.parse(wire), "OFFLINE", { ...prior, concurrency: 5 }).inputs.concurrency).toBe(77);
    });

    it("v12 create sends the whole record under v12 names; read maps back", async () => {
        const inputs = await canonical({
            ...BASE12,
            password: "pw",
            additionalIps: ["192.0.2.9", "192.0.2.0/24"],
            inParameters: [{ a: 1 }],
        });
        const body = toV12Create(inputs);
        expect(body).toEqual({
            name: "t",
            auth_mode: "REGISTER_AUTH",
            protocol: "UDP",
            hostname: "sip.example.com",
            port: 5060,
            auth_id: "1",
            password: "pw",
            require_register: true,
            reregister_interval: 600,
            outbound_server: "",
            outbound_server_port: 0,
            provider_in_lan: false,
            single_via_header: true,
            ips: ["192.0.2.0/24", "192.0.2.9/32"],
            in_parameters: [{ a: 1 }],
            out_parameters: [],
        });
        const wire = { ...body, id: parseLossless("373302079663509504"), status: "UNREGISTERED" };
        const read = fromV12(V12_TRUNK.parse(wire), inputs);
        expect(read.inputs).toEqual(inputs);
        expect(read.outs).toMatchObject({ status: "OFFLINE", apiVersion: "v12" });
    });

    it("v12 update: the record as the PBX has it with only the changed fields replaced, the id exact", async () => {
        const olds = await canonical(BASE12);
        const news = await canonical({ ...BASE12, registerInterval: 30 });
        const current = parseLossless(
            '{"id":373302079663509504,"name":"t","auth_mode":"REGISTER_AUTH","protocol":"UDP","hostname":"sip.example.com","port":5060,"reregister_interval":600,"single_via_header":false,"did_pool":[{"tenant_id":373302079663509505}],"status":"ONLINE"}',
        ) as Record<string, unknown>;
        const text = stringifyLossless(toV12Update("373302079663509504", olds, news, current));
        expect(text).toContain('"id":373302079663509504');
        expect(text).toContain('"reregister_interval":30');
        expect(text).toContain('"single_via_header":false');
        expect(text).toContain('"did_pool":[{"tenant_id":373302079663509505}]');
        expect(text).toContain('"ips":[]');
        expect(text).not.toContain("status");
        expect(toV12Update("1", olds, olds, current)).toBeUndefined();
    });

    it("reads every answer through a wire schema: fields it does not know pass, a field of the wrong type is refused", () => {
        expect(V22_TRUNK.parse({ name: "t", port: null, added_later: { x: 1 } })).toEqual({
            name: "t",
            port: null,
            added_later: { x: 1 },
        });
        expect(() => parseWire(V22_TRUNK, { name: "t", port: "5060" }, "the trunk")).toThrow(
            /^the trunk is not what the API documents \(port: /,
        );
        expect(() => parseWire(V12_TRUNK, { ips: ["192.0.2.1", 7] }, "the trunk")).toThrow(
            /^the trunk is not what the API documents \(ips\.1: /,
        );
        expect(parseWire(V12_TRUNK, parseLossless('{"id":373302079663509504}'), "the trunk").id).toBe(
            "373302079663509504",
        );
    });

    it("compares desired values only for properties the program manages", async () => {
        const olds = { ...(await canonical(BASE22)), concurrency: 4 };
        const { concurrency: _c, ...news } = olds;
        expect(changedProperties(olds, news as TrunkInputs, ["concurrency", "port"])).toEqual([]);
        expect(changedProperties(olds, { ...olds, concurrency: 5 }, ["concurrency"])).toEqual(["concurrency"]);
    });
});

describe("lossless ids and error bodies", () => {
    it("keeps 18–19 digit ids exact both ways", () => {
        const parsed = parseLossless('{"id":9223372036854775807,"n":5}') as Record<string, unknown>;
        expect(idText(parsed["id"])).toBe("9223372036854775807");
        expect(parsed["n"]).toBe(5);
        expect(stringifyLossless({ id: wireId("9223372036854775807") })).toBe('{"id":9223372036854775807}');
        expect(idText("NzAw")).toBe("NzAw");
    });

    it("classifies v12 and v22 errors", () => {
        expect(describeV12Error(400, '{"err_code":"1040001","msg":"name or domain incorrect"}')).toEqual({
            code: "1040001",
            message: "name or domain incorrect",
            kind: "Auth",
        });
        expect(describeV12Error(400, '{"err_code":"400","msg":"access token invalid"}').kind).toBe("Auth");
        expect(describeV12Error(400, '{"err_code":"400","msg":"Invalid provider ID supplied."}').kind).toBe("NotFound");
        expect(describeV12Error(400, '{"err_code":"400","message":"port is invalid"}')).toEqual({
            code: "400",
            message: "port is invalid",
            kind: undefined,
        });
        expect(
            describeV22Error(
                400,
                '{"errors":[{"code":"VALIDATE_FAILED","message":"field validation failed","detail":{"field":"port","reason":"bad"}}]}',
            ),
        ).toEqual({
            code: "VALIDATE_FAILED",
            message: "field validation failed (field port: bad)",
            kind: "Validation",
        });
        expect(describeV22Error(401, '{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]}').kind).toBe(
            "Auth",
        );
        expect(describeV22Error(404, '{"errors":[{"code":"NOT_FOUND","message":"provider not found"}]}').kind).toBe(
            "NotFound",
        );
        expect(describeV22Error(503, '{"errors":[{"code":"UNKNOWN","message":"busy"}]}').kind).toBeUndefined();
        expect(describeV22Error(502, "<html>bad gateway</html>")).toEqual({ message: "<html>bad gateway</html>" });
    });
});

describe("generation: pinned, or detected from GET /api/info", () => {
    it("reads the pinned value", () => {
        useConfig({ "portsip:a.apiVersion": "V16", "portsip:b.apiVersion": "12" });
        expect(pinnedGeneration("a")).toBe("v22");
        expect(pinnedGeneration("b")).toBe("v12");
        expect(pinnedGeneration("c")).toBeUndefined();
    });

    it("reads /api/info: 200 with web_domain is v16+, 404 is v12, anything else is unknown", () => {
        expect(generationFromInfo(200, '{"web_domain":"pbx.example"}')).toBe("v22");
        expect(generationFromInfo(404, "")).toBe("v12");
        expect(generationFromInfo(200, "<html/>")).toBeUndefined();
        expect(generationFromInfo(503, "")).toBeUndefined();
    });

    describe("detected by check's asynchronous refinement, once per PBX per run", () => {
        let hits = 0;
        // /api/info answers like a v22 PBX on one server and is absent (404) on the other, like v12.
        const v22 = new SimulatorServer("v22", () => {
            hits++;
            return { status: 200, body: { web_domain: "x" } };
        });
        const v12 = new SimulatorServer("v12", () => {
            hits++;
            return { status: 404, body: "" };
        });
        let v22Url = "";
        let v12Url = "";

        beforeAll(async () => {
            v22Url = await v22.start();
            v12Url = await v12.start();
        });
        afterAll(async () => {
            await v22.stop();
            await v12.stop();
        });

        it("detects once per PBX and reuses the answer", async () => {
            useConfig({ "portsip:x.url": v22Url, "portsip:y.url": v12Url });
            // Checks running at the same time share one detection.
            await Promise.all([generationForCheck("x"), generationForCheck("x"), generationForCheck("y")]);
            expect(await generationForCheck("x")).toBe("v22");
            expect(await generationForCheck("x")).toBe("v22");
            expect(await generationForCheck("y")).toBe("v12");
            expect(hits).toBe(2);
            expect((await check({ ...BASE22, connection: "y" })).failures).toHaveLength(0);
            expect((await check({ ...BASE22, connection: "y", enabled: false })).failures).toEqual([
                {
                    property: "enabled",
                    reason: 'is a PortSIP v16+/v22 field; the PBX of connection "y" speaks v12',
                },
            ]);
        });

        it("explains how to pin when the PBX cannot be reached", async () => {
            useConfig({
                "portsip:down.url": "http://127.0.0.1:9",
                "portsip:requestTimeoutMs": "300",
                "portsip:retryBaseDelayMs": "5",
                "portsip:maxRetries": "1",
            });
            expect((await check({ ...BASE22, connection: "down" })).failures).toEqual([
                {
                    property: "connection",
                    reason: expect.stringMatching(
                        /^PortSIP: cannot tell which API generation the PBX of connection "down" \(http:\/\/127\.0\.0\.1:9\) speaks: .*ECONNREFUSED.*; pin it with `pulumi config set portsip:down\.apiVersion v22` \(or v12\)$/,
                    ) as unknown,
                },
            ]);
        });
    });
});
