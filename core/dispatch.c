#include "dispatch.h"

#include <sched.h>
#include <string.h>

#include "actor_run.h"
#include "spin.h"
#include "system.h"
#include "thread_hooks.h"

#define AKT__CTX_MAGIC 0x616b7463 /* "aktc" */
/* An idle worker polls the queue this many times (~30 us of pauses, then a few yields)
 * before it sleeps: work that arrives within that window costs no wake-up. */
#define AKT__SPIN 128
#define AKT__SPIN_YIELDS 8

static int akt__disp_init(akt_system *s, struct akt_dispatcher *d) {
    memset(d, 0, sizeof *d);
    d->system = s;
    atomic_init(&d->rq_len, 0);
    atomic_init(&d->running, 0);
    atomic_init(&d->spinning, 0);
    if (pthread_mutex_init(&d->lock, NULL)) return AKT_ENOMEM;
    if (pthread_cond_init(&d->cond, NULL)) {
        pthread_mutex_destroy(&d->lock);
        return AKT_ENOMEM;
    }
    d->ext_worker.disp = d;
    d->ext_worker.index = -2;
    return 0;
}

void akt__dispatch_enqueue(struct akt_dispatcher *d, akt__cell *c) {
    c->run_next = NULL;
    pthread_mutex_lock(&d->lock);
    int was_empty = d->rq_head == NULL;
    if (d->rq_tail)
        d->rq_tail->run_next = c;
    else
        d->rq_head = c;
    d->rq_tail = c;
    /* relaxed: a hint for spinning workers; the lock orders the queue itself. */
    atomic_fetch_add_explicit(&d->rq_len, 1, memory_order_relaxed);
    /* A polling worker will find it; otherwise wake a sleeper. relaxed: a worker that
     * stops polling re-checks the queue under the lock before it sleeps. */
    int wake = d->sleepers > 0 && !atomic_load_explicit(&d->spinning, memory_order_relaxed);
    pthread_mutex_unlock(&d->lock);
    if (wake) pthread_cond_signal(&d->cond);
    if (d->external && was_empty && d->notify) d->notify(d->notify_data);
}

static akt__cell *akt__dispatch_pop_locked(struct akt_dispatcher *d) {
    akt__cell *c = d->rq_head;
    if (c) {
        d->rq_head = c->run_next;
        if (!d->rq_head) d->rq_tail = NULL;
        atomic_fetch_sub_explicit(&d->rq_len, 1, memory_order_relaxed);
    }
    return c;
}

static akt__cell *akt__dispatch_try_pop(struct akt_dispatcher *d) {
    if (!atomic_load_explicit(&d->rq_len, memory_order_relaxed)) return NULL;
    pthread_mutex_lock(&d->lock);
    akt__cell *c = akt__dispatch_pop_locked(d);
    pthread_mutex_unlock(&d->lock);
    return c;
}

akt_ctx *akt__worker_ctx(akt__worker *w) {
    akt_ctx *ctx = &w->ctxs[w->ctx_next++ % AKT__CTX_RING];
    ctx->magic = AKT__CTX_MAGIC;
    ctx->system = w->disp->system;
    return ctx;
}

static void *akt__worker_main(void *arg) {
    akt__worker *w = arg;
    struct akt_dispatcher *d = w->disp;
    akt_system *s = d->system;
    akt__thread_enter(s, w->index);
    akt__self.running = d;
    for (;;) {
        akt__cell *c = akt__dispatch_try_pop(d);
        int zero = 0;
        /* At most one idle worker polls (as Go's scheduler keeps one spinning M): more
         * would only take the CPU from the threads that produce the work. */
        if (!c && atomic_compare_exchange_strong_explicit(&d->spinning, &zero, 1,
                                                          memory_order_acq_rel,
                                                          memory_order_relaxed)) {
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
        akt__cell_run(w, c, (size_t)s->throughput);
    }
    akt__self.running = NULL;
    akt__thread_leave(s, w->index);
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

void akt__dispatcher_free(akt_system *s, struct akt_dispatcher *d) {
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->cond);
    akt__heap_free(&s->heap, d->workers);
    akt__heap_free(&s->heap, d);
}

AKT_API int akt_dispatcher_create_external(akt_system *system, akt_notify_fn notify,
                                           void *data, akt_dispatcher **out) {
    if (!system || !notify || !out) return AKT_EINVAL;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    struct akt_dispatcher *d = akt__heap_calloc(&system->heap, sizeof *d);
    if (!d) return AKT_ENOMEM;
    if (akt__disp_init(system, d)) {
        akt__heap_free(&system->heap, d);
        return AKT_ENOMEM;
    }
    d->external = 1;
    d->notify = notify;
    d->notify_data = data;
    pthread_mutex_lock(&system->lock);
    d->next = system->externals;
    system->externals = d;
    pthread_mutex_unlock(&system->lock);
    *out = d;
    return 0;
}

AKT_API int akt_dispatcher_run(akt_dispatcher *dispatcher, size_t budget, size_t *processed) {
    if (!dispatcher || !dispatcher->external || budget == 0) return AKT_EINVAL;
    struct akt_dispatcher *d = dispatcher;
    int zero = 0;
    /* acquire: this run sees everything the previous run did to its actors. */
    if (!atomic_compare_exchange_strong_explicit(&d->running, &zero, 1, memory_order_acquire,
                                                 memory_order_relaxed))
        return AKT_EBUSY;
    if (akt__self.cell) { /* running actors from inside an actor callback */
        atomic_store_explicit(&d->running, 0, memory_order_release);
        return AKT_EMISUSE;
    }
    struct akt_dispatcher *prev = akt__self.running;
    akt__self.running = d;
    atomic_store_explicit(&d->runner, pthread_self(), memory_order_relaxed);
    atomic_store_explicit(&d->has_runner, 1, memory_order_release);
    size_t done = 0;
    while (done < budget) {
        akt__cell *c = akt__dispatch_try_pop(d);
        if (!c) break;
        size_t turn = budget - done < (size_t)d->system->throughput
                          ? budget - done
                          : (size_t)d->system->throughput;
        done += akt__cell_run(&d->ext_worker, c, turn);
    }
    akt__self.running = prev;
    /* release: pairs with the next run's acquire. */
    atomic_store_explicit(&d->running, 0, memory_order_release);
    if (processed) *processed = done;
    return atomic_load_explicit(&d->rq_len, memory_order_relaxed) ? AKT_EAGAIN : 0;
}
