/* Chunking and a peer that stops reading (issue 14): large tells and asks cross between two
 * nodes in chunks (beyond the frame limit, both ways); a fake receiver on a raw socket sees
 * small tells of another receiver pass a large one (by order of arrival on the wire), and
 * the order of one sender -> receiver pair kept; chunks that break the rules (over the
 * message limit, out of order, a second frame before the first is complete, past the
 * total, never finished) close only their connection with a reason; a fake peer that
 * handshakes and never reads gets a bounded queue: dead letters with the reason, then
 * AKT_EFULL at akt_tell, and every accepted message is either read or a dead letter.
 * Internals (chunk.h, the generated protocol): links the static library. */
#include "tu.h"

#include <akt/remote.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "proto/remote.pb-c.h"
#include "remote/chunk.h"
#include "remote/compress.h"
#include "remote/endpoint.h"
#include "remote/frame.h"

static akt_system *node_opts(const char *name, const akt_remote_options *o) {
    akt_system *s = tu_system(name, 2);
    TU_OK(akt_remote_start(s, o));
    return s;
}

static akt_system *node(const char *name) {
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.heartbeat_interval_ns = -1; /* fake peers answer no Ping */
    return node_opts(name, &o);
}

static akt_pid remote_pid(akt_system *a, akt_system *b, const char *path) {
    char addr[256], full[300];
    TU_OK(akt_remote_address(b, addr, sizeof addr, NULL));
    snprintf(full, sizeof full, "%s%s", addr, path);
    akt_pid p;
    TU_OK(akt_remote_lookup(a, full, &p));
    return p;
}

static uint16_t port_of(akt_system *s) {
    char addr[256];
    TU_OK(akt_remote_address(s, addr, sizeof addr, NULL));
    return (uint16_t)atoi(strrchr(addr, ':') + 1);
}

/* A recognisable pattern: byte i of a message of seed s. */
static uint8_t pat(size_t i, unsigned s) { return (uint8_t)((i * 2654435761u >> 7) + s); }

static void fill(uint8_t *p, size_t n, unsigned s) {
    for (size_t i = 0; i < n; i++) p[i] = pat(i, s);
}

static int check(const uint8_t *p, size_t n, unsigned s) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != pat(i, s)) return 0;
    return 1;
}

/* ---- two real nodes ----------------------------------------------------------------- */

/* Records the arrival order: "big" messages (checked against their pattern) and small
 * "n" ones, and answers an ask with the same bytes. */
static atomic_int arrivals;
static atomic_int big_at, big_ok, small_first_at, small_count, small_bad;

static int rec_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    int at = atomic_fetch_add(&arrivals, 1);
    const void *d;
    size_t n;
    if (akt_msg_bytes(msg, &d, &n)) return 0;
    if (tu_is(msg, "big")) {
        atomic_store(&big_at, at);
        atomic_store(&big_ok, check(d, n, 7) ? (int)n : -1);
    } else if (tu_is(msg, "n")) {
        int k = atomic_fetch_add(&small_count, 1);
        if (k == 0) atomic_store(&small_first_at, at);
        if (tu_u64(msg) != (uint64_t)k) atomic_store(&small_bad, 1);
    } else if (tu_is(msg, "echo")) {
        akt_msg *r;
        if (akt_msg_new_bytes("echoed", d, n, AKT_COPY, &r) == 0) akt_ctx_respond(ctx, r);
    }
    return 0;
}

static void test_large_messages_cross_both_ways_in_chunks(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior rb = tu_behavior(rec_receive);
    tu_spawn(b, &rb, NULL, "rec");
    akt_pid rec = remote_pid(a, b, "/user/rec");
    atomic_store(&arrivals, 0);
    atomic_store(&big_ok, 0);
    atomic_store(&small_count, 0);
    atomic_store(&small_bad, 0);
    /* 12 MB: three times the default frame limit, so only chunks can carry it. */
    size_t n = 12u << 20;
    uint8_t *p = malloc(n);
    assert_non_null(p);
    fill(p, n, 7);
    akt_msg *m;
    TU_OK(akt_msg_new_bytes("big", p, n, AKT_COPY, &m));
    TU_OK(akt_tell(a, rec, m));
    /* Then small tells from the same sender to the same actor: they stay behind it. */
    for (uint64_t i = 0; i < 100; i++) TU_OK(akt_tell(a, rec, tu_msg_u64("n", i)));
    TU_EVENTUALLY(atomic_load(&small_count) == 100);
    assert_int_equal(atomic_load(&big_ok), (int)n);
    assert_int_equal(atomic_load(&big_at), 0); /* first: per-pair order */
    assert_int_equal(atomic_load(&small_bad), 0);
    /* An ask of 6 MB, answered with 6 MB: the reply is chunked too. */
    size_t k = 6u << 20;
    TU_OK(akt_msg_new_bytes("echo", p, k, AKT_COPY, &m));
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, rec, m, &reply));
    assert_true(tu_is(reply, "echoed"));
    const void *d;
    size_t dn;
    TU_OK(akt_msg_bytes(reply, &d, &dn));
    assert_int_equal(dn, k);
    assert_true(check(d, dn, 7));
    akt_msg_release(reply);
    /* Over the message limit (64 MiB by default): refused at the sender, the ask fails. */
    size_t over = AKT_REMOTE_DEFAULT_MAX_MESSAGE + 1;
    uint8_t *q = calloc(1, over);
    assert_non_null(q);
    TU_OK(akt_msg_new_bytes("echo", q, over, AKT_BORROW, &m));
    TU_RC(AKT_EINVAL, tu_ask(a, rec, m, &reply));
    free(q);
    assert_int_equal(akt__remote_proto_failures(b, NULL, 0), 0);
    tu_system_end(a);
    tu_system_end(b);
    free(p);
}

static void test_chunk_options_are_checked(void **state) {
    (void)state;
    akt_system *s = tu_system("opts", 1);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.chunk_bytes = AKT__CHUNK_MIN - 1;
    TU_RC(AKT_EINVAL, akt_remote_start(s, &o));
    o.chunk_bytes = AKT_REMOTE_DEFAULT_MAX_FRAME + 1;
    TU_RC(AKT_EINVAL, akt_remote_start(s, &o));
    o.chunk_bytes = 0;
    o.max_message_bytes = AKT_REMOTE_DEFAULT_MAX_FRAME - 1;
    TU_RC(AKT_EINVAL, akt_remote_start(s, &o));
    o.max_message_bytes = (1u << 30) + 1;
    TU_RC(AKT_EINVAL, akt_remote_start(s, &o));
    o.max_message_bytes = 0;
    o.send_buffer_bytes = 1000;
    TU_RC(AKT_EINVAL, akt_remote_start(s, &o));
    o.send_buffer_bytes = 0;
    o.chunk_bytes = 4096;
    TU_OK(akt_remote_start(s, &o));
    tu_system_end(s);
}

/* ---- fake peers on raw sockets ------------------------------------------------------ */

static void put_frame(int fd, const Akt__Remote__Frame *f) {
    size_t n = akt__remote__frame__get_packed_size(f);
    uint8_t *b = malloc(AKT__FRAME_HEADER + n);
    assert_non_null(b);
    akt__frame_header(b, (uint32_t)n);
    akt__remote__frame__pack(f, b + AKT__FRAME_HEADER);
    /* A node may have closed the connection already (what the test expects): no check. */
    ssize_t w = write(fd, b, AKT__FRAME_HEADER + n);
    (void)w;
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

/* The next frame that is not a heartbeat or credit (NULL at EOF). */
static Akt__Remote__Frame *get_frame(int fd) {
    for (;;) {
        uint8_t h[AKT__FRAME_HEADER];
        if (read_all(fd, h, sizeof h)) return NULL;
        uint32_t n = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        uint8_t *b = malloc(n ? n : 1);
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
        return f;
    }
}

/* A fake node "beta" listening on a small receive buffer: *ls is the listening socket,
 * the address of its actor `path` is written into addr. */
static void fake_listen(int *ls, const char *path, char *addr, size_t cap) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    int small = 32 * 1024; /* so that what the sender has ahead stays small */
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 1), 0);
    socklen_t sl = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
    snprintf(addr, cap, "akt://beta@127.0.0.1:%u%s", ntohs(sa.sin_port), path);
    *ls = fd;
}

/* Accepts the node's connection and answers its Hello. */
static int fake_accept(int ls) {
    int fd = accept(ls, NULL, NULL);
    assert_true(fd >= 0);
    struct timeval tv = {15, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    Akt__Remote__Frame *f = get_frame(fd);
    assert_non_null(f);
    assert_int_equal(f->body_case, AKT__REMOTE__FRAME__BODY_HELLO);
    akt__remote__frame__free_unpacked(f, NULL);
    Akt__Remote__HelloAck ack = AKT__REMOTE__HELLO_ACK__INIT;
    ack.version = AKT_REMOTE_PROTOCOL_VERSION;
    ack.system = "beta";
    ack.host = "127.0.0.1";
    ack.result_case = AKT__REMOTE__HELLO_ACK__RESULT_ACCEPTED;
    ack.accepted = 1;
    Akt__Remote__Frame af = AKT__REMOTE__FRAME__INIT;
    af.body_case = AKT__REMOTE__FRAME__BODY_HELLO_ACK;
    af.hello_ack = &ack;
    put_frame(fd, &af);
    return fd;
}

static void test_small_tells_pass_a_large_one(void **state) {
    (void)state;
    int ls;
    char big_addr[160], small_addr[160];
    fake_listen(&ls, "/user/big", big_addr, sizeof big_addr);
    snprintf(small_addr, sizeof small_addr, "%.*s/user/small",
             (int)(strstr(big_addr, "/user/") - big_addr), big_addr);
    akt_system *a = node("alpha");
    akt_pid big, small;
    TU_OK(akt_remote_lookup(a, big_addr, &big));
    TU_OK(akt_remote_lookup(a, small_addr, &small));
    size_t n = 24u << 20; /* far more than the socket buffers hold */
    uint8_t *p = malloc(n);
    assert_non_null(p);
    fill(p, n, 7);
    akt_msg *m;
    TU_OK(akt_msg_new_bytes("big", p, n, AKT_BORROW, &m));
    TU_OK(akt_tell(a, big, m));
    int fd = fake_accept(ls);
    /* The large one is under way once its first chunk came: then the small ones. */
    Akt__Remote__Frame *f = get_frame(fd);
    assert_non_null(f);
    assert_int_equal(f->body_case, AKT__REMOTE__FRAME__BODY_CHUNK);
    uint64_t id = f->chunk->id;
    uint32_t total = f->chunk->total, have = (uint32_t)f->chunk->data.len;
    assert_true(total > n);
    assert_int_equal(f->chunk->offset, 0);
    akt__remote__frame__free_unpacked(f, NULL);
    enum { SMALL = 50 };
    for (uint64_t i = 0; i < SMALL; i++) TU_OK(akt_tell(a, small, tu_msg_u64("n", i)));
    /* On the wire: chunks in order, the small tells among them, in their order. */
    int smalls = 0, smalls_before_end = 0, chunks = 1;
    while (smalls < SMALL || have < total) {
        f = get_frame(fd);
        assert_non_null(f);
        if (f->body_case == AKT__REMOTE__FRAME__BODY_CHUNK) {
            assert_int_equal(f->chunk->id, id);
            assert_int_equal(f->chunk->total, total);
            assert_int_equal(f->chunk->offset, have);
            assert_true(f->chunk->data.len <= AKT_REMOTE_DEFAULT_CHUNK);
            have += (uint32_t)f->chunk->data.len;
            chunks++;
        } else {
            assert_int_equal(f->body_case, AKT__REMOTE__FRAME__BODY_TELL);
            assert_string_equal(f->tell->to, "/user/small");
            assert_int_equal(f->tell->payload.len, 8);
            uint64_t v = 0;
            for (int i = 0; i < 8; i++) v |= (uint64_t)f->tell->payload.data[i] << (8 * i);
            (void)v;
            smalls++;
            if (have < total) smalls_before_end++;
        }
        akt__remote__frame__free_unpacked(f, NULL);
    }
    printf("a %zu-byte tell in %d chunks; %d of %d small tells told after its first chunk "
           "arrived before its last\n",
           n, chunks, smalls_before_end, SMALL);
    assert_int_equal(smalls_before_end, SMALL);
    close(fd);
    close(ls);
    tu_system_end(a);
    free(p);
}

/* Says Hello to the node at port as system "fake". */
static int fake_client(uint16_t port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    Akt__Remote__Hello h = AKT__REMOTE__HELLO__INIT;
    h.version = AKT_REMOTE_PROTOCOL_VERSION;
    h.system = "fake";
    h.host = "127.0.0.1";
    h.port = 1;
    h.incarnation = 7;
    h.to_system = "beta";
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_HELLO;
    f.hello = &h;
    put_frame(fd, &f);
    Akt__Remote__Frame *a = get_frame(fd);
    assert_non_null(a);
    assert_int_equal(a->body_case, AKT__REMOTE__FRAME__BODY_HELLO_ACK);
    akt__remote__frame__free_unpacked(a, NULL);
    return fd;
}

static void put_chunk(int fd, uint64_t id, uint32_t total, uint32_t off, const uint8_t *d,
                      size_t n) {
    Akt__Remote__Chunk ch = AKT__REMOTE__CHUNK__INIT;
    ch.id = id;
    ch.total = total;
    ch.offset = off;
    ch.data.data = (uint8_t *)d;
    ch.data.len = n;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_CHUNK;
    f.chunk = &ch;
    put_frame(fd, &f);
}

/* Expects the node to close fd, with a reason that has `why` in it. */
static void expect_closed(akt_system *b, int fd, uint64_t *fails, const char *why) {
    /* ack: the node says why in a Close frame, then closes once this end closed */
    Akt__Remote__Frame *cf = get_frame(fd);
    assert_non_null(cf);
    assert_int_equal(cf->body_case, AKT__REMOTE__FRAME__BODY_CLOSE);
    assert_int_equal(cf->close->code, AKT_EPROTO);
    if (!strstr(cf->close->reason, why)) fail_msg("Close '%s' lacks '%s'", cf->close->reason, why);
    akt__wire_free(cf);
    close(fd);
    char reason[240];
    TU_EVENTUALLY(akt__remote_proto_failures(b, reason, sizeof reason) > *fails);
    *fails = akt__remote_proto_failures(b, reason, sizeof reason);
    if (!strstr(reason, why)) fail_msg("reason '%s' lacks '%s'", reason, why);
}

/* ack begin: a node that closes a connection for a protocol error says why first: the other
 * side's ask fails with that reason, its unacknowledged tells are dead letters with it. */
static tu_events close_ev;

static void test_protocol_close_tells_the_peer_why(void **state) {
    (void)state;
    akt_remote_options oa, ob;
    TU_OK(akt_remote_options_init(&oa));
    TU_OK(akt_remote_options_init(&ob));
    oa.heartbeat_interval_ns = ob.heartbeat_interval_ns = -1;
    oa.chunk_bytes = 1024; /* a's large frames go as chunks ... */
    ob.max_frame_bytes = 2048;
    ob.max_message_bytes = 2048; /* ... that declare more than b puts back together */
    akt_system *a = node_opts("alpha", &oa), *b = node_opts("beta", &ob);
    akt_behavior rb = tu_behavior(rec_receive);
    tu_spawn(b, &rb, NULL, "rec");
    akt_pid rec = remote_pid(a, b, "/user/rec");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, rec, tu_msg("echo", "hi"), &reply));
    akt_msg_release(reply);
    tu_events_init(&close_ev);
    akt_subscription *sub;
    TU_OK(akt_subscribe(a, AKT_EVENT_DEAD_LETTER, tu_events_cb, &close_ev, &sub));
    uint64_t fails_a = akt__remote_proto_failures(a, NULL, 0);
    static uint8_t big[16384];
    fill(big, sizeof big, 3);
    akt_msg *m;
    TU_OK(akt_msg_new_bytes("big", big, sizeof big, AKT_COPY, &m));
    akt_future *f = NULL;
    TU_OK(akt_ask(a, rec, m, TU_SEC(30), &f)); /* the ask took m */
    const char *reason = NULL;
    int rc = tu_wait(f, NULL);
    TU_OK(akt_future_failure(f, &reason, NULL));
    assert_non_null(reason);
    if (rc != AKT_EPROTO) fail_msg("ask failed with %s: '%s'", akt_err_name(rc), reason);
    if (!strstr(reason, "remote peer closed the connection") ||
        !strstr(reason, "over this node's message limit"))
        fail_msg("ask failed with '%s'", reason);
    TU_OK(akt_future_release(f));
    char why[240];
    TU_EVENTUALLY(akt__remote_proto_failures(a, why, sizeof why) > fails_a);
    assert_non_null(strstr(why, "over this node's message limit"));
    /* The connection comes back for what follows. */
    TU_OK(tu_ask(a, rec, tu_msg("echo", "again"), &reply));
    akt_msg_release(reply);
    TU_OK(akt_unsubscribe(sub));
    tu_events_destroy(&close_ev);
    tu_system_end(a);
    tu_system_end(b);
}
/* ack end */

static void test_bad_chunks_close_only_their_connection(void **state) {
    (void)state;
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.heartbeat_interval_ns = TU_MS(50);
    o.heartbeat_misses = 4;
    akt_system *a = node("alpha"), *b = node_opts("beta", &o);
    akt_behavior rb = tu_behavior(rec_receive);
    tu_spawn(b, &rb, NULL, "rec");
    akt_pid rec = remote_pid(a, b, "/user/rec");
    akt_msg *reply = NULL;
    TU_OK(tu_ask(a, rec, tu_msg("echo", "hi"), &reply));
    akt_msg_release(reply);
    uint16_t port = port_of(b);
    uint64_t fails = akt__remote_proto_failures(b, NULL, 0);
    uint8_t d[1000];
    memset(d, 1, sizeof d);
    /* Declaring more than the message limit: refused at the first chunk. */
    int fd = fake_client(port);
    put_chunk(fd, 1, AKT_REMOTE_DEFAULT_MAX_MESSAGE + 1, 0, d, sizeof d);
    expect_closed(b, fd, &fails, "over this node's message limit");
    /* Out of order, past the total, a changed total, a new frame before the first ends,
     * id 0, a first chunk not at 0, an empty chunk. */
    fd = fake_client(port);
    put_chunk(fd, 1, 5000, 0, d, sizeof d);
    put_chunk(fd, 1, 5000, 2000, d, sizeof d);
    expect_closed(b, fd, &fails, "out of order");
    fd = fake_client(port);
    put_chunk(fd, 1, 1500, 0, d, sizeof d);
    put_chunk(fd, 1, 1500, 1000, d, sizeof d);
    expect_closed(b, fd, &fails, "past its total");
    fd = fake_client(port);
    put_chunk(fd, 1, 5000, 0, d, sizeof d);
    put_chunk(fd, 1, 6000, 1000, d, sizeof d);
    expect_closed(b, fd, &fails, "total changed");
    fd = fake_client(port);
    put_chunk(fd, 1, 5000, 0, d, sizeof d);
    put_chunk(fd, 2, 5000, 0, d, sizeof d);
    expect_closed(b, fd, &fails, "before it was complete");
    fd = fake_client(port);
    put_chunk(fd, 0, 5000, 0, d, sizeof d);
    expect_closed(b, fd, &fails, "id 0");
    fd = fake_client(port);
    put_chunk(fd, 3, 5000, 1000, d, sizeof d);
    expect_closed(b, fd, &fails, "offset 0");
    fd = fake_client(port);
    put_chunk(fd, 3, 5000, 0, d, 0);
    expect_closed(b, fd, &fails, "empty chunk");
    /* A whole frame that is not a frame, and one that is a chunk itself. */
    fd = fake_client(port);
    put_chunk(fd, 4, sizeof d, 0, d, sizeof d);
    expect_closed(b, fd, &fails, "bad frame");
    {
        uint8_t inner[64];
        Akt__Remote__Chunk ch = AKT__REMOTE__CHUNK__INIT;
        ch.id = 9;
        ch.total = 1;
        ch.data.data = d;
        ch.data.len = 1;
        Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
        f.body_case = AKT__REMOTE__FRAME__BODY_CHUNK;
        f.chunk = &ch;
        size_t in = akt__remote__frame__pack(&f, inner);
        fd = fake_client(port);
        put_chunk(fd, 5, (uint32_t)in, 0, inner, in);
        expect_closed(b, fd, &fails, "bad frame");
    }
    /* Never finished: the first chunk, then only heartbeats (Pongs keep it alive). */
    fd = fake_client(port);
    put_chunk(fd, 6, 5000, 0, d, sizeof d);
    int64_t t0 = tu_now_ns();
    struct timeval tv = {0, 20000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (;;) { /* a Ping every 20 ms, what the node sends read and dropped, until EOF */
        Akt__Remote__Ping ping = AKT__REMOTE__PING__INIT;
        Akt__Remote__Frame pf = AKT__REMOTE__FRAME__INIT;
        pf.body_case = AKT__REMOTE__FRAME__BODY_PING;
        pf.ping = &ping;
        put_frame(fd, &pf);
        uint8_t junk[4096];
        ssize_t r = read(fd, junk, sizeof junk);
        if (r == 0 || tu_now_ns() - t0 > TU_SEC(8)) break;
    }
    close(fd);
    assert_true(tu_now_ns() - t0 < TU_SEC(8));
    char reason[240];
    TU_EVENTUALLY(akt__remote_proto_failures(b, reason, sizeof reason) > fails);
    assert_non_null(strstr(reason, "never finished"));
    /* A well-formed chunked Tell from a fake peer is delivered. */
    {
        uint8_t big[3000];
        fill(big, sizeof big, 7);
        Akt__Remote__Tell t = AKT__REMOTE__TELL__INIT;
        t.to = "/user/rec";
        t.type = "big";
        t.payload.data = big;
        t.payload.len = sizeof big;
        Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
        f.body_case = AKT__REMOTE__FRAME__BODY_TELL;
        f.tell = &t;
        size_t tn = akt__remote__frame__get_packed_size(&f);
        uint8_t *tb = malloc(tn);
        assert_non_null(tb);
        akt__remote__frame__pack(&f, tb);
        atomic_store(&big_ok, 0);
        fd = fake_client(port);
        for (size_t off = 0; off < tn; off += 700)
            put_chunk(fd, 11, (uint32_t)tn, (uint32_t)off, tb + off,
                      tn - off < 700 ? tn - off : 700);
        free(tb);
        TU_EVENTUALLY(atomic_load(&big_ok) != 0);
        assert_int_equal(atomic_load(&big_ok), (int)sizeof big);
        close(fd);
    }
    /* The real connection a -> b lived through all of it. */
    TU_OK(tu_ask(a, rec, tu_msg("echo", "still"), &reply));
    akt_msg_release(reply);
    tu_system_end(a);
    tu_system_end(b);
}

/* ---- a peer that stops reading ------------------------------------------------------ */

static atomic_int dead_full, dead_other;

static void dead_cb(const akt_event *ev, void *data) {
    (void)data;
    if (ev->kind != AKT_EVENT_DEAD_LETTER) return;
    if (ev->reason && strstr(ev->reason, "not reading"))
        atomic_fetch_add(&dead_full, 1);
    else
        atomic_fetch_add(&dead_other, 1);
}

/* A node "alpha" (no heartbeats, a 1 MB send buffer) counting its dead letters, whose
 * first tell of payload went to a fake peer that answered its Hello and then reads nothing. */
typedef struct stalled_peer {
    akt_system *a;
    akt_subscription *sub;
    akt_pid sink;
    int ls, fd; /* the peer's listening socket and its end of the connection */
} stalled_peer;

static stalled_peer stall_a_peer(const uint8_t *payload, size_t len) {
    stalled_peer p;
    char addr[160];
    fake_listen(&p.ls, "/user/sink", addr, sizeof addr);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.heartbeat_interval_ns = -1;
    o.send_buffer_bytes = 1u << 20;
    p.a = node_opts("alpha", &o);
    atomic_store(&dead_full, 0);
    atomic_store(&dead_other, 0);
    TU_OK(akt_subscribe(p.a, AKT_EVENT_DEAD_LETTER, dead_cb, NULL, &p.sub));
    TU_OK(akt_remote_lookup(p.a, addr, &p.sink));
    akt_msg *m;
    TU_OK(akt_msg_new_bytes("x", payload, len, AKT_BORROW, &m));
    TU_OK(akt_tell(p.a, p.sink, m));
    p.fd = fake_accept(p.ls); /* and then it reads nothing */
    return p;
}

/* Tells payload to p's sink until the node refuses one (at most 20000): how many it
 * accepted; *rc gets the last akt_tell's code. */
static int tell_until_refused(const stalled_peer *p, const uint8_t *payload, size_t len, int *rc) {
    int accepted = 0;
    *rc = 0;
    for (int i = 0; i < 20000 && *rc != AKT_EFULL; i++) {
        akt_msg *m;
        TU_OK(akt_msg_new_bytes("x", payload, len, AKT_BORROW, &m));
        *rc = akt_tell(p->a, p->sink, m);
        if (*rc == 0)
            accepted++;
        else
            akt_msg_release(m); /* refused: the caller keeps it */
        if (i % 32 == 31) tu_sleep_ms(1);
    }
    return accepted;
}

static void test_a_peer_that_stops_reading_is_bounded(void **state) {
    (void)state;
    static uint8_t payload[32 * 1024]; /* under the chunk size: whole Tells */
    fill(payload, sizeof payload, 3);
    stalled_peer p = stall_a_peer(payload, sizeof payload);
    akt_system *a = p.a;
    akt_pid sink = p.sink;
    int fd = p.fd, rc;
    akt_msg *m;
    int accepted = 1 + tell_until_refused(&p, payload, sizeof payload, &rc);
    TU_RC(AKT_EFULL, rc);
    printf("peer not reading: %d accepted, %d dead letters (send buffer full) before "
           "akt_tell refused\n",
           accepted, atomic_load(&dead_full));
    /* At most cap + the socket's buffers + what was in flight: a few MB, not the 1.3 GB
     * that 20000 tells would be. */
    assert_true(accepted < 1000);
    /* The peer reads again: everything accepted was read or is a dead letter. */
    int read = 0;
    while (read + atomic_load(&dead_full) < accepted) {
        Akt__Remote__Frame *f = get_frame(fd);
        assert_non_null(f);
        assert_int_equal(f->body_case, AKT__REMOTE__FRAME__BODY_TELL);
        assert_int_equal(f->tell->payload.len, sizeof payload);
        read++;
        akt__remote__frame__free_unpacked(f, NULL);
    }
    assert_int_equal(read + atomic_load(&dead_full), accepted);
    assert_int_equal(atomic_load(&dead_other), 0);
    /* Drained: accepted again. */
    TU_EVENTUALLY((akt_msg_new_bytes("x", payload, 8, AKT_BORROW, &m) == 0 &&
                   ((rc = akt_tell(a, sink, m)) == 0 || (akt_msg_release(m), 0))));
    Akt__Remote__Frame *f = get_frame(fd);
    assert_non_null(f);
    assert_int_equal(f->tell->payload.len, 8);
    akt__remote__frame__free_unpacked(f, NULL);
    TU_OK(akt_unsubscribe(p.sub));
    close(fd);
    close(p.ls);
    tu_system_end(a);
}

/* A peer that resets its connection while this node has writes queued to it (it read
 * nothing, then closed with SO_LINGER 0) kills nothing: with SIGPIPE at its default, as a C
 * program has it, the writes after the reset fail on the I/O thread (EPIPE), the connection
 * ends as a lost one, and what was accepted and not written becomes dead letters. */
static void test_a_reset_mid_write_is_no_sigpipe(void **state) {
    (void)state;
    static uint8_t payload[32 * 1024];
    fill(payload, sizeof payload, 5);
    stalled_peer p = stall_a_peer(payload, sizeof payload);
    signal(SIGPIPE, SIG_DFL); /* from here on, a SIGPIPE would end this process */
    int rc;
    tell_until_refused(&p, payload, sizeof payload, &rc);
    TU_RC(AKT_EFULL, rc); /* the node has writes queued */
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    setsockopt(p.fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    close(p.fd);
    /* Tells go on while the node finds the reset: the lost connection's dead letters. */
    for (int i = 0; i < 200; i++) {
        akt_msg *m;
        TU_OK(akt_msg_new_bytes("x", payload, 64, AKT_BORROW, &m));
        if (akt_tell(p.a, p.sink, m) != 0) akt_msg_release(m);
        tu_sleep_ms(1);
    }
    TU_EVENTUALLY(atomic_load(&dead_other) > 0);
    signal(SIGPIPE, SIG_IGN);
    TU_OK(akt_unsubscribe(p.sub));
    close(p.ls);
    tu_system_end(p.a);
}

/* ---- refused at akt_tell: a message that cannot cross ------------------------------ */

static void obj_release(void *object, void *data) {
    (void)data;
    (void)object;
}

static int obj_to_bytes(void *object, void *data, void **out, size_t *len, akt_free_fn *free_fn) {
    (void)data;
    *out = object;
    *len = strlen(object);
    *free_fn = AKT_BORROW;
    return 0;
}

static const akt_object_ops opaque_ops = {.size = sizeof(akt_object_ops), .release = obj_release};
static const akt_object_ops bytes_ops = {
    .size = sizeof(akt_object_ops), .release = obj_release, .to_bytes = obj_to_bytes};

static void test_unserializable_is_refused_at_tell(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior rb = tu_behavior(rec_receive);
    tu_spawn(b, &rb, NULL, "rec");
    akt_pid rec = remote_pid(a, b, "/user/rec");
    static tu_events eva;
    tu_events_init(&eva);
    akt_subscription *sub;
    TU_OK(akt_subscribe(a, AKT_EVENT_DEAD_LETTER, tu_events_cb, &eva, &sub));
    static char text[] = "abc";
    akt_msg *m, *ms[2];
    /* No serializer, no bytes: refused by akt_tell, akt_ask and akt_tell_batch; the caller
     * keeps the message, and no dead letter is made. */
    TU_OK(akt_msg_new_object("opaque.Thing", text, &opaque_ops, &m));
    TU_RC(AKT_ENOTSUP, akt_tell(a, rec, m));
    akt_future *f = NULL;
    TU_RC(AKT_ENOTSUP, akt_ask(a, rec, m, TU_SEC(5), &f));
    TU_OK(akt_msg_new_object("opaque.Thing", text, &bytes_ops, &ms[0]));
    ms[1] = m;
    TU_RC(AKT_ENOTSUP, akt_tell_batch(a, rec, ms, 2));
    akt_msg_release(ms[0]);
    /* The same message to a local actor is fine: only crossing needs bytes. */
    akt_pid local = tu_spawn(a, &rb, NULL, "local");
    TU_OK(akt_tell(a, local, m));
    /* With to_bytes it crosses; with a serializer bound to its type the serializer decides
     * on the I/O thread (json cannot encode it: a dead letter there, as before). */
    TU_OK(akt_msg_new_object("opaque.Thing", text, &bytes_ops, &m));
    atomic_store(&small_count, 0);
    TU_OK(akt_tell(a, rec, m));
    akt_msg *reply;
    TU_OK(tu_ask(a, rec, tu_msg("echo", "after"), &reply));
    akt_msg_release(reply);
    TU_OK(akt_serializer_bind(a, "opaque.Other", AKT_SERIALIZER_JSON));
    TU_OK(akt_msg_new_object("opaque.Other", text, &opaque_ops, &m));
    TU_OK(akt_tell(a, rec, m));
    TU_EVENTUALLY(tu_events_count(&eva, AKT_EVENT_DEAD_LETTER, (akt_pid){0}) >= 1);
    tu_ev ev;
    assert_true(tu_events_find(&eva, AKT_EVENT_DEAD_LETTER, (akt_pid){0}, &ev));
    assert_string_equal(ev.type, "opaque.Other");
    assert_int_equal(tu_events_count(&eva, AKT_EVENT_DEAD_LETTER, (akt_pid){0}), 1);
    TU_OK(akt_unsubscribe(sub));
    tu_system_end(a);
    tu_system_end(b);
    tu_events_destroy(&eva);
}

/* ---- compression contexts kept per connection -------------------------------------- */

static void test_compression_contexts_are_reused(void **state) {
    (void)state;
    static const int methods[] = {AKT_REMOTE_COMPRESS_ZSTD, AKT_REMOTE_COMPRESS_GZIP,
                                  AKT_REMOTE_COMPRESS_BROTLI};
    static char in[20000];
    static uint8_t back[20001];
    for (size_t m = 0; m < 3; m++) {
        akt__zctx tx = {0}, rx = {0};
        for (unsigned i = 0; i < 50; i++) {
            size_t n = 600 + i * 300;
            for (size_t j = 0; j < n; j++)
                in[j] = "compressible text, frame after frame "[(j + i) % 37];
            const uint8_t *z;
            size_t zn;
            TU_OK(akt__zctx_compress(&tx, methods[m], (const uint8_t *)in, n, &z, &zn));
            assert_true(zn < n / 2);
            /* The same bytes as the one-shot codec decodes, and vice versa. */
            TU_OK(akt__decompress(methods[m], z, zn, back, n));
            assert_memory_equal(back, in, n);
            TU_RC(AKT_EPROTO, akt__zctx_decompress(&rx, methods[m], z, zn, back, n + 1));
            TU_RC(AKT_EPROTO, akt__zctx_decompress(&rx, methods[m], z, zn / 2, back, n));
            TU_OK(akt__zctx_decompress(&rx, methods[m], z, zn, back, n)); /* after failures */
            assert_memory_equal(back, in, n);
        }
        if (methods[m] != AKT_REMOTE_COMPRESS_BROTLI) { /* made once, kept */
            assert_true(tx.scratch_cap > 0);
            assert_true(tx.zc || tx.def);
            assert_true(rx.zd || rx.inf);
        }
        akt__zctx_free(&tx);
        akt__zctx_free(&rx);
    }
}

/* ---- reverse proxies are capped ---------------------------------------------------- */

static akt_pid pong_target; /* b's responder, as a's pid */
static atomic_int pongs;

/* On a: "go" tells b's responder a "ping" with this actor as the sender; counts "pong"s. */
static int pinger_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "go")) {
        akt_ctx_tell(ctx, pong_target, tu_msg("ping", "x"));
    } else if (tu_is(msg, "pong")) {
        atomic_fetch_add(&pongs, 1);
    }
    return 0;
}

/* On b: answers a ping to its sender (a reverse proxy of the remote actor). */
static int ponger_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "ping")) akt_ctx_respond(ctx, tu_msg("pong", "y"));
    return 0;
}

static void test_reverse_proxies_are_capped(void **state) {
    (void)state;
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.heartbeat_interval_ns = -1;
    o.max_reverse_proxies = 3;
    akt_system *a = node("alpha"), *b = node_opts("beta", &o);
    akt_behavior pb = tu_behavior(ponger_receive), ib = tu_behavior(pinger_receive);
    tu_spawn(b, &pb, NULL, "ponger");
    pong_target = remote_pid(a, b, "/user/ponger");
    enum { SENDERS = 10 };
    akt_pid senders[SENDERS];
    for (int i = 0; i < SENDERS; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        senders[i] = tu_spawn(a, &ib, NULL, name);
    }
    atomic_store(&pongs, 0);
    /* Ten remote senders, one after the other: at most 3 (+1 cached by the connection) are
     * kept on b, and every one of them still gets its answer. */
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < SENDERS; i++) {
            int want = atomic_load(&pongs) + 1;
            TU_OK(akt_tell(a, senders[i], tu_msg("go", "")));
            TU_EVENTUALLY(atomic_load(&pongs) == want);
            assert_true(akt__remote_reverse_count(b) <= 4);
        }
    printf("reverse proxies on the receiving node after %d remote senders: %u (cap 3)\n", SENDERS,
           akt__remote_reverse_count(b));
    assert_true(akt__remote_reverse_count(b) >= 3);
    /* A pid the user looked up is never evicted, nor counted. */
    char addr[256], full[300];
    TU_OK(akt_remote_address(a, addr, sizeof addr, NULL));
    snprintf(full, sizeof full, "%s/user/s9", addr);
    akt_pid pinned;
    TU_OK(akt_remote_lookup(b, full, &pinned));
    uint32_t left = akt__remote_reverse_count(b);
    for (int i = 0; i < SENDERS; i++) {
        int want = atomic_load(&pongs) + 1;
        TU_OK(akt_tell(a, senders[i], tu_msg("go", "")));
        TU_EVENTUALLY(atomic_load(&pongs) == want);
    }
    assert_true(left <= 3);
    TU_OK(akt_tell(b, pinned, tu_msg("pong", "direct"))); /* still alive */
    TU_EVENTUALLY(atomic_load(&pongs) == 3 * SENDERS + 1);
    tu_system_end(a);
    tu_system_end(b);
}

/* remjava begin: an evicted reverse proxy is dead, and its sender's next message makes a
 * new one (remote.h, max_reverse_proxies). */
static akt_pid kept[4];        /* b's pid of each remote sender, as the keeper saw it first */
static char kept_path[4][300]; /* and its path then */
static atomic_int kept_n;

/* On b: keeps the sender of its first ping of each round, answers every ping. */
static int keeper_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    if (tu_is(msg, "ping")) {
        int i = atomic_load(&kept_n);
        akt_system *sys = NULL;
        if (i < 4 && akt_ctx_sender(ctx, &kept[i]) == 0 && akt_ctx_system(ctx, &sys) == 0)
            (void)akt_pid_path(sys, kept[i], kept_path[i], sizeof kept_path[i], NULL);
        atomic_fetch_add(&kept_n, 1);
        akt_ctx_respond(ctx, tu_msg("pong", "y"));
    }
    return 0;
}

static void test_an_evicted_reverse_proxy_is_dead(void **state) {
    (void)state;
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.heartbeat_interval_ns = -1;
    o.max_reverse_proxies = 1;
    akt_system *a = node("alpha"), *b = node_opts("beta", &o);
    akt_behavior kb = tu_behavior(keeper_receive), ib = tu_behavior(pinger_receive);
    tu_spawn(b, &kb, NULL, "keeper");
    pong_target = remote_pid(a, b, "/user/keeper");
    akt_pid s0 = tu_spawn(a, &ib, NULL, "e0"), s1 = tu_spawn(a, &ib, NULL, "e1"),
            s2 = tu_spawn(a, &ib, NULL, "e2");
    atomic_store(&pongs, 0);
    atomic_store(&kept_n, 0);
    /* e0, then e1 and e2: with a cap of 1 (+1 cached by the connection), e0's proxy goes. */
    akt_pid order[3] = {s0, s1, s2};
    for (int i = 0; i < 3; i++) {
        TU_OK(akt_tell(a, order[i], tu_msg("go", "")));
        TU_EVENTUALLY(atomic_load(&pongs) == i + 1);
    }
    akt_pid old = kept[0];
    assert_non_null(strstr(kept_path[0], "/user/e0"));
    /* The pid the keeper kept is dead as a stopped actor's: a tell to it is AKT_ENOTFOUND
     * (at once or, as the stop is the kernel's, once it ran), and nothing reaches e0. */
    TU_EVENTUALLY(akt_tell(b, old, tu_msg("pong", "stale")) == AKT_ENOTFOUND);
    assert_true(akt__remote_reverse_count(b) <= 2);
    /* e0's next message makes a new proxy: another pid, and the answer reaches e0. */
    int before = atomic_load(&pongs);
    atomic_store(&kept_n, 3);
    TU_OK(akt_tell(a, s0, tu_msg("go", "")));
    TU_EVENTUALLY(atomic_load(&pongs) >= before + 1);
    assert_int_not_equal(kept[3].id, old.id);
    assert_string_equal(kept_path[3], kept_path[0]);
    tu_system_end(a);
    tu_system_end(b);
}
/* remjava end */

int main(void) {
    signal(SIGPIPE, SIG_IGN); /* writes to a connection the node closed */
    const struct CMUnitTest tests[] = {
        TU_TEST(test_large_messages_cross_both_ways_in_chunks),
        TU_TEST(test_chunk_options_are_checked),
        TU_TEST(test_small_tells_pass_a_large_one),
        TU_TEST(test_bad_chunks_close_only_their_connection),
        TU_TEST(test_a_peer_that_stops_reading_is_bounded),
        TU_TEST(test_a_reset_mid_write_is_no_sigpipe),
        TU_TEST(test_unserializable_is_refused_at_tell),
        TU_TEST(test_compression_contexts_are_reused),
        TU_TEST(test_reverse_proxies_are_capped),
        TU_TEST(test_an_evicted_reverse_proxy_is_dead),  /* remjava */
        TU_TEST(test_protocol_close_tells_the_peer_why), /* ack */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
