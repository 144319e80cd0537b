/*
 * random.c — the project's one seeded generator (SplitMix64), shared by the
 * synthetic catalogs, the planner's synthetic instances and its search, so
 * that every seeded result is the same on every platform. See apsco/synth.h.
 */
#include "apsco/synth.h"

uint64_t apsco_random_u64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double apsco_random_unit(uint64_t *state)
{
    return (double)(apsco_random_u64(state) >> 11) * 0x1.0p-53;
}
