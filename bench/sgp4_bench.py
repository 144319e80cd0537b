#!/usr/bin/python3
"""sgp4_bench.py — the apsco propagation benchmark run with python-sgp4.

Usage: /usr/bin/python3 sgp4_bench.py CATALOG START_ISO SPAN_MIN STEP_MIN [STRIDE] [REPEAT]

Propagates every satellite of the catalog (WGS-72, improved mode) with
Satrec.sgp4(jd, fr) at the instants start + k * step, k = 0, STRIDE,
2 * STRIDE, ... < span/step, and prints the JSON line of
`apsco bench propagate` (instants and propagations are those actually run;
checksum_km sums |r| over the propagations without an error). Debian's
python3-sgp4 is the pure-Python build (no C++ accelerator), about a hundred
times slower than the C++ one, so run.sh measures a subset of the instants
(STRIDE > 1) and says so; ns per propagation does not depend on the subset.
"""
import datetime
import json
import math
import sys
import time

from sgp4.api import WGS72, Satrec, accelerated
from importlib.metadata import version

sgp4_version = version("sgp4")


def load(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    sats = []
    i = 0
    while i + 1 < len(lines):
        if lines[i].startswith("1 ") and lines[i + 1].startswith("2 "):
            sats.append(Satrec.twoline2rv(lines[i], lines[i + 1], WGS72))
            i += 2
        else:
            i += 1
    return sats


def julian(iso):
    """Two-part Julian date (midnight, fraction) of an ISO-8601 UTC instant."""
    t = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    days = (t.date() - datetime.date(2000, 1, 1)).days
    jd = 2451544.5 + days
    fr = (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6) / 86400.0
    return jd, fr


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    path, start, span, step = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    stride = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    repeat = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    sats = load(path)
    jd0, fr0 = julian(start)
    count = int(math.floor(span / step + 1e-9))
    instants = [(jd0, fr0 + k * step / 1440.0) for k in range(0, count, stride)]
    best = best_cpu = math.inf
    checksum = 0.0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        total = 0.0
        for sat in sats:
            for jd, fr in instants:
                e, r, _v = sat.sgp4(jd, fr)
                if e == 0:
                    total += math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2])
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
        checksum = total
    props = len(sats) * len(instants)
    print(json.dumps({
        "satellites": len(sats),
        "instants": len(instants),
        "propagations": props,
        "seconds": round(best, 6),
        "ns_per_propagation": round(best * 1e9 / props, 3),
        "checksum_km": round(checksum, 6),
        "engine": "python-sgp4 %s (%s)" % (sgp4_version, "C++ accelerated" if accelerated else "pure Python"),
        "instant_stride": stride,
        "threads": 1,
        "cpu_ns_per_propagation": round(best_cpu * 1e9 / props, 3),
    }))


main()
