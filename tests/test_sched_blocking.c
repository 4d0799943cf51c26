/* test_sched_blocking: handlers that block their worker (a sleep, a lock, a wait on
 * another actor's effect: what a binding's user code does) never strand cells that another
 * worker could run. Each round: actor A tells B and C; B and C wait until D, told last or
 * queued behind them, has run. D must get a worker while the others block, however the
 * cells were queued (LIFO slot, ring, stolen half of a ring) and whether or not the idle
 * workers had parked. */
#include "tu.h"

#include <pthread.h>
#include <string.h>

#define ROUNDS 20
#define WAIT_NS (10LL * 1000000000LL) /* a blocked handler gives up after this (failure) */

typedef struct race {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int won;  /* the round in which the winner ran last */
    int done; /* blocked turns that ended this round */
    akt_pid targets[3];
    int ntargets;
} race;

static race R;

static void race_wait(int round) {
    int64_t deadline = tu_now_ns() + WAIT_NS;
    pthread_mutex_lock(&R.mu);
    while (R.won != round && tu_now_ns() < deadline) {
        pthread_mutex_unlock(&R.mu);
        tu_sleep_ms(1); /* a blocking sleep, as a user's handler would */
        pthread_mutex_lock(&R.mu);
    }
    if (R.won != round) tu_cb_fail(__FILE__, __LINE__, "round %d: the winner never ran", round);
    R.done++;
    pthread_cond_broadcast(&R.cv);
    pthread_mutex_unlock(&R.mu);
}

/* "race" (round number): the fanner tells every target; a loser blocks until the winner
 * ran; the winner records its round. */
static int fanner_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (!tu_is(msg, "go")) return akt_ctx_unhandled(ctx);
    uint64_t round = tu_u64(msg);
    for (int i = 0; i < R.ntargets; i++)
        TU_CB_RC(0, akt_ctx_tell(ctx, R.targets[i], tu_msg_u64("race", round)));
    if (round % 2) race_wait((int)round); /* odd rounds: the fanner blocks too */
    return 0;
}

static int loser_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (!tu_is(msg, "race")) return akt_ctx_unhandled(ctx);
    race_wait((int)tu_u64(msg));
    return 0;
}

static int winner_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (!tu_is(msg, "race")) return akt_ctx_unhandled(ctx);
    pthread_mutex_lock(&R.mu);
    R.won = (int)tu_u64(msg);
    pthread_cond_broadcast(&R.cv);
    pthread_mutex_unlock(&R.mu);
    return 0;
}

/* Runs ROUNDS rounds with the winner at position `winner` of three targets. */
static void run_rounds(int workers, int winner) {
    memset(&R, 0, sizeof R);
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.cv, NULL);
    R.won = -1;
    akt_system *sys = tu_system("blocking", workers);
    akt_behavior fb = tu_behavior(fanner_receive), lb = tu_behavior(loser_receive),
                 wb = tu_behavior(winner_receive);
    akt_pid fanner = tu_spawn(sys, &fb, NULL, "fanner");
    R.ntargets = 3;
    for (int i = 0; i < 3; i++) R.targets[i] = tu_spawn(sys, i == winner ? &wb : &lb, NULL, NULL);
    for (int round = 0; round < ROUNDS; round++) {
        assert_int_equal(0, akt_tell(sys, fanner, tu_msg_u64("go", (uint64_t)round)));
        int64_t deadline = tu_now_ns() + WAIT_NS;
        pthread_mutex_lock(&R.mu);
        while (R.won != round && tu_now_ns() < deadline) {
            pthread_mutex_unlock(&R.mu);
            tu_sleep_ms(1);
            pthread_mutex_lock(&R.mu);
        }
        int won = R.won;
        pthread_mutex_unlock(&R.mu);
        assert_int_equal(round, won);
        /* The next round starts once every blocked turn ended (two losers, and the fanner
         * in odd rounds). */
        int blocked = 2 + round % 2;
        pthread_mutex_lock(&R.mu);
        while (R.done < blocked) pthread_cond_wait(&R.cv, &R.mu);
        R.done = 0;
        pthread_mutex_unlock(&R.mu);
    }
    tu_system_end(sys);
    pthread_cond_destroy(&R.cv);
    pthread_mutex_destroy(&R.mu);
    tu_assert_no_cb_failures();
}

/* The winner told last: it lands in the fanner's LIFO slot, the losers in the ring. */
static void test_winner_last(void **state) {
    (void)state;
    run_rounds(4, 2);
}

/* The winner in the middle: a thief takes half of the ring and blocks in it; the rest of
 * the ring needs another worker (the scatter-gather race of the Python router test). */
static void test_winner_in_the_middle(void **state) {
    (void)state;
    run_rounds(4, 1);
}

/* The winner first: it waits at the ring's head behind nothing, the losers block. */
static void test_winner_first(void **state) {
    (void)state;
    run_rounds(4, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_winner_last),
        TU_TEST(test_winner_in_the_middle),
        TU_TEST(test_winner_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
