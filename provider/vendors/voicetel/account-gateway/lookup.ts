import type * as pulumi from "@pulumi/pulumi";
import { connectionOf, exactlyOne, lookup, lookupOutput, type LookupInputs } from "../../../core/lookup";
import { canonicalHost } from "../../../core/validators";
import { VENDOR } from "../client";
import { gatewaysOf } from "./inventory";
import { DEFAULT_PORT, fromRoute, sameAddress, toAddress, type Route } from "./model";

/** A VoiceTel account gateway as a lookup reports it: the outputs an AccountGateway has. */
export interface AccountGatewayResult {
    /** The route id as decimal text: the id of an AccountGateway resource managing it. */
    id: string;
    /** The named connection (VoiceTel account) it was looked up on. */
    connection: string;
    /** Host name (lower case) or IPv4 address of the gateway. */
    host: string;
    /** SIP port (5060 when the stored gateway has none). */
    port: number;
    /** The route id: what DIDs are routed to. */
    routeId: number;
    /** The gateway exactly as VoiceTel stores it, `host:port`. */
    address: string;
}

interface ConnectionArg {
    /** The named connection (VoiceTel account) to search, with the same settings as the resource's `connection`. Default: `default`. */
    connection?: string;
}

/** A gateway by its route id. */
export interface AccountGatewayByRoute extends ConnectionArg {
    /** The route id (above 8: routes 1-8 are the account's system routes, never gateways). */
    routeId: number;
}

/** A gateway by its address (compared as VoiceTel compares them: case, trailing dot and `:5060` aside). */
export interface AccountGatewayByAddress extends ConnectionArg {
    /** Host name or IPv4 address. */
    host: string;
    /** SIP port. Default: 5060. */
    port?: number;
}

/** What {@link getAccountGateway} looks for: a route id, or a host and port. */
export type GetAccountGatewayArgs = AccountGatewayByRoute | AccountGatewayByAddress;

/** What {@link listAccountGateways} lists: every gateway of one account. */
export type ListAccountGatewaysArgs = ConnectionArg;

function toResult(route: Route, connection: string): AccountGatewayResult {
    const { outs } = fromRoute(route, { connection });
    return {
        id: String(outs.routeId),
        connection: outs.connection,
        host: outs.host,
        port: outs.port,
        routeId: outs.routeId,
        address: outs.address,
    };
}

/**
 * Reads one existing VoiceTel account gateway, by route id or by host and port. Read only: it
 * works during `pulumi preview`. Credentials come from the same stack config (or environment) as
 * the AccountGateway resource. Fails when no gateway, or several, match.
 */
export function getAccountGateway(args: GetAccountGatewayArgs): Promise<AccountGatewayResult> {
    return lookup(async () => {
        const connection = connectionOf(args);
        const gateways = await gatewaysOf(connection);
        const subject = { vendor: VENDOR, noun: "account gateway", connection };
        if ("routeId" in args) {
            const matches = gateways.filter((route) => route.routeId === args.routeId);
            const found = exactlyOne(matches, { ...subject, described: `with route id ${args.routeId}` }, String);
            return toResult(found, connection);
        }
        const address = toAddress({ host: canonicalHost(args.host), port: args.port ?? DEFAULT_PORT });
        const matches = gateways.filter((route) => sameAddress(route.address, address));
        const found = exactlyOne(matches, { ...subject, described: `at ${address}` }, (route) => String(route.routeId));
        return toResult(found, connection);
    });
}

/** {@link getAccountGateway} for Inputs, as an Output. */
export function getAccountGatewayOutput(
    args: LookupInputs<GetAccountGatewayArgs>,
): pulumi.Output<pulumi.Unwrap<AccountGatewayResult>> {
    return lookupOutput(args, (plain) => getAccountGateway(plain));
}

/** Every gateway of the account, by route id. Read only. */
export function listAccountGateways(args: ListAccountGatewaysArgs = {}): Promise<AccountGatewayResult[]> {
    return lookup(async () => {
        const connection = connectionOf(args);
        return (await gatewaysOf(connection)).map((route) => toResult(route, connection));
    });
}

/** {@link listAccountGateways} for Inputs, as an Output. */
export function listAccountGatewaysOutput(
    args: LookupInputs<ListAccountGatewaysArgs> = {},
): pulumi.Output<pulumi.Unwrap<AccountGatewayResult>[]> {
    return lookupOutput(args, (plain) => listAccountGateways(plain as ListAccountGatewaysArgs));
}
