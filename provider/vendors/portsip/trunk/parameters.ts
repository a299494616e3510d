import { z } from "zod";
import { sameValue } from "../../../core/diff";
import { bool, enumOf, text } from "./fields";
import {
    INBOUND_HEADER_PARTS,
    OUTBOUND_HOST_PARTS,
    OUTBOUND_HOST_VALUES,
    OUTBOUND_USER_PARTS,
    OUTBOUND_USER_VALUES,
    PRIVACY_TYPES,
    VERIFICATION_STATUSES,
} from "./vocabulary";

/**
 * `inboundParameters` and `outboundParameters` (PortSIP v16+/v22): how the PBX reads and writes
 * SIP headers of the trunk's calls. Their canonical form holds only the entries that differ from
 * the PBX's defaults, so leaving an entry out and writing its default are the same program.
 */

/** The PBX's value of every inbound entry the program leaves out. */
export const INBOUND_DEFAULTS: Readonly<Record<string, unknown>> = {
    callerNum: "DEFAULT",
    callerDisplayName: "DEFAULT",
    calledNum: "DEFAULT",
    privacyTypesSupported: "DEFAULT",
    enableStirShakenValidation: false,
    paiHeaderParameterName: "verstat",
    dropCallsWithVerificationStatus: [],
    passApiHeaderToUad: false,
};

function outboundPart<const T extends readonly [string, ...string[]]>(values: T) {
    return z
        .strictObject({
            value: enumOf(values),
            customValue: z
                .string({ error: "must be a string" })
                .min(1, "must not be empty")
                .max(256, "must be at most 256 characters")
                .optional(),
        })
        .superRefine((part, ctx) => {
            if (part.value === "CUSTOM" && part.customValue === undefined) {
                ctx.addIssue({ code: "custom", path: ["customValue"], message: "is required when value is CUSTOM" });
            }
            if (part.value !== "CUSTOM" && part.customValue !== undefined) {
                ctx.addIssue({ code: "custom", path: ["customValue"], message: "is used only when value is CUSTOM" });
            }
        });
}

function partsShape<K extends string, S extends z.ZodType>(keys: readonly K[], schema: () => S) {
    return Object.fromEntries(keys.map((key) => [key, schema().optional()])) as Record<K, z.ZodOptional<S>>;
}

export function inboundSchema() {
    return z.strictObject({
        callerNum: enumOf(INBOUND_HEADER_PARTS).optional(),
        callerDisplayName: enumOf(INBOUND_HEADER_PARTS).optional(),
        calledNum: enumOf(INBOUND_HEADER_PARTS).optional(),
        privacyTypesSupported: enumOf(PRIVACY_TYPES).optional(),
        enableStirShakenValidation: bool().optional(),
        paiHeaderParameterName: text(64).optional(),
        dropCallsWithVerificationStatus: z
            .array(enumOf(VERIFICATION_STATUSES), { error: "must be a list" })
            .refine((list) => new Set(list).size === list.length, "must not repeat a value")
            .optional(),
        passApiHeaderToUad: bool().optional(),
    });
}

export function outboundSchema() {
    return z.strictObject({
        ...partsShape(OUTBOUND_USER_PARTS, () => outboundPart(OUTBOUND_USER_VALUES)),
        ...partsShape(OUTBOUND_HOST_PARTS, () => outboundPart(OUTBOUND_HOST_VALUES)),
        privacyTypesSupported: enumOf(PRIVACY_TYPES).optional(),
    });
}

export type InboundParameters = z.output<ReturnType<typeof inboundSchema>>;
export type OutboundParameters = z.output<ReturnType<typeof outboundSchema>>;
export interface OutboundPartValue {
    value: string;
    customValue?: string;
}

/** Inbound parameters without the entries that equal the PBX's defaults; `undefined` when all do. */
export function sparseInbound(value: unknown): InboundParameters | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined || item === null) continue;
        const canonical = Array.isArray(item) ? [...(item as string[])].sort() : item;
        if (sameValue(canonical, INBOUND_DEFAULTS[key])) continue;
        result[key] = canonical;
    }
    return Object.keys(result).length === 0 ? undefined : result;
}

/** Outbound parameters without `DEFAULT` entries; `undefined` when all are. */
export function sparseOutbound(value: unknown): OutboundParameters | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (key === "privacyTypesSupported") {
            if (item !== undefined && item !== null && item !== "DEFAULT") result[key] = item;
            continue;
        }
        const part = item as { value?: unknown; customValue?: unknown } | undefined | null;
        if (part?.value === undefined || part.value === null || part.value === "DEFAULT") continue;
        result[key] =
            part.value === "CUSTOM" && typeof part.customValue === "string"
                ? { value: part.value, customValue: part.customValue }
                : { value: part.value };
    }
    return Object.keys(result).length === 0 ? undefined : result;
}
