/* The supervision cases' worker, manager and observer (conf_supervised.h). */
#include "conf_supervised.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct worker {
    long n;
} worker;

void *conf_worker_new(void) { return calloc(1, sizeof(worker)); }

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
    if (conf_is(msg, "conf.Mark")) {
        conf_text(msg, text, sizeof text);
        conf_log("handled", "%s %s n=%ld", conf_self_path(ctx, path, sizeof path), text, w->n);
        return 0;
    }
    if (conf_is(msg, "conf.Get")) {
        snprintf(text, sizeof text, "%ld", w->n);
        return conf_respond(ctx, "conf.Count", text);
    }
    if (conf_is(msg, "conf.Fail")) {
        conf_text(msg, text, sizeof text);
        conf_log("fail", "%s %s", conf_self_path(ctx, path, sizeof path), text);
        /* error_rules: two reasons fail with a code of their own, for the code rules. */
        if (strcmp(text, "invalid") == 0) return AKT_EINVAL;
        if (strcmp(text, "fatal") == 0) return AKT_ETIMEDOUT;
        return akt_ctx_fail(ctx, text);
    }
    return AKT_EUNHANDLED;
}

const akt_behavior conf_worker_behavior = {
    .size = sizeof(akt_behavior),
    .receive = worker_receive,
    .pre_start = worker_pre_start,
    .post_stop = worker_post_stop,
    .free_state = free,
};

static int manager_pre_start(akt_ctx *ctx, void *state) {
    (void)state;
    char path[256];
    conf_log("pre_start", "%s", conf_self_path(ctx, path, sizeof path));
    return 0;
}

static void manager_post_stop(akt_ctx *ctx, void *state) {
    (void)state;
    char path[256];
    conf_log("post_stop", "%s", conf_self_path(ctx, path, sizeof path));
}

static int manager_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_spawn_options options;
    akt_pid child;
    char name[32];
    CONF_OK(akt_spawn_options_init(&options));
    options.name = conf_text(msg, name, sizeof name);
    if (conf_is(msg, "conf.SpawnManager")) {
        options.supervisor = state; /* NULL: the default supervisor */
        return conf_respond(
            ctx, "conf.Done",
            conf_rc(akt_ctx_spawn(ctx, &conf_manager_behavior, NULL, &options, &child)));
    }
    if (!conf_is(msg, "conf.SpawnWorker")) return AKT_EUNHANDLED;
    void *w = conf_worker_new();
    if (w == NULL) return AKT_ENOMEM;
    int rc = akt_ctx_spawn(ctx, &conf_worker_behavior, w, &options, &child);
    if (rc != 0) free(w); /* not taken on failure */
    return conf_respond(ctx, "conf.Done", conf_rc(rc));
}

const akt_behavior conf_manager_behavior = {
    .size = sizeof(akt_behavior),
    .receive = manager_receive,
    .pre_start = manager_pre_start,
    .post_stop = manager_post_stop,
};

static int observer_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    conf_observer *o = state;
    akt_system *sys = NULL;
    akt_pid pid;
    char path[128];
    CONF_OK(akt_ctx_system(ctx, &sys));
    if (conf_is(msg, "conf.Watch") && o->count < 4) {
        int rc = akt_lookup(sys, conf_text(msg, path, sizeof path), &pid);
        if (rc == 0) {
            o->pids[o->count] = pid;
            conf_path(sys, pid, o->paths[o->count++], sizeof o->paths[0]);
            rc = akt_ctx_watch(ctx, pid);
        }
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    if (conf_is(msg, AKT_TYPE_TERMINATED)) {
        CONF_OK(akt_msg_pid(msg, &pid));
        for (int i = 0; i < o->count; i++)
            if (o->pids[i].id == pid.id) conf_log("terminated", "%s", o->paths[i]);
        return 0;
    }
    return AKT_EUNHANDLED;
}

const akt_behavior conf_observer_behavior = {.size = sizeof(akt_behavior),
                                             .receive = observer_receive};
