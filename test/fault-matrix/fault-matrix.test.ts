import { resourceTypes } from "../../provider/runtime";
import { setStackConfig } from "../../provider/core/config";
import { clearRegisteredSecrets } from "../../provider/core/redact";
import type { RequestLogEntry } from "../simulators/core/server";
import { FIXTURES } from "./fixtures";
import { describeExchange, FAULTS, OPERATIONS, runCell } from "./matrix";

/**
 * The proof of "nothing lost, nothing leaked": see matrix.ts for what one cell asserts. Cells are
 * generated: each operation is first run without a fault, its requests in the simulator's log are
 * its exchanges, and every fault is then injected at each exchange in turn.
 */

interface FailedCell {
    variant: string;
    ms?: number;
    operation: string;
    fault: string;
    exchange: string;
    problems: string[];
}

const tally = { cells: 0, passed: 0, failed: 0, notApplicable: 0 };
const failedCells: FailedCell[] = [];

const timings: { cell: string; ms: number }[] = [];

function record(cell: Omit<FailedCell, "problems">, problems: string[]): void {
    tally.cells += 1;
    timings.push({ cell: `${cell.variant} ${cell.operation} ${cell.fault} ${cell.exchange}`, ms: cell.ms ?? 0 });
    if (problems.length === 0) {
        tally.passed += 1;
    } else {
        tally.failed += 1;
        failedCells.push({ ...cell, problems });
    }
}

function notApplicable(count: number): void {
    tally.cells += count;
    tally.notApplicable += count;
}

// Debug lines (retries, timings) are log lines too: they must be as clean as the rest.
const debugBefore = process.env["PULUMI_VOIP_DEBUG"];
beforeAll(() => {
    process.env["PULUMI_VOIP_DEBUG"] = "1";
});

afterAll(() => {
    if (debugBefore === undefined) delete process.env["PULUMI_VOIP_DEBUG"];
    else process.env["PULUMI_VOIP_DEBUG"] = debugBefore;
    setStackConfig(undefined);
    clearRegisteredSecrets();
    const { cells, passed, failed, notApplicable: skipped } = tally;
    console.log(`fault matrix: ${cells} cells, ${passed} passed, ${failed} failed, ${skipped} not applicable`);
    const reportPath = process.env["FAULT_MATRIX_REPORT"];
    if (reportPath !== undefined && reportPath !== "") {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- only when asked for a report file
        (require("node:fs") as typeof import("node:fs")).writeFileSync(
            reportPath,
            JSON.stringify({ tally, failedCells, timings }, null, 2),
        );
    }
});

it("has a fixture for every registered resource type", () => {
    const covered = new Set<string>(FIXTURES.map((fixture) => fixture.definition.token));
    expect(resourceTypes().filter((type) => !covered.has(type))).toEqual([]);
});

describe.each(FIXTURES.map((fixture) => [fixture.variant, fixture] as const))("%s", (_variant, fixture) => {
    beforeAll(() => fixture.start());
    afterAll(() => fixture.stop());

    describe.each(OPERATIONS.map((operation) => [operation.name, operation] as const))("%s", (_name, operation) => {
        const why = operation.notApplicable(fixture);
        let exchanges: RequestLogEntry[] = [];

        it("works without a fault (and so reveals its exchanges)", async () => {
            if (why !== undefined) {
                notApplicable(FAULTS.length);
                return;
            }
            const outcome = await runCell(fixture, operation);
            exchanges = outcome.exchanges;
            record(
                { variant: fixture.variant, operation: operation.name, fault: "none", exchange: "all" },
                outcome.problems,
            );
            expect(outcome.problems).toEqual([]);
            expect(exchanges.length).toBeGreaterThan(0);
        });

        it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
            "survives %s at every exchange",
            async (_fault, fault) => {
                if (why !== undefined) return;
                if (fault.tokenOnly === true && fixture.expireTokens === undefined) {
                    notApplicable(exchanges.length);
                    return;
                }
                const failed: string[] = [];
                for (const [index, entry] of exchanges.entries()) {
                    const exchange = `#${index + 1} ${describeExchange(entry)}`;
                    const started = Date.now();
                    const outcome = await runCell(fixture, operation, { fault, exchange: index });
                    const ms = Date.now() - started;
                    record(
                        { variant: fixture.variant, operation: operation.name, fault: fault.name, exchange, ms },
                        outcome.problems,
                    );
                    if (outcome.problems.length > 0)
                        failed.push(`${exchange}:\n    ${outcome.problems.join("\n    ")}`);
                }
                expect(failed).toEqual([]);
            },
        );
    });
});
