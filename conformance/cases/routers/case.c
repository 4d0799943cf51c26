/* routers: round-robin order, broadcast, consistent hash, scatter-gather-first. */
#include "conf.h"

#include <stdio.h>
#include <string.h>

/* A worker: conf.Who -> conf.Me <path>; conf.Note <t> -> journal; conf.Race -> only w1
 * answers. */
static int worker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char self[256], text[64];
    conf_self_path(ctx, self, sizeof self);
    if (conf_is(msg, "conf.Who")) return conf_respond(ctx, "conf.Me", self);
    if (conf_is(msg, "conf.Note")) {
        conf_log("note", "%s %s", self, conf_text(msg, text, sizeof text));
        return 0;
    }
    if (conf_is(msg, "conf.Race")) {
        size_t n = strlen(self);
        return n > 3 && strcmp(self + n - 3, "/w1") == 0 ? conf_respond(ctx, "conf.Me", self) : 0;
    }
    return AKT_EUNHANDLED;
}

static const akt_behavior worker = {.size = sizeof(akt_behavior), .receive = worker_receive};

static akt_pid router(akt_system *sys, const char *name, int strategy, const akt_pid *w) {
    akt_router_options o;
    CONF_OK(akt_router_options_init(&o));
    o.strategy = strategy;
    o.routees = w;
    o.routee_count = 3;
    o.within_ns = 2000 * CONF_MS;
    akt_pid pid;
    CONF_OK(akt_router_spawn(sys, NULL, name, &o, &pid));
    return pid;
}

int main(void) {
    char a[256], b[256];
    akt_system *sys = conf_system_create();
    akt_pid w[3] = {conf_spawn(sys, &worker, NULL, "w0"), conf_spawn(sys, &worker, NULL, "w1"),
                    conf_spawn(sys, &worker, NULL, "w2")};

    /* 1. Round-robin: in routee order. */
    akt_pid rr = router(sys, "rr", AKT_ROUTE_ROUND_ROBIN, w);
    for (int i = 0; i < 4; i++)
        conf_say("rr", "%s", conf_ask_str(sys, rr, "conf.Who", "", a, sizeof a));

    /* 2. Broadcast: every routee. */
    CONF_OK(akt_router_broadcast(sys, rr, conf_msg("conf.Note", "hello")));
    conf_wait_log(3);
    conf_flush_sorted();

    /* 3. Consistent hash: one key, one routee. */
    akt_pid ch = router(sys, "ch", AKT_ROUTE_CONSISTENT_HASH, w);
    const char *keys[] = {"k1", "k2"};
    for (int i = 0; i < 2; i++) {
        conf_ask_str(sys, ch, "conf.Who", keys[i], a, sizeof a);
        conf_ask_str(sys, ch, "conf.Who", keys[i], b, sizeof b);
        char step[16];
        snprintf(step, sizeof step, "ch.%s", keys[i]);
        conf_say(step, "%s", strcmp(a, b) == 0 ? "same" : "different");
    }

    /* 4. Scatter-gather-first: the first (here the only) reply answers. */
    akt_pid sg = router(sys, "sg", AKT_ROUTE_SCATTER_GATHER_FIRST, w);
    conf_say("sg", "%s", conf_ask_str(sys, sg, "conf.Race", "", a, sizeof a));

    /* 5. The routees. */
    akt_pid pids[8];
    size_t n = 0;
    CONF_OK(akt_router_routees(sys, rr, pids, 8, &n));
    conf_say("routees", "%zu", n);

    conf_system_finish(sys);
    return 0;
}
