/*
 * geodetic.c — WGS-84 geodetic coordinates: ITRF position to latitude,
 * longitude and height above the ellipsoid and back.
 *
 * The inverse problem is solved on the meridian ellipse as the nearest-point
 * problem, in the reduced (parametric) latitude, by Newton's method kept
 * inside a bracket that always holds the root: exact to the last bit from
 * the Earth's centre to far beyond GEO, with no special region where a
 * closed form loses digits. Not for other ellipsoids or planets.
 */
#include <math.h>

#include "apsco/frames.h"

#define A_KM    APSCO_WGS84_A_KM
#define B_KM    (APSCO_WGS84_A_KM * (1.0 - APSCO_WGS84_F))
#define E2      (APSCO_WGS84_F * (2.0 - APSCO_WGS84_F))
#define C2_KM2  (A_KM * A_KM * E2) /* a² - b², the squared linear eccentricity */
#define MAX_ITS 200
#define EPS     2.3e-16 /* a little more than one unit in the last place */

/*
 * The reduced latitude β of the foot of the normal through (rho, z), rho > 0,
 * z > 0, in the first quadrant. The foot (a cos β, b sin β) is where the
 * derivative of the squared distance vanishes:
 *   g(β) = a ρ sin β - b z cos β - (a² - b²) sin β cos β = 0,
 * g(0) = -b z < 0 < g(π/2) = a ρ, and the first-quadrant root is unique
 * (Eberly, "Distance from a point to an ellipse", 2013). Newton steps
 * start from the foot of a point on the ellipse, β0 = atan2(a z, b ρ), and
 * fall back to bisection whenever a step would leave the bracket.
 */
static double reduced_latitude(double rho, double z)
{
    double lo = 0.0, hi = M_PI_2;
    double beta = atan2(A_KM * z, B_KM * rho);
    for (int i = 0; i < MAX_ITS; i++) {
        double s = sin(beta), c = cos(beta);
        double g = A_KM * rho * s - B_KM * z * c - C2_KM2 * s * c;
        if (g == 0.0)
            return beta;
        if (g < 0.0)
            lo = beta;
        else
            hi = beta;
        double dg = A_KM * rho * c + B_KM * z * s - C2_KM2 * (c * c - s * s);
        if (dg > 0.0) {
            double step = g / dg;
            if (fabs(step) <= EPS * beta)
                return beta - step;
            if (beta - step > lo && beta - step < hi) {
                beta -= step;
                continue;
            }
        }
        beta = 0.5 * (lo + hi);
        if (hi - lo <= EPS * beta)
            return beta;
    }
    return beta;
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
        double beta = reduced_latitude(rho, z);
        cb = cos(beta);
        sb = sin(beta);
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
