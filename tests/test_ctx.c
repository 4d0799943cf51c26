/* test_ctx: the context handle of a callback: a kept one is refused (AKT_EMISUSE) however
 * many callbacks later and on whichever thread it comes back; the current message
 * (akt_ctx_message); the implicit sender of akt_tell/akt_tell_batch inside callbacks;
 * which dispatcher a pid runs on (akt_pid_runs_on). */
#include "tu.h"

#include <string.h>

/* ---- a kept context never passes as a later one ------------------------------------ */

#define KEPT 40 /* well past any per-worker reuse of context storage */

typedef struct keeper {
    akt_ctx *kept[KEPT];
    int n;
    atomic_int checked; /* stale handles refused so far */
} keeper;

/* Every callback first offers all the handles of the earlier callbacks (all of them on this
 * actor's one thread), then keeps its own. */
static void check_and_keep(keeper *k, akt_ctx *ctx) {
    for (int i = 0; i < k->n; i++) {
        akt_pid pid = {12345};
        int rc = akt_ctx_self(k->kept[i], &pid);
        if (rc != AKT_EMISUSE)
            tu_cb_fail(__FILE__, __LINE__, "the handle of callback %d accepted in callback %d: %s",
                       i, k->n, akt_err_name(rc));
        TU_CB_CHECK(pid.id == 12345);
        atomic_fetch_add(&k->checked, 1);
    }
    if (k->n < KEPT) k->kept[k->n++] = ctx;
}

static int keeper_pre_start(akt_ctx *ctx, void *state) {
    check_and_keep(state, ctx);
    return 0;
}

static int keeper_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    check_and_keep(state, ctx);
    return tu_reply(ctx, "ok", NULL);
}

static akt_behavior keeper_behavior(void) {
    akt_behavior b = tu_behavior(keeper_receive);
    b.pre_start = keeper_pre_start;
    return b;
}

static void test_kept_ctx_refused_on_worker(void **state) {
    (void)state;
    /* One worker: every callback runs on the same thread, as the worker's contexts cycle. */
    akt_system *sys = tu_system("ctx", 1);
    static keeper k;
    memset(&k, 0, sizeof k);
    akt_behavior b = keeper_behavior();
    akt_pid pid = tu_spawn(sys, &b, &k, "keeper");
    for (int i = 0; i < KEPT - 1; i++) TU_OK(tu_ask(sys, pid, tu_msg("m", NULL), NULL));
    assert_int_equal(k.n, KEPT);
    assert_int_equal(atomic_load(&k.checked), KEPT * (KEPT - 1) / 2);
    tu_system_end(sys);
}

static void on_notify(void *data) { (void)data; }

static void run_until_idle(akt_dispatcher *d) {
    int rc;
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while ((rc = akt_dispatcher_run(d, 100, NULL)) == AKT_EAGAIN)
        if (tu_now_ns() > dl) fail_msg("the dispatcher did not become idle");
    TU_OK(rc);
}

static void test_kept_ctx_refused_on_external_dispatcher(void **state) {
    (void)state;
    /* The callbacks run on this thread, inside akt_dispatcher_run. */
    akt_system *sys = tu_system("ctx", 1);
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d));
    static keeper k;
    memset(&k, 0, sizeof k);
    akt_behavior b = keeper_behavior();
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dispatcher = d;
    akt_pid pid;
    TU_OK(akt_spawn(sys, &b, &k, &o, &pid));
    for (int i = 0; i < KEPT - 1; i++) {
        TU_OK(akt_tell(sys, pid, tu_msg("m", NULL)));
        run_until_idle(d); /* one callback per run */
    }
    assert_int_equal(k.n, KEPT);
    assert_int_equal(atomic_load(&k.checked), KEPT * (KEPT - 1) / 2);
    /* And outside any callback, on the thread that ran them all. */
    for (int i = 0; i < KEPT; i++) {
        akt_pid self;
        TU_RC(AKT_EMISUSE, akt_ctx_self(k.kept[i], &self));
    }
    tu_system_end_running(sys, d);
}

/* A handle of one thread's callback, offered inside a callback on another thread. */
static akt_ctx *_Atomic foreign_ctx;

static int foreign_keep_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    (void)state;
    atomic_store(&foreign_ctx, ctx);
    return tu_reply(ctx, "ok", NULL);
}

static int foreign_use_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    (void)state;
    akt_pid self;
    TU_CB_RC(0, akt_ctx_self(ctx, &self));
    TU_CB_RC(AKT_EMISUSE, akt_ctx_self(atomic_load(&foreign_ctx), &self));
    return tu_reply(ctx, "ok", NULL);
}

static void test_ctx_of_another_thread_refused(void **state) {
    (void)state;
    akt_system *sys = tu_system("ctx", 1);
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d));
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dispatcher = d;
    akt_behavior keep = tu_behavior(foreign_keep_receive);
    akt_behavior use = tu_behavior(foreign_use_receive);
    akt_pid on_ext, on_worker = tu_spawn(sys, &use, NULL, "user");
    TU_OK(akt_spawn(sys, &keep, NULL, &o, &on_ext));
    for (int i = 0; i < 20; i++) { /* both threads go through many contexts meanwhile */
        akt_future *f;
        TU_OK(akt_ask(sys, on_ext, tu_msg("keep", NULL), TU_DEADLINE_NS, &f));
        run_until_idle(d);
        TU_OK(tu_wait(f, NULL));
        TU_OK(akt_future_release(f));
        TU_OK(tu_ask(sys, on_worker, tu_msg("use", NULL), NULL));
    }
    tu_system_end_running(sys, d);
}

/* ---- akt_ctx_message ------------------------------------------------------------------ */

static atomic_int message_checks;

static int message_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    akt_msg *cur = NULL;
    TU_CB_RC(0, akt_ctx_message(ctx, &cur));
    TU_CB_CHECK(cur == msg);
    atomic_fetch_add(&message_checks, 1);
    return tu_reply(ctx, "ok", NULL);
}

static void message_post_stop(akt_ctx *ctx, void *state) {
    (void)state;
    akt_msg *cur = (akt_msg *)0x1;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_message(ctx, &cur));
    TU_CB_CHECK(cur == (akt_msg *)0x1);
    atomic_fetch_add(&message_checks, 1);
}

static int message_batch(akt_ctx *ctx, void *state) {
    (void)state;
    akt_msg *cur = (akt_msg *)0x1, *m;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_message(ctx, &cur)); /* nothing pulled yet */
    TU_CB_CHECK(cur == (akt_msg *)0x1);
    int rc;
    while ((rc = akt_ctx_next(ctx, &m)) == 0) {
        TU_CB_RC(0, akt_ctx_message(ctx, &cur));
        TU_CB_CHECK(cur == m);
        atomic_fetch_add(&message_checks, 1);
        TU_CB_RC(0, tu_reply(ctx, "ok", NULL));
    }
    TU_CB_RC(AKT_EAGAIN, rc);
    cur = (akt_msg *)0x1;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_message(ctx, &cur)); /* the run is over */
    TU_CB_CHECK(cur == (akt_msg *)0x1);
    return 0;
}

static void test_ctx_message(void **state) {
    (void)state;
    atomic_store(&message_checks, 0);
    akt_system *sys = tu_system("ctx", 2);
    akt_behavior b = tu_behavior(message_receive);
    b.post_stop = message_post_stop;
    akt_pid one = tu_spawn(sys, &b, NULL, "one");
    b.receive_batch = message_batch;
    akt_pid many = tu_spawn(sys, &b, NULL, "many");
    for (int i = 0; i < 10; i++) {
        TU_OK(tu_ask(sys, one, tu_msg("m", NULL), NULL));
        TU_OK(tu_ask(sys, many, tu_msg("m", NULL), NULL));
    }
    tu_stop_wait(sys, one);
    tu_stop_wait(sys, many);
    assert_int_equal(atomic_load(&message_checks), 10 + 1 + 10 + 1);
    tu_system_end(sys);
}

/* ---- the implicit sender of akt_tell and akt_tell_batch ------------------------------- */

/* Answers every "ping" to its sender (if it has one) and records who sent it. */
typedef struct echo {
    atomic_int pings;
    atomic_uint_least64_t last_sender;
} echo;

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    echo *e = state;
    if (!tu_is(msg, "ping")) return tu_reply(ctx, "ok", NULL);
    akt_pid from = {99};
    TU_CB_RC(0, akt_ctx_sender(ctx, &from));
    atomic_store(&e->last_sender, from.id);
    atomic_fetch_add(&e->pings, 1);
    if (from.id) TU_CB_RC(0, tu_reply(ctx, "pong", NULL));
    return 0;
}

typedef struct pinger {
    akt_system *sys; /* the system whose akt_tell it calls */
    akt_pid echo;
    atomic_int pongs;
    atomic_int bad_pongs;
} pinger;

static void ping(pinger *p, int batch) {
    if (!batch) {
        akt_msg *m = tu_msg("ping", NULL);
        TU_CB_RC(0, akt_tell(p->sys, p->echo, m));
        return;
    }
    akt_msg *ms[2] = {tu_msg("ping", NULL), tu_msg("ping", NULL)};
    TU_CB_RC(0, akt_tell_batch(p->sys, p->echo, ms, 2));
}

static int pinger_pre_start(akt_ctx *ctx, void *state) {
    (void)ctx;
    ping(state, 0);
    return 0;
}

static int pinger_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    pinger *p = state;
    if (tu_is(msg, "pong")) {
        akt_pid from;
        TU_CB_RC(0, akt_ctx_sender(ctx, &from));
        if (from.id == p->echo.id)
            atomic_fetch_add(&p->pongs, 1);
        else
            atomic_fetch_add(&p->bad_pongs, 1);
        return 0;
    }
    if (tu_is(msg, "tell")) ping(p, 0);
    if (tu_is(msg, "batch")) ping(p, 1);
    return tu_reply(ctx, "ok", NULL);
}

static void test_tell_inside_callback_has_implicit_sender(void **state) {
    (void)state;
    akt_system *sys = tu_system("ctx", 2);
    static echo e;
    memset(&e, 0, sizeof e);
    akt_behavior eb = tu_behavior(echo_receive);
    akt_pid ep = tu_spawn(sys, &eb, &e, "echo");
    static pinger p;
    memset(&p, 0, sizeof p);
    p.sys = sys;
    p.echo = ep;
    akt_behavior pb = tu_behavior(pinger_receive);
    pb.pre_start = pinger_pre_start; /* one ping from pre_start */
    akt_pid pp = tu_spawn(sys, &pb, &p, "pinger");
    TU_OK(tu_ask(sys, pp, tu_msg("tell", NULL), NULL));  /* one from receive */
    TU_OK(tu_ask(sys, pp, tu_msg("batch", NULL), NULL)); /* two from one batch */
    TU_EVENTUALLY(atomic_load(&p.pongs) == 4);
    assert_int_equal(atomic_load(&p.bad_pongs), 0);
    assert_int_equal(atomic_load(&e.last_sender), pp.id);

    /* From this thread (no callback): no sender, so no answer either. */
    TU_OK(akt_tell(sys, ep, tu_msg("ping", NULL)));
    akt_msg *ms[1] = {tu_msg("ping", NULL)};
    TU_OK(akt_tell_batch(sys, ep, ms, 1));
    TU_OK(tu_ask(sys, ep, tu_msg("sync", NULL), NULL));
    assert_int_equal(atomic_load(&e.pings), 6);
    assert_int_equal(atomic_load(&e.last_sender), 0);
    assert_int_equal(atomic_load(&p.pongs), 4);
    tu_system_end(sys);
}

static void test_tell_into_another_system_has_no_sender(void **state) {
    (void)state;
    akt_system *sys = tu_system("ctx", 1), *other = tu_system("ctx2", 1);
    static echo e;
    memset(&e, 0, sizeof e);
    akt_behavior eb = tu_behavior(echo_receive);
    akt_pid ep = tu_spawn(sys, &eb, &e, "echo");
    static pinger p; /* an actor of `other` telling an actor of `sys` */
    memset(&p, 0, sizeof p);
    p.sys = sys;
    p.echo = ep;
    akt_behavior pb = tu_behavior(pinger_receive);
    akt_pid pp = tu_spawn(other, &pb, &p, "pinger");
    TU_OK(tu_ask(other, pp, tu_msg("tell", NULL), NULL));
    TU_OK(tu_ask(other, pp, tu_msg("batch", NULL), NULL));
    TU_EVENTUALLY(atomic_load(&e.pings) == 3);
    TU_OK(tu_ask(sys, ep, tu_msg("sync", NULL), NULL));
    assert_int_equal(atomic_load(&e.last_sender), 0);
    TU_OK(tu_ask(other, pp, tu_msg("sync", NULL), NULL));
    assert_int_equal(atomic_load(&p.pongs) + atomic_load(&p.bad_pongs), 0);
    tu_system_end(other);
    tu_system_end(sys);
}

/* ---- akt_pid_runs_on -------------------------------------------------------------------- */

static int plain_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    (void)state;
    return tu_reply(ctx, "ok", NULL);
}

static int runs_on(akt_system *sys, akt_pid pid, akt_dispatcher *d) {
    int on = -1;
    TU_OK(akt_pid_runs_on(sys, pid, d, &on));
    assert_true(on == 0 || on == 1);
    return on;
}

static void test_pid_runs_on(void **state) {
    (void)state;
    akt_system *sys = tu_system("ctx", 1);
    akt_dispatcher *d1 = NULL, *d2 = NULL;
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d1));
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d2));
    akt_behavior b = tu_behavior(plain_receive);
    akt_pid w = tu_spawn(sys, &b, NULL, "w");
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dispatcher = d1;
    akt_pid e1;
    TU_OK(akt_spawn(sys, &b, NULL, &o, &e1));
    assert_int_equal(runs_on(sys, w, NULL), 1);
    assert_int_equal(runs_on(sys, w, d1), 0);
    assert_int_equal(runs_on(sys, w, d2), 0);
    assert_int_equal(runs_on(sys, e1, NULL), 0);
    assert_int_equal(runs_on(sys, e1, d1), 1);
    assert_int_equal(runs_on(sys, e1, d2), 0);
    /* Before its pre_start ran and after many messages alike: it never moves. */
    for (int i = 0; i < 5; i++) {
        akt_future *f;
        TU_OK(akt_ask(sys, e1, tu_msg("m", NULL), TU_DEADLINE_NS, &f));
        run_until_idle(d1);
        TU_OK(tu_wait(f, NULL));
        TU_OK(akt_future_release(f));
        assert_int_equal(runs_on(sys, e1, d1), 1);
    }
    /* Dead: the answer is gone. */
    tu_stop_wait(sys, w);
    int on = 5;
    TU_RC(AKT_ENOTFOUND, akt_pid_runs_on(sys, w, NULL, &on));
    TU_OK(akt_stop(sys, e1));
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (akt_pid_is_alive(sys, e1)) {
        akt_dispatcher_run(d1, 100, NULL);
        if (tu_now_ns() > dl) fail_msg("the actor on d1 did not stop");
    }
    TU_RC(AKT_ENOTFOUND, akt_pid_runs_on(sys, e1, d1, &on));
    assert_int_equal(on, 5);
    tu_system_end_running(sys, d1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_kept_ctx_refused_on_worker),
        TU_TEST(test_kept_ctx_refused_on_external_dispatcher),
        TU_TEST(test_ctx_of_another_thread_refused),
        TU_TEST(test_ctx_message),
        TU_TEST(test_tell_inside_callback_has_implicit_sender),
        TU_TEST(test_tell_into_another_system_has_no_sender),
        TU_TEST(test_pid_runs_on),
    };
    return cmocka_run_group_tests_name("ctx", tests, NULL, NULL);
}
