/* stream_actor: an actor as a stream's source and sink, and the parallel map. */
#define _POSIX_C_SOURCE 200809L
#include "conf_int64.h"

#include <akt/stream.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int target_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (conf_is(msg, AKT_TYPE_STRING)) {
        conf_log("actor", "done");
        return 0;
    }
    conf_log("actor", "got %lld", (long long)conf_int64_of(msg));
    return conf_respond(ctx, "ack", "");
}

static int twice(akt_msg *in, akt_msg **out, void *d) {
    (void)d;
    *out = conf_int64(conf_int64_of(in) * 2);
    return 0;
}

/* map_async: completes at once (a C caller may complete from any thread, now or later). */
static int tenfold(akt_msg *in, akt_stream_async *p, void *fail_at) {
    int64_t x = conf_int64_of(in);
    if (x == (int64_t)(intptr_t)fail_at) return akt_stream_async_complete(p, AKT_EFAILED, NULL);
    return akt_stream_async_complete(p, 0, conf_int64(x * 10));
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Runs range(1, 7) -> map_async(3) -> collect; prints the results (sorted if asked) or the
 * reason it failed. */
static void map_async(akt_system *sys, const char *step, int ordered, int fail_at, int resume) {
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_range(g, 1, 7, 1));
    CONF_OK(akt_stream_map_async(g, 3, ordered, tenfold, (void *)(intptr_t)fail_at));
    if (resume) CONF_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RESUME, 0));
    CONF_OK(akt_stream_sink_collect(g));
    akt_stream *s = NULL;
    CONF_OK(akt_stream_run(sys, g, &s));
    int rc = akt_stream_wait(s, CONF_ASK_NS);
    if (rc != 0) {
        const char *why = "";
        akt_stream_reason(s, &why);
        conf_say(step, "%s", why);
    } else {
        size_t n = 0;
        CONF_OK(akt_stream_result_count(s, &n));
        int64_t v[16];
        for (size_t i = 0; i < n && i < 16; i++) {
            akt_msg *m = NULL;
            CONF_OK(akt_stream_result_at(s, i, &m));
            v[i] = conf_int64_of(m);
        }
        if (!ordered) qsort(v, n, sizeof v[0], cmp);
        char line[256] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(line + strlen(line), sizeof line - strlen(line), "%s%lld", i ? " " : "",
                     (long long)v[i]);
        conf_say(step, "%s", line);
    }
    CONF_OK(akt_stream_release(s));
    CONF_OK(akt_stream_graph_free(g));
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_behavior b = {.size = sizeof b, .receive = target_receive};
    akt_pid target = conf_spawn(sys, &b, NULL, "target");

    /* 2. queue -> map -> actor */
    akt_stream_graph *g = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_queue(g, 4));
    CONF_OK(akt_stream_map(g, twice, NULL));
    akt_msg *done = NULL;
    CONF_OK(akt_msg_new_bytes(AKT_TYPE_STRING, "done", 4, AKT_COPY, &done));
    CONF_OK(akt_stream_sink_actor(g, target, 2, done));
    CONF_OK(akt_msg_release(done));
    akt_stream *s = NULL;
    CONF_OK(akt_stream_run(sys, g, &s));
    for (int64_t x = 1; x <= 10;) {
        akt_msg *m = conf_int64(x);
        int rc = akt_stream_offer(s, m);
        if (rc == 0) {
            x++;
            continue;
        }
        akt_msg_release(m);
        if (rc != AKT_EFULL) conf_fatal("offer: %s", conf_rc(rc));
        sched_yield(); /* full: offer again */
    }
    CONF_OK(akt_stream_drain(s));
    int rc = akt_stream_wait(s, CONF_ASK_NS);
    conf_say("queue.result", "%s", rc == 0 ? "completed" : conf_rc(rc));
    conf_wait_log(11);
    conf_flush();

    /* 3. */
    akt_msg *late = conf_int64(99);
    rc = akt_stream_offer(s, late);
    if (rc) akt_msg_release(late);
    conf_say("queue.after_complete", "%s", conf_rc(rc));
    CONF_OK(akt_stream_release(s));
    CONF_OK(akt_stream_graph_free(g));

    /* 4-5. */
    map_async(sys, "map_async.ordered", 1, -1, 0);
    map_async(sys, "map_async.unordered", 0, -1, 0);
    map_async(sys, "map_async.failed", 1, 4, 0);
    map_async(sys, "map_async.resume", 1, 4, 1);

    conf_system_finish(sys);
    return 0;
}
