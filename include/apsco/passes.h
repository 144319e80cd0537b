/*
 * apsco/passes.h — ground contacts: when each satellite rises above and sets
 * below the horizon of each ground station (AOS, TCA, LOS), whether it is
 * sunlit against a dark sky, and its Doppler shift.
 *
 * apsco_passes_find searches every satellite × every site over a window and
 * returns one apsco_pass per contact, sorted by AOS. Each satellite is
 * propagated once, on a grid of its own step, and every site reads the same
 * states: no per-site propagation.
 *
 * How passes are found (src/passes/search.c has the proofs):
 *  1. Each satellite is propagated with SGP4 at nodes h seconds apart
 *     (h = min(P/12, 600 s) and smaller near a low perigee, so that a
 *     quintic Hermite interpolant of the ITRF positions, velocities and
 *     two-body + J2 accelerations stays within 1e-5 rad of the SGP4
 *     position as seen from the ground; h is rounded down to a rung
 *     600 s · 0.9^j). Satellites of one rung share a time grid and are
 *     propagated together by the batch engine (apsco/fleet.h), in chunks
 *     of up to 64, each chunk on one thread.
 *  2. Skip test: between two nodes the geocentric angle θ between the
 *     satellite and a site changes at most at the rate ω_b = μ²(1+e)²/h³ +
 *     Ω_E (the osculating perigee rate, raised 5 %, plus the Earth's turn),
 *     and a satellite at radius r can be above elevation ε only when
 *     θ < λ(r, ε) = acos(ρ cos ε' / r) − ε' (ε' = ε − 0.2°, the largest
 *     difference between geodetic and geocentric verticals). An interval
 *     whose two end nodes both have θ > λ + ω_b h / 2 cannot hold any part
 *     of a pass and is skipped.
 *  3. In the other intervals, the sine of the elevation above the site's
 *     lowest threshold and its time derivative at the nodes bracket every
 *     crossing and every hidden maximum (a grazing pass between two nodes
 *     that are both below the horizon shows as a rising-then-falling
 *     derivative); AOS, LOS and TCA are refined by safeguarded Newton
 *     iterations on the interpolant to about 1 ms (started from the
 *     cubic through the bracket's values and slopes). With a horizon mask the
 *     elevation minus the mask is then sampled every 0.5 s inside each
 *     such contact and its sign changes and local maxima are refined.
 *
 * Angles are radians, distances km, times seconds from the window start.
 * Not for scheduling (plan) nor for writing files (apsco/export.h).
 */
#ifndef APSCO_PASSES_H
#define APSCO_PASSES_H

#include <stddef.h>

#include "apsco/error.h"
#include "apsco/frames.h"
#include "apsco/orbit.h"
#include "apsco/stations.h"
#include "apsco/time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The speed of light, km/s (exact, SI). */
#define APSCO_SPEED_OF_LIGHT_KM_S 299792.458

/* The Sun elevation below which the sky counts as dark: civil dusk, −6°. */
#define APSCO_PASS_SUN_BELOW_DEFAULT_RAD (-6.0 * 3.14159265358979323846 / 180.0)

/*
 * The elevation a satellite must exceed at azimuth `az_rad` ([0, 2π)) to be
 * in contact, radians. Called from several threads at once: it must only
 * read `ctx`.
 */
typedef double (*apsco_min_el_fn)(const void *ctx, double az_rad);

/*
 * A place passes are computed for: an observer and its horizon. The
 * threshold at azimuth az is max(floor_el_rad, min_el_fn(ctx, az)), or
 * floor_el_rad when min_el_fn is NULL; floor_el_rad must be the lowest
 * threshold at any azimuth (the skip test of step 2 uses it). Build one
 * from a station with apsco_pass_site_from_station.
 */
typedef struct apsco_pass_site {
    apsco_observer obs;
    double floor_el_rad;       /* lowest threshold at any azimuth, in [-π/2, π/2) */
    apsco_min_el_fn min_el_fn; /* NULL: the threshold is floor_el_rad everywhere */
    const void *ctx;           /* handed to min_el_fn */
} apsco_pass_site;

/*
 * A site for `station` (which must outlive the site: it is the ctx): its
 * position, and as threshold the larger of min_el_rad and its horizon mask
 * (apsco_station_min_el_at_rad). To override the file's minimum elevation,
 * set min_el_rad in the station before the call.
 */
void apsco_pass_site_from_station(apsco_pass_site *site, const apsco_station *station);

/* Threshold of `site` at azimuth `az_rad`, radians (what the search uses). */
double apsco_pass_site_threshold(const apsco_pass_site *site, double az_rad);

/* One contact of one satellite with one site. Times are seconds from the window start. */
typedef struct apsco_pass {
    size_t sat;                 /* index in the satellites given to apsco_passes_find */
    size_t site;                /* index in the sites */
    double aos_s, tca_s, los_s; /* rise, highest elevation, set */
    double aos_az_rad, los_az_rad;
    double tca_az_rad, tca_el_rad;
    double tca_range_km;
    double aos_range_rate_km_s, tca_range_rate_km_s, los_range_rate_km_s; /* > 0 receding */
    double sunlit_fraction; /* time average of the visible solar disc fraction, 0..1 */
    int visible;            /* 1: sunlit (fraction > 0) at some instant with a dark sky */
    int aos_clipped;        /* 1: already in contact at the window start (aos_s = 0) */
    int los_clipped;        /* 1: still in contact at the window end */
} apsco_pass;

/* Why a satellite stopped being searched (one per satellite, in apsco_pass_list). */
typedef struct apsco_pass_sat_status {
    int code;    /* apsco_sgp4_code met at a node, 0 when the whole window was searched */
    double at_s; /* seconds from the window start of the node that met it (0 for init errors) */
} apsco_pass_sat_status;

/* The result of a search, owned by the caller (apsco_pass_list_free). */
typedef struct apsco_pass_list {
    apsco_time start;  /* the window start the times count from */
    apsco_pass *items; /* sorted by aos_s, then satellite, then site */
    size_t count;
    apsco_pass_sat_status *sat_status; /* one per satellite */
    size_t sat_count;
} apsco_pass_list;

/* Options of a search. Zero the struct, then set start and end. */
typedef struct apsco_pass_options {
    apsco_time start, end; /* the window; end must not be before start */
    const apsco_eop *eop;  /* UT1 and polar motion (NULL: UT1 = UTC, no polar motion) */
    int sun_below_set;     /* 0: dark sky below APSCO_PASS_SUN_BELOW_DEFAULT_RAD */
    double sun_below_rad;  /* with sun_below_set: the Sun elevation of a dark sky */
    int threads;           /* OpenMP threads; 0 or less: all cores */
    int plain_kernel;      /* 1: the baseline x86-64 code even where the CPU has AVX2 and FMA */
} apsco_pass_options;

/*
 * Finds every pass of `sats` (initialised with apsco_sat_init; records with
 * init_error set are skipped and reported in sat_status) over `sites` in the
 * window [start, end]. A contact under way at the start or at the end is
 * cut there and flagged; a satellite above the horizon the whole window (a
 * geostationary one) gives one pass flagged at both ends. A satellite that
 * meets an SGP4 error is searched up to the last node before it.
 *
 * Shadow: conical (umbra and penumbra of a spherical Earth, apsco_sunlit_fraction),
 * with the Sun of apsco_sun_teme. The fraction integrates the visible part
 * of the solar disc over [aos, los] (steps of 2 s through the penumbra, or
 * 1/10 of its crossing where that is longer,
 * whole sunlit or umbral stretches crossed at once by a distance bound;
 * computed once per satellite over the stretches its passes cover).
 * `visible` is 1 when some instant of the pass has the satellite at least
 * partly sunlit while the Sun, seen from the site, is below sun_below (the
 * dark-sky intervals of each site come from the Sun every minute, their
 * ends interpolated).
 *
 * Returns APSCO_OK and fills `out` (empty on failure); APSCO_ERR_ARG for
 * NULL pointers with non-zero counts, a window that ends before it starts or
 * lasts more than 366 days, a floor elevation that is not finite;
 * APSCO_ERR_NOMEM.
 */
apsco_status apsco_passes_find(const apsco_sat *sats, size_t sat_count,
                               const apsco_pass_site *sites, size_t site_count,
                               const apsco_pass_options *opt, apsco_pass_list *out,
                               apsco_error *err);

/* Frees the arrays of `list` and empties it (NULL is allowed). */
void apsco_pass_list_free(apsco_pass_list *list);

/* The instant `offset_s` seconds after the list's window start. */
apsco_time apsco_pass_time(const apsco_pass_list *list, double offset_s);

/*
 * Doppler shift of a carrier of `freq_hz` received from (or sent to) a
 * target with range rate `range_rate_km_s` (positive receding), first order:
 * −f · ṙ / c. Hz.
 */
double apsco_doppler_shift_hz(double freq_hz, double range_rate_km_s);

/*
 * Look angles of `sat` from `site` at the UTC instant `t` (scalar SGP4, TEME
 * to ITRF with `eop` as in apsco_teme_to_itrf). Returns the apsco_sgp4_code
 * (0 when fine; `look` is then filled).
 */
int apsco_pass_look(const apsco_sat *sat, const apsco_observer *obs, apsco_time t,
                    const apsco_eop *eop, apsco_look *look);

/* One member state's share of a pooled network's passes. */
typedef struct apsco_pooling_share {
    char state[3];          /* ISO 3166-1 alpha-2 code; set by the caller */
    size_t passes;          /* passes of its satellites over every station of the network */
    size_t passes_other;    /* of those, passes over other states' stations */
    double contact_s;       /* total contact time of those passes, seconds */
    double contact_other_s; /* contact time over other states' stations, seconds */
} apsco_pooling_share;

/*
 * Counts the passes of `list` per owner state: satellite i belongs to
 * `sat_state[i]`, site j of the search is `stations->items[j]` (whose state
 * is its owner). Each of the `share_count` entries of `shares` (state codes
 * set by the caller) receives the passes of its satellites and those over
 * other states' stations; passes of satellites of states not in `shares`
 * are ignored. Returns APSCO_OK; APSCO_ERR_ARG for NULL pointers or a pass
 * whose site is not in `stations`.
 */
apsco_status apsco_pooling_count(const apsco_pass_list *list, const char *const *sat_state,
                                 const apsco_station_list *stations, apsco_pooling_share *shares,
                                 size_t share_count, apsco_error *err);

#ifdef __cplusplus
}
#endif
#endif
