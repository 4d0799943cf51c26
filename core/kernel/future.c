#include "future.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/futex.h"
#include "base/pool.h"
#include "base/spin.h"
#include "base/tls.h"
#include "cell.h"
#include "msg.h"
#include "sys.h"

/* "aktf". Its low byte (0x66) is not a multiple of 8, so the free-list link a block in the
 * pool starts with (a pointer to an 8-byte aligned block, or NULL) never equals it. */
#define AKT__FUTURE_MAGIC 0x616b7466u
#define AKT__FUTURE_FREED 0x64656164u /* "dead": written when the block is given back */
_Static_assert(sizeof(struct akt_future) <= 128, "a future fits the 128-byte pool class");
_Static_assert(offsetof(struct akt_future, magic) == 0, "the magic is the first word");

/* relaxed: a test sets a hook before the call it watches; nothing else is published. */
_Atomic(akt__future_hook_fn) akt__future_hook_completing;
_Atomic(akt__future_hook_fn) akt__future_hook_disarm;

static void akt__run_hook(_Atomic(akt__future_hook_fn) *h, akt_future *f) {
    akt__future_hook_fn fn = atomic_load_explicit(h, memory_order_relaxed);
    if (fn) fn(f);
}

static void akt__failure_free(struct akt__failure *x) {
    if (x->detail) akt_msg_release(x->detail);
    akt__dfree(x);
}

static void akt__future_free(akt_future *f) {
    if (f->reply) akt_msg_release(f->reply);
    if (f->failure) akt__failure_free(f->failure);
    if (f->asked) akt_msg_release(f->asked);
    f->magic = AKT__FUTURE_FREED;
    akt__pool_put(AKT__POOL_128, f);
}

void akt__future_ref(akt_future *f) {
    /* relaxed: the caller already holds a reference. */
    atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
}

void akt__future_unref(akt_future *f) {
    /* acq_rel: the last owner must see every other owner's writes before freeing. */
    if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) == 1) akt__future_free(f);
}

int akt__future_drop_handle(akt_future *f) {
    int r = atomic_load_explicit(&f->refs, memory_order_relaxed);
    do {
        if (!(r & AKT__F_HANDLE)) return AKT_EINVAL;
        /* acq_rel: as akt__future_unref. A CAS, not a subtraction, so that a second drop
         * changes nothing (an undo after the fact could hide a concurrent last unref). */
    } while (!atomic_compare_exchange_weak_explicit(&f->refs, &r, r - AKT__F_HANDLE,
                                                    memory_order_acq_rel, memory_order_relaxed));
    if (r == AKT__F_HANDLE) akt__future_free(f);
    return 0;
}

/* An answered future's timeout (lazy expiry): left in the heap, where the timer thread
 * drops the future when it comes due, unless the timers are crowded: then taken out now
 * (and the timer's reference dropped). The caller holds a reference. Only a claim's
 * winner touches the system's timers, and the crowding is read only under the claim:
 * while it is held the timer thread neither fires the timer nor stops, so the system is
 * alive (a future may outlive its system). */
static void akt__future_settle_timeout(akt_future *f) {
    if (!akt__timer_claim(&f->timer)) return;
    if (!akt__timers_crowded(&f->system->timers) && akt__timer_unclaim(&f->timer)) return;
    akt__run_hook(&akt__future_hook_disarm, f);
    if (akt__timer_cancel(&f->system->timers, &f->timer)) akt__future_unref(f);
}

static void akt__future_timeout(akt__timer *t, int closed) {
    akt_future *f = (akt_future *)((char *)t - offsetof(akt_future, timer));
    /* The extra action comes first: whoever sees the timeout must see its effect (a
     * graceful stop that timed out has already become a stop). */
    if (!closed && f->on_timeout &&
        (atomic_load_explicit(&f->state, memory_order_acquire) & AKT__F_PHASE) == AKT__F_PENDING)
        f->on_timeout(f);
    akt__future_complete(f, closed ? AKT_ECLOSED : AKT_ETIMEDOUT, NULL);
    akt__future_unref(f); /* the timer's reference */
}

int akt__future_new(akt_system *s, int64_t timeout_ns, akt_pid target,
                    const struct akt_dispatcher *guard, void (*on_timeout)(akt_future *),
                    akt_future **out) {
    akt_future *f = akt__pool_get(AKT__POOL_128);
    if (!f) return AKT_ENOMEM;
    f->magic = AKT__FUTURE_MAGIC;
    /* Not shared yet: the push that hands it to the receiver (or the timer lock) publishes
     * everything written here. */
    atomic_init(&f->refs, AKT__F_HANDLE + 1); /* the handle and the pending operation */
    atomic_init(&f->state, AKT__F_PENDING);
    atomic_init(&f->waiters, 0);
    atomic_init(&f->cb_claimed, 0);
    atomic_init(&f->timer.claim, AKT__TIMER_IDLE); /* akt__timer_add arms it */
    f->rc = 0;
    f->reply = NULL;
    f->failure = NULL;
    f->asked = NULL;
    f->reader = NULL;
    f->cb = NULL;
    f->cb_data = NULL;
    f->timer.heap_idx = 0;
    f->timer.fire = akt__future_timeout;
    f->system = s;
    f->target = target.id;
    f->target_disp = guard;
    f->on_timeout = on_timeout; /* before the timer is armed: the timer thread reads it */
    if (timeout_ns > 0) {
        f->timer.deadline = akt__deadline_after(akt__now_ns(), timeout_ns);
        atomic_init(&f->refs, AKT__F_HANDLE + 2); /* and the timer's */
        int rc = akt__timer_add(&s->timers, &f->timer);
        if (rc) {
            f->magic = AKT__FUTURE_FREED;
            akt__pool_put(AKT__POOL_128, f);
            return rc;
        }
    }
    *out = f;
    return 0;
}

/* Runs f's completion callback on this thread. Inside it f is readable even when its
 * handle was released right after the registration (bindings do that): see
 * akt_future_failure. */
static void akt__future_run_cb(akt_future *f, akt_future_cb cb, void *data) {
    akt_future *outer = akt__self.future_cb;
    akt__self.future_cb = f;
    cb(f, f->rc, f->reply, data);
    akt__self.future_cb = outer;
}

/* The one completion: the winner of the state CAS writes rc, the reply or the failure. A
 * failure the loser prepared is freed here. */
static int akt__future_finish(akt_future *f, int rc, akt_msg *reply, struct akt__failure *failure) {
    int st = atomic_load_explicit(&f->state, memory_order_relaxed);
    do {
        if ((st & AKT__F_PHASE) != AKT__F_PENDING) {
            if (failure) akt__failure_free(failure);
            return 0;
        }
        /* relaxed: winning publishes nothing yet, and a registered callback is taken in by
         * the read-modify-write that ends the completion (below). */
    } while (!atomic_compare_exchange_weak_explicit(&f->state, &st, st | AKT__F_COMPLETING,
                                                    memory_order_relaxed, memory_order_relaxed));
    akt__run_hook(&akt__future_hook_completing, f);
    /* The responder's path takes no lock: while the caller holds its handle, the release
     * decides; without it, the timeout is left to come due (lazy expiry: the timer thread
     * drops the completed future then) unless the timers are crowded. relaxed: a stale
     * view only moves the disarm to the deadline (or the shutdown). */
    if (!(atomic_load_explicit(&f->refs, memory_order_relaxed) & AKT__F_HANDLE))
        akt__future_settle_timeout(f);
    f->rc = rc;
    if (rc == 0 && reply) {
        akt_msg_retain(reply);
        f->reply = reply;
    }
    f->failure = failure;
    /* seq_cst: COMPLETING -> DONE publishes rc, reply and failure (release) and takes in the
     * callback of a registration that came before it (acquire: cb and cb_data); it also
     * orders the state before the read of waiters (the Dekker pair with akt_future_wait). */
    st = atomic_fetch_add_explicit(&f->state, AKT__F_DONE - AKT__F_COMPLETING,
                                   memory_order_seq_cst);
    if (atomic_load_explicit(&f->waiters, memory_order_seq_cst)) akt__futex_wake_all(&f->state);
    if (st & AKT__F_CB) akt__future_run_cb(f, f->cb, f->cb_data);
    return 1;
}

int akt__future_complete(akt_future *f, int rc, akt_msg *reply) {
    return akt__future_finish(f, rc, reply, NULL);
}

int akt__future_fail(akt_future *f, int rc, const char *reason, akt_msg *detail) {
    /* relaxed: a hint only; the CAS in akt__future_finish decides. Saves the copy when a
     * timeout or cancel came first. */
    if ((atomic_load_explicit(&f->state, memory_order_relaxed) & AKT__F_PHASE) != AKT__F_PENDING)
        return 0;
    struct akt__failure *x = NULL;
    if (reason || detail) {
        size_t n = reason ? strlen(reason) : 0;
        x = akt__dalloc(sizeof *x + n + 1);
        if (x) {
            memcpy(x->text, reason ? reason : "", n + 1);
            x->reason = reason ? x->text : NULL;
            x->detail = detail;
            if (detail) akt_msg_retain(detail);
        }
    }
    return akt__future_finish(f, rc, NULL, x);
}

/* A handle the caller still holds. The magic catches a block back in the pool (it starts
 * with the free-list link) or used by another kind of object; the handle bit catches a
 * second release while akt still holds the future. A block reused for a new future is that
 * new future: a raw pointer cannot tell them apart (akt.h says so). */
static int akt__future_ok(const akt_future *f) {
    /* relaxed: the caller's own handle bit, which only the caller clears. */
    return f && f->magic == AKT__FUTURE_MAGIC &&
           (atomic_load_explicit(&f->refs, memory_order_relaxed) & AKT__F_HANDLE);
}

static int akt__future_done(const akt_future *f, int order) {
    return (atomic_load_explicit(&f->state, order) & AKT__F_PHASE) == AKT__F_DONE;
}

/* A wait on an I/O thread at its loop's top level (akt__self.pump): the loop runs between
 * looks, without blocking, so the connections it serves (the reply among them) go on; a
 * quiet loop is looked at less often, down to every AKT__PUMP_SLEEP_MAX_NS. Returns once f
 * is done or the deadline passed (the caller's look after that decides). */
#define AKT__PUMP_SLEEP_MAX_NS 1000000
/* How long a wait for a target on an external dispatcher polls with yields (below). */
#define AKT__POLL_YIELDING_NS 60000
static void akt__future_pump_until(akt_future *f, int64_t deadline) {
    int64_t sleep_ns = 0;
    while (!akt__future_done(f, memory_order_acquire) && akt__now_ns() < deadline) {
        if (akt__self.pump(akt__self.pump_data)) {
            sleep_ns = 0;
            continue;
        }
        sleep_ns = sleep_ns ? sleep_ns * 2 : 10000;
        if (sleep_ns > AKT__PUMP_SLEEP_MAX_NS) sleep_ns = AKT__PUMP_SLEEP_MAX_NS;
        struct timespec ts = {0, (long)sleep_ns};
        nanosleep(&ts, NULL);
    }
}

AKT_API int akt_future_wait(akt_future *future, int64_t timeout_ns, akt_msg **reply) {
    if (!akt__future_ok(future)) return AKT_EINVAL;
    akt_future *f = future;
    if (!akt__future_done(f, memory_order_acquire)) {
        if (timeout_ns == 0) return AKT_EAGAIN;
        if (akt__self.cell && f->target == akt__cell_pid(akt__self.cell).id) return AKT_EDEADLK;
        if (f->target_disp && akt__self.running == f->target_disp) return AKT_EDEADLK;
        /* INT64_MAX: no limit (a huge timeout saturates to it). */
        int64_t deadline = timeout_ns > 0 ? akt__deadline_after(akt__now_ns(), timeout_ns)
                                          : INT64_MAX;
        /* A worker hands on what it queued for itself first: the target may be among it. */
        if (akt__self.before_block) akt__self.before_block();
        /* A plain thread runs the target's turn itself if no worker took it yet: the
         * answer then needs no hand-off to another core and back. */
        if (!akt__self.cell && !akt__self.running && f->system->run_for_waiter &&
            atomic_load_explicit(&f->system->state, memory_order_relaxed) == AKT__SYS_RUNNING)
            f->system->run_for_waiter(f->system, f->target);
        /* An I/O thread running a turn (io/io.c) keeps its loop going while it waits. */
        if (akt__self.pump) akt__future_pump_until(f, deadline);
        /* Replies often arrive within microseconds: poll first, unregistered, so that the
         * completer needs no futex wake-up syscall. A target on an external dispatcher (a
         * remote actor's proxy, which the I/O thread runs; a binding's event loop) is
         * answered through one given thread, which may be waiting for this very core:
         * then every look yields the core, for about a loopback round trip, instead of
         * pausing on it (a pause spin there made a remote ask wait for the I/O thread). */
        if (f->target_disp) {
            int64_t until = akt__now_ns() + AKT__POLL_YIELDING_NS;
            while (!akt__future_done(f, memory_order_acquire) && akt__now_ns() < until)
                sched_yield();
        } else {
            for (int spin = 0; spin < 1032; spin++) { /* ~30 us, then 8 yields */
                if (akt__future_done(f, memory_order_acquire)) break;
                if (spin < 1024)
                    akt__cpu_relax();
                else
                    sched_yield();
            }
        }
        for (;;) {
            /* seq_cst: the waiter count and the state form a Dekker pair with complete(),
             * which moves the state to DONE and then reads waiters. */
            atomic_fetch_add_explicit(&f->waiters, 1, memory_order_seq_cst);
            int st = atomic_load_explicit(&f->state, memory_order_seq_cst);
            int done = (st & AKT__F_PHASE) == AKT__F_DONE;
            int64_t now = done ? 0 : akt__now_ns();
            if (!done && now < deadline) {
                int64_t left = deadline - now;
                struct timespec rel = {left / 1000000000ll, left % 1000000000ll};
                akt__futex_wait(&f->state, st, deadline == INT64_MAX ? NULL : &rel);
            }
            atomic_fetch_sub_explicit(&f->waiters, 1, memory_order_relaxed);
            if (done || now >= deadline) break;
        }
        if (!akt__future_done(f, memory_order_acquire)) return AKT_EAGAIN;
    }
    if (f->rc == 0 && reply) {
        if (f->reply) akt_msg_retain(f->reply);
        *reply = f->reply;
    }
    return f->rc;
}

AKT_API int akt_future_on_complete(akt_future *future, akt_future_cb cb, void *data) {
    if (!akt__future_ok(future) || !cb) return AKT_EINVAL;
    akt_future *f = future;
    /* relaxed: the ticket only picks the one registration (its modification order decides);
     * cb and cb_data are published by the flag below. */
    if (atomic_exchange_explicit(&f->cb_claimed, 1, memory_order_relaxed)) return AKT_EBUSY;
    f->cb = cb;
    f->cb_data = data;
    /* acq_rel: release publishes cb and cb_data to a completer that reaches DONE after this;
     * acquire sees rc and reply of one that reached it before. No waiting either way: a
     * completer still writing its result will run the callback itself. */
    int st = atomic_fetch_or_explicit(&f->state, AKT__F_CB, memory_order_acq_rel);
    if ((st & AKT__F_PHASE) == AKT__F_DONE) akt__future_run_cb(f, cb, data);
    return 0;
}

AKT_API int akt_future_cancel(akt_future *future) {
    if (!akt__future_ok(future)) return AKT_EINVAL;
    return akt__future_complete(future, AKT_ECANCELED, NULL) ? 0 : AKT_EMISUSE;
}

AKT_API int akt_future_release(akt_future *future) {
    if (!akt__future_ok(future)) return AKT_EINVAL;
    /* Completed (or being completed): its timeout is of no use any more. Lazy expiry: it
     * stays in the heap, holding the future, and the timer thread drops both when it comes
     * due, so that an ask's release takes no lock; only when many timers are pending is it
     * taken out now (bounding what waits there), while the handle keeps the future alive. */
    if ((atomic_load_explicit(&future->state, memory_order_acquire) & AKT__F_PHASE) !=
        AKT__F_PENDING)
        akt__future_settle_timeout(future);
    return akt__future_drop_handle(future);
}

AKT_API int akt_future_failure(akt_future *future, const char **reason, akt_msg **detail) {
    /* Inside its own callback a future is alive (its completer holds a reference) whether
     * or not the caller's handle was released already. */
    if (!(future && future == akt__self.future_cb && future->magic == AKT__FUTURE_MAGIC) &&
        !akt__future_ok(future))
        return AKT_EINVAL;
    /* acquire: pairs with the DONE read-modify-write in akt__future_finish; failure was
     * written before it. */
    if (!akt__future_done(future, memory_order_acquire)) return AKT_EAGAIN;
    struct akt__failure *x = future->failure;
    if (reason) *reason = x ? x->reason : NULL;
    if (detail) {
        *detail = x ? x->detail : NULL;
        if (*detail) akt_msg_retain(*detail);
    }
    return 0;
}

/* users begin: users: testkit, ask accessors */
AKT_API int akt_future_target(akt_future *future, akt_pid *pid, const char **type) {
    /* As akt_future_failure: alive inside its own callback, else while the handle is held. */
    if (!(future && future == akt__self.future_cb && future->magic == AKT__FUTURE_MAGIC) &&
        !akt__future_ok(future))
        return AKT_EINVAL;
    if (!pid && !type) return AKT_EINVAL;
    /* target and asked are written before the future is handed out, never after. */
    if (pid) *pid = (akt_pid){future->target};
    if (type) *type = future->asked ? akt_msg_type(future->asked) : NULL;
    return 0;
}
/* users end */
