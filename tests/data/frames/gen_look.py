#!/usr/bin/python3
"""Oracle for observer look angles: Skyfield 1.45, EarthSatellite + wgs84.latlon.

Writes look.csv: one case per line,
  utc_jd, utc_fr, dut1_s, lat_deg, lon_deg, alt_km,
  r_teme (km) x3, v_teme (km/s) x3,
  az_deg, el_deg, range_km, range_rate_fd_km_s, range_rate_sky_km_s
az/el/range: (sat - observer).at(t).altaz(), which goes TEME -> GCRS (with
Skyfield's IAU 2000A precession-nutation) and back down to the observer's
horizon, UT1 from Skyfield's bundled IERS table (its t.dut1 is written so
that apsco can use the same UT1), no polar motion, no refraction.
range_rate_fd: d|sat - observer|/dt by a 4th-order central difference
(steps of 0.5 s) of Skyfield's distances from the observer to a point that
moves in TEME with the SGP4 velocity, r + v dt, placed in the sky through
Skyfield's TEME frame: the kinematic rate that apsco's TEME -> ITRF velocity
must reproduce. (Differences of SGP4 positions are not used: SGP4's velocity
is not exactly the derivative of its positions, by 8 um/s for the ISS and
0.6 m/s for CXO.) range_rate_sky: the rate that
frame_latlon_and_rates(observer) reports from Skyfield's velocities, which
treat the TEME velocity as inertial (the GCRS velocity lacks the precession
rate of the equinox times r).
The TEME state is Skyfield's own SGP4 state at t (python-sgp4 2.15), so
apsco's test needs no SGP4.

Element sets: CelesTrak "active" catalog of 2026-03-19 (a LEO, a MEO, a GEO
and a highly eccentric orbit). Observers: APSCO member-state capitals and
stations at high latitude, near the equator, on both hemispheres.

Run with Debian's interpreter: /usr/bin/python3 gen_look.py > look.csv
"""
import random

import numpy as np
from skyfield.api import EarthSatellite, load, wgs84
from skyfield.positionlib import ICRF
from skyfield.sgp4lib import TEME
from skyfield.units import Distance, Velocity

TLES = [
    ("ISS (ZARYA)",
     "1 25544U 98067A   26078.12958500  .00009105  00000+0  17698-3 0  9991",
     "2 25544  51.6344  25.6919 0006229 207.4819 152.5840 15.48370465557798"),
    ("NAVSTAR 43 (USA 132)",
     "1 24876U 97035A   26077.46012909  .00000065  00000+0  00000+0 0  9993",
     "2 24876  55.9437 102.1210 0098349  56.1749 304.8335  2.00563927210131"),
    ("GOES 16",
     "1 41866U 16071A   26078.25421056 -.00000089  00000+0  00000+0 0  9994",
     "2 41866   0.1337  86.3091 0002216 228.8632 208.4515  1.00271508 34208"),
    ("CXO",
     "1 25867U 99040B   26079.46415603  .00001048  00000+0  00000+0 0  9994",
     "2 25867  54.7244 119.3122 7985494 310.6329   0.3542  0.37808217 16989"),
]

OBSERVERS = [  # lat deg, lon deg, height km
    (39.9042, 116.4074, 0.044),   # Beijing
    (24.8607, 67.0011, 0.010),    # Karachi
    (-12.0464, -77.0428, 0.154),  # Lima
    (35.6892, 51.3890, 1.190),    # Tehran
    (47.8864, 106.9057, 1.350),   # Ulaanbaatar
    (78.2298, 15.3975, 0.500),    # Svalbard
    (-77.8463, 166.6682, 0.024),  # McMurdo
    (-0.1807, -78.4678, 2.850),   # Quito
]

STEP_S = 0.5


def distance_km(ts, r, v, obs, cal, offset_s):
    """Distance from `obs` to the TEME point r + v offset_s at `cal` + offset_s."""
    y, mo, d, h, mi, s = cal
    t = ts.utc(y, mo, d, h, mi, s + offset_s)
    point = ICRF.from_time_and_frame_vectors(t, TEME, Distance(km=r + v * offset_s),
                                             Velocity(km_per_s=v))
    return np.linalg.norm(point.position.km - obs.at(t).position.km)


def main():
    rng = random.Random(77)
    ts = load.timescale()
    print("# utc_jd,utc_fr,dut1_s,lat_deg,lon_deg,alt_km,rx,ry,rz,vx,vy,vz,"
          "az_deg,el_deg,range_km,range_rate_fd_km_s,range_rate_sky_km_s")
    for name, l1, l2 in TLES:
        sat = EarthSatellite(l1, l2, name, ts)
        for lat, lon, alt in OBSERVERS:
            obs = wgs84.latlon(lat, lon, elevation_m=alt * 1000.0)
            for _ in range(6):
                day = 17 + rng.randrange(4)
                hour = rng.randrange(1, 23)
                minute = rng.randrange(60)
                second = round(rng.uniform(0, 59), 3)
                cal = (2026, 3, day, hour, minute, second)
                t = ts.utc(*cal)
                jd = 2461116.5 + (day - 17)  # 2026-03-17T00:00Z
                fr = (hour * 3600 + minute * 60 + second) / 86400.0
                ut1_days = (t.whole - jd) + t.ut1_fraction
                assert abs(ut1_days - (fr + t.dut1 / 86400.0)) < 1e-14
                r, v, err = sat._position_and_velocity_TEME_km(t)
                assert err is None
                alt_a, az_a, dist = (sat - obs).at(t).altaz()
                rates = (sat - obs).at(t).frame_latlon_and_rates(obs)
                d = [distance_km(ts, r, v, obs, cal, k * STEP_S) for k in (-2, -1, 1, 2)]
                rate_fd = (d[0] - 8.0 * d[1] + 8.0 * d[2] - d[3]) / (12.0 * STEP_S)
                values = [jd, fr, t.dut1, lat, lon, alt, *r, *v, az_a.degrees, alt_a.degrees,
                          dist.km, rate_fd, rates[5].km_per_s]
                print(",".join(repr(float(x)) for x in values))


if __name__ == "__main__":
    main()
