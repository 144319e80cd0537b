#!/bin/sh
# `apsco schedule` on the hand-made network: the CSV header, refusals with their
# reasons on stderr, the summary, JSON with its keys, iCalendar with CRLF, and
# the first-come-first-served baseline.
set -u
apsco=$1
data=$2/plan
. "$(dirname "$0")/lib/checks.sh"
h="--start 2026-03-23T00:00:00Z --end 2026-03-24T00:00:00Z"
"$apsco" schedule --windows "$data/windows.csv" --requests "$data/requests.csv" $h >out.csv 2>err.txt
check "exit 0" test $? -eq 0
check "CSV header" test "$(head -1 out.csv)" = "request,state,norad,station,start_utc,end_utc,priority"
check "seven contacts" test "$(tail -n +2 out.csv | wc -l)" -eq 7
check "no refused request scheduled" sh -c "! grep -q '^R[4568],' out.csv"
check "R3 only at its stations" sh -c "! grep '^R3,' out.csv | grep -q PK-IS"
check "observer refused" grep -q 'refused request R4: MY is an observer' err.txt
check "signatory refused" grep -q 'refused request R5: ID is a signatory' err.txt
check "unknown satellite refused" grep -q 'refused request R6: satellite 49999 is unknown' err.txt
check "unknown station refused" grep -q "refused request R8: station 'XX-NO' is not in the network" err.txt
check "summary table" grep -q 'apsco: state  requested_s' err.txt
check "summary bound" grep -q 'gap 0.00 %' err.txt

"$apsco" schedule --windows "$data/windows.csv" --requests "$data/requests.json" $h \
    --outages "$data/outages.csv" --format json -o out.json 2>err.txt
check "json exit 0" test $? -eq 0
for key in '"contacts": \[' '"states": \[' '"value": ' '"bound": ' '"gap": ' '"solver": ' \
           '"seconds": ' '"refused": \['; do
    check "json key $key" grep -q "$key" out.json
done
check "outage respected" sh -c "! grep -q '\"station\": \"PK-IS\", \"start_utc\": \"2026-03-23T07:0' out.json"
check "json has no summary on stderr" sh -c "! grep -q 'apsco: state' err.txt"

"$apsco" schedule --windows "$data/windows.csv" --requests "$data/requests.csv" $h --format ics >out.ics 2>/dev/null
check "ics exit 0" test $? -eq 0
check "ics CRLF" awk '!/\r$/ { bad = 1 } END { exit bad }' out.ics
check "ics events" test "$(grep -c '^BEGIN:VEVENT' out.ics)" -eq 7

mkdir -p dir
"$apsco" schedule --windows "$data/windows.csv" --requests "$data/requests.csv" $h --out-dir dir 2>err.txt
check "out-dir exit 0" test $? -eq 0
check "out-dir CSV is the CSV output" cmp -s out.csv dir/schedule.csv
check "out-dir JSON has the contacts" test "$(grep -o '"station": ' dir/schedule.json | wc -l)" -eq 7
check "out-dir iCalendar has the events" test "$(grep -c '^BEGIN:VEVENT' dir/schedule.ics)" -eq 7
check "out-dir summary on stderr" grep -q 'apsco: state  requested_s' err.txt
"$apsco" schedule --windows "$data/windows.csv" --requests "$data/requests.csv" $h --out-dir dir -o x.csv 2>/dev/null
check "out-dir with -o is a usage error" test $? -eq 2

"$apsco" schedule --windows "$data/windows.csv" --requests "$data/requests.csv" $h --solver fcfs >fcfs.csv 2>err.txt
check "fcfs exit 0" test $? -eq 0
check "fcfs solver named" grep -q 'solver fcfs' err.txt
exit $fail
