/*
 * tu.h -- small helpers shared by the akt test suites ("tu" = test utilities).
 *
 * Two worlds meet in these tests: the cmocka test thread, where assert_* and fail_msg may
 * longjmp, and akt's own threads (workers, timer, event callbacks), where they must never
 * be called (a longjmp across threads would corrupt both). Callbacks therefore record
 * problems with TU_CB_CHECK / TU_CB_RC, and every test's teardown (TU_TEST) fails the test
 * if a callback recorded one.
 *
 * Every wait has a deadline (TU_DEADLINE_NS), so a hang becomes a named failure instead of
 * a ctest timeout.
 *
 * Actor states, gates and records the callbacks touch are `static` in the tests: actors
 * live until the teardown shuts their system down, and a failed check longjmps out of the
 * test function, so nothing an actor can reach may live on the test function's stack.
 */
#ifndef AKT_TESTS_TU_H
#define AKT_TESTS_TU_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>

#include <akt/akt.h>

#define TU_MS(x) ((int64_t)(x)*1000000LL)
#define TU_SEC(x) ((int64_t)(x)*1000000000LL)
/* Longest any single wait may take before the test fails: generous for TSan on 2 cores. */
#define TU_DEADLINE_NS TU_SEC(15)

int64_t tu_now_ns(void);
void tu_sleep_ms(int ms);

/* ---- checks on the test thread ---------------------------------------------------- */

/* Compares an akt return code and prints both codes by name when they differ. */
#define TU_RC(want, expr)                                                                       \
    do {                                                                                        \
        int tu_rc_ = (expr);                                                                    \
        int tu_want_ = (want);                                                                  \
        if (tu_rc_ != tu_want_)                                                                 \
            fail_msg("%s:%d: %s returned %s (%d), expected %s (%d)", __FILE__, __LINE__, #expr, \
                     akt_err_name(tu_rc_), tu_rc_, akt_err_name(tu_want_), tu_want_);           \
    } while (0)
#define TU_OK(expr) TU_RC(0, expr)

/* Polls expr (1 ms apart) until it holds; fails the test after TU_DEADLINE_NS. For
 * asynchronous effects that have no future or callback to wait on. */
#define TU_EVENTUALLY(expr)                                                              \
    do {                                                                                 \
        int64_t tu_dl_ = tu_now_ns() + TU_DEADLINE_NS;                                   \
        while (!(expr)) {                                                                \
            if (tu_now_ns() > tu_dl_)                                                    \
                fail_msg("%s:%d: timed out waiting for: %s", __FILE__, __LINE__, #expr); \
            tu_sleep_ms(1);                                                              \
        }                                                                                \
    } while (0)

/* ---- checks inside akt callbacks (any thread) --------------------------------------- */

void tu_cb_fail(const char *file, int line, const char *fmt, ...);
#define TU_CB_CHECK(cond)                                                       \
    do {                                                                        \
        if (!(cond)) tu_cb_fail(__FILE__, __LINE__, "check failed: %s", #cond); \
    } while (0)
#define TU_CB_RC(want, expr)                                                               \
    do {                                                                                   \
        int tu_rc_ = (expr);                                                               \
        int tu_want_ = (want);                                                             \
        if (tu_rc_ != tu_want_)                                                            \
            tu_cb_fail(__FILE__, __LINE__, "%s returned %s (%d), expected %s (%d)", #expr, \
                       akt_err_name(tu_rc_), tu_rc_, akt_err_name(tu_want_), tu_want_);    \
    } while (0)

/* Number of callback failures recorded so far. */
int tu_cb_failures(void);
/* Fails the current test if a callback recorded a failure (prints the first one). */
void tu_assert_no_cb_failures(void);

/* setup/teardown for every test: reset, then check callback failures. */
int tu_setup(void **state);
int tu_teardown(void **state);
#define TU_TEST(f) cmocka_unit_test_setup_teardown(f, tu_setup, tu_teardown)

/* ---- gate: a receive blocks on it so that later messages queue up ------------------- */

typedef struct tu_gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int open;
    int waiters; /* how many threads entered tu_gate_wait so far (ever) */
} tu_gate;

void tu_gate_init(tu_gate *g);
void tu_gate_destroy(tu_gate *g);
/* Blocks until opened (callback side); records a callback failure after the deadline. */
void tu_gate_wait(tu_gate *g);
void tu_gate_open(tu_gate *g);
/* Test thread: waits until n threads have entered tu_gate_wait. */
void tu_gate_await_waiters(tu_gate *g, int n);

/* ---- log: ordered, thread-safe record of what happened ------------------------------ */

#define TU_LOG_MAX 512
typedef struct tu_log {
    pthread_mutex_t mu;
    int n;
    char item[TU_LOG_MAX][64];
} tu_log;

void tu_log_init(tu_log *l);
void tu_log_destroy(tu_log *l);
void tu_log_add(tu_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tu_log_count(tu_log *l);
/* Position of the first entry equal to s, or -1. */
int tu_log_index(tu_log *l, const char *s);
/* Copies entry i into buf ("" if out of range). */
void tu_log_get(tu_log *l, int i, char *buf, size_t len);
/* The whole log joined by spaces (for failure messages); static buffer, test thread. */
const char *tu_log_str(tu_log *l);

/* ---- events ------------------------------------------------------------------------ */

#define TU_EV_MAX 4096
typedef struct tu_ev {
    unsigned kind;
    akt_pid pid;
    akt_pid sender;
    int code;
    int has_msg, has_reason, has_path;
    char type[64];
    char reason[64];
    char path[128];
} tu_ev;

typedef struct tu_events {
    pthread_mutex_t mu;
    int n; /* events seen (may exceed TU_EV_MAX) */
    tu_ev ev[TU_EV_MAX];
} tu_events;

void tu_events_init(tu_events *r);
void tu_events_destroy(tu_events *r);
/* An akt_event_cb: data is the tu_events. */
void tu_events_cb(const akt_event *ev, void *data);
/* Events of kind (any bit of the mask) about pid (id 0: any pid) recorded so far. */
int tu_events_count(tu_events *r, unsigned kinds, akt_pid pid);
/* Copies the first matching event into out; 0 if none. */
int tu_events_find(tu_events *r, unsigned kinds, akt_pid pid, tu_ev *out);

/* ---- messages (usable on any thread; failures are recorded, NULL returned) ---------- */

akt_msg *tu_msg(const char *type, const char *text);
akt_msg *tu_msg_u64(const char *type, uint64_t v);
akt_msg *tu_msg_pid(const char *type, akt_pid pid);
int tu_is(const akt_msg *msg, const char *type);
/* The 8-byte payload of a tu_msg_u64/tu_msg_pid message (records a failure otherwise). */
uint64_t tu_u64(akt_msg *msg);
akt_pid tu_pid(akt_msg *msg);
/* Copies a text payload into buf, NUL-terminated. */
void tu_text(akt_msg *msg, char *buf, size_t len);
/* Inside receive: replies with a new message; returns akt_ctx_respond's code, except that
 * AKT_ENOTFOUND (a tell from outside: nobody to answer) gives 0. */
int tu_reply(akt_ctx *ctx, const char *type, const char *text);
int tu_reply_u64(akt_ctx *ctx, const char *type, uint64_t v);
/* Tells msg to pid: 1 if it was refused because the actor is suspended. A refused msg is
 * released (the caller keeps it on failure); one taken changes whatever its receive does. */
int tu_refused_suspended(akt_system *sys, akt_pid pid, akt_msg *msg);

/* ---- systems, actors, asks (test thread; assert on failure) ------------------------- */

akt_system *tu_system(const char *name, int workers);
akt_system *tu_system_with(const akt_system_options *opts);
/* Shuts down (if not already), waits with the deadline and releases. */
void tu_system_end(akt_system *sys);
/* Same, for a system with an external dispatcher that this thread must keep running. */
void tu_system_end_running(akt_system *sys, akt_dispatcher *d);

akt_behavior tu_behavior(akt_receive_fn receive);
akt_pid tu_spawn(akt_system *sys, const akt_behavior *b, void *state, const char *name);

/* Asks with a long timeout and waits (deadline). Takes msg. Returns the future's result
 * (or akt_ask's error); *reply (optional) gets the reply on 0, else is set to NULL. */
int tu_ask(akt_system *sys, akt_pid to, akt_msg *msg, akt_msg **reply);
/* Asks a message of type with an empty payload and returns the reply's u64; asserts. */
uint64_t tu_ask_u64(akt_system *sys, akt_pid to, const char *type);
/* Waits for a future with the deadline; returns its result; fails on AKT_EAGAIN. */
int tu_wait(akt_future *f, akt_msg **reply);

/* Graceful stop and wait for completion (asserts 0). */
void tu_stop_wait(akt_system *sys, akt_pid pid);
/* Polls until pid is no longer alive (after akt_stop or a supervisor stop). */
void tu_wait_dead(akt_system *sys, akt_pid pid);

#endif /* AKT_TESTS_TU_H */
