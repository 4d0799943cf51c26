/* Cron expressions (Quartz syntax) and their next fire time: the internal interface the
 * schedules build on. The parsed form is in expr.h; the public functions (akt.h's
 * akt_cron_*) are thin wrappers in public.c.
 *
 * Syntax: 6 or 7 fields separated by blanks, `sec min hour day-of-month month day-of-week
 * [year]`. Each field is `*`, or a list (`,`) of values, ranges `a-b` (a range whose end is
 * below its start wraps: `FRI-MON`, `22-2`) and steps (`*\/n`, `a/n`, `a-b/n`). Months
 * JAN-DEC and days SUN-SAT by name, case-insensitive; day-of-week numbers are Quartz's,
 * 1=SUN..7=SAT. Years 1970-2199. Day-of-month may instead be `L` (last day), `L-n` (n days
 * before it, n <= 30), `nW` (the weekday nearest day n, never leaving the month), `LW` (the
 * last weekday); day-of-week may be `nL` (the last day n of the month), `n#k` (the k-th day
 * n, k 1..5) or `L` alone (7, Saturday).
 * Day-of-month and day-of-week: `?` in one of them means "no constraint from this one", as
 * Quartz requires; unlike Quartz, `*` is also accepted in one or both (a `*` next to a
 * constrained field counts as `?`). Both constrained, or both `?`, is an error. */
#ifndef AKT_CORE_CRON_CRON_H
#define AKT_CORE_CRON_CRON_H
#include <akt/akt.h>
#include <stddef.h>
#include <stdint.h>

typedef struct akt__cron akt__cron;

/* Fire in UTC instead of the process's local time zone (TZ, re-read on each next). */
#define AKT__CRON_UTC 1u

/* 0 or AKT_EINVAL (*err_col = 1-based column of the offending character) or AKT_ENOMEM.
 * A NULL expr or out, or an unknown flag, is AKT_EINVAL with *err_col = 0. err_col may be
 * NULL. *out is set only on success; free it with akt__cron_free. */
int akt__cron_parse(const char *expr, unsigned flags, akt__cron **out, size_t *err_col);

/* Next fire strictly after after_unix_ns (CLOCK_REALTIME ns): 0, or AKT_ENOTFOUND if the
 * expression never fires again before the end of 2199. In local time, a time that does not
 * exist (spring forward) fires at the first instant after the gap; a time that occurs twice
 * (fall back) fires once, at its first occurrence. Fire times are whole seconds.
 * AKT_EINVAL if c or next_unix_ns is NULL. Thread-safe (c is read only). */
int akt__cron_next(const akt__cron *c, int64_t after_unix_ns, int64_t *next_unix_ns);

void akt__cron_free(akt__cron *c);

#endif
