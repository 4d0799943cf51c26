/* The I/O thread: its loop, its command queue and its orderly stop. */
#include "io.h"

#include <sched.h>
#include <signal.h>

#include "base/spin.h"
#include "standin.h"

#define AKT__IO_THREAD_INDEX -3
/* The poll's default window (akt__io_run), and the longest sleep after which the loop still
 * polls: traffic sparser than that is not worth a core's time. */
#define AKT__IO_POLL_NS 200000
#define AKT__IO_POLL_AFTER_SLEEP_NS 1000000

static void akt__io_drain(akt__io *io) {
    akt__node *n;
    while ((n = akt__mpsc_pop(&io->cmds))) {
        akt__io_cmd *c = (akt__io_cmd *)n;
        c->run(io, c);
    }
}

static void akt__io_walk_close(uv_handle_t *h, void *arg) {
    (void)arg;
    if (!uv_is_closing(h)) uv_close(h, NULL);
}

static void akt__io_on_async(uv_async_t *a) {
    akt__io *io = a->data;
    akt__io_note(io);
    akt__io_drain(io);
    if (io->on_wake && !io->quit) io->on_wake(io, io->wake_data);
    /* A pop can miss a command whose poster is between its exchange and its link store;
     * that poster's uv_async_send comes after, so another wake-up follows. */
    if (io->quit && !uv_is_closing((uv_handle_t *)&io->wake)) {
        if (io->on_quit) io->on_quit(io, io->wake_data);
        uv_close((uv_handle_t *)&io->wake, NULL);
    }
}

static void akt__io_quit_run(akt__io *io, akt__io_cmd *c) {
    (void)c; /* static: nothing to free */
    io->quit = 1;
}

/* akt__self.pump while on_top runs: the loop once, without blocking, in the context of a
 * plain I/O thread (the turn that waits is set aside, so the callbacks, which may run the
 * proxies' dispatcher, neither see it nor nest a top-level run); 1 if it brought an event. */
static int akt__io_pump(void *data) {
    akt__io *io = data;
    if (pthread_mutex_trylock(&io->loop_mu)) return 0; /* the stand-in runs it */
    uint64_t before = io->events;
    akt__tls turn = akt__self;
    akt__self = (akt__tls){.own_system = turn.own_system};
    uv_run(&io->loop, UV_RUN_NOWAIT);
    akt__self = turn;
    int brought = io->events != before;
    pthread_mutex_unlock(&io->loop_mu);
    return brought;
}

int akt__io_defer(akt__io *io) {
    if (io->at_top || !io->on_top) return AKT_EBUSY;
    io->top_due = 1;
    return 0;
}

static void akt__io_top(akt__io *io) {
    io->top_due = 0;
    io->at_top = 1;
    akt__self.pump = akt__io_pump;
    akt__self.pump_data = io;
    akt__standin_top_begins(io);
    io->on_top(io, io->wake_data);
    akt__standin_top_ends(io);
    akt__self.pump = NULL;
    akt__self.pump_data = NULL;
    io->at_top = 0;
}

/* The loop: it blocks for events, and after a busy spell it polls (a look that does not
 * block, a pause) until no event came for poll_ns, then blocks again. A request and its
 * answer (an ask's round trip, a reply a worker hands back) then find the loop awake, and
 * the hop costs no wake-up of a sleeping thread: a futex or eventfd wake-up is 10-40 us on
 * a virtual machine, several of them make a remote ask's round trip. It polls only while
 * events come close together (its last sleep shorter than AKT__IO_POLL_AFTER_SLEEP_NS, or
 * the last poll found one): an idle node, or one with sparse traffic, sleeps as before.
 * Returns once no handle is left. */
static void akt__io_run(akt__io *io) {
    int polled_one = 0; /* the last poll found an event */
    for (;;) {
        uint64_t before = io->events;
        uint64_t slept = uv_hrtime();
        int alive = uv_run(&io->loop, UV_RUN_ONCE);
        if (io->top_due) akt__io_top(io);
        if (!alive) return;
        uint64_t now = uv_hrtime();
        slept = now - slept;
        if (io->events == before || io->poll_ns <= 0 || io->quit) continue; /* a timer */
        if (!polled_one && slept > AKT__IO_POLL_AFTER_SLEEP_NS) continue;
        polled_one = 0;
        uint64_t last = now, seen = io->events;
        while (now - last < (uint64_t)io->poll_ns && !io->quit) {
            sched_yield();
            alive = uv_run(&io->loop, UV_RUN_NOWAIT);
            if (io->top_due) akt__io_top(io);
            if (!alive) return;
            now = uv_hrtime();
            if (io->events != seen) {
                seen = io->events;
                last = now;
                polled_one = 1;
            }
        }
    }
}

static void *akt__io_main(void *arg) {
    akt__io *io = arg;
    akt__thread_enter(io->hooks, AKT__IO_THREAD_INDEX);
    pthread_mutex_lock(&io->loop_mu);
    akt__io_run(io);
    /* Handles a quit left open (a part's stray timer): closed here, so the loop ends. */
    uv_walk(&io->loop, akt__io_walk_close, NULL);
    uv_run(&io->loop, UV_RUN_DEFAULT);
    pthread_mutex_unlock(&io->loop_mu);
    akt__thread_leave(io->hooks, AKT__IO_THREAD_INDEX);
    return NULL;
}

static void akt__io_sync_destroy(akt__io *io) {
    pthread_cond_destroy(&io->standin_cv);
    pthread_mutex_destroy(&io->standin_mu);
    pthread_mutex_destroy(&io->loop_mu);
}

int akt__io_init(akt__io *io) {
    akt__mpsc_init(&io->cmds);
    atomic_init(&io->posting, 0);
    atomic_init(&io->closed, 0);
    io->events = 0;
    io->poll_ns = AKT__IO_POLL_NS;
    atomic_init(&io->standin_quit, 0);
    atomic_init(&io->standin_watching, 0);
    atomic_init(&io->standin_on, 0);
    atomic_init(&io->top_seen, 0);
    atomic_init(&io->top_since, 0);
    if (pthread_mutex_init(&io->loop_mu, NULL)) return AKT_ENOMEM;
    if (pthread_mutex_init(&io->standin_mu, NULL)) {
        pthread_mutex_destroy(&io->loop_mu);
        return AKT_ENOMEM;
    }
    if (pthread_cond_init(&io->standin_cv, NULL)) {
        pthread_mutex_destroy(&io->standin_mu);
        pthread_mutex_destroy(&io->loop_mu);
        return AKT_ENOMEM;
    }
    if (uv_loop_init(&io->loop)) {
        akt__io_sync_destroy(io);
        return AKT_ENOMEM;
    }
    if (uv_async_init(&io->loop, &io->wake, akt__io_on_async)) {
        uv_loop_close(&io->loop);
        akt__io_sync_destroy(io);
        return AKT_ENOMEM;
    }
    io->wake.data = io;
    io->inited = 1;
    return 0;
}

/* A thread that runs the loop starts with SIGPIPE blocked: libuv writes with writev, which has
 * no MSG_NOSIGNAL, and a write to a socket the peer closed would kill a program that kept
 * SIGPIPE's default (Python, Node and the JVM ignore it; a C program need not). Blocked, that
 * write fails with EPIPE, the connection closes as any lost one does, and the process's own
 * disposition of SIGPIPE is left as it was. The signal is directed at the writing thread, so it
 * stays pending there and is discarded when the thread ends. The mask is inherited: set around
 * the create. */
int akt__io_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg) {
    sigset_t pipe_only, before;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &before);
    int rc = pthread_create(thread, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    return rc ? AKT_ENOMEM : 0;
}

int akt__io_start(akt__io *io, const akt__thread_hooks *hooks) {
    io->hooks = hooks;
    if (akt__standin_start(io)) return AKT_ENOMEM;
    if (akt__io_thread_create(&io->thread, akt__io_main, io)) {
        akt__standin_stop(io);
        return AKT_ENOMEM;
    }
    io->started = 1;
    return 0;
}

void akt__io_destroy(akt__io *io) {
    if (!io->inited || io->started) return;
    uv_walk(&io->loop, akt__io_walk_close, NULL);
    uv_run(&io->loop, UV_RUN_DEFAULT);
    uv_loop_close(&io->loop);
    akt__io_sync_destroy(io);
    io->inited = 0;
}

/* Enters the posting section: 0 if the loop still takes posts. */
static int akt__io_enter(akt__io *io) {
    /* seq_cst on both: the Dekker pair with akt__io_stop's "closed = 1, then wait for
     * posting == 0": either the stop sees this poster, or this poster sees closed. */
    atomic_fetch_add_explicit(&io->posting, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&io->closed, memory_order_seq_cst)) {
        atomic_fetch_sub_explicit(&io->posting, 1, memory_order_release);
        return AKT_ECLOSED;
    }
    return 0;
}

static void akt__io_leave(akt__io *io) {
    /* release: the push and the send happen before the stop may close the handle. */
    atomic_fetch_sub_explicit(&io->posting, 1, memory_order_release);
}

int akt__io_post(akt__io *io, akt__io_cmd *cmd) {
    if (akt__io_enter(io)) return AKT_ECLOSED;
    akt__mpsc_push(&io->cmds, &cmd->node);
    uv_async_send(&io->wake);
    akt__io_leave(io);
    return 0;
}

void akt__io_wake(akt__io *io) {
    if (akt__io_enter(io)) return;
    uv_async_send(&io->wake);
    akt__io_leave(io);
}

int akt__io_on_loop(const akt__io *io) {
    return io->started && pthread_equal(io->thread, pthread_self());
}

void akt__io_stop(akt__io *io) {
    if (!io->started) return;
    /* Close the door first, then wait for the posters inside it: after that, nobody but
     * this call touches the async handle, and every command posted so far is linked. */
    atomic_store_explicit(&io->closed, 1, memory_order_seq_cst);
    /* acquire: pairs with the posters' release, so their pushes are complete. */
    while (atomic_load_explicit(&io->posting, memory_order_acquire)) sched_yield();
    /* The quit command is the last in the queue: the loop runs the others first. */
    io->quit_cmd.run = akt__io_quit_run;
    akt__mpsc_push(&io->cmds, &io->quit_cmd.node);
    uv_async_send(&io->wake);
    pthread_join(io->thread, NULL);
    akt__standin_stop(io);
    uv_loop_close(&io->loop);
    akt__io_sync_destroy(io);
    io->started = 0;
    io->inited = 0;
}
