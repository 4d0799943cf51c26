#define _POSIX_C_SOURCE 200809L
/* remote_spawn_options: a remote spawn carries the supervisor, the mailbox, the passivation
 * and the reentrancy to the spawning node (akt_remote_spawn_with); a function (a decider, a
 * priority compare) cannot cross and is refused here, leaving nothing there. */
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

static int by_nothing(akt_msg *a, akt_msg *b, void *data) {
    (void)a, (void)b, (void)data;
    return 0;
}

static int restart_all(int code, const char *reason, void *data) {
    (void)code, (void)reason, (void)data;
    return AKT_DIRECTIVE_RESTART;
}

/* Waits until peer has no actor at path. */
static void wait_gone(akt_system *peer, const char *path) {
    for (int i = 0;; i++) {
        akt_pid gone;
        if (akt_lookup(peer, path, &gone) != 0) return;
        if (i > 1000) conf_fatal("%s did not stop", path);
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

int main(void) {
    char buf[512], peer_address[256];
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

    /* 2. A supervisor that stops, against the default that restarts. */
    akt_supervisor stop = {.size = sizeof stop,
                           .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                           .default_directive = AKT_DIRECTIVE_STOP};
    akt_remote_spawn_options o;
    CONF_OK(akt_remote_spawn_options_init(&o));
    o.timeout_ns = wait;
    o.supervisor = &stop;
    akt_pid strict, lenient, p;
    conf_say("spawn.strict", "%s",
             conf_rc(akt_remote_spawn_with(sys, peer_address, "boss", "strict", &o, &strict)));
    conf_say("spawn.lenient", "%s",
             conf_rc(akt_remote_spawn_with(sys, peer_address, "boss", "lenient", NULL, &lenient)));
    conf_say("child.strict", "%s", conf_ask_str(sys, strict, "conf.Spawn", "", buf, sizeof buf));
    conf_say("child.lenient", "%s", conf_ask_str(sys, lenient, "conf.Spawn", "", buf, sizeof buf));
    CONF_OK(conf_tell(peer, conf_lookup(peer, "/user/strict/c"), "conf.Fail", "boom"));
    CONF_OK(conf_tell(peer, conf_lookup(peer, "/user/lenient/c"), "conf.Fail", "boom"));
    wait_gone(peer, "/user/strict/c");
    conf_say("supervise.strict", "stopped");
    conf_say("supervise.lenient", "%s",
             conf_ask_str(peer, conf_lookup(peer, "/user/lenient/c"), "conf.Question", "after", buf,
                          sizeof buf));

    /* 3. Passivated after two messages. */
    akt_passivation pv = {.size = sizeof pv, .strategy = AKT_PASSIVATE_MESSAGES, .messages = 2};
    CONF_OK(akt_remote_spawn_options_init(&o));
    o.passivation = &pv;
    conf_say("spawn.brief", "%s",
             conf_rc(akt_remote_spawn_with(sys, peer_address, "boss", "brief", &o, &p)));
    conf_say("brief.first", "%s", conf_ask_str(sys, p, "conf.Question", "one", buf, sizeof buf));
    conf_say("brief.second", "%s", conf_ask_str(sys, p, "conf.Question", "two", buf, sizeof buf));
    wait_gone(peer, "/user/brief");
    conf_say("passivate.brief", "ok");

    /* 4. A bounded mailbox crosses; a priority one (a compare function) cannot. */
    akt_mailbox_spec mb = {
        .size = sizeof mb, .kind = AKT_MAILBOX_FIFO, .capacity = 4, .when_full = AKT_MAILBOX_FAIL};
    CONF_OK(akt_remote_spawn_options_init(&o));
    o.mailbox = &mb;
    conf_say("spawn.bounded", "%s",
             conf_rc(akt_remote_spawn_with(sys, peer_address, "boss", "bounded", &o, &p)));
    conf_say("ask.bounded", "%s", conf_ask_str(sys, p, "conf.Question", "hi", buf, sizeof buf));
    akt_mailbox_spec pr = {.size = sizeof pr, .kind = AKT_MAILBOX_PRIORITY, .compare = by_nothing};
    o.mailbox = &pr;
    conf_say("spawn.priority", "%s",
             conf_rc(akt_remote_spawn_with(sys, peer_address, "boss", "ranked", &o, &p)));

    /* 5. Reentrancy. */
    CONF_OK(akt_remote_spawn_options_init(&o));
    o.reentrancy = AKT_REENTRANCY_ALLOW_ALL;
    o.max_in_flight = 4;
    conf_say("spawn.reentrant", "%s",
             conf_rc(akt_remote_spawn_with(sys, peer_address, "boss", "reentrant", &o, &p)));
    conf_say("ask.reentrant", "%s", conf_ask_str(sys, p, "conf.Question", "hi", buf, sizeof buf));

    /* 6. A decider cannot cross: refused here, nothing there. */
    akt_supervisor decided = {.size = sizeof decided,
                              .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                              .default_directive = AKT_DIRECTIVE_RESTART,
                              .decide = restart_all};
    CONF_OK(akt_remote_spawn_options_init(&o));
    o.supervisor = &decided;
    conf_say("spawn.decided", "%s",
             conf_rc(akt_remote_spawn_with(sys, peer_address, "boss", "decided", &o, &p)));
    akt_pid there;
    conf_say("decided.there", "%s", conf_rc(akt_lookup(peer, "/user/decided", &there)));

    conf_system_finish(sys);
    CONF_OK(akt_system_shutdown(peer, NULL, NULL));
    CONF_OK(akt_system_wait(peer, wait));
    CONF_OK(akt_system_release(peer));
    return 0;
}
