#define _POSIX_C_SOURCE 200809L
/* remote_reinstate: a child suspended on its node by the supervisor a remote spawn carried
 * (directive suspend) refuses messages from both nodes until akt_reinstate of its remote pid
 * reinstates it there. */
#include "conf_remote.h"

#include <akt/remote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* child: conf.Question "<t>" -> conf.Answer "c:<t>"; conf.Fail "<r>" fails with r. */
static int child_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    char text[128], answer[200];
    if (conf_is(msg, "conf.Fail")) return akt_ctx_fail(ctx, conf_text(msg, text, sizeof text));
    if (!conf_is(msg, "conf.Question")) return AKT_EUNHANDLED;
    snprintf(answer, sizeof answer, "c:%s", conf_text(msg, text, sizeof text));
    return conf_respond(ctx, "conf.Answer", answer);
}

static const akt_behavior child_behavior = {.size = sizeof(akt_behavior), .receive = child_receive};

/* boss (state: its name): conf.Question "<t>" -> conf.Answer "<name>:<t>"; conf.Spawn spawns
 * the child "c". */
static int boss_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    char text[128], answer[400];
    if (conf_is(msg, "conf.Spawn")) {
        akt_spawn_options so;
        akt_spawn_options_init(&so);
        so.name = "c";
        akt_pid c;
        int rc = akt_ctx_spawn(ctx, &child_behavior, NULL, &so, &c);
        return conf_respond(ctx, "conf.Answer", rc ? conf_rc(rc) : "spawned");
    }
    if (!conf_is(msg, "conf.Question")) return AKT_EUNHANDLED;
    snprintf(answer, sizeof answer, "%s:%s", (const char *)state,
             conf_text(msg, text, sizeof text));
    return conf_respond(ctx, "conf.Answer", answer);
}

static const akt_behavior boss_behavior = {
    .size = sizeof(akt_behavior), .receive = boss_receive, .free_state = free};

static int boss_activate(void *data, const char *name, const akt_behavior **b, void **state) {
    (void)data;
    char *copy = malloc(strlen(name) + 1);
    if (!copy) return AKT_ENOMEM;
    strcpy(copy, name);
    *b = &boss_behavior;
    *state = copy;
    return 0;
}

static void pause_10ms(void) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

int main(void) {
    char buf[512], peer_address[256], child_address[300];
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
    kind.activate = boss_activate;
    kind.deactivate_after_ns = 0;
    CONF_OK(akt_grain_kind_register(peer, "boss", &kind));

    /* 2. A boss whose children are suspended when they fail; its child, by remote pid. */
    akt_supervisor suspend = {.size = sizeof suspend,
                              .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                              .default_directive = AKT_DIRECTIVE_SUSPEND};
    akt_remote_spawn_options o;
    CONF_OK(akt_remote_spawn_options_init(&o));
    o.timeout_ns = wait;
    o.supervisor = &suspend;
    akt_pid keeper, child;
    conf_say("spawn.keeper", "%s",
             conf_rc(akt_remote_spawn_with(sys, peer_address, "boss", "keeper", &o, &keeper)));
    conf_say("child.keeper", "%s", conf_ask_str(sys, keeper, "conf.Spawn", "", buf, sizeof buf));
    snprintf(child_address, sizeof child_address, "%s/user/keeper/c", peer_address);
    conf_say("lookup.c", "%s", conf_rc(akt_remote_lookup(sys, child_address, &child)));

    /* 3. It fails: suspended there. */
    CONF_OK(conf_tell(sys, child, "conf.Fail", "boom"));
    akt_pid here = conf_lookup(peer, "/user/keeper/c");
    int rc;
    for (int i = 0; (rc = conf_tell(peer, here, "conf.Probe", "")) != AKT_ESUSPENDED; i++) {
        if (i > 1000) conf_fatal("the child was not suspended: %s", conf_rc(rc));
        pause_10ms();
    }
    conf_say("suspended.c", "%s", conf_rc(rc));

    /* 4. An ask from the other node is refused too. */
    conf_say("ask.suspended", "%s",
             conf_ask_str(sys, child, "conf.Question", "while", buf, sizeof buf));

    /* 5. Reinstated from the other node: it answers again. */
    conf_say("reinstate.c", "%s", conf_rc(akt_reinstate(sys, child)));
    for (int i = 0; (rc = conf_tell(peer, here, "conf.Probe", "")) == AKT_ESUSPENDED; i++) {
        if (i > 1000) conf_fatal("the child was not reinstated");
        pause_10ms();
    }
    conf_say("ask.reinstated", "%s",
             conf_ask_str(sys, child, "conf.Question", "back", buf, sizeof buf));

    /* 6. Reinstating an actor that is not suspended leaves it as it is. */
    conf_say("reinstate.running", "%s", conf_rc(akt_reinstate(sys, keeper)));
    conf_say("ask.running", "%s",
             conf_ask_str(sys, keeper, "conf.Question", "still", buf, sizeof buf));

    conf_system_finish(sys);
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, wait));
    CONF_OK(akt_system_release(peer));
    return 0;
}
