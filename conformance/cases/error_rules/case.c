/* error_rules: rules by error code answer before the decider; other codes reach it. */
#include "conf_supervised.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- main */

static void ask_step(akt_system *sys, akt_pid pid, const char *step, const char *type,
                     const char *text) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    static conf_observer observer_state;
    akt_system *sys = conf_system_create();
    akt_spawn_options options;
    akt_pid boss;

    /* 1. A parent with rules and a decider, and an observer. */
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "boss";
    options.supervisor = &with_rules;
    CONF_OK(akt_spawn(sys, &conf_manager_behavior, NULL, &options, &boss));
    akt_pid observer_pid = conf_spawn(sys, &conf_observer_behavior, &observer_state, "observer");

    /* 2. The child, watched. */
    ask_step(sys, boss, "spawn.w", "conf.SpawnWorker", "w");
    akt_pid w = conf_lookup(sys, "boss/w");
    ask_step(sys, observer_pid, "watch.w", "conf.Watch", "boss/w");
    conf_wait_log(2); /* pre_start of boss and of w: w starts after SpawnWorker answers */
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
