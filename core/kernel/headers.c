/* Message headers: setting, reading, iterating, copying. */
#include "headers.h"

#include <string.h>

#include "base/alloc.h"
#include "msg.h"

void akt__hdrs_free(akt__hdrs *h) {
    void (*fn)(void *) = h->on_free;
    void *arg = h->free_arg;
    for (uint32_t i = 0; i < h->count; i++) akt__dfree(h->e[i].key);
    akt__dfree(h);
    if (fn) fn(arg);
}

/* The key's length, or AKT_EINVAL: 1..AKT_HEADER_KEY_MAX visible ASCII characters. */
static int akt__key_check(const char *key) {
    if (!key) return AKT_EINVAL;
    size_t n = strnlen(key, AKT_HEADER_KEY_MAX + 1);
    if (n == 0 || n > AKT_HEADER_KEY_MAX) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)key[i] < 0x21 || (unsigned char)key[i] > 0x7e) return AKT_EINVAL;
    return (int)n;
}

static const akt__hdrs *akt__hdrs_of(const akt_msg *m) { return m->has_hdrs ? m->hdrs : NULL; }

static int akt__hdr_find(const akt__hdrs *h, const char *key, size_t key_len) {
    if (h)
        for (uint32_t i = 0; i < h->count; i++)
            if (h->e[i].key_len == key_len && memcmp(h->e[i].key, key, key_len) == 0) return (int)i;
    return -1;
}

/* Whether headers may still be written: unsent, unshared, not one of akt's own. */
static int akt__hdrs_writable(const akt_msg *m) {
    /* relaxed, both: a caller that may write holds the only reference, and only its own
     * earlier send could have sealed the message. A racing retain by another thread would
     * be a caller's bug (it would have to hold a reference already). */
    if (atomic_load_explicit(&m->sealed, memory_order_relaxed) ||
        atomic_load_explicit(&m->refs, memory_order_relaxed) != 1)
        return AKT_EMISUSE;
    return akt__msg_about(m) ? AKT_ENOTSUP : 0;
}

/* Sets one header on a writable message; leaves it unchanged on failure. */
static int akt__hdr_put(akt_msg *m, const char *key, size_t key_len, const void *value,
                        size_t len) {
    akt__hdrs *h = m->has_hdrs ? m->hdrs : NULL;
    int at = akt__hdr_find(h, key, key_len);
    size_t old = at >= 0 ? h->e[at].key_len + h->e[at].len : 0;
    size_t bytes = (h ? h->bytes : 0) - old + key_len + len;
    if (bytes > AKT_HEADERS_BYTES_MAX || (at < 0 && h && h->count >= AKT_HEADERS_MAX))
        return AKT_EINVAL;
    char *blk = akt__dalloc(key_len + len + 2);
    if (!blk) return AKT_ENOMEM;
    memcpy(blk, key, key_len);
    blk[key_len] = 0;
    if (len) memcpy(blk + key_len + 1, value, len);
    blk[key_len + 1 + len] = 0;
    if (at < 0 && (!h || h->count == h->cap)) {
        uint32_t cap = h && h->cap ? h->cap * 2 : 4;
        if (cap > AKT_HEADERS_MAX) cap = AKT_HEADERS_MAX;
        akt__hdrs *n = akt__heap_realloc(&akt__default_heap, h,
                                         offsetof(akt__hdrs, e) + cap * sizeof(akt__hdr));
        if (!n) {
            akt__dfree(blk);
            return AKT_ENOMEM;
        }
        if (!h) n->count = 0, n->bytes = 0, n->on_free = NULL, n->free_arg = NULL;
        n->cap = cap;
        h = n;
        m->hdrs = h;
        m->has_hdrs = 1;
    }
    if (at >= 0) {
        akt__dfree(h->e[at].key);
    } else {
        at = (int)h->count++;
    }
    h->e[at] = (akt__hdr){blk, (uint32_t)key_len, (uint32_t)len};
    h->bytes = bytes;
    return 0;
}

int akt__msg_on_free(akt_msg *m, void (*fn)(void *arg), void *arg) {
    if (!akt__msg_ok(m) || !fn) return AKT_EINVAL;
    int rc = akt__hdrs_writable(m);
    if (rc) return rc;
    akt__hdrs *h = m->has_hdrs ? m->hdrs : NULL;
    if (h && h->on_free) return AKT_EMISUSE;
    if (!h) {
        h = akt__dalloc(sizeof *h); /* no entries yet: akt__hdr_put grows it */
        if (!h) return AKT_ENOMEM;
        h->count = h->cap = 0;
        h->bytes = 0;
        m->hdrs = h;
        m->has_hdrs = 1;
    }
    h->on_free = fn;
    h->free_arg = arg;
    return 0;
}

AKT_API int akt_msg_set_header(akt_msg *msg, const char *key, const void *value, size_t len) {
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    int kl = akt__key_check(key);
    if (kl < 0) return kl;
    if ((!value && len) || len > AKT_HEADER_VALUE_MAX) return AKT_EINVAL;
    int rc = akt__hdrs_writable(msg);
    return rc ? rc : akt__hdr_put(msg, key, (size_t)kl, value, len);
}

AKT_API int akt_msg_header(const akt_msg *msg, const char *key, const void **value, size_t *len) {
    if (!akt__msg_ok(msg) || !value || !len) return AKT_EINVAL;
    int kl = akt__key_check(key);
    if (kl < 0) return kl;
    const akt__hdrs *h = akt__hdrs_of(msg);
    int at = akt__hdr_find(h, key, (size_t)kl);
    if (at < 0) return AKT_ENOTFOUND;
    *value = akt__hdr_value(&h->e[at]);
    *len = h->e[at].len;
    return 0;
}

AKT_API int akt_msg_header_count(const akt_msg *msg, size_t *count) {
    if (!akt__msg_ok(msg) || !count) return AKT_EINVAL;
    const akt__hdrs *h = akt__hdrs_of(msg);
    *count = h ? h->count : 0;
    return 0;
}

AKT_API int akt_msg_header_at(const akt_msg *msg, size_t index, const char **key,
                              const void **value, size_t *len) {
    if (!akt__msg_ok(msg)) return AKT_EINVAL;
    const akt__hdrs *h = akt__hdrs_of(msg);
    if (!h || index >= h->count) return AKT_ENOTFOUND;
    const akt__hdr *e = &h->e[index];
    if (key) *key = e->key;
    if (value) *value = akt__hdr_value(e);
    if (len) *len = e->len;
    return 0;
}

AKT_API int akt_msg_copy_headers(akt_msg *dst, const akt_msg *src) {
    if (!akt__msg_ok(dst) || !akt__msg_ok(src)) return AKT_EINVAL;
    if (dst == src) return 0;
    int rc = akt__hdrs_writable(dst);
    if (rc) return rc;
    const akt__hdrs *h = akt__hdrs_of(src);
    if (!h || !h->count) return 0;
    /* The limits first, so that AKT_EINVAL changes nothing; then each header (only an
     * allocation can fail there). */
    const akt__hdrs *d = akt__hdrs_of(dst);
    size_t bytes = d ? d->bytes : 0, count = d ? d->count : 0;
    for (uint32_t i = 0; i < h->count; i++) {
        int at = akt__hdr_find(d, h->e[i].key, h->e[i].key_len);
        if (at >= 0) {
            bytes -= d->e[at].key_len + d->e[at].len;
        } else {
            count++;
        }
        bytes += h->e[i].key_len + h->e[i].len;
    }
    if (bytes > AKT_HEADERS_BYTES_MAX || count > AKT_HEADERS_MAX) return AKT_EINVAL;
    for (uint32_t i = 0; i < h->count; i++) {
        rc = akt__hdr_put(dst, h->e[i].key, h->e[i].key_len, akt__hdr_value(&h->e[i]), h->e[i].len);
        if (rc) return rc;
    }
    return 0;
}
