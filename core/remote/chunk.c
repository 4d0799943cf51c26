/* Chunks: splitting a large frame body on the way out, and the bounded reassembly on the
 * way in (chunk.h). */
#include "chunk.h"

#include <akt/akt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

void akt__chunk_in_free(akt__chunk_in *a) {
    free(a->buf);
    memset(a, 0, sizeof *a);
}

static int akt__chunk_bad(akt__chunk_in *a, char *why, size_t cap, const char *text, uint64_t id) {
    snprintf(why, cap, "chunked frame %llu: %s", (unsigned long long)id, text);
    akt__chunk_in_free(a);
    return AKT_EPROTO;
}

int akt__chunk_accept(akt__chunk_in *a, const Akt__Remote__Chunk *ch, uint32_t max, int64_t now_ns,
                      uint8_t **done, uint32_t *done_len, char *why, size_t cap) {
    *done = NULL;
    *done_len = 0;
    if (ch->id == 0) return akt__chunk_bad(a, why, cap, "id 0", 0);
    if (a->id && ch->id != a->id)
        return akt__chunk_bad(a, why, cap, "a new chunked frame began before it was complete",
                              a->id);
    if (!a->id) { /* the first chunk of a new frame */
        if (ch->offset != 0)
            return akt__chunk_bad(a, why, cap, "its first chunk does not start at offset 0",
                                  ch->id);
        if (ch->total == 0 || ch->total > max) {
            char t[120];
            snprintf(t, sizeof t, "declares %u bytes, over this node's message limit of %u",
                     ch->total, max);
            return akt__chunk_bad(a, why, cap, t, ch->id);
        }
        a->id = ch->id;
        a->total = ch->total;
        a->have = 0;
    }
    if (ch->total != a->total)
        return akt__chunk_bad(a, why, cap, "its total changed between chunks", a->id);
    if (ch->offset != a->have) return akt__chunk_bad(a, why, cap, "a chunk out of order", a->id);
    if (ch->data.len == 0 || ch->data.len > a->total - a->have)
        return akt__chunk_bad(a, why, cap,
                              ch->data.len ? "a chunk past its total" : "an empty chunk", a->id);
    uint32_t need = a->have + (uint32_t)ch->data.len;
    if (need > a->cap) { /* grows with what came: doubling, up to the total */
        uint64_t ncap = a->cap ? (uint64_t)a->cap * 2 : 65536;
        if (ncap < need) ncap = need;
        if (ncap > a->total) ncap = a->total;
        uint8_t *nb = realloc(a->buf, (size_t)ncap);
        if (!nb) {
            akt__chunk_in_free(a);
            return AKT_ENOMEM;
        }
        a->buf = nb;
        a->cap = (uint32_t)ncap;
    }
    memcpy(a->buf + a->have, ch->data.data, ch->data.len);
    a->have = need;
    a->last_ns = now_ns;
    if (a->have < a->total) return 0;
    *done = a->buf;
    *done_len = a->total;
    a->buf = NULL;
    akt__chunk_in_free(a);
    return 0;
}

uint8_t *akt__chunk_pack(const uint8_t *body, uint32_t total, uint32_t off, uint64_t id,
                         uint32_t size, size_t *len, uint32_t *taken) {
    uint32_t room = size > AKT__CHUNK_OVERHEAD ? size - AKT__CHUNK_OVERHEAD : 1;
    uint32_t n = total - off < room ? total - off : room;
    Akt__Remote__Chunk ch = AKT__REMOTE__CHUNK__INIT;
    ch.id = id;
    ch.total = total;
    ch.offset = off;
    ch.data.data = (uint8_t *)body + off;
    ch.data.len = n;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_CHUNK;
    f.chunk = &ch;
    size_t flen = akt__remote__frame__get_packed_size(&f);
    uint8_t *buf = malloc(AKT__FRAME_HEADER + flen);
    if (!buf) return NULL;
    akt__frame_header(buf, (uint32_t)flen);
    akt__remote__frame__pack(&f, buf + AKT__FRAME_HEADER);
    *len = AKT__FRAME_HEADER + flen;
    *taken = n;
    return buf;
}
