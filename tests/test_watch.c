/* test_watch: death watch. */
#include "tu.h"

#include <string.h>

static akt_system *sys;

static int w_setup(void **state) {
    sys = tu_system("watch", 2);
    return tu_setup(state);
}

static int w_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define W_TEST(f) cmocka_unit_test_setup_teardown(f, w_setup, w_teardown)

#define MAX_TERM 16
typedef struct watcher {
    pthread_mutex_t mu;
    int n;
    akt_pid terminated[MAX_TERM];
} watcher;

static int terminated_count(watcher *w, akt_pid pid) {
    int c = 0;
    pthread_mutex_lock(&w->mu);
    for (int i = 0; i < w->n && i < MAX_TERM; i++) c += w->terminated[i].id == pid.id;
    pthread_mutex_unlock(&w->mu);
    return c;
}

static int watcher_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    watcher *w = state;
    if (tu_is(msg, AKT_TYPE_TERMINATED)) {
        akt_pid who = {0};
        TU_CB_RC(0, akt_msg_pid(msg, &who));
        TU_CB_CHECK(who.id != 0);
        pthread_mutex_lock(&w->mu);
        if (w->n < MAX_TERM) w->terminated[w->n] = who;
        w->n++;
        pthread_mutex_unlock(&w->mu);
        return 0;
    }
    if (tu_is(msg, "watch"))
        return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)akt_ctx_watch(ctx, tu_pid(msg)));
    if (tu_is(msg, "unwatch"))
        return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)akt_ctx_unwatch(ctx, tu_pid(msg)));
    return tu_reply(ctx, "ok", NULL);
}

static int idle_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return tu_reply(ctx, "ok", NULL);
}

static akt_pid spawn_watcher(watcher *w) {
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    akt_behavior b = tu_behavior(watcher_receive);
    return tu_spawn(sys, &b, w, NULL);
}

static akt_pid spawn_idle(void) {
    akt_behavior b = tu_behavior(idle_receive);
    return tu_spawn(sys, &b, NULL, NULL);
}

static int ask_rc(akt_pid to, const char *type, akt_pid arg) {
    akt_msg *reply = NULL;
    int rc = tu_ask(sys, to, tu_msg_pid(type, arg), &reply);
    if (rc != 0) fail_msg("ask %s: %s", type, akt_err_name(rc));
    int v = (int)(int64_t)tu_u64(reply);
    akt_msg_release(reply);
    return v;
}

static void test_watch_gets_terminated(void **state) {
    (void)state;
    static watcher w;
    akt_pid wp = spawn_watcher(&w);
    akt_pid t = spawn_idle();
    assert_int_equal(ask_rc(wp, "watch", t), 0);
    TU_OK(akt_stop(sys, t));
    TU_EVENTUALLY(terminated_count(&w, t) == 1);
    tu_wait_dead(sys, t);
}

static void test_watch_dead_pid_is_immediate(void **state) {
    (void)state;
    static watcher w;
    akt_pid wp = spawn_watcher(&w);
    akt_pid t = spawn_idle();
    tu_stop_wait(sys, t);
    assert_int_equal(ask_rc(wp, "watch", t), 0);
    TU_EVENTUALLY(terminated_count(&w, t) == 1);
}

/* After a later watched actor's Terminated arrived, an earlier one can no longer be on its
 * way: both come from the same stop machinery and the earlier stop completed first. */
static void settle(akt_pid wp, watcher *w) {
    akt_pid marker = spawn_idle();
    assert_int_equal(ask_rc(wp, "watch", marker), 0);
    tu_stop_wait(sys, marker);
    TU_EVENTUALLY(terminated_count(w, marker) == 1);
    TU_OK(tu_ask(sys, wp, tu_msg("sync", NULL), NULL));
}

static void test_unwatch_gets_nothing(void **state) {
    (void)state;
    static watcher w;
    akt_pid wp = spawn_watcher(&w);
    akt_pid t = spawn_idle();
    assert_int_equal(ask_rc(wp, "watch", t), 0);
    assert_int_equal(ask_rc(wp, "unwatch", t), 0);
    tu_stop_wait(sys, t);
    settle(wp, &w);
    assert_int_equal(terminated_count(&w, t), 0);
}

static void test_watch_twice_is_one_watch(void **state) {
    (void)state;
    static watcher w;
    akt_pid wp = spawn_watcher(&w);
    akt_pid t = spawn_idle();
    assert_int_equal(ask_rc(wp, "watch", t), 0);
    assert_int_equal(ask_rc(wp, "watch", t), 0);
    tu_stop_wait(sys, t);
    TU_EVENTUALLY(terminated_count(&w, t) >= 1);
    settle(wp, &w);
    assert_int_equal(terminated_count(&w, t), 1);
}

static void test_many_watchers(void **state) {
    (void)state;
    static watcher w[4];
    akt_pid wp[4];
    akt_pid t = spawn_idle();
    for (int i = 0; i < 4; i++) {
        wp[i] = spawn_watcher(&w[i]);
        assert_int_equal(ask_rc(wp[i], "watch", t), 0);
    }
    TU_OK(akt_poison(sys, t));
    for (int i = 0; i < 4; i++) TU_EVENTUALLY(terminated_count(&w[i], t) == 1);
}

static void test_watcher_dies_first(void **state) {
    (void)state;
    static watcher w;
    akt_pid wp = spawn_watcher(&w);
    akt_pid t = spawn_idle();
    assert_int_equal(ask_rc(wp, "watch", t), 0);
    tu_stop_wait(sys, wp);
    /* The notification has nobody to go to: nothing breaks. */
    tu_stop_wait(sys, t);
    static watcher w2;
    akt_pid wp2 = spawn_watcher(&w2);
    settle(wp2, &w2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        W_TEST(test_watch_gets_terminated), W_TEST(test_watch_dead_pid_is_immediate),
        W_TEST(test_unwatch_gets_nothing),  W_TEST(test_watch_twice_is_one_watch),
        W_TEST(test_many_watchers),         W_TEST(test_watcher_dies_first),
    };
    return cmocka_run_group_tests_name("watch", tests, NULL, NULL);
}
