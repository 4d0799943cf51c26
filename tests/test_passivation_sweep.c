/* Passivation's shared sweep (core/actor/passivate.c): one timer for the whole system and a
 * side table per page of cells. Many actors over several pages (more than one sweep batch)
 * all passivate; an earlier deadline armed after a far one pulls the sweep forward. */
#include <stdatomic.h>

#include "tu.h"

static atomic_int passivated;

static void count_passivated(const akt_event *ev, void *data) {
    (void)data;
    /* relaxed: a counter polled by the test thread */
    if (ev->kind == AKT_EVENT_ACTOR_PASSIVATED)
        atomic_fetch_add_explicit(&passivated, 1, memory_order_relaxed);
}

static int idle_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)msg;
    (void)st;
    return 0;
}

static akt_passivation idle_after(int64_t ns) {
    akt_passivation p = {.size = sizeof p, .strategy = AKT_PASSIVATE_IDLE, .idle_ns = ns};
    return p;
}

#define MANY 5000 /* more than one page (4096 cells) and many sweep batches (256) */

static void test_many_actors_over_pages_all_passivate(void **state) {
    (void)state;
    akt_system *sys = tu_system("sweep", 2);
    atomic_store(&passivated, 0);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_ACTOR_PASSIVATED, count_passivated, NULL, &sub));
    akt_passivation p = idle_after(TU_MS(20));
    TU_OK(akt_system_set_passivation(sys, &p));
    akt_behavior b = tu_behavior(idle_receive);
    static akt_pid pids[MANY];
    int64_t t0 = tu_now_ns();
    for (int i = 0; i < MANY; i++) pids[i] = tu_spawn(sys, &b, NULL, NULL);
    TU_EVENTUALLY(atomic_load_explicit(&passivated, memory_order_relaxed) == MANY);
    assert_true(tu_now_ns() - t0 >= TU_MS(20)); /* never before idle_ns */
    for (int i = 0; i < MANY; i++) tu_wait_dead(sys, pids[i]);
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(sys);
}

static void test_earlier_deadline_pulls_the_sweep_forward(void **state) {
    (void)state;
    akt_system *sys = tu_system("sweep", 2);
    akt_behavior b = tu_behavior(idle_receive);
    akt_pid far = tu_spawn(sys, &b, NULL, "far");
    akt_pid near = tu_spawn(sys, &b, NULL, "near");
    akt_passivation pf = idle_after(TU_SEC(3600)), pn = idle_after(TU_MS(10));
    TU_OK(akt_passivation_set(sys, far, &pf));  /* the sweep is armed an hour ahead */
    TU_OK(akt_passivation_set(sys, near, &pn)); /* then pulled to 10 ms */
    tu_wait_dead(sys, near);                    /* within the test's bound, not an hour */
    assert_int_equal(akt_pid_is_alive(sys, far), 1);
    /* Replacing a strategy outdates the slot: NEVER keeps the actor. */
    akt_passivation never = {.size = sizeof never, .strategy = AKT_PASSIVATE_NEVER};
    akt_pid kept = tu_spawn(sys, &b, NULL, "kept");
    TU_OK(akt_passivation_set(sys, kept, &pn));
    TU_OK(akt_passivation_set(sys, kept, &never));
    akt_pid probe = tu_spawn(sys, &b, NULL, "probe");
    TU_OK(akt_passivation_set(sys, probe, &pn));
    tu_wait_dead(sys, probe); /* a sweep after kept's deadline has run */
    assert_int_equal(akt_pid_is_alive(sys, kept), 1);
    tu_system_end(sys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_many_actors_over_pages_all_passivate),
        TU_TEST(test_earlier_deadline_pulls_the_sweep_forward),
    };
    return cmocka_run_group_tests_name("passivation_sweep", tests, NULL, NULL);
}
