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
 * the state's seconds that day in the fairness stage's schedule, scaled to
 * its fair floor: the week's floors then hold, and the rounding repairs
 * what the contacts across midnight upset.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cliques.h"
#include "plan/relax.h"

#define DAY_S 86400.0

/* Seconds of each state in day `day` of `start`, scaled to the floors. */
static void day_floors(const plan_model *m, const plan_sol *start, const double *floors, int day,
                       double *out)
{
    memset(out, 0, (size_t)m->state_count * sizeof *out);
    for (int i = 0; i < start->n; i++) {
        const plan_contact *c = &start->c[i];
        if (c->live && floor(c->start / DAY_S) == day) {
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
                             double *x)
{
    unsigned char *keep = malloc(m->candidate_count + 1);
    double *f = malloc(((size_t)m->state_count + 1) * sizeof *f);
    apsco_status st = keep && f ? APSCO_OK : APSCO_ERR_NOMEM;
    plan_relax *r = NULL;
    if (st == APSCO_OK) {
        for (size_t c = 0; c < m->candidate_count; c++) {
            keep[c] = floor(cl->start[c] / DAY_S) == day;
            if (keep[c])
                x[c] = 0;
        }
        day_floors(m, start, floors, day, f);
        r = plan_relax_new(m, cl, keep, cpu_rate);
        st = r ? APSCO_OK : APSCO_ERR_NOMEM;
    }
    double bound;
    if (st == APSCO_OK)
        st = plan_relax_value(r, f, deadline, &bound, x);
    if (st == APSCO_ERR_LIMIT)
        seed_day(m, start, day, x);
    plan_relax_free(r);
    free(keep);
    free(f);
    return st;
}

apsco_status plan_guided(const plan_model *m, const double *x, const plan_sol *start,
                         const double *floors, double deadline, plan_sol *out)
{
    apsco_status st = plan_round(m, x, floors, start, deadline, out);
    /* Short of a floor: the value search lifts the states below theirs first. */
    if (st == APSCO_OK || st == APSCO_ERR_VALUE)
        st = plan_search_value(m, floors, deadline, out);
    for (int s = 0; st == APSCO_OK && s < m->state_count; s++)
        if (out->granted[s] < floors[s] - 1e-6)
            st = APSCO_ERR_VALUE;
    return st;
}
