/*
 * internal.h — what the files of the screen module share: the run context,
 * the per-thread sieve workspace, interpolated minima and reported events.
 */
#ifndef APSCO_SCREEN_INTERNAL_H
#define APSCO_SCREEN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "apsco/fleet.h"
#include "apsco/orbit.h"
#include "apsco/screen.h"

/* Earth constants for the bounds (WGS-72, the constants of the element sets). */
#define SCREEN_MU_KM3_S2 398600.8
#define SCREEN_RE_KM     6378.135
#define SCREEN_J2        0.001082616

/* Numerical slack added to every distance test, km (rounding of positions near 1e5 km). */
#define SCREEN_SLACK_KM 1e-5

/* A local minimum of the interpolated range, to be refined with SGP4. */
typedef struct screen_hmin {
    uint32_t i, j;     /* satellite indices, i < j (i is the primary) */
    double t_s;        /* root of the interpolated range-rate, s from start */
    double lo_s, hi_s; /* piece where the interpolated range-rate went from - to + */
    double slope;      /* d/dt of the interpolated range-rate at the root, km^2/s^2 */
} screen_hmin;

/*
 * A reported approach, compact (40 bytes: a week of the 30 000-object
 * catalog holds millions): max_pc is a function of the miss distance and
 * the run's hard-body radius, computed when the approach is read.
 */
typedef struct screen_event {
    uint32_t i, j;               /* primary, secondary */
    double tca_s;                /* s from start */
    double miss_km;              /* SGP4 range at TCA */
    float speed_km_s, ric_km[3]; /* relative speed and RIC at TCA */
} screen_event;

/* The run: inputs, the compacted list of propagated objects, the grid. */
typedef struct screen_ctx {
    const apsco_sat *sats;
    size_t n;
    const unsigned char *primary; /* NULL: all-on-all */
    apsco_screen_options opt;
    double thr_km, hbr_km;
    double span_s, step_s; /* grid step, dividing the span exactly */
    size_t intervals;      /* grid intervals over the span */
    int samples;           /* sieve samples per interval */
    int threads;
    double *tsince0_min;       /* per satellite: minutes from epoch to start */
    double *eps_km;            /* per satellite: bound of the interpolation error on fine_s */
    double *eps_coarse_km;     /* per satellite: the same on step_s */
    double fine_s;             /* step of the minima search: step_s, or step_s / m (primaries) */
    double *rmin_km, *rmax_km; /* per satellite: radial band over the span */
    unsigned char *usable;     /* per satellite: initialised and propagated at least once */
    /* Objects propagated on the grid (compact index p -> satellite map[p]). */
    size_t np;
    uint32_t *map;
    unsigned char *is_primary_p; /* per compact index, primaries mode */
    /* Primaries mode: compact indices plist[plist_at[p] .. plist_at[p + 1]) screened against p. */
    uint32_t *plist_at, *plist;
    double eps_max_km;
    apsco_fleet *fleet; /* the compacted objects, for the grid */
} screen_ctx;

/* One block of grid states over the compacted objects, TIME_PLANES layout. */
typedef struct screen_block {
    size_t k0;       /* grid index of the block's first instant */
    size_t instants; /* instants held (intervals + 1) */
    double *state;   /* state[(k * 6 + c) * np + p] */
    uint8_t *code;   /* code[k * np + p] */
} screen_block;

/* Per-thread workspace of the sieve, with its outputs and counters. */
typedef struct screen_ws {
    size_t cap;
    uint32_t *valid;  /* valid slot -> compact index */
    double *h;        /* per interval: r0, v0, c, d planes (12 x cap) */
    double *sv;       /* per sample: position, velocity, acceleration, reach planes (10 x cap) */
    uint64_t *pk;     /* cell key << 28 | slot */
    uint64_t *pk2;    /* radix sort buffer */
    uint32_t *hist;   /* radix counts, 3 digits */
    float *pts;       /* per entry in cell order: x, y, z, reach radius (4 x cap, see sieve.c) */
    uint32_t *sslot;  /* per entry in cell order: its slot */
    double *rec;      /* per entry in cell order: position, velocity, rho, q (8 x cap) */
    uint64_t *skey;   /* per occupied cell, in order: its key */
    uint32_t *cstart; /* per occupied cell: its first entry (ncells + 1) */
    size_t ncells;
    uint32_t *cand;  /* entries that passed the single-precision reach test */
    uint32_t *order; /* every compact index, in the cell order of the last sample (see sieve.c) */
    uint32_t *order2;
    double *eps; /* interpolation bound per valid slot */
    screen_hmin *out;
    size_t nout, capout;
    int failed; /* out of memory */
    uint64_t near, windows;
    uint32_t *slot_of; /* primaries mode: compact index -> valid slot, or UINT32_MAX */
    double *fine;      /* primaries mode: fine states of the current primary */
    size_t fine_slot, fine_k;
} screen_ws;

/* grid.c: a fleet of sats[map[p]], p < np. */
apsco_status screen_fleet_build(const apsco_sat *sats, const uint32_t *map, size_t np,
                                apsco_fleet **fleet, apsco_error *err);
/* grid.c: states of every object of `fleet` at first + k step_s, k < instants, TIME_PLANES. */
apsco_status screen_fleet_fill(const apsco_fleet *fleet, apsco_time first, double step_s,
                               size_t instants, int threads, double *state, uint8_t *code,
                               apsco_error *err);
/* grid.c: propagate instants k0+from .. k0+instants-1 of the grid into `b`. */
apsco_status screen_grid_fill(const screen_ctx *c, screen_block *b, size_t from, apsco_error *err);
/* grid.c: the UTC instant `t_s` seconds after start, and minutes since epoch of sat i. */
double screen_tsince_min(const screen_ctx *c, size_t i, double t_s);

/* band.c: radial bands, interpolation bounds, and the apogee/perigee selection. */
apsco_status screen_bands(screen_ctx *c, apsco_screen_stats *st, apsco_error *err);
void screen_band_update_from_block(screen_ctx *c, const screen_block *b, double *rmin_p,
                                   double *rmax_p);
uint64_t screen_count_band_pairs(const screen_ctx *c);
double screen_radial_accel_bound(const apsco_sat *s, double rmin_km, double rmax_km);
/* band.c: bound of the cubic Hermite interpolation error of satellite s on step g_s, km. */
double screen_hermite_bound_km(const apsco_sat *s, double g_s);

/* sieve.c: one grid interval of a block: candidates, windows, interpolated minima. */
int screen_ws_init(screen_ws *ws, size_t np);
void screen_ws_free(screen_ws *ws);
void screen_sieve_interval(const screen_ctx *c, const screen_block *b, size_t kk, screen_ws *ws);

/* Relative cubic of a pair: d(tau) = a + b tau + c tau^2 + d tau^3 (km, s). */
typedef struct screen_relpoly {
    double a[3], b[3], c[3], d[3];
} screen_relpoly;

/* Per-sample planes of the workspace: position 0-2, velocity 3-5, acceleration 6-8. */
#define SCREEN_SP(ws, k) ((ws)->sv + (size_t)(k) * (ws)->cap)
/* Per-interval planes: r0 0-2, v0 3-5, c 6-8, d 9-11 of the Hermite cubic. */
#define SCREEN_HP(ws, k) ((ws)->h + (size_t)(k) * (ws)->cap)

/*
 * sieve.c: the valid objects of interval kk (ws->valid, ws->eps from
 * eps_coarse_km), their Hermite planes and their states at tau_s; returns
 * the number of valid slots.
 */
size_t screen_sieve_prepare(const screen_ctx *c, const screen_block *b, size_t kk, screen_ws *ws,
                            double tau_s, double eta_s);
/* sieve.c: the interpolated minima of q on (lo, hi] (tau from t0_s) within reach_km. */
void screen_window_search(const screen_ctx *c, const screen_relpoly *q, double reach_km,
                          double t0_s, uint32_t i, uint32_t j, screen_ws *ws, double lo, double hi);
/* sieve.c: whether min over |s| <= eta of |D + W s| is at most lim. */
int screen_linear_meets(double dx, double dy, double dz, double wx, double wy, double wz,
                        double eta, double lim);
/* prim.c: primaries mode, one coarse grid interval of a block. */
void screen_primaries_interval(const screen_ctx *c, const screen_block *b, size_t kk,
                               screen_ws *ws);

/* refine.c: SGP4 refinement of one minimum; returns 1 and fills `ev` if it is an approach. */
int screen_refine(const screen_ctx *c, const screen_hmin *h, screen_event *ev);

/*
 * Unit axes of the radial / in-track / cross-track frame of the object at
 * r_km moving at v_km_s (CCSDS 508.0 calls the same axes RTN): R along r,
 * C along r × v, I = C × R.
 */
void screen_ric_axes(const double r_km[3], const double v_km_s[3], double R[3], double I[3],
                     double C[3]);
/* refine.c: SGP4 states of two satellites `t_s` after start; returns the first error code. */
int screen_states(const screen_ctx *c, size_t i, size_t j, double t_s, double r1[3], double v1[3],
                  double r2[3], double v2[3]);

#endif
