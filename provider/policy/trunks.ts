import * as openvoxModel from "../vendors/openvox/sip-trunk/model";
import * as portsipModel from "../vendors/portsip/trunk/model";
import * as telecomcenterModel from "../vendors/telecomcenter/termination-gateway/model";
import * as voicetelModel from "../vendors/voicetel/account-gateway/model";

/**
 * What a reviewer needs to know about each resource class of this package, keyed by the type
 * token the engine gives it: `pulumi-nodejs:dynamic/<namespace>:<Type>` (the module and type each
 * class passes to `dynamic.Resource`). Shared by the policy pack and the review summary.
 */
export interface TrunkKind {
    /** The vendor as people name it, e.g. `PortSIP`. */
    vendor: string;
    /** What the object is called on that vendor, e.g. `trunk`. */
    noun: string;
    /** Inputs whose change replaces the object (deleted and created again). */
    replaceOnChanges: readonly string[];
    /** Inputs stored as secrets: their values are never shown. */
    secretInputs: readonly string[];
    /** Inputs that authenticate the SIP peer. */
    credentialInputs: readonly string[];
    /** Inputs naming the SIP peer's address: where calls go or come from. */
    addressInputs: readonly string[];
    /** True for a hosted service: its own network, not the customer's LAN, must reach the address. */
    hosted: boolean;
}

const TYPE_PREFIX = "pulumi-nodejs:dynamic/";

export const TRUNK_KINDS: Readonly<Record<string, TrunkKind>> = {
    [`${TYPE_PREFIX}openvox:SipTrunk`]: {
        vendor: "OpenVox",
        noun: "SIP trunk",
        replaceOnChanges: openvoxModel.REPLACE_ON_CHANGES,
        secretInputs: openvoxModel.SECRET_INPUTS,
        credentialInputs: ["username", "authName", "password"],
        addressInputs: ["host"],
        hosted: false,
    },
    [`${TYPE_PREFIX}portsip:Trunk`]: {
        vendor: "PortSIP",
        noun: "trunk",
        replaceOnChanges: portsipModel.REPLACE_ON_CHANGES,
        secretInputs: portsipModel.SECRET_INPUTS,
        credentialInputs: ["authId", "username", "password"],
        addressInputs: ["hostname", "outboundServer"],
        hosted: false,
    },
    [`${TYPE_PREFIX}telecomcenter:TerminationGateway`]: {
        vendor: "telecom.center",
        noun: "termination gateway",
        replaceOnChanges: telecomcenterModel.REPLACE_ON_CHANGES,
        secretInputs: telecomcenterModel.SECRET_INPUTS,
        credentialInputs: ["authorizationName", "authorizationPassword"],
        addressInputs: ["host"],
        hosted: true,
    },
    [`${TYPE_PREFIX}voicetel:AccountGateway`]: {
        vendor: "VoiceTel",
        noun: "account gateway",
        replaceOnChanges: voicetelModel.REPLACE_ON_CHANGES,
        secretInputs: voicetelModel.SECRET_INPUTS,
        credentialInputs: [],
        addressInputs: ["host"],
        hosted: true,
    },
};

/** The kind of a resource type token, or undefined for anything this package does not define. */
export function trunkKind(type: string): TrunkKind | undefined {
    return Object.prototype.hasOwnProperty.call(TRUNK_KINDS, type) ? TRUNK_KINDS[type] : undefined;
}

/** The named connection an object lives on: its `connection` input, `default` when left out. */
export function connectionOf(inputs: Readonly<Record<string, unknown>> | undefined): string {
    const connection = inputs?.["connection"];
    return typeof connection === "string" && connection !== "" ? connection : "default";
}

/** The resource name at the end of a URN (`urn:pulumi:stack::project::type::name`). */
export function nameFromUrn(urn: string): string {
    return urn.split("::").pop() ?? urn;
}
