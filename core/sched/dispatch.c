/* Queueing a cell with work: a built-in worker queues what it wakes on its own run queue
 * (runq.h); other threads go through the dispatcher's inject queue (a FIFO under a mutex,
 * fed by a lock-free intake: dispatch.h), which is also an external dispatcher's only
 * queue. */
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
    atomic_init(&d->sleepers, 0);
    atomic_init(&d->fence_word, 0);
    atomic_init(&d->held, NULL);
    atomic_init(&d->intake, NULL);
    atomic_init(&d->hold_seq, 0);
    if (pthread_mutex_init(&d->lock, NULL)) return AKT_ENOMEM;
    if (pthread_cond_init(&d->cond, NULL)) {
        pthread_mutex_destroy(&d->lock);
        return AKT_ENOMEM;
    }
    d->ext_worker.disp = d;
    d->ext_worker.index = -2;
    return 0;
}

/* Appends the n cells first..last (linked through run_next, last's NULL) to the inject
 * queue's tail (d's lock held). */
static void akt__inject_append_locked(struct akt_dispatcher *d, akt__cell *first, akt__cell *last,
                                      size_t n) {
    if (d->rq_tail)
        d->rq_tail->run_next = first;
    else
        d->rq_head = first;
    d->rq_tail = last;
    /* relaxed: a hint for pollers; the lock orders the queue itself. */
    atomic_fetch_add_explicit(&d->rq_len, n, memory_order_relaxed);
}

void akt__inject_splice_locked(struct akt_dispatcher *d) {
    akt__cell *last;
    size_t n;
    akt__cell *fifo = akt__cell_stack_take(&d->intake, &last, &n);
    if (fifo) akt__inject_append_locked(d, fifo, last, n);
}

void akt__dispatch_inject(struct akt_dispatcher *d, akt__cell *first, akt__cell *last, size_t n) {
    last->run_next = NULL;
    if (n == 1 && !d->external && !akt__self.asking) {
        /* A plain thread's (or the monitor's, or a blocking worker's) one cell: onto the
         * intake, and a wake-up. An asker's goes under the lock: it may be held for it. */
        akt__cell_stack_push(&d->intake, first); /* no lock */
        akt__disp_notify(d);
        return;
    }
    pthread_mutex_lock(&d->lock);
    akt__inject_splice_locked(d); /* the intake's cells came first */
    int was_empty = d->rq_head == NULL;
    akt__inject_append_locked(d, first, last, n);
    int held = was_empty && n == 1 && akt__self.asking && !d->external;
    if (held) {
        /* relaxed: hints (see held); the lock orders them with the queue. */
        atomic_store_explicit(&d->held, first, memory_order_relaxed);
        unsigned seq = atomic_load_explicit(&d->hold_seq, memory_order_relaxed);
        atomic_store_explicit(&d->hold_seq, seq + 1, memory_order_relaxed); /* one writer */
    }
    pthread_mutex_unlock(&d->lock);
    if (d->external) {
        if (was_empty && d->notify) d->notify(d->notify_data);
        return;
    }
    if (held && akt__self.asking == AKT__ASKING_WAITS) {
        /* The asker runs this turn next, on its own core, or makes this wake-up itself
         * when it cannot (akt_ask_wait): a woken worker would only find the cell held. */
        akt__self.owed = d;
        return;
    }
    akt__disp_notify(d);
}

void akt__disp_notify(struct akt_dispatcher *d) {
    /* seq_cst fence: the waker's half of two Dekker pairs. The work was queued (a store)
     * before this fence; a worker that stops searching decrements `spinning` and one that
     * parks increments `sleepers`, each followed by a seq_cst fence and a look at every
     * queue. Either this waker sees the count, or that worker sees the work. */
    akt__sched_fence(d);
    if (atomic_load_explicit(&d->spinning, memory_order_relaxed)) return;  /* it will find it */
    if (!atomic_load_explicit(&d->sleepers, memory_order_relaxed)) return; /* all are busy */
    /* A sleeper counted itself under the lock and looks at the queues before it waits,
     * releasing the lock only in the wait: once we hold the lock, it waits or has left. */
    pthread_mutex_lock(&d->lock);
    pthread_mutex_unlock(&d->lock);
    pthread_cond_signal(&d->cond);
}

/* perf begin: */
/* Queues cheap cell c on its home h's intake if h is in a turn (1), else leaves it to the
 * caller (0). Cheap actors that talk to each other then gather on the lowest-numbered busy
 * worker (akt__dispatch_enqueue sends them only down), where their messages do not cross
 * cores, and the other workers, finding only cheap cells there (workers.c), park: such a
 * group runs about as fast as on one worker. Savina's Big (120 actors pinging random peers, each
 * turn ~0.1 us) and Chameneos ran 1.2-1.4x slower at 2 workers than at 1 when a woken actor
 * went to its waker's core: half of them ran on each worker and every other message moved an
 * actor's lines from one core to the other. Not while h searches or sleeps: then nothing
 * runs there, and a chain of actors waking each other (PingPong, an ask chain) merges onto
 * this worker, as before. */
static int akt__enqueue_home(struct akt_dispatcher *d, akt__worker *h, akt__cell *c) {
    /* relaxed: a hint; the parked state is checked again after the push. */
    if (atomic_load_explicit(&h->idle, memory_order_relaxed) != AKT__IDLE_BUSY) return 0;
    akt__cell_stack_push(&h->q.intake, c);
    /* seq_cst fence: the pusher's half of the Dekker pair with a parking owner (it stores
     * AKT__IDLE_PARKED, fences and looks at its intake): either it sees the cell, or we see
     * it parked and wake a worker, who takes the intake of a parked worker (workers.c). */
    akt__sched_fence(d);
    if (atomic_load_explicit(&h->idle, memory_order_relaxed) == AKT__IDLE_PARKED)
        akt__disp_notify(d);
    return 1;
}
/* perf end */

void akt__dispatch_enqueue(struct akt_dispatcher *d, akt__cell *c, unsigned idle) {
    akt__worker *w = akt__this_worker;
    if (!w || w->disp != d) { /* another thread, or another dispatcher's worker */
        akt__dispatch_inject(d, c, c, 1);
        return;
    }
    /* perf begin: */
    /* Only a cheap actor woken by a cheap one: a costly waker (a producer's long turn) keeps
     * its cheap receivers here, as akt__lifo_fed_cheap does (a pair of actors, Counting). */
    unsigned home = idle >> AKT__SCHED_HOME_SHIFT; /* index + 1, 0 for none */
    akt__cell *waker = atomic_load_explicit(&w->current, memory_order_relaxed); /* our own */
    if ((idle & AKT__SCHED_CHEAP) && home && (int)home - 1 < w->index && waker && waker->cheap &&
        akt__enqueue_home(d, &d->workers[home - 1], c))
        return;
    /* perf end */
    int notify;
    if (c == waker) { /* our own write */
        /* The cell w is running re-queues itself (its turn's budget ran out): to the tail,
         * behind the others. Worth another worker only if there are others, and the ring's
         * oldest (c, or one before it) is not cheap (a thief would leave it). */
        int others = akt__runq_nonempty(&w->q);
        if (!akt__runq_push(&w->q, c)) goto overflow;
        notify = others && akt__runq_worth_announcing(&w->q);
    } else if (akt__runq_has_backlog(&w->q)) {
        /* Woken while others wait: behind them. The woken ones of a busy worker then
         * gather messages while they wait (a fan-in actor takes them in one turn), and an
         * idle worker may steal them: worth a wake-up unless they are cheap. */
        notify = !akt__cell_is_cheap(c);
        if (!akt__runq_push(&w->q, c)) goto overflow;
    } else {
        /* Woken by the actor w runs, nothing else waiting: it runs next, here, where its
         * message is in cache. The slot's previous cell goes to the ring, where an idle
         * worker may steal it: only then is there work for a second worker. acq_rel: takes
         * in the previous cell's queueing (acquire) and publishes c's (release) to a
         * thief's exchange. */
        akt__cell *prev = atomic_exchange_explicit(&w->q.lifo, c, memory_order_acq_rel);
        /* Not announced: the cell runs when this turn ends, and waking a parked worker
         * for it (a futex call on this turn's path, then ~30 us of that worker's search
         * polling these lines) made PingPong and ThreadRing 1.6-1.9x slower at 2
         * workers than at 1. A turn that goes on for long still has the cell taken: by a
         * worker that happens to search (akt__steal_stranded), else by the monitor
         * within ~10 ms (monitor.c); but not a cheap cell that the turn keeps feeding
         * (akt__lifo_fed_cheap), such as Savina's Counting counter, which runs after
         * its producer's turn, as with one worker. */
        if (!prev) return;
        c = prev;
        notify = !akt__cell_is_cheap(c);
        if (!akt__runq_push(&w->q, c)) goto overflow;
    }
    if (notify) akt__disp_notify(d);
    return;
overflow:;
    /* The ring is full: half of it, then c, go to the inject queue (others take from it). */
    akt__cell *batch[AKT__RUNQ_CAP / 2];
    unsigned n = akt__runq_take_oldest(&w->q, batch, AKT__RUNQ_CAP / 2);
    for (unsigned i = 0; i < n; i++) batch[i]->run_next = i + 1 < n ? batch[i + 1] : c;
    akt__dispatch_inject(d, n ? batch[0] : c, c, n + 1);
}

akt__cell *akt__dispatch_pop_locked(struct akt_dispatcher *d) {
    akt__inject_splice_locked(d);
    akt__cell *c = d->rq_head;
    if (c) {
        d->rq_head = c->run_next;
        if (!d->rq_head) d->rq_tail = NULL;
        atomic_fetch_sub_explicit(&d->rq_len, 1, memory_order_relaxed);
        /* relaxed: a hint (see held), written under the lock. */
        if (atomic_load_explicit(&d->held, memory_order_relaxed) == c)
            atomic_store_explicit(&d->held, NULL, memory_order_relaxed);
    }
    return c;
}

akt__cell *akt__dispatch_try_pop(struct akt_dispatcher *d) {
    if (!akt__inject_pending(d)) return NULL;
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
    if (d->workers) akt__heap_free(&s->heap, d->workers[0].ring_seen);
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
