/*
 * relax.c — the schedule's LP relaxation (lpform.c) solved by COIN-OR CLP
 * through its C interface: the exact LP bounds of both stages and the LP
 * solution the rounding heuristic starts from.
 *
 * Why CLP and not GLPK (which still solves the exact MILP, lp.c): on the
 * value stage of a week of the members' network (27 250 rows, 71 902
 * columns, 591 000 non-zeros) CLP's dual simplex reaches the optimum in
 * about 4 s, its primal simplex in 26 s and its barrier in 10 s, where
 * GLPK's primal simplex needs 400 s and its dual and interior-point methods
 * did not finish in 90 s. The dual simplex method also re-optimises at once
 * after the floors change (Bixby, "Solving real-world linear programs: a
 * decade and more of progress", Oper. Res. 50, 2002: the dual method's
 * advantage on such programmes and after changes of bounds).
 *
 * CLP's time limit counts the CPU time of the whole process: while another
 * thread searches, it runs out twice as fast as the wall clock, so the
 * limit given is the wall-clock time left times the CPU seconds the process
 * spends in a second (the caller's estimate: the threads at work, fewer on
 * a machine that other work keeps busy).
 */
#include <Clp_C_Interface.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan/lpform.h"
#include "plan/relax.h"

struct plan_relax {
    const plan_model *m;
    plan_lpform f;
    double *obj;
    Clp_Simplex *clp;
    double cpu_rate; /* CPU seconds the process spends a second while CLP runs */
};

/* CLP's infinity is the largest double. */
static double clp_side(double v)
{
    return isinf(v) ? (v > 0 ? DBL_MAX : -DBL_MAX) : v;
}

static int load(plan_relax *r)
{
    plan_lpform *f = &r->f;
    size_t ncols = f->ncand + 1;
    double *collb = calloc(ncols, sizeof *collb), *colub = malloc(ncols * sizeof *colub);
    double *rowlb = malloc(((size_t)f->rows + 1) * sizeof *rowlb);
    double *rowub = malloc(((size_t)f->rows + 1) * sizeof *rowub);
    CoinBigIndex *start = malloc((ncols + 1) * sizeof *start);
    int ok = collb && colub && rowlb && rowub && start && f->nz < (size_t)INT_MAX;
    for (size_t j = 0; ok && j < ncols; j++)
        colub[j] = 1;
    for (int i = 0; ok && i < f->rows; i++) {
        rowlb[i] = clp_side(f->row_lo[i]);
        rowub[i] = clp_side(f->row_hi[i]);
    }
    for (size_t j = 0; ok && j <= ncols; j++)
        start[j] = (CoinBigIndex)f->col_start[j];
    if (ok) {
        Clp_loadProblem(r->clp, (int)ncols, f->rows, start, f->row_index, f->value, collb, colub,
                        NULL, rowlb, rowub);
        Clp_setOptimizationDirection(r->clp, -1);
    }
    free(collb);
    free(colub);
    free(rowlb);
    free(rowub);
    free(start);
    return ok;
}

plan_relax *plan_relax_new(const plan_model *m, const plan_cliques *cliques,
                           const unsigned char *keep, double cpu_rate)
{
    plan_relax *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->m = m;
    r->cpu_rate = cpu_rate > 0.5 ? cpu_rate : 0.5;
    r->obj = malloc((m->candidate_count + 1) * sizeof *r->obj);
    if (!r->obj || plan_lpform_build(m, cliques, keep, &r->f) != APSCO_OK) {
        free(r->obj);
        free(r);
        return NULL;
    }
    r->clp = Clp_newModel();
    if (!r->clp) {
        plan_relax_free(r);
        return NULL;
    }
    /* Quiet: the library never prints. */
    Clp_setLogLevel(r->clp, 0);
    /*
     * Perturbation from the start: these LPs are highly degenerate (many
     * contacts of equal value per second). On the value stage of a week of
     * the members' network the dual simplex method without it (CLP's
     * default here) took 104 000 iterations and 31 s; with CLP's automatic
     * choice (50) 37 700 and 6.4 s; perturbed from the start (0) 33 700 and
     * 4.8 s, and 20-30 % less time than with 50 on the day LPs.
     */
    Clp_setPerturbation(r->clp, 0);
    if (!load(r)) {
        plan_relax_free(r);
        return NULL;
    }
    return r;
}

void plan_relax_free(plan_relax *r)
{
    if (!r)
        return;
    if (r->clp)
        Clp_deleteModel(r->clp);
    plan_lpform_free(&r->f);
    free(r->obj);
    free(r);
}

/* Sets the bounds and objective of `stage` (plan_lpform_stage) in CLP. */
static void set_stage(plan_relax *r, int stage, const double *floors)
{
    const plan_model *m = r->m;
    double t_hi;
    plan_lpform_stage(m, &r->f, stage, floors, &t_hi, r->obj);
    double *rowlb = Clp_rowLower(r->clp), *collb = Clp_columnLower(r->clp);
    double *colub = Clp_columnUpper(r->clp), *obj = Clp_objective(r->clp);
    for (int s = 0; s < m->state_count; s++)
        if (r->f.state_row[s] >= 0)
            rowlb[r->f.state_row[s]] = clp_side(r->f.row_lo[r->f.state_row[s]]);
    collb[r->f.col_t] = 0;
    colub[r->f.col_t] = t_hi;
    memcpy(obj, r->obj, (r->f.ncand + 1) * sizeof *obj);
}

/*
 * Runs the dual simplex method until optimal or the deadline, from the
 * slack basis the first time (CLP's presolve removes 1 % of the rows here
 * and costs more than it saves) and from the basis of the previous solve
 * afterwards.
 */
static apsco_status simplex(plan_relax *r, double deadline)
{
    double left = deadline - plan_clock();
    if (!(left > 0))
        return APSCO_ERR_LIMIT;
    Clp_setMaximumSeconds(r->clp, left * r->cpu_rate);
    Clp_dual(r->clp, 0);
    if (Clp_isProvenOptimal(r->clp))
        return APSCO_OK;
    /* Status 3: stopped by the limit. */
    return Clp_status(r->clp) == 3 ? APSCO_ERR_LIMIT : APSCO_ERR_VALUE;
}

apsco_status plan_relax_level(plan_relax *r, double deadline, double *level_bound)
{
    set_stage(r, 1, NULL);
    apsco_status st = simplex(r, deadline);
    if (st == APSCO_OK)
        *level_bound = Clp_getColSolution(r->clp)[r->f.col_t];
    return st;
}

apsco_status plan_relax_value(plan_relax *r, const double *floors, double deadline, double *bound,
                              double *x)
{
    set_stage(r, 2, floors);
    apsco_status st = simplex(r, deadline);
    if (st != APSCO_OK)
        return st;
    *bound = Clp_getObjValue(r->clp);
    const double *col = Clp_getColSolution(r->clp);
    for (size_t j = 0; x && j < r->f.ncand; j++)
        x[r->f.cand[j]] = col[j];
    return APSCO_OK;
}

void plan_relax_close(plan_relax *r, const unsigned char *closed)
{
    double *colub = Clp_columnUpper(r->clp);
    for (size_t j = 0; j < r->f.ncand; j++)
        colub[j] = closed && closed[r->f.cand[j]] ? 0 : 1;
}

void plan_relax_floor_prices(const plan_relax *r, double *price)
{
    const double *dual = Clp_getRowPrice(r->clp);
    for (int s = 0; s < r->m->state_count; s++) {
        int row = r->f.state_row[s];
        /* A maximisation: CLP's dual of a binding lower side is negative. */
        price[s] = row >= 0 ? fmax(0, -dual[row]) : 0;
    }
}

apsco_status plan_relax_priced(plan_relax *r, const double *price, double deadline, double *best)
{
    const plan_model *m = r->m;
    plan_lpform *f = &r->f;
    double *rowlb = Clp_rowLower(r->clp), *obj = Clp_objective(r->clp);
    for (int s = 0; s < m->state_count; s++)
        if (f->state_row[s] >= 0)
            rowlb[f->state_row[s]] = -DBL_MAX;
    plan_relax_close(r, NULL);
    for (size_t j = 0; j < f->ncand; j++) {
        const plan_req *q = &m->reqs[m->slots[f->slot_of[j]].req];
        obj[j] = q->value + price[q->state] * q->d;
    }
    obj[f->col_t] = 0;
    double left = deadline - plan_clock();
    if (!(left > 0))
        return APSCO_ERR_LIMIT;
    Clp_setMaximumSeconds(r->clp, left * r->cpu_rate);
    Clp_primal(r->clp, 0);
    if (!Clp_isProvenOptimal(r->clp))
        return Clp_status(r->clp) == 3 ? APSCO_ERR_LIMIT : APSCO_ERR_VALUE;
    *best = Clp_getObjValue(r->clp);
    return APSCO_OK;
}
