/* mailboxes: bounded (fail, drop) and fair mailboxes as a spawn option. */
#include "conf.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* conf.Hold waits for release; anything else is recorded ("<text>"). */
typedef struct sink {
    atomic_int held, release, got;
    char seen[256];
} sink;

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    sink *s = state;
    char text[32];
    if (conf_is(msg, "conf.Hold")) {
        atomic_store(&s->held, 1);
        while (!atomic_load(&s->release)) sched_yield(); /* a latch the main thread opens */
        return 0;
    }
    size_t n = strlen(s->seen);
    snprintf(s->seen + n, sizeof s->seen - n, "%s%s", n ? " " : "",
             conf_text(msg, text, sizeof text));
    atomic_fetch_add(&s->got, 1);
    return 0;
}

static const akt_behavior sink_behavior = {.size = sizeof(akt_behavior), .receive = sink_receive};

static akt_pid spawn_held(akt_system *sys, sink *s, const akt_mailbox_spec *mb) {
    akt_spawn_options o;
    akt_pid pid;
    CONF_OK(akt_spawn_options_init(&o));
    o.mailbox = mb;
    CONF_OK(akt_spawn(sys, &sink_behavior, s, &o, &pid));
    CONF_OK(conf_tell(sys, pid, "conf.Hold", ""));
    while (!atomic_load(&s->held)) sched_yield();
    return pid;
}

static void wait_got(sink *s, int n) {
    while (atomic_load(&s->got) < n) sched_yield();
}

static atomic_int full_letters;

static void on_dead_letter(const akt_event *ev, void *data) {
    (void)data;
    if (ev->reason && strcmp(ev->reason, "mailbox full") == 0) atomic_fetch_add(&full_letters, 1);
}

/* conf.Go: tells the target "<tag>1".."<tag>3", then responds. */
typedef struct sender {
    akt_pid target;
    char tag;
} sender;

static int sender_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    sender *s = state;
    char text[8];
    for (int i = 1; i <= 3; i++) {
        snprintf(text, sizeof text, "%c%d", s->tag, i);
        CONF_OK(conf_ctx_tell(ctx, s->target, "conf.N", text));
    }
    return conf_respond(ctx, "conf.Done", "");
}

static const akt_behavior sender_behavior = {.size = sizeof(akt_behavior),
                                             .receive = sender_receive};

static void bounded(akt_system *sys, int when_full, const char *step) {
    static sink sinks[2];
    sink *s = &sinks[when_full];
    akt_mailbox_spec mb = {.size = sizeof mb, .capacity = 3, .when_full = when_full};
    akt_pid pid = spawn_held(sys, s, &mb);
    int accepted = 0, refused = 0, refusal = 0;
    for (int i = 0; i < 5; i++) {
        char text[8];
        snprintf(text, sizeof text, "%d", i);
        akt_msg *m = conf_msg("conf.N", text);
        int rc = akt_tell(sys, pid, m);
        if (rc == 0) {
            accepted++;
        } else {
            akt_msg_release(m); /* refused: still ours */
            refused++;
            refusal = rc;
        }
    }
    if (when_full == AKT_MAILBOX_FAIL) {
        conf_say(step, "accepted %d, refused %d (%s)", accepted, refused, conf_rc(refusal));
    } else {
        while (atomic_load(&full_letters) < 2) sched_yield();
        conf_say(step, "accepted %d, dead letters %d (mailbox full)", accepted,
                 atomic_load(&full_letters));
    }
    atomic_store(&s->release, 1);
    wait_got(s, 3);
    char received[64];
    snprintf(received, sizeof received, "%s.received", step);
    conf_say(received, "%s", s->seen);
}

int main(void) {
    akt_system *sys = conf_system_create();
    akt_subscription *sub;
    CONF_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, on_dead_letter, NULL, &sub));

    bounded(sys, AKT_MAILBOX_FAIL, "bounded.fail");
    bounded(sys, AKT_MAILBOX_DROP, "bounded.drop");

    static sink fair;
    akt_mailbox_spec mb = {.size = sizeof mb, .kind = AKT_MAILBOX_FAIR};
    akt_pid target = spawn_held(sys, &fair, &mb);
    static sender senders[3];
    for (int i = 0; i < 3; i++) {
        senders[i] = (sender){target, (char)('A' + i)};
        akt_pid p = conf_spawn(sys, &sender_behavior, &senders[i], NULL);
        char buf[64];
        conf_ask_str(sys, p, "conf.Go", "", buf, sizeof buf);
    }
    atomic_store(&fair.release, 1);
    wait_got(&fair, 9);
    conf_say("fair.received", "%s", fair.seen);

    CONF_OK(akt_unsubscribe(sub));
    conf_system_finish(sys);
    return 0;
}
