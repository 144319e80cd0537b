/*
 * Tests of the CSV encoding of CCSDS OMM: CelesTrak's header row in any
 * column order with extra columns, RFC 4180 quoting (commas, quotes and line
 * breaks inside fields), header problems that make the input unreadable, and
 * malformed rows reported at the line where they start.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "omm_test.h"
#include "testutil.h"

#define CELESTRAK_HEADER                                                                           \
    "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,"             \
    "ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,"              \
    "ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT\r\n"
#define ISS_ROW                                                                                    \
    "ISS (ZARYA),1998-067A,2026-03-19T03:06:36.144000,15.48370465,.0006229,51.6344,25.6919,"       \
    "207.4819,152.5840,0,U,25544,999,55779,.17698E-3,.00009105,0\r\n"

static apsco_status parse_csv(const char *text, int strict, apsco_catalog *cat, diag_log *log,
                              apsco_error *err)
{
    return parse_text(APSCO_FORMAT_OMM_CSV, strict, text, strlen(text), "gp.csv", cat, log, err);
}

static void test_omm_csv_reads_columns_in_any_order_and_ignores_extra_ones(void **state)
{
    (void)state;
    const char *text =
        "\xEF\xBB\xBF"
        "DECAY_DATE,NORAD_CAT_ID,\"MEAN_MOTION\",OBJECT_NAME,EPOCH,ECCENTRICITY,INCLINATION,"
        "RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT,"
        "RCS_SIZE\n"
        ",25544,15.48370465,\"ISS, \"\"ZARYA\"\"\",2026-03-19T03:06:36.144000,.0006229,51.6344,"
        "25.6919,207.4819,152.5840,.17698E-3,.00009105,0,LARGE\n"
        "\n"
        "2030-01-01,25544,15.48370465,\"TWO\nLINES\",2026-03-19T03:06:36.144000,.0006229,"
        "51.6344,25.6919,207.4819,152.5840,.17698E-3,.00009105,0,\n"
        "\"\",\"25544\", 15.48370465 ,LAST,2026-03-19T03:06:36.144000,.0006229,51.6344,25.6919,"
        "207.4819,152.5840,.17698E-3,.00009105,0,\"\"";
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_csv(text, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 2);
    assert_int_equal(log.count, 1);
    assert_string_equal(cat.items[0].name, "ISS, \"ZARYA\"");
    assert_int_equal(cat.items[0].source_line, 2);
    assert_int_equal(cat.items[0].element_set_no, 0);
    /* A name with a line break is not a name; the row after it is on line 6. */
    assert_diag(&log, 0, "gp.csv", 4, APSCO_ERR_PARSE, "OBJECT_NAME contains control characters");
    assert_string_equal(cat.items[1].name, "LAST");
    assert_int_equal(cat.items[1].source_line, 6);
    assert_true(cat.items[1].mean_motion_rad_min == cat.items[0].mean_motion_rad_min);
    apsco_catalog_free(&cat);
}

static void test_omm_csv_header_without_a_mandatory_column_is_fatal(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text =
        "\n\nOBJECT_NAME,NORAD_CAT_ID,EPOCH,MEAN_MOTION\nISS,25544,2026-03-19,15.5\n";
    assert_int_equal(parse_csv(text, 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "CSV header has no column ECCENTRICITY, INCLINATION, "
                                        "RA_OF_ASC_NODE, ARG_OF_PERICENTER, MEAN_ANOMALY, BSTAR"));
    /* A TLE read as CSV has no header. */
    const char *tle =
        "ISS (ZARYA)\n1 25544U 98067A   26078.12958500  .00009105  00000+0  17698-3 0  "
        "9991\n";
    assert_int_equal(parse_csv(tle, 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(cat.count, 0);
    apsco_catalog_free(&cat);
}

static void test_omm_csv_header_naming_a_column_twice_is_fatal(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text = "BSTAR," CELESTRAK_HEADER ISS_ROW;
    assert_int_equal(parse_csv(text, 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "CSV header names BSTAR twice (columns 1 and 16)"));
    apsco_catalog_free(&cat);
}

static void test_omm_csv_skips_rows_with_a_wrong_field_count_or_bad_quotes(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text = CELESTRAK_HEADER ISS_ROW
        "ISS (ZARYA),1998-067A,2026-03-19T03:06:36.144000,15.48370465,.0006229\r\n" /* line 3 */
        "ISS (ZARYA),1998-067A,2026-03-19T03:06:36.144000,15.48370465,.0006229,51.6344,25.6919,"
        "207.4819,152.5840,0,U,25544,999,55779,.17698E-3,.00009105,0,EXTRA\r\n" /* line 4 */
        "\"ISS\" (ZARYA),1998-067A,2026-03-19T03:06:36.144000,15.48370465,.0006229,51.6344,"
        "25.6919,207.4819,152.5840,0,U,25544,999,55779,.17698E-3,.00009105,0\r\n" /* line 5 */
        ISS_ROW                                                                   /* line 6 */
        "\"ISS (ZARYA),1998-067A\r\n";                                            /* line 7 */
    assert_int_equal(parse_csv(text, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 2);
    assert_int_equal(cat.items[1].source_line, 6);
    assert_int_equal(log.count, 4);
    assert_diag(&log, 0, "gp.csv", 3, APSCO_ERR_PARSE, "row has 5 fields, the header 17");
    assert_diag(&log, 1, "gp.csv", 4, APSCO_ERR_PARSE, "row has 18 fields, the header 17");
    assert_diag(&log, 2, "gp.csv", 5, APSCO_ERR_PARSE, "column 1: unbalanced quotes");
    assert_diag(&log, 3, "gp.csv", 7, APSCO_ERR_PARSE, "column 1: unbalanced quotes");
    assert_int_equal(parse_csv(text, 1, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(cat.count, 2);
    apsco_catalog_free(&cat);
}

static void test_omm_csv_with_only_a_header_has_no_element_set(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_csv(CELESTRAK_HEADER "\r\n\r\n", 0, &cat, &log, &err), APSCO_ERR_EMPTY);
    assert_int_equal(parse_csv("", 0, &cat, &log, &err), APSCO_ERR_EMPTY);
    assert_int_equal(cat.count, 0);
    apsco_catalog_free(&cat);
}

static void test_omm_csv_survives_huge_headers_and_cells(void **state)
{
    (void)state;
    size_t n = 1 << 20;
    char *text = malloc(3 * n + sizeof CELESTRAK_HEADER + sizeof ISS_ROW);
    assert_non_null(text);
    /* A 1 MiB header cell, a header of 500 000 empty columns, then a 1 MiB name. */
    memset(text, 'A', n);
    memset(text + n, ',', n / 2);
    size_t len = n + n / 2;
    memcpy(text + len, CELESTRAK_HEADER, sizeof CELESTRAK_HEADER - 1);
    len += sizeof CELESTRAK_HEADER - 1;
    memset(text + len, ',', n / 2);
    len += n / 2;
    memset(text + len, 'N', n);
    len += n;
    memcpy(text + len, ISS_ROW, sizeof ISS_ROW);
    len += sizeof ISS_ROW - 1;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_text(APSCO_FORMAT_OMM_CSV, 0, text, len, "big.csv", &cat, &log, &err),
                     APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(strlen(cat.items[0].name), APSCO_NAME_MAX - 1);
    apsco_catalog_free(&cat);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_omm_csv_reads_columns_in_any_order_and_ignores_extra_ones),
        cmocka_unit_test(test_omm_csv_header_without_a_mandatory_column_is_fatal),
        cmocka_unit_test(test_omm_csv_header_naming_a_column_twice_is_fatal),
        cmocka_unit_test(test_omm_csv_skips_rows_with_a_wrong_field_count_or_bad_quotes),
        cmocka_unit_test(test_omm_csv_with_only_a_header_has_no_element_set),
        cmocka_unit_test(test_omm_csv_survives_huge_headers_and_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
