/* Remoting: the frame decoder and the checked unpack (white-box), then two systems in one
 * process over 127.0.0.1: ordered tells, asks, unknown paths, refused handshakes, a lost
 * peer and an unreachable one. */
#include "tu_remote.h"

#include <akt/remote.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "remote/endpoint.h"
#include "remote/frame.h"

/* ---- frames --------------------------------------------------------------------------- */

typedef struct frames_seen {
    int n;
    uint32_t len[8];
    uint8_t first[8];
} frames_seen;

static int on_frame(void *data, const uint8_t *body, uint32_t len) {
    frames_seen *s = data;
    if (s->n < 8) {
        s->len[s->n] = len;
        s->first[s->n] = body[0];
    }
    s->n++;
    return 0;
}

/* Three frames of 1, 300 and 5 bytes, back to back. */
static size_t three_frames(uint8_t *out) {
    const uint32_t lens[] = {1, 300, 5};
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        akt__frame_header(out + at, lens[i]);
        at += AKT__FRAME_HEADER;
        memset(out + at, 'a' + i, lens[i]);
        at += lens[i];
    }
    return at;
}

static void test_frame_split_byte_by_byte(void **state) {
    (void)state;
    uint8_t buf[512];
    size_t n = three_frames(buf);
    for (size_t chunk = 1; chunk <= n; chunk = chunk * 2 + 1) {
        akt__frame_decoder d;
        akt__frame_decoder_init(&d, 1024);
        frames_seen s = {0};
        for (size_t at = 0; at < n; at += chunk)
            TU_OK(akt__frame_feed(&d, buf + at, at + chunk > n ? n - at : chunk, on_frame, &s));
        akt__frame_decoder_free(&d);
        assert_int_equal(s.n, 3);
        assert_int_equal(s.len[0], 1);
        assert_int_equal(s.len[1], 300);
        assert_int_equal(s.len[2], 5);
        assert_int_equal(s.first[1], 'b');
        assert_int_equal(s.first[2], 'c');
    }
}

static void test_frame_oversized_and_zero(void **state) {
    (void)state;
    akt__frame_decoder d;
    akt__frame_decoder_init(&d, 100);
    frames_seen s = {0};
    uint8_t hdr[4];
    akt__frame_header(hdr, 0xFFFFFFF0u); /* a 4 GiB claim: refused before any allocation */
    TU_RC(AKT_EPROTO, akt__frame_feed(&d, hdr, 4, on_frame, &s));
    TU_RC(AKT_EPROTO, akt__frame_feed(&d, hdr, 1, on_frame, &s)); /* sticky */
    akt__frame_decoder_free(&d);
    akt__frame_decoder_init(&d, 100);
    akt__frame_header(hdr, 101);
    TU_RC(AKT_EPROTO, akt__frame_feed(&d, hdr, 4, on_frame, &s));
    akt__frame_decoder_free(&d);
    akt__frame_decoder_init(&d, 100);
    akt__frame_header(hdr, 0);
    TU_RC(AKT_EPROTO, akt__frame_feed(&d, hdr, 4, on_frame, &s));
    akt__frame_decoder_free(&d);
    assert_int_equal(s.n, 0);
}

static void test_frame_garbage_is_refused(void **state) {
    (void)state;
    /* Random bytes, a field number 0, a truncated field, an empty Frame. */
    srand(7);
    uint8_t junk[64];
    for (int round = 0; round < 2000; round++) {
        size_t n = 1 + (size_t)(rand() % (int)sizeof junk);
        for (size_t i = 0; i < n; i++) junk[i] = (uint8_t)rand();
        Akt__Remote__Frame *f = akt__wire_unpack(junk, n);
        if (f) { /* a valid frame by chance: it must have its body */
            assert_int_not_equal(f->body_case, AKT__REMOTE__FRAME__BODY__NOT_SET);
            akt__wire_free(f);
        }
    }
    const uint8_t field0[] = {0x00, 0x01};
    assert_null(akt__wire_unpack(field0, sizeof field0));
    const uint8_t nested0[] = {0x2a, 0x02, 0x02, 0x00}; /* Bye{ field 0 } */
    assert_null(akt__wire_unpack(nested0, sizeof nested0));
    const uint8_t truncated[] = {0x1a, 0x10, 0x0a};
    assert_null(akt__wire_unpack(truncated, sizeof truncated));
    const uint8_t other[] = {0x30, 0x01}; /* only a reserved field: no body */
    assert_null(akt__wire_unpack(other, sizeof other));
    /* A real frame round-trips. */
    Akt__Remote__Bye bye = AKT__REMOTE__BYE__INIT;
    bye.reason = "x";
    Akt__Remote__Frame fr = AKT__REMOTE__FRAME__INIT;
    fr.body_case = AKT__REMOTE__FRAME__BODY_BYE;
    fr.bye = &bye;
    size_t len;
    uint8_t *packed = akt__wire_pack(&fr, &len);
    assert_non_null(packed);
    Akt__Remote__Frame *back = akt__wire_unpack(packed + 4, len - 4);
    assert_non_null(back);
    assert_int_equal(back->body_case, AKT__REMOTE__FRAME__BODY_BYE);
    assert_string_equal(back->bye->reason, "x");
    akt__wire_free(back);
    free(packed);
}

/* ---- two nodes ------------------------------------------------------------------------ */

static akt_system *node(const char *name) {
    akt_system *s = tu_system(name, 2);
    TU_OK(akt_remote_start(s, NULL));
    return s;
}

/* The remote pid of actor path ("/user/x") on node b, seen from a. */
static atomic_uint_fast64_t sink_next, sink_bad;

/* A tell that waits (bounded) while the flow-control window is used up. */
static void tell_paced(akt_system *a, akt_pid to, akt_msg *m) {
    int64_t deadline = tu_now_ns() + TU_DEADLINE_NS;
    int rc;
    while ((rc = akt_tell(a, to, m)) == AKT_EFULL && tu_now_ns() < deadline) sched_yield();
    TU_OK(rc);
}

/* Counts "n" messages carrying 0, 1, 2, ... in order; answers "count" with how many. */
static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "n")) {
        uint64_t v = tu_u64(msg);
        if (v != atomic_load(&sink_next)) atomic_fetch_add(&sink_bad, 1);
        atomic_store(&sink_next, v + 1);
        return 0;
    }
    return tu_reply_u64(ctx, "count", atomic_load(&sink_next));
}

static void test_tell_order_kept(void **state) {
    (void)state;
    atomic_store(&sink_next, 0);
    atomic_store(&sink_bad, 0);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior sb = tu_behavior(sink_receive);
    tu_spawn(b, &sb, NULL, "sink");
    akt_pid sink = tu_remote_pid(a, b, "/user/sink");
    akt_pid again = tu_remote_pid(a, b, "/user/sink");
    assert_int_equal(sink.id, again.id); /* one proxy per address */
    char path[256];
    TU_OK(akt_pid_path(a, sink, path, sizeof path, NULL));
    assert_non_null(strstr(path, "akt://beta@127.0.0.1:"));
    assert_non_null(strstr(path, "/user/sink"));
    const uint64_t N = 100000;
    for (uint64_t i = 0; i < N; i++) tell_paced(a, sink, tu_msg_u64("n", i));
    /* The ask travels behind the tells on the same path: it sees them all. */
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, sink, tu_msg("count", ""), &reply));
    assert_true(tu_is(reply, "count"));
    assert_int_equal(tu_u64(reply), N);
    akt_msg_release(reply);
    assert_int_equal(atomic_load(&sink_bad), 0);
    tu_system_end(a);
    tu_system_end(b);
}

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    char text[64];
    tu_text(msg, text, sizeof text);
    char out[80];
    snprintf(out, sizeof out, "echo:%s", text);
    return tu_reply(ctx, "echoed", out);
}

static void test_ask_round_trip_and_unknown_path(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    static tu_events evb;
    tu_events_init(&evb);
    akt_subscription *sub;
    TU_OK(akt_subscribe(b, AKT_EVENT_DEAD_LETTER, tu_events_cb, &evb, &sub));
    akt_pid echo = tu_remote_pid(a, b, "/user/echo");
    for (int i = 0; i < 50; i++) {
        char want[32], got[64];
        snprintf(want, sizeof want, "%d", i);
        akt_msg *reply = NULL;
        TU_OK(tu_ask(a, echo, tu_msg("say", want), &reply));
        assert_true(tu_is(reply, "echoed"));
        tu_text(reply, got, sizeof got);
        char exp[40];
        snprintf(exp, sizeof exp, "echo:%s", want);
        assert_string_equal(got, exp);
        akt_msg_release(reply);
    }
    /* Nobody there: the ask fails fast with the receiving node's answer, and that node
     * has the dead letter. */
    akt_pid nobody = tu_remote_pid(a, b, "/user/nobody");
    int64_t t0 = tu_now_ns();
    akt_future *f;
    TU_OK(akt_ask(a, nobody, tu_msg("say", "hi"), TU_SEC(30), &f));
    TU_RC(AKT_ENOTFOUND, tu_wait(f, NULL));
    assert_true(tu_now_ns() - t0 < TU_SEC(5));
    const char *why = NULL;
    TU_OK(akt_future_failure(f, &why, NULL));
    assert_non_null(why);
    assert_non_null(strstr(why, "/user/nobody"));
    TU_OK(akt_future_release(f));
    TU_EVENTUALLY(tu_events_count(&evb, AKT_EVENT_DEAD_LETTER, (akt_pid){0}) >= 1);
    tu_ev ev;
    assert_true(tu_events_find(&evb, AKT_EVENT_DEAD_LETTER, (akt_pid){0}, &ev));
    assert_string_equal(ev.type, "say");
    assert_true(ev.has_reason);
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(a);
    tu_system_end(b);
    tu_events_destroy(&evb);
}

static void test_handshake_refusals(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    char addr[256], wrong[300];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    /* The right host and port, the wrong system name. */
    snprintf(wrong, sizeof wrong, "akt://gamma@%s/user/echo", strchr(addr, '@') + 1);
    akt_pid p;
    TU_OK(akt_remote_lookup(a, wrong, &p));
    akt_future *f;
    TU_OK(akt_ask(a, p, tu_msg("say", "x"), TU_SEC(30), &f));
    TU_RC(AKT_EPROTO, tu_wait(f, NULL));
    const char *why = NULL;
    TU_OK(akt_future_failure(f, &why, NULL));
    assert_non_null(why);
    assert_non_null(strstr(why, "not 'gamma'"));
    TU_OK(akt_future_release(f));
    tu_system_end(a);
    /* Another protocol version: refused, with both versions named. */
    akt__remote_test_version = 99;
    akt_system *c = node("gamma");
    akt_pid echo = tu_remote_pid(c, b, "/user/echo");
    TU_OK(akt_ask(c, echo, tu_msg("say", "x"), TU_SEC(30), &f));
    TU_RC(AKT_EPROTO, tu_wait(f, NULL));
    TU_OK(akt_future_failure(f, &why, NULL));
    assert_non_null(why);
    assert_non_null(strstr(why, "protocol version 99 not supported"));
    TU_OK(akt_future_release(f));
    akt__remote_test_version = 0;
    tu_system_end(c);
    tu_system_end(b);
}

static atomic_int hole_got;

/* Keeps every ask unanswered. */
static int hole_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)msg;
    (void)st;
    atomic_fetch_add(&hole_got, 1);
    return 0;
}

static void test_peer_shutdown_fails_pending_asks(void **state) {
    (void)state;
    atomic_store(&hole_got, 0);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior hb = tu_behavior(hole_receive);
    tu_spawn(b, &hb, NULL, "hole");
    akt_pid hole = tu_remote_pid(a, b, "/user/hole");
    static tu_events eva;
    tu_events_init(&eva);
    akt_subscription *sub;
    TU_OK(akt_subscribe(a, AKT_EVENT_DEAD_LETTER, tu_events_cb, &eva, &sub));
    enum { N = 20 };
    akt_future *fs[N];
    for (int i = 0; i < N; i++) TU_OK(akt_ask(a, hole, tu_msg("q", "x"), TU_SEC(60), &fs[i]));
    TU_EVENTUALLY(atomic_load(&hole_got) == N);
    int64_t t0 = tu_now_ns();
    tu_system_end(b);
    for (int i = 0; i < N; i++) {
        TU_RC(AKT_EUNREACHABLE, tu_wait(fs[i], NULL));
        TU_OK(akt_future_release(fs[i]));
    }
    assert_true(tu_now_ns() - t0 < TU_SEC(10));
    /* The node is gone: a tell becomes a dead letter here, with why; an ask fails fast. */
    TU_OK(akt_tell(a, hole, tu_msg("t", "late")));
    TU_EVENTUALLY(tu_events_count(&eva, AKT_EVENT_DEAD_LETTER, hole) >= 1);
    tu_ev ev;
    assert_true(tu_events_find(&eva, AKT_EVENT_DEAD_LETTER, hole, &ev));
    assert_true(ev.has_reason);
    assert_non_null(strstr(ev.reason, "unreachable"));
    assert_string_equal(ev.type, "t");
    akt_future *f;
    TU_OK(akt_ask(a, hole, tu_msg("q", "y"), TU_SEC(60), &f));
    TU_RC(AKT_EUNREACHABLE, tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(a);
    tu_events_destroy(&eva);
}

/* Messages to a proxy queued while its system shuts down are dead letters, never lost. */
static void test_shutdown_with_traffic(void **state) {
    (void)state;
    atomic_store(&sink_next, 0);
    atomic_store(&sink_bad, 0);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior sb = tu_behavior(sink_receive);
    tu_spawn(b, &sb, NULL, "sink");
    akt_pid sink = tu_remote_pid(a, b, "/user/sink");
    for (uint64_t i = 0; i < 20000; i++) tell_paced(a, sink, tu_msg_u64("n", i));
    tu_system_end(a);
    tu_system_end(b);
    assert_int_equal(atomic_load(&sink_bad), 0);
}

/* A peer that goes away while this node writes to it (its socket closed with data unread:
 * a reset) kills nothing: with SIGPIPE at its default, as a C program has it, the writes
 * after the reset fail with EPIPE on the I/O thread and become dead letters. Five rounds. */
static atomic_int flood_stop;
static atomic_uint_fast64_t flood_told;

static void *flood(void *arg) {
    akt_system *a = ((void **)arg)[0];
    akt_pid to = *(akt_pid *)((void **)arg)[1];
    static uint8_t payload[16 * 1024];
    while (!atomic_load(&flood_stop)) {
        akt_msg *m;
        if (akt_msg_new_bytes("x", payload, sizeof payload, AKT_BORROW, &m)) break;
        if (akt_tell(a, to, m) == 0)
            atomic_fetch_add(&flood_told, 1);
        else {
            akt_msg_release(m); /* refused: still ours */
            sched_yield();
        }
    }
    return NULL;
}

static void test_a_peer_gone_mid_flood_is_no_sigpipe(void **state) {
    (void)state;
    signal(SIGPIPE, SIG_DFL);
    for (int round = 0; round < 5; round++) {
        atomic_store(&sink_next, 0);
        akt_system *a = node("alpha"), *b = node("beta");
        akt_behavior sb = tu_behavior(sink_receive);
        tu_spawn(b, &sb, NULL, "sink");
        akt_pid sink = tu_remote_pid(a, b, "/user/sink");
        atomic_store(&flood_stop, 0);
        atomic_store(&flood_told, 0);
        void *args[2] = {a, &sink};
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, flood, args), 0);
        TU_EVENTUALLY(atomic_load(&flood_told) > 64);
        tu_system_end(b); /* mid-flood */
        uint64_t told = atomic_load(&flood_told);
        TU_EVENTUALLY(atomic_load(&flood_told) > told + 64); /* and on after it */
        tu_sleep_ms(20);
        atomic_store(&flood_stop, 1);
        pthread_join(t, NULL);
        tu_system_end(a);
    }
}

/* ---- another process ----------------------------------------------------------------- */

/* Starts tests/remote_child.c; its address goes into addr. The child's stdin is a pipe
 * this process holds: if the test dies, the child sees EOF and ends too. */
static pid_t start_child(char *addr, size_t cap, int *keep_fd) {
    int out[2], in[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(in), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(in[0], 0);
        close(out[0]);
        close(in[1]);
        execl(AKT_REMOTE_CHILD, AKT_REMOTE_CHILD, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(in[0]);
    *keep_fd = in[1];
    size_t n = 0;
    while (n + 1 < cap) { /* one line; a read returns as soon as the child wrote it */
        ssize_t r = read(out[0], addr + n, 1);
        if (r <= 0) break;
        if (addr[n] == '\n') break;
        n++;
    }
    addr[n] = 0;
    close(out[0]);
    if (strncmp(addr, "akt://child@127.0.0.1:", 22) != 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        fail_msg("the child node did not start: '%s'", addr);
    }
    return pid;
}

static void test_killed_process_fails_pending_asks(void **state) {
    (void)state;
    char addr[200], path[260];
    int keep;
    pid_t child = start_child(addr, sizeof addr, &keep);
    akt_system *a = node("parent");
    akt_pid echo, hole;
    snprintf(path, sizeof path, "%s/user/echo", addr);
    TU_OK(akt_remote_lookup(a, path, &echo));
    snprintf(path, sizeof path, "%s/user/hole", addr);
    TU_OK(akt_remote_lookup(a, path, &hole));
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, echo, tu_msg("say", "across"), &reply));
    char text[32];
    tu_text(reply, text, sizeof text);
    assert_string_equal(text, "across");
    akt_msg_release(reply);
    enum { N = 200 };
    static akt_future *fs[N];
    /* Mid-stream: asks in flight and tells behind them when the child dies. */
    for (int i = 0; i < N; i++) {
        TU_OK(akt_ask(a, hole, tu_msg("q", "x"), TU_SEC(60), &fs[i]));
        TU_OK(akt_tell(a, hole, tu_msg("t", "x")));
    }
    TU_OK(tu_ask(a, echo, tu_msg("say", "still"), &reply)); /* the stream is flowing */
    akt_msg_release(reply);
    int64_t t0 = tu_now_ns();
    assert_int_equal(kill(child, SIGKILL), 0);
    for (int i = 0; i < N; i++) {
        TU_RC(AKT_EUNREACHABLE, tu_wait(fs[i], NULL));
        TU_OK(akt_future_release(fs[i]));
    }
    int64_t took = tu_now_ns() - t0;
    assert_true(took < TU_SEC(5));
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    close(keep);
    /* And the node stays usable: the next ask fails fast as unreachable. */
    akt_future *f;
    TU_OK(akt_ask(a, echo, tu_msg("say", "gone"), TU_SEC(60), &f));
    TU_RC(AKT_EUNREACHABLE, tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    tu_system_end(a);
}

/* ---- the sender across nodes ------------------------------------------------------- */

static char replier_saw[256];
static atomic_int replier_got;

/* "ping": notes the sender's path, answers "pong" to it with akt_ctx_respond (a plain tell:
 * no asker) and tells the sender "again" itself. */
static int replier_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    akt_system *b = st;
    akt_pid from;
    (void)msg;
    TU_OK(akt_ctx_sender(ctx, &from));
    if (from.id == 0) { /* from outside any actor: the respond is a dead letter here */
        atomic_fetch_add(&replier_got, 1);
        return tu_reply(ctx, "pong", "0");
    }
    TU_OK(akt_pid_path(b, from, replier_saw, sizeof replier_saw, NULL));
    atomic_fetch_add(&replier_got, 1);
    TU_OK(tu_reply(ctx, "pong", "1"));
    akt_msg *again = tu_msg("pong", "2");
    TU_OK(akt_ctx_tell(ctx, from, again));
    return 0;
}

static char pinger_saw[2][256];
static atomic_int pinger_got;

/* "go" (payload: the remote pid) -> tells it "ping" as itself; "pong" -> notes the sender. */
static int pinger_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    akt_system *a = st;
    if (tu_is(msg, "go")) return akt_ctx_tell(ctx, tu_pid(msg), tu_msg("ping", ""));
    akt_pid from;
    TU_OK(akt_ctx_sender(ctx, &from));
    char text[8];
    tu_text(msg, text, sizeof text);
    int i = text[0] == '2';
    TU_OK(akt_pid_path(a, from, pinger_saw[i], sizeof pinger_saw[i], NULL));
    atomic_fetch_add(&pinger_got, 1);
    return 0;
}

static void test_sender_crosses_nodes(void **state) {
    (void)state;
    atomic_store(&replier_got, 0);
    atomic_store(&pinger_got, 0);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior rb = tu_behavior(replier_receive), pb = tu_behavior(pinger_receive);
    tu_spawn(b, &rb, b, "replier");
    akt_pid pinger = tu_spawn(a, &pb, a, "pinger");
    akt_pid replier = tu_remote_pid(a, b, "/user/replier");
    TU_OK(akt_tell(a, pinger, tu_msg_pid("go", replier)));
    TU_EVENTUALLY(atomic_load(&pinger_got) == 2);
    char addr_a[128], addr_b[128], want[300];
    TU_OK(akt_remote_address(a, addr_a, sizeof addr_a, NULL));
    TU_OK(akt_remote_address(b, addr_b, sizeof addr_b, NULL));
    /* On beta, the sender is a (reverse) proxy whose path is the pinger's address ... */
    snprintf(want, sizeof want, "%s/user/pinger", addr_a);
    assert_int_equal(atomic_load(&replier_got), 1);
    assert_string_equal(replier_saw, want);
    /* ... and both the respond and the tell to it reached alpha as from the replier, whose
     * pid there is the one akt_remote_lookup gives (one proxy per address). */
    snprintf(want, sizeof want, "%s/user/replier", addr_b);
    assert_string_equal(pinger_saw[0], want);
    assert_string_equal(pinger_saw[1], want);
    /* A second round reuses the same reverse proxy: beta's pid for the pinger is stable. */
    akt_pid back;
    TU_OK(akt_remote_lookup(b, replier_saw, &back));
    char path[256];
    TU_OK(akt_pid_path(b, back, path, sizeof path, NULL));
    assert_string_equal(path, replier_saw);
    TU_OK(akt_tell(a, pinger, tu_msg_pid("go", replier)));
    TU_EVENTUALLY(atomic_load(&pinger_got) == 4);
    assert_int_equal(atomic_load(&replier_got), 2);
    /* A tell from outside any actor carries no sender: akt_ctx_respond dead-letters it on
     * beta and nothing comes back. */
    TU_OK(akt_tell(a, replier, tu_msg("ping", "")));
    TU_EVENTUALLY(atomic_load(&replier_got) == 3);
    tu_system_end(a);
    tu_system_end(b);
}

/* ---- heartbeats -------------------------------------------------------------------- */

static akt_system *node_with_heartbeat(const char *name, int64_t interval_ns, uint32_t misses) {
    akt_system *s = tu_system(name, 2);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.heartbeat_interval_ns = interval_ns;
    o.heartbeat_misses = misses;
    TU_OK(akt_remote_start(s, &o));
    return s;
}

/* A peer that stops reading (SIGSTOP: its process is frozen, its socket stays open) is
 * found by the heartbeat: the pending asks fail with AKT_EUNREACHABLE within about
 * (misses + 1) intervals, far before their own timeout. */
static void test_heartbeat_finds_a_frozen_peer(void **state) {
    (void)state;
    char addr[200], path[260];
    int keep;
    pid_t child = start_child(addr, sizeof addr, &keep);
    const int64_t interval = 100 * 1000000ll;
    akt_system *a = node_with_heartbeat("parent", interval, 3);
    akt_pid echo, hole;
    snprintf(path, sizeof path, "%s/user/echo", addr);
    TU_OK(akt_remote_lookup(a, path, &echo));
    snprintf(path, sizeof path, "%s/user/hole", addr);
    TU_OK(akt_remote_lookup(a, path, &hole));
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, echo, tu_msg("say", "awake"), &reply)); /* the connection is open */
    akt_msg_release(reply);
    enum { N = 20 };
    akt_future *fs[N];
    for (int i = 0; i < N; i++) TU_OK(akt_ask(a, hole, tu_msg("q", "x"), TU_SEC(60), &fs[i]));
    assert_int_equal(kill(child, SIGSTOP), 0);
    int64_t t0 = tu_now_ns();
    for (int i = 0; i < N; i++) {
        TU_RC(AKT_EUNREACHABLE, tu_wait(fs[i], NULL));
        const char *why = NULL;
        TU_OK(akt_future_failure(fs[i], &why, NULL));
        assert_non_null(why);
        assert_non_null(strstr(why, "heartbeat"));
        TU_OK(akt_future_release(fs[i]));
    }
    int64_t took = tu_now_ns() - t0;
    assert_true(took < 4 * interval + TU_SEC(1)); /* (3 + 1) intervals, and scheduling */
    assert_int_equal(kill(child, SIGKILL), 0);
    assert_int_equal(kill(child, SIGCONT), 0);
    assert_int_equal(waitpid(child, NULL, 0), child);
    close(keep);
    tu_system_end(a);
}

/* An idle connection whose peer answers its pings stays open over many intervals: a
 * pending ask is still pending, and the connection still carries asks. */
static atomic_int kept_got;
static int keeper_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    (void)msg;
    atomic_fetch_add(&kept_got, 1);
    return 0;
}

static void test_heartbeat_keeps_a_live_idle_connection(void **state) {
    (void)state;
    atomic_store(&kept_got, 0);
    const int64_t interval = 50 * 1000000ll;
    akt_system *a = node_with_heartbeat("alpha", interval, 4);
    akt_system *b = node_with_heartbeat("beta", interval, 4);
    akt_behavior kb = tu_behavior(keeper_receive), eb = tu_behavior(echo_receive);
    tu_spawn(b, &kb, NULL, "keeper");
    tu_spawn(b, &eb, NULL, "echo");
    akt_pid keeper = tu_remote_pid(a, b, "/user/keeper");
    akt_future *f;
    TU_OK(akt_ask(a, keeper, tu_msg("q", "x"), TU_SEC(60), &f));
    TU_EVENTUALLY(atomic_load(&kept_got) == 1);
    /* 12 intervals of idleness: three times the silence allowed. The ask's
     * timeout is far away, so only a heartbeat failure could complete it meanwhile. */
    akt_msg *none = NULL;
    int rc = akt_future_wait(f, 12 * interval, &none);
    if (rc != AKT_EAGAIN) {
        const char *why = NULL;
        akt_future_failure(f, &why, NULL);
        fail_msg("the idle ask completed: %s (%s)", akt_err_name(rc), why ? why : "");
    }
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, tu_remote_pid(a, b, "/user/echo"), tu_msg("say", "still"), &reply));
    akt_msg_release(reply);
    TU_RC(AKT_EAGAIN, akt_future_wait(f, 0, &none));
    TU_OK(akt_future_cancel(f));
    TU_OK(akt_future_release(f));
    tu_system_end(a);
    tu_system_end(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_frame_split_byte_by_byte),
        TU_TEST(test_frame_oversized_and_zero),
        TU_TEST(test_frame_garbage_is_refused),
        TU_TEST(test_tell_order_kept),
        TU_TEST(test_ask_round_trip_and_unknown_path),
        TU_TEST(test_handshake_refusals),
        TU_TEST(test_peer_shutdown_fails_pending_asks),
        TU_TEST(test_shutdown_with_traffic),
        TU_TEST(test_a_peer_gone_mid_flood_is_no_sigpipe),
        TU_TEST(test_killed_process_fails_pending_asks),
        TU_TEST(test_sender_crosses_nodes),
        TU_TEST(test_heartbeat_finds_a_frozen_peer),
        TU_TEST(test_heartbeat_keeps_a_live_idle_connection),
    };
    return cmocka_run_group_tests_name("remote", tests, NULL, NULL);
}
