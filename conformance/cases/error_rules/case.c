/* error_rules: rules by error code answer before the decider; other codes reach it. */
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        if (strcmp(text, "invalid") == 0) return AKT_EINVAL;
        if (strcmp(text, "fatal") == 0) return AKT_ETIMEDOUT;
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

static int judge(int code, const char *reason, void *data) {
    conf_log("decide", "%s -> restart", akt_err_name(code));
    return AKT_DIRECTIVE_RESTART;
}

static const akt_supervisor_rule rules[] = {
    {AKT_EINVAL, AKT_DIRECTIVE_RESUME},
    {AKT_ETIMEDOUT, AKT_DIRECTIVE_STOP},
};

static const akt_supervisor with_rules = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ONE,
    .default_directive = AKT_DIRECTIVE_RESTART,
    .decide = judge,
    .rules = rules,
    .rule_count = sizeof rules / sizeof rules[0],
};

/* ---- observer: watches actors by path so that main can wait for their end. */

typedef struct observer {
    akt_pid pids[4];
    char paths[4][128];
    int count;
} observer;

static int observer_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    observer *o = state;
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

static const akt_behavior observer_behavior = {.size = sizeof(akt_behavior),
                                               .receive = observer_receive};

/* ---- main */

static void ask_step(akt_system *sys, akt_pid pid, const char *step, const char *type,
                     const char *text) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    static observer observer_state;
    akt_system *sys = conf_system_create();
    akt_spawn_options options;
    akt_pid boss;

    /* 1. A parent with rules and a decider, and an observer. */
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "boss";
    options.supervisor = &with_rules;
    CONF_OK(akt_spawn(sys, &manager_behavior, NULL, &options, &boss));
    akt_pid observer_pid = conf_spawn(sys, &observer_behavior, &observer_state, "observer");

    /* 2. The child, watched. */
    ask_step(sys, boss, "spawn.w", "conf.SpawnWorker", "w");
    akt_pid w = conf_lookup(sys, "boss/w");
    ask_step(sys, observer_pid, "watch.w", "conf.Watch", "boss/w");
    conf_flush_sorted();

    /* 3. A rule resumes, without the decider. */
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Fail", "invalid"));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    ask_step(sys, w, "count.resumed", "conf.Get", "");
    conf_flush();

    /* 4. No rule: the decider restarts. */
    CONF_OK(conf_tell(sys, w, "conf.Fail", "other"));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    ask_step(sys, w, "count.restarted", "conf.Get", "");
    conf_flush();

    /* 5. A rule stops. */
    CONF_OK(conf_tell(sys, w, "conf.Fail", "fatal"));
    conf_wait_log(3); /* fail, post_stop, terminated */
    conf_flush();
    conf_say("alive.w", "%d", akt_pid_is_alive(sys, w));

    conf_system_finish(sys);
    return 0;
}
