#!/usr/bin/python3
"""Cuts the screening test catalogs out of the bundled CelesTrak snapshot.

Run from this folder: /usr/bin/python3 make_subsets.py
  crowd.tle  - the ISS and its visiting vehicles (co-orbital), the ASTRA 19.2E/28.2E and
               Turksat GEO clusters, and the base objects of the same-shell and crossing
               synthetic crowds (the first STARLINK at 53 deg / 15.30 rev/day, and an
               object near 97.5 deg at the same mean motion within 0.05 rev/day).
  bound.tle  - every 15th object, and every object with eccentricity above 0.1 or a
               period above 225 min: the interpolation-error bound is checked on them.
"""
SNAP = "../../../data/celestrak-active-2026-03-19.tle"

lines = open(SNAP).read().splitlines()
sets = [(lines[k], lines[k + 1], lines[k + 2]) for k in range(0, len(lines) - 2, 3)]

def elems(s):
    l2 = s[2]
    return float(l2[8:16]), float("0." + l2[26:33]), float(l2[52:63])

crowd, starlink, sso = [], None, None
prefixes = ("ISS (", "PROGRESS-MS", "SOYUZ-MS", "CREW DRAGON", "ASTRA 1", "ASTRA 2", "TURKSAT")
for s in sets:
    name = s[0].strip()
    inc, ecc, n = elems(s)
    if name.startswith(prefixes):
        crowd.append(s)
    if starlink is None and name.startswith("STARLINK") and abs(inc - 53.05) < 0.2 and abs(n - 15.30) < 0.03:
        starlink = s
for s in sets:
    inc, ecc, n = elems(s)
    if sso is None and abs(inc - 97.5) < 0.6 and abs(n - elems(starlink)[2]) < 0.05 and ecc < 0.002:
        sso = s
crowd += [starlink, sso]
with open("crowd.tle", "w") as f:
    for s in crowd:
        f.write("\n".join(s) + "\n")

bound = [s for k, s in enumerate(sets) if k % 15 == 0 or elems(s)[1] > 0.1 or elems(s)[2] < 6.4]
with open("bound.tle", "w") as f:
    for s in bound:
        f.write("\n".join(s) + "\n")
print(len(crowd), "crowd,", len(bound), "bound")
