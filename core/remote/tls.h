/* TLS 1.3 (and mutual TLS) on a connection's byte stream, through OpenSSL memory BIOs: the
 * endpoint hands in what the socket read and gets plaintext out; it hands in plaintext and
 * gets the bytes to write. Nothing here touches a socket or a thread: a connection's TLS
 * state is used by the loop thread only, the node's context is read-only once made.
 *
 * Bytes to write (handshake records, alerts, encrypted frames) pile up inside until the
 * endpoint takes them all at once with akt__tls_take, so one batch of frames becomes one
 * buffer and one uv_write. */
#ifndef AKT_CORE_REMOTE_TLS_H
#define AKT_CORE_REMOTE_TLS_H
#include <stddef.h>
#include <stdint.h>

/* What a node's TLS is made of (borrowed for akt__tls_ctx_new). */
typedef struct akt__tls_config {
    const char *cert_file;   /* PEM: this node's certificate (chain) */
    const char *key_file;    /* PEM: its private key */
    const char *ca_file;     /* PEM: the CAs peers' certificates must chain to; NULL: system's */
    int require_client_cert; /* mTLS: an inbound peer without a valid certificate is refused */
    const char *peer_name;   /* the name or IP outbound peers must prove; NULL: their host */
} akt__tls_config;

typedef struct akt__tls_ctx akt__tls_ctx; /* a node's: one for both directions */
typedef struct akt__tls akt__tls;         /* a connection's */

/* Loads the certificate, key and CAs. 0, or AKT_EINVAL (a file that cannot be read, a key
 * that does not match its certificate: the reason in err) or AKT_ENOMEM. */
int akt__tls_ctx_new(const akt__tls_config *cfg, akt__tls_ctx **out, char *err, size_t errlen);
void akt__tls_ctx_free(akt__tls_ctx *t);

/* A connection's TLS: the server side of an accepted connection, or the client side of an
 * outbound one to host (checked against the certificate unless the config names another
 * peer). NULL on ENOMEM. A client has its first flight (ClientHello) ready to take at once. */
akt__tls *akt__tls_new(akt__tls_ctx *t, int server, const char *host);
void akt__tls_free(akt__tls *s);

/* Called with each piece of plaintext (borrowed for the call); non-zero stops the feed,
 * which returns it. */
typedef int (*akt__tls_plain_fn)(void *data, const uint8_t *p, size_t n);

/* Feeds bytes read from the socket: advances the handshake, then decrypts. 0, what fn
 * returned, AKT_EPROTO (handshake failure, a bad certificate, a malformed or non-TLS record
 * stream, an alert from the peer: akt__tls_reason says which; sticky) or AKT_ENOMEM. */
int akt__tls_feed(akt__tls *s, const uint8_t *p, size_t n, akt__tls_plain_fn fn, void *data);
/* 1 once the handshake completed (plaintext may be written). */
int akt__tls_ready(const akt__tls *s);
/* Encrypts plaintext (only once ready): what is written between two flushes becomes as few
 * records as its size allows, so many small frames cost one record header, not one each.
 * 0, AKT_EPROTO or AKT_ENOMEM. */
int akt__tls_write(akt__tls *s, const uint8_t *p, size_t n);
/* Seals what akt__tls_write staged into a record (call before akt__tls_take). */
int akt__tls_flush(akt__tls *s);
/* The sticky failure (0: none). */
int akt__tls_failed(const akt__tls *s);
/* Bytes waiting to be written. */
size_t akt__tls_pending(const akt__tls *s);
/* Moves every byte waiting to be written into a new buffer (*len bytes; malloc'd, the
 * caller frees it). NULL with *len = 0 when nothing waits, NULL with *len != 0 on ENOMEM. */
uint8_t *akt__tls_take(akt__tls *s, size_t *len);
/* Why the last failure happened ("" if none). */
const char *akt__tls_reason(const akt__tls *s);

#endif
