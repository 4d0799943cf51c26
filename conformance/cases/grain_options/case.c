/* grain_options: a grain kind's bounded mailbox, dependencies and reentrancy. */
#include <stdio.h>
#include <stdlib.h>

#include "conf.h"

typedef struct server {
    int holding;
} server;

static int server_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    server *s = state;
    char text[64], out[80];
    if (conf_is(msg, "conf.Hold")) {
        s->holding = 1;
        return 0;
    }
    if (conf_is(msg, "conf.Release")) {
        s->holding = 0;
        return akt_ctx_unstash_all(ctx);
    }
    if (conf_is(msg, "conf.Inc")) {
        if (s->holding) return akt_ctx_stash(ctx);
        snprintf(out, sizeof out, "%s!", conf_text(msg, text, sizeof text));
        return conf_respond(ctx, "conf.Done", out);
    }
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior server_behavior = {.size = sizeof(akt_behavior),
                                             .receive = server_receive};

static int on_reply(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    (void)ctx;
    (void)data;
    char text[64];
    if (rc)
        conf_log("reply", "%s", conf_rc(rc));
    else
        conf_log("reply", "%s", conf_text(reply, text, sizeof text));
    return 0;
}

static int box_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    char text[64];
    if (conf_is(msg, "conf.Go")) {
        void *server = NULL;
        int rc = akt_ctx_dependency(ctx, "server", &server);
        if (rc) return rc;
        akt_request_options o;
        CONF_OK(akt_request_options_init(&o));
        o.then = on_reply;
        conf_text(msg, text, sizeof text);
        akt_msg *m = conf_msg("conf.Inc", text);
        rc = akt_ctx_request(ctx, *(akt_pid *)server, m, &o, NULL);
        if (rc) {
            akt_msg_release(m);
            return rc;
        }
        conf_log("go", "%s", text);
        return 0;
    }
    if (conf_is(msg, "conf.Item")) {
        conf_log("item", "%s", conf_text(msg, text, sizeof text));
        return 0;
    }
    if (conf_is(msg, "conf.Greet")) {
        void *greeting = NULL;
        int rc = akt_ctx_dependency(ctx, "greeting", &greeting);
        if (rc) return rc;
        return conf_respond(ctx, "conf.Greeting", (const char *)greeting);
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior box_behavior = {.size = sizeof(akt_behavior), .receive = box_receive};

static int box_activate(void *kind_data, const char *name, const akt_behavior **b, void **state) {
    (void)kind_data;
    (void)name;
    *b = &box_behavior;
    *state = NULL;
    return 0;
}

static akt_pid server_pid;

static int register_box(akt_system *sys, const char *kind, int when_full) {
    static const char *names[] = {"server", "greeting"};
    static char greeting[] = "hello";
    void *values[] = {&server_pid, greeting};
    akt_mailbox_spec mb = {.size = sizeof mb, .capacity = 2, .when_full = when_full};
    akt_grain_kind def;
    CONF_OK(akt_grain_kind_init(&def));
    def.activate = box_activate;
    def.deactivate_after_ns = 0; /* long-lived */
    def.mailbox = &mb;
    def.dependency_names = names;
    def.dependency_values = values;
    def.dependency_count = 2;
    def.reentrancy = AKT_REENTRANCY_STASH;
    return akt_grain_kind_register(sys, kind, &def);
}

/* 7: the kind "plain" has the dependencies only; its grains' options come with the send. */
static int register_plain(akt_system *sys) {
    static const char *names[] = {"server", "greeting"};
    static char greeting[] = "hello";
    void *values[] = {&server_pid, greeting};
    akt_grain_kind def;
    CONF_OK(akt_grain_kind_init(&def));
    def.activate = box_activate;
    def.deactivate_after_ns = 0;
    def.dependency_names = names;
    def.dependency_values = values;
    def.dependency_count = 2;
    return akt_grain_kind_register(sys, "plain", &def);
}

static int tell_plain(akt_system *sys, const char *name, const char *type, const char *text,
                      const akt_grain_options *opt) {
    akt_msg *m = conf_msg(type, text);
    int rc = akt_grain_tell_with(sys, "plain", name, m, opt);
    if (rc) akt_msg_release(m);
    return rc;
}

/* 8: asks plain/name conf.Greet, with the activation dependencies server and greeting
 * (opt NULL: none), and prints the reply under step. */
static void ask_greet(akt_system *sys, const char *step, const char *name, char *greeting) {
    static const char *names[] = {"server", "greeting"};
    void *values[] = {&server_pid, greeting};
    akt_grain_options opt;
    CONF_OK(akt_grain_options_init(&opt));
    opt.dependency_names = names;
    opt.dependency_values = values;
    opt.dependency_count = 2;
    char buf[64];
    akt_msg *m = conf_msg("conf.Greet", "");
    akt_future *f;
    int rc = akt_grain_ask_with(sys, "plain", name, m, CONF_ASK_NS, greeting ? &opt : NULL, &f);
    if (rc) {
        akt_msg_release(m);
        conf_say(step, "%s", conf_rc(rc));
    } else {
        conf_say(step, "%s", conf_future_str(f, buf, sizeof buf));
    }
}

static int tell_box(akt_system *sys, const char *type, const char *text) {
    akt_msg *m = conf_msg(type, text);
    int rc = akt_grain_tell(sys, "box", "b", m);
    if (rc) akt_msg_release(m);
    return rc;
}

int main(void) {
    static server s;
    char buf[64];
    akt_system *sys = conf_system_create();
    server_pid = conf_spawn(sys, &server_behavior, &s, "server");

    /* 1. Kinds with options; a dropping mailbox is refused. */
    conf_say("register.box", "%s", conf_rc(register_box(sys, "box", AKT_MAILBOX_FAIL)));
    conf_say("register.drop", "%s", conf_rc(register_box(sys, "drop", AKT_MAILBOX_DROP)));

    /* 2. The server holds its requests. */
    CONF_OK(conf_tell(sys, server_pid, "conf.Hold", ""));
    conf_say("ping", "%s", conf_ask_str(sys, server_pid, "conf.Ping", "", buf, sizeof buf));

    /* 3. A request in flight: STASH keeps what follows in the mailbox. */
    CONF_OK(tell_box(sys, "conf.Go", "a"));
    conf_wait_log(1);
    conf_flush();

    /* 4. Two fit, the third is refused. */
    const char *items[] = {"x", "y", "z"};
    for (int i = 0; i < 3; i++) {
        char step[16];
        snprintf(step, sizeof step, "tell.%s", items[i]);
        conf_say(step, "%s", conf_rc(tell_box(sys, "conf.Item", items[i])));
    }

    /* 5. The answer, then the kept items in order. */
    CONF_OK(conf_tell(sys, server_pid, "conf.Release", ""));
    conf_wait_log(3);
    conf_flush();

    /* 6. A dependency by name. */
    akt_msg *m = conf_msg("conf.Greet", "");
    akt_future *f;
    int rc = akt_grain_ask(sys, "box", "b", m, CONF_ASK_NS, &f);
    if (rc) {
        akt_msg_release(m);
        conf_say("ask.greet", "%s", conf_rc(rc));
    } else {
        conf_say("ask.greet", "%s", conf_future_str(f, buf, sizeof buf));
    }

    /* 7. Options per activation: a bound and STASH for plain/p only. */
    conf_say("register.plain", "%s", conf_rc(register_plain(sys)));
    CONF_OK(conf_tell(sys, server_pid, "conf.Hold", ""));
    conf_say("hold", "%s", conf_ask_str(sys, server_pid, "conf.Ping", "", buf, sizeof buf));
    akt_mailbox_spec one = {.size = sizeof one, .capacity = 1, .when_full = AKT_MAILBOX_FAIL};
    akt_grain_options opt;
    CONF_OK(akt_grain_options_init(&opt));
    opt.mailbox = &one;
    opt.reentrancy = AKT_REENTRANCY_STASH;
    CONF_OK(tell_plain(sys, "p", "conf.Go", "c", &opt));
    conf_wait_log(1);
    conf_flush();
    conf_say("tell.u", "%s", conf_rc(tell_plain(sys, "p", "conf.Item", "u", &opt)));
    conf_say("tell.v", "%s", conf_rc(tell_plain(sys, "p", "conf.Item", "v", &opt)));
    CONF_OK(tell_plain(sys, "q", "conf.Item", "w", NULL));
    conf_wait_log(1);
    conf_flush();
    CONF_OK(conf_tell(sys, server_pid, "conf.Release", ""));
    conf_wait_log(2);
    conf_flush();

    /* 8. Dependencies per activation: plain/d's own; a live activation keeps them. */
    static char hi[] = "hi", hey[] = "hey"; /* borrowed by akt for the system's life */
    ask_greet(sys, "ask.own", "d", hi);
    ask_greet(sys, "ask.again", "d", hey);
    ask_greet(sys, "ask.kind", "e", NULL);

    conf_system_finish(sys);
    return 0;
}
