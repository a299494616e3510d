#!/usr/bin/env bash
# Provides the real `pulumi` CLI for the e2e tests and the demo, and prints the directory that
# holds it (its `bin/` has `pulumi` and the dynamic-provider shim) as the last line of stdout.
#
# Order: PULUMI_CLI_PREFIX/bin if it already holds the pinned version; else a `pulumi` on PATH
# of the pinned version; else build it once from the Go module proxy into a cache outside the
# repository (see shared/reference/pulumi-cli-offline.md). The version is the exact
# `@pulumi/pulumi` devDependency pinned in package.json, so CLI and SDK always match.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(node -p 'require(process.argv[1]).devDependencies["@pulumi/pulumi"].replace(/^[^0-9]*/, "")' "$repo_root/package.json")
prefix=${PULUMI_CLI_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-voip/pulumi-cli/v$version}
log() { printf '[ensure-pulumi-cli] %s\n' "$*" >&2; }

install_shim() {
  # The engine starts dynamic resources through this shim; it must sit next to `pulumi` or the
  # CLI warns "using pulumi-resource-pulumi-nodejs from $PATH" on every operation.
  local shim="$repo_root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ -f "$shim" ]; then
    cp "$shim" "$prefix/bin/pulumi-resource-pulumi-nodejs"
    chmod 0755 "$prefix/bin/pulumi-resource-pulumi-nodejs"
  else
    log "warning: $shim is missing; run npm ci first"
  fi
}

if [ -x "$prefix/bin/pulumi" ] && [ "$("$prefix/bin/pulumi" version 2>/dev/null)" = "v$version" ]; then
  install_shim
  echo "$prefix"
  exit 0
fi

if command -v pulumi >/dev/null 2>&1 && [ "$(pulumi version 2>/dev/null)" = "v$version" ]; then
  mkdir -p "$prefix/bin"
  ln -sf "$(command -v pulumi)" "$prefix/bin/pulumi"
  install_shim
  echo "$prefix"
  exit 0
fi

# One build at a time: parallel test workers (or two checkouts) wait for the first one's build
# instead of starting their own; the check is repeated under the lock.
mkdir -p "$prefix"
exec 9>"$prefix.lock"
flock 9
if [ -x "$prefix/bin/pulumi" ] && [ "$("$prefix/bin/pulumi" version 2>/dev/null)" = "v$version" ]; then
  install_shim
  echo "$prefix"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "no pulumi v$version on PATH and no Go toolchain to build it"; exit 1; }

log "building pulumi v$version from the Go module proxy into $prefix (cold: about 8 minutes)"
started=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
(
  cd "$work"
  # A throw-away wrapper module: `go install pkg/v3/cmd/pulumi@v…` refuses because pkg's
  # go.mod has replace directives. The clipboard replace mirrors upstream's release build.
  go mod init local.invalid/pulumi-cli-build >/dev/null 2>&1
  go mod edit -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2
  mkdir -p "$prefix/bin"
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$prefix/bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  mv "$prefix/bin/pulumi.tmp" "$prefix/bin/pulumi"
)
[ "$("$prefix/bin/pulumi" version)" = "v$version" ] || { log "built CLI does not report v$version"; exit 1; }
install_shim
log "built pulumi v$version in $(( $(date +%s) - started ))s"
echo "$prefix"
