import type * as pulumi from "@pulumi/pulumi";
import { connectionOf, exactlyOne, lookup, lookupOutput, secretField, type LookupInputs } from "../../../core/lookup";
import { readConnection, VENDOR } from "../client";
import { listTrunks, trunksNamed } from "./api";
import { fromWire, type WireTrunk } from "./wire";
import type { ExtensionDod, GroupDod } from "./resource";
import type { TrunkType } from "./vocabulary";

/** An OpenVox SIP trunk as a lookup reports it: the outputs a SipTrunk has. Properties of other trunk types are absent. */
export interface SipTrunkResult {
    /** The trunk's name: the id of a SipTrunk resource managing it. */
    id: string;
    /** The named connection (PBX) it was looked up on. */
    connection: string;
    /** The trunk's name on the PBX. */
    name: string;
    /** How the trunk connects: `register`, `peer` or `account`. */
    trunkType: TrunkType;
    /** The ITSP's or peer's host name (lower case) or IP address; absent on an `account` trunk. */
    host?: string;
    /** The ITSP's or peer's SIP port; absent on an `account` trunk. */
    port?: number;
    /** The SIP domain; absent when it is the host (the PBX's default), and on an `account` trunk. */
    domain?: string;
    /** The SIP account (`register`) or the user the remote side registers with (`account`); absent on a `peer` trunk. */
    username?: string;
    /** The authentication name; absent on a `peer` trunk. */
    authName?: string;
    /** The SIP account's password, as a **secret** Output; absent on a `peer` trunk (or when the PBX masks it). */
    password?: pulumi.Output<string>;
    /** The user part of the From header of outgoing INVITEs (`register` only); absent when none. */
    fromUser?: string;
    /** DOD numbers bound to extensions, sorted; absent when none. */
    extensionDods?: ExtensionDod[];
    /** DOD numbers bound to extension groups, sorted; absent when none. */
    groupDods?: GroupDod[];
    /** The PBX's numeric id of the trunk, as a decimal string. */
    trunkId: string;
    /** The SIP stack the PBX runs the trunk on, e.g. `pjsip`; absent when the PBX does not say. */
    tech?: string;
}

interface ConnectionArg {
    /** The named connection (PBX) to search, with the same settings as the resource's `connection`. Default: `default`. */
    connection?: string;
}

/** What {@link getSipTrunk} looks for: a trunk by its name (unique on a PBX). */
export interface GetSipTrunkArgs extends ConnectionArg {
    /** The trunk's name, exactly. */
    name: string;
}

/** What {@link listSipTrunks} lists: every SIP trunk of one PBX. */
export type ListSipTrunksArgs = ConnectionArg;

function toResult(trunk: WireTrunk, connection: string): SipTrunkResult {
    const { outs } = fromWire(trunk, { connection });
    const result: Record<string, unknown> = { id: outs.name };
    for (const [key, value] of Object.entries(outs)) {
        if (value === undefined) continue;
        if (key !== "password") result[key] = value;
        else if (value !== "") result[key] = secretField(value as string);
    }
    return result as unknown as SipTrunkResult;
}

/**
 * Reads one existing SIP trunk of an OpenVox PBX by name, in the connection's format (JSON or
 * XML). Read only: it works during `pulumi preview`. Credentials come from the same stack config
 * (or environment) as the SipTrunk resource, and share its one login per run. Fails when the PBX
 * has no trunk of that name (or answers several).
 */
export function getSipTrunk(args: GetSipTrunkArgs): Promise<SipTrunkResult> {
    return lookup(async () => {
        const name = connectionOf(args);
        const connection = readConnection(name);
        const found = exactlyOne(
            await trunksNamed(connection, args.name),
            { vendor: VENDOR, noun: "SIP trunk", connection: name, described: `named "${args.name}"` },
            (trunk) => trunk.id,
        );
        return toResult(found, name);
    });
}

/** {@link getSipTrunk} for Inputs: an Output, secret when the trunk has a password. */
export function getSipTrunkOutput(args: LookupInputs<GetSipTrunkArgs>): pulumi.Output<pulumi.Unwrap<SipTrunkResult>> {
    return lookupOutput(args, (plain) => getSipTrunk(plain as GetSipTrunkArgs));
}

/** Every SIP trunk of the PBX, in the PBX's order. Read only. */
export function listSipTrunks(args: ListSipTrunksArgs = {}): Promise<SipTrunkResult[]> {
    return lookup(async () => {
        const name = connectionOf(args);
        return (await listTrunks(readConnection(name))).map((trunk) => toResult(trunk, name));
    });
}

/** {@link listSipTrunks} for Inputs: an Output, secret when any trunk has a password. */
export function listSipTrunksOutput(
    args: LookupInputs<ListSipTrunksArgs> = {},
): pulumi.Output<pulumi.Unwrap<SipTrunkResult>[]> {
    return lookupOutput(args, (plain) => listSipTrunks(plain as ListSipTrunksArgs));
}
