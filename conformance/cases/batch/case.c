/* batch: tell_batch keeps order among other tells; ask_batch gives one future per message. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

typedef struct adder {
    char items[256]; /* the conf.Add texts, comma-separated, in arrival order */
} adder;

/* conf.Add "<k>" records k; conf.List -> conf.Items "<k1>,<k2>,..."; conf.Double "<k>" ->
 * conf.Doubled "<2k>". */
static int adder_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    adder *a = state;
    char text[32];
    if (conf_is(msg, "conf.Add")) {
        size_t used = strlen(a->items);
        snprintf(a->items + used, sizeof a->items - used, "%s%s", used ? "," : "",
                 conf_text(msg, text, sizeof text));
        return 0;
    }
    if (conf_is(msg, "conf.List")) return conf_respond(ctx, "conf.Items", a->items);
    if (conf_is(msg, "conf.Double")) {
        snprintf(text, sizeof text, "%ld", 2 * conf_num(msg));
        return conf_respond(ctx, "conf.Doubled", text);
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior adder_behavior = {.size = sizeof(akt_behavior), .receive = adder_receive};

/* n bytes messages: msgs[i] has type types[i] and text texts[i]. */
static void make_msgs(akt_msg **msgs, size_t n, const char *const *types,
                      const char *const *texts) {
    for (size_t i = 0; i < n; i++) msgs[i] = conf_msg(types[i], texts[i]);
}

static void release_msgs(akt_msg **msgs, size_t n) {
    for (size_t i = 0; i < n; i++) akt_msg_release(msgs[i]);
}

int main(void) {
    static adder adder_state, gone_state;
    static const char *const adds[] = {"conf.Add", "conf.Add", "conf.Add", "conf.Add", "conf.Add"};
    char buf[256], step[32];
    akt_msg *msgs[5];
    akt_future *futures[3];
    akt_system *sys = conf_system_create();
    akt_pid adder_pid = conf_spawn(sys, &adder_behavior, &adder_state, "adder");

    /* 1. A batch of five arrives in order. */
    make_msgs(msgs, 5, adds, (const char *const[]){"1", "2", "3", "4", "5"});
    conf_say("tell_batch", "%s", conf_rc(akt_tell_batch(sys, adder_pid, msgs, 5)));
    conf_say("list", "%s", conf_ask_str(sys, adder_pid, "conf.List", "", buf, sizeof buf));

    /* 2. A batch keeps its place among single tells. */
    CONF_OK(conf_tell(sys, adder_pid, "conf.Add", "6"));
    make_msgs(msgs, 2, adds, (const char *const[]){"7", "8"});
    conf_say("tell_batch", "%s", conf_rc(akt_tell_batch(sys, adder_pid, msgs, 2)));
    CONF_OK(conf_tell(sys, adder_pid, "conf.Add", "9"));
    conf_say("list", "%s", conf_ask_str(sys, adder_pid, "conf.List", "", buf, sizeof buf));

    /* 3. ask_batch: one future per message, each with its own result. */
    make_msgs(msgs, 3, (const char *const[]){"conf.Double", "conf.Nope", "conf.Double"},
              (const char *const[]){"1", "x", "3"});
    conf_say("ask_batch", "%s",
             conf_rc(akt_ask_batch(sys, adder_pid, msgs, 3, CONF_ASK_NS, futures)));
    for (int i = 0; i < 3; i++) {
        snprintf(step, sizeof step, "ask_batch.%d", i);
        conf_say(step, "%s", conf_future_str(futures[i], buf, sizeof buf));
    }

    /* 4. Batches to a stopped actor fail as a whole; the caller keeps every message. */
    akt_pid gone = conf_spawn(sys, &adder_behavior, &gone_state, "gone");
    conf_say("stop.gone", "%s", conf_rc(conf_stop_graceful(sys, gone)));
    make_msgs(msgs, 2, adds, (const char *const[]){"1", "2"});
    int rc = akt_tell_batch(sys, gone, msgs, 2);
    conf_say("tell_batch.stopped", "%s", conf_rc(rc));
    if (rc == 0) conf_fatal("a batch to a stopped actor was taken");
    rc = akt_ask_batch(sys, gone, msgs, 2, CONF_ASK_NS, futures);
    conf_say("ask_batch.stopped", "%s", conf_rc(rc));
    if (rc == 0) conf_fatal("a batch to a stopped actor was taken");
    release_msgs(msgs, 2);

    conf_system_finish(sys);
    return 0;
}
