/*
 * batch.c — the propagation side of a pass search: satellites grouped by
 * node step (their rung, see pass_track_step_s) into chunks that share one
 * time grid, each chunk propagated by the batch engine (apsco/fleet.h) in
 * one call, and the Earth rotation at the grid's instants computed once
 * for the chunk rather than once per satellite and node.
 *
 * Not for the search (search.c) nor for the threads (passes.c runs the
 * chunks in parallel, each on one thread with its own scratch).
 */
#include <stdlib.h>
#include <string.h>

#include "apsco/fleet.h"
#include "passes/internal.h"

/* Satellites per chunk: eight vectors of the widest kernel. */
#define CHUNK_SATS_MAX 64
/* Bound on one chunk's state buffer, bytes (long windows get fewer satellites per chunk). */
#define CHUNK_BYTES_MAX ((size_t)16 << 20)

void pass_plan_free(pass_plan *plan)
{
    free(plan->order);
    free(plan->chunks);
    memset(plan, 0, sizeof *plan);
}

static size_t chunk_size(size_t nodes)
{
    size_t n = CHUNK_BYTES_MAX / (nodes * (6 * sizeof(double) + 1));
    if (n > CHUNK_SATS_MAX)
        return CHUNK_SATS_MAX;
    return n ? n : 1;
}

/*
 * Orders the satellites without an init error by rung (a counting sort,
 * stable, so that each chunk keeps the caller's order) and cuts each rung
 * into chunks.
 */
apsco_status pass_plan_build(pass_plan *plan, const apsco_sat *sats, size_t sat_count,
                             double window_s)
{
    memset(plan, 0, sizeof *plan);
    size_t per_rung[PASS_STEP_RUNGS] = {0}, start[PASS_STEP_RUNGS];
    unsigned char *rung = malloc(sat_count ? sat_count : 1);
    plan->order = malloc((sat_count ? sat_count : 1) * sizeof *plan->order);
    if (!rung || !plan->order) {
        free(rung);
        pass_plan_free(plan);
        return APSCO_ERR_NOMEM;
    }
    for (size_t i = 0; i < sat_count; i++) {
        if (sats[i].init_error)
            continue;
        rung[i] = (unsigned char)pass_track_step_rung(&sats[i]);
        per_rung[rung[i]]++;
    }
    size_t chunks = 0, at = 0;
    for (int j = 0; j < PASS_STEP_RUNGS; j++) {
        start[j] = at;
        at += per_rung[j];
        if (per_rung[j]) {
            size_t nodes = pass_track_node_count(window_s, pass_track_rung_step_s(j));
            size_t size = chunk_size(nodes);
            chunks += (per_rung[j] + size - 1) / size;
        }
    }
    for (size_t i = 0; i < sat_count; i++)
        if (!sats[i].init_error)
            plan->order[start[rung[i]]++] = i;
    free(rung);
    plan->chunks = malloc((chunks ? chunks : 1) * sizeof *plan->chunks);
    if (!plan->chunks) {
        pass_plan_free(plan);
        return APSCO_ERR_NOMEM;
    }
    at = 0;
    for (int j = 0; j < PASS_STEP_RUNGS; j++) {
        if (!per_rung[j])
            continue;
        double step = pass_track_rung_step_s(j);
        size_t nodes = pass_track_node_count(window_s, step);
        size_t size = chunk_size(nodes);
        for (size_t first = 0; first < per_rung[j]; first += size) {
            pass_chunk *c = &plan->chunks[plan->chunk_count++];
            c->first = at + first;
            c->count = per_rung[j] - first < size ? per_rung[j] - first : size;
            c->step_s = step;
            c->nodes = nodes;
        }
        at += per_rung[j];
    }
    return APSCO_OK;
}

void pass_scratch_free(pass_scratch *s)
{
    free(s->sats);
    free(s->states);
    free(s->codes);
    free(s->rot);
    pass_track_free(&s->track);
    pass_light_free(&s->light);
    memset(s, 0, sizeof *s);
}

static apsco_status scratch_reserve(pass_scratch *s, size_t sats, size_t nodes)
{
    if (sats > s->sat_capacity) {
        apsco_sat *p = realloc(s->sats, sats * sizeof *p);
        if (!p)
            return APSCO_ERR_NOMEM;
        s->sats = p;
        s->sat_capacity = sats;
    }
    if (sats * nodes > s->state_capacity) {
        double *st = realloc(s->states, 6 * sats * nodes * sizeof *st);
        if (st)
            s->states = st;
        uint8_t *co = realloc(s->codes, sats * nodes);
        if (co)
            s->codes = co;
        if (!st || !co)
            return APSCO_ERR_NOMEM;
        s->state_capacity = sats * nodes;
    }
    if (nodes > s->rot_capacity) {
        apsco_earth_rotation *r = realloc(s->rot, nodes * sizeof *r);
        if (!r)
            return APSCO_ERR_NOMEM;
        s->rot = r;
        s->rot_capacity = nodes;
    }
    return APSCO_OK;
}

/*
 * Propagates the chunk's satellites over its grid (start + k step_s) on
 * the calling thread: TEME states in the satellite-major layout, and the
 * Earth rotation at each instant of the grid.
 */
apsco_status pass_chunk_propagate(pass_scratch *s, const pass_plan *plan, const pass_chunk *chunk,
                                  const apsco_sat *sats, const apsco_pass_options *opt)
{
    if (scratch_reserve(s, chunk->count, chunk->nodes) != APSCO_OK)
        return APSCO_ERR_NOMEM;
    for (size_t j = 0; j < chunk->count; j++)
        s->sats[j] = sats[plan->order[chunk->first + j]];
    apsco_times grid = apsco_times_grid(opt->start, chunk->step_s, chunk->nodes);
    for (size_t k = 0; k < chunk->nodes; k++)
        apsco_earth_rotation_at(&s->rot[k], apsco_times_at(&grid, NULL, k), opt->eop);
    apsco_fleet *fleet = NULL;
    if (apsco_fleet_new(&fleet, s->sats, chunk->count, NULL) != APSCO_OK)
        return APSCO_ERR_NOMEM;
    apsco_fleet_buffer buf = {s->states, 0, 0, 0, s->codes, 0, 0};
    apsco_fleet_buffer_layout(&buf, APSCO_LAYOUT_SAT_MAJOR, chunk->count, chunk->nodes);
    apsco_fleet_options fo = {0};
    fo.threads = 1;
    fo.frame = APSCO_FLEET_TEME;
    apsco_status st = apsco_fleet_propagate(fleet, &grid, &fo, &buf, NULL);
    apsco_fleet_free(fleet);
    return st == APSCO_OK ? APSCO_OK : APSCO_ERR_NOMEM;
}

/*
 * One satellite's track, propagated the way a search propagates it (a
 * chunk of one on the batch engine, then pass_track_from_states), for the
 * tests that check the interpolant and the bounds against SGP4.
 */
apsco_status pass_track_build(pass_track *track, const apsco_sat *sat, apsco_time start,
                              double window_s, const apsco_eop *eop)
{
    size_t only = 0;
    double step_s = pass_track_step_s(sat);
    pass_chunk chunk = {0, 1, step_s, pass_track_node_count(window_s, step_s)};
    pass_plan plan = {&only, &chunk, 1};
    apsco_pass_options opt = {0};
    opt.start = start;
    opt.eop = eop;
    pass_scratch scratch = {0};
    apsco_status st = pass_chunk_propagate(&scratch, &plan, &chunk, sat, &opt);
    if (st == APSCO_OK)
        st = pass_track_from_states(track, sat, step_s, chunk.nodes, window_s, scratch.states,
                                    scratch.codes, scratch.rot);
    pass_scratch_free(&scratch);
    return st;
}
