#!/usr/bin/env bash
# The `packages` phase of make test: every artefact a user installs, made from this tree and
# installed into a scratch environment of its own (see each script's header):
#   deb.sh     libakt0 and libakt-dev (cpack), unpacked and used via find_package/pkg-config
#   python.sh  sdist and manylinux wheel, in a fresh venv with no compiler on PATH
#   node.sh    npm pack's tarball, prebuilt and from source, in scratch npm projects
#   java.sh    the jar with its sources and javadoc jars, used by a scratch Maven project
#   scripts/packages/run.sh <build-dir> [deb|python|node|java ...]   (default: all four)
# The parts share nothing but the read-only tree and run PACKAGE_JOBS at a time (default:
# the number of CPUs, at most 2): alone, none keeps two cores busy (Maven and npm mostly
# wait), so two at once take about the time of the longer pair. Each part's output is kept
# in its work folder and printed whole when it ends, so parts never interleave.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh <build-dir> [part ...]}
shift
parts=("$@")
# Longest first, so the short ones fill in behind them.
[ ${#parts[@]} -gt 0 ] || parts=(java python node deb)
jobs=${PACKAGE_JOBS:-$(nproc)}
[ "$jobs" -le 2 ] || jobs=2
[ "$jobs" -ge 1 ] || jobs=1
work=$(mktemp -d "${TMPDIR:-/tmp}/akt-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT
rc=0
declare -A part_of=() # pid -> part

# Prints the output of the part that ran as pid and records its status.
report() {
    local pid=$1 status=$2 p=${part_of[$1]}
    cat "$work/$p.out"
    if [ "$status" -eq 0 ]; then
        echo "packages: $p ok in $(($(date +%s) - $(cat "$work/$p.start"))) s"
    else
        echo "packages: $p FAILED" >&2
        rc=1
    fi
    unset "part_of[$pid]"
}

# Waits for any running part and reports it.
reap_one() {
    local pid status
    wait -n -p pid "${!part_of[@]}"
    status=$?
    report "$pid" "$status"
}

for p in "${parts[@]}"; do
    [ -x "$here/$p.sh" ] || { echo "packages: no part '$p'" >&2; rc=1; continue; }
    while [ ${#part_of[@]} -ge "$jobs" ]; do reap_one; done
    date +%s >"$work/$p.start"
    "$here/$p.sh" "$build" "$work/$p" >"$work/$p.out" 2>&1 &
    part_of[$!]=$p
done
while [ ${#part_of[@]} -gt 0 ]; do reap_one; done
exit $rc
