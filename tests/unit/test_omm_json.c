/*
 * Tests of the JSON encoding of CCSDS OMM: arrays of objects and single
 * objects, the line each object starts on (jansson keeps none), document
 * errors with jansson's line, nesting depth, duplicate keys, value types.
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

/* ISS, CelesTrak 2026-03-19, as CelesTrak writes it (members after NORAD_CAT_ID follow). */
#define ISS_HEAD                                                                                   \
    "\"OBJECT_NAME\":\"ISS (ZARYA)\",\"OBJECT_ID\":\"1998-067A\","                                 \
    "\"EPOCH\":\"2026-03-19T03:06:36.144000\",\"MEAN_MOTION\":15.48370465,"                        \
    "\"ECCENTRICITY\":0.0006229,\"INCLINATION\":51.6344,\"RA_OF_ASC_NODE\":25.6919,"               \
    "\"ARG_OF_PERICENTER\":207.4819,\"MEAN_ANOMALY\":152.584,\"EPHEMERIS_TYPE\":0,"                \
    "\"CLASSIFICATION_TYPE\":\"U\","
#define ISS_TAIL                                                                                   \
    "\"ELEMENT_SET_NO\":999,\"REV_AT_EPOCH\":55779,\"BSTAR\":0.00017698,"                          \
    "\"MEAN_MOTION_DOT\":9.105e-5,\"MEAN_MOTION_DDOT\":0"
#define ISS_JSON "{" ISS_HEAD "\"NORAD_CAT_ID\":25544," ISS_TAIL "}"

static apsco_status parse_json(const char *text, int strict, apsco_catalog *cat, diag_log *log,
                               apsco_error *err)
{
    return parse_text(APSCO_FORMAT_OMM_JSON, strict, text, strlen(text), "gp.json", cat, log, err);
}

static void test_omm_json_reads_an_array_or_a_single_object(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_json("[" ISS_JSON ",\n" ISS_JSON "]", 1, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 2);
    assert_int_equal(cat.items[1].source_line, 2);
    assert_int_equal(parse_json("\n\n  " ISS_JSON "\n", 1, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 3);
    assert_int_equal(cat.items[2].source_line, 3);
    assert_int_equal(cat.items[2].norad, 25544);
    assert_string_equal(cat.items[2].name, "ISS (ZARYA)");
    /* A UTF-8 byte order mark is allowed. */
    assert_int_equal(parse_json("\xEF\xBB\xBF[" ISS_JSON "]", 1, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 4);
    apsco_catalog_free(&cat);
}

static void test_omm_json_reports_the_line_where_each_bad_object_starts(void **state)
{
    (void)state;
    /* Strings holding brackets, braces, escaped quotes and backslashes must not confuse the
     * search for where each element starts. */
    const char *text = "[\n"
                       "  {\"COMMENT\": \"[{ \\\"]} \\\\\", " ISS_HEAD "\"NORAD_CAT_ID\":25544,\n"
                       "   " ISS_TAIL "},\n"                                            /* line 2 */
                       "  {\"X\": [[{\"]\": \"}\"}]],\n" ISS_HEAD "\"NORAD_CAT_ID\":\n" /* line 4 */
                       "  400000, " ISS_TAIL "}, 17, \"text\",\n" /* 17: line 6 */
                       "  null,\n"                                /* line 7 */
                       "\n"
                       "  {" ISS_HEAD ISS_TAIL "}, [1,\n" /* line 9 */
                       "2]\n"
                       "]\n";
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_json(text, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(cat.items[0].source_line, 2);
    assert_int_equal(log.count, 6);
    assert_diag(&log, 0, "gp.json", 4, APSCO_ERR_VALUE, "NORAD_CAT_ID 400000 is outside");
    assert_diag(&log, 1, "gp.json", 6, APSCO_ERR_PARSE, "not an object");
    assert_diag(&log, 2, "gp.json", 6, APSCO_ERR_PARSE, "not an object");
    assert_diag(&log, 3, "gp.json", 7, APSCO_ERR_PARSE, "not an object");
    assert_diag(&log, 4, "gp.json", 9, APSCO_ERR_PARSE, "without NORAD_CAT_ID");
    assert_diag(&log, 5, "gp.json", 9, APSCO_ERR_PARSE, "not an object");
    apsco_catalog_free(&cat);
}

static void test_omm_json_syntax_error_is_fatal_and_names_jansson_line(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text = "[" ISS_JSON ",\n" ISS_JSON "\n" ISS_JSON "]";
    assert_int_equal(parse_json(text, 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(cat.count, 0);
    assert_string_equal(err.file, "gp.json");
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "not valid JSON"));
    /* A truncated download. */
    assert_int_equal(parse_json("[" ISS_JSON ",\n{\"OBJECT_NAME\":\"IS", 0, &cat, &log, &err),
                     APSCO_ERR_PARSE);
    assert_int_equal(err.line, 2);
    /* Literals JSON does not have, and numbers beyond double range. */
    assert_int_equal(parse_json("[\n{\"BSTAR\": NaN}]", 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(parse_json("[\n\n{\"BSTAR\": 1e999}]", 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(parse_json("42", 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(parse_json("", 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(parse_json("[]", 0, &cat, &log, &err), APSCO_ERR_EMPTY);
    assert_int_equal(parse_json("[\"a\\u0000b\"]", 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(parse_text(APSCO_FORMAT_OMM_JSON, 0, "[\0]", 3, "gp.json", &cat, &log, &err),
                     APSCO_ERR_PARSE);
    assert_int_equal(cat.count, 0);
    apsco_catalog_free(&cat);
}

static void test_omm_json_refuses_duplicate_keys(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text =
        "[" ISS_JSON ",\n{" ISS_HEAD "\"NORAD_CAT_ID\":25544,\n\"NORAD_CAT_ID\":5," ISS_TAIL "}]";
    assert_int_equal(parse_json(text, 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "duplicate"));
    assert_int_equal(cat.count, 0);
    apsco_catalog_free(&cat);
}

/* A text of `n` copies of `open` (then nothing: it is never closed). */
static char *repeat(const char *open, size_t n)
{
    size_t k = strlen(open);
    char *s = malloc(n * k + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * k, open, k);
    s[n * k] = '\0';
    return s;
}

static void test_omm_json_survives_100000_nested_brackets(void **state)
{
    (void)state;
    static const char *const opens[] = {"[", "{\"a\":", "[{\"EPOCH\":"};
    for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++) {
        char *text = repeat(opens[i], 100000);
        apsco_catalog cat = {0};
        diag_log log;
        apsco_error err;
        assert_int_equal(parse_json(text, 0, &cat, &log, &err), APSCO_ERR_PARSE);
        assert_non_null(strstr(err.message, "depth"));
        free(text);
    }
}

static void test_omm_json_values_must_be_numbers_or_strings(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text = "[{" ISS_HEAD "\"NORAD_CAT_ID\":true," ISS_TAIL "},\n"
                       "{" ISS_HEAD "\"NORAD_CAT_ID\":[25544]," ISS_TAIL "},\n"
                       "{" ISS_HEAD "\"NORAD_CAT_ID\":{\"v\":1}," ISS_TAIL "},\n"
                       "{" ISS_HEAD "\"NORAD_CAT_ID\":null," ISS_TAIL "},\n"
                       "{" ISS_HEAD "\"NORAD_CAT_ID\":25544," ISS_TAIL ",\"OBJECT_NAME2\":[]}]";
    assert_int_equal(parse_json(text, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(log.count, 4);
    assert_diag(&log, 0, "gp.json", 1, APSCO_ERR_PARSE, "NORAD_CAT_ID is neither a number nor");
    assert_diag(&log, 1, "gp.json", 2, APSCO_ERR_PARSE, "neither a number nor a string");
    assert_diag(&log, 2, "gp.json", 3, APSCO_ERR_PARSE, "neither a number nor a string");
    assert_diag(&log, 3, "gp.json", 4, APSCO_ERR_PARSE, "without NORAD_CAT_ID");
    apsco_catalog_free(&cat);
}

static void test_omm_json_numbers_and_numeric_strings_read_alike(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text =
        "[{" ISS_HEAD "\"NORAD_CAT_ID\":25544," ISS_TAIL "},\n"
        "{\"OBJECT_NAME\":\"ISS (ZARYA)\",\"OBJECT_ID\":\"1998-067A\","
        "\"EPOCH\":\"2026-03-19T03:06:36.144000\",\"MEAN_MOTION\":\"15.48370465\","
        "\"ECCENTRICITY\":\".0006229\",\"INCLINATION\":\"51.6344\",\"RA_OF_ASC_NODE\":\"25.6919\","
        "\"ARG_OF_PERICENTER\":\"207.4819\",\"MEAN_ANOMALY\":\"152.5840\",\"EPHEMERIS_TYPE\":\"0\","
        "\"CLASSIFICATION_TYPE\":\"U\",\"NORAD_CAT_ID\":\"25544\",\"ELEMENT_SET_NO\":\"999\","
        "\"REV_AT_EPOCH\":\"55779\",\"BSTAR\":\".17698E-3\",\"MEAN_MOTION_DOT\":\".00009105\","
        "\"MEAN_MOTION_DDOT\":\"0\"},\n"
        /* An integral JSON real is an integer; 1E5 is 100000. */
        "{" ISS_HEAD "\"NORAD_CAT_ID\":1E5," ISS_TAIL "}]";
    assert_int_equal(parse_json(text, 1, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 3);
    const apsco_elset *a = &cat.items[0], *b = &cat.items[1];
    assert_true(memcmp(&a->epoch, &b->epoch, sizeof a->epoch) == 0);
    assert_true(a->mean_motion_rad_min == b->mean_motion_rad_min && a->ecc == b->ecc &&
                a->incl_rad == b->incl_rad && a->raan_rad == b->raan_rad &&
                a->argp_rad == b->argp_rad && a->mean_anomaly_rad == b->mean_anomaly_rad &&
                a->bstar_per_er == b->bstar_per_er && a->ndot_rad_min2 == b->ndot_rad_min2 &&
                a->nddot_rad_min3 == b->nddot_rad_min3);
    assert_int_equal(cat.items[2].norad, 100000);
    apsco_catalog_free(&cat);
}

static void test_omm_json_decodes_escapes_in_names(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *named = "[{\"OBJECT_NAME\":\"\\\"A\\\\B\\\" \\u00c7\","
                        "\"EPOCH\":\"2026-03-19T03:06:36.144000\",\"MEAN_MOTION\":15.48370465,"
                        "\"ECCENTRICITY\":0.0006229,\"INCLINATION\":51.6344,"
                        "\"RA_OF_ASC_NODE\":25.6919,\"ARG_OF_PERICENTER\":207.4819,"
                        "\"MEAN_ANOMALY\":152.584,\"NORAD_CAT_ID\":25544," ISS_TAIL "}]";
    assert_int_equal(parse_json(named, 1, &cat, &log, &err), APSCO_OK);
    assert_string_equal(cat.items[0].name, "\"A\\B\" \xC3\x87");
    apsco_catalog_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_omm_json_reads_an_array_or_a_single_object),
        cmocka_unit_test(test_omm_json_reports_the_line_where_each_bad_object_starts),
        cmocka_unit_test(test_omm_json_syntax_error_is_fatal_and_names_jansson_line),
        cmocka_unit_test(test_omm_json_refuses_duplicate_keys),
        cmocka_unit_test(test_omm_json_survives_100000_nested_brackets),
        cmocka_unit_test(test_omm_json_values_must_be_numbers_or_strings),
        cmocka_unit_test(test_omm_json_numbers_and_numeric_strings_read_alike),
        cmocka_unit_test(test_omm_json_decodes_escapes_in_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
