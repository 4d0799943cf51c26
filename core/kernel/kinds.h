/* Actor kinds (akt_spawn_options.kind): the system's interned kind names. A kind is text a
 * binding gives every actor (its class name) and that metrics report (actor.kind); few
 * distinct kinds, many actors of each. So each distinct text is stored once, for the
 * system's life, and an actor keeps only its index (two bytes in its name record,
 * kernel/names.h); 0 is "no kind". Each kind also counts its passivated actors (the
 * actor.passivated.count instrument, whose points carry actor.kind). All functions but
 * akt__kind_passivated run under the system's structure lock. */
#ifndef AKT_CORE_KERNEL_KINDS_H
#define AKT_CORE_KERNEL_KINDS_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct akt_system;

#define AKT__KIND_MAX_LEN 255 /* bytes of a kind's text */
#define AKT__KIND_MAX 65535u  /* distinct kinds of a system */

typedef struct akt__kind {
    _Atomic uint64_t passivated; /* actors of this kind passivated (relaxed, as every counter) */
    uint32_t hash;
    char text[];
} akt__kind;

typedef struct akt__kinds {
    akt__kind **v;   /* v[i - 1] is kind i; a record never moves (its text is handed out) */
    uint32_t n, cap; /* kinds, and room in v */
    uint16_t *slots; /* open addressing: a kind's index, 0 = empty; nslots a power of two */
    uint32_t nslots;
} akt__kinds;

/* The index of kind (NUL-terminated) in s's table, adding it: 0 for NULL or "" (no kind),
 * -1 for ENOMEM or a full table (AKT__KIND_MAX kinds), -2 for a text longer than
 * AKT__KIND_MAX_LEN. */
int akt__kind_intern_locked(struct akt_system *s, const char *kind);
/* The kind's record (index 1 .. n), or NULL for 0. */
const akt__kind *akt__kind_get_locked(struct akt_system *s, uint16_t index);
/* Counts a passivation of an actor of kind index; takes the structure lock for a kind. */
void akt__kind_passivated(struct akt_system *s, uint16_t index);
void akt__kinds_free(struct akt_system *s);

#endif
