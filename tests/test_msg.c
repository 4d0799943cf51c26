/* test_msg: bytes and object messages, destructors, references and type names. */
#include "tu.h"

#include <stdlib.h>
#include <string.h>

/* ---- destructor bookkeeping -------------------------------------------------------- */

static atomic_int freed;
static void *_Atomic freed_ptr;
static void count_free(void *p)
{
    atomic_store(&freed_ptr, p);
    atomic_fetch_add(&freed, 1);
}

static int msg_setup(void **state)
{
    atomic_store(&freed, 0);
    atomic_store(&freed_ptr, NULL);
    return tu_setup(state);
}
#define MSG_TEST(f) cmocka_unit_test_setup_teardown(f, msg_setup, tu_teardown)

static void test_bytes_copy(void **state)
{
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

static void test_bytes_borrow(void **state)
{
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

static void test_bytes_empty(void **state)
{
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

static void test_bytes_destructor_once_on_last_release(void **state)
{
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

static void test_failed_new_keeps_data_with_caller(void **state)
{
    (void)state;
    char buf[4] = "abc";
    akt_msg *m = (akt_msg *)0x1;
    TU_RC(AKT_EINVAL, akt_msg_new_bytes(NULL, buf, 3, count_free, &m));
    TU_RC(AKT_EINVAL, akt_msg_new_bytes("", buf, 3, count_free, &m));
    assert_int_equal(atomic_load(&freed), 0);
    assert_ptr_equal(m, (akt_msg *)0x1); /* out untouched on failure */
}

static void test_invalid_type_names(void **state)
{
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

/* ---- object messages ------------------------------------------------------------------ */

typedef struct obj_counts {
    atomic_int released;
    atomic_int to_bytes;
    atomic_int bytes_freed;
    int to_bytes_rc;
} obj_counts;

static obj_counts oc;
static char serialized[] = "serialized-object";

static void obj_release(void *object, void *ops_data)
{
    TU_CB_CHECK(ops_data == &oc);
    TU_CB_CHECK(object != NULL);
    atomic_fetch_add(&oc.released, 1);
}

static void bytes_free(void *p)
{
    TU_CB_CHECK(p != NULL);
    free(p);
    atomic_fetch_add(&oc.bytes_freed, 1);
}

static int obj_to_bytes(void *object, void *ops_data, void **data, size_t *len,
                        akt_free_fn *free_fn)
{
    atomic_fetch_add(&oc.to_bytes, 1);
    if (oc.to_bytes_rc != 0)
        return oc.to_bytes_rc;
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

static int obj_setup(void **state)
{
    atomic_store(&oc.released, 0);
    atomic_store(&oc.to_bytes, 0);
    atomic_store(&oc.bytes_freed, 0);
    oc.to_bytes_rc = 0;
    return tu_setup(state);
}
#define OBJ_TEST(f) cmocka_unit_test_setup_teardown(f, obj_setup, tu_teardown)

static void test_object_release_once(void **state)
{
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

static void test_object_wrong_ops_is_etype(void **state)
{
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

static void test_object_without_to_bytes_is_enotsup(void **state)
{
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

static void test_object_to_bytes_once_and_cached(void **state)
{
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

static void test_object_to_bytes_failure(void **state)
{
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

static void test_object_invalid(void **state)
{
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

/* ---- references across threads ---------------------------------------------------------- */

#define REF_THREADS 4
#define REF_ROUNDS 20000

static void *retain_release_loop(void *arg)
{
    akt_msg *m = arg;
    for (int i = 0; i < REF_ROUNDS; i++) {
        TU_CB_RC(0, akt_msg_retain(m));
        TU_CB_RC(0, akt_msg_release(m));
    }
    for (int i = 0; i < REF_ROUNDS; i++)
        TU_CB_RC(0, akt_msg_retain(m));
    for (int i = 0; i < REF_ROUNDS; i++)
        TU_CB_RC(0, akt_msg_release(m));
    return NULL;
}

static void test_refcount_is_thread_safe(void **state)
{
    (void)state;
    static char data[] = "shared";
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.Shared", data, sizeof data, count_free, &m));
    pthread_t th[REF_THREADS];
    for (int i = 0; i < REF_THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, retain_release_loop, m), 0);
    for (int i = 0; i < REF_THREADS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(atomic_load(&freed), 0);
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&freed), 1);
}

static pthread_t release_thread;
static atomic_int destructor_on_release_thread;
static void free_check_thread(void *p)
{
    (void)p;
    atomic_store(&destructor_on_release_thread, pthread_equal(pthread_self(), release_thread));
    atomic_fetch_add(&freed, 1);
}
static void *release_it(void *arg)
{
    akt_msg_release(arg);
    return NULL;
}

static void test_destructor_runs_on_releasing_thread(void **state)
{
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
static void *bytes_of(void *arg)
{
    akt_msg *m = arg;
    const void *d = NULL;
    size_t l = 0;
    TU_CB_RC(0, akt_msg_bytes(m, &d, &l));
    static atomic_int slot;
    atomic_store(&race_data[atomic_fetch_add(&slot, 1) % REF_THREADS], d);
    return NULL;
}

static void test_object_to_bytes_from_many_threads_once(void **state)
{
    (void)state;
    int object = 1;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_object("t.Obj", &object, &ops_bytes, &m));
    pthread_t th[REF_THREADS];
    for (int i = 0; i < REF_THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, bytes_of, m), 0);
    for (int i = 0; i < REF_THREADS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(atomic_load(&oc.to_bytes), 1);
    for (int i = 1; i < REF_THREADS; i++)
        assert_ptr_equal(atomic_load(&race_data[i]), atomic_load(&race_data[0]));
    TU_OK(akt_msg_release(m));
    assert_int_equal(atomic_load(&oc.bytes_freed), 1);
}

static void test_msg_pid_of_user_message_is_etype(void **state)
{
    (void)state;
    akt_msg *m = NULL;
    TU_OK(akt_msg_new_bytes("t.User", "u", 1, AKT_COPY, &m));
    akt_pid p = {12345};
    TU_RC(AKT_ETYPE, akt_msg_pid(m, &p));
    assert_int_equal(p.id, 12345);
    TU_OK(akt_msg_release(m));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        MSG_TEST(test_bytes_copy),
        MSG_TEST(test_bytes_borrow),
        MSG_TEST(test_bytes_empty),
        MSG_TEST(test_bytes_destructor_once_on_last_release),
        MSG_TEST(test_failed_new_keeps_data_with_caller),
        MSG_TEST(test_invalid_type_names),
        OBJ_TEST(test_object_release_once),
        OBJ_TEST(test_object_wrong_ops_is_etype),
        OBJ_TEST(test_object_without_to_bytes_is_enotsup),
        OBJ_TEST(test_object_to_bytes_once_and_cached),
        OBJ_TEST(test_object_to_bytes_from_many_threads_once),
        OBJ_TEST(test_object_to_bytes_failure),
        OBJ_TEST(test_object_invalid),
        MSG_TEST(test_refcount_is_thread_safe),
        MSG_TEST(test_destructor_runs_on_releasing_thread),
        MSG_TEST(test_msg_pid_of_user_message_is_etype),
    };
    return cmocka_run_group_tests_name("msg", tests, NULL, NULL);
}
