/* scalars: the canonical scalar types through the C echo actor; here the host is C too, so
 * it encodes and decodes the bytes of each type itself (akt.h, "Canonical scalar types"). */
#include "../interop/peer.h"
#include "conf.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *step, *type;
    unsigned char data[64];
    size_t len;
} value;

static void le64(unsigned char *out, uint64_t v) {
    for (int i = 0; i < 8; i++) out[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t from_le64(const unsigned char *in) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | in[i];
    return v;
}

static uint64_t f64_bits(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static value values[13];
static size_t n_values;

static void add(const char *step, const char *type, const void *data, size_t len) {
    value *v = &values[n_values++];
    v->step = step, v->type = type, v->len = len;
    memcpy(v->data, data, len);
}

static void add_u64(const char *step, const char *type, uint64_t bits) {
    unsigned char b[8];
    le64(b, bits);
    add(step, type, b, 8);
}

static void build_values(void) {
    static const char json[] = "{\"a\":[1,\"x\",{\"b\":null}]}";
    add("string.empty", AKT_TYPE_STRING, "", 0);
    add("string.utf8", AKT_TYPE_STRING, "h\xc3\xa9llo \xe2\x9c\x93", 10);
    add("bytes.empty", AKT_TYPE_BYTES, "", 0);
    add("bytes.data", AKT_TYPE_BYTES, "\x00\xff\x80", 3);
    add_u64("int64.min", AKT_TYPE_INT64, (uint64_t)INT64_MIN);
    add_u64("int64.max", AKT_TYPE_INT64, (uint64_t)INT64_MAX);
    add_u64("float64.negzero", AKT_TYPE_FLOAT64, f64_bits(-0.0));
    add_u64("float64.big", AKT_TYPE_FLOAT64, f64_bits(1e308));
    add_u64("float64.nan", AKT_TYPE_FLOAT64, f64_bits(NAN));
    add("bool.true", AKT_TYPE_BOOL, "\x01", 1);
    add("bool.false", AKT_TYPE_BOOL, "\x00", 1);
    add("null", "conf.Null", "", 0); /* the echo answers it with akt.Null */
    add("json.nested", AKT_TYPE_JSON, json, sizeof json - 1);
}

/* The decoded value, printed canonically; the C host checks each payload's size too. */
static const char *decode(const char *type, const unsigned char *d, size_t len, char *buf,
                          size_t cap) {
    buf[0] = '\0';
    if (strcmp(type, AKT_TYPE_STRING) == 0 || strcmp(type, AKT_TYPE_JSON) == 0) {
        snprintf(buf, cap, "%.*s", (int)len, (const char *)d);
    } else if (strcmp(type, AKT_TYPE_BYTES) == 0) {
        for (size_t i = 0; i < len && 2 * i + 2 < cap; i++) sprintf(buf + 2 * i, "%02x", d[i]);
    } else if (strcmp(type, AKT_TYPE_INT64) == 0 && len == 8) {
        snprintf(buf, cap, "%" PRId64, (int64_t)from_le64(d));
    } else if (strcmp(type, AKT_TYPE_FLOAT64) == 0 && len == 8) {
        snprintf(buf, cap, "%016" PRIx64, from_le64(d));
    } else if (strcmp(type, AKT_TYPE_BOOL) == 0 && len == 1 && d[0] <= 1) {
        snprintf(buf, cap, "%s", d[0] ? "true" : "false");
    } else if (strcmp(type, AKT_TYPE_NULL) == 0 && len == 0) {
        snprintf(buf, cap, "null");
    } else {
        conf_fatal("malformed or unknown reply %s of %zu bytes", type, len);
    }
    return buf;
}

/* host: conf.Run "<step>" -> tells echo that step's value, responds conf.Sent; anything
 * else is the echo's reply -> journals "<step>: <type> <value>". */
static int host_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    const value **current = state;
    akt_system *sys = NULL;
    CONF_OK(akt_ctx_system(ctx, &sys));
    if (conf_is(msg, "conf.Run")) {
        char step[64];
        conf_text(msg, step, sizeof step);
        *current = NULL;
        for (size_t i = 0; i < n_values; i++)
            if (strcmp(values[i].step, step) == 0) *current = &values[i];
        if (*current == NULL) conf_fatal("unknown step %s", step);
        akt_pid echo;
        akt_msg *m = NULL;
        CONF_OK(akt_lookup(sys, "echo", &echo));
        CONF_OK(
            akt_msg_new_bytes((*current)->type, (*current)->data, (*current)->len, AKT_COPY, &m));
        int rc = akt_ctx_tell(ctx, echo, m);
        if (rc != 0) akt_msg_release(m);
        CONF_OK(rc);
        return conf_respond(ctx, "conf.Sent", "");
    }
    const void *data = NULL;
    size_t len = 0;
    char buf[128];
    CONF_OK(akt_msg_bytes(msg, &data, &len));
    const char *text = decode(akt_msg_type(msg), data, len, buf, sizeof buf);
    if (*text)
        conf_log((*current)->step, "%s %s", akt_msg_type(msg), text);
    else
        conf_log((*current)->step, "%s", akt_msg_type(msg));
    return 0;
}

static const akt_behavior host_behavior = {.size = sizeof(akt_behavior), .receive = host_receive};

int main(void) {
    static const value *current;
    char buf[256];
    build_values();
    akt_system *sys = conf_system_create();

    conf_spawn(sys, conf_echo(), NULL, "echo");
    akt_pid host = conf_spawn(sys, &host_behavior, &current, "host");

    for (size_t i = 0; i < n_values; i++) {
        const char *r = conf_ask_str(sys, host, "conf.Run", values[i].step, buf, sizeof buf);
        if (strcmp(r, "conf.Sent") != 0) conf_fatal("conf.Run %s: %s", values[i].step, r);
        conf_wait_log(1);
        conf_flush();
    }

    conf_system_finish(sys);
    return 0;
}
