/*
 * Tests of the planner's input formats: requests (CSV and JSON give the
 * same requests), entitlements, outages and windows, each malformed input
 * reported with the line at fault and leaving the output untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/plan.h"
#include "testutil.h"

static void test_requests_csv_and_json_give_the_same_requests(void **state)
{
    (void)state;
    apsco_plan_requests csv = {0}, json = {0};
    apsco_error err;
    assert_int_equal(apsco_plan_requests_load(test_data_path("plan/requests.csv"), &csv, &err),
                     APSCO_OK);
    assert_int_equal(apsco_plan_requests_load(test_data_path("plan/requests.json"), &json, &err),
                     APSCO_OK);
    assert_int_equal(csv.count, 8);
    assert_int_equal(json.count, csv.count);
    for (size_t i = 0; i < csv.count; i++) {
        const apsco_plan_request *a = &csv.items[i], *b = &json.items[i];
        assert_string_equal(a->id, b->id);
        assert_string_equal(a->state, b->state);
        assert_int_equal(a->norad, b->norad);
        assert_int_equal(a->priority, b->priority);
        assert_near(a->min_duration_s, b->min_duration_s, 0);
        assert_int_equal(a->per_day, b->per_day);
        assert_int_equal(a->has_window, b->has_window);
        if (a->has_window) {
            assert_near(apsco_time_diff_s(a->window_start, b->window_start), 0, 0);
            assert_near(apsco_time_diff_s(a->window_end, b->window_end), 0, 0);
        }
        assert_int_equal(a->stations_count, b->stations_count);
        for (size_t k = 0; k < a->stations_count; k++)
            assert_string_equal(csv.names[a->stations_first + k],
                                json.names[b->stations_first + k]);
    }
    /* R3 allows two stations; R7 is a window request. */
    assert_int_equal(csv.items[2].stations_count, 2);
    assert_string_equal(csv.names[csv.items[2].stations_first + 1], "TH-BK");
    assert_int_equal(csv.items[6].per_day, 0);
    assert_true(csv.items[6].has_window);
    assert_int_equal(csv.items[6].source_line, 8);
    assert_int_equal(json.items[6].source_line, 10);
    apsco_plan_requests_free(&csv);
    apsco_plan_requests_free(&json);
}

/* Each file under plan/bad names its faulty line: "...-lineN.ext". */
static void test_inputs_report_the_line_of_the_error(void **state)
{
    (void)state;
    static const char *const files[] = {
        "requests-norad-line3.csv",        "requests-priority-line2.csv",
        "requests-header-line1.csv",       "requests-duration-line3.json",
        "windows-order-line2.csv",         "outages-fields-line2.csv",
        "entitlements-observer-line3.csv",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "plan/bad/%s", files[i]);
        long line = strtol(strstr(files[i], "-line") + 5, NULL, 10);
        apsco_error err;
        apsco_status st;
        apsco_plan_requests req = {0};
        apsco_plan_windows win = {0};
        apsco_plan_outages out = {0};
        apsco_plan_states states;
        apsco_plan_states_builtin(&states);
        if (!strncmp(files[i], "requests", 8))
            st = apsco_plan_requests_load(test_data_path(path), &req, &err);
        else if (!strncmp(files[i], "windows", 7))
            st = apsco_plan_windows_load(test_data_path(path), &win, &err);
        else if (!strncmp(files[i], "outages", 7))
            st = apsco_plan_outages_load(test_data_path(path), &out, &err);
        else
            st = apsco_plan_entitlements_load(test_data_path(path), &states, &err);
        if (st == APSCO_OK || err.line != line || !strstr(err.file, files[i]))
            fail_msg("%s: status %d, %s:%ld: %s", files[i], st, err.file, err.line, err.message);
        assert_int_equal(req.count + win.count + out.count, 0);
        apsco_plan_requests_free(&req);
        apsco_plan_windows_free(&win);
        apsco_plan_outages_free(&out);
    }
}

/* A malformed input, the line at fault and a word the message must hold. */
typedef struct bad_input {
    const char *text;
    long line;
    const char *word;
} bad_input;

/* Fails unless case `i`, `c`, was refused at its line with its word in the message. */
static void expect_refused(size_t i, const bad_input *c, apsco_status st, const apsco_error *err)
{
    if (st == APSCO_OK || err->line != c->line || !strstr(err->message, c->word))
        fail_msg("case %zu: status %d line %ld: %s", i, st, err->line, err->message);
}

static apsco_status parse_requests(const char *text, apsco_plan_requests *out, apsco_error *err)
{
    return apsco_plan_requests_parse(text, strlen(text), "t", out, err);
}

static void test_requests_reject_what_is_not_a_request(void **state)
{
    (void)state;
    static const bad_input cases[] = {
        {"id,state,norad,priority,min_duration_s,per_day,colour\n", 1, "unknown column"},
        {"id,state,norad,priority,min_duration_s,per_day\nA,CN,1,3,300,1\nA,CN,1,3,300,1\n", 3,
         "used twice"},
        {"id,state,norad,priority,min_duration_s,per_day\nA,China,1,3,300,1\n", 2, "alpha-2"},
        {"id,state,norad,priority,min_duration_s,per_day\nA,cn,1,3,300,1\n", 2, "alpha-2"},
        {"id,state,norad,priority,min_duration_s,per_day\nA,CN,1,3,300,0\n", 2, "per_day"},
        {"id,state,norad,priority,min_duration_s,per_day\nA,CN,1,3,300\n", 2, "expected 6"},
        {"id,state,norad,priority,min_duration_s,per_day,kind\nA,CN,1,3,300,1,imaging\n", 2,
         "kind"},
        {"id,state,norad,priority,min_duration_s,window_start,window_end\n"
         "A,CN,1,3,300,2026-03-23T02:00:00Z,2026-03-23T01:00:00Z\n",
         2, "after"},
        {"id,state,norad,priority,min_duration_s,per_day\nA,CN,1,3,\"300,1\n", 2, "quote"},
        {"[{\"id\": \"A\", \"state\": \"CN\", \"norad\": 1, \"priority\": 3,\n"
         " \"min_duration_s\": 300, \"per_day\": 1, \"colour\": \"red\"}]\n",
         1, "unknown field"},
        {"[{\"id\": \"A\", \"state\": \"CN\", \"norad\": 1, \"priority\": 3,\n"
         " \"min_duration_s\": 300, \"per_day\": 1, \"per_day\": 2}]\n",
         2, "duplicate"},
        {"[\n  {\"id\": \"A\", \"state\": \"CN\", \"norad\": 1, \"priority\": 3, "
         "\"min_duration_s\": 300,"
         " \"per_day\": 1},\n  7\n]\n",
         3, "object"},
        {"[{\"id\": \"A\", \"state\": \"CN\", \"norad\": 1, \"priority\": 3, \"min_duration_s\": "
         "300,"
         " \"per_day\": 1, \"stations\": [\"CN-BJ\", 4]}]",
         1, "stations[1]"},
        {"[{\"id\": \"A\", \"state\": \"CN\", \"norad\": 1, \"priority\": [3]}]", 1, "string or"},
        {"[1, 2", 1, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        apsco_plan_requests set = {0};
        apsco_error err;
        apsco_status st = parse_requests(cases[i].text, &set, &err);
        expect_refused(i, &cases[i], st, &err);
        assert_int_equal(set.count, 0);
        apsco_plan_requests_free(&set);
    }
}

static void test_requests_accept_quoting_blank_lines_and_comments(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF# requests of the week\r\n"
                       "id,state,norad,priority,min_duration_s,per_day,stations\r\n"
                       "\r\n"
                       "\"A, urgent\",CN,25544,5,330.5,3,\"CN-BJ,PK-IS\"\r\n"
                       "B,PK,7,1,60,1, TH-BK | CN-KS \r\n";
    apsco_plan_requests set = {0};
    apsco_error err;
    assert_int_equal(parse_requests(text, &set, &err), APSCO_OK);
    assert_int_equal(set.count, 2);
    assert_string_equal(set.items[0].id, "A, urgent");
    assert_near(set.items[0].min_duration_s, 330.5, 0);
    assert_int_equal(set.items[0].stations_count, 2);
    assert_string_equal(set.names[set.items[0].stations_first + 1], "PK-IS");
    assert_string_equal(set.names[set.items[1].stations_first + 1], "CN-KS");
    assert_int_equal(set.items[1].source_line, 5);
    apsco_plan_requests_free(&set);
}

static void test_requests_and_windows_take_alpha5_catalog_numbers(void **state)
{
    (void)state;
    const char *req = "id,state,norad,priority,min_duration_s,per_day\n"
                      "A,CN,A0001,3,300,1\nB,CN,339999,3,300,1\n";
    apsco_plan_requests set = {0};
    apsco_error err;
    assert_int_equal(parse_requests(req, &set, &err), APSCO_OK);
    assert_int_equal(set.items[0].norad, 100001);
    assert_int_equal(set.items[1].norad, 339999);
    apsco_plan_requests_free(&set);
    const char *beyond = "id,state,norad,priority,min_duration_s,per_day\nA,CN,340000,3,300,1\n";
    assert_int_equal(parse_requests(beyond, &set, &err), APSCO_ERR_VALUE);
    assert_int_equal(err.line, 2);
    assert_int_equal(set.count, 0);
    const char *win = "norad,station,start_utc,end_utc,max_el_deg\n"
                      "Z9999,X,2026-03-23T01:00:00Z,2026-03-23T01:10:00Z,45\n";
    apsco_plan_windows w = {0};
    assert_int_equal(apsco_plan_windows_parse(win, strlen(win), "w", &w, &err), APSCO_OK);
    assert_int_equal(w.items[0].norad, 339999);
    apsco_plan_windows_free(&w);
}

static void test_entitlements_set_weights_of_members_only(void **state)
{
    (void)state;
    apsco_plan_states s;
    apsco_error err;
    apsco_plan_states_builtin(&s);
    assert_int_equal(
        apsco_plan_entitlements_load(test_data_path("plan/entitlements.csv"), &s, &err), APSCO_OK);
    assert_near(apsco_plan_states_find(&s, "CN")->entitlement, 3, 0);
    assert_near(apsco_plan_states_find(&s, "TH")->entitlement, 2, 0);
    assert_int_equal(apsco_plan_states_find(&s, "TR")->membership, APSCO_SIGNATORY);
    static const bad_input cases[] = {
        {"CN,1\nCN,2\n", 2, "twice"}, {"CN,-1\n", 1, ">= 0"},          {"XX,1\n", 1, "not a state"},
        {"TR,1\n", 1, "signatory"},   {"CN,0\nPK,0\n", 2, "positive"}, {"CN\n", 1, "2 fields"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        apsco_plan_states t;
        apsco_plan_states_builtin(&t);
        apsco_status st =
            apsco_plan_entitlements_parse(cases[i].text, strlen(cases[i].text), "e", &t, &err);
        expect_refused(i, &cases[i], st, &err);
        assert_near(apsco_plan_states_find(&t, "CN")->entitlement, 1, 0);
    }
}

static void test_outages_and_windows_parse(void **state)
{
    (void)state;
    apsco_plan_outages o = {0};
    apsco_plan_windows w = {0};
    apsco_error err;
    assert_int_equal(apsco_plan_outages_load(test_data_path("plan/outages.csv"), &o, &err),
                     APSCO_OK);
    assert_int_equal(o.count, 1);
    assert_string_equal(o.items[0].station, "PK-IS");
    assert_int_equal(o.items[0].source_line, 3);
    assert_int_equal(apsco_plan_windows_load(test_data_path("plan/windows.csv"), &w, &err),
                     APSCO_OK);
    assert_int_equal(w.count, 7);
    assert_int_equal(w.station_count, 3);
    assert_string_equal(w.stations[w.items[2].station].id, "PK-IS");
    assert_near(w.items[6].max_el_rad, 52.5 * M_PI / 180, 1e-15);
    const char *bad = "norad,station,start_utc,end_utc,max_el_deg\n1,X,2026-03-23T01:00:00Z,"
                      "2026-03-23T01:10:00Z,91\n";
    assert_int_equal(apsco_plan_windows_parse(bad, strlen(bad), "w", &w, &err), APSCO_ERR_VALUE);
    assert_int_equal(err.line, 2);
    assert_int_equal(w.count, 7);
    apsco_plan_outages_free(&o);
    apsco_plan_windows_free(&w);
}

/* Every planner CSV input is read by the one CSV reader: a byte order mark, CRLF and notes. */
static void test_windows_outages_and_entitlements_accept_a_bom_crlf_and_notes(void **state)
{
    (void)state;
    apsco_error err;
    const char *win = "\xEF\xBB\xBFnorad,station,start_utc,end_utc,max_el_deg\r\n"
                      "  # a note\r\n\r\n"
                      "25544,\"CN-BJ\",2026-03-23T01:00:00Z,2026-03-23T01:10:00Z, 45 \r\n";
    apsco_plan_windows w = {0};
    assert_int_equal(apsco_plan_windows_parse(win, strlen(win), "w", &w, &err), APSCO_OK);
    assert_int_equal(w.count, 1);
    assert_int_equal(w.items[0].source_line, 4);
    assert_string_equal(w.stations[0].id, "CN-BJ");
    apsco_plan_windows_free(&w);
    const char *out = "\xEF\xBB\xBFstation,start_utc,end_utc\r\n# maintenance\r\n"
                      "PK-IS,2026-03-23T00:00:00Z,2026-03-23T01:00:00Z\r\n";
    apsco_plan_outages o = {0};
    assert_int_equal(apsco_plan_outages_parse(out, strlen(out), "o", &o, &err), APSCO_OK);
    assert_int_equal(o.count, 1);
    assert_int_equal(o.items[0].source_line, 3);
    apsco_plan_outages_free(&o);
    const char *ent = "\xEF\xBB\xBFstate,entitlement\r\n# shares\r\nCN,3\r\n";
    apsco_plan_states s;
    apsco_plan_states_builtin(&s);
    assert_int_equal(apsco_plan_entitlements_parse(ent, strlen(ent), "e", &s, &err), APSCO_OK);
    assert_near(apsco_plan_states_find(&s, "CN")->entitlement, 3, 0);
    assert_near(apsco_plan_states_find(&s, "PK")->entitlement, 0, 0);
}

/* An outage of a station outside the network is an error with its line, not a silent no-op. */
static void test_outage_of_an_unknown_station_is_an_error(void **state)
{
    (void)state;
    apsco_plan_windows w = {0};
    apsco_plan_outages o = {0};
    apsco_plan_requests r = {0};
    apsco_error err;
    assert_int_equal(apsco_plan_windows_load(test_data_path("plan/windows.csv"), &w, &err),
                     APSCO_OK);
    const char *text =
        "station,start_utc,end_utc\nXX-01,2026-03-23T00:00:00Z,2026-03-23T01:00:00Z\n";
    assert_int_equal(apsco_plan_outages_parse(text, strlen(text), "out.csv", &o, &err), APSCO_OK);
    apsco_plan_problem p;
    apsco_plan_problem_init(&p);
    apsco_time_parse_iso("2026-03-23", &p.start, &err);
    apsco_time_parse_iso("2026-03-24", &p.end, &err);
    p.stations = w.stations;
    p.station_count = w.station_count;
    p.windows = w.items;
    p.window_count = w.count;
    p.requests = &r;
    p.outages = &o;
    apsco_schedule s;
    assert_int_equal(apsco_plan_solve(&p, NULL, &s, &err), APSCO_ERR_VALUE);
    assert_string_equal(err.file, "out.csv");
    assert_int_equal(err.line, 2);
    apsco_plan_windows_free(&w);
    apsco_plan_outages_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requests_csv_and_json_give_the_same_requests),
        cmocka_unit_test(test_inputs_report_the_line_of_the_error),
        cmocka_unit_test(test_requests_reject_what_is_not_a_request),
        cmocka_unit_test(test_requests_accept_quoting_blank_lines_and_comments),
        cmocka_unit_test(test_requests_and_windows_take_alpha5_catalog_numbers),
        cmocka_unit_test(test_entitlements_set_weights_of_members_only),
        cmocka_unit_test(test_outages_and_windows_parse),
        cmocka_unit_test(test_windows_outages_and_entitlements_accept_a_bom_crlf_and_notes),
        cmocka_unit_test(test_outage_of_an_unknown_station_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
