/*
 * akt/testkit.h -- probes for testing actors (libakt_testkit, a static library).
 *
 * A probe is an actor that keeps what it receives for the test thread to expect: a message
 * within a deadline, no message for a while, a message matching a predicate, or the
 * Terminated of an actor it watches. A throwaway system per test comes with
 * akt_tk_system / akt_tk_system_end.
 *
 * Every expectation returns 0 when it holds, else an AKT_E* code, and the probe keeps a
 * sentence saying what was expected and what came (akt_tk_probe_error), ready for the
 * test framework's failure message:
 *
 *     akt_tk_probe *p;
 *     akt_tk_probe_new(sys, &p);
 *     akt_tell(sys, counter, get_msg_with_sender(akt_tk_probe_pid(p)));
 *     akt_msg *m;
 *     if (akt_tk_expect_type(p, "counter.Value", AKT_TK_MS(100), &m))
 *         fail(akt_tk_probe_error(p));
 *
 * The probe's functions are for one test thread at a time; messages arrive from any.
 */
#ifndef AKT_TESTKIT_H
#define AKT_TESTKIT_H

#include <akt/akt.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AKT_TK_MS(ms) ((int64_t)(ms)*1000000LL)

typedef struct akt_tk_probe akt_tk_probe;

/* A system for one test: 2 workers, named name (NULL: "test"). NULL if it cannot be made.
 * End it with akt_tk_system_end, which shuts it down, waits (10 s at most) and releases it;
 * 0, or AKT_ETIMEDOUT if the shutdown did not finish. */
akt_system *akt_tk_system(const char *name);
int akt_tk_system_end(akt_system *system);

/* A probe in system (an anonymous top-level actor). *out is freed with akt_tk_probe_free,
 * which stops the actor and drops what it kept. AKT_EINVAL, AKT_ENOMEM, AKT_ECLOSED. */
int akt_tk_probe_new(akt_system *system, akt_tk_probe **out);
void akt_tk_probe_free(akt_tk_probe *probe);
/* The probe's pid: tell it, give it as a sender, ask on its behalf. */
akt_pid akt_tk_probe_pid(const akt_tk_probe *probe);
/* What the last expectation that failed said; "" if none failed. Valid until the next
 * expectation. */
const char *akt_tk_probe_error(const akt_tk_probe *probe);

/* The next message, within within_ns: 0 and *out (a reference: release it) or
 * AKT_ETIMEDOUT. out may be NULL (the message is dropped). */
int akt_tk_expect_message(akt_tk_probe *probe, int64_t within_ns, akt_msg **out);
/* The next message, within within_ns, and of this type: AKT_ETYPE if it has another
 * (the message is consumed either way), AKT_ETIMEDOUT if none came. */
int akt_tk_expect_type(akt_tk_probe *probe, const char *type, int64_t within_ns,
                       akt_msg **out);
/* The next message, within within_ns, for which match returns nonzero: AKT_EUNHANDLED if
 * it did not match (consumed), AKT_ETIMEDOUT if none came. */
typedef int (*akt_tk_match_fn)(akt_msg *msg, void *data);
int akt_tk_expect_match(akt_tk_probe *probe, akt_tk_match_fn match, void *data,
                        int64_t within_ns, akt_msg **out);
/* No message for for_ns: 0, or AKT_EEXIST if one came (consumed; its type is in the error). */
int akt_tk_expect_no_message(akt_tk_probe *probe, int64_t for_ns);
/* Watches pid and expects its Terminated within within_ns: 0, AKT_ETIMEDOUT, or AKT_ETYPE
 * if another message came first (consumed). */
int akt_tk_expect_terminated(akt_tk_probe *probe, akt_pid pid, int64_t within_ns);

#ifdef __cplusplus
}
#endif
#endif
