/* The context of one actor callback (akt_ctx): which actor, which message, and what the
 * callback asked for (unhandled, stash, a failure reason). Filled by actor/turn.c, read by
 * the context API (actor/ctx.c); the storage belongs to the worker that runs the callback. */
#ifndef AKT_CORE_KERNEL_CTX_H
#define AKT_CORE_KERNEL_CTX_H
#include <akt/akt.h>
#include <stdint.h>

struct akt__cell;
struct akt__envelope;
struct akt__batch;

struct akt_ctx {
    uint32_t magic;
    akt_system *system;
    struct akt__cell *cell;
    struct akt__envelope *env; /* the message being received, or NULL (pre_start, post_stop) */
    int unhandled;
    int stashed;
    char *fail_reason;  /* default heap */
    akt_msg *fail_detail; /* akt_ctx_fail_with: a reference for the asker, or NULL */
    struct akt__batch *batch; /* inside receive_batch: the run's budget; else NULL */
};

#endif
