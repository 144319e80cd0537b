/*
 * lpform.h — the linear programme of a model in a solver-neutral form (see
 * lpform.c), loaded by GLPK for the exact MILP (lp.c) and by CLP for the
 * LP bounds (relax.c).
 */
#ifndef APSCO_PLAN_LPFORM_H
#define APSCO_PLAN_LPFORM_H

#include "plan/cliques.h"
#include "plan/internal.h"

/*
 * Columns 0 .. ncand - 1 are candidates (cand[j] is the number of column j
 * in plan_candidate_offsets order), column ncand is the level t. Rows: cliques (<= capacity),
 * binding periods (<= cap), states with usable demand (sum d x - e_s t >= lower). The matrix is
 * stored by column; unbounded sides are -/+INFINITY.
 */
typedef struct plan_lpform {
    size_t ncand;
    size_t *cand; /* candidate of each column */
    int *slot_of; /* slot of each column */
    int col_t;
    int rows;
    double *row_lo, *row_hi;
    int *state_row;    /* per state: its row, -1 when it can use nothing */
    size_t *col_start; /* column j: entries col_start[j] .. col_start[j + 1] */
    int *row_index;
    double *value;
    size_t nz;
} plan_lpform;

/*
 * The programme of the candidates marked in `keep` (all when NULL): the
 * others are left out, as are the cliques that no longer bind. `cliques`
 * (may be NULL: built here) is the conflict structure of `m`.
 */
apsco_status plan_lpform_build(const plan_model *m, const plan_cliques *cliques,
                               const unsigned char *keep, plan_lpform *f);
void plan_lpform_free(plan_lpform *f);

/*
 * The bounds and objective of a stage: stage 1 maximises t with the state
 * rows >= 0 and t in [0, t_hi]; stage 2 maximises sum priority d x with t
 * fixed at 0 and the state rows >= floors (relaxed by a part in 1e9 against
 * round-off). Writes the states' row lower sides into f->row_lo, t's upper
 * bound to *t_hi (0 in stage 2) and the objective (ncand + 1 entries) to
 * `obj` when not NULL.
 */
void plan_lpform_stage(const plan_model *m, plan_lpform *f, int stage, const double *floors,
                       double *t_hi, double *obj);

#endif
