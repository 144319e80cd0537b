#!/bin/sh
# The main job on the bundled data: what pooling the ground stations gives
# each member state.
#
# Usage: scripts/demo.sh [APSCO_BINARY]
# Creates a fresh store with the bundled registry, member stations and the
# CelesTrak catalog of 2026-03-19, then prints, for the 24 hours from the
# catalog's epoch, each member state's passes over the pooled network and how
# many of them fall on other members' stations. The full results go to
# demo-out/ as CSV, JSON and iCalendar.
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
"$apsco" pooling --db "$db" --format csv >"$out/pooling.csv"
"$apsco" pooling --db "$db" --format json >"$out/pooling.json"
echo
echo "Written to $out/: passes.csv, passes.json, passes.ics (every pass of every member"
echo "satellite over every member station), pooling.csv, pooling.json (the table above),"
echo "apsco.db (the store; try: $apsco states --db $db)."
