/* test_msg: bytes and object messages, destructors, references and type names. */
#define _GNU_SOURCE /* gettid via syscall, pthread_getcpuclockid */
#include "tu.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ---- destructor bookkeeping -------------------------------------------------------- */

static atomic_int freed;
static void *_Atomic freed_ptr;
static void count_free(void *p) {
    atomic_store(&freed_ptr, p);
    atomic_fetch_add(&freed, 1);
}

static int msg_setup(void **state) {
    atomic_store(&freed, 0);
    atomic_store(&freed_ptr, NULL);
    return tu_setup(state);
}
#define MSG_TEST(f) cmocka_unit_test_setup_teardown(f, msg_setup, tu_teardown)

static void test_bytes_copy(void **state) {
    (void)state;
    char buf[] = "hello";
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Copy", buf, 5, AKT_COPY, &m));
    assert_non_null(m);
    memcpy(buf, "XXXXX", 5); /* the message must not see this */
    const void *data = NULL;
    size_t len = 0;
    TU_OK(akt_msg_bytes(m, &data, &len));
    assert_int_equal(len, 5);
    assert_ptr_not_equal(data, buf);
    assert_memory_equal(data, "hello", 5);
    assert_string_equal(akt_msg_type(m), "t.Copy");
    TU_OK(akt_msg_release(m));
}

static void test_bytes_borrow(void **state) {
    (void)state;
    static const char data_static[] = "static bytes";
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Borrow", data_static, sizeof data_static, AKT_BORROW, &m));
    const void *data = NULL;
    size_t len = 0;
    TU_OK(akt_msg_bytes(m, &data, &len));
    assert_ptr_equal(data, data_static);
    assert_int_equal(len, sizeof data_static);
    TU_OK(akt_msg_release(m));
}

static void test_bytes_empty(void **state) {
    (void)state;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Empty", NULL, 0, AKT_COPY, &m));
    const void *data = (const void *)1;
    size_t len = 99;
    TU_OK(akt_msg_bytes(m, &data, &len));
    assert_int_equal(len, 0);
    TU_OK(akt_msg_release(m));
    TU_OK(akt_msg_new_bytes("t.Empty", NULL, 0, AKT_BORROW, &m));
    TU_OK(akt_msg_release(m));
}

static void test_bytes_destructor_once_on_last_release(void **state) {
    (void)state;
    char *buf = malloc(16);
    memcpy(buf, "owned", 6);
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Owned", buf, 6, count_free, &m));
    const void *data = NULL;
    size_t len = 0;
    TU_OK(akt_msg_bytes(m, &data, &len));
    assert_ptr_equal(data, buf); /* a destructor means akt uses the caller's buffer */
    TU_OK(akt_msg_retain(m));
    TU_OK(akt_msg_retain(m));
    TU_OK(akt_msg_release(m));
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&freed), 0);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&freed), 1);
    assert_ptr_equal(atomic_load(&freed_ptr), buf);
    free(buf);
}

static void test_failed_new_keeps_data_with_caller(void **state) {
    (void)state;
    char buf[4] = "abc";
    akt_msg *m = (akt_msg *)0x1;
    TU_RC(AKT_EINVAL, akt_msg_new_bytes(NULL, buf, 3, count_free, &m));
    TU_RC(AKT_EINVAL, akt_msg_new_bytes("", buf, 3, count_free, &m));
    assert_int_equal(atomic_load(&freed), 0);
    assert_ptr_equal(m, (akt_msg *)0x1); /* out untouched on failure */
}

static void test_invalid_type_names(void **state) {
    (void)state;
    char name[300];
    akt_msg *m = (akt_msg *)0x1;
    TU_RC(AKT_EINVAL, akt_msg_new_bytes(NULL, "x", 1, AKT_COPY, &m));
    TU_RC(AKT_EINVAL, akt_msg_new_bytes("", "x", 1, AKT_COPY, &m));
    memset(name, 'a', 256);
    name[256] = 0;
    TU_RC(AKT_EINVAL, akt_msg_new_bytes(name, "x", 1, AKT_COPY, &m));
    memset(name, 'b', 299);
    name[299] = 0;
    TU_RC(AKT_EINVAL, akt_msg_new_bytes(name, "x", 1, AKT_COPY, &m));
    assert_ptr_equal(m, (akt_msg *)0x1);

    /* The longest valid name: 255 bytes, kept intact. */
    memset(name, 'c', 255);
    name[255] = 0;
    TU_OK(akt_msg_new_bytes(name, "x", 1, AKT_COPY, &m));
    assert_string_equal(akt_msg_type(m), name);
    name[0] = 'z'; /* the type was copied */
    assert_int_equal(akt_msg_type(m)[0], 'c');
    TU_OK(akt_msg_release(m));
}

/* ---- sizes that do not fit: an error, never a wrapped allocation ------------------------ */

static void test_bytes_huge_len_is_rejected(void **state) {
    (void)state;
    char buf[16] = "small";
    /* Each of these wrapped sizeof(akt_msg) + type + len round to a small block, into which
     * the copy was then written: the first ones land in different pool classes. */
    const size_t lens[] = {SIZE_MAX,       SIZE_MAX - 1,     SIZE_MAX - 100,         SIZE_MAX - 150,
                           SIZE_MAX - 200, SIZE_MAX / 2 + 1, (size_t)PTRDIFF_MAX + 1};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        akt_msg *m = (akt_msg *)0x1;
        int rc = akt_msg_new_bytes("t.Huge", buf, lens[i], AKT_COPY, &m);
        if (rc != AKT_EINVAL && rc != AKT_ENOMEM)
            fail_msg("len %zu with AKT_COPY: %s, expected AKT_EINVAL or AKT_ENOMEM", lens[i],
                     akt_err_name(rc));
        assert_ptr_equal(m, (akt_msg *)0x1);
        /* No buffer is that large: borrowing or owning one is refused too, and a refused
         * buffer stays the caller's (its destructor is not called). */
        TU_RC(AKT_EINVAL, akt_msg_new_bytes("t.Huge", buf, lens[i], AKT_BORROW, &m));
        TU_RC(AKT_EINVAL, akt_msg_new_bytes("t.Huge", buf, lens[i], count_free, &m));
        assert_ptr_equal(m, (akt_msg *)0x1);
    }
    assert_int_equal(atomic_load(&freed), 0);
    /* The longest type name with a huge copy: the type's length is part of the sum. */
    char name[256];
    memset(name, 'n', 255);
    name[255] = 0;
    akt_msg *m = (akt_msg *)0x1;
    int rc = akt_msg_new_bytes(name, buf, SIZE_MAX - 300, AKT_COPY, &m);
    assert_true(rc == AKT_EINVAL || rc == AKT_ENOMEM);
    assert_ptr_equal(m, (akt_msg *)0x1);
}

/* ---- AKT_COPY bytes are aligned for any type --------------------------------------------- */

static void test_copied_bytes_are_aligned(void **state) {
    (void)state;
    static const size_t lens[] = {0,  1,  7,   8,   9,   15,   16,   17,   31,
                                  33, 64, 100, 101, 200, 1000, 5000, 70000};
    static const int type_lens[] = {1, 2, 3, 5, 8, 15, 16, 17, 47, 100, 255};
    static unsigned char src[70000];
    for (size_t i = 0; i < sizeof src; i++) src[i] = (unsigned char)(i * 7 + 3);
    for (size_t t = 0; t < sizeof type_lens / sizeof type_lens[0]; t++) {
        char type[256];
        memset(type, 'a' + (int)t, (size_t)type_lens[t]);
        type[type_lens[t]] = 0;
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            akt_msg *m = NULL;
            TU_OK(akt_msg_new_bytes(type, src, lens[i], AKT_COPY, &m));
            const void *data = NULL;
            size_t len = 99;
            TU_OK(akt_msg_bytes(m, &data, &len));
            assert_int_equal(len, lens[i]);
            if ((uintptr_t)data % _Alignof(max_align_t) != 0)
                fail_msg("type of %d bytes, %zu bytes copied: data %p is not aligned to %zu",
                         type_lens[t], lens[i], data, (size_t) _Alignof(max_align_t));
            if (lens[i]) assert_memory_equal(data, src, lens[i]);
            assert_string_equal(akt_msg_type(m), type);
            TU_OK(akt_msg_release(m));
        }
    }
}

static void test_copied_long_reads_back_in_place(void **state) {
    (void)state;
    /* UBSan (the ASan build) reports a misaligned load here if the copy is not aligned. */
    long v = 0x1122334455667788L;
    long double ld = 1.0L / 3.0L;
    const char *types[] = {"t.L", "t.Long", "t.Lng", "x"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        akt_msg *m = NULL;
        TU_OK(akt_msg_new_bytes(types[i], &v, sizeof v, AKT_COPY, &m));
        const void *data = NULL;
        size_t len = 0;
        TU_OK(akt_msg_bytes(m, &data, &len));
        assert_int_equal(len, sizeof v);
        const long *pv = data;
        assert_true(*pv == v);
        /* A small copy lives in the message's own block (one allocation per message). */
        assert_true((const char *)data > (const char *)m &&
                    (const char *)data < (const char *)m + 256);
        TU_OK(akt_msg_release(m));

        TU_OK(akt_msg_new_bytes(types[i], &ld, sizeof ld, AKT_COPY, &m));
        TU_OK(akt_msg_bytes(m, &data, &len));
        const long double *pld = data;
        assert_true(*pld == ld);
        TU_OK(akt_msg_release(m));
    }
}

/* ---- a release too many ------------------------------------------------------------------ */

static void test_release_too_many_is_emisuse(void **state) {
    (void)state;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Twice", "x", 1, count_free, &m));
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&freed), 1);
    /* Right after the last release, before its block is reused, a release too many and a
     * retain of the dead message are both seen as misuse, and nothing runs twice. */
    TU_RC(AKT_EMISUSE, akt_msg_release(m));
    TU_RC(AKT_EMISUSE, akt_msg_retain(m));
    TU_RC(AKT_EMISUSE, akt_msg_release(m));
    assert_int_equal(atomic_load(&freed), 1);

    /* The same with a retained message: two references, three releases. */
    TU_OK(akt_msg_new_bytes("t.Twice", "y", 1, count_free, &m));
    TU_OK(akt_msg_retain(m));
    TU_OK(akt_msg_release(m));
    TU_OK(akt_msg_release(m));
    TU_RC(AKT_EMISUSE, akt_msg_release(m));
    assert_int_equal(atomic_load(&freed), 2);

    /* The block serves the next message normally. */
    TU_OK(akt_msg_new_bytes("t.After", "z", 1, AKT_COPY, &m));
    TU_OK(akt_msg_retain(m));
    TU_OK(akt_msg_release(m));
    TU_OK(akt_msg_release(m));
}

/* ---- object messages ------------------------------------------------------------------ */

typedef struct obj_counts {
    atomic_int released;
    atomic_int to_bytes;
    atomic_int bytes_freed;
    int to_bytes_rc;
} obj_counts;

static obj_counts oc;
static char serialized[] = "serialized-object";

static void obj_release(void *object, void *ops_data) {
    TU_CB_CHECK(ops_data == &oc);
    TU_CB_CHECK(object != NULL);
    atomic_fetch_add(&oc.released, 1);
}

static void bytes_free(void *p) {
    TU_CB_CHECK(p != NULL);
    free(p);
    atomic_fetch_add(&oc.bytes_freed, 1);
}

static int obj_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                        akt_free_fn *free_fn) {
    atomic_fetch_add(&oc.to_bytes, 1);
    if (oc.to_bytes_rc != 0) return oc.to_bytes_rc;
    char *copy = malloc(sizeof serialized);
    memcpy(copy, serialized, sizeof serialized);
    *data = copy;
    *len = sizeof serialized - 1;
    *free_fn = bytes_free;
    return 0;
}

static const akt_object_ops ops_plain = {
    .size = sizeof(akt_object_ops), .release = obj_release, .ops_data = &oc};
static const akt_object_ops ops_bytes = {.size = sizeof(akt_object_ops),
                                         .release = obj_release,
                                         .to_bytes = obj_to_bytes,
                                         .ops_data = &oc};
/* Same content as ops_plain, other address: another owner. */
static const akt_object_ops ops_other = {
    .size = sizeof(akt_object_ops), .release = obj_release, .ops_data = &oc};

static int obj_setup(void **state) {
    atomic_store(&oc.released, 0);
    atomic_store(&oc.to_bytes, 0);
    atomic_store(&oc.bytes_freed, 0);
    oc.to_bytes_rc = 0;
    return tu_setup(state);
}
#define OBJ_TEST(f) cmocka_unit_test_setup_teardown(f, obj_setup, tu_teardown)

static void test_object_release_once(void **state) {
    (void)state;
    int object = 7;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", &object, &ops_plain, &m));
    assert_string_equal(akt_msg_type(m), "t.Obj");
    void *got = NULL;
    TU_OK(akt_msg_object(m, &ops_plain, &got));
    assert_ptr_equal(got, &object);
    TU_OK(akt_msg_retain(m));
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.released), 0);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.released), 1);
}

static void test_object_wrong_ops_is_etype(void **state) {
    (void)state;
    int object = 1;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", &object, &ops_plain, &m));
    void *got = (void *)0x1;
    TU_RC(AKT_ETYPE, akt_msg_object(m, &ops_other, &got));
    TU_RC(AKT_ETYPE, akt_msg_object(m, &ops_bytes, &got));
    assert_ptr_equal(got, (void *)0x1);
    TU_OK(akt_msg_release(m));

    /* A bytes message has no object at all. */
    TU_OK(akt_msg_new_bytes("t.Bytes", "b", 1, AKT_COPY, &m));
    TU_RC(AKT_ETYPE, akt_msg_object(m, &ops_plain, &got));
    TU_OK(akt_msg_release(m));
}

static void test_object_without_to_bytes_is_enotsup(void **state) {
    (void)state;
    int object = 1;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", &object, &ops_plain, &m));
    const void *data = NULL;
    size_t len = 0;
    TU_RC(AKT_ENOTSUP, akt_msg_bytes(m, &data, &len));
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.released), 1);
}

static void test_object_to_bytes_once_and_cached(void **state) {
    (void)state;
    int object = 1;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", &object, &ops_bytes, &m));
    assert_int_equal(atomic_load(&oc.to_bytes), 0); /* lazy: only when asked */
    const void *d1 = NULL, *d2 = NULL;
    size_t l1 = 0, l2 = 0;
    TU_OK(akt_msg_bytes(m, &d1, &l1));
    TU_OK(akt_msg_bytes(m, &d2, &l2));
    assert_int_equal(atomic_load(&oc.to_bytes), 1);
    assert_ptr_equal(d1, d2);
    assert_int_equal(l1, sizeof serialized - 1);
    assert_memory_equal(d1, serialized, l1);
    /* The object itself is still there. */
    void *got = NULL;
    TU_OK(akt_msg_object(m, &ops_bytes, &got));
    assert_ptr_equal(got, &object);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.released), 1);
    assert_int_equal(atomic_load(&oc.bytes_freed), 1); /* the cached bytes' free_fn */
}

static void test_object_to_bytes_failure(void **state) {
    (void)state;
    int object = 1;
    oc.to_bytes_rc = AKT_ENOMEM;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", &object, &ops_bytes, &m));
    const void *data = (const void *)0x1;
    size_t len = 5;
    TU_RC(AKT_ENOMEM, akt_msg_bytes(m, &data, &len));
    assert_ptr_equal(data, (const void *)0x1);
    /* "Called at most once per message": the failure is the cached result. */
    int rc = akt_msg_bytes(m, &data, &len);
    assert_int_not_equal(rc, 0);
    assert_int_equal(atomic_load(&oc.to_bytes), 1);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.released), 1);
}

static void test_object_invalid(void **state) {
    (void)state;
    int object = 1;
    akt_msg *m = (akt_msg *)0x1;
    TU_RC(AKT_EINVAL, akt_msg_new_object(NULL, &object, &ops_plain, &m));
    TU_RC(AKT_EINVAL, akt_msg_new_object("", &object, &ops_plain, &m));
    TU_RC(AKT_EINVAL, akt_msg_new_object("t.Obj", &object, NULL, &m));
    static const akt_object_ops no_release = {.size = sizeof(akt_object_ops)};
    TU_RC(AKT_EINVAL, akt_msg_new_object("t.Obj", &object, &no_release, &m));
    char name[260];
    memset(name, 'a', 256);
    name[256] = 0;
    TU_RC(AKT_EINVAL, akt_msg_new_object(name, &object, &ops_plain, &m));
    assert_ptr_equal(m, (akt_msg *)0x1);
    /* Not taken on failure: never released by akt. */
    assert_int_equal(atomic_load(&oc.released), 0);
}

/* An object message released once too often: its ops->release still runs once. */
static void test_object_release_too_many_is_emisuse(void **state) {
    (void)state;
    int object = 3;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", &object, &ops_plain, &m));
    TU_OK(akt_msg_release(m));
    TU_RC(AKT_EMISUSE, akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.released), 1);
}

/* ---- ops structs of older (smaller) sizes --------------------------------------------- */

static atomic_int short_released;
static void *_Atomic short_ops_data;
static void short_release(void *object, void *ops_data) {
    atomic_store(&short_ops_data, ops_data);
    atomic_fetch_add(&short_released, 1);
}
static int short_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                          akt_free_fn *free_fn) {
    atomic_store(&short_ops_data, ops_data);
    *data = serialized;
    *len = 3;
    *free_fn = AKT_BORROW;
    return 0;
}

/* An ops struct exactly n bytes long, as a caller compiled against an older header with
 * fewer fields would pass it: the first n bytes of a full one, in a heap block of n bytes
 * (size says n). */
static const akt_object_ops *short_ops(size_t n) {
    akt_object_ops full = {
        .size = n, .release = short_release, .to_bytes = short_to_bytes, .ops_data = (void *)0x5};
    void *p = malloc(n);
    assert_non_null(p);
    memcpy(p, &full, n);
    return p;
}

/* The caller's struct is exactly as large as its size says: under ASan, a read of a field
 * beyond it is a heap-buffer-overflow. Fields it does not cover count as NULL. */
static void test_object_ops_of_smaller_size(void **state) {
    (void)state;
    int object = 5;
    akt_msg *m = NULL;
    atomic_store(&short_released, 0);

    /* size + release only: no to_bytes (AKT_ENOTSUP), release gets NULL ops_data. */
    size_t n1 = offsetof(akt_object_ops, to_bytes);
    const akt_object_ops *o1 = short_ops(n1);
    TU_OK(akt_msg_new_object("t.Short", &object, o1, &m));
    const void *data = NULL;
    size_t len = 0;
    TU_RC(AKT_ENOTSUP, akt_msg_bytes(m, &data, &len));
    void *got = NULL;
    TU_OK(akt_msg_object(m, o1, &got)); /* the caller's pointer is still the owner tag */
    assert_ptr_equal(got, &object);
    atomic_store(&short_ops_data, (void *)0x1);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&short_released), 1);
    assert_null(atomic_load(&short_ops_data));
    free((void *)o1);

    /* size + release + to_bytes: to_bytes runs, with NULL ops_data. */
    size_t n2 = offsetof(akt_object_ops, ops_data);
    const akt_object_ops *o2 = short_ops(n2);
    TU_OK(akt_msg_new_object("t.Short", &object, o2, &m));
    atomic_store(&short_ops_data, (void *)0x1);
    TU_OK(akt_msg_bytes(m, &data, &len));
    assert_int_equal(len, 3);
    assert_memory_equal(data, serialized, 3);
    assert_null(atomic_load(&short_ops_data));
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&short_released), 2);
    free((void *)o2);

    /* Too small to hold release: refused. */
    const akt_object_ops *o3 = short_ops(sizeof(size_t));
    m = (akt_msg *)0x1;
    TU_RC(AKT_EINVAL, akt_msg_new_object("t.Short", &object, o3, &m));
    free((void *)o3);
    size_t zero = 0;
    o3 = malloc(sizeof zero);
    assert_non_null(o3);
    memcpy((void *)o3, &zero, sizeof zero);
    TU_RC(AKT_EINVAL, akt_msg_new_object("t.Short", &object, o3, &m));
    assert_ptr_equal(m, (akt_msg *)0x1);
    free((void *)o3);
    assert_int_equal(atomic_load(&short_released), 2);
}

/* ---- references across threads ---------------------------------------------------------- */

#define REF_THREADS 4
#define REF_ROUNDS 20000

static void *retain_release_loop(void *arg) {
    akt_msg *m = arg;
    for (int i = 0; i < REF_ROUNDS; i++) {
        TU_CB_RC(0, akt_msg_retain(m));
        TU_CB_RC(0, akt_msg_release(m));
    }
    for (int i = 0; i < REF_ROUNDS; i++) TU_CB_RC(0, akt_msg_retain(m));
    for (int i = 0; i < REF_ROUNDS; i++) TU_CB_RC(0, akt_msg_release(m));
    return NULL;
}

static void test_refcount_is_thread_safe(void **state) {
    (void)state;
    static char data[] = "shared";
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Shared", data, sizeof data, count_free, &m));
    pthread_t th[REF_THREADS];
    for (int i = 0; i < REF_THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, retain_release_loop, m), 0);
    for (int i = 0; i < REF_THREADS; i++) pthread_join(th[i], NULL);
    assert_int_equal(atomic_load(&freed), 0);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&freed), 1);
}

static pthread_t release_thread;
static atomic_int destructor_on_release_thread;
static void free_check_thread(void *p) {
    (void)p;
    atomic_store(&destructor_on_release_thread, pthread_equal(pthread_self(), release_thread));
    atomic_fetch_add(&freed, 1);
}
static void *release_it(void *arg) {
    akt_msg_release(arg);
    return NULL;
}

static void test_destructor_runs_on_releasing_thread(void **state) {
    (void)state;
    static char data[] = "x";
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Thread", data, 1, free_check_thread, &m));
    assert_int_equal(pthread_create(&release_thread, NULL, release_it, m), 0);
    pthread_join(release_thread, NULL);
    assert_int_equal(atomic_load(&freed), 1);
    assert_true(atomic_load(&destructor_on_release_thread));
}

/* ---- to_bytes raced by several threads: still once --------------------------------- */

static const void *_Atomic race_data[REF_THREADS];
static void *bytes_of(void *arg) {
    akt_msg *m = arg;
    const void *d = NULL;
    size_t l = 0;
    TU_CB_RC(0, akt_msg_bytes(m, &d, &l));
    static atomic_int slot;
    atomic_store(&race_data[atomic_fetch_add(&slot, 1) % REF_THREADS], d);
    return NULL;
}

static void test_object_to_bytes_from_many_threads_once(void **state) {
    (void)state;
    int object = 1;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", &object, &ops_bytes, &m));
    pthread_t th[REF_THREADS];
    for (int i = 0; i < REF_THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, bytes_of, m), 0);
    for (int i = 0; i < REF_THREADS; i++) pthread_join(th[i], NULL);
    assert_int_equal(atomic_load(&oc.to_bytes), 1);
    for (int i = 1; i < REF_THREADS; i++)
        assert_ptr_equal(atomic_load(&race_data[i]), atomic_load(&race_data[0]));
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.bytes_freed), 1);
}

/* ---- to_bytes running on one thread while another asks: it waits, asleep ------------------- */

static tu_gate bytes_gate;
static int gated_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                          akt_free_fn *free_fn) {
    tu_gate_wait(&bytes_gate);
    return obj_to_bytes(object, ops_data, data, len, free_fn) == 0 ? 0 : AKT_EFAILED;
}
static const akt_object_ops ops_gated = {.size = sizeof(akt_object_ops),
                                         .release = obj_release,
                                         .to_bytes = gated_to_bytes,
                                         .ops_data = &oc};

typedef struct bytes_reader {
    akt_msg *msg;
    atomic_long tid;
    atomic_int done;
    int rc;
    const void *data;
    size_t len;
} bytes_reader;

static void *bytes_reader_main(void *arg) {
    bytes_reader *r = arg;
    atomic_store(&r->tid, (long)syscall(SYS_gettid));
    r->rc = akt_msg_bytes(r->msg, &r->data, &r->len);
    atomic_store(&r->done, 1); /* publishes rc, data, len */
    return NULL;
}

/* The scheduler state of a thread of this process ('R' running/runnable, 'S' asleep). */
static char thread_state(long tid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid);
    FILE *f = fopen(path, "r");
    if (!f) return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the name in parentheses may contain anything */
    return p && p[1] == ' ' ? p[2] : '?';
}

static int64_t thread_cpu_ns(pthread_t th) {
    clockid_t cid;
    struct timespec ts;
    if (pthread_getcpuclockid(th, &cid) != 0 || clock_gettime(cid, &ts) != 0) return -1;
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void test_object_bytes_waits_asleep_for_the_encoder(void **state) {
    (void)state;
    tu_gate_init(&bytes_gate);
    int object = 1;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Gated", &object, &ops_gated, &m));
    static bytes_reader enc, rd;
    memset(&enc, 0, sizeof enc);
    memset(&rd, 0, sizeof rd);
    enc.msg = rd.msg = m;
    pthread_t te, tr;
    assert_int_equal(pthread_create(&te, NULL, bytes_reader_main, &enc), 0);
    tu_gate_await_waiters(&bytes_gate, 1); /* the encoder is inside to_bytes */
    assert_int_equal(pthread_create(&tr, NULL, bytes_reader_main, &rd), 0);
    TU_EVENTUALLY(atomic_load(&rd.tid) != 0);
    /* The second reader must sleep (a futex wait), not spin: a spinning thread is always
     * runnable ('R'), and burns its CPU time while the encoder waits. */
    int64_t dl = tu_now_ns() + TU_SEC(5);
    while (thread_state(atomic_load(&rd.tid)) != 'S') {
        if (tu_now_ns() > dl) {
            tu_gate_open(&bytes_gate);
            fail_msg("the reader never went to sleep while to_bytes ran elsewhere (state %c)",
                     thread_state(atomic_load(&rd.tid)));
        }
        tu_sleep_ms(1);
    }
    int64_t cpu0 = thread_cpu_ns(tr);
    tu_sleep_ms(200);
    int64_t cpu1 = thread_cpu_ns(tr);
    assert_true(cpu0 >= 0 && cpu1 >= 0);
    assert_int_equal(thread_state(atomic_load(&rd.tid)), 'S');
    assert_false(atomic_load(&rd.done));
    if (cpu1 - cpu0 > TU_MS(20)) {
        tu_gate_open(&bytes_gate);
        fail_msg("the waiting reader used %lld ms of CPU in 200 ms",
                 (long long)((cpu1 - cpu0) / 1000000));
    }
    tu_gate_open(&bytes_gate);
    pthread_join(te, NULL);
    pthread_join(tr, NULL);
    /* Both get the one result; to_bytes ran once (obj_to_bytes counts it). */
    TU_OK(enc.rc);
    TU_OK(rd.rc);
    assert_ptr_equal(enc.data, rd.data);
    assert_int_equal(rd.len, sizeof serialized - 1);
    assert_memory_equal(rd.data, serialized, rd.len);
    assert_int_equal(atomic_load(&oc.to_bytes), 1);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.bytes_freed), 1);
    tu_gate_destroy(&bytes_gate);
}

/* A to_bytes that asks for the bytes of its own message would wait for itself. */
static akt_msg *_Atomic self_msg;
static atomic_int inner_rc;
static int self_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                         akt_free_fn *free_fn) {
    const void *d = NULL;
    size_t l = 0;
    atomic_store(&inner_rc, akt_msg_bytes(atomic_load(&self_msg), &d, &l));
    return obj_to_bytes(object, ops_data, data, len, free_fn);
}
static const akt_object_ops ops_self = {.size = sizeof(akt_object_ops),
                                        .release = obj_release,
                                        .to_bytes = self_to_bytes,
                                        .ops_data = &oc};

static void test_object_bytes_from_its_own_to_bytes_is_edeadlk(void **state) {
    (void)state;
    int object = 1;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Self", &object, &ops_self, &m));
    atomic_store(&self_msg, m);
    atomic_store(&inner_rc, 1);
    /* On a helper thread, so that a hang is a named failure. */
    static bytes_reader r;
    memset(&r, 0, sizeof r);
    r.msg = m;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, bytes_reader_main, &r), 0);
    TU_EVENTUALLY(atomic_load(&r.done));
    pthread_join(th, NULL);
    TU_RC(AKT_EDEADLK, atomic_load(&inner_rc));
    TU_OK(r.rc);
    assert_int_equal(r.len, sizeof serialized - 1);
    TU_OK(akt_msg_release(m));
}

static void test_msg_pid_of_user_message_is_etype(void **state) {
    (void)state;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.User", "u", 1, AKT_COPY, &m));
    akt_pid p = {12345};
    TU_RC(AKT_ETYPE, akt_msg_pid(m, &p));
    assert_int_equal(p.id, 12345);
    TU_OK(akt_msg_release(m));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        MSG_TEST(test_bytes_copy),
        MSG_TEST(test_bytes_borrow),
        MSG_TEST(test_bytes_empty),
        MSG_TEST(test_bytes_destructor_once_on_last_release),
        MSG_TEST(test_failed_new_keeps_data_with_caller),
        MSG_TEST(test_invalid_type_names),
        MSG_TEST(test_bytes_huge_len_is_rejected),
        MSG_TEST(test_copied_bytes_are_aligned),
        MSG_TEST(test_copied_long_reads_back_in_place),
        MSG_TEST(test_release_too_many_is_emisuse),
        OBJ_TEST(test_object_release_once),
        OBJ_TEST(test_object_wrong_ops_is_etype),
        OBJ_TEST(test_object_without_to_bytes_is_enotsup),
        OBJ_TEST(test_object_to_bytes_once_and_cached),
        OBJ_TEST(test_object_to_bytes_from_many_threads_once),
        OBJ_TEST(test_object_to_bytes_failure),
        OBJ_TEST(test_object_invalid),
        OBJ_TEST(test_object_release_too_many_is_emisuse),
        OBJ_TEST(test_object_ops_of_smaller_size),
        OBJ_TEST(test_object_bytes_waits_asleep_for_the_encoder),
        OBJ_TEST(test_object_bytes_from_its_own_to_bytes_is_edeadlk),
        MSG_TEST(test_refcount_is_thread_safe),
        MSG_TEST(test_destructor_runs_on_releasing_thread),
        MSG_TEST(test_msg_pid_of_user_message_is_etype),
    };
    return cmocka_run_group_tests_name("msg", tests, NULL, NULL);
}
