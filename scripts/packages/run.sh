#!/usr/bin/env bash
# The `packages` phase of make test: every artefact a user installs, made from this tree and
# installed into a scratch environment of its own (see each script's header):
#   deb.sh     libakt0 and libakt-dev (cpack), unpacked and used via find_package/pkg-config
#   python.sh  sdist and manylinux wheel, in a fresh venv with no compiler on PATH
#   node.sh    npm pack's tarball, prebuilt and from source, in scratch npm projects
#   java.sh    the jar with its sources and javadoc jars, used by a scratch Maven project
#   scripts/packages/run.sh <build-dir> [deb|python|node|java ...]   (default: all four)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh <build-dir> [part ...]}
shift
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(deb python node java)
work=$(mktemp -d "${TMPDIR:-/tmp}/akt-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT
rc=0
for p in "${parts[@]}"; do
    [ -x "$here/$p.sh" ] || { echo "packages: no part '$p'" >&2; rc=1; continue; }
    start=$(date +%s)
    if "$here/$p.sh" "$build" "$work/$p"; then
        echo "packages: $p ok in $(($(date +%s) - start)) s"
    else
        echo "packages: $p FAILED" >&2
        rc=1
    fi
done
exit $rc
