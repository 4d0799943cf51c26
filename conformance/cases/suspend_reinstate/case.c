/* suspend_reinstate: a suspended child keeps its state and mailbox, refuses tells and asks
 * until reinstated by name, and can be stopped. */
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct worker {
    long n;
} worker;

static int worker_pre_start(akt_ctx *ctx, void *state) {
    char path[256];
    ((worker *)state)->n = 0;
    conf_log("pre_start", "%s", conf_self_path(ctx, path, sizeof path));
    return 0;
}

static void worker_post_stop(akt_ctx *ctx, void *state) {
    char path[256];
    conf_log("post_stop", "%s n=%ld", conf_self_path(ctx, path, sizeof path), ((worker *)state)->n);
}

static int worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    worker *w = state;
    char path[256], text[64];
    if (conf_is(msg, "conf.Incr")) {
        w->n++;
        return 0;
    }
    if (conf_is(msg, "conf.Get")) {
        snprintf(text, sizeof text, "%ld", w->n);
        return conf_respond(ctx, "conf.Count", text);
    }
    if (conf_is(msg, "conf.Fail")) {
        conf_text(msg, text, sizeof text);
        conf_log("fail", "%s %s", conf_self_path(ctx, path, sizeof path), text);
        return akt_ctx_fail(ctx, text);
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior worker_behavior = {
    .size = sizeof(akt_behavior),
    .receive = worker_receive,
    .pre_start = worker_pre_start,
    .post_stop = worker_post_stop,
    .free_state = free,
};

static int manager_pre_start(akt_ctx *ctx, void *state) {
    char path[256];
    conf_log("pre_start", "%s", conf_self_path(ctx, path, sizeof path));
    return 0;
}

static void manager_post_stop(akt_ctx *ctx, void *state) {
    char path[256];
    conf_log("post_stop", "%s", conf_self_path(ctx, path, sizeof path));
}

static int manager_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (!conf_is(msg, "conf.SpawnWorker")) return AKT_EUNHANDLED;
    akt_spawn_options options;
    akt_pid child;
    char name[32];
    CONF_OK(akt_spawn_options_init(&options));
    options.name = conf_text(msg, name, sizeof name);
    worker *w = calloc(1, sizeof *w);
    if (w == NULL) return AKT_ENOMEM;
    int rc = akt_ctx_spawn(ctx, &worker_behavior, w, &options, &child);
    if (rc != 0) free(w); /* not taken on failure */
    return conf_respond(ctx, "conf.Done", conf_rc(rc));
}

static const akt_behavior manager_behavior = {
    .size = sizeof(akt_behavior),
    .receive = manager_receive,
    .pre_start = manager_pre_start,
    .post_stop = manager_post_stop,
};

static const akt_supervisor suspending = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ONE,
    .default_directive = AKT_DIRECTIVE_SUSPEND,
};

static void on_event(const akt_event *ev, void *data) {
    conf_log(ev->kind == AKT_EVENT_ACTOR_SUSPENDED ? "suspended" : "reinstated", "%s",
             ev->path ? ev->path : "?");
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_SUSPENDED | AKT_EVENT_ACTOR_REINSTATED, on_event,
                          NULL, &sub));
    char buf[256];

    /* 1. A failure suspends w; the message queued behind it stays. */
    akt_spawn_options options;
    akt_pid boss;
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "boss";
    options.supervisor = &suspending;
    CONF_OK(akt_spawn(sys, &manager_behavior, NULL, &options, &boss));
    conf_say("spawn.w", "%s", conf_ask_str(sys, boss, "conf.SpawnWorker", "w", buf, sizeof buf));
    akt_pid w = conf_lookup(sys, "boss/w");
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Fail", "suspend"));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    conf_wait_log(4);
    conf_flush();

    /* 2. Refused while suspended. */
    conf_say("tell.w", "%s", conf_rc(conf_tell(sys, w, "conf.Incr", "")));
    conf_say("ask.w", "%s", conf_ask_str(sys, w, "conf.Get", "", buf, sizeof buf));

    /* 3. Reinstated by name: the state was kept, the queued message handled. */
    CONF_OK(akt_reinstate_named(sys, "boss/w"));
    conf_wait_log(1);
    conf_flush();
    conf_say("count.w", "%s", conf_ask_str(sys, w, "conf.Get", "", buf, sizeof buf));

    /* 4. Suspended again, then stopped. */
    CONF_OK(conf_tell(sys, w, "conf.Fail", "again"));
    conf_wait_log(2);
    conf_flush();
    CONF_OK(akt_stop(sys, w));
    conf_wait_log(1);
    conf_flush();

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
