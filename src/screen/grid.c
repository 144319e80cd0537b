/*
 * grid.c — states of the screened objects on the coarse SGP4 grid, one time
 * block at a time, in the TIME_PLANES layout of the batch engine (per
 * instant: x of every object, then y, z, vx, vy, vz), so that the sieve reads
 * one coordinate of all objects as a contiguous array.
 *
 * This is the one place that propagates the grid: the batch engine
 * (apsco/fleet.h) over the compacted objects, whose states are those of the
 * scalar SGP4 within 1 mm and 1 um/s (SCREEN_SLACK_KM covers that in every
 * distance test). Not for: refinement (refine.c calls apsco_sgp4 itself).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "apsco/fleet.h"
#include "apsco/orbit.h"
#include "screen/internal.h"

double screen_tsince_min(const screen_ctx *c, size_t i, double t_s)
{
    return c->tsince0_min[i] + t_s / 60.0;
}

apsco_status screen_fleet_build(const apsco_sat *sats, const uint32_t *map, size_t np,
                                apsco_fleet **fleet, apsco_error *err)
{
    apsco_sat *sub = malloc((np ? np : 1) * sizeof *sub);
    if (!sub)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t p = 0; p < np; p++)
        sub[p] = sats[map[p]];
    apsco_status rc = apsco_fleet_new(fleet, sub, np, err);
    free(sub);
    return rc;
}

apsco_status screen_fleet_fill(const apsco_fleet *fleet, apsco_time first, double step_s,
                               size_t instants, int threads, double *state, uint8_t *code,
                               apsco_error *err)
{
    size_t n = apsco_fleet_count(fleet);
    apsco_times times = apsco_times_grid(first, step_s, instants);
    apsco_fleet_options fo = {threads, APSCO_FLEET_TEME, NULL, APSCO_KERNEL_AUTO};
    apsco_fleet_buffer buf;
    apsco_fleet_buffer_layout(&buf, APSCO_LAYOUT_TIME_PLANES, n, instants);
    buf.state = state;
    buf.code = code;
    return apsco_fleet_propagate(fleet, &times, &fo, &buf, err);
}

apsco_status screen_grid_fill(const screen_ctx *c, screen_block *b, size_t from, apsco_error *err)
{
    if (from >= b->instants)
        return APSCO_OK;
    size_t np = c->np;
    apsco_time first = apsco_time_add_s(c->opt.start, (double)(b->k0 + from) * c->step_s);
    return screen_fleet_fill(c->fleet, first, c->step_s, b->instants - from, c->threads,
                             b->state + from * 6 * np, b->code + from * np, err);
}
