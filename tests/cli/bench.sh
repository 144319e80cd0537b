#!/bin/sh
# `apsco bench propagate`: one JSON line per run; --only splits the catalog into the
# engine's kinds of orbit, whose satellites and checksums add up to the whole
# catalog's; command-line errors exit 2, a kind absent from the catalog exits 1.
set -u
apsco=$1
data=$2
fail=0
cat="$data/../../data/gpredict-2018.tle"
run="bench propagate --catalog $cat --start 2018-01-21T00:00:00Z --span-min 10 --step-min 1"

# field NAME: the value of NAME in the JSON line of out.txt.
field() {
    sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\).*/\1/p" out.txt
}

"$apsco" $run --threads 2 >out.txt || { echo "FAIL: bench exit $?"; fail=1; }
all_sats=$(field satellites)
all_sum=$(field checksum_km)
[ "$all_sats" = 979 ] || { echo "FAIL: satellites $all_sats, expected 979"; fail=1; }
[ "$(field instants)" = 10 ] || { echo "FAIL: instants $(field instants)"; fail=1; }
[ "$(field orbits)" = all ] || { echo "FAIL: orbits $(field orbits)"; fail=1; }

sats=0
sum=0
for kind in near deep one-day half-day; do
    "$apsco" $run --threads 1 --only $kind >out.txt || { echo "FAIL: --only $kind"; fail=1; }
    [ "$(field orbits)" = $kind ] || { echo "FAIL: orbits $(field orbits) for $kind"; fail=1; }
    n=$(field satellites)
    [ "$n" -gt 0 ] || { echo "FAIL: no $kind orbit"; fail=1; }
    sats=$((sats + n))
    sum=$(awk -v a="$sum" -v b="$(field checksum_km)" 'BEGIN { printf "%.6f", a + b }')
done
[ "$sats" = "$all_sats" ] || { echo "FAIL: kinds hold $sats satellites, catalog $all_sats"; fail=1; }
awk -v a="$sum" -v b="$all_sum" 'BEGIN { d = a - b; exit !(d < 1e-3 && d > -1e-3) }' ||
    { echo "FAIL: kinds' checksums add up to $sum, catalog's is $all_sum"; fail=1; }

"$apsco" $run --only bogus >out.txt 2>err.txt
[ $? -eq 2 ] && grep -q "unknown kind of orbit 'bogus'" err.txt || { echo "FAIL: --only bogus"; fail=1; }
head -3 "$cat" >one.tle
"$apsco" bench propagate --catalog one.tle --only half-day >out.txt 2>err.txt
[ $? -eq 1 ] && grep -q "no half-day orbit" err.txt || { echo "FAIL: absent kind"; fail=1; }
rm -f out.txt err.txt one.tle
exit $fail
