/* A grain activation's actor: the shell behaviour around the behaviour its kind's activate
 * makes, and its idle timer.
 *
 * The shell activates on the first turn (pre_start: activate, the behaviour's pre_start,
 * on_activate), counts and times each user message before handing it on, and deactivates
 * on its own turn. The idle timer is one system timer per activation, reset lazily: it is
 * armed for last message + deactivate_after; when it fires it sends the activation an idle
 * message, and the activation, on that turn, deactivates if it is idle and nothing sent to
 * it is still on its way (grain.c counts), or else arms the timer again. */
#include <string.h>

#include "actor/send.h"
#include "base/alloc.h"
#include "base/clock.h"
#include "grain.h"

#define AKT__GRAIN_IDLE_TYPE "akt.grain.Idle"

static void akt__idle_release(void *object, void *ops_data) {
    (void)object;
    (void)ops_data;
}

/* The owner tag of idle messages; their object is the tag itself (nothing to free). */
static const akt_object_ops akt__idle_ops = {sizeof(akt_object_ops), akt__idle_release, NULL, NULL,
                                             NULL};

static void akt__timer_unref(akt__grain_timer *t) {
    /* acq_rel: the last owner sees every write the others made before they let go. */
    if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) == 1)
        akt__heap_free(&t->system->heap, t);
}

static void akt__timer_fire(akt__timer *timer, int closed) {
    akt__grain_timer *t = (akt__grain_timer *)timer;
    if (!closed) {
        akt_msg *m;
        /* Internal: a full bounded mailbox does not refuse it (the grain would never
         * deactivate). */
        if (!akt_msg_new_object(AKT__GRAIN_IDLE_TYPE, (void *)&akt__idle_ops, &akt__idle_ops, &m) &&
            akt__deliver_internal(t->system, t->pid, m, 0))
            akt_msg_release(m); /* the activation is gone: nothing to check */
    }
    akt__timer_unref(t); /* the armed timer's reference */
}

int akt__grain_timer_new(akt__grain *rec) {
    rec->timer = NULL;
    if (!rec->deactivate_after_ns) return 0; /* long-lived */
    akt_system *s = rec->grains->system;
    akt__grain_timer *t = akt__heap_calloc(&s->heap, sizeof *t);
    if (!t) return AKT_ENOMEM;
    atomic_init(&t->refs, 1); /* the activation's */
    atomic_init(&t->timer.claim, AKT__TIMER_IDLE);
    t->timer.fire = akt__timer_fire;
    t->system = s;
    rec->timer = t;
    return 0;
}

/* Arms the idle timer for deadline; on the activation's turn, the timer not armed. */
static void akt__timer_arm(akt__grain_timer *t, int64_t deadline) {
    /* relaxed: the activation holds a reference, and the timer lock publishes the rest to
     * the timer thread. */
    atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
    t->timer.deadline = deadline;
    t->timer.heap_idx = 0;
    /* AKT_ECLOSED (the system stops: the activation will too) or AKT_ENOMEM (then the
     * grain stays, as a long-lived one would). */
    if (akt__timer_add(&t->system->timers, &t->timer)) akt__timer_unref(t);
}

static void akt__timer_drop(akt__grain_timer *t) {
    if (!t) return;
    if (akt__timer_claim(&t->timer) && akt__timer_cancel(&t->system->timers, &t->timer))
        akt__timer_unref(t); /* taken out before it fired */
    akt__timer_unref(t);
}

/* Makes the activation: activate, the behaviour's pre_start, on_activate. */
static int akt__shell_activate(akt_ctx *ctx, akt__grain *rec) {
    const akt_grain_kind *def = &rec->kind->def;
    const akt_behavior *b = NULL;
    void *st = NULL;
    int rc = def->activate(def->kind_data, rec->identity + rec->name_off, &b, &st);
    if (rc) return rc;
    if (!b || b->size < offsetof(akt_behavior, pre_start) || !b->receive) {
        if (b && b->size >= offsetof(akt_behavior, receive_batch) && b->free_state && st)
            b->free_state(st);
        return AKT_EINVAL;
    }
    memset(&rec->inner, 0, sizeof rec->inner);
    memcpy(&rec->inner, b, b->size < sizeof rec->inner ? b->size : sizeof rec->inner);
    rec->inner.size = sizeof rec->inner;
    rec->inner.receive_batch = NULL;
    rec->inner_state = st;
    if (rec->inner.pre_start && (rc = rec->inner.pre_start(ctx, st))) return rc;
    if (def->on_activate && (rc = def->on_activate(ctx, st, def->kind_data))) {
        if (rec->inner.post_stop) rec->inner.post_stop(ctx, st);
        rec->inner.post_stop = NULL; /* ran */
        return rc;
    }
    rec->activated = 1;
    if (rec->timer) {
        rec->last_ns = akt__now_ns();
        akt__timer_arm(rec->timer, akt__deadline_after(rec->last_ns, rec->deactivate_after_ns));
    }
    return 0;
}

/* Ends the activation: on_deactivate, the behaviour's post_stop, its state freed. */
static void akt__shell_deactivate(akt_ctx *ctx, akt__grain *rec) {
    const akt_grain_kind *def = &rec->kind->def;
    if (rec->activated && def->on_deactivate)
        def->on_deactivate(ctx, rec->inner_state, def->kind_data);
    if (rec->inner.post_stop) rec->inner.post_stop(ctx, rec->inner_state);
    rec->inner.post_stop = NULL;
    rec->activated = 0;
    if (rec->inner.free_state && rec->inner_state) rec->inner.free_state(rec->inner_state);
    rec->inner_state = NULL;
    rec->inner.free_state = NULL;
}

static int akt__shell_pre_start(akt_ctx *ctx, void *state) {
    akt__grain *rec = state;
    if (rec->activated) return 0; /* not restarted: the parent stops failed grains */
    if (rec->timer) akt_ctx_self(ctx, &rec->timer->pid);
    return akt__shell_activate(ctx, rec);
}

/* The idle timer fired: deactivate, or arm it again. The deactivation runs its hooks while
 * the activation is still listed, so that the next activation cannot start before they
 * ended: if messages came meanwhile, the next activation is made here, in place, before
 * they are handled. */
static int akt__shell_idle(akt_ctx *ctx, akt__grain *rec) {
    if (!rec->timer || !rec->activated) return 0;
    int64_t after = rec->deactivate_after_ns, now = akt__now_ns();
    int64_t due = akt__deadline_after(rec->last_ns, after);
    if (now >= due) {
        if (akt__grain_idle(rec)) {
            akt__shell_deactivate(ctx, rec);
            if (akt__grain_try_unlist(rec)) {
                akt_pid self;
                akt_ctx_self(ctx, &self);
                akt_ctx_stop(ctx, self);
                return 0;
            }
            return akt__shell_activate(ctx, rec); /* arms the timer */
        }
        due = akt__deadline_after(now, after); /* messages wait: they reset the clock */
    }
    akt__timer_arm(rec->timer, due);
    return 0;
}

static int akt__shell_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt__grain *rec = state;
    void *tag;
    if (akt_msg_object(msg, &akt__idle_ops, &tag) == 0) {
        int rc = akt__shell_idle(ctx, rec);
        return rc ? akt_ctx_fail(ctx, "grains: the reactivation failed") : 0;
    }
    rec->received++;
    if (rec->timer) rec->last_ns = akt__now_ns();
    return rec->inner.receive(ctx, msg, rec->inner_state);
}

static void akt__shell_post_stop(akt_ctx *ctx, void *state) {
    akt__grain *rec = state;
    /* First out of the directory: the next message activates a new one. */
    akt__grain_unlist(rec);
    akt__shell_deactivate(ctx, rec);
}

void akt__grain_discard(akt__grain *rec) {
    akt__timer_drop(rec->timer);
    akt__heap_free(&rec->grains->system->heap, rec);
}

static void akt__shell_free(void *state) {
    akt__grain *rec = state;
    akt__grain_unlist(rec);
    if (rec->inner.free_state && rec->inner_state) rec->inner.free_state(rec->inner_state);
    akt__grain_discard(rec);
}

const akt_behavior akt__grain_shell = {sizeof(akt_behavior), akt__shell_receive,
                                       akt__shell_pre_start, akt__shell_post_stop,
                                       akt__shell_free,      NULL};
