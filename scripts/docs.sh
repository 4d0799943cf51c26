#!/usr/bin/env bash
# Builds akt's API reference with each ecosystem's own tool, warnings as errors
# (`make docs`; not a phase of `make test`):
#
#   c       Doxygen over abi/include/akt/*.h (docs/Doxyfile)      -> $OUT/c
#   python  pdoc over the installed `akt` package                  -> $OUT/python
#   node    TypeDoc over bindings/node/index.d.ts                  -> $OUT/node
#   java    mvn javadoc:javadoc with doclint, failOnWarnings       -> $OUT/java
#
#   scripts/docs.sh [c|python|node|java]...   (none: all four, in that order)
#
# OUT is $AKT_BUILD_DIR/docs (default <repo>/build/docs). python and java need the release
# build (libakt) in AKT_BUILD_DIR; PYTHON is the interpreter that has pdoc (scripts/setup.sh).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${AKT_BUILD_DIR:-$REPO/build}
OUT=$BUILD_DIR/docs
PY=${PYTHON:-python3}

docs_c() {
  rm -rf "$OUT/c" && mkdir -p "$OUT/c"
  # WARN_AS_ERROR=FAIL_ON_WARNINGS: doxygen exits non-zero on any warning, all listed.
  if ! (cd "$REPO" && AKT_DOCS_OUT="$OUT/c" doxygen docs/Doxyfile); then
    cat "$OUT/c/warnings.log" >&2
    return 1
  fi
}

run() {
  local lang=$1
  case $lang in
    c | python | node | java) ;;
    *) echo "docs.sh: unknown language '$lang' (c, python, node, java)" >&2; return 2 ;;
  esac
  echo "== docs: $lang -> $OUT/$lang"
  "docs_$lang"
}

langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(c)
for lang in "${langs[@]}"; do run "$lang"; done
echo "docs: ${langs[*]} written under $OUT"
