#!/bin/sh
# `apsco screen`: usage errors exit 2, data errors 1; CSV header, JSON, one CDM per approach.
set -u
apsco=$1
data=$2
. "$(dirname "$0")/lib/checks.sh"

"$apsco" screen --help | grep -q '^Usage: apsco screen' || { echo "FAIL: --help"; fail=1; }

cat="$data/screen/crowd.tle"
span="--start 2026-03-19T00:00:00Z --end 2026-03-19T06:00:00Z"
expect 2 'threshold-km must be positive' -- screen -c "$cat" --all $span --threshold-km 0
expect 2 'threshold-km must be positive' -- screen -c "$cat" --all $span --threshold-km -3
expect 2 'hbr-m must be positive' -- screen -c "$cat" --all $span --hbr-m 0
expect 2 'end must be after' -- screen -c "$cat" --all --start 2026-03-19T00:00:00Z --end 2026-03-18T00:00:00Z
expect 2 'end must be after' -- screen -c "$cat" --all --start 2026-03-19T00:00:00Z --end 2026-03-19T00:00:00Z
expect 2 'give the primaries' -- screen -c "$cat" $span
expect 2 'only one of' -- screen -c "$cat" --all --primary 25544 $span
expect 2 'needs -o DIRECTORY' -- screen -c "$cat" --all $span --format cdm
expect 2 'unknown value' -- screen -c "$cat" --all $span --format xml
expect 1 'unknown primary: catalog number 11' -- screen -c "$cat" --primary 25544,11 $span
printf '# primaries\n25544\n\nbogus\n' >prim.txt
expect 1 "prim.txt:4: 'bogus' is not a catalog number" -- screen -c "$cat" --primaries prim.txt $span

# Turksat 3A and its GEO neighbours within 50 km: the header, rows sorted by miss.
"$apsco" screen -c "$cat" --primary 33056 $span --threshold-km 50 -o geo.csv || fail=1
head -1 geo.csv | grep -qx 'primary,primary_name,secondary,secondary_name,tca_utc,miss_km,rel_speed_km_s,radial_km,intrack_km,crosstrack_km,max_pc' ||
    { echo "FAIL: CSV header"; head -1 geo.csv; fail=1; }
[ "$(wc -l <geo.csv)" -gt 1 ] || { echo "FAIL: no approaches of the ISS"; fail=1; }
tail -n +2 geo.csv | cut -d, -f6 | sort -c -g || { echo "FAIL: rows not sorted by miss"; fail=1; }
tail -n +2 geo.csv | cut -d, -f1 | grep -vqx 33056 && { echo "FAIL: primary column"; fail=1; }

# The same as JSON, and as one CDM per approach.
"$apsco" screen -c "$cat" --primary 33056 $span --threshold-km 50 --format json -o geo.json || fail=1
rows=$(($(wc -l <geo.csv) - 1))
[ "$(grep -c '"primary":33056' geo.json)" -eq "$rows" ] || { echo "FAIL: JSON rows"; fail=1; }
rm -rf cdm
"$apsco" screen -c "$cat" --primary 33056 $span --threshold-km 50 --format cdm -o cdm || fail=1
[ "$(ls cdm | grep -c '^33056_.*Z[.]cdm$')" -eq "$rows" ] || { echo "FAIL: CDM files"; ls cdm; fail=1; }
for f in cdm/*.cdm; do
    for k in CCSDS_CDM_VERS CREATION_DATE ORIGINATOR MESSAGE_ID TCA MISS_DISTANCE OBJECT_DESIGNATOR \
        CATALOG_NAME OBJECT_NAME INTERNATIONAL_DESIGNATOR EPHEMERIS_NAME COVARIANCE_METHOD \
        MANEUVERABLE REF_FRAME X_DOT CNDOT_NDOT; do
        grep -q "^$k " "$f" || { echo "FAIL: $f lacks $k"; fail=1; }
    done
done
# A slow encounter (0.6 m/s) has an ill-conditioned TCA; its minimum is still reported once.
"$apsco" screen -c "$data/screen/slow-geo-pair.tle" --all --start 2026-03-21T23:00:00Z \
    --end 2026-03-22T00:00:00Z --threshold-km 10 >slow.csv 2>/dev/null
n=$(grep -c "^54244,.*,56174," slow.csv)
[ "$n" -eq 1 ] || { echo "FAIL: slow GEO encounter reported $n times, not once"; fail=1; }

exit $fail
