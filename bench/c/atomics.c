#define _POSIX_C_SOURCE 200809L
/* Atomic operations and heap allocations per message (issue 16): linked with akt_counted,
 * the build of the core in which every <stdatomic.h> operation ticks a counter
 * (core/base/atomic_count.h). For a tell, an ask round trip (akt_ask then a wait, and
 * akt_ask_wait) and a batch tell, after a warm-up, it prints per message: the atomics of every
 * thread (the caller's, the worker that runs the receiver, any other) and of the caller alone, the
 * read-modify-writes among them, and the allocations (malloc & co interposed in this program,
 * glibc). Counts, not times: the figures move only when the code does (a parked or lingering worker
 * adds a little noise to the all-threads ones). JSON lines as akt-bench's. -sites also prints to
 * stderr where a counted tell's and an akt_ask_wait round trip's atomics are, by file and line.
 * Usage: akt-atomics-bench [-n=TELLS] [-asks=ASKS] [-batch=B] [-workers=W] [-sites] */
#include <akt/akt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The counters of akt_counted (core/base/atomic_count.c): [0] every atomic operation,
 * [1] the read-modify-writes. */
extern _Thread_local uint64_t akt__atomics_mine[2];
extern uint64_t akt__atomics_all[2];
/* -sites: where the counted tells' atomics are (akt__atomic_sites_dump prints them). */
extern int akt__atomics_sites_on;
extern _Thread_local int akt__atomics_caller;
void akt__atomic_sites_reset(void);
void akt__atomic_sites_dump(double per);

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

/* Every thread's allocations, and this thread's. The builtins: this file is not counted. */
static uint64_t allocs_all;
static _Thread_local uint64_t allocs_mine;

static void count_alloc(void) {
    __atomic_fetch_add(&allocs_all, 1, __ATOMIC_RELAXED);
    allocs_mine++;
}
void *malloc(size_t n) {
    count_alloc();
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
    count_alloc();
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
    count_alloc();
    return __libc_realloc(p, n);
}
int posix_memalign(void **out, size_t align, size_t n) {
    count_alloc();
    void *p = __libc_memalign(align, n);
    if (!p) return 12; /* ENOMEM */
    *out = p;
    return 0;
}
void *aligned_alloc(size_t align, size_t n) {
    count_alloc();
    return __libc_memalign(align, n);
}
void free(void *p) { __libc_free(p); }

typedef struct {
    uint64_t all, all_rmw, mine, mine_rmw, allocs, allocs_mine;
} counts;

static counts snap(void) {
    return (counts){__atomic_load_n(&akt__atomics_all[0], __ATOMIC_RELAXED),
                    __atomic_load_n(&akt__atomics_all[1], __ATOMIC_RELAXED),
                    akt__atomics_mine[0],
                    akt__atomics_mine[1],
                    __atomic_load_n(&allocs_all, __ATOMIC_RELAXED),
                    allocs_mine};
}

static void emit(const char *bench, const char *suffix, double value, const char *unit, long n) {
    printf("{\"impl\":\"akt\",\"bench\":\"%s%s\",\"value\":%.3f,\"unit\":\"%s\",\"n\":%ld}\n",
           bench, suffix, value, unit, n);
}

/* Per op: every thread's and the caller's atomics, read-modify-writes, allocations. */
static void emit_counts(const char *what, counts a, counts b, long ops) {
    double n = (double)ops;
    char name[64];
    snprintf(name, sizeof name, "atomics_per_%s", what);
    emit(name, "", (double)(b.all - a.all) / n, "atomics", ops);
    emit(name, "_caller", (double)(b.mine - a.mine) / n, "atomics", ops);
    snprintf(name, sizeof name, "rmw_per_%s", what);
    emit(name, "", (double)(b.all_rmw - a.all_rmw) / n, "atomics", ops);
    emit(name, "_caller", (double)(b.mine_rmw - a.mine_rmw) / n, "atomics", ops);
    snprintf(name, sizeof name, "allocs_per_%s", what);
    emit(name, "", (double)(b.allocs - a.allocs) / n, "allocs", ops);
    emit(name, "_caller", (double)(b.allocs_mine - a.allocs_mine) / n, "allocs", ops);
    fflush(stdout);
}

static void check(int rc, const char *what) {
    if (rc) {
        fprintf(stderr, "%s: %s\n", what, akt_strerror(rc));
        exit(1);
    }
}

/* The receiver counts; the caller waits (no akt call) until it saw `target`. */
typedef struct {
    long seen;
    long target;
} sink;

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    sink *s = state;
    /* release: the caller's acquire load sees the finished count. */
    __atomic_store_n(&s->seen, s->seen + 1, __ATOMIC_RELEASE);
    return 0;
}

static void wait_seen(sink *s, long target) {
    struct timespec nap = {0, 20000};
    while (__atomic_load_n(&s->seen, __ATOMIC_ACQUIRE) < target) nanosleep(&nap, NULL);
}

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_msg_retain(msg);
    int rc = akt_ctx_respond(ctx, msg);
    if (rc) akt_msg_release(msg);
    return 0;
}

static akt_msg *ping(void) {
    akt_msg *m;
    check(akt_msg_new_bytes("bench.Ping", "ping", 4, AKT_BORROW, &m), "msg");
    return m;
}

/* -sites: counts where the atomics are from now (from zero), until sites_stop. */
static void sites_start(void) {
    akt__atomic_sites_reset();
    __atomic_store_n(&akt__atomics_sites_on, 1, __ATOMIC_RELAXED);
}

static void sites_stop(void) { __atomic_store_n(&akt__atomics_sites_on, 0, __ATOMIC_RELAXED); }

/* An ask round trip to echo, from this thread (message, ask, wait, releases), asks times
 * after a warm-up: akt_ask then a wait ("ask"), or akt_ask_wait ("ask_wait", whose atomics
 * -sites then lists). */
static void ask_counts(akt_system *sys, akt_pid echo, long asks, int blocking, int sites) {
    long warm = asks / 10 + 1;
    counts a = {0};
    for (long i = 0; i < warm + asks; i++) {
        if (i == warm) {
            a = snap();
            if (sites) sites_start();
        }
        akt_msg *reply;
        akt_future *f;
        if (blocking) {
            check(akt_ask_wait(sys, echo, ping(), 5000000000ll, NULL, -1, &f, &reply), "ask_wait");
        } else {
            check(akt_ask(sys, echo, ping(), 5000000000ll, &f), "ask");
            check(akt_future_wait(f, -1, &reply), "wait");
        }
        akt_msg_release(reply);
        akt_future_release(f);
    }
    counts z = snap();
    sites_stop();
    emit_counts(blocking ? "ask_wait" : "ask", a, z, asks);
    if (sites) {
        fprintf(stderr, "-- an akt_ask_wait round trip's atomics:\n");
        akt__atomic_sites_dump((double)asks);
    }
}

/* Tells between two waits for the receiver (a bound on the backlog). */
#define WINDOW 4096

int main(int argc, char **argv) {
    long n = 200000, asks = 20000, batch = 64;
    int workers = 0, sites = 0;
    akt__atomics_caller = 1;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-n=", 3) == 0)
            n = atol(argv[i] + 3);
        else if (strncmp(argv[i], "-asks=", 6) == 0)
            asks = atol(argv[i] + 6);
        else if (strncmp(argv[i], "-batch=", 7) == 0)
            batch = atol(argv[i] + 7);
        else if (strncmp(argv[i], "-workers=", 9) == 0)
            workers = atoi(argv[i] + 9);
        else if (strcmp(argv[i], "-sites") == 0)
            sites = 1;
        else {
            fprintf(stderr, "usage: %s [-n=TELLS] [-asks=ASKS] [-batch=B] [-workers=W] [-sites]\n",
                    argv[0]);
            return 2;
        }
    }
    if (n < batch || asks < 1 || batch < 1 || batch > 4096) {
        fprintf(stderr, "need -n >= -batch >= 1, -batch <= 4096, -asks >= 1\n");
        return 2;
    }
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "atomics";
    o.workers = workers;
    akt_system *sys;
    check(akt_system_create(&o, &sys), "create");
    sink *s = calloc(1, sizeof *s);
    akt_behavior b = {.size = sizeof b, .receive = sink_receive, .free_state = free};
    akt_pid to;
    check(akt_spawn(sys, &b, s, NULL, &to), "spawn");

    /* The message alone: made and released, nothing sent. */
    long warm = n / 10 + 1;
    for (long i = 0; i < warm; i++) akt_msg_release(ping());
    counts a = snap();
    for (long i = 0; i < n; i++) akt_msg_release(ping());
    counts z = snap();
    emit_counts("msg", a, z, n);

    /* Tell: a new message each (as akt-bench's tell_1to1), into one receiver. The caller
     * lets the receiver catch up every WINDOW tells, in the warm-up as in the counted run:
     * the backlog never outgrows what the warm-up left in the pools (a deeper one would
     * draw a new slab, once). */
    long sent = 0;
    for (int round = 0; round < 2; round++) { /* a warm-up round, then the counted one */
        if (round) {
            if (sites) sites_start();
            a = snap();
        }
        for (long i = 0; i < n; i++) {
            check(akt_tell(sys, to, ping()), "tell");
            if ((i + 1) % WINDOW == 0) wait_seen(s, sent + i + 1);
        }
        wait_seen(s, sent += n);
    }
    z = snap();
    sites_stop();
    emit_counts("tell", a, z, n);
    if (sites) akt__atomic_sites_dump((double)n);

    /* Batch tell: n / batch calls of batch messages each. */
    akt_msg **msgs = calloc((size_t)batch, sizeof *msgs);
    long calls = n / batch;
    for (int round = 0; round < 2; round++) { /* a warm-up round, then the counted one */
        long k = round ? calls : calls / 10 + 1;
        a = snap();
        for (long c = 0; c < k; c++) {
            for (long i = 0; i < batch; i++) msgs[i] = ping();
            check(akt_tell_batch(sys, to, msgs, (size_t)batch), "tell_batch");
        }
        wait_seen(s, sent += k * batch);
        z = snap();
    }
    emit_counts("batch", a, z, calls);
    emit_counts("batch_msg", a, z, calls * batch);
    free(msgs);

    /* Ask: a round trip to an echo actor, from this thread (message, ask, wait, releases). */
    akt_behavior eb = {.size = sizeof eb, .receive = echo_receive};
    akt_pid echo;
    check(akt_spawn(sys, &eb, NULL, NULL, &echo), "spawn");
    ask_counts(sys, echo, asks, 0, 0);
    ask_counts(sys, echo, asks, 1, sites);

    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return 0;
}
