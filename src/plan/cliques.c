/*
 * cliques.c — the conflict structure of the candidate contacts, built once
 * per model and shared by the LP and the Lagrangian bound:
 *   - the maximal cliques of every time line (a station's antennas, a
 *     satellite), the sets of candidates that overlap at one instant;
 *   - every station's candidates sorted by end with, for each, the last one
 *     that ends before it starts (the predecessor of weighted interval
 *     scheduling).
 *
 * Maximal cliques of an interval graph are found by one sweep over the
 * sorted end points (Gilmore & Hoffman, "A characterization of comparability
 * graphs and of interval graphs", Canad. J. Math. 16, 1964): a clique is
 * maximal exactly when a start is followed by an end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cliques.h"

typedef struct event {
    double t;
    int start; /* 1 for a start, 0 for an end: ends sort first at equal times */
    int cand;
} event;

static int cmp_event(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    if (x->start != y->start)
        return x->start - y->start;
    return x->cand - y->cand;
}

static int push_int(int **v, size_t *n, size_t *cap, int x)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 1024;
        int *p = realloc(*v, c * sizeof *p);
        if (!p)
            return 0;
        *v = p;
        *cap = c;
    }
    (*v)[(*n)++] = x;
    return 1;
}

/*
 * Sweeps the events of one time line and appends its maximal cliques with
 * more members than `cap` (smaller ones can never bind).
 */
static int sweep(plan_cliques *cl, event *ev, size_t nev, int cap, int resource, int *active,
                 int *where)
{
    int nactive = 0, grew = 0;
    plan_sort(ev, nev, sizeof *ev, cmp_event);
    for (size_t i = 0; i < nev; i++) {
        if (ev[i].start) {
            where[ev[i].cand] = nactive;
            active[nactive++] = ev[i].cand;
            grew = 1;
            continue;
        }
        if (grew && nactive > cap) {
            for (int k = 0; k < nactive; k++)
                if (!push_int(&cl->members, &cl->member_count, &cl->member_cap, active[k]))
                    return 0;
            size_t len = cl->count + 1;
            if (!push_int(&cl->first, &len, &cl->first_cap, (int)cl->member_count) ||
                !push_int(&cl->resource, &cl->resource_count, &cl->resource_cap, resource))
                return 0;
            cl->count++;
        }
        grew = 0;
        /* Remove by swapping the last active candidate into its place. */
        int k = where[ev[i].cand], last = active[--nactive];
        active[k] = last;
        where[last] = k;
    }
    return 1;
}

typedef struct by_end {
    double a, b;
    int cand;
} by_end;

static int cmp_by_end(const void *x, const void *y)
{
    const by_end *p = x, *q = y;
    if (p->b != q->b)
        return (p->b > q->b) - (p->b < q->b);
    return p->cand - q->cand;
}

/* Station orders and predecessors for the weighted-interval-scheduling DP. */
static int station_orders(plan_cliques *cl, const plan_model *m, const double *start,
                          const int *station, by_end *tmp)
{
    size_t n = m->candidate_count;
    cl->station_first = calloc((size_t)m->station_count + 1, sizeof *cl->station_first);
    cl->order = malloc((n + 1) * sizeof *cl->order);
    cl->pred = malloc((n + 1) * sizeof *cl->pred);
    if (!cl->station_first || !cl->order || !cl->pred)
        return 0;
    for (size_t c = 0; c < n; c++)
        cl->station_first[station[c] + 1]++;
    for (int j = 0; j < m->station_count; j++)
        cl->station_first[j + 1] += cl->station_first[j];
    int *fill = calloc((size_t)m->station_count + 1, sizeof *fill);
    if (!fill)
        return 0;
    for (size_t c = 0; c < n; c++) {
        int j = station[c];
        const plan_req *q = &m->reqs[m->slots[cl->slot_of[c]].req];
        tmp[cl->station_first[j] + fill[j]++] =
            (by_end){start[c], start[c] + q->d + m->setup_s, (int)c};
    }
    free(fill);
    for (int j = 0; j < m->station_count; j++) {
        int lo0 = cl->station_first[j], hi0 = cl->station_first[j + 1];
        plan_sort(tmp + lo0, (size_t)(hi0 - lo0), sizeof *tmp, cmp_by_end);
        for (int i = lo0; i < hi0; i++) {
            cl->order[i] = tmp[i].cand;
            int lo = lo0, hi = i;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (tmp[mid].b <= tmp[i].a)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            cl->pred[i] = lo - 1; /* lo0 - 1 when none */
        }
    }
    return 1;
}

apsco_status plan_cliques_build(const plan_model *m, plan_cliques *cl)
{
    memset(cl, 0, sizeof *cl);
    size_t n = m->candidate_count;
    cl->n = n;
    cl->start = malloc((n + 1) * sizeof *cl->start);
    cl->slot_of = malloc((n + 1) * sizeof *cl->slot_of);
    int *station = malloc((n + 1) * sizeof *station);
    event *ev = malloc((2 * n + 2) * sizeof *ev);
    int *active = malloc((n + 1) * sizeof *active);
    int *where = malloc((n + 1) * sizeof *where);
    size_t *count = calloc((size_t)(m->station_count + m->sat_count) + 1, sizeof *count);
    apsco_status st = APSCO_ERR_NOMEM;
    if (!cl->start || !cl->slot_of || !station || !ev || !active || !where || !count)
        goto done;
    size_t c = 0;
    for (size_t s = 0; s < m->slot_count; s++)
        for (int k = 0; k < m->slots[s].n; k++, c++) {
            cl->start[c] = slot_start(&m->slots[s], k);
            cl->slot_of[c] = (int)s;
            station[c] = m->segs[m->slots[s].seg].station;
        }
    if (!station_orders(cl, m, cl->start, station, (by_end *)ev))
        goto done;
    /* Candidates grouped by time line: stations first, then satellites. */
    int nres = m->station_count + m->sat_count;
    int *res_first = calloc((size_t)nres + 2, sizeof *res_first);
    int *members = malloc((2 * n + 1) * sizeof *members);
    if (!res_first || !members) {
        free(res_first);
        free(members);
        goto done;
    }
    for (c = 0; c < n; c++) {
        res_first[station[c] + 1]++;
        res_first[m->station_count + m->reqs[m->slots[cl->slot_of[c]].req].sat + 1]++;
    }
    for (int r = 0; r < nres; r++)
        res_first[r + 1] += res_first[r];
    for (c = 0; c < n; c++) {
        int rs = station[c], rq = m->station_count + m->reqs[m->slots[cl->slot_of[c]].req].sat;
        members[res_first[rs] + (int)count[rs]++] = (int)c;
        members[res_first[rq] + (int)count[rq]++] = (int)c;
    }
    size_t len = 0;
    int ok = push_int(&cl->first, &len, &cl->first_cap, 0);
    for (int r = 0; ok && r < nres; r++) {
        int is_station = r < m->station_count;
        int cap = is_station ? m->antennas[r] : 1;
        size_t nev = 0;
        for (int i = res_first[r]; i < res_first[r + 1]; i++) {
            int cand = members[i];
            const plan_req *q = &m->reqs[m->slots[cl->slot_of[cand]].req];
            double end = cl->start[cand] + q->d + (is_station ? m->setup_s : 0);
            ev[nev++] = (event){cl->start[cand], 1, cand};
            ev[nev++] = (event){end, 0, cand};
        }
        ok = sweep(cl, ev, nev, cap, r, active, where);
        if (is_station)
            cl->station_cliques = cl->count;
    }
    free(res_first);
    free(members);
    if (ok)
        st = APSCO_OK;
done:
    free(station);
    free(ev);
    free(active);
    free(where);
    free(count);
    if (st != APSCO_OK)
        plan_cliques_free(cl);
    return st;
}

void plan_cliques_free(plan_cliques *cl)
{
    free(cl->start);
    free(cl->slot_of);
    free(cl->first);
    free(cl->members);
    free(cl->resource);
    free(cl->station_first);
    free(cl->order);
    free(cl->pred);
    memset(cl, 0, sizeof *cl);
}
