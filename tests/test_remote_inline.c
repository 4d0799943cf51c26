#define _DEFAULT_SOURCE
/* Inbound asks whose turn runs on the I/O thread (core/remote/inline.c): two systems in
 * one process over 127.0.0.1, and a third for a turn that asks another node. Each thread
 * akt makes says which it is through the thread hooks (-3: the I/O thread). */
#include "tu_remote.h"

#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define IO_THREAD -3

static _Thread_local int thread_index = INT_MIN;
static void hook_start(void *data, int index) {
    (void)data;
    thread_index = index;
}

static akt_system *node(const char *name, int waiters_run_turns) {
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = name;
    o.workers = 2;
    o.thread_start = hook_start;
    o.waiters_run_turns = waiters_run_turns;
    akt_system *s = tu_system_with(&o);
    TU_OK(akt_remote_start(s, NULL));
    return s;
}

static atomic_int on_io, on_workers, on_other;
static void count_thread(void) {
    if (thread_index == IO_THREAD)
        atomic_fetch_add(&on_io, 1);
    else if (thread_index >= 0)
        atomic_fetch_add(&on_workers, 1);
    else
        atomic_fetch_add(&on_other, 1);
}
static void counts_reset(void) {
    atomic_store(&on_io, 0);
    atomic_store(&on_workers, 0);
    atomic_store(&on_other, 0);
}

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    count_thread();
    char text[64];
    tu_text(msg, text, sizeof text);
    return tu_reply(ctx, "echoed", text);
}

static void ask_echo(akt_system *a, akt_pid echo, int i) {
    char want[32], got[64];
    snprintf(want, sizeof want, "m%d", i);
    akt_msg *reply;
    TU_OK(tu_ask(a, echo, tu_msg("say", want), &reply));
    tu_text(reply, got, sizeof got);
    assert_string_equal(got, want);
    akt_msg_release(reply);
}

/* Sequential asks of an idle actor on an idle node: their turns run on that node's I/O
 * thread, which read them, not on a worker woken for each. A worker still may take one
 * (a spinning worker leaves a held cell alone for a few looks only), so most, not all. */
static void test_inbound_asks_of_an_idle_actor_run_on_the_io_thread(void **state) {
    (void)state;
    akt_system *a = node("inl_a", 1), *b = node("inl_b", 1);
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    akt_pid echo = tu_remote_pid(a, b, "/user/echo");
    ask_echo(a, echo, -1); /* the connection */
    counts_reset();
    enum { N = 400 };
    for (int i = 0; i < N; i++) ask_echo(a, echo, i);
    assert_int_equal(atomic_load(&on_io) + atomic_load(&on_workers), N);
    assert_int_equal(atomic_load(&on_other), 0);
    assert_true(atomic_load(&on_io) >= N * 3 / 4);
    tu_system_end(a);
    tu_system_end(b);
}

/* A system whose threads may not all run turns (waiters_run_turns 0 with thread hooks)
 * keeps them on its workers. */
static void test_inbound_asks_stay_on_workers_without_waiters_run_turns(void **state) {
    (void)state;
    akt_system *a = node("inl_c", 1), *b = node("inl_d", 0);
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    akt_pid echo = tu_remote_pid(a, b, "/user/echo");
    counts_reset();
    enum { N = 100 };
    for (int i = 0; i < N; i++) ask_echo(a, echo, i);
    assert_int_equal(atomic_load(&on_workers), N);
    tu_system_end(a);
    tu_system_end(b);
}

/* The relay's turn asks an actor on a third node and waits: on the I/O thread that wait
 * keeps the loop running, so the answer comes in and the relay replies with it. */
static akt_pid relay_to;
static akt_system *relay_sys;
static atomic_int relay_on_io;
static int relay_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (thread_index == IO_THREAD) atomic_fetch_add(&relay_on_io, 1);
    char text[64];
    tu_text(msg, text, sizeof text);
    akt_future *f;
    TU_OK(akt_ask(relay_sys, relay_to, tu_msg("say", text), TU_SEC(10), &f));
    akt_msg *answer = NULL;
    int rc = akt_future_wait(f, TU_SEC(10), &answer);
    akt_future_release(f);
    if (rc) return tu_reply(ctx, "failed", akt_strerror(rc));
    tu_text(answer, text, sizeof text);
    akt_msg_release(answer);
    return tu_reply(ctx, "echoed", text);
}

static void test_a_turn_on_the_io_thread_that_waits_for_another_node(void **state) {
    (void)state;
    akt_system *a = node("inl_e", 1), *b = node("inl_f", 1), *c = node("inl_g", 1);
    akt_behavior eb = tu_behavior(echo_receive), rb = tu_behavior(relay_receive);
    tu_spawn(c, &eb, NULL, "echo");
    relay_sys = b;
    relay_to = tu_remote_pid(b, c, "/user/echo");
    tu_spawn(b, &rb, NULL, "relay");
    akt_pid relay = tu_remote_pid(a, b, "/user/relay");
    atomic_store(&relay_on_io, 0);
    enum { N = 50 };
    int64_t t0 = tu_now_ns();
    for (int i = 0; i < N; i++) {
        char want[32], got[64];
        snprintf(want, sizeof want, "r%d", i);
        akt_msg *reply;
        TU_OK(tu_ask(a, relay, tu_msg("say", want), &reply));
        assert_true(tu_is(reply, "echoed"));
        tu_text(reply, got, sizeof got);
        assert_string_equal(got, want);
        akt_msg_release(reply);
    }
    /* Each answer came through the waiting loop, not after the 10 s timeout. */
    assert_true(tu_now_ns() - t0 < TU_SEC(5));
    /* The first turn ran on the I/O thread (the relay was idle, so was b). */
    assert_true(atomic_load(&relay_on_io) >= 1);
    tu_system_end(a);
    tu_system_end(b);
    tu_system_end(c);
}

/* A turn on the I/O thread may spawn on another node (akt_remote_spawn waits for the
 * loop it runs on): the spawner's first turn runs there and spawns an echo on c. */
static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};
static int echo_activate(void *kind_data, const char *name, const akt_behavior **b, void **st) {
    (void)kind_data;
    (void)name;
    *b = &echo_behavior;
    *st = NULL;
    return 0;
}

static char spawn_at[200];
static atomic_int spawner_on_io;
static int spawner_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (thread_index == IO_THREAD) atomic_fetch_add(&spawner_on_io, 1);
    char name[64];
    tu_text(msg, name, sizeof name);
    akt_pid p;
    int rc = akt_remote_spawn(relay_sys, spawn_at, "echo", name, TU_SEC(10), &p);
    if (rc) return tu_reply(ctx, "failed", akt_err_name(rc));
    akt_future *f;
    TU_OK(akt_ask(relay_sys, p, tu_msg("say", name), TU_SEC(10), &f));
    akt_msg *answer = NULL;
    rc = akt_future_wait(f, TU_SEC(10), &answer);
    akt_future_release(f);
    if (rc) return tu_reply(ctx, "failed", akt_err_name(rc));
    tu_text(answer, name, sizeof name);
    akt_msg_release(answer);
    return tu_reply(ctx, "spawned", name);
}

static void test_a_turn_on_the_io_thread_spawns_on_another_node(void **state) {
    (void)state;
    akt_system *a = node("inl_j", 1), *b = node("inl_k", 1), *c = node("inl_l", 1);
    akt_grain_kind k;
    TU_OK(akt_grain_kind_init(&k));
    k.activate = echo_activate;
    k.deactivate_after_ns = 0;
    TU_OK(akt_grain_kind_register(c, "echo", &k));
    TU_OK(akt_remote_address(c, spawn_at, sizeof spawn_at, NULL));
    relay_sys = b;
    akt_behavior sb = tu_behavior(spawner_receive);
    tu_spawn(b, &sb, NULL, "spawner");
    akt_pid spawner = tu_remote_pid(a, b, "/user/spawner");
    atomic_store(&spawner_on_io, 0);
    enum { N = 10 };
    for (int i = 0; i < N; i++) {
        char want[32], got[64];
        snprintf(want, sizeof want, "e%d", i);
        akt_msg *reply;
        TU_OK(tu_ask(a, spawner, tu_msg("spawn", want), &reply));
        tu_text(reply, got, sizeof got);
        assert_true(tu_is(reply, "spawned"));
        assert_string_equal(got, want);
        akt_msg_release(reply);
    }
    assert_true(atomic_load(&spawner_on_io) >= 1);
    tu_system_end(a);
    tu_system_end(b);
    tu_system_end(c);
}

/* A turn on the I/O thread that blocks outside akt (a semaphore here) until another
 * message from the network releases it: after a few milliseconds a stand-in thread runs
 * the loop (core/io/standin.c), so b still reads, answers other asks meanwhile, and gets
 * the tell that opens the gate. Without it, b's network stops until the gate's own
 * timeout (3 s), and the gate answers "timed out". */
static sem_t gate_sem;
static atomic_int gate_on_io;
static int gate_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    (void)msg;
    if (thread_index == IO_THREAD) atomic_fetch_add(&gate_on_io, 1);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 3;
    int rc;
    while ((rc = sem_timedwait(&gate_sem, &until)) != 0 && errno == EINTR) continue;
    return tu_reply(ctx, rc == 0 ? "opened" : "timed out", "");
}
static int opener_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)msg;
    (void)st;
    sem_post(&gate_sem);
    return 0;
}

static void test_a_blocked_turn_on_the_io_thread_leaves_the_network_to_a_stand_in(void **state) {
    (void)state;
    akt_system *a = node("inl_m", 1), *b = node("inl_n", 1);
    akt_behavior gb = tu_behavior(gate_receive), ob = tu_behavior(opener_receive),
                 eb = tu_behavior(echo_receive);
    tu_spawn(b, &gb, NULL, "gate");
    tu_spawn(b, &ob, NULL, "opener");
    tu_spawn(b, &eb, NULL, "echo");
    akt_pid gate = tu_remote_pid(a, b, "/user/gate");
    akt_pid opener = tu_remote_pid(a, b, "/user/opener");
    akt_pid echo = tu_remote_pid(a, b, "/user/echo");
    ask_echo(a, echo, -1); /* the connection */
    atomic_store(&gate_on_io, 0);
    /* Until the gate's turn ran on b's I/O thread (a worker may take one). */
    for (int round = 0; round < 20 && atomic_load(&gate_on_io) == 0; round++) {
        TU_OK(sem_init(&gate_sem, 0, 0) == 0 ? 0 : AKT_EINVAL);
        akt_future *f;
        TU_OK(akt_ask(a, gate, tu_msg("wait", ""), TU_SEC(10), &f));
        /* The gate is blocked in its turn: b still answers. */
        int64_t t0 = tu_now_ns();
        for (int i = 0; i < 5; i++) ask_echo(a, echo, i);
        assert_true(tu_now_ns() - t0 < TU_SEC(2));
        TU_OK(akt_tell(a, opener, tu_msg("open", "")));
        akt_msg *reply;
        TU_OK(tu_wait(f, &reply));
        assert_true(tu_is(reply, "opened"));
        akt_msg_release(reply);
        akt_future_release(f);
        sem_destroy(&gate_sem);
    }
    assert_int_equal(atomic_load(&gate_on_io), 1);
    tu_system_end(a);
    tu_system_end(b);
}

/* An actor whose turns on the I/O thread are slow (3 ms here) gets its next asks on the
 * workers, twice as many after each slow turn there: the node's other connections are held
 * up behind it ever more rarely (and a fast actor that was preempted once soon runs there
 * again: the TSan run of the first test has such hiccups). */
static int slow_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    (void)msg;
    count_thread();
    struct timespec ts = {0, 3000000};
    nanosleep(&ts, NULL);
    return tu_reply(ctx, "done", "");
}

static void test_slow_turns_send_ever_more_asks_to_the_workers(void **state) {
    (void)state;
    akt_system *a = node("inl_h", 1), *b = node("inl_i", 1);
    akt_behavior sb = tu_behavior(slow_receive);
    tu_spawn(b, &sb, NULL, "slow");
    akt_pid slow = tu_remote_pid(a, b, "/user/slow");
    counts_reset();
    /* Until one turn ran on the I/O thread (a worker may take the first ones). */
    int64_t deadline = tu_now_ns() + TU_SEC(10);
    while (atomic_load(&on_io) == 0 && tu_now_ns() < deadline)
        TU_OK(tu_ask(a, slow, tu_msg("go", ""), NULL));
    assert_int_equal(atomic_load(&on_io), 1);
    /* Then at most asks 3, 8, 17 and 34 of the next 40 (skips of 2, 4, 8, 16, 32). */
    enum { N = 40 };
    int io_at[N], in_io = 0, late = 0;
    for (int i = 0; i < N; i++) {
        int before = atomic_load(&on_io);
        TU_OK(tu_ask(a, slow, tu_msg("go", ""), NULL));
        io_at[i] = atomic_load(&on_io) != before;
        in_io += io_at[i];
        if (i >= N / 2) late += io_at[i];
    }
    assert_true(in_io >= 1 && in_io <= 5);
    assert_true(late <= 1);
    assert_false(io_at[0] || io_at[1]); /* the skip after the first slow turn */
    tu_system_end(a);
    tu_system_end(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_inbound_asks_of_an_idle_actor_run_on_the_io_thread),
        TU_TEST(test_inbound_asks_stay_on_workers_without_waiters_run_turns),
        TU_TEST(test_a_turn_on_the_io_thread_that_waits_for_another_node),
        TU_TEST(test_a_turn_on_the_io_thread_spawns_on_another_node),
        TU_TEST(test_slow_turns_send_ever_more_asks_to_the_workers),
        TU_TEST(test_a_blocked_turn_on_the_io_thread_leaves_the_network_to_a_stand_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
