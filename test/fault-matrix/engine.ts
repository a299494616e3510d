import { runtimeProvider, type RuntimeProvider } from "../../provider/core/delegate";
import type { Props } from "./fixtures/fixture";

/**
 * A small model of what the Pulumi engine and the Node dynamic-provider host do with one dynamic
 * resource, enough to play `pulumi up`, `pulumi refresh` and `pulumi destroy` against the real
 * hooks (through `runtimeProvider`, exactly as the serialized provider calls them).
 *
 * Host facts it keeps (from @pulumi/pulumi's cmd/dynamic-provider):
 * - the host finds the provider in the `__provider` property: of the new inputs for check, diff,
 *   create and update, of the *stored outputs* for read and delete. Stored outputs without it
 *   cannot be refreshed or deleted;
 * - on success it adds `__provider` to the outputs; a partial-create error (`id`, `properties`,
 *   `reasons`) is recorded with `properties` exactly as given, and the engine reports `reasons`;
 * - read, diff and delete failures are printed to stderr as `${error}: ${error.stack}`.
 * Engine facts: a resource recorded with init errors is updated on the next `up` even without a
 * diff; a replacement with create-before-delete keeps the old resource as pending delete until
 * its delete succeeds (retried by the next `up`).
 */

export const SERIALIZED_PROVIDER = "<serialized pulumi-voip provider>";

export interface StackResource {
    id: string;
    /** The inputs recorded with it (what `check` gets as olds next time). */
    inputs: Props;
    /** What the state stores as the resource's outputs (`__provider` included when the host added it). */
    outputs: Props;
    /** A partially created resource: the next `up` updates it. */
    initErrors: boolean;
    /** The old half of a create-before-delete replacement, still to delete. */
    pendingDelete: boolean;
}

/** A failure the engine would show: the hook, and what the user reads (for partial creates: the reasons). */
export interface EngineFailure {
    hook: string;
    shown: string;
    error: unknown;
}

export class NoProviderInStateError extends Error {
    constructor(hook: string) {
        super(`dynamic-provider host: cannot ${hook}: the stored state has no __provider to load the provider from`);
    }
}

function isPartialCreate(error: unknown): error is { id: string; properties?: Props; reasons?: string[] } {
    return typeof error === "object" && error !== null && typeof (error as { id?: unknown }).id === "string";
}

function shownMessage(error: unknown): string {
    if (isPartialCreate(error) && Array.isArray(error.reasons)) return error.reasons.join("; ");
    return error instanceof Error ? error.message : String(error);
}

export class EngineModel {
    readonly resources: StackResource[] = [];
    /** Every failure of every hook call, in order. */
    readonly failures: EngineFailure[] = [];
    private readonly provider: RuntimeProvider;

    constructor(
        resourceType: string,
        private readonly config: () => Record<string, string>,
    ) {
        this.provider = runtimeProvider(resourceType);
    }

    /** The engine configures the provider process once per run, before any hook. */
    async startRun(): Promise<void> {
        const config = this.config();
        await this.provider.configure({
            config: { get: (key: string) => config[key], require: (key: string) => config[key] ?? "" },
        });
    }

    /** `pulumi up` with one resource whose program inputs are `raw`. Resolves to whether it succeeded. */
    async up(raw: Props): Promise<boolean> {
        const live = this.resources.find((resource) => !resource.pendingDelete);
        const inputs = await this.call("check", () =>
            this.provider.check(live?.inputs ?? {}, { __provider: SERIALIZED_PROVIDER, ...raw }),
        );
        if (inputs === undefined) return false;
        if ((inputs.failures ?? []).length > 0) {
            this.fail("check", new Error(`check failures: ${JSON.stringify(inputs.failures)}`));
            return false;
        }
        // The host puts `__provider` back into the checked inputs, whatever `check` returned.
        const news = { ...(inputs.inputs as Props), __provider: SERIALIZED_PROVIDER };
        let ok = true;
        if (live === undefined) {
            ok = await this.create(news);
        } else {
            const diff = await this.call("diff", () => this.provider.diff(live.id, live.outputs, news), {
                printed: true,
            });
            if (diff === undefined) return false;
            if ((diff.replaces ?? []).length > 0) {
                ok =
                    diff.deleteBeforeReplace === true
                        ? await this.deleteThenCreate(live, news)
                        : await this.createThenDelete(live, news);
            } else if (diff.changes === true || live.initErrors) {
                ok = await this.update(live, news);
            }
        }
        for (const pending of this.resources.filter((resource) => resource.pendingDelete)) {
            ok = (await this.deleteResource(pending)) && ok;
        }
        return ok;
    }

    /** `pulumi refresh`: reads every recorded resource; an empty id removes it. */
    async refresh(): Promise<boolean> {
        let ok = true;
        for (const resource of [...this.resources]) {
            const read = await this.call(
                "read",
                () => {
                    this.requireProvider("read", resource.outputs);
                    return this.provider.read(resource.id, resource.outputs);
                },
                { printed: true },
            );
            if (read === undefined) {
                ok = false;
            } else if (read.id === "" || read.id === undefined) {
                this.remove(resource);
            } else {
                resource.outputs = { ...(read.props as Props), __provider: resource.outputs["__provider"] };
            }
        }
        return ok;
    }

    /** `pulumi destroy`. */
    async destroy(): Promise<boolean> {
        let ok = true;
        for (const resource of [...this.resources]) ok = (await this.deleteResource(resource)) && ok;
        return ok;
    }

    private async create(news: Props): Promise<boolean> {
        const created = await this.call("create", () => this.provider.create(news), { partialInputs: news });
        if (created === undefined) return false;
        this.resources.push({
            id: created.id,
            inputs: news,
            outputs: { ...(created.outs as Props), __provider: news["__provider"] },
            initErrors: false,
            pendingDelete: false,
        });
        return true;
    }

    private async update(live: StackResource, news: Props): Promise<boolean> {
        const updated = await this.call("update", () => this.provider.update(live.id, live.outputs, news), {
            partialInputs: news,
        });
        if (updated === undefined) return false;
        live.outputs = { ...(updated.outs as Props), __provider: news["__provider"] };
        live.inputs = news;
        live.initErrors = false;
        return true;
    }

    private async deleteThenCreate(live: StackResource, news: Props): Promise<boolean> {
        if (!(await this.deleteResource(live))) return false;
        return this.create(news);
    }

    private async createThenDelete(live: StackResource, news: Props): Promise<boolean> {
        const created = await this.create(news);
        if (!created) return false;
        live.pendingDelete = true;
        return this.deleteResource(live);
    }

    private async deleteResource(resource: StackResource): Promise<boolean> {
        const deleted = await this.call(
            "delete",
            async () => {
                this.requireProvider("delete", resource.outputs);
                await this.provider.delete(resource.id, resource.outputs);
                return true;
            },
            { printed: true },
        );
        if (deleted === undefined) return false;
        this.remove(resource);
        return true;
    }

    private remove(resource: StackResource): void {
        this.resources.splice(this.resources.indexOf(resource), 1);
    }

    private requireProvider(hook: string, stored: Props): void {
        if (typeof stored["__provider"] !== "string") throw new NoProviderInStateError(hook);
    }

    /**
     * Runs one hook; a failure is recorded (a partial create is recorded in the state as the
     * engine does) and `undefined` returned. `printed`: the host prints this hook's failures.
     */
    private async call<T>(
        hook: string,
        run: () => Promise<T>,
        options: { printed?: boolean; partialInputs?: Props } = {},
    ): Promise<T | undefined> {
        try {
            return await run();
        } catch (error) {
            if ((hook === "create" || hook === "update") && isPartialCreate(error)) {
                const existing = this.resources.find((resource) => resource.id === error.id && !resource.pendingDelete);
                const outputs = { ...(error.properties ?? {}) };
                if (existing === undefined) {
                    this.resources.push({
                        id: error.id,
                        inputs: options.partialInputs ?? {},
                        outputs,
                        initErrors: true,
                        pendingDelete: false,
                    });
                } else {
                    existing.outputs = outputs;
                    existing.inputs = options.partialInputs ?? existing.inputs;
                    existing.initErrors = true;
                }
            }
            if (options.printed === true) {
                const stack = error instanceof Error ? (error.stack ?? "") : "";
                console.error(`${String(error)}: ${stack}`);
            }
            this.fail(hook, error);
            return undefined;
        }
    }

    private fail(hook: string, error: unknown): void {
        this.failures.push({ hook, shown: shownMessage(error), error });
    }
}
