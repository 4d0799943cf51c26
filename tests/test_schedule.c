/* test_schedule: akt_schedule_* (once, every, pause/resume/cancel, listing), the end of an
 * actor's schedules when it stops, dead letters for a gone target, and shutdown. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime(CLOCK_REALTIME) */
#include "tu.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/schedule.h"

static akt_system *sys;
static akt_system *ctx_sys(akt_ctx *ctx);

static int s_setup(void **state) {
    sys = tu_system("sched", 2);
    return tu_setup(state);
}

static int s_teardown(void **state) {
    if (sys) tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define S_TEST(f) cmocka_unit_test_setup_teardown(f, s_setup, s_teardown)

#define MAX_TIMES 64
typedef struct counter {
    atomic_int n;
    atomic_ullong sender;
    int64_t at[MAX_TIMES]; /* written by the actor only, read once it is quiet */
    char cancel_ref[64];   /* non-empty: the actor cancels this at its first tick */
    atomic_int cancel_rc;
} counter;

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    counter *c = state;
    if (!tu_is(msg, "tick")) return tu_reply(ctx, "ok", NULL);
    int n = atomic_load(&c->n);
    if (n < MAX_TIMES) c->at[n] = tu_now_ns();
    akt_pid from = {0};
    TU_CB_RC(0, akt_ctx_sender(ctx, &from));
    atomic_store(&c->sender, from.id);
    if (n == 0 && c->cancel_ref[0])
        atomic_store(&c->cancel_rc, akt_schedule_cancel(ctx_sys(ctx), c->cancel_ref));
    atomic_fetch_add(&c->n, 1);
    return 0;
}

static akt_pid spawn_counter(counter *c) {
    memset(c, 0, sizeof *c);
    akt_behavior b = tu_behavior(counter_receive);
    return tu_spawn(sys, &b, c, NULL);
}

/* Returns once the actor handled everything queued before this call. */
static void sync_with(akt_pid p) { TU_RC(0, tu_ask(sys, p, tu_msg("sync", NULL), NULL)); }

static akt_system *ctx_sys(akt_ctx *ctx) {
    akt_system *s = NULL;
    akt_ctx_system(ctx, &s);
    return s;
}

typedef struct listing {
    int n;
    char refs[8][64];
    int paused[8];
    int kind[8];
} listing;

static void list_cb(const akt_schedule_info *info, void *data) {
    listing *l = data;
    if (l->n < 8) {
        snprintf(l->refs[l->n], sizeof l->refs[0], "%s", info->reference);
        l->paused[l->n] = info->paused;
        l->kind[l->n] = info->kind;
    }
    l->n++;
}

static int list_count(void) {
    listing l = {0};
    size_t n = 0;
    TU_OK(akt_schedule_list(sys, list_cb, &l, &n));
    assert_int_equal((int)n, l.n);
    return l.n;
}

static void test_once_fires_once_with_a_generated_uuid(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    char ref[AKT_SCHEDULE_REF_MAX + 1];
    TU_OK(akt_schedule_once(sys, p, tu_msg("tick", NULL), TU_MS(5), NULL, ref, sizeof ref));
    assert_int_equal(36, (int)strlen(ref));
    assert_int_equal('4', ref[14]);
    assert_int_equal('-', ref[8]);
    TU_EVENTUALLY(atomic_load(&c.n) == 1);
    TU_EVENTUALLY(list_count() == 0);
    tu_sleep_ms(30);
    assert_int_equal(1, atomic_load(&c.n));
    TU_RC(AKT_ENOTFOUND, akt_schedule_cancel(sys, ref));
}

static void test_every_fires_until_cancelled_with_its_sender(void **state) {
    (void)state;
    static counter c, other;
    akt_pid p = spawn_counter(&c);
    akt_pid s = spawn_counter(&other);
    akt_schedule_options o = {sizeof o, "tick-every", s};
    char ref[16];
    TU_OK(akt_schedule_every(sys, p, tu_msg("tick", NULL), 0, TU_MS(5), &o, ref, sizeof ref));
    assert_string_equal("tick-every", ref);
    TU_EVENTUALLY(atomic_load(&c.n) >= 3);
    assert_int_equal(s.id, atomic_load(&c.sender));
    TU_OK(akt_schedule_cancel(sys, "tick-every"));
    /* Once cancel returned no fire is delivered: the count settles at once. */
    sync_with(p);
    int n = atomic_load(&c.n);
    tu_sleep_ms(40);
    assert_int_equal(n, atomic_load(&c.n));
    assert_int_equal(0, list_count());
    TU_RC(AKT_ENOTFOUND, akt_schedule_cancel(sys, "tick-every"));
}

static void test_references_and_bad_arguments(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    akt_schedule_options o = {sizeof o, "dup", {0}};
    TU_OK(akt_schedule_once(sys, p, tu_msg("tick", NULL), TU_SEC(3600), &o, NULL, 0));
    akt_msg *m = tu_msg("tick", NULL);
    TU_RC(AKT_EEXIST, akt_schedule_once(sys, p, m, 0, &o, NULL, 0));
    TU_RC(AKT_EEXIST, akt_schedule_every(sys, p, m, 0, TU_MS(1), &o, NULL, 0));
    char small[8];
    TU_RC(AKT_ERANGE, akt_schedule_once(sys, p, m, 0, NULL, small, sizeof small));
    TU_RC(AKT_EINVAL, akt_schedule_once(sys, p, m, -1, NULL, NULL, 0));
    TU_RC(AKT_EINVAL, akt_schedule_every(sys, p, m, 0, 0, NULL, NULL, 0));
    TU_RC(AKT_EINVAL, akt_schedule_every(sys, p, m, -1, TU_MS(1), NULL, NULL, 0));
    akt_schedule_options empty = {sizeof empty, "", {0}};
    TU_RC(AKT_EINVAL, akt_schedule_once(sys, p, m, 0, &empty, NULL, 0));
    char longref[AKT_SCHEDULE_REF_MAX + 2];
    memset(longref, 'x', sizeof longref - 1);
    longref[sizeof longref - 1] = 0;
    akt_schedule_options lo = {sizeof lo, longref, {0}};
    TU_RC(AKT_EINVAL, akt_schedule_once(sys, p, m, 0, &lo, NULL, 0));
    TU_RC(AKT_ENOTFOUND, akt_schedule_once(sys, (akt_pid){12345}, m, 0, NULL, NULL, 0));
    TU_RC(AKT_ENOTFOUND, akt_schedule_pause(sys, "nope"));
    TU_RC(AKT_ENOTFOUND, akt_schedule_resume(sys, "nope"));
    akt_msg_release(m);
    assert_int_equal(1, list_count());
    TU_OK(akt_schedule_cancel(sys, "dup"));
    assert_int_equal(0, list_count());
    /* The reference is free again. */
    TU_OK(akt_schedule_once(sys, p, tu_msg("tick", NULL), 0, &o, NULL, 0));
    TU_EVENTUALLY(atomic_load(&c.n) == 1);
}

static void test_pause_keeps_the_reference_and_resume_fires_without_a_burst(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    akt_schedule_options o = {sizeof o, "pausable", {0}};
    TU_OK(akt_schedule_every(sys, p, tu_msg("tick", NULL), 0, TU_MS(5), &o, NULL, 0));
    TU_EVENTUALLY(atomic_load(&c.n) >= 2);
    TU_OK(akt_schedule_pause(sys, "pausable"));
    TU_OK(akt_schedule_pause(sys, "pausable")); /* again: nothing changes */
    sync_with(p);                               /* what was queued before the pause is in */
    int n = atomic_load(&c.n);
    listing l = {0};
    TU_OK(akt_schedule_list(sys, list_cb, &l, NULL));
    assert_int_equal(1, l.n);
    assert_string_equal("pausable", l.refs[0]);
    assert_int_equal(1, l.paused[0]);
    assert_int_equal(AKT_SCHEDULE_EVERY, l.kind[0]);
    tu_sleep_ms(100); /* twenty ticks missed */
    assert_int_equal(n, atomic_load(&c.n));
    TU_OK(akt_schedule_resume(sys, "pausable"));
    TU_EVENTUALLY(atomic_load(&c.n) >= n + 1);
    sync_with(p);
    /* A burst would deliver the twenty missed ticks at once. */
    assert_true(atomic_load(&c.n) <= n + 4);
    TU_OK(akt_schedule_resume(sys, "pausable")); /* not paused: nothing changes */
    TU_OK(akt_schedule_cancel(sys, "pausable"));
}

static void test_a_paused_once_schedule_fires_after_resume(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    akt_schedule_options o = {sizeof o, "later", {0}};
    TU_OK(akt_schedule_once(sys, p, tu_msg("tick", NULL), TU_MS(10), &o, NULL, 0));
    TU_OK(akt_schedule_pause(sys, "later"));
    tu_sleep_ms(30);
    assert_int_equal(0, atomic_load(&c.n));
    assert_int_equal(1, list_count());
    TU_OK(akt_schedule_resume(sys, "later")); /* past its deadline: fires now */
    TU_EVENTUALLY(atomic_load(&c.n) == 1);
    TU_EVENTUALLY(list_count() == 0);
}

static void test_interval_does_not_drift(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    akt_schedule_options o = {sizeof o, "steady", {0}};
    int64_t start = tu_now_ns();
    TU_OK(akt_schedule_every(sys, p, tu_msg("tick", NULL), TU_MS(10), TU_MS(10), &o, NULL, 0));
    TU_EVENTUALLY(atomic_load(&c.n) >= 10);
    TU_OK(akt_schedule_cancel(sys, "steady"));
    sync_with(p);
    /* Tick k is due at start + (k + 1) * 10 ms: never early, whatever the latency of the
     * ones before it (they would push it later if the next deadline came from the fire). */
    for (int k = 0; k < 10; k++) assert_true(c.at[k] - start >= TU_MS(10) * (k + 1) - TU_MS(1));
}

static void test_an_actor_that_stops_loses_its_schedules(void **state) {
    (void)state;
    static counter c, keep;
    akt_pid p = spawn_counter(&c);
    akt_pid q = spawn_counter(&keep);
    akt_schedule_options a = {sizeof a, "a", {0}}, b = {sizeof b, "b", {0}};
    akt_schedule_options k = {sizeof k, "kept", {0}};
    TU_OK(akt_schedule_every(sys, p, tu_msg("tick", NULL), TU_SEC(3600), TU_SEC(1), &a, NULL, 0));
    TU_OK(akt_schedule_once(sys, p, tu_msg("tick", NULL), TU_SEC(3600), &b, NULL, 0));
    TU_OK(akt_schedule_once(sys, q, tu_msg("tick", NULL), TU_SEC(3600), &k, NULL, 0));
    TU_OK(akt_schedule_pause(sys, "b"));
    assert_int_equal(3, list_count());
    tu_stop_wait(sys, p);
    TU_EVENTUALLY(list_count() == 1);
    TU_RC(AKT_ENOTFOUND, akt_schedule_cancel(sys, "a"));
    TU_RC(AKT_ENOTFOUND, akt_schedule_resume(sys, "b"));
    TU_OK(akt_schedule_cancel(sys, "kept"));
}

static void test_a_fire_for_a_gone_target_is_a_dead_letter(void **state) {
    (void)state;
    static counter c;
    static tu_events ev;
    tu_events_init(&ev);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, tu_events_cb, &ev, &sub));
    akt_pid p = spawn_counter(&c);
    tu_stop_wait(sys, p);
    akt_schedule_options o = {sizeof o, "to-the-dead", {0}};
    TU_OK(akt_schedule_every(sys, p, tu_msg("tick", NULL), TU_MS(1), TU_MS(1), &o, NULL, 0));
    TU_EVENTUALLY(tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, p) >= 1);
    tu_ev e;
    assert_true(tu_events_find(&ev, AKT_EVENT_DEAD_LETTER, p, &e));
    assert_string_equal("tick", e.type);
    /* The schedule ended with its first fire. */
    TU_EVENTUALLY(list_count() == 0);
    tu_sleep_ms(20);
    assert_int_equal(1, tu_events_count(&ev, AKT_EVENT_DEAD_LETTER, p));
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&ev);
}

static void test_cancel_from_a_receive(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    strcpy(c.cancel_ref, "self-cancel");
    akt_schedule_options o = {sizeof o, "self-cancel", {0}};
    TU_OK(akt_schedule_every(sys, p, tu_msg("tick", NULL), 0, TU_MS(20), &o, NULL, 0));
    TU_EVENTUALLY(atomic_load(&c.n) >= 1);
    assert_int_equal(0, atomic_load(&c.cancel_rc));
    assert_int_equal(0, list_count());
    tu_sleep_ms(60);
    sync_with(p);
    assert_int_equal(1, atomic_load(&c.n));
}

/* A cancel racing the fire: either the cancel wins (0: the message never arrives) or the
 * fire does (the schedule is gone: AKT_ENOTFOUND, and the message arrives). */
static void test_cancel_racing_the_fire(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    int fired = 0;
    for (int i = 0; i < 300; i++) {
        char ref[AKT_SCHEDULE_REF_MAX + 1];
        TU_OK(akt_schedule_once(sys, p, tu_msg("tick", NULL), (i % 3) * 20000, NULL, ref,
                                sizeof ref));
        if (i % 5) sched_yield();
        int rc = akt_schedule_cancel(sys, ref);
        if (rc == AKT_ENOTFOUND)
            fired++;
        else
            TU_OK(rc);
    }
    TU_EVENTUALLY(atomic_load(&c.n) == fired);
    tu_sleep_ms(20);
    sync_with(p);
    assert_int_equal(fired, atomic_load(&c.n));
    assert_int_equal(0, list_count());
}

static atomic_int freed;
static void count_free(void *p) {
    (void)p;
    atomic_fetch_add(&freed, 1);
}

static akt_msg *counted(void) {
    static char data[] = "x";
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("tick", data, sizeof data, count_free, &m));
    return m;
}

/* ---- cron schedules ------------------------------------------------------------------- */

#define EVERY_SECOND "* * * * * ?"

typedef struct cron_seen {
    int n;
    char expr[64];
    unsigned flags;
    int kind, paused;
} cron_seen;

static void cron_list_cb(const akt_schedule_info *info, void *data) {
    cron_seen *c = data;
    c->n++;
    c->kind = info->kind;
    c->paused = info->paused;
    assert_true(info->size >= offsetof(akt_schedule_info, cron_flags) + sizeof info->cron_flags);
    snprintf(c->expr, sizeof c->expr, "%s", info->expression ? info->expression : "(null)");
    c->flags = info->cron_flags;
}

static int64_t wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void test_cron_fires_once_per_second_boundary(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    akt_schedule_options o = {sizeof o, "cron-1s", {0}};
    size_t col = 99;
    int64_t start = wall_ns();
    TU_OK(akt_schedule_cron(sys, p, tu_msg("tick", NULL), EVERY_SECOND, AKT_CRON_UTC, &o, NULL, 0,
                            &col));
    assert_int_equal(0, (int)col);
    cron_seen seen = {0};
    TU_OK(akt_schedule_list(sys, cron_list_cb, &seen, NULL));
    assert_int_equal(1, seen.n);
    assert_int_equal(AKT_SCHEDULE_CRON, seen.kind);
    assert_string_equal(EVERY_SECOND, seen.expr);
    assert_int_equal(AKT_CRON_UTC, (int)seen.flags);
    TU_EVENTUALLY(atomic_load(&c.n) >= 3);
    TU_OK(akt_schedule_cancel(sys, "cron-1s"));
    sync_with(p);
    int n = atomic_load(&c.n);
    int64_t end = wall_ns();
    /* One fire per second boundary crossed, none twice: n fires need n - 1 whole seconds
     * between them, and no more fires than boundaries between start and end. */
    assert_true((end / 1000000000) - (start / 1000000000) >= n);
    assert_true(c.at[n - 1] - c.at[0] >= (int64_t)(n - 2) * 1000000000 + 500000000);
    tu_sleep_ms(1200);
    assert_int_equal(n, atomic_load(&c.n)); /* cancelled: no more */
    assert_int_equal(0, list_count());
}

static void test_cron_pause_and_resume(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    akt_schedule_options o = {sizeof o, "cron-pause", {0}};
    TU_OK(akt_schedule_cron(sys, p, tu_msg("tick", NULL), EVERY_SECOND, 0, &o, NULL, 0, NULL));
    TU_EVENTUALLY(atomic_load(&c.n) >= 1);
    TU_OK(akt_schedule_pause(sys, "cron-pause"));
    sync_with(p);
    int n = atomic_load(&c.n);
    cron_seen seen = {0};
    TU_OK(akt_schedule_list(sys, cron_list_cb, &seen, NULL));
    assert_int_equal(1, seen.paused);
    assert_int_equal(AKT_SCHEDULE_CRON, seen.kind);
    assert_int_equal(0, (int)seen.flags);
    tu_sleep_ms(2200); /* two ticks missed */
    assert_int_equal(n, atomic_load(&c.n));
    TU_OK(akt_schedule_resume(sys, "cron-pause"));
    TU_EVENTUALLY(atomic_load(&c.n) >= n + 1);
    sync_with(p);
    assert_true(atomic_load(&c.n) <= n + 2); /* the missed ticks are not sent as a burst */
    TU_OK(akt_schedule_cancel(sys, "cron-pause"));
    assert_int_equal(0, list_count());
}

static void test_cron_does_not_refire_when_the_wall_clock_goes_back(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    akt_schedule_options o = {sizeof o, "cron-back", {0}};
    TU_OK(akt_schedule_cron(sys, p, tu_msg("tick", NULL), EVERY_SECOND, AKT_CRON_UTC, &o, NULL, 0,
                            NULL));
    TU_EVENTUALLY(atomic_load(&c.n) >= 1);
    /* The timer thread delivers a tick, then arms the next one: a jump set between the two
     * (the timer thread preempted on a loaded host) would arm the next tick nine seconds
     * out and leave no "armed tick" to see. Set it well inside a second instead. */
    tu_sleep_ms(300);
    int n = atomic_load(&c.n);
    akt__schedule_wall_offset(-TU_SEC(8)); /* the clock is set back eight seconds */
    /* The tick armed before the jump fires on time; the next ones are after the last tick
     * sent, so the eight seconds replayed by the clock send nothing: after the armed tick,
     * nine seconds of quiet. */
    TU_EVENTUALLY(atomic_load(&c.n) >= n + 1);
    /* n may have been read before a tick already queued was counted (a loaded machine):
     * then the armed tick is still to come, within a second or, under a sanitizer on a
     * loaded host, a little more. Give it 2.5 s to land, then watch a 3 s window that
     * still ends well before the next tick (nine seconds after the armed one). */
    tu_sleep_ms(2500);
    int m = atomic_load(&c.n);
    tu_sleep_ms(3000);
    int after = atomic_load(&c.n);
    akt__schedule_wall_offset(0);
    /* A replay of the eight seconds would be a burst of about eight ticks: on a loaded
     * sanitizer host up to two ticks queued before n was read may still land here. */
    assert_true(m <= n + 1 + 2);
    assert_int_equal(m, after);
    TU_EVENTUALLY(atomic_load(&c.n) >= after + 1); /* fires again once the clock caught up */
    TU_OK(akt_schedule_cancel(sys, "cron-back"));
}

static void test_cron_bad_expression_and_arguments(void **state) {
    (void)state;
    static counter c;
    akt_pid p = spawn_counter(&c);
    akt_msg *m = tu_msg("tick", NULL);
    size_t col = 0;
    TU_RC(AKT_EINVAL, akt_schedule_cron(sys, p, m, "0 0 25 * * ?", 0, NULL, NULL, 0, &col));
    assert_int_equal(5, (int)col);
    TU_RC(AKT_EINVAL, akt_schedule_cron(sys, p, m, "* * * * *", 0, NULL, NULL, 0, &col));
    assert_true(col > 0);
    TU_RC(AKT_EINVAL, akt_schedule_cron(sys, p, m, EVERY_SECOND, 2, NULL, NULL, 0, &col));
    assert_int_equal(0, (int)col);
    TU_RC(AKT_ENOTFOUND, akt_schedule_cron(sys, p, m, "0 0 0 1 1 ? 1999", 0, NULL, NULL, 0, &col));
    akt_schedule_options o = {sizeof o, "taken", {0}};
    TU_OK(akt_schedule_once(sys, p, tu_msg("tick", NULL), TU_SEC(3600), &o, NULL, 0));
    TU_RC(AKT_EEXIST, akt_schedule_cron(sys, p, m, EVERY_SECOND, 0, &o, NULL, 0, &col));
    akt_msg_release(m);
    assert_int_equal(1, list_count());
    /* A generated reference, and the schedule ends with its actor. */
    char ref[AKT_SCHEDULE_REF_MAX + 1];
    TU_OK(akt_schedule_cron(sys, p, tu_msg("tick", NULL), EVERY_SECOND, 0, NULL, ref, sizeof ref,
                            NULL));
    assert_int_equal(36, (int)strlen(ref));
    assert_int_equal(2, list_count());
    tu_stop_wait(sys, p);
    TU_EVENTUALLY(list_count() == 0);
}

static void test_shutdown_cancels_every_schedule_and_frees_its_message(void **state) {
    (void)state;
    static counter c;
    atomic_store(&freed, 0);
    akt_pid p = spawn_counter(&c);
    akt_schedule_options o = {sizeof o, "paused", {0}};
    TU_OK(akt_schedule_once(sys, p, counted(), TU_SEC(3600), NULL, NULL, 0));
    TU_OK(akt_schedule_every(sys, p, counted(), TU_SEC(3600), TU_SEC(10), NULL, NULL, 0));
    TU_OK(akt_schedule_once(sys, p, counted(), TU_SEC(3600), &o, NULL, 0));
    TU_OK(akt_schedule_pause(sys, "paused"));
    for (int i = 0; i < 1000; i++)
        TU_OK(akt_schedule_once(sys, p, counted(), TU_SEC(3600) + i, NULL, NULL, 0));
    assert_int_equal(1003, (int)akt__schedule_count(sys));
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    assert_int_equal(0, (int)akt__schedule_count(sys));
    akt_msg *m = counted();
    TU_RC(AKT_ECLOSED, akt_schedule_once(sys, p, m, 0, NULL, NULL, 0));
    akt_msg_release(m);
    TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
    assert_int_equal(1004, atomic_load(&freed));
    TU_OK(akt_system_release(sys));
    sys = NULL;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        S_TEST(test_once_fires_once_with_a_generated_uuid),
        S_TEST(test_every_fires_until_cancelled_with_its_sender),
        S_TEST(test_references_and_bad_arguments),
        S_TEST(test_pause_keeps_the_reference_and_resume_fires_without_a_burst),
        S_TEST(test_a_paused_once_schedule_fires_after_resume),
        S_TEST(test_interval_does_not_drift),
        S_TEST(test_an_actor_that_stops_loses_its_schedules),
        S_TEST(test_a_fire_for_a_gone_target_is_a_dead_letter),
        S_TEST(test_cancel_from_a_receive),
        S_TEST(test_cancel_racing_the_fire),
        S_TEST(test_cron_fires_once_per_second_boundary),
        S_TEST(test_cron_pause_and_resume),
        S_TEST(test_cron_does_not_refire_when_the_wall_clock_goes_back),
        S_TEST(test_cron_bad_expression_and_arguments),
        S_TEST(test_shutdown_cancels_every_schedule_and_frees_its_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
