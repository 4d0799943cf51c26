/* hierarchy: children, paths, lookup by relative and absolute paths, stopping a parent. */
#include "conf.h"

#include <stdatomic.h>
#include <stdio.h>

/* One behaviour for every node of the tree; the state names the node's children. */
typedef struct node {
    const char *child_names[2];
    struct node *child_states[2];
    int stop_rank; /* 1 for the first post_stop of the run, 2 for the next, ... */
} node;

static atomic_int stops_seen;

static int node_pre_start(akt_ctx *ctx, void *state);
static void node_post_stop(akt_ctx *ctx, void *state);

/* conf.Ping -> conf.Pong; conf.Parent -> conf.Path "<parent's path>". */
static int node_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (conf_is(msg, "conf.Ping")) return conf_respond(ctx, "conf.Pong", "");
    if (conf_is(msg, "conf.Parent")) {
        akt_system *sys = NULL;
        akt_pid parent;
        char path[256];
        CONF_OK(akt_ctx_system(ctx, &sys));
        CONF_OK(akt_ctx_parent(ctx, &parent));
        return conf_respond(ctx, "conf.Path", conf_path(sys, parent, path, sizeof path));
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior node_behavior = {
    .size = sizeof(akt_behavior),
    .receive = node_receive,
    .pre_start = node_pre_start,
    .post_stop = node_post_stop,
};

/* Children are spawned before the node handles its first message. */
static int node_pre_start(akt_ctx *ctx, void *state) {
    node *self = state;
    for (int i = 0; i < 2 && self->child_names[i] != NULL; i++) {
        akt_spawn_options options;
        akt_pid child;
        CONF_OK(akt_spawn_options_init(&options));
        options.name = self->child_names[i];
        CONF_OK(akt_ctx_spawn(ctx, &node_behavior, self->child_states[i], &options, &child));
    }
    return 0;
}

static void node_post_stop(akt_ctx *ctx, void *state) {
    node *self = state;
    char path[256];
    /* Ranks are read by main only after the stop's future completed. */
    self->stop_rank = atomic_fetch_add(&stops_seen, 1) + 1;
    conf_log("post_stop", "%s", conf_self_path(ctx, path, sizeof path));
}

static const char *same(akt_pid a, akt_pid b) {
    return a.id == b.id ? "same pid" : "different pid";
}
static const char *yes_no(int b) { return b ? "yes" : "no"; }

int main(void) {
    /* parent -> {a -> {x}, b} */
    static node x = {{NULL}, {NULL}, 0};
    static node b = {{NULL}, {NULL}, 0};
    static node a = {{"x"}, {&x}, 0};
    static node parent = {{"a", "b"}, {&a, &b}, 0};
    char path[256], buf[256];
    akt_system *sys = conf_system_create();

    /* 1. The parent spawns a and b in its pre_start; a spawns x in its own. */
    akt_pid parent_pid = conf_spawn(sys, &node_behavior, &parent, "parent");
    conf_say("spawn.parent", "%s", conf_path(sys, parent_pid, path, sizeof path));
    conf_say("ping.parent", "%s", conf_ask_str(sys, parent_pid, "conf.Ping", "", buf, sizeof buf));

    /* 2. Paths by lookup: relative to /user, absolute, and with the system's address. */
    akt_pid a_pid = conf_lookup(sys, "parent/a");
    conf_say("path.a", "%s", conf_path(sys, a_pid, path, sizeof path));
    conf_say("ping.a", "%s", conf_ask_str(sys, a_pid, "conf.Ping", "", buf, sizeof buf));
    akt_pid b_pid = conf_lookup(sys, "/user/parent/b");
    conf_say("path.b", "%s", conf_path(sys, b_pid, path, sizeof path));
    akt_pid x_pid = conf_lookup(sys, "akt://conf/user/parent/a/x");
    conf_say("path.x", "%s", conf_path(sys, x_pid, path, sizeof path));
    conf_say("lookup.relative", "%s", same(conf_lookup(sys, "parent/a/x"), x_pid));
    conf_say("lookup.absolute", "%s", same(conf_lookup(sys, "/user/parent/a/x"), x_pid));
    akt_pid none;
    conf_say("lookup.missing", "%s", conf_rc(akt_lookup(sys, "parent/c", &none)));

    /* 3. A child knows its parent. */
    conf_say("parent.of_x", "%s", conf_ask_str(sys, x_pid, "conf.Parent", "", buf, sizeof buf));
    conf_say("parent.of_a", "%s", conf_ask_str(sys, a_pid, "conf.Parent", "", buf, sizeof buf));

    /* 4. Stopping the parent stops the children first. */
    conf_say("stop.parent", "%s", conf_rc(conf_stop_graceful(sys, parent_pid)));
    conf_flush_sorted(); /* a's subtree and b stop concurrently: sorted */
    conf_say("order.x_before_a", "%s", yes_no(x.stop_rank < a.stop_rank));
    conf_say("order.a_before_parent", "%s", yes_no(a.stop_rank < parent.stop_rank));
    conf_say("order.b_before_parent", "%s", yes_no(b.stop_rank < parent.stop_rank));
    conf_say("alive.x", "%d", akt_pid_is_alive(sys, x_pid));
    conf_say("lookup.after_stop", "%s", conf_rc(akt_lookup(sys, "parent/a/x", &none)));

    conf_system_finish(sys);
    return 0;
}
