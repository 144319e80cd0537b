/*
 * search.c — local search on a schedule: large neighbourhood search (Shaw,
 * "Using constraint programming and local search methods to solve vehicle
 * routing problems", CP 1998) whose neighbourhoods are solved exactly.
 *
 * A move empties one time line over a stretch of hours — an antenna pool,
 * or a satellite — and refills it with the best set of candidate contacts
 * for that line alone: weighted interval scheduling by dynamic programming
 * (Kleinberg & Tardos, Algorithm Design, sec. 6.1), everything else held
 * fixed. Weights are the contacts' values, plus a bonus per second for the
 * states at the lowest fairness level. A move is kept when the schedule is
 * no worse lexicographically (level first, then value), so that equal
 * moves let the search drift across plateaus.
 *
 * Moves are drawn from a seeded generator and the search stops after a
 * number of moves without improvement, so that the same input gives the
 * same schedule; the deadline is only a guard.
 *
 * The value phase from an LP rounding (guided.c) has the LP's solution to
 * go by: its ejection passes take only the candidates the LP gives a
 * positive value (6 300 of 72 000 on a week of the members' network: a
 * pass in 0.02 s instead of 0.5 s, for as much gain), the search returns
 * to them after fewer gains or idle moves, and bands, which almost never
 * raise the value there (2 gains in 4 600 tries), are fewer of the moves.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/synth.h"
#include "plan/internal.h"

#define WINDOW_MIN_S     3600.0
#define WINDOW_MAX_S     14400.0
#define COMPENSATE_S     10800.0 /* compensation looks this far around a move */
#define COMPENSATE_TRIES 256     /* and at this many candidates at most */
#define BAND_MIN_S       1200.0
#define BAND_MAX_S       5400.0
/*
 * The rhythm of a search: the share of window moves that refill a band,
 * the gains after which it goes back to an ejection pass, and the window
 * moves in a row without gain (per time line, or in all) that end a round.
 */
#define BAND_SHARE        0.3
#define GAIN_BATCH        64
#define PATIENCE_PER_LINE 200
#define GUIDED_BAND_SHARE 0.05
#define GUIDED_GAIN_BATCH 16
#define GUIDED_PATIENCE   2000

typedef struct cand {
    double a, b; /* occupancy on the line being refilled */
    double w;
    double start;
    int slot;
    int pred;
    int chosen;
} cand;

/* Slots of each time line sorted by their first start. */
typedef struct line_index {
    int *first; /* line i: slots[first[i] .. first[i + 1]) */
    int *slots;
    double *maxspan; /* longest hi - lo per line */
} line_index;

typedef struct search {
    const plan_model *m;
    plan_sol *sol;
    line_index by_station, by_sat;
    cand *c;
    int nc, cap;
    int *removed_slot;
    double *removed_start;
    int nremoved, removed_cap;
    int *added;
    int nadded, added_cap;
    int *ids;
    int ids_cap;
    double *bonus;          /* per state, value per second */
    double *floors;         /* value phase: seconds every state keeps */
    double *before, *after; /* sorted levels around a move */
    int fair;               /* 1: fairness phase (leximin), 0: value phase */
    double deficit0;        /* value phase: seconds below the floors before the move */
    int *period_first; /* slots of period p: period_slots[period_first[p] .. period_first[p + 1]) */
    int *period_slots;
    cand *order; /* every candidate, for the ejection passes */
    int norder;
    cand *support; /* guided value phase: the candidates of its ejection passes */
    int nsupport;
    double band_share; /* of the window moves */
    int gain_batch, patience;
    int *state_first; /* candidates of state s: by_state[state_first[s] .. state_first[s + 1]) */
    cand *by_state;
    double *target;      /* per state: seconds a move must leave it (floor, or level before) */
    double t1, t2;       /* the time span the current move changed */
    timeline antenna;    /* one antenna of a multi-antenna station, for its line moves */
    const timeline *own; /* the line a move refills, when not the whole station or satellite */
    int *stamp;          /* per contact id: the move that added it */
    int stamp_cap;
    int move_no;
    uint64_t rng;
} search;

typedef struct keyed {
    double lo;
    int slot;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->lo != y->lo)
        return (x->lo > y->lo) - (x->lo < y->lo);
    return x->slot - y->slot;
}

/* Builds the index of the slots of every station (by_station) or satellite. */
static int build_index(const plan_model *m, line_index *ix, int lines, int by_station)
{
    ix->first = calloc((size_t)lines + 2, sizeof *ix->first);
    ix->slots = malloc((m->slot_count + 1) * sizeof *ix->slots);
    ix->maxspan = calloc((size_t)lines + 1, sizeof *ix->maxspan);
    int *fill = calloc((size_t)lines + 1, sizeof *fill);
    keyed *k = malloc((m->slot_count + 1) * sizeof *k);
    if (!ix->first || !ix->slots || !ix->maxspan || !fill || !k) {
        free(fill);
        free(k);
        return 0;
    }
    for (size_t i = 0; i < m->slot_count; i++) {
        int line = by_station ? m->segs[m->slots[i].seg].station : m->reqs[m->slots[i].req].sat;
        ix->first[line + 1]++;
        ix->maxspan[line] = fmax(ix->maxspan[line], m->slots[i].hi - m->slots[i].lo);
    }
    for (int l = 0; l < lines; l++)
        ix->first[l + 1] += ix->first[l];
    for (size_t i = 0; i < m->slot_count; i++) {
        int line = by_station ? m->segs[m->slots[i].seg].station : m->reqs[m->slots[i].req].sat;
        k[ix->first[line] + fill[line]++] = (keyed){m->slots[i].lo, (int)i};
    }
    for (int l = 0; l < lines; l++)
        plan_sort(k + ix->first[l], (size_t)(ix->first[l + 1] - ix->first[l]), sizeof *k,
                  cmp_keyed);
    for (size_t i = 0; i < m->slot_count; i++)
        ix->slots[i] = k[i].slot;
    free(fill);
    free(k);
    return 1;
}

static void free_index(line_index *ix)
{
    free(ix->first);
    free(ix->slots);
    free(ix->maxspan);
}

static int grow(void **p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return 1;
    int c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, (size_t)c * size);
    if (!q)
        return 0;
    *p = q;
    *cap = c;
    return 1;
}

/* Levels of the states, sorted ascending; states that can use nothing count as infinite. */
static void sorted_levels(const search *S, double *out)
{
    const plan_model *m = S->m;
    for (int s = 0; s < m->state_count; s++) {
        const plan_state *st = &m->states[s];
        out[s] = st->usable > 0 ? S->sol->granted[s] / st->eps : INFINITY;
    }
    for (int i = 1; i < m->state_count; i++)
        for (int j = i; j > 0 && out[j] < out[j - 1]; j--) {
            double t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
}

/*
 * -1, 0 or 1 as the sorted level vector a is leximin-worse, equal or better
 * than b (relative tolerance 1e-9).
 */
static int leximin_compare(const double *a, const double *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (a[i] == b[i])
            continue;
        double tol = 1e-9 * fmax(fabs(b[i]), 1);
        if (isinf(a[i]) || a[i] > b[i] + tol)
            return 1;
        if (isinf(b[i]) || a[i] < b[i] - tol)
            return -1;
    }
    return 0;
}

/*
 * Weights per second for each state. Fairness phase: steeply favour the
 * states furthest below (weight falls with the fourth power of the level
 * ratio), so that the refilled line serves the lowest first. Value phase:
 * states close to their floor keep their contacts whatever their priority.
 */
static void set_bonus(search *S)
{
    const plan_model *m = S->m;
    const plan_sol *sol = S->sol;
    double low = INFINITY;
    for (int s = 0; s < m->state_count; s++) {
        const plan_state *st = &m->states[s];
        if (st->usable > 0 && sol->granted[s] < st->usable - 1e-6)
            low = fmin(low, sol->granted[s] / st->eps);
    }
    for (int s = 0; s < m->state_count; s++) {
        const plan_state *st = &m->states[s];
        int open = st->usable > 0 && sol->granted[s] < st->usable - 1e-6;
        if (S->fair) {
            double level = sol->granted[s] / st->eps;
            double ratio = open && level > 0 ? fmin(1, low / level) : open;
            S->bonus[s] = 10.0 * ratio * ratio * ratio * ratio;
        } else {
            S->bonus[s] = sol->granted[s] < S->floors[s] - 1e-6           ? 1000.0
                          : sol->granted[s] < S->floors[s] + 2 * m->max_d ? 10.0
                                                                          : 0.0;
        }
    }
}

/* Weight of a contact of request q in the current phase. */
static double weight_of(const search *S, const plan_req *q)
{
    return (S->fair ? 1e-3 * q->value : q->value) + S->bonus[q->state] * q->d;
}

/*
 * What granting a candidate would bump on the other line (its satellite for
 * a station move, its antenna for a satellite move): the total weight of the
 * contacts in the way, or -1 when they cannot be bumped (a station with
 * several antennas, or too many contacts).
 */
static double bump_cost(search *S, const plan_slot *sl, double t, int on_station)
{
    const plan_model *m = S->m;
    const plan_req *q = &m->reqs[sl->req];
    int station = m->segs[sl->seg].station;
    const timeline *other = on_station ? &S->sol->sat_tl[q->sat] : &S->sol->station_tl[station];
    double end = t + q->d + (on_station ? 0 : m->setup_s);
    if (!on_station && m->antennas[station] > 1)
        return timeline_fits(other, t, end) ? 0 : -1;
    int ids[4];
    int n = timeline_overlapping(other, t, end, ids, 4);
    if (n > 4)
        return -1;
    double cost = 0;
    for (int i = 0; i < n; i++)
        cost += weight_of(S, &m->reqs[m->slots[S->sol->c[ids[i]].slot].req]);
    return cost;
}

/*
 * Adds the candidates of slot `s` starting in [t1, t2) that fit the line
 * being refilled. With `bump`, a candidate may push contacts off its other
 * line; its weight is then net of what it bumps.
 */
static int collect(search *S, int s, double t1, double t2, int on_station, int bump)
{
    const plan_model *m = S->m;
    const plan_slot *sl = &m->slots[s];
    const plan_req *q = &m->reqs[sl->req];
    if (S->sol->used[sl->period] >= m->periods[sl->period].cap)
        return 1;
    const timeline *own = S->own       ? S->own
                          : on_station ? &S->sol->station_tl[m->segs[sl->seg].station]
                                       : &S->sol->sat_tl[q->sat];
    double len = q->d + (on_station ? m->setup_s : 0);
    int k0 = sl->n > 1 && t1 > sl->lo ? (int)ceil((t1 - sl->lo) / sl->step) : 0;
    if (k0 > sl->n - 1)
        k0 = sl->n - 1;
    for (int k = k0; k < sl->n; k++) {
        double t = slot_start(sl, k);
        if (t >= t2)
            break;
        if (t < t1 || !timeline_fits(own, t, t + len))
            continue;
        double cost =
            bump ? bump_cost(S, sl, t, on_station) : (plan_sol_fits(S->sol, s, t) ? 0 : -1);
        double w = weight_of(S, q) - cost;
        if (cost < 0 || w <= 0)
            continue;
        if (!grow((void **)&S->c, &S->cap, S->nc + 1, sizeof *S->c))
            return 0;
        S->c[S->nc++] = (cand){t, t + len, w, t, s, -1, 0};
    }
    return 1;
}

static int cmp_cand_end(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->b != y->b)
        return (x->b > y->b) - (x->b < y->b);
    return (x->w < y->w) - (x->w > y->w);
}

static int cmp_cand_weight(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->w != y->w)
        return (x->w < y->w) - (x->w > y->w);
    return (x->a > y->a) - (x->a < y->a);
}

/* Weighted interval scheduling on the candidates: marks the best compatible set. */
static void choose(search *S, double *best)
{
    cand *c = S->c;
    int n = S->nc;
    plan_sort(c, (size_t)n, sizeof *c, cmp_cand_end);
    for (int i = 0; i < n; i++) {
        int lo = 0, hi = i;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (c[mid].b <= c[i].a)
                lo = mid + 1;
            else
                hi = mid;
        }
        c[i].pred = lo - 1;
        double take = c[i].w + (c[i].pred >= 0 ? best[c[i].pred] : 0);
        double skip = i ? best[i - 1] : 0;
        best[i] = take > skip ? take : skip;
    }
    for (int i = n - 1; i >= 0;) {
        double skip = i ? best[i - 1] : 0;
        if (best[i] > skip) {
            c[i].chosen = 1;
            i = c[i].pred;
        } else {
            i--;
        }
    }
}

static int record_added(search *S, int id)
{
    if (id < 0 || !grow((void **)&S->added, &S->added_cap, S->nadded + 1, sizeof *S->added))
        return 0;
    int old_cap = S->stamp_cap;
    if (!grow((void **)&S->stamp, &S->stamp_cap, id + 1, sizeof *S->stamp))
        return 0;
    if (S->stamp_cap > old_cap)
        memset(S->stamp + old_cap, 0, (size_t)(S->stamp_cap - old_cap) * sizeof *S->stamp);
    S->added[S->nadded++] = id;
    S->stamp[id] = S->move_no;
    return 1;
}

/* Non-zero when contact `id` was added by the current move (and must not be bumped by it). */
static int added_now(const search *S, int id)
{
    return id < S->stamp_cap && S->stamp[id] == S->move_no;
}

/*
 * Removes the contacts overlapping [a, b) on a line, adding them to the
 * removed list; leaves everything when one of them was added by this move.
 */
static int bump(search *S, const timeline *tl, double a, double b)
{
    int ids[8];
    int n = timeline_overlapping(tl, a, b, ids, 8);
    if (n > 8)
        return 1;
    for (int i = 0; i < n; i++)
        if (added_now(S, ids[i]))
            return 1;
    if (!grow((void **)&S->removed_slot, &S->removed_cap, S->nremoved + n + 1,
              sizeof *S->removed_slot))
        return 0;
    double *rs = realloc(S->removed_start, (size_t)S->removed_cap * sizeof *rs);
    if (!rs)
        return 0;
    S->removed_start = rs;
    for (int i = 0; i < n; i++) {
        plan_contact *c = &S->sol->c[ids[i]];
        S->removed_slot[S->nremoved] = c->slot;
        S->removed_start[S->nremoved++] = c->start;
        plan_sol_remove(S->sol, ids[i]);
    }
    return 1;
}

static int reinsert(search *S, int p);

/*
 * Inserts the chosen candidates, best first (bumping what is in their way on
 * the other line when `on_other` says which), then anything else that still
 * fits, then tries to put every removed contact back somewhere in its period.
 */
static int refill(search *S, double *best, int exact, int on_other)
{
    const plan_model *m = S->m;
    if (exact)
        choose(S, best);
    plan_sort(S->c, (size_t)S->nc, sizeof *S->c, cmp_cand_weight);
    for (int pass = exact ? 0 : 1; pass < 2; pass++)
        for (int i = 0; i < S->nc; i++) {
            cand *c = &S->c[i];
            if ((pass == 0 && !c->chosen) || (pass == 1 && c->chosen == 2))
                continue;
            if (pass == 0 && on_other >= 0) {
                const plan_slot *sl = &m->slots[c->slot];
                const plan_req *q = &m->reqs[sl->req];
                int ok = on_other == 1 ? bump(S, &S->sol->sat_tl[q->sat], c->start, c->start + q->d)
                                       : bump(S, &S->sol->station_tl[m->segs[sl->seg].station],
                                              c->start, c->start + q->d + m->setup_s);
                if (!ok)
                    return 0;
            }
            if (!plan_sol_fits(S->sol, c->slot, c->start))
                continue;
            if (!record_added(S, plan_sol_add(S->sol, c->slot, c->start)))
                return 0;
            c->chosen = 2;
        }
    for (int i = 0; on_other >= 0 && i < S->nremoved; i++)
        if (reinsert(S, m->slots[S->removed_slot[i]].period) < 0)
            return 0;
    return 1;
}

/* Removes the contacts of a line that start in [t1, t2), adding them to the removed list. */
static int empty_line(search *S, const timeline *tl, double t1, double t2)
{
    int n = 0, lo = 0, hi = tl->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (tl->v[mid].a < t1)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < tl->n && tl->v[i].a < t2; i++) {
        if (!grow((void **)&S->ids, &S->ids_cap, n + 1, sizeof *S->ids))
            return 0;
        S->ids[n++] = tl->v[i].id;
    }
    if (!grow((void **)&S->removed_slot, &S->removed_cap, S->nremoved + n + 1,
              sizeof *S->removed_slot))
        return 0;
    double *rs = realloc(S->removed_start, (size_t)S->removed_cap * sizeof *rs);
    if (!rs)
        return 0;
    S->removed_start = rs;
    for (int i = 0; i < n; i++) {
        plan_contact *c = &S->sol->c[S->ids[i]];
        S->removed_slot[S->nremoved] = c->slot;
        S->removed_start[S->nremoved++] = c->start;
        plan_sol_remove(S->sol, S->ids[i]);
    }
    return 1;
}

static int undo(search *S)
{
    for (int i = 0; i < S->nadded; i++)
        plan_sol_remove(S->sol, S->added[i]);
    for (int i = 0; i < S->nremoved; i++)
        if (plan_sol_add(S->sol, S->removed_slot[i], S->removed_start[i]) < 0)
            return 0;
    return 1;
}

/* Collects the candidates of a line's slots that may start in [t1, t2). */
static int collect_line(search *S, const line_index *ix, int line, double t1, double t2,
                        int on_station, int bump)
{
    int lo = ix->first[line], hi = ix->first[line + 1];
    /* First slot whose first start is after t2; earlier ones may reach into the window. */
    int a = lo, b = hi;
    while (a < b) {
        int mid = (a + b) / 2;
        if (S->m->slots[ix->slots[mid]].lo < t2)
            a = mid + 1;
        else
            b = mid;
    }
    for (int i = a - 1; i >= lo; i--) {
        const plan_slot *sl = &S->m->slots[ix->slots[i]];
        if (sl->lo + ix->maxspan[line] < t1)
            break;
        if (sl->hi >= t1 && !collect(S, ix->slots[i], t1, t2, on_station, bump))
            return 0;
    }
    return 1;
}

/* Candidates in the order of the band refill, one list per state (see refill_band). */
static int cmp_cand_density(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    double dx = x->w / (x->b - x->a), dy = y->w / (y->b - y->a);
    if (dx != dy)
        return (dx < dy) - (dx > dy);
    return (x->a > y->a) - (x->a < y->a);
}

/*
 * Refill of a band (every station over a window): candidates by weight per
 * second of antenna time, with noise so that repeated moves explore. In the
 * fairness phase the state with the lowest level takes its next candidate
 * each turn (progressive filling inside the band).
 */
static int refill_band(search *S)
{
    const plan_model *m = S->m;
    for (int i = 0; i < S->nc; i++)
        S->c[i].w *= 1 + 0.5 * apsco_random_unit(&S->rng);
    plan_sort(S->c, (size_t)S->nc, sizeof *S->c, cmp_cand_density);
    if (!S->fair) {
        for (int i = 0; i < S->nc; i++)
            if (plan_sol_fits(S->sol, S->c[i].slot, S->c[i].start) &&
                !record_added(S, plan_sol_add(S->sol, S->c[i].slot, S->c[i].start)))
                return 0;
        return 1;
    }
    int *next = S->ids; /* per state: next candidate to try */
    if (!grow((void **)&S->ids, &S->ids_cap, m->state_count + 1, sizeof *S->ids))
        return 0;
    next = S->ids;
    for (int s = 0; s < m->state_count; s++)
        next[s] = 0;
    for (;;) {
        int pick = -1;
        double low = INFINITY;
        for (int s = 0; s < m->state_count; s++) {
            if (next[s] >= S->nc || !(m->states[s].usable > 0))
                continue;
            double level = S->sol->granted[s] / m->states[s].eps;
            if (level < low) {
                low = level;
                pick = s;
            }
        }
        if (pick < 0)
            return 1;
        while (next[pick] < S->nc) {
            cand *c = &S->c[next[pick]++];
            if (m->reqs[m->slots[c->slot].req].state != pick ||
                !plan_sol_fits(S->sol, c->slot, c->start))
                continue;
            if (!record_added(S, plan_sol_add(S->sol, c->slot, c->start)))
                return 0;
            break;
        }
    }
}

/* Empties one line over the window and refills it exactly (DP) or greedily. */
/*
 * The contacts of one antenna of station j: the station's contacts given to
 * antennas in order of start, each to the one free the longest (interval
 * graphs are perfect: this never needs more than the station has).
 */
static int antenna_line(search *S, int j, int which)
{
    const timeline *tl = &S->sol->station_tl[j];
    double free_at[APSCO_ANTENNAS_MAX];
    int k = S->m->antennas[j] < APSCO_ANTENNAS_MAX ? S->m->antennas[j] : APSCO_ANTENNAS_MAX;
    for (int a = 0; a < k; a++)
        free_at[a] = -INFINITY;
    S->antenna.n = 0;
    S->antenna.capacity = 1;
    for (int i = 0; i < tl->n; i++) {
        int best = 0;
        for (int a = 1; a < k; a++)
            if (free_at[a] < free_at[best])
                best = a;
        free_at[best] = tl->v[i].b;
        if (best == which &&
            timeline_insert(&S->antenna, tl->v[i].a, tl->v[i].b, tl->v[i].id) != APSCO_OK)
            return 0;
    }
    return 1;
}

/*
 * Empties one line over the window and refills it exactly: weighted interval
 * scheduling where a candidate may bump contacts off its other line. A
 * station with several antennas is refilled one antenna at a time.
 */
static int line_move(search *S, double *best, double t1, double t2)
{
    const plan_model *m = S->m;
    int on_station = apsco_random_unit(&S->rng) < 0.6 || m->sat_count == 0;
    int line = on_station ? (int)(apsco_random_unit(&S->rng) * m->station_count)
                          : (int)(apsco_random_unit(&S->rng) * m->sat_count);
    const timeline *tl = on_station ? &S->sol->station_tl[line] : &S->sol->sat_tl[line];
    S->own = NULL;
    if (on_station && m->antennas[line] > 1) {
        if (!antenna_line(S, line, (int)(apsco_random_unit(&S->rng) * m->antennas[line])))
            return 0;
        tl = &S->antenna;
    }
    int ok = empty_line(S, tl, t1, t2);
    if (ok && tl == &S->antenna) {
        /* What the window held on this antenna is gone from the station too. */
        for (int i = 0; i < S->nremoved; i++)
            timeline_remove(&S->antenna, S->removed_start[i], S->ids[i]);
        S->own = &S->antenna;
    }
    ok = ok &&
         collect_line(S, on_station ? &S->by_station : &S->by_sat, line, t1, t2, on_station, 1) &&
         refill(S, best, 1, on_station);
    S->own = NULL;
    return ok;
}

/* Empties every station over a shorter window and refills them together. */
static int band_move(search *S, double t1, double t2)
{
    const plan_model *m = S->m;
    for (int j = 0; j < m->station_count; j++)
        if (!empty_line(S, &S->sol->station_tl[j], t1, t2))
            return 0;
    for (int j = 0; j < m->station_count; j++)
        if (!collect_line(S, &S->by_station, j, t1, t2, 1, 0))
            return 0;
    return refill_band(S);
}

/*
 * Keeps or undoes what happened since the move began. Fairness phase: kept
 * when the sorted levels do not get worse (leximin) and, if equal, the value
 * does not drop. Value phase: kept when every floor holds and the value does
 * not drop. Returns 1 if kept and strictly better, 0 if kept without gain or
 * undone, -1 when out of memory.
 */
static int compensate(search *S);

/* Seconds the states lack below their floors. */
static double deficit(const search *S)
{
    double d = 0;
    for (int s = 0; s < S->m->state_count; s++)
        d += fmax(0, S->floors[s] - S->sol->granted[s]);
    return d;
}

static int judge(search *S, double value0)
{
    const plan_model *m = S->m;
    if (!compensate(S))
        return -1;
    double value1 = S->sol->value;
    if (S->fair) {
        sorted_levels(S, S->after);
        int cmp = leximin_compare(S->after, S->before, m->state_count);
        if (cmp > 0)
            return 1;
        if (cmp == 0 && value1 >= value0 - 1e-9)
            return value1 > value0 + 1e-9;
        return undo(S) ? 0 : -1;
    }
    /*
     * Value phase: the floors hold (a start below them, from LP rounding,
     * only gets closer), and the value does not drop.
     */
    double d1 = deficit(S);
    if (d1 < S->deficit0 - 1e-6)
        return 1;
    if (d1 <= S->deficit0 + 1e-6 && value1 >= value0 - 1e-9)
        return value1 > value0 + 1e-9;
    return undo(S) ? 0 : -1;
}

/*
 * A state that a move left below its target (its floor, or in the fairness
 * phase what it had before) takes contacts of its own wherever they fit, so
 * that moves trading time between states can succeed as a whole.
 */
static int compensate(search *S)
{
    const plan_model *m = S->m;
    for (int s = 0; s < m->state_count; s++) {
        if (S->sol->granted[s] >= S->target[s] - 1e-6)
            continue;
        /* Near the move first: that is where the state lost time and where room opened. */
        int lo = S->state_first[s], hi = S->state_first[s + 1];
        double from = S->t1 - COMPENSATE_S, to = S->t2 + COMPENSATE_S;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (S->by_state[mid].start < from)
                lo = mid + 1;
            else
                hi = mid;
        }
        int tries = 0;
        for (int i = lo; i < S->state_first[s + 1] && S->by_state[i].start < to &&
                         S->sol->granted[s] < S->target[s] - 1e-6 && tries++ < COMPENSATE_TRIES;
             i++) {
            const cand *c = &S->by_state[i];
            if (plan_sol_fits(S->sol, c->slot, c->start) &&
                !record_added(S, plan_sol_add(S->sol, c->slot, c->start)))
                return 0;
        }
    }
    return 1;
}

static void begin(search *S)
{
    const plan_model *m = S->m;
    S->move_no++;
    for (int s = 0; s < m->state_count; s++)
        S->target[s] = S->fair ? S->sol->granted[s] : S->floors[s];
    if (S->fair)
        sorted_levels(S, S->before);
    else
        S->deficit0 = deficit(S);
    S->nadded = 0;
    S->nremoved = 0;
    S->nc = 0;
}

/* One move on a random window: a single line (exact refill) or a band of all stations. */
static int move(search *S, double *best)
{
    const plan_model *m = S->m;
    double value0 = S->sol->value;
    int band = apsco_random_unit(&S->rng) < S->band_share;
    double len = band ? BAND_MIN_S + (BAND_MAX_S - BAND_MIN_S) * apsco_random_unit(&S->rng)
                      : WINDOW_MIN_S + (WINDOW_MAX_S - WINDOW_MIN_S) * apsco_random_unit(&S->rng);
    double t1 = apsco_random_unit(&S->rng) * fmax(m->horizon_s - len, 0) -
                0.5 * len * apsco_random_unit(&S->rng);
    double t2 = t1 + len;
    begin(S);
    S->t1 = t1;
    S->t2 = t2;
    set_bonus(S);
    if (!(band ? band_move(S, t1, t2) : line_move(S, best, t1, t2)))
        return -1;
    return judge(S, value0);
}

/* Puts a contact of period p back at the first place that fits; 0 when none does. */
static int reinsert(search *S, int p)
{
    for (int i = S->period_first[p]; i < S->period_first[p + 1]; i++) {
        int slot = S->period_slots[i];
        int k = plan_sol_first_fit(S->sol, slot, 0);
        if (k >= 0)
            return record_added(S, plan_sol_add(S->sol, slot, slot_start(&S->m->slots[slot], k)))
                       ? 1
                       : -1;
    }
    return 0;
}

/*
 * Ejection: grant candidate (slot, start), eject the contacts in its way
 * (on its satellite, and on its antenna when the station has one), and put
 * each ejected contact back elsewhere in its own period if it can go.
 */
static int eject_move(search *S, int slot, double start)
{
    const plan_model *m = S->m;
    plan_sol *sol = S->sol;
    const plan_slot *sl = &m->slots[slot];
    const plan_req *q = &m->reqs[sl->req];
    int station = m->segs[sl->seg].station;
    if (sol->used[sl->period] >= m->periods[sl->period].cap)
        return 0;
    double value0 = sol->value;
    begin(S);
    S->t1 = start;
    S->t2 = start + q->d;
    if (plan_sol_fits(sol, slot, start))
        return record_added(S, plan_sol_add(sol, slot, start)) ? judge(S, value0) : -1;
    if (m->antennas[station] > 1 &&
        !timeline_fits(&sol->station_tl[station], start, start + q->d + m->setup_s))
        return 0;
    int n = 0;
    int cap = S->ids_cap;
    if (cap < 64 && !grow((void **)&S->ids, &S->ids_cap, 64, sizeof *S->ids))
        return -1;
    n = timeline_overlapping(&sol->sat_tl[q->sat], start, start + q->d, S->ids, S->ids_cap);
    if (m->antennas[station] == 1 && n < S->ids_cap)
        n += timeline_overlapping(&sol->station_tl[station], start, start + q->d + m->setup_s,
                                  S->ids + n, S->ids_cap - n);
    if (n >= S->ids_cap)
        return 0;
    if (!grow((void **)&S->removed_slot, &S->removed_cap, n + 1, sizeof *S->removed_slot))
        return -1;
    double *rs = realloc(S->removed_start, (size_t)S->removed_cap * sizeof *rs);
    if (!rs)
        return -1;
    S->removed_start = rs;
    for (int i = 0; i < n; i++) {
        plan_contact *c = &sol->c[S->ids[i]];
        if (!c->live)
            continue; /* on both lines: listed twice */
        S->removed_slot[S->nremoved] = c->slot;
        S->removed_start[S->nremoved++] = c->start;
        plan_sol_remove(sol, S->ids[i]);
    }
    if (!plan_sol_fits(sol, slot, start))
        return undo(S) ? 0 : -1;
    if (!record_added(S, plan_sol_add(sol, slot, start)))
        return -1;
    for (int i = 0; i < S->nremoved; i++)
        if (reinsert(S, m->slots[S->removed_slot[i]].period) < 0)
            return -1;
    return judge(S, value0);
}

/*
 * Every candidate once (in the guided value phase, every one the LP uses),
 * most valuable first (lowest states first when fairness is at stake).
 */
static int eject_pass(search *S, double deadline)
{
    const plan_model *m = S->m;
    int gains = 0;
    set_bonus(S);
    int guided = S->support && !S->fair;
    cand *order = guided ? S->support : S->order;
    int n = guided ? S->nsupport : S->norder;
    for (int i = 0; i < n; i++) {
        cand *c = &order[i];
        const plan_req *q = &m->reqs[m->slots[c->slot].req];
        c->w = (S->fair ? 1e-3 * q->value + S->bonus[q->state] * q->d : q->value) *
               (1 + 0.2 * apsco_random_unit(&S->rng));
    }
    plan_sort(order, (size_t)n, sizeof *order, cmp_cand_weight);
    for (int i = 0; i < n; i++) {
        if ((i & 255) == 0 && plan_clock() > deadline)
            break;
        if (S->fair && order[i].w < 1e-6)
            break; /* only the states that can still rise */
        int r = eject_move(S, order[i].slot, order[i].start);
        if (r < 0)
            return -1;
        gains += r;
    }
    return gains;
}

/*
 * Ejection passes and window moves in turn, until a round brings nothing,
 * `patience` window moves in a row bring nothing, or the deadline passes.
 */
static apsco_status run_phase(search *S, double deadline, double **best, int *best_cap)
{
    const plan_model *m = S->m;
    if (!grow((void **)best, best_cap, (int)m->candidate_count + 1, sizeof **best))
        return APSCO_ERR_NOMEM;
    for (int round = 0; plan_clock() < deadline; round++) {
        int gains = eject_pass(S, deadline);
        if (gains < 0)
            return APSCO_ERR_NOMEM;
        int idle = 0;
        for (; idle < S->patience; idle++) {
            if ((idle & 63) == 0 && plan_clock() > deadline)
                break;
            int r = move(S, *best);
            if (r < 0)
                return APSCO_ERR_NOMEM;
            if (r > 0) {
                gains++;
                idle = -1;
                if (gains % S->gain_batch == 0)
                    break; /* back to an ejection pass */
            }
        }
        if (gains == 0)
            break;
    }
    return APSCO_OK;
}

static int cmp_cand_start(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->start != y->start)
        return (x->start > y->start) - (x->start < y->start);
    return x->slot - y->slot;
}

/* Every candidate grouped by state, in order of start within each state. */
static apsco_status index_by_state(search *S)
{
    const plan_model *m = S->m;
    int *at = calloc((size_t)m->state_count + 1, sizeof *at);
    if (!at)
        return APSCO_ERR_NOMEM;
    for (int i = 0; i < S->norder; i++) {
        int k = m->reqs[m->slots[S->order[i].slot].req].state;
        S->by_state[S->state_first[k] + at[k]++] = S->order[i];
    }
    for (int k = 0; k < m->state_count; k++)
        plan_sort(S->by_state + S->state_first[k],
                  (size_t)(S->state_first[k + 1] - S->state_first[k]), sizeof *S->by_state,
                  cmp_cand_start);
    free(at);
    return APSCO_OK;
}

/*
 * The candidates `guide` gives a positive value (the order of S->order as
 * built: plan_candidate_offsets order), or none without a guide.
 */
static apsco_status index_support(search *S, const double *guide)
{
    if (!guide)
        return APSCO_OK;
    S->support = malloc(((size_t)S->norder + 1) * sizeof *S->support);
    if (!S->support)
        return APSCO_ERR_NOMEM;
    for (int i = 0; i < S->norder; i++)
        if (guide[i] > 1e-6)
            S->support[S->nsupport++] = S->order[i];
    return APSCO_OK;
}

/*
 * Both phases; the value phase alone above `given` floors when it is not
 * NULL (guided by the LP values `guide` when that is not NULL either); the
 * fairness phase alone (until the deadline) with `fair_only`.
 */
static apsco_status search_run(const plan_model *m, double deadline, plan_sol *sol, double *floors,
                               const double *given, const double *guide, int fair_only)
{
    if (m->slot_count == 0 || m->station_count == 0)
        return APSCO_OK;
    search S;
    memset(&S, 0, sizeof S);
    S.m = m;
    S.sol = sol;
    S.rng = 0x5EEDULL + m->candidate_count;
    S.band_share = BAND_SHARE;
    S.gain_batch = GAIN_BATCH;
    S.patience = PATIENCE_PER_LINE * (m->station_count + m->sat_count);
    S.bonus = calloc((size_t)m->state_count + 1, sizeof *S.bonus);
    double *best = NULL;
    int best_cap = 0;
    apsco_status st = APSCO_OK;
    if (!S.bonus || !build_index(m, &S.by_station, m->station_count, 1) ||
        !build_index(m, &S.by_sat, m->sat_count, 0))
        st = APSCO_ERR_NOMEM;
    S.period_first = calloc((size_t)m->period_count + 2, sizeof *S.period_first);
    S.period_slots = malloc((m->slot_count + 1) * sizeof *S.period_slots);
    S.order = malloc((m->candidate_count + 1) * sizeof *S.order);
    if (!S.period_first || !S.period_slots || !S.order)
        st = APSCO_ERR_NOMEM;
    for (size_t i = 0; st == APSCO_OK && i < m->slot_count; i++)
        S.period_first[m->slots[i].period + 1]++;
    for (int p = 0; st == APSCO_OK && p < m->period_count; p++)
        S.period_first[p + 1] += S.period_first[p];
    int *fill = st == APSCO_OK ? calloc((size_t)m->period_count + 1, sizeof *fill) : NULL;
    if (st == APSCO_OK && !fill)
        st = APSCO_ERR_NOMEM;
    for (size_t i = 0; st == APSCO_OK && i < m->slot_count; i++) {
        int p = m->slots[i].period;
        S.period_slots[S.period_first[p] + fill[p]++] = (int)i;
        for (int k = 0; k < m->slots[i].n; k++) {
            double t = slot_start(&m->slots[i], k);
            S.order[S.norder++] = (cand){t, t, 0, t, (int)i, -1, 0};
        }
    }
    free(fill);
    if (st == APSCO_OK)
        st = index_support(&S, given ? guide : NULL);
    S.state_first = calloc((size_t)m->state_count + 2, sizeof *S.state_first);
    S.by_state = malloc(((size_t)S.norder + 1) * sizeof *S.by_state);
    S.target = calloc((size_t)m->state_count + 1, sizeof *S.target);
    if (st == APSCO_OK && (!S.state_first || !S.by_state || !S.target))
        st = APSCO_ERR_NOMEM;
    for (int i = 0; st == APSCO_OK && i < S.norder; i++)
        S.state_first[m->reqs[m->slots[S.order[i].slot].req].state + 1]++;
    for (int k = 0; st == APSCO_OK && k < m->state_count; k++)
        S.state_first[k + 1] += S.state_first[k];
    if (st == APSCO_OK)
        st = index_by_state(&S);
    S.floors = calloc((size_t)m->state_count + 1, sizeof *S.floors);
    S.before = calloc((size_t)m->state_count + 1, sizeof *S.before);
    S.after = calloc((size_t)m->state_count + 1, sizeof *S.after);
    if (!S.floors || !S.before || !S.after)
        st = APSCO_ERR_NOMEM;
    /* Fairness first (half the time at most), then value above the floors reached. */
    S.fair = 1;
    double fair_end = fair_only ? deadline : plan_clock() + 0.5 * (deadline - plan_clock());
    if (st == APSCO_OK && !given)
        st = run_phase(&S, fair_end, &best, &best_cap);
    /* The value phase keeps every state at or above what fairness gave it. */
    S.fair = 0;
    if (S.support) {
        S.band_share = GUIDED_BAND_SHARE;
        S.gain_batch = GUIDED_GAIN_BATCH;
        S.patience = GUIDED_PATIENCE;
    }
    if (given && S.floors)
        memcpy(S.floors, given, (size_t)m->state_count * sizeof *S.floors);
    else if (S.floors)
        plan_fair_floors(sol, S.floors);
    if (floors && S.floors)
        memcpy(floors, S.floors, (size_t)m->state_count * sizeof *floors);
    if (st == APSCO_OK && !fair_only)
        st = run_phase(&S, deadline, &best, &best_cap);
    free(best);
    free_index(&S.by_station);
    free_index(&S.by_sat);
    free(S.c);
    free(S.removed_slot);
    free(S.removed_start);
    free(S.added);
    free(S.ids);
    free(S.bonus);
    free(S.period_first);
    free(S.period_slots);
    free(S.order);
    free(S.support);
    free(S.stamp);
    timeline_free(&S.antenna);
    free(S.state_first);
    free(S.by_state);
    free(S.target);
    free(S.floors);
    free(S.before);
    free(S.after);
    return st;
}

apsco_status plan_search(const plan_model *m, double deadline, plan_sol *sol, double *floors)
{
    return search_run(m, deadline, sol, floors, NULL, NULL, 0);
}

apsco_status plan_search_fair(const plan_model *m, double deadline, plan_sol *sol, double *floors)
{
    return search_run(m, deadline, sol, floors, NULL, NULL, 1);
}

apsco_status plan_search_value(const plan_model *m, const double *floors, const double *guide,
                               double deadline, plan_sol *sol)
{
    return search_run(m, deadline, sol, NULL, floors, guide, 0);
}
