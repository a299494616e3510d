#!/usr/bin/env bash
# The demo command (README: `npm run demo`): set-up, then the root stack against local
# simulators on the real pulumi CLI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/prepare.sh >/dev/null
# Type-checking is `npm run lint`'s job; the demo only needs to run.
TS_NODE_TRANSPILE_ONLY=true exec node -r ts-node/register scripts/demo.ts
