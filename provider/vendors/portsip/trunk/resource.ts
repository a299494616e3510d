import * as pulumi from "@pulumi/pulumi";
import { RuntimeProvider } from "../../../core/delegate";
import { secretInput, withSecretOutputs } from "../../../core/resource-options";
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
export type OutboundParametersArgs = {
    [K in OutboundUserPart]?: pulumi.Input<OutboundPartArgs<OutboundUserValue> | undefined>;
} & {
    [K in OutboundHostPart]?: pulumi.Input<OutboundPartArgs<OutboundHostValue> | undefined>;
} & {
    /** Privacy type sent (`NONE` and `SESSION` need v22.2+). Default `DEFAULT`. */
    privacyTypesSupported?: pulumi.Input<PrivacyType | undefined>;
};

/**
 * Inputs of {@link Trunk}. Changing a property updates the trunk in place unless noted. Fields
 * marked "v16+/v22 only" or "v12 only" fail at preview, naming the property, when the PBX of the
 * trunk's connection speaks the other API generation.
 */
export interface TrunkArgs {
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

// One provider object per type: Pulumi serializes it once per program, not once per resource.
const provider = new RuntimeProvider("portsip:Trunk");

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
 */
export class Trunk extends pulumi.dynamic.Resource {
    declare readonly connection: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly enabled: pulumi.Output<boolean | undefined>;
    declare readonly brand: pulumi.Output<string | undefined>;
    declare readonly authMode: pulumi.Output<AuthMode>;
    declare readonly transport: pulumi.Output<Transport>;
    declare readonly hostname: pulumi.Output<string>;
    declare readonly port: pulumi.Output<number>;
    declare readonly authId: pulumi.Output<string | undefined>;
    declare readonly username: pulumi.Output<string | undefined>;
    declare readonly password: pulumi.Output<string | undefined>;
    declare readonly registration: pulumi.Output<boolean>;
    declare readonly registerInterval: pulumi.Output<number>;
    declare readonly outboundServer: pulumi.Output<string | undefined>;
    declare readonly outboundServerPort: pulumi.Output<number>;
    declare readonly inLan: pulumi.Output<boolean>;
    declare readonly singleViaHeader: pulumi.Output<boolean>;
    declare readonly rewriteViaIp: pulumi.Output<boolean | undefined>;
    declare readonly verifyPort: pulumi.Output<boolean | undefined>;
    declare readonly keepAlive: pulumi.Output<boolean | undefined>;
    declare readonly keepAliveInterval: pulumi.Output<number | undefined>;
    declare readonly concurrency: pulumi.Output<number | undefined>;
    declare readonly additionalIps: pulumi.Output<string[] | undefined>;
    declare readonly adjustSdpDirection: pulumi.Output<boolean | undefined>;
    declare readonly removeSrtpInfo: pulumi.Output<boolean | undefined>;
    declare readonly stirShakenSignatureRequired: pulumi.Output<boolean | undefined>;
    declare readonly didNumbers: pulumi.Output<string[] | undefined>;
    declare readonly inboundParameters: pulumi.Output<Record<string, unknown> | undefined>;
    declare readonly outboundParameters: pulumi.Output<Record<string, unknown> | undefined>;
    declare readonly inParameters: pulumi.Output<unknown[] | undefined>;
    declare readonly outParameters: pulumi.Output<unknown[] | undefined>;
    declare readonly waitUntilOnline: pulumi.Output<boolean>;
    declare readonly onlineTimeoutSeconds: pulumi.Output<number | undefined>;
    /** `v12` or `v22`: the API generation the trunk is managed through. */
    declare readonly apiVersion: pulumi.Output<string>;
    /** `ONLINE` or `OFFLINE` when last read (v16's REGISTERED/UNREGISTERED are mapped). */
    declare readonly status: pulumi.Output<string>;
    /** v16+/v22: whether the system admin shares the trunk with tenants. */
    declare readonly shared: pulumi.Output<boolean | undefined>;
    /** Version of the stored state's shape. */
    declare readonly stateVersion: pulumi.Output<number>;

    constructor(name: string, args: TrunkArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                // Every property is listed, given or not: Pulumi makes an Output only for the keys present here.
                connection: args.connection,
                name: args.name ?? name,
                enabled: args.enabled,
                brand: args.brand,
                authMode: args.authMode,
                transport: args.transport,
                hostname: args.hostname,
                port: args.port,
                authId: args.authId,
                username: args.username,
                password: secretInput(args.password),
                registration: args.registration,
                registerInterval: args.registerInterval,
                outboundServer: args.outboundServer,
                outboundServerPort: args.outboundServerPort,
                inLan: args.inLan,
                singleViaHeader: args.singleViaHeader,
                rewriteViaIp: args.rewriteViaIp,
                verifyPort: args.verifyPort,
                keepAlive: args.keepAlive,
                keepAliveInterval: args.keepAliveInterval,
                concurrency: args.concurrency,
                additionalIps: args.additionalIps,
                adjustSdpDirection: args.adjustSdpDirection,
                removeSrtpInfo: args.removeSrtpInfo,
                stirShakenSignatureRequired: args.stirShakenSignatureRequired,
                didNumbers: args.didNumbers,
                inboundParameters: args.inboundParameters,
                outboundParameters: args.outboundParameters,
                inParameters: args.inParameters,
                outParameters: args.outParameters,
                waitUntilOnline: args.waitUntilOnline,
                onlineTimeoutSeconds: args.onlineTimeoutSeconds,
                // Hidden: lets `check` name this resource when its DID pool overlaps another's. Never stored.
                __resourceName: name,
                apiVersion: undefined,
                status: undefined,
                shared: undefined,
                stateVersion: undefined,
            },
            withSecretOutputs(opts, ["password"]),
            "portsip",
            "Trunk",
        );
    }
}
