/* test_stream: reactive streams (akt/stream.h): order, fusion, backpressure, the ways a
 * stream ends (completion, drain, cancel, failure, shutdown) and the error strategies. */
#define _GNU_SOURCE
#include "tu_stream.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

TU_STREAM_FIXTURE("streams")

/* ---- int64 elements ---------------------------------------------------------------- */

static int times(akt_msg *in, akt_msg **out, void *data) {
    *out = tu_i64(tu_i64_val(in) * (int64_t)(intptr_t)data);
    return *out ? 0 : AKT_ENOMEM;
}

static int plus(akt_msg *in, akt_msg **out, void *data) {
    *out = tu_i64(tu_i64_val(in) + (int64_t)(intptr_t)data);
    return *out ? 0 : AKT_ENOMEM;
}

static int even(akt_msg *in, int *keep, void *data) {
    (void)data;
    *keep = tu_i64_val(in) % 2 == 0;
    return 0;
}

static int sum(akt_msg *acc, akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    *out = tu_i64(tu_i64_val(acc) + tu_i64_val(in));
    return *out ? 0 : AKT_ENOMEM;
}

/* x -> x, x (twice, for dedup to undo) and every third one also x + 1000. */
static int twice(akt_msg *in, akt_stream_emit_fn emit, void *ctx, void *data) {
    (void)data;
    int64_t v = tu_i64_val(in);
    int rc = emit(ctx, tu_i64(v));
    if (rc == 0) rc = emit(ctx, tu_i64(v));
    if (rc == 0 && v % 3 == 0) rc = emit(ctx, tu_i64(v + 1000));
    return rc;
}

/* Runs g, waits, and returns its end code. */
static int run_wait(akt_stream_graph *g, akt_stream **out) {
    TU_OK(akt_stream_run(sys, g, out));
    return akt_stream_wait(*out, TU_DEADLINE_NS);
}

static size_t results(akt_stream *s) {
    size_t n = 0;
    TU_OK(akt_stream_result_count(s, &n));
    return n;
}

static int64_t result(akt_stream *s, size_t i) {
    akt_msg *m = NULL;
    TU_OK(akt_stream_result_at(s, i, &m));
    return tu_i64_val(m);
}

static akt_stream_stage_metrics metrics(akt_stream *s, size_t stage) {
    akt_stream_stage_metrics m = {.size = sizeof m};
    TU_OK(akt_stream_metrics(s, stage, &m));
    return m;
}

/* ---- order and fusion --------------------------------------------------------------- */

static void test_order_is_kept(void **state) {
    (void)state;
    for (int fusion = 0; fusion <= 1; fusion++) {
        akt_stream_graph *g = NULL;
        TU_OK(akt_stream_graph_new(&g));
        TU_OK(akt_stream_graph_set_fusion(g, fusion));
        TU_OK(akt_stream_graph_set_buffer(g, 4));
        TU_OK(akt_stream_source_range(g, 0, 5000, 1));
        TU_OK(akt_stream_map(g, times, (void *)(intptr_t)3));
        TU_OK(akt_stream_sink_collect(g));
        akt_stream *s = NULL;
        TU_OK(run_wait(g, &s));
        assert_int_equal(results(s), 5000);
        for (size_t i = 0; i < 5000; i++) assert_int_equal(result(s, i), 3 * (int64_t)i);
        size_t actors = 0;
        TU_OK(akt_stream_actor_count(s, &actors));
        assert_int_equal(actors, fusion ? 2 : 3);
        assert_int_equal(metrics(s, 1).in, 5000);
        assert_int_equal(metrics(s, 1).out, 5000);
        assert_int_equal(metrics(s, 2).in, 5000);
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(g));
    }
}

/* range -> map -> filter -> flat_map -> dedup -> scan -> fold, fused and not. */
static void fold_pipeline(int fusion, int64_t *out_sum, size_t *out_actors) {
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_fusion(g, fusion));
    TU_OK(akt_stream_source_range(g, 1, 2001, 1));
    TU_OK(akt_stream_map(g, plus, (void *)(intptr_t)1));
    TU_OK(akt_stream_filter(g, even, NULL));
    TU_OK(akt_stream_flat_map(g, twice, NULL));
    TU_OK(akt_stream_dedup(g));
    akt_msg *zero = tu_i64(0);
    TU_OK(akt_stream_scan(g, zero, sum, NULL));
    TU_OK(akt_stream_sink_fold(g, zero, sum, NULL));
    TU_OK(akt_msg_release(zero));
    akt_stream *s = NULL;
    TU_OK(run_wait(g, &s));
    assert_int_equal(results(s), 1);
    *out_sum = result(s, 0);
    TU_OK(akt_stream_actor_count(s, out_actors));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_fusion_gives_the_same_results(void **state) {
    (void)state;
    int64_t fused = 0, unfused = 0;
    size_t na = 0, nb = 0;
    fold_pipeline(1, &fused, &na);
    fold_pipeline(0, &unfused, &nb);
    /* The same computed here: evens of 2..2001, each once after dedup, and +1000 copies. */
    int64_t acc = 0, total = 0;
    for (int64_t x = 2; x <= 2001; x++) {
        if (x % 2) continue;
        acc += x;
        total += acc;
        if (x % 3 == 0) {
            acc += x + 1000;
            total += acc;
        }
    }
    assert_int_equal(fused, total);
    assert_int_equal(unfused, total);
    assert_int_equal(na, 4); /* range+map+filter+flat_map, dedup, scan, fold */
    assert_int_equal(nb, 7);
}

static void test_values_source_and_first(void **state) {
    (void)state;
    akt_msg *v[3] = {tu_msg("t.A", "a"), tu_msg("t.B", "b"), tu_msg("t.C", "c")};
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_values(g, v, 3));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(run_wait(g, &s));
    assert_int_equal(results(s), 3);
    akt_msg *m = NULL;
    TU_OK(akt_stream_result_at(s, 1, &m));
    assert_ptr_equal(m, v[1]); /* the same message: nothing copied */
    TU_RC(AKT_EINVAL, akt_stream_result_at(s, 3, &m));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    for (int i = 0; i < 3; i++) TU_OK(akt_msg_release(v[i]));

    /* first on an endless source ends the stream with the first element. */
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 7, INT64_MAX, 1));
    TU_OK(akt_stream_sink_first(g));
    TU_OK(run_wait(g, &s));
    assert_int_equal(results(s), 1);
    assert_int_equal(result(s, 0), 7);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));

    /* An empty stream: first has no result, fold gives its seed. */
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_values(g, NULL, 0));
    TU_OK(akt_stream_sink_first(g));
    TU_OK(run_wait(g, &s));
    assert_int_equal(results(s), 0);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 5, 5, 1));
    akt_msg *seed = tu_i64(42);
    TU_OK(akt_stream_sink_fold(g, seed, sum, NULL));
    TU_OK(akt_msg_release(seed));
    TU_OK(run_wait(g, &s));
    assert_int_equal(results(s), 1);
    assert_int_equal(result(s, 0), 42);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_range_steps_down_and_stops_at_the_limits(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 10, 0, -3));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(run_wait(g, &s));
    assert_int_equal(results(s), 4); /* 10 7 4 1 */
    assert_int_equal(result(s, 3), 1);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    /* No overflow past INT64_MAX. */
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, INT64_MAX - 2, INT64_MAX, 5));
    TU_OK(akt_stream_sink_collect(g));
    TU_OK(run_wait(g, &s));
    assert_int_equal(results(s), 1);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

/* ---- backpressure ------------------------------------------------------------------ */

static void sleep_us(int us) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)us * 1000L};
    nanosleep(&ts, NULL);
}

typedef struct slow_sink {
    int sleep_us;
    atomic_llong seen;   /* elements handled */
    atomic_int in_order; /* 1 while each was the one expected */
} slow_sink;

static int slow_each(akt_msg *in, void *data) {
    slow_sink *k = data;
    long long n = atomic_load(&k->seen);
    if (tu_i64_val(in) != n) atomic_store(&k->in_order, 0);
    atomic_store(&k->seen, n + 1);
    if (k->sleep_us) sleep_us(k->sleep_us);
    return 0;
}

static void test_slow_sink_bounds_what_is_in_flight(void **state) {
    (void)state;
    static slow_sink k;
    k.sleep_us = 200;
    atomic_store(&k.seen, 0);
    atomic_store(&k.in_order, 1);
    enum { N = 2000, WINDOW = 8 };
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, WINDOW));
    TU_OK(akt_stream_graph_set_fusion(g, 0));
    TU_OK(akt_stream_source_range(g, 0, N, 1));
    TU_OK(akt_stream_map(g, plus, (void *)(intptr_t)0));
    TU_OK(akt_stream_map(g, times, (void *)(intptr_t)1));
    TU_OK(akt_stream_sink_for_each(g, slow_each, &k));
    TU_OK(akt_stream_run(sys, g, &s));
    /* Source out minus sink in: what is in mailboxes, buffers and queues. Each of the three
     * downstream actors grants at most WINDOW. */
    uint64_t worst = 0;
    int samples = 0;
    while (akt_stream_wait(s, TU_MS(2)) == AKT_ETIMEDOUT) {
        uint64_t sink_in = metrics(s, 3).in;
        uint64_t src_out = metrics(s, 0).out;
        uint64_t flight = src_out > sink_in ? src_out - sink_in : 0;
        if (flight > worst) worst = flight;
        samples++;
    }
    TU_OK(akt_stream_wait(s, 0));
    assert_true(samples > 10);
    assert_true(worst <= 3 * WINDOW + 3);
    assert_true(worst > 0);
    assert_int_equal(atomic_load(&k.seen), N);
    assert_int_equal(atomic_load(&k.in_order), 1);
    assert_int_equal(metrics(s, 0).out, N);
    assert_int_equal(metrics(s, 3).in, N);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void buffer_run(int overflow, uint64_t *collected, uint64_t *drops, int *rc) {
    static slow_sink k;
    k.sleep_us = 300;
    atomic_store(&k.seen, 0);
    atomic_store(&k.in_order, 1);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, 4));
    TU_OK(akt_stream_source_range(g, 0, 3000, 1));
    TU_OK(akt_stream_buffer(g, 8, overflow));
    TU_OK(akt_stream_sink_for_each(g, slow_each, &k));
    akt_stream *s = NULL;
    *rc = run_wait(g, &s);
    *collected = (uint64_t)atomic_load(&k.seen);
    *drops = metrics(s, 1).drops;
    if (*rc == 0) assert_int_equal(metrics(s, 1).in, metrics(s, 0).out);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_buffer_overflow_strategies(void **state) {
    (void)state;
    uint64_t got = 0, drops = 0;
    int rc = 0;
    buffer_run(AKT_STREAM_DROP_TAIL, &got, &drops, &rc);
    TU_OK(rc);
    assert_true(drops > 0);
    assert_int_equal(got + drops, 3000); /* every element either reached the sink or a drop */
    buffer_run(AKT_STREAM_DROP_HEAD, &got, &drops, &rc);
    TU_OK(rc);
    assert_true(drops > 0);
    assert_int_equal(got + drops, 3000);
    buffer_run(AKT_STREAM_BACKPRESSURE, &got, &drops, &rc);
    TU_OK(rc);
    assert_int_equal(drops, 0);
    assert_int_equal(got, 3000);
    buffer_run(AKT_STREAM_FAIL, &got, &drops, &rc);
    TU_RC(AKT_EFULL, rc);
}

/* ---- ending: cancel, drain, failure, shutdown -------------------------------------- */

typedef struct counter {
    atomic_llong next;
} counter;

static int endless(void *data, akt_msg **out) {
    counter *c = data;
    *out = tu_i64(atomic_fetch_add(&c->next, 1));
    return *out ? 0 : AKT_ENOMEM;
}

static void test_cancel_mid_stream(void **state) {
    (void)state;
    static counter c;
    static slow_sink k;
    k.sleep_us = 100;
    atomic_store(&k.seen, 0);
    atomic_store(&k.in_order, 1);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_unfold(g, endless, &c));
    TU_OK(akt_stream_map(g, plus, (void *)(intptr_t)0));
    TU_OK(akt_stream_sink_for_each(g, slow_each, &k));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_EVENTUALLY(atomic_load(&k.seen) >= 100);
    TU_RC(AKT_ETIMEDOUT, akt_stream_wait(s, 0));
    TU_OK(akt_stream_cancel(s));
    TU_RC(AKT_ECANCELED, akt_stream_wait(s, TU_DEADLINE_NS));
    const char *why = NULL;
    TU_OK(akt_stream_reason(s, &why));
    assert_string_equal(why, "canceled");
    TU_OK(akt_stream_cancel(s)); /* again: nothing changes */
    TU_RC(AKT_ECANCELED, akt_stream_wait(s, 0));
    TU_OK(akt_stream_drain(s)); /* after the end: nothing to do */
    assert_int_equal(atomic_load(&k.in_order), 1);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_drain_lets_in_flight_elements_finish(void **state) {
    (void)state;
    static counter c;
    atomic_store(&c.next, 0);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_unfold(g, endless, &c));
    TU_OK(akt_stream_graph_set_fusion(g, 0));
    TU_OK(akt_stream_map(g, plus, (void *)(intptr_t)0));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_EVENTUALLY(metrics(s, 2).in >= 1000);
    TU_OK(akt_stream_drain(s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    /* Nothing the source made was lost: every element reached the sink, in order. */
    size_t n = results(s);
    assert_int_equal(n, metrics(s, 0).out);
    for (size_t i = 0; i < n; i++) assert_int_equal(result(s, i), (int64_t)i);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static int fail_at(akt_msg *in, akt_msg **out, void *data) {
    if (tu_i64_val(in) == (int64_t)(intptr_t)data) return AKT_EFAILED;
    *out = tu_i64(tu_i64_val(in));
    return *out ? 0 : AKT_ENOMEM;
}

static void test_failure_mid_stream_ends_it(void **state) {
    (void)state;
    for (int fusion = 0; fusion <= 1; fusion++) {
        akt_stream_graph *g = NULL;
        TU_OK(akt_stream_graph_new(&g));
        TU_OK(akt_stream_graph_set_fusion(g, fusion));
        TU_OK(akt_stream_source_range(g, 0, 1000000, 1));
        TU_OK(akt_stream_map(g, fail_at, (void *)(intptr_t)500));
        TU_OK(akt_stream_stage_name(g, "boom"));
        TU_OK(akt_stream_sink_collect(g));
        akt_stream *s = NULL;
        TU_RC(AKT_EFAILED, run_wait(g, &s));
        const char *why = NULL;
        TU_OK(akt_stream_reason(s, &why));
        assert_string_equal(why, "stage 1 (boom): actor failed");
        assert_int_equal(metrics(s, 1).errors, 1);
        assert_int_equal(metrics(s, 1).out, 500);
        assert_string_equal(metrics(s, 1).name, "boom");
        assert_int_equal(results(s), 0); /* a failed collect hands nothing over */
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(g));
    }
}

static int fail_odd(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    if (tu_i64_val(in) % 2) return AKT_EINVAL;
    *out = tu_i64(tu_i64_val(in));
    return *out ? 0 : AKT_ENOMEM;
}

static void test_resume_drops_and_counts(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 100, 1));
    TU_OK(akt_stream_map(g, fail_odd, NULL));
    TU_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RESUME, 0));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(run_wait(g, &s));
    assert_int_equal(results(s), 50);
    for (size_t i = 0; i < 50; i++) assert_int_equal(result(s, i), 2 * (int64_t)i);
    assert_int_equal(metrics(s, 1).errors, 50);
    assert_int_equal(metrics(s, 1).drops, 50);
    assert_int_equal(metrics(s, 1).in, 100);
    assert_int_equal(metrics(s, 1).out, 50);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

/* Fails the first two calls for each element, then succeeds. */
static int flaky(akt_msg *in, akt_msg **out, void *data) {
    int *calls = data;
    if (++*calls % 3 != 0) return AKT_EAGAIN;
    *out = tu_i64(tu_i64_val(in));
    return *out ? 0 : AKT_ENOMEM;
}

static void test_retry_within_its_budget(void **state) {
    (void)state;
    static int calls;
    for (unsigned budget = 2; budget >= 1; budget--) {
        calls = 0;
        akt_stream_graph *g = NULL;
        TU_OK(akt_stream_graph_new(&g));
        TU_OK(akt_stream_source_range(g, 0, 10, 1));
        TU_OK(akt_stream_map(g, flaky, &calls));
        TU_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RETRY, budget));
        TU_OK(akt_stream_sink_collect(g));
        akt_stream *s = NULL;
        int rc = run_wait(g, &s);
        if (budget == 2) {
            TU_OK(rc);
            assert_int_equal(results(s), 10);
            assert_int_equal(metrics(s, 1).errors, 20);
        } else {
            TU_RC(AKT_EAGAIN, rc);
            assert_int_equal(metrics(s, 1).errors, 2);
        }
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(g));
    }
}

static int no_element(akt_msg *in, akt_msg **out, void *data) {
    (void)in;
    (void)data;
    *out = NULL;
    return 0;
}

static int reserved_type(akt_msg *in, akt_msg **out, void *data) {
    (void)in;
    (void)data;
    return akt_msg_new_bytes("akt.stream.Request", NULL, 0, AKT_BORROW, out);
}

static void test_a_stage_that_returns_the_wrong_thing(void **state) {
    (void)state;
    akt_stream_map_fn fns[2] = {no_element, reserved_type};
    int want[2] = {AKT_EINVAL, AKT_ETYPE};
    for (int i = 0; i < 2; i++) {
        akt_stream_graph *g = NULL;
        TU_OK(akt_stream_graph_new(&g));
        TU_OK(akt_stream_source_range(g, 0, 10, 1));
        TU_OK(akt_stream_map(g, fns[i], NULL));
        TU_OK(akt_stream_sink_ignore(g));
        akt_stream *s = NULL;
        TU_RC(want[i], run_wait(g, &s));
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(g));
    }
}

static void test_shutdown_ends_a_running_stream(void **state) {
    (void)state;
    static counter c;
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_unfold(g, endless, &c));
    TU_OK(akt_stream_sink_ignore(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_EVENTUALLY(metrics(s, 1).in >= 100);
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    TU_RC(AKT_ESTOPPED, akt_stream_wait(s, TU_DEADLINE_NS));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    TU_OK(akt_stream_release(s)); /* after the system's shutdown: still fine */
    TU_OK(akt_stream_graph_free(g));
    /* A stream cannot start on a system that shut down. */
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 3, 1));
    TU_OK(akt_stream_sink_ignore(g));
    TU_RC(AKT_ECLOSED, akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_building_in_the_wrong_order(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_RC(AKT_EMISUSE, akt_stream_map(g, plus, NULL)); /* no source yet */
    TU_RC(AKT_EMISUSE, akt_stream_sink_ignore(g));     /* no source yet */
    TU_RC(AKT_EMISUSE, akt_stream_stage_name(g, "x")); /* no stage yet */
    akt_stream *s = NULL;
    TU_RC(AKT_EINVAL, akt_stream_run(sys, g, &s)); /* empty */
    TU_OK(akt_stream_source_range(g, 0, 3, 1));
    TU_RC(AKT_EMISUSE, akt_stream_source_range(g, 0, 3, 1)); /* a second source */
    TU_RC(AKT_EINVAL, akt_stream_run(sys, g, &s));           /* no sink */
    TU_OK(akt_stream_sink_ignore(g));
    TU_RC(AKT_EMISUSE, akt_stream_map(g, plus, NULL)); /* after the sink */
    TU_RC(AKT_EMISUSE, akt_stream_sink_collect(g));    /* a second sink */
    TU_OK(run_wait(g, &s));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

/* Data hooks: every reference a graph or a stream took is given back once. */
static atomic_int held;
static void data_retain(void *d) {
    (void)d;
    atomic_fetch_add(&held, 1);
}
static void data_release(void *d) {
    (void)d;
    atomic_fetch_sub(&held, 1);
}

static int ident(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    akt_msg_retain(in);
    *out = in;
    return 0;
}

static void test_data_hooks_balance(void **state) {
    (void)state;
    static int tag;
    atomic_store(&held, 0);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_RC(AKT_EINVAL, akt_stream_graph_set_data_hooks(g, data_retain, NULL));
    TU_OK(akt_stream_graph_set_data_hooks(g, data_retain, data_release));
    TU_OK(akt_stream_source_range(g, 0, 100, 1));
    TU_RC(AKT_EMISUSE, akt_stream_graph_set_data_hooks(g, NULL, NULL));
    atomic_fetch_add(&held, 1); /* the caller's reference, which the stage takes */
    TU_OK(akt_stream_map(g, ident, &tag));
    atomic_fetch_add(&held, 1);
    TU_OK(akt_stream_map(g, ident, &tag));
    TU_OK(akt_stream_sink_ignore(g));
    akt_stream *s1 = NULL, *s2 = NULL;
    TU_OK(akt_stream_run(sys, g, &s1));
    TU_OK(akt_stream_run(sys, g, &s2));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_stream_wait(s1, TU_DEADLINE_NS));
    TU_OK(akt_stream_wait(s2, TU_DEADLINE_NS));
    TU_OK(akt_stream_release(s1));
    TU_OK(akt_stream_release(s2));
    /* The streams' actors go away after the end: their references with them. */
    TU_EVENTUALLY(atomic_load(&held) == 0);
}

static atomic_int done_calls, done_rc;
static void on_done(akt_stream *s, int rc, void *data) {
    (void)s;
    atomic_store(&done_rc, rc);
    atomic_fetch_add(&done_calls, 1);
    atomic_fetch_add((atomic_int *)data, 1);
}

static void test_completion_callback_runs_once(void **state) {
    (void)state;
    static atomic_int hits;
    atomic_store(&done_calls, 0);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 1000, 1));
    TU_OK(akt_stream_sink_ignore(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_on_complete(s, on_done, &hits));
    TU_RC(AKT_EBUSY, akt_stream_on_complete(s, on_done, &hits));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    TU_EVENTUALLY(atomic_load(&done_calls) == 1);
    TU_OK(atomic_load(&done_rc));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    /* Set after the end: at once, on this thread. A source that would not end on its own,
     * so the end is the cancel's (1000 elements could all be through before it). */
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, INT64_C(1) << 50, 1));
    TU_OK(akt_stream_sink_ignore(g));
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_cancel(s));
    TU_RC(AKT_ECANCELED, akt_stream_wait(s, TU_DEADLINE_NS));
    TU_OK(akt_stream_on_complete(s, on_done, &hits));
    assert_int_equal(atomic_load(&done_calls), 2);
    TU_RC(AKT_ECANCELED, atomic_load(&done_rc));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    assert_int_equal(atomic_load(&done_calls), 2);
}

static void wake(void *data) { (void)data; }

/* The stream's actors on an external dispatcher: its callbacks run on the thread that runs
 * the dispatcher, here the test's. */
static pthread_t runner;
static atomic_int off_thread;
static int check_thread(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    if (!pthread_equal(pthread_self(), runner)) atomic_store(&off_thread, 1);
    akt_msg_retain(in);
    *out = in;
    return 0;
}

static void test_stream_on_an_external_dispatcher(void **state) {
    (void)state;
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(sys, wake, NULL, &d));
    runner = pthread_self();
    atomic_store(&off_thread, 0);
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_dispatcher(g, d));
    TU_OK(akt_stream_source_range(g, 0, 3000, 1));
    TU_OK(akt_stream_map(g, check_thread, NULL));
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (akt_stream_wait(s, 0) == AKT_ETIMEDOUT) {
        TU_OK(akt_dispatcher_run(d, 1000, NULL) == AKT_EAGAIN ? 0 : 0);
        assert_true(tu_now_ns() < dl);
    }
    TU_OK(akt_stream_wait(s, 0));
    assert_int_equal(results(s), 3000);
    assert_int_equal(atomic_load(&off_thread), 0);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    tu_system_end_running(sys, d);
    sys = NULL;
}

static void test_throttle_paces_without_dropping(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 20, 1));
    TU_RC(AKT_EINVAL, akt_stream_throttle(g, 0, TU_MS(50)));
    TU_RC(AKT_EINVAL, akt_stream_throttle(g, 5, 999999));
    TU_OK(akt_stream_throttle(g, 5, TU_MS(50)));
    TU_OK(akt_stream_sink_collect(g));
    int64_t t0 = tu_now_ns();
    akt_stream *s = NULL;
    TU_OK(run_wait(g, &s));
    int64_t took = tu_now_ns() - t0;
    /* 5 now, then 5 at each of the next three intervals. */
    assert_true(took >= TU_MS(150));
    assert_int_equal(results(s), 20);
    for (size_t i = 0; i < 20; i++) assert_int_equal(result(s, i), (int64_t)i);
    assert_int_equal(metrics(s, 1).drops, 0);
    assert_string_equal(metrics(s, 1).name, "throttle");
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        T_TEST(test_order_is_kept),
        T_TEST(test_fusion_gives_the_same_results),
        T_TEST(test_values_source_and_first),
        T_TEST(test_range_steps_down_and_stops_at_the_limits),
        T_TEST(test_slow_sink_bounds_what_is_in_flight),
        T_TEST(test_buffer_overflow_strategies),
        T_TEST(test_cancel_mid_stream),
        T_TEST(test_drain_lets_in_flight_elements_finish),
        T_TEST(test_failure_mid_stream_ends_it),
        T_TEST(test_resume_drops_and_counts),
        T_TEST(test_retry_within_its_budget),
        T_TEST(test_a_stage_that_returns_the_wrong_thing),
        T_TEST(test_shutdown_ends_a_running_stream),
        T_TEST(test_building_in_the_wrong_order),
        T_TEST(test_data_hooks_balance),
        T_TEST(test_completion_callback_runs_once),
        T_TEST(test_stream_on_an_external_dispatcher),
        T_TEST(test_throttle_paces_without_dropping),
    };
    return cmocka_run_group_tests_name("stream", tests, NULL, NULL);
}
