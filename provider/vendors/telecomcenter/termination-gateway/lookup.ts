import type * as pulumi from "@pulumi/pulumi";
import {
    assignDefined,
    connectionOf,
    exactlyOne,
    lookup,
    lookupOutput,
    secretField,
    type LookupInputs,
} from "../../../core/lookup";
import { telecomCenterConnection, VENDOR } from "../client";
import { getGateway, listGateways, listGatewaysNamed } from "./api";
import { fromWire, type WireResource } from "./model";
import type { Codec, NetworkProtocol } from "./vocabulary";

/** A telecom.center termination gateway as a lookup reports it: the outputs a TerminationGateway has. */
export interface TerminationGatewayResult {
    /** The gateway's UUID: the id of a TerminationGateway resource managing it. */
    id: string;
    /** The named connection (operator account) it was looked up on. */
    connection: string;
    /** Id of the customer that owns the gateway. */
    customerId: string;
    /** Gateway name shown in the telecom.center UI. */
    name: string;
    /** Host name (lower case) or IP address of the SIP gateway. */
    host: string;
    /** SIP port (5060 when the account stores none). */
    port: number;
    /** Allowed codecs, highest priority first, as the account holds them (its defaults included). */
    codecs: Codec[];
    /** Regular expression matched against the source (caller) number; absent when none. */
    srcRewriteRule?: string;
    /** Replacement for the source number; absent when none. */
    srcRewriteResult?: string;
    /** Regular expression matched against the destination number; absent when none. */
    dstRewriteRule?: string;
    /** Replacement for the destination number; absent when none. */
    dstRewriteResult?: string;
    /** SIP digest user name presented to the gateway; absent when none. */
    authorizationName?: string;
    /** SIP digest password presented to the gateway, as a **secret** Output; absent when none (or masked by the account). */
    authorizationPassword?: pulumi.Output<string>;
    /** IP versions used to reach the gateway. */
    networkProtocol: NetworkProtocol;
    /** True when the gateway was created through the API or by staff, false when a customer made it in the UI. */
    operator: boolean;
}

interface ConnectionArg {
    /** The named connection (operator account) to search, with the same settings as the resource's `connection`. Default: `default`. */
    connection?: string;
}

/** A gateway by its UUID. */
export interface TerminationGatewayById extends ConnectionArg {
    /** The gateway's UUID. */
    id: string;
}

/** A gateway by its name within a customer (names are not unique: several matches are an error naming their ids). */
export interface TerminationGatewayByName extends ConnectionArg {
    /** Id of the customer that owns the gateway. */
    customerId: string;
    /** The gateway's name, exactly. */
    name: string;
}

/** What {@link getTerminationGateway} looks for: an id, or a customer and a name. */
export type GetTerminationGatewayArgs = TerminationGatewayById | TerminationGatewayByName;

/** What {@link listTerminationGateways} lists: every gateway of one customer. */
export interface ListTerminationGatewaysArgs extends ConnectionArg {
    /** Id of the customer whose gateways are listed. */
    customerId: string;
}

/** {@link GetTerminationGatewayArgs} as the `...Output` variant takes them. */
export type GetTerminationGatewayOutputArgs = LookupInputs<GetTerminationGatewayArgs>;

function toResult(gateway: WireResource, connection: string, customerId: string): TerminationGatewayResult {
    // codecs passed as managed, so they are reported: a lookup says what the account holds.
    const { outs } = fromWire(gateway, { connection, customerId, codecs: [], authorizationPassword: undefined });
    const result: TerminationGatewayResult = {
        id: gateway.id,
        connection: outs.connection,
        customerId: outs.customerId,
        name: outs.name,
        host: outs.host,
        port: outs.port,
        codecs: outs.codecs ?? [],
        networkProtocol: outs.networkProtocol,
        operator: outs.operator,
    };
    return assignDefined(result, {
        srcRewriteRule: outs.srcRewriteRule,
        srcRewriteResult: outs.srcRewriteResult,
        dstRewriteRule: outs.dstRewriteRule,
        dstRewriteResult: outs.dstRewriteResult,
        authorizationName: outs.authorizationName,
        authorizationPassword: secretField(outs.authorizationPassword),
    });
}

/**
 * Reads one existing telecom.center termination gateway, by UUID or by customer and name. Read
 * only: it works during `pulumi preview`. Credentials come from the same stack config (or
 * environment) as the TerminationGateway resource. Fails when no gateway, or several, match.
 */
export function getTerminationGateway(args: GetTerminationGatewayArgs): Promise<TerminationGatewayResult> {
    return lookup(async () => {
        const name = connectionOf(args);
        const connection = telecomCenterConnection(name);
        const subject = { vendor: VENDOR, noun: "termination gateway", connection: name };
        if ("id" in args) {
            const gateway = await getGateway(connection, args.id);
            const found = exactlyOne(
                gateway === undefined ? [] : [gateway],
                { ...subject, described: `with id ${args.id}` },
                (item) => item.id,
            );
            return toResult(found, name, found.relationships?.customer.data.id ?? "");
        }
        const matches = await listGatewaysNamed(connection, args.customerId, args.name);
        const described = `named "${args.name}" of customer ${args.customerId}`;
        return toResult(
            exactlyOne(matches, { ...subject, described }, (item) => item.id),
            name,
            args.customerId,
        );
    });
}

/** {@link getTerminationGateway} for Inputs: an Output, secret when the gateway has a readable password. */
export function getTerminationGatewayOutput(
    args: GetTerminationGatewayOutputArgs,
): pulumi.Output<pulumi.Unwrap<TerminationGatewayResult>> {
    return lookupOutput(args, (plain) => getTerminationGateway(plain));
}

/** Every termination gateway of one customer, in the API's order. Read only. */
export function listTerminationGateways(args: ListTerminationGatewaysArgs): Promise<TerminationGatewayResult[]> {
    return lookup(async () => {
        const name = connectionOf(args);
        const gateways = await listGateways(telecomCenterConnection(name), { "customer.id": args.customerId });
        return gateways.map((gateway) => toResult(gateway, name, args.customerId));
    });
}

/** {@link listTerminationGateways} for Inputs: an Output, secret when any gateway has a readable password. */
export function listTerminationGatewaysOutput(
    args: LookupInputs<ListTerminationGatewaysArgs>,
): pulumi.Output<pulumi.Unwrap<TerminationGatewayResult>[]> {
    return lookupOutput(args, (plain) => listTerminationGateways(plain as ListTerminationGatewaysArgs));
}
