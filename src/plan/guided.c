/*
 * guided.c — the value stage guided by the LP relaxation: an LP solution,
 * rounded to a schedule that keeps every state's fair floor (round.c), then
 * improved by the value search; solve.c keeps it when it beats the plain
 * value search.
 *
 * The LP of the whole horizon is the best guide but takes seconds on a week
 * of the members' network (CLP: 4.3-7.9 s for 72 000 candidates). The days
 * are nearly independent (the requests' periods are days; only passes
 * across midnight link two days), so within a short time limit each day
 * gets an LP of its own, solved side by side on the available threads
 * (seven LPs of 10 000 candidates: 0.15-0.25 s each). A day's floors are
 * the state's seconds in the fairness stage's schedule within the day,
 * scaled to its fair floor; the rounding makes up the week's floors.
 *
 * A day's LP uses the candidates whose antenna time (contact and set-up)
 * lies wholly inside the day (those reaching past midnight are in it but
 * closed, for the bound below). Were the ones reaching past midnight open,
 * the LPs of two days would both count the antenna time around midnight
 * (their sum came 1 % above the LP of the week) and the rounding would drop
 * one of each such pair; without them the days' solutions fit together
 * (their sum 0.2 % below the week's LP, the price of the days' own floors),
 * and the contacts across midnight are left to the rounding and the search.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cliques.h"
#include "plan/relax.h"

#define DAY_S 86400.0

/* Antenna time of a contact of slot `slot`: its length and the set-up after it. */
static double candidate_span(const plan_model *m, int slot)
{
    return m->reqs[m->slots[slot].req].d + m->setup_s;
}

/* Whether a contact of slot `slot` starting at `t` lies in day `day`, set-up included. */
static int inside_day(const plan_model *m, int slot, double t, int day)
{
    return floor(t / DAY_S) == day && t + candidate_span(m, slot) <= (day + 1) * DAY_S;
}

/*
 * Seconds of each state in day `day` of `start` (its contacts that the
 * day's LP holds, which therefore meet these floors), scaled to the floors.
 */
static void day_floors(const plan_model *m, const plan_sol *start, const double *floors, int day,
                       double *out)
{
    memset(out, 0, (size_t)m->state_count * sizeof *out);
    for (int i = 0; i < start->n; i++) {
        const plan_contact *c = &start->c[i];
        if (c->live && inside_day(m, c->slot, c->start, day)) {
            const plan_req *q = &m->reqs[m->slots[c->slot].req];
            out[q->state] += q->d;
        }
    }
    for (int s = 0; s < m->state_count; s++)
        out[s] = start->granted[s] > 0 ? out[s] * fmin(1, floors[s] / start->granted[s]) : 0;
}

/* A day whose LP did not finish: the contacts of `start` that day at 1, the rest at 0. */
static void seed_day(const plan_model *m, const plan_sol *start, int day, double *x)
{
    size_t *off = plan_candidate_offsets(m);
    for (int i = 0; off && i < start->n; i++) {
        const plan_contact *c = &start->c[i];
        if (!c->live || floor(c->start / DAY_S) != day)
            continue;
        const plan_slot *sl = &m->slots[c->slot];
        for (int k = 0; k < sl->n; k++)
            if (slot_start(sl, k) == c->start)
                x[off[c->slot] + (size_t)k] = 1;
    }
    free(off);
}

int plan_guided_days(const plan_model *m)
{
    return (int)ceil(m->horizon_s / DAY_S);
}

apsco_status plan_guided_day(const plan_model *m, const plan_cliques *cl, const plan_sol *start,
                             const double *floors, int day, double deadline, double cpu_rate,
                             double *x, plan_relax **kept)
{
    /* Every candidate that starts in the day, those reaching past midnight closed. */
    unsigned char *keep = malloc(m->candidate_count + 1);
    unsigned char *across = malloc(m->candidate_count + 1);
    double *f = malloc(((size_t)m->state_count + 1) * sizeof *f);
    apsco_status st = keep && across && f ? APSCO_OK : APSCO_ERR_NOMEM;
    plan_relax *r = NULL;
    if (st == APSCO_OK) {
        for (size_t c = 0; c < m->candidate_count; c++) {
            keep[c] = floor(cl->start[c] / DAY_S) == day;
            across[c] = keep[c] && !inside_day(m, cl->slot_of[c], cl->start[c], day);
            if (keep[c])
                x[c] = 0;
        }
        day_floors(m, start, floors, day, f);
        r = plan_relax_new(m, cl, keep, cpu_rate);
        st = r ? APSCO_OK : APSCO_ERR_NOMEM;
    }
    double bound;
    if (st == APSCO_OK) {
        plan_relax_close(r, across);
        st = plan_relax_value(r, f, deadline, &bound, x);
    }
    if (st == APSCO_ERR_LIMIT)
        seed_day(m, start, day, x);
    if (kept && st == APSCO_OK)
        *kept = r;
    else
        plan_relax_free(r);
    free(keep);
    free(across);
    free(f);
    return st;
}

/*
 * Lagrangian duality on the floors, the days apart: for prices p >= 0,
 * every schedule x that meets the floors F has value v x <= v x + p (G x -
 * F), and dropping the floors and the links between days (cliques and
 * periods across midnight) only enlarges the set x ranges over, so
 * sum over days of max (v + p G) x_d - p F bounds them all (G x: the
 * states' seconds). p: the mean of the days' own floor prices (the duals
 * of their floor rows). On the benchmark week the bound comes about 1 %
 * above the LP of the whole horizon, what splitting the days at midnight
 * costs: further prices (subgradient steps) gained little against that.
 */
apsco_status plan_guided_prices(const plan_model *m, plan_relax *const *days, int n, double *price)
{
    double *q = malloc(((size_t)m->state_count + 1) * sizeof *q);
    if (!q)
        return APSCO_ERR_NOMEM;
    memset(price, 0, (size_t)m->state_count * sizeof *price);
    for (int d = 0; d < n; d++) {
        plan_relax_floor_prices(days[d], q);
        for (int s = 0; s < m->state_count; s++)
            price[s] += q[s] / n;
    }
    free(q);
    return APSCO_OK;
}

double plan_guided_bound_of(const plan_model *m, const double *day_best, int n, const double *price,
                            const double *floors)
{
    double ub = 0;
    for (int d = 0; d < n; d++)
        ub += day_best[d];
    for (int s = 0; s < m->state_count; s++)
        ub -= price[s] * floors[s];
    return ub;
}

apsco_status plan_guided(const plan_model *m, const double *x, const plan_sol *start,
                         const double *floors, double deadline, plan_sol *out)
{
    apsco_status st = plan_round(m, x, floors, start, deadline, out);
    /* Short of a floor: the value search lifts the states below theirs first. */
    if (st == APSCO_OK || st == APSCO_ERR_VALUE)
        st = plan_search_value(m, floors, x, deadline, out);
    for (int s = 0; st == APSCO_OK && s < m->state_count; s++)
        if (out->granted[s] < floors[s] - 1e-6)
            st = APSCO_ERR_VALUE;
    return st;
}
