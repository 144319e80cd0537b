/*
 * sun.c — where the Sun is (low-precision solar coordinates, in TEME) and
 * how much of it a point near the Earth sees (conical Earth shadow with a
 * graded penumbra). Good to a few thousandths of a degree for the
 * illumination and pass-visibility questions of the passes and access
 * modules; not an ephemeris.
 */
#include <math.h>

#include "apsco/frames.h"

#define DEG    (M_PI / 180.0)
#define AU_KM  149597870.7
#define TWO_PI (2.0 * M_PI)

/* An angle in degrees, given as a polynomial in T, reduced to radians in [0, 2π). */
static double angle(double deg)
{
    double r = fmod(deg, 360.0) * DEG;
    return r < 0.0 ? r + TWO_PI : r;
}

/*
 * Geocentric apparent ecliptic longitude (rad), distance (AU) and true
 * obliquity (rad) of the Sun, and the nutation in longitude (rad), at T
 * Julian centuries of TT from J2000.
 *
 * Mean longitude L0, mean anomaly M, eccentricity e, equation of centre C,
 * radius vector and mean obliquity: Meeus, Astronomical Algorithms, 2nd ed.
 * (1998), eqs. 25.2-25.5 and 22.2 — the Astronomical Almanac's
 * low-precision formulas (Vallado's "sun") with their next terms.
 * Perturbations of the Earth by Venus (A, B), Jupiter (C), the Moon (D, the
 * Earth's motion about the Earth-Moon barycentre), the long-period term (E)
 * and H in distance: Meeus, Astronomical Formulae for Calculators (1988),
 * ch. 18, with the arguments re-referred from 1900 January 0.5 to J2000.
 * Nutation: the principal 18.6-year terms (Meeus 1998, ch. 22).
 * Aberration: -20.4898" / R (Meeus 1998, eq. 25.10).
 * The Almanac's formulas alone miss ERFA by up to 0.0105° over 1950-2050;
 * with the perturbations the worst case is 0.0048°.
 */
static void solar_longitude(double t, double *lambda, double *r_au, double *eps, double *dpsi)
{
    double l0 = 280.46646 + (36000.76983 + 0.0003032 * t) * t;
    double m = angle(357.52911 + (35999.05029 - 0.0001537 * t) * t);
    double e = 0.016708634 - (0.000042037 + 0.0000001267 * t) * t;
    double c = (1.914602 - (0.004817 + 0.000014 * t) * t) * sin(m) +
               (0.019993 - 0.000101 * t) * sin(2.0 * m) + 0.000289 * sin(3.0 * m);
    double a = angle(351.98 + 22518.7541 * t), b = angle(254.08 + 45037.5082 * t);
    double cj = angle(157.05 + 32964.3577 * t), d = angle(297.85 + 445267.1142 * t);
    double ee = angle(251.39 + 20.20 * t), h = angle(42.12 + 65928.7155 * t);
    double dl = 0.00134 * cos(a) + 0.00154 * cos(b) + 0.00200 * cos(cj) + 0.00179 * sin(d) +
                0.00178 * sin(ee);
    double dr = 5.43e-6 * sin(a) + 1.575e-5 * sin(b) + 1.627e-5 * sin(cj) + 3.076e-5 * cos(d) +
                9.27e-6 * sin(h);
    double omega = angle(125.04452 - 1934.136261 * t);
    *dpsi = -17.20 / 3600.0 * DEG * sin(omega);
    double deps = 9.20 / 3600.0 * DEG * cos(omega);
    double nu = m + c * DEG;
    *r_au = 1.000001018 * (1.0 - e * e) / (1.0 + e * cos(nu)) + dr;
    double aberration = -20.4898 / 3600.0 / *r_au;
    *lambda = (l0 + c + dl + aberration) * DEG + *dpsi;
    *eps = (23.0 + 26.0 / 60.0 + (21.448 - 46.8150 * t) / 3600.0) * DEG + deps;
}

/*
 * The ecliptic direction is turned into the true equator of date with the
 * true obliquity, then about the pole by the equation of the equinoxes
 * (Δψ cos ε) so that x points to the mean equinox, as TEME's does
 * (Vallado et al. 2006, App. C).
 */
void apsco_sun_teme(apsco_time utc, double r_km[3])
{
    apsco_time tt = apsco_time_utc_to_tt(utc);
    double t = ((tt.jd - APSCO_JD_J2000) + tt.fr) / 36525.0;
    double lambda, r_au, eps, dpsi;
    solar_longitude(t, &lambda, &r_au, &eps, &dpsi);
    double r = r_au * AU_KM;
    double x = r * cos(lambda), y = r * cos(eps) * sin(lambda), z = r * sin(eps) * sin(lambda);
    double ee = dpsi * cos(eps), ce = cos(ee), se = sin(ee);
    r_km[0] = ce * x + se * y;
    r_km[1] = -se * x + ce * y;
    r_km[2] = z;
}

static double norm(const double v[3])
{
    return sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

/* Area of the intersection of two discs of radii a, b with centres c apart (|a - b| < c < a + b).
 */
static double lens_area(double a, double b, double c)
{
    double x = (c * c + a * a - b * b) / (2.0 * c);
    double y = sqrt(fmax(a * a - x * x, 0.0));
    double ca = fmin(fmax(x / a, -1.0), 1.0), cb = fmin(fmax((c - x) / b, -1.0), 1.0);
    return a * a * acos(ca) + b * b * acos(cb) - c * y;
}

/*
 * Montenbruck & Gill, Satellite Orbits (2000), sec. 3.4.2, eqs. 3.85-3.87:
 * a = apparent radius of the Sun, b = of the Earth, c = their apparent
 * separation, all seen from the point; the visible fraction is one minus
 * the hidden share of the solar disc.
 */
double apsco_sunlit_fraction(const double r_km[3], const double sun_km[3])
{
    double to_sun[3] = {sun_km[0] - r_km[0], sun_km[1] - r_km[1], sun_km[2] - r_km[2]};
    double rn = norm(r_km), sn = norm(to_sun);
    if (rn <= APSCO_EARTH_SHADOW_KM)
        return 0.0;
    if (sn <= APSCO_SUN_RADIUS_KM)
        return 1.0;
    double a = asin(APSCO_SUN_RADIUS_KM / sn);
    double b = asin(APSCO_EARTH_SHADOW_KM / rn);
    /* Angle between the directions to the Earth's centre (-r) and to the Sun. */
    double cross[3] = {r_km[1] * to_sun[2] - r_km[2] * to_sun[1],
                       r_km[2] * to_sun[0] - r_km[0] * to_sun[2],
                       r_km[0] * to_sun[1] - r_km[1] * to_sun[0]};
    double dot = -(r_km[0] * to_sun[0] + r_km[1] * to_sun[1] + r_km[2] * to_sun[2]);
    double c = atan2(norm(cross), dot);
    if (c >= a + b)
        return 1.0;
    if (c <= b - a)
        return 0.0;
    if (c <= a - b)
        return 1.0 - (b * b) / (a * a);
    return 1.0 - lens_area(a, b, c) / (M_PI * a * a);
}
