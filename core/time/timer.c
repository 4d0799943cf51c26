#include "timer.h"

#include <akt/akt.h>
#include <errno.h>
#include <time.h>

#include "base/alloc.h"
#include "base/clock.h"

/* How long the thread keeps a short sleep after the heap empties, so that the next ask
 * (usually moments later, with the same timeout) needs no wake-up signal. */
#define AKT__LINGER_NS 200000000ll

static void akt__heap_swap(akt__timers *ts, uint32_t a, uint32_t b) {
    akt__timer *t = ts->heap[a];
    ts->heap[a] = ts->heap[b];
    ts->heap[b] = t;
    ts->heap[a]->heap_idx = a + 1;
    ts->heap[b]->heap_idx = b + 1;
}

static void akt__sift_up(akt__timers *ts, uint32_t i) {
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (ts->heap[p]->deadline <= ts->heap[i]->deadline) break;
        akt__heap_swap(ts, p, i);
        i = p;
    }
}

static void akt__sift_down(akt__timers *ts, uint32_t i) {
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < ts->n && ts->heap[l]->deadline < ts->heap[m]->deadline) m = l;
        if (r < ts->n && ts->heap[r]->deadline < ts->heap[m]->deadline) m = r;
        if (m == i) return;
        akt__heap_swap(ts, i, m);
        i = m;
    }
}

/* relaxed: a test sets it before the calls it watches; nothing is published through it. */
atomic_uint akt__timers_lazy_max = AKT__TIMERS_LAZY_MAX;

/* relaxed: a mirror of n for akt__timers_crowded's hint; the lock orders n itself. */
static void akt__pending_set(akt__timers *ts) {
    atomic_store_explicit(&ts->pending, ts->n, memory_order_relaxed);
}

static void akt__heap_remove(akt__timers *ts, uint32_t i) {
    ts->heap[i]->heap_idx = 0;
    ts->n--;
    akt__pending_set(ts);
    if (i == ts->n) return;
    ts->heap[i] = ts->heap[ts->n];
    ts->heap[i]->heap_idx = i + 1;
    akt__sift_down(ts, i);
    akt__sift_up(ts, i);
}

int akt__timer_add(akt__timers *ts, akt__timer *t) {
    pthread_mutex_lock(&ts->lock);
    if (ts->stop) {
        pthread_mutex_unlock(&ts->lock);
        return AKT_ECLOSED;
    }
    if (ts->n == ts->cap) {
        uint32_t cap = ts->cap ? ts->cap * 2 : 256;
        akt__timer **h = akt__heap_realloc(&akt__default_heap, ts->heap, cap * sizeof *h);
        if (!h) {
            pthread_mutex_unlock(&ts->lock);
            return AKT_ENOMEM;
        }
        ts->heap = h;
        ts->cap = cap;
    }
    /* relaxed: under the lock; a cancel can claim it only once the caller handed out what
     * holds it, after this returned. */
    atomic_store_explicit(&t->claim, AKT__TIMER_ARMED, memory_order_relaxed);
    ts->heap[ts->n] = t;
    t->heap_idx = ++ts->n;
    akt__pending_set(ts);
    akt__sift_up(ts, ts->n - 1);
    if (t->deadline < ts->sleep_until) {
        ts->sleep_until = t->deadline;
        pthread_cond_signal(&ts->cond);
    }
    pthread_mutex_unlock(&ts->lock);
    return 0;
}

int akt__timer_cancel(akt__timers *ts, akt__timer *t) {
    pthread_mutex_lock(&ts->lock);
    int armed = t->heap_idx != 0;
    if (armed) akt__heap_remove(ts, t->heap_idx - 1);
    /* relaxed (a load and a store, not an exchange): outside the lock only a claim changes
     * it, and this one is claimed; the timer thread reads it under the lock. */
    int waited = atomic_load_explicit(&t->claim, memory_order_relaxed) == AKT__TIMER_WAITED;
    atomic_store_explicit(&t->claim, AKT__TIMER_IDLE, memory_order_relaxed);
    if (waited) pthread_cond_signal(&ts->cond); /* the timer thread is the only waiter */
    pthread_mutex_unlock(&ts->lock);
    return armed;
}

/* Takes the earliest timer out of the heap (lock held) and settles its claim: a cancel that
 * claimed it first will take the lock, find it gone, set it IDLE and signal. Its critical
 * section runs no user code, so the wait is short and needs nothing of this thread. */
static akt__timer *akt__timer_take_locked(akt__timers *ts) {
    akt__timer *t = ts->heap[0];
    akt__heap_remove(ts, 0);
    int st = AKT__TIMER_ARMED;
    /* relaxed: a claim (and its giving back, akt__timer_unclaim) are the only changes made
     * outside the lock; the lock orders the rest. A claimed timer is marked WAITED by a
     * CAS, so that a claim given back meanwhile (ARMED again) is seen and taken. */
    while (!atomic_compare_exchange_weak_explicit(&t->claim, &st, AKT__TIMER_IDLE,
                                                  memory_order_relaxed, memory_order_relaxed)) {
        if (st != AKT__TIMER_CANCELLING) continue; /* ARMED again (or a spurious failure) */
        if (!atomic_compare_exchange_strong_explicit(&t->claim, &st, AKT__TIMER_WAITED,
                                                     memory_order_relaxed, memory_order_relaxed))
            continue;
        while (atomic_load_explicit(&t->claim, memory_order_relaxed) != AKT__TIMER_IDLE)
            pthread_cond_wait(&ts->cond, &ts->lock);
        break;
    }
    return t;
}

static void *akt__timer_main(void *arg) {
    akt__timers *ts = arg;
    akt__thread_enter(ts->hooks, -1);
    int64_t idle_since = akt__now_ns();
    pthread_mutex_lock(&ts->lock);
    while (!ts->stop) {
        int64_t now = akt__now_ns();
        if (ts->n && ts->heap[0]->deadline <= now) {
            akt__timer *t = akt__timer_take_locked(ts);
            pthread_mutex_unlock(&ts->lock);
            t->fire(t, 0);
            pthread_mutex_lock(&ts->lock);
            continue;
        }
        if (ts->n) {
            idle_since = now;
            ts->sleep_until = ts->heap[0]->deadline;
        } else if (now - idle_since < AKT__LINGER_NS) {
            ts->sleep_until = idle_since + AKT__LINGER_NS;
        } else {
            ts->sleep_until = INT64_MAX;
        }
        if (ts->sleep_until == INT64_MAX) {
            pthread_cond_wait(&ts->cond, &ts->lock);
        } else {
            struct timespec until = {ts->sleep_until / 1000000000ll,
                                     ts->sleep_until % 1000000000ll};
            pthread_cond_timedwait(&ts->cond, &ts->lock, &until);
        }
    }
    /* Shutdown: fire what is left as "closed", in deadline order. */
    while (ts->n) {
        akt__timer *t = akt__timer_take_locked(ts);
        pthread_mutex_unlock(&ts->lock);
        t->fire(t, 1);
        pthread_mutex_lock(&ts->lock);
    }
    pthread_mutex_unlock(&ts->lock);
    akt__thread_leave(ts->hooks, -1);
    return NULL;
}

int akt__timers_start(akt__timers *ts, const akt__thread_hooks *hooks) {
    ts->hooks = hooks;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int e = pthread_cond_init(&ts->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (e) return AKT_ENOMEM;
    if (pthread_mutex_init(&ts->lock, NULL)) {
        pthread_cond_destroy(&ts->cond);
        return AKT_ENOMEM;
    }
    ts->sleep_until = INT64_MAX;
    atomic_init(&ts->pending, 0);
    if (pthread_create(&ts->thread, NULL, akt__timer_main, ts)) {
        pthread_mutex_destroy(&ts->lock);
        pthread_cond_destroy(&ts->cond);
        return AKT_ENOMEM;
    }
    ts->running = 1;
    return 0;
}

void akt__timers_stop(akt__timers *ts) {
    if (!ts->running) return;
    pthread_mutex_lock(&ts->lock);
    ts->stop = 1;
    pthread_cond_signal(&ts->cond);
    pthread_mutex_unlock(&ts->lock);
    pthread_join(ts->thread, NULL);
    ts->running = 0;
    pthread_mutex_destroy(&ts->lock);
    pthread_cond_destroy(&ts->cond);
    akt__heap_free(&akt__default_heap, ts->heap);
    ts->heap = NULL;
}
