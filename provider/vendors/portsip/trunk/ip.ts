import { isIP } from "node:net";

/**
 * `additional_ips`: a `;`-separated list of IPv4/IPv6 CIDR blocks (V22-OAS: "192.0.2.0/24;192.0.2.0/32").
 * Canonical form: each entry `address/prefix` (a bare address gets /32 or /128), IPv6 in its
 * shortest lower-case form, order kept, no spaces.
 */

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

/** Canonical entries, or the first problem. */
export function parseCidrList(text: string): { entries: string[] } | { problem: string } {
    const raw = text.split(";").map((entry) => entry.trim());
    if (raw.some((entry) => entry === "")) {
        return { problem: "has an empty entry (entries are separated by one ';', with no trailing ';')" };
    }
    const entries: string[] = [];
    for (const entry of raw) {
        const [address = "", prefixText, ...rest] = entry.split("/");
        const family = isIP(address) as 0 | 4 | 6;
        if (family === 0 || rest.length > 0)
            return { problem: `"${entry}" is not an IPv4 or IPv6 address or CIDR block` };
        const bits = family === 4 ? 32 : 128;
        if (prefixText !== undefined && !/^[0-9]{1,3}$/.test(prefixText)) {
            return { problem: `"${entry}" has an invalid prefix length` };
        }
        const prefix = prefixText === undefined ? bits : Number(prefixText);
        if (prefix > bits) return { problem: `"${entry}": the prefix length must be at most ${bits}` };
        const canonicalAddress = family === 4 ? address : ipv6Text(address);
        const value = toBigInt(canonicalAddress, family);
        const hostBits = BigInt(bits - prefix);
        if (hostBits > 0n && value % (1n << hostBits) !== 0n) {
            const network = (value >> hostBits) << hostBits;
            return {
                problem: `"${entry}" has host bits set; the block is ${fromBigInt(network, family)}/${prefix}`,
            };
        }
        const canonical = `${canonicalAddress}/${prefix}`;
        if (entries.includes(canonical)) return { problem: `"${entry}" is listed twice` };
        entries.push(canonical);
    }
    return { entries };
}

function fromBigInt(value: bigint, family: 4 | 6): string {
    if (family === 4) {
        return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
    }
    const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
    return ipv6Text(groups.join(":"));
}

/** Canonical list text; the input unchanged (trimmed) if it does not parse. */
export function canonicalCidrList(text: string): string {
    const parsed = parseCidrList(text);
    return "problem" in parsed ? text.trim() : parsed.entries.join(";");
}
