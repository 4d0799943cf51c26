/* supervision_all_for_one: one child of a one-for-all parent fails, all three restart. */
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- worker: counts conf.Incr; conf.Fail "<reason>" fails with that reason. */

typedef struct worker {
    long n;
} worker;

static int worker_pre_start(akt_ctx *ctx, void *state) {
    char path[256];
    ((worker *)state)->n = 0; /* a restart starts from a fresh count */
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

/* ---- manager: spawns workers. */

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
    akt_spawn_options options;
    akt_pid child;
    char name[32];
    if (!conf_is(msg, "conf.SpawnWorker")) return AKT_EUNHANDLED;
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

static const akt_supervisor all_for_one = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ALL,
    .default_directive = AKT_DIRECTIVE_RESTART,
};

/* ---- main */

static void ask_step(akt_system *sys, akt_pid pid, const char *step, const char *type,
                     const char *text) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    static const char *const names[] = {"a", "b", "c"};
    akt_system *sys = conf_system_create();
    akt_spawn_options options;
    akt_pid boss, workers[3];
    char step[32], path[32];

    /* 1. A parent whose children are supervised one-for-all. */
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "boss";
    options.supervisor = &all_for_one;
    CONF_OK(akt_spawn(sys, &manager_behavior, NULL, &options, &boss));

    /* 2. Three children with different counts. */
    for (int i = 0; i < 3; i++) {
        snprintf(step, sizeof step, "spawn.%s", names[i]);
        ask_step(sys, boss, step, "conf.SpawnWorker", names[i]);
        snprintf(path, sizeof path, "boss/%s", names[i]);
        workers[i] = conf_lookup(sys, path);
    }
    for (int i = 0; i < 3; i++)
        for (int k = 0; k <= i; k++) CONF_OK(conf_tell(sys, workers[i], "conf.Incr", ""));
    for (int i = 0; i < 3; i++) {
        snprintf(step, sizeof step, "count.%s", names[i]);
        ask_step(sys, workers[i], step, "conf.Get", "");
    }
    conf_flush_sorted();

    /* 3. One fails: every child of boss restarts. */
    CONF_OK(conf_tell(sys, workers[1], "conf.Fail", "boom"));
    conf_wait_log(7); /* fail, 3 post_stops, 3 pre_starts */
    conf_flush_sorted();

    /* 4. All three start from zero and are alive. */
    for (int i = 0; i < 3; i++) {
        snprintf(step, sizeof step, "after.%s", names[i]);
        ask_step(sys, workers[i], step, "conf.Get", "");
    }
    for (int i = 0; i < 3; i++) {
        snprintf(step, sizeof step, "alive.%s", names[i]);
        conf_say(step, "%d", akt_pid_is_alive(sys, workers[i]));
    }

    conf_system_finish(sys);
    return 0;
}
