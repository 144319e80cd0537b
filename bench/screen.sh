#!/bin/sh
# Conjunction screening benchmark (`make bench` calls it through bench/others.sh, or run it
# alone): apsco screen on the workloads of issue 6, with --stats (candidates surviving
# each filter, seconds per stage) to stderr. Usage: bench/screen.sh [APSCO] [OUTDIR]
#   (a) the member satellites against the 14 710-object 2026 snapshot, 7 days, 5 km;
#   (b) all-on-all of the snapshot and of the seeded synthetic 30 000-object catalog,
#       24 h and 7 days, 5 km and 10 km.
# SCREEN_QUICK=1 runs only (a) and the 24 h snapshot cases.
set -eu
apsco=${1:-build/apsco}
out=${2:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
snap="$root/data/celestrak-active-2026-03-19.tle"
start=2026-03-19T00:00:00Z
day=2026-03-20T00:00:00Z
week=2026-03-26T00:00:00Z
mkdir -p "$out"

run() { # run LABEL ARGS...
    label=$1
    shift
    echo "== $label"
    /usr/bin/time -f "wall %e s, CPU %U s user + %S s system, max RSS %M KiB" "$apsco" screen "$@" --stats -o "$out/$label.csv" 2>&1 |
        sed 's/^apsco: //'
    echo "approaches written: $(($(wc -l <"$out/$label.csv") - 1))"
}

"$apsco" db init --defaults --db "$out/apsco.db" >/dev/null
run members-7d-5km --db "$out/apsco.db" --status member --start $start --end $week --threshold-km 5
run snapshot-24h-5km -c "$snap" --all --start $start --end $day --threshold-km 5
run snapshot-24h-10km -c "$snap" --all --start $start --end $day --threshold-km 10
[ "${SCREEN_QUICK:-0}" = 1 ] && exit 0
"$apsco" catalog synth --count 30000 --seed 1 -o "$out/synth30k.tle"
run synth30k-24h-5km -c "$out/synth30k.tle" --all --start $start --end $day --threshold-km 5
run synth30k-24h-10km -c "$out/synth30k.tle" --all --start $start --end $day --threshold-km 10
run snapshot-7d-5km -c "$snap" --all --start $start --end $week --threshold-km 5
run snapshot-7d-10km -c "$snap" --all --start $start --end $week --threshold-km 10
run synth30k-7d-5km -c "$out/synth30k.tle" --all --start $start --end $week --threshold-km 5
run synth30k-7d-10km -c "$out/synth30k.tle" --all --start $start --end $week --threshold-km 10
