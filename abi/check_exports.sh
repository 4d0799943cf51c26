#!/usr/bin/env bash
# abi_exports test: the dynamic symbol table of libakt.so is exactly the public header.
#  - every defined dynamic symbol is named akt_* and carries an AKT_* version node
#    (nothing internal leaks: no helpers, no bundled third-party code);
#  - every function the header declares with AKT_API is exported;
#  - every exported function is declared in the header (no undocumented ABI surface);
#  - the SONAME is libakt.so.<AKT_VERSION_MAJOR of the header>.
#
#   abi/check_exports.sh <libakt.so> [header]   (default: every abi/include/akt/*.h)
set -euo pipefail

lib=$1
here=$(cd "$(dirname "$0")" && pwd)
header=${2:-}
# The headers read: the one given, or all public ones (akt.h and its siblings, remote.h ...).
if [ -n "$header" ]; then headers=("$header"); else headers=("$here"/include/akt/*.h); fi
header=$here/include/akt/akt.h
fails=0
fail() { printf 'abi_exports: FAIL: %s\n' "$*" >&2; fails=$((fails + 1)); }

[ -f "$lib" ] || { echo "abi_exports: no library at $lib" >&2; exit 1; }

# nm prints "<value> <type> <name>[@@version]"; type A rows are the version nodes themselves.
syms=$(nm -D --defined-only "$lib" | awk 'NF == 3 { print $2, $3 }')
[ -n "$syms" ] || { echo "abi_exports: $lib exports nothing" >&2; exit 1; }

exported_funcs=()
while read -r type name; do
    base=${name%%@*}
    ver=${name#"$base"}
    ver=${ver#@@}
    ver=${ver#@}
    if [ "$type" = A ]; then
        [[ $base =~ ^AKT_[0-9]+(\.[0-9]+)*$ ]] || fail "unexpected absolute symbol '$name'"
        continue
    fi
    [[ $base == akt_* ]] || fail "exported symbol '$base' (type $type) is not named akt_*"
    [[ $ver =~ ^AKT_ ]] || fail "exported symbol '$base' has no AKT_* version ('$ver')"
    case $type in
        T | W | i) exported_funcs+=("$base") ;;
        *) fail "exported data symbol '$base' (type $type): the ABI exports functions only" ;;
    esac
done <<<"$syms"

# AKT_API declarations, read through the preprocessor as the library's build sees them
# (AKT_BUILDING turns AKT_API into the visibility attribute), one declaration per line;
# the name is the identifier just before the parameter list.
attr='__attribute__((visibility("default")))'
mapfile -t declared < <(printf '#include "%s"\n' "${headers[@]}" |
    ${CC:-cc} -E -P -DAKT_BUILDING -I"$here/include" -x c - | tr '\n' ' ' | tr ';' '\n' |
    grep -F "$attr" | sed -E 's/.*__attribute__\(\(visibility\("default"\)\)\)//; s/\(.*//' |
    sed -E 's/.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*$/\1/' | sort -u)
[ ${#declared[@]} -gt 0 ] || { echo "abi_exports: no AKT_API declaration in $header" >&2; exit 1; }

mapfile -t exported < <(printf '%s\n' "${exported_funcs[@]}" | sort -u)
while read -r name; do
    [ -n "$name" ] && fail "declared AKT_API but not exported: $name"
done < <(comm -23 <(printf '%s\n' "${declared[@]}") <(printf '%s\n' "${exported[@]}"))
while read -r name; do
    [ -n "$name" ] && fail "exported but not declared in the header: $name"
done < <(comm -13 <(printf '%s\n' "${declared[@]}") <(printf '%s\n' "${exported[@]}"))

major=$(sed -n 's/^#define AKT_VERSION_MAJOR \([0-9]*\).*/\1/p' "$header")
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libakt.so.$major" ] || fail "SONAME is '$soname', header major $major wants libakt.so.$major"

if [ "$fails" -gt 0 ]; then
    echo "abi_exports: $fails problem(s) in $lib" >&2
    exit 1
fi
echo "abi_exports: OK: ${#exported[@]} functions, all akt_*, all declared, SONAME $soname"
