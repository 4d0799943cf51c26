/* The serializer registry of a system: serializers by name (the built-ins first), the
 * bindings type name -> serializer and the default, the protobuf descriptors; and the
 * packing and unpacking of payloads through them (akt__serial_encode / _decode). */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serial.h"

#define AKT__SERIAL_BUCKETS 64

_Thread_local char akt__serial_detail[160];

int akt__serial_fail(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(akt__serial_detail, sizeof akt__serial_detail, fmt, ap);
    va_end(ap);
    return code;
}

typedef struct akt__serial_entry {
    struct akt__serial_entry *next;
    char name[AKT_SERIALIZER_NAME_MAX + 1];
    akt_serializer s;
} akt__serial_entry;

typedef struct akt__serial_bind {
    struct akt__serial_bind *next;
    akt__serial_entry *ser; /* under the write lock */
    char type[];
} akt__serial_bind;

typedef struct akt__serial_desc {
    struct akt__serial_desc *next;
    const ProtobufCMessageDescriptor *d;
} akt__serial_desc;

struct akt__serial {
    akt__part part; /* first: the system's part list links it */
    pthread_rwlock_t lock;
    akt__serial_entry *sers; /* never removed before the free */
    akt__serial_bind *binds[AKT__SERIAL_BUCKETS];
    akt__serial_entry *def;
    akt__serial_desc *descs;
    /* 1 once anything was bound: until then encode needs no lock. Release on the store,
     * acquire on the load: a reader that sees 1 takes the lock, which orders the rest. */
    atomic_int bound;
};

static const char akt__serial_key = 0; /* the address names the part kind */

static size_t akt__serial_hash(const char *s) {
    size_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h % AKT__SERIAL_BUCKETS;
}

static void akt__serial_part_free(akt_system *s, akt__part *p) {
    (void)s;
    akt__serial *r = (akt__serial *)p;
    while (r->sers) {
        akt__serial_entry *e = r->sers;
        r->sers = e->next;
        if (e->s.free) e->s.free(e->s.data);
        free(e);
    }
    for (size_t i = 0; i < AKT__SERIAL_BUCKETS; i++)
        while (r->binds[i]) {
            akt__serial_bind *b = r->binds[i];
            r->binds[i] = b->next;
            free(b);
        }
    while (r->descs) {
        akt__serial_desc *d = r->descs;
        r->descs = d->next;
        free(d);
    }
    pthread_rwlock_destroy(&r->lock);
    free(r);
}

static int akt__serial_name_ok(const char *name) {
    size_t n = 0;
    for (; name[n]; n++) {
        char c = name[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
        if (n >= AKT_SERIALIZER_NAME_MAX) return 0;
    }
    return n > 0;
}

static int akt__type_ok(const char *type) {
    size_t n = strlen(type);
    return n > 0 && n <= 255;
}

/* Under the write lock (or before the registry is published). */
static akt__serial_entry *akt__serial_find(akt__serial *r, const char *name) {
    for (akt__serial_entry *e = r->sers; e; e = e->next)
        if (strcmp(e->name, name) == 0) return e;
    return NULL;
}

static int akt__serial_add(akt__serial *r, const akt_serializer *s) {
    if (akt__serial_find(r, s->name)) return AKT_EEXIST;
    akt__serial_entry *e = calloc(1, sizeof *e);
    if (!e) return AKT_ENOMEM;
    memcpy(&e->s, s, sizeof e->s);
    strcpy(e->name, s->name);
    e->s.name = e->name;
    e->next = r->sers;
    r->sers = e;
    return 0;
}

static akt__serial *akt__serial_new(void) {
    akt__serial *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->part.key = &akt__serial_key;
    r->part.free = akt__serial_part_free;
    pthread_rwlock_init(&r->lock, NULL);
    akt_serializer pb;
    if (akt__serial_add(r, &akt__serial_json) || akt__serial_add(r, &akt__serial_cbor) ||
        akt__serial_protobuf_make(r, &pb) || akt__serial_add(r, &pb)) {
        akt__serial_part_free(NULL, &r->part);
        return NULL;
    }
    return r;
}

akt__serial *akt__serial_of(akt_system *s, int create) {
    akt__serial *r = (akt__serial *)akt__part_find(s, &akt__serial_key);
    if (r || !create) return r;
    akt__serial *fresh = akt__serial_new();
    if (!fresh) return NULL;
    pthread_mutex_lock(&s->lock);
    akt__part *p = s->parts;
    while (p && p->key != &akt__serial_key) p = p->next;
    if (p)
        r = (akt__serial *)p; /* another thread made it first */
    else if (!akt__sys_closed(s)) {
        akt__part_add_locked(s, &fresh->part);
        r = fresh;
        fresh = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    if (fresh) akt__serial_part_free(s, &fresh->part);
    return r;
}

AKT_API int akt_serializer_register(akt_system *system, const akt_serializer *serializer) {
    if (!system || !serializer || serializer->size < offsetof(akt_serializer, free) ||
        !serializer->name || !serializer->encode || !serializer->decode ||
        !akt__serial_name_ok(serializer->name))
        return AKT_EINVAL;
    akt_serializer s = {0};
    memcpy(&s, serializer, serializer->size < sizeof s ? serializer->size : sizeof s);
    if (serializer->size < sizeof s) { /* an older caller: what it did not pass is NULL */
        if (serializer->size <= offsetof(akt_serializer, free)) s.free = NULL;
        if (serializer->size <= offsetof(akt_serializer, data)) s.data = NULL;
    }
    s.size = sizeof s;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    akt__serial *r = akt__serial_of(system, 1);
    if (!r) return akt__sys_closed(system) ? AKT_ECLOSED : AKT_ENOMEM;
    pthread_rwlock_wrlock(&r->lock);
    int rc = akt__serial_add(r, &s);
    pthread_rwlock_unlock(&r->lock);
    return rc;
}

/* Under the write lock: the binding of type, or NULL. */
static akt__serial_bind **akt__serial_slot(akt__serial *r, const char *type) {
    akt__serial_bind **b = &r->binds[akt__serial_hash(type)];
    while (*b && strcmp((*b)->type, type) != 0) b = &(*b)->next;
    return b;
}

AKT_API int akt_serializer_bind(akt_system *system, const char *type, const char *name) {
    if (!system || (type && !akt__type_ok(type)) || (name && !*name)) return AKT_EINVAL;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    akt__serial *r = akt__serial_of(system, 1);
    if (!r) return akt__sys_closed(system) ? AKT_ECLOSED : AKT_ENOMEM;
    int rc = 0;
    size_t tl = type ? strlen(type) + 1 : 0;
    akt__serial_bind *fresh = type && name ? malloc(sizeof *fresh + tl) : NULL;
    if (type && name && !fresh) return AKT_ENOMEM;
    pthread_rwlock_wrlock(&r->lock);
    akt__serial_entry *e = name ? akt__serial_find(r, name) : NULL;
    if (name && !e) {
        rc = AKT_ENOTFOUND;
    } else if (!type) {
        r->def = e;
    } else {
        akt__serial_bind **slot = akt__serial_slot(r, type);
        if (*slot && e) {
            (*slot)->ser = e;
        } else if (*slot) {
            akt__serial_bind *gone = *slot;
            *slot = gone->next;
            free(gone);
        } else if (e) {
            fresh->ser = e;
            memcpy(fresh->type, type, tl);
            fresh->next = NULL;
            *slot = fresh;
            fresh = NULL;
        }
    }
    if (rc == 0) atomic_store_explicit(&r->bound, 1, memory_order_release);
    pthread_rwlock_unlock(&r->lock);
    free(fresh);
    return rc;
}

AKT_API int akt_serializer_protobuf(akt_system *system,
                                    const struct ProtobufCMessageDescriptor *descriptor) {
    if (!system || !descriptor || descriptor->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC ||
        !descriptor->name || !akt__type_ok(descriptor->name))
        return AKT_EINVAL;
    if (akt__sys_closed(system)) return AKT_ECLOSED;
    akt__serial *r = akt__serial_of(system, 1);
    if (!r) return akt__sys_closed(system) ? AKT_ECLOSED : AKT_ENOMEM;
    akt__serial_desc *d = malloc(sizeof *d);
    if (!d) return AKT_ENOMEM;
    pthread_rwlock_wrlock(&r->lock);
    akt__serial_desc **pp = &r->descs;
    while (*pp && strcmp((*pp)->d->name, descriptor->name) != 0) pp = &(*pp)->next;
    if (*pp) {
        (*pp)->d = descriptor; /* the same type again: the latest descriptor */
    } else {
        d->d = descriptor;
        d->next = NULL;
        *pp = d;
        d = NULL;
    }
    pthread_rwlock_unlock(&r->lock);
    free(d);
    return akt_serializer_bind(system, descriptor->name, AKT_SERIALIZER_PROTOBUF);
}

const ProtobufCMessageDescriptor *akt__serial_descriptor(akt__serial *r, const char *type) {
    const ProtobufCMessageDescriptor *found = NULL;
    pthread_rwlock_rdlock(&r->lock);
    for (akt__serial_desc *d = r->descs; d && !found; d = d->next)
        if (strcmp(d->d->name, type) == 0) found = d->d;
    pthread_rwlock_unlock(&r->lock);
    return found;
}

/* The serializer for type (bound, else the default unless type is akt's own), or NULL. */
static akt__serial_entry *akt__serial_lookup(akt__serial *r, const char *type) {
    /* acquire: pairs with the release in akt_serializer_bind (see the field) */
    if (!r || !atomic_load_explicit(&r->bound, memory_order_acquire)) return NULL;
    pthread_rwlock_rdlock(&r->lock);
    akt__serial_bind *b = r->binds[akt__serial_hash(type)];
    while (b && strcmp(b->type, type) != 0) b = b->next;
    /* akt's own names (the canonical scalars, its system and control messages) never take
     * the default: they cross as their bytes unless bound by name. */
    akt__serial_entry *e = b ? b->ser : strncmp(type, "akt.", 4) == 0 ? NULL : r->def;
    pthread_rwlock_unlock(&r->lock);
    return e;
}

AKT_API int akt_serializer_for(akt_system *system, const char *type, const char **name) {
    if (!system || !type || !name || !akt__type_ok(type)) return AKT_EINVAL;
    akt__serial_entry *e = akt__serial_lookup(akt__serial_of(system, 0), type);
    *name = e ? e->name : NULL;
    return 0;
}

int akt__serial_encode(akt__serial *r, akt_msg *msg, akt__serial_out *out, char *why, size_t cap) {
    const char *type = akt_msg_type(msg);
    memset(out, 0, sizeof *out);
    out->name = "";
    akt__serial_entry *e = akt__serial_lookup(r, type);
    if (!e) {
        int rc = akt_msg_bytes(msg, &out->data, &out->len);
        if (rc == AKT_ENOTSUP)
            snprintf(why, cap,
                     "message of type %.255s has no serializer and no bytes to cross to "
                     "a remote node",
                     type);
        else if (rc)
            snprintf(why, cap, "message of type %.255s: its bytes could not be made: %s", type,
                     akt_strerror(rc));
        return rc;
    }
    void *bytes = NULL;
    size_t len = 0;
    akt_free_fn f = AKT_BORROW;
    akt__serial_detail[0] = 0;
    int rc = e->s.encode(msg, e->s.data, &bytes, &len, &f);
    if (rc == 0 && !bytes && len) rc = AKT_EINVAL;
    if (rc) {
        if (rc > 0 || rc < -1000) rc = AKT_EINVAL;
        snprintf(why, cap, "serializer %s could not encode a message of type %.255s: %s", e->name,
                 type, akt__serial_detail[0] ? akt__serial_detail : akt_strerror(rc));
        if (f && f != AKT_COPY && bytes) f(bytes);
        return rc;
    }
    out->name = e->name;
    out->data = bytes;
    out->len = len;
    if (f && f != AKT_COPY) {
        out->owned = bytes;
        out->free_fn = f;
    }
    return 0;
}

void akt__serial_done(akt__serial_out *out) {
    if (out->free_fn && out->owned) out->free_fn(out->owned);
    out->owned = NULL;
    out->free_fn = NULL;
}

int akt__serial_decode(akt__serial *r, const char *name, const char *type, const void *data,
                       size_t len, akt_msg **out, char *why, size_t cap) {
    *out = NULL;
    if (!name || !*name) {
        int rc = akt_msg_new_bytes(type, data, len, AKT_COPY, out);
        if (rc) snprintf(why, cap, "message of type %.255s refused: %s", type, akt_strerror(rc));
        return rc;
    }
    akt__serial_entry *e = NULL;
    if (r) {
        pthread_rwlock_rdlock(&r->lock);
        for (e = r->sers; e && strcmp(e->name, name) != 0;) e = e->next;
        pthread_rwlock_unlock(&r->lock);
    }
    if (!e) {
        snprintf(why, cap, "no serializer named %.63s on this node (a message of type %.255s)",
                 name, type);
        return AKT_ENOTSUP;
    }
    akt__serial_detail[0] = 0;
    int rc = e->s.decode(type, data, len, e->s.data, out);
    if (rc == 0 && !*out) rc = AKT_EINVAL;
    if (rc) {
        if (rc > 0 || rc < -1000) rc = AKT_EINVAL;
        if (*out) akt_msg_release(*out);
        *out = NULL;
        snprintf(why, cap, "serializer %s could not decode a message of type %.255s: %s", e->name,
                 type, akt__serial_detail[0] ? akt__serial_detail : akt_strerror(rc));
    }
    return rc;
}
