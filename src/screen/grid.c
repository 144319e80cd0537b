/*
 * grid.c — states of the screened objects on the coarse SGP4 grid, one time
 * block at a time, in the TIME_PLANES layout of the batch engine (per
 * instant: x of every object, then y, z, vx, vy, vz), so that the sieve reads
 * one coordinate of all objects as a contiguous array.
 *
 * This is the one place that propagates the grid: the scalar SGP4, threads
 * across objects, one resonance cache per object carried from block to
 * block. Not for: refinement (refine.c calls apsco_sgp4 itself).
 */
#include <math.h>
#include <stdint.h>

#include "apsco/orbit.h"
#include "screen/internal.h"

double screen_tsince_min(const screen_ctx *c, size_t i, double t_s)
{
    return c->tsince0_min[i] + t_s / 60.0;
}

void screen_grid_fill(const screen_ctx *c, screen_block *b, size_t from, apsco_sgp4_cache *caches)
{
    size_t np = c->np;
    long long count = (long long)np;
#pragma omp parallel for schedule(dynamic, 32) num_threads(c->threads)
    for (long long pl = 0; pl < count; pl++) {
        size_t p = (size_t)pl, i = c->map[p];
        for (size_t k = from; k < b->instants; k++) {
            double t_s = (double)(b->k0 + k) * c->step_s, r[3], v[3];
            int code = apsco_sgp4(&c->sats[i], &caches[p], screen_tsince_min(c, i, t_s), r, v);
            double *st = b->state + k * 6 * np + p;
            for (int q = 0; q < 3; q++) {
                st[q * np] = r[q];
                st[(3 + q) * np] = v[q];
            }
            b->code[k * np + p] = (uint8_t)code;
        }
    }
}
