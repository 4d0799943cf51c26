/* retry_window: with a budget of 2 retries in the window, the third failure stops the child. */
#include "conf_supervised.h"

#include <stdio.h>
#include <stdlib.h>

static const akt_supervisor budget = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ONE,
    .default_directive = AKT_DIRECTIVE_RESTART,
    .max_retries = 2,
    .within_ns = 60 * 1000 * CONF_MS, /* far longer than the case: every failure is in it */
};

/* ---- main */

static void ask_step(akt_system *sys, akt_pid pid, const char *step, const char *type,
                     const char *text) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    static conf_observer observer_state;
    static const char *const tells[][2] = {
        {"conf.Incr", ""}, {"conf.Fail", "one"},   {"conf.Incr", ""}, {"conf.Fail", "two"},
        {"conf.Incr", ""}, {"conf.Fail", "three"}, {"conf.Incr", ""},
    };
    akt_system *sys = conf_system_create();
    akt_spawn_options options;
    akt_pid boss;

    /* 1. A parent with a retry budget, and an observer. */
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "boss";
    options.supervisor = &budget;
    CONF_OK(akt_spawn(sys, &conf_manager_behavior, NULL, &options, &boss));
    akt_pid observer_pid = conf_spawn(sys, &conf_observer_behavior, &observer_state, "observer");

    /* 2. The child, watched. */
    ask_step(sys, boss, "spawn.w", "conf.SpawnWorker", "w");
    akt_pid w = conf_lookup(sys, "boss/w");
    ask_step(sys, observer_pid, "watch.w", "conf.Watch", "boss/w");
    conf_wait_log(2); /* pre_start of boss and of w: w starts after SpawnWorker answers */
    conf_flush_sorted();

    /* 3. Three failures in the window: restart, restart, stop. */
    for (size_t i = 0; i < sizeof tells / sizeof tells[0]; i++)
        CONF_OK(conf_tell(sys, w, tells[i][0], tells[i][1]));
    conf_wait_log(9); /* 3 x (fail, post_stop), 2 pre_starts, terminated */
    conf_flush();

    /* 4. Out of retries: stopped. */
    conf_say("alive.w", "%d", akt_pid_is_alive(sys, w));

    conf_system_finish(sys);
    return 0;
}
