import { isIP } from "node:net";
import { splitJoined } from "./joined";

/**
 * `additionalIps`: IPv4/IPv6 CIDR blocks, one per element, which PortSIP v22 stores `;`-joined in
 * `additional_ips` (e.g. "192.0.2.0/24;198.51.100.7/32") and v12 as the list `ips`. Canonical
 * entry: `address/prefix` (a bare address gets /32 or /128), IPv6 in its shortest lower-case form,
 * no spaces.
 */

interface Cidr {
    text: string;
    family: 4 | 6;
    value: bigint;
    prefix: number;
}

function ipv6Text(address: string): string {
    // The WHATWG URL parser serializes IPv6 hosts in RFC 5952 form (lower case, longest zero run as ::).
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function toBigInt(address: string, family: 4 | 6): bigint {
    if (family === 4) return address.split(".").reduce((sum, part) => (sum << 8n) + BigInt(part), 0n);
    const [head = "", tail] = address.split("::");
    const left = head === "" ? [] : head.split(":");
    const right = tail === undefined || tail === "" ? [] : tail.split(":");
    const groups =
        tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
    return groups.reduce((sum, group) => (sum << 16n) + BigInt(`0x${group === "" ? "0" : group}`), 0n);
}

/** One entry in canonical form, or its problem. */
export function parseCidr(entry: string): Cidr | { problem: string } {
    const trimmed = entry.trim();
    const [address = "", prefixText, ...rest] = trimmed.split("/");
    const family = isIP(address) as 0 | 4 | 6;
    if (family === 0 || rest.length > 0)
        return { problem: `"${trimmed}" is not an IPv4 or IPv6 address or CIDR block` };
    const bits = family === 4 ? 32 : 128;
    if (prefixText !== undefined && !/^[0-9]{1,3}$/.test(prefixText)) {
        return { problem: `"${trimmed}" has an invalid prefix length` };
    }
    const prefix = prefixText === undefined ? bits : Number(prefixText);
    if (prefix > bits) return { problem: `"${trimmed}": the prefix length must be at most ${bits}` };
    const canonicalAddress = family === 4 ? address : ipv6Text(address);
    const value = toBigInt(canonicalAddress, family);
    const hostBits = BigInt(bits - prefix);
    if (hostBits > 0n && value % (1n << hostBits) !== 0n) {
        const network = (value >> hostBits) << hostBits;
        return { problem: `"${trimmed}" has host bits set; the block is ${fromBigInt(network, family)}/${prefix}` };
    }
    return { text: `${canonicalAddress}/${prefix}`, family, value, prefix };
}

/** IPv4 before IPv6, then by address, then the wider block first. */
function cidrOrder(a: Cidr, b: Cidr): number {
    if (a.family !== b.family) return a.family - b.family;
    if (a.value !== b.value) return a.value < b.value ? -1 : 1;
    return a.prefix - b.prefix;
}

/** Canonical entries, sorted, or the first problem. */
export function parseCidrList(list: readonly string[]): { entries: string[] } | { problem: string } {
    const cidrs: Cidr[] = [];
    for (const entry of list) {
        const cidr = parseCidr(entry);
        if ("problem" in cidr) return cidr;
        if (cidrs.some((other) => other.text === cidr.text)) return { problem: `"${cidr.text}" is listed twice` };
        cidrs.push(cidr);
    }
    return { entries: cidrs.sort(cidrOrder).map((cidr) => cidr.text) };
}

/**
 * The canonical list: canonical entries, sorted (IPv4 first, then by address). The blocks are a
 * set of source addresses, so the order written in the program is not significant and a
 * reordering is no change. An entry that does not parse (possible only in what a PBX sends back)
 * is kept as it is, after the others.
 */
export function canonicalCidrList(list: readonly string[]): string[] {
    const parsed = list.map((entry) => ({ entry: entry.trim(), cidr: parseCidr(entry) }));
    const cidrs = parsed.flatMap(({ cidr }) => ("problem" in cidr ? [] : [cidr])).sort(cidrOrder);
    const unparsed = parsed.flatMap(({ entry, cidr }) => ("problem" in cidr ? [entry] : []));
    return [...new Set(cidrs.map((cidr) => cidr.text)), ...unparsed.sort()];
}

/** The blocks in v22's `;`-joined text (`additional_ips`), as a canonical list. */
export function cidrListFromWire(text: string): string[] {
    return canonicalCidrList(splitJoined(text));
}

function fromBigInt(value: bigint, family: 4 | 6): string {
    if (family === 4) {
        return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
    }
    const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
    return ipv6Text(groups.join(":"));
}
