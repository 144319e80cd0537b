/*
 * Tests of the TLE writer and of synthetic catalogs: every element set of the
 * bundled 2026 snapshot written back gives its original lines, synthetic
 * catalogs are reproducible, numbered into Alpha-5, carry valid checksums
 * and read back from their file bit for bit.
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

#include "apsco/elements.h"
#include "apsco/synth.h"
#include "testutil.h"

static char *snapshot_path(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/../../data/celestrak-active-2026-03-19.tle", APSCO_TEST_DATA);
    return path;
}

static void load_snapshot(apsco_catalog *cat)
{
    apsco_error err;
    apsco_parse_options o = {APSCO_FORMAT_TLE, 0, NULL, NULL};
    assert_int_equal(apsco_catalog_load(snapshot_path(), &o, cat, &err), APSCO_OK);
}

/* Same element set: every field but the input line. */
static int same_elset(const apsco_elset *a, const apsco_elset *b)
{
    apsco_elset x = *a, y = *b;
    x.source_line = y.source_line = 0;
    return !memcmp(&x, &y, sizeof x);
}

static void test_tle_writer_reproduces_every_line_of_the_snapshot(void **state)
{
    (void)state;
    FILE *f = fopen(snapshot_path(), "r");
    assert_non_null(f);
    char name[128], l1[128], l2[128];
    long sets = 0, differ = 0;
    while (fgets(name, sizeof name, f) && fgets(l1, sizeof l1, f) && fgets(l2, sizeof l2, f)) {
        l1[strcspn(l1, "\r\n")] = '\0';
        l2[strcspn(l2, "\r\n")] = '\0';
        apsco_elset e;
        apsco_error err;
        assert_int_equal(apsco_elset_parse_tle(l1, l2, NULL, "snap", 1, NULL, &e, &err), APSCO_OK);
        char w1[70], w2[70];
        assert_int_equal(apsco_elset_format_tle(&e, w1, w2, &err), APSCO_OK);
        if (strcmp(w1, l1) || strcmp(w2, l2)) {
            if (differ++ < 3)
                print_message("read  %s\n      %s\nwrote %s\n      %s\n", l1, l2, w1, w2);
        }
        sets++;
    }
    fclose(f);
    assert_true(sets > 14000);
    assert_int_equal(differ, 0);
}

static void test_tle_writer_uses_alpha5_and_rejects_what_columns_cannot_hold(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    load_snapshot(&cat);
    apsco_elset e = cat.items[0];
    char l1[70], l2[70];
    apsco_error err;
    e.norad = 100000;
    assert_int_equal(apsco_elset_format_tle(&e, l1, l2, &err), APSCO_OK);
    assert_memory_equal(l1 + 2, "A0000", 5);
    assert_memory_equal(l2 + 2, "A0000", 5);
    assert_int_equal(l1[68] - '0', apsco_tle_checksum(l1));
    e.norad = 340000;
    assert_int_equal(apsco_elset_format_tle(&e, l1, l2, &err), APSCO_ERR_VALUE);
    e = cat.items[0];
    e.mean_motion_rad_min = 100.0 * 2 * M_PI / 1440.0;
    assert_int_equal(apsco_elset_format_tle(&e, l1, l2, &err), APSCO_ERR_VALUE);
    e = cat.items[0];
    e.epoch = apsco_time_from_calendar(2057, 1, 1, 0, 0, 0);
    assert_int_equal(apsco_elset_format_tle(&e, l1, l2, &err), APSCO_ERR_VALUE);
    e.epoch = apsco_time_from_calendar(2000, 12, 31, 23, 59, 59.9999999);
    assert_int_equal(apsco_elset_format_tle(&e, l1, l2, &err), APSCO_OK);
    assert_memory_equal(l1 + 18, "01001.00000000", 14);
    apsco_catalog_free(&cat);
}

static void test_synth_is_reproducible_for_a_seed(void **state)
{
    (void)state;
    apsco_catalog base = {0}, a = {0}, b = {0}, c = {0};
    load_snapshot(&base);
    apsco_synth_options o = apsco_synth_defaults();
    o.count = 2000;
    apsco_error err;
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &a, &err), APSCO_OK);
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &b, &err), APSCO_OK);
    o.seed = 2;
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &c, &err), APSCO_OK);
    assert_int_equal(a.count, 2000);
    size_t same_as_c = 0;
    for (size_t i = 0; i < a.count; i++) {
        assert_true(same_elset(&a.items[i], &b.items[i]));
        same_as_c += same_elset(&a.items[i], &c.items[i]);
    }
    assert_int_equal(same_as_c, 0);
    apsco_catalog_free(&base);
    apsco_catalog_free(&a);
    apsco_catalog_free(&b);
    apsco_catalog_free(&c);
}

static void test_synth_numbers_objects_in_order_into_alpha5(void **state)
{
    (void)state;
    apsco_catalog base = {0}, out = {0};
    load_snapshot(&base);
    apsco_synth_options o = apsco_synth_defaults();
    apsco_error err;
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &out, &err), APSCO_OK);
    assert_int_equal(out.count, 30000);
    assert_int_equal(out.items[0].norad, 80000);
    assert_int_equal(out.items[29999].norad, 109999);
    assert_int_equal(strncmp(out.items[0].name, "SYN ", 4), 0);
    /* Shapes are kept, planes, phases and epochs move (within a day). */
    const apsco_elset *src = &base.items[0], *syn = &out.items[0];
    assert_near(syn->incl_rad, src->incl_rad, 1e-6);
    assert_near(syn->mean_motion_rad_min, src->mean_motion_rad_min, 1e-9);
    double shift_s = 0;
    for (size_t i = 0; i < out.count; i++) {
        double d = fabs(apsco_time_diff_s(out.items[i].epoch, base.items[i % base.count].epoch));
        shift_s = d > shift_s ? d : shift_s;
    }
    assert_true(shift_s <= 86400.0 + 1e-3);
    assert_true(shift_s > 80000.0);
    apsco_catalog_free(&base);
    apsco_catalog_free(&out);
}

static void test_synth_catalog_reads_back_from_its_file_bit_for_bit(void **state)
{
    (void)state;
    apsco_catalog base = {0}, out = {0}, back = {0};
    load_snapshot(&base);
    apsco_synth_options o = apsco_synth_defaults();
    o.count = 3000;
    o.first_norad = 98500;
    apsco_error err;
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &out, &err), APSCO_OK);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_int_equal(apsco_catalog_write_3le(mem, &out, &err), APSCO_OK);
    fclose(mem);
    assert_non_null(strstr(text, "\n1 A0000U"));
    /* Strict mode: a single bad checksum would fail the parse. */
    apsco_parse_options strict = {APSCO_FORMAT_TLE, 1, NULL, NULL};
    assert_int_equal(apsco_catalog_parse(text, len, "synth.tle", &strict, &back, &err), APSCO_OK);
    assert_int_equal(back.count, out.count);
    for (size_t i = 0; i < out.count; i++)
        assert_true(same_elset(&out.items[i], &back.items[i]));
    free(text);
    apsco_catalog_free(&base);
    apsco_catalog_free(&out);
    apsco_catalog_free(&back);
}

static void test_synth_rejects_impossible_requests(void **state)
{
    (void)state;
    apsco_catalog base = {0}, empty = {0}, out = {0};
    load_snapshot(&base);
    apsco_synth_options o = apsco_synth_defaults();
    apsco_error err;
    assert_int_equal(apsco_catalog_synthesize(&empty, &o, &out, &err), APSCO_ERR_ARG);
    o.first_norad = 330000;
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &out, &err), APSCO_ERR_ARG);
    o = apsco_synth_defaults();
    o.count = 0;
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &out, &err), APSCO_ERR_ARG);
    o = apsco_synth_defaults();
    o.epoch_spread_days = -1;
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &out, &err), APSCO_ERR_ARG);
    assert_int_equal(out.count, 0);
    apsco_catalog_free(&base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tle_writer_reproduces_every_line_of_the_snapshot),
        cmocka_unit_test(test_tle_writer_uses_alpha5_and_rejects_what_columns_cannot_hold),
        cmocka_unit_test(test_synth_is_reproducible_for_a_seed),
        cmocka_unit_test(test_synth_numbers_objects_in_order_into_alpha5),
        cmocka_unit_test(test_synth_catalog_reads_back_from_its_file_bit_for_bit),
        cmocka_unit_test(test_synth_rejects_impossible_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
