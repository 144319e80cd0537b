/*
 * solve.c — apsco_plan_solve: builds the model, runs the chosen solver,
 * computes the LP bounds, gives every contact an antenna and writes the
 * report (contacts, per-state shares, refusals, value, bound, gap).
 *
 * The entry point pass prediction feeds: it takes windows, never orbits.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "plan/colgen.h"
#include "plan/internal.h"
#include "plan/lagrange.h"

/* Instances up to this many candidate contacts go to the MILP under --solver auto. */
#define AUTO_MILP_CANDIDATES 500
/* Up to this many the bounds come from the simplex method, beyond from Lagrangian duality. */
#define LP_CANDIDATES 20000
/*
 * Beyond this many candidates (ten times the members' network: 5.6 million)
 * column generation gets no level bound within a time limit of seconds and
 * the Lagrangian's conflict structure alone takes seconds to build: the value
 * bound is then computed on a second core beside the search, and the level
 * bound is left out. Below it, a second thread costs the search more than it
 * gives the bounds (measured on the members' network, 2 s).
 */
#define PARALLEL_CANDIDATES 1000000
/* Share of the time limit the heuristic has when the bounds run beside it. */
#define PARALLEL_SEARCH_SHARE 0.7

const char *apsco_plan_solver_name(apsco_plan_solver solver)
{
    switch (solver) {
    case APSCO_SOLVER_AUTO: return "auto";
    case APSCO_SOLVER_MILP: return "milp";
    case APSCO_SOLVER_HEURISTIC: return "heuristic";
    case APSCO_SOLVER_FCFS: return "fcfs";
    }
    return "unknown";
}

apsco_status apsco_plan_solver_parse(const char *name, apsco_plan_solver *out, apsco_error *err)
{
    static const apsco_plan_solver all[] = {APSCO_SOLVER_AUTO, APSCO_SOLVER_MILP,
                                            APSCO_SOLVER_HEURISTIC, APSCO_SOLVER_FCFS};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(name, apsco_plan_solver_name(all[i]))) {
            *out = all[i];
            return APSCO_OK;
        }
    return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                           "unknown solver '%s' (auto, milp, heuristic or fcfs)", name);
}

void apsco_plan_problem_init(apsco_plan_problem *problem)
{
    memset(problem, 0, sizeof *problem);
    problem->setup_s = 120;
    problem->step_s = 60;
}

void apsco_plan_options_init(apsco_plan_options *options)
{
    memset(options, 0, sizeof *options);
    options->solver = APSCO_SOLVER_AUTO;
    options->time_limit_s = 60;
    options->bound = 1;
}

void apsco_schedule_free(apsco_schedule *schedule)
{
    if (!schedule)
        return;
    free(schedule->contacts);
    free(schedule->states);
    free(schedule->refused);
    memset(schedule, 0, sizeof *schedule);
}

typedef struct order {
    int station;
    double start;
    int id;
} order;

static int cmp_order(const void *a, const void *b)
{
    const order *x = a, *y = b;
    if (x->station != y->station)
        return x->station - y->station;
    return (x->start > y->start) - (x->start < y->start);
}

static int cmp_contact(const void *a, const void *b)
{
    const apsco_plan_contact *x = a, *y = b;
    int c = apsco_time_compare(x->start, y->start);
    if (c)
        return c;
    if (x->station != y->station)
        return (x->station > y->station) - (x->station < y->station);
    return (x->request > y->request) - (x->request < y->request);
}

/*
 * Contacts with antennas: on each station, in order of start, a contact
 * takes the antenna that has been free the longest. Interval graphs are
 * perfect, so this never needs more antennas than the peak load the
 * solvers respect.
 */
static apsco_status write_contacts(const plan_model *m, const plan_sol *sol, apsco_schedule *out)
{
    const apsco_plan_problem *p = m->problem;
    order *o = malloc(((size_t)sol->live + 1) * sizeof *o);
    out->contacts = calloc((size_t)sol->live + 1, sizeof *out->contacts);
    int maxk = 1;
    for (int i = 0; i < m->station_count; i++)
        maxk = m->antennas[i] > maxk ? m->antennas[i] : maxk;
    double *free_at = malloc((size_t)maxk * sizeof *free_at);
    if (!o || !out->contacts || !free_at) {
        free(o);
        free(free_at);
        return APSCO_ERR_NOMEM;
    }
    int n = 0;
    for (int i = 0; i < sol->n; i++)
        if (sol->c[i].live)
            o[n++] = (order){m->segs[m->slots[sol->c[i].slot].seg].station, sol->c[i].start, i};
    plan_sort(o, (size_t)n, sizeof *o, cmp_order);
    for (int i = 0; i < n; i++) {
        if (i == 0 || o[i].station != o[i - 1].station)
            for (int k = 0; k < maxk; k++)
                free_at[k] = -INFINITY;
        const plan_contact *c = &sol->c[o[i].id];
        const plan_slot *sl = &m->slots[c->slot];
        const plan_req *q = &m->reqs[sl->req];
        int best = 0;
        for (int k = 1; k < m->antennas[o[i].station]; k++)
            if (free_at[k] < free_at[best])
                best = k;
        free_at[best] = c->start + q->d + m->setup_s;
        apsco_plan_contact *pc = &out->contacts[i];
        pc->request = q->index;
        pc->station = (size_t)o[i].station;
        pc->antenna = best;
        pc->window = m->segs[sl->seg].window;
        pc->start = apsco_time_add_s(p->start, c->start);
        pc->end = apsco_time_add_s(p->start, c->start + q->d);
    }
    out->contact_count = (size_t)n;
    plan_sort(out->contacts, out->contact_count, sizeof *out->contacts, cmp_contact);
    free(o);
    free(free_at);
    return APSCO_OK;
}

static apsco_status write_report(const plan_model *m, const plan_sol *sol, const double *floors,
                                 apsco_schedule *out)
{
    out->states = calloc((size_t)m->state_count + 1, sizeof *out->states);
    out->refused = calloc(m->refused_count + 1, sizeof *out->refused);
    if (!out->states || !out->refused)
        return APSCO_ERR_NOMEM;
    /* Shares compare with the entitlements of the states that asked for anything. */
    double total = 0, active = 0;
    for (int s = 0; s < m->state_count; s++) {
        total += sol->granted[s];
        if (m->states[s].usable > 0)
            active += m->states[s].eps;
    }
    for (int s = 0; s < m->state_count; s++) {
        apsco_plan_share *sh = &out->states[s];
        memcpy(sh->state, m->states[s].code, 3);
        sh->requested_s = m->states[s].requested;
        sh->granted_s = sol->granted[s];
        sh->entitlement = m->states[s].eps;
        sh->floor_s = floors[s];
        sh->share = total > 0 && active > 0 && m->states[s].usable > 0
                        ? sol->granted[s] / total / (m->states[s].eps / active)
                        : 0;
    }
    for (int i = 0; i < sol->n; i++)
        if (sol->c[i].live) {
            const plan_req *q = &m->reqs[m->slots[sol->c[i].slot].req];
            out->states[q->state].value += q->value;
        }
    out->state_count = (size_t)m->state_count;
    memcpy(out->refused, m->refused, m->refused_count * sizeof *out->refused);
    out->refused_count = m->refused_count;
    out->value = sol->value;
    out->level = plan_sol_level(sol);
    return write_contacts(m, sol, out);
}

/*
 * Upper bounds for a schedule of level `level` and value `value` (`sol`, when
 * at hand, starts the column generation): on the fairness level, and on the
 * value of any schedule that keeps every state at or above `floors` (the fair
 * floors the schedule respects). The simplex method on the whole LP when
 * `exact` or when the instance is small enough for it; otherwise column
 * generation for the level (its optimal support is small) and Lagrangian
 * duality for the value. A bound not found in time stays NAN.
 */
static void bounds(const plan_model *m, const plan_sol *sol, double level, double value,
                   const double *floors, int exact, double deadline, double *level_bound,
                   double *value_bound)
{
    double lb, vb, mid = plan_clock() + 0.5 * (deadline - plan_clock());
    *level_bound = *value_bound = NAN;
    if (exact || m->candidate_count <= LP_CANDIDATES) {
        plan_lp *lp = plan_lp_new(m);
        if (lp && plan_lp_level(lp, exact ? deadline : mid, &lb) == APSCO_OK)
            *level_bound = fmax(lb, level);
        if (lp && plan_lp_value(lp, floors, deadline, &vb, NULL) == APSCO_OK)
            *value_bound = fmax(vb, value);
        plan_lp_free(lp);
        return;
    }
    if (plan_cg_level(m, sol, mid, &lb) == APSCO_OK)
        *level_bound = fmax(lb, level);
    plan_lag *L = plan_lag_new(m);
    if (L && plan_lag_value(L, floors, value, deadline, NULL, 0, &vb) == APSCO_OK)
        *value_bound = fmax(vb, value);
    plan_lag_free(L);
}

/*
 * What the second core computes while the heuristic runs: Lagrangian prices
 * for floors of zero, a bound on every schedule's value (valid for any
 * floors) and a warm start for the floors the heuristic will settle on. The
 * step length aims at the value of first come, first served, a schedule
 * known at once. Stops when `*done` turns non-zero or at `deadline`.
 */
static plan_lag *side_work(const plan_model *m, double deadline, const int *done, double *bound)
{
    *bound = INFINITY;
    double *zero = calloc((size_t)m->state_count + 1, sizeof *zero);
    plan_sol fcfs;
    double lower = 0, b;
    if (plan_sol_init(&fcfs, m) == APSCO_OK) {
        if (plan_fcfs(m, &fcfs) == APSCO_OK)
            lower = fcfs.value;
        plan_sol_free(&fcfs);
    }
    plan_lag *L = zero ? plan_lag_new(m) : NULL;
    if (L && plan_lag_value(L, zero, lower, deadline, done, 0, &b) == APSCO_OK)
        *bound = b;
    free(zero);
    return L;
}

/*
 * The heuristic on one core and the value bound on the other (very large
 * instances, at least two threads): while the heuristic searches, the
 * Lagrangian prices progress; once its floors are known they go on from
 * there until the deadline. The bound is the smaller of the two, both being
 * valid for the schedule's floors.
 */
static apsco_status heuristic_beside_bounds(const plan_model *m, const apsco_plan_options *o,
                                            double t0, plan_sol *sol, double *floors,
                                            apsco_schedule *out)
{
    /* The last 1 % of the time is left for the report. */
    double deadline = t0 + 0.99 * o->time_limit_s;
    double search_deadline = t0 + PARALLEL_SEARCH_SHARE * o->time_limit_s;
    int done = 0, team = 2;
    apsco_status st = APSCO_OK;
    plan_lag *L = NULL;
    double early = INFINITY, vb;
#pragma omp parallel num_threads(2)
    {
        /* The runtime may grant one thread only: then the bounds come after the search. */
        if (omp_get_thread_num() == 0) {
            team = omp_get_num_threads();
            st = plan_heuristic(m, NULL, team > 1 ? search_deadline : t0 + 0.5 * o->time_limit_s,
                                sol, floors);
            __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
        } else {
            L = side_work(m, search_deadline, &done, &early);
        }
    }
    if (team < 2) {
        if (st == APSCO_OK)
            bounds(m, sol, plan_sol_level(sol), sol->value, floors, 0, deadline, &out->level_bound,
                   &out->bound);
        return st;
    }
    if (st == APSCO_OK && L &&
        plan_lag_value(L, floors, sol->value, deadline, NULL, 1, &vb) == APSCO_OK)
        early = fmin(early, vb);
    plan_lag_free(L);
    if (st == APSCO_OK && isfinite(early))
        out->bound = fmax(early, sol->value);
    return st;
}

static apsco_status run(const plan_model *m, const apsco_plan_options *o, double t0, plan_sol *sol,
                        double *floors, apsco_schedule *out)
{
    double deadline = t0 + o->time_limit_s;
    apsco_plan_solver solver = o->solver;
    if (solver == APSCO_SOLVER_AUTO)
        solver =
            m->candidate_count <= AUTO_MILP_CANDIDATES ? APSCO_SOLVER_MILP : APSCO_SOLVER_HEURISTIC;
    out->solver = solver;
    apsco_status st;
    if (solver == APSCO_SOLVER_FCFS) {
        st = plan_fcfs(m, sol);
        plan_fair_floors(sol, floors);
    } else if (solver == APSCO_SOLVER_HEURISTIC && o->bound &&
               m->candidate_count > PARALLEL_CANDIDATES && omp_get_max_threads() >= 2 &&
               !omp_in_parallel()) {
        return heuristic_beside_bounds(m, o, t0, sol, floors, out);
    } else if (solver == APSCO_SOLVER_HEURISTIC) {
        /* The search stops when it stalls; the bound may use what it leaves. */
        st = plan_heuristic(m, NULL, t0 + (o->bound ? 0.5 : 1.0) * o->time_limit_s, sol, floors);
    } else {
        plan_sol start;
        st = plan_sol_init(&start, m);
        if (st != APSCO_OK)
            return st;
        st = plan_heuristic(m, NULL, t0 + 0.2 * o->time_limit_s, &start, floors);
        if (st == APSCO_OK)
            st = plan_milp(m, &start, deadline, sol, floors, &out->optimal, &out->level_bound,
                           &out->bound);
        if (st == APSCO_ERR_LIMIT)
            st = plan_sol_copy(sol, &start);
        plan_sol_free(&start);
        if (st == APSCO_OK && isfinite(out->bound))
            out->bound = fmax(out->bound, sol->value);
        return st;
    }
    if (st == APSCO_OK && o->bound)
        bounds(m, sol, plan_sol_level(sol), sol->value, floors, 0, deadline, &out->level_bound,
               &out->bound);
    return st;
}

apsco_status apsco_plan_solve(const apsco_plan_problem *problem, const apsco_plan_options *options,
                              apsco_schedule *out, apsco_error *err)
{
    double t0 = plan_clock();
    if (!problem || !out)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no problem or no output");
    apsco_plan_options defaults;
    if (!options) {
        apsco_plan_options_init(&defaults);
        options = &defaults;
    }
    if (!(options->time_limit_s > 0) || !isfinite(options->time_limit_s))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "the time limit must be positive");
    memset(out, 0, sizeof *out);
    out->bound = out->gap = out->level_bound = NAN;
    plan_model m;
    apsco_status st = plan_model_build(problem, &m, err);
    if (st != APSCO_OK)
        return st;
    plan_sol sol;
    double *floors = calloc((size_t)m.state_count + 1, sizeof *floors);
    st = floors ? plan_sol_init(&sol, &m) : APSCO_ERR_NOMEM;
    if (st == APSCO_OK) {
        out->candidates = m.candidate_count;
        st = run(&m, options, t0, &sol, floors, out);
        if (st == APSCO_OK)
            st = write_report(&m, &sol, floors, out);
        plan_sol_free(&sol);
    }
    free(floors);
    plan_model_free(&m);
    if (st != APSCO_OK) {
        apsco_schedule_free(out);
        return apsco_error_set(err, st, NULL, 0, "%s",
                               st == APSCO_ERR_NOMEM ? "out of memory" : "the solver failed");
    }
    if (isfinite(out->bound))
        out->gap = out->bound > 0 ? fmax(0, (out->bound - out->value) / out->bound) : 0;
    out->seconds = plan_clock() - t0;
    return APSCO_OK;
}

apsco_status apsco_plan_bound(const apsco_plan_problem *problem, const apsco_schedule *schedule,
                              int exact, double time_limit_s, double *level_bound,
                              double *value_bound, apsco_error *err)
{
    double t0 = plan_clock();
    if (!problem || !schedule || !level_bound || !value_bound || !(time_limit_s > 0))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "bad arguments");
    plan_model m;
    apsco_status st = plan_model_build(problem, &m, err);
    if (st != APSCO_OK)
        return st;
    double *floors = calloc((size_t)m.state_count + 1, sizeof *floors);
    if (!floors) {
        plan_model_free(&m);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (int s = 0; s < m.state_count; s++)
        for (size_t i = 0; i < schedule->state_count; i++)
            if (!strcmp(schedule->states[i].state, m.states[s].code))
                floors[s] = schedule->states[i].floor_s;
    bounds(&m, NULL, schedule->level, schedule->value, floors, exact, t0 + time_limit_s,
           level_bound, value_bound);
    free(floors);
    plan_model_free(&m);
    return APSCO_OK;
}
