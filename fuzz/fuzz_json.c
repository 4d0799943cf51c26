/* fuzz_json: arbitrary bytes as a received "json" payload, decoded as an akt.Json message
 * or (on the first byte's choice) as a canonical scalar. A refusal is an error code with a
 * reason, never a crash or a leak; what decodes re-encodes (a tree to the same compact text),
 * and crosses CBOR and back unchanged. */
#include <stdlib.h>
#include <string.h>

#include "serial/serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = {AKT_TYPE_JSON, "user.Type", AKT_TYPE_STRING, AKT_TYPE_FLOAT64};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const char *type = types[data[0] & 3];
    akt_msg *m = NULL;
    if (akt__serial_json.decode(type, data + 1, size - 1, NULL, &m) != 0) {
        if (m) abort();
        return 0;
    }
    void *bytes = NULL;
    size_t len = 0;
    akt_free_fn f = AKT_BORROW;
    if (akt__serial_json.encode(m, NULL, &bytes, &len, &f) != 0) abort();
    const void *a;
    size_t al;
    if (akt_msg_bytes(m, &a, &al)) abort();
    /* A tree's decoded form is its compact text already: encoding it again changes nothing. */
    if ((data[0] & 2) == 0 && (al != len || memcmp(a, bytes, len) != 0)) abort();
    if (f) f(bytes);
    void *cb = NULL;
    size_t cl = 0;
    f = AKT_BORROW;
    if (akt__serial_cbor.encode(m, NULL, &cb, &cl, &f) == 0) {
        akt_msg *back = NULL;
        if (akt__serial_cbor.decode(type, cb, cl, NULL, &back) != 0) abort();
        const void *b;
        size_t bl;
        if (akt_msg_bytes(back, &b, &bl) || bl != al || memcmp(a, b, al) != 0) abort();
        akt_msg_release(back);
        if (f) f(cb);
    }
    akt_msg_release(m);
    return 0;
}
