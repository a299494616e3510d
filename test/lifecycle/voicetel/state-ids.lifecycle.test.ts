import { VoiceTelSimulator } from "../../simulators/voicetel";
import { lifecycle } from "../harness";
import { voiceTelConfig } from "../config";
import { BAD_IDS, expectRefusedBeforeAnyRequest } from "../state-ids";

/** Route ids from the state go into request bodies: anything but a user route id is refused before a request. */

const API_KEY = "canary-voicetel-state-ids-key-9Wd";

const sim = new VoiceTelSimulator({ apiKey: API_KEY, hosts: {} });
const { provider } = lifecycle({
    type: "voicetel:AccountGateway",
    simulators: [sim],
    config: () => voiceTelConfig(sim.server.baseUrl, API_KEY),
});

const STATE = {
    host: "45.33.20.2",
    port: 5060,
    hostResolvesLater: false,
    address: "45.33.20.2:5060",
    routeId: 1000,
    stateVersion: 1,
};
const NOUNS = { read: "read account gateway", update: "update account gateway", delete: "delete account gateway" };

describe("ids from the state", () => {
    it.each([...BAD_IDS, "0012", "8", "4", "1e3"])(
        "refuses the id %j before any request, for read, update and delete",
        async (id) => {
            await expectRefusedBeforeAnyRequest(provider, sim.server, id, STATE, NOUNS);
        },
    );
});
