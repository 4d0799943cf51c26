/* reentrancy_modes: requests answered on the requester's turn; ALLOW_ALL cycles, STASH
 * order, a stop cancels; requests by name (akt_ctx_request_named). */
#include <stdio.h>

#include "conf.h"

typedef struct server {
    int holding;
    int served;
} server;

static int server_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    server *s = state;
    char text[64], out[80];
    if (conf_is(msg, "conf.Hold")) {
        s->holding = 1;
        return 0;
    }
    if (conf_is(msg, "conf.Release")) {
        s->holding = 0;
        return akt_ctx_unstash_all(ctx);
    }
    if (conf_is(msg, "conf.Inc")) {
        if (s->holding) return akt_ctx_stash(ctx);
        s->served++;
        snprintf(out, sizeof out, "%s!", conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Done", out);
    }
    if (conf_is(msg, "conf.Bounce")) {
        akt_pid sender;
        CONF_OK(akt_ctx_sender(ctx, &sender));
        return akt_ctx_forward(ctx, sender);
    }
    if (conf_is(msg, "conf.Served")) {
        snprintf(out, sizeof out, "%d", s->served);
        return conf_respond(ctx, "conf.Count", out);
    }
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior server_behavior = {.size = sizeof(akt_behavior),
                                             .receive = server_receive};

static akt_pid server_pid;

static int on_reply(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    (void)ctx;
    char text[64];
    if (rc)
        conf_log((const char *)data, "%s", conf_rc(rc));
    else if (data == (void *)"bounce")
        conf_log("bounce", "%s", akt_msg_type(reply));
    else
        conf_log("reply", "%s", conf_text(reply, text, sizeof text));
    return 0;
}

static int request(akt_ctx *ctx, const char *type, const char *text, const char *what) {
    akt_request_options o;
    CONF_OK(akt_request_options_init(&o));
    o.then = on_reply;
    o.data = (void *)what;
    akt_msg *m = conf_msg(type, text);
    int rc = akt_ctx_request(ctx, server_pid, m, &o, NULL);
    if (rc) akt_msg_release(m);
    return rc;
}

static int client_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    char text[64];
    if (conf_is(msg, "conf.Go")) {
        conf_text(msg, text, sizeof text);
        int rc = request(ctx, "conf.Inc", text, "reply");
        if (rc) return rc;
        conf_log("go", "%s", text);
        return 0;
    }
    if (conf_is(msg, "conf.GoNamed")) {
        conf_text(msg, text, sizeof text);
        akt_request_options o;
        CONF_OK(akt_request_options_init(&o));
        o.then = on_reply;
        o.data = (void *)"reply";
        akt_msg *m = conf_msg("conf.Inc", text);
        int rc = akt_ctx_request_named(ctx, text, m, &o, NULL);
        if (rc) akt_msg_release(m);
        conf_log("named", "%s", conf_rc(rc));
        return 0;
    }
    if (conf_is(msg, "conf.GoBounce")) return request(ctx, "conf.Bounce", "", "bounce");
    if (conf_is(msg, "conf.Bounce")) {
        conf_log("bounced", "ok");
        return conf_respond(ctx, "conf.Pong", "");
    }
    if (conf_is(msg, "conf.Item")) {
        conf_log("item", "%s", conf_text(msg, text, sizeof text));
        return 0;
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior client_behavior = {.size = sizeof(akt_behavior),
                                             .receive = client_receive};

static akt_pid spawn_client(akt_system *sys, const char *name, int mode) {
    akt_spawn_options o;
    CONF_OK(akt_spawn_options_init(&o));
    o.name = name;
    o.reentrancy = mode;
    akt_pid pid;
    CONF_OK(akt_spawn(sys, &client_behavior, NULL, &o, &pid));
    return pid;
}

static void tell(akt_system *sys, akt_pid pid, const char *type, const char *text) {
    CONF_OK(conf_tell(sys, pid, type, text));
}

int main(void) {
    static server s;
    char buf[64];
    akt_system *sys = conf_system_create();
    server_pid = conf_spawn(sys, &server_behavior, &s, "server");

    /* 1. A -> B -> A completes with ALLOW_ALL. */
    akt_pid allow = spawn_client(sys, "allow", AKT_REENTRANCY_ALLOW_ALL);
    tell(sys, allow, "conf.GoBounce", "");
    conf_wait_log(2);
    conf_flush();

    /* 2. STASH: the items wait for the answer, in order. */
    akt_pid stash = spawn_client(sys, "stash", AKT_REENTRANCY_STASH);
    tell(sys, server_pid, "conf.Hold", "");
    conf_say("ping", "%s", conf_ask_str(sys, server_pid, "conf.Ping", "", buf, sizeof buf));
    tell(sys, stash, "conf.Go", "a");
    tell(sys, stash, "conf.Item", "x");
    tell(sys, stash, "conf.Item", "y");
    conf_wait_log(1);
    tell(sys, server_pid, "conf.Release", "");
    conf_wait_log(4);
    conf_flush();

    /* 3. ALLOW_ALL: the items go first. */
    tell(sys, server_pid, "conf.Hold", "");
    tell(sys, allow, "conf.Go", "b");
    tell(sys, allow, "conf.Item", "x");
    tell(sys, allow, "conf.Item", "y");
    conf_wait_log(3);
    tell(sys, server_pid, "conf.Release", "");
    conf_wait_log(4);
    conf_flush();

    /* 4. A stop cancels: no continuation, and the server skips the abandoned ask. */
    tell(sys, server_pid, "conf.Hold", "");
    tell(sys, allow, "conf.Go", "c");
    conf_wait_log(1);
    conf_say("stop", "%s", conf_rc(conf_stop_graceful(sys, allow)));
    tell(sys, server_pid, "conf.Release", "");
    conf_say("served", "%s", conf_ask_str(sys, server_pid, "conf.Served", "", buf, sizeof buf));
    conf_flush();

    /* 5. Requests by name: each path form, a name nobody has, a name gone with its actor. */
    tell(sys, stash, "conf.GoNamed", "server");
    conf_wait_log(2);
    tell(sys, stash, "conf.GoNamed", "akt://conf/user/server");
    conf_wait_log(4);
    tell(sys, stash, "conf.GoNamed", "nobody");
    conf_wait_log(5);
    conf_flush();
    conf_say("stop", "%s", conf_rc(conf_stop_graceful(sys, server_pid)));
    tell(sys, stash, "conf.GoNamed", "server");
    conf_wait_log(1);
    conf_flush();

    conf_system_finish(sys);
    return 0;
}
