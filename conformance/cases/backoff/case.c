/* backoff: restarts wait on akt's timer; messages sent meanwhile are handled after them. */
#include "conf_supervised.h"

#include <stdio.h>
#include <stdlib.h>

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
    CONF_OK(akt_spawn(sys, &conf_manager_behavior, NULL, &options, &boss));

    /* 2. The child. */
    ask_step(sys, boss, "spawn.w", "conf.SpawnWorker", "w");
    akt_pid w = conf_lookup(sys, "boss/w");
    conf_wait_log(2); /* pre_start of boss and of w: w starts after SpawnWorker answers */
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
