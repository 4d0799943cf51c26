/* lifecycle: pre_start/post_stop, stop, poison pill after queued messages, graceful stop. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

static int life_pre_start(akt_ctx *ctx, void *state) {
    char path[256];
    conf_log("pre_start", "%s", conf_self_path(ctx, path, sizeof path));
    return 0;
}

static void life_post_stop(akt_ctx *ctx, void *state) {
    char path[256];
    conf_log("post_stop", "%s", conf_self_path(ctx, path, sizeof path));
}

/* conf.Work "<t>" -> journal "receive: <path> <t>"; conf.Ping -> conf.Pong. */
static int life_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char path[256], text[64];
    if (conf_is(msg, "conf.Work")) {
        conf_log("receive", "%s %s", conf_self_path(ctx, path, sizeof path),
                 conf_text(msg, text, sizeof text));
        return 0;
    }
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior life_behavior = {
    .size = sizeof(akt_behavior),
    .receive = life_receive,
    .pre_start = life_pre_start,
    .post_stop = life_post_stop,
};

/* The stopped event tells main that a stop (not otherwise awaitable) has completed. */
static void on_event(const akt_event *ev, void *data) {
    if (ev->path != NULL && strncmp(ev->path, "akt://conf/user/", 16) == 0)
        conf_log("event.stopped", "%s", ev->path);
}

int main(void) {
    char buf[256];
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_STOPPED, on_event, NULL, &sub));

    /* 1. pre_start runs before the first message. */
    akt_pid life1 = conf_spawn(sys, &life_behavior, NULL, "life1");
    conf_say("ping.life1", "%s", conf_ask_str(sys, life1, "conf.Ping", "", buf, sizeof buf));
    conf_flush();

    /* 2. Messages are handled in the order they were told. */
    CONF_OK(conf_tell(sys, life1, "conf.Work", "a"));
    CONF_OK(conf_tell(sys, life1, "conf.Work", "b"));
    conf_say("ping.life1", "%s", conf_ask_str(sys, life1, "conf.Ping", "", buf, sizeof buf));
    conf_flush();

    /* 3. stop: post_stop runs, then the actor is gone. */
    conf_say("stop.life1", "%s", conf_rc(akt_stop(sys, life1)));
    conf_wait_log(2); /* post_stop + stopped event */
    conf_flush();
    conf_say("alive.life1", "%d", akt_pid_is_alive(sys, life1));
    conf_say("tell.after_stop", "%s", conf_rc(conf_tell(sys, life1, "conf.Work", "late")));

    /* 4. A poison pill is handled after the messages queued before it. */
    akt_pid life2 = conf_spawn(sys, &life_behavior, NULL, "life2");
    CONF_OK(conf_tell(sys, life2, "conf.Work", "1"));
    CONF_OK(conf_tell(sys, life2, "conf.Work", "2"));
    CONF_OK(conf_tell(sys, life2, "conf.Work", "3"));
    conf_say("poison.life2", "%s", conf_rc(akt_poison(sys, life2)));
    conf_wait_log(6); /* pre_start, 3 receives, post_stop, stopped event */
    conf_flush();

    /* 5. A graceful stop is a poison pill with a future. */
    akt_pid life3 = conf_spawn(sys, &life_behavior, NULL, "life3");
    CONF_OK(conf_tell(sys, life3, "conf.Work", "x"));
    CONF_OK(conf_tell(sys, life3, "conf.Work", "y"));
    conf_say("graceful.life3", "%s", conf_rc(conf_stop_graceful(sys, life3)));
    conf_wait_log(5); /* the stopped event may trail the future */
    conf_flush();
    conf_say("graceful.again", "%s", conf_rc(conf_stop_graceful(sys, life3)));

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
