/*
 * colgen.c — LP bounds by column generation (Dantzig–Wolfe pricing on the
 * candidate contacts), for instances whose full LP is too large for the
 * simplex method within the time limit but whose optimal support is small.
 *
 * The restricted LP holds the contacts of a schedule and the candidates
 * added since; GLPK solves it (warm-started each round). Its row duals price
 * every candidate: rc_c = w_c - sum over c's cliques and period of the duals
 * - d_c times its state's dual. Any duals of the right signs are feasible
 * for the dual of the full LP once each candidate gets u_c = max(0, rc_c),
 * so at every round
 *   bound = (restricted LP optimum) + sum over candidates outside it of max(0, rc_c)
 * is an upper bound on the full LP optimum (weak duality; Lübbecke &
 * Desrosiers, "Selected topics in column generation", Oper. Res. 53, 2005,
 * sec. 2.1), and it reaches the LP optimum when no candidate prices out.
 * The most profitable candidates join the restricted LP each round.
 */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "plan/cliques.h"
#include "plan/colgen.h"

typedef struct cg {
    const plan_model *m;
    plan_cliques cl;
    int *cand_first, *cand_cliques; /* cliques of each candidate (inverse of cl) */
    int *clique_row;                /* row of each clique in the LP, 0 when absent */
    int *period_row;                /* row of each binding period, 0 when it does not bind */
    int *state_row;                 /* row of each state with usable demand */
    int *col_of;                    /* column of each candidate, 0 when absent */
    int *cand_of;                   /* candidate of each column (1-based; [col_t] unused) */
    size_t ncols_cap;
    int col_t;
    int stage; /* 1: the level, 2: the value */
    const double *floors;
    double *rc;
    glp_prob *P;
    jmp_buf failed;
} cg;

static int discard(void *info, const char *text)
{
    (void)info;
    (void)text;
    return 1;
}

static void failed(void *info)
{
    longjmp(((cg *)info)->failed, 1);
}

static double weight(const cg *g, size_t c)
{
    const plan_req *q = &g->m->reqs[g->m->slots[g->cl.slot_of[c]].req];
    return g->stage == 1 ? 0 : q->value;
}

/* Inverse of the clique membership: for each candidate, the cliques it is in. */
static int invert(cg *g)
{
    size_t n = g->cl.n;
    g->cand_first = calloc(n + 2, sizeof *g->cand_first);
    g->cand_cliques = malloc((g->cl.member_count + 1) * sizeof *g->cand_cliques);
    int *fill = calloc(n + 1, sizeof *fill);
    if (!g->cand_first || !g->cand_cliques || !fill) {
        free(fill);
        return 0;
    }
    for (size_t k = 0; k < g->cl.member_count; k++)
        g->cand_first[g->cl.members[k] + 1]++;
    for (size_t c = 0; c < n; c++)
        g->cand_first[c + 1] += g->cand_first[c];
    for (size_t i = 0; i < g->cl.count; i++)
        for (int k = g->cl.first[i]; k < g->cl.first[i + 1]; k++) {
            int c = g->cl.members[k];
            g->cand_cliques[g->cand_first[c] + fill[c]++] = (int)i;
        }
    free(fill);
    return 1;
}

/* Adds candidate c as a column, creating the rows of its cliques on first use. */
static int add_column(cg *g, size_t c)
{
    const plan_model *m = g->m;
    int ind[512];
    double val[512];
    int n = 0;
    for (int k = g->cand_first[c]; k < g->cand_first[c + 1] && n < 500; k++) {
        int q = g->cand_cliques[k];
        if (!g->clique_row[q]) {
            g->clique_row[q] = glp_add_rows(g->P, 1);
            int r = g->cl.resource[q];
            glp_set_row_bnds(g->P, g->clique_row[q], GLP_UP, 0,
                             r < m->station_count ? m->antennas[r] : 1);
        }
        ind[++n] = g->clique_row[q];
        val[n] = 1;
    }
    if (g->cand_first[c + 1] - g->cand_first[c] > 500)
        return 0;
    const plan_slot *sl = &m->slots[g->cl.slot_of[c]];
    const plan_req *q = &m->reqs[sl->req];
    if (g->period_row[sl->period]) {
        ind[++n] = g->period_row[sl->period];
        val[n] = 1;
    }
    if (g->state_row[q->state]) {
        ind[++n] = g->state_row[q->state];
        val[n] = q->d;
    }
    int col = glp_add_cols(g->P, 1);
    glp_set_col_bnds(g->P, col, GLP_DB, 0, 1);
    glp_set_obj_coef(g->P, col, weight(g, c));
    glp_set_mat_col(g->P, col, n, ind, val);
    if ((size_t)col >= g->ncols_cap) {
        size_t cap = g->ncols_cap * 2 + 1024;
        int *p = realloc(g->cand_of, cap * sizeof *p);
        if (!p)
            return 0;
        g->cand_of = p;
        g->ncols_cap = cap;
    }
    g->cand_of[col] = (int)c;
    g->col_of[c] = col;
    return 1;
}

/* The restricted LP: the rows of periods and states, t, and the columns of `sol`. */
static int restricted(cg *g, const plan_sol *sol, const size_t *off)
{
    const plan_model *m = g->m;
    glp_set_obj_dir(g->P, GLP_MAX);
    for (int p = 0; p < m->period_count; p++) {
        if (m->periods[p].cap >= m->periods[p].disjoint)
            continue;
        g->period_row[p] = glp_add_rows(g->P, 1);
        glp_set_row_bnds(g->P, g->period_row[p], GLP_UP, 0, m->periods[p].cap);
    }
    double cap = INFINITY;
    for (int s = 0; s < m->state_count; s++) {
        if (!(m->states[s].usable > 0))
            continue;
        g->state_row[s] = glp_add_rows(g->P, 1);
        double lo = g->stage == 1 ? 0 : g->floors[s] * (1 - 1e-9) - 1e-6;
        glp_set_row_bnds(g->P, g->state_row[s], GLP_LO, lo, 0);
        cap = fmin(cap, m->states[s].usable / m->states[s].eps);
    }
    g->col_t = glp_add_cols(g->P, 1);
    if (g->stage == 1) {
        glp_set_col_bnds(g->P, g->col_t, GLP_DB, 0, isfinite(cap) ? cap : 0);
        glp_set_obj_coef(g->P, g->col_t, 1);
        int ind[APSCO_PLAN_STATES_MAX + 1];
        double val[APSCO_PLAN_STATES_MAX + 1];
        int n = 0;
        for (int s = 0; s < m->state_count && n < APSCO_PLAN_STATES_MAX; s++)
            if (g->state_row[s]) {
                ind[++n] = g->state_row[s];
                val[n] = -m->states[s].eps;
            }
        glp_set_mat_col(g->P, g->col_t, n, ind, val);
    } else {
        glp_set_col_bnds(g->P, g->col_t, GLP_FX, 0, 0);
    }
    for (int i = 0; sol && i < sol->n; i++) {
        if (!sol->c[i].live)
            continue;
        const plan_slot *sl = &m->slots[sol->c[i].slot];
        for (int k = 0; k < sl->n; k++)
            if (slot_start(sl, k) == sol->c[i].start &&
                !add_column(g, off[sol->c[i].slot] + (size_t)k))
                return 0;
    }
    return 1;
}

/*
 * Prices every candidate with the current duals; returns the sum of the
 * positive reduced costs of the candidates outside the restricted LP.
 */
static double price(cg *g)
{
    const plan_model *m = g->m;
    double outside = 0;
    for (size_t c = 0; c < g->cl.n; c++) {
        const plan_slot *sl = &m->slots[g->cl.slot_of[c]];
        const plan_req *q = &m->reqs[sl->req];
        double rc = weight(g, c);
        for (int k = g->cand_first[c]; k < g->cand_first[c + 1]; k++) {
            int row = g->clique_row[g->cand_cliques[k]];
            if (row)
                rc -= glp_get_row_dual(g->P, row);
        }
        if (g->period_row[sl->period])
            rc -= glp_get_row_dual(g->P, g->period_row[sl->period]);
        if (g->state_row[q->state])
            rc -= q->d * glp_get_row_dual(g->P, g->state_row[q->state]);
        g->rc[c] = rc;
        if (!g->col_of[c] && rc > 0)
            outside += rc;
    }
    return outside;
}

typedef struct ranked {
    double rc;
    size_t c;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->rc != y->rc)
        return (x->rc < y->rc) - (x->rc > y->rc);
    return (x->c > y->c) - (x->c < y->c);
}

/* Adds the `most` candidates of largest positive reduced cost. Returns how many. */
static size_t add_best(cg *g, ranked *buf, size_t most)
{
    size_t n = 0;
    for (size_t c = 0; c < g->cl.n; c++)
        if (!g->col_of[c] && g->rc[c] > 1e-9)
            buf[n++] = (ranked){g->rc[c], c};
    plan_sort(buf, n, sizeof *buf, cmp_ranked);
    if (n > most)
        n = most;
    for (size_t i = 0; i < n; i++)
        if (!add_column(g, buf[i].c))
            return 0;
    return n;
}

static int time_left_ms(double deadline)
{
    double left = deadline - plan_clock();
    return left <= 0 ? 0 : left > 2e6 ? 2000000000 : (int)(left * 1000) + 1;
}

/* Rounds of restricted solve, pricing and new columns until none prices out or time is up. */
static apsco_status rounds(cg *g, const plan_sol *sol, double deadline, double *bound)
{
    size_t *off = plan_candidate_offsets(g->m);
    ranked *buf = malloc((g->cl.n + 1) * sizeof *buf);
    if (!off || !buf || !restricted(g, sol, off)) {
        free(off);
        free(buf);
        return APSCO_ERR_NOMEM;
    }
    free(off);
    *bound = INFINITY;
    for (;;) {
        glp_smcp parm;
        glp_init_smcp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        parm.meth = GLP_PRIMAL;
        parm.tm_lim = time_left_ms(deadline);
        if (parm.tm_lim <= 0 || glp_simplex(g->P, &parm) != 0 || glp_get_status(g->P) != GLP_OPT)
            break;
        double z = glp_get_obj_val(g->P);
        double outside = price(g);
        if (z + outside < *bound)
            *bound = z + outside;
        if (outside <= 1e-6 * fmax(fabs(z), 1) || plan_clock() > deadline)
            break;
        size_t columns = (size_t)glp_get_num_cols(g->P);
        size_t added = add_best(g, buf, columns / 2 + 500);
        if (added == 0)
            break;
    }
    free(buf);
    return isfinite(*bound) ? APSCO_OK : APSCO_ERR_LIMIT;
}

static void cg_free(cg *g)
{
    plan_cliques_free(&g->cl);
    free(g->cand_first);
    free(g->cand_cliques);
    free(g->clique_row);
    free(g->period_row);
    free(g->state_row);
    free(g->col_of);
    free(g->cand_of);
    free(g->rc);
    if (g->P)
        glp_delete_prob(g->P);
}

/* GLPK's fatal errors land here (see lp.c): its environment is released and the bound fails. */
static apsco_status guarded(cg *g, const plan_sol *sol, double deadline, double *bound)
{
    if (setjmp(g->failed)) {
        glp_error_hook(NULL, NULL);
        glp_term_hook(NULL, NULL);
        glp_free_env();
        g->P = NULL;
        return APSCO_ERR_VALUE;
    }
    glp_term_hook(discard, NULL);
    glp_error_hook(failed, g);
    g->P = glp_create_prob();
    apsco_status st = rounds(g, sol, deadline, bound);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    return st;
}

static apsco_status run(const plan_model *m, const plan_sol *sol, int stage, const double *floors,
                        double deadline, double *bound)
{
    cg *g = calloc(1, sizeof *g);
    if (!g)
        return APSCO_ERR_NOMEM;
    g->m = m;
    g->stage = stage;
    g->floors = floors;
    apsco_status st = plan_cliques_build(m, &g->cl);
    if (st == APSCO_OK) {
        size_t n = g->cl.n;
        g->clique_row = calloc(g->cl.count + 1, sizeof *g->clique_row);
        g->period_row = calloc((size_t)m->period_count + 1, sizeof *g->period_row);
        g->state_row = calloc((size_t)m->state_count + 1, sizeof *g->state_row);
        g->col_of = calloc(n + 1, sizeof *g->col_of);
        g->rc = calloc(n + 1, sizeof *g->rc);
        if (!g->clique_row || !g->period_row || !g->state_row || !g->col_of || !g->rc || !invert(g))
            st = APSCO_ERR_NOMEM;
    }
    if (st == APSCO_OK)
        st = guarded(g, sol, deadline, bound);
    cg_free(g);
    free(g);
    return st;
}

apsco_status plan_cg_level(const plan_model *m, const plan_sol *sol, double deadline,
                           double *level_bound)
{
    return run(m, sol, 1, NULL, deadline, level_bound);
}

apsco_status plan_cg_value(const plan_model *m, const plan_sol *sol, const double *floors,
                           double deadline, double *bound)
{
    return run(m, sol, 2, floors, deadline, bound);
}
