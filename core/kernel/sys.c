/* The handshake that ends a shutdown: the guardian's finalisation (actor/) wakes the reaper
 * (system/) through the system's done_lock. */
#include "sys.h"

#include <string.h>

void akt__system_guardian_gone(akt_system *s) {
    pthread_mutex_lock(&s->done_lock);
    s->guardian_gone = 1;
    pthread_cond_broadcast(&s->done_cond);
    pthread_mutex_unlock(&s->done_lock);
}

/* Parts: a list under the structure lock; stop and free run without it (a stop joins a
 * thread that may take it). Only the reaper and the final free call stop and free, one
 * after the other, so `stopped` needs no atomic. */
void akt__part_add_locked(akt_system *s, akt__part *p) {
    p->next = s->parts;
    s->parts = p;
}

akt__part *akt__part_find(akt_system *s, const void *key) {
    pthread_mutex_lock(&s->lock);
    akt__part *p = s->parts;
    while (p && p->key != key) p = p->next;
    pthread_mutex_unlock(&s->lock);
    return p;
}

void akt__parts_stop(akt_system *s) {
    for (;;) {
        pthread_mutex_lock(&s->lock);
        akt__part *p = s->parts;
        while (p && p->stopped) p = p->next;
        if (p) p->stopped = 1;
        pthread_mutex_unlock(&s->lock);
        if (!p) return;
        if (p->stop) p->stop(s, p);
    }
}

void akt__parts_free(akt_system *s) {
    akt__parts_stop(s);
    akt__part *p = s->parts;
    s->parts = NULL;
    while (p) {
        akt__part *n = p->next;
        if (p->free) p->free(s, p);
        p = n;
    }
}

int akt__extension_find(const akt_system *s, const char *name, void **value) {
    for (uint32_t i = 0; i < s->next; i++)
        if (strcmp(s->ext_names[i], name) == 0) {
            *value = s->ext_values[i];
            return 0;
        }
    return AKT_ENOTFOUND;
}
