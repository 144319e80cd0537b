/*
 * pooling.c — what pooling the ground stations gives each member state: of
 * its satellites' passes over the whole pooled network, how many (and how
 * much contact time) fall on other members' stations.
 *
 * This only counts passes already found (apsco_passes_find); it neither
 * propagates nor schedules.
 */
#include <string.h>

#include "apsco/passes.h"

/* The entry of `shares` for `state`, or NULL. */
static apsco_pooling_share *share_of(apsco_pooling_share *shares, size_t count, const char *state)
{
    for (size_t i = 0; i < count; i++)
        if (!strcmp(shares[i].state, state))
            return &shares[i];
    return NULL;
}

apsco_status apsco_pooling_count(const apsco_pass_list *list, const char *const *sat_state,
                                 const apsco_station_list *stations, apsco_pooling_share *shares,
                                 size_t share_count, apsco_error *err)
{
    if (!list || (list->count && (!sat_state || !stations)) || (share_count && !shares))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "missing passes, states or shares");
    for (size_t i = 0; i < share_count; i++) {
        shares[i].passes = shares[i].passes_other = 0;
        shares[i].contact_s = shares[i].contact_other_s = 0.0;
    }
    for (size_t k = 0; k < list->count; k++) {
        const apsco_pass *p = &list->items[k];
        if (p->site >= stations->count)
            return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "pass %zu: no station %zu", k,
                                   p->site);
        apsco_pooling_share *s = share_of(shares, share_count, sat_state[p->sat]);
        if (!s)
            continue;
        double duration_s = p->los_s - p->aos_s;
        s->passes++;
        s->contact_s += duration_s;
        if (strcmp(stations->items[p->site].state, s->state) != 0) {
            s->passes_other++;
            s->contact_other_s += duration_s;
        }
    }
    return APSCO_OK;
}
