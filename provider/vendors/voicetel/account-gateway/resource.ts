import type * as pulumi from "@pulumi/pulumi";
import type { ArgsMismatch, MustMatch, StateMismatch } from "../../../core/declared-types";
import { resourceClass, type AdoptInput, type ResourceClass } from "../../../core/resource-class";
import { accountGateway } from "./definition";

/** Inputs of {@link AccountGateway}. Every change updates the gateway in place (same route id). */
export interface AccountGatewayArgs {
    /**
     * Take over an existing gateway instead of creating one, at create time only: `true` adopts
     * the gateway (route) with this `host` and `port` on the connection; `{ id }` adopts the one with that id (the route id). None or several matching fail
     * without creating anything. The gateway is then updated to the declared properties (left
     * untouched when it already matches) and managed like one Pulumi created: `pulumi destroy`
     * deletes it unless the resource has `retainOnDelete: true`. Not stored: changing or removing
     * it later changes nothing. Default: create a new gateway.
     */
    adopt?: pulumi.Input<AdoptInput | undefined>;
    /**
     * The named connection (VoiceTel account) that holds the gateway. Default: `default`. Its API
     * key comes from stack config `voicetel:<connection>.apiKey` (secret) or the
     * `VOICETEL_<CONNECTION>_API_KEY` environment variable, its endpoint from
     * `voicetel:<connection>.baseUrl` / `VOICETEL_<CONNECTION>_BASE_URL`; the `default` connection
     * also reads `voicetel:apiKey` / `VOICETEL_API_KEY` and `voicetel:baseUrl`, so a one-account
     * stack needs no connection at all. Several connections let one stack manage gateways of
     * several accounts. **Changing it replaces the gateway**: the gateway of another connection is
     * a route of another account (the old route is deleted first, like every replacement here).
     */
    connection?: pulumi.Input<string | undefined>;
    /**
     * Where VoiceTel sends the calls of the DIDs routed to this gateway: a public IPv4 address or
     * a fully qualified hostname; no scheme (`sip:`), port or path. VoiceTel requires a routable
     * public IPv4 address: private (RFC 1918), loopback, link-local, carrier-grade NAT (100.64/10),
     * documentation (TEST-NET), multicast and reserved addresses, IPv6, single-label names and
     * special-use domains (`.local`, `.internal`, `.test`, ...) fail at preview. A hostname must
     * resolve to public IPv4 addresses: checked in DNS before the API is called, unless
     * `hostResolvesLater` is set. Hostnames are stored in lower case. Changing it updates the
     * route in place.
     */
    host: pulumi.Input<string>;
    /** SIP port, 1–65535. Default: 5060. Always sent to VoiceTel (`host:port`). Changing it updates the route in place. */
    port?: pulumi.Input<number | undefined>;
    /**
     * Skip the DNS check of `host` made before the API is called, for a name that does not resolve
     * (or not to a public address) yet but will before VoiceTel needs it. VoiceTel itself still
     * refuses a name it cannot resolve when the gateway is saved. Ignored for IPv4 addresses.
     * Default: false. Not sent to VoiceTel: changing it alone makes no API call.
     */
    hostResolvesLater?: pulumi.Input<boolean | undefined>;
}

/** Outputs of {@link AccountGateway}: the gateway as stored in the state. */
export interface AccountGatewayState {
    /**
     * The named VoiceTel connection (account) the route belongs to; `default` reads the un-named
     * `voicetel:*` keys. **Changing the input replaces the route** (it lives in another account).
     */
    connection: string;
    /**
     * Where VoiceTel sends the calls: the public IPv4 address or hostname (lower case) as VoiceTel
     * stores it. Changing the input updates the route in place.
     */
    host: string;
    /** SIP port, 1–65535. Default 5060. Changing the input updates the route in place. */
    port: number;
    /**
     * Whether the DNS check of `host` before each API call is skipped. Default false. The program's
     * setting, not VoiceTel's: changing it alone makes no API call.
     */
    hostResolvesLater: boolean;
    /**
     * The route id VoiceTel assigned, a positive whole number (the resource id as a number): what
     * DIDs are routed to. Computed; stays the same across every change of `host` or `port`.
     */
    routeId: number;
    /** The gateway exactly as VoiceTel stores it, `host:port` (e.g. `198.51.100.7:5060`). Computed. */
    address: string;
}

/**
 * A VoiceTel account SIP gateway (a "route" of the Gateways API v2.1): a destination to which
 * VoiceTel sends inbound calls for the DIDs routed to it.
 *
 * The API key comes from stack config `voicetel:apiKey` (secret) or the `VOICETEL_API_KEY`
 * environment variable; `voicetel:baseUrl` points elsewhere than https://api.voicetel.com.
 * The resource id is the route id (decimal), also the `routeId` output. A gateway that DIDs are
 * still routed to cannot be deleted: route the DIDs elsewhere first. Replacements delete the old
 * route first (VoiceTel refuses two routes with one address), unless `deleteBeforeReplace: false`
 * is given.
 *
 * Creating it adds a route to the account; DIDs are routed to it separately (by `routeId`).
 * VoiceTel routes have no name: the Pulumi resource name is not sent.
 */
export const AccountGateway: ResourceClass<AccountGatewayArgs, AccountGatewayState> = resourceClass(accountGateway);
export type AccountGateway = InstanceType<typeof AccountGateway>;

// The public types above are written out for their documentation; they must stay the declaration's.
type _ArgsMatch = MustMatch<ArgsMismatch<AccountGatewayArgs, typeof accountGateway>>;
type _StateMatches = MustMatch<StateMismatch<AccountGatewayState, typeof accountGateway>>;
