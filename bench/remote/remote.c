#define _POSIX_C_SOURCE 200809L
/* Remoting over loopback between two processes: tell throughput and ask round trip to an
 * actor of another process, next to the same two figures for an actor of this process, all
 * in one run, printed as bench/c's JSON lines plus the remote/local ratios.
 * Also the bytes on the wire per remote tell (TCP_INFO of this process's connections), and
 * remote_tell_many: SENDERS threads, each telling its own remote actor (sink0..).
 * tcp_rtt_floor: a blocking 64-byte echo between two processes over loopback TCP, the round
 * trip no remote ask can beat on this host (printed so that a slow host shows as one).
 * With -tls, the same remote figures over TLS 1.3 (mutual TLS, certificates made for the run
 * by tests/tools/tls_certs.sh) from a second server, alternated with the plaintext ones, and
 * their ratios to plaintext.
 *   akt-remote-bench [-n=TELLS] [-asks=ASKS] [-senders=S] [-tls]  (the client; starts its
 *                                                     servers)
 *   akt-remote-bench -serve [-tls=DIR]               (a server: prints its address, then
 *                                                     serves until stdin closes) */
#include <akt/akt.h>
#include <akt/remote.h>
#include <arpa/inet.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

/* Remoting on sys: plaintext (certs NULL), or mutual TLS with the node certificate of certs. */
static void start_remote(akt_system *sys, const char *certs) {
    akt_remote_options o;
    akt_remote_options_init(&o);
    char cert[600], key[600], ca[600];
    if (certs) {
        snprintf(cert, sizeof cert, "%s/node.pem", certs);
        snprintf(key, sizeof key, "%s/node.key", certs);
        snprintf(ca, sizeof ca, "%s/ca.pem", certs);
        o.tls_cert_file = cert;
        o.tls_key_file = key;
        o.tls_ca_file = ca;
        o.tls_require_client_cert = 1;
    }
    check(akt_remote_start(sys, &o), "remote_start");
}

#define MAX_SENDERS 64

static int serve(const char *certs) {
    akt_system *sys = new_system("server");
    start_remote(sys, certs);
    static long seen, many_seen[MAX_SENDERS];
    akt_pid sink, echo;
    spawn_pair(sys, &seen, &sink, &echo);
    akt_behavior sb = {.size = sizeof sb, .receive = sink_receive};
    for (int i = 0; i < MAX_SENDERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "sink%d", i);
        akt_spawn_options so;
        akt_spawn_options_init(&so);
        so.name = name;
        akt_pid p;
        check(akt_spawn(sys, &sb, &many_seen[i], &so, &p), "spawn sinkN");
    }
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

/* The bytes this process's TCP connections to port have had acknowledged (TCP_INFO): what
 * crossed the wire above TCP, TLS records whole, TCP/IP headers not; plus, in *received when
 * not NULL, what they received. */
static uint64_t wire_bytes_rx(uint16_t port, uint64_t *received) {
    uint64_t sum = 0;
    for (int fd = 0; fd < 4096; fd++) {
        struct sockaddr_in sa;
        socklen_t sl = sizeof sa;
        if (getpeername(fd, (struct sockaddr *)&sa, &sl) || sa.sin_family != AF_INET ||
            ntohs(sa.sin_port) != port)
            continue;
        struct tcp_info ti;
        socklen_t tl = sizeof ti;
        if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0) {
            sum += ti.tcpi_bytes_acked;
            if (received) *received += ti.tcpi_bytes_received;
        }
    }
    return sum;
}

static uint16_t port_of(const char *addr) {
    const char *colon = strrchr(addr, ':');
    return colon ? (uint16_t)atoi(colon + 1) : 0;
}

/* n tells of 16 bytes, then an ask behind them on the same path: it answers once all
 * arrived (order per pair). Messages per second; the bytes on the wire per tell in *bytes
 * when port (the server's) is not 0. */
static double tell_rate(akt_system *sys, akt_pid sink, long n, uint16_t port, double *bytes,
                        double *both) {
    long before = ask_count(sys, sink);
    uint64_t received = 0, sent = port ? wire_bytes_rx(port, &received) : 0;
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
    if (port) {
        uint64_t received1 = 0, sent1 = wire_bytes_rx(port, &received1);
        *bytes = (double)(sent1 - sent) / (double)n;
        *both = (double)(sent1 - sent + received1 - received) / (double)n;
    }
    if (got != n) {
        fprintf(stderr, "tell: %ld of %ld arrived\n", got, n);
        exit(1);
    }
    return n / dt;
}

/* One sender thread of tell_many: share tells of 16 bytes to its own sink. */
struct sender {
    akt_system *sys;
    akt_pid sink;
    long share;
    pthread_t thread;
};

static void *send_share(void *arg) {
    struct sender *s = arg;
    char payload[16] = "0123456789abcdef";
    for (long i = 0; i < s->share; i++) {
        akt_msg *m;
        check(akt_msg_new_bytes("n", payload, sizeof payload, AKT_COPY, &m), "msg");
        int rc;
        while ((rc = akt_tell(s->sys, s->sink, m)) == AKT_EAGAIN || rc == AKT_EFULL) {
        }
        check(rc, "tell");
    }
    return NULL;
}

/* n tells split over senders threads, each to its own remote sink; then an ask of each sink
 * behind its tells. Messages per second. */
static double tell_many(akt_system *sys, const akt_pid *sinks, int senders, long n) {
    struct sender s[MAX_SENDERS];
    long before[MAX_SENDERS], got = 0;
    for (int i = 0; i < senders; i++) before[i] = ask_count(sys, sinks[i]);
    double t0 = now_s();
    for (int i = 0; i < senders; i++) {
        s[i] = (struct sender){.sys = sys, .sink = sinks[i], .share = n / senders};
        if (pthread_create(&s[i].thread, NULL, send_share, &s[i])) {
            fprintf(stderr, "pthread_create failed\n");
            exit(1);
        }
    }
    for (int i = 0; i < senders; i++) pthread_join(s[i].thread, NULL);
    for (int i = 0; i < senders; i++) got += ask_count(sys, sinks[i]) - before[i];
    double dt = now_s() - t0;
    long want = n / senders * senders;
    if (got != want) {
        fprintf(stderr, "tell_many: %ld of %ld arrived\n", got, want);
        exit(1);
    }
    return want / dt;
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

/* The floor under any remote ask: two processes that echo 64 bytes (about an ask frame's
 * size) over a loopback TCP connection with blocking reads and writes, no threads between
 * them. The mean round trip in ns; each side's read sleeps and wakes once per trip, as an
 * I/O thread's would. */
static int full_io(int fd, char *b, size_t len, int writing) {
    for (size_t k = 0; k < len;) {
        ssize_t r = writing ? write(fd, b + k, len - k) : read(fd, b + k, len - k);
        if (r <= 0) return -1;
        k += (size_t)r;
    }
    return 0;
}

static double tcp_rtt(long n) {
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 1) ||
        getsockname(ls, (struct sockaddr *)&a, &al)) {
        fprintf(stderr, "tcp_rtt: no listening socket\n");
        exit(1);
    }
    char b[64] = {0};
    pid_t pid = fork();
    if (pid == 0) {
        int c = accept(ls, NULL, NULL);
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        while (full_io(c, b, sizeof b, 0) == 0 && full_io(c, b, sizeof b, 1) == 0) {
        }
        _exit(0);
    }
    close(ls);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (pid < 0 || s < 0 || connect(s, (struct sockaddr *)&a, sizeof a)) {
        fprintf(stderr, "tcp_rtt: cannot connect\n");
        exit(1);
    }
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    long warm = n / 10 + 1;
    double t0 = 0;
    for (long i = 0; i < warm + n; i++) {
        if (i == warm) t0 = now_s();
        if (full_io(s, b, sizeof b, 1) || full_io(s, b, sizeof b, 0)) {
            fprintf(stderr, "tcp_rtt: the echo died\n");
            exit(1);
        }
    }
    double rtt = (now_s() - t0) / n * 1e9;
    close(s);
    waitpid(pid, NULL, 0);
    return rtt;
}

static pid_t start_server(const char *self, const char *tls_arg, char *addr, size_t cap,
                          int *keep) {
    int out[2], in[2];
    if (pipe(out) || pipe(in)) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(in[0], 0);
        close(out[0]);
        close(in[1]);
        execl(self, self, "-serve", tls_arg, (char *)NULL);
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

/* The remote pids of a server at addr: sink, echo and sinks 0..senders-1. */
static void lookup_pair(akt_system *sys, const char *addr, akt_pid *sink, akt_pid *echo,
                        akt_pid *sinks, int senders) {
    char path[260];
    for (int i = 0; i < senders; i++) {
        snprintf(path, sizeof path, "%s/user/sink%d", addr, i);
        check(akt_remote_lookup(sys, path, &sinks[i]), "lookup sinkN");
    }
    snprintf(path, sizeof path, "%s/user/sink", addr);
    check(akt_remote_lookup(sys, path, sink), "lookup sink");
    snprintf(path, sizeof path, "%s/user/echo", addr);
    check(akt_remote_lookup(sys, path, echo), "lookup echo");
}

int main(int argc, char **argv) {
    long n = 200000, asks = 20000;
    int serving = 0, tls = 0, senders = 4;
    const char *certs = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-serve") == 0) serving = 1;
        if (strncmp(argv[i], "-tls=", 5) == 0) certs = argv[i] + 5;
        if (strcmp(argv[i], "-tls") == 0) tls = 1;
        if (strncmp(argv[i], "-n=", 3) == 0) n = atol(argv[i] + 3);
        if (strncmp(argv[i], "-asks=", 6) == 0) asks = atol(argv[i] + 6);
        if (strncmp(argv[i], "-senders=", 9) == 0) senders = atoi(argv[i] + 9);
    }
    if (serving) return serve(certs);
    if (n <= 0 || asks <= 0 || senders < 1 || senders > MAX_SENDERS) {
        fprintf(stderr, "usage: %s [-n=TELLS] [-asks=ASKS] [-senders=1..64] [-tls] | -serve\n",
                argv[0]);
        return 2;
    }
    char addr[200], taddr[200], dir[64] = "", tls_arg[80] = "", cmd[400];
    if (tls) {
        snprintf(dir, sizeof dir, "/tmp/akt-bench-tls-XXXXXX");
        snprintf(cmd, sizeof cmd, "sh '%s' '%s'", AKT_TLS_CERTS, mkdtemp(dir) ? dir : "");
        if (!*dir || system(cmd) != 0) {
            fprintf(stderr, "cannot make the TLS certificates\n");
            return 1;
        }
        snprintf(tls_arg, sizeof tls_arg, "-tls=%s", dir);
    }
    int keep, tkeep = -1;
    pid_t server = start_server("/proc/self/exe", NULL, addr, sizeof addr, &keep), tserver = -1;
    if (tls) tserver = start_server("/proc/self/exe", tls_arg, taddr, sizeof taddr, &tkeep);
    if (server < 0 || strncmp(addr, "akt://server@", 13) != 0 ||
        (tls && (tserver < 0 || strncmp(taddr, "akt://server@", 13) != 0))) {
        fprintf(stderr, "a server did not start: '%s'\n", addr);
        return 1;
    }
    akt_system *sys = new_system("client"), *tsys = NULL;
    start_remote(sys, NULL);
    akt_pid rsink, recho, lsink, lecho, tsink, techo, rsinks[MAX_SENDERS], tsinks[MAX_SENDERS];
    lookup_pair(sys, addr, &rsink, &recho, rsinks, senders);
    if (tls) {
        tsys = new_system("tlsclient");
        start_remote(tsys, dir);
        lookup_pair(tsys, taddr, &tsink, &techo, tsinks, senders);
    }
    static long local_seen;
    spawn_pair(sys, &local_seen, &lsink, &lecho);
    /* Alternated, so that all see the same machine state. */
    double rb = 0, tb = 0, rb2 = 0, tb2 = 0;
    double rt = tell_rate(sys, rsink, n, port_of(addr), &rb, &rb2),
           lt = tell_rate(sys, lsink, n, 0, NULL, NULL);
    double tt = tls ? tell_rate(tsys, tsink, n, port_of(taddr), &tb, &tb2) : 0;
    double rm = tell_many(sys, rsinks, senders, n);
    double tm = tls ? tell_many(tsys, tsinks, senders, n) : 0;
    double ra = ask_rtt(sys, recho, asks), la = ask_rtt(sys, lecho, asks);
    double ta = tls ? ask_rtt(tsys, techo, asks) : 0;
    double floor_rtt = tcp_rtt(asks);
    emit("remote_tell", rt, "msg/s", n);
    emit("local_tell", lt, "msg/s", n);
    emit("remote_ask_rtt", ra, "ns", asks);
    emit("local_ask_rtt", la, "ns", asks);
    emit("remote_over_local_tell", rt / lt, "ratio", n);
    emit("remote_over_local_ask_rtt", ra / la, "ratio", asks);
    emit("tcp_rtt_floor", floor_rtt, "ns", asks);
    emit("remote_ask_over_tcp_rtt", ra / floor_rtt, "ratio", asks);
    emit("remote_tell_wire_bytes", rb, "B/msg", n);
    emit("remote_tell_wire_bytes_both", rb2, "B/msg", n);
    emit("remote_tell_many", rm, "msg/s", n);
    if (tls) {
        emit("remote_tls_tell_wire_bytes", tb, "B/msg", n);
        emit("remote_tls_tell_wire_bytes_both", tb2, "B/msg", n);
        emit("remote_tls_tell_many", tm, "msg/s", n);
        emit("remote_tls_tell", tt, "msg/s", n);
        emit("remote_tls_ask_rtt", ta, "ns", asks);
        emit("tls_over_plain_tell", tt / rt, "ratio", n);
        emit("tls_over_plain_ask_rtt", ta / ra, "ratio", asks);
    }
    akt_system *all[] = {sys, tsys};
    for (int i = 0; i < 2; i++) {
        if (!all[i]) continue;
        akt_system_shutdown(all[i], NULL, NULL);
        akt_system_wait(all[i], -1);
        akt_system_release(all[i]);
    }
    /* Both before either wait: each server holds the other's pipe end it was forked with. */
    close(keep);
    if (tls) close(tkeep);
    int status;
    waitpid(server, &status, 0);
    if (tls) {
        waitpid(tserver, &status, 0);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    }
    return 0;
}
