/*
 * apsco/synth.h — synthetic catalogs of any size, made from a real one, for
 * benchmarks and for tests that need many objects (imports, screening,
 * scheduling at scale).
 *
 * Each synthetic object copies the shape of a real element set (inclination,
 * eccentricity, mean motion, drag) and gets a new catalog number, a new
 * mean anomaly, a new node and an epoch moved by up to a day. The result is
 * the same for the same inputs and seed on every platform (the generator is
 * a SplitMix64 sequence, not the C library's rand), and every element set
 * is exactly what parsing its TLE gives back, so a catalog written to a
 * file and read again is identical.
 *
 * Not a physical population model: shells keep their inclinations and
 * altitudes, planes and phases are uniformly random.
 */
#ifndef APSCO_SYNTH_H
#define APSCO_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "apsco/elements.h"
#include "apsco/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct apsco_synth_options {
    size_t count;             /* objects to make, >= 1 */
    uint64_t seed;            /* the same seed gives the same catalog */
    long first_norad;         /* catalog number of the first object; the others follow in order */
    double epoch_spread_days; /* epochs move uniformly within ± this many days, 0 <= x <= 30 */
} apsco_synth_options;

/*
 * The seeded generator behind every synthetic input (catalogs here, the
 * planner's synthetic instances) and the planner's randomised search:
 * SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), one 64-bit state, the same sequence on every
 * platform. apsco_random_u64 returns the next 64 bits and advances *state;
 * apsco_random_unit returns a uniform double in [0, 1) from its top 53 bits.
 */
uint64_t apsco_random_u64(uint64_t *state);
double apsco_random_unit(uint64_t *state);

/* The options of the bench catalog: 30 000 objects, seed 1, numbers 80000-109999, ±1 day. */
apsco_synth_options apsco_synth_defaults(void);

/*
 * Appends `options->count` synthetic element sets derived from `base` to
 * `out`. Object k (0-based) is numbered first_norad + k (so numbers above
 * 99999 are written in Alpha-5) and derived from base->items[k % base->count].
 * Its name is "SYN " and the base object's name, cut to 24 characters.
 * Base element sets the TLE columns cannot hold are skipped over.
 * Errors: APSCO_ERR_ARG (empty base, count 0, numbers beyond 339999, spread
 * out of range), APSCO_ERR_VALUE (no base element set fits a TLE),
 * APSCO_ERR_NOMEM; on error `out` is left as it was.
 */
apsco_status apsco_catalog_synthesize(const apsco_catalog *base, const apsco_synth_options *options,
                                      apsco_catalog *out, apsco_error *err);

#ifdef __cplusplus
}
#endif
#endif
