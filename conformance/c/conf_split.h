/* conf_split.h -- the remote mode of the conformance runner (run.py --remote), C side.
 *
 * With AKT_CONF_REMOTE=driver in its environment, a case's program is node A: it keeps the
 * main flow (the driver) and starts a copy of itself as node B (AKT_CONF_REMOTE=host), a
 * second process on 127.0.0.1 that hosts every actor conf_spawn makes. Both systems are
 * named "conf". A reaches B's actors through remote pids; B sends its journal lines to A
 * over a pipe, so the transcript A prints is the local one:
 *   A -> B (B's stdin):  spawn <name|-> <behavior offset> <state offset|->, barrier <k>, finish
 *   B -> A (B's stdout): address <addr>, spawned <rc> <path>, log <line>, mark <k>, down
 * A behavior (and a state) crosses as its offset from an anchor in this library: the two
 * processes run the same executable, so the offset names the same object in B. A state
 * that is not an object of the executable (a stack or heap address) cannot cross: such a
 * case is not remote-capable, and conf_spawn ends the program saying so.
 * Internal to conformance/c (the cases include conf.h only). The functions are weak: the
 * bindings build conf.c alone into their interop libraries, without this part, and there
 * conf.c stays in local mode (conf__split_mode is NULL). The cases' executables link it
 * (conformance/CMakeLists.txt). */
#ifndef AKT_CONF_SPLIT_H
#define AKT_CONF_SPLIT_H
#include "conf.h"

enum { CONF_SPLIT_LOCAL, CONF_SPLIT_DRIVER, CONF_SPLIT_HOST };

/* The mode from AKT_CONF_REMOTE (unset or empty: local). */
int conf__split_mode(void) __attribute__((weak));
/* Host: serves node B on system until A says finish, then exits; never returns.
 * Driver: starts remoting on system and node B, waits for B's address. */
void conf__split_start(akt_system *system) __attribute__((weak));
/* Host: sends the journal line to A. */
void conf__split_log(const char *line) __attribute__((weak));
/* Driver: waits until every line B journaled before now has reached this journal. */
void conf__split_barrier(void) __attribute__((weak));
/* Driver: spawns on B and returns A's remote pid for it. */
akt_pid conf__split_spawn(akt_system *system, const akt_behavior *behavior, void *state,
                          const char *name) __attribute__((weak));
/* Driver: B shuts down (its post_stop lines come first) and exits. */
void conf__split_finish(void) __attribute__((weak));
/* Driver: "akt://conf@host:port/..." written "akt://conf/..." in place. */
void conf__split_local_path(char *path) __attribute__((weak));

/* conf.c: appends a finished line to the journal (the reader of B's lines uses it). */
void conf__journal_append(const char *line);

#endif
