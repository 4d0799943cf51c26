/* An actor's lifecycle, on its own dispatcher: start, failure, resume and restart, stopping
 * (children first) and finalisation. Every function runs on c's owner (sched held). */
#ifndef AKT_CORE_ACTOR_LIFE_H
#define AKT_CORE_ACTOR_LIFE_H
#include "kernel/cell.h"
#include "sched/dispatch.h"

void akt__actor_start(akt__worker *w, akt__cell *c);
void akt__actor_begin_stop(akt__worker *w, akt__cell *c);
void akt__actor_finalize(akt__worker *w, akt__cell *c);
/* c failed with code (and reason, may be NULL): suspend it and tell its parent. */
void akt__actor_fail(akt__worker *w, akt__cell *c, int code, const char *reason);
void akt__actor_resume(akt__worker *w, akt__cell *c);
/* Suspends a failed c until akt__actor_reinstate (code and why: the failure, for the
 * event; why may be NULL). */
void akt__actor_suspend(akt__worker *w, akt__cell *c, int code, akt_msg *why);
/* Resumes c if a directive suspended it. */
void akt__actor_reinstate(akt__worker *w, akt__cell *c);
/* Restarts a failed c; forced (a one-for-all sibling) restarts a running c too. */
void akt__actor_restart(akt__worker *w, akt__cell *c, int forced);

#endif
