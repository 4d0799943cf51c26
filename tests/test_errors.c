/* test_errors: error codes, their names and descriptions, and the version functions. */
#include "tu.h"

#include <stdio.h>
#include <string.h>

#define CODE(c) \
    { c, #c }
static const struct {
    int code;
    const char *name;
} codes[] = {
    CODE(AKT_EINVAL),    CODE(AKT_ENOMEM),    CODE(AKT_ENOTFOUND),  CODE(AKT_ESTOPPED),
    CODE(AKT_ETIMEDOUT), CODE(AKT_ECANCELED), CODE(AKT_EEXIST),     CODE(AKT_EFULL),
    CODE(AKT_EMISUSE),   CODE(AKT_ECLOSED),   CODE(AKT_EUNHANDLED), CODE(AKT_EFAILED),
    CODE(AKT_EAGAIN),    CODE(AKT_ENOTSUP),   CODE(AKT_ETYPE),      CODE(AKT_EDEADLK),
    CODE(AKT_ERANGE),    CODE(AKT_EBUSY),
};
#define NCODES (sizeof codes / sizeof codes[0])

/* The values are part of the ABI: a renumbering breaks every binding. */
static void test_codes_have_abi_values(void **state) {
    (void)state;
    assert_int_equal(AKT_OK, 0);
    for (size_t i = 0; i < NCODES; i++) {
        if (codes[i].code != -(int)(i + 1))
            fail_msg("%s is %d, the ABI says %d", codes[i].name, codes[i].code, -(int)(i + 1));
    }
}

static void test_every_code_has_its_own_name(void **state) {
    (void)state;
    for (size_t i = 0; i < NCODES; i++) {
        const char *n = akt_err_name(codes[i].code);
        assert_non_null(n);
        if (strcmp(n, codes[i].name) != 0)
            fail_msg("akt_err_name(%d) = \"%s\", expected \"%s\"", codes[i].code, n, codes[i].name);
        for (size_t j = 0; j < i; j++) assert_string_not_equal(n, akt_err_name(codes[j].code));
    }
}

static void test_every_code_has_its_own_description(void **state) {
    (void)state;
    const char *unknown = akt_strerror(-12345);
    assert_non_null(unknown);
    for (size_t i = 0; i < NCODES; i++) {
        const char *s = akt_strerror(codes[i].code);
        assert_non_null(s);
        if (strlen(s) == 0 || strcmp(s, unknown) == 0 || strcmp(s, "unknown error") == 0)
            fail_msg("akt_strerror(%s) = \"%s\" is not a description", codes[i].name, s);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s, akt_strerror(codes[j].code)) == 0)
                fail_msg("%s and %s share the description \"%s\"", codes[i].name, codes[j].name, s);
        }
    }
}

static void test_success_is_described(void **state) {
    (void)state;
    const char *s = akt_strerror(AKT_OK);
    assert_non_null(s);
    assert_string_not_equal(s, "unknown error");
    assert_non_null(akt_err_name(AKT_OK));
}

static void test_unknown_codes(void **state) {
    (void)state;
    const int unknown[] = {-22, -1000, 1, 42, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_string_equal(akt_strerror(unknown[i]), "unknown error");
        assert_string_equal(akt_err_name(unknown[i]), "AKT_E?");
    }
}

static void test_version_agrees_with_macros(void **state) {
    (void)state;
    assert_int_equal(akt_version(), (unsigned)AKT_VERSION_HEX);
    assert_int_equal(AKT_VERSION_HEX,
                     (AKT_VERSION_MAJOR << 16) | (AKT_VERSION_MINOR << 8) | AKT_VERSION_PATCH);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", AKT_VERSION_MAJOR, AKT_VERSION_MINOR,
             AKT_VERSION_PATCH);
    assert_non_null(akt_version_string());
    assert_string_equal(akt_version_string(), want);
    /* Static storage: the same pointer every time. */
    assert_ptr_equal(akt_version_string(), akt_version_string());
}

int main(void) {
    const struct CMUnitTest tests[] = {
        TU_TEST(test_codes_have_abi_values),
        TU_TEST(test_every_code_has_its_own_name),
        TU_TEST(test_every_code_has_its_own_description),
        TU_TEST(test_success_is_described),
        TU_TEST(test_unknown_codes),
        TU_TEST(test_version_agrees_with_macros),
    };
    return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
