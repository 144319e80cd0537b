/*
 * colgen.h — LP bounds by column generation (see colgen.c).
 */
#ifndef APSCO_PLAN_COLGEN_H
#define APSCO_PLAN_COLGEN_H

#include "plan/internal.h"

/*
 * Upper bound on the fairness level, starting the restricted LP from the
 * contacts of `sol` (NULL: from none). APSCO_ERR_LIMIT when not even the
 * first round fits in the time.
 */
apsco_status plan_cg_level(const plan_model *m, const plan_sol *sol, double deadline,
                           double *level_bound);

/*
 * Upper bound on the value of any schedule that keeps every state at or
 * above floors[s] seconds; `sol` must keep them (it starts the restricted LP).
 */
apsco_status plan_cg_value(const plan_model *m, const plan_sol *sol, const double *floors,
                           double deadline, double *bound);

#endif
