import type * as pulumi from "@pulumi/pulumi";

/** The dynamic-provider hooks, as the runtime entry point names them. */
export type HookName = "configure" | "check" | "diff" | "create" | "read" | "update" | "delete";

/**
 * What the runtime entry point (`provider/runtime.ts`) exports: declared here so the core depends
 * on no vendor, and checked there against this shape.
 */
export interface RuntimeEntry {
    hook(resourceType: string, name: HookName, args: unknown[]): Promise<unknown>;
}

/**
 * Runs one hook of the *installed* package's runtime for a resource type. The entry point
 * resolves from the program's directory, where the provider process runs; the serializer never
 * captures `require` itself.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded at call time on purpose, see runtimeProvider */
function hook(resourceType: string, name: HookName, args: unknown[]): Promise<unknown> {
    return (require("pulumi-voip/dist/provider/runtime") as RuntimeEntry).hook(resourceType, name, args);
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The object Pulumi serializes into the state (`__provider`) for every pulumi-voip resource.
 *
 * It is deliberately thin: it holds only the resource type name, and each hook loads the runtime
 * of the *installed* pulumi-voip package at call time. Because `delete` and `refresh` run the code
 * stored in the old state, this keeps old state working with the package that is installed now
 * (fixes reach existing resources without an update), and lets the runtime hold process-wide
 * state (stack config, per-host limits and sessions) that is never serialized. Nothing here may
 * capture a credential, a client or a schema.
 *
 * A plain object with one-line methods and no comment inside them: every character of their text
 * is stored twice per resource (inputs and outputs), and the engine rewrites the whole state after
 * each step, so the state's size is paid per step.
 */
export function runtimeProvider(resourceType: string) {
    const provider = {
        resourceType,
        async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
            await hook(this.resourceType, "configure", [req]);
        },
        check(olds: unknown, news: unknown) {
            return hook(this.resourceType, "check", [olds, news]) as Promise<pulumi.dynamic.CheckResult>;
        },
        diff(id: string, olds: unknown, news: unknown) {
            return hook(this.resourceType, "diff", [id, olds, news]) as Promise<pulumi.dynamic.DiffResult>;
        },
        create(inputs: unknown) {
            return hook(this.resourceType, "create", [inputs]) as Promise<pulumi.dynamic.CreateResult>;
        },
        read(id: string, props: unknown) {
            return hook(this.resourceType, "read", [id, props]) as Promise<pulumi.dynamic.ReadResult>;
        },
        update(id: string, olds: unknown, news: unknown) {
            return hook(this.resourceType, "update", [id, olds, news]) as Promise<pulumi.dynamic.UpdateResult>;
        },
        async delete(id: string, props: unknown): Promise<void> {
            await hook(this.resourceType, "delete", [id, props]);
        },
    };
    return provider satisfies pulumi.dynamic.ResourceProvider;
}

/** The serialized provider of one resource type, as the hooks' callers (and tests) drive it. */
export type RuntimeProvider = ReturnType<typeof runtimeProvider>;
