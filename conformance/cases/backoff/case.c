/* backoff: restarts wait on akt's timer; messages sent meanwhile are handled after them. */
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- worker: counts conf.Incr; conf.Mark journals; conf.Fail "<reason>" fails with that reason.
 */

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
    if (conf_is(msg, "conf.Mark")) {
        conf_text(msg, text, sizeof text);
        conf_log("handled", "%s %s n=%ld", conf_self_path(ctx, path, sizeof path), text, w->n);
        return 0;
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

static const akt_supervisor with_backoff = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ONE,
    .default_directive = AKT_DIRECTIVE_RESTART,
    .backoff_min_ns = 100 * CONF_MS,
    .backoff_max_ns = 1000 * CONF_MS,
    .backoff_multiplier = 2,
};

/* ---- main */

static void ask_step(akt_system *sys, akt_pid pid, const char *step, const char *type,
                     const char *text) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_spawn_options options;
    akt_pid boss;

    /* 1. A parent whose restarts back off. */
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "boss";
    options.supervisor = &with_backoff;
    CONF_OK(akt_spawn(sys, &manager_behavior, NULL, &options, &boss));

    /* 2. The child. */
    ask_step(sys, boss, "spawn.w", "conf.SpawnWorker", "w");
    akt_pid w = conf_lookup(sys, "boss/w");
    conf_flush_sorted();

    /* 3. The first restart waits; what is sent meanwhile is handled after it. */
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Fail", "first"));
    conf_wait_log(1); /* the fail */
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Mark", "during"));
    conf_wait_log(4); /* fail, post_stop, pre_start, handled */
    conf_flush();

    /* 4. The second restart waits longer; the order is the same. */
    CONF_OK(conf_tell(sys, w, "conf.Fail", "second"));
    conf_wait_log(1);
    CONF_OK(conf_tell(sys, w, "conf.Mark", "again"));
    conf_wait_log(4);
    conf_flush();

    /* 5. Restarted, alive. */
    ask_step(sys, w, "count.w", "conf.Get", "");
    conf_say("alive.w", "%d", akt_pid_is_alive(sys, w));

    conf_system_finish(sys);
    return 0;
}
