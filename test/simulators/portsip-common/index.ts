import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";

/**
 * Pieces both PortSIP simulators (v12 and v22) share: a token table with an injectable clock, id
 * generation, and small HTTP helpers. Nothing vendor-generation-specific lives here.
 */

export type Clock = () => number;

export interface TokenEntry<T> {
    expiresAt: number;
    data: T;
}

/** Opaque tokens with an expiry each; "expired" and "never issued" look the same to callers, as on the wire. */
export class TokenStore<T> {
    private readonly entries = new Map<string, TokenEntry<T>>();

    constructor(private readonly now: Clock) {}

    issue(token: string, lifetimeMs: number, data: T): TokenEntry<T> {
        const entry = { expiresAt: this.now() + lifetimeMs, data };
        this.entries.set(token, entry);
        return entry;
    }

    /** The entry while it is live; expired entries are dropped on sight. */
    get(token: string): TokenEntry<T> | undefined {
        const entry = this.entries.get(token);
        if (entry === undefined) return undefined;
        if (this.now() >= entry.expiresAt) {
            this.entries.delete(token);
            return undefined;
        }
        return entry;
    }

    /** Sliding expiry: pushes a live token's end to `now + lifetimeMs`. */
    extend(token: string, lifetimeMs: number): void {
        const entry = this.get(token);
        if (entry !== undefined) entry.expiresAt = this.now() + lifetimeMs;
    }

    expireAll(): void {
        this.entries.clear();
    }
}

export const INT64_MAX = 2n ** 63n - 1n;
export const INT32_MAX = 2 ** 31 - 1;

/**
 * A random id in [min, maxExclusive) that a JavaScript number cannot hold exactly, so a client that
 * squeezes it through `JSON.parse` visibly corrupts it instead of getting lucky.
 */
export function randomBigId(min: bigint, maxExclusive: bigint, taken: (id: bigint) => boolean): bigint {
    const range = maxExclusive - min;
    for (;;) {
        // 64 random bits modulo the range: the slight bias is irrelevant for test ids.
        const id = min + (randomBytes(8).readBigUInt64BE() % range);
        if (BigInt(Number(id)) !== id && !taken(id)) return id;
    }
}

/** Uppercase hexadecimal, as in the v12 samples (`4DFCF1D4C30B4D798ECE3AE43769F008`). */
export function randomUpperHex(bytes: number): string {
    return randomBytes(bytes).toString("hex").toUpperCase();
}

/** 48 uppercase characters, shaped like the v22 samples (base64 of a UUID, upper-cased). */
export function randomV22Token(): string {
    return Buffer.from(randomUUID()).toString("base64").toUpperCase();
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
}

/** Media type without parameters, lower-cased; `undefined` when the header is absent. */
export function mediaType(headers: IncomingHttpHeaders): string | undefined {
    return headerValue(headers, "content-type")?.split(";")[0]?.trim().toLowerCase();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A DNS name (letters, digits, inner hyphens per label) or an IPv4/IPv6 literal; no scheme, port or spaces. */
export function isHostOrIp(value: string): boolean {
    if (isIP(value) !== 0) return true;
    return value.length <= 253 && value.split(".").every((label) => HOST_LABEL.test(label));
}
