#!/usr/bin/env bash
# Runs one phase of `make test` and records its result and wall time.
#   scripts/phase.sh <name> <command> [args...]
# Prints a banner before and a verdict after; when AKT_SUMMARY names a file, appends
# "<name> <PASS|FAIL> <seconds> <status>" to it for scripts/test_summary.sh.
# Exits with the command's status.
set -uo pipefail

name=$1
shift
printf '\n===== [%s] %s\n' "$name" "$*"
start=$(date +%s.%N)
"$@" </dev/null
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
verdict=PASS
[ "$rc" -eq 0 ] || verdict=FAIL
printf '===== [%s] %s in %s s (exit %d)\n' "$name" "$verdict" "$secs" "$rc"
if [ -n "${AKT_SUMMARY:-}" ]; then
    printf '%s %s %s %d\n' "$name" "$verdict" "$secs" "$rc" >>"$AKT_SUMMARY"
fi
exit "$rc"
