/* test_stream_remote: streams whose ends are on another node (akt/stream.h, "streams across
 * nodes"), two systems in one process over 127.0.0.1. A sink reference (an actor sink whose
 * target is a remote pid) delivers every element once, in order, with at most in_flight
 * unacknowledged as counted on the target's node, and fails when the target stops or its
 * node goes; a source reference (akt_stream_source_actor) answers each element once it is in
 * its buffer, so a remote producer with k asks in flight is paced by the stream's demand; a
 * stream on one node feeds a stream on the other through both. */
#define _GNU_SOURCE
#include "tu_remote.h"
#include "tu_stream.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static akt_system *node_with(const char *name, uint32_t window) {
    akt_system *s = tu_system(name, 2);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.send_window = window;
    TU_OK(akt_remote_start(s, &o));
    return s;
}

static akt_system *node(const char *name) { return node_with(name, 0); }

static int64_t result(akt_stream *s, size_t i) {
    akt_msg *m = NULL;
    TU_OK(akt_stream_result_at(s, i, &m));
    return tu_i64_val(m);
}

/* ---- the target on node B: records elements, acknowledges when open ----------------- */
#define N_MAX 4096
typedef struct target {
    atomic_int open;
    int64_t got[N_MAX];
    atomic_int n_got, done, max_unacked, bad;
    int unacked;
    akt_pid sink;
} target;

static int target_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    target *t = state;
    if (tu_is(msg, "t.Open")) {
        atomic_store(&t->open, 1);
        for (; t->unacked > 0; t->unacked--)
            TU_CB_RC(0, akt_ctx_tell(ctx, t->sink, tu_msg("t.Ack", "")));
        return 0;
    }
    if (tu_is(msg, "t.Done")) {
        atomic_store(&t->done, atomic_load(&t->n_got) + 1);
        return 0;
    }
    int n = atomic_load(&t->n_got);
    int64_t v = tu_i64_val(msg);
    if (v != n) atomic_fetch_add(&t->bad, 1); /* once each, in order */
    if (n < N_MAX) t->got[n] = v;
    atomic_store(&t->n_got, n + 1);
    if (atomic_load(&t->open) && t->unacked == 0) return tu_reply(ctx, "t.Ack", "");
    akt_ctx_sender(ctx, &t->sink);
    t->unacked++;
    if (t->unacked > atomic_load(&t->max_unacked)) atomic_store(&t->max_unacked, t->unacked);
    return 0;
}

static akt_stream *range_to(akt_system *a, akt_pid target_pid, int64_t n, size_t in_flight,
                            akt_msg *done) {
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 4));
    TU_OK(akt_stream_source_range(g, 0, n, 1));
    TU_OK(akt_stream_sink_actor(g, target_pid, in_flight, done));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(a, g, &s));
    TU_OK(akt_stream_graph_free(g));
    return s;
}

static void test_remote_sink_in_order_bounded(void **state) {
    (void)state;
    static target t;
    memset(&t, 0, sizeof t);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior tb = tu_behavior(target_receive);
    tu_spawn(b, &tb, &t, "target");
    akt_pid remote = tu_remote_pid(a, b, "/user/target");
    akt_msg *done = tu_msg("t.Done", "");
    const int n = 2000;
    akt_stream *s = range_to(a, remote, n, 3, done);
    /* B acknowledges nothing: exactly in_flight elements cross, and no more. */
    TU_EVENTUALLY(atomic_load(&t.n_got) == 3);
    tu_sleep_ms(100);
    assert_int_equal(atomic_load(&t.n_got), 3);
    assert_int_equal(atomic_load(&t.max_unacked), 3);
    akt_pid local = {0};
    TU_OK(akt_lookup(b, "/user/target", &local));
    TU_OK(akt_tell(b, local, tu_msg("t.Open", "")));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    TU_EVENTUALLY(atomic_load(&t.done) != 0);
    assert_int_equal(atomic_load(&t.n_got), n);
    assert_int_equal(atomic_load(&t.bad), 0);
    assert_int_equal(atomic_load(&t.done), n + 1); /* on_complete after the last */
    assert_int_equal(atomic_load(&t.max_unacked), 3);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_msg_release(done));
    tu_system_end(a);
    tu_system_end(b);
}

/* in_flight beyond the remoting's send window: a tell refused with AKT_EFULL is tried again,
 * the stream neither fails nor loses or repeats an element. */
static void test_remote_sink_window_smaller_than_in_flight(void **state) {
    (void)state;
    static target t;
    memset(&t, 0, sizeof t);
    atomic_store(&t.open, 1);
    akt_system *a = node_with("alpha", 2), *b = node("beta");
    akt_behavior tb = tu_behavior(target_receive);
    tu_spawn(b, &tb, &t, "target");
    akt_pid remote = tu_remote_pid(a, b, "/user/target");
    akt_msg *done = tu_msg("t.Done", "");
    const int n = 1000;
    akt_stream *s = range_to(a, remote, n, 16, done);
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    TU_EVENTUALLY(atomic_load(&t.done) != 0);
    assert_int_equal(atomic_load(&t.n_got), n);
    assert_int_equal(atomic_load(&t.bad), 0);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_msg_release(done));
    tu_system_end(a);
    tu_system_end(b);
}

static void test_remote_sink_target_stops(void **state) {
    (void)state;
    static target t;
    memset(&t, 0, sizeof t);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior tb = tu_behavior(target_receive);
    akt_pid local = tu_spawn(b, &tb, &t, "target");
    akt_pid remote = tu_remote_pid(a, b, "/user/target");
    akt_stream *s = range_to(a, remote, 1000000, 2, NULL);
    TU_EVENTUALLY(atomic_load(&t.n_got) == 2);
    TU_OK(akt_stop(b, local));
    assert_int_equal(akt_stream_wait(s, TU_DEADLINE_NS), AKT_ESTOPPED);
    const char *why = NULL;
    TU_OK(akt_stream_reason(s, &why));
    assert_non_null(strstr(why, "stage 1 (actor): the target actor stopped"));
    assert_non_null(strstr(why, "/user/target"));
    TU_OK(akt_stream_release(s));
    tu_system_end(a);
    tu_system_end(b);
}

static void test_remote_sink_node_lost(void **state) {
    (void)state;
    static target t;
    memset(&t, 0, sizeof t);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior tb = tu_behavior(target_receive);
    tu_spawn(b, &tb, &t, "target");
    akt_pid remote = tu_remote_pid(a, b, "/user/target");
    akt_stream *s = range_to(a, remote, 1000000, 2, NULL);
    TU_EVENTUALLY(atomic_load(&t.n_got) == 2);
    tu_system_end(b); /* the node goes: its connection closes */
    assert_int_equal(akt_stream_wait(s, TU_DEADLINE_NS), AKT_ESTOPPED);
    const char *why = NULL;
    TU_OK(akt_stream_reason(s, &why));
    assert_non_null(strstr(why, "the target actor stopped"));
    TU_OK(akt_stream_release(s));
    tu_system_end(a);
}

/* ---- a source reference -------------------------------------------------------------- */

/* A stream on A: an actor source of capacity 4, then an actor sink to a local target that
 * acknowledges only when opened, in_flight 2. */
static akt_stream *source_ref_stream(akt_system *a, akt_pid tp, akt_msg *done) {
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 4));
    TU_OK(akt_stream_source_actor(g, 4));
    TU_OK(akt_stream_sink_actor(g, tp, 2, done));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(a, g, &s));
    TU_OK(akt_stream_graph_free(g));
    return s;
}

static void test_source_ref_paced_by_demand(void **state) {
    (void)state;
    static target t;
    memset(&t, 0, sizeof t);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior tb = tu_behavior(target_receive);
    akt_pid tp = tu_spawn(a, &tb, &t, "target");
    akt_msg *done = tu_msg("t.Done", "");
    akt_stream *s = source_ref_stream(a, tp, done);
    char addr[300];
    size_t need = 0;
    TU_OK(akt_stream_source_address(s, addr, sizeof addr, &need));
    assert_int_equal(need, strlen(addr));
    assert_non_null(strstr(addr, "akt://alpha@127.0.0.1:"));
    TU_RC(AKT_ERANGE, akt_stream_source_address(s, addr, 8, NULL));
    TU_OK(akt_stream_source_address(s, addr, sizeof addr, NULL));
    akt_pid src = {0};
    TU_OK(akt_remote_lookup(b, addr, &src));
    /* B's producer keeps k = 3 asks in flight. */
    enum { K = 3, N = 500 };
    akt_future *f[K] = {0};
    int sent = 0, acked = 0;
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    /* The target acknowledges nothing: the stream holds source 4 + sink 4 + 2 at the target,
     * so 10 are answered and the next K wait, unanswered, on A. */
    while (tu_now_ns() < dl) {
        if (sent < N && sent - acked < K) {
            TU_OK(akt_ask(b, src, tu_i64(sent), TU_SEC(30), &f[sent % K]));
            sent++;
            continue;
        }
        akt_msg *r = NULL;
        int rc = akt_future_wait(f[acked % K], TU_MS(300), &r);
        if (rc == AKT_EAGAIN) break; /* nothing more is answered */
        TU_OK(rc);
        assert_string_equal(akt_msg_type(r), AKT_STREAM_ACK);
        akt_msg_release(r);
        akt_future_release(f[acked % K]);
        acked++;
    }
    assert_int_equal(acked, 10);
    assert_int_equal(sent, 10 + K);
    assert_int_equal(atomic_load(&t.n_got), 2);
    TU_OK(akt_tell(a, tp, tu_msg("t.Open", "")));
    while (acked < N) {
        if (sent < N && sent - acked < K) {
            TU_OK(akt_ask(b, src, tu_i64(sent), TU_SEC(30), &f[sent % K]));
            sent++;
            continue;
        }
        akt_msg *r = NULL;
        TU_OK(akt_future_wait(f[acked % K], TU_DEADLINE_NS, &r));
        assert_string_equal(akt_msg_type(r), AKT_STREAM_ACK);
        akt_msg_release(r);
        akt_future_release(f[acked % K]);
        acked++;
    }
    akt_msg *r = NULL;
    akt_future *end = NULL;
    TU_OK(akt_ask(b, src, tu_msg(AKT_STREAM_END, ""), TU_SEC(30), &end));
    TU_OK(akt_future_wait(end, TU_DEADLINE_NS, &r));
    assert_string_equal(akt_msg_type(r), AKT_STREAM_ACK);
    akt_msg_release(r);
    akt_future_release(end);
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    TU_EVENTUALLY(atomic_load(&t.done) != 0);
    assert_int_equal(atomic_load(&t.n_got), N);
    assert_int_equal(atomic_load(&t.bad), 0);
    assert_int_equal(atomic_load(&t.max_unacked), 2);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_msg_release(done));
    tu_system_end(a);
    tu_system_end(b);
}

/* A stream on B feeds a stream on A: B's actor sink targets A's source reference, and its
 * on_complete (AKT_STREAM_END) ends A's stream once every element was accepted. */
static void test_stream_to_stream(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 4));
    TU_OK(akt_stream_source_actor(g, 2));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *sa = NULL;
    TU_OK(akt_stream_run(a, g, &sa));
    TU_OK(akt_stream_graph_free(g));
    char addr[300];
    TU_OK(akt_stream_source_address(sa, addr, sizeof addr, NULL));
    akt_pid src = {0};
    TU_OK(akt_remote_lookup(b, addr, &src));
    akt_msg *end = tu_msg(AKT_STREAM_END, "");
    akt_stream *sb = range_to(b, src, 3000, 3, end);
    TU_OK(akt_stream_wait(sb, TU_DEADLINE_NS));
    TU_OK(akt_stream_wait(sa, TU_DEADLINE_NS));
    size_t n = 0;
    TU_OK(akt_stream_result_count(sa, &n));
    assert_int_equal(n, 3000);
    for (size_t i = 0; i < n; i++) assert_int_equal(result(sa, i), (int64_t)i);
    /* An element after the end is answered CLOSED (or finds the source gone). */
    akt_msg *r = NULL;
    int rc = tu_ask(b, src, tu_i64(-1), &r);
    if (rc == 0) {
        assert_string_equal(akt_msg_type(r), AKT_STREAM_CLOSED);
        akt_msg_release(r);
    }
    TU_OK(akt_stream_release(sa));
    TU_OK(akt_stream_release(sb));
    TU_OK(akt_msg_release(end));
    tu_system_end(a);
    tu_system_end(b);
}

/* The producer (B's stream's sink actor) goes with its node before the end: A's stream
 * fails with a reason instead of waiting forever. */
static void test_source_ref_producer_lost(void **state) {
    (void)state;
    static target t;
    memset(&t, 0, sizeof t);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior tb = tu_behavior(target_receive);
    akt_pid tp = tu_spawn(a, &tb, &t, "target");
    akt_stream *sa = source_ref_stream(a, tp, NULL); /* the target holds its acks */
    char addr[300];
    TU_OK(akt_stream_source_address(sa, addr, sizeof addr, NULL));
    akt_pid src = {0};
    TU_OK(akt_remote_lookup(b, addr, &src));
    akt_stream *sb = range_to(b, src, 1000000, 3, NULL);
    TU_EVENTUALLY(atomic_load(&t.n_got) == 2);
    tu_sleep_ms(100); /* B's 3 in flight wait in A's stash: the loss is seen all the same */
    tu_system_end(b);
    assert_int_equal(akt_stream_wait(sa, TU_DEADLINE_NS), AKT_ESTOPPED);
    const char *why = NULL;
    TU_OK(akt_stream_reason(sa, &why));
    assert_string_equal(why, "stage 0 (actor): the producer stopped before the end");
    TU_OK(akt_stream_release(sb));
    TU_OK(akt_stream_release(sa));
    tu_system_end(a);
}

/* Drain ends a source reference as AKT_STREAM_END does; a local tell (no asker) works too. */
static void test_source_ref_local_drain(void **state) {
    (void)state;
    akt_system *a = tu_system("alpha", 2);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_actor(g, 8));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(a, g, &s));
    TU_OK(akt_stream_graph_free(g));
    akt_pid src = {0};
    TU_OK(akt_stream_source_pid(s, &src));
    for (int i = 0; i < 5; i++) TU_OK(akt_tell(a, src, tu_i64(i)));
    akt_msg *r = NULL;
    TU_OK(tu_ask(a, src, tu_i64(5), &r));
    assert_string_equal(akt_msg_type(r), AKT_STREAM_ACK);
    akt_msg_release(r);
    TU_OK(akt_stream_drain(s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    size_t n = 0;
    TU_OK(akt_stream_result_count(s, &n));
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) assert_int_equal(result(s, i), (int64_t)i);
    TU_OK(akt_stream_release(s));
    tu_system_end(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_remote_sink_in_order_bounded),
        TU_TEST(test_remote_sink_window_smaller_than_in_flight),
        TU_TEST(test_remote_sink_target_stops),
        TU_TEST(test_remote_sink_node_lost),
        TU_TEST(test_source_ref_paced_by_demand),
        TU_TEST(test_stream_to_stream),
        TU_TEST(test_source_ref_producer_lost),
        TU_TEST(test_source_ref_local_drain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
