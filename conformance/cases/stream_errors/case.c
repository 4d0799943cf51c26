/* stream_errors: failing stages, resume and retry. */
#include "conf_int64.h"

#include <akt/stream.h>

#include <stdio.h>
#include <string.h>

static int fail_on_5(akt_msg *in, akt_msg **out, void *d) {
    if (conf_int64_of(in) == 5) return AKT_EFAILED;
    *out = conf_int64(conf_int64_of(in));
    return 0;
}
static int fail_on_odd(akt_msg *in, akt_msg **out, void *d) {
    if (conf_int64_of(in) % 2) return AKT_EFAILED;
    *out = conf_int64(conf_int64_of(in));
    return 0;
}
static int flaky(akt_msg *in, akt_msg **out, void *d) {
    long *calls = d;
    if ((*calls)++ % 3 != 0) return AKT_EFAILED;
    *out = conf_int64(conf_int64_of(in));
    return 0;
}
static int fail_on_3(akt_msg *in, int *keep, void *d) {
    if (conf_int64_of(in) == 3) return AKT_EFAILED;
    *keep = 1;
    return 0;
}
static int sum_to_10(akt_msg *acc, akt_msg *in, akt_msg **out, void *d) {
    if (conf_int64_of(acc) > 10) return AKT_EFAILED;
    *out = conf_int64(conf_int64_of(acc) + conf_int64_of(in));
    return 0;
}
static int counting(void *d, akt_msg **out) {
    long *n = d;
    long v = (*n)++;
    if (v == 3) return AKT_EFAILED;
    *out = v <= 5 ? conf_int64(v) : NULL;
    return 0;
}

static akt_stream *run(akt_system *sys, akt_stream_graph *g, int *rc) {
    akt_stream *s = NULL;
    CONF_OK(akt_stream_run(sys, g, &s));
    *rc = akt_stream_wait(s, CONF_ASK_NS);
    CONF_OK(akt_stream_graph_free(g));
    return s;
}

static akt_stream_stage_metrics metrics(akt_stream *s, size_t i) {
    akt_stream_stage_metrics m = {.size = sizeof m};
    CONF_OK(akt_stream_metrics(s, i, &m));
    return m;
}

static void print_results(const char *step, akt_stream *s) {
    char line[256] = "";
    size_t n = 0, used = 0;
    CONF_OK(akt_stream_result_count(s, &n));
    for (size_t i = 0; i < n; i++) {
        akt_msg *m = NULL;
        CONF_OK(akt_stream_result_at(s, i, &m));
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%lld", i ? " " : "",
                                 (long long)conf_int64_of(m));
    }
    conf_say(step, "%s", n ? line : "-");
}

static const char *reason(akt_stream *s) {
    const char *why = "";
    CONF_OK(akt_stream_reason(s, &why));
    return why;
}

static akt_stream_graph *range_graph(int64_t start, int64_t end) {
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_range(g, start, end, 1));
    return g;
}

int main(void) {
    akt_system *sys = conf_system_create();
    int rc;

    /* 1. fail */
    akt_stream_graph *g = range_graph(0, 100);
    CONF_OK(akt_stream_map(g, fail_on_5, NULL));
    CONF_OK(akt_stream_stage_name(g, "boom"));
    CONF_OK(akt_stream_sink_collect(g));
    akt_stream *s = run(sys, g, &rc);
    conf_say("fail", "%s", conf_rc(rc));
    conf_say("fail.reason", "%s", reason(s));
    akt_stream_stage_metrics m = metrics(s, 1);
    conf_say("fail.metrics", "in %llu out %llu errors %llu", (unsigned long long)m.in,
             (unsigned long long)m.out, (unsigned long long)m.errors);
    CONF_OK(akt_stream_release(s));

    /* 2. resume */
    g = range_graph(0, 10);
    CONF_OK(akt_stream_map(g, fail_on_odd, NULL));
    CONF_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RESUME, 0));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g, &rc);
    CONF_OK(rc);
    print_results("resume", s);
    m = metrics(s, 1);
    conf_say("resume.metrics", "errors %llu drops %llu", (unsigned long long)m.errors,
             (unsigned long long)m.drops);
    CONF_OK(akt_stream_release(s));

    /* 3-4. retry within and beyond its budget */
    static long calls;
    for (unsigned budget = 2; budget >= 1; budget--) {
        calls = 0;
        g = range_graph(0, 4);
        CONF_OK(akt_stream_map(g, flaky, &calls));
        CONF_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RETRY, budget));
        CONF_OK(akt_stream_sink_collect(g));
        s = run(sys, g, &rc);
        if (budget == 2) {
            CONF_OK(rc);
            print_results("retry", s);
            conf_say("retry.errors", "%llu", (unsigned long long)metrics(s, 1).errors);
        } else {
            conf_say("retry.exhausted", "%s", conf_rc(rc));
            conf_say("retry.exhausted.errors", "%llu", (unsigned long long)metrics(s, 1).errors);
        }
        CONF_OK(akt_stream_release(s));
    }

    /* 5. filter */
    g = range_graph(0, 10);
    CONF_OK(akt_stream_filter(g, fail_on_3, NULL));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g, &rc);
    conf_say("filter", "%s", conf_rc(rc));
    conf_say("filter.reason", "%s", reason(s));
    CONF_OK(akt_stream_release(s));

    /* 6. fold */
    g = range_graph(1, 11);
    akt_msg *zero = conf_int64(0);
    CONF_OK(akt_stream_sink_fold(g, zero, sum_to_10, NULL));
    CONF_OK(akt_msg_release(zero));
    s = run(sys, g, &rc);
    conf_say("fold", "%s", conf_rc(rc));
    conf_say("fold.reason", "%s", reason(s));
    CONF_OK(akt_stream_release(s));

    /* 7. unfold with resume */
    static long count;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_unfold(g, counting, &count));
    CONF_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RESUME, 0));
    CONF_OK(akt_stream_sink_collect(g));
    s = run(sys, g, &rc);
    CONF_OK(rc);
    print_results("unfold.resume", s);
    conf_say("unfold.resume.drops", "%llu", (unsigned long long)metrics(s, 0).drops);
    CONF_OK(akt_stream_release(s));

    conf_system_finish(sys);
    return 0;
}
