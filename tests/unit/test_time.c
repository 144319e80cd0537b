/* Tests of UTC instants: ISO-8601 parsing and printing, calendar arithmetic, leap seconds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/time.h"
#include "testutil.h"

static void assert_iso_roundtrip(const char *in, int decimals, const char *expected)
{
    apsco_time t;
    apsco_error err;
    char buf[40];
    assert_int_equal(apsco_time_parse_iso(in, &t, &err), APSCO_OK);
    apsco_time_format_iso(t, decimals, buf, sizeof buf);
    assert_string_equal(buf, expected);
}

static void test_time_parses_and_prints_iso(void **state)
{
    (void)state;
    assert_iso_roundtrip("2026-11-24T03:00:00Z", 0, "2026-11-24T03:00:00Z");
    assert_iso_roundtrip("2026-11-24T03:00:00.123456Z", 6, "2026-11-24T03:00:00.123456Z");
    assert_iso_roundtrip("2026-11-24 03:04", 0, "2026-11-24T03:04:00Z");
    assert_iso_roundtrip("2026-11-24", 3, "2026-11-24T00:00:00.000Z");
    assert_iso_roundtrip("2024-02-29T23:59:59.9996Z", 3, "2024-03-01T00:00:00.000Z");
    assert_iso_roundtrip("1999-12-31T23:59:59.5+00:00", 0, "2000-01-01T00:00:00Z");
    assert_iso_roundtrip("2020-10-13T04:52:48.472320", 6, "2020-10-13T04:52:48.472320Z");
    /* A fraction that rounds up to a whole second carries into the next day. */
    assert_iso_roundtrip("2026-01-01T23:59:59.99999999999999999999Z", 3,
                         "2026-01-02T00:00:00.000Z");
    assert_iso_roundtrip("2026-01-01T00:00:00.123456789Z", 9, "2026-01-01T00:00:00.123456789Z");
}

static void assert_rejected(const char *in, apsco_status expected)
{
    apsco_time t;
    apsco_error err;
    apsco_error_clear(&err);
    assert_int_equal(apsco_time_parse_iso(in, &t, &err), expected);
    assert_true(strlen(err.message) > 0);
}

static void test_time_rejects_impossible_and_malformed_instants(void **state)
{
    (void)state;
    assert_rejected("2026-02-29T00:00:00Z", APSCO_ERR_VALUE);
    assert_rejected("2026-13-01T00:00:00Z", APSCO_ERR_VALUE);
    assert_rejected("2026-04-31", APSCO_ERR_VALUE);
    assert_rejected("2026-01-01T24:00:00Z", APSCO_ERR_VALUE);
    assert_rejected("2026-01-01T12:60:00Z", APSCO_ERR_VALUE);
    assert_rejected("2026-01-01T12:00:60Z", APSCO_ERR_VALUE);
    assert_rejected("2026-01-01T12:00:00+02:00", APSCO_ERR_PARSE);
    assert_rejected("2026-1-01", APSCO_ERR_PARSE);
    assert_rejected("yesterday", APSCO_ERR_PARSE);
    assert_rejected("", APSCO_ERR_PARSE);
    assert_rejected("2026-01-01T12:00:00.Z", APSCO_ERR_PARSE);
    assert_rejected("2026-01-01T12:00:00Zjunk", APSCO_ERR_PARSE);
}

static void test_time_julian_dates_match_known_values(void **state)
{
    (void)state;
    apsco_time t = apsco_time_from_calendar(2000, 1, 1, 12, 0, 0.0);
    assert_true(t.jd == 2451544.5 && t.fr == 0.5);
    t = apsco_time_from_calendar(1949, 12, 31, 0, 0, 0.0);
    assert_true(t.jd == APSCO_JD_1950 && t.fr == 0.0);
    /* TLE epoch 00179.78495062: day 179 of 2000 is June 27. */
    t = apsco_time_from_year_day(2000, 179.78495062);
    apsco_time expected = apsco_time_from_calendar(2000, 6, 27, 0, 0, 0.0);
    assert_true(t.jd == expected.jd);
    assert_true(t.fr == 179.78495062 - 179.0);
}

static void test_time_arithmetic_keeps_microseconds(void **state)
{
    (void)state;
    apsco_time t0 = apsco_time_from_calendar(2026, 3, 19, 0, 0, 0.0);
    apsco_time t = t0;
    for (int i = 0; i < 1440; i++)
        t = apsco_time_add_s(t, 60.0);
    assert_near(apsco_time_diff_s(t, t0), 86400.0, 1e-6);
    assert_near(apsco_time_diff_min(apsco_time_add_min(t0, -1440.0), t0), -1440.0, 1e-9);
    assert_int_equal(apsco_time_compare(t, t0), 1);
    assert_int_equal(apsco_time_compare(t0, t), -1);
    assert_int_equal(apsco_time_compare(t0, t0), 0);
    apsco_calendar c;
    apsco_time_to_calendar(apsco_time_add_s(t0, 3723.25), &c);
    assert_int_equal(c.hour, 1);
    assert_int_equal(c.minute, 2);
    assert_near(c.second, 3.25, 1e-6);
}

static void test_time_leap_seconds_from_erfa(void **state)
{
    (void)state;
    assert_near(apsco_time_tai_minus_utc_s(apsco_time_from_calendar(2026, 3, 19, 0, 0, 0)), 37.0,
                0.0);
    assert_near(apsco_time_tai_minus_utc_s(apsco_time_from_calendar(2000, 1, 1, 0, 0, 0)), 32.0,
                0.0);
    apsco_time utc = apsco_time_from_calendar(2026, 3, 19, 0, 0, 0);
    assert_near(apsco_time_diff_s(apsco_time_utc_to_tt(utc), utc), 69.184, 1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parses_and_prints_iso),
        cmocka_unit_test(test_time_rejects_impossible_and_malformed_instants),
        cmocka_unit_test(test_time_julian_dates_match_known_values),
        cmocka_unit_test(test_time_arithmetic_keeps_microseconds),
        cmocka_unit_test(test_time_leap_seconds_from_erfa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
