/* supervision: restart (the default) keeps the mailbox, resume keeps the state, stop,
 * escalate to the grandparent. */
#include "conf_supervised.h"

#include <string.h>

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
    static conf_observer observer_state;
    akt_system *sys = conf_system_create();

    /* 1. Restart, the default directive: fresh state, and the mailbox is kept. */
    akt_pid boss = conf_spawn(sys, &conf_manager_behavior, NULL, "boss");
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
    /* the court's state: the judge it spawns supervises its children so (never written) */
    CONF_OK(akt_spawn(sys, &conf_manager_behavior, (void *)&judge_supervisor, &options, &court));
    ask_step(sys, court, "spawn.judge", "conf.SpawnManager", "judge");
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
    akt_pid observer_pid = conf_spawn(sys, &conf_observer_behavior, &observer_state, "observer");
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
