import * as pulumi from "@pulumi/pulumi";
import { openvox, portsip, telecomcenter, voicetel } from "../../provider";
import { terminationGateway } from "../../provider/vendors/telecomcenter/termination-gateway/provider";
import { trunk as portsipTrunk } from "../../provider/vendors/portsip/trunk/provider";
import { accountGateway } from "../../provider/vendors/voicetel/account-gateway/provider";
import { sipTrunk } from "../../provider/vendors/openvox/sip-trunk/provider";
import type { AnyResourceDefinition } from "../../provider/core/resource-definition";

/**
 * Every resource class must expose an Output for every input property (given or not) and every
 * computed output: Pulumi creates Output properties only for keys present in the props passed to
 * the constructor, so a forgotten key is `undefined` on the resource object at run time.
 */

interface Case {
    definition: AnyResourceDefinition;
    construct: (name: string) => pulumi.CustomResource;
    computed: string[];
}

const cases: Case[] = [
    {
        definition: terminationGateway,
        construct: (name) => new telecomcenter.TerminationGateway(name, { customerId: "c", host: "h.example.com" }),
        computed: ["operator", "stateVersion"],
    },
    {
        definition: portsipTrunk,
        construct: (name) => new portsip.Trunk(name, { hostname: "sip.example.com" }),
        computed: ["apiVersion", "status", "shared", "stateVersion"],
    },
    {
        definition: accountGateway,
        construct: (name) => new voicetel.AccountGateway(name, { host: "45.33.10.7" }),
        computed: ["routeId", "address", "stateVersion"],
    },
    {
        definition: sipTrunk,
        construct: (name) => new openvox.SipTrunk(name, { trunkType: "peer", host: "sip.example.com" }),
        computed: ["trunkId", "tech", "stateVersion"],
    },
];

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) =>
                Promise.resolve({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
            call: () => Promise.resolve({}),
        },
        "contract",
        "test",
        true,
    );
});

describe.each(cases.map((c) => [c.definition.type, c] as const))("%s", (type, c) => {
    it("has the type token pulumi-nodejs:dynamic/<namespace>:<Type>", async () => {
        const resource = c.construct("token");
        const urn = await new Promise<string>((resolve) => resource.urn.apply(resolve));
        const [namespace, typeName] = type.split(":");
        expect(urn).toContain(`::pulumi-nodejs:dynamic/${namespace ?? ""}:${typeName ?? ""}::token`);
    });

    it("exposes an Output for every input and computed property", () => {
        const resource = c.construct("outputs") as unknown as Record<string, unknown>;
        const keys = [...Object.keys(c.definition.inputSchema().shape), ...c.computed];
        const missing = keys.filter((key) => !pulumi.Output.isInstance(resource[key]));
        expect(missing).toEqual([]);
    });
});
