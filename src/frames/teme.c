/*
 * teme.c — TEME <-> ITRF: the rotation by GMST82 into the pseudo-Earth-fixed
 * frame, the Earth-rotation term of the velocity, and polar motion.
 *
 * The rotation for one instant is built once (apsco_earth_rotation) and then
 * applied to any number of vectors without trigonometry or allocation. The
 * conventions (which GMST, which rate, which polar-motion matrix) are
 * documented in apsco/frames.h; they are those of Skyfield's TEME_to_ITRF.
 */
#include <math.h>

#include "apsco/frames.h"

#define ARCSEC_TO_RAD (M_PI / (180.0 * 3600.0))

/*
 * Polar motion W = R1(-yp) R2(-xp), IERS Conventions (2010) eq. 5.3 with
 * s' = 0 as for the IAU-76/FK5 reduction, written out (R1, R2 rotate the
 * frame): r_ITRF = W r_PEF.
 */
static void polar_motion_matrix(double xp, double yp, double w[3][3])
{
    double cx = cos(xp), sx = sin(xp), cy = cos(yp), sy = sin(yp);
    w[0][0] = cx;
    w[0][1] = 0.0;
    w[0][2] = sx;
    w[1][0] = sy * sx;
    w[1][1] = cy;
    w[1][2] = -sy * cx;
    w[2][0] = -cy * sx;
    w[2][1] = sy;
    w[2][2] = cy * cx;
}

void apsco_earth_rotation_from_ut1(apsco_earth_rotation *rot, apsco_time ut1, double xp_rad,
                                   double yp_rad, double lod_s)
{
    double theta = apsco_gmst82_rad(ut1);
    rot->cos_gmst = cos(theta);
    rot->sin_gmst = sin(theta);
    /* A day longer than 86400 SI seconds by LOD turns the Earth slower (Vallado's teme2ecef). */
    rot->omega_rad_s = apsco_gmst82_rate_rad_s(ut1) * (1.0 - lod_s / APSCO_SECONDS_PER_DAY);
    rot->polar_motion = xp_rad != 0.0 || yp_rad != 0.0;
    polar_motion_matrix(xp_rad, yp_rad, rot->pm);
}

int apsco_earth_rotation_at(apsco_earth_rotation *rot, apsco_time utc, const apsco_eop *eop)
{
    apsco_eop_row row;
    if (!apsco_eop_interpolate(eop, utc, &row)) {
        apsco_earth_rotation_from_ut1(rot, utc, 0.0, 0.0, 0.0);
        return 0;
    }
    apsco_time ut1 = apsco_time_add_s(utc, row.dut1_s);
    apsco_earth_rotation_from_ut1(rot, ut1, row.xp_arcsec * ARCSEC_TO_RAD,
                                  row.yp_arcsec * ARCSEC_TO_RAD, row.lod_ms * 1e-3);
    return 1;
}

/* out = m v (out may be v). */
static void mul(const double m[3][3], const double v[3], double out[3])
{
    double x = m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2];
    double y = m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2];
    double z = m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2];
    out[0] = x;
    out[1] = y;
    out[2] = z;
}

/* out = mᵀ v (out may be v). */
static void mul_transposed(const double m[3][3], const double v[3], double out[3])
{
    double x = m[0][0] * v[0] + m[1][0] * v[1] + m[2][0] * v[2];
    double y = m[0][1] * v[0] + m[1][1] * v[1] + m[2][1] * v[2];
    double z = m[0][2] * v[0] + m[1][2] * v[1] + m[2][2] * v[2];
    out[0] = x;
    out[1] = y;
    out[2] = z;
}

/*
 * TEME -> PEF (Vallado et al. 2006, AIAA 2006-6753, App. C):
 *   r_PEF = R3(θ) r_TEME,  v_PEF = R3(θ) v_TEME - ω ẑ × r_PEF,
 * with R3(θ) = [[c, s, 0], [-s, c, 0], [0, 0, 1]] and -ω ẑ × r = (ω y, -ω x, 0).
 */
void apsco_earth_rotation_teme_to_itrf(const apsco_earth_rotation *rot, const double r_teme_km[3],
                                       const double v_teme_km_s[3], double r_itrf_km[3],
                                       double v_itrf_km_s[3])
{
    double c = rot->cos_gmst, s = rot->sin_gmst;
    double r[3] = {c * r_teme_km[0] + s * r_teme_km[1], -s * r_teme_km[0] + c * r_teme_km[1],
                   r_teme_km[2]};
    if (v_teme_km_s && v_itrf_km_s) {
        double w = rot->omega_rad_s;
        double v[3] = {c * v_teme_km_s[0] + s * v_teme_km_s[1] + w * r[1],
                       -s * v_teme_km_s[0] + c * v_teme_km_s[1] - w * r[0], v_teme_km_s[2]};
        if (rot->polar_motion)
            mul(rot->pm, v, v);
        v_itrf_km_s[0] = v[0];
        v_itrf_km_s[1] = v[1];
        v_itrf_km_s[2] = v[2];
    }
    if (rot->polar_motion)
        mul(rot->pm, r, r);
    r_itrf_km[0] = r[0];
    r_itrf_km[1] = r[1];
    r_itrf_km[2] = r[2];
}

/* PEF -> TEME, the same relations solved for the TEME vectors. */
void apsco_earth_rotation_itrf_to_teme(const apsco_earth_rotation *rot, const double r_itrf_km[3],
                                       const double v_itrf_km_s[3], double r_teme_km[3],
                                       double v_teme_km_s[3])
{
    double c = rot->cos_gmst, s = rot->sin_gmst;
    double r[3] = {r_itrf_km[0], r_itrf_km[1], r_itrf_km[2]};
    if (rot->polar_motion)
        mul_transposed(rot->pm, r, r);
    if (v_itrf_km_s && v_teme_km_s) {
        double w = rot->omega_rad_s;
        double v[3] = {v_itrf_km_s[0], v_itrf_km_s[1], v_itrf_km_s[2]};
        if (rot->polar_motion)
            mul_transposed(rot->pm, v, v);
        double vx = v[0] - w * r[1], vy = v[1] + w * r[0];
        v_teme_km_s[0] = c * vx - s * vy;
        v_teme_km_s[1] = s * vx + c * vy;
        v_teme_km_s[2] = v[2];
    }
    double x = c * r[0] - s * r[1], y = s * r[0] + c * r[1];
    r_teme_km[0] = x;
    r_teme_km[1] = y;
    r_teme_km[2] = r[2];
}

void apsco_teme_to_itrf(apsco_time utc, const apsco_eop *eop, const double r_teme_km[3],
                        const double v_teme_km_s[3], double r_itrf_km[3], double v_itrf_km_s[3])
{
    apsco_earth_rotation rot;
    apsco_earth_rotation_at(&rot, utc, eop);
    apsco_earth_rotation_teme_to_itrf(&rot, r_teme_km, v_teme_km_s, r_itrf_km, v_itrf_km_s);
}

void apsco_itrf_to_teme(apsco_time utc, const apsco_eop *eop, const double r_itrf_km[3],
                        const double v_itrf_km_s[3], double r_teme_km[3], double v_teme_km_s[3])
{
    apsco_earth_rotation rot;
    apsco_earth_rotation_at(&rot, utc, eop);
    apsco_earth_rotation_itrf_to_teme(&rot, r_itrf_km, v_itrf_km_s, r_teme_km, v_teme_km_s);
}
