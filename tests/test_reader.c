/* test_reader: akt_pid_receive names the function that reads an actor's messages (what a
 * binding compares with its own to refuse a value without bytes at the sender), NULL for
 * akt's actors that pass messages on (a router, the topics actor), and ENOTFOUND once the
 * actor stopped, also after its slot was reused by another behaviour. akt_ctx_asker_reader
 * names who reads a reply: the reader an ask recorded (a plain akt_ask's stands for C code,
 * akt_ask_as's is the one named), the sender actor's receive, ENOTFOUND without an asker. */
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

/* ---- akt_ctx_asker_reader ------------------------------------------------------------- */

/* What the responder saw for its last message: the rc and the reader. */
static atomic_int asker_rc, asker_seen;
static _Atomic(akt_receive_fn) asker_got;

static int responder(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg, (void)state;
    akt_receive_fn r = read_b; /* stays read_b on failure */
    atomic_store(&asker_rc, akt_ctx_asker_reader(ctx, &r));
    atomic_store(&asker_got, r);
    atomic_fetch_add(&asker_seen, 1);
    return tu_reply(ctx, "reader.Ok", NULL);
}

/* Waits for the responder's next message; *rc its akt_ctx_asker_reader's code. */
static akt_receive_fn seen_reader(int before, int *rc) {
    TU_EVENTUALLY(atomic_load(&asker_seen) > before);
    *rc = atomic_load(&asker_rc);
    return atomic_load(&asker_got);
}

static akt_pid spawn_responder(void) {
    akt_behavior b = tu_behavior(responder);
    return tu_spawn(sys, &b, NULL, NULL);
}

static void test_asker_reader_of_a_plain_ask_is_c(void **state) {
    (void)state;
    akt_pid r = spawn_responder();
    int before = atomic_load(&asker_seen), rc;
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, r, tu_msg("reader.Q", NULL), &reply));
    akt_msg_release(reply);
    akt_receive_fn c_reader = seen_reader(before, &rc);
    TU_OK(rc);
    /* akt's token for C code: no actor's receive, and the same for every plain ask. */
    assert_non_null(c_reader);
    assert_true(c_reader != responder && c_reader != read_a && c_reader != read_b);
    akt_msg *batch[2] = {tu_msg("reader.Q", NULL), tu_msg("reader.Q", NULL)};
    akt_future *fs[2];
    before = atomic_load(&asker_seen);
    TU_OK(akt_ask_batch(sys, r, batch, 2, TU_SEC(5), fs));
    for (int i = 0; i < 2; i++) {
        TU_OK(tu_wait(fs[i], &reply));
        akt_msg_release(reply);
        TU_OK(akt_future_release(fs[i]));
    }
    assert_ptr_equal(seen_reader(before + 1, &rc), c_reader);
    TU_OK(rc);
}

static void test_asker_reader_is_the_one_named(void **state) {
    (void)state;
    akt_pid r = spawn_responder();
    int before = atomic_load(&asker_seen), rc;
    akt_future *f = NULL;
    akt_msg *reply = NULL;
    TU_OK(akt_ask_as(sys, r, tu_msg("reader.Q", NULL), TU_SEC(5), read_a, &f));
    TU_OK(tu_wait(f, &reply));
    akt_msg_release(reply);
    TU_OK(akt_future_release(f));
    assert_ptr_equal(seen_reader(before, &rc), read_a);
    TU_OK(rc);
    akt_msg *batch[2] = {tu_msg("reader.Q", NULL), tu_msg("reader.Q", NULL)};
    akt_future *fs[2];
    before = atomic_load(&asker_seen);
    TU_OK(akt_ask_batch_as(sys, r, batch, 2, TU_SEC(5), read_b, fs));
    for (int i = 0; i < 2; i++) {
        TU_OK(tu_wait(fs[i], &reply));
        akt_msg_release(reply);
        TU_OK(akt_future_release(fs[i]));
    }
    assert_ptr_equal(seen_reader(before + 1, &rc), read_b);
    TU_OK(rc);
}

/* An actor that, on "go.ask" / "go.tell" / "go.plain", asks / tells / akt_asks the
 * responder (its state) from its receive. */
static int prober(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_pid to = *(akt_pid *)state;
    akt_future *f = NULL;
    if (tu_is(msg, "go.ask")) {
        TU_CB_RC(0, akt_ctx_ask(ctx, to, tu_msg("reader.Q", NULL), TU_SEC(5), &f));
        TU_CB_RC(0, akt_future_release(f));
    } else if (tu_is(msg, "go.tell")) {
        TU_CB_RC(0, akt_ctx_tell(ctx, to, tu_msg("reader.Q", NULL)));
    } else if (tu_is(msg, "go.plain")) {
        akt_system *s = NULL;
        TU_CB_RC(0, akt_ctx_system(ctx, &s));
        TU_CB_RC(0, akt_ask(s, to, tu_msg("reader.Q", NULL), TU_SEC(5), &f));
        TU_CB_RC(0, akt_future_release(f));
    }
    return 0;
}

static void test_asker_reader_of_an_actor_is_its_receive(void **state) {
    (void)state;
    akt_pid r = spawn_responder();
    akt_behavior b = tu_behavior(prober);
    akt_pid p = tu_spawn(sys, &b, &r, NULL);
    const char *how[] = {"go.ask", "go.tell", "go.plain"};
    for (int i = 0; i < 3; i++) {
        int before = atomic_load(&asker_seen), rc;
        atomic_store(&asker_got, NULL);
        TU_OK(akt_tell(sys, p, tu_msg(how[i], NULL)));
        assert_ptr_equal(seen_reader(before, &rc), prober);
        TU_OK(rc);
    }
    tu_stop_wait(sys, p);
    tu_assert_no_cb_failures();
}

static void test_asker_reader_without_asker_is_not_found(void **state) {
    (void)state;
    akt_pid r = spawn_responder();
    int before = atomic_load(&asker_seen), rc;
    TU_OK(akt_tell(sys, r, tu_msg("reader.Q", NULL)));
    assert_ptr_equal(seen_reader(before, &rc), read_b); /* untouched */
    assert_int_equal(rc, AKT_ENOTFOUND);
}

static void test_asker_reader_bad_input(void **state) {
    (void)state;
    akt_receive_fn got = read_a;
    assert_int_equal(akt_ctx_asker_reader(NULL, &got), AKT_EINVAL);
    assert_ptr_equal(got, read_a);
    akt_future *f = (akt_future *)0x1;
    akt_msg *m = tu_msg("reader.Q", NULL);
    akt_pid r = spawn_responder();
    assert_int_equal(akt_ask_as(sys, r, m, TU_SEC(1), NULL, &f), AKT_EINVAL);
    akt_msg *batch[1] = {m};
    assert_int_equal(akt_ask_batch_as(sys, r, batch, 1, TU_SEC(1), NULL, &f), AKT_EINVAL);
    assert_ptr_equal(f, (akt_future *)0x1);
    akt_msg_release(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        S_TEST(test_names_the_spawned_receive),
        S_TEST(test_stopped_actor_is_not_found_even_after_reuse),
        S_TEST(test_relays_report_null),
        S_TEST(test_answers_while_slots_are_reused),
        S_TEST(test_bad_arguments),
        S_TEST(test_asker_reader_of_a_plain_ask_is_c),
        S_TEST(test_asker_reader_is_the_one_named),
        S_TEST(test_asker_reader_of_an_actor_is_its_receive),
        S_TEST(test_asker_reader_without_asker_is_not_found),
        S_TEST(test_asker_reader_bad_input),
    };
    return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
