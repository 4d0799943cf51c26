/* Dispatchers: who runs actors. The built-in one is a pool of worker threads, each with
 * its own run queue (runq.h) and an inject queue shared by them for cells woken by other
 * threads, with work stealing between workers (workers.c); an external one runs only
 * inside akt_dispatcher_run on a binding's thread, from its one queue. An actor is on at
 * most one run queue at a time (its sched flag), so it never runs on two threads at once. */
#ifndef AKT_CORE_SCHED_DISPATCH_H
#define AKT_CORE_SCHED_DISPATCH_H
#include <akt/akt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/tls.h"
#include "kernel/cell.h"
#include "kernel/ctx.h"
#include "kernel/msg.h"
#include "kernel/sys.h"
#include "runq.h"

/* perf begin: */
#define AKT__HELPER_INDEX (-3) /* the index of a waiting asker's worker record (help.c) */
/* perf end */
/* perf begin: */
#define AKT__IDLE_BUSY 0
#define AKT__IDLE_SEARCHING 1
#define AKT__IDLE_PARKED 2
/* perf end */

typedef struct akt__seen_run akt__seen_run;

typedef struct akt__worker {
    struct akt_dispatcher *disp;
    int index;
    pthread_t thread;
    /* Owner-only bookkeeping of the worker loop (workers.c). */
    /* The cell being run: its re-queue goes to the ring's tail. Written by the owner only
     * (relaxed: others only ask whether the worker is idle, a hint: help.c). */
    _Atomic(akt__cell *) current;
    /* Runs so far: every 61st looks at the inject queue first. Written by the owner only;
     * read by thieves (relaxed: a hint) to tell a turn that goes on from a new one. */
    atomic_uint tick;
    /* A thief's memo of a victim's occupied LIFO slot (akt__steal_any): which victim, at
     * which of its runs, holding which cell. Owner-only. */
    int seen_victim;
    unsigned seen_tick;
    akt__cell *seen_cell;
    /* The monitor's memo of this worker's turn at its previous look (monitor.c): the same
     * cell at the same run a whole period later is a long turn. Monitor-only. */
    akt__cell *mon_cell;
    unsigned mon_tick;
    unsigned mon_fed; /* lifo_fed at that look */
    /* perf begin: */
    /* Messages this worker's turns sent to the cell waiting in its LIFO slot (counted by
     * the sender when that cell was already scheduled: akt__cell_wake). A thief or the
     * monitor that sees it move while a long turn goes on knows the turn feeds the cell,
     * and leaves a cheap one where it is (akt__lifo_fed_cheap). Written by the owner only
     * (load + store); relaxed everywhere: a hint, read by others only to compare it. */
    atomic_uint lifo_fed;
    unsigned seen_fed; /* a thief's memo of its victim's lifo_fed (with seen_cell) */
    /* A thief's memo of each victim's run (tick) when it last left cheap cells there, and
     * of how many of its looks found it in that run (akt__still_in_turn): nworkers
     * entries. Owner-only. */
    struct akt__seen_run {
        unsigned tick, looks;
    } * ring_seen;
    /* perf end */
    unsigned lifo_streak; /* runs in a row taken from the LIFO slot */
    uint32_t rng;         /* where a search for work starts among the other workers */
    /* Which hold of the inject queue's cell this worker last saw, and how many of its looks
     * have left that cell to its asker so far (akt__held_for_asker). Owner-only. */
    unsigned hold_seen, hold_looks;
    akt__runq q;
    /* perf begin: */
    /* AKT__IDLE_*: whether this worker is in a turn (or between two), searching, or parked.
     * Written by the owner only, when it starts or ends a search and when it parks; read by
     * other workers deciding where a cell goes (dispatch.c) and by thieves: relaxed, a
     * hint, except for the parked state, which is one side of a Dekker pair (the owner
     * stores it, fences and looks at its intake; a pusher pushes, fences and reads it). On
     * a line of its own, which stays shared in every cache while the worker is busy. */
    atomic_int idle;
    char pad_idle[60];
    /* perf end */
    /* The context handles this worker hands out next: [ctx_seq, ctx_seq_end) of the
     * process-wide sequence (akt__worker_ctx_handle). Only the thread running the worker
     * touches them; an external dispatcher's runs are ordered by its running flag. */
    uint64_t ctx_seq, ctx_seq_end;
    /* The workers are an array: this keeps the next worker's first words, which its owner
     * writes at every run (current, tick, lifo_fed), off the line of these last ones, read
     * at every callback. */
    char pad_next[64];
} akt__worker;

struct akt_dispatcher {
    /* First: the kernel finds it from the public handle (kernel/msg.h). External only. */
    akt__release_q releases;
    akt_system *system;
    struct akt_dispatcher *next; /* the system's list of external dispatchers */
    int external;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    /* Built-in: the inject queue (cells woken by threads that are not its workers, and a
     * full ring's overflow); external: the run queue. Under lock. */
    akt__cell *rq_head, *rq_tail;
    atomic_size_t rq_len; /* readable without the lock by idle workers */
    /* Built-in only: the inject queue's lock-free intake, a stack of single cells pushed
     * by plain threads (linked through run_next, newest first) without the lock, which
     * they would otherwise contend for with the workers taking from it (a futex wait on
     * a producer's every wake-up of an idle actor, and the workers' takes behind it). A
     * worker holding the lock moves it, oldest first, to the tail of rq_head
     * (akt__inject_splice_locked). A push is a CAS (release: the cell's queueing before
     * it); the splice an exchange (acquire). A stack taken whole has no ABA problem. */
    _Atomic(akt__cell *) intake;
    /* The cell a plain thread's ask queued into an empty inject queue: that thread is
     * about to wait and run the turn itself (help.c), so a searching worker leaves it
     * there for a few looks (workers.c) instead of taking the turn to another core.
     * Written under lock (hold_seq: one more per hold); read without it as hints
     * (relaxed): the hold only delays a searcher by a bounded number of looks, and the
     * look before parking ignores it, so no cell ever waits on it. */
    _Atomic(akt__cell *) held;
    atomic_uint hold_seq;
    /* Workers parked on cond, or about to: changed under lock, read without it by wakers
     * (seq_cst: see akt__disp_notify). */
    atomic_int sleepers;
    atomic_int spinning;   /* idle workers searching for work instead of sleeping */
    atomic_int fence_word; /* under TSan only: see akt__sched_fence */
    int stopping;
    /* built-in */
    int nworkers; /* set before the first starts, kept: thieves look at all of them */
    int started;  /* threads to join (written by the creating thread only) */
    akt__worker *workers;
    /* The monitor thread (monitor.c): mon_cond and mon_idle under lock. */
    pthread_t monitor;
    int monitor_started;
    int mon_idle; /* the monitor waits on mon_cond until a parked worker wakes */
    pthread_cond_t mon_cond;
    /* external */
    akt_notify_fn notify;
    void *notify_data;
    atomic_int running;
    _Atomic(pthread_t) runner; /* the thread that last ran it (deadlock detection) */
    atomic_int has_runner;
    akt__worker ext_worker; /* the context handles of whoever runs it */
    /* Set by the last akt_system_release when made inside this dispatcher's run, by the
     * thread running it (only that thread reads or writes it): the run frees the system
     * once it no longer uses it. */
    int free_system_after;
};

_Static_assert(offsetof(struct akt_dispatcher, releases) == 0,
               "the release queue is where the kernel looks for it");

/* 1 if d is one of system s's external dispatchers (d may be NULL: akt__self.running). */
static inline int akt__external_of(const struct akt_dispatcher *d, const akt_system *s) {
    return d && d->external && d->system == s;
}

/* The seq_cst fence of the wake-up protocol's Dekker pairs (akt__disp_notify). TSan does
 * not model fences: under it a seq_cst read-modify-write of one word of the dispatcher
 * stands in on both sides of every pair (the RMWs are totally ordered, so the later one
 * sees what came before the earlier), which TSan can check. */
#if defined(__SANITIZE_THREAD__)
#define akt__sched_fence(d) \
    ((void)atomic_fetch_add_explicit(&(d)->fence_word, 0, memory_order_seq_cst))
#else
#define akt__sched_fence(d) atomic_thread_fence(memory_order_seq_cst)
#endif

/* perf begin: */
/* Work cheaper than this is cheaper on the core that has it than on another: a message's
 * or an actor's crossing costs a few cache-line transfers, ~100-500 ns each. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
/* A sanitizer makes a receive 5-20x slower and a line transfer no slower: the same work is
 * then cheap below a bound as many times higher (and the tests see the same behaviour). */
#define AKT__CHEAP_NS 20000
#else
#define AKT__CHEAP_NS 1000
#endif
/* Whether a run that took `ticks` (akt__ticks) was cheap: its cell is then left where it is
 * queued rather than stolen (workers.c). */
static inline int akt__ticks_cheap(int64_t ticks) { return akt__ticks_below(ticks, AKT__CHEAP_NS); }
/* perf end */

/* perf begin: */
/* Whether queued cell c's last run was cheap (AKT__SCHED_CHEAP). relaxed: a hint, read by
 * whoever queued it or may steal it; the cell's owner wrote it with its release. */
static inline int akt__cell_is_cheap(akt__cell *c) {
    return (atomic_load_explicit(&c->sched, memory_order_relaxed) & AKT__SCHED_CHEAP) != 0;
}

/* Whether the owner of q should wake a worker for what its ring holds: its LIFO cell or
 * its oldest is costly (a thief takes a ring whose oldest is costly: workers.c). */
static inline int akt__runq_worth_announcing(akt__runq *q) {
    /* relaxed: the owner's own queue; a stale head only picks the hint of another cell. */
    akt__cell *c = atomic_load_explicit(&q->lifo, memory_order_relaxed);
    if (c && !akt__cell_is_cheap(c)) return 1;
    unsigned h = atomic_load_explicit(&q->head, memory_order_relaxed);
    if (h == atomic_load_explicit(&q->tail, memory_order_relaxed)) return 0;
    c = atomic_load_explicit(&q->slot[h % AKT__RUNQ_CAP], memory_order_relaxed);
    return !c || !akt__cell_is_cheap(c);
}
/* perf end */

/* Shared inside sched/ (dispatch.c). */
int akt__disp_init(akt_system *s, struct akt_dispatcher *d);
/* Moves the intake's cells to the inject queue's tail, oldest first (d's lock held). */
void akt__inject_splice_locked(struct akt_dispatcher *d);
/* Pops the inject queue's first cell, the intake spliced first (d's lock held). */
akt__cell *akt__dispatch_pop_locked(struct akt_dispatcher *d);
/* Whether the inject queue or its intake holds cells (relaxed: a hint for pollers; the
 * lock decides). */
static inline int akt__inject_pending(struct akt_dispatcher *d) {
    return atomic_load_explicit(&d->rq_len, memory_order_relaxed) ||
           atomic_load_explicit(&d->intake, memory_order_relaxed);
}
/* Appends the n cells of cs (linked through run_next, first..last) to the inject queue. */
void akt__dispatch_inject(struct akt_dispatcher *d, akt__cell *first, akt__cell *last, size_t n);
/* Wakes a parked worker of d if none is searching (after work was queued). */
void akt__disp_notify(struct akt_dispatcher *d);
/* The built-in worker this thread is, or NULL (workers.c). */
extern AKT__TLS akt__worker *akt__this_worker;
/* Pops the next cell with work, or NULL (a relaxed peek first, then the lock). */
akt__cell *akt__dispatch_try_pop(struct akt_dispatcher *d);
/* Takes the next block of context handles for w (dispatch.c). */
void akt__worker_ctx_refill(akt__worker *w);

/* The handle for the next callback run by w: a value that no other callback of the process
 * got or will get (a 64-bit sequence handed out in blocks, so the only atomic is one per
 * block). Odd, so never NULL and never the address of anything; never dereferenced. */
static inline akt_ctx *akt__worker_ctx_handle(akt__worker *w) {
    if (w->ctx_seq == w->ctx_seq_end) akt__worker_ctx_refill(w);
    uint64_t seq = w->ctx_seq++;
    return (akt_ctx *)(uintptr_t)((seq << 1) | 1u);
}

/* help.c: installed as akt_system.run_for_waiter. 1 if it ran the target's turn. */
int akt__run_for_waiter(akt_system *s, uint64_t target);

/* perf begin: */
/* Whether cell c, in v's LIFO slot behind v's long turn, is fed by that turn (v's
 * lifo_fed moved from *memo, which it updates) and cheap to run (its measured cost per
 * message under AKT__CHEAP_NS, or nothing measured): then v runs it after the turn.
 * Moved to another core it would take each message as the turn sends it, and a message
 * crossing cores costs more than such a receive (Savina's Counting: 2-3x its time on one
 * worker). Costlier receivers are taken: their work then runs beside the turn (workers.c). */
int akt__lifo_fed_cheap(akt__worker *v, akt__cell *c, unsigned *memo);
/* perf end */

/* monitor.c: the thread that rescues cells queued behind a long turn. */
int akt__monitor_start(struct akt_dispatcher *d);
/* Stops and joins it (after the workers: d->stopping is set). */
void akt__monitor_stop(struct akt_dispatcher *d);
/* A parked worker woke (under d->lock): the monitor resumes if it was waiting. */
static inline void akt__monitor_wake_locked(struct akt_dispatcher *d) {
    if (d->mon_idle) pthread_cond_signal(&d->mon_cond);
}

/* workers.c */
int akt__dispatcher_start_workers(akt_system *s, int n);
/* Stops the workers once their queue is empty and joins them. */
void akt__dispatcher_stop_workers(akt_system *s);
void akt__dispatcher_free(akt_system *s, struct akt_dispatcher *d);

/* Queues a cell whose sched flag the caller has just set; idle is the word the flag was
 * set in (its hints: AKT__SCHED_CHEAP, the home above AKT__SCHED_HOME_SHIFT). */
void akt__dispatch_enqueue(struct akt_dispatcher *d, akt__cell *c, unsigned idle);

/* The hints a run of cell c on this thread leaves in its sched word: cheap or not, and its
 * home, the index + 1 of the worker that ran it (0 off c's dispatcher's own workers). */
static inline unsigned akt__sched_hints(const akt__cell *c) {
    const akt__worker *w = akt__this_worker;
    unsigned home = w && w->disp == akt__cell_disp(c) ? (unsigned)(w->index + 1) : 0;
    return home << AKT__SCHED_HOME_SHIFT | (c->cheap ? AKT__SCHED_CHEAP : 0);
}

/* After pushing to a cell's queue: schedules it unless already scheduled. */
static inline void akt__cell_wake(akt__cell *c) {
    /* seq_cst load: the producer's half of the Dekker pair (push, then read the flag);
     * see akt__cell_run's epilogue for the consumer's half. */
    unsigned idle = atomic_load_explicit(&c->sched, memory_order_seq_cst);
    if (idle & AKT__SCHED_RUN) {
        /* perf begin: */
        akt__worker *w = akt__this_worker;
        /* relaxed: the owner's own slot and counter (see lifo_fed). */
        if (w && atomic_load_explicit(&w->q.lifo, memory_order_relaxed) == c)
            atomic_store_explicit(&w->lifo_fed,
                                  atomic_load_explicit(&w->lifo_fed, memory_order_relaxed) + 1,
                                  memory_order_relaxed);
        /* perf end */
        return;
    }
    /* A CAS that fails found the flag taken by another waker (who queues the cell), or a
     * whole run since the load above (the hint changed), which began after this push and
     * so sees it. */
    if (atomic_compare_exchange_strong_explicit(&c->sched, &idle, idle | AKT__SCHED_RUN,
                                                memory_order_acq_rel, memory_order_relaxed))
        akt__dispatch_enqueue(akt__cell_disp(c), c, idle);
}

/* Whether other cells wait for w's thread (a relaxed hint: an actor whose mailbox ran dry
 * may wait a moment for its sender only while nobody else waits). */
static inline int akt__worker_has_waiting(akt__worker *w) {
    struct akt_dispatcher *d = w->disp;
    /* perf begin: */
    /* A waiting asker running its target's turn (help.c) is that actor's only sender of
     * the moment and waits for the answer: lingering would only delay it. */
    if (w->index == AKT__HELPER_INDEX) return 1;
    /* perf end */
    if (akt__inject_pending(d)) return 1;
    return !d->external && akt__runq_nonempty(&w->q);
}

/* perf begin: */
/* Whether a worker numbered below w is in a turn (where w's cheap actors go: dispatch.c).
 * relaxed: hints (see idle). */
static inline int akt__worker_below_busy(const akt__worker *w) {
    const struct akt_dispatcher *d = w->disp;
    if (d->external || w->index <= 0) return 0;
    for (int i = 0; i < w->index; i++)
        if (atomic_load_explicit(&d->workers[i].idle, memory_order_relaxed) == AKT__IDLE_BUSY)
            return 1;
    return 0;
}
/* perf end */

static inline int akt__dispatcher_is_external(const struct akt_dispatcher *d) {
    return d && d->external;
}

#endif
