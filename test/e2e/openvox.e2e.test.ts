import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { openvox } from "../../provider";
import type { SipTrunkArgs } from "../../provider/vendors/openvox";
import { OpenVoxSimulator, type OpenVoxTrunk } from "../simulators/openvox";
import { changes, dynamicResources, E2EEnvironment, openVoxConfig, recorder, REPO_ROOT, tuningConfig } from "./harness";

/**
 * openvox.SipTrunk on the real pulumi engine. One stack manages two PBXs at once: `east` speaks
 * JSON and `west` speaks XML, each holding a register, a peer and an account trunk, so every
 * scenario (preview, up, no-change preview, drift and refresh, in-place update, replace,
 * out-of-band delete, secrets audit, destroy) runs in both formats in one pass. Then: preview-time
 * validation, a token that expires in the middle of an up, a wrong API password, and faults
 * during a 20-trunk up.
 */

const API_USER = "api-e2e";
const API_PASSWORD = "canary-openvox-e2e-api-3Hd";
const WRONG_PASSWORD = "canary-openvox-e2e-wrong-8Kc";
const SIP_PASSWORD = "canary-openvox-e2e-sip-6Ne";
const ACCOUNT_PASSWORD = "canary-openvox-e2e-acct-1Tz";
const UI_PASSWORD = "canary-openvox-e2e-ui-4Mv";
const NEW_PASSWORD = "canary-openvox-e2e-new-7Pa";

const env = new E2EEnvironment("openvox");
// DOD enabled: these PBXs run Yeastar-lineage firmware that accepts the extensionsdod fields.
const east = new OpenVoxSimulator({ username: API_USER, password: API_PASSWORD, dod: true });
const west = new OpenVoxSimulator({ username: API_USER, password: API_PASSWORD, dod: true });

/** What the program declares; tests change it between operations. */
let desired: Record<string, SipTrunkArgs> = {};

function program(): Promise<Record<string, unknown>> {
    const ids: Record<string, unknown> = {};
    for (const [name, args] of Object.entries(desired)) {
        const trunk = new openvox.SipTrunk(name, args);
        ids[name] = trunk.id;
        ids[`${name}TrunkId`] = trunk.trunkId;
    }
    return Promise.resolve(ids);
}

function connectionConfig(name: string, sim: OpenVoxSimulator, format: string, password = API_PASSWORD) {
    return openVoxConfig(sim.server.baseUrl, { username: API_USER, password }, name, format);
}

async function newStack(project: string, eastPassword = API_PASSWORD): Promise<Stack> {
    return env.stack({
        project,
        stack: "e2e",
        program,
        config: {
            ...connectionConfig("east", east, "json", eastPassword),
            ...connectionConfig("west", west, "xml"),
            ...tuningConfig("openvox", { retryBaseDelayMs: 20, requestTimeoutMs: 3000, maxRetries: 8 }),
        },
    });
}

/** The one trunk with this name, as `siptrunk/query` would return it (field names of every type). */
function trunk(sim: OpenVoxSimulator, name: string): Record<string, string | undefined> {
    const found: OpenVoxTrunk[] = sim.listTrunks().filter((candidate) => candidate.trunkname === name);
    expect(found).toHaveLength(1);
    return { ...found[0]! };
}

function md5(text: string): string {
    return createHash("md5").update(text, "utf8").digest("hex");
}

/** Every token the simulators issued, read from the query strings they received. */
function issuedTokens(): string[] {
    return [east, west].flatMap((sim) =>
        sim.server.requests
            .map((entry) => new URLSearchParams(entry.query).get("token"))
            .filter((token): token is string => token !== null && token !== ""),
    );
}

const allTokens = new Set<string>();

function clearLogs(): void {
    for (const token of issuedTokens()) allTokens.add(token);
    for (const sim of [east, west]) {
        sim.server.clearLog();
        sim.loginAttempts.length = 0;
    }
}

beforeAll(async () => {
    await Promise.all([east.start(), west.start()]);
});

afterAll(async () => {
    await Promise.all([east.stop(), west.stop()]);
    env.cleanup();
});

function threeTrunks(connection: "east" | "west"): Record<string, SipTrunkArgs> {
    return {
        [`${connection}-register`]: {
            connection,
            trunkType: "register",
            host: "SIP.ITSP-A.example",
            username: "6100",
            // Deliberately a plain string: the resource must still store it as a secret.
            password: SIP_PASSWORD,
            fromUser: "+4930123",
            extensionDods: [
                { number: "5503302", name: "support", extension: "1001" },
                { number: "5503301", name: "sales", extension: "1000" },
            ],
        },
        [`${connection}-peer`]: { connection, trunkType: "peer", host: "198.51.100.7", port: 5062 },
        [`${connection}-account`]: {
            connection,
            trunkType: "account",
            username: "7100",
            authName: "branch-7100",
            password: ACCOUNT_PASSWORD,
            groupDods: [{ number: "5503300", name: "main", group: "sales" }],
        },
    };
}

describe("openvox.SipTrunk on two PBXs (JSON and XML) on the pulumi engine", () => {
    let stack: Stack;

    beforeAll(async () => {
        stack = await newStack("ov-lifecycle");
        desired = { ...threeTrunks("east"), ...threeTrunks("west") };
        clearLogs();
    });

    it("previews the creates without calling either PBX", async () => {
        const rec = recorder();
        const result = await stack.preview({ onEvent: rec.onEvent });
        expect(result.changeSummary).toMatchObject({ create: 7 });
        expect(changes(rec.record)).toEqual([
            "east-account create",
            "east-peer create",
            "east-register create",
            "west-account create",
            "west-peer create",
            "west-register create",
        ]);
        expect([...east.server.requests, ...west.server.requests]).toHaveLength(0);
    });

    it("creates every trunk type on both PBXs with one login per PBX", async () => {
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        for (const [sim, prefix, format] of [
            [east, "east", "json"],
            [west, "west", "xml"],
        ] as const) {
            expect(trunk(sim, `${prefix}-register`)).toEqual({
                id: expect.stringMatching(/^\d+$/) as unknown,
                trunkname: `${prefix}-register`,
                tech: "pjsip",
                trunktype: "register",
                host: "sip.itsp-a.example",
                port: "5060",
                domain: "sip.itsp-a.example",
                username: "6100",
                authname: "6100",
                fromuser: "+4930123",
                password: SIP_PASSWORD,
                extensionsdod: "5503301-sales-1000,5503302-support-1001",
                extensionsgroupdod: "",
            });
            expect(trunk(sim, `${prefix}-peer`)).toMatchObject({
                trunktype: "peer",
                host: "198.51.100.7",
                port: "5062",
            });
            expect(trunk(sim, `${prefix}-account`)).toMatchObject({
                trunktype: "account",
                username: "7100",
                authname: "branch-7100",
                password: ACCOUNT_PASSWORD,
                extensionsgroupdod: "5503300-main-sales",
            });
            expect(result.outputs[`${prefix}-peer`]?.value).toBe(`${prefix}-peer`);
            expect(result.outputs[`${prefix}-peerTrunkId`]?.value).toBe(trunk(sim, `${prefix}-peer`).id);
            expect(sim.loginAttempts.map((attempt) => attempt.outcome)).toEqual(["success"]);
            for (const entry of sim.server.requests) {
                expect(new URLSearchParams(entry.query).get("type")).toBe(format);
            }
        }
        expect(west.server.requests.every((entry) => entry.rawBody.startsWith("<?xml"))).toBe(true);
    });

    it("shows no changes on the next preview", async () => {
        await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
    });

    it("sees exactly the out-of-band edits on refresh, in both formats, then puts them back", async () => {
        east.editTrunk("east-register", { host: "rogue.example.net" });
        west.editTrunk("west-peer", { port: "5070" });
        west.editTrunk("west-account", { password: UI_PASSWORD });
        const refreshRec = recorder();
        const refresh = await stack.refresh({ onEvent: refreshRec.onEvent, onOutput: refreshRec.onOutput });
        expect(refresh.summary.resourceChanges).toMatchObject({ update: 3 });
        // The admin changed only the host: the domain keeps the old host, so it is no longer "the host"
        // (the default the program relies on) and shows as drift too. A changed secret is masked in the
        // engine's events: the step is there, the value stays hidden.
        const drift = ["east-register update [domain,host]", "west-account update", "west-peer update [port]"];
        expect(changes(refreshRec.record)).toEqual(drift);
        expect(refreshRec.record.stdout).toContain("east-register updated");
        expect(refreshRec.record.stdout).toMatch(/east-register updated \([\d.]+s\) \[diff: \+domain~host\]/);
        expect(refreshRec.record.stdout).toMatch(/west-peer updated \([\d.]+s\) \[diff: ~port\]/);
        expect(refreshRec.record.stdout).not.toContain(UI_PASSWORD);
        const state = dynamicResources(env.checkpoint("ov-lifecycle", "e2e"));
        const eastRegister = state.find((r) => r.urn.endsWith("::east-register"))!;
        expect(eastRegister.outputs?.["host"]).toBe("rogue.example.net");
        expect(eastRegister.inputs?.["host"]).toBe("rogue.example.net");

        const previewRec = recorder();
        await stack.preview({ onEvent: previewRec.onEvent });
        expect(changes(previewRec.record)).toEqual(drift);

        await stack.up();
        expect(trunk(east, "east-register").host).toBe("sip.itsp-a.example");
        expect(trunk(west, "west-peer").port).toBe("5062");
        expect(trunk(west, "west-account").password).toBe(ACCOUNT_PASSWORD);
        await stack.preview({ expectNoChanges: true });
    });

    it("updates in place, keeping the PBX's ids", async () => {
        const before = [trunk(east, "east-peer").id, trunk(west, "west-register").id];
        desired["east-peer"] = { ...(desired["east-peer"] as SipTrunkArgs & { trunkType: "peer" }), port: 5080 };
        desired["west-register"] = {
            ...(desired["west-register"] as SipTrunkArgs & { trunkType: "register" }),
            password: NEW_PASSWORD,
            extensionDods: [{ number: "5503301", name: "sales", extension: "1000" }],
        };
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        // The password changes too; as a secret it is not named in the engine's events.
        expect(changes(rec.record)).toEqual(["east-peer update [port]", "west-register update [extensionDods]"]);
        await stack.up();
        expect(trunk(east, "east-peer")).toMatchObject({ id: before[0], port: "5080" });
        expect(trunk(west, "west-register")).toMatchObject({
            id: before[1],
            password: NEW_PASSWORD,
            extensionsdod: "5503301-sales-1000",
        });
        await stack.preview({ expectNoChanges: true });
    });

    it("replaces a renamed trunk and a trunk whose type changes (deleting first: names are unique)", async () => {
        const oldAccount = trunk(east, "east-account").id;
        const oldPeer = trunk(west, "west-peer").id;
        desired["east-account"] = { ...desired["east-account"]!, name: "east-account-2" };
        desired["west-peer"] = {
            connection: "west",
            trunkType: "account",
            username: "7200",
            password: ACCOUNT_PASSWORD,
        };
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        // With delete-before-replace the plan also lists the delete-replaced / create-replacement steps.
        expect(changes(rec.record).filter((step) => / replace( |$)/.test(step))).toEqual([
            "east-account replace [name]",
            "west-peer replace [authName,host,password,port,trunkType,username]",
        ]);
        const upRec = recorder();
        await stack.up({ onEvent: upRec.onEvent });
        expect(
            upRec.record.steps
                .filter((step) => step.op === "delete-replaced")
                .map((step) => step.name)
                .sort(),
        ).toEqual(["east-account", "west-peer"]);
        expect(east.listTrunks().map((t) => t.trunkname)).not.toContain("east-account");
        expect(trunk(east, "east-account-2").id).not.toBe(oldAccount);
        expect(trunk(west, "west-peer")).toMatchObject({ trunktype: "account", username: "7200" });
        expect(trunk(west, "west-peer").id).not.toBe(oldPeer);
        await stack.preview({ expectNoChanges: true });
    });

    it("drops trunks deleted out of band on refresh, and recreates them on up", async () => {
        east.deleteTrunk("east-peer");
        west.deleteTrunk("west-register");
        const rec = recorder();
        const refresh = await stack.refresh({ onEvent: rec.onEvent, onOutput: rec.onOutput });
        expect(refresh.summary.resourceChanges).toMatchObject({ delete: 2 });
        expect(rec.record.stdout).toContain(
            "OpenVox SIP trunk east-peer no longer exists; it is removed from the stack",
        );
        expect(rec.record.stdout).toContain(
            "OpenVox SIP trunk west-register no longer exists; it is removed from the stack",
        );
        const previewRec = recorder();
        await stack.preview({ onEvent: previewRec.onEvent });
        expect(changes(previewRec.record)).toEqual(["east-peer create", "west-register create"]);
        await stack.up();
        expect(trunk(east, "east-peer").port).toBe("5080");
        expect(trunk(west, "west-register").password).toBe(NEW_PASSWORD);
    });

    it("keeps every secret out of the state, and the serialized provider small and credential-free", () => {
        for (const token of issuedTokens()) allTokens.add(token);
        const text = env.backendText();
        for (const secret of [
            API_PASSWORD,
            md5(API_PASSWORD),
            SIP_PASSWORD,
            ACCOUNT_PASSWORD,
            UI_PASSWORD,
            NEW_PASSWORD,
            ...allTokens,
        ]) {
            expect(text).not.toContain(secret);
        }
        expect(allTokens.size).toBeGreaterThan(0);
        const secretSig = "4dabf18193072939515e22adb298388d";
        for (const resource of dynamicResources(env.checkpoint("ov-lifecycle", "e2e"))) {
            if (resource.outputs?.["trunkType"] === "peer") {
                expect(resource.outputs).not.toHaveProperty("password");
                continue;
            }
            expect(resource.inputs?.["password"]).toHaveProperty([secretSig]);
            expect(resource.outputs?.["password"]).toHaveProperty([secretSig]);
            const serialized = resource.outputs?.["__provider"];
            expect(typeof serialized).toBe("string");
            expect((serialized as string).length).toBeLessThan(8_000);
            expect(serialized).toContain('require("pulumi-voip/dist/provider/runtime")');
            expect(serialized).not.toContain(REPO_ROOT);
        }
    });

    it("destroys every trunk it manages on both PBXs", async () => {
        await stack.destroy();
        expect(east.listTrunks()).toEqual([]);
        expect(west.listTrunks()).toEqual([]);
    });
});

describe("unknown values during preview", () => {
    it("validates what is known and creates what depends on another trunk's outputs", async () => {
        const stack = await env.stack({
            project: "ov-unknowns",
            stack: "e2e",
            program: () => {
                const first = new openvox.SipTrunk("first", {
                    connection: "west",
                    trunkType: "peer",
                    host: "192.0.2.10",
                });
                // Unknown until `first` exists: check sees Pulumi's unknown sentinel for name, port and password.
                new openvox.SipTrunk("second", {
                    connection: "west",
                    trunkType: "register",
                    name: pulumi.interpolate`${first.name}-b`,
                    host: "192.0.2.11",
                    port: first.port.apply((port) => (port ?? 5060) + 1),
                    username: "6100",
                    password: pulumi.secret(first.trunkId.apply((id) => `${SIP_PASSWORD}-${id}`)),
                });
                return Promise.resolve({});
            },
            config: connectionConfig("west", west, "xml"),
        });
        clearLogs();
        const rec = recorder();
        await stack.preview({ onEvent: rec.onEvent });
        expect(changes(rec.record)).toEqual(["first create", "second create"]);
        expect(west.server.requests).toEqual([]);
        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(trunk(west, "first-b")).toMatchObject({
            trunktype: "register",
            port: "5061",
            password: `${SIP_PASSWORD}-${trunk(west, "first").id ?? ""}`,
        });
        await stack.preview({ expectNoChanges: true });
        await stack.destroy();
        expect(west.listTrunks()).toEqual([]);
    });
});

describe("preview-time validation", () => {
    // The engine stops a preview at the first resource that fails `check`, so each case runs alone.
    it.each<[string, Record<string, unknown>, string, string]>([
        [
            "the name all",
            { name: "all", trunkType: "peer", host: "192.0.2.1" },
            "property name value {",
            'has a problem: must not be "all": the API reads it as every trunk (a delete would remove them all)',
        ],
        [
            "a name with a comma",
            { name: "a,b", trunkType: "peer", host: "192.0.2.1" },
            "property name value {",
            'has a problem: must not contain a comma: the API reads "a,b" as a list of trunks',
        ],
        [
            "a peer trunk with a password",
            { trunkType: "peer", host: "192.0.2.1", password: SIP_PASSWORD },
            "resource 'bad-trunk' has a problem: password:",
            "password: is not a property of a peer trunk (it takes host, port?, domain?); remove it",
        ],
        [
            "a register trunk without a password",
            { trunkType: "register", host: "192.0.2.1", username: "6100" },
            "resource 'bad-trunk' has a problem: password:",
            "password: is required for a register trunk",
        ],
        [
            "port 70000",
            { trunkType: "peer", host: "192.0.2.1", port: 70000 },
            "property port value {",
            "has a problem: must be between 1 and 65535",
        ],
        [
            "an unknown trunk type",
            { trunkType: "sip", host: "192.0.2.1" },
            "property trunkType value {",
            'has a problem: must be one of register, peer, account (got "sip")',
        ],
        [
            "a DOD name holding the wire separator",
            {
                trunkType: "peer",
                host: "192.0.2.1",
                extensionDods: [{ number: "5503301", name: "late-night", extension: "1000" }],
            },
            "property extensionDods value {",
            'has a problem: [0].name: must not contain "-", "," or control characters (they separate DOD entries)',
        ],
    ])("fails at preview on %s, naming the property, with zero API calls", async (_case, args, where, reason) => {
        const stack = await newStack("ov-validation");
        desired = { "bad-trunk": { connection: "east", ...args } as unknown as SipTrunkArgs };
        clearLogs();
        const rec = recorder();
        const error = await stack.preview({ onOutput: rec.onOutput }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(rec.record.stdout).toContain(where);
        expect(rec.record.stdout).toContain(reason);
        expect(rec.record.stdout).not.toContain(SIP_PASSWORD);
        // A secret property's failure is not reported against the property, so its value is never printed.
        expect(rec.record.stdout).not.toContain("property password value");
        expect([...east.server.requests, ...west.server.requests]).toHaveLength(0);
    });
});

describe("sessions on the engine", () => {
    it("finishes an up during which the token expires, logging in again once and never logging the token", async () => {
        const stack = await newStack("ov-expiry");
        desired = Object.fromEntries(
            Array.from({ length: 6 }, (_, index) => [
                `expiry-${index}`,
                { connection: "east", trunkType: "peer", host: `192.0.2.${index + 1}` },
            ]),
        );
        clearLogs();
        // The first login and 7 calls are served; the token then times out in the middle of the run.
        east.expireTokensAfter(7);
        const rec = recorder();
        process.env["PULUMI_VOIP_DEBUG"] = "1";
        let result;
        try {
            result = await stack.up({ onOutput: rec.onOutput });
        } finally {
            delete process.env["PULUMI_VOIP_DEBUG"];
        }
        expect(result.summary.result).toBe("succeeded");
        expect(east.loginAttempts.map((attempt) => attempt.outcome)).toEqual(["success", "success"]);
        expect(east.listTrunks().filter((t) => t.trunkname.startsWith("expiry-"))).toHaveLength(6);
        expect(rec.record.stdout).toContain("token expired, logging in again");
        for (const token of issuedTokens()) expect(rec.record.stdout).not.toContain(token);
        expect(rec.record.stdout).not.toContain(md5(API_PASSWORD));
        await stack.destroy();
        expect(east.listTrunks()).toEqual([]);
    });

    it("stops at a wrong API password with one clear error and exactly one login attempt", async () => {
        const stack = await newStack("ov-denied", WRONG_PASSWORD);
        desired = Object.fromEntries(
            ["denied-register", "denied-peer", "denied-account"].map((name, index) => [
                name,
                [
                    {
                        connection: "east",
                        trunkType: "register",
                        host: "192.0.2.1",
                        username: "1",
                        password: SIP_PASSWORD,
                    },
                    { connection: "east", trunkType: "peer", host: "192.0.2.2" },
                    { connection: "east", trunkType: "account", username: "2", password: SIP_PASSWORD },
                ][index] as SipTrunkArgs,
            ]),
        );
        clearLogs();
        const rec = recorder();
        const error = await stack.up({ onOutput: rec.onOutput }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        // One refused login, reported by each trunk that needed it before the engine stopped
        // starting new steps (how many did depends on timing).
        const reported = [...rec.record.stdout.matchAll(/error: (OpenVox PBX .*?log in "api-e2e" failed.*?)\n/g)].map(
            (match) => match[1] ?? "",
        );
        expect(reported.length).toBeGreaterThan(0);
        for (const line of reported) {
            expect(line).toMatch(
                /^OpenVox PBX "east": create SIP trunk "denied-(peer|register|account)": log in "api-e2e" failed \(code 30003\): login failed: wrong API username or password\. Not retried in this run: 5 failed logins lock this address out of the PBX for 10 minutes; check openvox:east\.username and openvox:east\.password/,
            );
        }
        expect(east.loginAttempts.map((attempt) => [attempt.username, attempt.outcome])).toEqual([
            [API_USER, "bad-credentials"],
        ]);
        expect(east.server.requests.map((entry) => entry.path)).toEqual(["/api/v0.0.1/login"]);
        expect(east.blockedIps()).toEqual([]);
        for (const secret of [WRONG_PASSWORD, md5(WRONG_PASSWORD), SIP_PASSWORD]) {
            expect(rec.record.stdout).not.toContain(secret);
            expect(String(error)).not.toContain(secret);
        }
        expect(east.listTrunks()).toEqual([]);
    });
});

describe("faults during a 20-trunk up", () => {
    it("ends with exactly 20 trunks, no duplicates and no error", async () => {
        const stack = await newStack("ov-faults");
        desired = Object.fromEntries(
            Array.from({ length: 20 }, (_, index) => [
                `burst-${index}`,
                {
                    connection: index % 2 === 0 ? "east" : "west",
                    trunkType: "register",
                    host: `itsp${index}.example.com`,
                    username: `u${index}`,
                    password: SIP_PASSWORD,
                },
            ]),
        );
        clearLogs();
        for (const sim of [east, west]) {
            sim.server.injectFaults(
                {
                    fault: { kind: "status", status: 429, headers: { "Retry-After": "1" }, body: "" },
                    times: 2,
                    path: /siptrunk/,
                },
                { fault: { kind: "status", status: 503, body: "" }, times: 2, path: /siptrunk\/query$/ },
                // The PBX commits these adds but the client only sees a failure.
                { fault: { kind: "status", status: 500, body: "" }, times: 2, path: /siptrunk\/add$/, when: "after" },
                { fault: { kind: "reset" }, times: 1, path: /siptrunk\/add$/, when: "after" },
                { fault: { kind: "reset" }, times: 1, path: /siptrunk\/query$/ },
            );
            sim.rejectNextWrites(2);
        }
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.summary.resourceChanges).toMatchObject({ create: 21 });
        expect(east.server.pendingFaults() + west.server.pendingFaults()).toBe(0);
        for (const sim of [east, west]) {
            const burst = sim.listTrunks().filter((t) => t.trunkname.startsWith("burst-"));
            expect(burst).toHaveLength(10);
            expect(new Set(burst.map((t) => t.trunkname)).size).toBe(10);
            expect(sim.loginAttempts).toHaveLength(1);
        }
        const ids = dynamicResources(env.checkpoint("ov-faults", "e2e")).map((r) => r.id);
        expect(new Set(ids)).toEqual(new Set(Object.keys(desired)));

        await stack.destroy();
        expect([...east.listTrunks(), ...west.listTrunks()]).toEqual([]);
    });
});
