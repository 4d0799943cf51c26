/* Frame compression (issue 14): the codecs' bounded inflate; tells and asks between two
 * nodes with each method, a 1 MB compressible message, mixed nodes (zstd and none); a fake
 * peer on a raw socket that sees what goes on the wire (compressed or not, and its size);
 * compressed frames that lie about their length, are malformed or use a method not offered,
 * closing only their own connection. Internals (compress.h, the generated protocol): links
 * the static library. */
#include "tu.h"

#include <akt/remote.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "proto/remote.pb-c.h"
#include "remote/compress.h"
#include "remote/frame.h"

static const int METHODS[] = {AKT_REMOTE_COMPRESS_ZSTD, AKT_REMOTE_COMPRESS_GZIP,
                              AKT_REMOTE_COMPRESS_BROTLI};
static const char *const NAMES[] = {"none", "zstd", "gzip", "brotli"};

/* Compressible text: a few words repeated with a counter. */
static void fill(char *p, size_t n) {
    size_t at = 0;
    for (unsigned i = 0; at < n; i++) {
        char w[48];
        int k = snprintf(w, sizeof w, "message %u of the remote compression test; ", i % 97);
        for (int j = 0; j < k && at < n; j++) p[at++] = w[j];
    }
}

static void test_codecs_inflate_exactly_their_length(void **state) {
    (void)state;
    enum { N = 65536 };
    static char in[N];
    static uint8_t out[N + 1];
    fill(in, N);
    for (size_t m = 0; m < 3; m++) {
        uint8_t *z;
        size_t zn;
        TU_OK(akt__compress(METHODS[m], (const uint8_t *)in, N, &z, &zn));
        assert_true(zn < N / 4);
        TU_OK(akt__decompress(METHODS[m], z, zn, out, N));
        assert_memory_equal(out, in, N);
        /* A length that lies, either way, and a truncated or corrupted stream: refused. */
        TU_RC(AKT_EPROTO, akt__decompress(METHODS[m], z, zn, out, N - 1));
        TU_RC(AKT_EPROTO, akt__decompress(METHODS[m], z, zn, out, N + 1));
        TU_RC(AKT_EPROTO, akt__decompress(METHODS[m], z, zn / 2, out, N));
        z[zn / 3] ^= 0x5a;
        z[zn / 2] ^= 0xa5;
        int rc = akt__decompress(METHODS[m], z, zn, out, N);
        assert_true(rc == AKT_EPROTO || rc == 0); /* refused, or (no checksum) wrong bytes */
        free(z);
        TU_RC(AKT_EPROTO, akt__decompress(METHODS[m], (const uint8_t *)"garbage!", 8, out, 16));
    }
    /* Incompressible input is not worth it; an unknown method is refused. */
    uint8_t noise[600];
    for (size_t i = 0; i < sizeof noise; i++) noise[i] = (uint8_t)(i * 2654435761u >> 13);
    uint8_t *z;
    size_t zn;
    TU_RC(AKT_EINVAL, akt__compress(AKT_REMOTE_COMPRESS_ZSTD, noise, 16, &z, &zn));
    TU_RC(AKT_EINVAL, akt__compress(9, (const uint8_t *)in, N, &z, &zn));
    TU_RC(AKT_EINVAL, akt__decompress(9, (const uint8_t *)in, 8, out, 8));
}

static akt_system *node(const char *name, int method, uint32_t max_frame) {
    akt_system *s = tu_system(name, 2);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.compression = method;
    o.max_frame_bytes = max_frame;
    TU_OK(akt_remote_start(s, &o));
    return s;
}

static akt_pid remote_pid(akt_system *a, akt_system *b, const char *path) {
    char addr[256], full[300];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    snprintf(full, sizeof full, "%s%s", addr, path);
    akt_pid p;
    TU_OK(akt_remote_lookup(a, full, &p));
    return p;
}

/* Answers with the bytes it got, upper-cased: the reply is as large as the ask. */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    const void *d;
    size_t n;
    if (akt_msg_bytes(msg, &d, &n)) return tu_reply(ctx, "bad", "");
    char *up = malloc(n ? n : 1);
    if (!up) return AKT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char c = ((const char *)d)[i];
        up[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    }
    akt_msg *r;
    int rc = akt_msg_new_bytes("echoed", up, n, AKT_COPY, &r);
    free(up);
    if (rc) return rc;
    rc = akt_ctx_respond(ctx, r);
    if (rc) akt_msg_release(r);
    return rc;
}

static atomic_uint_fast64_t told;

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "count")) return tu_reply_u64(ctx, "count", atomic_load(&told));
    atomic_fetch_add(&told, 1);
    return 0;
}

/* Asks echo with n compressible bytes and checks the upper-cased answer. */
static void ask_echo(akt_system *a, akt_pid echo, size_t n) {
    char *p = malloc(n);
    assert_non_null(p);
    fill(p, n);
    akt_msg *m, *reply = NULL;
    TU_OK(akt_msg_new_bytes("say", p, n, AKT_COPY, &m));
    TU_OK(tu_ask(a, echo, m, &reply));
    assert_true(tu_is(reply, "echoed"));
    const void *d;
    size_t got;
    TU_OK(akt_msg_bytes(reply, &d, &got));
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++) {
        char c = p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 32) : p[i];
        if (((const char *)d)[i] != c) fail_msg("byte %zu of %zu differs", i, n);
    }
    akt_msg_release(reply);
    free(p);
}

/* Tells, small and large asks both ways of the pair a -> b. */
static void talk(akt_system *a, akt_system *b) {
    akt_behavior eb = tu_behavior(echo_receive), sb = tu_behavior(sink_receive);
    tu_spawn(b, &eb, NULL, "echo");
    tu_spawn(b, &sb, NULL, "sink");
    akt_pid echo = remote_pid(a, b, "/user/echo"), sink = remote_pid(a, b, "/user/sink");
    atomic_store(&told, 0);
    static char text[4000];
    fill(text, sizeof text);
    for (int i = 0; i < 200; i++) {
        akt_msg *m;
        TU_OK(akt_msg_new_bytes("n", text, (size_t)(i * 17 % 4000), AKT_COPY, &m));
        TU_OK(akt_tell(a, sink, m));
    }
    assert_int_equal(tu_ask_u64(a, sink, "count"), 200);
    ask_echo(a, echo, 10);
    ask_echo(a, echo, 3000);
    ask_echo(a, echo, 1 << 20);
}

static void test_tell_ask_with_each_method(void **state) {
    (void)state;
    for (size_t m = 0; m < 3; m++) {
        akt_system *a = node("alpha", METHODS[m], 0), *b = node("beta", METHODS[m], 0);
        talk(a, b);
        tu_system_end(a);
        tu_system_end(b);
    }
}

static void test_mixed_nodes_interoperate(void **state) {
    (void)state;
    akt_system *a = node("alpha", AKT_REMOTE_COMPRESS_ZSTD, 0);
    akt_system *b = node("beta", AKT_REMOTE_COMPRESS_NONE, 0);
    talk(a, b);
    talk(b, a);
    tu_system_end(a);
    tu_system_end(b);
}

/* ---- a fake peer on a raw socket -------------------------------------------------- */

static int dial(uint16_t port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static uint16_t port_of(akt_system *s) {
    char addr[256];
    TU_OK(akt_remote_address(s, addr, sizeof addr, NULL));
    return (uint16_t)atoi(strrchr(addr, ':') + 1);
}

static void put_frame(int fd, const Akt__Remote__Frame *f) {
    size_t n = akt__remote__frame__get_packed_size(f);
    uint8_t *b = malloc(AKT__FRAME_HEADER + n);
    assert_non_null(b);
    akt__frame_header(b, (uint32_t)n);
    akt__remote__frame__pack(f, b + AKT__FRAME_HEADER);
    assert_int_equal(write(fd, b, AKT__FRAME_HEADER + n), (ssize_t)(AKT__FRAME_HEADER + n));
    free(b);
}

static int read_all(int fd, uint8_t *p, size_t n) {
    for (size_t at = 0; at < n;) {
        ssize_t r = read(fd, p + at, n - at);
        if (r <= 0) return -1;
        at += (size_t)r;
    }
    return 0;
}

/* The next frame that is not a heartbeat or credit (NULL at EOF); *wire gets its size. */
static Akt__Remote__Frame *get_frame(int fd, size_t *wire) {
    for (;;) {
        uint8_t h[AKT__FRAME_HEADER];
        if (read_all(fd, h, sizeof h)) return NULL;
        uint32_t n = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        uint8_t *b = malloc(n);
        assert_non_null(b);
        if (read_all(fd, b, n)) {
            free(b);
            return NULL;
        }
        Akt__Remote__Frame *f = akt__remote__frame__unpack(NULL, n, b);
        free(b);
        assert_non_null(f);
        if (f->body_case == AKT__REMOTE__FRAME__BODY_PING ||
            f->body_case == AKT__REMOTE__FRAME__BODY_PONG ||
            f->body_case == AKT__REMOTE__FRAME__BODY_CREDIT) {
            akt__remote__frame__free_unpacked(f, NULL);
            continue;
        }
        if (wire) *wire = AKT__FRAME_HEADER + n;
        return f;
    }
}

/* Says Hello to the node at port as system "fake", offering `accepts`; returns the socket
 * once the node accepted, with the methods the node offered in *offered. */
static int fake_client(uint16_t port, uint32_t accepts, uint32_t *offered) {
    int fd = dial(port);
    Akt__Remote__Hello h = AKT__REMOTE__HELLO__INIT;
    h.version = AKT_REMOTE_PROTOCOL_VERSION;
    h.system = "fake";
    h.host = "127.0.0.1";
    h.port = 1;
    h.incarnation = 7;
    h.to_system = "beta";
    h.compressions = accepts;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_HELLO;
    f.hello = &h;
    put_frame(fd, &f);
    Akt__Remote__Frame *a = get_frame(fd, NULL);
    assert_non_null(a);
    assert_int_equal(a->body_case, AKT__REMOTE__FRAME__BODY_HELLO_ACK);
    assert_int_equal(a->hello_ack->result_case, AKT__REMOTE__HELLO_ACK__RESULT_ACCEPTED);
    if (offered) *offered = a->hello_ack->compressions;
    akt__remote__frame__free_unpacked(a, NULL);
    return fd;
}

/* Sends a compressed frame to the node at fd and expects the node to close it. */
static void bad_compressed(int fd, uint32_t method, uint32_t length, const uint8_t *z, size_t zn) {
    Akt__Remote__Compressed c = AKT__REMOTE__COMPRESSED__INIT;
    c.method = method;
    c.length = length;
    c.data.data = (uint8_t *)z;
    c.data.len = zn;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_COMPRESSED;
    f.compressed = &c;
    put_frame(fd, &f);
    int64_t t0 = tu_now_ns();
    /* ack: the node says why (a Close frame), then closes once this end closed */
    Akt__Remote__Frame *cf = get_frame(fd, NULL);
    assert_non_null(cf);
    assert_int_equal(cf->body_case, AKT__REMOTE__FRAME__BODY_CLOSE);
    assert_int_equal(cf->close->code, AKT_EPROTO);
    assert_non_null(strstr(cf->close->reason, "remote connection closed"));
    akt__remote__frame__free_unpacked(cf, NULL);
    assert_true(tu_now_ns() - t0 < TU_SEC(8));
    close(fd);
}

static void test_bad_compressed_frames_close_only_their_connection(void **state) {
    (void)state;
    enum { MAX = 65536 };
    akt_system *a = node("alpha", AKT_REMOTE_COMPRESS_ZSTD, MAX);
    akt_system *b = node("beta", AKT_REMOTE_COMPRESS_ZSTD, MAX);
    akt_behavior eb = tu_behavior(echo_receive);
    tu_spawn(b, &eb, NULL, "echo");
    akt_pid echo = remote_pid(a, b, "/user/echo");
    ask_echo(a, echo, 20000);
    uint16_t port = port_of(b);
    uint32_t offered = 0;
    close(fake_client(port, 0, &offered));
    assert_int_equal(offered, AKT__COMPRESS_ACCEPTED);
    /* A bomb: 4 MB of zeros that claims to be 1000 bytes, then one claiming 4 MB (over the
     * limit: refused before inflating), a stream of garbage, a method not offered. */
    size_t bn = 4u << 20;
    char *zeros = calloc(1, bn);
    assert_non_null(zeros);
    uint8_t *z;
    size_t zn;
    TU_OK(akt__compress(AKT_REMOTE_COMPRESS_ZSTD, (const uint8_t *)zeros, bn, &z, &zn));
    free(zeros);
    bad_compressed(fake_client(port, 0, NULL), AKT_REMOTE_COMPRESS_ZSTD, 1000, z, zn);
    bad_compressed(fake_client(port, 0, NULL), AKT_REMOTE_COMPRESS_ZSTD, (uint32_t)bn, z, zn);
    free(z);
    const uint8_t junk[] = "\x28\xb5\x2f\xfd not really zstd";
    bad_compressed(fake_client(port, 0, NULL), AKT_REMOTE_COMPRESS_ZSTD, 64, junk, sizeof junk);
    bad_compressed(fake_client(port, 0, NULL), 7, 64, junk, sizeof junk);
    bad_compressed(fake_client(port, 0, NULL), 0, 64, junk, sizeof junk);
    /* A node without compression refuses every compressed frame and offers none. */
    akt_system *c = node("beta", AKT_REMOTE_COMPRESS_NONE, MAX);
    int fd = fake_client(port_of(c), AKT__COMPRESS_ACCEPTED, &offered);
    assert_int_equal(offered, 0);
    bad_compressed(fd, AKT_REMOTE_COMPRESS_ZSTD, 64, junk, sizeof junk);
    /* The real connection a -> b lived through all of it. */
    ask_echo(a, echo, 20000);
    tu_system_end(c);
    tu_system_end(a);
    tu_system_end(b);
}

/* A fake node listening: the real node (method) connects to it, says Hello; the fake
 * answers offering `accepts` and reads the Tell of `size` bytes that follows. Returns the
 * frame's bytes on the wire; *compressed says whether it came compressed. */
static size_t tell_through_fake(int method, uint32_t accepts, size_t size, int *compressed) {
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(ls, 1), 0);
    socklen_t sl = sizeof sa;
    assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &sl), 0);
    akt_system *a = node("alpha", method, 0);
    char addr[160];
    snprintf(addr, sizeof addr, "akt://beta@127.0.0.1:%u/user/sink", ntohs(sa.sin_port));
    akt_pid to;
    TU_OK(akt_remote_lookup(a, addr, &to));
    char *p = malloc(size);
    assert_non_null(p);
    fill(p, size);
    akt_msg *m;
    TU_OK(akt_msg_new_bytes("n", p, size, AKT_COPY, &m));
    TU_OK(akt_tell(a, to, m));
    int fd = accept(ls, NULL, NULL);
    assert_true(fd >= 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    Akt__Remote__Frame *f = get_frame(fd, NULL);
    assert_non_null(f);
    assert_int_equal(f->body_case, AKT__REMOTE__FRAME__BODY_HELLO);
    assert_int_equal(f->hello->compressions, method ? AKT__COMPRESS_ACCEPTED : 0);
    akt__remote__frame__free_unpacked(f, NULL);
    Akt__Remote__HelloAck ack = AKT__REMOTE__HELLO_ACK__INIT;
    ack.version = AKT_REMOTE_PROTOCOL_VERSION;
    ack.system = "beta";
    ack.host = "127.0.0.1";
    ack.result_case = AKT__REMOTE__HELLO_ACK__RESULT_ACCEPTED;
    ack.accepted = 1;
    ack.compressions = accepts;
    Akt__Remote__Frame af = AKT__REMOTE__FRAME__INIT;
    af.body_case = AKT__REMOTE__FRAME__BODY_HELLO_ACK;
    af.hello_ack = &ack;
    put_frame(fd, &af);
    size_t wire = 0;
    f = get_frame(fd, &wire);
    assert_non_null(f);
    Akt__Remote__Frame *tell = f;
    *compressed = f->body_case == AKT__REMOTE__FRAME__BODY_COMPRESSED;
    uint8_t *plain = NULL;
    if (*compressed) {
        assert_int_equal(f->compressed->method, (uint32_t)method);
        plain = malloc(f->compressed->length);
        assert_non_null(plain);
        TU_OK(akt__decompress(method, f->compressed->data.data, f->compressed->data.len, plain,
                              f->compressed->length));
        tell = akt__remote__frame__unpack(NULL, f->compressed->length, plain);
        assert_non_null(tell);
    }
    assert_int_equal(tell->body_case, AKT__REMOTE__FRAME__BODY_TELL);
    assert_int_equal(tell->tell->payload.len, size);
    assert_memory_equal(tell->tell->payload.data, p, size);
    if (tell != f) akt__remote__frame__free_unpacked(tell, NULL);
    akt__remote__frame__free_unpacked(f, NULL);
    free(plain);
    free(p);
    close(fd);
    close(ls);
    tu_system_end(a);
    return wire;
}

static void test_wire_carries_compressed_frames_when_both_accept(void **state) {
    (void)state;
    const size_t sizes[] = {100, 4096, 60000}; /* under the 64 KiB chunk size */
    for (size_t s = 0; s < 3; s++) {
        int comp;
        size_t plain = tell_through_fake(AKT_REMOTE_COMPRESS_NONE, 0, sizes[s], &comp);
        assert_false(comp);
        /* The peer offers nothing: a zstd node sends plain frames. */
        assert_int_equal(tell_through_fake(AKT_REMOTE_COMPRESS_ZSTD, 0, sizes[s], &comp), plain);
        assert_false(comp);
        for (size_t m = 0; m < 3; m++) {
            size_t w = tell_through_fake(METHODS[m], AKT__COMPRESS_ACCEPTED, sizes[s], &comp);
            /* Under the minimum size (512 bytes by default): never compressed. */
            assert_int_equal(comp, sizes[s] >= AKT_REMOTE_DEFAULT_COMPRESS_MIN);
            if (comp) assert_true(w < plain / 4);
            printf("tell of %zu bytes: %zu on the wire plain, %zu with %s (%.3f)\n", sizes[s],
                   plain, w, NAMES[METHODS[m]], (double)w / (double)plain);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_codecs_inflate_exactly_their_length),
        TU_TEST(test_tell_ask_with_each_method),
        TU_TEST(test_mixed_nodes_interoperate),
        TU_TEST(test_bad_compressed_frames_close_only_their_connection),
        TU_TEST(test_wire_carries_compressed_frames_when_both_accept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
