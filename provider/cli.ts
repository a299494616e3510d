#!/usr/bin/env node
import { EXPORT_USAGE, runExport } from "./export/command";
import { REVIEW_USAGE, runReview } from "./review/command";

/** `npx pulumi-voip <command>`: `export` (existing objects to a program) and `review` (a preview for a pull request). */

const USAGE = `usage: pulumi-voip <command> [options]

commands:
  export   write a Pulumi program that adopts every object of one vendor connection
  review   summarize \`pulumi preview --json\` for a pull-request comment

${EXPORT_USAGE}

${REVIEW_USAGE}`;

async function main(args: readonly string[]): Promise<number> {
    const [command, ...rest] = args;
    switch (command) {
        case "export":
            return runExport(rest, {
                stdout: (text) => process.stdout.write(text),
                stderr: (text) => process.stderr.write(text),
                env: process.env,
                cwd: process.cwd(),
            });
        case "review":
            return runReview(rest);
        case "--help":
        case "-h":
        case "help":
            process.stdout.write(`${USAGE}\n`);
            return 0;
        case undefined:
        default:
            process.stderr.write(
                `pulumi-voip: ${command === undefined ? "no command given" : `unknown command "${command}"`}\n${USAGE}\n`,
            );
            return 2;
    }
}

main(process.argv.slice(2)).then(
    (status) => {
        process.exitCode = status;
    },
    (error: unknown) => {
        process.stderr.write(`pulumi-voip: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    },
);
