/* mailbox_priority: a priority mailbox orders the waiting messages; ties keep arrival order. */
#include "conf.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sent[] = {"3:a", "1:b", "2:c", "1:d", "3:e", "1:f", "2:g"};
#define NSENT (sizeof sent / sizeof *sent)

/* conf.Hold waits for release; anything else is recorded ("<text>"). */
typedef struct sink {
    atomic_int held, release, got;
    char seen[256];
} sink;

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
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

/* The number before the ':' of a message's text, lower first. */
static int by_priority(akt_msg *a, akt_msg *b, void *data) {
    (void)data;
    char ta[32], tb[32];
    int pa = atoi(conf_text(a, ta, sizeof ta)), pb = atoi(conf_text(b, tb, sizeof tb));
    return (pa > pb) - (pa < pb);
}

static void wait_got(sink *s, int n) {
    while (atomic_load(&s->got) < n) sched_yield();
}

int main(void) {
    akt_system *sys = conf_system_create();
    static sink s;
    akt_mailbox_spec mb = {.size = sizeof mb, .kind = AKT_MAILBOX_PRIORITY, .compare = by_priority};
    akt_spawn_options o;
    akt_pid pid;
    CONF_OK(akt_spawn_options_init(&o));
    o.mailbox = &mb;
    CONF_OK(akt_spawn(sys, &sink_behavior, &s, &o, &pid));
    CONF_OK(conf_tell(sys, pid, "conf.Hold", ""));
    while (!atomic_load(&s.held)) sched_yield();

    char line[128] = "";
    for (size_t i = 0; i < NSENT; i++) {
        CONF_OK(conf_tell(sys, pid, "conf.N", sent[i]));
        size_t n = strlen(line);
        snprintf(line + n, sizeof line - n, "%s%s", i ? " " : "", sent[i]);
    }
    conf_say("priority.sent", "%s", line);
    atomic_store(&s.release, 1);
    wait_got(&s, (int)NSENT);
    conf_say("priority.received", "%s", s.seen);

    s.seen[0] = '\0'; /* the actor is idle: nothing else writes seen meanwhile */
    CONF_OK(conf_tell(sys, pid, "conf.N", "0:h"));
    wait_got(&s, (int)NSENT + 1);
    conf_say("priority.after", "%s", s.seen);

    conf_system_finish(sys);
    return 0;
}
