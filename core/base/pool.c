#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>

#include "alloc.h"
#include "tls.h"

#define AKT__MAG 128 /* blocks moved between a thread and the depot at once */

static const size_t akt__class_size[AKT__POOL_NCLASSES] = {64, 128, 192, 256};

typedef struct akt__block {
    struct akt__block *next;     /* next block in this magazine */
    struct akt__block *next_mag; /* first block of a magazine in the depot: the next one */
    unsigned count;              /* first block of a magazine in the depot: its length */
} akt__block;

/* Blocks are carved from slabs of AKT__MAG blocks, one heap allocation each, handed out
 * by a bump pointer so a fresh slab is touched only as it is used. */
typedef struct akt__slab {
    struct akt__slab *next;
    char pad[56]; /* keeps the blocks 64-byte aligned */
} akt__slab;

typedef struct akt__tcache {
    akt__block *head[AKT__POOL_NCLASSES];
    unsigned count[AKT__POOL_NCLASSES];
    char *bump[AKT__POOL_NCLASSES], *bump_end[AKT__POOL_NCLASSES];
    int registered;
} akt__tcache;

static struct {
    pthread_mutex_t lock;
    akt__block *mags[AKT__POOL_NCLASSES];
    akt__slab *slabs; /* every slab, for akt__pool_trim */
} akt__depot = {PTHREAD_MUTEX_INITIALIZER, {0}, NULL};

static AKT__TLS akt__tcache akt__tc;
static pthread_key_t akt__tc_key;
static pthread_once_t akt__tc_once = PTHREAD_ONCE_INIT;
/* relaxed: a test switch flipped while no other akt thread runs. */
static atomic_int akt__pool_on = 1;

static void akt__depot_push(int cls, akt__block *mag, unsigned count) {
    mag->count = count;
    pthread_mutex_lock(&akt__depot.lock);
    mag->next_mag = akt__depot.mags[cls];
    akt__depot.mags[cls] = mag;
    pthread_mutex_unlock(&akt__depot.lock);
}

/* Hands a chain of blocks to the depot in magazines of at most AKT__MAG. */
static void akt__depot_push_chain(int cls, akt__block *b) {
    while (b) {
        akt__block *mag = b;
        unsigned n = 1;
        while (b->next && n < AKT__MAG) {
            b = b->next;
            n++;
        }
        akt__block *rest = b->next;
        b->next = NULL;
        akt__depot_push(cls, mag, n);
        b = rest;
    }
}

/* Thread exit: everything the thread cached goes back to the depot, including the unused
 * tail of its current slab. */
static void akt__tc_flush(void *unused) {
    (void)unused;
    for (int c = 0; c < AKT__POOL_NCLASSES; c++) {
        size_t sz = akt__class_size[c];
        for (char *p = akt__tc.bump[c]; p && p < akt__tc.bump_end[c]; p += sz) {
            akt__block *b = (akt__block *)p;
            b->next = akt__tc.head[c];
            akt__tc.head[c] = b;
        }
        akt__tc.bump[c] = akt__tc.bump_end[c] = NULL;
        akt__depot_push_chain(c, akt__tc.head[c]);
        akt__tc.head[c] = NULL;
        akt__tc.count[c] = 0;
    }
}

static void akt__tc_key_init(void) { pthread_key_create(&akt__tc_key, akt__tc_flush); }

static void akt__tc_register(void) {
    pthread_once(&akt__tc_once, akt__tc_key_init);
    pthread_setspecific(akt__tc_key, &akt__tc);
    akt__tc.registered = 1;
}

int akt__pool_class(size_t n) {
    for (int c = 0; c < AKT__POOL_NCLASSES; c++)
        if (n <= akt__class_size[c]) return c;
    return -1;
}

/* The slow path: a magazine from the depot, or a new slab. */
static void *akt__pool_refill(int cls) {
    if (!akt__tc.registered) akt__tc_register();
    pthread_mutex_lock(&akt__depot.lock);
    akt__block *mag = akt__depot.mags[cls];
    if (mag) akt__depot.mags[cls] = mag->next_mag;
    pthread_mutex_unlock(&akt__depot.lock);
    if (mag) {
        akt__tc.head[cls] = mag->next;
        akt__tc.count[cls] = mag->count - 1;
        return mag;
    }
    size_t sz = akt__class_size[cls];
    akt__slab *slab = akt__dalloc(sizeof(akt__slab) + AKT__MAG * sz);
    if (!slab) return NULL;
    pthread_mutex_lock(&akt__depot.lock);
    slab->next = akt__depot.slabs;
    akt__depot.slabs = slab;
    pthread_mutex_unlock(&akt__depot.lock);
    char *base = (char *)(slab + 1);
    akt__tc.bump[cls] = base + sz;
    akt__tc.bump_end[cls] = base + AKT__MAG * sz;
    return base;
}

void *akt__pool_get(int cls) {
    if (!atomic_load_explicit(&akt__pool_on, memory_order_relaxed))
        return akt__dalloc(akt__class_size[cls]);
    akt__block *b = akt__tc.head[cls];
    if (b) {
        akt__tc.head[cls] = b->next;
        akt__tc.count[cls]--;
        return b;
    }
    if (akt__tc.bump[cls] < akt__tc.bump_end[cls]) {
        void *p = akt__tc.bump[cls];
        akt__tc.bump[cls] += akt__class_size[cls];
        return p;
    }
    return akt__pool_refill(cls);
}

void akt__pool_put(int cls, void *p) {
    if (!p) return;
    if (!atomic_load_explicit(&akt__pool_on, memory_order_relaxed)) {
        akt__dfree(p);
        return;
    }
    if (!akt__tc.registered) akt__tc_register();
    akt__block *b = p;
    b->next = akt__tc.head[cls];
    akt__tc.head[cls] = b;
    if (++akt__tc.count[cls] < 2 * AKT__MAG) return;
    /* Keep one magazine, hand the other to the depot: the next AKT__MAG frees and
     * AKT__MAG gets stay local either way. */
    akt__block *mag = b;
    for (unsigned i = 1; i < AKT__MAG; i++) b = b->next;
    akt__tc.head[cls] = b->next;
    b->next = NULL;
    akt__tc.count[cls] -= AKT__MAG;
    akt__depot_push(cls, mag, AKT__MAG);
}

void akt__pool_trim(void) {
    akt__tc_flush(NULL);
    pthread_mutex_lock(&akt__depot.lock);
    for (int c = 0; c < AKT__POOL_NCLASSES; c++) akt__depot.mags[c] = NULL;
    akt__slab *slab = akt__depot.slabs;
    akt__depot.slabs = NULL;
    pthread_mutex_unlock(&akt__depot.lock);
    while (slab) {
        akt__slab *n = slab->next;
        akt__dfree(slab);
        slab = n;
    }
}

void akt__pool_set_enabled(int on) {
    if (!on) akt__pool_trim();
    atomic_store_explicit(&akt__pool_on, on, memory_order_relaxed);
}
