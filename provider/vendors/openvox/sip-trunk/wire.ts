import { z } from "zod";
import { canonicalHost } from "../../../core/validators";
import { sortExtensionDods, sortGroupDods, type SipTrunkInputs, type SipTrunkOutputs } from "./model";
import { TRUNK_TYPES, type TrunkType } from "./vocabulary";

/**
 * OpenVox SIP trunk on the wire: the shape `siptrunk/query` answers and `siptrunk/add|update`
 * take (every value a string), and the mapping to and from the canonical inputs of model.ts.
 * Wire names never leave this file and api.ts.
 */

/** A trunk as `siptrunk/query` returns it: every value a string; only some keys per type. */
export interface WireTrunk {
    id: string;
    trunkname: string;
    tech?: string | undefined;
    trunktype: string;
    host?: string | undefined;
    port?: string | undefined;
    domain?: string | undefined;
    username?: string | undefined;
    authname?: string | undefined;
    fromuser?: string | undefined;
    password?: string | undefined;
    /** Yeastar's DOD fields; absent on a PBX that does not support them. */
    extensionsdod?: string | undefined;
    extensionsgroupdod?: string | undefined;
}

export function wireTrunkSchema() {
    const text = z.string().optional();
    return z.object({
        id: z.string().regex(/^\d+$/, "must be a numeric id"),
        trunkname: z.string(),
        tech: text,
        trunktype: z.string(),
        host: text,
        port: text,
        domain: text,
        username: text,
        authname: text,
        fromuser: text,
        password: text,
        extensionsdod: text,
        extensionsgroupdod: text,
    });
}

/** Wire field names of the DOD settings (for callers that must know whether a PBX supports them). */
export const WIRE_DOD_FIELDS = ["extensionsdod", "extensionsgroupdod"] as const;

export function supportsDod(trunk: WireTrunk): boolean {
    return trunk.extensionsdod !== undefined || trunk.extensionsgroupdod !== undefined;
}

export interface ToWireOptions {
    /** Set for `update`: the numeric id of the trunk to overwrite. */
    id?: string;
    /** Send empty DOD fields when the desired state has none, to clear what the trunk has. */
    clearDods?: boolean;
}

/**
 * The full record `add` and `update` take. Update replaces the trunk with exactly this record, so
 * optional fields are sent too: `domain` (the host unless set) and `fromuser` (blank unless set, as
 * the docs advise), which also clears values someone set in the PBX UI.
 */
export function toWire(inputs: SipTrunkInputs, options: ToWireOptions = {}): Record<string, string> {
    const fields: Record<string, string> = {};
    if (options.id !== undefined) fields["id"] = options.id;
    fields["trunkname"] = inputs.name;
    fields["trunktype"] = inputs.trunkType;
    switch (inputs.trunkType) {
        case "register":
            Object.assign(fields, {
                host: inputs.host,
                port: String(inputs.port),
                domain: inputs.domain ?? inputs.host,
                username: inputs.username,
                authname: inputs.authName,
                password: inputs.password,
                fromuser: inputs.fromUser ?? "",
            });
            break;
        case "peer":
            Object.assign(fields, {
                host: inputs.host,
                port: String(inputs.port),
                domain: inputs.domain ?? inputs.host,
            });
            break;
        case "account":
            Object.assign(fields, {
                username: inputs.username,
                authname: inputs.authName,
                password: inputs.password,
            });
            break;
    }
    const extension = inputs.extensionDods?.map((dod) => `${dod.number}-${dod.name}-${dod.extension}`).join(",");
    const group = inputs.groupDods?.map((dod) => `${dod.number}-${dod.name}-${dod.group}`).join(",");
    if (extension !== undefined || options.clearDods === true) fields["extensionsdod"] = extension ?? "";
    if (group !== undefined || options.clearDods === true) fields["extensionsgroupdod"] = group ?? "";
    return fields;
}

/** `{number}-{name}-{target}` entries joined by commas; a name holding "-" (set in the UI) is kept whole. */
function parseDodList(text: string | undefined): { number: string; name: string; target: string }[] | undefined {
    if (text === undefined || text.trim() === "") return undefined;
    return text
        .split(",")
        .filter((entry) => entry.trim() !== "")
        .map((entry) => {
            const parts = entry.split("-");
            if (parts.length < 3) return { number: parts[0] ?? "", name: parts[1] ?? "", target: "" };
            return {
                number: parts[0] ?? "",
                name: parts.slice(1, -1).join("-"),
                target: parts[parts.length - 1] ?? "",
            };
        });
}

/** A host as the inputs hold it (trimmed, as the input schema trims). */
function hostFromWire(value: string): string {
    return canonicalHost(value.trim());
}

function requiredText(trunk: WireTrunk, key: keyof WireTrunk): string {
    const value = trunk[key];
    if (value === undefined) throw new Error(`trunk "${trunk.trunkname}": the PBX's answer has no ${key}`);
    return value;
}

function wirePort(trunk: WireTrunk): number {
    const raw = requiredText(trunk, "port");
    if (!/^\d{1,5}$/.test(raw))
        throw new Error(`trunk "${trunk.trunkname}": the PBX answered a port that is not a number`);
    return Number(raw);
}

function isTrunkType(value: string): value is TrunkType {
    return (TRUNK_TYPES as readonly string[]).includes(value);
}

/** What the outputs keep from the prior state, because the PBX does not say it. */
export type Prior = Pick<SipTrunkInputs, "connection"> & { domain?: string | undefined; password?: string | undefined };

/**
 * Canonical inputs and outputs from what the PBX reads back.
 *
 * - `domain` equal to the host is the PBX's default: reported only if the program sets it.
 * - A blank `fromuser` means none; so do blank or absent DOD fields.
 * - The password is read back in clear (documented), so a change made in the PBX UI shows as
 *   drift (of a secret); if a PBX ever masks it, the prior value is kept.
 * - Host names are compared in lower case, as everywhere in this package.
 */
export function fromWire(trunk: WireTrunk, prior: Prior): { inputs: SipTrunkInputs; outs: SipTrunkOutputs } {
    const type = trunk.trunktype;
    if (!isTrunkType(type)) throw new Error(`trunk "${trunk.trunkname}": unknown trunk type "${type}"`);
    let inputs: SipTrunkInputs;
    switch (type) {
        case "register":
        case "peer": {
            const host = hostFromWire(requiredText(trunk, "host"));
            const domain = trunk.domain === undefined || trunk.domain === "" ? undefined : hostFromWire(trunk.domain);
            const base = { connection: prior.connection, name: trunk.trunkname, host, port: wirePort(trunk) };
            const keepDomain = domain !== undefined && (domain !== host || prior.domain !== undefined);
            const withDomain = keepDomain ? { domain } : {};
            if (type === "peer") {
                inputs = { ...base, trunkType: "peer", ...withDomain };
            } else {
                inputs = {
                    ...base,
                    trunkType: "register",
                    ...withDomain,
                    username: requiredText(trunk, "username"),
                    authName: requiredText(trunk, "authname"),
                    password: trunk.password ?? prior.password ?? "",
                    ...(trunk.fromuser === undefined || trunk.fromuser === "" ? {} : { fromUser: trunk.fromuser }),
                };
            }
            break;
        }
        case "account":
            inputs = {
                connection: prior.connection,
                name: trunk.trunkname,
                trunkType: "account",
                username: requiredText(trunk, "username"),
                authName: requiredText(trunk, "authname"),
                password: trunk.password ?? prior.password ?? "",
            };
            break;
    }
    const extensionDods = parseDodList(trunk.extensionsdod)?.map(({ number, name, target }) => ({
        number,
        name,
        extension: target,
    }));
    const groupDods = parseDodList(trunk.extensionsgroupdod)?.map(({ number, name, target }) => ({
        number,
        name,
        group: target,
    }));
    if (extensionDods !== undefined) inputs.extensionDods = sortExtensionDods(extensionDods);
    if (groupDods !== undefined) inputs.groupDods = sortGroupDods(groupDods);
    const outs: SipTrunkOutputs = { ...inputs, trunkId: trunk.id };
    if (trunk.tech !== undefined && trunk.tech !== "") outs.tech = trunk.tech;
    return { inputs, outs };
}
