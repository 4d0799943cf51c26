/* The context API: what an actor may do from inside its callbacks. */
#include <string.h>

#include "base/tls.h"
#include "ext.h"
#include "kernel/ctx.h"
#include "kernel/events.h"
#include "kernel/future.h"
#include "kernel/msg.h"
#include "kernel/sys.h"
#include "send.h"
#include "spawn.h"
#include "turn.h"

/* x: the record behind handle ctx if ctx is the handle of the callback running on this
 * thread (kernel/ctx.h: the handle itself is never read); c: its actor. */
#define AKT__CTX(ctx, x, c)                                    \
    akt__ctx *x = ctx ? akt__ctx_current(ctx) : NULL;          \
    if (!x || !x->cell) return ctx ? AKT_EMISUSE : AKT_EINVAL; \
    akt__cell *c = x->cell

AKT_API int akt_ctx_self(akt_ctx *ctx, akt_pid *out) {
    AKT__CTX(ctx, x, c);
    if (!out) return AKT_EINVAL;
    *out = akt__cell_pid(c);
    return 0;
}

AKT_API int akt_ctx_sender(akt_ctx *ctx, akt_pid *out) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (!out) return AKT_EINVAL;
    out->id = x->env ? x->env->sender : 0;
    return 0;
}

AKT_API int akt_ctx_message(akt_ctx *ctx, akt_msg **msg) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (!msg) return AKT_EINVAL;
    if (!x->env || !x->env->msg) return AKT_EMISUSE; /* pre_start, post_stop, between pulls */
    *msg = x->env->msg;
    return 0;
}

AKT_API int akt_ctx_parent(akt_ctx *ctx, akt_pid *out) {
    AKT__CTX(ctx, x, c);
    if (!out) return AKT_EINVAL;
    akt_system *s = x->system;
    pthread_mutex_lock(&s->lock);
    akt__cell *p = c->parent ? akt__cell_get(s, c->parent) : NULL;
    *out = p ? akt__cell_pid(p) : (akt_pid){0};
    pthread_mutex_unlock(&s->lock);
    return 0;
}

AKT_API int akt_ctx_system(akt_ctx *ctx, akt_system **out) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (!out) return AKT_EINVAL;
    *out = x->system;
    return 0;
}

/* Why akt_ctx_respond dead-lettered a reply (the dead-letter event's reason). */
#define AKT__NO_ASKER "reply to a message nobody asked (no sender, no asker)"
#define AKT__ASK_OVER "reply to an ask that already completed (timed out, cancelled, answered)"
#define AKT__SENDER_GONE "reply to a sender that is gone"

AKT_API int akt_ctx_respond(akt_ctx *ctx, akt_msg *msg) {
    AKT__CTX(ctx, x, c);
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    akt__envelope *e = x->env;
    if (!e) return AKT_EMISUSE;
    const char *why = NULL;
    akt_pid to = {0};
    if (e->reply) {
        akt__msg_outgoing(x->system, msg); /* akt__deliver does it in the other case */
        if (!akt__future_complete(e->reply, 0, msg)) why = AKT__ASK_OVER;
    } else if (!e->sender) {
        why = AKT__NO_ASKER;
    } else {
        to.id = e->sender;
        int rc = akt__deliver(x->system, to, msg, akt__cell_pid(c).id, NULL, AKT__ENV_USER);
        if (rc != AKT_ENOTFOUND) return rc; /* taken (0), or kept by the caller */
        why = AKT__SENDER_GONE;
    }
    /* Nobody waits for this reply: it is a dead letter, and the actor goes on. */
    if (why)
        akt__publish_at(x->system, AKT_EVENT_DEAD_LETTER, to, NULL, akt__cell_pid(c), msg, 0, why);
    akt_msg_release(msg);
    return 0;
}

AKT_API int akt_ctx_reply_expected(akt_ctx *ctx, int *out) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (!out) return AKT_EINVAL;
    akt__envelope *e = x->env;
    if (!e) return AKT_EMISUSE;
    /* acquire: pairs with the completer's DONE store; a snapshot either way (the ask may
     * still time out before the reply reaches it). */
    if (e->reply)
        *out = (atomic_load_explicit(&e->reply->state, memory_order_acquire) & AKT__F_PHASE) ==
               AKT__F_PENDING;
    else
        *out = e->sender != 0 && akt__cell_live(x->system, (akt_pid){e->sender}) != NULL;
    return 0;
}

/* values begin: who reads a reply (issue 17) */
AKT_API int akt_ctx_asker_reader(akt_ctx *ctx, akt_receive_fn *out) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (!out) return AKT_EINVAL;
    akt__envelope *e = x->env;
    if (!e || !e->msg) return AKT_EMISUSE;
    /* The reader an outside ask recorded (written before the future was handed out). */
    if (e->reply && e->reply->reader) {
        *out = e->reply->reader;
        return 0;
    }
    if (e->sender) return akt_pid_receive(x->system, (akt_pid){e->sender}, out);
    if (!e->reply) return AKT_ENOTFOUND; /* told from outside any actor: nobody to answer */
    *out = NULL; /* akt's own asker (a remote node's): it passes the answer on */
    return 0;
}
/* values end */

AKT_API int akt_ctx_next(akt_ctx *ctx, akt_msg **msg) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (!msg) return AKT_EINVAL;
    if (!x->batch) return AKT_EMISUSE;
    return akt__ctx_next(x, msg);
}

AKT_API int akt_ctx_tell(akt_ctx *ctx, akt_pid to, akt_msg *msg) {
    AKT__CTX(ctx, x, c);
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    return akt__deliver_user(x->system, to, msg, akt__cell_pid(c).id, NULL);
}

AKT_API int akt_ctx_ask(akt_ctx *ctx, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                        akt_future **out) {
    AKT__CTX(ctx, x, c);
    return akt__ask_from(x->system, to, msg, timeout_ns, akt__cell_pid(c).id, NULL, out);
}

AKT_API int akt_ctx_forward(akt_ctx *ctx, akt_pid to) {
    AKT__CTX(ctx, x, c);
    (void)c;
    akt__envelope *e = x->env;
    if (!e) return AKT_EMISUSE;
    akt_msg_retain(e->msg);
    if (e->reply) akt__future_ref(e->reply);
    int rc = akt__deliver_user(x->system, to, e->msg, e->sender, e->reply);
    if (rc) {
        akt_msg_release(e->msg);
        if (e->reply) akt__future_unref(e->reply);
    }
    return rc;
}

AKT_API int akt_ctx_unhandled(akt_ctx *ctx) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (!x->env) return AKT_EMISUSE;
    x->unhandled = 1;
    return 0;
}

AKT_API int akt_ctx_fail(akt_ctx *ctx, const char *reason) {
    AKT__CTX(ctx, x, c);
    (void)c;
    akt__dfree(x->fail_reason);
    x->fail_reason = NULL;
    if (reason) {
        size_t n = strnlen(reason, 4096);
        x->fail_reason = akt__dalloc(n + 1);
        if (x->fail_reason) {
            memcpy(x->fail_reason, reason, n);
            x->fail_reason[n] = 0;
        }
    }
    return AKT_EFAILED;
}

AKT_API int akt_ctx_fail_with(akt_ctx *ctx, const char *reason, akt_msg *detail) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (detail && !akt__msg_ok(detail)) return AKT_EINVAL;
    if (detail) akt_msg_retain(detail);
    if (x->fail_detail) akt_msg_release(x->fail_detail);
    x->fail_detail = detail;
    return akt_ctx_fail(ctx, reason);
}

AKT_API int akt_ctx_spawn(akt_ctx *ctx, const akt_behavior *behavior, void *state,
                          const akt_spawn_options *options, akt_pid *out) {
    AKT__CTX(ctx, x, c);
    return akt__spawn_under(x->system, akt__cell_index(c), behavior, state, options, out);
}

AKT_API int akt_ctx_stop(akt_ctx *ctx, akt_pid pid) {
    AKT__CTX(ctx, x, c);
    akt_system *s = x->system;
    akt__cell *t = akt__cell_live(s, pid);
    if (!t) return AKT_ENOTFOUND;
    if (t != c) {
        pthread_mutex_lock(&s->lock);
        int child = t->parent == akt__cell_index(c);
        pthread_mutex_unlock(&s->lock);
        if (!child) return AKT_EINVAL;
    }
    return akt__stop_request(s, pid);
}

AKT_API int akt_ctx_become(akt_ctx *ctx, akt_receive_fn receive, void *state, int stacked) {
    AKT__CTX(ctx, x, c);
    if (!receive) return AKT_EINVAL;
    akt_system *s = x->system;
    akt__ext *ext = akt__ext_get(s, c);
    if (!ext) return AKT_ENOMEM;
    uint32_t keep_fns = ext->become_fns.n, keep_states = ext->become_states.n;
    if (!stacked) ext->become_fns.n = ext->become_states.n = 0;
    if (akt__vec_push(&s->heap, &ext->become_fns, (uint64_t)(uintptr_t)receive) ||
        akt__vec_push(&s->heap, &ext->become_states, (uint64_t)(uintptr_t)state)) {
        ext->become_fns.n = keep_fns; /* nothing changed (the vectors only grow) */
        ext->become_states.n = keep_states;
        return AKT_ENOMEM;
    }
    return 0;
}

AKT_API int akt_ctx_unbecome(akt_ctx *ctx) {
    AKT__CTX(ctx, x, c);
    akt__ext *ext = akt__cell_ext(c);
    if (ext) ext->become_fns.n = ext->become_states.n = 0;
    return 0;
}

AKT_API int akt_ctx_unbecome_stacked(akt_ctx *ctx) {
    AKT__CTX(ctx, x, c);
    akt__ext *ext = akt__cell_ext(c);
    if (!ext || !ext->become_fns.n) return AKT_EMISUSE;
    ext->become_fns.n--;
    ext->become_states.n--;
    return 0;
}

AKT_API int akt_ctx_stash(akt_ctx *ctx) {
    AKT__CTX(ctx, x, c);
    if (!x->env) return AKT_EMISUSE;
    if (x->stashed) return AKT_EMISUSE;
    if (!akt__ext_get(x->system, c)) return AKT_ENOMEM;
    x->stashed = 1;
    return 0;
}

AKT_API int akt_ctx_unstash(akt_ctx *ctx) {
    AKT__CTX(ctx, x, c);
    akt__ext *ext = akt__cell_ext(c);
    akt__envelope *e = ext ? akt__env_list_pop(&ext->stash) : NULL;
    if (!e) return AKT_EAGAIN;
    akt__env_list_push(&ext->unstashed, e);
    /* runner-only: load + store (kernel/stats.h) */
    _Atomic uint32_t *n = &akt__stats_of(c)->stash;
    atomic_store_explicit(n, atomic_load_explicit(n, memory_order_relaxed) - 1,
                          memory_order_relaxed);
    return 0;
}

AKT_API int akt_ctx_unstash_all(akt_ctx *ctx) {
    AKT__CTX(ctx, x, c);
    akt__ext *ext = akt__cell_ext(c);
    akt__envelope *e;
    while (ext && (e = akt__env_list_pop(&ext->stash))) akt__env_list_push(&ext->unstashed, e);
    atomic_store_explicit(&akt__stats_of(c)->stash, 0, memory_order_relaxed); /* as above */
    return 0;
}

AKT_API int akt_ctx_watch(akt_ctx *ctx, akt_pid pid) {
    AKT__CTX(ctx, x, c);
    akt_system *s = x->system;
    akt_pid self = akt__cell_pid(c);
    if (!pid.id || pid.id == self.id) return AKT_EINVAL;
    akt__ext *ext = akt__ext_get(s, c);
    if (!ext) return AKT_ENOMEM;
    if (akt__vec_find(&ext->watching, pid.id) >= 0) return 0;
    if (akt__vec_push(&s->heap, &ext->watching, pid.id)) return AKT_ENOMEM;
    int rc = akt__send_sys(s, pid, AKT__SYS_WATCH, self.id, 0, NULL, NULL);
    if (rc) akt__vec_remove(&ext->watching, pid.id);
    return rc;
}

AKT_API int akt_ctx_unwatch(akt_ctx *ctx, akt_pid pid) {
    AKT__CTX(ctx, x, c);
    akt_system *s = x->system;
    akt__ext *ext = akt__cell_ext(c);
    if (!ext || !akt__vec_remove(&ext->watching, pid.id)) return AKT_ENOTFOUND;
    return akt__send_sys(s, pid, AKT__SYS_UNWATCH, akt__cell_pid(c).id, 0, NULL, NULL);
}

AKT_API int akt_ctx_dependency(akt_ctx *ctx, const char *name, void **value) {
    AKT__CTX(ctx, x, c);
    if (!name || !value) return AKT_EINVAL;
    const akt__ext *ext = akt__cell_ext(c);
    if (ext)
        for (uint32_t i = 0; i < ext->ndeps; i++)
            if (strcmp(ext->dep_names[i], name) == 0) {
                *value = ext->dep_values[i];
                return 0;
            }
    return AKT_ENOTFOUND;
}

AKT_API int akt_ctx_extension(akt_ctx *ctx, const char *name, void **value) {
    AKT__CTX(ctx, x, c);
    (void)c;
    if (!name || !value) return AKT_EINVAL;
    return akt__extension_find(x->system, name, value);
}
