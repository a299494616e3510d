import * as pulumi from "@pulumi/pulumi";
import { openvox } from "../../../provider";
import { inputSchema } from "../../../provider/vendors/openvox/sip-trunk/model";

/**
 * The resource class under Pulumi's mocks: every input and computed property is an Output whatever
 * the trunk type (Pulumi makes Outputs only for keys passed to the constructor), the password
 * travels as a secret, and the defaults the class fills in are there.
 */

const registered: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registered[args.name] = args.inputs as Record<string, unknown>;
                return Promise.resolve({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> });
            },
            call: () => Promise.resolve({}),
        },
        "openvox-unit",
        "test",
        true,
    );
});

describe("openvox.SipTrunk class", () => {
    it.each([
        ["peer", { trunkType: "peer", host: "192.0.2.1" }],
        ["account", { trunkType: "account", username: "7100", password: "pw" }],
        ["register", { trunkType: "register", host: "h.example.com", username: "6100", password: "pw" }],
    ] as const)("exposes an Output for every property on a %s trunk", (_type, args) => {
        const resource = new openvox.SipTrunk(`outputs-${_type}`, args) as unknown as Record<string, unknown>;
        const keys = [...Object.keys(inputSchema().shape), "trunkId", "tech", "stateVersion"];
        expect(keys.filter((key) => !pulumi.Output.isInstance(resource[key]))).toEqual([]);
    });

    it("has the type token pulumi-nodejs:dynamic/openvox:SipTrunk", async () => {
        const resource = new openvox.SipTrunk("token", { trunkType: "peer", host: "192.0.2.1" });
        const urn = await new Promise<string>((resolve) => resource.urn.apply(resolve));
        expect(urn).toContain("::pulumi-nodejs:dynamic/openvox:SipTrunk::token");
    });

    it("sends a plain-string password as a secret, and fills in the name and the default connection", async () => {
        const resource = new openvox.SipTrunk("defaults", {
            trunkType: "account",
            username: "7100",
            password: "plain-string",
        });
        await new Promise<string>((resolve) => resource.urn.apply(resolve));
        await expect(pulumi.isSecret(resource.password)).resolves.toBe(true);
        expect(registered["defaults"]).toMatchObject({ connection: "default", name: "defaults", trunkType: "account" });
        expect(registered["defaults"]).not.toHaveProperty("host");
    });
});
