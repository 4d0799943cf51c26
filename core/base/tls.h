/* Per-thread state of akt threads and of threads running actor callbacks, and the hooks a
 * system runs on the threads it creates. */
#ifndef AKT_CORE_BASE_TLS_H
#define AKT_CORE_BASE_TLS_H
#include <akt/akt.h>

struct akt__cell;
struct akt__ctx;
struct akt_dispatcher;

typedef struct akt__tls {
    akt_system *own_system;         /* set on threads akt created for this system */
    struct akt__ctx *ctx;           /* the running callback's record (kernel/ctx.h), or NULL */
    struct akt__cell *cell;         /* the actor whose callback is running */
    struct akt_dispatcher *running; /* the dispatcher this thread is running now */
    akt_future *future_cb;          /* the future whose completion callback is running */
    /* Set on a dispatcher's worker threads: called before this thread blocks in akt (a
     * future's wait), so that work only it would run (cells it queued for itself) goes
     * where other workers find it. */
    void (*before_block)(void);
    /* Set while a plain thread that may run its target's turn (akt_system_options.
     * waiters_run_turns) sends an ask: the cell it queues is held for it (sched/help.c).
     * AKT__ASKING_WAITS: the asker waits at once (akt_ask_wait), so the parked worker's
     * wake-up is not made but owed (below). */
    int asking;
    /* The dispatcher whose wake-up an AKT__ASKING_WAITS ask left unmade: its asker runs
     * the turn itself or, if it cannot, makes the wake-up (actor/send.c). */
    struct akt_dispatcher *owed;
    /* Set while an I/O thread runs work at its loop's top level (io/io.c, akt__io_defer):
     * a wait on this thread calls pump(pump_data), which runs the loop once without
     * blocking (1 if it brought an event), instead of sleeping, so that what the wait
     * needs (a reply that thread reads) still comes. */
    int (*pump)(void *data);
    void *pump_data;
} akt__tls;

enum { AKT__ASKING_HOLDS = 1, AKT__ASKING_WAITS = 2 };

/* initial-exec: one instruction per access instead of a __tls_get_addr call. The few bytes
 * fit glibc's static TLS surplus, which also serves libraries loaded with dlopen (Python,
 * the JVM and Node load libakt that way). */
#define AKT__TLS _Thread_local __attribute__((tls_model("initial-exec")))

extern AKT__TLS akt__tls akt__self;

/* What a system runs on each thread it creates (akt_system_options' hooks). */
typedef struct akt__thread_hooks {
    akt_system *owner;
    akt_thread_hook start, stop;
    void *data;
} akt__thread_hooks;

/* Runs the start hook and marks the thread as the owner system's own. */
void akt__thread_enter(const akt__thread_hooks *h, int index);
void akt__thread_leave(const akt__thread_hooks *h, int index);

#endif
