/*
 * planutil.h — building planning problems from text for the plan tests, and
 * solving them with the verifier run on every schedule.
 */
#ifndef APSCO_PLANUTIL_H
#define APSCO_PLANUTIL_H

#include <stdlib.h>
#include <string.h>

#include "apsco/plan.h"

typedef struct instance {
    apsco_plan_windows windows;
    apsco_plan_requests requests;
    apsco_plan_outages outages;
    apsco_plan_states states;
    apsco_plan_problem problem;
} instance;

/* Points the problem at the stations and windows of `in` (after they changed). */
static inline void instance_take_windows(instance *in)
{
    in->problem.stations = in->windows.stations;
    in->problem.station_count = in->windows.station_count;
    in->problem.windows = in->windows.items;
    in->problem.window_count = in->windows.count;
}

/*
 * Parses windows and requests (CSV text, NULL for none), sets the horizon
 * [start, end] and the set-up time; the built-in composition. Fails the
 * test on a parse error.
 */
static inline void instance_init(instance *in, const char *windows, const char *requests,
                                 const char *start, const char *end, double setup_s)
{
    memset(in, 0, sizeof *in);
    apsco_error err;
    apsco_plan_states_builtin(&in->states);
    apsco_plan_problem_init(&in->problem);
    if (windows && apsco_plan_windows_parse(windows, strlen(windows), "windows", &in->windows,
                                            &err) != APSCO_OK)
        fail_msg("windows: %s (line %ld)", err.message, err.line);
    if (requests && apsco_plan_requests_parse(requests, strlen(requests), "requests", &in->requests,
                                              &err) != APSCO_OK)
        fail_msg("requests: %s (line %ld)", err.message, err.line);
    assert_int_equal(apsco_time_parse_iso(start, &in->problem.start, &err), APSCO_OK);
    assert_int_equal(apsco_time_parse_iso(end, &in->problem.end, &err), APSCO_OK);
    in->problem.setup_s = setup_s;
    in->problem.requests = &in->requests;
    in->problem.states = &in->states;
    instance_take_windows(in);
}

/* The synthetic network `so` over [start, end] with demand `d` on all its satellites. */
static inline void instance_synth(instance *in, const apsco_plan_synth_options *so,
                                  const apsco_plan_synth_demand *d, const char *start,
                                  const char *end)
{
    instance_init(in, NULL, NULL, start, end, 120);
    long *norads = calloc(so->leo + so->geo, sizeof *norads);
    apsco_error err;
    assert_int_equal(apsco_plan_synth_windows(so, in->problem.start, in->problem.end, &in->windows,
                                              norads, &err),
                     APSCO_OK);
    assert_int_equal(apsco_plan_synth_requests(d, &in->states, norads, so->leo, so->geo,
                                               in->problem.start, in->problem.end, &in->requests,
                                               &err),
                     APSCO_OK);
    instance_take_windows(in);
    free(norads);
}

/* A small seeded network: 4 stations, 6 LEO and 1 GEO satellites, 3 times the default demand. */
static inline void instance_small_synth(instance *in, unsigned long long seed, const char *start,
                                        const char *end)
{
    apsco_plan_synth_options so;
    apsco_plan_synth_options_init(&so);
    so.seed = seed;
    so.stations = 4;
    so.leo = 6;
    so.geo = 1;
    apsco_plan_synth_demand d;
    apsco_plan_synth_demand_init(&d);
    d.seed = seed;
    d.per_day_scale = 3;
    instance_synth(in, &so, &d, start, end);
}

/* Sets the antennas of station `id`. */
static inline void instance_antennas(instance *in, const char *id, int antennas)
{
    for (size_t i = 0; i < in->windows.station_count; i++)
        if (!strcmp(in->windows.stations[i].id, id))
            in->windows.stations[i].antennas = antennas;
}

/* Sets the entitlements of `in` from CSV text; fails the test on a parse error. */
static inline void instance_entitlements(instance *in, const char *text)
{
    apsco_error err;
    if (apsco_plan_entitlements_parse(text, strlen(text), "entitlements", &in->states, &err) !=
        APSCO_OK)
        fail_msg("entitlements: %s (line %ld)", err.message, err.line);
}

static inline void instance_free(instance *in)
{
    apsco_plan_windows_free(&in->windows);
    apsco_plan_requests_free(&in->requests);
    apsco_plan_outages_free(&in->outages);
}

/* Solves with `solver`, fails the test unless the schedule passes apsco_schedule_verify. */
static inline void solve_checked(const instance *in, apsco_plan_solver solver, apsco_schedule *s)
{
    apsco_plan_options o;
    apsco_plan_options_init(&o);
    o.solver = solver;
    o.time_limit_s = 20;
    apsco_error err;
    if (apsco_plan_solve(&in->problem, &o, s, &err) != APSCO_OK)
        fail_msg("solve (%s): %s", apsco_plan_solver_name(solver), err.message);
    if (apsco_schedule_verify(&in->problem, s, &err) != APSCO_OK)
        fail_msg("verify (%s): %s", apsco_plan_solver_name(solver), err.message);
}

/* Granted seconds of state `code` in a schedule (-1 when it is not listed). */
static inline double granted_s(const apsco_schedule *s, const char *code)
{
    for (size_t i = 0; i < s->state_count; i++)
        if (!strcmp(s->states[i].state, code))
            return s->states[i].granted_s;
    return -1;
}

/* Number of contacts of request `id`. */
static inline int contacts_of(const instance *in, const apsco_schedule *s, const char *id)
{
    int n = 0;
    for (size_t i = 0; i < s->contact_count; i++)
        n += !strcmp(in->requests.items[s->contacts[i].request].id, id);
    return n;
}

#endif
