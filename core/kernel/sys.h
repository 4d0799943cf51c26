/* The system's state that every layer shares: its cell table (pid -> cell), names, event
 * stream and timers, plus the fields the higher layers own (dispatchers: sched/; shutdown:
 * system/). The functions that act on it live in the layer that owns each part; this header
 * holds the data and the lock-free pid lookup. */
#ifndef AKT_CORE_KERNEL_SYS_H
#define AKT_CORE_KERNEL_SYS_H
#include <akt/akt.h>
#include <pthread.h>
#include <stdatomic.h>

#include "base/alloc.h"
#include "base/tls.h"
#include "cell.h"
#include "events.h"
#include "names.h"
#include "time/timer.h"

struct akt__worker;
/* Runs one actor's turn (actor/turn.c's akt__cell_run, installed by system/ at creation):
 * how a dispatcher of sched/ runs actors without naming the layer above it. */
typedef size_t (*akt__run_fn)(struct akt__worker *w, akt__cell *c, size_t budget);

enum akt__sys_state { AKT__SYS_RUNNING = 0, AKT__SYS_STOPPING, AKT__SYS_DONE };

#define AKT__GUARDIAN 1u /* cell index of /user */

struct akt_system {
    atomic_int refs;
    atomic_int state;            /* enum akt__sys_state */
    char *name;
    akt__heap heap;
    int throughput;
    akt__thread_hooks hooks;
    akt__run_fn run_cell;

    /* Structure lock: cell allocation, names, the hierarchy, behaviour interning. Never
     * held while user code runs or while another akt lock is taken. */
    pthread_mutex_t lock;
    _Atomic(akt__cell *) pages[AKT__MAX_PAGES];
    uint32_t npages;
    uint32_t next_fresh;         /* the next never-used cell index */
    uint32_t free_head;          /* free cells, linked through next_sibling */
    uint64_t anon_counter;
    akt__names names;
    akt__behavior_rec *behaviors;

    struct akt_dispatcher *workers;   /* the built-in dispatcher */
    struct akt_dispatcher *externals; /* external dispatchers, linked */
    akt__timers timers;
    akt__events events;

    /* Shutdown. */
    pthread_mutex_t done_lock;
    pthread_cond_t done_cond;
    int guardian_gone;
    int done;                     /* shutdown complete, callback returned */
    int events_ready;
    akt_shutdown_cb shutdown_cb;
    void *shutdown_data;
    pthread_t reaper;
    int reaper_started;
    int free_when_done;           /* the last reference went during shutdown */
};

/* The cell for a pid if it is alive now (its generation matches), else NULL. Lock-free. */
static inline akt__cell *akt__cell_get(akt_system *s, uint32_t index) {
    uint32_t page = index >> AKT__PAGE_SHIFT;
    if (page >= AKT__MAX_PAGES) return NULL;
    /* acquire: pairs with the release that published the page after its cells were
     * initialised. */
    akt__cell *p = atomic_load_explicit(&s->pages[page], memory_order_acquire);
    return p ? &p[index & (AKT__PAGE_CELLS - 1)] : NULL;
}

static inline akt__cell *akt__cell_live(akt_system *s, akt_pid pid) {
    uint32_t idx = akt__pid_index(pid);
    if (!idx) return NULL;
    akt__cell *c = akt__cell_get(s, idx);
    /* acquire: pairs with spawn's release of gen, so the cell's fields are initialised. */
    if (!c || atomic_load_explicit(&c->gen, memory_order_acquire) != akt__pid_gen(pid) ||
        !akt__pid_gen(pid))
        return NULL;
    return c;
}

static inline int akt__sys_closed(akt_system *s) {
    return atomic_load_explicit(&s->state, memory_order_acquire) != AKT__SYS_RUNNING;
}

/* The cell table (cells.c); all under s->lock. A new zeroed page of cells, published in
 * s->pages. */
int akt__page_add_locked(akt_system *s, uint32_t page);
/* A cell index from the free list or a fresh one (allocating a page); 0 on ENOMEM. */
uint32_t akt__cell_alloc_locked(akt_system *s);
/* Puts a finalised cell back on the free list for the next spawn. */
void akt__cell_free_locked(akt_system *s, akt__cell *c);

/* Called by the guardian's finalisation: wakes the reaper (system/). */
void akt__system_guardian_gone(akt_system *s);

#endif
