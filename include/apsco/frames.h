/*
 * apsco/frames.h — reference frames and geometry: GMST (IAU-82), TEME to
 * ITRF with optional polar motion and UT1 from an IERS EOP file, geodetic
 * WGS-84, topocentric look angles, the Sun, and Earth's shadow.
 *
 * Angles are radians, distances km, velocities km/s, times UTC (apsco_time).
 * Nothing here knows about stations or satellites: callers pass vectors.
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
/* Earth rotation rate used with GMST82 (rad/s). */
#define APSCO_EARTH_ROTATION_RAD_S 7.292115146706979e-5

/* One day of Earth orientation parameters. */
typedef struct apsco_eop_row {
    double mjd;       /* Modified Julian Date (UTC) of the row */
    double xp_arcsec; /* polar motion x */
    double yp_arcsec; /* polar motion y */
    double dut1_s;    /* UT1 - UTC */
    double lod_ms;    /* excess length of day; 0 when not given */
} apsco_eop_row;

/* A table of EOP rows sorted by mjd, owned by the caller (apsco_eop_free). */
typedef struct apsco_eop {
    apsco_eop_row *rows;
    size_t count;
} apsco_eop;

/*
 * Parses IERS EOP text (`len` bytes): the fixed-width finals.all /
 * finals2000A.all layout (Bulletin A columns) or CelesTrak's EOP-All.csv.
 * Malformed lines are errors naming `source` and the line.
 */
apsco_status apsco_eop_parse(const char *text, size_t len, const char *source, apsco_eop *out,
                             apsco_error *err);
/* Reads and parses the EOP file at `path`. */
apsco_status apsco_eop_load(const char *path, apsco_eop *out, apsco_error *err);
void apsco_eop_free(apsco_eop *eop);

/*
 * EOP at a UTC instant, linearly interpolated between rows. Returns 1 when
 * `t` lies within the table, 0 otherwise (then all outputs are 0).
 */
int apsco_eop_at(const apsco_eop *eop, apsco_time t, double *xp_rad, double *yp_rad,
                 double *dut1_s);

/* Greenwich mean sidereal time, IAU-82 (Vallado's gstime), at a UT1 instant, in [0, 2π). */
double apsco_gmst82_rad(apsco_time ut1);

/*
 * TEME → ITRF at a UTC instant: rotation by GMST82, then polar motion when
 * `eop` is not NULL (UT1 - UTC also taken from it). Velocity includes the
 * Earth-rotation term. `v_teme_km_s` and `v_itrf_km_s` may be NULL together.
 * Input and output arrays may alias.
 */
void apsco_teme_to_itrf(apsco_time utc, const apsco_eop *eop, const double r_teme_km[3],
                        const double v_teme_km_s[3], double r_itrf_km[3], double v_itrf_km_s[3]);

/* The inverse of apsco_teme_to_itrf. */
void apsco_itrf_to_teme(apsco_time utc, const apsco_eop *eop, const double r_itrf_km[3],
                        const double v_itrf_km_s[3], double r_teme_km[3], double v_teme_km_s[3]);

/* Geodetic coordinates on the WGS-84 ellipsoid. */
typedef struct apsco_geodetic {
    double lat_rad; /* geodetic latitude, -π/2..π/2 */
    double lon_rad; /* longitude east, -π..π */
    double alt_km;  /* height above the ellipsoid */
} apsco_geodetic;

/* ITRF position → geodetic WGS-84 (exact to well under 1 mm from the ground to GEO). */
void apsco_itrf_to_geodetic(const double r_km[3], apsco_geodetic *out);
/* Geodetic WGS-84 → ITRF position. */
void apsco_geodetic_to_itrf(const apsco_geodetic *g, double r_km[3]);

/* An observer on the Earth, with what look-angle computations reuse. */
typedef struct apsco_observer {
    apsco_geodetic where;
    double r_itrf_km[3]; /* observer position, ITRF */
    double sin_lat, cos_lat, sin_lon, cos_lon;
} apsco_observer;

void apsco_observer_init(apsco_observer *obs, double lat_rad, double lon_rad, double alt_km);

/* Topocentric look angles of a target. */
typedef struct apsco_look {
    double az_rad;          /* azimuth from north through east, 0..2π */
    double el_rad;          /* elevation above the horizon plane, -π/2..π/2 */
    double range_km;        /* slant range */
    double range_rate_km_s; /* d(range)/dt, positive when receding; 0 when no velocity given */
} apsco_look;

/*
 * Look angles from `obs` to a target at ITRF position `r_km` with ITRF
 * velocity `v_km_s` (may be NULL: range rate is then 0).
 */
void apsco_observer_look(const apsco_observer *obs, const double r_km[3], const double v_km_s[3],
                         apsco_look *out);

/*
 * Geocentric position of the Sun in TEME (true equator, mean equinox of
 * date), km, from the low-precision solar coordinates of the Astronomical
 * Almanac (about 0.01° over 1950-2050; checked against ERFA).
 */
void apsco_sun_teme(apsco_time utc, double r_km[3]);

/*
 * Fraction of the solar disc visible from a point at `r_km` (any geocentric
 * frame) with the Sun at `sun_km` (same frame): 1 sunlit, 0 in umbra,
 * between in penumbra (conical shadow of a spherical Earth of radius
 * 6378.137 km, the Sun of radius 696 000 km).
 */
double apsco_sunlit_fraction(const double r_km[3], const double sun_km[3]);

#ifdef __cplusplus
}
#endif
#endif
