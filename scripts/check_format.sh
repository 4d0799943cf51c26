#!/usr/bin/env bash
# format test: every C source and header of the project is formatted as .clang-format says.
# Lists the files clang-format would change (with how many of their lines) and fails;
# with --fix it rewrites them instead.
#
#   scripts/check_format.sh [--fix] [project-dir]      (default: this script's checkout)
#   CLANG_FORMAT=clang-format-14 scripts/check_format.sh  picks the binary
set -euo pipefail

fix=0
if [ "${1:-}" = --fix ]; then fix=1; shift; fi
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)

die() { printf 'format: %s\n' "$*" >&2; exit 2; }
cf=${CLANG_FORMAT:-}
if [ -z "$cf" ]; then
    for c in clang-format clang-format-14; do
        if command -v "$c" >/dev/null; then cf=$c; break; fi
    done
fi
[ -n "$cf" ] && command -v "$cf" >/dev/null ||
    die "clang-format not found (scripts/setup.sh installs it)"
# The style file is named explicitly: a stray .clang-format in a subdirectory (a vendored
# package, say) must not change the project's rule. Dumping it first turns a broken style
# file into one clear error instead of every file failing.
style=$root/.clang-format
[ -f "$style" ] || die "no $style"
"$cf" --style="file:$style" --dump-config </dev/null >/dev/null ||
    die "$style is not valid for $("$cf" --version)"

# The project's own C: everything under these folders except build output (build/, build-*/,
# target/, node_modules/, hidden folders such as .venv) and generated sources. Finding
# files rather than asking git keeps the check usable in an unpacked source tarball.
roots=()
for d in core abi tests examples bench conformance bindings; do
    [ -d "$root/$d" ] && roots+=("$root/$d")
done
[ ${#roots[@]} -gt 0 ] || die "no source folder under $root"
mapfile -t files < <(find "${roots[@]}" \
    \( -type d \( -name build -o -name 'build-*' -o -name target -o -name node_modules \
                  -o -name '.*' \) -prune \) \
    -o -type f \( -name '*.c' -o -name '*.h' \) \
       ! -name '*_wrap.c' ! -name '*.pb-c.[ch]' ! -name '_akt_cffi*' -print | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || die "no C file found under $root"

bad=0 lines=0
for f in "${files[@]}"; do
    "$cf" --style="file:$style" --dry-run -Werror "$f" >/dev/null 2>&1 && continue
    rel=${f#"$root"/}
    if [ "$fix" = 1 ]; then
        "$cf" --style="file:$style" -i "$f"
        echo "format: fixed $rel"
    else
        # Lines of the file as it is that the formatter would replace or delete.
        n=$("$cf" --style="file:$style" "$f" | diff "$f" - | grep -c '^<' || true)
        echo "format: $rel: $n line(s) to change"
        lines=$((lines + n))
    fi
    bad=$((bad + 1))
done

if [ "$fix" = 1 ]; then
    echo "format: rewrote $bad of ${#files[@]} files"
elif [ "$bad" -gt 0 ]; then
    echo "format: FAIL: $bad of ${#files[@]} files, $lines lines, differ from .clang-format" \
         "($("$cf" --version)); run scripts/check_format.sh --fix" >&2
    exit 1
else
    echo "format: OK: ${#files[@]} files"
fi
