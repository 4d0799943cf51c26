/* sigkill_stream_ref: the producer node of a stream reference killed with SIGKILL mid-stream.
 *
 * Two processes on 127.0.0.1: this program (system "consumer") runs a stream whose source is
 * a source reference (akt_stream_source_actor) into a for_each sink that counts; a copy of
 * itself started with the arguments "producer <address>" (system "producer") runs
 * range(0, 10^12) into an actor sink whose target is that source (4 in flight, on-complete
 * End). Once the consumer counted KILL_AT elements it kills the producer with SIGKILL. The
 * consumer's stream must then fail, within BOUND_NS, with AKT_ESTOPPED and the reason
 * "stage 0 (actor): the producer stopped before the end" (its node was lost: the watch's
 * Terminated), not hang waiting for elements that will never come; the elements counted are
 * 0, 1, 2, ... once each, in order.
 *
 * Exit 0 when all holds, 1 otherwise. Bounded: the producer dies with this process
 * (PR_SET_PDEATHSIG), every wait has a deadline. */
#include <akt/akt.h>
#include <akt/remote.h>
#include <akt/stream.h>

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { KILL_AT = 2000 };
#define BOUND_NS (10LL * 1000 * 1000 * 1000)

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static akt_system *node(const char *name) {
    akt_system_options so;
    akt_system *sys = NULL;
    akt_remote_options ro;
    if (akt_system_options_init(&so)) return NULL;
    so.name = name;
    so.workers = 2;
    if (akt_system_create(&so, &sys)) return NULL;
    if (akt_remote_options_init(&ro)) return NULL;
    if (akt_remote_start(sys, &ro)) return NULL;
    return sys;
}

/* ---- the producer process ------------------------------------------------------------ */

static int producer(const char *address) {
    akt_system *sys = node("producer");
    if (!sys) return 2;
    akt_pid src;
    akt_msg *end = NULL;
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    if (akt_remote_lookup(sys, address, &src) ||
        akt_msg_new_bytes(AKT_STREAM_END, NULL, 0, AKT_BORROW, &end) || akt_stream_graph_new(&g) ||
        akt_stream_source_range(g, 0, 1000000000000LL, 1) ||
        akt_stream_sink_actor(g, src, 4, end) || akt_stream_run(sys, g, &s))
        return 3;
    akt_stream_wait(s, -1); /* until killed */
    return 4;
}

/* ---- the consumer (this process) ----------------------------------------------------- */

static atomic_llong counted;
static atomic_int out_of_order;

static int count(akt_msg *in, void *data) {
    (void)data;
    const void *p = NULL;
    size_t n = 0;
    int64_t v = -1;
    if (akt_msg_bytes(in, &p, &n) == 0 && n == 8) memcpy(&v, p, 8); /* little-endian hosts */
    long long want = atomic_load(&counted);
    if (v != want) atomic_store(&out_of_order, 1);
    atomic_store(&counted, want + 1);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "producer") == 0) return producer(argv[2]);
    akt_system *sys = node("consumer");
    if (!sys) return 1;
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    char address[512];
    if (akt_stream_graph_new(&g) || akt_stream_source_actor(g, 8) ||
        akt_stream_sink_for_each(g, count, NULL) || akt_stream_run(sys, g, &s) ||
        akt_stream_source_address(s, address, sizeof address, NULL)) {
        fprintf(stderr, "consumer: setup failed\n");
        return 1;
    }
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execl(argv[0], argv[0], "producer", address, (char *)NULL);
        _exit(127);
    }
    int64_t deadline = now_ns() + BOUND_NS * 2;
    while (atomic_load(&counted) < KILL_AT && now_ns() < deadline) usleep(1000);
    long long at_kill = atomic_load(&counted);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    int ok = at_kill >= KILL_AT;
    if (!ok) fprintf(stderr, "consumer: only %lld elements before the deadline\n", at_kill);
    int64_t t0 = now_ns();
    int rc = akt_stream_wait(s, BOUND_NS);
    int64_t took = now_ns() - t0;
    const char *why = "";
    akt_stream_reason(s, &why);
    printf("counted %lld at the kill, %lld in all; the stream ended with %s (%s) in %lld ms\n",
           at_kill, (long long)atomic_load(&counted), akt_err_name(rc), why,
           (long long)(took / 1000000));
    if (rc != AKT_ESTOPPED ||
        strcmp(why, "stage 0 (actor): the producer stopped before the end") != 0) {
        fprintf(stderr, "consumer: expected AKT_ESTOPPED with the producer's loss\n");
        ok = 0;
    }
    if (atomic_load(&out_of_order)) {
        fprintf(stderr, "consumer: an element came twice or out of order\n");
        ok = 0;
    }
    akt_stream_release(s);
    akt_stream_graph_free(g);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, BOUND_NS);
    akt_system_release(sys);
    return ok ? 0 : 1;
}
