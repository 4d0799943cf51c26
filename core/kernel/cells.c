/* The cell table: pages of cells that are never freed while the system lives, a bump index
 * for never-used cells and a free list of finalised ones. */
#include "sys.h"

uint32_t akt__cell_alloc_locked(akt_system *s) {
    if (s->free_head) {
        uint32_t idx = s->free_head;
        s->free_head = akt__cell_get(s, idx)->next_sibling;
        return idx;
    }
    uint32_t idx = s->next_fresh;
    uint32_t page = idx >> AKT__PAGE_SHIFT;
    if (page >= AKT__MAX_PAGES) return 0;
    if (page >= s->npages && akt__page_add_locked(s, page)) return 0;
    s->next_fresh = idx + 1;
    return idx;
}

int akt__page_add_locked(akt_system *s, uint32_t page) {
    akt__cell *p = akt__heap_calloc(&s->heap, AKT__PAGE_CELLS * sizeof(akt__cell));
    if (!p) return AKT_ENOMEM;
    for (uint32_t i = 0; i < AKT__PAGE_CELLS; i++) {
        akt__mpsc_init(&p[i].mbox);
        atomic_init(&p[i].sysq, NULL);
        atomic_init(&p[i].sched, 0);
        atomic_init(&p[i].gen, 1);
        p[i].index = (page << AKT__PAGE_SHIFT) | i;
    }
    /* release: readers of pages[] see initialised cells. */
    atomic_store_explicit(&s->pages[page], p, memory_order_release);
    s->npages = page + 1;
    return 0;
}

void akt__cell_free_locked(akt_system *s, akt__cell *c) {
    c->next_sibling = s->free_head;
    s->free_head = c->index;
}
