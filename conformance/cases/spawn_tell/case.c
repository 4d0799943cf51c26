/* spawn_tell: spawn a named and an anonymous actor, tell them increments, ask the count. */
#include "conf.h"

#include <stdio.h>

typedef struct counter {
    long n;
} counter;

/* conf.Incr "<k>" adds k; conf.Get answers conf.Count "<n>". */
static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    counter *c = state;
    if (conf_is(msg, "conf.Incr")) {
        c->n += conf_num(msg);
        return 0;
    }
    if (conf_is(msg, "conf.Get")) {
        char text[32];
        snprintf(text, sizeof text, "%ld", c->n);
        return conf_respond(ctx, "conf.Count", text);
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior counter_behavior = {
    .size = sizeof(akt_behavior),
    .receive = counter_receive,
};

int main(void) {
    static counter named_state, anonymous_state, duplicate_state;
    char path[256], buf[256];
    akt_system *sys = conf_system_create();

    /* 1. A named actor lives at /user/<name>. */
    akt_pid named = conf_spawn(sys, &counter_behavior, &named_state, "counter");
    conf_say("spawn.named", "%s", conf_path(sys, named, path, sizeof path));

    /* 2. Without a name it gets "$<n>" (printed as $N). */
    akt_pid anonymous = conf_spawn(sys, &counter_behavior, &anonymous_state, NULL);
    conf_say("spawn.anonymous", "%s", conf_path(sys, anonymous, path, sizeof path));

    /* 3. A taken name is refused. */
    akt_spawn_options options;
    akt_pid duplicate;
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "counter";
    conf_say("spawn.duplicate", "%s",
             conf_rc(akt_spawn(sys, &counter_behavior, &duplicate_state, &options, &duplicate)));

    /* 4. Tells from one sender arrive in order; the ask comes after all ten. */
    for (int i = 0; i < 10; i++) CONF_OK(conf_tell(sys, named, "conf.Incr", "1"));
    conf_say("count.named", "%s", conf_ask_str(sys, named, "conf.Get", "", buf, sizeof buf));

    for (int i = 0; i < 3; i++) CONF_OK(conf_tell(sys, anonymous, "conf.Incr", "5"));
    conf_say("count.anonymous", "%s",
             conf_ask_str(sys, anonymous, "conf.Get", "", buf, sizeof buf));

    /* 5. The two actors have separate state: the first one still counts 10. */
    conf_say("count.named_again", "%s", conf_ask_str(sys, named, "conf.Get", "", buf, sizeof buf));

    /* 6. Looking the name up gives the same pid back. */
    akt_pid found = conf_lookup(sys, "counter");
    conf_say("lookup.named", "%s", found.id == named.id ? "same pid" : "different pid");
    conf_say("alive.named", "%d", akt_pid_is_alive(sys, named));

    conf_system_finish(sys);
    return 0;
}
