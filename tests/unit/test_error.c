/* Tests of the error record: formatting with and without an input location. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/error.h"

static void test_error_formats_file_and_line(void **state)
{
    (void)state;
    apsco_error err;
    char buf[256];
    apsco_status st = apsco_error_set(&err, APSCO_ERR_PARSE, "cat.tle", 12, "bad %s", "checksum");
    assert_int_equal(st, APSCO_ERR_PARSE);
    assert_string_equal(apsco_error_format(&err, buf, sizeof buf), "cat.tle:12: bad checksum");
}

static void test_error_formats_without_location(void **state)
{
    (void)state;
    apsco_error err;
    char buf[256];
    apsco_error_set(&err, APSCO_ERR_IO, "x.tle", 0, "cannot open");
    assert_string_equal(apsco_error_format(&err, buf, sizeof buf), "x.tle: cannot open");
    apsco_error_set(&err, APSCO_ERR_ARG, NULL, 0, "step must be positive");
    assert_string_equal(apsco_error_format(&err, buf, sizeof buf), "step must be positive");
}

static void test_error_set_tolerates_null_record(void **state)
{
    (void)state;
    assert_int_equal(apsco_error_set(NULL, APSCO_ERR_VALUE, "f", 1, "x"), APSCO_ERR_VALUE);
    apsco_error_clear(NULL);
}

static void test_error_truncates_long_messages(void **state)
{
    (void)state;
    apsco_error err;
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    apsco_error_set(&err, APSCO_ERR_PARSE, big, 3, "%s", big);
    assert_true(strlen(err.message) < sizeof err.message);
    assert_true(strlen(err.file) < sizeof err.file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_formats_file_and_line),
        cmocka_unit_test(test_error_formats_without_location),
        cmocka_unit_test(test_error_set_tolerates_null_record),
        cmocka_unit_test(test_error_truncates_long_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
