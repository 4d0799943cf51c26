/* Supervision: the parent's strategy decides what happens to a failed child. */
#include "supervise.h"

#include <string.h>

#include "backoff.h"
#include "base/clock.h"
#include "ext.h"
#include "kernel/msg.h"
#include "kernel/sys.h"
#include "life.h"
#include "send.h"

int akt__supervisor_read(const akt_supervisor *in, akt_supervisor *out) {
    if (in->size < offsetof(akt_supervisor, decide) ||
        (in->strategy != AKT_STRATEGY_ONE_FOR_ONE && in->strategy != AKT_STRATEGY_ONE_FOR_ALL) ||
        in->default_directive < AKT_DIRECTIVE_RESTART ||
        in->default_directive > AKT_DIRECTIVE_SUSPEND)
        return AKT_EINVAL;
    memset(out, 0, sizeof *out);
    memcpy(out, in, in->size < sizeof *out ? in->size : sizeof *out);
    out->size = sizeof *out;
    if (out->within_ns < 0 || (out->max_retries > 0 && out->within_ns == 0)) return AKT_EINVAL;
    /* Written as "not (valid)" so that a NaN is refused too. */
    if (out->backoff_min_ns < 0 || out->backoff_reset_ns < 0 || out->backoff_max_ns < 0 ||
        (out->backoff_max_ns > 0 && out->backoff_max_ns < out->backoff_min_ns) ||
        !(out->backoff_multiplier == 0 || out->backoff_multiplier >= 1) ||
        !(out->backoff_jitter >= 0 && out->backoff_jitter <= 1))
        return AKT_EINVAL;
    if (out->rule_count > 1024 || (out->rule_count > 0 && out->rules == NULL)) return AKT_EINVAL;
    for (size_t i = 0; i < out->rule_count; i++)
        if (out->rules[i].code >= 0 || out->rules[i].directive < AKT_DIRECTIVE_RESTART ||
            out->rules[i].directive > AKT_DIRECTIVE_SUSPEND)
            return AKT_EINVAL;
    if (out->rule_count == 0) out->rules = NULL;
    if (out->on_retries_exhausted != AKT_EXHAUSTED_STOP &&
        out->on_retries_exhausted != AKT_EXHAUSTED_SUSPEND)
        return AKT_EINVAL;
    return 0;
}

int akt__supervisor_own_rules(akt__heap *heap, akt_supervisor *sup) {
    if (sup->rule_count == 0) return 0;
    akt_supervisor_rule *copy = akt__heap_alloc(heap, sup->rule_count * sizeof *copy);
    if (!copy) {
        sup->rules = NULL;
        sup->rule_count = 0;
        return AKT_ENOMEM;
    }
    memcpy(copy, sup->rules, sup->rule_count * sizeof *copy);
    sup->rules = copy;
    return 0;
}

void akt__supervisor_free_rules(akt__heap *heap, akt_supervisor *sup) {
    akt__heap_free(heap, (void *)sup->rules); /* our own copy: cast the const away */
    sup->rules = NULL;
    sup->rule_count = 0;
}

/* Counts a failure of child against the retry budget; 1 if the budget is spent. Entries
 * whose window ended are dropped first, so the list holds only children that failed within
 * the last window. Without memory the failure is not counted (the budget only ever stops
 * or suspends a child, never loses one). */
static int akt__budget_spent(akt_system *s, akt__cell *parent, const akt_supervisor *sup,
                             uint64_t child) {
    if (!sup || sup->max_retries == 0) return 0;
    akt__ext *x = akt__ext_get(s, parent);
    if (!x) return 0;
    int64_t now = akt__now_ns();
    akt__vec *f = &x->faults;
    uint32_t k = 0, found = UINT32_MAX;
    for (uint32_t i = 0; i + 2 < f->n; i += 3) {
        if (now - (int64_t)f->v[i + 1] >= sup->within_ns) continue; /* window over */
        if (k != i) memmove(&f->v[k], &f->v[i], 3 * sizeof f->v[0]);
        if (f->v[k] == child) found = k;
        k += 3;
    }
    f->n = k;
    if (found == UINT32_MAX) {
        /* The first failure in a window never spends a budget >= 1; a partial entry (out of
         * memory) is dropped. */
        if (akt__vec_push(&s->heap, f, child) || akt__vec_push(&s->heap, f, (uint64_t)now) ||
            akt__vec_push(&s->heap, f, 1))
            f->n = k;
        return 0;
    }
    f->v[found + 2]++;
    return f->v[found + 2] > sup->max_retries;
}

/* Forgets child's failures (a suspended child gets a fresh budget once reinstated). */
static void akt__budget_forget(akt__cell *parent, uint64_t child) {
    akt__ext *x = akt__cell_ext(parent);
    if (!x) return;
    akt__vec *f = &x->faults;
    uint32_t k = 0;
    for (uint32_t i = 0; i + 2 < f->n; i += 3) {
        if (f->v[i] == child) continue;
        if (k != i) memmove(&f->v[k], &f->v[i], 3 * sizeof f->v[0]);
        k += 3;
    }
    f->n = k;
}

/* Suspends child for a failure with code and reason (may be NULL); stops it when it cannot
 * be told (rather than leave it hanging). */
static void akt__suspend_child(akt_system *s, akt_pid child, int code, const char *reason) {
    akt_msg *why = NULL;
    if (reason) akt_msg_new_bytes("akt.Failure", reason, strlen(reason), AKT_COPY, &why);
    if (akt__send_sys(s, child, AKT__SYS_SUSPEND, 0, code, why, NULL)) {
        if (why) akt_msg_release(why);
        akt__stop_request(s, child);
    }
}

/* The live children of c, for a one-for-all directive; 0 or AKT_ENOMEM. */
static int akt__children(akt_system *s, akt__cell *c, akt__vec *out) {
    int rc = 0;
    pthread_mutex_lock(&s->lock);
    for (uint32_t k = c->first_child; k && !rc;) {
        akt__cell *ch = akt__cell_get(s, k);
        rc = akt__vec_push(&s->heap, out, akt__cell_pid(ch).id);
        k = ch->next_sibling;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* The strategy parent gave its children at spawn, or NULL (one-for-one, restart). */
static const akt_supervisor *akt__supervisor_of(const akt__cell *parent) {
    const akt__ext *x = akt__cell_ext(parent);
    return x && x->has_supervisor ? &x->supervisor : NULL;
}

/* Stop or restart pid; sibling: a one-for-all sibling, restarted even while running. */
static void akt__stop_or_restart(akt_system *s, akt_pid pid, int d, int sibling) {
    if (d == AKT_DIRECTIVE_STOP)
        akt__stop_request(s, pid);
    else
        akt__send_sys(s, pid, AKT__SYS_RESTART, sibling, 0, NULL, NULL);
}

/* A one-for-all restart or stop: the failed child gets the directive as one-for-one would,
 * every sibling too (a running sibling is restarted in place). Without memory for the list
 * of siblings only the failed child is handled. */
static void akt__apply_all(akt_system *s, akt__cell *c, akt_pid child, int d) {
    akt__vec kids = {0};
    if (akt__children(s, c, &kids)) kids.n = 0;
    akt__stop_or_restart(s, child, d, 0);
    for (uint32_t i = 0; i < kids.n; i++)
        if (kids.v[i] != child.id) akt__stop_or_restart(s, (akt_pid){kids.v[i]}, d, 1);
    akt__vec_free(&s->heap, &kids);
}

static int akt__decide(const akt__cell *parent, const akt_supervisor *sup, int code,
                       const char *reason) {
    int d = AKT_DIRECTIVE_RESTART;
    size_t rule = 0;
    while (sup && rule < sup->rule_count && sup->rules[rule].code != code) rule++;
    if (sup && rule < sup->rule_count) {
        d = sup->rules[rule].directive; /* validated when read: no decider for a rule's code */
    } else if (sup) {
        d = sup->decide ? sup->decide(code, reason, sup->decide_data) : sup->default_directive;
        if (d < AKT_DIRECTIVE_RESTART || d > AKT_DIRECTIVE_SUSPEND) d = sup->default_directive;
    }
    (void)parent;
    return d;
}

/* A top-level escalation: the guardian has no parent to pass it to. The actor stops; with
 * AKT_GUARDIAN_SHUTDOWN the system shuts down too. */
static void akt__guardian_escalated(akt_system *s, akt_pid child) {
    akt__stop_request(s, child);
    if (s->guardian_escalated) s->guardian_escalated(s);
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
    const akt_supervisor *sup = akt__supervisor_of(c);
    int d = akt__decide(c, sup, e->code, reason);
    if (akt__budget_spent(s, c, sup, child.id)) {
        /* Out of retries: only the failing child stops, or is suspended. */
        if (sup->on_retries_exhausted == AKT_EXHAUSTED_SUSPEND) {
            akt__budget_forget(c, child.id);
            akt__suspend_child(s, child, e->code, reason);
        } else {
            akt__stop_request(s, child);
        }
        return;
    }
    if (d == AKT_DIRECTIVE_ESCALATE && akt__cell_index(c) == AKT__GUARDIAN) {
        akt__guardian_escalated(s, child);
        return;
    }
    /* One-for-all is per parent: the guardian's children (top-level actors) are unrelated. */
    if ((d == AKT_DIRECTIVE_RESTART || d == AKT_DIRECTIVE_STOP) && sup &&
        sup->strategy == AKT_STRATEGY_ONE_FOR_ALL && akt__cell_index(c) != AKT__GUARDIAN) {
        akt__apply_all(s, c, child, d);
        return;
    }
    switch (d) {
    case AKT_DIRECTIVE_RESUME:
        akt__send_sys(s, child, AKT__SYS_RESUME, 0, 0, NULL, NULL);
        break;
    case AKT_DIRECTIVE_SUSPEND:
        akt__suspend_child(s, child, e->code, reason);
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
    case AKT_DIRECTIVE_RESTART: {
        int64_t delay = akt__backoff_delay(s, c, sup, child.id);
        if (delay > 0 &&
            akt__send_sys(s, child, AKT__SYS_BACKOFF, (uint64_t)delay, 0, NULL, NULL) == 0)
            break;
        akt__stop_or_restart(s, child, d, 0);
        break;
    }
    default: /* stop */
        akt__stop_or_restart(s, child, d, 0);
        break;
    }
}
