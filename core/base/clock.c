#include "clock.h"

#include <time.h>

static int64_t akt__clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int64_t akt__now_ns(void) { return akt__clock_ns(CLOCK_MONOTONIC); }

int64_t akt__now_coarse_ns(void) { return akt__clock_ns(CLOCK_MONOTONIC_COARSE); }
