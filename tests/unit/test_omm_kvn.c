/*
 * Tests of the keyword = value encoding of CCSDS OMM: several messages in
 * one text, COMMENT and blank lines, units in brackets, keywords apsco does
 * not read (USER_DEFINED_*, covariance), and lines that belong to no message
 * or have no keyword.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "omm_test.h"
#include "testutil.h"

/* ISS, CelesTrak 2026-03-19, 19 lines (the version line first). */
#define ISS_KVN                                                                                    \
    "CCSDS_OMM_VERS = 2.0\n"                                                                       \
    "OBJECT_NAME = ISS (ZARYA)\n"                                                                  \
    "OBJECT_ID = 1998-067A\n"                                                                      \
    "EPOCH = 2026-03-19T03:06:36.144000\n"                                                         \
    "MEAN_MOTION = 15.48370465 [rev/day]\n"                                                        \
    "ECCENTRICITY = .0006229\n"                                                                    \
    "INCLINATION = 51.6344 [deg]\n"                                                                \
    "RA_OF_ASC_NODE = 25.6919 [deg]\n"                                                             \
    "ARG_OF_PERICENTER = 207.4819 [deg]\n"                                                         \
    "MEAN_ANOMALY = 152.5840 [deg]\n"                                                              \
    "EPHEMERIS_TYPE = 0\n"                                                                         \
    "CLASSIFICATION_TYPE = U\n"                                                                    \
    "NORAD_CAT_ID = 25544\n"                                                                       \
    "ELEMENT_SET_NO = 999\n"                                                                       \
    "REV_AT_EPOCH = 55779\n"                                                                       \
    "BSTAR = .17698E-3 [1/ER]\n"                                                                   \
    "MEAN_MOTION_DOT = .00009105 [rev/day**2]\n"                                                   \
    "MEAN_MOTION_DDOT = 0 [rev/day**3]\n"                                                          \
    "\n"

static apsco_status parse_kvn(const char *text, int strict, apsco_catalog *cat, diag_log *log,
                              apsco_error *err)
{
    return parse_text(APSCO_FORMAT_OMM_KVN, strict, text, strlen(text), "gp.kvn", cat, log, err);
}

static void test_omm_kvn_reads_concatenated_messages_with_everything_ccsds_allows(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF"
                       "CCSDS_OMM_VERS = 3.0\r\n"
                       "COMMENT  GENERATED VIA SPACE-TRACK.ORG API\r\n"
                       "CREATION_DATE = 2026-03-19T12:00:00\r\n"
                       "ORIGINATOR = 18 SPCS\r\n"
                       "MESSAGE_ID = OMM-1\r\n"
                       "\r\n"
                       "  OBJECT_NAME   =   GAOFEN [1] = A  \r\n"
                       "OBJECT_ID = 2013-018A\r\n"
                       "CENTER_NAME = EARTH\r\n"
                       "REF_FRAME = TEME\r\n"
                       "TIME_SYSTEM = UTC\r\n"
                       "MEAN_ELEMENT_THEORY = SGP/SGP4\r\n"
                       "COMMENT\r\n"
                       "EPOCH = 2026-078T03:06:36.144Z\r\n"
                       "SEMI_MAJOR_AXIS = 7000 [km]\r\n"
                       "MEAN_MOTION = 15.48370465 [ REV/DAY ]\r\n"
                       "ECCENTRICITY = .0006229\r\n"
                       "INCLINATION = 51.6344 [DEG]\r\n"
                       "RA_OF_ASC_NODE = 25.6919\r\n"
                       "ARG_OF_PERICENTER = 207.4819 [deg]\r\n"
                       "MEAN_ANOMALY = 152.5840 [deg]\r\n"
                       "GM = 398600.8 [km**3/s**2]\r\n"
                       "MASS = 420000 [kg]\r\n"
                       "NORAD_CAT_ID = 270001\r\n"
                       "BSTAR = .17698E-3 [1/ER]\r\n"
                       "MEAN_MOTION_DOT = .00009105 [rev/day^2]\r\n"
                       "MEAN_MOTION_DDOT = 0 [rev/day**3]\r\n"
                       "COV_REF_FRAME = TEME\r\n"
                       "CX_X = 3.331349476038534e-04 [km**2]\r\n"
                       "CY_X = 4.618927349220216e-04 [km**2]\r\n"
                       "USER_DEFINED_EARTH_MODEL = WGS-72\r\n" ISS_KVN ISS_KVN;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_kvn(text, 1, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 3);
    const apsco_elset *g = &cat.items[0], *iss = &cat.items[1];
    assert_string_equal(g->name, "GAOFEN [1] = A");
    assert_string_equal(g->intldes, "13018A");
    assert_int_equal(g->norad, 270001);
    assert_int_equal(g->classification, 'U');
    assert_int_equal(g->element_set_no, 0);
    assert_int_equal(g->source_line, 1);
    assert_true(g->epoch_day == iss->epoch_day && g->epoch.fr == iss->epoch.fr);
    assert_true(g->ndot_rad_min2 == iss->ndot_rad_min2 && g->incl_rad == iss->incl_rad);
    assert_int_equal(iss->source_line, 32);
    assert_int_equal(cat.items[2].source_line, 51);
    apsco_catalog_free(&cat);
}

static void test_omm_kvn_reports_text_before_the_first_message_once(void **state)
{
    (void)state;
    const char *text = "COMMENT leading comments are fine\n"
                       "\n"
                       "OBJECT_NAME = ORPHAN\n"
                       "NORAD_CAT_ID = 5\n"
                       "this is not KVN\n" ISS_KVN;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_kvn(text, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(log.count, 1);
    assert_diag(&log, 0, "gp.kvn", 3, APSCO_ERR_PARSE, "before the first CCSDS_OMM_VERS");
    assert_int_equal(cat.items[0].source_line, 6);
    assert_int_equal(parse_kvn(text, 1, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(cat.count, 1);
    apsco_catalog_free(&cat);
}

static void test_omm_kvn_skips_messages_with_lines_that_are_not_keyword_value(void **state)
{
    (void)state;
    const char *text = ISS_KVN "CCSDS_OMM_VERS = 2.0\n"      /* line 20 */
                               "EPOCH 2026-03-19T03:06:36\n" /* line 21 */
                               "\n" ISS_KVN "CCSDS_OMM_VERS = 2.0\n"
                               "= 15.5\n" /* line 43 */
                               "\n" ISS_KVN "CCSDS_OMM_VERS = 2.0\n"
                               "comment lower case\n" /* line 65 */
                               "\n" ISS_KVN;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_kvn(text, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 4);
    assert_int_equal(log.count, 3);
    assert_diag(&log, 0, "gp.kvn", 21, APSCO_ERR_PARSE, "neither KEYWORD = value nor a COMMENT");
    assert_diag(&log, 1, "gp.kvn", 43, APSCO_ERR_PARSE, "neither KEYWORD = value");
    assert_diag(&log, 2, "gp.kvn", 65, APSCO_ERR_PARSE, "neither KEYWORD = value");
    apsco_catalog_free(&cat);
}

static void test_omm_kvn_skips_messages_with_a_keyword_given_twice(void **state)
{
    (void)state;
    const char *text = "CCSDS_OMM_VERS = 2.0\n"
                       "NORAD_CAT_ID = 1\n" ISS_KVN;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    char buf[4096];
    /* The ISS message with its version line removed follows NORAD_CAT_ID = 1. */
    snprintf(buf, sizeof buf, "%s%s", text, ISS_KVN);
    char *second = strstr(buf + 30, "CCSDS_OMM_VERS");
    memcpy(second, "COMMENT       ", 14);
    assert_int_equal(parse_kvn(buf, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(log.count, 1);
    assert_diag(&log, 0, "gp.kvn", 15, APSCO_ERR_PARSE,
                "NORAD_CAT_ID given twice (first on line 2)");
    apsco_catalog_free(&cat);
}

static void test_omm_kvn_refuses_values_in_other_units(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        const char *fragment;
    } cases[] = {
        {"[rev/day]\n", "[rad/s]\n", "MEAN_MOTION: units [rad/s] are not [rev/day]"},
        {"51.6344 [deg]", "0.9012 [rad]", "INCLINATION: units [rad] are not [deg]"},
        {"[1/ER]", "[1/km]", "BSTAR: units [1/km] are not [1/ER]"},
        {"[rev/day**2]", "[rev/day**3]", "MEAN_MOTION_DOT: units [rev/day**3]"},
        {"152.5840 [deg]", "152.5840 deg]", "MEAN_ANOMALY: unbalanced ']'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[2048];
        snprintf(buf, sizeof buf, "%s", ISS_KVN ISS_KVN);
        char *at = strstr(buf + 10, cases[i].from);
        assert_non_null(at);
        char rest[2048];
        snprintf(rest, sizeof rest, "%s", at + strlen(cases[i].from));
        snprintf(at, sizeof buf - (size_t)(at - buf), "%s%s", cases[i].to, rest);
        apsco_catalog cat = {0};
        diag_log log;
        apsco_error err;
        long line = 1;
        for (const char *p = buf; p < at; p++)
            line += *p == '\n';
        assert_int_equal(parse_kvn(buf, 0, &cat, &log, &err), APSCO_OK);
        assert_int_equal(cat.count, 1);
        assert_diag(&log, 0, "gp.kvn", line, APSCO_ERR_PARSE, cases[i].fragment);
        apsco_catalog_free(&cat);
    }
}

static void test_omm_kvn_skips_messages_of_unknown_versions(void **state)
{
    (void)state;
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", ISS_KVN ISS_KVN);
    memcpy(strstr(buf + 10, "CCSDS_OMM_VERS = 2.0"), "CCSDS_OMM_VERS = 9.0", 20);
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_kvn(buf, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_diag(&log, 0, "gp.kvn", 20, APSCO_ERR_PARSE,
                "CCSDS_OMM_VERS '9.0' is not 1.0, 2.0 or 3.0");
    apsco_catalog_free(&cat);
}

static void test_omm_kvn_reports_a_message_cut_short_at_the_end(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(
        parse_kvn(ISS_KVN "CCSDS_OMM_VERS = 2.0\nOBJECT_NAME = CUT", 0, &cat, &log, &err),
        APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_diag(&log, 0, "gp.kvn", 20, APSCO_ERR_PARSE, "element set without EPOCH, MEAN_MOTION");
    assert_int_equal(parse_kvn("", 0, &cat, &log, &err), APSCO_ERR_EMPTY);
    assert_int_equal(parse_kvn("COMMENT only\n\n", 0, &cat, &log, &err), APSCO_ERR_EMPTY);
    assert_int_equal(cat.count, 1);
    apsco_catalog_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_omm_kvn_reads_concatenated_messages_with_everything_ccsds_allows),
        cmocka_unit_test(test_omm_kvn_reports_text_before_the_first_message_once),
        cmocka_unit_test(test_omm_kvn_skips_messages_with_lines_that_are_not_keyword_value),
        cmocka_unit_test(test_omm_kvn_skips_messages_with_a_keyword_given_twice),
        cmocka_unit_test(test_omm_kvn_refuses_values_in_other_units),
        cmocka_unit_test(test_omm_kvn_skips_messages_of_unknown_versions),
        cmocka_unit_test(test_omm_kvn_reports_a_message_cut_short_at_the_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
