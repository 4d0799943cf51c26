#include "clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t akt__clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int64_t akt__now_ns(void) { return akt__clock_ns(CLOCK_MONOTONIC); }

int64_t akt__now_coarse_ns(void) { return akt__clock_ns(CLOCK_MONOTONIC_COARSE); }

/* The TSC's rate is measured against CLOCK_MONOTONIC over at least this long (from the
 * pair taken at load time to the first conversion): 5 ms of a ns clock, an error of about
 * 1e-6 plus the jitter of one read each side. */
#define AKT__TSC_CALIBRATE_NS 5000000

int akt__tsc_on;
static uint64_t akt__tsc_t0;
static int64_t akt__tsc_ns0;
/* ns per tick as a double's bits, 0 until measured. relaxed: every thread that measures
 * gets about the same rate, each store is a whole one, and the inputs above were written
 * before main. */
static _Atomic uint64_t akt__tsc_rate_bits;

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
/* Whether the TSC ticks at a constant rate in every power state (CPUID 0x80000007, EDX
 * bit 8) and Linux's clocksource is "tsc" (so the kernel found it synchronised across
 * CPUs and stable under this hypervisor). */
static int akt__tsc_usable(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u) return 0;
    __get_cpuid(0x80000007u, &a, &b, &c, &d);
    if (!(d & (1u << 8))) return 0;
    FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
    if (!f) return 0;
    char name[16] = {0};
    int ok = fgets(name, sizeof name, f) && strncmp(name, "tsc\n", 4) == 0;
    fclose(f);
    return ok;
}

__attribute__((constructor)) static void akt__tsc_init(void) {
    if (!akt__tsc_usable()) return;
    akt__tsc_ns0 = akt__now_ns();
    akt__tsc_on = 1;
    akt__tsc_t0 = akt__ticks();
}
#endif

int akt__ticks_below(int64_t ticks, int64_t ns) {
    if (!akt__tsc_on) return ticks < ns;
    uint64_t bits = atomic_load_explicit(&akt__tsc_rate_bits, memory_order_relaxed);
    if (!bits) return ticks < ns; /* a tick as a ns: a TSC of >= 1 GHz makes this the stricter */
    double rate;
    memcpy(&rate, &bits, sizeof rate);
    return (double)ticks * rate < (double)ns;
}

int64_t akt__ticks_ns(int64_t ticks) {
    if (!akt__tsc_on) return ticks;
    uint64_t bits = atomic_load_explicit(&akt__tsc_rate_bits, memory_order_relaxed);
    double rate;
    if (!bits) {
        int64_t ns;
        while ((ns = akt__now_ns()) - akt__tsc_ns0 < AKT__TSC_CALIBRATE_NS) {
            struct timespec ts = {0, AKT__TSC_CALIBRATE_NS - (ns - akt__tsc_ns0)};
            nanosleep(&ts, NULL);
        }
        uint64_t t = akt__ticks();
        rate = t > akt__tsc_t0 ? (double)(ns - akt__tsc_ns0) / (double)(t - akt__tsc_t0) : 1.0;
        memcpy(&bits, &rate, sizeof bits);
        atomic_store_explicit(&akt__tsc_rate_bits, bits, memory_order_relaxed);
    }
    memcpy(&rate, &bits, sizeof rate);
    return (int64_t)((double)ticks * rate);
}
