/* test_breaker: the circuit breaker's states, window, trial calls, bad options and races,
 * on an injected clock (white-box: core/lib/breaker.h is internal). */
#include "tu.h"

#include "lib/breaker.h"

#include <pthread.h>
#include <stdatomic.h>

#define MS 1000000LL

/* The injected clock: tests move it by hand; atomic so the race test may read it. */
static _Atomic int64_t fake_now;
static int64_t fake_clock(void *data) {
    (void)data;
    /* relaxed: the tests set it before the calls that read it, on the same thread or
     * before pthread_create (which orders it). */
    return atomic_load_explicit(&fake_now, memory_order_relaxed);
}

static akt__breaker_opts opts(void) {
    atomic_store(&fake_now, 1000 * MS);
    akt__breaker_opts o = {.failure_rate = 0.5,
                           .min_requests = 4,
                           .open_ns = 100 * MS,
                           .window_ns = 1000 * MS,
                           .buckets = 10,
                           .half_open_max = 2,
                           .now = fake_clock};
    return o;
}

static void call(akt__breaker *b, int ok) {
    assert_int_equal(akt__breaker_acquire(b), 0);
    assert_int_equal(akt__breaker_record(b, ok), 0);
}

/* A breaker with opts() on the injected clock. */
static akt__breaker *fresh(void) {
    akt__breaker_opts o = opts();
    akt__breaker *b = NULL;
    assert_int_equal(akt__breaker_new(&o, &b), 0);
    return b;
}

static akt__breaker_metrics metrics(akt__breaker *b) {
    akt__breaker_metrics m;
    assert_int_equal(akt__breaker_metrics_get(b, &m), 0);
    return m;
}

static akt__breaker_state state(akt__breaker *b) { return metrics(b).state; }

static void test_opens_at_the_failure_rate_after_min_requests(void **st) {
    (void)st;
    akt__breaker *b = fresh();
    call(b, 0);
    call(b, 0);
    call(b, 0); /* 3 failures, but fewer than min_requests calls */
    assert_int_equal(state(b), AKT__BREAKER_CLOSED);
    call(b, 1); /* 3/4 >= 0.5 with 4 calls */
    assert_int_equal(state(b), AKT__BREAKER_OPEN);
    assert_int_equal(akt__breaker_acquire(b), AKT_EBUSY);
    akt__breaker_metrics m = metrics(b);
    assert_int_equal(m.rejected, 1);
    akt__breaker_free(b);
}

static void test_stays_closed_below_the_rate(void **st) {
    (void)st;
    akt__breaker *b = fresh();
    call(b, 0);
    for (int i = 0; i < 9; i++) call(b, 1);
    akt__breaker_metrics m = metrics(b);
    assert_int_equal(m.state, AKT__BREAKER_CLOSED);
    assert_int_equal(m.successes, 9);
    assert_int_equal(m.failures, 1);
    assert_true(m.failure_rate > 0.09 && m.failure_rate < 0.11);
    akt__breaker_free(b);
}

static void test_old_buckets_leave_the_window(void **st) {
    (void)st;
    akt__breaker *b = fresh();
    call(b, 0);
    call(b, 0);
    call(b, 0);
    atomic_store(&fake_now, 2500 * MS); /* the three failures are older than the window */
    call(b, 0);
    akt__breaker_metrics m = metrics(b);
    assert_int_equal(m.failures, 1);
    assert_int_equal(m.state, AKT__BREAKER_CLOSED);
    akt__breaker_free(b);
}

static void trip_it(akt__breaker *b) {
    for (int i = 0; i < 4; i++) call(b, 0);
    assert_int_equal(state(b), AKT__BREAKER_OPEN);
}

static void test_half_open_after_the_timeout_then_closed(void **st) {
    (void)st;
    akt__breaker *b = fresh();
    trip_it(b);
    atomic_store(&fake_now, 1099 * MS);
    assert_int_equal(akt__breaker_acquire(b), AKT_EBUSY);
    atomic_store(&fake_now, 1100 * MS);
    assert_int_equal(state(b), AKT__BREAKER_HALF_OPEN);
    assert_int_equal(akt__breaker_acquire(b), 0);
    assert_int_equal(akt__breaker_acquire(b), 0);
    assert_int_equal(akt__breaker_acquire(b), AKT_EBUSY); /* half_open_max = 2 */
    assert_int_equal(akt__breaker_record(b, 1), 0);
    assert_int_equal(state(b), AKT__BREAKER_HALF_OPEN);
    assert_int_equal(akt__breaker_record(b, 1), 0);
    assert_int_equal(state(b), AKT__BREAKER_CLOSED);
    akt__breaker_metrics m = metrics(b);
    assert_int_equal(m.failures, 0); /* closing starts a fresh window */
    akt__breaker_free(b);
}

static void test_a_failed_trial_reopens(void **st) {
    (void)st;
    akt__breaker *b = fresh();
    trip_it(b);
    atomic_store(&fake_now, 1200 * MS);
    assert_int_equal(akt__breaker_acquire(b), 0);
    assert_int_equal(akt__breaker_record(b, 0), 0);
    assert_int_equal(state(b), AKT__BREAKER_OPEN);
    atomic_store(&fake_now, 1299 * MS); /* the open timeout restarts at the failed trial */
    assert_int_equal(akt__breaker_acquire(b), AKT_EBUSY);
    atomic_store(&fake_now, 1300 * MS);
    assert_int_equal(akt__breaker_acquire(b), 0);
    akt__breaker_free(b);
}

static void test_bad_options_are_einval(void **st) {
    (void)st;
    akt__breaker *b = (akt__breaker *)1;
    assert_int_equal(akt__breaker_new(NULL, &b), AKT_EINVAL);
    assert_null(b);
    akt__breaker_opts o = opts();
    assert_int_equal(akt__breaker_new(&o, NULL), AKT_EINVAL);
    const akt__breaker_opts good = opts();
    akt__breaker_opts bad[8];
    for (int i = 0; i < 8; i++) bad[i] = good;
    bad[0].failure_rate = 0.0;
    bad[1].failure_rate = 1.5;
    bad[2].min_requests = 0;
    bad[3].open_ns = 0;
    bad[4].window_ns = -1;
    bad[5].buckets = 0;
    bad[6].buckets = AKT__BREAKER_MAX_BUCKETS + 1;
    bad[7].half_open_max = 0;
    for (int i = 0; i < 8; i++) assert_int_equal(akt__breaker_new(&bad[i], &b), AKT_EINVAL);
    assert_int_equal(akt__breaker_acquire(NULL), AKT_EINVAL);
    assert_int_equal(akt__breaker_record(NULL, 1), AKT_EINVAL);
    akt__breaker_metrics m;
    assert_int_equal(akt__breaker_metrics_get(NULL, &m), AKT_EINVAL);
    assert_int_equal(akt__breaker_new(&o, &b), 0);
    assert_int_equal(akt__breaker_metrics_get(b, NULL), AKT_EINVAL);
    akt__breaker_free(b);
    akt__breaker_free(NULL);
}

/* Many threads call through one breaker on the real clock; three of four always fail, so
 * the failure rate passes the threshold whatever the interleaving (a half-and-half mix could
 * stay just under it on a loaded machine). The counts must add up and the state must stay
 * one of the three (TSan checks the races). */
#define RACERS 4
#define CALLS 2000
static akt__breaker *shared;
static atomic_int allowed, refused;
static void *racer(void *arg) {
    int ok = (int)(intptr_t)arg == 0;
    for (int i = 0; i < CALLS; i++) {
        if (akt__breaker_acquire(shared) == 0) {
            /* relaxed: a counter read after pthread_join */
            atomic_fetch_add_explicit(&allowed, 1, memory_order_relaxed);
            akt__breaker_record(shared, ok);
        } else {
            atomic_fetch_add_explicit(&refused, 1, memory_order_relaxed);
        }
    }
    return NULL;
}
static void test_races_from_many_threads(void **st) {
    (void)st;
    akt__breaker_opts o = opts();
    o.now = NULL;        /* the monotonic clock */
    o.open_ns = 50 * MS; /* long enough that calls meet it open, however slow they run */
    assert_int_equal(akt__breaker_new(&o, &shared), 0);
    pthread_t t[RACERS];
    for (intptr_t i = 0; i < RACERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, racer, (void *)i), 0);
    for (int i = 0; i < RACERS; i++) pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&allowed) + atomic_load(&refused), RACERS * CALLS);
    assert_int_equal(metrics(shared).rejected, (uint64_t)atomic_load(&refused));
    assert_true(atomic_load(&refused) > 0); /* most callers fail: it must have opened */
    akt__breaker_free(shared);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_opens_at_the_failure_rate_after_min_requests),
        TU_TEST(test_stays_closed_below_the_rate),
        TU_TEST(test_old_buckets_leave_the_window),
        TU_TEST(test_half_open_after_the_timeout_then_closed),
        TU_TEST(test_a_failed_trial_reopens),
        TU_TEST(test_bad_options_are_einval),
        TU_TEST(test_races_from_many_threads),
    };
    return cmocka_run_group_tests_name("breaker", tests, NULL, NULL);
}
