/* Actor paths: akt://<system>/user/<parent>/<child>. */
#include "path.h"

#include <string.h>

#include "sys.h"

size_t akt__path_locked(akt_system *s, const akt__cell *c, char *buf, size_t len) {
    /* First pass: the length. Second: fill from the end. */
    size_t prefix = strlen("akt://") + strlen(s->name);
    size_t n = prefix;
    for (const akt__cell *p = c; p; p = p->parent ? akt__cell_get(s, p->parent) : NULL)
        n += 1 + strlen(akt__cell_name(p) ? akt__cell_name(p) : "?");
    if (buf && len) {
        /* Filled from the end, so a path that does not fit is built aside and truncated;
         * one that fits (akt__path_dup's always does) goes straight into buf. */
        char *out = n < len ? buf : akt__heap_alloc(&s->heap, n + 1);
        if (!out) {
            buf[0] = 0;
            return n;
        }
        size_t at = n;
        out[at] = 0;
        for (const akt__cell *p = c; p; p = p->parent ? akt__cell_get(s, p->parent) : NULL) {
            const char *nm = akt__cell_name(p) ? akt__cell_name(p) : "?";
            size_t l = strlen(nm);
            at -= l;
            memcpy(out + at, nm, l);
            out[--at] = '/';
        }
        memcpy(out, "akt://", 6);
        memcpy(out + 6, s->name, strlen(s->name));
        if (out != buf) {
            memcpy(buf, out, len - 1);
            buf[len - 1] = 0;
            akt__heap_free(&s->heap, out);
        }
    }
    return n;
}

char *akt__path_dup(akt_system *s, const akt__cell *c) {
    pthread_mutex_lock(&s->lock);
    char *buf = akt__path_dup_locked(s, c);
    pthread_mutex_unlock(&s->lock);
    return buf;
}

char *akt__path_dup_locked(akt_system *s, const akt__cell *c) {
    /* A part's cell (a remote pid's proxy) has the part's path (its remote address). */
    akt__part *part = s->parts;
    size_t n = (size_t)-1;
    for (; part && n == (size_t)-1; part = n == (size_t)-1 ? part->next : part)
        if (part->cell_path) n = part->cell_path(part, c, NULL, 0);
    if (n == (size_t)-1) n = akt__path_locked(s, c, NULL, 0);
    char *buf = akt__heap_alloc(&s->heap, n + 1);
    if (buf && part)
        part->cell_path(part, c, buf, n + 1);
    else if (buf)
        akt__path_locked(s, c, buf, n + 1);
    return buf;
}
