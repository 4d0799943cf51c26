#!/usr/bin/env bash
# Builds the GoAkt peer benchmark and runs it, passing all arguments through
# (e.g. ./run.sh -bench=tell_1to1 -n 500000). JSON results go to stdout,
# diagnostics to stderr.
#
# Dependencies are pinned by go.mod/go.sum: the first build fetches them
# through the Go module proxy (or run `go mod download` here beforehand);
# later builds work offline from the module cache.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${BUILD_DIR:-$here/../../build}
bin=$build_dir/bench/goakt-bench

mkdir -p "$build_dir/bench"
# Build in a subshell so the caller's working directory is kept for the run.
(cd "$here" && go build -trimpath -o "$bin" .) >&2
exec "$bin" "$@"
