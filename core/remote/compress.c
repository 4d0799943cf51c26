/* Frame compression with zstd, zlib (the gzip method: a zlib stream) and brotli; bounded
 * output on the way in. */
#include "compress.h"

#include <akt/akt.h>
#include <akt/remote.h>
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

int akt__compress(int method, const uint8_t *in, size_t n, uint8_t **out, size_t *out_len) {
    size_t cap;
    switch (method) {
    case AKT_REMOTE_COMPRESS_ZSTD:
        cap = ZSTD_compressBound(n);
        break;
    case AKT_REMOTE_COMPRESS_GZIP:
        if (n > UINT32_MAX) return AKT_EINVAL;
        cap = compressBound((uLong)n);
        break;
    case AKT_REMOTE_COMPRESS_BROTLI:
        cap = BrotliEncoderMaxCompressedSize(n);
        if (!cap) return AKT_EINVAL;
        break;
    default:
        return AKT_EINVAL;
    }
    uint8_t *buf = malloc(cap);
    if (!buf) return AKT_ENOMEM;
    size_t got = 0;
    int ok = 0;
    if (method == AKT_REMOTE_COMPRESS_ZSTD) {
        size_t r = ZSTD_compress(buf, cap, in, n, 3);
        ok = !ZSTD_isError(r);
        got = r;
    } else if (method == AKT_REMOTE_COMPRESS_GZIP) {
        uLongf dl = (uLongf)cap;
        ok = compress2(buf, &dl, in, (uLong)n, Z_DEFAULT_COMPRESSION) == Z_OK;
        got = dl;
    } else {
        got = cap;
        /* Quality 5: most of brotli's ratio at a fraction of its top quality's time. */
        ok = BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, n, in, &got,
                                   buf) == BROTLI_TRUE;
    }
    if (!ok || got >= n) {
        free(buf);
        return ok ? AKT_EINVAL : AKT_ENOMEM;
    }
    *out = buf;
    *out_len = got;
    return 0;
}

static int akt__inflate_zstd(const uint8_t *in, size_t n, uint8_t *out, size_t want) {
    ZSTD_DCtx *z = ZSTD_createDCtx();
    if (!z) return AKT_ENOMEM;
    ZSTD_inBuffer ib = {in, n, 0};
    ZSTD_outBuffer ob = {out, want, 0};
    int rc = AKT_EPROTO;
    for (;;) {
        size_t r = ZSTD_decompressStream(z, &ob, &ib);
        if (ZSTD_isError(r)) break;
        if (r == 0) { /* a frame ended: it must be the whole input and exactly want bytes */
            if (ib.pos == ib.size && ob.pos == want) rc = 0;
            break;
        }
        if (ob.pos == want) { /* full, and the stream wants to go on: too long */
            uint8_t extra;
            ZSTD_outBuffer xb = {&extra, 1, 0};
            r = ZSTD_decompressStream(z, &xb, &ib);
            if (!ZSTD_isError(r) && r == 0 && xb.pos == 0 && ib.pos == ib.size) rc = 0;
            break;
        }
        if (ib.pos == ib.size) break; /* truncated */
    }
    ZSTD_freeDCtx(z);
    return rc;
}

static int akt__inflate_zlib(const uint8_t *in, size_t n, uint8_t *out, size_t want) {
    if (n > UINT32_MAX || want > UINT32_MAX) return AKT_EPROTO;
    z_stream s = {0};
    if (inflateInit(&s) != Z_OK) return AKT_ENOMEM;
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)n;
    s.next_out = out;
    s.avail_out = (uInt)want;
    int r = inflate(&s, Z_FINISH);
    /* Z_STREAM_END with every byte used: exactly want. Anything else (Z_BUF_ERROR: it
     * wanted more room, or more input) is refused. */
    int rc = r == Z_STREAM_END && s.avail_out == 0 && s.avail_in == 0 ? 0 : AKT_EPROTO;
    if (r == Z_MEM_ERROR) rc = AKT_ENOMEM;
    inflateEnd(&s);
    return rc;
}

static int akt__inflate_brotli(const uint8_t *in, size_t n, uint8_t *out, size_t want) {
    BrotliDecoderState *b = BrotliDecoderCreateInstance(NULL, NULL, NULL);
    if (!b) return AKT_ENOMEM;
    size_t avail_in = n, avail_out = want;
    const uint8_t *ni = in;
    uint8_t *no = out;
    BrotliDecoderResult r = BrotliDecoderDecompressStream(b, &avail_in, &ni, &avail_out, &no, NULL);
    int rc = r == BROTLI_DECODER_RESULT_SUCCESS && avail_in == 0 && avail_out == 0 ? 0 : AKT_EPROTO;
    BrotliDecoderDestroyInstance(b);
    return rc;
}

int akt__decompress(int method, const uint8_t *in, size_t n, uint8_t *out, size_t want) {
    switch (method) {
    case AKT_REMOTE_COMPRESS_ZSTD:
        return akt__inflate_zstd(in, n, out, want);
    case AKT_REMOTE_COMPRESS_GZIP:
        return akt__inflate_zlib(in, n, out, want);
    case AKT_REMOTE_COMPRESS_BROTLI:
        return akt__inflate_brotli(in, n, out, want);
    default:
        return AKT_EINVAL;
    }
}

int akt__inflate_frame(uint32_t method, uint32_t length, const uint8_t *z, size_t zn,
                       uint32_t offered, uint32_t max, uint8_t **out, char *why, size_t cap) {
    if (method > 31 || !(offered & (1u << method))) {
        snprintf(why, cap, "compressed frame with method %u, not accepted", method);
        return AKT_EPROTO;
    }
    if (length == 0 || length > max) {
        snprintf(why, cap, "compressed frame of %u bytes over the frame limit (%u)", length, max);
        return AKT_EPROTO;
    }
    uint8_t *buf = malloc(length);
    if (!buf) return AKT_ENOMEM;
    int rc = akt__decompress((int)method, z, zn, buf, length);
    if (rc) {
        free(buf);
        if (rc == AKT_ENOMEM) return rc;
        snprintf(why, cap, "compressed frame does not inflate to its length (%u bytes)", length);
        return AKT_EPROTO;
    }
    *out = buf;
    return 0;
}
