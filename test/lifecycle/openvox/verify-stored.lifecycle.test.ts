import { ResourceInitError } from "../../../provider/core/errors";
import { OpenVoxSimulator } from "../../simulators/openvox";
import { lifecycle } from "../harness";
import { openVoxConfig } from "../config";

/**
 * A PBX model without DOD support that silently ignores fields it does not know (instead of
 * refusing them with 10003): a trunk with `extensionDods` is created without them, and every later
 * preview would show an update naming no property, forever. After every create and update the
 * trunk read back must hold what was asked, or the hook fails naming the property.
 */

const USER = "api-verify-stored";
const PASSWORD = "canary-openvox-verify-pw-1Zx";
const SIP_PASSWORD = "canary-openvox-verify-sip-pw-5Jr";

/** No DOD fields, unknown fields ignored rather than refused. */
const lenient = new OpenVoxSimulator({ username: USER, password: PASSWORD, dod: false, rejectUnknownFields: false });
/** Stores DOD fields. */
const withDod = new OpenVoxSimulator({ username: USER, password: PASSWORD, dod: true });
const { provider, checked } = lifecycle({
    type: "openvox:SipTrunk",
    simulators: [lenient, withDod],
    config: () => ({
        ...openVoxConfig(lenient.server.baseUrl, { username: USER, password: PASSWORD }, "lenient"),
        ...openVoxConfig(withDod.server.baseUrl, { username: USER, password: PASSWORD }, "dod"),
    }),
});

const DODS = [{ number: "5503301", name: "sales", extension: "1000" }];
const ACCOUNT = { trunkType: "account", username: "6200", password: SIP_PASSWORD };

describe("create", () => {
    it("fails naming extensionDods when the PBX dropped them, keeping the trunk in the stack with its id", async () => {
        const inputs = await checked({ ...ACCOUNT, name: "vs-create", connection: "lenient", extensionDods: DODS });
        const error = await provider.create(inputs).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ResourceInitError);
        const initError = error as ResourceInitError;
        expect(initError.id).toBe("vs-create");
        expect(initError.message).toBe(
            'OpenVox PBX "lenient": create SIP trunk "vs-create" failed: the request was accepted but this property was not stored as asked: extensionDods (asked [{"number":"5503301","name":"sales","extension":"1000"}], stored nothing). The vendor may not support it (model, firmware or account); change the program to what it can store',
        );
        expect(initError.message).not.toContain(SIP_PASSWORD);
        // The state recorded is what the PBX holds, so the next preview shows the DOD change by name.
        expect(initError.properties).toMatchObject({ name: "vs-create", trunkId: "1", stateVersion: 1 });
        expect(initError.properties["extensionDods"]).toBeUndefined();
        expect(lenient.getTrunk("vs-create")).toBeDefined();
        const diff = await provider.diff("vs-create", initError.properties, inputs);
        expect(diff.changes).toBe(true);
    });

    it("succeeds when everything asked was stored", async () => {
        const inputs = await checked({ ...ACCOUNT, name: "vs-fine", connection: "dod", extensionDods: DODS });
        const { outs } = await provider.create(inputs);
        expect(outs).toMatchObject({ extensionDods: DODS });
        const plain = await checked({ ...ACCOUNT, name: "vs-plain", connection: "lenient" });
        await expect(provider.create(plain)).resolves.toMatchObject({ id: "vs-plain" });
    });
});

describe("update", () => {
    it("fails naming extensionDods when the PBX dropped them", async () => {
        const before = await checked({ ...ACCOUNT, name: "vs-update", connection: "lenient" });
        const { id, outs } = await provider.create(before);
        const after = await checked({ ...ACCOUNT, name: "vs-update", connection: "lenient", extensionDods: DODS });
        await expect(provider.update(id, outs, after)).rejects.toThrow(
            'OpenVox PBX "lenient": update SIP trunk "vs-update" failed: the request was accepted but this property was not stored as asked: extensionDods',
        );
    });
});
