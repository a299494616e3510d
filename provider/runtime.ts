import { runHook, type AnyResourceDefinition, type HookName } from "./core/resource-definition";
import { terminationGateway } from "./vendors/telecomcenter/termination-gateway/provider";
import { sipTrunk } from "./vendors/openvox/sip-trunk/provider";
import { accountGateway } from "./vendors/voicetel/account-gateway/provider";
import { trunk as portsipTrunk } from "./vendors/portsip/trunk/provider";

/**
 * The run-time entry point that every serialized pulumi-voip provider loads from the installed
 * package (`require("pulumi-voip/dist/provider/runtime")`). Its path and the `hook` signature are
 * a compatibility promise: state written by any earlier version calls them.
 */

const definitions: ReadonlyMap<string, AnyResourceDefinition> = new Map<string, AnyResourceDefinition>(
    [terminationGateway, accountGateway, sipTrunk, portsipTrunk].map((definition) => [definition.type, definition]),
);

export function hook(resourceType: string, name: HookName, args: unknown[]): Promise<unknown> {
    const definition = definitions.get(resourceType);
    if (definition === undefined) {
        return Promise.reject(
            new Error(
                `pulumi-voip: this installed version has no resource type "${resourceType}"; install the pulumi-voip version that created it`,
            ),
        );
    }
    return runHook(definition, name, args);
}

export function resourceTypes(): string[] {
    return [...definitions.keys()];
}
