#define _DEFAULT_SOURCE
/* Remote spawn with options (akt_remote_spawn_with): the supervisor, the mailbox, the
 * passivation and the reentrancy cross to the spawning node and take effect there; what
 * cannot cross (a function) is refused on the caller's node, what the spawning node does not
 * accept is refused by it, and neither leaves an actor behind. Two systems in one process
 * over 127.0.0.1. */
#include "tu.h"

#include <akt/remote.h>
#include <akt/telemetry.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static akt_system *node(const char *name) {
    akt_system *s = tu_system(name, 2);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    TU_OK(akt_remote_start(s, &o));
    return s;
}

/* ---- the kind: a boss whose children fail on "boom", and a gate to hold its turn --------- */

static tu_gate hold_gate;
static atomic_int holding;

static int child_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    uint64_t *n = st;
    if (tu_is(msg, "boom")) return AKT_EBUSY; /* a failure with a code a rule can name */
    if (tu_is(msg, "noop")) return 0;
    if (tu_is(msg, "add")) {
        *n += 1;
        return 0;
    }
    return tu_reply_u64(ctx, "count", *n);
}

static const akt_behavior child_behavior = {
    .size = sizeof(akt_behavior), .receive = child_receive, .free_state = free};

static int boss_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "spawn")) { /* a child named "c" */
        akt_spawn_options so;
        akt_spawn_options_init(&so);
        so.name = "c";
        akt_pid c;
        uint64_t *n = calloc(1, sizeof *n);
        int rc = akt_ctx_spawn(ctx, &child_behavior, n, &so, &c);
        if (rc) free(n);
        return tu_reply_u64(ctx, "spawned", (uint64_t)(rc == 0));
    }
    if (tu_is(msg, "hold")) {
        atomic_store(&holding, 1);
        tu_gate_wait(&hold_gate);
        return 0;
    }
    if (tu_is(msg, "work")) return 0;
    return tu_reply_u64(ctx, "pong", 0);
}

static const akt_behavior boss_behavior = {.size = sizeof(akt_behavior), .receive = boss_receive};

static int boss_activate(void *kind_data, const char *name, const akt_behavior **b, void **st) {
    (void)kind_data, (void)name;
    *b = &boss_behavior;
    *st = NULL;
    return 0;
}

static void register_boss(akt_system *s) {
    akt_grain_kind k;
    TU_OK(akt_grain_kind_init(&k));
    k.activate = boss_activate;
    k.deactivate_after_ns = 0;
    TU_OK(akt_grain_kind_register(s, "boss", &k));
}

static void addr(akt_system *s, char *out, size_t cap) {
    TU_OK(akt_remote_address(s, out, cap, NULL));
}

static akt_pid local_of(akt_system *b, const char *path) {
    akt_pid p;
    TU_OK(akt_lookup(b, path, &p));
    return p;
}

/* ---- tests ------------------------------------------------------------------------------- */

/* A rule AKT_EBUSY -> STOP in the remote spawn's supervisor stops the boss's failing child
 * where the default (restart) keeps it: the strategy crossed and rules the children. */
static void test_supervisor_crosses(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    register_boss(b);
    char baddr[200];
    addr(b, baddr, sizeof baddr);

    akt_supervisor_rule rule = {.code = AKT_EBUSY, .directive = AKT_DIRECTIVE_STOP};
    akt_supervisor sup = {.size = sizeof sup,
                          .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                          .default_directive = AKT_DIRECTIVE_RESTART,
                          .rules = &rule,
                          .rule_count = 1};
    akt_remote_spawn_options o;
    TU_OK(akt_remote_spawn_options_init(&o));
    o.supervisor = &sup;
    akt_pid strict, lenient;
    TU_OK(akt_remote_spawn_with(a, baddr, "boss", "strict", &o, &strict));
    TU_OK(akt_remote_spawn_with(a, baddr, "boss", "lenient", NULL, &lenient));
    assert_int_equal(tu_ask_u64(a, strict, "spawn"), 1);
    assert_int_equal(tu_ask_u64(a, lenient, "spawn"), 1);

    akt_pid sc = local_of(b, "/user/strict/c"), lc = local_of(b, "/user/lenient/c");
    TU_OK(akt_tell(b, sc, tu_msg_u64("add", 1)));
    TU_OK(akt_tell(b, lc, tu_msg_u64("add", 1)));
    TU_OK(akt_tell(b, sc, tu_msg_u64("boom", 0)));
    TU_OK(akt_tell(b, lc, tu_msg_u64("boom", 0)));
    tu_wait_dead(b, sc); /* the rule stopped it */
    /* The default restarted it (a C actor keeps its state across a restart). */
    assert_int_equal(tu_ask_u64(b, lc, "get"), 1);
    akt_actor_metrics lm = {.size = sizeof lm};
    TU_OK(akt_metrics_actor(b, lc, &lm));
    assert_int_equal(lm.restarts, 1);
    assert_true(akt_pid_is_alive(b, lc));
    /* The kind is the actor's telemetry kind there. */
    akt_actor_metrics m = {.size = sizeof m};
    TU_OK(akt_metrics_actor(b, local_of(b, "/user/strict"), &m));
    assert_non_null(m.kind);
    assert_string_equal(m.kind, "boss");
    tu_system_end(a);
    tu_system_end(b);
}

/* A bounded mailbox (1, FAIL) crossed: with the boss held in its turn, one message waits and
 * the next one is refused with AKT_EFULL on its node. */
static void test_mailbox_crosses(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    register_boss(b);
    char baddr[200];
    addr(b, baddr, sizeof baddr);
    tu_gate_init(&hold_gate);
    atomic_store(&holding, 0);

    akt_mailbox_spec mb = {
        .size = sizeof mb, .kind = AKT_MAILBOX_FIFO, .capacity = 1, .when_full = AKT_MAILBOX_FAIL};
    akt_remote_spawn_options o;
    TU_OK(akt_remote_spawn_options_init(&o));
    o.mailbox = &mb;
    akt_pid p;
    TU_OK(akt_remote_spawn_with(a, baddr, "boss", "bounded", &o, &p));
    assert_int_equal(tu_ask_u64(a, p, "ping"), 0);
    akt_pid here = local_of(b, "/user/bounded");
    TU_OK(akt_tell(b, here, tu_msg_u64("hold", 0)));
    TU_EVENTUALLY(atomic_load(&holding) == 1);
    TU_OK(akt_tell(b, here, tu_msg_u64("work", 0)));
    akt_msg *m = tu_msg_u64("work", 0);
    TU_RC(AKT_EFULL, akt_tell(b, here, m));
    akt_msg_release(m); /* refused: still ours */
    tu_gate_open(&hold_gate);
    /* The waiting "work" holds the one slot until it is taken: an ask before that is refused. */
    akt_actor_metrics am = {.size = sizeof am};
    TU_EVENTUALLY(akt_metrics_actor(b, here, &am) == AKT_OK && am.processed >= 3 &&
                  am.mailbox_size == 0);
    assert_int_equal(tu_ask_u64(a, p, "ping"), 0);
    tu_system_end(a);
    tu_system_end(b);
    tu_gate_destroy(&hold_gate);
}

/* Passivation after 2 messages crossed: the actor stops itself there after its second. */
static void test_passivation_crosses(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    register_boss(b);
    char baddr[200];
    addr(b, baddr, sizeof baddr);
    akt_passivation pv = {.size = sizeof pv, .strategy = AKT_PASSIVATE_MESSAGES, .messages = 2};
    akt_remote_spawn_options o;
    TU_OK(akt_remote_spawn_options_init(&o));
    o.passivation = &pv;
    akt_pid p, q;
    TU_OK(akt_remote_spawn_with(a, baddr, "boss", "brief", &o, &p));
    TU_OK(akt_remote_spawn_with(a, baddr, "boss", "lasting", NULL, &q));
    akt_pid brief = local_of(b, "/user/brief"), lasting = local_of(b, "/user/lasting");
    assert_int_equal(tu_ask_u64(a, p, "ping"), 0);
    assert_int_equal(tu_ask_u64(a, q, "ping"), 0);
    TU_OK(akt_tell(a, p, tu_msg_u64("work", 0)));
    TU_OK(akt_tell(a, q, tu_msg_u64("work", 0)));
    tu_wait_dead(b, brief);
    assert_int_equal(tu_ask_u64(a, q, "ping"), 0);
    assert_true(akt_pid_is_alive(b, lasting));
    tu_system_end(a);
    tu_system_end(b);
}

/* What cannot cross is refused here; what the spawning node refuses comes back as its code;
 * neither leaves an actor there. */
static int decide_restart(int code, const char *reason, void *data) {
    (void)code, (void)reason, (void)data;
    return AKT_DIRECTIVE_RESTART;
}
static int cmp_any(akt_msg *x, akt_msg *y, void *data) {
    (void)x, (void)y, (void)data;
    return 0;
}

static void test_refusals_leave_nothing(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    register_boss(b);
    char baddr[200];
    addr(b, baddr, sizeof baddr);
    akt_pid x;
    akt_remote_spawn_options o;

    akt_supervisor sup = {.size = sizeof sup,
                          .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                          .default_directive = AKT_DIRECTIVE_RESTART,
                          .decide = decide_restart};
    TU_OK(akt_remote_spawn_options_init(&o));
    o.supervisor = &sup; /* a decider is a function */
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(a, baddr, "boss", "r1", &o, &x));

    akt_mailbox_spec mb = {.size = sizeof mb, .kind = AKT_MAILBOX_PRIORITY, .compare = cmp_any};
    TU_OK(akt_remote_spawn_options_init(&o));
    o.mailbox = &mb; /* a priority order is a function */
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(a, baddr, "boss", "r2", &o, &x));

    akt_passivation pv = {.size = sizeof pv, .strategy = AKT_PASSIVATE_IDLE, .idle_ns = 0};
    TU_OK(akt_remote_spawn_options_init(&o));
    o.passivation = &pv;
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(a, baddr, "boss", "r3", &o, &x));

    TU_OK(akt_remote_spawn_options_init(&o));
    o.timeout_ns = 0;
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(a, baddr, "boss", "r4", &o, &x));

    /* Checked by the spawning node only (this side does not read a reentrancy mode or a
     * mailbox bound): its refusal comes back. */
    TU_OK(akt_remote_spawn_options_init(&o));
    o.reentrancy = 99;
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(a, baddr, "boss", "r5", &o, &x));
    akt_mailbox_spec block = {.size = sizeof block,
                              .kind = AKT_MAILBOX_FIFO,
                              .capacity = 4,
                              .when_full = AKT_MAILBOX_BLOCK,
                              .block_timeout_ns = 0};
    TU_OK(akt_remote_spawn_options_init(&o));
    o.mailbox = &block;
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(a, baddr, "boss", "r6", &o, &x));

    const char *names[] = {"/user/r1", "/user/r2", "/user/r3", "/user/r4", "/user/r5", "/user/r6"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        akt_pid none;
        TU_RC(AKT_ENOTFOUND, akt_lookup(b, names[i], &none));
    }
    /* The names are free: a good spawn of one works afterwards. */
    TU_OK(akt_remote_spawn_options_init(&o));
    o.reentrancy = AKT_REENTRANCY_STASH;
    o.max_in_flight = 2;
    TU_OK(akt_remote_spawn_with(a, baddr, "boss", "r5", &o, &x));
    assert_int_equal(tu_ask_u64(a, x, "ping"), 0);
    /* NULL options and bad arguments. */
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(a, baddr, "boss", "r7", NULL, NULL));
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(NULL, baddr, "boss", "r7", NULL, &x));
    TU_RC(AKT_EINVAL, akt_remote_spawn_options_init(NULL));
    akt_remote_spawn_options tiny = {.size = sizeof(size_t)};
    TU_RC(AKT_EINVAL, akt_remote_spawn_with(a, baddr, "boss", "r7", &tiny, &x));
    tu_system_end(a);
    tu_system_end(b);
}

/* 1 once p refuses a tell as suspended (a "noop", which changes nothing when taken). */
static int suspended(akt_system *s, akt_pid p) {
    return tu_refused_suspended(s, p, tu_msg_u64("noop", 0));
}

/* akt_reinstate of a remote pid reinstates the actor on its node: a child suspended there
 * by its parent's rule (AKT_EBUSY -> SUSPEND, from the remote spawn) refuses tells until
 * the reinstate from the other node reaches it. */
static void test_reinstate_crosses(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    register_boss(b);
    char baddr[200], caddr[300];
    addr(b, baddr, sizeof baddr);
    akt_supervisor_rule rule = {.code = AKT_EBUSY, .directive = AKT_DIRECTIVE_SUSPEND};
    akt_supervisor sup = {.size = sizeof sup,
                          .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                          .default_directive = AKT_DIRECTIVE_RESTART,
                          .rules = &rule,
                          .rule_count = 1};
    akt_remote_spawn_options o;
    TU_OK(akt_remote_spawn_options_init(&o));
    o.supervisor = &sup;
    akt_pid boss, child;
    TU_OK(akt_remote_spawn_with(a, baddr, "boss", "keeper", &o, &boss));
    assert_int_equal(tu_ask_u64(a, boss, "spawn"), 1);
    snprintf(caddr, sizeof caddr, "%s/user/keeper/c", baddr);
    TU_OK(akt_remote_lookup(a, caddr, &child));
    akt_pid here = local_of(b, "/user/keeper/c");
    TU_OK(akt_tell(a, child, tu_msg_u64("add", 1)));
    TU_OK(akt_tell(a, child, tu_msg_u64("boom", 0)));
    TU_EVENTUALLY(suspended(b, here));
    TU_OK(akt_reinstate(a, child)); /* from the other node; asynchronous, as a local one */
    TU_EVENTUALLY(!suspended(b, here));
    /* The child's state was kept: 1 before the failure, then this ask. */
    assert_int_equal(tu_ask_u64(a, child, "get"), 1);
    TU_OK(akt_tell(b, here, tu_msg_u64("add", 1)));
    assert_int_equal(tu_ask_u64(b, here, "get"), 2);
    tu_system_end(a);
    tu_system_end(b);
}

/* Its own address: the options apply to the actor spawned here. */
static void test_options_apply_on_own_node(void **state) {
    (void)state;
    akt_system *a = node("alpha");
    register_boss(a);
    char aaddr[200];
    addr(a, aaddr, sizeof aaddr);
    akt_passivation pv = {.size = sizeof pv, .strategy = AKT_PASSIVATE_MESSAGES, .messages = 1};
    akt_remote_spawn_options o;
    TU_OK(akt_remote_spawn_options_init(&o));
    o.passivation = &pv;
    akt_pid p;
    TU_OK(akt_remote_spawn_with(a, aaddr, "boss", "once", &o, &p));
    TU_OK(akt_tell(a, p, tu_msg_u64("work", 0)));
    tu_wait_dead(a, p);
    tu_system_end(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_supervisor_crosses),        TU_TEST(test_mailbox_crosses),
        TU_TEST(test_passivation_crosses),       TU_TEST(test_refusals_leave_nothing),
        TU_TEST(test_options_apply_on_own_node), TU_TEST(test_reinstate_crosses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
