/* Routers (akt.h section 11): the router actor's state, shared by its files. router.c
 * holds the actor (routing, routees, control messages) and the public functions;
 * router_gather.c the asks of scatter-gather and tail-chopping; router_ring.c the
 * consistent-hash ring. Everything here is touched by the router's own callbacks only
 * (one at a time), except the gather records, which are shared with future callbacks and
 * the timer thread (router_gather.c says how). */
#ifndef AKT_CORE_LIB_ROUTER_H
#define AKT_CORE_LIB_ROUTER_H
#include <akt/akt.h>

#include <stddef.h>
#include <stdint.h>

#include "router_ring.h"

/* Reserved type names of the router's control messages. */
#define AKT__ROUTER_BROADCAST "akt.router.Broadcast" /* object: the inner message */
#define AKT__ROUTER_RESIZE "akt.router.Resize"       /* bytes: the new size, u64 LE */
#define AKT__ROUTER_ROUTEES "akt.router.Routees"     /* no payload */
#define AKT__ROUTER_ANSWER "akt.router.Answer"       /* reply: i64 LE code, then u64 ids */

#define AKT__ROUTER_MAX 65536u
#define AKT__ROUTER_MAX_VNODES 4096u

typedef struct akt__router {
    akt_router_options o; /* pointers inside are borrowed (see akt.h) or ours below */
    akt_behavior routee_behavior;
    uint64_t *routees; /* live routee pid ids, in routing order */
    size_t n, cap;
    size_t cursor;  /* round-robin: next index */
    size_t spawned; /* pool: routees ever spawned (their names and state index) */
    uint64_t prng;  /* splitmix64 state */
    akt__ring ring; /* consistent hash */
    akt_pid self;
} akt__router;

/* splitmix64: small, fast and good enough to spread messages. */
static inline uint64_t akt__router_rand(akt__router *r) {
    uint64_t z = (r->prng += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Scatter-gather (every routee at once) or tail-chopping (one per interval) of the
 * current message of ctx. 0, or an AKT_E* code when nothing could start (the caller then
 * dead-letters the message). */
int akt__router_gather(akt__router *r, akt_ctx *ctx, akt_msg *msg);

#endif
