/*
 * Tests of the EOP tables: the IERS finals layout and CelesTrak's CSV from
 * real excerpts (tests/data/eop), interpolation (a leap second included),
 * and malformed records reported with their line, one defect at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/frames.h"
#include "testutil.h"

/* The first record of finals2000A.all (1973-01-02), trailing blanks cut. */
#define FINALS_1                                                                                   \
    "73 1 2 41684.00 I  0.120727 0.009786  0.136963 0.015902  I 0.8084318 0.0002710  0.0000 "      \
    "0.1916  P    -0.766    0.199    -0.720    0.300   .143000   .137000   .8075000   -18.637    " \
    "-3.667"
#define FINALS_2                                                                                   \
    "73 1 3 41685.00 I  0.118974 0.011039  0.135653 0.013616  I 0.8056303 0.0002710  3.5563 "      \
    "0.1916  P    -0.751    0.199    -0.701    0.300   .141000   .134000   .8044000   -18.636    " \
    "-3.571"
#define CSV_HEADER "DATE,MJD,X,Y,UT1-UTC,LOD,DPSI,DEPS,DX,DY,DAT,DATA_TYPE"
#define CSV_1                                                                                      \
    "2017-01-01,57754,0.080549,0.263128,0.5912870,0.0009962,-0.098775,-0.009335,0.000120,-0."      \
    "000168,37,O"
#define CSV_2                                                                                      \
    "2017-01-02,57755,0.080338,0.263580,0.5902172,0.0011525,-0.098837,-0.009264,0.000107,-0."      \
    "000135,37,O"

static apsco_status parse_text(const char *text, apsco_eop *eop, apsco_error *err)
{
    apsco_error_clear(err);
    return apsco_eop_parse(text, strlen(text), "test.eop", eop, err);
}

/* Copies `line` with `text` written over it from 1-based column `col`. */
static const char *patch(const char *line, int col, const char *text)
{
    static char buf[2][256];
    static int which;
    char *b = buf[which++ % 2];
    snprintf(b, 256, "%s", line);
    memcpy(b + col - 1, text, strlen(text));
    return b;
}

/* Parsing `text` fails with `status` at `line`; the table is left empty. */
static void assert_rejected_at(const char *text, apsco_status status, long line, const char *word)
{
    apsco_eop eop = {(apsco_eop_row *)1, 99};
    apsco_error err;
    assert_int_equal(parse_text(text, &eop, &err), status);
    assert_int_equal(err.line, line);
    assert_string_equal(err.file, "test.eop");
    assert_non_null(strstr(err.message, word));
    assert_null(eop.rows);
    assert_int_equal(eop.count, 0);
}

static void test_eop_reads_iers_finals_records(void **state)
{
    (void)state;
    apsco_eop eop;
    apsco_error err;
    assert_int_equal(apsco_eop_load(test_data_path("eop/finals2000A-excerpt.all"), &eop, &err),
                     APSCO_OK);
    /* 5 + 8 + 8 + 3 records with values; the 4 date-only records are skipped. */
    assert_int_equal(eop.count, 24);
    const apsco_eop_row *r = &eop.rows[0];
    assert_near(r->mjd, 41684.0, 0.0);
    assert_near(r->xp_arcsec, 0.120727, 1e-15);
    assert_near(r->yp_arcsec, 0.136963, 1e-15);
    assert_near(r->dut1_s, 0.8084318, 1e-15);
    assert_near(r->lod_ms, 0.0, 0.0);
    assert_int_equal(r->predicted, 0);
    assert_near(eop.rows[6].lod_ms, 0.8162, 1e-15);
    /* 2017-11-16: final values, LOD blank. 2017-11-17: predictions. */
    r = &eop.rows[17];
    assert_near(r->mjd, 58073.0, 0.0);
    assert_near(r->lod_ms, 0.0, 0.0);
    assert_int_equal(r->predicted, 0);
    assert_int_equal(eop.rows[18].predicted, 1);
    r = &eop.rows[23];
    assert_near(r->mjd, 58446.0, 0.0);
    assert_near(r->dut1_s, -0.1164909, 1e-15);
    assert_int_equal(r->predicted, 1);
    apsco_eop_free(&eop);
    assert_null(eop.rows);
    assert_int_equal(eop.count, 0);
}

static void test_eop_reads_celestrak_csv(void **state)
{
    (void)state;
    apsco_eop eop;
    apsco_error err;
    assert_int_equal(apsco_eop_load(test_data_path("eop/EOP-All-excerpt.csv"), &eop, &err),
                     APSCO_OK);
    assert_int_equal(eop.count, 16);
    const apsco_eop_row *r = &eop.rows[0];
    assert_near(r->mjd, 37665.0, 0.0);
    assert_near(r->xp_arcsec, -0.0127, 1e-15);
    assert_near(r->yp_arcsec, 0.213, 1e-15);
    assert_near(r->dut1_s, 0.0326338, 1e-15);
    assert_near(r->lod_ms, 1.723, 1e-12); /* CelesTrak gives seconds */
    assert_int_equal(r->predicted, 0);
    assert_int_equal(eop.rows[15].predicted, 1);
    assert_near(eop.rows[15].lod_ms, -0.1729, 1e-12);
    apsco_eop_free(&eop);
}

static void test_eop_accepts_crlf_bom_and_reordered_columns(void **state)
{
    (void)state;
    apsco_eop eop;
    apsco_error err;
    const char *text = "\xEF\xBB\xBFMJD,UT1-UTC,Y,X\r\n\r\n57754,0.5912870,0.263128,0.080549\r\n";
    assert_int_equal(parse_text(text, &eop, &err), APSCO_OK);
    assert_int_equal(eop.count, 1);
    assert_near(eop.rows[0].xp_arcsec, 0.080549, 1e-15);
    assert_near(eop.rows[0].dut1_s, 0.591287, 1e-15);
    assert_near(eop.rows[0].lod_ms, 0.0, 0.0);
    apsco_eop_free(&eop);
    assert_int_equal(parse_text(FINALS_1 "\r\n" FINALS_2 "\r\n", &eop, &err), APSCO_OK);
    assert_int_equal(eop.count, 2);
    assert_near(eop.rows[1].lod_ms, 3.5563, 1e-15);
    apsco_eop_free(&eop);
}

static void test_eop_interpolates_through_a_leap_second(void **state)
{
    (void)state;
    apsco_eop eop;
    apsco_error err;
    assert_int_equal(apsco_eop_load(test_data_path("eop/finals2000A-excerpt.all"), &eop, &err),
                     APSCO_OK);
    apsco_eop_row row;
    /* At a row: its values. */
    assert_int_equal(
        apsco_eop_interpolate(&eop, apsco_time_from_calendar(2017, 1, 1, 0, 0, 0), &row), 1);
    assert_near(row.dut1_s, 0.5912757, 1e-12);
    assert_near(row.xp_arcsec, 0.080508, 1e-15);
    /* Within the last UTC day of 2016: UT1 - TAI runs on, UT1 - UTC stays near -0.41 s. */
    double u0 = -0.4077686 - 36.0, u1 = 0.5912757 - 37.0;
    for (int s = 0; s < 86400; s += 3599) {
        apsco_time t = apsco_time_from_calendar(2016, 12, 31, 0, 0, s);
        assert_int_equal(apsco_eop_interpolate(&eop, t, &row), 1);
        assert_near(row.dut1_s, u0 + (u1 - u0) * s / 86400.0 + 36.0, 1e-12);
        assert_true(row.dut1_s < -0.40 && row.dut1_s > -0.41);
    }
    /* Polar motion is linear in time. */
    assert_int_equal(
        apsco_eop_interpolate(&eop, apsco_time_from_calendar(2017, 1, 1, 18, 0, 0), &row), 1);
    assert_near(row.xp_arcsec, 0.080508 + (0.080288 - 0.080508) * 0.75, 1e-15);
    assert_near(row.yp_arcsec, 0.263167 + (0.263626 - 0.263167) * 0.75, 1e-15);
    assert_near(row.lod_ms, 1.0311 + (1.1717 - 1.0311) * 0.75, 1e-14);
    double xp, yp, dut1;
    assert_int_equal(
        apsco_eop_at(&eop, apsco_time_from_calendar(2017, 1, 1, 18, 0, 0), &xp, &yp, &dut1), 1);
    assert_near(xp, row.xp_arcsec * M_PI / 648000.0, 1e-20);
    assert_near(yp, row.yp_arcsec * M_PI / 648000.0, 1e-20);
    assert_near(dut1, row.dut1_s, 0.0);
    apsco_eop_free(&eop);
}

static void test_eop_marks_interpolation_with_a_predicted_row(void **state)
{
    (void)state;
    apsco_eop eop;
    apsco_error err;
    assert_int_equal(apsco_eop_load(test_data_path("eop/finals2000A-excerpt.all"), &eop, &err),
                     APSCO_OK);
    apsco_eop_row row;
    apsco_eop_interpolate(&eop, apsco_time_from_calendar(2017, 11, 15, 12, 0, 0), &row);
    assert_int_equal(row.predicted, 0);
    apsco_eop_interpolate(&eop, apsco_time_from_calendar(2017, 11, 16, 12, 0, 0), &row);
    assert_int_equal(row.predicted, 1);
    apsco_eop_free(&eop);
}

static void test_eop_outside_the_table_gives_zeros(void **state)
{
    (void)state;
    apsco_eop eop;
    apsco_error err;
    assert_int_equal(apsco_eop_load(test_data_path("eop/EOP-All-excerpt.csv"), &eop, &err),
                     APSCO_OK);
    apsco_eop_row row;
    double xp = 1, yp = 1, dut1 = 1;
    assert_int_equal(
        apsco_eop_interpolate(&eop, apsco_time_from_calendar(1961, 12, 31, 23, 59, 59), &row), 0);
    assert_near(row.dut1_s, 0.0, 0.0);
    assert_near(row.mjd, 0.0, 0.0);
    assert_int_equal(
        apsco_eop_at(&eop, apsco_time_from_calendar(2026, 7, 6, 0, 0, 0.001), &xp, &yp, &dut1), 0);
    assert_true(xp == 0.0 && yp == 0.0 && dut1 == 0.0);
    assert_int_equal(
        apsco_eop_interpolate(&eop, apsco_time_from_calendar(2026, 7, 6, 0, 0, 0), &row), 1);
    assert_near(row.dut1_s, 0.0643834, 1e-15);
    assert_int_equal(
        apsco_eop_interpolate(NULL, apsco_time_from_calendar(2026, 7, 6, 0, 0, 0), &row), 0);
    apsco_eop_free(&eop);
}

static void test_eop_rejects_malformed_finals_records(void **state)
{
    (void)state;
    char text[1024];
    assert_rejected_at("hello world\n", APSCO_ERR_PARSE, 1, "finals");
    snprintf(text, sizeof text, "%s\n%s\n", FINALS_1, patch(FINALS_2, 21, "1x"));
    assert_rejected_at(text, APSCO_ERR_PARSE, 2, "PM-x");
    snprintf(text, sizeof text, "%s\n%s\n", FINALS_1, patch(FINALS_2, 17, "X"));
    assert_rejected_at(text, APSCO_ERR_PARSE, 2, "flag");
    snprintf(text, sizeof text, "%s\n%s\n", FINALS_1, patch(FINALS_2, 61, "5.5.5"));
    assert_rejected_at(text, APSCO_ERR_PARSE, 2, "UT1-UTC");
    snprintf(text, sizeof text, "%s\n%s\n", FINALS_1, patch(FINALS_2, 80, "  1e3  "));
    assert_rejected_at(text, APSCO_ERR_PARSE, 2, "LOD");
    snprintf(text, sizeof text, "%s\n", patch(FINALS_1, 8, "41685.00"));
    assert_rejected_at(text, APSCO_ERR_VALUE, 1, "does not match");
    snprintf(text, sizeof text, "%s\n%s\n", FINALS_2, FINALS_1);
    assert_rejected_at(text, APSCO_ERR_VALUE, 2, "does not follow");
    snprintf(text, sizeof text, "%s\n%s\n", FINALS_1, FINALS_1);
    assert_rejected_at(text, APSCO_ERR_VALUE, 2, "does not follow");
    snprintf(text, sizeof text, "%s\n", patch(FINALS_1, 58, "           "));
    assert_rejected_at(text, APSCO_ERR_PARSE, 1, "incomplete");
    snprintf(text, sizeof text, "%s\n", patch(FINALS_1, 19, "12.120727"));
    assert_rejected_at(text, APSCO_ERR_VALUE, 1, "polar motion");
    snprintf(text, sizeof text, "%s\n", patch(FINALS_1, 59, "-3.0084318"));
    assert_rejected_at(text, APSCO_ERR_VALUE, 1, "UT1-UTC");
    snprintf(text, sizeof text, "%s    x\n", FINALS_1);
    assert_rejected_at(text, APSCO_ERR_PARSE, 1, "longer");
    assert_rejected_at(FINALS_1 "\n73 1 3 4168\n", APSCO_ERR_PARSE, 2, "short");
}

static void test_eop_rejects_malformed_csv_rows(void **state)
{
    (void)state;
    assert_rejected_at("DATE,MJD,X,Y,LOD\n2017-01-01,57754,0.1,0.2,0.001\n", APSCO_ERR_PARSE, 1,
                       "header");
    assert_rejected_at("MJD,X,Y,UT1-UTC,X\n", APSCO_ERR_PARSE, 1, "repeats");
    assert_rejected_at(CSV_HEADER "\n" CSV_1 "\n2017-01-02,57755,0.08\n", APSCO_ERR_PARSE, 3,
                       "fewer");
    assert_rejected_at(CSV_HEADER "\n" CSV_1 ",9\n", APSCO_ERR_PARSE, 2, "more");
    char text[1024];
    snprintf(text, sizeof text, CSV_HEADER "\n%s\n", patch(CSV_1, 9, "2"));
    assert_rejected_at(text, APSCO_ERR_VALUE, 2, "does not match");
    snprintf(text, sizeof text, CSV_HEADER "\n%s\n", patch(CSV_1, 5, "/"));
    assert_rejected_at(text, APSCO_ERR_PARSE, 2, "DATE");
    snprintf(text, sizeof text, CSV_HEADER "\n%s\n", patch(CSV_1, 18, "x"));
    assert_rejected_at(text, APSCO_ERR_PARSE, 2, "X");
    snprintf(text, sizeof text, CSV_HEADER "\n%s\n", patch(CSV_1, 98, "Q"));
    assert_rejected_at(text, APSCO_ERR_PARSE, 2, "DATA_TYPE");
    assert_rejected_at(CSV_HEADER "\n" CSV_2 "\n" CSV_1 "\n", APSCO_ERR_VALUE, 3,
                       "does not follow");
    assert_rejected_at("MJD,X,Y,UT1-UTC\n99999999,0,0,0\n", APSCO_ERR_VALUE, 2, "outside");
    assert_rejected_at("MJD,X,Y,UT1-UTC\n57754,0,0,nan\n", APSCO_ERR_PARSE, 2, "UT1-UTC");
    assert_rejected_at("MJD,X,Y,UT1-UTC,LOD\n57754,0,0,0,0.02\n", APSCO_ERR_VALUE, 2, "LOD");
}

static void test_eop_reports_empty_input_and_formats_errors(void **state)
{
    (void)state;
    apsco_eop eop;
    apsco_error err;
    assert_int_equal(parse_text("", &eop, &err), APSCO_ERR_EMPTY);
    assert_int_equal(parse_text("\n \n", &eop, &err), APSCO_ERR_EMPTY);
    assert_int_equal(parse_text(CSV_HEADER "\n", &eop, &err), APSCO_ERR_EMPTY);
    assert_int_equal(parse_text("181125 58447.00\n181126 58448.00\n", &eop, &err), APSCO_ERR_EMPTY);
    assert_int_equal(apsco_eop_parse(NULL, 3, "x", &eop, &err), APSCO_ERR_ARG);
    assert_int_equal(apsco_eop_parse("", 0, "x", NULL, &err), APSCO_ERR_ARG);
    char buf[600];
    assert_int_equal(parse_text(FINALS_1 "\nnonsense\n", &eop, &err), APSCO_ERR_PARSE);
    apsco_error_format(&err, buf, sizeof buf);
    assert_true(strncmp(buf, "test.eop:2: ", 12) == 0);
    assert_int_equal(apsco_eop_load("/nonexistent/finals2000A.all", &eop, &err), APSCO_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/finals2000A.all");
}

static void test_eop_rejects_binary_junk_without_reading_past_its_length(void **state)
{
    (void)state;
    apsco_eop eop;
    apsco_error err;
    /* A record cut inside its MJD, with no NUL after it. */
    char *cut = malloc(12);
    memcpy(cut, FINALS_1, 12);
    assert_int_equal(apsco_eop_parse(cut, 12, "cut", &eop, &err), APSCO_ERR_PARSE);
    free(cut);
    const char junk[] = "73 1 2 41684.00 I\0 0.12\n\xff\xfe,\x01";
    assert_int_equal(apsco_eop_parse(junk, sizeof junk - 1, "junk", &eop, &err), APSCO_ERR_PARSE);
    assert_null(eop.rows);
}

static void test_eop_limits_the_number_of_rows(void **state)
{
    (void)state;
    size_t cap = 32 + (APSCO_EOP_ROWS_MAX + 1) * 24;
    char *text = malloc(cap);
    size_t n = (size_t)snprintf(text, cap, "MJD,X,Y,UT1-UTC\n");
    for (size_t i = 0; i < APSCO_EOP_ROWS_MAX; i++)
        n += (size_t)snprintf(text + n, cap - n, "%.2f,0,0,0\n", 20000.0 + (double)i * 0.01);
    apsco_eop eop;
    apsco_error err;
    assert_int_equal(apsco_eop_parse(text, n, "big.csv", &eop, &err), APSCO_OK);
    assert_int_equal(eop.count, APSCO_EOP_ROWS_MAX);
    apsco_eop_free(&eop);
    n += (size_t)snprintf(text + n, cap - n, "99999.00,0,0,0\n");
    assert_int_equal(apsco_eop_parse(text, n, "big.csv", &eop, &err), APSCO_ERR_LIMIT);
    assert_int_equal(err.line, APSCO_EOP_ROWS_MAX + 2);
    assert_null(eop.rows);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eop_reads_iers_finals_records),
        cmocka_unit_test(test_eop_reads_celestrak_csv),
        cmocka_unit_test(test_eop_accepts_crlf_bom_and_reordered_columns),
        cmocka_unit_test(test_eop_interpolates_through_a_leap_second),
        cmocka_unit_test(test_eop_marks_interpolation_with_a_predicted_row),
        cmocka_unit_test(test_eop_outside_the_table_gives_zeros),
        cmocka_unit_test(test_eop_rejects_malformed_finals_records),
        cmocka_unit_test(test_eop_rejects_malformed_csv_rows),
        cmocka_unit_test(test_eop_reports_empty_input_and_formats_errors),
        cmocka_unit_test(test_eop_rejects_binary_junk_without_reading_past_its_length),
        cmocka_unit_test(test_eop_limits_the_number_of_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
