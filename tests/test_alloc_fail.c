/* test_alloc_fail: allocation-failure injection (as SQLite's tests do it).
 *
 * Two counting allocators: one installed as the process default (messages, envelopes,
 * futures) first thing in main, one given to each system (akt_system_options.allocator).
 * A shared counter fails exactly the k-th allocation of either. A scenario (create a
 * system, subscribe, spawn a parent that spawns and watches a child, tell, ask, ask_batch,
 * graceful stop, shutdown, release) runs for k = 1, 2, 3, ... until it completes with no
 * failure injected. At every k each call must succeed or fail with AKT_ENOMEM (or with the
 * code that a failure earlier in the scenario explains), nothing may hang or crash, and
 * afterwards every byte must be back:
 *
 *  - the system allocator's balance must be zero after akt_system_release;
 *  - the default allocator's balance is checked too, exactly. Envelopes, messages and
 *    futures are cached per thread in pools that are only returned by the internal
 *    akt__pool_trim (core/pool.h), so this suite links akt_static and calls it once no akt
 *    object exists. It runs the scenario twice: with pooling off (every get/put goes to the
 *    allocator, so a failure can hit each allocation) and with pooling on (the real
 *    configuration: failures hit slab refills). The ASan build adds LeakSanitizer on top.
 */
#include "tu.h"

#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h" /* core internal: akt__pool_trim, akt__pool_set_enabled */

/* ---- counting allocators with one injected failure ------------------------------------- */

typedef struct counting {
    const char *name;
    atomic_long live, live_bytes, calls;
    atomic_long foreign_frees; /* frees of blocks this allocator did not hand out */
} counting;

typedef struct header {
    counting *owner;
    size_t n;
} header;
#define HDR ((sizeof(header) + 15) & ~(size_t)15) /* keeps malloc's 16-byte alignment */

static atomic_long alloc_seq; /* allocations attempted since arming */
static atomic_long fail_at;   /* the one to fail (1-based); 0: none */
static atomic_int injected;   /* set when it was failed */

/* Where the injected failure happened, printed with any failure of the scenario. */
static void *inj_frames[32];
static int inj_depth;
static const char *inj_allocator;

static int should_fail(const counting *c) {
    long k = atomic_load(&fail_at);
    long n = atomic_fetch_add(&alloc_seq, 1) + 1;
    if (k > 0 && n == k) {
        inj_allocator = c->name;
        inj_depth = backtrace(inj_frames, 32);
        atomic_store(&injected, 1); /* publishes the two above */
        return 1;
    }
    return 0;
}

static void dump_injection(void);
/* A scenario failure: say where the allocation failed, then fail the test. */
#define KFAIL(...)             \
    do {                       \
        dump_injection();      \
        fail_msg(__VA_ARGS__); \
    } while (0)

static void dump_injection(void) {
    if (!atomic_load(&injected)) return;
    fprintf(stderr, "the injected failure (%s allocator) was at:\n", inj_allocator);
    backtrace_symbols_fd(inj_frames, inj_depth, 2);
}

static void *c_malloc(void *data, size_t n) {
    counting *c = data;
    atomic_fetch_add(&c->calls, 1);
    if (should_fail(c)) return NULL;
    header *h = malloc(HDR + n);
    if (!h) return NULL;
    h->owner = c;
    h->n = n;
    atomic_fetch_add(&c->live, 1);
    atomic_fetch_add(&c->live_bytes, (long)n);
    return (char *)h + HDR;
}

static void c_free(void *data, void *p) {
    counting *c = data;
    if (!p) return;
    header *h = (header *)((char *)p - HDR);
    if (h->owner != c) {
        atomic_fetch_add(&c->foreign_frees, 1);
        return; /* not ours: leak it rather than corrupt the heap */
    }
    atomic_fetch_sub(&c->live, 1);
    atomic_fetch_sub(&c->live_bytes, (long)h->n);
    h->owner = NULL;
    free(h);
}

static void *c_realloc(void *data, void *p, size_t n) {
    counting *c = data;
    if (!p) return c_malloc(data, n);
    atomic_fetch_add(&c->calls, 1);
    if (should_fail(c)) return NULL; /* p stays valid */
    header *h = (header *)((char *)p - HDR);
    if (h->owner != c) {
        atomic_fetch_add(&c->foreign_frees, 1);
        return NULL;
    }
    size_t old = h->n;
    header *nh = realloc(h, HDR + n);
    if (!nh) return NULL;
    nh->n = n;
    atomic_fetch_add(&c->live_bytes, (long)n - (long)old);
    return (char *)nh + HDR;
}

static counting dflt = {.name = "default"};
static counting sysc = {.name = "system"};
static const akt_allocator dflt_iface = {sizeof(akt_allocator), c_malloc, c_realloc, c_free, &dflt};
static const akt_allocator sys_iface = {sizeof(akt_allocator), c_malloc, c_realloc, c_free, &sysc};

static void arm(long k) {
    atomic_store(&injected, 0);
    atomic_store(&alloc_seq, 0);
    atomic_store(&fail_at, k);
}

static void disarm(void) { atomic_store(&fail_at, 0); }

/* ---- the scenario's actors --------------------------------------------------------------- */

/* No TU_CB_* checks here: under injection any call may fail with AKT_ENOMEM, and the actor
 * reports that the only way an actor can: by failing. */
typedef struct parent_state {
    int n;
    akt_pid child;
} parent_state;

static int child_receive(akt_ctx *ctx, akt_msg *msg, void *state) { return 0; }

static int parent_pre_start(akt_ctx *ctx, void *state) {
    parent_state *p = state;
    p->n = 0;
    akt_behavior b = tu_behavior(child_receive);
    int rc = akt_ctx_spawn(ctx, &b, NULL, NULL, &p->child);
    if (rc) return rc;
    return akt_ctx_watch(ctx, p->child);
}

static int parent_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    parent_state *p = state;
    if (tu_is(msg, "inc")) {
        p->n++;
        akt_msg *m = NULL;
        int rc = akt_msg_new_bytes("inc", NULL, 0, AKT_COPY, &m);
        if (rc) return rc;
        rc = akt_ctx_tell(ctx, p->child, m);
        if (rc) akt_msg_release(m);
        return rc;
    }
    if (tu_is(msg, "get")) {
        uint64_t v = (uint64_t)p->n;
        akt_msg *m = NULL;
        int rc = akt_msg_new_bytes("n", &v, sizeof v, AKT_COPY, &m);
        if (rc) return rc;
        rc = akt_ctx_respond(ctx, m);
        if (rc) akt_msg_release(m);
        return rc;
    }
    return 0; /* akt.Terminated and the rest */
}

static const akt_behavior parent_behavior = {
    .size = sizeof(akt_behavior), .receive = parent_receive, .pre_start = parent_pre_start};

static atomic_int events_seen;
static void count_event(const akt_event *ev, void *data) { atomic_fetch_add(&events_seen, 1); }

/* Objects released on the owner's thread (akt_object_ops.release_on): each made one must be
 * released exactly once, whatever failed on the way; the run never runs the dispatcher, so
 * they run when the system is freed. */
static atomic_int owned_made, owned_released;
static void owned_release(void *object, void *ops_data) { atomic_fetch_add(&owned_released, 1); }
static void owned_notify(void *data) {}

/* ---- one run ----------------------------------------------------------------------------- */

typedef struct outcome {
    int failures; /* calls that failed (cleanly) */
    char first[160];
} outcome;

static void note(outcome *o, const char *what, int rc) {
    if (o->failures++ == 0) snprintf(o->first, sizeof o->first, "%s: %s", what, akt_err_name(rc));
}

/* rc must be 0 or one of the allowed codes; anything else fails the test. */
static int step(outcome *o, long k, const char *what, int rc, int allow1, int allow2) {
    if (rc == 0) return 0;
    if (rc == AKT_ENOMEM || rc == allow1 || rc == allow2) {
        if (rc == AKT_ENOMEM && !atomic_load(&injected))
            KFAIL("k=%ld: %s returned AKT_ENOMEM but no allocation had failed", k, what);
        note(o, what, rc);
        return rc;
    }
    KFAIL("k=%ld: %s returned %s (%d)", k, what, akt_err_name(rc), rc);
    return rc;
}

static akt_msg *new_msg(outcome *o, long k, const char *type) {
    akt_msg *m = NULL;
    if (step(o, k, "akt_msg_new_bytes", akt_msg_new_bytes(type, NULL, 0, AKT_COPY, &m), 0, 0))
        return NULL;
    return m;
}

static void tell(outcome *o, long k, akt_system *sys, akt_pid to, const char *type) {
    akt_msg *m = new_msg(o, k, type);
    if (!m) return;
    /* ENOTFOUND: the parent is gone because its pre_start failed earlier. */
    if (step(o, k, "akt_tell", akt_tell(sys, to, m), AKT_ENOTFOUND, 0)) akt_msg_release(m);
}

/* Waits for a future that must complete: a reply, or a failure an injected ENOMEM explains
 * (the actor's respond failed: EFAILED; the parent died first: ESTOPPED). */
static void finish_ask(outcome *o, long k, akt_future *f, int want_n, int expect_value) {
    akt_msg *reply = NULL;
    int rc = akt_future_wait(f, TU_DEADLINE_NS, &reply);
    if (rc == AKT_EAGAIN || rc == AKT_ETIMEDOUT)
        KFAIL("k=%ld: an ask was lost (%s)", k, akt_err_name(rc));
    if (rc == 0) {
        const void *data;
        size_t len;
        TU_OK(akt_msg_bytes(reply, &data, &len));
        uint64_t v = 0;
        if (len == sizeof v) memcpy(&v, data, sizeof v);
        /* Predictable only if nothing failed (inside the actors too) before it answered. */
        if (expect_value && !atomic_load(&injected) && v != (uint64_t)want_n)
            KFAIL("k=%ld: get answered %llu, expected %d", k, (unsigned long long)v, want_n);
        akt_msg_release(reply);
    } else {
        step(o, k, "ask result", rc, AKT_EFAILED, AKT_ESTOPPED);
    }
    TU_OK(akt_future_release(f));
}

static void run_once(outcome *o, long k) {
    static parent_state ps;
    memset(&ps, 0, sizeof ps);
    memset(o, 0, sizeof *o);
    atomic_store(&owned_made, 0);
    atomic_store(&owned_released, 0);
    akt_system_options opt;
    TU_OK(akt_system_options_init(&opt));
    opt.name = "alloc";
    opt.workers = 1;
    opt.allocator = &sys_iface;
    akt_system *sys = NULL;
    if (step(o, k, "akt_system_create", akt_system_create(&opt, &sys), 0, 0)) return;

    akt_subscription *sub = NULL;
    step(o, k, "akt_subscribe", akt_subscribe(sys, AKT_EVENT_ALL, count_event, NULL, &sub), 0, 0);

    akt_spawn_options so;
    TU_OK(akt_spawn_options_init(&so));
    so.name = "parent";
    akt_pid parent = {0};
    int spawned = !step(o, k, "akt_spawn", akt_spawn(sys, &parent_behavior, &ps, &so, &parent), 0,
                        0);
    if (spawned) {
        for (int i = 0; i < 3; i++) tell(o, k, sys, parent, "inc");
        /* The value is only predictable when nothing failed on the way. */
        akt_msg *m = new_msg(o, k, "get");
        akt_future *f = NULL;
        if (m &&
            step(o, k, "akt_ask", akt_ask(sys, parent, m, TU_DEADLINE_NS, &f), AKT_ENOTFOUND, 0))
            akt_msg_release(m);
        else if (m)
            finish_ask(o, k, f, 3, 1);

        akt_msg *batch[2] = {new_msg(o, k, "get"), new_msg(o, k, "get")};
        akt_future *fs[2] = {NULL, NULL};
        if (batch[0] && batch[1]) {
            int rc = akt_ask_batch(sys, parent, batch, 2, TU_DEADLINE_NS, fs);
            if (step(o, k, "akt_ask_batch", rc, AKT_ENOTFOUND, 0) == 0) {
                finish_ask(o, k, fs[0], 3, 0);
                finish_ask(o, k, fs[1], 3, 0);
                batch[0] = batch[1] = NULL;
            }
        }
        for (int i = 0; i < 2; i++)
            if (batch[i]) akt_msg_release(batch[i]);

        akt_dispatcher *d = NULL;
        if (!step(o, k, "akt_dispatcher_create_external",
                  akt_dispatcher_create_external(sys, owned_notify, NULL, &d), 0, 0)) {
            static akt_object_ops owned_ops;
            owned_ops = (akt_object_ops){
                .size = sizeof owned_ops, .release = owned_release, .release_on = d};
            static int obj;
            for (int i = 0; i < 2; i++) {
                akt_msg *om = NULL;
                if (step(o, k, "akt_msg_new_object",
                         akt_msg_new_object("t.Owned", &obj, &owned_ops, &om), 0, 0))
                    continue;
                atomic_fetch_add(&owned_made, 1);
                /* One released by the parent on its worker, one here: both queue. */
                if (i == 1 ||
                    step(o, k, "akt_tell (object)", akt_tell(sys, parent, om), AKT_ENOTFOUND, 0))
                    TU_OK(akt_msg_release(om));
            }
        }

        akt_future *g = NULL;
        if (!step(o, k, "akt_stop_graceful", akt_stop_graceful(sys, parent, TU_SEC(5), &g),
                  AKT_ENOTFOUND, 0)) {
            akt_msg *none = NULL;
            int rc = akt_future_wait(g, TU_DEADLINE_NS, &none);
            if (none) akt_msg_release(none);
            /* ENOMEM: the stop machinery could not register the future; reported, fine.
             * ETIMEDOUT would mean the poison pill was lost. */
            if (rc != 0) step(o, k, "graceful stop result", rc, 0, 0);
            TU_OK(akt_future_release(g));
        }
    }
    if (sub) TU_OK(akt_unsubscribe(sub));

    int rc = akt_system_shutdown(sys, NULL, NULL);
    if (rc == AKT_ENOMEM) {
        note(o, "akt_system_shutdown", rc);
        rc = akt_system_shutdown(sys, NULL, NULL); /* the one failure is spent */
    }
    if (rc != 0) KFAIL("k=%ld: akt_system_shutdown returned %s", k, akt_err_name(rc));
    rc = akt_system_wait(sys, TU_DEADLINE_NS);
    if (rc != 0)
        KFAIL("k=%ld: shutdown did not complete (%s); first failure: %s", k, akt_err_name(rc),
              o->first);
    TU_OK(akt_system_release(sys));
    if (atomic_load(&owned_released) != atomic_load(&owned_made))
        KFAIL("k=%ld: %d owned object(s) made, %d released", k, atomic_load(&owned_made),
              atomic_load(&owned_released));
}

/* What was live before the current test: zero, unless an earlier test failed midway and
 * left its system behind (then only this test's own balance is judged). */
static long sys_base, dflt_base;

static void take_baseline(void) {
    sys_base = atomic_load(&sysc.live);
    dflt_base = atomic_load(&dflt.live);
}

static void check_balances(long k, int pooled, const char *first) {
    if (atomic_load(&sysc.live) != sys_base)
        KFAIL("k=%ld: the system allocator still has %ld block(s) (%ld bytes) after "
              "release; first failure: %s",
              k, atomic_load(&sysc.live) - sys_base, atomic_load(&sysc.live_bytes), first);
    if (pooled) akt__pool_trim(); /* no akt object exists now: give the cached blocks back */
    if (atomic_load(&dflt.live) != dflt_base)
        KFAIL("k=%ld: the default allocator still has %ld block(s) (%ld bytes); first "
              "failure: %s",
              k, atomic_load(&dflt.live) - dflt_base, atomic_load(&dflt.live_bytes), first);
    assert_int_equal(atomic_load(&sysc.foreign_frees), 0);
    assert_int_equal(atomic_load(&dflt.foreign_frees), 0);
}

static void sweep(int pooled) {
    akt__pool_set_enabled(pooled);
    take_baseline();
    long k;
    int failing_runs = 0;
    for (k = 1; k < 100000; k++) {
        outcome o;
        arm(k);
        run_once(&o, k);
        int hit = atomic_load(&injected);
        disarm();
        check_balances(k, pooled, o.first);
        if (!hit) {
            /* Ran to the end with no failure injected: the scenario must have succeeded. */
            if (o.failures) KFAIL("k=%ld: no failure injected, yet %s", k, o.first);
            break;
        }
        failing_runs++;
    }
    print_message("pooling %s: %ld allocation points, each failed once, all clean\n",
                  pooled ? "on" : "off", k - 1);
    assert_true(failing_runs > 10); /* the scenario does allocate */
}

static void test_every_allocation_fails_cleanly_unpooled(void **state) {
    (void)state;
    sweep(0);
}

static void test_every_allocation_fails_cleanly_pooled(void **state) {
    (void)state;
    sweep(1);
}

/* ---- the pools' reclaim under failures ---------------------------------------------- */

/* Makes up to n small messages (stopping at the first failure, which must be an injected
 * ENOMEM), then releases them all: the releases fill the depot, whose reclaim gives whole
 * free slabs back, needing an allocation of its own for its index. */
static int make_and_drop(long k, akt_msg **ms, long n) {
    long made = 0;
    for (; made < n; made++) {
        int rc = akt_msg_new_bytes("t.Reclaim", &made, sizeof made, AKT_COPY, &ms[made]);
        if (rc == 0) continue;
        if (rc != AKT_ENOMEM || !atomic_load(&injected))
            KFAIL("k=%ld: akt_msg_new_bytes returned %s", k, akt_err_name(rc));
        break;
    }
    for (long i = 0; i < made; i++) TU_OK(akt_msg_release(ms[i]));
    return made == n;
}

static void test_pool_reclaim_balances_under_failures(void **state) {
    (void)state;
    enum { SMALL = 8000, LARGE = 80000 };
    static akt_msg *ms[LARGE];
    akt__pool_set_enabled(1);
    take_baseline();
    long k;
    for (k = 1; k < 10000; k++) {
        arm(k);
        int all = make_and_drop(k, ms, SMALL);
        int hit = atomic_load(&injected);
        disarm();
        check_balances(k, 1, "reclaim");
        if (!hit) {
            assert_true(all);
            break;
        }
    }
    print_message("reclaim: %ld allocation points, each failed once, all clean\n", k - 1);
    assert_true(k > 3); /* slabs and the reclaim's index were failure points */
    /* No failure: a drained backlog leaves a few slabs (the reserve, the caches), not all. */
    long before = atomic_load(&dflt.live);
    for (long i = 0; i < LARGE; i++)
        TU_OK(akt_msg_new_bytes("t.Reclaim", &i, sizeof i, AKT_COPY, &ms[i]));
    long peak = atomic_load(&dflt.live) - before;
    for (long i = 0; i < LARGE; i++) TU_OK(akt_msg_release(ms[i]));
    long left = atomic_load(&dflt.live) - before;
    print_message("%d messages took %ld heap block(s); %ld stay after their release\n", LARGE, peak,
                  left);
    assert_true(peak >= 20);
    assert_true(left <= peak / 4);
    check_balances(0, 1, "");
}

/* ---- deterministic single-thread cases ------------------------------------------------- */

static void obj_release(void *object, void *ops_data) {}

static void test_message_allocation_failure(void **state) {
    (void)state;
    akt__pool_set_enabled(0);
    take_baseline();
    akt_msg *m = (akt_msg *)0x1;
    arm(1);
    TU_RC(AKT_ENOMEM, akt_msg_new_bytes("t", "abc", 3, AKT_COPY, &m));
    assert_ptr_equal(m, (akt_msg *)0x1);
    arm(1);
    TU_RC(AKT_ENOMEM, akt_msg_new_bytes("t", "abc", 3, AKT_BORROW, &m));
    static int obj;
    static const akt_object_ops ops = {.size = sizeof(akt_object_ops), .release = obj_release};
    arm(1);
    TU_RC(AKT_ENOMEM, akt_msg_new_object("t", &obj, &ops, &m));
    assert_ptr_equal(m, (akt_msg *)0x1);
    disarm();
    check_balances(0, 0, "");
}

static void test_system_create_failure(void **state) {
    (void)state;
    akt__pool_set_enabled(0);
    take_baseline();
    akt_system_options o;
    TU_OK(akt_system_options_init(&o));
    o.allocator = &sys_iface;
    akt_system *sys = (akt_system *)0x1;
    arm(1);
    TU_RC(AKT_ENOMEM, akt_system_create(&o, &sys));
    disarm();
    assert_ptr_equal(sys, (akt_system *)0x1);
    check_balances(0, 0, "");
}

int main(void) {
    /* Before anything else: the default allocator can only be set while no message exists. */
    int rc = akt_allocator_set_default(&dflt_iface);
    if (rc != 0) {
        fprintf(stderr, "akt_allocator_set_default: %s\n", akt_err_name(rc));
        return 1;
    }
    const struct CMUnitTest tests[] = {
        TU_TEST(test_message_allocation_failure),
        TU_TEST(test_system_create_failure),
        TU_TEST(test_every_allocation_fails_cleanly_unpooled),
        TU_TEST(test_every_allocation_fails_cleanly_pooled),
        TU_TEST(test_pool_reclaim_balances_under_failures),
    };
    return cmocka_run_group_tests_name("alloc_fail", tests, NULL, NULL);
}
