/* The actor cell: one actor's mailbox, scheduling flag and identity. Cells live in pages
 * that are never freed while the system lives (type-stable memory): a stale pid always
 * points at a real cell whose generation tells it apart, so senders need no reference
 * count and no lock. */
#ifndef AKT_CORE_KERNEL_CELL_H
#define AKT_CORE_KERNEL_CELL_H
#include <akt/akt.h>
#include <stdatomic.h>

#include "envelope.h"
#include "queue/mpsc.h"

enum akt__status {
    AKT__FREE = 0,     /* on the free list */
    AKT__STARTING,     /* spawned; pre_start pending */
    AKT__RUNNING,
    AKT__SUSPENDED,    /* failed; waiting for the parent's directive */
    AKT__STOPPING,     /* waiting for its children to stop */
    AKT__DEAD,         /* finalized; its queues only drain to dead letters */
};

/* Signals: requests that must not fail for lack of memory, so they are bits on the cell
 * rather than queued envelopes. */
#define AKT__SIG_STOP 0x1u       /* stop: children first, then post_stop */
#define AKT__SIG_CHILD_GONE 0x2u /* a child finished: a stopping parent may finish too */

typedef struct akt__behavior_rec {
    struct akt__behavior_rec *next; /* interning list of the system */
    akt_receive_fn receive;
    int (*pre_start)(akt_ctx *, void *);
    void (*post_stop)(akt_ctx *, void *);
    void (*free_state)(void *);
    int (*receive_batch)(akt_ctx *, void *);
} akt__behavior_rec;

struct akt__ext; /* rarely used parts, allocated on first use (actor/ext.h) */

typedef struct akt__cell {
    akt__mpsc mbox;                  /* user messages */
    _Atomic(akt__envelope *) sysq;   /* system messages: a Treiber stack, LIFO */
    struct akt__cell *run_next;      /* link in a dispatcher's run queue */
    atomic_uint sched;               /* 1 while queued on or run by a dispatcher */
    atomic_uint gen;                 /* generation; bumped when the actor dies */
    uint32_t index;
    uint8_t status;                  /* enum akt__status; owner-only (sched held) */
    uint8_t started;                 /* pre_start succeeded: post_stop is owed */
    uint8_t closing;                 /* stopping: no new children (structure lock) */
    atomic_uchar signals;            /* AKT__SIG_* bits (see akt__signal) */
    struct akt_dispatcher *disp;
    const akt__behavior_rec *beh;
    void *state;
    struct akt__ext *ext;
    char *name;                      /* under the system's structure lock */
    /* Kept system envelopes (owner-only): no allocation can make a watch or a graceful
     * stop fail once it was accepted. */
    struct akt__envelope *watchers;      /* SYS_WATCH, arg = the watcher */
    struct akt__envelope *stop_waiters;  /* SYS_NOTIFY_STOP, reply = the future */
    uint32_t parent, first_child, next_sibling, prev_sibling; /* indexes; 0 = none */
} akt__cell;

#define AKT__PAGE_SHIFT 12
#define AKT__PAGE_CELLS (1u << AKT__PAGE_SHIFT)
#define AKT__MAX_PAGES 4096u /* 16 M actors per system */

static inline akt_pid akt__pid_make(uint32_t index, uint32_t gen) {
    return (akt_pid){((uint64_t)gen << 32) | index};
}
static inline uint32_t akt__pid_index(akt_pid p) { return (uint32_t)p.id; }
static inline uint32_t akt__pid_gen(akt_pid p) { return (uint32_t)(p.id >> 32); }
static inline akt_pid akt__cell_pid(const akt__cell *c) {
    return akt__pid_make(c->index, atomic_load_explicit(&c->gen, memory_order_relaxed));
}

#endif
