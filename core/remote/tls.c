/* TLS on memory BIOs (OpenSSL 3): the read BIO gets what the socket read, the write BIO
 * collects what must be written. TLS 1.3 only; the client always checks the server's
 * certificate and name, the server asks for a client certificate only for mTLS. */
#include "tls.h"

#include <akt/akt.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Plaintext gathered into one record: TLS's largest. */
#define AKT__TLS_RECORD 16384

struct akt__tls_ctx {
    SSL_CTX *server, *client;
    char *peer_name;
};

struct akt__tls {
    SSL *ssl;
    BIO *rbio, *wbio; /* owned by ssl */
    int ready;
    int error; /* sticky */
    char reason[200];
    uint8_t stage[AKT__TLS_RECORD]; /* plaintext waiting to become one record */
    size_t staged;
};

/* The oldest error of this thread's OpenSSL queue, as text, and the queue emptied. */
static void akt__tls_err_text(char *buf, size_t len, const char *what) {
    unsigned long e = ERR_get_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    snprintf(buf, len, "%s%s%s", what, r ? ": " : "", r ? r : "");
    ERR_clear_error();
}

static SSL_CTX *akt__tls_side(const akt__tls_config *cfg, int server, char *err, size_t errlen) {
    SSL_CTX *x = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (!x) {
        akt__tls_err_text(err, errlen, "TLS context");
        return NULL;
    }
    const char *fail = NULL;
    if (!SSL_CTX_set_min_proto_version(x, TLS1_3_VERSION))
        fail = "TLS 1.3 unavailable";
    else if (SSL_CTX_use_certificate_chain_file(x, cfg->cert_file) != 1)
        fail = "TLS certificate file cannot be used";
    else if (SSL_CTX_use_PrivateKey_file(x, cfg->key_file, SSL_FILETYPE_PEM) != 1)
        fail = "TLS key file cannot be used";
    else if (SSL_CTX_check_private_key(x) != 1)
        fail = "TLS key does not match the certificate";
    else if (cfg->ca_file ? SSL_CTX_load_verify_locations(x, cfg->ca_file, NULL) != 1
                          : SSL_CTX_set_default_verify_paths(x) != 1)
        fail = "TLS CA file cannot be used";
    if (fail) {
        akt__tls_err_text(err, errlen, fail);
        SSL_CTX_free(x);
        return NULL;
    }
    if (server) {
        SSL_CTX_set_verify(x,
                           cfg->require_client_cert
                               ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                               : SSL_VERIFY_NONE,
                           NULL);
        /* Connections are long-lived and never resumed: no session tickets on the wire. */
        SSL_CTX_set_num_tickets(x, 0);
        SSL_CTX_set_session_cache_mode(x, SSL_SESS_CACHE_OFF);
    } else {
        SSL_CTX_set_verify(x, SSL_VERIFY_PEER, NULL);
    }
    return x;
}

int akt__tls_ctx_new(const akt__tls_config *cfg, akt__tls_ctx **out, char *err, size_t errlen) {
    if (!cfg || !cfg->cert_file || !cfg->key_file) {
        snprintf(err, errlen, "TLS needs a certificate file and a key file");
        return AKT_EINVAL;
    }
    akt__tls_ctx *t = calloc(1, sizeof *t);
    if (!t) return AKT_ENOMEM;
    ERR_clear_error();
    t->server = akt__tls_side(cfg, 1, err, errlen);
    t->client = t->server ? akt__tls_side(cfg, 0, err, errlen) : NULL;
    if (cfg->peer_name && !(t->peer_name = strdup(cfg->peer_name))) {
        akt__tls_ctx_free(t);
        return AKT_ENOMEM;
    }
    if (!t->client) {
        akt__tls_ctx_free(t);
        return AKT_EINVAL;
    }
    *out = t;
    return 0;
}

void akt__tls_ctx_free(akt__tls_ctx *t) {
    if (!t) return;
    SSL_CTX_free(t->server);
    SSL_CTX_free(t->client);
    free(t->peer_name);
    free(t);
}

/* The client's check of the server's identity: an IP address against the certificate's IP
 * entries, anything else against its DNS names (and sent as SNI). */
static int akt__tls_expect(SSL *ssl, const char *name) {
    unsigned char ip[16];
    if (inet_pton(AF_INET, name, ip) == 1 || inet_pton(AF_INET6, name, ip) == 1)
        return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) == 1;
    return SSL_set1_host(ssl, name) == 1 && SSL_set_tlsext_host_name(ssl, name) == 1;
}

static int akt__tls_handshake(akt__tls *s);

akt__tls *akt__tls_new(akt__tls_ctx *t, int server, const char *host) {
    akt__tls *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->ssl = SSL_new(server ? t->server : t->client);
    s->rbio = BIO_new(BIO_s_mem());
    s->wbio = BIO_new(BIO_s_mem());
    if (!s->ssl || !s->rbio || !s->wbio) goto fail;
    /* An empty read BIO means "wait for more", not end of stream. */
    BIO_set_mem_eof_return(s->rbio, -1);
    BIO_set_mem_eof_return(s->wbio, -1);
    SSL_set_bio(s->ssl, s->rbio, s->wbio);
    if (server) {
        SSL_set_accept_state(s->ssl);
        return s;
    }
    const char *name = t->peer_name ? t->peer_name : host;
    if (!name || !akt__tls_expect(s->ssl, name)) {
        SSL_free(s->ssl);
        free(s);
        return NULL;
    }
    SSL_set_connect_state(s->ssl);
    ERR_clear_error();
    if (akt__tls_handshake(s) == AKT_ENOMEM) { /* the ClientHello, ready to take */
        akt__tls_free(s);
        return NULL;
    }
    return s;
fail:
    if (s->ssl) {
        SSL_free(s->ssl);
    } else {
        BIO_free(s->rbio);
        BIO_free(s->wbio);
    }
    free(s);
    return NULL;
}

void akt__tls_free(akt__tls *s) {
    if (!s) return;
    SSL_free(s->ssl); /* and its BIOs */
    free(s);
}

/* Records why the connection failed: the certificate check's verdict when that was it,
 * else OpenSSL's reason (a received alert, a record that is not TLS). */
static int akt__tls_fail(akt__tls *s, const char *what) {
    long v = SSL_get_verify_result(s->ssl);
    if (v != X509_V_OK && !s->ready) {
        snprintf(s->reason, sizeof s->reason, "%s: certificate rejected (%s)", what,
                 X509_verify_cert_error_string(v));
        ERR_clear_error();
    } else {
        akt__tls_err_text(s->reason, sizeof s->reason, what);
    }
    s->error = AKT_EPROTO;
    return s->error;
}

/* One step of the handshake: 0 (done or waiting for bytes), or the failure. */
static int akt__tls_handshake(akt__tls *s) {
    int r = SSL_do_handshake(s->ssl);
    if (r == 1) {
        s->ready = 1;
        return 0;
    }
    int e = SSL_get_error(s->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return 0;
    return akt__tls_fail(s, "TLS handshake failed");
}

int akt__tls_feed(akt__tls *s, const uint8_t *p, size_t n, akt__tls_plain_fn fn, void *data) {
    if (s->error) return s->error;
    ERR_clear_error();
    if (n && BIO_write(s->rbio, p, (int)n) != (int)n) return s->error = AKT_ENOMEM;
    if (!s->ready) {
        int rc = akt__tls_handshake(s);
        if (rc || !s->ready) return rc;
    }
    uint8_t buf[AKT__TLS_RECORD];
    for (;;) {
        int r = SSL_read(s->ssl, buf, sizeof buf);
        if (r > 0) {
            int rc = fn(data, buf, (size_t)r);
            if (rc) return rc;
            continue;
        }
        int e = SSL_get_error(s->ssl, r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return 0;
        if (e == SSL_ERROR_ZERO_RETURN) {
            snprintf(s->reason, sizeof s->reason, "TLS connection closed by the peer");
            return s->error = AKT_EPROTO;
        }
        return akt__tls_fail(s, "TLS connection failed");
    }
}

int akt__tls_ready(const akt__tls *s) { return s->ready; }

static int akt__tls_seal(akt__tls *s, const uint8_t *p, size_t n) {
    /* The write BIO grows as needed, so a ready connection's SSL_write takes it all. */
    if (SSL_write(s->ssl, p, (int)n) != (int)n) return akt__tls_fail(s, "TLS write failed");
    return 0;
}

int akt__tls_write(akt__tls *s, const uint8_t *p, size_t left) {
    if (s->error) return s->error;
    if (!s->ready) return AKT_EPROTO;
    ERR_clear_error();
    while (left) {
        if (!s->staged && left >= AKT__TLS_RECORD) { /* a whole record: no copy */
            if (akt__tls_seal(s, p, AKT__TLS_RECORD)) return s->error;
            p += AKT__TLS_RECORD;
            left -= AKT__TLS_RECORD;
            continue;
        }
        size_t k = AKT__TLS_RECORD - s->staged;
        if (k > left) k = left;
        memcpy(s->stage + s->staged, p, k);
        s->staged += k;
        p += k;
        left -= k;
        if (s->staged == AKT__TLS_RECORD) {
            s->staged = 0;
            if (akt__tls_seal(s, s->stage, AKT__TLS_RECORD)) return s->error;
        }
    }
    return 0;
}

int akt__tls_flush(akt__tls *s) {
    if (s->error) return s->error;
    if (!s->staged) return 0;
    size_t k = s->staged;
    s->staged = 0;
    ERR_clear_error();
    return akt__tls_seal(s, s->stage, k);
}

int akt__tls_failed(const akt__tls *s) { return s->error; }

size_t akt__tls_pending(const akt__tls *s) { return BIO_ctrl_pending(s->wbio); }

uint8_t *akt__tls_take(akt__tls *s, size_t *len) {
    size_t k = BIO_ctrl_pending(s->wbio);
    *len = k;
    if (!k) return NULL;
    uint8_t *out = malloc(k);
    if (!out) return NULL;
    if (BIO_read(s->wbio, out, (int)k) != (int)k) { /* a memory BIO gives all it holds */
        free(out);
        return NULL;
    }
    return out;
}

const char *akt__tls_reason(const akt__tls *s) { return s->reason; }
