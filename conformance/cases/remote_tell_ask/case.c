/* remote_tell_ask: two systems of one process over 127.0.0.1; ordered tells, an ask, an
 * unknown path, an ask after the peer shut down. */
#include "conf_remote.h"

#include <akt/remote.h>
#include <stdio.h>
#include <string.h>

/* 1 if the path of from starts with prefix and ends with suffix. */
static int sender_is(akt_ctx *ctx, akt_pid from, const char *prefix, const char *suffix) {
    char path[512];
    akt_system *sys = NULL;
    if (akt_ctx_system(ctx, &sys) != 0 || akt_pid_path(sys, from, path, sizeof path, NULL) != 0)
        return 0;
    size_t n = strlen(path), k = strlen(suffix);
    return strncmp(path, prefix, strlen(prefix)) == 0 && n >= k &&
           strcmp(path + n - k, suffix) == 0;
}

/* echo: conf.Note "<n>" -> journals it; conf.Question "<t>" -> conf.Answer "re:<t>";
 * conf.Ping -> journals whether its sender is the remote pinger, responds conf.Pong. */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[128], answer[160];
    (void)state;
    if (conf_is(msg, "conf.Note")) {
        conf_log("peer.note", "%s", conf_text(msg, text, sizeof text));
        return 0;
    }
    if (conf_is(msg, "conf.Question")) {
        snprintf(answer, sizeof answer, "re:%s", conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Answer", answer);
    }
    if (conf_is(msg, "conf.Ping")) {
        akt_pid from;
        CONF_OK(akt_ctx_sender(ctx, &from));
        conf_log("sender.remote", "%s",
                 sender_is(ctx, from, "akt://conf@", "/user/pinger") ? "yes" : "no");
        return conf_respond(ctx, "conf.Pong", "");
    }
    return AKT_EUNHANDLED;
}

/* pinger (state: the remote echo pid): conf.Go -> tells the echo conf.Ping as itself;
 * conf.Pong -> journals whether it came from the remote echo. */
static int pinger_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_pid *echo = state;
    if (conf_is(msg, "conf.Go")) return conf_ctx_tell(ctx, *echo, "conf.Ping", "");
    if (conf_is(msg, "conf.Pong")) {
        akt_pid from;
        CONF_OK(akt_ctx_sender(ctx, &from));
        conf_log("sender.reply", "%s",
                 sender_is(ctx, from, "akt://peer@", "/user/echo") ? "yes" : "no");
        return 0;
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior pinger_behavior = {.size = sizeof(akt_behavior),
                                             .receive = pinger_receive};

static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};

static akt_pid remote(akt_system *from, const char *address, const char *path) {
    char full[512];
    akt_pid pid;
    snprintf(full, sizeof full, "%s%s", address, path);
    CONF_OK(akt_remote_lookup(from, full, &pid));
    return pid;
}

int main(void) {
    char buf[512], peer_address[256], expected_path[512];
    akt_system *sys = conf_system_create();
    akt_system *peer = conf_node_create("peer");

    /* 1. Remoting on both nodes. */
    conf_remote_start(sys);
    conf_remote_start(peer);
    conf_say("remote.start", "ok");
    conf_spawn(peer, &echo_behavior, NULL, "echo");
    CONF_OK(akt_remote_address(peer, peer_address, sizeof peer_address, NULL));

    /* 2. One pid per address, and its path is the address. */
    akt_pid echo = remote(sys, peer_address, "/user/echo");
    akt_pid again = remote(sys, peer_address, "/user/echo");
    conf_say("lookup.same", "%s", echo.id == again.id ? "same pid" : "different pid");
    snprintf(expected_path, sizeof expected_path, "%s/user/echo", peer_address);
    CONF_OK(akt_pid_path(sys, echo, buf, sizeof buf, NULL));
    conf_say("lookup.path", "%s", strcmp(buf, expected_path) == 0 ? "yes" : "no");

    /* 3. Tells arrive in the order sent. */
    CONF_OK(conf_tell(sys, echo, "conf.Note", "1"));
    CONF_OK(conf_tell(sys, echo, "conf.Note", "2"));
    CONF_OK(conf_tell(sys, echo, "conf.Note", "3"));
    conf_wait_log(3);
    conf_flush();

    /* 4. An ask round trip. */
    conf_say("ask.reply", "%s", conf_ask_str(sys, echo, "conf.Question", "hello", buf, sizeof buf));

    /* The sender crosses both ways: the echo sees the pinger, the pinger the echo. */
    akt_pid pinger = conf_spawn(sys, &pinger_behavior, &echo, "pinger");
    CONF_OK(conf_tell(sys, pinger, "conf.Go", ""));
    conf_wait_log(2);
    conf_flush();

    /* 5. An unknown path: the peer answers AKT_ENOTFOUND. */
    akt_pid nobody = remote(sys, peer_address, "/user/nobody");
    conf_say("ask.unknown", "%s",
             conf_ask_str(sys, nobody, "conf.Question", "anyone?", buf, sizeof buf));

    /* 6. The peer goes away ... */
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, 10 * 1000 * CONF_MS));
    CONF_OK(akt_system_release(peer));
    conf_say("peer.shutdown", "ok");

    /* 7. ... and an ask to it fails with AKT_EUNREACHABLE. */
    conf_say("ask.after_shutdown", "%s",
             conf_ask_str(sys, echo, "conf.Question", "still there?", buf, sizeof buf));

    conf_system_finish(sys);
    return 0;
}
