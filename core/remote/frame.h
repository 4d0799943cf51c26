/* Frames on the wire: a 4-byte big-endian length, then that many bytes (one packed
 * akt.remote.Frame). The decoder is a state machine fed with whatever each read brought:
 * any split of the stream gives the same frames, a length over the limit or of zero is an
 * error before anything is allocated for it, and the buffer of a frame is allocated once
 * its length is known (at most max bytes). */
#ifndef AKT_CORE_REMOTE_FRAME_H
#define AKT_CORE_REMOTE_FRAME_H
#include <stddef.h>
#include <stdint.h>

#define AKT__FRAME_HEADER 4

typedef struct akt__frame_decoder {
    uint32_t max; /* largest body accepted */
    uint8_t hdr[AKT__FRAME_HEADER];
    uint32_t hdr_have;
    uint8_t *body; /* malloc'd once the length is known */
    uint32_t need, have;
    int error; /* sticky: once set, feed refuses everything */
} akt__frame_decoder;

/* Called for each complete frame body (borrowed for the call). A non-zero return stops the
 * feed, which returns it. */
typedef int (*akt__frame_fn)(void *data, const uint8_t *body, uint32_t len);

void akt__frame_decoder_init(akt__frame_decoder *d, uint32_t max);
/* Feeds n bytes. 0, AKT_EPROTO (zero or oversized length: the connection must close),
 * AKT_ENOMEM, or what fn returned. After an error, every later feed returns it. */
int akt__frame_feed(akt__frame_decoder *d, const uint8_t *p, size_t n, akt__frame_fn fn,
                    void *data);
void akt__frame_decoder_free(akt__frame_decoder *d);

/* Writes the header of a body of len bytes. */
static inline void akt__frame_header(uint8_t out[AKT__FRAME_HEADER], uint32_t len) {
    out[0] = (uint8_t)(len >> 24);
    out[1] = (uint8_t)(len >> 16);
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
}

#endif
