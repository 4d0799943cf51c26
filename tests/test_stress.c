/* test_stress: bounded races through the public ABI only. Each scenario runs for a few
 * tenths of a second by default (AKT_STRESS_SECONDS scales them, e.g. 5 for a long soak)
 * and then checks invariants that no interleaving may break:
 *
 *   a  tells to one named actor that is stopped, restarted and respawned by name while
 *      the system shuts down: every accepted tell is received or dead-lettered exactly
 *      once, per sender in order, by the incarnation it was sent to; no accepted stop is
 *      lost
 *   b  asks racing timeouts, cancels and stops: every future completes exactly once with a
 *      documented code; on_complete registrations racing each other; timeouts near
 *      INT64_MAX
 *   c  spawn storms: anonymous and named actors spawned and stopped from several threads,
 *      parents stopped while their children spawn, on two workers and on one
 *   d  create/shutdown/release loops: threads, fds and RSS do not keep growing
 *   e  forged and foreign pids: never alive, every operation AKT_ENOTFOUND
 *
 * Each scenario is its own cmocka test, and ctest runs each in its own process
 * (`test_stress <name>`), so a crash or a hang names the scenario. Threads the tests start
 * are joined with a deadline: a thread stuck inside akt is reported with the call it is in.
 */
#define _GNU_SOURCE
#include "tu.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* From the sanitizer runtime (GCC ships no header for it): empties ASan's quarantine. */
void __sanitizer_purge_allocator(void);
#define STRESS_ASAN 1
#else
#define STRESS_ASAN 0
#endif
#if defined(__SANITIZE_THREAD__)
#define STRESS_TSAN 1
#else
#define STRESS_TSAN 0
#endif

/* ---- scale, randomness, failures off the test thread --------------------------------- */

static double stress_seconds(void) {
    const char *s = getenv("AKT_STRESS_SECONDS");
    double v = s && *s ? strtod(s, NULL) : 0.5;
    return v > 0.01 ? v : 0.01;
}

/* Nanoseconds for a fraction of the configured duration. */
static int64_t stress_ns(double fraction) { return (int64_t)(stress_seconds() * fraction * 1e9); }

static uint64_t rng_next(uint64_t *s) {
    uint64_t x = *s ? *s : 0x9e3779b97f4a7c15ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static void sleep_us(long us) {
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* Problems found on akt threads and helper threads: recorded through tu_cb_fail (the test
 * fails in its teardown), the first ones printed, the rest only counted. */
static atomic_int s_fails;
#define SFAIL(...)                                                                           \
    do {                                                                                     \
        if (atomic_fetch_add(&s_fails, 1) < 20) tu_cb_fail(__FILE__, __LINE__, __VA_ARGS__); \
    } while (0)
#define SCHECK(cond, ...)                \
    do {                                 \
        if (!(cond)) SFAIL(__VA_ARGS__); \
    } while (0)

static int rc_one_of(int rc, const int *set, int n) {
    for (int i = 0; i < n; i++)
        if (rc == set[i]) return 1;
    return 0;
}
#define RC_IN(rc, ...) \
    rc_one_of((rc), (const int[]){__VA_ARGS__}, (int)(sizeof((int[]){__VA_ARGS__}) / sizeof(int)))

/* Post-hoc findings on the test thread: collected, then reported together in one failure. */
static char report_buf[4096];
static int report_n;
static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...) {
    if (report_n++ >= 12) return;
    size_t used = strlen(report_buf);
    if (used + 2 >= sizeof report_buf) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(report_buf + used, sizeof report_buf - used, fmt, ap);
    va_end(ap);
    /* At once too: a later crash must not hide what was found before it. */
    fprintf(stderr, "stress problem: %s\n", report_buf + used);
    used = strlen(report_buf);
    if (used + 2 < sizeof report_buf) memcpy(report_buf + used, "\n  ", 4);
}
static void report_check(const char *scenario) {
    if (report_n) fail_msg("%s: %d problem(s):\n  %s", scenario, report_n, report_buf);
}

static int stress_setup(void **state) {
    atomic_store(&s_fails, 0);
    report_buf[0] = 0;
    report_n = 0;
    return tu_setup(state);
}
#define STRESS_TEST(f) cmocka_unit_test_setup_teardown(f, stress_setup, tu_teardown)

/* ---- helper threads, joined with a deadline ------------------------------------------ */

typedef struct sthread {
    pthread_t t;
    const char *name;
    _Atomic(const char *) where; /* the akt call it is in, for a hang report */
    int running;
} sthread;

static void st_start(sthread *st, const char *name, void *(*fn)(void *), void *arg) {
    st->name = name;
    atomic_store(&st->where, "starting");
    assert_int_equal(pthread_create(&st->t, NULL, fn, arg), 0);
    st->running = 1;
}

#define WHERE(st, what) atomic_store_explicit(&(st)->where, (what), memory_order_relaxed)

/* Joins every thread by one shared deadline; fails the test naming a stuck one (its system
 * is then left as it is: the stuck thread still uses it). */
static void st_join_all(sthread *sts, int n, const char *scenario) {
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += TU_DEADLINE_NS / 1000000000LL;
    for (int i = 0; i < n; i++) {
        if (!sts[i].running) continue;
        int rc = pthread_timedjoin_np(sts[i].t, NULL, &dl);
        if (rc == ETIMEDOUT)
            fail_msg("%s: hang: thread '%s' still in %s after %lld s", scenario, sts[i].name,
                     atomic_load(&sts[i].where), (long long)(TU_DEADLINE_NS / TU_SEC(1)));
        assert_int_equal(rc, 0);
        sts[i].running = 0;
    }
}

/* Shutdown with a deadline; a hang is a named failure. */
static void shutdown_wait(akt_system *sys, const char *scenario) {
    int rc = akt_system_shutdown(sys, NULL, NULL);
    if (rc != 0 && rc != AKT_ECLOSED)
        fail_msg("%s: akt_system_shutdown returned %s", scenario, akt_err_name(rc));
    rc = akt_system_wait(sys, TU_DEADLINE_NS);
    if (rc != 0)
        fail_msg("%s: hang: shutdown did not complete (an actor never stopped, or a worker is "
                 "stuck): akt_system_wait returned %s",
                 scenario, akt_err_name(rc));
}

static akt_pid spawn_named(akt_system *sys, const akt_behavior *b, void *st, const char *name,
                           int *rc_out) {
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.name = name;
    akt_pid pid = {0};
    *rc_out = akt_spawn(sys, b, st, &o, &pid);
    return pid;
}

/* ===================================================================================== */
/* a. tells to a named actor that is stopped, restarted and respawned                     */
/* ===================================================================================== */

#define A_SENDERS 3
#define A_CAP (1u << 17) /* tells per sender at most */
#define A_FAIL 1u
#define A_TYPE "stress.a"
#define A_NAME "target"
#define A_STOPS_MAX (1u << 15)

typedef struct a_payload {
    uint32_t sender;
    uint32_t flags;
    uint64_t seq;
} a_payload;

typedef struct a_track {
    _Atomic uint64_t acc_pid[A_CAP]; /* the pid a tell was accepted for; 0: not accepted */
    _Atomic uint64_t rx_pid[A_CAP];  /* who received it */
    _Atomic uint64_t dl_pid[A_CAP];  /* the pid its dead letter names */
    atomic_uchar rx[A_CAP], dl[A_CAP];
    uint64_t last_seq;
} a_track;

typedef struct a_state {
    uint64_t last[A_SENDERS]; /* per sender, the last seq this incarnation received */
} a_state;

static akt_system *a_sys;
static a_track *a_tr;
static atomic_int a_run, a_churn, a_phase;
static _Atomic uint64_t a_stops[A_STOPS_MAX];
static atomic_uint a_nstops;
static atomic_int a_spawns, a_states_live;

static int a_decode(akt_msg *msg, a_payload *p) {
    const void *data = NULL;
    size_t len = 0;
    if (!tu_is(msg, A_TYPE) || akt_msg_bytes(msg, &data, &len) != 0 || len != sizeof *p) return 0;
    memcpy(p, data, sizeof *p);
    return p->sender < A_SENDERS && p->seq > 0 && p->seq < A_CAP;
}

static int a_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    a_state *st = state;
    a_payload p;
    if (!a_decode(msg, &p)) {
        SFAIL("target received a message it was never sent (type %s)", akt_msg_type(msg));
        return 0;
    }
    akt_pid self = {0};
    TU_CB_RC(0, akt_ctx_self(ctx, &self));
    a_track *t = &a_tr[p.sender];
    atomic_store(&t->rx_pid[p.seq], self.id);
    atomic_fetch_add(&t->rx[p.seq], 1);
    SCHECK(p.seq > st->last[p.sender],
           "order: incarnation %#llx got seq %llu of sender %u after seq %llu",
           (unsigned long long)self.id, (unsigned long long)p.seq, p.sender,
           (unsigned long long)st->last[p.sender]);
    st->last[p.sender] = p.seq;
    if (p.flags & A_FAIL)
        return akt_ctx_fail(ctx, "stress: fails on purpose"); /* the guardian restarts it */
    return 0;
}

static void a_free_state(void *state) {
    free(state);
    atomic_fetch_sub(&a_states_live, 1);
}

static void a_dead_letter(const akt_event *ev, void *data) {
    (void)data;
    a_payload p;
    if (ev->kind != AKT_EVENT_DEAD_LETTER || !ev->msg) return;
    if (!a_decode(ev->msg, &p)) {
        SFAIL("dead letter of a message never sent (type %s)", akt_msg_type(ev->msg));
        return;
    }
    a_track *t = &a_tr[p.sender];
    atomic_store(&t->dl_pid[p.seq], ev->pid.id);
    atomic_fetch_add(&t->dl[p.seq], 1);
}

static akt_behavior a_behavior(void) {
    akt_behavior b = tu_behavior(a_receive);
    b.free_state = a_free_state;
    return b;
}

static akt_msg *a_msg(uint32_t sender, uint64_t seq, uint32_t flags) {
    a_payload p = {sender, flags, seq};
    akt_msg *m = NULL;
    int rc = akt_msg_new_bytes(A_TYPE, &p, sizeof p, AKT_COPY, &m);
    SCHECK(rc == 0, "akt_msg_new_bytes returned %s", akt_err_name(rc));
    return rc == 0 ? m : NULL;
}

static void *a_sender(void *arg) {
    uint32_t me = (uint32_t)(uintptr_t)arg;
    a_track *t = &a_tr[me];
    uint64_t rng = 0x1234567ull + me, seq = 0;
    akt_pid pid = {0};
    while (atomic_load(&a_run)) {
        if (!pid.id) {
            int rc = akt_lookup(a_sys, A_NAME, &pid);
            if (rc != 0) {
                SCHECK(RC_IN(rc, AKT_ENOTFOUND, AKT_ECLOSED), "akt_lookup returned %s",
                       akt_err_name(rc));
                pid.id = 0;
                sched_yield();
                continue;
            }
        }
        /* A quarter of the budget is kept for the shutdown phase. */
        uint64_t limit = atomic_load(&a_phase) == 1 ? A_CAP / 4 * 3 : A_CAP - 4;
        if (seq + 3 >= limit) {
            sleep_us(500);
            continue;
        }
        uint64_t r = rng_next(&rng);
        if (r % 16 == 0) { /* a batch: all accepted or none */
            akt_msg *ms[3];
            int ok = 1;
            for (int i = 0; i < 3; i++) ok &= (ms[i] = a_msg(me, seq + 1 + (uint64_t)i, 0)) != NULL;
            if (!ok) break;
            int rc = akt_tell_batch(a_sys, pid, ms, 3);
            for (int i = 0; i < 3; i++) {
                if (rc == 0)
                    atomic_store(&t->acc_pid[seq + 1 + (uint64_t)i], pid.id);
                else
                    akt_msg_release(ms[i]);
            }
            seq += 3;
            if (rc != 0) {
                SCHECK(RC_IN(rc, AKT_ENOTFOUND, AKT_ECLOSED), "akt_tell_batch returned %s",
                       akt_err_name(rc));
                pid.id = 0;
            }
        } else {
            seq++;
            akt_msg *m = a_msg(me, seq, r % 41 == 0 ? A_FAIL : 0);
            if (!m) break;
            int rc = akt_tell(a_sys, pid, m);
            if (rc == 0) {
                atomic_store(&t->acc_pid[seq], pid.id);
            } else {
                akt_msg_release(m);
                SCHECK(RC_IN(rc, AKT_ENOTFOUND, AKT_ECLOSED), "akt_tell returned %s",
                       akt_err_name(rc));
                pid.id = 0;
            }
        }
        if ((seq & 7) == 0) sleep_us(40);
    }
    t->last_seq = seq;
    return NULL;
}

static void *a_stopper(void *arg) {
    uint64_t rng = (uintptr_t)arg * 77 + 5;
    while (atomic_load(&a_churn)) {
        akt_pid pid;
        if (akt_lookup(a_sys, A_NAME, &pid) == 0) {
            int rc = akt_stop(a_sys, pid);
            if (rc == 0) {
                unsigned i = atomic_fetch_add(&a_nstops, 1);
                if (i < A_STOPS_MAX) atomic_store(&a_stops[i], pid.id);
            } else {
                SCHECK(RC_IN(rc, AKT_ENOTFOUND, AKT_ECLOSED), "akt_stop returned %s",
                       akt_err_name(rc));
            }
        }
        sleep_us((long)(rng_next(&rng) % 400));
    }
    return NULL;
}

static void *a_respawner(void *arg) {
    sthread *me = arg;
    akt_behavior b = a_behavior();
    while (atomic_load(&a_churn)) {
        akt_pid pid;
        int rc = akt_lookup(a_sys, A_NAME, &pid);
        if (rc == 0) {
            sched_yield();
            continue;
        }
        a_state *st = calloc(1, sizeof *st);
        SCHECK(st != NULL, "out of memory");
        if (!st) break;
        atomic_fetch_add(&a_states_live, 1);
        WHERE(me, "akt_spawn");
        spawn_named(a_sys, &b, st, A_NAME, &rc);
        WHERE(me, "loop");
        if (rc == 0) {
            atomic_fetch_add(&a_spawns, 1);
        } else {
            a_free_state(st);
            SCHECK(RC_IN(rc, AKT_EEXIST, AKT_ECLOSED), "akt_spawn(%s) returned %s", A_NAME,
                   akt_err_name(rc));
        }
    }
    return NULL;
}

/* Dead-lettered tells per (sender, incarnation), to check that received ones come first. */
typedef struct a_set {
    uint64_t *v;
    size_t cap;
} a_set;
static int a_set_has(a_set *s, uint64_t k) {
    for (size_t i = (size_t)(k * 0x9e3779b97f4a7c15ull) & (s->cap - 1);;
         i = (i + 1) & (s->cap - 1)) {
        if (s->v[i] == k) return 1;
        if (!s->v[i]) return 0;
    }
}
static void a_set_add(a_set *s, uint64_t k) {
    for (size_t i = (size_t)(k * 0x9e3779b97f4a7c15ull) & (s->cap - 1);;
         i = (i + 1) & (s->cap - 1)) {
        if (s->v[i] == k) return;
        if (!s->v[i]) {
            s->v[i] = k;
            return;
        }
    }
}

static void test_a_named_actor_churn_tell_accounting(void **state) {
    (void)state;
    const char *sc = "a (tells across stop/restart/respawn/shutdown)";
    a_tr = calloc(A_SENDERS, sizeof *a_tr);
    assert_non_null(a_tr);
    atomic_store(&a_nstops, 0);
    atomic_store(&a_spawns, 0);
    atomic_store(&a_states_live, 0);
    a_sys = tu_system("stress-a", 2);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(a_sys, AKT_EVENT_DEAD_LETTER, a_dead_letter, NULL, &sub));

    akt_behavior b = a_behavior();
    a_state *first = calloc(1, sizeof *first);
    assert_non_null(first);
    atomic_fetch_add(&a_states_live, 1);
    int rc;
    spawn_named(a_sys, &b, first, A_NAME, &rc);
    TU_OK(rc);
    atomic_fetch_add(&a_spawns, 1);

    /* Phase 1: senders, a stopper and two respawners (racing each other for the name). */
    sthread th[A_SENDERS + 3];
    memset(th, 0, sizeof th);
    atomic_store(&a_run, 1);
    atomic_store(&a_churn, 1);
    atomic_store(&a_phase, 1);
    for (uint32_t i = 0; i < A_SENDERS; i++)
        st_start(&th[i], "sender", a_sender, (void *)(uintptr_t)i);
    st_start(&th[A_SENDERS], "stopper", a_stopper, (void *)1);
    st_start(&th[A_SENDERS + 1], "respawner 1", a_respawner, &th[A_SENDERS + 1]);
    st_start(&th[A_SENDERS + 2], "respawner 2", a_respawner, &th[A_SENDERS + 2]);
    sleep_us((long)(stress_ns(1.0) / 1000));
    atomic_store(&a_churn, 0);
    st_join_all(&th[A_SENDERS], 3, sc);

    /* Every accepted stop takes effect: its actor dies (the senders go on meanwhile). */
    unsigned nstops = atomic_load(&a_nstops);
    if (nstops > A_STOPS_MAX) nstops = A_STOPS_MAX;
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    int lost = 0;
    for (unsigned i = 0; i < nstops; i++) {
        akt_pid p = {atomic_load(&a_stops[i])};
        while (akt_pid_is_alive(a_sys, p) && tu_now_ns() < dl) tu_sleep_ms(1);
        if (akt_pid_is_alive(a_sys, p) && lost++ < 3)
            report("accepted akt_stop lost: pid %#llx still alive %lld s later",
                   (unsigned long long)p.id, (long long)(TU_DEADLINE_NS / TU_SEC(1)));
    }
    if (lost > 3) report("%d accepted stops lost in all (of %u)", lost, nstops);

    /* Phase 2: the churn again, and a shutdown in the middle of it. */
    atomic_store(&a_phase, 2);
    atomic_store(&a_churn, 1);
    st_start(&th[A_SENDERS], "stopper", a_stopper, (void *)2);
    st_start(&th[A_SENDERS + 1], "respawner 1", a_respawner, &th[A_SENDERS + 1]);
    st_start(&th[A_SENDERS + 2], "respawner 2", a_respawner, &th[A_SENDERS + 2]);
    sleep_us((long)(stress_ns(0.25) / 1000));
    rc = akt_system_shutdown(a_sys, NULL, NULL);
    TU_OK(rc);
    sleep_us((long)(stress_ns(0.25) / 1000));
    atomic_store(&a_run, 0);
    atomic_store(&a_churn, 0);
    st_join_all(th, A_SENDERS + 3, sc);
    shutdown_wait(a_sys, sc);
    TU_OK(akt_system_release(a_sys)); /* the subscription goes with it */
    a_sys = NULL;

    /* Accounting: each accepted tell once, by the incarnation it was for; each sender's
     * tells to one incarnation received in order and before any of them was dead-lettered. */
    uint64_t accepted = 0, received = 0, dead = 0;
    /* Problem classes: counted in full, the first two of each shown. */
    enum { LOST_OR_TWICE, NOT_ACCEPTED_SEEN, OTHER_RECEIVER, OTHER_DL_PID, AFTER_DL, NCLASS };
    static const char *const class_name[NCLASS] = {
        "accepted tells not handled exactly once", "refused tells received or dead-lettered",
        "tells received by another incarnation", "dead letters naming another pid",
        "tells received after an earlier one to the same incarnation was dead-lettered"};
    uint64_t bad[NCLASS] = {0};
    a_set seen = {calloc(1u << 16, sizeof(uint64_t)), 1u << 16};
    assert_non_null(seen.v);
#define A_BAD(k, ...)                          \
    do {                                       \
        if (bad[k]++ < 2) report(__VA_ARGS__); \
    } while (0)
    for (uint32_t s = 0; s < A_SENDERS; s++) {
        a_track *t = &a_tr[s];
        memset(seen.v, 0, seen.cap * sizeof(uint64_t));
        size_t nseen = 0;
        for (uint64_t q = 1; q <= t->last_seq && q < A_CAP; q++) {
            uint64_t to = atomic_load(&t->acc_pid[q]);
            int r = atomic_load(&t->rx[q]), d = atomic_load(&t->dl[q]);
            unsigned long long rxp = atomic_load(&t->rx_pid[q]), dlp = atomic_load(&t->dl_pid[q]);
            accepted += to != 0;
            received += (uint64_t)r;
            dead += (uint64_t)d;
            if (to && r + d != 1)
                A_BAD(LOST_OR_TWICE,
                      "sender %u seq %llu accepted for %#llx: received %d "
                      "time(s), dead-lettered %d time(s)",
                      s, (unsigned long long)q, (unsigned long long)to, r, d);
            if (!to && r + d != 0)
                A_BAD(NOT_ACCEPTED_SEEN,
                      "sender %u seq %llu, refused: received %d, "
                      "dead-lettered %d",
                      s, (unsigned long long)q, r, d);
            if (to && r && rxp != to)
                A_BAD(OTHER_RECEIVER, "sender %u seq %llu sent to %#llx was received by %#llx", s,
                      (unsigned long long)q, (unsigned long long)to, rxp);
            if (to && d && dlp != to)
                A_BAD(OTHER_DL_PID, "sender %u seq %llu sent to %#llx: dead letter names %#llx", s,
                      (unsigned long long)q, (unsigned long long)to, dlp);
            if (to && d && !a_set_has(&seen, to) && nseen < seen.cap / 2) {
                a_set_add(&seen, to);
                nseen++;
            }
            if (to && r && a_set_has(&seen, to))
                A_BAD(AFTER_DL,
                      "sender %u seq %llu received by %#llx after an earlier tell to "
                      "it was dead-lettered",
                      s, (unsigned long long)q, (unsigned long long)to);
        }
    }
#undef A_BAD
    for (int k = 0; k < NCLASS; k++)
        if (bad[k]) report("in all: %llu %s", (unsigned long long)bad[k], class_name[k]);
    free(seen.v);
    print_message("[ stress a ] %d spawns, %u accepted stops, %llu accepted tells: %llu "
                  "received, %llu dead-lettered\n",
                  atomic_load(&a_spawns), nstops, (unsigned long long)accepted,
                  (unsigned long long)received, (unsigned long long)dead);
    if (atomic_load(&a_states_live) != 0)
        report("%d actor state(s) never freed (free_state)", atomic_load(&a_states_live));
    if (accepted == 0) report("no tell was accepted: the scenario did not run");
    free(a_tr);
    a_tr = NULL;
    report_check(sc);
}

/* ===================================================================================== */
/* b. asks racing timeouts, cancels and stops                                             */
/* ===================================================================================== */

#define B_ASKERS 2
#define B_CAP (1u << 15)
#define B_NAME "asked"
#define B_UNSET 1 /* no cancel was attempted */

typedef struct b_rec {
    akt_future *f;
    atomic_int calls;
    atomic_int cb_rc;
    atomic_int cancel_rc;
    atomic_int cancel_state; /* 0 not offered, 1 offered, 2 taken by the canceller, 3 done */
    int wait_rc;
    int late_cb; /* registered after the wait */
} b_rec;

static akt_system *b_sys;
static b_rec *b_recs[B_ASKERS];
static unsigned b_n[B_ASKERS];
static _Atomic(b_rec *) b_slot[B_ASKERS];
static atomic_int b_run;
static tu_gate b_gate;

static void b_spin_us(int us) {
    int64_t end = tu_now_ns() + (int64_t)us * 1000;
    while (tu_now_ns() < end) {
    }
}

static int b_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "reply") || tu_is(msg, "ping")) return tu_reply(ctx, "ok", NULL);
    if (tu_is(msg, "slow")) {
        b_spin_us(60);
        return tu_reply(ctx, "ok", NULL);
    }
    if (tu_is(msg, "hold")) /* handled, never answered: the ask can only time out */
        return 0;
    if (tu_is(msg, "block")) {
        tu_gate_wait(&b_gate);
        return 0;
    }
    if (tu_is(msg, "unhandled")) return AKT_EUNHANDLED;
    if (tu_is(msg, "fail")) return akt_ctx_fail(ctx, "stress: fails on purpose");
    SFAIL("unexpected message %s", akt_msg_type(msg));
    return 0;
}

static void b_cb(akt_future *f, int rc, akt_msg *reply, void *data) {
    b_rec *r = data;
    SCHECK(r && r->f == f, "future callback with another future's data");
    if (!r) return;
    atomic_store(&r->cb_rc, rc);
    atomic_fetch_add(&r->calls, 1);
    SCHECK(rc != 0 || (reply && tu_is(reply, "ok")), "completed with 0 but reply %s",
           reply ? akt_msg_type(reply) : "NULL");
}

static void *b_asker(void *arg) {
    uint32_t me = (uint32_t)(uintptr_t)arg;
    static const char *const kinds[] = {"reply", "slow", "hold", "unhandled", "fail", "reply"};
    uint64_t rng = 0xabcdefull + me;
    akt_pid pid = {0};
    while (atomic_load(&b_run) && b_n[me] < B_CAP) {
        if (!pid.id && akt_lookup(b_sys, B_NAME, &pid) != 0) {
            pid.id = 0;
            sched_yield();
            continue;
        }
        uint64_t r = rng_next(&rng);
        int64_t timeout = r % 3 == 0 ? TU_MS(20) : (int64_t)(1000 + (r >> 8) % 2000000);
        akt_msg *m = tu_msg(kinds[(r >> 32) % 6], NULL);
        if (!m) break;
        akt_future *f = NULL;
        int rc = akt_ask(b_sys, pid, m, timeout, &f);
        if (rc != 0) {
            akt_msg_release(m);
            SCHECK(rc == AKT_ENOTFOUND, "akt_ask returned %s", akt_err_name(rc));
            pid.id = 0;
            continue;
        }
        b_rec *rec = &b_recs[me][b_n[me]++];
        rec->f = f;
        atomic_store(&rec->cancel_rc, B_UNSET);
        rec->late_cb = (r >> 40) % 4 == 0;
        if (!rec->late_cb) {
            rc = akt_future_on_complete(f, b_cb, rec);
            SCHECK(rc == 0, "akt_future_on_complete returned %s", akt_err_name(rc));
        }
        int offered = (r >> 44) % 3 == 0;
        if (offered) {
            atomic_store(&rec->cancel_state, 1);
            atomic_store(&b_slot[me], rec);
        }
        akt_msg *reply = NULL;
        rec->wait_rc = akt_future_wait(f, TU_DEADLINE_NS, &reply);
        SCHECK(rec->wait_rc != AKT_EAGAIN, "a future never completed (%lld ns timeout)",
               (long long)timeout);
        if (rec->wait_rc == 0) {
            SCHECK(reply && tu_is(reply, "ok"), "wait gave 0 without the reply");
            if (reply) akt_msg_release(reply);
        }
        if (rec->late_cb) {
            rc = akt_future_on_complete(f, b_cb, rec); /* completed: runs here, now */
            SCHECK(rc == 0, "late akt_future_on_complete returned %s", akt_err_name(rc));
            SCHECK(atomic_load(&rec->calls) == 1, "late callback not run at once");
        }
        if (offered) {
            b_rec *mine = rec;
            if (!atomic_compare_exchange_strong(&b_slot[me], &mine, NULL)) {
                int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
                while (atomic_load(&rec->cancel_state) != 3 && tu_now_ns() < dl) sched_yield();
                SCHECK(atomic_load(&rec->cancel_state) == 3, "akt_future_cancel hangs");
            }
        }
        rc = akt_future_release(f);
        SCHECK(rc == 0, "akt_future_release returned %s", akt_err_name(rc));
    }
    return NULL;
}

static void *b_canceller(void *arg) {
    (void)arg;
    uint64_t rng = 99;
    while (atomic_load(&b_run)) {
        for (int i = 0; i < B_ASKERS; i++) {
            if ((rng_next(&rng) & 3) == 0) continue; /* let some replies and timeouts win */
            b_rec *rec = atomic_exchange(&b_slot[i], NULL);
            if (!rec) continue;
            atomic_store(&rec->cancel_state, 2);
            int rc = akt_future_cancel(rec->f);
            atomic_store(&rec->cancel_rc, rc);
            atomic_store(&rec->cancel_state, 3);
        }
        sched_yield();
    }
    return NULL;
}

static void *b_stopper(void *arg) {
    (void)arg;
    uint64_t rng = 4242;
    while (atomic_load(&b_run)) {
        akt_pid pid;
        sleep_us((long)(200 + rng_next(&rng) % 1500));
        if (akt_lookup(b_sys, B_NAME, &pid) != 0) continue;
        uint64_t r = rng_next(&rng) % 3;
        if (r == 0) {
            int rc = akt_stop(b_sys, pid);
            SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND), "akt_stop returned %s", akt_err_name(rc));
        } else if (r == 1) {
            int rc = akt_poison(b_sys, pid);
            SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND), "akt_poison returned %s", akt_err_name(rc));
        } else {
            akt_future *f = NULL;
            int rc = akt_stop_graceful(b_sys, pid, TU_MS(1) + (int64_t)(rng % 4000000), &f);
            SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND), "akt_stop_graceful returned %s", akt_err_name(rc));
            if (rc == 0) {
                rc = akt_future_wait(f, TU_DEADLINE_NS, NULL);
                SCHECK(RC_IN(rc, 0, AKT_ETIMEDOUT), "graceful stop completed with %s",
                       akt_err_name(rc));
                akt_future_release(f);
            }
        }
    }
    return NULL;
}

static void *b_respawner(void *arg) {
    sthread *me = arg;
    akt_behavior b = tu_behavior(b_receive);
    while (atomic_load(&b_run)) {
        akt_pid pid;
        if (akt_lookup(b_sys, B_NAME, &pid) == 0) {
            sched_yield();
            continue;
        }
        int rc;
        WHERE(me, "akt_spawn");
        spawn_named(b_sys, &b, NULL, B_NAME, &rc);
        WHERE(me, "loop");
        SCHECK(RC_IN(rc, 0, AKT_EEXIST), "akt_spawn returned %s", akt_err_name(rc));
    }
    return NULL;
}

static void test_b_asks_race_timeouts_cancels_stops(void **state) {
    (void)state;
    const char *sc = "b (asks vs timeouts, cancels, stops)";
    for (int i = 0; i < B_ASKERS; i++) {
        b_recs[i] = calloc(B_CAP, sizeof(b_rec));
        assert_non_null(b_recs[i]);
        b_n[i] = 0;
        atomic_store(&b_slot[i], NULL);
    }
    b_sys = tu_system("stress-b", 2);
    akt_behavior b = tu_behavior(b_receive);
    tu_spawn(b_sys, &b, NULL, B_NAME);
    sthread th[B_ASKERS + 3];
    memset(th, 0, sizeof th);
    atomic_store(&b_run, 1);
    for (int i = 0; i < B_ASKERS; i++) st_start(&th[i], "asker", b_asker, (void *)(uintptr_t)i);
    st_start(&th[B_ASKERS], "canceller", b_canceller, NULL);
    st_start(&th[B_ASKERS + 1], "stopper", b_stopper, NULL);
    st_start(&th[B_ASKERS + 2], "respawner", b_respawner, &th[B_ASKERS + 2]);
    sleep_us((long)(stress_ns(1.0) / 1000));
    atomic_store(&b_run, 0);
    st_join_all(th, B_ASKERS + 3, sc);

    /* A completion's callback runs right after its waiters were released: give the last
     * ones their moment, then every future must have called back exactly once. */
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    for (int i = 0; i < B_ASKERS; i++)
        for (unsigned k = 0; k < b_n[i]; k++)
            while (atomic_load(&b_recs[i][k].calls) == 0 && tu_now_ns() < dl) tu_sleep_ms(1);
    int by_rc[20] = {0};
    unsigned total = 0;
    for (int i = 0; i < B_ASKERS; i++) {
        for (unsigned k = 0; k < b_n[i]; k++) {
            b_rec *r = &b_recs[i][k];
            int calls = atomic_load(&r->calls), rc = atomic_load(&r->cb_rc);
            int crc = atomic_load(&r->cancel_rc);
            total++;
            if (calls != 1)
                report("ask %d.%u: callback called %d times (result %s)", i, k, calls,
                       akt_err_name(rc));
            if (!RC_IN(rc, 0, AKT_ETIMEDOUT, AKT_ESTOPPED, AKT_EUNHANDLED, AKT_EFAILED,
                       AKT_ECANCELED))
                report("ask %d.%u completed with %s, not a documented ask result", i, k,
                       akt_err_name(rc));
            if (r->wait_rc != rc)
                report("ask %d.%u: akt_future_wait gave %s, the callback %s", i, k,
                       akt_err_name(r->wait_rc), akt_err_name(rc));
            if (!RC_IN(crc, B_UNSET, 0, AKT_EMISUSE))
                report("ask %d.%u: akt_future_cancel returned %s", i, k, akt_err_name(crc));
            if (crc == 0 && rc != AKT_ECANCELED)
                report("ask %d.%u: cancel returned 0 but the future completed with %s", i, k,
                       akt_err_name(rc));
            if (crc != 0 && rc == AKT_ECANCELED)
                report("ask %d.%u: ECANCELED without a successful cancel", i, k);
            by_rc[-rc < 20 && rc <= 0 ? -rc : 0]++;
        }
    }
    print_message("[ stress b ] %u asks: %d replied, %d timed out, %d cancelled, %d stopped, "
                  "%d unhandled, %d failed\n",
                  total, by_rc[0], by_rc[-AKT_ETIMEDOUT], by_rc[-AKT_ECANCELED],
                  by_rc[-AKT_ESTOPPED], by_rc[-AKT_EUNHANDLED], by_rc[-AKT_EFAILED]);
    if (total == 0) report("no ask was accepted: the scenario did not run");
    shutdown_wait(b_sys, sc);
    TU_OK(akt_system_release(b_sys));
    b_sys = NULL;
    for (int i = 0; i < B_ASKERS; i++) {
        free(b_recs[i]);
        b_recs[i] = NULL;
    }
    report_check(sc);
}

/* ---- b2: two threads register a callback on one future at once ----------------------- */

typedef struct b2_tag {
    atomic_int calls;
    int id;
} b2_tag;

static akt_future *b2_future;
static b2_tag b2_tags[2];
static int b2_rc[2];
static atomic_int b2_go, b2_done, b2_quit;

static void b2_cb(akt_future *f, int rc, akt_msg *reply, void *data) {
    (void)f;
    (void)reply;
    (void)rc;
    b2_tag *t = data;
    atomic_fetch_add(&t->calls, 1);
}

static void *b2_racer(void *arg) {
    int me = (int)(uintptr_t)arg;
    for (int round = 1;; round++) {
        while (atomic_load(&b2_go) < round && !atomic_load(&b2_quit)) {
        }
        if (atomic_load(&b2_quit)) return NULL;
        b2_rc[me] = akt_future_on_complete(b2_future, b2_cb, &b2_tags[me]);
        atomic_fetch_add(&b2_done, 1);
    }
}

static void test_b_on_complete_registration_race(void **state) {
    (void)state;
    const char *sc = "b2 (akt_future_on_complete from two threads)";
    b_sys = tu_system("stress-b2", 1);
    akt_behavior b = tu_behavior(b_receive);
    akt_pid pid = tu_spawn(b_sys, &b, NULL, B_NAME);
    sthread th[2];
    memset(th, 0, sizeof th);
    atomic_store(&b2_go, 0);
    atomic_store(&b2_quit, 0);
    for (int i = 0; i < 2; i++) {
        b2_tags[i].id = i;
        st_start(&th[i], "racer", b2_racer, (void *)(uintptr_t)i);
    }
    int64_t end = tu_now_ns() + stress_ns(0.5);
    int rounds = 0;
    for (int round = 1; round <= 200000 && (tu_now_ns() < end || round < 50); round++) {
        int done_first = round & 1; /* odd rounds: the future completed before the race */
        akt_future *f = NULL;
        TU_OK(akt_ask(b_sys, pid, tu_msg("hold", NULL), TU_DEADLINE_NS, &f));
        if (done_first) TU_OK(akt_future_cancel(f));
        b2_future = f;
        for (int i = 0; i < 2; i++) {
            atomic_store(&b2_tags[i].calls, 0);
            b2_rc[i] = 1;
        }
        atomic_store(&b2_done, 0);
        atomic_store(&b2_go, round);
        int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
        while (atomic_load(&b2_done) < 2) {
            if (tu_now_ns() > dl) {
                atomic_store(&b2_quit, 1);
                fail_msg("%s: hang: akt_future_on_complete did not return", sc);
            }
            sched_yield();
        }
        if (!done_first) TU_OK(akt_future_cancel(f)); /* the callback runs here */
        int zeros = (b2_rc[0] == 0) + (b2_rc[1] == 0);
        int busy = (b2_rc[0] == AKT_EBUSY) + (b2_rc[1] == AKT_EBUSY);
        int c0 = atomic_load(&b2_tags[0].calls), c1 = atomic_load(&b2_tags[1].calls);
        if (zeros != 1 || busy != 1)
            report("round %d (%s future): the two registrations returned %s and %s "
                   "(want one 0 and one AKT_EBUSY)",
                   round, done_first ? "completed" : "pending", akt_err_name(b2_rc[0]),
                   akt_err_name(b2_rc[1]));
        for (int i = 0; i < 2; i++) {
            int want = b2_rc[i] == 0 ? 1 : 0;
            int got = i ? c1 : c0;
            if (got != want)
                report("round %d (%s future): the callback of the registration that returned "
                       "%s ran %d time(s)",
                       round, done_first ? "completed" : "pending", akt_err_name(b2_rc[i]), got);
        }
        TU_OK(akt_future_release(f));
        rounds = round;
        if (report_n > 6) break;
    }
    atomic_store(&b2_quit, 1);
    st_join_all(th, 2, sc);
    print_message("[ stress b2 ] %d rounds\n", rounds);
    shutdown_wait(b_sys, sc);
    TU_OK(akt_system_release(b_sys));
    b_sys = NULL;
    report_check(sc);
}

/* ---- b3: timeouts near INT64_MAX must mean "a very long time", not "at once" ----------- */

static akt_future *b3_future;
static atomic_int b3_returned, b3_rc;

static void *b3_waiter(void *arg) {
    (void)arg;
    atomic_store(&b3_rc, akt_future_wait(b3_future, INT64_MAX, NULL));
    atomic_store(&b3_returned, 1);
    return NULL;
}

static akt_system *b3_sys_waited;
static void *b3_sys_waiter(void *arg) {
    (void)arg;
    atomic_store(&b3_rc, akt_system_wait(b3_sys_waited, INT64_MAX));
    atomic_store(&b3_returned, 1);
    return NULL;
}

static void test_b_timeouts_near_int64_max(void **state) {
    (void)state;
    const char *sc = "b3 (timeouts near INT64_MAX)";
    b_sys = tu_system("stress-b3", 2);
    tu_gate_init(&b_gate);
    akt_behavior b = tu_behavior(b_receive);
    akt_pid pid = tu_spawn(b_sys, &b, NULL, B_NAME);
    static const int64_t timeouts[] = {INT64_MAX, INT64_MAX - 1, INT64_MAX - TU_SEC(1),
                                       INT64_MAX / 2 + 1};
    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        akt_future *f = NULL;
        TU_OK(akt_ask(b_sys, pid, tu_msg("hold", NULL), timeouts[i], &f));
        /* The ping is handled after the hold: then only the timeout could complete f. */
        akt_msg *reply = NULL;
        TU_OK(tu_ask(b_sys, pid, tu_msg("ping", NULL), &reply));
        akt_msg_release(reply);
        tu_sleep_ms(30);
        int rc = akt_future_wait(f, 0, NULL);
        if (rc != AKT_EAGAIN)
            report("akt_ask with timeout %lld: completed with %s at once", (long long)timeouts[i],
                   akt_err_name(rc));
        if (rc == AKT_EAGAIN) {
            TU_OK(akt_future_cancel(f));
            TU_RC(AKT_ECANCELED, akt_future_wait(f, 0, NULL));
        }
        TU_OK(akt_future_release(f));
    }

    /* akt_future_wait(f, INT64_MAX) waits (until the cancel). */
    TU_OK(akt_ask(b_sys, pid, tu_msg("hold", NULL), TU_DEADLINE_NS, &b3_future));
    atomic_store(&b3_returned, 0);
    sthread th[1];
    memset(th, 0, sizeof th);
    st_start(&th[0], "future waiter", b3_waiter, NULL);
    tu_sleep_ms(30);
    if (atomic_load(&b3_returned))
        report("akt_future_wait(pending, INT64_MAX) returned %s at once",
               akt_err_name(atomic_load(&b3_rc)));
    TU_OK(akt_future_cancel(b3_future));
    st_join_all(th, 1, sc);
    if (atomic_load(&b3_rc) != AKT_ECANCELED)
        report("akt_future_wait(INT64_MAX) of a cancelled future gave %s",
               akt_err_name(atomic_load(&b3_rc)));
    TU_OK(akt_future_release(b3_future));

    /* A graceful stop with INT64_MAX waits for the actor, however busy. */
    TU_OK(akt_tell(b_sys, pid, tu_msg("block", NULL)));
    tu_gate_await_waiters(&b_gate, 1);
    akt_future *g = NULL;
    TU_OK(akt_stop_graceful(b_sys, pid, INT64_MAX, &g));
    tu_sleep_ms(30);
    int rc = akt_future_wait(g, 0, NULL);
    if (rc != AKT_EAGAIN)
        report("akt_stop_graceful(INT64_MAX) of a busy actor completed with %s at once",
               akt_err_name(rc));
    tu_gate_open(&b_gate);
    rc = tu_wait(g, NULL);
    if (rc != 0 && rc != AKT_ETIMEDOUT) /* ETIMEDOUT was reported just above */
        report("akt_stop_graceful(INT64_MAX) completed with %s", akt_err_name(rc));
    TU_OK(akt_future_release(g));
    tu_wait_dead(b_sys, pid);

    /* akt_system_wait(INT64_MAX) waits for the shutdown. */
    b3_sys_waited = b_sys;
    atomic_store(&b3_returned, 0);
    st_start(&th[0], "system waiter", b3_sys_waiter, NULL);
    tu_sleep_ms(30);
    if (atomic_load(&b3_returned))
        report("akt_system_wait(running, INT64_MAX) returned %s at once",
               akt_err_name(atomic_load(&b3_rc)));
    TU_OK(akt_system_shutdown(b_sys, NULL, NULL));
    st_join_all(th, 1, sc);
    if (atomic_load(&b3_rc) != 0 && atomic_load(&b3_rc) != AKT_ETIMEDOUT)
        report("akt_system_wait(INT64_MAX) gave %s", akt_err_name(atomic_load(&b3_rc)));
    shutdown_wait(b_sys, sc);
    TU_OK(akt_system_release(b_sys));
    b_sys = NULL;
    tu_gate_destroy(&b_gate);
    report_check(sc);
}

/* ===================================================================================== */
/* c. spawn storms                                                                        */
/* ===================================================================================== */

#define C_RING 64

typedef struct c_state {
    akt_pid last_child; /* the child "churn" stopped last time */
} c_state;

static akt_system *c_sys;
static atomic_int c_run;
static atomic_int c_spawned, c_frees, c_prestarts, c_poststops;
static pthread_mutex_t c_ring_mu = PTHREAD_MUTEX_INITIALIZER;
static akt_pid c_ring[C_RING];
static unsigned c_ring_n;

static void c_ring_put(akt_pid p) {
    pthread_mutex_lock(&c_ring_mu);
    c_ring[c_ring_n++ % C_RING] = p;
    pthread_mutex_unlock(&c_ring_mu);
}

static akt_pid c_ring_pick(uint64_t r) {
    pthread_mutex_lock(&c_ring_mu);
    akt_pid p = c_ring_n ? c_ring[r % (c_ring_n < C_RING ? c_ring_n : C_RING)] : (akt_pid){0};
    pthread_mutex_unlock(&c_ring_mu);
    return p;
}

static int c_pre_start(akt_ctx *ctx, void *state) {
    (void)ctx;
    (void)state;
    atomic_fetch_add(&c_prestarts, 1);
    return 0;
}

static void c_post_stop(akt_ctx *ctx, void *state) {
    (void)ctx;
    (void)state;
    atomic_fetch_add(&c_poststops, 1);
}

static void c_free_state(void *state) {
    free(state);
    atomic_fetch_add(&c_frees, 1);
}

static int c_receive(akt_ctx *ctx, akt_msg *msg, void *state);

static akt_behavior c_behavior(void) {
    akt_behavior b = tu_behavior(c_receive);
    b.pre_start = c_pre_start;
    b.post_stop = c_post_stop;
    b.free_state = c_free_state;
    return b;
}

/* Spawns a child from inside an actor; the rc must be one a storm can explain. */
static akt_pid c_child(akt_ctx *ctx, const char *name) {
    akt_behavior b = c_behavior();
    c_state *st = calloc(1, sizeof *st);
    SCHECK(st != NULL, "out of memory");
    if (!st) return (akt_pid){0};
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.name = name;
    akt_pid pid = {0};
    int rc = akt_ctx_spawn(ctx, &b, st, &o, &pid);
    if (rc == 0) {
        atomic_fetch_add(&c_spawned, 1);
        return pid;
    }
    free(st);
    SCHECK(RC_IN(rc, AKT_EEXIST, AKT_ESTOPPED, AKT_ECLOSED), "akt_ctx_spawn(%s) returned %s",
           name ? name : "anonymous", akt_err_name(rc));
    return (akt_pid){0};
}

static int c_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    c_state *st = state;
    if (tu_is(msg, "grow")) { /* n children (some named), each told to grow n - 1 */
        uint64_t n = tu_u64(msg);
        for (uint64_t i = 0; i < n && i < 4; i++) {
            char name[16];
            snprintf(name, sizeof name, "k%llu", (unsigned long long)i);
            akt_pid ch = c_child(ctx, i & 1 ? name : NULL);
            if (ch.id && n > 1) {
                akt_msg *m = tu_msg_u64("grow", n - 1);
                int rc = m ? akt_ctx_tell(ctx, ch, m) : AKT_ENOMEM;
                if (rc != 0 && m) akt_msg_release(m);
                SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND), "akt_ctx_tell returned %s", akt_err_name(rc));
            }
        }
        return 0;
    }
    if (tu_is(msg, "churn")) {
        /* Watch the child stopped last time (usually gone by now: its cell is freed and the
         * watch wakes it up again), then spawn and stop a new one. */
        if (st->last_child.id) {
            int rc = akt_ctx_watch(ctx, st->last_child);
            SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND), "akt_ctx_watch returned %s", akt_err_name(rc));
        }
        akt_pid ch = c_child(ctx, NULL);
        if (ch.id) {
            /* A stop of this actor may have stopped the child already. */
            int rc = akt_ctx_stop(ctx, ch);
            SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND, AKT_EINVAL), "akt_ctx_stop(child) returned %s",
                   akt_err_name(rc));
        }
        st->last_child = ch;
        /* An ask of a churn (the one-worker test) waits for this reply; a told churn has
         * nobody to answer and the reply is refused or dead-lettered: both are fine. */
        akt_msg *done = tu_msg("churned", NULL);
        if (done && akt_ctx_respond(ctx, done) != 0) akt_msg_release(done);
        return 0;
    }
    if (tu_is(msg, AKT_TYPE_TERMINATED)) return 0;
    SFAIL("unexpected message %s", akt_msg_type(msg));
    return 0;
}

static void c_tell(akt_pid to, akt_msg *m) {
    if (!m) return;
    int rc = akt_tell(c_sys, to, m);
    if (rc != 0) akt_msg_release(m);
    SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND), "akt_tell returned %s", akt_err_name(rc));
}

static void *c_spawner(void *arg) {
    sthread *me = arg;
    uint64_t rng = (uintptr_t)arg;
    akt_behavior b = c_behavior();
    while (atomic_load(&c_run)) {
        uint64_t r = rng_next(&rng);
        char name[16];
        snprintf(name, sizeof name, "p%llu", (unsigned long long)(r % 6));
        c_state *st = calloc(1, sizeof *st);
        SCHECK(st != NULL, "out of memory");
        if (!st) break;
        int rc;
        WHERE(me, "akt_spawn");
        akt_pid pid = spawn_named(c_sys, &b, st, (r >> 8) & 1 ? name : NULL, &rc);
        WHERE(me, "loop");
        if (rc != 0) {
            free(st);
            SCHECK(rc == AKT_EEXIST, "akt_spawn returned %s", akt_err_name(rc));
            continue;
        }
        atomic_fetch_add(&c_spawned, 1);
        c_ring_put(pid);
        WHERE(me, "akt_tell");
        if ((r >> 12) % 3 == 0)
            c_tell(pid, tu_msg("churn", NULL)), c_tell(pid, tu_msg("churn", NULL));
        c_tell(pid, tu_msg_u64("grow", 1 + (r >> 16) % 3));
        akt_pid victim = c_ring_pick(r >> 24);
        if (victim.id && (r >> 20) % 2 == 0) {
            WHERE(me, "akt_stop");
            rc = (r >> 22) % 4 ? akt_stop(c_sys, victim) : akt_poison(c_sys, victim);
            SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND), "akt_stop/akt_poison returned %s",
                   akt_err_name(rc));
        }
        WHERE(me, "loop");
        if ((r >> 30) % 4 == 0) sleep_us(100);
    }
    return NULL;
}

static void *c_stopper(void *arg) {
    sthread *me = arg;
    uint64_t rng = 31337;
    while (atomic_load(&c_run)) {
        akt_pid p = c_ring_pick(rng_next(&rng));
        if (p.id) {
            WHERE(me, "akt_stop");
            int rc = akt_stop(c_sys, p);
            WHERE(me, "loop");
            SCHECK(RC_IN(rc, 0, AKT_ENOTFOUND), "akt_stop returned %s", akt_err_name(rc));
        }
        sleep_us((long)(rng % 300));
    }
    return NULL;
}

static void c_storm(int workers, const char *sc) {
    atomic_store(&c_spawned, 0);
    atomic_store(&c_frees, 0);
    atomic_store(&c_prestarts, 0);
    atomic_store(&c_poststops, 0);
    c_ring_n = 0;
    c_sys = tu_system("stress-c", workers);
    sthread th[3];
    memset(th, 0, sizeof th);
    atomic_store(&c_run, 1);
    st_start(&th[0], "spawner 1", c_spawner, &th[0]);
    st_start(&th[1], "spawner 2", c_spawner, &th[1]);
    st_start(&th[2], "stopper", c_stopper, &th[2]);
    sleep_us((long)(stress_ns(1.0) / 1000));
    atomic_store(&c_run, 0);
    st_join_all(th, 3, sc);
    shutdown_wait(c_sys, sc);
    int pre = atomic_load(&c_prestarts), post = atomic_load(&c_poststops);
    if (pre != post) report("%d actors started (pre_start) but %d stopped (post_stop)", pre, post);
    TU_OK(akt_system_release(c_sys));
    c_sys = NULL;
    int spawned = atomic_load(&c_spawned), frees = atomic_load(&c_frees);
    if (spawned != frees) report("%d actors spawned but %d states freed", spawned, frees);
    print_message("[ stress c ] %d workers: %d actors spawned, %d started\n", workers, spawned,
                  pre);
    if (spawned == 0) report("nothing was spawned: the scenario did not run");
    report_check(sc);
}

static void test_c_spawn_storm_two_workers(void **state) {
    (void)state;
    c_storm(2, "c (spawn storm, 2 workers)");
}

static void test_c_spawn_storm_one_worker(void **state) {
    (void)state;
    c_storm(1, "c (spawn storm, 1 worker)");
}

/* The storm's "churn" made deterministic: on the only worker, an actor watches a child that
 * is gone (its freed cell is woken and queued on this worker) and then spawns, which takes
 * that cell from the free list. The spawn must not wait for the worker it runs on. */
static void test_c_spawn_reuses_a_woken_cell_on_one_worker(void **state) {
    (void)state;
    const char *sc = "c (spawn after watching a dead child, 1 worker)";
    atomic_store(&c_spawned, 0);
    c_sys = tu_system("stress-c1", 1);
    akt_behavior b = c_behavior();
    c_state *st = calloc(1, sizeof *st);
    assert_non_null(st);
    akt_pid parent = tu_spawn(c_sys, &b, st, NULL);
    TU_OK(akt_tell(c_sys, parent, tu_msg("churn", NULL))); /* spawns and stops a child */
    /* The ask is handled after that churn; the child stops on its own turn. */
    akt_future *f = NULL;
    TU_OK(akt_ask(c_sys, parent, tu_msg("churn", NULL), TU_SEC(5), &f));
    int rc = akt_future_wait(f, TU_SEC(6), NULL);
    if (rc == AKT_EAGAIN || rc == AKT_ETIMEDOUT)
        fail_msg("%s: hang: the second churn (watch + spawn) never finished on the only "
                 "worker (%s)",
                 sc, akt_err_name(rc));
    TU_OK(akt_future_release(f));
    /* Ten more rounds, each after the previous child is surely dead. */
    for (int i = 0; i < 10; i++) {
        TU_OK(akt_ask(c_sys, parent, tu_msg("churn", NULL), TU_SEC(5), &f));
        rc = akt_future_wait(f, TU_SEC(6), NULL);
        if (rc == AKT_EAGAIN || rc == AKT_ETIMEDOUT)
            fail_msg("%s: hang in round %d (%s)", sc, i, akt_err_name(rc));
        TU_OK(akt_future_release(f));
        tu_sleep_ms(2);
    }
    shutdown_wait(c_sys, sc);
    TU_OK(akt_system_release(c_sys));
    c_sys = NULL;
}

/* ===================================================================================== */
/* d. create/shutdown/release loops: no growth of threads, fds, RSS                       */
/* ===================================================================================== */

static long d_count_dir(const char *path) {
    DIR *d = opendir(path);
    if (!d) return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d))) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static long d_rss_kb(void) {
#if STRESS_ASAN
    __sanitizer_purge_allocator(); /* empties the quarantine, which grows by design */
#endif
    malloc_trim(0);
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    long size = 0, res = 0;
    int n = fscanf(f, "%ld %ld", &size, &res);
    fclose(f);
    return n == 2 ? res * (sysconf(_SC_PAGESIZE) / 1024) : -1;
}

static atomic_int d_spawned, d_frees, d_shutdown_cbs, d_spawner_run;
static akt_system *d_racing_sys;

static int d_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "busy")) {
        b_spin_us(300);
        return 0;
    }
    return tu_reply(ctx, "ok", NULL);
}

static void d_free_state(void *state) {
    free(state);
    atomic_fetch_add(&d_frees, 1);
}

static akt_behavior d_behavior(void) {
    akt_behavior b = tu_behavior(d_receive);
    b.free_state = d_free_state;
    return b;
}

static void d_spawn_some(akt_system *sys, int n, akt_pid *out) {
    akt_behavior b = d_behavior();
    for (int i = 0; i < n; i++) {
        void *st = malloc(16);
        assert_non_null(st);
        int rc = akt_spawn(sys, &b, st, NULL, &out[i]);
        if (rc != 0) free(st);
        TU_OK(rc);
        atomic_fetch_add(&d_spawned, 1);
    }
}

static void d_shutdown_cb(akt_system *sys, void *data) {
    (void)sys;
    (void)data;
    atomic_fetch_add(&d_shutdown_cbs, 1);
}

static void *d_spawner(void *arg) {
    sthread *me = arg;
    akt_behavior b = d_behavior();
    for (;;) {
        void *st = malloc(16);
        SCHECK(st != NULL, "out of memory");
        if (!st) break;
        akt_pid pid;
        WHERE(me, "akt_spawn");
        int rc = akt_spawn(d_racing_sys, &b, st, NULL, &pid);
        WHERE(me, "loop");
        if (rc != 0) {
            free(st);
            SCHECK(rc == AKT_ECLOSED, "akt_spawn racing shutdown returned %s", akt_err_name(rc));
            break;
        }
        atomic_fetch_add(&d_spawned, 1);
        atomic_fetch_add(&d_spawner_run, 1);
    }
    return NULL;
}

static void *d_releaser(void *arg) {
    akt_system *sys = arg;
    int rc = akt_system_shutdown(sys, d_shutdown_cb, NULL);
    SCHECK(rc == 0, "akt_system_shutdown returned %s", akt_err_name(rc));
    rc = akt_system_wait(sys, TU_DEADLINE_NS);
    SCHECK(rc == 0, "akt_system_wait returned %s", akt_err_name(rc));
    rc = akt_system_release(sys);
    SCHECK(rc == 0, "akt_system_release returned %s", akt_err_name(rc));
    return NULL;
}

/* One life of a system; the variants cycle. */
static void d_cycle(int i, const char *sc) {
    akt_system *sys = tu_system("stress-d", 2);
    akt_pid pids[4];
    switch (i % 5) {
    case 0: /* the plain life: actors, a tell and an ask, shutdown, wait, release */
        d_spawn_some(sys, 4, pids);
        TU_OK(akt_tell(sys, pids[0], tu_msg("x", NULL)));
        {
            akt_msg *reply = NULL;
            TU_OK(tu_ask(sys, pids[1], tu_msg("x", NULL), &reply));
            akt_msg_release(reply);
        }
        TU_OK(akt_system_shutdown(sys, d_shutdown_cb, NULL));
        TU_OK(akt_system_wait(sys, TU_DEADLINE_NS));
        TU_OK(akt_system_release(sys));
        break;
    case 1: /* released while its actors are busy (no shutdown before) */
        d_spawn_some(sys, 3, pids);
        for (int k = 0; k < 3; k++)
            for (int m = 0; m < 10; m++) TU_OK(akt_tell(sys, pids[k], tu_msg("busy", NULL)));
        TU_OK(akt_system_release(sys));
        atomic_fetch_add(&d_shutdown_cbs, 1); /* none was registered */
        break;
    case 2: { /* shutdown racing a spawning thread */
        sthread th[1];
        memset(th, 0, sizeof th);
        d_racing_sys = sys;
        atomic_store(&d_spawner_run, 0);
        st_start(&th[0], "spawner", d_spawner, &th[0]);
        int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
        while (atomic_load(&d_spawner_run) < 3 && tu_now_ns() < dl) sched_yield();
        TU_OK(akt_system_shutdown(sys, d_shutdown_cb, NULL));
        st_join_all(th, 1, sc);
        shutdown_wait(sys, sc);
        TU_OK(akt_system_release(sys));
        break;
    }
    case 3: /* shutdown, then released before the shutdown completed */
        d_spawn_some(sys, 2, pids);
        TU_OK(akt_tell(sys, pids[0], tu_msg("busy", NULL)));
        TU_OK(akt_system_shutdown(sys, d_shutdown_cb, NULL));
        TU_OK(akt_system_release(sys));
        break;
    default: { /* two owners: another thread shuts down and releases while this one does */
        d_spawn_some(sys, 2, pids);
        TU_OK(akt_system_retain(sys));
        sthread th[1];
        memset(th, 0, sizeof th);
        st_start(&th[0], "releaser", d_releaser, sys);
        TU_OK(akt_system_release(sys));
        st_join_all(th, 1, sc);
        break;
    }
    }
}

static void test_d_system_lifecycle_resources(void **state) {
    (void)state;
    const char *sc = "d (create/shutdown/release loops)";
    atomic_store(&d_spawned, 0);
    atomic_store(&d_frees, 0);
    atomic_store(&d_shutdown_cbs, 0);
    long threads0 = d_count_dir("/proc/self/task"), fds0 = d_count_dir("/proc/self/fd");
    assert_true(threads0 > 0 && fds0 > 0);
    int warm = 10, n = 40 + (int)(stress_seconds() * 20);
    for (int i = 0; i < warm; i++) d_cycle(i, sc);
        /* Systems released during shutdown finish on their own: wait for their threads.
         * TSan starts one background thread of its own with the first thread it sees. */
#if defined(__SANITIZE_THREAD__)
    threads0 += 1;
#endif
    TU_EVENTUALLY(d_count_dir("/proc/self/task") <= threads0);
    long rss0 = d_rss_kb();
    int64_t end = tu_now_ns() + stress_ns(4.0);
    int done = 0;
    for (int i = warm; i < warm + n && (done < 20 || tu_now_ns() < end); i++, done++)
        d_cycle(i, sc);
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    long threads1, fds1;
    while (((threads1 = d_count_dir("/proc/self/task")) > threads0 ||
            (fds1 = d_count_dir("/proc/self/fd")) > fds0) &&
           tu_now_ns() < dl)
        tu_sleep_ms(2);
    fds1 = d_count_dir("/proc/self/fd");
    long rss1 = d_rss_kb();
    /* A leaked system costs its cell page alone (4096 cells) about 600 KiB of RSS. */
    long margin_kb = STRESS_TSAN ? 32 * 1024 : STRESS_ASAN ? 16 * 1024 : 8 * 1024;
    print_message("[ stress d ] %d cycles after %d warm-up: threads %ld -> %ld, fds %ld -> %ld, "
                  "RSS %ld -> %ld KiB\n",
                  done, warm, threads0, threads1, fds0, fds1, rss0, rss1);
    if (threads1 > threads0)
        report("threads: %ld before, still %ld after %d systems", threads0, threads1, done);
    if (fds1 > fds0) report("open fds: %ld before, %ld after %d systems", fds0, fds1, done);
    if (rss0 < 0 || rss1 < 0)
        report("cannot read /proc/self/statm");
    else if (rss1 - rss0 > margin_kb)
        report("RSS grew by %ld KiB over %d systems (margin %ld KiB)", rss1 - rss0, done,
               margin_kb);
    /* Every state freed, every registered shutdown callback run once. */
    int total = warm + done;
    dl = tu_now_ns() + TU_DEADLINE_NS;
    while ((atomic_load(&d_frees) != atomic_load(&d_spawned) ||
            atomic_load(&d_shutdown_cbs) < total) &&
           tu_now_ns() < dl)
        tu_sleep_ms(2);
    if (atomic_load(&d_frees) != atomic_load(&d_spawned))
        report("%d actors spawned, %d states freed", atomic_load(&d_spawned),
               atomic_load(&d_frees));
    if (atomic_load(&d_shutdown_cbs) != total)
        report("%d systems, %d shutdown callbacks (or releases without one)", total,
               atomic_load(&d_shutdown_cbs));
    report_check(sc);
}

/* ===================================================================================== */
/* e. forged and foreign pids                                                             */
/* ===================================================================================== */

static atomic_int e_ctx_rc;
static int e_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)state;
    if (tu_is(msg, "tell-to")) { /* akt_ctx_tell to the pid in the payload */
        akt_msg *m = tu_msg("e", NULL);
        int rc = m ? akt_ctx_tell(ctx, tu_pid(msg), m) : AKT_ENOMEM;
        if (rc != 0 && m) akt_msg_release(m);
        atomic_store(&e_ctx_rc, rc);
        return tu_reply(ctx, "ok", NULL);
    }
    return tu_reply(ctx, "ok", NULL);
}

/* Every pid operation on pid in sys: not alive, and AKT_ENOTFOUND, never a crash. what
 * names the pid in the report. */
static void e_check_pid(akt_system *sys, akt_pid pid, const char *what) {
    char buf[128];
    int rc;
#define E_WANT_NOTFOUND(expr)                                                             \
    do {                                                                                  \
        rc = (expr);                                                                      \
        if (rc != AKT_ENOTFOUND)                                                          \
            report("%s (%#llx): %s returned %s", what, (unsigned long long)pid.id, #expr, \
                   akt_err_name(rc));                                                     \
    } while (0)
    if (akt_pid_is_alive(sys, pid) != 0)
        report("%s (%#llx): akt_pid_is_alive says 1", what, (unsigned long long)pid.id);
    E_WANT_NOTFOUND(akt_pid_path(sys, pid, buf, sizeof buf, NULL));
    E_WANT_NOTFOUND(akt_stop(sys, pid));
    E_WANT_NOTFOUND(akt_poison(sys, pid));
    akt_future *f = NULL;
    E_WANT_NOTFOUND(akt_stop_graceful(sys, pid, TU_SEC(1), &f));
    if (rc == 0) {
        tu_wait(f, NULL);
        akt_future_release(f);
    }
    akt_msg *m = tu_msg("e", NULL);
    assert_non_null(m);
    f = NULL;
    E_WANT_NOTFOUND(akt_ask(sys, pid, m, TU_SEC(1), &f));
    if (rc == 0) {
        tu_wait(f, NULL);
        akt_future_release(f);
        m = tu_msg("e", NULL);
    }
    akt_future *fs[2] = {NULL, NULL};
    akt_msg *ms[2] = {m, tu_msg("e", NULL)};
    E_WANT_NOTFOUND(akt_ask_batch(sys, pid, ms, 2, TU_SEC(1), fs));
    if (rc == 0) {
        for (int i = 0; i < 2; i++) {
            tu_wait(fs[i], NULL);
            akt_future_release(fs[i]);
        }
        ms[0] = tu_msg("e", NULL);
        ms[1] = tu_msg("e", NULL);
    }
    E_WANT_NOTFOUND(akt_tell_batch(sys, pid, ms, 2));
    if (rc == 0) {
        ms[0] = tu_msg("e", NULL);
        ms[1] = tu_msg("e", NULL);
    }
    E_WANT_NOTFOUND(akt_tell(sys, pid, ms[0]));
    if (rc == 0) ms[0] = NULL;
    for (int i = 0; i < 2; i++)
        if (ms[i]) akt_msg_release(ms[i]);
#undef E_WANT_NOTFOUND
}

/* From inside an actor of sys: akt_ctx_tell to pid gives AKT_ENOTFOUND. */
static void e_check_ctx_tell(akt_system *sys, akt_pid actor, akt_pid pid, const char *what) {
    atomic_store(&e_ctx_rc, 1);
    akt_msg *reply = NULL;
    TU_OK(tu_ask(sys, actor, tu_msg_pid("tell-to", pid), &reply));
    akt_msg_release(reply);
    int rc = atomic_load(&e_ctx_rc);
    if (rc != AKT_ENOTFOUND)
        report("%s (%#llx): akt_ctx_tell returned %s", what, (unsigned long long)pid.id,
               akt_err_name(rc));
}

static akt_pid e_pid(uint32_t gen, uint32_t index) {
    return (akt_pid){((uint64_t)gen << 32) | index};
}

static void test_e_never_spawned_and_malformed_pids(void **state) {
    (void)state;
    akt_system *sys = tu_system("stress-e", 1);
    akt_behavior b = tu_behavior(e_receive);
    akt_pid a = tu_spawn(sys, &b, NULL, "e");
    uint32_t idx = (uint32_t)a.id, gen = (uint32_t)(a.id >> 32);
    struct {
        akt_pid pid;
        const char *what;
    } cases[] = {
        {e_pid(1, 5000), "never-spawned cell 5000, generation 1"},
        {e_pid(1, idx + 100), "never-spawned cell next to a live one, generation 1"},
        {e_pid(1, 4095), "never-spawned last cell of the first page"},
        {e_pid(gen + 7, idx), "live cell, future generation"},
        {e_pid(0, idx), "live cell, generation 0"},
        {e_pid(gen, 0), "index 0"},
        {e_pid(1, 0xFFFFFFFFu), "index 2^32-1"},
        {(akt_pid){UINT64_MAX}, "all bits set"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        e_check_pid(sys, cases[i].pid, cases[i].what);
        e_check_ctx_tell(sys, a, cases[i].pid, cases[i].what);
    }
    /* The live actor is untouched by all this. */
    assert_int_equal(akt_pid_is_alive(sys, a), 1);
    tu_system_end(sys);
    report_check("e (forged pids)");
}

static void test_e_pids_of_another_system(void **state) {
    (void)state;
    akt_system *sa = tu_system("stress-ea", 1), *sb = tu_system("stress-eb", 1);
    akt_behavior b = tu_behavior(e_receive);
    akt_pid a1 = tu_spawn(sa, &b, NULL, "x"), a2 = tu_spawn(sa, &b, NULL, "y");
    akt_pid a3 = tu_spawn(sa, &b, NULL, NULL);
    akt_pid b1 = tu_spawn(sb, &b, NULL, "x"); /* same name, likely the same cell index */
    e_check_pid(sb, a1, "pid of system A used with B (B has a live actor there)");
    e_check_pid(sb, a2, "pid of system A used with B");
    e_check_pid(sb, a3, "anonymous pid of system A used with B");
    e_check_pid(sa, b1, "pid of system B used with A");
    e_check_ctx_tell(sb, b1, a2, "pid of system A told from B's actor");
    assert_int_equal(akt_pid_is_alive(sa, a1), 1);
    assert_int_equal(akt_pid_is_alive(sb, b1), 1);
    tu_system_end(sb);
    tu_system_end(sa);
    report_check("e (pids of another system)");
}

static void test_e_pids_kept_from_a_released_system(void **state) {
    (void)state;
    akt_behavior b = tu_behavior(e_receive);
    akt_system *old = tu_system("stress-eold", 1);
    akt_pid kept = tu_spawn(old, &b, NULL, "x");
    akt_pid kept_anon = tu_spawn(old, &b, NULL, NULL);
    tu_system_end(old);
    akt_system *sys = tu_system("stress-enew", 1);
    akt_pid fresh = tu_spawn(sys, &b, NULL, "x");
    e_check_pid(sys, kept, "pid kept from a released system");
    e_check_pid(sys, kept_anon, "anonymous pid kept from a released system");
    e_check_ctx_tell(sys, fresh, kept_anon, "pid of a released system told from an actor");
    assert_int_equal(akt_pid_is_alive(sys, fresh), 1);
    tu_system_end(sys);
    report_check("e (pids of a released system)");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        STRESS_TEST(test_a_named_actor_churn_tell_accounting),
        STRESS_TEST(test_b_asks_race_timeouts_cancels_stops),
        STRESS_TEST(test_b_on_complete_registration_race),
        STRESS_TEST(test_b_timeouts_near_int64_max),
        STRESS_TEST(test_c_spawn_storm_two_workers),
        STRESS_TEST(test_c_spawn_storm_one_worker),
        STRESS_TEST(test_c_spawn_reuses_a_woken_cell_on_one_worker),
        STRESS_TEST(test_d_system_lifecycle_resources),
        STRESS_TEST(test_e_never_spawned_and_malformed_pids),
        STRESS_TEST(test_e_pids_of_another_system),
        STRESS_TEST(test_e_pids_kept_from_a_released_system),
    };
    return cmocka_run_group_tests_name("stress", tests, NULL, NULL);
}
