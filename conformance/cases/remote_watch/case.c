/* remote_watch: a watched remote actor that is stopped, one poisoned behind tells, and one
 * whose node goes away: each sends Terminated to its watcher. */
#include "conf_remote.h"

#include <akt/remote.h>
#include <stdio.h>
#include <string.h>

/* target, sink, other: conf.Note "<n>" -> journals it. */
static int noter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[64];
    (void)ctx;
    (void)state;
    if (!conf_is(msg, "conf.Note")) return AKT_EUNHANDLED;
    conf_log("peer.note", "%s", conf_text(msg, text, sizeof text));
    return 0;
}

/* watcher: conf.Watch "<address>" -> watches that remote pid; Terminated -> journals the
 * last segment of its path (a remote pid's path is its address). */
static int watcher_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[512];
    akt_system *sys = NULL;
    (void)state;
    CONF_OK(akt_ctx_system(ctx, &sys));
    if (conf_is(msg, AKT_TYPE_TERMINATED)) {
        akt_pid gone;
        CONF_OK(akt_msg_pid(msg, &gone));
        conf_path(sys, gone, text, sizeof text);
        const char *slash = strrchr(conf_text(msg, text, sizeof text), '/');
        conf_log("terminated", "%s", slash ? slash + 1 : text);
        return 0;
    }
    if (conf_is(msg, "conf.Watch")) {
        akt_pid pid;
        int rc = akt_remote_lookup(sys, conf_text(msg, text, sizeof text), &pid);
        if (rc == 0) rc = akt_ctx_watch(ctx, pid);
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior noter_behavior = {.size = sizeof(akt_behavior), .receive = noter_receive};
static const akt_behavior watcher_behavior = {.size = sizeof(akt_behavior),
                                              .receive = watcher_receive};

int main(void) {
    static const char *const names[] = {"target", "sink", "other"};
    char buf[512], peer_address[256], full[512];
    akt_system *sys = conf_system_create();
    akt_system *peer = conf_node_create("peer");

    /* 1. Remoting on both nodes; three actors on the peer. */
    conf_remote_start(sys);
    conf_remote_start(peer);
    CONF_OK(akt_remote_address(peer, peer_address, sizeof peer_address, NULL));
    conf_say("remote.start", "ok");
    for (int i = 0; i < 3; i++) conf_spawn(peer, &noter_behavior, NULL, names[i]);

    /* 2. The watcher watches the three remote pids. */
    akt_pid watcher = conf_spawn(sys, &watcher_behavior, NULL, "watcher");
    for (int i = 0; i < 3; i++) {
        char step[32];
        snprintf(full, sizeof full, "%s/user/%s", peer_address, names[i]);
        snprintf(step, sizeof step, "watch.%s", names[i]);
        conf_say(step, "%s", conf_ask_str(sys, watcher, "conf.Watch", full, buf, sizeof buf));
    }

    /* 3. A remote stop: the peer stops its actor, the watcher gets Terminated. */
    akt_pid target, sink;
    snprintf(full, sizeof full, "%s/user/target", peer_address);
    CONF_OK(akt_remote_lookup(sys, full, &target));
    conf_say("stop.target", "%s", conf_rc(akt_stop(sys, target)));
    conf_wait_log(1);
    conf_flush();

    /* 4. A remote poison behind three tells. */
    snprintf(full, sizeof full, "%s/user/sink", peer_address);
    CONF_OK(akt_remote_lookup(sys, full, &sink));
    CONF_OK(conf_tell(sys, sink, "conf.Note", "1"));
    CONF_OK(conf_tell(sys, sink, "conf.Note", "2"));
    CONF_OK(conf_tell(sys, sink, "conf.Note", "3"));
    conf_say("poison.sink", "%s", conf_rc(akt_poison(sys, sink)));
    conf_wait_log(4);
    conf_flush();

    /* 5. The peer goes away: its watched actor is terminated. */
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, 10 * 1000 * CONF_MS));
    CONF_OK(akt_system_release(peer));
    conf_say("peer.shutdown", "ok");
    conf_wait_log(1);
    conf_flush();

    conf_system_finish(sys);
    return 0;
}
