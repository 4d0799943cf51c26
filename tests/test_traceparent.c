/* W3C traceparent: parsing (strict, the recommendation's valid and invalid values) and
 * formatting, which round-trips. */
#include "tu.h"

#include <akt/telemetry.h>
#include <stdio.h>
#include <string.h>

static const char *VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

static int parse(const char *s, akt_trace_context *c) {
    return akt_traceparent_parse(s, strlen(s), c);
}

static void test_parse_valid(void **state) {
    (void)state;
    akt_trace_context c;
    TU_OK(parse(VALID, &c));
    static const uint8_t tid[16] = {0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
                                    0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36};
    static const uint8_t sid[8] = {0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7};
    assert_memory_equal(c.trace_id, tid, 16);
    assert_memory_equal(c.span_id, sid, 8);
    assert_int_equal(c.flags, AKT_TRACE_SAMPLED);
    TU_OK(parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", &c));
    assert_int_equal(c.flags, 0);
    /* Later versions: version 00's layout, more fields only after a '-'. */
    TU_OK(parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09", &c));
    assert_int_equal(c.flags, 9);
    TU_OK(parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future", &c));
    /* Not NUL-terminated: only len bytes count. */
    char longer[80];
    snprintf(longer, sizeof longer, "%sXYZ", VALID);
    TU_OK(akt_traceparent_parse(longer, AKT_TRACEPARENT_LEN, &c));
}

static void test_parse_invalid_leaves_out_untouched(void **state) {
    (void)state;
    static const char *const bad[] = {
        "",
        "00",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",   /* short */
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", /* 00 is exact */
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", /* forbidden version */
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", /* upper case */
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", /* zero trace id */
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", /* zero span id */
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
        "00-4bf92f3577b34da6a3ce929d0e0e473 -00f067aa0ba902b7-01",
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", /* no '-' after */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        akt_trace_context c;
        memset(&c, 0x5a, sizeof c);
        if (parse(bad[i], &c) != AKT_EINVAL) fail_msg("accepted: \"%s\"", bad[i]);
        for (size_t b = 0; b < sizeof c; b++) assert_int_equal(((uint8_t *)&c)[b], 0x5a);
    }
    /* A NUL inside the counted bytes is a bad byte, not an end. */
    char nul[AKT_TRACEPARENT_LEN];
    memcpy(nul, VALID, sizeof nul);
    nul[40] = 0;
    akt_trace_context c;
    TU_RC(AKT_EINVAL, akt_traceparent_parse(nul, sizeof nul, &c));
}

static void test_format_round_trips(void **state) {
    (void)state;
    akt_trace_context c, d;
    TU_OK(parse(VALID, &c));
    char buf[AKT_TRACEPARENT_LEN + 1];
    TU_OK(akt_traceparent_format(&c, buf, sizeof buf));
    assert_string_equal(buf, VALID);
    /* A later version's fields are dropped: akt writes version 00. */
    TU_OK(parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff-x", &d));
    TU_OK(akt_traceparent_format(&d, buf, sizeof buf));
    assert_string_equal(buf, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff");
    memset(buf, 'z', sizeof buf);
    TU_RC(AKT_ERANGE, akt_traceparent_format(&c, buf, AKT_TRACEPARENT_LEN));
    memset(c.trace_id, 0, sizeof c.trace_id);
    TU_RC(AKT_EINVAL, akt_traceparent_format(&c, buf, sizeof buf));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_parse_valid),
        TU_TEST(test_parse_invalid_leaves_out_untouched),
        TU_TEST(test_format_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
