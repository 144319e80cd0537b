/*
 * lpform.c — the schedule's linear programme, built once in a form any LP
 * solver loads.
 *
 * Formulation. x_c in [0,1] (binary in the MILP) says candidate c is granted.
 *   clique Q of a time line:  sum_{c in Q} x_c <= capacity  (antennas, or 1 for a satellite)
 *   period p of a request:    sum_{c in p} x_c <= cap_p     (only when it binds)
 *   state s, stage 1:         sum d_c x_c - e_s t >= 0      (fixed states: >= their floor)
 *   state s, stage 2:         sum d_c x_c >= floor_s
 *   objective:                stage 1 max t;  stage 2 max sum priority_c d_c x_c
 * The maximal cliques of an interval graph describe its independent sets
 * exactly and each time line alone is totally unimodular (Fulkerson & Gross,
 * "Incidence matrices and interval graphs", Pacific J. Math. 15, 1965), so
 * the relaxation is tight up to the coupling between time lines, periods
 * and states. Cliques are built by cliques.c; a flow formulation with two
 * non-zeros per contact was tried and needs fifty times more simplex time
 * here, its equality rows being infeasible at the slack basis.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cliques.h"
#include "plan/lpform.h"

typedef struct entry {
    int row, col;
    double v;
} entry;

typedef struct entries {
    entry *v;
    size_t n, cap;
} entries;

static int put(entries *e, int row, int col, double v)
{
    if (e->n == e->cap && !plan_grow((void **)&e->v, &e->cap, e->n + 1, sizeof *e->v))
        return 0;
    e->v[e->n++] = (entry){row, col, v};
    return 1;
}

static int add_row(plan_lpform *f, size_t *cap, double lo, double hi)
{
    size_t need = (size_t)f->rows + 1;
    if (need > *cap) {
        size_t c = *cap;
        if (!plan_grow((void **)&f->row_lo, &c, need, sizeof *f->row_lo))
            return -1;
        c = *cap;
        if (!plan_grow((void **)&f->row_hi, &c, need, sizeof *f->row_hi))
            return -1;
        *cap = c;
    }
    f->row_lo[f->rows] = lo;
    f->row_hi[f->rows] = hi;
    return f->rows++;
}

static int clique_rows(const plan_model *m, plan_lpform *f, size_t *cap, const plan_cliques *cl,
                       const int *col_of, entries *e)
{
    for (size_t i = 0; i < cl->count; i++) {
        int r = cl->resource[i], kept = 0;
        int capacity = r < m->station_count ? m->antennas[r] : 1;
        for (int k = cl->first[i]; k < cl->first[i + 1]; k++)
            kept += col_of[cl->members[k]] >= 0;
        if (kept <= capacity)
            continue; /* a clique with no more members than its capacity never binds */
        int row = add_row(f, cap, -INFINITY, capacity);
        if (row < 0)
            return 0;
        for (int k = cl->first[i]; k < cl->first[i + 1]; k++)
            if (col_of[cl->members[k]] >= 0 && !put(e, row, col_of[cl->members[k]], 1))
                return 0;
    }
    return 1;
}

/* Rows of the periods whose cap binds. */
static int period_rows(const plan_model *m, plan_lpform *f, size_t *cap, const plan_cliques *cl,
                       const int *col_of, entries *e)
{
    int *row_of = malloc(((size_t)m->period_count + 1) * sizeof *row_of);
    if (!row_of)
        return 0;
    int ok = 1;
    for (int p = 0; ok && p < m->period_count; p++) {
        row_of[p] = -1;
        if (m->periods[p].cap < m->periods[p].disjoint)
            ok = (row_of[p] = add_row(f, cap, -INFINITY, m->periods[p].cap)) >= 0;
    }
    for (size_t c = 0; ok && c < cl->n; c++) {
        int r = row_of[m->slots[cl->slot_of[c]].period];
        if (r >= 0 && col_of[c] >= 0)
            ok = put(e, r, col_of[c], 1);
    }
    free(row_of);
    return ok;
}

/* One row per state with usable demand: sum d x - e t >= 0 (stage 1 form). */
static int state_rows(const plan_model *m, plan_lpform *f, size_t *cap, const plan_cliques *cl,
                      const int *col_of, entries *e)
{
    for (int s = 0; s < m->state_count; s++) {
        f->state_row[s] = -1;
        if (!(m->states[s].usable > 0))
            continue;
        if ((f->state_row[s] = add_row(f, cap, 0, INFINITY)) < 0 ||
            !put(e, f->state_row[s], f->col_t, -m->states[s].eps))
            return 0;
    }
    for (size_t c = 0; c < cl->n; c++) {
        const plan_req *q = &m->reqs[m->slots[cl->slot_of[c]].req];
        int r = f->state_row[q->state];
        if (r >= 0 && col_of[c] >= 0 && !put(e, r, col_of[c], q->d))
            return 0;
    }
    return 1;
}

/* The entries sorted into columns (a counting sort keeps each column's rows in order). */
static int by_column(plan_lpform *f, const entries *e)
{
    size_t ncols = f->ncand + 1;
    f->col_start = calloc(ncols + 1, sizeof *f->col_start);
    f->row_index = malloc((e->n + 1) * sizeof *f->row_index);
    f->value = malloc((e->n + 1) * sizeof *f->value);
    size_t *fill = malloc((ncols + 1) * sizeof *fill);
    if (!f->col_start || !f->row_index || !f->value || !fill) {
        free(fill);
        return 0;
    }
    for (size_t i = 0; i < e->n; i++)
        f->col_start[e->v[i].col + 1]++;
    for (size_t j = 0; j < ncols; j++)
        f->col_start[j + 1] += f->col_start[j];
    memcpy(fill, f->col_start, ncols * sizeof *fill);
    for (size_t i = 0; i < e->n; i++) {
        size_t k = fill[e->v[i].col]++;
        f->row_index[k] = e->v[i].row;
        f->value[k] = e->v[i].v;
    }
    f->nz = e->n;
    free(fill);
    return 1;
}

/* Columns of the kept candidates, in order; the map both ways. */
static int columns(const plan_model *m, const int *cl_slot_of, const unsigned char *keep,
                   plan_lpform *f, int **col_of)
{
    size_t n = m->candidate_count;
    *col_of = malloc((n + 1) * sizeof **col_of);
    f->cand = malloc((n + 1) * sizeof *f->cand);
    f->slot_of = malloc((n + 1) * sizeof *f->slot_of);
    if (!*col_of || !f->cand || !f->slot_of)
        return 0;
    for (size_t c = 0; c < n; c++) {
        (*col_of)[c] = -1;
        if (!keep || keep[c]) {
            (*col_of)[c] = (int)f->ncand;
            f->slot_of[f->ncand] = cl_slot_of[c];
            f->cand[f->ncand++] = c;
        }
    }
    f->col_t = (int)f->ncand;
    return 1;
}

apsco_status plan_lpform_build(const plan_model *m, const plan_cliques *cliques,
                               const unsigned char *keep, plan_lpform *f)
{
    memset(f, 0, sizeof *f);
    f->state_row = malloc(((size_t)m->state_count + 1) * sizeof *f->state_row);
    int *col_of = NULL;
    plan_cliques own;
    const plan_cliques *cl = cliques;
    if (!cl && plan_cliques_build(m, &own) == APSCO_OK)
        cl = &own;
    int ok = f->state_row && cl && columns(m, cl->slot_of, keep, f, &col_of);
    entries e = {0};
    size_t cap = 0;
    ok = ok && clique_rows(m, f, &cap, cl, col_of, &e) && period_rows(m, f, &cap, cl, col_of, &e) &&
         state_rows(m, f, &cap, cl, col_of, &e) && by_column(f, &e);
    free(e.v);
    free(col_of);
    if (cl == &own)
        plan_cliques_free(&own);
    if (!ok) {
        plan_lpform_free(f);
        return APSCO_ERR_NOMEM;
    }
    return APSCO_OK;
}

void plan_lpform_free(plan_lpform *f)
{
    free(f->row_lo);
    free(f->row_hi);
    free(f->state_row);
    free(f->col_start);
    free(f->row_index);
    free(f->value);
    free(f->cand);
    free(f->slot_of);
    memset(f, 0, sizeof *f);
}

/*
 * The states' rows keep the form sum d x - e_s t >= lower throughout, so that
 * no column ever loses its coefficients: stage 1 has lower = 0 and t free up
 * to the largest level any state could reach (R_s / e_s at most), stage 2
 * fixes t at 0 and sets lower to the floors.
 */
void plan_lpform_stage(const plan_model *m, plan_lpform *f, int stage, const double *floors,
                       double *t_hi, double *obj)
{
    double cap = INFINITY;
    for (int s = 0; s < m->state_count; s++) {
        int r = f->state_row[s];
        if (r < 0)
            continue;
        f->row_lo[r] = stage == 1 ? 0 : floors[s] * (1 - 1e-9) - 1e-6;
        cap = fmin(cap, m->states[s].usable / m->states[s].eps);
    }
    *t_hi = stage == 1 && isfinite(cap) ? cap : 0;
    if (!obj)
        return;
    for (size_t j = 0; j < f->ncand; j++)
        obj[j] = stage == 1 ? 0 : m->reqs[m->slots[f->slot_of[j]].req].value;
    obj[f->col_t] = stage == 1 ? 1 : 0;
}
