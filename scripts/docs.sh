#!/usr/bin/env bash
# Builds akt's API reference with each ecosystem's own tool, warnings as errors
# (`make docs`, also the last phase of `make test`: 30 to 50 s with warm caches):
#
#   c       Doxygen over abi/include/akt/*.h (docs/Doxyfile)      -> $OUT/c
#   python  pdoc over the installed `akt` package                  -> $OUT/python
#           and scripts/check_pydoc.py (every public name has a docstring)
#   node    TypeDoc over bindings/node/index.d.ts                  -> $OUT/node
#   java    mvn javadoc:javadoc, doclint all ("missing" too),
#           failOnWarnings (bindings/java/pom.xml)                -> $OUT/java
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

# The modules users import by name: akt itself (which re-exports the rest) and those that
# README.md and the tests import from.
PY_MODULES=(akt akt.metrics akt.otlp akt.stream akt.testkit akt.tracing)

docs_python() {
  # The binding is built into a directory of its own (not into the interpreter's
  # site-packages), against the release libakt, and documented from there.
  local site=$OUT/.python-site log=$OUT/python-warnings.log
  rm -rf "$OUT/python" "$site" && mkdir -p "$OUT/python"
  AKT_BUILD_DIR=$BUILD_DIR "$PY" -m pip install -q --no-build-isolation --no-deps \
    --target "$site" "$REPO/bindings/python"
  # pdoc reports what it cannot resolve (annotations, links) as Python warnings: any is fatal.
  (cd / && PYTHONPATH=$site "$PY" -m pdoc -o "$OUT/python" "${PY_MODULES[@]}") 2>"$log" || {
    cat "$log" >&2
    return 1
  }
  if grep -q . "$log"; then
    cat "$log" >&2
    echo "docs: pdoc warned (above)" >&2
    return 1
  fi
  # pdoc itself does not mind a missing docstring: every public name it documented must
  # have one (scripts/check_pydoc.py lists those that do not, and fails).
  (cd / && PYTHONPATH=$site "$PY" "$REPO/scripts/check_pydoc.py" "${PY_MODULES[@]}")
}

docs_node() {
  # TypeDoc and typescript are pinned devDependencies (package-lock.json); --ignore-scripts:
  # documenting needs no addon build. bindings/node/typedoc.json (index.d.ts and
  # testkit/index.d.ts): warnings are errors, an undocumented export included.
  rm -rf "$OUT/node"
  (cd "$REPO/bindings/node" &&
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error &&
    npx --no-install typedoc --out "$OUT/node")
}

docs_java() {
  # The javadoc goal runs generate-sources first (SWIG and the JNI library, against the
  # release build); pom.xml configures doclint and failOnWarnings.
  # The plugin skips javadoc when its output is already there: start from none.
  rm -rf "$OUT/java" "$REPO/bindings/java/target/reports/apidocs" && mkdir -p "$OUT"
  # Not mvn -q: it would hide which element javadoc warned about (Maven logs them at WARNING).
  local log=$OUT/java-javadoc.log
  if ! (cd "$REPO/bindings/java" &&
    AKT_BUILD_DIR=$BUILD_DIR mvn -B -ntp -Dstyle.color=never javadoc:javadoc) >"$log" 2>&1; then
    grep -E '^\[(WARNING|ERROR)\]' "$log" >&2 || cat "$log" >&2
    return 1
  fi
  cp -r "$REPO/bindings/java/target/reports/apidocs" "$OUT/java"
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
[ ${#langs[@]} -gt 0 ] || langs=(c python node java)
for lang in "${langs[@]}"; do run "$lang"; done
echo "docs: ${langs[*]} written under $OUT"
