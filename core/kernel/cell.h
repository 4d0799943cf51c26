/* The actor cell: one actor's mailbox, scheduling flag and identity. Cells live in pages
 * that are never freed while the system lives (type-stable memory): a stale pid always
 * points at a real cell whose id word tells it apart, so senders need no reference count
 * and no lock. A cell is reachable (named, linked, live by pid) only while an incarnation
 * owns it: a spawn takes the cell and its run flag, initialises it and only then publishes
 * it; it goes back to the free list once the run that finalised it has let it go. */
#ifndef AKT_CORE_KERNEL_CELL_H
#define AKT_CORE_KERNEL_CELL_H
#include <akt/akt.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "envelope.h"
#include "queue/mpsc.h"

enum akt__status {
    AKT__FREE = 0, /* never used */
    AKT__STARTING, /* spawned; pre_start pending */
    AKT__RUNNING,
    AKT__SUSPENDED, /* failed; waiting for the parent's directive */
    AKT__STOPPING,  /* waiting for its children to stop */
    AKT__DEAD,      /* finalized; its queues only drain to dead letters (free again
                       once its run let it go, unless its slot is retired) */
};

/* Signals: requests that must not fail for lack of memory, so they are bits on the cell
 * rather than queued envelopes. */
#define AKT__SIG_STOP 0x1u       /* stop: children first, then post_stop */
#define AKT__SIG_CHILD_GONE 0x2u /* a child finished: a stopping parent may finish too */
/* Not a request but a state, kept across runs: the actor is suspended by a directive and
 * senders refuse user messages (set and cleared by the owner only). */
#define AKT__SIG_SUSPENDED 0x80u
/* A state too: set by the spawn of an actor with a pre_start, cleared once its start
 * message was handled (pre_start run, or skipped by a stop), when akt_await_started's
 * waiters are woken (actor/started.c). */
#define AKT__SIG_STARTING 0x40u
#define AKT__SIG_STATES (AKT__SIG_SUSPENDED | AKT__SIG_STARTING)
#define AKT__SIG_REQUESTS 0x3Fu

typedef struct akt__behavior_rec {
    struct akt__behavior_rec *next; /* interning list of the system */
    akt_receive_fn receive;
    int (*pre_start)(akt_ctx *, void *);
    void (*post_stop)(akt_ctx *, void *);
    void (*free_state)(void *);
    int (*receive_batch)(akt_ctx *, void *);
} akt__behavior_rec;

struct akt__ext;     /* rarely used parts, allocated on first use (actor/ext.h) */
struct akt__mailbox; /* a mailbox other than the default (mailbox/mailbox.h) */

/* A cell's pid, its id word: 24 bits of cell index, 39 bits of generation, bit 63 clear.
 * A system draws a random generation base (its pid tag, sys.h); the n-th incarnation of a
 * slot has generation base + n (mod 2^39), n = 1 .. 2^39 - 1. So a pid of another system,
 * or of an earlier one, names one of this system's actors only by a 2^-39 chance, and a
 * slot whose generations are used up is retired (never reused) instead of wrapping. */
#define AKT__INDEX_BITS 24
#define AKT__GEN_BITS 39
#define AKT__INDEX_MASK ((1u << AKT__INDEX_BITS) - 1)
#define AKT__GEN_MASK ((UINT64_C(1) << AKT__GEN_BITS) - 1)
/* Set in a cell's id word while its pid is not live (free, being spawned, finalised); never
 * in an issued pid, so such a cell matches no pid. */
#define AKT__CELL_UNREACHABLE (UINT64_C(1) << 63)

/* 96 bytes, in pages that start on a cache line, so two cells fill three lines. What a
 * sender reads (the pid, the dispatcher, the run flag, the signals) is in bytes 0-31,
 * and the mailbox, which a sender writes and an idle runner polls, in bytes 64-87: on
 * another line whatever the cell's parity, so a runner polling its mailbox does not take
 * from its senders the line they read next (tell_1to1 was 2x slower when it did). */
typedef struct akt__cell {
    /* bytes 0-31: read by senders; written by the spawn, and the run flag by each run */
    /* The pid of the current incarnation (of the next one while free), with
     * AKT__CELL_UNREACHABLE while it is not live: one load tells a sender whether its pid
     * is live. Written under the structure lock by the spawn that owns the cell
     * (akt__cell_publish) and by finalisation (akt__cell_end_locked). */
    _Atomic uint64_t id;
    /* Set by the spawn that owns the cell, kept for the actor's life. Atomic because a
     * sender may read it (akt_ask's deadlock guard, akt_pid_runs_on) just as a dead cell is
     * respawned: relaxed loads and stores are enough, every such read is checked against
     * the pid again or only picks a hint, and the runner's own reads are ordered by the
     * sched flag. */
    _Atomic(struct akt_dispatcher *) disp;
    /* AKT__SCHED_RUN: set while queued on or run by a dispatcher, or owned by its spawn.
     * The other bits are hints its last run left for the dispatcher (sched/dispatch.c):
     * AKT__SCHED_CHEAP (`cheap` below), and above AKT__SCHED_HOME_SHIFT its home, the
     * index + 1 of the worker that ran it (0: none). */
    atomic_uint sched;
    uint8_t status;            /* enum akt__status; owner-only (sched held) */
    uint8_t started : 1;       /* pre_start succeeded: post_stop is owed */
    uint8_t recycle : 1;       /* finalised in this run: free once released */
    uint8_t passive_epoch : 4; /* passivation (actor/passivate.c): outdates old timers */
    uint8_t has_ext : 1;       /* its entry in its page's ext pointers is set (actor/ext.h) */
    /* Its last run took less than AKT__CHEAP_NS (actor/turn.c): moving it to another core
     * would cost more than running it where it is (sched/). Kept in `sched` by the release
     * (AKT__SCHED_CHEAP), where other threads read it. */
    uint8_t cheap : 1;
    /* Both under the structure lock: closing, stopping (no new children); named, in the
     * system's name table (kernel/names.c), so growing the table finds its keys by
     * walking the pages in order, not by visiting each key's cell at random. */
    uint8_t : 0; /* a byte of their own: the bits above are the owner's, without the lock */
    uint8_t closing : 1;
    uint8_t named : 1;
    atomic_uchar signals; /* AKT__SIG_* bits (see akt__signal) */
    const akt__behavior_rec *beh;
    /* bytes 32-63: the runner's */
    void *state;
    struct akt__cell *run_next;    /* link in a dispatcher's run queue */
    _Atomic(akt__envelope *) sysq; /* system messages: a Treiber stack, LIFO */
    uint32_t parent, first_child;  /* indexes; 0 = none */
    /* bytes 64-95: the mailbox */
    akt__mpsc mbox; /* user messages (a custom mailbox's intake: mailbox/mailbox.h) */
    /* The slot's mailbox record, if it ever had a mailbox other than the default, is in its
     * page (akt__page_tail.mailboxes), not here: most actors have none. */
    uint32_t next_sibling, prev_sibling; /* indexes; 0 = none */
    /* Kept in its page, not here, because most actors have none: its rarely used parts
     * (actor/ext.h: akt__cell_ext), its name (kernel/stats.h: akt__cell_name), its kept
     * system envelopes (watchers, graceful-stop waiters: akt__kept_peek). */
} akt__cell;

#define AKT__SCHED_RUN 1u
#define AKT__SCHED_CHEAP 2u
#define AKT__SCHED_HOME_SHIFT 2

_Static_assert(sizeof(akt__cell) == 96, "three cache lines per two cells");
_Static_assert(offsetof(akt__cell, beh) == 24 && offsetof(akt__cell, mbox) == 64,
               "what senders read in bytes 0-31, the mailbox in 64-87");

#define AKT__PAGE_SHIFT 12
#define AKT__PAGE_CELLS (1u << AKT__PAGE_SHIFT)
#define AKT__MAX_PAGES 4096u /* 16 M actors per system */
_Static_assert(((uint64_t)AKT__MAX_PAGES << AKT__PAGE_SHIFT) <= (UINT64_C(1) << AKT__INDEX_BITS),
               "every cell index fits a pid");

static inline akt_pid akt__pid_make(uint32_t index, uint64_t gen) {
    return (akt_pid){(gen & AKT__GEN_MASK) << AKT__INDEX_BITS | (index & AKT__INDEX_MASK)};
}
static inline uint32_t akt__pid_index(akt_pid p) { return (uint32_t)(p.id & AKT__INDEX_MASK); }
static inline uint64_t akt__pid_gen(akt_pid p) { return (p.id >> AKT__INDEX_BITS) & AKT__GEN_MASK; }

/* relaxed loads below: the index never changes; the generation changes only under the
 * structure lock or by the cell's owner, and the callers hold one of them, or read the
 * pid of a cell that cannot change meanwhile (their own, their parent's). */
static inline uint32_t akt__cell_index(const akt__cell *c) {
    return (uint32_t)(atomic_load_explicit(&c->id, memory_order_relaxed) & AKT__INDEX_MASK);
}
static inline uint64_t akt__cell_gen(const akt__cell *c) {
    return akt__pid_gen((akt_pid){atomic_load_explicit(&c->id, memory_order_relaxed)});
}
static inline akt_pid akt__cell_pid(const akt__cell *c) {
    return (akt_pid){atomic_load_explicit(&c->id, memory_order_relaxed) & ~AKT__CELL_UNREACHABLE};
}

/* 1 while c is suspended by a directive. relaxed: a sender's refusal is a hint (a tell
 * racing with the suspension is queued and handled after the reinstate); the owner reads
 * its own writes. */
static inline int akt__cell_suspended(const akt__cell *c) {
    return (atomic_load_explicit(&c->signals, memory_order_relaxed) & AKT__SIG_SUSPENDED) != 0;
}

static inline struct akt_dispatcher *akt__cell_disp(const akt__cell *c) {
    return atomic_load_explicit(&c->disp, memory_order_relaxed);
}

/* Makes the pid of a cell its spawn owns and has initialised live (under the structure
 * lock). release: a sender that loads the id with acquire (akt__cell_live) and finds its
 * pid sees every field the spawn set. */
static inline void akt__cell_publish(akt__cell *c) {
    atomic_store_explicit(&c->id, akt__cell_pid(c).id, memory_order_release);
}

#endif
