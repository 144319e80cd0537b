/*
 * relax.h — the LP relaxation of the schedule solved by CLP (see relax.c):
 * the exact LP bounds on the fairness level and on the value, and the LP
 * solution that guides the rounding heuristic.
 */
#ifndef APSCO_PLAN_RELAX_H
#define APSCO_PLAN_RELAX_H

#include "plan/cliques.h"
#include "plan/internal.h"

typedef struct plan_relax plan_relax;

/*
 * Builds the relaxation of `m` (lpform.c), or of its candidates marked in
 * `keep` (all when NULL); `cliques` may be NULL (built here). `cpu_rate`:
 * the CPU seconds the process spends in a wall-clock second while it is
 * solved (the threads at work; CLP's time limit counts the process's CPU
 * time). NULL when out of memory.
 */
plan_relax *plan_relax_new(const plan_model *m, const plan_cliques *cliques,
                           const unsigned char *keep, double cpu_rate);
void plan_relax_free(plan_relax *r);

/*
 * Upper bound on the fairness level: the LP's largest t with every state
 * that can use anything at e_s t or more. APSCO_ERR_LIMIT when `deadline`
 * (plan_clock seconds) passed first, APSCO_ERR_VALUE when CLP failed.
 */
apsco_status plan_relax_level(plan_relax *r, double deadline, double *level_bound);

/*
 * Upper bound on the value of any schedule that gives every state at least
 * floors[s] seconds; `x` (may be NULL) receives the LP value of every
 * candidate of the relaxation (plan_candidate_offsets order; the entries of
 * candidates left out are not touched). A second call starts from the
 * basis the first one left (the dual simplex method re-optimises after the
 * floors change). Errors as plan_relax_level.
 */
apsco_status plan_relax_value(plan_relax *r, const double *floors, double deadline, double *bound,
                              double *x);

/*
 * Closes the columns of the candidates marked in `closed` (upper bound 0)
 * and opens every other one (upper bound 1), for the solves that follow.
 */
void plan_relax_close(plan_relax *r, const unsigned char *closed);

/*
 * After plan_relax_value: per state, the value the optimum loses per second
 * its floor rises (the dual of its row, >= 0; 0 for a state without one).
 */
void plan_relax_floor_prices(const plan_relax *r, double *price);

/*
 * The largest sum over the candidates of (value + price[s] * seconds) x,
 * the floors dropped and every column open (the Lagrangian function of the
 * floors at prices `price` >= 0, without its constant), from the basis the
 * last solve left (the primal simplex method: dropping floors and opening
 * columns keep it feasible). Errors as plan_relax_level.
 */
apsco_status plan_relax_priced(plan_relax *r, const double *price, double deadline, double *best);

#endif
