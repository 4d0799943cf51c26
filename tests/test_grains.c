/* test_grains: virtual actors addressed by kind and name. */
#define _POSIX_C_SOURCE 200809L
#include "tu.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static akt_system *sys;

static int t_setup(void **state) {
    sys = tu_system("grains", 2);
    return tu_setup(state);
}

static int t_teardown(void **state) {
    if (sys) tu_system_end(sys); /* the tests that check what the shutdown did end it */
    sys = NULL;
    return tu_teardown(state);
}
#define T_TEST(f) cmocka_unit_test_setup_teardown(f, t_setup, t_teardown)

/* What every kind of these tests shares: counters and a latch on deactivations. */
typedef struct kind_obs {
    atomic_int activations, deactivations, active, max_active, frees;
    atomic_long received; /* over every activation */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} kind_obs;

static void obs_init(kind_obs *o) {
    memset(o, 0, sizeof *o);
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
}

static void obs_free(void *p) {
    kind_obs *o = p;
    atomic_fetch_add(&o->frees, 1);
}

static void obs_destroy(kind_obs *o) {
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->cv);
}

/* Waits (5 s at most) until n deactivations happened. */
static int obs_wait_deactivations(kind_obs *o, int n) {
    int64_t end = tu_now_ns() + 5000000000LL;
    pthread_mutex_lock(&o->mu);
    while (atomic_load(&o->deactivations) < n && tu_now_ns() < end) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 10000000;
        if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
        pthread_cond_timedwait(&o->cv, &o->mu, &ts);
    }
    pthread_mutex_unlock(&o->mu);
    return atomic_load(&o->deactivations) >= n;
}

/* A grain's state: its name and what it received. */
typedef struct counter {
    kind_obs *obs;
    char name[64];
    uint64_t count;
} counter;

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    counter *c = state;
    char text[32] = "";
    tu_text(msg, text, sizeof text);
    if (!strcmp(text, "get")) return tu_reply_u64(ctx, "count", c->count);
    if (!strcmp(text, "who")) {
        char who[96];
        snprintf(who, sizeof who, "%s#%llu", c->name, (unsigned long long)c->count);
        return tu_reply(ctx, "who", who);
    }
    if (!strcmp(text, "fail")) return akt_ctx_fail(ctx, "asked to");
    c->count++;
    atomic_fetch_add(&c->obs->received, 1);
    return 0;
}

static void counter_free(void *state) { free(state); }

static const akt_behavior counter_behavior = {
    sizeof(akt_behavior), counter_receive, NULL, NULL, counter_free, NULL};

static int counter_activate(void *kind_data, const char *name, const akt_behavior **b,
                            void **state) {
    if (!strcmp(name, "broken")) return AKT_EINVAL;
    counter *c = calloc(1, sizeof *c);
    if (!c) return AKT_ENOMEM;
    c->obs = kind_data;
    snprintf(c->name, sizeof c->name, "%s", name);
    *b = &counter_behavior;
    *state = c;
    return 0;
}

static int counter_on_activate(akt_ctx *ctx, void *state, void *kind_data) {
    (void)ctx;
    (void)state;
    kind_obs *o = kind_data;
    atomic_fetch_add(&o->activations, 1);
    int now = atomic_fetch_add(&o->active, 1) + 1, max = atomic_load(&o->max_active);
    while (now > max && !atomic_compare_exchange_weak(&o->max_active, &max, now)) {
    }
    return 0;
}

static void counter_on_deactivate(akt_ctx *ctx, void *state, void *kind_data) {
    (void)ctx;
    (void)state;
    kind_obs *o = kind_data;
    atomic_fetch_sub(&o->active, 1);
    pthread_mutex_lock(&o->mu);
    atomic_fetch_add(&o->deactivations, 1);
    pthread_cond_broadcast(&o->cv);
    pthread_mutex_unlock(&o->mu);
}

static void register_counter(const char *kind, kind_obs *o, int64_t after_ns) {
    akt_grain_kind def;
    TU_OK(akt_grain_kind_init(&def));
    def.activate = counter_activate;
    def.on_activate = counter_on_activate;
    def.on_deactivate = counter_on_deactivate;
    def.kind_data = o;
    def.free_kind_data = obs_free;
    def.deactivate_after_ns = after_ns;
    TU_OK(akt_grain_kind_register(sys, kind, &def));
}

static uint64_t grain_get(const char *kind, const char *name) {
    akt_future *f = NULL;
    TU_OK(akt_grain_ask(sys, kind, name, tu_msg("t", "get"), 5000000000LL, &f));
    akt_msg *r = NULL;
    TU_OK(tu_wait(f, &r));
    uint64_t v = tu_u64(r);
    akt_msg_release(r);
    return v;
}

typedef struct sender_arg {
    const char *kind;
    const char *name;
    int n;
    int pause_every; /* 0: never */
    atomic_int *errors;
} sender_arg;

static void *sender_main(void *p) {
    sender_arg *a = p;
    for (int i = 0; i < a->n; i++) {
        akt_msg *m = tu_msg("t", "inc");
        if (akt_grain_tell(sys, a->kind, a->name, m)) {
            akt_msg_release(m);
            atomic_fetch_add(a->errors, 1);
        }
        if (a->pause_every && i % a->pause_every == a->pause_every - 1) tu_sleep_ms(3);
    }
    return NULL;
}

static void run_senders(sender_arg *a, int threads) {
    pthread_t t[8];
    for (int i = 0; i < threads; i++)
        assert_int_equal(pthread_create(&t[i], NULL, sender_main, a), 0);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
}

/* 8 threads send the first messages of one identity at once: one activation, every
 * message counted by it. */
static void test_activation_once_under_contention(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    register_counter("counter", &o, 0);
    atomic_int errors = 0;
    sender_arg a = {"counter", "hot", 1000, 0, &errors};
    run_senders(&a, 8);
    assert_int_equal(atomic_load(&errors), 0);
    assert_int_equal(grain_get("counter", "hot"), 8000);
    assert_int_equal(atomic_load(&o.activations), 1);
    assert_int_equal(atomic_load(&o.max_active), 1);
    tu_system_end(sys);
    sys = NULL;
    /* The shutdown deactivated it and freed the kind's data once. */
    assert_int_equal(atomic_load(&o.deactivations), 1);
    assert_int_equal(atomic_load(&o.frees), 1);
    obs_destroy(&o);
}

/* Each identity is its own activation. */
static void test_identities_are_separate(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    register_counter("counter", &o, 0);
    for (int i = 0; i < 3; i++) TU_OK(akt_grain_tell(sys, "counter", "a", tu_msg("t", "inc")));
    TU_OK(akt_grain_tell(sys, "counter", "b", tu_msg("t", "inc")));
    assert_int_equal(grain_get("counter", "a"), 3);
    assert_int_equal(grain_get("counter", "b"), 1);
    assert_int_equal(grain_get("counter", "c"), 0);
    assert_int_equal(atomic_load(&o.activations), 3);
    tu_system_end(sys);
    sys = NULL;
    obs_destroy(&o);
}

/* An idle grain deactivates; its next message activates it again with fresh state. */
static void test_deactivation_and_reactivation(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    register_counter("idle", &o, 30000000LL); /* 30 ms */
    TU_OK(akt_grain_tell(sys, "idle", "x", tu_msg("t", "inc")));
    TU_OK(akt_grain_tell(sys, "idle", "x", tu_msg("t", "inc")));
    assert_int_equal(grain_get("idle", "x"), 2);
    assert_true(obs_wait_deactivations(&o, 1));
    assert_int_equal(atomic_load(&o.activations), 1);
    assert_int_equal(grain_get("idle", "x"), 0); /* a new activation */
    assert_int_equal(atomic_load(&o.activations), 2);
    assert_true(obs_wait_deactivations(&o, 2));
    tu_system_end(sys);
    sys = NULL;
    assert_int_equal(atomic_load(&o.deactivations), 2);
    obs_destroy(&o);
}

/* A grain kept busy does not deactivate, however long it lives: it lives 3 times its idle
 * time, getting a message every tenth of it (a stall of the whole idle time would be
 * needed to deactivate it). */
static void test_busy_grain_stays(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    register_counter("busy", &o, 200000000LL); /* 200 ms */
    for (int i = 0; i < 30; i++) {
        TU_OK(akt_grain_tell(sys, "busy", "x", tu_msg("t", "inc")));
        tu_sleep_ms(20); /* pacing the load, not synchronising */
    }
    assert_int_equal(grain_get("busy", "x"), 30);
    assert_int_equal(atomic_load(&o.activations), 1);
    tu_system_end(sys);
    sys = NULL;
    obs_destroy(&o);
}

/* Messages racing deactivations are never lost: with a 1 ms idle time and senders that
 * pause, the grain deactivates and reactivates while messages arrive, and every message is
 * received by exactly one activation, never two active at once. */
static void test_racing_deactivation_keeps_messages(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    register_counter("flap", &o, 1000000LL); /* 1 ms */
    atomic_int errors = 0;
    sender_arg a = {"flap", "x", 400, 50, &errors};
    run_senders(&a, 4);
    assert_int_equal(atomic_load(&errors), 0);
    grain_get("flap", "x"); /* everything sent before it was received */
    assert_int_equal(atomic_load(&o.received), 1600);
    assert_int_equal(atomic_load(&o.max_active), 1);
    assert_true(atomic_load(&o.activations) >= 1);
    tu_system_end(sys);
    sys = NULL;
    assert_int_equal(atomic_load(&o.activations), atomic_load(&o.deactivations));
    obs_destroy(&o);
}

/* Ask by identity: the grain knows its name and answers. */
static void test_ask_by_identity(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    register_counter("counter", &o, 0);
    TU_OK(akt_grain_tell(sys, "counter", "alice", tu_msg("t", "inc")));
    akt_future *f = NULL;
    TU_OK(akt_grain_ask(sys, "counter", "alice", tu_msg("t", "who"), 5000000000LL, &f));
    akt_msg *r = NULL;
    TU_OK(tu_wait(f, &r));
    char text[96];
    tu_text(r, text, sizeof text);
    assert_string_equal(text, "alice#1");
    akt_msg_release(r);
    tu_system_end(sys);
    sys = NULL;
    obs_destroy(&o);
}

/* A failed activation or a failing grain is stopped; the next message activates again. */
static void test_failures_reactivate(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    register_counter("counter", &o, 0);
    akt_future *f = NULL;
    TU_OK(akt_grain_ask(sys, "counter", "broken", tu_msg("t", "get"), 5000000000LL, &f));
    akt_msg *r = NULL;
    assert_int_not_equal(tu_wait(f, &r), 0);
    TU_OK(akt_grain_tell(sys, "counter", "y", tu_msg("t", "inc")));
    TU_OK(akt_grain_tell(sys, "counter", "y", tu_msg("t", "fail")));
    assert_true(obs_wait_deactivations(&o, 1));
    assert_int_equal(grain_get("counter", "y"), 0); /* fresh */
    assert_int_equal(atomic_load(&o.activations), 2);
    tu_system_end(sys);
    sys = NULL;
    obs_destroy(&o);
}

static void test_bad_input(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    akt_msg *m = tu_msg("t", "inc");
    assert_int_equal(akt_grain_tell(sys, "nokind", "x", m), AKT_ENOTFOUND);
    register_counter("counter", &o, 0);
    assert_int_equal(akt_grain_tell(sys, "nokind", "x", m), AKT_ENOTFOUND);
    akt_grain_kind def;
    TU_OK(akt_grain_kind_init(&def));
    def.activate = counter_activate;
    assert_int_equal(akt_grain_kind_register(sys, "counter", &def), AKT_EEXIST);
    assert_int_equal(akt_grain_kind_register(sys, "a/b", &def), AKT_EINVAL);
    assert_int_equal(akt_grain_kind_register(sys, "", &def), AKT_EINVAL);
    def.deactivate_after_ns = -1;
    assert_int_equal(akt_grain_kind_register(sys, "neg", &def), AKT_EINVAL);
    def.deactivate_after_ns = 0;
    def.activate = NULL;
    assert_int_equal(akt_grain_kind_register(sys, "noact", &def), AKT_EINVAL);
    assert_int_equal(akt_grain_tell(sys, "counter", "", m), AKT_EINVAL);
    assert_int_equal(akt_grain_tell(sys, "counter", NULL, m), AKT_EINVAL);
    char longname[1100];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(akt_grain_tell(sys, "counter", longname, m), AKT_EINVAL);
    akt_future *f = NULL;
    assert_int_equal(akt_grain_ask(sys, "counter", "x", m, -1, &f), AKT_EINVAL);
    assert_int_equal(akt_grain_ask(sys, "counter", "x", m, 0, NULL), AKT_EINVAL);
    /* A long identity (past the stack buffer) works. */
    longname[600] = 0;
    TU_OK(akt_grain_tell(sys, "counter", longname, m));
    assert_int_equal(grain_get("counter", longname), 1);
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    m = tu_msg("t", "inc");
    assert_int_equal(akt_grain_tell(sys, "counter", "x", m), AKT_ECLOSED);
    assert_int_equal(akt_grain_kind_register(sys, "late", &def), AKT_ECLOSED);
    akt_msg_release(m);
    tu_system_end(sys);
    sys = NULL;
    obs_destroy(&o);
}

/* Shutdown with many grains active (and idle timers armed) frees everything (ASan). */
static void test_shutdown_with_active_grains(void **s) {
    (void)s;
    static kind_obs o;
    obs_init(&o);
    register_counter("many", &o, 60000000000LL);
    char name[16];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "g%d", i);
        TU_OK(akt_grain_tell(sys, "many", name, tu_msg("t", "inc")));
    }
    assert_int_equal(grain_get("many", "g199"), 1);
    tu_system_end(sys);
    sys = NULL;
    assert_int_equal(atomic_load(&o.activations), 200);
    assert_int_equal(atomic_load(&o.deactivations), 200);
    assert_int_equal(atomic_load(&o.frees), 1);
    obs_destroy(&o);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        T_TEST(test_activation_once_under_contention),
        T_TEST(test_identities_are_separate),
        T_TEST(test_deactivation_and_reactivation),
        T_TEST(test_busy_grain_stays),
        T_TEST(test_racing_deactivation_keeps_messages),
        T_TEST(test_ask_by_identity),
        T_TEST(test_failures_reactivate),
        T_TEST(test_bad_input),
        T_TEST(test_shutdown_with_active_grains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
