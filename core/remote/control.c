/* Remote stop, poison, reinstate and spawn. A stop, poison or reinstate of a remote pid is a
 * control message into its proxy's mailbox (so it follows what was told before it), which
 * the proxy turns into a Stop or Reinstate frame; the node that gets it acts on its actor.
 * A spawn asks the node at an address for an actor of a kind registered there (the grains'
 * kind registry), with the options that can cross: that node spawns it under /user with a
 * shell behaviour that makes the kind's behaviour and state on the actor's first turn, and
 * answers with its address. */
#include <akt/remote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor/reader.h"
#include "actor/send.h"
#include "actor/supervise.h"
#include "base/tls.h"
#include "endpoint.h"
#include "kernel/future.h"
#include "kernel/msg.h"
#include "lib/grain.h"

#define AKT__STOP_TYPE "akt.remote.Stop"
#define AKT__POISON_TYPE "akt.remote.Poison"
#define AKT__REINSTATE_TYPE "akt.remote.Reinstate"
#define AKT__GRACEFUL_TYPE "akt.remote.StopGraceful" /* ack: its text is the request's id */

/* ack begin: a graceful stop waiting in a proxy's mailbox (node lock) */
typedef struct akt__graceful {
    struct akt__graceful *next;
    uint64_t id;
    akt_future *future; /* the pending operation's reference */
    int64_t timeout_ns;
} akt__graceful;

/* The deadline passed: the remote actor is stopped at once (the future says ETIMEDOUT). */
static void akt__graceful_timeout(akt_future *f) {
    (void)akt__proxy_control_post(f->system, (akt_pid){f->target}, AKT__CONTROL_STOP);
}

int akt__proxy_graceful_post(akt_system *s, akt_pid pid, int64_t timeout_ns, akt_future **out) {
    akt__cell *c = akt__cell_live(s, pid);
    akt__proxy *p = NULL;
    if (!c || !akt__proxy_of(c, &p)) return AKT_ENOTFOUND;
    akt__node_r *n = p->node;
    akt__graceful *g = calloc(1, sizeof *g);
    if (!g) return AKT_ENOMEM;
    akt_future *f = NULL;
    int rc = akt__future_new(s, timeout_ns, pid, NULL, akt__graceful_timeout, &f);
    if (rc) {
        free(g);
        return rc;
    }
    g->future = f;
    g->timeout_ns = timeout_ns;
    pthread_mutex_lock(&n->lock);
    g->id = ++n->graceful_ids;
    g->next = n->graceful;
    n->graceful = g;
    pthread_mutex_unlock(&n->lock);
    char text[24];
    snprintf(text, sizeof text, "%llu", (unsigned long long)g->id);
    akt_msg *m;
    rc = akt__msg_new_about(AKT__GRACEFUL_TYPE, pid, text, &m);
    if (rc == 0 && (rc = akt__deliver_internal(s, pid, m, pid.id)) != 0) akt_msg_release(m);
    if (rc) { /* not posted: nothing will answer it */
        pthread_mutex_lock(&n->lock);
        akt__graceful **pp = &n->graceful;
        while (*pp != g) pp = &(*pp)->next;
        *pp = g->next;
        pthread_mutex_unlock(&n->lock);
        akt__future_unref(f);
        akt_future_release(f);
        free(g);
        return rc == AKT_ENOTFOUND ? AKT_ENOTFOUND : rc;
    }
    *out = f;
    return 0;
}

/* The graceful stop with the id in msg's text, off the node's list (NULL if none). */
static akt__graceful *akt__graceful_take(akt__node_r *n, akt_msg *msg) {
    const void *data;
    size_t len;
    char buf[24];
    if (akt_msg_bytes(msg, &data, &len) || len == 0 || len >= sizeof buf) return NULL;
    memcpy(buf, data, len);
    buf[len] = 0;
    uint64_t id = strtoull(buf, NULL, 10);
    pthread_mutex_lock(&n->lock);
    akt__graceful **pp = &n->graceful, *g;
    while (*pp && (*pp)->id != id) pp = &(*pp)->next;
    if ((g = *pp)) *pp = g->next;
    pthread_mutex_unlock(&n->lock);
    return g;
}

void akt__graceful_free(akt__node_r *n) {
    while (n->graceful) {
        akt__graceful *g = n->graceful;
        n->graceful = g->next;
        akt__future_fail(g->future, AKT_ECLOSED, "system shut down: remoting stopped", NULL);
        akt__future_unref(g->future);
        free(g);
    }
}

/* On the proxy's turn: the Stop goes with a correlation; its Reply completes the future. */
static void akt__graceful_send(akt__proxy *p, akt_msg *msg) {
    akt__node_r *n = p->node;
    akt__graceful *g = akt__graceful_take(n, msg);
    if (!g) return;
    akt__peer *q = akt__endpoint_peer(n, p->peer_key, p->system, p->host, p->port);
    Akt__Remote__Stop st = AKT__REMOTE__STOP__INIT;
    st.path = p->path;
    st.poison = 1;
    st.timeout_ns = g->timeout_ns;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_STOP;
    f.stop = &st;
    if (!q)
        akt__future_fail(g->future, AKT_ENOMEM, "out of memory on the way to a remote node", NULL);
    else
        akt__endpoint_request_bare(n, q, &f, &st.correlation, g->future);
    akt__future_unref(g->future);
    free(g);
}
/* ack end */

/* ---- stop, poison and reinstate ---------------------------------------------------- */

int akt__proxy_control_post(akt_system *s, akt_pid pid, int what) {
    akt_msg *m;
    const char *type = what == AKT__CONTROL_POISON      ? AKT__POISON_TYPE
                       : what == AKT__CONTROL_REINSTATE ? AKT__REINSTATE_TYPE
                                                        : AKT__STOP_TYPE;
    /* About the proxy itself, from itself: no user message can look like it (only akt
     * makes messages about a pid). */
    int rc = akt__msg_new_about(type, pid, NULL, &m);
    if (rc) return rc;
    rc = akt__deliver_internal(s, pid, m, pid.id);
    if (rc) akt_msg_release(m);
    return rc;
}

int akt__proxy_control(akt__proxy *p, akt_msg *msg, akt_pid sender) {
    if (akt__msg_about(msg) != p->pid.id || sender.id != p->pid.id) return 0;
    if (strcmp(akt_msg_type(msg), AKT__GRACEFUL_TYPE) == 0) { /* ack */
        akt__graceful_send(p, msg);
        return 1;
    }
    const char *type = akt_msg_type(msg);
    int poison = strcmp(type, AKT__POISON_TYPE) == 0;
    int reinstate = !poison && strcmp(type, AKT__REINSTATE_TYPE) == 0;
    if (!poison && !reinstate && strcmp(type, AKT__STOP_TYPE) != 0) return 0;
    akt__node_r *n = p->node;
    akt__peer *q = akt__endpoint_peer(n, p->peer_key, p->system, p->host, p->port);
    const char *why = "remote node unreachable: out of memory";
    akt__conn *c = q && !n->closing ? akt__endpoint_conn(n, q, &why) : NULL;
    Akt__Remote__Stop st = AKT__REMOTE__STOP__INIT;
    Akt__Remote__Reinstate ri = AKT__REMOTE__REINSTATE__INIT;
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    if (reinstate) {
        ri.path = p->path;
        f.body_case = AKT__REMOTE__FRAME__BODY_REINSTATE;
        f.reinstate = &ri;
    } else {
        st.path = p->path;
        st.poison = poison;
        f.body_case = AKT__REMOTE__FRAME__BODY_STOP;
        f.stop = &st;
    }
    /* A stop that cannot go is lost as its node is: a watcher learns it from the loss. */
    if (c) (void)akt__endpoint_enqueue_frame(c, &f);
    return 1;
}

int akt__on_stop(akt__conn *c, const Akt__Remote__Stop *s) {
    akt__node_r *n = c->node;
    akt_pid pid;
    int none = !s->path || strncmp(s->path, "/user/", 6) != 0 ||
               akt_lookup(n->sys, s->path, &pid) != 0;
    if (s->correlation) { /* ack: a graceful stop, answered */
        akt_future *f = NULL;
        int64_t ns = s->timeout_ns > 0 ? s->timeout_ns : 30ll * 1000000000ll;
        int rc = none ? AKT_ENOTFOUND : akt_stop_graceful(n->sys, pid, ns, &f);
        if (rc == 0) {
            akt__endpoint_answer(c, s->correlation, f);
            return 0;
        }
        Akt__Remote__Failure fl = AKT__REMOTE__FAILURE__INIT;
        Akt__Remote__Reply rp = AKT__REMOTE__REPLY__INIT;
        Akt__Remote__Payload pl = AKT__REMOTE__PAYLOAD__INIT;
        rp.correlation = s->correlation;
        if (rc == AKT_ENOTFOUND) { /* nothing there: it is stopped already */
            pl.type = "";
            pl.serializer = "";
            rp.result_case = AKT__REMOTE__REPLY__RESULT_OK;
            rp.ok = &pl;
        } else {
            fl.code = rc;
            fl.reason = (char *)akt_strerror(rc);
            rp.result_case = AKT__REMOTE__REPLY__RESULT_FAILURE;
            rp.failure = &fl;
        }
        Akt__Remote__Frame fr = AKT__REMOTE__FRAME__INIT;
        fr.body_case = AKT__REMOTE__FRAME__BODY_REPLY;
        fr.reply = &rp;
        return akt__endpoint_enqueue_frame(c, &fr);
    }
    if (none) return 0; /* nothing there: it is stopped already */
    if (s->poison)
        akt_poison(n->sys, pid);
    else
        akt_stop(n->sys, pid);
    return 0;
}

int akt__on_reinstate(akt__conn *c, const Akt__Remote__Reinstate *r) {
    akt__node_r *n = c->node;
    akt_pid pid;
    /* Nothing there, or not suspended: nothing to do (as akt_reinstate of a local actor). */
    if (r->path && strncmp(r->path, "/user/", 6) == 0 && akt_lookup(n->sys, r->path, &pid) == 0)
        (void)akt_reinstate(n->sys, pid);
    return 0;
}

/* ---- the spawned actor's shell ---------------------------------------------------- */

typedef struct akt__kind_shell {
    const akt__grain_kind *kind;
    akt_behavior inner;
    void *inner_state;
    int active; /* activate (and on_activate) succeeded and not yet undone */
    char name[];
} akt__kind_shell;

static void akt__shell_undo(akt_ctx *ctx, akt__kind_shell *k) {
    const akt_grain_kind *def = &k->kind->def;
    if (k->active && def->on_deactivate) def->on_deactivate(ctx, k->inner_state, def->kind_data);
    if (k->active && k->inner.post_stop) k->inner.post_stop(ctx, k->inner_state);
    if (k->inner.free_state && k->inner_state) k->inner.free_state(k->inner_state);
    k->inner_state = NULL;
    k->active = 0;
    memset(&k->inner, 0, sizeof k->inner);
}

/* The first turn (and each restart): the kind makes the behaviour and state. */
static int akt__shell_pre_start(akt_ctx *ctx, void *state) {
    akt__kind_shell *k = state;
    const akt_grain_kind *def = &k->kind->def;
    const akt_behavior *b = NULL;
    void *st = NULL;
    int rc = def->activate(def->kind_data, k->name, &b, &st);
    if (rc) return rc;
    if (!b || b->size < offsetof(akt_behavior, pre_start) || !b->receive) {
        if (b && b->size >= offsetof(akt_behavior, receive_batch) && b->free_state && st)
            b->free_state(st);
        return AKT_EINVAL;
    }
    memset(&k->inner, 0, sizeof k->inner);
    memcpy(&k->inner, b, b->size < sizeof k->inner ? b->size : sizeof k->inner);
    k->inner.size = sizeof k->inner;
    k->inner.receive_batch = NULL;
    k->inner_state = st;
    if (k->inner.pre_start && (rc = k->inner.pre_start(ctx, st))) {
        k->inner.post_stop = NULL; /* it never started */
        akt__shell_undo(ctx, k);
        return rc;
    }
    k->active = 1;
    if (def->on_activate && (rc = def->on_activate(ctx, st, def->kind_data))) {
        k->active = 0;
        if (k->inner.post_stop) k->inner.post_stop(ctx, st);
        k->inner.post_stop = NULL;
        akt__shell_undo(ctx, k);
        return rc;
    }
    return 0;
}

static int akt__shell_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt__kind_shell *k = state;
    return k->inner.receive ? k->inner.receive(ctx, msg, k->inner_state) : AKT_EUNHANDLED;
}

static void akt__shell_post_stop(akt_ctx *ctx, void *state) { akt__shell_undo(ctx, state); }

static void akt__shell_free(void *state) {
    akt__kind_shell *k = state;
    if (k->inner.free_state && k->inner_state) k->inner.free_state(k->inner_state);
    free(k);
}

static const akt_behavior akt__kind_shell_behavior = {
    .size = sizeof(akt_behavior),
    .receive = akt__shell_receive,
    .pre_start = akt__shell_pre_start,
    .post_stop = akt__shell_post_stop,
    .free_state = akt__shell_free,
};

/* ---- spawn options that cross ------------------------------------------------------ */

/* The options of a remote spawn in a form that owns everything (the caller's structs are
 * borrowed only for the call; the wire's only until the frame is freed). */
typedef struct akt__spawn_opts {
    int has_supervisor, has_mailbox, has_passivation;
    akt_supervisor supervisor; /* its rules point to rules */
    akt_supervisor_rule *rules;
    akt_mailbox_spec mailbox;
    akt_passivation passivation;
    int reentrancy;
    uint32_t max_in_flight;
} akt__spawn_opts;

static void akt__spawn_opts_free(akt__spawn_opts *o) {
    free(o->rules);
    o->rules = NULL;
}

/* Copies sup's rules into o (sup->rule_count <= 1024, checked by akt__supervisor_read). */
static int akt__spawn_opts_own_rules(akt__spawn_opts *o) {
    akt_supervisor *sup = &o->supervisor;
    if (!sup->rule_count) return 0;
    o->rules = malloc(sup->rule_count * sizeof *o->rules);
    if (!o->rules) return AKT_ENOMEM;
    memcpy(o->rules, sup->rules, sup->rule_count * sizeof *o->rules);
    sup->rules = o->rules;
    return 0;
}

/* Passivation as akt_passivation_set checks it (values below 2^62). */
static int akt__passivation_ok(const akt_passivation *p) {
    const uint64_t max = ((uint64_t)1 << 62) - 1;
    switch (p->strategy) {
    case AKT_PASSIVATE_NEVER:
        return 1;
    case AKT_PASSIVATE_IDLE:
        return p->idle_ns > 0 && (uint64_t)p->idle_ns <= max;
    case AKT_PASSIVATE_MESSAGES:
        return p->messages >= 1 && p->messages <= max;
    default:
        return 0;
    }
}

/* The caller's options (read by size) into o: AKT_EINVAL for what cannot cross (a
 * function) or is malformed; the rest is checked where the actor is spawned. */
static int akt__spawn_opts_from_api(const akt_remote_spawn_options *in, akt__spawn_opts *o) {
    memset(o, 0, sizeof *o);
    o->reentrancy = in->reentrancy;
    o->max_in_flight = in->max_in_flight;
    if (in->supervisor) {
        if (akt__supervisor_read(in->supervisor, &o->supervisor)) return AKT_EINVAL;
        if (o->supervisor.decide || o->supervisor.backoff_random) return AKT_EINVAL;
        o->supervisor.decide_data = o->supervisor.backoff_random_data = NULL;
        o->has_supervisor = 1;
        if (akt__spawn_opts_own_rules(o)) return AKT_ENOMEM;
    }
    if (in->mailbox) {
        const akt_mailbox_spec *m = in->mailbox;
        if (m->size < offsetof(akt_mailbox_spec, compare)) return AKT_EINVAL;
        memset(&o->mailbox, 0, sizeof o->mailbox);
        memcpy(&o->mailbox, m, m->size < sizeof o->mailbox ? m->size : sizeof o->mailbox);
        o->mailbox.size = sizeof o->mailbox;
        if (o->mailbox.kind == AKT_MAILBOX_PRIORITY || o->mailbox.compare) return AKT_EINVAL;
        o->mailbox.compare_data = NULL;
        o->has_mailbox = 1;
    }
    if (in->passivation) {
        const akt_passivation *p = in->passivation;
        if (p->size < sizeof *p) return AKT_EINVAL;
        o->passivation = *p;
        if (!akt__passivation_ok(&o->passivation)) return AKT_EINVAL;
        o->has_passivation = o->passivation.strategy != AKT_PASSIVATE_NEVER;
    }
    return 0;
}

/* A received SpawnOptions into o (NULL: the defaults). */
static int akt__spawn_opts_from_wire(const Akt__Remote__SpawnOptions *w, akt__spawn_opts *o) {
    memset(o, 0, sizeof *o);
    if (!w) return 0;
    o->reentrancy = w->reentrancy;
    o->max_in_flight = w->max_in_flight;
    if (w->supervisor) {
        const Akt__Remote__SupervisorSpec *v = w->supervisor;
        if (v->n_rules > 1024) return AKT_EINVAL;
        akt_supervisor *sup = &o->supervisor;
        sup->size = sizeof *sup;
        sup->strategy = v->strategy;
        sup->default_directive = v->default_directive;
        sup->max_retries = v->max_retries;
        sup->within_ns = v->within_ns;
        sup->backoff_min_ns = v->backoff_min_ns;
        sup->backoff_max_ns = v->backoff_max_ns;
        sup->backoff_multiplier = v->backoff_multiplier;
        sup->backoff_jitter = v->backoff_jitter;
        sup->backoff_reset_ns = v->backoff_reset_ns;
        sup->on_retries_exhausted = v->on_retries_exhausted;
        if (v->n_rules) {
            o->rules = calloc(v->n_rules, sizeof *o->rules);
            if (!o->rules) return AKT_ENOMEM;
            for (size_t i = 0; i < v->n_rules; i++) {
                if (!v->rules[i]) return AKT_EINVAL;
                o->rules[i].code = v->rules[i]->code;
                o->rules[i].directive = v->rules[i]->directive;
            }
            sup->rules = o->rules;
            sup->rule_count = v->n_rules;
        }
        akt_supervisor checked;
        if (akt__supervisor_read(sup, &checked)) return AKT_EINVAL;
        o->has_supervisor = 1;
    }
    if (w->mailbox) {
        o->mailbox.size = sizeof o->mailbox;
        o->mailbox.kind = w->mailbox->kind;
        o->mailbox.capacity = w->mailbox->capacity;
        o->mailbox.when_full = w->mailbox->when_full;
        o->mailbox.block_timeout_ns = w->mailbox->block_timeout_ns;
        if (o->mailbox.kind == AKT_MAILBOX_PRIORITY) return AKT_EINVAL;
        o->has_mailbox = 1;
    }
    if (w->passivation) {
        o->passivation.size = sizeof o->passivation;
        o->passivation.strategy = w->passivation->strategy;
        o->passivation.idle_ns = w->passivation->idle_ns;
        o->passivation.messages = w->passivation->messages;
        if (!akt__passivation_ok(&o->passivation)) return AKT_EINVAL;
        o->has_passivation = o->passivation.strategy != AKT_PASSIVATE_NEVER;
    }
    return 0;
}

/* The wire form of o, in structs the caller provides (valid while o and they live). */
typedef struct akt__spawn_wire {
    Akt__Remote__SpawnOptions options;
    Akt__Remote__SupervisorSpec supervisor;
    Akt__Remote__MailboxSpec mailbox;
    Akt__Remote__PassivationSpec passivation;
    Akt__Remote__SupervisorRule *rule_store;
    Akt__Remote__SupervisorRule **rules;
} akt__spawn_wire;

/* NULL when o has nothing to say (an older receiver then sees the plain Spawn it knows). */
static Akt__Remote__SpawnOptions *akt__spawn_opts_to_wire(const akt__spawn_opts *o,
                                                          akt__spawn_wire *w) {
    memset(w, 0, sizeof *w);
    if (!o->has_supervisor && !o->has_mailbox && !o->has_passivation && !o->reentrancy &&
        !o->max_in_flight)
        return NULL;
    akt__remote__spawn_options__init(&w->options);
    w->options.reentrancy = o->reentrancy;
    w->options.max_in_flight = o->max_in_flight;
    if (o->has_supervisor) {
        const akt_supervisor *sup = &o->supervisor;
        Akt__Remote__SupervisorSpec *v = &w->supervisor;
        akt__remote__supervisor_spec__init(v);
        v->strategy = sup->strategy;
        v->default_directive = sup->default_directive;
        v->max_retries = sup->max_retries;
        v->within_ns = sup->within_ns;
        v->backoff_min_ns = sup->backoff_min_ns;
        v->backoff_max_ns = sup->backoff_max_ns;
        v->backoff_multiplier = sup->backoff_multiplier;
        v->backoff_jitter = sup->backoff_jitter;
        v->backoff_reset_ns = sup->backoff_reset_ns;
        v->on_retries_exhausted = sup->on_retries_exhausted;
        if (sup->rule_count) {
            w->rule_store = calloc(sup->rule_count, sizeof *w->rule_store);
            w->rules = calloc(sup->rule_count, sizeof *w->rules);
            if (!w->rule_store || !w->rules) return NULL; /* caller checks w->rules */
            for (size_t i = 0; i < sup->rule_count; i++) {
                akt__remote__supervisor_rule__init(&w->rule_store[i]);
                w->rule_store[i].code = sup->rules[i].code;
                w->rule_store[i].directive = sup->rules[i].directive;
                w->rules[i] = &w->rule_store[i];
            }
            v->n_rules = sup->rule_count;
            v->rules = w->rules;
        }
        w->options.supervisor = v;
    }
    if (o->has_mailbox) {
        akt__remote__mailbox_spec__init(&w->mailbox);
        w->mailbox.kind = o->mailbox.kind;
        w->mailbox.capacity = o->mailbox.capacity;
        w->mailbox.when_full = o->mailbox.when_full;
        w->mailbox.block_timeout_ns = o->mailbox.block_timeout_ns;
        w->options.mailbox = &w->mailbox;
    }
    if (o->has_passivation) {
        akt__remote__passivation_spec__init(&w->passivation);
        w->passivation.strategy = o->passivation.strategy;
        w->passivation.idle_ns = o->passivation.idle_ns;
        w->passivation.messages = o->passivation.messages;
        w->options.passivation = &w->passivation;
    }
    return &w->options;
}

static void akt__spawn_wire_free(akt__spawn_wire *w) {
    free(w->rule_store);
    free(w->rules);
}

/* Spawns /user/name of kind on this node with o (NULL: defaults); 0 or a code, with why
 * for the asker. */
static int akt__spawn_local(akt__node_r *n, const char *kind, const char *name,
                            const akt__spawn_opts *o, akt_pid *out, const char **why) {
    size_t nl = name ? strnlen(name, 256) : 0;
    if (!nl || nl > 255 || name[0] == '$' || memchr(name, '/', nl)) {
        *why = "remote spawn refused: a bad actor name";
        return AKT_EINVAL;
    }
    const akt__grain_kind *k = kind ? akt__grain_kind_lookup(n->sys, kind) : NULL;
    if (!k) {
        *why = "remote spawn refused: no such kind registered on this node";
        return AKT_ENOTFOUND;
    }
    akt__kind_shell *st = calloc(1, sizeof *st + nl + 1);
    if (!st) {
        *why = "remote spawn refused: out of memory";
        return AKT_ENOMEM;
    }
    st->kind = k;
    memcpy(st->name, name, nl + 1);
    akt_spawn_options so;
    akt_spawn_options_init(&so);
    so.name = name;
    so.dispatcher = k->def.dispatcher;
    so.kind = kind; /* the telemetry's actor.kind */
    if (o) {
        so.supervisor = o->has_supervisor ? &o->supervisor : NULL;
        so.mailbox = o->has_mailbox ? &o->mailbox : NULL;
        so.reentrancy = o->reentrancy;
        so.max_in_flight = o->max_in_flight;
    }
    akt_pid pid;
    akt__relay_receive(akt__kind_shell_behavior.receive); /* the kind's reads */
    int rc = akt_spawn(n->sys, &akt__kind_shell_behavior, st, &so, &pid);
    if (rc) {
        free(st);
        *why = rc == AKT_EEXIST   ? "remote spawn refused: the name is taken on this node"
               : rc == AKT_EINVAL ? "remote spawn refused: options this node does not accept"
                                  : "remote spawn refused";
        return rc;
    }
    /* Checked above (akt__passivation_ok), so only a stop in between can refuse it. */
    if (o && o->has_passivation && (rc = akt_passivation_set(n->sys, pid, &o->passivation))) {
        (void)akt_stop(n->sys, pid);
        *why = "remote spawn refused: its passivation could not be set";
        return rc;
    }
    if (out) *out = pid;
    return 0;
}

int akt__on_spawn(akt__conn *c, const Akt__Remote__Spawn *s) {
    akt__node_r *n = c->node;
    const char *why = NULL;
    akt__spawn_opts o;
    int rc = akt__spawn_opts_from_wire(s->options, &o);
    if (rc)
        why = rc == AKT_ENOMEM ? "remote spawn refused: out of memory"
                               : "remote spawn refused: malformed or unsupported options";
    else
        rc = akt__spawn_local(n, s->kind, s->name, &o, NULL, &why);
    akt__spawn_opts_free(&o);
    Akt__Remote__Reply rp = AKT__REMOTE__REPLY__INIT;
    Akt__Remote__Payload pl = AKT__REMOTE__PAYLOAD__INIT;
    Akt__Remote__Failure fl = AKT__REMOTE__FAILURE__INIT;
    char addr[400];
    rp.correlation = s->correlation;
    if (rc == 0) {
        int len = snprintf(addr, sizeof addr, "%s/user/%s", n->address, s->name);
        pl.type = AKT_TYPE_STRING;
        pl.data.data = (uint8_t *)addr;
        pl.data.len = (size_t)len;
        rp.result_case = AKT__REMOTE__REPLY__RESULT_OK;
        rp.ok = &pl;
    } else {
        fl.code = rc;
        fl.reason = (char *)why;
        rp.result_case = AKT__REMOTE__REPLY__RESULT_FAILURE;
        rp.failure = &fl;
    }
    Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
    f.body_case = AKT__REMOTE__FRAME__BODY_REPLY;
    f.reply = &rp;
    (void)akt__endpoint_enqueue_frame(c, &f); /* no memory: the asker times out */
    return 0;
}

/* ---- the spawning side ------------------------------------------------------------ */

typedef struct akt__spawn_cmd {
    akt__io_cmd cmd;
    akt__node_r *node;
    akt_future *future; /* a reference of the command's */
    char host[64];
    uint16_t port;
    char *key, *system, *kind, *name;
    akt__spawn_opts opts;
} akt__spawn_cmd;

static void akt__spawn_cmd_free(akt__spawn_cmd *sc) {
    akt__spawn_opts_free(&sc->opts);
    free(sc->key);
    free(sc->system);
    free(sc->kind);
    free(sc->name);
    free(sc);
}

static void akt__spawn_run(akt__io *io, akt__io_cmd *cmd) {
    (void)io;
    akt__spawn_cmd *sc = (akt__spawn_cmd *)cmd;
    akt__node_r *n = sc->node;
    akt__peer *q = akt__endpoint_peer(n, sc->key, sc->system, sc->host, sc->port);
    if (!q) {
        akt__future_fail(sc->future, AKT_ENOMEM, "out of memory on the way to a remote node", NULL);
    } else {
        Akt__Remote__Spawn sp = AKT__REMOTE__SPAWN__INIT;
        sp.kind = sc->kind;
        sp.name = sc->name;
        akt__spawn_wire w;
        sp.options = akt__spawn_opts_to_wire(&sc->opts, &w);
        if (sc->opts.supervisor.rule_count && sc->opts.has_supervisor && !w.rules) {
            akt__future_fail(sc->future, AKT_ENOMEM, "out of memory on the way to a remote node",
                             NULL);
        } else {
            Akt__Remote__Frame f = AKT__REMOTE__FRAME__INIT;
            f.body_case = AKT__REMOTE__FRAME__BODY_SPAWN;
            f.spawn = &sp;
            akt__endpoint_request(n, q, &f, &sp.correlation, sc->future);
            akt__endpoint_flush(n);
        }
        akt__spawn_wire_free(&w);
    }
    akt__future_unref(sc->future);
    akt__spawn_cmd_free(sc);
}

/* Splits "akt://sys@host:port" into sc. */
static int akt__node_address_parse(const char *a, akt__spawn_cmd *sc) {
    if (strncmp(a, "akt://", 6) != 0 || strlen(a) > 200) return AKT_EINVAL;
    const char *sys = a + 6, *at = strchr(sys, '@');
    if (!at || at == sys || at - sys > 64) return AKT_EINVAL;
    for (const char *q = sys; q < at; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
              *q == '-' || *q == '_' || *q == '.'))
            return AKT_EINVAL;
    const char *host = at + 1, *colon = strchr(host, ':');
    if (!colon || colon == host || colon - host >= 64) return AKT_EINVAL;
    const char *port = colon + 1;
    size_t pl = strlen(port);
    if (!pl || pl > 5) return AKT_EINVAL;
    unsigned long pn = 0;
    for (const char *q = port; *q; q++) {
        if (*q < '0' || *q > '9') return AKT_EINVAL;
        pn = pn * 10 + (unsigned long)(*q - '0');
    }
    if (pn == 0 || pn > 65535) return AKT_EINVAL;
    memcpy(sc->host, host, (size_t)(colon - host));
    sc->host[colon - host] = 0;
    struct sockaddr_in sa;
    if (uv_ip4_addr(sc->host, (int)pn, &sa)) return AKT_EINVAL;
    sc->port = (uint16_t)pn;
    sc->key = strdup(sys);
    sc->system = strndup(sys, (size_t)(at - sys));
    return sc->key && sc->system ? 0 : AKT_ENOMEM;
}

int akt__remote_spawn(akt__node_r *n, const char *node_address, const char *kind, const char *name,
                      const akt_remote_spawn_options *options, akt_pid *out) {
    if (!node_address || !kind || !name || !out || !options || options->timeout_ns <= 0)
        return AKT_EINVAL;
    int64_t timeout_ns = options->timeout_ns;
    size_t kl = strnlen(kind, 256), nl = strnlen(name, 256);
    if (!kl || kl > 255 || memchr(kind, '/', kl) || !nl || nl > 255 || memchr(name, '/', nl) ||
        name[0] == '$')
        return AKT_EINVAL;
    /* On the loop thread only from a turn it runs at its top level (inline.c), whose wait
     * below runs the loop; a callback of the loop would wait for itself. */
    if (akt__io_on_loop(&n->io) && !akt__self.pump) return AKT_EMISUSE;
    akt__spawn_cmd *sc = calloc(1, sizeof *sc);
    if (!sc) return AKT_ENOMEM;
    int rc = akt__spawn_opts_from_api(options, &sc->opts);
    if (!rc) rc = akt__node_address_parse(node_address, sc);
    if (rc) {
        akt__spawn_cmd_free(sc);
        return rc;
    }
    char own[200];
    snprintf(own, sizeof own, "%s", n->address);
    if (strcmp(own, node_address) == 0) { /* this node: spawn here */
        const char *why;
        rc = akt__spawn_local(n, kind, name, &sc->opts, out, &why);
        akt__spawn_cmd_free(sc);
        return rc;
    }
    sc->kind = strdup(kind);
    sc->name = strdup(name);
    sc->node = n;
    akt_future *f = NULL;
    if (!sc->kind || !sc->name ||
        (rc = akt__future_new(n->sys, timeout_ns, (akt_pid){0}, NULL, NULL, &f)) != 0) {
        akt__spawn_cmd_free(sc);
        return rc ? rc : AKT_ENOMEM;
    }
    sc->future = f; /* the pending operation's reference is the command's */
    sc->cmd.run = akt__spawn_run;
    if (akt__io_post(&n->io, &sc->cmd)) {
        akt__future_fail(f, AKT_ECLOSED, NULL, NULL);
        akt__future_unref(f);
        akt__spawn_cmd_free(sc);
        akt_future_release(f);
        return AKT_ECLOSED;
    }
    akt_msg *reply = NULL;
    rc = akt_future_wait(f, -1, &reply); /* the future's own timeout bounds it */
    if (rc == 0) {
        const void *data;
        size_t len;
        char addr[400];
        rc = akt_msg_bytes(reply, &data, &len);
        if (rc == 0 && len < sizeof addr) {
            memcpy(addr, data, len);
            addr[len] = 0;
            rc = akt__proxy_lookup(n, addr, out);
        } else if (rc == 0) {
            rc = AKT_EPROTO;
        }
    }
    if (reply) akt_msg_release(reply);
    akt_future_release(f);
    return rc;
}
