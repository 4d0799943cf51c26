/* test_sched_intake: cells woken by plain threads go through the inject queue's lock-free
 * intake (sched/dispatch.c): each is run exactly once and none is lost, however many
 * producers push at once and however often the workers park between bursts; the worker
 * runs them in the order they were woken; and an asker's cell (queued under the lock, held
 * for the asker) mixes with them without losing either. */
#include "tu.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define PRODUCERS 4
#define ACTORS 48
#define BURSTS 20
#define PER_BURST 25 /* messages per actor per burst and producer */

typedef struct seq_actor {
    uint64_t next[PRODUCERS]; /* the next number expected from each producer (actor only) */
    atomic_long got;
} seq_actor;

static seq_actor actors[ACTORS];
static akt_pid pids[ACTORS];
static akt_system *sys;

/* Messages carry producer << 32 | number; each producer's arrive in order, exactly once. */
static int seq_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    seq_actor *a = state;
    if (!tu_is(msg, "n")) return tu_reply(ctx, "ok", NULL);
    uint64_t v = tu_u64(msg);
    unsigned p = (unsigned)(v >> 32);
    TU_CB_CHECK(p < PRODUCERS);
    if (p >= PRODUCERS) return 0;
    TU_CB_CHECK((v & 0xffffffffu) == a->next[p]);
    a->next[p] = (v & 0xffffffffu) + 1;
    atomic_fetch_add(&a->got, 1);
    return 0;
}

static void *producer_main(void *arg) {
    unsigned p = (unsigned)(uintptr_t)arg;
    uint64_t n = 0;
    for (int b = 0; b < BURSTS; b++) {
        for (int k = 0; k < PER_BURST; k++, n++)
            for (int i = 0; i < ACTORS; i++)
                if (akt_tell(sys, pids[i], tu_msg_u64("n", (uint64_t)p << 32 | n)))
                    tu_cb_fail(__FILE__, __LINE__, "tell refused");
        /* A pause that lets the workers drain, search and park: the next burst's first
         * push must wake one (a lost wake-up leaves the count short). */
        tu_sleep_ms(b % 3);
    }
    return NULL;
}

static void run_producers(int workers) {
    sys = tu_system("intake", workers);
    akt_behavior b = tu_behavior(seq_receive);
    for (int i = 0; i < ACTORS; i++) {
        memset(&actors[i], 0, sizeof actors[i]);
        pids[i] = tu_spawn(sys, &b, &actors[i], NULL);
    }
    pthread_t t[PRODUCERS];
    for (unsigned p = 0; p < PRODUCERS; p++)
        assert_int_equal(0, pthread_create(&t[p], NULL, producer_main, (void *)(uintptr_t)p));
    for (int p = 0; p < PRODUCERS; p++) pthread_join(t[p], NULL);
    for (int i = 0; i < ACTORS; i++)
        TU_EVENTUALLY(atomic_load(&actors[i].got) == (long)PRODUCERS * BURSTS * PER_BURST);
    tu_system_end(sys);
    sys = NULL;
    tu_assert_no_cb_failures();
}

static void test_many_producers_one_worker(void **state) {
    (void)state;
    run_producers(1);
}

static void test_many_producers_two_workers(void **state) {
    (void)state;
    run_producers(2);
}

/* ---- wake-up --------------------------------------------------------------------------- */

#define WAKE_ROUNDS 15
static atomic_int woke;

static int wake_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    atomic_fetch_add(&woke, 1);
    return 0;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* A tell from a plain thread to an idle actor, the only worker parked (a few ms of quiet:
 * its search lasts ~30 us), wakes that worker: the message is handled at once, not when a
 * timer happens to wake it (a parked worker's pool reclaim, 100 ms) or never. The median of
 * several rounds, so that one slow round of a loaded host does not decide. */
static void test_a_parked_worker_wakes_for_a_plain_threads_tell(void **state) {
    (void)state;
    atomic_store(&woke, 0);
    sys = tu_system("intake-wake", 1);
    akt_behavior b = tu_behavior(wake_receive);
    akt_pid p = tu_spawn(sys, &b, NULL, NULL);
    int64_t lat[WAKE_ROUNDS];
    for (int r = 0; r < WAKE_ROUNDS; r++) {
        tu_sleep_ms(3);
        int64_t t0 = tu_now_ns();
        assert_int_equal(0, akt_tell(sys, p, tu_msg("wake", "")));
        TU_EVENTUALLY(atomic_load(&woke) == r + 1);
        lat[r] = tu_now_ns() - t0;
    }
    qsort(lat, WAKE_ROUNDS, sizeof lat[0], cmp_i64);
    assert_true(lat[WAKE_ROUNDS / 2] < TU_MS(20));
    tu_system_end(sys);
    sys = NULL;
    tu_assert_no_cb_failures();
}

/* ---- order ----------------------------------------------------------------------------- */

#define ORDERED 12
static tu_gate release_gate;
static atomic_int blocker_in;
static atomic_int ran_order[ORDERED];
static atomic_int ran_count;

static int blocker_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    atomic_store(&blocker_in, 1);
    tu_gate_wait(&release_gate);
    return 0;
}

static int record_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg;
    int at = atomic_fetch_add(&ran_count, 1);
    if (at < ORDERED) atomic_store(&ran_order[at], (int)(intptr_t)state);
    return 0;
}

/* With the only worker held in a turn, a plain thread wakes twelve idle actors one by one:
 * once the turn ends they run in the order they were woken (the intake is a stack; the
 * splice reverses it). */
static void test_cells_run_in_the_order_they_were_woken(void **state) {
    (void)state;
    tu_gate_init(&release_gate);
    atomic_store(&blocker_in, 0);
    atomic_store(&ran_count, 0);
    sys = tu_system("intake-order", 1);
    akt_behavior bb = tu_behavior(blocker_receive), rb = tu_behavior(record_receive);
    akt_pid blocker = tu_spawn(sys, &bb, NULL, "blocker");
    akt_pid rec[ORDERED];
    for (int i = 0; i < ORDERED; i++) rec[i] = tu_spawn(sys, &rb, (void *)(intptr_t)i, NULL);
    assert_int_equal(0, akt_tell(sys, blocker, tu_msg("block", "")));
    TU_EVENTUALLY(atomic_load(&blocker_in));
    for (int i = 0; i < ORDERED; i++) assert_int_equal(0, akt_tell(sys, rec[i], tu_msg("go", "")));
    tu_gate_open(&release_gate);
    TU_EVENTUALLY(atomic_load(&ran_count) == ORDERED);
    for (int i = 0; i < ORDERED; i++) assert_int_equal(i, atomic_load(&ran_order[i]));
    tu_system_end(sys);
    sys = NULL;
    tu_gate_destroy(&release_gate);
    tu_assert_no_cb_failures();
}

/* ---- asks among tells ------------------------------------------------------------------ */

static atomic_int askers_done;

static void *asker_main(void *arg) {
    akt_pid to = pids[(uintptr_t)arg];
    for (int i = 0; i < 300; i++) {
        akt_msg *reply = NULL;
        if (tu_ask(sys, to, tu_msg("sync", NULL), &reply) || !reply || !tu_is(reply, "ok"))
            tu_cb_fail(__FILE__, __LINE__, "ask %d of actor %u failed", i,
                       (unsigned)(uintptr_t)arg);
        if (reply) akt_msg_release(reply);
    }
    atomic_fetch_add(&askers_done, 1);
    return NULL;
}

/* Two plain threads ask (their cells queued under the lock, held for them) while four tell
 * through the intake: every ask is answered, every tell handled once and in order. */
static void test_asks_mixed_with_intake_tells(void **state) {
    (void)state;
    atomic_store(&askers_done, 0);
    sys = tu_system("intake-ask", 2);
    akt_behavior b = tu_behavior(seq_receive);
    for (int i = 0; i < ACTORS; i++) {
        memset(&actors[i], 0, sizeof actors[i]);
        pids[i] = tu_spawn(sys, &b, &actors[i], NULL);
    }
    pthread_t t[PRODUCERS], a[2];
    for (unsigned p = 0; p < PRODUCERS; p++)
        assert_int_equal(0, pthread_create(&t[p], NULL, producer_main, (void *)(uintptr_t)p));
    for (uintptr_t i = 0; i < 2; i++)
        assert_int_equal(0, pthread_create(&a[i], NULL, asker_main, (void *)(i * 7)));
    for (int p = 0; p < PRODUCERS; p++) pthread_join(t[p], NULL);
    for (int i = 0; i < 2; i++) pthread_join(a[i], NULL);
    assert_int_equal(2, atomic_load(&askers_done));
    for (int i = 0; i < ACTORS; i++)
        TU_EVENTUALLY(atomic_load(&actors[i].got) == (long)PRODUCERS * BURSTS * PER_BURST);
    tu_system_end(sys);
    sys = NULL;
    tu_assert_no_cb_failures();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_many_producers_one_worker),
        TU_TEST(test_many_producers_two_workers),
        TU_TEST(test_a_parked_worker_wakes_for_a_plain_threads_tell),
        TU_TEST(test_cells_run_in_the_order_they_were_woken),
        TU_TEST(test_asks_mixed_with_intake_tells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
