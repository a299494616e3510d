import { z } from "zod";
import { ResourceInitError, VendorApiError } from "../../../provider/core/errors";
import { clearRegisteredSecrets } from "../../../provider/core/redact";
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
        type: "acme:Widget",
        vendor: "acme",
        noun: "widget",
        stateVersion: 3,
        inputSchema: () => z.object({ name: z.string(), authorizationPassword: z.string().optional() }),
        secretInputs: ["authorizationPassword"],
        replaceOnChanges: [],
        upgradeState: (state) => state,
        prepareCheck: (news) => {
            fail(news);
            return Promise.resolve();
        },
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

    const hooks: [string, (secret: string) => unknown[]][] = [
        ["check", (secret) => [{}, { name: "w", authorizationPassword: secret }]],
        ["create", (secret) => [{ name: "w", authorizationPassword: secret }]],
        ["read", (secret) => ["w-1", { ...STATE, authorizationPassword: secret }]],
        ["update", (secret) => ["w-1", STATE, { name: "w", authorizationPassword: secret }]],
        ["delete", (secret) => ["w-1", { ...STATE, authorizationPassword: secret }]],
    ];

    it.each(hooks)("in %s", async (hook, args) => {
        const secret = `canary ${hook} pw, with "quotes"`;
        const error = await failure(runHook(definition({ failure: echo }), hook as "check", args(secret)));
        const message = (error as Error).message;
        expect(message).toBe('vendor echoed [REDACTED] and {"note":"[REDACTED]"}');
    });

    it("a short secret is masked where it stands as a value", async () => {
        const error = await failure(
            runHook(definition({ failure: echo }), "create", [{ name: "w", authorizationPassword: "q9" }]),
        );
        expect((error as Error).message).toBe('vendor echoed q9 and {"note":"[REDACTED]"}');
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

    it("other kinds in read are unchanged", async () => {
        const server = new VendorApiError({ kind: "Server", vendor: "acme", operation: "read widget", status: 502 });
        const error = await failure(runHook(definition({ failure: () => server }), "read", ["w-1", STATE]));
        expect(error).toBe(server);
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
