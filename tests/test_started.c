/* test_started: akt_spawn from outside akt returns after pre_start, so the children that
 * pre_start spawned are visible to akt_lookup at once; akt_await_started for the rest. */
#include "tu.h"

#include <string.h>

static akt_system *sys;

static int s_setup(void **state) {
    sys = tu_system("started", 1);
    return tu_setup(state);
}

static int s_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define S_TEST(f) cmocka_unit_test_setup_teardown(f, s_setup, s_teardown)

static int quiet_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    return 0;
}

static atomic_int pre_start_done;

/* Slow on purpose: a spawn that did not wait would return long before it ends. */
static int parent_pre_start(akt_ctx *ctx, void *state) {
    (void)state;
    tu_sleep_ms(50);
    akt_behavior b = tu_behavior(quiet_receive);
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.name = "child";
    akt_pid kid;
    TU_CB_RC(0, akt_ctx_spawn(ctx, &b, NULL, &o, &kid));
    atomic_store(&pre_start_done, 1);
    return 0;
}

static void test_spawn_returns_after_pre_start(void **state) {
    (void)state;
    atomic_store(&pre_start_done, 0);
    akt_behavior b = tu_behavior(quiet_receive);
    b.pre_start = parent_pre_start;
    akt_pid parent = tu_spawn(sys, &b, NULL, "parent");
    assert_int_equal(atomic_load(&pre_start_done), 1);
    akt_pid kid = {0};
    TU_OK(akt_lookup(sys, "/user/parent/child", &kid));
    assert_true(kid.id != 0);
    TU_OK(akt_await_started(sys, parent, 0)); /* already past its start */
}

static int failing_pre_start(akt_ctx *ctx, void *state) {
    (void)ctx, (void)state;
    return AKT_EFAILED;
}

static void test_failed_pre_start_still_returns(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(quiet_receive);
    b.pre_start = failing_pre_start;
    akt_pid pid = tu_spawn(sys, &b, NULL, "fails");
    TU_OK(akt_await_started(sys, pid, TU_DEADLINE_NS));
    akt_pid found = {0};
    TU_EVENTUALLY(akt_lookup(sys, "/user/fails", &found) == AKT_ENOTFOUND);
}

static tu_gate hold;

static int held_pre_start(akt_ctx *ctx, void *state) {
    (void)ctx, (void)state;
    tu_gate_wait(&hold);
    return 0;
}

static atomic_int child_spawn_rc;
static akt_pid _Atomic spawned_inside;

/* Inside a callback, akt_spawn cannot wait (with one worker its start would need this
 * very thread): it returns at once, and await with a timeout is refused. */
static int spawning_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg, (void)state;
    akt_behavior b = tu_behavior(quiet_receive);
    b.pre_start = held_pre_start;
    akt_pid pid = {0};
    int rc = akt_spawn(sys, &b, NULL, NULL, &pid);
    atomic_store(&child_spawn_rc, rc);
    atomic_store(&spawned_inside, pid);
    TU_CB_RC(AKT_ETIMEDOUT, akt_await_started(sys, pid, 0));
    TU_CB_RC(AKT_EMISUSE, akt_await_started(sys, pid, TU_MS(10)));
    return tu_reply(ctx, "ok", NULL);
}

static void test_inside_a_callback_spawn_does_not_wait(void **state) {
    (void)state;
    tu_gate_init(&hold);
    akt_pid p = tu_spawn(sys,
                         &(akt_behavior){.size = sizeof(akt_behavior), .receive = spawning_receive},
                         NULL, "spawner");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, p, tu_msg("go", NULL), &reply));
    akt_msg_release(reply);
    TU_OK(atomic_load(&child_spawn_rc));
    akt_pid pid = atomic_load(&spawned_inside);
    TU_RC(AKT_ETIMEDOUT, akt_await_started(sys, pid, TU_MS(20)));
    tu_gate_open(&hold);
    TU_OK(akt_await_started(sys, pid, TU_DEADLINE_NS));
    tu_gate_destroy(&hold);
}

static void test_await_started_bad_input(void **state) {
    (void)state;
    TU_RC(AKT_EINVAL, akt_await_started(NULL, (akt_pid){1}, 0));
    TU_RC(AKT_EINVAL, akt_await_started(sys, (akt_pid){0}, 0));
    /* A pid that names no live actor has nothing left to start. */
    akt_pid pid = tu_spawn(
        sys, &(akt_behavior){.size = sizeof(akt_behavior), .receive = quiet_receive}, NULL, NULL);
    TU_OK(akt_stop(sys, pid));
    TU_OK(akt_await_started(sys, pid, TU_MS(10)));
}

static void on_notify(void *data) { (void)data; }

static atomic_int ext_pre_start_runs;
static pthread_t _Atomic ext_pre_start_thread;

static int ext_pre_start(akt_ctx *ctx, void *state) {
    (void)ctx, (void)state;
    atomic_store(&ext_pre_start_thread, pthread_self());
    atomic_fetch_add(&ext_pre_start_runs, 1);
    return 0;
}

typedef struct other_spawn {
    akt_dispatcher *d;
    akt_pid pid;
    int rc;
} other_spawn;

static void *spawn_elsewhere(void *arg) {
    other_spawn *o = arg;
    akt_behavior b = tu_behavior(quiet_receive);
    b.pre_start = ext_pre_start;
    akt_spawn_options opts;
    akt_spawn_options_init(&opts);
    opts.dispatcher = o->d;
    o->rc = akt_spawn(sys, &b, NULL, &opts, &o->pid);
    return NULL;
}

/* On the thread that runs an external dispatcher, pre_start runs within akt_spawn; from
 * another thread the spawn returns at once and the start waits for a run. */
static void test_external_dispatcher_starts_on_its_thread(void **state) {
    (void)state;
    akt_system *own = tu_system("started-ext", 1);
    akt_system *keep = sys;
    sys = own;
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(own, on_notify, NULL, &d));
    TU_OK(akt_dispatcher_run(d, 1, NULL)); /* this thread runs d from now on */
    atomic_store(&ext_pre_start_runs, 0);
    akt_behavior b = tu_behavior(quiet_receive);
    b.pre_start = ext_pre_start;
    akt_spawn_options opts;
    akt_spawn_options_init(&opts);
    opts.dispatcher = d;
    akt_pid here;
    TU_OK(akt_spawn(own, &b, NULL, &opts, &here));
    assert_int_equal(atomic_load(&ext_pre_start_runs), 1);
    assert_true(pthread_equal(atomic_load(&ext_pre_start_thread), pthread_self()));
    TU_OK(akt_await_started(own, here, 0));

    static other_spawn o;
    o = (other_spawn){d, {0}, -1};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, spawn_elsewhere, &o), 0);
    pthread_join(t, NULL);
    TU_OK(o.rc);
    assert_int_equal(atomic_load(&ext_pre_start_runs), 1);
    TU_RC(AKT_ETIMEDOUT, akt_await_started(own, o.pid, 0));
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (akt_await_started(own, o.pid, 0) == AKT_ETIMEDOUT) {
        assert_true(tu_now_ns() < dl);
        akt_dispatcher_run(d, 100, NULL);
    }
    assert_int_equal(atomic_load(&ext_pre_start_runs), 2);
    assert_true(pthread_equal(atomic_load(&ext_pre_start_thread), pthread_self()));
    sys = keep;
    tu_system_end_running(own, d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        S_TEST(test_spawn_returns_after_pre_start),
        S_TEST(test_failed_pre_start_still_returns),
        S_TEST(test_inside_a_callback_spawn_does_not_wait),
        S_TEST(test_await_started_bad_input),
        S_TEST(test_external_dispatcher_starts_on_its_thread),
    };
    return cmocka_run_group_tests_name("started", tests, NULL, NULL);
}
