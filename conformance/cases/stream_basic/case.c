/* stream_basic: the linear DSL, sinks, fusion and per-stage metrics. */
#define _POSIX_C_SOURCE 200809L
#include "conf_int64.h"

#include <akt/stream.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

static akt_msg *str(const char *s) {
    akt_msg *m = NULL;
    CONF_OK(akt_msg_new_bytes(AKT_TYPE_STRING, s, strlen(s), AKT_COPY, &m));
    return m;
}

static int times(akt_msg *in, akt_msg **out, void *k) {
    *out = conf_int64(conf_int64_of(in) * (int64_t)(intptr_t)k);
    return 0;
}
static int plus(akt_msg *in, akt_msg **out, void *k) {
    *out = conf_int64(conf_int64_of(in) + (int64_t)(intptr_t)k);
    return 0;
}
static int not_div3(akt_msg *in, int *keep, void *d) {
    *keep = conf_int64_of(in) % 3 != 0;
    return 0;
}
static int even(akt_msg *in, int *keep, void *d) {
    *keep = conf_int64_of(in) % 2 == 0;
    return 0;
}
static int sum(akt_msg *acc, akt_msg *in, akt_msg **out, void *d) {
    *out = conf_int64(conf_int64_of(acc) + conf_int64_of(in));
    return 0;
}
static int and_tenfold(akt_msg *in, akt_stream_emit_fn emit, void *ectx, void *d) {
    int rc = emit(ectx, conf_int64(conf_int64_of(in)));
    return rc ? rc : emit(ectx, conf_int64(conf_int64_of(in) * 10));
}
static int bang(akt_msg *in, akt_msg **out, void *d) {
    char buf[64];
    const void *p = NULL;
    size_t n = 0;
    CONF_OK(akt_msg_bytes(in, &p, &n));
    snprintf(buf, sizeof buf, "%.*s!", (int)n, (const char *)p);
    *out = str(buf);
    return 0;
}

static int count_one(akt_msg *acc, akt_msg *in, akt_msg **out, void *d) {
    *out = conf_int64(conf_int64_of(acc) + 1);
    return 0;
}
static int at_least_3(akt_msg *in, int *keep, void *d) {
    *keep = conf_int64_of(in) >= 3;
    return 0;
}

/* batch: the values joined by commas, as a text */
static int commas(akt_msg *const *in, size_t n, akt_msg **out, void *d) {
    char buf[256] = "";
    size_t used = 0;
    for (size_t k = 0; k < n; k++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%lld", k ? "," : "",
                                 (long long)conf_int64_of(in[k]));
    *out = str(buf);
    return 0;
}

/* Runs g to its end and returns the handle. */
static akt_stream *run(akt_system *sys, akt_stream_graph *g) {
    akt_stream *s = NULL;
    CONF_OK(akt_stream_run(sys, g, &s));
    CONF_OK(akt_stream_wait(s, CONF_ASK_NS));
    CONF_OK(akt_stream_graph_free(g));
    return s;
}

/* The results as "a b c" ("-" when none); texts as themselves, numbers in decimal. */
static void print_results(const char *step, akt_stream *s) {
    char line[512] = "";
    size_t n = 0, used = 0;
    CONF_OK(akt_stream_result_count(s, &n));
    for (size_t i = 0; i < n; i++) {
        akt_msg *m = NULL;
        CONF_OK(akt_stream_result_at(s, i, &m));
        const void *p = NULL;
        size_t len = 0;
        CONF_OK(akt_msg_bytes(m, &p, &len));
        used += (size_t)(strcmp(akt_msg_type(m), AKT_TYPE_STRING) == 0
                             ? snprintf(line + used, sizeof line - used, "%s%.*s", i ? " " : "",
                                        (int)len, (const char *)p)
                             : snprintf(line + used, sizeof line - used, "%s%lld", i ? " " : "",
                                        (long long)conf_int64_of(m)));
    }
    conf_say(step, "%s", n ? line : "-");
}

static akt_stream_graph *graph(void) {
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    return g;
}

int main(void) {
    akt_system *sys = conf_system_create();

    /* 1-2. collect, and the metrics of that stream. */
    akt_stream_graph *g = graph();
    CONF_OK(akt_stream_source_range(g, 1, 11, 1));
    CONF_OK(akt_stream_map(g, times, (void *)(intptr_t)2));
    CONF_OK(akt_stream_filter(g, not_div3, NULL));
    CONF_OK(akt_stream_sink_collect(g));
    akt_stream *s = run(sys, g);
    print_results("collect", s);
    char line[256] = "";
    size_t stages = 0, used = 0;
    CONF_OK(akt_stream_stage_count(s, &stages));
    for (size_t i = 0; i < stages; i++) {
        akt_stream_stage_metrics m = {.size = sizeof m};
        CONF_OK(akt_stream_metrics(s, i, &m));
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s in %llu out %llu",
                                 i ? ", " : "", m.name, (unsigned long long)m.in,
                                 (unsigned long long)m.out);
    }
    conf_say("metrics", "%s", line);
    CONF_OK(akt_stream_release(s));

    /* 3. fold */
    akt_msg *zero = conf_int64(0);
    g = graph();
    CONF_OK(akt_stream_source_range(g, 1, 101, 1));
    CONF_OK(akt_stream_sink_fold(g, zero, sum, NULL));
    s = run(sys, g);
    print_results("fold", s);
    CONF_OK(akt_stream_release(s));

    /* 4. scan */
    g = graph();
    CONF_OK(akt_stream_source_range(g, 1, 6, 1));
    CONF_OK(akt_stream_scan(g, zero, sum, NULL));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g);
    print_results("scan", s);
    CONF_OK(akt_stream_release(s));

    /* 5. dedup */
    int64_t dv[] = {1, 1, 2, 3, 3, 3, 1};
    akt_msg *values[7];
    for (int i = 0; i < 7; i++) values[i] = conf_int64(dv[i]);
    g = graph();
    CONF_OK(akt_stream_source_values(g, values, 7));
    for (int i = 0; i < 7; i++) CONF_OK(akt_msg_release(values[i]));
    CONF_OK(akt_stream_dedup(g));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g);
    print_results("dedup", s);
    CONF_OK(akt_stream_release(s));

    /* 6. flat_map */
    g = graph();
    CONF_OK(akt_stream_source_range(g, 1, 4, 1));
    CONF_OK(akt_stream_flat_map(g, and_tenfold, NULL));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g);
    print_results("flat_map", s);
    CONF_OK(akt_stream_release(s));

    /* 7. strings */
    akt_msg *texts[2] = {str("x"), str("y")};
    g = graph();
    CONF_OK(akt_stream_source_values(g, texts, 2));
    CONF_OK(akt_msg_release(texts[0]));
    CONF_OK(akt_msg_release(texts[1]));
    CONF_OK(akt_stream_map(g, bang, NULL));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g);
    print_results("strings", s);
    CONF_OK(akt_stream_release(s));

    /* 8. first */
    g = graph();
    CONF_OK(akt_stream_source_range(g, 7, INT64_MAX, 1));
    CONF_OK(akt_stream_sink_first(g));
    s = run(sys, g);
    print_results("first", s);
    CONF_OK(akt_stream_release(s));
    g = graph();
    CONF_OK(akt_stream_source_values(g, NULL, 0));
    CONF_OK(akt_stream_sink_first(g));
    s = run(sys, g);
    size_t n = 0;
    CONF_OK(akt_stream_result_count(s, &n));
    conf_say("first.empty", "%s", n ? "some" : "none");
    CONF_OK(akt_stream_release(s));

    /* 9. fusion on and off */
    for (int fusion = 1; fusion >= 0; fusion--) {
        g = graph();
        CONF_OK(akt_stream_graph_set_fusion(g, fusion));
        CONF_OK(akt_stream_source_range(g, 0, 1000, 1));
        CONF_OK(akt_stream_map(g, plus, (void *)(intptr_t)1));
        CONF_OK(akt_stream_filter(g, even, NULL));
        CONF_OK(akt_stream_map(g, times, (void *)(intptr_t)3));
        CONF_OK(akt_stream_sink_fold(g, zero, sum, NULL));
        s = run(sys, g);
        akt_msg *r = NULL;
        size_t actors = 0;
        CONF_OK(akt_stream_result_at(s, 0, &r));
        CONF_OK(akt_stream_actor_count(s, &actors));
        conf_say(fusion ? "fusion.on" : "fusion.off", "%lld actors %zu",
                 (long long)conf_int64_of(r), actors);
        CONF_OK(akt_stream_release(s));
    }

    /* 10. range.down */
    g = graph();
    CONF_OK(akt_stream_source_range(g, 10, 0, -3));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g);
    print_results("range.down", s);
    CONF_OK(akt_stream_release(s));

    /* 11. throttle */
    g = graph();
    CONF_OK(akt_stream_source_range(g, 0, 20, 1));
    CONF_OK(akt_stream_throttle(g, 5, 50 * 1000000LL));
    CONF_OK(akt_stream_sink_collect(g));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    s = run(sys, g);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_results("throttle", s);
    long long took = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    conf_say("throttle.paced", "%s", took >= 150 * 1000000LL ? "yes" : "no");
    CONF_OK(akt_stream_release(s));

    /* 12. tick */
    g = graph();
    akt_msg *t = str("t");
    CONF_OK(akt_stream_source_tick(g, 0, 10 * 1000000LL, t));
    CONF_OK(akt_msg_release(t));
    CONF_OK(akt_stream_scan(g, zero, count_one, NULL));
    CONF_OK(akt_stream_filter(g, at_least_3, NULL));
    CONF_OK(akt_stream_sink_first(g));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    s = run(sys, g);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_results("tick", s);
    took = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    conf_say("tick.paced", "%s", took >= 20 * 1000000LL ? "yes" : "no");
    CONF_OK(akt_stream_release(s));

    /* 13. batch */
    g = graph();
    CONF_OK(akt_stream_source_range(g, 0, 10, 1));
    CONF_OK(akt_stream_batch(g, 4, 10 * 1000000000LL, commas, NULL));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g);
    print_results("batch", s);
    CONF_OK(akt_stream_release(s));

    CONF_OK(akt_msg_release(zero));
    conf_system_finish(sys);
    return 0;
}
