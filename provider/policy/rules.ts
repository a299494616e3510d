import { sameValue } from "../core/diff";
import { isUnknown } from "../core/unknowns";
import { parseDidEntry, type DidRange } from "../vendors/portsip/trunk/dids";
import { cidrWidth, unreachableHost } from "./network";
import { ENCRYPTED, type TrunkState } from "./prior-state";

/**
 * The review rules of the policy pack, as plain functions of trunk states so they can be reasoned
 * about (and tested) without the engine. Rules that compare with the prior state get it only when
 * the pack was given one (`PULUMI_VOIP_PRIOR_STATE`); a new trunk has no prior state.
 */

/** How a violation is treated: reported (`advisory`), failing the operation (`mandatory`), or not checked. */
export type Enforcement = "advisory" | "mandatory" | "disabled";

/** A rule's own settings, from the policy pack config (`--policy-pack-config`). */
export type RuleConfig = Readonly<Record<string, unknown>>;

/** A JSON-schema property of a rule's config. */
export interface ConfigProperty {
    type: "integer" | "boolean";
    default: number | boolean;
    minimum?: number;
    maximum?: number;
    description: string;
}

interface RuleBase {
    /** The policy name shown by the CLI and used in `--policy-pack-config`. */
    name: string;
    /** What the rule protects against, in one sentence. */
    description: string;
    /** The enforcement level when the config does not set one. */
    enforcement: Enforcement;
    /** The rule's own settings beyond `enforcementLevel`. */
    config?: Readonly<Record<string, ConfigProperty>>;
}

/** A rule about one trunk at a time. Returns the violation messages. */
export interface TrunkRule extends RuleBase {
    scope: "trunk";
    check(trunk: TrunkState, prior: TrunkState | undefined, config: RuleConfig): string[];
}

/** A violation of a stack rule: on a trunk of the program, or on the stack (`urn` undefined). */
export interface Finding {
    urn?: string;
    message: string;
}

/** A rule about the trunks of the stack together. Returns the violations. */
export interface StackRule extends RuleBase {
    scope: "stack";
    check(trunks: readonly TrunkState[], prior: ReadonlyMap<string, TrunkState> | undefined): Finding[];
}

export type Rule = TrunkRule | StackRule;

function subject(trunk: TrunkState): string {
    return `${trunk.kind.vendor} ${trunk.kind.noun} "${trunk.name}"`;
}

/** A value for a message: secrets never, strings quoted, the rest as JSON. */
function show(trunk: TrunkState, key: string, value: unknown): string {
    if (trunk.kind.secretInputs.includes(key)) return "[secret]";
    if (value === undefined) return "(not set)";
    return JSON.stringify(value);
}

function known(value: unknown): boolean {
    return !isUnknown(value) && value !== ENCRYPTED;
}

/** Whether an input differs between the prior state and the program, both sides being known. */
function changed(prior: TrunkState, trunk: TrunkState, key: string): boolean {
    const before = prior.inputs[key];
    const after = trunk.inputs[key];
    return known(before) && known(after) && !sameValue(before, after);
}

function transition(prior: TrunkState, trunk: TrunkState, key: string): string {
    return `${key} changes from ${show(trunk, key, prior.inputs[key])} to ${show(trunk, key, trunk.inputs[key])}`;
}

const replacement: TrunkRule = {
    scope: "trunk",
    name: "trunk-replacement",
    description: "A change that replaces a trunk is an outage: calls on it drop while it is deleted and created again.",
    enforcement: "advisory",
    check(trunk, prior) {
        if (prior === undefined) return [];
        const forcing = trunk.kind.replaceOnChanges.filter((key) => changed(prior, trunk, key));
        if (forcing.length === 0) return [];
        return [
            `${subject(trunk)} will be replaced because ${forcing.map((key) => transition(prior, trunk, key)).join(" and ")}: ` +
                `it is deleted and created again, so calls on it drop and its registration restarts. ` +
                `Schedule the change in a maintenance window.`,
        ];
    },
};

const transportDowngrade: TrunkRule = {
    scope: "trunk",
    name: "sip-transport-downgrade",
    description: "SIP over TLS must not fall back to UDP or TCP, which carry credentials and numbers in clear text.",
    enforcement: "mandatory",
    check(trunk, prior) {
        if (prior?.inputs["transport"] !== "TLS") return [];
        const transport = trunk.inputs["transport"];
        if (transport !== "UDP" && transport !== "TCP") return [];
        return [
            `${subject(trunk)}: ${transition(prior, trunk, "transport")}. SIP signalling, with the digest ` +
                `credentials and the calling and called numbers in it, then crosses the network unencrypted.`,
        ];
    },
};

/** How a trunk authenticates its peer: with SIP credentials, or by source address alone. */
function authentication(trunk: TrunkState): { property: string; open: boolean } | undefined {
    const inputs = trunk.inputs;
    switch (trunk.kind.vendor) {
        case "PortSIP": {
            const mode = inputs["authMode"] ?? "REGISTER_AUTH";
            if (mode === "IP_AUTH") return { property: "authMode", open: true };
            if (mode === "REGISTER_AUTH" || mode === "ACCEPT_REGISTER") return { property: "authMode", open: false };
            return undefined;
        }
        case "OpenVox":
            if (!known(inputs["trunkType"])) return undefined;
            return { property: "trunkType", open: inputs["trunkType"] === "peer" };
        case "telecom.center":
            if (isUnknown(inputs["authorizationName"])) return undefined;
            return { property: "authorizationName", open: inputs["authorizationName"] === undefined };
        default:
            return undefined;
    }
}

const authDowngrade: TrunkRule = {
    scope: "trunk",
    name: "sip-auth-downgrade",
    description:
        "A trunk that authenticated with SIP credentials must not switch to trusting source IP addresses alone.",
    enforcement: "mandatory",
    check(trunk, prior) {
        if (prior === undefined) return [];
        const before = authentication(prior);
        const after = authentication(trunk);
        if (before === undefined || after === undefined || before.open || !after.open) return [];
        return [
            `${subject(trunk)}: ${transition(prior, trunk, after.property)}, from SIP digest credentials to open ` +
                `IP authentication: whoever can send SIP from an accepted address (or spoof one over UDP) can ` +
                `place calls billed to this account.`,
        ];
    },
};

const wideAdditionalIps: TrunkRule = {
    scope: "trunk",
    name: "additional-ips-too-wide",
    description:
        "A trunk's additionalIps must name the carrier's SBCs, not whole networks that accept calls unchallenged.",
    enforcement: "mandatory",
    config: {
        minIpv4PrefixLength: {
            type: "integer",
            default: 24,
            minimum: 0,
            maximum: 32,
            description: "The widest IPv4 block accepted, as a prefix length (24: at most 256 addresses).",
        },
        minIpv6PrefixLength: {
            type: "integer",
            default: 48,
            minimum: 0,
            maximum: 128,
            description: "The widest IPv6 block accepted, as a prefix length (48: one site).",
        },
    },
    check(trunk, _prior, config) {
        const entries = trunk.inputs["additionalIps"];
        if (!Array.isArray(entries)) return [];
        const limits = {
            4: Number(config["minIpv4PrefixLength"] ?? 24),
            6: Number(config["minIpv6PrefixLength"] ?? 48),
        };
        return entries.flatMap((entry: unknown) => {
            const width = typeof entry === "string" ? cidrWidth(entry) : undefined;
            if (width === undefined || width.prefix >= limits[width.family]) return [];
            return [
                `${subject(trunk)}: additionalIps entry ${JSON.stringify(entry)} is wider than a ` +
                    `/${limits[width.family]}: every address in it may send calls on this trunk without ` +
                    `registering, so other hosts of that network can place calls billed to this account. ` +
                    `List the carrier's SBC addresses instead.`,
            ];
        });
    },
};

const privateAddress: TrunkRule = {
    scope: "trunk",
    name: "gateway-private-address",
    description: "A trunk's peer must be reachable: not a private, loopback, link-local or site-local address.",
    enforcement: "mandatory",
    config: {
        allowPrivateOnPbx: {
            type: "boolean",
            default: false,
            description:
                "Accept such addresses on PBX trunks (PortSIP, OpenVox) whose carrier sits on the PBX's own network.",
        },
    },
    check(trunk, _prior, config) {
        if (!trunk.kind.hosted && (config["allowPrivateOnPbx"] === true || trunk.inputs["inLan"] === true)) return [];
        return trunk.kind.addressInputs.flatMap((key) => {
            const host = trunk.inputs[key];
            const why = typeof host === "string" && !isUnknown(host) ? unreachableHost(host) : undefined;
            if (why === undefined) return [];
            const consequence = trunk.kind.hosted
                ? `${trunk.kind.vendor} sends calls from its own network, which cannot reach it: calls fail`
                : `the PBX reaches it only if the carrier sits on the PBX's own network` +
                  (trunk.kind.vendor === "PortSIP" ? " (then set inLan: true)" : "");
            return [`${subject(trunk)}: ${key} ${JSON.stringify(host)} is ${why}; ${consequence}.`];
        });
    },
};

const credentialChange: TrunkRule = {
    scope: "trunk",
    name: "credential-change",
    description: "A SIP credential change must be coordinated with the far end, or calls are refused until both match.",
    enforcement: "advisory",
    check(trunk, prior) {
        if (prior === undefined) return [];
        const keys = trunk.kind.credentialInputs.filter((key) => changed(prior, trunk, key));
        if (keys.length === 0) return [];
        const what = keys.map((key) => (trunk.kind.secretInputs.includes(key) ? `${key} (value not shown)` : key));
        return [
            `${subject(trunk)}: ${what.join(", ")} ${keys.length === 1 ? "changes" : "change"}. The far end must ` +
                `change at the same moment, or registration and authentication fail and calls are refused.`,
        ];
    },
};

const disabled: TrunkRule = {
    scope: "trunk",
    name: "trunk-disabled",
    description: "Disabling a trunk in service stops its calls.",
    enforcement: "advisory",
    check(trunk, prior) {
        if (prior === undefined || prior.inputs["enabled"] === false || trunk.inputs["enabled"] !== false) return [];
        return [`${subject(trunk)}: enabled changes to false: the trunk stops carrying calls.`];
    },
};

function didRanges(trunk: TrunkState): DidRange[] {
    const entries = trunk.inputs["didNumbers"];
    if (!Array.isArray(entries)) return [];
    return entries.flatMap((entry: unknown) => {
        const range = typeof entry === "string" ? parseDidEntry(entry) : { problem: "not a string" };
        return "problem" in range ? [] : [range];
    });
}

function shared(a: DidRange, b: DidRange): string | undefined {
    const start = a.start > b.start ? a.start : b.start;
    const end = a.end < b.end ? a.end : b.end;
    if (start > end) return undefined;
    return start === end ? `${start}` : `${start}-${end}`;
}

const didMoves: StackRule = {
    scope: "stack",
    name: "did-moves-between-trunks",
    description: "DID numbers moving from one trunk to another change where inbound calls to them arrive.",
    enforcement: "advisory",
    check(trunks, prior) {
        if (prior === undefined) return [];
        return trunks.flatMap((trunk) => {
            const ranges = didRanges(trunk);
            return [...prior.values()]
                .filter((previous) => previous.urn !== trunk.urn)
                .flatMap((previous) => {
                    const moved = didRanges(previous).flatMap((old) =>
                        ranges.flatMap((range) => shared(old, range) ?? []),
                    );
                    if (moved.length === 0) return [];
                    return [
                        {
                            urn: trunk.urn,
                            message:
                                `DIDs ${moved.join(", ")} move from ${subject(previous)} to ${subject(trunk)}: ` +
                                `inbound calls to them arrive on "${trunk.name}" from this update on. Check that the ` +
                                `carrier delivers them there and that the inbound rules of "${trunk.name}" route them.`,
                        },
                    ];
                });
        });
    },
};

const deletion: StackRule = {
    scope: "stack",
    name: "trunk-deletion",
    description: "Deleting a trunk stops every call routed to it.",
    enforcement: "advisory",
    check(trunks, prior) {
        if (prior === undefined) return [];
        const present = new Set(trunks.map((trunk) => trunk.urn));
        return (
            [...prior.values()]
                .filter((previous) => !present.has(previous.urn))
                // Reported on the stack: the engine attributes a URN that is not in the program to the stack anyway.
                .map((previous) => ({
                    message: `${subject(previous)} is deleted: calls routed to it fail from then on.`,
                }))
        );
    },
};

/** Every rule of the pack, in the order they are reported. */
export const RULES: readonly Rule[] = [
    replacement,
    deletion,
    transportDowngrade,
    authDowngrade,
    wideAdditionalIps,
    privateAddress,
    didMoves,
    credentialChange,
    disabled,
];
