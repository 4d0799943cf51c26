/* The serializer registry of a system (a part of kernel/sys.h): serializers by name, the
 * bindings type name -> serializer, the default; the built-in JSON, CBOR and protobuf
 * serializers. Remoting (remote/) packs and unpacks message payloads through it. */
#ifndef AKT_CORE_SERIAL_SERIAL_H
#define AKT_CORE_SERIAL_SERIAL_H
#include <akt/remote.h>
#include <protobuf-c/protobuf-c.h>
#include <pthread.h>

#include "kernel/sys.h"

typedef struct akt__serial akt__serial;

/* The registry of s, made on first use when create is set (NULL: none, or ENOMEM, or the
 * system is closed). Lives until the system is freed. */
akt__serial *akt__serial_of(akt_system *s, int create);

/* A payload packed for the wire: the serializer's name ("" when the message crosses as its
 * bytes) and the bytes, to be released with akt__serial_done. */
typedef struct akt__serial_out {
    const char *name; /* lives as long as the registry */
    const void *data;
    size_t len;
    void *owned;         /* what free_fn frees, or NULL */
    akt_free_fn free_fn; /* NULL: nothing to free */
} akt__serial_out;

/* Packs msg (borrowed) for the wire. r may be NULL (no registry: bytes as they are).
 * Returns 0, or an AKT_E* code with a reason in why (cap bytes): the message is refused. */
int akt__serial_encode(akt__serial *r, akt_msg *msg, akt__serial_out *out, char *why, size_t cap);
void akt__serial_done(akt__serial_out *out);

/* Makes the message a frame carries: name "" (or NULL) gives a bytes message of type;
 * otherwise the serializer of that name decodes. Returns 0 and *out, or an AKT_E* code
 * with the reason in why. */
int akt__serial_decode(akt__serial *r, const char *name, const char *type, const void *data,
                       size_t len, akt_msg **out, char *why, size_t cap);

/* The built-ins (json.c, cbor.c, protobuf.c), registered by the registry at creation. */
extern const akt_serializer akt__serial_json;
extern const akt_serializer akt__serial_cbor;
/* The protobuf serializer's data: the registry (for its descriptors). */
int akt__serial_protobuf_make(akt__serial *r, akt_serializer *out);
/* The descriptor registered for type, or NULL. */
const struct ProtobufCMessageDescriptor *akt__serial_descriptor(akt__serial *r, const char *type);

/* The built-ins' reason for their last failure on this thread ("" if none): the registry
 * clears it before it calls a serializer and puts it in the refusal or dead letter. */
extern _Thread_local char akt__serial_detail[160];
/* Sets the detail (printf-style); returns code, for `return akt__serial_fail(...)`. */
int akt__serial_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The JSON value of msg (value.c): a scalar's value, or its bytes parsed as one JSON value.
 * Returns 0 and a new reference in *out (a json_t *), or a code with the detail set. */
int akt__serial_to_json(akt_msg *msg, void **out);
/* The message of type for the JSON value v (borrowed): a scalar's canonical bytes (v must
 * be of its kind), or compact JSON text. */
int akt__serial_from_json(const char *type, void *v, akt_msg **out);

#endif
