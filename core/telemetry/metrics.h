/* The readings shared by the public reads (metrics.c) and the export (collect.c). */
#ifndef AKT_CORE_TELEMETRY_METRICS_H
#define AKT_CORE_TELEMETRY_METRICS_H
#include <akt/telemetry.h>

#include "kernel/kinds.h"

/* One live actor as a walk found it: its readings, its name and address (offsets into the
 * snapshot's text). */
typedef struct akt__metrics_entry {
    akt_actor_metrics m;
    size_t name, path;
    uint16_t kind; /* its kind's index (kernel/kinds.h), 0 = none */
} akt__metrics_entry;

typedef struct akt__metrics_snap {
    akt__metrics_entry *v;
    size_t n;
    char *text; /* NUL-separated names and addresses */
    size_t text_len, text_cap;
    /* The system's kinds when the walk began (kernel/kinds.h: records live as long as the
     * system): kinds[i - 1] is kind i, nkinds of them. */
    const akt__kind **kinds;
    uint32_t nkinds;
} akt__metrics_snap;

/* Every live actor of s (the guardian aside), read under the structure lock in one pass.
 * 0 or AKT_ENOMEM (then *snap is empty). */
int akt__metrics_snap_take(akt_system *s, akt__metrics_snap *snap);
void akt__metrics_snap_drop(akt_system *s, akt__metrics_snap *snap);

/* The system's readings (a full struct). */
void akt__metrics_system_read(akt_system *s, akt_system_metrics *m);
/* Whether the low-cardinality switch is on. */
int akt__metrics_low_cardinality(akt_system *s);

#endif
