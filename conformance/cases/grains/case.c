/* grains: activation on first message, single activation, deactivation and reactivation
 * with state reset, ask by identity, an unknown kind. */
#include "conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A grain's state: kind/name and its count. */
typedef struct counter {
    char id[64];
    const char *name; /* in id, after the '/' */
    long count;
} counter;

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    counter *c = state;
    if (conf_is(msg, "conf.Inc")) {
        c->count++;
        return 0;
    }
    if (!conf_is(msg, "conf.Get")) return AKT_EUNHANDLED;
    char text[96];
    snprintf(text, sizeof text, "%s %ld", c->name, c->count);
    return conf_respond(ctx, "conf.Count", text);
}

static const akt_behavior counter_behavior = {
    .size = sizeof(akt_behavior), .receive = counter_receive, .free_state = free};

/* kind_data: the kind's name. */
static int counter_activate(void *kind_data, const char *name, const akt_behavior **b,
                            void **state) {
    counter *c = calloc(1, sizeof *c);
    if (!c) return AKT_ENOMEM;
    int n = snprintf(c->id, sizeof c->id, "%s/%s", (const char *)kind_data, name);
    c->name = c->id + (n - (int)strlen(name));
    *b = &counter_behavior;
    *state = c;
    return 0;
}

static int on_activate(akt_ctx *ctx, void *state, void *kind_data) {
    conf_log("activate", "%s", ((counter *)state)->id);
    return 0;
}

static void on_deactivate(akt_ctx *ctx, void *state, void *kind_data) {
    counter *c = state;
    conf_log("deactivate", "%s count=%ld", c->id, c->count);
}

static int register_kind(akt_system *sys, const char *kind, int64_t after_ns) {
    akt_grain_kind def;
    CONF_OK(akt_grain_kind_init(&def));
    def.activate = counter_activate;
    def.on_activate = on_activate;
    def.on_deactivate = on_deactivate;
    def.kind_data = (void *)kind;
    def.deactivate_after_ns = after_ns;
    return akt_grain_kind_register(sys, kind, &def);
}

static void tell(akt_system *sys, const char *kind, const char *name, const char *type) {
    akt_msg *m = conf_msg(type, "");
    int rc = akt_grain_tell(sys, kind, name, m);
    if (rc) {
        akt_msg_release(m);
        conf_check(rc, "akt_grain_tell");
    }
}

/* Asks kind/name conf.Get; the reply as conf_ask_str formats it. */
static const char *get(akt_system *sys, const char *kind, const char *name, char *buf, size_t len) {
    akt_msg *m = conf_msg("conf.Get", "");
    akt_future *f;
    int rc = akt_grain_ask(sys, kind, name, m, CONF_ASK_NS, &f);
    if (rc) {
        akt_msg_release(m);
        snprintf(buf, len, "%s", conf_rc(rc));
        return buf;
    }
    return conf_future_str(f, buf, len);
}

int main(void) {
    akt_system *sys = conf_system_create();
    char buf[128];

    /* 1. Kinds, registered by name. */
    conf_say("register.counter", "%s", conf_rc(register_kind(sys, "counter", 0)));
    conf_say("register.session", "%s", conf_rc(register_kind(sys, "session", 300000000LL)));
    conf_say("register.counter.again", "%s", conf_rc(register_kind(sys, "counter", 0)));

    /* 2. The first message activates; the grain keeps its state. */
    for (int i = 0; i < 3; i++) tell(sys, "counter", "alice", "conf.Inc");
    conf_say("ask.alice", "%s", get(sys, "counter", "alice", buf, sizeof buf));
    conf_wait_log(1);
    conf_flush();

    /* 3. Another name, another grain. */
    conf_say("ask.bob", "%s", get(sys, "counter", "bob", buf, sizeof buf));
    conf_wait_log(1);
    conf_flush();

    /* 4. Many messages before the first is handled: one activation. */
    for (int i = 0; i < 100; i++) tell(sys, "counter", "carol", "conf.Inc");
    conf_say("ask.carol", "%s", get(sys, "counter", "carol", buf, sizeof buf));
    conf_wait_log(1);
    conf_flush();

    /* 5. An idle session deactivates. */
    tell(sys, "session", "s1", "conf.Inc");
    tell(sys, "session", "s1", "conf.Inc");
    conf_say("ask.s1", "%s", get(sys, "session", "s1", buf, sizeof buf));
    conf_wait_log(2);
    conf_flush();

    /* 6. The next message activates a fresh one. */
    conf_say("ask.s1.again", "%s", get(sys, "session", "s1", buf, sizeof buf));
    conf_wait_log(1);
    conf_flush();

    /* 7. An unknown kind. */
    akt_msg *m = conf_msg("conf.Inc", "");
    int rc = akt_grain_tell(sys, "nokind", "x", m);
    if (rc) akt_msg_release(m);
    conf_say("tell.nokind", "%s", conf_rc(rc));

    conf_system_finish(sys);
    return 0;
}
