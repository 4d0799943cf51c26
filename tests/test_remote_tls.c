/* Remoting over TLS 1.3: two systems in one process over 127.0.0.1 with certificates the
 * test makes with the openssl CLI (tests/tools/tls_certs.sh): tells and asks over TLS and
 * mTLS; peers refused for a missing certificate, one from another CA, a wrong name; a
 * plaintext node and a TLS node that cannot talk; a malformed record stream on a raw socket. */
#define _DEFAULT_SOURCE
#include "tu_remote.h"

#include <akt/remote.h>
#include <arpa/inet.h>
#include <libgen.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static char certs[256]; /* the directory of this run's certificates */

static const char *cert(const char *file) {
    static char paths[8][320];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", certs, file);
    return p;
}

/* Makes the certificates once per process (each test runs in its own). */
static void make_certs(void) {
    if (*certs) return;
    char src[512];
    snprintf(src, sizeof src, "%s", __FILE__); /* absolute: CMake compiles by full path */
    snprintf(certs, sizeof certs, "/tmp/akt-tls-XXXXXX");
    assert_non_null(mkdtemp(certs));
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sh '%s/tools/tls_certs.sh' '%s'", dirname(src), certs);
    assert_int_equal(system(cmd), 0);
}

static void drop_certs(void) {
    if (!*certs) return;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", certs);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", certs);
    *certs = 0;
}

typedef struct tls_opts {
    const char *cert, *key, *ca, *peer_name;
    int mtls;
} tls_opts;

static int start(akt_system *s, const tls_opts *t) {
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    if (t) {
        o.tls_cert_file = t->cert ? cert(t->cert) : NULL;
        o.tls_key_file = t->key ? cert(t->key) : NULL;
        o.tls_ca_file = t->ca ? cert(t->ca) : NULL;
        o.tls_peer_name = t->peer_name;
        o.tls_require_client_cert = t->mtls;
    }
    return akt_remote_start(s, &o);
}

static const tls_opts NODE = {"node.pem", "node.key", "ca.pem", NULL, 0};
static const tls_opts NODE_MTLS = {"node.pem", "node.key", "ca.pem", NULL, 1};

static akt_system *node(const char *name, const tls_opts *t) {
    akt_system *s = tu_system(name, 2);
    TU_OK(start(s, t));
    return s;
}

static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    char text[64], out[80];
    tu_text(msg, text, sizeof text);
    snprintf(out, sizeof out, "echo:%s", text);
    return tu_reply(ctx, "echoed", out);
}

static atomic_uint_fast64_t sink_next, sink_bad;

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

static void ask_echo_ok(akt_system *a, akt_pid echo, const char *say) {
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, echo, tu_msg("say", say), &reply));
    assert_true(tu_is(reply, "echoed"));
    char got[80], want[80];
    tu_text(reply, got, sizeof got);
    snprintf(want, sizeof want, "echo:%s", say);
    assert_string_equal(got, want);
    akt_msg_release(reply);
}

/* The ask fails with AKT_EUNREACHABLE and a reason naming what is in *part. */
static void ask_refused(akt_system *a, akt_pid to, const char *part) {
    akt_future *f;
    TU_OK(akt_ask(a, to, tu_msg("say", "hi"), TU_SEC(10), &f));
    int64_t t0 = tu_now_ns();
    TU_RC(AKT_EUNREACHABLE, tu_wait(f, NULL));
    assert_true(tu_now_ns() - t0 < TU_SEC(8)); /* refused, not timed out */
    const char *why = NULL;
    TU_OK(akt_future_failure(f, &why, NULL));
    assert_non_null(why);
    if (part && !strstr(why, part)) fail_msg("reason '%s' does not name '%s'", why, part);
    TU_OK(akt_future_release(f));
}

/* Waits until sys counted a TLS failure whose reason names part. */
static void tls_failure_seen(akt_system *sys, const char *part) {
    char why[256] = "";
    uint64_t n = 0;
    int64_t end = tu_now_ns() + TU_DEADLINE_NS;
    for (;;) {
        TU_OK(akt_remote_tls_failures(sys, &n, why, sizeof why, NULL));
        if (n > 0 && (!part || strstr(why, part))) return;
        if (tu_now_ns() > end)
            fail_msg("no TLS failure naming '%s' (%llu, '%s')", part, (unsigned long long)n, why);
        tu_sleep_ms(5);
    }
}

static void test_tell_ask_over_tls(void **state) {
    (void)state;
    make_certs();
    atomic_store(&sink_next, 0);
    atomic_store(&sink_bad, 0);
    akt_system *a = node("alpha", &NODE), *b = node("beta", &NODE);
    akt_behavior eb = tu_behavior(echo_receive), sb = tu_behavior(sink_receive);
    tu_spawn(b, &eb, NULL, "echo");
    tu_spawn(b, &sb, NULL, "sink");
    akt_pid echo = tu_remote_pid(a, b, "/user/echo"), sink = tu_remote_pid(a, b, "/user/sink");
    for (int i = 0; i < 20; i++) {
        char say[16];
        snprintf(say, sizeof say, "%d", i);
        ask_echo_ok(a, echo, say);
    }
    /* Many tells: batches sealed into records, order kept, then an ask behind them. */
    const uint64_t N = 50000;
    for (uint64_t i = 0; i < N; i++) TU_OK(akt_tell(a, sink, tu_msg_u64("n", i)));
    assert_int_equal(tu_ask_u64(a, sink, "count"), N);
    assert_int_equal(atomic_load(&sink_bad), 0);
    /* A frame larger than a TLS record crosses in pieces. */
    static char big[100000];
    memset(big, 'x', sizeof big - 1);
    akt_msg *m = NULL, *reply = NULL;
    TU_OK(akt_msg_new_bytes("say", big, sizeof big - 1, AKT_BORROW, &m));
    TU_OK(tu_ask(a, echo, m, &reply));
    assert_true(tu_is(reply, "echoed"));
    akt_msg_release(reply);
    /* Many of them at once: more than a sealed batch's bound in bytes. */
    akt_future *fs[30];
    for (int i = 0; i < 30; i++) {
        TU_OK(akt_msg_new_bytes("say", big, sizeof big - 1, AKT_BORROW, &m));
        TU_OK(akt_ask(a, echo, m, TU_SEC(20), &fs[i]));
    }
    for (int i = 0; i < 30; i++) {
        TU_OK(tu_wait(fs[i], &reply));
        assert_true(tu_is(reply, "echoed"));
        akt_msg_release(reply);
        TU_OK(akt_future_release(fs[i]));
    }
    uint64_t fails = 1;
    TU_OK(akt_remote_tls_failures(a, &fails, NULL, 0, NULL));
    assert_int_equal(fails, 0);
    tu_system_end(a);
    tu_system_end(b);
    drop_certs();
}

static void test_mtls_accepted_and_client_without_cert_rejected(void **state) {
    (void)state;
    make_certs();
    akt_system *a = node("alpha", &NODE_MTLS), *b = node("beta", &NODE_MTLS);
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    ask_echo_ok(a, tu_remote_pid(a, b, "/user/echo"), "mutual");
    /* A client without a certificate (openssl s_client, which trusts the CA): refused. */
    char addr[256], cmd[900];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    snprintf(cmd, sizeof cmd,
             "echo | timeout 10 openssl s_client -connect 127.0.0.1:%s -tls1_3 -CAfile '%s' "
             ">/dev/null 2>&1",
             strrchr(addr, ':') + 1, cert("ca.pem"));
    if (system(cmd) == -1) fail_msg("cannot run openssl s_client");
    tls_failure_seen(b, "did not return a certificate");
    /* A client whose certificate comes from another CA: refused by b, and its ask fails. */
    akt_system *c = node("gamma", &(tls_opts){"rogue.pem", "rogue.key", "ca.pem", NULL, 0});
    ask_refused(c, tu_remote_pid(c, b, "/user/echo"), "TLS");
    tls_failure_seen(b, "certificate rejected");
    tu_system_end(c);
    tu_system_end(a);
    tu_system_end(b);
    drop_certs();
}

static void test_server_from_other_ca_rejected(void **state) {
    (void)state;
    make_certs();
    /* b's certificate comes from a CA a does not trust: a refuses b as a server. */
    akt_system *a = node("alpha", &NODE);
    akt_system *b = node("beta", &(tls_opts){"rogue.pem", "rogue.key", "ca.pem", NULL, 0});
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    ask_refused(a, tu_remote_pid(a, b, "/user/echo"), "certificate rejected");
    tls_failure_seen(a, "certificate");
    tu_system_end(a);
    tu_system_end(b);
    drop_certs();
}

static void test_wrong_peer_name_rejected(void **state) {
    (void)state;
    make_certs();
    akt_system *a = node("alpha",
                         &(tls_opts){"node.pem", "node.key", "ca.pem", "other.example", 0});
    akt_system *b = node("beta", &NODE);
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    ask_refused(a, tu_remote_pid(a, b, "/user/echo"), "certificate rejected");
    tls_failure_seen(a, "mismatch");
    /* The name the certificate does carry is accepted. */
    akt_system *c = node("gamma", &(tls_opts){"node.pem", "node.key", "ca.pem", "localhost", 0});
    ask_echo_ok(c, tu_remote_pid(c, b, "/user/echo"), "named");
    tu_system_end(c);
    tu_system_end(a);
    tu_system_end(b);
    drop_certs();
}

static void test_plaintext_and_tls_do_not_mix(void **state) {
    (void)state;
    make_certs();
    akt_system *plain = node("alpha", NULL), *tls = node("beta", &NODE);
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(tls, &eb, NULL, "echo");
    tu_spawn(plain, &eb, NULL, "echo");
    /* Plaintext to a TLS node: refused there before any frame is read. */
    ask_refused(plain, tu_remote_pid(plain, tls, "/user/echo"), "a TLS node?");
    tls_failure_seen(tls, "TLS handshake failed");
    /* TLS to a plaintext node: the client's handshake fails, clearly. */
    ask_refused(tls, tu_remote_pid(tls, plain, "/user/echo"), "TLS");
    tls_failure_seen(tls, "is it a TLS node?");
    tu_system_end(plain);
    tu_system_end(tls);
    drop_certs();
}

/* Bytes on a raw socket to the TLS node at addr ("akt://x@127.0.0.1:port"). */
static void raw_send(const char *addr, const void *p, size_t n) {
    const char *colon = strrchr(addr, ':');
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    if (n) assert_int_equal(write(fd, p, n), (ssize_t)n);
    /* The node closes its end: read until EOF (bounded by the node's refusal). */
    char buf[256];
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while (read(fd, buf, sizeof buf) > 0) {
    }
    close(fd);
}

static void test_malformed_records_do_not_crash(void **state) {
    (void)state;
    make_certs();
    akt_system *b = node("beta", &NODE_MTLS);
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    char addr[256];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    /* A handshake record with a huge length, one that lies about its type, random bytes,
     * and a ClientHello cut short. */
    const uint8_t huge[] = {0x16, 0x03, 0x01, 0xff, 0xff, 0x01, 0x00, 0x00};
    const uint8_t badtype[] = {0x42, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00};
    const uint8_t cut[] = {0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x03, 0x03};
    uint8_t noise[4096];
    for (size_t i = 0; i < sizeof noise; i++) noise[i] = (uint8_t)(i * 2654435761u >> 13);
    raw_send(addr, huge, sizeof huge);
    raw_send(addr, badtype, sizeof badtype);
    raw_send(addr, noise, sizeof noise);
    raw_send(addr, cut, sizeof cut); /* then EOF mid-handshake */
    tls_failure_seen(b, NULL);
    uint64_t n = 0;
    TU_OK(akt_remote_tls_failures(b, &n, NULL, 0, NULL));
    assert_true(n >= 3);
    /* The node still serves a good peer. */
    akt_system *a = node("alpha", &NODE_MTLS);
    ask_echo_ok(a, tu_remote_pid(a, b, "/user/echo"), "still here");
    tu_system_end(a);
    tu_system_end(b);
    drop_certs();
}

static void test_silent_peer_is_closed(void **state) {
    (void)state;
    make_certs();
    akt_system *b = tu_system("beta", 2);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.tls_cert_file = cert("node.pem");
    o.tls_key_file = cert("node.key");
    o.tls_ca_file = cert("ca.pem");
    o.connect_timeout_ns = TU_MS(200); /* also the inbound handshake's deadline */
    TU_OK(akt_remote_start(b, &o));
    char addr[256];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    /* Connects and says nothing: the node closes it (raw_send reads until EOF). */
    int64_t t0 = tu_now_ns();
    raw_send(addr, "", 0);
    assert_true(tu_now_ns() - t0 < TU_SEC(4));
    tls_failure_seen(b, "TLS handshake timed out");
    tu_system_end(b);
    drop_certs();
}

static void test_bad_tls_options(void **state) {
    (void)state;
    make_certs();
    akt_system *s = tu_system("alpha", 1);
    /* A key without a certificate, settings without TLS, a missing file, a key of another
     * certificate, an empty peer name. */
    TU_RC(AKT_EINVAL, start(s, &(tls_opts){NULL, "node.key", NULL, NULL, 0}));
    TU_RC(AKT_EINVAL, start(s, &(tls_opts){NULL, NULL, NULL, NULL, 1}));
    TU_RC(AKT_EINVAL, start(s, &(tls_opts){"node.pem", NULL, "ca.pem", NULL, 0}));
    TU_RC(AKT_EINVAL, start(s, &(tls_opts){"nothere.pem", "node.key", "ca.pem", NULL, 0}));
    TU_RC(AKT_EINVAL, start(s, &(tls_opts){"node.pem", "rogue.key", "ca.pem", NULL, 0}));
    TU_RC(AKT_EINVAL, start(s, &(tls_opts){"node.pem", "node.key", "nothere.pem", NULL, 0}));
    TU_RC(AKT_EINVAL, start(s, &(tls_opts){"node.pem", "node.key", "ca.pem", "", 0}));
    TU_RC(AKT_ENOTFOUND, akt_remote_tls_failures(s, NULL, NULL, 0, NULL));
    TU_OK(start(s, &NODE));
    char small[2];
    uint64_t n = 7;
    TU_OK(akt_remote_tls_failures(s, &n, small, sizeof small, NULL));
    assert_int_equal(n, 0);
    assert_string_equal(small, "");
    tu_system_end(s);
    drop_certs();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_tell_ask_over_tls),
        TU_TEST(test_mtls_accepted_and_client_without_cert_rejected),
        TU_TEST(test_server_from_other_ca_rejected),
        TU_TEST(test_wrong_peer_name_rejected),
        TU_TEST(test_plaintext_and_tls_do_not_mix),
        TU_TEST(test_malformed_records_do_not_crash),
        TU_TEST(test_silent_peer_is_closed),
        TU_TEST(test_bad_tls_options),
    };
    return cmocka_run_group_tests_name("remote_tls", tests, NULL, NULL);
}
