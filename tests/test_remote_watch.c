#define _DEFAULT_SOURCE
/* Remote watch, stop, poison, spawn and flow control: two systems in one process over
 * 127.0.0.1, and a node in another process that is killed (SIGKILL) or hangs (SIGSTOP). */
#include "tu.h"

#include <akt/remote.h>
#include <akt/telemetry.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static akt_system *node_with(const char *name, uint32_t window, int64_t heartbeat_ns) {
    akt_system *s = tu_system(name, 2);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.send_window = window;
    o.heartbeat_interval_ns = heartbeat_ns;
    o.heartbeat_misses = heartbeat_ns ? 3 : 0;
    TU_OK(akt_remote_start(s, &o));
    return s;
}

static akt_system *node(const char *name) { return node_with(name, 0, 0); }

static void address_of(akt_system *b, const char *path, char *out, size_t cap) {
    char addr[200];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    snprintf(out, cap, "%s%s", addr, path);
}

static akt_pid remote_pid(akt_system *a, akt_system *b, const char *path) {
    char full[300];
    address_of(b, path, full, sizeof full);
    akt_pid p;
    TU_OK(akt_remote_lookup(a, full, &p));
    return p;
}

/* ---- the watcher: watches what it is told, logs each Terminated ----------------------- */

static tu_log wlog;

static int watcher_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "watch")) return akt_ctx_watch(ctx, tu_pid(msg));
    if (tu_is(msg, "unwatch")) return akt_ctx_unwatch(ctx, tu_pid(msg));
    if (tu_is(msg, AKT_TYPE_TERMINATED)) {
        char text[200];
        tu_text(msg, text, sizeof text);
        const char *tail = strrchr(text, '/'); /* the log keeps 64 bytes: the actor's name */
        tu_log_add(&wlog, "T %s", tail ? tail + 1 : text);
        return 0;
    }
    return tu_reply(ctx, "pong", "");
}

static akt_pid watcher(akt_system *a) {
    akt_behavior b = tu_behavior(watcher_receive);
    return tu_spawn(a, &b, NULL, "watcher");
}

/* Tells w to watch (or unwatch) p and waits until it did (an ask behind the tell). */
static void watch(akt_system *a, akt_pid w, akt_pid p, const char *how) {
    TU_OK(akt_tell(a, w, tu_msg_pid(how, p)));
    TU_OK(tu_ask(a, w, tu_msg("ping", ""), NULL));
}

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    char text[64];
    tu_text(msg, text, sizeof text);
    return tu_reply(ctx, "echoed", text);
}

static void test_watch_remote_stop(void **state) {
    (void)state;
    tu_log_init(&wlog);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior eb = tu_behavior(echo_receive);
    akt_pid local = tu_spawn(b, &eb, NULL, "target");
    akt_pid target = remote_pid(a, b, "/user/target");
    akt_pid w = watcher(a);
    watch(a, w, target, "watch");
    TU_OK(tu_ask(a, target, tu_msg("say", "x"), NULL)); /* the watch is there before this */
    TU_OK(akt_stop(a, target)); /* stops the actor on beta, not the proxy here */
    tu_wait_dead(b, local);
    TU_EVENTUALLY(tu_log_index(&wlog, "T target") >= 0);
    assert_int_equal(tu_log_count(&wlog), 1);
    /* The remote pid is gone like a local one; the address now gives a new pid. */
    tu_wait_dead(a, target);
    TU_RC(AKT_ENOTFOUND, akt_tell(a, target, tu_msg("say", "late")));
    tu_spawn(b, &eb, NULL, "target");
    akt_pid again = remote_pid(a, b, "/user/target");
    assert_int_not_equal(again.id, target.id);
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, again, tu_msg("say", "back"), &reply));
    akt_msg_release(reply);
    /* ack: a graceful stop of a remote pid: its node answers once the actor stopped. */
    akt_future *f = NULL;
    TU_OK(akt_stop_graceful(a, again, TU_SEC(30), &f));
    TU_OK(tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    akt_pid gone;
    TU_EVENTUALLY(akt_lookup(b, "/user/target", &gone) == AKT_ENOTFOUND);
    tu_system_end(a);
    tu_system_end(b);
    tu_log_destroy(&wlog);
}

static void test_unwatch_and_missing_path(void **state) {
    (void)state;
    tu_log_init(&wlog);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior eb = tu_behavior(echo_receive);
    akt_pid l1 = tu_spawn(b, &eb, NULL, "one");
    akt_pid l2 = tu_spawn(b, &eb, NULL, "two");
    akt_pid one = remote_pid(a, b, "/user/one"), two = remote_pid(a, b, "/user/two");
    akt_pid w = watcher(a);
    watch(a, w, one, "watch");
    watch(a, w, two, "watch");
    watch(a, w, one, "unwatch");
    TU_OK(tu_ask(a, one, tu_msg("say", "x"), NULL)); /* the unwatch reached beta */
    TU_OK(akt_stop(b, l1));
    tu_wait_dead(b, l1);
    TU_OK(akt_stop(b, l2)); /* after one is gone: its Terminated would have come first */
    TU_EVENTUALLY(tu_log_index(&wlog, "T two") >= 0);
    assert_int_equal(tu_log_index(&wlog, "T one"), -1);
    /* A path with no actor: Terminated at once. */
    akt_pid none = remote_pid(a, b, "/user/none");
    watch(a, w, none, "watch");
    TU_EVENTUALLY(tu_log_index(&wlog, "T none") >= 0);
    tu_system_end(a);
    tu_system_end(b);
    tu_log_destroy(&wlog);
}

/* ---- poison keeps the order ------------------------------------------------------------ */

static atomic_uint_fast64_t sink_n, sink_bad, sink_at_stop;

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)st;
    if (tu_is(msg, "n")) {
        uint64_t v = tu_u64(msg);
        if (v != atomic_load(&sink_n)) atomic_fetch_add(&sink_bad, 1);
        atomic_store(&sink_n, v + 1);
    }
    return 0;
}

static void sink_post_stop(akt_ctx *ctx, void *st) {
    (void)ctx;
    (void)st;
    atomic_store(&sink_at_stop, atomic_load(&sink_n));
}

static void test_poison_after_tells(void **state) {
    (void)state;
    tu_log_init(&wlog);
    atomic_store(&sink_n, 0);
    atomic_store(&sink_bad, 0);
    atomic_store(&sink_at_stop, 0);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior sb = tu_behavior(sink_receive);
    sb.post_stop = sink_post_stop;
    akt_pid local = tu_spawn(b, &sb, NULL, "sink");
    akt_pid sink = remote_pid(a, b, "/user/sink");
    akt_pid w = watcher(a);
    watch(a, w, sink, "watch");
    enum { N = 5000 };
    for (uint64_t i = 0; i < N; i++) TU_OK(akt_tell(a, sink, tu_msg_u64("n", i)));
    TU_OK(akt_poison(a, sink));
    tu_wait_dead(b, local);
    assert_int_equal(atomic_load(&sink_at_stop), N); /* every tell before the pill */
    assert_int_equal(atomic_load(&sink_bad), 0);
    TU_EVENTUALLY(tu_log_index(&wlog, "T sink") >= 0);
    tu_system_end(a);
    tu_system_end(b);
    tu_log_destroy(&wlog);
}

/* ---- ack begin: graceful stop of a remote pid ----------------------------------------- */

/* After every tell before it, like a local one; watchers learn it; the future completes once
 * the actor stopped on its node. */
static void test_graceful_stop_after_tells(void **state) {
    (void)state;
    tu_log_init(&wlog);
    atomic_store(&sink_n, 0);
    atomic_store(&sink_bad, 0);
    atomic_store(&sink_at_stop, 0);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior sb = tu_behavior(sink_receive);
    sb.post_stop = sink_post_stop;
    akt_pid local = tu_spawn(b, &sb, NULL, "sink");
    akt_pid sink = remote_pid(a, b, "/user/sink");
    akt_pid w = watcher(a);
    watch(a, w, sink, "watch");
    enum { N = 3000 };
    for (uint64_t i = 0; i < N; i++) TU_OK(akt_tell(a, sink, tu_msg_u64("n", i)));
    akt_future *f = NULL;
    TU_RC(AKT_EINVAL, akt_stop_graceful(a, sink, 0, &f));
    TU_OK(akt_stop_graceful(a, sink, TU_SEC(30), &f));
    TU_OK(tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    /* The answer comes once it stopped there: every tell before the stop was handled. */
    assert_int_equal(atomic_load(&sink_at_stop), N);
    assert_int_equal(atomic_load(&sink_bad), 0);
    tu_wait_dead(b, local);
    TU_EVENTUALLY(tu_log_index(&wlog, "T sink") >= 0);
    /* A path with no actor there: stopped already. */
    akt_pid none = remote_pid(a, b, "/user/nobody");
    TU_OK(akt_stop_graceful(a, none, TU_SEC(30), &f));
    TU_OK(tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    tu_system_end(a);
    tu_system_end(b);
    tu_log_destroy(&wlog);
}

static atomic_int held, hold;

static int holder_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)st;
    if (!tu_is(msg, "hold")) return 0;
    atomic_store(&held, 1);
    int64_t end = tu_now_ns() + TU_SEC(20); /* a failure bound only */
    while (atomic_load(&hold) && tu_now_ns() < end) sched_yield();
    return 0;
}

/* An actor that does not get to the stop in time: AKT_ETIMEDOUT, and it is stopped at once
 * (after its current message), as a local one. */
static void test_graceful_stop_times_out(void **state) {
    (void)state;
    tu_log_init(&wlog);
    atomic_store(&held, 0);
    atomic_store(&hold, 1);
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior hb = tu_behavior(holder_receive);
    akt_pid local = tu_spawn(b, &hb, NULL, "holder");
    akt_pid holder = remote_pid(a, b, "/user/holder");
    akt_pid w = watcher(a);
    watch(a, w, holder, "watch");
    TU_OK(akt_tell(a, holder, tu_msg("hold", "")));
    TU_OK(akt_tell(a, holder, tu_msg("after", ""))); /* never handled: stopped at once */
    TU_EVENTUALLY(atomic_load(&held) == 1);
    akt_future *f = NULL;
    TU_OK(akt_stop_graceful(a, holder, TU_MS(300), &f));
    TU_RC(AKT_ETIMEDOUT, tu_wait(f, NULL));
    TU_OK(akt_future_release(f));
    atomic_store(&hold, 0);
    tu_wait_dead(b, local);
    TU_EVENTUALLY(tu_log_index(&wlog, "T holder") >= 0);
    tu_system_end(a);
    tu_system_end(b);
    tu_log_destroy(&wlog);
}
/* A message an actor keeps (never released) does not stall the connection: with a window
 * of 64, thousands of tells after it still arrive (the kept one is taken as consumed once
 * the window's worth after it arrived). */
static akt_msg *kept;
static atomic_int kept_n;

static int keeper_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)st;
    if (tu_is(msg, "keep") && !kept) {
        akt_msg_retain(msg);
        kept = msg;
    }
    atomic_fetch_add(&kept_n, 1);
    return 0;
}

static void test_kept_message_does_not_stall(void **state) {
    (void)state;
    kept = NULL;
    atomic_store(&kept_n, 0);
    akt_system *a = node_with("alpha", 64, 0), *b = node("beta");
    akt_behavior kb = tu_behavior(keeper_receive);
    tu_spawn(b, &kb, NULL, "keeper");
    akt_pid keeper = remote_pid(a, b, "/user/keeper");
    TU_OK(akt_tell(a, keeper, tu_msg("keep", "")));
    enum { N = 2000 };
    int64_t end = tu_now_ns() + TU_SEC(20); /* a failure bound only */
    for (int i = 0; i < N;) {
        akt_msg *m = tu_msg("n", "x");
        int rc = akt_tell(a, keeper, m);
        if (rc == 0) {
            i++;
            continue;
        }
        akt_msg_release(m);
        assert_int_equal(rc, AKT_EFULL); /* the window: wait for the credits */
        assert_true(tu_now_ns() < end);
        sched_yield();
    }
    TU_EVENTUALLY(atomic_load(&kept_n) == N + 1);
    tu_system_end(a);
    if (kept) akt_msg_release(kept);
    tu_system_end(b);
}
/* ack end */

/* ---- node loss ------------------------------------------------------------------------- */

static void test_node_loss_terminates_watched(void **state) {
    (void)state;
    tu_log_init(&wlog);
    akt_system *a = node("alpha"), *b = node("beta");
    static tu_events eva;
    tu_events_init(&eva);
    akt_subscription *sub;
    TU_OK(akt_subscribe(a, AKT_EVENT_ACTOR_FAILED, tu_events_cb, &eva, &sub));
    /* A node nobody listens on: refused, so the watched pid is terminated with why. */
    char addr[200], gone[260];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    tu_system_end(b);
    snprintf(gone, sizeof gone, "%s/user/ghost", addr);
    akt_pid ghost;
    TU_OK(akt_remote_lookup(a, gone, &ghost));
    akt_pid w = watcher(a);
    watch(a, w, ghost, "watch");
    TU_EVENTUALLY(tu_log_index(&wlog, "T ghost") >= 0);
    TU_EVENTUALLY(tu_events_count(&eva, AKT_EVENT_ACTOR_FAILED, ghost) >= 1);
    tu_ev ev;
    assert_true(tu_events_find(&eva, AKT_EVENT_ACTOR_FAILED, ghost, &ev));
    assert_true(ev.has_reason);
    assert_non_null(strstr(ev.reason, "lost"));
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(a);
    tu_events_destroy(&eva);
    tu_log_destroy(&wlog);
}

/* actorsystem.peers.count: a connection counts on both nodes once its handshake is done, and
 * leaves the count when it is lost. */
static uint64_t peers_of(akt_system *s) {
    akt_system_metrics m = {.size = sizeof m};
    TU_OK(akt_metrics_system(s, &m));
    return m.peers;
}

static void test_peers_count_follows_connections(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    assert_int_equal(peers_of(a), 0);
    assert_int_equal(peers_of(b), 0);
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "target");
    akt_pid far = remote_pid(a, b, "/user/target");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, far, tu_msg("q", "x"), &reply));
    akt_msg_release(reply);
    TU_EVENTUALLY(peers_of(a) == 1 && peers_of(b) == 1);
    tu_system_end(b);
    TU_EVENTUALLY(peers_of(a) == 0);
    tu_system_end(a);
}

/* ---- remote spawn ---------------------------------------------------------------------- */

static int counter_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    uint64_t *n = st;
    if (tu_is(msg, "add")) {
        *n += tu_u64(msg);
        return 0;
    }
    return tu_reply_u64(ctx, "total", *n);
}

static const akt_behavior counter_behavior = {
    .size = sizeof(akt_behavior), .receive = counter_receive, .free_state = free};
static atomic_int activations;

static int counter_activate(void *kind_data, const char *name, const akt_behavior **b, void **st) {
    (void)kind_data;
    uint64_t *n = calloc(1, sizeof *n);
    if (!n) return AKT_ENOMEM;
    *n = strcmp(name, "hundred") == 0 ? 100 : 0;
    *b = &counter_behavior;
    *st = n;
    atomic_fetch_add(&activations, 1);
    return 0;
}

static void register_counter(akt_system *s) {
    akt_grain_kind k;
    TU_OK(akt_grain_kind_init(&k));
    k.activate = counter_activate;
    k.deactivate_after_ns = 0;
    TU_OK(akt_grain_kind_register(s, "counter", &k));
}

static void test_remote_spawn(void **state) {
    (void)state;
    atomic_store(&activations, 0);
    akt_system *a = node("alpha"), *b = node("beta");
    register_counter(b);
    char baddr[200];
    TU_OK(akt_remote_address(b, baddr, sizeof baddr, NULL));
    akt_pid c;
    TU_OK(akt_remote_spawn(a, baddr, "counter", "hundred", TU_SEC(10), &c));
    char path[300];
    TU_OK(akt_pid_path(a, c, path, sizeof path, NULL));
    assert_non_null(strstr(path, "akt://beta@127.0.0.1:"));
    assert_non_null(strstr(path, "/user/hundred"));
    TU_OK(akt_tell(a, c, tu_msg_u64("add", 5)));
    assert_int_equal(tu_ask_u64(a, c, "get"), 105);
    akt_pid local;
    TU_OK(akt_lookup(b, "/user/hundred", &local)); /* a real actor of beta */
    assert_int_equal(atomic_load(&activations), 1);
    /* The errors come back as codes. */
    akt_pid x;
    TU_RC(AKT_EEXIST, akt_remote_spawn(a, baddr, "counter", "hundred", TU_SEC(10), &x));
    TU_RC(AKT_ENOTFOUND, akt_remote_spawn(a, baddr, "nosuch", "y", TU_SEC(10), &x));
    TU_RC(AKT_EINVAL, akt_remote_spawn(a, baddr, "counter", "a/b", TU_SEC(10), &x));
    TU_RC(AKT_EINVAL, akt_remote_spawn(a, baddr, "counter", "$x", TU_SEC(10), &x));
    TU_RC(AKT_EINVAL, akt_remote_spawn(a, "akt://beta@nohost", "counter", "y", TU_SEC(10), &x));
    TU_RC(AKT_EINVAL, akt_remote_spawn(a, baddr, "counter", "y", 0, &x));
    TU_RC(AKT_EINVAL, akt_remote_spawn(a, baddr, NULL, "y", TU_SEC(1), &x));
    /* Its own address: spawned here. */
    register_counter(a);
    char aaddr[200];
    TU_OK(akt_remote_address(a, aaddr, sizeof aaddr, NULL));
    TU_OK(akt_remote_spawn(a, aaddr, "counter", "mine", TU_SEC(10), &x));
    assert_int_equal(tu_ask_u64(a, x, "get"), 0);
    /* A stopped remote-spawned actor is gone there. */
    TU_OK(akt_stop(a, c));
    tu_wait_dead(b, local);
    tu_system_end(b);
    TU_RC(AKT_EUNREACHABLE, akt_remote_spawn(a, baddr, "counter", "z", TU_SEC(10), &x));
    tu_system_end(a);
    akt_system *c2 = tu_system("plain", 1);
    TU_RC(AKT_ENOTFOUND, akt_remote_spawn(c2, baddr, "counter", "z", TU_SEC(1), &x));
    tu_system_end(c2);
}

/* ---- flow control ---------------------------------------------------------------------- */

static tu_gate slow_gate;

static int slow_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)st;
    if (tu_is(msg, "n")) {
        if (tu_u64(msg) == 0) tu_gate_wait(&slow_gate); /* stalls until the test opens it */
        uint64_t v = tu_u64(msg);
        if (v != atomic_load(&sink_n)) atomic_fetch_add(&sink_bad, 1);
        atomic_store(&sink_n, v + 1);
    }
    return 0;
}

static void test_flow_control_bounds_a_slow_receiver(void **state) {
    (void)state;
    atomic_store(&sink_n, 0);
    atomic_store(&sink_bad, 0);
    tu_gate_init(&slow_gate);
    enum { WINDOW = 256, TOTAL = 20000 };
    akt_system *a = node_with("alpha", WINDOW, 0), *b = node("beta");
    akt_behavior sb = tu_behavior(slow_receive);
    tu_spawn(b, &sb, NULL, "slow");
    akt_pid slow = remote_pid(a, b, "/user/slow");
    /* The receiver takes the first and stalls: the window fills and the sender is refused,
     * keeping its message. */
    uint64_t sent = 0;
    int rc = 0;
    int64_t deadline = tu_now_ns() + TU_DEADLINE_NS;
    while (tu_now_ns() < deadline) {
        akt_msg *m = tu_msg_u64("n", sent);
        rc = akt_tell(a, slow, m);
        if (rc) {
            assert_int_equal(akt_msg_type(m)[0], 'n'); /* still ours */
            akt_msg_release(m);
            break;
        }
        sent++;
    }
    TU_RC(AKT_EFULL, rc);
    assert_int_equal(sent, WINDOW);
    /* An ask is refused too, and a batch as a whole. */
    akt_future *f = NULL;
    akt_msg *q = tu_msg("q", "");
    TU_RC(AKT_EFULL, akt_ask(a, slow, q, TU_SEC(1), &f));
    akt_msg_release(q);
    tu_gate_open(&slow_gate);
    /* Credits come back as it consumes: the rest goes in, each refused one retried. */
    deadline = tu_now_ns() + TU_SEC(60);
    uint64_t refused = 0;
    while (sent < TOTAL && tu_now_ns() < deadline) {
        akt_msg *m = tu_msg_u64("n", sent);
        rc = akt_tell(a, slow, m);
        if (rc == AKT_EFULL) {
            akt_msg_release(m);
            refused++;
            sched_yield();
            continue;
        }
        TU_OK(rc);
        sent++;
    }
    assert_int_equal(sent, TOTAL);
    TU_EVENTUALLY(atomic_load(&sink_n) == TOTAL);
    assert_int_equal(atomic_load(&sink_bad), 0);
    tu_system_end(a);
    tu_system_end(b);
    tu_gate_destroy(&slow_gate);
    (void)refused;
}

/* A message a serializer made on arrival is consumed at its release, as akt's own are: a
 * stalled receiver holds the window whichever made its messages, and its unreleased
 * messages stay unacknowledged (a node lost then dead-letters them on the sender). */
static atomic_int json_n, json_bad;

static int json_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)ctx;
    (void)st;
    char text[32];
    tu_text(msg, text, sizeof text);
    int v = atoi(text + 1); /* "[k]" */
    if (v == 0) tu_gate_wait(&slow_gate);
    if (v != atomic_load(&json_n)) atomic_fetch_add(&json_bad, 1);
    atomic_store(&json_n, v + 1);
    return 0;
}

static void test_flow_counts_a_serializer_message_at_its_release(void **state) {
    (void)state;
    atomic_store(&json_n, 0);
    atomic_store(&json_bad, 0);
    tu_gate_init(&slow_gate);
    enum { WINDOW = 32, TOTAL = 2000 };
    akt_system *a = node_with("alpha", WINDOW, 0), *b = node("beta");
    TU_OK(akt_serializer_bind(a, "doc.Json", AKT_SERIALIZER_JSON));
    TU_OK(akt_serializer_bind(b, "doc.Json", AKT_SERIALIZER_JSON));
    akt_behavior jb = tu_behavior(json_receive);
    tu_spawn(b, &jb, NULL, "json");
    akt_pid to = remote_pid(a, b, "/user/json");
    char text[32];
    int sent = 0, rc = 0;
    /* Counted at arrival, the credits would come back while the receiver stalls and every
     * tell would go in: the loop stops at sixteen windows' worth then. */
    int64_t deadline = tu_now_ns() + TU_DEADLINE_NS;
    while (sent < 16 * WINDOW && tu_now_ns() < deadline) {
        snprintf(text, sizeof text, "[%d]", sent);
        akt_msg *m = tu_msg("doc.Json", text);
        rc = akt_tell(a, to, m);
        if (rc == AKT_EFULL) {
            akt_msg_release(m);
            /* a window's worth went out: wait until the receiver holds what arrived */
            if (sent >= WINDOW) break;
            sched_yield();
            continue;
        }
        TU_OK(rc);
        sent++;
    }
    TU_RC(AKT_EFULL, rc);
    /* The credits of whatever was released on arrival would come back within this wait. */
    tu_sleep_ms(200);
    snprintf(text, sizeof text, "[%d]", sent);
    akt_msg *m = tu_msg("doc.Json", text);
    TU_RC(AKT_EFULL, akt_tell(a, to, m));
    akt_msg_release(m);
    assert_int_equal(sent, WINDOW);
    tu_gate_open(&slow_gate);
    deadline = tu_now_ns() + TU_SEC(60);
    while (sent < TOTAL && tu_now_ns() < deadline) {
        snprintf(text, sizeof text, "[%d]", sent);
        m = tu_msg("doc.Json", text);
        rc = akt_tell(a, to, m);
        if (rc == AKT_EFULL) {
            akt_msg_release(m);
            sched_yield();
            continue;
        }
        TU_OK(rc);
        sent++;
    }
    assert_int_equal(sent, TOTAL);
    TU_EVENTUALLY(atomic_load(&json_n) == TOTAL);
    assert_int_equal(atomic_load(&json_bad), 0);
    tu_system_end(a);
    tu_system_end(b);
    tu_gate_destroy(&slow_gate);
}

/* A lost connection gives its window back: tells to a node that came back are accepted. */
static void test_flow_window_survives_a_lost_node(void **state) {
    (void)state;
    enum { WINDOW = 64 };
    akt_system *a = node_with("alpha", WINDOW, 0), *b = node("beta");
    akt_pid hole = remote_pid(a, b, "/user/none");
    /* Nothing there: each is a dead letter on beta, released, so credited back. */
    for (int round = 0; round < 4; round++) {
        int64_t deadline = tu_now_ns() + TU_DEADLINE_NS;
        int ok = 0;
        while (ok < WINDOW && tu_now_ns() < deadline) {
            akt_msg *m = tu_msg("t", "x");
            int rc = akt_tell(a, hole, m);
            if (rc == AKT_EFULL) {
                akt_msg_release(m);
                sched_yield();
                continue;
            }
            TU_OK(rc);
            ok++;
        }
        assert_int_equal(ok, WINDOW);
    }
    tu_system_end(b);
    /* Beta is gone: tells become dead letters here, and the window is given back. */
    int ok = 0;
    int64_t deadline = tu_now_ns() + TU_DEADLINE_NS;
    while (ok < WINDOW * 4 && tu_now_ns() < deadline) {
        akt_msg *m = tu_msg("t", "x");
        int rc = akt_tell(a, hole, m);
        if (rc == AKT_EFULL) {
            akt_msg_release(m);
            sched_yield();
            continue;
        }
        TU_OK(rc);
        ok++;
    }
    assert_int_equal(ok, WINDOW * 4);
    tu_system_end(a);
}

/* ---- bad input on the wire ---------------------------------------------------------- */

/* Writes one frame (4-byte big-endian length, then body). */
static void put_frame(int fd, const uint8_t *body, size_t len) {
    uint8_t hdr[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                      (uint8_t)len};
    assert_int_equal(write(fd, hdr, 4), 4);
    assert_int_equal(write(fd, body, len), (ssize_t)len);
}

/* A raw client of node b that said Hello; the HelloAck read. */
static int raw_client(akt_system *b) {
    char addr[200];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    int port = atoi(strrchr(addr, ':') + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    /* Frame{hello: {version 1, system "x", to_system "beta"}} */
    const uint8_t hello[] = {0x0a, 0x0b, 0x08, 0x01, 0x12, 0x01, 'x',
                             0x3a, 0x04, 'b',  'e',  't',  'a'};
    put_frame(fd, hello, sizeof hello);
    uint8_t buf[256];
    assert_true(read(fd, buf, sizeof buf) > 4); /* the HelloAck */
    return fd;
}

/* 1 once the peer closed fd (EOF, or a reset), within the receive timeout. */
static int closed_by_peer(int fd) {
    uint8_t buf[256];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r == 0 || (r < 0 && errno == ECONNRESET)) return 1;
        if (r < 0) return 0; /* timed out */
    }
}

static void test_bad_control_frames_close_only_their_connection(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    /* A Credit to the accepting side (it only grants): a protocol error. */
    int fd = raw_client(b);
    const uint8_t credit[] = {0x3a, 0x02, 0x08, 0x05};
    put_frame(fd, credit, sizeof credit);
    assert_true(closed_by_peer(fd));
    close(fd);
    /* A Terminated to the accepting side: the same. */
    fd = raw_client(b);
    const uint8_t term[] = {0x5a, 0x03, 0x0a, 0x01, '/'};
    put_frame(fd, term, sizeof term);
    assert_true(closed_by_peer(fd));
    close(fd);
    /* Watch, Stop and Spawn of nothing: answered or ignored, the connection stays. */
    fd = raw_client(b);
    const uint8_t watch_none[] = {0x4a, 0x00};                           /* Watch{} */
    const uint8_t stop_sys[] = {0xf2, 0x01, 0x04, 0x0a, 0x02, '/', 's'}; /* Stop{path "/s"} */
    const uint8_t spawn_none[] = {0xfa, 0x01, 0x02, 0x08, 0x07};         /* Spawn{corr 7} */
    put_frame(fd, watch_none, sizeof watch_none);
    put_frame(fd, stop_sys, sizeof stop_sys);
    put_frame(fd, spawn_none, sizeof spawn_none);
    uint8_t buf[512];
    ssize_t got = 0;
    int64_t deadline = tu_now_ns() + TU_DEADLINE_NS;
    while (got < 8 && tu_now_ns() < deadline) { /* a Terminated and a failed Reply come back */
        ssize_t r = read(fd, buf + got, sizeof buf - (size_t)got);
        assert_true(r > 0);
        got += r;
    }
    assert_true(got >= 8);
    close(fd);
    /* The node goes on. */
    akt_pid echo;
    char full[300];
    address_of(b, "/user/echo", full, sizeof full);
    TU_OK(akt_remote_lookup(a, full, &echo));
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, echo, tu_msg("say", "still"), &reply));
    akt_msg_release(reply);
    tu_system_end(a);
    tu_system_end(b);
}

/* ---- another process: killed, or hung ------------------------------------------------ */

/* Forks a node "child" with an "echo" actor; its address goes into addr. It lives until it
 * is killed (or this process ends: the pipe's other end closes). */
static pid_t start_child(char *addr, size_t cap, int *keep_fd) {
    int out[2], in[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(in), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(out[0]);
        close(in[1]);
        akt_system_options so;
        akt_system_options_init(&so);
        so.name = "child";
        so.workers = 1;
        akt_system *sys;
        if (akt_system_create(&so, &sys) || akt_remote_start(sys, NULL)) _exit(2);
        akt_behavior b = {.size = sizeof b, .receive = echo_receive};
        akt_spawn_options sp;
        akt_spawn_options_init(&sp);
        sp.name = "echo";
        akt_pid e;
        if (akt_spawn(sys, &b, NULL, &sp, &e)) _exit(3);
        char a[200];
        if (akt_remote_address(sys, a, sizeof a, NULL)) _exit(4);
        size_t n = strlen(a);
        a[n++] = '\n';
        if (write(out[1], a, n) != (ssize_t)n) _exit(5);
        char c;
        while (read(in[0], &c, 1) > 0) {
        }
        _exit(0);
    }
    close(out[1]);
    close(in[0]);
    *keep_fd = in[1];
    size_t n = 0;
    while (n + 1 < cap) {
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

static void child_scenario(int sig) {
    tu_log_init(&wlog);
    char addr[200], path[260];
    int keep;
    pid_t child = start_child(addr, sizeof addr, &keep);
    const int64_t hb = TU_MS(100); /* 3 misses: a silent peer is lost within ~0.4 s */
    akt_system *a = node_with("parent", 0, hb);
    snprintf(path, sizeof path, "%s/user/echo", addr);
    akt_pid echo;
    TU_OK(akt_remote_lookup(a, path, &echo));
    akt_pid w = watcher(a);
    watch(a, w, echo, "watch");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, echo, tu_msg("say", "across"), &reply)); /* the watch is in place */
    akt_msg_release(reply);
    int64_t t0 = tu_now_ns();
    assert_int_equal(kill(child, sig), 0);
    TU_EVENTUALLY(tu_log_index(&wlog, "T echo") >= 0);
    int64_t took = tu_now_ns() - t0;
    /* The heartbeat bound: (misses + 1) intervals, with room for a loaded machine. */
    assert_true(took < 4 * hb + TU_SEC(2));
    if (sig != SIGKILL) kill(child, SIGKILL);
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    close(keep);
    tu_system_end(a);
    tu_log_destroy(&wlog);
}

static void test_killed_node_terminates_watchers(void **state) {
    (void)state;
    child_scenario(SIGKILL);
}

static void test_hung_node_terminates_watchers(void **state) {
    (void)state;
    child_scenario(SIGSTOP); /* the socket stays open: only the heartbeat finds it */
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        /* First: its fork happens before this process made any threads of its own. */
        TU_TEST(test_killed_node_terminates_watchers), TU_TEST(test_hung_node_terminates_watchers),
        TU_TEST(test_watch_remote_stop), TU_TEST(test_unwatch_and_missing_path),
        TU_TEST(test_poison_after_tells), TU_TEST(test_node_loss_terminates_watched),
        TU_TEST(test_peers_count_follows_connections), TU_TEST(test_remote_spawn),
        TU_TEST(test_flow_control_bounds_a_slow_receiver),
        TU_TEST(test_flow_window_survives_a_lost_node),
        TU_TEST(test_flow_counts_a_serializer_message_at_its_release),
        TU_TEST(test_bad_control_frames_close_only_their_connection),
        /* ack begin: */
        TU_TEST(test_graceful_stop_after_tells), TU_TEST(test_graceful_stop_times_out),
        TU_TEST(test_kept_message_does_not_stall),
        /* ack end */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
