import { isIP } from "node:net";
import { z } from "zod";

/**
 * zod building blocks shared by every vendor's input schema: factories that each resource's schema
 * composes, and that schema is built once per process (core/once.ts).
 */

const HOSTNAME_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isHostname(value: string): boolean {
    if (value.length > 253) return false;
    const labels = value.replace(/\.$/, "").split(".");
    // An all-numeric last label would be a malformed IPv4 address, not a name.
    if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return false;
    return labels.every((label) => HOSTNAME_LABEL.test(label));
}

/** Why a host string is not a bare host, or undefined when it is. */
export function hostProblem(value: string, allowIpv6 = true): string | undefined {
    if (value === "") return "must not be empty";
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^sips?:/i.test(value))
        return `must be a bare host without a scheme (got "${value}")`;
    if (value.includes("/")) return `must be a bare host without a path (got "${value}")`;
    const ipVersion = isIP(value);
    if (ipVersion === 4) return undefined;
    if (ipVersion === 6) return allowIpv6 ? undefined : `IPv6 addresses are not supported here (got "${value}")`;
    if (/:\d+$/.test(value)) return `must not carry a port; use the port property (got "${value}")`;
    if (!isHostname(value)) return `must be a valid hostname or IP address (got "${value}")`;
    return undefined;
}

/**
 * A host in canonical form: a name lower case without the trailing dot of a fully qualified
 * name; an IP address as given (an IPv6 address is not a name, its case is left alone).
 */
export function canonicalHost(value: string): string {
    return isIP(value) === 0 ? value.toLowerCase().replace(/\.$/, "") : value;
}

/** A hostname (canonical lower case), an IPv4 address or, unless disabled, an IPv6 address. */
export function hostSchema(allowIpv6 = true) {
    return z
        .string()
        .trim()
        .transform(canonicalHost)
        .superRefine((value, ctx) => {
            const problem = hostProblem(value, allowIpv6);
            if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
        });
}

export function portSchema(min = 1) {
    return z
        .number({ error: "must be a whole number" })
        .int("must be a whole number")
        .min(min, `must be between ${min} and 65535`)
        .max(65535, `must be between ${min} and 65535`);
}

/** A non-empty trimmed string. */
export function nonEmptyString() {
    return z.string({ error: "must be a string" }).trim().min(1, "must not be empty");
}

/** A list of distinct values from `values`, order kept (it often means priority). */
export function distinctEnumList<const T extends readonly [string, ...string[]]>(values: T) {
    return z
        .array(
            z.enum(values, {
                error: (issue) => `must be one of ${values.join(", ")} (got ${JSON.stringify(issue.input)})`,
            }),
        )
        .min(1, "must not be empty")
        .refine((list) => new Set(list).size === list.length, "must not repeat a value");
}
