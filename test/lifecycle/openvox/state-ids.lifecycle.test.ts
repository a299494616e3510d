import { VendorApiError } from "../../../provider/core/errors";
import { OpenVoxSimulator } from "../../simulators/openvox";
import { lifecycle } from "../harness";
import { openVoxConfig } from "../config";
import { BAD_IDS, expectRefusedBeforeAnyRequest } from "../state-ids";

/** Ids and settings that come from outside the program are checked before anything is sent. */

const USER = "api-state-ids";
const PASSWORD = "canary-openvox-state-ids-pw-8Qm";
const URL_PASSWORD = "canary-openvox-url-pw-4Hs";

const pbx = new OpenVoxSimulator({ username: USER, password: PASSWORD });
const { provider, configure } = lifecycle({
    type: "openvox:SipTrunk",
    simulators: [pbx],
    config: () => openVoxConfig(pbx.server.baseUrl, { username: USER, password: PASSWORD }),
});

const STATE = {
    connection: "default",
    name: "si-peer",
    trunkType: "peer",
    host: "192.0.2.1",
    port: 5060,
    trunkId: "1",
    stateVersion: 1,
};
const NOUNS = { read: "read SIP trunk", update: "update SIP trunk", delete: "delete SIP trunk" };

describe("ids from the state", () => {
    it.each(BAD_IDS)("refuses the id %j before any request, for read, update and delete", async (id) => {
        await expectRefusedBeforeAnyRequest(provider, pbx.server, id, { ...STATE, name: id || "si-peer" }, NOUNS);
    });

    it.each(["1/../2", " 1", "x"])("refuses a trunkId %j before any request", async (trunkId) => {
        pbx.server.clearLog();
        await expect(provider.read("si-peer", { ...STATE, trunkId })).rejects.toThrow(
            `OpenVox PBX "default": read SIP trunk "si-peer" failed: refused before sending any request: the trunkId ${JSON.stringify(trunkId)} is not the PBX's numeric trunk id`,
        );
        expect(pbx.server.requests).toEqual([]);
    });

    it("accepts a well-formed id and a blank trunkId (a create that could not read its trunk back)", async () => {
        await expect(provider.read("si-peer", { ...STATE, trunkId: "" })).resolves.toEqual({ id: "", props: {} });
    });
});

describe("the connection URL", () => {
    it.each([`http://${USER}:${URL_PASSWORD}@127.0.0.1:9011`, `${USER}:${URL_PASSWORD}@127.0.0.1:9011`])(
        "refuses credentials in the URL without repeating them, naming the key (%#)",
        async (url) => {
            await configure({ "openvox:url": url });
            pbx.server.clearLog();
            await expect(provider.read("si-peer", STATE)).rejects.toThrow(
                'OpenVox: refresh SIP trunk "si-peer": openvox:url must not carry a user name or password ("user:pass@host"); the value is not shown here. Remove them from the URL and set openvox:username and openvox:password instead',
            );
            expect(pbx.server.requests).toEqual([]);
        },
    );

    it("never quotes a URL holding '@' back, even one the URL parser cannot read", async () => {
        await configure({ "openvox:url": `http://${USER}:${URL_PASSWORD}/x@127.0.0.1:9011` });
        await expect(provider.read("si-peer", STATE)).rejects.toThrow(
            'OpenVox: refresh SIP trunk "si-peer": openvox:url must be a URL such as http://192.0.2.10:9011 (got a value not shown here)',
        );
        expect(pbx.server.requests).toEqual([]);
    });
});

describe("XML answers with declarations", () => {
    it("are refused as BadResponse before parsing, naming the operation", async () => {
        await configure({
            "openvox:xml.url": pbx.server.baseUrl,
            "openvox:xml.username": USER,
            "openvox:xml.password": PASSWORD,
            "openvox:xml.format": "xml",
        });
        pbx.server.injectFaults({
            fault: {
                kind: "status",
                status: 200,
                body: '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><status>Success</status><trunks><item><trunkname>&e;</trunkname></item></trunks></xml>',
            },
            times: 1,
            path: /\/siptrunk\/query$/,
        });
        const error = await provider.read("si-peer", { ...STATE, connection: "xml" }).then(
            () => undefined,
            (e: unknown) => e as VendorApiError,
        );
        expect(VendorApiError.isInstance(error, "BadResponse")).toBe(true);
        expect(error?.message).toBe(
            'OpenVox PBX "xml": read SIP trunk "si-peer" failed (HTTP 200): unexpected answer: the answer declares a DOCTYPE or entities, which the PBX never sends; refused unparsed',
        );
    });
});
