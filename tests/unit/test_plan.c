/*
 * Tests of the fair shared scheduler: hand-built instances with a known
 * optimum (some where greedy is wrong), every operational constraint,
 * refusals with their reasons, the verifier catching each kind of
 * violation, and the solvers against exhaustive search on tiny instances.
 * Every schedule produced here goes through apsco_schedule_verify.
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

#include "apsco/plan.h"
#include "plan/internal.h"
#include "planutil.h"
#include "testutil.h"

#define DAY "2026-03-23"
#define T0  DAY "T00:00:00Z"
#define T1  "2026-03-24T00:00:00Z"
#define WIN "norad,station,start_utc,end_utc,max_el_deg\n"
#define REQ "id,state,norad,priority,min_duration_s,per_day,window_start,window_end,stations\n"

static const apsco_plan_solver exact_and_fast[] = {APSCO_SOLVER_MILP, APSCO_SOLVER_HEURISTIC};

/*
 * R1 (priority 5) can only sit in the middle of the pass and would block
 * both R2 and R3 (priority 4): taking requests by priority, as first come
 * first served does here, yields 1500; the optimum is R2 then R3, 2400.
 */
static void test_plan_greedy_by_priority_is_wrong_and_the_solvers_are_not(void **state)
{
    (void)state;
    instance in;
    instance_init(&in,
                  WIN "1,CN-BJ," DAY "T01:02:30Z," DAY "T01:07:30Z,40\n"
                      "2,CN-BJ," DAY "T01:00:00Z," DAY "T01:10:00Z,50\n",
                  REQ "R1,CN,1,5,300,1,,,\nR2,CN,2,4,300,1,,,\nR3,CN,2,4,300,1,,,\n", T0, T1, 0);
    apsco_schedule s;
    solve_checked(&in, APSCO_SOLVER_FCFS, &s);
    assert_near(s.value, 1500, 1e-9);
    apsco_schedule_free(&s);
    for (size_t k = 0; k < 2; k++) {
        solve_checked(&in, exact_and_fast[k], &s);
        assert_near(s.value, 2400, 1e-9);
        assert_int_equal(contacts_of(&in, &s, "R2") + contacts_of(&in, &s, "R3"), 2);
        assert_near(s.bound, 2400, 1e-6);
        apsco_schedule_free(&s);
    }
    instance_free(&in);
}

/*
 * One antenna, an hour of two visible satellites, two states asking for far
 * more than the six ten-minute contacts it holds: value alone would give
 * all six to CN's priority-5 request; max-min fairness splits them 3 / 3.
 */
static void test_plan_max_min_splits_a_contested_antenna_equally(void **state)
{
    (void)state;
    instance in;
    instance_init(&in,
                  WIN "1,CN-BJ," DAY "T00:00:00Z," DAY "T01:00:00Z,40\n"
                      "2,CN-BJ," DAY "T00:00:00Z," DAY "T01:00:00Z,50\n",
                  REQ "R1,CN,1,5,600,10,,,\nR2,PK,2,1,600,10,,,\n", T0, T1, 0);
    for (size_t k = 0; k < 2; k++) {
        apsco_schedule s;
        solve_checked(&in, exact_and_fast[k], &s);
        assert_int_equal(contacts_of(&in, &s, "R1"), 3);
        assert_int_equal(contacts_of(&in, &s, "R2"), 3);
        assert_near(s.value, 3 * 3000 + 3 * 600, 1e-9);
        for (size_t i = 0; i < s.state_count; i++)
            if (!strcmp(s.states[i].state, "CN") || !strcmp(s.states[i].state, "PK"))
                assert_near(s.states[i].share, 1.0, 1e-9);
        assert_near(s.level, 1800 * 7.0, 1e-6);
        assert_near(s.level_bound, 1800 * 7.0, 1e-6);
        apsco_schedule_free(&s);
    }
    instance_free(&in);
}

static void test_plan_entitlements_weight_the_split(void **state)
{
    (void)state;
    instance in;
    instance_init(&in,
                  WIN "1,CN-BJ," DAY "T00:00:00Z," DAY "T01:00:00Z,40\n"
                      "2,CN-BJ," DAY "T00:00:00Z," DAY "T01:00:00Z,50\n",
                  REQ "R1,CN,1,1,600,10,,,\nR2,PK,2,5,600,10,,,\n", T0, T1, 0);
    instance_entitlements(&in, "CN,2\nPK,1\nBD,1\n");
    for (size_t k = 0; k < 2; k++) {
        apsco_schedule s;
        solve_checked(&in, exact_and_fast[k], &s);
        assert_int_equal(contacts_of(&in, &s, "R1"), 4);
        assert_int_equal(contacts_of(&in, &s, "R2"), 2);
        apsco_schedule_free(&s);
    }
    instance_free(&in);
}

/* Back-to-back passes: the set-up time keeps one antenna from taking both. */
static void test_plan_setup_time_separates_contacts_on_one_antenna(void **state)
{
    (void)state;
    const char *w = WIN "1,CN-BJ," DAY "T01:00:00Z," DAY "T01:05:00Z,40\n"
                        "2,CN-BJ," DAY "T01:05:00Z," DAY "T01:10:00Z,50\n";
    const char *r = REQ "R1,CN,1,3,300,1,,,\nR2,PK,2,3,300,1,,,\n";
    double setups[] = {0, 120, 120};
    int antennas[] = {1, 1, 2}, expected[] = {2, 1, 2};
    for (int c = 0; c < 3; c++) {
        instance in;
        instance_init(&in, w, r, T0, T1, setups[c]);
        instance_antennas(&in, "CN-BJ", antennas[c]);
        for (size_t k = 0; k < 2; k++) {
            apsco_schedule s;
            solve_checked(&in, exact_and_fast[k], &s);
            assert_int_equal(s.contact_count, expected[c]);
            apsco_schedule_free(&s);
        }
        instance_free(&in);
    }
}

/* Two states want the same satellite over two stations at the same time: one gets it. */
static void test_plan_a_satellite_talks_to_one_station_at_a_time(void **state)
{
    (void)state;
    instance in;
    instance_init(&in,
                  WIN "1,CN-BJ," DAY "T01:00:00Z," DAY "T01:05:00Z,40\n"
                      "1,PK-IS," DAY "T01:00:00Z," DAY "T01:05:00Z,50\n",
                  REQ "R1,CN,1,3,300,1,,,CN-BJ\nR2,PK,1,3,300,1,,,PK-IS\n", T0, T1, 120);
    apsco_schedule s;
    solve_checked(&in, APSCO_SOLVER_HEURISTIC, &s);
    assert_int_equal(s.contact_count, 1);
    apsco_schedule_free(&s);
    solve_checked(&in, APSCO_SOLVER_FCFS, &s);
    assert_int_equal(s.contact_count, 1);
    assert_int_equal(contacts_of(&in, &s, "R1"), 1);
    apsco_schedule_free(&s);
    instance_free(&in);
}

/* An outage over the start of the pass pushes the contact behind it, or cancels it. */
static void test_plan_outages_move_or_cancel_contacts(void **state)
{
    (void)state;
    const char *outages[] = {"CN-BJ," DAY "T01:00:00Z," DAY "T01:04:00Z\n",
                             "CN-BJ," DAY "T01:03:00Z," DAY "T01:08:00Z\n"};
    int expected[] = {1, 0};
    for (int c = 0; c < 2; c++) {
        instance in;
        instance_init(&in, WIN "1,CN-BJ," DAY "T01:00:00Z," DAY "T01:10:00Z,40\n",
                      REQ "R1,CN,1,3,300,1,,,\n", T0, T1, 120);
        apsco_error err;
        assert_int_equal(
            apsco_plan_outages_parse(outages[c], strlen(outages[c]), "o", &in.outages, &err),
            APSCO_OK);
        in.problem.outages = &in.outages;
        apsco_schedule s;
        solve_checked(&in, APSCO_SOLVER_HEURISTIC, &s);
        assert_int_equal(s.contact_count, expected[c]);
        if (expected[c]) {
            apsco_time after;
            apsco_time_parse_iso(DAY "T01:04:00Z", &after, &err);
            assert_true(apsco_time_diff_s(s.contacts[0].start, after) >= 0);
        }
        apsco_schedule_free(&s);
        instance_free(&in);
    }
}

/* Signatories, observers, outsiders and unknown objects are refused with reasons. */
static void test_plan_refuses_by_right_and_by_reference_with_reasons(void **state)
{
    (void)state;
    instance in;
    instance_init(&in, WIN "1,CN-BJ," DAY "T01:00:00Z," DAY "T01:10:00Z,40\n",
                  REQ "A,MY,1,3,300,1,,,\nB,ID,1,3,300,1,,,\nC,US,1,3,300,1,,,\n"
                      "D,CN,99,3,300,1,,,\nE,PK,1,3,300,1,,,XX-01\nF,TH,1,3,300,1,,,\n",
                  T0, T1, 120);
    apsco_schedule s;
    solve_checked(&in, APSCO_SOLVER_HEURISTIC, &s);
    static const char *const reasons[] = {"observer", "signatory", "not a state", "satellite 99",
                                          "station 'XX-01'"};
    assert_int_equal(s.refused_count, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(s.refused[i].request, i);
        assert_non_null(strstr(s.refused[i].reason, reasons[i]));
    }
    assert_int_equal(s.contact_count, 1);
    assert_int_equal(contacts_of(&in, &s, "F"), 1);
    apsco_schedule_free(&s);
    /* A satellite in the catalog but without windows is known: nothing to refuse. */
    long known[] = {1, 99};
    in.problem.satellites = known;
    in.problem.satellite_count = 2;
    solve_checked(&in, APSCO_SOLVER_HEURISTIC, &s);
    assert_int_equal(s.refused_count, 4);
    apsco_schedule_free(&s);
    instance_free(&in);
}

static void test_plan_member_without_entitlement_is_refused(void **state)
{
    (void)state;
    instance in;
    instance_init(&in, WIN "1,CN-BJ," DAY "T01:00:00Z," DAY "T01:10:00Z,40\n",
                  REQ "A,CN,1,3,300,1,,,\nB,PK,1,3,300,1,,,\n", T0, T1, 120);
    instance_entitlements(&in, "state,entitlement\nPK,1\n");
    apsco_schedule s;
    solve_checked(&in, APSCO_SOLVER_HEURISTIC, &s);
    assert_int_equal(s.refused_count, 1);
    assert_non_null(strstr(s.refused[0].reason, "holds no entitlement"));
    assert_int_equal(contacts_of(&in, &s, "B"), 1);
    apsco_schedule_free(&s);
    instance_free(&in);
}

/* A window request gets one contact, inside its window, not in the pass outside it. */
static void test_plan_window_request_gets_one_contact_inside_its_window(void **state)
{
    (void)state;
    instance in;
    instance_init(&in,
                  WIN "1,CN-BJ," DAY "T01:00:00Z," DAY "T01:10:00Z,40\n"
                      "1,CN-BJ," DAY "T03:00:00Z," DAY "T03:10:00Z,40\n",
                  REQ "A,CN,1,3,300,," DAY "T02:58:00Z," DAY "T03:06:00Z,\n", T0, T1, 120);
    for (size_t k = 0; k < 2; k++) {
        apsco_schedule s;
        solve_checked(&in, exact_and_fast[k], &s);
        assert_int_equal(s.contact_count, 1);
        char buf[40];
        apsco_time_format_iso(s.contacts[0].start, 0, buf, sizeof buf);
        assert_string_equal(buf, DAY "T03:00:00Z");
        apsco_schedule_free(&s);
    }
    instance_free(&in);
}

/* per_day counts 24-hour periods from the horizon start; a short last one gets its share. */
static void test_plan_per_day_counts_periods_from_the_horizon_start(void **state)
{
    (void)state;
    const char *w = WIN "1,CN-BJ,2026-03-23T01:00:00Z,2026-03-23T01:10:00Z,40\n"
                        "1,CN-BJ,2026-03-23T05:00:00Z,2026-03-23T05:10:00Z,40\n"
                        "1,CN-BJ,2026-03-23T09:00:00Z,2026-03-23T09:10:00Z,40\n"
                        "1,CN-BJ,2026-03-24T01:00:00Z,2026-03-24T01:10:00Z,40\n"
                        "1,CN-BJ,2026-03-24T05:00:00Z,2026-03-24T05:10:00Z,40\n"
                        "1,CN-BJ,2026-03-24T09:00:00Z,2026-03-24T09:10:00Z,40\n";
    instance in;
    /* 1.25 days: 2 in the first day, ceil(2 * 0.25) = 1 in the last quarter. */
    instance_init(&in, w, REQ "A,CN,1,3,300,2,,,\n", T0, "2026-03-24T06:00:00Z", 120);
    apsco_schedule s;
    solve_checked(&in, APSCO_SOLVER_HEURISTIC, &s);
    assert_int_equal(s.contact_count, 3);
    assert_near(s.states[1].requested_s, 3 * 300, 1e-9);
    apsco_schedule_free(&s);
    instance_free(&in);
}

/* ---------------------------------------------------------- verifier */

static void expect_violation(const instance *in, apsco_schedule *s, const char *word)
{
    apsco_error err;
    assert_int_equal(apsco_schedule_verify(&in->problem, s, &err), APSCO_ERR_VALUE);
    if (!strstr(err.message, word))
        fail_msg("expected '%s' in: %s", word, err.message);
}

static void test_plan_verify_detects_each_kind_of_violation(void **state)
{
    (void)state;
    instance in;
    instance_init(&in,
                  WIN "1,CN-BJ," DAY "T01:00:00Z," DAY "T01:20:00Z,40\n"
                      "2,CN-BJ," DAY "T01:00:00Z," DAY "T01:20:00Z,40\n"
                      "1,PK-IS," DAY "T01:00:00Z," DAY "T01:20:00Z,40\n",
                  REQ "A,CN,1,3,300,1,,,\nB,PK,2,3,300,1,,,\n", T0, T1, 120);
    apsco_schedule s;
    solve_checked(&in, APSCO_SOLVER_HEURISTIC, &s);
    assert_int_equal(s.contact_count, 2);
    apsco_plan_contact saved[2] = {s.contacts[0], s.contacts[1]};
    /* Same antenna, overlapping or within the set-up time. */
    for (int i = 0; i < 2; i++) {
        s.contacts[i].station = 0, s.contacts[i].antenna = 0;
        /* The pass of its satellite over CN-BJ: windows 0 (satellite 1) and 1 (satellite 2). */
        s.contacts[i].window = in.requests.items[s.contacts[i].request].norad == 1 ? 0 : 1;
    }
    s.contacts[1].start = apsco_time_add_s(s.contacts[0].end, 60);
    s.contacts[1].end = apsco_time_add_s(s.contacts[1].start, 300);
    expect_violation(&in, &s, "antenna is busy");
    memcpy(s.contacts, saved, sizeof saved);
    /* Lasting longer than the request's duration. */
    s.contacts[0].end = apsco_time_add_s(s.contacts[0].end, 1);
    expect_violation(&in, &s, "lasts");
    memcpy(s.contacts, saved, sizeof saved);
    /* Outside its pass. */
    s.contacts[0].start = apsco_time_add_s(s.contacts[0].start, 3600);
    s.contacts[0].end = apsco_time_add_s(s.contacts[0].end, 3600);
    expect_violation(&in, &s, "inside its pass");
    memcpy(s.contacts, saved, sizeof saved);
    /* The satellite at two stations at once: A twice, at CN-BJ and PK-IS. */
    size_t a = in.requests.items[s.contacts[0].request].norad == 1 ? 0 : 1;
    apsco_plan_contact twin = s.contacts[a];
    twin.station = twin.station == 0 ? 1 : 0;
    twin.window = twin.station == 0 ? 0 : 2;
    twin.start = apsco_time_add_s(twin.start, 60);
    twin.end = apsco_time_add_s(twin.end, 60);
    s.contacts[1 - a] = twin;
    expect_violation(&in, &s, "satellite is talking");
    /* Twice in one period apart in time: more than per_day. */
    twin.start = apsco_time_add_s(saved[a].start, 400);
    twin.end = apsco_time_add_s(saved[a].end, 400);
    s.contacts[1 - a] = twin;
    expect_violation(&in, &s, "allows 1");
    memcpy(s.contacts, saved, sizeof saved);
    /* During an outage. */
    const char *o = "CN-BJ," DAY "T00:00:00Z," DAY "T02:00:00Z\n";
    apsco_error err;
    assert_int_equal(apsco_plan_outages_parse(o, strlen(o), "o", &in.outages, &err), APSCO_OK);
    in.problem.outages = &in.outages;
    size_t on_bj = s.contacts[0].station == 0 ? 0 : 1;
    if (s.contacts[on_bj].station == 0)
        expect_violation(&in, &s, "outage");
    in.problem.outages = NULL;
    /* A contact for a refused request. */
    s.refused = realloc(s.refused, sizeof *s.refused);
    s.refused[0].request = s.contacts[0].request;
    s.refused_count = 1;
    expect_violation(&in, &s, "refused");
    apsco_schedule_free(&s);
    instance_free(&in);
}

/* ------------------------------------------- against exhaustive search */

typedef struct best {
    double level;          /* largest smallest normalised grant */
    double seconds, value; /* one state: most seconds, then most value */
} best;

/* Every conflict-free set of candidates, by depth-first search. */
static void enumerate(plan_sol *sol, const size_t *off, size_t c, size_t n, best *b)
{
    const plan_model *m = sol->m;
    if (c == n) {
        double level = plan_sol_level(sol), sec = 0;
        for (int s = 0; s < m->state_count; s++)
            sec += sol->granted[s];
        if (level > b->level)
            b->level = level;
        if (sec > b->seconds + 1e-9 || (sec > b->seconds - 1e-9 && sol->value > b->value)) {
            b->seconds = sec;
            b->value = sol->value;
        }
        return;
    }
    enumerate(sol, off, c + 1, n, b);
    size_t slot = 0;
    while (off[slot + 1] <= c)
        slot++;
    double start = slot_start(&m->slots[slot], (int)(c - off[slot]));
    if (!plan_sol_fits(sol, (int)slot, start))
        return;
    int id = plan_sol_add(sol, (int)slot, start);
    enumerate(sol, off, c + 1, n, b);
    plan_sol_remove(sol, id);
}

static unsigned next_rand(unsigned *x)
{
    *x = *x * 1103515245u + 12345u;
    return (*x >> 16) & 0x7fff;
}

/* A tiny random instance: two stations, three satellites, short passes, a few requests. */
static void tiny_instance(instance *in, unsigned seed, int states)
{
    static const char *const codes[] = {"CN", "PK", "TH"};
    char w[2048] = WIN, r[1024] = REQ, line[160];
    unsigned x = seed * 2654435761u + 12345u;
    int passes = 4 + (int)(next_rand(&x) % 3);
    for (int i = 0; i < passes; i++) {
        int minute = (int)(next_rand(&x) % 50);
        int len = 6 + (int)(next_rand(&x) % 4);
        int sat = 1 + (int)(next_rand(&x) % 3);
        const char *station = next_rand(&x) % 2 ? "CN-BJ" : "PK-IS";
        snprintf(line, sizeof line, "%d,%s," DAY "T01:%02d:00Z," DAY "T01:%02d:00Z,30\n", sat,
                 station, minute, minute + len);
        strcat(w, line);
    }
    for (int i = 0; i < 3; i++) {
        int priority = 1 + (int)(next_rand(&x) % 5);
        int duration = 180 + 60 * (int)(next_rand(&x) % 3);
        int per_day = 1 + (int)(next_rand(&x) % 3);
        snprintf(line, sizeof line, "R%d,%s,%d,%d,%d,%d,,,\n", i, codes[i % states], 1 + i,
                 priority, duration, per_day);
        strcat(r, line);
    }
    instance_init(in, w, r, T0, T1, 120);
    in->problem.step_s = 120;
}

/*
 * Exhaustive search over the candidates of `in`, improving `b`; 0 (and `b`
 * untouched) when there are none or too many (over 16) to enumerate.
 */
static int exhaustive_best(const instance *in, best *b)
{
    plan_model m;
    apsco_error err;
    assert_int_equal(plan_model_build(&in->problem, &m, &err), APSCO_OK);
    int small = m.candidate_count > 0 && m.candidate_count <= 16;
    if (small) {
        plan_sol sol;
        assert_int_equal(plan_sol_init(&sol, &m), APSCO_OK);
        size_t *off = plan_candidate_offsets(&m);
        enumerate(&sol, off, 0, m.candidate_count, b);
        free(off);
        plan_sol_free(&sol);
    }
    plan_model_free(&m);
    return small;
}

/* One state: the MILP maximises its seconds, then the value, as exhaustive search does. */
static void test_plan_milp_matches_exhaustive_search_for_one_state(void **state)
{
    (void)state;
    int checked = 0;
    for (unsigned seed = 1; seed < 60 && checked < 25; seed++) {
        instance in;
        tiny_instance(&in, seed, 1);
        best b = {0, -1, 0};
        if (!exhaustive_best(&in, &b)) {
            instance_free(&in);
            continue;
        }
        apsco_schedule s;
        solve_checked(&in, APSCO_SOLVER_MILP, &s);
        assert_near(s.states[1].granted_s, b.seconds, 1e-6);
        assert_near(s.value, b.value, 1e-6);
        assert_true(s.optimal);
        apsco_schedule_free(&s);
        solve_checked(&in, APSCO_SOLVER_HEURISTIC, &s);
        assert_true(s.value <= b.value + 1e-6);
        assert_true(s.bound >= b.value - 1e-6);
        apsco_schedule_free(&s);
        instance_free(&in);
        checked++;
    }
    assert_true(checked >= 10);
}

/* Several states: the fairness level of the MILP is the exhaustive max-min. */
static void test_plan_milp_level_matches_exhaustive_max_min(void **state)
{
    (void)state;
    int checked = 0;
    for (unsigned seed = 100; seed < 200 && checked < 25; seed++) {
        instance in;
        tiny_instance(&in, seed, 3);
        best b = {-1, -1, 0};
        if (!exhaustive_best(&in, &b)) {
            instance_free(&in);
            continue;
        }
        for (size_t k = 0; k < 2; k++) {
            apsco_schedule s;
            solve_checked(&in, exact_and_fast[k], &s);
            if (exact_and_fast[k] == APSCO_SOLVER_MILP)
                assert_near(s.level, b.level, 1e-6);
            else
                assert_true(s.level <= b.level + 1e-6);
            assert_true(s.level_bound >= b.level - 1e-6);
            apsco_schedule_free(&s);
        }
        instance_free(&in);
        checked++;
    }
    assert_true(checked >= 10);
}

/* --------------------------------------------------- synthetic network */

/* Every solver's schedule on seeded synthetic networks passes the verifier and its bounds. */
static void test_plan_synthetic_schedules_pass_the_verifier(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 4; seed++) {
        instance in;
        instance_small_synth(&in, seed, T0, "2026-03-25T00:00:00Z");
        static const apsco_plan_solver all[] = {APSCO_SOLVER_FCFS, APSCO_SOLVER_HEURISTIC,
                                                APSCO_SOLVER_AUTO};
        for (size_t k = 0; k < 3; k++) {
            apsco_schedule s;
            solve_checked(&in, all[k], &s);
            assert_true(s.contact_count > 0);
            assert_true(s.value <= s.bound * (1 + 1e-9));
            assert_true(s.level <= s.level_bound * (1 + 1e-9) + 1e-6);
            apsco_schedule_free(&s);
        }
        instance_free(&in);
    }
}

/*
 * A week of a dozen stations is too large for the simplex bound: the bounds
 * come from column generation and Lagrangian duality, and a gap is reported
 * within the time limit.
 */
static void test_plan_large_instance_reports_a_gap_within_the_time_limit(void **state)
{
    (void)state;
    apsco_plan_synth_options so;
    apsco_plan_synth_options_init(&so);
    apsco_plan_synth_demand d;
    apsco_plan_synth_demand_init(&d);
    d.per_day_scale = 3;
    instance in;
    instance_synth(&in, &so, &d, T0, "2026-03-30T00:00:00Z");
    apsco_error err;
    apsco_plan_options o;
    apsco_plan_options_init(&o);
    o.solver = APSCO_SOLVER_HEURISTIC;
    o.time_limit_s = 8; /* room for sanitizer builds on a busy machine */
    apsco_schedule s;
    memset(&s, 0, sizeof s);
    assert_int_equal(apsco_plan_solve(&in.problem, &o, &s, &err), APSCO_OK);
    assert_int_equal(apsco_schedule_verify(&in.problem, &s, &err), APSCO_OK);
    assert_true(s.candidates > 20000);
    assert_true(isfinite(s.bound) && isfinite(s.gap));
    assert_true(s.value <= s.bound * (1 + 1e-9));
    assert_true(s.gap >= 0 && s.gap < 1);
    assert_true(s.seconds < o.time_limit_s + 1);
    apsco_schedule_free(&s);
    instance_free(&in);
}

/* Passes over the members' sites: 4-6 a day per station, 2-15 minutes long. */
static void test_plan_synthetic_passes_look_like_leo_passes(void **state)
{
    (void)state;
    apsco_plan_synth_options so;
    apsco_plan_synth_options_init(&so);
    so.geo = 0;
    apsco_plan_windows w = {0};
    long norads[24];
    apsco_time t0, t1;
    apsco_error err;
    apsco_time_parse_iso(T0, &t0, &err);
    t1 = apsco_time_add_s(t0, 7 * 86400.0);
    assert_int_equal(apsco_plan_synth_windows(&so, t0, t1, &w, norads, &err), APSCO_OK);
    assert_int_equal(w.station_count, 12);
    double per_day = (double)w.count / (24 * 12 * 7);
    assert_true(per_day > 3 && per_day < 7);
    for (size_t i = 0; i < w.count; i++) {
        double len = apsco_time_diff_s(w.items[i].end, w.items[i].start);
        assert_true(len >= 120 - 1e-6 && len <= 16 * 60);
        assert_true(w.items[i].max_el_rad >= 5 * M_PI / 180 - 1e-9);
    }
    apsco_plan_windows_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_greedy_by_priority_is_wrong_and_the_solvers_are_not),
        cmocka_unit_test(test_plan_max_min_splits_a_contested_antenna_equally),
        cmocka_unit_test(test_plan_entitlements_weight_the_split),
        cmocka_unit_test(test_plan_setup_time_separates_contacts_on_one_antenna),
        cmocka_unit_test(test_plan_a_satellite_talks_to_one_station_at_a_time),
        cmocka_unit_test(test_plan_outages_move_or_cancel_contacts),
        cmocka_unit_test(test_plan_refuses_by_right_and_by_reference_with_reasons),
        cmocka_unit_test(test_plan_member_without_entitlement_is_refused),
        cmocka_unit_test(test_plan_window_request_gets_one_contact_inside_its_window),
        cmocka_unit_test(test_plan_per_day_counts_periods_from_the_horizon_start),
        cmocka_unit_test(test_plan_verify_detects_each_kind_of_violation),
        cmocka_unit_test(test_plan_milp_matches_exhaustive_search_for_one_state),
        cmocka_unit_test(test_plan_milp_level_matches_exhaustive_max_min),
        cmocka_unit_test(test_plan_synthetic_schedules_pass_the_verifier),
        cmocka_unit_test(test_plan_synthetic_passes_look_like_leo_passes),
        cmocka_unit_test(test_plan_large_instance_reports_a_gap_within_the_time_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
