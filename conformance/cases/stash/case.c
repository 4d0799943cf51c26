/* stash: stash while closed, unstash one, unstash all, and their place in the mailbox. */
#include "conf.h"

typedef struct gate {
    int open;
} gate;

/* conf.Item is handled when the gate is open and stashed when it is closed; the journal
 * tells the story in the order the gate saw it. */
static int gate_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    gate *g = state;
    char text[64];
    if (conf_is(msg, "conf.Item")) {
        conf_text(msg, text, sizeof text);
        if (g->open) {
            conf_log("handled", "%s", text);
            return 0;
        }
        conf_log("stashed", "%s", text);
        return akt_ctx_stash(ctx);
    }
    if (conf_is(msg, "conf.Open") || conf_is(msg, "conf.Close")) {
        g->open = conf_is(msg, "conf.Open");
        conf_log(g->open ? "open" : "close", "ok");
        return 0;
    }
    if (conf_is(msg, "conf.Unstash")) {
        conf_log("unstash", "%s", conf_rc(akt_ctx_unstash(ctx)));
        return 0;
    }
    if (conf_is(msg, "conf.UnstashAll")) {
        conf_log("unstash_all", "%s", conf_rc(akt_ctx_unstash_all(ctx)));
        return 0;
    }
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior gate_behavior = {.size = sizeof(akt_behavior), .receive = gate_receive};

/* All tells come from main, so the gate sees them in this order. */
static void tell(akt_system *sys, akt_pid pid, const char *type, const char *text) {
    CONF_OK(conf_tell(sys, pid, type, text));
}

static void sync_and_print(akt_system *sys, akt_pid pid) {
    char buf[64];
    conf_say("ping", "%s", conf_ask_str(sys, pid, "conf.Ping", "", buf, sizeof buf));
    conf_flush();
}

int main(void) {
    static gate g; /* starts closed */
    akt_system *sys = conf_system_create();
    akt_pid pid = conf_spawn(sys, &gate_behavior, &g, "gate");

    /* 1. Closed: everything is stashed. */
    tell(sys, pid, "conf.Item", "a");
    tell(sys, pid, "conf.Item", "b");
    tell(sys, pid, "conf.Item", "c");
    sync_and_print(sys, pid);

    /* 2. Unstash takes the oldest; unstash all the rest, in order; then nothing is left. */
    tell(sys, pid, "conf.Open", "");
    tell(sys, pid, "conf.Unstash", "");
    tell(sys, pid, "conf.Item", "d");
    tell(sys, pid, "conf.UnstashAll", "");
    tell(sys, pid, "conf.Unstash", "");
    sync_and_print(sys, pid);

    /* 3. Unstashed messages go before the ones already waiting in the mailbox. */
    tell(sys, pid, "conf.Close", "");
    tell(sys, pid, "conf.Item", "e");
    tell(sys, pid, "conf.Item", "f");
    tell(sys, pid, "conf.Open", "");
    tell(sys, pid, "conf.Item", "g");
    tell(sys, pid, "conf.UnstashAll", "");
    tell(sys, pid, "conf.Item", "h");
    sync_and_print(sys, pid);

    conf_system_finish(sys);
    return 0;
}
