import { z } from "zod";
import { ResourceInitError, VendorApiError } from "../../../provider/core/errors";
import { clearRegisteredSecrets } from "../../../provider/core/redact";
import { PULUMI_NAME_KEY } from "../../../provider/core/resource-class";
import { runHook, type AnyResourceDefinition } from "../../../provider/core/resource-definition";

/** A resource whose hooks fail in the ways the tests choose, quoting whatever they were given. */
interface Behaviour {
    failure?: (props: Record<string, unknown>) => unknown;
}

function definition(behaviour: Behaviour): AnyResourceDefinition {
    const fail = (props: object): void => {
        if (behaviour.failure !== undefined) throw behaviour.failure(props as Record<string, unknown>);
    };
    return {
        token: "acme:Widget",
        vendor: "acme",
        noun: "widget",
        stateVersion: 3,
        // Validation that needs I/O is an asynchronous refinement; check awaits it.
        inputSchema: () =>
            z.object({ name: z.string(), authorizationPassword: z.string().optional() }).superRefine(async (news) => {
                await Promise.resolve();
                fail(news);
            }),
        computedOutputs: [],
        secretInputs: ["authorizationPassword"],
        replaceOnChanges: [],
        adoption: { describeKey: () => "", findByKey: () => Promise.resolve([]), scope: () => "" },
        inventory: () => Promise.resolve([]),
        create: (inputs) => {
            fail(inputs);
            return Promise.resolve({ id: "w-1", outs: inputs });
        },
        read: (_id, state) => {
            fail(state);
            return Promise.resolve({ outs: state, inputs: state });
        },
        update: (_id, _olds, news) => {
            fail(news);
            return Promise.resolve(news);
        },
        delete: (_id, state) => {
            fail(state);
            return Promise.resolve();
        },
    };
}

function authError(operation: string, kind: "Auth" | "Forbidden" = "Auth"): VendorApiError {
    return new VendorApiError({
        kind,
        vendor: "acme",
        operation,
        object: "w-1",
        status: kind === "Auth" ? 401 : 403,
        vendorMessage: "login refused",
        request: "GET /widgets/w-1",
    });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
    return promise.then(
        () => {
            throw new Error("expected the hook to fail");
        },
        (error: unknown) => error,
    );
}

const STATE = { name: "w", stateVersion: 3, __provider: "serialized-provider" };

describe("runHook: secret inputs are registered the moment a hook sees them", () => {
    afterEach(clearRegisteredSecrets);

    // The hook quotes the secret, encoded as a vendor's echo would, in a plain Error.
    const echo = (props: Record<string, unknown>): Error => {
        const secret = String(props["authorizationPassword"]);
        return new Error(`vendor echoed ${encodeURIComponent(secret)} and ${JSON.stringify({ note: secret })}`);
    };

    // check serves no resource operation; the other hooks name the one they served.
    const hooks: [string, (secret: string) => unknown[], string][] = [
        ["check", (secret) => [{}, { name: "w", authorizationPassword: secret }], ""],
        ["create", (secret) => [{ name: "w", authorizationPassword: secret }], 'acme: create widget "w": '],
        [
            "read",
            (secret) => ["w-1", { ...STATE, authorizationPassword: secret }],
            'acme: refresh widget "w" (id w-1): ',
        ],
        [
            "update",
            (secret) => ["w-1", STATE, { name: "w", authorizationPassword: secret }],
            'acme: update widget "w" (id w-1): ',
        ],
        [
            "delete",
            (secret) => ["w-1", { ...STATE, authorizationPassword: secret }],
            'acme: delete widget "w" (id w-1): ',
        ],
    ];

    it.each(hooks)("in %s", async (hook, args, served) => {
        const secret = `canary ${hook} pw, with "quotes"`;
        const error = await failure(runHook(definition({ failure: echo }), hook as "check", args(secret)));
        const message = (error as Error).message;
        expect(message).toBe(`${served}vendor echoed [REDACTED] and {"note":"[REDACTED]"}`);
    });

    it("a short secret is masked where it stands as a value", async () => {
        const error = await failure(
            runHook(definition({ failure: echo }), "create", [{ name: "w", authorizationPassword: "q9" }]),
        );
        expect((error as Error).message).toBe('acme: create widget "w": vendor echoed q9 and {"note":"[REDACTED]"}');
    });
});

describe("runHook: a refused credential in refresh and destroy", () => {
    afterEach(clearRegisteredSecrets);

    it.each([
        ["read", "Auth"],
        ["delete", "Auth"],
        ["read", "Forbidden"],
        ["delete", "Forbidden"],
    ] as const)("%s failing with %s says the config of the last up was used", async (hook, kind) => {
        const resource = definition({ failure: () => authError(`${hook} widget`, kind) });
        const error = await failure(runHook(resource, hook, ["w-1", STATE]));
        expect(VendorApiError.isInstance(error, kind)).toBe(true);
        const vendorError = error as VendorApiError;
        expect(vendorError.status).toBe(kind === "Auth" ? 401 : 403);
        // The hook's own call (`read widget` serves refresh, `delete widget` destroy) gets no prefix.
        expect(vendorError.message).toBe(
            `acme: ${hook} widget "w-1" failed (HTTP ${vendorError.status}): login refused. refresh and destroy use ` +
                "the credentials from the stack config recorded at the last `pulumi up`; if you changed them since, run " +
                "`pulumi up` (or `pulumi refresh --run-program`, `pulumi destroy --run-program`) first",
        );
    });

    it("create and update keep the vendor's error as it is", async () => {
        const resource = definition({ failure: () => authError("create widget") });
        const error = await failure(runHook(resource, "create", [{ name: "w" }]));
        expect((error as Error).message).toBe('acme: create widget "w-1" failed (HTTP 401): login refused');
    });

    it("other kinds in read get no credential hint", async () => {
        const server = new VendorApiError({ kind: "Server", vendor: "acme", operation: "read widget", status: 502 });
        const error = await failure(runHook(definition({ failure: () => server }), "read", ["w-1", STATE]));
        expect(VendorApiError.isInstance(error, "Server")).toBe(true);
        const vendorError = error as VendorApiError;
        expect(vendorError.hint).toBeUndefined();
        expect(vendorError.status).toBe(502);
        expect(vendorError.message).toBe("acme: read widget failed (HTTP 502) [transient: retrying later may help]");
    });
});

describe("runHook: an error names the resource operation it served", () => {
    afterEach(clearRegisteredSecrets);

    it("adds the hook's operation to a lookup's error, not to the hook's own call", async () => {
        const refusal = (operation: string, object?: string): VendorApiError =>
            new VendorApiError({
                kind: "Auth",
                vendor: "acme",
                operation,
                object,
                status: 401,
                vendorMessage: "login refused",
            });
        const create = async (thrown: VendorApiError): Promise<VendorApiError> =>
            (await failure(
                runHook(definition({ failure: () => thrown }), "create", [{ name: "w" }]),
            )) as VendorApiError;

        const own = await create(refusal("create widget", "w"));
        expect(own.message).toBe('acme: create widget "w" failed (HTTP 401): login refused');
        expect(own.during).toBeUndefined();

        const lookup = await create(refusal("list widgets"));
        expect(lookup.message).toBe('acme: create widget "w": list widgets failed (HTTP 401): login refused');
        expect(lookup.during).toBe('create widget "w"');
        expect(VendorApiError.isInstance(lookup, "Auth")).toBe(true);
        expect(lookup.status).toBe(401);
    });
});

describe("runHook: a partial create or update reaches the engine complete", () => {
    afterEach(clearRegisteredSecrets);

    const vendorFailure = (): VendorApiError =>
        new VendorApiError({
            kind: "Timeout",
            vendor: "acme",
            operation: "read widget",
            object: "w-1",
            status: 504,
            vendorMessage: "gateway timeout",
        });

    it("create: reasons carry the vendor message; properties are plain, versioned, secret-free, with __provider", async () => {
        const resource = definition({
            failure: (props) =>
                new ResourceInitError(
                    "w-1",
                    { ...props, status: "UNKNOWN", missing: undefined, nested: { gone: undefined, kept: 1 } },
                    vendorFailure(),
                ),
        });
        const secret = "canary-partial-pw-77";
        const error = await failure(
            runHook(resource, "create", [{ name: "w", authorizationPassword: secret, __provider: "serialized-x" }]),
        );
        expect(error).toBeInstanceOf(ResourceInitError);
        const init = error as ResourceInitError;
        expect(init.id).toBe("w-1");
        expect(init.reasons).toEqual([
            'acme: read widget "w-1" failed (HTTP 504): gateway timeout [transient: retrying later may help]',
        ]);
        expect(init.properties).toEqual({
            name: "w",
            status: "UNKNOWN",
            nested: { kept: 1 },
            stateVersion: 3,
            __provider: "serialized-x",
        });
        expect(JSON.stringify(init)).not.toContain(secret);
    });

    it("update: __provider comes from the new inputs; earlier reasons are kept and redacted", async () => {
        const secret = "canary-update-pw-31";
        const resource = definition({
            failure: (props) =>
                new ResourceInitError(
                    "w-1",
                    props,
                    new ResourceInitError("w-1", {}, new Error(`first: password ${secret} rejected`)),
                ),
        });
        const error = (await failure(
            runHook(resource, "update", [
                "w-1",
                STATE,
                { name: "w2", authorizationPassword: secret, __provider: "serialized-new" },
            ]),
        )) as ResourceInitError;
        expect(error.reasons).toEqual(["first: password [REDACTED] rejected"]);
        expect(error.properties).toEqual({ name: "w2", stateVersion: 3, __provider: "serialized-new" });
    });
});

describe("runHook: the Pulumi resource name travels in the state, hidden from the hooks", () => {
    const seen: Record<string, unknown>[] = [];
    let gone = false;
    const named: AnyResourceDefinition = {
        token: "acme:Widget",
        vendor: "acme",
        noun: "widget",
        stateVersion: 1,
        // Strict, like every real schema: an unexpected key would fail the check.
        inputSchema: () => z.strictObject({ name: z.string() }),
        computedOutputs: [],
        secretInputs: [],
        replaceOnChanges: [],
        adoption: { describeKey: () => "", findByKey: () => Promise.resolve([]), scope: () => "" },
        inventory: () => Promise.resolve([]),
        create: (inputs) => {
            seen.push(inputs as Record<string, unknown>);
            return Promise.resolve({ id: "w-1", outs: inputs });
        },
        read: (_id, state) => {
            seen.push(state as Record<string, unknown>);
            const { stateVersion: _version, ...inputs } = state as Record<string, unknown>;
            return Promise.resolve(gone ? undefined : { outs: state, inputs });
        },
        update: (_id, olds, news) => {
            seen.push(olds as Record<string, unknown>, news as Record<string, unknown>);
            return Promise.resolve(news);
        },
        delete: (_id, state) => {
            seen.push(state as Record<string, unknown>);
            return Promise.resolve();
        },
    };
    const warnings: string[] = [];
    let stderr: jest.SpyInstance;
    beforeEach(() => {
        seen.length = 0;
        warnings.length = 0;
        gone = false;
        stderr = jest.spyOn(console, "error").mockImplementation((line: string) => void warnings.push(line));
    });
    afterEach(() => {
        stderr.mockRestore();
    });

    it("check keeps it beside the checked inputs; create stores it; no hook sees it", async () => {
        const checked = (await runHook(named, "check", [{}, { name: "w", [PULUMI_NAME_KEY]: "res-w" }])) as {
            inputs: Record<string, unknown>;
            failures: unknown[];
        };
        expect(checked).toEqual({ inputs: { name: "w", [PULUMI_NAME_KEY]: "res-w" }, failures: [] });
        const created = (await runHook(named, "create", [checked.inputs])) as { outs: Record<string, unknown> };
        expect(created.outs).toEqual({ name: "w", stateVersion: 1, [PULUMI_NAME_KEY]: "res-w" });
        const state = created.outs;
        await runHook(named, "read", ["w-1", state]);
        await runHook(named, "update", ["w-1", state, { name: "w2", [PULUMI_NAME_KEY]: "res-w" }]);
        await runHook(named, "delete", ["w-1", state]);
        expect(seen.filter((props) => PULUMI_NAME_KEY in props)).toEqual([]);
        expect(seen).toHaveLength(5);
    });

    it("read and update keep it in the state and the inputs they return", async () => {
        const state = { name: "w", stateVersion: 1, [PULUMI_NAME_KEY]: "res-w" };
        const read = (await runHook(named, "read", ["w-1", state])) as Record<string, Record<string, unknown>>;
        expect(read["props"]).toEqual(state);
        expect(read["inputs"]).toEqual({ name: "w", [PULUMI_NAME_KEY]: "res-w" });
        const updated = (await runHook(named, "update", [
            "w-1",
            state,
            { name: "w2", [PULUMI_NAME_KEY]: "res-w" },
        ])) as {
            outs: Record<string, unknown>;
        };
        expect(updated.outs).toEqual({ name: "w2", stateVersion: 1, [PULUMI_NAME_KEY]: "res-w" });
    });

    it("the refresh warning for a vanished object names the Pulumi resource", async () => {
        gone = true;
        await runHook(named, "read", ["w-1", { name: "w", stateVersion: 1, [PULUMI_NAME_KEY]: "res-w" }]);
        expect(warnings).toEqual([
            'pulumi-voip: warning: acme widget w-1 no longer exists; it is removed from the stack (Pulumi resource "res-w")',
        ]);
    });

    it("a schema that declares the key receives the name in check; diff never compares it", async () => {
        const received: unknown[] = [];
        const naming: AnyResourceDefinition = {
            ...named,
            inputSchema: () =>
                z.strictObject({ name: z.string(), [PULUMI_NAME_KEY]: z.string().optional() }).check((payload) => {
                    received.push(payload.value[PULUMI_NAME_KEY]);
                    payload.value = { ...payload.value, name: payload.value.name.toUpperCase() };
                }),
        };
        const checked = (await runHook(naming, "check", [{}, { name: "w", [PULUMI_NAME_KEY]: "res-w" }])) as {
            inputs: Record<string, unknown>;
        };
        expect(received).toEqual(["res-w"]);
        expect(checked.inputs).toEqual({ name: "W", [PULUMI_NAME_KEY]: "res-w" });
        // State written before the name was stored, against inputs that carry it: no change.
        await expect(runHook(naming, "diff", ["w-1", { name: "W", stateVersion: 1 }, checked.inputs])).resolves.toEqual(
            { changes: false, replaces: [], deleteBeforeReplace: false },
        );
    });

    it("state written before the name was stored still refreshes, with the warning as before", async () => {
        gone = true;
        await expect(runHook(named, "read", ["w-1", { name: "w", stateVersion: 1 }])).resolves.toEqual({
            id: "",
            props: {},
        });
        expect(warnings).toEqual([
            "pulumi-voip: warning: acme widget w-1 no longer exists; it is removed from the stack",
        ]);
    });
});
