/*
 * apsco/frames.h — reference frames and geometry: GMST (IAU-82), TEME to
 * ITRF with optional polar motion and UT1 from an IERS EOP file, geodetic
 * WGS-84, topocentric look angles, the Sun, and Earth's shadow.
 *
 * Angles are radians, distances km, velocities km/s, times UTC (apsco_time).
 * Nothing here knows about stations or satellites: callers pass vectors.
 *
 * Conventions of TEME -> ITRF (those of Skyfield's sgp4lib.TEME_to_ITRF,
 * which apsco matches to 1e-10 km and 1e-14 km/s, and of Vallado et al.
 * 2006, AIAA 2006-6753, Appendix C, but for the rate w, see below):
 *   r_PEF  = R3(GMST82(UT1)) r_TEME        (GMST of IAU 1982, no equation of
 *                                           the equinoxes: TEME's x axis is
 *                                           the mean equinox)
 *   v_PEF  = R3(GMST82) v_TEME - w x r_PEF, w = (0, 0, dGMST82/dt)
 *   r_ITRF = R1(-yp) R2(-xp) r_PEF          (IERS 2010 eq. 5.3 with s' = 0;
 *   v_ITRF = R1(-yp) R2(-xp) v_PEF           R1, R2, R3 rotate the frame)
 * UT1 = UTC + (UT1 - UTC) from the EOP table, UT1 = UTC without one.
 *
 * The rotation rate w is the time derivative of the GMST82 polynomial,
 * 2π (1 + (8640184.812866 + 0.186208 T - 1.86e-5 T²) / 3155760000) / 86400
 * rad/s (T in Julian centuries of UT1 from J2000), about 7.2921158553e-5
 * rad/s: the rate at which the TEME -> PEF rotation turns, as Skyfield uses.
 * Vallado's teme2ecef uses APSCO_EARTH_ROTATION_RAD_S instead (the Earth's
 * rate with respect to inertial space); the two differ by the precession
 * of the mean equinox, 7.1e-12 rad/s, i.e. 50 µm/s in LEO and 0.3 mm/s at
 * GEO. With an EOP table that gives the length of day, w is scaled by
 * (1 - LOD / 86400 s) as in Vallado's teme2ecef (Skyfield ignores LOD; at
 * LOD = 2 ms the scaling changes GEO velocities by 71 µm/s).
 */
#ifndef APSCO_FRAMES_H
#define APSCO_FRAMES_H

#include <stddef.h>

#include "apsco/error.h"
#include "apsco/time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* WGS-84 ellipsoid. */
#define APSCO_WGS84_A_KM 6378.137
#define APSCO_WGS84_F    (1.0 / 298.257223563)
/*
 * The Earth's nominal rotation rate with respect to inertial space (rad/s),
 * the constant of Vallado's teme2ecef. apsco's TEME -> ITRF does not use it:
 * it uses the GMST82 rate (apsco_gmst82_rate_rad_s), see above.
 */
#define APSCO_EARTH_ROTATION_RAD_S 7.292115146706979e-5

/* ------------------------------------------------------------------------ */
/* Earth orientation parameters (IERS)                                      */
/* ------------------------------------------------------------------------ */

/* One day of Earth orientation parameters. */
typedef struct apsco_eop_row {
    double mjd;       /* Modified Julian Date (UTC) of the row */
    double xp_arcsec; /* polar motion x */
    double yp_arcsec; /* polar motion y */
    double dut1_s;    /* UT1 - UTC */
    double lod_ms;    /* excess length of day; 0 when not given */
    int predicted;    /* 1 when a value is a prediction (finals flag 'P', CelesTrak type P) */
} apsco_eop_row;

/* A table of EOP rows sorted by mjd, owned by the caller (apsco_eop_free). */
typedef struct apsco_eop {
    apsco_eop_row *rows;
    size_t count;
} apsco_eop;

/* Limits of apsco_eop_parse / apsco_eop_load (APSCO_ERR_LIMIT beyond them). */
#define APSCO_EOP_ROWS_MAX  200000              /* 547 years of daily rows */
#define APSCO_EOP_BYTES_MAX (64L * 1024 * 1024) /* finals2000A.all is about 3.5 MB */

/*
 * Parses IERS EOP text (`len` bytes, need not be NUL-terminated), of either
 * layout, told apart by the first non-blank line:
 *  - IERS finals.all / finals2000A.all / finals.daily (fixed columns, the
 *    Bulletin A values: MJD in columns 8-15, PM-x 19-27, PM-y 38-46 arcsec,
 *    UT1-UTC 59-68 s, LOD 80-86 ms; flags I/P in columns 17 and 58). Rows
 *    whose polar motion and UT1-UTC are all blank (the dates after the end
 *    of the predictions) are skipped.
 *  - CelesTrak's EOP-All.csv (header DATE,MJD,X,Y,UT1-UTC,LOD,...,DATA_TYPE;
 *    X, Y arcsec, UT1-UTC and LOD seconds, DATA_TYPE O or P). Columns are
 *    found by their header name; MJD, X, Y and UT1-UTC are required.
 * Each row's date must agree with its MJD, MJDs must increase, and values
 * must be plausible (|x|, |y| < 6", |UT1-UTC| < 2 s, |LOD| < 10 ms).
 *
 * On success `out` holds the rows (free with apsco_eop_free). On failure
 * `out` is empty and `err` names `source` and the 1-based line:
 * APSCO_ERR_PARSE (malformed line), APSCO_ERR_VALUE (impossible value, date
 * and MJD disagree, MJD out of order), APSCO_ERR_EMPTY (no rows),
 * APSCO_ERR_LIMIT (more than APSCO_EOP_ROWS_MAX rows), APSCO_ERR_NOMEM,
 * APSCO_ERR_ARG (NULL text with len > 0, or NULL out).
 */
apsco_status apsco_eop_parse(const char *text, size_t len, const char *source, apsco_eop *out,
                             apsco_error *err);
/*
 * Reads and parses the EOP file at `path` (errors name the path).
 * APSCO_ERR_IO when it cannot be read, APSCO_ERR_LIMIT beyond
 * APSCO_EOP_BYTES_MAX, and the errors of apsco_eop_parse.
 */
apsco_status apsco_eop_load(const char *path, apsco_eop *out, apsco_error *err);
/* Frees the rows and empties the table (NULL is allowed). */
void apsco_eop_free(apsco_eop *eop);

/*
 * All EOP at a UTC instant, linearly interpolated between the two rows
 * around it (xp, yp, LOD as they are; UT1 - UTC through UT1 - TAI, which is
 * continuous, so that a leap second between two rows is not smeared over
 * the day). `predicted` is set when either row is predicted. Returns 1 when
 * `t` lies within the table (first row <= t <= last row), 0 otherwise and
 * then `out` is all zero.
 */
int apsco_eop_interpolate(const apsco_eop *eop, apsco_time t, apsco_eop_row *out);

/*
 * EOP at a UTC instant, as apsco_eop_interpolate, in radians. Returns 1
 * when `t` lies within the table, 0 otherwise (then all outputs are 0).
 */
int apsco_eop_at(const apsco_eop *eop, apsco_time t, double *xp_rad, double *yp_rad,
                 double *dut1_s);

/* ------------------------------------------------------------------------ */
/* Sidereal time and TEME <-> ITRF                                          */
/* ------------------------------------------------------------------------ */

/*
 * Greenwich mean sidereal time, IAU 1982 (Aoki et al. 1982; Vallado's
 * gstime), at a UT1 instant given as a two-part Julian date, in [0, 2π).
 * The whole days are reduced separately from the fraction so that no
 * precision is lost to the size of the Julian date.
 */
double apsco_gmst82_rad(apsco_time ut1);

/* The rate of apsco_gmst82_rad, rad per second of UT1 (about 7.2921158553e-5). */
double apsco_gmst82_rate_rad_s(apsco_time ut1);

/*
 * The rotation from TEME to ITRF at one instant, built once and applied to
 * many vectors (every satellite of a catalog at that instant). Plain data:
 * build it with apsco_earth_rotation_at or apsco_earth_rotation_from_ut1.
 */
typedef struct apsco_earth_rotation {
    double cos_gmst, sin_gmst; /* of GMST82 at the instant's UT1 */
    double omega_rad_s;        /* rotation rate of PEF with respect to TEME */
    int polar_motion;          /* 0: pm is the identity and is skipped */
    double pm[3][3];           /* r_ITRF = pm r_PEF */
} apsco_earth_rotation;

/*
 * The rotation at a UT1 instant with polar motion (xp, yp) in radians and
 * excess length of day `lod_s` in seconds (0 when unknown).
 */
void apsco_earth_rotation_from_ut1(apsco_earth_rotation *rot, apsco_time ut1, double xp_rad,
                                   double yp_rad, double lod_s);

/*
 * The rotation at a UTC instant: UT1, polar motion and LOD from `eop`
 * (interpolated), or UT1 = UTC and no polar motion when `eop` is NULL or
 * does not cover `utc`. Returns 1 when the EOP table was used, else 0.
 */
int apsco_earth_rotation_at(apsco_earth_rotation *rot, apsco_time utc, const apsco_eop *eop);

/*
 * Applies `rot`: TEME position (km) and velocity (km/s) to ITRF.
 * `v_teme_km_s` and `v_itrf_km_s` may be NULL together. Inputs and outputs
 * may alias. No allocation; six multiplications per vector plus polar motion.
 */
void apsco_earth_rotation_teme_to_itrf(const apsco_earth_rotation *rot, const double r_teme_km[3],
                                       const double v_teme_km_s[3], double r_itrf_km[3],
                                       double v_itrf_km_s[3]);

/* The inverse of apsco_earth_rotation_teme_to_itrf, with the same rules. */
void apsco_earth_rotation_itrf_to_teme(const apsco_earth_rotation *rot, const double r_itrf_km[3],
                                       const double v_itrf_km_s[3], double r_teme_km[3],
                                       double v_teme_km_s[3]);

/*
 * TEME → ITRF at a UTC instant: rotation by GMST82, then polar motion when
 * `eop` covers `utc` (UT1 - UTC and LOD also taken from it; see the
 * conventions at the top). `v_teme_km_s` and `v_itrf_km_s` may be NULL
 * together. Input and output arrays may alias. For many vectors at one
 * instant, build an apsco_earth_rotation once instead.
 */
void apsco_teme_to_itrf(apsco_time utc, const apsco_eop *eop, const double r_teme_km[3],
                        const double v_teme_km_s[3], double r_itrf_km[3], double v_itrf_km_s[3]);

/* The inverse of apsco_teme_to_itrf. */
void apsco_itrf_to_teme(apsco_time utc, const apsco_eop *eop, const double r_itrf_km[3],
                        const double v_itrf_km_s[3], double r_teme_km[3], double v_teme_km_s[3]);

/* ------------------------------------------------------------------------ */
/* Geodetic coordinates and observers                                       */
/* ------------------------------------------------------------------------ */

/* Geodetic coordinates on the WGS-84 ellipsoid. */
typedef struct apsco_geodetic {
    double lat_rad; /* geodetic latitude, -π/2..π/2 */
    double lon_rad; /* longitude east, -π..π */
    double alt_km;  /* height above the ellipsoid */
} apsco_geodetic;

/*
 * ITRF position → geodetic WGS-84: the foot of the normal through the point
 * nearest to it, by Newton's method converged to the last bits (position
 * rebuilt to 3e-12 km at the surface, 2e-11 km at GEO, 2e-10 km at the
 * Moon's distance), from the Earth's centre outward. On the polar axis the
 * longitude is 0; in the equatorial plane within 43 km of the centre, where
 * two feet are equally near, the northern one. About 80 ns.
 */
void apsco_itrf_to_geodetic(const double r_km[3], apsco_geodetic *out);
/* Geodetic WGS-84 → ITRF position. */
void apsco_geodetic_to_itrf(const apsco_geodetic *g, double r_km[3]);

/* An observer fixed on the Earth, with what look-angle computations reuse. */
typedef struct apsco_observer {
    apsco_geodetic where;
    double r_itrf_km[3]; /* observer position, ITRF */
    double sin_lat, cos_lat, sin_lon, cos_lon;
} apsco_observer;

/* Sets up an observer at geodetic (WGS-84) latitude, longitude and height. */
void apsco_observer_init(apsco_observer *obs, double lat_rad, double lon_rad, double alt_km);

/* Topocentric look angles of a target. */
typedef struct apsco_look {
    double az_rad;          /* azimuth from north through east, 0..2π */
    double el_rad;          /* elevation above the horizon plane (normal to the ellipsoid) */
    double range_km;        /* slant range */
    double range_rate_km_s; /* d(range)/dt, positive when receding; 0 when no velocity given */
} apsco_look;

/*
 * Look angles from `obs` to a target at ITRF position `r_km` with ITRF
 * velocity `v_km_s` (may be NULL: range rate is then 0). Geometric: no
 * refraction, no light time. A target at the observer gets all zeros.
 * No allocation; two atan2 and two sqrt.
 */
void apsco_observer_look(const apsco_observer *obs, const double r_km[3], const double v_km_s[3],
                         apsco_look *out);

/* ------------------------------------------------------------------------ */
/* The Sun and Earth's shadow                                               */
/* ------------------------------------------------------------------------ */

/*
 * Geocentric position of the Sun in TEME (true equator, mean equinox of
 * date), km, at a UTC instant (evaluated in TT). Low-precision solar
 * coordinates: the Astronomical Almanac's formulas (Vallado's "sun") in
 * Meeus's fuller form, plus the largest perturbations by Venus, Jupiter and
 * the Moon and the principal nutation term, so that the result is referred
 * to TEME rather than to the mean equator. Apparent direction (aberration
 * included). Against ERFA over 1950-2050: 0.0048° at worst, 0.0013° rms,
 * distance within 2e-5 (tests/unit/test_sun.c).
 */
void apsco_sun_teme(apsco_time utc, double r_km[3]);

/* Radii of the shadow model (km). */
#define APSCO_SUN_RADIUS_KM   696000.0
#define APSCO_EARTH_SHADOW_KM 6378.137

/*
 * Fraction of the solar disc visible from a point at `r_km` (any geocentric
 * frame) with the Sun at `sun_km` (same frame): 1 sunlit, 0 in umbra,
 * between in penumbra. The discs of the Sun (radius 696 000 km) and of a
 * spherical Earth (radius 6378.137 km) as seen from the point, and the area
 * of their overlap (Montenbruck & Gill, Satellite Orbits, 2000, sec. 3.4.2):
 * a conical shadow with the penumbra weighted by the hidden area. A point
 * inside the Earth gets 0.
 */
double apsco_sunlit_fraction(const double r_km[3], const double sun_km[3]);

#ifdef __cplusplus
}
#endif
#endif
