/* Serializers (core/serial/): each built-in's round trips and its refusals of malformed
 * input (white-box, through the registry's encode and decode), custom serializers and the
 * registry's rules, then two systems in one process over 127.0.0.1 where each serializer
 * crosses, an unserializable message is refused on the sender and an undecodable one is a
 * dead letter on the receiver. */
#include "tu_remote.h"

#include <akt/remote.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/remote.pb-c.h"
#include "serial/serial.h"

static akt_msg *bytes_msg(const char *type, const void *data, size_t len) {
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes(type, data, len, AKT_COPY, &m));
    return m;
}

static akt_msg *text_msg(const char *type, const char *text) {
    return bytes_msg(type, text, strlen(text));
}

/* The bytes of m as a NUL-terminated string (for JSON text). */
static void text_of(akt_msg *m, char *buf, size_t cap) {
    const void *d;
    size_t n;
    TU_OK(akt_msg_bytes(m, &d, &n));
    assert_true(n < cap);
    memcpy(buf, d, n);
    buf[n] = 0;
}

/* Encodes msg (taken) with r and decodes the result back: the decoded message. */
static akt_msg *round_trip(akt__serial *r, akt_msg *msg, const char *want_name) {
    akt__serial_out out;
    char why[400];
    TU_OK(akt__serial_encode(r, msg, &out, why, sizeof why));
    assert_string_equal(out.name, want_name);
    akt_msg *back = NULL;
    TU_OK(akt__serial_decode(r, out.name, akt_msg_type(msg), out.data, out.len, &back, why,
                             sizeof why));
    akt__serial_done(&out);
    akt_msg_release(msg);
    return back;
}

/* decode with serializer name must fail with want, and why must name what went wrong. */
static void decode_fails(akt__serial *r, const char *name, const char *type, const void *data,
                         size_t len, int want, const char *why_part) {
    akt_msg *m = NULL;
    char why[400] = "";
    TU_RC(want, akt__serial_decode(r, name, type, data, len, &m, why, sizeof why));
    assert_null(m);
    if (!strstr(why, why_part)) fail_msg("reason '%s' lacks '%s'", why, why_part);
}

static void test_json_round_trips(void **state) {
    (void)state;
    akt_system *s = tu_system("ser", 1);
    akt__serial *r = akt__serial_of(s, 1);
    assert_non_null(r);
    TU_OK(akt_serializer_bind(s, AKT_TYPE_JSON, AKT_SERIALIZER_JSON));
    TU_OK(akt_serializer_bind(s, "shop.Order", AKT_SERIALIZER_JSON));
    char buf[256];
    akt_msg *m = round_trip(
        r, text_msg(AKT_TYPE_JSON, " {\"a\" : [1, 2.5, null, true, \"\xc3\xa9\"], \"b\": {}} "),
        "json");
    text_of(m, buf, sizeof buf);
    assert_string_equal(buf, "{\"a\":[1,2.5,null,true,\"\xc3\xa9\"],\"b\":{}}");
    assert_string_equal(akt_msg_type(m), AKT_TYPE_JSON);
    akt_msg_release(m);
    m = round_trip(r, text_msg("shop.Order", "[\"x\", -7]"), "json");
    text_of(m, buf, sizeof buf);
    assert_string_equal(buf, "[\"x\",-7]");
    assert_string_equal(akt_msg_type(m), "shop.Order");
    akt_msg_release(m);
    /* Scalars bound to JSON cross as their JSON value and come back canonical. */
    const uint8_t i64[8] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}; /* -2 */
    TU_OK(akt_serializer_bind(s, AKT_TYPE_INT64, AKT_SERIALIZER_JSON));
    akt__serial_out out;
    char why[400];
    akt_msg *im = bytes_msg(AKT_TYPE_INT64, i64, 8);
    TU_OK(akt__serial_encode(r, im, &out, why, sizeof why));
    assert_int_equal(out.len, 2);
    assert_memory_equal(out.data, "-2", 2);
    akt__serial_done(&out);
    m = round_trip(r, im, "json");
    const void *d;
    size_t n;
    TU_OK(akt_msg_bytes(m, &d, &n));
    assert_int_equal(n, 8);
    assert_memory_equal(d, i64, 8);
    akt_msg_release(m);
    /* akt.Bytes has no JSON form: refused with a reason, nothing encoded. */
    TU_OK(akt_serializer_bind(s, AKT_TYPE_BYTES, AKT_SERIALIZER_JSON));
    akt_msg *bm = bytes_msg(AKT_TYPE_BYTES, "\x01", 1);
    TU_RC(AKT_ENOTSUP, akt__serial_encode(r, bm, &out, why, sizeof why));
    assert_non_null(strstr(why, "no JSON form"));
    akt_msg_release(bm);
    tu_system_end(s);
}

static void test_json_malformed(void **state) {
    (void)state;
    akt_system *s = tu_system("ser", 1);
    akt__serial *r = akt__serial_of(s, 1);
    TU_OK(akt_serializer_bind(s, "t", AKT_SERIALIZER_JSON));
    const char *bad[] = {"{bad", "[1,]", "01", "[1] x", "", "{\"a\":1,\"a\":2}", "\xff", "1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        decode_fails(r, "json", "t", bad[i], strlen(bad[i]), AKT_EINVAL, "not JSON");
        akt__serial_out out;
        char why[400];
        akt_msg *m = text_msg("t", bad[i]);
        TU_RC(AKT_EINVAL, akt__serial_encode(r, m, &out, why, sizeof why));
        assert_non_null(strstr(why, "serializer json could not encode"));
        akt_msg_release(m);
    }
    /* A scalar type whose JSON value is of another kind. */
    decode_fails(r, "json", AKT_TYPE_INT64, "\"x\"", 3, AKT_EINVAL, "not an integer");
    decode_fails(r, "json", AKT_TYPE_BOOL, "1", 1, AKT_EINVAL, "not a boolean");
    tu_system_end(s);
}

static void test_cbor_round_trips_and_vectors(void **state) {
    (void)state;
    akt_system *s = tu_system("ser", 1);
    akt__serial *r = akt__serial_of(s, 1);
    TU_OK(akt_serializer_bind(s, AKT_TYPE_JSON, AKT_SERIALIZER_CBOR));
    TU_OK(akt_serializer_bind(s, AKT_TYPE_BYTES, AKT_SERIALIZER_CBOR));
    /* RFC 8949 appendix A forms: {"a": 1, "b": [2, 3]} with the shortest integer heads. */
    akt__serial_out out;
    char why[400], buf[512];
    akt_msg *m = text_msg(AKT_TYPE_JSON, "{\"a\":1,\"b\":[2,3]}");
    TU_OK(akt__serial_encode(r, m, &out, why, sizeof why));
    const uint8_t want[] = {0xa2, 0x61, 0x61, 0x01, 0x61, 0x62, 0x82, 0x02, 0x03};
    assert_int_equal(out.len, sizeof want);
    assert_memory_equal(out.data, want, sizeof want);
    akt__serial_done(&out);
    akt_msg_release(m);
    const char *docs[] = {"{\"a\":[1,2.5,null,true,false,\"\xc3\xa9\"],\"b\":{},\"c\":-1000000}",
                          "[]",
                          "\"\"",
                          "9223372036854775807",
                          "-9223372036854775808",
                          "0.1",
                          "{\"k\":\"v\\u0000w\"}"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        akt_msg *back = round_trip(r, text_msg(AKT_TYPE_JSON, docs[i]), "cbor");
        text_of(back, buf, sizeof buf);
        if (i == 5)
            assert_string_equal(buf, "0.10000000000000001"); /* jansson's 17 digits, same double */
        else if (i == 6)
            assert_string_equal(buf, "{\"k\":\"v\\u0000w\"}");
        else
            assert_string_equal(buf, docs[i]);
        akt_msg_release(back);
    }
    /* akt.Bytes: a byte string, any content. */
    akt_msg *back = round_trip(r, bytes_msg(AKT_TYPE_BYTES, "\x00\xff\x10", 3), "cbor");
    const void *d;
    size_t n;
    TU_OK(akt_msg_bytes(back, &d, &n));
    assert_int_equal(n, 3);
    assert_memory_equal(d, "\x00\xff\x10", 3);
    akt_msg_release(back);
    /* What another encoder may send: a half float, an indefinite text string and array,
     * a 4-byte integer head for a small value. */
    const uint8_t other[] = {0xa2, 0x61, 0x68, 0xf9, 0x3e, 0x00,              /* "h": 1.5 */
                             0x7f, 0x61, 0x69, 0x62, 0x6e, 0x64, 0xff,        /* "ind" */
                             0x9f, 0x1a, 0x00, 0x00, 0x00, 0x05, 0xf6, 0xff}; /* [5, null] */
    akt_msg *got = NULL;
    TU_OK(akt__serial_decode(r, "cbor", AKT_TYPE_JSON, other, sizeof other, &got, why, sizeof why));
    text_of(got, buf, sizeof buf);
    assert_string_equal(buf, "{\"h\":1.5,\"ind\":[5,null]}");
    akt_msg_release(got);
    tu_system_end(s);
}

static void test_cbor_malformed(void **state) {
    (void)state;
    akt_system *s = tu_system("ser", 1);
    akt__serial *r = akt__serial_of(s, 1);
    static const struct {
        const char *bytes;
        size_t len;
        const char *why;
    } bad[] = {
        {"", 0, "well-formed"},
        {"\x82\x01", 2, "well-formed"},                                  /* truncated */
        {"\x01\x02", 2, "well-formed"},                                  /* trailing */
        {"\x9b\x00\xff\xff\xff\xff\xff\xff\xff", 9, "well-formed"},      /* a huge claim */
        {"\xbb\x00\x00\x00\x01\x00\x00\x00\x00\x01", 10, "well-formed"}, /* map claim */
        {"\x5a\xff\xff\xff\xff", 5, "well-formed"},
        {"\x1c", 1, "well-formed"},               /* reserved head */
        {"\xff", 1, "well-formed"},               /* a break alone */
        {"\x7f\x41\x61\xff", 4, "well-formed"},   /* a byte chunk in a text string */
        {"\xc1\x01", 2, "tag"},                   /* a tag */
        {"\x81\x41\x61", 3, "byte string"},       /* bytes inside a tree */
        {"\xa1\x01\x02", 3, "not a text string"}, /* an integer key */
        {"\xa2\x61\x61\x01\x61\x61\x02", 7, "duplicate"},
        {"\xa1\x61\x00\x01", 4, "NUL"}, /* found by fuzz_cbor */
        {"\x62\xc3\x28", 3, "UTF-8"},   /* refused by libcbor itself */
        {"\x1b\x80\x00\x00\x00\x00\x00\x00\x00", 9, "beyond"},
        {"\xf7", 1, "simple value"},       /* undefined */
        {"\xf9\x7c\x00", 3, "non-finite"}, /* +inf */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        decode_fails(r, "cbor", AKT_TYPE_JSON, bad[i].bytes, bad[i].len, AKT_EINVAL, bad[i].why);
    /* Nesting deeper than the scan allows: refused before libcbor builds it. */
    uint8_t deep[400];
    memset(deep, 0x81, sizeof deep - 1);
    deep[sizeof deep - 1] = 0x01;
    decode_fails(r, "cbor", AKT_TYPE_JSON, deep, sizeof deep, AKT_EINVAL, "well-formed");
    /* A scalar type with a value of another kind. */
    decode_fails(r, "cbor", AKT_TYPE_STRING, "\x01", 1, AKT_EINVAL, "not a string");
    decode_fails(r, "cbor", AKT_TYPE_BYTES, "\x01", 1, AKT_EINVAL, "not a CBOR byte string");
    tu_system_end(s);
}

static void test_protobuf(void **state) {
    (void)state;
    akt_system *s = tu_system("ser", 1);
    akt__serial *r = akt__serial_of(s, 1);
    const ProtobufCMessageDescriptor *pd = &akt__remote__failure__descriptor;
    TU_OK(akt_serializer_protobuf(s, pd));
    const char *name = NULL;
    TU_OK(akt_serializer_for(s, "akt.remote.Failure", &name));
    assert_string_equal(name, "protobuf");
    Akt__Remote__Failure fl = AKT__REMOTE__FAILURE__INIT;
    fl.code = -19;
    fl.reason = "gone";
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_protobuf(&fl.base, &m));
    assert_string_equal(akt_msg_type(m), "akt.remote.Failure");
    akt_msg *back = round_trip(r, m, "protobuf");
    ProtobufCMessage *u = NULL;
    TU_OK(akt_msg_protobuf(back, pd, &u));
    Akt__Remote__Failure *f2 = (Akt__Remote__Failure *)u;
    assert_int_equal(f2->code, -19);
    assert_string_equal(f2->reason, "gone");
    protobuf_c_message_free_unpacked(u, NULL);
    TU_RC(AKT_ETYPE, akt_msg_protobuf(back, &akt__remote__bye__descriptor, &u));
    akt_msg_release(back);
    /* Bytes that are not a Failure: refused on both ends. */
    const uint8_t junk[] = {0x12, 0x05, 'a'}; /* a string field running past the end */
    decode_fails(r, "protobuf", "akt.remote.Failure", junk, sizeof junk, AKT_EINVAL,
                 "not a valid akt.remote.Failure");
    akt_msg *jm = bytes_msg("akt.remote.Failure", junk, sizeof junk);
    akt__serial_out out;
    char why[400];
    TU_RC(AKT_EINVAL, akt__serial_encode(r, jm, &out, why, sizeof why));
    TU_RC(AKT_EINVAL, akt_msg_protobuf(jm, pd, &u));
    akt_msg_release(jm);
    /* A type with no descriptor crosses unchecked, as its bytes. */
    TU_OK(akt_serializer_bind(s, "other.Proto", AKT_SERIALIZER_PROTOBUF));
    back = round_trip(r, bytes_msg("other.Proto", junk, sizeof junk), "protobuf");
    akt_msg_release(back);
    TU_RC(AKT_EINVAL, akt_serializer_protobuf(s, (const void *)&fl));
    tu_system_end(s);
}

/* A custom serializer: "pt" messages are "x,y" text, sent as two bytes. */
static int pt_encode(akt_msg *msg, void *data, void **bytes, size_t *len, akt_free_fn *free_fn) {
    (void)data;
    const void *d;
    size_t n;
    int rc = akt_msg_bytes(msg, &d, &n);
    if (rc) return rc;
    unsigned x, y;
    char text[32];
    if (n >= sizeof text) return AKT_EINVAL;
    memcpy(text, d, n);
    text[n] = 0;
    if (sscanf(text, "%u,%u", &x, &y) != 2 || x > 255 || y > 255) return AKT_EINVAL;
    uint8_t *b = malloc(2);
    if (!b) return AKT_ENOMEM;
    b[0] = (uint8_t)x;
    b[1] = (uint8_t)y;
    *bytes = b;
    *len = 2;
    *free_fn = free;
    return 0;
}

static int pt_decode(const char *type, const void *bytes, size_t len, void *data, akt_msg **out) {
    (void)data;
    if (len != 2) return AKT_EINVAL;
    const uint8_t *b = bytes;
    char text[16];
    int n = snprintf(text, sizeof text, "%u,%u", b[0], b[1]);
    return akt_msg_new_bytes(type, text, (size_t)n, AKT_COPY, out);
}

static int pt_freed;
static void pt_free(void *data) { pt_freed += *(int *)data; }

static const akt_serializer pt_serializer = {
    .size = sizeof(akt_serializer),
    .name = "point",
    .encode = pt_encode,
    .decode = pt_decode,
};

static void test_custom_and_registry_rules(void **state) {
    (void)state;
    static int one = 1;
    pt_freed = 0;
    akt_system *s = tu_system("ser", 1);
    akt__serial *r = akt__serial_of(s, 1);
    akt_serializer pt = pt_serializer;
    pt.free = pt_free;
    pt.data = &one;
    TU_OK(akt_serializer_register(s, &pt));
    TU_RC(AKT_EEXIST, akt_serializer_register(s, &pt));
    akt_serializer bad = pt;
    bad.name = "json";
    TU_RC(AKT_EEXIST, akt_serializer_register(s, &bad));
    const char *names[] = {"", "a b", "x/y",
                           "0123456789012345678901234567890123456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        bad.name = names[i];
        TU_RC(AKT_EINVAL, akt_serializer_register(s, &bad));
    }
    bad = pt;
    bad.encode = NULL;
    TU_RC(AKT_EINVAL, akt_serializer_register(s, &bad));
    TU_RC(AKT_ENOTFOUND, akt_serializer_bind(s, "pt", "nobody"));
    TU_OK(akt_serializer_bind(s, "pt", "point"));
    akt_msg *back = round_trip(r, text_msg("pt", "3,250"), "point");
    char buf[32];
    text_of(back, buf, sizeof buf);
    assert_string_equal(buf, "3,250");
    akt_msg_release(back);
    akt__serial_out out;
    char why[400];
    akt_msg *m = text_msg("pt", "300,1");
    TU_RC(AKT_EINVAL, akt__serial_encode(r, m, &out, why, sizeof why));
    assert_non_null(strstr(why, "serializer point could not encode a message of type pt"));
    akt_msg_release(m);
    decode_fails(r, "point", "pt", "\x01", 1, AKT_EINVAL, "serializer point could not decode");
    decode_fails(r, "nobody", "pt", "\x01", 1, AKT_ENOTSUP, "no serializer named nobody");
    /* The default applies to other types, never to the canonical names. */
    const char *name = "x";
    TU_OK(akt_serializer_for(s, "shop.Cart", &name));
    assert_null(name);
    TU_OK(akt_serializer_bind(s, NULL, AKT_SERIALIZER_CBOR));
    TU_OK(akt_serializer_for(s, "shop.Cart", &name));
    assert_string_equal(name, "cbor");
    TU_OK(akt_serializer_for(s, AKT_TYPE_JSON, &name));
    assert_null(name);
    TU_OK(akt_serializer_for(s, "akt.remote.Spawn", &name)); /* akt's own names: never */
    assert_null(name);
    TU_OK(akt_serializer_for(s, "pt", &name));
    assert_string_equal(name, "point");
    TU_OK(akt_serializer_bind(s, "pt", NULL)); /* unbound: the default now */
    TU_OK(akt_serializer_for(s, "pt", &name));
    assert_string_equal(name, "cbor");
    TU_OK(akt_serializer_bind(s, NULL, NULL));
    TU_OK(akt_serializer_for(s, "pt", &name));
    assert_null(name);
    tu_system_end(s);
    assert_int_equal(pt_freed, 1); /* free ran once, with the system */
}

/* ---- two nodes ------------------------------------------------------------------------ */

static akt_system *node(const char *name) {
    akt_system *s = tu_system(name, 2);
    TU_OK(akt_remote_start(s, NULL));
    return s;
}

/* Answers every message with itself. */
static int mirror_receive(akt_ctx *ctx, akt_msg *msg, void *st) {
    (void)st;
    akt_msg_retain(msg);
    int rc = akt_ctx_respond(ctx, msg);
    if (rc) akt_msg_release(msg);
    return rc;
}

static void obj_release(void *object, void *data) {
    (void)data;
    free(object);
}

static const akt_object_ops opaque_ops = {.size = sizeof(akt_object_ops), .release = obj_release};

/* Asks the mirror with msg (taken): the reply's code, and its bytes into buf. */
static int ask_mirror(akt_system *a, akt_pid mirror, akt_msg *msg, char *buf, size_t cap,
                      const char **why, akt_future **keep) {
    akt_future *f;
    TU_OK(akt_ask(a, mirror, msg, TU_SEC(10), &f));
    akt_msg *reply = NULL;
    int rc = tu_wait(f, &reply);
    buf[0] = 0;
    if (rc == 0) {
        text_of(reply, buf, cap);
        akt_msg_release(reply);
        TU_OK(akt_future_release(f));
    } else {
        TU_OK(akt_future_failure(f, why, NULL));
        *keep = f;
    }
    return rc;
}

static void test_each_serializer_crosses(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior mb = tu_behavior(mirror_receive);
    tu_spawn(b, &mb, NULL, "mirror");
    akt_pid mirror = tu_remote_pid(a, b, "/user/mirror");
    static tu_events eva, evb;
    tu_events_init(&eva);
    tu_events_init(&evb);
    akt_subscription *sa, *sb;
    TU_OK(akt_subscribe(a, AKT_EVENT_DEAD_LETTER, tu_events_cb, &eva, &sa));
    TU_OK(akt_subscribe(b, AKT_EVENT_DEAD_LETTER, tu_events_cb, &evb, &sb));
    akt_system *both[] = {a, b};
    for (int i = 0; i < 2; i++) {
        TU_OK(akt_serializer_bind(both[i], AKT_TYPE_JSON, AKT_SERIALIZER_CBOR));
        TU_OK(akt_serializer_bind(both[i], "doc.Json", AKT_SERIALIZER_JSON));
        TU_OK(akt_serializer_protobuf(both[i], &akt__remote__failure__descriptor));
    }
    TU_OK(akt_serializer_register(a, &pt_serializer));
    TU_OK(akt_serializer_bind(a, "pt", "point"));
    char buf[256];
    const char *why = NULL;
    akt_future *f = NULL;
    /* CBOR, JSON, protobuf, and the raw bytes of a type with none. */
    TU_OK(ask_mirror(a, mirror, text_msg(AKT_TYPE_JSON, "{\"a\": [1, {\"b\": null}]}"), buf,
                     sizeof buf, &why, &f));
    assert_string_equal(buf, "{\"a\":[1,{\"b\":null}]}");
    TU_OK(ask_mirror(a, mirror, text_msg("doc.Json", "[true, \"x\"]"), buf, sizeof buf, &why, &f));
    assert_string_equal(buf, "[true,\"x\"]");
    Akt__Remote__Failure fl = AKT__REMOTE__FAILURE__INIT;
    fl.code = -3;
    fl.reason = "r";
    akt_msg *pm = NULL;
    TU_OK(akt_msg_new_protobuf(&fl.base, &pm));
    TU_OK(ask_mirror(a, mirror, pm, buf, sizeof buf, &why, &f));
    assert_int_equal(buf[0], 0x08); /* field 1, varint */
    TU_OK(ask_mirror(a, mirror, text_msg("plain", "as is"), buf, sizeof buf, &why, &f));
    assert_string_equal(buf, "as is");
    /* Custom "point" on the sender only: the receiver does not know the name, so it is a
     * dead letter there with the reason, and the ask fails with AKT_ENOTSUP. */
    TU_RC(AKT_ENOTSUP, ask_mirror(a, mirror, text_msg("pt", "1,2"), buf, sizeof buf, &why, &f));
    assert_non_null(strstr(why, "no serializer named point"));
    TU_OK(akt_future_release(f));
    TU_EVENTUALLY(tu_events_count(&evb, AKT_EVENT_DEAD_LETTER, (akt_pid){0}) >= 1);
    tu_ev ev;
    assert_true(tu_events_find(&evb, AKT_EVENT_DEAD_LETTER, (akt_pid){0}, &ev));
    assert_string_equal(ev.type, "pt");
    /* Registered on both: it crosses both ways. */
    TU_OK(akt_serializer_register(b, &pt_serializer));
    TU_OK(akt_serializer_bind(b, "pt", "point"));
    TU_OK(ask_mirror(a, mirror, text_msg("pt", "1,2"), buf, sizeof buf, &why, &f));
    assert_string_equal(buf, "1,2");
    /* Not encodable, or no bytes at all: refused on the sender, nothing sent. */
    int before = tu_events_count(&evb, AKT_EVENT_DEAD_LETTER, (akt_pid){0});
    TU_RC(AKT_EINVAL,
          ask_mirror(a, mirror, text_msg(AKT_TYPE_JSON, "{bad"), buf, sizeof buf, &why, &f));
    assert_non_null(strstr(why, "serializer cbor could not encode"));
    TU_OK(akt_future_release(f));
    akt_msg *om = NULL;
    TU_OK(akt_msg_new_object("opaque.Thing", malloc(4), &opaque_ops, &om));
    /* remchunk: no serializer and no bytes is known at once: akt_ask refuses it, the caller
     * keeps the message (no dead letter) */
    akt_future *nf = NULL;
    TU_RC(AKT_ENOTSUP, akt_ask(a, mirror, om, TU_SEC(10), &nf));
    assert_null(nf);
    akt_msg_release(om);
    TU_OK(akt_tell(a, mirror, text_msg(AKT_TYPE_JSON, "[1,")));
    TU_EVENTUALLY(tu_events_count(&eva, AKT_EVENT_DEAD_LETTER, (akt_pid){0}) >= 2);
    assert_int_equal(tu_events_count(&evb, AKT_EVENT_DEAD_LETTER, (akt_pid){0}), before);
    TU_OK(akt_unsubscribe(sa));
    TU_OK(akt_unsubscribe(sb));
    tu_system_end(a);
    tu_system_end(b);
    tu_events_destroy(&eva);
    tu_events_destroy(&evb);
}

typedef struct rebinder {
    akt_system *sys[2];
    atomic_int stop;
    int flips;
} rebinder;

/* Flips akt.Json between "cbor" and "json" on both nodes until told to stop. */
static void *rebind_loop(void *arg) {
    rebinder *r = arg;
    while (!atomic_load(&r->stop)) {
        const char *name = (r->flips++ & 1) ? AKT_SERIALIZER_JSON : AKT_SERIALIZER_CBOR;
        /* The receiver knows both names: whichever the sender picked decodes there. */
        if (akt_serializer_bind(r->sys[r->flips & 1], AKT_TYPE_JSON, name) != 0) break;
    }
    return NULL;
}

/* Bindings change while messages cross: every reply comes back equal (each frame names the
 * serializer that packed it), and TSan sees the registry's lock and flag at work. */
static void test_rebinding_while_messages_cross(void **state) {
    (void)state;
    akt_system *a = node("alpha"), *b = node("beta");
    akt_behavior mb = tu_behavior(mirror_receive);
    tu_spawn(b, &mb, NULL, "mirror");
    akt_pid mirror = tu_remote_pid(a, b, "/user/mirror");
    rebinder r = {.sys = {a, b}};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, rebind_loop, &r), 0);
    char buf[128];
    const char *why = NULL;
    akt_future *f = NULL;
    for (int i = 0; i < 300; i++) {
        char doc[64];
        snprintf(doc, sizeof doc, "{\"i\":%d,\"l\":[true,null]}", i);
        TU_OK(ask_mirror(a, mirror, text_msg(AKT_TYPE_JSON, doc), buf, sizeof buf, &why, &f));
        assert_string_equal(buf, doc);
    }
    atomic_store(&r.stop, 1);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_true(r.flips > 0);
    tu_system_end(a);
    tu_system_end(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_json_round_trips),
        TU_TEST(test_json_malformed),
        TU_TEST(test_cbor_round_trips_and_vectors),
        TU_TEST(test_cbor_malformed),
        TU_TEST(test_protobuf),
        TU_TEST(test_custom_and_registry_rules),
        TU_TEST(test_each_serializer_crosses),
        TU_TEST(test_rebinding_while_messages_cross),
    };
    return cmocka_run_group_tests_name("serial", tests, NULL, NULL);
}
