/* retry_suspend: a retry budget whose exhaustion suspends: a child out of retries is
 * suspended (tells and asks refused), reinstated by name with its state and a fresh budget. */
#include "conf_supervised.h"

static const akt_supervisor budget = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ONE,
    .default_directive = AKT_DIRECTIVE_RESTART,
    .max_retries = 1,
    .within_ns = 60 * 1000 * CONF_MS, /* far longer than the case: every failure is in it */
    .on_retries_exhausted = AKT_EXHAUSTED_SUSPEND,
};

static void on_event(const akt_event *ev, void *data) {
    conf_log(ev->kind == AKT_EVENT_ACTOR_SUSPENDED ? "suspended" : "reinstated", "%s",
             ev->path ? ev->path : "?");
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_SUSPENDED | AKT_EVENT_ACTOR_REINSTATED, on_event,
                          NULL, &sub));
    char buf[256];

    /* 1. A parent with a budget of 1 retry whose exhaustion suspends, and its child. */
    akt_spawn_options options;
    akt_pid boss;
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "boss";
    options.supervisor = &budget;
    CONF_OK(akt_spawn(sys, &conf_manager_behavior, NULL, &options, &boss));
    conf_say("spawn.w", "%s", conf_ask_str(sys, boss, "conf.SpawnWorker", "w", buf, sizeof buf));
    akt_pid w = conf_lookup(sys, "boss/w");
    conf_wait_log(2);
    conf_flush_sorted();

    /* 2. The first failure restarts, the second is out of retries: suspended. */
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Fail", "one"));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Fail", "two"));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    conf_wait_log(5);
    conf_flush();

    /* 3. Refused while suspended. */
    conf_say("tell.w", "%s", conf_rc(conf_tell(sys, w, "conf.Incr", "")));
    conf_say("ask.w", "%s", conf_ask_str(sys, w, "conf.Get", "", buf, sizeof buf));

    /* 4. Reinstated by name: the state was kept, the queued message handled. */
    CONF_OK(akt_reinstate_named(sys, "boss/w"));
    conf_wait_log(1);
    conf_flush();
    conf_say("count.w", "%s", conf_ask_str(sys, w, "conf.Get", "", buf, sizeof buf));

    /* 5. A fresh budget: the next failure restarts again, the one after suspends. */
    CONF_OK(conf_tell(sys, w, "conf.Fail", "three"));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    conf_wait_log(3);
    conf_flush();
    conf_say("count.w", "%s", conf_ask_str(sys, w, "conf.Get", "", buf, sizeof buf));
    CONF_OK(conf_tell(sys, w, "conf.Fail", "four"));
    conf_wait_log(2);
    conf_flush();
    conf_say("alive.w", "%d", akt_pid_is_alive(sys, w));

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
