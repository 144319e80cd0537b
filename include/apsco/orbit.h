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

/* The error codes of the reference SGP4 (1-6), per satellite and time, and apsco's 7. */
typedef enum apsco_sgp4_code {
    APSCO_SGP4_OK = 0,
    APSCO_SGP4_MEAN_ECC = 1,    /* mean eccentricity not in [-0.001, 1) */
    APSCO_SGP4_MEAN_MOTION = 2, /* mean motion not positive */
    APSCO_SGP4_PERT_ECC = 3,    /* perturbed eccentricity not in [0,1] */
    APSCO_SGP4_SEMI_LATUS = 4,  /* semi-latus rectum less than 0 */
    APSCO_SGP4_SUBORBITAL = 5,  /* epoch elements are sub-orbital (not raised since 2006) */
    APSCO_SGP4_DECAYED = 6,     /* the satellite has decayed (radius below 1 er) */
    APSCO_SGP4_BAD_TIME = 7     /* tsince not finite or beyond APSCO_SGP4_MAX_TSINCE_MIN;
                                   apsco's own guard, not a code of the reference */
} apsco_sgp4_code;

/*
 * Largest |tsince| apsco_sgp4 accepts, minutes (about 1900 years). The
 * resonance integrator steps 720 min at a time from the epoch, so the
 * reference would loop without end on an infinite time.
 */
#define APSCO_SGP4_MAX_TSINCE_MIN 1.0e9

/* A constant description of an SGP4 error code ("satellite has decayed", …). */
const char *apsco_sgp4_code_message(int code);

/*
 * An initialised SGP4 record. Fields `norad`..`deep_space` are for reading;
 * the rest are the model's intermediate quantities (names follow Vallado et
 * al. 2006 so that the code can be checked against the paper) and are
 * private to the orbit module. Units: Earth radii (er), minutes, radians.
 */
typedef struct apsco_sat {
    long norad;            /* catalog number */
    apsco_time epoch;      /* epoch, UTC */
    apsco_gravity gravity; /* constants in use */
    apsco_opsmode opsmode; /* operation mode */
    int init_error;        /* apsco_sgp4_code raised by initialisation, 0 if none */
    int deep_space;        /* 1 when the period is 225 min or more (SDP4) */

    /* Gravity constants: min per time unit, km^3/s^2, km, er^1.5/min, and zonal harmonics. */
    double tumin, mu, radiusearthkm, xke, j2, j3, j4, j3oj2;

    /* Mean elements at epoch (rad, rad/min, 1/er) and derived orbit sizes (er). */
    double epoch_days_1950; /* days from 1949-12-31 00:00 UTC */
    double bstar, inclo, nodeo, ecco, argpo, mo, no_kozai, no_unkozai;
    double a, alta, altp;

    /* Near-Earth secular and drag terms. */
    int isimp;
    double aycof, con41, cc1, cc4, cc5, d2, d3, d4, delmo, eta, argpdot, omgcof, sinmao;
    double t2cof, t3cof, t4cof, t5cof, x1mth2, x7thm1, mdot, nodedot, xlcof, xmcof, nodecf;

    /* Deep-space lunar-solar and resonance terms (irez: 0 none, 1 one-day, 2 half-day). */
    int irez;
    double d2201, d2211, d3210, d3222, d4410, d4422, d5220, d5232, d5421, d5433;
    double dedt, del1, del2, del3, didt, dmdt, dnodt, domdt;
    double e3, ee2, se2, se3, sgh2, sgh3, sgh4, sh2, sh3;
    double si2, si3, sl2, sl3, sl4, gsto, xfact, xgh2, xgh3, xgh4, xh2, xh3;
    double xi2, xi3, xl2, xl3, xl4, xlamo, zmol, zmos;

    /*
     * Products the reference forms at every call, formed once here with the
     * same operands in the same order (so the results are identical):
     * km/s per er/min, bstar*cc4, bstar*cc5, pow(xke/no_unkozai, 2/3) (er),
     * sine and cosine of the epoch inclination.
     */
    double vkmpersec, bstar_cc4, bstar_cc5, ao, sinio, cosio;
} apsco_sat;

/*
 * State of the deep-space resonance integrator, kept between calls by a
 * caller that propagates one satellite at increasing times. Zero it (or call
 * apsco_sgp4_cache_reset) before first use. Results are bit for bit the same
 * with or without a cache; the cache only saves work. A cache records which
 * satellite filled it and starts over when handed another one, but it is not
 * thread-safe: use one cache per thread.
 */
typedef struct apsco_sgp4_cache {
    double atime_min;   /* integrator time, minutes since epoch (a multiple of 720) */
    double xli;         /* resonance longitude at atime, rad */
    double xni;         /* mean motion at atime, rad/min */
    double owner_xlamo; /* xlamo and no_unkozai of the satellite the state belongs to */
    double owner_no;
} apsco_sgp4_cache;

void apsco_sgp4_cache_reset(apsco_sgp4_cache *cache);

/*
 * Initialises `sat` from `elset` with the given constants and mode. The
 * epoch seen by the lunar-solar terms and the sidereal time is (epoch.jd +
 * epoch.fr) - 2433281.5 days from 1949-12-31 0h, rounded as the reference
 * rounds it. Returns:
 *   APSCO_OK;
 *   APSCO_ERR_SGP4, with sat->init_error and err set, when the propagation
 *     to the epoch that ends the reference initialisation reports a code,
 *     or when the eccentricity is outside [-0.001, 1) (code 1, where the
 *     reference would divide by zero); every later apsco_sgp4 call on the
 *     record returns that code;
 *   APSCO_ERR_ARG for NULL pointers or an unknown gravity model or opsmode;
 *   APSCO_ERR_VALUE when an element is not finite or the mean motion is not
 *     positive (the reference has no answer for those).
 * After APSCO_ERR_ARG or APSCO_ERR_VALUE a non-NULL `sat` is zeroed, and
 * apsco_sgp4 on it returns APSCO_SGP4_MEAN_MOTION.
 */
apsco_status apsco_sat_init(apsco_sat *sat, const apsco_elset *elset, apsco_gravity gravity,
                            apsco_opsmode opsmode, apsco_error *err);

/*
 * Position (km) and velocity (km/s) in TEME at `tsince_min` minutes from
 * epoch. Returns an apsco_sgp4_code. For codes 1-5 and 7, and for every
 * call on a record whose init_error is set, r and v are NaN. For code 6
 * (decayed) they hold the sub-surface state the reference computes; do not
 * use it.
 * `cache` may be NULL. Deep-space resonant orbits integrate in 720 min steps
 * from the epoch, so the cost grows with |tsince_min| unless a cache is used.
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
