/*
 * fcfs.c — the first-come-first-served baseline, as open networks such as
 * SatNOGS schedule: requests are taken in the order they arrived (their
 * order in the input) and each one books the earliest contacts still free,
 * period by period, until it has what it asked for.
 *
 * It ignores entitlements and priorities on purpose: it is the yardstick
 * that shows what fairness and optimisation buy.
 */
#include <stdlib.h>

#include "plan/internal.h"

typedef struct start_ref {
    double start;
    int slot;
} start_ref;

static int cmp_start(const void *a, const void *b)
{
    const start_ref *x = a, *y = b;
    if (x->start != y->start)
        return (x->start > y->start) - (x->start < y->start);
    return x->slot - y->slot;
}

apsco_status plan_fcfs(const plan_model *m, plan_sol *sol)
{
    start_ref *v = malloc((m->candidate_count ? m->candidate_count : 1) * sizeof *v);
    if (!v)
        return APSCO_ERR_NOMEM;
    size_t i = 0;
    /* Slots are grouped by request, and requests keep the input order. */
    while (i < m->slot_count) {
        int req = m->slots[i].req;
        size_t n = 0;
        for (; i < m->slot_count && m->slots[i].req == req; i++)
            for (int k = 0; k < m->slots[i].n; k++)
                v[n++] = (start_ref){slot_start(&m->slots[i], k), (int)i};
        plan_sort(v, n, sizeof *v, cmp_start);
        for (size_t k = 0; k < n; k++) {
            if (!plan_sol_fits(sol, v[k].slot, v[k].start))
                continue;
            if (plan_sol_add(sol, v[k].slot, v[k].start) < 0) {
                free(v);
                return APSCO_ERR_NOMEM;
            }
        }
    }
    free(v);
    return APSCO_OK;
}
