import type * as pulumi from "@pulumi/pulumi";
import type { ArgsMismatch, MustMatch, StateMismatch } from "../../../core/declared-types";
import { resourceClass, type AdoptInput, type ResourceClass } from "../../../core/resource-class";
import { sipTrunk } from "./definition";
import type { TrunkType } from "./vocabulary";

/** A DOD (direct outward dialling) number presented as caller id for calls an extension makes through the trunk. */
export interface ExtensionDodArgs {
    /** The DOD number: digits with an optional leading `+`, e.g. `"5503301"`. */
    number: pulumi.Input<string>;
    /** A label for the number (no `-` or `,`: they separate entries on the wire), e.g. `"sales-line"` is refused, `"sales"` is fine. */
    name: pulumi.Input<string>;
    /** The extension number, e.g. `"1000"`. Each extension at most once per trunk. */
    extension: pulumi.Input<string>;
}

/** An {@link ExtensionDodArgs} entry as stored: an output of {@link SipTrunk}. */
export interface ExtensionDod {
    /** The DOD number: digits with an optional leading `+`. */
    number: string;
    /** The number's label. */
    name: string;
    /** The extension number. */
    extension: string;
}

/** A DOD number bound to an extension group. */
export interface GroupDodArgs {
    /** The DOD number: digits with an optional leading `+`. */
    number: pulumi.Input<string>;
    /** A label for the number (no `-` or `,`). */
    name: pulumi.Input<string>;
    /** The extension group's name as the PBX shows it (no `-` or `,`). Each group at most once per trunk. */
    group: pulumi.Input<string>;
}

/** A {@link GroupDodArgs} entry as stored: an output of {@link SipTrunk}. */
export interface GroupDod {
    /** The DOD number: digits with an optional leading `+`. */
    number: string;
    /** The number's label. */
    name: string;
    /** The extension group's name. */
    group: string;
}

/** Properties every trunk type takes. Changing a property updates the trunk in place unless noted. */
interface SipTrunkCommonArgs {
    /**
     * Take over an existing trunk instead of creating one, at create time only: `true` adopts
     * the trunk with this `name` on the connection's PBX; `{ id }` adopts the one with that id (the trunk's name, which is its resource id). None or several matching fail
     * without creating anything. The trunk is then updated to the declared properties (left
     * untouched when it already matches) and managed like one Pulumi created: `pulumi destroy`
     * deletes it unless the resource has `retainOnDelete: true`. Not stored: changing or removing
     * it later changes nothing. Default: create a new trunk.
     */
    adopt?: pulumi.Input<AdoptInput | undefined>;
    /**
     * The PBX, by the name of its connection in stack config: `openvox:<connection>.url`,
     * `.username`, `.password` (secret), `.format` (`json` or `xml`), or the environment variables
     * `OPENVOX_<CONNECTION>_URL`, …. Default: `default`, which also reads the short keys
     * `openvox:url`, `openvox:username`, `openvox:password`, `openvox:format`.
     * **Changing it replaces the trunk** (it moves to another PBX).
     */
    connection?: pulumi.Input<string | undefined>;
    /**
     * The trunk's name on the PBX, its natural key: 1-31 letters, digits, `-` or `_`; never `all`
     * or a name with a comma (the API reads those as several trunks). Unique per PBX.
     * Default: the Pulumi resource name. **Changing it replaces the trunk** (the old one is deleted
     * first, since names are unique).
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * DOD numbers bound to extensions. Yeastar-lineage field (`extensionsdod`) that OpenVox does not
     * document: a PBX whose firmware lacks it refuses the trunk with errno 10003. Order does not
     * matter. Default: none.
     */
    extensionDods?: pulumi.Input<pulumi.Input<ExtensionDodArgs>[] | undefined>;
    /** DOD numbers bound to extension groups (`extensionsgroupdod`), as {@link extensionDods}. Default: none. */
    groupDods?: pulumi.Input<pulumi.Input<GroupDodArgs>[] | undefined>;
}

/** The PBX registers to the ITSP with a SIP account. */
export interface RegisterTrunkArgs extends SipTrunkCommonArgs {
    /** `register`. **Changing the type replaces the trunk.** */
    trunkType: "register";
    /** The ITSP's host name or IP address: no scheme, port or path. Host names are stored in lower case. */
    host: pulumi.Input<string>;
    /** The ITSP's SIP port, 1-65535. Default: 5060. */
    port?: pulumi.Input<number | undefined>;
    /** The SIP domain, when it is not the host. Default: the host (what the PBX uses when it is left out). */
    domain?: pulumi.Input<string | undefined>;
    /** The SIP account the ITSP provided. */
    username: pulumi.Input<string>;
    /** The authentication name the ITSP provided. Default: `username`. */
    authName?: pulumi.Input<string | undefined>;
    /**
     * The SIP account's password. **Secret**: stored encrypted in the state even when given as a
     * plain string. The PBX reads it back in clear, so a change made in the PBX UI shows as drift.
     */
    password: pulumi.Input<string>;
    /** The user part of the From header of outgoing INVITEs, when the ITSP requires one. Default: none. */
    fromUser?: pulumi.Input<string | undefined>;
}

/** IP-to-IP: no registration and no credentials. */
export interface PeerTrunkArgs extends SipTrunkCommonArgs {
    /** `peer`. **Changing the type replaces the trunk.** */
    trunkType: "peer";
    /** The peer's host name or IP address: no scheme, port or path. Host names are stored in lower case. */
    host: pulumi.Input<string>;
    /** The peer's SIP port, 1-65535. Default: 5060. */
    port?: pulumi.Input<number | undefined>;
    /** The SIP domain, when it is not the host. Default: the host. */
    domain?: pulumi.Input<string | undefined>;
}

/** The remote side (e.g. another PBX) registers to this PBX with the credentials given here. */
export interface AccountTrunkArgs extends SipTrunkCommonArgs {
    /** `account`. **Changing the type replaces the trunk.** */
    trunkType: "account";
    /** The user name the remote side registers with. */
    username: pulumi.Input<string>;
    /** The authentication name the remote side uses. Default: `username`. */
    authName?: pulumi.Input<string | undefined>;
    /** The password the remote side registers with. **Secret** (see {@link RegisterTrunkArgs.password}). */
    password: pulumi.Input<string>;
}

/** Inputs of {@link SipTrunk}: exactly the properties of the chosen `trunkType`. */
export type SipTrunkArgs = RegisterTrunkArgs | PeerTrunkArgs | AccountTrunkArgs;

/** Outputs of {@link SipTrunk}: the trunk as stored in the state, whatever its type. */
export interface SipTrunkState {
    /** The PBX connection the trunk lives on. Default `default`. **Changing the input replaces the trunk.** */
    connection: string;
    /**
     * The trunk's name on the PBX (its natural key). Default: the Pulumi resource name. **Changing
     * the input replaces the trunk** (the old one is deleted first).
     */
    name: string;
    /** How the trunk connects: `register`, `peer` or `account`. **Changing the input replaces the trunk.** */
    trunkType: TrunkType;
    /** The ITSP's or peer's host name (lower case) or IP address; `undefined` on an `account` trunk. Updated in place. */
    host: string | undefined;
    /** The ITSP's or peer's SIP port, 1–65535 (default 5060); `undefined` on an `account` trunk. Updated in place. */
    port: number | undefined;
    /**
     * The SIP domain; `undefined` when the program leaves it out and the PBX uses the host, and on
     * an `account` trunk. Updated in place.
     */
    domain: string | undefined;
    /**
     * The SIP account (`register`) or the user the remote side registers with (`account`);
     * `undefined` on a `peer` trunk. Updated in place.
     */
    username: string | undefined;
    /** The authentication name (default: `username`); `undefined` on a `peer` trunk. Updated in place. */
    authName: string | undefined;
    /**
     * The SIP account's password; `undefined` on a `peer` trunk. **Secret** (encrypted in the state,
     * shown as `[secret]`). Updated in place.
     */
    password: string | undefined;
    /** The user part of the From header of outgoing INVITEs (`register` only); `undefined` when none. Updated in place. */
    fromUser: string | undefined;
    /** DOD numbers bound to extensions, sorted; `undefined` when none. Updated in place. */
    extensionDods: ExtensionDod[] | undefined;
    /** DOD numbers bound to extension groups, sorted; `undefined` when none. Updated in place. */
    groupDods: GroupDod[] | undefined;
    /** Computed by the PBX: the trunk's numeric id, as a decimal string (e.g. `"3"`). Kept across updates. */
    trunkId: string;
    /** Computed by the PBX: the SIP stack it runs the trunk on, e.g. `pjsip`; `undefined` when the PBX does not say. */
    tech: string | undefined;
}

/**
 * A SIP trunk on an OpenVox UC-series IP-PBX (HTTP API v0.0.1, JSON or XML).
 *
 * The PBX is named by `connection` (stack config `openvox:<connection>.url|username|password|format`,
 * see {@link SipTrunkCommonArgs.connection}); one stack can manage trunks on several PBXs. Every
 * trunk of one PBX shares a single login per run; a refused login is never repeated, so the PBX's
 * lockout (5 failures → 10 minutes) cannot be reached. The resource id is the trunk's name; the
 * PBX's numeric id is `trunkId`.
 *
 * The Pulumi resource name is also the trunk's default `name` on the PBX. Give `trunkType` and
 * exactly the properties of that type. `password` is always added to `additionalSecretOutputs`.
 */
export const SipTrunk: ResourceClass<SipTrunkArgs, SipTrunkState> = resourceClass(sipTrunk);
export type SipTrunk = InstanceType<typeof SipTrunk>;

// The public types above are written out for their documentation; they must stay the declaration's.
type _ArgsMatch = MustMatch<ArgsMismatch<SipTrunkArgs, typeof sipTrunk>>;
type _StateMatches = MustMatch<StateMismatch<SipTrunkState, typeof sipTrunk>>;
