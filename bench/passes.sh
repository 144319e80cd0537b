#!/bin/sh
# Pass-search benchmarks (issue 4), for `make bench` (bench/others.sh calls this
# script; it also runs on its own):
#   1. apsco and Skyfield on the same workload, 200 satellites x 5 stations x 2 days,
#      and the ratio of their CPU times per satellite-station-day;
#   2. apsco on the 2026 snapshot (14 710 objects) x the bundled stations x 7 days;
#   3. apsco on a seeded synthetic 30 000-object catalog derived from it, x the first
#      10 bundled stations x 7 days (the target: 10 s on two cores).
# Usage: bench/passes.sh [BUILD_DIR]   (run from the repository root, after a Release build)
set -eu
build=${1:-build}
case "$build" in */apsco) build=$(dirname "$build") ;; esac
cat=data/celestrak-active-2026-03-19.tle
stations=data/stations.csv
cc -O2 -Iinclude bench/passes.c "$build/libapsco.a" \
    $(pkg-config --libs erfa jansson expat sleef sqlite3 libcurl libmicrohttpd 2>/dev/null || \
      pkg-config --libs erfa jansson expat sleef sqlite3) -fopenmp -lm -o "$build/bench_passes"

# The figure in "(X us CPU per satellite-station-day)" of a result line.
per_unit() { sed -n 's/.*(\([0-9.]*\) us CPU per satellite-station-day).*/\1/p'; }

echo "== passes: same workload as Skyfield (200 satellites x 5 stations x 2 days)"
grep -v '^#' "$stations" | head -n 6 >"$build/stations5.csv"   # header and the first five
one=$("$build/bench_passes" "$cat" "$build/stations5.csv" 2 --first 200 --threads 1 --repeat 10)
echo "1 thread:  $one"
"$build/bench_passes" "$cat" "$build/stations5.csv" 2 --first 200 --repeat 10 | sed 's/^/all cores: /'
sky=$(/usr/bin/python3 bench/passes_skyfield.py "$cat" "$stations" 2 200 5)
echo "$sky"
a=$(echo "$one" | per_unit)
s=$(echo "$sky" | per_unit)
awk -v a="$a" -v s="$s" 'BEGIN { printf "per satellite-station-day (CPU): apsco %.2f us, Skyfield %.1f us, ratio %.0fx\n", a, s, s / a }'

echo "== passes: 2026 snapshot x bundled stations x 7 days (all cores)"
"$build/bench_passes" "$cat" "$stations" 7

echo "== passes: synthetic 30 000 objects (seed 1) x first 10 bundled stations x 7 days (all cores, least of 2 runs)"
"$build/bench_passes" "$cat" "$stations" 7 --synth 30000 1 --stations 10 --repeat 2
