/* Sending: tell, ask, batches, and stopping from outside. */
#include "actor_run.h"
#include "future.h"
#include "msg.h"
#include "system.h"
#include "thread_hooks.h"

int akt__deliver(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender, akt_future *reply,
                 uint16_t kind) {
    akt__cell *c = akt__cell_live(s, to);
    if (!c) return AKT_ENOTFOUND;
    akt__envelope *e = akt__env_new();
    if (!e) return AKT_ENOMEM;
    e->msg = msg;
    e->reply = reply;
    e->sender = sender;
    e->gen = akt__pid_gen(to);
    e->kind = kind;
    akt__mpsc_push(&c->mbox, &e->node);
    akt__cell_wake(c);
    return 0;
}

int akt__send_sys(akt_system *s, akt_pid to, uint16_t kind, uint64_t arg, int32_t code,
                  akt_msg *msg, akt_future *reply) {
    uint32_t idx = akt__pid_index(to);
    akt__cell *c = idx ? akt__cell_get(s, idx) : NULL;
    if (!c) return AKT_ENOTFOUND;
    akt__envelope *e = akt__env_new();
    if (!e) return AKT_ENOMEM;
    e->kind = kind;
    e->gen = akt__pid_gen(to);
    e->arg = arg;
    e->code = code;
    e->msg = msg;
    e->reply = reply;
    akt__envelope *head = atomic_load_explicit(&c->sysq, memory_order_relaxed);
    do {
        atomic_store_explicit(&e->node.next, (akt__node *)head, memory_order_relaxed);
        /* seq_cst: publishes the envelope (release) and is the producer's half of the
         * Dekker pair with the run loop's "sched = 0, re-check sysq". */
    } while (!atomic_compare_exchange_weak_explicit(&c->sysq, &head, e, memory_order_seq_cst,
                                                    memory_order_relaxed));
    akt__cell_wake(c);
    return 0;
}

static int akt__sys_usable(akt_system *s) {
    if (!s) return AKT_EINVAL;
    return atomic_load_explicit(&s->state, memory_order_acquire) == AKT__SYS_DONE ? AKT_ECLOSED
                                                                                  : 0;
}

/* The sender for sends made from inside an actor callback of system s. */
static uint64_t akt__implicit_sender(akt_system *s) {
    akt__cell *c = akt__self.cell;
    return c && akt__self.ctx && akt__self.ctx->system == s ? akt__cell_pid(c).id : 0;
}

AKT_API int akt_tell(akt_system *system, akt_pid to, akt_msg *msg) {
    int rc = akt__sys_usable(system);
    if (rc) return rc;
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    return akt__deliver(system, to, msg, 0, NULL, AKT__ENV_USER);
}

AKT_API int akt_tell_batch(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n) {
    int rc = akt__sys_usable(system);
    if (rc) return rc;
    if (!msgs || !n) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!akt__msg_ok(msgs[i])) return AKT_EINVAL;
    akt__cell *c = akt__cell_live(system, to);
    if (!c) return AKT_ENOTFOUND;
    /* Build the chain first so that a failed allocation takes nothing. */
    akt__envelope *first = NULL, *last = NULL;
    for (size_t i = 0; i < n; i++) {
        akt__envelope *e = akt__env_new();
        if (!e) {
            while (first) {
                akt__envelope *nx = (akt__envelope *)atomic_load_explicit(
                    &first->node.next, memory_order_relaxed);
                akt__env_free(first);
                first = nx;
            }
            return AKT_ENOMEM;
        }
        e->msg = msgs[i];
        e->gen = akt__pid_gen(to);
        e->kind = AKT__ENV_USER;
        atomic_store_explicit(&e->node.next, NULL, memory_order_relaxed);
        if (last)
            atomic_store_explicit(&last->node.next, &e->node, memory_order_relaxed);
        else
            first = e;
        last = e;
    }
    akt__mpsc_push_chain(&c->mbox, &first->node, &last->node);
    akt__cell_wake(c);
    return 0;
}

static void akt__future_abandon(akt_future *f) {
    /* Neither the receiver nor the caller will see it: complete it (which disarms the
     * timer, the only holders being us) and drop both remaining references. */
    akt__future_unref(f); /* the caller's: now only the pending op's and the timer's */
    akt__future_complete(f, AKT_ECANCELED, NULL);
    akt__future_unref(f);
}

int akt__ask_from(akt_system *s, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                  uint64_t sender, akt_future **out) {
    int rc = akt__sys_usable(s);
    if (rc) return rc;
    if (!akt__msg_ok(msg) || !out || timeout_ns <= 0) return AKT_EINVAL;
    if (!akt__cell_live(s, to)) return AKT_ENOTFOUND;
    akt_future *f;
    rc = akt__future_new(s, timeout_ns, to, &f);
    if (rc) return rc;
    rc = akt__deliver(s, to, msg, sender, f, AKT__ENV_USER);
    if (rc) {
        akt__future_abandon(f);
        return rc;
    }
    *out = f;
    return 0;
}

AKT_API int akt_ask(akt_system *system, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                    akt_future **out) {
    return akt__ask_from(system, to, msg, timeout_ns, akt__implicit_sender(system), out);
}

AKT_API int akt_ask_batch(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n,
                          int64_t timeout_ns, akt_future **futures) {
    int rc = akt__sys_usable(system);
    if (rc) return rc;
    if (!msgs || !n || !futures || timeout_ns <= 0) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!akt__msg_ok(msgs[i])) return AKT_EINVAL;
    if (!akt__cell_live(system, to)) return AKT_ENOTFOUND;
    for (size_t i = 0; i < n; i++) {
        rc = akt__future_new(system, timeout_ns, to, &futures[i]);
        if (rc) {
            while (i--) akt__future_abandon(futures[i]);
            return rc;
        }
    }
    /* All futures exist; the sends below can only fail by the actor dying meanwhile (or
     * an envelope allocation), in which case the remaining asks fail as stopped. */
    uint64_t sender = akt__implicit_sender(system);
    for (size_t i = 0; i < n; i++) {
        rc = akt__deliver(system, to, msgs[i], sender, futures[i], AKT__ENV_USER);
        if (rc) {
            if (i == 0) {
                for (size_t j = 0; j < n; j++) akt__future_abandon(futures[j]);
                return rc;
            }
            for (size_t j = i; j < n; j++) {
                akt__future_complete(futures[j], rc == AKT_ENOTFOUND ? AKT_ESTOPPED : rc, NULL);
                akt__future_unref(futures[j]); /* the receiver's reference */
                akt_msg_release(msgs[j]);
            }
            return 0;
        }
    }
    return 0;
}

static int akt__user_actor(akt_system *s, akt_pid pid) {
    int rc = akt__sys_usable(s);
    if (rc) return rc;
    if (akt__pid_index(pid) == AKT__GUARDIAN || !akt__cell_live(s, pid)) return AKT_ENOTFOUND;
    return 0;
}

AKT_API int akt_stop(akt_system *system, akt_pid pid) {
    int rc = akt__user_actor(system, pid);
    return rc ? rc : akt__send_sys(system, pid, AKT__SYS_STOP, 0, 0, NULL, NULL);
}

AKT_API int akt_poison(akt_system *system, akt_pid pid) {
    int rc = akt__user_actor(system, pid);
    return rc ? rc : akt__deliver(system, pid, NULL, 0, NULL, AKT__ENV_POISON);
}

static void akt__graceful_timeout(akt_future *f) {
    akt__send_sys(f->system, (akt_pid){f->target}, AKT__SYS_STOP, 0, 0, NULL, NULL);
}

AKT_API int akt_stop_graceful(akt_system *system, akt_pid pid, int64_t timeout_ns,
                              akt_future **out) {
    int rc = akt__user_actor(system, pid);
    if (rc) return rc;
    if (!out || timeout_ns <= 0) return AKT_EINVAL;
    akt_future *f;
    rc = akt__future_new(system, timeout_ns, pid, &f);
    if (rc) return rc;
    f->on_timeout = akt__graceful_timeout;
    rc = akt__send_sys(system, pid, AKT__SYS_NOTIFY_STOP, 0, 0, NULL, f);
    if (rc) {
        akt__future_abandon(f);
        return rc;
    }
    akt__deliver(system, pid, NULL, 0, NULL, AKT__ENV_POISON);
    *out = f;
    return 0;
}
