/* Who reads an actor's messages (reader.c, akt_pid_receive). */
#ifndef AKT_CORE_ACTOR_READER_H
#define AKT_CORE_ACTOR_READER_H
#include <akt/akt.h>

/* Marks receive as one of akt's own that pass messages on without reading them (a router,
 * the topics actor, a shell around a kind, a stream segment, a remote proxy):
 * akt_pid_receive reports NULL for their actors. Idempotent; called before the first
 * spawn of such an actor. */
void akt__relay_receive(akt_receive_fn receive);

/* The reader a plain akt_ask from outside actors records: C code reads the answer (as
 * bytes). Only its address matters (akt_ctx_asker_reader hands it out); never called by
 * akt, it returns AKT_EUNHANDLED if someone does. */
int akt__c_reader(akt_ctx *ctx, akt_msg *msg, void *state);

#endif
