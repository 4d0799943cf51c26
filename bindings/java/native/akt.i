/*
 * akt.i -- SWIG (-java, C mode) description of the JNI layer: every public header under
 * abi/include/akt/ (akt_headers.i, which build.sh writes from that folder), plus aktj.h.
 *
 * Choices, and why:
 *  - Every generated class is package-private in dev.akt: the native surface (raw handles,
 *    akt_msg_release(long), ...) is reachable only from the binding's own code, on the
 *    class path as on the module path.
 *  - Handles (akt_system *, akt_ctx *, akt_msg *, akt_future *) and akt_pid cross as Java
 *    long: no proxy object per call on the hot path, and the idiomatic API in dev.akt
 *    wraps them once.
 *  - Out-parameters become long[] (written only on success, as in akt.h).
 *  - Callbacks cross as Java objects through typemaps: the (callback, data) pair of
 *    akt_system_shutdown and akt_future_on_complete takes a CompletableFuture, held as a
 *    global reference until the callback drops it. The callbacks that need more (receive,
 *    thread hooks, object ops, deciders, events) are in the hand-written aktj_*.c files and
 *    wrapped from aktj.h here.
 *  - Functions whose Java form lives in aktj.h are ignored to keep one way of doing each.
 */
%module(jniclassname="AktNativeJNI") AktNative

%{
#include <stdlib.h>

#include "aktj_internal.h"
%}

%pragma(java) jniclasscode=%{
  static {
    NativeLibrary.load();
  }
%}
%pragma(java) jniclassclassmodifiers="final class"
%pragma(java) moduleclassmodifiers="final class"
/* Proxies of structs and SWIGTYPE_p_* pointer wrappers that a new header may bring. */
%typemap(javaclassmodifiers) SWIGTYPE, SWIGTYPE *, SWIGTYPE &, SWIGTYPE [] "final class"
/* and the enum classes of a header (SWIG's type-safe enum pattern) */
%typemap(javaclassmodifiers) enum SWIGTYPE "final class"

/* Constants are read from the library at class init (SWIG's default): the header writes some
 * as C literals like 0x01u that are not Java, and new ones must not break the build. */

%include "stdint.i"

/* ---- JNIEnv comes from the wrapper, never from Java --------------------------------- */
%typemap(in, numinputs=0) JNIEnv *env %{ $1 = jenv; %}

/* ---- opaque handles as long ----------------------------------------------------------- */
%define AKTJ_HANDLE_TYPE(TYPE)
%typemap(jni) TYPE *, const TYPE * "jlong"
%typemap(jtype) TYPE *, const TYPE * "long"
%typemap(jstype) TYPE *, const TYPE * "long"
%typemap(in) TYPE *, const TYPE * %{ $1 = ($1_ltype)(intptr_t)$input; %}
%typemap(out) TYPE *, const TYPE * %{ $result = (jlong)(intptr_t)$1; %}
%typemap(javain) TYPE *, const TYPE * "$javainput"
%typemap(javaout) TYPE *, const TYPE * { return $jnicall; }

/* TYPE **out: a long[1] receiving the handle on success. */
%typemap(jni) TYPE **out "jlongArray"
%typemap(jtype) TYPE **out "long[]"
%typemap(jstype) TYPE **out "long[]"
%typemap(javain) TYPE **out "$javainput"
%typemap(in) TYPE **out ($*1_ltype tmp = NULL) %{
  if ($input == NULL || (*jenv)->GetArrayLength(jenv, $input) < 1) return AKT_EINVAL;
  $1 = &tmp;
%}
%typemap(argout) TYPE **out %{
  if (result == 0) { jlong h = (jlong)(intptr_t)tmp$argnum; (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &h); }
%}
%enddef

AKTJ_HANDLE_TYPE(akt_system)
AKTJ_HANDLE_TYPE(akt_ctx)
AKTJ_HANDLE_TYPE(akt_msg)
AKTJ_HANDLE_TYPE(akt_future)
AKTJ_HANDLE_TYPE(akt_type)

/* const akt_type **out (akt_type_register, akt_type_lookup): a long[1], as TYPE **out. */
%typemap(jni) const akt_type **out "jlongArray"
%typemap(jtype) const akt_type **out "long[]"
%typemap(jstype) const akt_type **out "long[]"
%typemap(javain) const akt_type **out "$javainput"
%typemap(in) const akt_type **out (const akt_type *tmp = NULL) %{
  if ($input == NULL || (*jenv)->GetArrayLength(jenv, $input) < 1) return AKT_EINVAL;
  $1 = ($1_ltype)&tmp; /* SWIG declares the argument without its const */
%}
%typemap(argout) const akt_type **out %{
  if (result == 0) { jlong h = (jlong)(intptr_t)tmp$argnum; (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &h); }
%}

/* ---- akt_pid as long ------------------------------------------------------------------ */
%typemap(jni) akt_pid "jlong"
%typemap(jtype) akt_pid "long"
%typemap(jstype) akt_pid "long"
%typemap(in) akt_pid %{ $1.id = (uint64_t)$input; %}
%typemap(out) akt_pid %{ $result = (jlong)$1.id; %}
%typemap(javain) akt_pid "$javainput"
%typemap(javaout) akt_pid { return $jnicall; }

%typemap(jni) akt_pid *out "jlongArray"
%typemap(jtype) akt_pid *out "long[]"
%typemap(jstype) akt_pid *out "long[]"
%typemap(javain) akt_pid *out "$javainput"
%typemap(in) akt_pid *out (akt_pid tmp = {0}) %{
  if ($input == NULL || (*jenv)->GetArrayLength(jenv, $input) < 1) return AKT_EINVAL;
  $1 = &tmp;
%}
%typemap(argout) akt_pid *out %{
  if (result == 0) { jlong id = (jlong)tmp$argnum.id; (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &id); }
%}

/* ---- bytes messages: byte[] copied once into a buffer akt takes (free on success) ---- */
%typemap(jni) (const void *data, size_t len, akt_free_fn free_fn) "jbyteArray"
%typemap(jtype) (const void *data, size_t len, akt_free_fn free_fn) "byte[]"
%typemap(jstype) (const void *data, size_t len, akt_free_fn free_fn) "byte[]"
%typemap(javain) (const void *data, size_t len, akt_free_fn free_fn) "$javainput"
%typemap(in) (const void *data, size_t len, akt_free_fn free_fn) (void *copy = NULL) %{
  if ($input == NULL) return AKT_EINVAL;
  $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
  copy = malloc($2 > 0 ? $2 : 1);
  if (copy == NULL) return AKT_ENOMEM;
  (*jenv)->GetByteArrayRegion(jenv, $input, 0, (jsize)$2, copy);
  $1 = copy;
  $3 = free; /* akt owns the copy on success */
%}
/* Not taken on failure: still ours. */
%typemap(argout) (const void *data, size_t len, akt_free_fn free_fn) %{
  if (result != 0) free(copy$argnum);
%}

/* ---- callbacks as CompletableFuture ----------------------------------------------------- */
%define AKTJ_FUTURE_CALLBACK(CBTYPE, TRAMPOLINE)
%typemap(jni) (CBTYPE cb, void *data) "jobject"
%typemap(jtype) (CBTYPE cb, void *data) "java.util.concurrent.CompletableFuture<?>"
%typemap(jstype) (CBTYPE cb, void *data) "java.util.concurrent.CompletableFuture<?>"
%typemap(javain) (CBTYPE cb, void *data) "$javainput"
%typemap(in) (CBTYPE cb, void *data) %{
  if ($input == NULL) return AKT_EINVAL;
  $1 = TRAMPOLINE;
  $2 = (*jenv)->NewGlobalRef(jenv, $input); /* dropped by the trampoline */
  if ($2 == NULL) return AKT_ENOMEM;
%}
/* Not registered (an error code): the trampoline will never run, so drop the reference. */
%typemap(argout) (CBTYPE cb, void *data) %{
  if (result != 0) (*jenv)->DeleteGlobalRef(jenv, (jobject)$2);
%}
%enddef

AKTJ_FUTURE_CALLBACK(akt_future_cb, aktj_future_done)
AKTJ_FUTURE_CALLBACK(akt_shutdown_cb, aktj_shutdown_done)

/* ---- the error table: aktj_errors.c makes the names a String[] ------------------------ */
%typemap(jtype) jobjectArray aktj_error_names "String[]"
%typemap(jstype) jobjectArray aktj_error_names "String[]"
%typemap(jtype) jobjectArray aktj_schedules "String[]"
%typemap(jstype) jobjectArray aktj_schedules "String[]"

/* ---- what Java does not get from akt.h (it has a form in aktj.h, or no use) ---------- */
/* The error table reaches Java as a whole: aktj_error_codes/aktj_error_names. */
%ignore akt_errno;
%ignore akt_allocator;
%ignore akt_allocator_set_default;
%ignore akt_thread_hook;
%ignore akt_decider_fn;
%ignore akt_supervisor;
%ignore akt_system_options;
%ignore akt_system_options_init;
%ignore akt_system_create;
%ignore akt_system_retain;
%ignore akt_system_release;
%ignore akt_pid;
%ignore akt_pid_path;
%ignore akt_free_fn;
%ignore akt_object_ops;
%ignore akt_msg_new_object;
%ignore akt_msg_bytes;
%ignore akt_msg_object;
/* A Java object of a registered type: aktj_msg_new_object with a tagged type (aktj.h). */
%ignore akt_msg_new_typed_object;
%ignore akt_msg_read; /* fixed-size C structs: Java reads a BytesMessage's bytes */
%ignore akt_tell_batch;
%ignore akt_ask;
%ignore akt_ask_batch;
%ignore akt_ask_wait; /* aktj_ask_wait */
%ignore akt_future_wait;
%ignore akt_future_failure; /* read by aktj_future_done, handed to Upcalls.complete */
%ignore akt_ctx_reply_expected; /* aktj_ctx_reply_expected */
%ignore akt_behavior;
/* Mailboxes reach Java as dev.akt.Mailbox, handed to aktj_spawn as a long[4]. */
%ignore akt_mailbox_kind;
%ignore akt_mailbox_when_full;
%ignore akt_mailbox_spec;
%ignore akt_mailbox_compare_fn;
%ignore akt_spawn_options;
%ignore akt_spawn_options_init;
%ignore akt_spawn;
%ignore akt_ctx_system;
%ignore akt_ctx_next;
%ignore akt_ctx_ask;
%ignore akt_ctx_spawn;
%ignore akt_ctx_become;
%ignore akt_ctx_unbecome;
%ignore akt_ctx_unbecome_stacked;
%ignore akt_ctx_dependency;
%ignore akt_ctx_extension;    /* aktj_ctx_extension */
%ignore akt_system_extension; /* aktj_system_extension */
%ignore akt_propagator;
%ignore akt_msg_set_header;   /* aktj_msg_set_headers */
%ignore akt_msg_header;       /* aktj_ctx_headers */
%ignore akt_msg_header_at;
%ignore akt_msg_header_count;
%ignore akt_request;
%ignore akt_request_then;
%ignore akt_request_options;
%ignore akt_request_options_init;
%ignore akt_ctx_request;    /* aktj_ctx_request */
%ignore akt_ctx_request_named; /* aktj_ctx_request_named */
%ignore akt_request_cancel; /* aktj_request_cancel */
%ignore akt_suspension;       /* async receive: aktj_ctx_suspend, aktj_suspension_post */
%ignore akt_resume_fn;
%ignore akt_ctx_suspend;
%ignore akt_suspension_post;
%ignore akt_notify_fn;
%ignore akt_dispatcher_create_external;
%ignore akt_dispatcher_run;
%ignore akt_event;
%ignore akt_event_cb;
%ignore akt_subscribe;
%ignore akt_unsubscribe;
%ignore akt_schedule_options;
%ignore akt_schedule_once;  /* aktj_schedule */
%ignore akt_schedule_every; /* aktj_schedule */
%ignore akt_schedule_cron;  /* aktj_schedule_cron */
%ignore akt_schedule_info;
%ignore akt_schedule_list_cb;
%ignore akt_schedule_list; /* aktj_schedules */
%ignore akt_cron_validate;   /* aktj_cron_validate: the expression as UTF-8 bytes */
%ignore akt_cron_next_after; /* aktj_cron_next */
/* Routers: Java spawns group routers and reads routees through aktj.h. */
%ignore akt_route_key_fn;
%ignore akt_routee_state_fn;
%ignore akt_router_options;
%ignore akt_router_options_init;
%ignore akt_router_spawn;
%ignore akt_router_routees;
%ignore akt_router_broadcast;
/* Metrics: read through aktj.h (aktj_metrics_*), the switch as it is. */
%ignore akt_system_metrics;
%ignore akt_actor_metrics;
%ignore akt_metrics_system;
%ignore akt_metrics_actor;
%ignore akt_metrics_actor_fn;
%ignore akt_metrics_foreach;
%ignore akt_metric_attr;
%ignore akt_metric_point;
%ignore akt_metrics_collect_fn;
%ignore akt_metrics_collect;
%ignore akt_metric_kind;
/* Grains: Java registers kinds and sends through aktj.h. */
%ignore akt_grain_kind;
%ignore akt_grain_kind_init;
%ignore akt_grain_kind_register;
%ignore akt_grain_tell;
%ignore akt_grain_ask;
%ignore AKT_GRAIN_DEACTIVATE_AFTER_DEFAULT_NS;
/* Serializers: akt_serializer_bind as it is; the rest through aktj.h (aktj_serial.c). */
%ignore akt_serializer;
%ignore akt_serializer_register;
%ignore akt_serializer_for;
%ignore akt_serializer_protobuf;
%ignore akt_msg_new_protobuf;
%ignore akt_msg_protobuf;
%ignore ProtobufCMessage;
%ignore ProtobufCMessageDescriptor;
/* Streams: Java builds and runs them through aktj.h (aktj_stream_*). */
%rename("$ignore", regextarget=1) "^akt_stream";
/* Fault tolerance: breakers and passivation through aktj.h (aktj_fault.c). */
%ignore akt_breaker;
%ignore akt_breaker_options;
%ignore akt_breaker_options_init;
%ignore akt_breaker_manual_clock;
%ignore akt_breaker_create;
%ignore akt_breaker_retain;
%ignore akt_breaker_release;
%ignore akt_breaker_allow;
%ignore akt_breaker_record;
%ignore akt_breaker_state;
%ignore akt_breaker_metrics;
%ignore akt_breaker_metrics_get;
%ignore akt_passivation;
%ignore akt_passivation_set;
%ignore akt_system_set_passivation;
%ignore akt_system_set_guardian_policy;
%ignore akt_pipe;
%ignore akt_pipe_fn;
%ignore akt_pipe_options;
%ignore akt_pipe_options_init;
%ignore akt_ctx_pipe_to;
%ignore akt_ctx_pipe_to_name;
%ignore akt_ctx_pipe_start;
%ignore akt_pipe_complete;
/* Remote spawn with options: aktj_remote_spawn_with (aktj_remote2.c). */
%ignore akt_remote_spawn_options;
%ignore akt_remote_spawn_options_init;
%ignore akt_remote_spawn_with;
%ignore AKT_BORROW;
%ignore AKT_COPY;
%ignore AKT_API;

#define AKT_API
%include "akt_headers.i"
%include "aktj.h"
