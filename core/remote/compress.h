/* Frame compression (issue 14): the methods a node accepts are a bit mask in its Hello (bit
 * 1 << AKT_REMOTE_COMPRESS_*); a frame body of at least the node's minimum size, sent to a
 * peer that accepts the node's method, travels as a Frame.compressed carrying the method,
 * the uncompressed length and the compressed bytes. The receiver checks the length against
 * its frame limit before it inflates into a buffer of exactly that size: a stream that
 * would inflate beyond it, or to less, is a protocol error (no zip bomb). */
#ifndef AKT_CORE_REMOTE_COMPRESS_H
#define AKT_CORE_REMOTE_COMPRESS_H
#include <stddef.h>
#include <stdint.h>

/* The methods this build can encode and decode, as Hello bits. */
#define AKT__COMPRESS_ACCEPTED ((1u << 1) | (1u << 2) | (1u << 3))

/* Compresses in[0..n) with method (AKT_REMOTE_COMPRESS_ZSTD/GZIP/BROTLI) into *out
 * (malloc'd, *out_len bytes). 0; AKT_EINVAL for an unknown method or when the result is not
 * smaller than the input (then sent as it is); AKT_ENOMEM. */
int akt__compress(int method, const uint8_t *in, size_t n, uint8_t **out, size_t *out_len);

/* Inflates in[0..n) (method) into out, which holds exactly want bytes: 0 if the stream
 * gives exactly want bytes, AKT_EPROTO if it is malformed, gives fewer, or would give more
 * (never written past want); AKT_EINVAL for an unknown method; AKT_ENOMEM. */
int akt__decompress(int method, const uint8_t *in, size_t n, uint8_t *out, size_t want);

/* A received Frame.compressed: method must be one of `offered` (Hello bits), length in
 * 1..max (checked before anything is allocated), and the stream must inflate to exactly
 * length bytes, into *out (malloc'd). 0; AKT_EPROTO with the reason in why (the
 * connection must close); AKT_ENOMEM. */
int akt__inflate_frame(uint32_t method, uint32_t length, const uint8_t *z, size_t zn,
                       uint32_t offered, uint32_t max, uint8_t **out, char *why, size_t cap);

#endif
