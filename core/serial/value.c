/* The binding-neutral value of a message: the JSON data model (jansson's json_t), which
 * the JSON and CBOR serializers put on the wire and every binding maps to its own values
 * (AKT_TYPE_JSON text). A canonical scalar is its one value; any other type's bytes are
 * one JSON value. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serial.h"

static uint64_t akt__le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static void akt__put_le64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++, v >>= 8) p[i] = (uint8_t)v;
}

int akt__serial_to_json(akt_msg *msg, void **out) {
    const char *type = akt_msg_type(msg);
    const void *data = NULL;
    size_t len = 0;
    int rc = akt_msg_bytes(msg, &data, &len);
    if (rc) return akt__serial_fail(rc, "its bytes could not be made: %s", akt_strerror(rc));
    json_t *v = NULL;
    if (strcmp(type, AKT_TYPE_STRING) == 0) {
        if (!(v = json_stringn(data, len)))
            return akt__serial_fail(AKT_EINVAL, "akt.String that is not UTF-8");
    } else if (strcmp(type, AKT_TYPE_INT64) == 0) {
        if (len != 8) return akt__serial_fail(AKT_EINVAL, "akt.Int64 of %zu bytes", len);
        v = json_integer((json_int_t)(int64_t)akt__le64(data));
    } else if (strcmp(type, AKT_TYPE_FLOAT64) == 0) {
        if (len != 8) return akt__serial_fail(AKT_EINVAL, "akt.Float64 of %zu bytes", len);
        uint64_t bits = akt__le64(data);
        double d;
        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d))
            return akt__serial_fail(AKT_ENOTSUP, "a non-finite float has no JSON form");
        v = json_real(d);
    } else if (strcmp(type, AKT_TYPE_BOOL) == 0) {
        if (len != 1 || ((const uint8_t *)data)[0] > 1)
            return akt__serial_fail(AKT_EINVAL, "malformed akt.Bool");
        v = json_boolean(((const uint8_t *)data)[0]);
    } else if (strcmp(type, AKT_TYPE_NULL) == 0) {
        if (len != 0) return akt__serial_fail(AKT_EINVAL, "akt.Null of %zu bytes", len);
        v = json_null();
    } else if (strcmp(type, AKT_TYPE_BYTES) == 0) {
        return akt__serial_fail(AKT_ENOTSUP, "akt.Bytes has no JSON form");
    } else {
        json_error_t err;
        v = json_loadb(data, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
        if (!v)
            return akt__serial_fail(AKT_EINVAL, "not JSON: %s at byte %d", err.text, err.position);
    }
    if (!v) return akt__serial_fail(AKT_ENOMEM, "out of memory");
    *out = v;
    return 0;
}

int akt__serial_from_json(const char *type, void *value, akt_msg **out) {
    json_t *v = value;
    uint8_t b[8];
    if (strcmp(type, AKT_TYPE_STRING) == 0) {
        if (!json_is_string(v))
            return akt__serial_fail(AKT_EINVAL, "akt.String that is not a string");
        return akt_msg_new_bytes(type, json_string_value(v), json_string_length(v), AKT_COPY, out);
    }
    if (strcmp(type, AKT_TYPE_INT64) == 0) {
        if (!json_is_integer(v))
            return akt__serial_fail(AKT_EINVAL, "akt.Int64 that is not an integer");
        akt__put_le64(b, (uint64_t)(int64_t)json_integer_value(v));
        return akt_msg_new_bytes(type, b, 8, AKT_COPY, out);
    }
    if (strcmp(type, AKT_TYPE_FLOAT64) == 0) {
        if (!json_is_number(v))
            return akt__serial_fail(AKT_EINVAL, "akt.Float64 that is not a number");
        double d = json_number_value(v);
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        akt__put_le64(b, bits);
        return akt_msg_new_bytes(type, b, 8, AKT_COPY, out);
    }
    if (strcmp(type, AKT_TYPE_BOOL) == 0) {
        if (!json_is_boolean(v))
            return akt__serial_fail(AKT_EINVAL, "akt.Bool that is not a boolean");
        b[0] = json_is_true(v) ? 1 : 0;
        return akt_msg_new_bytes(type, b, 1, AKT_COPY, out);
    }
    if (strcmp(type, AKT_TYPE_NULL) == 0) {
        if (!json_is_null(v)) return akt__serial_fail(AKT_EINVAL, "akt.Null that is not null");
        return akt_msg_new_bytes(type, NULL, 0, AKT_COPY, out);
    }
    if (strcmp(type, AKT_TYPE_BYTES) == 0)
        return akt__serial_fail(AKT_EINVAL, "akt.Bytes has no JSON form");
    size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
    if (n == 0) return akt__serial_fail(AKT_EINVAL, "a value JSON cannot hold");
    char *text = malloc(n);
    if (!text) return AKT_ENOMEM;
    if (json_dumpb(v, text, n, JSON_COMPACT | JSON_ENCODE_ANY) != n) {
        free(text);
        return akt__serial_fail(AKT_EINVAL, "a value JSON cannot hold");
    }
    int rc = akt_msg_new_bytes(type, text, n, free, out);
    if (rc) free(text);
    return rc;
}
