import type * as pulumi from "@pulumi/pulumi";
import type { ArgsMismatch, MustMatch, StateMismatch } from "../../../core/declared-types";
import { resourceClass, type AdoptInput, type ResourceClass } from "../../../core/resource-class";
import { terminationGateway } from "./definition";
import type { Codec, NetworkProtocol } from "./vocabulary";

/** Inputs of {@link TerminationGateway}. Changing a property updates the gateway in place unless noted. */
export interface TerminationGatewayArgs {
    /**
     * Take over an existing gateway instead of creating one, at create time only: `true` adopts
     * the gateway with this `name` of this customer on the connection; `{ id }` adopts the one with that id (the gateway's UUID). None or several matching fail
     * without creating anything. The gateway is then updated to the declared properties (left
     * untouched when it already matches) and managed like one Pulumi created: `pulumi destroy`
     * deletes it unless the resource has `retainOnDelete: true`. Not stored: changing or removing
     * it later changes nothing. Default: create a new gateway.
     */
    adopt?: pulumi.Input<AdoptInput | undefined>;
    /**
     * The named connection (telecom.center operator account) that holds the gateway. Default:
     * `default`. Its credentials come from stack config `telecomcenter:<connection>.username` and
     * `telecomcenter:<connection>.password` (secret), or the `TELECOMCENTER_<CONNECTION>_USERNAME`
     * / `TELECOMCENTER_<CONNECTION>_PASSWORD` environment variables, its endpoint from
     * `telecomcenter:<connection>.baseUrl` / `TELECOMCENTER_<CONNECTION>_BASE_URL`; the `default`
     * connection also reads `telecomcenter:username`, `telecomcenter:password`,
     * `telecomcenter:baseUrl` and `TELECOMCENTER_USERNAME`, ..., so a one-operator stack needs no
     * connection at all. Several connections let one stack manage gateways of several operators.
     * **Changing it replaces the gateway**: the gateway of another connection lives in another
     * operator account.
     */
    connection?: pulumi.Input<string | undefined>;
    /**
     * Id of the telecom.center customer that owns the gateway (the `customer` relationship).
     * The API cannot move a gateway between customers: **changing it replaces the gateway**.
     */
    customerId: pulumi.Input<string>;
    /** Gateway name shown in the telecom.center UI. Default: the Pulumi resource name. */
    name?: pulumi.Input<string | undefined>;
    /** Host name or IP address of the SIP gateway: no scheme (`sip:`), port or path. Host names are stored in lower case. */
    host: pulumi.Input<string>;
    /** SIP port, 1–65535. Default: 5060 (what the API means when it reads back `port: null`). */
    port?: pulumi.Input<number | undefined>;
    /**
     * Allowed codecs, highest priority first, from `g729`, `G722`, `GSM`, `PCMA`, `PCMU`, `OPUS`,
     * `telephone-event/8000` (spelled exactly so). Default: the commercial account's defaults,
     * which are then not managed by Pulumi.
     */
    codecs?: pulumi.Input<pulumi.Input<Codec>[] | undefined>;
    /** Regular expression matched against the source (caller) number. Default: none. */
    srcRewriteRule?: pulumi.Input<string | undefined>;
    /** Replacement for the source number; needs `srcRewriteRule`. Default: none. */
    srcRewriteResult?: pulumi.Input<string | undefined>;
    /** Regular expression matched against the destination number. Default: none. */
    dstRewriteRule?: pulumi.Input<string | undefined>;
    /** Replacement for the destination number; needs `dstRewriteRule`. Default: none. */
    dstRewriteResult?: pulumi.Input<string | undefined>;
    /** SIP digest user name presented to the gateway. Default: none. */
    authorizationName?: pulumi.Input<string | undefined>;
    /**
     * SIP digest password presented to the gateway; needs `authorizationName`. **Secret**: stored
     * encrypted in the state even when given as a plain string. Default: none.
     */
    authorizationPassword?: pulumi.Input<string | undefined>;
    /** `IPv4_only` (default), `IPv6_only`, `IPv4_pref`, `IPv6_pref` or `Dualstack`. */
    networkProtocol?: pulumi.Input<NetworkProtocol | undefined>;
}

/** Outputs of {@link TerminationGateway}: the gateway as stored in the state. */
export interface TerminationGatewayState {
    /**
     * The named telecom.center connection (operator account) the gateway lives in; `default` reads
     * the un-named `telecomcenter:*` keys. **Changing the input replaces the gateway** (it lives in
     * another account).
     */
    connection: string;
    /** Id of the customer that owns the gateway. **Changing the input replaces the gateway.** */
    customerId: string;
    /** Gateway name shown in the telecom.center UI. Default: the Pulumi resource name. Updated in place. */
    name: string;
    /** Host name (lower case) or IP address of the SIP gateway. Updated in place. */
    host: string;
    /** SIP port, 1–65535. Default 5060. Updated in place. */
    port: number;
    /**
     * Allowed codecs, highest priority first. `undefined` when the program leaves them to the
     * commercial account's defaults (then not managed). Updated in place.
     */
    codecs: Codec[] | undefined;
    /** Regular expression matched against the source (caller) number; `undefined` when none. Updated in place. */
    srcRewriteRule: string | undefined;
    /** Replacement for the source number; `undefined` when none. Updated in place. */
    srcRewriteResult: string | undefined;
    /** Regular expression matched against the destination number; `undefined` when none. Updated in place. */
    dstRewriteRule: string | undefined;
    /** Replacement for the destination number; `undefined` when none. Updated in place. */
    dstRewriteResult: string | undefined;
    /** SIP digest user name presented to the gateway; `undefined` when none. Updated in place. */
    authorizationName: string | undefined;
    /**
     * SIP digest password presented to the gateway; `undefined` when none. **Secret** (encrypted in
     * the state, shown as `[secret]`). Updated in place.
     */
    authorizationPassword: string | undefined;
    /** IP versions used to reach the gateway. Default `IPv4_only`. Updated in place. */
    networkProtocol: NetworkProtocol;
    /**
     * Computed by telecom.center: true when the gateway was created through the API or by staff
     * (always, for a gateway this package created), false when a customer made it in the UI.
     */
    operator: boolean;
}

/**
 * A telecom.center termination gateway: where a customer's PBX sends outbound calls.
 *
 * Credentials come from stack config `telecomcenter:username` and `telecomcenter:password`
 * (secret), or the `TELECOMCENTER_USERNAME` / `TELECOMCENTER_PASSWORD` environment variables;
 * `telecomcenter:baseUrl` points elsewhere than https://api.telecom.center. The resource id is
 * the gateway's UUID. A gateway carries calls only once a termination route points at it.
 *
 * The Pulumi resource name is also the gateway's default `name`. `authorizationPassword` is always
 * added to `additionalSecretOutputs`.
 */
export const TerminationGateway: ResourceClass<TerminationGatewayArgs, TerminationGatewayState> =
    resourceClass(terminationGateway);
export type TerminationGateway = InstanceType<typeof TerminationGateway>;

// The public types above are written out for their documentation; they must stay the declaration's.
type _ArgsMatch = MustMatch<ArgsMismatch<TerminationGatewayArgs, typeof terminationGateway>>;
type _StateMatches = MustMatch<StateMismatch<TerminationGatewayState, typeof terminationGateway>>;
