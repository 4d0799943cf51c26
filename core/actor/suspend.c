/* Suspended messages. akt_ctx_suspend marks the message in hand; when its callback returns,
 * akt__user_finish (turn.c) hands the envelope here instead of finishing it. A step posted
 * from any thread travels as a SYS_STEP envelope whose message owns the step (fn, drop,
 * data): every path that discards an envelope releases its message, so a step that never
 * runs (a stale pid, a freed system, a message finished meanwhile) always drops. The turn
 * keeps the steps until it runs user code (akt__susp_run), then runs each with the held
 * message as the context's, and finishes the message unless the step suspended it again. */
#include "suspend.h"

#include <string.h>

#include "kernel/envelope.h"
#include "kernel/future.h"
#include "kernel/msg.h"
#include "kernel/sys.h"
#include "send.h"
#include "turn.h"

typedef struct akt__susp {
    struct akt__susp *next;
    uint64_t id;
    akt__envelope *env; /* the held message */
    int holding;        /* counted in n_holding */
} akt__susp;

/* The step a SYS_STEP envelope's message owns (its bytes). */
typedef struct akt__step {
    akt_resume_fn fn; /* NULL once taken to run: then the release does not drop */
    void (*drop)(void *);
    void *data;
} akt__step;

#define AKT__STEP_TYPE "akt.SuspensionStep"

/* Suspension ids: never reused in the process, so a handle kept after its message finished
 * names nothing. relaxed: only uniqueness matters. */
static _Atomic uint64_t akt__susp_seq;

static void akt__step_release(void *p) {
    akt__step *st = p;
    if (st->fn && st->drop) st->drop(st->data);
    akt__dfree(st);
}

AKT_API int akt_ctx_suspend(akt_ctx *ctx, int mode, akt_suspension *out) {
    akt__ctx *x = ctx ? akt__ctx_current(ctx) : NULL;
    if (!x || !x->cell) return ctx ? AKT_EMISUSE : AKT_EINVAL;
    if (!out || mode < AKT_REENTRANCY_DEFAULT || mode > AKT_REENTRANCY_STASH) return AKT_EINVAL;
    if (!x->env || x->env->kind != AKT__ENV_USER) return AKT_EMISUSE;
    if (!mode) {
        const akt__ext *ext = akt__cell_ext(x->cell);
        mode = ext && ext->reentrancy ? ext->reentrancy : AKT_REENTRANCY_OFF;
    }
    if (!x->susp_id) /* relaxed: a unique number */
        x->susp_id = atomic_fetch_add_explicit(&akt__susp_seq, 1, memory_order_relaxed) + 1;
    x->suspend = mode == AKT_REENTRANCY_ALLOW_ALL ? 2 : 1;
    out->actor = akt__cell_pid(x->cell);
    out->id = x->susp_id;
    return 0;
}

AKT_API int akt_suspension_post(akt_system *s, akt_suspension sp, akt_resume_fn fn,
                                void (*drop)(void *data), void *data) {
    if (!s || !fn || !sp.id) return AKT_EINVAL;
    akt__cell *c = akt__cell_issued(s, sp.actor);
    if (!c) return AKT_ENOTFOUND;
    /* acquire: pairs with the shutdown's release of the state. */
    if (atomic_load_explicit(&s->state, memory_order_acquire) == AKT__SYS_DONE) return AKT_ECLOSED;
    akt__step *st = akt__dalloc(sizeof *st);
    akt__envelope *e = akt__env_new();
    akt_msg *m = NULL;
    if (!st || !e || akt_msg_new_bytes(AKT__STEP_TYPE, st, sizeof *st, akt__step_release, &m)) {
        akt__dfree(st);
        if (e) akt__env_free(e);
        return AKT_ENOMEM;
    }
    st->fn = fn;
    st->drop = drop;
    st->data = data;
    e->kind = AKT__SYS_STEP;
    e->gen = akt__pid_gen(sp.actor);
    e->arg = sp.id;
    e->msg = m;
    akt__sysq_push(c, e);
    akt__cell_wake(c);
    return 0;
}

static akt__susp *akt__susp_find(akt__ext *x, uint64_t id, int unlink) {
    for (akt__susp **p = x ? &x->susps : NULL; p && *p; p = &(*p)->next) {
        akt__susp *r = *p;
        if (r->id != id) continue;
        if (unlink) {
            *p = r->next;
            if (r->holding) x->n_holding--;
        }
        return r;
    }
    return NULL;
}

int akt__susp_keep(akt_system *s, akt__cell *c, uint64_t id, int holding, akt__envelope *e) {
    akt__ext *x = akt__ext_get(s, c);
    akt__susp *r = x ? akt__dalloc(sizeof *r) : NULL;
    if (!r) return 0;
    r->id = id;
    r->env = e;
    r->holding = holding;
    r->next = x->susps;
    x->susps = r;
    if (r->holding) x->n_holding++;
    return 1;
}

static void akt__step_discard(akt__envelope *e) {
    akt_msg *m = e->msg;
    akt__env_free(e);
    if (m) akt_msg_release(m); /* drops the step */
}

void akt__susp_step_arrived(akt_system *s, akt__cell *c, akt__envelope *e) {
    (void)s;
    akt__ext *x = akt__cell_ext(c);
    if (akt__susp_find(x, e->arg, 0))
        akt__env_list_push(&x->steps, e);
    else
        akt__step_discard(e); /* finished, or ended by a stop or a restart */
}

int akt__susp_ready(const akt__cell *c) {
    const akt__ext *x = akt__cell_ext(c);
    return x && x->steps.head && c->status == AKT__RUNNING;
}

size_t akt__susp_run(akt__worker *w, akt__cell *c, size_t budget) {
    size_t n = 0;
    while (n < budget && akt__susp_ready(c)) {
        akt__ext *x = akt__cell_ext(c); /* ready: set */
        akt__envelope *se = akt__env_list_pop(&x->steps);
        uint64_t id = se->arg;
        n++;
        akt__susp *r = akt__susp_find(x, id, 1);
        if (!r) { /* a step before it finished the message */
            akt__step_discard(se);
            continue;
        }
        akt__envelope *e = r->env;
        akt__dfree(r);
        akt__step *st = (akt__step *)(uintptr_t)se->msg->data;
        akt_resume_fn fn = st->fn;
        void *data = st->data;
        st->fn = NULL; /* taken: its release does not drop */
        akt__step_discard(se);
        akt__ctx ctx;
        akt_ctx *h = akt__ctx_enter(&ctx, w, c, e);
        ctx.susp_id = id;
        int rc = fn(h, data);
        akt__ctx_leave();
        akt__user_finish(w, c, e, &ctx, rc);
    }
    return n;
}

void akt__susp_cancel_all(akt__ext *x, int rc) {
    if (!x) return;
    akt__susp *r;
    while ((r = x->susps)) {
        x->susps = r->next;
        akt__env_discard(r->env, rc);
        akt__dfree(r);
    }
    x->n_holding = 0;
    akt__envelope *e;
    while ((e = akt__env_list_pop(&x->steps))) akt__step_discard(e);
}

void akt__susp_free(akt__ext *x) { akt__susp_cancel_all(x, AKT_ECLOSED); }
