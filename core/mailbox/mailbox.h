/* Mailbox kinds other than the default unbounded FIFO, and bounds on any kind.
 *
 * Every kind keeps the cell's lock-free MPSC queue (cell.mbox) as its intake: a sender
 * always does one exchange, as for the default. A kind orders messages on the consumer's
 * side only: when the actor takes its next message, the runner moves what came in into the
 * kind's structure (a heap, per-sender sub-queues) and takes from there. The structure is
 * owned by the one runner of the actor (its sched flag), so it needs no lock and no atomic.
 * A bound is a counter on the slot's record that senders reserve from (a CAS) and the runner
 * gives back when a counted message leaves the mailbox.
 *
 * Atomics per message (sender + runner), on top of the intake's exchange + store + load:
 *   FIFO unbounded     0 (the default reads no record: its page has none, or its
 *                      slot in the page's records is NULL)
 *   any kind bounded   +1 CAS (sender), +1 fetch_sub and +1 load (runner: wake a blocked
 *                      sender); a blocked sender adds its futex calls only when full
 *   PRIORITY, FAIR     +0: their structures are the runner's own
 *
 * Lifetime. The record (akt__mailbox) belongs to the cell slot, not to one incarnation:
 * created by the first spawn of the slot that needs it, reset by every later spawn, freed
 * only with the system. A sender that raced a respawn therefore never touches freed memory,
 * and the count stays exact across incarnations: an envelope that took a slot carries
 * AKT__ENV_COUNTED and gives it back whoever takes it (receive, a dead cell's drain). The
 * order structure (ops + order) is per incarnation: set up by the spawn that owns the cell,
 * freed at finalisation once drained. */
#ifndef AKT_CORE_MAILBOX_MAILBOX_H
#define AKT_CORE_MAILBOX_MAILBOX_H
#include <akt/akt.h>
#include <stdatomic.h>
#include <stddef.h>

#include "base/alloc.h"
#include "kernel/cell.h"
#include "kernel/envelope.h"
#include "kernel/stats.h"

typedef struct akt__mailbox akt__mailbox;

/* The slot's record of c (NULL: the default FIFO on a slot that never had another), from
 * its page's records (kernel/stats.h: akt__page_tail.mailboxes). The page's pointer is
 * loaded with acquire: it pairs with the release store that published the zeroed array
 * (akt__mailbox_page_ready). mo orders the record's own load: acquire for a sender (pairs
 * with akt__mailbox_install's release, for a stale sender of an earlier incarnation),
 * relaxed for the runner or a spawn (the sched flag or the structure lock orders it). */
static inline akt__mailbox *akt__cell_mailbox(akt__cell *c, memory_order mo) {
    uint32_t slot = akt__cell_slot(c);
    _Atomic(akt__mailbox *) *v = atomic_load_explicit(&akt__page_tail_at(c, slot)->mailboxes,
                                                      memory_order_acquire);
    return v ? atomic_load_explicit(&v[slot], mo) : NULL;
}

/* A kind's order, all runner-only. put never fails: a kind that cannot keep an envelope
 * (no memory) returns 0 and the runner hands that envelope out at once (out of order, never
 * lost). */
typedef struct akt__mailbox_ops {
    const char *name;
    int (*put)(akt__mailbox *mb, akt__envelope *e); /* 1 = kept, 0 = hand it out now */
    akt__envelope *(*take)(akt__mailbox *mb);       /* NULL when empty */
    size_t (*size)(const akt__mailbox *mb);         /* envelopes kept */
    void (*free)(akt__mailbox *mb);                 /* frees the order; it is empty */
    size_t bytes_per_message;                       /* what one kept envelope adds */
} akt__mailbox_ops;

struct akt__mailbox {
    /* Read by senders of any incarnation: atomics, relaxed (each is one independent word;
     * the record itself was published with the slot's pointer, see akt__mailbox_install). */
    _Atomic uint64_t limit;   /* capacity | when_full << 32; 0 = unbounded */
    _Atomic int64_t block_ns; /* AKT_MAILBOX_BLOCK's timeout */
    atomic_int count;         /* counted envelopes in the mailbox (futex word) */
    atomic_int waiters;       /* senders blocked on count */
    /* Runner-only (the current incarnation's order). */
    const akt__mailbox_ops *ops; /* NULL: FIFO, the intake itself */
    void *order;
    akt__heap *heap;
};

/* The kinds (priority.c, fair.c). Each makes its order for spec or returns AKT_ENOMEM. */
extern const akt__mailbox_ops akt__mailbox_priority_ops;
extern const akt__mailbox_ops akt__mailbox_fair_ops;
int akt__mailbox_priority_new(akt__heap *h, const akt_mailbox_spec *spec, void **order);
int akt__mailbox_fair_new(akt__heap *h, void **order);

/* A spawn's mailbox, prepared before the structure lock (where nothing may fail). */
typedef struct akt__mailbox_plan {
    akt_mailbox_spec spec;
    const akt__mailbox_ops *ops;
    void *order;
    akt__mailbox *spare; /* a record, in case the slot has none yet */
} akt__mailbox_plan;

/* Checks spec (NULL = default) and allocates what the spawn needs. AKT_EINVAL, AKT_ENOMEM. */
int akt__mailbox_plan_make(akt__heap *h, const akt_mailbox_spec *spec, akt__mailbox_plan *p);
/* Gives back what a failed spawn did not use. */
void akt__mailbox_plan_drop(akt__heap *h, akt__mailbox_plan *p);
/* By the spawn that owns c, under the structure lock, before anything it cannot undo: makes
 * the records of c's page if p needs a record and the page has none. AKT_ENOMEM. */
int akt__mailbox_page_ready(akt__heap *h, akt__cell *c, const akt__mailbox_plan *p);
/* By the spawn that owns c, before publishing its pid: sets up c's mailbox from p (which
 * is used up, its spare record freed if c had one already). */
void akt__mailbox_install(akt__heap *h, akt__cell *c, akt__mailbox_plan *p);

/* What a sender may do with the mailbox. */
#define AKT__ADMIT_FREE 0    /* unbounded: not counted */
#define AKT__ADMIT_COUNTED 1 /* took a slot: mark the envelope AKT__ENV_COUNTED */
#define AKT__ADMIT_DROP 2    /* full, drop policy: dead-letter it */
/* Reserves room for n messages: one of the above, or AKT_EFULL / AKT_ETIMEDOUT (nothing
 * reserved). may_block: the caller is outside every actor callback. */
int akt__mailbox_admit(akt__mailbox *mb, uint32_t n, int may_block);
/* For a batch of n: AKT__ADMIT_FREE, or AKT__ADMIT_COUNTED with *counted slots taken (n,
 * or with the drop policy as many as were free, maybe 0: the rest are dropped), or
 * AKT_EFULL / AKT_ETIMEDOUT (nothing reserved). */
int akt__mailbox_admit_batch(akt__mailbox *mb, uint32_t n, int may_block, uint32_t *counted);
/* Gives back n slots (a sender that reserved and could not send, or the runner). */
void akt__mailbox_unreserve(akt__mailbox *mb, uint32_t n);

/* Runner-only: the next user envelope of c, in its mailbox's order; NULL when empty (or a
 * sender is between its exchange and its link). */
static inline akt__envelope *akt__mailbox_take(akt__cell *c) {
    /* relaxed: the runner's own record, published to it by the sched flag. */
    akt__mailbox *mb = akt__cell_mailbox(c, memory_order_relaxed);
    akt__envelope *e = (akt__envelope *)akt__mpsc_pop(&c->mbox);
    if (!mb) {
        if (e) akt__stat_bump(&akt__stats_of(c)->dequeued, 1);
        return e;
    }
    if (mb->ops) {
        while (e && mb->ops->put(mb, e)) e = (akt__envelope *)akt__mpsc_pop(&c->mbox);
        if (!e) e = mb->ops->take(mb);
    }
    if (e && (e->flags & AKT__ENV_COUNTED)) {
        e->flags &= (uint8_t)~AKT__ENV_COUNTED;
        akt__mailbox_unreserve(mb, 1);
    }
    if (e) akt__stat_bump(&akt__stats_of(c)->dequeued, 1);
    return e;
}

/* Runner-only: whether c's order holds envelopes (the intake aside). */
static inline int akt__mailbox_holds(const akt__cell *c) {
    akt__mailbox *mb = akt__cell_mailbox((akt__cell *)c, memory_order_relaxed); /* as above */
    return mb && mb->ops && mb->ops->size(mb) != 0;
}

/* Runner-only, at finalisation once c's mailbox is drained: frees the incarnation's order
 * (later mail queues FIFO and is dead-lettered). */
void akt__mailbox_end(akt__heap *h, akt__cell *c);
/* With the system: frees the slot's record (c drained, no sender left). */
void akt__mailbox_free(akt__heap *h, akt__cell *c);

/* Bytes one queued message costs in a kind (the envelope, and what the kind adds). */
size_t akt__mailbox_bytes_per_message(int kind);

#endif
