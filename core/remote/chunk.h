/* Chunking (issue 14): a frame whose body is larger than the connection's chunk size goes as
 * Chunk frames (remote.proto) of at most that size each, and the receiver puts the body back
 * together before it handles it as the frame it is. The receiving side is bounded: one
 * chunked frame at a time per connection, a declared total of at most the message limit,
 * a buffer that grows with the data that came (never allocated from the declared total
 * alone), chunks strictly in order. Anything else is a protocol error with a reason (the
 * connection closes). Pure code, no I/O: the fuzz target drives it as the loop does. */
#ifndef AKT_CORE_REMOTE_CHUNK_H
#define AKT_CORE_REMOTE_CHUNK_H
#include <stddef.h>
#include <stdint.h>

#include "proto/remote.pb-c.h"

/* Bytes a Chunk frame adds to its data, at most (tags, lengths, id, total, offset): the data
 * of a chunk of a body of chunk size `size` is size - AKT__CHUNK_OVERHEAD. */
#define AKT__CHUNK_OVERHEAD 40u
/* Smallest chunk size accepted (akt_remote_options.chunk_bytes). */
#define AKT__CHUNK_MIN 256u

/* The frame being put back together on one connection. */
typedef struct akt__chunk_in {
    uint64_t id; /* 0: none under way */
    uint32_t total, have;
    uint8_t *buf; /* malloc'd, cap bytes */
    uint32_t cap;
    int64_t last_ns; /* when its last chunk came (the heartbeat's check of a stalled one) */
} akt__chunk_in;

/* Takes one received chunk (max: the largest body put back together). 0 with *done NULL:
 * more to come; 0 with *done set: the whole body (*done_len bytes, the caller frees it);
 * AKT_EPROTO with the reason in why; AKT_ENOMEM. now_ns stamps the progress. */
int akt__chunk_accept(akt__chunk_in *a, const Akt__Remote__Chunk *ch, uint32_t max, int64_t now_ns,
                      uint8_t **done, uint32_t *done_len, char *why, size_t cap);
/* Frees what a connection had under way. */
void akt__chunk_in_free(akt__chunk_in *a);

/* Packs the chunk of body[off..) (total bytes, id) that a chunk size of `size` allows, as a
 * frame with its length header (malloc'd, *len bytes); *taken gets the body bytes it
 * holds. NULL on ENOMEM. */
uint8_t *akt__chunk_pack(const uint8_t *body, uint32_t total, uint32_t off, uint64_t id,
                         uint32_t size, size_t *len, uint32_t *taken);

#endif
