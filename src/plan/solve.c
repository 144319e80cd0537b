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

#include "plan/cliques.h"
#include "plan/colgen.h"
#include "plan/internal.h"
#include "plan/lagrange.h"
#include "plan/relax.h"

/* Instances up to this many candidate contacts go to the MILP under --solver auto. */
#define AUTO_MILP_CANDIDATES 500
/*
 * Up to this many the bounds always come from the simplex method (CLP);
 * beyond, when CLP's dual simplex should finish in most of the time left
 * at about this many candidates a second (a week of the members' network,
 * 72 000 candidates: 4.4-7 s on the 2-core benchmark machine, depending on
 * its load), otherwise from column generation and Lagrangian duality.
 */
#define LP_CANDIDATES       20000
#define LP_CANDIDATES_PER_S 15000.0
#define LP_TIME_SHARE       0.8
/*
 * Beyond this many candidates (ten times the members' network: 5.6 million)
 * column generation gets no level bound within a time limit of seconds and
 * the Lagrangian's conflict structure alone takes seconds to build: the value
 * bound is then computed on a second core beside the search, and the level
 * bound is left out. Up to it, the heuristic's value stage is guided by the
 * LP (guided.c) and the bounds run beside the rounded schedule's search.
 */
#define PARALLEL_CANDIDATES 1000000
/* Share of the time limit the heuristic has when the bounds run beside it. */
#define PARALLEL_SEARCH_SHARE 0.7
/*
 * Shares of the time limit of the LP-guided heuristic: the fairness stage
 * ends at the first, the day LPs by the second (the rounded schedule's
 * search then runs to the end); a rounding from the LP of the whole
 * horizon, when the bound thread found it, needs the third share of the
 * limit left.
 */
#define GUIDED_FAIR_SHARE   0.15
#define GUIDED_LP_SHARE     0.75
#define GUIDED_SECOND_SHARE 0.15
/*
 * Candidates of the day LPs CLP solves in a second on one core (a day of
 * the members' network, 10 000 candidates: 0.15-0.25 s): the day LPs are
 * skipped when they cannot finish by the second share.
 */
#define DAY_LP_CANDIDATES_PER_S 40000.0

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
 * floors the schedule respects). The LP relaxation by CLP's simplex method
 * when `exact`, when the instance is small, or when the time left should
 * let it finish: the value first (its LP values go to `x` when not NULL),
 * then the level from a fresh start (the value stage's basis is a poor one
 * for it). Otherwise, or when CLP runs out of time, column generation for
 * the level (its optimal support is small) and Lagrangian duality for the
 * value. A bound not found in time stays NAN. `cpu_rate`: CPU seconds the
 * process spends a second meanwhile (plan_relax_new). Returns 1 when the value bound is CLP's (and
 * `x` was filled).
 */
/*
 * Whether CLP should solve the whole relaxation in `left` seconds at
 * `speed` cores' worth of CPU (1 for a free core): always up to
 * LP_CANDIDATES, beyond when LP_TIME_SHARE of the time is enough at
 * LP_CANDIDATES_PER_S.
 */
static int lp_in_time(const plan_model *m, double left, double speed)
{
    return m->candidate_count <= LP_CANDIDATES ||
           (double)m->candidate_count <= LP_CANDIDATES_PER_S * LP_TIME_SHARE * speed * left;
}

static int bounds(const plan_model *m, const plan_sol *sol, double level, double value,
                  const double *floors, int exact, double deadline, double cpu_rate,
                  double *level_bound, double *value_bound, double *x)
{
    double lb, vb, left = deadline - plan_clock();
    *level_bound = *value_bound = NAN;
    int lp = exact || lp_in_time(m, left, 1.0);
    if (lp) {
        /* Unless exact, a fifth of the time stays for the fallback. */
        double lp_end = exact ? deadline : plan_clock() + LP_TIME_SHARE * left;
        plan_relax *r = plan_relax_new(m, NULL, NULL, cpu_rate);
        if (r && plan_relax_value(r, floors, lp_end, &vb, x) == APSCO_OK)
            *value_bound = fmax(vb, value);
        plan_relax_free(r);
        r = exact || isfinite(*value_bound) ? plan_relax_new(m, NULL, NULL, cpu_rate) : NULL;
        if (r && plan_relax_level(r, deadline, &lb) == APSCO_OK)
            *level_bound = fmax(lb, level);
        plan_relax_free(r);
        if (!exact && isfinite(*value_bound) && !isfinite(*level_bound) &&
            plan_cg_level(m, sol, deadline, &lb) == APSCO_OK)
            *level_bound = fmax(lb, level);
        if (exact || isfinite(*value_bound))
            return isfinite(*value_bound);
    }
    double mid = plan_clock() + 0.5 * (deadline - plan_clock());
    if (plan_cg_level(m, sol, mid, &lb) == APSCO_OK)
        *level_bound = fmax(lb, level);
    plan_lag *L = plan_lag_new(m);
    if (L && plan_lag_value(L, floors, value, deadline, NULL, 0, &vb) == APSCO_OK)
        *value_bound = fmax(vb, value);
    plan_lag_free(L);
    return 0;
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
            bounds(m, sol, plan_sol_level(sol), sol->value, floors, 0, deadline, 1.0,
                   &out->level_bound, &out->bound, NULL);
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

/* Replaces `best` by `alt` when `alt` meets the floors and is worth more. */
static apsco_status keep_better(plan_sol *best, const plan_sol *alt, apsco_status alt_st)
{
    if (alt_st != APSCO_OK || !(alt->value > best->value))
        return alt_st == APSCO_ERR_NOMEM ? APSCO_ERR_NOMEM : APSCO_OK;
    return plan_sol_copy(best, alt);
}

/* What the two threads of the LP-guided heuristic share. */
typedef struct guided {
    const plan_model *m;
    const apsco_plan_options *o;
    double t0, deadline;
    plan_sol *sol;   /* the heuristic's schedule, then the best */
    plan_sol seed;   /* the fairness stage's schedule: the floors and the day LPs' floors */
    plan_sol alt[2]; /* rounded from the day LPs, from the LP of the whole horizon */
    double *floors;
    double *x, *xw;      /* LP values of the day LPs, of the whole horizon */
    plan_relax **day_lp; /* each day's LP once solved, for the bound (NULL: not solved) */
    int ndays;
    double *price;       /* the days' bound: prices of the floors, */
    double *day_best;    /* each day's maximum at them, */
    apsco_status priced; /* and whether every day's was found */
    plan_cliques cl;
    plan_lag *L;     /* Lagrangian prices of the bound thread */
    double early;    /* its bound for floors of zero */
    int done, team;  /* the fairness stage is over; threads at work */
    int days;        /* the day LPs are worth solving (set before they start) */
    int solved;      /* day LPs solved in time */
    double cpu_rate; /* CPU seconds the process got a second during the fairness stage */
    apsco_status st, lp, g[2];
} guided;

/*
 * The bounds beside the rounded schedule's search: the LP when CLP can
 * solve it in the time left (its LP values then go to g->xw), otherwise
 * column generation for the level and the Lagrangian prices of the
 * fairness stage's time continued for the floors. Returns 1 for the LP.
 */
static int guided_bounds(guided *g, apsco_schedule *out)
{
    const plan_model *m = g->m;
    double left = g->deadline - plan_clock(), level = plan_sol_level(&g->seed), vb = NAN, lb;
    double days_bound = INFINITY;
    /* On a machine busy with other work CLP gets less than a core. */
    double speed = fmin(1, g->cpu_rate / g->team);
    if (lp_in_time(m, left, speed)) {
        int lp = bounds(m, &g->seed, level, g->seed.value, g->floors, 0, g->deadline, g->cpu_rate,
                        &out->level_bound, &out->bound, g->xw);
        if (isfinite(g->early))
            out->bound = isfinite(out->bound) ? fmin(out->bound, g->early) : g->early;
        return lp;
    }
    /* With the days' bound at hand the value needs no more time: the level takes it all. */
    double mid = g->priced == APSCO_OK ? g->deadline : plan_clock() + 0.5 * left;
    if (plan_cg_level(m, &g->seed, mid, &lb) == APSCO_OK)
        out->level_bound = fmax(lb, level);
    /*
     * The days' Lagrangian bound when every day's maximum was found (about
     * 1 % above the exact LP on the benchmark week); otherwise the
     * Lagrangian prices of the whole conflict structure (5-7 %).
     */
    if (g->priced == APSCO_OK)
        days_bound = plan_guided_bound_of(m, g->day_best, g->ndays, g->price, g->floors);
    if (!isfinite(days_bound) && g->L &&
        plan_lag_value(g->L, g->floors, g->seed.value, g->deadline, NULL, 1, &vb) == APSCO_OK)
        g->early = fmin(g->early, vb);
    g->early = fmin(g->early, days_bound);
    if (isfinite(g->early))
        out->bound = g->early;
    return 0;
}

/* Thread 0 after the day LPs: rounding and search, or the value search alone. */
static void guided_search(guided *g, double end)
{
    if (g->lp == APSCO_OK)
        g->g[0] = plan_guided(g->m, g->x, &g->seed, g->floors, end, &g->alt[0]);
    if (g->g[0] != APSCO_OK)
        g->st = plan_search_value(g->m, g->floors, NULL, end, g->sol);
}

/* Thread 1 after the day LPs: the bounds, then a rounding from the LP of the whole horizon. */
static void guided_side(guided *g, apsco_schedule *out)
{
    double limit = g->o->time_limit_s;
    if (guided_bounds(g, out) && g->deadline - plan_clock() > GUIDED_SECOND_SHARE * limit)
        g->g[1] = plan_guided(g->m, g->xw, &g->seed, g->floors, g->deadline, &g->alt[1]);
}

/*
 * The days' LPs, shared out among the threads of the team that calls it. A
 * day not solved in time keeps the fairness stage's contacts as its LP
 * values; the guide fails only when no day was solved.
 */
static void guided_days(guided *g, double end)
{
    int days = plan_guided_days(g->m);
#pragma omp for schedule(dynamic)
    for (int d = 0; d < days; d++) {
        apsco_status sd = g->st == APSCO_OK ? plan_guided_day(g->m, &g->cl, &g->seed, g->floors, d,
                                                              end, g->cpu_rate, g->x, &g->day_lp[d])
                                            : APSCO_ERR_LIMIT;
#pragma omp critical(plan_guided_lp)
        {
            g->solved += sd == APSCO_OK;
            if (sd != APSCO_OK && sd != APSCO_ERR_LIMIT)
                g->lp = sd;
        }
    }
#pragma omp single
    if (g->lp == APSCO_OK && g->solved == 0)
        g->lp = APSCO_ERR_LIMIT;
}

/*
 * The first part of the days' bound, right after the day LPs on the same
 * threads (0.05-0.13 s a day, before the rounded schedule's search, which
 * has time to spare): every day's LP re-optimised at common floor prices.
 * Left out unless every day's LP was solved and bounds are wanted.
 */
static void guided_days_priced(guided *g, double end)
{
#pragma omp single
    {
        int all = g->o->bound && g->ndays > 0 && g->price && g->day_best;
        for (int d = 0; all && d < g->ndays; d++)
            all = g->day_lp[d] != NULL;
        g->priced = all ? plan_guided_prices(g->m, g->day_lp, g->ndays, g->price) : APSCO_ERR_LIMIT;
    }
    apsco_status go = g->priced;
#pragma omp for schedule(dynamic)
    for (int d = 0; d < g->ndays; d++) {
        apsco_status sd =
            go == APSCO_OK ? plan_relax_priced(g->day_lp[d], g->price, end, &g->day_best[d]) : go;
        if (sd != APSCO_OK) {
#pragma omp critical(plan_guided_priced)
            g->priced = sd;
        }
    }
}

/*
 * The heuristic with its value stage guided by the LP (guided.c), on two
 * threads: the fairness stage sets the floors (the other thread starts
 * the Lagrangian prices meanwhile); the day LPs run on both; then one
 * thread rounds and searches while the other computes the bounds and, when
 * they came with the LP of the whole horizon early enough, rounds and
 * searches from that LP too. The best schedule that keeps every floor
 * wins; without an LP in time, the heuristic's value search.
 */
static apsco_status heuristic_guided(const plan_model *m, const apsco_plan_options *o, double t0,
                                     plan_sol *sol, double *floors, apsco_schedule *out)
{
    double limit = o->time_limit_s;
    int threads = omp_get_max_threads() >= 2 && !omp_in_parallel() ? 2 : 1;
    guided g = {.m = m,
                .o = o,
                .t0 = t0,
                .deadline = t0 + 0.99 * limit,
                .sol = sol,
                .floors = floors,
                .early = INFINITY,
                .team = 1,
                .st = APSCO_OK,
                .lp = APSCO_OK,
                .g = {APSCO_ERR_LIMIT, APSCO_ERR_LIMIT}};
    size_t n = m->candidate_count + 1;
    g.x = calloc(n, sizeof *g.x);
    g.xw = malloc(n * sizeof *g.xw);
    g.ndays = plan_guided_days(m);
    g.day_lp = calloc((size_t)g.ndays + 1, sizeof(plan_relax *));
    g.price = malloc(((size_t)m->state_count + 1) * sizeof *g.price);
    g.day_best = malloc(((size_t)g.ndays + 1) * sizeof *g.day_best);
    g.priced = APSCO_ERR_LIMIT;
    int inits = 0;
    plan_sol *sols[] = {&g.seed, &g.alt[0], &g.alt[1]};
    while (inits < 3 && plan_sol_init(sols[inits], m) == APSCO_OK)
        inits++;
    apsco_status st =
        g.x && g.xw && g.day_lp && inits == 3 ? plan_cliques_build(m, &g.cl) : APSCO_ERR_NOMEM;
    if (st != APSCO_OK) {
        while (inits > 0)
            plan_sol_free(sols[--inits]);
        free(g.x);
        free(g.xw);
        free(g.day_lp);
        free(g.price);
        free(g.day_best);
        return st;
    }
    double fair_end = t0 + GUIDED_FAIR_SHARE * limit;
    double lp_end = t0 + GUIDED_LP_SHARE * limit;
    double cpu0 = plan_cpu_clock();
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        if (omp_get_thread_num() == 0) {
            g.team = omp_get_num_threads();
            g.st = plan_heuristic_fair(m, fair_end, sol, floors);
            if (g.st == APSCO_OK)
                g.st = plan_sol_copy(&g.seed, sol);
            /*
             * The CPU the process got meanwhile (both threads busy when the
             * bounds are wanted) says how fast CLP will run; day LPs that
             * cannot finish in time would only take the search's time.
             */
            double wall = plan_clock() - t0, cpu = plan_cpu_clock() - cpu0;
            int busy = o->bound ? g.team : 1;
            g.cpu_rate = wall > 0 ? fmin(g.team, cpu / wall * g.team / busy) : g.team;
            g.days = (double)m->candidate_count <=
                     DAY_LP_CANDIDATES_PER_S * g.cpu_rate * (lp_end - plan_clock());
            g.lp = g.days ? APSCO_OK : APSCO_ERR_LIMIT;
            __atomic_store_n(&g.done, 1, __ATOMIC_RELEASE);
        } else if (o->bound) {
            g.L = side_work(m, fair_end, &g.done, &g.early);
        }
#pragma omp barrier
        /* Read before thread 0 may write it again (guided_search). */
        apsco_status fair = g.st;
        if (g.days) {
            guided_days(&g, lp_end);
            guided_days_priced(&g, lp_end);
        }
        if (omp_get_thread_num() == 0 && fair == APSCO_OK)
            guided_search(&g, g.team > 1 || !o->bound ? g.deadline : lp_end);
        else if (fair == APSCO_OK && o->bound)
            guided_side(&g, out);
    }
    if (g.st == APSCO_OK && o->bound && g.team < 2)
        guided_bounds(&g, out);
    for (int i = 0; i < 2 && g.st == APSCO_OK; i++)
        g.st = keep_better(sol, &g.alt[i], g.g[i]);
    plan_lag_free(g.L);
    plan_cliques_free(&g.cl);
    for (int i = 0; i < 3; i++)
        plan_sol_free(sols[i]);
    for (int d = 0; d < g.ndays; d++)
        plan_relax_free(g.day_lp[d]);
    free(g.day_lp);
    free(g.price);
    free(g.day_best);
    free(g.x);
    free(g.xw);
    return g.st;
}

/*
 * Whether the day LPs can be solved within the time limit on free cores.
 * Otherwise the plain heuristic runs as it did before the LP guide: its
 * fairness stage and value search within half the limit, then the bounds.
 * (Given more time than the fairness stage leaves it, the value search tops
 * up whichever states have the most valuable requests, above the floors the
 * fairness stage set: with every member asking for every satellite, shares
 * that the plain heuristic keeps within 0.97..1.05 spread to 0.95..1.13.)
 */
static int guided_in_reach(const plan_model *m, const apsco_plan_options *o)
{
    int threads = omp_get_max_threads() >= 2 && !omp_in_parallel() ? 2 : 1;
    double lp_time = (GUIDED_LP_SHARE - GUIDED_FAIR_SHARE) * o->time_limit_s;
    return (double)m->candidate_count <= DAY_LP_CANDIDATES_PER_S * threads * lp_time;
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
    } else if (solver == APSCO_SOLVER_HEURISTIC && guided_in_reach(m, o)) {
        st = heuristic_guided(m, o, t0, sol, floors, out);
        if (st == APSCO_OK && isfinite(out->bound))
            out->bound = fmax(out->bound, sol->value);
        if (st == APSCO_OK && isfinite(out->level_bound))
            out->level_bound = fmax(out->level_bound, plan_sol_level(sol));
        return st;
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
        bounds(m, sol, plan_sol_level(sol), sol->value, floors, 0, deadline, 1.0, &out->level_bound,
               &out->bound, NULL);
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
    bounds(&m, NULL, schedule->level, schedule->value, floors, exact, t0 + time_limit_s, 1,
           level_bound, value_bound, NULL);
    free(floors);
    plan_model_free(&m);
    return APSCO_OK;
}
