/* The built-in "json" serializer (jansson): one JSON value, checked and sent as compact
 * text; decoded back to the same type (value.c maps the canonical scalars). */
#include <jansson.h>
#include <stdlib.h>

#include "serial.h"

static int akt__json_encode(akt_msg *msg, void *data, void **bytes, size_t *len,
                            akt_free_fn *free_fn) {
    (void)data;
    void *v = NULL;
    int rc = akt__serial_to_json(msg, &v);
    if (rc) return rc;
    size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_ENCODE_ANY);
    char *text = n ? malloc(n) : NULL;
    if (text && json_dumpb(v, text, n, JSON_COMPACT | JSON_ENCODE_ANY) == n) {
        *bytes = text;
        *len = n;
        *free_fn = free;
    } else {
        rc = text ? akt__serial_fail(AKT_EINVAL, "a value JSON cannot hold") : AKT_ENOMEM;
        free(text);
    }
    json_decref(v);
    return rc;
}

static int akt__json_decode(const char *type, const void *bytes, size_t len, void *data,
                            akt_msg **out) {
    (void)data;
    json_error_t err;
    json_t *v = json_loadb(bytes, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
                           &err);
    if (!v) return akt__serial_fail(AKT_EINVAL, "not JSON: %s at byte %d", err.text, err.position);
    int rc = akt__serial_from_json(type, v, out);
    json_decref(v);
    return rc;
}

const akt_serializer akt__serial_json = {
    .size = sizeof(akt_serializer),
    .name = AKT_SERIALIZER_JSON,
    .encode = akt__json_encode,
    .decode = akt__json_decode,
};
