#!/bin/sh
# `apsco pooling`: the demo's table from a fresh store with the bundled data:
# every member state listed, counts that add up, and the pass files written.
set -u
apsco=$1
. "$(dirname "$0")/lib/checks.sh"
db=$PWD/pool.db
rm -f "$db" "$db-wal" "$db-shm"
"$apsco" db init --defaults --db "$db" 2>/dev/null || { echo "FAIL: db init"; exit 1; }

"$apsco" pooling --db "$db" --format csv >pool.csv
check "exit 0" [ $? -eq 0 ]
check "csv header" [ "$(head -1 pool.csv)" = "state,name,satellites,own_stations,passes,passes_other,other_share,contact_h,contact_other_h" ]
check "one row per member state (7)" [ "$(tail -n +2 pool.csv | wc -l)" -eq 7 ]
check "members only" [ "$(tail -n +2 pool.csv | cut -d, -f1 | tr '\n' ' ')" = "BD CN IR MN PE PK TH " ]
check "passes on others' stations never exceed passes" awk -F, 'NR > 1 && $6 > $5 { exit 1 }' pool.csv
check "a member with satellites has passes" awk -F, 'NR > 1 && $3 > 0 && $5 == 0 { exit 1 }' pool.csv

mkdir -p out
"$apsco" pooling --db "$db" --start 2026-03-19T00:00:00Z --end 2026-03-19T06:00:00Z --out-dir out >table.txt
check "table names the window" grep -q "2026-03-19T00:00:00Z to 2026-03-19T06:00:00Z" table.txt
for f in passes.csv passes.json passes.ics; do
    check "out-dir has $f" [ -s "out/$f" ]
done
total=$(awk '/passes in all/ { print $1 }' table.txt)
check "passes.csv holds every pass of the table" [ "$(tail -n +2 out/passes.csv | wc -l)" -eq "$total" ]
check "iCalendar has one event per pass" [ "$(grep -c '^BEGIN:VEVENT' out/passes.ics)" -eq "$total" ]
"$apsco" pooling --db "$db" --start 2026-03-19T00:00:00Z --end 2026-03-19T06:00:00Z --format csv >w.csv
check "out-dir pooling.csv is the CSV table" cmp -s w.csv out/pooling.csv
"$apsco" pooling --db "$db" --start 2026-03-19T00:00:00Z --end 2026-03-19T06:00:00Z --format json >w.json
check "out-dir pooling.json is the JSON table" cmp -s w.json out/pooling.json

"$apsco" pooling --db "$db" --start 2026-03-19T06:00:00Z --end 2026-03-19T00:00:00Z 2>err.txt
check "end before start is a usage error" [ $? -eq 2 ]
check "and says so" grep -q "end is before" err.txt
exit $fail
