/* The streaming frame decoder. */
#include "frame.h"

#include <akt/akt.h>
#include <stdlib.h>
#include <string.h>

void akt__frame_decoder_init(akt__frame_decoder *d, uint32_t max) {
    memset(d, 0, sizeof *d);
    d->max = max;
}

void akt__frame_decoder_free(akt__frame_decoder *d) {
    free(d->body);
    d->body = NULL;
}

int akt__frame_feed(akt__frame_decoder *d, const uint8_t *p, size_t n, akt__frame_fn fn,
                    void *data) {
    if (d->error) return d->error;
    while (n) {
        if (!d->body) {
            size_t take = AKT__FRAME_HEADER - d->hdr_have;
            if (take > n) take = n;
            memcpy(d->hdr + d->hdr_have, p, take);
            d->hdr_have += (uint32_t)take;
            p += take;
            n -= take;
            if (d->hdr_have < AKT__FRAME_HEADER) return 0;
            uint32_t len = (uint32_t)d->hdr[0] << 24 | (uint32_t)d->hdr[1] << 16 |
                           (uint32_t)d->hdr[2] << 8 | d->hdr[3];
            if (len == 0 || len > d->max) return d->error = AKT_EPROTO;
            d->body = malloc(len);
            if (!d->body) return d->error = AKT_ENOMEM;
            d->need = len;
            d->have = 0;
        }
        size_t take = d->need - d->have;
        if (take > n) take = n;
        memcpy(d->body + d->have, p, take);
        d->have += (uint32_t)take;
        p += take;
        n -= take;
        if (d->have < d->need) return 0;
        uint8_t *body = d->body;
        d->body = NULL;
        d->hdr_have = 0;
        int rc = fn(data, body, d->need);
        free(body);
        if (rc) return d->error = rc;
    }
    return 0;
}
