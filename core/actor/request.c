/* Reentrant requests. A request is an ask (the callee sees an ordinary asked message) whose
 * future carries a prepared SYS_RESPONSE envelope: whoever completes the future (the
 * callee's reply, the timer, a cancel, a dead letter) pushes it to the requester's system
 * queue, which cannot fail. The requester's turn keeps it until it runs user code
 * (akt__requests_run) and then runs the continuation, found by the request's id among the
 * records in flight. A record cancelled by a stop or a restart is gone: its answer finds
 * nothing and is dropped, so a continuation never runs for an earlier incarnation. */
#include "request.h"

#include <string.h>

#include "kernel/ctx.h"
#include "kernel/future.h"
#include "kernel/msg.h"
#include "kernel/sys.h"
#include "life.h"
#include "send.h"
#include "turn.h"

typedef struct akt__request {
    struct akt__request *next;
    uint64_t id;
    akt_future *future; /* the handle */
    akt_request_then then;
    void (*drop)(void *);
    void *data;
    int mode;
} akt__request;

/* Request ids: never reused in the process, so a handle kept after its request ended
 * names nothing. relaxed: only uniqueness matters. */
static _Atomic uint64_t akt__request_seq;

AKT_API int akt_request_options_init(akt_request_options *o) {
    if (!o) return AKT_EINVAL;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    return 0;
}

static int akt__read_request_options(const akt_request_options *in, akt_request_options *o) {
    akt_request_options_init(o);
    if (!in) return 0;
    if (in->size < offsetof(akt_request_options, mode)) return AKT_EINVAL;
    memcpy(o, in, in->size < sizeof *o ? in->size : sizeof *o);
    o->size = sizeof *o;
    if (o->timeout_ns < 0 || o->mode < AKT_REENTRANCY_DEFAULT || o->mode > AKT_REENTRANCY_STASH)
        return AKT_EINVAL;
    return 0;
}

/* The future's callback, on the completer's thread: hand the answer to the requester. */
static void akt__request_completed(akt_future *f, int rc, akt_msg *reply, void *data) {
    (void)rc;
    (void)reply;
    akt__envelope *e = data;
    akt_system *s = f->system;
    akt__cell *c = akt__cell_issued(s, (akt_pid){e->sender});
    if (!c) { /* cannot happen for a pid this system issued; never lose the envelope */
        akt__env_free(e);
        return;
    }
    akt__sysq_push(c, e);
    /* A system being freed runs no actor any more (its drain discards the envelope). */
    if (atomic_load_explicit(&s->state, memory_order_acquire) != AKT__SYS_DONE) akt__cell_wake(c);
}

static void akt__request_free(akt__request *r) {
    akt_future_release(r->future);
    akt__dfree(r);
}

/* Unlinks the record with this id, keeping the counts; NULL if none. */
static akt__request *akt__request_take(akt__ext *x, uint64_t id) {
    for (akt__request **p = &x->requests; *p; p = &(*p)->next) {
        akt__request *r = *p;
        if (r->id != id) continue;
        *p = r->next;
        x->n_requests--;
        if (r->mode == AKT_REENTRANCY_STASH) x->n_stashing--;
        return r;
    }
    return NULL;
}

/* akt_ctx_request to `to`, or to the actor at path when path is not NULL (the name is
 * resolved here, after the arguments were checked, so that bad input is AKT_EINVAL whatever
 * the name). */
static int akt__request_to(akt_ctx *ctx, const char *path, akt_pid to, akt_msg *msg,
                           const akt_request_options *options, akt_request **out) {
    akt__ctx *x = ctx ? akt__ctx_current(ctx) : NULL;
    if (!x || !x->cell) return ctx ? AKT_EMISUSE : AKT_EINVAL;
    akt__cell *c = x->cell;
    akt_system *s = x->system;
    akt_request_options o;
    if (!akt__msg_ok(msg) || akt__read_request_options(options, &o)) return AKT_EINVAL;
    if (path) {
        int lrc = akt_lookup(s, path, &to); /* AKT_EINVAL for "", AKT_ENOTFOUND */
        if (lrc) return lrc;
    }
    akt__ext *ext = akt__ext_get(s, c);
    if (!ext) return AKT_ENOMEM;
    int mode = o.mode ? o.mode : ext->reentrancy ? ext->reentrancy : AKT_REENTRANCY_OFF;
    if (ext->max_in_flight && ext->n_requests >= ext->max_in_flight) return AKT_EBUSY;
    akt__request *r = akt__dalloc(sizeof *r);
    akt__envelope *e = akt__env_new();
    if (!r || !e) {
        akt__dfree(r);
        if (e) akt__env_free(e);
        return AKT_ENOMEM;
    }
    akt_pid self = akt__cell_pid(c);
    uint64_t id = atomic_fetch_add_explicit(&akt__request_seq, 1, memory_order_relaxed) + 1;
    /* No timeout is a deadline that saturates: the timer closes it at the shutdown. */
    int rc = akt__ask_from(s, to, msg, o.timeout_ns ? o.timeout_ns : INT64_MAX, self.id, NULL,
                           &r->future);
    if (rc) {
        akt__dfree(r);
        akt__env_free(e);
        return rc;
    }
    e->kind = AKT__SYS_RESPONSE;
    e->gen = akt__pid_gen(self);
    e->sender = self.id;
    e->arg = id;
    r->id = id;
    r->then = o.then;
    r->drop = o.drop;
    r->data = o.data;
    r->mode = mode;
    r->next = NULL;
    akt__request **tail = &ext->requests;
    while (*tail) tail = &(*tail)->next;
    *tail = r;
    ext->n_requests++;
    if (mode == AKT_REENTRANCY_STASH) ext->n_stashing++;
    /* The first registration on a fresh handle: it cannot fail. If the callee already
     * answered, the envelope is pushed now, to be run after this callback. */
    akt_future_on_complete(r->future, akt__request_completed, e);
    if (out) *out = (akt_request *)(uintptr_t)id;
    return 0;
}

AKT_API int akt_ctx_request(akt_ctx *ctx, akt_pid to, akt_msg *msg,
                            const akt_request_options *options, akt_request **out) {
    return akt__request_to(ctx, NULL, to, msg, options, out);
}

/* Resolved once, at the call: a later respawn under the name does not get this request. A
 * NULL path is refused as the empty one is (AKT_EINVAL), after the context's check. */
AKT_API int akt_ctx_request_named(akt_ctx *ctx, const char *path, akt_msg *msg,
                                  const akt_request_options *options, akt_request **out) {
    return akt__request_to(ctx, path ? path : "", (akt_pid){0}, msg, options, out);
}

AKT_API int akt_request_cancel(akt_ctx *ctx, akt_request *request) {
    akt__ctx *x = ctx ? akt__ctx_current(ctx) : NULL;
    if (!x || !x->cell) return ctx ? AKT_EMISUSE : AKT_EINVAL;
    if (!request) return AKT_EINVAL;
    uint64_t id = (uint64_t)(uintptr_t)request;
    akt__ext *ext = akt__cell_ext(x->cell);
    for (akt__request *r = ext ? ext->requests : NULL; r; r = r->next)
        if (r->id == id) {
            akt_future_cancel(r->future); /* AKT_EMISUSE if it completed: the answer wins */
            return 0;
        }
    return AKT_ENOTFOUND;
}

void akt__requests_answered(akt_system *s, akt__cell *c, akt__envelope *e) {
    (void)s;
    akt__ext *x = akt__cell_ext(c);
    if (x && x->n_requests) {
        akt__env_list_push(&x->responses, e);
        return;
    }
    akt__env_free(e); /* its request was cancelled */
}

int akt__requests_ready(const akt__cell *c) {
    const akt__ext *x = akt__cell_ext(c);
    return x && x->responses.head && c->status == AKT__RUNNING;
}

size_t akt__requests_run(akt__worker *w, akt__cell *c, size_t budget) {
    size_t n = 0;
    while (n < budget && akt__requests_ready(c)) {
        akt__ext *x = akt__cell_ext(c); /* ready: set */
        akt__envelope *e = akt__env_list_pop(&x->responses);
        uint64_t id = e->arg;
        akt__env_free(e);
        n++;
        akt__request *r = akt__request_take(x, id);
        if (!r) continue; /* cancelled by a restart */
        akt_msg *reply = NULL;
        int rc = akt_future_wait(r->future, 0, &reply); /* complete: it pushed e */
        if (r->then) {
            akt__ctx ctx;
            int frc = r->then(akt__ctx_enter(&ctx, w, c, NULL), rc, rc == 0 ? reply : NULL,
                              r->data);
            akt__ctx_leave();
            if (frc != 0 && frc != AKT_EUNHANDLED)
                akt__actor_fail(w, c, frc > 0 ? AKT_EFAILED : frc, ctx.fail_reason);
            akt__ctx_fail_clear(&ctx);
        }
        if (reply) akt_msg_release(reply);
        akt__request_free(r);
    }
    return n;
}

void akt__requests_cancel_all(akt__ext *x) {
    if (!x) return;
    akt__request *r;
    while ((r = x->requests)) {
        x->requests = r->next;
        /* Completes it (the callee skips the message if it has not started it); the answer
         * it pushes finds no record and is dropped. */
        akt_future_cancel(r->future);
        if (r->drop) r->drop(r->data);
        akt__request_free(r);
    }
    x->n_requests = x->n_stashing = 0;
}

void akt__requests_free(akt_system *s, akt__ext *x) {
    (void)s;
    akt__requests_cancel_all(x);
    akt__envelope *e;
    while ((e = akt__env_list_pop(&x->responses))) akt__env_free(e);
}
