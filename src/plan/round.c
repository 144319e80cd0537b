/*
 * round.c — a schedule from the LP relaxation of the value stage: LP
 * rounding, the start of the value search when the LP is at hand.
 *
 * The relaxation of a week of the members' network is mostly integral
 * (4 600 candidates at 1 and 1 800 fractional out of 72 000): the contacts
 * at 1 form most of an optimal schedule and the fractional ones say where
 * the rest lies. Rounding takes them in order of their LP value, each when
 * it still fits (the order that keeps what the LP is surest of; Raghavan &
 * Thompson, "Randomized rounding", Combinatorica 7, 1987, round at random,
 * which the local search after it makes unnecessary here). The schedule
 * must keep every state's fair floor exactly, which the fractional part of
 * the LP only meets on average: a state left short takes its own
 * candidates, where they fit or by pushing out contacts of states above
 * their floors (an ejection chain of one link: a state pushed below its
 * floor may take room elsewhere); a period still short keeps the contacts
 * of a schedule known to meet the floors (the seed) and the rounding starts
 * again around them. The room that remains goes to the most valuable
 * candidates.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/internal.h"

typedef struct ranked {
    double key, tie;
    int slot;
    double start;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key != y->key)
        return (x->key < y->key) - (x->key > y->key);
    if (x->tie != y->tie)
        return (x->tie < y->tie) - (x->tie > y->tie);
    if (x->slot != y->slot)
        return x->slot - y->slot;
    return (x->start > y->start) - (x->start < y->start);
}

/* Takes the ranked candidates in order when they fit (and, with `state` >= 0, are its own). */
static apsco_status take(const plan_model *m, const ranked *r, size_t n, int state,
                         const double *floors, plan_sol *sol)
{
    for (size_t i = 0; i < n; i++) {
        int s = m->reqs[m->slots[r[i].slot].req].state;
        if (state >= 0 && (s != state || sol->granted[s] >= floors[s] - 1e-6))
            continue;
        if (plan_sol_fits(sol, r[i].slot, r[i].start) &&
            plan_sol_add(sol, r[i].slot, r[i].start) < 0)
            return APSCO_ERR_NOMEM;
    }
    return APSCO_OK;
}

/*
 * Every candidate ranked: by LP value (contacts at 1 before fractional ones,
 * a margin of 1e-6 against the simplex method's round-off), then by value
 * per second; with `lp` 0 by value per second alone.
 */
static ranked *rank(const plan_model *m, const double *x, int lp)
{
    ranked *r = malloc((m->candidate_count + 1) * sizeof *r);
    if (!r)
        return NULL;
    size_t c = 0;
    for (size_t s = 0; s < m->slot_count; s++) {
        const plan_slot *sl = &m->slots[s];
        double per_s = m->reqs[sl->req].priority;
        for (int k = 0; k < sl->n; k++, c++) {
            double v = fmin(1, fmax(0, x[c]));
            v = v > 1 - 1e-6 ? 1 : v;
            r[c] = (ranked){lp ? v : per_s, lp ? per_s : v, (int)s, slot_start(sl, k)};
        }
    }
    plan_sort(r, c, sizeof *r, cmp_ranked);
    return r;
}

/* The ranked candidates grouped by state, in rank order within each: r[first[s] .. first[s + 1]).
 */
typedef struct groups {
    ranked *r;
    size_t *first;
} groups;

static int group(const plan_model *m, const ranked *r, size_t n, groups *g)
{
    g->r = malloc((n + 1) * sizeof *g->r);
    g->first = calloc((size_t)m->state_count + 2, sizeof *g->first);
    size_t *fill = calloc((size_t)m->state_count + 1, sizeof *fill);
    int ok = g->r && g->first && fill;
    for (size_t i = 0; ok && i < n; i++)
        g->first[m->reqs[m->slots[r[i].slot].req].state + 1]++;
    for (int s = 0; ok && s < m->state_count; s++)
        g->first[s + 1] += g->first[s];
    for (size_t i = 0; ok && i < n; i++) {
        int s = m->reqs[m->slots[r[i].slot].req].state;
        g->r[g->first[s] + fill[s]++] = r[i];
    }
    free(fill);
    return ok;
}

#define EJECT_MAX 8 /* contacts one candidate may push out */

/* The contacts in the way of a candidate on its satellite and station; -1 when too many. */
static int in_the_way(const plan_sol *sol, const ranked *c, int *ids)
{
    const plan_model *m = sol->m;
    const plan_slot *sl = &m->slots[c->slot];
    const plan_req *q = &m->reqs[sl->req];
    const timeline *sat = &sol->sat_tl[q->sat], *st = &sol->station_tl[m->segs[sl->seg].station];
    double end = c->start + q->d;
    int n = 0;
    if (!timeline_fits(sat, c->start, end) &&
        (n = timeline_overlapping(sat, c->start, end, ids, EJECT_MAX)) > EJECT_MAX)
        return -1;
    int more[EJECT_MAX];
    int k = timeline_fits(st, c->start, end + m->setup_s)
                ? 0
                : timeline_overlapping(st, c->start, end + m->setup_s, more, EJECT_MAX);
    for (int i = 0; i < k && i < EJECT_MAX; i++) {
        int seen = 0;
        for (int j = 0; j < n; j++)
            seen |= ids[j] == more[i];
        if (!seen && n == EJECT_MAX)
            return -1;
        if (!seen)
            ids[n++] = more[i];
    }
    return k > EJECT_MAX ? -1 : n;
}

/*
 * What taking candidate `c` for `state` by pushing out `ids` costs in value,
 * or INFINITY when it would not raise the state (it may give up shorter
 * contacts of its own for a longer one). *hurts says whether another state
 * would fall below its floor. `loss` is scratch, one per state, zero.
 */
static double eject_cost(const plan_sol *sol, const ranked *c, const int *ids, int n, int state,
                         const double *floors, double *loss, int *hurts)
{
    const plan_model *m = sol->m;
    const plan_req *own = &m->reqs[m->slots[c->slot].req];
    double cost = -own->value;
    *hurts = 0;
    for (int i = 0; i < n; i++) {
        const plan_req *q = &m->reqs[m->slots[sol->c[ids[i]].slot].req];
        loss[q->state] += q->d;
        cost += q->value;
    }
    int gains = loss[state] < own->d - 1e-6;
    for (int i = 0; i < n; i++) {
        int u = m->reqs[m->slots[sol->c[ids[i]].slot].req].state;
        *hurts |= u != state && sol->granted[u] - loss[u] < floors[u] - 1e-6;
        loss[u] = 0;
    }
    return gains ? cost : INFINITY;
}

/* Contacts added by a tentative move, to take back. */
typedef struct added_log {
    int *id;
    size_t n, cap;
} added_log;

static int log_add(added_log *log, plan_sol *sol, int slot, double start)
{
    int id = plan_sol_add(sol, slot, start);
    if (id < 0 || !plan_grow((void **)&log->id, &log->cap, log->n + 1, sizeof *log->id))
        return 0;
    log->id[log->n++] = id;
    return 1;
}

/* Every state but `state` at or above its floor, or no lower than it was (`was`). */
static int others_hold(const plan_sol *sol, const double *floors, const double *was, int state)
{
    for (int u = 0; u < sol->m->state_count; u++)
        if (u != state && sol->granted[u] < fmin(floors[u], was[u]) - 1e-6)
            return 0;
    return 1;
}

/*
 * Tries candidate r[i] for `state`: pushes out what is in its way, grants
 * it, and lets every state this took below its floor take other candidates
 * of its own where they fit (an ejection chain of one link). Kept when
 * every other state holds its floor and `state` gained; otherwise undone.
 * Returns 1 when kept, 0 when undone, -1 when out of memory.
 */
static int try_eject(const plan_model *m, const groups *g, size_t i, int state,
                     const double *floors, double *was, added_log *log, plan_sol *sol)
{
    const ranked *r = g->r;
    memcpy(was, sol->granted, (size_t)m->state_count * sizeof *was);
    int ids[EJECT_MAX];
    int k = in_the_way(sol, &r[i], ids);
    if (k < 0)
        return 0;
    ranked saved[EJECT_MAX];
    for (int j = 0; j < k; j++) {
        saved[j] = (ranked){0, 0, sol->c[ids[j]].slot, sol->c[ids[j]].start};
        plan_sol_remove(sol, ids[j]);
    }
    log->n = 0;
    int ok = plan_sol_fits(sol, r[i].slot, r[i].start);
    if (ok && !log_add(log, sol, r[i].slot, r[i].start))
        return -1;
    for (int u = 0; ok && u < m->state_count; u++) {
        if (u == state || sol->granted[u] >= floors[u] - 1e-6)
            continue;
        for (size_t j = g->first[u]; j < g->first[u + 1] && sol->granted[u] < floors[u] - 1e-6; j++)
            if (plan_sol_fits(sol, r[j].slot, r[j].start) &&
                !log_add(log, sol, r[j].slot, r[j].start))
                return -1;
    }
    if (ok && others_hold(sol, floors, was, state) && sol->granted[state] > was[state] + 1e-6)
        return 1;
    for (size_t j = 0; j < log->n; j++)
        plan_sol_remove(sol, log->id[j]);
    for (int j = 0; j < k; j++)
        if (plan_sol_add(sol, saved[j].slot, saved[j].start) < 0)
            return -1;
    return 0;
}

typedef struct option {
    int hurts;
    double cost;
    size_t i;
} option;

static int cmp_option(const void *a, const void *b)
{
    const option *x = a, *y = b;
    if (x->hurts != y->hurts)
        return x->hurts - y->hurts;
    if (x->cost != y->cost)
        return (x->cost > y->cost) - (x->cost < y->cost);
    return (x->i > y->i) - (x->i < y->i);
}

#define EJECT_TRIES 64 /* options tried, cheapest first, for each contact a state needs */

/*
 * Raises `state` to its floor by taking its candidates at the expense of
 * others: each time the cheapest option in value that works, those that
 * take nobody below a floor first. Returns 1 when the floor is met, 0 when
 * no option works, -1 when out of memory.
 */
static int eject_for(const plan_model *m, const groups *g, int state, const double *floors,
                     double *loss, plan_sol *sol)
{
    const ranked *r = g->r;
    size_t n = g->first[state + 1] - g->first[state];
    option *opt = malloc((n + 1) * sizeof *opt);
    double *was = malloc(((size_t)m->state_count + 1) * sizeof *was);
    added_log log = {0};
    int result = opt && was ? 1 : -1;
    while (result == 1 && sol->granted[state] < floors[state] - 1e-6) {
        size_t nopt = 0;
        for (size_t i = g->first[state]; i < g->first[state + 1]; i++) {
            const plan_slot *sl = &m->slots[r[i].slot];
            int ids[EJECT_MAX], hurts;
            if (sol->used[sl->period] >= m->periods[sl->period].cap)
                continue;
            int k = in_the_way(sol, &r[i], ids);
            double cost =
                k < 0 ? INFINITY : eject_cost(sol, &r[i], ids, k, state, floors, loss, &hurts);
            if (isfinite(cost))
                opt[nopt++] = (option){hurts, cost, i};
        }
        plan_sort(opt, nopt, sizeof *opt, cmp_option);
        result = 0;
        for (size_t j = 0; j < nopt && j < EJECT_TRIES && result == 0; j++)
            result = try_eject(m, g, opt[j].i, state, floors, was, &log, sol);
    }
    free(opt);
    free(was);
    free(log.id);
    return result;
}

/* Number of ranked candidates with a positive LP value. */
static size_t positive(const ranked *r, size_t n)
{
    size_t k = 0;
    while (k < n && r[k].key > 1e-6)
        k++;
    return k;
}

/* States below their floor: marked in `mark`; returns how many. */
static int short_states(const plan_sol *sol, const double *floors, int *mark)
{
    int n = 0;
    for (int s = 0; s < sol->m->state_count; s++)
        if (sol->granted[s] < floors[s] - 1e-6) {
            mark[s] = 1;
            n++;
        }
    return n;
}

/*
 * One rounding: the contacts of `seed` whose period is marked in `keep`
 * first, then the LP's candidates, then the states below their floor take
 * their own (by ejection if need be).
 */
static apsco_status round_once(const plan_model *m, const ranked *by_lp, const groups *g,
                               const double *floors, const plan_sol *seed, const int *keep,
                               double *loss, plan_sol *sol)
{
    size_t n = m->candidate_count;
    plan_sol_clear(sol);
    for (int i = 0; seed && i < seed->n; i++) {
        const plan_contact *c = &seed->c[i];
        if (c->live && keep[m->slots[c->slot].period] && plan_sol_fits(sol, c->slot, c->start) &&
            plan_sol_add(sol, c->slot, c->start) < 0)
            return APSCO_ERR_NOMEM;
    }
    apsco_status st = take(m, by_lp, positive(by_lp, n), -1, floors, sol);
    for (int s = 0; st == APSCO_OK && s < m->state_count; s++)
        if (sol->granted[s] < floors[s] - 1e-6)
            st = take(m, g->r + g->first[s], g->first[s + 1] - g->first[s], s, floors, sol);
    for (int s = 0; st == APSCO_OK && s < m->state_count; s++)
        if (eject_for(m, g, s, floors, loss, sol) < 0)
            st = APSCO_ERR_NOMEM;
    return st;
}

/* Seconds of each request's period in `sol`. */
static void period_seconds(const plan_sol *sol, double *out)
{
    const plan_model *m = sol->m;
    memset(out, 0, (size_t)m->period_count * sizeof *out);
    for (int i = 0; i < sol->n; i++)
        if (sol->c[i].live)
            out[m->slots[sol->c[i].slot].period] += m->reqs[m->slots[sol->c[i].slot].req].d;
}

/*
 * Marks, for the next round, the periods of the states in `left` that
 * rounding served less than the seed does; when there are none left to
 * mark, every period of those states. Returns 0 when nothing new was
 * marked.
 */
static int keep_more(const plan_sol *sol, const plan_sol *seed, const int *left, double *a,
                     double *b, int *keep)
{
    const plan_model *m = sol->m;
    period_seconds(sol, a);
    period_seconds(seed, b);
    int grew = 0;
    for (int p = 0; p < m->period_count; p++)
        if (left[m->reqs[m->periods[p].req].state] && !keep[p] && a[p] < b[p] - 1e-6)
            grew = keep[p] = 1;
    if (grew)
        return 1;
    for (int p = 0; p < m->period_count; p++)
        if (left[m->reqs[m->periods[p].req].state] && !keep[p])
            grew = keep[p] = 1;
    return grew;
}

apsco_status plan_round(const plan_model *m, const double *x, const double *floors,
                        const plan_sol *seed, double deadline, plan_sol *sol)
{
    ranked *by_lp = rank(m, x, 1), *by_value = rank(m, x, 0);
    size_t nq = (size_t)m->period_count + 1, ns = (size_t)m->state_count + 1;
    double *loss = calloc(ns, sizeof *loss), *a = malloc(nq * sizeof *a),
           *b = malloc(nq * sizeof *b);
    int *keep = calloc(nq, sizeof *keep), *left = calloc(ns, sizeof *left);
    groups g = {0};
    apsco_status st = by_lp && by_value && loss && a && b && keep && left &&
                              group(m, by_lp, m->candidate_count, &g)
                          ? APSCO_OK
                          : APSCO_ERR_NOMEM;
    /*
     * A period of a request of a state that rounding leaves below its floor
     * keeps the seed's contacts (a schedule that meets every floor) in the
     * next round when rounding served it less than the seed; the others are
     * placed around them.
     */
    for (int round = 0; st == APSCO_OK && round <= m->period_count; round++) {
        st = round_once(m, by_lp, &g, floors, seed, keep, loss, sol);
        memset(left, 0, (size_t)m->state_count * sizeof *left);
        if (st != APSCO_OK || !seed || short_states(sol, floors, left) == 0 ||
            plan_clock() > deadline || !keep_more(sol, seed, left, a, b, keep))
            break;
    }
    if (st == APSCO_OK)
        st = take(m, by_value, m->candidate_count, -1, floors, sol);
    if (st == APSCO_OK && short_states(sol, floors, left) > 0)
        st = APSCO_ERR_VALUE;
    free(by_lp);
    free(by_value);
    free(g.r);
    free(g.first);
    free(loss);
    free(a);
    free(b);
    free(keep);
    free(left);
    return st;
}
