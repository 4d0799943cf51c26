/* The protocol's frames: packing with the length header, and a checked unpack. */
#include <stdlib.h>

#include "endpoint.h"

uint8_t *akt__wire_pack(const Akt__Remote__Frame *f, size_t *len) {
    size_t body = akt__remote__frame__get_packed_size(f);
    uint8_t *buf = malloc(AKT__FRAME_HEADER + body);
    if (!buf) return NULL;
    akt__frame_header(buf, (uint32_t)body);
    akt__remote__frame__pack(f, buf + AKT__FRAME_HEADER);
    *len = AKT__FRAME_HEADER + body;
    return buf;
}

/* Reads a varint at *p (< end); 0 if it runs past end or over 10 bytes. */
static int akt__varint(const uint8_t **p, const uint8_t *end, uint64_t *v) {
    uint64_t x = 0;
    for (int shift = 0; shift < 70 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return 1;
        }
    }
    return 0;
}

/* Checks the fields of one message level: every key names a field > 0 (protobuf-c takes a
 * field number 0 as an unknown field on some paths; the protocol has none) and a known wire
 * type, and every field fits. depth > 0: length-delimited fields are messages too (the
 * Frame's bodies) and are checked one level down. */
static int akt__wire_scan(const uint8_t *p, const uint8_t *end, int depth) {
    while (p < end) {
        uint64_t key, v;
        if (!akt__varint(&p, end, &key) || (key >> 3) == 0 || (key >> 3) > 536870911u) return 0;
        switch (key & 7) {
        case 0:
            if (!akt__varint(&p, end, &v)) return 0;
            break;
        case 1:
            if (end - p < 8) return 0;
            p += 8;
            break;
        case 5:
            if (end - p < 4) return 0;
            p += 4;
            break;
        case 2:
            if (!akt__varint(&p, end, &v) || v > (uint64_t)(end - p)) return 0;
            if (depth > 0 && !akt__wire_scan(p, p + v, depth - 1)) return 0;
            p += v;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

Akt__Remote__Frame *akt__wire_unpack(const uint8_t *body, size_t len) {
    if (!akt__wire_scan(body, body + len, 1)) return NULL;
    Akt__Remote__Frame *f = akt__remote__frame__unpack(NULL, len, body);
    if (!f) return NULL;
    int ok = 0;
    switch (f->body_case) {
    case AKT__REMOTE__FRAME__BODY_HELLO:
        ok = f->hello != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_HELLO_ACK:
        ok = f->hello_ack != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_TELL:
        ok = f->tell != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_REPLY:
        ok = f->reply != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_BYE:
        ok = f->bye != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_COMPRESSED:
        ok = f->compressed != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_PING:
        ok = f->ping != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_PONG:
        ok = f->pong != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_CREDIT:
        ok = f->credit != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_WATCH:
        ok = f->watch != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_UNWATCH:
        ok = f->unwatch != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_TERMINATED:
        ok = f->terminated != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_STOP:
        ok = f->stop != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_SPAWN:
        ok = f->spawn != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_REINSTATE:
        ok = f->reinstate != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_CHUNK:
        ok = f->chunk != NULL;
        break;
    case AKT__REMOTE__FRAME__BODY_CLOSE: /* ack */
        ok = f->close != NULL;
        break;
    default:
        break;
    }
    if (!ok) {
        akt__remote__frame__free_unpacked(f, NULL);
        return NULL;
    }
    return f;
}

void akt__wire_free(Akt__Remote__Frame *f) {
    if (f) akt__remote__frame__free_unpacked(f, NULL);
}
