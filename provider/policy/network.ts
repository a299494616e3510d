import { isIP } from "node:net";
import { parseCidr } from "../vendors/portsip/trunk/ip";

/**
 * Address space no carrier or hosted SIP service reaches over the Internet: a trunk pointed at it
 * carries no calls (or, from a hosted service, calls into that service's own network).
 * [block, what it is]
 */
const UNREACHABLE_BLOCKS: readonly (readonly [string, string])[] = [
    ["0.0.0.0/8", 'a "this network" address'],
    ["10.0.0.0/8", "a private address (RFC 1918)"],
    ["100.64.0.0/10", "a carrier-grade NAT address (RFC 6598)"],
    ["127.0.0.0/8", "a loopback address"],
    ["169.254.0.0/16", "a link-local address"],
    ["172.16.0.0/12", "a private address (RFC 1918)"],
    ["192.168.0.0/16", "a private address (RFC 1918)"],
    ["::/128", "the unspecified IPv6 address"],
    ["::1/128", "the IPv6 loopback address"],
    ["::ffff:0:0/96", "an IPv4-mapped IPv6 address"],
    ["fc00::/7", "an IPv6 unique local (private) address"],
    ["fe80::/10", "an IPv6 link-local address"],
];

/** Names that resolve only inside a site (RFC 6761, 6762, 8375; ICANN `.internal`). */
const SITE_LOCAL_DOMAINS = ["localhost", "local", "internal", "home.arpa", "lan", "intranet", "corp"];

interface Block {
    family: 4 | 6;
    value: bigint;
    prefix: number;
}

function block(text: string): Block {
    const parsed = parseCidr(text);
    if ("problem" in parsed) throw new Error(`bad built-in block ${text}: ${parsed.problem}`);
    return parsed;
}

const BLOCKS = UNREACHABLE_BLOCKS.map(([text, what]) => ({ ...block(text), what }));

function contains(outer: Block, inner: Block): boolean {
    if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
    const bits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);
    return inner.value >> bits === outer.value >> bits;
}

/**
 * Why a host (an IP address or a name) is not reachable from the Internet, or undefined when it
 * may be: private, loopback, link-local, CGNAT and unspecified addresses, and site-local names.
 */
export function unreachableHost(host: string): string | undefined {
    const value = host
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, "$1");
    if (isIP(value) !== 0) {
        const address = block(value);
        return BLOCKS.find((candidate) => contains(candidate, address))?.what;
    }
    const domain = SITE_LOCAL_DOMAINS.find((suffix) => value === suffix || value.endsWith(`.${suffix}`));
    if (domain !== undefined) return `a name under .${domain}, which resolves only inside a site`;
    if (value !== "" && !value.includes(".")) return "a single-label name, which resolves only inside a site";
    return undefined;
}

/** A CIDR block's family and prefix length, or undefined when the entry does not parse. */
export function cidrWidth(entry: string): { family: 4 | 6; prefix: number } | undefined {
    const parsed = parseCidr(entry);
    return "problem" in parsed ? undefined : { family: parsed.family, prefix: parsed.prefix };
}
