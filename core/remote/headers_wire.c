/* A message's headers on the wire: borrowed into a Tell's or a reply Payload's repeated
 * Header field when sending, checked against the local limits when receiving. */
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"

int akt__wire_headers_out(const akt_msg *msg, akt__wire_hdrs *out) {
    out->items = NULL;
    out->count = 0;
    size_t n = 0;
    if (akt_msg_header_count(msg, &n) || n == 0) return 0;
    /* One block: the pointer array, then the Header structs it points to. */
    void *blk = malloc(n * (sizeof(Akt__Remote__Header *) + sizeof(Akt__Remote__Header)));
    if (!blk) return AKT_ENOMEM;
    Akt__Remote__Header **items = blk;
    Akt__Remote__Header *h = (Akt__Remote__Header *)(items + n);
    for (size_t i = 0; i < n; i++) {
        const char *key = NULL;
        const void *value = NULL;
        size_t len = 0;
        akt__remote__header__init(&h[i]);
        if (akt_msg_header_at(msg, i, &key, &value, &len) == 0) {
            h[i].key.data = (uint8_t *)key;
            h[i].key.len = strlen(key);
            h[i].value.data = (uint8_t *)value;
            h[i].value.len = len;
        }
        items[i] = &h[i];
    }
    out->items = items;
    out->count = n;
    return 0;
}

void akt__wire_headers_done(akt__wire_hdrs *h) {
    free(h->items);
    h->items = NULL;
    h->count = 0;
}

int akt__wire_headers_in(akt_msg *msg, Akt__Remote__Header *const *items, size_t n) {
    if (n > AKT_HEADERS_MAX) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++) {
        const Akt__Remote__Header *h = items[i];
        char key[AKT_HEADER_KEY_MAX + 1];
        if (!h || h->key.len == 0 || h->key.len > AKT_HEADER_KEY_MAX ||
            memchr(h->key.data, 0, h->key.len))
            return AKT_EINVAL;
        memcpy(key, h->key.data, h->key.len);
        key[h->key.len] = 0;
        /* The key's characters, the value's size and the message's totals: its own checks. */
        int rc = akt_msg_set_header(msg, key, h->value.data, h->value.len);
        if (rc) return rc;
    }
    return 0;
}
