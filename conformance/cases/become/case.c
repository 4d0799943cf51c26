/* become: become (replace), become stacked (push), unbecome stacked (pop), unbecome (reset). */
#include "conf.h"

#include <string.h>

static int sad_receive(akt_ctx *ctx, akt_msg *msg, void *state);
static int angry_receive(akt_ctx *ctx, akt_msg *msg, void *state);
static int calm_receive(akt_ctx *ctx, akt_msg *msg, void *state);

static akt_receive_fn handler_named(const char *mood) {
    if (strcmp(mood, "sad") == 0) return sad_receive;
    if (strcmp(mood, "angry") == 0) return angry_receive;
    if (strcmp(mood, "calm") == 0) return calm_receive;
    return NULL;
}

/* Every handler understands the same commands and differs only in the mood it answers.
 * Commands answer conf.Done "<ok or error name>". */
static int any_mood(akt_ctx *ctx, akt_msg *msg, void *state, const char *mood) {
    char text[32];
    if (conf_is(msg, "conf.Get")) return conf_respond(ctx, "conf.Mood", mood);
    if (conf_is(msg, "conf.Become") || conf_is(msg, "conf.Push")) {
        akt_receive_fn next = handler_named(conf_text(msg, text, sizeof text));
        int rc = akt_ctx_become(ctx, next, state, conf_is(msg, "conf.Push"));
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    if (conf_is(msg, "conf.Pop"))
        return conf_respond(ctx, "conf.Done", conf_rc(akt_ctx_unbecome_stacked(ctx)));
    if (conf_is(msg, "conf.Reset"))
        return conf_respond(ctx, "conf.Done", conf_rc(akt_ctx_unbecome(ctx)));
    return AKT_EUNHANDLED;
}

/* The behaviour's own handler. */
static int happy_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return any_mood(ctx, msg, state, "happy");
}
static int sad_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return any_mood(ctx, msg, state, "sad");
}
static int angry_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return any_mood(ctx, msg, state, "angry");
}
static int calm_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return any_mood(ctx, msg, state, "calm");
}

static const akt_behavior mood_behavior = {.size = sizeof(akt_behavior), .receive = happy_receive};

/* One command or query, printed as "<step>: <reply>". */
static void step(akt_system *sys, akt_pid pid, const char *name, const char *type,
                 const char *text) {
    char buf[256];
    conf_say(name, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_pid mood = conf_spawn(sys, &mood_behavior, NULL, "mood");

    /* 1. Stacked handlers pop back in reverse order. */
    step(sys, mood, "get", "conf.Get", "");
    step(sys, mood, "push.angry", "conf.Push", "angry");
    step(sys, mood, "get", "conf.Get", "");
    step(sys, mood, "push.calm", "conf.Push", "calm");
    step(sys, mood, "get", "conf.Get", "");
    step(sys, mood, "pop", "conf.Pop", "");
    step(sys, mood, "get", "conf.Get", "");
    step(sys, mood, "pop", "conf.Pop", "");
    step(sys, mood, "get", "conf.Get", "");
    /* Nothing stacked any more. */
    step(sys, mood, "pop", "conf.Pop", "");
    step(sys, mood, "get", "conf.Get", "");

    /* 2. Become replaces, whatever was stacked; unbecome goes back to the behaviour. */
    step(sys, mood, "become.sad", "conf.Become", "sad");
    step(sys, mood, "get", "conf.Get", "");
    step(sys, mood, "push.angry", "conf.Push", "angry");
    step(sys, mood, "get", "conf.Get", "");
    step(sys, mood, "become.calm", "conf.Become", "calm");
    step(sys, mood, "get", "conf.Get", "");
    step(sys, mood, "reset", "conf.Reset", "");
    step(sys, mood, "get", "conf.Get", "");

    /* 3. Unbecome also drops a stack. */
    step(sys, mood, "push.sad", "conf.Push", "sad");
    step(sys, mood, "push.angry", "conf.Push", "angry");
    step(sys, mood, "get", "conf.Get", "");
    step(sys, mood, "reset", "conf.Reset", "");
    step(sys, mood, "get", "conf.Get", "");

    conf_system_finish(sys);
    return 0;
}
