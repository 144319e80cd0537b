/*
 * Tests of the TLE / 3LE parser: the column layout, Alpha-5 catalog numbers,
 * checksums as warnings, strict mode, and every kind of malformed record
 * reported with its line and skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/elements.h"
#include "testutil.h"

/* ISS (ZARYA) from CelesTrak's active catalog of 2026-03-19. */
#define ISS_NAME "ISS (ZARYA)"
#define ISS_L1   "1 25544U 98067A   26078.12958500  .00009105  00000+0  17698-3 0  9991"
#define ISS_L2   "2 25544  51.6344  25.6919 0006229 207.4819 152.5840 15.48370465557798"

typedef struct diag_log {
    int count, warnings;
    long lines[16];
    char last[512];
} diag_log;

static void record_diag(void *ctx, apsco_severity severity, const apsco_error *diag)
{
    diag_log *log = ctx;
    if (log->count < 16)
        log->lines[log->count] = diag->line;
    log->count++;
    log->warnings += severity == APSCO_WARNING;
    snprintf(log->last, sizeof log->last, "%s", diag->message);
}

/* Parses `text` leniently, recording diagnostics. */
static apsco_status parse(const char *text, apsco_catalog *cat, diag_log *log, apsco_error *err)
{
    apsco_parse_options o = {APSCO_FORMAT_AUTO, 0, record_diag, log};
    memset(log, 0, sizeof *log);
    return apsco_catalog_parse(text, strlen(text), "test.tle", &o, cat, err);
}

/* Parses `len` bytes leniently; returns how many records were read. */
static size_t parse_n_ok(const char *text, size_t len, apsco_catalog *cat, diag_log *log)
{
    apsco_parse_options o = {APSCO_FORMAT_TLE, 0, record_diag, log};
    apsco_error err;
    memset(log, 0, sizeof *log);
    apsco_catalog_parse(text, len, "junk.bin", &o, cat, &err);
    return cat->count;
}

/* Copies `line` with columns replaced at `col` (1-based) and the checksum recomputed. */
static const char *patch(const char *line, int col, const char *text)
{
    static char buf[2][128];
    static int which;
    char *b = buf[which++ % 2];
    snprintf(b, 128, "%s", line);
    memcpy(b + col - 1, text, strlen(text));
    b[68] = (char)('0' + apsco_tle_checksum(b));
    return b;
}

static void test_tle_parses_three_line_element_set(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse(ISS_NAME "\n" ISS_L1 "\n" ISS_L2 "\n", &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(log.count, 0);
    const apsco_elset *e = &cat.items[0];
    assert_int_equal(e->norad, 25544);
    assert_string_equal(e->name, "ISS (ZARYA)");
    assert_string_equal(e->intldes, "98067A");
    assert_int_equal(e->classification, 'U');
    assert_int_equal(e->epoch_year, 2026);
    assert_true(e->epoch_day == 78.129585);
    assert_int_equal(e->element_set_no, 999);
    assert_int_equal(e->rev_at_epoch, 55779);
    assert_int_equal(e->source_line, 1);
    /* Conversions of the reference: rev/day -> rad/min, degrees -> radians. */
    assert_true(e->mean_motion_rad_min == 15.48370465 / (1440.0 / (2.0 * M_PI)));
    assert_true(e->incl_rad == 51.6344 * (M_PI / 180.0));
    assert_true(e->ecc == 0.0006229);
    assert_true(e->bstar_per_er == 0.17698 * 1e-3);
    assert_true(e->ndot_rad_min2 == 0.00009105 / ((1440.0 / (2.0 * M_PI)) * 1440.0));
    /* 2026 day 78.129585 = 2026-03-19 03:06:36.144 UTC. */
    char iso[40];
    apsco_time_format_iso(e->epoch, 3, iso, sizeof iso);
    assert_string_equal(iso, "2026-03-19T03:06:36.144Z");
    apsco_catalog_free(&cat);
}

static void test_tle_parses_two_line_sets_celestrak_names_and_crlf(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text = ISS_L1 "\r\n" ISS_L2 "\r\n"
                              "0 ISS COPY\r\n" ISS_L1 "\r\n" ISS_L2 "\r\n";
    assert_int_equal(parse(text, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 2);
    assert_string_equal(cat.items[0].name, "");
    assert_string_equal(cat.items[1].name, "ISS COPY");
    assert_int_equal(cat.items[1].source_line, 3);
    apsco_catalog_free(&cat);
}

static void test_tle_ignores_text_after_column_69(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text = ISS_L1 "   extra words\n" ISS_L2 "      0.0      4320.0        360.00\n";
    assert_int_equal(parse(text, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(log.count, 0);
    apsco_catalog_free(&cat);
}

static void test_tle_decodes_and_encodes_alpha5(void **state)
{
    (void)state;
    long n;
    char out[6];
    assert_int_equal(apsco_alpha5_decode("A0000", &n), APSCO_OK);
    assert_int_equal(n, 100000);
    assert_int_equal(apsco_alpha5_decode("H9999", &n), APSCO_OK);
    assert_int_equal(n, 179999);
    assert_int_equal(apsco_alpha5_decode("J0000", &n), APSCO_OK);
    assert_int_equal(n, 180000);
    assert_int_equal(apsco_alpha5_decode("P1234", &n), APSCO_OK);
    assert_int_equal(n, 231234);
    assert_int_equal(apsco_alpha5_decode("Z9999", &n), APSCO_OK);
    assert_int_equal(n, 339999);
    assert_int_equal(apsco_alpha5_decode("00005", &n), APSCO_OK);
    assert_int_equal(n, 5);
    assert_int_equal(apsco_alpha5_decode("    5", &n), APSCO_OK);
    assert_int_equal(n, 5);
    assert_int_equal(apsco_alpha5_decode("I0000", &n), APSCO_ERR_PARSE);
    assert_int_equal(apsco_alpha5_decode("O1234", &n), APSCO_ERR_PARSE);
    assert_int_equal(apsco_alpha5_decode("a1234", &n), APSCO_ERR_PARSE);
    assert_int_equal(apsco_alpha5_decode("1A234", &n), APSCO_ERR_PARSE);
    for (long k = 0; k <= 339999; k += 7) {
        assert_int_equal(apsco_alpha5_encode(k, out), APSCO_OK);
        assert_int_equal(apsco_alpha5_decode(out, &n), APSCO_OK);
        assert_int_equal(n, k);
    }
    assert_int_equal(apsco_alpha5_encode(339999, out), APSCO_OK);
    assert_string_equal(out, "Z9999");
    assert_int_equal(apsco_alpha5_encode(340000, out), APSCO_ERR_VALUE);
}

static void test_norad_parse_takes_digits_or_alpha5_within_the_tle_range(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long norad;
    } good[] = {
        {"0", 0},           {"25544", 25544},   {"A0000", 100000},    {"Z9999", 339999},
        {"339999", 339999}, {"100000", 100000}, {"000025544", 25544}, {"  5", 5},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        long n = -1;
        if (apsco_norad_parse(good[i].text, &n) != APSCO_OK || n != good[i].norad)
            fail_msg("'%s' gave %ld, not %ld", good[i].text, n, good[i].norad);
    }
    static const char *const bad[] = {"",      "340000", "-1",  "+5",     "12a",
                                      "I0000", "a1234",  "1e3", "25544 ", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long n = 42;
        if (apsco_norad_parse(bad[i], &n) != APSCO_ERR_PARSE || n != 42)
            fail_msg("'%s' was taken as %ld", bad[i], n);
    }
}

static void test_tle_reads_alpha5_catalog_numbers_in_both_lines(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    char text[512];
    snprintf(text, sizeof text, "%s\n", patch(ISS_L1, 3, "T1234"));
    snprintf(text + strlen(text), sizeof text - strlen(text), "%s\n", patch(ISS_L2, 3, "T1234"));
    assert_int_equal(parse(text, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(cat.items[0].norad, 271234);
    apsco_catalog_free(&cat);
}

static void test_tle_checksum_mismatch_warns_and_keeps_record(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    char l1[80];
    snprintf(l1, sizeof l1, "%s", ISS_L1);
    l1[68] = '0';
    char text[256];
    snprintf(text, sizeof text, "%s\n%s\n", l1, ISS_L2);
    assert_int_equal(parse(text, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(log.count, 1);
    assert_int_equal(log.warnings, 1);
    assert_int_equal(log.lines[0], 1);
    assert_non_null(strstr(log.last, "checksum"));
    apsco_catalog_free(&cat);
}

static void test_tle_checksum_mismatch_is_fatal_in_strict_mode(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    apsco_error err;
    char l2[80];
    snprintf(l2, sizeof l2, "%s", ISS_L2);
    l2[68] = '1';
    char text[256];
    snprintf(text, sizeof text, "%s\n%s\n%s\n", ISS_NAME, ISS_L1, l2);
    apsco_parse_options o = {APSCO_FORMAT_AUTO, 1, NULL, NULL};
    assert_int_equal(apsco_catalog_parse(text, strlen(text), "s.tle", &o, &cat, &err),
                     APSCO_ERR_PARSE);
    assert_int_equal(cat.count, 0);
    assert_string_equal(err.file, "s.tle");
    assert_int_equal(err.line, 3);
    apsco_catalog_free(&cat);
}

/* One malformed record between two good ones: reported at `line`, skipped. */
static void assert_skipped(const char *bad1, const char *bad2, long line, const char *reason)
{
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    char text[1024];
    snprintf(text, sizeof text, "GOOD\n%s\n%s\nBAD\n%s\n%s\nGOOD\n%s\n%s\n", ISS_L1, ISS_L2, bad1,
             bad2, ISS_L1, ISS_L2);
    assert_int_equal(parse(text, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 2);
    if (log.count != 1 || log.lines[0] != line || !strstr(log.last, reason))
        fail_msg("expected one diagnostic at line %ld containing '%s', got %d (line %ld: %s)", line,
                 reason, log.count, log.lines[0], log.last);
    apsco_catalog_free(&cat);

    /* Strict mode stops at it and leaves the catalog untouched. */
    apsco_parse_options o = {APSCO_FORMAT_AUTO, 1, NULL, NULL};
    assert_int_not_equal(apsco_catalog_parse(text, strlen(text), "test.tle", &o, &cat, &err),
                         APSCO_OK);
    assert_int_equal(cat.count, 0);
    assert_int_equal(err.line, line);
    apsco_catalog_free(&cat);
}

static void test_tle_skips_malformed_records_with_their_line(void **state)
{
    (void)state;
    /* Impossible values. */
    assert_skipped(ISS_L1, patch(ISS_L2, 9, "181.0000"), 6, "inclination");
    assert_skipped(ISS_L1, patch(ISS_L2, 53, "-5.48370465"), 6, "mean motion");
    assert_skipped(ISS_L1, patch(ISS_L2, 53, " 0.00000000"), 6, "mean motion");
    assert_skipped(patch(ISS_L1, 19, "25366.50000000"), ISS_L2, 5, "epoch day");
    assert_skipped(patch(ISS_L1, 19, "24367.00000000"), ISS_L2, 5, "epoch day");
    assert_skipped(patch(ISS_L1, 19, "26000.50000000"), ISS_L2, 5, "epoch day");
    /* Text that is not a number. */
    assert_skipped(ISS_L1, patch(ISS_L2, 53, "        nan"), 6, "mean motion");
    assert_skipped(ISS_L1, patch(ISS_L2, 53, "        inf"), 6, "mean motion");
    assert_skipped(ISS_L1, patch(ISS_L2, 53, "1.548370e+1"), 6, "mean motion");
    assert_skipped(ISS_L1, patch(ISS_L2, 9, "  5x.634"), 6, "misaligned");
    assert_skipped(ISS_L1, patch(ISS_L2, 27, "00x6229"), 6, "eccentricity");
    assert_skipped(patch(ISS_L1, 54, "17698x3"), ISS_L2, 5, "BSTAR");
    assert_skipped(patch(ISS_L1, 8, "X"), ISS_L2, 5, "classification");
    assert_skipped(patch(ISS_L1, 3, "I5544"), ISS_L2, 5, "catalog number");
    /* Catalog numbers of the two lines disagree. */
    assert_skipped(ISS_L1, patch(ISS_L2, 3, "25545"), 6, "differ");
    /* Truncated and misaligned lines. */
    assert_skipped(ISS_L1, "2 25544  51.6344  25.6919 0006229 207.4819", 6, "truncated");
    assert_skipped("1 25544U 98067A  26078.12958500  .00009105  00000+0  17698-3 0  99911", ISS_L2,
                   5, "misaligned");
}

static void test_tle_reports_structural_problems(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    /* Line 1 followed by another record, a lone line 2, and a name with nothing after it. */
    const char *text = ISS_L1 "\n" ISS_NAME "\n" ISS_L1 "\n" ISS_L2 "\n" ISS_L2 "\nORPHAN\n";
    assert_int_equal(parse(text, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(log.count, 3);
    assert_int_equal(log.lines[0], 1);
    assert_int_equal(log.lines[1], 5);
    assert_int_equal(log.lines[2], 6);
    apsco_catalog_free(&cat);
}

static void test_tle_survives_binary_junk_and_over_long_lines(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)((i * 7919u) % 256);
    memcpy(junk + 1000, "\n1 ", 3);
    assert_int_equal(parse_n_ok(junk, sizeof junk, &cat, &log), 0);
    apsco_catalog_free(&cat);
    char big[600 + 200];
    memset(big, 'A', 600);
    snprintf(big + 600, 200, "\n%s\n%s\n", ISS_L1, ISS_L2);
    assert_int_equal(parse(big, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(log.count, 1);
    assert_non_null(strstr(log.last, "over-long"));
    apsco_catalog_free(&cat);
}

static void test_tle_input_without_valid_record_is_an_error(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse("", &cat, &log, &err), APSCO_ERR_EMPTY);
    assert_int_equal(parse("\n\n   \n", &cat, &log, &err), APSCO_ERR_EMPTY);
    assert_int_equal(parse("hello\nworld\n", &cat, &log, &err), APSCO_ERR_EMPTY);
    assert_int_equal(cat.count, 0);
}

static void test_tle_loads_verification_set_with_its_deliberate_errors(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    memset(&log, 0, sizeof log);
    apsco_parse_options o = {APSCO_FORMAT_AUTO, 0, record_diag, &log};
    assert_int_equal(apsco_catalog_load(test_data_path("tle/SGP4-VER.TLE"), &o, &cat, &err),
                     APSCO_OK);
    assert_int_equal(cat.count, 33);
    assert_true(log.count > 0);
    assert_int_equal(log.warnings, log.count);
    o.strict = 1;
    apsco_catalog strict = {0};
    assert_int_equal(apsco_catalog_load(test_data_path("tle/SGP4-VER.TLE"), &o, &strict, &err),
                     APSCO_ERR_PARSE);
    assert_int_equal(strict.count, 0);
    apsco_catalog_free(&strict);
    apsco_catalog_free(&cat);
}

static void test_tle_load_names_missing_file(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    apsco_error err;
    assert_int_equal(apsco_catalog_load("/nonexistent/x.tle", NULL, &cat, &err), APSCO_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/x.tle");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tle_parses_three_line_element_set),
        cmocka_unit_test(test_tle_parses_two_line_sets_celestrak_names_and_crlf),
        cmocka_unit_test(test_tle_ignores_text_after_column_69),
        cmocka_unit_test(test_tle_decodes_and_encodes_alpha5),
        cmocka_unit_test(test_norad_parse_takes_digits_or_alpha5_within_the_tle_range),
        cmocka_unit_test(test_tle_reads_alpha5_catalog_numbers_in_both_lines),
        cmocka_unit_test(test_tle_checksum_mismatch_warns_and_keeps_record),
        cmocka_unit_test(test_tle_checksum_mismatch_is_fatal_in_strict_mode),
        cmocka_unit_test(test_tle_skips_malformed_records_with_their_line),
        cmocka_unit_test(test_tle_reports_structural_problems),
        cmocka_unit_test(test_tle_survives_binary_junk_and_over_long_lines),
        cmocka_unit_test(test_tle_input_without_valid_record_is_an_error),
        cmocka_unit_test(test_tle_loads_verification_set_with_its_deliberate_errors),
        cmocka_unit_test(test_tle_load_names_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
