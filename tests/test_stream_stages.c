/* test_stream_stages: the tick source of akt/stream.h: paced by the system's timer, ticks
 * dropped (counted) rather than queued for a slow consumer, ended by drain, cancel or first. */
#define _GNU_SOURCE
#include "tu_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

TU_STREAM_FIXTURE("streams-stages")

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static akt_stream_stage_metrics metrics(akt_stream *s, size_t stage) {
    akt_stream_stage_metrics m = {.size = sizeof m};
    TU_OK(akt_stream_metrics(s, stage, &m));
    return m;
}

typedef struct ticks {
    int sleep_ms;
    atomic_int seen;
    atomic_int same; /* 1 while every element was the tick message itself */
    akt_msg *tick;
} ticks;

static int on_tick(akt_msg *in, void *data) {
    ticks *t = data;
    if (in != t->tick) atomic_store(&t->same, 0);
    atomic_fetch_add(&t->seen, 1);
    if (t->sleep_ms) {
        struct timespec ts = {0, (long)t->sleep_ms * 1000000L};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static void test_tick_paces_and_drains(void **state) {
    (void)state;
    static ticks t;
    memset(&t, 0, sizeof t);
    atomic_store(&t.same, 1);
    t.tick = tu_msg("t.Tick", "");
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_tick(g, 0, TU_MS(10), t.tick));
    TU_OK(akt_stream_sink_for_each(g, on_tick, &t));
    int64_t t0 = now_ns();
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_EVENTUALLY(atomic_load(&t.seen) >= 5);
    int64_t took = now_ns() - t0;
    TU_OK(akt_stream_drain(s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_true(took >= TU_MS(40)); /* ticks at 0, 10, 20, 30, 40 ms */
    assert_int_equal(atomic_load(&t.same), 1);
    assert_string_equal(metrics(s, 0).name, "tick");
    assert_int_equal(metrics(s, 0).out, (uint64_t)atomic_load(&t.seen));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_msg_release(t.tick));
}

static void test_a_slow_consumer_gets_fewer_ticks_not_a_backlog(void **state) {
    (void)state;
    static ticks t;
    memset(&t, 0, sizeof t);
    atomic_store(&t.same, 1);
    t.sleep_ms = 25;
    t.tick = tu_msg("t.Tick", "");
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 2));
    TU_OK(akt_stream_source_tick(g, TU_MS(1), TU_MS(2), t.tick));
    TU_OK(akt_stream_sink_for_each(g, on_tick, &t));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_EVENTUALLY(metrics(s, 0).drops >= 20);
    TU_OK(akt_stream_cancel(s));
    TU_RC(AKT_ECANCELED, akt_stream_wait(s, TU_DEADLINE_NS));
    akt_stream_stage_metrics src = metrics(s, 0), sink = metrics(s, 1);
    /* what left the source and did not reach the sink is at most the sink's window */
    assert_true(src.out <= sink.in + 2);
    assert_true(src.drops >= 20);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_msg_release(t.tick));
}

static int count_up(akt_msg *acc, akt_msg *in, akt_msg **out, void *data) {
    (void)in, (void)data;
    const void *p = NULL;
    size_t n = 0;
    TU_OK(akt_msg_bytes(acc, &p, &n));
    char buf[32];
    snprintf(buf, sizeof buf, "%d", atoi((const char *)p) + 1);
    return akt_msg_new_bytes(AKT_TYPE_STRING, buf, strlen(buf) + 1, AKT_COPY, out);
}

static void test_tick_with_flows_and_first(void **state) {
    (void)state;
    akt_msg *tick = tu_msg("t.Tick", ""), *zero = NULL;
    TU_OK(akt_msg_new_bytes(AKT_TYPE_STRING, "0", 2, AKT_COPY, &zero));
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_tick(g, 0, TU_MS(1), tick));
    TU_OK(akt_stream_scan(g, zero, count_up, NULL));
    TU_OK(akt_stream_sink_first(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    akt_msg *m = NULL;
    TU_OK(akt_stream_result_at(s, 0, &m));
    const void *p = NULL;
    size_t n = 0;
    TU_OK(akt_msg_bytes(m, &p, &n));
    assert_string_equal((const char *)p, "1");
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_msg_release(tick));
    TU_OK(akt_msg_release(zero));
}

static void test_tick_bad_input(void **state) {
    (void)state;
    akt_msg *tick = tu_msg("t.Tick", ""), *reserved = tu_msg("akt.stream.Request", "");
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_RC(AKT_EINVAL, akt_stream_source_tick(NULL, 0, TU_MS(1), tick));
    TU_RC(AKT_EINVAL, akt_stream_source_tick(g, 0, TU_MS(1), NULL));
    TU_RC(AKT_EINVAL, akt_stream_source_tick(g, 0, 999999, tick));
    TU_RC(AKT_EINVAL, akt_stream_source_tick(g, 0, 3601LL * 1000000000LL, tick));
    TU_RC(AKT_EINVAL, akt_stream_source_tick(g, -1, TU_MS(1), tick));
    TU_RC(AKT_EINVAL, akt_stream_source_tick(g, 0, TU_MS(1), reserved));
    TU_OK(akt_stream_source_tick(g, 0, TU_MS(1), tick));
    TU_RC(AKT_EMISUSE, akt_stream_source_tick(g, 0, TU_MS(1), tick));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_msg_release(tick));
    TU_OK(akt_msg_release(reserved));
}

/* ---- batch -------------------------------------------------------------------------- */

/* sum of the batch * 1000 + its size */
static int sum_size(akt_msg *const *in, size_t n, akt_msg **out, void *data) {
    (void)data;
    int64_t sum = 0;
    for (size_t k = 0; k < n; k++) sum += tu_i64_val(in[k]);
    *out = tu_i64(sum * 1000 + (int64_t)n);
    return *out ? 0 : AKT_ENOMEM;
}

static int size_of(akt_msg *const *in, size_t n, akt_msg **out, void *data) {
    (void)in, (void)data;
    *out = tu_i64((int64_t)n);
    return *out ? 0 : AKT_ENOMEM;
}

static int fail_big(akt_msg *const *in, size_t n, akt_msg **out, void *data) {
    if (tu_i64_val(in[0]) >= (int64_t)(intptr_t)data) return AKT_EFAILED;
    return sum_size(in, n, out, NULL);
}

static int64_t result(akt_stream *s, size_t i) {
    akt_msg *m = NULL;
    TU_OK(akt_stream_result_at(s, i, &m));
    return tu_i64_val(m);
}

static void test_batch_full_and_last_partial(void **state) {
    (void)state;
    for (int window = 1; window <= 16; window += 15) {
        akt_stream_graph *g = NULL;
        TU_OK(akt_stream_graph_new(&g));
        TU_OK(akt_stream_graph_set_buffer(g, (size_t)window));
        TU_OK(akt_stream_source_range(g, 0, 10, 1));
        TU_OK(akt_stream_batch(g, 4, TU_MS(10000), sum_size, NULL));
        TU_OK(akt_stream_sink_collect(g));
        akt_stream *s = NULL;
        TU_OK(akt_stream_run(sys, g, &s));
        TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
        size_t n = 0;
        TU_OK(akt_stream_result_count(s, &n));
        assert_int_equal(n, 3);
        assert_int_equal(result(s, 0), 6 * 1000 + 4);
        assert_int_equal(result(s, 1), 22 * 1000 + 4);
        assert_int_equal(result(s, 2), 17 * 1000 + 2);
        assert_string_equal(metrics(s, 1).name, "batch");
        assert_int_equal(metrics(s, 1).in, 10);
        assert_int_equal(metrics(s, 1).out, 3);
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(g));
    }
}

static void test_batch_leaves_after_its_max_wait(void **state) {
    (void)state;
    /* ticks every 10 ms into batches of up to 1000 that wait at most 35 ms */
    akt_msg *tick = tu_msg("t.Tick", "");
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_tick(g, 0, TU_MS(10), tick));
    TU_OK(akt_stream_batch(g, 1000, TU_MS(35), size_of, NULL));
    TU_OK(akt_stream_sink_first(g));
    int64_t t0 = now_ns();
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    int64_t took = now_ns() - t0;
    int64_t size = result(s, 0);
    assert_true(size >= 1 && size < 1000); /* it left before it was full */
    assert_true(took >= TU_MS(35));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_msg_release(tick));
}

static void test_batch_failure_and_resume(void **state) {
    (void)state;
    for (int resume = 0; resume <= 1; resume++) {
        akt_stream_graph *g = NULL;
        TU_OK(akt_stream_graph_new(&g));
        TU_OK(akt_stream_source_range(g, 0, 20, 1));
        TU_OK(akt_stream_batch(g, 5, TU_MS(10000), fail_big, (void *)(intptr_t)10));
        if (resume) TU_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RESUME, 0));
        TU_OK(akt_stream_sink_collect(g));
        akt_stream *s = NULL;
        TU_OK(akt_stream_run(sys, g, &s));
        int rc = akt_stream_wait(s, TU_DEADLINE_NS);
        if (resume) {
            TU_OK(rc);
            size_t n = 0;
            TU_OK(akt_stream_result_count(s, &n));
            assert_int_equal(n, 2);
            assert_int_equal(metrics(s, 1).drops, 10);
            assert_int_equal(metrics(s, 1).errors, 2);
        } else {
            assert_int_equal(rc, AKT_EFAILED);
            const char *why = NULL;
            TU_OK(akt_stream_reason(s, &why));
            assert_string_equal(why, "stage 1 (batch): actor failed");
        }
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(g));
    }
}

static void test_batch_bad_input(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_RC(AKT_EMISUSE, akt_stream_batch(g, 4, TU_MS(10), sum_size, NULL)); /* no source */
    TU_OK(akt_stream_source_range(g, 0, 3, 1));
    TU_RC(AKT_EINVAL, akt_stream_batch(NULL, 4, TU_MS(10), sum_size, NULL));
    TU_RC(AKT_EINVAL, akt_stream_batch(g, 0, TU_MS(10), sum_size, NULL));
    TU_RC(AKT_EINVAL, akt_stream_batch(g, 65537, TU_MS(10), sum_size, NULL));
    TU_RC(AKT_EINVAL, akt_stream_batch(g, 4, 999999, sum_size, NULL));
    TU_RC(AKT_EINVAL, akt_stream_batch(g, 4, TU_MS(10), NULL, NULL));
    TU_OK(akt_stream_batch(g, 1, TU_MS(10), sum_size, NULL));
    TU_OK(akt_stream_graph_free(g));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        T_TEST(test_tick_paces_and_drains),
        T_TEST(test_a_slow_consumer_gets_fewer_ticks_not_a_backlog),
        T_TEST(test_tick_with_flows_and_first),
        T_TEST(test_tick_bad_input),
        T_TEST(test_batch_full_and_last_partial),
        T_TEST(test_batch_leaves_after_its_max_wait),
        T_TEST(test_batch_failure_and_resume),
        T_TEST(test_batch_bad_input),
    };
    return cmocka_run_group_tests_name("stream_stages", tests, NULL, NULL);
}
