/* Shared by the stream suites (test_stream*.c): a two-worker system per test, and int64
 * elements (akt.Int64, little-endian, as every binding reads them). */
#ifndef TU_STREAM_H
#define TU_STREAM_H
#include <akt/stream.h>

#include "tu.h"

/* Defines `sys` (the system of the running test), its setup and teardown, and T_TEST(f). */
#define TU_STREAM_FIXTURE(system_name)    \
    static akt_system *sys;               \
    static int t_setup(void **state) {    \
        sys = tu_system(system_name, 2);  \
        return tu_setup(state);           \
    }                                     \
    static int t_teardown(void **state) { \
        if (sys) tu_system_end(sys);      \
        sys = NULL;                       \
        return tu_teardown(state);        \
    }
#define T_TEST(f) cmocka_unit_test_setup_teardown(f, t_setup, t_teardown)

/* An akt.Int64 message holding v, or NULL (out of memory). */
static inline akt_msg *tu_i64(int64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    akt_msg *m = NULL;
    if (akt_msg_new_bytes(AKT_TYPE_INT64, b, 8, AKT_COPY, &m) != 0) return NULL;
    return m;
}

/* The value of an 8-byte message, or INT64_MIN for any other (a tick, a text). */
static inline int64_t tu_i64_val(akt_msg *m) {
    const void *p = NULL;
    size_t n = 0;
    if (akt_msg_bytes(m, &p, &n) != 0 || n != 8) return INT64_MIN;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | ((const unsigned char *)p)[i];
    return (int64_t)v;
}

#endif
