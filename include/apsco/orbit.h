/*
 * apsco/orbit.h — SGP4/SDP4 orbit propagation, the scalar reference path.
 *
 * apsco_sat_init turns an element set into an initialised satellite record;
 * apsco_sgp4 gives its TEME position and velocity at minutes since epoch.
 * The model is the one of Spacetrack Report #3 (Hoots & Roehrich 1980) as
 * revised by Vallado, Crawford, Hujsak & Kelso (2006, AIAA 2006-6753):
 * near-Earth SGP4, deep-space SDP4 with lunar-solar perturbations and the
 * 12 h / 24 h resonances, and the error codes of that reference.
 *
 * An apsco_sat is a plain struct: the caller allocates it (arrays of them are
 * fine) and it holds no pointers. Propagation does not modify it, so one
 * record can be shared by many threads.
 */
#ifndef APSCO_ORBIT_H
#define APSCO_ORBIT_H

#include "apsco/elements.h"
#include "apsco/error.h"
#include "apsco/time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Earth gravity constants. WGS-72 is the one the public element sets are fitted with. */
typedef enum apsco_gravity { APSCO_WGS72 = 0, APSCO_WGS84, APSCO_WGS72OLD } apsco_gravity;

/* Operation mode: 'improved' (default) or the historical AFSPC behaviour. */
typedef enum apsco_opsmode { APSCO_OPSMODE_IMPROVED = 0, APSCO_OPSMODE_AFSPC } apsco_opsmode;

/* The error codes of the reference SGP4, per satellite and time. */
typedef enum apsco_sgp4_code {
    APSCO_SGP4_OK = 0,
    APSCO_SGP4_MEAN_ECC = 1,    /* mean eccentricity not in [0,1) or semi-major axis < 0.95 er */
    APSCO_SGP4_MEAN_MOTION = 2, /* mean motion less than 0 */
    APSCO_SGP4_PERT_ECC = 3,    /* perturbed eccentricity not in [0,1] */
    APSCO_SGP4_SEMI_LATUS = 4,  /* semi-latus rectum less than 0 */
    APSCO_SGP4_SUBORBITAL = 5,  /* epoch elements are sub-orbital (not raised since 2006) */
    APSCO_SGP4_DECAYED = 6      /* the satellite has decayed (radius below 1 er) */
} apsco_sgp4_code;

/* A constant description of an SGP4 error code ("satellite has decayed", …). */
const char *apsco_sgp4_code_message(int code);

/*
 * An initialised SGP4 record. Fields below `norad`..`init_error` are for
 * reading; the rest are the model's intermediate quantities (names follow
 * Vallado et al. 2006 so that the code can be checked against the paper)
 * and are private to the orbit module.
 */
typedef struct apsco_sat {
    long norad;            /* catalog number */
    apsco_time epoch;      /* epoch, UTC */
    apsco_gravity gravity; /* constants in use */
    apsco_opsmode opsmode; /* operation mode */
    int init_error;        /* apsco_sgp4_code raised by initialisation, 0 if none */
    int deep_space;        /* 1 when the period is 225 min or more (SDP4) */

    /* Gravity constants. */
    double tumin, mu, radiusearthkm, xke, j2, j3, j4, j3oj2;

    /* Mean elements at epoch (rad, rad/min, 1/er) and derived orbit sizes. */
    double epoch_days_1950; /* days from 1949-12-31 00:00 UTC */
    double bstar, inclo, nodeo, ecco, argpo, mo, no_kozai, no_unkozai;
    double a, alta, altp;

    /* Near-Earth secular and drag terms. */
    int isimp;
    double aycof, con41, cc1, cc4, cc5, d2, d3, d4, delmo, eta, argpdot, omgcof, sinmao;
    double t2cof, t3cof, t4cof, t5cof, x1mth2, x7thm1, mdot, nodedot, xlcof, xmcof, nodecf;

    /* Deep-space lunar-solar and resonance terms. */
    int irez;
    double d2201, d2211, d3210, d3222, d4410, d4422, d5220, d5232, d5421, d5433;
    double dedt, del1, del2, del3, didt, dmdt, dnodt, domdt;
    double e3, ee2, peo, pgho, pho, pinco, plo, se2, se3, sgh2, sgh3, sgh4, sh2, sh3;
    double si2, si3, sl2, sl3, sl4, gsto, xfact, xgh2, xgh3, xgh4, xh2, xh3;
    double xi2, xi3, xl2, xl3, xl4, xlamo, zmol, zmos;
} apsco_sat;

/*
 * State of the deep-space resonance integrator, kept between calls by a
 * caller that propagates one satellite at increasing times. Zero it (or call
 * apsco_sgp4_cache_reset) before first use for a satellite. Results are bit
 * for bit the same with or without a cache; the cache only saves work.
 */
typedef struct apsco_sgp4_cache {
    double atime_min; /* integrator time, minutes since epoch */
    double xli;       /* resonance longitude at atime, rad */
    double xni;       /* mean motion at atime, rad/min */
} apsco_sgp4_cache;

void apsco_sgp4_cache_reset(apsco_sgp4_cache *cache);

/*
 * Initialises `sat` from `elset` with the given constants and mode.
 * Returns APSCO_OK, or APSCO_ERR_SGP4 with sat->init_error and err set when
 * the reference initialisation reports an error code (the record is still
 * filled; every later apsco_sgp4 call returns that code).
 */
apsco_status apsco_sat_init(apsco_sat *sat, const apsco_elset *elset, apsco_gravity gravity,
                            apsco_opsmode opsmode, apsco_error *err);

/*
 * Position (km) and velocity (km/s) in TEME at `tsince_min` minutes from
 * epoch. Returns an apsco_sgp4_code; on a non-zero code r and v hold what the
 * reference computes up to the failure (may be NaN) and must not be used.
 * `cache` may be NULL.
 */
int apsco_sgp4(const apsco_sat *sat, apsco_sgp4_cache *cache, double tsince_min, double r_km[3],
               double v_km_s[3]);

/* Minutes from the satellite's epoch to the UTC instant `t`. */
double apsco_sat_tsince_min(const apsco_sat *sat, apsco_time t);

/* apsco_sgp4 at a UTC instant. */
int apsco_sgp4_at(const apsco_sat *sat, apsco_sgp4_cache *cache, apsco_time t, double r_km[3],
                  double v_km_s[3]);

#ifdef __cplusplus
}
#endif
#endif
