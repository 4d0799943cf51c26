/* The built-in dispatcher: a pool of worker threads sharing one run queue. */
#include <sched.h>

#include "base/spin.h"
#include "base/tls.h"
#include "dispatch.h"

/* An idle worker polls the queue this many times (~30 us of pauses, then a few yields)
 * before it sleeps: work that arrives within that window costs no wake-up. */
#define AKT__SPIN 128
#define AKT__SPIN_YIELDS 8

static void *akt__worker_main(void *arg) {
    akt__worker *w = arg;
    struct akt_dispatcher *d = w->disp;
    akt_system *s = d->system;
    akt__thread_enter(&s->hooks, w->index);
    akt__self.running = d;
    for (;;) {
        akt__cell *c = akt__dispatch_try_pop(d);
        int zero = 0;
        /* At most one idle worker polls (as Go's scheduler keeps one spinning M): more
         * would only take the CPU from the threads that produce the work. */
        if (!c && atomic_compare_exchange_strong_explicit(
                      &d->spinning, &zero, 1, memory_order_acq_rel, memory_order_relaxed)) {
            for (int spin = 0; !c && spin < AKT__SPIN + AKT__SPIN_YIELDS; spin++) {
                if (spin < AKT__SPIN) {
                    for (int i = 0; i < 8; i++) akt__cpu_relax();
                } else {
                    sched_yield();
                }
                c = akt__dispatch_try_pop(d);
            }
            atomic_store_explicit(&d->spinning, 0, memory_order_release);
            if (c && atomic_load_explicit(&d->rq_len, memory_order_relaxed)) {
                pthread_mutex_lock(&d->lock); /* more work: let a sleeper help */
                int wake = d->sleepers > 0;
                pthread_mutex_unlock(&d->lock);
                if (wake) pthread_cond_signal(&d->cond);
            }
        }
        if (!c) {
            pthread_mutex_lock(&d->lock);
            while (!(c = akt__dispatch_pop_locked(d)) && !d->stopping) {
                d->sleepers++;
                pthread_cond_wait(&d->cond, &d->lock);
                d->sleepers--;
            }
            pthread_mutex_unlock(&d->lock);
            if (!c) break;
        }
        s->run_cell(w, c, (size_t)s->throughput);
    }
    akt__self.running = NULL;
    akt__thread_leave(&s->hooks, w->index);
    return NULL;
}

int akt__dispatcher_start_workers(akt_system *s, int n) {
    struct akt_dispatcher *d = akt__heap_calloc(&s->heap, sizeof *d);
    if (!d) return AKT_ENOMEM;
    if (akt__disp_init(s, d)) {
        akt__heap_free(&s->heap, d);
        return AKT_ENOMEM;
    }
    d->workers = akt__heap_calloc(&s->heap, (size_t)n * sizeof *d->workers);
    if (!d->workers) {
        akt__dispatcher_free(s, d);
        return AKT_ENOMEM;
    }
    s->workers = d;
    for (int i = 0; i < n; i++) {
        d->workers[i].disp = d;
        d->workers[i].index = i;
        if (pthread_create(&d->workers[i].thread, NULL, akt__worker_main, &d->workers[i])) {
            akt__dispatcher_stop_workers(s);
            return AKT_ENOMEM;
        }
        d->nworkers = i + 1;
    }
    return 0;
}

void akt__dispatcher_stop_workers(akt_system *s) {
    struct akt_dispatcher *d = s->workers;
    if (!d) return;
    pthread_mutex_lock(&d->lock);
    d->stopping = 1;
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
    for (int i = 0; i < d->nworkers; i++) pthread_join(d->workers[i].thread, NULL);
    d->nworkers = 0;
}
