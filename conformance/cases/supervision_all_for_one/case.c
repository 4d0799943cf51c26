/* supervision_all_for_one: one child of a one-for-all parent fails, all three restart. */
#include "conf_supervised.h"

#include <stdio.h>
#include <stdlib.h>

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
    CONF_OK(akt_spawn(sys, &conf_manager_behavior, NULL, &options, &boss));

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
