/* test_futures: futures as handles and under races.
 *
 *  - one callback registration wins, the other gets AKT_EBUSY, and the callback that runs
 *    is the winner's (two threads registering at once, in a bounded loop);
 *  - a registrant never waits for a completer (a completer held mid-completion by a hook);
 *  - a future outlives its system (used after the system's release; a release racing
 *    the teardown, held by a hook inside the disarm);
 *  - huge timeouts saturate (INT64_MAX and INT64_MAX - 1 for asks, future waits, system
 *    waits and graceful stops);
 *  - a graceful stop whose actor dies during the call leaves nothing behind (a hook kills
 *    it; the default allocator counts every block, with pooling off);
 *  - a released future passed again is refused (AKT_EINVAL), while akt still holds it and
 *    once its block went back to the pool.
 *
 * White-box: links akt_static for the test hooks of core/kernel/future.h and
 * core/actor/send.h and for akt__pool_set_enabled. */
#define _GNU_SOURCE 1 /* the core's internal headers use pthread_rwlock_t */
#include "tu.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor/send.h"    /* core internal: akt__stop_graceful_hook */
#include "base/pool.h"     /* core internal: akt__pool_set_enabled */
#include "kernel/future.h" /* core internal: the completing and disarm hooks */

/* ---- a counting default allocator (installed first thing in main) ---------------------- */

static atomic_long dflt_live; /* blocks handed out and not yet freed */

static void *cnt_malloc(void *data, size_t n) {
    (void)data;
    void *p = malloc(n);
    if (p) atomic_fetch_add(&dflt_live, 1);
    return p;
}

static void *cnt_realloc(void *data, void *p, size_t n) {
    if (!p) return cnt_malloc(data, n);
    return realloc(p, n);
}

static void cnt_free(void *data, void *p) {
    (void)data;
    if (!p) return;
    atomic_fetch_sub(&dflt_live, 1);
    free(p);
}

static const akt_allocator cnt_iface = {sizeof(akt_allocator), cnt_malloc, cnt_realloc, cnt_free,
                                        NULL};

/* ---- the probe actor ------------------------------------------------------------------ */

/* "block" waits on the gate, "ping" answers "pong", "silent" leaves an ask unanswered,
 * "work" counts. */
typedef struct probe {
    tu_gate *gate;
    atomic_int worked;
} probe;

static int probe_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    probe *p = state;
    if (tu_is(msg, "block")) {
        tu_gate_wait(p->gate);
        return 0;
    }
    if (tu_is(msg, "ping")) return tu_reply(ctx, "pong", "pong");
    if (tu_is(msg, "silent")) return 0;
    if (tu_is(msg, "work")) {
        atomic_fetch_add(&p->worked, 1);
        return 0;
    }
    return AKT_EUNHANDLED;
}

static akt_pid spawn_probe(akt_system *sys, probe *p) {
    akt_behavior b = tu_behavior(probe_receive);
    return tu_spawn(sys, &b, p, NULL);
}

static akt_future *ask(akt_system *sys, akt_pid pid, const char *type, int64_t timeout_ns) {
    akt_future *f = NULL;
    akt_msg *m = tu_msg(type, "");
    TU_OK(akt_ask(sys, pid, m, timeout_ns, &f));
    return f;
}

/* Asks "ping" and checks the "pong". */
static void ping(akt_system *sys, akt_pid pid) {
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("ping", ""), &reply));
    assert_true(tu_is(reply, "pong"));
    TU_OK(akt_msg_release(reply));
}

/* Blocks pid on gate g (a "block" message) and waits until it is held there. */
static void block(akt_system *sys, akt_pid pid, tu_gate *g) {
    TU_OK(akt_tell(sys, pid, tu_msg("block", "")));
    tu_gate_await_waiters(g, 1);
}

static void spin_pause(unsigned *n) {
    if (++*n % 64 == 0) sched_yield();
}

/* ---- one registration wins ----------------------------------------------------------- */

#define RACE_ROUNDS 40000
#define RACE_MIN_ROUNDS 500
#define RACE_SECONDS 20

static struct {
    _Atomic(akt_future *) f;
    atomic_int round; /* the round to run; -1: quit */
    atomic_int done;  /* registrants through with the current round */
    int rc[2];
    int token[2];
} race;
static atomic_int race_ran;     /* callbacks run this round */
static atomic_int race_ran_who; /* which registrant's function ran */
static _Atomic(void *) race_ran_data;

static void race_record(int who, void *data) {
    atomic_fetch_add(&race_ran, 1);
    atomic_store(&race_ran_who, who);
    atomic_store(&race_ran_data, data);
}
static void race_cb0(akt_future *f, int rc, akt_msg *reply, void *data) { race_record(0, data); }
static void race_cb1(akt_future *f, int rc, akt_msg *reply, void *data) { race_record(1, data); }

static void *race_registrant(void *arg) {
    int me = (int)(intptr_t)arg;
    int seen = 0;
    for (;;) {
        unsigned spins = 0;
        int r;
        while ((r = atomic_load(&race.round)) == seen) spin_pause(&spins);
        if (r < 0) return NULL;
        seen = r;
        race.rc[me] = akt_future_on_complete(atomic_load(&race.f), me ? race_cb1 : race_cb0,
                                             &race.token[me]);
        atomic_fetch_add(&race.done, 1);
    }
}

static void test_on_complete_two_registrants_one_wins(void **state) {
    (void)state;
    static probe p;
    akt_system *sys = tu_system("race", 1);
    akt_pid pid = spawn_probe(sys, &p);
    atomic_store(&race.round, 0);
    pthread_t th[2];
    for (intptr_t i = 0; i < 2; i++)
        assert_int_equal(0, pthread_create(&th[i], NULL, race_registrant, (void *)i));
    int bad_rc = 0, bad_cb = 0, first_bad = -1;
    /* Three spinning threads on a loaded host (two vCPUs, a sanitizer) can take minutes
     * for every round: the rounds stop at RACE_SECONDS, after at least RACE_MIN_ROUNDS. */
    int64_t stop_at = tu_now_ns() + TU_SEC(RACE_SECONDS);
    int rounds = 0;
    for (int round = 1; round <= RACE_ROUNDS; round++) {
        if (round > RACE_MIN_ROUNDS && tu_now_ns() > stop_at) break;
        rounds = round;
        akt_future *f = ask(sys, pid, "silent", TU_SEC(60));
        atomic_store(&race_ran, 0);
        atomic_store(&race_ran_who, -1);
        atomic_store(&race_ran_data, NULL);
        atomic_store(&race.f, f);
        atomic_store(&race.done, 0);
        atomic_store(&race.round, round); /* both registrants go */
        unsigned spins = 0;
        while (atomic_load(&race.done) < 2) spin_pause(&spins);
        int ran_early = atomic_load(&race_ran);
        TU_OK(akt_future_cancel(f)); /* runs the one callback here */
        int winner = race.rc[0] == 0 ? 0 : 1;
        int loser = 1 - winner;
        if (race.rc[winner] != 0 || race.rc[loser] != AKT_EBUSY) {
            bad_rc++;
        } else if (ran_early || atomic_load(&race_ran) != 1 ||
                   atomic_load(&race_ran_who) != winner ||
                   atomic_load(&race_ran_data) != &race.token[winner]) {
            bad_cb++;
        }
        if ((bad_rc || bad_cb) && first_bad < 0) first_bad = round;
        TU_OK(akt_future_release(f));
    }
    atomic_store(&race.round, -1);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    tu_system_end(sys);
    if (bad_rc || bad_cb)
        fail_msg("%d of %d rounds did not give exactly one 0 and one AKT_EBUSY, %d ran another "
                 "callback than the winner's (first bad round: %d)",
                 bad_rc, rounds, bad_cb, first_bad);
}

/* ---- a registrant does not wait for a completer ---------------------------------------- */

static _Atomic(akt_future *) held_target;
static tu_gate held_gate;

static void hold_completer(akt_future *f) {
    if (f == atomic_load(&held_target)) tu_gate_wait(&held_gate);
}

static atomic_int held_cb_runs, held_cb_rc;
static _Atomic(pthread_t) held_cb_thread;
static void held_cb(akt_future *f, int rc, akt_msg *reply, void *data) {
    atomic_store(&held_cb_rc, rc);
    atomic_store(&held_cb_thread, pthread_self());
    atomic_fetch_add(&held_cb_runs, 1);
}

static atomic_int canceller_rc;
static void *canceller_main(void *arg) {
    atomic_store(&canceller_rc, akt_future_cancel(arg));
    return NULL;
}

static atomic_int registrant_rc, registrant_returned;
static void *registrant_main(void *arg) {
    atomic_store(&registrant_rc, akt_future_on_complete(arg, held_cb, NULL));
    atomic_store(&registrant_returned, 1);
    return NULL;
}

static void test_on_complete_does_not_wait_for_a_completer(void **state) {
    (void)state;
    static probe p;
    akt_system *sys = tu_system("held", 1);
    akt_pid pid = spawn_probe(sys, &p);
    akt_future *f = ask(sys, pid, "silent", TU_SEC(60));
    tu_gate_init(&held_gate);
    atomic_store(&held_cb_runs, 0);
    atomic_store(&registrant_returned, 0);
    atomic_store(&held_target, f);
    atomic_store(&akt__future_hook_completing, hold_completer);
    pthread_t canceller, registrant;
    assert_int_equal(0, pthread_create(&canceller, NULL, canceller_main, f));
    tu_gate_await_waiters(&held_gate, 1); /* the canceller won and is held mid-completion */
    assert_int_equal(0, pthread_create(&registrant, NULL, registrant_main, f));
    int64_t until = tu_now_ns() + TU_SEC(2);
    while (!atomic_load(&registrant_returned) && tu_now_ns() < until) tu_sleep_ms(1);
    int returned_while_held = atomic_load(&registrant_returned);
    int runs_while_held = atomic_load(&held_cb_runs);
    tu_gate_open(&held_gate);
    pthread_join(canceller, NULL);
    pthread_join(registrant, NULL);
    atomic_store(&akt__future_hook_completing, NULL);
    atomic_store(&held_target, NULL);
    tu_gate_destroy(&held_gate);
    assert_true(returned_while_held);     /* it did not wait for the held completer */
    assert_int_equal(0, runs_while_held); /* the result was not written yet */
    TU_OK(atomic_load(&registrant_rc));
    TU_OK(atomic_load(&canceller_rc));
    assert_int_equal(1, atomic_load(&held_cb_runs));
    TU_RC(AKT_ECANCELED, atomic_load(&held_cb_rc));
    assert_true(pthread_equal(canceller, atomic_load(&held_cb_thread))); /* the completer's */
    TU_OK(akt_future_release(f));
    tu_system_end(sys);
}

/* ---- a future outlives its system ------------------------------------------------------ */

typedef struct record {
    atomic_int runs;
    atomic_int rc;
    atomic_int pong; /* the reply was a "pong" */
} record;

static void record_cb(akt_future *f, int rc, akt_msg *reply, void *data) {
    record *r = data;
    atomic_store(&r->rc, rc);
    atomic_store(&r->pong, rc == 0 && tu_is(reply, "pong"));
    atomic_fetch_add(&r->runs, 1);
}

static void test_future_used_after_its_system_was_released(void **state) {
    (void)state;
    static probe p;
    static record with_cb, late_done, late_pending;
    akt_system *sys = tu_system("outlive", 2);
    akt_pid pid = spawn_probe(sys, &p);
    akt_future *pending_cb = ask(sys, pid, "silent", TU_SEC(60));
    TU_OK(akt_future_on_complete(pending_cb, record_cb, &with_cb));
    akt_future *pending = ask(sys, pid, "silent", TU_SEC(60));
    akt_future *done = ask(sys, pid, "ping", TU_SEC(60)); /* after the two silent ones */
    akt_msg *reply = NULL;
    TU_OK(tu_wait(done, &reply));
    TU_OK(akt_msg_release(reply));
    tu_system_end(sys); /* shut down, waited for and released: its memory is gone */

    /* The shutdown completed the pending ones with AKT_ECLOSED, callback included. */
    assert_int_equal(1, atomic_load(&with_cb.runs));
    TU_RC(AKT_ECLOSED, atomic_load(&with_cb.rc));
    TU_RC(AKT_ECLOSED, akt_future_wait(pending_cb, 0, NULL));
    TU_RC(AKT_EMISUSE, akt_future_cancel(pending_cb));
    TU_OK(akt_future_release(pending_cb));

    TU_RC(AKT_ECLOSED, akt_future_wait(pending, -1, &reply));
    TU_RC(AKT_ECLOSED, akt_future_wait(pending, INT64_MAX, &reply));
    TU_OK(akt_future_on_complete(pending, record_cb, &late_pending)); /* runs at once */
    assert_int_equal(1, atomic_load(&late_pending.runs));
    TU_RC(AKT_ECLOSED, atomic_load(&late_pending.rc));
    TU_RC(AKT_EBUSY, akt_future_on_complete(pending, record_cb, &late_pending));
    TU_RC(AKT_EMISUSE, akt_future_cancel(pending));
    TU_OK(akt_future_release(pending));

    /* A completed one keeps its result. */
    reply = NULL;
    TU_OK(akt_future_wait(done, 0, &reply));
    assert_true(tu_is(reply, "pong"));
    TU_OK(akt_msg_release(reply));
    reply = NULL;
    TU_OK(akt_future_wait(done, -1, &reply));
    assert_true(tu_is(reply, "pong"));
    TU_OK(akt_msg_release(reply));
    TU_OK(akt_future_on_complete(done, record_cb, &late_done));
    assert_int_equal(1, atomic_load(&late_done.runs));
    TU_OK(atomic_load(&late_done.rc));
    assert_true(atomic_load(&late_done.pong));
    TU_RC(AKT_EMISUSE, akt_future_cancel(done));
    TU_OK(akt_future_release(done));
}

static _Atomic(akt_future *) disarm_target;
static tu_gate disarm_gate;

static void hold_disarm(akt_future *f) {
    if (f == atomic_load(&disarm_target)) tu_gate_wait(&disarm_gate);
}

static atomic_int releaser_rc;
static void *releaser_main(void *arg) {
    atomic_store(&releaser_rc, akt_future_release(arg));
    return NULL;
}

/* The caller's release of a completed ask takes the timeout out of the system's timer heap
 * (when the timers are crowded: a lazy-expiry bound of 0 makes them so); held inside that,
 * the system's teardown must wait for it (before the fix it freed the system under it:
 * ASan reports the use after free). */
static void test_future_release_racing_the_teardown(void **state) {
    (void)state;
    static probe p;
    atomic_store(&akt__timers_lazy_max, 0);
    akt_system *sys = tu_system("teardown", 1);
    akt_pid pid = spawn_probe(sys, &p);
    akt_future *f = ask(sys, pid, "ping", TU_SEC(60));
    akt_msg *reply = NULL;
    TU_OK(tu_wait(f, &reply)); /* completed while held: its timeout is still armed */
    TU_OK(akt_msg_release(reply));
    ping(sys, pid); /* the first ask's envelope is done with: only the handle and the timer */
    tu_gate_init(&disarm_gate);
    atomic_store(&disarm_target, f);
    atomic_store(&akt__future_hook_disarm, hold_disarm);
    pthread_t releaser;
    assert_int_equal(0, pthread_create(&releaser, NULL, releaser_main, f));
    tu_gate_await_waiters(&disarm_gate, 1); /* the release claimed the timeout, is held */
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    int rc_held = akt_system_wait(sys, TU_MS(300));
    if (rc_held == 0) {
        TU_OK(akt_system_release(sys)); /* the system is freed under the held release */
        sys = NULL;
    }
    tu_gate_open(&disarm_gate);
    pthread_join(releaser, NULL);
    atomic_store(&akt__future_hook_disarm, NULL);
    atomic_store(&disarm_target, NULL);
    tu_gate_destroy(&disarm_gate);
    if (sys) {
        TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
        TU_OK(akt_system_release(sys));
    }
    atomic_store(&akt__timers_lazy_max, AKT__TIMERS_LAZY_MAX);
    TU_RC(AKT_ETIMEDOUT, rc_held); /* the teardown waited for the release in flight */
    TU_OK(atomic_load(&releaser_rc));
}

/* The same without a hook, as a bounded loop: completed asks released on two threads while
 * the system shuts down and is released (ASan and TSan watch the timers' memory). */
#define TEARDOWN_ROUNDS 100
#define TEARDOWN_ASKS 64

typedef struct release_batch {
    akt_future **f;
    int n;
    atomic_int *go;
    atomic_int failed;
} release_batch;

static void *batch_releaser_main(void *arg) {
    release_batch *b = arg;
    unsigned spins = 0;
    while (!atomic_load(b->go)) spin_pause(&spins);
    for (int i = 0; i < b->n; i++)
        if (akt_future_release(b->f[i]) != 0) atomic_fetch_add(&b->failed, 1);
    return NULL;
}

static void test_future_releases_racing_the_teardown_loop(void **state) {
    (void)state;
    static probe p;
    static akt_future *f[TEARDOWN_ASKS];
    for (int round = 0; round < TEARDOWN_ROUNDS; round++) {
        akt_system *sys = tu_system("teardown-loop", 1);
        akt_pid pid = spawn_probe(sys, &p);
        for (int i = 0; i < TEARDOWN_ASKS; i++) f[i] = ask(sys, pid, "ping", TU_SEC(60));
        for (int i = 0; i < TEARDOWN_ASKS; i++) TU_OK(tu_wait(f[i], NULL));
        atomic_int go = 0;
        release_batch b[2] = {{f, TEARDOWN_ASKS / 2, &go, 0},
                              {f + TEARDOWN_ASKS / 2, TEARDOWN_ASKS / 2, &go, 0}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(0, pthread_create(&th[i], NULL, batch_releaser_main, &b[i]));
        TU_OK(akt_system_shutdown(sys, NULL, NULL));
        atomic_store(&go, 1);
        TU_OK(akt_system_release(sys)); /* freed by the reaper once the shutdown is done */
        for (int i = 0; i < 2; i++) {
            pthread_join(th[i], NULL);
            assert_int_equal(0, atomic_load(&b[i].failed));
        }
    }
}

/* ---- huge timeouts saturate ------------------------------------------------------------ */

static const int64_t huge[] = {INT64_MAX, INT64_MAX - 1};

/* A system of one worker whose probe is held in "block" on gate: where every huge-timeout
 * test starts (what they queue behind the block cannot finish before gate opens). */
typedef struct held_probe {
    tu_gate gate;
    probe p;
    akt_system *sys;
    akt_pid pid;
} held_probe;

static void held_probe_start(held_probe *h, const char *name) {
    tu_gate_init(&h->gate);
    h->p.gate = &h->gate;
    atomic_store(&h->p.worked, 0);
    h->sys = tu_system(name, 1);
    h->pid = spawn_probe(h->sys, &h->p);
    block(h->sys, h->pid, &h->gate);
}

/* Another thread waiting with a huge timeout on a future (f) or else on a system. The
 * fields before th are written before pthread_create and read after pthread_join, which
 * order them; returned is read while the waiter runs. */
typedef struct huge_waiter {
    akt_future *f;
    akt_system *sys;
    int64_t timeout;
    int rc, pong;
    atomic_int returned;
    pthread_t th;
} huge_waiter;

static void *huge_waiter_main(void *arg) {
    huge_waiter *w = arg;
    if (w->f) {
        akt_msg *reply = NULL;
        w->rc = akt_future_wait(w->f, w->timeout, &reply);
        w->pong = w->rc == 0 && tu_is(reply, "pong");
        if (w->rc == 0 && reply) akt_msg_release(reply);
    } else {
        w->rc = akt_system_wait(w->sys, w->timeout);
    }
    atomic_store(&w->returned, 1);
    return NULL;
}

/* Starts the waiter, waits 50 ms on the same thing on this thread, opens the gate and joins
 * the waiter. Returns what the 50 ms wait returned; *gave_up tells whether the waiter had
 * returned within them. */
static int huge_wait_while_held(held_probe *h, huge_waiter *w, int *gave_up) {
    atomic_store(&w->returned, 0);
    assert_int_equal(0, pthread_create(&w->th, NULL, huge_waiter_main, w));
    int rc_pending = w->f ? akt_future_wait(w->f, TU_MS(50), NULL)
                          : akt_system_wait(w->sys, TU_MS(50));
    *gave_up = atomic_load(&w->returned);
    tu_gate_open(&h->gate);
    pthread_join(w->th, NULL);
    return rc_pending;
}

static void test_huge_timeout_ask_and_future_wait(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        static held_probe h;
        held_probe_start(&h, "huge-ask");
        static huge_waiter w;
        w = (huge_waiter){.timeout = huge[i]};
        w.f = ask(h.sys, h.pid, "ping", huge[i]); /* queued behind the block */
        /* 50 ms on: the ask has not timed out, the huge wait has not given up. */
        int gave_up = 1;
        TU_RC(AKT_EAGAIN, huge_wait_while_held(&h, &w, &gave_up));
        assert_false(gave_up);
        TU_OK(w.rc);
        assert_true(w.pong);
        TU_OK(akt_future_release(w.f));
        tu_system_end(h.sys);
        tu_gate_destroy(&h.gate);
    }
}

static void test_huge_timeout_system_wait(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        static held_probe h;
        held_probe_start(&h, "huge-wait"); /* the shutdown cannot finish while it is held */
        TU_OK(akt_system_shutdown(h.sys, NULL, NULL));
        static huge_waiter w;
        w = (huge_waiter){.sys = h.sys, .timeout = huge[i]};
        int gave_up = 1;
        TU_RC(AKT_ETIMEDOUT, huge_wait_while_held(&h, &w, &gave_up));
        assert_false(gave_up);
        TU_OK(w.rc);
        TU_OK(akt_system_release(h.sys));
        tu_gate_destroy(&h.gate);
    }
}

#define QUEUED 1000

static void test_huge_timeout_graceful_stop(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        static held_probe h;
        static tu_events ev;
        tu_events_init(&ev);
        held_probe_start(&h, "huge-stop");
        akt_subscription *sub = NULL;
        TU_OK(akt_subscribe(h.sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
        for (int k = 0; k < QUEUED; k++) TU_OK(akt_tell(h.sys, h.pid, tu_msg("work", "")));
        akt_future *f = NULL;
        TU_OK(akt_stop_graceful(h.sys, h.pid, huge[i], &f));
        int rc_pending = akt_future_wait(f, TU_MS(50), NULL);
        tu_gate_open(&h.gate);
        TU_OK(tu_wait(f, NULL)); /* stopped gracefully, not timed out */
        TU_RC(AKT_EAGAIN, rc_pending);
        assert_int_equal(QUEUED, atomic_load(&h.p.worked));
        assert_int_equal(0, tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, h.pid));
        TU_OK(akt_future_release(f));
        TU_OK(akt_unsubscribe(sub));
        tu_system_end(h.sys);
        tu_events_destroy(&ev);
        tu_gate_destroy(&h.gate);
    }
}

/* ---- a graceful stop whose actor dies during the call ---------------------------------- */

static akt_pid victim;
static atomic_int kill_at_stage, killed;

static void kill_victim(akt_system *s, akt_pid pid, int stage) {
    if (stage != atomic_load(&kill_at_stage) || pid.id != victim.id || atomic_exchange(&killed, 1))
        return;
    TU_CB_RC(0, akt_stop(s, pid));
    int64_t until = tu_now_ns() + TU_DEADLINE_NS;
    while (akt_pid_is_alive(s, pid) && tu_now_ns() < until) tu_sleep_ms(1);
    TU_CB_CHECK(!akt_pid_is_alive(s, pid));
}

static void graceful_stop_actor_dies_at(int stage) {
    static probe p;
    akt__pool_set_enabled(0); /* every future and envelope is one counted allocation */
    long before = atomic_load(&dflt_live);
    akt_system *sys = tu_system("dies", 1);
    victim = spawn_probe(sys, &p);
    atomic_store(&killed, 0);
    atomic_store(&kill_at_stage, stage);
    atomic_store(&akt__stop_graceful_hook, kill_victim);
    akt_future *f = NULL;
    int rc = akt_stop_graceful(sys, victim, TU_DEADLINE_NS, &f);
    atomic_store(&akt__stop_graceful_hook, NULL);
    assert_true(atomic_load(&killed));
    if (stage == 0) {
        TU_RC(AKT_ENOTFOUND, rc); /* died before anything was made */
        assert_null(f);
    } else {
        TU_OK(rc); /* died after the future was made: it completes, the actor is gone */
        TU_OK(tu_wait(f, NULL));
        TU_OK(akt_future_release(f));
    }
    tu_system_end(sys);
    long after = atomic_load(&dflt_live);
    akt__pool_set_enabled(1);
    assert_int_equal(before, after);
}

static void test_stop_graceful_actor_dies_before_the_future(void **state) {
    (void)state;
    graceful_stop_actor_dies_at(0);
}

static void test_stop_graceful_actor_dies_after_the_future(void **state) {
    (void)state;
    graceful_stop_actor_dies_at(1);
}

/* ---- a released future is refused ------------------------------------------------------ */

static void never_cb(akt_future *f, int rc, akt_msg *reply, void *data) {
    tu_cb_fail(__FILE__, __LINE__, "a callback registered on a released future ran");
}

static void refused(akt_future *f) {
    akt_msg *reply = NULL;
    TU_RC(AKT_EINVAL, akt_future_wait(f, 0, &reply));
    assert_null(reply);
    TU_RC(AKT_EINVAL, akt_future_wait(f, TU_MS(1), NULL));
    TU_RC(AKT_EINVAL, akt_future_on_complete(f, never_cb, NULL));
    TU_RC(AKT_EINVAL, akt_future_cancel(f));
    TU_RC(AKT_EINVAL, akt_future_release(f));
}

/* An ask answered, its envelope done with (a second ask to the same actor was answered):
 * the caller's release is the last reference. */
static akt_future *answered(akt_system *sys, akt_pid pid) {
    akt_future *f = ask(sys, pid, "ping", TU_SEC(60));
    TU_OK(tu_wait(f, NULL));
    ping(sys, pid);
    return f;
}

static void test_released_future_is_refused(void **state) {
    (void)state;
    static probe p;
    akt_system *sys = tu_system("released", 1);
    akt_pid pid = spawn_probe(sys, &p);

    /* Released while the system still holds it (a pending ask's own reference). */
    akt_future *pending = ask(sys, pid, "silent", TU_SEC(60));
    TU_OK(akt_future_release(pending));
    refused(pending);

    /* Freed: its block went back to this thread's pool, behind others. */
    akt_future *warm[4];
    for (int i = 0; i < 4; i++) warm[i] = answered(sys, pid);
    for (int i = 0; i < 4; i++) TU_OK(akt_future_release(warm[i]));
    akt_future *f = answered(sys, pid);
    TU_OK(akt_future_release(f));
    refused(f);
    ping(sys, pid); /* the pool is intact */
    tu_system_end(sys);
}

int main(void) {
    /* Before anything else: the default allocator can only be set while no message exists. */
    int rc = akt_allocator_set_default(&cnt_iface);
    if (rc != 0) {
        fprintf(stderr, "akt_allocator_set_default: %s\n", akt_err_name(rc));
        return 1;
    }
    const struct CMUnitTest tests[] = {
        TU_TEST(test_on_complete_two_registrants_one_wins),
        TU_TEST(test_on_complete_does_not_wait_for_a_completer),
        TU_TEST(test_future_used_after_its_system_was_released),
        TU_TEST(test_future_release_racing_the_teardown),
        TU_TEST(test_future_releases_racing_the_teardown_loop),
        TU_TEST(test_huge_timeout_ask_and_future_wait),
        TU_TEST(test_huge_timeout_system_wait),
        TU_TEST(test_huge_timeout_graceful_stop),
        TU_TEST(test_stop_graceful_actor_dies_before_the_future),
        TU_TEST(test_stop_graceful_actor_dies_after_the_future),
        TU_TEST(test_released_future_is_refused),
    };
    return cmocka_run_group_tests_name("futures", tests, NULL, NULL);
}
