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

/* now + timeout_ns, or INT64_MAX when that would overflow. timeout_ns >= 0. */
static inline int64_t akt__deadline_after(int64_t now, int64_t timeout_ns) {
    return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

#endif
