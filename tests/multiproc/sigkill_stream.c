/* sigkill_stream: a node killed with SIGKILL while another streams tells to it.
 *
 * Two processes on 127.0.0.1: this program (the sender, system "sender") and a copy of
 * itself started with the argument "receiver" (system "recv", actor /user/sink). The sink
 * acknowledges every message it handles by writing its sequence number to its stdout, a
 * pipe read here: what it wrote before the kill survives the kill. Once the sink has
 * acknowledged KILL_AT messages it is killed with SIGKILL while the main thread keeps
 * streaming. Two ways (the argument):
 *   flowing  the reader thread kills it at once: the sink is still handling;
 *   stalled  the sink stops handling after KILL_AT (it blocks), so the sender's window fills
 *            with messages sent and not consumed; the sender kills it on the first AKT_EFULL
 *            after that: a whole window is in flight at the kill, every time. Afterwards every tell
 * that akt accepted (akt_tell returned 0) must be either acknowledged by the receiver or a dead
 * letter on the sender with a reason; nothing is acknowledged twice, and the acknowledgements come
 * in the order sent. A message may be both: the remote's acknowledgement (the Credit frame
 * that says it was consumed) comes after the sink handled it, and a kill between the two
 * leaves the sender not knowing; such a message is a dead letter whose reason says the peer
 * was lost before acknowledging it (at-most-once: never sent again), and there are at most a
 * window of them. Any other message both received and dead-lettered is a failure.
 *
 * Exit 0 when all holds, 1 otherwise (the counts go to stdout either way). Bounded: the
 * receiver is killed by a pipe EOF if this process dies, every wait has a deadline. */
#include <akt/akt.h>
#include <akt/remote.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { TOTAL = 12000, KILL_AT = 4000 };
/* The sender's window (akt_remote_options.send_window): small, so the receiver's pace sets
 * the sender's and the kill comes while messages are still being told. */
enum { WINDOW = 64 };
#define DEADLINE_NS (20LL * 1000 * 1000 * 1000)

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long seq_of(akt_msg *msg) {
    const void *data;
    size_t len;
    char buf[32];
    if (akt_msg_bytes(msg, &data, &len) != 0 || len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, data, len);
    buf[len] = 0;
    return strtol(buf, NULL, 10);
}

/* ---- the receiver process ------------------------------------------------------------ */

static int stalled; /* the mode, set by main before any thread starts */

/* One write per message: a line of at most 12 bytes is written whole (< PIPE_BUF). */
static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    long *handled = state; /* only this actor's receive touches it, one message at a time */
    char c;
    if (stalled && ++*handled > KILL_AT)
        while (read(0, &c, 1) > 0) { /* the sender never writes: blocks until the kill */
        }
    char line[24];
    int n = snprintf(line, sizeof line, "%ld\n", seq_of(msg));
    if (write(1, line, (size_t)n) != n) return AKT_EFAILED;
    return 0;
}

static int receiver_main(void) {
    akt_system_options so;
    akt_system *sys = NULL;
    akt_system_options_init(&so);
    so.name = "recv";
    if (akt_system_create(&so, &sys) || akt_remote_start(sys, NULL)) return 2;
    akt_behavior b = {.size = sizeof b, .receive = sink_receive};
    akt_spawn_options sp;
    akt_spawn_options_init(&sp);
    sp.name = "sink";
    akt_pid pid;
    static long handled;
    if (akt_spawn(sys, &b, &handled, &sp, &pid)) return 3;
    char addr[200], line[256];
    if (akt_remote_address(sys, addr, sizeof addr, NULL)) return 4;
    int n = snprintf(line, sizeof line, "%s\n", addr);
    if (write(1, line, (size_t)n) != n) return 5;
    char c;
    while (read(0, &c, 1) > 0) { /* lives until killed, or until the sender goes away */
    }
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return 0;
}

/* ---- the sender (this test) ---------------------------------------------------------- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static unsigned char accepted[TOTAL], acked[TOTAL], dead[TOTAL], unacked[TOTAL];
static long acked_order[TOTAL + 16];
static long n_acked, n_dead, n_dead_no_reason, n_bad_acks, n_dup_dead, n_foreign_dead;
static int reader_done;
static pid_t child = -1;
static int child_out = -1;
static long sent_at_kill = -1;
static atomic_long next_seq; /* relaxed: a progress figure read by the reader thread only */

static void on_dead_letter(const akt_event *ev, void *data) {
    (void)data;
    long s = ev->msg ? seq_of(ev->msg) : -1;
    pthread_mutex_lock(&mu);
    if (s < 0 || s >= TOTAL) {
        n_foreign_dead++;
    } else {
        if (dead[s]) n_dup_dead++;
        dead[s] = 1;
        /* the peer was lost before it acknowledged the message: it may have been handled */
        unacked[s] = ev->reason && strstr(ev->reason, "before acknowledgement") != NULL;
        n_dead++;
        if (ev->reason == NULL || ev->reason[0] == 0) n_dead_no_reason++;
    }
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

/* Reads the receiver's acknowledgements; kills it once KILL_AT arrived. */
static void *reader(void *arg) {
    (void)arg;
    char buf[4096], line[32];
    size_t ll = 0;
    int killed = 0;
    for (;;) {
        ssize_t r = read(child_out, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        pthread_mutex_lock(&mu);
        for (ssize_t i = 0; i < r; i++) {
            if (buf[i] != '\n') {
                if (ll + 1 < sizeof line) line[ll++] = buf[i];
                continue;
            }
            line[ll] = 0;
            ll = 0;
            long s = strtol(line, NULL, 10);
            if (s < 0 || s >= TOTAL || acked[s]) {
                n_bad_acks++;
            } else {
                acked[s] = 1;
            }
            if (n_acked < TOTAL + 16) acked_order[n_acked] = s;
            n_acked++;
        }
        pthread_cond_broadcast(&cv);
        long count = n_acked;
        pthread_mutex_unlock(&mu);
        if (!stalled && !killed && count >= KILL_AT) {
            /* Mid-stream: the main thread is still telling. */
            sent_at_kill = atomic_load_explicit(&next_seq, memory_order_relaxed);
            kill(child, SIGKILL);
            killed = 1;
        }
    }
    pthread_mutex_lock(&mu);
    reader_done = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static pid_t start_receiver(const char *self, char *addr, size_t cap, int *keep_fd) {
    int out[2], in[2];
    if (pipe(out) || pipe(in)) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(in[0], 0);
        close(out[0]);
        close(in[1]);
        execl(self, self, "receiver", stalled ? "stalled" : "flowing", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(in[0]);
    *keep_fd = in[1];
    size_t n = 0;
    while (n + 1 < cap) { /* the address line, byte by byte: nothing after it is consumed */
        ssize_t r = read(out[0], addr + n, 1);
        if (r <= 0 || addr[n] == '\n') break;
        n++;
    }
    addr[n] = 0;
    child_out = out[0];
    return pid;
}

#define CHECK(cond, ...)                                           \
    do {                                                           \
        if (!(cond)) {                                             \
            fprintf(stderr, "sigkill_stream: FAIL: " __VA_ARGS__); \
            fprintf(stderr, "\n");                                 \
            failed = 1;                                            \
        }                                                          \
    } while (0)

int main(int argc, char **argv) {
    int mode = argc > 1 && strcmp(argv[1], "receiver") == 0 ? 2 : 1;
    if (argc <= mode || (strcmp(argv[mode], "flowing") && strcmp(argv[mode], "stalled"))) {
        fprintf(stderr, "usage: %s flowing|stalled\n", argv[0]);
        return 2;
    }
    stalled = strcmp(argv[mode], "stalled") == 0;
    if (mode == 2) return receiver_main();
    int failed = 0;
    int64_t t0 = now_ns();
    char addr[200], path[260];
    int keep = -1;
    child = start_receiver("/proc/self/exe", addr, sizeof addr, &keep);
    if (child < 0 || strncmp(addr, "akt://recv@127.0.0.1:", 21) != 0) {
        fprintf(stderr, "sigkill_stream: the receiver did not start: '%s'\n", addr);
        if (child > 0) kill(child, SIGKILL);
        return 1;
    }

    akt_system_options so;
    akt_system *sys = NULL;
    akt_system_options_init(&so);
    so.name = "sender";
    akt_subscription *sub = NULL;
    akt_pid sink;
    snprintf(path, sizeof path, "%s/user/sink", addr);
    akt_remote_options ro;
    akt_remote_options_init(&ro);
    ro.send_window = WINDOW;
    if (akt_system_create(&so, &sys) || akt_remote_start(sys, &ro) ||
        akt_subscribe(sys, AKT_EVENT_DEAD_LETTER, on_dead_letter, NULL, &sub) ||
        akt_remote_lookup(sys, path, &sink)) {
        fprintf(stderr, "sigkill_stream: the sender node did not start\n");
        kill(child, SIGKILL);
        return 1;
    }
    pthread_t rt;
    pthread_create(&rt, NULL, reader, NULL);

    /* Stream. AKT_EFULL is the window pushing back: the same message is tried again once
     * the receiver acknowledged more or a dead letter came (the receiver grants credit as it
     * consumes, a closed connection gives the window back; the wait's 2 ms bound covers the
     * credit arriving after the acknowledgement); any other refusal leaves the
     * message not accepted. */
    long n_accepted = 0, n_refused = 0, n_full = 0;
    int last_refusal = 0;
    int64_t limit = now_ns() + DEADLINE_NS;
    for (long i = 0; i < TOTAL; i++) {
        atomic_store_explicit(&next_seq, i, memory_order_relaxed);
        char text[16];
        int tl = snprintf(text, sizeof text, "%ld", i);
        int rc;
        for (;;) {
            akt_msg *m = NULL;
            if (akt_msg_new_bytes("seq", text, (size_t)tl, AKT_COPY, &m)) return 1;
            rc = akt_tell(sys, sink, m);
            if (rc == 0) break;
            akt_msg_release(m);
            if (rc != AKT_EFULL || now_ns() > limit) break;
            n_full++;
            pthread_mutex_lock(&mu);
            if (stalled && n_acked >= KILL_AT && sent_at_kill < 0) {
                /* The sink stopped consuming and the window is full: a window in flight. */
                sent_at_kill = i;
                kill(child, SIGKILL);
            }
            long seen = n_acked + n_dead;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 2 * 1000 * 1000;
            if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
            while (n_acked + n_dead == seen && pthread_cond_timedwait(&cv, &mu, &ts) == 0) {
            }
            pthread_mutex_unlock(&mu);
        }
        if (rc == 0) {
            accepted[i] = 1;
            n_accepted++;
        } else {
            n_refused++;
            last_refusal = rc;
        }
    }

    /* The receiver is gone (the reader killed it and saw EOF), then every accepted message
     * is accounted for, or the deadline passes. */
    pthread_mutex_lock(&mu);
    for (;;) {
        long settled = 0;
        for (long i = 0; i < TOTAL; i++) settled += accepted[i] && (acked[i] || dead[i]);
        if (reader_done && settled == n_accepted) break;
        if (now_ns() > limit) break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000 * 1000; /* re-check bound; each dead letter wakes us */
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&cv, &mu, &ts);
    }
    int done = reader_done;
    pthread_mutex_unlock(&mu);
    if (!done) kill(child, SIGKILL); /* the kill never came: end the reader's read */
    pthread_join(rt, NULL);
    int status = 0;
    waitpid(child, &status, 0);
    close(keep);

    /* The checks (the reader and the callbacks may still run: read under the lock). */
    pthread_mutex_lock(&mu);
    long lost = 0, both = 0, maybe = 0, acked_unaccepted = 0, out_of_order = 0, first_lost = -1;
    long last_lost = -1;
    for (long i = 0; i < TOTAL; i++) {
        if (accepted[i] && !acked[i] && !dead[i]) {
            if (first_lost < 0) first_lost = i;
            last_lost = i;
            lost++;
        }
        if (acked[i] && dead[i] && unacked[i]) maybe++;
        if (acked[i] && dead[i] && !unacked[i]) both++;
        if (acked[i] && !accepted[i]) acked_unaccepted++;
    }
    long shown = n_acked < TOTAL + 16 ? n_acked : TOTAL + 16;
    for (long k = 1; k < shown; k++)
        if (acked_order[k] <= acked_order[k - 1]) out_of_order++;
    printf("sigkill_stream: sent %d, accepted %ld, refused %ld (last %s), window waits %ld\n",
           TOTAL, n_accepted, n_refused, n_refused ? akt_err_name(last_refusal) : "-", n_full);
    printf("sigkill_stream (%s): killed after %ld acks with %ld told; acked %ld, dead letters %ld, "
           "lost %ld (seq %ld..%ld), both %ld, handled before their acknowledgement %ld; %.2f s\n",
           stalled ? "stalled" : "flowing", (long)KILL_AT, sent_at_kill, n_acked, n_dead, lost,
           first_lost, last_lost, both, maybe, (double)(now_ns() - t0) / 1e9);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the receiver was not killed");
    CHECK(sent_at_kill >= 0 && sent_at_kill < TOTAL - 1, "the kill did not happen mid-stream");
    CHECK(n_bad_acks == 0, "%ld acknowledgements repeated or unknown", n_bad_acks);
    CHECK(out_of_order == 0, "%ld acknowledgements out of order", out_of_order);
    CHECK(acked_unaccepted == 0, "%ld refused messages were received", acked_unaccepted);
    CHECK(both == 0, "%ld messages both received and dead-lettered", both);
    CHECK(maybe <= WINDOW, "%ld unacknowledged messages handled: more than the window", maybe);
    CHECK(n_dup_dead == 0, "%ld messages dead-lettered twice", n_dup_dead);
    CHECK(n_dead_no_reason == 0, "%ld dead letters without a reason", n_dead_no_reason);
    CHECK(lost == 0, "%ld accepted messages neither received nor dead-lettered", lost);
    pthread_mutex_unlock(&mu);

    akt_unsubscribe(sub);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return failed;
}
