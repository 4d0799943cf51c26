/* Who reads an actor's messages (reader.c, akt_pid_receive). */
#ifndef AKT_CORE_ACTOR_READER_H
#define AKT_CORE_ACTOR_READER_H
#include <akt/akt.h>

/* Marks receive as one of akt's own that pass messages on without reading them (a router,
 * the topics actor, a shell around a kind, a stream segment, a remote proxy):
 * akt_pid_receive reports NULL for their actors. Idempotent; called before the first
 * spawn of such an actor. */
void akt__relay_receive(akt_receive_fn receive);

#endif
