/* libFuzzer target: the TLS record feed (core/remote/tls.c) of either side of a connection,
 * fed arbitrary bytes in arbitrary splits, as a peer would send them before (or instead of)
 * a handshake; whatever plaintext comes out goes to the frame decoder, as a connection's
 * would. Nothing may crash or leak; a failure must be sticky. The first input byte picks
 * the side (bit 0) and the split size (the rest). The node's certificate is made once, in
 * memory, then written to a temporary directory for akt__tls_ctx_new. */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote/frame.h"
#include "remote/tls.h"

static akt__tls_ctx *ctx;

/* A self-signed P-256 certificate for 127.0.0.1 and its key, as PEM files in dir. */
static int make_cert(const char *dir, char *cert, char *key, size_t len) {
    EVP_PKEY *pk = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    if (!pk || !x) return -1;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, pk);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"akt fuzz", -1,
                               -1, 0);
    X509_set_issuer_name(x, name);
    if (!X509_sign(x, pk, EVP_sha256())) return -1;
    snprintf(cert, len, "%s/cert.pem", dir);
    snprintf(key, len, "%s/key.pem", dir);
    FILE *fc = fopen(cert, "w"), *fk = fopen(key, "w");
    int ok = fc && fk && PEM_write_X509(fc, x) && PEM_write_PrivateKey(fk, pk, NULL, NULL, 0, 0, 0);
    if (fc) fclose(fc);
    if (fk) fclose(fk);
    X509_free(x);
    EVP_PKEY_free(pk);
    return ok ? 0 : -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/akt-fuzz-tls-XXXXXX", cert[128], key[128], err[200];
    if (!mkdtemp(dir) || make_cert(dir, cert, key, sizeof cert)) abort();
    /* The certificate is its own CA; both sides require the other's. */
    akt__tls_config cfg = {cert, key, cert, 1, "127.0.0.1"};
    if (akt__tls_ctx_new(&cfg, &ctx, err, sizeof err)) {
        fprintf(stderr, "fuzz_tls: %s\n", err);
        abort();
    }
    unlink(cert);
    unlink(key);
    rmdir(dir);
    return 0;
}

static int on_frame(void *data, const uint8_t *body, uint32_t len) {
    (void)data;
    (void)body;
    (void)len;
    return 0;
}

static int on_plain(void *data, const uint8_t *p, size_t n) {
    return akt__frame_feed(data, p, n, on_frame, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    int server = data[0] & 1;
    size_t split = (size_t)(data[0] >> 1) + 1;
    data++;
    size--;
    akt__tls *s = akt__tls_new(ctx, server, "127.0.0.1");
    if (!s) return 0;
    akt__frame_decoder dec;
    akt__frame_decoder_init(&dec, 1u << 20);
    size_t out_len;
    free(akt__tls_take(s, &out_len)); /* the client's first flight */
    int failed = 0;
    for (size_t off = 0; off < size; off += split) {
        size_t k = size - off < split ? size - off : split;
        int rc = akt__tls_feed(s, data + off, k, on_plain, &dec);
        free(akt__tls_take(s, &out_len)); /* what it answers (an alert, a handshake flight) */
        if (failed && !rc) abort(); /* a failure is sticky */
        if (akt__tls_failed(s)) failed = 1;
        if (rc) break;
    }
    if (akt__tls_ready(s)) { /* unlikely, but then writing must work */
        static const uint8_t frame[] = {0, 0, 0, 1, 0};
        if (akt__tls_write(s, frame, sizeof frame) == 0 && akt__tls_flush(s) == 0)
            free(akt__tls_take(s, &out_len));
    }
    akt__frame_decoder_free(&dec);
    akt__tls_free(s);
    return 0;
}
