/*
 * aktj_internal.h -- shared by the glue files: the JVM, the cached upcall targets, the
 * object ops of Java messages. Not seen by SWIG.
 */
#ifndef AKTJ_INTERNAL_H
#define AKTJ_INTERNAL_H

#include <akt/akt.h>
#include <jni.h>
#include <stdatomic.h>

#include "aktj.h"

/* The JVM and the classes/methods akt's callbacks call, cached once in JNI_OnLoad: threads
 * that akt creates cannot FindClass application classes (their class loader is the
 * system one), and looking methods up per call would cost more than the call. */
typedef struct aktj_jvm {
    JavaVM *vm;
    jclass upcalls;          /* dev.akt.Upcalls */
    jmethodID receive;       /* static int receive(Object cell, long ctx, Object obj, long msg) */
    jmethodID receive_batch; /* static int receiveBatch(Object cell, long ctx) */
    jmethodID compare;       /* static int compare(Object cell, Object oa, long ma, Object ob,
                                long mb): a priority mailbox's order */
    /* static int settle(Object cell, long ctx, long id, int rc, Object obj, long msg) */
    jmethodID settle;
    jmethodID step;           /* static int step(Object cell, long ctx, long step) */
    jobject native_message;   /* Upcalls.NATIVE_MESSAGE: "not a Java object, decode it" */
    jmethodID pre_start;      /* static int preStart(Object cell, long ctx) */
    jmethodID post_stop;      /* static void postStop(Object cell, long ctx) */
    jmethodID decide;         /* static int decide(Object decider, int code, String reason) */
    jmethodID complete;       /* static void complete(Object cf, int rc, Object obj, long msg) */
    jmethodID event;          /* static void event(Object sink, int kind, long pid, String path,
                                 long sender, Object obj, long msg, int code, String reason) */
    jmethodID to_bytes;       /* static byte[] toBytes(Object obj) */
    jfieldID ask_handle;      /* long dev.akt.AskFuture.handle: the future's native reference */
    jmethodID grain_activate; /* static Object grainActivate(Object kind, String name) */
    jmethodID slot_chunk;     /* static void slotChunk(int id, Object[] chunk) */
} aktj_jvm;

extern aktj_jvm aktj_g;

/* This thread's JNIEnv. akt's own threads were attached by the thread hook; a thread of
 * another runtime that releases a Java message is attached here once and detached when it
 * exits. NULL only if the JVM refuses to attach. */
JNIEnv *aktj_env(void);

/* Clears (and reports to stderr) an exception that escaped an upcall: Java code below
 * catches everything, so this only sees errors like OutOfMemoryError, which must not stay
 * pending while akt runs. Returns 1 if there was one. */
int aktj_drop_exception(JNIEnv *env, const char *where);
/* aktj_actor.c, for pool routers: the Java actors' behaviour and a new actor's state. */
const akt_behavior *aktj_actor_behavior(void);
/* 0, or AKT_ENOTSUP if msg is a Java object that to (a C actor, another binding's) would
 * read as bytes and it has none (aktj_send.c, issue 17). */
int aktj_reader_check(akt_system *system, akt_pid to, akt_msg *msg);
void *aktj_actor_state(JNIEnv *env, jobject cell);

/* Hands f's reference to the AskFuture cf and registers its completion (aktj_send.c). */
void aktj_ask_register(JNIEnv *env, akt_future *f, jobject cf);
/* The behaviour and state of a Java actor whose ActorCell is cell (aktj_actor.c): a new
 * global reference to cell, owned by the state. 0 or AKT_ENOMEM. */
int aktj_actor_for_cell(JNIEnv *env, jobject cell, const akt_behavior **b, void **state);

/* The object ops of every message carrying a Java object: the object is a slot made by
 * aktj_object_hold. */
extern const akt_object_ops aktj_object_ops;

/* aktj_slots.c: a slot holding obj for a message (NULL without memory); gives it back
 * (env may be NULL: a thread the JVM refused); the object as a new local reference. */
void *aktj_object_hold(JNIEnv *env, jobject obj);
void aktj_object_drop(JNIEnv *env, void *object);
jobject aktj_object_local(JNIEnv *env, const void *object);
/* Where Java finds the object itself: (chunk + 1) << 32 | index (> 0), 0 for a fallback
 * global reference. */
jlong aktj_object_code(const void *object);
/* Around akt calls made by a JNI method that Java called (so no exception is pending
 * until it makes a JNI call that can throw): 1 lets a slot given back there skip the
 * exception check. Returns the previous value, which the caller restores. */
int aktj_slots_clean(int clean);
/* Java objects held by messages now (slots and fallback references), for tests: counted
 * per thread in its record, since one shared counter bumped by the sender and by the
 * worker that releases cost ~10% of a tell (its line bounced between the cores). */
long aktj_slots_live(void);
/* msg's Java object as a new local reference (the caller deletes it on akt's threads);
 * NULL when msg is NULL or carries no Java object. */
jobject aktj_msg_local(JNIEnv *env, const akt_msg *msg);

/* Directive + optional Java decider -> an akt_supervisor; decide_data is a new global ref
 * (or NULL) that the caller owns. */
/* AKT_EINVAL (nothing allocated) for a negative or too large max_retries. */
int aktj_supervisor_init(JNIEnv *env, akt_supervisor *sup, jint directive, jobject decider,
                         jint strategy, jlong max_retries, jlong within_ns, jdoubleArray backoff);

/* A dev.akt.Passivation's (strategy, value) as akt's: value is the idle ns or the message
 * count, by strategy (aktj_fault.c). */
akt_passivation aktj_passivation_of(jint strategy, jlong value);

/* A dev.akt.Mailbox's spec(), {kind, capacity, when_full, block_timeout_ns}, into mb (its
 * size set, compare NULL); AKT_EINVAL for an array of another length or a value beyond its
 * C field. */
int aktj_mailbox_read(JNIEnv *env, jlongArray mailbox, akt_mailbox_spec *mb);

/* Thread hooks given to every system: attach to the JVM once, detach at the end. data is
 * the interned system name, used to name the Java thread. */
void aktj_thread_start(void *data, int index);
/* 1 on a thread akt made for this binding's systems (a worker, the timer, a service). */
int aktj_on_akt_thread(void);
void aktj_thread_stop(void *data, int index);

/* Future completion -> Upcalls.complete(cf, ...); data is a global ref to cf, dropped here. */
void aktj_future_done(akt_future *future, int rc, akt_msg *reply, void *data);
/* Shutdown completion -> Upcalls.complete(cf, 0, null, 0); data is a global ref to cf. */
void aktj_shutdown_done(akt_system *system, void *data);

/* akt 0.2 added receive_batch/akt_ctx_next: one upcall per run of messages, not per message. */
#if AKT_VERSION_HEX >= 0x000200
#define AKTJ_BATCH 1
#else
#define AKTJ_BATCH 0
#endif

/* Thread-locals of this library are read per message: initial-exec avoids a __tls_get_addr
 * call each time (the few bytes fit the static TLS surplus of a dlopen'ed library). */
#define AKTJ_TLS _Thread_local __attribute__((tls_model("initial-exec")))

#define AKTJ_PTR(h) ((void *)(intptr_t)(h))
#define AKTJ_HANDLE(p) ((jlong)(intptr_t)(p))

/* Java carries a PID as its 64-bit id (Pid.id), the same bits as akt_pid.id. */
static inline akt_pid aktj_pid(jlong id) {
    akt_pid p = {(uint64_t)id};
    return p;
}

/* local begin: */
/* The system's propagator (aktj_propagator.c) from a dev.akt.Propagation (or null): 1 with
 * *out filled and *ref a new global reference to it (the caller owns it and keeps it as
 * long as the system), 0 for none, AKT_EINVAL or AKT_ENOMEM. */
/* msg's headers as [k0, v0, k1, v1, ...] Strings (str: java.lang.String); msg NULL or
 * without headers: an empty array. NULL with a pending exception when out of memory. */
jobjectArray aktj_headers_array(JNIEnv *env, akt_msg *msg, jclass str);
int aktj_propagator_of(JNIEnv *env, jobject propagation, akt_propagator *out, jobject *ref);
/* One grain activation's dependencies (aktj_grain_deps): names copied, values global
 * references; listed in the system's record and freed with it. */
typedef struct aktj_grain_depset {
    struct aktj_grain_depset *next;
    size_t n;
    char **names;
    jobject values[];
} aktj_grain_depset;
/* local end */

#endif /* AKTJ_INTERNAL_H */
