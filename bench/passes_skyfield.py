#!/usr/bin/python3
"""Skyfield on the pass-search workload of bench/passes.c, for comparison.

The first N satellites of a catalog over the first M stations of a station file
for D days from 2026-03-19T00:00Z: EarthSatellite.find_events with each
station's minimum elevation (Skyfield has no horizon masks), which gives rise,
culmination and set. Skyfield computes no sunlight or Doppler here, so it does
less work than apsco. Prints one line like bench/passes.c (wall and CPU time;
the figure per satellite-station-day is CPU time, like apsco's).

Usage: /usr/bin/python3 bench/passes_skyfield.py CATALOG STATIONS DAYS N M
"""
import csv
import sys
import time

from skyfield.api import EarthSatellite, load, wgs84


def main():
    catalog, stations, days, n, m = sys.argv[1], sys.argv[2], float(sys.argv[3]), \
        int(sys.argv[4]), int(sys.argv[5])
    ts = load.timescale()
    lines = [l.rstrip("\n") for l in open(catalog) if l.strip()]
    sats = [EarthSatellite(lines[i + 1], lines[i + 2], lines[i].strip(), ts)
            for i in range(0, 3 * n, 3)]
    rows = [r for r in csv.DictReader(l for l in open(stations) if not l.startswith("#"))][:m]
    topos = [(wgs84.latlon(float(r["lat_deg"]), float(r["lon_deg"]),
                           elevation_m=float(r["alt_m"])), float(r["min_el_deg"])) for r in rows]
    t0 = ts.utc(2026, 3, 19)
    t1 = ts.tt_jd(t0.tt + days)
    start, cpu_start = time.perf_counter(), time.process_time()
    passes = 0
    for sat in sats:
        for topo, min_el in topos:
            t, ev = sat.find_events(topo, t0, t1, altitude_degrees=min_el)
            passes += int((ev == 0).sum())
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print("skyfield: %d satellites x %d stations x %g days: %d rises in %.3f s wall, "
          "%.3f s CPU (%.1f us CPU per satellite-station-day)"
          % (len(sats), len(topos), days, passes, elapsed, cpu,
             1e6 * cpu / (len(sats) * len(topos) * days)))


main()
