/* The one clock akt measures time with: monotonic nanoseconds, and deadline arithmetic that
 * saturates instead of overflowing (a huge timeout means "practically never"). */
#ifndef AKT_CORE_BASE_CLOCK_H
#define AKT_CORE_BASE_CLOCK_H
#include <stdint.h>

int64_t akt__now_ns(void);
/* The same clock at its last tick (CLOCK_MONOTONIC_COARSE: a few ms behind at most, never
 * ahead of akt__now_ns, and about a third of its cost): for times only shown to people,
 * such as an actor's spawn time (its uptime reads at most a tick long). */
int64_t akt__now_coarse_ns(void);

/* Durations on a turn's path (its processing time, for metrics): ticks of the CPU's
 * time-stamp counter where Linux keeps its own time with it (an invariant TSC and the
 * "tsc" clocksource: 13 ns a read on the 2-vCPU VM against 29 ns for clock_gettime), else
 * akt__now_ns's nanoseconds. Decided once, before main (clock.c), so ticks never mix units;
 * a difference of two ticks becomes ns with akt__ticks_ns, off the hot path. */
extern int akt__tsc_on;
static inline uint64_t akt__ticks(void) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (akt__tsc_on) {
        uint32_t lo, hi;
        __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
        return (uint64_t)hi << 32 | lo;
    }
#endif
    return (uint64_t)akt__now_ns();
}
/* A duration of `ticks` (a difference of two akt__ticks) in ns. The first call in a
 * process that uses the TSC may wait up to AKT__TSC_CALIBRATE_NS for the rate to be
 * measured (clock.c). */
int64_t akt__ticks_ns(int64_t ticks);
/* Whether `ticks` is under `ns` nanoseconds, without waiting: before the rate is measured a
 * tick counts as a nanosecond (the stricter answer for a TSC of 1 GHz or more). */
int akt__ticks_below(int64_t ticks, int64_t ns);

/* now + timeout_ns, or INT64_MAX when that would overflow. timeout_ns >= 0. */
static inline int64_t akt__deadline_after(int64_t now, int64_t timeout_ns) {
    return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

#endif
