/*
 * lp.c — the schedule's linear programme (lpform.c) in GLPK: with binary
 * contacts it is the exact MILP of small instances (branch and bound), and
 * its relaxation by GLPK's simplex method is the reference the CLP bounds
 * (relax.c) are tested against. Bounds of larger instances come from CLP.
 */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "plan/lpform.h"

struct plan_lp {
    const plan_model *m;
    glp_prob *P;
    size_t ncand;   /* columns 1..ncand are the candidates */
    int col_t;      /* the level t (GLPK's number) */
    plan_lpform f;  /* the programme; its row_lo follows the stage */
    double *obj;    /* objective of the stage, per column of f */
    jmp_buf failed; /* where GLPK's fatal errors land (see guarded) */
};

/*
 * GLPK stops the process on an internal error or when memory runs out, and
 * prints to stdout. The library does neither: while it works in GLPK its
 * terminal output is discarded and a fatal error jumps back here, where the
 * GLPK environment of the thread is released (as glp_error_hook requires)
 * and the call fails with APSCO_ERR_VALUE.
 */
static int discard(void *info, const char *text)
{
    (void)info;
    (void)text;
    return 1;
}

static void glpk_failed(void *info)
{
    plan_lp *lp = info;
    longjmp(lp->failed, 1);
}

static void guard_on(plan_lp *lp)
{
    glp_term_hook(discard, NULL);
    glp_error_hook(glpk_failed, lp);
}

static void guard_off(void)
{
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
}

static apsco_status recover(plan_lp *lp)
{
    guard_off();
    glp_free_env();
    lp->P = NULL;
    return APSCO_ERR_VALUE;
}

/* GLPK's bounds type for the sides lo and hi (either may be infinite). */
static int bounds_type(double lo, double hi)
{
    if (isinf(lo))
        return isinf(hi) ? GLP_FR : GLP_UP;
    if (isinf(hi))
        return GLP_LO;
    return lo == hi ? GLP_FX : GLP_DB;
}

static void set_row(plan_lp *lp, int r)
{
    double lo = lp->f.row_lo[r], hi = lp->f.row_hi[r];
    glp_set_row_bnds(lp->P, r + 1, bounds_type(lo, hi), isinf(lo) ? 0 : lo, isinf(hi) ? 0 : hi);
}

/* Loads the form: GLPK numbers rows and columns from 1 and takes triplets. */
static int build(plan_lp *lp)
{
    const plan_lpform *f = &lp->f;
    glp_set_obj_dir(lp->P, GLP_MAX);
    glp_add_cols(lp->P, (int)f->ncand + 1);
    for (size_t c = 1; c <= f->ncand; c++)
        glp_set_col_bnds(lp->P, (int)c, GLP_DB, 0, 1);
    lp->col_t = f->col_t + 1;
    glp_set_col_bnds(lp->P, lp->col_t, GLP_LO, 0, 0);
    if (f->rows)
        glp_add_rows(lp->P, f->rows);
    for (int r = 0; r < f->rows; r++)
        set_row(lp, r);
    int *ia = malloc((f->nz + 1) * sizeof *ia), *ja = malloc((f->nz + 1) * sizeof *ja);
    double *ar = malloc((f->nz + 1) * sizeof *ar);
    int ok = ia && ja && ar;
    for (size_t j = 0; ok && j <= f->ncand; j++)
        for (size_t k = f->col_start[j]; k < f->col_start[j + 1]; k++) {
            ia[k + 1] = f->row_index[k] + 1;
            ja[k + 1] = (int)j + 1;
            ar[k + 1] = f->value[k];
        }
    if (ok && f->nz)
        glp_load_matrix(lp->P, (int)f->nz, ia, ja, ar);
    free(ia);
    free(ja);
    free(ar);
    return ok;
}

static int build_guarded(plan_lp *lp)
{
    if (setjmp(lp->failed)) {
        recover(lp);
        return 0;
    }
    guard_on(lp);
    lp->P = glp_create_prob();
    int ok = build(lp);
    guard_off();
    return ok;
}

plan_lp *plan_lp_new(const plan_model *m)
{
    plan_lp *lp = calloc(1, sizeof *lp);
    if (!lp)
        return NULL;
    lp->m = m;
    lp->ncand = m->candidate_count;
    lp->obj = malloc((lp->ncand + 1) * sizeof *lp->obj);
    if (!lp->obj || plan_lpform_build(m, NULL, NULL, &lp->f) != APSCO_OK) {
        free(lp->obj);
        free(lp);
        return NULL;
    }
    if (!build_guarded(lp)) {
        plan_lp_free(lp);
        return NULL;
    }
    return lp;
}

void plan_lp_free(plan_lp *lp)
{
    if (!lp)
        return;
    if (lp->P)
        glp_delete_prob(lp->P);
    plan_lpform_free(&lp->f);
    free(lp->obj);
    free(lp);
}

static int time_left_ms(double deadline)
{
    double left = deadline - plan_clock();
    if (left <= 0)
        return 0;
    return left > 2e6 ? 2000000000 : (int)(left * 1000) + 1;
}

/*
 * Runs the simplex method; APSCO_OK when an optimum was found. The primal
 * method is much the faster on these programmes (1.7 s against 90 s for the
 * dual one on a day of the benchmark instance).
 */
static apsco_status simplex(plan_lp *lp, double deadline)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.meth = GLP_PRIMAL;
    parm.tm_lim = time_left_ms(deadline);
    if (parm.tm_lim <= 0)
        return APSCO_ERR_LIMIT;
    int rc = glp_simplex(lp->P, &parm);
    if (rc != 0 && rc != GLP_ETMLIM) {
        /* A numerical failure: start again from the standard basis once. */
        glp_std_basis(lp->P);
        parm.tm_lim = time_left_ms(deadline);
        rc = parm.tm_lim > 0 ? glp_simplex(lp->P, &parm) : GLP_ETMLIM;
    }
    if (rc == GLP_ETMLIM)
        return APSCO_ERR_LIMIT;
    if (rc != 0 || glp_get_status(lp->P) != GLP_OPT)
        return APSCO_ERR_VALUE;
    return APSCO_OK;
}

/* Bounds and objective of stage 1 (the level) or 2 (the value above `floors`). */
static void set_stage(plan_lp *lp, int stage, const double *floors)
{
    const plan_model *m = lp->m;
    double t_hi, *obj = lp->obj;
    plan_lpform_stage(m, &lp->f, stage, floors, &t_hi, obj);
    for (int s = 0; s < m->state_count; s++)
        if (lp->f.state_row[s] >= 0)
            set_row(lp, lp->f.state_row[s]);
    glp_set_col_bnds(lp->P, lp->col_t, t_hi > 0 ? GLP_DB : GLP_FX, 0, t_hi);
    for (size_t c = 0; c <= lp->ncand; c++)
        glp_set_obj_coef(lp->P, (int)c + 1, obj[c]);
}

static apsco_status lp_level(plan_lp *lp, double deadline, double *level_bound)
{
    set_stage(lp, 1, NULL);
    apsco_status st = simplex(lp, deadline);
    if (st == APSCO_OK)
        *level_bound = glp_get_col_prim(lp->P, lp->col_t);
    return st;
}

static apsco_status lp_value(plan_lp *lp, const double *floors, double deadline, double *bound,
                             double *x)
{
    set_stage(lp, 2, floors);
    apsco_status st = simplex(lp, deadline);
    if (st != APSCO_OK)
        return st;
    *bound = glp_get_obj_val(lp->P);
    for (size_t c = 0; x && c < lp->ncand; c++)
        x[c] = glp_get_col_prim(lp->P, (int)c + 1);
    return APSCO_OK;
}

apsco_status plan_lp_level(plan_lp *lp, double deadline, double *level_bound)
{
    if (!lp->P)
        return APSCO_ERR_VALUE;
    if (setjmp(lp->failed))
        return recover(lp);
    guard_on(lp);
    apsco_status st = lp_level(lp, deadline, level_bound);
    guard_off();
    return st;
}

apsco_status plan_lp_value(plan_lp *lp, const double *floors, double deadline, double *bound,
                           double *x)
{
    if (!lp->P)
        return APSCO_ERR_VALUE;
    if (setjmp(lp->failed))
        return recover(lp);
    guard_on(lp);
    apsco_status st = lp_value(lp, floors, deadline, bound, x);
    guard_off();
    return st;
}

/* ---------------------------------------------------------------- MILP */

typedef struct milp_ctx {
    const double *start; /* 1-based column values of a feasible solution, or NULL */
    int given;
    double bound; /* best bound of the open nodes, last seen */
} milp_ctx;

static void callback(glp_tree *tree, void *info)
{
    milp_ctx *ctx = info;
    if (glp_ios_reason(tree) == GLP_IHEUR && ctx->start && !ctx->given) {
        glp_ios_heur_sol(tree, ctx->start);
        ctx->given = 1;
    }
    int best = glp_ios_best_node(tree);
    if (best)
        ctx->bound = glp_ios_node_bound(tree, best);
}

/* Column values of `sol`: the contacts and t. */
static double *columns_of(plan_lp *lp, const plan_sol *sol, double t)
{
    const plan_model *m = lp->m;
    int ncols = glp_get_num_cols(lp->P);
    double *v = calloc((size_t)ncols + 1, sizeof *v);
    size_t *off = plan_candidate_offsets(m);
    if (!v || !off) {
        free(v);
        free(off);
        return NULL;
    }
    for (int i = 0; i < sol->n; i++) {
        if (!sol->c[i].live)
            continue;
        const plan_slot *sl = &m->slots[sol->c[i].slot];
        for (int k = 0; k < sl->n; k++)
            if (slot_start(sl, k) == sol->c[i].start)
                v[off[sol->c[i].slot] + (size_t)k + 1] = 1;
    }
    v[lp->col_t] = t;
    free(off);
    return v;
}

/* Branch and bound on the current objective; the best integer solution goes to `sol`. */
static apsco_status branch_and_bound(plan_lp *lp, const double *start, double deadline,
                                     plan_sol *sol, int *proven, double *bound)
{
    const plan_model *m = lp->m;
    milp_ctx ctx = {start, 0, NAN};
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    parm.cb_func = callback;
    parm.cb_info = &ctx;
    parm.mip_gap = 1e-7;
    parm.tm_lim = time_left_ms(deadline);
    int rc = parm.tm_lim > 0 ? glp_intopt(lp->P, &parm) : GLP_ETMLIM;
    int status = glp_mip_status(lp->P);
    *proven = rc == 0 && status == GLP_OPT;
    if (status != GLP_OPT && status != GLP_FEAS)
        return rc == GLP_ETMLIM || rc == 0 ? APSCO_ERR_LIMIT : APSCO_ERR_VALUE;
    *bound = *proven ? glp_mip_obj_val(lp->P) : ctx.bound;
    plan_sol_clear(sol);
    size_t c = 1;
    for (size_t s = 0; s < m->slot_count; s++)
        for (int k = 0; k < m->slots[s].n; k++, c++)
            if (glp_mip_col_val(lp->P, (int)c) > 0.5 &&
                plan_sol_add(sol, (int)s, slot_start(&m->slots[s], k)) < 0)
                return APSCO_ERR_NOMEM;
    return APSCO_OK;
}

/*
 * Stage 1 as a MILP: the largest t with every state at e_s t or more.
 * `start` is the first incumbent.
 */
static apsco_status milp_level(plan_lp *lp, const plan_sol *start, double deadline, plan_sol *sol,
                               int *proven, double *t_bound)
{
    set_stage(lp, 1, NULL);
    apsco_status st = simplex(lp, deadline);
    double *given = NULL;
    if (st == APSCO_OK && start) {
        given = columns_of(lp, start, plan_sol_level(start));
        if (!given)
            st = APSCO_ERR_NOMEM;
    }
    if (st == APSCO_OK)
        st = branch_and_bound(lp, given, deadline, sol, proven, t_bound);
    free(given);
    return st;
}

/* Stage 2 as a MILP with the fair floors. */
static apsco_status milp_value(plan_lp *lp, const double *floors, const plan_sol *start,
                               double deadline, plan_sol *sol, int *proven, double *bound)
{
    set_stage(lp, 2, floors);
    apsco_status st = simplex(lp, deadline);
    double *given = NULL;
    if (st == APSCO_OK && start) {
        given = columns_of(lp, start, 0);
        if (!given)
            st = APSCO_ERR_NOMEM;
    }
    if (st == APSCO_OK)
        st = branch_and_bound(lp, given, deadline, sol, proven, bound);
    free(given);
    return st;
}

/* Both stages on `lp` (see plan_milp); `best` holds the start and then the stage-1 schedule. */
static apsco_status milp_run(plan_lp *lp, const plan_sol *start, plan_sol *best, double deadline,
                             plan_sol *sol, double *fair, int *optimal, double *level_bound,
                             double *value_bound)
{
    double lb = NAN;
    apsco_status st = lp_level(lp, deadline, &lb);
    if (st != APSCO_OK)
        return st;
    *level_bound = lb;
    for (size_t c = 1; c <= lp->ncand; c++)
        glp_set_col_kind(lp->P, (int)c, GLP_BV);
    if (start && (st = plan_sol_copy(best, start)) != APSCO_OK)
        return st;
    /*
     * Stage 1: the start (the heuristic's leximin schedule) is optimal when
     * its level meets the LP bound; otherwise branch and bound looks for a
     * higher level with up to half the time left.
     */
    int proven1 = plan_sol_level(best) >= lb * (1 - 1e-9);
    if (!proven1) {
        double tb = NAN;
        st = milp_level(lp, start ? best : NULL, plan_clock() + 0.5 * (deadline - plan_clock()),
                        sol, &proven1, &tb);
        if (st == APSCO_OK && plan_sol_level(sol) > plan_sol_level(best))
            st = plan_sol_copy(best, sol);
        else if (st == APSCO_ERR_LIMIT)
            st = APSCO_OK;
        if (st != APSCO_OK)
            return st;
        if (isfinite(tb))
            *level_bound = fmin(*level_bound, fmax(tb, plan_sol_level(best)));
    }
    /* Stage 2: the value above the fair floors of the stage-1 schedule. */
    int proven2 = 0;
    plan_fair_floors(best, fair);
    st = milp_value(lp, fair, best, deadline, sol, &proven2, value_bound);
    if (st == APSCO_ERR_LIMIT || (st == APSCO_OK && sol->value < best->value)) {
        st = plan_sol_copy(sol, best);
        proven2 = 0;
    }
    *optimal = st == APSCO_OK && proven1 && proven2;
    return st;
}

static apsco_status milp_guarded(plan_lp *lp, const plan_sol *start, plan_sol *best,
                                 double deadline, plan_sol *sol, double *fair, int *optimal,
                                 double *level_bound, double *value_bound)
{
    if (setjmp(lp->failed))
        return recover(lp);
    guard_on(lp);
    apsco_status st =
        milp_run(lp, start, best, deadline, sol, fair, optimal, level_bound, value_bound);
    guard_off();
    return st;
}

apsco_status plan_milp(const plan_model *m, const plan_sol *start, double deadline, plan_sol *sol,
                       double *fair, int *optimal, double *level_bound, double *value_bound)
{
    *optimal = 0;
    *level_bound = NAN;
    *value_bound = NAN;
    plan_lp *lp = plan_lp_new(m);
    plan_sol *best = malloc(sizeof *best);
    if (!lp || !best || plan_sol_init(best, m) != APSCO_OK) {
        plan_lp_free(lp);
        free(best);
        return APSCO_ERR_NOMEM;
    }
    apsco_status st =
        milp_guarded(lp, start, best, deadline, sol, fair, optimal, level_bound, value_bound);
    plan_sol_free(best);
    free(best);
    plan_lp_free(lp);
    return st;
}
