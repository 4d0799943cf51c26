/* test_batch: receive_batch + akt_ctx_next, the one-crossing-per-run path bindings use:
 * order, runs bounded by the throughput, respond/stash/unhandled per pulled message, a
 * failure of the message last pulled, a stop seen between messages, become taking over. */
#include "tu.h"

#include <string.h>

static akt_system *sys;
static tu_log lg;

static int b_setup(void **state) {
    tu_log_init(&lg);
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "batch";
    o.workers = 2;
    o.throughput = 16;
    sys = tu_system_with(&o);
    return tu_setup(state);
}

static int b_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    tu_log_destroy(&lg);
    return tu_teardown(state);
}
#define B_TEST(f) cmocka_unit_test_setup_teardown(f, b_setup, b_teardown)

typedef struct batcher {
    atomic_int runs, max_run, handled;
    atomic_long next_seq;
    atomic_int out_of_order;
    atomic_int stashes;
} batcher;

static int single_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    tu_log_add(&lg, "single:%s", akt_msg_type(msg));
    return tu_reply(ctx, "single", NULL);
}

/* Handles one pulled message; returns what receive would. */
static int handle(akt_ctx *ctx, akt_msg *msg, batcher *b) {
    if (tu_is(msg, "seq")) {
        long want = atomic_fetch_add(&b->next_seq, 1);
        if ((long)tu_u64(msg) != want) atomic_store(&b->out_of_order, 1);
        atomic_fetch_add(&b->handled, 1);
        return 0;
    }
    if (tu_is(msg, "count")) return tu_reply_u64(ctx, "count", (uint64_t)atomic_load(&b->handled));
    if (tu_is(msg, "stash") && atomic_fetch_add(&b->stashes, 1) < 2) {
        TU_CB_RC(0, akt_ctx_stash(ctx)); /* the first two; unstashed, they are logged */
        return 0;
    }
    if (tu_is(msg, "unstash")) {
        TU_CB_RC(0, akt_ctx_unstash_all(ctx));
        return tu_reply(ctx, "unstashed", NULL);
    }
    if (tu_is(msg, "huh")) {
        TU_CB_RC(0, akt_ctx_unhandled(ctx));
        return 0;
    }
    if (tu_is(msg, "boom")) return akt_ctx_fail(ctx, "boom in a batch");
    if (tu_is(msg, "become")) {
        TU_CB_RC(0, akt_ctx_become(ctx, single_receive, NULL, 0));
        return tu_reply(ctx, "became", NULL);
    }
    char text[32];
    tu_text(msg, text, sizeof text);
    tu_log_add(&lg, "batch:%s:%s", akt_msg_type(msg), text);
    return tu_reply(ctx, "ok", NULL);
}

static int batch_receive(akt_ctx *ctx, void *state) {
    batcher *b = state;
    akt_msg *msg;
    int n = 0, rc = 0;
    while (akt_ctx_next(ctx, &msg) == 0) {
        n++;
        rc = handle(ctx, msg, b);
        if (rc) break; /* the failure belongs to the message last pulled */
    }
    atomic_fetch_add(&b->runs, 1);
    int prev = atomic_load(&b->max_run);
    while (n > prev && !atomic_compare_exchange_weak(&b->max_run, &prev, n))
        ;
    return rc;
}

static int never_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    tu_log_add(&lg, "receive:%s", akt_msg_type(msg)); /* must not run: the batch path does */
    return 0;
}

static int batch_pre_start(akt_ctx *ctx, void *state) {
    akt_msg *msg = (akt_msg *)0x1;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_next(ctx, &msg)); /* only inside receive_batch */
    return 0;
}

static const akt_behavior batch_behavior = {
    .size = sizeof(akt_behavior),
    .receive = never_receive,
    .pre_start = batch_pre_start,
    .receive_batch = batch_receive,
};

static void test_order_and_run_bound(void **state) {
    (void)state;
    static batcher b;
    akt_pid pid = tu_spawn(sys, &batch_behavior, &b, "seq");
    enum { N = 5000 };
    for (uint64_t i = 0; i < N; i++) TU_OK(akt_tell(sys, pid, tu_msg_u64("seq", i)));
    assert_int_equal(tu_ask_u64(sys, pid, "count"), N);
    assert_int_equal(atomic_load(&b.out_of_order), 0);
    assert_true(atomic_load(&b.max_run) <= 16); /* one run per turn, within the throughput */
    assert_true(atomic_load(&b.runs) < N);      /* and many messages per run */
    assert_int_equal(tu_log_index(&lg, "receive:seq"), -1);
}

static void test_respond_stash_unhandled(void **state) {
    (void)state;
    static batcher b;
    tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub;
    TU_OK(akt_subscribe(sys, AKT_EVENT_UNHANDLED, tu_events_cb, &ev, &sub));
    akt_pid pid = tu_spawn(sys, &batch_behavior, &b, "mixed");
    TU_OK(akt_tell(sys, pid, tu_msg("stash", "1")));
    TU_OK(akt_tell(sys, pid, tu_msg("stash", "2")));
    TU_OK(akt_tell(sys, pid, tu_msg("huh", NULL)));
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("hello", "a"), &reply));
    assert_true(tu_is(reply, "ok"));
    akt_msg_release(reply);
    TU_OK(tu_ask(sys, pid, tu_msg("unstash", NULL), &reply));
    assert_true(tu_is(reply, "unstashed"));
    akt_msg_release(reply);
    /* The stashed messages come back first, in order, and still reach the batch path. */
    TU_OK(tu_ask(sys, pid, tu_msg("hello", "b"), &reply));
    akt_msg_release(reply);
    int a = tu_log_index(&lg, "batch:hello:a"), s1 = tu_log_index(&lg, "batch:stash:1"),
        s2 = tu_log_index(&lg, "batch:stash:2"), hb = tu_log_index(&lg, "batch:hello:b");
    assert_true(a >= 0 && s1 > a && s2 > s1 && hb > s2);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_UNHANDLED, pid) == 1);
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
}

static void test_failure_of_last_pulled_message(void **state) {
    (void)state;
    static batcher b;
    akt_pid pid = tu_spawn(sys, &batch_behavior, &b, "failing");
    for (uint64_t i = 0; i < 3; i++) TU_OK(akt_tell(sys, pid, tu_msg_u64("seq", i)));
    akt_msg *reply = NULL;
    /* The asker of the failing message learns it failed; the actor restarts (default) and
     * goes on with the messages after it, its mailbox kept. */
    TU_RC(AKT_EFAILED, tu_ask(sys, pid, tu_msg("boom", NULL), &reply));
    TU_OK(akt_tell(sys, pid, tu_msg_u64("seq", 3)));
    assert_int_equal(tu_ask_u64(sys, pid, "count"), 4);
    assert_int_equal(atomic_load(&b.out_of_order), 0);
}

static void test_become_takes_over(void **state) {
    (void)state;
    static batcher b;
    akt_pid pid = tu_spawn(sys, &batch_behavior, &b, "turncoat");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("become", NULL), &reply));
    assert_true(tu_is(reply, "became"));
    akt_msg_release(reply);
    TU_OK(tu_ask(sys, pid, tu_msg("after", NULL), &reply));
    assert_true(tu_is(reply, "single"));
    akt_msg_release(reply);
    assert_true(tu_log_index(&lg, "single:after") >= 0);
}

static void test_stop_between_messages(void **state) {
    (void)state;
    static batcher b;
    tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    akt_pid pid = tu_spawn(sys, &batch_behavior, &b, "stopped");
    for (uint64_t i = 0; i < 1000; i++) TU_OK(akt_tell(sys, pid, tu_msg_u64("seq", i)));
    TU_OK(akt_stop(sys, pid));
    tu_wait_dead(sys, pid);
    /* Every message was either handled, in order, or became a dead letter: none lost. */
    TU_EVENTUALLY(atomic_load(&b.handled) +
                      tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, (akt_pid){0}) ==
                  1000);
    assert_int_equal(atomic_load(&b.out_of_order), 0);
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        B_TEST(test_order_and_run_bound),
        B_TEST(test_respond_stash_unhandled),
        B_TEST(test_failure_of_last_pulled_message),
        B_TEST(test_become_takes_over),
        B_TEST(test_stop_between_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
