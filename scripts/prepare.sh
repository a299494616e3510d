#!/usr/bin/env bash
# Everything the tests and the demo need on a fresh machine, idempotent: npm packages, the
# compiled package, `node_modules/pulumi-voip` pointing at this checkout (the serialized
# providers load the installed package by name, as they do in a user's project), and the real
# pulumi CLI. Prints the CLI prefix as its last line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules/@pulumi/pulumi ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[prepare] npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi

echo "[prepare] building the package" >&2
rm -rf dist
npm run --silent build >&2

# Relative, so a copy of the checkout links to itself, not to this one.
ln -sfn .. node_modules/pulumi-voip

bash scripts/ensure-pulumi-cli.sh
