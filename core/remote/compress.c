/* Frame compression with zstd, zlib (the gzip method: a zlib stream) and brotli; bounded
 * output on the way in. */
#include "compress.h"

#include <akt/akt.h>
#include <akt/remote.h>
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

/* The output bound of method for n bytes; 0 if none (unknown method, too large). */
static size_t akt__bound(int method, size_t n) {
    switch (method) {
    case AKT_REMOTE_COMPRESS_ZSTD:
        return ZSTD_compressBound(n);
    case AKT_REMOTE_COMPRESS_GZIP:
        return n > UINT32_MAX ? 0 : compressBound((uLong)n);
    case AKT_REMOTE_COMPRESS_BROTLI:
        return BrotliEncoderMaxCompressedSize(n);
    default:
        return 0;
    }
}

/* Compresses into buf (cap: the bound) with z's contexts (NULL: made for this call);
 * 0 and *got, AKT_EINVAL when it does not pay, AKT_ENOMEM. */
static int akt__compress_into(akt__zctx *z, int method, const uint8_t *in, size_t n, uint8_t *buf,
                              size_t cap, size_t *got) {
    int ok = 0;
    if (method == AKT_REMOTE_COMPRESS_ZSTD) {
        size_t r;
        if (z) {
            if (!z->zc && !(z->zc = ZSTD_createCCtx())) return AKT_ENOMEM;
            r = ZSTD_compressCCtx(z->zc, buf, cap, in, n, 3); /* the context is reused */
        } else {
            r = ZSTD_compress(buf, cap, in, n, 3);
        }
        ok = !ZSTD_isError(r);
        *got = r;
    } else if (method == AKT_REMOTE_COMPRESS_GZIP && z) {
        z_stream *d = z->def;
        if (!d) {
            if (!(d = calloc(1, sizeof *d))) return AKT_ENOMEM;
            if (deflateInit(d, Z_DEFAULT_COMPRESSION) != Z_OK) {
                free(d);
                return AKT_ENOMEM;
            }
            z->def = d;
        } else if (deflateReset(d) != Z_OK) {
            return AKT_ENOMEM;
        }
        d->next_in = (Bytef *)in;
        d->avail_in = (uInt)n;
        d->next_out = buf;
        d->avail_out = (uInt)cap;
        ok = deflate(d, Z_FINISH) == Z_STREAM_END;
        *got = d->total_out;
    } else if (method == AKT_REMOTE_COMPRESS_GZIP) {
        uLongf dl = (uLongf)cap;
        ok = compress2(buf, &dl, in, (uLong)n, Z_DEFAULT_COMPRESSION) == Z_OK;
        *got = dl;
    } else {
        *got = cap;
        /* Quality 5: most of brotli's ratio at a fraction of its top quality's time. Its
         * one-shot encoder has no reusable state (no reset in its API). */
        ok = BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, n, in, got,
                                   buf) == BROTLI_TRUE;
    }
    if (!ok) return AKT_ENOMEM;
    return *got >= n ? AKT_EINVAL : 0;
}

int akt__zctx_compress(akt__zctx *z, int method, const uint8_t *in, size_t n, const uint8_t **out,
                       size_t *out_len) {
    size_t cap = akt__bound(method, n);
    if (!cap) return AKT_EINVAL;
    if (cap > z->scratch_cap) { /* grows to the largest frame's bound, kept */
        uint8_t *b = realloc(z->scratch, cap);
        if (!b) return AKT_ENOMEM;
        z->scratch = b;
        z->scratch_cap = cap;
    }
    int rc = akt__compress_into(z, method, in, n, z->scratch, cap, out_len);
    if (rc == 0) *out = z->scratch;
    return rc;
}

void akt__zctx_free(akt__zctx *z) {
    ZSTD_freeCCtx(z->zc);
    ZSTD_freeDCtx(z->zd);
    if (z->def) deflateEnd(z->def);
    if (z->inf) inflateEnd(z->inf);
    free(z->def);
    free(z->inf);
    free(z->scratch);
    memset(z, 0, sizeof *z);
}

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
    int rc = akt__compress_into(NULL, method, in, n, buf, cap, &got);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    *out_len = got;
    return 0;
}

static int akt__inflate_zstd(akt__zctx *zc, const uint8_t *in, size_t n, uint8_t *out,
                             size_t want) {
    ZSTD_DCtx *z = zc ? zc->zd : NULL;
    if (z)
        ZSTD_DCtx_reset(z, ZSTD_reset_session_only); /* a new frame, the same context */
    else if (!(z = ZSTD_createDCtx()))
        return AKT_ENOMEM;
    if (zc) zc->zd = z;
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
    if (!zc) ZSTD_freeDCtx(z);
    return rc;
}

static int akt__inflate_zlib(akt__zctx *zc, const uint8_t *in, size_t n, uint8_t *out,
                             size_t want) {
    if (n > UINT32_MAX || want > UINT32_MAX) return AKT_EPROTO;
    z_stream local = {0}, *s = zc && zc->inf ? zc->inf : &local;
    if (s != &local) {
        if (inflateReset(s) != Z_OK) return AKT_ENOMEM; /* a new frame, the same state */
    } else {
        if (zc && !(s = calloc(1, sizeof *s))) return AKT_ENOMEM;
        if (inflateInit(s) != Z_OK) {
            if (s != &local) free(s);
            return AKT_ENOMEM;
        }
        if (zc) zc->inf = s;
    }
    s->next_in = (Bytef *)in;
    s->avail_in = (uInt)n;
    s->next_out = out;
    s->avail_out = (uInt)want;
    int r = inflate(s, Z_FINISH);
    /* Z_STREAM_END with every byte used: exactly want. Anything else (Z_BUF_ERROR: it
     * wanted more room, or more input) is refused. */
    int rc = r == Z_STREAM_END && s->avail_out == 0 && s->avail_in == 0 ? 0 : AKT_EPROTO;
    if (r == Z_MEM_ERROR) rc = AKT_ENOMEM;
    if (s == &local) inflateEnd(s);
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

int akt__zctx_decompress(akt__zctx *z, int method, const uint8_t *in, size_t n, uint8_t *out,
                         size_t want) {
    switch (method) {
    case AKT_REMOTE_COMPRESS_ZSTD:
        return akt__inflate_zstd(z, in, n, out, want);
    case AKT_REMOTE_COMPRESS_GZIP:
        return akt__inflate_zlib(z, in, n, out, want);
    case AKT_REMOTE_COMPRESS_BROTLI:
        return akt__inflate_brotli(in, n, out, want);
    default:
        return AKT_EINVAL;
    }
}

int akt__decompress(int method, const uint8_t *in, size_t n, uint8_t *out, size_t want) {
    switch (method) {
    case AKT_REMOTE_COMPRESS_ZSTD:
        return akt__inflate_zstd(NULL, in, n, out, want);
    case AKT_REMOTE_COMPRESS_GZIP:
        return akt__inflate_zlib(NULL, in, n, out, want);
    case AKT_REMOTE_COMPRESS_BROTLI:
        return akt__inflate_brotli(in, n, out, want);
    default:
        return AKT_EINVAL;
    }
}

int akt__inflate_frame(uint32_t method, uint32_t length, const uint8_t *z, size_t zn,
                       uint32_t offered, uint32_t max, uint8_t **out, char *why, size_t cap) {
    return akt__zctx_inflate_frame(NULL, method, length, z, zn, offered, max, out, why, cap);
}

int akt__zctx_inflate_frame(akt__zctx *zc, uint32_t method, uint32_t length, const uint8_t *z,
                            size_t zn, uint32_t offered, uint32_t max, uint8_t **out, char *why,
                            size_t cap) {
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
    int rc = zc ? akt__zctx_decompress(zc, (int)method, z, zn, buf, length)
                : akt__decompress((int)method, z, zn, buf, length);
    if (rc) {
        free(buf);
        if (rc == AKT_ENOMEM) return rc;
        snprintf(why, cap, "compressed frame does not inflate to its length (%u bytes)", length);
        return AKT_EPROTO;
    }
    *out = buf;
    return 0;
}
