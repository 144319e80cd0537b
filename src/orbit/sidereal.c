/*
 * sidereal.c — Greenwich sidereal time at the epoch of an element set, as
 * the SGP4 initialisation needs it.
 *
 * The frames module has its own GMST for rotating TEME into the Earth-fixed
 * frame; it works on two-part dates and is as accurate as a date allows.
 * The orbit module must not use it. gsto is not a frame rotation here but
 * an input of the model: the 12 h and 24 h resonance terms start from it,
 * so SGP4 reproduces the reference only when gsto comes from the
 * reference's formula on the reference's one-double Julian date, rounding
 * included. The sensitivity is large: 1e-8 rad of gsto moves a 12 h
 * Molniya orbit by 2.5e-5 km within 30 days of its epoch. These two
 * functions are private to the orbit module for that reason.
 */
#include <math.h>

#include "orbit/internal.h"

/*
 * GMST of Vallado (2013, eq. 3-45), the IAU 1982 expression in seconds of
 * time; tut1 is Julian centuries of UT1 from J2000. 1/240 turns seconds of
 * time into degrees.
 */
double orbit_gstime(double jdut1)
{
    const double deg2rad = ORBIT_PI / 180.0;
    double tut1 = (jdut1 - 2451545.0) / 36525.0;
    double temp = -6.2e-6 * tut1 * tut1 * tut1 + 0.093104 * tut1 * tut1 +
                  (876600.0 * 3600 + 8640184.812866) * tut1 + 67310.54841; /* s */
    temp = fmod(temp * deg2rad / 240.0, ORBIT_TWOPI);
    if (temp < 0.0)
        temp += ORBIT_TWOPI;
    return temp;
}

/*
 * The sidereal time of the AFSPC code ([VCHK] initl, opsmode 'a'): a linear
 * rate from 1970-01-01 0h with a small quadratic term (fk5r), counted in
 * whole days ds70 and a fraction so that the large angle c1*ds70 is exact
 * to the day. 7305 days separate 1950-0.0 from 1970-0.0.
 */
double orbit_gst_afspc(double epoch_days_1950)
{
    const double c1 = 1.72027916940703639e-2; /* rad/day beyond one turn */
    const double thgr70 = 1.7321343856509374; /* rad at 1970-0.0 */
    const double fk5r = 5.07551419432269442e-15;
    const double c1p2p = c1 + ORBIT_TWOPI;
    double ts70 = epoch_days_1950 - 7305.0;
    double ds70 = floor(ts70 + 1.0e-8);
    double tfrac = ts70 - ds70;
    double gst = fmod(thgr70 + c1 * ds70 + c1p2p * tfrac + ts70 * ts70 * fk5r, ORBIT_TWOPI);
    if (gst < 0.0)
        gst += ORBIT_TWOPI;
    return gst;
}
