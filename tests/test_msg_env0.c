/* test_msg_env0: a message's own envelope (env0, kernel/msg.c). A caller that holds a
 * message's only reference claims env0 with plain stores; that is sound only because a
 * receiver frees env0 before it drops its reference, and the caller's acquire load of the
 * count pairs with that drop. These tests send one message again and again, each time
 * from the reference a receiver kept (so the caller's is often the only one left, and
 * sometimes the receiver's turn still holds one), and check every delivery; under TSan a
 * missing pairing is a reported race on env0's fields. */
#include "tu.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define ROUNDS 20000

/* The reference the keeper took in its last turn, handed to the test's thread. */
static _Atomic(akt_msg *) kept;
static atomic_long delivered;
static akt_msg *the_msg;

static int keeper_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)state;
    TU_CB_CHECK(msg == the_msg);
    TU_CB_CHECK(tu_is(msg, "keep"));
    TU_CB_CHECK(tu_u64(msg) == 42);
    atomic_fetch_add(&delivered, 1);
    TU_CB_CHECK(akt_msg_retain(msg) == 0);
    /* release: the retained reference (and every use of msg above) before the thread that
     * takes it sends it again. */
    atomic_store_explicit(&kept, msg, memory_order_release);
    return 0; /* the turn's own reference goes after env0 is freed (turn.c) */
}

static akt_msg *take_kept(void) {
    akt_msg *m;
    while (!(m = atomic_exchange_explicit(&kept, NULL, memory_order_acquire))) sched_yield();
    return m;
}

static void resend(int workers, int keepers) {
    akt_system *sys = tu_system("env0", workers);
    akt_behavior b = tu_behavior(keeper_receive);
    akt_pid pids[2];
    for (int i = 0; i < keepers; i++) pids[i] = tu_spawn(sys, &b, NULL, NULL);
    atomic_store(&delivered, 0);
    the_msg = tu_msg_u64("keep", 42);
    akt_msg *m = the_msg;
    for (long r = 0; r < ROUNDS; r++) {
        /* Our reference goes with the tell: the keeper's retained one comes back. */
        assert_int_equal(0, akt_tell(sys, pids[r % keepers], m));
        m = take_kept();
        assert_ptr_equal(the_msg, m);
    }
    TU_EVENTUALLY(atomic_load(&delivered) == ROUNDS);
    assert_int_equal(0, akt_msg_release(m)); /* the last reference: freed here */
    tu_system_end(sys);
    tu_assert_no_cb_failures();
}

static void test_one_message_resent_from_the_receivers_reference(void **state) {
    (void)state;
    resend(1, 1);
}

static void test_resent_across_two_workers_and_two_receivers(void **state) {
    (void)state;
    resend(2, 2);
}

/* Shared: the same message held by several at once always takes the exchange path, and
 * a second delivery while env0 is busy gets a pooled envelope. */
static atomic_long shared_seen;

static int count_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)state;
    TU_CB_CHECK(tu_is(msg, "shared"));
    atomic_fetch_add(&shared_seen, 1);
    return 0;
}

static void test_a_shared_message_told_to_many_at_once(void **state) {
    (void)state;
    akt_system *sys = tu_system("env0-shared", 2);
    akt_behavior b = tu_behavior(count_receive);
    akt_pid pids[8];
    for (int i = 0; i < 8; i++) pids[i] = tu_spawn(sys, &b, NULL, NULL);
    atomic_store(&shared_seen, 0);
    akt_msg *m = tu_msg_u64("shared", 7);
    for (int r = 0; r < 2000; r++)
        for (int i = 0; i < 8; i++) {
            assert_int_equal(0, akt_msg_retain(m));
            assert_int_equal(0, akt_tell(sys, pids[i], m));
        }
    TU_EVENTUALLY(atomic_load(&shared_seen) == 2000 * 8);
    assert_int_equal(0, akt_msg_release(m));
    tu_system_end(sys);
    tu_assert_no_cb_failures();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_one_message_resent_from_the_receivers_reference),
        TU_TEST(test_resent_across_two_workers_and_two_receivers),
        TU_TEST(test_a_shared_message_told_to_many_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
