/* test_actor: spawning, names and paths, lookup, the lifecycle callbacks, hierarchy, stale
 * pids, poison pills and graceful stops. */
#include "tu.h"

#include <stdio.h>
#include <string.h>

static tu_log lg;

/* One actor's state. Trees are built statically in each test: pre_start spawns kids. */
typedef struct node {
    const char *name;
    struct node *kids[4];
    tu_gate *gate;        /* "block" waits on it */
    int pre_start_rc;     /* returned by pre_start */
    akt_pid _Atomic self; /* recorded in pre_start */
    akt_pid _Atomic parent;
    akt_system *_Atomic sys;
    atomic_int received; /* "n" messages */
    atomic_int frees;
    atomic_int dup_rc; /* spawning a kid twice (when dup is set) */
    int dup;
} node;

static int node_pre_start(akt_ctx *ctx, void *state);
static int node_receive(akt_ctx *ctx, akt_msg *msg, void *state);
static void node_post_stop(akt_ctx *ctx, void *state);
static void node_free(void *state);

static const akt_behavior node_behavior = {.size = sizeof(akt_behavior),
                                           .receive = node_receive,
                                           .pre_start = node_pre_start,
                                           .post_stop = node_post_stop,
                                           .free_state = node_free};

static int node_pre_start(akt_ctx *ctx, void *state) {
    node *n = state;
    tu_log_add(&lg, "pre:%s", n->name);
    akt_pid self = {0}, parent = {0};
    akt_system *sys = NULL;
    TU_CB_RC(0, akt_ctx_self(ctx, &self));
    TU_CB_RC(0, akt_ctx_parent(ctx, &parent));
    TU_CB_RC(0, akt_ctx_system(ctx, &sys));
    atomic_store(&n->self, self);
    atomic_store(&n->parent, parent);
    atomic_store(&n->sys, sys);
    akt_behavior b = node_behavior;
    for (int i = 0; i < 4 && n->kids[i]; i++) {
        akt_spawn_options o;
        TU_CB_RC(0, akt_spawn_options_init(&o));
        o.name = n->kids[i]->name;
        akt_pid kid = {0};
        TU_CB_RC(0, akt_ctx_spawn(ctx, &b, n->kids[i], &o, &kid));
        if (n->dup && i == 0) {
            static node spare = {.name = "spare"};
            akt_pid again = {0};
            atomic_store(&n->dup_rc, akt_ctx_spawn(ctx, &b, &spare, &o, &again));
        }
    }
    return n->pre_start_rc;
}

static int node_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    node *n = state;
    TU_CB_CHECK(!tu_is(msg, AKT_TYPE_POISON_PILL));
    if (tu_is(msg, "n")) {
        atomic_fetch_add(&n->received, 1);
        return 0;
    }
    tu_log_add(&lg, "recv:%s:%s", n->name, akt_msg_type(msg));
    if (tu_is(msg, "block")) {
        tu_gate_wait(n->gate);
        return 0;
    }
    if (tu_is(msg, "stop-self")) {
        akt_pid self;
        TU_CB_RC(0, akt_ctx_self(ctx, &self));
        return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)akt_ctx_stop(ctx, self));
    }
    if (tu_is(msg, "stop-kid")) {
        akt_pid kid = atomic_load(&n->kids[0]->self);
        return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)akt_ctx_stop(ctx, kid));
    }
    if (tu_is(msg, "stop-other"))
        return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)akt_ctx_stop(ctx, tu_pid(msg)));
    if (tu_is(msg, "count")) return tu_reply_u64(ctx, "count", (uint64_t)atomic_load(&n->received));
    return tu_reply(ctx, "ok", NULL);
}

static void node_post_stop(akt_ctx *ctx, void *state) {
    node *n = state;
    tu_log_add(&lg, "post:%s", n->name);
}

static void node_free(void *state) {
    node *n = state;
    tu_log_add(&lg, "free:%s", n->name);
    atomic_fetch_add(&n->frees, 1);
}

static akt_pid spawn_node(akt_system *sys, node *n, const char *name) {
    return tu_spawn(sys, &node_behavior, n, name);
}

static akt_system *sys;

static int actor_setup(void **state) {
    tu_log_init(&lg);
    sys = tu_system("actors", 2);
    return tu_setup(state);
}

static int actor_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    tu_log_destroy(&lg);
    return tu_teardown(state);
}
#define ACTOR_TEST(f) cmocka_unit_test_setup_teardown(f, actor_setup, actor_teardown)

static void expect_before(const char *a, const char *b) {
    int ia = tu_log_index(&lg, a), ib = tu_log_index(&lg, b);
    if (ia < 0 || ib < 0 || ia >= ib)
        fail_msg("expected \"%s\" before \"%s\" in: %s", a, b, tu_log_str(&lg));
}

/* ---- spawning and names ------------------------------------------------------------- */

static void test_spawn_named(void **state) {
    (void)state;
    static node a = {.name = "alpha"};
    akt_pid pid = spawn_node(sys, &a, "alpha");
    assert_int_equal(akt_pid_is_alive(sys, pid), 1);
    akt_pid found = {0};
    TU_OK(akt_lookup(sys, "alpha", &found));
    assert_int_equal(found.id, pid.id);
    char path[64];
    size_t needed = 0;
    TU_OK(akt_pid_path(sys, pid, path, sizeof path, &needed));
    assert_string_equal(path, "akt://actors/user/alpha");
    assert_int_equal(needed, strlen("akt://actors/user/alpha"));
    TU_OK(tu_ask(sys, pid, tu_msg("sync", NULL), NULL));
    /* The context saw the same identity. */
    assert_int_equal(atomic_load(&a.self).id, pid.id);
    assert_ptr_equal(atomic_load(&a.sys), sys);
}

static void test_spawn_anonymous(void **state) {
    (void)state;
    static node a = {.name = "anon1"}, b = {.name = "anon2"};
    akt_pid p1 = {0}, p2 = {0};
    TU_OK(akt_spawn(sys, &node_behavior, &a, NULL, &p1));
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    assert_int_equal(o.size, sizeof o);
    assert_null(o.name);
    TU_OK(akt_spawn(sys, &node_behavior, &b, &o, &p2));
    assert_true(p1.id != 0 && p2.id != 0 && p1.id != p2.id);
    char path1[64], path2[64];
    TU_OK(akt_pid_path(sys, p1, path1, sizeof path1, NULL));
    TU_OK(akt_pid_path(sys, p2, path2, sizeof path2, NULL));
    assert_string_not_equal(path1, path2);
    const char *prefix = "akt://actors/user/$";
    assert_memory_equal(path1, prefix, strlen(prefix));
    assert_memory_equal(path2, prefix, strlen(prefix));
    /* The anonymous name works for lookup too. */
    akt_pid found;
    TU_OK(akt_lookup(sys, path1 + strlen("akt://actors/user/"), &found));
    assert_int_equal(found.id, p1.id);
}

static void test_duplicate_name_is_eexist(void **state) {
    (void)state;
    static node a = {.name = "dup"}, b = {.name = "dup2"};
    akt_pid p1 = spawn_node(sys, &a, "dup");
    akt_pid p2 = {777};
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.name = "dup";
    TU_RC(AKT_EEXIST, akt_spawn(sys, &node_behavior, &b, &o, &p2));
    assert_int_equal(p2.id, 777);
    /* The state of a refused spawn is not taken. */
    tu_stop_wait(sys, p1);
    TU_EVENTUALLY(atomic_load(&a.frees) == 1);
    assert_int_equal(atomic_load(&b.frees), 0);
    assert_int_equal(tu_log_index(&lg, "pre:dup2"), -1);
    /* Once the first is gone, the name is free again. */
    akt_pid p3 = spawn_node(sys, &b, "dup");
    assert_true(p3.id != p1.id);
}

static void test_invalid_spawns(void **state) {
    (void)state;
    static node a = {.name = "bad"};
    akt_spawn_options o;
    akt_pid p = {0};
    const char *bad_names[] = {"a/b", "", "/lead"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        TU_OK(akt_spawn_options_init(&o));
        o.name = bad_names[i];
        int rc = akt_spawn(sys, &node_behavior, &a, &o, &p);
        if (rc != AKT_EINVAL)
            fail_msg("actor name \"%s\": %s, expected AKT_EINVAL", bad_names[i], akt_err_name(rc));
    }
    akt_behavior no_receive = node_behavior;
    no_receive.receive = NULL;
    TU_RC(AKT_EINVAL, akt_spawn(sys, &no_receive, &a, NULL, &p));
    akt_behavior no_size = node_behavior;
    no_size.size = 0;
    TU_RC(AKT_EINVAL, akt_spawn(sys, &no_size, &a, NULL, &p));
    assert_int_equal(p.id, 0);
    assert_int_equal(atomic_load(&a.frees), 0);
}

/* ---- lifecycle ---------------------------------------------------------------------- */

static void test_lifecycle_order(void **state) {
    (void)state;
    static node a = {.name = "life"};
    akt_pid pid = spawn_node(sys, &a, "life");
    /* Sent at once: they wait for pre_start. */
    TU_OK(akt_tell(sys, pid, tu_msg("m1", NULL)));
    TU_OK(akt_tell(sys, pid, tu_msg("m2", NULL)));
    tu_stop_wait(sys, pid);
    TU_EVENTUALLY(atomic_load(&a.frees) == 1);
    expect_before("pre:life", "recv:life:m1");
    expect_before("recv:life:m1", "recv:life:m2");
    expect_before("recv:life:m2", "post:life");
    expect_before("post:life", "free:life");
    assert_int_equal(tu_log_count(&lg), 5); /* each exactly once */
}

static void test_pre_start_failure_stops_actor(void **state) {
    (void)state;
    static node a = {.name = "nostart", .pre_start_rc = -1000};
    akt_pid pid = spawn_node(sys, &a, "nostart");
    tu_wait_dead(sys, pid);
    TU_EVENTUALLY(atomic_load(&a.frees) == 1);
    assert_true(tu_log_index(&lg, "pre:nostart") >= 0);
    akt_msg *m = tu_msg("late", NULL);
    TU_RC(AKT_ENOTFOUND, akt_tell(sys, pid, m));
    akt_msg_release(m);
    akt_pid found;
    TU_RC(AKT_ENOTFOUND, akt_lookup(sys, "nostart", &found));
}

/* ---- hierarchy ---------------------------------------------------------------------- */

static void test_children_stop_before_parents(void **state) {
    (void)state;
    static node g = {.name = "g"};
    static node c1 = {.name = "c1", .kids = {&g}};
    static node c2 = {.name = "c2"};
    static node p = {.name = "p", .kids = {&c1, &c2}};
    akt_pid pp = spawn_node(sys, &p, "p");
    akt_pid gp;
    TU_EVENTUALLY(akt_lookup(sys, "p/c1/g", &gp) == 0);
    TU_EVENTUALLY(atomic_load(&g.self).id == gp.id);
    /* Each pre_start stores self, then parent; c2 may start after g (another worker). */
    TU_EVENTUALLY(atomic_load(&g.parent).id != 0 && atomic_load(&c2.parent).id != 0);
    /* Parents as the contexts see them. */
    assert_int_equal(atomic_load(&c1.parent).id, pp.id);
    assert_int_equal(atomic_load(&c2.parent).id, pp.id);
    assert_int_equal(atomic_load(&g.parent).id, atomic_load(&c1.self).id);
    char path[128];
    TU_OK(akt_pid_path(sys, gp, path, sizeof path, NULL));
    assert_string_equal(path, "akt://actors/user/p/c1/g");

    TU_OK(akt_stop(sys, pp));
    tu_wait_dead(sys, pp);
    assert_int_equal(akt_pid_is_alive(sys, gp), 0);
    assert_int_equal(akt_pid_is_alive(sys, atomic_load(&c1.self)), 0);
    assert_int_equal(akt_pid_is_alive(sys, atomic_load(&c2.self)), 0);
    expect_before("post:g", "post:c1");
    expect_before("post:c1", "post:p");
    expect_before("post:c2", "post:p");
    TU_EVENTUALLY(atomic_load(&p.frees) + atomic_load(&c1.frees) + atomic_load(&c2.frees) +
                      atomic_load(&g.frees) ==
                  4);
    akt_pid found;
    TU_RC(AKT_ENOTFOUND, akt_lookup(sys, "p/c1", &found));
}

static void test_child_names_are_scoped(void **state) {
    (void)state;
    static node k1 = {.name = "kid"}, k2 = {.name = "kid"};
    static node p1 = {.name = "p1", .kids = {&k1}, .dup = 1, .dup_rc = 1};
    static node p2 = {.name = "p2", .kids = {&k2}};
    spawn_node(sys, &p1, "p1");
    spawn_node(sys, &p2, "p2");
    akt_pid a, b;
    TU_EVENTUALLY(akt_lookup(sys, "p1/kid", &a) == 0);
    TU_EVENTUALLY(akt_lookup(sys, "p2/kid", &b) == 0);
    assert_true(a.id != b.id);
    /* A second "kid" under the same parent was refused (pre_start may still be on it). */
    TU_EVENTUALLY(atomic_load(&p1.dup_rc) != 1);
    assert_int_equal(atomic_load(&p1.dup_rc), AKT_EEXIST);
}

static void test_ctx_stop(void **state) {
    (void)state;
    static node k = {.name = "k"};
    static node p = {.name = "p", .kids = {&k}};
    static node other = {.name = "other"};
    akt_pid pp = spawn_node(sys, &p, "p");
    akt_pid op = spawn_node(sys, &other, "other");
    akt_pid kp;
    TU_EVENTUALLY(akt_lookup(sys, "p/k", &kp) == 0);
    /* Another actor's pid: not ours to stop. */
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, pp, tu_msg_pid("stop-other", op), &reply));
    assert_int_equal((int)(int64_t)tu_u64(reply), AKT_EINVAL);
    akt_msg_release(reply);
    assert_int_equal(akt_pid_is_alive(sys, op), 1);
    /* A child: stopped, the parent lives on. */
    assert_int_equal((int)(int64_t)tu_ask_u64(sys, pp, "stop-kid"), 0);
    tu_wait_dead(sys, kp);
    assert_int_equal(akt_pid_is_alive(sys, pp), 1);
    /* Self. */
    assert_int_equal((int)(int64_t)tu_ask_u64(sys, pp, "stop-self"), 0);
    tu_wait_dead(sys, pp);
}

/* ---- lookup and paths ---------------------------------------------------------------- */

static void test_lookup_forms(void **state) {
    (void)state;
    static node g = {.name = "g"};
    static node c = {.name = "c", .kids = {&g}};
    static node p = {.name = "p", .kids = {&c}};
    akt_pid pp = spawn_node(sys, &p, "p");
    akt_pid gp;
    TU_EVENTUALLY(akt_lookup(sys, "p/c/g", &gp) == 0);
    akt_pid cp = atomic_load(&c.self);
    TU_EVENTUALLY(atomic_load(&g.self).id == gp.id);
    const struct {
        const char *path;
        akt_pid want;
    } ok[] = {
        {"p", pp},
        {"p/c", cp},
        {"p/c/g", gp},
        {"/user/p", pp},
        {"/user/p/c", cp},
        {"/user/p/c/g", gp},
        {"akt://actors/user/p", pp},
        {"akt://actors/user/p/c/g", gp},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        akt_pid found = {0};
        int rc = akt_lookup(sys, ok[i].path, &found);
        if (rc != 0 || found.id != ok[i].want.id)
            fail_msg("lookup \"%s\": %s, pid %llu (want %llu)", ok[i].path, akt_err_name(rc),
                     (unsigned long long)found.id, (unsigned long long)ok[i].want.id);
    }
    const char *missing[] = {"nope",
                             "p/nope",
                             "p/c/g/h",
                             "/user/nope",
                             "c",
                             "akt://other/user/p",
                             "akt://actors/user/nope"};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        akt_pid found = {4242};
        int rc = akt_lookup(sys, missing[i], &found);
        if (rc != AKT_ENOTFOUND)
            fail_msg("lookup \"%s\": %s, expected AKT_ENOTFOUND", missing[i], akt_err_name(rc));
        assert_int_equal(found.id, 4242);
    }
}

static void test_pid_path_buffer_sizes(void **state) {
    (void)state;
    static node a = {.name = "pathy"};
    akt_pid pid = spawn_node(sys, &a, "pathy");
    const char *full = "akt://actors/user/pathy";
    size_t n = strlen(full);
    char buf[64];
    size_t needed = 0;
    TU_OK(akt_pid_path(sys, pid, buf, n + 1, &needed));
    assert_string_equal(buf, full);
    assert_int_equal(needed, n);
    /* One byte short: ERANGE, truncated and terminated, needed reported. */
    memset(buf, 'X', sizeof buf);
    needed = 0;
    TU_RC(AKT_ERANGE, akt_pid_path(sys, pid, buf, n, &needed));
    assert_int_equal(needed, n);
    assert_int_equal(buf[n - 1], 0);
    assert_memory_equal(buf, full, n - 1);
    assert_int_equal(buf[n], 'X'); /* nothing written past len */
    /* len 0: nothing written at all. */
    memset(buf, 'X', sizeof buf);
    needed = 0;
    TU_RC(AKT_ERANGE, akt_pid_path(sys, pid, buf, 0, &needed));
    assert_int_equal(needed, n);
    assert_int_equal(buf[0], 'X');
    /* needed is optional. */
    TU_OK(akt_pid_path(sys, pid, buf, sizeof buf, NULL));
}

/* ---- stale pids ---------------------------------------------------------------------- */

static void expect_stale(akt_pid pid) {
    assert_int_equal(akt_pid_is_alive(sys, pid), 0);
    akt_msg *m = tu_msg("late", NULL);
    TU_RC(AKT_ENOTFOUND, akt_tell(sys, pid, m));
    akt_future *f = (akt_future *)0x1;
    TU_RC(AKT_ENOTFOUND, akt_ask(sys, pid, m, TU_SEC(1), &f));
    assert_ptr_equal(f, (akt_future *)0x1);
    TU_RC(AKT_ENOTFOUND, akt_tell_batch(sys, pid, &m, 1));
    akt_msg_release(m); /* never taken */
    char buf[64];
    TU_RC(AKT_ENOTFOUND, akt_pid_path(sys, pid, buf, sizeof buf, NULL));
    TU_RC(AKT_ENOTFOUND, akt_stop(sys, pid));
    TU_RC(AKT_ENOTFOUND, akt_poison(sys, pid));
    TU_RC(AKT_ENOTFOUND, akt_stop_graceful(sys, pid, TU_SEC(1), &f));
}

static void test_stale_pid_after_graceful_stop(void **state) {
    (void)state;
    static node a = {.name = "old"}, b = {.name = "new"};
    akt_pid old = spawn_node(sys, &a, "reused");
    tu_stop_wait(sys, old);
    /* The future completed: the actor is gone, not just going. */
    expect_stale(old);
    akt_pid found;
    TU_RC(AKT_ENOTFOUND, akt_lookup(sys, "reused", &found));
    /* Same name, new actor: a new pid, and the old one stays stale (generation). */
    akt_pid fresh = spawn_node(sys, &b, "reused");
    assert_true(fresh.id != old.id);
    expect_stale(old);
    assert_int_equal(akt_pid_is_alive(sys, fresh), 1);
    TU_OK(akt_lookup(sys, "reused", &found));
    assert_int_equal(found.id, fresh.id);
}

static void test_stale_pid_after_stop(void **state) {
    (void)state;
    /* Many spawn/stop cycles: slots get reused, stale pids must never reach a new actor. */
    akt_pid olds[32];
    static node nodes[32];
    memset(nodes, 0, sizeof nodes);
    for (int i = 0; i < 32; i++) {
        nodes[i].name = "cycle";
        olds[i] = spawn_node(sys, &nodes[i], NULL);
        TU_OK(akt_stop(sys, olds[i]));
        tu_wait_dead(sys, olds[i]);
    }
    static node live = {.name = "live"};
    akt_pid lp = spawn_node(sys, &live, NULL);
    for (int i = 0; i < 32; i++) {
        assert_true(olds[i].id != lp.id);
        expect_stale(olds[i]);
    }
    for (int i = 0; i < 32; i++) TU_EVENTUALLY(atomic_load(&nodes[i].frees) == 1);
}

/* ---- poison pill and graceful stop ------------------------------------------------- */

static void test_poison_pill_processes_queued_first(void **state) {
    (void)state;
    static tu_gate gate;
    tu_gate_init(&gate);
    static node a = {.name = "poisoned", .gate = &gate};
    akt_pid pid = spawn_node(sys, &a, "poisoned");
    TU_OK(akt_tell(sys, pid, tu_msg("block", NULL)));
    tu_gate_await_waiters(&gate, 1);
    for (int i = 0; i < 100; i++) TU_OK(akt_tell(sys, pid, tu_msg("n", NULL)));
    TU_OK(akt_poison(sys, pid));
    tu_gate_open(&gate);
    tu_wait_dead(sys, pid);
    TU_EVENTUALLY(tu_log_index(&lg, "post:poisoned") >= 0);
    assert_int_equal(atomic_load(&a.received), 100);
    tu_gate_destroy(&gate);
}

static void test_stop_graceful_future(void **state) {
    (void)state;
    static tu_gate gate;
    tu_gate_init(&gate);
    static node a = {.name = "graceful", .gate = &gate};
    akt_pid pid = spawn_node(sys, &a, "graceful");
    TU_OK(akt_tell(sys, pid, tu_msg("block", NULL)));
    tu_gate_await_waiters(&gate, 1);
    for (int i = 0; i < 10; i++) TU_OK(akt_tell(sys, pid, tu_msg("n", NULL)));
    akt_future *f = NULL;
    TU_OK(akt_stop_graceful(sys, pid, TU_DEADLINE_NS, &f));
    akt_msg *reply = (akt_msg *)0x1;
    TU_RC(AKT_EAGAIN, akt_future_wait(f, 0, &reply));
    assert_ptr_equal(reply, (akt_msg *)0x1);
    tu_gate_open(&gate);
    TU_OK(tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    /* Completed means stopped: post_stop ran, the queued messages were handled first. */
    assert_true(tu_log_index(&lg, "post:graceful") >= 0);
    assert_int_equal(atomic_load(&a.received), 10);
    assert_int_equal(akt_pid_is_alive(sys, pid), 0);
    tu_gate_destroy(&gate);
}

static void test_stop_graceful_timeout_stops_at_once(void **state) {
    (void)state;
    static tu_gate gate;
    tu_gate_init(&gate);
    static node a = {.name = "stuck", .gate = &gate};
    akt_pid pid = spawn_node(sys, &a, "stuck");
    TU_OK(akt_tell(sys, pid, tu_msg("block", NULL)));
    tu_gate_await_waiters(&gate, 1);
    for (int i = 0; i < 10; i++) TU_OK(akt_tell(sys, pid, tu_msg("n", NULL)));
    akt_future *f = NULL;
    int64_t t0 = tu_now_ns();
    TU_OK(akt_stop_graceful(sys, pid, TU_MS(50), &f));
    TU_RC(AKT_ETIMEDOUT, tu_wait(f, NULL));
    int64_t dt = tu_now_ns() - t0;
    assert_true(dt >= TU_MS(45));
    assert_true(dt < TU_SEC(5));
    TU_OK(akt_future_release(f));
    tu_gate_open(&gate);
    tu_wait_dead(sys, pid);
    /* Stopped at once: the queued messages were not handled. */
    assert_int_equal(atomic_load(&a.received), 0);
    tu_gate_destroy(&gate);
}

static void test_stop_drops_queued_messages(void **state) {
    (void)state;
    static tu_gate gate;
    tu_gate_init(&gate);
    static node a = {.name = "dropper", .gate = &gate};
    akt_pid pid = spawn_node(sys, &a, "dropper");
    TU_OK(akt_tell(sys, pid, tu_msg("block", NULL)));
    tu_gate_await_waiters(&gate, 1);
    for (int i = 0; i < 100; i++) TU_OK(akt_tell(sys, pid, tu_msg("n", NULL)));
    TU_OK(akt_stop(sys, pid));
    tu_gate_open(&gate);
    tu_wait_dead(sys, pid);
    TU_EVENTUALLY(atomic_load(&a.frees) == 1);
    assert_int_equal(atomic_load(&a.received), 0);
    assert_true(tu_log_index(&lg, "post:dropper") >= 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        ACTOR_TEST(test_spawn_named),
        ACTOR_TEST(test_spawn_anonymous),
        ACTOR_TEST(test_duplicate_name_is_eexist),
        ACTOR_TEST(test_invalid_spawns),
        ACTOR_TEST(test_lifecycle_order),
        ACTOR_TEST(test_pre_start_failure_stops_actor),
        ACTOR_TEST(test_children_stop_before_parents),
        ACTOR_TEST(test_child_names_are_scoped),
        ACTOR_TEST(test_ctx_stop),
        ACTOR_TEST(test_lookup_forms),
        ACTOR_TEST(test_pid_path_buffer_sizes),
        ACTOR_TEST(test_stale_pid_after_graceful_stop),
        ACTOR_TEST(test_stale_pid_after_stop),
        ACTOR_TEST(test_poison_pill_processes_queued_first),
        ACTOR_TEST(test_stop_graceful_future),
        ACTOR_TEST(test_stop_graceful_timeout_stops_at_once),
        ACTOR_TEST(test_stop_drops_queued_messages),
    };
    return cmocka_run_group_tests_name("actor", tests, NULL, NULL);
}
