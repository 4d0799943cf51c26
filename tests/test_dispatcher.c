/* test_dispatcher: external dispatchers: notify, akt_dispatcher_run's budget, which thread
 * runs the actors, concurrent runs, and the deadlock guard. */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <string.h>

static akt_system *sys;
static akt_dispatcher *disp;
static atomic_int notified;
static pthread_t test_thread;

static void on_notify(void *data) {
    TU_CB_CHECK(data == &notified);
    atomic_fetch_add(&notified, 1);
}

static int dp_setup(void **state) {
    atomic_store(&notified, 0);
    test_thread = pthread_self();
    sys = tu_system("disp", 2);
    disp = NULL;
    TU_OK(akt_dispatcher_create_external(sys, on_notify, &notified, &disp));
    assert_non_null(disp);
    return tu_setup(state);
}

static int dp_teardown(void **state) {
    tu_system_end_running(sys, disp);
    sys = NULL;
    disp = NULL;
    return tu_teardown(state);
}
#define DP_TEST(f) cmocka_unit_test_setup_teardown(f, dp_setup, dp_teardown)

typedef struct ext_actor {
    atomic_int started, received, wrong_thread;
    atomic_int busy_rc, deadlk_rc;
    akt_pid peer;
} ext_actor;

static void check_thread(ext_actor *a) {
    if (!pthread_equal(pthread_self(), test_thread)) atomic_fetch_add(&a->wrong_thread, 1);
}

static void *run_elsewhere(void *arg) {
    int *rc = arg;
    size_t processed = 99;
    *rc = akt_dispatcher_run(disp, 10, &processed);
    return NULL;
}

static int ext_pre_start(akt_ctx *ctx, void *state) {
    ext_actor *a = state;
    check_thread(a);
    atomic_fetch_add(&a->started, 1);
    return 0;
}

static int ext_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    ext_actor *a = state;
    check_thread(a);
    if (tu_is(msg, "hold")) {
        /* While this run is in progress, another thread tries to run the dispatcher. */
        pthread_t th;
        int rc = 1;
        TU_CB_CHECK(pthread_create(&th, NULL, run_elsewhere, &rc) == 0);
        pthread_join(th, NULL);
        atomic_store(&a->busy_rc, rc);
        return 0;
    }
    if (tu_is(msg, "ask-peer")) {
        /* The peer runs on this same external dispatcher, i.e. only on this thread. */
        akt_future *f = NULL;
        akt_msg *reply = NULL;
        int64_t t0 = tu_now_ns();
        int rc = akt_ctx_ask(ctx, a->peer, tu_msg("echo", NULL), TU_SEC(5), &f);
        if (rc == 0) rc = akt_future_wait(f, TU_SEC(5), &reply);
        TU_CB_CHECK(tu_now_ns() - t0 < TU_SEC(2));
        if (reply) akt_msg_release(reply);
        if (f) akt_future_release(f);
        atomic_store(&a->deadlk_rc, rc);
        return 0;
    }
    if (tu_is(msg, "relay")) { /* (a worker actor) tells the peer */
        TU_CB_RC(0, akt_ctx_tell(ctx, a->peer, tu_msg("hi", NULL)));
        return 0;
    }
    atomic_fetch_add(&a->received, 1);
    if (tu_is(msg, "echo")) return tu_reply(ctx, "echo", NULL);
    return 0;
}

static akt_pid spawn_on(akt_dispatcher *d, ext_actor *a) {
    akt_behavior b = tu_behavior(ext_receive);
    b.pre_start = ext_pre_start;
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dispatcher = d;
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, &b, a, &o, &pid));
    return pid;
}

/* Runs the dispatcher until it reports no work left; returns the messages handled. */
static size_t drain(void) {
    size_t total = 0;
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    for (;;) {
        size_t p = 0;
        int rc = akt_dispatcher_run(disp, 1000, &p);
        total += p;
        if (rc == 0) return total;
        if (rc != AKT_EAGAIN) fail_msg("akt_dispatcher_run: %s", akt_err_name(rc));
        if (tu_now_ns() > dl) fail_msg("the dispatcher never ran out of work");
    }
}

static void test_actors_run_only_inside_run(void **state) {
    (void)state;
    static ext_actor a;
    akt_pid pid = spawn_on(disp, &a);
    for (int i = 0; i < 10; i++) TU_OK(akt_tell(sys, pid, tu_msg("m", NULL)));
    /* Nothing may happen by itself. A negative can only be sampled: give the workers
     * time to misbehave if they would. */
    tu_sleep_ms(50);
    assert_int_equal(atomic_load(&a.started), 0);
    assert_int_equal(atomic_load(&a.received), 0);
    assert_true(atomic_load(&notified) >= 1);
    drain();
    assert_int_equal(atomic_load(&a.started), 1);
    assert_int_equal(atomic_load(&a.received), 10);
    assert_int_equal(atomic_load(&a.wrong_thread), 0);
}

static void test_notify_is_not_per_message(void **state) {
    (void)state;
    static ext_actor a;
    akt_pid pid = spawn_on(disp, &a);
    drain(); /* pre_start */
    int before = atomic_load(&notified);
    const int N = 10000;
    for (int i = 0; i < N; i++) TU_OK(akt_tell(sys, pid, tu_msg("m", NULL)));
    int notes = atomic_load(&notified) - before;
    assert_true(notes >= 1);
    if (notes > N / 100) fail_msg("%d notifications for %d messages", notes, N);
    assert_int_equal(drain(), (size_t)N);
    assert_int_equal(atomic_load(&a.received), N);
    assert_int_equal(atomic_load(&a.wrong_thread), 0);
}

static void test_run_budget(void **state) {
    (void)state;
    static ext_actor a;
    akt_pid pid = spawn_on(disp, &a);
    drain();
    size_t p = 77;
    TU_OK(akt_dispatcher_run(disp, 10, &p)); /* idle */
    assert_int_equal(p, 0);
    TU_OK(akt_dispatcher_run(disp, 10, NULL)); /* processed is optional */
    TU_RC(AKT_EINVAL, akt_dispatcher_run(disp, 0, &p));
    for (int i = 0; i < 1000; i++) TU_OK(akt_tell(sys, pid, tu_msg("m", NULL)));
    size_t total = 0;
    int rounds = 0;
    for (;;) {
        p = 0;
        int rc = akt_dispatcher_run(disp, 100, &p);
        assert_true(p <= 100);
        total += p;
        assert_int_equal(atomic_load(&a.received), (int)total);
        rounds++;
        if (rc == 0) break;
        TU_RC(AKT_EAGAIN, rc);
        assert_true(p > 0);
        assert_true(rounds < 1000);
    }
    assert_int_equal(total, 1000);
    assert_true(rounds >= 10); /* the budget was respected */
}

static void test_concurrent_run_is_ebusy(void **state) {
    (void)state;
    static ext_actor a;
    atomic_store(&a.busy_rc, 1);
    akt_pid pid = spawn_on(disp, &a);
    TU_OK(akt_tell(sys, pid, tu_msg("hold", NULL)));
    drain();
    assert_int_equal(atomic_load(&a.busy_rc), AKT_EBUSY);
}

static void test_wait_on_own_dispatcher_is_edeadlk(void **state) {
    (void)state;
    static ext_actor a, b;
    atomic_store(&a.deadlk_rc, 1);
    akt_pid bp = spawn_on(disp, &b);
    a.peer = bp;
    akt_pid ap = spawn_on(disp, &a);
    TU_OK(akt_tell(sys, ap, tu_msg("ask-peer", NULL)));
    drain();
    assert_int_equal(atomic_load(&a.deadlk_rc), AKT_EDEADLK);
    assert_int_equal(atomic_load(&b.received), 1); /* the ask itself was still delivered */
}

static void test_worker_actor_tells_external_actor(void **state) {
    (void)state;
    static ext_actor e, w;
    akt_pid ep = spawn_on(disp, &e);
    drain();
    w.peer = ep;
    akt_behavior b = tu_behavior(ext_receive);
    akt_pid wp = tu_spawn(sys, &b, &w, NULL); /* on the workers */
    int before = atomic_load(&notified);
    TU_OK(akt_tell(sys, wp, tu_msg("relay", NULL)));
    /* The worker's tell makes work for us: we are told so. */
    TU_EVENTUALLY(atomic_load(&notified) > before);
    TU_EVENTUALLY((drain(), atomic_load(&e.received) == 1));
    assert_int_equal(atomic_load(&e.wrong_thread), 0);
}

static void test_ask_external_actor_from_outside(void **state) {
    (void)state;
    static ext_actor e;
    akt_pid ep = spawn_on(disp, &e);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, ep, tu_msg("echo", NULL), TU_DEADLINE_NS, &f));
    akt_msg *reply = (akt_msg *)0x1;
    TU_RC(AKT_EAGAIN, akt_future_wait(f, 0, &reply));
    drain();
    TU_OK(akt_future_wait(f, 0, &reply));
    assert_true(tu_is(reply, "echo"));
    akt_msg_release(reply);
    TU_OK(akt_future_release(f));
}

static void test_dispatcher_of_another_system(void **state) {
    (void)state;
    akt_system *other = tu_system("other", 1);
    static ext_actor a;
    akt_behavior b = tu_behavior(ext_receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dispatcher = disp; /* belongs to sys, not to other */
    akt_pid pid = {0};
    TU_RC(AKT_EINVAL, akt_spawn(other, &b, &a, &o, &pid));
    tu_system_end(other);
}

/* The runner of an external dispatcher may wait without a limit once every actor stopped:
 * the shutdown callback (which a binding uses to learn of the end) comes before the reaper's
 * last steps, and a wait made from it must not be refused as waiting for itself. The reaper's
 * thread-stop hook (index -2) holds those steps for 200 ms, so the wait always lands in that
 * gap: before the fix it was AKT_EDEADLK every time. */
static atomic_int ended;

static void on_end(akt_system *s, void *data) {
    (void)s;
    (void)data;
    atomic_store(&ended, 1);
}

static void slow_reaper_stop(void *data, int index) {
    (void)data;
    if (index == -2) {
        struct timespec d = {0, 200 * 1000000L};
        nanosleep(&d, NULL);
    }
}

static void test_runner_waits_once_actors_stopped(void **state) {
    (void)state;
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = "late";
    o.workers = 1;
    o.thread_stop = slow_reaper_stop;
    akt_system *s = NULL;
    TU_OK(akt_system_create(&o, &s));
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(s, on_notify, &notified, &d));
    static ext_actor a;
    akt_behavior b = tu_behavior(ext_receive);
    akt_spawn_options so;
    TU_OK(akt_spawn_options_init(&so));
    so.dispatcher = d;
    akt_pid pid;
    TU_OK(akt_spawn(s, &b, &a, &so, &pid));
    atomic_store(&ended, 0);
    TU_OK(akt_system_shutdown(s, on_end, NULL));
    /* Bounded: the runner runs its actors until the callback says every one stopped. */
    for (int i = 0; i < 10000 && !atomic_load(&ended); i++) {
        akt_dispatcher_run(d, 64, NULL);
        struct timespec t = {0, 1000000L};
        nanosleep(&t, NULL);
    }
    assert_true(atomic_load(&ended));
    TU_OK(akt_system_wait(s, -1)); /* was AKT_EDEADLK: the reaper had not set done yet */
    akt_system_release(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        DP_TEST(test_actors_run_only_inside_run),
        DP_TEST(test_notify_is_not_per_message),
        DP_TEST(test_run_budget),
        DP_TEST(test_concurrent_run_is_ebusy),
        DP_TEST(test_wait_on_own_dispatcher_is_edeadlk),
        DP_TEST(test_worker_actor_tells_external_actor),
        DP_TEST(test_ask_external_actor_from_outside),
        DP_TEST(test_dispatcher_of_another_system),
        DP_TEST(test_runner_waits_once_actors_stopped),
    };
    return cmocka_run_group_tests_name("dispatcher", tests, NULL, NULL);
}
