/* Message headers: the optional key/value block a message points to (akt_msg.hdrs). One
 * allocation holds the entry table; each entry's key and value share one more. Written only
 * while the message is unsent and unshared, read-only afterwards: no synchronisation beyond
 * the send's own publication. */
#ifndef AKT_CORE_KERNEL_HEADERS_H
#define AKT_CORE_KERNEL_HEADERS_H
#include <akt/akt.h>
#include <stddef.h>
#include <stdint.h>

typedef struct akt__hdr {
    char *key; /* NUL-terminated, then the value and a NUL: one block */
    uint32_t key_len;
    uint32_t len;
} akt__hdr;

typedef struct akt__hdrs {
    uint32_t count;
    uint32_t cap;
    size_t bytes; /* keys and values together, against AKT_HEADERS_BYTES_MAX */
    akt__hdr e[];
} akt__hdrs;

static inline const void *akt__hdr_value(const akt__hdr *h) { return h->key + h->key_len + 1; }

/* Frees a message's headers (the message is being freed). */
void akt__hdrs_free(akt__hdrs *h);

#endif
