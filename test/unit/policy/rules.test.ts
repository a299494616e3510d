import * as fs from "node:fs";
import * as path from "node:path";
import { UNKNOWN } from "../../../provider/core/unknowns";
import { cidrWidth, unreachableHost } from "../../../provider/policy/network";
import { ENCRYPTED, trunksOfExport, type TrunkState } from "../../../provider/policy/prior-state";
import { RULES, type TrunkRule } from "../../../provider/policy/rules";
import { trunkKind } from "../../../provider/policy/trunks";

/**
 * The policy rules' edge cases (unknown values, new trunks, encrypted prior secrets, address
 * classes); every rule's violating and passing case runs on the real CLI in
 * test/e2e/policy.e2e.test.ts.
 */

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const PORTSIP = "pulumi-nodejs:dynamic/portsip:Trunk";

function trunk(inputs: Record<string, unknown>, type = PORTSIP): TrunkState {
    return { urn: `urn:pulumi:dev::voip::${type}::t`, name: "t", kind: trunkKind(type)!, inputs };
}

function rule(name: string): TrunkRule {
    const found = RULES.find((candidate) => candidate.name === name);
    if (found?.scope !== "trunk") throw new Error(`no trunk rule ${name}`);
    return found;
}

describe("unreachableHost", () => {
    test.each([
        ["10.1.2.3", "a private address (RFC 1918)"],
        ["127.0.0.1", "a loopback address"],
        ["169.254.10.1", "a link-local address"],
        ["100.64.0.1", "a carrier-grade NAT address (RFC 6598)"],
        ["fd00::1", "an IPv6 unique local (private) address"],
        ["[fe80::1]", "an IPv6 link-local address"],
        ["::1", "the IPv6 loopback address"],
        ["pbx.corp", "a name under .corp, which resolves only inside a site"],
        ["sbc", "a single-label name, which resolves only inside a site"],
    ])("%s is %s", (host, why) => {
        expect(unreachableHost(host)).toBe(why);
    });

    test.each(["45.33.30.1", "2001:db8::1", "sip.carrier.example.com", "172.32.0.1"])("%s may be reachable", (host) => {
        expect(unreachableHost(host)).toBeUndefined();
    });
});

test("cidrWidth reads bare addresses as single hosts", () => {
    expect(cidrWidth("198.51.100.7")).toEqual({ family: 4, prefix: 32 });
    expect(cidrWidth("2001:db8::/32")).toEqual({ family: 6, prefix: 32 });
    expect(cidrWidth("not an address")).toBeUndefined();
});

describe("rules comparing with the prior state", () => {
    test("a new trunk has nothing to downgrade, replace or re-key", () => {
        const created = trunk({ authMode: "IP_AUTH", transport: "UDP", password: "x" });
        for (const name of [
            "trunk-replacement",
            "sip-transport-downgrade",
            "sip-auth-downgrade",
            "credential-change",
        ]) {
            expect(rule(name).check(created, undefined, {})).toEqual([]);
        }
    });

    test("an unknown value (computed during preview) is not reported as a change", () => {
        const before = trunk({ authMode: "REGISTER_AUTH", transport: "TLS", authId: "a" });
        const after = trunk({ authMode: UNKNOWN, transport: UNKNOWN, authId: UNKNOWN });
        for (const name of [
            "trunk-replacement",
            "sip-transport-downgrade",
            "sip-auth-downgrade",
            "credential-change",
        ]) {
            expect(rule(name).check(after, before, {})).toEqual([]);
        }
    });

    test("a secret exported without --show-secrets cannot be compared and is not reported", () => {
        expect(rule("credential-change").check(trunk({ password: "new" }), trunk({ password: ENCRYPTED }), {})).toEqual(
            [],
        );
    });

    test("an upgrade to TLS and to register authentication is not a downgrade", () => {
        const before = trunk({ authMode: "IP_AUTH", transport: "UDP" });
        const after = trunk({ authMode: "REGISTER_AUTH", transport: "TLS" });
        expect(rule("sip-transport-downgrade").check(after, before, {})).toEqual([]);
        expect(rule("sip-auth-downgrade").check(after, before, {})).toEqual([]);
    });
});

test("trunksOfExport reads plaintext secrets, marks encrypted ones, and skips other resources", () => {
    const secret = (fields: Record<string, string>) => ({
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        ...fields,
    });
    const trunks = trunksOfExport({
        deployment: {
            resources: [
                { urn: "urn:pulumi:dev::voip::pulumi:pulumi:Stack::voip-dev", type: "pulumi:pulumi:Stack" },
                {
                    urn: `urn:pulumi:dev::voip::${PORTSIP}::a`,
                    type: PORTSIP,
                    inputs: { password: secret({ plaintext: '"pw"' }), hostname: "h" },
                },
                {
                    urn: `urn:pulumi:dev::voip::${PORTSIP}::b`,
                    type: PORTSIP,
                    inputs: { password: secret({ ciphertext: "v1:x" }) },
                },
            ],
        },
    });
    expect([...trunks.keys()].map((key) => key.split("::").pop())).toEqual(["a", "b"]);
    expect(trunks.get(`urn:pulumi:dev::voip::${PORTSIP}::a`)?.inputs).toEqual({ password: "pw", hostname: "h" });
    expect(trunks.get(`urn:pulumi:dev::voip::${PORTSIP}::b`)?.inputs["password"]).toBe(ENCRYPTED);
});

test("the policy pack's version (read by @pulumi/policy from policy/package.json) is the package's", () => {
    const read = (file: string) => (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
    expect(read(path.join(REPO_ROOT, "policy", "package.json"))).toBe(read(path.join(REPO_ROOT, "package.json")));
});
