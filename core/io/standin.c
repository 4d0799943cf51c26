/* The I/O thread's stand-in (standin.h). It watches only while top-level runs happen (a
 * look every AKT__STANDIN_LOOK_NS, for AKT__STANDIN_QUIET_LOOKS looks after the last one),
 * and takes the loop over once a run has lasted AKT__STANDIN_AFTER_NS: a turn that long is
 * waiting for something, and often for what the loop would bring it. */
#include "standin.h"

#include <time.h>

#include "base/clock.h"
#include "base/tls.h"

#define AKT__STANDIN_LOOK_NS 2000000
#define AKT__STANDIN_AFTER_NS 5000000
#define AKT__STANDIN_QUIET_LOOKS 500

static void akt__standin_nap(long ns) {
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

/* Runs the loop while the top-level run that began at `since` lasts. */
static void akt__standin_run(akt__io *io, int64_t since) {
    /* trylock: the loop thread holds loop_mu only for a look of its waits (the pump) while
     * the run lasts; once the run ended it holds it for good, and this gives up. seq_cst
     * loads of top_since: see below. */
    while (pthread_mutex_trylock(&io->loop_mu)) {
        if (atomic_load_explicit(&io->top_since, memory_order_seq_cst) != since) return;
        akt__standin_nap(50000);
    }
    /* seq_cst: a Dekker pair with akt__standin_top_ends ("top_since = 0, then is the
     * stand-in on?"): either that end sees standin_on and wakes this loop, or this sees
     * the end and does not run the loop. */
    atomic_store_explicit(&io->standin_on, 1, memory_order_seq_cst);
    while (atomic_load_explicit(&io->top_since, memory_order_seq_cst) == since)
        if (!uv_run(&io->loop, UV_RUN_ONCE)) akt__standin_nap(1000000); /* all closed */
    atomic_store_explicit(&io->standin_on, 0, memory_order_relaxed);
    pthread_mutex_unlock(&io->loop_mu);
}

/* Looks until top-level runs have stopped for a while, or the stop. */
static void akt__standin_watch(akt__io *io) {
    for (int quiet = 0; quiet < AKT__STANDIN_QUIET_LOOKS;) {
        akt__standin_nap(AKT__STANDIN_LOOK_NS);
        /* relaxed: the flag only keeps the watch going; it is set again by every run. */
        if (atomic_load_explicit(&io->standin_quit, memory_order_relaxed)) return;
        quiet = atomic_exchange_explicit(&io->top_seen, 0, memory_order_relaxed) ? 0 : quiet + 1;
        int64_t since = atomic_load_explicit(&io->top_since, memory_order_seq_cst);
        if (since && akt__now_ns() - since >= AKT__STANDIN_AFTER_NS) {
            akt__standin_run(io, since);
            quiet = 0;
        }
    }
}

static void *akt__standin_main(void *arg) {
    akt__io *io = arg;
    akt__thread_enter(io->hooks, AKT__IO_STANDIN_INDEX);
    pthread_mutex_lock(&io->standin_mu);
    for (;;) {
        while (!atomic_load_explicit(&io->standin_quit, memory_order_relaxed) &&
               !atomic_load_explicit(&io->standin_watching, memory_order_relaxed))
            pthread_cond_wait(&io->standin_cv, &io->standin_mu);
        if (atomic_load_explicit(&io->standin_quit, memory_order_relaxed)) break;
        pthread_mutex_unlock(&io->standin_mu);
        akt__standin_watch(io);
        pthread_mutex_lock(&io->standin_mu);
        /* seq_cst: a Dekker pair with akt__standin_top_begins ("top_seen = 1, then is it
         * watching?"): either that run sees watching 0 and signals, or this sees its
         * top_seen and watches on. */
        atomic_store_explicit(&io->standin_watching, 0, memory_order_seq_cst);
        if (atomic_load_explicit(&io->top_seen, memory_order_seq_cst))
            atomic_store_explicit(&io->standin_watching, 1, memory_order_relaxed);
    }
    pthread_mutex_unlock(&io->standin_mu);
    akt__thread_leave(io->hooks, AKT__IO_STANDIN_INDEX);
    return NULL;
}

int akt__standin_start(akt__io *io) {
    /* It runs the loop too, so it writes to sockets as the loop thread does. */
    if (akt__io_thread_create(&io->standin, akt__standin_main, io)) return AKT_ENOMEM;
    io->standin_started = 1;
    return 0;
}

void akt__standin_stop(akt__io *io) {
    if (!io->standin_started) return;
    pthread_mutex_lock(&io->standin_mu);
    atomic_store_explicit(&io->standin_quit, 1, memory_order_relaxed); /* the lock orders it */
    pthread_cond_signal(&io->standin_cv);
    pthread_mutex_unlock(&io->standin_mu);
    pthread_join(io->standin, NULL);
    io->standin_started = 0;
}

void akt__standin_top_begins(akt__io *io) {
    /* seq_cst: the stand-in reads it without the lock (akt__standin_run's pair). */
    atomic_store_explicit(&io->top_since, akt__now_ns(), memory_order_seq_cst);
    atomic_store_explicit(&io->top_seen, 1, memory_order_seq_cst); /* the watch's pair */
    if (!atomic_load_explicit(&io->standin_watching, memory_order_seq_cst)) {
        pthread_mutex_lock(&io->standin_mu);
        atomic_store_explicit(&io->standin_watching, 1, memory_order_relaxed);
        pthread_cond_signal(&io->standin_cv);
        pthread_mutex_unlock(&io->standin_mu);
    }
    pthread_mutex_unlock(&io->loop_mu);
}

void akt__standin_top_ends(akt__io *io) {
    atomic_store_explicit(&io->top_since, 0, memory_order_seq_cst);
    /* The stand-in may be blocked in the loop's poll: a wake-up ends its run. No-op once
     * the loop is closing (the stop's own wake-up does it then). */
    if (atomic_load_explicit(&io->standin_on, memory_order_seq_cst)) akt__io_wake(io);
    pthread_mutex_lock(&io->loop_mu);
}
