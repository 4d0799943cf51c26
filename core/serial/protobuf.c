/* The built-in "protobuf" serializer (protobuf-c): a message of a registered descriptor is
 * checked against it when it leaves and when it arrives; its bytes are its protobuf
 * encoding, which every language's runtime reads. And the C helpers to make and read such
 * messages. */
#include <protobuf-c/protobuf-c.h>
#include <stdlib.h>
#include <string.h>

#include "serial.h"

/* 0 if data is a valid message of d (or d is NULL: unchecked). */
static int akt__pb_check(const ProtobufCMessageDescriptor *d, const void *data, size_t len) {
    if (!d) return 0;
    ProtobufCMessage *m = protobuf_c_message_unpack(d, NULL, len, data);
    if (!m) return akt__serial_fail(AKT_EINVAL, "not a valid %s", d->name);
    protobuf_c_message_free_unpacked(m, NULL);
    return 0;
}

static int akt__pb_encode(akt_msg *msg, void *data, void **bytes, size_t *len,
                          akt_free_fn *free_fn) {
    const void *b = NULL;
    size_t n = 0;
    int rc = akt_msg_bytes(msg, &b, &n);
    if (rc) return akt__serial_fail(rc, "its bytes could not be made: %s", akt_strerror(rc));
    if ((rc = akt__pb_check(akt__serial_descriptor(data, akt_msg_type(msg)), b, n)) != 0) return rc;
    *bytes = (void *)b;
    *len = n;
    *free_fn = AKT_BORROW;
    return 0;
}

static int akt__pb_decode(const char *type, const void *bytes, size_t len, void *data,
                          akt_msg **out) {
    int rc = akt__pb_check(akt__serial_descriptor(data, type), bytes, len);
    return rc ? rc : akt_msg_new_bytes(type, bytes, len, AKT_COPY, out);
}

int akt__serial_protobuf_make(akt__serial *r, akt_serializer *out) {
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->name = AKT_SERIALIZER_PROTOBUF;
    out->encode = akt__pb_encode;
    out->decode = akt__pb_decode;
    out->data = r;
    return 0;
}

AKT_API int akt_msg_new_protobuf(const struct ProtobufCMessage *message, akt_msg **out) {
    if (!message || !out || !message->descriptor ||
        message->descriptor->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC ||
        !message->descriptor->name)
        return AKT_EINVAL;
    size_t n = protobuf_c_message_get_packed_size(message);
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) return AKT_ENOMEM;
    if (protobuf_c_message_pack(message, buf) != n) {
        free(buf);
        return AKT_EINVAL;
    }
    int rc = akt_msg_new_bytes(message->descriptor->name, buf, n, free, out);
    if (rc) free(buf);
    return rc;
}

AKT_API int akt_msg_protobuf(akt_msg *msg, const struct ProtobufCMessageDescriptor *descriptor,
                             struct ProtobufCMessage **out) {
    if (!msg || !descriptor || !out || descriptor->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC ||
        !descriptor->name)
        return AKT_EINVAL;
    const char *type = akt_msg_type(msg);
    if (!type || strcmp(type, descriptor->name) != 0) return AKT_ETYPE;
    const void *b = NULL;
    size_t n = 0;
    int rc = akt_msg_bytes(msg, &b, &n);
    if (rc) return rc;
    ProtobufCMessage *m = protobuf_c_message_unpack(descriptor, NULL, n, b);
    if (!m) return AKT_EINVAL;
    *out = m;
    return 0;
}
