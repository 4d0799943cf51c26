#define _POSIX_C_SOURCE 200809L
/* Telemetry overhead: tell throughput to one actor with telemetry off, with the OTLP
 * exporter sending to a collector (an in-process loopback HTTP receiver answering 200), and
 * with the exporter's collector down (every span copied, then dropped and counted), in the
 * same run, interleaved, best of -rounds. Prints JSON lines and each ratio to "off".
 *
 *   akt-otlp-bench [-n=1000000] [-rounds=3]
 */
#include <akt/akt.h>
#include <akt/telemetry.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void check(int rc, const char *what) {
    if (rc) {
        fprintf(stderr, "%s: %s\n", what, akt_strerror(rc));
        exit(1);
    }
}

/* ---- the collector: HTTP/1.1 on loopback, every request answered 200 ---- */
static int listen_fd;

static void *conn_main(void *arg) {
    int fd = (int)(intptr_t)arg;
    char *b = malloc(1 << 20);
    size_t have = 0;
    for (;;) {
        ssize_t r = read(fd, b + have, (1 << 20) - have);
        if (r <= 0) break;
        have += (size_t)r;
        for (;;) { /* whole requests in b: headers, then Content-Length bytes */
            b[have < (1 << 20) ? have : (1 << 20) - 1] = 0;
            char *end = strstr(b, "\r\n\r\n");
            if (!end) break;
            char *cl = strstr(b, "Content-Length:");
            size_t body = cl && cl < end ? (size_t)atol(cl + 15) : 0;
            size_t total = (size_t)(end + 4 - b) + body;
            if (have < total) break;
            const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
            if (write(fd, ok, sizeof ok - 1) < 0) break;
            memmove(b, b + total, have - total);
            have -= total;
        }
    }
    free(b);
    close(fd);
    return NULL;
}

static void *accept_main(void *arg) {
    (void)arg;
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) return NULL;
        pthread_t t;
        pthread_create(&t, NULL, conn_main, (void *)(intptr_t)fd);
        pthread_detach(t);
    }
}

static int collector_start(void) {
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (bind(listen_fd, (struct sockaddr *)&a, sizeof a) || listen(listen_fd, 16) ||
        getsockname(listen_fd, (struct sockaddr *)&a, &len)) {
        perror("collector");
        exit(1);
    }
    pthread_t t;
    pthread_create(&t, NULL, accept_main, NULL);
    pthread_detach(t);
    return ntohs(a.sin_port);
}

static int closed_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || getsockname(fd, (struct sockaddr *)&a, &len))
        exit(1);
    close(fd);
    return ntohs(a.sin_port);
}

/* ---- the scenario: n tells to one counting actor ---- */
typedef struct {
    long target, seen;
    atomic_int done;
} counter;

static int count_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)msg;
    counter *c = state;
    /* release: main's acquire load sees the finished count. */
    if (++c->seen == c->target) atomic_store_explicit(&c->done, 1, memory_order_release);
    return 0;
}

enum { OFF, NOOP_SINK, EXPORT, DOWN, NCONF };
static const char *const names[NCONF] = {"off", "trace_noop_sink", "otlp_export",
                                         "otlp_collector_down"};

static void noop_sink(const akt_span *span, void *data) {
    (void)span;
    (void)data;
}

static double run(int conf, long n, int port, int down_port, akt_otlp_stats *st) {
    akt_system_options so;
    akt_system_options_init(&so);
    so.name = "obench";
    so.workers = 2;
    akt_system *s;
    check(akt_system_create(&so, &s), "create");
    if (conf == NOOP_SINK) check(akt_trace_set_sink(s, noop_sink, NULL), "set_sink");
    if (conf == EXPORT || conf == DOWN) {
        char url[64];
        snprintf(url, sizeof url, "http://127.0.0.1:%d", conf == EXPORT ? port : down_port);
        akt_otlp_options o;
        akt_otlp_options_init(&o);
        o.endpoint = url;
        o.max_retries = 0;
        o.batch_size = 4096;
        o.queue_capacity = 65536;
        o.flush_interval_ms = 200;
        check(akt_otlp_start(s, &o), "otlp_start");
    }
    counter c = {.target = n};
    akt_behavior b;
    memset(&b, 0, sizeof b);
    b.size = sizeof b;
    b.receive = count_receive;
    akt_spawn_options sp;
    akt_spawn_options_init(&sp);
    sp.name = "count";
    akt_pid pid;
    check(akt_spawn(s, &b, &c, &sp, &pid), "spawn");
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        akt_msg *m;
        check(akt_msg_new_bytes("t", "", 0, AKT_COPY, &m), "msg");
        check(akt_tell(s, pid, m), "tell");
    }
    while (!atomic_load_explicit(&c.done, memory_order_acquire)) {
        struct timespec d = {0, 100000};
        nanosleep(&d, NULL);
    }
    double rate = n / (now_s() - t0);
    if (conf == EXPORT || conf == DOWN) {
        st->size = sizeof *st;
        akt_otlp_flush(s, 10000);
        check(akt_otlp_stats_read(s, st), "stats");
    }
    check(akt_system_shutdown(s, NULL, NULL), "shutdown");
    check(akt_system_wait(s, -1), "wait");
    check(akt_system_release(s), "release");
    return rate;
}

int main(int argc, char **argv) {
    long n = 1000000;
    int rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-n=", 3) == 0)
            n = atol(argv[i] + 3);
        else if (strncmp(argv[i], "-rounds=", 8) == 0)
            rounds = atoi(argv[i] + 8);
    }
    int port = collector_start(), down = closed_port();
    double best[NCONF] = {0};
    akt_otlp_stats st[NCONF];
    memset(st, 0, sizeof st);
    for (int r = 0; r < rounds; r++)
        for (int conf = 0; conf < NCONF; conf++) {
            akt_otlp_stats one = {0};
            double v = run(conf, n, port, down, &one);
            if (v > best[conf]) {
                best[conf] = v;
                st[conf] = one;
            }
        }
    for (int conf = 0; conf < NCONF; conf++) {
        printf(
            "{\"impl\":\"akt\",\"bench\":\"tell_%s\",\"value\":%.0f,\"unit\":\"msg/s\",\"n\":%ld,"
            "\"ratio_to_off\":%.3f,\"spans_exported\":%llu,\"spans_dropped\":%llu}\n",
            names[conf], best[conf], n, best[conf] / best[OFF],
            (unsigned long long)st[conf].spans_exported,
            (unsigned long long)st[conf].spans_dropped);
    }
    return 0;
}
