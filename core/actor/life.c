/* An actor's lifecycle on its own thread: start, failure and supervision, restart,
 * stopping (children first) and finalisation. */
#include <string.h>

#include "life.h"

#include "backoff.h"
#include "ext.h"
#include "kernel/events.h"
#include "kernel/future.h"
#include "kernel/msg.h"
#include "kernel/path.h"
#include "kernel/sys.h"
#include "mailbox/mailbox.h"
#include "request.h"
#include "send.h"
#include "suspend.h"
#include "turn.h"

static int akt__call_pre_start(akt__worker *w, akt__cell *c, char **reason) {
    if (!c->beh || !c->beh->pre_start) return 0;
    akt__ctx ctx;
    int rc = c->beh->pre_start(akt__ctx_enter(&ctx, w, c, NULL), c->state);
    akt__ctx_leave();
    *reason = ctx.fail_reason;
    ctx.fail_reason = NULL;
    akt__ctx_fail_clear(&ctx); /* a detail is for an asker: pre_start has none */
    return rc > 0 ? AKT_EFAILED : rc;
}

static void akt__call_post_stop(akt__worker *w, akt__cell *c) {
    if (!c->started) return;
    c->started = 0;
    if (!c->beh || !c->beh->post_stop) return;
    akt__ctx ctx;
    c->beh->post_stop(akt__ctx_enter(&ctx, w, c, NULL), c->state);
    akt__ctx_leave();
    /* A failure in post_stop (akt_ctx_fail: a binding's exception) is told, not obeyed:
     * the stop or restart goes on. */
    if (ctx.fail_reason)
        akt__publish(w->disp->system, AKT_EVENT_ACTOR_FAILED, c, (akt_pid){0}, NULL, AKT_EFAILED,
                     ctx.fail_reason);
    akt__ctx_fail_clear(&ctx);
}

/* pre_start; on failure the actor stops (without post_stop: it never started). */
static int akt__enter_running(akt__worker *w, akt__cell *c, unsigned event) {
    akt_system *s = w->disp->system;
    char *reason = NULL;
    int rc = akt__call_pre_start(w, c, &reason);
    if (rc) {
        akt__publish(s, AKT_EVENT_ACTOR_FAILED, c, (akt_pid){0}, NULL, rc, reason);
        akt__stat_bump(&akt__stats_of(c)->failures, 1);
        akt__sys_stat(&s->stats.failures);
        akt__dfree(reason);
        akt__actor_begin_stop(w, c);
        return rc;
    }
    c->status = AKT__RUNNING;
    c->started = 1;
    akt__publish(s, event, c, (akt_pid){0}, NULL, 0, NULL);
    return 0;
}

void akt__actor_start(akt__worker *w, akt__cell *c) {
    if (c->status != AKT__STARTING) return;
    akt__enter_running(w, c, AKT_EVENT_ACTOR_STARTED);
}

void akt__actor_fail(akt__worker *w, akt__cell *c, int code, const char *reason) {
    akt_system *s = w->disp->system;
    akt_pid self = akt__cell_pid(c);
    akt__publish(s, AKT_EVENT_ACTOR_FAILED, c, (akt_pid){0}, NULL, code, reason);
    akt__stat_bump(&akt__stats_of(c)->failures, 1);
    akt__sys_stat(&s->stats.failures);
    c->status = AKT__SUSPENDED;
    akt_msg *why = NULL;
    if (reason) akt_msg_new_bytes("akt.Failure", reason, strlen(reason), AKT_COPY, &why);
    akt__cell *parent = akt__cell_get(s, c->parent);
    if (!parent ||
        akt__send_sys(s, akt__cell_pid(parent), AKT__SYS_FAILED, self.id, code, why, NULL)) {
        if (why) akt_msg_release(why);
        akt__actor_begin_stop(w, c); /* nobody can decide: stop rather than hang */
    }
}

/* Passes this actor's own directive on to the children that escalated to it. */
static void akt__settle_escalated(akt_system *s, akt__cell *c, uint16_t kind) {
    akt__ext *x = akt__cell_ext(c);
    if (!x) return;
    for (uint32_t i = 0; i < x->escalated.n; i++)
        akt__send_sys(s, (akt_pid){x->escalated.v[i]}, kind, 0, 0, NULL, NULL);
    x->escalated.n = 0;
}

void akt__actor_resume(akt__worker *w, akt__cell *c) {
    if (c->status != AKT__SUSPENDED) return;
    c->status = AKT__RUNNING;
    akt__settle_escalated(w->disp->system, c, AKT__SYS_RESUME);
}

void akt__actor_suspend(akt__worker *w, akt__cell *c, int code, akt_msg *why) {
    if (c->status != AKT__SUSPENDED || akt__cell_suspended(c)) return;
    /* relaxed: see akt__cell_suspended. */
    atomic_fetch_or_explicit(&c->signals, AKT__SIG_SUSPENDED, memory_order_relaxed);
    char buf[256];
    const char *reason = NULL;
    const void *data;
    size_t len;
    if (why && akt_msg_bytes(why, &data, &len) == 0) {
        if (len >= sizeof buf) len = sizeof buf - 1;
        memcpy(buf, data, len);
        buf[len] = 0;
        reason = buf;
    }
    akt__publish(w->disp->system, AKT_EVENT_ACTOR_SUSPENDED, c, (akt_pid){0}, NULL, code, reason);
}

void akt__actor_reinstate(akt__worker *w, akt__cell *c) {
    if (c->status != AKT__SUSPENDED || !akt__cell_suspended(c)) return;
    atomic_fetch_and_explicit(&c->signals, (unsigned char)~AKT__SIG_SUSPENDED,
                              memory_order_relaxed);
    c->status = AKT__RUNNING;
    /* actor.reinstate.count: the runner is its one writer (kernel/stats.h) */
    akt__stat_bump(&akt__rare_of(c)->reinstates, 1);
    akt__publish(w->disp->system, AKT_EVENT_ACTOR_REINSTATED, c, (akt_pid){0}, NULL, 0, NULL);
    akt__settle_escalated(w->disp->system, c, AKT__SYS_RESUME);
}

void akt__actor_restart(akt__worker *w, akt__cell *c, int forced) {
    if (c->status != AKT__SUSPENDED && !(forced && c->status == AKT__RUNNING)) return;
    akt_system *s = w->disp->system;
    akt__ext *x = akt__cell_ext(c);
    akt__backoff_drop(s, x); /* a restart that came first (one-for-all) */
    atomic_fetch_and_explicit(&c->signals, (unsigned char)~AKT__SIG_SUSPENDED,
                              memory_order_relaxed); /* relaxed: see akt__cell_suspended */
    akt__requests_cancel_all(x); /* the new incarnation owes the old one nothing */
    akt__susp_cancel_all(x, AKT_ECANCELED);
    akt__call_post_stop(w, c);
    x = akt__cell_ext(c); /* post_stop may have made it */
    if (x) {              /* a restarted actor starts from its own behaviour */
        x->become_fns.n = 0;
        x->become_states.n = 0;
    }
    /* runner-only, so load + store (kernel/stats.h) */
    _Atomic uint32_t *restarts = &akt__stats_of(c)->restarts;
    atomic_store_explicit(restarts, atomic_load_explicit(restarts, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    akt__sys_stat(&s->stats.restarts);
    if (akt__enter_running(w, c, AKT_EVENT_ACTOR_RESTARTED) == 0)
        akt__settle_escalated(s, c, AKT__SYS_RESTART);
}

void akt__actor_begin_stop(akt__worker *w, akt__cell *c) {
    if (c->status == AKT__STOPPING || c->status == AKT__DEAD || c->status == AKT__FREE) return;
    akt_system *s = w->disp->system;
    c->status = AKT__STOPPING;
    akt__ext *x = akt__cell_ext(c);
    akt__backoff_drop(s, x); /* a stop during a backoff: no restart */
    /* relaxed: see akt__cell_suspended; a stopping actor's senders get dead letters. */
    atomic_fetch_and_explicit(&c->signals, (unsigned char)~AKT__SIG_SUSPENDED,
                              memory_order_relaxed);
    akt__requests_cancel_all(x); /* their continuations never run */
    akt__susp_cancel_all(x, AKT_ESTOPPED);
    pthread_mutex_lock(&s->lock);
    c->closing = 1;
    for (uint32_t k = c->first_child; k;) {
        akt__cell *ch = akt__cell_get(s, k);
        akt__signal_locked(ch, AKT__SIG_STOP);
        k = ch->next_sibling;
    }
    int childless = c->first_child == 0;
    pthread_mutex_unlock(&s->lock);
    if (childless) akt__actor_finalize(w, c);
}

static void akt__drain_list(akt_system *s, akt__env_list *l, akt_pid self, const char *path) {
    akt__envelope *e;
    while ((e = akt__env_list_pop(l))) akt__dead_letter(s, e, self, path);
}

static void akt__unlink_locked(akt_system *s, akt__cell *c) {
    akt__cell *parent = akt__cell_get(s, c->parent);
    if (c->prev_sibling)
        akt__cell_get(s, c->prev_sibling)->next_sibling = c->next_sibling;
    else if (parent)
        parent->first_child = c->next_sibling;
    if (c->next_sibling) akt__cell_get(s, c->next_sibling)->prev_sibling = c->prev_sibling;
    c->next_sibling = c->prev_sibling = 0;
    if (akt__cell_name(c)) akt__names_remove(s, akt__cell_index(c));
}

static akt__envelope *akt__env_next(akt__envelope *e) {
    return (akt__envelope *)atomic_load_explicit(&e->node.next, memory_order_relaxed);
}

/* Tells every watcher that self is gone, completes graceful-stop waiters, and stops
 * watching others. */
static void akt__notify_watchers(akt_system *s, akt__cell *c, akt__ext *x, akt_pid self,
                                 const char *path) {
    /* Watchers first, then graceful-stop waiters: a waiter that wakes finds every
     * Terminated already sent. */
    akt__envelope **kept = akt__kept_peek(c);
    for (akt__envelope *e = kept ? *kept : NULL; e; e = akt__env_next(e)) {
        akt_msg *t;
        if (e->kind == AKT__SYS_WATCH &&
            akt__msg_new_about(AKT_TYPE_TERMINATED, self, path, &t) == 0 &&
            akt__deliver_internal(s, (akt_pid){e->arg}, t, self.id))
            akt_msg_release(t);
    }
    for (akt__envelope *e = kept ? *kept : NULL, *n; e; e = n) {
        n = akt__env_next(e);
        if (e->kind == AKT__SYS_NOTIFY_STOP) {
            akt__graceful_done(e->reply);
            akt__future_unref(e->reply);
        }
        akt__env_free(e);
    }
    if (kept) *kept = NULL;
    for (uint32_t i = 0; x && i < x->watching.n; i++)
        akt__send_sys(s, (akt_pid){x->watching.v[i]}, AKT__SYS_UNWATCH, self.id, 0, NULL, NULL);
}

void akt__actor_finalize(akt__worker *w, akt__cell *c) {
    akt_system *s = w->disp->system;
    akt__call_post_stop(w, c);
    akt_pid self = akt__cell_pid(c);
    uint32_t parent_idx = c->parent;

    /* Two sections of the structure lock per stop (the path and the unlink, then the name
     * and the parent's signal): a spawn from another thread waits for each (Fork-Join
     * creation spawns while workers stop). */
    pthread_mutex_lock(&s->lock);
    char *path = akt__path_dup_locked(s, c);
    akt__unlink_locked(s, c);
    /* From here on the pid is not live: no new tell, stop or lookup reaches this actor. */
    int reusable = akt__cell_end_locked(s, c) && akt__cell_index(c) != AKT__GUARDIAN;
    pthread_mutex_unlock(&s->lock);
    c->status = AKT__DEAD;
    akt__sched_head *sched = akt__sys_schedules(s);
    if (sched) sched->hooks->actor_stopped(s, self); /* its schedules end with it */
    if (akt__cell_index(c) != AKT__GUARDIAN) akt__sys_stat(&s->stats.stopped);

    akt__ext *x = akt__cell_ext(c);
    akt__cell_ext_set(c, NULL); /* clearing cannot fail */
    if (x) {
        akt__drain_list(s, &x->unstashed, self, path);
        akt__drain_list(s, &x->stash, self, path);
    }
    akt__envelope *e;
    while ((e = akt__mailbox_take(c))) {
        if (e->gen == akt__pid_gen(self))
            akt__dead_letter(s, e, self, path);
        else /* late mail for an earlier incarnation */
            akt__dead_letter(s, e, akt__pid_make(akt__cell_index(c), e->gen), NULL);
    }
    akt__mailbox_end(&s->heap, c);
    akt__notify_watchers(s, c, x, self, path);
    akt__ext_free(s, x);
    if (c->beh && c->beh->free_state) c->beh->free_state(c->state);
    c->state = NULL;
    /* relaxed atomic: read by akt_pid_receive (reader.c), which checks the pid after */
    __atomic_store_n(&c->beh, NULL, __ATOMIC_RELAXED);
    akt__publish_at(s, AKT_EVENT_ACTOR_STOPPED, self, path, (akt_pid){0}, NULL, 0, NULL);

    akt__heap_free(&s->heap, path);
    /* For the next spawn, but only once this run has let the cell go (akt__cell_run, on
     * this thread, after this returns): a spawn must never share a cell with a run, nor
     * wait for one. Set before the parent's signal, after which the system may end. */
    c->recycle = (uint8_t)reusable;

    pthread_mutex_lock(&s->lock);
    akt__name_free(&s->heap, akt__cell_name_inline(c));
    c->parent = 0;
    /* The parent is alive: it cannot finish before its children are unlinked. */
    if (parent_idx) akt__signal_locked(akt__cell_get(s, parent_idx), AKT__SIG_CHILD_GONE);
    pthread_mutex_unlock(&s->lock);
    if (!parent_idx) akt__system_guardian_gone(s);
}
