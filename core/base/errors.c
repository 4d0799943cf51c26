/* The error-code tables: names and descriptions. */
#include <akt/akt.h>

/* Both tables come from the header's AKT_ERRNO_MAP, indexed by -code: a code the header
 * gains is named and described here without an edit. */
#define AKT__ERR_NAME(name, value, text) [-(value)] = "AKT_" #name,
#define AKT__ERR_TEXT(name, value, text) [-(value)] = text,
static const char *const akt__err_names[] = {[0] = "AKT_OK", AKT_ERRNO_MAP(AKT__ERR_NAME)};
static const char *const akt__err_texts[] = {[0] = "success", AKT_ERRNO_MAP(AKT__ERR_TEXT)};

#define AKT__NERRORS ((int)(sizeof akt__err_names / sizeof akt__err_names[0]))
_Static_assert(sizeof akt__err_names == sizeof akt__err_texts, "one row per code");

AKT_API const char *akt_strerror(int rc) {
    if (rc > 0 || -rc >= AKT__NERRORS || !akt__err_texts[-rc]) return "unknown error";
    return akt__err_texts[-rc];
}

AKT_API const char *akt_err_name(int rc) {
    if (rc > 0 || -rc >= AKT__NERRORS || !akt__err_names[-rc]) return "AKT_E?";
    return akt__err_names[-rc];
}
