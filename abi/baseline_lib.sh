# Shared by check_baseline.sh and update_baseline.sh (sourced, not run): how akt's ABI is
# recorded, so that the baseline and the check always agree on it.

# abidw options. Private types (defined outside abi/include) are dropped: internals may
# change freely. Locations are kept as bare file names: libabigail tells public from private
# types by where they are defined, and bare names keep the baseline independent of the
# checkout's path.
AKT_ABIDW_FLAGS=(--drop-private-types --no-corpus-path --no-comp-dir-path --short-locs
                 --no-elf-needed)

# The header's #define constants (error codes, event bits, directives, ...) are ABI too,
# and invisible to DWARF. One "NAME VALUE" per line, sorted. Minor/patch version numbers
# change with every release, and *_ALL masks grow when a kind is added: those are left out.
# The major number is kept on purpose: changing it is a break.
# The error codes are rows of AKT_ERRNO_MAP (an enum), expanded here one per line.
akt_constants() {
    {
        ${CC:-cc} -dM -E -x c "$1" |
            sed -nE 's/^#define (AKT_[A-Za-z0-9_]*)[[:space:]]+(.*)$/\1 \2/p' |
            grep -vE '^(AKT_AKT_H|AKT_API|AKT_ERRNO_MAP|AKT_VERSION_(MINOR|PATCH|HEX)|AKT_[A-Z_]*_ALL) '
        printf '#include "%s"\n#define AKT__ROW(n, v, t) @AKT_##n v@\nAKT_ERRNO_MAP(AKT__ROW)\n' "$1" |
            ${CC:-cc} -E -P -x c - | tr '@' '\n' | sed -nE 's/^(AKT_E[A-Z]+) \(?(-[0-9]+)\)?$/\1 \2/p'
    } | LC_ALL=C sort
}

# A libabigail suppression that accepts members appended at the end of the header's
# size-first structs (first field `size_t size;`): DESIGN.md §2 makes that the compatible
# way to grow them. Every other struct (akt_pid, say) must keep its layout.
akt_suppressions() {
    local names
    names=$(${CC:-cc} -E -P -x c "$1" | tr '\n' ' ' |
        grep -oE 'typedef struct (akt_[A-Za-z0-9_]+) \{ *size_t size;' |
        sed -E 's/typedef struct (akt_[A-Za-z0-9_]+).*/\1/' | sort -u | paste -sd '|')
    [ -n "$names" ] || return 0
    printf '[suppress_type]\n  type_kind = struct\n  name_regexp = ^(%s)$\n' "$names"
    printf '  has_data_member_inserted_at = end\n'
}
