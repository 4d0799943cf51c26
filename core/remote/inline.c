/* Inbound asks whose turn runs on the I/O thread. An ask that arrives for an idle actor,
 * while every worker is idle, is queued without waking a worker: the I/O thread runs the
 * turn itself once the read that brought the ask returns to the loop's top level
 * (akt__io_defer), and the reply goes out from the same core. The hand-offs to a worker
 * and back (two wake-ups of sleeping threads, 10-40 us each on a virtual machine) were
 * most of a remote ask's round trip; a goroutine runtime gets the same effect from running
 * the handler where the request was read.
 *
 * It runs a turn on the I/O thread under the rules of a waiting asker (sched/help.c): only
 * if the system lets any of its threads run turns (akt_system_options.waiters_run_turns),
 * the actor is on the system's workers, is the only cell queued and no worker is in a
 * turn. A wait inside that turn keeps the loop running (akt__self.pump), so a turn that
 * asks another node still gets its answer. An actor whose turn here took longer than
 * AKT__INLINE_SLOW_NS has its next asks go to the workers (akt__inline_ran): a slow turn
 * holds up the node's other connections, and next to it a hand-off costs little. */
#include "actor/send.h"
#include "base/clock.h"
#include "base/tls.h"
#include "endpoint.h"
#include "kernel/sys.h"

#define AKT__INLINE_SLOW_NS 100000
#define AKT__INLINE_MAX_STRIKES 10

static akt__inline_slow *akt__inline_slot(akt__node_r *n, uint64_t target) {
    return &n->inline_slow[(target ^ target >> 17) % AKT__INLINE_SLOW_SLOTS];
}

/* 1 if an ask of target may run its turn here: not while its record says to skip (a slow
 * turn here sent its next asks to the workers; each skipped ask counts one down). */
static int akt__inline_allowed(akt__node_r *n, uint64_t target) {
    akt__inline_slow *r = akt__inline_slot(n, target);
    if (r->id != target || !r->skip) return 1;
    r->skip--;
    return 0;
}

/* A turn of target ran here in ns: a slow one sends the next 2^k asks to the workers (k
 * its slow turns in a row here, at most AKT__INLINE_MAX_STRIKES), so an actor that is
 * always slow holds the loop up once in 1024 asks at most, and one preempted once (a
 * hiccup of the host) loses two asks' worth; a fast turn forgets the strikes. */
static void akt__inline_ran(akt__node_r *n, uint64_t target, int64_t ns) {
    akt__inline_slow *r = akt__inline_slot(n, target);
    if (ns <= AKT__INLINE_SLOW_NS) {
        if (r->id == target) r->strikes = 0;
        return;
    }
    if (r->id != target) *r = (akt__inline_slow){.id = target};
    if (r->strikes < AKT__INLINE_MAX_STRIKES) r->strikes++;
    r->skip = 1u << r->strikes;
}

int akt__inline_ask(akt__node_r *n, akt_pid to, akt_msg *msg, int64_t timeout_ns, uint64_t sender,
                    akt_future **out) {
    akt_system *s = n->sys;
    /* at_top first: while a top-level run goes on, these callbacks may run on the stand-in
     * (io/standin.h), and the run owns the inline_ fields of n; at_top itself is ordered
     * by the loop's mutex, written only while the loop thread holds it. */
    int asking = !n->io.at_top && s->run_for_waiter && !n->inline_owed &&
                         akt__inline_allowed(n, to.id)
                     ? AKT__ASKING_WAITS
                     : 0;
    int rc = akt__ask_waiting(s, to, msg, timeout_ns, sender, NULL, asking, out);
    /* The ask queued the idle actor and left the worker's wake-up owed (sched/dispatch.c):
     * this thread runs the turn at the top level, or makes the wake-up there. */
    if (akt__self.owed) {
        n->inline_owed = akt__self.owed;
        n->inline_target = to.id;
        akt__self.owed = NULL;
        akt__io_defer(&n->io); /* cannot refuse: not at the top level (asking above) */
    }
    return rc;
}

void akt__inline_run(akt__io *io, void *data) {
    (void)io;
    akt__node_r *n = data;
    if (!n->inline_owed) return;
    uint64_t target = n->inline_target;
    akt__self.owed = n->inline_owed;
    n->inline_owed = NULL;
    int64_t t0 = akt__now_ns();
    if (n->sys->run_for_waiter(n->sys, target)) akt__inline_ran(n, target, akt__now_ns() - t0);
}
