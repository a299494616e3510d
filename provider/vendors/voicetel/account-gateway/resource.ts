import * as pulumi from "@pulumi/pulumi";
import { RuntimeProvider } from "../../../core/delegate";

/** Inputs of {@link AccountGateway}. Every change updates the gateway in place (same route id). */
export interface AccountGatewayArgs {
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

// One provider object per type: Pulumi serializes it once per program, not once per resource.
const provider = new RuntimeProvider("voicetel:AccountGateway");

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
 */
export class AccountGateway extends pulumi.dynamic.Resource {
    /**
     * The named VoiceTel connection (account) the route belongs to; `default` reads the un-named
     * `voicetel:*` keys. **Changing the input replaces the route** (it lives in another account).
     */
    declare readonly connection: pulumi.Output<string>;
    /**
     * Where VoiceTel sends the calls: the public IPv4 address or hostname (lower case) as VoiceTel
     * stores it. Changing the input updates the route in place.
     */
    declare readonly host: pulumi.Output<string>;
    /** SIP port, 1–65535. Default 5060. Changing the input updates the route in place. */
    declare readonly port: pulumi.Output<number>;
    /**
     * Whether the DNS check of `host` before each API call is skipped. Default false. The program's
     * setting, not VoiceTel's: changing it alone makes no API call.
     */
    declare readonly hostResolvesLater: pulumi.Output<boolean>;
    /**
     * The route id VoiceTel assigned, a positive whole number (the resource id as a number): what
     * DIDs are routed to. Computed; stays the same across every change of `host` or `port`.
     */
    declare readonly routeId: pulumi.Output<number>;
    /** The gateway exactly as VoiceTel stores it, `host:port` (e.g. `198.51.100.7:5060`). Computed. */
    declare readonly address: pulumi.Output<string>;

    /**
     * Declares a VoiceTel account gateway. Creating it adds a route to the account; DIDs are routed
     * to it separately (by `routeId`).
     *
     * @param name The Pulumi resource name (unique in the stack). VoiceTel routes have no name, so it is not sent.
     * @param args Where VoiceTel sends the calls: `host`, `port`, `hostResolvesLater`.
     * @param opts Pulumi resource options. `deleteBeforeReplace` defaults to true here (VoiceTel refuses
     *     two routes with one address); pass `deleteBeforeReplace: false` to create the new route first.
     */
    constructor(name: string, args: AccountGatewayArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            provider,
            name,
            {
                // Every property is listed, given or not: Pulumi makes an Output only for the keys present here.
                connection: args.connection,
                host: args.host,
                port: args.port,
                hostResolvesLater: args.hostResolvesLater,
                routeId: undefined,
                address: undefined,
                // Seeded like every stored key, but not declared above: the stored state's shape
                // version is the runtime's bookkeeping, not part of the public API.
                stateVersion: undefined,
            },
            { deleteBeforeReplace: true, ...opts },
            "voicetel",
            "AccountGateway",
        );
    }
}
