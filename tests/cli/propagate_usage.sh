#!/bin/sh
# `apsco propagate`: command-line errors exit 2 with a message, data errors exit 1.
set -u
apsco=$1
data=$2
. "$(dirname "$0")/lib/checks.sh"

"$apsco" propagate --help | grep -q '^Usage: apsco propagate' || { echo "FAIL: --help"; fail=1; }

cat="$data/cli/iss.tle"
expect 2 'catalog FILE is required' -- propagate --start 2026-03-19T00:00:00Z --end 2026-03-19T01:00:00Z --step 60
expect 2 'step must be positive' -- propagate -c "$cat" --start 2026-03-19T00:00:00Z --end 2026-03-19T01:00:00Z --step 0
expect 2 'step must be positive' -- propagate -c "$cat" --start 2026-03-19T00:00:00Z --end 2026-03-19T01:00:00Z --step -5
expect 2 'end is before' -- propagate -c "$cat" --start 2026-03-19T00:00:00Z --end 2026-03-18T01:00:00Z --step 60
expect 2 'not a calendar date' -- propagate -c "$cat" --start 2026-02-30T00:00:00Z --end 2026-03-18T01:00:00Z --step 60
expect 2 'go together' -- propagate -c "$cat" --start 2026-03-19T00:00:00Z --step 60
expect 2 'not both' -- propagate -c "$cat" --start 2026-03-19T00:00:00Z --end 2026-03-19T01:00:00Z --step 60 --tsince 0:10:1
expect 2 'not START:STOP:STEP' -- propagate -c "$cat" --tsince 0:10
expect 2 'STOP is before START' -- propagate -c "$cat" --tsince 10:0:1
expect 2 'step must be positive' -- propagate -c "$cat" --tsince=0:10:0
expect 2 "unknown value 'ecef'" -- propagate -c "$cat" --tsince 0:10:1 --frame ecef
expect 2 'unknown option' -- propagate -c "$cat" --tsince 0:10:1 --bogus
expect 2 'not a catalog number' -- propagate -c "$cat" --tsince 0:10:1 --sat 25544,I0000
expect 1 'no element set for catalog number 99999' -- propagate -c "$cat" --tsince 0:10:1 --sat 99999
expect 1 'nonexistent.tle: cannot open' -- propagate -c "$data/nonexistent.tle" --tsince 0:10:1
printf 'just some\ntext\n' >junk.tle
expect 1 'no valid element set' -- propagate -c junk.tle --tsince 0:10:1

exit $fail
