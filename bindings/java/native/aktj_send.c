/*
 * aktj_send.c -- sending from Java: tell, respond and ask with a Java object in one JNI
 * crossing, batches of either in one crossing, and the completion of futures.
 */
#include <stdlib.h>
#include <string.h>

#include "aktj_internal.h"

/* The hot paths (tell, from anywhere or from inside an actor, where akt_tell finds the
 * sender itself; respond) share one shape: make the message from the Java object, hand it
 * to akt, and on failure release it here, since akt takes a message only when it returns 0.
 * object_msg and sent are the two halves of that shape. */

/* Makes a message carrying obj; on failure returns the code the caller reports: a missing
 * object or type is the caller's error, anything else is out of memory. */
static int object_msg(JNIEnv *env, jobject obj, jlong type, akt_msg **msg) {
    *msg = AKTJ_PTR(aktj_msg_new_object(env, obj, type));
    if (*msg != NULL) return 0;
    return obj == NULL || type == 0 ? AKT_EINVAL : AKT_ENOMEM;
}

/* rc is akt's answer to sending msg: when it refused, msg is still ours to release. */
static int sent(int rc, akt_msg *msg) {
    if (rc != 0) akt_msg_release(msg);
    return rc;
}

/* Issue 17: a Java object a C actor (or another binding's) could not read is refused at the
 * sender, never delivered unreadable. Only an object message is judged: one lock-free look
 * at who reads the target (akt_pid_receive); a Java actor takes the object, akt's relays
 * (NULL: a router, a topic, a remote pid, which has the serializer rules) pass it on. Any
 * other reader reads bytes, so they are made now (Upcalls.toBytes, once; akt keeps them for
 * that reader): AKT_ENOTSUP when the object has none (Java names the refusal, Errors). */
int aktj_reader_check(akt_system *system, akt_pid to, akt_msg *msg) {
    void *o = NULL;
    akt_receive_fn reader = NULL;
    if (akt_msg_object(msg, &aktj_object_ops, &o) != 0) return 0; /* a bytes message */
    if (akt_pid_receive(system, to, &reader) != 0 || reader == NULL ||
        reader == aktj_actor_behavior()->receive)
        return 0;
    return aktj_msg_bytes_check(AKTJ_HANDLE(msg));
}

int aktj_msg_bytes_check(jlong msg) {
    void *o = NULL;
    if (msg == 0) return AKT_EINVAL;
    if (akt_msg_object(AKTJ_PTR(msg), &aktj_object_ops, &o) != 0) return 0; /* bytes */
    const void *data = NULL;
    size_t len = 0;
    return akt_msg_bytes(AKTJ_PTR(msg), &data, &len) != 0 ? AKT_ENOTSUP : 0;
}

/* Issue 17: a reply goes to whoever asked or told the current message, and who reads it is
 * akt_ctx_asker_reader's answer: Java (a Java actor, or Java code that asked from outside
 * actors: its asks name Java) takes the object, akt's relays (NULL: a remote asker, a
 * router) pass it on; any other reader -- a C actor's ask or tell, or C code that asked with
 * a plain akt_ask -- reads bytes: AKT_ENOTSUP when the object has none. No asker: not
 * judged. */
static int reply_reader_check(akt_ctx *ctx, akt_msg *msg) {
    void *o = NULL;
    akt_receive_fn reader = NULL;
    if (akt_msg_object(msg, &aktj_object_ops, &o) != 0) return 0; /* a bytes message */
    if (akt_ctx_asker_reader(ctx, &reader) != 0 || reader == NULL ||
        reader == aktj_actor_behavior()->receive)
        return 0;
    return aktj_msg_bytes_check(AKTJ_HANDLE(msg));
}

int aktj_tell(JNIEnv *env, jlong system, jlong pid, jobject obj, jlong type) {
    akt_msg *msg;
    int rc = object_msg(env, obj, type, &msg);
    if (rc == 0) rc = sent(aktj_reader_check(AKTJ_PTR(system), aktj_pid(pid), msg), msg);
    return rc != 0 ? rc : sent(akt_tell(AKTJ_PTR(system), aktj_pid(pid), msg), msg);
}

int aktj_msg_set_headers(JNIEnv *env, jlong msg, jobjectArray keys, jobjectArray values) {
    if (keys == NULL || values == NULL) return AKT_EINVAL;
    jsize n = (*env)->GetArrayLength(env, keys);
    if ((*env)->GetArrayLength(env, values) != n) return AKT_EINVAL;
    int rc = 0;
    for (jsize i = 0; i < n && rc == 0; i++) {
        jstring k = (*env)->GetObjectArrayElement(env, keys, i);
        jstring v = (*env)->GetObjectArrayElement(env, values, i);
        const char *kc = k != NULL ? (*env)->GetStringUTFChars(env, k, NULL) : NULL;
        const char *vc = v != NULL ? (*env)->GetStringUTFChars(env, v, NULL) : NULL;
        /* Modified UTF-8 equals UTF-8 for text without NUL or supplementary characters. */
        rc = kc == NULL || vc == NULL ? AKT_EINVAL
                                      : akt_msg_set_header(AKTJ_PTR(msg), kc, vc, strlen(vc));
        if (kc != NULL) (*env)->ReleaseStringUTFChars(env, k, kc);
        if (vc != NULL) (*env)->ReleaseStringUTFChars(env, v, vc);
        (*env)->DeleteLocalRef(env, k);
        (*env)->DeleteLocalRef(env, v);
    }
    return rc;
}

int aktj_tell_headers(JNIEnv *env, jlong system, jlong ctx, jlong pid, jobject obj, jlong type,
                      jobjectArray keys, jobjectArray values) {
    akt_msg *msg;
    int rc = object_msg(env, obj, type, &msg);
    if (rc != 0) return rc;
    rc = aktj_msg_set_headers(env, AKTJ_HANDLE(msg), keys, values);
    if (rc == 0) rc = aktj_reader_check(AKTJ_PTR(system), aktj_pid(pid), msg);
    if (rc != 0) return sent(rc, msg);
    return sent(ctx != 0 ? akt_ctx_tell(AKTJ_PTR(ctx), aktj_pid(pid), msg)
                         : akt_tell(AKTJ_PTR(system), aktj_pid(pid), msg),
                msg);
}

int aktj_ctx_respond_headers(JNIEnv *env, jlong ctx, jobject obj, jlong type, jobjectArray keys,
                             jobjectArray values) {
    akt_msg *msg;
    int rc = object_msg(env, obj, type, &msg);
    if (rc != 0) return rc;
    rc = aktj_msg_set_headers(env, AKTJ_HANDLE(msg), keys, values);
    if (rc == 0) rc = reply_reader_check(AKTJ_PTR(ctx), msg);
    return sent(rc != 0 ? rc : akt_ctx_respond(AKTJ_PTR(ctx), msg), msg);
}

jobjectArray aktj_headers_array(JNIEnv *env, akt_msg *msg, jclass str) {
    size_t n = 0;
    if (msg == NULL || akt_msg_header_count(msg, &n) != 0) n = 0;
    jobjectArray out = (*env)->NewObjectArray(env, (jsize)(2 * n), str, NULL);
    for (size_t i = 0; out != NULL && i < n; i++) {
        const char *key;
        const void *value;
        size_t len;
        if (akt_msg_header_at(msg, i, &key, &value, &len) != 0) break;
        jstring k = (*env)->NewStringUTF(env, key);
        jstring v = (*env)->NewStringUTF(env, value); /* NUL-terminated by akt */
        if (k == NULL || v == NULL) return NULL;
        (*env)->SetObjectArrayElement(env, out, (jsize)(2 * i), k);
        (*env)->SetObjectArrayElement(env, out, (jsize)(2 * i + 1), v);
        (*env)->DeleteLocalRef(env, k);
        (*env)->DeleteLocalRef(env, v);
    }
    return out;
}

jobjectArray aktj_ctx_headers(JNIEnv *env, jlong ctx) {
    akt_msg *m = NULL;
    size_t n = 0;
    if (akt_ctx_message(AKTJ_PTR(ctx), &m) != 0 || akt_msg_header_count(m, &n) != 0) return NULL;
    jclass str = (*env)->FindClass(env, "java/lang/String");
    if (str == NULL) return NULL;
    return aktj_headers_array(env, m, str);
}

int aktj_ctx_respond(JNIEnv *env, jlong ctx, jobject obj, jlong type) {
    akt_msg *msg;
    int rc = object_msg(env, obj, type, &msg);
    if (rc == 0) rc = sent(reply_reader_check(AKTJ_PTR(ctx), msg), msg);
    return rc != 0 ? rc : sent(akt_ctx_respond(AKTJ_PTR(ctx), msg), msg);
}

int aktj_ctx_reply_expected(jlong ctx) {
    int expected = 0;
    int rc = akt_ctx_reply_expected(AKTJ_PTR(ctx), &expected);
    return rc != 0 ? rc : expected != 0;
}

void aktj_future_done(akt_future *future, int rc, akt_msg *reply, void *data) {
    JNIEnv *env = aktj_env();
    if (env == NULL) return;
    jobject cf = data;
    /* The reply is borrowed for this call: Java decodes it (or takes the object) now. */
    jobject obj = rc == 0 ? aktj_msg_local(env, reply) : NULL;
    /* A failed ask: the receiver's reason, and its Throwable when it was a Java actor here
     * (obj then; the detail is held until Java has it). */
    const char *why = NULL;
    akt_msg *detail = NULL;
    jstring reason = NULL;
    if (rc != 0 && future != NULL && akt_future_failure(future, &why, &detail) == 0) {
        if (detail != NULL) obj = aktj_msg_local(env, detail);
        if (why != NULL) reason = (*env)->NewStringUTF(env, why);
        aktj_drop_exception(env, "NewStringUTF"); /* without memory: no reason */
    }
    (*env)->CallStaticVoidMethod(env, aktj_g.upcalls, aktj_g.complete, cf, (jint)rc, obj,
                                 AKTJ_HANDLE(rc == 0 ? reply : NULL), reason);
    aktj_drop_exception(env, "Upcalls.complete");
    if (obj != NULL) (*env)->DeleteLocalRef(env, obj);
    if (reason != NULL) (*env)->DeleteLocalRef(env, reason);
    if (detail != NULL) akt_msg_release(detail);
    (*env)->DeleteGlobalRef(env, cf);
}

void aktj_shutdown_done(akt_system *system, void *data) {
    (void)system;
    aktj_future_done(NULL, 0, NULL, data);
}

/* Hands the future's reference to the AskFuture (Java releases it once the future completed
 * or was cancelled), then registers the completion. */
void aktj_ask_register(JNIEnv *env, akt_future *f, jobject cf) {
    (*env)->SetLongField(env, cf, aktj_g.ask_handle, AKTJ_HANDLE(f));
    jobject ref = (*env)->NewGlobalRef(env, cf);
    /* A fresh future has no callback yet, so registration cannot fail with AKT_EBUSY; it
     * may run the callback right here if the reply already came. */
    if (ref == NULL || akt_future_on_complete(f, aktj_future_done, ref) != 0) {
        /* Out of references: the answer is lost, but nothing leaks and Java sees no handle. */
        if (ref != NULL) (*env)->DeleteGlobalRef(env, ref);
        (*env)->SetLongField(env, cf, aktj_g.ask_handle, 0);
        akt_future_release(f);
    }
}

jint aktj_future_await(jlong future, jlong timeout_ns) {
    if (aktj_on_akt_thread()) return AKT_EMISUSE;
    if (timeout_ns <= 0) return AKT_EINVAL;
    int rc = akt_future_wait(AKTJ_PTR(future), timeout_ns, NULL);
    return rc == AKT_EAGAIN || rc == AKT_EINVAL ? rc : 0;
}

int aktj_ask(JNIEnv *env, jlong system, jlong ctx, jlong pid, jlong msg, jlong timeout_ns,
             jobject cf) {
    if (cf == NULL || msg == 0) return AKT_EINVAL;
    akt_future *f = NULL;
    int rc = aktj_reader_check(AKTJ_PTR(system), aktj_pid(pid), AKTJ_PTR(msg));
    if (rc != 0) return rc; /* msg is still the caller's */
    rc = ctx != 0 ? akt_ctx_ask(AKTJ_PTR(ctx), aktj_pid(pid), AKTJ_PTR(msg), timeout_ns, &f)
                  : akt_ask_as(AKTJ_PTR(system), aktj_pid(pid), AKTJ_PTR(msg), timeout_ns,
                               aktj_actor_behavior()->receive, &f); /* Java reads it */
    if (rc != 0) return rc;                                         /* msg is still the caller's */
    aktj_ask_register(env, f, cf);
    return 0;
}

int aktj_ask_wait(JNIEnv *env, jlong system, jlong pid, jlong msg, jlong timeout_ns, jlong wait_ns,
                  jobject cf) {
    if (aktj_on_akt_thread()) return aktj_ask(env, system, 0, pid, msg, timeout_ns, cf);
    if (cf == NULL || msg == 0 || wait_ns <= 0) return AKT_EINVAL;
    int rc = aktj_reader_check(AKTJ_PTR(system), aktj_pid(pid), AKTJ_PTR(msg));
    if (rc != 0) return rc; /* msg is still the caller's */
    akt_future *f = NULL;
    /* The wait's result is not needed here: the completion reads it (registered below, it
     * runs at once on this thread when the answer is in). Java reads the answer. */
    rc = akt_ask_wait(AKTJ_PTR(system), aktj_pid(pid), AKTJ_PTR(msg), timeout_ns,
                      aktj_actor_behavior()->receive, wait_ns, &f, NULL);
    if (f == NULL) return rc; /* msg is still the caller's */
    aktj_ask_register(env, f, cf);
    return 0;
}

/* ---- topics ----------------------------------------------------------------------------- */

int aktj_topic_op(JNIEnv *env, jlong system, jint op, const char *topic, jlong pid,
                  jlong timeout_ns, jobject cf) {
    if (cf == NULL) return AKT_EINVAL;
    akt_system *s = AKTJ_PTR(system);
    akt_future *f = NULL;
    int rc = op == 0   ? akt_topic_subscribe(s, topic, aktj_pid(pid), timeout_ns, &f)
             : op == 1 ? akt_topic_unsubscribe(s, topic, aktj_pid(pid), timeout_ns, &f)
             : op == 2 ? akt_topic_count(s, topic, timeout_ns, &f)
                       : AKT_EINVAL;
    if (rc != 0) return rc;
    aktj_ask_register(env, f, cf);
    return 0;
}

/* ---- batches ---------------------------------------------------------------------------- */

/* Makes msgs[0..n) from objs/types (see aktj.h); returns 0 or an error with nothing made
 * left behind. made[i] is 1 for the messages made here. */
static int batch_make(JNIEnv *env, jobjectArray objs, jlongArray types, size_t n, akt_msg **msgs,
                      unsigned char *made) {
    jlong *t = (*env)->GetLongArrayElements(env, types, NULL);
    if (t == NULL) return AKT_ENOMEM;
    int rc = 0;
    size_t i = 0;
    for (; i < n && rc == 0; i++) {
        jobject o = (*env)->GetObjectArrayElement(env, objs, (jsize)i);
        if (o == NULL) {
            msgs[i] = AKTJ_PTR(t[i]);
            made[i] = 0;
            rc = msgs[i] != NULL ? 0 : AKT_EINVAL;
        } else {
            msgs[i] = AKTJ_PTR(aktj_msg_new_object(env, o, t[i]));
            made[i] = 1;
            rc = msgs[i] != NULL ? 0 : AKT_ENOMEM;
            (*env)->DeleteLocalRef(env, o); /* n may be large: do not pile up locals */
        }
    }
    (*env)->ReleaseLongArrayElements(env, types, t, JNI_ABORT);
    if (rc != 0)
        for (size_t j = 0; j < i; j++)
            if (made[j] && msgs[j] != NULL) akt_msg_release(msgs[j]);
    return rc;
}

static void batch_release_made(akt_msg **msgs, const unsigned char *made, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (made[i]) akt_msg_release(msgs[i]);
}

static int batch_size(JNIEnv *env, jobjectArray objs, jlongArray types, size_t *n) {
    if (objs == NULL || types == NULL) return AKT_EINVAL;
    jsize k = (*env)->GetArrayLength(env, objs);
    if (k != (*env)->GetArrayLength(env, types)) return AKT_EINVAL;
    *n = (size_t)k;
    return 0;
}

int aktj_tell_batch(JNIEnv *env, jlong system, jlong pid, jobjectArray objs, jlongArray types) {
    size_t n;
    int rc = batch_size(env, objs, types, &n);
    if (rc != 0 || n == 0) return rc;
    akt_msg **msgs = malloc(n * sizeof *msgs);
    unsigned char *made = malloc(n);
    if (msgs == NULL || made == NULL) {
        free(msgs);
        free(made);
        return AKT_ENOMEM;
    }
    rc = batch_make(env, objs, types, n, msgs, made);
    int refused = 0; /* a value the target cannot read: nothing of the batch is sent */
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = refused = aktj_reader_check(AKTJ_PTR(system), aktj_pid(pid), msgs[i]);
    if (refused != 0) batch_release_made(msgs, made, n);
    if (rc == 0) {
        rc = akt_tell_batch(AKTJ_PTR(system), aktj_pid(pid), msgs, n);
        if (rc != 0) batch_release_made(msgs, made, n);
    }
    free(msgs);
    free(made);
    return rc;
}

int aktj_ask_batch(JNIEnv *env, jlong system, jlong pid, jobjectArray objs, jlongArray types,
                   jlong timeout_ns, jobjectArray cfs) {
    size_t n;
    int rc = batch_size(env, objs, types, &n);
    if (rc != 0 || n == 0) return rc;
    if (cfs == NULL || (size_t)(*env)->GetArrayLength(env, cfs) != n) return AKT_EINVAL;
    akt_msg **msgs = malloc(n * sizeof *msgs);
    akt_future **futures = malloc(n * sizeof *futures);
    unsigned char *made = malloc(n);
    if (msgs == NULL || futures == NULL || made == NULL) {
        free(msgs);
        free(futures);
        free(made);
        return AKT_ENOMEM;
    }
    rc = batch_make(env, objs, types, n, msgs, made);
    int refused = 0; /* a value the target cannot read: nothing of the batch is sent */
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = refused = aktj_reader_check(AKTJ_PTR(system), aktj_pid(pid), msgs[i]);
    if (refused != 0) batch_release_made(msgs, made, n);
    if (rc == 0) {
        rc = akt_ask_batch_as(AKTJ_PTR(system), aktj_pid(pid), msgs, n, timeout_ns,
                              aktj_actor_behavior()->receive, futures);
        if (rc != 0) batch_release_made(msgs, made, n);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        jobject cf = (*env)->GetObjectArrayElement(env, cfs, (jsize)i);
        aktj_ask_register(env, futures[i], cf);
        (*env)->DeleteLocalRef(env, cf);
    }
    free(msgs);
    free(futures);
    free(made);
    return rc;
}

/* ---- grains ----------------------------------------------------------------------------- */

int aktj_grain_send(JNIEnv *env, jlong system, const char *kind, const char *name, jlong msg,
                    jlong timeout_ns, jobject cf, jlongArray activation, jlongArray mailbox,
                    jlong deps) {
    if (msg == 0) return AKT_EINVAL;
    akt_system *s = AKTJ_PTR(system);
    /* local begin: options per activation */
    akt_grain_options go;
    akt_mailbox_spec mb = {.size = sizeof mb};
    akt_grain_options_init(&go);
    if (activation != NULL) {
        jlong a[3];
        if ((*env)->GetArrayLength(env, activation) != 3) return AKT_EINVAL;
        (*env)->GetLongArrayRegion(env, activation, 0, 3, a);
        go.deactivate_after_ns = a[0];
        go.reentrancy = (int)a[1];
        go.max_in_flight = a[2];
    }
    if (mailbox != NULL) {
        jlong f[4];
        if ((*env)->GetArrayLength(env, mailbox) != 4) return AKT_EINVAL;
        (*env)->GetLongArrayRegion(env, mailbox, 0, 4, f);
        if (f[1] < 0 || f[1] > UINT32_MAX) return AKT_EINVAL;
        mb.kind = (int)f[0];
        mb.capacity = (uint32_t)f[1];
        mb.when_full = (int)f[2];
        mb.block_timeout_ns = f[3];
        go.mailbox = &mb;
    }
    aktj_grain_depset *d = AKTJ_PTR(deps);
    if (d != NULL) { /* names copied by akt; values kept by the system's record */
        go.dependency_names = (const char *const *)d->names;
        go.dependency_values = (void *const *)d->values;
        go.dependency_count = d->n;
    }
    const akt_grain_options *gop = activation != NULL || mailbox != NULL || d != NULL ? &go : NULL;
    /* local end */
    if (cf == NULL) return akt_grain_tell_with(s, kind, name, AKTJ_PTR(msg), gop);
    akt_future *f = NULL;
    int rc = akt_grain_ask_as(s, kind, name, AKTJ_PTR(msg), timeout_ns, gop,
                              aktj_actor_behavior()->receive, &f); /* Java reads the answer */
    if (rc != 0) return rc;                                        /* msg is still the caller's */
    aktj_ask_register(env, f, cf);
    return 0;
}
