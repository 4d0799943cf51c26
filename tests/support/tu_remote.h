/* Test helpers for the suites that join two nodes over akt's remoting. */
#ifndef AKT_TU_REMOTE_H
#define AKT_TU_REMOTE_H
#include "tu.h"

#include <akt/remote.h>

/* The pid, as seen from a, of the actor at path (e.g. "/user/echo") on node b (b's own
 * address, then path); fails the test if b has no address or a cannot look it up. */
akt_pid tu_remote_pid(akt_system *a, akt_system *b, const char *path);

#endif
