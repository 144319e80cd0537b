/*
 * internal.h — what the sources of the passes module share: one satellite's
 * ITRF track on its node grid with its quintic Hermite interpolant and the
 * bounds of the skip test, the Sun table, and the per-site search.
 *
 * Private to src/passes/; the public contract is apsco/passes.h.
 */
#ifndef APSCO_PASSES_INTERNAL_H
#define APSCO_PASSES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "apsco/passes.h"

/*
 * The per-satellite work (track.c, search.c, shadow.c) is compiled twice:
 * as it is, and by fma.c with AVX2 and fused multiply-adds, where PASS_ARCH
 * renames every function the three files define (suffix _fma), so that
 * both copies live in the library; passes.c picks one per search
 * (pass_kernel_pick).
 */
#ifdef PASS_ARCH
#define pass_track_step_s      PASS_ARCH(pass_track_step_s)
#define pass_track_step_rung   PASS_ARCH(pass_track_step_rung)
#define pass_track_rung_step_s PASS_ARCH(pass_track_rung_step_s)
#define pass_track_node_count  PASS_ARCH(pass_track_node_count)
#define pass_track_from_states PASS_ARCH(pass_track_from_states)
#define pass_track_free        PASS_ARCH(pass_track_free)
#define pass_track_eval        PASS_ARCH(pass_track_eval)
#define pass_track_position    PASS_ARCH(pass_track_position)
#define pass_sun_table_build   PASS_ARCH(pass_sun_table_build)
#define pass_sun_table_free    PASS_ARCH(pass_sun_table_free)
#define pass_sun_at            PASS_ARCH(pass_sun_at)
#define pass_sun_dir_at        PASS_ARCH(pass_sun_dir_at)
#define pass_site_geom_init    PASS_ARCH(pass_site_geom_init)
#define pass_search_sat        PASS_ARCH(pass_search_sat)
#define pass_site_dark_build   PASS_ARCH(pass_site_dark_build)
#define pass_site_dark_free    PASS_ARCH(pass_site_dark_free)
#define pass_light_build       PASS_ARCH(pass_light_build)
#define pass_light_apply       PASS_ARCH(pass_light_apply)
#define pass_light_free        PASS_ARCH(pass_light_free)
#endif

/* The Earth's rotation rate used by the bounds, raised 1 % over APSCO_EARTH_ROTATION_RAD_S. */
#define PASS_OMEGA_BOUND_RAD_S (1.01 * APSCO_EARTH_ROTATION_RAD_S)
/*
 * Bound on the turning rate of the Sun's direction in a frame turning with
 * the Earth at −Ω about z.
 */
#define SUN_TURN_BOUND_RAD_S 1e-6

/*
 * One satellite's states at nodes t_k = k * step_s (seconds from the window
 * start), k = 0 … count-1, in ITRF: position (km), velocity (km/s) and
 * acceleration (km/s², SGP4-consistent two-body + J2 model with the
 * rotating frame's terms), plus the unit position vectors the skip test
 * reads, and the interpolant's coefficients of the intervals evaluated so
 * far. Arrays are owned by the track (track_free) and reused between
 * satellites.
 */
typedef struct pass_track {
    double step_s;
    double inv_step;         /* 1 / step_s */
    size_t count;            /* nodes with valid states */
    size_t capacity;         /* allocated nodes */
    double *r, *v, *a;       /* 3 * capacity each, node k from 3 k */
    double *u;               /* 3 * capacity: the unit vectors' x, then y, then z (capacity each) */
    double *coef;            /* interpolant of interval k: PASS_COEF_PER_INTERVAL from 18 k */
    unsigned char *coef_ok;  /* 1 when the coefficients of interval k are computed */
    double *node_g;          /* search scratch: g and g' of one site at node k, from 2 k */
    unsigned char *near;     /* search scratch: 1 where node k is near one site (skip test) */
    double end_s;            /* the searched span is [0, end_s] */
    double rate_bound_rad_s; /* ω_b: bound on the rate of the geocentric direction in ITRF */
    double radius_max_km;    /* bound on the geocentric distance over the span */
    double speed_max_km_s;   /* bound on the speed relative to the Earth's shadow */
    int code;                /* first SGP4 code met, 0 if none */
    double code_s;           /* the node time it was met at */
} pass_track;

/* Coefficients of one interval's interpolant: six per coordinate. */
#define PASS_COEF_PER_INTERVAL 18

/* The node step for `sat`, seconds (see step 1 of apsco/passes.h). */
double pass_track_step_s(const apsco_sat *sat);

/* Steps come in rungs 0 … PASS_STEP_RUNGS-1, so that many satellites share one time grid. */
#define PASS_STEP_RUNGS 40
int pass_track_step_rung(const apsco_sat *sat);
double pass_track_rung_step_s(int rung);

/* Nodes of a track over [0, window_s] at step_s: up to the first at or after window_s, at least 2.
 */
size_t pass_track_node_count(double window_s, double step_s);

/*
 * Propagates `sat` over [0, window_s] from `start` into `track` (nodes up to
 * and including the first at or after window_s) as a search does (batch.c)
 * and sets its bounds. Returns APSCO_OK, or APSCO_ERR_NOMEM.
 */
apsco_status pass_track_build(pass_track *track, const apsco_sat *sat, apsco_time start,
                              double window_s, const apsco_eop *eop);

/*
 * The same from TEME states already propagated at step_s over `count` nodes
 * (pass_track_node_count): states[6 k + c] (position km, velocity km/s),
 * codes[k] their SGP4 codes, rot[k] the Earth rotation at node k. Returns
 * APSCO_OK, or APSCO_ERR_NOMEM.
 */
apsco_status pass_track_from_states(pass_track *track, const apsco_sat *sat, double step_s,
                                    size_t count, double window_s, const double *states,
                                    const uint8_t *codes, const apsco_earth_rotation *rot);

void pass_track_free(pass_track *track);

/*
 * The interpolated ITRF state at `t_s` (0 <= t_s <= last node): position,
 * velocity and, when `a` is not NULL, acceleration. It fills the track's
 * coefficient cache: one thread at a time per track.
 */
void pass_track_eval(const pass_track *track, double t_s, double r[3], double v[3], double a[3]);

/* The interpolated ITRF position alone at `t_s` (as pass_track_eval). */
void pass_track_position(const pass_track *track, double t_s, double r[3]);

/* The Sun in ITRF over the window, tabulated every SUN_TABLE_STEP_S and linearly interpolated. */
#define SUN_TABLE_STEP_S 60.0
typedef struct pass_sun_table {
    double *r;    /* 3 per entry, km; entry j at (j - 1) * SUN_TABLE_STEP_S */
    double *unit; /* the same entries' unit vectors */
    size_t count;
} pass_sun_table;

apsco_status pass_sun_table_build(pass_sun_table *table, apsco_time start, double window_s,
                                  const apsco_eop *eop);
void pass_sun_table_free(pass_sun_table *table);
void pass_sun_at(const pass_sun_table *table, double t_s, double r_km[3]);
/* The Sun's direction at t_s, the chord between unit vectors (shorter than 1 by 2.4e-6 at most). */
void pass_sun_dir_at(const pass_sun_table *table, double t_s, double u[3]);

/* A site with what the search reuses. */
typedef struct pass_site_geom {
    const apsco_pass_site *site;
    double up[3];      /* geodetic vertical, ITRF unit vector */
    double unit[3];    /* geocentric direction of the site */
    double radius_km;  /* geocentric distance of the site */
    double sin_floor;  /* sine of the floor elevation */
    double *dark;      /* dark-sky intervals [dark[2i], dark[2i+1]], seconds, sorted */
    size_t dark_count; /* (pass_site_dark_build; none after pass_site_geom_init) */
} pass_site_geom;

void pass_site_geom_init(pass_site_geom *geom, const apsco_pass_site *site);

/* A pass's sort key: its AOS and where it is (the rest of the order is read through it). */
typedef struct pass_key {
    double aos_s;
    const apsco_pass *pass;
} pass_key;

/* A growable array of passes (one per thread during a search), and its sorted keys. */
typedef struct pass_vec {
    apsco_pass *items;
    size_t count, capacity;
    pass_key *keys; /* count, sorted (pass_vec_sort) */
} pass_vec;

apsco_status pass_vec_push(pass_vec *vec, const apsco_pass *pass);

/* Fills and sorts vec->keys: by AOS, then satellite, site and TCA. Returns APSCO_ERR_NOMEM or OK.
 */
apsco_status pass_vec_sort(pass_vec *vec);

/* The shared, read-only inputs of a search. */
typedef struct pass_search_ctx {
    const pass_site_geom *sites;
    size_t site_count;
    const pass_sun_table *sun;
    const struct pass_kernel *kernel; /* the compilation that runs it (pass_kernel_pick) */
} pass_search_ctx;

/*
 * Finds the passes of the satellite `sat_index`, whose track is `track`,
 * over every site, appending them to `out`. Returns APSCO_OK or
 * APSCO_ERR_NOMEM.
 */
apsco_status pass_search_sat(const pass_search_ctx *ctx, const pass_track *track, size_t sat_index,
                             pass_vec *out);

/*
 * The intervals of the window (seconds from its start) where the Sun, seen
 * from the site, is below the elevation whose sine is `below_sin`, into
 * geom->dark (freed by pass_site_dark_free). Returns APSCO_OK or
 * APSCO_ERR_NOMEM.
 */
apsco_status pass_site_dark_build(pass_site_geom *geom, const pass_sun_table *table,
                                  double below_sin);
void pass_site_dark_free(pass_site_geom *geom);

/*
 * One satellite's sunlight over the stretches of its track that its passes
 * cover, as consecutive segments: segment k is [t[k], t[k+1]) with visible
 * solar disc fraction f[k], and cum[k] lit seconds before t[k] (from
 * t[0]); a segment is either proven wholly sunlit or wholly in the umbra,
 * or a step through the penumbra with the mean fraction of its ends. Gaps between covered stretches
 * are segments of fraction 0 that no pass reaches into. Scratch of one thread, reused between
 * satellites.
 */
typedef struct pass_light {
    double *t, *f, *cum;    /* count + 1 entries used (f: count) */
    unsigned char *sampled; /* per segment: 1 when f is sampled, not proven (penumbra) */
    double *ends;           /* sampled segment k: the fractions at t[k] and t[k+1] (2 k, 2 k + 1) */
    size_t count, capacity; /* segments; entries allocated */
    unsigned char *slots;   /* covered slots of the track (pass_light_build) */
    size_t slot_capacity;
} pass_light;

/*
 * Computes the sunlight of `track` over every instant of the `count`
 * passes (of that satellite). Returns APSCO_OK or APSCO_ERR_NOMEM.
 */
apsco_status pass_light_build(pass_light *light, const pass_search_ctx *ctx,
                              const pass_track *track, const apsco_pass *passes, size_t count);

/*
 * Fills sunlit_fraction and visible of `pass` (one of those given to
 * pass_light_build) from `light` and its site's dark-sky intervals.
 */
void pass_light_apply(const pass_light *light, const pass_search_ctx *ctx, const pass_track *track,
                      apsco_pass *pass);

void pass_light_free(pass_light *light);

/* The per-satellite work of one search, in one of its two compilations (see PASS_ARCH). */
typedef struct pass_kernel {
    apsco_status (*from_states)(pass_track *track, const apsco_sat *sat, double step_s,
                                size_t count, double window_s, const double *states,
                                const uint8_t *codes, const apsco_earth_rotation *rot);
    apsco_status (*search_sat)(const pass_search_ctx *ctx, const pass_track *track,
                               size_t sat_index, pass_vec *out);
    apsco_status (*light_build)(pass_light *light, const pass_search_ctx *ctx,
                                const pass_track *track, const apsco_pass *passes, size_t count);
    void (*light_apply)(const pass_light *light, const pass_search_ctx *ctx,
                        const pass_track *track, apsco_pass *pass);
} pass_kernel;

/* The copy with AVX2 and FMA where the CPU has them and `plain` is 0, the plain one otherwise. */
const pass_kernel *pass_kernel_pick(int plain);

/* ------------------------------------------------------------------------ */
/* Batches (batch.c)                                                        */
/* ------------------------------------------------------------------------ */

/* Satellites order[first … first+count-1], all on one rung: one propagation call. */
typedef struct pass_chunk {
    size_t first, count;
    double step_s; /* the rung's step */
    size_t nodes;  /* pass_track_node_count of the window at that step */
} pass_chunk;

/* The chunks of a search: every satellite without an init error in exactly one. */
typedef struct pass_plan {
    size_t *order; /* satellite indices, grouped by rung */
    pass_chunk *chunks;
    size_t chunk_count;
} pass_plan;

apsco_status pass_plan_build(pass_plan *plan, const apsco_sat *sats, size_t sat_count,
                             double window_s);
void pass_plan_free(pass_plan *plan);

/* One thread's buffers: a chunk's records, states, codes and Earth rotations, a track, sunlight. */
typedef struct pass_scratch {
    apsco_sat *sats;
    double *states; /* 6 per satellite and node, satellite-major */
    uint8_t *codes;
    apsco_earth_rotation *rot; /* one per node */
    size_t sat_capacity, state_capacity, rot_capacity;
    pass_track track;
    pass_light light;
} pass_scratch;

/*
 * Propagates the satellites of `chunk` over the window of `opt` into `s`
 * (satellite j of the chunk at states + 6 j nodes, codes + j nodes).
 * Returns APSCO_OK or APSCO_ERR_NOMEM.
 */
apsco_status pass_chunk_propagate(pass_scratch *s, const pass_plan *plan, const pass_chunk *chunk,
                                  const apsco_sat *sats, const apsco_pass_options *opt);
void pass_scratch_free(pass_scratch *s);

#endif
