/* A waiting asker runs its target's turn (akt_system.run_for_waiter): a plain thread that
 * asked an actor and is about to wait takes the actor off the inject queue, if it is still
 * there (no worker took it) and nothing else waits, and runs its turn on its own thread,
 * as a worker would. The
 * answer is then written and read on one core: no wake-up of a worker, no cross-core
 * hand-off of the message and of the reply. Not for systems with thread hooks unless they
 * said that any thread of theirs may run turns (akt_system_options.waiters_run_turns): a
 * binding's actors may need the threads it set up. */
#include "base/tls.h"
#include "dispatch.h"

static int akt__run_queued_turn(akt_system *s, uint64_t target) {
    struct akt_dispatcher *d = s->workers;
    if (!d || !s->waiters_run_turns) return 0;
    /* Only when nothing else waits or runs: the target at the inject queue's head, no
     * worker in a turn or with cells of its own. So the waiter never runs its target ahead
     * of, or beside, work queued before it (a child spawned by an earlier turn, say): the
     * order of turns stays what the workers would make it. relaxed: hints; the lock below decides
     * the head, and a cell queued on a worker a moment later was queued after the ask. */
    if (!akt__inject_pending(d)) return 0;
    for (int i = 0; i < d->nworkers; i++)
        if (akt__runq_nonempty(&d->workers[i].q) ||
            atomic_load_explicit(&d->workers[i].current, memory_order_relaxed))
            return 0;
    akt__cell *c = NULL;
    pthread_mutex_lock(&d->lock);
    akt__inject_splice_locked(d); /* cells queued before the ask come first */
    akt__cell *x = d->rq_head;
    /* relaxed: a queued cell is owned by its queue (its sched flag is held), so its id
     * does not change until its turn runs. */
    if (x && atomic_load_explicit(&x->id, memory_order_relaxed) == target)
        c = akt__dispatch_pop_locked(d);
    pthread_mutex_unlock(&d->lock);
    if (!c) return 0;
    /* The lock ordered the cell's queueing before this take, as for a worker. This thread
     * is a worker of d for the turn: its own context handles, no run queue of its own
     * (what the turn wakes goes to the inject queue: akt__this_worker stays NULL). */
    akt__worker helper = {.disp = d, .index = AKT__HELPER_INDEX};
    struct akt_dispatcher *prev_running = akt__self.running;
    akt__self.running = d;
    s->run_cell(&helper, c, (size_t)s->throughput);
    akt__self.running = prev_running;
    return 1;
}

int akt__run_for_waiter(akt_system *s, uint64_t target) {
    /* A wake-up this thread's ask left unmade (sched/dispatch.c) is made now if the turn
     * cannot run here: a worker took the cell meanwhile (then it is a spare wake-up), or
     * one is busy, or the cell is behind others. */
    struct akt_dispatcher *owed = akt__self.owed;
    akt__self.owed = NULL;
    int ran = akt__run_queued_turn(s, target);
    if (!ran && owed) akt__disp_notify(owed);
    return ran;
}
