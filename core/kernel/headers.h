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
    /* Run once as the message is freed, after its data (akt__msg_on_free), or NULL. It
     * lives here because the record is the one word a message keeps for what it rarely
     * has; akt_msg_copy_headers never copies it. */
    void (*on_free)(void *arg);
    void *free_arg;
    akt__hdr e[];
} akt__hdrs;

static inline const void *akt__hdr_value(const akt__hdr *h) { return h->key + h->key_len + 1; }

/* Frees a message's headers (the message is being freed), then runs its on_free hook. */
void akt__hdrs_free(akt__hdrs *h);

/* Has fn(arg) run once when m is freed, on the thread that frees it (remote/flow.c counts
 * a decoded message as consumed then, whoever made it). m must be writable as for
 * akt_msg_set_header (unsent, one reference) and have no hook yet: else AKT_EMISUSE (or
 * AKT_ENOTSUP for one of akt's own messages), AKT_ENOMEM; on failure nothing changes. */
int akt__msg_on_free(akt_msg *m, void (*fn)(void *arg), void *arg);

#endif
