#!/usr/bin/env bash
# The test command (README: `npm test`): set-up, lint (ESLint, Prettier, tsc), then every jest
# suite, including the e2e suites on the real pulumi CLI. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/prepare.sh >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

lint_failed=0
npm run --silent lint || lint_failed=1

results=$(mktemp --suffix=.json)
npx jest --ci --maxWorkers=1 --json --outputFile="$results" "$@"
jest_status=$?

node -e '
const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
const lintFailed = Number(process.argv[2]);
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`${r.numPassedTests + (lintFailed ? 0 : 1)} passed, ${r.numFailedTests + lintFailed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" "$lint_failed" 2>/dev/null || echo "0 passed, 1 failed"
rm -f "$results"
[ "$jest_status" -eq 0 ] && [ "$lint_failed" -eq 0 ]
