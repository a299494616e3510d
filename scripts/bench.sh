#!/usr/bin/env bash
# `npm run bench`: set-up, then scripts/bench.ts (BENCH_COUNT resources, default 200 and 1000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/prepare.sh >/dev/null
TS_NODE_TRANSPILE_ONLY=true exec node -r ts-node/register scripts/bench.ts
