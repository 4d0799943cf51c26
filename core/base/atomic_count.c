/* The counters of the counting build (base/atomic_count.h): in akt_counted only. */
#include "base/atomic_count.h"

_Thread_local uint64_t akt__atomics_mine[2];
uint64_t akt__atomics_all[2];
