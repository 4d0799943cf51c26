/* watch: death watch, unwatch, watching an actor that is already gone. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

#define MAX_WATCHED 8

/* The watcher remembers, for each name it was asked to watch, the pid and the path it had
 * then: a stopped actor has no path any more, so the Terminated message is matched by pid. */
typedef struct watcher {
    struct {
        char name[32];
        akt_pid pid;
        char path[128];
    } watched[MAX_WATCHED];
    int count;
} watcher;

static int find_by_name(watcher *w, const char *name) {
    for (int i = 0; i < w->count; i++)
        if (strcmp(w->watched[i].name, name) == 0) return i;
    return -1;
}

/* conf.Watch "<name>": look the name up, remember it, watch it -> conf.Done "<ok|error>".
 * conf.Unwatch "<name>": unwatch the remembered pid. conf.Rewatch "<name>": watch the
 * remembered pid again. Terminated -> journal "terminated: <remembered path>". */
static int watcher_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    watcher *w = state;
    akt_system *sys = NULL;
    char name[32];
    CONF_OK(akt_ctx_system(ctx, &sys));
    if (conf_is(msg, AKT_TYPE_TERMINATED)) {
        akt_pid gone;
        CONF_OK(akt_msg_pid(msg, &gone));
        for (int i = 0; i < w->count; i++)
            if (w->watched[i].pid.id == gone.id) {
                conf_log("terminated", "%s", w->watched[i].path);
                return 0;
            }
        conf_log("terminated", "an actor that was never watched");
        return 0;
    }
    if (conf_is(msg, "conf.Watch")) {
        akt_pid pid;
        int rc = akt_lookup(sys, conf_text(msg, name, sizeof name), &pid);
        if (rc == 0 && w->count < MAX_WATCHED) {
            int i = w->count++;
            snprintf(w->watched[i].name, sizeof w->watched[i].name, "%s", name);
            w->watched[i].pid = pid;
            conf_path(sys, pid, w->watched[i].path, sizeof w->watched[i].path);
            rc = akt_ctx_watch(ctx, pid);
        }
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    if (conf_is(msg, "conf.Unwatch") || conf_is(msg, "conf.Rewatch")) {
        int i = find_by_name(w, conf_text(msg, name, sizeof name));
        int rc = i < 0                          ? AKT_ENOTFOUND
                 : conf_is(msg, "conf.Unwatch") ? akt_ctx_unwatch(ctx, w->watched[i].pid)
                                                : akt_ctx_watch(ctx, w->watched[i].pid);
        return conf_respond(ctx, "conf.Done", conf_rc(rc));
    }
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    return AKT_EUNHANDLED;
}

/* The watched actors do nothing but exist. */
static int idle_receive(akt_ctx *ctx, akt_msg *msg, void *state) { return AKT_EUNHANDLED; }

static const akt_behavior watcher_behavior = {.size = sizeof(akt_behavior),
                                              .receive = watcher_receive};
static const akt_behavior idle_behavior = {.size = sizeof(akt_behavior), .receive = idle_receive};

static void step(akt_system *sys, akt_pid pid, const char *name, const char *type,
                 const char *text) {
    char buf[256];
    conf_say(name, "%s", conf_ask_str(sys, pid, type, text, buf, sizeof buf));
}

int main(void) {
    static watcher state;
    akt_system *sys = conf_system_create();
    akt_pid watcher_pid = conf_spawn(sys, &watcher_behavior, &state, "watcher");
    akt_pid w1 = conf_spawn(sys, &idle_behavior, NULL, "w1");
    akt_pid w2 = conf_spawn(sys, &idle_behavior, NULL, "w2");
    akt_pid w3 = conf_spawn(sys, &idle_behavior, NULL, "w3");

    /* 1. Watch w1 and w2, then unwatch w2; a name that is no actor cannot be watched. */
    step(sys, watcher_pid, "watch.w1", "conf.Watch", "w1");
    step(sys, watcher_pid, "watch.w2", "conf.Watch", "w2");
    step(sys, watcher_pid, "unwatch.w2", "conf.Unwatch", "w2");
    step(sys, watcher_pid, "watch.nobody", "conf.Watch", "nobody");

    /* 2. The unwatched w2 stops first; only w1's Terminated arrives. */
    conf_say("stop.w2", "%s", conf_rc(conf_stop_graceful(sys, w2)));
    conf_say("stop.w1", "%s", conf_rc(conf_stop_graceful(sys, w1)));
    conf_wait_log(1);
    step(sys, watcher_pid, "ping", "conf.Ping", "");
    conf_flush();

    /* 3. Watching twice is one watch: one Terminated for w3. */
    step(sys, watcher_pid, "watch.w3", "conf.Watch", "w3");
    step(sys, watcher_pid, "rewatch.w3", "conf.Rewatch", "w3");
    conf_say("stop.w3", "%s", conf_rc(akt_stop(sys, w3)));
    conf_wait_log(1);
    step(sys, watcher_pid, "ping", "conf.Ping", "");
    conf_flush();

    /* 4. Watching an actor that is already gone: Terminated at once. */
    step(sys, watcher_pid, "rewatch.w1", "conf.Rewatch", "w1");
    conf_wait_log(1);
    conf_flush();

    conf_system_finish(sys);
    return 0;
}
