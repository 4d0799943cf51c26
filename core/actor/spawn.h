/* Spawning an actor under a parent. */
#ifndef AKT_CORE_ACTOR_SPAWN_H
#define AKT_CORE_ACTOR_SPAWN_H
#include <akt/akt.h>

#include <stdint.h>

int akt__spawn_under(akt_system *s, uint32_t parent_idx, const akt_behavior *b, void *state,
                     const akt_spawn_options *opts, akt_pid *out);

#endif
