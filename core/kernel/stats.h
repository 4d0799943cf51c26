/* Metrics counters: per cell and per system, read by telemetry/ (akt/telemetry.h).
 *
 * Every counter is a relaxed atomic. Relaxed is enough because a counter orders nothing: no
 * other memory is published through it, a reader only wants each value to be one that was
 * really held (no torn reads), and values read together are a snapshot only up to the
 * moment each was loaded, which a gauge accepts. Counters written only by the cell's runner
 * (the thread holding its sched flag) are load + store, not read-modify-write: one writer at
 * a time, handed on with the sched flag's own ordering, so no increment is lost and no
 * locked instruction is paid per message.
 *
 * The per-cell records of a page of cells are allocated the first time one of its cells
 * counts something (a tell, a message handled, a failure): an idle actor, spawned and never
 * sent anything, costs no record. The page of cells ends with a tail (akt__page_tail) that
 * holds the records' pointer, so the record of a cell is found from the cell alone. Records
 * are kept with the page until the system is freed (a stale sender may still count). */
#ifndef AKT_CORE_KERNEL_STATS_H
#define AKT_CORE_KERNEL_STATS_H
#include <stdatomic.h>
#include <stdint.h>

#include "base/alloc.h"
#include "cell.h"
#include "names.h"

typedef struct akt__cell_stats {
    /* The senders' count of envelopes pushed is in its own array (akt__cell_enq): a
     * sender's RMW on this line would pull it from the runner's core at every message while
     * the runner writes it (issue 16: Savina's Counting at 2 workers). In its place: */
    /* Runner, reset by the spawn: the mean time per message of the last run that handled
     * two or more (ticks, as last_ns), 0 until one did. A cold first message overstates
     * what a receive costs; the scheduler asks this (sched/workers.c: akt__lifo_fed_cheap). */
    _Atomic int64_t turn_ticks;
    /* Runner: envelopes taken out of the mailbox (akt__mailbox_take). Never reset. */
    _Atomic uint64_t dequeued;
    /* Runner, reset by the spawn that owns the cell (it holds the sched flag). */
    _Atomic uint64_t processed; /* messages that reached receive (counted before it) */
    _Atomic uint64_t failures;  /* receive (or pre_start) failed */
    _Atomic uint64_t unhandled; /* receive did not handle the message */
    _Atomic int64_t last_ns;    /* duration of the last timed message (first of a turn), in
                                   base/clock.h ticks (akt__ticks_ns makes them ns) */
    /* The spawn time is in the cell's name record (kernel/names.h). */
    uint64_t spare;
    _Atomic uint32_t restarts; /* restarts of this incarnation */
    _Atomic uint32_t stash;    /* messages in the stash */
} akt__cell_stats;

/* One cache line, the runner's (senders only read it: telemetry). */
_Static_assert(sizeof(akt__cell_stats) == 64, "one cache line");

/* Senders: every envelope pushed into the cell's user mailbox, counted before the push so
 * that dequeued never passes it. Never reset: the mailbox outlives incarnations. Eight
 * cells' counters share a line, written only by senders: a producer that floods one actor
 * keeps its line, and the runner on another core never writes it. */
typedef struct akt__cell_enq {
    _Atomic uint64_t enqueued;
} akt__cell_enq;

/* Counters of rare events (a dead letter to the actor, a reinstate), apart from the hot
 * record: a page allocates these records the first time one of its cells has such an
 * event, so neither an idle actor nor a busy one pays for them. Reset by the spawn that
 * owns the cell, as the hot record's runner-side counters. */
typedef struct akt__cell_rare {
    _Atomic uint64_t dead_letters; /* many writers (whoever dead-letters): an RMW */
    _Atomic uint64_t reinstates;   /* runner: load + store */
} akt__cell_rare;

/* After the last cell of every page of cells (kernel/cells.c), then the page's short-name
 * records (akt__cell_name_inline). */
typedef struct akt__page_tail {
    /* The arrays below made by a CAS (kernel/cells.c: akt__tail_array) are untyped here so
     * that one helper makes them all; their accessors give them their types. */
    /* The page's AKT__PAGE_CELLS records (akt__cell_stats), NULL until first needed; set
     * once (a CAS) and freed with the system. */
    void *_Atomic stats;
    void *_Atomic enq;  /* as stats, for akt__cell_enq */
    void *_Atomic rare; /* as stats, for akt__cell_rare */
    /* The page's AKT__PAGE_CELLS mailbox records (mailbox/mailbox.h: akt__cell_mailbox),
     * NULL until a cell of the page is spawned with a mailbox other than the default. Set
     * once, by that spawn under the structure lock (a release store), freed with the
     * system. */
    _Atomic(_Atomic(struct akt__mailbox *) *) mailboxes;
    /* The heads of the page's AKT__PAGE_CELLS kept lists (akt__kept_peek), NULL until a
     * watch or a graceful stop is sent to a cell of the page. Set once (a CAS), freed with
     * the system. */
    void *_Atomic kept; /* struct akt__envelope *[AKT__PAGE_CELLS] */
    /* The page's AKT__PAGE_CELLS ext pointers (actor/ext.h: akt__cell_ext), NULL until a
     * cell of the page needs its rarely used parts. Set once (a CAS), freed with the
     * system; each entry is its cell's owner's. */
    void *_Atomic exts; /* struct akt__ext *[AKT__PAGE_CELLS] */
    akt__heap *heap;    /* the system's, to allocate them; set before the page is published */
    void *raw;          /* the block the page is in (it starts at the first cache line in it) */
} akt__page_tail;

/* c's place in its page of cells (one relaxed load of its id word). */
static inline uint32_t akt__cell_slot(const akt__cell *c) {
    return akt__cell_index(c) & (AKT__PAGE_CELLS - 1);
}

static inline akt__page_tail *akt__page_tail_at(akt__cell *c, uint32_t slot) {
    return (akt__page_tail *)(c - slot + AKT__PAGE_CELLS);
}

static inline akt__page_tail *akt__page_tail_of(akt__cell *c) {
    return akt__page_tail_at(c, akt__cell_slot(c));
}

/* The short-name record of c (kernel/names.h), in its page after the tail: written only
 * under the structure lock, by c's spawn, as its name. */
static inline akt__name_inline *akt__cell_name_inline(akt__cell *c) {
    uint32_t slot = akt__cell_slot(c);
    return (akt__name_inline *)(void *)(akt__page_tail_at(c, slot) + 1) + slot;
}

/* c's name (kernel/names.h), NULL while it has none; read under the structure lock, or by
 * c's runner (whose incarnation's name cannot change meanwhile). */
static inline char *akt__cell_name(const akt__cell *c) {
    return akt__name_of(akt__cell_name_inline((akt__cell *)c));
}

/* The record of c (at slot of its page) if its page has records, else NULL (every counter
 * of c is then 0). acquire: pairs with the release CAS that published the zeroed records
 * (akt__stats_make). */
static inline akt__cell_stats *akt__stats_peek_at(akt__cell *c, uint32_t slot) {
    akt__cell_stats *p = atomic_load_explicit(&akt__page_tail_at(c, slot)->stats,
                                              memory_order_acquire);
    return p ? p + slot : NULL;
}

static inline akt__cell_stats *akt__stats_peek(akt__cell *c) {
    return akt__stats_peek_at(c, akt__cell_slot(c));
}

/* Allocates the records of c's page (one winner; a loser frees its copy) and returns c's;
 * when out of memory, a shared scratch record nobody reads (counting is best effort then;
 * no message depends on it). kernel/cells.c. */
akt__cell_stats *akt__stats_make(akt__cell *c);

/* The record of c, for counting: never NULL. */
static inline akt__cell_stats *akt__stats_of_at(akt__cell *c, uint32_t slot) {
    akt__cell_stats *p = akt__stats_peek_at(c, slot);
    return p ? p : akt__stats_make(c);
}

/* c's senders' counter if its page has them, else NULL (acquire as akt__stats_peek). */
static inline akt__cell_enq *akt__enq_peek_at(akt__cell *c, uint32_t slot) {
    akt__cell_enq *p = atomic_load_explicit(&akt__page_tail_at(c, slot)->enq, memory_order_acquire);
    return p ? p + slot : NULL;
}

/* As akt__stats_make, for the senders' counters (kernel/cells.c): never NULL. */
akt__cell_enq *akt__enq_make(akt__cell *c);

/* The rare record of c if its page has them, else NULL (acquire as akt__stats_peek). */
static inline akt__cell_rare *akt__rare_peek(akt__cell *c) {
    akt__cell_rare *p = atomic_load_explicit(&akt__page_tail_of(c)->rare, memory_order_acquire);
    return p ? p + (akt__cell_index(c) & (AKT__PAGE_CELLS - 1)) : NULL;
}

/* As akt__stats_make, for the rare records (kernel/cells.c): never NULL. */
akt__cell_rare *akt__rare_make(akt__cell *c);

static inline akt__cell_rare *akt__rare_of(akt__cell *c) {
    akt__cell_rare *p = akt__rare_peek(c);
    return p ? p : akt__rare_make(c);
}

/* Kept system envelopes, owner-only: SYS_WATCH (arg = the watcher) and SYS_NOTIFY_STOP
 * (reply = the future) in one list, told apart by kind. A sender of either makes the
 * page's heads first (akt__kept_make, which can fail: the watch or stop is then refused),
 * so that no allocation can make one fail once it was accepted.
 *
 * c's list head if its page has heads, else NULL (an empty list). acquire: pairs with the
 * release CAS that published the zeroed heads (a runner that got the envelope through the
 * system queue is ordered after it anyway). */
static inline struct akt__envelope **akt__kept_peek(akt__cell *c) {
    uint32_t slot = akt__cell_slot(c);
    struct akt__envelope **p = atomic_load_explicit(&akt__page_tail_at(c, slot)->kept,
                                                    memory_order_acquire);
    return p ? p + slot : NULL;
}
/* c's list head, making the page's heads if need be (kernel/cells.c); NULL on ENOMEM. */
struct akt__envelope **akt__kept_make(akt__cell *c);

/* c's entry in its page's ext pointers, making them if need be (kernel/cells.c); NULL on
 * ENOMEM. The entry is owner-only. */
struct akt__ext **akt__ext_slot_make(akt__cell *c);

static inline akt__cell_stats *akt__stats_of(akt__cell *c) {
    return akt__stats_of_at(c, akt__cell_slot(c));
}

/* Runner-only increment (see the header comment: one writer, no RMW needed). */
static inline void akt__stat_bump(_Atomic uint64_t *v, uint64_t n) {
    atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

/* Sender increment: many writers, so an RMW; relaxed as every counter. */
static inline void akt__stat_enqueued_at(akt__cell *c, uint32_t slot, uint64_t n) {
    akt__cell_enq *p = akt__enq_peek_at(c, slot);
    if (!p) p = akt__enq_make(c);
    atomic_fetch_add_explicit(&p->enqueued, n, memory_order_relaxed);
}

static inline void akt__stat_enqueued(akt__cell *c, uint64_t n) {
    akt__stat_enqueued_at(c, akt__cell_slot(c), n);
}

/* The same for a sender holding the pid c is live for: its index gives the slot, so the
 * cell's id word is not loaded again (issue 16: two atomics less per tell). */
static inline void akt__stat_enqueued_pid(akt__cell *c, akt_pid to, uint64_t n) {
    uint32_t slot = akt__pid_index(to) & (AKT__PAGE_CELLS - 1);
    akt__stat_enqueued_at(c, slot, n);
}

/* System-wide counters (akt_system.stats): events of the slow paths (spawn, stop, restart,
 * dead letter, unhandled), so a shared RMW each is cheap next to what they already do. */
typedef struct akt__sys_stats {
    _Atomic uint64_t spawned; /* actors spawned, the guardian aside (structure lock) */
    _Atomic uint64_t stopped; /* actors finalised, the guardian aside */
    _Atomic uint64_t restarts;
    _Atomic uint64_t failures;
    _Atomic uint64_t dead_letters;
    _Atomic uint64_t unhandled;
    _Atomic uint64_t pipe_threads; /* lib/pipe.c, written under its pool's lock */
    _Atomic uint64_t pipe_retired; /* lib/pipe.c, written under its pool's lock */
    /* Since 0.4 (the instruments of grains, remoting, passivation and schedules). */
    _Atomic uint64_t grains;     /* grain activations listed now (lib/grain.c), a gauge */
    _Atomic uint64_t peers;      /* remote connections open now (remote/endpoint.c), a gauge */
    _Atomic uint64_t passivated; /* actors passivated (actor/passivate.c); per kind too */
    _Atomic uint64_t passivated_unkinded; /* of them, those spawned without a kind */
    _Atomic uint64_t scheduled;           /* schedules made (lib/schedule.c) */
    _Atomic uint64_t cancelled;           /* schedules cancelled by akt_schedule_cancel */
    int64_t created_ns;                   /* set before the system is published */
    atomic_int low_cardinality;           /* akt_metrics_set_low_cardinality */
} akt__sys_stats;

static inline void akt__sys_stat(_Atomic uint64_t *v) {
    atomic_fetch_add_explicit(v, 1, memory_order_relaxed);
}
/* As akt__sys_stat, for a counter only ever written under the system's structure lock:
 * a plain add, no locked read-modify-write (relaxed: readers only want a recent value). */
static inline void akt__sys_stat_locked(_Atomic uint64_t *v) {
    atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}
/* A gauge's decrement (grains, peers). */
static inline void akt__sys_stat_down(_Atomic uint64_t *v) {
    atomic_fetch_sub_explicit(v, 1, memory_order_relaxed);
}

#endif
