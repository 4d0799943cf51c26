/* Message headers across remoting: a tell's and an ask's headers reach the remote actor, a
 * reply's come back, a propagator's reach the other node; the decoder holds received
 * headers to the local limits (white-box: a Tell frame packed with too many). */
#include "tu_remote.h"

#include <akt/remote.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote/endpoint.h"

static akt_system *node_opts(const char *name, const akt_system_options *base) {
    akt_system_options o;
    if (base) {
        o = *base;
    } else {
        TU_OK(akt_system_options_init(&o));
    }
    o.name = name;
    o.workers = 2;
    akt_system *s = tu_system_with(&o);
    TU_OK(akt_remote_start(s, NULL));
    return s;
}

/* "k=v;k=v" of msg's headers, in their order (a value over 16 bytes: "k#len"). */
static void headers_text(const akt_msg *msg, char *out, size_t cap) {
    size_t n = 0, at = 0;
    out[0] = 0;
    if (akt_msg_header_count(msg, &n)) return;
    for (size_t i = 0; i < n && at < cap; i++) {
        const char *k;
        const void *v;
        size_t len;
        if (akt_msg_header_at(msg, i, &k, &v, &len)) return;
        if (len <= 16)
            at += (size_t)snprintf(out + at, cap - at, "%s%s=%.*s", i ? ";" : "", k, (int)len,
                                   (const char *)v);
        else
            at += (size_t)snprintf(out + at, cap - at, "%s%s#%zu", i ? ";" : "", k, len);
    }
}

/* Logs what it got with its headers; answers an ask with a copy of them plus its own. */
static tu_log seen;

static int keeper_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    char h[512];
    headers_text(msg, h, sizeof h);
    tu_log_add(&seen, "%s [%s]", akt_msg_type(msg), h);
    if (!tu_is(msg, "ask")) return 0;
    akt_msg *r = tu_msg("answer", "");
    TU_CB_RC(0, akt_msg_copy_headers(r, msg));
    TU_CB_RC(0, akt_msg_set_header(r, "answered-by", "beta", 4));
    return akt_ctx_respond(ctx, r);
}

static void test_headers_cross_both_ways(void **state) {
    (void)state;
    tu_log_init(&seen);
    akt_system *a = node_opts("alpha", NULL), *b = node_opts("beta", NULL);
    akt_behavior kb = tu_behavior(keeper_receive);
    tu_spawn(b, &kb, NULL, "keeper");
    akt_pid k = tu_remote_pid(a, b, "/user/keeper");

    akt_msg *m = tu_msg("tell", "x");
    TU_OK(akt_msg_set_header(m, "tenant", "acme", 4));
    TU_OK(akt_msg_set_header(m, "empty", NULL, 0));
    TU_OK(akt_tell(a, k, m));
    akt_msg *bare = tu_msg("bare", "x");
    TU_OK(akt_tell(a, k, bare));

    akt_msg *q = tu_msg("ask", "y");
    static char big[AKT_HEADER_VALUE_MAX];
    memset(big, 'v', sizeof big);
    TU_OK(akt_msg_set_header(q, "traceparent", "00-abc", 6));
    TU_OK(akt_msg_set_header(q, "big", big, sizeof big));
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, k, q, &reply));
    assert_true(tu_is(reply, "answer"));
    const void *v;
    size_t len;
    TU_OK(akt_msg_header(reply, "traceparent", &v, &len));
    assert_int_equal(len, 6);
    assert_memory_equal(v, "00-abc", 6);
    TU_OK(akt_msg_header(reply, "big", &v, &len));
    assert_int_equal(len, sizeof big);
    assert_memory_equal(v, big, sizeof big);
    TU_OK(akt_msg_header(reply, "answered-by", &v, &len));
    assert_memory_equal(v, "beta", 4);
    size_t n = 0;
    TU_OK(akt_msg_header_count(reply, &n));
    assert_int_equal(n, 3);
    akt_msg_release(reply);

    TU_EVENTUALLY(tu_log_count(&seen) == 3);
    assert_string_equal(tu_log_str(&seen),
                        "tell [tenant=acme;empty=] bare [] ask [traceparent=00-abc;big#8192]");
    tu_system_end(a);
    tu_system_end(b);
    tu_log_destroy(&seen);
}

/* A propagator on alpha: every message sent from outside an actor gets "origin". */
static void inject_origin(akt_ctx *ctx, akt_msg *msg, void *data) {
    (void)ctx;
    akt_msg_set_header(msg, "origin", data, strlen(data));
}

static void test_propagator_headers_reach_the_other_node(void **state) {
    (void)state;
    tu_log_init(&seen);
    akt_propagator p = {sizeof p, inject_origin, "alpha-side"};
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.propagator = &p;
    akt_system *a = node_opts("alpha", &o), *b = node_opts("beta", NULL);
    akt_behavior kb = tu_behavior(keeper_receive);
    tu_spawn(b, &kb, NULL, "keeper");
    akt_pid k = tu_remote_pid(a, b, "/user/keeper");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, k, tu_msg("ask", ""), &reply));
    const void *v;
    size_t len;
    TU_OK(akt_msg_header(reply, "origin", &v, &len));
    assert_int_equal(len, 10);
    assert_memory_equal(v, "alpha-side", 10);
    akt_msg_release(reply);
    TU_EVENTUALLY(tu_log_count(&seen) == 1);
    assert_string_equal(tu_log_str(&seen), "ask [origin=alpha-side]");
    tu_system_end(a);
    tu_system_end(b);
    tu_log_destroy(&seen);
}

/* ---- the decoder's limits (white-box) ---------------------------------------------- */

/* Packs a Tell frame with n headers key<i> = value (len bytes each), unpacks it as the
 * receiving node does, and sets its headers on a new message: the result. */
static int decode_tell(size_t n, const char *key, size_t vlen) {
    static Akt__Remote__Header h[AKT_HEADERS_MAX + 2];
    static Akt__Remote__Header *items[AKT_HEADERS_MAX + 2];
    static char keys[AKT_HEADERS_MAX + 2][16];
    static uint8_t value[AKT_HEADER_VALUE_MAX + 1];
    assert_true(n <= AKT_HEADERS_MAX + 2 && vlen <= sizeof value);
    memset(value, 'x', sizeof value);
    for (size_t i = 0; i < n; i++) {
        akt__remote__header__init(&h[i]);
        snprintf(keys[i], sizeof keys[i], "k%zu", i);
        const char *k = key && i == 0 ? key : keys[i];
        h[i].key.data = (uint8_t *)k;
        h[i].key.len = key && i == 0 ? strlen(key) + (key[0] == 'n' ? 1 : 0) : strlen(k);
        h[i].value.data = value;
        h[i].value.len = vlen;
        items[i] = &h[i];
    }
    Akt__Remote__Tell t = AKT__REMOTE__TELL__INIT;
    t.to = "/user/x";
    t.type = "m";
    t.headers = items;
    t.n_headers = n;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_TELL;
    f.tell = &t;
    size_t len = 0;
    uint8_t *buf = akt__wire_pack(&f, &len);
    assert_non_null(buf);
    Akt__Remote__Frame *u = akt__wire_unpack(buf + 4, len - 4);
    free(buf);
    assert_non_null(u);
    akt_msg *m = tu_msg("m", "");
    int rc = akt__wire_headers_in(m, u->tell->headers, u->tell->n_headers);
    akt_msg_release(m);
    akt__wire_free(u);
    return rc;
}

static void test_decoder_holds_headers_to_the_limits(void **state) {
    (void)state;
    TU_OK(decode_tell(0, NULL, 0));
    TU_OK(decode_tell(AKT_HEADERS_MAX, NULL, 16));
    TU_RC(AKT_EINVAL, decode_tell(AKT_HEADERS_MAX + 1, NULL, 0)); /* too many */
    TU_OK(decode_tell(1, NULL, AKT_HEADER_VALUE_MAX));
    TU_RC(AKT_EINVAL, decode_tell(1, NULL, AKT_HEADER_VALUE_MAX + 1)); /* value too long */
    TU_RC(AKT_EINVAL, decode_tell(9, NULL, AKT_HEADER_VALUE_MAX));     /* over the total */
    TU_RC(AKT_EINVAL, decode_tell(1, "", 1));                          /* empty key */
    TU_RC(AKT_EINVAL, decode_tell(1, "bad key", 1));                   /* a space */
    TU_RC(AKT_EINVAL, decode_tell(1, "nul", 1));                       /* "nul\0": a NUL */
    char longkey[AKT_HEADER_KEY_MAX + 2];
    memset(longkey, 'k', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = 0;
    TU_RC(AKT_EINVAL, decode_tell(1, longkey, 1));
    longkey[AKT_HEADER_KEY_MAX] = 0;
    TU_OK(decode_tell(1, longkey, 1));
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        TU_TEST(test_decoder_holds_headers_to_the_limits),
        TU_TEST(test_headers_cross_both_ways),
        TU_TEST(test_propagator_headers_reach_the_other_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
