import { runtimeProvider, type RuntimeProvider } from "../../provider/core/delegate";
import { resetProcessState } from "../../provider/core/process-state";
import type { RequestLogEntry, SimulatorServer } from "../simulators/core/server";

/**
 * The set-up every lifecycle file shares: the hooks exactly as the engine calls them (through the
 * serialized provider's class, whose `require` jest maps to the TypeScript runtime), against
 * simulators on 127.0.0.1. Each test starts as a new `pulumi` run would: no process state left by
 * the previous test (sessions, claims, caches, stack config, registered secrets), simulators back
 * to their seed with no faults or latency, the stack config freshly set, empty request logs.
 */

/** A vendor simulator as the harness drives it. */
export interface LifecycleSimulator {
    readonly server: SimulatorServer;
    start(): Promise<unknown>;
    stop(): Promise<void>;
    /** Back to the seeded state; called before each test when the simulator has it. */
    reset?(): void;
}

export interface LifecycleOptions {
    /** The resource type token, as the serialized provider names it (`vendor:Type`). */
    type: string;
    /** Started once for the file, stopped after it. */
    simulators: readonly LifecycleSimulator[];
    /** The stack config each test starts with; called once the simulators listen, so their URLs are known. */
    config: () => Record<string, string>;
    /** Texts no provider log line may contain in any test (API keys, passwords). */
    secrets?: readonly string[];
}

export interface Lifecycle {
    /** One serialized provider for the whole file, configured before each test. */
    readonly provider: RuntimeProvider;
    /** What the provider wrote to stderr (console.error) during the current test, one entry per call. */
    readonly logLines: string[];
    /** Sets the stack config of {@link LifecycleOptions.config} with `overrides` on top (absent keys stay absent). */
    configure: (overrides?: Record<string, string>) => Promise<void>;
    /** `check` as the engine calls it; expects no failures and returns the canonical inputs. */
    checked: (news: Record<string, unknown>) => Promise<Record<string, unknown>>;
    /** `check` then `create`. */
    created: (news: Record<string, unknown>) => ReturnType<RuntimeProvider["create"]>;
}

/** Registers the file's beforeAll/afterAll/beforeEach/afterEach and returns what its tests use. */
export function lifecycle(options: LifecycleOptions): Lifecycle {
    const provider = runtimeProvider(options.type);
    const logLines: string[] = [];

    async function configure(overrides: Record<string, string> = {}): Promise<void> {
        const config: Record<string, string> = { ...options.config(), ...overrides };
        await provider.configure({ config: { get: (key) => config[key], require: (key) => config[key] ?? "" } });
    }

    async function checked(news: Record<string, unknown>): Promise<Record<string, unknown>> {
        const result = await provider.check({}, { __provider: "serialized", ...news });
        expect(result.failures ?? []).toEqual([]);
        return result.inputs as Record<string, unknown>;
    }

    beforeAll(async () => {
        for (const simulator of options.simulators) await simulator.start();
    });
    afterAll(async () => {
        for (const simulator of options.simulators) await simulator.stop();
        resetProcessState();
    });
    beforeEach(async () => {
        resetProcessState();
        for (const simulator of options.simulators) {
            simulator.reset?.();
            simulator.server.clearFaults();
            simulator.server.latencyMs = 0;
        }
        await configure();
        for (const simulator of options.simulators) simulator.server.clearLog();
        logLines.length = 0;
        jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
            logLines.push(args.map(String).join(" "));
        });
    });
    afterEach(() => {
        jest.restoreAllMocks();
        const all = logLines.join("\n");
        for (const secret of options.secrets ?? []) expect(all).not.toContain(secret);
    });

    return {
        provider,
        logLines,
        configure,
        checked,
        created: async (news) => provider.create(await checked(news)),
    };
}

/** The error `promise` rejects with; fails the test when it resolves. */
export function errorOf(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
        () => {
            throw new Error("expected a failure");
        },
        (error: unknown) => {
            expect(error).toBeInstanceOf(Error);
            return error as Error;
        },
    );
}

/** `METHOD /path?query -> outcome` of every request `server` received, in arrival order. */
export function requestLog(server: SimulatorServer): string[] {
    return server.requests.map(describeRequest);
}

function describeRequest(entry: RequestLogEntry): string {
    return `${entry.method} ${entry.path}${entry.query} -> ${String(entry.outcome)}`;
}
