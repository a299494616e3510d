import { TelecomCenterSimulator } from "../../simulators/telecomcenter";
import { lifecycle } from "../harness";
import { telecomCenterConfig } from "../config";
import { BAD_IDS, expectRefusedBeforeAnyRequest } from "../state-ids";

/** Gateway ids from the state go into URL paths: anything but a UUID is refused before a request. */

const USER = "state-ids-operator";
const PASSWORD = "canary-tc-state-ids-pw-3Lp";

const sim = new TelecomCenterSimulator({ username: USER, password: PASSWORD });
const { provider } = lifecycle({
    type: "telecomcenter:TerminationGateway",
    simulators: [sim],
    config: () => telecomCenterConfig(sim.server.baseUrl, { username: USER, password: PASSWORD }),
});

const STATE = { customerId: "c1", name: "si-gw", host: "gw.example.com", port: 5060, stateVersion: 1 };
const NOUNS = {
    read: "read termination gateway",
    // Nothing changed between olds and news: the update only reads the gateway.
    update: "read termination gateway",
    delete: "delete termination gateway",
};

describe("ids from the state", () => {
    it.each([...BAD_IDS, "3f2b6c1e-8a4d-4e2f-9b7a-1c2d3e4f5a6b/../x", "not-a-uuid"])(
        "refuses the id %j before any request, for read, update and delete",
        async (id) => {
            await expectRefusedBeforeAnyRequest(provider, sim.server, id, STATE, NOUNS);
        },
    );

    it("sends a well-formed UUID", async () => {
        sim.server.clearLog();
        await expect(provider.read("3f2b6c1e-8a4d-4e2f-9b7a-1c2d3e4f5a6b", STATE)).resolves.toEqual({
            id: "",
            props: {},
        });
        expect(sim.server.requests.map((entry) => entry.path)).toEqual([
            "/api/rest/public/operator/termination_gateways/3f2b6c1e-8a4d-4e2f-9b7a-1c2d3e4f5a6b",
        ]);
    });
});
