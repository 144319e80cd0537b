/*
 * lagrange.c — upper bounds on the LP relaxation by Lagrangian duality, for
 * instances too large for the simplex method within the time limit.
 *
 * The station time lines with one antenna stay as constraints; each is a
 * weighted interval scheduling problem solved exactly by dynamic
 * programming (Kleinberg & Tardos, Algorithm Design, sec. 6.1). The other
 * constraints are priced: satellite cliques and the cliques of stations with
 * several antennas (beta >= 0), binding periods (pi >= 0) and the states'
 * rows (mu >= 0). For any prices
 *   L = sum_stations DP(reduced weights) + sum beta + sum pi cap - sum mu floor
 * is an upper bound (weak duality, Fisher, "The Lagrangian relaxation method
 * for solving integer programming problems", Management Sci. 27, 1981), and
 * since interval scheduling is totally unimodular, min L over the prices is
 * the LP relaxation's optimum (Geoffrion 1974). The prices are improved by
 * projected subgradient steps with Polyak's step length toward the value of
 * the best known schedule (Held, Wolfe & Crowder, Math. Prog. 6, 1974).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cliques.h"
#include "plan/lagrange.h"

struct plan_lag {
    const plan_model *m;
    plan_cliques cl;
    size_t first_priced; /* cliques [first_priced ..) carry a price, see priced[] */
    unsigned char *priced;
    double dbar;      /* mean contact length: the states' rows are divided by it */
    double *beta;     /* per clique */
    double *pi;       /* per period */
    double *mu;       /* per state */
    double *w;        /* reduced weight per candidate */
    unsigned char *x; /* the relaxed problem's solution */
    double *best;     /* DP table */
    double *g_beta, *g_pi, *g_mu;
};

plan_lag *plan_lag_new(const plan_model *m)
{
    plan_lag *L = calloc(1, sizeof *L);
    if (!L)
        return NULL;
    L->m = m;
    if (plan_cliques_build(m, &L->cl) != APSCO_OK) {
        free(L);
        return NULL;
    }
    size_t n = L->cl.n, nc = L->cl.count;
    L->priced = calloc(nc + 1, 1);
    L->beta = calloc(nc + 1, sizeof *L->beta);
    L->g_beta = calloc(nc + 1, sizeof *L->g_beta);
    L->pi = calloc((size_t)m->period_count + 1, sizeof *L->pi);
    L->g_pi = calloc((size_t)m->period_count + 1, sizeof *L->g_pi);
    L->mu = calloc((size_t)m->state_count + 1, sizeof *L->mu);
    L->g_mu = calloc((size_t)m->state_count + 1, sizeof *L->g_mu);
    L->w = malloc((n + 1) * sizeof *L->w);
    L->x = malloc(n + 1);
    L->best = malloc((n + 1) * sizeof *L->best);
    if (!L->priced || !L->beta || !L->g_beta || !L->pi || !L->g_pi || !L->mu || !L->g_mu || !L->w ||
        !L->x || !L->best) {
        plan_lag_free(L);
        return NULL;
    }
    /* Satellite cliques and cliques of multi-antenna stations are priced. */
    for (size_t i = 0; i < nc; i++) {
        int r = L->cl.resource[i];
        L->priced[i] = r >= m->station_count || m->antennas[r] > 1;
    }
    double sum = 0;
    for (size_t c = 0; c < n; c++)
        sum += m->reqs[m->slots[L->cl.slot_of[c]].req].d;
    L->dbar = n ? sum / (double)n : 1;
    return L;
}

void plan_lag_free(plan_lag *L)
{
    if (!L)
        return;
    plan_cliques_free(&L->cl);
    free(L->priced);
    free(L->beta);
    free(L->g_beta);
    free(L->pi);
    free(L->g_pi);
    free(L->mu);
    free(L->g_mu);
    free(L->w);
    free(L->x);
    free(L->best);
    free(L);
}

/* A period's row binds only when it asks for fewer contacts than its slots can hold. */
static int binds(const plan_model *m, int p)
{
    return m->periods[p].cap < m->periods[p].disjoint;
}

/*
 * Reduced weights w_c = sigma value_c + mu_s d_c / dbar - pi_p - sum beta,
 * then the relaxed problem: a DP on every single-antenna station, each
 * candidate on its own elsewhere. Returns the relaxed optimum.
 */
static double relaxed(plan_lag *L, double sigma)
{
    const plan_model *m = L->m;
    const plan_cliques *cl = &L->cl;
    size_t n = cl->n;
    for (size_t c = 0; c < n; c++) {
        const plan_slot *sl = &m->slots[cl->slot_of[c]];
        const plan_req *q = &m->reqs[sl->req];
        L->w[c] = sigma * q->value + L->mu[q->state] * q->d / L->dbar - L->pi[sl->period];
    }
    for (size_t i = 0; i < cl->count; i++)
        if (L->priced[i] && L->beta[i] != 0)
            for (int k = cl->first[i]; k < cl->first[i + 1]; k++)
                L->w[cl->members[k]] -= L->beta[i];
    double total = 0;
    memset(L->x, 0, n);
    for (int j = 0; j < m->station_count; j++) {
        int lo = cl->station_first[j], hi = cl->station_first[j + 1];
        if (m->antennas[j] > 1) {
            for (int i = lo; i < hi; i++)
                if (L->w[cl->order[i]] > 0) {
                    L->x[cl->order[i]] = 1;
                    total += L->w[cl->order[i]];
                }
            continue;
        }
        for (int i = lo; i < hi; i++) {
            double skip = i > lo ? L->best[i - 1] : 0;
            double take = L->w[cl->order[i]] + (cl->pred[i] >= lo ? L->best[cl->pred[i]] : 0);
            L->best[i] = take > skip ? take : skip;
        }
        if (hi > lo)
            total += L->best[hi - 1];
        for (int i = hi - 1; i >= lo;) {
            double skip = i > lo ? L->best[i - 1] : 0;
            if (L->best[i] > skip) {
                L->x[cl->order[i]] = 1;
                i = cl->pred[i];
            } else {
                i--;
            }
        }
    }
    return total;
}

/* Subgradients of the priced rows at the relaxed solution; returns the squared norm. */
static double clique_and_period_gradients(plan_lag *L)
{
    const plan_model *m = L->m;
    const plan_cliques *cl = &L->cl;
    double norm = 0;
    for (size_t i = 0; i < cl->count; i++) {
        if (!L->priced[i])
            continue;
        int used = 0;
        for (int k = cl->first[i]; k < cl->first[i + 1]; k++)
            used += L->x[cl->members[k]];
        int r = cl->resource[i];
        int cap = r < m->station_count ? m->antennas[r] : 1;
        L->g_beta[i] = cap - used;
        if (!(L->beta[i] == 0 && L->g_beta[i] > 0))
            norm += L->g_beta[i] * L->g_beta[i];
    }
    for (int p = 0; p < m->period_count; p++)
        L->g_pi[p] = binds(m, p) ? m->periods[p].cap : 0;
    for (size_t c = 0; c < cl->n; c++)
        if (L->x[c])
            L->g_pi[m->slots[cl->slot_of[c]].period] -= 1;
    for (int p = 0; p < m->period_count; p++) {
        if (!binds(m, p))
            continue;
        if (!(L->pi[p] == 0 && L->g_pi[p] > 0))
            norm += L->g_pi[p] * L->g_pi[p];
    }
    return norm;
}

/* Seconds (divided by dbar) the relaxed solution gives each state, into g_mu. */
static void state_seconds(plan_lag *L)
{
    const plan_model *m = L->m;
    memset(L->g_mu, 0, (size_t)m->state_count * sizeof *L->g_mu);
    for (size_t c = 0; c < L->cl.n; c++)
        if (L->x[c]) {
            const plan_req *q = &m->reqs[m->slots[L->cl.slot_of[c]].req];
            L->g_mu[q->state] += q->d / L->dbar;
        }
}

static void step(plan_lag *L, double t)
{
    const plan_model *m = L->m;
    for (size_t i = 0; i < L->cl.count; i++)
        if (L->priced[i])
            L->beta[i] = fmax(0, L->beta[i] - t * L->g_beta[i]);
    for (int p = 0; p < m->period_count; p++)
        if (binds(m, p))
            L->pi[p] = fmax(0, L->pi[p] - t * L->g_pi[p]);
    for (int s = 0; s < m->state_count; s++)
        L->mu[s] = fmax(0, L->mu[s] - t * L->g_mu[s]);
}

static double price_constants(const plan_lag *L)
{
    const plan_model *m = L->m;
    double k = 0;
    for (size_t i = 0; i < L->cl.count; i++)
        if (L->priced[i] && L->beta[i] != 0) {
            int r = L->cl.resource[i];
            k += L->beta[i] * (r < m->station_count ? m->antennas[r] : 1);
        }
    for (int p = 0; p < m->period_count; p++)
        if (binds(m, p))
            k += L->pi[p] * m->periods[p].cap;
    return k;
}

/* Halves the step factor after `patience` iterations without a better bound. */
typedef struct schedule_state {
    double theta;
    int since_best;
    int patience;
} schedule_state;

static void adapt(schedule_state *s, int improved)
{
    if (improved) {
        s->since_best = 0;
        return;
    }
    if (++s->since_best >= s->patience) {
        s->theta /= 2;
        s->since_best = 0;
    }
}

apsco_status plan_lag_value(plan_lag *L, const double *floors, double lower, double deadline,
                            const int *stop, int warm, double *bound)
{
    const plan_model *m = L->m;
    if (!warm) {
        memset(L->mu, 0, (size_t)m->state_count * sizeof *L->mu);
        memset(L->beta, 0, L->cl.count * sizeof *L->beta);
        memset(L->pi, 0, (size_t)m->period_count * sizeof *L->pi);
    }
    double best = INFINITY;
    schedule_state sched = {warm ? 0.5 : 2.0, 0, 100};
    /* An iteration is not started unless it can end before the deadline, except the first:
       any prices give a bound, so that one is always there to report. */
    double last_s = 0;
    int first = 1;
    for (double now = plan_clock(); first || (now + last_s < deadline && sched.theta > 1e-6 &&
                                              !(stop && __atomic_load_n(stop, __ATOMIC_ACQUIRE)));
         first = 0) {
        double value = relaxed(L, 1.0) + price_constants(L);
        state_seconds(L);
        double norm = clique_and_period_gradients(L);
        for (int s = 0; s < m->state_count; s++) {
            value -= L->mu[s] * floors[s] / L->dbar;
            L->g_mu[s] -= floors[s] / L->dbar;
            if (!(L->mu[s] == 0 && L->g_mu[s] > 0))
                norm += L->g_mu[s] * L->g_mu[s];
        }
        int improved = value < best;
        if (improved)
            best = value;
        adapt(&sched, improved);
        double target = fmax(lower, 0);
        if (norm == 0 || best - target <= 1e-4 * fmax(best, 1))
            break;
        step(L, sched.theta * (value - target) / norm);
        double then = plan_clock();
        last_s = then - now;
        now = then;
    }
    if (!isfinite(best))
        return APSCO_ERR_LIMIT;
    *bound = best;
    return APSCO_OK;
}
