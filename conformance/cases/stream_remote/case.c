/* stream_remote: a stream's sink on another node (an actor sink to a remote pid) and a
 * source reference (akt_stream_source_actor) fed by a stream on another node. */
#define _POSIX_C_SOURCE 200809L
#include "conf_int64.h"
#include "conf_remote.h"

#include <akt/stream.h>

#include <stdio.h>
#include <string.h>

/* target (on peer): journals each element and answers it; "done" ends. */
static int target_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[32];
    (void)state;
    if (conf_is(msg, AKT_TYPE_STRING)) {
        conf_log("peer.end", "%s", conf_text(msg, text, sizeof text));
        return 0;
    }
    conf_log("peer.got", "%lld", (long long)conf_int64_of(msg));
    return conf_respond(ctx, "ack", "");
}

static const akt_behavior target_behavior = {.size = sizeof(akt_behavior),
                                             .receive = target_receive};

/* Runs range(from, to) into an actor sink to target (2 in flight, on-complete done). */
static akt_stream *range_to(akt_system *sys, int64_t from, int64_t to, akt_pid target,
                            akt_msg *done) {
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_range(g, from, to, 1));
    CONF_OK(akt_stream_sink_actor(g, target, 2, done));
    CONF_OK(akt_stream_run(sys, g, &s));
    CONF_OK(akt_stream_graph_free(g));
    return s;
}

/* An actor source of capacity into collect. */
static akt_stream *source_ref(akt_system *sys, size_t capacity) {
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    CONF_OK(akt_stream_graph_new(&g));
    CONF_OK(akt_stream_source_actor(g, capacity));
    CONF_OK(akt_stream_sink_collect(g));
    CONF_OK(akt_stream_run(sys, g, &s));
    CONF_OK(akt_stream_graph_free(g));
    return s;
}

static const char *ended(akt_stream *s) {
    int rc = akt_stream_wait(s, CONF_ASK_NS);
    const char *why = "";
    if (rc == 0) return "ok";
    akt_stream_reason(s, &why);
    return why[0] ? why : conf_rc(rc);
}

/* The results of s, space-separated. */
static const char *results(akt_stream *s, char *buf, size_t cap) {
    size_t n = 0, at = 0;
    buf[0] = '\0';
    CONF_OK(akt_stream_result_count(s, &n));
    for (size_t i = 0; i < n && at < cap; i++) {
        akt_msg *m = NULL;
        CONF_OK(akt_stream_result_at(s, i, &m));
        at += (size_t)snprintf(buf + at, cap - at, "%s%lld", i ? " " : "",
                               (long long)conf_int64_of(m));
    }
    return buf;
}

int main(void) {
    char buf[512], peer_address[256], addr[512];
    akt_system *sys = conf_system_create();
    akt_system *peer = conf_node_create("peer");

    /* 1. */
    conf_remote_start(sys);
    conf_remote_start(peer);
    CONF_OK(akt_remote_address(peer, peer_address, sizeof peer_address, NULL));
    conf_say("remote.start", "ok");
    conf_spawn(peer, &target_behavior, NULL, "target");

    /* 2. A remote sink. */
    akt_pid target;
    snprintf(addr, sizeof addr, "%s/user/target", peer_address);
    CONF_OK(akt_remote_lookup(sys, addr, &target));
    akt_msg *done = NULL;
    CONF_OK(akt_msg_new_bytes(AKT_TYPE_STRING, "done", 4, AKT_COPY, &done));
    akt_stream *s = range_to(sys, 1, 6, target, done);
    conf_say("sink.stream", "%s", ended(s));
    conf_wait_log(6);
    conf_flush();
    CONF_OK(akt_stream_release(s));
    CONF_OK(akt_msg_release(done));

    /* 3. A source reference fed from the peer. */
    akt_stream *consumer = source_ref(sys, 2);
    CONF_OK(akt_stream_source_address(consumer, addr, sizeof addr, NULL));
    akt_pid src;
    CONF_OK(akt_remote_lookup(peer, addr, &src));
    akt_msg *end = NULL;
    CONF_OK(akt_msg_new_bytes(AKT_STREAM_END, NULL, 0, AKT_BORROW, &end));
    akt_stream *producer = range_to(peer, 10, 15, src, end);
    conf_say("ref.producer", "%s", ended(producer));
    conf_say("ref.result", "%s",
             strcmp(ended(consumer), "ok") == 0 ? results(consumer, buf, sizeof buf)
                                                : ended(consumer));
    CONF_OK(akt_stream_release(producer));
    CONF_OK(akt_stream_release(consumer));

    /* 4. An ask into a source reference. */
    akt_stream *asked = source_ref(sys, 1);
    akt_pid apid;
    CONF_OK(akt_stream_source_pid(asked, &apid));
    akt_future *f = NULL;
    akt_msg *reply = NULL;
    CONF_OK(akt_ask(sys, apid, conf_int64(7), CONF_ASK_NS, &f));
    CONF_OK(akt_future_wait(f, CONF_ASK_NS, &reply));
    conf_say("ref.ask", "%s", akt_msg_type(reply));
    akt_msg_release(reply);
    akt_future_release(f);
    CONF_OK(akt_tell(sys, apid, end)); /* takes end */
    conf_say("ref.asked", "%s",
             strcmp(ended(asked), "ok") == 0 ? results(asked, buf, sizeof buf) : ended(asked));
    CONF_OK(akt_stream_release(asked));

    /* 5. */
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, 10 * 1000 * CONF_MS));
    CONF_OK(akt_system_release(peer));
    conf_say("peer.shutdown", "ok");
    conf_system_finish(sys);
    return 0;
}
