/* akt-passivation-bench: the memory and threads of K actors with time-based passivation
 * against K actors without it, in the same run (issue 11: a shared timer heap, no thread
 * or kernel timer per actor). Prints JSON lines as bench.c does, and the ratio.
 *   akt-passivation-bench [-actors=1000000] */
#define _POSIX_C_SOURCE 200809L
#include <akt/akt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void emit(const char *bench, double value, const char *unit, long n) {
    printf("{\"impl\":\"akt\",\"bench\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"n\":%ld}\n", bench,
           value, unit, n);
    fflush(stdout);
}

static void check(int rc, const char *what) {
    if (rc) {
        fprintf(stderr, "%s: %s\n", what, akt_err_name(rc));
        exit(1);
    }
}

static long rss_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
        fclose(f);
    }
    return rss * 4096;
}

static long threads(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long n = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "Threads:", 8) == 0) n = atol(line + 8);
    if (f) fclose(f);
    return n;
}

static atomic_long started;

static int idle_pre_start(akt_ctx *ctx, void *state) {
    (void)ctx;
    (void)state;
    /* relaxed: a counter polled by the main thread, no data rides on it */
    atomic_fetch_add_explicit(&started, 1, memory_order_relaxed);
    return 0;
}

static int idle_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)msg;
    (void)state;
    return 0;
}

/* Spawns k idle actors and waits until each ran its first turn; returns the RSS grown. */
static long spawn_k(akt_system *sys, long k) {
    akt_behavior b = {.size = sizeof b, .receive = idle_receive, .pre_start = idle_pre_start};
    struct timespec nap = {0, 1000000};
    atomic_store(&started, 0);
    long before = rss_bytes();
    for (long i = 0; i < k; i++) {
        akt_pid pid;
        check(akt_spawn(sys, &b, NULL, NULL, &pid), "spawn");
    }
    while (atomic_load_explicit(&started, memory_order_relaxed) < k) nanosleep(&nap, NULL);
    /* The strategy is applied on the same first turn, right after pre_start: let the last
     * turns end. */
    struct timespec settle = {0, 200000000};
    nanosleep(&settle, NULL);
    return rss_bytes() - before;
}

int main(int argc, char **argv) {
    long k = 1000000;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "-actors=", 8) == 0) k = atol(argv[i] + 8);
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "bench";
    akt_system *sys = NULL;
    check(akt_system_create(&o, &sys), "system");
    long t0 = threads();
    long plain = spawn_k(sys, k);
    akt_passivation p = {
        .size = sizeof p, .strategy = AKT_PASSIVATE_IDLE, .idle_ns = 3600LL * 1000000000LL};
    check(akt_system_set_passivation(sys, &p), "default passivation");
    long passive = spawn_k(sys, k);
    long t1 = threads();
    double bp = (double)plain / k, bq = (double)passive / k;
    emit("idle_actor_bytes", bp, "B", k);
    emit("idle_actor_bytes_passivating", bq, "B", k);
    emit("passivation_extra_bytes_per_actor", bq - bp, "B", k);
    emit("passivating_over_plain_bytes", bq / bp, "ratio", k);
    emit("passivation_threads_added", (double)(t1 - t0), "threads", k);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return 0;
}
