/* test_types: interned message types (akt_type): registration, typed messages, the id of
 * messages made by name, fixed-size reads, and a receive that switches on ids. */
#include "tu.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void test_register_is_idempotent(void **state) {
    (void)state;
    akt_system *sys = tu_system("types1", 1);
    const akt_type *a = NULL, *b = NULL, *c = NULL, *found = NULL;
    TU_OK(akt_type_register(sys, "types.Order", &a));
    TU_OK(akt_type_register(sys, "types.Order", &b));
    TU_OK(akt_type_register(sys, "types.Cancel", &c));
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, c);
    assert_true(akt_type_id(a) >= 1 && akt_type_id(a) <= 4095);
    assert_int_not_equal(akt_type_id(a), akt_type_id(c));
    assert_string_equal(akt_type_name(a), "types.Order");
    assert_string_equal(akt_type_name(c), "types.Cancel");
    TU_OK(akt_type_lookup("types.Cancel", &found));
    assert_ptr_equal(found, c);
    TU_RC(AKT_ENOTFOUND, akt_type_lookup("types.NeverRegistered", &found));
    /* A second system sees the same process-wide table. */
    akt_system *sys2 = tu_system("types1b", 1);
    TU_OK(akt_type_register(sys2, "types.Order", &b));
    assert_ptr_equal(a, b);
    tu_system_end(sys2);
    tu_system_end(sys);
}

typedef struct {
    int32_t qty;
    int64_t price;
} order;

static void test_typed_message(void **state) {
    (void)state;
    akt_system *sys = tu_system("types2", 1);
    const akt_type *t = NULL;
    TU_OK(akt_type_register(sys, "types.Priced", &t));
    order o = {3, 1999}, back = {0, 0};
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_typed(t, &o, sizeof o, AKT_COPY, &m));
    o.qty = 99; /* copied: the message must not see this */
    assert_string_equal(akt_msg_type(m), "types.Priced");
    assert_int_equal(akt_msg_type_id(m), akt_type_id(t));
    TU_OK(akt_msg_read(m, &back, sizeof back));
    assert_int_equal(back.qty, 3);
    assert_int_equal(back.price, 1999);
    TU_RC(AKT_ETYPE, akt_msg_read(m, &back, sizeof back - 1));
    const void *d = NULL;
    size_t n = 0;
    TU_OK(akt_msg_bytes(m, &d, &n));
    assert_int_equal(n, sizeof o);
    assert_int_equal((uintptr_t)d % _Alignof(max_align_t), 0);
    TU_OK(akt_msg_release(m));
    /* A signal: no payload at all. */
    TU_OK(akt_msg_new_typed(t, NULL, 0, AKT_BORROW, &m));
    TU_OK(akt_msg_read(m, NULL, 0));
    TU_RC(AKT_ETYPE, akt_msg_read(m, &back, sizeof back));
    assert_string_equal(akt_msg_type(m), "types.Priced");
    TU_OK(akt_msg_release(m));
    tu_system_end(sys);
}

static void test_named_message_gets_the_id(void **state) {
    (void)state;
    akt_system *sys = tu_system("types3", 1);
    akt_msg *m = tu_msg("types.Later", "x");
    assert_int_equal(akt_msg_type_id(m), 0); /* nobody registered the name yet */
    const akt_type *t = NULL;
    TU_OK(akt_type_register(sys, "types.Later", &t));
    assert_int_equal(akt_msg_type_id(m), akt_type_id(t));
    assert_int_equal(akt_msg_type_id(m), akt_type_id(t)); /* cached: the same */
    assert_string_equal(akt_msg_type(m), "types.Later");
    TU_OK(akt_msg_release(m));
    tu_system_end(sys);
}

static int obj_released;
static void obj_release(void *object, void *data) {
    (void)data;
    obj_released += *(int *)object;
}
static const akt_object_ops obj_ops = {.size = sizeof obj_ops, .release = obj_release};

static void test_typed_object(void **state) {
    (void)state;
    akt_system *sys = tu_system("types4", 1);
    const akt_type *t = NULL;
    TU_OK(akt_type_register(sys, "types.Obj", &t));
    int value = 5;
    akt_msg *m = NULL;
    obj_released = 0;
    TU_OK(akt_msg_new_typed_object(t, &value, &obj_ops, &m));
    void *back = NULL;
    TU_OK(akt_msg_object(m, &obj_ops, &back));
    assert_ptr_equal(back, &value);
    assert_string_equal(akt_msg_type(m), "types.Obj");
    assert_int_equal(akt_msg_type_id(m), akt_type_id(t));
    /* An object without to_bytes has no bytes to read. */
    TU_RC(AKT_ENOTSUP, akt_msg_read(m, &value, sizeof value));
    TU_OK(akt_msg_release(m));
    assert_int_equal(obj_released, 5);
    tu_system_end(sys);
}

/* ---- a receive that switches on ids ---------------------------------------------------- */
static const akt_type *T_ADD, *T_GET, *T_RESULT;

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    int64_t *sum = state;
    uint32_t id = akt_msg_type_id(msg);
    if (id == akt_type_id(T_ADD)) {
        int64_t v = 0;
        TU_CB_RC(0, akt_msg_read(msg, &v, sizeof v));
        *sum += v;
        return 0;
    }
    if (id == akt_type_id(T_GET)) {
        akt_msg *r = NULL;
        TU_CB_RC(0, akt_msg_new_typed(T_RESULT, sum, sizeof *sum, AKT_COPY, &r));
        if (akt_ctx_respond(ctx, r)) akt_msg_release(r);
        return 0;
    }
    return AKT_EUNHANDLED;
}

static void test_receive_switches_on_ids(void **state) {
    (void)state;
    akt_system *sys = tu_system("types5", 2);
    TU_OK(akt_type_register(sys, "types.Add", &T_ADD));
    TU_OK(akt_type_register(sys, "types.Get", &T_GET));
    TU_OK(akt_type_register(sys, "types.Result", &T_RESULT));
    int64_t sum = 0;
    akt_behavior b = tu_behavior(counter_receive);
    akt_pid pid = tu_spawn(sys, &b, &sum, "counter");
    for (int64_t i = 1; i <= 100; i++) {
        akt_msg *m = NULL;
        TU_OK(akt_msg_new_typed(T_ADD, &i, sizeof i, AKT_COPY, &m));
        TU_OK(akt_tell(sys, pid, m));
    }
    /* One made by name takes the same branch: the name is the identity. */
    akt_msg *named = tu_msg_u64("types.Add", 0);
    int64_t thousand = 1000;
    TU_OK(akt_msg_release(named));
    TU_OK(akt_msg_new_bytes("types.Add", &thousand, sizeof thousand, AKT_COPY, &named));
    TU_OK(akt_tell(sys, pid, named));
    akt_msg *get = NULL, *reply = NULL;
    TU_OK(akt_msg_new_typed(T_GET, NULL, 0, AKT_BORROW, &get));
    TU_OK(tu_ask(sys, pid, get, &reply));
    assert_string_equal(akt_msg_type(reply), "types.Result");
    assert_int_equal(akt_msg_type_id(reply), akt_type_id(T_RESULT));
    int64_t got = 0;
    TU_OK(akt_msg_read(reply, &got, sizeof got));
    assert_int_equal(got, 5050 + 1000);
    TU_OK(akt_msg_release(reply));
    tu_assert_no_cb_failures();
    tu_system_end(sys);
}

/* ---- registration races ---------------------------------------------------------------- */
#define RACERS 4
#define RACE_TYPES 64
typedef struct {
    akt_system *sys;
    const akt_type *got[RACE_TYPES];
} racer;

static void *race_main(void *p) {
    racer *r = p;
    char name[32];
    for (int i = 0; i < RACE_TYPES; i++) {
        snprintf(name, sizeof name, "types.race.%d", i);
        if (akt_type_register(r->sys, name, &r->got[i])) r->got[i] = NULL;
    }
    return NULL;
}

static void test_concurrent_registration(void **state) {
    (void)state;
    akt_system *sys = tu_system("types6", 1);
    racer rs[RACERS];
    pthread_t th[RACERS];
    for (int i = 0; i < RACERS; i++) {
        rs[i].sys = sys;
        assert_int_equal(pthread_create(&th[i], NULL, race_main, &rs[i]), 0);
    }
    for (int i = 0; i < RACERS; i++) pthread_join(th[i], NULL);
    for (int t = 0; t < RACE_TYPES; t++) {
        assert_non_null(rs[0].got[t]);
        for (int i = 1; i < RACERS; i++) assert_ptr_equal(rs[i].got[t], rs[0].got[t]);
        char name[32];
        snprintf(name, sizeof name, "types.race.%d", t);
        assert_string_equal(akt_type_name(rs[0].got[t]), name);
        for (int u = 0; u < t; u++)
            assert_int_not_equal(akt_type_id(rs[0].got[u]), akt_type_id(rs[0].got[t]));
    }
    tu_system_end(sys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_register_is_idempotent),    TU_TEST(test_typed_message),
        TU_TEST(test_named_message_gets_the_id), TU_TEST(test_typed_object),
        TU_TEST(test_receive_switches_on_ids),   TU_TEST(test_concurrent_registration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
