/* test_deps: dependencies given at spawn and read with akt_ctx_dependency. */
#include "tu.h"

#include <string.h>

static akt_system *sys;

static int d_setup(void **state) {
    sys = tu_system("deps", 2);
    return tu_setup(state);
}

static int d_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define D_TEST(f) cmocka_unit_test_setup_teardown(f, d_setup, d_teardown)

static int db = 1, cache = 2;

typedef struct seen {
    void *_Atomic db_in_pre_start;
    void *_Atomic db, *_Atomic cache;
    atomic_int unknown_rc, null_name_rc, null_out_rc;
    void *_Atomic untouched;
    akt_pid _Atomic child;
} seen;

static int deps_pre_start(akt_ctx *ctx, void *state) {
    seen *s = state;
    void *v = NULL;
    TU_CB_RC(0, akt_ctx_dependency(ctx, "db", &v));
    atomic_store(&s->db_in_pre_start, v);
    return 0;
}

static int child_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    void *v = (void *)0x1;
    int rc = akt_ctx_dependency(ctx, "db", &v);
    return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)rc);
}

static int deps_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    seen *s = state;
    if (tu_is(msg, "child-deps")) {
        /* Dependencies belong to the actor they were given to, not to its children. */
        akt_behavior b = tu_behavior(child_receive);
        akt_pid kid = {0};
        TU_CB_RC(0, akt_ctx_spawn(ctx, &b, NULL, NULL, &kid));
        atomic_store(&s->child, kid);
        return tu_reply(ctx, "ok", NULL);
    }
    void *v = NULL;
    TU_CB_RC(0, akt_ctx_dependency(ctx, "db", &v));
    atomic_store(&s->db, v);
    v = NULL;
    TU_CB_RC(0, akt_ctx_dependency(ctx, "cache", &v));
    atomic_store(&s->cache, v);
    v = (void *)0x1;
    atomic_store(&s->unknown_rc, akt_ctx_dependency(ctx, "nope", &v));
    atomic_store(&s->untouched, v);
    atomic_store(&s->null_name_rc, akt_ctx_dependency(ctx, NULL, &v));
    atomic_store(&s->null_out_rc, akt_ctx_dependency(ctx, "db", NULL));
    return tu_reply(ctx, "ok", NULL);
}

static void test_dependencies_reachable(void **state) {
    (void)state;
    static seen s;
    /* Names are copied: these buffers change after the spawn. */
    char n1[] = "db", n2[] = "cache";
    const char *names[] = {n1, n2};
    void *values[] = {&db, &cache};
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dependency_names = names;
    o.dependency_values = values;
    o.dependency_count = 2;
    akt_behavior b = tu_behavior(deps_receive);
    b.pre_start = deps_pre_start;
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, &b, &s, &o, &pid));
    memset(n1, 'x', 2);
    memset(n2, 'x', 5);
    TU_OK(tu_ask(sys, pid, tu_msg("look", NULL), NULL));
    assert_ptr_equal(atomic_load(&s.db_in_pre_start), &db);
    assert_ptr_equal(atomic_load(&s.db), &db);
    assert_ptr_equal(atomic_load(&s.cache), &cache);
    assert_int_equal(atomic_load(&s.unknown_rc), AKT_ENOTFOUND);
    assert_ptr_equal(atomic_load(&s.untouched), (void *)0x1);
    assert_int_equal(atomic_load(&s.null_name_rc), AKT_EINVAL);
    assert_int_equal(atomic_load(&s.null_out_rc), AKT_EINVAL);
}

static void test_no_dependencies(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(child_receive);
    akt_pid pid = tu_spawn(sys, &b, NULL, NULL);
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("look", NULL), &reply));
    assert_int_equal((int)(int64_t)tu_u64(reply), AKT_ENOTFOUND);
    akt_msg_release(reply);
}

static void test_children_do_not_inherit(void **state) {
    (void)state;
    static seen s;
    const char *names[] = {"db"};
    void *values[] = {&db};
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dependency_names = names;
    o.dependency_values = values;
    o.dependency_count = 1;
    akt_behavior b = tu_behavior(deps_receive);
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, &b, &s, &o, &pid));
    TU_OK(tu_ask(sys, pid, tu_msg("child-deps", NULL), NULL));
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, atomic_load(&s.child), tu_msg("look", NULL), &reply));
    assert_int_equal((int)(int64_t)tu_u64(reply), AKT_ENOTFOUND);
    akt_msg_release(reply);
}

static void test_invalid_dependency_options(void **state) {
    (void)state;
    static seen s;
    akt_behavior b = tu_behavior(deps_receive);
    akt_spawn_options o;
    akt_pid pid = {0};
    const char *names[] = {"db", NULL};
    void *values[] = {&db, &cache};
    TU_OK(akt_spawn_options_init(&o));
    o.dependency_count = 1; /* arrays missing */
    TU_RC(AKT_EINVAL, akt_spawn(sys, &b, &s, &o, &pid));
    o.dependency_names = names;
    TU_RC(AKT_EINVAL, akt_spawn(sys, &b, &s, &o, &pid)); /* values missing */
    o.dependency_values = values;
    o.dependency_count = 2; /* a NULL name */
    TU_RC(AKT_EINVAL, akt_spawn(sys, &b, &s, &o, &pid));
    assert_int_equal(pid.id, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        D_TEST(test_dependencies_reachable),
        D_TEST(test_no_dependencies),
        D_TEST(test_children_do_not_inherit),
        D_TEST(test_invalid_dependency_options),
    };
    return cmocka_run_group_tests_name("deps", tests, NULL, NULL);
}
