/**
 * The closed sets of values a PortSIP trunk accepts, spelled exactly as the vendor's API spells
 * them. Kept free of zod so the public type declarations need nothing but TypeScript.
 */

export const AUTH_MODES = ["IP_AUTH", "REGISTER_AUTH", "ACCEPT_REGISTER", "TEAMS", "WHATS_APP"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const V12_AUTH_MODES: readonly AuthMode[] = ["IP_AUTH", "REGISTER_AUTH"];

export const TRANSPORTS = ["UDP", "TCP", "TLS"] as const;
export type Transport = (typeof TRANSPORTS)[number];
export const V12_TRANSPORTS: readonly Transport[] = ["UDP", "TCP"];

export const INBOUND_HEADER_PARTS = [
    "REQUEST_LINE_URI_USER_PART",
    "CONTACT_USER_PART",
    "TO_DISPLAY_NAME",
    "TO_USER_PART",
    "FROM_DISPLAY_NAME",
    "FROM_USER_PART",
    "REMOTE_PARTY_ID_CALLED_PARTY_DISPLAY_NAME",
    "REMOTE_PARTY_ID_CALLED_PARTY_USER_PART",
    "REMOTE_PARTY_ID_CALLING_PARTY_DISPLAY_NAME",
    "REMOTE_PARTY_ID_CALLING_PARTY_USER_PART",
    "P_ASSERTED_IDENTITY_DISPLAY_NAME",
    "P_ASSERTED_IDENTITY_USER_PART",
    "P_PREFERRED_IDENTIFY_DISPLAY_NAME",
    "P_PREFERRED_IDENTIFY_USER_PART",
    "P_CALLED_PARTY_ID_DISPLAY_NAME",
    "P_CALLED_PARTY_ID_USER_PART",
    "DEFAULT",
] as const;
export type InboundHeaderPart = (typeof INBOUND_HEADER_PARTS)[number];

export const PRIVACY_TYPES = ["DEFAULT", "NONE", "ID", "USER", "HEADER", "SESSION"] as const;
export type PrivacyType = (typeof PRIVACY_TYPES)[number];

export const VERIFICATION_STATUSES = [
    "No-TN-Validation",
    "TN-Validation-Failed",
    "TN-Validation-Passed-B",
    "TN-Validation-Passed-C",
    "TN-Validation-Failed-A",
    "TN-Validation-Failed-B",
    "TN-Validation-Failed-C",
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export const OUTBOUND_USER_VALUES = [
    "AUTH_ID",
    "CALLER_NUM",
    "CALLED_NUM",
    "CALLER_DISPLAY_NAME",
    "OUTBOUND_CALLER_ID",
    "ORIGINATOR_CALLER_ID",
    "OUTBOUND_CALLER_ID_AND_ORIGINATOR_CALLER_ID",
    "ANONYMOUS",
    "DEFAULT",
    "CUSTOM",
] as const;
export type OutboundUserValue = (typeof OUTBOUND_USER_VALUES)[number];

export const OUTBOUND_HOST_VALUES = [
    "TRUNK_HOST_PORT",
    "OUT_HOST_PORT",
    "CONTACT_URI",
    "SIP_DOMAIN",
    "DEFAULT",
    "CUSTOM",
] as const;
export type OutboundHostValue = (typeof OUTBOUND_HOST_VALUES)[number];

/** Outbound header parts whose value is a user, display name or number (PortSIP's spelling `identify` kept). */
export const OUTBOUND_USER_PARTS = [
    "requestLineUriUserPart",
    "contactUserPart",
    "toDisplayName",
    "toUserPart",
    "fromDisplayName",
    "fromUserPart",
    "remotePartyIdCalledPartyDisplayName",
    "remotePartyIdCalledPartyUserPart",
    "remotePartyIdCallingPartyDisplayName",
    "remotePartyIdCallingPartyUserPart",
    "pAssertedIdentityDisplayName",
    "pAssertedIdentityUserPart",
    "pPreferredIdentifyDisplayName",
    "pPreferredIdentifyUserPart",
    "pCalledPartyIdDisplayName",
    "pCalledPartyIdUserPart",
] as const;
export type OutboundUserPart = (typeof OUTBOUND_USER_PARTS)[number];

/** Outbound header parts whose value is a host. */
export const OUTBOUND_HOST_PARTS = [
    "requestLineUriHostPart",
    "contactHostPart",
    "toHostPart",
    "fromHostPart",
    "remotePartyIdCalledPartyHostPart",
    "remotePartyIdCallingPartyHostPart",
    "pAssertedIdentityHostPart",
    "pPreferredIdentifyHostPart",
    "pCalledPartyIdHostPart",
] as const;
export type OutboundHostPart = (typeof OUTBOUND_HOST_PARTS)[number];
