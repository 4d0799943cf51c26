/* test_memory: the memory a backlog took goes back once the backlog drained.
 *
 * A blocked actor gets a few million messages queued (each one pooled block: the message
 * with its embedded envelope and its inline payload), then drains them. The process's
 * resident set (/proc/self/statm) must grow by about the backlog's size, and fall back to
 * near where it started afterwards: the pools give fully free slabs beyond a reserve back
 * to the allocator, and with the built-in malloc tell the kernel their pages are unused
 * first, so the memory leaves the process even where glibc's malloc would keep it (glibc
 * returns the middle of its heap to the kernel only on malloc_trim). No malloc_trim here:
 * what is measured is what a program using akt sees. */
#define _GNU_SOURCE
#include "tu.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* What may stay after the drain is a 1/KEEP_DIV share of what the backlog took. Sanitizer
 * builds scale down (TSan's shadow memory costs several bytes per byte) and keep more of
 * their own: ASan's shadow of the freed slabs stays resident (one byte per eight, written
 * when it poisons them), and TSan keeps the sync objects it made for every message's
 * atomics in an allocator of its own that never shrinks (about a quarter of the peak). */
#if defined(__SANITIZE_THREAD__)
#define BACKLOG 400000L
#define KEEP_DIV 2
#elif defined(__SANITIZE_ADDRESS__)
#define BACKLOG 1000000L
#define KEEP_DIV 4
#else
#define BACKLOG 3000000L
#define KEEP_DIV 16
#endif
#define ROUNDS 2

static long rss_bytes(void) {
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    int n = fscanf(f, "%ld %ld", &size, &resident);
    fclose(f);
    return n == 2 ? resident * sysconf(_SC_PAGESIZE) : -1;
}

static atomic_int hold_open;
static atomic_long handled;

static int backlog_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "t.Hold")) {
        /* Longer than TU_DEADLINE_NS: queuing the backlog under a sanitizer takes a while. */
        int64_t dl = tu_now_ns() + TU_SEC(120);
        while (!atomic_load(&hold_open)) {
            if (tu_now_ns() > dl) {
                tu_cb_fail(__FILE__, __LINE__, "the backlog was never released");
                break;
            }
            tu_sleep_ms(1);
        }
        return 0;
    }
    if (tu_is(msg, "t.Drained"))
        return tu_reply_u64(ctx, "t.Count", (uint64_t)atomic_load(&handled));
    atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
    return 0;
}

static void tell_n(akt_system *sys, akt_pid pid, long n) {
    for (long i = 0; i < n; i++) {
        akt_msg *m = NULL;
        TU_OK(akt_msg_new_bytes("t.Backlog", &i, sizeof i, AKT_COPY, &m));
        TU_OK(akt_tell(sys, pid, m));
    }
}

static void test_rss_falls_back_after_a_backlog_drained(void **state) {
    (void)state;
    akt_system *sys = tu_system("memory", 2);
    akt_behavior b = tu_behavior(backlog_receive);
    akt_pid pid = tu_spawn(sys, &b, NULL, "sink");
    atomic_store(&handled, 0);

    /* Warm up: the threads' caches and the depot's reserve exist before the baseline. */
    tell_n(sys, pid, 20000);
    assert_int_equal(tu_ask_u64(sys, pid, "t.Drained"), 20000);
    long base = rss_bytes();
    assert_true(base > 0);

    long expect = 20000;
    for (int round = 0; round < ROUNDS; round++) {
        atomic_store(&hold_open, 0);
        akt_msg *hold = tu_msg("t.Hold", "");
        TU_OK(akt_tell(sys, pid, hold));
        tell_n(sys, pid, BACKLOG);
        long peak = rss_bytes();
        atomic_store(&hold_open, 1);
        expect += BACKLOG;
        assert_int_equal(tu_ask_u64(sys, pid, "t.Drained"), (uint64_t)expect);
        /* The pools give the memory back once they have been quiet for 100 ms (a parked
         * worker does it: base/pool.c), so rss falls a moment after the drain. */
        int64_t drained_at = tu_now_ns();
        long end = rss_bytes();
        for (int64_t dl = tu_now_ns() + TU_SEC(10);
             end - base > (peak - base) / KEEP_DIV && tu_now_ns() < dl; end = rss_bytes())
            tu_sleep_ms(10);
        fprintf(stderr,
                "round %d: %ld messages: rss %ld MiB at the start, %ld MiB queued, "
                "%ld MiB %lld ms after the drain\n",
                round, BACKLOG, base >> 20, peak >> 20, end >> 20,
                (long long)((tu_now_ns() - drained_at) / 1000000));
        /* The backlog was resident (else this test would prove nothing)... */
        if (peak - base < BACKLOG * 128)
            fail_msg("round %d: the backlog grew rss by only %ld bytes", round, peak - base);
        /* ...and most of it left again: what stays is the pools' reserve and caches and
         * the page or two of each slab that the allocator's own bookkeeping touches. */
        if (end - base > (peak - base) / KEEP_DIV)
            fail_msg("round %d: rss %ld MiB after draining, %ld MiB before the backlog, "
                     "%ld MiB with it",
                     round, end >> 20, base >> 20, peak >> 20);
    }
    /* Given back, the pools do not keep a parked worker awake: a reclaim that left free
     * blocks behind (spread over slabs in use) is not retried by every worker that parks,
     * so the idle system takes almost no CPU time. */
    tu_sleep_ms(300);
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    tu_sleep_ms(500);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    int64_t cpu = (c1.tv_sec - c0.tv_sec) * INT64_C(1000000000) + (c1.tv_nsec - c0.tv_nsec);
    if (cpu > TU_SEC(1) / 10)
        fail_msg("idle for 500 ms, the process used %lld ms of CPU", (long long)(cpu / 1000000));
    tu_system_end(sys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_rss_falls_back_after_a_backlog_drained),
    };
    return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
