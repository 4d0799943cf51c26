/* stream_fan: fan-in (merge, concat, zip) and fan-out (broadcast, balance, partition). */
#define _POSIX_C_SOURCE 200809L
#include "conf_int64.h"

#include <akt/stream.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static akt_msg *str(const char *s) {
    akt_msg *m = NULL;
    CONF_OK(akt_msg_new_bytes(AKT_TYPE_STRING, s, strlen(s), AKT_COPY, &m));
    return m;
}

/* An element as text: a string as itself, an integer in decimal. */
static const char *text(akt_msg *m, char *buf, size_t len) {
    const void *p = NULL;
    size_t n = 0;
    CONF_OK(akt_msg_bytes(m, &p, &n));
    if (strcmp(akt_msg_type(m), AKT_TYPE_STRING) == 0)
        snprintf(buf, len, "%.*s", (int)n, (const char *)p);
    else
        snprintf(buf, len, "%lld", (long long)conf_int64_of(m));
    return buf;
}

/* Results [first, first + n) of s as "a b c" ("-" when none). */
static void say_range(const char *step, akt_stream *s, size_t first, size_t n) {
    char line[512] = "", one[64];
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        akt_msg *m = NULL;
        CONF_OK(akt_stream_result_at(s, first + i, &m));
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s", i ? " " : "",
                                 text(m, one, sizeof one));
    }
    conf_say(step, "%s", n ? line : "-");
}

static void say_all(const char *step, akt_stream *s) {
    size_t n = 0;
    CONF_OK(akt_stream_result_count(s, &n));
    say_range(step, s, 0, n);
}

static void say_branch(const char *step, akt_stream *s, size_t k) {
    size_t first = 0, n = 0;
    CONF_OK(akt_stream_branch_results(s, k, &first, &n));
    say_range(step, s, first, n);
}

static akt_stream_graph *range_graph(int64_t start, int64_t end) {
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_range(g, start, end, 1));
    return g;
}

static akt_stream_graph *values_graph(akt_msg **v, size_t n) {
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_values(g, v, n));
    for (size_t i = 0; i < n; i++) akt_msg_release(v[i]);
    return g;
}

static akt_stream_graph *branch(void) {
    akt_stream_graph *b = NULL;
    CONF_OK(akt_stream_graph_new_branch(&b));
    return b;
}

static akt_stream_graph *collect_branch(void) {
    akt_stream_graph *b = branch();
    CONF_OK(akt_stream_sink_collect(b));
    return b;
}

static void free_graphs(akt_stream_graph **v, size_t n) {
    for (size_t i = 0; i < n; i++) CONF_OK(akt_stream_graph_free(v[i]));
}

/* Runs g to its end (freeing it); *rc: how it ended. */
static akt_stream *run(akt_system *sys, akt_stream_graph *g, int *rc) {
    akt_stream *s = NULL;
    CONF_OK(akt_stream_run(sys, g, &s));
    *rc = akt_stream_wait(s, CONF_ASK_NS);
    CONF_OK(akt_stream_graph_free(g));
    return s;
}

static const char *reason(akt_stream *s) {
    const char *why = "";
    CONF_OK(akt_stream_reason(s, &why));
    return why;
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int dash(akt_msg *const *in, size_t n, akt_msg **out, void *d) {
    char a[64], b[64], buf[140];
    snprintf(buf, sizeof buf, "%s-%s", text(in[0], a, sizeof a), text(in[1], b, sizeof b));
    *out = str(buf);
    return 0;
}
static int square(akt_msg *in, akt_msg **out, void *d) {
    *out = conf_int64(conf_int64_of(in) * conf_int64_of(in));
    return 0;
}
static int sum(akt_msg *acc, akt_msg *in, akt_msg **out, void *d) {
    *out = conf_int64(conf_int64_of(acc) + conf_int64_of(in));
    return 0;
}
static int mod3(akt_msg *in, size_t *k, void *d) {
    *k = (size_t)(conf_int64_of(in) % 3);
    return 0;
}
static int itself(akt_msg *in, size_t *k, void *d) {
    *k = (size_t)conf_int64_of(in);
    return 0;
}
static int fail_on(akt_msg *in, akt_msg **out, void *d) {
    if (conf_int64_of(in) == (int64_t)(intptr_t)d) return AKT_EFAILED;
    *out = conf_int64(conf_int64_of(in));
    return 0;
}

/* Step 10: the source counts what it made, the branches what they saw. */
static atomic_long made, fast_seen, slow_seen, worst;
static int counting(void *d, akt_msg **out) {
    long v = atomic_load(&made);
    *out = v < 200 ? conf_int64(v) : NULL;
    if (v < 200) atomic_store(&made, v + 1);
    return 0;
}
static int fast(akt_msg *in, void *d) {
    atomic_fetch_add(&fast_seen, 1);
    return 0;
}
static int slow(akt_msg *in, void *d) {
    long ahead = atomic_load(&made) - atomic_load(&slow_seen);
    if (ahead > atomic_load(&worst)) atomic_store(&worst, ahead);
    atomic_fetch_add(&slow_seen, 1);
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
    return 0;
}

int main(void) {
    akt_system *sys = conf_system_create();
    int rc;

    /* 1. merge */
    akt_msg *hundreds[2] = {conf_int64(100), conf_int64(101)};
    akt_stream_graph *in3[3] = {range_graph(0, 5), range_graph(10, 15), values_graph(hundreds, 2)};
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_merge(g, in3, 3));
    free_graphs(in3, 3);
    CONF_OK(akt_stream_sink_collect(g));
    akt_stream *s = run(sys, g, &rc);
    CONF_OK(rc);
    size_t n = 0;
    CONF_OK(akt_stream_result_count(s, &n));
    int64_t v[32], last[3] = {-1, -1, -1};
    int ordered = 1;
    for (size_t i = 0; i < n && i < 32; i++) {
        akt_msg *m = NULL;
        CONF_OK(akt_stream_result_at(s, i, &m));
        v[i] = conf_int64_of(m);
        int input = v[i] < 10 ? 0 : v[i] < 100 ? 1 : 2;
        if (v[i] < last[input]) ordered = 0;
        last[input] = v[i];
    }
    qsort(v, n, sizeof v[0], cmp64);
    char line[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%lld", i ? " " : "",
                                 (long long)v[i]);
    conf_say("merge", "%s", line);
    conf_say("merge.ordered", "%s", ordered ? "yes" : "no");
    CONF_OK(akt_stream_release(s));

    /* 2. concat */
    akt_msg *ab[2] = {str("a"), str("b")};
    akt_stream_graph *cin[3] = {range_graph(1, 4), values_graph(ab, 2), range_graph(7, 9)};
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_concat(g, cin, 3));
    free_graphs(cin, 3);
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g, &rc);
    CONF_OK(rc);
    say_all("concat", s);
    CONF_OK(akt_stream_release(s));

    /* 3. zip */
    akt_msg *xyzw[4] = {str("x"), str("y"), str("z"), str("w")};
    akt_stream_graph *zin[2] = {range_graph(1, 4), values_graph(xyzw, 4)};
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_zip(g, zin, 2, dash, NULL));
    free_graphs(zin, 2);
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g, &rc);
    CONF_OK(rc);
    say_all("zip", s);
    CONF_OK(akt_stream_release(s));

    /* 4. broadcast */
    akt_stream_graph *br[3] = {collect_branch(), branch(), branch()};
    CONF_OK(akt_stream_map(br[1], square, NULL));
    akt_msg *zero = conf_int64(0);
    CONF_OK(akt_stream_sink_fold(br[1], zero, sum, NULL));
    akt_msg_release(zero);
    CONF_OK(akt_stream_sink_first(br[2]));
    g = range_graph(1, 6);
    CONF_OK(akt_stream_sink_broadcast(g, br, 3));
    free_graphs(br, 3);
    s = run(sys, g, &rc);
    CONF_OK(rc);
    say_branch("broadcast.0", s, 0);
    say_branch("broadcast.1", s, 1);
    say_branch("broadcast.2", s, 2);
    CONF_OK(akt_stream_release(s));

    /* 5. balance */
    akt_stream_graph *bal[3] = {collect_branch(), collect_branch(), collect_branch()};
    g = range_graph(0, 100);
    CONF_OK(akt_stream_sink_balance(g, bal, 3));
    free_graphs(bal, 3);
    s = run(sys, g, &rc);
    CONF_OK(rc);
    CONF_OK(akt_stream_result_count(s, &n));
    int64_t all[128];
    for (size_t i = 0; i < n && i < 128; i++) {
        akt_msg *m = NULL;
        CONF_OK(akt_stream_result_at(s, i, &m));
        all[i] = conf_int64_of(m);
    }
    qsort(all, n < 128 ? n : 128, sizeof all[0], cmp64);
    int once = n == 100;
    for (size_t i = 0; once && i < n; i++) once = all[i] == (int64_t)i;
    conf_say("balance.total", "%zu", n);
    conf_say("balance.each_once", "%s", once ? "yes" : "no");
    CONF_OK(akt_stream_release(s));

    /* 6. partition */
    akt_stream_graph *pb[3] = {collect_branch(), collect_branch(), collect_branch()};
    g = range_graph(0, 10);
    CONF_OK(akt_stream_sink_partition(g, pb, 3, mod3, NULL));
    free_graphs(pb, 3);
    s = run(sys, g, &rc);
    CONF_OK(rc);
    say_branch("partition.0", s, 0);
    say_branch("partition.1", s, 1);
    say_branch("partition.2", s, 2);
    CONF_OK(akt_stream_release(s));

    /* 7. partition.bad */
    akt_stream_graph *pb2[2] = {collect_branch(), collect_branch()};
    g = range_graph(0, 5);
    CONF_OK(akt_stream_sink_partition(g, pb2, 2, itself, NULL));
    free_graphs(pb2, 2);
    s = run(sys, g, &rc);
    conf_say("partition.bad", "%s", conf_rc(rc));
    conf_say("partition.bad.reason", "%s", reason(s));
    CONF_OK(akt_stream_release(s));

    /* 8. branch.fail */
    akt_stream_graph *fb[2] = {collect_branch(), branch()};
    CONF_OK(akt_stream_map(fb[1], fail_on, (void *)(intptr_t)3));
    CONF_OK(akt_stream_sink_ignore(fb[1]));
    g = range_graph(0, 10);
    CONF_OK(akt_stream_sink_broadcast(g, fb, 2));
    free_graphs(fb, 2);
    s = run(sys, g, &rc);
    conf_say("branch.fail", "%s", conf_rc(rc));
    conf_say("branch.fail.reason", "%s", reason(s));
    CONF_OK(akt_stream_release(s));

    /* 9. input.fail */
    akt_stream_graph *fi[2] = {range_graph(0, 10), range_graph(0, 10)};
    CONF_OK(akt_stream_map(fi[1], fail_on, (void *)(intptr_t)4));
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_merge(g, fi, 2));
    free_graphs(fi, 2);
    CONF_OK(akt_stream_sink_ignore(g));
    s = run(sys, g, &rc);
    conf_say("input.fail", "%s", conf_rc(rc));
    conf_say("input.fail.reason", "%s", reason(s));
    CONF_OK(akt_stream_release(s));

    /* 10. paced */
    akt_stream_graph *pc[2] = {branch(), branch()};
    for (int k = 0; k < 2; k++) {
        CONF_OK(akt_stream_graph_set_buffer(pc[k], 4));
        CONF_OK(akt_stream_sink_for_each(pc[k], k ? slow : fast, NULL));
    }
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_graph_set_buffer(g, 4));
    CONF_OK(akt_stream_source_unfold(g, counting, NULL));
    CONF_OK(akt_stream_sink_broadcast(g, pc, 2));
    free_graphs(pc, 2);
    s = run(sys, g, &rc);
    CONF_OK(rc);
    conf_say("paced.fast", "%ld", atomic_load(&fast_seen));
    conf_say("paced.slow", "%ld", atomic_load(&slow_seen));
    conf_say("paced.bounded", "%s", atomic_load(&worst) <= 16 ? "yes" : "no");
    CONF_OK(akt_stream_release(s));

    conf_system_finish(sys);
    return 0;
}
