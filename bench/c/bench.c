#define _POSIX_C_SOURCE 200809L
/* akt's side of the benchmarks: the same scenarios as bench/goakt, printed as JSON lines
 * {"impl":"akt","bench":...,"value":...,"unit":...,"n":...} for bench/run.sh to pair. */
#include <akt/akt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void emit(const char *bench, double value, const char *unit, long n) {
    printf("{\"impl\":\"akt\",\"bench\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"n\":%ld}\n", bench,
           value, unit, n);
    fflush(stdout);
}

static int g_workers; /* 0 = one per core */

static akt_system *new_system(void) {
    akt_system_options o;
    akt_system_options_init(&o);
    o.name = "bench";
    o.workers = g_workers;
    akt_system *sys;
    int rc = akt_system_create(&o, &sys);
    if (rc) {
        fprintf(stderr, "create: %s\n", akt_strerror(rc));
        exit(1);
    }
    return sys;
}

static void check(int rc, const char *what) {
    if (rc) {
        fprintf(stderr, "%s: %s\n", what, akt_strerror(rc));
        exit(1);
    }
}

/* ---- tell: an actor that counts and flags the last message ---------------------------- */
typedef struct {
    long target, seen;
    atomic_int done;
} sink;

static int sink_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    sink *s = state;
    /* release: main's acquire load sees the finished count. */
    if (++s->seen == s->target) atomic_store_explicit(&s->done, 1, memory_order_release);
    return 0;
}

typedef struct {
    akt_system *sys;
    akt_pid to;
    long n;
} sender_arg;

static void *sender_main(void *p) {
    sender_arg *a = p;
    static const char payload[] = "ping";
    for (long i = 0; i < a->n; i++) {
        akt_msg *m;
        check(akt_msg_new_bytes("bench.Ping", payload, 4, AKT_BORROW, &m), "msg");
        check(akt_tell(a->sys, a->to, m), "tell");
    }
    return NULL;
}

static double bench_tell_into(const char *name, int senders, long n, const akt_mailbox_spec *mb) {
    akt_system *sys = new_system();
    sink *s = calloc(1, sizeof *s);
    s->target = n;
    akt_behavior b = {.size = sizeof b, .receive = sink_receive, .free_state = free};
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.mailbox = mb;
    akt_pid pid;
    check(akt_spawn(sys, &b, s, &o, &pid), "spawn");
    pthread_t th[8];
    sender_arg args[8];
    double t0 = now_s();
    for (int i = 0; i < senders; i++) {
        args[i] = (sender_arg){sys, pid, n / senders};
        pthread_create(&th[i], NULL, sender_main, &args[i]);
    }
    for (int i = 0; i < senders; i++) pthread_join(th[i], NULL);
    struct timespec nap = {0, 50000};
    while (!atomic_load_explicit(&s->done, memory_order_acquire)) nanosleep(&nap, NULL);
    double dt = now_s() - t0;
    emit(name, n / dt, "msg/s", n);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return n / dt;
}

/* ---- tell through a round-robin router: the router's hop against a direct tell ------ */
static double tell_rate(akt_system *sys, akt_pid to, sink *s, long n) {
    double t0 = now_s();
    sender_arg a = {sys, to, n};
    sender_main(&a);
    struct timespec nap = {0, 50000};
    while (!atomic_load_explicit(&s->done, memory_order_acquire)) nanosleep(&nap, NULL);
    return n / (now_s() - t0);
}

static void bench_router(long n) {
    akt_system *sys = new_system();
    sink *direct = calloc(1, sizeof *direct), *routed = calloc(1, sizeof *routed);
    direct->target = routed->target = n;
    akt_behavior b = {.size = sizeof b, .receive = sink_receive, .free_state = free};
    akt_pid d, r, rr;
    check(akt_spawn(sys, &b, direct, NULL, &d), "spawn");
    check(akt_spawn(sys, &b, routed, NULL, &r), "spawn");
    akt_router_options o;
    akt_router_options_init(&o);
    o.routees = &r;
    o.routee_count = 1;
    check(akt_router_spawn(sys, NULL, "rr", &o, &rr), "router");
    double vd = tell_rate(sys, d, direct, n), vr = tell_rate(sys, rr, routed, n);
    emit("tell_direct", vd, "msg/s", n);
    emit("tell_router_rr", vr, "msg/s", n);
    printf("{\"impl\":\"akt\",\"bench\":\"router_over_direct\",\"value\":%.3f,"
           "\"unit\":\"ratio\",\"n\":%ld}\n",
           vr / vd, n);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
}

static void bench_tell(const char *name, int senders, long n) {
    bench_tell_into(name, senders, n, NULL);
}

/* ---- mailboxes: tell into a bounded one (blocking senders, so nothing is lost), and the
 * bytes one queued message costs in each kind (RSS growth over many queued messages) ---- */
static int by_nothing(akt_msg *a, akt_msg *b, void *d) {
    (void)a, (void)b, (void)d;
    return 0;
}

static long rss_bytes(void);
static void no_notify(void *d) { (void)d; }

static void bench_mailbox_bytes(const char *name, int kind, long n) {
    akt_system *sys = new_system();
    akt_dispatcher *d;
    check(akt_dispatcher_create_external(sys, no_notify, NULL, &d), "dispatcher");
    /* kind -1: a FIFO bounded to hold all n (FAIL when full, never reached). */
    akt_mailbox_spec mb = {.size = sizeof mb,
                           .kind = kind < 0 ? AKT_MAILBOX_FIFO : kind,
                           .capacity = kind < 0 ? (uint32_t)n + 1 : 0,
                           .compare = by_nothing};
    akt_behavior b = {.size = sizeof b, .receive = sink_receive, .free_state = free};
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    o.mailbox = &mb;
    o.dispatcher = d;
    sink *s = calloc(1, sizeof *s);
    s->target = n + 1;
    akt_pid pid;
    check(akt_spawn(sys, &b, s, &o, &pid), "spawn");
    long before = rss_bytes();
    for (long i = 0; i < n; i++) {
        akt_msg *m;
        check(akt_msg_new_bytes("bench.Ping", "ping", 4, AKT_BORROW, &m), "msg");
        check(akt_tell(sys, pid, m), "tell");
    }
    akt_dispatcher_run(d, 1, NULL); /* one take: the kind sorts in what waits */
    emit(name, (double)(rss_bytes() - before) / n, "B", n);
    akt_system_shutdown(sys, NULL, NULL);
    do akt_dispatcher_run(d, 1 << 20, NULL);
    while (akt_system_wait(sys, 1000000) == AKT_ETIMEDOUT);
    akt_system_release(sys);
}

/* ---- ask: an echo actor, asked sequentially from the main thread --------------------- */
static int echo_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    akt_msg_retain(msg);
    int rc = akt_ctx_respond(ctx, msg);
    if (rc) akt_msg_release(msg);
    return 0;
}

/* name "ask_rtt": akt_ask_wait, the blocking ask (as GoAkt's Ask); "ask_rtt_future": an
 * ask, then a wait on its future. */
static void bench_ask(const char *name, long n) {
    int blocking = !strcmp(name, "ask_rtt");
    akt_system *sys = new_system();
    akt_behavior b = {.size = sizeof b, .receive = echo_receive};
    akt_pid pid;
    check(akt_spawn(sys, &b, NULL, NULL, &pid), "spawn");
    long warm = n / 10 + 1;
    double t0 = 0;
    for (long i = 0; i < warm + n; i++) {
        if (i == warm) t0 = now_s();
        akt_msg *m, *reply;
        akt_future *f;
        check(akt_msg_new_bytes("bench.Ping", "ping", 4, AKT_BORROW, &m), "msg");
        if (blocking) {
            check(akt_ask_wait(sys, pid, m, 5000000000ll, NULL, -1, &f, &reply), "ask_wait");
        } else {
            check(akt_ask(sys, pid, m, 5000000000ll, &f), "ask");
            check(akt_future_wait(f, -1, &reply), "wait");
        }
        akt_msg_release(reply);
        akt_future_release(f);
    }
    emit(name, (now_s() - t0) / n * 1e9, "ns", n);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
}

/* ---- pairwise: P independent sender -> receiver pairs of actors ---------------------- */
/* Each sender actor sends its share in batches of PAIR_BATCH per turn (a "next" to itself
 * between batches, so a turn stays short); its receiver counts and flags the last one. The
 * figure is every pair's messages over the wall time: it grows with cores while the pairs
 * do not share anything. */
#define PAIR_BATCH 1000
typedef struct {
    akt_pid to;
    long left;
} pair_sender;

static int pair_send_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    pair_sender *p = state;
    static const char payload[] = "ping";
    long k = p->left < PAIR_BATCH ? p->left : PAIR_BATCH;
    for (long i = 0; i < k; i++) {
        akt_msg *m;
        check(akt_msg_new_bytes("bench.Ping", payload, 4, AKT_BORROW, &m), "msg");
        check(akt_ctx_tell(ctx, p->to, m), "tell");
    }
    p->left -= k;
    if (p->left > 0) {
        akt_pid self;
        akt_msg *next;
        check(akt_ctx_self(ctx, &self), "self");
        check(akt_msg_new_bytes("bench.Next", NULL, 0, AKT_BORROW, &next), "msg");
        check(akt_ctx_tell(ctx, self, next), "tell");
    }
    return 0;
}

static void bench_pairwise(int pairs, long n) {
    akt_system *sys = new_system();
    akt_behavior sb = {.size = sizeof sb, .receive = sink_receive, .free_state = free};
    akt_behavior pb = {.size = sizeof pb, .receive = pair_send_receive, .free_state = free};
    sink *sinks[64];
    akt_pid senders[64];
    long share = n / pairs;
    for (int i = 0; i < pairs; i++) {
        sinks[i] = calloc(1, sizeof *sinks[i]);
        sinks[i]->target = share;
        akt_pid to;
        check(akt_spawn(sys, &sb, sinks[i], NULL, &to), "spawn");
        pair_sender *p = calloc(1, sizeof *p);
        p->to = to;
        p->left = share;
        check(akt_spawn(sys, &pb, p, NULL, &senders[i]), "spawn");
    }
    double t0 = now_s();
    for (int i = 0; i < pairs; i++) {
        akt_msg *go;
        check(akt_msg_new_bytes("bench.Next", NULL, 0, AKT_BORROW, &go), "msg");
        check(akt_tell(sys, senders[i], go), "tell");
    }
    struct timespec nap = {0, 50000};
    for (int i = 0; i < pairs; i++)
        while (!atomic_load_explicit(&sinks[i]->done, memory_order_acquire)) nanosleep(&nap, NULL);
    double dt = now_s() - t0;
    char name[32];
    snprintf(name, sizeof name, "tell_pairwise%d", pairs);
    emit(name, share * pairs / dt, "msg/s", share * pairs);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
}

/* ---- ask chain: an actor asks an echo actor, each answer's continuation asks again ---- */
typedef struct {
    akt_pid echo;
    long left;
    atomic_int done;
    akt_request_options o;
} chain;

static int chain_ask(akt_ctx *ctx, chain *c) {
    akt_msg *m;
    check(akt_msg_new_bytes("bench.Ping", "ping", 4, AKT_BORROW, &m), "msg");
    return akt_ctx_request(ctx, c->echo, m, &c->o, NULL);
}

static int chain_then(akt_ctx *ctx, int rc, akt_msg *reply, void *data) {
    chain *c = data;
    check(rc, "chain reply");
    if (--c->left == 0) {
        /* release: main's acquire load sees the finished chain. */
        atomic_store_explicit(&c->done, 1, memory_order_release);
        return 0;
    }
    return chain_ask(ctx, c);
}

static int chain_receive(akt_ctx *ctx, akt_msg *msg, void *state) { return chain_ask(ctx, state); }

static double ask_chain_ns(akt_system *sys, akt_pid asker, chain *c, long n) {
    c->left = n;
    atomic_store(&c->done, 0);
    double t0 = now_s();
    akt_msg *go;
    check(akt_msg_new_bytes("bench.Go", NULL, 0, AKT_BORROW, &go), "msg");
    check(akt_tell(sys, asker, go), "tell");
    struct timespec nap = {0, 50000};
    while (!atomic_load_explicit(&c->done, memory_order_acquire)) nanosleep(&nap, NULL);
    return (now_s() - t0) / n * 1e9;
}

static void bench_ask_chain(long n) {
    akt_system *sys = new_system();
    akt_behavior eb = {.size = sizeof eb, .receive = echo_receive};
    akt_behavior cb = {.size = sizeof cb, .receive = chain_receive};
    chain *c = calloc(1, sizeof *c);
    check(akt_spawn(sys, &eb, NULL, NULL, &c->echo), "spawn");
    akt_request_options_init(&c->o);
    c->o.timeout_ns = 5000000000ll; /* as the other asks */
    c->o.then = chain_then;
    c->o.data = c;
    akt_pid asker;
    check(akt_spawn(sys, &cb, c, NULL, &asker), "spawn");
    ask_chain_ns(sys, asker, c, n / 10 + 1); /* warm-up */
    emit("ask_chain", ask_chain_ns(sys, asker, c, n), "ns", n);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    free(c);
}

/* ---- spawn: K named idle actors; time and resident bytes per actor ------------------- */
static long rss_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
        fclose(f);
    }
    return rss * 4096;
}

static int idle_receive(akt_ctx *ctx, akt_msg *msg, void *state) { return 0; }

static void bench_spawn(long k) {
    akt_system *sys = new_system();
    akt_behavior b = {.size = sizeof b, .receive = idle_receive};
    akt_spawn_options o;
    akt_spawn_options_init(&o);
    char name[32];
    o.name = name;
    long before = rss_bytes();
    double t0 = now_s();
    for (long i = 0; i < k; i++) {
        snprintf(name, sizeof name, "actor-%ld", i);
        akt_pid pid;
        check(akt_spawn(sys, &b, NULL, &o, &pid), "spawn");
    }
    double dt = now_s() - t0;
    long after = rss_bytes();
    emit("spawn_1m", dt, "s", k);
    emit("idle_actor_bytes", (double)(after - before) / k, "B", k);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
}

/* ---- timers: a million pending once-schedules on the one timer thread ------------------ */
/* Schedules k messages an hour ahead (one shared message, caller-chosen references as a
 * program that cancels them would keep), then cancels them all by reference: the
 * schedule and cancel rates and the memory of a pending timer (RSS growth / k). */
static void bench_timers(long k) {
    akt_system *sys = new_system();
    akt_behavior b = {.size = sizeof b, .receive = idle_receive};
    akt_pid pid;
    check(akt_spawn(sys, &b, NULL, NULL, &pid), "spawn");
    akt_msg *m;
    check(akt_msg_new_bytes("bench.Tick", "t", 1, AKT_COPY, &m), "msg");
    char ref[32];
    akt_schedule_options o = {sizeof o, ref, {0}};
    long before = rss_bytes();
    double t0 = now_s();
    for (long i = 0; i < k; i++) {
        snprintf(ref, sizeof ref, "t-%ld", i);
        akt_msg_retain(m);
        check(akt_schedule_once(sys, pid, m, 3600LL * 1000000000LL + i, &o, NULL, 0), "schedule");
    }
    double dt = now_s() - t0;
    long after = rss_bytes();
    t0 = now_s();
    for (long i = 0; i < k; i++) {
        snprintf(ref, sizeof ref, "t-%ld", i);
        check(akt_schedule_cancel(sys, ref), "cancel");
    }
    double dc = now_s() - t0;
    akt_msg_release(m);
    emit("timers_schedule", k / dt, "op/s", k);
    emit("timers_cancel", k / dc, "op/s", k);
    emit("timer_bytes", (double)(after - before) / k, "B", k);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
}

/* ---- grains: tell and ask by identity against a direct tell / ask, and bytes per idle
 * grain against bytes per idle actor, each pair in the same run ----------------------- */
static sink *g_grain_sink; /* the one sink grain's state (the bench frees it) */
static atomic_long g_activations;

static int grain_sink_activate(void *data, const char *name, const akt_behavior **b, void **state) {
    static const akt_behavior sb = {.size = sizeof sb, .receive = sink_receive};
    *b = &sb;
    *state = g_grain_sink;
    return 0;
}

static int grain_echo_activate(void *data, const char *name, const akt_behavior **b, void **state) {
    static const akt_behavior eb = {.size = sizeof eb, .receive = echo_receive};
    *b = &eb;
    *state = NULL;
    /* relaxed: a counter the main thread polls; the idle-bytes figure needs no ordering. */
    atomic_fetch_add_explicit(&g_activations, 1, memory_order_relaxed);
    return 0;
}

static void grain_sender(akt_system *sys, const char *kind, const char *name, long n) {
    static const char payload[] = "ping";
    for (long i = 0; i < n; i++) {
        akt_msg *m;
        check(akt_msg_new_bytes("bench.Ping", payload, 4, AKT_BORROW, &m), "msg");
        check(akt_grain_tell(sys, kind, name, m), "grain tell");
    }
}

static double ask_rtt_ns(akt_system *sys, akt_pid pid, const char *kind, long n) {
    long warm = n / 10 + 1;
    double t0 = 0;
    for (long i = 0; i < warm + n; i++) {
        if (i == warm) t0 = now_s();
        akt_msg *m, *reply;
        akt_future *f;
        check(akt_msg_new_bytes("bench.Ping", "ping", 4, AKT_BORROW, &m), "msg");
        if (kind)
            check(akt_grain_ask(sys, kind, "echo", m, 5000000000ll, &f), "grain ask");
        else
            check(akt_ask(sys, pid, m, 5000000000ll, &f), "ask");
        check(akt_future_wait(f, -1, &reply), "wait");
        akt_msg_release(reply);
        akt_future_release(f);
    }
    return (now_s() - t0) / n * 1e9;
}

static void ratio(const char *bench, double v, long n) {
    printf("{\"impl\":\"akt\",\"bench\":\"%s\",\"value\":%.3f,\"unit\":\"ratio\",\"n\":%ld}\n",
           bench, v, n);
    fflush(stdout);
}

static void bench_grains(long n, long asks, long k) {
    akt_system *sys = new_system();
    akt_grain_kind def;
    akt_grain_kind_init(&def);
    def.deactivate_after_ns = 0; /* long-lived: nothing deactivates during the run */
    def.activate = grain_sink_activate;
    check(akt_grain_kind_register(sys, "sink", &def), "register");
    def.activate = grain_echo_activate;
    check(akt_grain_kind_register(sys, "echo", &def), "register");

    /* Tell: one sender, n messages, to an actor then to a grain. */
    sink *direct = calloc(1, sizeof *direct);
    g_grain_sink = calloc(1, sizeof *g_grain_sink);
    direct->target = g_grain_sink->target = n;
    akt_behavior b = {.size = sizeof b, .receive = sink_receive, .free_state = free};
    akt_pid d;
    check(akt_spawn(sys, &b, direct, NULL, &d), "spawn");
    double vd = tell_rate(sys, d, direct, n);
    double t0 = now_s();
    grain_sender(sys, "sink", "s", n);
    struct timespec nap = {0, 50000};
    while (!atomic_load_explicit(&g_grain_sink->done, memory_order_acquire)) nanosleep(&nap, NULL);
    double vg = n / (now_s() - t0);
    emit("tell_direct", vd, "msg/s", n);
    emit("tell_grain", vg, "msg/s", n);
    ratio("grain_tell_over_direct", vg / vd, n);

    /* Ask: sequential round trips to an echo actor, then to an echo grain. */
    akt_behavior eb = {.size = sizeof eb, .receive = echo_receive};
    akt_pid e;
    check(akt_spawn(sys, &eb, NULL, NULL, &e), "spawn");
    double ad = ask_rtt_ns(sys, e, NULL, asks), ag = ask_rtt_ns(sys, e, "echo", asks);
    emit("ask_rtt_direct", ad, "ns", asks);
    emit("ask_rtt_grain", ag, "ns", asks);
    ratio("grain_ask_rtt_over_direct", ag / ad, asks);

    /* Idle bytes: k anonymous idle actors, then k activated idle grains. */
    long before = rss_bytes();
    for (long i = 0; i < k; i++) {
        akt_pid pid;
        check(akt_spawn(sys, &eb, NULL, NULL, &pid), "spawn");
    }
    long mid = rss_bytes();
    char name[32];
    atomic_store(&g_activations, 0);
    for (long i = 0; i < k; i++) {
        snprintf(name, sizeof name, "g%ld", i);
        akt_msg *m;
        check(akt_msg_new_bytes("bench.Ping", "ping", 4, AKT_BORROW, &m), "msg");
        check(akt_grain_tell(sys, "echo", name, m), "grain tell");
    }
    while (atomic_load_explicit(&g_activations, memory_order_relaxed) < k) nanosleep(&nap, NULL);
    long after = rss_bytes();
    double ba = (double)(mid - before) / k, bg = (double)(after - mid) / k;
    emit("idle_actor_bytes_same_run", ba, "B", k);
    emit("idle_grain_bytes", bg, "B", k);
    ratio("idle_grain_over_actor_bytes", bg / ba, k);
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    free(g_grain_sink);
}

/* ---- the machine: a cache-line round trip between two threads ----------------------- */
/* Every cross-thread figure above pays this latency a few times per message; on a VM it
 * moves with where the host places the two vCPUs, so it is printed next to them. */
/* ---- typed messages: the same tell 1 -> 1 with a name per message and with an akt_type
 * handle; heap allocations per tell counted by a counting default allocator ---------- */
static atomic_long g_heap_allocs;
static void *count_malloc(void *d, size_t n) {
    (void)d;
    /* relaxed: a statistic read after the senders were joined. */
    atomic_fetch_add_explicit(&g_heap_allocs, 1, memory_order_relaxed);
    return malloc(n);
}
static void *count_realloc(void *d, void *p, size_t n) {
    (void)d;
    atomic_fetch_add_explicit(&g_heap_allocs, 1, memory_order_relaxed);
    return realloc(p, n);
}
static void count_free(void *d, void *p) {
    (void)d;
    free(p);
}

#define TYPED_NAME "shop.orders.v1.OrderPlaced"
static const akt_type *g_order_type;
typedef struct {
    long target, seen, matched;
    int typed;
    atomic_int done;
} typed_sink;

static int typed_receive(akt_ctx *ctx, akt_msg *msg, void *state) {
    typed_sink *s = state;
    /* What a receive does to tell its messages apart: a strcmp, or an integer compare. */
    if (s->typed ? akt_msg_type_id(msg) == akt_type_id(g_order_type)
                 : strcmp(akt_msg_type(msg), TYPED_NAME) == 0) {
        int64_t v;
        if (akt_msg_read(msg, &v, sizeof v) == 0) s->matched += v;
    }
    /* release: main's acquire load sees the finished count. */
    if (++s->seen == s->target) atomic_store_explicit(&s->done, 1, memory_order_release);
    return 0;
}

static double typed_round(int typed, long n, double *allocs) {
    akt_system *sys = new_system();
    typed_sink *s = calloc(1, sizeof *s);
    s->target = n;
    s->typed = typed;
    akt_behavior b = {.size = sizeof b, .receive = typed_receive, .free_state = free};
    akt_pid pid;
    check(akt_spawn(sys, &b, s, NULL, &pid), "spawn");
    long a0 = atomic_load(&g_heap_allocs);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        akt_msg *m;
        int64_t v = 1;
        if (typed)
            check(akt_msg_new_typed(g_order_type, &v, sizeof v, AKT_COPY, &m), "msg");
        else
            check(akt_msg_new_bytes(TYPED_NAME, &v, sizeof v, AKT_COPY, &m), "msg");
        check(akt_tell(sys, pid, m), "tell");
    }
    struct timespec nap = {0, 50000};
    while (!atomic_load_explicit(&s->done, memory_order_acquire)) nanosleep(&nap, NULL);
    double dt = now_s() - t0;
    *allocs = (double)(atomic_load(&g_heap_allocs) - a0) / (double)n;
    if (s->matched != n) {
        fprintf(stderr, "typed: %ld of %ld matched\n", s->matched, n);
        exit(1);
    }
    akt_system_shutdown(sys, NULL, NULL);
    akt_system_wait(sys, -1);
    akt_system_release(sys);
    return n / dt;
}

static void bench_typed(long n) {
    akt_system *reg = new_system();
    check(akt_type_register(reg, TYPED_NAME, &g_order_type), "type");
    akt_system_shutdown(reg, NULL, NULL);
    akt_system_wait(reg, -1);
    akt_system_release(reg);
    double named[3], typed[3], an = 0, at = 0;
    for (int r = 0; r < 3; r++) { /* alternating, medians */
        named[r] = typed_round(0, n, &an);
        typed[r] = typed_round(1, n, &at);
    }
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++) {
            if (named[j] < named[i]) {
                double t = named[i];
                named[i] = named[j], named[j] = t;
            }
            if (typed[j] < typed[i]) {
                double t = typed[i];
                typed[i] = typed[j], typed[j] = t;
            }
        }
    emit("tell_1to1_named", named[1], "msg/s", n);
    emit("tell_1to1_typed", typed[1], "msg/s", n);
    ratio("typed_over_named", typed[1] / named[1], n);
    emit("heap_allocs_per_tell_named", an, "allocs", n);
    emit("heap_allocs_per_tell_typed", at, "allocs", n);
    /* The bytes a message's own block holds before its payload: the name's copy, or none. */
    emit("type_bytes_copied_named", (double)sizeof TYPED_NAME, "B", n);
    emit("type_bytes_copied_typed", 0, "B", n);
}

static atomic_long pingpong;

static void *pong_main(void *p) {
    long n = *(long *)p;
    for (long i = 0; i < n; i++) {
        while (atomic_load_explicit(&pingpong, memory_order_acquire) != 2 * i + 1) {
        }
        atomic_store_explicit(&pingpong, 2 * i + 2, memory_order_release);
    }
    return NULL;
}

static void bench_core_rtt(long n) {
    pthread_t th;
    atomic_store(&pingpong, 0);
    pthread_create(&th, NULL, pong_main, &n);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        atomic_store_explicit(&pingpong, 2 * i + 1, memory_order_release);
        while (atomic_load_explicit(&pingpong, memory_order_acquire) != 2 * i + 2) {
        }
    }
    double dt = now_s() - t0;
    pthread_join(th, NULL);
    printf(
        "{\"impl\":\"machine\",\"bench\":\"core_rtt\",\"value\":%.1f,\"unit\":\"ns\",\"n\":%ld}\n",
        dt / n * 1e9, n);
    fflush(stdout);
}

int main(int argc, char **argv) {
    const char *which = "all";
    long n = 2000000, asks = 200000, actors = 1000000, timers = 1000000;
    int pairs = 4;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-bench=", 7) == 0)
            which = argv[i] + 7;
        else if (strncmp(argv[i], "-n=", 3) == 0)
            n = atol(argv[i] + 3);
        else if (strncmp(argv[i], "-asks=", 6) == 0)
            asks = atol(argv[i] + 6);
        else if (strncmp(argv[i], "-actors=", 8) == 0)
            actors = atol(argv[i] + 8);
        else if (strncmp(argv[i], "-timers=", 8) == 0)
            timers = atol(argv[i] + 8);
        else if (strncmp(argv[i], "-pairs=", 7) == 0)
            pairs = atoi(argv[i] + 7);
        else if (strncmp(argv[i], "-workers=", 9) == 0)
            g_workers = atoi(argv[i] + 9);
    }
    if (pairs < 1 || pairs > 64) {
        fprintf(stderr, "-pairs must be 1..64\n");
        return 2;
    }
    int all = strcmp(which, "all") == 0;
    if (!strcmp(which, "typed")) { /* its own process: the counting allocator comes first */
        static const akt_allocator counting = {.size = sizeof counting,
                                               .malloc_fn = count_malloc,
                                               .realloc_fn = count_realloc,
                                               .free_fn = count_free};
        check(akt_allocator_set_default(&counting), "allocator");
        bench_typed(n);
        return 0;
    }
    /* First: idle_actor_bytes is RSS growth, which the pages earlier benchmarks give back
     * meanwhile would make smaller (negative, even). bench/run.sh runs one per process. */
    if (all || !strcmp(which, "spawn_1m")) bench_spawn(actors);
    if (all || !strcmp(which, "tell_1to1")) bench_tell("tell_1to1", 1, n);
    if (all || !strcmp(which, "tell_2to1")) bench_tell("tell_2to1", 2, n);
    if (all || !strcmp(which, "ask_rtt")) {
        bench_core_rtt(5 * asks); /* 1 M by default; scaled down with -asks (the smoke test) */
        bench_ask("ask_rtt", asks);
        bench_ask("ask_rtt_future", asks);
    }
    if (!strcmp(which, "ask_rtt_future")) bench_ask("ask_rtt_future", asks);
    if (all || !strcmp(which, "tell_pairwise")) bench_pairwise(pairs, n);
    if (all || !strcmp(which, "ask_chain")) bench_ask_chain(asks);
    /* The machine alone (bench/savina/run.sh prints it next to its figures). */
    if (!strcmp(which, "core_rtt")) bench_core_rtt(5 * asks);
    /* No GoAkt peer: run on its own (-bench=router), a ratio of two figures of one run. */
    if (!strcmp(which, "router")) bench_router(n);
    if (all || !strcmp(which, "mailboxes")) {
        akt_mailbox_spec bounded = {.size = sizeof bounded,
                                    .capacity = 1024,
                                    .when_full = AKT_MAILBOX_BLOCK,
                                    .block_timeout_ns = INT64_MAX};
        /* local begin: every kind, and each over the default in this run */
        akt_mailbox_spec priority = {
            .size = sizeof priority, .kind = AKT_MAILBOX_PRIORITY, .compare = by_nothing};
        akt_mailbox_spec fair = {.size = sizeof fair, .kind = AKT_MAILBOX_FAIR};
        double v0 = bench_tell_into("tell_1to1_default", 1, n, NULL);
        double vb = bench_tell_into("tell_1to1_bounded1024", 1, n, &bounded);
        double vp = bench_tell_into("tell_1to1_priority", 1, n, &priority);
        double vf = bench_tell_into("tell_1to1_fair", 1, n, &fair);
        ratio("bounded1024_over_default_tell", vb / v0, n);
        ratio("priority_over_default_tell", vp / v0, n);
        ratio("fair_over_default_tell", vf / v0, n);
        /* local end */
    }
    /* One kind per process for a clean figure (freed memory would be reused). */
    long q = n < 200000 ? n : 200000;
    if (all || !strcmp(which, "mailbox_bytes_fifo"))
        bench_mailbox_bytes("mailbox_bytes_fifo", AKT_MAILBOX_FIFO, q);
    if (all || !strcmp(which, "mailbox_bytes_bounded")) /* local */
        bench_mailbox_bytes("mailbox_bytes_bounded", -1, q);
    if (all || !strcmp(which, "mailbox_bytes_priority"))
        bench_mailbox_bytes("mailbox_bytes_priority", AKT_MAILBOX_PRIORITY, q);
    if (all || !strcmp(which, "mailbox_bytes_fair"))
        bench_mailbox_bytes("mailbox_bytes_fair", AKT_MAILBOX_FAIR, q);
    if (all || !strcmp(which, "timers_1m")) bench_timers(timers);
    /* Against GoAkt's grains in bench/goakt (-bench=grains there), paired by bench/run.sh. */
    if (!strcmp(which, "grains")) bench_grains(n, asks, actors);
    return 0;
}
