/* The parsed form of a cron expression: one bitset per field plus the special day forms.
 * Shared by parse.c (which fills it) and next.c (which walks it). */
#ifndef AKT_CORE_CRON_EXPR_H
#define AKT_CORE_CRON_EXPR_H
#include "cron/cron.h"

#include <stdbool.h>
#include <stdint.h>

#define AKT__CRON_YEAR_MIN 1970
#define AKT__CRON_YEAR_MAX 2199
#define AKT__CRON_YEAR_WORDS ((AKT__CRON_YEAR_MAX - AKT__CRON_YEAR_MIN + 64) / 64)

/* How day-of-month constrains the day. */
typedef enum akt__cron_dom_kind {
    AKT__CRON_DOM_ANY,         /* `?` or `*`: no constraint */
    AKT__CRON_DOM_SET,         /* the bits of dom */
    AKT__CRON_DOM_LAST,        /* `L` / `L-n`: last day minus dom_arg */
    AKT__CRON_DOM_WEEKDAY,     /* `nW`: weekday nearest day dom_arg */
    AKT__CRON_DOM_LAST_WEEKDAY /* `LW` */
} akt__cron_dom_kind;

/* How day-of-week constrains the day. */
typedef enum akt__cron_dow_kind {
    AKT__CRON_DOW_ANY,  /* `?` or `*` */
    AKT__CRON_DOW_SET,  /* the bits of dow */
    AKT__CRON_DOW_LAST, /* `nL`: the last day dow_day of the month */
    AKT__CRON_DOW_NTH   /* `n#k`: the dow_arg-th day dow_day of the month */
} akt__cron_dow_kind;

struct akt__cron {
    uint64_t sec;   /* bit s: second s fires (0..59) */
    uint64_t min;   /* bit m (0..59) */
    uint32_t hour;  /* bit h (0..23) */
    uint32_t dom;   /* bit d (1..31), for AKT__CRON_DOM_SET */
    uint16_t month; /* bit m (1..12) */
    uint8_t dow;    /* bit d (1=SUN..7=SAT), for AKT__CRON_DOW_SET */
    bool utc;
    bool any_year; /* no year field, or `*` */
    akt__cron_dom_kind dom_kind;
    akt__cron_dow_kind dow_kind;
    int dom_arg; /* LAST: days before the last (0..30); WEEKDAY: the day (1..31) */
    int dow_day; /* LAST / NTH: 1..7 */
    int dow_arg; /* NTH: 1..5 */
    uint64_t year[AKT__CRON_YEAR_WORDS]; /* bit y - YEAR_MIN */
};

#endif
