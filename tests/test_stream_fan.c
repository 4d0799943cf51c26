/* test_stream_fan: fan-in (merge, concat, zip) and fan-out (broadcast, balance, partition)
 * junctions of akt/stream.h: every element once, order where promised, backpressure across
 * the junction, completion, failure and cancellation through it. */
#define _GNU_SOURCE
#include "tu_stream.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

TU_STREAM_FIXTURE("streams-fan")

static int times(akt_msg *in, akt_msg **out, void *data) {
    *out = tu_i64(tu_i64_val(in) * (int64_t)(intptr_t)data);
    return *out ? 0 : AKT_ENOMEM;
}

static int fail_at(akt_msg *in, akt_msg **out, void *data) {
    if (tu_i64_val(in) == (int64_t)(intptr_t)data) return AKT_EINVAL;
    *out = tu_i64(tu_i64_val(in));
    return *out ? 0 : AKT_ENOMEM;
}

static int fail_any(akt_msg *in, akt_msg **out, void *data) {
    (void)in;
    (void)out;
    (void)data;
    return AKT_EINVAL;
}

/* zip: a*1000 + b (+ c*1000000 ...) */
static int combine(akt_msg *const *in, size_t n, akt_msg **out, void *data) {
    (void)data;
    int64_t v = 0, f = 1;
    for (size_t k = n; k-- > 0;) v += tu_i64_val(in[k]) * f, f *= 1000;
    *out = tu_i64(v);
    return *out ? 0 : AKT_ENOMEM;
}

static int parity(akt_msg *in, size_t *branch, void *data) {
    (void)data;
    *branch = (size_t)(tu_i64_val(in) & 1);
    return 0;
}

static int to_branch(akt_msg *in, size_t *branch, void *data) {
    (void)data;
    *branch = (size_t)tu_i64_val(in); /* out of range for most */
    return 0;
}

static akt_stream_graph *range_input(int64_t start, int64_t end, size_t window) {
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, window));
    TU_OK(akt_stream_source_range(g, start, end, 1));
    return g;
}

static akt_stream_graph *collect_branch(void) {
    akt_stream_graph *b = NULL;
    TU_OK(akt_stream_graph_new_branch(&b));
    TU_OK(akt_stream_sink_collect(b));
    return b;
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

static void free_all(akt_stream_graph **v, size_t n) {
    for (size_t i = 0; i < n; i++) TU_OK(akt_stream_graph_free(v[i]));
}

/* ---- fan-in ------------------------------------------------------------------------- */

static void test_merge_takes_every_element_once(void **state) {
    (void)state;
    enum { N = 3000 };
    akt_stream_graph *in[3] = {range_input(0, N, 4), range_input(N, 2 * N, 16),
                               range_input(2 * N, 3 * N, 7)};
    TU_OK(akt_stream_map(in[1], times, (void *)(intptr_t)1)); /* an input with a flow */
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_merge(g, in, 3));
    free_all(in, 3); /* copied */
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_int_equal(results(s), 3 * N);
    static unsigned char seen[3 * N];
    memset(seen, 0, sizeof seen);
    int64_t last[3] = {-1, -1, -1};
    for (size_t i = 0; i < 3 * N; i++) {
        int64_t v = result(s, i);
        assert_true(v >= 0 && v < 3 * N);
        assert_int_equal(seen[v], 0);
        seen[v] = 1;
        assert_true(v > last[v / N]); /* each input's order is kept */
        last[v / N] = v;
    }
    assert_int_equal(metrics(s, 0).in, 3 * N);
    assert_int_equal(metrics(s, 0).out, 3 * N);
    assert_string_equal(metrics(s, 0).name, "merge");
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_concat_keeps_the_inputs_in_order(void **state) {
    (void)state;
    akt_stream_graph *in[3] = {range_input(0, 100, 4), range_input(100, 100, 4),
                               range_input(100, 250, 16)};
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_concat(g, in, 3));
    free_all(in, 3);
    TU_OK(akt_stream_map(g, times, (void *)(intptr_t)2)); /* fused after the junction */
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_int_equal(results(s), 250);
    for (size_t i = 0; i < 250; i++) assert_int_equal(result(s, i), 2 * (int64_t)i);
    size_t actors = 0;
    TU_OK(akt_stream_actor_count(s, &actors));
    assert_int_equal(actors, 2);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_zip_pairs_and_ends_with_the_shortest(void **state) {
    (void)state;
    akt_stream_graph *in[3] = {range_input(1, 50, 4), range_input(100, 110, 2),
                               range_input(500, 5000, 8)};
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_zip(g, in, 3, combine, NULL));
    free_all(in, 3);
    TU_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_int_equal(results(s), 10);
    for (int64_t i = 0; i < 10; i++)
        assert_int_equal(result(s, (size_t)i), (1 + i) * 1000000 + (100 + i) * 1000 + 500 + i);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_a_failing_input_fails_the_stream(void **state) {
    (void)state;
    akt_stream_graph *in[2] = {range_input(0, 1000000, 4), range_input(0, 100, 4)};
    TU_OK(akt_stream_map(in[1], fail_at, (void *)(intptr_t)50));
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_merge(g, in, 2));
    free_all(in, 2);
    TU_OK(akt_stream_sink_ignore(g));
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    assert_int_equal(akt_stream_wait(s, TU_DEADLINE_NS), AKT_EINVAL);
    const char *why = NULL;
    TU_OK(akt_stream_reason(s, &why));
    assert_string_equal(why, "input 1: stage 1 (map): invalid argument");
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

/* ---- fan-out ------------------------------------------------------------------------ */

static void test_broadcast_gives_every_branch_everything(void **state) {
    (void)state;
    akt_stream_graph *br[2] = {collect_branch(), NULL};
    TU_OK(akt_stream_graph_new_branch(&br[1]));
    TU_OK(akt_stream_map(br[1], times, (void *)(intptr_t)10));
    TU_OK(akt_stream_sink_collect(br[1]));
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 500, 1));
    TU_OK(akt_stream_sink_broadcast(g, br, 2));
    free_all(br, 2);
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_int_equal(results(s), 1000);
    size_t first = 9, n = 9;
    TU_OK(akt_stream_branch_results(s, 0, &first, &n));
    assert_int_equal(first, 0);
    assert_int_equal(n, 500);
    TU_OK(akt_stream_branch_results(s, 1, &first, &n));
    assert_int_equal(first, 500);
    assert_int_equal(n, 500);
    for (size_t i = 0; i < 500; i++) {
        assert_int_equal(result(s, i), (int64_t)i);
        assert_int_equal(result(s, 500 + i), 10 * (int64_t)i);
    }
    assert_int_equal(akt_stream_branch_results(s, 2, &first, &n), AKT_EINVAL);
    assert_int_equal(metrics(s, 1).in, 500);
    assert_int_equal(metrics(s, 1).out, 1000);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void sleep_us(int us) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)us * 1000L};
    nanosleep(&ts, NULL);
}

typedef struct counter {
    int sleep_us;
    atomic_llong seen; /* elements handled */
    atomic_llong sum;
} counter;

static int count_each(akt_msg *in, void *data) {
    counter *c = data;
    /* relaxed-free (seq_cst): the test thread samples these while the sink runs */
    atomic_fetch_add(&c->seen, 1);
    atomic_fetch_add(&c->sum, tu_i64_val(in));
    if (c->sleep_us) sleep_us(c->sleep_us);
    return 0;
}

static akt_stream_graph *each_branch(counter *c, size_t window) {
    akt_stream_graph *b = NULL;
    TU_OK(akt_stream_graph_new_branch(&b));
    TU_OK(akt_stream_graph_set_buffer(b, window));
    TU_OK(akt_stream_sink_for_each(b, count_each, c));
    return b;
}

static void test_a_slow_branch_paces_a_broadcast(void **state) {
    (void)state;
    enum { N = 1500, WINDOW = 8 };
    static counter fast, slow;
    memset(&fast, 0, sizeof fast);
    memset(&slow, 0, sizeof slow);
    slow.sleep_us = 300;
    akt_stream_graph *br[2] = {each_branch(&fast, WINDOW), each_branch(&slow, WINDOW)};
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_graph_set_buffer(g, WINDOW));
    TU_OK(akt_stream_source_range(g, 0, N, 1));
    TU_OK(akt_stream_sink_broadcast(g, br, 2));
    free_all(br, 2);
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    /* The source runs ahead of the slow branch by at most the junction's window and the
     * branch's, plus what is on the way. */
    uint64_t worst = 0;
    int samples = 0;
    while (akt_stream_wait(s, TU_MS(2)) == AKT_ETIMEDOUT) {
        long long seen = atomic_load(&slow.seen);
        uint64_t out = metrics(s, 0).out;
        uint64_t ahead = out > (uint64_t)seen ? out - (uint64_t)seen : 0;
        if (ahead > worst) worst = ahead;
        samples++;
    }
    TU_OK(akt_stream_wait(s, 0));
    assert_true(samples > 10);
    assert_true(worst <= 2 * WINDOW + 2);
    assert_int_equal(atomic_load(&fast.seen), N);
    assert_int_equal(atomic_load(&slow.seen), N);
    assert_int_equal(atomic_load(&slow.sum), (long long)N * (N - 1) / 2);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_balance_sends_to_whoever_has_demand(void **state) {
    (void)state;
    enum { N = 1200 };
    static counter fast, slow;
    memset(&fast, 0, sizeof fast);
    memset(&slow, 0, sizeof slow);
    slow.sleep_us = 2000;
    akt_stream_graph *br[2] = {each_branch(&fast, 4), each_branch(&slow, 4)};
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, N, 1));
    TU_OK(akt_stream_sink_balance(g, br, 2));
    free_all(br, 2);
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    long long f = atomic_load(&fast.seen), w = atomic_load(&slow.seen);
    assert_int_equal(f + w, N);
    assert_int_equal(atomic_load(&fast.sum) + atomic_load(&slow.sum), (long long)N * (N - 1) / 2);
    assert_true(f > 2 * w); /* the slow one took less: it had demand less often */
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_partition_routes_by_the_function(void **state) {
    (void)state;
    akt_stream_graph *br[2] = {collect_branch(), collect_branch()};
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 301, 1));
    TU_OK(akt_stream_sink_partition(g, br, 2, parity, NULL));
    free_all(br, 2);
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    size_t first = 0, n = 0;
    TU_OK(akt_stream_branch_results(s, 0, &first, &n));
    assert_int_equal(n, 151);
    for (size_t i = 0; i < n; i++) assert_int_equal(result(s, first + i), 2 * (int64_t)i);
    TU_OK(akt_stream_branch_results(s, 1, &first, &n));
    assert_int_equal(first, 151);
    assert_int_equal(n, 150);
    for (size_t i = 0; i < n; i++) assert_int_equal(result(s, first + i), 2 * (int64_t)i + 1);
    TU_OK(akt_stream_release(s));

    /* An index out of range fails the stream, or is dropped and counted under resume. */
    for (int resume = 0; resume <= 1; resume++) {
        akt_stream_graph *b2[2] = {collect_branch(), collect_branch()};
        akt_stream_graph *h = NULL;
        TU_OK(akt_stream_graph_new(&h));
        TU_OK(akt_stream_source_range(h, 0, 10, 1));
        TU_OK(akt_stream_sink_partition(h, b2, 2, to_branch, NULL));
        if (resume) TU_OK(akt_stream_stage_on_error(h, AKT_STREAM_ON_ERROR_RESUME, 0));
        free_all(b2, 2);
        TU_OK(akt_stream_run(sys, h, &s));
        int rc = akt_stream_wait(s, TU_DEADLINE_NS);
        if (resume) {
            TU_OK(rc);
            assert_int_equal(results(s), 2);
            assert_int_equal(metrics(s, 1).drops, 8);
            assert_int_equal(metrics(s, 1).errors, 8);
        } else {
            assert_int_equal(rc, AKT_EINVAL);
            const char *why = NULL;
            TU_OK(akt_stream_reason(s, &why));
            assert_string_equal(why, "stage 1 (partition): invalid argument");
        }
        TU_OK(akt_stream_release(s));
        TU_OK(akt_stream_graph_free(h));
    }
    TU_OK(akt_stream_graph_free(g));
}

static void test_a_branch_that_ends_early_or_fails(void **state) {
    (void)state;
    /* first ends its branch at once; the other branch still gets everything */
    akt_stream_graph *br[2] = {NULL, collect_branch()};
    TU_OK(akt_stream_graph_new_branch(&br[0]));
    TU_OK(akt_stream_sink_first(br[0]));
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 5, 205, 1));
    TU_OK(akt_stream_sink_broadcast(g, br, 2));
    free_all(br, 2);
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_int_equal(results(s), 201);
    assert_int_equal(result(s, 0), 5);
    for (size_t i = 0; i < 200; i++) assert_int_equal(result(s, 1 + i), 5 + (int64_t)i);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));

    /* a failing branch fails the whole stream */
    akt_stream_graph *b2[2] = {collect_branch(), NULL};
    TU_OK(akt_stream_graph_new_branch(&b2[1]));
    /* Balance gives an element to whichever branch has demand, so a branch failing at one
     * value might never see it: this one fails at its first element. */
    TU_OK(akt_stream_map(b2[1], fail_any, NULL));
    TU_OK(akt_stream_sink_ignore(b2[1]));
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, 1000000, 1));
    TU_OK(akt_stream_sink_balance(g, b2, 2));
    free_all(b2, 2);
    TU_OK(akt_stream_run(sys, g, &s));
    assert_int_equal(akt_stream_wait(s, TU_DEADLINE_NS), AKT_EINVAL);
    const char *why = NULL;
    TU_OK(akt_stream_reason(s, &why));
    assert_string_equal(why, "branch 1: stage 0 (map): invalid argument");
    size_t first, n;
    assert_int_equal(akt_stream_branch_results(s, 0, &first, &n), AKT_EINVAL);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_cancel_and_shutdown_through_junctions(void **state) {
    (void)state;
    static counter slow;
    memset(&slow, 0, sizeof slow);
    slow.sleep_us = 1000;
    /* merge of endless inputs into a broadcast with a slow branch */
    akt_stream_graph *in[2] = {range_input(0, INT64_MAX, 4), range_input(0, INT64_MAX, 4)};
    akt_stream_graph *br[2] = {collect_branch(), each_branch(&slow, 4)};
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_merge(g, in, 2));
    TU_OK(akt_stream_sink_broadcast(g, br, 2));
    free_all(in, 2);
    free_all(br, 2);
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    while (atomic_load(&slow.seen) < 20) sleep_us(1000);
    TU_OK(akt_stream_cancel(s));
    assert_int_equal(akt_stream_wait(s, TU_DEADLINE_NS), AKT_ECANCELED);
    TU_OK(akt_stream_release(s));

    /* drain: the junction stops taking from its inputs; what is in flight arrives */
    akt_stream *d = NULL;
    TU_OK(akt_stream_run(sys, g, &d));
    while (atomic_load(&slow.seen) < 40) sleep_us(1000);
    TU_OK(akt_stream_drain(d));
    TU_OK(akt_stream_wait(d, TU_DEADLINE_NS));
    size_t first, n;
    TU_OK(akt_stream_branch_results(d, 0, &first, &n));
    assert_true(n > 0);
    TU_OK(akt_stream_release(d));

    /* the system's shutdown ends one still running */
    TU_OK(akt_stream_run(sys, g, &s));
    while (atomic_load(&slow.seen) < 60) sleep_us(1000);
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    TU_RC(AKT_ESTOPPED, akt_stream_wait(s, TU_DEADLINE_NS));
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_junctions_nest(void **state) {
    (void)state;
    /* concat(merge(a, b), c) -> broadcast(collect, partition(collect, collect)) */
    akt_stream_graph *ab[2] = {range_input(0, 50, 4), range_input(50, 100, 4)};
    akt_stream_graph *in[2] = {NULL, range_input(100, 150, 4)};
    TU_OK(akt_stream_graph_new(&in[0]));
    TU_OK(akt_stream_source_merge(in[0], ab, 2));
    akt_stream_graph *pb[2] = {collect_branch(), collect_branch()};
    akt_stream_graph *br[2] = {collect_branch(), NULL};
    TU_OK(akt_stream_graph_new_branch(&br[1]));
    TU_OK(akt_stream_sink_partition(br[1], pb, 2, parity, NULL));
    akt_stream_graph *g = NULL;
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_concat(g, in, 2));
    TU_OK(akt_stream_sink_broadcast(g, br, 2));
    free_all(ab, 2);
    free_all(in, 2);
    free_all(pb, 2);
    free_all(br, 2);
    akt_stream *s = NULL;
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_int_equal(results(s), 300);
    size_t first, n;
    TU_OK(akt_stream_branch_results(s, 0, &first, &n));
    assert_int_equal(n, 150);
    int64_t sum = 0;
    for (size_t i = 0; i < 100; i++) sum += result(s, i);
    assert_int_equal(sum, 99 * 100 / 2);
    for (size_t i = 100; i < 150; i++) assert_int_equal(result(s, i), (int64_t)i); /* c last */
    TU_OK(akt_stream_branch_results(s, 1, &first, &n));
    assert_int_equal(n, 150);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
}

static void test_junction_bad_input(void **state) {
    (void)state;
    akt_stream_graph *g = NULL, *in = range_input(0, 3, 4), *br = collect_branch();
    akt_stream_graph *with_sink = range_input(0, 3, 4);
    TU_OK(akt_stream_sink_collect(with_sink));
    akt_stream_graph *empty_branch = NULL;
    TU_OK(akt_stream_graph_new_branch(&empty_branch));
    TU_OK(akt_stream_graph_new(&g));
    akt_stream_graph *many[65];
    for (int i = 0; i < 65; i++) many[i] = in;
    assert_int_equal(akt_stream_source_merge(NULL, &in, 1), AKT_EINVAL);
    assert_int_equal(akt_stream_source_merge(g, NULL, 1), AKT_EINVAL);
    assert_int_equal(akt_stream_source_merge(g, &in, 0), AKT_EINVAL);
    assert_int_equal(akt_stream_source_merge(g, many, 65), AKT_EINVAL);
    assert_int_equal(akt_stream_source_concat(g, &with_sink, 1), AKT_EINVAL);
    assert_int_equal(akt_stream_source_concat(g, &br, 1), AKT_EINVAL);
    assert_int_equal(akt_stream_source_concat(g, &g, 1), AKT_EINVAL);
    assert_int_equal(akt_stream_source_zip(g, &in, 1, NULL, NULL), AKT_EINVAL);
    assert_int_equal(akt_stream_sink_broadcast(g, &br, 1), AKT_EMISUSE); /* no source yet */
    TU_OK(akt_stream_source_merge(g, many, 64));
    assert_int_equal(akt_stream_source_merge(g, &in, 1), AKT_EMISUSE); /* a second source */
    assert_int_equal(akt_stream_sink_broadcast(g, &in, 1), AKT_EINVAL);
    assert_int_equal(akt_stream_sink_balance(g, &empty_branch, 1), AKT_EINVAL);
    assert_int_equal(akt_stream_sink_partition(g, &br, 1, NULL, NULL), AKT_EINVAL);
    assert_int_equal(akt_stream_sink_partition(g, NULL, 1, parity, NULL), AKT_EINVAL);
    TU_OK(akt_stream_sink_balance(g, &br, 1));
    assert_int_equal(akt_stream_sink_broadcast(g, &br, 1), AKT_EMISUSE); /* after the sink */
    /* a branch graph takes no source and cannot run alone */
    assert_int_equal(akt_stream_source_range(empty_branch, 0, 1, 1), AKT_EMISUSE);
    assert_int_equal(akt_stream_source_merge(empty_branch, &in, 1), AKT_EMISUSE);
    akt_stream *s = NULL;
    assert_int_equal(akt_stream_run(sys, br, &s), AKT_EINVAL);
    assert_int_equal(akt_stream_graph_new_branch(NULL), AKT_EINVAL);
    /* branch_results on a stream that is not a fan-out, and bad arguments */
    akt_stream_graph *plain = range_input(0, 3, 4);
    TU_OK(akt_stream_sink_collect(plain));
    TU_OK(akt_stream_run(sys, plain, &s));
    size_t first, n;
    assert_int_equal(akt_stream_branch_results(s, 0, &first, &n), AKT_EINVAL);
    assert_int_equal(akt_stream_branch_results(s, 0, NULL, &n), AKT_EINVAL);
    assert_int_equal(akt_stream_branch_results(NULL, 0, &first, &n), AKT_EINVAL);
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    TU_OK(akt_stream_release(s));
    /* the 64-input merge into a balance of one runs */
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    assert_int_equal(results(s), 64 * 3);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(plain));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_stream_graph_free(in));
    TU_OK(akt_stream_graph_free(br));
    TU_OK(akt_stream_graph_free(with_sink));
    TU_OK(akt_stream_graph_free(empty_branch));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        T_TEST(test_merge_takes_every_element_once),
        T_TEST(test_concat_keeps_the_inputs_in_order),
        T_TEST(test_zip_pairs_and_ends_with_the_shortest),
        T_TEST(test_a_failing_input_fails_the_stream),
        T_TEST(test_broadcast_gives_every_branch_everything),
        T_TEST(test_a_slow_branch_paces_a_broadcast),
        T_TEST(test_balance_sends_to_whoever_has_demand),
        T_TEST(test_partition_routes_by_the_function),
        T_TEST(test_a_branch_that_ends_early_or_fails),
        T_TEST(test_cancel_and_shutdown_through_junctions),
        T_TEST(test_junctions_nest),
        T_TEST(test_junction_bad_input),
    };
    return cmocka_run_group_tests_name("stream_fan", tests, NULL, NULL);
}
