/* test_pipe_pool: PipeTo's pool policy. A task that blocks holds only its own thread (the
 * pool grows on demand, up to akt_system_options.pipe_threads), and at most pipe_queue tasks
 * wait for a thread: past that akt_ctx_pipe_to is AKT_EFULL and the caller keeps its data.
 * Idle threads exit after pipe_keepalive_ns down to pipe_min_threads, counted by
 * akt_system_metrics.pipe_threads / pipe_threads_retired, and no task is lost to an exit. */
#include "tu.h"

#include <akt/telemetry.h>

#include <string.h>

typedef struct job {
    tu_gate *gate; /* the task waits here when set */
    int id;
} job;

#define JOBS 16
static job jobs[JOBS];
static atomic_int runs, frees, results, last_rc;
static atomic_int pipe_starts; /* thread hooks with index -3 (pipe threads) */
static atomic_int result_ids[JOBS];

static int task(void *data, akt_msg **out) {
    job *j = data;
    atomic_fetch_add(&runs, 1);
    if (j->gate) tu_gate_wait(j->gate);
    *out = tu_msg_u64("t.Result", (uint64_t)j->id);
    return *out ? 0 : AKT_ENOMEM;
}

static void job_free(void *data) {
    (void)data;
    atomic_fetch_add(&frees, 1);
}

/* t.Go(i): pipes jobs[i] to itself; t.Result(i): counts it. */
static int piper(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    uint64_t i = tu_u64(msg);
    if (tu_is(msg, "t.Result")) {
        atomic_fetch_add(&result_ids[i], 1);
        atomic_fetch_add(&results, 1);
        return 0;
    }
    akt_pipe_options o;
    akt_pipe_options_init(&o);
    o.free_data = job_free;
    akt_pid self;
    akt_ctx_self(ctx, &self);
    int rc = akt_ctx_pipe_to(ctx, self, task, &jobs[i], &o);
    atomic_store(&last_rc, rc + 1000);
    return 0;
}

static void hook_start(void *data, int index) {
    (void)data;
    if (index == -3) atomic_fetch_add(&pipe_starts, 1);
}

static void reset(void) {
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < JOBS; i++) {
        jobs[i].id = i;
        atomic_store(&result_ids[i], 0);
    }
    atomic_store(&runs, 0);
    atomic_store(&frees, 0);
    atomic_store(&results, 0);
    atomic_store(&last_rc, 0);
    atomic_store(&pipe_starts, 0);
}

static akt_system *pool_system_kept(int threads, int queue, int64_t keepalive_ns, int min) {
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = "pipepool";
    o.workers = 2;
    o.thread_start = hook_start;
    o.pipe_threads = threads;
    o.pipe_queue = queue;
    o.pipe_keepalive_ns = keepalive_ns;
    o.pipe_min_threads = min;
    return tu_system_with(&o);
}

static akt_system *pool_system(int threads, int queue) {
    return pool_system_kept(threads, queue, 0, 0);
}

/* The pool's live threads (m.pipe_threads) and, in *retired, those that exited idle. */
static uint64_t pool_threads(akt_system *sys, uint64_t *retired) {
    akt_system_metrics m = {.size = sizeof m};
    TU_OK(akt_metrics_system(sys, &m));
    if (retired) *retired = m.pipe_threads_retired;
    return m.pipe_threads;
}

/* Pipes job i from actor a and returns akt_ctx_pipe_to's result. */
static int go(akt_system *sys, akt_pid a, int i) {
    atomic_store(&last_rc, 0);
    TU_OK(akt_tell(sys, a, tu_msg_u64("t.Go", (uint64_t)i)));
    TU_EVENTUALLY(atomic_load(&last_rc) != 0);
    return atomic_load(&last_rc) - 1000;
}

/* More blocked tasks than the old fixed pool had threads (4): an unrelated pipe, from
 * another actor, still completes while they all block. */
static void test_blocked_tasks_do_not_hold_up_others(void **state) {
    (void)state;
    reset();
    akt_system *sys = pool_system(0, 0); /* the defaults */
    akt_behavior b = tu_behavior(piper);
    akt_pid a = tu_spawn(sys, &b, NULL, "blocker");
    akt_pid other = tu_spawn(sys, &b, NULL, "other");
    tu_gate gate;
    tu_gate_init(&gate);
    for (int i = 0; i < 8; i++) {
        jobs[i].gate = &gate;
        assert_int_equal(go(sys, a, i), 0);
    }
    tu_gate_await_waiters(&gate, 8); /* eight threads, each in its blocked task */
    assert_int_equal(go(sys, other, 8), 0);
    TU_EVENTUALLY(atomic_load(&result_ids[8]) == 1); /* done while the eight still block */
    assert_int_equal(atomic_load(&results), 1);
    assert_true(atomic_load(&pipe_starts) >= 9);
    tu_gate_open(&gate);
    TU_EVENTUALLY(atomic_load(&results) == 9);
    assert_int_equal(atomic_load(&frees), 9);
    tu_system_end(sys);
    tu_gate_destroy(&gate);
}

/* pipe_threads 2, pipe_queue 2: two tasks run (blocked), two wait, the fifth is refused
 * with AKT_EFULL and its data stays the caller's; once the queue drains pipes go again. */
static void test_bounds_and_full_queue(void **state) {
    (void)state;
    reset();
    akt_system *sys = pool_system(2, 2);
    akt_behavior b = tu_behavior(piper);
    akt_pid a = tu_spawn(sys, &b, NULL, "a");
    tu_gate gate;
    tu_gate_init(&gate);
    for (int i = 0; i < 5; i++) jobs[i].gate = &gate;
    assert_int_equal(go(sys, a, 0), 0);
    assert_int_equal(go(sys, a, 1), 0);
    tu_gate_await_waiters(&gate, 2); /* both threads are taken */
    assert_int_equal(go(sys, a, 2), 0);
    assert_int_equal(go(sys, a, 3), 0);
    assert_int_equal(go(sys, a, 4), AKT_EFULL);     /* two wait already */
    assert_int_equal(atomic_load(&pipe_starts), 2); /* the bound: no third thread */
    assert_int_equal(atomic_load(&runs), 2);        /* the queued two wait their turn */
    assert_int_equal(atomic_load(&frees), 0);       /* job 4 was not taken */
    tu_gate_open(&gate);
    TU_EVENTUALLY(atomic_load(&results) == 4);
    assert_int_equal(atomic_load(&result_ids[4]), 0);
    assert_int_equal(atomic_load(&frees), 4);
    assert_int_equal(go(sys, a, 4), 0); /* room again */
    TU_EVENTUALLY(atomic_load(&result_ids[4]) == 1);
    assert_int_equal(atomic_load(&pipe_starts), 2);
    tu_system_end(sys);
    tu_gate_destroy(&gate);
}

/* Tasks one after the other reuse the idle thread instead of starting new ones. */
static void test_grows_only_on_demand(void **state) {
    (void)state;
    reset();
    akt_system *sys = pool_system(8, 0);
    akt_behavior b = tu_behavior(piper);
    akt_pid a = tu_spawn(sys, &b, NULL, "seq");
    assert_int_equal(atomic_load(&pipe_starts), 0); /* none before the first pipe */
    for (int i = 0; i < JOBS; i++) {
        assert_int_equal(go(sys, a, i), 0);
        TU_EVENTUALLY(atomic_load(&result_ids[i]) == 1);
    }
    /* a pipe made while the last task's thread is still on its way back to waiting may
     * start one more, never past the bound */
    assert_true(atomic_load(&pipe_starts) >= 1);
    assert_true(atomic_load(&pipe_starts) <= 8);
    tu_system_end(sys);
}

/* Pipes jobs 0..n-1 from a, each blocked on gate, and waits until n threads run them. */
static void hold_tasks(akt_system *sys, akt_pid a, tu_gate *gate, int n) {
    for (int i = 0; i < n; i++) {
        jobs[i].gate = gate;
        assert_int_equal(go(sys, a, i), 0);
    }
    tu_gate_await_waiters(gate, n);
}

/* Four blocked tasks hold four threads; once they are done and idle for the keepalive
 * (20 ms), every thread exits (minimum 0), and a later pipe starts the pool again. */
static void test_idle_threads_exit_after_keepalive(void **state) {
    (void)state;
    reset();
    akt_system *sys = pool_system_kept(8, 0, TU_MS(20), 0);
    akt_behavior b = tu_behavior(piper);
    akt_pid a = tu_spawn(sys, &b, NULL, "shrink");
    assert_int_equal(pool_threads(sys, NULL), 0);
    tu_gate gate;
    tu_gate_init(&gate);
    hold_tasks(sys, a, &gate, 4);
    uint64_t retired = 0;
    assert_int_equal(pool_threads(sys, &retired), 4); /* busy threads never exit */
    assert_int_equal(retired, 0);
    tu_gate_open(&gate);
    TU_EVENTUALLY(atomic_load(&results) == 4);
    TU_EVENTUALLY(pool_threads(sys, &retired) == 0 && retired == 4);
    assert_int_equal(go(sys, a, 5), 0); /* the pool starts again on demand */
    TU_EVENTUALLY(atomic_load(&result_ids[5]) == 1);
    assert_int_equal(atomic_load(&pipe_starts), 5);
    TU_EVENTUALLY(pool_threads(sys, &retired) == 0 && retired == 5);
    tu_system_end(sys);
    tu_gate_destroy(&gate);
}

/* pipe_min_threads 2: of four idle threads two exit and two stay, however long they idle
 * (each of them times out many times over while the test waits 15 keepalives). */
static void test_minimum_threads_stay(void **state) {
    (void)state;
    reset();
    akt_system *sys = pool_system_kept(8, 0, TU_MS(5), 2);
    akt_behavior b = tu_behavior(piper);
    akt_pid a = tu_spawn(sys, &b, NULL, "minimum");
    tu_gate gate;
    tu_gate_init(&gate);
    hold_tasks(sys, a, &gate, 4);
    tu_gate_open(&gate);
    TU_EVENTUALLY(atomic_load(&results) == 4);
    uint64_t retired = 0;
    TU_EVENTUALLY(pool_threads(sys, &retired) == 2 && retired == 2);
    int64_t until = tu_now_ns() + TU_MS(75);
    while (tu_now_ns() < until) {
        assert_int_equal(pool_threads(sys, &retired), 2);
        assert_int_equal(retired, 2);
        tu_sleep_ms(1);
    }
    assert_int_equal(go(sys, a, 6), 0); /* a kept thread runs it: none started */
    TU_EVENTUALLY(atomic_load(&result_ids[6]) == 1);
    assert_int_equal(atomic_load(&pipe_starts), 4);
    tu_system_end(sys);
    tu_gate_destroy(&gate);
}

/* A keepalive of 100 us and pipes from two actors at once, spaced so that threads keep
 * deciding to exit while tasks are queued: every task runs and is delivered exactly once,
 * the pool never passes its bound, and the shutdown joins every thread (TSan runs this). */
#define RACE_PIPES 600
static atomic_int race_sent;

static int racer(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "t.Result")) {
        atomic_fetch_add(&results, 1);
        return 0;
    }
    akt_pid self;
    akt_ctx_self(ctx, &self);
    int rc = akt_ctx_pipe_to(ctx, self, task, &jobs[tu_u64(msg) % JOBS], NULL);
    if (rc == 0) atomic_fetch_add(&race_sent, 1);
    return 0;
}

static void test_exit_races_queued_tasks(void **state) {
    (void)state;
    reset();
    atomic_store(&race_sent, 0);
    akt_system *sys = pool_system_kept(3, 0, 100000, 0);
    akt_behavior b = tu_behavior(racer);
    akt_pid r[2] = {tu_spawn(sys, &b, NULL, "race0"), tu_spawn(sys, &b, NULL, "race1")};
    for (int i = 0; i < RACE_PIPES; i++) {
        TU_OK(akt_tell(sys, r[i & 1], tu_msg_u64("t.Go", (uint64_t)i)));
        if (i % 7 == 0) tu_sleep_ms(i % 3); /* 0..2 ms: around the keepalive */
        assert_true(pool_threads(sys, NULL) <= 3);
    }
    TU_EVENTUALLY(atomic_load(&results) == RACE_PIPES);
    assert_int_equal(atomic_load(&race_sent), RACE_PIPES);
    assert_int_equal(atomic_load(&runs), RACE_PIPES);
    uint64_t retired = 0;
    TU_EVENTUALLY(pool_threads(sys, &retired) == 0);
    assert_true(retired >= 1); /* the 2 ms pauses outlast the keepalive */
    tu_system_end(sys);
    assert_int_equal(atomic_load(&results), RACE_PIPES); /* nothing more came */
}

/* pipe_keepalive_ns < 0: idle threads stay until the system stops. */
static void test_negative_keepalive_keeps_threads(void **state) {
    (void)state;
    reset();
    akt_system *sys = pool_system_kept(4, 0, -1, 0);
    akt_behavior b = tu_behavior(piper);
    akt_pid a = tu_spawn(sys, &b, NULL, "forever");
    assert_int_equal(go(sys, a, 0), 0);
    TU_EVENTUALLY(atomic_load(&results) == 1);
    uint64_t retired = 1;
    int64_t until = tu_now_ns() + TU_MS(30);
    while (tu_now_ns() < until) {
        assert_true(pool_threads(sys, &retired) >= 1);
        assert_int_equal(retired, 0);
        tu_sleep_ms(1);
    }
    tu_system_end(sys);
}

static void test_bad_pool_options(void **state) {
    (void)state;
    akt_system_options o;
    akt_system *sys = NULL;
    int bad[][2] = {{-1, 0}, {1025, 0}, {0, -1}, {0, (1 << 24) + 1}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TU_OK(akt_system_options_init(&o));
        o.pipe_threads = bad[i][0];
        o.pipe_queue = bad[i][1];
        TU_RC(AKT_EINVAL, akt_system_create(&o, &sys));
        assert_null(sys);
    }
    int bad_min[][2] = {{0, -1}, {0, AKT_PIPE_THREADS_DEFAULT + 1}, {2, 3}};
    for (size_t i = 0; i < sizeof bad_min / sizeof bad_min[0]; i++) {
        TU_OK(akt_system_options_init(&o));
        o.pipe_threads = bad_min[i][0];
        o.pipe_min_threads = bad_min[i][1];
        TU_RC(AKT_EINVAL, akt_system_create(&o, &sys));
        assert_null(sys);
    }
    TU_OK(akt_system_options_init(&o));
    o.pipe_threads = 2;
    o.pipe_min_threads = 2; /* the whole pool kept: valid */
    sys = tu_system_with(&o);
    tu_system_end(sys);
    /* an options struct of akt before the keepalive: the fields past its size are not read */
    TU_OK(akt_system_options_init(&o));
    o.size = offsetof(akt_system_options, pipe_keepalive_ns);
    o.pipe_min_threads = -1;
    sys = tu_system_with(&o);
    tu_system_end(sys);
    /* an options struct of an older akt (without the pool fields) gets the defaults */
    TU_OK(akt_system_options_init(&o));
    o.size = offsetof(akt_system_options, pipe_threads);
    o.pipe_threads = -1; /* beyond its size: not read */
    sys = tu_system_with(&o);
    tu_system_end(sys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_blocked_tasks_do_not_hold_up_others),
        TU_TEST(test_bounds_and_full_queue),
        TU_TEST(test_grows_only_on_demand),
        TU_TEST(test_idle_threads_exit_after_keepalive),
        TU_TEST(test_minimum_threads_stay),
        TU_TEST(test_exit_races_queued_tasks),
        TU_TEST(test_negative_keepalive_keeps_threads),
        TU_TEST(test_bad_pool_options),
    };
    return cmocka_run_group_tests_name("pipe_pool", tests, NULL, NULL);
}
