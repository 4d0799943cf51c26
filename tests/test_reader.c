/* test_reader: akt_pid_receive names the function that reads an actor's messages (what a
 * binding compares with its own to refuse a value without bytes at the sender), NULL for
 * akt's actors that pass messages on (a router, the topics actor), and ENOTFOUND once the
 * actor stopped, also after its slot was reused by another behaviour. */
#include "tu.h"

#include <pthread.h>

static akt_system *sys;

static int s_setup(void **state) {
    sys = tu_system("reader", 1);
    return tu_setup(state);
}

static int s_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define S_TEST(f) cmocka_unit_test_setup_teardown(f, s_setup, s_teardown)

static int read_a(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    return 0;
}

static int read_b(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    return 0;
}

static void test_names_the_spawned_receive(void **state) {
    (void)state;
    akt_behavior a = tu_behavior(read_a), b = tu_behavior(read_b);
    akt_pid pa = tu_spawn(sys, &a, NULL, "a"), pb = tu_spawn(sys, &b, NULL, "b");
    akt_receive_fn got = NULL;
    TU_OK(akt_pid_receive(sys, pa, &got));
    assert_ptr_equal(got, read_a);
    TU_OK(akt_pid_receive(sys, pb, &got));
    assert_ptr_equal(got, read_b);
}

static void test_stopped_actor_is_not_found_even_after_reuse(void **state) {
    (void)state;
    akt_behavior a = tu_behavior(read_a), b = tu_behavior(read_b);
    akt_pid old = tu_spawn(sys, &a, NULL, NULL);
    tu_stop_wait(sys, old);
    akt_receive_fn got = read_b;
    assert_int_equal(akt_pid_receive(sys, old, &got), AKT_ENOTFOUND);
    assert_ptr_equal(got, read_b); /* untouched */
    /* Spawns until one reuses the slot (or many were made): the old pid stays dead. */
    akt_pid fresh[64];
    for (int i = 0; i < 64; i++) {
        fresh[i] = tu_spawn(sys, &b, NULL, NULL);
        assert_int_equal(akt_pid_receive(sys, old, &got), AKT_ENOTFOUND);
        TU_OK(akt_pid_receive(sys, fresh[i], &got));
        assert_ptr_equal(got, read_b);
    }
    for (int i = 0; i < 64; i++) tu_stop_wait(sys, fresh[i]);
}

static void test_relays_report_null(void **state) {
    (void)state;
    akt_behavior a = tu_behavior(read_a);
    akt_router_options o;
    TU_OK(akt_router_options_init(&o));
    o.pool_size = 2;
    o.routee_behavior = &a;
    akt_pid router = {0};
    TU_OK(akt_router_spawn(sys, NULL, "pool", &o, &router));
    akt_receive_fn got = read_b;
    TU_OK(akt_pid_receive(sys, router, &got));
    assert_null(got); /* its routees read: akt cannot say for the sender which */
    akt_pid routees[2];
    size_t n = 0;
    TU_OK(akt_router_routees(sys, router, routees, 2, &n));
    assert_int_equal(n, 2);
    TU_OK(akt_pid_receive(sys, routees[0], &got));
    assert_ptr_equal(got, read_a);

    akt_pid sub = tu_spawn(sys, &a, NULL, "sub");
    TU_OK(akt_topic_subscribe(sys, "news", sub, 0, NULL));
    akt_pid topics = {0};
    TU_OK(akt_lookup(sys, "/user/$topics", &topics));
    got = read_b;
    TU_OK(akt_pid_receive(sys, topics, &got));
    assert_null(got);
}

/* A sender asking about pids while their slots are stopped and respawned with another
 * behaviour on another thread: every answer is the pid's own behaviour or ENOTFOUND. */
typedef struct churn {
    akt_pid pids[8];
    atomic_int done;
} churn;

static void *asker(void *arg) {
    churn *c = arg;
    while (!atomic_load(&c->done))
        for (int i = 0; i < 8; i++) {
            akt_receive_fn got = NULL;
            akt_pid p = {0};
            /* relaxed is enough for a test's pid word: ids are checked by akt */
            p.id = __atomic_load_n(&c->pids[i].id, __ATOMIC_RELAXED);
            int rc = akt_pid_receive(sys, p, &got);
            if (rc == 0 && got != read_a && got != read_b) tu_cb_fail(__FILE__, __LINE__, "bad");
            if (rc != 0 && rc != AKT_ENOTFOUND) tu_cb_fail(__FILE__, __LINE__, "rc %d", rc);
        }
    return NULL;
}

static void test_answers_while_slots_are_reused(void **state) {
    (void)state;
    akt_behavior a = tu_behavior(read_a), b = tu_behavior(read_b);
    churn c = {{{0}}, 0};
    for (int i = 0; i < 8; i++) c.pids[i] = tu_spawn(sys, &a, NULL, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, asker, &c), 0);
    for (int round = 0; round < 200; round++) {
        int i = round % 8;
        akt_pid old = c.pids[i];
        tu_stop_wait(sys, old);
        akt_pid fresh = tu_spawn(sys, round % 2 ? &a : &b, NULL, NULL);
        __atomic_store_n(&c.pids[i].id, fresh.id, __ATOMIC_RELAXED);
    }
    atomic_store(&c.done, 1);
    pthread_join(t, NULL);
    tu_assert_no_cb_failures();
}

static void test_bad_arguments(void **state) {
    (void)state;
    akt_receive_fn got = NULL;
    assert_int_equal(akt_pid_receive(NULL, (akt_pid){1}, &got), AKT_EINVAL);
    akt_behavior a = tu_behavior(read_a);
    akt_pid pa = tu_spawn(sys, &a, NULL, NULL);
    assert_int_equal(akt_pid_receive(sys, pa, NULL), AKT_EINVAL);
    assert_int_equal(akt_pid_receive(sys, (akt_pid){0}, &got), AKT_ENOTFOUND);
    assert_int_equal(akt_pid_receive(sys, (akt_pid){UINT64_MAX}, &got), AKT_ENOTFOUND);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        S_TEST(test_names_the_spawned_receive),
        S_TEST(test_stopped_actor_is_not_found_even_after_reuse),
        S_TEST(test_relays_report_null),
        S_TEST(test_answers_while_slots_are_reused),
        S_TEST(test_bad_arguments),
    };
    return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
