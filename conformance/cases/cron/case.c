/* cron: validation with the error column, and next fire times in UTC (akt.h, "Cron
 * expressions"). */
#define _POSIX_C_SOURCE 200809L
#include "conf.h"

#include <stdio.h>
#include <time.h>

static const char *const good[] = {
    "0 0 12 ? * MON-FRI", "0 */15 9-17 ? * 2-6", "30 5 10 * * ?",     "0 0 0 L * ?",
    "0 0 0 L-3 * ?",      "0 0 0 1W * ?",        "0 0 0 LW * ?",      "0 0 0 ? * 6L",
    "0 0 0 ? * FRI#3",    "0 0 0 29 2 ?",        "0 0 8 1 jan,JUL ?", "0 0 22-2 * * ?",
    "0 0 0 1 1 ? 2030",   "0 0 0 1 1 ? 2020",
};
static const char *const bad[] = {
    "",
    "* * * * *",
    "60 * * * * ?",
    "* * * ? * ?",
    "* * * 1 * MON",
    "* * * ? * 6#6",
    "* * * ? * MONDAY",
    "0 0 0 * * ? 2200",
    "*/0 * * * * ?",
    "0 0 0 L-31 * ?",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define START_NS (1705313250LL * 1000000000LL) /* 2024-01-15T10:07:30Z */

static void validate(const char *expr) {
    size_t col = 0;
    int rc = akt_cron_validate(expr, &col);
    if (rc == 0)
        conf_say("validate", "\"%s\": ok", expr);
    else
        conf_say("validate", "\"%s\": %s column %zu", expr, conf_rc(rc), col);
}

/* The next fire time after *at as ISO-8601 UTC into buf, moving *at to it; "never" if none. */
static const char *next(const char *expr, int64_t *at, char *buf, size_t len) {
    int64_t ns = 0;
    int rc = akt_cron_next_after(expr, AKT_CRON_UTC, *at, &ns, NULL);
    if (rc == AKT_ENOTFOUND) return "never";
    conf_check(rc, "akt_cron_next_after");
    *at = ns;
    time_t secs = (time_t)(ns / 1000000000LL);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int main(void) {
    for (size_t i = 0; i < COUNT(good); i++) validate(good[i]);
    for (size_t i = 0; i < COUNT(bad); i++) validate(bad[i]);
    for (size_t i = 0; i < COUNT(good); i++) {
        int64_t at = START_NS;
        char a[32], b[32];
        const char *first = next(good[i], &at, a, sizeof a);
        if (first[0] == 'n') {
            conf_say("next", "\"%s\": never", good[i]);
            continue;
        }
        conf_say("next", "\"%s\": %s %s", good[i], first, next(good[i], &at, b, sizeof b));
    }
    return 0;
}
