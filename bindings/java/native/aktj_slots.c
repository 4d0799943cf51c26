/*
 * aktj_slots.c -- where a message's Java object waits: a slot of a Java Object[] owned by
 * the sending thread, not a JNI global reference per message.
 *
 * A global reference costs HotSpot a mutex on every NewGlobalRef (OopStorage's allocation
 * lock) and a compare-and-swap on a block shared with the allocating thread on every
 * DeleteGlobalRef: about a third of a Java tell's time in a profile. A slot costs one
 * array store to take (the sender's own list, no atomic), one array store and one push to
 * give back (a compare-and-swap on the owner's return stack, a line the releasing worker
 * keeps while it releases a run of messages), and the sender takes the whole stack back
 * with one exchange when its own list runs dry.
 *
 * Every thread that makes a Java message owns one record (lazily, found through a
 * thread-local). Its slots sit in chunks that double in size up to CHUNK_MAX; a record
 * never shrinks (its peak number of messages in flight stays allocated, 36 bytes a slot),
 * and beyond slots_max (4 M) in flight a message falls back to a global reference. When its
 * thread ends, the record is parked and the next new thread adopts it with whatever is
 * still in flight: records are bounded by the threads alive at once, never by the threads a
 * program ever had.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "aktj_internal.h"

typedef struct aktj_record aktj_record;

/* One slot. home NULL: a fallback, array then being the global reference itself. */
typedef struct aktj_slot {
    struct aktj_slot *next; /* in a free list or the return stack */
    aktj_record *home;
    jobjectArray array; /* the chunk's Object[] (a global reference) */
    jint index;
    jint chunk; /* the chunk's number in Java's registry (dev.akt.Slots) */
} aktj_slot;

typedef struct aktj_chunk {
    struct aktj_chunk *next;
    aktj_slot slots[];
} aktj_chunk;

#define CHUNK_MIN 256
#define CHUNK_MAX 65536
/* Relaxed: a bound read by each growth, changed only by tests (aktj_test_slots_max). */
static atomic_long slots_max = 1L << 22;
static atomic_long records_made; /* relaxed: a statistic */
/* Objects put into messages minus those released by threads without a record (none could
 * be made for them). Relaxed: a statistic. */
static atomic_long unrecorded;
/* Numbers chunks for Java's registry. Relaxed: each number only has to be unique; the
 * registration's upcall orders the rest. */
static atomic_int chunks_made;

struct aktj_record {
    /* The owner's side: only the thread that owns the record touches these (or whoever
     * adopts it, after the parking lock). */
    aktj_slot *free;
    aktj_chunk *chunks;
    long nslots;
    /* Java objects this record's threads put into messages, and released (of any record,
     * slots and fallback references alike): written by the owner only (load + store, no
     * locked instruction), summed by the statistic. */
    atomic_long taken;
    atomic_long gave;
    aktj_record *next_parked;
    aktj_record *next_all;
    /* The releasers' side, on a line of its own: slots given back. */
    _Alignas(64) _Atomic(aktj_slot *) returned;
};

static AKTJ_TLS aktj_record *tl_record;
/* 1 while this thread runs akt for a JNI call made from Java with no exception pending. */
static AKTJ_TLS int tl_clean;
static pthread_key_t record_key; /* its destructor parks the record of a thread that ends */
static pthread_once_t record_once = PTHREAD_ONCE_INIT;
static int record_key_ok;
static pthread_mutex_t records_lock = PTHREAD_MUTEX_INITIALIZER;
static aktj_record *parked;
static aktj_record *all_records;

/* On the thread that ends (its key's destructor) or that could not set the key. The
 * thread forgets the record first: should it make a message after this (another key's
 * destructor), it takes a record of its own again instead of one another thread adopts. */
static void park(void *value) {
    aktj_record *r = value;
    tl_record = NULL;
    pthread_mutex_lock(&records_lock);
    r->next_parked = parked;
    parked = r;
    pthread_mutex_unlock(&records_lock);
}

static void make_key(void) { record_key_ok = pthread_key_create(&record_key, park) == 0; }

/* This thread's record: its own, a parked one, or a new one; NULL without memory. */
static aktj_record *record(void) {
    aktj_record *r = tl_record;
    if (r != NULL) return r;
    pthread_once(&record_once, make_key);
    if (!record_key_ok) return NULL; /* no way to hand it back at thread exit: fall back */
    pthread_mutex_lock(&records_lock);
    r = parked;
    if (r != NULL) parked = r->next_parked;
    pthread_mutex_unlock(&records_lock);
    if (r == NULL) {
        if ((r = aligned_alloc(64, sizeof *r)) == NULL) return NULL;
        r->free = NULL;
        r->chunks = NULL;
        r->nslots = 0;
        atomic_init(&r->taken, 0);
        atomic_init(&r->returned, NULL);
        atomic_init(&r->gave, 0);
        atomic_fetch_add_explicit(&records_made, 1, memory_order_relaxed);
        pthread_mutex_lock(&records_lock);
        r->next_all = all_records;
        all_records = r;
        pthread_mutex_unlock(&records_lock);
    }
    if (pthread_setspecific(record_key, r) != 0) {
        park(r);
        return NULL;
    }
    tl_record = r;
    return r;
}

/* A counter of the calling thread's own record: only it writes (relaxed: a statistic). */
static inline void owner_add(atomic_long *n) {
    atomic_store_explicit(n, atomic_load_explicit(n, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}

/* One more (delta 1) or one fewer (-1) Java object held by messages, counted in the
 * calling thread's record r, else in the shared counter. */
static void count(aktj_record *r, int delta) {
    if (r != NULL)
        owner_add(delta > 0 ? &r->taken : &r->gave);
    else
        atomic_fetch_add_explicit(&unrecorded, delta, memory_order_relaxed);
}

/* A new chunk for r, its slots on r's free list: 0, or -1 at the cap or without memory. */
static int grow(JNIEnv *env, aktj_record *r) {
    long n = r->nslots < CHUNK_MIN ? CHUNK_MIN : r->nslots > CHUNK_MAX ? CHUNK_MAX : r->nslots;
    if (r->nslots + n > atomic_load_explicit(&slots_max, memory_order_relaxed)) return -1;
    aktj_chunk *c = malloc(sizeof *c + (size_t)n * sizeof(aktj_slot));
    if (c == NULL) return -1;
    jclass object_class = (*env)->FindClass(env, "java/lang/Object");
    jobjectArray local = object_class != NULL
                             ? (*env)->NewObjectArray(env, (jsize)n, object_class, NULL)
                             : NULL;
    jobjectArray array = local != NULL ? (*env)->NewGlobalRef(env, local) : NULL;
    if (object_class != NULL) (*env)->DeleteLocalRef(env, object_class);
    if (local != NULL) (*env)->DeleteLocalRef(env, local);
    /* Java reads a received object from its chunk itself (Slots.get): registered before
     * any of its slots is used, on this thread, so a receiver sees it. */
    int id = atomic_fetch_add_explicit(&chunks_made, 1, memory_order_relaxed);
    if (array != NULL) {
        /* id < 0: 2^31 chunks made (never, at >= 256 slots each): no number left. */
        if (id >= 0)
            (*env)->CallStaticVoidMethod(env, aktj_g.upcalls, aktj_g.slot_chunk, (jint)id, array);
        if (id < 0 || (*env)->ExceptionCheck(env)) {
            (*env)->DeleteGlobalRef(env, array);
            array = NULL;
        }
    }
    if (array == NULL) {
        (*env)->ExceptionClear(env); /* OutOfMemoryError: the caller falls back */
        free(c);
        return -1;
    }
    for (long i = 0; i < n; i++) {
        c->slots[i].home = r;
        c->slots[i].array = array;
        c->slots[i].index = (jint)i;
        c->slots[i].chunk = (jint)id;
        c->slots[i].next = i + 1 < n ? &c->slots[i + 1] : r->free;
    }
    r->free = &c->slots[0];
    c->next = r->chunks;
    r->chunks = c;
    r->nslots += n;
    return 0;
}

void *aktj_object_hold(JNIEnv *env, jobject obj) {
    aktj_record *r = record();
    if (r != NULL) {
        aktj_slot *s = r->free;
        /* Acquire: pairs with the releasers' release push, so their clearing store and
         * their writes of next are seen before the slots are reused. */
        if (s == NULL) s = atomic_exchange_explicit(&r->returned, NULL, memory_order_acquire);
        if (s == NULL && grow(env, r) == 0) s = r->free;
        if (s != NULL) {
            r->free = s->next;
            /* Cannot fail: the index is in bounds and every object fits an Object[]. The
             * message's publication (akt's mailbox) orders this store before any read. */
            (*env)->SetObjectArrayElement(env, s->array, s->index, obj);
            count(r, 1);
            return s;
        }
    }
    /* No record, or slots_max messages of this thread in flight: a global reference. */
    aktj_slot *f = malloc(sizeof *f);
    if (f == NULL) return NULL;
    if ((f->array = (*env)->NewGlobalRef(env, obj)) == NULL) {
        free(f);
        return NULL;
    }
    f->home = NULL;
    f->index = -1;
    f->chunk = -1;
    count(r, 1);
    return f;
}

void aktj_object_drop(JNIEnv *env, void *object) {
    aktj_slot *s = object;
    aktj_record *r = s->home;
    if (r == NULL) {
        if (env == NULL) return; /* the JVM refused this thread: leaking one beats crashing */
        (*env)->DeleteGlobalRef(env, s->array);
        free(s);
        count(record(), -1);
        return;
    }
    /* Cleared so the object can go as soon as its message does. Without an env (the JVM
     * refused this thread) or with an exception pending (no JNI call is allowed then), it
     * stays reachable until the slot's next use: late, never lost. A Java caller's pull
     * (aktj_slots_clean) vouches that none is pending, saving the check's VM transition. */
    if (env != NULL && (tl_clean || !(*env)->ExceptionCheck(env)))
        (*env)->SetObjectArrayElement(env, s->array, s->index, NULL);
    aktj_slot *head = atomic_load_explicit(&r->returned, memory_order_relaxed);
    do {
        s->next = head;
        /* Release: the clearing store and s->next before the owner's acquire exchange.
         * A push-only stack emptied whole by one exchange has no ABA. */
    } while (!atomic_compare_exchange_weak_explicit(&r->returned, &head, s, memory_order_release,
                                                    memory_order_relaxed));
    count(record(), -1); /* by the thread that gave it back, in its own record */
}

jobject aktj_object_local(JNIEnv *env, const void *object) {
    const aktj_slot *s = object;
    return s->home != NULL ? (*env)->GetObjectArrayElement(env, s->array, s->index)
                           : (*env)->NewLocalRef(env, s->array);
}

jlong aktj_object_code(const void *object) {
    const aktj_slot *s = object;
    return s->home != NULL ? (jlong)((uint64_t)(uint32_t)(s->chunk + 1) << 32 | (uint32_t)s->index)
                           : 0;
}

long aktj_slots_live(void) {
    long sum = atomic_load_explicit(&unrecorded, memory_order_relaxed);
    pthread_mutex_lock(&records_lock);
    for (aktj_record *r = all_records; r != NULL; r = r->next_all)
        sum += atomic_load_explicit(&r->taken, memory_order_relaxed) -
               atomic_load_explicit(&r->gave, memory_order_relaxed);
    pthread_mutex_unlock(&records_lock);
    return sum;
}

jlong aktj_stat_slot_records(void) {
    return atomic_load_explicit(&records_made, memory_order_relaxed);
}

jlong aktj_test_slots_max(jlong max) {
    return max > 0 ? atomic_exchange_explicit(&slots_max, max, memory_order_relaxed)
                   : atomic_load_explicit(&slots_max, memory_order_relaxed);
}

int aktj_slots_clean(int clean) {
    int was = tl_clean;
    tl_clean = clean;
    return was;
}
