/* Waiting for an actor's start: akt_spawn from outside akt returns once pre_start has run,
 * and akt_await_started lets a binding that runs its own dispatcher wait the same way.
 *
 * The cell's AKT__SIG_STARTING bit says the start message is still pending; the runner
 * clears it when it handles that message and, if anyone waits, bumps the system's futex
 * word. Waiters count themselves first, so the runner either sees a waiter or the waiter
 * sees the cleared bit (both sides use seq_cst, see akt__start_ended). */
#include <time.h>

#include "started.h"

#include "base/clock.h"
#include "base/futex.h"
#include "base/tls.h"
#include "kernel/sys.h"
#include "sched/dispatch.h"

void akt__start_ended(akt_system *s, akt__cell *c, uint64_t gen) {
    /* The bit of this incarnation only: a later one (a respawned slot) has its own. */
    if (akt__cell_gen(c) == gen)
        /* seq_cst: ordered before the load of start_waiters below, against the waiter's
         * seq_cst increment before it loads the bit (a store-load pair on each side). */
        atomic_fetch_and_explicit(&c->signals, (unsigned char)~AKT__SIG_STARTING,
                                  memory_order_seq_cst);
    if (atomic_load_explicit(&s->start_waiters, memory_order_seq_cst) == 0) return;
    /* relaxed: the futex syscall orders the word against the waiter's compare. */
    atomic_fetch_add_explicit(&s->start_seq, 1, memory_order_relaxed);
    akt__futex_wake_all(&s->start_seq);
}

/* 1 while the actor pid is live and its start message is pending. */
static int akt__starting(akt_system *s, akt_pid pid) {
    akt__cell *c = akt__cell_live(s, pid);
    /* seq_cst: see akt__start_ended. */
    return c && (atomic_load_explicit(&c->signals, memory_order_seq_cst) & AKT__SIG_STARTING);
}

AKT_API int akt_await_started(akt_system *system, akt_pid pid, int64_t timeout_ns) {
    if (!system || !pid.id) return AKT_EINVAL;
    if (!akt__starting(system, pid)) return 0;
    if (timeout_ns == 0) return AKT_ETIMEDOUT;
    akt__cell *c = akt__cell_live(system, pid);
    /* Its start needs this very thread's dispatcher: waiting here would wait for itself. */
    if (c && akt__self.running && akt__self.running == akt__cell_disp(c)) return AKT_EMISUSE;
    int64_t deadline = timeout_ns < 0 ? INT64_MAX : akt__now_ns() + timeout_ns;
    if (deadline < 0) deadline = INT64_MAX; /* saturated */
    /* seq_cst: see akt__start_ended. */
    atomic_fetch_add_explicit(&system->start_waiters, 1, memory_order_seq_cst);
    int rc = 0;
    for (;;) {
        /* seq_cst: loaded before the bit, so a start that ends after this load changes the
         * word the futex compares. */
        int seq = atomic_load_explicit(&system->start_seq, memory_order_seq_cst);
        if (!akt__starting(system, pid)) break;
        int64_t now = akt__now_ns();
        if (now >= deadline) {
            rc = AKT_ETIMEDOUT;
            break;
        }
        int64_t left = deadline - now;
        struct timespec rel = {(time_t)(left / 1000000000), (long)(left % 1000000000)};
        akt__futex_wait(&system->start_seq, seq, deadline == INT64_MAX ? NULL : &rel);
    }
    atomic_fetch_sub_explicit(&system->start_waiters, 1, memory_order_seq_cst);
    return rc;
}

int akt__spawn_waits(const akt_system *s, const struct akt_dispatcher *d) {
    (void)s;
    /* Only a thread of the caller's own: an akt thread, a running callback or dispatcher
     * could be the one the start needs. An external dispatcher is its binding's to run. */
    return !akt__dispatcher_is_external(d) && !akt__self.own_system && !akt__self.ctx &&
           !akt__self.running && !akt__self.future_cb;
}
