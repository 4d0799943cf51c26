/* test_behaviors: become / unbecome, stacked behaviours, stash / unstash / unstash_all. */
#include "tu.h"

#include <stdio.h>
#include <string.h>

static akt_system *sys;
static tu_log lg;

static int beh_setup(void **state) {
    tu_log_init(&lg);
    sys = tu_system("behaviors", 2);
    return tu_setup(state);
}

static int beh_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    tu_log_destroy(&lg);
    return tu_teardown(state);
}
#define BEH_TEST(f) cmocka_unit_test_setup_teardown(f, beh_setup, beh_teardown)

/* ---- become ------------------------------------------------------------------------- */

/* Each handler has its own state; the handler checks it got the one given to become. */
static int s0, s1, s2, s3;
static int r0(akt_ctx *ctx, akt_msg *msg, void *state);
static int r1(akt_ctx *ctx, akt_msg *msg, void *state);
static int r2(akt_ctx *ctx, akt_msg *msg, void *state);
static int r3(akt_ctx *ctx, akt_msg *msg, void *state);

static int handle(akt_ctx *ctx, akt_msg *msg, const char *name) {
    if (tu_is(msg, "who")) return tu_reply(ctx, "name", name);
    int rc;
    if (tu_is(msg, "push1"))
        rc = akt_ctx_become(ctx, r1, &s1, 1);
    else if (tu_is(msg, "push2"))
        rc = akt_ctx_become(ctx, r2, &s2, 1);
    else if (tu_is(msg, "replace1"))
        rc = akt_ctx_become(ctx, r1, &s1, 0);
    else if (tu_is(msg, "replace3"))
        rc = akt_ctx_become(ctx, r3, &s3, 0);
    else if (tu_is(msg, "pop"))
        rc = akt_ctx_unbecome_stacked(ctx);
    else if (tu_is(msg, "unbecome"))
        rc = akt_ctx_unbecome(ctx);
    else
        return AKT_EUNHANDLED;
    return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)rc);
}

static int r0(akt_ctx *ctx, akt_msg *msg, void *state) {
    TU_CB_CHECK(state == &s0);
    return handle(ctx, msg, "r0");
}
static int r1(akt_ctx *ctx, akt_msg *msg, void *state) {
    TU_CB_CHECK(state == &s1);
    return handle(ctx, msg, "r1");
}
static int r2(akt_ctx *ctx, akt_msg *msg, void *state) {
    TU_CB_CHECK(state == &s2);
    return handle(ctx, msg, "r2");
}
static int r3(akt_ctx *ctx, akt_msg *msg, void *state) {
    TU_CB_CHECK(state == &s3);
    return handle(ctx, msg, "r3");
}

static void expect_who(akt_pid pid, const char *want) {
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, pid, tu_msg("who", NULL), &reply));
    char got[16];
    tu_text(reply, got, sizeof got);
    akt_msg_release(reply);
    if (strcmp(got, want) != 0) fail_msg("the actor answers as %s, expected %s", got, want);
}

static int op(akt_pid pid, const char *what) { return (int)(int64_t)tu_ask_u64(sys, pid, what); }

static akt_pid spawn_r0(void) {
    akt_behavior b = tu_behavior(r0);
    return tu_spawn(sys, &b, &s0, NULL);
}

static void test_become_and_unbecome(void **state) {
    (void)state;
    akt_pid pid = spawn_r0();
    expect_who(pid, "r0");
    assert_int_equal(op(pid, "replace1"), 0);
    expect_who(pid, "r1");
    expect_who(pid, "r1"); /* it stays */
    assert_int_equal(op(pid, "unbecome"), 0);
    expect_who(pid, "r0");
}

static void test_become_stacked_and_unbecome_stacked(void **state) {
    (void)state;
    akt_pid pid = spawn_r0();
    assert_int_equal(op(pid, "push1"), 0);
    expect_who(pid, "r1");
    assert_int_equal(op(pid, "push2"), 0);
    expect_who(pid, "r2");
    assert_int_equal(op(pid, "pop"), 0);
    expect_who(pid, "r1");
    assert_int_equal(op(pid, "pop"), 0);
    expect_who(pid, "r0");
    /* Nothing stacked any more. */
    assert_int_equal(op(pid, "pop"), AKT_EMISUSE);
    expect_who(pid, "r0");
}

static void test_become_replaces_whole_stack(void **state) {
    (void)state;
    akt_pid pid = spawn_r0();
    assert_int_equal(op(pid, "push1"), 0);
    assert_int_equal(op(pid, "push2"), 0);
    assert_int_equal(op(pid, "replace3"), 0);
    expect_who(pid, "r3");
    assert_int_equal(op(pid, "unbecome"), 0);
    expect_who(pid, "r0");
    assert_int_equal(op(pid, "pop"), AKT_EMISUSE);
}

static void test_unhandled_in_become(void **state) {
    (void)state;
    akt_pid pid = spawn_r0();
    assert_int_equal(op(pid, "push1"), 0);
    TU_RC(AKT_EUNHANDLED, tu_ask(sys, pid, tu_msg("nonsense", NULL), NULL));
    expect_who(pid, "r1");
}

/* ---- stash -------------------------------------------------------------------------- */

typedef struct stasher {
    int allow; /* how many "m*" messages to handle before stashing again */
    atomic_int stash_rc, unstash_rc, empty_rc;
} stasher;

static int is_m(akt_msg *msg) {
    const char *t = akt_msg_type(msg);
    return t && t[0] == 'm';
}

static int stash_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    stasher *s = state;
    if (is_m(msg)) {
        if (s->allow > 0) {
            s->allow--;
            tu_log_add(&lg, "%s", akt_msg_type(msg));
            return tu_reply(ctx, "done", akt_msg_type(msg));
        }
        int rc = akt_ctx_stash(ctx);
        if (rc != 0) atomic_store(&s->stash_rc, rc);
        return 0;
    }
    if (tu_is(msg, "one")) {
        s->allow = 1;
        int rc = akt_ctx_unstash(ctx);
        if (rc != 0) atomic_store(&s->unstash_rc, rc);
        return 0;
    }
    if (tu_is(msg, "all")) {
        s->allow = 1000;
        int rc = akt_ctx_unstash_all(ctx);
        if (rc != 0) atomic_store(&s->unstash_rc, rc);
        return 0;
    }
    if (tu_is(msg, "empty")) {
        atomic_store(&s->empty_rc, akt_ctx_unstash(ctx));
        return 0;
    }
    tu_log_add(&lg, "%s", akt_msg_type(msg));
    return tu_reply(ctx, "ok", NULL);
}

static akt_pid spawn_stasher(stasher *s) {
    akt_behavior b = tu_behavior(stash_receive);
    return tu_spawn(sys, &b, s, NULL);
}

static void tell(akt_pid pid, const char *type) { TU_OK(akt_tell(sys, pid, tu_msg(type, NULL))); }

static void expect_log(const char *want) {
    const char *got = tu_log_str(&lg);
    if (strcmp(got, want) != 0) fail_msg("handled \"%s\", expected \"%s\"", got, want);
}

static void test_unstash_all_keeps_order(void **state) {
    (void)state;
    static stasher s;
    akt_pid pid = spawn_stasher(&s);
    tell(pid, "m1");
    tell(pid, "m2");
    tell(pid, "m3");
    tell(pid, "m4");
    tell(pid, "m5");
    tell(pid, "all");
    tell(pid, "m6");
    TU_OK(tu_ask(sys, pid, tu_msg("sync", NULL), NULL));
    expect_log("m1 m2 m3 m4 m5 m6 sync");
    assert_int_equal(atomic_load(&s.stash_rc), 0);
    assert_int_equal(atomic_load(&s.unstash_rc), 0);
}

static void test_unstash_one_goes_first(void **state) {
    (void)state;
    static stasher s;
    akt_pid pid = spawn_stasher(&s);
    tell(pid, "m1");
    tell(pid, "m2");
    tell(pid, "m3");
    tell(pid, "one"); /* m1 goes back in front of the mailbox: before x */
    tell(pid, "x");
    tell(pid, "one");
    tell(pid, "all");
    tell(pid, "empty");
    TU_OK(tu_ask(sys, pid, tu_msg("sync", NULL), NULL));
    expect_log("m1 x m2 m3 sync");
    assert_int_equal(atomic_load(&s.unstash_rc), 0);
    assert_int_equal(atomic_load(&s.empty_rc), AKT_EAGAIN);
}

static void test_stashed_ask_is_answered_later(void **state) {
    (void)state;
    static stasher s;
    akt_pid pid = spawn_stasher(&s);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, pid, tu_msg("mq", NULL), TU_DEADLINE_NS, &f));
    TU_OK(tu_ask(sys, pid, tu_msg("sync", NULL), NULL));
    akt_msg *reply = (akt_msg *)0x1;
    TU_RC(AKT_EAGAIN, akt_future_wait(f, 0, &reply)); /* stashed, not answered */
    tell(pid, "all");
    TU_OK(tu_wait(f, &reply));
    char text[8];
    tu_text(reply, text, sizeof text);
    assert_string_equal(text, "mq");
    akt_msg_release(reply);
    TU_OK(akt_future_release(f));
}

static void test_stash_goes_to_dead_letters_on_stop(void **state) {
    (void)state;
    static stasher s;
    static tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    akt_pid pid = spawn_stasher(&s);
    tell(pid, "m1");
    tell(pid, "m2");
    TU_OK(tu_ask(sys, pid, tu_msg("sync", NULL), NULL));
    tu_stop_wait(sys, pid);
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, pid) == 2);
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        BEH_TEST(test_become_and_unbecome),
        BEH_TEST(test_become_stacked_and_unbecome_stacked),
        BEH_TEST(test_become_replaces_whole_stack),
        BEH_TEST(test_unhandled_in_become),
        BEH_TEST(test_unstash_all_keeps_order),
        BEH_TEST(test_unstash_one_goes_first),
        BEH_TEST(test_stashed_ask_is_answered_later),
        BEH_TEST(test_stash_goes_to_dead_letters_on_stop),
    };
    return cmocka_run_group_tests_name("behaviors", tests, NULL, NULL);
}
