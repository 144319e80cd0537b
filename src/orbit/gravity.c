/*
 * gravity.c — the Earth models SGP4 can be evaluated with.
 *
 * Element sets are fitted with WGS-72, so WGS-72 is the default and the only
 * choice that reproduces published ephemerides. WGS-84 is offered because
 * some users ask for it; WGS-72OLD is the low-precision set of the original
 * Spacetrack Report #3 code, where xke was typed in rather than derived.
 * This file only holds constants; it does not propagate.
 */
#include <math.h>

#include "orbit/internal.h"

/*
 * [VCHK] getgravconst. xke = 60 / sqrt(R^3 / mu) is the square root of mu
 * in Earth radii^3 per minute^2; it is computed here exactly as the
 * reference computes it so that the derived double is the same.
 */
static void derive(apsco_sat *sat, double mu_km3_s2, double radius_km, double j2, double j3,
                   double j4)
{
    sat->mu = mu_km3_s2;
    sat->radiusearthkm = radius_km;
    sat->xke = 60.0 / sqrt(radius_km * radius_km * radius_km / mu_km3_s2);
    sat->tumin = 1.0 / sat->xke;
    sat->j2 = j2;
    sat->j3 = j3;
    sat->j4 = j4;
    sat->j3oj2 = j3 / j2;
}

int orbit_set_gravity(apsco_sat *sat, apsco_gravity model)
{
    switch (model) {
    case APSCO_WGS72:
        derive(sat, 398600.8, 6378.135, 0.001082616, -0.00000253881, -0.00000165597);
        return 0;
    case APSCO_WGS84:
        derive(sat, 398600.5, 6378.137, 0.00108262998905, -0.00000253215306, -0.00000161098761);
        return 0;
    case APSCO_WGS72OLD:
        derive(sat, 398600.79964, 6378.135, 0.001082616, -0.00000253881, -0.00000165597);
        /* The historical constant, not the value derived from mu. */
        sat->xke = 0.0743669161;
        sat->tumin = 1.0 / sat->xke;
        return 0;
    }
    return -1;
}
