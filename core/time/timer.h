/* The system's timer thread: one binary heap of deadlines for every ask timeout and
 * graceful stop, instead of a thread or a kernel timer per ask. Adding a timer signals
 * the thread only when the new deadline is earlier than the one it sleeps until. */
#ifndef AKT_CORE_TIME_TIMER_H
#define AKT_CORE_TIME_TIMER_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "base/tls.h"

/* Who may still touch the timers for a timer (akt__timer.claim). A cancel claims an armed
 * timer (ARMED -> CANCELLING) before it takes the lock. The timer thread, taking a timer
 * out of the heap to fire it, finds a claimed one and waits under the lock (WAITED) until
 * that cancel was there and left. So once fire runs, and once akt__timers_stop returned, no
 * cancel is inside the timers: the system around them may be freed, although the timers
 * themselves live on in the objects that hold them (futures). */
enum akt__timer_claim {
    AKT__TIMER_IDLE = 0,       /* not armed, or settled: nobody touches the timers for it */
    AKT__TIMER_ARMED = 1,      /* in the heap */
    AKT__TIMER_CANCELLING = 2, /* claimed by a cancel that has not taken the lock yet */
    AKT__TIMER_WAITED = 3,     /* the same, and the timer thread waits for it */
};

typedef struct akt__timer {
    int64_t deadline;  /* monotonic ns; INT64_MAX (a saturated deadline) fires only at stop */
    uint32_t heap_idx; /* position + 1 while armed, 0 when not in the heap */
    atomic_int claim;  /* enum akt__timer_claim; starts IDLE */
    /* Runs on the timer thread without the timer lock; closed = the system is shutting
     * down and the timer is fired early. */
    void (*fire)(struct akt__timer *t, int closed);
} akt__timer;

typedef struct akt__timers {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    akt__timer **heap;
    uint32_t n, cap;
    /* n, mirrored for readers outside the lock (akt__timers_crowded). */
    atomic_uint pending;
    int64_t sleep_until; /* what the thread sleeps until; INT64_MAX = no deadline */
    int stop;
    int running;
    pthread_t thread;
    const akt__thread_hooks *hooks; /* run on the timer thread (index -1) */
} akt__timers;

/* Timers pending beyond which an owner that no longer needs its timer should cancel it
 * rather than leave it to come due (lazy expiry, akt__timers_crowded): ~512 KiB of
 * futures at most are kept that way. */
#define AKT__TIMERS_LAZY_MAX 4096u
/* The bound in force: AKT__TIMERS_LAZY_MAX; white-box tests set 0 (always cancel). */
extern atomic_uint akt__timers_lazy_max;

/* Whether so many timers are pending that a timer no longer needed should be cancelled
 * now. Below that, leaving it in the heap costs the owner nothing (no lock) and the timer
 * thread drops it when it comes due (its fire finds the work done). */
static inline int akt__timers_crowded(akt__timers *ts) {
    /* relaxed: a hint; either answer is correct, only the cost moves. */
    return atomic_load_explicit(&ts->pending, memory_order_relaxed) >=
           atomic_load_explicit(&akt__timers_lazy_max, memory_order_relaxed);
}

/* Starts the timer thread; hooks (borrowed, outlives ts) run on it. */
int akt__timers_start(akt__timers *ts, const akt__thread_hooks *hooks);
/* Fires every remaining timer with closed = 1 and joins the thread. */
void akt__timers_stop(akt__timers *ts);
/* AKT_ENOMEM, AKT_ECLOSED or 0. */
int akt__timer_add(akt__timers *ts, akt__timer *t);
/* 1 if t is armed and the caller won the right to cancel it (then it must call
 * akt__timer_cancel); 0 if it never was armed, fired or is firing, or another cancel has
 * it: then the caller must not touch the timers for it (they may be gone). */
static inline int akt__timer_claim(akt__timer *t) {
    int st = AKT__TIMER_ARMED;
    /* relaxed: the claim only picks the one cancel; the timer lock orders the heap, and the
     * timer thread, which takes timers out under it, waits for a claimed cancel. */
    return atomic_compare_exchange_strong_explicit(&t->claim, &st, AKT__TIMER_CANCELLING,
                                                   memory_order_relaxed, memory_order_relaxed);
}
/* After a successful claim, instead of akt__timer_cancel: gives the claim back, leaving t
 * armed (it fires when due). 0 if the timer thread is already waiting for this claim's
 * cancel: then the caller must call akt__timer_cancel. */
static inline int akt__timer_unclaim(akt__timer *t) {
    int st = AKT__TIMER_CANCELLING;
    /* relaxed: as the claim; the timer thread moves CANCELLING on only by a CAS too. */
    return atomic_compare_exchange_strong_explicit(&t->claim, &st, AKT__TIMER_ARMED,
                                                   memory_order_relaxed, memory_order_relaxed);
}
/* After a successful claim: 1 if t was in the heap and is now removed (it will not fire),
 * 0 if the timer thread took it out to fire it (it fires once this returned). */
int akt__timer_cancel(akt__timers *ts, akt__timer *t);

#endif
