/*
 * pooling.c — the members' view of the pooled network: every member's
 * stations together, and each member's own fleet, ready for pass
 * prediction (the store side of `make demo`).
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

static apsco_status fill_member(apsco_store *store, const apsco_state_record *state,
                                apsco_member_fleet *m, apsco_error *err)
{
    memset(m, 0, sizeof *m);
    memcpy(m->state, state->code, sizeof m->state);
    store_copy(m->name, sizeof m->name, state->name);
    apsco_selection sel = {.state = state->code};
    apsco_status st = apsco_store_select_catalog(store, &sel, &m->catalog, err);
    /* A member without satellites still shares its stations. */
    return st == APSCO_ERR_EMPTY ? APSCO_OK : st;
}

apsco_status apsco_store_pooling(apsco_store *store, apsco_pooling *out, apsco_error *err)
{
    memset(out, 0, sizeof *out);
    apsco_state_record *states = NULL;
    size_t n = 0;
    apsco_status st = apsco_store_get_states(store, APSCO_STATUS_MEMBER, &states, &n, err);
    if (st == APSCO_OK && n > 0 && !(out->members = calloc(n, sizeof *out->members)))
        st = apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; st == APSCO_OK && i < n; i++) {
        st = fill_member(store, &states[i], &out->members[i], err);
        out->member_count = i + 1;
    }
    apsco_selection members = {.status = "member"};
    if (st == APSCO_OK)
        st = apsco_store_select_stations(store, &members, &out->stations, err);
    free(states);
    if (st != APSCO_OK)
        apsco_pooling_free(out);
    return st;
}

void apsco_pooling_free(apsco_pooling *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->member_count; i++)
        apsco_catalog_free(&p->members[i].catalog);
    free(p->members);
    apsco_station_list_free(&p->stations);
    memset(p, 0, sizeof *p);
}
