/*
 * Tests of the XML encoding of CCSDS OMM: <ndm> documents and bare <omm>
 * roots, namespace prefixes and attributes, one element set per <segment>,
 * expat's line numbers, documents that are not well-formed, and the refusal
 * of DTDs (entity expansion, external entities).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "omm_test.h"
#include "testutil.h"

/* ISS, CelesTrak 2026-03-19: metadata, then data with NORAD_CAT_ID given by the caller. */
#define ISS_METADATA                                                                               \
    "<metadata><OBJECT_NAME>ISS (ZARYA)</OBJECT_NAME><OBJECT_ID>1998-067A</OBJECT_ID>"             \
    "<CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM>"    \
    "<MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata>"
#define ISS_MEAN                                                                                   \
    "<meanElements><EPOCH>2026-03-19T03:06:36.144000</EPOCH>"                                      \
    "<MEAN_MOTION>15.48370465</MEAN_MOTION><ECCENTRICITY>.0006229</ECCENTRICITY>"                  \
    "<INCLINATION>51.6344</INCLINATION><RA_OF_ASC_NODE>25.6919</RA_OF_ASC_NODE>"                   \
    "<ARG_OF_PERICENTER>207.4819</ARG_OF_PERICENTER><MEAN_ANOMALY>152.5840</MEAN_ANOMALY>"         \
    "</meanElements>"
#define ISS_TLE(norad)                                                                             \
    "<tleParameters><EPHEMERIS_TYPE>0</EPHEMERIS_TYPE>"                                            \
    "<CLASSIFICATION_TYPE>U</CLASSIFICATION_TYPE><NORAD_CAT_ID>" norad "</NORAD_CAT_ID>"           \
    "<ELEMENT_SET_NO>999</ELEMENT_SET_NO><REV_AT_EPOCH>55779</REV_AT_EPOCH>"                       \
    "<BSTAR>.17698E-3</BSTAR><MEAN_MOTION_DOT>.00009105</MEAN_MOTION_DOT>"                         \
    "<MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT></tleParameters>"
#define ISS_SEGMENT(norad)                                                                         \
    "<segment>" ISS_METADATA "<data>" ISS_MEAN ISS_TLE(norad) "</data></segment>"
#define ISS_OMM(norad)                                                                             \
    "<omm id=\"CCSDS_OMM_VERS\" version=\"2.0\"><header/><body>" ISS_SEGMENT(norad) "</body></"    \
                                                                                    "omm>"

static apsco_status parse_xml(const char *text, int strict, apsco_catalog *cat, diag_log *log,
                              apsco_error *err)
{
    return parse_text(APSCO_FORMAT_OMM_XML, strict, text, strlen(text), "gp.xml", cat, log, err);
}

static void test_omm_xml_reads_ndm_documents_and_bare_omm_roots(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    assert_int_equal(parse_xml(ISS_OMM("25544"), 1, &cat, &log, &err), APSCO_OK);
    assert_int_equal(parse_xml("<?xml version=\"1.0\"?>\n<ndm>\n" ISS_OMM("25544") "\n" ISS_OMM(
                                   "5") "\n</ndm>\n",
                               1, &cat, &log, &err),
                     APSCO_OK);
    assert_int_equal(cat.count, 3);
    assert_int_equal(cat.items[0].source_line, 1);
    assert_int_equal(cat.items[1].source_line, 3);
    assert_int_equal(cat.items[2].source_line, 4);
    assert_int_equal(cat.items[2].norad, 5);
    assert_string_equal(cat.items[0].intldes, "98067A");
    apsco_catalog_free(&cat);
}

static void test_omm_xml_ignores_namespace_prefixes_and_attributes(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text =
        "<n:ndm xmlns:n=\"urn:ccsds:schema:ndmxml\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema\">"
        "<n:omm id=\"CCSDS_OMM_VERS\" version=\"3.0\"><n:body><n:segment>" ISS_METADATA
        "<n:data><meanElements><EPOCH>2026-03-19T03:06:36.144000</EPOCH>"
        "<n:MEAN_MOTION units=\"rev/day\">15.48370465</n:MEAN_MOTION>"
        "<ECCENTRICITY>.0006229</ECCENTRICITY><INCLINATION units=\"deg\">51.6344</INCLINATION>"
        "<RA_OF_ASC_NODE>25.6919</RA_OF_ASC_NODE><ARG_OF_PERICENTER>207.4819</ARG_OF_PERICENTER>"
        "<MEAN_ANOMALY>152.5840</MEAN_ANOMALY></meanElements>" ISS_TLE(
            "25544") "</n:data></n:segment></n:body></n:omm></n:ndm>";
    assert_int_equal(parse_xml(text, 1, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_true(cat.items[0].mean_motion_rad_min == 15.48370465 / (1440.0 / (2.0 * M_PI)));
    apsco_catalog_free(&cat);
}

static void test_omm_xml_decodes_references_cdata_and_surrounding_blanks(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text =
        "<omm><body><segment><metadata>"
        "<OBJECT_NAME>A&amp;B <![CDATA[<C>]]> &#x44;</OBJECT_NAME></metadata><data>"
        "<meanElements><EPOCH>\n   2026-03-19T03:06:36.144000\n  </EPOCH>"
        "<MEAN_MOTION>15.48<!-- a comment "
        "-->370465</MEAN_MOTION><ECCENTRICITY>.0006229</ECCENTRICITY>"
        "<INCLINATION>51.6344</INCLINATION><RA_OF_ASC_NODE>25.6919</RA_OF_ASC_NODE>"
        "<ARG_OF_PERICENTER>207.4819</ARG_OF_PERICENTER><MEAN_ANOMALY>152.5840</MEAN_ANOMALY>"
        "</meanElements>" ISS_TLE("25544") "</data></segment></body></omm>";
    assert_int_equal(parse_xml(text, 1, &cat, &log, &err), APSCO_OK);
    assert_string_equal(cat.items[0].name, "A&B <C> D");
    assert_true(cat.items[0].epoch_day == 78.129585);
    assert_true(cat.items[0].mean_motion_rad_min == 15.48370465 / (1440.0 / (2.0 * M_PI)));
    apsco_catalog_free(&cat);
}

static void test_omm_xml_reads_only_keywords_inside_a_segment(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    /* A NORAD_CAT_ID in the header belongs to no segment; keywords outside segments are not
     * element sets. */
    const char *text =
        "<ndm><omm><header><NORAD_CAT_ID>5</NORAD_CAT_ID></header><body>" ISS_SEGMENT(
            "25544") "</body></omm><omm><metadata><OBJECT_NAME>X</OBJECT_NAME></metadata></omm></"
                     "ndm>";
    assert_int_equal(parse_xml(text, 1, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 1);
    assert_int_equal(cat.items[0].norad, 25544);
    apsco_catalog_free(&cat);
}

static void test_omm_xml_skips_segments_with_structural_problems(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text =
        "<ndm>\n"
        "<omm><body>\n" ISS_SEGMENT(
            "25544") "</body></omm>\n"
                     "<omm><body>\n<segment>" ISS_METADATA "<data>" ISS_MEAN
                     "\n<tleParameters><NORAD_CAT_ID>25544<b>1</b></NORAD_CAT_ID>"
                     "</tleParameters></data></segment></body></omm>\n" /* <b> on line 6 */
                     "<omm><body>\n" ISS_SEGMENT(
                         "25544<!-- -->\n") "</body></omm>\n"
                                            "<omm><body>\n<segment>" ISS_METADATA
                                            "<data>\n<segment/>" ISS_MEAN ISS_TLE(
                                                "1") "</data></segment></body></omm>\n"
                                                     "<omm><body><segment><NORAD_CAT_ID>1</"
                                                     "NORAD_CAT_ID>\n"
                                                     "<NORAD_CAT_ID>2</NORAD_CAT_ID></segment></"
                                                     "body></omm>\n"
                                                     "</ndm>\n";
    assert_int_equal(parse_xml(text, 0, &cat, &log, &err), APSCO_OK);
    assert_int_equal(cat.count, 2);
    assert_int_equal(log.count, 3);
    assert_diag(&log, 0, "gp.xml", 6, APSCO_ERR_PARSE, "element <b> inside <NORAD_CAT_ID>");
    assert_diag(&log, 1, "gp.xml", 12, APSCO_ERR_PARSE, "<segment> inside a <segment>");
    assert_diag(&log, 2, "gp.xml", 14, APSCO_ERR_PARSE,
                "NORAD_CAT_ID given twice (first on line 13)");
    apsco_catalog_free(&cat);
}

static void test_omm_xml_not_well_formed_is_fatal_with_expat_line(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    diag_log log;
    apsco_error err;
    const char *text = "<ndm>\n" ISS_OMM("25544") "\n<omm><body>\n<segment></body></omm>\n</ndm>";
    assert_int_equal(parse_xml(text, 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(cat.count, 0);
    assert_string_equal(err.file, "gp.xml");
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "not well-formed XML: mismatched tag"));
    /* Truncated, empty, undefined entity, text that is not XML. */
    assert_int_equal(parse_xml("<ndm>\n" ISS_OMM("25544"), 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(parse_xml("", 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(parse_xml("<omm>\n&lol;</omm>", 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "undefined entity"));
    assert_int_equal(parse_xml("1 25544U 98067A", 0, &cat, &log, &err), APSCO_ERR_PARSE);
    assert_int_equal(
        parse_text(APSCO_FORMAT_OMM_XML, 0, "<omm>\0</omm>", 12, "gp.xml", &cat, &log, &err),
        APSCO_ERR_PARSE);
    /* Control characters are not XML. */
    assert_int_equal(parse_xml("<omm><OBJECT_NAME>\x07</OBJECT_NAME></omm>", 0, &cat, &log, &err),
                     APSCO_ERR_PARSE);
    apsco_catalog_free(&cat);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static void test_omm_xml_refuses_dtds_so_entities_cannot_expand(void **state)
{
    (void)state;
    /* "Billion laughs": 10 levels of 10 references, 10^9 copies if expanded. */
    const char *laughs = "<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE omm [\n"
                         " <!ENTITY a0 \"ha\">\n"
                         " <!ENTITY a1 \"&a0;&a0;&a0;&a0;&a0;&a0;&a0;&a0;&a0;&a0;\">\n"
                         " <!ENTITY a2 \"&a1;&a1;&a1;&a1;&a1;&a1;&a1;&a1;&a1;&a1;\">\n"
                         " <!ENTITY a3 \"&a2;&a2;&a2;&a2;&a2;&a2;&a2;&a2;&a2;&a2;\">\n"
                         " <!ENTITY a4 \"&a3;&a3;&a3;&a3;&a3;&a3;&a3;&a3;&a3;&a3;\">\n"
                         " <!ENTITY a5 \"&a4;&a4;&a4;&a4;&a4;&a4;&a4;&a4;&a4;&a4;\">\n"
                         " <!ENTITY a6 \"&a5;&a5;&a5;&a5;&a5;&a5;&a5;&a5;&a5;&a5;\">\n"
                         " <!ENTITY a7 \"&a6;&a6;&a6;&a6;&a6;&a6;&a6;&a6;&a6;&a6;\">\n"
                         " <!ENTITY a8 \"&a7;&a7;&a7;&a7;&a7;&a7;&a7;&a7;&a7;&a7;\">\n"
                         " <!ENTITY a9 \"&a8;&a8;&a8;&a8;&a8;&a8;&a8;&a8;&a8;&a8;\">\n"
                         "]>\n"
                         "<omm><body><segment><metadata><OBJECT_NAME>&a9;</OBJECT_NAME>"
                         "</metadata></segment></body></omm>\n";
    const char *external = "<?xml version=\"1.0\"?>\n\n"
                           "<!DOCTYPE omm [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                           "<omm><OBJECT_NAME>&x;</OBJECT_NAME></omm>\n";
    const char *plain = "<!DOCTYPE omm>\n<omm/>";
    const char *texts[] = {laughs, external, plain};
    const long lines[] = {2, 3, 1};
    for (int i = 0; i < 3; i++) {
        apsco_catalog cat = {0};
        diag_log log;
        apsco_error err;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        assert_int_equal(parse_xml(texts[i], 0, &cat, &log, &err), APSCO_ERR_PARSE);
        assert_true(seconds_since(&t0) < 1.0);
        assert_int_equal(cat.count, 0);
        assert_int_equal(err.line, lines[i]);
        assert_non_null(strstr(err.message, "DTD"));
    }
}

static void test_omm_xml_survives_100000_nested_elements(void **state)
{
    (void)state;
    const size_t depth = 100000;
    static const char *const opens[] = {"<a>", "<segment>"};
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(opens[k]);
        char *text = malloc(depth * (2 * n + 1) + 64);
        assert_non_null(text);
        size_t len = 0;
        len += (size_t)sprintf(text, "<omm><segment>");
        for (size_t i = 0; i < depth; i++, len += n)
            memcpy(text + len, opens[k], n);
        for (size_t i = 0; i < depth; i++, len += n + 1) {
            text[len] = '<';
            text[len + 1] = '/';
            memcpy(text + len + 2, opens[k] + 1, n - 1);
        }
        len += (size_t)sprintf(text + len, "</segment></omm>");
        apsco_catalog cat = {0};
        diag_log log;
        apsco_error err;
        apsco_status st =
            parse_text(APSCO_FORMAT_OMM_XML, 0, text, len, "deep.xml", &cat, &log, &err);
        /* Well-formed, but no element set: reported, not crashed. */
        assert_int_equal(st, APSCO_ERR_EMPTY);
        assert_int_equal(cat.count, 0);
        assert_true(log.count >= 1);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_omm_xml_reads_ndm_documents_and_bare_omm_roots),
        cmocka_unit_test(test_omm_xml_ignores_namespace_prefixes_and_attributes),
        cmocka_unit_test(test_omm_xml_decodes_references_cdata_and_surrounding_blanks),
        cmocka_unit_test(test_omm_xml_reads_only_keywords_inside_a_segment),
        cmocka_unit_test(test_omm_xml_skips_segments_with_structural_problems),
        cmocka_unit_test(test_omm_xml_not_well_formed_is_fatal_with_expat_line),
        cmocka_unit_test(test_omm_xml_refuses_dtds_so_entities_cannot_expand),
        cmocka_unit_test(test_omm_xml_survives_100000_nested_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
