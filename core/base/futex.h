/* Sleeping on a 32-bit word until another thread changes it (Linux futexes, private to the
 * process). A wait returns when the word no longer holds `val`, on a wake-up, on a signal or
 * at the relative timeout: callers re-check their condition in a loop. */
#ifndef AKT_CORE_BASE_FUTEX_H
#define AKT_CORE_BASE_FUTEX_H

#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* rel == NULL waits without a timeout. */
static inline void akt__futex_wait(atomic_int *w, int val, const struct timespec *rel) {
    syscall(SYS_futex, (int *)w, FUTEX_WAIT_PRIVATE, val, rel, NULL, 0);
}

static inline void akt__futex_wake_all(atomic_int *w) {
    syscall(SYS_futex, (int *)w, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

#endif
