/* suspend_reinstate: a suspended child keeps its state and mailbox, refuses tells and asks
 * until reinstated by name, and can be stopped. */
#include "conf_supervised.h"

static const akt_supervisor suspending = {
    .size = sizeof(akt_supervisor),
    .strategy = AKT_STRATEGY_ONE_FOR_ONE,
    .default_directive = AKT_DIRECTIVE_SUSPEND,
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

    /* 1. A failure suspends w; the message queued behind it stays. */
    akt_spawn_options options;
    akt_pid boss;
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "boss";
    options.supervisor = &suspending;
    CONF_OK(akt_spawn(sys, &conf_manager_behavior, NULL, &options, &boss));
    conf_say("spawn.w", "%s", conf_ask_str(sys, boss, "conf.SpawnWorker", "w", buf, sizeof buf));
    akt_pid w = conf_lookup(sys, "boss/w");
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    CONF_OK(conf_tell(sys, w, "conf.Fail", "suspend"));
    CONF_OK(conf_tell(sys, w, "conf.Incr", ""));
    conf_wait_log(4);
    conf_flush();

    /* 2. Refused while suspended. */
    conf_say("tell.w", "%s", conf_rc(conf_tell(sys, w, "conf.Incr", "")));
    conf_say("ask.w", "%s", conf_ask_str(sys, w, "conf.Get", "", buf, sizeof buf));

    /* 3. Reinstated by name: the state was kept, the queued message handled. */
    CONF_OK(akt_reinstate_named(sys, "boss/w"));
    conf_wait_log(1);
    conf_flush();
    conf_say("count.w", "%s", conf_ask_str(sys, w, "conf.Get", "", buf, sizeof buf));

    /* 4. Suspended again, then stopped. */
    CONF_OK(conf_tell(sys, w, "conf.Fail", "again"));
    conf_wait_log(2);
    conf_flush();
    CONF_OK(akt_stop(sys, w));
    conf_wait_log(1);
    conf_flush();

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
