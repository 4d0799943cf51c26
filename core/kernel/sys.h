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
#include "kinds.h"
#include "names.h"
#include "stats.h"
#include "time/timer.h"

struct akt__worker;
/* Runs one actor's turn (actor/turn.c's akt__cell_run, installed by system/ at creation):
 * how a dispatcher of sched/ runs actors without naming the layer above it. */
typedef size_t (*akt__run_fn)(struct akt__worker *w, akt__cell *c, size_t budget);

/* A part: an optional subsystem a higher layer attaches to a system (remoting's I/O thread
 * and endpoints), so that the system's lifecycle reaches it without naming it. Registered
 * under the structure lock with akt__part_add; the system calls stop once its actors are
 * gone and its workers stopped (the reaper, or the final free), then free, each exactly
 * once, in the reverse order of registration. */
typedef struct akt__part {
    struct akt__part *next;
    const void *key; /* identifies the kind of part (the address of a static of its layer) */
    /* Optional: the shutdown began (akt_system_shutdown, any thread, under s->lock): must
     * not block. */
    void (*closing)(akt_system *s, struct akt__part *p);
    void (*stop)(akt_system *s, struct akt__part *p);
    void (*free)(akt_system *s, struct akt__part *p);
    /* Optional: the path of a cell the part owns (a remote pid's proxy): writes it as
     * akt_pid_path does and returns its length, or returns (size_t)-1 if the cell is not
     * the part's. Called under the structure lock with the cell live. */
    size_t (*cell_path)(struct akt__part *p, const akt__cell *c, char *buf, size_t len);
    int stopped;
} akt__part;
/* What the kernel calls in remoting (remote/proxy.c), which it cannot name: a remote pid is
 * a proxy cell, marked by its behaviour's receive. Installed once, with release, when a
 * node starts; read with acquire. */
/* What akt__proxy_hooks.control does to the remote actor. */
enum { AKT__CONTROL_STOP = 0, AKT__CONTROL_POISON = 1, AKT__CONTROL_REINSTATE = 2 };

typedef struct akt__proxy_hooks {
    akt_receive_fn receive; /* the proxies' receive: c->beh->receive == receive marks one */
    /* On the proxy's turn: a watcher was kept (on = 1) or dropped (on = 0). */
    void (*watched)(akt_system *s, akt__cell *c, int on);
    /* akt_stop (what AKT__CONTROL_STOP), akt_poison (POISON) or akt_reinstate (REINSTATE)
     * of a live proxy, any thread: 0 or a code. */
    int (*control)(akt_system *s, akt_pid pid, int what);
    /* Flow control, any thread: a tell or ask of n messages into the proxy c may go in (0)
     * or is refused (AKT_EFULL: the node's window is used up); unadmit gives back what was
     * admitted and then not sent. */
    int (*admit)(akt_system *s, akt__cell *c, uint32_t n);
    void (*unadmit)(akt_system *s, akt__cell *c, uint32_t n);
    /* remchunk begin: */
    /* Any thread, before admit: 0 if msg can cross to the proxy's node, or the code it is
     * refused with at once (AKT_ENOTSUP: no serializer and no bytes); the caller keeps it. */
    int (*crossable)(akt_system *s, akt__cell *c, akt_msg *msg);
    /* remchunk end */
    /* ack begin: */
    /* akt_stop_graceful of a live proxy, any thread: the future its node answers (0, or
     * AKT_ETIMEDOUT after timeout_ns, when the actor is stopped at once), or a code. */
    int (*graceful)(akt_system *s, akt_pid pid, int64_t timeout_ns, akt_future **out);
    /* ack end */
} akt__proxy_hooks;
/* What the lower layers call in the scheduling library (lib/schedule.c), which they cannot
 * name: an actor's finalisation (actor/), the start of shutdown and the free (system/). */
typedef struct akt__sched_hooks {
    void (*actor_stopped)(akt_system *s, akt_pid pid); /* its pid is no longer live */
    void (*close)(akt_system *s);                      /* shutdown started: cancel all */
    void (*destroy)(akt_system *s);                    /* timers stopped: free the rest */
} akt__sched_hooks;
/* The first member of the scheduling registry, made at the system's first schedule. */
typedef struct akt__sched_head {
    const akt__sched_hooks *hooks;
} akt__sched_head;

enum akt__sys_state { AKT__SYS_RUNNING = 0, AKT__SYS_STOPPING, AKT__SYS_DONE };

#define AKT__GUARDIAN 1u /* cell index of /user */

struct akt_system {
    atomic_int refs;
    atomic_int state; /* enum akt__sys_state */
    char *name;
    akt__heap heap;
    int throughput;
    /* The propagator (akt_system_options.propagator): read by each message's first send. */
    void (*inject)(akt_ctx *ctx, akt_msg *msg, void *data);
    void *inject_data;
    /* Extensions (system/extensions.c): set at creation, never changed, read lock-free. */
    char **ext_names;
    void **ext_values;
    uint32_t next;
    akt__thread_hooks hooks;
    akt__run_fn run_cell;
    /* Frees the system (system/ installs it): for a run of an external dispatcher that the
     * last akt_system_release was made inside (akt_dispatcher_run calls it once it is done). */
    void (*free_system)(akt_system *s);
    /* A top-level escalation (actor/ calls it): system/ installs it and applies the
     * guardian's policy (akt_system_set_guardian_policy: policy, and the shutdown callback
     * with its data, under the structure lock). */
    void (*guardian_escalated)(akt_system *s);
    int guardian_policy;
    akt_shutdown_cb guardian_cb;
    void *guardian_data;
    /* The default passivation of new actors (actor/passivate.c): strategy << 62 | value,
     * 0 = none. */
    _Atomic uint64_t passivation_default;
    /* Set by sched/ when the workers start (NULL without them): a plain thread about to
     * wait for an answer of actor `target` runs that actor's queued turn itself if no
     * worker has taken it yet (sched/help.c); 1 if it did. It also makes the wake-up the
     * thread's akt_ask_wait left owed (base/tls.h) when it does not run the turn. */
    int (*run_for_waiter)(akt_system *s, uint64_t target);
    /* 1 unless thread hooks are set without akt_system_options.waiters_run_turns: whether
     * run_for_waiter may run a turn on a waiter's thread. Set at creation. */
    int waiters_run_turns;

    /* Structure lock: cell allocation, names, the hierarchy, behaviour interning. Never
     * held while user code runs or while another akt lock is taken. */
    pthread_mutex_t lock;
    _Atomic(akt__cell *) pages[AKT__MAX_PAGES];
    uint32_t npages;
    uint32_t next_fresh; /* the next never-used cell index */
    uint32_t free_head;  /* free cells, linked through next_sibling */
    uint64_t gen_base;   /* generation of every slot's incarnation 0: the pid tag */
    uint64_t anon_counter;
    akt__names names;
    akt__behavior_rec *behaviors;
    akt__kinds kinds; /* actor kinds (kinds.h) */

    struct akt_dispatcher *workers;   /* the built-in dispatcher */
    struct akt_dispatcher *externals; /* external dispatchers, linked */
    akt__timers timers;
    akt__events events;
    /* NULL until the first schedule (lib/schedule.c publishes it once, with release). */
    _Atomic(akt__sched_head *) schedules;
    akt__sys_stats stats; /* metrics (kernel/stats.h) */

    /* Shutdown. */
    pthread_mutex_t done_lock;
    pthread_cond_t done_cond;
    int guardian_gone;
    int done; /* shutdown complete, callback returned */
    int events_ready;
    akt_shutdown_cb shutdown_cb;
    void *shutdown_data;
    pthread_t reaper;
    int reaper_started;
    int free_when_done;                            /* the last reference went during shutdown */
    akt__part *parts;                              /* under lock; newest first */
    _Atomic(const akt__proxy_hooks *) proxy_hooks; /* NULL until remoting starts */
    /* Tracing (kernel/trace.h, installed by telemetry/trace.c with release; read with
     * acquire): NULL while off. */
    _Atomic(const struct akt__trace *) trace;

    /* akt_await_started (actor/started.c): a futex word bumped whenever a start ends
     * while someone waits, and the number of waiters. */
    atomic_int start_seq;
    atomic_int start_waiters;
    /* ft begin: */
    /* PipeTo's pool bounds (akt_system_options.pipe_threads / pipe_queue, defaults applied):
     * set at creation, never changed. */
    int pipe_threads;
    int pipe_queue;
    int64_t pipe_keepalive_ns; /* < 0: idle threads never exit */
    int pipe_min_threads;
    /* ft end */
};

/* The proxy hooks if c is a remote pid's proxy, else NULL. */
static inline const akt__proxy_hooks *akt__proxy_hooks_of(akt_system *s, const akt__cell *c) {
    /* acquire: pairs with remoting's release store, so the hooks' fields are written. */
    const akt__proxy_hooks *h = atomic_load_explicit(&s->proxy_hooks, memory_order_acquire);
    return h && c->beh && c->beh->receive == h->receive ? h : NULL;
}

/* The cell at index (NULL if its page does not exist). Lock-free. */
static inline akt__cell *akt__cell_get(akt_system *s, uint32_t index) {
    uint32_t page = index >> AKT__PAGE_SHIFT;
    if (page >= AKT__MAX_PAGES) return NULL;
    /* acquire: pairs with the release that published the page after its cells were
     * initialised. */
    akt__cell *p = atomic_load_explicit(&s->pages[page], memory_order_acquire);
    return p ? &p[index & (AKT__PAGE_CELLS - 1)] : NULL;
}

/* The cell for a pid if it is live now, else NULL. Lock-free: every send's one check. */
static inline akt__cell *akt__cell_live(akt_system *s, akt_pid pid) {
    /* An issued pid has bit 63 clear; the id word of a cell that is not live has it set
     * (cell 0, never used, always), so no other pid can match one. */
    if (pid.id & AKT__CELL_UNREACHABLE) return NULL;
    akt__cell *c = akt__cell_get(s, akt__pid_index(pid));
    /* acquire: pairs with akt__cell_publish's release, so the cell's fields are
     * initialised. */
    if (!c || atomic_load_explicit(&c->id, memory_order_acquire) != pid.id) return NULL;
    return c;
}

/* The cell for a pid this system issued: live, or an earlier incarnation of its slot (a
 * stale pid, whose system messages get a dead actor's answers), else NULL. Lock-free. */
static inline akt__cell *akt__cell_issued(akt_system *s, akt_pid pid) {
    if (pid.id & AKT__CELL_UNREACHABLE) return NULL;
    akt__cell *c = akt__cell_get(s, akt__pid_index(pid));
    if (!c) return NULL;
    /* acquire: pairs with akt__cell_end_locked's release: a pid no longer live is seen
     * with the generation after it. */
    uint64_t now = atomic_load_explicit(&c->id, memory_order_acquire);
    if (now == pid.id) return c;
    /* Incarnation numbers: the pid's, and the slot's current (or next) one, 0 once the
     * slot is retired. */
    uint64_t n = (akt__pid_gen(pid) - s->gen_base) & AKT__GEN_MASK;
    uint64_t cur = (akt__pid_gen((akt_pid){now}) - s->gen_base) & AKT__GEN_MASK;
    return n && (n < cur || !cur) ? c : NULL;
}

static inline int akt__sys_closed(akt_system *s) {
    return atomic_load_explicit(&s->state, memory_order_acquire) != AKT__SYS_RUNNING;
}

/* The scheduling registry if there is one (acquire: pairs with its publication, so that
 * its hooks and lock are initialised). */
static inline akt__sched_head *akt__sys_schedules(akt_system *s) {
    return atomic_load_explicit(&s->schedules, memory_order_acquire);
}

/* The cell table (cells.c); all under s->lock. Draws the system's pid tag and adds the
 * first page. */
int akt__cells_init_locked(akt_system *s);
/* A new zeroed page of cells, published in s->pages. */
int akt__page_add_locked(akt_system *s, uint32_t page);
/* Frees a page of cells and the arrays made for it (with the system). */
void akt__page_free(akt_system *s, akt__cell *page);
/* A cell for a new actor, owned by the caller (its run flag taken) and unreachable: free
 * cells that a late run still holds are skipped, so this never waits. NULL on ENOMEM. */
akt__cell *akt__cell_claim_locked(akt_system *s);
/* Puts back a claimed cell that did not become an actor; the caller then releases it. */
void akt__cell_unclaim_locked(akt_system *s, akt__cell *c);
/* Ends the cell's incarnation (finalisation): its pid is no longer live and the slot moves
 * to its next generation. 0 if the slot's generations are used up: it is retired, never
 * free again. */
int akt__cell_end_locked(akt_system *s, akt__cell *c);
/* Puts a finalised cell back on the free list, once the run that finalised it let it go;
 * takes s->lock. */
void akt__cell_free(akt_system *s, akt__cell *c);

/* Test hook (white-box tests): ages the free cell index so that only `left` incarnations
 * remain before its generation is exhausted. AKT_EAGAIN while the cell is not on the free
 * list, AKT_EINVAL for a bad index or left. */
int akt__cell_test_age(akt_system *s, uint32_t index, uint64_t left);

/* Parts (sys.c). add: under s->lock. find: takes s->lock; the part with key, or NULL.
 * stop_all: stops every part not stopped yet (newest first), without holding the lock
 * while a stop runs. free_all: frees them (the system is being freed). */
void akt__part_add_locked(akt_system *s, akt__part *p);
akt__part *akt__part_find(akt_system *s, const void *key);
void akt__parts_stop(akt_system *s);
void akt__parts_free(akt_system *s);

/* The extension named name (sys.c): 0 and *value, or AKT_ENOTFOUND. */
int akt__extension_find(const akt_system *s, const char *name, void **value);

/* Called by the guardian's finalisation: wakes the reaper (system/). */
void akt__system_guardian_gone(akt_system *s);

#endif
