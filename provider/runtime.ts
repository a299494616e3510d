import type { RuntimeEntry } from "./core/delegate";
import { runHook, type AnyResourceDefinition } from "./core/resource-definition";
import { sipTrunk } from "./vendors/openvox/sip-trunk/definition";
import { trunk as portsipTrunk } from "./vendors/portsip/trunk/definition";
import { terminationGateway } from "./vendors/telecomcenter/termination-gateway/definition";
import { accountGateway } from "./vendors/voicetel/account-gateway/definition";

/**
 * The run-time entry point that every serialized pulumi-voip provider loads from the installed
 * package (`require("pulumi-voip/dist/provider/runtime")`). Its path and the `hook` signature are
 * a compatibility promise: state written by any earlier version calls them.
 */

/** Every resource type: one line per resource, its declaration. */
export const DEFINITIONS: readonly AnyResourceDefinition[] = [
    terminationGateway,
    accountGateway,
    portsipTrunk,
    sipTrunk,
];

const definitions: ReadonlyMap<string, AnyResourceDefinition> = new Map(
    DEFINITIONS.map((definition) => [definition.token, definition]),
);

export const hook: RuntimeEntry["hook"] = (resourceType, name, args) => {
    const definition = definitions.get(resourceType);
    if (definition === undefined) {
        return Promise.reject(
            new Error(
                `pulumi-voip: this installed version has no resource type "${resourceType}"; install the pulumi-voip version that created it`,
            ),
        );
    }
    return runHook(definition, name, args);
};

export function resourceTypes(): string[] {
    return [...definitions.keys()];
}
