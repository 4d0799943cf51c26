/* The counters of the counting build (base/atomic_count.h): in akt_counted only. */
#include "base/atomic_count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Thread_local uint64_t akt__atomics_mine[2];
uint64_t akt__atomics_all[2];
int akt__atomics_sites_on;
_Thread_local int akt__atomics_caller;

/* Open addressing; a key is the file's address plus line << 48 (user-space addresses fit
 * 47 bits), claimed with a CAS. One header line has one key per translation unit. */
#define AKT__SITES 8192
static struct {
    uint64_t key;
    uint64_t n[2]; /* the caller's ticks, the other threads' */
} akt__sites[AKT__SITES];

void akt__atomic_site(const char *file, int line) {
    uint64_t key = (uint64_t)(uintptr_t)file + ((uint64_t)(unsigned)line << 48);
    uint64_t h = key * UINT64_C(0x9e3779b97f4a7c15) >> 51; /* 13 bits */
    for (unsigned i = 0; i < AKT__SITES; i++) {
        unsigned slot = (unsigned)(h + i) & (AKT__SITES - 1);
        uint64_t k = __atomic_load_n(&akt__sites[slot].key, __ATOMIC_RELAXED);
        if (!k && __atomic_compare_exchange_n(&akt__sites[slot].key, &k, key, 0, __ATOMIC_RELAXED,
                                              __ATOMIC_RELAXED))
            k = key;
        if (k == key) {
            __atomic_fetch_add(&akt__sites[slot].n[akt__atomics_caller ? 0 : 1], 1,
                               __ATOMIC_RELAXED);
            return;
        }
    }
}

void akt__atomic_sites_reset(void) { memset(akt__sites, 0, sizeof akt__sites); }

typedef struct {
    const char *file;
    int line;
    uint64_t n[2];
} akt__site_row;

static int akt__site_by_place(const void *a, const void *b) {
    const akt__site_row *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : x->line - y->line;
}

static int akt__site_by_count(const void *a, const void *b) {
    const akt__site_row *x = a, *y = b;
    uint64_t nx = x->n[0] + x->n[1], ny = y->n[0] + y->n[1];
    return nx < ny ? 1 : nx > ny ? -1 : akt__site_by_place(a, b);
}

void akt__atomic_sites_dump(double per) {
    akt__site_row *rows = calloc(AKT__SITES, sizeof *rows);
    if (!rows) return;
    size_t n = 0;
    for (unsigned i = 0; i < AKT__SITES; i++) {
        uint64_t k = akt__sites[i].key;
        if (!k) continue;
        rows[n].file = (const char *)(uintptr_t)(k & ((UINT64_C(1) << 48) - 1));
        rows[n].line = (int)(k >> 48);
        rows[n].n[0] = akt__sites[i].n[0];
        rows[n].n[1] = akt__sites[i].n[1];
        n++;
    }
    /* One row per file and line, whatever the translation unit. */
    qsort(rows, n, sizeof *rows, akt__site_by_place);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && !akt__site_by_place(&rows[m - 1], &rows[i])) {
            rows[m - 1].n[0] += rows[i].n[0];
            rows[m - 1].n[1] += rows[i].n[1];
        } else {
            rows[m++] = rows[i];
        }
    }
    qsort(rows, m, sizeof *rows, akt__site_by_count);
    fprintf(stderr, "# %10s %10s  site (atomics per op: caller, other threads)\n", "caller",
            "others");
    for (size_t i = 0; i < m; i++) {
        double c = (double)rows[i].n[0] / per, o = (double)rows[i].n[1] / per;
        if (c + o < 0.005) break;
        const char *f = strstr(rows[i].file, "/core/");
        fprintf(stderr, "# %10.3f %10.3f  %s:%d\n", c, o, f ? f + 6 : rows[i].file, rows[i].line);
    }
    free(rows);
}
