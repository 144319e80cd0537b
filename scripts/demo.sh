#!/bin/sh
# The main job on the bundled data: what pooling the ground stations gives
# each member state.
#
# Usage: scripts/demo.sh [APSCO_BINARY]
# Creates a fresh store with the bundled registry, member stations and the
# CelesTrak catalog of 2026-03-19, then prints, for the 24 hours from the
# catalog's epoch, each member state's passes over the pooled network and how
# many of them fall on other members' stations; then the fair shared schedule
# of a week of the members' example requests (data/requests-week.csv) over
# that network, and the close approaches of the members' satellites with the
# whole catalog over the first day. The full results go to demo-out/ as CSV,
# JSON and iCalendar.
set -eu
apsco=${1:-build/apsco}
case "$apsco" in /*) ;; *) apsco="$PWD/$apsco" ;; esac
cd "$(dirname "$0")/.."

out=demo-out
db="$out/apsco.db"
mkdir -p "$out"
rm -f "$db" "$db-wal" "$db-shm"

echo "apsco demo: a fresh store with the organization's registry, stations and catalog"
"$apsco" db init --defaults --db "$db"
echo
"$apsco" pooling --db "$db" --out-dir "$out"

week_start=2026-03-19T00:00:00Z
week_end=2026-03-26T00:00:00Z
echo
echo "The shared schedule: a week of the members' requests ($week_start to $week_end),"
echo "max-min fair to the member states, then as valuable as possible"
"$apsco" request add --db "$db" --file data/requests-week.csv 2>&1 | sed 's/^apsco: //'
"$apsco" schedule --db "$db" --start "$week_start" --end "$week_end" --out-dir "$out" 2>&1 |
    sed 's/^apsco: //'

day_end=2026-03-20T00:00:00Z
echo
echo "Space safety: approaches of the members' satellites closer than 5 km to any catalogued"
echo "object, $week_start to $day_end (closest first)"
"$apsco" screen --db "$db" --status member --start "$week_start" --end "$day_end" \
    --threshold-km 5 -o "$out/approaches.csv" 2>/dev/null
awk -F, 'NR == 1 { printf "%-16s %-24s %-24s %9s %10s %11s\n", "primary", "secondary", "tca_utc", "miss_km", "km_s", "max_pc" }
         NR > 1 && NR <= 11 { printf "%-16.16s %-24.24s %-24s %9s %10s %11s\n", $2, $4, $5, $6, $7, $11 }
         END { printf "%d approaches in all\n", NR - 1 }' "$out/approaches.csv"

echo
echo "Written to $out/: passes.csv, passes.json, passes.ics (every pass of every member"
echo "satellite over every member station), pooling.csv, pooling.json (the table above),"
echo "schedule.csv, schedule.json, schedule.ics (the granted contacts), approaches.csv (the close"
echo "approaches), apsco.db (the store; try: $apsco states --db $db)."
