/*
 * aktj_jvm.c -- the JVM side of threads: caching upcall targets at load time, attaching
 * akt's threads once (thread hooks) and any foreign thread lazily, interned strings.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aktj_internal.h"

aktj_jvm aktj_g;

/* Threads attached by the hooks so far (for the "attach once per worker" test). */
static atomic_long attaches;

/* This thread's env when akt's hook or aktj_env attached it; NULL on Java's own threads,
 * which ask GetEnv instead (cheap) so nothing stale is ever cached for them. */
static AKTJ_TLS JNIEnv *tl_env;
/* 1 on the threads akt made (its hooks ran there): workers, the timer, service threads. */
static AKTJ_TLS int tl_akt_thread;

/* Destructor key: a foreign thread attached by aktj_env is detached when it exits. */
static pthread_key_t detach_key;

static void detach_at_exit(void *unused) {
    (void)unused;
    (*aktj_g.vm)->DetachCurrentThread(aktj_g.vm);
}

static jmethodID static_method(JNIEnv *env, const char *name, const char *sig) {
    return (*env)->GetStaticMethodID(env, aktj_g.upcalls, name, sig);
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    aktj_g.vm = vm;
    jclass c = (*env)->FindClass(env, "dev/akt/Upcalls");
    if (c == NULL) return JNI_ERR;
    aktj_g.upcalls = (*env)->NewGlobalRef(env, c);
    (*env)->DeleteLocalRef(env, c);
    aktj_g.receive = static_method(env, "receive", "(Ljava/lang/Object;JLjava/lang/Object;J)I");
    aktj_g.receive_batch = static_method(env, "receiveBatch", "(Ljava/lang/Object;J)I");
    aktj_g.compare = static_method(env, "compare",
                                   "(Ljava/lang/Object;Ljava/lang/Object;JLjava/lang/Object;J)I");
    aktj_g.settle = static_method(env, "settle", "(Ljava/lang/Object;JJILjava/lang/Object;J)I");
    aktj_g.step = static_method(env, "step", "(Ljava/lang/Object;JJ)I");
    jfieldID marker = (*env)->GetStaticFieldID(env, aktj_g.upcalls, "NATIVE_MESSAGE",
                                               "Ljava/lang/Object;");
    if (marker == NULL) return JNI_ERR;
    jobject m = (*env)->GetStaticObjectField(env, aktj_g.upcalls, marker);
    aktj_g.native_message = m != NULL ? (*env)->NewGlobalRef(env, m) : NULL;
    (*env)->DeleteLocalRef(env, m);
    aktj_g.pre_start = static_method(env, "preStart", "(Ljava/lang/Object;J)I");
    aktj_g.post_stop = static_method(env, "postStop", "(Ljava/lang/Object;J)V");
    aktj_g.decide = static_method(env, "decide", "(Ljava/lang/Object;ILjava/lang/String;)I");
    aktj_g.complete = static_method(env, "complete",
                                    "(Ljava/lang/Object;ILjava/lang/Object;JLjava/lang/String;)V");
    aktj_g.event = static_method(
        env, "event",
        "(Ljava/lang/Object;IJLjava/lang/String;JLjava/lang/Object;JILjava/lang/String;)V");
    aktj_g.to_bytes = static_method(env, "toBytes", "(Ljava/lang/Object;)[B");
    aktj_g.grain_activate = static_method(
        env, "grainActivate", "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;");
    aktj_g.slot_chunk = static_method(env, "slotChunk", "(I[Ljava/lang/Object;)V");
    jclass ask = (*env)->FindClass(env, "dev/akt/AskFuture");
    if (ask == NULL) return JNI_ERR;
    aktj_g.ask_handle = (*env)->GetFieldID(env, ask, "handle", "J");
    (*env)->DeleteLocalRef(env, ask);
    if (!aktj_g.ask_handle || !aktj_g.receive || !aktj_g.receive_batch || !aktj_g.compare ||
        !aktj_g.settle || !aktj_g.step || !aktj_g.native_message || !aktj_g.pre_start ||
        !aktj_g.post_stop || !aktj_g.decide || !aktj_g.complete || !aktj_g.event ||
        !aktj_g.to_bytes || !aktj_g.grain_activate || !aktj_g.slot_chunk)
        return JNI_ERR; /* NoSuchMethodError is pending and names the culprit */
    if (pthread_key_create(&detach_key, detach_at_exit) != 0) return JNI_ERR;
    return JNI_VERSION_1_8;
}

JNIEnv *aktj_env(void) {
    JNIEnv *env = tl_env;
    if (env != NULL) return env;
    if ((*aktj_g.vm)->GetEnv(aktj_g.vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK) return env;
    JavaVMAttachArgs args = {JNI_VERSION_1_8, "akt-foreign", NULL};
    if ((*aktj_g.vm)->AttachCurrentThreadAsDaemon(aktj_g.vm, (void **)&env, &args) != JNI_OK)
        return NULL;
    tl_env = env;
    pthread_setspecific(detach_key, env); /* non-NULL value: the destructor runs */
    return env;
}

int aktj_drop_exception(JNIEnv *env, const char *where) {
    if (!(*env)->ExceptionCheck(env)) return 0;
    fprintf(stderr, "akt-java: exception escaped %s:\n", where);
    (*env)->ExceptionDescribe(env); /* prints and clears */
    return 1;
}

void aktj_thread_start(void *data, int index) {
    tl_akt_thread = 1;
    char name[96];
    if (index >= 0)
        snprintf(name, sizeof name, "akt-%s-worker-%d", (const char *)data, index);
    else if (index == -1)
        snprintf(name, sizeof name, "akt-%s-timer", (const char *)data);
    else
        snprintf(name, sizeof name, "akt-%s-service%d", (const char *)data, -index);
    JavaVMAttachArgs args = {JNI_VERSION_1_8, name, NULL};
    JNIEnv *env;
    /* Daemon: a Java program that forgets to close a system can still exit. */
    if ((*aktj_g.vm)->AttachCurrentThreadAsDaemon(aktj_g.vm, (void **)&env, &args) != JNI_OK)
        return; /* aktj_env will retry lazily on this thread */
    tl_env = env;
    atomic_fetch_add_explicit(&attaches, 1, memory_order_relaxed); /* a statistic */
}

int aktj_on_akt_thread(void) { return tl_akt_thread; }

void aktj_thread_stop(void *data, int index) {
    (void)data;
    (void)index;
    tl_akt_thread = 0;
    if (tl_env == NULL) return;
    tl_env = NULL;
    pthread_setspecific(detach_key, NULL); /* in case aktj_env attached it: detach once */
    (*aktj_g.vm)->DetachCurrentThread(aktj_g.vm);
}

jlong aktj_stat_attaches(void) { return atomic_load_explicit(&attaches, memory_order_relaxed); }

/* Interned strings: a lock-protected list; it grows with the number of message classes and
 * system names a program uses, never per message. */
typedef struct interned {
    struct interned *next;
    char text[];
} interned;
static interned *interned_head;
static pthread_mutex_t interned_lock = PTHREAD_MUTEX_INITIALIZER;

jlong aktj_intern(JNIEnv *env, jstring s) {
    if (s == NULL) return 0;
    const char *utf = (*env)->GetStringUTFChars(env, s, NULL);
    if (utf == NULL) return 0;
    jlong result = 0;
    pthread_mutex_lock(&interned_lock);
    for (interned *i = interned_head; i != NULL; i = i->next)
        if (strcmp(i->text, utf) == 0) {
            result = AKTJ_HANDLE(i->text);
            break;
        }
    if (result == 0) {
        size_t n = strlen(utf) + 1;
        interned *i = malloc(sizeof *i + n);
        if (i != NULL) {
            memcpy(i->text, utf, n);
            i->next = interned_head;
            interned_head = i;
            result = AKTJ_HANDLE(i->text);
        }
    }
    pthread_mutex_unlock(&interned_lock);
    (*env)->ReleaseStringUTFChars(env, s, utf);
    return result;
}
