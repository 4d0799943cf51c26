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
 * The per-cell record lives beside the cell, not in it (the cell's two cache lines are
 * full): each page of cells is followed by a page of records (kernel/cells.c), so the record
 * of a cell is found from the cell alone. */
#ifndef AKT_CORE_KERNEL_STATS_H
#define AKT_CORE_KERNEL_STATS_H
#include <stdatomic.h>
#include <stdint.h>

#include "cell.h"

typedef struct akt__cell_stats {
    /* Senders: every envelope pushed into the cell's user mailbox, counted before the push
     * so that dequeued never passes it. Never reset: the mailbox outlives incarnations. */
    _Atomic uint64_t enqueued;
    /* Runner: envelopes taken out of the mailbox (akt__mailbox_take). Never reset. */
    _Atomic uint64_t dequeued;
    /* Runner, reset by the spawn that owns the cell (it holds the sched flag). */
    _Atomic uint64_t processed; /* messages that reached receive (counted before it) */
    _Atomic uint64_t failures;  /* receive (or pre_start) failed */
    _Atomic uint64_t unhandled; /* receive did not handle the message */
    _Atomic int64_t last_ns;    /* duration of the last timed message (first of a turn) */
    _Atomic int64_t started_ns; /* spawn time, monotonic clock */
    _Atomic uint32_t restarts;  /* restarts of this incarnation */
    _Atomic uint32_t stash;     /* messages in the stash */
} akt__cell_stats;

/* One cache line: an idle actor must stay within its memory budget (README: <= 256 B with
 * its cell), so senders and the runner share this line as they share the cell's first. */
_Static_assert(sizeof(akt__cell_stats) == 64, "one cache line");

/* The record of c: its page of cells is followed by the page's records. */
static inline akt__cell_stats *akt__stats_of(akt__cell *c) {
    uint32_t slot = akt__cell_index(c) & (AKT__PAGE_CELLS - 1);
    return (akt__cell_stats *)(c - slot + AKT__PAGE_CELLS) + slot;
}

/* Runner-only increment (see the header comment: one writer, no RMW needed). */
static inline void akt__stat_bump(_Atomic uint64_t *v, uint64_t n) {
    atomic_store_explicit(v, atomic_load_explicit(v, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

/* Sender increment: many writers, so an RMW; relaxed as every counter. */
static inline void akt__stat_enqueued(akt__cell *c, uint64_t n) {
    atomic_fetch_add_explicit(&akt__stats_of(c)->enqueued, n, memory_order_relaxed);
}

/* System-wide counters (akt_system.stats): events of the slow paths (spawn, stop, restart,
 * dead letter, unhandled), so a shared RMW each is cheap next to what they already do. */
typedef struct akt__sys_stats {
    _Atomic uint64_t spawned; /* actors spawned, the guardian aside */
    _Atomic uint64_t stopped; /* actors finalised, the guardian aside */
    _Atomic uint64_t restarts;
    _Atomic uint64_t failures;
    _Atomic uint64_t dead_letters;
    _Atomic uint64_t unhandled;
    int64_t created_ns;         /* set before the system is published */
    atomic_int low_cardinality; /* akt_metrics_set_low_cardinality */
} akt__sys_stats;

static inline void akt__sys_stat(_Atomic uint64_t *v) {
    atomic_fetch_add_explicit(v, 1, memory_order_relaxed);
}

#endif
