/*
 * Tests that one element set gives the same apsco_elset from its TLE and
 * from its CCSDS OMM in KVN, XML, JSON and CSV: 24 real (and two
 * Alpha-5-renumbered) element sets of CelesTrak's 2026-03-19 catalog,
 * written in all five encodings by tests/data/elements/make_omm_samples.py,
 * and python-sgp4's own OMM samples.
 */
#include <math.h>
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

#define SAMPLE_SETS 24

static const char *const encodings[] = {"tle", "kvn", "xml", "json", "csv"};
enum { TLE, KVN, XML, JSON, CSV, ENCODINGS };

static void load(const char *name, apsco_catalog *cat)
{
    apsco_parse_options strict = {APSCO_FORMAT_AUTO, 1, NULL, NULL};
    apsco_error err;
    apsco_status st = apsco_catalog_load(test_data_path(name), &strict, cat, &err);
    if (st != APSCO_OK) {
        char buf[1024];
        fail_msg("%s", apsco_error_format(&err, buf, sizeof buf));
    }
}

static void load_samples(apsco_catalog cats[ENCODINGS])
{
    for (int f = 0; f < ENCODINGS; f++) {
        char name[128];
        snprintf(name, sizeof name, "elements/celestrak-2026-03-19-sample.%s", encodings[f]);
        memset(&cats[f], 0, sizeof cats[f]);
        load(name, &cats[f]);
        assert_int_equal(cats[f].count, SAMPLE_SETS);
    }
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

#define assert_same_bits(field, a, b, what)                                                        \
    do {                                                                                           \
        if (!same_bits((a)->field, (b)->field))                                                    \
            fail_msg("catalog %ld %s: %s %.17g differs from %.17g", (a)->norad, what, #field,      \
                     (b)->field, (a)->field);                                                      \
    } while (0)

static void assert_same_identity(const apsco_elset *a, const apsco_elset *b)
{
    assert_int_equal(b->norad, a->norad);
    assert_string_equal(b->name, a->name);
    assert_string_equal(b->intldes, a->intldes);
    assert_int_equal(b->classification, a->classification);
    assert_int_equal(b->ephemeris_type, a->ephemeris_type);
    assert_int_equal(b->element_set_no, a->element_set_no);
    assert_int_equal(b->rev_at_epoch, a->rev_at_epoch);
    assert_int_equal(b->epoch_year, a->epoch_year);
}

/* Everything that a TLE and an OMM spell as the same decimal text. */
static void assert_same_exact_fields(const apsco_elset *a, const apsco_elset *b, const char *what)
{
    assert_same_identity(a, b);
    assert_same_bits(epoch.jd, a, b, what);
    assert_same_bits(epoch.fr, a, b, what);
    assert_same_bits(epoch_day, a, b, what);
    assert_same_bits(mean_motion_rad_min, a, b, what);
    assert_same_bits(ecc, a, b, what);
    assert_same_bits(incl_rad, a, b, what);
    assert_same_bits(raan_rad, a, b, what);
    assert_same_bits(argp_rad, a, b, what);
    assert_same_bits(mean_anomaly_rad, a, b, what);
    assert_same_bits(ndot_rad_min2, a, b, what);
}

static void test_omm_four_encodings_give_bit_identical_element_sets(void **state)
{
    (void)state;
    apsco_catalog cats[ENCODINGS];
    load_samples(cats);
    for (size_t i = 0; i < SAMPLE_SETS; i++) {
        const apsco_elset *kvn = &cats[KVN].items[i];
        for (int f = XML; f < ENCODINGS; f++) {
            const apsco_elset *e = &cats[f].items[i];
            assert_same_exact_fields(kvn, e, encodings[f]);
            assert_same_bits(bstar_per_er, kvn, e, encodings[f]);
            assert_same_bits(nddot_rad_min3, kvn, e, encodings[f]);
        }
    }
    for (int f = 0; f < ENCODINGS; f++)
        apsco_catalog_free(&cats[f]);
}

/*
 * The TLE and the OMM agree bit for bit, epoch and drag terms included. The
 * TLE spells BSTAR and NDDOT as mantissa and exponent (" 17698-3"), which the
 * reference reads as strtod("0.17698") * pow(10, -3); the OMM spells the
 * decimal (1.7698E-4). An OMM value with no more digits than the TLE field is
 * read the TLE's way, so both give the same double (read as one correctly
 * rounded decimal, 4 301 of the 14 710 BSTARs of the 2026-03-19 catalog would
 * differ by 1-2 ulp, GAOFEN-1 and STARLINK-1398 among the samples).
 */
static void test_omm_and_tle_agree_bit_for_bit(void **state)
{
    (void)state;
    apsco_catalog cats[ENCODINGS];
    load_samples(cats);
    for (size_t i = 0; i < SAMPLE_SETS; i++) {
        const apsco_elset *tle = &cats[TLE].items[i];
        for (int f = KVN; f < ENCODINGS; f++) {
            const apsco_elset *e = &cats[f].items[i];
            assert_same_exact_fields(tle, e, encodings[f]);
            assert_same_bits(bstar_per_er, tle, e, encodings[f]);
            assert_same_bits(nddot_rad_min3, tle, e, encodings[f]);
        }
    }
    for (int f = 0; f < ENCODINGS; f++)
        apsco_catalog_free(&cats[f]);
}

/* A drag term with more digits than a TLE holds keeps its correctly rounded decimal value. */
static void test_omm_drag_terms_beyond_tle_precision_stay_exact(void **state)
{
    (void)state;
    static const char json[] =
        "[{\"OBJECT_NAME\":\"X\",\"OBJECT_ID\":\"2020-001A\",\"EPOCH\":\"2026-03-19T00:00:00\","
        "\"MEAN_MOTION\":15.0,\"ECCENTRICITY\":0.001,\"INCLINATION\":51.6,\"RA_OF_ASC_NODE\":10,"
        "\"ARG_OF_PERICENTER\":20,\"MEAN_ANOMALY\":30,\"NORAD_CAT_ID\":1,\"BSTAR\":\"1.769834E-4\","
        "\"MEAN_MOTION_DOT\":0,\"MEAN_MOTION_DDOT\":\"1.2345E-12\"}]";
    apsco_catalog cat = {0};
    apsco_error err;
    assert_int_equal(apsco_catalog_parse(json, sizeof json - 1, "x.json", NULL, &cat, &err),
                     APSCO_OK);
    assert_true(cat.items[0].bstar_per_er == 1.769834E-4);
    /* 1.2345E-12 = 0.12345e-11: a power of ten beyond the TLE's one digit. */
    assert_true(cat.items[0].nddot_rad_min3 ==
                1.2345E-12 / ((1440.0 / (2.0 * M_PI)) * 1440.0 * 1440));
    apsco_catalog_free(&cat);
}

static void test_omm_samples_cover_alpha5_heo_geo_and_negative_drag(void **state)
{
    (void)state;
    apsco_catalog cats[ENCODINGS];
    load_samples(cats);
    int alpha5 = 0, heo = 0, geo = 0, negative_bstar = 0, nddot = 0;
    for (size_t i = 0; i < SAMPLE_SETS; i++) {
        const apsco_elset *e = &cats[KVN].items[i];
        double rev_day = e->mean_motion_rad_min * 1440.0 / (2.0 * M_PI);
        alpha5 += e->norad > 99999;
        heo += e->ecc > 0.6;
        geo += fabs(rev_day - 1.0027) < 0.001;
        negative_bstar += e->bstar_per_er < 0.0;
        nddot += e->nddot_rad_min3 != 0.0;
    }
    assert_int_equal(alpha5, 2);
    assert_true(heo >= 4 && geo >= 3 && negative_bstar >= 2 && nddot >= 3);
    /* The Alpha-5 pair: T0001 and Z9999, the largest number a TLE can carry. */
    assert_int_equal(cats[JSON].items[22].norad, 270001);
    assert_int_equal(cats[CSV].items[23].norad, 339999);
    for (int f = 0; f < ENCODINGS; f++)
        apsco_catalog_free(&cats[f]);
}

static void test_omm_records_remember_the_line_they_start_on(void **state)
{
    (void)state;
    apsco_catalog cats[ENCODINGS];
    load_samples(cats);
    /* 3-line TLEs; KVN messages of 31 lines; one XML segment per 36 lines after a 2-line prologue
     * and 3 lines of <omm>, <header>, <body>; one JSON object per line; CSV after its header. */
    for (long i = 0; i < 3; i++) {
        assert_int_equal(cats[TLE].items[i].source_line, 1 + 3 * i);
        assert_int_equal(cats[KVN].items[i].source_line, 1 + 31 * i);
        assert_int_equal(cats[XML].items[i].source_line, 6 + 36 * i);
        assert_int_equal(cats[JSON].items[i].source_line, 1 + i);
        assert_int_equal(cats[CSV].items[i].source_line, 2 + i);
    }
    for (int f = 0; f < ENCODINGS; f++)
        apsco_catalog_free(&cats[f]);
}

/* VANGUARD 1 as python-sgp4 ships it: 2020-10-13T04:52:48.472320 is day 287.2033388. */
static void assert_vanguard(const apsco_elset *e)
{
    const double xpdotp = 1440.0 / (2.0 * M_PI), deg = M_PI / 180.0;
    assert_int_equal(e->norad, 5);
    assert_string_equal(e->name, "VANGUARD 1");
    assert_string_equal(e->intldes, "58002B");
    assert_int_equal(e->element_set_no, 999);
    assert_int_equal(e->rev_at_epoch, 21814);
    assert_int_equal(e->epoch_year, 2020);
    assert_true(e->epoch_day == 287.2033388);
    assert_true(e->mean_motion_rad_min == 10.84869164 / xpdotp);
    assert_true(e->ecc == 0.1845686);
    assert_true(e->incl_rad == 34.2443 * deg);
    assert_true(e->raan_rad == 225.5254 * deg);
    assert_true(e->argp_rad == 162.2516 * deg);
    assert_true(e->mean_anomaly_rad == 205.2356 * deg);
    assert_true(e->bstar_per_er == -0.22483e-4);
    assert_true(e->ndot_rad_min2 == -1.6e-7 / (xpdotp * 1440.0));
    assert_true(e->nddot_rad_min3 == 0.0);
}

static void test_omm_reads_python_sgp4_samples(void **state)
{
    (void)state;
    apsco_catalog xml = {0}, csv = {0};
    load("elements/sample_omm.xml", &xml);
    load("elements/sample_omm.csv", &csv);
    assert_int_equal(xml.count, 1);
    assert_int_equal(csv.count, 1);
    assert_vanguard(&xml.items[0]);
    assert_vanguard(&csv.items[0]);
    assert_int_equal(xml.items[0].source_line, 4);
    assert_int_equal(csv.items[0].source_line, 2);
    apsco_catalog_free(&xml);
    apsco_catalog_free(&csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_omm_four_encodings_give_bit_identical_element_sets),
        cmocka_unit_test(test_omm_and_tle_agree_bit_for_bit),
        cmocka_unit_test(test_omm_drag_terms_beyond_tle_precision_stay_exact),
        cmocka_unit_test(test_omm_samples_cover_alpha5_heo_geo_and_negative_drag),
        cmocka_unit_test(test_omm_records_remember_the_line_they_start_on),
        cmocka_unit_test(test_omm_reads_python_sgp4_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
