/*
 * Tests of the station file: header-driven columns, every validation rule
 * with the line it reports, horizon masks interpolated across north, the
 * CSV reader underneath, and a write/read round trip of the bundled network.
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

#include "apsco/csv.h"
#include "apsco/stations.h"
#include "testutil.h"

#define DEG    (M_PI / 180.0)
#define HEADER "id,name,state,lat_deg,lon_deg,alt_m,min_el_deg\n"

static apsco_status parse(const char *text, apsco_station_list *list, apsco_error *err)
{
    return apsco_stations_parse(text, strlen(text), "st.csv", list, err);
}

/* Parses `text`, expects failure with `status` at `line` and a message containing `word`. */
static void expect_error(const char *text, apsco_status status, long line, const char *word)
{
    apsco_station_list list = {0};
    apsco_error err;
    apsco_status st = parse(text, &list, &err);
    if (st != status || err.line != line || !strstr(err.message, word) ||
        strcmp(err.file, "st.csv"))
        fail_msg("got %s at %s:%ld '%s', expected %s at line %ld with '%s'", apsco_status_name(st),
                 err.file, err.line, err.message, apsco_status_name(status), line, word);
    assert_int_equal(list.count, 0);
    apsco_station_list_free(&list);
}

static void test_stations_reads_required_columns_in_radians_and_km(void **state)
{
    (void)state;
    apsco_station_list list = {0};
    apsco_error err;
    assert_int_equal(parse(HEADER "PK-LHR,SUPARCO Lahore,PK,31.5,74.25,215,5\n", &list, &err),
                     APSCO_OK);
    assert_int_equal(list.count, 1);
    const apsco_station *s = &list.items[0];
    assert_string_equal(s->id, "PK-LHR");
    assert_string_equal(s->name, "SUPARCO Lahore");
    assert_string_equal(s->state, "PK");
    assert_near(s->lat_rad, 31.5 * DEG, 1e-15);
    assert_near(s->lon_rad, 74.25 * DEG, 1e-15);
    assert_near(s->alt_km, 0.215, 1e-15);
    assert_near(s->min_el_rad, 5 * DEG, 1e-15);
    assert_int_equal(s->antennas, 1);
    assert_int_equal(s->mask_count, 0);
    assert_string_equal(s->agency, "");
    assert_int_equal(s->source_line, 2);
    apsco_station_list_free(&list);
}

static void test_stations_columns_may_come_in_any_order_with_optional_ones(void **state)
{
    (void)state;
    const char *text = "# a note\n"
                       "agency,antennas,mask,min_el_deg,alt_m,lon_deg,lat_deg,state,name,id\n"
                       "\n"
                       "SUPARCO,3,0:10;180:2,0,10,67,24.9,PK,\"Karachi, HQ\",PK-KHI\n"
                       "SUPARCO,,,0,10,67,24.9,PK,Karachi 2,PK-KHI2\n";
    apsco_station_list list = {0};
    apsco_error err;
    assert_int_equal(parse(text, &list, &err), APSCO_OK);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[0].name, "Karachi, HQ");
    assert_string_equal(list.items[0].agency, "SUPARCO");
    assert_int_equal(list.items[0].antennas, 3);
    assert_int_equal(list.items[0].mask_count, 2);
    assert_int_equal(list.items[0].source_line, 4);
    assert_int_equal(list.items[1].antennas, 1);
    assert_int_equal(list.items[1].mask_count, 0);
    apsco_station_list_free(&list);
}

static void test_stations_folds_longitudes_east_of_180_to_the_west(void **state)
{
    (void)state;
    apsco_station_list list = {0};
    apsco_error err;
    assert_int_equal(parse(HEADER "PE-1,Lima,PE,-12.5,283.21,40,5\n", &list, &err), APSCO_OK);
    assert_near(list.items[0].lon_rad, -76.79 * DEG, 1e-12);
    apsco_station_list_free(&list);
}

static void test_stations_accepts_the_edges_of_every_range(void **state)
{
    (void)state;
    apsco_station_list list = {0};
    apsco_error err;
    const char *text = HEADER "A,a,AQ,-90,-180,-500,-5\n"
                              "B,b,AQ,90,359.9999,9000,90\n";
    assert_int_equal(parse(text, &list, &err), APSCO_OK);
    assert_int_equal(list.count, 2);
    apsco_station_list_free(&list);
}

static void test_stations_rejects_values_out_of_range_with_their_line(void **state)
{
    (void)state;
    expect_error(HEADER "A,a,PK,90.5,0,0,5\n", APSCO_ERR_VALUE, 2, "latitude");
    expect_error(HEADER "A,a,PK,0,0,0,5\nB,b,PK,-91,0,0,5\n", APSCO_ERR_VALUE, 3, "latitude");
    expect_error(HEADER "A,a,PK,0,360,0,5\n", APSCO_ERR_VALUE, 2, "longitude");
    expect_error(HEADER "A,a,PK,0,-180.1,0,5\n", APSCO_ERR_VALUE, 2, "longitude");
    expect_error(HEADER "A,a,PK,0,0,9001,5\n", APSCO_ERR_VALUE, 2, "altitude");
    expect_error(HEADER "A,a,PK,0,0,-501,5\n", APSCO_ERR_VALUE, 2, "altitude");
    expect_error(HEADER "A,a,PK,0,0,0,-5.5\n", APSCO_ERR_VALUE, 2, "minimum elevation");
    expect_error(HEADER "A,a,PK,0,0,0,90.1\n", APSCO_ERR_VALUE, 2, "minimum elevation");
}

static void test_stations_rejects_malformed_numbers(void **state)
{
    (void)state;
    expect_error(HEADER "A,a,PK,north,0,0,5\n", APSCO_ERR_PARSE, 2, "lat_deg");
    expect_error(HEADER "A,a,PK,1,0x10,0,5\n", APSCO_ERR_PARSE, 2, "lon_deg");
    expect_error(HEADER "A,a,PK,1,2,inf,5\n", APSCO_ERR_PARSE, 2, "alt_m");
    expect_error(HEADER "A,a,PK,1,2,3,\n", APSCO_ERR_PARSE, 2, "min_el_deg");
    expect_error("id,name,state,lat_deg,lon_deg,alt_m,min_el_deg,antennas\nA,a,PK,1,2,3,4,1.5\n",
                 APSCO_ERR_PARSE, 2, "antennas");
    expect_error("id,name,state,lat_deg,lon_deg,alt_m,min_el_deg,antennas\nA,a,PK,1,2,3,4,0\n",
                 APSCO_ERR_VALUE, 2, "antennas");
}

static void test_stations_rejects_duplicate_ids_naming_the_first(void **state)
{
    (void)state;
    expect_error(HEADER "A,a,PK,0,0,0,5\nB,b,PK,0,0,0,5\nA,c,PK,0,0,0,5\n", APSCO_ERR_VALUE, 4,
                 "duplicate station id 'A' (first on line 2)");
}

static void test_stations_rejects_bad_ids_and_state_codes(void **state)
{
    (void)state;
    expect_error(HEADER ",a,PK,0,0,0,5\n", APSCO_ERR_VALUE, 2, "station id");
    expect_error(HEADER "A B,a,PK,0,0,0,5\n", APSCO_ERR_VALUE, 2, "station id");
    expect_error(HEADER "A,a,pk,0,0,0,5\n", APSCO_ERR_VALUE, 2, "state 'pk'");
    expect_error(HEADER "A,a,PAK,0,0,0,5\n", APSCO_ERR_VALUE, 2, "state 'PAK'");
}

static void test_stations_rejects_bad_headers_and_field_counts(void **state)
{
    (void)state;
    expect_error("id,name,state,lat_deg,lon_deg,alt_m\nA,a,PK,0,0,0\n", APSCO_ERR_PARSE, 1,
                 "missing column 'min_el_deg'");
    expect_error("id,name,state,lat,lon_deg,alt_m,min_el_deg\n", APSCO_ERR_PARSE, 1,
                 "unknown column 'lat'");
    expect_error("id,id,name,state,lat_deg,lon_deg,alt_m,min_el_deg\n", APSCO_ERR_PARSE, 1,
                 "appears twice");
    expect_error(HEADER "A,a,PK,0,0,0\n", APSCO_ERR_PARSE, 2, "expected 7 fields");
    expect_error(HEADER "\n# nothing\n", APSCO_ERR_EMPTY, 0, "no station");
    expect_error("", APSCO_ERR_EMPTY, 0, "no header");
}

static void test_stations_rejects_masks_out_of_order_or_range(void **state)
{
    (void)state;
    const char *h = "id,name,state,lat_deg,lon_deg,alt_m,min_el_deg,mask\n";
    char text[256];
    snprintf(text, sizeof text, "%sA,a,PK,0,0,0,5,90:3;45:2\n", h);
    expect_error(text, APSCO_ERR_VALUE, 2, "increase");
    snprintf(text, sizeof text, "%sA,a,PK,0,0,0,5,0:3;0:2\n", h);
    expect_error(text, APSCO_ERR_VALUE, 2, "increase");
    snprintf(text, sizeof text, "%sA,a,PK,0,0,0,5,360:3\n", h);
    expect_error(text, APSCO_ERR_VALUE, 2, "azimuth");
    snprintf(text, sizeof text, "%sA,a,PK,0,0,0,5,10:95\n", h);
    expect_error(text, APSCO_ERR_VALUE, 2, "mask elevation");
    snprintf(text, sizeof text, "%sA,a,PK,0,0,0,5,10-3\n", h);
    expect_error(text, APSCO_ERR_PARSE, 2, "mask point '10-3'");
    snprintf(text, sizeof text, "%sA,a,PK,0,0,0,5,10:3;\n", h);
    expect_error(text, APSCO_ERR_PARSE, 2, "mask point");
}

static void test_stations_report_an_unterminated_quote_at_its_record(void **state)
{
    (void)state;
    expect_error(HEADER "A,\"Lahore,PK,0,0,0,5\nB,b,PK,0,0,0,5\n", APSCO_ERR_PARSE, 2,
                 "unterminated");
    expect_error(HEADER "A,\"Lahore\"x,PK,0,0,0,5\n", APSCO_ERR_PARSE, 2, "closing quote");
}

static void test_stations_keep_the_list_unchanged_on_error(void **state)
{
    (void)state;
    apsco_station_list list = {0};
    apsco_error err;
    assert_int_equal(parse(HEADER "A,a,PK,0,0,0,5\n", &list, &err), APSCO_OK);
    assert_int_equal(parse(HEADER "B,b,PK,0,0,0,5\nC,c,PK,99,0,0,5\n", &list, &err),
                     APSCO_ERR_VALUE);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].id, "A");
    apsco_station_list_free(&list);
}

static apsco_station station_with_mask(const char *mask, double min_el_deg)
{
    apsco_station s;
    memset(&s, 0, sizeof s);
    s.min_el_rad = min_el_deg * DEG;
    apsco_error err;
    assert_int_equal(apsco_station_set_mask(&s, mask, &err), APSCO_OK);
    return s;
}

static void test_mask_is_interpolated_linearly_in_azimuth(void **state)
{
    (void)state;
    apsco_station s = station_with_mask("10:20; 90:40 ;180:10;270:10", -5);
    assert_int_equal(s.mask_count, 4);
    assert_near(apsco_station_min_el_at_rad(&s, 10 * DEG), 20 * DEG, 1e-12);
    assert_near(apsco_station_min_el_at_rad(&s, 50 * DEG), 30 * DEG, 1e-12);
    assert_near(apsco_station_min_el_at_rad(&s, 135 * DEG), 25 * DEG, 1e-12);
    assert_near(apsco_station_min_el_at_rad(&s, 200 * DEG), 10 * DEG, 1e-12);
}

static void test_mask_wraps_across_north(void **state)
{
    (void)state;
    /* From 270:10 to 10:20 (= 370): 100 degrees of azimuth, 10 degrees of elevation. */
    apsco_station s = station_with_mask("10:20;90:40;180:10;270:10", -5);
    assert_near(apsco_station_min_el_at_rad(&s, 320 * DEG), 15 * DEG, 1e-12);
    assert_near(apsco_station_min_el_at_rad(&s, 0), 19 * DEG, 1e-12);
    assert_near(apsco_station_min_el_at_rad(&s, 2 * M_PI), 19 * DEG, 1e-12);
    assert_near(apsco_station_min_el_at_rad(&s, -40 * DEG), 15 * DEG, 1e-12);
    assert_near(apsco_station_min_el_at_rad(&s, 370 * DEG), 20 * DEG, 1e-12);
}

static void test_mask_never_goes_below_the_minimum_elevation(void **state)
{
    (void)state;
    apsco_station s = station_with_mask("0:0;180:10", 5);
    assert_near(apsco_station_min_el_at_rad(&s, 0), 5 * DEG, 1e-15);
    assert_near(apsco_station_min_el_at_rad(&s, 180 * DEG), 10 * DEG, 1e-12);
    apsco_station flat = station_with_mask("123:7", 2);
    assert_near(apsco_station_min_el_at_rad(&flat, 3.0), 7 * DEG, 1e-12);
    apsco_station none = station_with_mask("", 3);
    assert_int_equal(none.mask_count, 0);
    assert_near(apsco_station_min_el_at_rad(&none, 1.0), 3 * DEG, 1e-15);
}

static void test_bundled_network_loads_and_round_trips(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/../../data/stations.csv", APSCO_TEST_DATA);
    apsco_station_list list = {0}, again = {0};
    apsco_error err;
    assert_int_equal(apsco_stations_load(path, &list, &err), APSCO_OK);
    assert_true(list.count >= 13);
    assert_true(apsco_station_list_find(&list, "CN-MIYUN") >= 0);
    assert_true(apsco_station_list_find(&list, "PE-PUNTA-LOBOS") >= 0);
    assert_int_equal(apsco_station_list_find(&list, "NOWHERE"), -1);
    /* Give one station a mask and an awkward name, then write and read back. */
    apsco_station *s = &list.items[0];
    assert_int_equal(apsco_station_set_mask(s, "0:3;120.5:7.25;300:1", &err), APSCO_OK);
    snprintf(s->name, sizeof s->name, "Miyun, \"north\" site");
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(apsco_stations_write(mem, &list, &err), APSCO_OK);
    fclose(mem);
    assert_int_equal(apsco_stations_parse(buf, len, "mem", &again, &err), APSCO_OK);
    assert_int_equal(again.count, list.count);
    for (size_t i = 0; i < list.count; i++) {
        const apsco_station *a = &list.items[i], *b = &again.items[i];
        assert_string_equal(a->id, b->id);
        assert_string_equal(a->name, b->name);
        assert_string_equal(a->state, b->state);
        assert_string_equal(a->agency, b->agency);
        assert_near(a->lat_rad, b->lat_rad, 1e-9);
        assert_near(a->lon_rad, b->lon_rad, 1e-9);
        assert_near(a->alt_km, b->alt_km, 1e-6);
        assert_int_equal(a->antennas, b->antennas);
        assert_int_equal(a->mask_count, b->mask_count);
        for (int k = 0; k < a->mask_count; k++)
            assert_near(a->mask_el_rad[k], b->mask_el_rad[k], 1e-9);
    }
    free(buf);
    apsco_station_list_free(&list);
    apsco_station_list_free(&again);
}

static void test_example_files_load_or_fail_at_their_line(void **state)
{
    (void)state;
    apsco_station_list list = {0};
    apsco_error err;
    assert_int_equal(apsco_stations_load(test_data_path("stations/masked.csv"), &list, &err),
                     APSCO_OK);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[0].name, "Mahdasht, test antenna");
    assert_int_equal(list.items[0].mask_count, 5);
    assert_int_equal(list.items[0].antennas, 3);
    assert_near(apsco_station_min_el_at_rad(&list.items[0], 337.5 * DEG), 10.5 * DEG, 1e-12);
    assert_near(list.items[1].lon_rad, -76.79 * DEG, 1e-12);
    apsco_station_list_free(&list);
    static const struct {
        const char *file;
        long line;
        const char *word;
    } bad[] = {{"stations/bad_duplicate.csv", 4, "duplicate"},
               {"stations/bad_mask.csv", 3, "increase"},
               {"stations/bad_quote.csv", 2, "unterminated"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_not_equal(apsco_stations_load(test_data_path(bad[i].file), &list, &err),
                             APSCO_OK);
        assert_int_equal(err.line, bad[i].line);
        assert_non_null(strstr(err.message, bad[i].word));
        assert_non_null(strstr(err.file, bad[i].file));
        assert_int_equal(list.count, 0);
    }
    apsco_station_list_free(&list);
}

static void test_csv_reads_quotes_spanning_lines_and_counts_lines(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF"
                       "a, \"b \"\"x\"\"\" ,c\r\n"
                       "# skipped\n"
                       "\"multi\nline\",2\n"
                       "last,3";
    apsco_csv r;
    apsco_error err;
    int got;
    assert_int_equal(apsco_csv_open(&r, text, strlen(text), "t.csv", &err), APSCO_OK);
    assert_int_equal(apsco_csv_next(&r, &got, &err), APSCO_OK);
    assert_int_equal(got, 1);
    assert_int_equal(r.count, 3);
    assert_string_equal(r.field[1], "b \"x\"");
    assert_string_equal(r.field[2], "c");
    assert_int_equal(apsco_csv_next(&r, &got, &err), APSCO_OK);
    assert_int_equal(r.record_line, 3);
    assert_string_equal(r.field[0], "multi\nline");
    assert_int_equal(apsco_csv_next(&r, &got, &err), APSCO_OK);
    assert_int_equal(r.record_line, 5);
    assert_string_equal(r.field[1], "3");
    assert_int_equal(apsco_csv_next(&r, &got, &err), APSCO_OK);
    assert_int_equal(got, 0);
    apsco_csv_close(&r);
}

static void test_csv_limits_fields_per_record(void **state)
{
    (void)state;
    char text[512] = "";
    for (int i = 0; i <= APSCO_CSV_FIELDS_MAX; i++)
        strcat(text, i ? ",x" : "x");
    apsco_csv r;
    apsco_error err;
    int got;
    assert_int_equal(apsco_csv_open(&r, text, strlen(text), "t.csv", &err), APSCO_OK);
    assert_int_equal(apsco_csv_next(&r, &got, &err), APSCO_ERR_LIMIT);
    assert_int_equal(err.line, 1);
    apsco_csv_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stations_reads_required_columns_in_radians_and_km),
        cmocka_unit_test(test_stations_columns_may_come_in_any_order_with_optional_ones),
        cmocka_unit_test(test_stations_folds_longitudes_east_of_180_to_the_west),
        cmocka_unit_test(test_stations_accepts_the_edges_of_every_range),
        cmocka_unit_test(test_stations_rejects_values_out_of_range_with_their_line),
        cmocka_unit_test(test_stations_rejects_malformed_numbers),
        cmocka_unit_test(test_stations_rejects_duplicate_ids_naming_the_first),
        cmocka_unit_test(test_stations_rejects_bad_ids_and_state_codes),
        cmocka_unit_test(test_stations_rejects_bad_headers_and_field_counts),
        cmocka_unit_test(test_stations_rejects_masks_out_of_order_or_range),
        cmocka_unit_test(test_stations_report_an_unterminated_quote_at_its_record),
        cmocka_unit_test(test_stations_keep_the_list_unchanged_on_error),
        cmocka_unit_test(test_mask_is_interpolated_linearly_in_azimuth),
        cmocka_unit_test(test_mask_wraps_across_north),
        cmocka_unit_test(test_mask_never_goes_below_the_minimum_elevation),
        cmocka_unit_test(test_bundled_network_loads_and_round_trips),
        cmocka_unit_test(test_example_files_load_or_fail_at_their_line),
        cmocka_unit_test(test_csv_reads_quotes_spanning_lines_and_counts_lines),
        cmocka_unit_test(test_csv_limits_fields_per_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
