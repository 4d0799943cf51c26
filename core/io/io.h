/* The I/O thread: one libuv loop on its own thread per system that uses the network.
 * Other threads reach it only by posting commands: a push onto a lock-free MPSC queue and
 * one uv_async_send, so no caller ever blocks on it and it never blocks on them. Commands
 * run on the loop thread in the order each poster posted them. */
#ifndef AKT_CORE_IO_IO_H
#define AKT_CORE_IO_IO_H
#include <akt/akt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <uv.h>

#include "base/tls.h"
#include "queue/mpsc.h"

struct akt__io;

/* A command: run(io, cmd) on the loop thread, which then owns cmd (frees it or reuses it).
 * The node must be first: the queue links commands through it. */
typedef struct akt__io_cmd {
    akt__node node;
    void (*run)(struct akt__io *io, struct akt__io_cmd *cmd);
} akt__io_cmd;

typedef struct akt__io {
    uv_loop_t loop;
    uv_async_t wake;
    akt__mpsc cmds;
    pthread_t thread;
    const akt__thread_hooks *hooks;
    /* Called on the loop thread after each wake-up's commands ran (remoting runs its
     * proxies' dispatcher there); may be NULL. */
    void (*on_wake)(struct akt__io *io, void *data);
    void *wake_data;
    /* Posters between their check of `closed` and their uv_async_send: the stop waits for
     * them to leave before the async handle is closed. */
    atomic_int posting;
    atomic_int closed;
    int inited, started;
    int quit; /* loop thread only: set by the stop command */
    /* Loop thread only: bumped by every callback that brings work (a wake-up, bytes read:
     * akt__io_note), so that the loop can tell a busy spell from an idle one (the poll). */
    uint64_t events;
    /* The poll's window: how long the loop keeps polling after the last event before it
     * blocks again, ns (0: it never polls); see akt__io_run. */
    int64_t poll_ns;
    /* Top-level work (akt__io_defer): on_top runs once the libuv callback that asked for it
     * returns to akt__io_run, outside every callback, where it may wait. Loop thread only. */
    void (*on_top)(struct akt__io *io, void *data);
    int top_due; /* on_top was asked for */
    int at_top;  /* on_top is running: the loop runs only in its waits (akt__self.pump) */
    /* The loop's owner: held by the loop thread, or by its stand-in (io/standin.h) while
     * the loop thread is in a long top-level run. */
    pthread_mutex_t loop_mu;
    /* The stand-in: its thread, its sleep (standin_mu, standin_cv) and what the two threads
     * tell each other without the lock (io/standin.c says why each order is enough). */
    pthread_t standin;
    int standin_started;
    pthread_mutex_t standin_mu;
    pthread_cond_t standin_cv;
    atomic_int standin_quit;
    atomic_int standin_watching;
    atomic_int standin_on;     /* the stand-in runs the loop */
    atomic_int top_seen;       /* a top-level run began since the stand-in's last look */
    _Atomic int64_t top_since; /* when the running top-level run began (ns), 0: none */
    akt__io_cmd quit_cmd;
    /* Called on the loop thread once `quit` is set, before the loop drains: closes the
     * user's handles (uv_close), so that the loop can end. */
    void (*on_quit)(struct akt__io *io, void *data);
} akt__io;

/* Initialises the loop (its handles may then be set up from this thread, before the start).
 * AKT_ENOMEM if it cannot be made. */
int akt__io_init(akt__io *io);
/* Creates a thread that may run the loop, with SIGPIPE blocked (io.c says why). */
int akt__io_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg);
/* Starts the loop's thread (thread hooks index -3); from then on only the loop thread
 * touches the loop. AKT_ENOMEM if the thread cannot be made. */
int akt__io_start(akt__io *io, const akt__thread_hooks *hooks);
/* Undoes akt__io_init when the thread was never started: closes every handle. */
void akt__io_destroy(akt__io *io);
/* Queues cmd for the loop thread and wakes it. AKT_ECLOSED once the loop is stopping: cmd
 * is then still the caller's. Any thread, never blocks. */
int akt__io_post(akt__io *io, akt__io_cmd *cmd);
/* Wakes the loop without a command (runs on_wake). Any thread; a no-op once closed. */
void akt__io_wake(akt__io *io);
/* Stops the loop: refuses new posts, runs the commands already posted, on_quit, then ends
 * the loop once every handle is closed, and joins the thread. Not from the loop thread.
 * Idempotent. */
void akt__io_stop(akt__io *io);
/* Loop thread, in a libuv callback: asks for on_top to run once the callback returns, at
 * the loop's top level. There a wait (akt_future_wait) runs the loop instead of sleeping
 * (akt__self.pump), so on_top may run an actor's turn that waits for the network; and a
 * run that lasts (a turn blocked some other way) has the loop run by a stand-in thread
 * meanwhile (io/standin.h). 0 if it will run; AKT_EBUSY while on_top runs (its waits run
 * callbacks: not nested). */
int akt__io_defer(akt__io *io);
/* Counts one event that brought work (loop thread only): keeps the loop polling. */
static inline void akt__io_note(akt__io *io) { io->events++; }
/* 1 on the loop thread of io. */
int akt__io_on_loop(const akt__io *io);

#endif
