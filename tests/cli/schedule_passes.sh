#!/bin/sh
# `apsco schedule` finding the passes itself (--catalog, --stations): every
# contact lies inside a pass that `apsco passes` finds for the same inputs,
# with --min-el applied to both.
set -u
apsco=$1
data=$2/plan
fail=0
h="--start 2026-03-19T00:00:00Z --end 2026-03-20T00:00:00Z"
"$apsco" schedule -c "$data/members4.tle" --stations "$data/stations.csv" \
    --requests "$data/members4-requests.csv" $h --min-el 10 --solver heuristic >sched.csv 2>err.txt \
    || { echo "FAIL: schedule exited $?"; cat err.txt; exit 1; }
n=$(tail -n +2 sched.csv | wc -l)
[ "$n" -ge 8 ] || { echo "FAIL: only $n contacts"; fail=1; }
grep -q '^PERU,.*,ID-BIAK,' sched.csv && { echo "FAIL: PERU outside its stations"; fail=1; }
"$apsco" passes -c "$data/members4.tle" --stations "$data/stations.csv" $h --min-el 10 >passes.csv \
    || { echo "FAIL: passes"; exit 1; }
# Every contact inside a pass of the same satellite over the same station.
awk -F, 'NR == FNR { if (FNR > 1) { k = $1 "," $3; n[k]++; s[k, n[k]] = $4; e[k, n[k]] = $9 } next }
         FNR > 1 { k = $3 "," $4; ok = 0
                   for (i = 1; i <= n[k]; i++) if (substr($5, 1, 19) >= substr(s[k, i], 1, 19) &&
                                                  substr($6, 1, 19) <= substr(e[k, i], 1, 19)) ok = 1
                   if (!ok) { print "FAIL: contact outside every pass: " $0; bad = 1 } }
         END { exit bad }' passes.csv sched.csv || fail=1
head -1 passes.csv | grep -q '^norad,name,station,aos_utc,.*,los_utc,' ||
    { echo "FAIL: passes header changed:"; head -1 passes.csv; fail=1; }
exit $fail
