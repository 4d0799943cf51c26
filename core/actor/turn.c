/* One actor's turn: system messages first, then up to a throughput batch of user messages,
 * each through the checks before receive and the bookkeeping after it. */
#include "turn.h"

#include <string.h>

#include "backoff.h"
#include "base/clock.h"
#include "base/spin.h"
#include "base/tls.h"
#include "kernel/events.h"
#include "kernel/future.h"
#include "kernel/msg.h"
#include "kernel/trace.h"
#include "life.h"
#include "mailbox/mailbox.h"
#include "passivate.h"
#include "request.h"
#include "send.h"
#include "started.h"
#include "supervise.h"
#include "suspend.h"

akt_ctx *akt__ctx_enter(akt__ctx *x, akt__worker *w, akt__cell *c, akt__envelope *e) {
    x->handle = akt__worker_ctx_handle(w);
    x->system = w->disp->system;
    x->cell = c;
    x->env = e;
    x->unhandled = 0;
    x->stashed = 0;
    x->fail_reason = NULL;
    x->fail_detail = NULL;
    x->batch = NULL;
    x->susp_id = 0;
    x->suspend = 0;
    akt__self.ctx = x;
    akt__self.cell = c;
    return x->handle;
}

void akt__ctx_fail_clear(akt__ctx *ctx) {
    akt__dfree(ctx->fail_reason);
    ctx->fail_reason = NULL;
    if (ctx->fail_detail) akt_msg_release(ctx->fail_detail);
    ctx->fail_detail = NULL;
}

void akt__ctx_leave(void) {
    akt__self.ctx = NULL;
    akt__self.cell = NULL;
}

static int akt__can_receive(const akt__cell *c) {
    return c->status == AKT__RUNNING || c->status == AKT__DEAD || c->status == AKT__FREE;
}

/* User messages may be pulled: not while a STASH request or a suspended message keeps them
 * waiting. */
static int akt__user_open(const akt__cell *c) {
    return akt__can_receive(c) && !akt__requests_stashing(c) && !akt__susp_holding(c);
}

/* Why an ask is not handled: nobody waits for its answer any more. */
#define AKT__ASKER_GAVE_UP "asker gave up (the ask timed out or was cancelled)"

static void akt__env_done(akt__envelope *e) {
    akt_msg *m = e->msg;
    akt_future *r = e->reply;
    akt__env_free(e); /* first: an embedded envelope lives in m */
    if (m) akt_msg_release(m);
    if (r) akt__future_unref(r);
}

static void akt__current_receive(akt__cell *c, akt_receive_fn *fn, void **state) {
    akt__ext *x = akt__cell_ext(c);
    if (x && x->become_fns.n) {
        uint32_t top = x->become_fns.n - 1;
        *fn = (akt_receive_fn)(uintptr_t)x->become_fns.v[top];
        *state = (void *)(uintptr_t)x->become_states.v[top];
    } else {
        *fn = c->beh ? c->beh->receive : NULL;
        *state = c->state;
    }
}

/* The checks before a user message reaches receive: a stale envelope is a dead letter, a
 * poison pill starts the stop, a Terminated after an unwatch is dropped. 1 if e is for
 * receive, 0 if it was consumed here. */
static int akt__user_prepare(akt__worker *w, akt__cell *c, akt__envelope *e) {
    akt_system *s = w->disp->system;
    uint64_t gen = akt__cell_gen(c);
    if (e->gen != gen || c->status == AKT__DEAD || c->status == AKT__FREE) {
        akt__dead_letter(s, e, akt__pid_make(akt__cell_index(c), e->gen), NULL);
        return 0;
    }
    if (e->kind == AKT__ENV_POISON) {
        akt__env_done(e);
        akt__actor_begin_stop(w, c);
        return 0;
    }
    /* acquire: pairs with the completer's DONE store. A snapshot: an ask that times out
     * from here on is still handled (its reply then goes to dead letters). */
    if (e->reply && (atomic_load_explicit(&e->reply->state, memory_order_acquire) & AKT__F_PHASE) !=
                        AKT__F_PENDING) {
        akt__publish(s, AKT_EVENT_DEAD_LETTER, c, (akt_pid){e->sender}, e->msg, 0,
                     AKT__ASKER_GAVE_UP);
        akt__env_done(e);
        return 0;
    }
    if (e->msg && akt__msg_about(e->msg) && e->sender == akt__msg_about(e->msg) &&
        strcmp(e->msg->type, AKT_TYPE_TERMINATED) == 0) {
        /* A Terminated is for watchers only: after an unwatch it is dropped, and it ends
         * the watch. */
        akt__ext *x = akt__cell_ext(c);
        if (!x || !akt__vec_remove(&x->watching, akt__msg_about(e->msg))) {
            akt__env_done(e);
            return 0;
        }
    }
    return 1;
}

void akt__user_finish(akt__worker *w, akt__cell *c, akt__envelope *e, akt__ctx *ctx, int rc) {
    akt_system *s = w->disp->system;
    int suspend = ctx->suspend;
    ctx->suspend = 0;
    if (suspend && rc == 0 && !ctx->unhandled && !ctx->stashed) {
        int kept = akt__susp_keep(s, c, ctx->susp_id, suspend == 1, e);
        ctx->susp_id = 0;
        if (kept) {
            akt__ctx_fail_clear(ctx);
            return;
        }
        rc = AKT_ENOMEM; /* could not keep it: the message fails, its asker learns why */
    }
    ctx->susp_id = 0;
    if (rc == 0 && ctx->unhandled) rc = AKT_EUNHANDLED;
    /* The record only when something is counted here: a handled message counts nothing
     * more (two atomics a message less: issue 16). */
    if (rc == AKT_EUNHANDLED) {
        akt__stat_bump(&akt__stats_of(c)->unhandled, 1);
        akt__publish(s, AKT_EVENT_UNHANDLED, c, (akt_pid){e->sender}, e->msg, 0, NULL);
        if (e->reply) akt__future_complete(e->reply, AKT_EUNHANDLED, NULL);
    } else if (rc != 0) {
        int code = rc > 0 ? AKT_EFAILED : rc;
        /* The asker learns what the supervisor learns: the code and the reason. */
        if (e->reply) akt__future_fail(e->reply, code, ctx->fail_reason, ctx->fail_detail);
        akt__actor_fail(w, c, code, ctx->fail_reason);
    }
    akt__ctx_fail_clear(ctx);
    int stashed = ctx->stashed;
    ctx->unhandled = 0;
    ctx->stashed = 0;
    if (stashed) {
        akt__ext *x = akt__ext_get(s, c);
        if (x) {
            akt__env_list_push(&x->stash, e);
            akt__cell_stats *st = akt__stats_of(c);
            /* runner-only: load + store (kernel/stats.h) */
            atomic_store_explicit(&st->stash,
                                  atomic_load_explicit(&st->stash, memory_order_relaxed) + 1,
                                  memory_order_relaxed);
            return;
        }
        akt__dead_letter(s, e, akt__cell_pid(c), NULL); /* could not keep it: say so */
        return;
    }
    akt__env_done(e);
}

/* timed (non-NULL): measure this message's receive, and put when it began in *timed (the
 * first of each turn: two clock reads a turn rather than a message keep the metric off the
 * per-message cost). */
static void akt__handle_user(akt__worker *w, akt__cell *c, akt__envelope *e, uint64_t *timed) {
    if (!akt__user_prepare(w, c, e)) return;
    akt_receive_fn fn;
    void *state;
    akt__current_receive(c, &fn, &state);
    if (!fn) {
        akt__dead_letter(w->disp->system, e, akt__cell_pid(c), NULL);
        return;
    }
    /* Counted before receive: whoever sees a reply sent from it sees the message counted. */
    akt__stat_bump(&akt__stats_of(c)->processed, 1);
    akt__ctx ctx;
    akt_system *s = w->disp->system;
    /* acquire: pairs with akt_trace_set_sink's release store (the record's fields). */
    const akt__trace *tr = atomic_load_explicit(&s->trace, memory_order_acquire);
    akt__span sp;
    if (tr && !tr->begin(tr, s, c, e->msg, &sp)) tr = NULL;
    uint64_t t0 = timed ? (*timed = akt__ticks()) : 0; /* base/clock.h: converted when read */
    int rc = fn(akt__ctx_enter(&ctx, w, c, e), e->msg, state);
    akt__ctx_leave();
    if (tr) tr->end(tr, s, c, e->msg, &sp, rc);
    if (timed) /* relaxed: a gauge, runner-only (kernel/stats.h) */
        atomic_store_explicit(&akt__stats_of(c)->last_ns, (int64_t)(akt__ticks() - t0),
                              memory_order_relaxed);
    akt__user_finish(w, c, e, &ctx, rc);
}

static void akt__handle_stale_sys(akt_system *s, akt__cell *c, akt__envelope *e) {
    akt_pid gone = akt__pid_make(akt__cell_index(c), e->gen);
    if (e->kind == AKT__SYS_WATCH) {
        akt_msg *t;
        if (akt__msg_new_about(AKT_TYPE_TERMINATED, gone, NULL, &t) == 0 &&
            akt__deliver_internal(s, (akt_pid){e->arg}, t, gone.id) != 0)
            akt_msg_release(t);
    } else if (e->kind == AKT__SYS_NOTIFY_STOP && e->reply) {
        akt__graceful_done(e->reply);
    } else if (e->kind == AKT__SYS_START) {
        akt__start_ended(s, c, e->gen); /* stopped before it started */
    }
    akt__env_done(e);
}

/* Children link and unlink themselves under the structure lock, from their own threads. */
static int akt__has_children(akt_system *s, akt__cell *c) {
    pthread_mutex_lock(&s->lock);
    int any = c->first_child != 0;
    pthread_mutex_unlock(&s->lock);
    return any;
}

/* The page has heads: the sender made them (akt__kept_peek). */
static void akt__keep(akt__cell *c, akt__envelope *e) {
    akt__envelope **kept = akt__kept_peek(c);
    atomic_store_explicit(&e->node.next, (akt__node *)*kept, memory_order_relaxed);
    *kept = e;
}

/* Adds a SYS_WATCH envelope to the kept list unless that watcher is there; 1 if kept. */
static int akt__keep_watch(akt__cell *c, akt__envelope *e) {
    for (akt__envelope *w = *akt__kept_peek(c); w;
         w = (akt__envelope *)atomic_load_explicit(&w->node.next, memory_order_relaxed))
        if (w->kind == AKT__SYS_WATCH && w->arg == e->arg) return 0;
    akt__keep(c, e);
    return 1;
}

/* 1 if watcher was kept (and is now dropped). */
static int akt__drop_watch(akt__cell *c, uint64_t watcher) {
    akt__envelope **kept = akt__kept_peek(c);
    akt__envelope *prev = NULL, *w = kept ? *kept : NULL;
    while (w && !(w->kind == AKT__SYS_WATCH && w->arg == watcher)) {
        prev = w;
        w = (akt__envelope *)atomic_load_explicit(&w->node.next, memory_order_relaxed);
    }
    if (!w) return 0;
    akt__node *next = atomic_load_explicit(&w->node.next, memory_order_relaxed);
    if (prev)
        atomic_store_explicit(&prev->node.next, next, memory_order_relaxed);
    else
        *kept = (akt__envelope *)next;
    akt__env_free(w);
    return 1;
}

/* A remote pid's proxy tells its node of a watcher kept or dropped. */
static void akt__proxy_watched(akt_system *s, akt__cell *c, int on) {
    const akt__proxy_hooks *h = akt__proxy_hooks_of(s, c);
    if (h) h->watched(s, c, on);
}

static void akt__handle_sys(akt__worker *w, akt__cell *c, akt__envelope *e) {
    akt_system *s = w->disp->system;
    uint64_t gen = akt__cell_gen(c);
    if (e->gen != gen || c->status == AKT__DEAD || c->status == AKT__FREE) {
        akt__handle_stale_sys(s, c, e);
        return;
    }
    switch (e->kind) {
    case AKT__SYS_START:
        akt__actor_start(w, c);
        akt__start_ended(s, c, gen);
        break;
    case AKT__SYS_WATCH:
        if (akt__keep_watch(c, e)) {
            akt__proxy_watched(s, c, 1);
            return;
        }
        break;
    case AKT__SYS_UNWATCH:
        if (akt__drop_watch(c, e->arg)) akt__proxy_watched(s, c, 0);
        break;
    case AKT__SYS_NOTIFY_STOP:
        akt__keep(c, e);
        return;
    case AKT__SYS_FAILED:
        akt__actor_supervise(w, c, e);
        break;
    case AKT__SYS_RESUME:
        akt__actor_resume(w, c);
        break;
    case AKT__SYS_RESTART:
        if (e->arg != 2)
            akt__actor_restart(w, c, e->arg != 0);
        else if (akt__backoff_due(c, e->code))
            akt__actor_restart(w, c, 0);
        break;
    case AKT__SYS_BACKOFF:
        akt__backoff_arm(w, c, (int64_t)e->arg);
        break;
    case AKT__SYS_SUSPEND:
        akt__actor_suspend(w, c, e->code, e->msg);
        break;
    case AKT__SYS_REINSTATE:
        akt__actor_reinstate(w, c);
        break;
    case AKT__SYS_RESPONSE:
        akt__requests_answered(s, c, e);
        return;
    case AKT__SYS_STEP:
        akt__susp_step_arrived(s, c, e);
        return;
    case AKT__SYS_PASSIVATION:
        akt__passivation_apply(w, c, e);
        break;
    case AKT__SYS_PASSIVATE:
        akt__passivate_check(w, c, e);
        break;
    }
    akt__env_done(e);
}

static void akt__run_system(akt__worker *w, akt__cell *c) {
    /* acquire: pairs with the requester's seq_cst RMW. Consumed once, so a signal cannot
     * re-run the actor forever. */
    unsigned sig = atomic_load_explicit(&c->signals, memory_order_relaxed) & AKT__SIG_REQUESTS
                       ? atomic_fetch_and_explicit(&c->signals, AKT__SIG_STATES,
                                                   memory_order_acquire) &
                             AKT__SIG_REQUESTS
                       : 0;
    if (sig && c->status != AKT__DEAD && c->status != AKT__FREE) {
        if (sig & AKT__SIG_STOP) akt__actor_begin_stop(w, c);
        if ((sig & AKT__SIG_CHILD_GONE) && c->status == AKT__STOPPING &&
            !akt__has_children(w->disp->system, c))
            akt__actor_finalize(w, c);
    }
    /* acquire: pairs with the pushers' release, making each envelope's fields visible. */
    akt__envelope *lifo = atomic_exchange_explicit(&c->sysq, NULL, memory_order_acquire);
    akt__envelope *fifo = NULL;
    while (lifo) { /* the stack is newest first: reverse it */
        akt__envelope *n = (akt__envelope *)atomic_load_explicit(&lifo->node.next,
                                                                 memory_order_relaxed);
        atomic_store_explicit(&lifo->node.next, (akt__node *)fifo, memory_order_relaxed);
        fifo = lifo;
        lifo = n;
    }
    while (fifo) {
        akt__envelope *n = (akt__envelope *)atomic_load_explicit(&fifo->node.next,
                                                                 memory_order_relaxed);
        akt__handle_sys(w, c, fifo);
        fifo = n;
    }
}

static akt__envelope *akt__next_user(akt__cell *c) {
    akt__ext *x = akt__cell_ext(c);
    if (x && x->unstashed.head) return akt__env_list_pop(&x->unstashed);
    return akt__mailbox_take(c);
}

void akt__cell_release(akt__cell *c, int can_receive) {
    akt__ext *x = akt__cell_ext(c);
    int pending_unstash = (can_receive && x && x->unstashed.head) || akt__requests_ready(c) ||
                          akt__susp_ready(c);
    int tail_busy = c->mbox.tail != &c->mbox.stub || akt__mailbox_holds(c);
    unsigned idle = akt__sched_hints(c);
    /* seq_cst store: the consumer's half of the Dekker pair with akt__mpsc_push +
     * akt__cell_wake. After it, only atomics of c may be read: another thread may own c. */
    atomic_store_explicit(&c->sched, idle, memory_order_seq_cst);
    int more = atomic_load_explicit(&c->sysq, memory_order_seq_cst) != NULL || pending_unstash ||
               (atomic_load_explicit(&c->signals, memory_order_seq_cst) & AKT__SIG_REQUESTS) ||
               (can_receive &&
                (tail_busy ||
                 atomic_load_explicit(&c->mbox.head, memory_order_seq_cst) != &c->mbox.stub));
    if (!more) return;
    if (atomic_compare_exchange_strong_explicit(&c->sched, &idle, idle | AKT__SCHED_RUN,
                                                memory_order_acq_rel, memory_order_relaxed))
        akt__dispatch_enqueue(akt__cell_disp(c), c, 0); /* it ran here: no hint needed */
}

/* Polls of an emptied mailbox before the actor is released (~1 us). */
#define AKT__LINGER_POLLS 32

/* A run of receive_batch: the turn's budget and what the worker needs in akt_ctx_next. */
struct akt__batch {
    akt__worker *worker;
    size_t budget;
    size_t done;
    const akt__trace *trace; /* tracing on at the run's start: NULL while off */
    int traced;              /* 1 while span covers the message last pulled */
    akt__span span;
};

/* Ends the span of the message last pulled by receive_batch (if it has one). */
static void akt__batch_span_end(struct akt__batch *b, akt__cell *c, akt__envelope *e, int rc) {
    if (!b->traced) return;
    b->traced = 0;
    b->trace->end(b->trace, b->worker->disp->system, c, e->msg, &b->span, rc);
}

static int akt__system_pending(akt__cell *c) {
    /* relaxed peek: a stop or a directive should not wait for the rest of a run. */
    return atomic_load_explicit(&c->sysq, memory_order_relaxed) ||
           (atomic_load_explicit(&c->signals, memory_order_relaxed) & AKT__SIG_REQUESTS);
}

static int akt__batch_active(const akt__cell *c) {
    const akt__ext *x = akt__cell_ext(c);
    return c->beh && c->beh->receive_batch && !(x && x->become_fns.n);
}

/* The next user message for receive, waiting a moment for a busy sender; NULL if none. */
static akt__envelope *akt__next_user_lingering(akt__worker *w, akt__cell *c) {
    akt__envelope *e = akt__next_user(c);
    /* perf: a cheap actor on a worker above a busy one is on its way down to it (sched/
     * dispatch.c: akt__enqueue_home); lingering here would keep it talking across cores. */
    if (!e && c->cheap && akt__worker_below_busy(w)) return NULL;
    /* A busy sender is usually a moment behind: wait a few hundred cycles before giving the
     * actor up, which would cost a reschedule (two locks, a wake-up). Only on built-in
     * workers: an external dispatcher's thread has other work. */
    for (int i = 0;
         !e && i < AKT__LINGER_POLLS && !w->disp->external && !akt__worker_has_waiting(w); i++) {
        akt__cpu_relax();
        if (akt__mpsc_maybe_nonempty(&c->mbox)) e = akt__next_user(c);
    }
    return e;
}

int akt__ctx_next(akt__ctx *ctx, akt_msg **msg) {
    struct akt__batch *b = ctx->batch;
    akt__cell *c = ctx->cell;
    akt__worker *w = b->worker;
    akt__envelope *e = ctx->env;
    if (e) { /* finish the message last pulled, outside the callback's context */
        ctx->env = NULL;
        akt__self.ctx = NULL;
        akt__self.cell = NULL;
        akt__batch_span_end(b, c, e, 0);
        akt__user_finish(w, c, e, ctx, 0);
        akt__self.ctx = ctx;
        akt__self.cell = c;
    }
    for (;;) {
        if (b->done >= b->budget || !akt__user_open(c) || !akt__batch_active(c) ||
            akt__system_pending(c))
            return AKT_EAGAIN;
        e = akt__next_user_lingering(w, c);
        if (!e) return AKT_EAGAIN;
        b->done++;
        if (akt__user_prepare(w, c, e)) break;
    }
    akt__stat_bump(&akt__stats_of(c)->processed, 1); /* before receive, as akt__handle_user */
    if (b->trace) b->traced = b->trace->begin(b->trace, w->disp->system, c, e->msg, &b->span);
    ctx->env = e;
    *msg = e->msg;
    return 0;
}

/* One run of receive_batch; returns the messages it consumed. */
static size_t akt__run_batch(akt__worker *w, akt__cell *c, size_t budget) {
    struct akt__batch b = {.worker = w, .budget = budget};
    /* acquire: pairs with akt_trace_set_sink's release store (the record's fields). */
    b.trace = atomic_load_explicit(&w->disp->system->trace, memory_order_acquire);
    akt__ctx ctx;
    akt_ctx *handle = akt__ctx_enter(&ctx, w, c, NULL);
    ctx.batch = &b;
    uint64_t t0 = akt__ticks();
    int rc = c->beh->receive_batch(handle, c->state);
    int64_t took = (int64_t)(akt__ticks() - t0);
    akt__envelope *e = ctx.env;
    ctx.batch = NULL;
    akt__ctx_leave();
    if (e) {
        akt__batch_span_end(&b, c, e, rc);
        akt__user_finish(w, c, e, &ctx, rc);
    } else if (rc != 0 && rc != AKT_EUNHANDLED) { /* failed between messages */
        akt__actor_fail(w, c, rc > 0 ? AKT_EFAILED : rc, ctx.fail_reason);
        akt__ctx_fail_clear(&ctx);
    }
    c->cheap = b.done && akt__ticks_cheap(took / (int64_t)b.done); /* perf: a hint for sched/ */
    if (b.done) /* a batch's mean per message; relaxed: a gauge (kernel/stats.h) */
        atomic_store_explicit(&akt__stats_of(c)->last_ns, took / (int64_t)b.done,
                              memory_order_relaxed);
    return b.done;
}

size_t akt__cell_run(akt__worker *w, akt__cell *c, size_t budget) {
    size_t done = 0;
    /* After answering a plain thread's ask, no lingering: that thread waits for the answer
     * before it sends again, and then runs the idle actor's turn itself (sched/help.c). */
    int linger = 1;
    uint64_t first_t0 = 0; /* when the run's first receive began (0: none was timed) */
    akt__run_system(w, c);
    while (done < budget && akt__can_receive(c)) {
        if (akt__requests_ready(c)) { /* answers first: they may open the mailbox */
            done += akt__requests_run(w, c, budget - done);
            if (akt__system_pending(c)) akt__run_system(w, c);
            continue;
        }
        if (akt__susp_ready(c)) { /* steps of suspended messages: they may open it too */
            done += akt__susp_run(w, c, budget - done);
            if (akt__system_pending(c)) akt__run_system(w, c);
            continue;
        }
        if (!akt__user_open(c)) break;
        if (akt__batch_active(c)) {
            size_t n = akt__run_batch(w, c, budget - done);
            if (!n) break; /* nothing to pull */
            done += n;
        } else {
            akt__envelope *e = linger ? akt__next_user_lingering(w, c) : akt__next_user(c);
            if (!e) break;
            linger = !(e->reply && !e->sender && w->disp->system->waiters_run_turns);
            akt__handle_user(w, c, e, done++ == 0 ? &first_t0 : NULL);
        }
        if (akt__system_pending(c)) akt__run_system(w, c);
    }
    if (first_t0 && done >= 2) { /* one clock read a run of several; relaxed: a gauge */
        int64_t each = (int64_t)(akt__ticks() - first_t0) / (int64_t)done;
        atomic_store_explicit(&akt__stats_of(c)->turn_ticks, each, memory_order_relaxed);
        c->cheap = akt__ticks_cheap(each); /* perf: a hint for sched/ (dispatch.h) */
    } else if (first_t0) {                 /* one message, timed */
        /* relaxed: the runner's own gauge, written by this run. */
        c->cheap = akt__ticks_cheap(
            atomic_load_explicit(&akt__stats_of(c)->last_ns, memory_order_relaxed));
    }
    const akt__ext *x = akt__cell_ext(c);
    if (x && x->passivate_after) akt__passivate_count_check(w, c);
    int recycle = c->recycle; /* finalised in this run */
    c->recycle = 0;
    akt__cell_release(c, akt__user_open(c));
    if (recycle) akt__cell_free(w->disp->system, c);
    return done;
}
