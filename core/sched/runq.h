/* A worker's own run queue: a LIFO slot for the actor it woke last, then a bounded ring
 * that its owner pushes at the tail and that the owner and thieves take from at the head.
 *
 * Only the owning worker writes `tail` and the ring's slots; the owner and every thief
 * take cells by a CAS on `head`, so each queued cell is taken exactly once. The indexes
 * are free-running 32-bit counters (wrap-around arithmetic). A slot the owner rewrites
 * lies a whole ring beyond every index a thief may be reading, which it can only reach
 * after `head` moved on: such a thief's CAS then fails and its read is discarded. */
#ifndef AKT_CORE_SCHED_RUNQ_H
#define AKT_CORE_SCHED_RUNQ_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/cell.h"

#define AKT__RUNQ_CAP 256u

typedef struct akt__runq {
    /* The actor this worker woke last, run next (a message's receiver runs on the core
     * whose cache holds the message). Owner and thieves take it by an exchange. */
    _Atomic(akt__cell *) lifo;
    atomic_uint head; /* next to take (owner and thieves: CAS) */
    atomic_uint tail; /* next free slot (owner only) */
    _Atomic(akt__cell *) slot[AKT__RUNQ_CAP];
    /* perf begin: */
    /* Cells that other workers woke while this one was in a turn, and that last ran here
     * (their home: akt__dispatch_enqueue): a stack linked through run_next, newest first,
     * pushed by a CAS (release: the cell's queueing before it), taken whole by an exchange
     * (acquire), by the owner after its turn or by a thief; a stack taken whole has no ABA
     * problem. On a line of its own: its pushers write it, its owner polls it every run. */
    char pad_intake[64];
    _Atomic(akt__cell *) intake;
    char pad_after[56];
    /* perf end */
} akt__runq;

/* Owner: appends c if there is room; 0 when the ring is full. */
static inline int akt__runq_push(akt__runq *q, akt__cell *c) {
    /* acquire: pairs with a thief's acq_rel CAS on head, so its reads of the slots it took
     * happen before the owner writes them again. */
    unsigned h = atomic_load_explicit(&q->head, memory_order_acquire);
    /* relaxed: only the owner writes tail. */
    unsigned t = atomic_load_explicit(&q->tail, memory_order_relaxed);
    if (t - h >= AKT__RUNQ_CAP) return 0;
    /* relaxed: published by the release store of tail below. */
    atomic_store_explicit(&q->slot[t % AKT__RUNQ_CAP], c, memory_order_relaxed);
    /* release: a thief that reads this tail (acquire) sees the slot and everything the
     * waker did before queueing c (its sched flag CAS, the message push). */
    atomic_store_explicit(&q->tail, t + 1, memory_order_release);
    return 1;
}

/* Takes the oldest queued cell, or NULL. Owner only (thieves use akt__runq_steal). */
static inline akt__cell *akt__runq_pop(akt__runq *q) {
    /* acquire: as in push (a thief's taking of the slots before h). */
    unsigned h = atomic_load_explicit(&q->head, memory_order_acquire);
    unsigned t = atomic_load_explicit(&q->tail, memory_order_relaxed); /* owner's own */
    while (h != t) {
        akt__cell *c = atomic_load_explicit(&q->slot[h % AKT__RUNQ_CAP], memory_order_relaxed);
        /* acq_rel: wins slot h against thieves (the RMW's total order decides); release
         * orders the read above before a later rewrite by the owner (it is the owner). */
        if (atomic_compare_exchange_weak_explicit(&q->head, &h, h + 1, memory_order_acq_rel,
                                                  memory_order_acquire))
            return c;
    }
    return NULL;
}

/* Owner: takes up to n of the oldest cells off the ring into out (to move them to the
 * inject queue when the ring is full). Returns how many. */
static inline unsigned akt__runq_take_oldest(akt__runq *q, akt__cell **out, unsigned n) {
    unsigned h = atomic_load_explicit(&q->head, memory_order_acquire);
    for (;;) {
        unsigned t = atomic_load_explicit(&q->tail, memory_order_relaxed);
        unsigned k = t - h < n ? t - h : n;
        for (unsigned i = 0; i < k; i++)
            out[i] = atomic_load_explicit(&q->slot[(h + i) % AKT__RUNQ_CAP], memory_order_relaxed);
        /* acq_rel: as in pop; a thief that moved head first makes us read again. */
        if (atomic_compare_exchange_weak_explicit(&q->head, &h, h + k, memory_order_acq_rel,
                                                  memory_order_acquire))
            return k;
    }
}

/* Thief: moves about half of victim's ring, at most max cells, into its own ring `mine`
 * (which its caller, the owner of `mine`, found empty) and returns one of them to run, or
 * NULL. */
static inline akt__cell *akt__runq_steal(akt__runq *victim, akt__runq *mine, unsigned max) {
    unsigned h = atomic_load_explicit(&victim->head, memory_order_acquire);
    for (;;) {
        /* acquire: pairs with the owner's release of tail: the slots below it are written. */
        unsigned t = atomic_load_explicit(&victim->tail, memory_order_acquire);
        unsigned n = t - h;
        if (n == 0 || n > AKT__RUNQ_CAP) {
            if (n == 0) return NULL;
            /* head moved on between the two loads: read it again */
            h = atomic_load_explicit(&victim->head, memory_order_acquire);
            continue;
        }
        n -= n / 2; /* half, rounded up: a lone cell is taken too */
        if (n > max) n = max;
        unsigned mt = atomic_load_explicit(&mine->tail, memory_order_relaxed); /* ours */
        for (unsigned i = 0; i < n; i++) {
            akt__cell *c = atomic_load_explicit(&victim->slot[(h + i) % AKT__RUNQ_CAP],
                                                memory_order_relaxed);
            /* relaxed: not published until the store of mine->tail below. */
            atomic_store_explicit(&mine->slot[(mt + i) % AKT__RUNQ_CAP], c, memory_order_relaxed);
        }
        /* acq_rel: the CAS that makes the copies ours; release orders the slot reads before
         * the victim's later rewrite of them (its push loads head with acquire). */
        if (!atomic_compare_exchange_weak_explicit(&victim->head, &h, h + n, memory_order_acq_rel,
                                                   memory_order_acquire))
            continue;
        /* The last copied runs now; the others are published for thieves of ours. */
        akt__cell *run = atomic_load_explicit(&mine->slot[(mt + n - 1) % AKT__RUNQ_CAP],
                                              memory_order_relaxed);
        /* release: as in push. */
        if (n > 1) atomic_store_explicit(&mine->tail, mt + n - 1, memory_order_release);
        return run;
    }
}

/* A stack of cells linked through run_next, newest first, that threads push one cell at a
 * time and a taker empties whole: a worker's intake (above) and the inject queue's
 * (dispatch.h). Taken whole, it has no ABA problem. */
static inline void akt__cell_stack_push(_Atomic(akt__cell *) *top, akt__cell *c) {
    /* relaxed: the CAS below checks it. */
    akt__cell *head = atomic_load_explicit(top, memory_order_relaxed);
    do {
        c->run_next = head;
        /* release: the cell's queueing (its message, its sched flag) and its link happen
         * before the taker's acquire exchange sees it. */
    } while (!atomic_compare_exchange_weak_explicit(top, &head, c, memory_order_release,
                                                    memory_order_relaxed));
}

/* Takes the whole stack, oldest first (linked through run_next), or NULL; its last cell and
 * how many there are go to *last and *n when those are not NULL. */
static inline akt__cell *akt__cell_stack_take(_Atomic(akt__cell *) *top, akt__cell **last,
                                              size_t *n) {
    /* relaxed peek, then acquire: pairs with the pushers' release CAS. */
    if (!atomic_load_explicit(top, memory_order_relaxed)) return NULL;
    akt__cell *c = atomic_exchange_explicit(top, NULL, memory_order_acquire);
    akt__cell *fifo = NULL;
    size_t count = 0;
    if (last) *last = c;
    while (c) { /* newest first: reverse */
        akt__cell *next = c->run_next;
        c->run_next = fifo;
        fifo = c;
        c = next;
        count++;
    }
    if (n) *n = count;
    return fifo;
}

/* Whether the ring or the intake holds cells (the LIFO slot aside). Exact enough for the
 * owner; for any other thread a hint (the searcher's re-announcement, the monitor). */
static inline int akt__runq_has_backlog(akt__runq *q) {
    /* relaxed: the owner's own tail, and a head that only grows (a stale one errs towards
     * "yes", which only queues a cell behind one being stolen); others only decide whether
     * to wake a worker, which then looks for itself. */
    return atomic_load_explicit(&q->tail, memory_order_relaxed) !=
               atomic_load_explicit(&q->head, memory_order_relaxed) ||
           atomic_load_explicit(&q->intake, memory_order_relaxed) != NULL;
}

/* A relaxed look: is anything queued here? (a hint for pollers and for wake-up choices) */
static inline int akt__runq_nonempty(akt__runq *q) {
    return atomic_load_explicit(&q->lifo, memory_order_relaxed) != NULL || akt__runq_has_backlog(q);
}

#endif
