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
 * The object Pulumi serializes into the state (`__provider`) for every pulumi-voip resource.
 *
 * It is deliberately thin: it holds only the resource type name, and each hook loads the runtime
 * of the *installed* pulumi-voip package at call time. Because `delete` and `refresh` run the code
 * stored in the old state, this keeps old state working with the package that is installed now
 * (fixes reach existing resources without an update), keeps the state small, and lets the
 * runtime hold process-wide state (stack config, per-host limits and sessions) that is never
 * serialized. Nothing here may capture a credential, a client or a schema.
 */
export class RuntimeProvider implements pulumi.dynamic.ResourceProvider {
    constructor(private readonly resourceType: string) {}

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        await loadRuntime().hook(this.resourceType, "configure", [req]);
    }

    async check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult> {
        return (await loadRuntime().hook(this.resourceType, "check", [olds, news])) as pulumi.dynamic.CheckResult;
    }

    async diff(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
        return (await loadRuntime().hook(this.resourceType, "diff", [id, olds, news])) as pulumi.dynamic.DiffResult;
    }

    async create(inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
        return (await loadRuntime().hook(this.resourceType, "create", [inputs])) as pulumi.dynamic.CreateResult;
    }

    async read(id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
        return (await loadRuntime().hook(this.resourceType, "read", [id, props])) as pulumi.dynamic.ReadResult;
    }

    async update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
        return (await loadRuntime().hook(this.resourceType, "update", [id, olds, news])) as pulumi.dynamic.UpdateResult;
    }

    async delete(id: string, props: unknown): Promise<void> {
        await loadRuntime().hook(this.resourceType, "delete", [id, props]);
    }
}

/**
 * The stable entry point of the installed package. It resolves from the program's directory,
 * where the provider process runs; the serializer never captures `require` itself.
 */
function loadRuntime(): RuntimeEntry {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at call time on purpose, see above
    return require("pulumi-voip/dist/provider/runtime") as RuntimeEntry;
}
