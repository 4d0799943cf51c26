/* Parsing a Quartz cron expression into its bitsets (expr.h). Every error names the
 * 1-based column of the first character that cannot be accepted; a missing part (too few
 * fields, a list ending in `,`) names the column just after the text. */
#include "cron/expr.h"

#include "base/alloc.h"

#include <string.h>

#define FIELDS_MIN 6
#define FIELDS_MAX 7
enum { F_SEC, F_MIN, F_HOUR, F_DOM, F_MONTH, F_DOW, F_YEAR };

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

typedef struct field_spec {
    int lo, hi;
    const char *const *names; /* names[i] is lo + i; NULL if the field has none */
    int n_names;
    bool wraps; /* a range may wrap past hi back to lo */
} field_spec;

static const field_spec specs[FIELDS_MAX] = {
    [F_SEC] = {0, 59, NULL, 0, true},
    [F_MIN] = {0, 59, NULL, 0, true},
    [F_HOUR] = {0, 23, NULL, 0, true},
    [F_DOM] = {1, 31, NULL, 0, true},
    [F_MONTH] = {1, 12, month_names, 12, true},
    [F_DOW] = {1, 7, day_names, 7, true},
    [F_YEAR] = {AKT__CRON_YEAR_MIN, AKT__CRON_YEAR_MAX, NULL, 0, false},
};

/* A field being parsed: the text s[p..e) of the whole expression s. On error, *bad is the
 * 0-based index of the offending character. */
typedef struct cursor {
    const char *s;
    size_t p, e;
    size_t bad;
} cursor;

/* Values of one field, as bits relative to the field's lo (years need 230). */
typedef struct bits {
    uint64_t w[AKT__CRON_YEAR_WORDS];
} bits;

static void bit_set(bits *b, int i) { b->w[i / 64] |= (uint64_t)1 << (i % 64); }

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char upper(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c; }
static bool is_alpha(char c) { return upper(c) >= 'A' && upper(c) <= 'Z'; }
static bool at(const cursor *c, char want) { return c->p < c->e && upper(c->s[c->p]) == want; }

static int fail(cursor *c, size_t where) {
    c->bad = where;
    return AKT_EINVAL;
}

/* A run of digits, at most 5 of them (no field takes more than 4). */
static int read_number(cursor *c, int *out) {
    size_t start = c->p;
    int v = 0;
    while (c->p < c->e && is_digit(c->s[c->p])) {
        if (c->p - start >= 5) return fail(c, start);
        v = v * 10 + (c->s[c->p] - '0');
        c->p++;
    }
    if (c->p == start) return fail(c, start);
    *out = v;
    return 0;
}

/* One value of the field: a number in [lo, hi] or, where the field has names, one of its
 * three-letter names (case-insensitive). */
static int read_value(cursor *c, const field_spec *f, int *out) {
    size_t start = c->p;
    if (c->p < c->e && is_alpha(c->s[c->p]) && f->names) {
        if (c->e - c->p >= 3) {
            for (int i = 0; i < f->n_names; i++) {
                const char *n = f->names[i];
                if (upper(c->s[c->p]) == n[0] && upper(c->s[c->p + 1]) == n[1] &&
                    upper(c->s[c->p + 2]) == n[2]) {
                    c->p += 3;
                    *out = f->lo + i;
                    return 0;
                }
            }
        }
        return fail(c, start);
    }
    int v;
    int rc = read_number(c, &v);
    if (rc) return rc;
    if (v < f->lo || v > f->hi) return fail(c, start);
    *out = v;
    return 0;
}

/* Sets from, from+step, ... up to to, wrapping past hi when to < from. */
static void set_range(bits *b, const field_spec *f, int from, int to, int step) {
    int n = f->hi - f->lo + 1;
    int span = (to - from + n) % n;
    for (int k = 0; k <= span; k += step) bit_set(b, (from - f->lo + k) % n);
}

/* One list item: `*`, `v`, `a-b`, each optionally `/step`. */
static int read_item(cursor *c, const field_spec *f, bits *b) {
    int from, to;
    bool single = false;
    if (at(c, '*')) {
        c->p++;
        from = f->lo;
        to = f->hi;
    } else {
        int rc = read_value(c, f, &from);
        if (rc) return rc;
        to = from;
        single = true;
        if (at(c, '-')) {
            c->p++;
            size_t to_at = c->p;
            rc = read_value(c, f, &to);
            if (rc) return rc;
            if (to < from && !f->wraps) return fail(c, to_at);
            single = false;
        }
    }
    int step = 1;
    if (at(c, '/')) {
        c->p++;
        size_t step_at = c->p;
        int rc = read_number(c, &step);
        if (rc) return rc;
        if (step < 1 || step > f->hi - f->lo + 1) return fail(c, step_at);
        if (single) to = f->hi; /* `a/n`: from a to the end */
    }
    set_range(b, f, from, to, step);
    return 0;
}

/* A comma-separated list of items filling the whole field. */
static int read_list(cursor *c, const field_spec *f, bits *b) {
    for (;;) {
        int rc = read_item(c, f, b);
        if (rc) return rc;
        if (c->p == c->e) return 0;
        if (!at(c, ',')) return fail(c, c->p);
        c->p++;
    }
}

/* How a day field constrains: `?`, `*`, or anything else. */
typedef enum { DAY_QUESTION, DAY_STAR, DAY_CONSTRAINED } day_use;

static bool whole(const cursor *c, const char *text) {
    size_t n = strlen(text);
    if (c->e - c->p != n) return false;
    for (size_t i = 0; i < n; i++)
        if (upper(c->s[c->p + i]) != text[i]) return false;
    return true;
}

static int parse_dom(cursor *c, akt__cron *cr, day_use *use) {
    *use = DAY_CONSTRAINED;
    if (whole(c, "?") || whole(c, "*")) {
        *use = whole(c, "?") ? DAY_QUESTION : DAY_STAR;
        cr->dom_kind = AKT__CRON_DOM_ANY;
        return 0;
    }
    if (whole(c, "LW")) {
        cr->dom_kind = AKT__CRON_DOM_LAST_WEEKDAY;
        return 0;
    }
    if (at(c, 'L')) {
        c->p++;
        cr->dom_kind = AKT__CRON_DOM_LAST;
        cr->dom_arg = 0;
        if (c->p == c->e) return 0;
        if (!at(c, '-')) return fail(c, c->p);
        c->p++;
        size_t n_at = c->p;
        int rc = read_number(c, &cr->dom_arg);
        if (rc) return rc;
        if (cr->dom_arg > 30) return fail(c, n_at);
        return c->p == c->e ? 0 : fail(c, c->p);
    }
    if (c->e - c->p >= 2 && upper(c->s[c->e - 1]) == 'W') {
        size_t p0 = c->p;
        int day;
        if (read_value(c, &specs[F_DOM], &day) == 0 && c->p == c->e - 1) {
            cr->dom_kind = AKT__CRON_DOM_WEEKDAY;
            cr->dom_arg = day;
            return 0;
        }
        c->p = p0; /* not `nW`: the list parser names the offending character */
    }
    bits b = {{0}};
    int rc = read_list(c, &specs[F_DOM], &b);
    if (rc) return rc;
    cr->dom_kind = AKT__CRON_DOM_SET;
    cr->dom = (uint32_t)(b.w[0] << 1); /* bit 0 of b is day 1 */
    return 0;
}

static int parse_dow(cursor *c, akt__cron *cr, day_use *use) {
    *use = DAY_CONSTRAINED;
    if (whole(c, "?") || whole(c, "*")) {
        *use = whole(c, "?") ? DAY_QUESTION : DAY_STAR;
        cr->dow_kind = AKT__CRON_DOW_ANY;
        return 0;
    }
    if (whole(c, "L")) { /* Quartz: `L` alone is the last day of the week, Saturday */
        cr->dow_kind = AKT__CRON_DOW_SET;
        cr->dow = 1u << 7;
        return 0;
    }
    size_t p0 = c->p;
    int day;
    if (read_value(c, &specs[F_DOW], &day) == 0) {
        if (at(c, 'L') && c->p + 1 == c->e) {
            cr->dow_kind = AKT__CRON_DOW_LAST;
            cr->dow_day = day;
            return 0;
        }
        if (at(c, '#')) {
            c->p++;
            size_t k_at = c->p;
            int rc = read_number(c, &cr->dow_arg);
            if (rc) return rc;
            if (cr->dow_arg < 1 || cr->dow_arg > 5) return fail(c, k_at);
            if (c->p != c->e) return fail(c, c->p);
            cr->dow_kind = AKT__CRON_DOW_NTH;
            cr->dow_day = day;
            return 0;
        }
    }
    c->p = p0;
    bits b = {{0}};
    int rc = read_list(c, &specs[F_DOW], &b);
    if (rc) return rc;
    cr->dow_kind = AKT__CRON_DOW_SET;
    cr->dow = (uint8_t)(b.w[0] << 1); /* bit 0 of b is day 1 (SUN) */
    return 0;
}

static int parse_year(cursor *c, akt__cron *cr) {
    if (whole(c, "*")) return 0; /* any_year stays set */
    bits b = {{0}};
    int rc = read_list(c, &specs[F_YEAR], &b);
    if (rc) return rc;
    memcpy(cr->year, b.w, sizeof cr->year);
    cr->any_year = false;
    return 0;
}

/* The plain fields: sec, min, hour, month. */
static int parse_plain(cursor *c, int field, akt__cron *cr) {
    bits b = {{0}};
    int rc = read_list(c, &specs[field], &b);
    if (rc) return rc;
    switch (field) {
    case F_SEC:
        cr->sec = b.w[0];
        break;
    case F_MIN:
        cr->min = b.w[0];
        break;
    case F_HOUR:
        cr->hour = (uint32_t)b.w[0];
        break;
    default:
        cr->month = (uint16_t)(b.w[0] << 1);
        break; /* bit 0 of b is January */
    }
    return 0;
}

/* Splits s into blank-separated fields; *bad on too few or too many. */
static int split(const char *s, size_t len, size_t start[FIELDS_MAX], size_t end[FIELDS_MAX],
                 int *n, size_t *bad) {
    *n = 0;
    size_t p = 0;
    for (;;) {
        while (p < len && is_blank(s[p])) p++;
        if (p == len) break;
        if (*n == FIELDS_MAX) {
            *bad = p; /* the first character of an eighth field */
            return AKT_EINVAL;
        }
        start[*n] = p;
        while (p < len && !is_blank(s[p])) p++;
        end[(*n)++] = p;
    }
    if (*n < FIELDS_MIN) {
        *bad = len; /* just after the text: a field is missing */
        return AKT_EINVAL;
    }
    return 0;
}

static int parse_fields(const char *s, size_t len, akt__cron *cr, size_t *bad) {
    size_t start[FIELDS_MAX], end[FIELDS_MAX];
    int n;
    int rc = split(s, len, start, end, &n, bad);
    if (rc) return rc;
    day_use dom_use = DAY_STAR, dow_use = DAY_STAR;
    for (int f = 0; f < n; f++) {
        cursor c = {s, start[f], end[f], 0};
        if (f == F_DOM)
            rc = parse_dom(&c, cr, &dom_use);
        else if (f == F_DOW)
            rc = parse_dow(&c, cr, &dow_use);
        else if (f == F_YEAR)
            rc = parse_year(&c, cr);
        else
            rc = parse_plain(&c, f, cr);
        if (rc) {
            *bad = c.bad;
            return rc;
        }
    }
    /* Quartz: one of the two day fields says `?`. We also take `*` for it; but two
     * constraints (which Quartz does not combine either) or two `?` are an error, named at
     * the day-of-week field. */
    if ((dom_use == DAY_CONSTRAINED && dow_use == DAY_CONSTRAINED) ||
        (dom_use == DAY_QUESTION && dow_use == DAY_QUESTION)) {
        *bad = start[F_DOW];
        return AKT_EINVAL;
    }
    return 0;
}

int akt__cron_parse(const char *expr, unsigned flags, akt__cron **out, size_t *err_col) {
    if (err_col) *err_col = 0;
    if (!expr || !out || (flags & ~AKT__CRON_UTC)) return AKT_EINVAL;
    akt__cron *cr = akt__dalloc(sizeof *cr);
    if (!cr) return AKT_ENOMEM;
    memset(cr, 0, sizeof *cr);
    cr->utc = (flags & AKT__CRON_UTC) != 0;
    cr->any_year = true;
    size_t bad = 0;
    int rc = parse_fields(expr, strlen(expr), cr, &bad);
    if (rc) {
        akt__dfree(cr);
        if (err_col) *err_col = bad + 1;
        return rc;
    }
    *out = cr;
    return 0;
}

void akt__cron_free(akt__cron *c) {
    if (c) akt__dfree(c);
}
