#!/usr/bin/env bash
# The test command (README: `npm test`): set-up, lint (ESLint, Prettier, tsc), then every jest
# suite, including the e2e suites on the real pulumi CLI. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/prepare.sh >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

lint_failed=0
npm run --silent lint || lint_failed=1

results=()
jest_status=0
run_jest() {
  local out
  out=$(mktemp --suffix=.json)
  results+=("$out")
  npx jest --ci --runInBand --json --outputFile="$out" "$@" || jest_status=1
}

if [ "$#" -gt 0 ]; then
  run_jest "$@"
else
  # Three jest processes instead of one: jest keeps a module registry per test file, many files
  # load the TypeScript compiler and the Pulumi SDK, and on Node 24 the memory outside the JS heap
  # grows with every file one process has run (a single process for every file passed 13 GB).
  run_jest test/unit test/contract test/simulators
  run_jest test/lifecycle test/fault-matrix
  run_jest test/e2e
fi

node -e '
const fs = require("node:fs");
const [lintFailed, ...files] = process.argv.slice(1);
let passed = Number(lintFailed) ? 0 : 1;
let failed = Number(lintFailed);
let skipped = 0;
for (const file of files) {
    let r;
    try {
        r = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        failed += 1; // a jest run that wrote no result (killed, crashed) counts as a failure
        continue;
    }
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    skipped += r.numPendingTests + r.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$lint_failed" "${results[@]}" 2>/dev/null || echo "0 passed, 1 failed"
rm -f "${results[@]}"
[ "$jest_status" -eq 0 ] && [ "$lint_failed" -eq 0 ]
