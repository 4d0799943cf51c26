/* Grains: the per-system registry of kinds, the directory of activations, and telling or
 * asking a grain by identity (see grain.h for the scheme). The grains part and its parent
 * actor, /user/$grains, are made by the first kind registered. */
#include "grain.h"

#include <string.h>

#include "actor/reader.h"
#include "actor/send.h"
#include "actor/spawn.h"
#include "base/alloc.h"
#include "kernel/msg.h"
#include "mailbox/mailbox.h"

static const char akt__grains_key; /* the part's key: its address */
/* Serialises the making of a system's grains part (once per system). */
static pthread_mutex_t akt__grains_start = PTHREAD_MUTEX_INITIALIZER;

static uint64_t akt__grain_hash(const char *p, size_t n) {
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static akt__grain_stripe *akt__stripe_of(akt__grains *g, uint64_t h) {
    return &g->stripes[h >> 60]; /* the top bits: the buckets use the low ones */
}

static akt__grain **akt__grain_slot(akt__grain_stripe *st, const char *id, size_t len, uint64_t h) {
    akt__grain **p = &st->buckets[h & (st->nbuckets - 1)];
    while (*p && !((*p)->hash == h && (*p)->len == len && !memcmp((*p)->identity, id, len)))
        p = &(*p)->next;
    return p;
}

static int akt__stripe_grow(akt_system *s, akt__grain_stripe *st) {
    uint32_t n = st->nbuckets ? st->nbuckets * 2 : 16;
    akt__grain **b = akt__heap_calloc(&s->heap, n * sizeof *b);
    if (!b) return AKT_ENOMEM;
    for (uint32_t i = 0; i < st->nbuckets; i++) {
        for (akt__grain *e = st->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    akt__heap_free(&s->heap, st->buckets);
    st->buckets = b;
    st->nbuckets = n;
    return 0;
}

static void akt__unlist_locked(akt__grain_stripe *st, akt__grain *rec) {
    akt__grain **p = akt__grain_slot(st, rec->identity, rec->len, rec->hash);
    if (*p == rec) *p = rec->next;
    rec->listed = 0;
    st->n--;
    akt__sys_stat_down(&rec->grains->system->stats.grains); /* actorsystem.grains.count */
}

void akt__grain_unlist(akt__grain *rec) {
    akt__grain_stripe *st = akt__stripe_of(rec->grains, rec->hash);
    pthread_mutex_lock(&st->lock);
    if (rec->listed) akt__unlist_locked(st, rec);
    pthread_mutex_unlock(&st->lock);
}

int akt__grain_idle(akt__grain *rec) {
    akt__grain_stripe *st = akt__stripe_of(rec->grains, rec->hash);
    pthread_mutex_lock(&st->lock);
    int idle = rec->sent == rec->received;
    pthread_mutex_unlock(&st->lock);
    return idle;
}

int akt__grain_try_unlist(akt__grain *rec) {
    akt__grain_stripe *st = akt__stripe_of(rec->grains, rec->hash);
    pthread_mutex_lock(&st->lock);
    int idle = rec->sent == rec->received;
    if (idle && rec->listed) akt__unlist_locked(st, rec);
    pthread_mutex_unlock(&st->lock);
    return idle;
}

/* The parent of every activation: it handles nothing itself. */
static int akt__grains_parent_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)msg;
    (void)state;
    return AKT_EUNHANDLED;
}

/* Frees a kind record and its copies of the options (not its kind_data). */
static void akt__grain_kind_free(akt_system *s, akt__grain_kind *k) {
    if (k->dep_names)
        for (size_t i = 0; i < k->def.dependency_count; i++)
            akt__heap_free(&s->heap, k->dep_names[i]);
    akt__heap_free(&s->heap, k->dep_names);
    akt__heap_free(&s->heap, k->dep_values);
    akt__heap_free(&s->heap, k);
}

static void akt__grains_part_free(akt_system *s, akt__part *p) {
    akt__grains *g = (akt__grains *)p;
    /* Every activation is gone (the system's actors went first) and unlisted itself. */
    for (int i = 0; i < AKT__GRAIN_STRIPES; i++) {
        akt__heap_free(&s->heap, g->stripes[i].buckets);
        pthread_mutex_destroy(&g->stripes[i].lock);
    }
    akt__grain_kind *k = atomic_load_explicit(&g->kinds, memory_order_relaxed);
    while (k) {
        akt__grain_kind *next = k->next;
        if (k->def.free_kind_data) k->def.free_kind_data(k->def.kind_data);
        akt__grain_kind_free(s, k);
        k = next;
    }
    pthread_mutex_destroy(&g->kinds_lock);
    akt__heap_free(&s->heap, g);
}

static akt__grains *akt__grains_find(akt_system *s) {
    return (akt__grains *)akt__part_find(s, &akt__grains_key);
}

/* The system's grains part, made with its parent actor on first use. */
static int akt__grains_get(akt_system *s, akt__grains **out) {
    akt__grains *g = akt__grains_find(s);
    if (g) {
        *out = g;
        return 0;
    }
    pthread_mutex_lock(&akt__grains_start);
    int rc = 0;
    g = akt__grains_find(s);
    if (!g) {
        g = akt__heap_calloc(&s->heap, sizeof *g);
        if (!g) {
            rc = AKT_ENOMEM;
        } else {
            g->system = s;
            atomic_init(&g->kinds, NULL);
            pthread_mutex_init(&g->kinds_lock, NULL);
            for (int i = 0; i < AKT__GRAIN_STRIPES; i++)
                pthread_mutex_init(&g->stripes[i].lock, NULL);
            akt_behavior b = {sizeof b, akt__grains_parent_receive, NULL, NULL, NULL, NULL};
            /* A failed activation is stopped: its next message activates a fresh one. */
            akt_supervisor sup = {.size = sizeof sup,
                                  .strategy = AKT_STRATEGY_ONE_FOR_ONE,
                                  .default_directive = AKT_DIRECTIVE_STOP};
            akt_spawn_options o;
            akt_spawn_options_init(&o);
            o.name = "$grains";
            o.supervisor = &sup;
            rc = akt__spawn_reserved(s, &b, NULL, &o, &g->parent);
            if (rc) {
                g->part.free = akt__grains_part_free;
                akt__grains_part_free(s, &g->part);
                g = NULL;
            } else {
                g->part.key = &akt__grains_key;
                g->part.free = akt__grains_part_free;
                pthread_mutex_lock(&s->lock);
                akt__part_add_locked(s, &g->part);
                pthread_mutex_unlock(&s->lock);
            }
        }
    }
    pthread_mutex_unlock(&akt__grains_start);
    if (!rc) *out = g;
    return rc;
}

static const akt__grain_kind *akt__kind_find(akt__grains *g, const char *kind, size_t len) {
    /* acquire: pairs with the release that pushed a kind once its fields were written. */
    for (const akt__grain_kind *k = atomic_load_explicit(&g->kinds, memory_order_acquire); k;
         k = k->next)
        if (k->len == len && !memcmp(k->name, kind, len)) return k;
    return NULL;
}

static int akt__kind_check(const char *kind, size_t *len) {
    if (!kind) return AKT_EINVAL;
    *len = strnlen(kind, AKT__GRAIN_KIND_MAX + 1);
    if (*len == 0 || *len > AKT__GRAIN_KIND_MAX || memchr(kind, '/', *len)) return AKT_EINVAL;
    return 0;
}

const akt__grain_kind *akt__grain_kind_lookup(akt_system *s, const char *kind) {
    size_t len;
    akt__grains *g = akt__grains_find(s);
    if (!g || akt__kind_check(kind, &len)) return NULL;
    return akt__kind_find(g, kind, len);
}

static int akt__sys_open(akt_system *s) {
    if (!s) return AKT_EINVAL;
    return akt__sys_closed(s) ? AKT_ECLOSED : 0;
}

AKT_API int akt_grain_kind_init(akt_grain_kind *def) {
    if (!def) return AKT_EINVAL;
    memset(def, 0, sizeof *def);
    def->size = sizeof *def;
    def->deactivate_after_ns = AKT_GRAIN_DEACTIVATE_AFTER_DEFAULT_NS;
    return 0;
}

/* Checks a grain's mailbox spec m and copies it (read by size) into *copy: AKT_EINVAL,
 * AKT_ENOMEM. */
static int akt__grain_mailbox_check(akt_system *s, const akt_mailbox_spec *m,
                                    akt_mailbox_spec *copy) {
    if (m->size < offsetof(akt_mailbox_spec, compare)) return AKT_EINVAL;
    memset(copy, 0, sizeof *copy);
    memcpy(copy, m, m->size < sizeof *copy ? m->size : sizeof *copy);
    copy->size = sizeof *copy;
    /* A dropped message would stay counted as on its way (grain.h), and the grain would
     * never deactivate: a grain refuses instead. */
    if (copy->capacity && copy->when_full == AKT_MAILBOX_DROP) return AKT_EINVAL;
    /* The rest is checked as a spawn checks it (kind, capacity, BLOCK's timeout,
     * PRIORITY's compare). */
    akt__mailbox_plan plan;
    int rc = akt__mailbox_plan_make(&s->heap, copy, &plan);
    if (rc) return rc;
    akt__mailbox_plan_drop(&s->heap, &plan);
    return 0;
}

/* Checks n dependencies: names 1..255 bytes and distinct. */
static int akt__grain_deps_check(const char *const *names, void *const *values, size_t n) {
    if (!n) return 0;
    if (!names || !values || n > UINT32_MAX) return AKT_EINVAL;
    for (size_t i = 0; i < n; i++) {
        size_t l = names[i] ? strnlen(names[i], 256) : 0;
        if (!l || l > 255) return AKT_EINVAL;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(names[i], names[j])) return AKT_EINVAL;
    }
    return 0;
}

/* Checks the options of k->def (a copy of the caller's) and makes k's own copies of what
 * they point at: AKT_EINVAL, AKT_ENOMEM (then k->dep_names holds what was copied). */
static int akt__grain_options_copy(akt_system *s, akt__grain_kind *k) {
    akt_grain_kind *d = &k->def;
    if (d->reentrancy < AKT_REENTRANCY_DEFAULT || d->reentrancy > AKT_REENTRANCY_STASH)
        return AKT_EINVAL;
    if (d->mailbox) {
        int rc = akt__grain_mailbox_check(s, d->mailbox, &k->mailbox);
        if (rc) return rc;
        d->mailbox = &k->mailbox;
    }
    size_t n = d->dependency_count;
    const char *const *names = d->dependency_names;
    void *const *values = d->dependency_values;
    d->dependency_names = NULL;
    d->dependency_values = NULL;
    d->dependency_count = 0;
    if (!n) return 0;
    int rc = akt__grain_deps_check(names, values, n);
    if (rc) return rc;
    k->dep_names = akt__heap_calloc(&s->heap, n * sizeof *k->dep_names);
    k->dep_values = akt__heap_calloc(&s->heap, n * sizeof *k->dep_values);
    if (!k->dep_names || !k->dep_values) return AKT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        d->dependency_count = i; /* what akt__grain_kind_free frees */
        k->dep_names[i] = akt__heap_strdup(&s->heap, names[i]);
        if (!k->dep_names[i]) return AKT_ENOMEM;
        k->dep_values[i] = values[i];
    }
    d->dependency_count = n;
    d->dependency_names = (const char *const *)k->dep_names;
    d->dependency_values = k->dep_values;
    return 0;
}

AKT_API int akt_grain_options_init(akt_grain_options *o) {
    if (!o) return AKT_EINVAL;
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->deactivate_after_ns = AKT_GRAIN_FROM_KIND;
    o->reentrancy = AKT_GRAIN_FROM_KIND;
    o->max_in_flight = AKT_GRAIN_FROM_KIND;
    return 0;
}

/* The options of a send (NULL: none) read by size into *o, and checked; the mailbox's copy
 * goes to *mbox (o->mailbox then points at it). */
static int akt__grain_opts_read(akt_system *s, const akt_grain_options *in, akt_grain_options *o,
                                akt_mailbox_spec *mbox) {
    akt_grain_options_init(o);
    if (!in) return 0;
    if (in->size < offsetof(akt_grain_options, max_in_flight) + sizeof in->max_in_flight)
        return AKT_EINVAL;
    memcpy(o, in, sizeof *o);
    o->size = sizeof *o;
    if (o->deactivate_after_ns < AKT_GRAIN_FROM_KIND) return AKT_EINVAL;
    if (o->reentrancy != AKT_GRAIN_FROM_KIND &&
        (o->reentrancy < AKT_REENTRANCY_DEFAULT || o->reentrancy > AKT_REENTRANCY_STASH))
        return AKT_EINVAL;
    if (o->max_in_flight < AKT_GRAIN_FROM_KIND || o->max_in_flight > (int64_t)UINT32_MAX)
        return AKT_EINVAL;
    if (o->mailbox) {
        int rc = akt__grain_mailbox_check(s, o->mailbox, mbox);
        if (rc) return rc;
        o->mailbox = mbox;
    }
    return akt__grain_deps_check(o->dependency_names, o->dependency_values, o->dependency_count);
}

AKT_API int akt_grain_kind_register(akt_system *system, const char *kind,
                                    const akt_grain_kind *def) {
    size_t len;
    int rc = akt__sys_open(system);
    if (rc) return rc;
    if (akt__kind_check(kind, &len) || !def ||
        def->size < offsetof(akt_grain_kind, dispatcher) + sizeof def->dispatcher ||
        !def->activate || def->deactivate_after_ns < 0)
        return AKT_EINVAL;
    akt__grain_kind *k = akt__heap_calloc(&system->heap, sizeof *k + len + 1);
    if (!k) return AKT_ENOMEM;
    /* Read by size: a def from before the options keeps their defaults (zeroes). */
    memcpy(&k->def, def, def->size < sizeof k->def ? def->size : sizeof k->def);
    k->def.size = sizeof k->def;
    k->len = len;
    memcpy(k->name, kind, len + 1);
    rc = akt__grain_options_copy(system, k);
    if (rc) {
        akt__grain_kind_free(system, k);
        return rc;
    }
    akt__grains *g;
    rc = akt__grains_get(system, &g);
    if (rc) {
        akt__grain_kind_free(system, k);
        return rc;
    }
    pthread_mutex_lock(&g->kinds_lock);
    if (akt__kind_find(g, kind, len)) {
        rc = AKT_EEXIST;
    } else {
        k->next = atomic_load_explicit(&g->kinds, memory_order_relaxed);
        /* release: a reader that finds k sees its fields. */
        atomic_store_explicit(&g->kinds, k, memory_order_release);
    }
    pthread_mutex_unlock(&g->kinds_lock);
    if (rc) akt__grain_kind_free(system, k);
    return rc;
}

/* A new record for kind/name, spawned; under the stripe's lock. */
static int akt__grain_activate_locked(akt__grains *g, const akt__grain_kind *k, const char *id,
                                      size_t len, uint64_t h, const akt_grain_options *opt,
                                      akt__grain **out) {
    akt_system *s = g->system;
    akt__grain *rec = akt__heap_calloc(&s->heap, sizeof *rec + len + 1);
    if (!rec) return AKT_ENOMEM;
    rec->hash = h;
    rec->grains = g;
    rec->kind = k;
    rec->len = len;
    rec->name_off = k->len + 1;
    memcpy(rec->identity, id, len + 1);
    rec->deactivate_after_ns = opt->deactivate_after_ns != AKT_GRAIN_FROM_KIND
                                   ? opt->deactivate_after_ns
                                   : k->def.deactivate_after_ns;
    int rc = akt__grain_timer_new(rec);
    if (rc) {
        akt__heap_free(&s->heap, rec);
        return rc;
    }
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.dispatcher = k->def.dispatcher;
    o.kind = k->name; /* actor.kind: the grain kind's name (at most 255 bytes, as a kind) */
    /* The activation's options over the kind's (spawn copies the mailbox and the names). */
    o.mailbox = opt->mailbox ? opt->mailbox : k->def.mailbox;
    int own_deps = opt->dependency_count > 0;
    o.dependency_names = own_deps ? opt->dependency_names : k->def.dependency_names;
    o.dependency_values = own_deps ? opt->dependency_values : k->def.dependency_values;
    o.dependency_count = own_deps ? opt->dependency_count : k->def.dependency_count;
    o.reentrancy = opt->reentrancy != AKT_GRAIN_FROM_KIND ? opt->reentrancy : k->def.reentrancy;
    o.max_in_flight = opt->max_in_flight != AKT_GRAIN_FROM_KIND ? (uint32_t)opt->max_in_flight
                                                                : k->def.max_in_flight;
    /* Listed before the spawn: the shell's free_state, which may run as soon as the
     * activation exists, unlists it under this same lock. */
    rec->listed = 1;
    akt__relay_receive(akt__grain_shell.receive); /* the kind's behaviour reads */
    rc = akt__spawn_under(s, akt__pid_index(g->parent), &akt__grain_shell, rec, &o, &rec->pid);
    if (rc) {
        akt__grain_discard(rec);
        return rc == AKT_ESTOPPED ? AKT_ECLOSED : rc;
    }
    *out = rec;
    return 0;
}

/* Finds or activates the grain id (kind k), counts one message for it and returns its
 * pid. */
static int akt__grain_route(akt__grains *g, const akt__grain_kind *k, const char *id, size_t len,
                            uint64_t h, const akt_grain_options *opt, akt_pid *pid) {
    akt__grain_stripe *st = akt__stripe_of(g, h);
    pthread_mutex_lock(&st->lock);
    akt__grain *rec = st->nbuckets ? *akt__grain_slot(st, id, len, h) : NULL;
    int rc = 0;
    if (!rec) {
        rc = st->n + 1 > st->nbuckets / 4 * 3 ? akt__stripe_grow(g->system, st) : 0;
        if (!rc) rc = akt__grain_activate_locked(g, k, id, len, h, opt, &rec);
        if (!rc) {
            akt__grain **slot = akt__grain_slot(st, id, len, h);
            rec->next = *slot;
            *slot = rec;
            st->n++;
            akt__sys_stat(&g->system->stats.grains);
        }
    }
    if (!rc) {
        rec->sent++;
        *pid = rec->pid;
    }
    pthread_mutex_unlock(&st->lock);
    return rc;
}

/* The send to pid failed: takes back the message counted, and forgets the activation if it
 * is gone (rc AKT_ENOTFOUND), so that the next attempt activates a new one. */
static void akt__grain_unroute(akt__grains *g, const char *id, size_t len, uint64_t h, akt_pid pid,
                               int rc) {
    akt__grain_stripe *st = akt__stripe_of(g, h);
    pthread_mutex_lock(&st->lock);
    akt__grain *rec = *akt__grain_slot(st, id, len, h);
    /* Only the activation the message was counted for: a record is freed only once
     * unlisted, so a listed one with this pid is that one. */
    if (rec && rec->pid.id == pid.id) {
        rec->sent--;
        if (rc == AKT_ENOTFOUND) akt__unlist_locked(st, rec);
    }
    pthread_mutex_unlock(&st->lock);
}

/* Activations found gone before a send are forgotten and replaced this many times before
 * the send gives up (each one failed its activation at once). */
#define AKT__GRAIN_ATTEMPTS 8

static int akt__grain_send(akt_system *s, const char *kind, const char *name, akt_msg *msg,
                           int64_t timeout_ns, const akt_grain_options *options,
                           akt_receive_fn reader, akt_future **out) {
    size_t klen, nlen;
    int rc = akt__sys_open(s);
    if (rc) return rc;
    if (akt__kind_check(kind, &klen) || !name || !akt__msg_ok(msg)) return AKT_EINVAL;
    akt_grain_options opt;
    akt_mailbox_spec mbox;
    if ((rc = akt__grain_opts_read(s, options, &opt, &mbox))) return rc;
    nlen = strnlen(name, AKT__GRAIN_NAME_MAX + 1);
    if (!nlen || nlen > AKT__GRAIN_NAME_MAX) return AKT_EINVAL;
    akt__grains *g = akt__grains_find(s);
    const akt__grain_kind *k = g ? akt__kind_find(g, kind, klen) : NULL;
    if (!k) return AKT_ENOTFOUND;
    size_t len = klen + 1 + nlen;
    char buf[256];
    char *id = len < sizeof buf ? buf : akt__heap_alloc(&s->heap, len + 1);
    if (!id) return AKT_ENOMEM;
    memcpy(id, kind, klen);
    id[klen] = '/';
    memcpy(id + klen + 1, name, nlen + 1);
    uint64_t h = akt__grain_hash(id, len);
    for (int attempt = 1;; attempt++) {
        akt_pid pid;
        rc = akt__grain_route(g, k, id, len, h, &opt, &pid);
        if (rc) break;
        rc = !out     ? akt_tell(s, pid, msg)
             : reader ? akt_ask_as(s, pid, msg, timeout_ns, reader, out)
                      : akt_ask(s, pid, msg, timeout_ns, out);
        if (rc) akt__grain_unroute(g, id, len, h, pid, rc);
        if (rc != AKT_ENOTFOUND) break;
        if (attempt == AKT__GRAIN_ATTEMPTS) {
            rc = AKT_ESTOPPED;
            break;
        }
    }
    if (id != buf) akt__heap_free(&s->heap, id);
    return rc;
}

AKT_API int akt_grain_tell(akt_system *system, const char *kind, const char *name, akt_msg *msg) {
    return akt__grain_send(system, kind, name, msg, 0, NULL, NULL, NULL);
}

AKT_API int akt_grain_ask(akt_system *system, const char *kind, const char *name, akt_msg *msg,
                          int64_t timeout_ns, akt_future **out) {
    if (!out || timeout_ns < 0) return AKT_EINVAL;
    return akt__grain_send(system, kind, name, msg, timeout_ns, NULL, NULL, out);
}

AKT_API int akt_grain_tell_with(akt_system *system, const char *kind, const char *name,
                                akt_msg *msg, const akt_grain_options *options) {
    return akt__grain_send(system, kind, name, msg, 0, options, NULL, NULL);
}

AKT_API int akt_grain_ask_with(akt_system *system, const char *kind, const char *name, akt_msg *msg,
                               int64_t timeout_ns, const akt_grain_options *options,
                               akt_future **out) {
    if (!out || timeout_ns < 0) return AKT_EINVAL;
    return akt__grain_send(system, kind, name, msg, timeout_ns, options, NULL, out);
}

AKT_API int akt_grain_ask_as(akt_system *system, const char *kind, const char *name, akt_msg *msg,
                             int64_t timeout_ns, const akt_grain_options *options,
                             akt_receive_fn reader, akt_future **out) {
    if (!out || !reader || timeout_ns < 0) return AKT_EINVAL;
    return akt__grain_send(system, kind, name, msg, timeout_ns, options, reader, out);
}
