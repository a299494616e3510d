/**
 * The closed sets of values a telecom.center termination gateway accepts, spelled exactly as the vendor's API spells
 * them. Kept free of zod so the public type declarations need nothing but TypeScript.
 */

/** Allowed codec names, exactly as the API spells them (note the lower-case `g729`). */
export const CODECS = ["g729", "G722", "GSM", "PCMA", "PCMU", "OPUS", "telephone-event/8000"] as const;
export type Codec = (typeof CODECS)[number];

export const NETWORK_PROTOCOLS = ["IPv4_only", "IPv6_only", "IPv4_pref", "IPv6_pref", "Dualstack"] as const;
export type NetworkProtocol = (typeof NETWORK_PROTOCOLS)[number];
