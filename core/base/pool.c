#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "clock.h"
#include "tls.h"

#define AKT__MAG 128 /* blocks moved between a thread and the depot at once */
/* One heap allocation carved into the blocks of one class. 256 KiB: few slabs for the
 * reclaim to index, and a returned slab keeps only the page or two that the allocator's
 * bookkeeping touches (about 1% of it, where 64 KiB slabs kept about 6%). Smaller slabs
 * would empty sooner when long-lived blocks are mixed with short-lived ones. */
#define AKT__SLAB_BYTES ((size_t)256 * 1024)
/* Reclaim: the slabs that a class's free blocks fill go back to the heap, but for
 * AKT__KEEP_BLOCKS blocks, so that a load that comes back finds blocks without allocating.
 * Two occasions (a class worth it holds at least AKT__RECLAIM_MIN beyond those):
 * - the pools have been quiet (no magazine taken or given) for AKT__IDLE_NS: a parked
 *   worker waits that long and gives back (akt__pool_reclaim_due / _idle). 100 ms: longer
 *   than a producer stays descheduled on a busy machine (10 ms made the tell benchmark
 *   give slabs back and fault them in again a moment later), and longer than the gap
 *   between two bursts of a load that repeats them (Savina's Counting queues 1,000,000
 *   messages per iteration: giving them back as they drained, then faulting them in again,
 *   was half of its time);
 * - while a backlog drains and nobody has taken a magazine for AKT__DRAIN_IDLE_NS (a
 *   drain that long gives back as it goes, each reclaim at least a quarter of what is
 *   left: memory does not wait for the end of a huge backlog). */
#define AKT__IDLE_NS ((int64_t)100 * 1000 * 1000)
#define AKT__DRAIN_IDLE_NS ((int64_t)1000 * 1000 * 1000)
#define AKT__RECLAIM_MIN (32 * AKT__MAG)
#define AKT__KEEP_BLOCKS (8 * AKT__MAG)

static const size_t akt__class_size[AKT__POOL_NCLASSES] = {64, 128, 192, 256};

typedef struct akt__block {
    struct akt__block *next;     /* next block in this magazine */
    struct akt__block *next_mag; /* first block of a magazine in the depot: the next one */
    unsigned count;              /* first block of a magazine in the depot: its length */
} akt__block;
_Static_assert(sizeof(akt__block) <= AKT__POOL_LINK_BYTES, "the links fit their bytes");
_Static_assert(AKT__POOL_ALIGN % _Alignof(akt__block) == 0, "blocks can hold their links");

typedef struct akt__slab {
    struct akt__slab *prev, *next; /* the class's slabs; changed under the depot lock */
    char *blocks;                  /* the first block, AKT__POOL_ALIGN-aligned */
    unsigned nblocks;
    unsigned nseen;          /* reclaim scratch: its blocks found in the depot, */
    struct akt__block *seen; /* and those blocks, linked */
    /* 1 while a thread hands out its uncarved tail (bump pointer); then 0 for good.
     * Written under the depot lock; the reclaim reads it without the lock: relaxed is
     * enough, as a slab it sees at 0 stays at 0 and its carver never touches it again,
     * and one it sees at 1 is merely left alone this time. */
    atomic_int carving;
} akt__slab;

typedef struct akt__tcache {
    akt__block *head[AKT__POOL_NCLASSES];
    unsigned count[AKT__POOL_NCLASSES];
    char *bump[AKT__POOL_NCLASSES], *bump_end[AKT__POOL_NCLASSES];
    akt__slab *carving[AKT__POOL_NCLASSES]; /* the slab bump points into */
    int registered;
} akt__tcache;

typedef struct akt__depot_class {
    akt__block *mags; /* full and partial magazines, a stack */
    size_t nfree;     /* blocks in mags */
    size_t nblocks;   /* blocks in all the slabs of the class */
    size_t nslabs;
    int64_t last_pop;  /* when a thread last took a magazine (akt__now_ns), 0: never */
    int64_t last_push; /* when a thread last gave one (akt__now_ns), 0: never */
    int64_t idle_done; /* the quiet spell (its start) an idle reclaim already looked at */
    size_t backoff;    /* a reclaim that freed little waits for this many blocks */
    akt__slab *slabs;
    int reclaiming; /* a thread is reclaiming this class */
} akt__depot_class;

static struct {
    pthread_mutex_t lock;
    akt__depot_class c[AKT__POOL_NCLASSES];
} akt__depot = {.lock = PTHREAD_MUTEX_INITIALIZER};

static AKT__TLS akt__tcache akt__tc;
static pthread_key_t akt__tc_key;
static pthread_once_t akt__tc_once = PTHREAD_ONCE_INIT;
/* relaxed: a test switch flipped while no other akt thread runs. */
static atomic_int akt__pool_on = 1;

static void akt__depot_reclaim(int cls);

/* Under the lock: whether the class holds enough free blocks to be worth a reclaim: more
 * than the reserve by at least AKT__RECLAIM_MIN, at least a quarter of all the class's
 * blocks (idle memory stays under a third of the used memory, and a reclaim, which indexes
 * every slab, costs a constant per block it looks at), and at least `backoff` (a reclaim
 * that could free little, because the free blocks are spread over slabs still in use, is
 * not repeated until the depot has doubled). */
static int akt__depot_worth(const akt__depot_class *d) {
    return !d->reclaiming && d->nfree >= AKT__KEEP_BLOCKS + AKT__RECLAIM_MIN &&
           d->nfree >= d->nblocks / 4 && d->nfree >= d->backoff;
}

/* Under the lock, after blocks came in at `now`: whether to reclaim the class now (a long
 * drain: nobody took a magazine for AKT__DRAIN_IDLE_NS). That rule is the hysteresis: a
 * producer whose backlog swings keeps its blocks instead of giving them back and faulting
 * fresh pages in a moment later. */
static int akt__depot_should_reclaim(akt__depot_class *d, int64_t now) {
    if (!akt__depot_worth(d) || now - d->last_pop < AKT__DRAIN_IDLE_NS) return 0;
    d->reclaiming = 1;
    return 1;
}

static int64_t akt__depot_quiet_since(const akt__depot_class *d) {
    return d->last_pop > d->last_push ? d->last_pop : d->last_push;
}

/* Under the lock: whether a parked worker should give the class's free memory back once
 * it has been quiet for AKT__IDLE_NS. Once per quiet spell: a reclaim that leaves the
 * class still worth one (free blocks spread over slabs in use) is not retried until a
 * magazine moves again, or every parking worker would retry it at once, for ever. */
static int akt__depot_idle_worth(const akt__depot_class *d) {
    return akt__depot_worth(d) && akt__depot_quiet_since(d) != d->idle_done;
}

static void akt__depot_push(int cls, akt__block *mag, unsigned count) {
    akt__depot_class *d = &akt__depot.c[cls];
    mag->count = count;
    int64_t now = akt__now_ns(); /* once per magazine: a vDSO read, outside the lock */
    pthread_mutex_lock(&akt__depot.lock);
    mag->next_mag = d->mags;
    d->mags = mag;
    d->nfree += count;
    d->last_push = now;
    int reclaim = akt__depot_should_reclaim(d, now);
    pthread_mutex_unlock(&akt__depot.lock);
    if (reclaim) akt__depot_reclaim(cls);
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

/* Under the lock: the thread is done carving its slab of class cls. */
static void akt__tc_carved(int cls) {
    akt__slab *s = akt__tc.carving[cls];
    if (!s) return;
    atomic_store_explicit(&s->carving, 0, memory_order_relaxed);
    akt__tc.carving[cls] = NULL;
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
        pthread_mutex_lock(&akt__depot.lock);
        akt__tc_carved(c);
        pthread_mutex_unlock(&akt__depot.lock);
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

size_t akt__pool_block_size(int cls) { return akt__class_size[cls]; }

/* A new slab for this thread to carve; its first block, or NULL. */
static void *akt__slab_new(int cls) {
    size_t sz = akt__class_size[cls];
    akt__slab *s = akt__dalloc(AKT__SLAB_BYTES);
    if (!s) return NULL;
    uintptr_t first = ((uintptr_t)(s + 1) + AKT__POOL_ALIGN - 1) &
                      ~(uintptr_t)(AKT__POOL_ALIGN - 1);
    s->blocks = (char *)first;
    s->nblocks = (unsigned)(((uintptr_t)s + AKT__SLAB_BYTES - first) / sz);
    s->nseen = 0;
    atomic_init(&s->carving, 1);
    akt__depot_class *d = &akt__depot.c[cls];
    pthread_mutex_lock(&akt__depot.lock);
    s->prev = NULL;
    s->next = d->slabs;
    if (d->slabs) d->slabs->prev = s;
    d->slabs = s;
    d->nslabs++;
    d->nblocks += s->nblocks;
    pthread_mutex_unlock(&akt__depot.lock);
    akt__tc.carving[cls] = s;
    akt__tc.bump[cls] = s->blocks + sz;
    akt__tc.bump_end[cls] = s->blocks + (size_t)s->nblocks * sz;
    return s->blocks;
}

/* The slow path: a magazine from the depot, or a new slab. */
static void *akt__pool_refill(int cls) {
    if (!akt__tc.registered) akt__tc_register();
    akt__depot_class *d = &akt__depot.c[cls];
    int64_t now = akt__now_ns(); /* once per magazine: a vDSO read, outside the lock */
    pthread_mutex_lock(&akt__depot.lock);
    akt__tc_carved(cls); /* its bump ran out: that is why we are here */
    akt__block *mag = d->mags;
    if (mag) {
        d->mags = mag->next_mag;
        d->nfree -= mag->count;
        d->last_pop = now;
        /* The blocks a fruitless reclaim looked at are mostly taken: look again later. */
        if (d->nfree < d->backoff / 4) d->backoff = 0;
    }
    pthread_mutex_unlock(&akt__depot.lock);
    if (mag) {
        akt__tc.head[cls] = mag->next;
        akt__tc.count[cls] = mag->count - 1;
        return mag;
    }
    return akt__slab_new(cls);
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

/* ---- reclaim: slabs whose blocks are all in the depot go back to the heap ------------- */

static int akt__slab_cmp(const void *a, const void *b) {
    uintptr_t x = (uintptr_t) * (akt__slab *const *)a, y = (uintptr_t) * (akt__slab *const *)b;
    return (x > y) - (x < y);
}

/* The slab of the index (sorted by address) that holds block b, or NULL. */
static akt__slab *akt__slab_of(akt__slab *const *idx, size_t n, const void *b) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)idx[mid] <= (uintptr_t)b)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return NULL;
    akt__slab *s = idx[lo - 1];
    return (uintptr_t)b < (uintptr_t)s + AKT__SLAB_BYTES ? s : NULL;
}

/* Appends a chain of blocks (linked through next, n of them) to a list of magazines of at
 * most AKT__MAG, walking it once. */
static akt__block *akt__mags_of(akt__block *chain, akt__block *mags) {
    while (chain) {
        akt__block *mag = chain, *b = chain;
        unsigned n = 1;
        while (b->next && n < AKT__MAG) {
            b = b->next;
            n++;
        }
        chain = b->next;
        b->next = NULL;
        mag->count = n;
        mag->next_mag = mags;
        mags = mag;
    }
    return mags;
}

/* Takes the depot's magazines (but for the top AKT__KEEP_BLOCKS blocks) away, sorts their blocks
 * onto their slabs, gives the slabs all of whose blocks are there back to the heap and the other
 * blocks back to the depot. Runs on the thread whose push asked for it (cold: a few times while a
 * backlog drains; each block is touched once, plus once more if its slab stays), with the lock held
 * only to detach and to put back: other threads keep trading magazines meanwhile. */
static void akt__depot_reclaim(int cls) {
    akt__depot_class *d = &akt__depot.c[cls];
    pthread_mutex_lock(&akt__depot.lock);
    akt__block **link = &d->mags;
    size_t kept = 0;
    while (*link && kept < AKT__KEEP_BLOCKS) {
        kept += (*link)->count;
        link = &(*link)->next_mag;
    }
    akt__block *taken = *link;
    *link = NULL;
    size_t walked = d->nfree - kept;
    d->nfree = kept;
    /* Slabs are added at the head and removed only by the reclaim of their class (this
     * one) or by akt__pool_trim: the list from this head on stays as it is. */
    akt__slab *first = d->slabs;
    size_t cap = d->nslabs;
    pthread_mutex_unlock(&akt__depot.lock);

    akt__slab **idx = taken ? akt__dalloc(cap * sizeof *idx) : NULL;
    size_t n = 0;
    akt__block *stay = NULL; /* blocks that go back to the depot, linked through next */
    if (idx) {
        for (akt__slab *s = first; s && n < cap; s = s->next)
            if (!atomic_load_explicit(&s->carving, memory_order_relaxed)) {
                s->nseen = 0;
                s->seen = NULL;
                idx[n++] = s;
            }
        qsort(idx, n, sizeof *idx, akt__slab_cmp);
        /* A drained backlog's blocks come in runs from one slab: try the last one first. */
        akt__slab *last = NULL;
        for (akt__block *m = taken; m;) {
            akt__block *next_mag = m->next_mag;
            for (akt__block *b = m; b;) {
                akt__block *next = b->next;
                akt__slab *s = last && (uintptr_t)b - (uintptr_t)last < AKT__SLAB_BYTES
                                   ? last
                                   : akt__slab_of(idx, n, b);
                if (s) {
                    b->next = s->seen;
                    s->seen = b;
                    s->nseen++;
                    last = s;
                } else { /* of a slab that a thread still carves */
                    b->next = stay;
                    stay = b;
                }
                b = next;
            }
            m = next_mag;
        }
    }
    akt__block *mags = NULL;
    if (!idx) { /* no index: everything goes back as it was */
        mags = taken;
        taken = NULL;
    }
    mags = akt__mags_of(stay, mags);
    for (size_t i = 0; i < n; i++)
        if (idx[i]->nseen != idx[i]->nblocks) mags = akt__mags_of(idx[i]->seen, mags);

    akt__slab *gone = NULL;
    size_t freed = 0;
    pthread_mutex_lock(&akt__depot.lock);
    while (mags) {
        akt__block *next_mag = mags->next_mag;
        mags->next_mag = d->mags;
        d->mags = mags;
        d->nfree += mags->count;
        mags = next_mag;
    }
    for (size_t i = 0; i < n; i++) {
        akt__slab *s = idx[i];
        if (s->nseen != s->nblocks) continue;
        if (s->prev)
            s->prev->next = s->next;
        else
            d->slabs = s->next;
        if (s->next) s->next->prev = s->prev;
        d->nslabs--;
        d->nblocks -= s->nblocks;
        freed += s->nblocks;
        s->next = gone;
        gone = s;
    }
    d->backoff = 2 * freed < walked ? 2 * walked : 0;
    d->reclaiming = 0;
    pthread_mutex_unlock(&akt__depot.lock);
    while (gone) {
        akt__slab *next = gone->next;
        akt__dfree_unused(gone, AKT__SLAB_BYTES);
        gone = next;
    }
    akt__dfree(idx);
}

int64_t akt__pool_reclaim_due(void) {
    int64_t due = 0;
    pthread_mutex_lock(&akt__depot.lock);
    for (int c = 0; c < AKT__POOL_NCLASSES; c++) {
        akt__depot_class *d = &akt__depot.c[c];
        if (!akt__depot_idle_worth(d)) continue;
        int64_t at = akt__depot_quiet_since(d) + AKT__IDLE_NS;
        if (!due || at < due) due = at;
    }
    pthread_mutex_unlock(&akt__depot.lock);
    return due;
}

void akt__pool_reclaim_idle(void) {
    int64_t now = akt__now_ns();
    for (int c = 0; c < AKT__POOL_NCLASSES; c++) {
        akt__depot_class *d = &akt__depot.c[c];
        pthread_mutex_lock(&akt__depot.lock);
        int go = akt__depot_idle_worth(d) && now - akt__depot_quiet_since(d) >= AKT__IDLE_NS;
        if (go) {
            d->reclaiming = 1;
            d->idle_done = akt__depot_quiet_since(d);
        }
        pthread_mutex_unlock(&akt__depot.lock);
        if (go) akt__depot_reclaim(c);
    }
}

void akt__pool_trim(void) {
    akt__tc_flush(NULL);
    akt__slab *all[AKT__POOL_NCLASSES];
    pthread_mutex_lock(&akt__depot.lock);
    for (int c = 0; c < AKT__POOL_NCLASSES; c++) {
        all[c] = akt__depot.c[c].slabs;
        akt__depot.c[c] = (akt__depot_class){0};
    }
    pthread_mutex_unlock(&akt__depot.lock);
    for (int c = 0; c < AKT__POOL_NCLASSES; c++)
        for (akt__slab *s = all[c]; s;) {
            akt__slab *n = s->next;
            akt__dfree(s);
            s = n;
        }
}

void akt__pool_set_enabled(int on) {
    if (!on) akt__pool_trim();
    atomic_store_explicit(&akt__pool_on, on, memory_order_relaxed);
}
