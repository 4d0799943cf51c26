/* akt-stream-fan-bench: elements per second through the stream junctions, against a linear
 * stream measured in the same run (range -> map(x+1) -> fold, three actors: the peer):
 *   broadcast  range -> broadcast to 2 branches (map(x+1) -> fold): each element twice
 *   balance    range -> balance to 2 branches (map(x+1) -> fold): each element once
 *   merge      merge of 2 ranges of n/2 -> map(x+1) -> fold
 *   zip        zip of 2 ranges of n (a pair -> one element) -> map(x+1) -> fold
 * Prints one JSON line per figure (elements of the source(s) per second) and each one's
 * ratio over the linear stream. Usage: akt-stream-fan-bench [-n=2000000] [-window=256] */
#define _POSIX_C_SOURCE 200809L
#include <akt/stream.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static akt_msg *i64(int64_t v) {
    akt_msg *m = NULL;
    if (akt_msg_new_bytes(AKT_TYPE_INT64, &v, 8, AKT_COPY, &m) != 0) return NULL;
    return m; /* little-endian hosts only, like the figures' machine */
}

static int64_t val(akt_msg *m) {
    const void *p = NULL;
    size_t n = 0;
    int64_t v = 0;
    if (akt_msg_bytes(m, &p, &n) == 0 && n == 8) memcpy(&v, p, 8);
    return v;
}

static int plus1(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    *out = i64(val(in) + 1);
    return *out ? 0 : AKT_ENOMEM;
}
static int sum(akt_msg *acc, akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    *out = i64(val(acc) + val(in));
    return *out ? 0 : AKT_ENOMEM;
}
static int add_pair(akt_msg *const *in, size_t n, akt_msg **out, void *data) {
    (void)n, (void)data;
    *out = i64(val(in[0]) + val(in[1]));
    return *out ? 0 : AKT_ENOMEM;
}

static void check(int rc, const char *what) {
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, akt_strerror(rc));
        exit(1);
    }
}

static akt_msg *zero;
static size_t window;

static akt_stream_graph *range_graph(int64_t lo, int64_t hi) {
    akt_stream_graph *g = NULL;
    check(akt_stream_graph_new(&g), "graph");
    check(akt_stream_graph_set_buffer(g, window), "window");
    check(akt_stream_source_range(g, lo, hi, 1), "range");
    return g;
}

static akt_stream_graph *fold_branch(void) {
    akt_stream_graph *b = NULL;
    check(akt_stream_graph_new_branch(&b), "branch");
    check(akt_stream_graph_set_buffer(b, window), "window");
    check(akt_stream_map(b, plus1, NULL), "map");
    check(akt_stream_sink_fold(b, zero, sum, NULL), "fold");
    return b;
}

/* Runs g (freed) and returns elements/s for n source elements; *total: the results' sum. */
static double timed(akt_system *sys, akt_stream_graph *g, long n, int64_t *total) {
    double t0 = now_s();
    akt_stream *s = NULL;
    check(akt_stream_run(sys, g, &s), "run");
    check(akt_stream_wait(s, -1), "wait");
    double rate = (double)n / (now_s() - t0);
    size_t k = 0;
    check(akt_stream_result_count(s, &k), "results");
    *total = 0;
    for (size_t i = 0; i < k; i++) {
        akt_msg *m = NULL;
        check(akt_stream_result_at(s, i, &m), "result");
        *total += val(m);
    }
    akt_stream_release(s);
    akt_stream_graph_free(g);
    return rate;
}

static void print(const char *bench, double value, const char *unit, long n) {
    printf("{\"impl\":\"akt\",\"bench\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"n\":%ld}\n", bench,
           value, unit, n);
}

int main(int argc, char **argv) {
    long n = 2000000;
    window = 256;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-n=", 3) == 0)
            n = atol(argv[i] + 3) & ~1L;
        else if (strncmp(argv[i], "-window=", 8) == 0)
            window = (size_t)atol(argv[i] + 8);
        else {
            fprintf(stderr, "usage: %s [-n=N] [-window=W]\n", argv[0]);
            return 2;
        }
    }
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "stream-fan-bench";
    akt_system *sys = NULL;
    check(akt_system_create(&o, &sys), "create");
    zero = i64(0);
    int64_t want = (int64_t)n * (n + 1) / 2, got = 0; /* sum of x+1 over 0..n-1 */

    akt_stream_graph *g = range_graph(0, n);
    check(akt_stream_map(g, plus1, NULL), "map");
    check(akt_stream_sink_fold(g, zero, sum, NULL), "fold");
    double linear = timed(sys, g, n, &got);
    if (got != want) return fprintf(stderr, "linear: %lld\n", (long long)got), 1;

    akt_stream_graph *br[2] = {fold_branch(), fold_branch()};
    g = range_graph(0, n);
    check(akt_stream_sink_broadcast(g, br, 2), "broadcast");
    double bcast = timed(sys, g, n, &got);
    if (got != 2 * want) return fprintf(stderr, "broadcast: %lld\n", (long long)got), 1;

    g = range_graph(0, n);
    check(akt_stream_sink_balance(g, br, 2), "balance");
    double balance = timed(sys, g, n, &got);
    if (got != want) return fprintf(stderr, "balance: %lld\n", (long long)got), 1;
    akt_stream_graph_free(br[0]);
    akt_stream_graph_free(br[1]);

    akt_stream_graph *in[2] = {range_graph(0, n / 2), range_graph(n / 2, n)};
    check(akt_stream_graph_new(&g), "graph");
    check(akt_stream_graph_set_buffer(g, window), "window");
    check(akt_stream_source_merge(g, in, 2), "merge");
    check(akt_stream_map(g, plus1, NULL), "map");
    check(akt_stream_sink_fold(g, zero, sum, NULL), "fold");
    double merge = timed(sys, g, n, &got);
    if (got != want) return fprintf(stderr, "merge: %lld\n", (long long)got), 1;
    akt_stream_graph_free(in[0]);
    akt_stream_graph_free(in[1]);

    akt_stream_graph *zin[2] = {range_graph(0, n), range_graph(0, n)};
    check(akt_stream_graph_new(&g), "graph");
    check(akt_stream_graph_set_buffer(g, window), "window");
    check(akt_stream_source_zip(g, zin, 2, add_pair, NULL), "zip");
    check(akt_stream_map(g, plus1, NULL), "map");
    check(akt_stream_sink_fold(g, zero, sum, NULL), "fold");
    double zip = timed(sys, g, n, &got); /* n pairs */
    if (got != 2 * want - n) return fprintf(stderr, "zip: %lld\n", (long long)got), 1;
    akt_stream_graph_free(zin[0]);
    akt_stream_graph_free(zin[1]);

    print("fan_linear", linear, "elements/s", n);
    print("fan_broadcast2", bcast, "elements/s", n);
    print("fan_balance2", balance, "elements/s", n);
    print("fan_merge2", merge, "elements/s", n);
    print("fan_zip2", zip, "pairs/s", n);
    print("fan_broadcast2_over_linear", bcast / linear, "ratio", n);
    print("fan_balance2_over_linear", balance / linear, "ratio", n);
    print("fan_merge2_over_linear", merge / linear, "ratio", n);
    print("fan_zip2_over_linear", zip / linear, "ratio", n);
    akt_msg_release(zero);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return 0;
}
