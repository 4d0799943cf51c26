/* The next fire time of a parsed expression: a walk over civil (wall-clock) times, field by
 * field from the year down to the second, then the conversion of the matching civil time to
 * an instant, in UTC or in the local time zone with its DST gaps and overlaps.
 *
 * The walk starts one second after the civil time of `after` and moves only forward in civil
 * time; a civil time in local time maps to one instant, two (fall back: the first is kept,
 * so a repeated hour fires once) or none (spring forward: the first instant after the gap,
 * which is the transition itself). A candidate whose instant is not after `after` is passed
 * over. Every loop moves the candidate forward and the walk ends at the end of YEAR_MAX, so
 * an expression that never fires again (Feb 30, a past year) ends in AKT_ENOTFOUND. */
#include "cron/expr.h"

#include <time.h>

#define NS_PER_SEC 1000000000LL
#define DAY_SECS 86400LL

typedef struct civil {
    int64_t y;
    int mo, d, h, mi, s; /* 1-12, 1-31, 0-23, 0-59, 0-59 */
} civil;

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, civil *c) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    c->d = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->mo = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->y = yoe + era * 400 + (c->mo <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m) {
    static const int dim[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m];
}

/* 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday). */
static int weekday(int64_t y, int m, int d) {
    int64_t w = (days_from_civil(y, m, d) + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* The weekday nearest day n of the month, never leaving it (Quartz's `nW`). */
static int nearest_weekday(int64_t y, int m, int n, int dim) {
    int w = weekday(y, m, n);
    if (w == 6) return n == 1 ? 3 : n - 1;
    if (w == 0) return n == dim ? n - 2 : n + 1;
    return n;
}

static bool dom_matches(const akt__cron *cr, int64_t y, int m, int d, int dim) {
    switch (cr->dom_kind) {
    case AKT__CRON_DOM_ANY:
        return true;
    case AKT__CRON_DOM_SET:
        return (cr->dom >> d) & 1u;
    case AKT__CRON_DOM_LAST:
        return d == dim - cr->dom_arg;
    case AKT__CRON_DOM_WEEKDAY:
        return cr->dom_arg <= dim && d == nearest_weekday(y, m, cr->dom_arg, dim);
    case AKT__CRON_DOM_LAST_WEEKDAY: {
        int w = weekday(y, m, dim);
        return d == (w == 6 ? dim - 1 : w == 0 ? dim - 2 : dim);
    }
    }
    return false;
}

static bool dow_matches(const akt__cron *cr, int64_t y, int m, int d, int dim) {
    int q = weekday(y, m, d) + 1; /* Quartz numbering: 1 = SUN */
    switch (cr->dow_kind) {
    case AKT__CRON_DOW_ANY:
        return true;
    case AKT__CRON_DOW_SET:
        return (cr->dow >> q) & 1u;
    case AKT__CRON_DOW_LAST:
        return q == cr->dow_day && d + 7 > dim;
    case AKT__CRON_DOW_NTH:
        return q == cr->dow_day && (d - 1) / 7 + 1 == cr->dow_arg;
    }
    return false;
}

static bool year_matches(const akt__cron *cr, int64_t y) {
    if (cr->any_year) return true;
    if (y < AKT__CRON_YEAR_MIN || y > AKT__CRON_YEAR_MAX) return false;
    int i = (int)(y - AKT__CRON_YEAR_MIN);
    return (cr->year[i / 64] >> (i % 64)) & 1u;
}

/* Moves c to the start of the next unit (year, month, day, hour, minute or second). */
enum unit { U_YEAR, U_MONTH, U_DAY, U_HOUR, U_MIN, U_SEC };
static void bump(civil *c, enum unit u) {
    switch (u) {
    case U_SEC:
        if (++c->s < 60) return;
        /* fallthrough */
    case U_MIN:
        c->s = 0;
        if (++c->mi < 60) return;
        /* fallthrough */
    case U_HOUR:
        c->s = c->mi = 0;
        if (++c->h < 24) return;
        /* fallthrough */
    case U_DAY:
        c->s = c->mi = c->h = 0;
        if (++c->d <= days_in_month(c->y, c->mo)) return;
        /* fallthrough */
    case U_MONTH:
        c->s = c->mi = c->h = 0;
        c->d = 1;
        if (++c->mo <= 12) return;
        /* fallthrough */
    case U_YEAR:
        c->s = c->mi = c->h = 0;
        c->d = c->mo = 1;
        c->y++;
        return;
    }
}

static int64_t civil_secs(const civil *c) {
    return days_from_civil(c->y, c->mo, c->d) * DAY_SECS + c->h * 3600LL + c->mi * 60LL + c->s;
}

/* The local UTC offset in seconds at instant t; false if the C library cannot say. */
static bool offset_at(int64_t t, int64_t *off) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm)) return false;
    *off = tm.tm_gmtoff;
    return true;
}

/* The instant at which the local civil time u (its fields read as UTC seconds) fires: its
 * first occurrence, or the end of the gap it falls in. Offsets are probed a little more than
 * a day either side, which covers every offset in use (-12h..+14h) and assumes at most one
 * offset change near u, as every zone has. */
static bool local_instant(int64_t u, int64_t *out) {
    const int64_t reach = 93600; /* 26 hours */
    int64_t before, mid, after;
    if (!offset_at(u - reach, &before) || !offset_at(u, &mid) || !offset_at(u + reach, &after))
        return false;
    int64_t probes[3] = {before, mid, after};
    bool found = false;
    for (int i = 0; i < 3; i++) {
        int64_t t = u - probes[i], off;
        if (offset_at(t, &off) && off == probes[i] && (!found || t < *out)) {
            *out = t;
            found = true;
        }
    }
    if (found || after <= before) return found;
    /* In the gap of a forward change from `before` to `after`: the change happens at some
     * T with T + before <= u < T + after, the first instant with the new offset. */
    int64_t lo = u - after, hi = u - before; /* offset(lo) == before, offset(hi) != before */
    while (hi - lo > 1) {
        int64_t m = lo + (hi - lo) / 2, off;
        if (!offset_at(m, &off)) return false;
        if (off == before)
            lo = m;
        else
            hi = m;
    }
    *out = hi;
    return true;
}

/* The civil time of instant t. */
static bool civil_of(const akt__cron *cr, int64_t t, civil *c) {
    if (cr->utc) {
        int64_t days = t / DAY_SECS, rem = t % DAY_SECS;
        if (rem < 0) {
            rem += DAY_SECS;
            days--;
        }
        civil_from_days(days, c);
        c->h = (int)(rem / 3600);
        c->mi = (int)(rem / 60 % 60);
        c->s = (int)(rem % 60);
        return true;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm)) return false;
    *c = (civil){(int64_t)tm.tm_year + 1900,     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                 tm.tm_sec > 59 ? 59 : tm.tm_sec};
    return true;
}

/* Moves c forward to the first civil time, at or after it, that every field accepts;
 * false past YEAR_MAX. */
static bool next_match(const akt__cron *cr, civil *c) {
    for (;;) {
        if (c->y > AKT__CRON_YEAR_MAX) return false;
        if (!year_matches(cr, c->y)) {
            if (!cr->any_year && c->y < AKT__CRON_YEAR_MIN)
                *c = (civil){AKT__CRON_YEAR_MIN, 1, 1, 0, 0, 0};
            else
                bump(c, U_YEAR);
            continue;
        }
        if (!((cr->month >> c->mo) & 1u)) {
            bump(c, U_MONTH);
            continue;
        }
        int dim = days_in_month(c->y, c->mo);
        if (!dom_matches(cr, c->y, c->mo, c->d, dim) || !dow_matches(cr, c->y, c->mo, c->d, dim)) {
            bump(c, U_DAY);
            continue;
        }
        if (!((cr->hour >> c->h) & 1u))
            bump(c, U_HOUR);
        else if (!((cr->min >> c->mi) & 1u))
            bump(c, U_MIN);
        else if (!((cr->sec >> c->s) & 1u))
            bump(c, U_SEC);
        else
            return true;
    }
}

int akt__cron_next(const akt__cron *cr, int64_t after_unix_ns, int64_t *next_unix_ns) {
    if (!cr || !next_unix_ns) return AKT_EINVAL;
    /* Whole seconds: the first candidate is the second after floor(after). */
    int64_t after = after_unix_ns / NS_PER_SEC;
    if (after_unix_ns % NS_PER_SEC < 0) after--;
    if (!cr->utc) tzset(); /* TZ may have changed since the last call */
    civil c;
    if (!civil_of(cr, after, &c)) return AKT_ENOTFOUND;
    bump(&c, U_SEC);
    while (next_match(cr, &c)) {
        int64_t t = civil_secs(&c);
        if (cr->utc || local_instant(t, &t)) {
            if (t > after) {
                *next_unix_ns = t * NS_PER_SEC;
                return 0;
            }
        }
        bump(&c, U_SEC);
    }
    return AKT_ENOTFOUND;
}
