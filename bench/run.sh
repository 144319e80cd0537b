#!/bin/sh
# run.sh — the propagation benchmark of apsco against its peers, as `make bench`
# runs it: each engine propagates every satellite of a catalog at 1440
# one-minute instants, prints one JSON line (bench/out/results.jsonl), and
# report.py turns the lines into bench/RESULTS.md.
#
# Usage: bench/run.sh [APSCO_BINARY]   (default build/apsco)
#
# Engines: apsco (batch engine, all cores and one; and its scalar reference
# path), satellite.js 7.1.0 (npm, pinned in package-lock.json): plain
# `propagate` and the WASM BulkPropagator with one and all threads, and
# Debian's python3-sgp4 (pure Python, a subset of the instants). The fast
# engines run three times each (separate processes, three repetitions inside
# each); the report gives the best and the spread.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
apsco=${1:-$root/build/apsco}
case $apsco in /*) ;; *) apsco=$(pwd)/$apsco ;; esac
out=$here/out
mkdir -p "$out"
results=$out/results.jsonl
: >"$results"
cores=$(nproc)
py=/usr/bin/python3

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

# record WORKLOAD COMMAND...: runs COMMAND, tags its JSON line with the workload.
record() {
    workload=$1
    shift
    line=$("$@")
    printf '%s\n' "$line" | "$py" -c "
import json, sys
d = json.loads(sys.stdin.read())
d['workload'] = sys.argv[1]
d['command'] = sys.argv[2]
print(json.dumps(d))" "$workload" "$*" >>"$results"
    printf '%s: %s\n' "$workload" "$line" >&2
}

run_workload() { # run_workload NAME CATALOG START PY_STRIDE
    name=$1 catalog=$root/$2 start=$3 stride=$4
    for round in 1 2 3; do
        record "$name" "$apsco" bench propagate --catalog "$catalog" --start "$start" \
            --span-min 1440 --step-min 1 --threads "$cores" --repeat 3
        record "$name" "$apsco" bench propagate --catalog "$catalog" --start "$start" \
            --span-min 1440 --step-min 1 --threads 1 --repeat 3
        record "$name" node "$here/satjs_bench.mjs" "$catalog" "$start" 1440 1 wasm "$cores" 3
        record "$name" node "$here/satjs_bench.mjs" "$catalog" "$start" 1440 1 wasm 1 3
    done
    # What each kind of orbit costs (the engine's lane groups), one thread.
    for kind in near deep one-day half-day; do
        record "$name" "$apsco" bench propagate --catalog "$catalog" --start "$start" \
            --span-min 1440 --step-min 1 --threads 1 --repeat 3 --only "$kind"
    done
    record "$name" "$apsco" bench propagate --catalog "$catalog" --start "$start" \
        --span-min 1440 --step-min 1 --threads 1 --kernel scalar
    record "$name" node "$here/satjs_bench.mjs" "$catalog" "$start" 1440 1 plain 1 1
    record "$name" "$py" "$here/sgp4_bench.py" "$catalog" "$start" 1440 1 "$stride" 1
    # apsco on the same subset of instants, for the checksum of python-sgp4.
    record "$name" "$apsco" bench propagate --catalog "$catalog" --start "$start" \
        --span-min 1440 --step-min "$stride" --threads 1
}

run_workload gpredict-2018 data/gpredict-2018.tle 2018-01-21T00:00:00Z 1
run_workload celestrak-2026 data/celestrak-active-2026-03-19.tle 2026-03-19T00:00:00Z 10

# Where apsco's time goes: a sampling profile of one thread on each workload,
# by function and by source line, when perf is there.
profiles=""
profile() { # profile NAME CATALOG START REPEAT
    file=$out/profile-$1.txt
    : >"$file"
    command -v perf >/dev/null 2>&1 || return 0
    if perf record -q -o "$out/perf.data" "$apsco" bench propagate --catalog "$root/$2" \
        --start "$3" --span-min 1440 --step-min 1 --threads 1 --repeat "$4" >/dev/null 2>&1; then
        perf report -i "$out/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
            grep -E '^ +[0-9]' | head -12 >"$file"
        echo "--" >>"$file"
        perf report -i "$out/perf.data" --no-children --sort srcline --stdio 2>/dev/null |
            grep -E '^ +[0-9]' >>"$file"
        profiles="$profiles $1=$file"
    fi
}
profile gpredict-2018 data/gpredict-2018.tle 2018-01-21T00:00:00Z 20
profile celestrak-2026 data/celestrak-active-2026-03-19.tle 2026-03-19T00:00:00Z 2

# shellcheck disable=SC2086 # one argument per profile
"$py" "$here/report.py" "$results" "$here/RESULTS.md" "$root/src/orbit/fleet_kernel.h" $profiles
echo "bench: wrote $here/RESULTS.md" >&2
