/* dead_letters: unhandled and dead-letter events on the event stream. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

/* picky: conf.Ping -> conf.Pong; everything else is unhandled. */
static int picky_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

/* relay: conf.Relay "<t>" -> tells picky conf.Strange "<t>" as itself, then conf.Done. */
static int relay_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_system *sys = NULL;
    akt_pid picky;
    char text[64];
    if (!conf_is(msg, "conf.Relay")) return AKT_EUNHANDLED;
    CONF_OK(akt_ctx_system(ctx, &sys));
    CONF_OK(akt_lookup(sys, "picky", &picky));
    int rc = conf_ctx_tell(ctx, picky, "conf.Strange", conf_text(msg, text, sizeof text));
    return conf_respond(ctx, "conf.Done", conf_rc(rc));
}

/* hoarder: stashes conf.Letter and conf.Question until conf.Release, which unstashes all
 * and opens it; open, a conf.Question is answered conf.Answer "late". */
typedef struct hoarder {
    int open;
} hoarder;

static int hoarder_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    hoarder *h = state;
    if (conf_is(msg, "conf.Letter") || conf_is(msg, "conf.Question")) {
        if (!h->open) return akt_ctx_stash(ctx);
        return conf_is(msg, "conf.Question") ? conf_respond(ctx, "conf.Answer", "late") : 0;
    }
    if (conf_is(msg, "conf.Release")) {
        h->open = 1;
        return akt_ctx_unstash_all(ctx);
    }
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

static const akt_behavior picky_behavior = {.size = sizeof(akt_behavior), .receive = picky_receive};
static const akt_behavior relay_behavior = {.size = sizeof(akt_behavior), .receive = relay_receive};
static const akt_behavior hoarder_behavior = {.size = sizeof(akt_behavior),
                                              .receive = hoarder_receive};

/* "<kind>: <type> <text> to=<path> from=<path>", "-" for no actor or no path. Only the
 * case's own messages (type conf.*) are journaled. */
static void on_event(const akt_event *ev, void *data) {
    akt_system *sys = data;
    const void *bytes = NULL;
    size_t len = 0;
    char from[256] = "-";
    if (ev->msg == NULL || strncmp(akt_msg_type(ev->msg), "conf.", 5) != 0) return;
    if (akt_msg_bytes(ev->msg, &bytes, &len) != 0) len = 0;
    if (ev->sender.id != AKT_PID_NONE_ID) conf_path(sys, ev->sender, from, sizeof from);
    conf_log(ev->kind == AKT_EVENT_UNHANDLED ? "unhandled" : "dead_letter", "%s %.*s to=%s from=%s",
             akt_msg_type(ev->msg), (int)len, (const char *)bytes,
             ev->path != NULL ? ev->path : "-", from);
}

static void ask_step(akt_system *sys, akt_pid pid, const char *step, const char *type,
                     const char *text) {
    char buf[256];
    conf_say(step, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    static hoarder hoarder_state, hoarder2_state;
    char buf[256];
    akt_system *sys = conf_system_create();
    akt_subscription *sub = NULL;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER | AKT_EVENT_UNHANDLED, on_event, sys, &sub));
    akt_pid picky = conf_spawn(sys, &picky_behavior, NULL, "picky");
    akt_pid relay = conf_spawn(sys, &relay_behavior, NULL, "relay");
    akt_pid hoarder_pid = conf_spawn(sys, &hoarder_behavior, &hoarder_state, "hoarder");

    /* 1. Unhandled, from outside any actor (no sender) ... */
    CONF_OK(conf_tell(sys, picky, "conf.Strange", "?"));
    ask_step(sys, picky, "ping.picky", "conf.Ping", "");
    conf_flush();
    /* ... and from an actor (the relay is the sender). */
    ask_step(sys, relay, "relay", "conf.Relay", "hi");
    ask_step(sys, picky, "ping.picky", "conf.Ping", "");
    conf_flush();

    /* 2. Messages still stashed when an actor stops become dead letters, in order. */
    CONF_OK(conf_tell(sys, hoarder_pid, "conf.Letter", "one"));
    CONF_OK(conf_tell(sys, hoarder_pid, "conf.Letter", "two"));
    ask_step(sys, hoarder_pid, "ping.hoarder", "conf.Ping", "");
    conf_say("stop.hoarder", "%s", conf_rc(akt_stop(sys, hoarder_pid)));
    conf_wait_log(2);
    conf_flush();

    /* 3. A tell to a stopped actor fails at once: the caller keeps the message. */
    conf_say("tell.stopped", "%s", conf_rc(conf_tell(sys, hoarder_pid, "conf.Letter", "three")));

    /* 4. A reply to a cancelled ask is a dead letter. */
    akt_pid hoarder2 = conf_spawn(sys, &hoarder_behavior, &hoarder2_state, "hoarder2");
    akt_future *question = NULL;
    CONF_OK(akt_ask(sys, hoarder2, conf_msg("conf.Question", "q"), CONF_ASK_NS, &question));
    ask_step(sys, hoarder2, "ping.hoarder2", "conf.Ping", "");
    conf_say("cancel", "%s", conf_rc(akt_future_cancel(question)));
    conf_say("ask.cancelled", "%s", conf_future_str(question, buf, sizeof buf));
    CONF_OK(conf_tell(sys, hoarder2, "conf.Release", ""));
    ask_step(sys, hoarder2, "ping.hoarder2", "conf.Ping", "");
    conf_wait_log(1);
    conf_flush();

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
