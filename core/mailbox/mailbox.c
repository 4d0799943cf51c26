/* The slot's mailbox record: spawn-time setup, the bound senders reserve from, and the
 * blocked senders' wait. */
#include "mailbox.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/futex.h"

static int akt__spec_read(const akt_mailbox_spec *in, akt_mailbox_spec *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    if (!in) return 0;
    if (in->size < offsetof(akt_mailbox_spec, compare)) return AKT_EINVAL;
    memcpy(o, in, in->size < sizeof *o ? in->size : sizeof *o);
    o->size = sizeof *o;
    if (o->kind < AKT_MAILBOX_FIFO || o->kind > AKT_MAILBOX_FAIR) return AKT_EINVAL;
    if (o->capacity > INT32_MAX) return AKT_EINVAL;
    if (o->capacity) {
        if (o->when_full < AKT_MAILBOX_FAIL || o->when_full > AKT_MAILBOX_BLOCK) return AKT_EINVAL;
        if (o->when_full == AKT_MAILBOX_BLOCK && o->block_timeout_ns <= 0) return AKT_EINVAL;
    }
    if (o->kind == AKT_MAILBOX_PRIORITY && !o->compare) return AKT_EINVAL;
    return 0;
}

int akt__mailbox_plan_make(akt__heap *h, const akt_mailbox_spec *spec, akt__mailbox_plan *p) {
    memset(p, 0, sizeof *p);
    int rc = akt__spec_read(spec, &p->spec);
    if (rc) return rc;
    if (p->spec.kind == AKT_MAILBOX_PRIORITY) {
        p->ops = &akt__mailbox_priority_ops;
        rc = akt__mailbox_priority_new(h, &p->spec, &p->order);
    } else if (p->spec.kind == AKT_MAILBOX_FAIR) {
        p->ops = &akt__mailbox_fair_ops;
        rc = akt__mailbox_fair_new(h, &p->order);
    }
    if (rc) return rc;
    if (p->ops || p->spec.capacity) {
        p->spare = akt__heap_calloc(h, sizeof *p->spare);
        if (!p->spare) {
            akt__mailbox_plan_drop(h, p);
            return AKT_ENOMEM;
        }
    }
    return 0;
}

void akt__mailbox_plan_drop(akt__heap *h, akt__mailbox_plan *p) {
    if (p->order) {
        akt__mailbox tmp = {.ops = p->ops, .order = p->order, .heap = h};
        p->ops->free(&tmp);
    }
    akt__heap_free(h, p->spare);
    memset(p, 0, sizeof *p);
}

int akt__mailbox_page_ready(akt__heap *h, akt__cell *c, const akt__mailbox_plan *p) {
    akt__page_tail *t = akt__page_tail_of(c);
    /* relaxed: only spawns store it, under the structure lock the caller holds. */
    if (!p->spare || atomic_load_explicit(&t->mailboxes, memory_order_relaxed)) return 0;
    _Atomic(akt__mailbox *) *v = akt__heap_calloc(h, AKT__PAGE_CELLS * sizeof *v);
    if (!v) return AKT_ENOMEM;
    /* release: a sender that loads the pointer (acquire, akt__cell_mailbox) sees the
     * zeroed slots. */
    atomic_store_explicit(&t->mailboxes, v, memory_order_release);
    return 0;
}

/* The slot of c in its page's records (the page has them: akt__mailbox_page_ready). */
static _Atomic(akt__mailbox *) *akt__mailbox_slot(akt__cell *c) {
    uint32_t slot = akt__cell_slot(c);
    /* relaxed: read by the spawn that made or saw the records, under the structure lock. */
    return atomic_load_explicit(&akt__page_tail_at(c, slot)->mailboxes, memory_order_relaxed) +
           slot;
}

void akt__mailbox_install(akt__heap *h, akt__cell *c, akt__mailbox_plan *p) {
    /* relaxed: only spawns (which own the cell) store the pointer. */
    akt__mailbox *mb = akt__cell_mailbox(c, memory_order_relaxed);
    if (!mb && !p->spare) return; /* the default, on a slot that never had another */
    int fresh = !mb;
    if (fresh) {
        mb = p->spare;
        p->spare = NULL;
        atomic_init(&mb->count, 0);
        atomic_init(&mb->waiters, 0);
        mb->heap = h;
    }
    uint64_t limit = p->spec.capacity
                         ? (uint64_t)p->spec.capacity | (uint64_t)(uint32_t)p->spec.when_full << 32
                         : 0;
    /* relaxed: a sender of this incarnation reads them after the pid's release
     * publication; one of an earlier incarnation may read either value, both harmless (its
     * message is dead-lettered as stale mail whatever the bound said). */
    atomic_store_explicit(&mb->limit, limit, memory_order_relaxed);
    atomic_store_explicit(&mb->block_ns, p->spec.block_timeout_ns, memory_order_relaxed);
    mb->ops = p->ops;
    mb->order = p->order;
    p->ops = NULL;
    p->order = NULL;
    /* release: a stale sender that loads the pointer (acquire) sees an initialised record;
     * senders of this incarnation are ordered by the pid's publication anyway. */
    if (fresh) atomic_store_explicit(akt__mailbox_slot(c), mb, memory_order_release);
    akt__heap_free(h, p->spare);
    p->spare = NULL;
}

/* Takes n slots if they are free; 1 if taken. */
static int akt__try_reserve(akt__mailbox *mb, uint32_t cap, uint32_t n) {
    /* relaxed: the count publishes nothing (messages are published by the intake). */
    int cur = atomic_load_explicit(&mb->count, memory_order_relaxed);
    while ((int64_t)cur + n <= (int64_t)cap)
        if (atomic_compare_exchange_weak_explicit(&mb->count, &cur, cur + (int)n,
                                                  memory_order_relaxed, memory_order_relaxed))
            return 1;
    return 0;
}

/* A sender outside actors waiting for room until its deadline. */
static int akt__wait_room(akt__mailbox *mb, uint32_t cap, uint32_t n, int64_t timeout_ns) {
    int64_t deadline = akt__deadline_after(akt__now_ns(), timeout_ns);
    /* seq_cst: the sender's half of the Dekker pair with akt__mailbox_unreserve ("waiters
     * raised, then count re-checked" against "count lowered, then waiters checked"), so a
     * wake-up is never missed. */
    atomic_fetch_add_explicit(&mb->waiters, 1, memory_order_seq_cst);
    int rc = AKT_ETIMEDOUT;
    for (;;) {
        if (akt__try_reserve(mb, cap, n)) {
            rc = AKT__ADMIT_COUNTED;
            break;
        }
        int seen = atomic_load_explicit(&mb->count, memory_order_seq_cst);
        if ((int64_t)seen + n <= (int64_t)cap) continue;
        int64_t left = deadline - akt__now_ns();
        if (left <= 0) break;
        struct timespec rel = {(time_t)(left / 1000000000), (long)(left % 1000000000)};
        akt__futex_wait(&mb->count, seen, &rel);
    }
    /* relaxed: leaving needs no ordering; a runner that still sees us wakes nobody. */
    atomic_fetch_sub_explicit(&mb->waiters, 1, memory_order_relaxed);
    return rc;
}

int akt__mailbox_admit(akt__mailbox *mb, uint32_t n, int may_block) {
    uint64_t limit = atomic_load_explicit(&mb->limit, memory_order_relaxed); /* see install */
    uint32_t cap = (uint32_t)limit;
    if (!cap) return AKT__ADMIT_FREE;
    if (akt__try_reserve(mb, cap, n)) return AKT__ADMIT_COUNTED;
    int when_full = (int)(limit >> 32);
    if (when_full == AKT_MAILBOX_DROP) return AKT__ADMIT_DROP;
    if (when_full == AKT_MAILBOX_BLOCK && may_block && n <= cap)
        return akt__wait_room(mb, cap, n,
                              atomic_load_explicit(&mb->block_ns, memory_order_relaxed));
    return AKT_EFULL;
}

int akt__mailbox_admit_batch(akt__mailbox *mb, uint32_t n, int may_block, uint32_t *counted) {
    uint64_t limit = atomic_load_explicit(&mb->limit, memory_order_relaxed); /* see install */
    uint32_t cap = (uint32_t)limit;
    *counted = 0;
    if (!cap) return AKT__ADMIT_FREE;
    if ((int)(limit >> 32) != AKT_MAILBOX_DROP) {
        int rc = akt__mailbox_admit(mb, n, may_block);
        if (rc == AKT__ADMIT_COUNTED) *counted = n;
        return rc;
    }
    /* relaxed: as in akt__try_reserve. */
    int cur = atomic_load_explicit(&mb->count, memory_order_relaxed), take;
    do {
        take = (int64_t)cur + n <= (int64_t)cap ? (int)n : cur < (int)cap ? (int)cap - cur : 0;
    } while (take && !atomic_compare_exchange_weak_explicit(
                         &mb->count, &cur, cur + take, memory_order_relaxed, memory_order_relaxed));
    *counted = (uint32_t)take;
    return AKT__ADMIT_COUNTED;
}

void akt__mailbox_unreserve(akt__mailbox *mb, uint32_t n) {
    /* seq_cst: the runner's half of the Dekker pair in akt__wait_room. */
    int left = atomic_fetch_sub_explicit(&mb->count, (int)n, memory_order_seq_cst) - (int)n;
    /* Blocked senders are woken once the mailbox is half empty, not at each free slot:
     * otherwise a full mailbox costs a wake-up and a sleep per message. */
    uint32_t cap = (uint32_t)atomic_load_explicit(&mb->limit, memory_order_relaxed);
    if (left <= (int)(cap / 2) && atomic_load_explicit(&mb->waiters, memory_order_seq_cst))
        akt__futex_wake_all(&mb->count);
}

void akt__mailbox_end(akt__heap *h, akt__cell *c) {
    (void)h;
    akt__mailbox *mb = akt__cell_mailbox(c, memory_order_relaxed); /* runner's */
    if (!mb || !mb->ops) return;
    mb->ops->free(mb);
    mb->ops = NULL;
    mb->order = NULL;
}

void akt__mailbox_free(akt__heap *h, akt__cell *c) {
    akt__mailbox_end(h, c);
    akt__mailbox *mb = akt__cell_mailbox(c, memory_order_relaxed); /* no sender left */
    if (!mb) return;
    atomic_store_explicit(akt__mailbox_slot(c), NULL, memory_order_relaxed);
    akt__heap_free(h, mb);
}

size_t akt__mailbox_bytes_per_message(int kind) {
    size_t env = sizeof(akt__envelope);
    if (kind == AKT_MAILBOX_PRIORITY) return env + akt__mailbox_priority_ops.bytes_per_message;
    if (kind == AKT_MAILBOX_FAIR) return env + akt__mailbox_fair_ops.bytes_per_message;
    return env;
}
