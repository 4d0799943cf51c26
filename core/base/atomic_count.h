/* Counting build of the core (issue 16): force-included (-include base/atomic_count.h) into
 * every object of the akt_counted library, never into libakt. It replaces the <stdatomic.h>
 * operations the core uses with the same GCC builtins plus a tick, so a benchmark linked
 * with akt_counted (bench/c/atomics.c) reads how many atomic operations a tell, an ask or a
 * batch costs: on the calling thread (akt__atomics_mine) and on every thread
 * (akt__atomics_all). Each counter pair is {every operation, read-modify-writes only}: loads
 * and stores are plain moves on x86, the read-modify-writes lock the cache line. Plain
 * operators on _Atomic objects (x++, x = y) are not counted; the core uses none on a hot
 * path; atomic_init is initialisation and is not counted either. GCC only (the statement
 * expressions of its own stdatomic.h). */
#ifndef AKT_CORE_BASE_ATOMIC_COUNT_H
#define AKT_CORE_BASE_ATOMIC_COUNT_H
#include <stdatomic.h>
#include <stdint.h>

#if !defined(__GNUC__) || defined(__clang__)
#error "base/atomic_count.h needs GCC's __atomic builtins on _Atomic objects"
#endif

/* [0]: every atomic operation; [1]: the read-modify-writes among them (atomic_count.c). */
extern _Thread_local uint64_t akt__atomics_mine[2];
extern uint64_t akt__atomics_all[2];

/* Sites (akt-atomics-bench -sites): while akt__atomics_sites_on is set, every tick is also
 * counted by its file and line (the header's line for an inline function), for the caller
 * (the threads with akt__atomics_caller set) and the other threads apart. */
extern int akt__atomics_sites_on;
extern _Thread_local int akt__atomics_caller;
void akt__atomic_site(const char *file, int line);
/* Clears the sites' counts (no counting thread meanwhile). */
void akt__atomic_sites_reset(void);
/* Prints the sites to stderr, most used first, each count divided by per. */
void akt__atomic_sites_dump(double per);

#define akt__atomic_tick(rmw) akt__atomic_tick_at(rmw, __FILE__, __LINE__)
static inline void akt__atomic_tick_at(int rmw, const char *file, int line) {
    if (__atomic_load_n(&akt__atomics_sites_on, __ATOMIC_RELAXED)) akt__atomic_site(file, line);
    akt__atomics_mine[0]++;
    /* The counters are not counted: the builtins directly, relaxed. */
    __atomic_fetch_add(&akt__atomics_all[0], 1, __ATOMIC_RELAXED);
    if (rmw) {
        akt__atomics_mine[1]++;
        __atomic_fetch_add(&akt__atomics_all[1], 1, __ATOMIC_RELAXED);
    }
}

/* Initialisation, not an atomic operation (C11 7.17.2.2): GCC's is a relaxed store, left
 * uncounted. */
#undef atomic_init
#define atomic_init(PTR, VAL)                                      \
    __extension__({                                                \
        __auto_type akt__cnt_p = (PTR);                            \
        __typeof__((void)0, *akt__cnt_p) akt__cnt_v = (VAL);       \
        __atomic_store(akt__cnt_p, &akt__cnt_v, __ATOMIC_RELAXED); \
    })

#undef atomic_thread_fence
#define atomic_thread_fence(MO) (akt__atomic_tick(1), __atomic_thread_fence(MO))

#undef atomic_store_explicit
#define atomic_store_explicit(PTR, VAL, MO)                  \
    __extension__({                                          \
        akt__atomic_tick(0);                                 \
        __auto_type akt__cnt_p = (PTR);                      \
        __typeof__((void)0, *akt__cnt_p) akt__cnt_v = (VAL); \
        __atomic_store(akt__cnt_p, &akt__cnt_v, (MO));       \
    })
#undef atomic_store
#define atomic_store(PTR, VAL) atomic_store_explicit(PTR, VAL, __ATOMIC_SEQ_CST)

#undef atomic_load_explicit
#define atomic_load_explicit(PTR, MO)                 \
    __extension__({                                   \
        akt__atomic_tick(0);                          \
        __auto_type akt__cnt_p = (PTR);               \
        __typeof__((void)0, *akt__cnt_p) akt__cnt_v;  \
        __atomic_load(akt__cnt_p, &akt__cnt_v, (MO)); \
        akt__cnt_v;                                   \
    })
#undef atomic_load
#define atomic_load(PTR) atomic_load_explicit(PTR, __ATOMIC_SEQ_CST)

#undef atomic_exchange_explicit
#define atomic_exchange_explicit(PTR, VAL, MO)                           \
    __extension__({                                                      \
        akt__atomic_tick(1);                                             \
        __auto_type akt__cnt_p = (PTR);                                  \
        __typeof__((void)0, *akt__cnt_p) akt__cnt_v = (VAL);             \
        __typeof__((void)0, *akt__cnt_p) akt__cnt_old;                   \
        __atomic_exchange(akt__cnt_p, &akt__cnt_v, &akt__cnt_old, (MO)); \
        akt__cnt_old;                                                    \
    })
#undef atomic_exchange
#define atomic_exchange(PTR, VAL) atomic_exchange_explicit(PTR, VAL, __ATOMIC_SEQ_CST)

#define AKT__CNT_CAS(PTR, VAL, DES, WEAK, SUC, FAIL)                                    \
    __extension__({                                                                     \
        akt__atomic_tick(1);                                                            \
        __auto_type akt__cnt_p = (PTR);                                                 \
        __typeof__((void)0, *akt__cnt_p) akt__cnt_v = (DES);                            \
        __atomic_compare_exchange(akt__cnt_p, (VAL), &akt__cnt_v, WEAK, (SUC), (FAIL)); \
    })
#undef atomic_compare_exchange_strong_explicit
#define atomic_compare_exchange_strong_explicit(PTR, VAL, DES, SUC, FAIL) \
    AKT__CNT_CAS(PTR, VAL, DES, 0, SUC, FAIL)
#undef atomic_compare_exchange_strong
#define atomic_compare_exchange_strong(PTR, VAL, DES) \
    AKT__CNT_CAS(PTR, VAL, DES, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#undef atomic_compare_exchange_weak_explicit
#define atomic_compare_exchange_weak_explicit(PTR, VAL, DES, SUC, FAIL) \
    AKT__CNT_CAS(PTR, VAL, DES, 1, SUC, FAIL)
#undef atomic_compare_exchange_weak
#define atomic_compare_exchange_weak(PTR, VAL, DES) \
    AKT__CNT_CAS(PTR, VAL, DES, 1, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#define AKT__CNT_RMW(OP, PTR, VAL, MO) (akt__atomic_tick(1), OP((PTR), (VAL), (MO)))
#undef atomic_fetch_add_explicit
#define atomic_fetch_add_explicit(PTR, VAL, MO) AKT__CNT_RMW(__atomic_fetch_add, PTR, VAL, MO)
#undef atomic_fetch_add
#define atomic_fetch_add(PTR, VAL) AKT__CNT_RMW(__atomic_fetch_add, PTR, VAL, __ATOMIC_SEQ_CST)
#undef atomic_fetch_sub_explicit
#define atomic_fetch_sub_explicit(PTR, VAL, MO) AKT__CNT_RMW(__atomic_fetch_sub, PTR, VAL, MO)
#undef atomic_fetch_sub
#define atomic_fetch_sub(PTR, VAL) AKT__CNT_RMW(__atomic_fetch_sub, PTR, VAL, __ATOMIC_SEQ_CST)
#undef atomic_fetch_or_explicit
#define atomic_fetch_or_explicit(PTR, VAL, MO) AKT__CNT_RMW(__atomic_fetch_or, PTR, VAL, MO)
#undef atomic_fetch_or
#define atomic_fetch_or(PTR, VAL) AKT__CNT_RMW(__atomic_fetch_or, PTR, VAL, __ATOMIC_SEQ_CST)
#undef atomic_fetch_xor_explicit
#define atomic_fetch_xor_explicit(PTR, VAL, MO) AKT__CNT_RMW(__atomic_fetch_xor, PTR, VAL, MO)
#undef atomic_fetch_xor
#define atomic_fetch_xor(PTR, VAL) AKT__CNT_RMW(__atomic_fetch_xor, PTR, VAL, __ATOMIC_SEQ_CST)
#undef atomic_fetch_and_explicit
#define atomic_fetch_and_explicit(PTR, VAL, MO) AKT__CNT_RMW(__atomic_fetch_and, PTR, VAL, MO)
#undef atomic_fetch_and
#define atomic_fetch_and(PTR, VAL) AKT__CNT_RMW(__atomic_fetch_and, PTR, VAL, __ATOMIC_SEQ_CST)

#endif
