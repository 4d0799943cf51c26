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

/* A connection's compression state (remchunk): the codecs' contexts, made on first use and
 * reused for every frame after (zstd's CCtx and DCtx, zlib's deflate and inflate streams,
 * reset per frame; brotli's one-shot API has none to keep), and an output buffer kept at
 * the largest frame's bound. Frames stay independent on the wire: only allocations are
 * saved. Loop thread only. */
typedef struct akt__zctx {
    struct ZSTD_CCtx_s *zc;
    struct ZSTD_DCtx_s *zd;
    struct z_stream_s *def, *inf;
    uint8_t *scratch;
    size_t scratch_cap;
} akt__zctx;

/* As akt__compress, into z's buffer: *out is valid until the next call on z. */
int akt__zctx_compress(akt__zctx *z, int method, const uint8_t *in, size_t n, const uint8_t **out,
                       size_t *out_len);
/* As akt__decompress, with z's contexts. */
int akt__zctx_decompress(akt__zctx *z, int method, const uint8_t *in, size_t n, uint8_t *out,
                         size_t want);
/* As akt__inflate_frame, with z's contexts (z NULL: made for the call). */
int akt__zctx_inflate_frame(akt__zctx *z, uint32_t method, uint32_t length, const uint8_t *data,
                            size_t zn, uint32_t offered, uint32_t max, uint8_t **out, char *why,
                            size_t cap);
void akt__zctx_free(akt__zctx *z);

#endif
