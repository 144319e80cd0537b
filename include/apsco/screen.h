/*
 * apsco/screen.h — conjunction screening: every close approach (local
 * minimum of the range below a threshold) of catalog objects over a time
 * span, with the time of closest approach (TCA), the miss geometry in the
 * primary's radial / in-track / cross-track frame and the maximum collision
 * probability over covariance sizes.
 *
 * Two modes: primaries against every other object, or every pair of the
 * catalog (all-on-all). The screen is a chain of filters, each one
 * conservative (it never drops a pair that could come within the
 * threshold; docs/screen.md gives the bound behind each):
 *
 *  1. apogee/perigee: radial bands sampled from SGP4 with a proven pad for
 *     what happens between samples; pairs whose bands are further apart than
 *     the threshold cannot meet (primaries mode propagates only secondaries
 *     that overlap some primary, and tests each primary only against the
 *     objects whose bands meet its own);
 *  2. a grid of states from the batch engine (apsco/fleet.h: 60 s in
 *     all-on-all mode, 600 s in primaries mode), cubic Hermite interpolation
 *     between grid points with a per-object error bound;
 *  3. all-on-all: at 3 samples per grid step, objects sorted into cells
 *     sized from the threshold and each object's reach over the window (a
 *     counting sort of cell keys, a table of occupied cells and a forward
 *     sweep of neighbouring columns with a single-precision reach test
 *     padded for rounding), then a linear closest-approach test per pair
 *     with an exact
 *     Taylor pad; primaries mode: the same linear test per pair over each
 *     600 s interval, and for the pairs that pass a fine search on 60 s
 *     steps from the scalar SGP4;
 *  4. per window, the local minima of the interpolated range (roots of the
 *     range-rate, certified one per piece);
 *  5. TCA refinement on the scalar SGP4 range-rate (Newton from the
 *     interpolated root, bracketed fallback): TCA to well under 1 ms, miss
 *     to well under 1 m.
 *
 * Memory: states are held one time block at a time, never for the whole
 * span. Results are held compactly (40 bytes per approach).
 *
 * Not for: manoeuvre planning, covariance propagation (TLEs carry none).
 */
#ifndef APSCO_SCREEN_H
#define APSCO_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "apsco/elements.h"
#include "apsco/error.h"
#include "apsco/export.h"
#include "apsco/orbit.h"
#include "apsco/time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Receives the fraction of the work done (0..1); return non-zero to stop. */
typedef int (*apsco_screen_progress_fn)(void *ctx, double fraction);

typedef struct apsco_screen_options {
    apsco_time start, end; /* UTC span; end must be after start */
    double threshold_km;   /* report approaches closer than this, > 0 */
    double hbr_m;          /* combined hard-body radius for max_pc, > 0 */
    int threads;           /* OpenMP threads; 0 or less: all cores */
    double grid_step_s;    /* grid step; 0: 60 s all-on-all, 600 s with primaries (1-600 s) */
    int samples_per_step;  /* all-on-all sieve samples per grid step; 0: 3 */
    apsco_screen_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} apsco_screen_options;

/* Defaults: threshold 5 km, hard-body radius 10 m, grid and samples automatic. */
apsco_screen_options apsco_screen_defaults(void);

/*
 * What each stage let through and how long it took, for benchmarks. Pair
 * counts are unordered pairs; "windows" are (pair, sieve window) tests.
 */
typedef struct apsco_screen_stats {
    size_t objects;                /* satellites given */
    size_t objects_unusable;       /* refused by SGP4 at init or on every grid instant */
    size_t objects_propagated;     /* kept after the apogee/perigee filter */
    uint64_t pairs_total;          /* pairs the mode asks about */
    uint64_t pairs_apogee_perigee; /* pairs whose radial bands come within the threshold */
    uint64_t sieve_near;           /* (pair, sample) found in neighbouring cells within D */
    uint64_t sieve_windows;        /* (pair, window) passing the linear test */
    uint64_t hermite_minima;       /* interpolated local minima below threshold + pad */
    uint64_t refined;              /* minima refined with SGP4 */
    uint64_t approaches;           /* reported (refined miss <= threshold, duplicates merged) */
    size_t grid_instants;          /* SGP4 grid instants over the span */
    int samples_per_step;          /* sieve samples per grid step used */
    double grid_step_s;
    double seconds_band, seconds_propagate, seconds_sieve, seconds_refine, seconds_total;
} apsco_screen_stats;

/* One close approach, as apsco_screen_result_get gives it. */
typedef struct apsco_conjunction {
    size_t primary, secondary;                   /* indices into the satellites given */
    apsco_time tca;                              /* time of closest approach, UTC */
    double miss_km;                              /* range at TCA */
    double rel_speed_km_s;                       /* |v2 - v1| at TCA */
    double radial_km, intrack_km, crosstrack_km; /* r2 - r1 in the primary's RIC frame */
    double max_pc; /* maximum collision probability over covariance sizes (apsco_pc_max) */
} apsco_conjunction;

typedef struct apsco_screen_result apsco_screen_result;

/*
 * Screens `count` initialised satellites (records whose init_error is set
 * are skipped and counted as unusable). `primary` marks the primaries (one
 * byte per satellite, non-zero = primary); NULL screens every pair. With
 * primaries, each primary is screened against every other satellite, and a
 * pair of two primaries once (the lower index as primary). In all-on-all
 * mode the lower index is the primary.
 * Approaches are local minima of the range with TCA in [start, end]; each
 * local minimum is reported (repeated approaches of a pair too). They come
 * sorted by miss distance, then TCA.
 * Returns APSCO_OK and sets *out (free with apsco_screen_result_free);
 * APSCO_ERR_ARG for NULL pointers or bad options (threshold or hard-body
 * radius not positive, end not after start, grid step out of range);
 * APSCO_ERR_NOMEM; APSCO_ERR_STOPPED when the progress callback stopped it.
 */
apsco_status apsco_screen_run(const apsco_sat *sats, size_t count, const unsigned char *primary,
                              const apsco_screen_options *options, apsco_screen_result **out,
                              apsco_error *err);

/* Number of approaches. */
size_t apsco_screen_result_count(const apsco_screen_result *res);

/* Approach k (< count), in miss-distance order. */
void apsco_screen_result_get(const apsco_screen_result *res, size_t k, apsco_conjunction *out);

/*
 * TEME states (km, km/s) of the primary and the secondary at the TCA of
 * approach k, from the scalar SGP4. Returns the first non-zero SGP4 code.
 */
int apsco_screen_result_states(const apsco_screen_result *res, size_t k, double r1_km[3],
                               double v1_km_s[3], double r2_km[3], double v2_km_s[3]);

/*
 * Fills `cdm` (apsco/export.h) for approach k: states at TCA rotated to
 * ITRF (UT1 = UTC, no polar motion), relative position and velocity in the
 * primary's RTN frame, the screening period and volume, max_pc and the
 * covariance at which it is reached. `primary_elset` and `secondary_elset`
 * name the objects (catalog number, name, international designator);
 * MESSAGE_ID is "<primary>_<secondary>_<TCA as YYYYMMDDTHHMMSSmmmZ>", which
 * is also a stable file name. Returns the first non-zero SGP4 code.
 */
int apsco_screen_result_cdm(const apsco_screen_result *res, size_t k,
                            const apsco_elset *primary_elset, const apsco_elset *secondary_elset,
                            const char *originator, apsco_time creation, apsco_cdm *cdm);

/* The statistics of the run. */
const apsco_screen_stats *apsco_screen_result_stats(const apsco_screen_result *res);

void apsco_screen_result_free(apsco_screen_result *res);

/* ------------------------------------------------------------------------ */
/* Miss geometry                                                            */
/* ------------------------------------------------------------------------ */

/*
 * The components of r2 - r1 in the primary's radial / in-track /
 * cross-track frame: radial = r1/|r1|, cross-track = (r1 x v1)/|r1 x v1|,
 * in-track = cross-track x radial. km in, km out.
 */
void apsco_screen_ric(const double r1_km[3], const double v1_km_s[3], const double r2_km[3],
                      double ric_km[3]);

/* ------------------------------------------------------------------------ */
/* Collision probability (short-term encounter, 2-D Gaussian)               */
/* ------------------------------------------------------------------------ */

/*
 * Probability that the relative position, Gaussian in the encounter plane
 * with mean (x_km, y_km) and covariance [[cxx, cxy], [cxy, cyy]] (km^2),
 * falls in the disk of radius hbr_km about the origin: Foster & Estes
 * (1992) / Chan (1997) short-term encounter integral, evaluated by Gauss-
 * Legendre quadrature in polar coordinates. This is the place for real
 * covariances (combined, projected onto the encounter plane). Returns NaN
 * for a covariance that is not positive definite or a non-positive radius.
 */
double apsco_pc_2d(double x_km, double y_km, double cxx_km2, double cxy_km2, double cyy_km2,
                   double hbr_km);

/*
 * Maximum over sigma > 0 of the probability for an isotropic encounter-
 * plane covariance sigma^2 I at miss distance miss_km with hard-body radius
 * hbr_km (Alfano 2005, "Relating position uncertainty to maximum
 * conjunction probability", J. Astronaut. Sci. 53(2), the spherical case;
 * SOCRATES' "maximum probability"). Tends to (hbr/miss)^2 / e when hbr is
 * small against miss; 1 when miss < hbr. `sigma_km` (may be NULL)
 * receives the maximising sigma (0 when miss < hbr).
 */
double apsco_pc_max(double miss_km, double hbr_km, double *sigma_km);

#ifdef __cplusplus
}
#endif
#endif
