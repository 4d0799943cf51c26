/* fuzz_cbor: arbitrary bytes as a received "cbor" payload, decoded as an akt.Json message
 * (the neutral tree) and, on the first byte's choice, as akt.Bytes or akt.Int64. A refusal
 * is an error code with a reason, never a crash or a leak; what decodes re-encodes, and its
 * re-encoding decodes to the same JSON text. */
#include <stdlib.h>
#include <string.h>

#include "serial/serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = {AKT_TYPE_JSON, AKT_TYPE_BYTES, AKT_TYPE_INT64, "user.Type"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const char *type = types[data[0] & 3];
    akt_msg *m = NULL;
    int rc = akt__serial_cbor.decode(type, data + 1, size - 1, NULL, &m);
    if (rc) {
        if (m) abort();
        return 0;
    }
    void *bytes = NULL;
    size_t len = 0;
    akt_free_fn f = AKT_BORROW;
    if (akt__serial_cbor.encode(m, NULL, &bytes, &len, &f) != 0) abort();
    akt_msg *again = NULL;
    if (akt__serial_cbor.decode(type, bytes, len, NULL, &again) != 0) abort();
    const void *a, *b;
    size_t al, bl;
    if (akt_msg_bytes(m, &a, &al) || akt_msg_bytes(again, &b, &bl) || al != bl ||
        (al && memcmp(a, b, al) != 0))
        abort();
    if (f) f(bytes);
    akt_msg_release(again);
    akt_msg_release(m);
    return 0;
}
