/**
 * The closed sets of values a OpenVox SIP trunk accepts, spelled exactly as the vendor's API spells
 * them. Kept free of zod so the public type declarations need nothing but TypeScript.
 */

export const TRUNK_TYPES = ["register", "peer", "account"] as const;
export type TrunkType = (typeof TRUNK_TYPES)[number];
