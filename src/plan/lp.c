/*
 * lp.c — the linear programme of the schedule (GLPK): its relaxation gives
 * exact LP bounds, and with binary contacts it is the exact MILP.
 *
 * Formulation. x_c in {0,1} says candidate contact c is granted.
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
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cliques.h"

struct plan_lp {
    const plan_model *m;
    glp_prob *P;
    size_t ncand;   /* columns 1..ncand are the candidates */
    int col_t;      /* the level t */
    int *state_row; /* row of each state, 0 when it can use nothing */
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

/* Triplets for glp_load_matrix (1-based, index 0 unused). */
typedef struct triplets {
    int *ia, *ja;
    double *ar;
    size_t n, cap;
} triplets;

static int put(triplets *t, int row, int col, double v)
{
    if (t->n + 1 >= t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 4096;
        int *ia = realloc(t->ia, cap * sizeof *ia);
        if (ia)
            t->ia = ia;
        int *ja = realloc(t->ja, cap * sizeof *ja);
        if (ja)
            t->ja = ja;
        double *ar = realloc(t->ar, cap * sizeof *ar);
        if (ar)
            t->ar = ar;
        if (!ia || !ja || !ar)
            return 0;
        t->cap = cap;
    }
    t->n++;
    t->ia[t->n] = row;
    t->ja[t->n] = col;
    t->ar[t->n] = v;
    return 1;
}

static int clique_rows(plan_lp *lp, const plan_cliques *cl, triplets *t)
{
    const plan_model *m = lp->m;
    if (cl->count == 0)
        return 1;
    int row0 = glp_add_rows(lp->P, (int)cl->count);
    for (size_t i = 0; i < cl->count; i++) {
        int r = cl->resource[i];
        int cap = r < m->station_count ? m->antennas[r] : 1;
        glp_set_row_bnds(lp->P, row0 + (int)i, GLP_UP, 0, cap);
        for (int k = cl->first[i]; k < cl->first[i + 1]; k++)
            if (!put(t, row0 + (int)i, cl->members[k] + 1, 1))
                return 0;
    }
    return 1;
}

/* Rows of the periods whose cap binds. */
static int period_rows(plan_lp *lp, const plan_cliques *cl, triplets *t)
{
    const plan_model *m = lp->m;
    int *row_of = calloc((size_t)m->period_count + 1, sizeof *row_of);
    if (!row_of)
        return 0;
    for (int p = 0; p < m->period_count; p++) {
        if (m->periods[p].cap >= m->periods[p].disjoint)
            continue;
        row_of[p] = glp_add_rows(lp->P, 1);
        glp_set_row_bnds(lp->P, row_of[p], GLP_UP, 0, m->periods[p].cap);
    }
    int ok = 1;
    for (size_t c = 0; ok && c < cl->n; c++) {
        int r = row_of[m->slots[cl->slot_of[c]].period];
        if (r)
            ok = put(t, r, (int)c + 1, 1);
    }
    free(row_of);
    return ok;
}

/* One row per state with usable demand: sum d x - e t >= 0 (stage 1 form). */
static int state_rows(plan_lp *lp, const plan_cliques *cl, triplets *t)
{
    const plan_model *m = lp->m;
    for (int s = 0; s < m->state_count; s++) {
        if (!(m->states[s].usable > 0))
            continue;
        lp->state_row[s] = glp_add_rows(lp->P, 1);
        glp_set_row_bnds(lp->P, lp->state_row[s], GLP_LO, 0, 0);
        if (!put(t, lp->state_row[s], lp->col_t, -m->states[s].eps))
            return 0;
    }
    for (size_t c = 0; c < cl->n; c++) {
        const plan_req *q = &m->reqs[m->slots[cl->slot_of[c]].req];
        int r = lp->state_row[q->state];
        if (r && !put(t, r, (int)c + 1, q->d))
            return 0;
    }
    return 1;
}

static int build(plan_lp *lp, const plan_cliques *cl)
{
    const plan_model *m = lp->m;
    lp->state_row = calloc((size_t)m->state_count + 1, sizeof *lp->state_row);
    if (!lp->state_row)
        return 0;
    glp_set_obj_dir(lp->P, GLP_MAX);
    if (lp->ncand)
        glp_add_cols(lp->P, (int)lp->ncand);
    for (size_t c = 1; c <= lp->ncand; c++)
        glp_set_col_bnds(lp->P, (int)c, GLP_DB, 0, 1);
    lp->col_t = glp_add_cols(lp->P, 1);
    glp_set_col_bnds(lp->P, lp->col_t, GLP_LO, 0, 0);
    triplets t = {0};
    int ok = clique_rows(lp, cl, &t) && period_rows(lp, cl, &t) && state_rows(lp, cl, &t);
    if (ok && t.n)
        glp_load_matrix(lp->P, (int)t.n, t.ia, t.ja, t.ar);
    free(t.ia);
    free(t.ja);
    free(t.ar);
    return ok;
}

static int build_guarded(plan_lp *lp, const plan_cliques *cl)
{
    if (setjmp(lp->failed)) {
        recover(lp);
        return 0;
    }
    guard_on(lp);
    lp->P = glp_create_prob();
    int ok = build(lp, cl);
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
    plan_cliques cl;
    if (plan_cliques_build(m, &cl) != APSCO_OK) {
        free(lp);
        return NULL;
    }
    int ok = build_guarded(lp, &cl);
    plan_cliques_free(&cl);
    if (!ok) {
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
    free(lp->state_row);
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

static void set_objective(plan_lp *lp, int stage)
{
    const plan_model *m = lp->m;
    size_t c = 1;
    for (size_t s = 0; s < m->slot_count; s++) {
        double w = stage == 1 ? 0 : m->reqs[m->slots[s].req].value;
        for (int k = 0; k < m->slots[s].n; k++)
            glp_set_obj_coef(lp->P, (int)c++, w);
    }
    glp_set_obj_coef(lp->P, lp->col_t, stage == 1 ? 1 : 0);
}

/*
 * The states' rows keep the form sum d x - e_s t >= lower throughout, so that
 * no column ever loses its coefficients: stage 1 has lower = 0 and t free up
 * to the largest level any state could reach (R_s / e_s at most), stage 2
 * fixes t at 0 and sets lower to the floors.
 */
static void set_level_rows(plan_lp *lp)
{
    const plan_model *m = lp->m;
    double cap = INFINITY;
    for (int s = 0; s < m->state_count; s++) {
        if (!lp->state_row[s])
            continue;
        glp_set_row_bnds(lp->P, lp->state_row[s], GLP_LO, 0, 0);
        cap = fmin(cap, m->states[s].usable / m->states[s].eps);
    }
    glp_set_col_bnds(lp->P, lp->col_t, GLP_DB, 0, isfinite(cap) ? cap : 0);
}

static apsco_status lp_level(plan_lp *lp, double deadline, double *level_bound)
{
    set_objective(lp, 1);
    set_level_rows(lp);
    apsco_status st = simplex(lp, deadline);
    if (st == APSCO_OK)
        *level_bound = glp_get_col_prim(lp->P, lp->col_t);
    return st;
}

/* Stage 2 rows: sum d x >= floors[s], relaxed by a part in 1e9 against round-off. */
static void set_floors(plan_lp *lp, const double *floors)
{
    const plan_model *m = lp->m;
    for (int s = 0; s < m->state_count; s++) {
        if (!lp->state_row[s])
            continue;
        glp_set_row_bnds(lp->P, lp->state_row[s], GLP_LO, floors[s] * (1 - 1e-9) - 1e-6, 0);
    }
    glp_set_col_bnds(lp->P, lp->col_t, GLP_FX, 0, 0);
}

static apsco_status lp_value(plan_lp *lp, const double *floors, double deadline, double *bound,
                             double *x)
{
    set_floors(lp, floors);
    set_objective(lp, 2);
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
    set_objective(lp, 1);
    set_level_rows(lp);
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
    set_floors(lp, floors);
    set_objective(lp, 2);
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
