/*
 * cliques.h — the conflict structure of a model's candidate contacts (see
 * cliques.c), shared by the LP and the Lagrangian bound.
 */
#ifndef APSCO_PLAN_CLIQUES_H
#define APSCO_PLAN_CLIQUES_H

#include "plan/internal.h"

typedef struct plan_cliques {
    size_t n;      /* candidates, numbered slot by slot, start by start */
    double *start; /* start of each candidate, s */
    int *slot_of;  /* slot of each candidate */
    size_t count;  /* maximal cliques with more members than their capacity */
    int *first;    /* clique i: members[first[i] .. first[i + 1]) */
    int *members;  /* candidate numbers */
    size_t member_count, member_cap, first_cap;
    int *resource; /* per clique: station index, or station_count + satellite */
    size_t resource_count, resource_cap;
    size_t station_cliques; /* cliques [0, station_cliques) belong to stations */
    int *station_first;     /* station j: order[station_first[j] .. station_first[j + 1]) */
    int *order;             /* candidates of each station sorted by end of occupancy */
    int *
        pred; /* per position: last position ending before it starts (station_first[j] - 1: none) */
} plan_cliques;

apsco_status plan_cliques_build(const plan_model *m, plan_cliques *cl);
void plan_cliques_free(plan_cliques *cl);

#endif
