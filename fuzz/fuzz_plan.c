/*
 * libFuzzer harness for the whole planner: the input is a windows CSV and a
 * requests file separated by a line "%%". Whatever parses is scheduled by
 * the heuristic and by first come, first served, and every schedule must
 * pass apsco_schedule_verify and stay below its bound.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void solve_and_verify(const apsco_plan_problem *p, apsco_plan_solver solver)
{
    apsco_plan_options o;
    apsco_plan_options_init(&o);
    o.solver = solver;
    o.time_limit_s = 0.5;
    apsco_schedule s;
    apsco_error err;
    if (apsco_plan_solve(p, &o, &s, &err) != APSCO_OK)
        return;
    if (apsco_schedule_verify(p, &s, &err) != APSCO_OK)
        abort();
    if (isfinite(s.bound) && s.value > s.bound * (1 + 1e-9) + 1e-6)
        abort();
    apsco_schedule_free(&s);
}

/* The first "\n%%\n" in the input, or NULL. */
static const char *separator(const char *text, size_t size)
{
    for (size_t i = 0; i + 4 <= size; i++)
        if (!memcmp(text + i, "\n%%\n", 4))
            return text + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *sep = separator(text, size);
    if (!sep || size > 8192)
        return 0;
    size_t wlen = (size_t)(sep - text) + 1;
    apsco_plan_windows w = {0};
    apsco_plan_requests r = {0};
    apsco_error err;
    if (apsco_plan_windows_parse(text, wlen, "windows", &w, &err) == APSCO_OK && w.count <= 200 &&
        apsco_plan_requests_parse(sep + 4, size - wlen - 3, "requests", &r, &err) == APSCO_OK &&
        r.count <= 50) {
        apsco_plan_problem p;
        apsco_plan_problem_init(&p);
        apsco_time_parse_iso("2026-03-23T00:00:00Z", &p.start, &err);
        apsco_time_parse_iso("2026-03-25T00:00:00Z", &p.end, &err);
        p.stations = w.stations;
        p.station_count = w.station_count;
        p.windows = w.items;
        p.window_count = w.count;
        p.requests = &r;
        solve_and_verify(&p, APSCO_SOLVER_HEURISTIC);
        solve_and_verify(&p, APSCO_SOLVER_FCFS);
    }
    apsco_plan_windows_free(&w);
    apsco_plan_requests_free(&r);
    return 0;
}
