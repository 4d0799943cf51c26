/* The tracing hook the actor layer calls (telemetry/trace.c installs it, which the kernel
 * cannot name): a span around each user message an actor handles, and the traceparent of
 * the running span on each message sent while it runs. NULL in the system while tracing
 * is off: one acquire load and a branch per message then. */
#ifndef AKT_CORE_KERNEL_TRACE_H
#define AKT_CORE_KERNEL_TRACE_H
#include <akt/telemetry.h>
#include <stdint.h>

struct akt__cell;

/* The running span of a thread, on the stack of the turn handling its message. */
typedef struct akt__span {
    akt_trace_context ctx; /* trace id, this span's id, flags */
    uint8_t parent_id[8];  /* all zero: a root */
    int64_t start_ns;      /* CLOCK_REALTIME */
    struct akt__span *prev;
} akt__span;

typedef struct akt__trace {
    /* Before receive, on the runner: 1 if a span began (sp is then the thread's running
     * span until end), 0 if c gets none (a remote pid's proxy). */
    int (*begin)(const struct akt__trace *t, akt_system *s, struct akt__cell *c, akt_msg *m,
                 akt__span *sp);
    /* After receive returned rc, outside the callback: ends sp and hands it to the sink. */
    void (*end)(const struct akt__trace *t, akt_system *s, struct akt__cell *c, akt_msg *m,
                akt__span *sp, int rc);
    /* At a message's first send, before any propagator: the running span's traceparent. */
    void (*inject)(const struct akt__trace *t, akt_msg *m);
    akt_trace_sink_fn sink;
    void *data;
} akt__trace;

#endif
