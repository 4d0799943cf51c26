/* libFuzzer target: the remoting frame decoder fed in arbitrary splits, then the checked
 * unpack of every frame it yields (each message type of remote.proto), and the checked
 * unpack of the raw input as one frame body. Nothing may crash, leak or allocate more than
 * the frame limit; a compressed frame inflates within that limit; chunks go through the
 * bounded reassembly (chunk.h) of one connection, and a frame they complete is handled as
 * one more frame (never a chunk again). The first input byte picks the split size. */
#include <stddef.h>
#include <stdint.h>

#include <stdlib.h>

#include "remote/chunk.h"
#include "remote/compress.h"
#include "remote/endpoint.h"
#include "remote/frame.h"

/* What a receiving node does with a Tell's or a reply's headers: sets them on a new
 * message, held to the limits. */
static int headers_in(Akt__Remote__Header *const *items, size_t n) {
    akt_msg *m = NULL;
    if (akt_msg_new_bytes("m", "", 0, AKT_COPY, &m)) return 0;
    int rc = akt__wire_headers_in(m, items, n);
    akt_msg_release(m);
    return rc;
}

/* One connection's reading state: the depth of a frame inside a compressed or chunked one,
 * and the frame chunks are putting back together. */
typedef struct fuzz_conn {
    int depth;
    akt__chunk_in rx;
} fuzz_conn;

static int on_frame(void *data, const uint8_t *body, uint32_t len) {
    fuzz_conn *fc = data;
    int *depth = &fc->depth;
    Akt__Remote__Frame *f = akt__wire_unpack(body, len);
    if (f) {
        /* Touch what a connection would read. */
        volatile size_t sink = 0;
        switch (f->body_case) {
        case AKT__REMOTE__FRAME__BODY_HELLO:
            sink += f->hello->system ? 1 : 0;
            break;
        case AKT__REMOTE__FRAME__BODY_HELLO_ACK:
            sink += f->hello_ack->result_case;
            break;
        case AKT__REMOTE__FRAME__BODY_TELL:
            sink += f->tell->payload.len;
            sink += (size_t)headers_in(f->tell->headers, f->tell->n_headers);
            break;
        case AKT__REMOTE__FRAME__BODY_REPLY:
            sink += f->reply->result_case;
            if (f->reply->result_case == AKT__REMOTE__REPLY__RESULT_OK && f->reply->ok)
                sink += (size_t)headers_in(f->reply->ok->headers, f->reply->ok->n_headers);
            break;
        case AKT__REMOTE__FRAME__BODY_COMPRESSED: {
            /* What a connection does: bounded inflate, then the frame inside (once). */
            uint8_t *in = NULL;
            char why[160];
            if (*depth == 0 &&
                akt__inflate_frame(f->compressed->method, f->compressed->length,
                                   f->compressed->data.data, f->compressed->data.len,
                                   AKT__COMPRESS_ACCEPTED, 4096, &in, why, sizeof why) == 0) {
                *depth = 1;
                on_frame(fc, in, f->compressed->length);
                *depth = 0;
                free(in);
            }
            break;
        }
        case AKT__REMOTE__FRAME__BODY_CHUNK: {
            /* What a connection does: at most 64 KiB put back together, in order. */
            uint8_t *whole = NULL;
            uint32_t wn = 0;
            char why[200];
            if (*depth == 0 && akt__chunk_accept(&fc->rx, f->chunk, 65536, 0, &whole, &wn, why,
                                                 sizeof why) == 0 &&
                whole) {
                *depth = 1;
                on_frame(fc, whole, wn);
                *depth = 0;
                free(whole);
            }
            break;
        }
        default:
            break;
        }
        (void)sink;
        akt__wire_free(f);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    size_t chunk = 1 + data[0] % 17;
    akt__frame_decoder d;
    akt__frame_decoder_init(&d, 4096);
    fuzz_conn fc = {0};
    for (size_t at = 1; at < size; at += chunk) {
        size_t n = size - at < chunk ? size - at : chunk;
        fc.depth = 0;
        if (akt__frame_feed(&d, data + at, n, on_frame, &fc)) break;
    }
    akt__frame_decoder_free(&d);
    akt__chunk_in_free(&fc.rx);
    akt__wire_free(akt__wire_unpack(data, size));
    return 0;
}
