/*
 * geodetic.c — WGS-84 geodetic coordinates: ITRF position to latitude,
 * longitude and height above the ellipsoid and back.
 *
 * The inverse problem is solved on the meridian ellipse as the nearest-point
 * problem in the reduced (parametric) latitude, by Newton's method from
 * Bowring's estimate, and near the Earth's centre by Newton's method kept
 * inside a bracket: exact to the last bits from the centre to far beyond
 * GEO, with no region where a closed form loses digits. Not for other
 * ellipsoids or planets.
 */
#include <math.h>

#include "apsco/frames.h"

#define A_KM    APSCO_WGS84_A_KM
#define B_KM    (APSCO_WGS84_A_KM * (1.0 - APSCO_WGS84_F))
#define E2      (APSCO_WGS84_F * (2.0 - APSCO_WGS84_F))
#define EP2     (E2 / (1.0 - E2))  /* second eccentricity squared */
#define C2_KM2  (A_KM * A_KM * E2) /* a² - b², the squared linear eccentricity */
#define MAX_ITS 200
#define EPS     2.3e-16 /* a little more than one unit in the last place */

/*
 * The foot of the normal through (rho, z), rho > 0, z > 0, given by the
 * reduced (parametric) latitude β of the point (a cos β, b sin β) of the
 * meridian ellipse where the squared distance is stationary:
 *   g(β) = a ρ sin β - b z cos β - (a² - b²) sin β cos β = 0.
 * g(0) = -b z < 0 < g(π/2) = a ρ, and the root in the first quadrant is
 * unique (Eberly, "Distance from a point to an ellipse", 2013).
 */
#define G(c, s)  (A_KM * rho * (s)-B_KM * z * (c)-C2_KM2 * (s) * (c))
#define DG(c, s) (A_KM * rho * (c) + B_KM * z * (s)-C2_KM2 * ((c) * (c) - (s) * (s)))

/*
 * Robust path: Newton's method on β kept inside a bracket that always holds
 * the root, with bisection whenever a step would leave it. Converges
 * everywhere, the Earth's centre included; used when the fast path declines.
 */
static void foot_bracketed(double rho, double z, double *cb, double *sb)
{
    double lo = 0.0, hi = M_PI_2;
    double beta = atan2(A_KM * z, B_KM * rho);
    for (int i = 0; i < MAX_ITS; i++) {
        double s = sin(beta), c = cos(beta);
        double g = G(c, s);
        if (g == 0.0)
            break;
        if (g < 0.0)
            lo = beta;
        else
            hi = beta;
        double dg = DG(c, s);
        if (dg > 0.0) {
            double step = g / dg;
            if (fabs(step) <= EPS * beta) {
                beta -= step;
                break;
            }
            if (beta - step > lo && beta - step < hi) {
                beta -= step;
                continue;
            }
        }
        beta = 0.5 * (lo + hi);
        if (hi - lo <= EPS * beta)
            break;
    }
    *cb = cos(beta);
    *sb = sin(beta);
}

/*
 * Fast path, without trigonometry: Bowring's (1976, Survey Review 23, 323)
 * one-step estimate as the start, then Newton steps applied as rotations of
 * (cos β, sin β). Newton's error after a step δ is about K δ² with
 * K = g''/2g' below 0.1 outside the evolute, so the iteration stops after
 * the first step under 1e-8 rad, leaving less than 1e-17 rad. From 6000 km
 * of the centre outward that is the first step; two or three are needed
 * deeper inside the Earth. Returns 0 (declines) where the start is poor,
 * within about 100 km of the centre.
 */
static int foot_newton(double rho, double z, double *cb, double *sb)
{
    double c = B_KM * rho, s = A_KM * z, n = sqrt(c * c + s * s);
    c /= n, s /= n;
    /* Bowring: tan φ = (z + e'² b sin³u) / (ρ - e² a cos³u); β from tan β = (b/a) tan φ. */
    double pc = A_KM * (rho - E2 * A_KM * c * c * c);
    double ps = B_KM * (z + EP2 * B_KM * s * s * s);
    if (!(pc > 0.0 && ps > 0.0))
        return 0;
    n = sqrt(pc * pc + ps * ps);
    c = pc / n, s = ps / n;
    for (int i = 0; i < 4; i++) {
        double dg = DG(c, s);
        if (!(dg > 0.0))
            return 0;
        double d = G(c, s) / dg;
        if (!(fabs(d) < 1e-3))
            return 0;
        /* (cos, sin) of β - d, with cos d and sin d to within d⁴/24 and d⁵/120. */
        double cd = 1.0 - 0.5 * d * d, sd = d - d * d * d / 6.0;
        double c1 = c * cd + s * sd, s1 = s * cd - c * sd;
        n = sqrt(c1 * c1 + s1 * s1);
        c = c1 / n, s = s1 / n;
        if (fabs(d) < 1e-8) {
            *cb = c;
            *sb = s;
            return 1;
        }
    }
    return 0;
}

void apsco_itrf_to_geodetic(const double r_km[3], apsco_geodetic *out)
{
    double x = r_km[0], y = r_km[1], z = fabs(r_km[2]);
    double rho = sqrt(x * x + y * y);
    double cb, sb; /* cosine and sine of the reduced latitude of the foot */
    if (rho == 0.0) {
        cb = 0.0, sb = 1.0; /* on the axis (the centre included): the pole is nearest */
    } else if (z == 0.0) {
        /* In the equatorial plane the equator is nearest unless inside the evolute. */
        cb = A_KM * rho >= C2_KM2 ? 1.0 : A_KM * rho / C2_KM2;
        sb = sqrt(1.0 - cb * cb);
    } else {
        if (!foot_newton(rho, z, &cb, &sb))
            foot_bracketed(rho, z, &cb, &sb);
    }
    /* The normal at (a cos β, b sin β) points along (b cos β, a sin β). */
    double nx = B_KM * cb, nz = A_KM * sb, n = sqrt(nx * nx + nz * nz);
    double cos_lat = nx / n, sin_lat = nz / n;
    double lat = atan2(nz, nx);
    out->lat_rad = r_km[2] < 0.0 ? -lat : lat;
    out->lon_rad = rho > 0.0 ? atan2(y, x) : 0.0;
    out->alt_km = (rho - A_KM * cb) * cos_lat + (z - B_KM * sb) * sin_lat;
}

/* Vallado, Fundamentals of Astrodynamics, 4th ed., eq. 3-7 (site position from geodetic). */
void apsco_geodetic_to_itrf(const apsco_geodetic *g, double r_km[3])
{
    double sin_lat = sin(g->lat_rad), cos_lat = cos(g->lat_rad);
    double n = A_KM / sqrt(1.0 - E2 * sin_lat * sin_lat);
    double rxy = (n + g->alt_km) * cos_lat;
    r_km[0] = rxy * cos(g->lon_rad);
    r_km[1] = rxy * sin(g->lon_rad);
    r_km[2] = (n * (1.0 - E2) + g->alt_km) * sin_lat;
}
