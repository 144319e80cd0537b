/*
 * sidereal.c — Greenwich mean sidereal time of IAU 1982 and its rate: the
 * angle between TEME and the pseudo-Earth-fixed frame. Not the IAU 2000/2006
 * Earth rotation angle: SGP4's TEME is defined by this older expression.
 */
#include <math.h>

#include "apsco/frames.h"

#define TWO_PI         (2.0 * M_PI)
#define DAYS_PER_CENT  36525.0
#define SECONDS_PER_CY (APSCO_SECONDS_PER_DAY * DAYS_PER_CENT)

/*
 * GMST82 in seconds of time (Aoki et al. 1982, A&A 105, 359; Vallado,
 * Fundamentals of Astrodynamics, 4th ed., eq. 3-47), with T in Julian
 * centuries of UT1 from J2000:
 *   GMST = 67310.54841 s + (876600 h + 8640184.812866 s) T
 *          + 0.093104 s T² - 6.2e-6 s T³
 * The 876600 h T term is 86400 s times the days since J2000, so modulo a day
 * it is the fraction of those days; only the remaining terms are evaluated
 * as a polynomial, and the fractions of the two parts of the date are taken
 * separately so that the day number's size costs no precision.
 */
#define GMST_A 67310.54841
#define GMST_B 8640184.812866
#define GMST_C 0.093104
#define GMST_D (-6.2e-6)

static double centuries_since_j2000(apsco_time ut1)
{
    return ((ut1.jd - APSCO_JD_J2000) + ut1.fr) / DAYS_PER_CENT;
}

/* x modulo 1, in [0, 1). */
static double fraction(double x)
{
    return x - floor(x);
}

double apsco_gmst82_rad(apsco_time ut1)
{
    double t = centuries_since_j2000(ut1);
    double s = GMST_A + (GMST_B + (GMST_C + GMST_D * t) * t) * t;
    double days = fraction(ut1.jd - APSCO_JD_J2000) + fraction(ut1.fr);
    double theta = TWO_PI * fraction(days + fraction(s / APSCO_SECONDS_PER_DAY));
    /* 2π·(1 - ε) may round up to 2π. */
    return theta < TWO_PI ? theta : 0.0;
}

/*
 * d(GMST)/dt: one turn per UT1 day from the 876600 h T term plus the
 * derivative of the polynomial, B + 2 C T + 3 D T² seconds per century.
 */
double apsco_gmst82_rate_rad_s(apsco_time ut1)
{
    double t = centuries_since_j2000(ut1);
    double ds = GMST_B + (2.0 * GMST_C + 3.0 * GMST_D * t) * t;
    return (1.0 + ds / SECONDS_PER_CY) * TWO_PI / APSCO_SECONDS_PER_DAY;
}
