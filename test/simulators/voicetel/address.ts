/**
 * Gateway address rules of the VoiceTel v2.1 simulator. The vendor documents only "IP or hostname with optional port
 * (host:port). Must resolve to a routable public IPv4 address" (gateways.json, `gatewaysAddRequest`); everything finer
 * below is a strict reading of that sentence (private, shared, loopback, link-local, multicast and reserved blocks
 * refused; the TEST-NET blocks of the spec's own examples accepted by default) and is marked as a simulator choice.
 */

export interface AddressRules {
    /**
     * Static name → IPv4 map standing in for DNS, so tests never depend on the network. A hostname missing from it is
     * unresolvable and therefore refused, as the real API would refuse a name that does not resolve.
     */
    hosts: ReadonlyMap<string, string>;
    /**
     * The spec's own examples use TEST-NET-3 (203.0.113.0/24), which is not routable on the Internet; accepting the
     * three TEST-NET blocks by default lets tests use the documented examples verbatim.
     */
    allowTestNets: boolean;
}

// Strict: no leading zeros, because "010.1.1.1" is octal to some parsers and decimal to others.
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const DOTTED_NUMERIC = /^[\d.]+$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// Strict: no leading zeros or sign, so the stored string and the port it denotes cannot disagree.
const PORT = /^[1-9]\d{0,4}$/;

/** [network, prefix length] blocks that are not routable public unicast space (RFC 6890 special-purpose registry). */
const NON_PUBLIC: readonly (readonly [string, number])[] = [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    // IETF protocol assignments and benchmarking: as non-routable as the blocks above, so refused too.
    ["192.0.0.0", 24],
    ["198.18.0.0", 15],
    ["192.168.0.0", 16],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
];
const TEST_NETS: readonly (readonly [string, number])[] = [
    ["192.0.2.0", 24],
    ["198.51.100.0", 24],
    ["203.0.113.0", 24],
];

function toUint32(ip: string): number {
    return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function inBlock(ip: number, [network, length]: readonly [string, number]): boolean {
    const size = 2 ** (32 - length);
    return Math.floor(ip / size) === Math.floor(toUint32(network) / size);
}

export function isIpv4Literal(value: string): boolean {
    return IPV4.test(value);
}

export function isPublicIpv4(ip: string, allowTestNets: boolean): boolean {
    if (!IPV4.test(ip)) return false;
    const value = toUint32(ip);
    if (NON_PUBLIC.some((block) => inBlock(value, block))) return false;
    return allowTestNets || !TEST_NETS.some((block) => inBlock(value, block));
}

function isHostname(value: string): boolean {
    // Strict: a trailing dot (FQDN root) and single-label names are refused; neither is a publicly resolvable name.
    if (value.length > 253) return false;
    const labels = value.split(".");
    const tld = labels[labels.length - 1] ?? "";
    return labels.length >= 2 && labels.every((label) => LABEL.test(label)) && !/^\d+$/.test(tld);
}

/** True when `gateway` is `host` or `host:port` and `host` is, or resolves to, a routable public IPv4 address. */
export function isValidGateway(gateway: string, rules: AddressRules): boolean {
    const parts = gateway.split(":");
    // More than one colon is IPv6 or garbage; the API accepts IPv4 only.
    if (parts.length > 2) return false;
    const [host = "", port] = parts;
    if (port !== undefined && !(PORT.test(port) && Number(port) <= 65535)) return false;
    if (DOTTED_NUMERIC.test(host)) return isPublicIpv4(host, rules.allowTestNets);
    if (!isHostname(host)) return false;
    const resolved = rules.hosts.get(host.toLowerCase());
    return resolved !== undefined && isPublicIpv4(resolved, rules.allowTestNets);
}

/** True when the address carries an explicit port. Only meaningful for addresses that passed `isValidGateway`. */
export function hasPort(gateway: string): boolean {
    return gateway.includes(":");
}
