import * as fs from "node:fs";
import { policyViolationsOfEventLog, reviewSummary, type PolicyViolation, type PreviewDocument } from "./summary";

/**
 * `pulumi-voip review [--events <event log>] < preview.json`: prints the Markdown summary of a
 * `pulumi preview --json` document for a pull-request comment. `pulumi preview --json` leaves
 * policy violations out of its JSON; they come from the engine event log of the same preview
 * (`pulumi preview --json --event-log <file>`), passed with `--events`.
 */

export const REVIEW_USAGE = "usage: pulumi-voip review [--events <event-log.jsonl>] < preview.json";

class UsageError extends Error {}

function parseArguments(args: readonly string[]): { eventsFile?: string } {
    if (args.length === 0) return {};
    if (args[0] === "--events" && args[1] !== undefined && args.length === 2) return { eventsFile: args[1] };
    throw new UsageError(`unexpected arguments: ${args.join(" ")}`);
}

/** `pulumi-voip review ...`: the exit status, having written the summary or said why not (status 2). */
export function runReview(args: readonly string[]): number {
    const fail = (message: string): number => {
        process.stderr.write(`pulumi-voip review: ${message}\n${REVIEW_USAGE}\n`);
        return 2;
    };
    let eventsFile: string | undefined;
    try {
        ({ eventsFile } = parseArguments(args));
    } catch (error) {
        return fail((error as Error).message);
    }
    if (process.stdin.isTTY) return fail("pipe the output of `pulumi preview --json` into it");
    let preview: PreviewDocument;
    try {
        preview = JSON.parse(fs.readFileSync(0, "utf8")) as PreviewDocument;
    } catch (error) {
        return fail(`standard input is not the JSON of \`pulumi preview --json\`: ${(error as Error).message}`);
    }
    let violations: PolicyViolation[] = [];
    if (eventsFile !== undefined) {
        try {
            violations = policyViolationsOfEventLog(fs.readFileSync(eventsFile, "utf8"));
        } catch (error) {
            return fail(`${eventsFile} is not an engine event log: ${(error as Error).message}`);
        }
    }
    process.stdout.write(reviewSummary(preview, violations));
    return 0;
}
