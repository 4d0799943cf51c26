/* The public cron functions of akt.h: parse, ask, free, for callers without a handle. */
#include "cron/cron.h"

_Static_assert(AKT_CRON_UTC == AKT__CRON_UTC, "the public and internal flags agree");

int akt_cron_validate(const char *expr, size_t *err_col) {
    akt__cron *c = NULL;
    int rc = akt__cron_parse(expr, 0, &c, err_col);
    akt__cron_free(c);
    return rc;
}

int akt_cron_next_after(const char *expr, unsigned flags, int64_t after_unix_ns,
                        int64_t *next_unix_ns, size_t *err_col) {
    if (err_col) *err_col = 0;
    if (!next_unix_ns) return AKT_EINVAL;
    akt__cron *c = NULL;
    int rc = akt__cron_parse(expr, flags, &c, err_col);
    if (rc) return rc;
    rc = akt__cron_next(c, after_unix_ns, next_unix_ns);
    akt__cron_free(c);
    return rc;
}
