/* test_asked: akt_future_target names a failed ask (whom, with what), as the bindings'
 * errors do. */
#include "tu.h"

#include <stdio.h>
#include <string.h>

static akt_system *sys;

static int a_setup(void **state) {
    sys = tu_system("asked", 1);
    return tu_setup(state);
}

static int a_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define A_TEST(f) cmocka_unit_test_setup_teardown(f, a_setup, a_teardown)

static int silent_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    return 0;
}

static void test_a_timed_out_ask_names_its_actor_and_type(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(silent_receive);
    akt_pid bank = tu_spawn(sys, &b, NULL, "bank");
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, bank, tu_msg("shop.Withdraw", "10"), TU_MS(20), &f));
    akt_msg *reply = NULL;
    TU_RC(AKT_ETIMEDOUT, akt_future_wait(f, TU_DEADLINE_NS, &reply));
    akt_pid who = {0};
    const char *type = NULL;
    TU_OK(akt_future_target(f, &who, &type));
    char path[128];
    TU_OK(akt_pid_path(sys, who, path, sizeof path, NULL));
    char text[256];
    snprintf(text, sizeof text, "ask of %s with %s: %s", path, type, akt_strerror(AKT_ETIMEDOUT));
    assert_true(strncmp(text, "ask of akt://asked/user/bank with shop.Withdraw: ", 49) == 0);
    TU_OK(akt_future_release(f));
}

static void test_batch_asks_name_each_type(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(silent_receive);
    akt_pid to = tu_spawn(sys, &b, NULL, NULL);
    akt_msg *msgs[2] = {tu_msg("a.One", NULL), tu_msg("b.Two", NULL)};
    akt_future *fs[2] = {NULL, NULL};
    TU_OK(akt_ask_batch(sys, to, msgs, 2, TU_SEC(5), fs));
    const char *type = NULL;
    TU_OK(akt_future_target(fs[0], NULL, &type));
    assert_string_equal(type, "a.One");
    TU_OK(akt_future_target(fs[1], NULL, &type));
    assert_string_equal(type, "b.Two");
    for (int i = 0; i < 2; i++) {
        TU_OK(akt_future_cancel(fs[i]));
        TU_OK(akt_future_release(fs[i]));
    }
}

static void test_a_graceful_stop_has_no_type(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(silent_receive);
    akt_pid pid = tu_spawn(sys, &b, NULL, NULL);
    akt_future *f = NULL;
    TU_OK(akt_stop_graceful(sys, pid, TU_SEC(5), &f));
    akt_pid who = {0};
    const char *type = "unset";
    TU_OK(akt_future_target(f, &who, &type));
    assert_true(who.id == pid.id);
    assert_null(type);
    akt_msg *reply = NULL;
    TU_OK(akt_future_wait(f, TU_DEADLINE_NS, &reply));
    TU_OK(akt_future_release(f));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        A_TEST(test_a_timed_out_ask_names_its_actor_and_type),
        A_TEST(test_batch_asks_name_each_type),
        A_TEST(test_a_graceful_stop_has_no_type),
    };
    return cmocka_run_group_tests_name("asked", tests, NULL, NULL);
}
