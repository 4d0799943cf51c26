/* test_topics: publish / subscribe through the system's topic actor. */
#include "tu.h"

#include <stdio.h>
#include <string.h>

static akt_system *sys;

static int t_setup(void **state) {
    sys = tu_system("topics", 2);
    return tu_setup(state);
}

static int t_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define T_TEST(f) cmocka_unit_test_setup_teardown(f, t_setup, t_teardown)

/* A subscriber: logs "<name>:<text>" for each message, or "<name>:<text>@<sender path>"
 * when the message has a sender. */
typedef struct sub {
    const char *name;
    tu_log *log;
} sub;

static int sub_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    sub *s = state;
    char text[32] = "";
    tu_text(msg, text, sizeof text);
    akt_pid from = {0};
    akt_ctx_sender(ctx, &from);
    if (from.id) {
        akt_system *as = NULL;
        akt_ctx_system(ctx, &as);
        char path[64] = "?";
        akt_pid_path(as, from, path, sizeof path, NULL);
        tu_log_add(s->log, "%s:%s@%s", s->name, text, path);
    } else {
        tu_log_add(s->log, "%s:%s", s->name, text);
    }
    return 0;
}

static int64_t int64_of(akt_msg *m) {
    const void *p;
    size_t n;
    assert_int_equal(akt_msg_bytes(m, &p, &n), 0);
    assert_int_equal(n, 8);
    assert_string_equal(akt_msg_type(m), AKT_TYPE_INT64);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | ((const unsigned char *)p)[i];
    return (int64_t)v;
}

/* Waits for an ack or count future and returns its subscriber count. */
static int64_t count_of(akt_future *f) {
    akt_msg *r = NULL;
    TU_OK(tu_wait(f, &r));
    int64_t n = int64_of(r);
    akt_msg_release(r);
    akt_future_release(f);
    return n;
}

static int64_t count(const char *topic) {
    akt_future *f;
    TU_OK(akt_topic_count(sys, topic, TU_SEC(5), &f));
    return count_of(f);
}

static int64_t subscribe(const char *topic, akt_pid pid) {
    akt_future *f;
    TU_OK(akt_topic_subscribe(sys, topic, pid, TU_SEC(5), &f));
    return count_of(f);
}

static void publish(const char *topic, const char *text) {
    TU_OK(akt_topic_publish(sys, topic, tu_msg("t", text)));
}

static tu_log log1;
static sub sa, sb;

static void spawn_two(akt_pid *a, akt_pid *b) {
    tu_log_init(&log1);
    sa = (sub){"a", &log1};
    sb = (sub){"b", &log1};
    akt_behavior beh = tu_behavior(sub_receive);
    *a = tu_spawn(sys, &beh, &sa, "a");
    *b = tu_spawn(sys, &beh, &sb, "b");
}

static void test_every_subscriber_gets_each_message_in_order(void **state) {
    (void)state;
    akt_pid a, b;
    spawn_two(&a, &b);
    assert_int_equal(subscribe("news", a), 1);
    assert_int_equal(subscribe("news", b), 2);
    assert_int_equal(subscribe("news", a), 2); /* twice is once */
    assert_int_equal(subscribe("other", b), 1);
    for (int i = 0; i < 3; i++) {
        char t[8];
        snprintf(t, sizeof t, "n%d", i);
        publish("news", t);
    }
    publish("other", "o");
    TU_EVENTUALLY(tu_log_count(&log1) == 7);
    /* Per subscriber, the publishing order. */
    assert_true(tu_log_index(&log1, "a:n0") < tu_log_index(&log1, "a:n1"));
    assert_true(tu_log_index(&log1, "a:n1") < tu_log_index(&log1, "a:n2"));
    assert_true(tu_log_index(&log1, "b:n0") < tu_log_index(&log1, "b:n1"));
    assert_true(tu_log_index(&log1, "b:n1") < tu_log_index(&log1, "b:n2"));
    assert_true(tu_log_index(&log1, "b:o") >= 0);
    assert_int_equal(tu_log_index(&log1, "a:o"), -1);
    tu_log_destroy(&log1);
}

static void test_unsubscribe_and_counts(void **state) {
    (void)state;
    akt_pid a, b;
    spawn_two(&a, &b);
    assert_int_equal(count("t"), 0);
    assert_int_equal(subscribe("t", a), 1);
    assert_int_equal(subscribe("t", b), 2);
    akt_future *f;
    TU_OK(akt_topic_unsubscribe(sys, "t", a, TU_SEC(5), &f));
    assert_int_equal(count_of(f), 1);
    TU_OK(akt_topic_unsubscribe(sys, "t", a, TU_SEC(5), &f)); /* not subscribed: no change */
    assert_int_equal(count_of(f), 1);
    publish("t", "x");
    TU_EVENTUALLY(tu_log_count(&log1) == 1);
    assert_int_equal(tu_log_index(&log1, "b:x"), 0);
    /* Fire and forget, then a count queued after it sees it. */
    TU_OK(akt_topic_unsubscribe(sys, "t", b, 0, NULL));
    assert_int_equal(count("t"), 0);
    tu_log_destroy(&log1);
}

static void test_a_stopped_subscriber_leaves_every_topic(void **state) {
    (void)state;
    akt_pid a, b;
    spawn_two(&a, &b);
    subscribe("x", a);
    subscribe("y", a);
    subscribe("x", b);
    tu_stop_wait(sys, a);
    TU_EVENTUALLY(count("x") == 1);
    TU_EVENTUALLY(count("y") == 0);
    publish("x", "after");
    TU_EVENTUALLY(tu_log_count(&log1) == 1);
    assert_int_equal(tu_log_index(&log1, "b:after"), 0);
    tu_log_destroy(&log1);
}

/* A publish made after a subscribe from the same thread reaches the subscriber without
 * waiting for the acknowledgement. */
static void test_operations_of_one_thread_keep_their_order(void **state) {
    (void)state;
    akt_pid a, b;
    spawn_two(&a, &b);
    for (int i = 0; i < 50; i++) {
        char topic[16], t[8];
        snprintf(topic, sizeof topic, "q%d", i);
        snprintf(t, sizeof t, "%d", i);
        TU_OK(akt_topic_subscribe(sys, topic, a, 0, NULL));
        publish(topic, t);
    }
    TU_EVENTUALLY(tu_log_count(&log1) == 50);
    tu_log_destroy(&log1);
}

static atomic_int freed;
static void count_free(void *p) {
    (void)p;
    atomic_fetch_add(&freed, 1);
}

static void test_publishing_to_nobody_frees_the_message(void **state) {
    (void)state;
    atomic_store(&freed, 0);
    static char buf[4] = "abc";
    akt_msg *m;
    TU_OK(akt_msg_new_bytes("t", buf, 3, count_free, &m));
    TU_OK(akt_topic_publish(sys, "nobody", m));
    assert_int_equal(count("nobody"), 0); /* handled after the publish */
    TU_EVENTUALLY(atomic_load(&freed) == 1);
}

/* The publisher is the sender the subscribers see. */
static int publisher_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    akt_system *s = NULL;
    akt_ctx_system(ctx, &s);
    char text[32];
    tu_text(msg, text, sizeof text);
    TU_CB_RC(0, akt_topic_publish(s, "news", tu_msg("t", text)));
    return 0;
}

static void test_subscribers_see_the_publishing_actor_as_sender(void **state) {
    (void)state;
    akt_pid a, b;
    spawn_two(&a, &b);
    subscribe("news", a);
    akt_behavior pb = tu_behavior(publisher_receive);
    akt_pid p = tu_spawn(sys, &pb, NULL, "pub");
    TU_OK(akt_tell(sys, p, tu_msg("t", "hi")));
    TU_EVENTUALLY(tu_log_count(&log1) == 1);
    if (tu_log_index(&log1, "a:hi@akt://topics/user/pub") != 0)
        fail_msg("log: %s", tu_log_str(&log1));
    tu_log_destroy(&log1);
}

/* Callback subscriptions. */
typedef struct cb_rec {
    tu_log log;
    atomic_int freed;
} cb_rec;
static cb_rec rec;

static void on_topic(akt_system *s, const char *topic, akt_msg *msg, void *data) {
    (void)s;
    cb_rec *r = data;
    char text[32];
    tu_text(msg, text, sizeof text);
    tu_log_add(&r->log, "%s:%s", topic, text);
}

static void rec_free(void *data) { atomic_fetch_add(&((cb_rec *)data)->freed, 1); }

static void test_callback_subscription(void **state) {
    (void)state;
    tu_log_init(&rec.log);
    atomic_store(&rec.freed, 0);
    akt_pid p;
    TU_OK(akt_topic_subscribe_fn(sys, "cb", on_topic, &rec, rec_free, &p));
    publish("cb", "1");
    publish("cb", "2");
    TU_EVENTUALLY(tu_log_count(&rec.log) == 2);
    assert_int_equal(tu_log_index(&rec.log, "cb:1"), 0);
    assert_int_equal(tu_log_index(&rec.log, "cb:2"), 1);
    assert_int_equal(count("cb"), 1);
    TU_OK(akt_stop(sys, p));
    TU_EVENTUALLY(atomic_load(&rec.freed) == 1);
    TU_EVENTUALLY(count("cb") == 0);
    tu_log_destroy(&rec.log);
}

/* Several threads publish to several subscribers at once: every message arrives once,
 * in each publisher's order. */
#define PUBLISHERS 4
#define PER 5000
typedef struct seq_sub {
    int next[PUBLISHERS];
    atomic_int got, bad;
} seq_sub;
static seq_sub seqs[3];

static int seq_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    seq_sub *s = state;
    uint64_t v = tu_u64(msg);
    int from = (int)(v >> 32), n = (int)(v & 0xffffffffu);
    if (from >= PUBLISHERS || s->next[from] != n) atomic_fetch_add(&s->bad, 1);
    if (from < PUBLISHERS) s->next[from] = n + 1;
    atomic_fetch_add(&s->got, 1);
    return 0;
}

static void *publisher_main(void *arg) {
    uint64_t from = (uint64_t)(uintptr_t)arg;
    for (uint64_t i = 0; i < PER; i++) {
        akt_msg *m = tu_msg_u64("n", from << 32 | i);
        while (akt_topic_publish(sys, "load", m) == AKT_ENOMEM) tu_sleep_ms(1);
    }
    return NULL;
}

static void test_concurrent_publishers(void **state) {
    (void)state;
    memset(seqs, 0, sizeof seqs);
    akt_behavior beh = tu_behavior(seq_receive);
    for (int i = 0; i < 3; i++) subscribe("load", tu_spawn(sys, &beh, &seqs[i], NULL));
    pthread_t th[PUBLISHERS];
    for (uintptr_t i = 0; i < PUBLISHERS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, publisher_main, (void *)i), 0);
    for (int i = 0; i < PUBLISHERS; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) {
        TU_EVENTUALLY(atomic_load(&seqs[i].got) == PUBLISHERS * PER);
        assert_int_equal(atomic_load(&seqs[i].bad), 0);
    }
}

/* Messages still queued for the topic actor at shutdown are freed (ASan's leak check). */
static void test_shutdown_with_publishes_in_flight(void **state) {
    (void)state;
    akt_pid a, b;
    spawn_two(&a, &b);
    TU_OK(akt_topic_subscribe(sys, "f", a, 0, NULL));
    for (int i = 0; i < 200; i++) publish("f", "x");
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    akt_msg *late = tu_msg("t", "late");
    TU_RC(AKT_ECLOSED, akt_topic_publish(sys, "f", late));
    akt_msg_release(late); /* refused: still ours */
    tu_system_end(sys);
    sys = tu_system("topics", 2); /* for the teardown */
    tu_log_destroy(&log1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        T_TEST(test_every_subscriber_gets_each_message_in_order),
        T_TEST(test_unsubscribe_and_counts),
        T_TEST(test_a_stopped_subscriber_leaves_every_topic),
        T_TEST(test_operations_of_one_thread_keep_their_order),
        T_TEST(test_publishing_to_nobody_frees_the_message),
        T_TEST(test_subscribers_see_the_publishing_actor_as_sender),
        T_TEST(test_callback_subscription),
        T_TEST(test_concurrent_publishers),
        T_TEST(test_shutdown_with_publishes_in_flight),
    };
    return cmocka_run_group_tests_name("topics", tests, NULL, NULL);
}
