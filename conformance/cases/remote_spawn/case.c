#define _POSIX_C_SOURCE 200809L
/* remote_spawn: an actor of a kind registered on the peer, spawned from this node; the
 * errors of a taken name, an unknown kind and a bad name; a spawn again after a stop. */
#include "conf_remote.h"

#include <akt/remote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* counter (state: its name): conf.Question "<t>" -> conf.Answer "<name>:<t>". */
static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[128], answer[400];
    if (!conf_is(msg, "conf.Question")) return AKT_EUNHANDLED;
    snprintf(answer, sizeof answer, "%s:%s", (const char *)state,
             conf_text(msg, text, sizeof text));
    return conf_respond(ctx, "conf.Answer", answer);
}

static const akt_behavior counter_behavior = {
    .size = sizeof(akt_behavior), .receive = counter_receive, .free_state = free};

static int counter_activate(void *data, const char *name, const akt_behavior **b, void **state) {
    (void)data;
    char *copy = malloc(strlen(name) + 1);
    if (!copy) return AKT_ENOMEM;
    strcpy(copy, name);
    *b = &counter_behavior;
    *state = copy;
    return 0;
}

int main(void) {
    char buf[512], peer_address[256], path[512], want[512];
    akt_system *sys = conf_system_create();
    akt_system *peer = conf_node_create("peer");
    const int64_t wait = 10 * 1000 * CONF_MS;

    /* 1. Remoting on both nodes; the peer registers the kind. */
    conf_remote_start(sys);
    conf_remote_start(peer);
    CONF_OK(akt_remote_address(peer, peer_address, sizeof peer_address, NULL));
    conf_say("remote.start", "ok");
    akt_grain_kind kind;
    CONF_OK(akt_grain_kind_init(&kind));
    kind.activate = counter_activate;
    kind.deactivate_after_ns = 0;
    CONF_OK(akt_grain_kind_register(peer, "counter", &kind));

    /* 2. A remote spawn, and the pid's path. */
    akt_pid c1, other;
    conf_say("spawn.c1", "%s",
             conf_rc(akt_remote_spawn(sys, peer_address, "counter", "c1", wait, &c1)));
    snprintf(want, sizeof want, "%s/user/c1", peer_address);
    conf_say("spawn.path", "%s",
             strcmp(conf_path(sys, c1, path, sizeof path), want) == 0 ? "yes" : "no");

    /* 3. It answers, from here and on the peer itself. */
    conf_say("ask.reply", "%s", conf_ask_str(sys, c1, "conf.Question", "hello", buf, sizeof buf));
    conf_say("ask.again", "%s",
             conf_ask_str(peer, conf_lookup(peer, "/user/c1"), "conf.Question", "again", buf,
                          sizeof buf));

    /* 4. The errors come back as codes. */
    conf_say("spawn.duplicate", "%s",
             conf_rc(akt_remote_spawn(sys, peer_address, "counter", "c1", wait, &other)));
    conf_say("spawn.unknown_kind", "%s",
             conf_rc(akt_remote_spawn(sys, peer_address, "nosuch", "c2", wait, &other)));
    conf_say("spawn.bad_name", "%s",
             conf_rc(akt_remote_spawn(sys, peer_address, "counter", "a/b", wait, &other)));

    /* 5. A remote stop, then the name is free again. */
    CONF_OK(akt_stop(sys, c1));
    for (int i = 0;; i++) {
        akt_pid gone;
        if (akt_lookup(peer, "/user/c1", &gone) != 0) break;
        if (i > 1000) conf_fatal("the remote c1 did not stop");
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    conf_say("stop.c1", "ok");
    conf_say("spawn.after_stop", "%s",
             conf_rc(akt_remote_spawn(sys, peer_address, "counter", "c1", wait, &c1)));
    conf_say("ask.after_stop", "%s",
             conf_ask_str(sys, c1, "conf.Question", "fresh", buf, sizeof buf));

    conf_system_finish(sys);
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, wait));
    CONF_OK(akt_system_release(peer));
    return 0;
}
