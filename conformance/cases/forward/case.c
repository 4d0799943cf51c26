/* forward: a forwarded message keeps its original sender and asker. */
#include "conf.h"

#include <stdio.h>

static const char *sender_path(akt_ctx *ctx, char *buf, size_t len) {
    akt_system *sys = NULL;
    akt_pid sender;
    CONF_OK(akt_ctx_system(ctx, &sys));
    CONF_OK(akt_ctx_sender(ctx, &sender));
    if (sender.id == AKT_PID_NONE_ID) {
        snprintf(buf, len, "-");
        return buf;
    }
    return conf_path(sys, sender, buf, len);
}

/* back: conf.Question "<t>" -> journal "back: <t> from=<sender>", responds
 * conf.Answer "back:<t>". */
static int back_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[64], from[256], answer[96];
    if (!conf_is(msg, "conf.Question")) return AKT_EUNHANDLED;
    conf_text(msg, text, sizeof text);
    conf_log("back", "%s from=%s", text, sender_path(ctx, from, sizeof from));
    snprintf(answer, sizeof answer, "back:%s", text);
    return conf_respond(ctx, "conf.Answer", answer);
}

/* front: conf.Question "<t>" -> journal "front: <t>", forwards it to back. */
static int front_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_system *sys = NULL;
    akt_pid back;
    char text[64];
    if (!conf_is(msg, "conf.Question")) return AKT_EUNHANDLED;
    CONF_OK(akt_ctx_system(ctx, &sys));
    CONF_OK(akt_lookup(sys, "back", &back));
    conf_log("front", "%s", conf_text(msg, text, sizeof text));
    return akt_ctx_forward(ctx, back);
}

/* client: conf.Start "<t>" -> tells front conf.Question "<t>" as itself, responds
 * conf.Started; conf.Answer -> journal "client: <answer> from=<sender>". */
static int client_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_system *sys = NULL;
    akt_pid front;
    char text[64], from[256], answer[128];
    if (conf_is(msg, "conf.Start")) {
        CONF_OK(akt_ctx_system(ctx, &sys));
        CONF_OK(akt_lookup(sys, "front", &front));
        CONF_OK(conf_ctx_tell(ctx, front, "conf.Question", conf_text(msg, text, sizeof text)));
        return conf_respond(ctx, "conf.Started", "");
    }
    if (conf_is(msg, "conf.Answer")) {
        conf_log("client", "%s from=%s", conf_reply_str(msg, answer, sizeof answer),
                 sender_path(ctx, from, sizeof from));
        return 0;
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior back_behavior = {.size = sizeof(akt_behavior), .receive = back_receive};
static const akt_behavior front_behavior = {.size = sizeof(akt_behavior), .receive = front_receive};
static const akt_behavior client_behavior = {.size = sizeof(akt_behavior),
                                             .receive = client_receive};

int main(void) {
    char buf[256];
    akt_system *sys = conf_system_create();
    conf_spawn(sys, &back_behavior, NULL, "back");
    akt_pid front = conf_spawn(sys, &front_behavior, NULL, "front");
    akt_pid client = conf_spawn(sys, &client_behavior, NULL, "client");

    /* 1. Ask front; back answers the asker directly. */
    conf_say("ask.front", "%s", conf_ask_str(sys, front, "conf.Question", "q1", buf, sizeof buf));
    conf_flush();

    /* 2. The client tells front; back sees the client as sender and answers it. */
    conf_say("start.client", "%s", conf_ask_str(sys, client, "conf.Start", "q2", buf, sizeof buf));
    conf_wait_log(3);
    conf_flush();

    conf_system_finish(sys);
    return 0;
}
