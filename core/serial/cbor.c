/* The built-in "cbor" serializer (libcbor 0.8): the neutral value (value.c, the JSON data
 * model) as CBOR, and akt.Bytes as a byte string. Received bytes are first checked by a
 * scan of our own (one well-formed item, every count within the bytes left, nesting
 * bounded), so that libcbor, which allocates a definite array or map at its claimed size
 * and frees items recursively, never sees a claim larger than the input or a deep tree. */
#include <cbor.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serial.h"

#define AKT__CBOR_DEPTH 256

/* The argument of the head at *p: 0 on a truncated or reserved head; *indef for 31. */
static int akt__cbor_head(const uint8_t **p, const uint8_t *end, uint64_t *v, int *indef) {
    uint8_t ai = *(*p)++ & 31;
    *indef = 0;
    if (ai < 24) {
        *v = ai;
        return 1;
    }
    if (ai == 31) {
        *indef = 1;
        return 1;
    }
    if (ai > 27) return 0;
    size_t n = (size_t)1 << (ai - 24);
    if ((size_t)(end - *p) < n) return 0;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) x = (x << 8) | *(*p)++;
    *v = x;
    return 1;
}

/* 1 if *p starts one well-formed item (advanced past it). */
static int akt__cbor_scan(const uint8_t **p, const uint8_t *end, int depth) {
    if (depth <= 0 || *p >= end) return 0;
    uint8_t major = **p >> 5;
    uint64_t v = 0;
    int indef;
    if (!akt__cbor_head(p, end, &v, &indef)) return 0;
    switch (major) {
    case 0:
    case 1:
        return !indef;
    case 2:
    case 3:
        if (!indef) {
            if (v > (uint64_t)(end - *p)) return 0;
            *p += v;
            return 1;
        }
        while (*p < end && **p != 0xff) /* chunks: definite strings of the same kind */
            if ((**p >> 5) != major || (**p & 31) == 31 || !akt__cbor_scan(p, end, depth - 1))
                return 0;
        return *p < end && (*p)++;
    case 4:
    case 5:
        if (indef) {
            for (;;) {
                if (*p >= end) return 0;
                if (**p == 0xff) return (*p)++ != NULL;
                if (!akt__cbor_scan(p, end, depth - 1)) return 0;
                if (major == 5 && !akt__cbor_scan(p, end, depth - 1)) return 0;
            }
        }
        if (v > (uint64_t)(end - *p) / (major == 5 ? 2 : 1)) return 0;
        for (uint64_t i = 0; i < v * (major == 5 ? 2 : 1); i++)
            if (!akt__cbor_scan(p, end, depth - 1)) return 0;
        return 1;
    case 6:
        return !indef && akt__cbor_scan(p, end, depth - 1);
    default: /* 7: simple values and floats; a break here is out of place */
        return !indef;
    }
}

static uint64_t akt__cbor_uint_in(const cbor_item_t *it) { return cbor_get_int(it); }

static cbor_item_t *akt__cbor_uint(uint64_t v) {
    if (v <= UINT8_MAX) return cbor_build_uint8((uint8_t)v);
    if (v <= UINT16_MAX) return cbor_build_uint16((uint16_t)v);
    if (v <= UINT32_MAX) return cbor_build_uint32((uint32_t)v);
    return cbor_build_uint64(v);
}

static cbor_item_t *akt__cbor_negint(uint64_t v) {
    if (v <= UINT8_MAX) return cbor_build_negint8((uint8_t)v);
    if (v <= UINT16_MAX) return cbor_build_negint16((uint16_t)v);
    if (v <= UINT32_MAX) return cbor_build_negint32((uint32_t)v);
    return cbor_build_negint64(v);
}

/* The CBOR tree of a JSON value; NULL on ENOMEM. */
static cbor_item_t *akt__cbor_from_json(json_t *v) {
    cbor_item_t *it = NULL;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        size_t klen;
        json_t *val;
        if (!(it = cbor_new_definite_map(json_object_size(v)))) return NULL;
        json_object_keylen_foreach(v, key, klen, val) {
            cbor_item_t *k = cbor_build_stringn(key, klen), *x = akt__cbor_from_json(val);
            int ok = k && x && cbor_map_add(it, (struct cbor_pair){.key = k, .value = x});
            if (k) cbor_decref(&k);
            if (x) cbor_decref(&x);
            if (!ok) {
                cbor_decref(&it);
                return NULL;
            }
        }
        return it;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        if (!(it = cbor_new_definite_array(n))) return NULL;
        for (size_t i = 0; i < n; i++) {
            cbor_item_t *x = akt__cbor_from_json(json_array_get(v, i));
            int ok = x && cbor_array_push(it, x);
            if (x) cbor_decref(&x);
            if (!ok) {
                cbor_decref(&it);
                return NULL;
            }
        }
        return it;
    }
    case JSON_STRING:
        return cbor_build_stringn(json_string_value(v), json_string_length(v));
    case JSON_INTEGER: {
        json_int_t i = json_integer_value(v);
        return i >= 0 ? akt__cbor_uint((uint64_t)i) : akt__cbor_negint((uint64_t)(-(i + 1)));
    }
    case JSON_REAL:
        return cbor_build_float8(json_real_value(v));
    case JSON_TRUE:
        return cbor_build_bool(true);
    case JSON_FALSE:
        return cbor_build_bool(false);
    default:
        return cbor_new_null();
    }
}

/* The bytes of a (definite or chunked) byte or text string, in a new buffer. */
static char *akt__cbor_flat(const cbor_item_t *it, size_t *len) {
    int text = cbor_typeof(it) == CBOR_TYPE_STRING;
    int definite = text ? cbor_string_is_definite(it) : cbor_bytestring_is_definite(it);
    size_t n = 0, count = 1;
    cbor_item_t *const *chunks = NULL;
    if (!definite) {
        chunks = text ? cbor_string_chunks_handle(it) : cbor_bytestring_chunks_handle(it);
        count = text ? cbor_string_chunk_count(it) : cbor_bytestring_chunk_count(it);
    }
    for (size_t i = 0; i < count; i++) {
        const cbor_item_t *c = definite ? it : chunks[i];
        n += text ? cbor_string_length(c) : cbor_bytestring_length(c);
    }
    char *buf = malloc(n ? n : 1);
    if (!buf) return NULL;
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        const cbor_item_t *c = definite ? it : chunks[i];
        size_t k = text ? cbor_string_length(c) : cbor_bytestring_length(c);
        if (k) memcpy(buf + at, text ? cbor_string_handle(c) : cbor_bytestring_handle(c), k);
        at += k;
    }
    *len = n;
    return buf;
}

/* The JSON value of a CBOR tree, or NULL with the detail set. */
static json_t *akt__cbor_to_json(const cbor_item_t *it, int *rc) {
    json_t *v = NULL;
    switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT:
    case CBOR_TYPE_NEGINT: {
        uint64_t u = akt__cbor_uint_in(it);
        if (u > INT64_MAX) {
            *rc = akt__serial_fail(AKT_EINVAL, "a CBOR integer beyond 64-bit signed");
            return NULL;
        }
        v = json_integer(cbor_typeof(it) == CBOR_TYPE_UINT ? (json_int_t)u : -1 - (json_int_t)u);
        break;
    }
    case CBOR_TYPE_STRING: {
        size_t n = 0;
        char *s = akt__cbor_flat(it, &n);
        if (!s) break;
        v = json_stringn(s, n); /* NULL: not UTF-8 (jansson checks it) */
        if (!v) {
            free(s);
            *rc = akt__serial_fail(AKT_EINVAL, "a CBOR text string that is not UTF-8");
            return NULL;
        }
        free(s);
        break;
    }
    case CBOR_TYPE_ARRAY: {
        if (!(v = json_array())) break;
        cbor_item_t **xs = cbor_array_handle(it);
        for (size_t i = 0; i < cbor_array_size(it); i++) {
            json_t *x = akt__cbor_to_json(xs[i], rc);
            if (!x || json_array_append_new(v, x)) {
                json_decref(v);
                return NULL;
            }
        }
        return v;
    }
    case CBOR_TYPE_MAP: {
        if (!(v = json_object())) break;
        struct cbor_pair *ps = cbor_map_handle(it);
        for (size_t i = 0; i < cbor_map_size(it); i++) {
            size_t kl = 0;
            char *k = NULL;
            if (cbor_typeof(ps[i].key) != CBOR_TYPE_STRING) {
                *rc = akt__serial_fail(AKT_EINVAL, "a CBOR map key that is not a text string");
            } else if ((k = akt__cbor_flat(ps[i].key, &kl)) && memchr(k, 0, kl)) {
                /* JSON text (jansson) holds no NUL in a key: the tree could not cross back */
                *rc = akt__serial_fail(AKT_EINVAL, "a CBOR map key with a NUL character");
            } else if (k && json_object_getn(v, k, kl)) {
                *rc = akt__serial_fail(AKT_EINVAL, "a CBOR map with a duplicate key");
            } else if (k) {
                json_t *x = akt__cbor_to_json(ps[i].value, rc);
                if (x && json_object_setn_new(v, k, kl, x) == 0) {
                    free(k);
                    continue;
                }
                if (!x) {
                    free(k);
                    json_decref(v);
                    return NULL;
                }
                *rc = akt__serial_fail(AKT_EINVAL, "a CBOR map key that is not UTF-8");
            } else {
                *rc = AKT_ENOMEM;
            }
            free(k);
            json_decref(v);
            return NULL;
        }
        return v;
    }
    case CBOR_TYPE_FLOAT_CTRL:
        if (cbor_float_ctrl_is_ctrl(it)) {
            uint8_t c = cbor_ctrl_value(it);
            if (c == CBOR_CTRL_TRUE || c == CBOR_CTRL_FALSE)
                v = json_boolean(c == CBOR_CTRL_TRUE);
            else if (c == CBOR_CTRL_NULL)
                v = json_null();
            else {
                *rc = akt__serial_fail(AKT_EINVAL, "a CBOR simple value other than "
                                                   "true, false or null");
                return NULL;
            }
        } else {
            double d = cbor_float_get_float(it);
            if (!isfinite(d)) {
                *rc = akt__serial_fail(AKT_EINVAL, "a non-finite CBOR float");
                return NULL;
            }
            v = json_real(d);
        }
        break;
    case CBOR_TYPE_BYTESTRING:
        *rc = akt__serial_fail(AKT_EINVAL, "a CBOR byte string inside a value");
        return NULL;
    default:
        *rc = akt__serial_fail(AKT_EINVAL, "a CBOR tag");
        return NULL;
    }
    if (!v) *rc = AKT_ENOMEM;
    return v;
}

static int akt__cbor_encode(akt_msg *msg, void *data, void **bytes, size_t *len,
                            akt_free_fn *free_fn) {
    (void)data;
    cbor_item_t *it = NULL;
    int rc = 0;
    if (strcmp(akt_msg_type(msg), AKT_TYPE_BYTES) == 0) {
        const void *b = NULL;
        size_t n = 0;
        if ((rc = akt_msg_bytes(msg, &b, &n)) != 0)
            return akt__serial_fail(rc, "its bytes could not be made: %s", akt_strerror(rc));
        it = cbor_build_bytestring(b, n);
    } else {
        void *v = NULL;
        if ((rc = akt__serial_to_json(msg, &v)) != 0) return rc;
        it = akt__cbor_from_json(v);
        json_decref(v);
    }
    if (!it) return AKT_ENOMEM;
    unsigned char *buf = NULL;
    size_t cap = 0, n = cbor_serialize_alloc(it, &buf, &cap);
    cbor_decref(&it);
    if (n == 0) {
        free(buf);
        return AKT_ENOMEM;
    }
    *bytes = buf;
    *len = n;
    *free_fn = free;
    return 0;
}

/* Checks bytes and loads them with libcbor: 0 and *out, or a code with the detail set. */
static int akt__cbor_load(const void *bytes, size_t len, cbor_item_t **out) {
    const uint8_t *p = bytes, *end = p + len;
    if (!akt__cbor_scan(&p, end, AKT__CBOR_DEPTH) || p != end)
        return akt__serial_fail(AKT_EINVAL, "not one well-formed CBOR item");
    struct cbor_load_result res;
    cbor_item_t *it = cbor_load(bytes, len, &res);
    if (!it || res.error.code != CBOR_ERR_NONE || res.read != len) {
        if (it) cbor_decref(&it);
        return res.error.code == CBOR_ERR_MEMERROR
                   ? AKT_ENOMEM
                   : akt__serial_fail(AKT_EINVAL, "a CBOR item libcbor refuses (a text string "
                                                  "that is not UTF-8)");
    }
    *out = it;
    return 0;
}

static int akt__cbor_decode(const char *type, const void *bytes, size_t len, void *data,
                            akt_msg **out) {
    (void)data;
    cbor_item_t *it = NULL;
    int rc = akt__cbor_load(bytes, len, &it);
    if (rc) return rc;
    if (strcmp(type, AKT_TYPE_BYTES) == 0) {
        if (cbor_typeof(it) != CBOR_TYPE_BYTESTRING) {
            rc = akt__serial_fail(AKT_EINVAL, "akt.Bytes that is not a CBOR byte string");
        } else {
            size_t n = 0;
            char *b = akt__cbor_flat(it, &n);
            rc = b ? akt_msg_new_bytes(type, b, n, free, out) : AKT_ENOMEM;
            if (rc && b) free(b);
        }
        cbor_decref(&it);
        return rc;
    }
    json_t *v = akt__cbor_to_json(it, &rc);
    cbor_decref(&it);
    if (!v) return rc ? rc : AKT_ENOMEM;
    rc = akt__serial_from_json(type, v, out);
    json_decref(v);
    return rc;
}

const akt_serializer akt__serial_cbor = {
    .size = sizeof(akt_serializer),
    .name = AKT_SERIALIZER_CBOR,
    .encode = akt__cbor_encode,
    .decode = akt__cbor_decode,
};
