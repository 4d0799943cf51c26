/* akt-stream-bench: elements per second of a 5-stage stream, range -> map(x+1) ->
 * filter(even) -> map(x*3) -> fold(sum), fused (2 actors) and unfused (5 actors), against
 * the same computation as a plain loop over the same akt messages (each element made and
 * released, as the stream does), all in one run. Prints one JSON line per figure and the
 * ratios stream/loop. Usage: akt-stream-bench [-n=10000000] [-window=256] */
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
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    akt_msg *m = NULL;
    if (akt_msg_new_bytes(AKT_TYPE_INT64, b, 8, AKT_COPY, &m) != 0) return NULL;
    return m;
}

static int64_t val(akt_msg *m) {
    const void *p = NULL;
    size_t n = 0;
    if (akt_msg_bytes(m, &p, &n) != 0 || n != 8) return 0;
    int64_t v;
    memcpy(&v, p, 8); /* little-endian hosts only, like the figures' machine */
    return v;
}

static int plus1(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    *out = i64(val(in) + 1);
    return *out ? 0 : AKT_ENOMEM;
}
static int times3(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    *out = i64(val(in) * 3);
    return *out ? 0 : AKT_ENOMEM;
}
static int even(akt_msg *in, int *keep, void *data) {
    (void)data;
    *keep = (val(in) & 1) == 0;
    return 0;
}
static int sum(akt_msg *acc, akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    *out = i64(val(acc) + val(in));
    return *out ? 0 : AKT_ENOMEM;
}

static void check(int rc, const char *what) {
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, akt_strerror(rc));
        exit(1);
    }
}

static double run_stream(akt_system *sys, long n, size_t window, int fusion, int64_t *result) {
    akt_stream_graph *g = NULL;
    check(akt_stream_graph_new(&g), "graph");
    check(akt_stream_graph_set_fusion(g, fusion), "fusion");
    check(akt_stream_graph_set_buffer(g, window), "window");
    check(akt_stream_source_range(g, 0, n, 1), "range");
    check(akt_stream_map(g, plus1, NULL), "map");
    check(akt_stream_filter(g, even, NULL), "filter");
    check(akt_stream_map(g, times3, NULL), "map");
    akt_msg *zero = i64(0);
    check(akt_stream_sink_fold(g, zero, sum, NULL), "fold");
    akt_msg_release(zero);
    akt_stream *s = NULL;
    double t0 = now_s();
    check(akt_stream_run(sys, g, &s), "run");
    check(akt_stream_wait(s, -1), "wait");
    double dt = now_s() - t0;
    akt_msg *r = NULL;
    check(akt_stream_result_at(s, 0, &r), "result");
    *result = val(r);
    akt_stream_release(s);
    akt_stream_graph_free(g);
    return (double)n / dt;
}

static double run_loop(long n, int64_t *result) {
    double t0 = now_s();
    akt_msg *acc = i64(0);
    for (long i = 0; i < n; i++) {
        akt_msg *a = i64(i), *b = NULL, *c = NULL, *d = NULL;
        plus1(a, &b, NULL);
        akt_msg_release(a);
        int keep = 0;
        even(b, &keep, NULL);
        if (!keep) {
            akt_msg_release(b);
            continue;
        }
        times3(b, &c, NULL);
        akt_msg_release(b);
        sum(acc, c, &d, NULL);
        akt_msg_release(c);
        akt_msg_release(acc);
        acc = d;
    }
    *result = val(acc);
    akt_msg_release(acc);
    return (double)n / (now_s() - t0);
}

static void print(const char *bench, double value, const char *unit, long n) {
    printf("{\"impl\":\"akt\",\"bench\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"n\":%ld}\n", bench,
           value, unit, n);
}

int main(int argc, char **argv) {
    long n = 10000000;
    size_t window = 256;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-n=", 3) == 0)
            n = atol(argv[i] + 3);
        else if (strncmp(argv[i], "-window=", 8) == 0)
            window = (size_t)atol(argv[i] + 8);
        else {
            fprintf(stderr, "usage: %s [-n=N] [-window=W]\n", argv[0]);
            return 2;
        }
    }
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "stream-bench";
    akt_system *sys = NULL;
    check(akt_system_create(&o, &sys), "create");
    int64_t r_loop = 0, r_fused = 0, r_unfused = 0;
    double loop = run_loop(n, &r_loop);
    double fused = run_stream(sys, n, window, 1, &r_fused);
    double unfused = run_stream(sys, n, window, 0, &r_unfused);
    if (r_fused != r_loop || r_unfused != r_loop) {
        fprintf(stderr, "results differ: loop %lld fused %lld unfused %lld\n", (long long)r_loop,
                (long long)r_fused, (long long)r_unfused);
        return 1;
    }
    print("stream5_loop", loop, "elements/s", n);
    print("stream5_fused", fused, "elements/s", n);
    print("stream5_unfused", unfused, "elements/s", n);
    print("stream5_fused_over_loop", fused / loop, "ratio", n);
    print("stream5_unfused_over_loop", unfused / loop, "ratio", n);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return 0;
}
