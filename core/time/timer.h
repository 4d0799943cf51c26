/* The system's timer thread: one binary heap of deadlines for every ask timeout and
 * graceful stop, instead of a thread or a kernel timer per ask. Adding a timer signals
 * the thread only when the new deadline is earlier than the one it sleeps until. */
#ifndef AKT_CORE_TIME_TIMER_H
#define AKT_CORE_TIME_TIMER_H
#include <pthread.h>
#include <stdint.h>

#include "base/tls.h"

typedef struct akt__timer {
    int64_t deadline;  /* monotonic ns; INT64_MAX (a saturated deadline) fires only at stop */
    uint32_t heap_idx; /* position + 1 while armed, 0 when not in the heap */
    /* Runs on the timer thread without the timer lock; closed = the system is shutting
     * down and the timer is fired early. */
    void (*fire)(struct akt__timer *t, int closed);
} akt__timer;

typedef struct akt__timers {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    akt__timer **heap;
    uint32_t n, cap;
    int64_t sleep_until; /* what the thread sleeps until; INT64_MAX = no deadline */
    int stop;
    int running;
    pthread_t thread;
    const akt__thread_hooks *hooks; /* run on the timer thread (index -1) */
} akt__timers;

/* Starts the timer thread; hooks (borrowed, outlives ts) run on it. */
int akt__timers_start(akt__timers *ts, const akt__thread_hooks *hooks);
/* Fires every remaining timer with closed = 1 and joins the thread. */
void akt__timers_stop(akt__timers *ts);
/* AKT_ENOMEM, AKT_ECLOSED or 0. */
int akt__timer_add(akt__timers *ts, akt__timer *t);
/* 1 if it was armed and is now removed (it will not fire), 0 if it fired or is firing. */
int akt__timer_cancel(akt__timers *ts, akt__timer *t);

#endif
