/* The fair mailbox: one FIFO sub-queue per sender, the non-empty ones in a ring served
 * round-robin one message at a time. A sender found in a small hash table of chained
 * buckets; a sub-queue that empties leaves the ring and goes to a spare list, so a steady
 * set of senders allocates nothing. Runner-only: no lock, no atomic. */
#include <string.h>

#include "mailbox.h"

#define AKT__FAIR_BUCKETS 64u /* power of two; chains stay short for tens of senders */

typedef struct akt__fair_sub {
    uint64_t sender;
    akt__envelope *head, *tail;
    struct akt__fair_sub *hnext; /* bucket chain, or the spare list */
    struct akt__fair_sub *rnext; /* ring */
} akt__fair_sub;

typedef struct akt__fair {
    akt__fair_sub *buckets[AKT__FAIR_BUCKETS];
    akt__fair_sub *head, *tail; /* ring: head is served next, tail->rnext == head */
    akt__fair_sub *spare;
    size_t n; /* envelopes kept */
} akt__fair;

int akt__mailbox_fair_new(akt__heap *h, void **order) {
    akt__fair *q = akt__heap_calloc(h, sizeof *q);
    if (!q) return AKT_ENOMEM;
    *order = q;
    return 0;
}

static akt__fair_sub **akt__fair_bucket(akt__fair *q, uint64_t sender) {
    uint64_t x = sender * UINT64_C(0x9e3779b97f4a7c15); /* Fibonacci hashing */
    return &q->buckets[(x >> 32) & (AKT__FAIR_BUCKETS - 1)];
}

static akt__envelope *akt__env_next_of(akt__envelope *e) {
    return (akt__envelope *)atomic_load_explicit(&e->node.next, memory_order_relaxed);
}

static int akt__fair_put(akt__mailbox *mb, akt__envelope *e) {
    akt__fair *q = mb->order;
    akt__fair_sub **b = akt__fair_bucket(q, e->sender), *s = *b;
    while (s && s->sender != e->sender) s = s->hnext;
    if (!s) { /* a sender with nothing waiting: a sub-queue at the end of the round */
        s = q->spare;
        if (s)
            q->spare = s->hnext;
        else if (!(s = akt__heap_alloc(mb->heap, sizeof *s)))
            return 0;
        s->sender = e->sender;
        s->head = s->tail = NULL;
        s->hnext = *b;
        *b = s;
        if (q->tail) {
            q->tail->rnext = s;
            s->rnext = q->head;
        } else {
            q->head = s;
            s->rnext = s;
        }
        q->tail = s;
    }
    atomic_store_explicit(&e->node.next, NULL, memory_order_relaxed);
    if (s->tail)
        atomic_store_explicit(&s->tail->node.next, &e->node, memory_order_relaxed);
    else
        s->head = e;
    s->tail = e;
    q->n++;
    return 1;
}

static void akt__fair_unhash(akt__fair *q, akt__fair_sub *s) {
    akt__fair_sub **p = akt__fair_bucket(q, s->sender);
    while (*p != s) p = &(*p)->hnext;
    *p = s->hnext;
}

static akt__envelope *akt__fair_take(akt__mailbox *mb) {
    akt__fair *q = mb->order;
    akt__fair_sub *s = q->head;
    if (!s) return NULL;
    akt__envelope *e = s->head;
    s->head = akt__env_next_of(e);
    q->n--;
    if (s->head) { /* next sender's turn */
        q->tail = s;
        q->head = s->rnext;
        return e;
    }
    s->tail = NULL; /* empty: out of the ring and the table */
    if (s->rnext == s) {
        q->head = q->tail = NULL;
    } else {
        q->head = s->rnext;
        q->tail->rnext = q->head;
    }
    akt__fair_unhash(q, s);
    s->hnext = q->spare;
    q->spare = s;
    return e;
}

static size_t akt__fair_size(const akt__mailbox *mb) { return ((const akt__fair *)mb->order)->n; }

static void akt__fair_free(akt__mailbox *mb) {
    akt__fair *q = mb->order;
    for (akt__fair_sub *s = q->spare, *n; s; s = n) {
        n = s->hnext;
        akt__heap_free(mb->heap, s);
    }
    for (unsigned i = 0; i < AKT__FAIR_BUCKETS; i++) /* empty after a drain; for safety */
        for (akt__fair_sub *s = q->buckets[i], *n; s; s = n) {
            n = s->hnext;
            akt__heap_free(mb->heap, s);
        }
    akt__heap_free(mb->heap, q);
}

const akt__mailbox_ops akt__mailbox_fair_ops = {
    .name = "fair",
    .put = akt__fair_put,
    .take = akt__fair_take,
    .size = akt__fair_size,
    .free = akt__fair_free,
    .bytes_per_message = 0, /* linked through the envelope; a sub-queue per sender */
};
