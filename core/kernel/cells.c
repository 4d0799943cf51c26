/* The cell table: pages of cells that are never freed while the system lives, a bump index
 * for never-used cells and a free list of finalised ones, and the generations that make
 * each incarnation's pid its own. */
#include <sys/random.h>
#include <time.h>

#include "sys.h"

/* Free cells looked at before a never-used one is taken instead: a free cell is busy only
 * while late mail (sent before its actor died) is being dead-lettered. */
#define AKT__CLAIM_TRIES 4

static uint64_t akt__mix64(uint64_t x) { /* splitmix64's finaliser */
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* A random generation base: the system's pid tag. The kernel's randomness when it has
 * some, mixed with the clock, the address and a per-process count so that two systems
 * differ even without it. */
static uint64_t akt__gen_base_draw(const akt_system *s) {
    /* relaxed: only distinct values matter. */
    static atomic_ullong drawn;
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) r = 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = r ^ akt__mix64((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    x ^= akt__mix64((uint64_t)(uintptr_t)s ^
                    atomic_fetch_add_explicit(&drawn, 1, memory_order_relaxed) << 48);
    return akt__mix64(x) & AKT__GEN_MASK;
}

int akt__cells_init_locked(akt_system *s) {
    s->gen_base = akt__gen_base_draw(s);
    return akt__page_add_locked(s, 0);
}

int akt__page_add_locked(akt_system *s, uint32_t page) {
    /* The cells, then the page's tail (kernel/stats.h): its metrics records come later;
     * then a short-name record per cell (resident only once used, as the cells). */
    /* Cache-line aligned: a cell's layout (kernel/cell.h) keeps its hot words off the
     * lines it shares with its neighbours only if the page starts on a line. */
    void *raw = akt__heap_calloc(&s->heap, AKT__PAGE_CELLS * sizeof(akt__cell) +
                                               sizeof(akt__page_tail) +
                                               AKT__PAGE_CELLS * sizeof(akt__name_inline) + 63);
    if (!raw) return AKT_ENOMEM;
    akt__cell *p = (akt__cell *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);
    /* Every cell is written below: its pages in at once, not a fault each. */
    akt__heap_prefault(&s->heap, p, AKT__PAGE_CELLS * sizeof(akt__cell));
    akt__page_tail *tail = (akt__page_tail *)(p + AKT__PAGE_CELLS);
    atomic_init(&tail->stats, NULL);
    atomic_init(&tail->enq, NULL);
    atomic_init(&tail->rare, NULL);
    atomic_init(&tail->mailboxes, NULL);
    atomic_init(&tail->kept, NULL);
    atomic_init(&tail->exts, NULL);
    tail->heap = &s->heap;
    tail->raw = raw;
    uint64_t first = akt__pid_make(0, s->gen_base + 1).id; /* incarnation 1, index 0 */
    for (uint32_t i = 0; i < AKT__PAGE_CELLS; i++) {
        akt__mpsc_init(&p[i].mbox);
        atomic_init(&p[i].sysq, NULL);
        atomic_init(&p[i].sched, 0);
        atomic_init(&p[i].id, AKT__CELL_UNREACHABLE | first | (page << AKT__PAGE_SHIFT) | i);
    }
    /* release: readers of pages[] see initialised cells. */
    atomic_store_explicit(&s->pages[page], p, memory_order_release);
    s->npages = page + 1;
    return 0;
}

/* Makes one of a page's arrays of AKT__PAGE_CELLS records of size bytes (zeroed) at *at
 * and returns it, or the one another thread made first; NULL on ENOMEM. release on
 * success: whoever loads the pointer with acquire sees the zeroed records; acquire on
 * failure: this thread then uses the winner's. */
static void *akt__tail_array(akt__heap *h, void *_Atomic *at, size_t size) {
    void *mine = akt__heap_calloc(h, AKT__PAGE_CELLS * size);
    if (!mine) return NULL;
    void *none = NULL;
    if (!atomic_compare_exchange_strong_explicit(at, &none, mine, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        akt__heap_free(h, mine);
        mine = none;
    }
    return mine;
}

akt__cell_stats *akt__stats_make(akt__cell *c) {
    /* Where counts go when no record could be had: relaxed atomics, so many writers are no
     * race; nobody reads it (readers use akt__stats_peek). */
    static akt__cell_stats scratch;
    akt__page_tail *t = akt__page_tail_of(c);
    akt__cell_stats *mine = akt__tail_array(t->heap, &t->stats, sizeof *mine);
    return mine ? mine + akt__cell_slot(c) : &scratch;
}

akt__cell_enq *akt__enq_make(akt__cell *c) {
    static akt__cell_enq scratch; /* as akt__stats_make's */
    akt__page_tail *t = akt__page_tail_of(c);
    akt__cell_enq *mine = akt__tail_array(t->heap, &t->enq, sizeof *mine);
    return mine ? mine + akt__cell_slot(c) : &scratch;
}

akt__cell_rare *akt__rare_make(akt__cell *c) {
    static akt__cell_rare scratch; /* as akt__stats_make's */
    akt__page_tail *t = akt__page_tail_of(c);
    akt__cell_rare *mine = akt__tail_array(t->heap, &t->rare, sizeof *mine);
    return mine ? mine + akt__cell_slot(c) : &scratch;
}

akt__envelope **akt__kept_make(akt__cell *c) {
    akt__envelope **p = akt__kept_peek(c);
    if (p) return p;
    akt__page_tail *t = akt__page_tail_of(c);
    akt__envelope **mine = akt__tail_array(t->heap, &t->kept, sizeof *mine);
    return mine ? mine + akt__cell_slot(c) : NULL;
}

struct akt__ext **akt__ext_slot_make(akt__cell *c) {
    akt__page_tail *t = akt__page_tail_of(c);
    /* acquire: as akt__kept_peek */
    struct akt__ext **p = atomic_load_explicit(&t->exts, memory_order_acquire);
    if (!p) p = akt__tail_array(t->heap, &t->exts, sizeof *p);
    return p ? p + akt__cell_slot(c) : NULL;
}

void akt__page_free(akt_system *s, akt__cell *page) {
    akt__page_tail *t = (akt__page_tail *)(page + AKT__PAGE_CELLS);
    /* relaxed: the system is being freed; no other thread is left */
    akt__heap_free(&s->heap, atomic_load_explicit(&t->stats, memory_order_relaxed));
    akt__heap_free(&s->heap, atomic_load_explicit(&t->enq, memory_order_relaxed));
    akt__heap_free(&s->heap, atomic_load_explicit(&t->rare, memory_order_relaxed));
    akt__heap_free(&s->heap, (void *)atomic_load_explicit(&t->mailboxes, memory_order_relaxed));
    akt__heap_free(&s->heap, atomic_load_explicit(&t->kept, memory_order_relaxed));
    akt__heap_free(&s->heap, atomic_load_explicit(&t->exts, memory_order_relaxed));
    akt__heap_free(&s->heap, t->raw);
}

/* Takes a cell's run flag; fails while a dispatcher has it queued or runs it. */
static int akt__cell_take(akt__cell *c) {
    /* relaxed: the CAS below decides. The spawn takes it without hints (a new actor). */
    unsigned idle = atomic_load_explicit(&c->sched, memory_order_relaxed);
    if (idle & AKT__SCHED_RUN) return 0;
    /* acquire: pairs with the seq_cst store that released the flag after the cell's last
     * run (akt__cell_release), so everything that run did is seen here. */
    return atomic_compare_exchange_strong_explicit(&c->sched, &idle, AKT__SCHED_RUN,
                                                   memory_order_acquire, memory_order_relaxed);
}

akt__cell *akt__cell_claim_locked(akt_system *s) {
    uint32_t *link = &s->free_head;
    for (int tries = 0; *link && tries < AKT__CLAIM_TRIES; tries++) {
        akt__cell *c = akt__cell_get(s, *link);
        if (akt__cell_take(c)) {
            *link = c->next_sibling;
            c->next_sibling = 0;
            return c;
        }
        link = &c->next_sibling; /* still draining late mail: leave it for a later spawn */
    }
    uint32_t idx = s->next_fresh;
    uint32_t page = idx >> AKT__PAGE_SHIFT;
    if (page >= AKT__MAX_PAGES) return NULL;
    if (page >= s->npages && akt__page_add_locked(s, page)) return NULL;
    akt__cell *c = akt__cell_get(s, idx);
    /* Never issued, so no pid reaches it and nothing can have queued it: the flag is the
     * spawn's by a plain store (relaxed: no other thread reads it before the pid is
     * published, with release), not a locked compare-and-swap. */
    atomic_store_explicit(&c->sched, AKT__SCHED_RUN, memory_order_relaxed);
    s->next_fresh = idx + 1;
    return c;
}

void akt__cell_unclaim_locked(akt_system *s, akt__cell *c) {
    c->next_sibling = s->free_head;
    s->free_head = akt__cell_index(c);
}

int akt__cell_end_locked(akt_system *s, akt__cell *c) {
    uint64_t next = akt__cell_gen(c) + 1;
    /* release: a sender that loads the id with acquire and no longer finds its pid sees
     * the new generation (akt__cell_issued); the cell's owner finalising it is the only
     * writer now. */
    atomic_store_explicit(&c->id,
                          AKT__CELL_UNREACHABLE | akt__pid_make(akt__cell_index(c), next).id,
                          memory_order_release);
    return ((next - s->gen_base) & AKT__GEN_MASK) != 0;
}

void akt__cell_free(akt_system *s, akt__cell *c) {
    pthread_mutex_lock(&s->lock);
    c->next_sibling = s->free_head;
    s->free_head = akt__cell_index(c);
    pthread_mutex_unlock(&s->lock);
}

int akt__cell_test_age(akt_system *s, uint32_t index, uint64_t left) {
    if (!left || left >= AKT__GEN_MASK) return AKT_EINVAL;
    pthread_mutex_lock(&s->lock);
    int rc = AKT_EAGAIN;
    for (uint32_t i = s->free_head; i; i = akt__cell_get(s, i)->next_sibling)
        if (i == index) {
            /* relaxed: the cell is free and unreachable; the lock publishes the store. */
            atomic_store_explicit(&akt__cell_get(s, i)->id,
                                  AKT__CELL_UNREACHABLE |
                                      akt__pid_make(index, s->gen_base - left).id,
                                  memory_order_relaxed);
            rc = 0;
        }
    pthread_mutex_unlock(&s->lock);
    return rc;
}
