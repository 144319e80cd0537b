#!/bin/sh
# Scheduler benchmarks (issue 7), for `make bench` (bench/others.sh calls this
# script; it also runs on its own):
#   1. a week of the members' 32 satellites over their 10 pooled stations (real
#      passes), demand twice the capacity: --solver auto in 2 s, first come first
#      served beside it, and the exact LP bound of the 2-s schedule as the proof;
#      the same in 5 and 10 s;
#   2. the same network with every member asking for as many satellites, and
#      each state alone on the network (the most its satellites' passes give);
#   3. every member asking for every satellite: the same chances for all, the
#      case of the fairness target (shares within 5 % of each other);
#   4. ten times the satellites and the stations, 30 s.
# Usage: bench/plan.sh [BUILD_DIR]   (run from the repository root, after a Release build)
set -eu
build=${1:-build}
case "$build" in */apsco) build=$(dirname "$build") ;; esac
cmake --build "$build" --target bench_plan -j 2 >/dev/null

echo "== plan: one week, members' network, demand 2x capacity, 2 s (with the exact LP proof)"
"$build/bench_plan" --time-limit 2 --proof

echo "== plan: the same with 5 and 10 s (the LP-guided value stage given time)"
"$build/bench_plan" --time-limit 5 --proof
"$build/bench_plan" --time-limit 10 --proof

echo "== plan: the same, every member asking for as many satellites"
"$build/bench_plan" --time-limit 2 --balanced

echo "== plan: the same, every member asking for every satellite"
"$build/bench_plan" --time-limit 2 --everyone

echo "== plan: ten times the satellites and stations, 30 s"
"$build/bench_plan" --scale 10 --time-limit 30
