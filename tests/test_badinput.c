/* test_badinput: every public function of akt.h fed NULL handles and out-pointers, stale
 * pids, a context used after its callback returned, and a system after shutdown. Each must
 * return its documented code without crashing.
 *
 * Coverage is checked, not promised: every call below goes through BAD()/COVER(), which
 * records the function's name, and the last test compares those names with the AKT_API
 * declarations of akt.h (generated/akt_api_list.h, regenerated from the header at build
 * time). A function added to the header without a check here makes this suite fail. */
#define _GNU_SOURCE
#include "tu.h"

#include <akt/remote.h>
#include <akt/stream.h>
#include <akt/telemetry.h>

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- coverage ---------------------------------------------------------------------- */

static const char *api_names[] = {
#define AKT_API_FUNC(name) #name,
#include "akt_api_list.h"
#undef AKT_API_FUNC
};
#define N_API (sizeof api_names / sizeof api_names[0])

static const char *covered[N_API]; /* every API function at most once */
static int n_covered;

static void cover(const char *name) {
    for (int i = 0; i < n_covered; i++)
        if (strcmp(covered[i], name) == 0) return;
    if (n_covered < (int)N_API) covered[n_covered++] = name;
}

/* Calls fn(args...) and checks its return code; records fn as covered. */
#define BAD(want, fn, ...)            \
    do {                              \
        cover(#fn);                   \
        TU_RC(want, fn(__VA_ARGS__)); \
    } while (0)
#define COVER(fn) cover(#fn)

/* ---- shared fixtures ----------------------------------------------------------------- */

static atomic_int freed; /* destructor calls of owned messages */
static void count_free(void *p) {
    (void)p;
    atomic_fetch_add(&freed, 1);
}

/* A message whose destruction is counted: proves a refused call did not take it. */
static akt_msg *owned(void) {
    static char data[] = "payload";
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Owned", data, sizeof data, count_free, &m));
    return m;
}

static void release_owned(akt_msg *m) {
    int before = atomic_load(&freed);
    TU_OK(akt_msg_release(m));
    /* Freed now: nobody else held a reference. */
    assert_int_equal(atomic_load(&freed), before + 1);
}

static atomic_int states_freed;
static void count_state_free(void *state) { atomic_fetch_add(&states_freed, 1); }

static void on_future(akt_future *f, int rc, akt_msg *reply, void *data) {}
static void on_event(const akt_event *ev, void *data) {}
static void on_notify(void *data) {}
static int decide_nothing(int code, const char *reason, void *data) { return 0; }

/* Saved by the receive, used later from outside the callback. */
static akt_ctx *_Atomic saved_ctx;

static int saving_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    if (tu_is(msg, "save")) atomic_store(&saved_ctx, ctx);
    return tu_reply(ctx, "ok", NULL);
}

static const akt_behavior saving_behavior = {
    .size = sizeof(akt_behavior), .receive = saving_receive, .free_state = count_state_free};

static akt_pid stale_pid(akt_system *sys) {
    akt_pid pid = tu_spawn(sys, &saving_behavior, NULL, NULL);
    tu_stop_wait(sys, pid);
    return pid;
}

/* ---- 2. allocators: must run before any message exists in this process ------------- */

static void *a_malloc(void *d, size_t n) { return malloc(n); }
static void *a_realloc(void *d, void *p, size_t n) { return realloc(p, n); }
static void a_free(void *d, void *p) { free(p); }

static void test_allocator_set_default(void **state) {
    (void)state;
    akt_allocator a = {sizeof a, a_malloc, a_realloc, a_free, NULL};
    akt_allocator no_malloc = a, no_realloc = a, no_free = a, no_size = a;
    no_malloc.malloc_fn = NULL;
    no_realloc.realloc_fn = NULL;
    no_free.free_fn = NULL;
    no_size.size = 0;
    BAD(AKT_EINVAL, akt_allocator_set_default, &no_malloc);
    BAD(AKT_EINVAL, akt_allocator_set_default, &no_realloc);
    BAD(AKT_EINVAL, akt_allocator_set_default, &no_free);
    BAD(AKT_EINVAL, akt_allocator_set_default, &no_size);
    akt_msg *m = tu_msg("t.Exists", NULL);
    /* Once a message exists the default allocator is fixed. */
    BAD(AKT_EMISUSE, akt_allocator_set_default, &a);
    BAD(AKT_EMISUSE, akt_allocator_set_default, NULL);
    akt_msg_release(m);
    BAD(AKT_EMISUSE, akt_allocator_set_default, &a);
}

/* ---- 1. version and errors ---------------------------------------------------------- */

static void test_version_and_errors(void **state) {
    (void)state;
    COVER(akt_version);
    assert_int_equal(akt_version(), AKT_VERSION_HEX);
    COVER(akt_version_string);
    assert_non_null(akt_version_string());
    COVER(akt_strerror);
    COVER(akt_err_name);
    const int odd[] = {INT_MIN, INT_MAX, -1000000, 1, 0, -19};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        assert_non_null(akt_strerror(odd[i]));
        assert_non_null(akt_err_name(odd[i]));
    }
}

/* ---- 3. system -------------------------------------------------------------------------- */

static void test_system_functions(void **state) {
    (void)state;
    akt_system *sys = (akt_system *)0x1;
    akt_system_options o;
    BAD(AKT_EINVAL, akt_system_options_init, NULL);
    BAD(AKT_EINVAL, akt_system_create, NULL, NULL);
    TU_OK(akt_system_options_init(&o));
    BAD(AKT_EINVAL, akt_system_create, &o, NULL);
    o.size = 0;
    BAD(AKT_EINVAL, akt_system_create, &o, &sys);
    TU_OK(akt_system_options_init(&o));
    akt_allocator broken = {sizeof broken, NULL, NULL, NULL, NULL};
    o.allocator = &broken;
    BAD(AKT_EINVAL, akt_system_create, &o, &sys);
    assert_ptr_equal(sys, (akt_system *)0x1);
    /* Extensions: bad names, a missing array, duplicates; the propagator needs inject. */
    int ext = 1;
    void *vals[] = {&ext, &ext};
    const char *bad_names[][2] = {{"x", "ok"},  {"-lead", "ok"}, {"a b", "ok"},
                                  {"ok", NULL}, {"ok", "é-x"},   {"ok", "has.dot"}};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        TU_OK(akt_system_options_init(&o));
        o.extension_names = bad_names[i];
        o.extension_values = vals;
        o.extension_count = 2;
        BAD(AKT_EINVAL, akt_system_create, &o, &sys);
    }
    const char *dup[] = {"metrics", "metrics"};
    o.extension_names = dup;
    BAD(AKT_EEXIST, akt_system_create, &o, &sys);
    o.extension_values = NULL;
    BAD(AKT_EINVAL, akt_system_create, &o, &sys);
    TU_OK(akt_system_options_init(&o));
    akt_propagator prop = {sizeof prop, NULL, NULL};
    o.propagator = &prop;
    BAD(AKT_EINVAL, akt_system_create, &o, &sys);
    assert_ptr_equal(sys, (akt_system *)0x1);
    void *v = (void *)0x1;
    BAD(AKT_EINVAL, akt_system_extension, NULL, "metrics", &v);
    assert_ptr_equal(v, (void *)0x1);
    BAD(AKT_EINVAL, akt_system_shutdown, NULL, NULL, NULL);
    BAD(AKT_EINVAL, akt_system_wait, NULL, 0);
    BAD(AKT_EINVAL, akt_system_wait, NULL, -1);
    BAD(AKT_EINVAL, akt_system_retain, NULL);
    BAD(AKT_EINVAL, akt_system_release, NULL);
    COVER(akt_system_name);
    assert_null(akt_system_name(NULL));
}

/* ---- 4. pids and lookup ---------------------------------------------------------------- */

static void test_pid_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, "live");
    akt_pid stale = stale_pid(sys);
    akt_pid none = {AKT_PID_NONE_ID};
    const akt_pid garbage[] = {
        {UINT64_MAX}, {0xdeadbeefdeadbeefull}, {1ull << 63}, {0x7fffffff00000001ull}};
    COVER(akt_pid_is_alive);
    assert_int_equal(akt_pid_is_alive(NULL, live), 0);
    assert_int_equal(akt_pid_is_alive(sys, none), 0);
    assert_int_equal(akt_pid_is_alive(sys, stale), 0);
    assert_int_equal(akt_pid_is_alive(sys, live), 1);
    void *v = (void *)0x1;
    BAD(AKT_EINVAL, akt_system_extension, sys, NULL, &v);
    BAD(AKT_EINVAL, akt_system_extension, sys, "metrics", NULL);
    BAD(AKT_ENOTFOUND, akt_system_extension, sys, "metrics", &v);
    assert_ptr_equal(v, (void *)0x1);
    char buf[64];
    size_t needed = 0;
    BAD(AKT_EINVAL, akt_pid_path, NULL, live, buf, sizeof buf, &needed);
    BAD(AKT_EINVAL, akt_pid_path, sys, live, NULL, 10, &needed);
    BAD(AKT_ENOTFOUND, akt_pid_path, sys, stale, buf, sizeof buf, &needed);
    BAD(AKT_ENOTFOUND, akt_pid_path, sys, none, buf, sizeof buf, NULL);
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        assert_int_equal(akt_pid_is_alive(sys, garbage[i]), 0);
        BAD(AKT_ENOTFOUND, akt_pid_path, sys, garbage[i], buf, sizeof buf, NULL);
        akt_msg *m = owned();
        BAD(AKT_ENOTFOUND, akt_tell, sys, garbage[i], m);
        BAD(AKT_ENOTFOUND, akt_stop, sys, garbage[i]);
        release_owned(m);
    }
    /* akt_pid_runs_on: NULL, stale, garbage and another system's dispatcher. */
    akt_system *other = tu_system("bad2", 1);
    akt_dispatcher *foreign = NULL, *mine = NULL;
    TU_OK(akt_dispatcher_create_external(other, on_notify, NULL, &foreign));
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &mine));
    int on = 7;
    BAD(AKT_EINVAL, akt_pid_runs_on, NULL, live, NULL, &on);
    BAD(AKT_EINVAL, akt_pid_runs_on, sys, live, NULL, NULL);
    BAD(AKT_EINVAL, akt_pid_runs_on, sys, live, foreign, &on);
    BAD(AKT_ENOTFOUND, akt_pid_runs_on, sys, stale, NULL, &on);
    BAD(AKT_ENOTFOUND, akt_pid_runs_on, sys, none, mine, &on);
    BAD(AKT_ENOTFOUND, akt_pid_runs_on, sys, (akt_pid){1ull << 32 | 1}, NULL, &on); /* /user */
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
        BAD(AKT_ENOTFOUND, akt_pid_runs_on, sys, garbage[i], NULL, &on);
    assert_int_equal(on, 7);
    BAD(0, akt_pid_runs_on, sys, live, mine, &on);
    assert_int_equal(on, 0);
    BAD(0, akt_pid_runs_on, sys, live, NULL, &on);
    assert_int_equal(on, 1);
    tu_system_end_running(other, foreign);
    akt_pid out = {99};
    BAD(AKT_EINVAL, akt_lookup, NULL, "live", &out);
    BAD(AKT_EINVAL, akt_lookup, sys, NULL, &out);
    BAD(AKT_EINVAL, akt_lookup, sys, "live", NULL);
    assert_int_equal(out.id, 99);
    tu_system_end_running(sys, mine);
}

/* ---- 5. messages and sending ------------------------------------------------------------ */

static void obj_release(void *object, void *ops_data) {}
static const akt_object_ops ops = {.size = sizeof(akt_object_ops), .release = obj_release};

static void test_msg_functions(void **state) {
    (void)state;
    akt_msg *m = (akt_msg *)0x1;
    int object = 1;
    BAD(AKT_EINVAL, akt_msg_new_bytes, NULL, "x", 1, AKT_COPY, &m);
    BAD(AKT_EINVAL, akt_msg_new_bytes, "t", "x", 1, AKT_COPY, NULL);
    BAD(AKT_EINVAL, akt_msg_new_bytes, "t", NULL, 5, AKT_COPY, &m);
    BAD(AKT_EINVAL, akt_msg_new_object, NULL, &object, &ops, &m);
    BAD(AKT_EINVAL, akt_msg_new_object, "t", &object, NULL, &m);
    BAD(AKT_EINVAL, akt_msg_new_object, "t", &object, &ops, NULL);
    /* release_on must be an external dispatcher: not any memory. */
    static _Alignas(64) unsigned char not_a_dispatcher[256];
    static akt_object_ops bad_owner;
    bad_owner = ops;
    bad_owner.release_on = (akt_dispatcher *)(void *)not_a_dispatcher;
    BAD(AKT_EINVAL, akt_msg_new_object, "t", &object, &bad_owner, &m);
    assert_ptr_equal(m, (akt_msg *)0x1);
    BAD(AKT_EINVAL, akt_msg_retain, NULL);
    BAD(AKT_EINVAL, akt_msg_release, NULL);
    COVER(akt_msg_type);
    assert_null(akt_msg_type(NULL));
    const void *data = NULL;
    size_t len = 0;
    void *obj = NULL;
    akt_pid pid = {0};
    m = owned();
    BAD(AKT_EINVAL, akt_msg_bytes, NULL, &data, &len);
    BAD(AKT_EINVAL, akt_msg_bytes, m, NULL, &len);
    BAD(AKT_EINVAL, akt_msg_bytes, m, &data, NULL);
    BAD(AKT_EINVAL, akt_msg_object, NULL, &ops, &obj);
    BAD(AKT_EINVAL, akt_msg_object, m, NULL, &obj);
    BAD(AKT_EINVAL, akt_msg_object, m, &ops, NULL);
    BAD(AKT_EINVAL, akt_msg_pid, NULL, &pid);
    BAD(AKT_EINVAL, akt_msg_pid, m, NULL);
    BAD(AKT_ETYPE, akt_msg_pid, m, &pid);
    release_owned(m);
}

static void test_header_functions(void **state) {
    (void)state;
    akt_msg *m = owned(), *d = owned();
    const void *v = (const void *)0x1;
    const char *k = (const char *)0x1;
    size_t len = 7, n = 7;
    char big[AKT_HEADER_VALUE_MAX + 1];
    memset(big, 'x', sizeof big);
    char long_key[AKT_HEADER_KEY_MAX + 2];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = 0;
    BAD(AKT_EINVAL, akt_msg_set_header, NULL, "k", "v", 1);
    BAD(AKT_EINVAL, akt_msg_set_header, m, NULL, "v", 1);
    BAD(AKT_EINVAL, akt_msg_set_header, m, "", "v", 1);
    BAD(AKT_EINVAL, akt_msg_set_header, m, "a key", "v", 1); /* space */
    BAD(AKT_EINVAL, akt_msg_set_header, m, "k\n", "v", 1);
    BAD(AKT_EINVAL, akt_msg_set_header, m, long_key, "v", 1);
    BAD(AKT_EINVAL, akt_msg_set_header, m, "k", NULL, 1);
    BAD(AKT_EINVAL, akt_msg_set_header, m, "k", big, sizeof big); /* oversized */
    BAD(AKT_EINVAL, akt_msg_set_header, m, "k", big, SIZE_MAX);
    BAD(AKT_EINVAL, akt_msg_header, NULL, "k", &v, &len);
    BAD(AKT_EINVAL, akt_msg_header, m, NULL, &v, &len);
    BAD(AKT_EINVAL, akt_msg_header, m, "k", NULL, &len);
    BAD(AKT_EINVAL, akt_msg_header, m, "k", &v, NULL);
    BAD(AKT_ENOTFOUND, akt_msg_header, m, "k", &v, &len);
    BAD(AKT_EINVAL, akt_msg_header_count, NULL, &n);
    BAD(AKT_EINVAL, akt_msg_header_count, m, NULL);
    BAD(AKT_EINVAL, akt_msg_header_at, NULL, 0, &k, &v, &len);
    BAD(AKT_ENOTFOUND, akt_msg_header_at, m, 0, &k, &v, &len);
    BAD(AKT_ENOTFOUND, akt_msg_header_at, m, SIZE_MAX, &k, &v, &len);
    assert_ptr_equal(v, (const void *)0x1);
    assert_ptr_equal(k, (const char *)0x1);
    assert_int_equal(len, 7);
    assert_int_equal(n, 7);
    BAD(AKT_EINVAL, akt_msg_copy_headers, NULL, m);
    BAD(AKT_EINVAL, akt_msg_copy_headers, d, NULL);
    /* Too many: the 65th header of a message is refused, the message unchanged. */
    char key[16];
    for (int i = 0; i < AKT_HEADERS_MAX; i++) {
        snprintf(key, sizeof key, "k%d", i);
        BAD(0, akt_msg_set_header, m, key, "v", 1);
    }
    BAD(AKT_EINVAL, akt_msg_set_header, m, "one-more", "v", 1);
    BAD(0, akt_msg_set_header, m, "k0", "w", 1); /* a replacement still fits */
    BAD(0, akt_msg_header_count, m, &n);
    assert_int_equal(n, AKT_HEADERS_MAX);
    /* Too many bytes: 8 values of 8 KiB fill the 64 KiB budget with their keys. */
    for (int i = 0; i < 7; i++) {
        snprintf(key, sizeof key, "b%d", i);
        BAD(0, akt_msg_set_header, d, key, big, AKT_HEADER_VALUE_MAX);
    }
    BAD(AKT_EINVAL, akt_msg_set_header, d, "b7", big, AKT_HEADER_VALUE_MAX);
    BAD(0, akt_msg_header_count, d, &n);
    assert_int_equal(n, 7);
    BAD(AKT_EINVAL, akt_msg_copy_headers, d, m); /* over the count: nothing copied */
    BAD(0, akt_msg_header_count, d, &n);
    assert_int_equal(n, 7);
    /* Shared: a retained message takes no headers. */
    TU_OK(akt_msg_retain(d));
    BAD(AKT_EMISUSE, akt_msg_set_header, d, "k", "v", 1);
    BAD(AKT_EMISUSE, akt_msg_copy_headers, d, m);
    TU_OK(akt_msg_release(d));
    release_owned(m);
    release_owned(d);
}

static void test_send_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, NULL);
    akt_pid stale = stale_pid(sys);
    akt_pid none = {0};
    akt_msg *m = owned();
    akt_msg *batch[2] = {m, NULL};
    akt_future *f = (akt_future *)0x1;
    akt_future *fs[2] = {(akt_future *)0x1, (akt_future *)0x1};

    BAD(AKT_EINVAL, akt_tell, NULL, live, m);
    BAD(AKT_EINVAL, akt_tell, sys, live, NULL);
    BAD(AKT_ENOTFOUND, akt_tell, sys, stale, m);
    BAD(AKT_ENOTFOUND, akt_tell, sys, none, m);

    BAD(AKT_EINVAL, akt_tell_batch, NULL, live, batch, 1);
    BAD(AKT_EINVAL, akt_tell_batch, sys, live, NULL, 1);
    BAD(AKT_EINVAL, akt_tell_batch, sys, live, batch, 2); /* a NULL element */
    BAD(AKT_ENOTFOUND, akt_tell_batch, sys, stale, batch, 1);

    BAD(AKT_EINVAL, akt_ask, NULL, live, m, TU_SEC(1), &f);
    BAD(AKT_EINVAL, akt_ask, sys, live, NULL, TU_SEC(1), &f);
    BAD(AKT_EINVAL, akt_ask, sys, live, m, TU_SEC(1), NULL);
    BAD(AKT_EINVAL, akt_ask, sys, live, m, 0, &f);
    BAD(AKT_EINVAL, akt_ask, sys, live, m, -1, &f);
    BAD(AKT_ENOTFOUND, akt_ask, sys, stale, m, TU_SEC(1), &f);
    BAD(AKT_ENOTFOUND, akt_ask, sys, none, m, TU_SEC(1), &f);
    assert_ptr_equal(f, (akt_future *)0x1);

    BAD(AKT_EINVAL, akt_ask_batch, NULL, live, batch, 1, TU_SEC(1), fs);
    BAD(AKT_EINVAL, akt_ask_batch, sys, live, NULL, 1, TU_SEC(1), fs);
    BAD(AKT_EINVAL, akt_ask_batch, sys, live, batch, 1, TU_SEC(1), NULL);
    BAD(AKT_EINVAL, akt_ask_batch, sys, live, batch, 2, TU_SEC(1), fs);
    BAD(AKT_EINVAL, akt_ask_batch, sys, live, batch, 1, 0, fs);
    BAD(AKT_ENOTFOUND, akt_ask_batch, sys, stale, batch, 1, TU_SEC(1), fs);
    assert_ptr_equal(fs[0], (akt_future *)0x1);

    /* None of the refused calls took the message. */
    release_owned(m);
    tu_system_end(sys);
}

/* ---- 6. futures -------------------------------------------------------------------------- */

static void test_future_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, NULL);
    akt_msg *reply = (akt_msg *)0x1;
    BAD(AKT_EINVAL, akt_future_wait, NULL, 0, &reply);
    BAD(AKT_EINVAL, akt_future_on_complete, NULL, on_future, NULL);
    BAD(AKT_EINVAL, akt_future_cancel, NULL);
    BAD(AKT_EINVAL, akt_future_release, NULL);
    const char *why = (const char *)0x1;
    BAD(AKT_EINVAL, akt_future_failure, NULL, &why, &reply);
    assert_ptr_equal(why, (const char *)0x1);
    assert_ptr_equal(reply, (akt_msg *)0x1);
    akt_future *f = NULL;
    TU_OK(akt_ask(sys, live, tu_msg("x", NULL), TU_DEADLINE_NS, &f));
    BAD(AKT_EINVAL, akt_future_on_complete, f, NULL, NULL);
    BAD(0, akt_future_wait, f, TU_DEADLINE_NS, NULL); /* reply may be NULL: not wanted */
    BAD(0, akt_future_failure, f, NULL, NULL);        /* both optional */
    TU_OK(akt_future_failure(f, &why, &reply));
    assert_null(why); /* answered: no failure */
    assert_null(reply);
    TU_OK(akt_future_release(f));
    tu_system_end(sys);
}

/* ---- 7. spawning and the context ------------------------------------------------------- */

static void test_spawn_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    static int st;
    akt_pid out = {5};
    akt_spawn_options o;
    int frees = atomic_load(&states_freed);
    BAD(AKT_EINVAL, akt_spawn_options_init, NULL);
    BAD(AKT_EINVAL, akt_spawn, NULL, &saving_behavior, &st, NULL, &out);
    BAD(AKT_EINVAL, akt_spawn, sys, NULL, &st, NULL, &out);
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, NULL, NULL);
    TU_OK(akt_spawn_options_init(&o));
    o.size = 0;
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    akt_behavior no_receive = saving_behavior;
    no_receive.receive = NULL;
    BAD(AKT_EINVAL, akt_spawn, sys, &no_receive, &st, NULL, &out);
    akt_supervisor sup;
    memset(&sup, 0, sizeof sup);
    sup.size = sizeof sup;
    sup.default_directive = 17;
    sup.decide = decide_nothing;
    TU_OK(akt_spawn_options_init(&o));
    o.supervisor = &sup;
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    sup.default_directive = AKT_DIRECTIVE_RESTART;
    sup.strategy = 2; /* no such strategy */
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    sup.strategy = AKT_STRATEGY_ONE_FOR_ALL;
    sup.max_retries = 3; /* a budget without a window */
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    sup.within_ns = -1; /* a negative window */
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    sup.max_retries = 0; /* negative even without a budget */
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    sup.within_ns = 0;
    /* Bad rules: a count without a table, a count too large, a code that is not an error,
     * a directive out of range. */
    akt_supervisor_rule rule = {AKT_ETIMEDOUT, AKT_DIRECTIVE_RESUME};
    sup.rule_count = 1;
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    sup.rules = &rule;
    sup.rule_count = 1025;
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    sup.rule_count = 1;
    rule.code = 0;
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    rule.code = AKT_ETIMEDOUT;
    rule.directive = 9;
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    sup.rules = NULL;
    sup.rule_count = 0;
    const struct {
        int64_t min, max, reset;
        double mult, jitter;
    } bad_backoffs[] = {
        {-1, 0, 0, 0, 0},         /* negative minimum */
        {100, 50, 0, 0, 0},       /* cap below the minimum */
        {100, 0, -1, 0, 0},       /* negative reset */
        {100, 0, 0, 0.5, 0},      /* a multiplier that shrinks */
        {100, 0, 0, 0, 1.5},      /* jitter above 1 */
        {100, 0, 0, 0, -0.1},     /* negative jitter */
        {100, 0, 0, 0, 0.0 / 0.0} /* NaN jitter */
    };
    for (size_t i = 0; i < sizeof bad_backoffs / sizeof bad_backoffs[0]; i++) {
        sup.backoff_min_ns = bad_backoffs[i].min;
        sup.backoff_max_ns = bad_backoffs[i].max;
        sup.backoff_reset_ns = bad_backoffs[i].reset;
        sup.backoff_multiplier = bad_backoffs[i].mult;
        sup.backoff_jitter = bad_backoffs[i].jitter;
        BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    }
    /* Bad mailboxes: a kind or policy out of range, priority without a comparator, block
     * without a timeout, a capacity too large, a spec too small. */
    TU_OK(akt_spawn_options_init(&o));
    const akt_mailbox_spec bad_mailboxes[] = {
        {.size = sizeof(akt_mailbox_spec), .kind = 3},
        {.size = sizeof(akt_mailbox_spec), .capacity = 1, .when_full = 3},
        {.size = sizeof(akt_mailbox_spec), .kind = AKT_MAILBOX_PRIORITY},
        {.size = sizeof(akt_mailbox_spec), .capacity = 1, .when_full = AKT_MAILBOX_BLOCK},
        {.size = sizeof(akt_mailbox_spec), .capacity = (uint32_t)INT32_MAX + 1},
        {.size = 1},
    };
    for (size_t i = 0; i < sizeof bad_mailboxes / sizeof bad_mailboxes[0]; i++) {
        o.mailbox = &bad_mailboxes[i];
        BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    }
    TU_OK(akt_spawn_options_init(&o));
    o.reentrancy = AKT_REENTRANCY_STASH + 1; /* no such mode */
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    o.reentrancy = -1;
    BAD(AKT_EINVAL, akt_spawn, sys, &saving_behavior, &st, &o, &out);
    assert_int_equal(out.id, 5);
    BAD(AKT_EINVAL, akt_request_options_init, NULL);
    akt_request_options ro;
    BAD(0, akt_request_options_init, &ro);
    assert_int_equal(ro.size, sizeof ro);
    assert_int_equal(ro.mode, AKT_REENTRANCY_DEFAULT);
    tu_system_end(sys);
    assert_int_equal(atomic_load(&states_freed), frees); /* no state was taken */
}

/* Calls every ctx function with ctx; each must return want. Messages and states offered
 * to the refused calls must stay with the caller. */
static void ctx_calls(akt_system *sys, akt_ctx *ctx, akt_pid target, int want) {
    akt_pid pid = {77};
    akt_system *s = (akt_system *)0x1;
    akt_future *f = (akt_future *)0x1;
    void *v = (void *)0x1;
    akt_msg *m = owned();
    BAD(want, akt_ctx_self, ctx, &pid);
    BAD(want, akt_ctx_sender, ctx, &pid);
    akt_msg *cur = (akt_msg *)0x1;
    BAD(want, akt_ctx_message, ctx, &cur);
    assert_ptr_equal(cur, (akt_msg *)0x1);
    BAD(want, akt_ctx_parent, ctx, &pid);
    BAD(want, akt_ctx_system, ctx, &s);
    BAD(want, akt_ctx_respond, ctx, m);
    BAD(want, akt_ctx_tell, ctx, target, m);
    BAD(want, akt_ctx_ask, ctx, target, m, TU_SEC(1), &f);
    BAD(want, akt_ctx_forward, ctx, target);
    BAD(want, akt_ctx_unhandled, ctx);
    BAD(want, akt_ctx_fail, ctx, "reason");
    BAD(want, akt_ctx_fail_with, ctx, "reason", m);
    int expected = 7;
    BAD(want, akt_ctx_reply_expected, ctx, &expected);
    assert_int_equal(expected, 7);
    akt_receive_fn rd = saving_receive;
    BAD(want, akt_ctx_asker_reader, ctx, &rd);
    assert_ptr_equal(rd, saving_receive); /* untouched */
    int frees = atomic_load(&states_freed);
    static int st;
    BAD(want, akt_ctx_spawn, ctx, &saving_behavior, &st, NULL, &pid);
    BAD(want, akt_ctx_stop, ctx, target);
    BAD(want, akt_ctx_become, ctx, saving_receive, NULL, 0);
    BAD(want, akt_ctx_unbecome, ctx);
    BAD(want, akt_ctx_unbecome_stacked, ctx);
    BAD(want, akt_ctx_stash, ctx);
    BAD(want, akt_ctx_unstash, ctx);
    BAD(want, akt_ctx_unstash_all, ctx);
    BAD(want, akt_ctx_watch, ctx, target);
    BAD(want, akt_ctx_unwatch, ctx, target);
    BAD(want, akt_ctx_dependency, ctx, "db", &v);
    BAD(want, akt_ctx_extension, ctx, "db", &v);
    akt_msg *next = (akt_msg *)0x1;
    BAD(want, akt_ctx_next, ctx, &next);
    assert_ptr_equal(next, (akt_msg *)0x1);
    akt_request *req = (akt_request *)0x1;
    BAD(want, akt_ctx_request, ctx, target, m, NULL, &req);
    BAD(want, akt_ctx_request_named, ctx, "/user/x", m, NULL, &req);
    assert_ptr_equal(req, (akt_request *)0x1);
    BAD(want, akt_request_cancel, ctx, (akt_request *)(uintptr_t)1);
    assert_int_equal(pid.id, 77);
    assert_ptr_equal(s, (akt_system *)0x1);
    assert_ptr_equal(f, (akt_future *)0x1);
    assert_ptr_equal(v, (void *)0x1);
    assert_int_equal(atomic_load(&states_freed), frees);
    release_owned(m);
    (void)sys;
}

static void test_ctx_null(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, NULL);
    ctx_calls(sys, NULL, live, AKT_EINVAL);
    tu_system_end(sys);
}

static void test_ctx_after_callback_on_worker(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    atomic_store(&saved_ctx, NULL);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, NULL);
    TU_OK(tu_ask(sys, live, tu_msg("save", NULL), NULL));
    /* Another message after it: the saved callback has certainly returned. */
    TU_OK(tu_ask(sys, live, tu_msg("other", NULL), NULL));
    akt_ctx *ctx = atomic_load(&saved_ctx);
    assert_non_null(ctx);
    ctx_calls(sys, ctx, live, AKT_EMISUSE);
    /* The actor is unharmed. */
    TU_OK(tu_ask(sys, live, tu_msg("other", NULL), NULL));
    tu_system_end(sys);
}

static void test_ctx_after_callback_same_thread(void **state) {
    (void)state;
    /* On an external dispatcher the callback ran on this very thread: after the run
     * returned, the context is stale even here. */
    akt_system *sys = tu_system("bad", 1);
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d));
    akt_spawn_options o;
    TU_OK(akt_spawn_options_init(&o));
    o.dispatcher = d;
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, &saving_behavior, NULL, &o, &pid));
    atomic_store(&saved_ctx, NULL);
    TU_OK(akt_tell(sys, pid, tu_msg("save", NULL)));
    int rc;
    while ((rc = akt_dispatcher_run(d, 100, NULL)) == AKT_EAGAIN) {
    }
    TU_OK(rc);
    akt_ctx *ctx = atomic_load(&saved_ctx);
    assert_non_null(ctx);
    ctx_calls(sys, ctx, pid, AKT_EMISUSE);
    tu_system_end_running(sys, d);
}

/* Inside a live callback: NULL out-pointers and calls that need a current message. */
static int probe_pre_start(akt_ctx *ctx, void *state) {
    akt_msg *m = tu_msg("x", NULL);
    TU_CB_RC(AKT_EMISUSE, akt_ctx_respond(ctx, m)); /* no message to answer */
    int expected;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_reply_expected(ctx, &expected));
    akt_receive_fn rd = NULL;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_asker_reader(ctx, &rd)); /* no asker to name */
    akt_msg_release(m);
    akt_msg *cur = (akt_msg *)0x1;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_message(ctx, &cur)); /* no current message */
    TU_CB_CHECK(cur == (akt_msg *)0x1);
    return 0;
}

static int probe_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_pid self;
    TU_CB_RC(0, akt_ctx_self(ctx, &self));
    TU_CB_RC(AKT_EINVAL, akt_ctx_self(ctx, NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_sender(ctx, NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_message(ctx, NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_parent(ctx, NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_system(ctx, NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_respond(ctx, NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_reply_expected(ctx, NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_asker_reader(ctx, NULL));
    _Alignas(max_align_t) unsigned char not_a_msg[256] = {0}; /* no message's magic */
    TU_CB_RC(AKT_EINVAL, akt_ctx_fail_with(ctx, "x", (akt_msg *)not_a_msg));
    TU_CB_RC(AKT_EINVAL, akt_ctx_tell(ctx, self, NULL));
    akt_future *f = NULL;
    TU_CB_RC(AKT_EINVAL, akt_ctx_ask(ctx, self, NULL, TU_SEC(1), &f));
    akt_msg *m = tu_msg("x", NULL);
    TU_CB_RC(AKT_EINVAL, akt_ctx_ask(ctx, self, m, TU_SEC(1), NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_ask(ctx, self, m, 0, &f));
    akt_pid gone = {0};
    TU_CB_RC(AKT_ENOTFOUND, akt_ctx_tell(ctx, gone, m));
    TU_CB_RC(AKT_ENOTFOUND, akt_ctx_forward(ctx, gone));
    akt_msg_release(m);
    akt_pid kid;
    TU_CB_RC(AKT_EINVAL, akt_ctx_spawn(ctx, NULL, NULL, NULL, &kid));
    TU_CB_RC(AKT_EINVAL, akt_ctx_spawn(ctx, &saving_behavior, NULL, NULL, NULL));
    TU_CB_RC(AKT_EINVAL, akt_ctx_become(ctx, NULL, NULL, 0));
    TU_CB_RC(AKT_EMISUSE, akt_ctx_unbecome_stacked(ctx));
    TU_CB_RC(AKT_EAGAIN, akt_ctx_unstash(ctx));
    void *v;
    TU_CB_RC(AKT_EINVAL, akt_ctx_dependency(ctx, NULL, &v));
    TU_CB_RC(AKT_EINVAL, akt_ctx_dependency(ctx, "db", NULL));
    TU_CB_RC(AKT_ENOTFOUND, akt_ctx_dependency(ctx, "db", &v));
    TU_CB_RC(AKT_EINVAL, akt_ctx_extension(ctx, NULL, &v));
    TU_CB_RC(AKT_EINVAL, akt_ctx_extension(ctx, "db", NULL));
    TU_CB_RC(AKT_ENOTFOUND, akt_ctx_extension(ctx, "db", &v));
    akt_msg *next = NULL;
    TU_CB_RC(AKT_EINVAL, akt_ctx_next(ctx, NULL));
    TU_CB_RC(AKT_EMISUSE, akt_ctx_next(ctx, &next)); /* only inside receive_batch */
    /* Requests: bad options, a pid that is not live, handles that name nothing. */
    akt_request *req = (akt_request *)0x1;
    akt_request_options ro;
    TU_CB_RC(0, akt_request_options_init(&ro));
    m = tu_msg("x", NULL);
    TU_CB_RC(AKT_EINVAL, akt_ctx_request(ctx, self, NULL, NULL, &req));
    TU_CB_RC(AKT_EINVAL, akt_ctx_request(ctx, self, (akt_msg *)not_a_msg, NULL, &req));
    ro.mode = AKT_REENTRANCY_STASH + 1;
    TU_CB_RC(AKT_EINVAL, akt_ctx_request(ctx, self, m, &ro, &req));
    ro.mode = AKT_REENTRANCY_DEFAULT;
    ro.timeout_ns = -1;
    TU_CB_RC(AKT_EINVAL, akt_ctx_request(ctx, self, m, &ro, &req));
    ro.timeout_ns = 0;
    ro.size = 1; /* smaller than any version */
    TU_CB_RC(AKT_EINVAL, akt_ctx_request(ctx, self, m, &ro, &req));
    TU_CB_RC(AKT_ENOTFOUND, akt_ctx_request(ctx, gone, m, NULL, &req));
    TU_CB_RC(AKT_EINVAL, akt_ctx_request_named(ctx, NULL, m, NULL, &req));
    TU_CB_RC(AKT_EINVAL, akt_ctx_request_named(ctx, "", m, NULL, &req));
    TU_CB_RC(AKT_EINVAL, akt_ctx_request_named(ctx, "no-such-actor", NULL, NULL, &req));
    TU_CB_RC(AKT_ENOTFOUND, akt_ctx_request_named(ctx, "no-such-actor", m, NULL, &req));
    TU_CB_RC(0, akt_request_options_init(&ro));
    ro.timeout_ns = -1; /* bad input is refused before the name is looked up */
    TU_CB_RC(AKT_EINVAL, akt_ctx_request_named(ctx, "/user/no-such-actor", m, &ro, &req));
    TU_CB_CHECK(req == (akt_request *)0x1);
    akt_msg_release(m);
    TU_CB_RC(AKT_EINVAL, akt_request_cancel(ctx, NULL));
    TU_CB_RC(AKT_ENOTFOUND, akt_request_cancel(ctx, (akt_request *)(uintptr_t)UINT64_MAX));
    return tu_reply(ctx, "ok", NULL);
}

static void test_ctx_inside_callback(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_behavior b = tu_behavior(probe_receive);
    b.pre_start = probe_pre_start;
    akt_pid pid = tu_spawn(sys, &b, NULL, NULL);
    TU_OK(tu_ask(sys, pid, tu_msg("probe", NULL), NULL));
    tu_system_end(sys);
}

/* async: suspended messages (akt_ctx_suspend, akt_suspension_post) */
static int async_step(akt_ctx *ctx, void *data) {
    (void)ctx;
    (void)data;
    return 0;
}

static int async_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)msg;
    (void)state;
    akt_suspension s;
    TU_CB_RC(AKT_EINVAL, akt_ctx_suspend(ctx, AKT_REENTRANCY_STASH + 1, &s));
    TU_CB_RC(AKT_EINVAL, akt_ctx_suspend(ctx, -1, &s));
    TU_CB_RC(AKT_EINVAL, akt_ctx_suspend(ctx, AKT_REENTRANCY_DEFAULT, NULL));
    return tu_reply(ctx, "ok", NULL);
}

static int async_pre_start(akt_ctx *ctx, void *state) {
    (void)state;
    akt_suspension s;
    TU_CB_RC(AKT_EMISUSE, akt_ctx_suspend(ctx, AKT_REENTRANCY_DEFAULT, &s)); /* no message */
    return 0;
}

static void test_async_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_suspension s = {{0}, 0};
    BAD(AKT_EINVAL, akt_ctx_suspend, NULL, AKT_REENTRANCY_DEFAULT, &s);
    BAD(AKT_EMISUSE, akt_ctx_suspend, (akt_ctx *)&s, AKT_REENTRANCY_DEFAULT, &s);
    BAD(AKT_EINVAL, akt_suspension_post, NULL, s, async_step, NULL, NULL);
    BAD(AKT_EINVAL, akt_suspension_post, sys, s, async_step, NULL, NULL); /* id 0 */
    s.id = 1;
    BAD(AKT_EINVAL, akt_suspension_post, sys, s, NULL, NULL, NULL);
    s.actor.id = UINT64_C(0x7ead) << 32; /* never issued */
    BAD(AKT_ENOTFOUND, akt_suspension_post, sys, s, async_step, NULL, NULL);
    akt_behavior b = tu_behavior(async_receive);
    b.pre_start = async_pre_start;
    akt_pid pid = tu_spawn(sys, &b, NULL, NULL);
    TU_OK(tu_ask(sys, pid, tu_msg("probe", NULL), NULL));
    tu_system_end(sys);
}

/* ---- 8. lifecycle from outside --------------------------------------------------------- */

static void test_lifecycle_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, NULL);
    akt_pid stale = stale_pid(sys);
    akt_pid none = {0};
    akt_future *f = (akt_future *)0x1;
    BAD(AKT_EINVAL, akt_stop, NULL, live);
    BAD(AKT_ENOTFOUND, akt_stop, sys, stale);
    BAD(AKT_ENOTFOUND, akt_stop, sys, none);
    BAD(AKT_EINVAL, akt_poison, NULL, live);
    BAD(AKT_ENOTFOUND, akt_poison, sys, stale);
    BAD(AKT_ENOTFOUND, akt_poison, sys, none);
    BAD(AKT_EINVAL, akt_reinstate, NULL, live);
    BAD(AKT_ENOTFOUND, akt_reinstate, sys, stale);
    BAD(AKT_ENOTFOUND, akt_reinstate, sys, none);
    BAD(AKT_ENOTFOUND, akt_reinstate, sys, (akt_pid){~0ull});
    BAD(0, akt_reinstate, sys, live); /* not suspended: left as it is */
    BAD(AKT_EINVAL, akt_reinstate_named, NULL, "x");
    BAD(AKT_EINVAL, akt_reinstate_named, sys, NULL);
    BAD(AKT_EINVAL, akt_reinstate_named, sys, "");
    BAD(AKT_ENOTFOUND, akt_reinstate_named, sys, "nobody");
    BAD(AKT_ENOTFOUND, akt_reinstate_named, sys, "akt://elsewhere/user/x");
    BAD(AKT_EINVAL, akt_stop_graceful, NULL, live, TU_SEC(1), &f);
    BAD(AKT_EINVAL, akt_stop_graceful, sys, live, TU_SEC(1), NULL);
    BAD(AKT_ENOTFOUND, akt_stop_graceful, sys, stale, TU_SEC(1), &f);
    assert_ptr_equal(f, (akt_future *)0x1);
    assert_int_equal(akt_pid_is_alive(sys, live), 1);
    tu_system_end(sys);
}

/* fault begin: fault tolerance: passivation, breaker, pipe_to, guardian */
static int pipe_fn_unused(void *data, akt_msg **out) {
    (void)data;
    (void)out;
    return AKT_EFAILED;
}

static void test_fault_functions(void **state) {
    (void)state;
    BAD(AKT_EINVAL, akt_breaker_options_init, NULL);
    COVER(akt_breaker_manual_clock);
    assert_int_equal(akt_breaker_manual_clock(NULL), 0);
    int64_t now = 42;
    assert_int_equal(akt_breaker_manual_clock(&now), 42);
    akt_breaker_options o;
    TU_OK(akt_breaker_options_init(&o));
    akt_breaker *b = (akt_breaker *)0x1;
    BAD(AKT_EINVAL, akt_breaker_create, &o, NULL);
    akt_breaker_options x = o;
    x.failure_rate = 0.0;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    assert_null(b);
    x = o;
    x.failure_rate = 1.5;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x = o;
    x.min_requests = 0;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x = o;
    x.open_timeout_ns = 0;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x = o;
    x.window_ns = -1;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x = o;
    x.window_buckets = 0;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x.window_buckets = 65;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x = o;
    x.window_ns = 5; /* fewer nanoseconds than buckets */
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x = o;
    x.half_open_max_calls = 0;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x = o;
    x.size = 4;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    x.size = sizeof x + 8;
    BAD(AKT_EINVAL, akt_breaker_create, &x, &b);
    BAD(AKT_EINVAL, akt_breaker_retain, NULL);
    BAD(AKT_EINVAL, akt_breaker_release, NULL);
    BAD(AKT_EINVAL, akt_breaker_allow, NULL);
    BAD(AKT_EINVAL, akt_breaker_record, NULL, 1);
    int st = 7;
    BAD(AKT_EINVAL, akt_breaker_state, NULL, &st);
    akt_breaker_metrics m = {.size = sizeof m};
    BAD(AKT_EINVAL, akt_breaker_metrics_get, NULL, &m);
    TU_OK(akt_breaker_create(&o, &b));
    BAD(AKT_EINVAL, akt_breaker_state, b, NULL);
    BAD(AKT_EINVAL, akt_breaker_metrics_get, b, NULL);
    m.size = 2;
    BAD(AKT_EINVAL, akt_breaker_metrics_get, b, &m);
    BAD(0, akt_breaker_state, b, &st);
    assert_int_equal(st, AKT_BREAKER_CLOSED);
    TU_OK(akt_breaker_release(b));

    akt_system *sys = tu_system("bad", 1);
    akt_passivation p = {.size = sizeof p, .strategy = AKT_PASSIVATE_IDLE, .idle_ns = 1000};
    akt_pid stale = {12345};
    BAD(AKT_EINVAL, akt_passivation_set, NULL, stale, &p);
    BAD(AKT_EINVAL, akt_passivation_set, sys, stale, NULL);
    BAD(AKT_ENOTFOUND, akt_passivation_set, sys, stale, &p);
    BAD(AKT_EINVAL, akt_system_set_passivation, NULL, &p);
    akt_passivation q = p;
    q.size = 8;
    BAD(AKT_EINVAL, akt_system_set_passivation, sys, &q);
    q = p;
    q.strategy = 3;
    BAD(AKT_EINVAL, akt_system_set_passivation, sys, &q);
    q.strategy = AKT_PASSIVATE_IDLE;
    q.idle_ns = 0;
    BAD(AKT_EINVAL, akt_system_set_passivation, sys, &q);
    q.idle_ns = -5;
    BAD(AKT_EINVAL, akt_system_set_passivation, sys, &q);
    q.idle_ns = INT64_MAX;
    BAD(AKT_EINVAL, akt_system_set_passivation, sys, &q);
    q.strategy = AKT_PASSIVATE_MESSAGES;
    q.messages = 0;
    BAD(AKT_EINVAL, akt_system_set_passivation, sys, &q);
    q.messages = UINT64_MAX;
    BAD(AKT_EINVAL, akt_passivation_set, sys, stale, &q);
    BAD(0, akt_system_set_passivation, sys, NULL);
    BAD(AKT_EINVAL, akt_pipe_options_init, NULL);
    akt_pipe_options po;
    TU_OK(akt_pipe_options_init(&po));
    assert_int_equal(po.size, sizeof po);
    BAD(AKT_EINVAL, akt_ctx_pipe_to, NULL, stale, pipe_fn_unused, NULL, &po);
    BAD(AKT_EINVAL, akt_ctx_pipe_to_name, NULL, "/user/x", pipe_fn_unused, NULL, &po);
    BAD(AKT_EINVAL, akt_ctx_pipe_to_name, (akt_ctx *)0x1, NULL, pipe_fn_unused, NULL, &po);
    BAD(AKT_EINVAL, akt_ctx_pipe_to_name, (akt_ctx *)0x1, "", pipe_fn_unused, NULL, &po);
    po.timeout_ns = -1;
    BAD(AKT_EINVAL, akt_ctx_pipe_to, (akt_ctx *)0x1, stale, pipe_fn_unused, NULL, &po);
    po.timeout_ns = 0;
    BAD(AKT_EINVAL, akt_ctx_pipe_to, (akt_ctx *)0x1, stale, NULL, NULL, &po);
    po.size = 4;
    BAD(AKT_EINVAL, akt_ctx_pipe_to, (akt_ctx *)0x1, stale, pipe_fn_unused, NULL, &po);
    po.size = sizeof po;
    akt_pipe *pp = (akt_pipe *)0x1;
    BAD(AKT_EINVAL, akt_ctx_pipe_start, NULL, stale, NULL, &po, &pp);
    assert_null(pp);
    BAD(AKT_EINVAL, akt_ctx_pipe_start, (akt_ctx *)0x1, stale, NULL, &po, NULL);
    BAD(AKT_EINVAL, akt_ctx_pipe_start, (akt_ctx *)0x1, stale, "", &po, &pp);
    BAD(AKT_EINVAL, akt_pipe_complete, NULL, 0, NULL);
    BAD(AKT_EINVAL, akt_pipe_complete, (akt_pipe *)0x1, 0, NULL);
    BAD(AKT_EINVAL, akt_pipe_complete, (akt_pipe *)0x1, 5, NULL);
    BAD(AKT_EINVAL, akt_system_set_guardian_policy, NULL, AKT_GUARDIAN_SHUTDOWN, NULL, NULL);
    BAD(AKT_EINVAL, akt_system_set_guardian_policy, sys, 9, NULL, NULL);
    BAD(0, akt_system_set_guardian_policy, sys, AKT_GUARDIAN_STOP_ACTOR, NULL, NULL);
    TU_OK(akt_system_retain(sys));
    tu_system_end(sys);
    BAD(AKT_ECLOSED, akt_system_set_guardian_policy, sys, AKT_GUARDIAN_SHUTDOWN, NULL, NULL);
    BAD(AKT_ECLOSED, akt_system_set_passivation, sys, &p);
    TU_OK(akt_system_release(sys));
}
/* fault end */

/* ---- 9/10. dispatchers and events ------------------------------------------------------- */

static void test_dispatcher_and_event_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_dispatcher *d = (akt_dispatcher *)0x1;
    BAD(AKT_EINVAL, akt_dispatcher_create_external, NULL, on_notify, NULL, &d);
    BAD(AKT_EINVAL, akt_dispatcher_create_external, sys, NULL, NULL, &d);
    BAD(AKT_EINVAL, akt_dispatcher_create_external, sys, on_notify, NULL, NULL);
    assert_ptr_equal(d, (akt_dispatcher *)0x1);
    size_t p = 5;
    BAD(AKT_EINVAL, akt_dispatcher_run, NULL, 10, &p);
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d));
    BAD(AKT_EINVAL, akt_dispatcher_run, d, 0, &p);

    akt_subscription *sub = (akt_subscription *)0x1;
    BAD(AKT_EINVAL, akt_subscribe, NULL, AKT_EVENT_ALL, on_event, NULL, &sub);
    BAD(AKT_EINVAL, akt_subscribe, sys, AKT_EVENT_ALL, NULL, NULL, &sub);
    BAD(AKT_EINVAL, akt_subscribe, sys, AKT_EVENT_ALL, on_event, NULL, NULL);
    assert_ptr_equal(sub, (akt_subscription *)0x1);
    BAD(AKT_EINVAL, akt_unsubscribe, NULL);
    tu_system_end_running(sys, d);
}

/* ---- 11. topics ------------------------------------------------------------------------ */

static void on_topic(akt_system *s, const char *topic, akt_msg *m, void *data) {
    (void)s, (void)topic, (void)m, (void)data;
}

static void test_topic_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, "sub");
    akt_pid stale = stale_pid(sys);
    akt_pid none = {AKT_PID_NONE_ID};
    char longname[300];
    memset(longname, 't', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    akt_future *f = (akt_future *)0x1;
    akt_pid out = {7};
    BAD(AKT_EINVAL, akt_topic_subscribe, NULL, "t", live, 0, &f);
    BAD(AKT_EINVAL, akt_topic_subscribe, sys, NULL, live, 0, &f);
    BAD(AKT_EINVAL, akt_topic_subscribe, sys, "", live, 0, &f);
    BAD(AKT_EINVAL, akt_topic_subscribe, sys, longname, live, 0, &f);
    BAD(AKT_EINVAL, akt_topic_subscribe, sys, "t", live, -1, &f);
    BAD(AKT_ENOTFOUND, akt_topic_subscribe, sys, "t", stale, 0, &f);
    BAD(AKT_ENOTFOUND, akt_topic_subscribe, sys, "t", none, 0, &f);
    BAD(AKT_EINVAL, akt_topic_unsubscribe, NULL, "t", live, 0, &f);
    BAD(AKT_EINVAL, akt_topic_unsubscribe, sys, NULL, live, 0, &f);
    BAD(AKT_EINVAL, akt_topic_count, NULL, "t", 0, &f);
    BAD(AKT_EINVAL, akt_topic_count, sys, "t", 0, NULL);
    BAD(AKT_EINVAL, akt_topic_count, sys, "", 0, &f);
    assert_ptr_equal(f, (akt_future *)0x1);
    akt_msg *m = owned();
    BAD(AKT_EINVAL, akt_topic_publish, NULL, "t", m);
    BAD(AKT_EINVAL, akt_topic_publish, sys, NULL, m);
    BAD(AKT_EINVAL, akt_topic_publish, sys, longname, m);
    BAD(AKT_EINVAL, akt_topic_publish, sys, "t", NULL);
    BAD(AKT_EINVAL, akt_topic_subscribe_fn, NULL, "t", on_topic, NULL, NULL, &out);
    BAD(AKT_EINVAL, akt_topic_subscribe_fn, sys, "", on_topic, NULL, NULL, &out);
    BAD(AKT_EINVAL, akt_topic_subscribe_fn, sys, "t", NULL, NULL, NULL, &out);
    BAD(AKT_EINVAL, akt_topic_subscribe_fn, sys, "t", on_topic, NULL, NULL, NULL);
    assert_int_equal(out.id, 7);
    /* The message a failed publish did not take is still the caller's. */
    release_owned(m);
    tu_system_end(sys);
}

/* ---- 11. scheduling -------------------------------------------------------------------- */

static void on_schedule(const akt_schedule_info *info, void *data) {}

static void test_schedule_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, NULL);
    akt_pid stale = stale_pid(sys);
    akt_pid garbage = {(uint64_t)1 << 40 | 77};
    akt_msg *m = owned();
    char ref[AKT_SCHEDULE_REF_MAX + 1];
    akt_schedule_options tiny = {1, "x", {0}};
    akt_schedule_options bad_sender = {sizeof bad_sender, "x", garbage};
    akt_schedule_options empty = {sizeof empty, "", {0}};
    BAD(AKT_EINVAL, akt_schedule_once, NULL, live, m, 0, NULL, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_once, sys, live, NULL, 0, NULL, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_once, sys, live, m, -1, NULL, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_once, sys, live, m, 0, &tiny, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_once, sys, live, m, 0, &bad_sender, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_once, sys, live, m, 0, &empty, NULL, 0);
    BAD(AKT_ERANGE, akt_schedule_once, sys, live, m, 0, NULL, ref, 36);
    BAD(AKT_ENOTFOUND, akt_schedule_once, sys, garbage, m, 0, NULL, NULL, 0);
    BAD(AKT_ENOTFOUND, akt_schedule_once, sys, (akt_pid){0}, m, 0, NULL, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_every, NULL, live, m, 0, 1, NULL, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_every, sys, live, m, 0, 0, NULL, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_every, sys, live, m, 0, -5, NULL, NULL, 0);
    BAD(AKT_EINVAL, akt_schedule_every, sys, live, m, -1, 1, NULL, NULL, 0);
    BAD(AKT_ENOTFOUND, akt_schedule_every, sys, garbage, m, 0, 1, NULL, NULL, 0);
    size_t col = 99;
    BAD(AKT_EINVAL, akt_schedule_cron, NULL, live, m, "* * * * * ?", 0, NULL, NULL, 0, &col);
    BAD(AKT_EINVAL, akt_schedule_cron, sys, live, NULL, "* * * * * ?", 0, NULL, NULL, 0, &col);
    BAD(AKT_EINVAL, akt_schedule_cron, sys, live, m, NULL, 0, NULL, NULL, 0, &col);
    assert_int_equal((int)col, 0);
    BAD(AKT_EINVAL, akt_schedule_cron, sys, live, m, "* * * * * ?", 8, NULL, NULL, 0, &col);
    BAD(AKT_EINVAL, akt_schedule_cron, sys, live, m, "* * 99 * * ?", 0, NULL, NULL, 0, &col);
    assert_int_equal((int)col, 5);
    BAD(AKT_EINVAL, akt_schedule_cron, sys, live, m, "* * * * * ?", 0, &tiny, NULL, 0, NULL);
    BAD(AKT_ERANGE, akt_schedule_cron, sys, live, m, "* * * * * ?", 0, NULL, ref, 36, NULL);
    BAD(AKT_ENOTFOUND, akt_schedule_cron, sys, garbage, m, "* * * * * ?", 0, NULL, NULL, 0, &col);
    BAD(AKT_ENOTFOUND, akt_schedule_cron, sys, live, m, "0 0 0 1 1 ? 1999", 0, NULL, NULL, 0, &col);
    BAD(AKT_EINVAL, akt_schedule_pause, NULL, "x");
    BAD(AKT_EINVAL, akt_schedule_pause, sys, NULL);
    BAD(AKT_ENOTFOUND, akt_schedule_pause, sys, "x");
    BAD(AKT_EINVAL, akt_schedule_resume, NULL, "x");
    BAD(AKT_EINVAL, akt_schedule_resume, sys, NULL);
    BAD(AKT_ENOTFOUND, akt_schedule_resume, sys, "x");
    BAD(AKT_EINVAL, akt_schedule_cancel, NULL, "x");
    BAD(AKT_EINVAL, akt_schedule_cancel, sys, NULL);
    BAD(AKT_ENOTFOUND, akt_schedule_cancel, sys, "x");
    size_t n = 7;
    BAD(AKT_EINVAL, akt_schedule_list, NULL, on_schedule, NULL, &n);
    BAD(AKT_EINVAL, akt_schedule_list, sys, NULL, NULL, &n);
    BAD(0, akt_schedule_list, sys, on_schedule, NULL, &n);
    assert_int_equal((int)n, 0);
    release_owned(m); /* every refusal left it with the caller */
    /* A stale target is accepted (its fire is a dead letter); a stale sender too. */
    akt_schedule_options stale_sender = {sizeof stale_sender, "s", stale};
    TU_OK(akt_schedule_once(sys, stale, tu_msg("t", NULL), TU_SEC(60), &stale_sender, NULL, 0));
    TU_OK(akt_schedule_cancel(sys, "s"));
    tu_system_end(sys);
}

/* ---- 14. grains ------------------------------------------------------------------------ */

static int grain_activate_saving(void *kind_data, const char *name, const akt_behavior **b,
                                 void **state) {
    (void)kind_data, (void)name;
    *b = &saving_behavior;
    *state = NULL;
    return 0;
}

/* users begin: users: testkit, ask accessors */
static int bad_noop_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    (void)ctx, (void)msg, (void)state;
    return 0;
}

static void test_users_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    BAD(AKT_EINVAL, akt_await_started, NULL, (akt_pid){1}, 0);
    BAD(AKT_EINVAL, akt_await_started, sys, (akt_pid){0}, 0);
    BAD(0, akt_await_started, sys, (akt_pid){UINT64_MAX}, 0); /* never issued: nothing to start */
    BAD(AKT_EINVAL, akt_future_target, NULL, &(akt_pid){0}, NULL);
    akt_pid pid = {0};
    const char *type = NULL;
    akt_future *f = NULL;
    akt_behavior b = tu_behavior(bad_noop_receive);
    TU_OK(akt_spawn(sys, &b, NULL, NULL, &pid));
    TU_OK(akt_ask(sys, pid, tu_msg("users.Asked", NULL), TU_SEC(5), &f));
    BAD(AKT_EINVAL, akt_future_target, f, NULL, NULL);
    akt_pid got = {0};
    BAD(0, akt_future_target, f, &got, &type);
    assert_true(got.id == pid.id);
    assert_string_equal(type, "users.Asked");
    TU_OK(akt_future_release(f));
    BAD(AKT_EINVAL, akt_future_target, f, &got, &type); /* released */
    tu_system_end(sys);
}
/* users end */
/* values begin: who reads an actor's messages */
static void test_values_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_receive_fn got = NULL;
    BAD(AKT_EINVAL, akt_pid_receive, NULL, (akt_pid){1}, &got);
    BAD(AKT_EINVAL, akt_pid_receive, sys, (akt_pid){1}, NULL);
    BAD(AKT_ENOTFOUND, akt_pid_receive, sys, (akt_pid){0}, &got);
    BAD(AKT_ENOTFOUND, akt_pid_receive, sys, (akt_pid){UINT64_MAX}, &got);
    akt_behavior b = tu_behavior(bad_noop_receive);
    akt_pid pid = {0};
    TU_OK(akt_spawn(sys, &b, NULL, NULL, &pid));
    BAD(0, akt_pid_receive, sys, pid, &got);
    assert_ptr_equal(got, bad_noop_receive);
    /* The asks that name their reader: NULL reader, then akt_ask's own checks. */
    akt_future *f = NULL, *fs[1] = {NULL};
    akt_msg *m = owned();
    akt_msg *batch[1] = {m};
    BAD(AKT_EINVAL, akt_ask_as, sys, pid, m, TU_SEC(1), NULL, &f);
    BAD(AKT_EINVAL, akt_ask_as, NULL, pid, m, TU_SEC(1), bad_noop_receive, &f);
    BAD(AKT_EINVAL, akt_ask_as, sys, pid, NULL, TU_SEC(1), bad_noop_receive, &f);
    BAD(AKT_EINVAL, akt_ask_as, sys, pid, m, TU_SEC(1), bad_noop_receive, NULL);
    BAD(AKT_EINVAL, akt_ask_as, sys, pid, m, 0, bad_noop_receive, &f);
    BAD(AKT_ENOTFOUND, akt_ask_as, sys, (akt_pid){0}, m, TU_SEC(1), bad_noop_receive, &f);
    /* akt_ask_wait: akt_ask's checks, and *future NULL on every refusal. */
    akt_msg *r = NULL;
    BAD(AKT_EINVAL, akt_ask_wait, sys, pid, m, TU_SEC(1), NULL, -1, NULL, &r);
    BAD(AKT_EINVAL, akt_ask_wait, NULL, pid, m, TU_SEC(1), NULL, -1, &f, &r);
    assert_null(f);
    BAD(AKT_EINVAL, akt_ask_wait, sys, pid, NULL, TU_SEC(1), NULL, -1, &f, &r);
    BAD(AKT_EINVAL, akt_ask_wait, sys, pid, m, 0, bad_noop_receive, -1, &f, &r);
    BAD(AKT_ENOTFOUND, akt_ask_wait, sys, (akt_pid){0}, m, TU_SEC(1), NULL, -1, &f, &r);
    assert_null(f);
    assert_null(r);
    BAD(AKT_EINVAL, akt_ask_batch_as, sys, pid, batch, 1, TU_SEC(1), NULL, fs);
    BAD(AKT_EINVAL, akt_ask_batch_as, NULL, pid, batch, 1, TU_SEC(1), bad_noop_receive, fs);
    BAD(AKT_EINVAL, akt_ask_batch_as, sys, pid, NULL, 1, TU_SEC(1), bad_noop_receive, fs);
    BAD(AKT_EINVAL, akt_ask_batch_as, sys, pid, batch, 0, TU_SEC(1), bad_noop_receive, fs);
    BAD(AKT_EINVAL, akt_ask_batch_as, sys, pid, batch, 1, TU_SEC(1), bad_noop_receive, NULL);
    BAD(AKT_ENOTFOUND, akt_ask_batch_as, sys, (akt_pid){0}, batch, 1, TU_SEC(1), bad_noop_receive,
        fs);
    BAD(AKT_EINVAL, akt_grain_ask_as, sys, "k", "n", m, TU_SEC(1), NULL, NULL, &f);
    BAD(AKT_EINVAL, akt_grain_ask_as, sys, "k", "n", m, TU_SEC(1), NULL, bad_noop_receive, NULL);
    BAD(AKT_EINVAL, akt_grain_ask_as, NULL, "k", "n", m, TU_SEC(1), NULL, bad_noop_receive, &f);
    BAD(AKT_ENOTFOUND, akt_grain_ask_as, sys, "nokind", "n", m, TU_SEC(1), NULL, bad_noop_receive,
        &f);
    assert_null(f);
    int before = atomic_load(&freed);
    akt_msg_release(m); /* every refusal left it to us */
    assert_int_equal(atomic_load(&freed), before + 1);
    akt_receive_fn rd = NULL;
    BAD(AKT_EINVAL, akt_ctx_asker_reader, NULL, &rd);
    tu_system_end(sys);
}
/* values end */
/* local begin: routers/mailboxes/propagation */
static void test_local_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    BAD(AKT_EINVAL, akt_grain_options_init, NULL);
    akt_grain_options o;
    TU_OK(akt_grain_options_init(&o));
    assert_int_equal(o.size, sizeof o);
    assert_true(o.deactivate_after_ns == AKT_GRAIN_FROM_KIND);
    akt_grain_kind def;
    TU_OK(akt_grain_kind_init(&def));
    def.activate = grain_activate_saving;
    TU_OK(akt_grain_kind_register(sys, "k", &def));
    akt_msg *m = owned();
    akt_future *f = (akt_future *)0x1;
    BAD(AKT_EINVAL, akt_grain_tell_with, NULL, "k", "n", m, &o);
    BAD(AKT_EINVAL, akt_grain_tell_with, sys, NULL, "n", m, &o);
    BAD(AKT_EINVAL, akt_grain_tell_with, sys, "k", "", m, &o);
    BAD(AKT_EINVAL, akt_grain_tell_with, sys, "k", "n", NULL, &o);
    BAD(AKT_ENOTFOUND, akt_grain_tell_with, sys, "other", "n", m, NULL);
    BAD(AKT_EINVAL, akt_grain_ask_with, NULL, "k", "n", m, 0, &o, &f);
    BAD(AKT_EINVAL, akt_grain_ask_with, sys, "k", "n", m, -1, &o, &f);
    BAD(AKT_EINVAL, akt_grain_ask_with, sys, "k", "n", m, 0, &o, NULL);
    o.size = 8;
    BAD(AKT_EINVAL, akt_grain_tell_with, sys, "k", "n", m, &o);
    BAD(AKT_EINVAL, akt_grain_ask_with, sys, "k", "n", m, 0, &o, &f);
    TU_OK(akt_grain_options_init(&o));
    o.deactivate_after_ns = -7;
    BAD(AKT_EINVAL, akt_grain_tell_with, sys, "k", "n", m, &o);
    assert_ptr_equal(f, (akt_future *)0x1);
    release_owned(m); /* still the caller's */
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    m = owned();
    BAD(AKT_ECLOSED, akt_grain_tell_with, sys, "k", "n", m, NULL);
    release_owned(m);
    tu_system_end(sys);
}
/* local end */

static void test_grain_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    BAD(AKT_EINVAL, akt_grain_kind_init, NULL);
    akt_grain_kind def;
    TU_OK(akt_grain_kind_init(&def));
    assert_int_equal(def.size, sizeof def);
    assert_true(def.deactivate_after_ns == AKT_GRAIN_DEACTIVATE_AFTER_DEFAULT_NS);
    akt_msg *m = owned();
    /* No kind registered yet. */
    BAD(AKT_ENOTFOUND, akt_grain_tell, sys, "k", "n", m);
    BAD(AKT_EINVAL, akt_grain_kind_register, sys, "k", &def); /* no activate */
    def.activate = grain_activate_saving;
    char longname[1100];
    memset(longname, 'k', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    BAD(AKT_EINVAL, akt_grain_kind_register, NULL, "k", &def);
    BAD(AKT_EINVAL, akt_grain_kind_register, sys, NULL, &def);
    BAD(AKT_EINVAL, akt_grain_kind_register, sys, "", &def);
    BAD(AKT_EINVAL, akt_grain_kind_register, sys, "a/b", &def);
    BAD(AKT_EINVAL, akt_grain_kind_register, sys, longname, &def);
    BAD(AKT_EINVAL, akt_grain_kind_register, sys, "k", NULL);
    def.size = 8;
    BAD(AKT_EINVAL, akt_grain_kind_register, sys, "k", &def);
    def.size = sizeof def;
    def.deactivate_after_ns = -5;
    BAD(AKT_EINVAL, akt_grain_kind_register, sys, "k", &def);
    def.deactivate_after_ns = 0;
    TU_OK(akt_grain_kind_register(sys, "k", &def));
    BAD(AKT_EEXIST, akt_grain_kind_register, sys, "k", &def);
    akt_future *f = (akt_future *)0x1;
    BAD(AKT_EINVAL, akt_grain_tell, NULL, "k", "n", m);
    BAD(AKT_EINVAL, akt_grain_tell, sys, NULL, "n", m);
    BAD(AKT_EINVAL, akt_grain_tell, sys, "k", NULL, m);
    BAD(AKT_EINVAL, akt_grain_tell, sys, "k", "", m);
    BAD(AKT_EINVAL, akt_grain_tell, sys, "k", longname, m);
    BAD(AKT_EINVAL, akt_grain_tell, sys, "k", "n", NULL);
    BAD(AKT_ENOTFOUND, akt_grain_tell, sys, "other", "n", m);
    BAD(AKT_EINVAL, akt_grain_ask, NULL, "k", "n", m, 0, &f);
    BAD(AKT_EINVAL, akt_grain_ask, sys, "k", "n", m, -1, &f);
    BAD(AKT_EINVAL, akt_grain_ask, sys, "k", "n", m, 0, NULL);
    BAD(AKT_EINVAL, akt_grain_ask, sys, "k", "", m, 0, &f);
    BAD(AKT_EINVAL, akt_grain_ask, sys, "k", "n", NULL, 0, &f);
    BAD(AKT_ENOTFOUND, akt_grain_ask, sys, "none", "n", m, 0, &f);
    assert_ptr_equal(f, (akt_future *)0x1);
    /* The message the failed calls did not take is still the caller's. */
    release_owned(m);
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    m = owned();
    BAD(AKT_ECLOSED, akt_grain_tell, sys, "k", "n", m);
    BAD(AKT_ECLOSED, akt_grain_kind_register, sys, "k2", &def);
    release_owned(m);
    tu_system_end(sys);
}

/* ---- cron expressions ------------------------------------------------------------------ */

static void test_cron_functions(void **state) {
    (void)state;
    size_t col = 7;
    BAD(AKT_EINVAL, akt_cron_validate, NULL, &col);
    assert_int_equal(col, 0);
    BAD(AKT_EINVAL, akt_cron_validate, NULL, NULL);
    BAD(AKT_EINVAL, akt_cron_validate, "", &col);
    assert_int_equal(col, 1);
    BAD(AKT_EINVAL, akt_cron_validate, "\xff\xfe * * * * ?", &col);
    assert_int_equal(col, 1);
    BAD(AKT_EINVAL, akt_cron_validate, "* * * * * ? 99999999999999999999", &col);
    assert_int_equal(col, 13);
    int64_t next = 42;
    BAD(AKT_EINVAL, akt_cron_next_after, NULL, 0, 0, &next, &col);
    BAD(AKT_EINVAL, akt_cron_next_after, "* * * * * ?", 0, 0, NULL, &col);
    BAD(AKT_EINVAL, akt_cron_next_after, "* * * * * ?", 0x80u, 0, &next, &col);
    assert_int_equal(col, 0);
    BAD(AKT_EINVAL, akt_cron_next_after, "* * * * ? ?", AKT_CRON_UTC, 0, &next, NULL);
    assert_int_equal(next, 42); /* untouched on failure */
    BAD(AKT_ENOTFOUND, akt_cron_next_after, "* * * * * ?", AKT_CRON_UTC, INT64_MAX, &next, &col);
    BAD(AKT_ENOTFOUND, akt_cron_next_after, "0 0 0 30 2 ?", AKT_CRON_UTC, 0, &next, &col);
    assert_int_equal(next, 42);
}

/* ---- a system after shutdown ------------------------------------------------------------- */

static void test_system_after_shutdown(void **state) {
    (void)state;
    akt_system *sys = tu_system("closed", 1);
    akt_pid was_live = tu_spawn(sys, &saving_behavior, NULL, "was");
    akt_dispatcher *d = NULL;
    TU_OK(akt_dispatcher_create_external(sys, on_notify, NULL, &d));
    TU_OK(akt_system_shutdown(sys, NULL, NULL));
    /* Runs the external dispatcher until the shutdown completed. */
    int64_t dl = tu_now_ns() + TU_DEADLINE_NS;
    while (akt_system_wait(sys, TU_MS(1)) == AKT_ETIMEDOUT) {
        akt_dispatcher_run(d, 100, NULL);
        if (tu_now_ns() > dl) fail_msg("shutdown did not complete");
    }

    akt_msg *m = owned();
    akt_msg *batch[1] = {m};
    akt_future *f = (akt_future *)0x1;
    akt_future *fs[1] = {(akt_future *)0x1};
    akt_pid out = {0};
    akt_subscription *sub = (akt_subscription *)0x1;
    akt_dispatcher *d2 = (akt_dispatcher *)0x1;
    BAD(AKT_ECLOSED, akt_system_shutdown, sys, NULL, NULL);
    BAD(AKT_ECLOSED, akt_spawn, sys, &saving_behavior, NULL, NULL, &out);
    BAD(AKT_ECLOSED, akt_tell, sys, was_live, m);
    BAD(AKT_ECLOSED, akt_tell_batch, sys, was_live, batch, 1);
    BAD(AKT_ECLOSED, akt_ask, sys, was_live, m, TU_SEC(1), &f);
    BAD(AKT_ECLOSED, akt_ask_batch, sys, was_live, batch, 1, TU_SEC(1), fs);
    BAD(AKT_ECLOSED, akt_stop, sys, was_live);
    BAD(AKT_ECLOSED, akt_poison, sys, was_live);
    BAD(AKT_ECLOSED, akt_reinstate, sys, was_live);
    BAD(AKT_ECLOSED, akt_stop_graceful, sys, was_live, TU_SEC(1), &f);
    BAD(AKT_ECLOSED, akt_subscribe, sys, AKT_EVENT_ALL, on_event, NULL, &sub);
    BAD(AKT_ECLOSED, akt_dispatcher_create_external, sys, on_notify, NULL, &d2);
    BAD(AKT_ECLOSED, akt_topic_subscribe, sys, "t", was_live, 0, &f);
    BAD(AKT_ECLOSED, akt_topic_unsubscribe, sys, "t", was_live, 0, &f);
    BAD(AKT_ECLOSED, akt_topic_publish, sys, "t", m);
    BAD(AKT_ECLOSED, akt_topic_count, sys, "t", 0, &f);
    BAD(AKT_ECLOSED, akt_topic_subscribe_fn, sys, "t", on_topic, NULL, NULL, &out);
    BAD(AKT_ECLOSED, akt_schedule_once, sys, was_live, m, 0, NULL, NULL, 0);
    BAD(AKT_ECLOSED, akt_schedule_every, sys, was_live, m, 0, 1, NULL, NULL, 0);
    BAD(AKT_ENOTFOUND, akt_schedule_cancel, sys, "x");
    assert_ptr_equal(f, (akt_future *)0x1);
    assert_ptr_equal(fs[0], (akt_future *)0x1);
    assert_ptr_equal(sub, (akt_subscription *)0x1);
    assert_ptr_equal(d2, (akt_dispatcher *)0x1);
    release_owned(m);

    /* Queries: nothing is alive any more; either answer is honest. */
    int rc = akt_lookup(sys, "was", &out);
    if (rc != AKT_ECLOSED && rc != AKT_ENOTFOUND)
        fail_msg("akt_lookup after shutdown: %s", akt_err_name(rc));
    char buf[64];
    rc = akt_pid_path(sys, was_live, buf, sizeof buf, NULL);
    if (rc != AKT_ECLOSED && rc != AKT_ENOTFOUND)
        fail_msg("akt_pid_path after shutdown: %s", akt_err_name(rc));
    rc = akt_dispatcher_run(d, 10, NULL);
    if (rc != AKT_ECLOSED && rc != 0)
        fail_msg("akt_dispatcher_run after shutdown: %s", akt_err_name(rc));
    assert_int_equal(akt_pid_is_alive(sys, was_live), 0);
    BAD(0, akt_system_wait, sys, 0);
    assert_string_equal(akt_system_name(sys), "closed");
    BAD(0, akt_system_retain, sys);
    BAD(0, akt_system_release, sys);
    BAD(0, akt_system_release, sys);
}

/* ---- 11. routers ---------------------------------------------------------------------- */

static void test_router_functions(void **state) {
    (void)state;
    akt_system *sys = tu_system("bad", 1);
    akt_pid live = tu_spawn(sys, &saving_behavior, NULL, NULL);
    akt_pid stale = stale_pid(sys), none = {0}, out = {1};
    BAD(AKT_EINVAL, akt_router_options_init, NULL);
    akt_router_options o;
    BAD(0, akt_router_options_init, &o);
    o.routees = &live;
    o.routee_count = 1;
    BAD(AKT_EINVAL, akt_router_spawn, NULL, NULL, "r", &o, &out);
    BAD(AKT_EINVAL, akt_router_spawn, sys, NULL, "r", NULL, &out);
    BAD(AKT_EINVAL, akt_router_spawn, sys, NULL, "r", &o, NULL);
    akt_router_options small = o;
    small.size = sizeof(size_t);
    BAD(AKT_EINVAL, akt_router_spawn, sys, NULL, "r", &small, &out);
    akt_router_options zero = o;
    zero.routee_count = 0; /* a zero-size group, and no pool */
    BAD(AKT_EINVAL, akt_router_spawn, sys, NULL, "r", &zero, &out);
    akt_router_options nopids = o;
    nopids.routees = NULL;
    BAD(AKT_EINVAL, akt_router_spawn, sys, NULL, "r", &nopids, &out);
    akt_router_options nobeh = o;
    nobeh.routee_count = 0;
    nobeh.pool_size = 2;
    BAD(AKT_EINVAL, akt_router_spawn, sys, NULL, "r", &nobeh, &out);
    BAD(AKT_EMISUSE, akt_router_spawn, sys, (akt_ctx *)0x1, "r", &o, &out);
    assert_int_equal(out.id, 1);
    akt_pid router;
    BAD(0, akt_router_spawn, sys, NULL, "r", &o, &router);

    akt_msg *m = owned();
    BAD(AKT_EINVAL, akt_router_broadcast, NULL, router, m);
    BAD(AKT_EINVAL, akt_router_broadcast, sys, router, NULL);
    BAD(AKT_ENOTFOUND, akt_router_broadcast, sys, stale, m);
    BAD(AKT_ENOTFOUND, akt_router_broadcast, sys, none, m);
    release_owned(m);

    size_t n = 7;
    akt_pid pids[2];
    BAD(AKT_EINVAL, akt_router_resize, NULL, router, 2);
    BAD(AKT_EINVAL, akt_router_resize, sys, router, 0);
    BAD(AKT_EINVAL, akt_router_resize, sys, router, (size_t)1 << 20);
    BAD(AKT_ENOTFOUND, akt_router_resize, sys, stale, 2);
    BAD(AKT_ENOTSUP, akt_router_resize, sys, router, 2); /* a group router */
    BAD(AKT_EINVAL, akt_router_routees, NULL, router, pids, 2, &n);
    BAD(AKT_EINVAL, akt_router_routees, sys, router, pids, 2, NULL);
    BAD(AKT_EINVAL, akt_router_routees, sys, router, NULL, 2, &n);
    BAD(AKT_ENOTFOUND, akt_router_routees, sys, stale, pids, 2, &n);
    BAD(AKT_ENOTFOUND, akt_router_routees, sys, none, pids, 2, &n);
    assert_int_equal(n, 7);
    BAD(0, akt_router_routees, sys, router, pids, 2, &n);
    assert_int_equal(n, 1);
    assert_int_equal(pids[0].id, live.id);
    tu_system_end(sys);
}

/* ---- remoting (akt/remote.h) ------------------------------------------------------- */

static void test_remote_functions(void **state) {
    (void)state;
    akt_remote_options o;
    BAD(AKT_EINVAL, akt_remote_options_init, NULL);
    BAD(0, akt_remote_options_init, &o);
    assert_int_equal(o.size, sizeof o);
    akt_pid pid = {0x1234};
    char buf[128];
    BAD(AKT_EINVAL, akt_remote_start, NULL, &o);
    BAD(AKT_EINVAL, akt_remote_address, NULL, buf, sizeof buf, NULL);
    BAD(AKT_EINVAL, akt_remote_lookup, NULL, "akt://a@127.0.0.1:1/user/x", &pid);
    akt_system *sys = tu_system("rbad", 1);
    /* Not started: nothing to name or reach. */
    BAD(AKT_ENOTFOUND, akt_remote_address, sys, buf, sizeof buf, NULL);
    BAD(AKT_ENOTFOUND, akt_remote_lookup, sys, "akt://a@127.0.0.1:1/user/x", &pid);
    akt_remote_options bad = o;
    bad.size = 1;
    BAD(AKT_EINVAL, akt_remote_start, sys, &bad);
    bad = o;
    bad.host = "not-an-address";
    BAD(AKT_EINVAL, akt_remote_start, sys, &bad);
    bad.host = "127.0.0.1";
    bad.max_frame_bytes = 8;
    BAD(AKT_EINVAL, akt_remote_start, sys, &bad);
    bad.max_frame_bytes = 0;
    bad.connect_timeout_ns = -1;
    BAD(AKT_EINVAL, akt_remote_start, sys, &bad);
    bad.connect_timeout_ns = 0;
    bad.heartbeat_interval_ns = 3601ll * 1000000000ll;
    BAD(AKT_EINVAL, akt_remote_start, sys, &bad);
    bad.heartbeat_interval_ns = 0;
    bad.heartbeat_misses = 1001;
    BAD(AKT_EINVAL, akt_remote_start, sys, &bad);
    BAD(0, akt_remote_start, sys, NULL);
    BAD(AKT_EEXIST, akt_remote_start, sys, NULL);
    BAD(AKT_EINVAL, akt_remote_address, sys, NULL, 10, NULL);
    BAD(AKT_EINVAL, akt_remote_address, sys, buf, 0, NULL);
    size_t need = 0;
    BAD(AKT_ERANGE, akt_remote_address, sys, buf, 4, &need);
    assert_true(need > 20);
    BAD(0, akt_remote_address, sys, buf, sizeof buf, NULL);
    assert_int_equal(strncmp(buf, "akt://rbad@127.0.0.1:", 21), 0);
    BAD(AKT_EINVAL, akt_remote_lookup, sys, NULL, &pid);
    BAD(AKT_EINVAL, akt_remote_lookup, sys, "akt://a@127.0.0.1:1/user/x", NULL);
    static const char *const malformed[] = {
        "",
        "akt://",
        "akt://a",
        "akt://a@",
        "akt://@127.0.0.1:1/user/x",
        "akt://a@127.0.0.1/user/x",
        "akt://a@127.0.0.1:0/user/x",
        "akt://a@127.0.0.1:70000/user/x",
        "akt://a@127.0.0.1:1",
        "akt://a@127.0.0.1:1/",
        "akt://a@127.0.0.1:1/user/",
        "akt://a@127.0.0.1:1/system/x",
        "akt://a@host.example:1/user/x",
        "akt://a b@127.0.0.1:1/user/x",
        "http://a@127.0.0.1:1/user/x",
        "akt://a@127.0.0.1:1x/user/x",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        pid.id = 0x1234;
        int rc = akt_remote_lookup(sys, malformed[i], &pid);
        if (rc != AKT_EINVAL) fail_msg("lookup of '%s': %s", malformed[i], akt_err_name(rc));
        assert_int_equal(pid.id, 0x1234);
    }
    /* This node's own address without such an actor: not found, locally. */
    char own[200];
    snprintf(own, sizeof own, "%s/user/nobody", buf);
    BAD(AKT_ENOTFOUND, akt_remote_lookup, sys, own, &pid);
    TU_OK(akt_system_retain(sys)); /* kept past the end for the call below */
    tu_system_end(sys);
    BAD(AKT_ECLOSED, akt_remote_start, sys, NULL);
    TU_OK(akt_system_release(sys));
}

/* TLS options and the TLS failure record (tls). Files that do not exist: refused before
 * anything is bound. */
static void test_remote_tls_functions(void **state) {
    (void)state;
    uint64_t n = 9;
    char buf[64];
    BAD(AKT_EINVAL, akt_remote_tls_failures, NULL, &n, buf, sizeof buf, NULL);
    akt_system *sys = tu_system("rtls", 1);
    BAD(AKT_ENOTFOUND, akt_remote_tls_failures, sys, &n, buf, sizeof buf, NULL);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.tls_key_file = "/nonexistent/key.pem"; /* a key without a certificate */
    BAD(AKT_EINVAL, akt_remote_start, sys, &o);
    o.tls_key_file = NULL;
    o.tls_require_client_cert = 1; /* mTLS without TLS */
    BAD(AKT_EINVAL, akt_remote_start, sys, &o);
    o.tls_require_client_cert = 0;
    o.tls_cert_file = "/nonexistent/cert.pem";
    BAD(AKT_EINVAL, akt_remote_start, sys, &o); /* no key */
    o.tls_key_file = "/nonexistent/key.pem";
    BAD(AKT_EINVAL, akt_remote_start, sys, &o); /* no such files */
    o.tls_cert_file = o.tls_key_file = NULL;
    BAD(0, akt_remote_start, sys, &o);
    BAD(AKT_EINVAL, akt_remote_tls_failures, sys, &n, NULL, 4, NULL);
    size_t need = 7;
    BAD(0, akt_remote_tls_failures, sys, &n, buf, sizeof buf, &need);
    assert_int_equal(n, 0);
    assert_int_equal(need, 0);
    BAD(0, akt_remote_tls_failures, sys, NULL, NULL, 0, NULL);
    tu_system_end(sys);
}
/* Compression options (tls: compression): an unknown method is refused before anything is
 * bound; every known one starts. */
static void test_remote_compress_options(void **state) {
    (void)state;
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    assert_int_equal(o.compression, AKT_REMOTE_COMPRESS_NONE);
    akt_system *sys = tu_system("rcmp", 1);
    o.compression = AKT_REMOTE_COMPRESS_BROTLI + 1;
    BAD(AKT_EINVAL, akt_remote_start, sys, &o);
    o.compression = -1;
    BAD(AKT_EINVAL, akt_remote_start, sys, &o);
    o.compression = AKT_REMOTE_COMPRESS_GZIP;
    o.compress_min_bytes = 1;
    BAD(0, akt_remote_start, sys, &o);
    tu_system_end(sys);
}
/* remote2 begin: remote spawn, flow-control options */
static void test_remote2_functions(void **state) {
    (void)state;
    akt_pid pid = {0x1234};
    const char *node = "akt://x@127.0.0.1:1";
    BAD(AKT_EINVAL, akt_remote_spawn, NULL, node, "k", "n", TU_SEC(1), &pid);
    akt_system *sys = tu_system("r2bad", 1);
    BAD(AKT_ENOTFOUND, akt_remote_spawn, sys, node, "k", "n", TU_SEC(1), &pid);
    akt_remote_options o;
    TU_OK(akt_remote_options_init(&o));
    o.send_window = (1u << 24) + 1;
    BAD(AKT_EINVAL, akt_remote_start, sys, &o);
    o.send_window = 16;
    TU_OK(akt_remote_start(sys, &o));
    BAD(AKT_EINVAL, akt_remote_spawn, sys, NULL, "k", "n", TU_SEC(1), &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, NULL, "n", TU_SEC(1), &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "k", NULL, TU_SEC(1), &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "k", "n", TU_SEC(1), NULL);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "k", "n", 0, &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "k", "n", -1, &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "", "n", TU_SEC(1), &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "k/j", "n", TU_SEC(1), &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "k", "", TU_SEC(1), &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "k", "a/b", TU_SEC(1), &pid);
    BAD(AKT_EINVAL, akt_remote_spawn, sys, node, "k", "$x", TU_SEC(1), &pid);
    static const char *const malformed[] = {
        "",
        "akt://",
        "akt://x",
        "akt://x@",
        "akt://@127.0.0.1:1",
        "akt://x@127.0.0.1",
        "akt://x@127.0.0.1:0",
        "akt://x@127.0.0.1:70000",
        "akt://x@127.0.0.1:1/user/a",
        "akt://x@host.example:1",
        "akt://a b@127.0.0.1:1",
        "http://x@127.0.0.1:1",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        int rc = akt_remote_spawn(sys, malformed[i], "k", "n", TU_SEC(1), &pid);
        if (rc != AKT_EINVAL) fail_msg("spawn at '%s': %s", malformed[i], akt_err_name(rc));
        assert_int_equal(pid.id, 0x1234);
    }
    /* Nobody listens there: unreachable, not a crash nor a hang. */
    BAD(AKT_EUNREACHABLE, akt_remote_spawn, sys, node, "k", "n", TU_SEC(10), &pid);
    /* With options: the same checks, and the options' own. */
    BAD(AKT_EINVAL, akt_remote_spawn_options_init, NULL);
    akt_remote_spawn_options so;
    TU_OK(akt_remote_spawn_options_init(&so));
    BAD(AKT_EINVAL, akt_remote_spawn_with, NULL, node, "k", "n", &so, &pid);
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, NULL, "k", "n", &so, &pid);
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, node, NULL, "n", &so, &pid);
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, node, "k", "$x", &so, &pid);
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, node, "k", "n", &so, NULL);
    so.timeout_ns = -1;
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, node, "k", "n", &so, &pid);
    TU_OK(akt_remote_spawn_options_init(&so));
    so.size = 1;
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, node, "k", "n", &so, &pid);
    TU_OK(akt_remote_spawn_options_init(&so));
    akt_supervisor badsup = {.size = sizeof badsup, .strategy = 77};
    so.supervisor = &badsup;
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, node, "k", "n", &so, &pid);
    TU_OK(akt_remote_spawn_options_init(&so));
    akt_mailbox_spec tinymb = {.size = 1};
    so.mailbox = &tinymb;
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, node, "k", "n", &so, &pid);
    TU_OK(akt_remote_spawn_options_init(&so));
    akt_passivation badpv = {.size = sizeof badpv, .strategy = 9};
    so.passivation = &badpv;
    BAD(AKT_EINVAL, akt_remote_spawn_with, sys, node, "k", "n", &so, &pid);
    TU_OK(akt_remote_spawn_options_init(&so));
    so.timeout_ns = TU_SEC(10);
    BAD(AKT_EUNREACHABLE, akt_remote_spawn_with, sys, node, "k", "n", &so, &pid);
    tu_system_end(sys);
}
/* remote2 end */
/* ---- serializers (akt/remote.h, serial) ------------------------------------------------- */

static int ser_encode(akt_msg *msg, void *data, void **bytes, size_t *len, akt_free_fn *free_fn) {
    (void)msg, (void)data, (void)bytes, (void)len, (void)free_fn;
    return AKT_ENOTSUP;
}

static int ser_decode(const char *type, const void *bytes, size_t len, void *data, akt_msg **out) {
    (void)type, (void)bytes, (void)len, (void)data, (void)out;
    return AKT_ENOTSUP;
}

static void test_serializer_functions(void **state) {
    (void)state;
    akt_serializer ok = {
        .size = sizeof ok, .name = "mine", .encode = ser_encode, .decode = ser_decode};
    akt_system *sys = tu_system("sbad", 1);
    const char *name = "x";
    BAD(AKT_EINVAL, akt_serializer_register, NULL, &ok);
    BAD(AKT_EINVAL, akt_serializer_register, sys, NULL);
    akt_serializer bad = ok;
    bad.size = 4;
    BAD(AKT_EINVAL, akt_serializer_register, sys, &bad);
    bad = ok;
    bad.name = NULL;
    BAD(AKT_EINVAL, akt_serializer_register, sys, &bad);
    bad.name = "bad name";
    BAD(AKT_EINVAL, akt_serializer_register, sys, &bad);
    bad = ok;
    bad.decode = NULL;
    BAD(AKT_EINVAL, akt_serializer_register, sys, &bad);
    BAD(0, akt_serializer_register, sys, &ok);
    BAD(AKT_EEXIST, akt_serializer_register, sys, &ok);
    bad = ok;
    bad.name = AKT_SERIALIZER_CBOR;
    BAD(AKT_EEXIST, akt_serializer_register, sys, &bad);
    char longtype[300];
    memset(longtype, 't', sizeof longtype - 1);
    longtype[sizeof longtype - 1] = 0;
    BAD(AKT_EINVAL, akt_serializer_bind, NULL, "t", "mine");
    BAD(AKT_EINVAL, akt_serializer_bind, sys, "", "mine");
    BAD(AKT_EINVAL, akt_serializer_bind, sys, longtype, "mine");
    BAD(AKT_EINVAL, akt_serializer_bind, sys, "t", "");
    BAD(AKT_ENOTFOUND, akt_serializer_bind, sys, "t", "nobody");
    BAD(0, akt_serializer_bind, sys, "t", "mine");
    BAD(AKT_EINVAL, akt_serializer_for, NULL, "t", &name);
    BAD(AKT_EINVAL, akt_serializer_for, sys, NULL, &name);
    BAD(AKT_EINVAL, akt_serializer_for, sys, "t", NULL);
    BAD(AKT_EINVAL, akt_serializer_for, sys, longtype, &name);
    BAD(0, akt_serializer_for, sys, "t", &name);
    assert_string_equal(name, "mine");
    struct {
        uint32_t magic;
    } not_a_descriptor = {0};
    BAD(AKT_EINVAL, akt_serializer_protobuf, NULL, (const void *)&not_a_descriptor);
    BAD(AKT_EINVAL, akt_serializer_protobuf, sys, NULL);
    BAD(AKT_EINVAL, akt_serializer_protobuf, sys, (const void *)&not_a_descriptor);
    akt_msg *m = NULL;
    struct {
        const void *descriptor;
    } not_a_message = {&not_a_descriptor};
    BAD(AKT_EINVAL, akt_msg_new_protobuf, NULL, &m);
    BAD(AKT_EINVAL, akt_msg_new_protobuf, (const void *)&not_a_message, &m);
    TU_OK(akt_msg_new_bytes("t", "x", 1, AKT_COPY, &m));
    struct ProtobufCMessage *out = NULL;
    BAD(AKT_EINVAL, akt_msg_protobuf, NULL, (const void *)&not_a_descriptor, &out);
    BAD(AKT_EINVAL, akt_msg_protobuf, m, NULL, &out);
    BAD(AKT_EINVAL, akt_msg_protobuf, m, (const void *)&not_a_descriptor, &out);
    akt_msg_release(m);
    TU_OK(akt_system_retain(sys)); /* kept past the end for the calls below */
    tu_system_end(sys);
    BAD(AKT_ECLOSED, akt_serializer_register, sys,
        &(akt_serializer){
            .size = sizeof ok, .name = "late", .encode = ser_encode, .decode = ser_decode});
    BAD(AKT_ECLOSED, akt_serializer_bind, sys, "t", NULL);
    TU_OK(akt_system_release(sys));
}

/* ---- telemetry (akt/telemetry.h) ------------------------------------------------------ */

static int on_actor_metrics(const akt_actor_metrics *m, const char *path, void *data) {
    (void)m;
    (void)path;
    ++*(int *)data;
    return 0;
}
static int on_point(const akt_metric_point *p, void *data) {
    (void)p;
    ++*(int *)data;
    return 0;
}

static void test_telemetry_functions(void **state) {
    (void)state;
    akt_system_metrics sm = {.size = sizeof sm};
    akt_actor_metrics am = {.size = sizeof am};
    akt_pid bogus = {0x1234};
    int n = 0;
    BAD(AKT_EINVAL, akt_metrics_system, NULL, &sm);
    BAD(AKT_EINVAL, akt_metrics_actor, NULL, bogus, &am);
    BAD(AKT_EINVAL, akt_metrics_foreach, NULL, on_actor_metrics, &n);
    BAD(AKT_EINVAL, akt_metrics_collect, NULL, on_point, &n);
    BAD(AKT_EINVAL, akt_metrics_set_low_cardinality, NULL, 1);
    akt_system *sys = tu_system("mbad", 1);
    BAD(AKT_EINVAL, akt_metrics_system, sys, NULL);
    BAD(AKT_EINVAL, akt_metrics_actor, sys, bogus, NULL);
    BAD(AKT_EINVAL, akt_metrics_foreach, sys, NULL, &n);
    BAD(AKT_EINVAL, akt_metrics_collect, sys, NULL, &n);
    akt_system_metrics small = {.size = 1};
    BAD(AKT_EINVAL, akt_metrics_system, sys, &small);
    akt_actor_metrics tiny = {.size = 1};
    BAD(AKT_EINVAL, akt_metrics_actor, sys, bogus, &tiny);
    /* A pid akt never issued, the zero pid, a bit-63 pid: not found, *out untouched. */
    am.processed = 77;
    BAD(AKT_ENOTFOUND, akt_metrics_actor, sys, bogus, &am);
    BAD(AKT_ENOTFOUND, akt_metrics_actor, sys, (akt_pid){0}, &am);
    BAD(AKT_ENOTFOUND, akt_metrics_actor, sys, (akt_pid){UINT64_MAX}, &am);
    assert_int_equal(am.processed, 77);
    /* A stale pid. */
    akt_behavior b = tu_behavior(saving_receive);
    akt_pid p = tu_spawn(sys, &b, NULL, "gone");
    BAD(0, akt_metrics_actor, sys, p, &am);
    assert_int_equal(am.pid.id, p.id);
    tu_stop_wait(sys, p);
    BAD(AKT_ENOTFOUND, akt_metrics_actor, sys, p, &am);
    BAD(AKT_ENOTFOUND, akt_metrics_actor, sys, stale_pid(sys), &am);
    /* A smaller (older) struct is filled up to its size only. */
    struct {
        size_t size;
        uint64_t alive;
        uint64_t untouched;
    } older = {sizeof(size_t) + sizeof(uint64_t), 99, 42};
    BAD(0, akt_metrics_system, sys, (akt_system_metrics *)&older);
    assert_int_equal(older.untouched, 42);
    BAD(0, akt_metrics_set_low_cardinality, sys, 7);
    BAD(0, akt_metrics_collect, sys, on_point, &n);
    BAD(0, akt_metrics_foreach, sys, on_actor_metrics, &n);
    TU_OK(akt_system_retain(sys));
    tu_system_end(sys);
    /* After shutdown: the counters stay readable, no actor is left. */
    BAD(0, akt_metrics_system, sys, &sm);
    assert_int_equal(sm.actors_alive, 0);
    n = 0;
    BAD(0, akt_metrics_foreach, sys, on_actor_metrics, &n);
    assert_int_equal(n, 0);
    TU_OK(akt_system_release(sys));
}

/* streams begin: streams (akt/stream.h) */
static int bi_map(akt_msg *in, akt_msg **out, void *data) {
    (void)data;
    akt_msg_retain(in);
    *out = in;
    return 0;
}
static int bi_filter(akt_msg *in, int *keep, void *data) {
    (void)in, (void)data;
    *keep = 1;
    return 0;
}
static int bi_flat(akt_msg *in, akt_stream_emit_fn emit, void *ectx, void *data) {
    (void)data;
    akt_msg_retain(in);
    return emit(ectx, in);
}
static int bi_fold(akt_msg *acc, akt_msg *in, akt_msg **out, void *data) {
    (void)acc, (void)data;
    akt_msg_retain(in);
    *out = in;
    return 0;
}
static int bi_unfold(void *data, akt_msg **out) {
    (void)data;
    *out = NULL;
    return 0;
}
static int bi_each(akt_msg *in, void *data) {
    (void)in, (void)data;
    return 0;
}

static void test_stream_functions(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    akt_msg *m = tu_msg("t.S", "x");
    akt_msg *reserved = tu_msg("akt.stream.Request", "");
    size_t n = 0;
    const char *why = NULL;
    akt_stream_stage_metrics sm = {.size = sizeof sm};
    /* NULL handles and out-pointers */
    BAD(AKT_EINVAL, akt_stream_graph_new, NULL);
    BAD(AKT_EINVAL, akt_stream_graph_free, NULL);
    BAD(AKT_EINVAL, akt_stream_graph_set_buffer, NULL, 4);
    BAD(AKT_EINVAL, akt_stream_graph_set_fusion, NULL, 1);
    BAD(AKT_EINVAL, akt_stream_graph_set_data_hooks, NULL, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_graph_set_dispatcher, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_on_complete, NULL, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_source_values, NULL, &m, 1);
    BAD(AKT_EINVAL, akt_stream_source_range, NULL, 0, 1, 1);
    BAD(AKT_EINVAL, akt_stream_source_unfold, NULL, bi_unfold, NULL);
    BAD(AKT_EINVAL, akt_stream_map, NULL, bi_map, NULL);
    BAD(AKT_EINVAL, akt_stream_filter, NULL, bi_filter, NULL);
    BAD(AKT_EINVAL, akt_stream_flat_map, NULL, bi_flat, NULL);
    BAD(AKT_EINVAL, akt_stream_scan, NULL, m, bi_fold, NULL);
    BAD(AKT_EINVAL, akt_stream_dedup, NULL);
    BAD(AKT_EINVAL, akt_stream_buffer, NULL, 4, AKT_STREAM_BACKPRESSURE);
    BAD(AKT_EINVAL, akt_stream_throttle, NULL, 1, 1000000);
    BAD(AKT_EINVAL, akt_stream_sink_for_each, NULL, bi_each, NULL);
    BAD(AKT_EINVAL, akt_stream_sink_collect, NULL);
    BAD(AKT_EINVAL, akt_stream_sink_fold, NULL, m, bi_fold, NULL);
    BAD(AKT_EINVAL, akt_stream_sink_first, NULL);
    BAD(AKT_EINVAL, akt_stream_sink_ignore, NULL);
    BAD(AKT_EINVAL, akt_stream_stage_name, NULL, "x");
    BAD(AKT_EINVAL, akt_stream_stage_on_error, NULL, AKT_STREAM_ON_ERROR_FAIL, 0);
    BAD(AKT_EINVAL, akt_stream_run, NULL, NULL, &s);
    BAD(AKT_EINVAL, akt_stream_wait, NULL, 0);
    BAD(AKT_EINVAL, akt_stream_reason, NULL, &why);
    BAD(AKT_EINVAL, akt_stream_cancel, NULL);
    BAD(AKT_EINVAL, akt_stream_drain, NULL);
    BAD(AKT_EINVAL, akt_stream_result_count, NULL, &n);
    BAD(AKT_EINVAL, akt_stream_result_at, NULL, 0, &m);
    BAD(AKT_EINVAL, akt_stream_stage_count, NULL, &n);
    BAD(AKT_EINVAL, akt_stream_metrics, NULL, 0, &sm);
    BAD(AKT_EINVAL, akt_stream_actor_count, NULL, &n);
    BAD(AKT_EINVAL, akt_stream_release, NULL);

    /* A graph: bad arguments, then the wrong order. */
    TU_OK(akt_stream_graph_new(&g));
    BAD(AKT_EINVAL, akt_stream_graph_set_buffer, g, 0);
    BAD(AKT_EINVAL, akt_stream_graph_set_buffer, g, 65537);
    BAD(AKT_EINVAL, akt_stream_graph_set_fusion, g, 2);
    BAD(AKT_EMISUSE, akt_stream_map, g, bi_map, NULL); /* before a source */
    BAD(AKT_EMISUSE, akt_stream_stage_name, g, "x");   /* no stage yet */
    BAD(AKT_EINVAL, akt_stream_source_values, g, NULL, 1);
    BAD(AKT_EINVAL, akt_stream_source_values, g, &reserved, 1); /* a protocol type */
    BAD(AKT_EINVAL, akt_stream_source_range, g, 0, 10, 0);
    BAD(AKT_EINVAL, akt_stream_source_unfold, g, NULL, NULL);
    TU_OK(akt_stream_source_values(g, &m, 1));
    BAD(AKT_EMISUSE, akt_stream_source_range, g, 0, 1, 1); /* a second source */
    BAD(AKT_EINVAL, akt_stream_map, g, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_filter, g, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_flat_map, g, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_scan, g, NULL, bi_fold, NULL);
    BAD(AKT_EINVAL, akt_stream_scan, g, m, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_buffer, g, 0, AKT_STREAM_BACKPRESSURE);
    BAD(AKT_EINVAL, akt_stream_buffer, g, 4, 9);
    BAD(AKT_EINVAL, akt_stream_throttle, g, 0, 1000000);
    BAD(AKT_EINVAL, akt_stream_throttle, g, 1, 0);
    BAD(AKT_EINVAL, akt_stream_sink_for_each, g, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_sink_fold, g, NULL, bi_fold, NULL);
    BAD(AKT_EINVAL, akt_stream_stage_name, g, "");
    BAD(AKT_EINVAL, akt_stream_stage_name, g, "a-name-that-is-longer-than-31-bytes");
    BAD(AKT_EINVAL, akt_stream_stage_on_error, g, 7, 0);
    BAD(AKT_EINVAL, akt_stream_stage_on_error, g, AKT_STREAM_ON_ERROR_RETRY, 0);
    BAD(AKT_EINVAL, akt_stream_stage_on_error, g, AKT_STREAM_ON_ERROR_RESUME, 3);
    TU_OK(akt_stream_dedup(g));
    TU_OK(akt_stream_map(g, bi_map, NULL));
    TU_OK(akt_stream_filter(g, bi_filter, NULL));
    TU_OK(akt_stream_flat_map(g, bi_flat, NULL));
    TU_OK(akt_stream_scan(g, m, bi_fold, NULL));
    TU_OK(akt_stream_buffer(g, 4, AKT_STREAM_DROP_HEAD));
    TU_OK(akt_stream_stage_on_error(g, AKT_STREAM_ON_ERROR_RETRY, 2));

    akt_system *sys = tu_system("badinput_streams", 1);
    BAD(AKT_EINVAL, akt_stream_run, sys, g, NULL);
    BAD(AKT_EINVAL, akt_stream_run, sys, g, &s); /* no sink */
    TU_OK(akt_stream_sink_fold(g, m, bi_fold, NULL));
    BAD(AKT_EMISUSE, akt_stream_sink_collect, g); /* a second sink */
    BAD(AKT_EMISUSE, akt_stream_sink_first, g);
    BAD(AKT_EMISUSE, akt_stream_sink_ignore, g);
    BAD(AKT_EMISUSE, akt_stream_sink_for_each, g, bi_each, NULL);
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_graph_free(g)); /* the stream has its own copy */
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    BAD(AKT_EINVAL, akt_stream_reason, s, NULL);
    BAD(AKT_EINVAL, akt_stream_on_complete, s, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_result_count, s, NULL);
    BAD(AKT_EINVAL, akt_stream_result_at, s, 1, &m); /* one result only */
    BAD(AKT_EINVAL, akt_stream_result_at, s, 0, NULL);
    BAD(AKT_EINVAL, akt_stream_stage_count, s, NULL);
    BAD(AKT_EINVAL, akt_stream_actor_count, s, NULL);
    BAD(AKT_EINVAL, akt_stream_metrics, s, 99, &sm);
    BAD(AKT_EINVAL, akt_stream_metrics, s, 0, NULL);
    sm.size = 8;
    BAD(AKT_EINVAL, akt_stream_metrics, s, 0, &sm);
    TU_OK(akt_stream_release(s));

    /* A running stream: results are not ready; release cancels it. */
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_unfold(g, bi_unfold, NULL));
    TU_OK(akt_stream_sink_collect(g));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_range(g, 0, INT64_MAX, 1));
    TU_OK(akt_stream_sink_ignore(g));
    TU_OK(akt_stream_run(sys, g, &s));
    BAD(AKT_EAGAIN, akt_stream_result_count, s, &n);
    BAD(AKT_EAGAIN, akt_stream_result_at, s, 0, &m);
    BAD(AKT_ETIMEDOUT, akt_stream_wait, s, 0);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    tu_system_end(sys);
    TU_OK(akt_msg_release(m));
    TU_OK(akt_msg_release(reserved));
}
/* streams end */

/* streams2 begin: stream junctions (akt/stream.h) */
static int bi_zip(akt_msg *const *in, size_t n, akt_msg **out, void *data) {
    (void)n, (void)data;
    akt_msg_retain(in[0]);
    *out = in[0];
    return 0;
}
static int bi_part(akt_msg *in, size_t *branch, void *data) {
    (void)in, (void)data;
    *branch = 0;
    return 0;
}

static void test_stream_junction_functions(void **state) {
    (void)state;
    akt_stream_graph *g = NULL, *in = NULL, *br = NULL;
    akt_stream *s = NULL;
    size_t first = 0, n = 0;
    BAD(AKT_EINVAL, akt_stream_graph_new_branch, NULL);
    TU_OK(akt_stream_graph_new(&in));
    TU_OK(akt_stream_source_range(in, 0, 3, 1));
    TU_OK(akt_stream_graph_new_branch(&br));
    BAD(AKT_EMISUSE, akt_stream_source_range, br, 0, 1, 1); /* a branch has no source */
    BAD(AKT_EINVAL, akt_stream_sink_broadcast, NULL, &br, 1);
    TU_OK(akt_stream_sink_collect(br));
    BAD(AKT_EINVAL, akt_stream_source_merge, NULL, &in, 1);
    BAD(AKT_EINVAL, akt_stream_source_concat, NULL, &in, 1);
    BAD(AKT_EINVAL, akt_stream_source_zip, NULL, &in, 1, bi_zip, NULL);
    BAD(AKT_EINVAL, akt_stream_sink_balance, NULL, &br, 1);
    BAD(AKT_EINVAL, akt_stream_sink_partition, NULL, &br, 1, bi_part, NULL);
    BAD(AKT_EINVAL, akt_stream_branch_results, NULL, 0, &first, &n);
    TU_OK(akt_stream_graph_new(&g));
    BAD(AKT_EINVAL, akt_stream_source_merge, g, NULL, 1);
    BAD(AKT_EINVAL, akt_stream_source_merge, g, &in, 0);
    BAD(AKT_EINVAL, akt_stream_source_concat, g, &br, 1); /* a branch is no input */
    BAD(AKT_EINVAL, akt_stream_source_zip, g, &in, 1, NULL, NULL);
    BAD(AKT_EMISUSE, akt_stream_sink_broadcast, g, &br, 1); /* no source yet */
    TU_OK(akt_stream_source_zip(g, &in, 1, bi_zip, NULL));
    BAD(AKT_EINVAL, akt_stream_sink_broadcast, g, &in, 1); /* an input is no branch */
    BAD(AKT_EINVAL, akt_stream_sink_partition, g, &br, 1, NULL, NULL);
    TU_OK(akt_stream_sink_partition(g, &br, 1, bi_part, NULL));
    akt_system *sys = tu_system("badinput_junctions", 1);
    BAD(AKT_EINVAL, akt_stream_run, sys, br, &s); /* a branch cannot run alone */
    TU_OK(akt_stream_run(sys, g, &s));
    TU_OK(akt_stream_wait(s, TU_DEADLINE_NS));
    BAD(AKT_EINVAL, akt_stream_branch_results, s, 1, &first, &n);
    BAD(AKT_EINVAL, akt_stream_branch_results, s, 0, NULL, &n);
    TU_OK(akt_stream_branch_results(s, 0, &first, &n));
    TU_OK(akt_stream_release(s));
    tu_system_end(sys);
    akt_msg *tick = tu_msg("t.Tick", "");
    BAD(AKT_EINVAL, akt_stream_source_tick, NULL, 0, 1000000, tick);
    BAD(AKT_EINVAL, akt_stream_source_tick, g, 0, 0, tick);
    BAD(AKT_EINVAL, akt_stream_source_tick, g, 0, 1000000, NULL);
    BAD(AKT_EINVAL, akt_stream_batch, NULL, 4, 1000000, bi_zip, NULL);
    BAD(AKT_EINVAL, akt_stream_batch, g, 0, 1000000, bi_zip, NULL);
    TU_OK(akt_msg_release(tick));
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_stream_graph_free(in));
    TU_OK(akt_stream_graph_free(br));
}
/* streams2 end */
/* streams3 begin: actor sources and sinks, parallel map (akt/stream.h) */
static int bi_async(akt_msg *in, akt_stream_async *p, void *data) {
    (void)in, (void)p, (void)data;
    return AKT_EFAILED;
}

static void test_stream_actor_functions(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    size_t q = 0;
    akt_msg *m = tu_msg("t.X", "");
    BAD(AKT_EINVAL, akt_stream_source_queue, NULL, 4);
    BAD(AKT_EINVAL, akt_stream_offer, NULL, m);
    BAD(AKT_EINVAL, akt_stream_queued, NULL, &q);
    BAD(AKT_EINVAL, akt_stream_sink_actor, NULL, (akt_pid){1}, 1, NULL);
    BAD(AKT_EINVAL, akt_stream_map_async, NULL, 1, 1, bi_async, NULL);
    BAD(AKT_EINVAL, akt_stream_async_complete, NULL, 0, NULL);
    TU_OK(akt_stream_graph_new(&g));
    BAD(AKT_EINVAL, akt_stream_source_queue, g, 0);
    TU_OK(akt_stream_source_queue(g, 2));
    BAD(AKT_EINVAL, akt_stream_map_async, g, 0, 1, bi_async, NULL);
    BAD(AKT_EINVAL, akt_stream_map_async, g, 1, 1, NULL, NULL);
    BAD(AKT_EINVAL, akt_stream_sink_actor, g, (akt_pid){0}, 1, NULL);
    BAD(AKT_EINVAL, akt_stream_sink_actor, g, (akt_pid){1}, 0, NULL);
    TU_OK(akt_stream_sink_ignore(g));
    akt_system *sys = tu_system("badinput_stream_actor", 1);
    TU_OK(akt_stream_run(sys, g, &s));
    BAD(AKT_EINVAL, akt_stream_offer, s, NULL);
    BAD(AKT_EINVAL, akt_stream_queued, s, NULL);
    TU_OK(akt_stream_cancel(s));
    BAD(AKT_ESTOPPED, akt_stream_offer, s, m);
    TU_OK(akt_stream_release(s));
    tu_system_end(sys);
    TU_OK(akt_stream_graph_free(g));
    TU_OK(akt_msg_release(m));
}
/* streams3 end */
/* streamref begin: stream references across nodes (akt/stream.h) */
static void test_stream_ref_functions(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    akt_pid p = {0};
    char buf[256];
    size_t need = 0;
    BAD(AKT_EINVAL, akt_stream_source_actor, NULL, 4);
    BAD(AKT_EINVAL, akt_stream_source_pid, NULL, &p);
    BAD(AKT_EINVAL, akt_stream_source_address, NULL, buf, sizeof buf, &need);
    TU_OK(akt_stream_graph_new(&g));
    BAD(AKT_EINVAL, akt_stream_source_actor, g, 0);
    BAD(AKT_EINVAL, akt_stream_source_actor, g, 65537);
    TU_OK(akt_stream_source_actor(g, 2));
    BAD(AKT_EMISUSE, akt_stream_source_actor, g, 2); /* a second source */
    TU_OK(akt_stream_sink_ignore(g));
    akt_system *sys = tu_system("badinput_stream_ref", 1);
    TU_OK(akt_stream_run(sys, g, &s));
    BAD(AKT_EINVAL, akt_stream_source_pid, s, NULL);
    BAD(AKT_EINVAL, akt_stream_source_address, s, NULL, 8, &need);
    BAD(AKT_ENOTFOUND, akt_stream_source_address, s, buf, sizeof buf, &need); /* no remoting */
    TU_OK(akt_stream_source_pid(s, &p));
    assert_true(p.id != 0);
    TU_OK(akt_stream_cancel(s));
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    /* A stream whose source is another kind. */
    TU_OK(akt_stream_graph_new(&g));
    TU_OK(akt_stream_source_queue(g, 2));
    TU_OK(akt_stream_sink_ignore(g));
    TU_OK(akt_stream_run(sys, g, &s));
    BAD(AKT_EINVAL, akt_stream_source_pid, s, &p);
    BAD(AKT_EINVAL, akt_stream_source_address, s, buf, sizeof buf, &need);
    TU_OK(akt_stream_release(s));
    TU_OK(akt_stream_graph_free(g));
    tu_system_end(sys);
}
/* streamref end */
/* flatmerge begin: flatMap merge and the room signal of a queue (akt/stream.h) */
static int bi_inner(akt_msg *in, akt_stream_graph **out, void *data) {
    (void)in, (void)out, (void)data;
    return AKT_EFAILED;
}

static void bi_room(akt_stream *s, int rc, void *data) {
    (void)s, (void)rc;
    (*(int *)data)++;
}

static void test_stream_merge_functions(void **state) {
    (void)state;
    akt_stream_graph *g = NULL;
    akt_stream *s = NULL;
    int called = 0;
    BAD(AKT_EINVAL, akt_stream_flat_map_merge, NULL, 2, bi_inner, NULL);
    BAD(AKT_EINVAL, akt_stream_on_room, NULL, bi_room, &called);
    TU_OK(akt_stream_graph_new(&g));
    BAD(AKT_EMISUSE, akt_stream_flat_map_merge, g, 2, bi_inner, NULL); /* no source yet */
    TU_OK(akt_stream_source_queue(g, 2));
    BAD(AKT_EINVAL, akt_stream_flat_map_merge, g, 0, bi_inner, NULL);
    BAD(AKT_EINVAL, akt_stream_flat_map_merge, g, 4097, bi_inner, NULL);
    BAD(AKT_EINVAL, akt_stream_flat_map_merge, g, 2, NULL, NULL);
    TU_OK(akt_stream_sink_ignore(g));
    akt_system *sys = tu_system("badinput_stream_merge", 1);
    TU_OK(akt_stream_run(sys, g, &s));
    BAD(AKT_EINVAL, akt_stream_on_room, s, NULL, &called);
    TU_OK(akt_stream_cancel(s));
    BAD(0, akt_stream_on_room, s, bi_room, &called); /* ended: told at once */
    assert_int_equal(called, 1);
    TU_OK(akt_stream_release(s));
    tu_system_end(sys);
    TU_OK(akt_stream_graph_free(g));
}
/* flatmerge end */

/* ---- the checks of the checks -------------------------------------------------------------- */

/* tracing begin: tracing */
static void test_tracing_functions(void **state) {
    (void)state;
    akt_trace_context c;
    char buf[AKT_TRACEPARENT_LEN + 1];
    const char *ok = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    BAD(AKT_EINVAL, akt_traceparent_parse, NULL, 55, &c);
    BAD(AKT_EINVAL, akt_traceparent_parse, ok, 55, NULL);
    BAD(AKT_EINVAL, akt_traceparent_parse, NULL, 0, &c);
    BAD(AKT_EINVAL, akt_traceparent_parse, ok, 54, &c);
    BAD(0, akt_traceparent_parse, ok, 55, &c);
    BAD(AKT_EINVAL, akt_traceparent_format, NULL, buf, sizeof buf);
    BAD(AKT_EINVAL, akt_traceparent_format, &c, NULL, sizeof buf);
    BAD(AKT_ERANGE, akt_traceparent_format, &c, buf, sizeof buf - 1);
    BAD(0, akt_traceparent_format, &c, buf, sizeof buf);
    assert_string_equal(buf, ok);
    memset(c.span_id, 0, sizeof c.span_id);
    BAD(AKT_EINVAL, akt_traceparent_format, &c, buf, sizeof buf);
    uint64_t n = 7;
    BAD(AKT_EINVAL, akt_trace_set_sink, NULL, NULL, NULL);
    BAD(AKT_EINVAL, akt_trace_invalid_count, NULL, &n);
    akt_system *sys = tu_system("tbad", 1);
    BAD(AKT_EINVAL, akt_trace_invalid_count, sys, NULL);
    BAD(0, akt_trace_invalid_count, sys, &n);
    assert_int_equal(n, 0);
    BAD(0, akt_trace_set_sink, sys, NULL, NULL); /* off while off */
    tu_system_end(sys);
}
/* tracing end */

/* otlp begin: OTLP/HTTP export */
static void test_otlp_functions(void **state) {
    (void)state;
    akt_otlp_options o;
    akt_otlp_options_init(&o);
    COVER(akt_otlp_options_init);
    akt_otlp_options_init(NULL); /* a no-op */
    akt_otlp_stats st = {.size = sizeof st};
    BAD(AKT_EINVAL, akt_otlp_start, NULL, &o);
    akt_system *sys = tu_system("obad", 1);
    BAD(AKT_EINVAL, akt_otlp_start, sys, NULL);
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o); /* no endpoint */
    o.endpoint = "ftp://127.0.0.1:1";
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.endpoint = "http://127.0.0.1:1/ x";
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.endpoint = "http://127.0.0.1:1";
    const char *bad_headers[] = {"no-colon", "X-A: b\r\nX-B: c", ": empty name", "A B: c"};
    for (int i = 0; i < 4; i++) {
        o.headers = &bad_headers[i];
        o.nheaders = 1;
        BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    }
    o.headers = NULL;
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o); /* nheaders 1, headers NULL */
    o.nheaders = 0;
    o.batch_size = 0;
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.batch_size = 4096;
    o.queue_capacity = 100; /* below the batch */
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    akt_otlp_options_init(&o);
    o.endpoint = "http://127.0.0.1:1";
    o.flush_interval_ms = 1;
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.flush_interval_ms = 1000;
    o.timeout_ms = 0;
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.timeout_ms = 100;
    o.max_retries = 11;
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.max_retries = 0;
    o.signals = 4;
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.signals = 0;
    o.size = 8;
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.size = sizeof o + 1;
    BAD(AKT_EINVAL, akt_otlp_start, sys, &o);
    o.size = sizeof o;
    BAD(AKT_EINVAL, akt_otlp_flush, NULL, 10);
    BAD(AKT_ENOTFOUND, akt_otlp_flush, sys, 10);
    BAD(AKT_EINVAL, akt_otlp_stats_read, NULL, &st);
    BAD(AKT_EINVAL, akt_otlp_stats_read, sys, NULL);
    BAD(AKT_ENOTFOUND, akt_otlp_stats_read, sys, &st);
    /* Port 1 of loopback: nothing listens, every request fails at once. */
    BAD(0, akt_otlp_start, sys, &o);
    BAD(AKT_EEXIST, akt_otlp_start, sys, &o);
    BAD(AKT_EINVAL, akt_otlp_flush, sys, -1);
    BAD(AKT_EUNREACHABLE, akt_otlp_flush, sys, 10000);
    st.size = 4;
    BAD(AKT_EINVAL, akt_otlp_stats_read, sys, &st);
    st.size = sizeof st;
    BAD(0, akt_otlp_stats_read, sys, &st);
    assert_true(st.requests_failed >= 1);
    assert_int_equal(st.last_http_status, 0);
    tu_system_end(sys);
}
/* otlp end */
/* perf begin: */
static void test_type_functions(void **state) {
    (void)state;
    const akt_type *t = (const akt_type *)0x1;
    akt_system *sys = tu_system("tbadtype", 1);
    char long_name[300];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    BAD(AKT_EINVAL, akt_type_register, NULL, "bad.T", &t);
    BAD(AKT_EINVAL, akt_type_register, sys, NULL, &t);
    BAD(AKT_EINVAL, akt_type_register, sys, "", &t);
    BAD(AKT_EINVAL, akt_type_register, sys, long_name, &t);
    BAD(AKT_EINVAL, akt_type_register, sys, "bad.T", NULL);
    assert_ptr_equal(t, (const akt_type *)0x1);
    BAD(AKT_EINVAL, akt_type_lookup, NULL, &t);
    BAD(AKT_EINVAL, akt_type_lookup, "bad.T", NULL);
    BAD(AKT_ENOTFOUND, akt_type_lookup, "bad.NeverRegistered", &t);
    BAD(0, akt_type_register, sys, "bad.T", &t);
    COVER(akt_type_id);
    assert_int_equal(akt_type_id(NULL), 0);
    static const unsigned char junk[64];
    assert_int_equal(akt_type_id((const akt_type *)(const void *)junk), 0);
    COVER(akt_type_name);
    assert_null(akt_type_name(NULL));
    assert_null(akt_type_name((const akt_type *)(const void *)junk));
    akt_msg *m = (akt_msg *)0x1;
    int object = 1;
    BAD(AKT_EINVAL, akt_msg_new_typed, NULL, "x", 1, AKT_COPY, &m);
    BAD(AKT_EINVAL, akt_msg_new_typed, (const akt_type *)(const void *)junk, "x", 1, AKT_COPY, &m);
    BAD(AKT_EINVAL, akt_msg_new_typed, t, "x", 1, AKT_COPY, NULL);
    BAD(AKT_EINVAL, akt_msg_new_typed, t, NULL, 5, AKT_COPY, &m);
    BAD(AKT_EINVAL, akt_msg_new_typed, t, "x", (size_t)PTRDIFF_MAX + 1, AKT_BORROW, &m);
    BAD(AKT_EINVAL, akt_msg_new_typed_object, NULL, &object, &ops, &m);
    BAD(AKT_EINVAL, akt_msg_new_typed_object, t, &object, NULL, &m);
    BAD(AKT_EINVAL, akt_msg_new_typed_object, t, &object, &ops, NULL);
    static akt_object_ops no_release;
    no_release = ops;
    no_release.release = NULL;
    BAD(AKT_EINVAL, akt_msg_new_typed_object, t, &object, &no_release, &m);
    assert_ptr_equal(m, (akt_msg *)0x1);
    COVER(akt_msg_type_id);
    assert_int_equal(akt_msg_type_id(NULL), 0);
    int64_t v = 0;
    BAD(AKT_EINVAL, akt_msg_read, NULL, &v, sizeof v);
    m = owned();
    assert_int_equal(akt_msg_type_id(m), 0); /* "t.Owned" was never registered */
    BAD(AKT_EINVAL, akt_msg_read, m, NULL, 8);
    BAD(AKT_ETYPE, akt_msg_read, m, &v, 4); /* the payload is 8 bytes, not 4 */
    release_owned(m);
    tu_system_end(sys);
}
/* perf end */

static void test_every_header_function_is_covered(void **state) {
    (void)state;
    /* The generator's regex found as many declarations as lines start with AKT_API. */
    assert_int_equal(AKT_API_FUNC_COUNT, AKT_API_LINE_COUNT);
    assert_int_equal(N_API, AKT_API_FUNC_COUNT);
    int missing = 0;
    for (size_t i = 0; i < N_API; i++) {
        int found = 0;
        for (int j = 0; j < n_covered && !found; j++) found = strcmp(api_names[i], covered[j]) == 0;
        if (!found) {
            print_error("no bad-input check for %s\n", api_names[i]);
            missing++;
        }
    }
    if (missing)
        fail_msg("%d function(s) of akt.h have no bad-input check (or their test failed "
                 "before reaching it)",
                 missing);
}

static void test_every_header_function_is_exported(void **state) {
    (void)state;
    int missing = 0;
    for (size_t i = 0; i < N_API; i++) {
        if (!dlsym(RTLD_DEFAULT, api_names[i])) {
            print_error("libakt does not export %s\n", api_names[i]);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        /* First: no message may exist yet in this process. */
        TU_TEST(test_allocator_set_default),
        TU_TEST(test_version_and_errors),
        TU_TEST(test_system_functions),
        TU_TEST(test_pid_functions),
        TU_TEST(test_msg_functions),
        TU_TEST(test_header_functions),
        TU_TEST(test_send_functions),
        TU_TEST(test_future_functions),
        TU_TEST(test_spawn_functions),
        TU_TEST(test_ctx_null),
        TU_TEST(test_ctx_after_callback_on_worker),
        TU_TEST(test_ctx_after_callback_same_thread),
        TU_TEST(test_ctx_inside_callback),
        TU_TEST(test_lifecycle_functions),
        TU_TEST(test_dispatcher_and_event_functions),
        TU_TEST(test_topic_functions),
        TU_TEST(test_schedule_functions),
        TU_TEST(test_system_after_shutdown),
        TU_TEST(test_cron_functions),
        TU_TEST(test_router_functions),
        TU_TEST(test_remote_functions),
        TU_TEST(test_grain_functions),
        /* streams begin: streams (akt/stream.h) */
        TU_TEST(test_stream_functions),
        /* streams end */
        /* streams2 begin: stream junctions */
        TU_TEST(test_stream_junction_functions),
        /* streams2 end */
        /* streams3 begin: actor sources and sinks, parallel map */
        TU_TEST(test_stream_actor_functions),
        TU_TEST(test_stream_merge_functions),
        TU_TEST(test_stream_ref_functions), /* streamref */
        /* streams3 end */
        /* sched begin: scheduler */
        /* sched end */
        /* tls begin: remoting transport: TLS, compression, chunking */
        TU_TEST(test_remote_tls_functions),
        TU_TEST(test_remote_compress_options),
        /* tls end */
        /* remote2 begin: remoting: flow control, remote watch/stop/spawn, serializers */
        TU_TEST(test_remote2_functions),
        /* remote2 end */
        /* serial begin: serializer registry (JSON, CBOR, protobuf, custom) */
        TU_TEST(test_serializer_functions),
        /* serial end */
        /* fault begin: fault tolerance: passivation, breaker, pipe_to, guardian */
        TU_TEST(test_fault_functions),
        /* fault end */
        /* async begin: async receive */
        TU_TEST(test_async_functions),
        /* async end */
        /* users begin: users: testkit, ask accessors */
        TU_TEST(test_users_functions),
        /* users end */
        /* values begin: */
        TU_TEST(test_values_functions),
        /* values end */
        /* local begin: routers/mailboxes/propagation */
        TU_TEST(test_local_functions),
        /* local end */
        /* tracing begin: tracing */
        TU_TEST(test_tracing_functions),
        /* tracing end */
        /* otlp begin: OTLP/HTTP export */
        TU_TEST(test_otlp_functions),
        /* otlp end */
        /* perf begin: */
        TU_TEST(test_type_functions),
        /* perf end */
        /* Last: they look at what the tests above covered. */
        TU_TEST(test_telemetry_functions),
        TU_TEST(test_every_header_function_is_covered),
        TU_TEST(test_every_header_function_is_exported),
    };
    return cmocka_run_group_tests_name("badinput", tests, NULL, NULL);
}
