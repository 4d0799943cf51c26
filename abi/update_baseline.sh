#!/usr/bin/env bash
# Regenerates the committed ABI baseline from a built libakt.so (with debug info):
#   abi/baseline/akt.abi        types and functions (abidw), public types only
#   abi/baseline/akt.constants  the header's #define values
# Run it on purpose only: when the first release is cut, or after an ABI break that came
# with a new major version (SONAME). Review the diff before committing it.
#
#   abi/update_baseline.sh [libakt.so]        (default: build/lib/libakt.so)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
lib=${1:-$here/../build/lib/libakt.so}
# shellcheck source=abi/baseline_lib.sh
. "$here/baseline_lib.sh"

[ -f "$lib" ] || { echo "update_baseline: no library at $lib (build first)" >&2; exit 1; }
[[ $(readelf -S "$lib") == *.debug_info* ]] ||
    { echo "update_baseline: $lib has no debug info (stripped?)" >&2; exit 1; }

mkdir -p "$here/baseline"
abidw "${AKT_ABIDW_FLAGS[@]}" --headers-dir "$here/include" \
    --out-file "$here/baseline/akt.abi" "$lib"
akt_constants "$here/include/akt/akt.h" >"$here/baseline/akt.constants"
# Prove the new baseline agrees with the check before anyone relies on it.
"$here/check_baseline.sh" "$lib" >/dev/null
echo "update_baseline: wrote abi/baseline/akt.abi ($(grep -c '<elf-symbol ' "$here/baseline/akt.abi") symbols)" \
     "and abi/baseline/akt.constants ($(wc -l <"$here/baseline/akt.constants") constants)"
