import { resetProcessState } from "../../provider/core/process-state";
import type { Fault, FaultScope, RequestLogEntry } from "../simulators/core/server";
import { findLeaks, presentedTokens } from "./canaries";
import { EngineModel } from "./engine";
import type { DesiredState, VariantFixture } from "./fixtures/fixture";

/**
 * The fault matrix: every operation of every API variant, every HTTP exchange the operation
 * makes, every fault at that exchange. One cell plays what a user lives through: the operation
 * meets the fault, then the next `pulumi refresh` and `pulumi up` (or `destroy`) run without it,
 * and afterwards nothing is lost (no orphan, no duplicate, the stack knows every object) and
 * nothing leaked (no credential in any message, log line or stored output).
 */

// ---------------------------------------------------------------- faults

export interface FaultCase {
    name: string;
    /** Only APIs that hand out tokens can see this fault. */
    tokenOnly?: boolean;
    /** Injects the fault at the request `exchange` requests from now. */
    inject(fixture: VariantFixture, exchange: number): void;
}

function at(fault: Fault, when: "before" | "after", scope: FaultScope): FaultCase["inject"] {
    return (fixture, exchange) => {
        fixture.server.injectAt(exchange, fault, when, scope);
    };
}

/**
 * How far each fault reaches is chosen so that no retry hides it: a fault at exchange k hits
 * every attempt the client makes at that exchange (`retries`), so the operation has to live
 * with the exchange failing. Two faults model an outage that lasts until the operation ends:
 * a refused connection, and a proxy that lets requests through to the vendor but answers 502
 * for the rest of the operation (`onward`): the vendor committed, and whatever the client asks
 * next to find out what happened fails too.
 */
export const FAULTS: readonly FaultCase[] = [
    // The listening socket stays closed until the cell reopens it (see `injectAt`).
    { name: "connection refused", inject: at({ kind: "refuse" }, "before", "once") },
    { name: "reset before the vendor acts", inject: at({ kind: "reset" }, "before", "retries") },
    {
        name: "5xx after the vendor committed",
        inject: at(
            {
                kind: "status",
                status: 502,
                headers: { "Content-Type": "text/html" },
                body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
            },
            "after",
            "onward",
        ),
    },
    { name: "reset after the vendor committed", inject: at({ kind: "reset" }, "after", "retries") },
    { name: "headers then a cut body after commit", inject: at({ kind: "cut" }, "after", "retries") },
    { name: "stall past the timeout after commit", inject: at({ kind: "stall-body" }, "after", "retries") },
    {
        name: "429 with Retry-After",
        inject: at({ kind: "status", status: 429, headers: { "Retry-After": "0" }, body: "" }, "before", "retries"),
    },
    {
        name: "expired token",
        tokenOnly: true,
        inject: (fixture, exchange) => {
            const expire = fixture.expireTokens;
            if (expire === undefined) throw new Error(`${fixture.variant} has no tokens to expire`);
            fixture.server.injectAt(exchange, { kind: "tamper", run: expire }, "before", "once");
        },
    },
];

// ---------------------------------------------------------------- operations

export interface Operation {
    name: "create" | "update" | "replace" | "delete" | "read";
    /** Why this operation cannot happen for the variant, if it cannot. */
    notApplicable(fixture: VariantFixture): string | undefined;
    /** What the vendor must hold once the engine is done (none after a delete). */
    intended(fixture: VariantFixture): DesiredState[];
    /** The state before the operation, reached without faults. */
    prepare(engine: EngineModel, fixture: VariantFixture): Promise<boolean>;
    /** The operation itself (it meets the fault). */
    run(engine: EngineModel, fixture: VariantFixture): Promise<boolean>;
    /** What the engine does next, without faults: refresh, then up (or destroy) again. */
    recover(engine: EngineModel, fixture: VariantFixture): Promise<string | undefined>;
}

function replaced(fixture: VariantFixture): DesiredState {
    if (fixture.replaced === undefined) throw new Error(`${fixture.variant} has no replacing change`);
    return fixture.replaced;
}

async function refreshThenUp(engine: EngineModel, desired: DesiredState): Promise<string | undefined> {
    if (!(await engine.refresh())) return "the next refresh failed";
    if (!(await engine.up(desired.inputs))) return "the next up failed";
    return undefined;
}

const createBase = (engine: EngineModel, fixture: VariantFixture) => engine.up(fixture.base.inputs);
const nothing = () => Promise.resolve(true);

export const OPERATIONS: readonly Operation[] = [
    {
        name: "create",
        notApplicable: () => undefined,
        intended: (fixture) => [fixture.base],
        prepare: nothing,
        run: createBase,
        recover: (engine, fixture) => refreshThenUp(engine, fixture.base),
    },
    {
        name: "update",
        notApplicable: () => undefined,
        intended: (fixture) => [fixture.updated],
        prepare: createBase,
        run: (engine, fixture) => engine.up(fixture.updated.inputs),
        recover: (engine, fixture) => refreshThenUp(engine, fixture.updated),
    },
    {
        name: "replace",
        notApplicable: (fixture) =>
            fixture.replaced === undefined ? "no input of this resource forces a replacement" : undefined,
        intended: (fixture) => [replaced(fixture)],
        prepare: createBase,
        run: (engine, fixture) => engine.up(replaced(fixture).inputs),
        recover: (engine, fixture) => refreshThenUp(engine, replaced(fixture)),
    },
    {
        name: "delete",
        notApplicable: () => undefined,
        intended: () => [],
        prepare: createBase,
        run: (engine) => engine.destroy(),
        recover: async (engine) => {
            if (!(await engine.refresh())) return "the next refresh failed";
            if (!(await engine.destroy())) return "the next destroy failed";
            return undefined;
        },
    },
    {
        name: "read",
        notApplicable: () => undefined,
        intended: (fixture) => [fixture.base],
        prepare: createBase,
        run: (engine) => engine.refresh(),
        recover: (engine, fixture) => refreshThenUp(engine, fixture.base),
    },
];

// ---------------------------------------------------------------- one cell

export interface CellOutcome {
    /** The requests the operation made (the exchanges, when run without a fault). */
    exchanges: RequestLogEntry[];
    /** Why the cell failed; empty when it passed. */
    problems: string[];
}

/** An error the user reads names the vendor, what was being done, and the object. */
const OPERATION_WORDS =
    /\b(create|update|delete|read|refresh|list|look|find|get|add|remove|log ?in|query|detect|poll|wait)/i;

function capturedLog(): { lines: string[]; restore: () => void } {
    const lines: string[] = [];
    const capture =
        (stream: string) =>
        (...args: unknown[]): void => {
            lines.push(`${stream}: ${args.map(String).join(" ")}`);
        };
    const spies = [
        jest.spyOn(console, "error").mockImplementation(capture("console.error")),
        jest.spyOn(console, "warn").mockImplementation(capture("console.warn")),
        jest.spyOn(console, "log").mockImplementation(capture("console.log")),
        jest.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => {
            lines.push(`stderr: ${String(chunk)}`);
            return true;
        }),
    ];
    return {
        lines,
        restore: () => {
            for (const spy of spies) spy.mockRestore();
        },
    };
}

function holds(fields: Record<string, unknown>, expected: Record<string, unknown>): boolean {
    return Object.entries(expected).every(([key, value]) => JSON.stringify(fields[key]) === JSON.stringify(value));
}

/**
 * Runs one cell: `fault` at `exchange` of `operation` (no fault: the fault-free run that
 * discovers the exchanges, held to the same assertions).
 */
export async function runCell(
    fixture: VariantFixture,
    operation: Operation,
    fault?: { fault: FaultCase; exchange: number },
): Promise<CellOutcome> {
    const problems: string[] = [];
    const log = capturedLog();
    const engine = new EngineModel(fixture.definition.token, () => fixture.config());
    // Each engine step below is a new `pulumi` run: a new provider process, configured afresh.
    const newRun = async () => {
        resetProcessState();
        fixture.resetProcess();
        await engine.startRun();
    };
    let exchanges: RequestLogEntry[] = [];
    try {
        fixture.resetVendor();
        await newRun();
        if (!(await operation.prepare(engine, fixture))) {
            problems.push(`set-up failed: ${engine.failures.map((failure) => failure.shown).join("; ")}`);
            return { exchanges, problems };
        }
        const setUpFailures = engine.failures.length;

        await newRun();
        const firstRequest = fixture.server.requests.length;
        fault?.fault.inject(fixture, fault.exchange);
        const succeeded = await operation.run(engine, fixture);
        exchanges = fixture.server.requests.slice(firstRequest);
        await fixture.server.reopen();
        fixture.server.clearFaults();

        // (c) the operation succeeded, or its errors name vendor, operation and object.
        const operationFailures = engine.failures.slice(setUpFailures);
        if (!succeeded && operationFailures.length === 0) problems.push("the operation failed without an error");
        const names = [...fixture.objectNames, ...engine.resources.map((resource) => resource.id)];
        for (const failure of operationFailures) {
            // A check failure is printed by the CLI under the resource's type and name
            // (`pulumi-nodejs:dynamic/portsip:Trunk resource 'carrier': property connection ...`):
            // the reason itself must name the vendor and what was being done.
            const printedUnderResource = failure.hook === "check";
            const missing = [
                failure.shown.includes(fixture.definition.vendor) ? undefined : `vendor "${fixture.definition.vendor}"`,
                OPERATION_WORDS.test(failure.shown) ? undefined : "operation",
                printedUnderResource || failure.shown.includes(fixture.definition.noun)
                    ? undefined
                    : `object kind "${fixture.definition.noun}"`,
                printedUnderResource || names.some((name) => failure.shown.includes(name)) ? undefined : "object",
            ].filter((part) => part !== undefined);
            if (missing.length > 0) {
                problems.push(`${failure.hook} error does not name ${missing.join(", ")}: ${failure.shown}`);
            }
        }

        await newRun();
        const recoveryStart = engine.failures.length;
        const recovery = await operation.recover(engine, fixture);
        if (recovery !== undefined) {
            const why = engine.failures
                .slice(recoveryStart)
                .map((failure) => `${failure.hook}: ${failure.shown}`)
                .join("; ");
            problems.push(`${recovery}: ${why}`);
        }

        // (a) the vendor holds exactly the intended objects.
        const intended = operation.intended(fixture);
        const objects = fixture.vendorObjects();
        if (objects.length !== intended.length) {
            problems.push(
                `the vendor holds ${objects.length} object(s) where ${intended.length} intended: ${JSON.stringify(objects)}`,
            );
        } else {
            for (const [index, desired] of intended.entries()) {
                const object = objects[index];
                if (object !== undefined && !holds(object.fields, desired.holds)) {
                    problems.push(
                        `the vendor object ${object.id} holds ${JSON.stringify(object.fields)}, not ${JSON.stringify(desired.holds)}`,
                    );
                }
            }
        }
        // (b) the recorded state and the vendor agree: nothing exists that the stack does not know.
        const recorded = new Set(engine.resources.map((resource) => resource.id));
        const vendorIds = new Set(objects.map((object) => object.id));
        const orphans = [...vendorIds].filter((id) => !recorded.has(id));
        const ghosts = [...recorded].filter((id) => !vendorIds.has(id));
        if (orphans.length > 0) problems.push(`orphaned (at the vendor, not in the stack): ${orphans.join(", ")}`);
        if (ghosts.length > 0) problems.push(`in the stack but not at the vendor: ${ghosts.join(", ")}`);
    } finally {
        log.restore();
        await fixture.server.reopen();
        fixture.server.clearFaults();
    }

    // (d) no canary in any error, log line or stored output.
    const storedState = engine.resources.map((resource) =>
        Object.fromEntries(
            Object.entries(resource.outputs).filter(([key]) => !fixture.definition.secretInputs.includes(key)),
        ),
    );
    const texts = [
        ...engine.failures.flatMap((failure, index) => [
            { where: `error ${index + 1} (${failure.hook}) as shown`, text: failure.shown },
            { where: `error ${index + 1} (${failure.hook}) as thrown`, text: describeThrown(failure.error) },
        ]),
        ...log.lines.map((line, index) => ({ where: `log line ${index + 1}`, text: line })),
        { where: "stored state (secret outputs excluded)", text: JSON.stringify(storedState) },
    ];
    const canaries = [...fixture.canaries, ...presentedTokens(fixture.server)];
    for (const leak of findLeaks(canaries, texts)) {
        problems.push(`secret "${leak.secret}" leaked (${leak.form}) in ${leak.where}`);
    }
    return { exchanges, problems };
}

/**
 * Everything an error carries that could reach a user: message, stack, reasons, own fields. A
 * partial create's `properties` are left out: they become the stored outputs, checked as such.
 */
function describeThrown(error: unknown): string {
    if (!(error instanceof Error)) return String(error);
    let fields = "";
    try {
        fields = JSON.stringify(error, (key, value: unknown) => (key === "properties" ? undefined : value));
    } catch {
        fields = "(unserializable)";
    }
    return `${error.message} ${error.stack ?? ""} ${fields}`;
}

export function describeExchange(entry: RequestLogEntry | undefined): string {
    return entry === undefined ? "?" : `${entry.method} ${entry.path}`;
}
