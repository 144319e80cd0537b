#!/bin/sh
# `apsco schedule`: command-line errors exit 2 with a message, data errors exit 1
# with the file and line at fault.
set -u
apsco=$1
data=$2/plan
. "$(dirname "$0")/lib/checks.sh"

"$apsco" schedule --help | grep -q '^Usage: apsco schedule' || { echo "FAIL: --help"; fail=1; }
"$apsco" --help | grep -q 'schedule' || { echo "FAIL: schedule missing from apsco --help"; fail=1; }

w="$data/windows.csv" r="$data/requests.csv"
h="--start 2026-03-23T00:00:00Z --end 2026-03-24T00:00:00Z"
expect 2 'windows needs --requests' -- schedule --windows "$w" $h
expect 2 'are required' -- schedule --windows "$w" --requests "$r" --start 2026-03-23T00:00:00Z
expect 2 'not a calendar date' -- schedule --windows "$w" --requests "$r" --start 2026-02-30 --end 2026-03-24
expect 2 'must be after' -- schedule --windows "$w" --requests "$r" --start 2026-03-24 --end 2026-03-23
expect 2 "unknown solver 'best'" -- schedule --windows "$w" --requests "$r" $h --solver best
expect 2 "'xml' is not csv" -- schedule --windows "$w" --requests "$r" $h --format xml
expect 2 'replaces the pass search' -- schedule --windows "$w" --requests "$r" $h --stations "$data/stations.csv"
expect 2 'min-el must be in' -- schedule -c "$data/members4.tle" --stations "$data/stations.csv" --requests "$r" $h --min-el 95
expect 2 'not a number >= 0' -- schedule --windows "$w" --requests "$r" $h --setup-s -1
expect 2 'unknown option' -- schedule --windows "$w" --requests "$r" $h --bogus
expect 2 "station 'XX' has no windows" -- schedule --windows "$w" --requests "$r" $h --antennas XX=2
expect 2 'is not ID=N' -- schedule --windows "$w" --requests "$r" $h --antennas CN-BJ=0
expect 1 'requests-norad-line3.csv:3: norad' -- schedule --windows "$w" --requests "$data/bad/requests-norad-line3.csv" $h
expect 1 'windows-order-line2.csv:2: end_utc is not after' -- schedule --windows "$data/bad/windows-order-line2.csv" --requests "$r" $h
expect 1 'outages-fields-line2.csv:2: expected 3 fields' -- schedule --windows "$w" --requests "$r" $h --outages "$data/bad/outages-fields-line2.csv"
expect 1 'entitlements-observer-line3.csv:3: MY is an observer' -- schedule --windows "$w" --requests "$r" $h --entitlements "$data/bad/entitlements-observer-line3.csv"
expect 1 'nonexistent.csv: cannot open' -- schedule --windows "$data/nonexistent.csv" --requests "$r" $h
printf 'station,start_utc,end_utc\nXX-01,2026-03-23T00:00:00Z,2026-03-23T01:00:00Z\n' >unknown-outage.csv
expect 1 'unknown-outage.csv:2: outage of unknown station' -- schedule --windows "$w" --requests "$r" $h --outages unknown-outage.csv
exit $fail
