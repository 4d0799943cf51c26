/* AKT_TYPE_INT64 messages (conf_int64.h). */
#include "conf_int64.h"

akt_msg *conf_int64(int64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    akt_msg *m = NULL;
    CONF_OK(akt_msg_new_bytes(AKT_TYPE_INT64, b, 8, AKT_COPY, &m));
    return m;
}

int64_t conf_int64_of(akt_msg *m) {
    const void *p = NULL;
    size_t n = 0;
    CONF_OK(akt_msg_bytes(m, &p, &n));
    if (n != 8) conf_fatal("an int64 message of %zu bytes", n);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | ((const unsigned char *)p)[i];
    return (int64_t)v;
}
