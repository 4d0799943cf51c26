/* The run queue of a dispatcher: one FIFO of cells with work, under a mutex. */
#include "dispatch.h"

#include <string.h>

#include "base/tls.h"

/* Context handles are handed out in blocks of this many: one atomic per block. */
#define AKT__CTX_BLOCK 4096u

/* The next block of context handles, process-wide (all systems share the sequence, so a
 * handle of one system's callback never matches another's either). */
static atomic_uint_least64_t akt__ctx_blocks;

int akt__disp_init(akt_system *s, struct akt_dispatcher *d) {
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

akt__cell *akt__dispatch_pop_locked(struct akt_dispatcher *d) {
    akt__cell *c = d->rq_head;
    if (c) {
        d->rq_head = c->run_next;
        if (!d->rq_head) d->rq_tail = NULL;
        atomic_fetch_sub_explicit(&d->rq_len, 1, memory_order_relaxed);
    }
    return c;
}

akt__cell *akt__dispatch_try_pop(struct akt_dispatcher *d) {
    if (!atomic_load_explicit(&d->rq_len, memory_order_relaxed)) return NULL;
    pthread_mutex_lock(&d->lock);
    akt__cell *c = akt__dispatch_pop_locked(d);
    pthread_mutex_unlock(&d->lock);
    return c;
}

void akt__worker_ctx_refill(akt__worker *w) {
    /* relaxed: only uniqueness matters, and every RMW of one atomic returns a distinct
     * value whatever the order; nothing else is published through it. */
    uint64_t block = atomic_fetch_add_explicit(&akt__ctx_blocks, 1, memory_order_relaxed);
    w->ctx_seq = block * AKT__CTX_BLOCK;
    w->ctx_seq_end = w->ctx_seq + AKT__CTX_BLOCK;
}

/* Runs d's queued releases on this thread, as its runner (nested ones then run at once). */
static int akt__releases_run_here(struct akt_dispatcher *d) {
    if (!atomic_load_explicit(&d->releases.head, memory_order_relaxed)) return 0;
    struct akt_dispatcher *prev = akt__self.running;
    akt__self.running = d;
    akt__release_q_run(&d->releases);
    akt__self.running = prev;
    return 1;
}

void akt__dispatcher_free(akt_system *s, struct akt_dispatcher *d) {
    /* The releases that never got a run (akt_object_ops.release_on) run on the thread that
     * frees the system. The system frees its external dispatchers first to last, so while
     * the first goes all are alive: run them all until none is left, as one release may
     * queue another on a different dispatcher of s. */
    if (d->external && d == s->externals) {
        int again = 1;
        while (again) {
            again = 0;
            for (struct akt_dispatcher *e = d; e; e = e->next) again |= akt__releases_run_here(e);
        }
    }
    if (d->external) akt__releases_run_here(d);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->cond);
    akt__heap_free(&s->heap, d->workers);
    akt__heap_free(&s->heap, d);
}

AKT_API int akt_pid_runs_on(akt_system *system, akt_pid pid, akt_dispatcher *dispatcher, int *out) {
    if (!system || !out || (dispatcher && dispatcher->system != system)) return AKT_EINVAL;
    akt__cell *c = akt__pid_index(pid) == AKT__GUARDIAN ? NULL : akt__cell_live(system, pid);
    if (!c) return AKT_ENOTFOUND;
    /* disp is set at spawn and kept for the actor's life. The cell may have been reused
     * since the check above, though: the answer counts only if the pid is still the cell's.
     * acquire fence: orders the read of disp before the second read of the id. */
    struct akt_dispatcher *d = akt__cell_disp(c);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&c->id, memory_order_relaxed) != pid.id) return AKT_ENOTFOUND;
    *out = d == (dispatcher ? dispatcher : system->workers);
    return 0;
}
