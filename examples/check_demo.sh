#!/usr/bin/env bash
# Runs one demo (the command given) and checks that its output tells the story of
# examples/c/demo.c: the count, the crash and restart, become, death watch, the failed tell,
# and children stopping before parents. bindings/<lang>/test.sh call it for their demo:
#   examples/check_demo.sh python3 examples/python/demo.py
# The lines are matched loosely (post_stop / postStop, each language's error class), so the
# C demo passes too. Exit status 1 names every missing line.
set -uo pipefail

out=$("$@")
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne 0 ]; then
  echo "check_demo: '$*' exited with status $rc" >&2
  exit 1
fi

expected=(
  '^count: 1000$'
  '^job-1: ok$'
  # The reason: C's akt_ctx_fail text; a binding's "<exception type>: <message>".
  'event: akt://demo/user/supervisor/worker failed \(([A-Za-z.]+: )?boom requested\)$'
  'worker: pre_?[sS]tart \(start #2\)$'
  'event: restarted akt://demo/user/supervisor/worker$'
  '^job-2: ok$'
  '^lookup: akt://demo/user/supervisor/worker is still alive$'
  '^flip: was on, now off$'
  'watcher: akt://demo/user/counter terminated$'
  '^tell to the stopped counter: .*AKT_ENOTFOUND'
  '^done$'
)
failed=0
for re in "${expected[@]}"; do
  if ! grep -qE -- "$re" <<<"$out"; then
    echo "check_demo: no line matches '$re' in the output of '$*'" >&2
    failed=1
  fi
done
# At shutdown the worker stops right before its parent, the supervisor.
if ! sed -n '/^5\. shutdown/,$p' <<<"$out" | grep -A1 -E 'worker: post_?[sS]top$' \
    | grep -qE 'supervisor: post_?[sS]top'; then
  echo "check_demo: at shutdown the worker did not stop right before the supervisor" >&2
  failed=1
fi
exit "$failed"
