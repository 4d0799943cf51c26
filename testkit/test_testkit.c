/* test_testkit: every expectation of akt/testkit.h holds when it should, and fails (with
 * its code and a sentence) when it should. */
#include "tu.h"

#include <akt/testkit.h>
#include <string.h>

static akt_system *sys;
static akt_tk_probe *probe;

static int k_setup(void **state) {
    sys = akt_tk_system("testkit");
    if (!sys || akt_tk_probe_new(sys, &probe)) return -1;
    return tu_setup(state);
}

static int k_teardown(void **state) {
    akt_tk_probe_free(probe);
    probe = NULL;
    int rc = akt_tk_system_end(sys);
    sys = NULL;
    if (rc) return -1;
    return tu_teardown(state);
}
#define K_TEST(f) cmocka_unit_test_setup_teardown(f, k_setup, k_teardown)

static void tell_probe(const char *type, const char *text) {
    TU_OK(akt_tell(sys, akt_tk_probe_pid(probe), tu_msg(type, text)));
}

static void test_expect_message_gets_what_was_told(void **state) {
    (void)state;
    tell_probe("tk.Hello", "hi");
    akt_msg *m = NULL;
    TU_OK(akt_tk_expect_message(probe, AKT_TK_MS(2000), &m));
    assert_string_equal(akt_msg_type(m), "tk.Hello");
    akt_msg_release(m);
    assert_string_equal(akt_tk_probe_error(probe), "");
}

static void test_expect_message_times_out(void **state) {
    (void)state;
    int64_t t0 = tu_now_ns();
    TU_RC(AKT_ETIMEDOUT, akt_tk_expect_message(probe, AKT_TK_MS(30), NULL));
    assert_true(tu_now_ns() - t0 >= AKT_TK_MS(30));
    assert_string_equal(akt_tk_probe_error(probe), "expected a message within 30 ms, got none");
}

static void test_expect_type_refuses_another_type(void **state) {
    (void)state;
    tell_probe("tk.A", NULL);
    tell_probe("tk.B", NULL);
    TU_RC(AKT_ETYPE, akt_tk_expect_type(probe, "tk.B", AKT_TK_MS(2000), NULL));
    assert_string_equal(akt_tk_probe_error(probe), "expected a tk.B, got a tk.A");
    TU_OK(akt_tk_expect_type(probe, "tk.B", AKT_TK_MS(2000), NULL)); /* A was consumed */
}

static int text_is(akt_msg *m, void *want) {
    char buf[32];
    tu_text(m, buf, sizeof buf);
    return strcmp(buf, want) == 0;
}

static void test_expect_match_uses_the_predicate(void **state) {
    (void)state;
    tell_probe("tk.N", "1");
    tell_probe("tk.N", "2");
    TU_RC(AKT_EUNHANDLED, akt_tk_expect_match(probe, text_is, "2", AKT_TK_MS(2000), NULL));
    assert_string_equal(akt_tk_probe_error(probe),
                        "expected a matching message, got a tk.N that does not match");
    akt_msg *m = NULL;
    TU_OK(akt_tk_expect_match(probe, text_is, "2", AKT_TK_MS(2000), &m));
    akt_msg_release(m);
    TU_RC(AKT_ETIMEDOUT, akt_tk_expect_match(probe, text_is, "3", AKT_TK_MS(10), NULL));
}

static void test_expect_no_message(void **state) {
    (void)state;
    TU_OK(akt_tk_expect_no_message(probe, AKT_TK_MS(20)));
    tell_probe("tk.Late", NULL);
    TU_RC(AKT_EEXIST, akt_tk_expect_no_message(probe, AKT_TK_MS(2000)));
    assert_string_equal(akt_tk_probe_error(probe), "expected no message for 2000 ms, got a tk.Late");
}

static int quiet(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    return 0;
}

static void test_expect_terminated(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(quiet);
    akt_pid pid = tu_spawn(sys, &b, NULL, NULL);
    /* Still running: no Terminated yet. */
    TU_RC(AKT_ETIMEDOUT, akt_tk_expect_terminated(probe, pid, AKT_TK_MS(20)));
    TU_OK(akt_stop(sys, pid));
    TU_OK(akt_tk_expect_terminated(probe, pid, AKT_TK_MS(2000)));
    /* An actor gone already: its Terminated comes at once. */
    TU_OK(akt_tk_expect_terminated(probe, pid, AKT_TK_MS(2000)));
    akt_pid other = tu_spawn(sys, &b, NULL, NULL);
    tell_probe("tk.First", NULL);
    TU_RC(AKT_ETYPE, akt_tk_expect_terminated(probe, other, AKT_TK_MS(2000)));
    assert_string_equal(akt_tk_probe_error(probe),
                        "expected the Terminated of the watched actor, got a tk.First");
}

static void test_bad_input(void **state) {
    (void)state;
    akt_tk_probe *p = NULL;
    TU_RC(AKT_EINVAL, akt_tk_probe_new(NULL, &p));
    TU_RC(AKT_EINVAL, akt_tk_probe_new(sys, NULL));
    TU_RC(AKT_EINVAL, akt_tk_expect_message(NULL, 0, NULL));
    TU_RC(AKT_EINVAL, akt_tk_expect_type(probe, NULL, 0, NULL));
    TU_RC(AKT_EINVAL, akt_tk_expect_match(probe, NULL, NULL, 0, NULL));
    TU_RC(AKT_EINVAL, akt_tk_expect_terminated(probe, (akt_pid){0}, 0));
    TU_RC(AKT_EINVAL, akt_tk_system_end(NULL));
    akt_tk_probe_free(NULL);
    assert_true(akt_tk_probe_pid(NULL).id == 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        K_TEST(test_expect_message_gets_what_was_told),
        K_TEST(test_expect_message_times_out),
        K_TEST(test_expect_type_refuses_another_type),
        K_TEST(test_expect_match_uses_the_predicate),
        K_TEST(test_expect_no_message),
        K_TEST(test_expect_terminated),
        K_TEST(test_bad_input),
    };
    return cmocka_run_group_tests_name("testkit", tests, NULL, NULL);
}
