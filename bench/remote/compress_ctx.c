/* Frame compression with contexts kept per connection against the per-frame contexts of
 * before, in one run (bench/remote): for zstd and gzip, frames of a few sizes compressed
 * and inflated back as a connection does (akt__zctx_* vs akt__compress/akt__decompress).
 * Prints, per method and size, ns per frame and heap allocations per frame for each path,
 * and their ratios (ctx over per-frame: below 1 is a saving). The allocations are counted
 * by interposing malloc & co in this program (glibc), so libzstd's and zlib's count too.
 * Not a test. Usage: akt-compress-ctx-bench [-n=FRAMES] */
#define _POSIX_C_SOURCE 200809L
#include <akt/akt.h>
#include <akt/remote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "remote/compress.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static unsigned long allocs; /* one thread: no atomics needed */

void *malloc(size_t n) {
    allocs++;
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
    allocs++;
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
    allocs++;
    return __libc_realloc(p, n);
}
void free(void *p) { __libc_free(p); }

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* A message-like frame: JSON-ish records with counters (compressible, not trivially). */
static void fill(char *p, size_t n, unsigned seed) {
    size_t at = 0;
    for (unsigned i = 0; at < n; i++) {
        char w[96];
        int k = snprintf(w, sizeof w, "{\"id\":%u,\"user\":\"u%u\",\"op\":\"tell\",\"v\":%u},",
                         seed * 131 + i, (seed + i) % 977, (i * 2654435761u) >> 20);
        for (int j = 0; j < k && at < n; j++) p[at++] = w[j];
    }
}

typedef struct run {
    double ns;
    double allocs;
} run;

static run per_frame(int method, char *in, size_t size, uint8_t *back, long n) {
    unsigned long a0 = allocs;
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        fill(in, 16, (unsigned)i); /* a different head each frame */
        uint8_t *z;
        size_t zn;
        if (akt__compress(method, (const uint8_t *)in, size, &z, &zn) ||
            akt__decompress(method, z, zn, back, size)) {
            fprintf(stderr, "per-frame codec failed\n");
            exit(1);
        }
        free(z);
    }
    return (run){(now_ns() - t0) / (double)n, (double)(allocs - a0) / (double)n};
}

static run with_ctx(int method, char *in, size_t size, uint8_t *back, long n) {
    akt__zctx tx = {0}, rx = {0};
    unsigned long a0 = allocs;
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        fill(in, 16, (unsigned)i);
        const uint8_t *z;
        size_t zn;
        if (akt__zctx_compress(&tx, method, (const uint8_t *)in, size, &z, &zn) ||
            akt__zctx_decompress(&rx, method, z, zn, back, size)) {
            fprintf(stderr, "context codec failed\n");
            exit(1);
        }
    }
    run r = {(now_ns() - t0) / (double)n, (double)(allocs - a0) / (double)n};
    akt__zctx_free(&tx);
    akt__zctx_free(&rx);
    return r;
}

int main(int argc, char **argv) {
    long n = 20000;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "-n=", 3) == 0) n = atol(argv[i] + 3);
    if (n < 10) n = 10;
    static const int methods[] = {AKT_REMOTE_COMPRESS_ZSTD, AKT_REMOTE_COMPRESS_GZIP};
    static const char *const names[] = {"zstd", "gzip"};
    static const size_t sizes[] = {1024, 16384};
    char *in = malloc(16384);
    uint8_t *back = malloc(16384);
    if (!in || !back) return 1;
    for (size_t m = 0; m < 2; m++)
        for (size_t s = 0; s < 2; s++) {
            fill(in, sizes[s], 1);
            long k = sizes[s] > 4096 ? n / 4 : n;
            per_frame(methods[m], in, sizes[s], back, k / 10); /* warm-up */
            run a = per_frame(methods[m], in, sizes[s], back, k);
            run b = with_ctx(methods[m], in, sizes[s], back, k);
            printf("compress_%s_%zu: per_frame %.0f ns %.1f allocs/frame, ctx %.0f ns %.1f "
                   "allocs/frame; ctx_over_per_frame time %.3f allocs %.3f\n",
                   names[m], sizes[s], a.ns, a.allocs, b.ns, b.allocs, b.ns / a.ns,
                   a.allocs > 0 ? b.allocs / a.allocs : 0.0);
        }
    free(in);
    free(back);
    return 0;
}
