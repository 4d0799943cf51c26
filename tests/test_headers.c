/* test_headers: message headers (set before the send, read in receive, kept by forward,
 * copied to replies with akt_msg_copy_headers, sealed once sent), the system propagator, and
 * system extensions (akt_system_extension, akt_ctx_extension). */
#include "tu.h"

#include <stdio.h>
#include <string.h>

static akt_system *sys;

static int h_setup(void **state) {
    sys = tu_system("headers", 2);
    return tu_setup(state);
}

static int h_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define H_TEST(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)

/* The value of header key as text ("-" when absent). */
static void hdr(const akt_msg *m, const char *key, char *buf, size_t n) {
    const void *v = NULL;
    size_t len = 0;
    if (akt_msg_header(m, key, &v, &len) != 0) {
        snprintf(buf, n, "-");
        return;
    }
    snprintf(buf, n, "%.*s", (int)len, (const char *)v);
}

static akt_msg *with_header(const char *type, const char *key, const char *value) {
    akt_msg *m = tu_msg(type, NULL);
    TU_OK(akt_msg_set_header(m, key, value, strlen(value)));
    return m;
}

/* Replies with the request's "tenant" header as text, the reply carrying the request's
 * headers ("echo"); forwards to the pid in its state ("fwd"). */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_msg *cur = NULL;
    TU_CB_RC(0, akt_ctx_message(ctx, &cur));
    if (cur != msg) tu_cb_fail(__FILE__, __LINE__, "akt_ctx_message is not msg");
    /* A received message never changes. */
    TU_CB_RC(AKT_EMISUSE, akt_msg_set_header(msg, "x", "y", 1));
    if (tu_is(msg, "fwd")) return akt_ctx_forward(ctx, *(akt_pid *)state);
    char buf[64];
    hdr(msg, "tenant", buf, sizeof buf);
    akt_msg *reply = tu_msg("seen", buf);
    TU_CB_RC(0, akt_msg_copy_headers(reply, msg));
    int rc = akt_ctx_respond(ctx, reply);
    if (rc) akt_msg_release(reply);
    return rc;
}

static void test_headers_set_read_iterate(void **state) {
    (void)state;
    akt_msg *m = tu_msg("t", NULL);
    size_t n = 9;
    TU_OK(akt_msg_header_count(m, &n));
    assert_int_equal(n, 0);
    TU_OK(akt_msg_set_header(m, "b", "1", 1));
    TU_OK(akt_msg_set_header(m, "a", "22", 2));
    TU_OK(akt_msg_set_header(m, "empty", NULL, 0));
    TU_OK(akt_msg_set_header(m, "b", "333", 3)); /* replaces, keeps its place */
    TU_OK(akt_msg_header_count(m, &n));
    assert_int_equal(n, 3);
    const char *want_k[] = {"b", "a", "empty"}, *want_v[] = {"333", "22", ""};
    for (size_t i = 0; i < n; i++) {
        const char *k = NULL;
        const void *v = NULL;
        size_t len = 99;
        TU_OK(akt_msg_header_at(m, i, &k, &v, &len));
        assert_string_equal(k, want_k[i]);
        assert_int_equal(len, strlen(want_v[i]));
        assert_string_equal((const char *)v, want_v[i]); /* NUL-terminated */
    }
    TU_RC(AKT_ENOTFOUND, akt_msg_header_at(m, 3, NULL, NULL, NULL));
    /* Keys are exact: no case folding. */
    const void *v;
    size_t len;
    TU_RC(AKT_ENOTFOUND, akt_msg_header(m, "B", &v, &len));
    /* Binary values keep their bytes. */
    const char bin[] = {0, 1, 2, 0};
    TU_OK(akt_msg_set_header(m, "bin", bin, sizeof bin));
    TU_OK(akt_msg_header(m, "bin", &v, &len));
    assert_int_equal(len, sizeof bin);
    assert_memory_equal(v, bin, sizeof bin);
    TU_OK(akt_msg_release(m));
}

static void test_headers_reach_receive_and_reply(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(echo_receive);
    akt_pid echo = tu_spawn(sys, &b, NULL, "echo");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, echo, with_header("echo", "tenant", "acme"), &reply));
    char buf[64];
    tu_text(reply, buf, sizeof buf);
    assert_string_equal(buf, "acme");
    hdr(reply, "tenant", buf, sizeof buf); /* copied by akt_msg_copy_headers */
    assert_string_equal(buf, "acme");
    TU_OK(akt_msg_release(reply));
    /* Without headers: nothing, and the reply has none either. */
    TU_OK(tu_ask(sys, echo, tu_msg("echo", NULL), &reply));
    tu_text(reply, buf, sizeof buf);
    assert_string_equal(buf, "-");
    size_t n = 9;
    TU_OK(akt_msg_header_count(reply, &n));
    assert_int_equal(n, 0);
    TU_OK(akt_msg_release(reply));
    tu_assert_no_cb_failures();
}

static int fwd_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    return akt_ctx_forward(ctx, *(akt_pid *)state);
}

static void test_forward_keeps_headers(void **state) {
    (void)state;
    akt_behavior eb = tu_behavior(echo_receive), fb = tu_behavior(fwd_receive);
    static akt_pid target;
    target = tu_spawn(sys, &eb, NULL, "target");
    akt_pid relay = tu_spawn(sys, &fb, &target, "relay");
    akt_msg *reply = NULL;
    /* The relay forwards the message itself; the target answers the original asker. */
    TU_OK(tu_ask(sys, relay, with_header("echo", "tenant", "globex"), &reply));
    char buf[64];
    tu_text(reply, buf, sizeof buf);
    assert_string_equal(buf, "globex");
    TU_OK(akt_msg_release(reply));
    tu_assert_no_cb_failures();
}

static void test_sent_message_is_sealed(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(echo_receive);
    akt_pid echo = tu_spawn(sys, &b, NULL, "sealed");
    akt_msg *m = with_header("echo", "tenant", "a");
    TU_OK(akt_msg_retain(m));
    TU_RC(AKT_EMISUSE, akt_msg_set_header(m, "k", "v", 1)); /* shared */
    TU_OK(akt_tell(sys, echo, m));
    /* Once the actor handled it, this is the only reference again: still sealed. */
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, echo, tu_msg("echo", NULL), &reply));
    TU_OK(akt_msg_release(reply));
    TU_RC(AKT_EMISUSE, akt_msg_set_header(m, "k", "v", 1));
    akt_msg *src = with_header("t", "k", "v");
    TU_RC(AKT_EMISUSE, akt_msg_copy_headers(m, src));
    TU_OK(akt_msg_release(src));
    TU_OK(akt_msg_release(m));
    /* A message that was never accepted stays writable. */
    akt_msg *lost = tu_msg("echo", NULL);
    akt_pid stale = echo;
    tu_stop_wait(sys, stale);
    TU_RC(AKT_ENOTFOUND, akt_tell(sys, stale, lost));
    TU_OK(akt_msg_set_header(lost, "k", "v", 1));
    TU_OK(akt_msg_release(lost));
}

/* ---- the propagator ----------------------------------------------------------------- */

static atomic_int injected, injected_inside;

/* Carries "trace": inside an actor from the message being handled (plus one hop), from
 * outside a fresh "root". */
static void inject(akt_ctx *ctx, akt_msg *msg, void *data) {
    (void)data;
    atomic_fetch_add(&injected, 1);
    char buf[64] = "root";
    akt_msg *cur = NULL;
    if (ctx) {
        atomic_fetch_add(&injected_inside, 1);
        if (akt_ctx_message(ctx, &cur) == 0) {
            char in[48];
            hdr(cur, "trace", in, sizeof in);
            snprintf(buf, sizeof buf, "%s>", in);
        }
    }
    int rc = akt_msg_set_header(msg, "trace", buf, strlen(buf));
    if (rc && rc != AKT_ENOTSUP && rc != AKT_EMISUSE) tu_cb_fail(__FILE__, __LINE__, "inject");
}

typedef struct hop {
    akt_pid next; /* 0: answer the trace */
} hop;

static int hop_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    hop *h = state;
    if (h->next.id) {
        if (tu_is(msg, "fwd")) return akt_ctx_forward(ctx, h->next);
        akt_msg *m = tu_msg("go", NULL);
        int rc = akt_ctx_tell(ctx, h->next, m);
        if (rc) akt_msg_release(m);
        return rc;
    }
    char buf[64];
    hdr(msg, "trace", buf, sizeof buf);
    return tu_reply(ctx, "trace", buf);
}

/* The end of a told chain: keeps the trace it saw and opens the gate. */
typedef struct sink {
    tu_gate gate;
    char trace[64];
    akt_pid about;    /* of the Terminated it got */
    size_t term_hdrs; /* headers on that Terminated */
} sink;

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    sink *k = state;
    if (tu_is(msg, "watch")) {
        TU_CB_RC(0, akt_ctx_watch(ctx, tu_pid(msg)));
        return tu_reply(ctx, "ok", NULL);
    }
    if (tu_is(msg, AKT_TYPE_TERMINATED)) {
        TU_CB_RC(0, akt_msg_pid(msg, &k->about));
        TU_CB_RC(0, akt_msg_header_count(msg, &k->term_hdrs));
    } else {
        hdr(msg, "trace", k->trace, sizeof k->trace);
    }
    tu_gate_open(&k->gate);
    return 0;
}

static void test_propagator_flows_through_actors(void **state) {
    (void)state;
    atomic_store(&injected, 0);
    atomic_store(&injected_inside, 0);
    akt_propagator prop = {sizeof prop, inject, NULL};
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = "prop";
    o.workers = 2;
    o.propagator = &prop;
    akt_system *ps = tu_system_with(&o);
    static sink k;
    memset(&k, 0, sizeof k);
    tu_gate_init(&k.gate);
    akt_behavior sb = tu_behavior(sink_receive), hb = tu_behavior(hop_receive);
    akt_pid end = tu_spawn(ps, &sb, &k, "end");
    static hop h2, h1, answer, relay_to;
    h2.next = end;
    akt_pid mid = tu_spawn(ps, &hb, &h2, "mid");
    h1.next = mid;
    akt_pid first = tu_spawn(ps, &hb, &h1, "first");
    /* outside -> first (root) -> mid (root>) -> end (root>>) */
    TU_OK(akt_tell(ps, first, tu_msg("go", NULL)));
    tu_gate_wait(&k.gate);
    assert_string_equal(k.trace, "root>>");
    assert_int_equal(atomic_load(&injected_inside), 2);
    /* A forward is the same message: not injected again. The ask is injected outside
     * (root), the answer's respond inside: two. */
    relay_to.next = tu_spawn(ps, &hb, &answer, "answer");
    akt_pid relay = tu_spawn(ps, &hb, &relay_to, "relay");
    int before = atomic_load(&injected);
    akt_msg *reply = NULL;
    TU_OK(tu_ask(ps, relay, tu_msg("fwd", NULL), &reply));
    char buf[64];
    tu_text(reply, buf, sizeof buf);
    assert_string_equal(buf, "root");
    hdr(reply, "trace", buf, sizeof buf);
    assert_string_equal(buf, "root>"); /* the respond was injected with the answer's ctx */
    TU_OK(akt_msg_release(reply));
    assert_int_equal(atomic_load(&injected) - before, 2);
    /* akt's own Terminated takes no headers and still says whom it is about. */
    tu_gate_destroy(&k.gate);
    tu_gate_init(&k.gate);
    TU_OK(tu_ask(ps, end, tu_msg_pid("watch", first), &reply));
    TU_OK(akt_msg_release(reply));
    TU_OK(akt_stop(ps, first));
    tu_gate_wait(&k.gate);
    assert_int_equal(k.about.id, first.id);
    assert_int_equal(k.term_hdrs, 0);
    tu_system_end(ps);
    tu_gate_destroy(&k.gate);
    tu_assert_no_cb_failures();
}

/* ---- extensions --------------------------------------------------------------------- */

static int ext_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    void *v = NULL;
    int rc = akt_ctx_extension(ctx, "metrics", &v);
    if (rc) return tu_reply_u64(ctx, "rc", (uint64_t)(int64_t)rc);
    v = (void *)0x1;
    TU_CB_RC(AKT_ENOTFOUND, akt_ctx_extension(ctx, "nope", &v));
    if (v != (void *)0x1) tu_cb_fail(__FILE__, __LINE__, "value touched");
    TU_CB_RC(0, akt_ctx_extension(ctx, "metrics", &v));
    return tu_reply_u64(ctx, "v", (uint64_t) * (int *)v);
}

static void test_extensions(void **state) {
    (void)state;
    static int metrics = 41, clock_ = 7;
    char n1[] = "metrics", n2[] = "clock_1-a"; /* copied: changed below */
    const char *names[] = {n1, n2};
    void *values[] = {&metrics, &clock_};
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.name = "ext";
    o.workers = 1;
    o.extension_names = names;
    o.extension_values = values;
    o.extension_count = 2;
    akt_system *es = tu_system_with(&o);
    n1[0] = 'X';
    void *v = NULL;
    TU_OK(akt_system_extension(es, "metrics", &v));
    assert_ptr_equal(v, &metrics);
    TU_OK(akt_system_extension(es, "clock_1-a", &v));
    assert_ptr_equal(v, &clock_);
    TU_RC(AKT_ENOTFOUND, akt_system_extension(es, "Xetrics", &v));
    metrics = 42;
    akt_behavior b = tu_behavior(ext_receive);
    akt_pid p = tu_spawn(es, &b, NULL, "reader");
    assert_int_equal(tu_ask_u64(es, p, "get"), 42);
    tu_system_end(es);
    /* Another system has none of them. */
    TU_RC(AKT_ENOTFOUND, akt_system_extension(sys, "metrics", &v));
    akt_pid q = tu_spawn(sys, &b, NULL, "none");
    assert_int_equal((int64_t)tu_ask_u64(sys, q, "get"), AKT_ENOTFOUND);
    tu_assert_no_cb_failures();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        H_TEST(test_headers_set_read_iterate),        H_TEST(test_headers_reach_receive_and_reply),
        H_TEST(test_forward_keeps_headers),           H_TEST(test_sent_message_is_sealed),
        H_TEST(test_propagator_flows_through_actors), H_TEST(test_extensions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
