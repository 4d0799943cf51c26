/* supervision: restart (the default) keeps the mailbox, resume keeps the state, stop,
 * escalate to the grandparent. */
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

/* ---- deciders: the judge picks the directive named in the reason; the court stops. */

static const char *directive_name(int directive) {
    static const char *const names[] = {"restart", "resume", "stop", "escalate"};
    return directive >= 0 && directive <= 3 ? names[directive] : "?";
}

static int decide_by_reason(int code, const char *reason, void *data) {
    int directive = AKT_DIRECTIVE_RESTART;
    if (reason != NULL && strstr(reason, "resume") != NULL)
        directive = AKT_DIRECTIVE_RESUME;
    else if (reason != NULL && strstr(reason, "stop") != NULL)
        directive = AKT_DIRECTIVE_STOP;
    else if (reason != NULL && strstr(reason, "escalate") != NULL)
        directive = AKT_DIRECTIVE_ESCALATE;
    conf_log("decide", "%s %s -> %s", (const char *)data, akt_err_name(code),
             directive_name(directive));
    return directive;
}

static int decide_stop(int code, const char *reason, void *data) {
    conf_log("decide", "%s %s -> stop", (const char *)data, akt_err_name(code));
    return AKT_DIRECTIVE_STOP;
}

static const akt_supervisor judge_supervisor = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ONE,
    .default_directive = AKT_DIRECTIVE_RESTART,
    .decide = decide_by_reason,
    .decide_data = "judge",
};

static const akt_supervisor court_supervisor = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ONE,
    .default_directive = AKT_DIRECTIVE_STOP,
    .decide = decide_stop,
    .decide_data = "court",
};

/* ---- manager: spawns workers, or a judge (a manager whose children the judge decides). */

static int manager_pre_start(akt_ctx *ctx, void *state) {
    char path[256];
    conf_log("pre_start", "%s", conf_self_path(ctx, path, sizeof path));
    return 0;
}

static void manager_post_stop(akt_ctx *ctx, void *state) {
    char path[256];
    conf_log("post_stop", "%s", conf_self_path(ctx, path, sizeof path));
}

static int manager_receive(akt_ctx *ctx, akt_msg *msg, void *state);

static const akt_behavior manager_behavior = {
    .size = sizeof(akt_behavior),
    .receive = manager_receive,
    .pre_start = manager_pre_start,
    .post_stop = manager_post_stop,
};

static int manager_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_spawn_options options;
    akt_pid child;
    char name[32];
    CONF_OK(akt_spawn_options_init(&options));
    options.name = conf_text(msg, name, sizeof name);
    if (conf_is(msg, "conf.SpawnWorker")) {
        worker *w = calloc(1, sizeof *w);
        if (w == NULL) return AKT_ENOMEM;
        int rc = akt_ctx_spawn(ctx, &worker_behavior, w, &options, &child);
        if (rc != 0) free(w); /* not taken on failure */
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    if (conf_is(msg, "conf.SpawnJudge")) {
        options.supervisor = &judge_supervisor;
        return conf_respond(ctx, "conf.Done",
                            conf_rc(akt_ctx_spawn(ctx, &manager_behavior, NULL, &options, &child)));
    }
    return AKT_EUNHANDLED;
}

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

static void tell_n(akt_system *sys, akt_pid pid, const char *type, const char *text, int n) {
    for (int i = 0; i < n; i++) CONF_OK(conf_tell(sys, pid, type, text));
}

int main(void) {
    static observer observer_state;
    akt_system *sys = conf_system_create();

    /* 1. Restart, the default directive: fresh state, and the mailbox is kept. */
    akt_pid boss = conf_spawn(sys, &manager_behavior, NULL, "boss");
    ask_step(sys, boss, "spawn.w1", "conf.SpawnWorker", "w1");
    akt_pid w1 = conf_lookup(sys, "boss/w1");
    tell_n(sys, w1, "conf.Incr", "", 3);
    tell_n(sys, w1, "conf.Fail", "restart", 1);
    tell_n(sys, w1, "conf.Incr", "", 2);
    ask_step(sys, w1, "count.w1", "conf.Get", "");
    conf_flush();

    /* 2. Resume: the state survives the failure. */
    akt_spawn_options options;
    akt_pid court;
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "court";
    options.supervisor = &court_supervisor;
    CONF_OK(akt_spawn(sys, &manager_behavior, NULL, &options, &court));
    ask_step(sys, court, "spawn.judge", "conf.SpawnJudge", "judge");
    akt_pid judge = conf_lookup(sys, "court/judge");
    ask_step(sys, judge, "spawn.w2", "conf.SpawnWorker", "w2");
    akt_pid w2 = conf_lookup(sys, "court/judge/w2");
    tell_n(sys, w2, "conf.Incr", "", 2);
    tell_n(sys, w2, "conf.Fail", "resume", 1);
    tell_n(sys, w2, "conf.Incr", "", 1);
    ask_step(sys, w2, "count.w2", "conf.Get", "");
    conf_flush();
    conf_say("stop.w2", "%s", conf_rc(conf_stop_graceful(sys, w2)));
    conf_flush();

    /* 3. Stop: the failing child stops. */
    akt_pid observer_pid = conf_spawn(sys, &observer_behavior, &observer_state, "observer");
    ask_step(sys, judge, "spawn.w3", "conf.SpawnWorker", "w3");
    akt_pid w3 = conf_lookup(sys, "court/judge/w3");
    tell_n(sys, w3, "conf.Incr", "", 1);
    ask_step(sys, w3, "count.w3", "conf.Get", "");
    ask_step(sys, observer_pid, "watch.w3", "conf.Watch", "court/judge/w3");
    conf_flush();
    tell_n(sys, w3, "conf.Fail", "stop", 1);
    conf_wait_log(4); /* fail, decide, post_stop, terminated */
    conf_flush();
    conf_say("alive.w3", "%d", akt_pid_is_alive(sys, w3));

    /* 4. Escalate: the judge fails with w4's error; the court stops the judge, w4 first. */
    ask_step(sys, judge, "spawn.w4", "conf.SpawnWorker", "w4");
    akt_pid w4 = conf_lookup(sys, "court/judge/w4");
    ask_step(sys, w4, "count.w4", "conf.Get", "");
    ask_step(sys, observer_pid, "watch.judge", "conf.Watch", "court/judge");
    conf_flush();
    tell_n(sys, w4, "conf.Fail", "escalate", 1);
    conf_wait_log(6); /* fail, 2 decides, 2 post_stops, terminated */
    conf_flush();
    conf_say("alive.judge", "%d", akt_pid_is_alive(sys, judge));
    conf_say("alive.court", "%d", akt_pid_is_alive(sys, court));

    conf_system_finish(sys);
    return 0;
}
