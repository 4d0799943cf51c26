#define _POSIX_C_SOURCE 200809L
/* akt-ft-bench: akt's side of two GoAkt peers (bench/goakt -bench=restart|request_rtt),
 * printed as JSON lines {"impl":"akt","bench":...} for bench/run.sh to pair.
 *   restart      failures per second one actor absorbs with the Restart directive: its
 *                supervisor (the system's, one-for-one, Restart) restarts it after every
 *                message, each of which fails. The driver tells one message and waits for
 *                the restart's pre_start before the next, as the GoAkt side must (GoAkt
 *                drops a restarting actor's mailbox, akt keeps it: a closed loop measures
 *                the same thing on both sides).
 *   request_rtt  GoAkt's BenchmarkRequest, one driver: tell a requester (reentrancy
 *                ALLOW_ALL), which makes a non-blocking request (akt_ctx_request) to an echo
 *                actor; the continuation, on the requester's turn, wakes the driver.
 *                Mean ns per round (tell + request + reply + continuation + wake-up).
 *   akt-ft-bench [-bench=restart|request_rtt|all] [-n=200000] [-workers=0] */
#include <akt/akt.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void emit(const char *bench, double value, const char *unit, long n) {
    printf("{\"impl\":\"akt\",\"bench\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"n\":%ld}\n", bench,
           value, unit, n);
    fflush(stdout);
}

static void check(int rc, const char *what) {
    if (rc) {
        fprintf(stderr, "akt-ft-bench: %s: %s\n", what, akt_err_name(rc));
        exit(1);
    }
}

static int g_workers; /* 0 = one per core */

static akt_system *new_system(const akt_supervisor *sup) {
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "bench";
    o.workers = g_workers;
    o.supervisor = sup;
    akt_system *sys;
    check(akt_system_create(&o, &sys), "system");
    return sys;
}

static void end_system(akt_system *sys) {
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
}

static akt_msg *new_msg(const char *type) {
    akt_msg *m;
    check(akt_msg_new_bytes(type, "ping", 4, AKT_BORROW, &m), "msg");
    return m;
}

/* ---- restart ------------------------------------------------------------------------- */
static sem_t g_started; /* posted by every pre_start: the first start and each restart */

static int faulty_pre_start(akt_ctx *ctx, void *state) {
    (void)ctx;
    (void)state;
    sem_post(&g_started);
    return 0;
}

static int faulty_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    (void)state;
    return akt_ctx_fail(ctx, "boom");
}

static double restart_rate(akt_system *sys, akt_pid pid, long n) {
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        check(akt_tell(sys, pid, new_msg("bench.Fail")), "tell");
        while (sem_wait(&g_started) != 0) {
        }
    }
    return n / (now_s() - t0);
}

static void bench_restart(long n) {
    akt_supervisor sup = {.size = sizeof sup,
                          .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                          .default_directive = AKT_DIRECTIVE_RESTART};
    akt_system *sys = new_system(&sup);
    sem_init(&g_started, 0, 0);
    akt_behavior b = {.size = sizeof b, .receive = faulty_receive, .pre_start = faulty_pre_start};
    akt_pid pid;
    check(akt_spawn(sys, &b, NULL, NULL, &pid), "spawn");
    while (sem_wait(&g_started) != 0) {
    }
    restart_rate(sys, pid, n / 10 + 1); /* warm-up */
    emit("restart_rate", restart_rate(sys, pid, n), "op/s", n);
    end_system(sys);
    sem_destroy(&g_started);
}

/* ---- request_rtt --------------------------------------------------------------------- */
typedef struct {
    akt_pid echo;
    akt_request_options o;
    sem_t done;
} requester;

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    akt_msg_retain(msg);
    int rc = akt_ctx_respond(ctx, msg);
    if (rc) akt_msg_release(msg);
    return 0;
}

static int requester_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    (void)ctx;
    (void)reply;
    check(rc, "request reply");
    sem_post(&((requester *)data)->done);
    return 0;
}

static int requester_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    requester *r = state;
    return akt_ctx_request(ctx, r->echo, new_msg("bench.Ping"), &r->o, NULL);
}

static double request_ns(akt_system *sys, akt_pid pid, requester *r, long n) {
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        check(akt_tell(sys, pid, new_msg("bench.Go")), "tell");
        while (sem_wait(&r->done) != 0) {
        }
    }
    return (now_s() - t0) / n * 1e9;
}

static void bench_request(long n) {
    akt_system *sys = new_system(NULL);
    requester *r = calloc(1, sizeof *r);
    if (!r) exit(1);
    sem_init(&r->done, 0, 0);
    akt_behavior eb = {.size = sizeof eb, .receive = echo_receive};
    check(akt_spawn(sys, &eb, NULL, NULL, &r->echo), "spawn echo");
    akt_request_options_init(&r->o);
    r->o.then = requester_then;
    r->o.data = r;
    akt_spawn_options so;
    akt_spawn_options_init(&so);
    so.reentrancy = AKT_REENTRANCY_ALLOW_ALL; /* as BenchmarkRequest's requester */
    akt_behavior rb = {.size = sizeof rb, .receive = requester_receive};
    akt_pid pid;
    /* r is the state without a free_state: it outlives the actor. */
    check(akt_spawn(sys, &rb, r, &so, &pid), "spawn requester");
    request_ns(sys, pid, r, n / 10 + 1); /* warm-up */
    emit("request_rtt", request_ns(sys, pid, r, n), "ns", n);
    end_system(sys);
    sem_destroy(&r->done);
    free(r);
}

int main(int argc, char **argv) {
    const char *which = "all";
    long n = 200000;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-bench=", 7) == 0)
            which = argv[i] + 7;
        else if (strncmp(argv[i], "-n=", 3) == 0)
            n = atol(argv[i] + 3);
        else if (strncmp(argv[i], "-workers=", 9) == 0)
            g_workers = atoi(argv[i] + 9);
        else {
            fprintf(stderr, "usage: akt-ft-bench [-bench=restart|request_rtt|all] [-n=N]\n");
            return 2;
        }
    }
    if (n < 1) {
        fprintf(stderr, "-n must be >= 1\n");
        return 2;
    }
    int all = strcmp(which, "all") == 0;
    if (!all && strcmp(which, "restart") && strcmp(which, "request_rtt")) {
        fprintf(stderr, "unknown -bench=%s\n", which);
        return 2;
    }
    if (all || !strcmp(which, "restart")) bench_restart(n);
    if (all || !strcmp(which, "request_rtt")) bench_request(n);
    return 0;
}
