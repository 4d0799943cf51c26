/* Intrusive multi-producer single-consumer queue (Vyukov). A push is one atomic exchange
 * and one store; the consumer never blocks producers. The stub node lives in the queue so
 * an empty queue costs no allocation. */
#ifndef AKT_CORE_QUEUE_MPSC_H
#define AKT_CORE_QUEUE_MPSC_H
#include <stdatomic.h>
#include <stddef.h>

typedef struct akt__node {
    _Atomic(struct akt__node *) next;
} akt__node;

typedef struct akt__mpsc {
    _Atomic(akt__node *) head; /* producers' end */
    akt__node *tail;           /* consumer's end; only the consumer touches it */
    akt__node stub;
} akt__mpsc;

static inline void akt__mpsc_init(akt__mpsc *q) {
    atomic_init(&q->stub.next, NULL);
    atomic_init(&q->head, &q->stub);
    q->tail = &q->stub;
}

static inline void akt__mpsc_push(akt__mpsc *q, akt__node *n) {
    atomic_store_explicit(&n->next, NULL, memory_order_relaxed);
    /* seq_cst: the exchange is the "message is in" half of the Dekker pair with the
     * consumer's "scheduled = 0; re-check queue" (see actor/turn.c, akt__cell_release); acq_rel
     * alone would let the producer's later load of the scheduled flag pass this store. */
    akt__node *prev = atomic_exchange_explicit(&q->head, n, memory_order_seq_cst);
    /* release: publishes n's contents to the consumer that follows prev->next. */
    atomic_store_explicit(&prev->next, n, memory_order_release);
}

/* Pushes a chain first..last (already linked through next) in one exchange. */
static inline void akt__mpsc_push_chain(akt__mpsc *q, akt__node *first, akt__node *last) {
    atomic_store_explicit(&last->next, NULL, memory_order_relaxed);
    akt__node *prev = atomic_exchange_explicit(&q->head, last, memory_order_seq_cst);
    atomic_store_explicit(&prev->next, first, memory_order_release);
}

/* Consumer only. NULL when empty, or when a producer is between its exchange and its
 * link store (the message is then visible to akt__mpsc_maybe_nonempty). */
static inline akt__node *akt__mpsc_pop(akt__mpsc *q) {
    akt__node *tail = q->tail;
    /* acquire: pairs with the producer's release store of next. */
    akt__node *next = atomic_load_explicit(&tail->next, memory_order_acquire);
    if (tail == &q->stub) {
        if (!next) return NULL;
        q->tail = next;
        tail = next;
        next = atomic_load_explicit(&next->next, memory_order_acquire);
    }
    if (next) {
        q->tail = next;
        return tail;
    }
    if (tail != atomic_load_explicit(&q->head, memory_order_acquire)) return NULL;
    akt__mpsc_push(q, &q->stub);
    next = atomic_load_explicit(&tail->next, memory_order_acquire);
    if (next) {
        q->tail = next;
        return tail;
    }
    return NULL;
}

/* Consumer only: whether a message is in or on its way in. seq_cst load: the consumer's
 * half of the Dekker pair. */
static inline int akt__mpsc_maybe_nonempty(akt__mpsc *q) {
    return atomic_load_explicit(&q->head, memory_order_seq_cst) != &q->stub || q->tail != &q->stub;
}

#endif
