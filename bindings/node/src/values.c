/* JS values <-> akt messages.
 *
 * Between JS actors a value travels by reference: JS keeps it in a slot of its value table
 * (lib/values.cjs) and the object message carries the slot number, so there is no
 * serialization and no per-message napi_ref. A slot is given back when akt releases the
 * message, into the shared freed[] stack, which JS reclaims: always on the JS thread, as
 * the ops name the system's dispatcher as release_on (addon.h). Strings and byte arrays also carry
 * their bytes, made once on the JS thread, so C actors (and other threads) can read them.
 * Primitives travel as tiny bytes messages in akt's canonical scalar encodings (akt.h): number ->
 * akt.Float64 (a JS number is a binary64, integer-valued or not), boolean -> akt.Bool,
 * null -> akt.Null, BigInt in int64 -> akt.Int64 (by reference too, for JS receivers). A
 * JS object sent to an actor that is not a JS actor of this thread is JSON-encoded. An
 * arriving akt.Int64 is a number when it is a safe integer, else a BigInt; a payload that
 * does not match its canonical name goes to the JS decoders (lib/types.cjs), which throw,
 * so that message fails. */
#include <stdlib.h>
#include <string.h>

#include "addon.h"

#define AN_TYPE_NUMBER AKT_TYPE_FLOAT64   /* 8 bytes: IEEE-754 double, little-endian */
#define AN_TYPE_BOOL AKT_TYPE_BOOL        /* 1 byte: 0 or 1 */
#define AN_TYPE_NULL AKT_TYPE_NULL        /* empty */
#define AN_TYPE_UNDEFINED "akt.Undefined" /* empty */

#define SLOT_OF(obj) ((int32_t)((uintptr_t)(obj)-1))
#define OBJ_OF(slot) ((void *)((uintptr_t)(uint32_t)(slot) + 1))

typedef struct an_val {
    int32_t slot; /* the JS value itself, or -1 */
    void *bytes;
    size_t len;
} an_val;

void an_slot_release_now(an_inst *I, int32_t slot) {
    an_shared *sh = I->shm;
    if (I->closing || !sh) return;
    int32_t n = sh->flags[AN_FLAG_NFREED];
    if (n < AN_FREED_CAP) {
        sh->freed[n] = slot;
        sh->flags[AN_FLAG_NFREED] = n + 1;
        return;
    }
    if (I->freed_more_len == I->freed_more_cap) {
        size_t cap = I->freed_more_cap ? I->freed_more_cap * 2 : 1024;
        int32_t *m = realloc(I->freed_more, cap * sizeof *m);
        if (!m) return; /* the slot leaks; its value stays reachable */
        I->freed_more = m;
        I->freed_more_cap = cap;
    }
    I->freed_more[I->freed_more_len++] = slot;
}

void an_slots_flush(an_inst *I) {
    an_shared *sh = I->shm;
    while (I->freed_more_len && sh->flags[AN_FLAG_NFREED] < AN_FREED_CAP)
        sh->freed[sh->flags[AN_FLAG_NFREED]++] = I->freed_more[--I->freed_more_len];
}

/* Runs on the JS thread (release_on). Elsewhere (not expected: akt runs a release on another
 * thread only for a system freed before its shutdown completed, which the binding never
 * does) the slot is counted and leaks: its value stays reachable, nothing is touched. */
static void release_slot(an_inst *I, int32_t slot) {
    if (I->closing) return; /* the environment is gone: nothing to release into */
    if (!an_on_js_thread(I)) {
        /* relaxed: a statistic (addon.h). */
        atomic_fetch_add_explicit(&I->stat_released_elsewhere, 1, memory_order_relaxed);
        return;
    }
    an_slot_release_now(I, slot);
}

static void count_release(an_inst *I) {
    if (an_on_js_thread(I))
        I->stat_released++;
    else /* relaxed: a statistic (addon.h). */
        atomic_fetch_add_explicit(&I->stat_released_elsewhere, 1, memory_order_relaxed);
}

static void slot_release(void *object, void *ops_data) {
    count_release(ops_data);
    release_slot(ops_data, SLOT_OF(object));
}

static void val_release(void *object, void *ops_data) {
    an_val *v = object;
    count_release(ops_data);
    if (v->slot >= 0) release_slot(ops_data, v->slot);
    free(v->bytes);
    free(v);
}

static int val_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                        akt_free_fn *free_fn) {
    an_val *v = object;
    *data = v->bytes;
    *len = v->len;
    *free_fn = AKT_BORROW; /* lives as long as the object */
    return 0;
}

/* Calls hook(arg) -> result; NULL after clearing any exception. */
static napi_value call1(napi_env env, napi_ref hook, napi_value arg) {
    napi_value fn, r;
    if (napi_get_reference_value(env, hook, &fn) != napi_ok ||
        napi_call_function(env, fn, fn, 1, &arg, &r) != napi_ok) {
        napi_value ex;
        napi_get_and_clear_last_exception(env, &ex);
        return NULL;
    }
    return r;
}

/* A new slot holding v, or -1. */
static int32_t slot_put(an_inst *I, napi_env env, napi_value v) {
    napi_value r = call1(env, I->put, v);
    int32_t slot = -1;
    if (r) napi_get_value_int32(env, r, &slot);
    return slot;
}

static napi_value slot_get(an_inst *I, napi_env env, int32_t slot) {
    napi_value s, v = NULL;
    napi_create_int32(env, slot, &s);
    v = call1(env, I->get, s);
    if (!v) napi_get_undefined(env, &v);
    return v;
}

/* JSON text of a JS value, malloc'd; NULL on failure (exception cleared). */
static char *json_of(an_inst *I, napi_env env, napi_value v, size_t *len) {
    napi_value s = call1(env, I->json, v);
    size_t n;
    if (!s || napi_get_value_string_utf8(env, s, NULL, 0, &n) != napi_ok) return NULL;
    char *buf = malloc(n + 1);
    if (!buf) return NULL;
    napi_get_value_string_utf8(env, s, buf, n + 1, &n);
    *len = n;
    return buf;
}

/* A by-reference value asked for its bytes: only the JS thread can look inside it. */
static int slot_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                         akt_free_fn *free_fn) {
    an_inst *I = ops_data;
    if (I->closing || !an_on_js_thread(I)) return AKT_ENOTSUP;
    napi_env env = I->env;
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return AKT_ENOTSUP;
    char *buf = json_of(I, env, slot_get(I, env, SLOT_OF(object)), len);
    napi_close_handle_scope(env, scope);
    if (!buf) return AKT_ENOTSUP;
    *data = buf;
    *free_fn = free;
    return 0;
}

void an_values_init(an_sys *s) {
    s->ops_slot = (akt_object_ops){.size = sizeof(akt_object_ops),
                                   .release = slot_release,
                                   .to_bytes = slot_to_bytes,
                                   .ops_data = s->inst,
                                   .release_on = s->disp};
    s->ops_val = (akt_object_ops){.size = sizeof(akt_object_ops),
                                  .release = val_release,
                                  .to_bytes = val_to_bytes,
                                  .ops_data = s->inst,
                                  .release_on = s->disp};
}

/* Takes bytes and slot (released on failure). */
static int new_val(an_sys *s, const char *type, int32_t slot, void *bytes, size_t len,
                   akt_msg **out) {
    an_val *val = malloc(sizeof *val);
    int rc = AKT_ENOMEM;
    if (val) {
        *val = (an_val){slot, bytes, len};
        /* A registered name: the message carries its handle (akt_msg_type_id without a
         * lookup at the receiver, no copy of the name). */
        const akt_type *reg;
        rc = strncmp(type, "akt.", 4) != 0 && akt_type_lookup(type, &reg) == 0
                 ? akt_msg_new_typed_object(reg, val, &s->ops_val, out)
                 : akt_msg_new_object(type, val, &s->ops_val, out);
        if (!rc) return 0;
    }
    if (slot >= 0) an_slot_release_now(s->inst, slot);
    free(bytes);
    free(val);
    return rc;
}

static int msg_of_slot(an_sys *s, int32_t slot, const char *type, akt_msg **out) {
    if (slot < 0) return AKT_ENOMEM;
    int rc = akt_msg_new_object(type ? type : AN_TYPE_OBJECT, OBJ_OF(slot), &s->ops_slot, out);
    if (rc) an_slot_release_now(s->inst, slot);
    return rc;
}

/* The object by reference, and its JSON bytes made now for whoever is not JS (an answer
 * that may go to another node); the reference alone if JSON cannot hold it. */
static int msg_of_slot_and_json(an_sys *s, napi_env env, int32_t slot, const char *type,
                                akt_msg **out) {
    size_t n;
    char *json = slot < 0 ? NULL : json_of(s->inst, env, slot_get(s->inst, env, slot), &n);
    if (!json) return msg_of_slot(s, slot, type, out);
    return new_val(s, type ? type : AN_TYPE_JSON, slot, json, n, out);
}

int an_msg_from_slot(an_sys *s, napi_env env, int32_t slot, const char *type, int by_ref,
                     akt_msg **out) {
    if (by_ref == AN_BY_REF_AND_BYTES) return msg_of_slot_and_json(s, env, slot, type, out);
    if (by_ref) return msg_of_slot(s, slot, type, out);
    size_t n;
    char *json = json_of(s->inst, env, slot_get(s->inst, env, slot), &n);
    /* Not representable in JSON (a function, a cycle, a BigInt): an opaque object, whose
     * bytes another language's actor cannot read (AKT_ENOTSUP). */
    if (!json) return msg_of_slot(s, slot, type, out);
    an_slot_release_now(s->inst, slot);
    return new_val(s, type ? type : AN_TYPE_JSON, -1, json, n, out);
}

static int bytes_of_array(napi_env env, napi_value v, void **data, size_t *len) {
    bool is;
    if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
        napi_typedarray_type t;
        size_t n, off;
        void *p;
        napi_value ab;
        if (napi_get_typedarray_info(env, v, &t, &n, &p, &ab, &off) != napi_ok) return 0;
        size_t esz = (t == napi_int16_array || t == napi_uint16_array) ? 2
                     : (t == napi_int32_array || t == napi_uint32_array || t == napi_float32_array)
                         ? 4
                     : (t == napi_float64_array || t == napi_bigint64_array ||
                        t == napi_biguint64_array)
                         ? 8
                         : 1;
        *data = p;
        *len = n * esz;
        return 1;
    }
    if (napi_is_dataview(env, v, &is) == napi_ok && is) {
        napi_value ab;
        size_t off;
        return napi_get_dataview_info(env, v, len, data, &ab, &off) == napi_ok;
    }
    if (napi_is_arraybuffer(env, v, &is) == napi_ok && is)
        return napi_get_arraybuffer_info(env, v, data, len) == napi_ok;
    return 0;
}

static int msg_of_string(an_sys *s, napi_env env, napi_value v, const char *type, akt_msg **out) {
    size_t n;
    if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) return AKT_EINVAL;
    char *buf = malloc(n + 1);
    if (!buf) return AKT_ENOMEM;
    napi_get_value_string_utf8(env, v, buf, n + 1, &n);
    /* Strings are immutable values: the receiver rebuilds them from the bytes. */
    return new_val(s, type ? type : AN_TYPE_STRING, -1, buf, n, out);
}

static int msg_of_object(an_sys *s, napi_env env, napi_value v, const char *type, int by_ref,
                         akt_msg **out) {
    an_inst *I = s->inst;
    void *p;
    size_t n;
    if (bytes_of_array(env, v, &p, &n)) {
        void *copy = malloc(n ? n : 1);
        if (!copy) return AKT_ENOMEM;
        if (n) memcpy(copy, p, n);
        /* A JS receiver gets the very object back; others the bytes copied now. */
        return new_val(s, type ? type : AN_TYPE_BYTES, by_ref ? slot_put(I, env, v) : -1, copy, n,
                       out);
    }
    if (by_ref == AN_BY_REF_AND_BYTES)
        return msg_of_slot_and_json(s, env, slot_put(I, env, v), type, out);
    if (by_ref) return msg_of_slot(s, slot_put(I, env, v), type, out);
    char *json = json_of(I, env, v, &n);
    if (!json) return msg_of_slot(s, slot_put(I, env, v), type, out); /* opaque, as above */
    return new_val(s, type ? type : AN_TYPE_JSON, -1, json, n, out);
}

int an_msg_from_js(an_sys *s, napi_env env, napi_value v, const char *type, int by_ref,
                   akt_msg **out) {
    an_inst *I = s->inst;
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok) return AKT_EINVAL;
    switch (t) {
    case napi_string:
        return msg_of_string(s, env, v, type, out);
    case napi_object:
    case napi_function:
        return msg_of_object(s, env, v, type, by_ref, out);
    case napi_number: {
        double d;
        napi_get_value_double(env, v, &d);
        return akt_msg_new_bytes(type ? type : AN_TYPE_NUMBER, &d, sizeof d, AKT_COPY, out);
    }
    case napi_boolean: {
        bool b;
        napi_get_value_bool(env, v, &b);
        uint8_t byte = b;
        return akt_msg_new_bytes(type ? type : AN_TYPE_BOOL, &byte, 1, AKT_COPY, out);
    }
    case napi_null:
        return akt_msg_new_bytes(type ? type : AN_TYPE_NULL, NULL, 0, AKT_COPY, out);
    case napi_undefined:
        return akt_msg_new_bytes(type ? type : AN_TYPE_UNDEFINED, NULL, 0, AKT_COPY, out);
    case napi_bigint: {
        int64_t i;
        bool lossless = false;
        napi_get_value_bigint_int64(env, v, &i, &lossless);
        if (lossless) {
            uint8_t *b = malloc(8);
            if (!b) return AKT_ENOMEM;
            for (int k = 0; k < 8; k++) b[k] = (uint8_t)((uint64_t)i >> (8 * k));
            /* A JS receiver gets the BigInt itself; others the 8 bytes. */
            return new_val(s, type ? type : AKT_TYPE_INT64, by_ref ? slot_put(I, env, v) : -1, b, 8,
                           out);
        }
        /* Beyond int64: by reference, opaque to other languages, as a symbol. */
        return msg_of_slot(s, slot_put(I, env, v), type, out);
    }
    default: {
        /* symbol: a JS-only value, by reference (opaque to other languages). */
        return msg_of_slot(s, slot_put(I, env, v), type, out);
    }
    }
}

static napi_value undefined_of(napi_env env) {
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
}

/* Strict UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
static int utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k = c >= 0xC2 && c <= 0xDF   ? 1
                   : c >= 0xE0 && c <= 0xEF ? 2
                   : c >= 0xF0 && c <= 0xF4 ? 3
                                            : 0;
        if (!k || n - i < k + 1) return 0; /* a bad lead byte, or cut short */
        uint8_t lo = 0x80, hi = 0xBF;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (size_t j = 2; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return 0;
        i += k + 1;
    }
    return 1;
}

static uint64_t le64(const void *p) {
    const uint8_t *b = p;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)b[i] << (8 * i);
    return v;
}

/* Well-formed canonical scalars (and akt.Undefined) decode here, without a JS call; NULL
 * for other types and malformed payloads (the JS decoders report those). */
static napi_value primitive_of(napi_env env, const char *type, const void *p, size_t n) {
    napi_value v = NULL;
    if (type[0] != 'a' || strncmp(type, "akt.", 4) != 0) return NULL;
    const char *t = type + 4;
    if (!strcmp(t, "Float64") && n == sizeof(double)) {
        uint64_t bits = le64(p);
        double d;
        memcpy(&d, &bits, sizeof d);
        napi_create_double(env, d, &v);
    } else if (!strcmp(t, "Int64") && n == 8) {
        int64_t i = (int64_t)le64(p);
        if (i >= -9007199254740991LL && i <= 9007199254740991LL) /* Number.isSafeInteger */
            napi_create_double(env, (double)i, &v);
        else
            napi_create_bigint_int64(env, i, &v);
    } else if (!strcmp(t, "Bool") && n == 1 && *(const uint8_t *)p <= 1) {
        napi_get_boolean(env, *(const uint8_t *)p != 0, &v);
    } else if (!strcmp(t, "Null") && n == 0) {
        napi_get_null(env, &v);
    } else if (!strcmp(t, "Undefined")) {
        v = undefined_of(env);
    } else if (!strcmp(t, "String") && utf8_valid(p, n)) {
        napi_create_string_utf8(env, n ? p : "", n, &v);
    }
    return v;
}

/* The slot of a JS value by reference made for any of this instance's systems, or -1. A
 * message of one binding carries its ops: two compares per system, only for the first
 * systems (usually one). */
static int32_t slot_of_msg(an_inst *I, akt_msg *msg) {
    void *obj;
    for (an_sys *s = I->systems; s; s = s->next) {
        if (akt_msg_object(msg, &s->ops_slot, &obj) == 0) return SLOT_OF(obj);
        if (akt_msg_object(msg, &s->ops_val, &obj) == 0) return ((an_val *)obj)->slot;
    }
    return -1;
}

int an_msg_is_js_value(an_inst *I, akt_msg *msg) { return slot_of_msg(I, msg) >= 0; }

napi_value an_msg_to_js(an_inst *I, napi_env env, akt_msg *msg, napi_value *type, int32_t *slot) {
    napi_value v = NULL;
    *type = NULL;
    if ((*slot = slot_of_msg(I, msg)) >= 0) return NULL;
    const char *t = akt_msg_type(msg);
    akt_pid about;
    if (akt_msg_pid(msg, &about) == 0) {
        an_put_pid(I, AN_SCR_PID2, about);
        napi_create_string_utf8(env, t, NAPI_AUTO_LENGTH, type);
        return undefined_of(env);
    }
    const void *p = NULL;
    size_t n = 0;
    if (akt_msg_bytes(msg, &p, &n) != 0) { /* an object of another binding, no bytes */
        napi_create_string_utf8(env, t, NAPI_AUTO_LENGTH, type);
        return undefined_of(env);
    }
    if ((v = primitive_of(env, t, p, n))) return v;
    napi_create_buffer_copy(env, n, n ? p : "", NULL, &v);
    napi_create_string_utf8(env, t, NAPI_AUTO_LENGTH, type);
    return v;
}

napi_value an_msg_to_js_decoded(an_inst *I, napi_env env, akt_msg *msg, napi_value *thrown) {
    napi_value type;
    int32_t slot;
    napi_value v = an_msg_to_js(I, env, msg, &type, &slot);
    if (slot >= 0) return slot_get(I, env, slot);
    if (!type) return v;
    napi_value fn, args[2] = {v, type}, r;
    if (napi_get_reference_value(env, I->decode, &fn) != napi_ok ||
        napi_call_function(env, fn, fn, 2, args, &r) != napi_ok) {
        napi_value ex;
        napi_get_and_clear_last_exception(env, &ex);
        if (!thrown) return v;
        *thrown = ex;
        return NULL;
    }
    return r;
}

/* Bad input throws an InvalidArgumentError (lib/errors.cjs), like every other akt code. */
char *an_opt_string(an_inst *I, napi_env env, napi_value v, char *buf, size_t len) {
    napi_valuetype t;
    if (!v || napi_typeof(env, v, &t) != napi_ok || t == napi_undefined || t == napi_null)
        return NULL;
    size_t n;
    if (t != napi_string || napi_get_value_string_utf8(env, v, buf, len, &n) != napi_ok) {
        an_throw_msg(env, I, AKT_EINVAL, "expected a string");
        return (char *)-1;
    }
    if (n >= len - 1) {
        an_throw_msg(env, I, AKT_EINVAL, "string too long");
        return (char *)-1;
    }
    return buf;
}

int an_get_pid(an_inst *I, napi_env env, napi_value lo, napi_value hi, akt_pid *out) {
    uint32_t l, h;
    if (napi_get_value_uint32(env, lo, &l) != napi_ok ||
        napi_get_value_uint32(env, hi, &h) != napi_ok) {
        an_throw_msg(env, I, AKT_EINVAL, "expected a Pid");
        return 0;
    }
    out->id = ((uint64_t)h << 32) | l;
    return 1;
}

void an_put_pid(an_inst *I, int at, akt_pid pid) {
    I->shm->scratch[at] = (uint32_t)pid.id;
    I->shm->scratch[at + 1] = (uint32_t)(pid.id >> 32);
}

int an_read_deps(an_inst *I, napi_env env, napi_value names, napi_value values, napi_ref **deps,
                 char ***dep_names, size_t *ndeps) {
    bool is = false;
    if (napi_is_array(env, names, &is) != napi_ok || !is) return 1;
    uint32_t n = 0;
    napi_get_array_length(env, names, &n);
    if (!n) return 1;
    *deps = calloc(n, sizeof **deps);
    *dep_names = calloc(n, sizeof **dep_names);
    if (!*deps || !*dep_names) return 0;
    for (uint32_t i = 0; i < n; i++) {
        napi_value k, v;
        char buf[256];
        napi_get_element(env, names, i, &k);
        napi_get_element(env, values, i, &v);
        char *name = an_opt_string(I, env, k, buf, sizeof buf);
        if (!name || name == (char *)-1) return 0;
        *ndeps = i + 1;
        (*dep_names)[i] = strdup(name);
        /* A value akt can hand back as a pointer: the reference itself. Primitives are
         * wrapped by lib/actor.cjs and lib/grain.cjs so every value is an object here. */
        if (!(*dep_names)[i] || napi_create_reference(env, v, 1, &(*deps)[i]) != napi_ok) return 0;
    }
    return 1;
}
