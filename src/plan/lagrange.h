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
 * target of the step length). Improves until `deadline` or convergence.
 */
apsco_status plan_lag_value(plan_lag *L, const double *floors, double lower, double deadline,
                            double *bound);

#endif
