/* Scatter-gather-first and tail-chopping: the router asks routees itself and hands the
 * first reply on to the original asker (or sender). One gather record per routed message,
 * shared by the asks' completion callbacks (any thread: a responder's worker, the timer
 * thread on a timeout) and, for tail-chopping, the timer that launches the next ask.
 *
 * Lifetime: `live` counts the asks launched and not yet completed, plus one for the
 * launcher (the receive, then the timer chain) while more asks may start. Whoever takes it
 * to zero finishes: a failure for the asker if no reply won, then the record is freed.
 * `done` picks the one reply that wins; the later ones are dead letters. */
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "actor/send.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "kernel/ctx.h"
#include "kernel/envelope.h"
#include "kernel/events.h"
#include "kernel/future.h"
#include "kernel/sys.h"
#include "router.h"

typedef struct akt__gather {
    atomic_int live;
    atomic_int done;    /* 1 once a reply or the failure was handed on */
    atomic_int last_rc; /* the last failure of an ask, for the asker if none answers */
    akt_system *sys;
    akt_future *asker; /* a reference, or NULL */
    uint64_t sender;   /* the original sender's id, or 0 */
    uint64_t router;
    akt_msg *msg; /* a reference, for the asks */
    int64_t deadline;
    int64_t interval;
    akt__timer timer; /* tail-chopping: the next ask */
    uint32_t next, n; /* order[next] is the next routee to ask */
    uint64_t order[];
} akt__gather;

static void akt__gather_dead_letter(akt__gather *g, akt_msg *m, const char *reason) {
    akt__publish_at(g->sys, AKT_EVENT_DEAD_LETTER, (akt_pid){g->router}, NULL, (akt_pid){g->sender},
                    m, 0, reason);
}

/* The winning reply goes to the asker, or is told to the sender actor (from the router). */
static void akt__gather_hand_on(akt__gather *g, akt_msg *reply) {
    if (g->asker) {
        if (!akt__future_complete(g->asker, 0, reply))
            akt__gather_dead_letter(g, reply, "router: the asker's ask already completed");
        return;
    }
    if (g->sender) {
        akt_msg_retain(reply);
        if (akt__deliver(g->sys, (akt_pid){g->sender}, reply, g->router, NULL, AKT__ENV_USER) == 0)
            return;
        akt_msg_release(reply);
    }
    akt__gather_dead_letter(g, reply, "router: nobody waits for the reply");
}

static void akt__gather_finish(akt__gather *g) {
    int none = 0;
    /* acq_rel: the winner's hand-on happened before; nothing else reads the record now. */
    if (atomic_compare_exchange_strong_explicit(&g->done, &none, 1, memory_order_acq_rel,
                                                memory_order_acquire)) {
        int rc = atomic_load_explicit(&g->last_rc, memory_order_relaxed);
        if (rc == 0 || akt__now_ns() >= g->deadline) rc = rc == AKT_ECLOSED ? rc : AKT_ETIMEDOUT;
        if (g->asker)
            akt__future_complete(g->asker, rc, NULL);
        else
            akt__gather_dead_letter(g, g->msg, "router: no routee answered in time");
    }
    if (g->asker) akt__future_unref(g->asker);
    akt_msg_release(g->msg);
    akt__dfree(g);
}

static void akt__gather_drop(akt__gather *g) {
    /* acq_rel: the last one to leave sees every write the others made to the record. */
    if (atomic_fetch_sub_explicit(&g->live, 1, memory_order_acq_rel) == 1) akt__gather_finish(g);
}

static void akt__gather_on_reply(akt_future *f, int rc, akt_msg *reply, void *data) {
    (void)f;
    akt__gather *g = data;
    if (rc == 0) {
        int none = 0;
        /* acq_rel: one winner; the finisher (acquire on live) sees the record as left. */
        if (atomic_compare_exchange_strong_explicit(&g->done, &none, 1, memory_order_acq_rel,
                                                    memory_order_acquire))
            akt__gather_hand_on(g, reply);
        else
            akt__gather_dead_letter(g, reply, "router: a later reply");
    } else {
        /* relaxed: read by the finisher after the acq_rel decrement of live below. */
        atomic_store_explicit(&g->last_rc, rc, memory_order_relaxed);
    }
    akt__gather_drop(g);
}

/* Asks order[next++], skipping routees that are gone. 0 once one ask is under way. */
static int akt__gather_launch(akt__gather *g) {
    while (g->next < g->n) {
        int64_t left = g->deadline - akt__now_ns();
        if (left <= 0) return AKT_ETIMEDOUT;
        akt_pid to = {g->order[g->next++]};
        /* relaxed: the caller holds a count of its own, so the record cannot go meanwhile. */
        atomic_fetch_add_explicit(&g->live, 1, memory_order_relaxed);
        akt_msg_retain(g->msg);
        akt_future *f;
        int rc = akt__ask_from(g->sys, to, g->msg, left, g->router,
                               g->asker ? g->asker->reader : NULL, &f);
        if (rc) {
            akt_msg_release(g->msg);
            atomic_store_explicit(&g->last_rc, rc, memory_order_relaxed);
            akt__gather_drop(g);
            continue;
        }
        /* The first registration of a fresh future cannot be refused. */
        akt_future_on_complete(f, akt__gather_on_reply, g);
        akt_future_release(f);
        return 0;
    }
    return AKT_ENOTFOUND;
}

/* Arms the next tail-chopping step; the launcher's count moves to the timer. 0 if armed. */
static int akt__gather_arm(akt__gather *g) {
    if (g->next >= g->n || atomic_load_explicit(&g->done, memory_order_acquire)) return -1;
    int64_t at = akt__deadline_after(akt__now_ns(), g->interval);
    if (at >= g->deadline) return -1;
    g->timer.deadline = at;
    return akt__timer_add(&g->sys->timers, &g->timer);
}

static void akt__gather_fire(akt__timer *t, int closed) {
    akt__gather *g = (akt__gather *)((char *)t - offsetof(akt__gather, timer));
    if (closed) atomic_store_explicit(&g->last_rc, AKT_ECLOSED, memory_order_relaxed);
    /* acquire: pairs with the winner's CAS; a late launch is harmless, only wasteful. */
    else if (!atomic_load_explicit(&g->done, memory_order_acquire) && akt__gather_launch(g) == 0 &&
             akt__gather_arm(g) == 0)
        return;
    akt__gather_drop(g);
}

int akt__router_gather(akt__router *r, akt_ctx *ctx, akt_msg *msg) {
    akt__ctx *x = akt__ctx_current(ctx);
    if (!x || !x->env) return AKT_EMISUSE;
    if (r->n > UINT32_MAX) return AKT_EINVAL;
    akt__gather *g = akt__dalloc(sizeof *g + r->n * sizeof g->order[0]);
    if (!g) return AKT_ENOMEM;
    memset(g, 0, sizeof *g);
    atomic_init(&g->live, 1);
    atomic_init(&g->done, 0);
    atomic_init(&g->last_rc, 0);
    atomic_init(&g->timer.claim, AKT__TIMER_IDLE);
    g->timer.fire = akt__gather_fire;
    g->sys = x->system;
    g->asker = x->env->reply;
    if (g->asker) akt__future_ref(g->asker);
    g->sender = x->env->sender;
    g->router = r->self.id;
    akt_msg_retain(msg);
    g->msg = msg;
    g->deadline = akt__deadline_after(akt__now_ns(), r->o.within_ns);
    g->interval = r->o.interval_ns;
    g->n = (uint32_t)r->n;
    memcpy(g->order, r->routees, r->n * sizeof g->order[0]);
    if (r->o.strategy == AKT_ROUTE_SCATTER_GATHER_FIRST) {
        while (akt__gather_launch(g) == 0) {
        }
    } else {
        for (uint32_t i = g->n; i > 1; i--) { /* Fisher-Yates: a random order to try */
            uint32_t j = (uint32_t)(akt__router_rand(r) % i);
            uint64_t t = g->order[i - 1];
            g->order[i - 1] = g->order[j];
            g->order[j] = t;
        }
        if (akt__gather_launch(g) == 0 && akt__gather_arm(g) == 0) return 0;
    }
    akt__gather_drop(g);
    return 0;
}
