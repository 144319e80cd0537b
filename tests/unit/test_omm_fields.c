/*
 * Tests of what OMM values mean, the same in all four encodings: mandatory
 * keywords, number syntax, NaN and infinities, impossible dates, ranges,
 * metadata that must say SGP4/TEME/UTC/EARTH, OBJECT_ID -> international
 * designator, Alpha-5 catalog numbers, defaults, and strict mode.
 *
 * Each case changes one keyword of a real element set (ISS, CelesTrak
 * 2026-03-19) and writes three OMMs (good, changed, good) in KVN, XML, JSON
 * and CSV; the changed one must be reported at the right file:line with the
 * right status and skipped, and the two others kept.
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

static const struct {
    const char *key, *value;
    int json_number; /* written as a JSON number in the template */
} iss[] = {
    {"OBJECT_NAME", "ISS (ZARYA)", 0},
    {"OBJECT_ID", "1998-067A", 0},
    {"CENTER_NAME", "EARTH", 0},
    {"REF_FRAME", "TEME", 0},
    {"TIME_SYSTEM", "UTC", 0},
    {"MEAN_ELEMENT_THEORY", "SGP4", 0},
    {"EPOCH", "2026-03-19T03:06:36.144000", 0},
    {"MEAN_MOTION", "15.48370465", 1},
    {"ECCENTRICITY", "0.0006229", 1},
    {"INCLINATION", "51.6344", 1},
    {"RA_OF_ASC_NODE", "25.6919", 1},
    {"ARG_OF_PERICENTER", "207.4819", 1},
    {"MEAN_ANOMALY", "152.5840", 1},
    {"EPHEMERIS_TYPE", "0", 1},
    {"CLASSIFICATION_TYPE", "U", 0},
    {"NORAD_CAT_ID", "25544", 1},
    {"ELEMENT_SET_NO", "999", 1},
    {"REV_AT_EPOCH", "55779", 1},
    {"BSTAR", "0.17698E-3", 1},
    {"MEAN_MOTION_DOT", "0.00009105", 1},
    {"MEAN_MOTION_DDOT", "0", 1},
};
#define ISS_FIELDS (sizeof iss / sizeof iss[0])

static const apsco_elset_format formats[] = {APSCO_FORMAT_OMM_KVN, APSCO_FORMAT_OMM_XML,
                                             APSCO_FORMAT_OMM_JSON, APSCO_FORMAT_OMM_CSV};
static const char *const sources[] = {"test.kvn", "test.xml", "test.json", "test.csv"};

/* A text being written, with its current line number. */
typedef struct builder {
    char text[16384];
    size_t len;
    long line; /* line the next character goes on */
} builder;

static void add(builder *b, const char *s)
{
    size_t n = strlen(s);
    assert_true(b->len + n < sizeof b->text);
    memcpy(b->text + b->len, s, n + 1);
    b->len += n;
    for (; *s; s++)
        b->line += *s == '\n';
}

static void addf(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(builder *b, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    add(b, buf);
}

/* True for the field that the changed record changes. */
static int is_changed(size_t i, const char *key, int changed)
{
    return changed && strcmp(iss[i].key, key) == 0;
}

/* The value of field i: `value` for the changed field (NULL = leave the key out). */
static const char *value_of(size_t i, const char *key, const char *value, int changed)
{
    return is_changed(i, key, changed) ? value : iss[i].value;
}

/* Where the changed record and its changed field were written. */
typedef struct lines {
    long start, field;
} lines;

static void write_kvn(builder *b, const char *key, const char *value, int changed, lines *at)
{
    if (changed)
        at->start = at->field = b->line;
    add(b, "CCSDS_OMM_VERS = 2.0\nCOMMENT written by test_omm_fields.c\n");
    for (size_t i = 0; i < ISS_FIELDS; i++) {
        const char *v = value_of(i, key, value, changed);
        if (!v)
            continue;
        if (is_changed(i, key, changed))
            at->field = b->line;
        addf(b, "%s = %s\n", iss[i].key, v);
    }
    add(b, "\n");
}

static void add_xml_escaped(builder *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '&')
            add(b, "&amp;");
        else if (*s == '<')
            add(b, "&lt;");
        else
            addf(b, "%c", *s);
    }
}

static void write_xml(builder *b, const char *key, const char *value, int changed, lines *at)
{
    add(b, "<omm id=\"CCSDS_OMM_VERS\" version=\"2.0\">\n<header></header>\n<body>\n");
    if (changed)
        at->start = at->field = b->line;
    add(b, "<segment>\n<metadata>\n");
    for (size_t i = 0; i < ISS_FIELDS; i++) {
        if (strcmp(iss[i].key, "EPOCH") == 0)
            add(b, "</metadata>\n<data>\n<meanElements>\n");
        if (strcmp(iss[i].key, "EPHEMERIS_TYPE") == 0)
            add(b, "</meanElements>\n<tleParameters>\n");
        const char *v = value_of(i, key, value, changed);
        if (!v)
            continue;
        if (is_changed(i, key, changed))
            at->field = b->line;
        addf(b, "<%s>", iss[i].key);
        add_xml_escaped(b, v);
        addf(b, "</%s>\n", iss[i].key);
    }
    add(b, "</tleParameters>\n</data>\n</segment>\n</body>\n</omm>\n");
}

static void add_json_string(builder *b, const char *s)
{
    add(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            addf(b, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            addf(b, "\\u%04x", *s);
        else
            addf(b, "%c", *s);
    }
    add(b, "\"");
}

static void write_json(builder *b, const char *key, const char *value, int changed, lines *at)
{
    if (changed)
        at->start = at->field = b->line;
    add(b, "{\n");
    int first = 1;
    for (size_t i = 0; i < ISS_FIELDS; i++) {
        const char *v = value_of(i, key, value, changed);
        if (!v)
            continue;
        addf(b, "%s  \"%s\": ", first ? "" : ",\n", iss[i].key);
        first = 0;
        /* A changed value is always a string: it may not be a valid JSON number. */
        if (iss[i].json_number && !is_changed(i, key, changed))
            add(b, v);
        else
            add_json_string(b, v);
    }
    add(b, "\n}");
}

static void write_csv_row(builder *b, const char *key, const char *value, int changed, lines *at)
{
    if (changed)
        at->start = at->field = b->line;
    for (size_t i = 0; i < ISS_FIELDS; i++) {
        const char *v = value_of(i, key, value, changed);
        if (i > 0)
            add(b, ",");
        if (!v)
            continue;
        if (strpbrk(v, ",\"\n")) {
            add(b, "\"");
            for (const char *p = v; *p; p++)
                addf(b, *p == '"' ? "\"\"" : "%c", *p);
            add(b, "\"");
        } else {
            add(b, v);
        }
    }
    add(b, "\r\n");
}

/*
 * Writes good ISS, ISS with `key` set to `value` (NULL: left out), good ISS
 * in `format`; returns where the changed record and field are.
 */
static lines build(apsco_elset_format format, const char *key, const char *value, builder *b)
{
    lines at = {0, 0};
    memset(b, 0, sizeof *b);
    b->line = 1;
    if (format == APSCO_FORMAT_OMM_XML)
        add(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ndm>\n");
    if (format == APSCO_FORMAT_OMM_JSON)
        add(b, "[\n");
    if (format == APSCO_FORMAT_OMM_CSV) {
        for (size_t i = 0; i < ISS_FIELDS; i++)
            addf(b, "%s%s", i ? "," : "", iss[i].key);
        add(b, "\r\n");
    }
    for (int r = 0; r < 3; r++) {
        int changed = r == 1;
        switch (format) {
        case APSCO_FORMAT_OMM_KVN: write_kvn(b, key, value, changed, &at); break;
        case APSCO_FORMAT_OMM_XML: write_xml(b, key, value, changed, &at); break;
        case APSCO_FORMAT_OMM_JSON:
            write_json(b, key, value, changed, &at);
            add(b, r < 2 ? ",\n" : "\n]\n");
            break;
        default: write_csv_row(b, key, value, changed, &at); break;
        }
    }
    if (format == APSCO_FORMAT_OMM_XML)
        add(b, "</ndm>\n");
    return at;
}

/* One defect: a keyword, its bad value, and what must be reported. */
typedef struct defect {
    const char *key, *value; /* value NULL: the keyword is left out */
    apsco_status status;
    const char *fragment; /* part of the message */
} defect;

/*
 * Checks that, in every encoding, the defect is reported at the line of the
 * changed keyword (KVN, XML) or of the record (JSON, CSV; and for a missing
 * keyword), that the record is skipped and the two good ones are kept.
 */
static void check_defects(const defect *defects, size_t n)
{
    static builder b;
    for (size_t i = 0; i < n; i++) {
        for (int f = 0; f < 4; f++) {
            lines at = build(formats[f], defects[i].key, defects[i].value, &b);
            int missing = !defects[i].value || !defects[i].value[0];
            long expected = missing ? at.start : at.field;
            apsco_catalog cat = {0};
            diag_log log;
            apsco_error err;
            print_message("%s = '%s' in %s\n", defects[i].key,
                          defects[i].value ? defects[i].value : "(left out)", sources[f]);
            assert_int_equal(parse_text(formats[f], 0, b.text, b.len, sources[f], &cat, &log, &err),
                             APSCO_OK);
            assert_int_equal(cat.count, 2);
            assert_int_equal(log.count, 1);
            assert_int_equal(log.items[0].severity, APSCO_SKIPPED);
            assert_diag(&log, 0, sources[f], expected, defects[i].status, defects[i].fragment);
            apsco_catalog_free(&cat);
        }
    }
}

static void test_omm_skips_records_without_a_mandatory_keyword(void **state)
{
    (void)state;
    static const defect d[] = {
        {"EPOCH", NULL, APSCO_ERR_PARSE, "without EPOCH"},
        {"MEAN_MOTION", NULL, APSCO_ERR_PARSE, "without MEAN_MOTION"},
        {"ECCENTRICITY", NULL, APSCO_ERR_PARSE, "without ECCENTRICITY"},
        {"INCLINATION", NULL, APSCO_ERR_PARSE, "without INCLINATION"},
        {"RA_OF_ASC_NODE", NULL, APSCO_ERR_PARSE, "without RA_OF_ASC_NODE"},
        {"ARG_OF_PERICENTER", "", APSCO_ERR_PARSE, "without ARG_OF_PERICENTER"},
        {"MEAN_ANOMALY", NULL, APSCO_ERR_PARSE, "without MEAN_ANOMALY"},
        {"NORAD_CAT_ID", NULL, APSCO_ERR_PARSE, "without NORAD_CAT_ID"},
        {"BSTAR", NULL, APSCO_ERR_PARSE, "without BSTAR"},
        {"MEAN_MOTION_DOT", "", APSCO_ERR_PARSE, "without MEAN_MOTION_DOT"},
        {"MEAN_MOTION_DDOT", NULL, APSCO_ERR_PARSE, "without MEAN_MOTION_DDOT"},
    };
    check_defects(d, sizeof d / sizeof d[0]);
}

static void test_omm_skips_records_with_non_numeric_values(void **state)
{
    (void)state;
    static const defect d[] = {
        {"MEAN_MOTION", "fifteen", APSCO_ERR_PARSE, "MEAN_MOTION 'fifteen' is not a number"},
        {"INCLINATION", "51.6344 deg", APSCO_ERR_PARSE, "is not a number"},
        {"RA_OF_ASC_NODE", "0x1p4", APSCO_ERR_PARSE, "is not a number"},
        {"MEAN_ANOMALY", "1.5.2", APSCO_ERR_PARSE, "is not a number"},
        {"BSTAR", "1.7E", APSCO_ERR_PARSE, "is not a number"},
        {"MEAN_MOTION_DOT", ".", APSCO_ERR_PARSE, "is not a number"},
        {"NORAD_CAT_ID", "25544.5", APSCO_ERR_PARSE, "not a non-negative integer"},
        {"NORAD_CAT_ID", "-5", APSCO_ERR_PARSE, "not a non-negative integer"},
        {"REV_AT_EPOCH", "1e3", APSCO_ERR_PARSE, "not a non-negative integer"},
        {"ELEMENT_SET_NO", "9999999999", APSCO_ERR_PARSE, "not a non-negative integer"},
    };
    check_defects(d, sizeof d / sizeof d[0]);
}

static void test_omm_skips_records_with_nan_or_infinity(void **state)
{
    (void)state;
    static const defect d[] = {
        {"ECCENTRICITY", "NaN", APSCO_ERR_PARSE, "ECCENTRICITY 'NaN' is not a number"},
        {"INCLINATION", "inf", APSCO_ERR_PARSE, "is not a number"},
        {"MEAN_ANOMALY", "-Infinity", APSCO_ERR_PARSE, "is not a number"},
        {"BSTAR", "1e999", APSCO_ERR_VALUE, "BSTAR '1e999' is not a finite number"},
        {"MEAN_MOTION_DDOT", "-2E+400", APSCO_ERR_VALUE, "is not a finite number"},
    };
    check_defects(d, sizeof d / sizeof d[0]);
}

static void test_omm_skips_records_with_impossible_epochs(void **state)
{
    (void)state;
    static const defect d[] = {
        {"EPOCH", "2026-02-29T00:00:00", APSCO_ERR_VALUE, "not a calendar date"},
        {"EPOCH", "2026-04-31T12:00:00", APSCO_ERR_VALUE, "not a calendar date"},
        {"EPOCH", "2026-03-19T24:00:00", APSCO_ERR_VALUE, "not a time of day"},
        {"EPOCH", "2026-03-19T03:60:00", APSCO_ERR_VALUE, "not a time of day"},
        {"EPOCH", "2026-366T00:00:00", APSCO_ERR_VALUE, "day 366 is not a day of 2026"},
        {"EPOCH", "2026-000T00:00:00", APSCO_ERR_VALUE, "day 0 is not a day"},
        {"EPOCH", "2026-03-19T03:06:36+02:00", APSCO_ERR_PARSE, "EPOCH"},
        {"EPOCH", "19 March 2026", APSCO_ERR_PARSE, "EPOCH"},
        {"EPOCH", "26078.12958500", APSCO_ERR_PARSE, "EPOCH"},
    };
    check_defects(d, sizeof d / sizeof d[0]);
}

static void test_omm_skips_records_with_out_of_range_values(void **state)
{
    (void)state;
    static const defect d[] = {
        {"ECCENTRICITY", "1.0", APSCO_ERR_VALUE, "ECCENTRICITY 1.0 is outside [0, 1)"},
        {"ECCENTRICITY", "-1E-7", APSCO_ERR_VALUE, "outside [0, 1)"},
        {"INCLINATION", "180.0001", APSCO_ERR_VALUE, "INCLINATION 180.0001 deg is outside"},
        {"INCLINATION", "-0.5", APSCO_ERR_VALUE, "outside [0, 180]"},
        {"MEAN_MOTION", "0", APSCO_ERR_VALUE, "MEAN_MOTION 0 rev/day is not positive"},
        {"MEAN_MOTION", "-15.5", APSCO_ERR_VALUE, "is not positive"},
        {"NORAD_CAT_ID", "340000", APSCO_ERR_VALUE, "NORAD_CAT_ID 340000 is outside 0-339999"},
        {"EPHEMERIS_TYPE", "10", APSCO_ERR_VALUE, "EPHEMERIS_TYPE 10 is outside 0-9"},
        {"ELEMENT_SET_NO", "10000", APSCO_ERR_VALUE, "outside 0-9999"},
        {"CLASSIFICATION_TYPE", "X", APSCO_ERR_VALUE, "CLASSIFICATION_TYPE 'X' is not U, C or S"},
        {"CLASSIFICATION_TYPE", "UU", APSCO_ERR_VALUE, "is not U, C or S"},
    };
    check_defects(d, sizeof d / sizeof d[0]);
}

static void test_omm_skips_records_that_are_not_sgp4_elements_of_earth(void **state)
{
    (void)state;
    static const defect d[] = {
        {"CENTER_NAME", "MOON", APSCO_ERR_VALUE, "CENTER_NAME 'MOON' is not EARTH"},
        {"REF_FRAME", "GCRF", APSCO_ERR_VALUE, "REF_FRAME 'GCRF' is not TEME"},
        {"TIME_SYSTEM", "TAI", APSCO_ERR_VALUE, "TIME_SYSTEM 'TAI' is not UTC"},
        {"MEAN_ELEMENT_THEORY", "DSST", APSCO_ERR_VALUE, "not SGP4"},
        {"MEAN_ELEMENT_THEORY", "SGP4-XP", APSCO_ERR_VALUE, "not SGP4"},
    };
    check_defects(d, sizeof d / sizeof d[0]);
}

static void test_omm_skips_records_with_over_long_or_control_values(void **state)
{
    (void)state;
    static const defect d[] = {
        {"MEAN_MOTION",
         "15.4837046500000000000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000000000",
         APSCO_ERR_PARSE, "MEAN_MOTION is longer than 127 characters"},
    };
    check_defects(d, sizeof d / sizeof d[0]);
    /* XML cannot carry control characters at all (expat refuses the document): KVN, JSON, CSV. */
    static builder b;
    for (int f = 0; f < 4; f++) {
        if (formats[f] == APSCO_FORMAT_OMM_XML)
            continue;
        lines at = build(formats[f], "OBJECT_NAME", "ISS\x07(ZARYA)", &b);
        apsco_catalog cat = {0};
        diag_log log;
        apsco_error err;
        assert_int_equal(parse_text(formats[f], 0, b.text, b.len, sources[f], &cat, &log, &err),
                         APSCO_OK);
        assert_int_equal(cat.count, 2);
        assert_diag(&log, 0, sources[f], at.field, APSCO_ERR_PARSE,
                    "OBJECT_NAME contains control characters");
        apsco_catalog_free(&cat);
    }
}

/* Parses ISS with `key` = `value` in every encoding and returns its element set (the 2nd). */
static void parse_variant(apsco_elset_format format, const char *key, const char *value,
                          apsco_elset *e, diag_log *log)
{
    static builder b;
    build(format, key, value, &b);
    apsco_catalog cat = {0};
    apsco_error err;
    int f = format - APSCO_FORMAT_OMM_KVN;
    assert_int_equal(parse_text(format, 0, b.text, b.len, sources[f], &cat, log, &err), APSCO_OK);
    assert_int_equal(cat.count, 3);
    *e = cat.items[1];
    apsco_catalog_free(&cat);
}

static void test_omm_reads_catalog_numbers_beyond_99999(void **state)
{
    (void)state;
    for (int f = 0; f < 4; f++) {
        apsco_elset e;
        diag_log log;
        parse_variant(formats[f], "NORAD_CAT_ID", "339999", &e, &log);
        assert_int_equal(e.norad, 339999);
        parse_variant(formats[f], "NORAD_CAT_ID", "100000", &e, &log);
        assert_int_equal(e.norad, 100000);
        assert_int_equal(log.count, 0);
    }
}

static void test_omm_object_id_becomes_the_tle_international_designator(void **state)
{
    (void)state;
    static const struct {
        const char *object_id, *intldes;
        int warnings;
    } cases[] = {
        {"1998-067A", "98067A", 0}, {"2019-074AX", "19074AX", 0},
        {"1958-002B", "58002B", 0}, {"2023-155ABC", "23155ABC", 0},
        {"UNKNOWN", "", 0},         {"98-067A", "", 1},
        {"1998-067", "", 1},        {"1998-067a", "", 1},
        {"1998-067ABCD", "", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int f = 0; f < 4; f++) {
            apsco_elset e;
            diag_log log;
            parse_variant(formats[f], "OBJECT_ID", cases[i].object_id, &e, &log);
            assert_string_equal(e.intldes, cases[i].intldes);
            assert_int_equal(log.count, cases[i].warnings);
            if (cases[i].warnings)
                assert_int_equal(log.items[0].severity, APSCO_WARNING);
        }
    }
}

static void test_omm_malformed_object_id_is_fatal_in_strict_mode(void **state)
{
    (void)state;
    static builder b;
    for (int f = 0; f < 4; f++) {
        lines at = build(formats[f], "OBJECT_ID", "98-067A", &b);
        apsco_catalog cat = {0};
        diag_log log;
        apsco_error err;
        assert_int_equal(parse_text(formats[f], 1, b.text, b.len, sources[f], &cat, &log, &err),
                         APSCO_ERR_PARSE);
        assert_int_equal(cat.count, 0);
        assert_string_equal(err.file, sources[f]);
        assert_int_equal(err.line, at.field);
        assert_non_null(strstr(err.message, "OBJECT_ID '98-067A'"));
        apsco_catalog_free(&cat);
    }
}

static void test_omm_optional_keywords_take_tle_defaults(void **state)
{
    (void)state;
    static const char *const optional[] = {
        "OBJECT_NAME",    "OBJECT_ID",           "CENTER_NAME",    "REF_FRAME",
        "TIME_SYSTEM",    "MEAN_ELEMENT_THEORY", "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE",
        "ELEMENT_SET_NO", "REV_AT_EPOCH"};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        for (int f = 0; f < 4; f++) {
            apsco_elset e;
            diag_log log;
            parse_variant(formats[f], optional[i], NULL, &e, &log);
            assert_int_equal(log.count, 0);
            assert_int_equal(e.norad, 25544);
        }
    }
    apsco_elset e;
    diag_log log;
    parse_variant(APSCO_FORMAT_OMM_JSON, "CLASSIFICATION_TYPE", NULL, &e, &log);
    assert_int_equal(e.classification, 'U');
    parse_variant(APSCO_FORMAT_OMM_JSON, "OBJECT_NAME", NULL, &e, &log);
    assert_string_equal(e.name, "");
    parse_variant(APSCO_FORMAT_OMM_CSV, "REV_AT_EPOCH", "", &e, &log);
    assert_int_equal(e.rev_at_epoch, 0);
    parse_variant(APSCO_FORMAT_OMM_KVN, "ELEMENT_SET_NO", NULL, &e, &log);
    assert_int_equal(e.element_set_no, 0);
}

static void test_omm_accepts_every_ccsds_number_spelling(void **state)
{
    (void)state;
    static const struct {
        const char *key, *value;
    } same[] = {
        {"ECCENTRICITY", ".0006229"},    {"ECCENTRICITY", "6.229E-4"},
        {"ECCENTRICITY", "+6229e-7"},    {"BSTAR", ".17698E-3"},
        {"BSTAR", "0.00017698"},         {"BSTAR", "1.7698e-04"},
        {"MEAN_MOTION", "+15.48370465"}, {"MEAN_MOTION", " 15.48370465 "},
        {"INCLINATION", "51.63440"},
    };
    apsco_elset ref, e;
    diag_log log;
    parse_variant(APSCO_FORMAT_OMM_KVN, "OBJECT_NAME", "ISS (ZARYA)", &ref, &log);
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        for (int f = 0; f < 4; f++) {
            parse_variant(formats[f], same[i].key, same[i].value, &e, &log);
            assert_int_equal(log.count, 0);
            assert_true(e.ecc == ref.ecc && e.bstar_per_er == ref.bstar_per_er &&
                        e.mean_motion_rad_min == ref.mean_motion_rad_min &&
                        e.incl_rad == ref.incl_rad);
        }
    }
}

static void test_omm_epoch_forms_give_the_same_instant(void **state)
{
    (void)state;
    /* 2026-03-19 is day 78; 03:06:36.144 is 0.129585 of a day. */
    static const char *const forms[] = {"2026-03-19T03:06:36.144",
                                        "2026-03-19T03:06:36.144000Z",
                                        "2026-078T03:06:36.144",
                                        "2026-078T03:06:36.144Z",
                                        "2026-03-19T03:06:36.144000000000000001",
                                        "2026-03-19 03:06:36.144+00:00"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        for (int f = 0; f < 4; f++) {
            apsco_elset e;
            diag_log log;
            parse_variant(formats[f], "EPOCH", forms[i], &e, &log);
            assert_int_equal(log.count, 0);
            assert_int_equal(e.epoch_year, 2026);
            assert_true(e.epoch_day == 78.129585);
            apsco_time t = apsco_time_from_year_day(2026, 78.129585);
            assert_true(e.epoch.jd == t.jd && e.epoch.fr == t.fr);
        }
    }
}

static void test_omm_epoch_day_is_the_correctly_rounded_decimal(void **state)
{
    (void)state;
    /* Seconds that are not whole microseconds: 00:00:01 is day 1 + 1/86400 = 1.0000115740740…;
     * 23:59:59.99999 on December 31 is day 365.99999999988425925…, a different double from
     * 366 - 1 ulp; and 23:59:59.999999999 is closer to 366.0 than to any other double, so it
     * becomes January 1 of the next year (the day double cannot resolve 1 ns at day 366). */
    apsco_elset e;
    diag_log log;
    parse_variant(APSCO_FORMAT_OMM_KVN, "EPOCH", "2026-01-01T00:00:01", &e, &log);
    assert_true(e.epoch_day == 1.0 + 1.0 / 86400.0);
    parse_variant(APSCO_FORMAT_OMM_KVN, "EPOCH", "2026-12-31T23:59:59.99999", &e, &log);
    assert_true(e.epoch_day == 365.99999999988425925925925925925926);
    assert_int_equal(e.epoch_year, 2026);
    parse_variant(APSCO_FORMAT_OMM_KVN, "EPOCH", "2026-12-31T23:59:59.999999999", &e, &log);
    assert_int_equal(e.epoch_year, 2027);
    assert_true(e.epoch_day == 1.0);
    apsco_time jan1 = apsco_time_from_calendar(2027, 1, 1, 0, 0, 0.0);
    assert_true(e.epoch.jd == jan1.jd && e.epoch.fr == 0.0);
    parse_variant(APSCO_FORMAT_OMM_KVN, "EPOCH", "2024-12-31T12:00:00", &e, &log);
    assert_true(e.epoch_day == 366.5);
}

static void test_omm_skipped_record_is_fatal_in_strict_mode_and_nothing_is_added(void **state)
{
    (void)state;
    static builder b;
    for (int f = 0; f < 4; f++) {
        lines at = build(formats[f], "ECCENTRICITY", "1.5", &b);
        apsco_catalog cat = {0};
        apsco_elset keep;
        memset(&keep, 0, sizeof keep);
        assert_int_equal(apsco_catalog_append(&cat, &keep), APSCO_OK);
        diag_log log;
        apsco_error err;
        assert_int_equal(parse_text(formats[f], 1, b.text, b.len, sources[f], &cat, &log, &err),
                         APSCO_ERR_VALUE);
        assert_int_equal(cat.count, 1);
        assert_int_equal(log.count, 0);
        assert_string_equal(err.file, sources[f]);
        assert_int_equal(err.line, at.field);
        assert_non_null(strstr(err.message, "ECCENTRICITY 1.5"));
        apsco_catalog_free(&cat);
    }
}

static void test_omm_without_diag_callback_keeps_the_last_problem_in_err(void **state)
{
    (void)state;
    static builder b;
    lines at = build(APSCO_FORMAT_OMM_CSV, "INCLINATION", "200", &b);
    apsco_catalog cat = {0};
    apsco_error err;
    apsco_parse_options o = {APSCO_FORMAT_AUTO, 0, NULL, NULL};
    assert_int_equal(apsco_catalog_parse(b.text, b.len, "x.csv", &o, &cat, &err), APSCO_OK);
    assert_int_equal(cat.count, 2);
    assert_int_equal(err.line, at.field);
    assert_int_equal(err.status, APSCO_ERR_VALUE);
    apsco_catalog_free(&cat);
}

static void test_omm_auto_detection_chooses_each_encoding(void **state)
{
    (void)state;
    static builder b;
    for (int f = 0; f < 4; f++) {
        build(formats[f], "OBJECT_NAME", "ISS", &b);
        assert_int_equal(apsco_elset_detect_format(b.text, b.len), formats[f]);
        apsco_catalog cat = {0};
        diag_log log;
        apsco_error err;
        assert_int_equal(
            parse_text(APSCO_FORMAT_AUTO, 1, b.text, b.len, sources[f], &cat, &log, &err),
            APSCO_OK);
        assert_int_equal(cat.count, 3);
        apsco_catalog_free(&cat);
    }
    assert_int_equal(apsco_elset_detect_format("\xEF\xBB\xBF  [ ]", 8), APSCO_FORMAT_OMM_JSON);
    const char *kvn = "COMMENT a\r\nCOMMENT b\nCCSDS_OMM_VERS = 3.0\n";
    assert_int_equal(apsco_elset_detect_format(kvn, strlen(kvn)), APSCO_FORMAT_OMM_KVN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_omm_skips_records_without_a_mandatory_keyword),
        cmocka_unit_test(test_omm_skips_records_with_non_numeric_values),
        cmocka_unit_test(test_omm_skips_records_with_nan_or_infinity),
        cmocka_unit_test(test_omm_skips_records_with_impossible_epochs),
        cmocka_unit_test(test_omm_skips_records_with_out_of_range_values),
        cmocka_unit_test(test_omm_skips_records_that_are_not_sgp4_elements_of_earth),
        cmocka_unit_test(test_omm_skips_records_with_over_long_or_control_values),
        cmocka_unit_test(test_omm_reads_catalog_numbers_beyond_99999),
        cmocka_unit_test(test_omm_object_id_becomes_the_tle_international_designator),
        cmocka_unit_test(test_omm_malformed_object_id_is_fatal_in_strict_mode),
        cmocka_unit_test(test_omm_optional_keywords_take_tle_defaults),
        cmocka_unit_test(test_omm_accepts_every_ccsds_number_spelling),
        cmocka_unit_test(test_omm_epoch_forms_give_the_same_instant),
        cmocka_unit_test(test_omm_epoch_day_is_the_correctly_rounded_decimal),
        cmocka_unit_test(test_omm_skipped_record_is_fatal_in_strict_mode_and_nothing_is_added),
        cmocka_unit_test(test_omm_without_diag_callback_keeps_the_last_problem_in_err),
        cmocka_unit_test(test_omm_auto_detection_chooses_each_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
