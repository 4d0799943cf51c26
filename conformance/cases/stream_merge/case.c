/* stream_merge: flatMap merge with a breadth, and the room signal of a queue source. */
#define _POSIX_C_SOURCE 200809L
#include "conf_int64.h"

#include <akt/stream.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The inner of 31 fails (step 3). */
static int fail_31(akt_msg *in, akt_msg **out, void *d) {
    (void)d;
    if (conf_int64_of(in) == 31) return AKT_EFAILED;
    akt_msg_retain(in);
    *out = in;
    return 0;
}

/* x -> range(x * 10, x * 10 + x), with the failing map for 3 when data is non-NULL. */
static int inner_of(akt_msg *in, akt_stream_graph **out, void *with_failure) {
    int64_t x = conf_int64_of(in);
    akt_stream_graph *g = NULL;
    int rc = akt_stream_graph_new(&g);
    if (rc) return rc;
    rc = akt_stream_source_range(g, x * 10, x * 10 + x, 1);
    if (rc == 0 && with_failure && x == 3) rc = akt_stream_map(g, fail_31, NULL);
    if (rc) {
        akt_stream_graph_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The results of a completed stream, at most 64. */
static size_t results(akt_stream *s, int64_t *v) {
    size_t n = 0;
    CONF_OK(akt_stream_result_count(s, &n));
    for (size_t i = 0; i < n && i < 64; i++) {
        akt_msg *m = NULL;
        CONF_OK(akt_stream_result_at(s, i, &m));
        v[i] = conf_int64_of(m);
    }
    return n < 64 ? n : 64;
}

static void say_list(const char *step, const int64_t *v, size_t n) {
    char line[512] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s%lld", i ? " " : "",
                 (long long)v[i]);
    conf_say(step, "%s", line);
}

/* range(1, 6) -> flat_map_merge(breadth, inner_of) -> collect. */
static akt_stream *merge(akt_system *sys, size_t breadth, int with_failure, int resume) {
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_range(g, 1, 6, 1));
    CONF_OK(akt_stream_flat_map_merge(g, breadth, inner_of, with_failure ? &breadth : NULL));
    if (resume) CONF_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RESUME, 0));
    CONF_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    CONF_OK(akt_stream_run(sys, g, &s));
    CONF_OK(akt_stream_graph_free(g));
    return s;
}

/* A waiting offer: offers, and while the queue is full waits for its room signal. */
typedef struct room {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int told, rc;
} room;

static void on_room(akt_stream *s, int rc, void *data) {
    (void)s;
    room *r = data;
    pthread_mutex_lock(&r->mu);
    r->told = 1;
    r->rc = rc;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static int offer_wait(akt_stream *s, akt_msg *m) {
    for (;;) {
        int rc = akt_stream_offer(s, m);
        if (rc != AKT_EFULL) {
            if (rc) akt_msg_release(m);
            return rc;
        }
        room r = {.told = 0};
        pthread_mutex_init(&r.mu, NULL);
        pthread_cond_init(&r.cv, NULL);
        CONF_OK(akt_stream_on_room(s, on_room, &r));
        pthread_mutex_lock(&r.mu);
        while (!r.told) pthread_cond_wait(&r.cv, &r.mu);
        pthread_mutex_unlock(&r.mu);
        pthread_mutex_destroy(&r.mu);
        pthread_cond_destroy(&r.cv);
        if (r.rc) {
            akt_msg_release(m);
            return r.rc;
        }
    }
}

int main(void) {
    akt_system *sys = conf_system_create();
    int64_t v[64];

    /* 1. */
    akt_stream *s = merge(sys, 3, 0, 0);
    CONF_OK(akt_stream_wait(s, CONF_ASK_NS));
    size_t n = results(s, v);
    int ordered = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (v[i] / 10 == v[j] / 10 && v[i] > v[j]) ordered = 0;
    qsort(v, n, sizeof v[0], cmp);
    say_list("merge.sorted", v, n);
    conf_say("merge.per_inner_order", "%s", ordered ? "yes" : "no");
    CONF_OK(akt_stream_release(s));

    /* 2. */
    s = merge(sys, 1, 0, 0);
    CONF_OK(akt_stream_wait(s, CONF_ASK_NS));
    n = results(s, v);
    say_list("merge.breadth1", v, n);
    CONF_OK(akt_stream_release(s));

    /* 3. */
    s = merge(sys, 3, 1, 0);
    int rc = akt_stream_wait(s, CONF_ASK_NS);
    const char *why = "";
    akt_stream_reason(s, &why);
    conf_say("merge.failed", "%s", rc ? why : "completed");
    CONF_OK(akt_stream_release(s));
    s = merge(sys, 3, 1, 1);
    CONF_OK(akt_stream_wait(s, CONF_ASK_NS));
    n = results(s, v);
    qsort(v, n, sizeof v[0], cmp);
    say_list("merge.resume", v, n);
    CONF_OK(akt_stream_release(s));

    /* 4. */
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_queue(g, 2));
    CONF_OK(akt_stream_sink_collect(g));
    CONF_OK(akt_stream_run(sys, g, &s));
    CONF_OK(akt_stream_graph_free(g));
    for (int64_t x = 1; x <= 20; x++) CONF_OK(offer_wait(s, conf_int64(x)));
    CONF_OK(akt_stream_drain(s));
    CONF_OK(akt_stream_wait(s, CONF_ASK_NS));
    n = results(s, v);
    say_list("queue.result", v, n);
    conf_say("queue.after_complete", "%s", conf_rc(offer_wait(s, conf_int64(99))));
    CONF_OK(akt_stream_release(s));

    conf_system_finish(sys);
    return 0;
}
