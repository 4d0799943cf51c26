/* W3C traceparent: "vv-<32 hex trace id>-<16 hex span id>-<2 hex flags>", parsed strictly
 * (lowercase only, as the recommendation requires) and formatted as version 00. */
#include <akt/telemetry.h>

/* The value of a lowercase hex digit, or -1. */
static int akt__hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Reads n bytes from 2n lowercase hex digits; 0 on a bad digit. */
static int akt__hex_bytes(const char *s, uint8_t *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int hi = akt__hex(s[2 * i]), lo = akt__hex(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return 0;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 1;
}

static int akt__all_zero(const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

AKT_API int akt_traceparent_parse(const char *text, size_t len, akt_trace_context *out) {
    if ((!text && len) || !out || len < AKT_TRACEPARENT_LEN) return AKT_EINVAL;
    uint8_t version;
    akt_trace_context c;
    if (!akt__hex_bytes(text, &version, 1) || version == 0xff) return AKT_EINVAL;
    /* Version 00 is exactly its length; a later one may add fields after a '-'. */
    if (version == 0 ? len != AKT_TRACEPARENT_LEN
                     : len > AKT_TRACEPARENT_LEN && text[AKT_TRACEPARENT_LEN] != '-')
        return AKT_EINVAL;
    if (text[2] != '-' || text[35] != '-' || text[52] != '-') return AKT_EINVAL;
    if (!akt__hex_bytes(text + 3, c.trace_id, 16) || !akt__hex_bytes(text + 36, c.span_id, 8) ||
        !akt__hex_bytes(text + 53, &c.flags, 1))
        return AKT_EINVAL;
    if (akt__all_zero(c.trace_id, 16) || akt__all_zero(c.span_id, 8)) return AKT_EINVAL;
    *out = c;
    return 0;
}

static char *akt__put_hex(char *p, const uint8_t *b, size_t n) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        *p++ = digits[b[i] >> 4];
        *p++ = digits[b[i] & 15];
    }
    return p;
}

AKT_API int akt_traceparent_format(const akt_trace_context *ctx, char *buf, size_t cap) {
    if (!ctx || !buf) return AKT_EINVAL;
    if (akt__all_zero(ctx->trace_id, 16) || akt__all_zero(ctx->span_id, 8)) return AKT_EINVAL;
    if (cap < AKT_TRACEPARENT_LEN + 1) return AKT_ERANGE;
    char *p = buf;
    *p++ = '0';
    *p++ = '0';
    *p++ = '-';
    p = akt__put_hex(p, ctx->trace_id, 16);
    *p++ = '-';
    p = akt__put_hex(p, ctx->span_id, 8);
    *p++ = '-';
    p = akt__put_hex(p, &ctx->flags, 1);
    *p = 0;
    return 0;
}
