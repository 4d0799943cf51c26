#define _POSIX_C_SOURCE 200809L
/* Remoting over loopback between two processes: tell throughput and ask round trip to an
 * actor of another process, next to the same two figures for an actor of this process, all
 * in one run, printed as bench/c's JSON lines plus the remote/local ratios.
 *   akt-remote-bench [-n=TELLS] [-asks=ASKS]     (the client; starts its server itself)
 *   akt-remote-bench -serve                      (the server: prints its address, then
 *                                                 serves until stdin closes) */
#include <akt/akt.h>
#include <akt/remote.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
        fprintf(stderr, "%s: %s\n", what, akt_strerror(rc));
        exit(1);
    }
}

static akt_system *new_system(const char *name) {
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = name;
    akt_system *sys;
    check(akt_system_create(&o, &sys), "create");
    return sys;
}

/* sink: counts "n" messages; "count" answers how many arrived so far (8 bytes). */
static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    long *seen = state;
    if (strcmp(akt_msg_type(msg), "count") != 0) {
        ++*seen;
        return 0;
    }
    akt_msg *r;
    check(akt_msg_new_bytes("count", seen, sizeof *seen, AKT_COPY, &r), "msg");
    if (akt_ctx_respond(ctx, r)) akt_msg_release(r);
    return 0;
}

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    akt_msg_retain(msg);
    if (akt_ctx_respond(ctx, msg)) akt_msg_release(msg);
    return 0;
}

static void spawn_pair(akt_system *sys, long *seen, akt_pid *sink, akt_pid *echo) {
    akt_behavior sb = {.size = sizeof sb, .receive = sink_receive};
    akt_behavior eb = {.size = sizeof eb, .receive = echo_receive};
    akt_spawn_options so;
    akt_spawn_options_init(&so);
    so.name = "sink";
    check(akt_spawn(sys, &sb, seen, &so, sink), "spawn sink");
    so.name = "echo";
    check(akt_spawn(sys, &eb, NULL, &so, echo), "spawn echo");
}

static int serve(void) {
    akt_system *sys = new_system("server");
    check(akt_remote_start(sys, NULL), "remote_start");
    static long seen;
    akt_pid sink, echo;
    spawn_pair(sys, &seen, &sink, &echo);
    char addr[200];
    check(akt_remote_address(sys, addr, sizeof addr, NULL), "address");
    printf("%s\n", addr);
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return 0;
}

static long ask_count(akt_system *sys, akt_pid sink) {
    akt_msg *m, *reply;
    akt_future *f;
    check(akt_msg_new_bytes("count", "", 0, AKT_COPY, &m), "msg");
    check(akt_ask(sys, sink, m, 60000000000ll, &f), "ask count");
    check(akt_future_wait(f, -1, &reply), "wait count");
    const void *data;
    size_t len;
    long v = 0;
    check(akt_msg_bytes(reply, &data, &len), "bytes");
    if (len == sizeof v) memcpy(&v, data, sizeof v);
    akt_msg_release(reply);
    akt_future_release(f);
    return v;
}

/* n tells of 16 bytes, then an ask behind them on the same path: it answers once all
 * arrived (order per pair). Messages per second. */
static double tell_rate(akt_system *sys, akt_pid sink, long n) {
    long before = ask_count(sys, sink);
    char payload[16] = "0123456789abcdef";
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        akt_msg *m;
        check(akt_msg_new_bytes("n", payload, sizeof payload, AKT_COPY, &m), "msg");
        int rc;
        /* AKT_EFULL: the flow-control window is used up until the receiver credits back. */
        while ((rc = akt_tell(sys, sink, m)) == AKT_EAGAIN || rc == AKT_EFULL) {
        }
        check(rc, "tell");
    }
    long got = ask_count(sys, sink) - before;
    double dt = now_s() - t0;
    if (got != n) {
        fprintf(stderr, "tell: %ld of %ld arrived\n", got, n);
        exit(1);
    }
    return n / dt;
}

/* Sequential asks of 16 bytes: the mean round trip in ns. */
static double ask_rtt(akt_system *sys, akt_pid echo, long n) {
    long warm = n / 10 + 1;
    double t0 = 0;
    for (long i = 0; i < warm + n; i++) {
        if (i == warm) t0 = now_s();
        akt_msg *m, *reply;
        akt_future *f;
        check(akt_msg_new_bytes("ping", "0123456789abcdef", 16, AKT_COPY, &m), "msg");
        check(akt_ask(sys, echo, m, 10000000000ll, &f), "ask");
        check(akt_future_wait(f, -1, &reply), "wait");
        akt_msg_release(reply);
        akt_future_release(f);
    }
    return (now_s() - t0) / n * 1e9;
}

static pid_t start_server(const char *self, char *addr, size_t cap, int *keep) {
    int out[2], in[2];
    if (pipe(out) || pipe(in)) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(in[0], 0);
        close(out[0]);
        close(in[1]);
        execl(self, self, "-serve", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(in[0]);
    *keep = in[1];
    size_t n = 0;
    while (n + 1 < cap && read(out[0], addr + n, 1) == 1 && addr[n] != '\n') n++;
    addr[n] = 0;
    close(out[0]);
    return pid;
}

int main(int argc, char **argv) {
    long n = 200000, asks = 20000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-serve") == 0) return serve();
        if (strncmp(argv[i], "-n=", 3) == 0) n = atol(argv[i] + 3);
        if (strncmp(argv[i], "-asks=", 6) == 0) asks = atol(argv[i] + 6);
    }
    if (n <= 0 || asks <= 0) {
        fprintf(stderr, "usage: %s [-n=TELLS] [-asks=ASKS] | -serve\n", argv[0]);
        return 2;
    }
    char addr[200], path[260];
    int keep;
    pid_t server = start_server("/proc/self/exe", addr, sizeof addr, &keep);
    if (server < 0 || strncmp(addr, "akt://server@", 13) != 0) {
        fprintf(stderr, "the server did not start: '%s'\n", addr);
        return 1;
    }
    akt_system *sys = new_system("client");
    check(akt_remote_start(sys, NULL), "remote_start");
    akt_pid rsink, recho, lsink, lecho;
    snprintf(path, sizeof path, "%s/user/sink", addr);
    check(akt_remote_lookup(sys, path, &rsink), "lookup sink");
    snprintf(path, sizeof path, "%s/user/echo", addr);
    check(akt_remote_lookup(sys, path, &recho), "lookup echo");
    static long local_seen;
    spawn_pair(sys, &local_seen, &lsink, &lecho);
    /* Alternated, so that both see the same machine state. */
    double rt = tell_rate(sys, rsink, n), lt = tell_rate(sys, lsink, n);
    double ra = ask_rtt(sys, recho, asks), la = ask_rtt(sys, lecho, asks);
    emit("remote_tell", rt, "msg/s", n);
    emit("local_tell", lt, "msg/s", n);
    emit("remote_ask_rtt", ra, "ns", asks);
    emit("local_ask_rtt", la, "ns", asks);
    emit("remote_over_local_tell", rt / lt, "ratio", n);
    emit("remote_over_local_ask_rtt", ra / la, "ratio", asks);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    close(keep);
    int status;
    waitpid(server, &status, 0);
    return 0;
}
