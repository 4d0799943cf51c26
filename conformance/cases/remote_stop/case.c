/* remote_stop: graceful stop of a remote pid (0, AKT_ETIMEDOUT, AKT_EUNREACHABLE) and a
 * Close frame's reason reaching the peer (a tell's dead letter, an ask's failure). */
#define _POSIX_C_SOURCE 200809L
#include "conf_remote.h"

#include <akt/remote.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BIG 16384

/* sink: conf.Note "<n>" -> journals it. */
static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[64];
    (void)ctx;
    (void)state;
    if (!conf_is(msg, "conf.Note")) return AKT_EUNHANDLED;
    conf_log("peer.note", "%s", conf_text(msg, text, sizeof text));
    return 0;
}

/* holder: conf.Hold -> journals it, then takes 1 s. */
static int holder_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)state;
    if (!conf_is(msg, "conf.Hold")) return AKT_EUNHANDLED;
    conf_log("peer.hold", "started");
    struct timespec t = {1, 0};
    while (nanosleep(&t, &t) != 0) {
    }
    return 0;
}

/* echo: answers a message with itself. */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    akt_msg_retain(msg);
    int rc = akt_ctx_respond(ctx, msg);
    if (rc) akt_msg_release(msg);
    return 0;
}

/* A close reason as the transcript writes it: its fixed part, or the reason as it is. */
static const char *close_reason(const char *reason) {
    if (reason && strstr(reason, "remote peer closed the connection: ") &&
        strstr(reason, "over this node's message limit of 2048"))
        return "closed by peer: over this node's message limit of 2048";
    return reason ? reason : "(none)";
}

/* conf: journals the dead letters of type conf.Big with their reason. */
static void on_dead_letter(const akt_event *ev, void *data) {
    (void)data;
    if (ev->msg && conf_is(ev->msg, "conf.Big"))
        conf_log("dead.letter", "conf.Big (%s)", close_reason(ev->reason));
}

static const akt_behavior sink_behavior = {.size = sizeof(akt_behavior), .receive = sink_receive};
static const akt_behavior holder_behavior = {.size = sizeof(akt_behavior),
                                             .receive = holder_receive};
static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};

/* Graceful stop with a timeout, waited for: the first error, or 0. */
static int stop_graceful(akt_system *sys, akt_pid pid, int64_t timeout_ns) {
    akt_future *f = NULL;
    int rc = akt_stop_graceful(sys, pid, timeout_ns, &f);
    if (rc) return rc;
    rc = akt_future_wait(f, 30 * 1000 * CONF_MS, NULL);
    akt_future_release(f);
    return rc;
}

static akt_pid remote(akt_system *sys, const char *peer_address, const char *name) {
    char full[512];
    akt_pid pid;
    snprintf(full, sizeof full, "%s/user/%s", peer_address, name);
    CONF_OK(akt_remote_lookup(sys, full, &pid));
    return pid;
}

static akt_msg *big_msg(void) {
    static char big[BIG];
    memset(big, 'x', sizeof big);
    akt_msg *m = NULL;
    CONF_OK(akt_msg_new_bytes("conf.Big", big, sizeof big, AKT_COPY, &m));
    return m;
}

int main(void) {
    char buf[512], peer_address[256];
    akt_system *sys = conf_system_create();
    akt_system *peer = conf_node_create("peer");

    /* 1. Remoting on both nodes: conf chunks at 1024 bytes, the peer takes 2048 at most. */
    akt_remote_options oc, op;
    CONF_OK(akt_remote_options_init(&oc));
    CONF_OK(akt_remote_options_init(&op));
    oc.heartbeat_interval_ns = op.heartbeat_interval_ns = -1;
    oc.chunk_bytes = 1024;
    op.max_frame_bytes = 2048;
    op.max_message_bytes = 2048;
    CONF_OK(akt_remote_start(sys, &oc));
    CONF_OK(akt_remote_start(peer, &op));
    CONF_OK(akt_remote_address(peer, peer_address, sizeof peer_address, NULL));
    conf_say("remote.start", "ok");
    conf_spawn(peer, &sink_behavior, NULL, "sink");
    conf_spawn(peer, &holder_behavior, NULL, "holder");
    conf_spawn(peer, &echo_behavior, NULL, "echo");
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, on_dead_letter, NULL, &sub));

    /* 2. A graceful stop after three tells. */
    akt_pid sink = remote(sys, peer_address, "sink");
    CONF_OK(conf_tell(sys, sink, "conf.Note", "1"));
    CONF_OK(conf_tell(sys, sink, "conf.Note", "2"));
    CONF_OK(conf_tell(sys, sink, "conf.Note", "3"));
    conf_say("stop.sink", "%s", conf_rc(stop_graceful(sys, sink, 10 * 1000 * CONF_MS)));
    conf_wait_log(3);
    conf_flush();

    /* 3. A graceful stop that times out behind a message that takes 1 s. */
    akt_pid holder = remote(sys, peer_address, "holder");
    CONF_OK(conf_tell(sys, holder, "conf.Hold", ""));
    conf_say("stop.holder", "%s", conf_rc(stop_graceful(sys, holder, 100 * CONF_MS)));
    conf_wait_log(1);
    conf_flush();

    /* 4. No such actor there: nothing to stop. */
    conf_say("stop.nobody", "%s",
             conf_rc(stop_graceful(sys, remote(sys, peer_address, "nobody"), 10 * 1000 * CONF_MS)));

    /* 5. A tell too large for the peer: its Close frame's reason reaches the dead letter. */
    akt_pid echo = remote(sys, peer_address, "echo");
    akt_msg *m = big_msg();
    int rc = akt_tell(sys, echo, m);
    if (rc) {
        akt_msg_release(m);
        conf_fatal("tell conf.Big: %s", conf_rc(rc));
    }
    conf_wait_log(1);
    conf_flush();

    /* 6. An ask too large for the peer fails with the Close frame's reason. */
    akt_future *f = NULL;
    CONF_OK(akt_ask(sys, echo, big_msg(), 10 * 1000 * CONF_MS, &f));
    rc = akt_future_wait(f, 30 * 1000 * CONF_MS, NULL);
    const char *reason = NULL;
    if (rc) (void)akt_future_failure(f, &reason, NULL);
    conf_say("ask.big", "%s (%s)", conf_rc(rc), close_reason(reason));
    akt_future_release(f);

    /* 7. The connection comes back. */
    conf_say("ask.small", "%s", conf_ask_str(sys, echo, "conf.Small", "hi", buf, sizeof buf));

    /* 8. The peer goes away: a graceful stop of its pid cannot reach it. */
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, 10 * 1000 * CONF_MS));
    CONF_OK(akt_system_release(peer));
    conf_say("peer.shutdown", "ok");
    conf_say("stop.gone", "%s", conf_rc(stop_graceful(sys, echo, 10 * 1000 * CONF_MS)));

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
