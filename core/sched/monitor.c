/* The monitor: one thread per built-in dispatcher that looks at the workers every few
 * milliseconds for a turn that has gone on for a whole period (a handler that sleeps, waits
 * on a lock or does blocking I/O) while cells wait in that worker's queue. Its LIFO cell
 * goes to the inject queue and a parked worker is woken for it and for the ring, so no
 * actor waits behind a blocked turn while other workers sleep. Go's sysmon does the same
 * for a processor stuck in a system call.
 *
 * Searching workers already take such cells (akt__steal_stranded), but only while they
 * search: once every idle worker parked, nothing else would look until the turn ends. The
 * monitor costs nothing while every worker is parked (it waits on its condition until one
 * wakes) and a few loads per worker per period otherwise. */
#include <errno.h>
#include <time.h>

#include "dispatch.h"

/* How often a busy dispatcher is looked at: a cell queued behind a blocked turn waits at
 * most about two periods. */
#define AKT__MONITOR_PERIOD_NS 5000000L

/* Rescues what waits behind v's turn if that turn is the one seen a period ago. */
static void akt__monitor_look(struct akt_dispatcher *d, akt__worker *v) {
    /* relaxed: hints (the owner's own counters); the exchange below decides. */
    akt__cell *cur = atomic_load_explicit(&v->current, memory_order_relaxed);
    unsigned tick = atomic_load_explicit(&v->tick, memory_order_relaxed);
    if (!cur || cur != v->mon_cell || tick != v->mon_tick) {
        v->mon_cell = cur;
        v->mon_tick = tick;
        /* relaxed: a hint (see lifo_fed). */
        v->mon_fed = atomic_load_explicit(&v->lifo_fed, memory_order_relaxed);
        return;
    }
    akt__cell *c = atomic_load_explicit(&v->q.lifo, memory_order_relaxed);
    /* A cheap cell that the long turn feeds stays for v (dispatch.h); the ring's cells are
     * still looked after below. */
    if (c && akt__lifo_fed_cheap(v, c, &v->mon_fed)) c = NULL;
    /* acquire: pairs with the waker's acq_rel exchange (the cell's queueing), as a
     * thief's akt__steal_stranded. */
    else if (c)
        c = atomic_exchange_explicit(&v->q.lifo, NULL, memory_order_acquire);
    if (c) akt__dispatch_inject(d, c, c, 1); /* notifies */
    /* perf begin: */
    /* What other workers woke for v during its turn would wait for all of it too. */
    akt__cell *last;
    size_t n;
    akt__cell *in = akt__cell_stack_take(&v->q.intake, &last, &n);
    if (in) akt__dispatch_inject(d, in, last, n); /* notifies */
    if (c || in) return;
    /* perf end */
    /* a hint: a worker that wakes for nothing searches and parks again. */
    if (akt__runq_has_backlog(&v->q)) akt__disp_notify(d);
}

static void *akt__monitor_main(void *arg) {
    struct akt_dispatcher *d = arg;
    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        /* relaxed: changed under the lock we hold. Every worker parked: no turn runs, so
         * nothing can wait behind one; a worker that wakes signals mon_cond (under the
         * lock, so the wake-up cannot fall between this test and the wait). */
        if (atomic_load_explicit(&d->sleepers, memory_order_relaxed) == d->nworkers) {
            d->mon_idle = 1;
            pthread_cond_wait(&d->mon_cond, &d->lock);
            d->mon_idle = 0;
            clock_gettime(CLOCK_MONOTONIC, &at);
            continue;
        }
        at.tv_nsec += AKT__MONITOR_PERIOD_NS;
        if (at.tv_nsec >= 1000000000L) {
            at.tv_sec++;
            at.tv_nsec -= 1000000000L;
        }
        if (pthread_cond_timedwait(&d->mon_cond, &d->lock, &at) != ETIMEDOUT) continue;
        pthread_mutex_unlock(&d->lock);
        for (int i = 0; i < d->nworkers; i++) akt__monitor_look(d, &d->workers[i]);
        pthread_mutex_lock(&d->lock);
        clock_gettime(CLOCK_MONOTONIC, &at); /* a late look does not make the next early */
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

int akt__monitor_start(struct akt_dispatcher *d) {
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr)) return AKT_ENOMEM;
    int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) ||
             pthread_cond_init(&d->mon_cond, &attr);
    pthread_condattr_destroy(&attr);
    if (rc) return AKT_ENOMEM;
    if (pthread_create(&d->monitor, NULL, akt__monitor_main, d)) {
        pthread_cond_destroy(&d->mon_cond);
        return AKT_ENOMEM;
    }
    d->monitor_started = 1;
    return 0;
}

void akt__monitor_stop(struct akt_dispatcher *d) {
    if (!d->monitor_started) return;
    pthread_mutex_lock(&d->lock);
    d->stopping = 1;
    pthread_cond_signal(&d->mon_cond);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->monitor, NULL);
    pthread_cond_destroy(&d->mon_cond);
    d->monitor_started = 0;
}
