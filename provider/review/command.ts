#!/usr/bin/env node
import * as fs from "node:fs";
import { policyViolationsOfEventLog, reviewSummary, type PolicyViolation, type PreviewDocument } from "./summary";

/**
 * `pulumi-voip review [--events <event log>] < preview.json`: prints the Markdown summary of a
 * `pulumi preview --json` document for a pull-request comment. `pulumi preview --json` leaves
 * policy violations out of its JSON; they come from the engine event log of the same preview
 * (`pulumi preview --json --event-log <file>`), passed with `--events`.
 */

const USAGE = "usage: pulumi-voip review [--events <event-log.jsonl>] < preview.json";

function fail(message: string): never {
    process.stderr.write(`pulumi-voip review: ${message}\n${USAGE}\n`);
    process.exit(2);
}

function parseArguments(args: readonly string[]): { eventsFile?: string } {
    const [command, ...rest] = args;
    if (command !== "review") fail(command === undefined ? "no command given" : `unknown command "${command}"`);
    if (rest.length === 0) return {};
    if (rest[0] === "--events" && rest[1] !== undefined && rest.length === 2) return { eventsFile: rest[1] };
    return fail(`unexpected arguments: ${rest.join(" ")}`);
}

function main(): void {
    const { eventsFile } = parseArguments(process.argv.slice(2));
    if (process.stdin.isTTY) fail("pipe the output of `pulumi preview --json` into it");
    let preview: PreviewDocument;
    try {
        preview = JSON.parse(fs.readFileSync(0, "utf8")) as PreviewDocument;
    } catch (error) {
        fail(`standard input is not the JSON of \`pulumi preview --json\`: ${(error as Error).message}`);
    }
    let violations: PolicyViolation[] = [];
    if (eventsFile !== undefined) {
        try {
            violations = policyViolationsOfEventLog(fs.readFileSync(eventsFile, "utf8"));
        } catch (error) {
            fail(`${eventsFile} is not an engine event log: ${(error as Error).message}`);
        }
    }
    process.stdout.write(reviewSummary(preview, violations));
}

main();
