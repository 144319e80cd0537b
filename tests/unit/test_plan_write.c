/*
 * Tests of the schedule writers: the CSV header exactly as specified, the
 * JSON object with exactly its keys, and iCalendar as RFC 5545 wants it
 * (CRLF, lines folded at 75 octets without splitting UTF-8, UIDs that do
 * not change from one run to the next).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "apsco/plan.h"
#include "planutil.h"
#include "testutil.h"

#define DAY "2026-03-23"
#define WIN "norad,station,start_utc,end_utc,max_el_deg\n"
#define REQ "id,state,norad,priority,min_duration_s,per_day,stations\n"

/* A station with a long UTF-8 name and a comma, so that quoting and folding are exercised. */
#define LONG_STATION                                                                               \
    "\"Ulaanbaatar \xC3\x96v\xC3\xB6rkhangai \xE2\x80\x94 deep-space antenna, east\""

static void small_instance(instance *in)
{
    instance_init(in,
                  WIN "1," LONG_STATION "," DAY "T01:00:00Z," DAY "T01:10:00Z,40\n"
                      "2,CN-BJ," DAY "T02:00:00Z," DAY "T02:10:00Z,50\n",
                  REQ "R1,MN,1,4,300,1,\nR2,CN,2,2,240,1,\nR3,MY,2,5,240,1,\n", DAY "T00:00:00Z",
                  "2026-03-24T00:00:00Z", 120);
}

/* The small instance and its heuristic schedule, set up for each test. */
typedef struct solved {
    instance in;
    apsco_schedule s;
} solved;

static int setup(void **state)
{
    solved *x = calloc(1, sizeof *x);
    small_instance(&x->in);
    solve_checked(&x->in, APSCO_SOLVER_HEURISTIC, &x->s);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    solved *x = *state;
    apsco_schedule_free(&x->s);
    instance_free(&x->in);
    free(x);
    return 0;
}

enum { WRITE_CSV, WRITE_JSON, WRITE_ICS };

/* Runs a writer into memory (`stamp` is for iCalendar only). */
static char *capture(int which, const instance *in, const apsco_schedule *s, apsco_time stamp,
                     size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    apsco_error err;
    apsco_status st;
    if (which == WRITE_CSV)
        st = apsco_schedule_write_csv(f, &in->problem, s, &err);
    else if (which == WRITE_JSON)
        st = apsco_schedule_write_json(f, &in->problem, s, &err);
    else
        st = apsco_schedule_write_ics(f, &in->problem, s, stamp, &err);
    assert_int_equal(st, APSCO_OK);
    fclose(f);
    return buf;
}

static void test_csv_has_the_specified_header_and_quotes_fields(void **state)
{
    solved *x = *state;
    size_t len;
    apsco_time stamp = {0, 0};
    char *csv = capture(WRITE_CSV, &x->in, &x->s, stamp, &len);
    const char *expected = "request,state,norad,station,start_utc,end_utc,priority\n"
                           "R1,MN,1," LONG_STATION ",2026-03-23T01:00:00Z,2026-03-23T01:05:00Z,4\n"
                           "R2,CN,2,CN-BJ,2026-03-23T02:00:00Z,2026-03-23T02:04:00Z,2\n";
    assert_string_equal(csv, expected);
    free(csv);
}

static void assert_keys(json_t *obj, const char *const *keys, size_t n)
{
    assert_true(json_is_object(obj));
    assert_int_equal(json_object_size(obj), n);
    for (size_t i = 0; i < n; i++)
        if (!json_object_get(obj, keys[i]))
            fail_msg("missing key %s", keys[i]);
}

static void test_json_is_one_object_with_exactly_the_specified_keys(void **state)
{
    solved *x = *state;
    size_t len;
    apsco_time stamp = {0, 0};
    char *text = capture(WRITE_JSON, &x->in, &x->s, stamp, &len);
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    if (!root)
        fail_msg("not JSON: %s at line %d", je.text, je.line);
    static const char *const top[] = {"contacts", "states", "value",   "bound",
                                      "gap",      "solver", "seconds", "refused"};
    static const char *const contact[] = {"request",   "state",   "norad",   "station",
                                          "start_utc", "end_utc", "priority"};
    static const char *const share[] = {"state", "requested_s", "granted_s", "entitlement",
                                        "share"};
    assert_keys(root, top, 8);
    json_t *contacts = json_object_get(root, "contacts");
    assert_int_equal(json_array_size(contacts), 2);
    assert_keys(json_array_get(contacts, 0), contact, 7);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(contacts, 0), "station")),
        "Ulaanbaatar \xC3\x96v\xC3\xB6rkhangai \xE2\x80\x94 deep-space antenna, east");
    json_t *states = json_object_get(root, "states");
    assert_int_equal(json_array_size(states), 7);
    assert_keys(json_array_get(states, 0), share, 5);
    json_t *refused = json_object_get(root, "refused");
    assert_int_equal(json_array_size(refused), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(refused, 0), "request")),
                        "R3");
    assert_near(json_number_value(json_object_get(root, "value")), 4 * 300 + 2 * 240, 1e-9);
    assert_string_equal(json_string_value(json_object_get(root, "solver")), "heuristic");
    json_decref(root);
    free(text);
    /* Without a bound, bound and gap are null. */
    x->s.bound = x->s.gap = NAN;
    text = capture(WRITE_JSON, &x->in, &x->s, stamp, &len);
    root = json_loads(text, 0, &je);
    assert_true(json_is_null(json_object_get(root, "bound")));
    assert_true(json_is_null(json_object_get(root, "gap")));
    json_decref(root);
    free(text);
}

/* Unfolds iCalendar text (CRLF followed by a space joins lines). */
static char *unfold(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    for (const char *p = text; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

static void test_ics_is_folded_crlf_with_stable_uids(void **state)
{
    solved *x = *state;
    apsco_time stamp1, stamp2;
    apsco_error err;
    apsco_time_parse_iso("2026-03-20T08:00:00Z", &stamp1, &err);
    apsco_time_parse_iso("2026-03-21T09:30:00Z", &stamp2, &err);
    size_t len;
    char *ics = capture(WRITE_ICS, &x->in, &x->s, stamp1, &len);
    /* Every line ends with CRLF and holds at most 75 octets; no bare LF. */
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (ics[i] != '\n')
            continue;
        assert_true(i > 0 && ics[i - 1] == '\r');
        assert_true(i - 1 - start <= 75);
        /* A fold never separates a UTF-8 continuation byte from its lead. */
        if (i + 1 < len && ics[i + 1] == ' ')
            assert_true(((unsigned char)ics[i + 2] & 0xC0) != 0x80);
        start = i + 1;
    }
    char *flat = unfold(ics);
    assert_non_null(strstr(flat, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert_non_null(strstr(flat, "DTSTAMP:20260320T080000Z\r\n"));
    assert_non_null(strstr(flat, "DTSTART:20260323T010000Z\r\nDTEND:20260323T010500Z\r\n"));
    assert_non_null(strstr(flat, "LOCATION:Ulaanbaatar \xC3\x96v\xC3\xB6rkhangai \xE2\x80\x94 "
                                 "deep-space antenna\\, east\r\n"));
    const char *uid = strstr(flat, "UID:");
    assert_non_null(uid);
    char first_uid[256];
    snprintf(first_uid, sizeof first_uid, "%.*s", (int)strcspn(uid, "\r"), uid);
    assert_non_null(strstr(first_uid, "R1-1-Ulaanbaatar"));
    /* Another run, another stamp: the same UIDs. */
    char *again = capture(WRITE_ICS, &x->in, &x->s, stamp2, &len);
    char *flat2 = unfold(again);
    assert_non_null(strstr(flat2, first_uid));
    assert_null(strstr(flat2, "DTSTAMP:20260320T080000Z"));
    int events = 0;
    for (const char *p = flat; (p = strstr(p, "BEGIN:VEVENT")); p++)
        events++;
    assert_int_equal(events, 2);
    free(ics);
    free(flat);
    free(again);
    free(flat2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_has_the_specified_header_and_quotes_fields, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_json_is_one_object_with_exactly_the_specified_keys,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ics_is_folded_crlf_with_stable_uids, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
