/* Sending: user and system messages into a cell, stop requests, asks. */
#ifndef AKT_CORE_ACTOR_SEND_H
#define AKT_CORE_ACTOR_SEND_H
#include <akt/akt.h>
#include <stdatomic.h>

#include "kernel/cell.h"
#include "kernel/sys.h"

int akt__deliver(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender, akt_future *reply,
                 uint16_t kind);
/* As akt__deliver for a user message akt sends itself (Terminated): never refused by a
 * bound. */
int akt__deliver_internal(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender);
/* A tell or an ask: as akt__deliver (kind user), AKT_ESUSPENDED if to is suspended. */
int akt__deliver_user(akt_system *s, akt_pid to, akt_msg *msg, uint64_t sender, akt_future *reply);
/* A user message about to be sent (it will be, or the send fails for lack of memory): at
 * its first send the system's propagator may add headers, then the message is sealed. */
void akt__msg_outgoing(akt_system *s, akt_msg *m);
/* Pushes a system message; to may be stale (the receiver handles that). */
int akt__send_sys(akt_system *s, akt_pid to, uint16_t kind, uint64_t arg, int32_t code,
                  akt_msg *msg, akt_future *reply);
/* Pushes onto c's system stack without scheduling c. */
void akt__sysq_push(akt__cell *c, akt__envelope *e);
/* Asks the live actor pid to stop: a signal bit and a wake-up, no allocation, so a stop
 * can never fail for lack of memory. AKT_ENOTFOUND if pid is not alive. */
int akt__stop_request(akt_system *s, akt_pid pid);
/* Raises signal bits on a cell known alive; caller holds s->lock. */
void akt__signal_locked(akt__cell *c, unsigned sig);
/* An ask from sender (a pid id, 0 = none) whose answer reader reads (the future's reader:
 * NULL when the sender pid says, see akt_ctx_asker_reader). */
int akt__ask_from(akt_system *s, akt_pid to, akt_msg *msg, int64_t timeout_ns, uint64_t sender,
                  akt_receive_fn reader, akt_future **out);
/* akt__ask_from, the asker saying whether it waits at once (AKT__ASKING_WAITS: base/tls.h),
 * may (AKT__ASKING_HOLDS) or never runs the turn itself (0: the ask wakes a worker). */
int akt__ask_waiting(akt_system *s, akt_pid to, akt_msg *msg, int64_t timeout_ns, uint64_t sender,
                     akt_receive_fn reader, int asking, akt_future **out);

/* Test hook, set only by white-box tests (they link akt_static); NULL otherwise.
 * akt_stop_graceful calls it with stage 0 once pid was found alive and stage 1 once the
 * future exists, before the waiter is queued. */
typedef void (*akt__stop_graceful_hook_fn)(akt_system *s, akt_pid pid, int stage);
extern _Atomic(akt__stop_graceful_hook_fn) akt__stop_graceful_hook;

/* Completes a graceful stop's future f once its actor is gone: 0 if it went before the
 * deadline, AKT_ETIMEDOUT if it went after (the timeout forced the stop; its completion on
 * the timer thread and this one race, and both must tell the same). */
void akt__graceful_done(akt_future *f);

#endif
