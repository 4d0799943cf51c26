#!/usr/bin/env bash
# Prints the command prefix that ThreadSanitizer programs need on this machine: nothing,
# or `setarch <arch> -R`. GCC 12's TSan dies with "FATAL: ThreadSanitizer: unexpected
# memory mapping" when the kernel randomizes mmap with more bits than its memory layout
# allows (vm.mmap_rnd_bits > 28, seen on newer kernels); running with ASLR off avoids it.
# The failure depends on the random layout, so the probe runs a few times.
set -uo pipefail

dir=$(mktemp -d "${TMPDIR:-/tmp}/akt-tsan.XXXXXX")
trap 'rm -rf "$dir"' EXIT
printf 'int main(void) { return 0; }\n' >"$dir/probe.c"
# Cannot build a TSan program: print nothing and let the real build report why.
${CC:-cc} -fsanitize=thread -o "$dir/probe" "$dir/probe.c" 2>/dev/null || exit 0

for _ in 1 2 3 4 5 6 7 8; do
    if ! "$dir/probe" 2>"$dir/err"; then
        if grep -q 'unexpected memory mapping' "$dir/err" &&
           setarch "$(uname -m)" -R "$dir/probe" 2>/dev/null; then
            echo "setarch $(uname -m) -R"
        fi
        exit 0
    fi
done
