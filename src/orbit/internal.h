/*
 * internal.h — what the files of the orbit module share: the gravity models,
 * the sidereal time of the epoch, and the deep-space (SDP4) pieces that the
 * initialisation and the propagation both call.
 *
 * References used throughout the module:
 *   [STR3] F. R. Hoots, R. L. Roehrich, "Models for Propagation of NORAD
 *          Element Sets", Spacetrack Report #3, 1980.
 *   [VCHK] D. A. Vallado, P. Crawford, R. Hujsak, T. S. Kelso, "Revisiting
 *          Spacetrack Report #3", AIAA 2006-6753, 2006, and the reference
 *          implementation distributed with it.
 *
 * Bit-for-bit agreement with that implementation is a requirement, so every
 * expression keeps the reference's order of floating-point operations; the
 * comments say where a formula was regrouped and why that is exact.
 */
#ifndef APSCO_ORBIT_INTERNAL_H
#define APSCO_ORBIT_INTERNAL_H

#include "apsco/orbit.h"

#define ORBIT_PI    3.14159265358979323846
#define ORBIT_TWOPI (2.0 * ORBIT_PI)

/* Earth rotation rate used by the resonance terms, rad/min (7.29211514668855e-5 rad/s). */
#define ORBIT_RPTIM 4.37526908801129966e-3

/*
 * Copies the constants of `model` (mu, Earth radius, xke, J2-J4) into `sat`.
 * Returns 0, or -1 when `model` is not an apsco_gravity value.
 */
int orbit_set_gravity(apsco_sat *sat, apsco_gravity model);

/* Greenwich mean sidereal time (IAU 1982) of a one-double UT1 Julian date, rad in [0, 2pi). */
double orbit_gstime(double jdut1);

/* Greenwich sidereal time of the AFSPC implementation at days since 1950-0.0, rad. */
double orbit_gst_afspc(double epoch_days_1950);

/*
 * The solar or lunar coefficients of dscom, for one perturbing body
 * ([STR3] DEEP section, [VCHK] dscom).
 */
typedef struct orbit_body_terms {
    double s1, s2, s3, s4, s5, s6, s7;
    double z1, z2, z3, z11, z12, z13, z21, z22, z23, z31, z32, z33;
} orbit_body_terms;

/* What dscom hands to dsinit besides what it stores in the record. */
typedef struct orbit_ds_common {
    double sinim, cosim;  /* sine and cosine of the inclination */
    double em, emsq;      /* eccentricity and its square */
    double nm;            /* mean motion, rad/min */
    orbit_body_terms sun; /* the "ss"/"sz" terms of the reference */
    orbit_body_terms moon;
} orbit_ds_common;

/*
 * dscom: lunar-solar terms common to the secular and periodic deep-space
 * effects at the epoch. Stores the periodic coefficients (se2 … xl4) and
 * zmol, zmos in `sat`, returns the rest in `out`. Needs sat->ecco, argpo,
 * inclo, nodeo, no_unkozai and epoch_days_1950.
 */
void orbit_dscom(apsco_sat *sat, orbit_ds_common *out);

/*
 * dsinit: secular rates of the lunar-solar terms and, for 12 h and 24 h
 * orbits, the resonance coefficients and the integrator's starting point.
 * `xpidot` is the secular rate of the longitude of perigee, rad/min.
 */
void orbit_dsinit(apsco_sat *sat, const orbit_ds_common *c, double xpidot);

/*
 * dspace: deep-space secular effects and the resonance integration at
 * `t_min` minutes from epoch. Updates the mean elements in place (em,
 * argpm rad, inclm rad, mm rad, nodem rad) and sets nm (rad/min). `cache`
 * holds the integrator state between calls; NULL integrates from epoch.
 */
void orbit_dspace(const apsco_sat *sat, apsco_sgp4_cache *cache, double t_min, double *em,
                  double *argpm, double *inclm, double *mm, double *nodem, double *nm);

/*
 * dpper: the lunar-solar long-period periodics at `t_min`, applied to the
 * elements ep, inclp, nodep, argpp, mp (rad) in place.
 */
void orbit_dpper(const apsco_sat *sat, double t_min, double *ep, double *inclp, double *nodep,
                 double *argpp, double *mp);

/* The propagation itself, also run once at the epoch by apsco_sat_init. */
int orbit_sgp4(const apsco_sat *sat, apsco_sgp4_cache *cache, double tsince_min, double r_km[3],
               double v_km_s[3]);

#endif
