/* Version and error-code tables. */
#include <akt/akt.h>

AKT_API unsigned akt_version(void) { return AKT_VERSION_HEX; }

#define AKT_STR2(x) #x
#define AKT_STR(x) AKT_STR2(x)
AKT_API const char *akt_version_string(void) {
    return AKT_STR(AKT_VERSION_MAJOR) "." AKT_STR(AKT_VERSION_MINOR) "." AKT_STR(
        AKT_VERSION_PATCH);
}

/* One row per code, indexed by -code; the table is the single source of both names. */
static const struct {
    const char *name;
    const char *text;
} akt__errors[] = {
    {"AKT_OK", "success"},
    {"AKT_EINVAL", "invalid argument"},
    {"AKT_ENOMEM", "out of memory"},
    {"AKT_ENOTFOUND", "no such actor"},
    {"AKT_ESTOPPED", "actor stopped"},
    {"AKT_ETIMEDOUT", "timed out"},
    {"AKT_ECANCELED", "canceled"},
    {"AKT_EEXIST", "name already taken"},
    {"AKT_EFULL", "mailbox full"},
    {"AKT_EMISUSE", "call not allowed here"},
    {"AKT_ECLOSED", "system shut down"},
    {"AKT_EUNHANDLED", "message not handled"},
    {"AKT_EFAILED", "actor failed"},
    {"AKT_EAGAIN", "not ready, try again"},
    {"AKT_ENOTSUP", "not supported"},
    {"AKT_ETYPE", "wrong message kind"},
    {"AKT_EDEADLK", "would deadlock"},
    {"AKT_ERANGE", "buffer too small"},
    {"AKT_EBUSY", "busy"},
};

#define AKT__NERRORS ((int)(sizeof akt__errors / sizeof akt__errors[0]))

AKT_API const char *akt_strerror(int rc) {
    if (rc > 0 || -rc >= AKT__NERRORS) return "unknown error";
    return akt__errors[-rc].text;
}

AKT_API const char *akt_err_name(int rc) {
    if (rc > 0 || -rc >= AKT__NERRORS) return "AKT_E?";
    return akt__errors[-rc].name;
}
