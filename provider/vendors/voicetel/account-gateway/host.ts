import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import { z } from "zod";
import { log } from "../../../core/log";
import { canonicalHost, hostProblem } from "../../../core/validators";
import { onProcessReset } from "../../../core/process-state";

/**
 * What VoiceTel accepts as a gateway host: "IP or hostname ... Must resolve to a routable public
 * IPv4 address" (gateways.json). Everything that can be decided without the network is decided at
 * preview (`check`); whether a hostname resolves is a DNS question, asked before the API is called.
 */

/** [network, prefix length, what it is] for IPv4 space that is not routable public unicast (RFC 6890). */
const NON_PUBLIC_BLOCKS: readonly (readonly [string, number, string])[] = [
    ["255.255.255.255", 32, "the limited broadcast address"],
    ["0.0.0.0", 8, 'a "this network" address (0.0.0.0/8)'],
    ["10.0.0.0", 8, "a private address (10.0.0.0/8, RFC 1918)"],
    ["100.64.0.0", 10, "a carrier-grade NAT address (100.64.0.0/10, RFC 6598)"],
    ["127.0.0.0", 8, "a loopback address (127.0.0.0/8)"],
    ["169.254.0.0", 16, "a link-local address (169.254.0.0/16)"],
    ["172.16.0.0", 12, "a private address (172.16.0.0/12, RFC 1918)"],
    ["192.0.0.0", 24, "an IETF protocol assignment (192.0.0.0/24)"],
    ["192.0.2.0", 24, "a documentation address (192.0.2.0/24, TEST-NET-1)"],
    ["192.168.0.0", 16, "a private address (192.168.0.0/16, RFC 1918)"],
    ["198.18.0.0", 15, "a benchmarking address (198.18.0.0/15)"],
    ["198.51.100.0", 24, "a documentation address (198.51.100.0/24, TEST-NET-2)"],
    ["203.0.113.0", 24, "a documentation address (203.0.113.0/24, TEST-NET-3)"],
    ["224.0.0.0", 4, "a multicast address (224.0.0.0/4)"],
    ["240.0.0.0", 4, "a reserved address (240.0.0.0/4)"],
];

/** Domains that never resolve on the public Internet (RFC 6761, 6762, 7686, 8375, 9476; ICANN .internal). */
const SPECIAL_USE_DOMAINS = [
    "localhost",
    "local",
    "internal",
    "home.arpa",
    "test",
    "invalid",
    "example",
    "onion",
    "alt",
];

const NEEDS_PUBLIC = "VoiceTel sends calls only to a routable public IPv4 address";

function toUint32(ip: string): number {
    return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Why an IPv4 address is not routable public unicast, or undefined when it is. */
export function nonPublicIpv4(ip: string): string | undefined {
    const value = toUint32(ip);
    for (const [network, length, what] of NON_PUBLIC_BLOCKS) {
        const size = 2 ** (32 - length);
        if (Math.floor(value / size) === Math.floor(toUint32(network) / size)) return what;
    }
    return undefined;
}

/** Why `value` (already trimmed and lower-cased) cannot be a VoiceTel gateway host, or undefined. */
export function gatewayHostProblem(value: string): string | undefined {
    if (isIP(value) === 6)
        return `must be an IPv4 address or a hostname: VoiceTel does not route to IPv6 (got "${value}")`;
    const basic = hostProblem(value, false);
    if (basic !== undefined) return basic;
    if (isIP(value) === 4) {
        const why = nonPublicIpv4(value);
        return why === undefined ? undefined : `${value} is ${why}; ${NEEDS_PUBLIC}`;
    }
    if (!value.includes(".")) {
        return `"${value}" is a single-label name, which does not resolve on the public Internet; use a fully qualified name (${NEEDS_PUBLIC})`;
    }
    const special = SPECIAL_USE_DOMAINS.find((domain) => value === domain || value.endsWith(`.${domain}`));
    if (special !== undefined) {
        return `"${value}" is under .${special}, a special-use domain that never resolves on the public Internet; ${NEEDS_PUBLIC}`;
    }
    return undefined;
}

/** A gateway host in canonical form: trimmed, hostnames lower case without a trailing dot. */
export function gatewayHostSchema() {
    return z
        .string({ error: "must be a string" })
        .trim()
        .transform(canonicalHost)
        .superRefine((value, ctx) => {
            const problem = gatewayHostProblem(value);
            if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
        });
}

/** IPv4 addresses of a name, or a DNS error carrying a `code` (ENOTFOUND, ENODATA, ETIMEOUT, ...). */
export type Resolve4 = (host: string) => Promise<string[]>;

function systemResolve4(host: string): Promise<string[]> {
    // The public DNS answer is what VoiceTel sees: no /etc/hosts, a bounded wait.
    return new dns.Resolver({ timeout: 3000, tries: 2 }).resolve4(host);
}

let resolve4: Resolve4 = systemResolve4;
// Process-wide: each name is resolved once per run, whatever number of gateways use it.
const answers = new Map<string, Promise<string | undefined>>();
onProcessReset(() => {
    answers.clear();
});

/** For tests: answer DNS questions with `resolver` (undefined restores the system resolver) and forget answers. */
export function setResolverForTests(resolver: Resolve4 | undefined): void {
    resolve4 = resolver ?? systemResolve4;
    answers.clear();
}

/** DNS answers that say the name has no IPv4 address, as opposed to "the question could not be asked". */
const NO_ADDRESS = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN", "ENONAME"]);

async function ask(host: string): Promise<string | undefined> {
    let addresses: string[];
    try {
        addresses = await resolve4(host);
    } catch (error) {
        const code = (error as { code?: unknown }).code;
        const name = typeof code === "string" ? code : "error";
        if (NO_ADDRESS.has(name)) {
            return `host "${host}" does not resolve to an IPv4 address (DNS: ${name}); VoiceTel refuses a gateway it cannot resolve to a routable public IPv4 address. If the name will exist before VoiceTel needs it, set hostResolvesLater: true`;
        }
        log.warn(
            `VoiceTel account gateway: could not check that host "${host}" resolves to a public IPv4 address (DNS: ${name}); VoiceTel checks it when the gateway is saved`,
        );
        return undefined;
    }
    if (addresses.length === 0) {
        return `host "${host}" has no IPv4 address in DNS; VoiceTel refuses a gateway it cannot resolve to a routable public IPv4 address. If the name will exist before VoiceTel needs it, set hostResolvesLater: true`;
    }
    for (const address of addresses) {
        const why = nonPublicIpv4(address);
        if (why !== undefined) {
            return `host "${host}" resolves to ${address}, ${why}; ${NEEDS_PUBLIC}. If its public record is published later, set hostResolvesLater: true`;
        }
    }
    return undefined;
}

/**
 * Why a hostname cannot be saved as a VoiceTel gateway according to DNS, or undefined. IPv4
 * addresses were fully checked at preview. A DNS failure that says nothing about the name
 * (no resolver reachable) is a warning, not an error: VoiceTel decides then.
 */
export function hostResolutionProblem(host: string): Promise<string | undefined> {
    if (isIP(host) !== 0) return Promise.resolve(undefined);
    let answer = answers.get(host);
    if (answer === undefined) {
        answer = ask(host);
        answers.set(host, answer);
    }
    return answer;
}
