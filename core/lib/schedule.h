/* Schedules (akt_schedule_*): messages sent later, once or every interval, on the system's
 * one timer thread (time/timer.h). A schedule is one allocation holding its timer, message
 * reference and reference string; the registry finds it by reference and by target (so that
 * an actor's finalisation ends its schedules without a scan of all of them).
 *
 * One mutex per system guards the registry and every schedule's state. A fire takes it,
 * checks the schedule is still active, enqueues a new reference of the message and re-arms
 * the timer, all under it: so once a pause or cancel returned, no fire of it is delivered.
 * Enqueueing is a lock-free push; nothing that may run user code (a dead letter's
 * subscribers, a message's free function) runs under the lock. Lock order: this mutex,
 * then the timer lock. */
#ifndef AKT_CORE_LIB_SCHEDULE_H
#define AKT_CORE_LIB_SCHEDULE_H
#include <akt/akt.h>
#include <stdint.h>

/* Test hook (white-box tests): the number of schedules the registry of s holds, ended ones
 * still waiting for their timer included; 0 without a registry. */
size_t akt__schedule_count(akt_system *s);

/* Test hook (white-box tests): shifts the wall clock the cron schedules read by offset_ns
 * (negative: set back), for every system of the process; 0 restores it. */
void akt__schedule_wall_offset(int64_t offset_ns);

#endif
