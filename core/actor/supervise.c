/* Supervision: the parent's strategy decides what happens to a failed child. */
#include "supervise.h"

#include <string.h>

#include "ext.h"
#include "kernel/msg.h"
#include "life.h"
#include "send.h"

int akt__supervisor_read(const akt_supervisor *in, akt_supervisor *out) {
    if (in->size < offsetof(akt_supervisor, decide) || in->strategy != AKT_STRATEGY_ONE_FOR_ONE ||
        in->default_directive < AKT_DIRECTIVE_RESTART ||
        in->default_directive > AKT_DIRECTIVE_ESCALATE)
        return AKT_EINVAL;
    memset(out, 0, sizeof *out);
    memcpy(out, in, in->size < sizeof *out ? in->size : sizeof *out);
    out->size = sizeof *out;
    return 0;
}

static int akt__decide(akt_system *s, akt__cell *parent, int code, const char *reason) {
    const akt_supervisor *sup = NULL;
    if (parent->ext && parent->ext->has_supervisor) sup = &parent->ext->supervisor;
    int d = AKT_DIRECTIVE_RESTART;
    if (sup) {
        d = sup->decide ? sup->decide(code, reason, sup->decide_data) : sup->default_directive;
        if (d < AKT_DIRECTIVE_RESTART || d > AKT_DIRECTIVE_ESCALATE) d = sup->default_directive;
    }
    if (d == AKT_DIRECTIVE_ESCALATE && akt__cell_index(parent) == AKT__GUARDIAN)
        d = AKT_DIRECTIVE_STOP;
    return d;
}

void akt__actor_supervise(akt__worker *w, akt__cell *c, akt__envelope *e) {
    akt_system *s = w->disp->system;
    akt_pid child = {e->arg};
    const void *data = NULL;
    size_t len = 0;
    char reason_buf[256];
    const char *reason = NULL;
    if (e->msg && akt_msg_bytes(e->msg, &data, &len) == 0) {
        if (len >= sizeof reason_buf) len = sizeof reason_buf - 1;
        memcpy(reason_buf, data, len);
        reason_buf[len] = 0;
        reason = reason_buf;
    }
    int d = akt__decide(s, c, e->code, reason);
    switch (d) {
    case AKT_DIRECTIVE_RESUME:
        akt__send_sys(s, child, AKT__SYS_RESUME, 0, 0, NULL, NULL);
        break;
    case AKT_DIRECTIVE_STOP:
        akt__stop_request(s, child);
        break;
    case AKT_DIRECTIVE_ESCALATE: {
        akt__ext *x = akt__ext_get(s, c);
        if (!x || akt__vec_push(&s->heap, &x->escalated, child.id) != 0) {
            akt__stop_request(s, child);
            break;
        }
        if (c->status == AKT__RUNNING) akt__actor_fail(w, c, e->code, reason);
        break;
    }
    default:
        akt__send_sys(s, child, AKT__SYS_RESTART, 0, 0, NULL, NULL);
        break;
    }
}
