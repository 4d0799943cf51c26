/* The rarely used parts of an actor, allocated on first use. */
#include "ext.h"

#include "backoff.h"
#include "supervise.h"

#include "kernel/sys.h"
#include "request.h"
#include "suspend.h"

akt__ext *akt__ext_get(akt_system *s, akt__cell *c) {
    akt__ext *x = akt__cell_ext(c);
    if (x) return x;
    x = akt__heap_calloc(&s->heap, sizeof(akt__ext));
    if (x && akt__cell_ext_set(c, x) != 0) {
        akt__heap_free(&s->heap, x);
        x = NULL;
    }
    return x;
}

void akt__ext_free(akt_system *s, akt__ext *x) {
    if (!x) return;
    akt__requests_free(s, x);
    akt__susp_free(x);
    akt__vec_free(&s->heap, &x->become_fns);
    akt__vec_free(&s->heap, &x->become_states);
    akt__vec_free(&s->heap, &x->watching);
    akt__vec_free(&s->heap, &x->escalated);
    akt__vec_free(&s->heap, &x->faults);
    akt__vec_free(&s->heap, &x->backoffs);
    akt__backoff_drop(s, x);
    if (x->has_supervisor) akt__supervisor_free_rules(&s->heap, &x->supervisor);
    for (uint32_t i = 0; i < x->ndeps; i++) akt__heap_free(&s->heap, x->dep_names[i]);
    akt__heap_free(&s->heap, x->dep_names);
    akt__heap_free(&s->heap, x->dep_values);
    akt__heap_free(&s->heap, x);
}
