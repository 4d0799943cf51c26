/* spawn_started: akt_spawn returns after pre_start; its children are visible at once. */
#include "conf.h"

#include <stdio.h>

static int child_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    return AKT_EUNHANDLED;
}

static const akt_behavior child_behavior = {.size = sizeof(akt_behavior), .receive = child_receive};

static int parent_pre_start(akt_ctx *ctx, void *state) {
    (void)state;
    char path[256];
    conf_log("pre_start", "%s", conf_self_path(ctx, path, sizeof path));
    akt_spawn_options options;
    CONF_OK(akt_spawn_options_init(&options));
    options.name = "child";
    akt_pid child;
    CONF_OK(akt_ctx_spawn(ctx, &child_behavior, NULL, &options, &child));
    akt_system *sys = NULL;
    CONF_OK(akt_ctx_system(ctx, &sys));
    conf_log("spawned", "%s", conf_path(sys, child, path, sizeof path));
    return 0;
}

static const akt_behavior parent_behavior = {
    .size = sizeof(akt_behavior), .receive = child_receive, .pre_start = parent_pre_start};

static void spawn_and_look(akt_system *sys, const char *name, const char *step) {
    conf_spawn(sys, &parent_behavior, NULL, name);
    conf_flush(); /* pre_start ran before the spawn returned */
    char path[64], buf[256];
    snprintf(path, sizeof path, "%s/child", name);
    akt_pid child;
    int rc = akt_lookup(sys, path, &child);
    conf_say(step, "%s", rc ? akt_err_name(rc) : conf_path(sys, child, buf, sizeof buf));
}

int main(void) {
    akt_system *sys = conf_system_create();
    spawn_and_look(sys, "parent", "lookup.child");
    spawn_and_look(sys, "other", "lookup.other");
    conf_system_finish(sys);
    return 0;
}
