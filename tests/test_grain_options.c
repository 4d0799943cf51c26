/* test_grain_options: a kind's mailbox (bounded, refusing when full), dependencies and
 * reentrancy, applied to every activation; bad options refused at registration. Options
 * per activation (akt_grain_tell_with / akt_grain_ask_with) override the kind's for the
 * activation they make, and leave an active grain as it is. */
#include "tu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static akt_system *sys;

static int go_setup(void **state) {
    sys = tu_system("grain_options", 2);
    return tu_setup(state);
}

static int go_teardown(void **state) {
    if (sys) tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define GO_TEST(f) cmocka_unit_test_setup_teardown(f, go_setup, go_teardown)

/* ---- a grain ------------------------------------------------------------------------ */

/* What every activation of a test's kind shares. */
typedef struct kind_obs {
    tu_gate *gate;      /* "wait" blocks on it */
    akt_pid server;     /* "go" requests "inc" from it */
    atomic_int handled; /* user messages but "wait" */
    atomic_int deactivated;
    tu_log log;
} kind_obs;

typedef struct grain {
    kind_obs *obs;
} grain;

static int grain_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    (void)ctx;
    grain *g = data;
    tu_log_add(&g->obs->log, "reply:%s", rc ? akt_err_name(rc) : akt_msg_type(reply));
    return 0;
}

static int grain_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    grain *g = state;
    kind_obs *o = g->obs;
    if (tu_is(msg, "wait")) {
        tu_gate_wait(o->gate);
        return 0;
    }
    atomic_fetch_add(&o->handled, 1);
    if (tu_is(msg, "dep")) { /* replies the text of the dependency named by the message */
        char name[64] = "";
        tu_text(msg, name, sizeof name);
        void *v = NULL;
        int rc = akt_ctx_dependency(ctx, name, &v);
        return tu_reply(ctx, "dep", rc ? akt_err_name(rc) : (const char *)v);
    }
    if (tu_is(msg, "go")) {
        akt_request_options ro;
        TU_CB_RC(0, akt_request_options_init(&ro));
        ro.then = grain_then;
        ro.data = g;
        akt_msg *m = tu_msg("inc", NULL);
        int rc = akt_ctx_request(ctx, o->server, m, &ro, NULL);
        if (rc) akt_msg_release(m);
        tu_log_add(&o->log, "go");
        return rc;
    }
    if (tu_is(msg, "sync")) return tu_reply(ctx, "sync", NULL);
    tu_log_add(&o->log, "%s", akt_msg_type(msg));
    return 0;
}

static void grain_free(void *state) { free(state); }

static const akt_behavior grain_behavior = {sizeof(akt_behavior), grain_receive, NULL, NULL,
                                            grain_free,           NULL};

static int grain_activate(void *kind_data, const char *name, const akt_behavior **b, void **state) {
    (void)name;
    grain *g = calloc(1, sizeof *g);
    if (!g) return AKT_ENOMEM;
    g->obs = kind_data;
    *b = &grain_behavior;
    *state = g;
    return 0;
}

static void grain_deactivated(akt_ctx *ctx, void *state, void *kind_data) {
    (void)ctx;
    (void)state;
    atomic_fetch_add(&((kind_obs *)kind_data)->deactivated, 1);
}

static void kind_def(akt_grain_kind *def, kind_obs *o) {
    TU_OK(akt_grain_kind_init(def));
    def->activate = grain_activate;
    def->on_deactivate = grain_deactivated;
    def->kind_data = o;
}

/* ---- the server of requests: "wait" blocks on its gate, "inc" replies --------------- */

static int server_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    tu_gate *g = state;
    if (tu_is(msg, "wait")) {
        tu_gate_wait(g);
        return 0;
    }
    return tu_reply(ctx, "inc", NULL);
}

/* ---- tests ------------------------------------------------------------------------ */

/* A bounded grain refuses what does not fit (the caller keeps it), takes the rest, and
 * still deactivates once idle: refused messages are not counted as on their way. */
static void test_bounded_mailbox_refuses_and_accounts(void **state) {
    (void)state;
    tu_gate gate;
    tu_gate_init(&gate);
    kind_obs o = {.gate = &gate};
    tu_log_init(&o.log);
    akt_mailbox_spec mb = {.size = sizeof mb, .capacity = 4, .when_full = AKT_MAILBOX_FAIL};
    akt_grain_kind def;
    kind_def(&def, &o);
    def.mailbox = &mb;
    def.deactivate_after_ns = TU_MS(100);
    TU_OK(akt_grain_kind_register(sys, "bounded", &def));
    TU_OK(akt_grain_tell(sys, "bounded", "b", tu_msg("wait", NULL)));
    tu_gate_await_waiters(&gate, 1); /* taken out of the mailbox: it holds 0 */
    int accepted = 0, refused = 0;
    for (int i = 0; i < 10; i++) {
        akt_msg *m = tu_msg("m", NULL);
        int rc = akt_grain_tell(sys, "bounded", "b", m);
        if (rc == AKT_EFULL) {
            refused++;
            akt_msg_release(m); /* still the caller's */
        } else {
            assert_int_equal(rc, 0);
            accepted++;
        }
    }
    assert_int_equal(accepted, 4);
    assert_int_equal(refused, 6);
    akt_future *f = NULL;
    akt_msg *m = tu_msg("sync", NULL);
    assert_int_equal(akt_grain_ask(sys, "bounded", "b", m, TU_SEC(5), &f), AKT_EFULL);
    akt_msg_release(m);
    tu_gate_open(&gate);
    TU_EVENTUALLY(atomic_load(&o.handled) == 4);
    /* Nothing is left counted: the idle grain deactivates. */
    TU_EVENTUALLY(atomic_load(&o.deactivated) == 1);
    tu_system_end(sys);
    sys = NULL;
    tu_log_destroy(&o.log);
    tu_gate_destroy(&gate);
}

/* Every activation reaches the kind's dependencies by name, also after a reactivation. */
static void test_dependencies(void **state) {
    (void)state;
    kind_obs o = {0};
    tu_log_init(&o.log);
    static char db[] = "postgres", cache[] = "redis";
    const char *names[] = {"db", "cache"};
    void *values[] = {db, cache};
    akt_grain_kind def;
    kind_def(&def, &o);
    def.dependency_names = names;
    def.dependency_values = values;
    def.dependency_count = 2;
    def.deactivate_after_ns = TU_MS(50);
    TU_OK(akt_grain_kind_register(sys, "deps", &def));
    names[0] = "changed"; /* copied at registration */
    for (int round = 0; round < 2; round++) {
        const char *ask[] = {"db", "cache", "none"},
                   *want[] = {"postgres", "redis", "AKT_ENOTFOUND"};
        for (int i = 0; i < 3; i++) {
            akt_future *f = NULL;
            TU_OK(akt_grain_ask(sys, "deps", "d", tu_msg("dep", ask[i]), TU_SEC(5), &f));
            akt_msg *r = NULL;
            TU_OK(akt_future_wait(f, TU_SEC(5), &r));
            char text[64];
            tu_text(r, text, sizeof text);
            assert_string_equal(text, want[i]);
            akt_msg_release(r);
            akt_future_release(f);
        }
        TU_EVENTUALLY(atomic_load(&o.deactivated) == round + 1);
    }
    tu_system_end(sys);
    sys = NULL;
    tu_log_destroy(&o.log);
}

/* The kind's reentrancy: ALLOW_ALL handles messages while a request is in flight, STASH
 * keeps them until its answer came. */
static void run_reentrancy(const char *kind, int mode, const char *want) {
    tu_gate gate;
    tu_gate_init(&gate);
    akt_behavior sb = tu_behavior(server_receive);
    akt_pid srv = tu_spawn(sys, &sb, &gate, NULL);
    TU_OK(akt_tell(sys, srv, tu_msg("wait", NULL)));
    tu_gate_await_waiters(&gate, 1);
    kind_obs o = {.server = srv};
    tu_log_init(&o.log);
    akt_grain_kind def;
    kind_def(&def, &o);
    def.reentrancy = mode;
    def.deactivate_after_ns = 0;
    TU_OK(akt_grain_kind_register(sys, kind, &def));
    TU_OK(akt_grain_tell(sys, kind, "r", tu_msg("go", NULL)));
    TU_OK(akt_grain_tell(sys, kind, "r", tu_msg("m1", NULL)));
    TU_OK(akt_grain_tell(sys, kind, "r", tu_msg("m2", NULL)));
    if (mode == AKT_REENTRANCY_ALLOW_ALL)
        TU_EVENTUALLY(tu_log_count(&o.log) == 3);
    else
        TU_EVENTUALLY(tu_log_count(&o.log) == 1);
    tu_gate_open(&gate);
    TU_EVENTUALLY(tu_log_count(&o.log) == 4);
    assert_string_equal(tu_log_str(&o.log), want);
    tu_system_end(sys);
    sys = NULL;
    tu_log_destroy(&o.log);
    tu_gate_destroy(&gate);
}

static void test_reentrancy_allow_all(void **state) {
    (void)state;
    run_reentrancy("allow", AKT_REENTRANCY_ALLOW_ALL, "go m1 m2 reply:inc");
}

static void test_reentrancy_stash(void **state) {
    (void)state;
    run_reentrancy("stash", AKT_REENTRANCY_STASH, "go reply:inc m1 m2");
}

/* Bad options: each AKT_EINVAL, nothing registered. */
static void test_bad_options(void **state) {
    (void)state;
    kind_obs o = {0};
    akt_grain_kind def;
    akt_mailbox_spec drop = {.size = sizeof drop, .capacity = 2, .when_full = AKT_MAILBOX_DROP};
    akt_mailbox_spec block0 = {
        .size = sizeof block0, .capacity = 2, .when_full = AKT_MAILBOX_BLOCK};
    akt_mailbox_spec prio = {.size = sizeof prio, .kind = AKT_MAILBOX_PRIORITY};
    akt_mailbox_spec kind9 = {.size = sizeof kind9, .kind = 9};
    const akt_mailbox_spec *bad_mb[] = {&drop, &block0, &prio, &kind9};
    for (size_t i = 0; i < sizeof bad_mb / sizeof *bad_mb; i++) {
        kind_def(&def, &o);
        def.mailbox = bad_mb[i];
        assert_int_equal(akt_grain_kind_register(sys, "bad", &def), AKT_EINVAL);
    }
    kind_def(&def, &o);
    def.reentrancy = 99;
    assert_int_equal(akt_grain_kind_register(sys, "bad", &def), AKT_EINVAL);
    const char *dup[] = {"a", "a"}, *empty[] = {"a", ""}, *null[] = {"a", NULL};
    void *values[] = {NULL, NULL};
    const char *const *bad_names[] = {dup, empty, null};
    for (size_t i = 0; i < 3; i++) {
        kind_def(&def, &o);
        def.dependency_names = bad_names[i];
        def.dependency_values = values;
        def.dependency_count = 2;
        assert_int_equal(akt_grain_kind_register(sys, "bad", &def), AKT_EINVAL);
    }
    kind_def(&def, &o);
    def.dependency_count = 1; /* no arrays */
    assert_int_equal(akt_grain_kind_register(sys, "bad", &def), AKT_EINVAL);
    akt_msg *m = tu_msg("m", NULL);
    assert_int_equal(akt_grain_tell(sys, "bad", "x", m), AKT_ENOTFOUND);
    akt_msg_release(m);
    /* A def from before the options (its size ends at dispatcher) gets the defaults. */
    kind_def(&def, &o);
    def.size = offsetof(akt_grain_kind, dispatcher) + sizeof def.dispatcher;
    def.mailbox = &drop; /* beyond its size: not read */
    TU_OK(akt_grain_kind_register(sys, "old", &def));
    def.size = offsetof(akt_grain_kind, dispatcher);
    assert_int_equal(akt_grain_kind_register(sys, "older", &def), AKT_EINVAL);
}

/* ---- options per activation ------------------------------------------------------- */

/* The text of the grain kind/name's dependency dep (or the error's name). */
static void ask_dep(const char *kind, const char *name, const char *dep,
                    const akt_grain_options *opt, const char *want) {
    akt_future *f = NULL;
    TU_OK(akt_grain_ask_with(sys, kind, name, tu_msg("dep", dep), TU_SEC(5), opt, &f));
    akt_msg *r = NULL;
    TU_OK(akt_future_wait(f, TU_SEC(5), &r));
    char text[64];
    tu_text(r, text, sizeof text);
    assert_string_equal(text, want);
    akt_msg_release(r);
    akt_future_release(f);
}

/* deactivate_after per activation, both ways: a long-lived kind's grain made to expire,
 * an expiring kind's grain made long-lived; the others keep the kind's. */
static void test_activation_deactivate_after(void **state) {
    (void)state;
    kind_obs lo = {0}, eo = {0};
    tu_log_init(&lo.log);
    tu_log_init(&eo.log);
    akt_grain_kind def;
    kind_def(&def, &lo);
    def.deactivate_after_ns = 0; /* long-lived */
    TU_OK(akt_grain_kind_register(sys, "long", &def));
    kind_def(&def, &eo);
    def.deactivate_after_ns = TU_MS(30);
    TU_OK(akt_grain_kind_register(sys, "short", &def));
    akt_grain_options opt;
    TU_OK(akt_grain_options_init(&opt));
    opt.deactivate_after_ns = TU_MS(30);
    TU_OK(akt_grain_tell_with(sys, "long", "expires", tu_msg("m", NULL), &opt));
    TU_OK(akt_grain_tell(sys, "long", "stays", tu_msg("m", NULL)));
    opt.deactivate_after_ns = 0;
    TU_OK(akt_grain_tell_with(sys, "short", "stays", tu_msg("m", NULL), &opt));
    TU_OK(akt_grain_tell(sys, "short", "expires", tu_msg("m", NULL)));
    TU_EVENTUALLY(atomic_load(&lo.deactivated) == 1 && atomic_load(&eo.deactivated) == 1);
    /* The long-lived ones answer from the activation that handled "m" (handled counts it). */
    TU_OK(akt_grain_tell(sys, "long", "stays", tu_msg("n", NULL)));
    TU_OK(akt_grain_tell(sys, "short", "stays", tu_msg("n", NULL)));
    TU_EVENTUALLY(atomic_load(&lo.handled) == 3 && atomic_load(&eo.handled) == 3);
    assert_int_equal(atomic_load(&lo.deactivated), 1);
    assert_int_equal(atomic_load(&eo.deactivated), 1);
    tu_system_end(sys); /* the system's stop deactivates the long-lived two */
    sys = NULL;
    assert_int_equal(atomic_load(&lo.deactivated), 2);
    assert_int_equal(atomic_load(&eo.deactivated), 2);
    tu_log_destroy(&lo.log);
    tu_log_destroy(&eo.log);
}

/* Dependencies per activation replace the kind's; a grain already active keeps the ones
 * it was made with, whatever a later send gives. */
static void test_activation_dependencies(void **state) {
    (void)state;
    kind_obs o = {0};
    tu_log_init(&o.log);
    static char db[] = "postgres", mine[] = "sqlite", other[] = "other";
    const char *kn[] = {"db"}, *an[] = {"db", "mine"};
    void *kv[] = {db}, *av[] = {mine, mine}, *ov[] = {other, other};
    akt_grain_kind def;
    kind_def(&def, &o);
    def.dependency_names = kn;
    def.dependency_values = kv;
    def.dependency_count = 1;
    def.deactivate_after_ns = 0;
    TU_OK(akt_grain_kind_register(sys, "deps", &def));
    akt_grain_options opt;
    TU_OK(akt_grain_options_init(&opt));
    opt.dependency_names = an;
    opt.dependency_values = av;
    opt.dependency_count = 2;
    ask_dep("deps", "own", "db", &opt, "sqlite");
    ask_dep("deps", "own", "mine", NULL, "sqlite");
    opt.dependency_values = ov; /* active already: not applied */
    ask_dep("deps", "own", "db", &opt, "sqlite");
    ask_dep("deps", "kinds", "db", NULL, "postgres");
    ask_dep("deps", "kinds", "mine", NULL, "AKT_ENOTFOUND");
    tu_system_end(sys);
    sys = NULL;
    tu_log_destroy(&o.log);
}

/* A reentrancy and a bounded mailbox per activation, on a kind that has neither. */
static void test_activation_mailbox_and_reentrancy(void **state) {
    (void)state;
    tu_gate gate, sgate;
    tu_gate_init(&gate);
    tu_gate_init(&sgate);
    akt_behavior sb = tu_behavior(server_receive);
    akt_pid srv = tu_spawn(sys, &sb, &sgate, NULL);
    TU_OK(akt_tell(sys, srv, tu_msg("wait", NULL)));
    tu_gate_await_waiters(&sgate, 1);
    kind_obs o = {.gate = &gate, .server = srv};
    tu_log_init(&o.log);
    akt_grain_kind def;
    kind_def(&def, &o);
    def.deactivate_after_ns = 0;
    TU_OK(akt_grain_kind_register(sys, "plain", &def));
    /* ALLOW_ALL for this activation: m1 m2 handled while its request waits. */
    akt_grain_options opt;
    TU_OK(akt_grain_options_init(&opt));
    opt.reentrancy = AKT_REENTRANCY_ALLOW_ALL;
    TU_OK(akt_grain_tell_with(sys, "plain", "r", tu_msg("go", NULL), &opt));
    TU_OK(akt_grain_tell(sys, "plain", "r", tu_msg("m1", NULL)));
    TU_OK(akt_grain_tell(sys, "plain", "r", tu_msg("m2", NULL)));
    TU_EVENTUALLY(tu_log_count(&o.log) == 3);
    tu_gate_open(&sgate);
    TU_EVENTUALLY(tu_log_count(&o.log) == 4);
    assert_string_equal(tu_log_str(&o.log), "go m1 m2 reply:inc");
    /* Capacity 2 for this activation: with "wait" taken, 2 fit and 3 are refused. */
    akt_mailbox_spec mb = {.size = sizeof mb, .capacity = 2, .when_full = AKT_MAILBOX_FAIL};
    TU_OK(akt_grain_options_init(&opt));
    opt.mailbox = &mb;
    TU_OK(akt_grain_tell_with(sys, "plain", "small", tu_msg("wait", NULL), &opt));
    tu_gate_await_waiters(&gate, 1);
    int refused = 0;
    for (int i = 0; i < 5; i++) {
        akt_msg *m = tu_msg("m", NULL);
        int rc = akt_grain_tell(sys, "plain", "small", m);
        if (rc == AKT_EFULL) {
            refused++;
            akt_msg_release(m);
        } else {
            TU_OK(rc);
        }
    }
    assert_int_equal(refused, 3);
    int before = atomic_load(&o.handled);
    for (int i = 0; i < 5; i++) /* the kind's unbounded mailbox for another identity */
        TU_OK(akt_grain_tell(sys, "plain", "big", tu_msg("m", NULL)));
    TU_EVENTUALLY(atomic_load(&o.handled) == before + 5);
    tu_gate_open(&gate);
    TU_EVENTUALLY(atomic_load(&o.handled) == before + 7);
    tu_system_end(sys);
    sys = NULL;
    tu_log_destroy(&o.log);
    tu_gate_destroy(&gate);
    tu_gate_destroy(&sgate);
}

/* Bad options per activation: AKT_EINVAL, the message still the caller's, nothing made. */
static void test_activation_bad_options(void **state) {
    (void)state;
    kind_obs o = {0};
    tu_log_init(&o.log);
    akt_grain_kind def;
    kind_def(&def, &o);
    TU_OK(akt_grain_kind_register(sys, "k", &def));
    akt_mailbox_spec drop = {.size = sizeof drop, .capacity = 2, .when_full = AKT_MAILBOX_DROP};
    akt_mailbox_spec prio = {.size = sizeof prio, .kind = AKT_MAILBOX_PRIORITY};
    const char *dup[] = {"a", "a"};
    void *values[] = {NULL, NULL};
    for (int i = 0; i < 8; i++) {
        akt_grain_options opt;
        TU_OK(akt_grain_options_init(&opt));
        switch (i) {
        case 0:
            opt.deactivate_after_ns = -2;
            break;
        case 1:
            opt.reentrancy = 99;
            break;
        case 2:
            opt.max_in_flight = (int64_t)UINT32_MAX + 1;
            break;
        case 3:
            opt.mailbox = &drop;
            break;
        case 4:
            opt.mailbox = &prio;
            break;
        case 5:
            opt.dependency_names = dup;
            opt.dependency_values = values;
            opt.dependency_count = 2;
            break;
        case 6:
            opt.dependency_count = 1;
            break;
        default:
            opt.size = offsetof(akt_grain_options, max_in_flight);
            break;
        }
        akt_msg *m = tu_msg("m", NULL);
        assert_int_equal(akt_grain_tell_with(sys, "k", "x", m, &opt), AKT_EINVAL);
        akt_future *f = NULL;
        assert_int_equal(akt_grain_ask_with(sys, "k", "x", m, TU_SEC(1), &opt, &f), AKT_EINVAL);
        akt_msg_release(m);
    }
    assert_int_equal(akt_grain_options_init(NULL), AKT_EINVAL);
    akt_msg *m = tu_msg("m", NULL);
    assert_int_equal(akt_grain_tell_with(sys, "nokind", "x", m, NULL), AKT_ENOTFOUND);
    akt_msg_release(m);
    tu_system_end(sys);
    sys = NULL;
    assert_int_equal(atomic_load(&o.handled), 0);
    tu_log_destroy(&o.log);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        GO_TEST(test_bounded_mailbox_refuses_and_accounts),
        GO_TEST(test_dependencies),
        GO_TEST(test_reentrancy_allow_all),
        GO_TEST(test_reentrancy_stash),
        GO_TEST(test_bad_options),
        GO_TEST(test_activation_deactivate_after),
        GO_TEST(test_activation_dependencies),
        GO_TEST(test_activation_mailbox_and_reentrancy),
        GO_TEST(test_activation_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
