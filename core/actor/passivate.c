/* Passivation (passivate.h). The IDLE record has two kinds of owner: the timer heap while
 * armed, and the SYS_PASSIVATE message its fire sends (the message's release gives the
 * reference back), so a record is freed by whoever lets go last: a fire at shutdown, a
 * message to an actor that is gone, a check that passivated or found the record outdated. */
#include "passivate.h"

#include <stdatomic.h>

#include "base/clock.h"
#include "ext.h"
#include "kernel/events.h"
#include "kernel/stats.h"
#include "kernel/sys.h"
#include "life.h"
#include "mailbox/mailbox.h"
#include "request.h"
#include "send.h"

#define AKT__PASSIVATE_TYPE "akt.Passivate"

typedef struct akt__passive {
    akt__timer t; /* first: fire gets &t */
    akt_system *s;
    akt_pid pid;
    uint64_t seen;   /* the actor's processed count at the last check */
    int64_t idle_ns; /* the strategy's idle time */
    atomic_int refs; /* the armed timer, the SYS_PASSIVATE message */
    uint8_t epoch;   /* the cell's passive_epoch when the strategy was set */
} akt__passive;

static void akt__passive_unref(akt__passive *p) {
    /* acq_rel: the last owner sees every write of the others (the check on the actor's
     * turn, the timer thread) before it frees. */
    if (atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) == 1)
        akt__heap_free(&p->s->heap, p);
}

static void akt__passive_msg_release(void *object, void *ops_data) {
    (void)ops_data;
    akt__passive_unref(object);
}

static const akt_object_ops akt__passive_ops = {sizeof(akt_object_ops), akt__passive_msg_release,
                                                NULL, NULL, NULL};

/* On the timer thread: hands the record to the actor's turn in a SYS_PASSIVATE message
 * (the timer's reference becomes the message's). */
static void akt__passive_fire(akt__timer *t, int closed) {
    akt__passive *p = (akt__passive *)t;
    akt_msg *m = NULL;
    if (closed || akt_msg_new_object(AKT__PASSIVATE_TYPE, p, &akt__passive_ops, &m) != 0) {
        akt__passive_unref(p); /* shutdown, or no memory: the actor stays (long-lived) */
        return;
    }
    if (akt__send_sys(p->s, p->pid, AKT__SYS_PASSIVATE, 0, 0, m, NULL) != 0)
        akt_msg_release(m); /* gone, or no memory: the release frees the record */
}

/* Arms p for idle_ns from now, with a reference for the timer; on the actor's turn. */
static void akt__passive_arm(akt__passive *p) {
    /* relaxed: the caller holds a reference, and the timer lock publishes the record's
     * fields to the timer thread. */
    atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
    p->t.deadline = akt__deadline_after(akt__now_ns(), p->idle_ns);
    p->t.heap_idx = 0;
    /* AKT_ECLOSED (the system stops: so does the actor) or AKT_ENOMEM (it stays). */
    if (akt__timer_add(&p->s->timers, &p->t)) akt__passive_unref(p);
}

static uint64_t akt__processed(akt__cell *c) {
    /* relaxed: the runner is the only writer, and this runs on the runner */
    return atomic_load_explicit(&akt__stats_of(c)->processed, memory_order_relaxed);
}

/* Nothing for the actor to do and nothing it would lose by stopping now. */
static int akt__idle(akt__cell *c) {
    if (c->status != AKT__RUNNING) return 0;
    if (akt__mpsc_maybe_nonempty(&c->mbox) || akt__mailbox_holds(c)) return 0;
    const akt__ext *x = c->ext;
    return !x || (!x->unstashed.head && !x->stash.head && !x->n_requests && !x->responses.head);
}

static void akt__passivate(akt__worker *w, akt__cell *c) {
    if (c->ext) c->ext->passivate_after = 0;
    c->passive_epoch = (c->passive_epoch + 1) & 15; /* outdates an armed record */
    akt__publish(w->disp->system, AKT_EVENT_ACTOR_PASSIVATED, c, (akt_pid){0}, NULL, 0, NULL);
    akt__actor_begin_stop(w, c);
}

void akt__passivation_apply(akt__worker *w, akt__cell *c, akt__envelope *e) {
    akt_system *s = w->disp->system;
    c->passive_epoch = (c->passive_epoch + 1) & 15; /* the old record, if any, is outdated */
    if (c->ext) c->ext->passivate_after = 0;
    if (e->code == AKT_PASSIVATE_MESSAGES) {
        akt__ext *x = akt__ext_get(s, c);
        if (x) x->passivate_after = e->arg; /* without memory: long-lived */
        return;
    }
    if (e->code != AKT_PASSIVATE_IDLE) return; /* NEVER */
    akt__passive *p = akt__heap_alloc(&s->heap, sizeof *p);
    if (!p) return; /* without memory: long-lived */
    p->t.fire = akt__passive_fire;
    atomic_init(&p->t.claim, AKT__TIMER_IDLE);
    p->s = s;
    p->pid = akt__cell_pid(c);
    p->seen = akt__processed(c);
    p->idle_ns = (int64_t)e->arg;
    p->epoch = c->passive_epoch;
    atomic_init(&p->refs, 1); /* ours until armed */
    akt__passive_arm(p);
    akt__passive_unref(p);
}

void akt__passivate_check(akt__worker *w, akt__cell *c, akt__envelope *e) {
    akt__passive *p = NULL;
    if (!e->msg || akt_msg_object(e->msg, &akt__passive_ops, (void **)&p) != 0) return;
    if (p->epoch != c->passive_epoch) return; /* replaced: the message's release frees p */
    uint64_t n = akt__processed(c);
    if (n == p->seen && akt__idle(c)) {
        akt__passivate(w, c);
        return;
    }
    /* Busy since the last check (or now): look again idle_ns from now. */
    p->seen = n;
    akt__passive_arm(p);
}

void akt__passivate_count_check(akt__worker *w, akt__cell *c) {
    if (akt__processed(c) >= c->ext->passivate_after && akt__idle(c)) akt__passivate(w, c);
}

void akt__passivation_default(akt_system *s, akt_pid pid) {
    /* relaxed: one independent word, read whole (strategy and value together) */
    uint64_t d = atomic_load_explicit(&s->passivation_default, memory_order_relaxed);
    if (d >> 62)
        akt__send_sys(s, pid, AKT__SYS_PASSIVATION, d & AKT__PASSIVE_VALUE_MASK, (int32_t)(d >> 62),
                      NULL, NULL); /* without memory: long-lived */
}

/* The packed form of p, or 0 for NEVER; AKT_EINVAL for a bad p (*out untouched). */
static int akt__passivation_pack(const akt_passivation *p, uint64_t *out) {
    if (!p || p->size < sizeof *p) return AKT_EINVAL;
    switch (p->strategy) {
    case AKT_PASSIVATE_NEVER:
        *out = 0;
        return 0;
    case AKT_PASSIVATE_IDLE:
        if (p->idle_ns <= 0 || (uint64_t)p->idle_ns > AKT__PASSIVE_VALUE_MASK) return AKT_EINVAL;
        *out = (uint64_t)AKT_PASSIVATE_IDLE << 62 | (uint64_t)p->idle_ns;
        return 0;
    case AKT_PASSIVATE_MESSAGES:
        if (p->messages < 1 || p->messages > AKT__PASSIVE_VALUE_MASK) return AKT_EINVAL;
        *out = (uint64_t)AKT_PASSIVATE_MESSAGES << 62 | p->messages;
        return 0;
    default:
        return AKT_EINVAL;
    }
}

AKT_API int akt_passivation_set(akt_system *system, akt_pid pid, const akt_passivation *p) {
    uint64_t v;
    if (!system || akt__passivation_pack(p, &v)) return AKT_EINVAL;
    if (!akt__cell_live(system, pid)) return AKT_ENOTFOUND;
    return akt__send_sys(system, pid, AKT__SYS_PASSIVATION, v & AKT__PASSIVE_VALUE_MASK,
                         (int32_t)(v >> 62), NULL, NULL);
}

AKT_API int akt_system_set_passivation(akt_system *system, const akt_passivation *p) {
    uint64_t v = 0;
    if (!system || (p && akt__passivation_pack(p, &v))) return AKT_EINVAL;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    /* relaxed: one independent word (see akt__passivation_default) */
    atomic_store_explicit(&system->passivation_default, v, memory_order_relaxed);
    return 0;
}
