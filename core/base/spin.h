/* Polite busy-waiting: a CPU pause in the loop body. */
#ifndef AKT_CORE_BASE_SPIN_H
#define AKT_CORE_BASE_SPIN_H

static inline void akt__cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
