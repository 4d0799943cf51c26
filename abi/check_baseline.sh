#!/usr/bin/env bash
# abi_baseline test: the built libakt.so is backward compatible with the committed baseline.
#  - abidiff, public types only (abi/include): a removed function, a changed function or
#    type fails, except members appended to a size-first struct; added functions pass.
#  - the header's #define constants: a removed or changed value fails; new ones pass.
#
#   abi/check_baseline.sh <libakt.so>
set -euo pipefail

lib=$1
here=$(cd "$(dirname "$0")" && pwd)
header=$here/include/akt/akt.h
# shellcheck source=abi/baseline_lib.sh
. "$here/baseline_lib.sh"

die() { printf 'abi_baseline: FAIL: %s\n' "$*" >&2; exit 1; }
[ -f "$lib" ] || die "no library at $lib"
[ -f "$here/baseline/akt.abi" ] || die "no baseline: run abi/update_baseline.sh once"
# The build gives libakt.so -g in every build type (cmake/abi_checks.cmake): abidiff needs it.
[[ $(readelf -S "$lib") == *.debug_info* ]] || die "$lib has no debug info (stripped?)"

work=$(mktemp -d "${TMPDIR:-/tmp}/akt-abi.XXXXXX")
trap 'rm -rf "$work"' EXIT
akt_suppressions "$header" >"$work/akt.suppr"

rc=0
abidiff --suppressions "$work/akt.suppr" \
    --headers-dir1 "$here/include" --headers-dir2 "$here/include" \
    "$here/baseline/akt.abi" "$lib" >"$work/report" 2>&1 || rc=$?
cat "$work/report"
# abidiff's status is a bit set: 1 error, 2 usage, 4 some change, 8 incompatible change.
# It raises 8 only for removals, so a changed signature or layout (4) is judged here from
# the report: with suppressions applied, anything but additions is a break.
(( rc & 3 )) && die "abidiff could not compare (status $rc)"
(( rc & 8 )) && die "incompatible ABI change (removed functions or symbols)"
if (( rc & 4 )); then
    if grep -qE '(^|[^0-9])[1-9][0-9]* (Removed|Changed)([^a-z]|$)' "$work/report" ||
       grep -qiE 'SONAME changed|architecture changed' "$work/report"; then
        die "incompatible ABI change (see the report above)"
    fi
    echo "abi_baseline: compatible additions only"
fi
# The suppression hides a size-first struct's whole diff once members were appended, even
# if an old member changed too (seen with libabigail 2.2). So look again without it: old
# members must keep their type and offset (a middle insertion shifts offsets: a change).
rc=0
abidiff --headers-dir1 "$here/include" --headers-dir2 "$here/include" \
    "$here/baseline/akt.abi" "$lib" >"$work/report-all" 2>&1 || rc=$?
(( rc & 3 )) && die "abidiff could not compare (status $rc)"
# A member whose type is a pointer to a struct that only grew (members appended, as the
# option structs do) is reported as a changed member: the pointee's own diff, nested below
# it, shows any real change (an offset, a member's type), so only those count.
if awk '/data members? deletion/ || /offset changed/ { bad = 1 }
        pending { if ($0 !~ /in pointed to type/) bad = 1; pending = 0 }
        /type of .* changed:$/ { pending = 1 }
        END { exit !bad }' "$work/report-all"; then
    cat "$work/report-all"
    die "a member of a public struct changed or was removed (see the report above)"
fi

akt_constants "$header" >"$work/constants"
if [ -f "$here/baseline/akt.constants" ]; then
    broken=$(LC_ALL=C comm -23 "$here/baseline/akt.constants" "$work/constants")
    if [ -n "$broken" ]; then
        printf 'header constants removed or changed (baseline value shown):\n%s\n' "$broken" >&2
        die "incompatible change of #define constants"
    fi
else
    die "no abi/baseline/akt.constants: run abi/update_baseline.sh"
fi
echo "abi_baseline: OK: compatible with abi/baseline"
