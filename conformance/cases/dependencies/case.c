/* dependencies: values given at spawn, reached by name from inside the actor. */
#include "conf.h"

#include <stdio.h>

/* The "tally" dependency: a shared object the actor updates and main reads. */
typedef struct tally {
    long greetings;
} tally;

/* conf.Greet "<name>" -> conf.Greeting "<greeting>, <name>" and tally += 1;
 * conf.Lookup "<dep>" -> conf.Done "<ok or error name>"; conf.Fail fails (restart). */
static int greeter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[64], answer[160];
    if (conf_is(msg, "conf.Greet")) {
        void *greeting = NULL, *counts = NULL;
        CONF_OK(akt_ctx_dependency(ctx, "greeting", &greeting));
        CONF_OK(akt_ctx_dependency(ctx, "tally", &counts));
        ((tally *)counts)->greetings++;
        snprintf(answer, sizeof answer, "%s, %s", (const char *)greeting,
                 conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Greeting", answer);
    }
    if (conf_is(msg, "conf.Lookup")) {
        void *value = NULL;
        int rc = akt_ctx_dependency(ctx, conf_text(msg, text, sizeof text), &value);
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    if (conf_is(msg, "conf.Fail")) return akt_ctx_fail(ctx, "fail");
    return AKT_EUNHANDLED;
}

static const akt_behavior greeter_behavior = {.size = sizeof(akt_behavior),
                                              .receive = greeter_receive};

static void ask_step(akt_system *sys, akt_pid pid, const char *step, const char *type,
                     const char *text) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    static tally counts;
    static char greeting[] = "hello";
    akt_system *sys = conf_system_create();

    /* 1. Dependencies are named values handed to the actor at spawn. */
    const char *const names[] = {"greeting", "tally"};
    void *const values[] = {greeting, &counts};
    akt_spawn_options options;
    akt_pid greeter;
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "greeter";
    options.dependency_names = names;
    options.dependency_values = values;
    options.dependency_count = 2;
    CONF_OK(akt_spawn(sys, &greeter_behavior, NULL, &options, &greeter));

    ask_step(sys, greeter, "greet", "conf.Greet", "ada");
    ask_step(sys, greeter, "greet", "conf.Greet", "bob");
    /* The actor got the caller's object itself, not a copy. */
    conf_say("tally", "%ld", counts.greetings);
    ask_step(sys, greeter, "lookup.greeting", "conf.Lookup", "greeting");
    ask_step(sys, greeter, "lookup.missing", "conf.Lookup", "nothing");

    /* 2. A restarted actor keeps its dependencies. */
    CONF_OK(conf_tell(sys, greeter, "conf.Fail", ""));
    ask_step(sys, greeter, "greet.after_restart", "conf.Greet", "cy");
    conf_say("tally", "%ld", counts.greetings);

    /* 3. An actor spawned without dependencies has none. */
    akt_pid plain = conf_spawn(sys, &greeter_behavior, NULL, "plain");
    ask_step(sys, plain, "plain.lookup", "conf.Lookup", "greeting");

    conf_system_finish(sys);
    return 0;
}
