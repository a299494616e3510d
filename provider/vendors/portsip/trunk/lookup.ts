import type * as pulumi from "@pulumi/pulumi";
import { connectionOf, exactlyOne, lookup, lookupOutput, secretField, type LookupInputs } from "../../../core/lookup";
import { pbxConnection, VENDOR } from "../connection";
import { currentGeneration, type FoundTrunk } from "./generations";
import type { ApiVersion, InboundParameters, JsonValue, OutboundParameters, TrunkStatus } from "./resource";
import type { AuthMode, Transport } from "./vocabulary";

/**
 * A PortSIP trunk as a lookup reports it: the outputs a Trunk has (both generations), less the
 * program's own `waitUntilOnline` and `onlineTimeoutSeconds`. Fields of the other generation are
 * absent.
 */
export interface TrunkResult {
    /** The PBX's id of the trunk (v12: decimal text, exact beyond 2^53): the id of a Trunk resource managing it. */
    id: string;
    /** The named connection (PBX) it was looked up on. */
    connection: string;
    /** The API generation the PBX speaks, which the id belongs to. */
    apiVersion: ApiVersion;
    /** Registration / keep-alive status as just read. */
    status: TrunkStatus;
    /** Trunk name on the PBX. */
    name: string;
    /** Whether the trunk is in service. v16+/v22 only. */
    enabled?: boolean;
    /** Carrier brand shown by the PBX; absent when none. v16+/v22 only. */
    brand?: string;
    /** How the trunk authenticates. */
    authMode: AuthMode;
    /** SIP transport. */
    transport: Transport;
    /** Host name (lower case) or IP address of the carrier. */
    hostname: string;
    /** SIP port of the carrier. */
    port: number;
    /** Authentication id; absent when none. */
    authId?: string;
    /** SIP user name; absent when none. v16+/v22 only. */
    username?: string;
    /**
     * Trunk password, as a **secret** Output. Only v12 reads it back; absent on v16+/v22 (write-only
     * there) and when none is set.
     */
    password?: pulumi.Output<string>;
    /** Whether the trunk registers with the carrier. */
    registration: boolean;
    /** Re-registration interval in seconds. */
    registerInterval: number;
    /** Outbound proxy host; absent when none. */
    outboundServer?: string;
    /** Outbound proxy port (0 when none). */
    outboundServerPort: number;
    /** Whether the carrier is on the PBX's LAN. */
    inLan: boolean;
    /** Whether a single Via header is sent. */
    singleViaHeader: boolean;
    /** v16+/v22 only. */
    rewriteViaIp?: boolean;
    /** v16+/v22 only. */
    verifyPort?: boolean;
    /** v16+/v22 only. */
    keepAlive?: boolean;
    /** Keep-alive interval in seconds. v16+/v22 only. */
    keepAliveInterval?: number;
    /** Concurrent calls allowed (0: no limit). v16+/v22 only. */
    concurrency?: number;
    /** Further carrier addresses (CIDR, canonical); absent when none. */
    additionalIps?: string[];
    /** v16+/v22 only. */
    adjustSdpDirection?: boolean;
    /** v16+/v22 only. */
    removeSrtpInfo?: boolean;
    /** v16+/v22 only. */
    stirShakenSignatureRequired?: boolean;
    /** DID pool (canonical entries); absent when none. v16+/v22 only. */
    didNumbers?: string[];
    /** Inbound header settings that differ from the PBX's defaults. v16+/v22 only. */
    inboundParameters?: InboundParameters;
    /** Outbound header settings that are not `DEFAULT`. v16+/v22 only. */
    outboundParameters?: OutboundParameters;
    /** v12 inbound parameters, as the PBX sent them. v12 only. */
    inParameters?: JsonValue[];
    /** v12 outbound parameters, as the PBX sent them. v12 only. */
    outParameters?: JsonValue[];
    /** Whether the system admin shares the trunk with tenants. v16+/v22 only. */
    shared?: boolean;
}

interface ConnectionArg {
    /** The named connection (PBX) to search, with the same settings as the resource's `connection`. Default: `default`. */
    connection?: string;
}

/** A trunk by its PBX id. */
export interface TrunkById extends ConnectionArg {
    /** The trunk's id on the PBX. */
    id: string;
}

/**
 * A trunk by name: on v12 as the PBX compares names (case aside, names are unique); on v16+/v22
 * exactly, where names are not unique and several matches are an error naming their ids.
 */
export interface TrunkByName extends ConnectionArg {
    /** The trunk's name. */
    name: string;
}

/** What {@link getTrunk} looks for: an id or a name. */
export type GetTrunkArgs = TrunkById | TrunkByName;

/** What {@link listTrunks} lists: every trunk of one PBX. */
export type ListTrunksArgs = ConnectionArg;

/** Keys of the outputs that are the program's, not the PBX's. */
const PROGRAM_ONLY = new Set(["waitUntilOnline", "onlineTimeoutSeconds"]);

function toResult({ id, outs }: FoundTrunk): TrunkResult {
    const result: Record<string, unknown> = { id };
    for (const [key, value] of Object.entries(outs)) {
        if (PROGRAM_ONLY.has(key) || value === undefined) continue;
        result[key] = key === "password" ? secretField(value as string) : value;
    }
    return result as unknown as TrunkResult;
}

/**
 * Reads one existing PortSIP trunk, by id or by name, on either API generation (pinned, or
 * detected once per run as the resource does). Read only: it works during `pulumi preview`.
 * Credentials come from the same stack config (or environment) as the Trunk resource. Fails when
 * no trunk, or several, match.
 */
export function getTrunk(args: GetTrunkArgs): Promise<TrunkResult> {
    return lookup(async () => {
        const name = connectionOf(args);
        const connection = pbxConnection(name);
        const generation = await currentGeneration(name);
        const subject = { vendor: VENDOR, noun: "trunk", connection: name };
        if ("id" in args) {
            const found = await generation.findById(connection, args.id);
            const only = exactlyOne(
                found === undefined ? [] : [found],
                { ...subject, described: `with id ${args.id}` },
                (trunk) => trunk.id,
            );
            return toResult(only);
        }
        const matches = await generation.find(connection, args.name);
        return toResult(exactlyOne(matches, { ...subject, described: `named "${args.name}"` }, (trunk) => trunk.id));
    });
}

/** {@link getTrunk} for Inputs: an Output, secret when the trunk's password was read (v12). */
export function getTrunkOutput(args: LookupInputs<GetTrunkArgs>): pulumi.Output<pulumi.Unwrap<TrunkResult>> {
    return lookupOutput(args, (plain) => getTrunk(plain));
}

/** Every trunk of the PBX, in the PBX's order. Read only. */
export function listTrunks(args: ListTrunksArgs = {}): Promise<TrunkResult[]> {
    return lookup(async () => {
        const name = connectionOf(args);
        const connection = pbxConnection(name);
        const generation = await currentGeneration(name);
        return (await generation.find(connection)).map(toResult);
    });
}

/** {@link listTrunks} for Inputs: an Output, secret when any trunk's password was read (v12). */
export function listTrunksOutput(args: LookupInputs<ListTrunksArgs> = {}): pulumi.Output<pulumi.Unwrap<TrunkResult>[]> {
    return lookupOutput(args, (plain) => listTrunks(plain as ListTrunksArgs));
}
