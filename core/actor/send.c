/* Sending: tell, ask, batches, and stopping from outside. */
#include "send.h"

#include "base/clock.h"
#include "base/tls.h"
#include "kernel/events.h"
#include "kernel/future.h"
#include "kernel/msg.h"
#include "kernel/stats.h"
#include "kernel/trace.h"
#include "mailbox/mailbox.h"
#include "reader.h"
#include "sched/dispatch.h"

static void akt__msg_first_send(akt_system *s, akt_msg *m) {
    /* acquire: pairs with akt_trace_set_sink's release store (the record's fields). */
    const akt__trace *tr = atomic_load_explicit(&s->trace, memory_order_acquire);
    if (tr) tr->inject(tr, m);
    if (s->inject) {
        akt__ctx *x = akt__self.ctx;
        s->inject(x && x->system == s ? x->handle : NULL, m, s->inject_data);
    }
    /* relaxed: the flag only stops this message's own holders' later akt_msg_set_header;
     * receivers see the headers through the mailbox push's release, as the rest of it. */
    atomic_store_explicit(&m->sealed, 1, memory_order_relaxed);
}

void akt__msg_outgoing(akt_system *s, akt_msg *m) {
    /* relaxed: see akt__msg_first_send. The flag shares the message's first cache line
     * with env0_busy, which the send touches anyway. */
    if (!atomic_load_explicit(&m->sealed, memory_order_relaxed)) akt__msg_first_send(s, m);
}

#define AKT__MAILBOX_FULL "mailbox full"

/* Whether a sender on this thread may wait for room: never inside an actor callback. */
static inline int akt__may_block(void) { return akt__self.ctx == NULL; }

/* A user message into c, the cell the caller found live for `to` (one lookup a send:
 * issue 16); bounded: whether a slot was taken (admit = 1 applies the bound). */
static int akt__deliver_cell(akt_system *s, akt__cell *c, akt_pid to, akt_msg *msg, uint64_t sender,
                             akt_future *reply, uint16_t kind, int admit) {
    /* acquire: pairs with akt__mailbox_install's release (a slot's first record). */
    akt__mailbox *mb = akt__cell_mailbox(c, memory_order_acquire);
    int adm = AKT__ADMIT_FREE;
    if (mb && admit) {
        adm = akt__mailbox_admit(mb, 1, akt__may_block());
        if (adm < 0) return adm; /* full: the caller keeps msg */
    }
    /* A remote pid: its node's flow-control window admits the message or refuses it (a
     * proxy has no bounded mailbox). */
    const akt__proxy_hooks *ph = admit ? akt__proxy_hooks_of(s, c) : NULL;
    if (ph) {
        /* remchunk: a message that cannot cross is refused here, not dead-lettered later */
        int rc = ph->crossable ? ph->crossable(s, c, msg) : 0;
        if (!rc) rc = ph->admit(s, c, 1);
        if (rc) return rc;
    }
    akt__envelope *e = akt__env_for(msg);
    if (!e) {
        if (adm == AKT__ADMIT_COUNTED) akt__mailbox_unreserve(mb, 1);
        if (ph) ph->unadmit(s, c, 1);
        return AKT_ENOMEM;
    }
    if (kind == AKT__ENV_USER) akt__msg_outgoing(s, msg);
    e->msg = msg;
    e->reply = reply;
    e->sender = sender;
    e->gen = akt__pid_gen(to);
    e->kind = kind;
    if (adm == AKT__ADMIT_DROP) { /* accepted, and a dead letter at once */
        akt__dead_letter_why(s, e, to, AKT__MAILBOX_FULL, AKT_EFULL);
        return 0;
    }
    if (adm == AKT__ADMIT_COUNTED) e->flags |= AKT__ENV_COUNTED;
    akt__stat_enqueued_pid(c, to, 1); /* before the push: dequeued never passes it */
    akt__mpsc_push(&c->mbox, &e->node);
    akt__cell_wake(c);
    return 0;
}

static int akt__deliver_to(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender,
                           akt_future *reply, uint16_t kind, int admit) {
    akt__cell *c = akt__cell_live(s, to);
    return c ? akt__deliver_cell(s, c, to, msg, sender, reply, kind, admit) : AKT_ENOTFOUND;
}

int akt__deliver(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender, akt_future *reply,
                 uint16_t kind) {
    return akt__deliver_to(s, to, msg, sender, reply, kind, kind == AKT__ENV_USER);
}

int akt__deliver_internal(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender) {
    return akt__deliver_to(s, to, msg, sender, NULL, AKT__ENV_USER, 0);
}

int akt__deliver_user(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender, akt_future *reply) {
    akt__cell *c = akt__cell_live(s, to);
    if (!c) return AKT_ENOTFOUND;
    if (akt__cell_suspended(c)) return AKT_ESUSPENDED;
    return akt__deliver_cell(s, c, to, msg, sender, reply, AKT__ENV_USER, 1);
}

int akt__send_sys(akt_system *s, akt_pid to, uint16_t kind, uint64_t arg, int32_t code,
                  akt_msg *msg, akt_future *reply) {
    /* A stale pid of this system still gets a dead actor's answers (a watch: Terminated);
     * a pid it never issued gets nothing, its cell may have no dispatcher. */
    akt__cell *c = akt__cell_issued(s, to);
    if (!c) return AKT_ENOTFOUND;
    if (kind == AKT__SYS_WATCH && !akt__kept_make(c)) return AKT_ENOMEM; /* see akt__kept_peek */
    akt__envelope *e = akt__env_new();
    if (!e) return AKT_ENOMEM;
    e->kind = kind;
    e->gen = akt__pid_gen(to);
    e->arg = arg;
    e->code = code;
    e->msg = msg;
    e->reply = reply;
    akt__sysq_push(c, e);
    akt__cell_wake(c);
    return 0;
}

void akt__sysq_push(akt__cell *c, akt__envelope *e) {
    akt__envelope *head = atomic_load_explicit(&c->sysq, memory_order_relaxed);
    do {
        atomic_store_explicit(&e->node.next, (akt__node *)head, memory_order_relaxed);
        /* seq_cst: publishes the envelope (release) and is the producer's half of the
         * Dekker pair with the run loop's "sched = 0, re-check sysq". */
    } while (!atomic_compare_exchange_weak_explicit(&c->sysq, &head, e, memory_order_seq_cst,
                                                    memory_order_relaxed));
}

void akt__signal_locked(akt__cell *c, unsigned sig) {
    /* seq_cst: the producer's half of the Dekker pair, as a push (see akt__cell_release). */
    atomic_fetch_or_explicit(&c->signals, (unsigned char)sig, memory_order_seq_cst);
    akt__cell_wake(c);
}

/* Signals STOP to c and every descendant, from the calling thread: a busy actor then stops
 * after the message in hand even when every worker is busy and its parent cannot run to
 * pass the stop on. Children still finish first: a parent finalises only once it has no
 * children left. */
static void akt__stop_subtree_locked(akt_system *s, akt__cell *root) {
    akt__cell *c = root;
    for (;;) {
        akt__signal_locked(c, AKT__SIG_STOP);
        if (c->first_child) { /* depth first, without a stack: down, then right or up */
            c = akt__cell_get(s, c->first_child);
            continue;
        }
        while (c != root && !c->next_sibling) c = akt__cell_get(s, c->parent);
        if (c == root) return;
        c = akt__cell_get(s, c->next_sibling);
    }
}

int akt__stop_request(akt_system *s, akt_pid pid) {
    /* Under the lock the generation cannot move (finalisation bumps it under the lock), so
     * the flag reaches this incarnation; a spawn that reuses the cell clears it. */
    pthread_mutex_lock(&s->lock);
    akt__cell *c = akt__cell_live(s, pid);
    if (c) akt__stop_subtree_locked(s, c);
    pthread_mutex_unlock(&s->lock);
    return c ? 0 : AKT_ENOTFOUND;
}

static int akt__sys_usable(akt_system *s) {
    if (!s) return AKT_EINVAL;
    return atomic_load_explicit(&s->state, memory_order_acquire) == AKT__SYS_DONE ? AKT_ECLOSED : 0;
}

/* The sender for sends made from inside an actor callback of system s (the thread's
 * running callback): one thread-local load when there is none. */
static inline uint64_t akt__implicit_sender(akt_system *s) {
    akt__ctx *x = akt__self.ctx;
    return x && x->system == s ? akt__cell_pid(x->cell).id : 0;
}

AKT_API int akt_tell(akt_system *system, akt_pid to, akt_msg *msg) {
    int rc = akt__sys_usable(system);
    if (rc) return rc;
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    return akt__deliver_user(system, to, msg, akt__implicit_sender(system), NULL);
}

AKT_API int akt_tell_batch(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n) {
    int rc = akt__sys_usable(system);
    if (rc) return rc;
    if (!msgs || !n) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!akt__msg_ok(msgs[i])) return AKT_EINVAL;
    akt__cell *c = akt__cell_live(system, to);
    if (!c) return AKT_ENOTFOUND;
    if (akt__cell_suspended(c)) return AKT_ESUSPENDED;
    /* A remote pid: the whole batch fits its node's window, or none of it goes. */
    const akt__proxy_hooks *ph = akt__proxy_hooks_of(system, c);
    /* remchunk: a message that cannot cross refuses the batch here */
    for (size_t i = 0; ph && ph->crossable && i < n; i++)
        if ((rc = ph->crossable(system, c, msgs[i])) != 0) return rc;
    if (ph && (n > UINT32_MAX || (rc = ph->admit(system, c, (uint32_t)n)) != 0))
        return rc ? rc : AKT_EFULL;
    uint64_t sender = akt__implicit_sender(system);
    /* A bounded mailbox takes the whole batch or none of it (FAIL, BLOCK); DROP keeps
     * what fits and dead-letters the rest. acquire: as in akt__deliver_cell. */
    akt__mailbox *mb = akt__cell_mailbox(c, memory_order_acquire);
    size_t counted = 0, keep = n; /* slots taken; messages that go in */
    if (mb) {
        uint32_t got = 0;
        int adm = n > INT32_MAX ? AKT_EFULL
                                : akt__mailbox_admit_batch(mb, (uint32_t)n, akt__may_block(), &got);
        if (adm < 0) {
            if (ph) ph->unadmit(system, c, (uint32_t)n);
            return adm;
        }
        if (adm == AKT__ADMIT_COUNTED) counted = keep = got;
    }
    /* Build the chain first so that a failed allocation takes nothing. */
    akt__envelope *first = NULL, *last = NULL;
    for (size_t i = 0; i < n; i++) {
        akt__envelope *e = akt__env_for(msgs[i]);
        if (!e) {
            if (counted) akt__mailbox_unreserve(mb, (uint32_t)counted);
            if (ph) ph->unadmit(system, c, (uint32_t)n);
            while (first) {
                akt__envelope *nx = (akt__envelope *)atomic_load_explicit(&first->node.next,
                                                                          memory_order_relaxed);
                akt__env_free(first);
                first = nx;
            }
            return AKT_ENOMEM;
        }
        e->msg = msgs[i];
        e->sender = sender;
        e->gen = akt__pid_gen(to);
        e->kind = AKT__ENV_USER;
        if (i < counted) e->flags |= AKT__ENV_COUNTED;
        atomic_store_explicit(&e->node.next, NULL, memory_order_relaxed);
        if (last)
            atomic_store_explicit(&last->node.next, &e->node, memory_order_relaxed);
        else
            first = e;
        last = e;
    }
    for (size_t i = 0; i < n; i++) akt__msg_outgoing(system, msgs[i]);
    if (keep < n) { /* DROP: the first keep go in, the rest to dead letters */
        akt__envelope *e = first;
        last = NULL;
        for (size_t i = 0; i < n; i++) {
            akt__envelope *nx = (akt__envelope *)atomic_load_explicit(&e->node.next,
                                                                      memory_order_relaxed);
            if (i + 1 == keep) last = e;
            if (i >= keep) akt__dead_letter_why(system, e, to, AKT__MAILBOX_FULL, AKT_EFULL);
            e = nx;
        }
        if (!last) return 0;
    }
    akt__stat_enqueued_pid(c, to, keep); /* as in akt__deliver_cell */
    akt__mpsc_push_chain(&c->mbox, &first->node, &last->node);
    akt__cell_wake(c);
    return 0;
}

/* The dispatcher a future's waiter must not run on (see akt_future.target_disp). */
static const struct akt_dispatcher *akt__wait_guard(const akt__cell *c) {
    struct akt_dispatcher *d = c ? akt__cell_disp(c) : NULL;
    return akt__dispatcher_is_external(d) ? d : NULL;
}

static void akt__future_abandon(akt_future *f) {
    /* Neither the receiver nor the caller will see it: complete it (which disarms the
     * timer, the only holders being us) and drop both remaining references. */
    akt__future_drop_handle(f); /* the caller's: now only the pending op's and the timer's */
    akt__future_complete(f, AKT_ECANCELED, NULL);
    akt__future_unref(f);
}

int akt__ask_waiting(akt_system *s, akt_pid to, akt_msg *msg, int64_t timeout_ns, uint64_t sender,
                     akt_receive_fn reader, int asking, akt_future **out) {
    int rc = akt__sys_usable(s);
    if (rc) return rc;
    if (!akt__msg_ok(msg) || !out || timeout_ns <= 0) return AKT_EINVAL;
    akt__cell *c = akt__cell_live(s, to);
    if (!c) return AKT_ENOTFOUND;
    if (akt__cell_suspended(c)) return AKT_ESUSPENDED;
    akt_future *f;
    rc = akt__future_new(s, timeout_ns, to, akt__wait_guard(c), NULL, &f);
    if (rc) return rc;
    /* The propagator sees the message while the caller's is its only reference (a shared
     * message takes no headers), then the future keeps one for akt_future_target. */
    akt__msg_outgoing(s, msg);
    akt_msg_retain(msg);
    f->asked = msg;
    f->reader = reader;
    /* A plain thread that will run the turn itself when it waits has the cell held for
     * it, if the ask queues it (sched/help.c). */
    if (asking && s->waiters_run_turns && !akt__self.running && !akt__self.cell)
        akt__self.asking = asking;
    /* c was live a moment ago: an actor that dies meanwhile dead-letters the message (its
     * generation is stale), which completes the future, as after a later death. */
    rc = akt__deliver_cell(s, c, to, msg, sender, f, AKT__ENV_USER, 1);
    akt__self.asking = 0;
    if (rc) {                   /* refused before anything was queued: no wake-up is owed */
        akt__future_abandon(f); /* releases f->asked: the caller's own reference stays */
        return rc;
    }
    *out = f;
    return 0;
}

int akt__ask_from(akt_system *s, akt_pid to, akt_msg *msg, int64_t timeout_ns, uint64_t sender,
                  akt_receive_fn reader, akt_future **out) {
    return akt__ask_waiting(s, to, msg, timeout_ns, sender, reader, AKT__ASKING_HOLDS, out);
}

/* Who reads the answer of an ask made with akt_ask from sender (0: a plain thread, C code;
 * an actor: its pid says, NULL). */
static inline akt_receive_fn akt__plain_reader(uint64_t sender) {
    return sender ? NULL : akt__c_reader;
}

AKT_API int akt_ask(akt_system *system, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                    akt_future **out) {
    uint64_t sender = akt__implicit_sender(system);
    return akt__ask_from(system, to, msg, timeout_ns, sender, akt__plain_reader(sender), out);
}

AKT_API int akt_ask_as(akt_system *system, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                       akt_receive_fn reader, akt_future **out) {
    if (!reader) return AKT_EINVAL;
    return akt__ask_from(system, to, msg, timeout_ns, akt__implicit_sender(system), reader, out);
}

AKT_API int akt_ask_wait(akt_system *system, akt_pid to, akt_msg *msg, int64_t timeout_ns,
                         akt_receive_fn reader, int64_t wait_ns, akt_future **future,
                         akt_msg **reply) {
    if (!future) return AKT_EINVAL;
    *future = NULL;
    uint64_t sender = akt__implicit_sender(system);
    if (!reader) reader = akt__plain_reader(sender);
    /* A caller that only looks (wait_ns 0) does not run the turn: a worker is woken. */
    int asking = wait_ns ? AKT__ASKING_WAITS : AKT__ASKING_HOLDS;
    int rc = akt__ask_waiting(system, to, msg, timeout_ns, sender, reader, asking, future);
    if (rc) return rc;
    /* The ask left the parked worker's wake-up owed when it queued the idle target for
     * this thread: the turn runs here, or the wake-up is made (sched/help.c). */
    if (akt__self.owed) system->run_for_waiter(system, to.id);
    return akt_future_wait(*future, wait_ns, reply);
}

static int akt__ask_batch(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n,
                          int64_t timeout_ns, akt_receive_fn reader, int plain,
                          akt_future **futures) {
    int rc = akt__sys_usable(system);
    if (rc) return rc;
    if (!msgs || !n || !futures || timeout_ns <= 0 || (!plain && !reader)) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!akt__msg_ok(msgs[i])) return AKT_EINVAL;
    akt__cell *c = akt__cell_live(system, to);
    if (!c) return AKT_ENOTFOUND;
    if (akt__cell_suspended(c)) return AKT_ESUSPENDED;
    uint64_t sender = akt__implicit_sender(system);
    if (plain) reader = akt__plain_reader(sender);
    for (size_t i = 0; i < n; i++) {
        rc = akt__future_new(system, timeout_ns, to, akt__wait_guard(c), NULL, &futures[i]);
        if (rc) {
            while (i--) akt__future_abandon(futures[i]);
            return rc;
        }
        akt__msg_outgoing(system, msgs[i]); /* as in akt__ask_from */
        akt_msg_retain(msgs[i]);            /* for akt_future_target */
        futures[i]->asked = msgs[i];
        futures[i]->reader = reader;
    }
    /* All futures exist; the sends below can only fail by the actor dying meanwhile (or
     * an envelope allocation), in which case the remaining asks fail as stopped. */
    for (size_t i = 0; i < n; i++) {
        /* The cell found above, one lookup a batch: a stop meanwhile is seen as for one ask
         * (akt__ask_from), by the envelope's generation. */
        rc = akt__deliver_cell(system, c, to, msgs[i], sender, futures[i], AKT__ENV_USER, 1);
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

AKT_API int akt_ask_batch(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n,
                          int64_t timeout_ns, akt_future **futures) {
    return akt__ask_batch(system, to, msgs, n, timeout_ns, NULL, 1, futures);
}

AKT_API int akt_ask_batch_as(akt_system *system, akt_pid to, akt_msg *const *msgs, size_t n,
                             int64_t timeout_ns, akt_receive_fn reader, akt_future **futures) {
    return akt__ask_batch(system, to, msgs, n, timeout_ns, reader, 0, futures);
}

static int akt__user_actor(akt_system *s, akt_pid pid) {
    int rc = akt__sys_usable(s);
    if (rc) return rc;
    if (akt__pid_index(pid) == AKT__GUARDIAN || !akt__cell_live(s, pid)) return AKT_ENOTFOUND;
    return 0;
}

/* A remote pid's proxy: its node, not this system, stops the actor. NULL otherwise. */
static const akt__proxy_hooks *akt__proxy_target(akt_system *s, akt_pid pid) {
    akt__cell *c = akt__cell_live(s, pid);
    return c ? akt__proxy_hooks_of(s, c) : NULL;
}

AKT_API int akt_stop(akt_system *system, akt_pid pid) {
    int rc = akt__user_actor(system, pid);
    if (rc) return rc;
    const akt__proxy_hooks *h = akt__proxy_target(system, pid);
    return h ? h->control(system, pid, AKT__CONTROL_STOP) : akt__stop_request(system, pid);
}

AKT_API int akt_reinstate(akt_system *system, akt_pid pid) {
    int rc = akt__user_actor(system, pid);
    if (rc) return rc;
    const akt__proxy_hooks *h = akt__proxy_target(system, pid); /* its node reinstates it */
    return h ? h->control(system, pid, AKT__CONTROL_REINSTATE)
             : akt__send_sys(system, pid, AKT__SYS_REINSTATE, 0, 0, NULL, NULL);
}

AKT_API int akt_poison(akt_system *system, akt_pid pid) {
    int rc = akt__user_actor(system, pid);
    if (rc) return rc;
    const akt__proxy_hooks *h = akt__proxy_target(system, pid);
    return h ? h->control(system, pid, AKT__CONTROL_POISON)
             : akt__deliver(system, pid, NULL, 0, NULL, AKT__ENV_POISON);
}

/* relaxed: a test sets it before the call it watches; nothing else is published. */
_Atomic(akt__stop_graceful_hook_fn) akt__stop_graceful_hook;

static void akt__graceful_hook(akt_system *s, akt_pid pid, int stage) {
    akt__stop_graceful_hook_fn fn = atomic_load_explicit(&akt__stop_graceful_hook,
                                                         memory_order_relaxed);
    if (fn) fn(s, pid, stage);
}

void akt__graceful_done(akt_future *f) {
    akt__future_complete(f, akt__now_ns() >= f->timer.deadline ? AKT_ETIMEDOUT : 0, NULL);
}

static void akt__graceful_timeout(akt_future *f) {
    akt__stop_request(f->system, (akt_pid){f->target});
}

AKT_API int akt_stop_graceful(akt_system *system, akt_pid pid, int64_t timeout_ns,
                              akt_future **out) {
    int rc = akt__user_actor(system, pid);
    if (rc) return rc;
    if (!out || timeout_ns <= 0) return AKT_EINVAL;
    /* ack begin: a remote pid: its node stops it and answers */
    const akt__proxy_hooks *ph = akt__proxy_target(system, pid);
    if (ph) return ph->graceful ? ph->graceful(system, pid, timeout_ns, out) : AKT_ENOTSUP;
    /* ack end */
    akt__graceful_hook(system, pid, 0);
    /* It may have died since the check: then nothing is made. Once the future exists, a
     * death is the receiver's business: a waiter that finds the actor gone completes the
     * future with 0, and the pill is discarded as stale mail. */
    akt__cell *c = akt__cell_live(system, pid);
    if (!c) return AKT_ENOTFOUND;
    /* Both envelopes first: once the waiter is queued, the pill must follow. */
    akt__envelope *notify = akt__env_new(), *pill = akt__env_new();
    akt_future *f = NULL;
    rc = notify && pill && akt__kept_make(c)
             ? akt__future_new(system, timeout_ns, pid, akt__wait_guard(c), akt__graceful_timeout,
                               &f)
             : AKT_ENOMEM;
    if (rc) {
        if (notify) akt__env_free(notify);
        if (pill) akt__env_free(pill);
        return rc;
    }
    akt__graceful_hook(system, pid, 1);
    notify->kind = AKT__SYS_NOTIFY_STOP;
    notify->gen = akt__pid_gen(pid);
    notify->reply = f; /* the pending operation's reference */
    akt__sysq_push(c, notify);
    pill->kind = AKT__ENV_POISON;
    pill->gen = akt__pid_gen(pid);
    akt__stat_enqueued(c, 1);
    akt__mpsc_push(&c->mbox, &pill->node);
    akt__cell_wake(c);
    *out = f;
    return 0;
}
