/* stream_backpressure: bounded in-flight elements, buffer overflow strategies, drain and
 * cancel. */
#define _POSIX_C_SOURCE 200809L
#include "conf_int64.h"

#include <akt/stream.h>

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void sleep_ms(int ms) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    nanosleep(&ts, NULL);
}

static int same(akt_msg *in, akt_msg **out, void *d) {
    *out = conf_int64(conf_int64_of(in));
    return 0;
}

/* The slow sink: what it saw, whether in order (from 0, or just increasing). */
typedef struct slow {
    atomic_long seen;
    atomic_long last;
    atomic_int from_zero, increasing;
} slow;

static void slow_reset(slow *k) {
    atomic_store(&k->seen, 0);
    atomic_store(&k->last, -1);
    atomic_store(&k->from_zero, 1);
    atomic_store(&k->increasing, 1);
}

static int slow_each(akt_msg *in, void *d) {
    slow *k = d;
    long v = (long)conf_int64_of(in);
    if (v != atomic_load(&k->seen)) atomic_store(&k->from_zero, 0);
    if (v <= atomic_load(&k->last)) atomic_store(&k->increasing, 0);
    atomic_store(&k->last, v);
    atomic_fetch_add(&k->seen, 1);
    sleep_ms(1);
    return 0;
}

static akt_stream_stage_metrics metrics(akt_stream *s, size_t i) {
    akt_stream_stage_metrics m = {.size = sizeof m};
    CONF_OK(akt_stream_metrics(s, i, &m));
    return m;
}

/* Step 1's sink samples the metrics of its stream at each element. */
static _Atomic(akt_stream *) sampled_stream;
static atomic_ullong worst;
static int sampled_each(akt_msg *in, void *d) {
    akt_stream *s = atomic_load(&sampled_stream);
    if (s) {
        uint64_t out = metrics(s, 0).out, got = metrics(s, 2).in;
        unsigned long long flight = out > got ? out - got : 0;
        if (flight > atomic_load(&worst)) atomic_store(&worst, flight);
    }
    return slow_each(in, d);
}

static atomic_long counter;
static int count_up(void *d, akt_msg **out) {
    *out = conf_int64(atomic_fetch_add(&counter, 1));
    return 0;
}

static slow k;

static void buffered(akt_system *sys, const char *name, int overflow) {
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_range(g, 0, 300, 1));
    CONF_OK(akt_stream_buffer(g, 4, overflow));
    CONF_OK(akt_stream_sink_for_each(g, slow_each, &k));
    slow_reset(&k);
    akt_stream *s = NULL;
    CONF_OK(akt_stream_run(sys, g, &s));
    int rc = akt_stream_wait(s, 20 * CONF_ASK_NS);
    long seen = atomic_load(&k.seen);
    unsigned long long drops = (unsigned long long)metrics(s, 1).drops;
    if (overflow == AKT_STREAM_BACKPRESSURE) {
        CONF_OK(rc);
        conf_say(name, "seen %ld dropped %llu", seen, drops);
    } else {
        CONF_OK(rc);
        char step[64];
        conf_say(name, "seen+dropped %llu", (unsigned long long)seen + drops);
        snprintf(step, sizeof step, "%s.order", name);
        conf_say(step, "%s", atomic_load(&k.increasing) ? "kept" : "broken");
    }
    CONF_OK(akt_stream_release(s));
    CONF_OK(akt_stream_graph_free(g));
}

/* Waits (bounded) until the last stage received at least n. */
static void await_sink(akt_stream *s, size_t sink, uint64_t n) {
    for (int i = 0; metrics(s, sink).in < n; i++) {
        if (i > 10000) conf_fatal("the sink never received %llu", (unsigned long long)n);
        sleep_ms(1);
    }
}

int main(void) {
    akt_system *sys = conf_system_create();

    /* 1. slow sink, fast source */
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_graph_set_buffer(g, 4));
    CONF_OK(akt_stream_graph_set_fusion(g, 0));
    CONF_OK(akt_stream_source_range(g, 0, 200, 1));
    CONF_OK(akt_stream_map(g, same, NULL));
    CONF_OK(akt_stream_sink_for_each(g, sampled_each, &k));
    slow_reset(&k);
    akt_stream *s = NULL;
    CONF_OK(akt_stream_run(sys, g, &s));
    atomic_store(&sampled_stream, s);
    CONF_OK(akt_stream_wait(s, 20 * CONF_ASK_NS));
    atomic_store(&sampled_stream, NULL);
    conf_say("slow.seen", "%ld", atomic_load(&k.seen));
    conf_say("slow.order", "%s", atomic_load(&k.from_zero) ? "kept" : "broken");
    unsigned long long w = atomic_load(&worst);
    conf_say("slow.in_flight", "%s", w > 0 && w <= 10 ? "bounded" : "unbounded");
    CONF_OK(akt_stream_release(s));
    CONF_OK(akt_stream_graph_free(g));

    /* 2-3. buffers */
    buffered(sys, "drop_tail", AKT_STREAM_DROP_TAIL);
    buffered(sys, "drop_head", AKT_STREAM_DROP_HEAD);
    buffered(sys, "backpressure", AKT_STREAM_BACKPRESSURE);

    /* 4. drain */
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_unfold(g, count_up, NULL));
    CONF_OK(akt_stream_sink_collect(g));
    CONF_OK(akt_stream_run(sys, g, &s));
    await_sink(s, 1, 50);
    CONF_OK(akt_stream_drain(s));
    conf_say("drain", "%s", conf_rc(akt_stream_wait(s, CONF_ASK_NS)));
    size_t n = 0;
    CONF_OK(akt_stream_result_count(s, &n));
    conf_say("drain.lost", "%llu", (unsigned long long)(metrics(s, 0).out - n));
    int kept = 1;
    for (size_t i = 0; i < n; i++) {
        akt_msg *m = NULL;
        CONF_OK(akt_stream_result_at(s, i, &m));
        if (conf_int64_of(m) != (int64_t)i) kept = 0;
    }
    conf_say("drain.order", "%s", kept ? "kept" : "broken");
    CONF_OK(akt_stream_release(s));
    CONF_OK(akt_stream_graph_free(g));

    /* 5. cancel */
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_unfold(g, count_up, NULL));
    CONF_OK(akt_stream_sink_ignore(g));
    CONF_OK(akt_stream_run(sys, g, &s));
    await_sink(s, 1, 50);
    CONF_OK(akt_stream_cancel(s));
    conf_say("cancel", "%s", conf_rc(akt_stream_wait(s, CONF_ASK_NS)));
    CONF_OK(akt_stream_release(s));
    CONF_OK(akt_stream_graph_free(g));

    conf_system_finish(sys);
    return 0;
}
