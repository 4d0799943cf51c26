/* test_metrics: akt/telemetry.h. Counts after a scripted scenario (spawn, tell N, a failure
 * with a restart, unhandled messages, a stash, dead letters), the mailbox gauge while an
 * actor is blocked, the OpenTelemetry-shaped export with and without the low-cardinality
 * switch, and concurrent tells under readers (the TSan build checks the counters). */
#include <akt/telemetry.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "tu.h"

#define N_TELLS 100

static tu_gate gate;

/* "inc": counted; "fail": a failure (restart); "bogus": unhandled; "stash": kept;
 * "unstash": the stash back; "block": waits on the gate; "get": replies. */
static int receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "inc")) return 0;
    if (tu_is(msg, "fail")) return -1000;
    if (tu_is(msg, "stash")) return akt_ctx_stash(ctx);
    if (tu_is(msg, "unstash")) return akt_ctx_unstash_all(ctx);
    if (tu_is(msg, "block")) {
        tu_gate_wait(&gate);
        return 0;
    }
    if (tu_is(msg, "get")) return tu_reply(ctx, "ok", NULL);
    if (tu_is(msg, "nap")) {
        tu_sleep_ms(20);
        return 0;
    }
    return AKT_EUNHANDLED;
}

static void tell(akt_system *sys, akt_pid to, const char *type) {
    TU_OK(akt_tell(sys, to, tu_msg(type, NULL)));
}

static void get(akt_system *sys, akt_pid to) { TU_OK(tu_ask(sys, to, tu_msg("get", NULL), NULL)); }

static akt_actor_metrics actor_metrics(akt_system *sys, akt_pid pid) {
    akt_actor_metrics m = {.size = sizeof m};
    TU_OK(akt_metrics_actor(sys, pid, &m));
    return m;
}

static akt_system_metrics system_metrics(akt_system *sys) {
    akt_system_metrics m = {.size = sizeof m};
    TU_OK(akt_metrics_system(sys, &m));
    return m;
}

static void test_scripted_counts(void **state) {
    (void)state;
    akt_system *sys = tu_system("metrics", 2);
    akt_behavior b = tu_behavior(receive);
    akt_pid a = tu_spawn(sys, &b, NULL, "a");
    for (int i = 0; i < N_TELLS; i++) tell(sys, a, "inc");
    get(sys, a);
    akt_actor_metrics m = actor_metrics(sys, a);
    assert_int_equal(m.pid.id, a.id);
    assert_int_equal(m.processed, N_TELLS + 1);
    assert_int_equal(m.restarts, 0);
    assert_int_equal(m.failures, 0);
    assert_int_equal(m.mailbox_size, 0);
    assert_true(m.uptime_ns > 0);
    assert_true(m.last_processing_ns >= 0);

    tell(sys, a, "fail"); /* restart (the default directive) */
    get(sys, a);          /* handled once the restart is done */
    assert_int_equal(tu_ask(sys, a, tu_msg("bogus", NULL), NULL), AKT_EUNHANDLED);
    tell(sys, a, "stash");
    tell(sys, a, "stash");
    get(sys, a);
    m = actor_metrics(sys, a);
    assert_int_equal(m.processed, N_TELLS + 1 + 2 + 1 + 2 + 1);
    assert_int_equal(m.restarts, 1);
    assert_int_equal(m.failures, 1);
    assert_int_equal(m.unhandled, 1);
    assert_int_equal(m.stash_size, 2);

    akt_system_metrics s = system_metrics(sys);
    assert_int_equal(s.actors_alive, 1);
    assert_int_equal(s.actors_spawned, 1);
    assert_int_equal(s.restarts, 1);
    assert_int_equal(s.failures, 1);
    assert_int_equal(s.unhandled, 1);
    assert_int_equal(s.dead_letters, 0);
    assert_true(s.uptime_ns > 0);

    /* Stopping with two stashed messages: two dead letters. */
    tu_stop_wait(sys, a);
    s = system_metrics(sys);
    assert_int_equal(s.actors_alive, 0);
    assert_int_equal(s.actors_stopped, 1);
    assert_int_equal(s.dead_letters, 2);
    akt_actor_metrics gone = {.size = sizeof gone};
    assert_int_equal(akt_metrics_actor(sys, a, &gone), AKT_ENOTFOUND);

    /* A new incarnation on the slot starts from zero. */
    akt_pid again = tu_spawn(sys, &b, NULL, "a");
    get(sys, again);
    m = actor_metrics(sys, again);
    assert_int_equal(m.processed, 1);
    assert_int_equal(m.restarts + m.failures + m.unhandled + m.stash_size, 0);
    tu_system_end(sys);
}

static void test_mailbox_gauge(void **state) {
    (void)state;
    tu_gate_init(&gate);
    akt_system *sys = tu_system("mailbox", 2);
    akt_behavior b = tu_behavior(receive);
    akt_pid a = tu_spawn(sys, &b, NULL, "blocked");
    tell(sys, a, "block");
    tu_gate_await_waiters(&gate, 1);
    for (int i = 0; i < 5; i++) tell(sys, a, "inc");
    assert_int_equal(actor_metrics(sys, a).mailbox_size, 5);
    akt_msg *batch[3] = {tu_msg("inc", NULL), tu_msg("inc", NULL), tu_msg("inc", NULL)};
    TU_OK(akt_tell_batch(sys, a, batch, 3));
    assert_int_equal(actor_metrics(sys, a).mailbox_size, 8);
    tu_gate_open(&gate);
    get(sys, a);
    akt_actor_metrics m = actor_metrics(sys, a);
    assert_int_equal(m.mailbox_size, 0);
    assert_int_equal(m.processed, 10);
    tu_system_end(sys);
    tu_gate_destroy(&gate);
}

typedef struct walk {
    int actors;
    int points;
    int processed_points;
    double processed;
    int child_seen;
    char names[2048];
} walk;

static int on_actor(const akt_actor_metrics *m, const char *path, void *data) {
    walk *w = data;
    w->actors++;
    if (strcmp(path, "akt://walk/user/p/c") == 0) w->child_seen = (int)m->processed + 1;
    return 0;
}

static int on_point(const akt_metric_point *p, void *data) {
    walk *w = data;
    w->points++;
    assert_int_equal(p->size, sizeof *p);
    assert_non_null(p->unit);
    assert_true(p->kind == AKT_METRIC_COUNTER || p->kind == AKT_METRIC_GAUGE);
    if (strcmp(p->name, "actor.processed.count") == 0) {
        w->processed_points++;
        w->processed += p->value;
        if (p->nattrs) {
            assert_int_equal(p->nattrs, 3);
            assert_string_equal(p->attrs[0].key, "actor.system");
            assert_string_equal(p->attrs[0].value, "walk");
            assert_string_equal(p->attrs[1].key, "actor.name");
            assert_string_equal(p->attrs[2].key, "actor.address");
        }
    }
    if (strcmp(p->name, "actorsystem.actors.count") == 0) assert_true(p->value == 2);
    if (!strstr(w->names, p->name) && strlen(w->names) + strlen(p->name) + 2 < sizeof w->names) {
        strcat(w->names, p->name);
        strcat(w->names, " ");
    }
    return 0;
}

static int child_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "spawn")) {
        akt_behavior b = tu_behavior(receive);
        akt_spawn_options o;
        akt_spawn_options_init(&o);
        o.name = "c";
        akt_pid c;
        int rc = akt_ctx_spawn(ctx, &b, NULL, &o, &c);
        if (rc) return rc;
        return tu_reply_u64(ctx, "pid", c.id);
    }
    return receive(ctx, msg, state);
}

static void test_foreach_and_collect(void **state) {
    (void)state;
    akt_system *sys = tu_system("walk", 2);
    akt_behavior b = tu_behavior(child_receive);
    akt_pid p = tu_spawn(sys, &b, NULL, "p");
    akt_pid c = {tu_ask_u64(sys, p, "spawn")};
    tell(sys, c, "inc");
    get(sys, c);
    assert_int_equal(actor_metrics(sys, p).children, 1);
    walk w = {0};
    TU_OK(akt_metrics_foreach(sys, on_actor, &w));
    assert_int_equal(w.actors, 2);
    assert_int_equal(w.child_seen, 3); /* processed 2, +1 */
    memset(&w, 0, sizeof w);
    TU_OK(akt_metrics_collect(sys, on_point, &w));
    assert_int_equal(w.processed_points, 2);
    assert_true(w.processed == 3); /* p: spawn; c: inc, get */
    /* 12 system instruments and actor.passivated.count's point (no kinds), 11 per actor */
    assert_int_equal(w.points, 13 + 11 * 2);
    static const char *const names[] = {"actorsystem.actors.count",
                                        "actorsystem.deadletters.count",
                                        "actorsystem.uptime",
                                        "actor.spawned.count",
                                        "actor.stopped.count",
                                        "actor.processed.count",
                                        "actor.restart.count",
                                        "actor.failure.count",
                                        "actor.mailbox.size",
                                        "actor.stash.size",
                                        "actor.children.count",
                                        "actor.last.received.duration",
                                        "actor.uptime",
                                        "actor.unhandled.count",
                                        "actorsystem.grains.count",
                                        "actorsystem.peers.count",
                                        "actor.passivated.count",
                                        "scheduler.scheduled.count",
                                        "scheduler.cancelled.count",
                                        "actor.deadletters.count",
                                        "actor.reinstate.count"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strstr(w.names, names[i])) fail_msg("no instrument %s in: %s", names[i], w.names);
    TU_OK(akt_metrics_set_low_cardinality(sys, 1));
    memset(&w, 0, sizeof w);
    TU_OK(akt_metrics_collect(sys, on_point, &w));
    assert_int_equal(w.processed_points, 1);
    assert_true(w.processed == 3);
    assert_int_equal(w.points, 13 + 11);
    tu_system_end(sys);
}

/* Concurrent tells with readers: every tell is counted once (TSan: no race). */
#define SENDERS 4
#define PER_SENDER 5000

typedef struct race {
    akt_system *sys;
    akt_pid to;
    atomic_int stop;
    atomic_int bad; /* a reader's failed check (asserts belong to the test thread) */
} race;

static void *sender(void *arg) {
    race *r = arg;
    for (int i = 0; i < PER_SENDER; i++) tell(r->sys, r->to, "inc");
    return NULL;
}

static int count_point(const akt_metric_point *p, void *data) {
    (void)p;
    ++*(int *)data;
    return 0;
}

static void *reader(void *arg) {
    race *r = arg;
    while (!atomic_load(&r->stop)) {
        akt_actor_metrics m = {.size = sizeof m};
        if (akt_metrics_actor(r->sys, r->to, &m) || m.processed > SENDERS * PER_SENDER + 1)
            atomic_store(&r->bad, 1);
        int n = 0;
        if (akt_metrics_collect(r->sys, count_point, &n) || n < 8) atomic_store(&r->bad, 1);
    }
    return NULL;
}

static void test_concurrent_tells(void **state) {
    (void)state;
    akt_system *sys = tu_system("race", 2);
    akt_behavior b = tu_behavior(receive);
    race r = {sys, tu_spawn(sys, &b, NULL, "target"), 0, 0};
    pthread_t s[SENDERS], rd;
    pthread_create(&rd, NULL, reader, &r);
    for (int i = 0; i < SENDERS; i++) pthread_create(&s[i], NULL, sender, &r);
    for (int i = 0; i < SENDERS; i++) pthread_join(s[i], NULL);
    get(sys, r.to);
    atomic_store(&r.stop, 1);
    pthread_join(rd, NULL);
    assert_int_equal(atomic_load(&r.bad), 0);
    akt_actor_metrics m = actor_metrics(sys, r.to);
    assert_int_equal(m.processed, SENDERS * PER_SENDER + 1);
    assert_int_equal(m.mailbox_size, 0);
    tu_system_end(sys);
}

/* ---- kinds (akt_spawn_options.kind) and the 0.4 instruments ---------------------------- */

static akt_pid spawn_kind(akt_system *sys, const char *name, const char *kind) {
    akt_behavior b = tu_behavior(receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.name = name;
    o.kind = kind;
    akt_pid pid;
    TU_OK(akt_spawn(sys, &b, NULL, &o, &pid));
    return pid;
}

typedef struct kinds_seen {
    char text[4096]; /* "name{attrs}=value;" of the points of one instrument */
    const char *only;
} kinds_seen;

static int on_kind_point(const akt_metric_point *p, void *data) {
    kinds_seen *k = data;
    if (strcmp(p->name, k->only) != 0) return 0;
    size_t n = strlen(k->text);
    n += (size_t)snprintf(k->text + n, sizeof k->text - n, "{");
    for (size_t i = 0; i < p->nattrs; i++)
        if (strcmp(p->attrs[i].key, "actor.name") == 0 ||
            strcmp(p->attrs[i].key, "actor.kind") == 0)
            n += (size_t)snprintf(k->text + n, sizeof k->text - n, "%s=%s,", p->attrs[i].key,
                                  p->attrs[i].value);
    snprintf(k->text + n, sizeof k->text - n, "}=%g;", p->value);
    return 0;
}

static const char *points_of(akt_system *sys, kinds_seen *k, const char *instrument) {
    memset(k, 0, sizeof *k);
    k->only = instrument;
    TU_OK(akt_metrics_collect(sys, on_kind_point, k));
    return k->text;
}

static void test_kind_attribute(void **state) {
    (void)state;
    akt_system *sys = tu_system("kinds", 2);
    akt_pid a = spawn_kind(sys, "a", "Counter");
    akt_pid b = spawn_kind(sys, "b", "Counter");
    akt_pid c = spawn_kind(sys, "c", NULL);
    akt_pid d = spawn_kind(sys, "d", ""); /* "" is no kind, as NULL */
    tell(sys, a, "inc");
    get(sys, a);
    get(sys, b);
    akt_actor_metrics ma = actor_metrics(sys, a), mb = actor_metrics(sys, b);
    assert_string_equal(ma.kind, "Counter");
    assert_ptr_equal(ma.kind, mb.kind); /* interned: one copy per distinct kind */
    assert_null(actor_metrics(sys, c).kind);
    assert_null(actor_metrics(sys, d).kind);
    kinds_seen k;
    assert_string_equal(points_of(sys, &k, "actor.processed.count"),
                        "{actor.name=a,actor.kind=Counter,}=2;{actor.name=b,actor.kind=Counter,}=1;"
                        "{actor.name=c,}=0;{actor.name=d,}=0;");
    /* Low cardinality: one point per kind, kind-less actors as a point without attributes. */
    TU_OK(akt_metrics_set_low_cardinality(sys, 1));
    assert_string_equal(points_of(sys, &k, "actor.processed.count"),
                        "{}=0;{actor.kind=Counter,}=3;");
    TU_OK(akt_stop(sys, c));
    TU_OK(akt_stop(sys, d));
    TU_EVENTUALLY(!akt_pid_is_alive(sys, c) && !akt_pid_is_alive(sys, d));
    assert_string_equal(points_of(sys, &k, "actor.processed.count"), "{actor.kind=Counter,}=3;");
    /* Bad input: a kind over 255 bytes; an older options struct (no kind field) still works. */
    char big[300];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = 0;
    akt_behavior beh = tu_behavior(receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.kind = big;
    akt_pid pid;
    TU_RC(AKT_EINVAL, akt_spawn(sys, &beh, NULL, &o, &pid));
    big[255] = 0;
    TU_OK(akt_spawn(sys, &beh, NULL, &o, &pid));
    assert_int_equal(strlen(actor_metrics(sys, pid).kind), 255);
    o.size = offsetof(akt_spawn_options, kind);
    o.name = "old";
    TU_OK(akt_spawn(sys, &beh, NULL, &o, &pid));
    assert_null(actor_metrics(sys, pid).kind);
    tu_system_end(sys);
}

static int pass_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    return 0;
}

static void test_passivated_by_kind(void **state) {
    (void)state;
    akt_system *sys = tu_system("passive", 2);
    akt_behavior b = tu_behavior(pass_receive);
    akt_passivation p = {.size = sizeof p, .strategy = AKT_PASSIVATE_MESSAGES, .messages = 1};
    akt_pid pids[3];
    const char *kinds[3] = {"Session", "Session", NULL};
    for (int i = 0; i < 3; i++) {
        akt_spawn_options o;
        TU_OK(akt_spawn_options_init(&o));
        o.kind = kinds[i];
        TU_OK(akt_spawn(sys, &b, NULL, &o, &pids[i]));
        TU_OK(akt_passivation_set(sys, pids[i], &p));
        tell(sys, pids[i], "inc");
    }
    for (int i = 0; i < 3; i++) TU_EVENTUALLY(!akt_pid_is_alive(sys, pids[i]));
    assert_int_equal(system_metrics(sys).passivated, 3);
    kinds_seen k;
    assert_string_equal(points_of(sys, &k, "actor.passivated.count"),
                        "{}=1;{actor.kind=Session,}=2;");
    TU_OK(akt_metrics_set_low_cardinality(sys, 1)); /* keeps actor.kind, as GoAkt's */
    assert_string_equal(points_of(sys, &k, "actor.passivated.count"),
                        "{}=1;{actor.kind=Session,}=2;");
    tu_system_end(sys);
}

static void test_dead_letters_and_reinstates(void **state) {
    (void)state;
    akt_supervisor sup;
    memset(&sup, 0, sizeof sup);
    sup.size = sizeof sup;
    sup.strategy = AKT_STRATEGY_ONE_FOR_ONE;
    sup.default_directive = AKT_DIRECTIVE_SUSPEND;
    akt_system_options so;
    TU_OK(akt_system_options_init(&so));
    so.name = "rare";
    so.workers = 2;
    so.supervisor = &sup;
    akt_system *sys = tu_system_with(&so);
    /* A bounded mailbox that drops: what it drops is the actor's dead letter. */
    akt_mailbox_spec mb = {
        .size = sizeof mb, .kind = AKT_MAILBOX_FIFO, .capacity = 1, .when_full = AKT_MAILBOX_DROP};
    akt_behavior b = tu_behavior(receive);
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.name = "a";
    o.mailbox = &mb;
    akt_pid a;
    TU_OK(akt_spawn(sys, &b, NULL, &o, &a));
    akt_pid other = tu_spawn(sys, &b, NULL, "other");
    assert_int_equal(actor_metrics(sys, a).dead_letters, 0);
    tu_gate_init(&gate);
    tell(sys, a, "block");
    TU_EVENTUALLY(actor_metrics(sys, a).mailbox_size == 0); /* it runs "block" */
    tell(sys, a, "inc");                                    /* fills the mailbox */
    tell(sys, a, "inc");                                    /* dropped */
    tell(sys, a, "inc");                                    /* dropped */
    tu_gate_open(&gate);
    get(sys, other);
    TU_EVENTUALLY(actor_metrics(sys, a).dead_letters == 2);
    assert_int_equal(actor_metrics(sys, other).dead_letters, 0);
    assert_int_equal(system_metrics(sys).dead_letters, 2);
    /* Suspended by a failure, then reinstated twice. */
    for (int i = 1; i <= 2; i++) {
        tell(sys, other, "fail");
        TU_EVENTUALLY(actor_metrics(sys, other).failures == (uint64_t)i);
        /* The failure is counted before its supervisor's directive suspends the actor, and
         * a reinstate of an actor not (yet) suspended leaves it as it is: wait until tells
         * are refused. */
        TU_EVENTUALLY(tu_refused_suspended(sys, other, tu_msg("inc", NULL)));
        TU_OK(akt_reinstate(sys, other));
        TU_EVENTUALLY(actor_metrics(sys, other).reinstates == (uint64_t)i);
    }
    assert_int_equal(actor_metrics(sys, a).reinstates, 0);
    kinds_seen k;
    assert_string_equal(points_of(sys, &k, "actor.reinstate.count"),
                        "{actor.name=a,}=0;{actor.name=other,}=2;");
    assert_string_equal(points_of(sys, &k, "actor.deadletters.count"),
                        "{actor.name=a,}=2;{actor.name=other,}=0;");
    /* A new incarnation on the same name starts from zero. */
    TU_OK(akt_stop(sys, a));
    TU_EVENTUALLY(!akt_pid_is_alive(sys, a));
    akt_pid a2;
    TU_OK(akt_spawn(sys, &b, NULL, &o, &a2));
    assert_int_equal(actor_metrics(sys, a2).dead_letters, 0);
    tu_system_end(sys);
}

static int grain_activate(void *kind_data, const char *name, const akt_behavior **behavior,
                          void **st) {
    (void)kind_data, (void)name;
    static akt_behavior b;
    b = tu_behavior(receive);
    *behavior = &b;
    *st = NULL;
    return 0;
}

static void test_grains_and_schedules(void **state) {
    (void)state;
    akt_system *sys = tu_system("grainsched", 2);
    akt_grain_kind def;
    TU_OK(akt_grain_kind_init(&def));
    def.activate = grain_activate;
    def.deactivate_after_ns = 0; /* long-lived */
    TU_OK(akt_grain_kind_register(sys, "Cart", &def));
    assert_int_equal(system_metrics(sys).grains, 0);
    TU_OK(akt_grain_tell(sys, "Cart", "c1", tu_msg("inc", NULL)));
    TU_OK(akt_grain_tell(sys, "Cart", "c2", tu_msg("inc", NULL)));
    TU_OK(akt_grain_tell(sys, "Cart", "c1", tu_msg("inc", NULL)));
    assert_int_equal(system_metrics(sys).grains, 2);
    kinds_seen k;
    TU_OK(akt_metrics_set_low_cardinality(sys, 1));
    /* the activations' kind is the grain kind's name; $grains itself has none */
    TU_EVENTUALLY(
        strcmp(points_of(sys, &k, "actor.processed.count"), "{}=0;{actor.kind=Cart,}=3;") == 0);
    /* Schedules: two made, one cancelled (the other ends by itself: not a cancel). */
    akt_behavior b = tu_behavior(receive);
    akt_pid t = tu_spawn(sys, &b, NULL, "t");
    akt_schedule_options so = {.size = sizeof so, .reference = "tick"};
    TU_OK(akt_schedule_every(sys, t, tu_msg("inc", NULL), TU_SEC(60), TU_SEC(60), &so, NULL, 0));
    TU_OK(akt_schedule_once(sys, t, tu_msg("inc", NULL), 0, NULL, NULL, 0));
    TU_EVENTUALLY(actor_metrics(sys, t).processed == 1);
    TU_OK(akt_schedule_cancel(sys, "tick"));
    TU_RC(AKT_ENOTFOUND, akt_schedule_cancel(sys, "tick"));
    akt_system_metrics m = system_metrics(sys);
    assert_int_equal(m.scheduled, 2);
    assert_int_equal(m.cancelled, 1);
    assert_string_equal(points_of(sys, &k, "scheduler.cancelled.count"), "{}=1;");
    tu_system_end(sys);
}

/* The last processing time is measured in the CPU's ticks where it can (base/clock.h) and
 * shown in ns: a 20 ms handler reads at least 20 ms, and no more than the time the test
 * itself saw pass around it (a tick count shown as ns would read 2-4x that). */
static void test_last_processing_time(void **state) {
    (void)state;
    akt_system *sys = tu_system("timing", 1);
    akt_behavior b = tu_behavior(receive);
    akt_pid pid;
    TU_OK(akt_spawn(sys, &b, NULL, NULL, &pid));
    get(sys, pid); /* started, and its page's records made */
    int64_t t0 = tu_now_ns();
    tell(sys, pid, "nap");
    get(sys, pid);
    int64_t seen = tu_now_ns() - t0;
    TU_EVENTUALLY(actor_metrics(sys, pid).processed == 3);
    akt_actor_metrics m = actor_metrics(sys, pid);
    /* the get came while the nap ran, so it ran in the nap's turn, whose first message is
     * the one timed */
    if (m.last_processing_ns < 20000000 || m.last_processing_ns > seen)
        fail_msg("last processing %lld ns > %lld ns seen", (long long)m.last_processing_ns,
                 (long long)seen);
    tu_system_end(sys);
}

/* A name and a kind at and past the short-name record's size (kernel/names.h: 12 bytes in
 * the cell's page, longer ones on the heap): each is found, named in its path, keeps its
 * kind, and its uptime counts from its spawn; a respawn into the freed cells swaps long
 * and short names. */
static void test_name_record_bounds(void **state) {
    (void)state;
    akt_system *sys = tu_system("names", 1);
    static const size_t lens[] = {1, 11, 12, 13, 14, 63};
    enum { NL = sizeof lens / sizeof lens[0] };
    akt_pid pids[NL];
    char names[NL][64], kinds[NL][16];
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < NL; i++) {
            size_t len = lens[round ? NL - 1 - i : i];
            memset(names[i], 'a' + (int)i, len);
            names[i][len] = 0;
            snprintf(kinds[i], sizeof kinds[i], "K%zu", len);
            pids[i] = spawn_kind(sys, names[i], kinds[i]);
        }
        tu_sleep_ms(30);
        for (size_t i = 0; i < NL; i++) {
            akt_pid found = {0};
            TU_OK(akt_lookup(sys, names[i], &found));
            assert_true(found.id == pids[i].id);
            char path[128];
            TU_OK(akt_pid_path(sys, pids[i], path, sizeof path, NULL));
            size_t pl = strlen(path), nl = strlen(names[i]);
            assert_true(pl > nl && strcmp(path + pl - nl, names[i]) == 0 &&
                        path[pl - nl - 1] == '/');
            akt_actor_metrics m = actor_metrics(sys, pids[i]);
            assert_non_null(m.kind);
            assert_string_equal(m.kind, kinds[i]);
            /* at least the 30 ms slept (a spawn time is read from the coarse clock and
             * kept in ms, both only ever earlier), and not a wrapped or garbled one */
            if (m.uptime_ns < 30000000 || m.uptime_ns > 60 * INT64_C(1000000000))
                fail_msg("%s: uptime %lld ns", names[i], (long long)m.uptime_ns);
        }
        for (size_t i = 0; i < NL; i++) tu_stop_wait(sys, pids[i]);
    }
    tu_system_end(sys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_scripted_counts),
        TU_TEST(test_mailbox_gauge),
        TU_TEST(test_foreach_and_collect),
        TU_TEST(test_concurrent_tells),
        TU_TEST(test_kind_attribute),
        TU_TEST(test_passivated_by_kind),
        TU_TEST(test_dead_letters_and_reinstates),
        TU_TEST(test_grains_and_schedules),
        TU_TEST(test_name_record_bounds),
        TU_TEST(test_last_processing_time),
    };
    return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
