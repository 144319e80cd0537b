/*
 * sol.c — a schedule under construction: contacts with the occupancy of
 * every antenna and satellite, the contacts used in each period and the
 * seconds granted to each state, kept consistent on every insertion and
 * removal so that solvers can ask "does this fit?" in logarithmic time.
 *
 * It also defines the fairness level of a schedule: the smallest normalised
 * grant, granted seconds over entitlement, among the states that can use
 * anything at all.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan/internal.h"

double plan_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

double plan_cpu_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

apsco_status plan_sol_init(plan_sol *s, const plan_model *m)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->station_tl = calloc((size_t)m->station_count + 1, sizeof *s->station_tl);
    s->sat_tl = calloc((size_t)m->sat_count + 1, sizeof *s->sat_tl);
    s->used = calloc((size_t)m->period_count + 1, sizeof *s->used);
    s->granted = calloc((size_t)m->state_count + 1, sizeof *s->granted);
    if (!s->station_tl || !s->sat_tl || !s->used || !s->granted) {
        plan_sol_free(s);
        return APSCO_ERR_NOMEM;
    }
    for (int i = 0; i < m->station_count; i++)
        s->station_tl[i].capacity = m->antennas[i];
    for (int i = 0; i < m->sat_count; i++)
        s->sat_tl[i].capacity = 1;
    return APSCO_OK;
}

void plan_sol_free(plan_sol *s)
{
    if (s->station_tl)
        for (int i = 0; i < s->m->station_count; i++)
            timeline_free(&s->station_tl[i]);
    if (s->sat_tl)
        for (int i = 0; i < s->m->sat_count; i++)
            timeline_free(&s->sat_tl[i]);
    free(s->station_tl);
    free(s->sat_tl);
    free(s->used);
    free(s->granted);
    free(s->c);
    free(s->free_ids);
    memset(s, 0, sizeof *s);
}

void plan_sol_clear(plan_sol *s)
{
    const plan_model *m = s->m;
    for (int i = 0; i < m->station_count; i++)
        s->station_tl[i].n = 0;
    for (int i = 0; i < m->sat_count; i++)
        s->sat_tl[i].n = 0;
    memset(s->used, 0, (size_t)m->period_count * sizeof *s->used);
    memset(s->granted, 0, (size_t)m->state_count * sizeof *s->granted);
    s->n = 0;
    s->free_n = 0;
    s->value = 0;
    s->live = 0;
}

apsco_status plan_sol_copy(plan_sol *dst, const plan_sol *src)
{
    plan_sol_clear(dst);
    for (int i = 0; i < src->n; i++)
        if (src->c[i].live && plan_sol_add(dst, src->c[i].slot, src->c[i].start) < 0)
            return APSCO_ERR_NOMEM;
    return APSCO_OK;
}

int plan_sol_fits(const plan_sol *s, int slot, double start)
{
    const plan_model *m = s->m;
    const plan_slot *sl = &m->slots[slot];
    const plan_req *q = &m->reqs[sl->req];
    if (s->used[sl->period] >= m->periods[sl->period].cap)
        return 0;
    const plan_seg *g = &m->segs[sl->seg];
    return timeline_fits(&s->sat_tl[q->sat], start, start + q->d) &&
           timeline_fits(&s->station_tl[g->station], start, start + q->d + m->setup_s);
}

int plan_sol_add(plan_sol *s, int slot, double start)
{
    const plan_model *m = s->m;
    const plan_slot *sl = &m->slots[slot];
    const plan_req *q = &m->reqs[sl->req];
    const plan_seg *g = &m->segs[sl->seg];
    int id;
    if (s->free_n) {
        id = s->free_ids[--s->free_n];
    } else {
        if (s->n == s->cap) {
            int cap = s->cap ? 2 * s->cap : 64;
            plan_contact *c = realloc(s->c, (size_t)cap * sizeof *c);
            int *f = realloc(s->free_ids, (size_t)cap * sizeof *f);
            if (c)
                s->c = c;
            if (f)
                s->free_ids = f;
            if (!c || !f)
                return -1;
            s->cap = cap;
        }
        id = s->n++;
    }
    if (timeline_insert(&s->sat_tl[q->sat], start, start + q->d, id) != APSCO_OK)
        return -1;
    if (timeline_insert(&s->station_tl[g->station], start, start + q->d + m->setup_s, id) !=
        APSCO_OK) {
        timeline_remove(&s->sat_tl[q->sat], start, id);
        return -1;
    }
    s->c[id] = (plan_contact){slot, start, 1};
    s->used[sl->period]++;
    s->granted[q->state] += q->d;
    s->value += q->value;
    s->live++;
    return id;
}

void plan_sol_remove(plan_sol *s, int id)
{
    const plan_model *m = s->m;
    plan_contact *c = &s->c[id];
    if (!c->live)
        return;
    const plan_slot *sl = &m->slots[c->slot];
    const plan_req *q = &m->reqs[sl->req];
    timeline_remove(&s->sat_tl[q->sat], c->start, id);
    timeline_remove(&s->station_tl[m->segs[sl->seg].station], c->start, id);
    s->used[sl->period]--;
    s->granted[q->state] -= q->d;
    s->value -= q->value;
    s->live--;
    c->live = 0;
    s->free_ids[s->free_n++] = id;
}

int plan_sol_first_fit(const plan_sol *s, int slot, int k0)
{
    const plan_slot *sl = &s->m->slots[slot];
    if (s->used[sl->period] >= s->m->periods[sl->period].cap)
        return -1;
    for (int k = k0; k < sl->n; k++)
        if (plan_sol_fits(s, slot, slot_start(sl, k)))
            return k;
    return -1;
}

double plan_sol_level(const plan_sol *s)
{
    const plan_model *m = s->m;
    double level = INFINITY;
    for (int i = 0; i < m->state_count; i++)
        if (m->states[i].usable > 0)
            level = fmin(level, s->granted[i] / m->states[i].eps);
    return isfinite(level) ? level : 0;
}

void plan_fair_floors(const plan_sol *s, double *floors)
{
    const plan_model *m = s->m;
    double t = plan_sol_level(s);
    for (int i = 0; i < m->state_count; i++) {
        double keep = (1 - PLAN_FAIR_TOLERANCE) * s->granted[i];
        floors[i] = fmin(s->granted[i], fmax(keep, t * m->states[i].eps));
        if (!(m->states[i].usable > 0))
            floors[i] = 0;
    }
}
