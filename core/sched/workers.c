/* The built-in dispatcher: a pool of worker threads, each running first what it queued
 * itself (runq.h), then the inject queue, then what it steals from the others; an idle
 * worker searches for a while (at most about half of the busy ones search at once, as
 * Go's and Tokio's schedulers do) and then parks on the dispatcher's condition. */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "base/clock.h"
#include "base/pool.h"
#include "base/spin.h"
#include "base/tls.h"
#include "dispatch.h"
#include "kernel/stats.h"

AKT__TLS akt__worker *akt__this_worker;

/* An idle worker searches this many times (~30 us of pauses, then a few yields) before it
 * parks: work that arrives within that window costs no wake-up. */
#define AKT__SPIN 128
#define AKT__SPIN_YIELDS 8
/* Runs in a row from the LIFO slot before the ring's oldest cell gets a turn: two actors
 * that keep waking each other cannot starve the rest of the worker's queue. */
#define AKT__LIFO_STREAK 32
/* Every this many runs the inject queue comes first, so a worker's own queue cannot
 * starve what outside threads queued (Go's global-queue check, 61 as there). */
#define AKT__INJECT_EVERY 61u

/* When the inject queue's one cell is held (a plain thread's ask queued it), a worker's
 * looks leave it to that thread: it is about to wait and then runs the turn on its own core
 * (help.c), which answers in a fraction of a cross-core hand-off. A few looks only (~2 us):
 * an asker that does not wait at once is not waited for. */
#define AKT__HOLD_LOOKS 8

static int akt__held_for_asker(akt__worker *w) {
    struct akt_dispatcher *d = w->disp;
    /* relaxed: hints (dispatch.h, held). */
    if (!atomic_load_explicit(&d->held, memory_order_relaxed) ||
        atomic_load_explicit(&d->rq_len, memory_order_relaxed) != 1 ||
        atomic_load_explicit(&d->intake, memory_order_relaxed))
        return 0;
    unsigned seq = atomic_load_explicit(&d->hold_seq, memory_order_relaxed);
    if (seq != w->hold_seen) {
        w->hold_seen = seq;
        w->hold_looks = 0;
    }
    return w->hold_looks++ < AKT__HOLD_LOOKS;
}

/* Takes up to a share of the inject queue: one to run, the rest onto w's ring. */
static akt__cell *akt__take_injected(akt__worker *w) {
    struct akt_dispatcher *d = w->disp;
    /* relaxed: a hint; the lock below decides. */
    if (!akt__inject_pending(d)) return NULL;
    if (akt__held_for_asker(w)) return NULL;
    pthread_mutex_lock(&d->lock);
    akt__inject_splice_locked(d); /* counted in rq_len from here */
    size_t len = atomic_load_explicit(&d->rq_len, memory_order_relaxed);
    size_t n = len / (size_t)d->nworkers + 1; /* a fair share, as Go's globrunqget */
    if (n > AKT__RUNQ_CAP / 2) n = AKT__RUNQ_CAP / 2;
    akt__cell *run = akt__dispatch_pop_locked(d);
    for (size_t i = 1; run && i < n; i++) {
        akt__cell *c = akt__dispatch_pop_locked(d);
        if (!c) break;
        if (!akt__runq_push(&w->q, c)) { /* no room after all: put it back in front */
            c->run_next = d->rq_head;
            d->rq_head = c;
            if (!d->rq_tail) d->rq_tail = c;
            atomic_fetch_add_explicit(&d->rq_len, 1, memory_order_relaxed);
            break;
        }
    }
    pthread_mutex_unlock(&d->lock);
    return run;
}

/* perf begin: */
/* Appends the cells of list (linked through run_next, oldest first) to w's ring, where idle
 * workers may steal them, and what the ring has no room for to w's own intake. Neither
 * locks nor wakes anyone (the parking look calls it under d's lock): the callers announce
 * what the ring then holds. */
static void akt__ring_append(akt__worker *w, akt__cell *c) {
    while (c) {
        akt__cell *next = c->run_next; /* before the push: a thief may take c at once */
        if (!akt__runq_push(&w->q, c)) break;
        c = next;
    }
    while (c) { /* the ring is full: they wait for w's next look at its intake */
        akt__cell *next = c->run_next;
        akt__cell_stack_push(&w->q.intake, c);
        c = next;
    }
}

/* Takes the cells of list for w: returns the first to run, the others to w's ring. */
static akt__cell *akt__adopt(akt__worker *w, akt__cell *list) {
    if (list) akt__ring_append(w, list->run_next);
    return list;
}
/* perf end */

/* The next cell from w's own queue or the inject queue, or NULL. */
static akt__cell *akt__next_local(akt__worker *w) {
    akt__cell *c;
    /* relaxed: the owner's own counter (the only writer); thieves only compare it. */
    unsigned tick = atomic_load_explicit(&w->tick, memory_order_relaxed) + 1;
    atomic_store_explicit(&w->tick, tick, memory_order_relaxed);
    if (tick % AKT__INJECT_EVERY == 0 && (c = akt__take_injected(w))) return c;
    /* relaxed peek, then acquire: pairs with the waker's acq_rel exchange. */
    if (atomic_load_explicit(&w->q.lifo, memory_order_relaxed) &&
        (c = atomic_exchange_explicit(&w->q.lifo, NULL, memory_order_acquire))) {
        if (++w->lifo_streak <= AKT__LIFO_STREAK) return c;
        w->lifo_streak = 0; /* behind the others this once */
        if (!akt__runq_push(&w->q, c)) return c;
    }
    w->lifo_streak = 0;
    /* perf begin: */
    /* What others woke for this worker during its turns joins the ring's tail before the
     * ring's oldest is taken: it waits behind what was queued before it, never for the
     * ring to run dry (a busy worker's ring may never). */
    akt__cell *in = akt__cell_stack_take(&w->q.intake, NULL, NULL);
    if (in) {
        akt__ring_append(w, in);
        if (akt__runq_worth_announcing(&w->q)) akt__disp_notify(w->disp);
    }
    /* perf end */
    if ((c = akt__runq_pop(&w->q))) return c;
    return akt__take_injected(w);
}

/* perf begin: */
int akt__lifo_fed_cheap(akt__worker *v, akt__cell *c, unsigned *memo) {
    /* relaxed: a hint (see lifo_fed). */
    unsigned fed = atomic_load_explicit(&v->lifo_fed, memory_order_relaxed);
    if (fed == *memo) return 0;
    *memo = fed;
    /* acquire in akt__stats_peek; relaxed gauges (kernel/stats.h). The cell stays queued
     * meanwhile (its sched flag is set), so its page and records stay. Its cost: the mean
     * of its last run of several messages, else its last timed message (a batch's mean),
     * else nothing measured yet (cheap, as one worker would run it). */
    akt__cell_stats *st = akt__stats_peek(c);
    if (!st) return 1;
    int64_t cost = atomic_load_explicit(&st->turn_ticks, memory_order_relaxed);
    if (!cost) cost = atomic_load_explicit(&st->last_ns, memory_order_relaxed);
    /* A conversion may wait for the clock's calibration once, within 5 ms of the process's
     * start (base/clock.h); never for a cell with nothing measured. */
    return !cost || akt__ticks_ns(cost) < AKT__CHEAP_NS;
}
/* perf end */

/* Takes victim v's LIFO cell if it has waited there through the whole time since this
 * thief's previous look (the same cell, the same run of v): v is in a long turn, and the
 * cell would wait for all of it. A cell that v will run in a moment is left to v, on the
 * core that holds its message. */
static akt__cell *akt__steal_stranded(akt__worker *w, akt__worker *v, int vi) {
    /* relaxed: hints; the exchange below decides. */
    akt__cell *c = atomic_load_explicit(&v->q.lifo, memory_order_relaxed);
    if (!c) return NULL;
    unsigned tick = atomic_load_explicit(&v->tick, memory_order_relaxed);
    if (w->seen_victim != vi || w->seen_tick != tick || w->seen_cell != c) {
        w->seen_victim = vi;
        w->seen_tick = tick;
        w->seen_cell = c;
        /* relaxed: a hint (see lifo_fed). */
        w->seen_fed = atomic_load_explicit(&v->lifo_fed, memory_order_relaxed);
        return NULL;
    }
    if (akt__lifo_fed_cheap(v, c, &w->seen_fed)) return NULL; /* v's turn feeds it */
    w->seen_cell = NULL;
    /* acquire: pairs with the waker's acq_rel exchange (the cell's queueing). */
    return atomic_exchange_explicit(&v->q.lifo, NULL, memory_order_acquire);
}

/* perf begin: */
/* Slow looks (every 8th of a search, ~3 us apart) that must find a victim in one run before
 * its cheap cells are taken: ~25 us, longer than a whole budget of cheap messages (a fan-in
 * actor's turn of 64), shorter than a search. */
#define AKT__STRANDED_LOOKS 8

/* Whether v has been in one run (tick) through AKT__STRANDED_LOOKS of thief w's slow looks
 * at it: then what waits for v waits for a long turn. */
static int akt__still_in_turn(akt__worker *w, akt__worker *v, int vi) {
    /* relaxed: a hint (see tick). */
    unsigned tick = atomic_load_explicit(&v->tick, memory_order_relaxed);
    akt__seen_run *seen = &w->ring_seen[vi];
    if (seen->tick != tick) {
        seen->tick = tick;
        seen->looks = 0;
    }
    return ++seen->looks >= AKT__STRANDED_LOOKS;
}

/* How many cells thief w should take from victim v's ring (at most half of it, the
 * steal's rule): none while the oldest is cheap, unless v has been in one turn through
 * several of w's slow looks (then they would wait for all of it); half if the oldest and
 * the last of that half are costly (or not measured yet), else the oldest alone. A cheap actor
 * moved to another core keeps talking to the actors it left behind, and each of those
 * messages then crosses cores: Savina's Chameneos (a mall and 100 cheap chameneos) and Big
 * (120 cheap actors pinging random peers) ran 1.2-1.4x slower at 2 workers than at 1 when
 * an idle worker took half of a busy one's ring; and a costly cell among cheap ones (a run
 * slowed once by an interrupt, say) must not take them along. */
static unsigned akt__ring_worth_stealing(akt__worker *w, akt__worker *v, int vi, int slow) {
    /* relaxed: hints; the steal's CAS decides what is taken. A slot read before its write
     * is seen (NULL, or a cell taken meanwhile: cells are never freed) only picks a hint. */
    unsigned h = atomic_load_explicit(&v->q.head, memory_order_relaxed);
    unsigned n = atomic_load_explicit(&v->q.tail, memory_order_relaxed) - h;
    if (!n || n > AKT__RUNQ_CAP) return n ? AKT__RUNQ_CAP : 0; /* moving: let the steal see */
    akt__cell *c = atomic_load_explicit(&v->q.slot[h % AKT__RUNQ_CAP], memory_order_relaxed);
    if (c && akt__cell_is_cheap(c)) return slow && akt__still_in_turn(w, v, vi) ? AKT__RUNQ_CAP : 0;
    unsigned mid = h + (n - n / 2) - 1; /* the last of the half a steal takes */
    c = atomic_load_explicit(&v->q.slot[mid % AKT__RUNQ_CAP], memory_order_relaxed);
    return !c || !akt__cell_is_cheap(c) ? AKT__RUNQ_CAP : 1;
}

/* Whether v's intake (cells that last ran on v: dispatch.c) is for thief w: if v parked
 * (nobody else runs them), or has been in one turn through several slow looks. One that
 * searches takes them itself in a moment, on the core that holds their lines. */
static int akt__intake_for_thief(akt__worker *w, akt__worker *v, int vi, int slow) {
    /* relaxed: hints; the exchange decides what is taken. */
    if (!atomic_load_explicit(&v->q.intake, memory_order_relaxed)) return 0;
    int state = atomic_load_explicit(&v->idle, memory_order_relaxed);
    return state == AKT__IDLE_PARKED ||
           (state == AKT__IDLE_BUSY && slow && akt__still_in_turn(w, v, vi));
}
/* perf end */

/* Looks once through every other worker's ring, and with `lifo` set at their LIFO slots
 * for a cell stranded there (akt__steal_stranded). */
static akt__cell *akt__steal_any(akt__worker *w, int lifo) {
    struct akt_dispatcher *d = w->disp;
    int n = d->nworkers;
    w->rng = w->rng * 1103515245u + 12345u;
    int start = (int)((w->rng >> 16) % (unsigned)n);
    akt__cell *c;
    for (int i = 0; i < n; i++) {
        int vi = (start + i) % n;
        akt__worker *v = &d->workers[vi];
        if (v == w) continue;
        unsigned take = akt__ring_worth_stealing(w, v, vi, lifo);
        if (take && (c = akt__runq_steal(&v->q, &w->q, take))) return c;
        /* perf begin: */
        if (akt__intake_for_thief(w, v, vi, lifo) &&
            (c = akt__adopt(w, akt__cell_stack_take(&v->q.intake, NULL, NULL))))
            return c;
        /* perf end */
        if (lifo && (c = akt__steal_stranded(w, v, vi))) return c;
    }
    return NULL;
}

/* Whether d's inject queue or a worker's ring holds cells (relaxed hints; the LIFO slots
 * are left out: a cell there runs next on its worker unless that turn is long, which
 * akt__steal_stranded and the monitor look after). */
static int akt__disp_has_backlog(struct akt_dispatcher *d) {
    if (akt__inject_pending(d)) return 1;
    for (int i = 0; i < d->nworkers; i++)
        if (akt__runq_has_backlog(&d->workers[i].q)) return 1;
    return 0;
}

/* Whether one more idle worker may search: one always, and up to half of the busy ones. */
static int akt__may_spin(struct akt_dispatcher *d) {
    /* relaxed: a heuristic; a worker that may not search parks after a full look. */
    int spinning = atomic_load_explicit(&d->spinning, memory_order_relaxed);
    int busy = d->nworkers - atomic_load_explicit(&d->sleepers, memory_order_relaxed) - spinning;
    return spinning == 0 || 2 * spinning < busy;
}

/* One search (~30 us of looks); NULL if it found nothing. */
static akt__cell *akt__spin(akt__worker *w) {
    struct akt_dispatcher *d = w->disp;
    akt__cell *c = NULL;
    /* relaxed: the count's changes need no ordering of their own; the fence below (and
     * akt__disp_notify's) orders the decrement against queued work. */
    atomic_fetch_add_explicit(&d->spinning, 1, memory_order_relaxed);
    for (int spin = 0; !c && spin < AKT__SPIN + AKT__SPIN_YIELDS; spin++) {
        /* perf begin: */
        c = akt__adopt(
            w, akt__cell_stack_take(&w->q.intake, NULL, NULL)); /* pushed before it saw us idle */
        if (!c) c = akt__take_injected(w);
        /* perf end */
        /* The LIFO slots every 8th look (~3 us apart): what stays there that long is
         * stranded behind a long turn. */
        if (!c) c = akt__steal_any(w, spin % 8 == 7);
        if (c) break;
        if (spin < AKT__SPIN) {
            for (int i = 0; i < 8; i++) akt__cpu_relax();
        } else {
            sched_yield();
        }
    }
    int last = atomic_fetch_sub_explicit(&d->spinning, 1, memory_order_relaxed) == 1;
    /* seq_cst fence: this searcher's half of the Dekker pair with akt__disp_notify (a
     * waker that saw it searching woke nobody): after the decrement, the caller looks
     * again (the parking look) before it sleeps. */
    akt__sched_fence(d);
    /* The last searcher found work: there may be more, so let another search (Go's
     * resetspinning), which chains wake-ups only while work keeps turning up. "More" is
     * any ring, not only ours: a steal takes half of a victim's ring, and what it left
     * there (the victim busy in a turn that may block) needs a searcher of its own. */
    if (c && last && akt__disp_has_backlog(d)) akt__disp_notify(d);
    return c;
}

/* Parks on d's condition (d's lock held) until a wake-up or until `at` (akt__now_ns);
 * 1 if `at` came first. The condition uses the realtime clock (its default): the wait is
 * converted to it, so a clock step makes the reclaim early or late, never wrong. */
static int akt__park_until(struct akt_dispatcher *d, int64_t at) {
    int64_t wait = at - akt__now_ns();
    if (wait <= 0) return 1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ns = ts.tv_nsec + wait % 1000000000;
    ts.tv_sec += (time_t)(wait / 1000000000 + ns / 1000000000);
    ts.tv_nsec = (long)(ns % 1000000000);
    return pthread_cond_timedwait(&d->cond, &d->lock, &ts) == ETIMEDOUT;
}

/* An idle worker's search and sleep, until it finds work (a wake-up starts a new search);
 * NULL once the dispatcher stops and no work is left. */
static akt__cell *akt__search(akt__worker *w) {
    struct akt_dispatcher *d = w->disp;
    /* relaxed: a hint for wakers (dispatch.h, idle); only the parked state pairs. */
    atomic_store_explicit(&w->idle, AKT__IDLE_SEARCHING, memory_order_relaxed);
    for (;;) {
        akt__cell *c = akt__may_spin(d) ? akt__spin(w) : NULL;
        if (c) {
            atomic_store_explicit(&w->idle, AKT__IDLE_BUSY, memory_order_relaxed);
            return c;
        }
        /* Free pool memory goes back to the heap once the pools were quiet for a while
         * (base/pool.h): a parked worker wakes for it then, if no work woke it first. */
        int64_t reclaim_at = akt__pool_reclaim_due();
        int reclaim = 0;
        pthread_mutex_lock(&d->lock);
        /* relaxed + fence: the parker's half of the pair with akt__disp_notify, and of the
         * pair with a pusher onto its intake (akt__enqueue_home). */
        atomic_fetch_add_explicit(&d->sleepers, 1, memory_order_relaxed);
        atomic_store_explicit(&w->idle, AKT__IDLE_PARKED, memory_order_relaxed);
        akt__sched_fence(d);
        c = akt__adopt(w, akt__cell_stack_take(&w->q.intake, NULL, NULL));
        if (!c) c = akt__dispatch_pop_locked(d);
        if (!c) c = akt__steal_any(w, 1);
        int stop = 0;
        if (!c) {
            if (d->stopping)
                stop = 1;
            else if (reclaim_at)
                reclaim = akt__park_until(d, reclaim_at); /* 1: nobody woke it */
            else
                pthread_cond_wait(&d->cond, &d->lock);
            if (!stop && !reclaim) akt__monitor_wake_locked(d);
        }
        atomic_fetch_sub_explicit(&d->sleepers, 1, memory_order_relaxed);
        atomic_store_explicit(&w->idle, c ? AKT__IDLE_BUSY : AKT__IDLE_SEARCHING,
                              memory_order_relaxed);
        pthread_mutex_unlock(&d->lock);
        if (c && akt__runq_worth_announcing(&w->q)) akt__disp_notify(d); /* what it took along */
        if (c) return c;
        if (stop) return NULL;
        if (reclaim) akt__pool_reclaim_idle();
    }
}

/* Before this worker blocks (akt__self.before_block): the cell in its LIFO slot, which no
 * one else would take while it waits, goes to the inject queue, and a parked worker is
 * woken for it and for the ring (which others may steal). */
static void akt__worker_before_block(void) {
    akt__worker *w = akt__this_worker;
    /* acquire: as in akt__next_local. */
    akt__cell *c = atomic_exchange_explicit(&w->q.lifo, NULL, memory_order_acquire);
    if (c) akt__dispatch_inject(w->disp, c, c, 1); /* notifies */
    /* perf begin: */
    akt__cell *last;
    size_t n;
    akt__cell *in = akt__cell_stack_take(&w->q.intake, &last, &n); /* they would wait too */
    if (in) {
        akt__dispatch_inject(w->disp, in, last, n); /* notifies */
        return;
    }
    /* perf end */
    if (!c && akt__runq_has_backlog(&w->q)) akt__disp_notify(w->disp);
}

static void *akt__worker_main(void *arg) {
    akt__worker *w = arg;
    struct akt_dispatcher *d = w->disp;
    akt_system *s = d->system;
    akt__thread_enter(&s->hooks, w->index);
    akt__self.running = d;
    akt__this_worker = w;
    akt__self.before_block = akt__worker_before_block;
    for (;;) {
        akt__cell *c = akt__next_local(w);
        if (!c && !(c = akt__search(w))) break;
        atomic_store_explicit(&w->current, c, memory_order_relaxed); /* see dispatch.h */
        s->run_cell(w, c, (size_t)s->throughput);
        atomic_store_explicit(&w->current, NULL, memory_order_relaxed);
    }
    akt__this_worker = NULL;
    akt__self.before_block = NULL;
    akt__self.running = NULL;
    akt__thread_leave(&s->hooks, w->index);
    return NULL;
}

/* Stops the workers once they find no work and joins the first `started` of them. */
static void akt__stop_and_join(struct akt_dispatcher *d, int started) {
    pthread_mutex_lock(&d->lock);
    d->stopping = 1;
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
    for (int i = 0; i < started; i++) pthread_join(d->workers[i].thread, NULL);
    d->started = 0;
    akt__monitor_stop(d);
}

int akt__dispatcher_start_workers(akt_system *s, int n) {
    struct akt_dispatcher *d = akt__heap_calloc(&s->heap, sizeof *d);
    if (!d) return AKT_ENOMEM;
    if (akt__disp_init(s, d)) {
        akt__heap_free(&s->heap, d);
        return AKT_ENOMEM;
    }
    d->workers = akt__heap_calloc(&s->heap, (size_t)n * sizeof *d->workers);
    akt__seen_run *seen = d->workers ? akt__heap_calloc(&s->heap, (size_t)n * n * sizeof *seen)
                                     : NULL;
    if (!seen) {
        akt__dispatcher_free(s, d);
        return AKT_ENOMEM;
    }
    s->workers = d;
    s->run_for_waiter = akt__run_for_waiter; /* before any ask: set at the system's creation */
    /* Every worker's queue exists before any thread starts (thieves look at all n). */
    for (int i = 0; i < n; i++) {
        d->workers[i].disp = d;
        d->workers[i].index = i;
        d->workers[i].rng = 0x9e3779b9u * (uint32_t)(i + 1);
        d->workers[i].ring_seen = seen + (size_t)i * n; /* freed with workers[0]'s */
    }
    d->nworkers = n;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&d->workers[i].thread, NULL, akt__worker_main, &d->workers[i])) {
            akt__stop_and_join(d, i); /* only the started ones */
            return AKT_ENOMEM;
        }
        d->started = i + 1;
    }
    if (akt__monitor_start(d)) {
        akt__stop_and_join(d, n);
        return AKT_ENOMEM;
    }
    return 0;
}

void akt__dispatcher_stop_workers(akt_system *s) {
    struct akt_dispatcher *d = s->workers;
    if (d) akt__stop_and_join(d, d->started);
}
