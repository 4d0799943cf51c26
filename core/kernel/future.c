#include "future.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/pool.h"
#include "base/spin.h"
#include "base/tls.h"
#include "cell.h"
#include "msg.h"
#include "sys.h"

#define AKT__FUTURE_MAGIC 0x616b7466 /* "aktf" */
_Static_assert(sizeof(struct akt_future) <= 128, "a future fits the 128-byte pool class");

static void akt__futex_wait(atomic_int *w, int val, const struct timespec *rel) {
    syscall(SYS_futex, (int *)w, FUTEX_WAIT_PRIVATE, val, rel, NULL, 0);
}
static void akt__futex_wake_all(atomic_int *w) {
    syscall(SYS_futex, (int *)w, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void akt__failure_free(struct akt__failure *x) {
    if (x->detail) akt_msg_release(x->detail);
    akt__dfree(x);
}

void akt__future_ref(akt_future *f) {
    /* relaxed: the caller already holds a reference. */
    atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
}

void akt__future_unref(akt_future *f) {
    /* acq_rel: the last owner must see every other owner's writes before freeing. */
    if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1) return;
    if (f->reply) akt_msg_release(f->reply);
    if (f->failure) akt__failure_free(f->failure);
    akt__pool_put(AKT__POOL_128, f);
}

/* Takes the timeout out of the heap if it is still there (then drops its reference). */
static void akt__future_disarm(akt_future *f) {
    /* acq_rel: whoever clears armed first owns the removal; after the timer fired (armed
     * cleared by it), the system may be gone and must not be touched. */
    if (atomic_exchange_explicit(&f->armed, 0, memory_order_acq_rel) &&
        akt__timer_cancel(&f->system->timers, &f->timer))
        akt__future_unref(f);
}

static void akt__future_timeout(akt__timer *t, int closed) {
    akt_future *f = (akt_future *)((char *)t - offsetof(akt_future, timer));
    atomic_store_explicit(&f->armed, 0, memory_order_release);
    /* The extra action comes first: whoever sees the timeout must see its effect (a
     * graceful stop that timed out has already become a stop). */
    if (!closed && f->on_timeout &&
        atomic_load_explicit(&f->state, memory_order_acquire) < AKT__F_COMPLETING)
        f->on_timeout(f);
    akt__future_complete(f, closed ? AKT_ECLOSED : AKT_ETIMEDOUT, NULL);
    akt__future_unref(f); /* the timer's reference */
}

int akt__future_new(akt_system *s, int64_t timeout_ns, akt_pid target,
                    const struct akt_dispatcher *guard, void (*on_timeout)(akt_future *),
                    akt_future **out) {
    akt_future *f = akt__pool_get(AKT__POOL_128);
    if (!f) return AKT_ENOMEM;
    atomic_init(&f->refs, 2);
    atomic_init(&f->state, AKT__F_PENDING);
    atomic_init(&f->waiters, 0);
    f->rc = 0;
    f->reply = NULL;
    f->cb = NULL;
    f->cb_data = NULL;
    f->timer.heap_idx = 0;
    atomic_init(&f->armed, 0);
    f->timer.fire = akt__future_timeout;
    f->system = s;
    f->target = target.id;
    f->target_disp = guard;
    f->on_timeout = on_timeout; /* before the timer is armed: the timer thread reads it */
    f->failure = NULL;
    if (timeout_ns > 0) {
        f->timer.deadline = akt__now_ns() + timeout_ns;
        akt__future_ref(f); /* the timer's reference */
        atomic_store_explicit(&f->armed, 1, memory_order_relaxed);
        int rc = akt__timer_add(&s->timers, &f->timer);
        if (rc) {
            akt__pool_put(AKT__POOL_128, f);
            return rc;
        }
    }
    *out = f;
    return 0;
}

/* The one completion: the winner of the state CAS writes rc, the reply or the failure. A
 * failure the loser prepared is freed here. */
static int akt__future_finish(akt_future *f, int rc, akt_msg *reply,
                              struct akt__failure *failure) {
    int st = atomic_load_explicit(&f->state, memory_order_acquire);
    for (;;) {
        if (st >= AKT__F_COMPLETING) {
            if (failure) akt__failure_free(failure);
            return 0;
        }
        /* acq_rel: acquire sees a registered callback; release orders nothing yet (the
         * result is published by the DONE store below). */
        if (atomic_compare_exchange_weak_explicit(&f->state, &st, AKT__F_COMPLETING,
                                                  memory_order_acq_rel, memory_order_acquire))
            break;
    }
    /* A holder will release the future soon and disarm it on its own thread, keeping the
     * timer lock off the responder's path; with no holder left, disarm now. relaxed: a
     * stale count only moves the disarm to the holder's release or the deadline. */
    if (atomic_load_explicit(&f->refs, memory_order_relaxed) <= 2) akt__future_disarm(f);
    f->rc = rc;
    if (rc == 0 && reply) {
        akt_msg_retain(reply);
        f->reply = reply;
    }
    f->failure = failure;
    /* seq_cst: publishes rc, reply and failure (release) and orders the store before the read of
     * waiters (the Dekker pair with akt_future_wait). */
    atomic_store_explicit(&f->state, AKT__F_DONE, memory_order_seq_cst);
    if (atomic_load_explicit(&f->waiters, memory_order_seq_cst)) akt__futex_wake_all(&f->state);
    if (st == AKT__F_PENDING_CB) f->cb(f, f->rc, f->reply, f->cb_data);
    return 1;
}

int akt__future_complete(akt_future *f, int rc, akt_msg *reply) {
    return akt__future_finish(f, rc, reply, NULL);
}

int akt__future_fail(akt_future *f, int rc, const char *reason, akt_msg *detail) {
    /* relaxed: a hint only; the CAS in akt__future_finish decides. Saves the copy when a
     * timeout or cancel came first. */
    if (atomic_load_explicit(&f->state, memory_order_relaxed) >= AKT__F_COMPLETING)
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

static int akt__future_ok(const akt_future *f) {
    int r = f ? atomic_load_explicit(&f->refs, memory_order_relaxed) : 0;
    return r > 0;
}

AKT_API int akt_future_wait(akt_future *future, int64_t timeout_ns, akt_msg **reply) {
    if (!akt__future_ok(future)) return AKT_EINVAL;
    akt_future *f = future;
    if (atomic_load_explicit(&f->state, memory_order_acquire) != AKT__F_DONE) {
        if (timeout_ns == 0) return AKT_EAGAIN;
        if (akt__self.cell && f->target == akt__cell_pid(akt__self.cell).id) return AKT_EDEADLK;
        if (f->target_disp && akt__self.running == f->target_disp) return AKT_EDEADLK;
        int64_t deadline = timeout_ns > 0 ? akt__now_ns() + timeout_ns : INT64_MAX;
        /* Replies often arrive within microseconds: poll first, unregistered, so that the
         * completer needs no futex wake-up syscall. */
        for (int spin = 0; spin < 1032; spin++) { /* ~30 us, then 8 yields */
            if (atomic_load_explicit(&f->state, memory_order_acquire) == AKT__F_DONE) break;
            if (spin < 1024)
                akt__cpu_relax();
            else
                sched_yield();
        }
        for (;;) {
            /* seq_cst: the waiter count and the state form a Dekker pair with complete(),
             * which stores DONE and then reads waiters. */
            atomic_fetch_add_explicit(&f->waiters, 1, memory_order_seq_cst);
            int st = atomic_load_explicit(&f->state, memory_order_seq_cst);
            int64_t now = st == AKT__F_DONE ? 0 : akt__now_ns();
            if (st != AKT__F_DONE && now < deadline) {
                int64_t left = deadline - now;
                struct timespec rel = {left / 1000000000ll, left % 1000000000ll};
                akt__futex_wait(&f->state, st, deadline == INT64_MAX ? NULL : &rel);
            }
            atomic_fetch_sub_explicit(&f->waiters, 1, memory_order_relaxed);
            if (st == AKT__F_DONE || now >= deadline) break;
        }
        if (atomic_load_explicit(&f->state, memory_order_acquire) != AKT__F_DONE)
            return AKT_EAGAIN;
    }
    if (f->rc == 0 && reply) {
        if (f->reply) akt_msg_retain(f->reply);
        *reply = f->reply;
    }
    return f->rc;
}

AKT_API int akt_future_failure(akt_future *future, const char **reason, akt_msg **detail) {
    if (!akt__future_ok(future)) return AKT_EINVAL;
    /* acquire: pairs with the DONE store in akt__future_finish; failure was written before. */
    if (atomic_load_explicit(&future->state, memory_order_acquire) != AKT__F_DONE)
        return AKT_EAGAIN;
    struct akt__failure *x = future->failure;
    if (reason) *reason = x ? x->reason : NULL;
    if (detail) {
        *detail = x ? x->detail : NULL;
        if (*detail) akt_msg_retain(*detail);
    }
    return 0;
}

AKT_API int akt_future_on_complete(akt_future *future, akt_future_cb cb, void *data) {
    if (!akt__future_ok(future) || !cb) return AKT_EINVAL;
    akt_future *f = future;
    if (f->cb) return AKT_EBUSY;
    f->cb = cb;
    f->cb_data = data;
    int st = AKT__F_PENDING;
    /* release: the completer that sees PENDING_CB sees cb and cb_data. */
    if (atomic_compare_exchange_strong_explicit(&f->state, &st, AKT__F_PENDING_CB,
                                                memory_order_acq_rel, memory_order_acquire))
        return 0;
    if (st == AKT__F_PENDING_CB) return AKT_EBUSY;
    while (atomic_load_explicit(&f->state, memory_order_acquire) != AKT__F_DONE) sched_yield();
    cb(f, f->rc, f->reply, data);
    return 0;
}

AKT_API int akt_future_cancel(akt_future *future) {
    if (!akt__future_ok(future)) return AKT_EINVAL;
    return akt__future_complete(future, AKT_ECANCELED, NULL) ? 0 : AKT_EMISUSE;
}

AKT_API int akt_future_release(akt_future *future) {
    if (!akt__future_ok(future)) return AKT_EINVAL;
    if (atomic_load_explicit(&future->state, memory_order_acquire) == AKT__F_DONE)
        akt__future_disarm(future);
    akt__future_unref(future);
    return 0;
}
