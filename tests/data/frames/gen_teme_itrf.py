#!/usr/bin/python3
"""Oracle for TEME -> ITRF: Skyfield 1.45's sgp4lib.TEME_to_ITRF.

Writes teme_itrf.csv: one case per line,
  utc_jd, utc_fr, dut1_s, xp_arcsec, yp_arcsec,
  r_teme (km) x3, v_teme (km/s) x3, r_itrf (km) x3, v_itrf (km/s) x3
Instants are spread over 1960-2100 (UTC, time of day kept 1.2 h away from
midnight so that a test can bracket them with EOP rows of the same day);
positions from LEO to beyond GEO in random directions with circular-orbit
speeds in random directions. Half the cases have no EOP (dut1 = xp = yp = 0,
UT1 = UTC); the others random UT1-UTC and polar motion of realistic size.
Skyfield takes UT1 as two parts (jd_ut1, fraction_ut1) and velocities per
day; the UT1 fraction is utc_fr + dut1_s / 86400, as apsco forms it.

Run with Debian's interpreter: /usr/bin/python3 gen_teme_itrf.py > teme_itrf.csv
"""
import math
import random

import numpy as np
from skyfield.constants import ASEC2RAD
from skyfield.sgp4lib import TEME_to_ITRF

MU_KM3_S2 = 398600.4418
DAY_S = 86400.0
JD_1960 = 2436934.5
JD_2100 = 2488069.5


def unit(rng):
    while True:
        v = np.array([rng.uniform(-1, 1) for _ in range(3)])
        n = np.linalg.norm(v)
        if 0.1 < n <= 1.0:
            return v / n


def main():
    rng = random.Random(20260319)
    radii = [6378.2, 6600.0, 6778.0, 7200.0, 8000.0, 12000.0, 20200.0 + 6378.0,
             26560.0, 42164.0, 42164.2, 60000.0, 100000.0, 384400.0]
    print("# utc_jd,utc_fr,dut1_s,xp_arcsec,yp_arcsec,"
          "rx,ry,rz,vx,vy,vz,rx_itrf,ry_itrf,rz_itrf,vx_itrf,vy_itrf,vz_itrf")
    for i in range(240):
        jd = float(rng.randrange(int(JD_1960 - 0.5), int(JD_2100 - 0.5))) + 0.5
        fr = rng.uniform(0.05, 0.95)
        if i % 2:
            dut1 = rng.uniform(-0.9, 0.9)
            xp = rng.uniform(-0.3, 0.5)
            yp = rng.uniform(-0.1, 0.7)
        else:
            dut1 = xp = yp = 0.0
        radius = radii[i % len(radii)] * rng.uniform(0.999, 1.001)
        r = unit(rng) * radius
        v = unit(rng) * math.sqrt(MU_KM3_S2 / radius) * rng.uniform(0.5, 1.3)
        r_itrf, v_itrf = TEME_to_ITRF(jd, r, v * DAY_S, xp * ASEC2RAD, yp * ASEC2RAD,
                                      fr + dut1 / DAY_S)
        v_itrf = v_itrf / DAY_S
        values = [jd, fr, dut1, xp, yp, *r, *v, *r_itrf, *v_itrf]
        print(",".join(repr(float(x)) for x in values))


if __name__ == "__main__":
    main()
