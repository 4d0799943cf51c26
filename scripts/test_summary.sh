#!/usr/bin/env bash
# Prints the table of `make test` from the records of scripts/phase.sh.
#   scripts/test_summary.sh <summary-file> <expected phase>...
# A phase that left no record did not run (a phase it needs failed): that counts as a
# failure, never as a pass. Exits 0 only if every expected phase passed.
set -uo pipefail

file=$1
shift
failed=0
not_run=0
total=0
printf '\n==================== akt: make test summary ====================\n'
for phase in "$@"; do
    line=$(awk -v p="$phase" '$1 == p { l = $0 } END { print l }' "$file" 2>/dev/null)
    if [ -z "$line" ]; then
        printf '  %-8s %-22s %9s   (a phase it needs failed)\n' "NOT RUN" "$phase" "-"
        not_run=$((not_run + 1))
        continue
    fi
    read -r _ verdict secs rc <<<"$line"
    total=$(awk -v a="$total" -v b="$secs" 'BEGIN { printf "%.1f", a + b }')
    if [ "$verdict" = PASS ]; then
        printf '  %-8s %-22s %7s s\n' PASS "$phase" "$secs"
    else
        printf '  %-8s %-22s %7s s   (exit %s)\n' FAIL "$phase" "$secs" "$rc"
        failed=$((failed + 1))
    fi
done
printf -- '----------------------------------------------------------------\n'
if [ $((failed + not_run)) -eq 0 ]; then
    printf '  RESULT: PASS  (%d phases, %s s)\n' "$#" "$total"
    exit 0
fi
printf '  RESULT: FAIL  (%d failed, %d not run, of %d phases; %s s)\n' \
    "$failed" "$not_run" "$#" "$total"
exit 1
