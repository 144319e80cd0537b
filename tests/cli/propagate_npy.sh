#!/bin/sh
# `apsco propagate --format npy`: numpy.load reads the array, its shape is
# (satellites, instants, 6), it holds the same states as the CSV output,
# NaN after an SGP4 error, and the sidecar lists the satellites in order.
# Also: --threads does not change a digit, and `apsco bench propagate`
# prints its JSON line.
set -u
apsco=$1
data=$2
. "$(dirname "$0")/lib/checks.sh"
py=/usr/bin/python3
ver="$data/tle/SGP4-VER.TLE"

"$apsco" propagate -c "$ver" --start 2006-06-01T00:00:00Z --end 2006-06-02T00:00:00Z --step 3600 \
    --format npy -o states.npy 2>npy.err
check "npy exits 0" [ $? -eq 0 ]
check "npy file written" [ -s states.npy ]
check "sidecar written" [ -s states.npy.sats.csv ]
check "sidecar header" [ "$(head -1 states.npy.sats.csv)" = "index,norad,name,epoch_utc,sgp4_error,first_error_instant" ]
"$apsco" propagate -c "$ver" --start 2006-06-01T00:00:00Z --end 2006-06-02T00:00:00Z --step 3600 \
    >states.csv 2>csv.err
check "same warnings for npy and csv" cmp -s npy.err csv.err

check "numpy.load reads shape (satellites, 25, 6) matching the CSV and sidecar" $py -c "
import csv, math, numpy
a = numpy.load('states.npy')
assert a.dtype == numpy.float64 and a.shape[1:] == (25, 6), (a.dtype, a.shape)
sats = list(csv.DictReader(open('states.npy.sats.csv')))
assert len(sats) == a.shape[0] == 33, (len(sats), a.shape)
rows = list(csv.DictReader(open('states.csv')))
at = 0  # the CSV lists the satellites in the same order (a number may repeat)
for i, s in enumerate(sats):
    assert int(s['index']) == i
    n = int(s['norad'])
    first = int(s['first_error_instant'])
    ok = first if first >= 0 else 25
    got = rows[at:at + ok]
    at += len(got)
    assert all(int(r['norad']) == n for r in got), n
    assert (int(s['sgp4_error']) == 0) == (first < 0), s
    assert len(got) == ok, (n, len(got), first)
    assert numpy.isnan(a[i, ok:]).all(), n
    for k, r in enumerate(got):
        want = [float(r[c]) for c in ('x_km','y_km','z_km','vx_km_s','vy_km_s','vz_km_s')]
        assert numpy.allclose(a[i, k], want, rtol=0, atol=2e-6), (n, k, a[i, k], want)
assert at == len(rows)
assert sum(int(s['sgp4_error']) != 0 for s in sats) > 0
"

# ITRF in the array equals ITRF in the CSV.
"$apsco" propagate -c "$data/cli/members3.tle" --start 2026-03-19T00:00:00Z --end 2026-03-19T02:00:00Z \
    --step 600 --frame itrf --format npy -o itrf.npy
"$apsco" propagate -c "$data/cli/members3.tle" --start 2026-03-19T00:00:00Z --end 2026-03-19T02:00:00Z \
    --step 600 --frame itrf >itrf.csv
check "itrf npy equals itrf csv" $py -c "
import numpy
a = numpy.load('itrf.npy')
c = numpy.loadtxt('itrf.csv', delimiter=',', skiprows=1, usecols=range(3, 9))
assert a.shape == (3, 13, 6), a.shape
assert numpy.allclose(a.reshape(-1, 6), c, rtol=0, atol=2e-6)
"

# --tsince grids go to npy too.
"$apsco" propagate -c "$data/cli/iss.tle" --tsince=-60:60:1 --format npy -o tsince.npy
check "tsince npy shape" $py -c "
import numpy
assert numpy.load('tsince.npy').shape == (1, 121, 6)
"

# Usage errors: npy needs a file and a Cartesian frame.
"$apsco" propagate -c "$data/cli/iss.tle" --tsince 0:10:1 --format npy >/dev/null 2>&1
check "npy to stdout is a usage error" [ $? -eq 2 ]
"$apsco" propagate -c "$data/cli/iss.tle" --tsince 0:10:1 --format npy --frame geodetic -o g.npy 2>/dev/null
check "npy geodetic is a usage error" [ $? -eq 2 ]
check "no file after a usage error" [ ! -e g.npy ]
"$apsco" propagate -c "$data/cli/iss.tle" --tsince 0:10:1 --threads 0 >/dev/null 2>&1
check "--threads 0 is a usage error" [ $? -eq 2 ]

# Thread counts change no digit.
"$apsco" propagate -c "$ver" --tsince=-100:500:7 --threads 1 >t1.csv 2>/dev/null
"$apsco" propagate -c "$ver" --tsince=-100:500:7 --threads 2 >t2.csv 2>/dev/null
check "threads 1 and 2 give the same rows" cmp -s t1.csv t2.csv

# The benchmark prints one JSON line with the agreed fields.
"$apsco" bench propagate -c "$data/cli/members3.tle" --start 2026-03-19T00:00:00Z --span-min 60 \
    --step-min 1 --threads 1 >bench.json
check "bench JSON line" $py -c "
import json
lines = open('bench.json').read().splitlines()
assert len(lines) == 1, lines
b = json.loads(lines[0])
assert b['satellites'] == 3 and b['instants'] == 60 and b['propagations'] == 180, b
assert b['seconds'] > 0 and b['ns_per_propagation'] > 0 and b['checksum_km'] > 3 * 60 * 6500, b
"
"$apsco" bench propagate -c "$data/cli/members3.tle" --start 2026-03-19T00:00:00Z --span-min 60 \
    --kernel scalar --threads 1 >scalar.json
check "scalar kernel gives the same checksum to 1e-9" $py -c "
import json
a = json.load(open('bench.json')); b = json.load(open('scalar.json'))
assert abs(a['checksum_km'] - b['checksum_km']) < 1e-9 * a['checksum_km'], (a, b)
"
"$apsco" bench >/dev/null 2>&1
check "bench without a benchmark is a usage error" [ $? -eq 2 ]

exit $fail
