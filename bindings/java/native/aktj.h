/*
 * aktj.h -- the hand-written half of the JNI layer, as SWIG sees it.
 *
 * SWIG wraps akt.h itself (see akt.i). The functions here are the few that akt.h cannot
 * offer Java directly because they take C callbacks or need Java objects: they install
 * akt's callbacks (receive, thread hooks, object ops, decider, events) and turn Java
 * objects into global references. Every function taking JNIEnv gets it from the SWIG
 * wrapper (a numinputs=0 typemap), so Java never passes it.
 *
 * Handles cross as jlong: pointers (akt_system *, akt_ctx *, akt_msg *, ...) and akt_pid ids.
 * Every int result is 0 or a negative AKT_E* code, as in akt.h; out arrays are written only
 * on success.
 */
#ifndef AKTJ_H
#define AKTJ_H

#include <jni.h>

/* akt.h's error table (AKT_ERRNO_MAP), expanded here row by row in the header's order: the
 * codes, and their names without the AKT_ prefix ("EINVAL"). dev.akt.Errors reads both once
 * when it loads, so a code the header gains maps to an exception without an edit in Java.
 * NULL (with OutOfMemoryError pending) only if the JVM cannot allocate the arrays. */
jintArray aktj_error_codes(JNIEnv *env);
jobjectArray aktj_error_names(JNIEnv *env);

/* Interns a string for the life of the process and returns its address (0 on failure).
 * Java caches these per class so that sending a message never converts a type name. */
jlong aktj_intern(JNIEnv *env, jstring s);

/* Creates a system whose workers attach to this JVM once (thread hooks). out[0] gets the
 * akt_system *, out[1] the binding's per-system record (freed by aktj_system_destroy).
 * decider (may be null) decides failures of top-level actors; propagator (may be null) is a
 * dev.akt.Propagation, the system's context propagator. waiters_run_turns (0 or 1): a Java
 * thread waiting for an ask may run the target's queued turn (akt_system_options). */
int aktj_system_create(JNIEnv *env, jstring name, jint workers, jint throughput, jint directive,
                       jobject decider, jint strategy, jlong max_retries, jlong within_ns,
                       jdoubleArray backoff, jobjectArray ext_names, jobjectArray ext_values,
                       jobject propagator, jint waiters_run_turns, jlongArray out);
/* An extension given at creation (a new local reference), or null if there is none. */
jobject aktj_system_extension(JNIEnv *env, jlong system, jstring name);
jobject aktj_ctx_extension(JNIEnv *env, jlong ctx, jstring name);
/* Sets headers keys[i] = values[i] (Strings, sent as UTF-8) on an unsent message. */
int aktj_msg_set_headers(JNIEnv *env, jlong msg, jobjectArray keys, jobjectArray values);
/* Tells a Java object with headers: from inside an actor (ctx != 0) with it as the sender,
 * else as akt_tell does. */
int aktj_tell_headers(JNIEnv *env, jlong system, jlong ctx, jlong pid, jobject obj, jlong type,
                      jobjectArray keys, jobjectArray values);
/* Responds a Java object with headers (ctx.respond(reply, headers)). */
int aktj_ctx_respond_headers(JNIEnv *env, jlong ctx, jobject obj, jlong type, jobjectArray keys,
                             jobjectArray values);
/* The current message's headers as [key0, value0, key1, value1, ...] (values decoded as
 * UTF-8), or null outside a message. */
jobjectArray aktj_ctx_headers(JNIEnv *env, jlong ctx);
/* Shuts down (if not yet), waits when allowed, releases the system handle and frees the
 * record. Called once, by the Java Cleaner of the ActorSystem. */
int aktj_system_destroy(JNIEnv *env, jlong system, jlong record);
/* akt_system_set_guardian_policy (AKT_GUARDIAN_*); a shutdown it starts completes
 * terminated (a CompletableFuture, referenced until aktj_system_destroy). */
int aktj_guardian_set(JNIEnv *env, jlong system, jlong record, jint policy, jobject terminated);

/* Spawns a Java actor: cell is its dev.akt.ActorCell (a global reference is
 * kept until akt frees the actor). ctx != 0 spawns a child of the context's actor.
 * dep_names/dep_values (may be null) become dependencies; decider (may be null) with
 * directive is the strategy for the new actor's children; strategy (AKT_STRATEGY_*),
 * max_retries and within_ns its retry budget (AKT_EINVAL when invalid, as in akt.h); mailbox
 * NULL (the default) or {kind, capacity, when_full, block_timeout_ns} (akt_mailbox_spec; a
 * priority kind orders by Upcalls.compare on cell). kind (may be null) is the actor's kind
 * (akt_spawn_options.kind). out[0] gets the pid id. */
int aktj_spawn(JNIEnv *env, jlong system, jlong ctx, jobject cell, jstring name,
               jobjectArray dep_names, jobjectArray dep_values, jint directive, jobject decider,
               jint strategy, jlong max_retries, jlong within_ns, jdoubleArray backoff,
               jlongArray mailbox, jint reentrancy, jint max_in_flight, jstring kind,
               jlongArray out);

/* A request from the running callback (akt_ctx_request): msg (taken on success) goes to
 * pid; the answer calls Upcalls.settle(cell, ctx, id, ...) on the actor's turn. timeout_ns
 * 0 = none; mode AKT_REENTRANCY_*. out[0] gets akt's request handle (aktj_request_cancel). */
int aktj_ctx_request(JNIEnv *env, jlong ctx, jlong pid, jlong msg, jobject cell, jlong id,
                     jlong timeout_ns, jint mode, jlongArray out);
/* aktj_ctx_request to the actor at path (akt_ctx_request_named: resolved now). */
int aktj_ctx_request_named(JNIEnv *env, jlong ctx, const char *path, jlong msg, jobject cell,
                           jlong id, jlong timeout_ns, jint mode, jlongArray out);
/* akt_request_cancel of a handle aktj_ctx_request gave. */
int aktj_request_cancel(jlong ctx, jlong request);

/* Async receive: keeps the current message once the callback returns (akt_ctx_suspend, in
 * the actor's mode); out[0] gets the actor's pid id, out[1] the suspension's id. */
int aktj_ctx_suspend(JNIEnv *env, jlong ctx, jlongArray out);
/* From any thread: Upcalls.step(cell, ctx, step) runs on the actor's turn for the suspended
 * message (pid, id), unless it was finished or the actor stopped or restarted meanwhile. */
int aktj_suspension_post(JNIEnv *env, jlong system, jlong pid, jlong id, jobject cell, jlong step);

/* Spawns a top-level C actor (aktj_native.c): from library's factory symbol, called as
 * int symbol(const char *arg, const akt_behavior **behavior, void **state) (AKT_ENOTFOUND
 * when the library or the symbol is missing), or from an akt_behavior address and its state
 * (taken by akt on success). name may be null (anonymous). out[0] gets the pid id. */
int aktj_spawn_native(JNIEnv *env, jlong system, jstring library, jstring symbol, jstring name,
                      jstring arg, jlongArray out);
int aktj_spawn_behavior(JNIEnv *env, jlong system, jstring name, jlong behavior, jlong state,
                        jlongArray out);

/* Messages carrying a Java object (global reference, released exactly once by akt). type
 * is an interned type name (aktj_intern), or a registered type's akt_type handle with its
 * low bit set (Messages.typeOf): the message then carries the handle, not a copy of the name.
 * Both are at least 4-byte aligned (an interned name sits after a pointer in its malloc'ed
 * block, an akt_type starts with a uint32_t), so the low bit tells them apart. */
jlong aktj_msg_new_object(JNIEnv *env, jobject obj, jlong type);
/* The type id of the message ctx is handling (akt_msg_type_id: 0 for a name nobody
 * registered), or a negative AKT_E* code (AKT_EMISUSE outside a message). */
jint aktj_ctx_type_id(jlong ctx);
/* The Java object inside msg if it is one of ours, else null. */
jobject aktj_msg_object(JNIEnv *env, jlong msg);
/* The bytes of msg (serializing an object message of another binding); null with a
 * pending exception-free result when it has none. */
jbyteArray aktj_msg_bytes(JNIEnv *env, jlong msg);

/* The hot paths, one JNI crossing each: make an object message and send it. On failure
 * the message is released here (the Java object stays the caller's). Inside an actor's
 * callback akt_tell makes that actor the sender. */
int aktj_tell(JNIEnv *env, jlong system, jlong pid, jobject obj, jlong type);
int aktj_ctx_respond(JNIEnv *env, jlong ctx, jobject obj, jlong type);
/* Waits up to timeout_ns (> 0) for the ask future whose handle the caller borrowed
 * (AskFuture.borrow): 0 once it is complete, whatever its outcome (its completion is then
 * handed to Java by aktj_future_done), AKT_EAGAIN if it is still pending, AKT_EMISUSE on a
 * thread akt made (the completion executor keeps the application's stages off akt's
 * threads), AKT_EINVAL for a handle that is gone. A plain Java thread may run the target's
 * queued turn meanwhile (the systems set akt_system_options.waiters_run_turns). */
jint aktj_future_await(jlong future, jlong timeout_ns);
/* Issue 17: 0 if the message msg has bytes (a bytes message, or a Java object whose bytes
 * Upcalls.toBytes makes now, kept for its reader), AKT_ENOTSUP if it is a Java object with
 * none; for a send whose reader is known to read bytes (a grain of a kind Java did not
 * register). AKT_EINVAL for 0. */
int aktj_msg_bytes_check(jlong msg);
/* 1 if someone waits for a reply to the current message, 0 if not, or an AKT_E* code. */
int aktj_ctx_reply_expected(jlong ctx);
/* Batches, one JNI crossing for n messages: objs[i] is a Java object sent with the interned
 * type types[i], or null when types[i] is a message handle the caller made (a bytes
 * message). All are taken or none: on failure the handles are still the caller's and the
 * object messages made here are released. ask_batch completes cfs[i] (AskFutures) for objs[i]. */
int aktj_tell_batch(JNIEnv *env, jlong system, jlong pid, jobjectArray objs, jlongArray types);
int aktj_ask_batch(JNIEnv *env, jlong system, jlong pid, jobjectArray objs, jlongArray types,
                   jlong timeout_ns, jobjectArray cfs);
/* Routers (akt.h section 11). router_spawn: a group router over pids (ids), out[0] gets
 * its pid. router_broadcast: obj (interned type) to every routee. router_routees: up to
 * out.length routee ids into out, their number into count[0]; AKT_ERANGE when out is too
 * short (count[0] says how long it must be). */
int aktj_router_spawn(JNIEnv *env, jlong system, jstring name, jint strategy, jobject key,
                      jlongArray pids, jlong within_ns, jlong interval_ns, jlong seed,
                      jlongArray out);
/* A pool router: size routees, each the ActorCell factory.make(index) returns (a
 * dev.akt.Router$Pool), spawned as the router's children; failure is AKT_ROUTEE_*. key (both,
 * may be null): a dev.akt.Router$Key, consistent hashing's key(Object, long) of a message. */
int aktj_router_spawn_pool(JNIEnv *env, jlong system, jstring name, jint strategy, jobject key,
                           jobject factory, jlong size, jlong within_ns, jlong interval_ns,
                           jlong seed, jint failure, jlong max_retries, jlong retry_within_ns,
                           jlongArray out);
int aktj_router_broadcast(JNIEnv *env, jlong system, jlong router, jobject obj, jlong type,
                          jlong msg);
int aktj_router_routees(JNIEnv *env, jlong system, jlong router, jlongArray out, jlongArray count);
/* Metrics (akt/telemetry.h). system: out[0..12] = alive, spawned, stopped, restarts, failures,
 * dead letters, unhandled, uptime ns, grains, peers, passivated, scheduled, cancelled. actor:
 * out[0..10] = processed, restarts, failures, unhandled, mailbox, stash, children, last
 * processing ns, uptime ns, dead letters, reinstates. foreach: a String[] {path, the eleven
 * actor values, kind or ""} per actor added to list. collect: a String[] {name, kind,
 * unit, description, value, key, value, ...} per data point. kind: the live actor's kind,
 * null without one or when pid is not live. */
int aktj_metrics_system(JNIEnv *env, jlong system, jlongArray out);
int aktj_metrics_actor(JNIEnv *env, jlong system, jlong pid, jlongArray out);
jstring aktj_metrics_kind(JNIEnv *env, jlong system, jlong pid);
int aktj_metrics_foreach(JNIEnv *env, jlong system, jobject list);
int aktj_metrics_collect(JNIEnv *env, jlong system, jobject list);

/* Ask: cf is a dev.akt.AskFuture; it gets the future's reference (its handle field) and is
 * completed through dev.akt.Upcalls.complete, which releases that reference. */
int aktj_ask(JNIEnv *env, jlong system, jlong ctx, jlong pid, jlong msg, jlong timeout_ns,
             jobject cf);
/* aktj_ask from outside akt's threads for a caller that waits at once (Pid.askSync): the
 * ask and a first wait of up to wait_ns in one call (akt_ask_wait: an idle target's turn
 * runs on this thread), then cf is registered as aktj_ask's, completing on this thread if
 * the answer came. On an akt thread, aktj_ask's. */
int aktj_ask_wait(JNIEnv *env, jlong system, jlong pid, jlong msg, jlong timeout_ns, jlong wait_ns,
                  jobject cf);

/* Grains (aktj_grain.c, aktj_send.c). register: kind's activations are Java actors made by
 * factory, a dev.akt.GrainKind (a global reference kept until the system is freed), through
 * Upcalls.grainActivate on the activation's worker; deactivate_after_ns 0 = long-lived;
 * the options as aktj_spawn's (dependencies, a long[4] mailbox or null, reentrancy, the
 * in-flight limit).
 * send: msg (a native message, taken on success) to kind/name, a tell when cf is null, else
 * an ask completing cf (an AskFuture) as aktj_ask's; activation (null: the kind's) the
 * options of the activation it may make, [deactivate_after_ns, reentrancy, max_in_flight]
 * with -1 for the kind's, and mailbox its long[4] mailbox or null. */
int aktj_grain_register(JNIEnv *env, jlong system, const char *kind, jobject factory,
                        jlong deactivate_after_ns, jobjectArray dep_names, jobjectArray dep_values,
                        jlongArray mailbox, jint reentrancy, jint max_in_flight);
int aktj_grain_send(JNIEnv *env, jlong system, const char *kind, const char *name, jlong msg,
                    jlong timeout_ns, jobject cf, jlongArray activation, jlongArray mailbox,
                    jlong deps);
/* A dependency set for the activations of one Grain handle (GrainActivation.withDependency):
 * names (Strings) and values (non-null objects) of the same length >= 1, kept by the
 * system's record (a global reference each) until aktj_system_destroy, since akt borrows
 * the values for the system's life. Its handle, for aktj_grain_send's deps (0 there: the
 * kind's), or 0 for bad arguments or no memory. Any thread. */
jlong aktj_grain_deps(JNIEnv *env, jlong record, jobjectArray names, jobjectArray values);

/* Topics: op 0 subscribe, 1 unsubscribe (pid), 2 count (pid ignored); cf (an AskFuture)
 * completes with the subscriber count (a Long), as aktj_ask's. */
int aktj_topic_op(JNIEnv *env, jlong system, jint op, const char *topic, jlong pid,
                  jlong timeout_ns, jobject cf);

/* Batches of received messages (akt_behavior.receive_batch, akt >= 0.2): finishes the
 * message last pulled and pulls the next one of the run, without a JNI reference: a code
 * > 0 where Java reads the object itself (Slots.get); -1 when aktj_ctx_current must say
 * what the message is; 0 when the run is over. aktj_ctx_current: the current message's
 * Java object, or the marker Upcalls.NATIVE_MESSAGE for any other message
 * (aktj_ctx_current_msg then gives its handle, borrowed until the next pull); null outside
 * a message. */
jlong aktj_ctx_next_code(jlong ctx);
jobject aktj_ctx_current(JNIEnv *env, jlong ctx);
/* The context's current message (akt_ctx_message), borrowed; 0 if it has none. */
jlong aktj_ctx_current_msg(jlong ctx);

/* A dependency of the context's actor, or null if there is none by that name. */
jobject aktj_ctx_dependency(JNIEnv *env, jlong ctx, jstring name);

/* The path of pid, or null if it is not a live actor. */
jstring aktj_pid_path(JNIEnv *env, jlong system, jlong pid);

/* Remoting: akt_remote_start with these options (host may be null: 127.0.0.1); and this
 * node's address, or null before the start. */
/* heartbeat_ns and heartbeat_misses as akt_remote_options has them (0: the defaults). */
int aktj_remote_start(jlong system, const char *host, int port, jlong max_frame_bytes,
                      jlong heartbeat_ns, int heartbeat_misses);
jstring aktj_remote_address(JNIEnv *env, jlong system);
/* akt_remote_tls_failures: the count, or -1 before remoting was started; the last reason
 * in reason[0] (a String). */
jlong aktj_remote_tls_failures(JNIEnv *env, jlong system, jobjectArray reason);
/* aktj_remote_start with TLS: PEM paths (ca and peer_name may be null: the system's CAs,
 * the peer's host), require_client_cert for mutual TLS. */
int aktj_remote_start_tls(jlong system, const char *host, int port, jlong heartbeat_ns,
                          int heartbeat_misses, const char *cert, const char *key, const char *ca,
                          const char *peer_name, int require_client_cert);

/* Event stream: sink (a dev.akt.EventSink) gets the events of mask. out[0] gets a
 * handle for aktj_unsubscribe, which also drops the sink. */
int aktj_subscribe(JNIEnv *env, jlong system, jint mask, jobject sink, jlongArray out);
int aktj_unsubscribe(JNIEnv *env, jlong handle);

/* Schedules (akt_schedule_once / every; interval_ns 0 = once): the message is obj with the
 * interned type (an object message made here), or, when obj is null, the message handle
 * msg that the caller made (taken on success). reference may be null (generated); sender 0
 * = none. Returns the reference, or null with rc_out[0] set to the code. */
jstring aktj_schedule(JNIEnv *env, jlong system, jlong pid, jobject obj, jlong type, jlong msg,
                      jlong delay_ns, jlong interval_ns, jstring reference, jlong sender,
                      jintArray rc_out);
/* akt_schedule_cron as aktj_schedule, on the expression expr (validated by the caller:
 * ASCII) with flags (AKT_CRON_UTC). */
jstring aktj_schedule_cron(JNIEnv *env, jlong system, jlong pid, jobject obj, jlong type, jlong msg,
                           jstring expr, jint flags, jstring reference, jlong sender,
                           jintArray rc_out);
/* The schedules as strings "kind paused target sender interval_ns cron_flags expr_len
 * [expr ]reference" (numbers in decimal; the expression, ASCII, of expr_len bytes, and a
 * space when expr_len > 0; the reference last: it may hold spaces); null with rc_out[0] set
 * on failure. */
jobjectArray aktj_schedules(JNIEnv *env, jlong system, jintArray rc_out);
/* Cron expressions, given as their UTF-8 bytes. aktj_cron_validate: 0, the 1-based column
 * of the first bad character (> 0), or a negative code (NULL expr, no memory).
 * aktj_cron_next: akt_cron_next_after's code; out[0] gets the next fire time (ns) and
 * out[1] the error column (0 if none). */
jlong aktj_cron_validate(JNIEnv *env, jbyteArray expr);
int aktj_cron_next(JNIEnv *env, jbyteArray expr, jint flags, jlong after_ns, jlongArray out);

/* Counters for tests: threads attached by akt's hooks so far, and Java objects held by
 * live messages right now. */
jlong aktj_stat_attaches(void);
jlong aktj_stat_live_objects(void);
/* For tests of aktj_slots.c: the slot records made so far (one per thread sending at once,
 * reused after a thread ends), and the number of slots a record may hold before a message
 * falls back to a global reference (max <= 0 keeps it); returns the previous bound. */
jlong aktj_stat_slot_records(void);
jlong aktj_test_slots_max(jlong max);

/* remoteStart with a flow-control window (akt_remote_options.send_window; 0: default). */
int aktj_remote_start_window(jlong system, const char *host, int port, jlong heartbeat_ns,
                             int heartbeat_misses, jlong send_window);
/* remoteSpawn(address, kind, name, Props, timeout): akt_remote_spawn_with. supervised 0:
 * no supervisor (the default); else directive, strategy, max_retries, within_ns and tuning
 * as aktj_spawn's, with no decider (a function cannot cross). mailbox: null or the long[4]
 * of aktj_spawn. passivation: AKT_PASSIVATE_* (NEVER: none) with its value (idle ns or a
 * message count). out[0] gets the remote pid's id. */
int aktj_remote_spawn_with(JNIEnv *env, jlong system, const char *address, const char *kind,
                           const char *name, jlong timeout_ns, int supervised, jint directive,
                           jint strategy, jlong max_retries, jlong within_ns, jdoubleArray tuning,
                           jlongArray mailbox, jint passivation, jlong passivation_value,
                           jint reentrancy, jint max_in_flight, jlongArray out);
/* Serializers (aktj_serial.c): a pass-through serializer named name whose bytes Java makes
 * and reads (Serializers.java); the serializer messages of type cross with, or NULL (rc_out[0]
 * gets akt_serializer_for's code). akt_serializer_bind is wrapped as it is. */
int aktj_serializer_register_bytes(jlong system, const char *name);
jstring aktj_serializer_for(JNIEnv *env, jlong system, const char *type, jintArray rc_out);
/* ---- streams (aktj_stream.c; akt/stream.h) ---------------------------------------------- */
/* A graph with the given window and fusion whose stage data are StreamStage objects; 0 on
 * failure. */
jlong aktj_stream_graph_new(JNIEnv *env, jint window, jboolean fusion);
int aktj_stream_graph_free(jlong graph);
/* Adds a stage: kind 0 range(a, b, c), 1 dedup, 2 buffer(a, overflow b), 3 collect, 4 first,
 * 5 ignore, 6 throttle(a per b ns); with a StreamStage: 10 unfold, 11 map, 12 filter, 13 flat_map,
 * 14 scan(seed), 15 for_each, 16 fold(seed) (seed: a message handle, borrowed). */
int aktj_stream_add(JNIEnv *env, jlong graph, jint kind, jobject stage, jlong seed, jlong a,
                    jlong b, jlong c);
/* A values source of message handles (borrowed: the graph retains them). */
int aktj_stream_values(JNIEnv *env, jlong graph, jlongArray msgs);
/* The last stage's name (may be null) and error strategy. */
int aktj_stream_stage_options(JNIEnv *env, jlong graph, jstring name, jint on_error, jint retries);
/* Runs graph on system: out[0] the stream; StreamStage.done(done, rc) at its end. */
int aktj_stream_run(JNIEnv *env, jlong system, jlong graph, jobject done, jlongArray out);
int aktj_stream_cancel(jlong stream);
int aktj_stream_drain(jlong stream);
int aktj_stream_release(jlong stream);
jstring aktj_stream_reason(JNIEnv *env, jlong stream);
jlongArray aktj_stream_results(JNIEnv *env, jlong stream);
jlongArray aktj_stream_metrics(JNIEnv *env, jlong stream, jint stage);
jstring aktj_stream_stage_name(JNIEnv *env, jlong stream, jint stage);
jint aktj_stream_stage_count(jlong stream);
jint aktj_stream_actor_count(jlong stream);
/* streams2 begin: junctions */
jlong aktj_stream_branch_new(JNIEnv *env, jint window, jboolean fusion);
int aktj_stream_junction(JNIEnv *env, jlong graph, jint kind, jlongArray subs, jobject stage);
jlongArray aktj_stream_branches(JNIEnv *env, jlong stream);
/* streams2 end */
/* streams3 begin: actor sources and sinks, parallel map. aktj_stream_add also takes kind 9
 * queue(capacity a), 17 actor sink (pid a, in flight b, seed: the on-complete message or 0),
 * 18 map_async (a StreamStage; parallelism a, ordered b). */
/* Offers msg (a handle, taken on 0) to the stream's queue source: 0, AKT_EFULL, ... */
int aktj_stream_offer(jlong stream, jlong msg);
/* What the queue source holds, or a negative code. */
jlong aktj_stream_queued(jlong stream);
/* Completes a map_async call: rc 0 with msg (a handle, taken), or rc < 0. */
int aktj_stream_async_complete(jlong pending, jint rc, jlong msg);
/* streams3 end */
/* flatmerge begin: aktj_stream_add also takes kind 19 flat_map_merge (a StreamStage whose
 * call gives a new graph handle; breadth a). */
/* Asks the queue source to tell future (a CompletableFuture<Integer>) when it has room: 0,
 * or AKT_ESTOPPED once it closed (StreamStage.done, once). 0 or a negative code. */
int aktj_stream_on_room(JNIEnv *env, jlong stream, jobject future);
/* flatmerge end */
/* streamref begin: aktj_stream_add also takes kind 30 actor source (capacity a). */
/* The pid id of the stream's actor source, or a negative code. */
jlong aktj_stream_source_pid(jlong stream);
/* Its remote address, or null (no remoting, the stream ended, another source). */
jstring aktj_stream_source_address(JNIEnv *env, jlong stream);
/* streamref end */
/* Fault tolerance (aktj_fault.c): circuit breakers as handles (create: out[0]; metrics:
 * out[0..3] = state, successes, failures, rejected), their manual clock (an int64 address),
 * and passivation (strategy AKT_PASSIVATE_*, value: idle ns or a message count). */
jlong aktj_clock_new(jlong start_ns);
void aktj_clock_free(jlong clock);
jlong aktj_clock_advance(jlong clock, jlong by_ns);
int aktj_breaker_create(JNIEnv *env, jdouble failure_rate, jlong min_requests, jlong open_ns,
                        jlong window_ns, jlong buckets, jlong half_open, jlong clock,
                        jlongArray out);
int aktj_breaker_allow(jlong breaker);
int aktj_breaker_record(jlong breaker, jint success);
int aktj_breaker_free(jlong breaker);
int aktj_breaker_metrics(JNIEnv *env, jlong breaker, jlongArray out);
int aktj_passivation_set(jlong system, jlong pid, jint strategy, jlong value);
int aktj_system_passivation(jlong system, jint strategy, jlong value);
/* PipeTo (akt_ctx_pipe_start / akt_pipe_complete): path NULL = to; breaker 0 = none;
 * out[0] = the pipe, completed once with aktj_pipe_complete (msg 0 with a failure rc). */
int aktj_ctx_pipe_start(JNIEnv *env, jlong ctx, jlong to, jstring path, jlong timeout_ns,
                        jlong breaker, jlongArray out);
int aktj_pipe_complete(jlong pipe, jint rc, jlong msg);
/* Completes pipe with its result msg (taken), for the target to (or the actor at path, when
 * not null): AKT_ENOTSUP when that target, not a Java actor, cannot read msg (issue 17;
 * the pipe then fails with a dead letter and msg is released), else akt_pipe_complete's. */
int aktj_pipe_deliver(JNIEnv *env, jlong system, jlong pipe, jlong to, jstring path, jlong msg);
/* Tracing: sink (a dev.akt.TraceSink, kept) gets every span; NULL switches tracing off.
 * aktj_trace_invalid_count: the count or a negative code. aktj_traceparent_parse: text's
 * UTF-8 bytes; out[0..3] = trace id high and low, span id, flags. aktj_traceparent_format:
 * the version 00 value, NULL for an all-zero id or flags out of 0..255. */
int aktj_trace_set_sink(JNIEnv *env, jlong system, jobject sink);
jlong aktj_trace_invalid_count(jlong system);
int aktj_traceparent_parse(JNIEnv *env, jbyteArray text, jlongArray out);
jstring aktj_traceparent_format(JNIEnv *env, jlong trace_hi, jlong trace_lo, jlong span,
                                jint flags);
/* remoteStart with frame compression (akt_remote_options.compression, compress_min_bytes). */
int aktj_remote_start_compress(jlong system, const char *host, int port, int compression,
                               jlong min_bytes);
/* remoteStart(RemoteOptions): every field of akt_remote_options (0: its default; a size
 * that is negative or beyond its C field is AKT_EINVAL); cert NULL: no TLS. */
int aktj_remote_start_options(jlong system, const char *host, int port, jlong max_frame_bytes,
                              jlong heartbeat_ns, jlong heartbeat_misses, jlong send_window,
                              int compression, jlong compress_min_bytes, jlong chunk_bytes,
                              jlong max_message_bytes, jlong send_buffer_bytes,
                              jlong max_reverse_proxies, const char *cert, const char *key,
                              const char *ca, const char *peer_name, int require_client_cert);

/* otlp begin: the OTLP exporter (akt_otlp_*). headers: "Name: value" lines separated by
 * '\n' (NULL or "" for none); service_name NULL for akt's default; the numbers are checked
 * against their C ranges (a negative one is AKT_EINVAL). aktj_otlp_stats: out[0..10] = the
 * fields of akt_otlp_stats in order, spans_queued .. last_http_status. */
int aktj_otlp_start(jlong system, const char *endpoint, const char *headers,
                    const char *service_name, int signals, jlong batch_size, jlong queue_capacity,
                    jlong flush_interval_ms, jlong timeout_ms, jlong max_retries);
int aktj_otlp_flush(jlong system, jlong timeout_ms);
int aktj_otlp_stats(JNIEnv *env, jlong system, jlongArray out);
/* otlp end */

#endif /* AKTJ_H */
