/*
 * observer.c — topocentric look angles (azimuth, elevation, range, range
 * rate) from an observer fixed on the WGS-84 ellipsoid to a target given in
 * ITRF. Geometry only: no refraction, no light time, no station masks.
 */
#include <math.h>

#include "apsco/frames.h"

void apsco_observer_init(apsco_observer *obs, double lat_rad, double lon_rad, double alt_km)
{
    obs->where = (apsco_geodetic){lat_rad, lon_rad, alt_km};
    apsco_geodetic_to_itrf(&obs->where, obs->r_itrf_km);
    obs->sin_lat = sin(lat_rad);
    obs->cos_lat = cos(lat_rad);
    obs->sin_lon = sin(lon_rad);
    obs->cos_lon = cos(lon_rad);
}

/*
 * The line of sight d = r - r_obs in the observer's east-north-up frame
 * (Vallado, 4th ed., sec. 3.4.4, here with the axes east, north, zenith):
 *   e = -sin λ dx + cos λ dy
 *   n = -sin φ cos λ dx - sin φ sin λ dy + cos φ dz
 *   u =  cos φ cos λ dx + cos φ sin λ dy + sin φ dz
 * az = atan2(e, n), el = atan2(u, √(e² + n²)); the observer being fixed in
 * ITRF, the range rate is d·v / |d| with v the target's ITRF velocity.
 */
void apsco_observer_look(const apsco_observer *obs, const double r_km[3], const double v_km_s[3],
                         apsco_look *out)
{
    double dx = r_km[0] - obs->r_itrf_km[0];
    double dy = r_km[1] - obs->r_itrf_km[1];
    double dz = r_km[2] - obs->r_itrf_km[2];
    double range = sqrt(dx * dx + dy * dy + dz * dz);
    if (range == 0.0) {
        *out = (apsco_look){0.0, 0.0, 0.0, 0.0};
        return;
    }
    double sl = obs->sin_lat, cl = obs->cos_lat, so = obs->sin_lon, co = obs->cos_lon;
    double t = co * dx + so * dy; /* along the local meridian's horizontal-equatorial axis */
    double e = -so * dx + co * dy;
    double n = -sl * t + cl * dz;
    double u = cl * t + sl * dz;
    double az = atan2(e, n);
    if (az < 0.0)
        az += 2.0 * M_PI;
    out->az_rad = az < 2.0 * M_PI ? az : 0.0; /* -1e-17 + 2π rounds to 2π */
    out->el_rad = atan2(u, sqrt(e * e + n * n));
    out->range_km = range;
    out->range_rate_km_s =
        v_km_s ? (dx * v_km_s[0] + dy * v_km_s[1] + dz * v_km_s[2]) / range : 0.0;
}
