import type * as pulumi from "@pulumi/pulumi";
import type { ArgsMismatch, MustMatch, StateMismatch } from "../../../core/declared-types";
import { resourceClass, type AdoptInput, type ResourceClass } from "../../../core/resource-class";
import { trunk } from "./definition";
import type {
    AuthMode,
    InboundHeaderPart,
    OutboundHostPart,
    OutboundHostValue,
    OutboundUserPart,
    OutboundUserValue,
    PrivacyType,
    Transport,
    VerificationStatus,
} from "./vocabulary";

/** One outbound SIP header part: where its value comes from. */
export interface OutboundPartArgs<V extends string> {
    /** The source of the header part; `DEFAULT` leaves the PBX's default behaviour. */
    value: pulumi.Input<V>;
    /** The literal text to use; required with `CUSTOM` and allowed only with it. 1–256 characters. */
    customValue?: pulumi.Input<string | undefined>;
}

/**
 * How the PBX reads inbound calls from this trunk (`inbound_parameters`; PortSIP v16+/v22 only).
 * Every entry left out means the PBX's default (`DEFAULT`, `false`, `"verstat"`, none).
 */
export interface InboundParametersArgs {
    /** Header part the caller number is taken from. Default `DEFAULT`. */
    callerNum?: pulumi.Input<InboundHeaderPart | undefined>;
    /** Header part the caller display name is taken from. Default `DEFAULT`. */
    callerDisplayName?: pulumi.Input<InboundHeaderPart | undefined>;
    /** Header part the called number is taken from. Default `DEFAULT`. */
    calledNum?: pulumi.Input<InboundHeaderPart | undefined>;
    /** Privacy types accepted (`NONE` and `SESSION` need v22.2+). Default `DEFAULT`. */
    privacyTypesSupported?: pulumi.Input<PrivacyType | undefined>;
    /** Validate STIR/SHAKEN on inbound calls. Default false. */
    enableStirShakenValidation?: pulumi.Input<boolean | undefined>;
    /** Parameter of the P-Asserted-Identity header carrying the verification status, 1–64 characters. Default `verstat`. */
    paiHeaderParameterName?: pulumi.Input<string | undefined>;
    /** Verification statuses whose calls are dropped; a set (stored sorted). Default none. */
    dropCallsWithVerificationStatus?: pulumi.Input<pulumi.Input<VerificationStatus>[] | undefined>;
    /** Pass the PAI header to the user agent. Default false. */
    passApiHeaderToUad?: pulumi.Input<boolean | undefined>;
}

/**
 * How the PBX fills the SIP headers of outbound calls on this trunk (`outbound_parameters`;
 * PortSIP v16+/v22 only): one entry per header part. Entries left out are `DEFAULT`.
 */
export interface OutboundParametersArgs {
    /** User part of the Request-Line URI. Default `DEFAULT`. */
    requestLineUriUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** User part of the Contact header. Default `DEFAULT`. */
    contactUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Display name of the To header. Default `DEFAULT`. */
    toDisplayName?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** User part of the To header. Default `DEFAULT`. */
    toUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Display name of the From header. Default `DEFAULT`. */
    fromDisplayName?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** User part of the From header. Default `DEFAULT`. */
    fromUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Called party's display name in the Remote-Party-ID header. Default `DEFAULT`. */
    remotePartyIdCalledPartyDisplayName?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Called party's user part in the Remote-Party-ID header. Default `DEFAULT`. */
    remotePartyIdCalledPartyUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Calling party's display name in the Remote-Party-ID header. Default `DEFAULT`. */
    remotePartyIdCallingPartyDisplayName?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Calling party's user part in the Remote-Party-ID header. Default `DEFAULT`. */
    remotePartyIdCallingPartyUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Display name of the P-Asserted-Identity header. Default `DEFAULT`. */
    pAssertedIdentityDisplayName?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** User part of the P-Asserted-Identity header. Default `DEFAULT`. */
    pAssertedIdentityUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Display name of the P-Preferred-Identity header (PortSIP spells it `Identify`). Default `DEFAULT`. */
    pPreferredIdentifyDisplayName?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** User part of the P-Preferred-Identity header (PortSIP spells it `Identify`). Default `DEFAULT`. */
    pPreferredIdentifyUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Display name of the P-Called-Party-ID header. Default `DEFAULT`. */
    pCalledPartyIdDisplayName?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** User part of the P-Called-Party-ID header. Default `DEFAULT`. */
    pCalledPartyIdUserPart?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
    /** Host part of the Request-Line URI. Default `DEFAULT`. */
    requestLineUriHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Host part of the Contact header. Default `DEFAULT`. */
    contactHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Host part of the To header. Default `DEFAULT`. */
    toHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Host part of the From header. Default `DEFAULT`. */
    fromHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Called party's host part in the Remote-Party-ID header. Default `DEFAULT`. */
    remotePartyIdCalledPartyHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Calling party's host part in the Remote-Party-ID header. Default `DEFAULT`. */
    remotePartyIdCallingPartyHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Host part of the P-Asserted-Identity header. Default `DEFAULT`. */
    pAssertedIdentityHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Host part of the P-Preferred-Identity header (PortSIP spells it `Identify`). Default `DEFAULT`. */
    pPreferredIdentifyHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Host part of the P-Called-Party-ID header. Default `DEFAULT`. */
    pCalledPartyIdHostPart?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
    /** Privacy type sent (`NONE` and `SESSION` need v22.2+). Default `DEFAULT`. */
    privacyTypesSupported?: pulumi.Input<PrivacyType | undefined>;
}

// The header parts are spelled out above for their documentation; they must stay the vocabulary's.
type OutboundPartKeys = Exclude<keyof OutboundParametersArgs, "privacyTypesSupported">;
type _OutboundPartsAreTheVocabulary = Expect<Same<OutboundPartKeys, OutboundUserPart | OutboundHostPart>>;
type Expect<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** An {@link OutboundPartArgs} as stored: where one outbound header part's value comes from. */
export interface OutboundPart<V extends string> {
    /** The source of the header part. */
    value: V;
    /** The literal text used; present only with `CUSTOM`. */
    customValue?: string;
}

/**
 * The {@link OutboundParametersArgs} as stored: only the entries that are not `DEFAULT`
 * (an empty program value and an all-`DEFAULT` one both read as `undefined`).
 */
export type OutboundParameters = {
    [K in keyof OutboundParametersArgs]?: K extends OutboundUserPart
        ? OutboundPart<OutboundUserValue>
        : K extends OutboundHostPart
          ? OutboundPart<OutboundHostValue>
          : PrivacyType;
};

/**
 * The {@link InboundParametersArgs} as stored: only the entries that differ from the PBX's
 * defaults (all defaults read as `undefined`); `dropCallsWithVerificationStatus` sorted.
 */
export interface InboundParameters {
    /** Header part the caller number is taken from. */
    callerNum?: InboundHeaderPart;
    /** Header part the caller display name is taken from. */
    callerDisplayName?: InboundHeaderPart;
    /** Header part the called number is taken from. */
    calledNum?: InboundHeaderPart;
    /** Privacy types accepted. */
    privacyTypesSupported?: PrivacyType;
    /** Whether STIR/SHAKEN is validated on inbound calls. */
    enableStirShakenValidation?: boolean;
    /** Parameter of the P-Asserted-Identity header carrying the verification status. */
    paiHeaderParameterName?: string;
    /** Verification statuses whose calls are dropped, sorted. */
    dropCallsWithVerificationStatus?: VerificationStatus[];
    /** Whether the PAI header is passed to the user agent. */
    passApiHeaderToUad?: boolean;
}

/** The API generation a trunk is managed through: legacy `v12`, or `v22` (PortSIP v16 and later). */
export type ApiVersion = "v12" | "v22";

/**
 * A trunk's registration / keep-alive status as last read: `ONLINE` or `OFFLINE` (v16's
 * `REGISTERED` / `UNREGISTERED` are mapped to them), `UNKNOWN` when the PBX reports none. A word
 * PortSIP does not document is passed through as it came.
 */
export type TrunkStatus = "ONLINE" | "OFFLINE" | "UNKNOWN" | (string & Record<never, never>);

/** A JSON value, as the PBX sent it (numbers too big for a double become their decimal text). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Inputs of {@link Trunk}. Changing a property updates the trunk in place unless noted. Fields
 * marked "v16+/v22 only" or "v12 only" fail at preview, naming the property, when the PBX of the
 * trunk's connection speaks the other API generation.
 */
export interface TrunkArgs {
    /**
     * Take over an existing trunk instead of creating one, at create time only: `true` adopts
     * the trunk with this `name` on the connection's PBX (on v16+/v22, where names may repeat, several matches are refused); `{ id }` adopts the one with that id (the trunk id on the PBX). None or several matching fail
     * without creating anything. The trunk is then updated to the declared properties (left
     * untouched when it already matches) and managed like one Pulumi created: `pulumi destroy`
     * deletes it unless the resource has `retainOnDelete: true`. Not stored: changing or removing
     * it later changes nothing. Default: create a new trunk.
     */
    adopt?: pulumi.Input<AdoptInput | undefined>;
    /**
     * Name of the PBX connection (stack config `portsip:<connection>.url|username|password|apiVersion`,
     * or `PORTSIP_<CONNECTION>_URL` …). Default `default` (`portsip:url`, `portsip:username`, …).
     * **Changing it replaces the trunk** (it moves to another PBX).
     */
    connection?: pulumi.Input<string | undefined>;
    /** Trunk name on the PBX, 1–64 characters. Default: the Pulumi resource name. */
    name?: pulumi.Input<string | undefined>;
    /** Whether the trunk is in service. Default true. v16+/v22 only. */
    enabled?: pulumi.Input<boolean | undefined>;
    /**
     * Carrier brand shown by the PBX (e.g. `Generic`), 1–64 characters. Default none.
     * Create-only in the API: **changing it replaces the trunk**. v16+/v22 only.
     */
    brand?: pulumi.Input<string | undefined>;
    /**
     * How the trunk authenticates: `IP_AUTH`, `REGISTER_AUTH` (default), and on v16+/v22 also
     * `ACCEPT_REGISTER`, `TEAMS`, `WHATS_APP`. Create-only in the API: **changing it replaces the trunk**.
     */
    authMode?: pulumi.Input<AuthMode | undefined>;
    /** SIP transport: `UDP` (default), `TCP`, or `TLS` (v16+/v22 only). TCP/TLS must exist as a PBX transport. */
    transport?: pulumi.Input<Transport | undefined>;
    /** SIP server (registrar) host name or IP address of the carrier; no scheme or port. Stored in lower case. */
    hostname: pulumi.Input<string>;
    /** SIP server port, 0–65535. Default 5060. 0 ("no port") only with UDP on v16+/v22. */
    port?: pulumi.Input<number | undefined>;
    /** Authentication ID (SIP user), at most 64 characters. Required for `REGISTER_AUTH` trunks that register. Default none. */
    authId?: pulumi.Input<string | undefined>;
    /** Authentication user name, at most 64 characters. Default none. v16+/v22 only. */
    username?: pulumi.Input<string | undefined>;
    /**
     * Authentication password. **Secret**: stored encrypted in the state even when given as a plain
     * string. v16+/v22 never reads it back, so a change made on the PBX cannot be seen; changing it
     * in the program updates the trunk (the value is never shown). Default none.
     */
    password?: pulumi.Input<string | undefined>;
    /** Whether the PBX registers to the carrier. Default: true for `REGISTER_AUTH`, false otherwise. */
    registration?: pulumi.Input<boolean | undefined>;
    /** Re-registration interval in seconds, ≥ 0. Default 600. */
    registerInterval?: pulumi.Input<number | undefined>;
    /** Outbound proxy host name or IP address. Default none. */
    outboundServer?: pulumi.Input<string | undefined>;
    /** Outbound proxy port, 0–65535; 0 = none (needs 1–65535 with an outbound server over TCP/TLS). Default 0. */
    outboundServerPort?: pulumi.Input<number | undefined>;
    /** The carrier is on the PBX's LAN (use the private IP). Default false. */
    inLan?: pulumi.Input<boolean | undefined>;
    /** The carrier accepts a single Via header only. Default true. */
    singleViaHeader?: pulumi.Input<boolean | undefined>;
    /** Put the PBX's public IP in the Via header. Default true. v16+/v22 only. */
    rewriteViaIp?: pulumi.Input<boolean | undefined>;
    /** Match inbound SIP from the carrier by IP and port (not IP alone). Default true. v16+/v22 only. */
    verifyPort?: pulumi.Input<boolean | undefined>;
    /** Send OPTIONS keep-alives (no answer → OFFLINE). Default true. v16+/v22 only. */
    keepAlive?: pulumi.Input<boolean | undefined>;
    /** Keep-alive interval in seconds, ≥ 0. Default 360. v16+/v22 only. */
    keepAliveInterval?: pulumi.Input<number | undefined>;
    /**
     * Maximum concurrent calls, ≥ 0. PortSIP documents no default: left out, a new trunk is created
     * with 0 and an existing trunk keeps its value (not managed). v16+/v22 only.
     */
    concurrency?: pulumi.Input<number | undefined>;
    /**
     * Other source addresses of the carrier: IPv4/IPv6 CIDR blocks, one per element, e.g.
     * `["198.51.100.0/24", "2001:db8::/32"]` (a bare address means /32 or /128; host bits must be
     * zero; no block twice). A set: the order is not significant, and the state holds the blocks
     * in canonical form, sorted (IPv4 first, then by address), so reordering them is no change.
     * Default none.
     */
    additionalIps?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    /** Adjust the SDP direction on hold. Default true. v16+/v22 only. */
    adjustSdpDirection?: pulumi.Input<boolean | undefined>;
    /** Remove SRTP crypto lines from the SDP. Default true. v16+/v22 only. */
    removeSrtpInfo?: pulumi.Input<boolean | undefined>;
    /** Require a STIR/SHAKEN signature. Default false. v16+/v22 only. */
    stirShakenSignatureRequired?: pulumi.Input<boolean | undefined>;
    /**
     * DID pool: numbers and ranges, one per element, e.g. `["4155550100-4155550199", "4155550300"]`;
     * no leading `+` or `0`; entries must not overlap each other, nor the pool of another trunk of
     * this stack on the same PBX (checked at preview). A set: the order is not significant, and the
     * state holds the entries sorted by their first number, so reordering them is no change.
     * Default none. v16+/v22 only.
     */
    didNumbers?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    /** Inbound header handling and STIR/SHAKEN validation. Default: all PBX defaults. v16+/v22 only. */
    inboundParameters?: pulumi.Input<InboundParametersArgs | undefined>;
    /** Outbound header composition. Default: all `DEFAULT`. v16+/v22 only. */
    outboundParameters?: pulumi.Input<OutboundParametersArgs | undefined>;
    /** v12 `in_parameters`: items undocumented by PortSIP, sent and compared as given. Default []. v12 only. */
    inParameters?: pulumi.Input<unknown[] | undefined>;
    /** v12 `out_parameters`: items undocumented by PortSIP, sent and compared as given. Default []. v12 only. */
    outParameters?: pulumi.Input<unknown[] | undefined>;
    /**
     * After create and update, wait until the trunk's status is ONLINE (registered / answering
     * keep-alives), logging progress. On timeout the trunk is kept in the stack and the operation
     * fails; the next `pulumi up` waits again. Default false.
     */
    waitUntilOnline?: pulumi.Input<boolean | undefined>;
    /** How long `waitUntilOnline` waits, 1–3600 seconds. Default 120. Only with `waitUntilOnline: true`. */
    onlineTimeoutSeconds?: pulumi.Input<number | undefined>;
}

/** Outputs of {@link Trunk}: the trunk as stored in the state. */
export interface TrunkState {
    /** The PBX connection the trunk lives on. Default `default`. **Changing the input replaces the trunk.** */
    connection: string;
    /** Trunk name on the PBX. Default: the Pulumi resource name. Updated in place. */
    name: string;
    /** Whether the trunk is in service (default true). Updated in place. v16+/v22 only: `undefined` on v12. */
    enabled: boolean | undefined;
    /**
     * Carrier brand shown by the PBX; `undefined` when none. **Changing the input replaces the
     * trunk** (create-only in the API). v16+/v22 only.
     */
    brand: string | undefined;
    /** How the trunk authenticates. Default `REGISTER_AUTH`. **Changing the input replaces the trunk** (create-only in the API). */
    authMode: AuthMode;
    /** SIP transport. Default `UDP`. Updated in place. */
    transport: Transport;
    /** The carrier's SIP server host name (lower case) or IP address. Updated in place. */
    hostname: string;
    /** SIP server port, 0–65535. Default 5060. Updated in place. */
    port: number;
    /** Authentication ID (SIP user); `undefined` when none. Updated in place. */
    authId: string | undefined;
    /** Authentication user name; `undefined` when none. Updated in place. v16+/v22 only. */
    username: string | undefined;
    /**
     * Authentication password; `undefined` when none. **Secret** (encrypted in the state, shown as
     * `[secret]`). v16+/v22 never reads it back, so this is the program's last value there. Updated in place.
     */
    password: string | undefined;
    /** Whether the PBX registers to the carrier. Default: true for `REGISTER_AUTH`, false otherwise. Updated in place. */
    registration: boolean;
    /** Re-registration interval in seconds. Default 600. Updated in place. */
    registerInterval: number;
    /** Outbound proxy host name (lower case) or IP address; `undefined` when none. Updated in place. */
    outboundServer: string | undefined;
    /** Outbound proxy port; 0 = none (the default). Updated in place. */
    outboundServerPort: number;
    /** Whether the carrier is on the PBX's LAN. Default false. Updated in place. */
    inLan: boolean;
    /** Whether the carrier accepts a single Via header only. Default true. Updated in place. */
    singleViaHeader: boolean;
    /** Whether the PBX's public IP goes in the Via header (default true). Updated in place. v16+/v22 only: `undefined` on v12. */
    rewriteViaIp: boolean | undefined;
    /** Whether inbound SIP is matched by IP and port (default true). Updated in place. v16+/v22 only: `undefined` on v12. */
    verifyPort: boolean | undefined;
    /** Whether OPTIONS keep-alives are sent (default true). Updated in place. v16+/v22 only: `undefined` on v12. */
    keepAlive: boolean | undefined;
    /** Keep-alive interval in seconds (default 360). Updated in place. v16+/v22 only: `undefined` on v12. */
    keepAliveInterval: number | undefined;
    /**
     * Maximum concurrent calls; `undefined` when the program does not manage it (the PBX keeps its
     * own value; a trunk created without it gets 0). Updated in place. v16+/v22 only.
     */
    concurrency: number | undefined;
    /**
     * Other source addresses of the carrier: one CIDR block per element (bare addresses as /32 or
     * /128), sorted (order is not significant); `undefined` when none. Updated in place.
     */
    additionalIps: string[] | undefined;
    /** Whether the SDP direction is adjusted on hold (default true). Updated in place. v16+/v22 only: `undefined` on v12. */
    adjustSdpDirection: boolean | undefined;
    /** Whether SRTP crypto lines are removed from the SDP (default true). Updated in place. v16+/v22 only: `undefined` on v12. */
    removeSrtpInfo: boolean | undefined;
    /** Whether a STIR/SHAKEN signature is required (default false). Updated in place. v16+/v22 only: `undefined` on v12. */
    stirShakenSignatureRequired: boolean | undefined;
    /**
     * DID pool: one number or range per element, normalized and sorted (order is not significant);
     * `undefined` when none. Updated in place. v16+/v22 only.
     */
    didNumbers: string[] | undefined;
    /** Inbound header handling, only the entries that differ from the PBX's defaults; `undefined` when none do. Updated in place. v16+/v22 only. */
    inboundParameters: InboundParameters | undefined;
    /** Outbound header composition, only the entries that are not `DEFAULT`; `undefined` when none. Updated in place. v16+/v22 only. */
    outboundParameters: OutboundParameters | undefined;
    /** v12 `in_parameters` as the PBX holds them (default `[]`). Updated in place. v12 only: `undefined` on v16+/v22. */
    inParameters: JsonValue[] | undefined;
    /** v12 `out_parameters` as the PBX holds them (default `[]`). Updated in place. v12 only: `undefined` on v16+/v22. */
    outParameters: JsonValue[] | undefined;
    /** Whether create and update wait for `status` ONLINE. Default false. The program's setting: changing it alone makes no API call. */
    waitUntilOnline: boolean;
    /** How long `waitUntilOnline` waits, in seconds; `undefined` when not set (120 is used). The program's setting: no API call. */
    onlineTimeoutSeconds: number | undefined;
    /** Computed: the API generation the trunk is managed through, detected or pinned per connection. */
    apiVersion: ApiVersion;
    /** Computed: the trunk's registration / keep-alive status when last read (see {@link TrunkStatus}). */
    status: TrunkStatus;
    /** Computed, v16+/v22: whether the system admin shares the trunk with tenants; `undefined` on v12. */
    shared: boolean | undefined;
}

/**
 * A trunk on a PortSIP PBX — what PortSIP's API calls a "provider" (the class is named `Trunk`
 * because "Provider" means something else in Pulumi). Works with both API generations: legacy
 * v12 (`/api/providers/create|show|update|destroy`) and v16+ (documented as v22,
 * `/api/providers/{id}`). The resource id is the PBX's trunk id (v12: an exact decimal string).
 *
 * Each trunk names a PBX connection; its URL, user and password come from stack config
 * (`portsip:<connection>.url`, `.username`, `.password` as a secret) or the environment. Pin the
 * generation with `portsip:<connection>.apiVersion` (`v12` | `v22`) to keep previews free of API
 * calls; otherwise it is detected once per run with `GET /api/info`.
 *
 * The Pulumi resource name is also the trunk's default `name` on the PBX, and how a DID pool
 * overlap with another trunk of the stack is reported. `password` is always added to
 * `additionalSecretOutputs`.
 */
export const Trunk: ResourceClass<TrunkArgs, TrunkState> = resourceClass(trunk);
export type Trunk = InstanceType<typeof Trunk>;

// The public types above are written out for their documentation; they must stay the declaration's.
type _ArgsMatch = MustMatch<ArgsMismatch<TrunkArgs, typeof trunk>>;
// The schema's type leaves `registration` optional; its canonical form always sets it from `authMode`.
type _StateMatches = MustMatch<StateMismatch<TrunkState, typeof trunk, "registration">>;
