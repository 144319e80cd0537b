/*
 * lagrange.h — Lagrangian upper bounds on the LP relaxation (see lagrange.c).
 */
#ifndef APSCO_PLAN_LAGRANGE_H
#define APSCO_PLAN_LAGRANGE_H

#include "plan/internal.h"

typedef struct plan_lag plan_lag;

/* NULL when out of memory. */
plan_lag *plan_lag_new(const plan_model *m);
void plan_lag_free(plan_lag *L);

/*
 * Upper bound on the value of any schedule that gives every state s at
 * least floors[s] seconds. `lower` is the value of a known schedule (the
 * target of the step length). Improves until `deadline`, convergence, or
 * `*stop` turning non-zero (another thread's signal; `stop` may be NULL);
 * the first iteration runs whatever the time, so that a bound is found.
 * With `warm` the prices of the previous call are the starting point (any
 * prices give a valid bound, so a run with other floors is a good start),
 * otherwise they start at zero.
 */
apsco_status plan_lag_value(plan_lag *L, const double *floors, double lower, double deadline,
                            const int *stop, int warm, double *bound);

#endif
