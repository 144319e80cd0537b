#!/bin/sh
# `apsco passes` and `apsco track`: formats, clipping, visibility, Doppler, and the errors
# (exit 2 for the command line, 1 for the data).
set -u
apsco=$1
data=$2
. "$(dirname "$0")/lib/checks.sh"
tle="$data/passes/oracle.tle"
stations="$data/passes/stations.csv"
win="--start 2026-03-19T00:00:00Z --end 2026-03-19T12:00:00Z"

"$apsco" passes --help | grep -q '^Usage: apsco passes' || { echo "FAIL: passes --help"; fail=1; }
"$apsco" track --help | grep -q '^Usage: apsco track' || { echo "FAIL: track --help"; fail=1; }

# CSV: the exact header, one row per pass, sorted by AOS.
"$apsco" passes -c "$tle" --stations "$stations" $win >passes.csv 2>err.txt
check "csv exit" [ $? -eq 0 ]
check "csv header" [ "$(head -1 passes.csv)" = \
    "norad,name,station,aos_utc,aos_az_deg,tca_utc,tca_el_deg,tca_az_deg,los_utc,los_az_deg,duration_s,sunlit_fraction,visible" ]
check "csv has passes" [ "$(wc -l <passes.csv)" -gt 50 ]
tail -n +2 passes.csv | cut -d, -f4 >aos.txt
sort aos.txt >aos_sorted.txt
check "csv sorted by aos" cmp -s aos.txt aos_sorted.txt
check "csv every row has 13 fields" [ "$(awk -F, 'NR > 1 && NF != 13' passes.csv | wc -l)" -eq 0 ]

# A geostationary satellite over the whole window: one pass cut at both edges.
"$apsco" passes -c "$tle" --sat 38107 --station 40.45,116.85,150,Miyun --min-el 5 $win >geo.csv
check "geo one pass" [ "$(wc -l <geo.csv)" -eq 2 ]
check "geo clipped in csv" grep -q '^38107,APSTAR-7,Miyun,2026-03-19T00:00:00.000Z,.*,2026-03-19T12:00:00.000Z,' geo.csv
"$apsco" passes -c "$tle" --sat 38107 --station 40.45,116.85,150,Miyun --min-el 5 $win \
    --format json >geo.json
check "geo clipped in json" grep -q '"aos_clipped":true' geo.json
check "geo clipped at the end in json" grep -q '"los_clipped":true' geo.json

# JSON with Doppler.
"$apsco" passes -c "$tle" --sat 25544 --stations "$stations" $win --format json --freq-mhz 437.5 >iss.json
check "json array" grep -q '^\[' iss.json
check "json doppler" grep -q '"doppler_aos_hz":[0-9]' iss.json
check "json doppler los negative" grep -q '"doppler_los_hz":-' iss.json
check "json freq" grep -q '"freq_mhz":437.500000' iss.json
if command -v python3 >/dev/null 2>&1; then
    check "json parses" python3 -c "import json,sys; a=json.load(open('iss.json')); sys.exit(0 if a and 'tca_el_deg' in a[0] else 1)"
fi

# --visible keeps only visible passes; --sun-below changes the darkness.
"$apsco" passes -c "$tle" --stations "$stations" $win --visible >vis.csv
check "visible subset" [ "$(awk -F, 'NR > 1 && $13 != 1' vis.csv | wc -l)" -eq 0 ]
check "visible some" [ "$(wc -l <vis.csv)" -gt 1 ]
"$apsco" passes -c "$tle" --stations "$stations" $win --visible --sun-below -90 >none.csv
check "sun below -90: no visible pass" [ "$(wc -l <none.csv)" -eq 1 ]

# iCalendar: CRLF, folded lines, one VEVENT per pass, UIDs stable across runs.
SOURCE_DATE_EPOCH=1773878400 "$apsco" passes -c "$tle" --sat 25544 --stations "$stations" $win --format ics >a.ics
SOURCE_DATE_EPOCH=1773878400 "$apsco" passes -c "$tle" --sat 25544 --stations "$stations" $win --format ics >b.ics
check "ics identical across runs" cmp -s a.ics b.ics
check "ics begins" [ "$(head -1 a.ics)" = "$(printf 'BEGIN:VCALENDAR\r')" ]
check "ics crlf everywhere" [ "$(grep -c "$(printf '\r')\$" a.ics)" -eq "$(wc -l <a.ics)" ]
check "ics lines <= 75 octets" [ "$(tr -d '\r' <a.ics | awk 'length($0) > 75' | wc -l)" -eq 0 ]
check "ics dtstamp" grep -q 'DTSTAMP:20260319T000000Z' a.ics
n_events=$(grep -c '^BEGIN:VEVENT' a.ics)
n_rows=$(( $("$apsco" passes -c "$tle" --sat 25544 --stations "$stations" $win | wc -l) - 1 ))
check "ics one event per pass" [ "$n_events" -eq "$n_rows" ]
check "ics uid" grep -q '^UID:25544-MID-MIYUN-20260319T' a.ics

# track: look angles at a step, with Doppler.
"$apsco" track -c "$tle" --sat 25544 --station 40.45,116.85,150 --start 2026-03-19T07:55:00Z \
    --end 2026-03-19T07:56:00Z --step 10 --freq-mhz 437.5 >track.csv
check "track header" [ "$(head -1 track.csv)" = "time_utc,az_deg,el_deg,range_km,range_rate_km_s,doppler_hz" ]
check "track rows" [ "$(wc -l <track.csv)" -eq 8 ]
"$apsco" track -c "$tle" --sat 25544 --stations "$stations" --station-id MID-MIYUN \
    --start 2026-03-19T00:00:00Z --end 2026-03-19T12:00:00Z --step 60 --above >above.csv
check "track --above rows above the horizon" [ "$(awk -F, 'NR > 1 && $3 < 5' above.csv | wc -l)" -eq 0 ]

# Errors.
expect 2 'end is before' -- passes -c "$tle" --station 0,0,0 --start 2026-03-19T00:00:00Z --end 2026-03-18T00:00:00Z
expect 2 'start and --end are required' -- passes -c "$tle" --station 0,0,0 --start 2026-03-19T00:00:00Z
expect 2 'is not LAT,LON,ALT_M' -- passes -c "$tle" --station 40.4,abc,0 $win
expect 2 'is not LAT,LON,ALT_M' -- passes -c "$tle" --station 40.4 $win
expect 2 'latitude must be in' -- passes -c "$tle" --station 95,10,0 $win
expect 2 'stations FILE or --station' -- passes -c "$tle" $win
expect 2 'not both' -- passes -c "$tle" --station 0,0,0 --stations "$stations" $win
expect 2 "unknown value 'xml'" -- passes -c "$tle" --station 0,0,0 $win --format xml
expect 2 'min-el must be in' -- passes -c "$tle" --station 0,0,0 $win --min-el 95
expect 2 'freq-mhz must be positive' -- passes -c "$tle" --station 0,0,0 $win --freq-mhz 0
expect 2 'threads must be' -- passes -c "$tle" --station 0,0,0 $win --threads 0
expect 1 'no element set for catalog number 99999' -- passes -c "$tle" --station 0,0,0 $win --sat 99999
printf 'id,name,state,lat_deg,lon_deg,alt_m,min_el_deg\nA,a,PK,91,0,0,5\n' >bad.csv
expect 1 'bad.csv:2: latitude 91' -- passes -c "$tle" --stations bad.csv $win
expect 1 'nonexistent.csv' -- passes -c "$tle" --stations nonexistent.csv $win
expect 2 'step must be positive' -- track -c "$tle" --sat 25544 --station 0,0,0 $win --step 0
expect 2 'end is before' -- track -c "$tle" --sat 25544 --station 0,0,0 --start 2026-03-19T00:00:00Z --end 2026-03-18T00:00:00Z --step 10
expect 1 'no element set for catalog number 99999' -- track -c "$tle" --sat 99999 --station 0,0,0 $win --step 10
expect 2 'choose one with --station-id' -- track -c "$tle" --sat 25544 --stations "$stations" $win --step 10
expect 1 "no station 'NOPE'" -- track -c "$tle" --sat 25544 --stations "$stations" --station-id NOPE $win --step 10

[ "$fail" -eq 0 ] && echo "cli passes: ok"
exit "$fail"
