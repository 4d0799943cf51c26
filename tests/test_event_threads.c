/* test_event_threads: subscribing and unsubscribing while callbacks run, on the thread of
 * a callback and on others: what akt_unsubscribe promises ("when it returns, cb is not
 * running and will not be called again") with several threads in callbacks at once. */
#include "tu.h"

#include <string.h>

/* Two workers: two actors can publish at the same time, each on its own thread. Events come
 * from actors returning AKT_EUNHANDLED; each callback below acts only on the events about
 * "its" actor and returns at once for the others. */
static akt_system *sys;
static akt_pid actor_a, actor_b;

static int unhandled_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx;
    (void)msg;
    (void)state;
    return AKT_EUNHANDLED;
}

static int et_setup(void **state) {
    sys = tu_system("evthreads", 2);
    akt_behavior b = tu_behavior(unhandled_receive);
    actor_a = tu_spawn(sys, &b, NULL, "a");
    actor_b = tu_spawn(sys, &b, NULL, "b");
    return tu_setup(state);
}

static int et_teardown(void **state) {
    tu_system_end(sys);
    sys = NULL;
    return tu_teardown(state);
}
#define ET_TEST(f) cmocka_unit_test_setup_teardown(f, et_setup, et_teardown)

static void poke(akt_pid pid) { TU_OK(akt_tell(sys, pid, tu_msg("poke", NULL))); }

/* A callback that, for events about its actor, holds still on a gate. */
typedef struct holder {
    akt_pid about;
    tu_gate gate;
    atomic_int running; /* calls in progress */
    atomic_int calls;   /* calls about `about`, ever */
} holder;

static void holder_init(holder *h, akt_pid about) {
    memset(h, 0, sizeof *h);
    h->about = about;
    tu_gate_init(&h->gate);
}

static void holding_cb(const akt_event *ev, void *data) {
    holder *h = data;
    if (ev->pid.id != h->about.id) return;
    atomic_fetch_add(&h->calls, 1);
    atomic_fetch_add(&h->running, 1);
    tu_gate_wait(&h->gate);
    atomic_fetch_sub(&h->running, 1);
}

/* A callback that, for events about its actor, unsubscribes a target subscription. */
typedef struct unsubscriber {
    akt_pid about;
    akt_subscription *_Atomic target;
    holder *target_holder; /* whose calls must be over when akt_unsubscribe returns */
    atomic_int started, done, rc, running_after;
} unsubscriber;

static void unsubscribing_cb(const akt_event *ev, void *data) {
    unsubscriber *u = data;
    if (ev->pid.id != u->about.id) return;
    akt_subscription *t = atomic_exchange(&u->target, NULL);
    if (!t) return;
    atomic_store(&u->started, 1);
    atomic_store(&u->rc, akt_unsubscribe(t));
    atomic_store(&u->running_after, atomic_load(&u->target_holder->running));
    atomic_store(&u->done, 1);
}

/* Waits up to ms for flag; 1 if it was set. */
static int within_ms(atomic_int *flag, int ms) {
    int64_t until = tu_now_ns() + TU_MS(ms);
    while (!atomic_load(flag) && tu_now_ns() < until) tu_sleep_ms(1);
    return atomic_load(flag);
}

static void test_unsubscribe_from_another_callback_waits(void **state) {
    (void)state;
    static holder x;
    static unsubscriber y;
    holder_init(&x, actor_a);
    memset(&y, 0, sizeof y);
    y.about = actor_b;
    y.target_holder = &x;
    akt_subscription *sx = NULL, *sy = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_UNHANDLED, holding_cb, &x, &sx));
    TU_OK(akt_subscribe(sys, AKT_EVENT_UNHANDLED, unsubscribing_cb, &y, &sy));
    atomic_store(&y.target, sx);
    atomic_store(&y.rc, 1);

    poke(actor_a); /* x's callback holds one worker */
    tu_gate_await_waiters(&x.gate, 1);
    poke(actor_b); /* y's callback, on the other worker, ends x */
    TU_EVENTUALLY(atomic_load(&y.started));
    /* x's call is still running: akt_unsubscribe must not have returned. */
    int returned_early = within_ms(&y.done, 100);
    tu_gate_open(&x.gate);
    TU_EVENTUALLY(atomic_load(&y.done));
    assert_false(returned_early);
    assert_int_equal(atomic_load(&y.rc), 0);
    assert_int_equal(atomic_load(&y.running_after), 0);

    /* And x is never called again. */
    int calls = atomic_load(&x.calls);
    static holder marker; /* a fresh subscription: it tells when the next event passed */
    holder_init(&marker, actor_a);
    tu_gate_open(&marker.gate);
    akt_subscription *sm = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_UNHANDLED, holding_cb, &marker, &sm));
    poke(actor_a);
    TU_EVENTUALLY(atomic_load(&marker.calls) == 1);
    assert_int_equal(atomic_load(&x.calls), calls);
    TU_OK(akt_unsubscribe(sm));
    TU_OK(akt_unsubscribe(sy));
    tu_gate_destroy(&x.gate);
    tu_gate_destroy(&marker.gate);
}

/* Subscribing from inside a callback: allowed, effective for later events. */
typedef struct subscriber {
    atomic_int rc;
    akt_subscription *_Atomic made;
    holder later; /* what the new subscription records */
} subscriber;

static void subscribing_cb(const akt_event *ev, void *data) {
    subscriber *s = data;
    if (ev->pid.id != actor_a.id || atomic_load(&s->made)) return;
    akt_subscription *n = NULL;
    int rc = akt_subscribe(sys, AKT_EVENT_UNHANDLED, holding_cb, &s->later, &n);
    atomic_store(&s->made, n);
    atomic_store(&s->rc, rc);
}

static void test_subscribe_inside_callback(void **state) {
    (void)state;
    static subscriber s;
    memset(&s, 0, sizeof s);
    atomic_store(&s.rc, 1);
    holder_init(&s.later, actor_a);
    tu_gate_open(&s.later.gate);
    akt_subscription *outer = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_UNHANDLED, subscribing_cb, &s, &outer));
    poke(actor_a);
    TU_EVENTUALLY(atomic_load(&s.rc) != 1);
    TU_OK(atomic_load(&s.rc));
    assert_non_null(atomic_load(&s.made));
    /* Later events reach the new subscription (this thread published none meanwhile). */
    poke(actor_a);
    poke(actor_a);
    TU_EVENTUALLY(atomic_load(&s.later.calls) >= 2);
    TU_OK(akt_unsubscribe(outer));
    TU_OK(akt_unsubscribe(atomic_load(&s.made)));
    tu_gate_destroy(&s.later.gate);
}

/* Unsubscribing itself from one of its calls while another thread runs another of its calls:
 * the caller's own call goes on, the other thread's must be over. */
typedef struct self_ender {
    holder on_a; /* calls about actor_a hold still */
    akt_subscription *_Atomic self;
    atomic_int started, done, rc, running_after;
} self_ender;

static void self_ending_cb(const akt_event *ev, void *data) {
    self_ender *s = data;
    if (ev->pid.id == actor_a.id) {
        holding_cb(ev, &s->on_a);
        return;
    }
    if (ev->pid.id != actor_b.id) return;
    akt_subscription *me = atomic_exchange(&s->self, NULL);
    if (!me) return;
    atomic_store(&s->started, 1);
    atomic_store(&s->rc, akt_unsubscribe(me));
    atomic_store(&s->running_after, atomic_load(&s->on_a.running));
    atomic_store(&s->done, 1);
}

static void test_unsubscribe_self_waits_for_other_threads(void **state) {
    (void)state;
    static self_ender s;
    memset(&s, 0, sizeof s);
    holder_init(&s.on_a, actor_a);
    atomic_store(&s.rc, 1);
    akt_subscription *sub = NULL;
    TU_OK(akt_subscribe(sys, AKT_EVENT_UNHANDLED, self_ending_cb, &s, &sub));
    atomic_store(&s.self, sub);
    poke(actor_a);
    tu_gate_await_waiters(&s.on_a.gate, 1);
    poke(actor_b);
    TU_EVENTUALLY(atomic_load(&s.started));
    int returned_early = within_ms(&s.done, 100);
    tu_gate_open(&s.on_a.gate);
    TU_EVENTUALLY(atomic_load(&s.done));
    assert_false(returned_early);
    assert_int_equal(atomic_load(&s.rc), 0);
    assert_int_equal(atomic_load(&s.running_after), 0);
    tu_gate_destroy(&s.on_a.gate);
}

/* From outside any callback: returns once the call running on another thread is over. */
typedef struct outside_end {
    akt_subscription *sub;
    holder *h;
    atomic_int done, rc, running_after;
} outside_end;

static void *unsubscribe_thread(void *arg) {
    outside_end *o = arg;
    atomic_store(&o->rc, akt_unsubscribe(o->sub));
    atomic_store(&o->running_after, atomic_load(&o->h->running));
    atomic_store(&o->done, 1);
    return NULL;
}

static void test_unsubscribe_from_outside_waits(void **state) {
    (void)state;
    static holder x;
    static outside_end o;
    holder_init(&x, actor_a);
    memset(&o, 0, sizeof o);
    o.h = &x;
    atomic_store(&o.rc, 1);
    TU_OK(akt_subscribe(sys, AKT_EVENT_UNHANDLED, holding_cb, &x, &o.sub));
    poke(actor_a);
    tu_gate_await_waiters(&x.gate, 1);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, unsubscribe_thread, &o), 0);
    int returned_early = within_ms(&o.done, 100);
    tu_gate_open(&x.gate);
    TU_EVENTUALLY(atomic_load(&o.done));
    pthread_join(t, NULL);
    assert_false(returned_early);
    assert_int_equal(atomic_load(&o.rc), 0);
    assert_int_equal(atomic_load(&o.running_after), 0);
    tu_gate_destroy(&x.gate);
}

/* Two callbacks on two threads, each ending the other's subscription: both cannot wait for
 * the other. The second to try gets AKT_EDEADLK and nothing changes for it; the first
 * returns 0 once the other call is over. Also across two systems (one lock for all). */
typedef struct crosser {
    akt_pid about;
    akt_subscription *_Atomic target;
    tu_gate *hold; /* optional: wait here before unsubscribing */
    atomic_int started, done, rc;
} crosser;

static void crossing_cb(const akt_event *ev, void *data) {
    crosser *c = data;
    if (ev->pid.id != c->about.id) return;
    akt_subscription *t = atomic_exchange(&c->target, NULL);
    if (!t) return;
    atomic_store(&c->started, 1);
    if (c->hold) tu_gate_wait(c->hold);
    atomic_store(&c->rc, akt_unsubscribe(t));
    atomic_store(&c->done, 1);
}

static void cross_unsubscribe(akt_system *sys_x, akt_pid about_x, akt_system *sys_y,
                              akt_pid about_y) {
    static crosser x, y;
    static tu_gate hold_x;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    tu_gate_init(&hold_x);
    x.about = about_x;
    x.hold = &hold_x;
    y.about = about_y;
    atomic_store(&x.rc, 1);
    atomic_store(&y.rc, 1);
    akt_subscription *sx = NULL, *sy = NULL;
    TU_OK(akt_subscribe(sys_x, AKT_EVENT_UNHANDLED, crossing_cb, &x, &sx));
    TU_OK(akt_subscribe(sys_y, AKT_EVENT_UNHANDLED, crossing_cb, &y, &sy));
    atomic_store(&x.target, sy);
    atomic_store(&y.target, sx);
    TU_OK(akt_tell(sys_x, about_x, tu_msg("poke", NULL)));
    tu_gate_await_waiters(&hold_x, 1); /* x's call is running, before its unsubscribe */
    TU_OK(akt_tell(sys_y, about_y, tu_msg("poke", NULL)));
    TU_EVENTUALLY(atomic_load(&y.started));
    int y_early = within_ms(&y.done, 50); /* y waits for x's call */
    tu_gate_open(&hold_x);
    TU_EVENTUALLY(atomic_load(&x.done) && atomic_load(&y.done));
    int rx = atomic_load(&x.rc), ry = atomic_load(&y.rc);
    /* Normally y waited and x, second, was refused; a preempted y may have come second. */
    if (!((rx == AKT_EDEADLK && ry == 0) || (rx == 0 && ry == AKT_EDEADLK)))
        fail_msg("cross unsubscribe: x got %s, y got %s", akt_err_name(rx), akt_err_name(ry));
    if (rx == AKT_EDEADLK) assert_false(y_early);
    /* The refused one changed nothing: its target is still subscribed. */
    TU_OK(akt_unsubscribe(rx == AKT_EDEADLK ? sy : sx));
    tu_gate_destroy(&hold_x);
}

static void test_cross_unsubscribe_is_refused_not_a_deadlock(void **state) {
    (void)state;
    cross_unsubscribe(sys, actor_a, sys, actor_b);
}

static void test_cross_unsubscribe_across_systems(void **state) {
    (void)state;
    akt_system *other = tu_system("evthreads2", 1);
    akt_behavior b = tu_behavior(unhandled_receive);
    akt_pid c = tu_spawn(other, &b, NULL, "c");
    cross_unsubscribe(sys, actor_a, other, c);
    tu_system_end(other);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        ET_TEST(test_unsubscribe_from_another_callback_waits),
        ET_TEST(test_subscribe_inside_callback),
        ET_TEST(test_unsubscribe_self_waits_for_other_threads),
        ET_TEST(test_unsubscribe_from_outside_waits),
        ET_TEST(test_cross_unsubscribe_is_refused_not_a_deadlock),
        ET_TEST(test_cross_unsubscribe_across_systems),
    };
    return cmocka_run_group_tests_name("event_threads", tests, NULL, NULL);
}
