/* extensions: system-wide values given at creation, reached by name from every actor. */
#include "conf.h"

#include <stdio.h>

typedef struct tally {
    long greetings;
} tally;

/* conf.Greet "<name>" -> conf.Greeting "<greeting>, <name>" and tally += 1;
 * conf.Lookup "<ext>" -> conf.Done "<ok or error name>". */
static int reader_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[64], answer[160];
    if (conf_is(msg, "conf.Greet")) {
        void *greeting = NULL, *counts = NULL;
        CONF_OK(akt_ctx_extension(ctx, "greeting", &greeting));
        CONF_OK(akt_ctx_extension(ctx, "tally", &counts));
        ((tally *)counts)->greetings++;
        snprintf(answer, sizeof answer, "%s, %s", (const char *)greeting,
                 conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Greeting", answer);
    }
    if (conf_is(msg, "conf.Lookup")) {
        void *value = NULL;
        int rc = akt_ctx_extension(ctx, conf_text(msg, text, sizeof text), &value);
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior reader_behavior = {.size = sizeof(akt_behavior),
                                             .receive = reader_receive};

static void ask_step(akt_system *sys, akt_pid pid, const char *step, const char *type,
                     const char *text) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    static tally counts;
    static char greeting[] = "hello";
    const char *const names[] = {"greeting", "tally"};
    void *const values[] = {greeting, &counts};
    akt_system_options o;
    CONF_OK(akt_system_options_init(&o));
    o.name = "conf";
    o.extension_names = names;
    o.extension_values = values;
    o.extension_count = 2;
    akt_system *sys = NULL;
    CONF_OK(akt_system_create(&o, &sys));

    /* 1. An actor reaches them by name; they are the caller's own objects. */
    akt_pid reader = conf_spawn(sys, &reader_behavior, NULL, "reader");
    ask_step(sys, reader, "greet", "conf.Greet", "ada");
    ask_step(sys, reader, "greet", "conf.Greet", "bob");
    conf_say("tally", "%ld", counts.greetings);
    ask_step(sys, reader, "lookup.greeting", "conf.Lookup", "greeting");
    ask_step(sys, reader, "lookup.missing", "conf.Lookup", "nothing");
    /* 2. Every actor of the system does. */
    akt_pid other = conf_spawn(sys, &reader_behavior, NULL, "other");
    ask_step(sys, other, "other.lookup", "conf.Lookup", "tally");
    /* 3. And so does the outside. */
    void *v = NULL;
    CONF_OK(akt_system_extension(sys, "greeting", &v));
    conf_say("outside.greeting", "%s", (const char *)v);
    conf_say("outside.missing", "%s", conf_rc(akt_system_extension(sys, "nothing", &v)));
    /* 4. A bad name fails the creation. */
    const char *const bad_names[] = {"x"};
    akt_system_options b;
    CONF_OK(akt_system_options_init(&b));
    b.name = "bad";
    b.extension_names = bad_names;
    b.extension_values = values;
    b.extension_count = 1;
    akt_system *bad = NULL;
    conf_say("bad.name", "%s", conf_rc(akt_system_create(&b, &bad)));

    conf_system_finish(sys);
    return 0;
}
