/* test_async: suspended messages (akt_ctx_suspend, akt_suspension_post), the mechanism of
 * async receive in the bindings. A held message keeps later user messages waiting (not
 * under ALLOW_ALL); a step posted from another thread runs on the actor's turn with the held
 * message as its context (respond reaches the asker); a step may suspend again, make a
 * request whose continuation posts the next step, or fail (the asker and the supervisor
 * learn it); a stop or a restart ends the suspensions and their steps drop. */
#include "tu.h"

#include <pthread.h>
#include <string.h>

static akt_system *sys;

static int as_setup(void **state) {
    sys = tu_system("async", 2);
    return tu_setup(state);
}

static int as_teardown(void **state) {
    if (sys) tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define AS_TEST(f) cmocka_unit_test_setup_teardown(f, as_setup, as_teardown)

/* ---- the actor ------------------------------------------------------------------------- */

/* "work": suspends and publishes the handle; "boom": fails; "sync": replies; anything else
 * is logged. Steps log "step:<what>". */
typedef struct worker {
    akt_pid server;    /* for "work-req": requested "inc" from a step */
    int mode;          /* akt_ctx_suspend's */
    atomic_int inside; /* never two callbacks at once */
    atomic_int overlaps;
    atomic_int starts; /* pre_start runs */
    atomic_int drops;
    atomic_int held;     /* handles published */
    akt_suspension last; /* the last handle; read after held moved */
    tu_log log;
} worker;

static void enter(worker *w) {
    if (atomic_exchange(&w->inside, 1)) atomic_fetch_add(&w->overlaps, 1);
}
static void leave(worker *w) { atomic_store(&w->inside, 0); }

static int worker_start(akt_ctx *ctx, void *state) {
    worker *w = state;
    akt_suspension s;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_suspend(ctx, 0, &s)); /* no message in hand */
    atomic_fetch_add(&w->starts, 1);
    return 0;
}

static int worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    worker *w = state;
    enter(w);
    int rc = 0;
    if (tu_is(msg, "work")) {
        akt_suspension s, again;
        TU_CB_RC(0, akt_ctx_suspend(ctx, w->mode, &s));
        TU_CB_RC(0, akt_ctx_suspend(ctx, w->mode, &again)); /* the same message: same handle */
        TU_CB_CHECK(s.id == again.id && s.actor.id == again.actor.id);
        w->last = s;
        tu_log_add(&w->log, "work");
        atomic_fetch_add(&w->held, 1); /* seq_cst: publishes last */
    } else if (tu_is(msg, "bad")) {
        akt_suspension s;
        TU_CB_RC(AKT_EINVAL, akt_ctx_suspend(ctx, 7, &s));
        TU_CB_RC(AKT_EINVAL, akt_ctx_suspend(ctx, -1, &s));
        TU_CB_RC(AKT_EINVAL, akt_ctx_suspend(ctx, 0, NULL));
        rc = tu_reply(ctx, "bad", NULL); /* not suspended: answered and finished */
    } else if (tu_is(msg, "boom")) {
        rc = AKT_EFAILED;
    } else if (tu_is(msg, "sync")) {
        rc = tu_reply(ctx, "sync", NULL);
    } else {
        tu_log_add(&w->log, "%s", akt_msg_type(msg));
    }
    leave(w);
    return rc;
}

static worker *worker_new(int mode) {
    static worker w;
    memset(&w, 0, sizeof w);
    w.mode = mode;
    tu_log_init(&w.log);
    return &w;
}

static akt_pid worker_spawn(worker *w, int actor_mode, const akt_behavior *b) {
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.reentrancy = actor_mode;
    akt_behavior dflt = tu_behavior(worker_receive);
    dflt.pre_start = worker_start;
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, b ? b : &dflt, w, &o, &pid));
    return pid;
}

/* Waits for the n-th handle. */
static akt_suspension held(worker *w, int n) {
    TU_EVENTUALLY(atomic_load(&w->held) >= n);
    return w->last;
}

/* ---- steps ----------------------------------------------------------------------------- */

typedef struct step {
    worker *w;
    const char *what; /* "reply", "again", "fail", "request" */
} step;

static void step_drop(void *data) {
    step *st = data;
    atomic_fetch_add(&st->w->drops, 1);
}

static int step_run(akt_ctx *ctx, void *data);

static int step_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    /* A continuation has no message in hand: it posts the next step to the held one. */
    worker *w = data;
    akt_suspension s;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_suspend(ctx, 0, &s));
    tu_log_add(&w->log, "then:%s", rc == 0 ? akt_msg_type(reply) : akt_err_name(rc));
    static step next;
    next = (step){w, "reply"};
    return akt_suspension_post(sys, w->last, step_run, step_drop, &next);
}

static int step_run(akt_ctx *ctx, void *data) {
    step *st = data;
    worker *w = st->w;
    enter(w);
    tu_log_add(&w->log, "step:%s", st->what);
    int rc = 0;
    if (strcmp(st->what, "reply") == 0) {
        rc = tu_reply(ctx, "done", NULL); /* to the held message's asker */
    } else if (strcmp(st->what, "again") == 0) {
        akt_suspension s;
        TU_CB_RC(0, akt_ctx_suspend(ctx, w->mode, &s));
        TU_CB_CHECK(s.id == w->last.id);
    } else if (strcmp(st->what, "fail") == 0) {
        rc = akt_ctx_fail(ctx, "failed after an await");
    } else if (strcmp(st->what, "request") == 0) {
        akt_request_options o;
        TU_CB_RC(0, akt_request_options_init(&o));
        o.then = step_then;
        o.data = w;
        akt_msg *m = tu_msg_u64("inc", 41);
        rc = akt_ctx_request(ctx, w->server, m, &o, NULL);
        if (rc) akt_msg_release(m);
        akt_suspension s;
        if (!rc) rc = akt_ctx_suspend(ctx, w->mode, &s);
    }
    leave(w);
    return rc;
}

static void post(worker *w, akt_suspension s, step *st) {
    st->w = w;
    TU_OK(akt_suspension_post(sys, s, step_run, step_drop, st));
}

/* An ask of "work", whose answer comes from a step. */
static akt_future *ask_work(akt_pid pid) {
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, pid, tu_msg("work", NULL), TU_SEC(10), &f));
    return f;
}

static void expect_answer(akt_future *f, int want_rc, const char *want_type) {
    akt_msg *r = NULL;
    TU_RC(want_rc, akt_future_wait(f, TU_SEC(10), &r));
    if (want_type) assert_true(r && tu_is(r, want_type));
    if (r) akt_msg_release(r);
    akt_future_release(f);
}

/* A fresh worker (its actor spawned with actor_mode) holding an ask of "work". */
typedef struct held_ask {
    worker *w;
    akt_pid pid;
    akt_future *f;
    akt_suspension s;
} held_ask;

static held_ask hold_work(int actor_mode) {
    held_ask h;
    h.w = worker_new(AKT_REENTRANCY_DEFAULT);
    h.pid = worker_spawn(h.w, actor_mode, NULL);
    h.f = ask_work(h.pid);
    h.s = held(h.w, 1);
    return h;
}

/* A "reply" step posted to s answers f with "done" (the step has run when this returns, so
 * its storage can serve again). */
static void reply_from_step(worker *w, akt_suspension s, akt_future *f) {
    static step st = {NULL, "reply"};
    post(w, s, &st);
    expect_answer(f, 0, "done");
}

/* ---- the tests ------------------------------------------------------------------------- */

static void test_held_message_keeps_order(void **state) {
    (void)state;
    held_ask h = hold_work(AKT_REENTRANCY_DEFAULT);
    TU_OK(akt_tell(sys, h.pid, tu_msg("m1", NULL)));
    TU_OK(akt_tell(sys, h.pid, tu_msg("m2", NULL)));
    tu_sleep_ms(20); /* room for a wrong order to show */
    assert_string_equal(tu_log_str(&h.w->log), "work");
    reply_from_step(h.w, h.s, h.f);
    TU_EVENTUALLY(tu_log_count(&h.w->log) == 4);
    assert_string_equal(tu_log_str(&h.w->log), "work step:reply m1 m2");
    /* The message is finished: a late step names nothing and drops. */
    static step late = {NULL, "reply"};
    post(h.w, h.s, &late);
    TU_EVENTUALLY(atomic_load(&h.w->drops) == 1);
    assert_int_equal(atomic_load(&h.w->overlaps), 0);
}

static void test_allow_all_lets_the_next_start(void **state) {
    (void)state;
    held_ask h = hold_work(AKT_REENTRANCY_ALLOW_ALL);
    worker *w = h.w;
    TU_OK(akt_tell(sys, h.pid, tu_msg("m1", NULL)));
    TU_EVENTUALLY(tu_log_count(&w->log) == 2);
    reply_from_step(w, h.s, h.f);
    assert_string_equal(tu_log_str(&w->log), "work m1 step:reply");
    /* Per suspension: OFF holds even in an ALLOW_ALL actor. */
    w->mode = AKT_REENTRANCY_OFF;
    akt_future *f = ask_work(h.pid);
    akt_suspension s = held(w, 2);
    TU_OK(akt_tell(sys, h.pid, tu_msg("m2", NULL)));
    tu_sleep_ms(20);
    assert_int_equal(tu_log_count(&w->log), 4);
    reply_from_step(w, s, f);
    TU_EVENTUALLY(tu_log_count(&w->log) == 6);
    assert_string_equal(tu_log_str(&w->log), "work m1 step:reply work step:reply m2");
}

static void test_step_suspends_again(void **state) {
    (void)state;
    held_ask h = hold_work(AKT_REENTRANCY_DEFAULT);
    TU_OK(akt_tell(sys, h.pid, tu_msg("m1", NULL)));
    static step again = {NULL, "again"};
    post(h.w, h.s, &again);
    TU_EVENTUALLY(tu_log_count(&h.w->log) == 2);
    tu_sleep_ms(20);
    assert_int_equal(tu_log_count(&h.w->log), 2); /* still held */
    reply_from_step(h.w, h.s, h.f);
    TU_EVENTUALLY(tu_log_count(&h.w->log) == 4);
    assert_string_equal(tu_log_str(&h.w->log), "work step:again step:reply m1");
}

static int server_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "inc")) return tu_reply_u64(ctx, "inc", tu_u64(msg) + 1);
    return AKT_EUNHANDLED;
}

static void test_request_from_a_step(void **state) {
    (void)state;
    akt_behavior sb = tu_behavior(server_receive);
    held_ask h = hold_work(AKT_REENTRANCY_DEFAULT);
    h.w->server = tu_spawn(sys, &sb, NULL, NULL); /* read by the step, posted after this */
    TU_OK(akt_tell(sys, h.pid, tu_msg("m1", NULL)));
    static step req = {NULL, "request"};
    post(h.w, h.s, &req);
    expect_answer(h.f, 0, "done");
    TU_EVENTUALLY(tu_log_count(&h.w->log) == 5);
    assert_string_equal(tu_log_str(&h.w->log), "work step:request then:inc step:reply m1");
    assert_int_equal(atomic_load(&h.w->overlaps), 0);
}

static void test_failing_step_restarts(void **state) {
    (void)state;
    held_ask h = hold_work(AKT_REENTRANCY_DEFAULT);
    TU_OK(akt_tell(sys, h.pid, tu_msg("m1", NULL)));
    static step fail = {NULL, "fail"};
    post(h.w, h.s, &fail);
    expect_answer(h.f, AKT_EFAILED, NULL); /* the asker learns what the supervisor learns */
    TU_EVENTUALLY(atomic_load(&h.w->starts) == 2);
    TU_EVENTUALLY(tu_log_count(&h.w->log) == 3);
    assert_string_equal(tu_log_str(&h.w->log), "work step:fail m1");
}

static void test_restart_ends_suspensions(void **state) {
    (void)state;
    worker *w = worker_new(AKT_REENTRANCY_DEFAULT);
    akt_pid pid = worker_spawn(w, AKT_REENTRANCY_ALLOW_ALL, NULL);
    akt_future *f1 = ask_work(pid);
    akt_suspension s1 = held(w, 1);
    akt_future *f2 = ask_work(pid);
    akt_suspension s2 = held(w, 2);
    TU_OK(akt_tell(sys, pid, tu_msg("boom", NULL)));
    expect_answer(f1, AKT_ECANCELED, NULL);
    expect_answer(f2, AKT_ECANCELED, NULL);
    TU_EVENTUALLY(atomic_load(&w->starts) == 2);
    static step a = {NULL, "reply"}, b = {NULL, "reply"};
    post(w, s1, &a);
    post(w, s2, &b);
    TU_EVENTUALLY(atomic_load(&w->drops) == 2);
    akt_msg *r = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("sync", NULL), &r));
    akt_msg_release(r);
    assert_string_equal(tu_log_str(&w->log), "work work");
}

static void test_stop_ends_suspensions(void **state) {
    (void)state;
    held_ask h = hold_work(AKT_REENTRANCY_DEFAULT);
    static step late = {NULL, "reply"};
    TU_OK(akt_stop(sys, h.pid)); /* now: a graceful stop would wait for the held message */
    expect_answer(h.f, AKT_ESTOPPED, NULL);
    tu_wait_dead(sys, h.pid);
    post(h.w, h.s, &late); /* a stale pid: dropped, not run */
    TU_EVENTUALLY(atomic_load(&h.w->drops) == 1);
    assert_string_equal(tu_log_str(&h.w->log), "work");
}

/* A graceful stop is a user message: it waits behind the held message until its timeout
 * stops the actor; a step posted after the message finished lets it through at once. */
static void test_graceful_stop_waits_for_the_held_message(void **state) {
    (void)state;
    held_ask h = hold_work(AKT_REENTRANCY_DEFAULT);
    akt_future *stop = NULL;
    TU_OK(akt_stop_graceful(sys, h.pid, TU_MS(50), &stop));
    TU_RC(AKT_ETIMEDOUT, akt_future_wait(stop, TU_SEC(10), NULL));
    akt_future_release(stop);
    expect_answer(h.f, AKT_ESTOPPED, NULL);
    tu_wait_dead(sys, h.pid);

    h = hold_work(AKT_REENTRANCY_DEFAULT);
    TU_OK(akt_stop_graceful(sys, h.pid, TU_SEC(10), &stop));
    reply_from_step(h.w, h.s, h.f);
    TU_OK(akt_future_wait(stop, TU_SEC(10), NULL));
    akt_future_release(stop);
}

/* A step queued when the system goes away drops with it. */
static void test_shutdown_drops_steps(void **state) {
    (void)state;
    held_ask h = hold_work(AKT_REENTRANCY_DEFAULT);
    tu_system_end(sys);
    sys = NULL;
    akt_msg *r = NULL;
    assert_int_not_equal(akt_future_wait(h.f, TU_SEC(10), &r), 0); /* never answered */
    akt_future_release(h.f);
    assert_string_equal(tu_log_str(&h.w->log), "work");
}

/* receive_batch (the bindings' path): a suspension ends the run; the rest waits. */
static int batch_receive(akt_ctx *ctx, void *state) {
    akt_msg *msg;
    int rc = 0;
    while (rc == 0 && akt_ctx_next(ctx, &msg) == 0) rc = worker_receive(ctx, msg, state);
    return rc;
}

static void test_batch_suspension(void **state) {
    (void)state;
    worker *w = worker_new(AKT_REENTRANCY_DEFAULT);
    akt_behavior b = {.size = sizeof b, .receive_batch = batch_receive, .pre_start = worker_start};
    b.receive = worker_receive;
    akt_pid pid = worker_spawn(w, AKT_REENTRANCY_DEFAULT, &b);
    TU_OK(akt_tell(sys, pid, tu_msg("m0", NULL)));
    akt_future *f = ask_work(pid);
    TU_OK(akt_tell(sys, pid, tu_msg("m1", NULL)));
    akt_suspension s = held(w, 1);
    tu_sleep_ms(20);
    assert_string_equal(tu_log_str(&w->log), "m0 work");
    reply_from_step(w, s, f);
    TU_EVENTUALLY(tu_log_count(&w->log) == 4);
    assert_string_equal(tu_log_str(&w->log), "m0 work step:reply m1");
}

static void test_bad_input(void **state) {
    (void)state;
    akt_suspension s = {{0}, 0};
    static step st;
    TU_RC(AKT_EINVAL, akt_ctx_suspend(NULL, 0, &s));
    TU_RC(AKT_EMISUSE, akt_ctx_suspend((akt_ctx *)&s, 0, &s));
    TU_RC(AKT_EINVAL, akt_suspension_post(NULL, s, step_run, NULL, &st));
    TU_RC(AKT_EINVAL, akt_suspension_post(sys, s, step_run, NULL, &st)); /* id 0 */
    s.id = 1;
    TU_RC(AKT_EINVAL, akt_suspension_post(sys, s, NULL, NULL, &st));
    s.actor.id = 0xdeadbeefULL << 20;
    TU_RC(AKT_ENOTFOUND, akt_suspension_post(sys, s, step_run, NULL, &st));
    worker *w = worker_new(AKT_REENTRANCY_DEFAULT);
    akt_pid pid = worker_spawn(w, AKT_REENTRANCY_DEFAULT, NULL);
    akt_msg *r = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("bad", NULL), &r)); /* bad arguments inside receive */
    akt_msg_release(r);
    /* A suspension that names nothing (never issued by this actor) drops its step. */
    s.actor = pid;
    s.id = UINT64_MAX;
    st.w = w;
    TU_OK(akt_suspension_post(sys, s, step_run, step_drop, &st));
    TU_EVENTUALLY(atomic_load(&w->drops) == 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        AS_TEST(test_held_message_keeps_order),
        AS_TEST(test_allow_all_lets_the_next_start),
        AS_TEST(test_step_suspends_again),
        AS_TEST(test_request_from_a_step),
        AS_TEST(test_failing_step_restarts),
        AS_TEST(test_restart_ends_suspensions),
        AS_TEST(test_stop_ends_suspensions),
        AS_TEST(test_graceful_stop_waits_for_the_held_message),
        AS_TEST(test_shutdown_drops_steps),
        AS_TEST(test_batch_suspension),
        AS_TEST(test_bad_input),
    };
    return cmocka_run_group_tests_name("async", tests, NULL, NULL);
}
