#!/usr/bin/python3
"""Pass oracle for tests/unit/test_passes_oracle.c: Skyfield 1.45.

Reads oracle.tle (element sets copied from data/celestrak-active-2026-03-19.tle:
LEO ISS, Starlink, a sun-synchronous Fengyun; MEO GPS and Galileo; GEO PakSat-1R
and APStar-7; Molniya-orbit Meridian 7; inclined-geosynchronous QZS-2) and the
stations written below, and writes:

  stations.csv  the stations in apsco's station-file format;
  skyfield_passes.csv  one row per pass over 2026-03-19T00:00Z .. 2026-03-21T00:00Z:
      norad,station,aos_s,tca_s,los_s,tca_el_deg,aos_clipped,los_clipped,method
  (times in seconds from the window start; method 0: Skyfield's find_events
  with altitude_degrees = the station's minimum elevation; method 1: dense
  sampling, for stations with a horizon mask, which Skyfield cannot express).

find_events reports rise (0), culmination (1) and set (2); over a two-day
search its times are only good to about a second, so each is polished with
Skyfield's own altitudes: rises and sets by bisection to 1 ms, culminations by
golden-section search to 1 ms. A pass is a rise,
the culminations after it and the set; one that is already up at the start
(no rise first) or still up at the end (no set last) is clipped to the window
and flagged. TCA is the culmination of highest altitude; a satellite up over
the whole window (no events, up at the start) is one pass clipped at both ends
whose TCA comes from 60-s sampling refined by a parabola.

Dense sampling (method 1): Skyfield altaz every second; f = altitude minus the
threshold max(min_el, mask(az)) (mask interpolated linearly in azimuth across
north, as apsco's station file defines it); AOS/LOS where f changes sign, by
linear interpolation between the two samples; TCA at the sample of highest
altitude refined by a parabola through its neighbours.

The GRAZE-* stations sit at the place of another station with a minimum
elevation chosen, by bisection on Skyfield's find_events, so that one pass
lasts about 6 s above it (a grazing pass that coarse stepping would miss).

Skyfield takes UT1 from its bundled IERS table (UT1 - UTC = +0.366 s here,
170 m of Earth rotation at the equator, 0.02 degrees for a LEO overhead): the
first line of skyfield_passes.csv gives it at both ends of the window, and the
test hands apsco the same UT1. The remaining differences of frames (GCRS with
IAU 2000A against TEME -> ITRF by GMST82) are arcseconds.

Run: /usr/bin/python3 make_oracle.py  (writes the two files beside it)
"""
import os

import numpy as np
from skyfield.api import EarthSatellite, load, wgs84

HERE = os.path.dirname(os.path.abspath(__file__))
START = (2026, 3, 19)
DAYS = 2
# id, name, lat, lon, alt_m, min_el, mask
STATIONS = [
    ("EQ-BIAK", "Biak (equator)", -1.18, 136.05, 30, 5.0, ""),
    ("EQ-ZERO", "Equator 0N 100E", 0.0, 100.0, 0, 0.0, ""),
    ("MID-MIYUN", "Beijing-Miyun", 40.45, 116.85, 150, 5.0, ""),
    ("MID-LAHORE", "Lahore", 31.52, 74.36, 215, 10.0, ""),
    ("SOUTH-LOBOS", "Punta Lobos", -12.50, -76.79, 40, 3.0, ""),
    ("POLAR-SVALBARD", "Svalbard", 78.23, 15.39, 500, 5.0, ""),
    ("POLAR-MCMURDO", "McMurdo", -77.85, 166.67, 24, 0.0, ""),
    ("MASK-KASHI", "Kashi (masked)", 39.50, 75.92, 1300, 2.0,
     "0:8;60:15;120:4;200:20;270:6;330:12"),
    ("MASK-SANYA", "Sanya (masked)", 18.31, 109.31, 50, 0.0, "0:3;90:10;180:1;270:25"),
]
GRAZE = [  # (station to copy, norad, which pass of it, target duration s)
    ("MID-MIYUN", 25544, 2, 6.0),
    ("POLAR-SVALBARD", 37214, 3, 6.0),
    ("EQ-BIAK", 44714, 1, 4.0),
]


def load_sats(ts):
    lines = [l.rstrip("\n") for l in open(os.path.join(HERE, "oracle.tle"))]
    sats = []
    for i in range(0, len(lines), 3):
        sats.append(EarthSatellite(lines[i + 1], lines[i + 2], lines[i], ts))
    return sats


def window(ts):
    t0 = ts.utc(*START)
    t1 = ts.utc(START[0], START[1], START[2] + DAYS)
    return t0, t1


def seconds(t, t0):
    return (t.tt - t0.tt) * 86400.0


def parabola_peak(ts, f, times_s, i, t0):
    """Refines the maximum of samples around index i by a parabola."""
    if i == 0 or i == len(times_s) - 1:
        return times_s[i], f[i]
    y0, y1, y2 = f[i - 1], f[i], f[i + 1]
    den = y0 - 2 * y1 + y2
    h = times_s[i + 1] - times_s[i]
    dx = 0.5 * (y0 - y2) / den if den != 0 else 0.0
    return times_s[i] + dx * h, y1 - 0.25 * (y0 - y2) * dx


def altitude_at(sat, topo, ts, t0, s):
    t = ts.tt_jd(t0.tt + np.asarray(s) / 86400.0)
    alt, az, _ = (sat - topo).at(t).altaz()
    return alt.degrees, az.degrees


def tca_by_sampling(sat, topo, ts, t0, a, b):
    """Highest altitude in [a, b] s: 60-s samples, then 1-s, then a parabola."""
    s = np.arange(a, b + 1e-9, 60.0)
    alt, _ = altitude_at(sat, topo, ts, t0, s)
    i = int(np.argmax(alt))
    lo, hi = max(a, s[i] - 60), min(b, s[i] + 60)
    s = np.arange(lo, hi + 1e-9, 1.0)
    alt, _ = altitude_at(sat, topo, ts, t0, s)
    i = int(np.argmax(alt))
    return parabola_peak(ts, alt, s, i, t0)


def polish_crossing(sat, topo, ts, t0, s, min_el):
    """Bisects altitude - min_el around a rise or set time to 1 ms."""
    for half in (5.0, 30.0, 120.0):
        lo, hi = s - half, s + half
        (a, b), _ = altitude_at(sat, topo, ts, t0, [lo, hi])
        if (a - min_el) * (b - min_el) <= 0:
            break
    else:
        return s
    fa = a - min_el
    while hi - lo > 1e-3:
        mid = 0.5 * (lo + hi)
        (m,), _ = altitude_at(sat, topo, ts, t0, [mid])
        if (m - min_el > 0) == (fa > 0):
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def polish_peak(sat, topo, ts, t0, s):
    """Golden-section search for the highest altitude within 20 s of a culmination."""
    g = 0.5 * (5 ** 0.5 - 1)
    lo, hi = s - 20.0, s + 20.0
    while hi - lo > 1e-3:
        x1, x2 = hi - g * (hi - lo), lo + g * (hi - lo)
        (f1, f2), _ = altitude_at(sat, topo, ts, t0, [x1, x2])
        if f1 < f2:
            lo = x1
        else:
            hi = x2
    return 0.5 * (lo + hi)


def split_dips(sat, topo, ts, t0, p, min_el):
    """Splits a pass where 30-s samples of Skyfield's altitude dip below min_el.

    find_events misses a set and rise a few minutes apart on slow orbits (a MEO
    satellite dipping 0.004 degrees under the threshold for five minutes)."""
    s = np.arange(p["aos"] + 1.0, p["los"] - 1.0, 30.0)
    if len(s) < 2:
        return [p]
    alt, _ = altitude_at(sat, topo, ts, t0, s)
    below = alt <= min_el
    if not below.any():
        return [p]
    pieces, cur = [], dict(p, clip_l=0)
    i = 0
    while i < len(s):
        if not below[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(s) and below[j + 1]:
            j += 1
        cur["los"] = polish_crossing(sat, topo, ts, t0, s[i] - 15.0, min_el)
        cur["culm"] = [c for c in cur["culm"] if c[1] < cur["los"]]
        pieces.append(cur)
        aos = polish_crossing(sat, topo, ts, t0, s[j] + 15.0, min_el)
        cur = {"aos": aos, "clip_a": 0, "clip_l": p["clip_l"],
               "culm": [c for c in p["culm"] if c[1] > aos]}
        i = j + 1
    cur["los"] = p["los"]
    pieces.append(cur)
    for q in pieces:
        if not q["culm"] and not (q["clip_a"] or q["clip_l"]):
            tca = polish_peak(sat, topo, ts, t0, 0.5 * (q["aos"] + q["los"]))
            (el,), _ = altitude_at(sat, topo, ts, t0, [tca])
            q["culm"] = [(el, tca)]
    return pieces


def passes_find_events(sat, topo, ts, t0, t1, min_el):
    t, ev = sat.find_events(topo, t0, t1, altitude_degrees=min_el)
    total = seconds(t1, t0)
    out = []
    cur = None
    if len(ev) == 0 or ev[0] != 0:
        alt0, _ = altitude_at(sat, topo, ts, t0, [0.0])
        if alt0[0] > min_el:
            cur = {"aos": 0.0, "clip_a": 1, "culm": []}
    for ti, e in zip(t, ev):
        s = seconds(ti, t0)
        if e == 1:
            s = min(max(polish_peak(sat, topo, ts, t0, s), 0.0), total)
        else:
            s = polish_crossing(sat, topo, ts, t0, s, min_el)
        if e == 0:
            cur = {"aos": s, "clip_a": 0, "culm": []}
        elif e == 1 and cur is not None:
            alt, _ = altitude_at(sat, topo, ts, t0, [s])
            cur["culm"].append((alt[0], s))
        elif e == 2 and cur is not None:
            cur["los"] = s
            cur["clip_l"] = 0
            out.append(cur)
            cur = None
    if cur is not None:
        cur["los"] = total
        cur["clip_l"] = 1
        out.append(cur)
    out = [q for p in out for q in split_dips(sat, topo, ts, t0, p, min_el)]
    rows = []
    for p in out:
        ends = []
        for s in (p["aos"], p["los"]):
            alt, _ = altitude_at(sat, topo, ts, t0, [s])
            ends.append((alt[0], s))
        if p["clip_a"] and p["clip_l"] and not p["culm"]:
            s, el = tca_by_sampling(sat, topo, ts, t0, p["aos"], p["los"])
            p["culm"].append((el, s))
        el, s = max(p["culm"] + [e for e, c in zip(ends, (p["clip_a"], p["clip_l"])) if c])
        rows.append((p["aos"], s, p["los"], el, p["clip_a"], p["clip_l"]))
    return rows


def mask_threshold(az, min_el, mask):
    pts = [tuple(float(x) for x in p.split(":")) for p in mask.split(";")]
    a = np.array([p[0] for p in pts] + [pts[0][0] + 360.0])
    e = np.array([p[1] for p in pts] + [pts[0][1]])
    az = np.mod(az, 360.0)
    az = np.where(az < a[0], az + 360.0, az)
    return np.maximum(min_el, np.interp(az, a, e))


def passes_dense(sat, topo, ts, t0, t1, min_el, mask):
    total = seconds(t1, t0)
    s = np.arange(0.0, total + 1e-9, 1.0)
    alt, az = altitude_at(sat, topo, ts, t0, s)
    f = alt - mask_threshold(az, min_el, mask)
    up = f > 0
    rows = []
    i = 0
    n = len(s)
    while i < n:
        if not up[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and up[j + 1]:
            j += 1
        if i == 0:
            aos, ca = 0.0, 1
        else:
            aos, ca = s[i - 1] + f[i - 1] / (f[i - 1] - f[i]), 0
        if j == n - 1:
            los, cl = total, 1
        else:
            los, cl = s[j] + f[j] / (f[j] - f[j + 1]), 0
        k = i + int(np.argmax(alt[i:j + 1]))
        tca, el = parabola_peak(ts, alt, s, k, t0)
        rows.append((aos, tca, los, el, ca, cl))
        i = j + 1
    return rows


def graze_min_el(sat, topo, ts, t0, t1, min_el, which, target):
    """A minimum elevation that makes pass `which` last about `target` seconds."""
    rows = passes_find_events(sat, topo, ts, t0, t1, min_el)
    aos, tca, los, el, _, _ = rows[which]
    lo, hi = min_el, el  # duration(lo) long, duration(hi) = 0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        a, b = aos - 60, los + 60
        ta, tb = ts.tt_jd(t0.tt + a / 86400.0), ts.tt_jd(t0.tt + b / 86400.0)
        tt, ev = sat.find_events(topo, ta, tb, altitude_degrees=mid)
        d = 0.0
        if len(ev) >= 2 and ev[0] == 0 and ev[-1] == 2:
            d = seconds(tt[-1], t0) - seconds(tt[0], t0)
        if d > target:
            lo = mid
        else:
            hi = mid
    return round(lo, 6)


def main():
    ts = load.timescale()
    t0, t1 = window(ts)
    sats = load_sats(ts)
    by_norad = {s.model.satnum: s for s in sats}
    stations = list(STATIONS)
    base = {s[0]: s for s in STATIONS}
    for k, (src, norad, which, target) in enumerate(GRAZE):
        b = base[src]
        topo = wgs84.latlon(b[2], b[3], elevation_m=b[4])
        m = graze_min_el(by_norad[norad], topo, ts, t0, t1, b[5], which, target)
        stations.append(("GRAZE-%d" % (k + 1), "%s grazing %d" % (b[1], norad), b[2], b[3],
                         b[4], m, ""))
    with open(os.path.join(HERE, "stations.csv"), "w") as f:
        f.write("# Stations of the pass oracle (make_oracle.py)\n")
        f.write("id,name,state,lat_deg,lon_deg,alt_m,min_el_deg,mask\n")
        for sid, name, lat, lon, alt, mel, mask in stations:
            f.write("%s,%s,ZZ,%.6f,%.6f,%g,%.6f,%s\n" % (sid, name, lat, lon, alt, mel, mask))
    with open(os.path.join(HERE, "skyfield_passes.csv"), "w") as f:
        f.write("# dut1_s %.6f %.6f\n" % (t0.dut1, t1.dut1))
        f.write("# norad,station,aos_s,tca_s,los_s,tca_el_deg,aos_clipped,los_clipped,method\n")
        for sid, name, lat, lon, alt, mel, mask in stations:
            topo = wgs84.latlon(lat, lon, elevation_m=alt)
            for sat in sats:
                if mask:
                    rows, method = passes_dense(sat, topo, ts, t0, t1, mel, mask), 1
                else:
                    rows, method = passes_find_events(sat, topo, ts, t0, t1, mel), 0
                for aos, tca, los, el, ca, cl in rows:
                    f.write("%d,%s,%.3f,%.3f,%.3f,%.5f,%d,%d,%d\n" %
                            (sat.model.satnum, sid, aos, tca, los, el, ca, cl, method))


main()
