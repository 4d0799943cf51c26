/* Dispatchers: who runs actors. The built-in one is a pool of worker threads sharing one
 * run queue; an external one runs only inside akt_dispatcher_run on a binding's thread.
 * An actor is on at most one run queue at a time (its sched flag), so it never runs on
 * two threads at once. */
#ifndef AKT_CORE_SCHED_DISPATCH_H
#define AKT_CORE_SCHED_DISPATCH_H
#include <akt/akt.h>
#include <pthread.h>
#include <stdatomic.h>

#include "kernel/cell.h"
#include "kernel/ctx.h"
#include "kernel/sys.h"

#define AKT__CTX_RING 8

typedef struct akt__worker {
    struct akt_dispatcher *disp;
    int index;
    pthread_t thread;
    unsigned ctx_next;
    akt_ctx ctxs[AKT__CTX_RING]; /* a fresh one per callback: a kept ctx goes stale */
} akt__worker;

struct akt_dispatcher {
    akt_system *system;
    struct akt_dispatcher *next; /* the system's list of external dispatchers */
    int external;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    akt__cell *rq_head, *rq_tail;
    atomic_size_t rq_len;  /* readable without the lock by idle workers */
    int sleepers;          /* workers waiting on cond (under lock) */
    atomic_int spinning;   /* 1 while one idle worker polls instead of sleeping */
    int stopping;
    /* built-in */
    int nworkers;
    akt__worker *workers;
    /* external */
    akt_notify_fn notify;
    void *notify_data;
    atomic_int running;
    _Atomic(pthread_t) runner;  /* the thread that last ran it (deadlock detection) */
    atomic_int has_runner;
    akt__worker ext_worker; /* the context ring of whoever runs it */
};

/* Shared inside sched/ (dispatch.c). */
int akt__disp_init(akt_system *s, struct akt_dispatcher *d);
akt__cell *akt__dispatch_pop_locked(struct akt_dispatcher *d);
/* Pops the next cell with work, or NULL (a relaxed peek first, then the lock). */
akt__cell *akt__dispatch_try_pop(struct akt_dispatcher *d);
/* The context storage for the next callback run by w. */
akt_ctx *akt__worker_ctx(akt__worker *w);

/* workers.c */
int akt__dispatcher_start_workers(akt_system *s, int n);
/* Stops the workers once their queue is empty and joins them. */
void akt__dispatcher_stop_workers(akt_system *s);
void akt__dispatcher_free(akt_system *s, struct akt_dispatcher *d);

/* Queues a cell whose sched flag the caller has just set (0 -> 1). */
void akt__dispatch_enqueue(struct akt_dispatcher *d, akt__cell *c);

/* After pushing to a cell's queue: schedules it unless already scheduled. */
static inline void akt__cell_wake(akt__cell *c) {
    /* seq_cst load: the producer's half of the Dekker pair (push, then read the flag);
     * see akt__cell_run's epilogue for the consumer's half. */
    if (atomic_load_explicit(&c->sched, memory_order_seq_cst)) return;
    unsigned zero = 0;
    if (atomic_compare_exchange_strong_explicit(&c->sched, &zero, 1, memory_order_acq_rel,
                                                memory_order_relaxed))
        akt__dispatch_enqueue(c->disp, c);
}

static inline int akt__dispatcher_is_external(const struct akt_dispatcher *d) {
    return d && d->external;
}

#endif
