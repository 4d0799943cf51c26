/* ask: a reply, a timeout, unhandled and failed asks, asks to stopped actors. */
#include "conf.h"

#include <stdio.h>

/* echo: conf.Question "<t>" -> conf.Answer "re:<t>"; conf.Ignore -> handled, no reply;
 * conf.Boom -> fails (the default supervisor restarts it). */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[128], answer[160];
    if (conf_is(msg, "conf.Question")) {
        snprintf(answer, sizeof answer, "re:%s", conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Answer", answer);
    }
    if (conf_is(msg, "conf.Ignore")) return 0;
    if (conf_is(msg, "conf.Boom")) return akt_ctx_fail(ctx, "boom");
    return AKT_EUNHANDLED;
}

/* keeper: stashes every conf.Question (never answers it); conf.Ping -> conf.Pong. */
static int keeper_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (conf_is(msg, "conf.Question")) return akt_ctx_stash(ctx);
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior echo_behavior = {.size = sizeof(akt_behavior), .receive = echo_receive};
static const akt_behavior keeper_behavior = {.size = sizeof(akt_behavior),
                                             .receive = keeper_receive};

static const char *ask_with_timeout(akt_system *sys, akt_pid to, const char *type,
                                    int64_t timeout_ns, char *buf, size_t len) {
    akt_msg *reply = NULL;
    int rc = conf_ask(sys, to, type, "", timeout_ns, &reply);
    if (rc != 0) {
        snprintf(buf, len, "%s", akt_err_name(rc));
        return buf;
    }
    conf_reply_str(reply, buf, len);
    akt_msg_release(reply);
    return buf;
}

int main(void) {
    char buf[256];
    akt_system *sys = conf_system_create();
    akt_pid echo = conf_spawn(sys, &echo_behavior, NULL, "echo");

    /* 1. The reply completes the ask. */
    conf_say("ask.reply", "%s", conf_ask_str(sys, echo, "conf.Question", "hello", buf, sizeof buf));

    /* 2. No reply within 100 ms: the ask fails with AKT_ETIMEDOUT. */
    conf_say("ask.timeout", "%s",
             ask_with_timeout(sys, echo, "conf.Ignore", 100 * CONF_MS, buf, sizeof buf));

    /* 3. An unhandled message fails the ask with AKT_EUNHANDLED. */
    conf_say("ask.unhandled", "%s", conf_ask_str(sys, echo, "conf.Other", "", buf, sizeof buf));

    /* 4. A failing receive fails the ask with AKT_EFAILED ... */
    conf_say("ask.failed", "%s", conf_ask_str(sys, echo, "conf.Boom", "", buf, sizeof buf));
    /* ... and the restarted actor answers the next one. */
    conf_say("ask.after_failure", "%s",
             conf_ask_str(sys, echo, "conf.Question", "again", buf, sizeof buf));

    /* 5. Once the actor stopped, asking it fails with AKT_ENOTFOUND. */
    conf_say("stop.echo", "%s", conf_rc(conf_stop_graceful(sys, echo)));
    conf_say("ask.stopped_actor", "%s",
             conf_ask_str(sys, echo, "conf.Question", "anyone?", buf, sizeof buf));

    /* 6. An ask the actor never handled fails with AKT_ESTOPPED when the actor stops. */
    akt_pid keeper = conf_spawn(sys, &keeper_behavior, NULL, "keeper");
    akt_future *held = NULL;
    akt_msg *question = conf_msg("conf.Question", "held");
    CONF_OK(akt_ask(sys, keeper, question, CONF_ASK_NS, &held));
    /* Same sender, same receiver: when the ping is answered the question is stashed. */
    conf_say("keeper.ping", "%s", conf_ask_str(sys, keeper, "conf.Ping", "", buf, sizeof buf));
    akt_msg *early = NULL;
    conf_say("ask.pending", "%s", akt_future_wait(held, 0, &early) == AKT_EAGAIN ? "yes" : "no");
    if (early != NULL) akt_msg_release(early);
    CONF_OK(akt_stop(sys, keeper));
    conf_say("ask.stopped_before_handling", "%s", conf_future_str(held, buf, sizeof buf));

    conf_system_finish(sys);
    return 0;
}
