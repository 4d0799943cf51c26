/* test_release: release on the owner's thread (akt_object_ops.release_on). The last release
 * of such an object on any thread but the one running its external dispatcher waits for
 * that dispatcher's next akt_dispatcher_run and runs there, before the actors; notify says
 * so; shutdown and the final release of the system run whatever is still queued, as akt.h
 * documents; old callers' smaller ops keep the old rule. */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <stdlib.h>
#include <string.h>

static akt_system *sys;
static akt_dispatcher *disp;
static atomic_int notified;
static pthread_t owner; /* the thread that must run the releases: the test thread */

/* What the release callbacks saw. An object is an index + 1 into counts. */
#define REL_MAX 8192
static atomic_int counts[REL_MAX];
static atomic_int released;    /* release calls */
static atomic_int off_owner;   /* release calls on another thread than owner */
static atomic_int bytes_freed; /* free_fn calls for bytes made by to_bytes */
static atomic_int bytes_off_owner;
static _Atomic(pthread_t) last_releaser;

static void on_notify(void *data) {
    TU_CB_CHECK(data == &notified);
    atomic_fetch_add(&notified, 1);
}

static void obj_release(void *object, void *ops_data) {
    TU_CB_CHECK(ops_data == &counts);
    size_t i = (size_t)(uintptr_t)object - 1;
    TU_CB_CHECK(i < REL_MAX);
    if (i < REL_MAX) atomic_fetch_add(&counts[i], 1);
    if (!pthread_equal(pthread_self(), owner)) atomic_fetch_add(&off_owner, 1);
    atomic_store(&last_releaser, pthread_self());
    atomic_fetch_add(&released, 1);
}

static void bytes_free(void *p) {
    if (!pthread_equal(pthread_self(), owner)) atomic_fetch_add(&bytes_off_owner, 1);
    atomic_fetch_add(&bytes_freed, 1);
    free(p);
}

static int obj_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                        akt_free_fn *free_fn) {
    (void)object;
    (void)ops_data;
    char *b = malloc(2);
    if (!b) return AKT_ENOMEM;
    memcpy(b, "ok", 2);
    *data = b;
    *len = 2;
    *free_fn = bytes_free;
    return 0;
}

static akt_object_ops rel_ops; /* release_on = disp, set per test */

static void reset_counts(void) {
    for (int i = 0; i < REL_MAX; i++) atomic_store(&counts[i], 0);
    atomic_store(&released, 0);
    atomic_store(&off_owner, 0);
    atomic_store(&bytes_freed, 0);
    atomic_store(&bytes_off_owner, 0);
    atomic_store(&notified, 0);
}

static akt_system *make_system(const akt_system_options *opts) {
    akt_system *s = opts ? tu_system_with(opts) : tu_system("release", 2);
    disp = NULL;
    TU_OK(akt_dispatcher_create_external(s, on_notify, &notified, &disp));
    assert_non_null(disp);
    memset(&rel_ops, 0, sizeof rel_ops);
    rel_ops.size = sizeof rel_ops;
    rel_ops.release = obj_release;
    rel_ops.to_bytes = obj_to_bytes;
    rel_ops.ops_data = &counts;
    rel_ops.release_on = disp;
    return s;
}

static int rel_setup(void **state) {
    reset_counts();
    owner = pthread_self();
    sys = make_system(NULL);
    return tu_setup(state);
}

static int rel_teardown(void **state) {
    if (sys) tu_system_end_running(sys, disp);
    sys = NULL;
    disp = NULL;
    return tu_teardown(state);
}
#define REL_TEST(f) cmocka_unit_test_setup_teardown(f, rel_setup, rel_teardown)

static akt_msg *obj_msg(const akt_object_ops *ops, size_t i) {
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", (void *)(uintptr_t)(i + 1), ops, &m));
    return m;
}

/* Releases msgs[from, to) on a thread of its own (one that never runs the dispatcher). */
typedef struct release_job {
    akt_msg **msgs;
    size_t from, to;
    int rc;
} release_job;

static void *release_range(void *arg) {
    release_job *j = arg;
    j->rc = 0;
    for (size_t i = j->from; i < j->to; i++) {
        int rc = akt_msg_release(j->msgs[i]);
        if (rc) j->rc = rc;
    }
    return NULL;
}

static void release_elsewhere(akt_msg **msgs, size_t n, int threads) {
    pthread_t th[8];
    release_job jobs[8];
    assert_true(threads > 0 && threads <= 8);
    for (int t = 0; t < threads; t++) {
        jobs[t] = (release_job){msgs, n * (size_t)t / (size_t)threads,
                                n * (size_t)(t + 1) / (size_t)threads, -1};
        assert_int_equal(pthread_create(&th[t], NULL, release_range, &jobs[t]), 0);
    }
    for (int t = 0; t < threads; t++) {
        pthread_join(th[t], NULL);
        TU_OK(jobs[t].rc);
    }
}

/* ---- where and when the release runs ------------------------------------------------ */

static void test_foreign_releases_wait_for_the_run(void **state) {
    (void)state;
    static akt_msg *msgs[64];
    for (size_t i = 0; i < 64; i++) msgs[i] = obj_msg(&rel_ops, i);
    const void *data = NULL;
    size_t len = 0;
    TU_OK(akt_msg_bytes(msgs[5], &data, &len)); /* its bytes go with it, on the owner */
    release_elsewhere(msgs, 64, 4);
    assert_int_equal(atomic_load(&released), 0);
    assert_int_equal(atomic_load(&bytes_freed), 0);
    /* One wake-up for the queue turning non-empty, not one per release. */
    assert_int_equal(atomic_load(&notified), 1);

    size_t processed = 99;
    TU_OK(akt_dispatcher_run(disp, 1, &processed)); /* budget 1: releases are not budgeted */
    assert_int_equal(processed, 0);                 /* and not counted */
    assert_int_equal(atomic_load(&released), 64);
    assert_int_equal(atomic_load(&off_owner), 0);
    assert_int_equal(atomic_load(&bytes_freed), 1);
    assert_int_equal(atomic_load(&bytes_off_owner), 0);
    for (int i = 0; i < 64; i++) assert_int_equal(atomic_load(&counts[i]), 1);

    /* The next one wakes the binding again. */
    static akt_msg *one[1];
    one[0] = obj_msg(&rel_ops, 64);
    release_elsewhere(one, 1, 1);
    assert_int_equal(atomic_load(&notified), 2);
    assert_int_equal(atomic_load(&released), 64);
    TU_OK(akt_dispatcher_run(disp, 10, NULL));
    assert_int_equal(atomic_load(&counts[64]), 1);
    assert_int_equal(atomic_load(&off_owner), 0);
}

static void test_owner_thread_between_runs_queues_too(void **state) {
    (void)state;
    /* The thread that runs the dispatcher, but not inside a run: a binding releasing here
     * may not be in a state to run the callback (e.g. without its interpreter lock). */
    akt_msg *m = obj_msg(&rel_ops, 0);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&released), 0);
    assert_int_equal(atomic_load(&notified), 1);
    /* Queued, it is no live message: one release too many is still detected. */
    TU_RC(AKT_EMISUSE, akt_msg_release(m));
    TU_OK(akt_dispatcher_run(disp, 1, NULL));
    assert_int_equal(atomic_load(&released), 1);
    assert_int_equal(atomic_load(&counts[0]), 1);
}

/* An actor of disp: releases inside the run happen at once; a release on another thread
 * during the run is queued and makes the run report AKT_EAGAIN. */
static akt_msg *kept_inside, *kept_outside;

static void *release_one(void *arg) {
    TU_CB_RC(0, akt_msg_release(arg));
    return NULL;
}

static int owner_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)state;
    TU_CB_CHECK(pthread_equal(pthread_self(), owner));
    int before = atomic_load(&released);
    TU_CB_RC(0, akt_msg_release(kept_inside));
    TU_CB_CHECK(atomic_load(&released) == before + 1); /* ran right here */
    pthread_t th;
    TU_CB_CHECK(pthread_create(&th, NULL, release_one, kept_outside) == 0);
    pthread_join(th, NULL);
    TU_CB_CHECK(atomic_load(&released) == before + 1); /* queued for the next run */
    (void)msg;
    return 0;
}

static void test_releases_inside_a_run_are_immediate(void **state) {
    (void)state;
    kept_inside = obj_msg(&rel_ops, 1);
    kept_outside = obj_msg(&rel_ops, 2);
    akt_behavior b = tu_behavior(owner_receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dispatcher = disp;
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, &b, NULL, &o, &pid));
    /* The message itself is released after receive, inside the run: at once too. */
    TU_OK(akt_tell(sys, pid, obj_msg(&rel_ops, 0)));
    int n0 = atomic_load(&notified);
    size_t processed = 0;
    int rc = 0;
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (atomic_load(&counts[0]) == 0) {
        rc = akt_dispatcher_run(disp, 100, &processed);
        assert_true(rc == 0 || rc == AKT_EAGAIN);
        assert_true(tu_now_ns() < dl);
    }
    assert_int_equal(atomic_load(&counts[1]), 1);
    assert_int_equal(atomic_load(&counts[2]), 0);
    assert_int_equal(atomic_load(&released), 2);
    assert_true(atomic_load(&notified) > n0); /* the foreign release woke the binding */
    /* The run said so (work left), and the next run does it. */
    TU_RC(AKT_EAGAIN, rc);
    TU_OK(akt_dispatcher_run(disp, 100, &processed));
    assert_int_equal(processed, 0);
    assert_int_equal(atomic_load(&counts[2]), 1);
    assert_int_equal(atomic_load(&off_owner), 0);
}

/* A release that releases another message of the same dispatcher: the inner one runs at
 * once, inside the same run. */
static akt_msg *inner_msg;

static void outer_release(void *object, void *ops_data) {
    (void)object;
    (void)ops_data;
    int before = atomic_load(&released);
    TU_CB_RC(0, akt_msg_release(inner_msg));
    TU_CB_CHECK(atomic_load(&released) == before + 1);
    atomic_fetch_add(&released, 1);
}

static void test_nested_release_runs_at_once(void **state) {
    (void)state;
    static akt_object_ops outer_ops;
    outer_ops = rel_ops;
    outer_ops.release = outer_release;
    inner_msg = obj_msg(&rel_ops, 3);
    akt_msg *outer = obj_msg(&outer_ops, 4);
    static akt_msg *one[1];
    one[0] = outer;
    release_elsewhere(one, 1, 1);
    assert_int_equal(atomic_load(&released), 0);
    TU_OK(akt_dispatcher_run(disp, 1, NULL)); /* 0: nothing was queued again */
    assert_int_equal(atomic_load(&released), 2);
    assert_int_equal(atomic_load(&counts[3]), 1);
    assert_int_equal(atomic_load(&notified), 1);
}

static void test_old_ops_size_keeps_todays_rule(void **state) {
    (void)state;
    /* A caller compiled before release_on existed: its struct ends before it, so akt never
     * reads it (here it even names disp) and releases where the last reference goes. */
    static akt_object_ops old_ops;
    old_ops = rel_ops;
    old_ops.size = offsetof(akt_object_ops, release_on);
    static akt_msg *one[1];
    one[0] = obj_msg(&old_ops, 7);
    release_elsewhere(one, 1, 1);
    assert_int_equal(atomic_load(&counts[7]), 1);
    assert_int_equal(atomic_load(&off_owner), 1);
    assert_int_equal(atomic_load(&notified), 0);
    /* And NULL in a full-size struct is the same rule. */
    static akt_object_ops null_ops;
    null_ops = rel_ops;
    null_ops.release_on = NULL;
    one[0] = obj_msg(&null_ops, 8);
    release_elsewhere(one, 1, 1);
    assert_int_equal(atomic_load(&counts[8]), 1);
    assert_int_equal(atomic_load(&notified), 0);
}

static void test_release_on_must_be_an_external_dispatcher(void **state) {
    (void)state;
    static _Alignas(64) unsigned char not_a_dispatcher[256];
    static akt_object_ops bad;
    bad = rel_ops;
    bad.release_on = (akt_dispatcher *)(void *)not_a_dispatcher;
    akt_msg *m = (akt_msg *)0x1;
    TU_RC(AKT_EINVAL, akt_msg_new_object("t.Obj", (void *)1, &bad, &m));
    assert_ptr_equal(m, (akt_msg *)0x1);
}

/* ---- shutdown and the final release --------------------------------------------------- */

static void queue_elsewhere(size_t from, size_t n) {
    static akt_msg *msgs[64];
    assert_true(n <= 64);
    for (size_t i = 0; i < n; i++) msgs[i] = obj_msg(&rel_ops, from + i);
    release_elsewhere(msgs, n, 2);
}

static void shutdown_and_wait(akt_system *s) {
    TU_OK(akt_system_shutdown(s, NULL, NULL));
    TU_OK(akt_system_wait(s, TU_DEADLINE_NS)); /* no actor on disp: nothing to run */
}

static void test_queued_releases_run_in_a_run_after_shutdown(void **state) {
    (void)state;
    queue_elsewhere(0, 10);
    shutdown_and_wait(sys);
    assert_int_equal(atomic_load(&released), 0);
    /* Released after the shutdown: still queued, still a wake-up. */
    int n0 = atomic_load(&notified);
    queue_elsewhere(10, 1);
    assert_int_equal(atomic_load(&notified), n0); /* the queue was not empty */
    TU_OK(akt_dispatcher_run(disp, 1, NULL));
    assert_int_equal(atomic_load(&released), 11);
    queue_elsewhere(11, 1);
    assert_int_equal(atomic_load(&notified), n0 + 1);
    TU_OK(akt_dispatcher_run(disp, 1, NULL));
    assert_int_equal(atomic_load(&released), 12);
    assert_int_equal(atomic_load(&off_owner), 0);
    TU_OK(akt_system_release(sys));
    sys = NULL;
}

static void test_queued_releases_run_in_the_final_release(void **state) {
    (void)state;
    queue_elsewhere(0, 10);
    shutdown_and_wait(sys);
    assert_int_equal(atomic_load(&released), 0);
    TU_OK(akt_system_release(sys)); /* frees it here: they run here, before it returns */
    sys = NULL;
    assert_int_equal(atomic_load(&released), 10);
    assert_int_equal(atomic_load(&off_owner), 0);
    for (int i = 0; i < 10; i++) assert_int_equal(atomic_load(&counts[i]), 1);
}

/* The last akt_system_release made by a release that runs inside akt_dispatcher_run (a
 * binding's object whose finaliser drops the system): the system may not be freed under the
 * run that is still using its dispatcher; it is freed once the run has returned. */
static akt_system *sys_to_drop;

static void release_drops_system(void *object, void *ops_data) {
    obj_release(object, ops_data);
    akt_system *s = sys_to_drop;
    sys_to_drop = NULL;
    if (s) TU_CB_RC(0, akt_system_release(s));
}

static void test_last_release_inside_a_run_frees_after_it(void **state) {
    (void)state;
    rel_ops.release = release_drops_system;
    akt_msg *m = obj_msg(&rel_ops, 0);
    release_elsewhere(&m, 1, 1); /* queued for the run */
    shutdown_and_wait(sys);
    assert_int_equal(atomic_load(&released), 0);
    sys_to_drop = sys; /* the test's reference goes to the release */
    sys = NULL;
    size_t done = 7;
    int rc = akt_dispatcher_run(disp, 1, &done);
    assert_true(rc == 0 || rc == AKT_EAGAIN);
    assert_int_equal(done, 0);
    assert_int_equal(atomic_load(&released), 1);
    assert_null(sys_to_drop);
    disp = NULL; /* freed with the system as the run returned (ASan: no use after free) */
}

/* A worker actor stashes every message: at shutdown its stash is released on a worker, so
 * those releases queue and reach the owner through the shutdown loop's runs. */
static atomic_int stashed;

static int stash_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    (void)state;
    TU_CB_RC(0, akt_ctx_stash(ctx));
    atomic_fetch_add(&stashed, 1);
    return 0;
}

static void test_mail_released_at_shutdown_reaches_the_owner(void **state) {
    (void)state;
    atomic_store(&stashed, 0);
    akt_behavior b = tu_behavior(stash_receive);
    akt_pid pid = tu_spawn(sys, &b, NULL, "stasher");
    for (size_t i = 0; i < 100; i++) TU_OK(akt_tell(sys, pid, obj_msg(&rel_ops, i)));
    TU_EVENTUALLY(atomic_load(&stashed) == 100);
    assert_int_equal(atomic_load(&released), 0);
    tu_system_end_running(sys, disp); /* shutdown, runs + waits, the final release */
    sys = NULL;
    assert_int_equal(atomic_load(&released), 100);
    assert_int_equal(atomic_load(&off_owner), 0);
    assert_true(atomic_load(&notified) >= 1);
    for (int i = 0; i < 100; i++) assert_int_equal(atomic_load(&counts[i]), 1);
}

/* The last reference goes while the shutdown is still under way: akt's shutdown thread
 * frees the system after its thread_stop hook, and the queued releases run there. */
static _Atomic(pthread_t) reaper;
static atomic_int reaper_started, reaper_stopped;
static tu_gate stop_gate;

static void hook_start(void *data, int index) {
    (void)data;
    if (index == -2) {
        atomic_store(&reaper, pthread_self());
        atomic_store(&reaper_started, 1);
    }
}

static void hook_stop(void *data, int index) {
    (void)data;
    if (index == -2) atomic_store(&reaper_stopped, 1);
}

static void slow_post_stop(akt_ctx *ctx, void *state) {
    (void)ctx;
    (void)state;
    tu_gate_wait(&stop_gate);
}

static int nop_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)msg;
    (void)state;
    return 0;
}

static void test_last_reference_during_shutdown_runs_them_on_the_shutdown_thread(void **state) {
    (void)state;
    tu_system_end_running(sys, disp);
    reset_counts();
    atomic_store(&reaper_started, 0);
    atomic_store(&reaper_stopped, 0);
    akt_system_options opts;
    TU_OK(akt_system_options_init(&opts));
    opts.name = "release-late";
    opts.workers = 2;
    opts.thread_start = hook_start;
    opts.thread_stop = hook_stop;
    sys = make_system(&opts);
    tu_gate_init(&stop_gate);
    akt_behavior b = tu_behavior(nop_receive);
    b.post_stop = slow_post_stop;
    tu_spawn(sys, &b, NULL, "slow");
    queue_elsewhere(0, 10);
    TU_OK(akt_system_release(sys)); /* the last reference: shutdown starts, cannot finish */
    sys = NULL;
    tu_gate_await_waiters(&stop_gate, 1);
    assert_int_equal(atomic_load(&released), 0);
    tu_gate_open(&stop_gate);
    TU_EVENTUALLY(atomic_load(&released) == 10);
    assert_int_equal(atomic_load(&reaper_started), 1);
    assert_int_equal(atomic_load(&reaper_stopped), 1);
    assert_true(pthread_equal(atomic_load(&last_releaser), atomic_load(&reaper)));
    for (int i = 0; i < 10; i++) assert_int_equal(atomic_load(&counts[i]), 1);
    /* The gate lives on: the reaper may still be between the releases and its exit. */
}

/* ---- exactly once, many threads ------------------------------------------------------- */

#define STRESS_THREADS 4
#define STRESS_PER_THREAD 1500
static akt_pid stress_worker, stress_owner_actor;

/* On a worker: forwards every other message to the owner's actor; releases the rest. */
static int stress_worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    void *obj = NULL;
    TU_CB_RC(0, akt_msg_object(msg, &rel_ops, &obj));
    if ((uintptr_t)obj % 2 == 0) TU_CB_RC(0, akt_ctx_forward(ctx, stress_owner_actor));
    return 0;
}

static int stress_owner_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)state;
    TU_CB_CHECK(pthread_equal(pthread_self(), owner));
    /* Keep it a moment from a thread of its own now and then: the last reference then
     * goes there or here, whichever is later. */
    void *obj = NULL;
    TU_CB_RC(0, akt_msg_object(msg, &rel_ops, &obj));
    if ((uintptr_t)obj % 8 == 0) {
        TU_CB_RC(0, akt_msg_retain(msg));
        pthread_t th;
        if (pthread_create(&th, NULL, release_one, msg) == 0)
            pthread_detach(th);
        else
            TU_CB_RC(0, akt_msg_release(msg));
    }
    return 0;
}

static void *stress_producer(void *arg) {
    size_t t = (size_t)(uintptr_t)arg;
    for (size_t k = 0; k < STRESS_PER_THREAD; k++) {
        size_t i = t * STRESS_PER_THREAD + k;
        akt_msg *m = NULL;
        TU_CB_RC(0, akt_msg_new_object("t.Obj", (void *)(uintptr_t)(i + 1), &rel_ops, &m));
        if (!m) continue;
        TU_CB_RC(0, akt_msg_retain(m));
        if (akt_tell(sys, stress_worker, m) != 0) {
            tu_cb_fail(__FILE__, __LINE__, "tell refused");
            akt_msg_release(m);
        }
        TU_CB_RC(0, akt_msg_release(m)); /* often the last one, racing the worker's */
    }
    return NULL;
}

static void test_exactly_once_under_many_threads(void **state) {
    (void)state;
    _Static_assert(STRESS_THREADS * STRESS_PER_THREAD <= REL_MAX, "counts cover them");
    akt_behavior wb = tu_behavior(stress_worker_receive);
    stress_worker = tu_spawn(sys, &wb, NULL, "fan");
    akt_behavior ob = tu_behavior(stress_owner_receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dispatcher = disp;
    TU_OK(akt_spawn(sys, &ob, NULL, &o, &stress_owner_actor));
    pthread_t th[STRESS_THREADS];
    for (size_t t = 0; t < STRESS_THREADS; t++)
        assert_int_equal(pthread_create(&th[t], NULL, stress_producer, (void *)(uintptr_t)t), 0);
    const int total = STRESS_THREADS * STRESS_PER_THREAD;
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS * 2;
    while (atomic_load(&released) < total && tu_now_ns() < dl) {
        int rc = akt_dispatcher_run(disp, 256, NULL);
        assert_true(rc == 0 || rc == AKT_EAGAIN);
        if (rc == 0) tu_sleep_ms(1);
    }
    for (size_t t = 0; t < STRESS_THREADS; t++) /* producers never block: this returns */
        pthread_join(th[t], NULL);
    if (atomic_load(&released) < total)
        fail_msg("released %d of %d in time", atomic_load(&released), total);
    assert_int_equal(atomic_load(&released), total);
    assert_int_equal(atomic_load(&off_owner), 0);
    for (int i = 0; i < total; i++)
        if (atomic_load(&counts[i]) != 1)
            fail_msg("object %d released %d times", i, atomic_load(&counts[i]));
    assert_true(atomic_load(&notified) >= 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        REL_TEST(test_foreign_releases_wait_for_the_run),
        REL_TEST(test_owner_thread_between_runs_queues_too),
        REL_TEST(test_releases_inside_a_run_are_immediate),
        REL_TEST(test_nested_release_runs_at_once),
        REL_TEST(test_old_ops_size_keeps_todays_rule),
        REL_TEST(test_release_on_must_be_an_external_dispatcher),
        REL_TEST(test_queued_releases_run_in_a_run_after_shutdown),
        REL_TEST(test_queued_releases_run_in_the_final_release),
        REL_TEST(test_mail_released_at_shutdown_reaches_the_owner),
        REL_TEST(test_last_reference_during_shutdown_runs_them_on_the_shutdown_thread),
        REL_TEST(test_exactly_once_under_many_threads),
        REL_TEST(test_last_release_inside_a_run_frees_after_it),
    };
    return cmocka_run_group_tests_name("release", tests, NULL, NULL);
}
