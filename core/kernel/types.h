/* Interned message types (akt_type): a name registered once gets a small dense id
 * (1 .. AKT__TYPES_MAX) for the whole process; a message made with the handle stores the
 * id, not a copy of the name, and the name stays its identity on the wire. */
#ifndef AKT_CORE_KERNEL_TYPES_H
#define AKT_CORE_KERNEL_TYPES_H
#include <akt/akt.h>
#include <stdint.h>

#define AKT__TYPES_MAX 4095u        /* ids fit the message's 16-bit field; 0 = none */
#define AKT__TYPE_MAGIC 0x616b7479u /* "akty" */

struct akt_type {
    uint32_t magic;
    uint16_t id;
    uint8_t len;
    char name[]; /* NUL-terminated, 1..255 bytes */
};

/* The registered type of id (1 .. AKT__TYPES_MAX), or NULL. Lock-free. */
const struct akt_type *akt__type_of(uint32_t id);
/* The id of the registered name, 0 if it was never registered. Lock-free. */
uint32_t akt__type_find(const char *name, size_t len);

static inline int akt__type_ok(const struct akt_type *t) {
    return t && t->magic == AKT__TYPE_MAGIC;
}

#endif
