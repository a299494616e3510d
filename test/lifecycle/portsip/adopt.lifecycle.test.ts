import { resetProcessState } from "../../../provider/core/process-state";
import { PortSipV12Simulator } from "../../simulators/portsip-v12";
import { PortSipV22Simulator } from "../../simulators/portsip-v22";
import { errorOf, lifecycle, requestLog } from "../harness";
import { portSipConfig, tuningConfig } from "../config";

/**
 * `adopt` on a PortSIP Trunk, on both API generations: take over a trunk that exists (by name or
 * by id) instead of creating one; never create, never delete; the state afterwards is the one a
 * create would have recorded. v12 names are unique (case aside) and its ids exceed 2^53; v22
 * names may repeat and its password is write-only.
 */

const ADMIN = "admin";
const PBX_PASSWORD = "canary-adopt-pbx-pw-2Rv";
const TRUNK_PASSWORD = "canary-adopt-trunk-pw-6Gm";

const LOGIN = { username: ADMIN, password: PBX_PASSWORD };
const v12 = new PortSipV12Simulator({ adminUser: ADMIN, adminPassword: PBX_PASSWORD });
const v22 = new PortSipV22Simulator({ adminUser: ADMIN, adminPassword: PBX_PASSWORD });

const { provider, logLines, configure, checked, created } = lifecycle({
    type: "portsip:Trunk",
    simulators: [v12, v22],
    config: () => ({
        ...portSipConfig(v12.baseUrl, LOGIN, "v12", "v12"),
        ...portSipConfig(v22.baseUrl, LOGIN, "v22", "v22"),
        ...tuningConfig("portsip", { retryBaseDelayMs: 5, requestTimeoutMs: 1000 }),
    }),
    secrets: [PBX_PASSWORD, TRUNK_PASSWORD],
});

/** Requests that change something on the PBX (logins aside). */
function writes(server: PortSipV12Simulator["server"]): string[] {
    return requestLog(server).filter(
        (line) => !line.startsWith("GET ") && !/sign_in|login|oauth|credentials\/verify/i.test(line),
    );
}

const V12_TRUNK = {
    connection: "v12",
    name: "adopt-b",
    hostname: "sip.carrier-b.example",
    authId: "7001",
    password: TRUNK_PASSWORD,
    registerInterval: 300,
};

const V22_TRUNK = {
    connection: "v22",
    name: "adopt-a",
    authMode: "IP_AUTH",
    hostname: "sip.carrier-a.example",
    concurrency: 30,
    didNumbers: ["4155550100-4155550199"],
};

/** A v22 trunk made in the PBX's web UI. */
function v22Trunk(name: string, hostname: string): string {
    const id = v22.addTrunk({
        name,
        transport: "UDP",
        hostname,
        port: 5060,
        outbound_server: "",
        outbound_server_port: 0,
        concurrency: 5,
        auth_mode: "IP_AUTH",
    });
    v22.server.clearLog();
    return id;
}

/** A v12 trunk made in the PBX's web UI. */
function v12Trunk(name: string, hostname: string): string {
    const id = v12.addTrunk({
        name,
        auth_mode: "REGISTER_AUTH",
        protocol: "UDP",
        hostname,
        port: 5060,
        auth_id: "7001",
        password: "portal-password",
        require_register: true,
    });
    v12.server.clearLog();
    return id;
}

/** A new run: no claims, sessions or caches; the stack does not know the trunk. */
async function newRun(): Promise<void> {
    resetProcessState();
    await configure();
    v12.server.clearLog();
    v22.server.clearLog();
    logLines.length = 0;
}

describe("v16+/v22", () => {
    it("takes over a trunk that already matches with zero writes; the outputs are the created ones", async () => {
        const made = await created(V22_TRUNK);
        await newRun();
        const adopted = await provider.create(await checked({ ...V22_TRUNK, adopt: true }));
        expect(adopted).toEqual(made);
        expect(writes(v22.server)).toEqual([]);
        expect(v22.listTrunks()).toHaveLength(1);
        expect(logLines.join("\n")).toContain(
            `PortSIP: adopted trunk ${made.id} (name "adopt-a" on connection "v22"); it already matches the declared inputs: nothing changed`,
        );
    });

    it("updates a differing trunk with exactly one write, to what a created one records", async () => {
        const id = v22Trunk("adopt-a", "old.carrier-a.example");
        const adopted = await provider.create(await checked({ ...V22_TRUNK, adopt: true }));
        expect(adopted.id).toBe(id);
        expect(writes(v22.server)).toHaveLength(1);
        expect(writes(v22.server)[0]).toMatch(new RegExp(`^(PUT|PATCH|POST) /api/providers/${id}`));
        expect(v22.getTrunk(id)).toMatchObject({ hostname: "sip.carrier-a.example", concurrency: 30 });

        const reference = await created({
            ...V22_TRUNK,
            name: "reference",
            hostname: "sip.reference.example",
            didNumbers: ["4155550200-4155550299"],
        });
        expect(adopted.outs).toEqual({
            ...reference.outs,
            name: "adopt-a",
            hostname: "sip.carrier-a.example",
            didNumbers: V22_TRUNK.didNumbers,
        });
    });

    it("leaves a state that refresh, diff, update and delete treat like a created one", async () => {
        v22Trunk("adopt-a", "old.carrier-a.example");
        const { id, outs } = await provider.create(await checked({ ...V22_TRUNK, adopt: true }));
        expect((await provider.read(id, outs)).props).toEqual(outs);
        for (const adopt of [true, false, { id }, undefined]) {
            expect((await provider.diff(id, outs, await checked({ ...V22_TRUNK, adopt }))).changes).toBe(false);
        }
        const updated = await provider.update(id, outs, await checked({ ...V22_TRUNK, concurrency: 40 }));
        expect(updated.outs).toMatchObject({ concurrency: 40 });
        await provider.delete(id, updated.outs);
        expect(v22.listTrunks()).toEqual([]);
    });

    it("refuses when several trunks have the name, naming them, changing nothing", async () => {
        const first = v22Trunk("adopt-a", "one.example");
        const second = v22Trunk("adopt-a", "two.example");
        const error = await errorOf(provider.create(await checked({ ...V22_TRUNK, adopt: true })));
        expect(error.message).toBe(
            `PortSIP: adopt trunk "adopt-a": 2 trunks have name "adopt-a" on connection "v22" (ids ${first}, ${second}); nothing was adopted or created: choose one with adopt: { id: "..." }`,
        );
        expect(writes(v22.server)).toEqual([]);
    });

    it("adopts one of them by id", async () => {
        v22Trunk("adopt-a", "one.example");
        const second = v22Trunk("adopt-a", "two.example");
        const { id } = await provider.create(await checked({ ...V22_TRUNK, adopt: { id: second } }));
        expect(id).toBe(second);
        expect(v22.listTrunks()).toHaveLength(2);
        expect(v22.getTrunk(second)).toMatchObject({ hostname: "sip.carrier-a.example" });
    });

    it("refuses when no trunk has the name, creating nothing", async () => {
        const error = await errorOf(provider.create(await checked({ ...V22_TRUNK, adopt: true })));
        expect(error.message).toBe(
            'PortSIP: adopt trunk "adopt-a": no trunk has name "adopt-a" on connection "v22"; nothing was adopted or created (remove adopt to create one)',
        );
        expect(writes(v22.server)).toEqual([]);
        expect(v22.listTrunks()).toEqual([]);
    });

    it("refuses to change the authentication mode in place", async () => {
        const id = v22Trunk("adopt-a", "sip.carrier-a.example");
        const error = await errorOf(
            provider.create(
                await checked({
                    ...V22_TRUNK,
                    authMode: "REGISTER_AUTH",
                    authId: "1",
                    password: TRUNK_PASSWORD,
                    adopt: { id },
                }),
            ),
        );
        expect(error.message).toContain(`trunk ${id} (id ${id} on connection "v22") differs in authMode`);
        expect(writes(v22.server)).toEqual([]);
    });
});

describe("v12", () => {
    it("takes over a matching trunk (its id beyond 2^53, its password readable) with zero writes", async () => {
        const made = await created(V12_TRUNK);
        expect(BigInt(made.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
        await newRun();
        const adopted = await provider.create(await checked({ ...V12_TRUNK, name: "ADOPT-B", adopt: true }));
        // Names compare as the PBX compares them; the declared spelling is then written.
        expect(adopted.id).toBe(made.id);
        await newRun();
        const again = await provider.create(await checked({ ...V12_TRUNK, name: "ADOPT-B", adopt: true }));
        expect(again.id).toBe(made.id);
        expect(writes(v12.server)).toEqual([]);
    });

    it("updates a differing trunk with one write, and adopts by id", async () => {
        const id = v12Trunk("portal", "old.carrier-b.example");
        const adopted = await provider.create(await checked({ ...V12_TRUNK, adopt: { id } }));
        expect(adopted.id).toBe(id);
        expect(writes(v12.server)).toHaveLength(1);
        expect(v12.getTrunk(id)).toMatchObject({ name: "adopt-b", hostname: "sip.carrier-b.example" });
        const reference = await created({ ...V12_TRUNK, name: "reference" });
        expect(adopted.outs).toEqual({ ...reference.outs, name: "adopt-b" });
    });

    it("refuses an unknown id and another connection's trunk", async () => {
        const id = v12Trunk("adopt-b", "old.carrier-b.example");
        const unknown = await errorOf(
            provider.create(await checked({ ...V12_TRUNK, adopt: { id: "123456789012345678" } })),
        );
        expect(unknown.message).toBe(
            'PortSIP: adopt trunk "adopt-b": no trunk has id 123456789012345678 on connection "v12"; nothing was adopted or created (remove adopt to create one)',
        );
        const elsewhere = await errorOf(
            provider.create(await checked({ ...V12_TRUNK, connection: "v22", password: undefined, adopt: true })),
        );
        expect(elsewhere.message).toContain('no trunk has name "adopt-b" on connection "v22"');
        expect(v12.listTrunks().map((trunk) => trunk.id)).toEqual([id]);
        expect(writes(v12.server)).toEqual([]);
        expect(writes(v22.server)).toEqual([]);
    });
});
