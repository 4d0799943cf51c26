/* akt_metrics_collect: the readings as OpenTelemetry data points, named as GoAkt's
 * instruments (the table in akt/telemetry.h). */
#include <string.h>

#include "kernel/sys.h"
#include "metrics.h"

#define AKT__NS_PER_S 1e9
#define AKT__NS_PER_MS 1e6

typedef struct akt__sys_instrument {
    const char *name;
    int kind;
    const char *unit;
    const char *description;
    double (*value)(const akt_system_metrics *m);
} akt__sys_instrument;

static double akt__v_alive(const akt_system_metrics *m) { return (double)m->actors_alive; }
static double akt__v_dead(const akt_system_metrics *m) { return (double)m->dead_letters; }
static double akt__v_sys_up(const akt_system_metrics *m) { return m->uptime_ns / AKT__NS_PER_S; }
static double akt__v_spawned(const akt_system_metrics *m) { return (double)m->actors_spawned; }
static double akt__v_stopped(const akt_system_metrics *m) { return (double)m->actors_stopped; }
static double akt__v_sys_restarts(const akt_system_metrics *m) { return (double)m->restarts; }
static double akt__v_sys_failures(const akt_system_metrics *m) { return (double)m->failures; }
static double akt__v_sys_unhandled(const akt_system_metrics *m) { return (double)m->unhandled; }
static double akt__v_grains(const akt_system_metrics *m) { return (double)m->grains; }
static double akt__v_peers(const akt_system_metrics *m) { return (double)m->peers; }
static double akt__v_scheduled(const akt_system_metrics *m) { return (double)m->scheduled; }
static double akt__v_cancelled(const akt_system_metrics *m) { return (double)m->cancelled; }

static const akt__sys_instrument akt__sys_instruments[] = {
    {"actorsystem.actors.count", AKT_METRIC_GAUGE, "1", "live actors", akt__v_alive},
    {"actorsystem.deadletters.count", AKT_METRIC_COUNTER, "1", "dead letters", akt__v_dead},
    {"actorsystem.uptime", AKT_METRIC_GAUGE, "s", "time since the system was created",
     akt__v_sys_up},
    {"actor.spawned.count", AKT_METRIC_COUNTER, "1", "actors spawned", akt__v_spawned},
    {"actor.stopped.count", AKT_METRIC_COUNTER, "1", "actors stopped", akt__v_stopped},
    {"actorsystem.restart.count", AKT_METRIC_COUNTER, "1", "restarts of any actor",
     akt__v_sys_restarts},
    {"actorsystem.failure.count", AKT_METRIC_COUNTER, "1", "failures of any actor",
     akt__v_sys_failures},
    {"actorsystem.unhandled.count", AKT_METRIC_COUNTER, "1", "messages not handled",
     akt__v_sys_unhandled},
    {"actorsystem.grains.count", AKT_METRIC_GAUGE, "1", "grain activations", akt__v_grains},
    {"actorsystem.peers.count", AKT_METRIC_GAUGE, "1", "remote connections open", akt__v_peers},
    {"scheduler.scheduled.count", AKT_METRIC_COUNTER, "1", "schedules made", akt__v_scheduled},
    {"scheduler.cancelled.count", AKT_METRIC_COUNTER, "1", "schedules cancelled", akt__v_cancelled},
};

enum { AKT__SUM, AKT__MAX }; /* how the low-cardinality switch folds actors together */

typedef struct akt__actor_instrument {
    const char *name;
    int kind;
    const char *unit;
    const char *description;
    int fold;
    double (*value)(const akt_actor_metrics *m);
} akt__actor_instrument;

static double akt__v_processed(const akt_actor_metrics *m) { return (double)m->processed; }
static double akt__v_restarts(const akt_actor_metrics *m) { return (double)m->restarts; }
static double akt__v_failures(const akt_actor_metrics *m) { return (double)m->failures; }
static double akt__v_unhandled(const akt_actor_metrics *m) { return (double)m->unhandled; }
static double akt__v_mailbox(const akt_actor_metrics *m) { return (double)m->mailbox_size; }
static double akt__v_stash(const akt_actor_metrics *m) { return (double)m->stash_size; }
static double akt__v_children(const akt_actor_metrics *m) { return (double)m->children; }
static double akt__v_last(const akt_actor_metrics *m) {
    return m->last_processing_ns / AKT__NS_PER_MS;
}
static double akt__v_up(const akt_actor_metrics *m) { return m->uptime_ns / AKT__NS_PER_S; }
static double akt__v_dead_actor(const akt_actor_metrics *m) { return (double)m->dead_letters; }
static double akt__v_reinstates(const akt_actor_metrics *m) { return (double)m->reinstates; }

static const akt__actor_instrument akt__actor_instruments[] = {
    {"actor.processed.count", AKT_METRIC_COUNTER, "1", "messages processed", AKT__SUM,
     akt__v_processed},
    {"actor.restart.count", AKT_METRIC_COUNTER, "1", "restarts", AKT__SUM, akt__v_restarts},
    {"actor.failure.count", AKT_METRIC_COUNTER, "1", "failures", AKT__SUM, akt__v_failures},
    {"actor.unhandled.count", AKT_METRIC_COUNTER, "1", "messages not handled", AKT__SUM,
     akt__v_unhandled},
    {"actor.mailbox.size", AKT_METRIC_GAUGE, "1", "messages waiting in the mailbox", AKT__SUM,
     akt__v_mailbox},
    {"actor.stash.size", AKT_METRIC_GAUGE, "1", "messages stashed", AKT__SUM, akt__v_stash},
    {"actor.children.count", AKT_METRIC_GAUGE, "1", "live children", AKT__SUM, akt__v_children},
    {"actor.last.received.duration", AKT_METRIC_GAUGE, "ms", "duration of the last timed receive",
     AKT__MAX, akt__v_last},
    {"actor.uptime", AKT_METRIC_GAUGE, "s", "time since the actor was spawned", AKT__MAX,
     akt__v_up},
    {"actor.deadletters.count", AKT_METRIC_COUNTER, "1", "messages to the actor dead-lettered",
     AKT__SUM, akt__v_dead_actor},
    {"actor.reinstate.count", AKT_METRIC_COUNTER, "1", "reinstates", AKT__SUM, akt__v_reinstates},
};

#define AKT__COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Under the low-cardinality switch: per instrument, one point per kind among the live
 * actors (attribute actor.kind), those without a kind as one point without attributes,
 * which also stands alone when no actor is live. acc and seen: nkinds + 1 entries. */
static int akt__emit_low(const akt__metrics_snap *snap, const akt__actor_instrument *in,
                         double *acc, size_t *seen, akt_metrics_collect_fn cb, void *data) {
    memset(acc, 0, (snap->nkinds + 1) * sizeof *acc);
    memset(seen, 0, (snap->nkinds + 1) * sizeof *seen);
    size_t kinded = 0;
    for (size_t i = 0; i < snap->n; i++) {
        uint16_t k = snap->v[i].kind <= snap->nkinds ? snap->v[i].kind : 0;
        double v = in->value(&snap->v[i].m);
        acc[k] = in->fold == AKT__SUM ? acc[k] + v : (v > acc[k] ? v : acc[k]);
        seen[k]++;
        kinded += k != 0;
    }
    akt_metric_point p = {sizeof p, in->name, in->kind, in->unit, in->description, NULL, 0, 0};
    if (seen[0] || !kinded) {
        p.value = acc[0];
        if (cb(&p, data)) return 1;
    }
    for (uint32_t k = 1; k <= snap->nkinds; k++) {
        if (!seen[k]) continue;
        akt_metric_attr attr = {"actor.kind", snap->kinds[k - 1]->text};
        p.attrs = &attr;
        p.nattrs = 1;
        p.value = acc[k];
        if (cb(&p, data)) return 1;
    }
    return 0;
}

static int akt__emit_actors(akt_system *s, const akt__metrics_snap *snap, int low, double *acc,
                            size_t *seen, akt_metrics_collect_fn cb, void *data) {
    for (size_t k = 0; k < AKT__COUNT(akt__actor_instruments); k++) {
        const akt__actor_instrument *in = &akt__actor_instruments[k];
        akt_metric_point p = {sizeof p, in->name, in->kind, in->unit, in->description, NULL, 0, 0};
        if (low) {
            if (akt__emit_low(snap, in, acc, seen, cb, data)) return 1;
            continue;
        }
        for (size_t i = 0; i < snap->n; i++) {
            const akt__metrics_entry *e = &snap->v[i];
            akt_metric_attr attrs[4] = {{"actor.system", s->name},
                                        {"actor.name", snap->text + e->name},
                                        {"actor.address", snap->text + e->path},
                                        {"actor.kind", e->m.kind}};
            p.attrs = attrs;
            p.nattrs = e->m.kind ? 4 : 3; /* no actor.kind for an actor without a kind */
            p.value = in->value(&e->m);
            if (cb(&p, data)) return 1;
        }
    }
    return 0;
}

/* actor.passivated.count: actors without a kind as a point without attributes, then one
 * point per kind of the system (attribute actor.kind), whatever the switch (GoAkt keeps
 * actor.kind under it). */
static int akt__emit_passivated(akt_system *s, const akt__metrics_snap *snap,
                                akt_metrics_collect_fn cb, void *data) {
    akt_metric_point p = {
        sizeof p,
        "actor.passivated.count",
        AKT_METRIC_COUNTER,
        "1",
        "actors passivated",
        NULL,
        0,
        (double)atomic_load_explicit(&s->stats.passivated_unkinded, memory_order_relaxed)};
    if (cb(&p, data)) return 1;
    for (uint32_t k = 0; k < snap->nkinds; k++) {
        akt_metric_attr attr = {"actor.kind", snap->kinds[k]->text};
        p.attrs = &attr;
        p.nattrs = 1;
        /* relaxed, as every counter (kernel/stats.h) */
        p.value = (double)atomic_load_explicit(&((akt__kind *)snap->kinds[k])->passivated,
                                               memory_order_relaxed);
        if (cb(&p, data)) return 1;
    }
    return 0;
}

AKT_API int akt_metrics_collect(akt_system *system, akt_metrics_collect_fn cb, void *data) {
    if (!system || !cb) return AKT_EINVAL;
    akt__metrics_snap snap;
    int rc = akt__metrics_snap_take(system, &snap);
    if (rc) return rc;
    int low = akt__metrics_low_cardinality(system);
    double *acc = NULL;
    size_t *seen = NULL;
    if (low) {
        acc = akt__heap_alloc(&system->heap, (snap.nkinds + 1) * sizeof *acc);
        seen = akt__heap_alloc(&system->heap, (snap.nkinds + 1) * sizeof *seen);
        if (!acc || !seen) {
            akt__heap_free(&system->heap, acc);
            akt__heap_free(&system->heap, seen);
            akt__metrics_snap_drop(system, &snap);
            return AKT_ENOMEM;
        }
    }
    akt_system_metrics m;
    akt__metrics_system_read(system, &m);
    int stop = 0;
    for (size_t k = 0; k < AKT__COUNT(akt__sys_instruments) && !stop; k++) {
        const akt__sys_instrument *in = &akt__sys_instruments[k];
        akt_metric_point p = {sizeof p,        in->name, in->kind, in->unit,
                              in->description, NULL,     0,        in->value(&m)};
        stop = cb(&p, data);
    }
    if (!stop) stop = akt__emit_passivated(system, &snap, cb, data);
    if (!stop) akt__emit_actors(system, &snap, low, acc, seen, cb, data);
    akt__heap_free(&system->heap, acc);
    akt__heap_free(&system->heap, seen);
    akt__metrics_snap_drop(system, &snap);
    return 0;
}
