/*
 * heuristic.c — the fast solver: progressive filling by lowest normalised
 * level, then local search.
 *
 * Filling (max-min fairness by water-filling, Bertsekas & Gallager, Data
 * Networks, 2nd ed., sec. 6.5.2): the member state furthest below its
 * entitlement takes its next contact, until no state can take any more.
 * Each state takes the candidate of best marginal value: priority over the
 * congestion its contact causes, where congestion is the expected demand of
 * everyone else on the same antenna and the same satellite at that time.
 *
 * Local search (large neighbourhood search, Shaw 1998): empty an antenna
 * over a stretch of hours and refill it optimally for that antenna (weighted
 * interval scheduling by dynamic programming, Kleinberg & Tardos,
 * Algorithm Design, sec. 6.1), weights favouring the states at the lowest
 * level; keep the change when it raises the fairness level, or keeps it and
 * raises the total value.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/internal.h"

#define BIN_S 120.0 /* resolution of the congestion profiles */

typedef struct heap_item {
    double score;
    int slot;
} heap_item;

typedef struct heap {
    heap_item *v;
    int n;
} heap;

static void heap_push(heap *h, heap_item it)
{
    int i = h->n++;
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (h->v[parent].score >= it.score)
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = it;
}

static heap_item heap_pop(heap *h)
{
    heap_item top = h->v[0], last = h->v[--h->n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1].score > h->v[c].score)
            c++;
        if (h->v[c].score <= last.score)
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = last;
    return top;
}

/* Expected demand per bin on every station (per antenna) and satellite. */
typedef struct profile {
    int bins;
    float *station; /* station_count * bins */
    float *sat;     /* sat_count * bins */
} profile;

static void spread(float *row, int bins, double a, double b, double w)
{
    int i0 = (int)(a / BIN_S), i1 = (int)(b / BIN_S);
    for (int i = i0 < 0 ? 0 : i0; i <= i1 && i < bins; i++) {
        double lo = fmax(a, i * BIN_S), hi = fmin(b, (i + 1) * BIN_S);
        if (hi > lo)
            row[i] += (float)(w * (hi - lo) / BIN_S);
    }
}

/*
 * Each period's demand (the contacts it can use) is spread evenly over its
 * candidate starts; a candidate adds its share over the time it occupies.
 */
static int build_profile(const plan_model *m, profile *p)
{
    p->bins = (int)(m->horizon_s / BIN_S) + 2;
    p->station = calloc((size_t)m->station_count * (size_t)p->bins + 1, sizeof *p->station);
    p->sat = calloc((size_t)m->sat_count * (size_t)p->bins + 1, sizeof *p->sat);
    int *starts = calloc((size_t)m->period_count + 1, sizeof *starts);
    if (!p->station || !p->sat || !starts) {
        free(starts);
        return 0;
    }
    for (size_t i = 0; i < m->slot_count; i++)
        starts[m->slots[i].period] += m->slots[i].n;
    for (size_t i = 0; i < m->slot_count; i++) {
        const plan_slot *s = &m->slots[i];
        const plan_period *pp = &m->periods[s->period];
        const plan_req *q = &m->reqs[s->req];
        int station = m->segs[s->seg].station;
        double need = pp->cap < pp->disjoint ? pp->cap : pp->disjoint;
        double w = need / starts[s->period];
        float *srow = p->station + (size_t)station * (size_t)p->bins;
        float *qrow = p->sat + (size_t)q->sat * (size_t)p->bins;
        /* The union of the candidates' occupancy, weighted by their number. */
        double wa = w * s->n * (q->d + m->setup_s) / (s->hi - s->lo + q->d + m->setup_s);
        double wq = w * s->n * q->d / (s->hi - s->lo + q->d);
        spread(srow, p->bins, s->lo, s->hi + q->d + m->setup_s, wa / m->antennas[station]);
        spread(qrow, p->bins, s->lo, s->hi + q->d, wq);
    }
    free(starts);
    return 1;
}

static double mean(const float *row, int bins, double a, double b)
{
    double sum = 0, len = 0;
    int i0 = (int)(a / BIN_S), i1 = (int)(b / BIN_S);
    for (int i = i0 < 0 ? 0 : i0; i <= i1 && i < bins; i++) {
        double lo = fmax(a, i * BIN_S), hi = fmin(b, (i + 1) * BIN_S);
        if (hi > lo) {
            sum += row[i] * (hi - lo);
            len += hi - lo;
        }
    }
    return len > 0 ? sum / len : 0;
}

/* Marginal value of taking a contact from slot s: priority over congestion. */
static double slot_score(const plan_model *m, const profile *p, int s)
{
    const plan_slot *sl = &m->slots[s];
    const plan_req *q = &m->reqs[sl->req];
    int station = m->segs[sl->seg].station;
    double cs = mean(p->station + (size_t)station * (size_t)p->bins, p->bins, sl->lo,
                     sl->hi + q->d + m->setup_s);
    double cq = mean(p->sat + (size_t)q->sat * (size_t)p->bins, p->bins, sl->lo, sl->hi + q->d);
    return q->priority / (1.0 + cs + cq);
}

/* The active state furthest below its entitlement, or -1. */
static int lowest_state(const plan_model *m, const plan_sol *sol, const heap *heaps)
{
    int best = -1;
    double best_level = INFINITY;
    for (int i = 0; i < m->state_count; i++) {
        if (heaps[i].n == 0)
            continue;
        double level = sol->granted[i] / m->states[i].eps;
        if (level < best_level) {
            best_level = level;
            best = i;
        }
    }
    return best;
}

/* Progressive filling; `score` holds each slot's static score. */
static apsco_status fill(const plan_model *m, const double *score, plan_sol *sol)
{
    heap *heaps = calloc((size_t)m->state_count + 1, sizeof *heaps);
    int *count = calloc((size_t)m->state_count + 1, sizeof *count);
    apsco_status st = heaps && count ? APSCO_OK : APSCO_ERR_NOMEM;
    for (size_t i = 0; st == APSCO_OK && i < m->slot_count; i++)
        count[m->reqs[m->slots[i].req].state]++;
    for (int i = 0; st == APSCO_OK && i < m->state_count; i++) {
        heaps[i].v = malloc(((size_t)count[i] + 1) * sizeof *heaps[i].v);
        if (!heaps[i].v)
            st = APSCO_ERR_NOMEM;
    }
    for (size_t i = 0; st == APSCO_OK && i < m->slot_count; i++)
        heap_push(&heaps[m->reqs[m->slots[i].req].state], (heap_item){score[i], (int)i});
    for (int s; st == APSCO_OK && (s = lowest_state(m, sol, heaps)) >= 0;) {
        heap_item it = heap_pop(&heaps[s]);
        int k = plan_sol_first_fit(sol, it.slot, 0);
        if (k < 0)
            continue; /* resources only get scarcer while filling: never again */
        if (plan_sol_add(sol, it.slot, slot_start(&m->slots[it.slot], k)) < 0)
            st = APSCO_ERR_NOMEM;
        else
            heap_push(&heaps[s], it); /* the slot may hold a later contact too */
    }
    for (int i = 0; heaps && i < m->state_count; i++)
        free(heaps[i].v);
    free(heaps);
    free(count);
    return st;
}

/* Filling, then the search: both phases, or the fairness phase alone with `fair_only`. */
static apsco_status heuristic(const plan_model *m, const double *guide, double deadline,
                              int fair_only, plan_sol *sol, double *floors)
{
    double *score = malloc((m->slot_count + 1) * sizeof *score);
    profile p = {0};
    apsco_status st = score && build_profile(m, &p) ? APSCO_OK : APSCO_ERR_NOMEM;
    if (st == APSCO_OK) {
        size_t *off = guide ? plan_candidate_offsets(m) : NULL;
        for (size_t i = 0; i < m->slot_count; i++) {
            score[i] = slot_score(m, &p, (int)i);
            if (off) {
                double best = 0;
                for (size_t c = off[i]; c < off[i + 1]; c++)
                    best = fmax(best, guide[c]);
                score[i] += 1000 * best;
            }
        }
        free(off);
        st = fill(m, score, sol);
    }
    if (st == APSCO_OK)
        st = fair_only ? plan_search_fair(m, deadline, sol, floors)
                       : plan_search(m, deadline, sol, floors);
    free(p.station);
    free(p.sat);
    free(score);
    return st;
}

apsco_status plan_heuristic(const plan_model *m, const double *guide, double deadline,
                            plan_sol *sol, double *floors)
{
    return heuristic(m, guide, deadline, 0, sol, floors);
}

apsco_status plan_heuristic_fair(const plan_model *m, double deadline, plan_sol *sol,
                                 double *floors)
{
    return heuristic(m, NULL, deadline, 1, sol, floors);
}

size_t *plan_candidate_offsets(const plan_model *m)
{
    size_t *off = malloc((m->slot_count + 1) * sizeof *off);
    if (!off)
        return NULL;
    off[0] = 0;
    for (size_t i = 0; i < m->slot_count; i++)
        off[i + 1] = off[i] + (size_t)m->slots[i].n;
    return off;
}
