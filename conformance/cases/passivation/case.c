/* passivation: after n messages, after an idle time, never; the system default. */
#include "conf.h"

#include <string.h>

#define MS 1000000LL

static int worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

static void worker_post_stop(akt_ctx *ctx, void *state) {
    char path[256];
    (void)state;
    conf_log("post_stop", "%s", conf_self_path(ctx, path, sizeof path));
}

static const akt_behavior worker = {
    .size = sizeof(akt_behavior), .receive = worker_receive, .post_stop = worker_post_stop};

static void on_event(const akt_event *ev, void *data) {
    (void)data;
    if (ev->path && strncmp(ev->path, "akt://conf/user/", 16) == 0)
        conf_log("passivated", "%s", ev->path);
}

static akt_pid spawn_with(akt_system *sys, const char *name, const akt_passivation *p) {
    akt_pid pid = conf_spawn(sys, &worker, NULL, name);
    if (p) CONF_OK(akt_passivation_set(sys, pid, p));
    return pid;
}

static void ping(akt_system *sys, akt_pid pid, const char *step) {
    char buf[128];
    conf_say(step, "%s", conf_ask_str(sys, pid, "conf.Ping", "", buf, sizeof buf));
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_PASSIVATED, on_event, NULL, &sub));

    akt_passivation count = {
        .size = sizeof count, .strategy = AKT_PASSIVATE_MESSAGES, .messages = 3};
    akt_pid counted = spawn_with(sys, "counted", &count);
    ping(sys, counted, "ask.1");
    ping(sys, counted, "ask.2");
    ping(sys, counted, "ask.3");
    conf_wait_log(2);
    conf_flush_sorted();

    akt_passivation idle = {
        .size = sizeof idle, .strategy = AKT_PASSIVATE_IDLE, .idle_ns = 500 * MS};
    akt_passivation never = {.size = sizeof never, .strategy = AKT_PASSIVATE_NEVER};
    akt_pid a = spawn_with(sys, "idle", &idle);
    akt_pid keeper = spawn_with(sys, "keeper", &never);
    akt_pid plain = spawn_with(sys, "plain", NULL);
    ping(sys, a, "idle");
    ping(sys, keeper, "keeper");
    ping(sys, plain, "plain");
    conf_wait_log(2);
    conf_flush_sorted();
    ping(sys, keeper, "keeper.again");
    ping(sys, plain, "plain.again");

    CONF_OK(akt_system_set_passivation(sys, &idle));
    akt_pid late = spawn_with(sys, "late", NULL);
    ping(sys, late, "late");
    conf_wait_log(2);
    conf_flush_sorted();
    CONF_OK(akt_system_set_passivation(sys, NULL));

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
