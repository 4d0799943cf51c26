/* Spawning an actor under a parent. */
#ifndef AKT_CORE_ACTOR_SPAWN_H
#define AKT_CORE_ACTOR_SPAWN_H
#include <akt/akt.h>

#include <stdint.h>

int akt__spawn_under(akt_system *s, uint32_t parent_idx, const akt_behavior *b, void *state,
                     const akt_spawn_options *opts, akt_pid *out);
/* A top-level actor of akt's own, named opts->name, which must start with '$' (a name no
 * user can take: /user/$topics). AKT_EEXIST if it exists already. */
int akt__spawn_reserved(akt_system *s, const akt_behavior *b, void *state,
                        const akt_spawn_options *opts, akt_pid *out);

/* Test hook, set only by white-box tests (linking akt_static): when non-NULL, every spawn
 * calls it on its own thread once the new actor is reachable (by name, in the tree and by
 * pid) and before the spawn returns, with the new pid and akt__spawn_hook_data. */
extern void (*akt__spawn_hook)(akt_system *s, akt_pid pid, void *data);
extern void *akt__spawn_hook_data;

#endif
