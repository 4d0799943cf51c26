/* events: started, failed, restarted and stopped events on the event stream. */
#include "conf.h"

#include <string.h>

/* ev: conf.Ping -> conf.Pong; conf.Fail fails (the default supervisor restarts it). */
static int ev_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    if (conf_is(msg, "conf.Fail")) return akt_ctx_fail(ctx, "boom");
    return AKT_EUNHANDLED;
}

static const akt_behavior ev_behavior = {.size = sizeof(akt_behavior), .receive = ev_receive};

/* A parent whose pre_start spawns one child, "c". */
static int parent_pre_start(akt_ctx *ctx, void *state) {
    akt_spawn_options options;
    akt_pid child;
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "c";
    return akt_ctx_spawn(ctx, &ev_behavior, NULL, &options, &child);
}

static const akt_behavior parent_behavior = {
    .size = sizeof(akt_behavior),
    .receive = ev_receive,
    .pre_start = parent_pre_start,
};

/* Journal the lifecycle events of the case's own actors (paths under /user/ev). */
static void on_event(const akt_event *ev, void *data) {
    if (ev->path == NULL || strncmp(ev->path, "akt://conf/user/ev", 18) != 0) return;
    switch (ev->kind) {
    case AKT_EVENT_ACTOR_STARTED:
        conf_log("event", "started %s", ev->path);
        break;
    case AKT_EVENT_ACTOR_FAILED:
        conf_log("event", "failed %s %s", ev->path, akt_err_name(ev->code));
        break;
    case AKT_EVENT_ACTOR_RESTARTED:
        conf_log("event", "restarted %s", ev->path);
        break;
    case AKT_EVENT_ACTOR_STOPPED:
        conf_log("event", "stopped %s", ev->path);
        break;
    default:
        conf_log("event", "unexpected kind %u %s", ev->kind, ev->path);
    }
}

int main(void) {
    char buf[64];
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys,
                          AKT_EVENT_ACTOR_STARTED | AKT_EVENT_ACTOR_FAILED |
                              AKT_EVENT_ACTOR_RESTARTED | AKT_EVENT_ACTOR_STOPPED,
                          on_event, NULL, &sub));

    /* 1. Started. */
    akt_pid ev1 = conf_spawn(sys, &ev_behavior, NULL, "ev1");
    conf_wait_log(1);
    conf_flush();

    /* 2. A failure, then the restart that handles it. */
    CONF_OK(conf_tell(sys, ev1, "conf.Fail", ""));
    conf_wait_log(2);
    conf_flush();
    conf_say("ping.ev1", "%s", conf_ask_str(sys, ev1, "conf.Ping", "", buf, sizeof buf));

    /* 3. Stopped. */
    conf_say("stop.ev1", "%s", conf_rc(conf_stop_graceful(sys, ev1)));
    conf_wait_log(1);
    conf_flush();

    /* 4. A parent and its child start concurrently (sorted) and stop child first. */
    akt_pid ev2 = conf_spawn(sys, &parent_behavior, NULL, "ev2");
    conf_wait_log(2);
    conf_flush_sorted();
    conf_say("stop.ev2", "%s", conf_rc(conf_stop_graceful(sys, ev2)));
    conf_wait_log(2);
    conf_flush();

    /* 5. After unsubscribing, nothing more is journaled. */
    conf_say("unsubscribe", "%s", conf_rc(akt_unsubscribe(sub)));
    akt_pid ev3 = conf_spawn(sys, &ev_behavior, NULL, "ev3");
    conf_say("ping.ev3", "%s", conf_ask_str(sys, ev3, "conf.Ping", "", buf, sizeof buf));
    conf_say("stop.ev3", "%s", conf_rc(conf_stop_graceful(sys, ev3)));
    conf_say("journal.after_unsubscribe", "%zu", conf_log_count());

    conf_system_finish(sys);
    return 0;
}
